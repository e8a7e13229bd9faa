//! JavaScript values, and their printing as node's `console.log` (util.inspect) and `String()` do it.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use super::ast::Function;
use super::interp::Scope;

#[derive(Clone)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Obj(Obj),
}

pub type Obj = Rc<RefCell<Object>>;

pub struct Object {
    pub class: Class,
    /// Own properties in insertion order, as JavaScript keeps string keys. Keys starting with NUL are the
    /// interpreter's own and never shown.
    pub props: Vec<(String, Value)>,
}

pub enum Class {
    Plain,
    Array(Vec<Value>),
    Function(Callable),
    /// An `Error` (or `TypeError`, …): its `name`, `message` and `stack` are ordinary properties.
    Error,
}

#[derive(Clone)]
pub enum Callable {
    /// A function written in the script, with the scope it closes over and, for arrows, the `this` it captured.
    Closure { func: Rc<Function>, scope: Scope, this: Option<Value> },
    /// A built-in, named as `module.function`, with the value it was read from (`arr` in `arr.push`).
    Native { name: &'static str, this: Value },
}

impl Value {
    #[must_use]
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    #[must_use]
    pub fn object(props: Vec<(String, Value)>) -> Value {
        Value::Obj(Rc::new(RefCell::new(Object { class: Class::Plain, props })))
    }

    #[must_use]
    pub fn array(items: Vec<Value>) -> Value {
        Value::Obj(Rc::new(RefCell::new(Object { class: Class::Array(items), props: Vec::new() })))
    }

    #[must_use]
    pub fn native(name: &'static str, this: Value) -> Value {
        Value::Obj(Rc::new(RefCell::new(Object {
            class: Class::Function(Callable::Native { name, this }),
            props: Vec::new(),
        })))
    }

    #[must_use]
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            Value::Obj(_) => true,
        }
    }

    #[must_use]
    pub fn type_of(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "object",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Obj(o) => {
                if matches!(o.borrow().class, Class::Function(_)) {
                    "function"
                } else {
                    "object"
                }
            }
        }
    }

    #[must_use]
    pub fn is_function(&self) -> bool {
        self.type_of() == "function"
    }

    #[must_use]
    pub fn to_number(&self) -> f64 {
        match self {
            Value::Undefined => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Num(n) => *n,
            Value::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    0.0
                } else if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                    u64::from_str_radix(hex, 16).map_or(f64::NAN, |n| n as f64)
                } else if t == "Infinity" || t == "+Infinity" {
                    f64::INFINITY
                } else if t == "-Infinity" {
                    f64::NEG_INFINITY
                } else if t.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c)) {
                    t.parse().unwrap_or(f64::NAN)
                } else {
                    f64::NAN
                }
            }
            Value::Obj(o) => match &o.borrow().class {
                Class::Array(items) if items.is_empty() => 0.0,
                Class::Array(items) if items.len() == 1 => items[0].to_number(),
                _ => f64::NAN,
            },
        }
    }

    /// `String(value)`.
    #[must_use]
    pub fn to_str(&self) -> String {
        match self {
            Value::Undefined => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Num(n) => number_to_string(*n),
            Value::Str(s) => s.to_string(),
            Value::Obj(o) => {
                let o = o.borrow();
                match &o.class {
                    Class::Array(items) => items
                        .iter()
                        .map(|v| if matches!(v, Value::Undefined | Value::Null) { String::new() } else { v.to_str() })
                        .collect::<Vec<_>>()
                        .join(","),
                    Class::Error => {
                        let name = o.get_own("name").map_or("Error".into(), |v| v.to_str());
                        let message = o.get_own("message").map_or(String::new(), |v| v.to_str());
                        if message.is_empty() { name } else { format!("{name}: {message}") }
                    }
                    Class::Function(Callable::Closure { func, .. }) => {
                        format!("function {}() {{ [code] }}", func.name)
                    }
                    Class::Function(Callable::Native { name, .. }) => {
                        format!("function {}() {{ [native code] }}", native_short_name(name))
                    }
                    Class::Plain => "[object Object]".into(),
                }
            }
        }
    }
}

/// The part of a built-in's internal name that JavaScript sees (`push` of `array.push`).
pub fn native_short_name(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

impl Object {
    pub fn get_own(&self, key: &str) -> Option<Value> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    pub fn set_own(&mut self, key: &str, value: Value) {
        match self.props.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.props.push((key.to_string(), value)),
        }
    }

    /// The keys `Object.keys` and `for … in` list.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = match &self.class {
            Class::Array(items) => (0..items.len()).map(|i| i.to_string()).collect(),
            _ => Vec::new(),
        };
        keys.extend(
            self.props
                .iter()
                .filter(|(k, _)| !(k.starts_with('\0') || matches!(self.class, Class::Error) && k == "stack"))
                .map(|(k, _)| k.clone()),
        );
        keys
    }
}

/// Number to string as JavaScript does: integers without a fraction, `-0` as `0`, shortest round-trip digits.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if n == 0.0 {
        return "0".into();
    }
    let abs = n.abs();
    if (1e-7..1e21).contains(&abs) {
        let s = format!("{n}");
        return s;
    }
    // Exponent form: Rust's `{:e}` gives `1e21` and `1.5e-7`; JavaScript writes `1e+21` and `1.5e-7`.
    let s = format!("{n:e}");
    match s.split_once('e') {
        Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
        _ => s,
    }
}

/// Whether a key prints bare in an object literal (`{ a: 1 }` versus `{ 'a-b': 1 }`).
fn bare_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// A string as util.inspect quotes it: single quotes unless the string holds one, then double, then backquotes.
pub fn quote(s: &str) -> String {
    let q = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') && !s.contains("${") {
        '`'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// `util.inspect(value)` with node's defaults: depth 2, line width 80, compact 3.
pub fn inspect(value: &Value) -> String {
    let mut seen = Vec::new();
    inspect_at(value, 0, 0, &mut seen).0
}

/// Returns the text and how many levels of nested objects it holds (node keeps up to three on one line).
fn inspect_at(value: &Value, depth: usize, indent: usize, seen: &mut Vec<*const RefCell<Object>>) -> (String, usize) {
    let o = match value {
        Value::Str(s) => return (quote(s), 0),
        Value::Num(n) if *n == 0.0 && n.is_sign_negative() => return ("-0".into(), 0),
        Value::Obj(o) => o,
        other => return (other.to_str(), 0),
    };
    let ptr = Rc::as_ptr(o);
    if seen.contains(&ptr) {
        return ("[Circular *1]".into(), 0);
    }
    let obj = o.borrow();
    let (base, braces, is_array) = match &obj.class {
        Class::Function(c) => {
            let name = match c {
                Callable::Closure { func, .. } => func.name.clone(),
                Callable::Native { name, .. } => native_short_name(name).to_string(),
            };
            let base =
                if name.is_empty() { "[Function (anonymous)]".to_string() } else { format!("[Function: {name}]") };
            if obj.keys().is_empty() {
                return (base, 0);
            }
            (base, ("{", "}"), false)
        }
        Class::Error => {
            let stack = obj.get_own("stack").map_or_else(|| value.to_str(), |v| v.to_str());
            let extra: Vec<String> = obj.keys().into_iter().filter(|k| k != "message" && k != "name").collect();
            if extra.is_empty() {
                return (stack, 0);
            }
            (stack, ("{", "}"), false)
        }
        Class::Array(_) => (String::new(), ("[", "]"), true),
        Class::Plain => (String::new(), ("{", "}"), false),
    };
    if depth > 2 {
        return (if is_array { "[Array]".into() } else { "[Object]".into() }, 0);
    }
    seen.push(ptr);
    let mut entries = Vec::new();
    let mut levels = 0;
    if let Class::Array(items) = &obj.class {
        for item in items {
            let (text, l) = inspect_at(item, depth + 1, indent + 2, seen);
            levels = levels.max(l);
            entries.push(text);
        }
    }
    for key in obj.keys() {
        if is_array && key.parse::<usize>().is_ok() {
            continue;
        }
        let v = obj.get_own(&key).unwrap_or(Value::Undefined);
        let (text, l) = inspect_at(&v, depth + 1, indent + 2, seen);
        levels = levels.max(l);
        let k = if bare_key(&key) { key } else { quote(&key) };
        entries.push(format!("{k}: {text}"));
    }
    seen.pop();
    drop(obj);
    let levels = if entries.is_empty() { levels } else { levels + 1 };
    let prefix = if base.is_empty() { String::new() } else { format!("{base} ") };
    if entries.is_empty() {
        return (format!("{prefix}{}{}", braces.0, braces.1), levels);
    }
    if is_array && entries.len() > 6 {
        let numbers = matches!(value, Value::Obj(o) if matches!(&o.borrow().class, Class::Array(items) if items.iter().all(|v| matches!(v, Value::Num(_)))));
        if let Some(rows) = group_rows(&entries, indent, numbers) {
            let pad = " ".repeat(indent);
            let inner = rows.join(&format!(",\n{pad}  "));
            return (format!("{prefix}{}\n{pad}  {inner}\n{pad}{}", braces.0, braces.1), levels);
        }
    }
    let total: usize = entries.iter().map(|e| e.chars().count()).sum::<usize>() + entries.len();
    let start = indent + braces.0.len() + prefix.len() + 10;
    if levels <= 3 && start + total + entries.len() <= 80 && !entries.iter().any(|e| e.contains('\n')) {
        return (format!("{prefix}{} {} {}", braces.0, entries.join(", "), braces.1), levels);
    }
    let pad = " ".repeat(indent);
    let inner = entries.join(&format!(",\n{pad}  "));
    (format!("{prefix}{}\n{pad}  {inner}\n{pad}{}", braces.0, braces.1), levels)
}

/// Lays a long array's entries out in aligned columns, as util.inspect does for arrays of more than six short
/// entries (numbers right-aligned, everything else left-aligned). `None` when they are too wide for columns.
fn group_rows(entries: &[String], indent: usize, numbers: bool) -> Option<Vec<String>> {
    if entries.iter().any(|e| e.contains('\n')) {
        return None;
    }
    let widths: Vec<usize> = entries.iter().map(|e| e.chars().count()).collect();
    let total: usize = widths.iter().map(|w| w + 2).sum();
    let widest = widths.iter().copied().max().unwrap_or(0);
    let column = widest + 2;
    if column * 3 + indent >= 80 || !(total as f64 / column as f64 > 5.0 || widest <= 6) {
        return None;
    }
    let bias = (column as f64 - total as f64 / entries.len() as f64).sqrt();
    let biased = (column as f64 - 3.0 - bias).max(1.0);
    let columns = ((2.5 * biased * entries.len() as f64).sqrt() / biased)
        .round()
        .min(((80 - indent) / column) as f64)
        .min(12.0)
        .min(15.0) as usize;
    if columns <= 1 {
        return None;
    }
    let col_width: Vec<usize> =
        (0..columns).map(|c| widths.iter().skip(c).step_by(columns).copied().max().unwrap_or(0) + 2).collect();
    let mut rows = Vec::new();
    for (r, chunk) in entries.chunks(columns).enumerate() {
        let mut row = String::new();
        for (c, e) in chunk.iter().enumerate() {
            let last = c == chunk.len() - 1;
            let cell = if last { e.clone() } else { format!("{e}, ") };
            let width = if last { col_width[c] - 2 } else { col_width[c] };
            let fill = " ".repeat(width.saturating_sub(widths[r * columns + c] + if last { 0 } else { 2 }));
            if numbers {
                row.push_str(&fill);
                row.push_str(&cell);
            } else if last {
                row.push_str(&cell);
            } else {
                row.push_str(&cell);
                row.push_str(&fill);
            }
        }
        rows.push(row);
    }
    Some(rows)
}

/// `console.log`'s joining of its arguments: strings as they are, everything else inspected; `%s`, `%d`, `%i`,
/// `%f`, `%j`, `%o`, `%O` and `%%` in a first string argument are substituted.
pub fn format_args(args: &[Value]) -> String {
    let mut out = String::new();
    let mut rest = args;
    if let Some(Value::Str(first)) = args.first() {
        rest = &args[1..];
        let mut chars = first.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.peek().copied() {
                Some('%') => {
                    chars.next();
                    out.push('%');
                }
                Some(f @ ('s' | 'd' | 'i' | 'f' | 'j' | 'o' | 'O')) if !rest.is_empty() => {
                    chars.next();
                    let v = &rest[0];
                    rest = &rest[1..];
                    let text = match f {
                        's' => match v {
                            Value::Str(s) => s.to_string(),
                            Value::Obj(_) => inspect(v),
                            _ => v.to_str(),
                        },
                        'd' | 'i' => {
                            let n = v.to_number();
                            number_to_string(if f == 'i' { n.trunc() } else { n })
                        }
                        'f' => number_to_string(v.to_number()),
                        'j' => super::json::stringify(v, "").unwrap_or_else(|| "undefined".into()),
                        _ => inspect(v),
                    };
                    out.push_str(&text);
                }
                _ => out.push('%'),
            }
        }
    }
    let mut pieces = Vec::new();
    if matches!(args.first(), Some(Value::Str(_))) {
        pieces.push(out);
    }
    for v in rest {
        pieces.push(match v {
            Value::Str(s) => s.to_string(),
            other => inspect(other),
        });
    }
    pieces.join(" ")
}
