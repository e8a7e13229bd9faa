//! The global objects (console, process, Math, JSON, Object, …), `require` and the core modules fs, os, path and
//! http.

use super::ast::Pos;
use super::builtins::namespace;
use super::interp::{Ctl, Interp, R, Timer, declare};
use super::value::{Class, Value};

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// Declares the globals in the interpreter's global scope.
pub fn install(it: &mut Interp) {
    let g = it.globals.clone();
    let console = namespace(&["console.log", "console.error", "console.warn", "console.info", "console.debug"]);
    declare(&g, "console", console, false);
    let math = namespace(&[
        "Math.floor",
        "Math.ceil",
        "Math.round",
        "Math.abs",
        "Math.max",
        "Math.min",
        "Math.random",
        "Math.sqrt",
        "Math.pow",
        "Math.trunc",
        "Math.sign",
    ]);
    if let Value::Obj(o) = &math {
        o.borrow_mut().set_own("PI", Value::Num(std::f64::consts::PI));
    }
    declare(&g, "Math", math, false);
    declare(&g, "JSON", namespace(&["JSON.parse", "JSON.stringify"]), false);
    declare(
        &g,
        "Object",
        namespace(&["Object.keys", "Object.values", "Object.entries", "Object.assign", "Object.freeze"]),
        false,
    );
    let array = namespace(&["Array.isArray", "Array.from"]);
    declare(&g, "Array", array, false);
    for (name, f) in [
        ("String", "global.String"),
        ("Number", "global.Number"),
        ("Boolean", "global.Boolean"),
        ("parseInt", "global.parseInt"),
        ("parseFloat", "global.parseFloat"),
        ("isNaN", "global.isNaN"),
        ("setTimeout", "global.setTimeout"),
        ("clearTimeout", "global.clearTimeout"),
        ("Error", "global.Error"),
        ("TypeError", "global.TypeError"),
        ("RangeError", "global.RangeError"),
        ("SyntaxError", "global.SyntaxError"),
        ("ReferenceError", "global.ReferenceError"),
    ] {
        declare(&g, name, Value::native(f, Value::Undefined), false);
    }
    let env: Vec<(String, Value)> = it.proc.env.iter().map(|(k, v)| (k.clone(), Value::str(v))).collect();
    let argv = Value::array(it.argv.iter().map(|a| Value::str(a)).collect());
    let process = Value::object(vec![
        ("env".into(), Value::object(env)),
        ("argv".into(), argv),
        ("exitCode".into(), Value::Undefined),
        ("exit".into(), Value::native("process.exit", Value::Undefined)),
        ("cwd".into(), Value::native("process.cwd", Value::Undefined)),
        ("on".into(), Value::native("process.on", Value::Undefined)),
        ("platform".into(), Value::str("linux")),
        ("version".into(), Value::str(super::VERSION)),
        ("pid".into(), Value::Num(1.0)),
    ]);
    it.process = process.clone();
    declare(&g, "process", process, false);
}

pub fn call(it: &mut Interp, name: &'static str, this: &Value, args: Vec<Value>, pos: Pos) -> R<Value> {
    let a0 = arg(&args, 0);
    let num = |f: fn(f64) -> f64| Value::Num(f(a0.to_number()));
    Ok(match name {
        "Math.floor" => num(f64::floor),
        "Math.ceil" => num(f64::ceil),
        "Math.round" => num(|n| (n + 0.5).floor()),
        "Math.abs" => num(f64::abs),
        "Math.sqrt" => num(f64::sqrt),
        "Math.trunc" => num(f64::trunc),
        "Math.sign" => num(|n| if n == 0.0 || n.is_nan() { n } else { n.signum() }),
        "Math.pow" => Value::Num(a0.to_number().powf(arg(&args, 1).to_number())),
        "Math.max" => Value::Num(
            args.iter()
                .map(Value::to_number)
                .fold(f64::NEG_INFINITY, |a, b| if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) }),
        ),
        "Math.min" => Value::Num(
            args.iter()
                .map(Value::to_number)
                .fold(f64::INFINITY, |a, b| if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }),
        ),
        "Math.random" => {
            // A fixed sequence: the simulation is deterministic, so lessons and tests see the same numbers.
            it.next_timer = it.next_timer.wrapping_mul(1_103_515_245).wrapping_add(12345);
            Value::Num(f64::from(it.next_timer >> 8 & 0xffff) / 65536.0)
        }
        "JSON.parse" => match super::json::parse(&a0.to_str()) {
            Ok(v) => v,
            Err(m) => return it.throw("SyntaxError", &m, pos),
        },
        "JSON.stringify" => {
            let indent = match arg(&args, 2) {
                Value::Num(n) => " ".repeat(n.clamp(0.0, 10.0) as usize),
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            };
            super::json::stringify(&a0, &indent).map_or(Value::Undefined, |s| Value::str(&s))
        }
        "Object.keys" | "Object.values" | "Object.entries" => {
            let Value::Obj(o) = &a0 else {
                return it.throw("TypeError", "Cannot convert undefined or null to object", pos);
            };
            let keys = o.borrow().keys();
            let mut out = Vec::new();
            for k in keys {
                let v = it.get(&a0, &k, pos)?;
                out.push(match name {
                    "Object.keys" => Value::str(&k),
                    "Object.values" => v,
                    _ => Value::array(vec![Value::str(&k), v]),
                });
            }
            Value::array(out)
        }
        "Object.assign" => {
            for src in args.iter().skip(1) {
                if let Value::Obj(o) = src {
                    let keys = o.borrow().keys();
                    for k in keys {
                        let v = it.get(src, &k, pos)?;
                        it.set(&a0, &k, v, pos)?;
                    }
                }
            }
            a0
        }
        "Object.freeze" | "global.Object" => a0,
        "Array.isArray" => Value::Bool(matches!(&a0, Value::Obj(o) if matches!(o.borrow().class, Class::Array(_)))),
        "Array.from" | "global.Array" => match &a0 {
            Value::Str(s) => Value::array(s.chars().map(|c| Value::str(&c.to_string())).collect()),
            Value::Obj(o) if matches!(o.borrow().class, Class::Array(_)) => {
                let items = match &o.borrow().class {
                    Class::Array(items) => items.clone(),
                    _ => Vec::new(),
                };
                Value::array(items)
            }
            _ => Value::array(Vec::new()),
        },
        "global.String" => Value::str(&if args.is_empty() { String::new() } else { a0.to_str() }),
        "global.Number" => Value::Num(if args.is_empty() { 0.0 } else { a0.to_number() }),
        "global.Boolean" => Value::Bool(a0.truthy()),
        "global.isNaN" => Value::Bool(a0.to_number().is_nan()),
        "global.parseFloat" => {
            let s = a0.to_str();
            let t = s.trim_start();
            let end = t
                .char_indices()
                .take_while(|&(i, c)| c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0))
                .count();
            Value::Num(t[..end].parse().unwrap_or(f64::NAN))
        }
        "global.parseInt" => {
            let s = a0.to_str();
            let t = s.trim_start();
            let radix = match arg(&args, 1) {
                Value::Undefined => 10,
                r => r.to_number() as u32,
            };
            let (neg, t) = match t.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, t.strip_prefix('+').unwrap_or(t)),
            };
            let (radix, t) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                Some(rest) if radix == 16 || radix == 10 && matches!(arg(&args, 1), Value::Undefined) => (16, rest),
                _ => (radix, t),
            };
            let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
            match u64::from_str_radix(&digits, radix) {
                Ok(n) => Value::Num(if neg { -(n as f64) } else { n as f64 }),
                Err(_) => Value::Num(f64::NAN),
            }
        }
        "global.setTimeout" => {
            if !a0.is_function() {
                return it.throw("TypeError", "The \"callback\" argument must be of type function.", pos);
            }
            it.next_timer += 1;
            let delay = arg(&args, 1).to_number();
            let delay = if delay.is_nan() || delay < 1.0 { 1.0 } else { delay };
            let id = it.next_timer;
            it.timers.push(Timer {
                id,
                due_ms: it.now_ms() + delay,
                callback: a0,
                args: args.into_iter().skip(2).collect(),
            });
            Value::Num(f64::from(id))
        }
        "global.clearTimeout" => {
            let id = a0.to_number();
            it.timers.retain(|t| f64::from(t.id) != id);
            Value::Undefined
        }
        "process.exit" => {
            let code = match a0 {
                Value::Undefined => match it.get(&it.process.clone(), "exitCode", pos)? {
                    Value::Undefined => 0,
                    v => v.to_number() as i32,
                },
                v => v.to_number() as i32,
            };
            return Err(Ctl::Exit(code));
        }
        "process.cwd" => Value::str(&it.proc.cwd),
        "process.on" => Value::Undefined,
        _ => return super::modules::call(it, name, this, &args, pos),
    })
}
