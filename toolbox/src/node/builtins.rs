//! The built-in functions: methods of strings, numbers, arrays and objects, and the global objects' functions.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::Pos;
use super::interp::{Interp, R, key_of, strict_equals};
use super::value::{Class, Object, Value, format_args, number_to_string};

const STRING: &[&str] = &[
    "string.toUpperCase",
    "string.toLowerCase",
    "string.trim",
    "string.trimStart",
    "string.trimEnd",
    "string.split",
    "string.includes",
    "string.startsWith",
    "string.endsWith",
    "string.indexOf",
    "string.lastIndexOf",
    "string.slice",
    "string.substring",
    "string.replace",
    "string.replaceAll",
    "string.repeat",
    "string.padStart",
    "string.padEnd",
    "string.charAt",
    "string.concat",
    "string.toString",
    "string.at",
];
const NUMBER: &[&str] = &["number.toFixed", "number.toString"];
const ARRAY: &[&str] = &[
    "array.push",
    "array.pop",
    "array.shift",
    "array.unshift",
    "array.map",
    "array.filter",
    "array.forEach",
    "array.join",
    "array.indexOf",
    "array.includes",
    "array.slice",
    "array.concat",
    "array.reduce",
    "array.find",
    "array.findIndex",
    "array.some",
    "array.every",
    "array.reverse",
    "array.sort",
    "array.splice",
    "array.toString",
    "array.at",
    "array.flat",
];
const OBJECT: &[&str] = &["object.hasOwnProperty", "object.toString"];

/// The built-in method `key` of a kind of value, by its internal name.
pub fn method(kind: &str, key: &str) -> Option<&'static str> {
    let table = match kind {
        "string" => STRING,
        "number" => NUMBER,
        "array" => ARRAY,
        _ => OBJECT,
    };
    table.iter().find(|n| n.split_once('.').is_some_and(|(_, m)| m == key)).copied()
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

fn items_of(v: &Value) -> Vec<Value> {
    match v {
        Value::Obj(o) => match &o.borrow().class {
            Class::Array(items) => items.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn with_items<T>(v: &Value, f: impl FnOnce(&mut Vec<Value>) -> T) -> Option<T> {
    match v {
        Value::Obj(o) => match &mut o.borrow_mut().class {
            Class::Array(items) => Some(f(items)),
            _ => None,
        },
        _ => None,
    }
}

/// A relative index (`slice(-2)`) clamped into `0..=len`.
fn index(v: &Value, len: usize, default: usize) -> usize {
    if matches!(v, Value::Undefined) {
        return default;
    }
    let n = v.to_number();
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    if n < 0.0 { (len as f64 + n).max(0.0) as usize } else { (n as usize).min(len) }
}

pub fn call(it: &mut Interp, name: &'static str, this: &Value, args: Vec<Value>, pos: Pos) -> R<Value> {
    let a0 = arg(&args, 0);
    if let Some(m) = name.strip_prefix("string.") {
        let s = this.to_str();
        let chars: Vec<char> = s.chars().collect();
        return Ok(match m {
            "toUpperCase" => Value::str(&s.to_uppercase()),
            "toLowerCase" => Value::str(&s.to_lowercase()),
            "trim" => Value::str(s.trim()),
            "trimStart" => Value::str(s.trim_start()),
            "trimEnd" => Value::str(s.trim_end()),
            "toString" => Value::str(&s),
            "split" => match a0 {
                Value::Undefined => Value::array(vec![Value::str(&s)]),
                sep => {
                    let sep = sep.to_str();
                    let parts: Vec<Value> = if sep.is_empty() {
                        chars.iter().map(|c| Value::str(&c.to_string())).collect()
                    } else {
                        s.split(sep.as_str()).map(Value::str).collect()
                    };
                    Value::array(parts)
                }
            },
            "includes" => Value::Bool(s.contains(a0.to_str().as_str())),
            "startsWith" => Value::Bool(s.starts_with(a0.to_str().as_str())),
            "endsWith" => Value::Bool(s.ends_with(a0.to_str().as_str())),
            "indexOf" | "lastIndexOf" => {
                let needle = a0.to_str();
                let found = if m == "indexOf" { s.find(&needle) } else { s.rfind(&needle) };
                Value::Num(found.map_or(-1.0, |b| s[..b].chars().count() as f64))
            }
            "slice" | "substring" | "at" | "charAt" => {
                let len = chars.len();
                match m {
                    "at" | "charAt" => {
                        let n = a0.to_number();
                        let n = if n.is_nan() { 0.0 } else { n };
                        let i = if n < 0.0 && m == "at" { len as f64 + n } else { n };
                        let c = if i < 0.0 { None } else { chars.get(i as usize) };
                        match c {
                            Some(c) => Value::str(&c.to_string()),
                            None if m == "at" => Value::Undefined,
                            None => Value::str(""),
                        }
                    }
                    _ => {
                        let (mut a, mut b) = if m == "slice" {
                            (index(&a0, len, 0), index(&arg(&args, 1), len, len))
                        } else {
                            let clamp = |v: &Value, d: usize| {
                                if matches!(v, Value::Undefined) {
                                    d
                                } else {
                                    v.to_number().max(0.0).min(len as f64) as usize
                                }
                            };
                            (clamp(&a0, 0), clamp(&arg(&args, 1), len))
                        };
                        if m == "substring" && a > b {
                            std::mem::swap(&mut a, &mut b);
                        }
                        Value::str(&chars[a.min(b)..b].iter().collect::<String>())
                    }
                }
            }
            "replace" | "replaceAll" => {
                let needle = a0.to_str();
                let with = arg(&args, 1);
                let mut out = String::new();
                let mut rest = s.as_str();
                while let Some(at) = rest.find(&needle) {
                    out.push_str(&rest[..at]);
                    let r = if with.is_function() {
                        it.call(&with, Value::Undefined, vec![Value::str(&needle)], pos)?.to_str()
                    } else {
                        with.to_str()
                    };
                    out.push_str(&r);
                    rest = &rest[at + needle.len()..];
                    if m == "replace" || needle.is_empty() {
                        break;
                    }
                }
                out.push_str(rest);
                Value::str(&out)
            }
            "repeat" => Value::str(&s.repeat(a0.to_number().max(0.0) as usize)),
            "padStart" | "padEnd" => {
                let width = a0.to_number().max(0.0) as usize;
                let fill = match arg(&args, 1) {
                    Value::Undefined => " ".to_string(),
                    v => v.to_str(),
                };
                if width <= chars.len() || fill.is_empty() {
                    Value::str(&s)
                } else {
                    let pad: String = fill.chars().cycle().take(width - chars.len()).collect();
                    Value::str(&if m == "padStart" { pad + &s } else { s + &pad })
                }
            }
            "concat" => Value::str(&(s + &args.iter().map(Value::to_str).collect::<String>())),
            _ => Value::Undefined,
        });
    }
    if let Some(m) = name.strip_prefix("number.") {
        let n = this.to_number();
        return Ok(match m {
            "toFixed" => {
                let digits = a0.to_number();
                let digits = if digits.is_nan() { 0 } else { digits as usize };
                Value::str(&format!("{n:.digits$}"))
            }
            _ => match a0 {
                Value::Undefined => Value::str(&number_to_string(n)),
                radix => {
                    let radix = radix.to_number() as u32;
                    if n.fract() != 0.0 || !(2..=36).contains(&radix) {
                        return it.unsupported("toString with this radix", pos);
                    }
                    let mut v = n.abs() as u64;
                    let mut digits = Vec::new();
                    loop {
                        digits.push(std::char::from_digit((v % u64::from(radix)) as u32, radix).unwrap_or('0'));
                        v /= u64::from(radix);
                        if v == 0 {
                            break;
                        }
                    }
                    if n < 0.0 {
                        digits.push('-');
                    }
                    Value::str(&digits.iter().rev().collect::<String>())
                }
            },
        });
    }
    if let Some(m) = name.strip_prefix("array.") {
        return array_method(it, m, this, &args, pos);
    }
    match name {
        "object.hasOwnProperty" => Ok(Value::Bool(match this {
            Value::Obj(o) => o.borrow().keys().contains(&key_of(&a0)),
            _ => false,
        })),
        "object.toString" => Ok(Value::str(&this.to_str())),
        "console.log" | "console.info" | "console.debug" => {
            it.proc.outs(&format!("{}\n", format_args(&args)));
            Ok(Value::Undefined)
        }
        "console.error" | "console.warn" => {
            it.proc.errs(&format!("{}\n", format_args(&args)));
            Ok(Value::Undefined)
        }
        n if n.starts_with("global.") && n.ends_with("Error") => {
            let ctor = &n["global.".len()..];
            let message = if matches!(a0, Value::Undefined) { String::new() } else { a0.to_str() };
            Ok(it.make_error(ctor, &message, pos))
        }
        _ => super::globals::call(it, name, this, args, pos),
    }
}

fn array_method(it: &mut Interp, m: &str, this: &Value, args: &[Value], pos: Pos) -> R<Value> {
    let a0 = arg(args, 0);
    let items = items_of(this);
    let len = items.len();
    let callback = |it: &mut Interp, f: &Value, v: &Value, i: usize| -> R<Value> {
        if !f.is_function() {
            return it.throw("TypeError", &format!("{} is not a function", super::interp::describe(f)), pos);
        }
        it.call(f, Value::Undefined, vec![v.clone(), Value::Num(i as f64), this.clone()], pos)
    };
    Ok(match m {
        "push" => Value::Num(
            with_items(this, |v| {
                v.extend(args.iter().cloned());
                v.len()
            })
            .unwrap_or(0) as f64,
        ),
        "unshift" => Value::Num(
            with_items(this, |v| {
                for (i, a) in args.iter().enumerate() {
                    v.insert(i, a.clone());
                }
                v.len()
            })
            .unwrap_or(0) as f64,
        ),
        "pop" => with_items(this, Vec::pop).flatten().unwrap_or(Value::Undefined),
        "shift" => with_items(this, |v| if v.is_empty() { None } else { Some(v.remove(0)) })
            .flatten()
            .unwrap_or(Value::Undefined),
        "map" | "filter" | "forEach" | "find" | "findIndex" | "some" | "every" => {
            let mut out = Vec::new();
            for (i, v) in items.iter().enumerate() {
                let r = callback(it, &a0, v, i)?;
                match m {
                    "map" => out.push(r),
                    "filter" if r.truthy() => out.push(v.clone()),
                    "find" if r.truthy() => return Ok(v.clone()),
                    "findIndex" if r.truthy() => return Ok(Value::Num(i as f64)),
                    "some" if r.truthy() => return Ok(Value::Bool(true)),
                    "every" if !r.truthy() => return Ok(Value::Bool(false)),
                    _ => {}
                }
            }
            match m {
                "map" | "filter" => Value::array(out),
                "find" | "forEach" => Value::Undefined,
                "findIndex" => Value::Num(-1.0),
                "some" => Value::Bool(false),
                _ => Value::Bool(true),
            }
        }
        "reduce" => {
            let mut iter = items.iter().enumerate();
            let mut acc = if args.len() > 1 {
                args[1].clone()
            } else {
                match iter.next() {
                    Some((_, v)) => v.clone(),
                    None => return it.throw("TypeError", "Reduce of empty array with no initial value", pos),
                }
            };
            for (i, v) in iter {
                acc = it.call(&a0, Value::Undefined, vec![acc, v.clone(), Value::Num(i as f64)], pos)?;
            }
            acc
        }
        "join" | "toString" => {
            let sep = if m == "join" && !matches!(a0, Value::Undefined) { a0.to_str() } else { ",".into() };
            let parts: Vec<String> = items
                .iter()
                .map(|v| if matches!(v, Value::Undefined | Value::Null) { String::new() } else { v.to_str() })
                .collect();
            Value::str(&parts.join(&sep))
        }
        "indexOf" => Value::Num(items.iter().position(|v| strict_equals(v, &a0)).map_or(-1.0, |i| i as f64)),
        "includes" => Value::Bool(items.iter().any(|v| {
            strict_equals(v, &a0)
                || (v.to_number().is_nan()
                    && a0.to_number().is_nan()
                    && matches!((v, &a0), (Value::Num(_), Value::Num(_))))
        })),
        "slice" => {
            let (a, b) = (index(&a0, len, 0), index(&arg(args, 1), len, len));
            Value::array(items[a.min(b)..b].to_vec())
        }
        "at" => {
            let n = a0.to_number();
            let i = if n < 0.0 { len as f64 + n } else { n };
            if i < 0.0 { Value::Undefined } else { items.get(i as usize).cloned().unwrap_or(Value::Undefined) }
        }
        "concat" => {
            let mut out = items;
            for a in args {
                match a {
                    Value::Obj(o) if matches!(o.borrow().class, Class::Array(_)) => out.extend(items_of(a)),
                    other => out.push(other.clone()),
                }
            }
            Value::array(out)
        }
        "flat" => {
            let mut out = Vec::new();
            for v in items {
                match &v {
                    Value::Obj(o) if matches!(o.borrow().class, Class::Array(_)) => out.extend(items_of(&v)),
                    _ => out.push(v),
                }
            }
            Value::array(out)
        }
        "reverse" => {
            with_items(this, |v| v.reverse());
            this.clone()
        }
        "splice" => {
            let start = index(&a0, len, 0);
            let count = if args.len() > 1 {
                (arg(args, 1).to_number().max(0.0) as usize).min(len - start)
            } else {
                len - start
            };
            let removed = with_items(this, |v| v.splice(start..start + count, args.iter().skip(2).cloned()).collect())
                .unwrap_or_default();
            Value::array(removed)
        }
        "sort" => {
            let mut sorted = items;
            // Insertion sort: stable, as V8's sort is, and it lets the comparator throw.
            for i in 1..sorted.len() {
                let mut j = i;
                while j > 0 {
                    let greater = if matches!(a0, Value::Undefined) {
                        sorted[j - 1].to_str() > sorted[j].to_str()
                    } else {
                        it.call(&a0, Value::Undefined, vec![sorted[j - 1].clone(), sorted[j].clone()], pos)?.to_number()
                            > 0.0
                    };
                    if !greater {
                        break;
                    }
                    sorted.swap(j - 1, j);
                    j -= 1;
                }
            }
            with_items(this, |v| *v = sorted);
            this.clone()
        }
        _ => Value::Undefined,
    })
}

/// A fresh plain object holding built-in functions.
pub fn namespace(names: &[&'static str]) -> Value {
    let props = names
        .iter()
        .map(|n| (super::value::native_short_name(n).to_string(), Value::native(n, Value::Undefined)))
        .collect();
    Value::Obj(Rc::new(RefCell::new(Object { class: Class::Plain, props })))
}
