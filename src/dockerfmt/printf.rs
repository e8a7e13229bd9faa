//! Go's fmt and strconv as templates use them: `print`, `println`, `printf`, `%q` quoting and float formatting.

use super::value::{Nil, ObjKind, Val};

/// Go's strconv.Quote.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Approximates Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    let u = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || matches!(u, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xE000..=0xF8FF)
        || (0xFFF0..=0xFFFF).contains(&u))
}

/// Decimal digits of |f| (no trailing zeros) and the decimal point position, as Go's strconv computes them:
/// shortest round-trip digits when `sig` is None, else rounded to `sig` significant digits.
fn digits(f: f64, sig: Option<usize>) -> (Vec<u8>, i32) {
    if f == 0.0 {
        return (Vec::new(), 0);
    }
    let s = match sig {
        None => format!("{:e}", f.abs()),
        Some(n) => format!("{:.*e}", n.max(1) - 1, f.abs()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mut d: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    (d, exp.parse::<i32>().unwrap_or(0) + 1)
}

fn fmt_e(d: &[u8], dp: i32, prec: usize, upper: bool) -> String {
    let mut out = String::new();
    out.push(d.first().map_or('0', |&c| c as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.get(i).map_or('0', |&c| c as char));
        }
    }
    let exp = if d.is_empty() { 0 } else { dp - 1 };
    out.push(if upper { 'E' } else { 'e' });
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(d: &[u8], dp: i32, prec: usize) -> String {
    let mut out = String::new();
    if dp > 0 {
        for i in 0..dp as usize {
            out.push(d.get(i).map_or('0', |&c| c as char));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i32 {
            let j = dp + i - 1;
            out.push(if j >= 0 { d.get(j as usize).map_or('0', |&c| c as char) } else { '0' });
        }
    }
    out
}

/// Go's strconv.FormatFloat(f, verb, prec, 64) for verbs e, E, f, g, G; `None` is precision -1.
pub(crate) fn format_float(f: f64, verb: char, prec: Option<usize>) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let body = match verb {
        'f' | 'F' => match prec {
            Some(p) => format!("{:.*}", p, f.abs()),
            None => format!("{}", f.abs()),
        },
        'e' | 'E' => {
            let (d, dp) = digits(f, prec.map(|p| p + 1));
            let p = prec.unwrap_or(d.len().saturating_sub(1));
            fmt_e(&d, dp, p, verb == 'E')
        }
        _ => {
            let shortest = prec.is_none();
            let (d, dp) = digits(f, prec.map(|p| p.max(1)));
            let nd = d.len() as i32;
            let mut p = prec.map_or(nd, |p| p.max(1) as i32);
            let mut eprec = p;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                fmt_e(&d, dp, (p - 1).max(0) as usize, verb == 'G')
            } else {
                if p > dp {
                    p = nd;
                }
                fmt_f(&d, dp, (p - dp).max(0) as usize)
            }
        }
    };
    format!("{sign}{body}")
}

/// Go's fmt.Sprint: spaces between operands when neither side is a string.
pub(crate) fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Val::Str(_) | Val::Num(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&print_arg(a, &Spec::default(), 'v'));
        prev_string = is_string;
    }
    out
}

/// Go's fmt.Sprintln.
pub(crate) fn sprintln(args: &[Val]) -> String {
    let parts: Vec<String> = args.iter().map(|a| print_arg(a, &Spec::default(), 'v')).collect();
    parts.join(" ") + "\n"
}

#[derive(Default, Clone)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

impl Spec {
    fn pad(&self, s: &str) -> String {
        let n = s.chars().count();
        let Some(w) = self.width.filter(|&w| w > n) else { return s.to_string() };
        let fill = w - n;
        if self.minus {
            format!("{s}{}", " ".repeat(fill))
        } else if self.zero {
            // Zero padding goes after the sign.
            let (sign, rest) = match s.as_bytes().first() {
                Some(b'-' | b'+' | b' ') => s.split_at(1),
                _ => ("", s),
            };
            format!("{sign}{}{rest}", "0".repeat(fill))
        } else {
            format!("{}{s}", " ".repeat(fill))
        }
    }
}

/// Go's fmt.Sprintf.
pub(crate) fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut arg = 0usize;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        let num = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, arg: &mut usize| -> Option<usize> {
            if chars.peek() == Some(&'*') {
                chars.next();
                let v = match args.get(*arg) {
                    Some(Val::Int(i)) => usize::try_from(*i).ok(),
                    _ => None,
                };
                *arg += 1;
                return v;
            }
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0) * 10 + d as usize);
                chars.next();
            }
            n
        };
        spec.width = num(&mut chars, &mut arg);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(num(&mut chars, &mut arg).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(a) = args.get(arg) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        arg += 1;
        out.push_str(&print_arg(a, &spec, verb));
    }
    if arg < args.len() {
        let extra: Vec<String> = args[arg..]
            .iter()
            .map(|a| match a {
                Val::Invalid | Val::Nil(Nil::Iface) => "<nil>".to_string(),
                a => format!("{}={}", a.type_name(), print_arg(a, &Spec::default(), 'v')),
            })
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

fn bad_verb(a: &Val, verb: char) -> String {
    match a {
        Val::Invalid | Val::Nil(Nil::Iface) => format!("%!{verb}(<nil>)"),
        a => format!("%!{verb}({}={})", a.type_name(), a.to_go_string()),
    }
}

fn print_arg(a: &Val, spec: &Spec, verb: char) -> String {
    if verb == 'T' {
        return spec.pad(&match a {
            Val::Invalid | Val::Nil(Nil::Iface) => "<nil>".to_string(),
            a => a.type_name(),
        });
    }
    match a {
        Val::Invalid | Val::Nil(Nil::Iface) => {
            if verb == 'v' {
                spec.pad("<nil>")
            } else {
                bad_verb(a, verb)
            }
        }
        Val::Bool(b) => match verb {
            't' | 'v' => spec.pad(if *b { "true" } else { "false" }),
            _ => bad_verb(a, verb),
        },
        Val::Int(_) | Val::Byte(_) => {
            let i = match a {
                Val::Int(i) => *i,
                Val::Byte(b) => i64::from(*b),
                _ => 0,
            };
            fmt_int(i, spec, verb).unwrap_or_else(|| bad_verb(a, verb))
        }
        Val::Float(f) => {
            let body = match verb {
                'v' | 'g' | 'G' => format_float(*f, 'g', spec.prec),
                'e' | 'E' | 'f' | 'F' => format_float(*f, verb, Some(spec.prec.unwrap_or(6))),
                _ => return bad_verb(a, verb),
            };
            let body = if verb == 'G' { body.to_uppercase() } else { body };
            let signed = if spec.plus && !body.starts_with('-') {
                format!("+{body}")
            } else if spec.space && !body.starts_with('-') {
                format!(" {body}")
            } else {
                body
            };
            spec.pad(&signed)
        }
        Val::Str(s) | Val::Num(s) => match verb {
            'v' | 's' => spec.pad(&truncate(s, spec.prec)),
            'q' => spec.pad(&go_quote(&truncate(s, spec.prec))),
            'x' | 'X' => {
                let hex = truncate(s, spec.prec).bytes().fold(String::new(), |mut h, b| {
                    h.push_str(&format!("{b:02x}"));
                    h
                });
                spec.pad(&if verb == 'X' { hex.to_uppercase() } else { hex })
            }
            _ => bad_verb(a, verb),
        },
        Val::Nil(Nil::Ptr(_)) => spec.pad("<nil>"),
        Val::Nil(Nil::Slice(_)) => spec.pad("[]"),
        Val::Nil(Nil::Map(_)) => spec.pad("map[]"),
        Val::List(l) => {
            let parts: Vec<String> = l.items.iter().map(|x| print_arg(x, spec, verb)).collect();
            format!("[{}]", parts.join(" "))
        }
        Val::Obj(o) => match o.kind {
            ObjKind::Map { .. } | ObjKind::Header => {
                let parts: Vec<String> = o
                    .ordered()
                    .into_iter()
                    .map(|(k, v)| format!("{}:{}", print_arg(&Val::str(k), spec, verb), print_arg(v, spec, verb)))
                    .collect();
                format!("map[{}]", parts.join(" "))
            }
            ObjKind::Struct | ObjKind::Context { .. } => {
                let parts: Vec<String> = o.entries.iter().map(|(_, v)| print_arg(v, spec, verb)).collect();
                format!("{{{}}}", parts.join(" "))
            }
        },
    }
}

fn truncate(s: &str, prec: Option<usize>) -> String {
    match prec {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    }
}

fn fmt_int(i: i64, spec: &Spec, verb: char) -> Option<String> {
    let mag = i.unsigned_abs();
    let digits = match verb {
        'v' | 'd' => mag.to_string(),
        'b' => format!("{mag:b}"),
        'o' | 'O' => format!("{mag:o}"),
        'x' => format!("{mag:x}"),
        'X' => format!("{mag:X}"),
        'c' => return Some(spec.pad(&char::from_u32(u32::try_from(i).ok()?).unwrap_or('\u{FFFD}').to_string())),
        'q' => {
            let c = char::from_u32(u32::try_from(i).ok()?).unwrap_or('\u{FFFD}');
            let q = go_quote(&c.to_string());
            let inner = &q[1..q.len() - 1];
            let inner = if inner == "'" { "\\'".to_string() } else { inner.replace("\\\"", "\"") };
            return Some(spec.pad(&format!("'{inner}'")));
        }
        'U' => return Some(spec.pad(&format!("U+{mag:04X}"))),
        _ => return None,
    };
    let digits = match spec.prec {
        Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
        _ => digits,
    };
    let prefix = match (spec.sharp, verb) {
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        (true, 'o') | (_, 'O') => "0o",
        (true, 'b') => "0b",
        _ => "",
    };
    let sign = if i < 0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    Some(spec.pad(&format!("{sign}{prefix}{digits}")))
}
