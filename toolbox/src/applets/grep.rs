//! `grep`: basic and extended regular expressions, fixed strings, counts, names, context and recursion.

use super::{lines, options};
use crate::Proc;
use crate::getopt::Opts;
use crate::proc::strerror;
use crate::regex::Regex;

struct Matcher {
    regexes: Vec<Regex>,
    invert: bool,
}

impl Matcher {
    fn matches(&self, line: &str) -> bool {
        self.regexes.iter().any(|r| r.is_match(line)) != self.invert
    }
}

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(
        p,
        argv,
        "HhnlLoqvsrRiwFExcze:f:m:A:B:C:",
        &[("ignore-case", 'i'), ("invert-match", 'v'), ("count", 'c'), ("recursive", 'r'), ("quiet", 'q')],
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut operands = o.operands.clone();
    let mut patterns: Vec<String> = o.values('e').to_vec();
    for file in o.values('f') {
        match p.read_all(file) {
            Ok(data) => patterns.extend(lines(&data).iter().map(|l| String::from_utf8_lossy(l).into_owned())),
            Err(e) => {
                p.error("grep", &format!("{file}: {}", strerror(&e)));
                return 2;
            }
        }
    }
    if patterns.is_empty() {
        if operands.is_empty() {
            super::bad_usage(p, "grep", "");
            return 2;
        }
        patterns.push(operands.remove(0));
    }
    // A pattern with newlines is several patterns, as in every grep.
    let patterns: Vec<String> = patterns.iter().flat_map(|p| p.split('\n').map(str::to_string)).collect();
    let mut regexes = Vec::new();
    for pattern in &patterns {
        let (source, extended) = wrap(pattern, &o);
        match Regex::new(&source, extended, o.has('i')) {
            Ok(r) => regexes.push(r),
            Err(message) => {
                p.error("grep", &message);
                return 2;
            }
        }
    }
    let matcher = Matcher { regexes, invert: o.has('v') };
    let recursive = o.has('r') || o.has('R');
    if operands.is_empty() {
        operands.push(if recursive { ".".into() } else { "-".into() });
    }
    let mut files = Vec::new();
    for operand in &operands {
        if recursive && operand != "-" && p.host(operand).is_dir() {
            walk(p, operand, &mut files);
        } else {
            files.push(operand.clone());
        }
    }
    let names = (files.len() > 1 || recursive || o.has('H')) && !o.has('h');
    let mut matched = false;
    let mut error = false;
    for file in &files {
        if file != "-" && p.host(file).is_dir() {
            continue;
        }
        let data = match p.read_all(file) {
            Ok(d) => d,
            Err(e) => {
                if !o.has('s') {
                    p.error("grep", &format!("{file}: {}", strerror(&e)));
                }
                error = true;
                continue;
            }
        };
        let name = if file == "-" { "(standard input)" } else { file.as_str() };
        if search(p, &o, &matcher, &data, names.then_some(name)) {
            matched = true;
            if o.has('q') {
                return 0;
            }
        }
    }
    if error && !(o.has('q') && matched) { 2 } else { i32::from(!matched) }
}

/// Turns `-F`, `-w` and `-x` into the regular expression they mean; returns it and whether it is extended.
fn wrap(pattern: &str, o: &Opts) -> (String, bool) {
    let extended = o.has('E');
    let mut source = if o.has('F') {
        pattern.chars().fold(String::new(), |mut s, c| {
            if "\\.[]*^$+?(){}|".contains(c) && (extended || "\\.[]*^$".contains(c)) {
                s.push('\\');
            }
            s.push(c);
            s
        })
    } else {
        pattern.to_string()
    };
    if o.has('x') {
        source = if extended { format!("^({source})$") } else { format!("^\\({source}\\)$") };
    } else if o.has('w') {
        source = if extended {
            format!("(^|[^[:alnum:]_])({source})([^[:alnum:]_]|$)")
        } else {
            format!("\\(^\\|[^[:alnum:]_]\\)\\({source}\\)\\([^[:alnum:]_]\\|$\\)")
        };
    }
    (source, extended)
}

/// The files under a folder, sorted, for `grep -r`.
fn walk(p: &Proc, dir: &str, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(p.host(dir)) else { return };
    let mut names: Vec<String> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in names {
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        if p.host(&path).is_dir() {
            walk(p, &path, files);
        } else {
            files.push(path);
        }
    }
}

/// Searches one input and prints what the options ask for. Returns whether any line was selected.
fn search(p: &Proc, o: &Opts, matcher: &Matcher, data: &[u8], name: Option<&str>) -> bool {
    let max: usize = o.value('m').and_then(|m| m.parse().ok()).unwrap_or(usize::MAX);
    let context = |flag: char| o.value(flag).or(o.value('C')).and_then(|v| v.parse().ok()).unwrap_or(0usize);
    let (after, before) = (context('A'), context('B'));
    let quiet = o.has('q') || o.has('l') || o.has('L') || o.has('c');
    let mut count = 0;
    let mut out = String::new();
    let mut last_printed: Option<usize> = None;
    let mut after_left = 0;
    let all: Vec<String> = lines(data).iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
    for (i, line) in all.iter().enumerate() {
        if count >= max {
            // Lines after the last match are still printed as its context.
            if after_left > 0 && !quiet {
                print_line(&mut out, o, name, i, line, '-');
                last_printed = Some(i);
                after_left -= 1;
                continue;
            }
            break;
        }
        if matcher.matches(line) {
            count += 1;
            if quiet {
                continue;
            }
            let first_context = i.saturating_sub(before);
            let from = last_printed.map_or(first_context, |l| first_context.max(l + 1));
            if (before > 0 || after > 0) && last_printed.is_some_and(|l| from > l + 1) {
                out.push_str("--\n");
            }
            for (j, line) in all.iter().enumerate().take(i).skip(from) {
                print_line(&mut out, o, name, j, line, '-');
            }
            if o.has('o') && !o.has('v') {
                print_matches(&mut out, o, matcher, name, i, line);
            } else {
                print_line(&mut out, o, name, i, line, ':');
            }
            last_printed = Some(i);
            after_left = after;
        } else if after_left > 0 && !quiet {
            print_line(&mut out, o, name, i, line, '-');
            last_printed = Some(i);
            after_left -= 1;
        }
    }
    if o.has('q') {
        return count > 0;
    }
    if o.has('c') {
        match name {
            Some(n) => out.push_str(&format!("{n}:{count}\n")),
            None => out.push_str(&format!("{count}\n")),
        }
    }
    if o.has('l') && count > 0 {
        out.push_str(&format!("{}\n", name.unwrap_or("(standard input)")));
    }
    if o.has('L') && count == 0 {
        out.push_str(&format!("{}\n", name.unwrap_or("(standard input)")));
    }
    p.outs(&out);
    count > 0
}

fn print_line(out: &mut String, o: &Opts, name: Option<&str>, index: usize, line: &str, separator: char) {
    if let Some(name) = name {
        out.push_str(name);
        out.push(separator);
    }
    if o.has('n') {
        out.push_str(&format!("{}{separator}", index + 1));
    }
    out.push_str(line);
    out.push('\n');
}

/// `grep -o`: every non-empty match on the line, each on its own line.
fn print_matches(out: &mut String, o: &Opts, matcher: &Matcher, name: Option<&str>, index: usize, line: &str) {
    let mut at = 0;
    while at <= line.len() {
        let found = matcher
            .regexes
            .iter()
            .filter_map(|r| r.captures_from(line, at).and_then(|c| c[0]))
            .min_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
        let Some((start, end)) = found else { break };
        if end > start {
            print_line(out, o, name, index, &line[start..end], ':');
            at = end;
        } else {
            at = start + line[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
}
