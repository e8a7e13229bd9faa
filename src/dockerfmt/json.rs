//! Go's encoding/json output: string escaping, float formatting, map keys sorted, struct fields in order, and
//! `json.Indent` with Docker's four spaces.

use serde_json::Value;

use super::value::{ObjKind, Val};

fn string(s: &str, escape_html: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A float64 as Go's encoder writes it: shortest digits, exponent only below 1e-6 or from 1e21.
fn float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = super::printf::format_float(f, 'e', None);
        // Go writes e-07 as e-7.
        match s.split_once("e-0") {
            Some((m, e)) => format!("{m}e-{e}"),
            None => s,
        }
    } else {
        super::printf::format_float(f, 'f', None)
    }
}

/// Encodes a template value as the `json` template function does (`SetEscapeHTML(false)`), except inside
/// list-row contexts, whose own MarshalJSON escapes HTML.
pub(crate) fn encode(v: &Val, escape_html: bool, out: &mut String) {
    match v {
        Val::Invalid | Val::Nil(_) => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Byte(b) => out.push_str(&b.to_string()),
        Val::Float(f) => out.push_str(&float(*f)),
        Val::Str(s) => string(s, escape_html, out),
        Val::Num(n) => out.push_str(n),
        Val::List(l) => {
            out.push('[');
            for (i, x) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(x, escape_html, out);
            }
            out.push(']');
        }
        Val::Obj(o) => {
            let escape_html = escape_html || matches!(o.kind, ObjKind::Context { .. });
            out.push('{');
            for (i, (k, x)) in o.ordered().into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(k, escape_html, out);
                out.push(':');
                encode(x, escape_html, out);
            }
            out.push('}');
        }
    }
}

/// JSON the way the Docker daemon sends it (no HTML escaping, keys in the given order), compact or indented with
/// `indent` as `json.Indent` does.
pub(crate) fn daemon_json(v: &Value, indent: Option<&str>, out: &mut String) {
    write_value(v, indent, 0, out);
}

fn newline(indent: Option<&str>, depth: usize, out: &mut String) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn write_value(v: &Value, indent: Option<&str>, depth: usize, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (_, Some(u), _) => out.push_str(&u.to_string()),
            (_, _, Some(f)) => out.push_str(&float(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => string(s, false, out),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                write_value(x, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push(']');
        }
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(indent, depth + 1, out);
                string(k, false, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_value(x, indent, depth + 1, out);
            }
            newline(indent, depth, out);
            out.push('}');
        }
    }
}
