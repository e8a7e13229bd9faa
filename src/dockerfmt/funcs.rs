//! The functions a Docker template can call: Go's builtins and Docker's `templates.basicFunctions`, with the
//! parameter types that decide Go's "wrong type for value" errors, and Docker's header variants.

use std::rc::Rc;

use super::printf::{sprint, sprintf, sprintln};
use super::value::{List, Nil, ObjKind, Val};

/// A parameter type as Go's reflection sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// `interface{}`
    Any,
    /// `reflect.Value` (builtins that inspect their argument)
    Value,
    Str,
    Int,
    StrSlice,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Value => "reflect.Value",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::StrSlice => "[]string",
        }
    }
}

pub(crate) struct Sig {
    pub fixed: &'static [Ty],
    pub variadic: Option<Ty>,
}

/// The signature of function `name`; `header` selects Docker's HeaderFunctions, used to render table headers.
pub(crate) fn signature(name: &str, header: bool) -> Sig {
    use Ty::{Any, Int, Str, StrSlice, Value};
    let (fixed, variadic): (&'static [Ty], Option<Ty>) = match name {
        "and" | "or" | "eq" | "index" | "slice" | "call" => (&[Value], Some(Value)),
        "not" | "len" => (&[Value], None),
        "ne" | "lt" | "le" | "gt" | "ge" => (&[Value, Value], None),
        "print" | "println" | "html" | "js" | "urlquery" => (&[], Some(Any)),
        "printf" => (&[Str], Some(Any)),
        "json" if header => (&[Str], None),
        "json" => (&[Any], None),
        "split" => (&[Str, Str], None),
        "join" if header => (&[Str, Str], None),
        "join" => (&[StrSlice, Str], None),
        "pad" => (&[Str, Int, Int], None),
        "truncate" => (&[Str, Int], None),
        _ => (&[Str], None), // title, lower, upper
    };
    Sig { fixed, variadic }
}

fn string_list(items: Vec<String>) -> Val {
    Val::List(Rc::new(List { ty: "[]string".into(), items: items.into_iter().map(|s| Val::Str(s.into())).collect() }))
}

fn text(v: &Val) -> &str {
    v.as_str().unwrap_or("")
}

fn int(v: &Val) -> i64 {
    if let Val::Int(i) = v { *i } else { 0 }
}

/// Calls a function other than `and`/`or` (evaluated lazily by the executor) on checked arguments.
pub(crate) fn call(name: &str, args: &[Val], header: bool) -> Result<Val, String> {
    if header && matches!(name, "json" | "split" | "join" | "title" | "lower" | "upper" | "truncate") {
        return Ok(args[0].clone());
    }
    Ok(match name {
        "not" => Val::Bool(!args[0].clone().dig().truth()),
        "len" => Val::Int(length(&args[0])?),
        "index" => index(&args[0], &args[1..])?,
        "slice" => slice(&args[0], &args[1..])?,
        "print" => Val::Str(sprint(args).into()),
        "println" => Val::Str(sprintln(args).into()),
        "printf" => Val::Str(sprintf(text(&args[0]), &args[1..]).into()),
        "html" => Val::Str(html(&eval_args(args)).into()),
        "js" => Val::Str(js(&eval_args(args)).into()),
        "urlquery" => Val::Str(urlquery(&eval_args(args)).into()),
        "eq" => Val::Bool(eq(&args[0], &args[1..])?),
        "ne" => Val::Bool(!eq(&args[0], &args[1..])?),
        "lt" => Val::Bool(lt(&args[0], &args[1])?),
        "le" => Val::Bool(lt(&args[0], &args[1])? || eq(&args[0], &args[1..])?),
        "gt" => Val::Bool(!(lt(&args[0], &args[1])? || eq(&args[0], &args[1..])?)),
        "ge" => Val::Bool(!lt(&args[0], &args[1])?),
        "call" => {
            return Err(match args[0].clone().dig() {
                Val::Invalid => "call of nil".into(),
                v => format!("non-function of type {}", v.type_name()),
            });
        }
        "json" => {
            let mut out = String::new();
            super::json::encode(&args[0], false, &mut out);
            Val::Str(out.into())
        }
        "split" => split(text(&args[0]), text(&args[1])),
        "join" => {
            let parts: Vec<&str> = match &args[0] {
                Val::List(l) => l.items.iter().map(text).collect(),
                _ => Vec::new(),
            };
            Val::Str(parts.join(text(&args[1])).into())
        }
        "title" => Val::Str(title(text(&args[0])).into()),
        "lower" => Val::Str(map_chars(text(&args[0]), char::to_lowercase).into()),
        "upper" => Val::Str(map_chars(text(&args[0]), char::to_uppercase).into()),
        "pad" => {
            let (s, prefix, suffix) = (text(&args[0]), int(&args[1]), int(&args[2]));
            if s.is_empty() {
                return Ok(args[0].clone());
            }
            let (Ok(p), Ok(q)) = (usize::try_from(prefix), usize::try_from(suffix)) else {
                return Err("strings: negative Repeat count".into());
            };
            Val::Str(format!("{}{s}{}", " ".repeat(p), " ".repeat(q)).into())
        }
        "truncate" => {
            let (s, n) = (text(&args[0]), int(&args[1]));
            let Ok(n) = usize::try_from(n) else {
                return Err(format!("runtime error: slice bounds out of range [:{n}]"));
            };
            if s.len() < n {
                return Ok(args[0].clone());
            }
            if n > s.len() {
                return Err(format!("runtime error: slice bounds out of range [:{n}] with length {}", s.len()));
            }
            let mut end = n;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            Val::Str(s[..end].into())
        }
        other => return Err(format!("function {other} is not implemented")),
    })
}

/// Go maps runes one to one; Rust's multi-rune mappings (ß → SS) are left alone.
fn map_chars<I: Iterator<Item = char>>(s: &str, f: fn(char) -> I) -> String {
    s.chars()
        .map(|c| {
            let mut m = f(c);
            match (m.next(), m.next()) {
                (Some(x), None) => x,
                _ => c,
            }
        })
        .collect()
}

/// Go's strings.Title: upper-cases the first letter of each word.
fn title(s: &str) -> String {
    let mut prev_sep = true;
    s.chars()
        .map(|c| {
            let out = if prev_sep { map_chars(&c.to_string(), char::to_uppercase) } else { c.to_string() };
            prev_sep = if c.is_ascii() {
                !(c.is_ascii_alphanumeric() || c == '_')
            } else {
                !(c.is_alphanumeric()) && c.is_whitespace()
            };
            out
        })
        .collect()
}

fn split(s: &str, sep: &str) -> Val {
    if sep.is_empty() {
        return string_list(s.chars().map(String::from).collect());
    }
    string_list(s.split(sep).map(String::from).collect())
}

fn length(v: &Val) -> Result<i64, String> {
    Ok(match v {
        Val::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Val::Nil(Nil::Ptr(_) | Nil::Iface) => return Err("len of nil pointer".into()),
        Val::Nil(Nil::Slice(_) | Nil::Map(_)) => 0,
        Val::Str(s) | Val::Num(s) => s.len() as i64,
        Val::List(l) => l.items.len() as i64,
        Val::Obj(o) if matches!(o.kind, ObjKind::Map { .. } | ObjKind::Header) => o.entries.len() as i64,
        v => return Err(format!("len of type {}", v.type_name())),
    })
}

fn index_arg(i: &Val, cap: usize) -> Result<usize, String> {
    let x = match i {
        Val::Int(x) => *x,
        Val::Byte(b) => i64::from(*b),
        Val::Invalid => return Err("cannot index slice/array with nil".into()),
        v => return Err(format!("cannot index slice/array with type {}", v.type_name())),
    };
    match usize::try_from(x) {
        Ok(u) if u <= cap => Ok(u),
        _ => Err(format!("index out of range: {x}")),
    }
}

fn index(item: &Val, indexes: &[Val]) -> Result<Val, String> {
    let mut item = item.clone().dig();
    if matches!(item, Val::Invalid) {
        return Err("index of untyped nil".into());
    }
    for i in indexes {
        let i = i.clone().dig();
        item = match &item {
            Val::Nil(Nil::Ptr(_) | Nil::Iface) => return Err("index of nil pointer".into()),
            Val::Str(s) | Val::Num(s) => {
                let x = index_arg(&i, s.len())?;
                let b = *s.as_bytes().get(x).ok_or("reflect: string index out of range")?;
                Val::Byte(b)
            }
            Val::List(l) => {
                let x = index_arg(&i, l.items.len())?;
                l.items.get(x).cloned().ok_or("reflect: slice index out of range")?
            }
            Val::Nil(Nil::Slice(_)) => {
                index_arg(&i, 0)?;
                return Err("reflect: slice index out of range".into());
            }
            Val::Nil(Nil::Map(_)) => Val::Invalid,
            Val::Obj(o) => {
                let (key_ty, zero) = match &o.kind {
                    ObjKind::Map { key, zero } => (key.as_deref().unwrap_or("string"), zero.clone()),
                    ObjKind::Header => ("string", Val::str("")),
                    _ => return Err(format!("can't index item of type {}", o.ty)),
                };
                let key = match &i {
                    Val::Invalid => return Err(format!("value is nil; should be of type {key_ty}")),
                    Val::Str(k) if key_ty == "string" => k.clone(),
                    v => return Err(format!("value has type {}; should be {key_ty}", v.type_name())),
                };
                o.get(&key).cloned().unwrap_or(zero)
            }
            v => return Err(format!("can't index item of type {}", v.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: &Val, indexes: &[Val]) -> Result<Val, String> {
    let item = item.clone().dig();
    if matches!(item, Val::Invalid) {
        return Err("slice of untyped nil".into());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &item {
        Val::Str(s) | Val::Num(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Val::List(l) => l.items.len(),
        Val::Nil(Nil::Slice(_)) => 0,
        v => return Err(format!("can't slice item of type {}", v.type_name())),
    };
    let mut idx = [0, len, len];
    for (n, i) in indexes.iter().enumerate() {
        idx[n] = index_arg(i, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match item {
        Val::Str(s) => Val::Str(s.get(idx[0]..idx[1]).unwrap_or("").into()),
        Val::Num(s) => Val::Num(s.get(idx[0]..idx[1]).unwrap_or("").into()),
        Val::List(l) => Val::List(Rc::new(List { ty: l.ty.clone(), items: l.items[idx[0]..idx[1]].to_vec() })),
        other => other,
    })
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Basic {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

fn basic(v: &Val) -> Basic {
    match v {
        Val::Bool(_) => Basic::Bool,
        Val::Int(_) => Basic::Int,
        Val::Byte(_) => Basic::Uint,
        Val::Float(_) => Basic::Float,
        Val::Str(_) | Val::Num(_) => Basic::Str,
        _ => Basic::Invalid,
    }
}

fn as_f64(v: &Val) -> f64 {
    match v {
        Val::Int(i) => *i as f64,
        Val::Byte(b) => f64::from(*b),
        Val::Float(f) => *f,
        _ => 0.0,
    }
}

fn as_i64(v: &Val) -> i64 {
    match v {
        Val::Int(i) => *i,
        Val::Byte(b) => i64::from(*b),
        _ => 0,
    }
}

fn is_nil(v: &Val) -> bool {
    matches!(v, Val::Invalid | Val::Nil(_))
}

fn eq(a: &Val, rest: &[Val]) -> Result<bool, String> {
    let a = a.clone().dig();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic(&a);
    for b in rest {
        let b = b.clone().dig();
        let k2 = basic(&b);
        let truth = if k1 == k2 {
            match k1 {
                Basic::Bool => matches!((&a, &b), (Val::Bool(x), Val::Bool(y)) if x == y),
                Basic::Int | Basic::Uint => as_i64(&a) == as_i64(&b),
                Basic::Float => as_f64(&a) == as_f64(&b),
                Basic::Str => a.as_str() == b.as_str(),
                Basic::Invalid => {
                    if is_nil(&a) || is_nil(&b) {
                        is_nil(&a) == is_nil(&b)
                    } else if matches!(b, Val::List(_))
                        || matches!(&b, Val::Obj(o) if !matches!(o.kind, ObjKind::Struct))
                    {
                        return Err(format!("non-comparable type {}: {}", b.to_go_string(), b.type_name()));
                    } else {
                        a.to_go_string() == b.to_go_string() && a.type_name() == b.type_name()
                    }
                }
            }
        } else {
            match (k1, k2) {
                (Basic::Int | Basic::Uint, Basic::Int | Basic::Uint) => as_i64(&a) == as_i64(&b),
                _ if !matches!(a, Val::Invalid) && !matches!(b, Val::Invalid) => {
                    return Err("incompatible types for comparison".into());
                }
                _ => false,
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Val, b: &Val) -> Result<bool, String> {
    let (a, b) = (a.clone().dig(), b.clone().dig());
    let (k1, k2) = (basic(&a), basic(&b));
    if k1 == Basic::Invalid || k2 == Basic::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Basic::Int | Basic::Uint, Basic::Int | Basic::Uint) => Ok(as_i64(&a) < as_i64(&b)),
            _ => Err("incompatible types for comparison".into()),
        };
    }
    Ok(match k1 {
        Basic::Bool | Basic::Invalid => return Err("invalid type for comparison".into()),
        Basic::Int | Basic::Uint => as_i64(&a) < as_i64(&b),
        Basic::Float => as_f64(&a) < as_f64(&b),
        Basic::Str => a.as_str() < b.as_str(),
    })
}

fn eval_args(args: &[Val]) -> String {
    match args {
        [Val::Str(s)] => s.to_string(),
        _ => sprint(args),
    }
}

fn html(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn js(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' | '>' | '&' | '=' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if (c as u32) < 0x20 || c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn urlquery(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
