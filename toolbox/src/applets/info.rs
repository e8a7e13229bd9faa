//! Small applets: `echo`, `true`, `false`, `pwd`, `env`, `printenv`, `hostname`, `id`, `whoami`, `uname`, `sleep`,
//! `seq`, `basename`, `dirname`, `which`, `xargs`.

use std::time::Duration;

use super::{bad_usage, options};
use crate::Proc;

pub fn echo(p: &mut Proc, argv: &[String]) -> i32 {
    let mut args = &argv[1..];
    let mut newline = true;
    let mut escapes = false;
    while let Some(arg) = args.first() {
        if arg.len() > 1 && arg.starts_with('-') && arg[1..].chars().all(|c| "neE".contains(c)) {
            for c in arg[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            args = &args[1..];
        } else {
            break;
        }
    }
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            if super::printf::unescape(arg, &mut out, true) {
                p.out(&out);
                return 0;
            }
        } else {
            out.extend_from_slice(arg.as_bytes());
        }
    }
    if newline {
        out.push(b'\n');
    }
    p.out(&out);
    0
}

pub fn true_(_: &mut Proc, _: &[String]) -> i32 {
    0
}

pub fn false_(_: &mut Proc, _: &[String]) -> i32 {
    1
}

pub fn pwd(p: &mut Proc, _: &[String]) -> i32 {
    p.outs(&format!("{}\n", p.cwd));
    0
}

pub fn env(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "+iu:0", &[("ignore-environment", 'i'), ("unset", 'u'), ("null", '0')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut child = p.clone();
    let mut rest = o.operands.as_slice();
    if o.has('i') || rest.first().is_some_and(|a| a == "-") {
        child.env.clear();
        if rest.first().is_some_and(|a| a == "-") {
            rest = &rest[1..];
        }
    }
    for name in o.values('u') {
        child.env.retain(|(k, _)| k != name);
    }
    while let Some((name, value)) = rest.first().and_then(|a| a.split_once('=')) {
        child.set_var(name, value);
        rest = &rest[1..];
    }
    if rest.is_empty() {
        let end = if o.has('0') { '\0' } else { '\n' };
        let text: String = child.env.iter().map(|(k, v)| format!("{k}={v}{end}")).collect();
        p.outs(&text);
        return 0;
    }
    crate::shell::exec(&mut child, rest).unwrap_or_else(|| {
        p.error("env", &format!("can't execute '{}': No such file or directory", rest[0]));
        127
    })
}

pub fn printenv(p: &mut Proc, argv: &[String]) -> i32 {
    if argv.len() == 1 {
        let text: String = p.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        p.outs(&text);
        return 0;
    }
    let mut status = 0;
    for name in &argv[1..] {
        match p.var(name) {
            Some(value) => p.outs(&format!("{value}\n")),
            None => status = 1,
        }
    }
    status
}

/// The container's host name: `$HOSTNAME` (Docker sets it), else `/etc/hostname`.
pub(crate) fn host_name(p: &Proc) -> String {
    if let Some(name) = p.var("HOSTNAME").filter(|n| !n.is_empty()) {
        return name.to_string();
    }
    std::fs::read_to_string(p.host("/etc/hostname"))
        .ok()
        .and_then(|s| s.lines().next().map(str::trim).map(str::to_string))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

pub fn hostname(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "sfidF:", &[("short", 's'), ("fqdn", 'f'), ("ip-address", 'i')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    if !o.operands.is_empty() || o.has('F') {
        p.error("hostname", "sethostname: Operation not permitted");
        return 1;
    }
    let name = host_name(p);
    if o.has('i') {
        // The address is the one /etc/hosts gives the name, as Docker writes it.
        let hosts = std::fs::read_to_string(p.host("/etc/hosts")).unwrap_or_default();
        let ips: Vec<&str> = hosts
            .lines()
            .filter_map(|l| {
                let mut fields = l.split_whitespace();
                let ip = fields.next()?;
                fields.any(|f| f == name).then_some(ip)
            })
            .collect();
        if ips.is_empty() {
            p.error("hostname", &format!("{name}: Unknown host"));
            return 1;
        }
        p.outs(&format!("{}\n", ips.join(" ")));
        return 0;
    }
    let shown = if o.has('s') { name.split('.').next().unwrap_or(&name).to_string() } else { name };
    p.outs(&format!("{shown}\n"));
    0
}

/// Entries of a colon-separated database (`/etc/passwd`, `/etc/group`) in the container.
fn database(p: &Proc, path: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(p.host(path)).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split(':').map(str::to_string).collect())
        .filter(|f: &Vec<String>| f.len() >= 3)
        .collect()
}

fn user_name(p: &Proc, uid: u32) -> Option<String> {
    database(p, "/etc/passwd").into_iter().find(|f| f[2] == uid.to_string()).map(|f| f[0].clone())
}

fn group_name(p: &Proc, gid: u32) -> Option<String> {
    database(p, "/etc/group").into_iter().find(|f| f[2] == gid.to_string()).map(|f| f[0].clone())
}

fn named(id: u32, name: Option<String>) -> String {
    match name {
        Some(n) => format!("{id}({n})"),
        None => id.to_string(),
    }
}

pub fn id(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "ugGnr", &[("user", 'u'), ("group", 'g'), ("groups", 'G'), ("name", 'n')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let (uid, gid) = if let Some(user) = o.operands.first() {
        let Some(f) = database(p, "/etc/passwd").into_iter().find(|f| &f[0] == user && f.len() >= 4) else {
            p.error("id", &format!("unknown user {user}"));
            return 1;
        };
        (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0))
    } else {
        (p.uid, p.gid)
    };
    let name = user_name(p, uid);
    // Docker gives a process its primary group plus the groups that list its user in /etc/group.
    let mut groups = vec![gid];
    if let Some(name) = &name {
        for f in database(p, "/etc/group") {
            let member = f.get(3).is_some_and(|m| m.split(',').any(|u| u == name));
            if let (true, Ok(g)) = (member, f[2].parse::<u32>()) {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
    }
    let show = |id: u32, name: Option<String>| {
        if o.has('n') { name.unwrap_or_else(|| id.to_string()) } else { id.to_string() }
    };
    let line = if o.has('u') {
        show(uid, name)
    } else if o.has('g') {
        show(gid, group_name(p, gid))
    } else if o.has('G') {
        groups.iter().map(|&g| show(g, group_name(p, g))).collect::<Vec<_>>().join(" ")
    } else {
        let list: Vec<String> = groups.iter().map(|&g| named(g, group_name(p, g))).collect();
        format!("uid={} gid={} groups={}", named(uid, name), named(gid, group_name(p, gid)), list.join(","))
    };
    p.outs(&format!("{line}\n"));
    0
}

pub fn whoami(p: &mut Proc, _: &[String]) -> i32 {
    if let Some(name) = user_name(p, p.uid) {
        p.outs(&format!("{name}\n"));
        0
    } else {
        p.error("whoami", &format!("unknown uid {}", p.uid));
        1
    }
}

pub fn uname(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "asnrvmpio", &[("all", 'a')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    // Docker Desktop's kernel, so that lessons read like a learner's own machine.
    let fields = [
        ('s', "Linux".to_string()),
        ('n', host_name(p)),
        ('r', "6.10.14-linuxkit".to_string()),
        ('v', "#1 SMP PREEMPT_DYNAMIC Fri Nov 29 17:24:06 UTC 2024".to_string()),
        ('m', "x86_64".to_string()),
        ('p', "unknown".to_string()),
        ('i', "unknown".to_string()),
        ('o', "GNU/Linux".to_string()),
    ];
    let mut shown: Vec<&str> = fields
        .iter()
        .filter(|(f, _)| o.has(*f) || (o.has('a') && !matches!(f, 'p' | 'i')))
        .map(|(_, v)| v.as_str())
        .collect();
    if shown.is_empty() {
        shown.push("Linux");
    }
    p.outs(&format!("{}\n", shown.join(" ")));
    0
}

pub fn sleep(p: &mut Proc, argv: &[String]) -> i32 {
    if argv.len() < 2 {
        return bad_usage(p, "sleep", "");
    }
    let mut total = 0f64;
    for arg in &argv[1..] {
        if arg.starts_with("inf") && "infinity".starts_with(arg.as_str()) {
            total = f64::INFINITY;
            continue;
        }
        let (number, scale) = match arg.char_indices().last() {
            Some((at, 's')) => (&arg[..at], 1.0),
            Some((at, 'm')) => (&arg[..at], 60.0),
            Some((at, 'h')) => (&arg[..at], 3600.0),
            Some((at, 'd')) => (&arg[..at], 86_400.0),
            _ => (arg.as_str(), 1.0),
        };
        match number.parse::<f64>() {
            Ok(n) if n >= 0.0 && !number.starts_with(['+', '-']) => total += n * scale,
            _ => {
                p.error("sleep", &format!("invalid number '{arg}'"));
                return 1;
            }
        }
    }
    p.flush();
    if total.is_infinite() {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    std::thread::sleep(Duration::from_secs_f64(total));
    0
}

pub fn seq(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "ws:", &[("equal-width", 'w'), ("separator", 's')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let args = &o.operands;
    if args.is_empty() || args.len() > 3 {
        return bad_usage(p, "seq", "");
    }
    let mut numbers = Vec::new();
    for arg in args {
        let Ok(n) = arg.parse::<f64>() else {
            p.error("seq", &format!("invalid number '{arg}'"));
            return 1;
        };
        numbers.push(n);
    }
    let (first, step, last) = match numbers.as_slice() {
        [last] => (1.0, 1.0, *last),
        [first, last] => (*first, 1.0, *last),
        [first, step, last] => (*first, *step, *last),
        _ => unreachable!(),
    };
    let decimals = args.iter().map(|a| a.split_once('.').map_or(0, |(_, f)| f.len())).max().unwrap_or(0);
    let width =
        if o.has('w') { [first, last].iter().map(|n| format!("{n:.decimals$}").len()).max().unwrap_or(0) } else { 0 };
    let sep = o.value('s').unwrap_or("\n");
    let mut out = String::new();
    let mut i = 0u32;
    loop {
        let n = first + step * f64::from(i);
        if step == 0.0 || (step > 0.0 && n > last + 1e-9) || (step < 0.0 && n < last - 1e-9) {
            break;
        }
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&format!("{n:0width$.decimals$}"));
        i += 1;
        if out.len() > 1 << 16 {
            p.outs(&out);
            out.clear();
        }
    }
    if i > 0 {
        out.push('\n');
    }
    p.outs(&out);
    0
}

pub fn basename(p: &mut Proc, argv: &[String]) -> i32 {
    if argv.len() < 2 || argv.len() > 3 {
        return bad_usage(p, "basename", "");
    }
    let mut name = crate::basename(&argv[1]).to_string();
    if let Some(suffix) = argv.get(2) {
        if name.len() > suffix.len() && name.ends_with(suffix.as_str()) {
            name.truncate(name.len() - suffix.len());
        }
    }
    p.outs(&format!("{name}\n"));
    0
}

pub fn dirname(p: &mut Proc, argv: &[String]) -> i32 {
    if argv.len() != 2 {
        return bad_usage(p, "dirname", "");
    }
    let path = argv[1].trim_end_matches('/');
    let dir = match path.rfind('/') {
        _ if argv[1].starts_with('/') && path.is_empty() => "/",
        Some(at) => {
            let dir = path[..at].trim_end_matches('/');
            if dir.is_empty() { "/" } else { dir }
        }
        None => ".",
    };
    p.outs(&format!("{dir}\n"));
    0
}

pub fn which(p: &mut Proc, argv: &[String]) -> i32 {
    let mut status = 0;
    for name in &argv[1..] {
        match crate::shell::find_in_path(p, name) {
            Some(path) => p.outs(&format!("{path}\n")),
            None => status = 1,
        }
    }
    status
}

pub fn xargs(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "+n:I:i:0rtxs:d:P:", &[("null", '0'), ("no-run-if-empty", 'r')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let mut command = o.operands.clone();
    if command.is_empty() {
        command.push("echo".to_string());
    }
    let input = String::from_utf8_lossy(&p.read_stdin()).into_owned();
    let replace = o.value('I').or(o.value('i'));
    let items: Vec<String> = if replace.is_some() {
        input.lines().map(|l| l.trim_start().to_string()).filter(|l| !l.is_empty()).collect()
    } else if o.has('0') {
        input.split('\0').filter(|s| !s.is_empty()).map(str::to_string).collect()
    } else if let Some(d) = o.value('d') {
        let d = if d == "\\n" { '\n' } else { d.chars().next().unwrap_or('\n') };
        input.split(d).filter(|s| !s.is_empty()).map(str::to_string).collect()
    } else {
        split_items(&input)
    };
    if items.is_empty() && o.has('r') {
        return 0;
    }
    let per: usize =
        if replace.is_some() { 1 } else { o.value('n').and_then(|n| n.parse().ok()).unwrap_or(usize::MAX) };
    let batches: Vec<&[String]> = if items.is_empty() { vec![&[]] } else { items.chunks(per.max(1)).collect() };
    let mut status = 0;
    for batch in batches {
        let args: Vec<String> = match replace {
            Some(r) => command.iter().map(|a| a.replace(r, &batch[0])).collect(),
            None => command.iter().chain(batch.iter()).cloned().collect(),
        };
        if o.has('t') {
            p.errs(&format!("{}\n", args.join(" ")));
        }
        let mut child = p.clone();
        child.stdin = std::rc::Rc::new(std::cell::RefCell::new(std::io::empty()));
        match crate::shell::exec(&mut child, &args) {
            None => {
                p.error("xargs", &format!("{}: No such file or directory", args[0]));
                return 127;
            }
            Some(255) => {
                p.error("xargs", &format!("{}: exited with status 255; aborting", args[0]));
                return 124;
            }
            Some(0) => {}
            Some(_) => status = 123,
        }
    }
    status
}

/// Splits xargs input into items: blanks separate, quotes and backslashes protect.
fn split_items(input: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut in_item = false;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_item = true;
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    current.push(q);
                }
            }
            '\\' => {
                in_item = true;
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_item {
                    items.push(std::mem::take(&mut current));
                    in_item = false;
                }
            }
            c => {
                in_item = true;
                current.push(c);
            }
        }
    }
    if in_item {
        items.push(current);
    }
    items
}
