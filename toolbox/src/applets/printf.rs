//! `printf`, and the backslash escapes that `echo -e` and `printf %b` share.

use crate::Proc;

/// Appends `text` with its backslash escapes processed. Returns `true` when `\c` asked to stop all output.
/// `octal_needs_zero` is `echo`'s rule (`\0NNN`); `printf` takes `\NNN`.
pub(crate) fn unescape(text: &str, out: &mut Vec<u8>, octal_needs_zero: bool) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' || i + 1 == bytes.len() {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let e = bytes[i + 1];
        i += 2;
        let simple = match e {
            b'\\' => Some(b'\\'),
            b'a' => Some(7),
            b'b' => Some(8),
            b'e' => Some(27),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        match e {
            b'c' => return true,
            b'x' => {
                let digits: Vec<u8> =
                    bytes[i..].iter().take(2).take_while(|b| b.is_ascii_hexdigit()).copied().collect();
                if digits.is_empty() {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(u8::from_str_radix(std::str::from_utf8(&digits).unwrap_or("0"), 16).unwrap_or(0));
                    i += digits.len();
                }
            }
            b'0'..=b'7' => {
                let (start, max) =
                    if octal_needs_zero && e == b'0' { (i, 3) } else { (i - 1, if e == b'0' { 4 } else { 3 }) };
                if octal_needs_zero && e != b'0' {
                    out.push(b'\\');
                    out.push(e);
                    continue;
                }
                let digits: Vec<u8> =
                    bytes[start..].iter().take(max).take_while(|b| (b'0'..=b'7').contains(b)).copied().collect();
                let value = digits.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                out.push((value & 0xff) as u8);
                i = start + digits.len();
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    false
}

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let who = p.who("printf").to_string();
    let args = if argv.get(1).is_some_and(|a| a == "--") { &argv[2..] } else { &argv[1..] };
    let Some(format) = args.first() else {
        return super::bad_usage(p, "printf", "");
    };
    let mut args = args[1..].iter();
    let mut out = Vec::new();
    let mut status = 0;
    loop {
        let before = args.len();
        let mut chars = format.char_indices().peekable();
        let mut literal = String::new();
        while let Some((_, c)) = chars.next() {
            if c != '%' {
                literal.push(c);
                continue;
            }
            if unescape(&std::mem::take(&mut literal), &mut out, false) {
                p.out(&out);
                return status;
            }
            let mut spec = String::from("%");
            while let Some(&(_, f)) = chars.peek() {
                if "-+ #0".contains(f) {
                    spec.push(f);
                    chars.next();
                } else {
                    break;
                }
            }
            let mut width = String::new();
            let mut precision: Option<String> = None;
            while let Some(&(_, d)) = chars.peek() {
                match d {
                    '0'..='9' => {
                        match &mut precision {
                            Some(p) => p.push(d),
                            None => width.push(d),
                        }
                        chars.next();
                    }
                    '*' => {
                        let value = args.next().map_or("0".to_string(), Clone::clone);
                        match &mut precision {
                            Some(p) => p.push_str(&value),
                            None => width.push_str(&value),
                        }
                        chars.next();
                    }
                    '.' => {
                        precision = Some(String::new());
                        chars.next();
                    }
                    _ => break,
                }
            }
            let Some((_, conv)) = chars.next() else {
                out.extend_from_slice(spec.as_bytes());
                break;
            };
            let flags = &spec[1..];
            let width: usize = width.parse().unwrap_or(0);
            let precision: Option<usize> = precision.map(|p| p.parse().unwrap_or(0));
            let text = match conv {
                '%' => "%".to_string(),
                's' => {
                    let s = args.next().map_or("", String::as_str);
                    match precision {
                        Some(n) => s.chars().take(n).collect(),
                        None => s.to_string(),
                    }
                }
                'b' => {
                    let mut bytes = Vec::new();
                    let stop = unescape(args.next().map_or("", String::as_str), &mut bytes, true);
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    if stop {
                        out.extend_from_slice(pad(&text, width, flags, false).as_bytes());
                        p.out(&out);
                        return status;
                    }
                    text
                }
                'c' => args.next().and_then(|a| a.chars().next()).map(String::from).unwrap_or_default(),
                'd' | 'i' | 'o' | 'u' | 'x' | 'X' => {
                    let n = integer(p, &who, args.next(), &mut status);
                    let digits = match conv {
                        'o' => format!("{n:o}"),
                        'x' => format!("{n:x}"),
                        'X' => format!("{n:X}"),
                        'u' => u64::from_ne_bytes(n.to_ne_bytes()).to_string(),
                        _ => n.unsigned_abs().to_string(),
                    };
                    let digits = match precision {
                        Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
                        _ => digits,
                    };
                    let sign = if matches!(conv, 'd' | 'i') {
                        if n < 0 {
                            "-"
                        } else if flags.contains('+') {
                            "+"
                        } else if flags.contains(' ') {
                            " "
                        } else {
                            ""
                        }
                    } else {
                        ""
                    };
                    let prefix = if flags.contains('#') && n != 0 {
                        match conv {
                            'x' => "0x",
                            'X' => "0X",
                            'o' => "0",
                            _ => "",
                        }
                    } else {
                        ""
                    };
                    numeric(&format!("{sign}{prefix}"), &digits, width, flags, precision.is_none())
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let arg = args.next();
                    let value = arg.map_or(Ok(0.0), |a| a.trim().parse::<f64>()).unwrap_or_else(|_| {
                        p.error(&who, &format!("invalid number '{}'", arg.map_or("", String::as_str)));
                        status = 1;
                        0.0
                    });
                    let precision = precision.unwrap_or(6);
                    let body = match conv {
                        'e' | 'E' => {
                            let s = format!("{:.*e}", precision, value.abs());
                            // C writes the exponent with a sign and two digits: 1.5e+00.
                            let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
                            let exp: i32 = exp.parse().unwrap_or(0);
                            let s = format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
                            if conv == 'E' { s.to_uppercase() } else { s }
                        }
                        'g' | 'G' => {
                            let s = format!("{}", value.abs());
                            if conv == 'G' { s.to_uppercase() } else { s }
                        }
                        _ => format!("{:.*}", precision, value.abs()),
                    };
                    let sign = if value < 0.0 {
                        "-"
                    } else if flags.contains('+') {
                        "+"
                    } else {
                        ""
                    };
                    numeric(sign, &body, width, flags, true)
                }
                other => {
                    p.error(&who, &format!("%{other}: invalid format"));
                    p.out(&out);
                    return 1;
                }
            };
            if matches!(conv, 's' | 'b' | 'c' | '%') {
                out.extend_from_slice(pad(&text, width, flags, false).as_bytes());
            } else {
                out.extend_from_slice(text.as_bytes());
            }
        }
        if unescape(&literal, &mut out, false) {
            break;
        }
        if args.len() == 0 || args.len() == before {
            break;
        }
    }
    p.out(&out);
    status
}

fn integer(p: &Proc, who: &str, arg: Option<&String>, status: &mut i32) -> i64 {
    let Some(arg) = arg else { return 0 };
    let text = arg.trim();
    // A leading quote gives the character's code, as in C's printf(1).
    if let Some(rest) = text.strip_prefix(['\'', '"']) {
        return rest.chars().next().map_or(0, |c| i64::from(u32::from(c)));
    }
    let parsed = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        i64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') && text.bytes().all(|b| b.is_ascii_digit()) {
        i64::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse().ok()
    };
    parsed.unwrap_or_else(|| {
        p.error(who, &format!("invalid number '{arg}'"));
        *status = 1;
        // Like C's strtol, the digits before the junk still count.
        text.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap_or(0)
    })
}

fn pad(text: &str, width: usize, flags: &str, zero: bool) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.to_string();
    }
    let fill = width - len;
    if flags.contains('-') {
        format!("{text}{}", " ".repeat(fill))
    } else if zero {
        format!("{}{text}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

fn numeric(sign: &str, digits: &str, width: usize, flags: &str, zero_allowed: bool) -> String {
    if flags.contains('0') && !flags.contains('-') && zero_allowed {
        let inner = width.saturating_sub(sign.len());
        format!("{sign}{}", pad(digits, inner, "", true))
    } else {
        pad(&format!("{sign}{digits}"), width, flags, false)
    }
}
