//! Line and character filters: `sort`, `uniq`, `cut`, `tr`.

use std::cmp::Ordering;

use super::{bad_usage, inputs, lines, options, read_input};
use crate::Proc;
use crate::getopt::Opts;
use crate::proc::strerror;

/// Reads every input of a filter as lines; failures are printed as `name: FILE: error`.
fn all_lines(p: &Proc, name: &str, operands: &[String]) -> (Vec<String>, i32) {
    let mut out = Vec::new();
    let mut status = 0;
    for file in inputs(operands) {
        match read_input(p, name, &file, false) {
            Some(data) => out.extend(lines(&data).iter().map(|l| String::from_utf8_lossy(l).into_owned())),
            None => status = 1,
        }
    }
    (out, status)
}

pub fn sort(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "nrufbdisgk:t:o:", &[("numeric-sort", 'n'), ("reverse", 'r'), ("unique", 'u')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let (mut lines, status) = all_lines(p, "sort", &o.operands);
    let key_cmp = |a: &String, b: &String| compare(&key(a, &o), &key(b, &o), &o);
    lines.sort_by(|a, b| {
        let ord = key_cmp(a, b);
        let ord = if ord == Ordering::Equal && !o.has('s') && !o.has('u') { a.cmp(b) } else { ord };
        if o.has('r') { ord.reverse() } else { ord }
    });
    if o.has('u') {
        lines.dedup_by(|a, b| key_cmp(a, b) == Ordering::Equal);
    }
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    match o.value('o') {
        Some(file) => match p.create(file, false) {
            Ok(out) => {
                let _ = out.borrow_mut().write_all(text.as_bytes());
            }
            Err(e) => {
                p.error("sort", &format!("can't open '{file}': {}", strerror(&e)));
                return 2;
            }
        },
        None => p.outs(&text),
    }
    status
}

/// The part of a line that `-k` selects (the whole line without `-k`).
fn key(line: &str, o: &Opts) -> String {
    let Some(spec) = o.value('k') else { return line.to_string() };
    let field =
        |s: &str| s.split('.').next().and_then(|f| f.trim_end_matches(char::is_alphabetic).parse::<usize>().ok());
    let (start, end) = match spec.split_once(',') {
        Some((s, e)) => (field(s).unwrap_or(1), field(e)),
        None => (field(spec).unwrap_or(1), None),
    };
    let fields: Vec<&str> = match o.value('t').and_then(|t| t.chars().next()) {
        Some(sep) => line.split(sep).collect(),
        None => line.split_whitespace().collect(),
    };
    let end = end.unwrap_or(fields.len()).min(fields.len());
    if start == 0 || start > end {
        return String::new();
    }
    let sep = o.value('t').map_or(" ".to_string(), ToString::to_string);
    fields[start - 1..end].join(&sep)
}

fn compare(a: &str, b: &str, o: &Opts) -> Ordering {
    if o.has('n') || o.has('g') {
        return leading_number(a).partial_cmp(&leading_number(b)).unwrap_or(Ordering::Equal);
    }
    let (a, b) = if o.has('b') { (a.trim_start(), b.trim_start()) } else { (a, b) };
    if o.has('f') { a.to_uppercase().cmp(&b.to_uppercase()) } else { a.cmp(b) }
}

fn leading_number(text: &str) -> f64 {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .take_while(|&(at, ch)| ch.is_ascii_digit() || ch == '.' || (at == 0 && (ch == '-' || ch == '+')))
        .map(|(at, ch)| at + ch.len_utf8())
        .last()
        .unwrap_or(0);
    text[..end].parse().unwrap_or(0.0)
}

pub fn uniq(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "cduif:s:w:", &[("count", 'c'), ("repeated", 'd'), ("unique", 'u')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let input = o.operands.first().cloned().unwrap_or_else(|| "-".to_string());
    let Some(data) = read_input(p, "uniq", &input, false) else { return 1 };
    let num = |f: char| o.value(f).and_then(|v| v.parse::<usize>().ok());
    let compared = |line: &str| {
        let mut rest = line;
        for _ in 0..num('f').unwrap_or(0) {
            rest = rest.trim_start();
            rest = rest.find(char::is_whitespace).map_or("", |at| &rest[at..]);
        }
        let mut s: String = rest.chars().skip(num('s').unwrap_or(0)).collect();
        if let Some(w) = num('w') {
            s = s.chars().take(w).collect();
        }
        if o.has('i') { s.to_lowercase() } else { s }
    };
    let all: Vec<String> = lines(&data).iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
    let mut out = String::new();
    let mut start = 0;
    while start < all.len() {
        let mut end = start + 1;
        while end < all.len() && compared(&all[end]) == compared(&all[start]) {
            end += 1;
        }
        let count = end - start;
        if (!o.has('d') || count > 1) && (!o.has('u') || count == 1) {
            if o.has('c') {
                out.push_str(&format!("{count:>7} {}\n", all[start]));
            } else {
                out.push_str(&format!("{}\n", all[start]));
            }
        }
        start = end;
    }
    match o.operands.get(1) {
        Some(file) => match p.create(file, false) {
            Ok(target) => {
                let _ = target.borrow_mut().write_all(out.as_bytes());
            }
            Err(e) => {
                p.error("uniq", &format!("{file}: {}", strerror(&e)));
                return 1;
            }
        },
        None => p.outs(&out),
    }
    0
}

/// A `cut` list (`1,3-5,7-`): inclusive 1-based ranges.
fn ranges(list: &str) -> Option<Vec<(usize, usize)>> {
    list.split(',')
        .map(|part| match part.split_once('-') {
            Some((lo, hi)) => {
                let lo = if lo.is_empty() { 1 } else { lo.parse().ok()? };
                let hi = if hi.is_empty() { usize::MAX } else { hi.parse().ok()? };
                Some((lo, hi))
            }
            None => part.parse().ok().map(|n| (n, n)),
        })
        .collect()
}

pub fn cut(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "d:f:c:b:sn", &[("delimiter", 'd'), ("fields", 'f'), ("characters", 'c')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some((mode, list)) = ['f', 'c', 'b'].iter().find_map(|&m| o.value(m).map(|v| (m, v))) else {
        p.error("cut", "expected a list of bytes, characters, or fields");
        return 1;
    };
    let Some(ranges) = ranges(list) else {
        p.error("cut", &format!("invalid byte or character range '{list}'"));
        return 1;
    };
    let wanted = |n: usize| ranges.iter().any(|&(lo, hi)| lo <= n && n <= hi);
    let delim = o.value('d').and_then(|d| d.chars().next()).unwrap_or('\t');
    let (lines, status) = all_lines(p, "cut", &o.operands);
    let mut out = String::new();
    for line in lines {
        if mode == 'f' {
            if !line.contains(delim) {
                if !o.has('s') {
                    out.push_str(&format!("{line}\n"));
                }
                continue;
            }
            let fields: Vec<&str> =
                line.split(delim).enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, f)| f).collect();
            out.push_str(&fields.join(&delim.to_string()));
        } else {
            out.extend(line.chars().enumerate().filter(|(i, _)| wanted(i + 1)).map(|(_, c)| c));
        }
        out.push('\n');
    }
    p.outs(&out);
    status
}

/// Expands a `tr` set: escapes, ranges and `[:class:]`.
fn expand_set(set: &str) -> Vec<char> {
    let mut raw = Vec::new();
    let chars: Vec<char> = set.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let class = &rest[..end];
                let test: fn(&u8) -> bool = match class {
                    "alpha" => u8::is_ascii_alphabetic,
                    "digit" => u8::is_ascii_digit,
                    "alnum" => u8::is_ascii_alphanumeric,
                    "upper" => u8::is_ascii_uppercase,
                    "lower" => u8::is_ascii_lowercase,
                    "space" => u8::is_ascii_whitespace,
                    "punct" => u8::is_ascii_punctuation,
                    "xdigit" => u8::is_ascii_hexdigit,
                    _ => |_: &u8| false,
                };
                raw.extend((0u8..128).filter(test).map(char::from));
                i += 2 + class.len() + 2;
                continue;
            }
        }
        let (c, used) = if chars[i] == '\\' && i + 1 < chars.len() {
            let e = chars[i + 1];
            if e.is_digit(8) {
                let digits: String = chars[i + 1..].iter().take(3).take_while(|c| c.is_digit(8)).collect();
                (char::from(u8::from_str_radix(&digits, 8).unwrap_or(0)), 1 + digits.len())
            } else {
                (
                    match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        'a' => '\x07',
                        'b' => '\x08',
                        'f' => '\x0c',
                        'v' => '\x0b',
                        o => o,
                    },
                    2,
                )
            }
        } else {
            (chars[i], 1)
        };
        i += used;
        if chars.get(i) == Some(&'-') && i + 1 < chars.len() {
            let hi = chars[i + 1];
            raw.extend((c..=hi).collect::<Vec<_>>());
            i += 2;
        } else {
            raw.push(c);
        }
    }
    raw
}

pub fn tr(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "cdsC", &[("delete", 'd'), ("squeeze-repeats", 's'), ("complement", 'c')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let delete = o.has('d');
    let squeeze = o.has('s');
    let translate = !delete && o.operands.len() >= 2;
    if o.operands.is_empty() || (!delete && !squeeze && o.operands.len() < 2) {
        return bad_usage(p, "tr", "");
    }
    let set1 = expand_set(&o.operands[0]);
    let complement = o.has('c') || o.has('C');
    let in_set1 = |c: char| set1.contains(&c) != complement;
    let set2 = o.operands.get(1).map(|s| expand_set(s)).unwrap_or_default();
    let squeeze_set: Vec<char> = if translate || (delete && squeeze) { set2.clone() } else { set1.clone() };
    let data = p.read_stdin();
    let text = String::from_utf8_lossy(&data);
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in text.chars() {
        if delete && in_set1(c) {
            continue;
        }
        let mapped = if translate && in_set1(c) {
            let index =
                if complement { set2.len().saturating_sub(1) } else { set1.iter().rposition(|&s| s == c).unwrap_or(0) };
            set2.get(index).or(set2.last()).copied().unwrap_or(c)
        } else {
            c
        };
        let squeezable = if squeeze_set.is_empty() && squeeze && !translate {
            in_set1(mapped)
        } else {
            squeeze_set.contains(&mapped)
        };
        if squeeze && squeezable && last == Some(mapped) {
            continue;
        }
        out.push(mapped);
        last = Some(mapped);
    }
    p.outs(&out);
    0
}
