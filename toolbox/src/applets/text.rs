//! Applets that pass files through: `cat`, `head`, `tail`, `wc`, `tee`.

use std::io::Read;
use std::time::Duration;

use super::{inputs, lines, number, options, read_input};
use crate::Proc;
use crate::proc::strerror;

/// Copies stdin to stdout (and to `also`) as it arrives, so `docker run -i busybox cat` echoes each line at once.
fn pump(p: &Proc, also: &mut [crate::Output]) {
    loop {
        let chunk = {
            let mut stdin = p.stdin.borrow_mut();
            match stdin.fill_buf() {
                Ok([]) | Err(_) => break,
                Ok(buf) => {
                    let chunk = buf.to_vec();
                    stdin.consume(chunk.len());
                    chunk
                }
            }
        };
        p.out(&chunk);
        for out in also.iter_mut() {
            let _ = out.borrow_mut().write_all(&chunk);
        }
        p.flush();
    }
}

pub fn cat(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "nbuvteA", &[("number", 'n')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let number = o.has('n') || o.has('b');
    let mut status = 0;
    let mut line_no = 0;
    for input in inputs(&o.operands) {
        if input == "-" && !number {
            pump(p, &mut []);
            continue;
        }
        let data = match p.read_all(&input) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
                p.error("cat", &format!("read error: {}", strerror(&e)));
                status = 1;
                continue;
            }
            Err(e) => {
                p.error("cat", &format!("can't open '{input}': {}", strerror(&e)));
                status = 1;
                continue;
            }
        };
        if !number {
            p.out(&data);
            continue;
        }
        let mut out = Vec::new();
        for line in data.split_inclusive(|&b| b == b'\n') {
            if o.has('b') && line == b"\n" {
                out.extend_from_slice(line);
                continue;
            }
            line_no += 1;
            out.extend_from_slice(format!("{line_no:>6}\t").as_bytes());
            out.extend_from_slice(line);
        }
        p.out(&out);
    }
    status
}

/// Rewrites the historical `-5` and `+5` count shorthands (first argument only) as `-n 5` and `-n +5`.
fn count_shorthand(argv: &[String], allow_plus: bool) -> Vec<String> {
    let mut out = vec![argv[0].clone()];
    for (i, arg) in argv.iter().enumerate().skip(1) {
        if i > 1 {
            out.push(arg.clone());
            continue;
        }
        let digits = arg.len() > 1 && arg[1..].bytes().all(|b| b.is_ascii_digit());
        if digits && arg.starts_with('-') {
            out.extend(["-n".to_string(), arg[1..].to_string()]);
        } else if digits && allow_plus && arg.starts_with('+') {
            out.extend(["-n".to_string(), arg.clone()]);
        } else {
            out.push(arg.clone());
        }
    }
    out
}

pub fn head(p: &mut Proc, argv: &[String]) -> i32 {
    let argv = count_shorthand(argv, false);
    let o = match options(p, &argv, "n:c:qv", &[("lines", 'n'), ("bytes", 'c'), ("quiet", 'q')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let (by_bytes, spec) = match (o.value('c'), o.value('n')) {
        (Some(c), _) if o.last_of("cn") == Some('c') => (true, c),
        (_, Some(n)) => (false, n),
        _ => (false, "10"),
    };
    let all_but = spec.starts_with('-');
    let count = match number(p, "head", spec.trim_start_matches(['-', '+'])) {
        Ok(n) => n as usize,
        Err(code) => return code,
    };
    let files = inputs(&o.operands);
    let headers = (files.len() > 1 && !o.has('q')) || o.has('v');
    let mut status = 0;
    for (i, file) in files.iter().enumerate() {
        let Some(data) = read_input(p, "head", file, false) else {
            status = 1;
            continue;
        };
        if headers {
            let name = if file == "-" { "standard input" } else { file };
            p.outs(&format!("{}==> {name} <==\n", if i > 0 { "\n" } else { "" }));
        }
        let end = if by_bytes {
            if all_but { data.len().saturating_sub(count) } else { count.min(data.len()) }
        } else {
            let ends = line_ends(&data);
            if all_but {
                let keep = ends.len().saturating_sub(count);
                if keep == 0 { 0 } else { ends[keep - 1] }
            } else if count == 0 {
                0
            } else {
                ends.get(count - 1).copied().unwrap_or(data.len())
            }
        };
        p.out(&data[..end]);
    }
    status
}

/// The offsets just past each line (after its newline, or the end of the data for a last unterminated line).
fn line_ends(data: &[u8]) -> Vec<usize> {
    let mut ends: Vec<usize> = data.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1).collect();
    if !data.is_empty() && !data.ends_with(b"\n") {
        ends.push(data.len());
    }
    ends
}

pub fn tail(p: &mut Proc, argv: &[String]) -> i32 {
    let argv = count_shorthand(argv, true);
    let o = match options(p, &argv, "n:c:fFqsv", &[("lines", 'n'), ("bytes", 'c'), ("follow", 'f')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let (by_bytes, spec) = match (o.value('c'), o.value('n')) {
        (Some(c), _) if o.last_of("cn") == Some('c') => (true, c),
        (_, Some(n)) => (false, n),
        _ => (false, "10"),
    };
    let from_start = spec.starts_with('+');
    let count = match number(p, "tail", spec.trim_start_matches(['-', '+'])) {
        Ok(n) => n as usize,
        Err(code) => return code,
    };
    let files = inputs(&o.operands);
    let headers = (files.len() > 1 && !o.has('q')) || o.has('v');
    let mut status = 0;
    let mut opened = 0;
    let mut sizes = Vec::new();
    for file in &files {
        let data = match p.read_all(file) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => {
                p.error("tail", &format!("read error: {}", strerror(&e)));
                status = 1;
                continue;
            }
            Err(e) => {
                p.error("tail", &format!("can't open '{file}': {}", strerror(&e)));
                status = 1;
                continue;
            }
        };
        if headers {
            let name = if file == "-" { "standard input" } else { file };
            p.outs(&format!("{}==> {name} <==\n", if opened > 0 { "\n" } else { "" }));
        }
        opened += 1;
        let start = if by_bytes {
            if from_start { count.saturating_sub(1).min(data.len()) } else { data.len().saturating_sub(count) }
        } else {
            let ends = line_ends(&data);
            if from_start {
                if count <= 1 { 0 } else { ends.get(count - 2).copied().unwrap_or(data.len()) }
            } else if ends.len() > count {
                ends[ends.len() - count - 1]
            } else {
                0
            }
        };
        p.out(&data[start..]);
        sizes.push((file.clone(), data.len()));
    }
    if opened == 0 {
        p.error("tail", "no files");
        return 1;
    }
    if o.has('f') || o.has('F') {
        follow(p, &sizes);
    }
    status
}

/// `tail -f`: prints what is appended to the files, forever (the container's stop ends it). `tail -f /dev/null`
/// is the usual way to keep a container running.
fn follow(p: &Proc, sizes: &[(String, usize)]) -> ! {
    let mut sizes: Vec<(String, usize)> = sizes.iter().filter(|(f, _)| f != "-").cloned().collect();
    loop {
        p.flush();
        std::thread::sleep(Duration::from_millis(500));
        for (file, seen) in &mut sizes {
            let Ok(mut f) = std::fs::File::open(p.host(file)) else { continue };
            let mut data = Vec::new();
            if f.read_to_end(&mut data).is_ok() && data.len() > *seen {
                p.out(&data[*seen..]);
                *seen = data.len();
            } else if data.len() < *seen {
                *seen = data.len();
            }
        }
    }
}

pub fn wc(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "lwcmL", &[("lines", 'l'), ("words", 'w'), ("bytes", 'c'), ("chars", 'm')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut which: Vec<char> = "lwcmL".chars().filter(|&c| o.has(c)).collect();
    if which.is_empty() {
        which = vec!['l', 'w', 'c'];
    }
    let files = inputs(&o.operands);
    let pad = which.len() > 1 || files.len() > 1;
    let mut totals = [0u64; 5];
    let mut status = 0;
    let row = |counts: &[u64; 5], name: Option<&str>| {
        let mut line = String::new();
        for (i, c) in which.iter().enumerate() {
            let n = counts["lwcmL".find(*c).unwrap_or(0)];
            if pad {
                line.push_str(&format!("{}{n:>9}", if i > 0 { " " } else { "" }));
            } else {
                line.push_str(&n.to_string());
            }
        }
        if let Some(name) = name {
            line.push(' ');
            line.push_str(name);
        }
        line.push('\n');
        line
    };
    for file in &files {
        let data = match p.read_all(file) {
            Ok(d) => d,
            Err(e) => {
                p.error("wc", &format!("{file}: {}", strerror(&e)));
                status = 1;
                if e.kind() != std::io::ErrorKind::IsADirectory {
                    continue;
                }
                Vec::new()
            }
        };
        let text = String::from_utf8_lossy(&data);
        // No bytecount crate: the toolbox depends on std alone.
        #[allow(clippy::naive_bytecount)]
        let newlines = data.iter().filter(|&&b| b == b'\n').count() as u64;
        let counts = [
            newlines,
            text.split_whitespace().count() as u64,
            data.len() as u64,
            text.chars().count() as u64,
            lines(&data).iter().map(|l| String::from_utf8_lossy(l).chars().count() as u64).max().unwrap_or(0),
        ];
        for i in 0..4 {
            totals[i] += counts[i];
        }
        totals[4] = totals[4].max(counts[4]);
        p.outs(&row(&counts, (file != "-").then_some(file.as_str())));
    }
    if files.len() > 1 {
        p.outs(&row(&totals, Some("total")));
    }
    status
}

pub fn tee(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "ai", &[("append", 'a')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut status = 0;
    let mut outputs = Vec::new();
    for file in &o.operands {
        match p.create(file, o.has('a')) {
            Ok(out) => outputs.push(out),
            Err(e) => {
                p.error("tee", &format!("{file}: {}", strerror(&e)));
                status = 1;
            }
        }
    }
    pump(p, &mut outputs);
    for out in &outputs {
        let _ = out.borrow_mut().flush();
    }
    status
}
