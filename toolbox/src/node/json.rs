//! JSON for `JSON.parse`, `JSON.stringify`, `require('./x.json')` and npm's package.json, on the interpreter's
//! values.

use std::fmt::Write as _;

use super::value::{Class, Value, number_to_string};

/// Parses JSON text; the error is V8's message (`Unexpected token } in JSON at position 9`).
pub fn parse(text: &str) -> Result<Value, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let value = parse_value(&chars, &mut i)?;
    skip_ws(&chars, &mut i);
    if i < chars.len() {
        return Err(unexpected(&chars, i));
    }
    Ok(value)
}

fn unexpected(chars: &[char], i: usize) -> String {
    match chars.get(i) {
        None => "Unexpected end of JSON input".into(),
        Some(c) => format!("Unexpected token {c} in JSON at position {i}"),
    }
}

fn skip_ws(chars: &[char], i: &mut usize) {
    while *i < chars.len() && chars[*i].is_whitespace() {
        *i += 1;
    }
}

fn parse_value(chars: &[char], i: &mut usize) -> Result<Value, String> {
    skip_ws(chars, i);
    match chars.get(*i) {
        Some('{') => {
            *i += 1;
            let mut props: Vec<(String, Value)> = Vec::new();
            skip_ws(chars, i);
            if chars.get(*i) == Some(&'}') {
                *i += 1;
                return Ok(Value::object(props));
            }
            loop {
                skip_ws(chars, i);
                if chars.get(*i) != Some(&'"') {
                    return Err(unexpected(chars, *i));
                }
                let key = parse_string(chars, i)?;
                skip_ws(chars, i);
                if chars.get(*i) != Some(&':') {
                    return Err(unexpected(chars, *i));
                }
                *i += 1;
                let v = parse_value(chars, i)?;
                match props.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = v,
                    None => props.push((key, v)),
                }
                skip_ws(chars, i);
                match chars.get(*i) {
                    Some(',') => *i += 1,
                    Some('}') => {
                        *i += 1;
                        return Ok(Value::object(props));
                    }
                    _ => return Err(unexpected(chars, *i)),
                }
            }
        }
        Some('[') => {
            *i += 1;
            let mut items = Vec::new();
            skip_ws(chars, i);
            if chars.get(*i) == Some(&']') {
                *i += 1;
                return Ok(Value::array(items));
            }
            loop {
                items.push(parse_value(chars, i)?);
                skip_ws(chars, i);
                match chars.get(*i) {
                    Some(',') => *i += 1,
                    Some(']') => {
                        *i += 1;
                        return Ok(Value::array(items));
                    }
                    _ => return Err(unexpected(chars, *i)),
                }
            }
        }
        Some('"') => Ok(Value::str(&parse_string(chars, i)?)),
        Some('t') if chars[*i..].starts_with(&['t', 'r', 'u', 'e']) => {
            *i += 4;
            Ok(Value::Bool(true))
        }
        Some('f') if chars[*i..].starts_with(&['f', 'a', 'l', 's', 'e']) => {
            *i += 5;
            Ok(Value::Bool(false))
        }
        Some('n') if chars[*i..].starts_with(&['n', 'u', 'l', 'l']) => {
            *i += 4;
            Ok(Value::Null)
        }
        Some(c) if *c == '-' || c.is_ascii_digit() => {
            let start = *i;
            *i += 1;
            while *i < chars.len() && (chars[*i].is_ascii_digit() || ".eE+-".contains(chars[*i])) {
                *i += 1;
            }
            let text: String = chars[start..*i].iter().collect();
            text.parse().map(Value::Num).map_err(|_| unexpected(chars, start + 1))
        }
        _ => Err(unexpected(chars, *i)),
    }
}

fn parse_string(chars: &[char], i: &mut usize) -> Result<String, String> {
    *i += 1;
    let mut s = String::new();
    loop {
        match chars.get(*i) {
            None => return Err("Unterminated string in JSON at position ".to_string() + &i.to_string()),
            Some('"') => {
                *i += 1;
                return Ok(s);
            }
            Some('\\') => {
                *i += 1;
                let c = chars.get(*i).copied().ok_or_else(|| unexpected(chars, *i))?;
                *i += 1;
                match c {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    'b' => s.push('\u{8}'),
                    'f' => s.push('\u{c}'),
                    'u' => {
                        let hex: String = chars.get(*i..*i + 4).ok_or_else(|| unexpected(chars, *i))?.iter().collect();
                        let code = u32::from_str_radix(&hex, 16).map_err(|_| unexpected(chars, *i))?;
                        s.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        *i += 4;
                    }
                    '"' | '\\' | '/' => s.push(c),
                    _ => return Err(unexpected(chars, *i - 1)),
                }
            }
            Some(c) if (*c as u32) < 0x20 => return Err(unexpected(chars, *i)),
            Some(c) => {
                s.push(*c);
                *i += 1;
            }
        }
    }
}

/// A string as JSON writes it.
#[must_use]
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `JSON.stringify(value, null, indent)`; `None` where JavaScript gives `undefined` (a function, `undefined`).
#[must_use]
pub fn stringify(value: &Value, indent: &str) -> Option<String> {
    write_value(value, indent, "")
}

fn write_value(value: &Value, indent: &str, current: &str) -> Option<String> {
    Some(match value {
        Value::Undefined => return None,
        Value::Bool(b) => b.to_string(),
        Value::Num(n) if n.is_finite() => number_to_string(*n),
        Value::Null | Value::Num(_) => "null".into(),
        Value::Str(s) => quote(s),
        Value::Obj(o) => {
            let o = o.borrow();
            let inner = format!("{current}{indent}");
            let (open, close, items): (&str, &str, Vec<String>) = match &o.class {
                Class::Function(_) => return None,
                Class::Array(items) => (
                    "[",
                    "]",
                    items.iter().map(|v| write_value(v, indent, &inner).unwrap_or_else(|| "null".into())).collect(),
                ),
                _ => (
                    "{",
                    "}",
                    o.keys()
                        .into_iter()
                        .filter_map(|k| {
                            let v = o.get_own(&k)?;
                            let text = write_value(&v, indent, &inner)?;
                            let sep = if indent.is_empty() { ":" } else { ": " };
                            Some(format!("{}{sep}{text}", quote(&k)))
                        })
                        .collect(),
                ),
            };
            if items.is_empty() {
                format!("{open}{close}")
            } else if indent.is_empty() {
                format!("{open}{}{close}", items.join(","))
            } else {
                format!("{open}\n{inner}{}\n{current}{close}", items.join(&format!(",\n{inner}")))
            }
        }
    })
}
