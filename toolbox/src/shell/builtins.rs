//! The shell's own commands: the ones that change the shell (`cd`, `export`, `set`, `exit`, …). `echo`, `printf`,
//! `test`, `true`, `false` and `pwd` are applets run with the shell's name.

use super::{Flow, Io, Shell};
use crate::proc::strerror;

const SPECIAL: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "local", "readonly", "return", "set", "shift",
    "source", "trap", "unset",
];
const REGULAR: &[&str] =
    &["cd", "chdir", "command", "read", "type", "umask", "ulimit", "wait", "hash", "alias", "unalias"];

pub(super) fn is_special(name: &str) -> bool {
    SPECIAL.contains(&name)
}

pub(super) fn is_regular(name: &str) -> bool {
    REGULAR.contains(&name)
}

/// Single-quotes a value for `set` and `export -p` output.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\"'\"'"))
}

impl Shell {
    pub(super) fn run_builtin(&mut self, argv: &[String], io: &Io) -> Flow {
        let name = argv[0].as_str();
        let args = &argv[1..];
        let out = |text: &str| {
            let _ = io.stdout.borrow_mut().write_all(text.as_bytes());
        };
        let (status, flow) = match name {
            "cd" | "chdir" => (self.cd(args, io), Flow::Normal),
            "exit" | "return" => {
                let status = match args.first() {
                    None => self.status,
                    Some(n) => match n.parse::<i32>() {
                        Ok(n) if n >= 0 => n & 0xff,
                        _ => {
                            self.msg(io, Some(name), &format!("Illegal number: {n}"));
                            self.status = 2;
                            return Flow::Exit;
                        }
                    },
                };
                let flow = if name == "return" && self.func_depth > 0 { Flow::Return } else { Flow::Exit };
                (status, flow)
            }
            "break" | "continue" => {
                let n = args.first().and_then(|n| n.parse::<u32>().ok()).unwrap_or(1).max(1);
                if self.loop_depth == 0 {
                    (0, Flow::Normal)
                } else {
                    let n = n.min(self.loop_depth);
                    (0, if name == "break" { Flow::Break(n) } else { Flow::Continue(n) })
                }
            }
            "export" | "readonly" => {
                if args.is_empty() || args[0] == "-p" {
                    let listing: String = self
                        .vars
                        .iter()
                        .filter(|(_, v)| v.exported || name == "readonly")
                        .map(|(k, v)| format!("{name} {k}={}\n", shell_quote(&v.value)))
                        .collect();
                    out(&listing);
                }
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    match arg.split_once('=') {
                        Some((k, v)) => self.set_var(k, v),
                        None if self.var(arg).is_none() && name == "export" => {
                            // `export NAME` of an unset variable marks it for when it is set; keep it simple: set empty.
                            continue;
                        }
                        None => {}
                    }
                    let key = arg.split_once('=').map_or(arg.as_str(), |(k, _)| k);
                    if name == "export" {
                        self.export(key);
                    }
                }
                (0, Flow::Normal)
            }
            "local" => {
                for arg in args {
                    let (key, value) = arg.split_once('=').map_or((arg.as_str(), None), |(k, v)| (k, Some(v)));
                    if let Some(frame) = self.locals.last_mut() {
                        if !frame.iter().any(|(n, _)| n == key) {
                            frame.push((key.to_string(), self.vars.get(key).cloned()));
                        }
                    }
                    let value =
                        value.map(str::to_string).or_else(|| self.var(key).map(str::to_string)).unwrap_or_default();
                    self.set_var(key, &value);
                }
                (0, Flow::Normal)
            }
            "unset" => {
                let functions = args.first().is_some_and(|a| a == "-f");
                for arg in args.iter().filter(|a| !a.starts_with('-')) {
                    if functions {
                        self.functions.remove(arg.as_str());
                    } else {
                        self.unset(arg);
                    }
                }
                (0, Flow::Normal)
            }
            "set" => (self.set_builtin(args, io), Flow::Normal),
            "shift" => {
                let n = args.first().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
                if n > self.positional.len() {
                    (1, Flow::Normal)
                } else {
                    self.positional.drain(..n);
                    (0, Flow::Normal)
                }
            }
            "eval" => {
                let source = args.join(" ");
                self.status = 0;
                let flow = self.run_source(&source, self.line, io);
                return flow;
            }
            "." | "source" => {
                let Some(file) = args.first() else {
                    self.msg(io, Some(name), "filename argument required");
                    return self.fail(2);
                };
                let proc = self.proc(io, &[]);
                let path = if file.contains('/') {
                    Some(file.clone())
                } else {
                    super::find_in_path(&proc, file).or_else(|| Some(file.clone()))
                };
                let path = path.unwrap_or_default();
                match std::fs::read(proc.host(&path)) {
                    Ok(bytes) => {
                        let source = String::from_utf8_lossy(&bytes).into_owned();
                        let saved = self.positional.clone();
                        if args.len() > 1 {
                            self.positional = args[1..].to_vec();
                        }
                        self.func_depth += 1;
                        let flow = self.run_source(&source, 1, io);
                        self.func_depth -= 1;
                        if args.len() > 1 {
                            self.positional = saved;
                        }
                        return if flow == Flow::Return { Flow::Normal } else { flow };
                    }
                    Err(e) => {
                        self.msg(io, Some(name), &format!("can't open '{file}': {}", strerror(&e)));
                        self.status = 2;
                        return if self.interactive { Flow::Normal } else { Flow::Exit };
                    }
                }
            }
            "exec" => {
                if args.is_empty() {
                    return Flow::Normal;
                }
                self.run_external(args, &[], io);
                return Flow::Exit;
            }
            "trap" => (self.trap(args, io), Flow::Normal),
            "read" => (self.read_builtin(args, io), Flow::Normal),
            "command" => {
                if args.first().is_some_and(|a| a == "-v" || a == "-V") {
                    let verbose = args[0] == "-V";
                    let mut status = 0;
                    for n in &args[1..] {
                        match self.describe(n, io) {
                            Some(d) => out(&format!("{}\n", if verbose { d.1 } else { d.0 })),
                            None => status = 1,
                        }
                    }
                    (status, Flow::Normal)
                } else if args.is_empty() {
                    (0, Flow::Normal)
                } else if is_special(&args[0]) || is_regular(&args[0]) {
                    return self.run_builtin(args, io);
                } else {
                    return self.run_external(args, &[], io);
                }
            }
            "type" => {
                let mut status = 0;
                for n in args {
                    if let Some((_, text)) = self.describe(n, io) {
                        out(&format!("{text}\n"));
                    } else {
                        out(&format!("{n}: not found\n"));
                        status = 1;
                    }
                }
                (status, Flow::Normal)
            }
            "umask" => {
                if args.is_empty() {
                    out("0022\n");
                }
                (0, Flow::Normal)
            }
            "ulimit" => {
                out("unlimited\n");
                (0, Flow::Normal)
            }
            // `:` and the builtins that only need to exist (`wait`, `hash`, `alias`) succeed.
            _ => (0, Flow::Normal),
        };
        self.status = status;
        flow
    }

    /// `trap`: lists the traps; `trap ACTION SIGNAL...` sets them (`-` resets, an empty action ignores);
    /// `trap SIGNAL` alone resets it, as ash does.
    fn trap(&mut self, args: &[String], io: &Io) -> i32 {
        // `--` ends the options, as in the `trap -- ACTION SIGNAL` lines `trap` prints.
        let args = args.strip_prefix(&["--".to_string()][..]).unwrap_or(args);
        let Some((first, rest)) = args.split_first() else {
            let mut text = String::new();
            if let Some(a) = &self.exit_trap {
                text.push_str(&format!("trap -- {} EXIT\n", shell_quote(a)));
            }
            for (sig, a) in &self.signal_traps {
                text.push_str(&format!("trap -- {} {}\n", shell_quote(a), crate::signals::name(*sig)));
            }
            let _ = io.stdout.borrow_mut().write_all(text.as_bytes());
            return 0;
        };
        let (action, signals) = if rest.is_empty() { (None, args) } else { (Some(first.as_str()), rest) };
        let action = action.filter(|a| *a != "-").map(str::to_string);
        let mut status = 0;
        for s in signals {
            if s == "EXIT" || s == "0" {
                self.exit_trap.clone_from(&action);
            } else if let Some(n) = crate::signals::number(s) {
                match &action {
                    Some(a) => {
                        self.signal_traps.insert(n, a.clone());
                    }
                    None => {
                        self.signal_traps.remove(&n);
                    }
                }
            } else {
                self.msg(io, Some("trap"), &format!("{s}: invalid signal specification"));
                status = 1;
            }
        }
        status
    }

    fn fail(&mut self, status: i32) -> Flow {
        self.status = status;
        Flow::Normal
    }

    /// What `command -v` and `type` say about a name: (short, long).
    fn describe(&self, name: &str, io: &Io) -> Option<(String, String)> {
        if self.functions.contains_key(name) {
            return Some((name.to_string(), format!("{name} is a function")));
        }
        if is_special(name) {
            return Some((name.to_string(), format!("{name} is a special shell builtin")));
        }
        if is_regular(name) || matches!(name, "echo" | "printf" | "test" | "[" | "true" | "false" | "pwd") {
            return Some((name.to_string(), format!("{name} is a shell builtin")));
        }
        let proc = self.proc(io, &[]);
        if let Some(path) = super::find_in_path(&proc, name) {
            return Some((path.clone(), format!("{name} is {path}")));
        }
        crate::applets::find(name).map(|_| (name.to_string(), format!("{name} is {name}")))
    }

    fn cd(&mut self, args: &[String], io: &Io) -> i32 {
        let args: Vec<&String> = args.iter().filter(|a| !matches!(a.as_str(), "-L" | "-P")).collect();
        let (target, print) = match args.first().map(|s| s.as_str()) {
            None => (self.var("HOME").unwrap_or("/").to_string(), false),
            Some("-") => (self.var("OLDPWD").unwrap_or(&self.cwd).to_string(), true),
            Some(dir) => (dir.to_string(), false),
        };
        let proc = self.proc(io, &[]);
        let logical = proc.logical(&target);
        let error = match std::fs::metadata(proc.host(&target)) {
            Ok(meta) if meta.is_dir() => None,
            Ok(_) => Some("Not a directory".to_string()),
            Err(e) => Some(strerror(&e)),
        };
        if let Some(error) = error {
            self.msg(io, Some("cd"), &format!("can't cd to {target}: {error}"));
            return 2;
        }
        let old = std::mem::replace(&mut self.cwd, logical.trim_end_matches('/').to_string());
        if self.cwd.is_empty() {
            self.cwd = "/".to_string();
        }
        self.set_var("OLDPWD", &old);
        let cwd = self.cwd.clone();
        self.set_var("PWD", &cwd);
        if print {
            let _ = io.stdout.borrow_mut().write_all(format!("{cwd}\n").as_bytes());
        }
        0
    }

    pub(super) fn set_option(&mut self, flag: char, on: bool) -> bool {
        match flag {
            'e' => self.errexit = on,
            'x' => self.xtrace = on,
            'u' => self.nounset = on,
            'f' | 'v' | 'h' | 'm' | 'C' | 'a' | 'b' | 'n' => {}
            _ => return false,
        }
        true
    }

    pub(super) fn set_option_name(&mut self, name: &str, on: bool) {
        match name {
            "errexit" => self.errexit = on,
            "xtrace" => self.xtrace = on,
            "nounset" => self.nounset = on,
            "pipefail" => self.pipefail = on,
            _ => {}
        }
    }

    fn set_builtin(&mut self, args: &[String], io: &Io) -> i32 {
        if args.is_empty() {
            let listing: String = self.vars.iter().map(|(k, v)| format!("{k}={}\n", shell_quote(&v.value))).collect();
            let _ = io.stdout.borrow_mut().write_all(listing.as_bytes());
            return 0;
        }
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            if arg == "--" {
                self.positional = args[i + 1..].to_vec();
                return 0;
            }
            let (on, flags) = match arg.as_bytes().first() {
                Some(b'-') if arg.len() > 1 => (true, &arg[1..]),
                Some(b'+') if arg.len() > 1 => (false, &arg[1..]),
                _ => {
                    self.positional = args[i..].to_vec();
                    return 0;
                }
            };
            for flag in flags.chars() {
                if flag == 'o' {
                    i += 1;
                    if let Some(name) = args.get(i) {
                        self.set_option_name(name, on);
                    }
                } else if !self.set_option(flag, on) {
                    self.msg(io, Some("set"), &format!("illegal option -{flag}"));
                    return 2;
                }
            }
            i += 1;
        }
        0
    }

    /// `read [-r] [-p PROMPT] [NAME…]`: one line from stdin, split at `IFS` into the names (`REPLY` by default).
    fn read_builtin(&mut self, args: &[String], io: &Io) -> i32 {
        let mut raw = false;
        let mut names = Vec::new();
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-r" => raw = true,
                "-p" => {
                    i += 1;
                    if let Some(prompt) = args.get(i) {
                        let _ = io.stderr.borrow_mut().write_all(prompt.as_bytes());
                    }
                }
                "-s" => {}
                "-t" | "-n" | "-u" => i += 1,
                name => names.push(name.to_string()),
            }
            i += 1;
        }
        if names.is_empty() {
            names.push("REPLY".to_string());
        }
        let mut line = String::new();
        let mut eof = false;
        loop {
            let mut part = String::new();
            let n = io.stdin.borrow_mut().read_line(&mut part).unwrap_or(0);
            if n == 0 {
                eof = true;
                break;
            }
            let ended = part.ends_with('\n');
            if ended {
                part.pop();
            }
            if !raw && part.ends_with('\\') && ended {
                part.pop();
                line.push_str(&part);
                continue;
            }
            line.push_str(&part);
            if !ended {
                eof = true;
            }
            break;
        }
        if !raw {
            let mut unescaped = String::new();
            let mut chars = line.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        unescaped.push(n);
                    }
                } else {
                    unescaped.push(c);
                }
            }
            line = unescaped;
        }
        let ifs = self.var("IFS").unwrap_or(" \t\n").to_string();
        let mut rest = line.trim_matches(|c: char| ifs.contains(c) && c.is_whitespace());
        for (index, name) in names.iter().enumerate() {
            if index + 1 == names.len() {
                self.set_var(name, rest.trim_end_matches(|c: char| ifs.contains(c) && c.is_whitespace()));
                break;
            }
            let end = rest.find(|c: char| ifs.contains(c)).unwrap_or(rest.len());
            self.set_var(name, &rest[..end]);
            rest = rest[end..].trim_start_matches(|c: char| ifs.contains(c) && c.is_whitespace());
            if let Some(stripped) = rest.strip_prefix(|c: char| ifs.contains(c) && !c.is_whitespace()) {
                rest = stripped;
            }
        }
        i32::from(eof)
    }
}
