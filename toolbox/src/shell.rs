//! `sh`: a POSIX shell in the manner of busybox's ash. WASI has no processes, so commands are applets called as
//! functions, pipeline stages run one after another with each stage's output buffered into the next one's input,
//! and subshells are copies of the shell's state.

mod arith;
pub mod ast;
mod builtins;
mod exec;
mod expand;
pub mod lexer;
pub mod parser;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::rc::Rc;

use crate::proc::strerror;
use crate::{Input, Output, Proc};
use ast::Command;
use parser::Parser;

/// The standard streams of a command.
#[derive(Clone)]
pub struct Io {
    pub stdin: Input,
    pub stdout: Output,
    pub stderr: Output,
}

/// How a command ended, besides its status: control flow that unwinds enclosing commands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Flow {
    Normal,
    Exit,
    Return,
    Break(u32),
    Continue(u32),
}

#[derive(Clone, Debug)]
struct Var {
    value: String,
    exported: bool,
    /// Creation order, which (with the name's hash) orders the environment as ash does.
    seq: u64,
}

#[derive(Clone)]
pub struct Shell {
    vars: BTreeMap<String, Var>,
    seq: u64,
    positional: Vec<String>,
    /// `$0`, and the first word of every message.
    arg0: String,
    /// ash's "commandname" outside builtins: the script (or `-c`'s `$0`); messages then carry line numbers.
    script: Option<String>,
    interactive: bool,
    pub status: i32,
    cwd: String,
    root: PathBuf,
    uid: u32,
    gid: u32,
    tty: bool,
    functions: BTreeMap<String, Rc<Command>>,
    errexit: bool,
    xtrace: bool,
    nounset: bool,
    pipefail: bool,
    /// Above zero while a condition runs (`if`, `while`, the left of `&&`): `set -e` does not apply there.
    cond_depth: usize,
    loop_depth: u32,
    func_depth: usize,
    /// Saved values of `local` variables, one frame per function call.
    locals: Vec<Vec<(String, Option<Var>)>>,
    /// The line of the command running, for messages.
    line: usize,
    /// The status of the last command substitution, which a command without a name returns.
    subst_status: Option<i32>,
    exit_trap: Option<String>,
    /// `trap` actions by signal number; an empty action ignores the signal.
    signal_traps: BTreeMap<u8, String>,
    /// False in the copies that run subshells and pipeline stages: signals are the main shell's (PID 1's).
    takes_signals: bool,
}

/// ash's variable hash bucket (`hashvar` modulo `VTABSIZE`); `env` lists exported variables bucket by bucket.
fn bucket(name: &str) -> u32 {
    let bytes = name.as_bytes();
    let mut hash = u32::from(bytes.first().copied().unwrap_or(0)) << 4;
    for &b in bytes {
        hash += u32::from(b);
    }
    hash % 39
}

impl Shell {
    /// A shell that starts from a process's environment and working directory.
    #[must_use]
    pub fn new(p: &Proc, arg0: &str) -> Shell {
        let mut shell = Shell {
            vars: BTreeMap::new(),
            seq: 1,
            positional: Vec::new(),
            arg0: arg0.to_string(),
            script: None,
            interactive: false,
            status: 0,
            cwd: p.cwd.clone(),
            root: p.root.clone(),
            uid: p.uid,
            gid: p.gid,
            tty: p.tty,
            functions: BTreeMap::new(),
            errexit: false,
            xtrace: false,
            nounset: false,
            pipefail: false,
            cond_depth: 0,
            loop_depth: 0,
            func_depth: 0,
            locals: Vec::new(),
            line: 0,
            subst_status: None,
            exit_trap: None,
            signal_traps: BTreeMap::new(),
            takes_signals: true,
        };
        for (k, v) in &p.env {
            shell.set_var(k, v);
            shell.export(k);
        }
        if shell.var("PATH").is_none() {
            shell.set_var("PATH", "/sbin:/usr/sbin:/bin:/usr/bin");
            shell.export("PATH");
        }
        let level = shell.var("SHLVL").and_then(|l| l.parse::<i64>().ok()).unwrap_or(0) + 1;
        shell.set_var("SHLVL", &level.to_string());
        shell.export("SHLVL");
        if shell.var("HOSTNAME").is_none() {
            shell.set_var("HOSTNAME", &crate::applets::host_name_of(p));
        }
        let cwd = shell.cwd.clone();
        shell.set_var("PWD", &cwd);
        shell.export("PWD");
        shell
    }

    #[must_use]
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(|v| v.value.as_str())
    }

    pub fn set_var(&mut self, name: &str, value: &str) {
        if let Some(v) = self.vars.get_mut(name) {
            v.value = value.to_string();
            return;
        }
        // PATH exists from ash's start, before anything is imported, so it always comes first in its bucket.
        let seq = if name == "PATH" { 0 } else { self.seq };
        self.seq += 1;
        self.vars.insert(name.to_string(), Var { value: value.to_string(), exported: false, seq });
    }

    fn export(&mut self, name: &str) {
        if let Some(v) = self.vars.get_mut(name) {
            v.exported = true;
        }
    }

    fn unset(&mut self, name: &str) {
        self.vars.remove(name);
    }

    /// The environment a command gets: exported variables in ash's order, then the command's own assignments.
    fn environment(&self, extra: &[(String, String)]) -> Vec<(String, String)> {
        let mut exported: Vec<(&String, &Var)> = self.vars.iter().filter(|(_, v)| v.exported).collect();
        exported.sort_by_key(|(k, v)| (bucket(k), v.seq));
        let mut env: Vec<(String, String)> = exported.into_iter().map(|(k, v)| (k.clone(), v.value.clone())).collect();
        for (k, v) in extra {
            match env.iter_mut().find(|(ek, _)| ek == k) {
                Some(slot) => slot.1.clone_from(v),
                None => env.push((k.clone(), v.clone())),
            }
        }
        env
    }

    /// A process for running an applet with this shell's state and the given streams.
    fn proc(&self, io: &Io, extra_env: &[(String, String)]) -> Proc {
        Proc {
            stdin: io.stdin.clone(),
            stdout: io.stdout.clone(),
            stderr: io.stderr.clone(),
            env: self.environment(extra_env),
            cwd: self.cwd.clone(),
            root: self.root.clone(),
            uid: self.uid,
            gid: self.gid,
            tty: self.tty,
            shell_name: None,
        }
    }

    /// Prints a message as ash does: `sh: `, then the builtin's name and the line when there is a command name.
    fn msg(&self, io: &Io, builtin: Option<&str>, text: &str) {
        self.msg_at(io, builtin, self.line, text);
    }

    fn msg_at(&self, io: &Io, builtin: Option<&str>, line: usize, text: &str) {
        let mut out = format!("{}: ", self.arg0);
        if let Some(name) = builtin.or(self.script.as_deref()) {
            if name != self.arg0 {
                out.push_str(&format!("{name}: "));
            }
            if !self.interactive {
                out.push_str(&format!("line {line}: "));
            }
        }
        out.push_str(text);
        out.push('\n');
        let _ = io.stdout.borrow_mut().flush();
        let _ = io.stderr.borrow_mut().write_all(out.as_bytes());
    }

    /// Parses and runs source text, one complete command at a time.
    pub fn run_source(&mut self, source: &str, first_line: usize, io: &Io) -> Flow {
        let mut parser = Parser::new(source, first_line);
        loop {
            match parser.next_command() {
                Ok(None) => return Flow::Normal,
                Ok(Some(list)) => {
                    let flow = self.run_list(&list, io);
                    if flow != Flow::Normal {
                        return flow;
                    }
                }
                Err(e) => {
                    self.msg_at(io, None, e.line, &format!("syntax error: {}", e.message));
                    self.status = 2;
                    return Flow::Exit;
                }
            }
        }
    }

    /// Reads commands from stdin line by line, running each as soon as it is complete; prompts when interactive.
    fn run_stdin(&mut self, io: &Io) {
        let mut buffer = String::new();
        let mut line_base = 1;
        loop {
            if self.interactive {
                let prompt =
                    if buffer.is_empty() { self.prompt() } else { self.var("PS2").unwrap_or("> ").to_string() };
                // busybox's line editing writes the prompt to stdout (with `-t` both streams are one terminal).
                let _ = io.stdout.borrow_mut().write_all(prompt.as_bytes());
                let _ = io.stdout.borrow_mut().flush();
            }
            let mut line = String::new();
            let read = io.stdin.borrow_mut().read_line(&mut line).unwrap_or(0);
            if read == 0 {
                if !buffer.trim().is_empty() {
                    let flow = self.run_source(&buffer, line_base, io);
                    if flow == Flow::Exit {
                        return;
                    }
                }
                return;
            }
            buffer.push_str(&line);
            let mut parser = Parser::new(&buffer, line_base).incremental();
            let mut lists = Vec::new();
            let outcome = loop {
                match parser.next_command() {
                    Ok(Some(list)) => lists.push(list),
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            match outcome {
                Err(e) if e.eof => {}
                Err(e) => {
                    self.msg_at(io, None, e.line, &format!("syntax error: {}", e.message));
                    self.status = 2;
                    buffer.clear();
                    line_base = parser.line();
                    if !self.interactive {
                        return;
                    }
                }
                Ok(()) => {
                    line_base = parser.line();
                    buffer.clear();
                    for list in lists {
                        if self.run_list(&list, io) == Flow::Exit {
                            return;
                        }
                    }
                }
            }
        }
    }

    /// ash's default prompt `\w \$ `: the working directory (`~` for home), then `#` for root or `$`.
    fn prompt(&self) -> String {
        let ps1 = self.var("PS1").unwrap_or("\\w \\$ ").to_string();
        let home = self.var("HOME").unwrap_or("");
        let cwd = if !home.is_empty() && home != "/" && self.cwd.starts_with(home) {
            format!("~{}", &self.cwd[home.len()..])
        } else {
            self.cwd.clone()
        };
        ps1.replace("\\w", &cwd)
            .replace("\\W", crate::basename(&self.cwd))
            .replace("\\$", if self.uid == 0 { "#" } else { "$" })
            .replace("\\h", self.var("HOSTNAME").unwrap_or(""))
    }

    /// Runs the `trap` actions of signals delivered meanwhile, between commands as ash does (a running command
    /// is not interrupted). Signals without a trap are dropped: PID 1 has no default actions, so a signal that
    /// comes before its trap is set is not kept for it.
    fn run_signal_traps(&mut self, io: &Io) -> Flow {
        if !self.takes_signals {
            return Flow::Normal;
        }
        while let Some(sig) = crate::signals::take() {
            let Some(action) = self.signal_traps.get(&sig).filter(|a| !a.is_empty()).cloned() else { continue };
            let status = self.status;
            let flow = self.run_source(&action, self.line, io);
            if flow == Flow::Exit {
                return flow;
            }
            self.status = status;
        }
        Flow::Normal
    }

    fn run_exit_trap(&mut self, io: &Io) {
        if let Some(trap) = self.exit_trap.take() {
            let status = self.status;
            self.run_source(&trap, self.line, io);
            self.status = status;
        }
    }
}

/// Set once a shell of this process takes its signals.
static SIGNALS_CLAIMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The `sh` applet.
pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let mut shell = Shell::new(p, &argv[0]);
    // The process's first shell is its PID 1 as far as signals go; a `sh` it runs is a child in a real system
    // and never sees them.
    shell.takes_signals = !SIGNALS_CLAIMED.swap(true, std::sync::atomic::Ordering::Relaxed);
    let io = Io { stdin: p.stdin.clone(), stdout: p.stdout.clone(), stderr: p.stderr.clone() };
    let mut command: Option<bool> = None;
    let mut force_stdin = false;
    let mut interactive = None;
    let mut i = 1;
    while i < argv.len() {
        let arg = &argv[i];
        if arg == "--" || arg == "-" {
            i += 1;
            break;
        }
        let (on, flags) = match arg.as_bytes().first() {
            Some(b'-') => (true, &arg[1..]),
            Some(b'+') => (false, &arg[1..]),
            _ => break,
        };
        if flags.is_empty() {
            break;
        }
        for flag in flags.chars() {
            match flag {
                'c' => command = Some(true),
                's' => force_stdin = true,
                'i' => interactive = Some(on),
                'l' => {}
                'o' => {
                    i += 1;
                    if let Some(name) = argv.get(i) {
                        shell.set_option_name(name, on);
                    }
                }
                other => {
                    if !shell.set_option(other, on) {
                        p.error(&argv[0], &format!("-{other}: invalid option"));
                        return 2;
                    }
                }
            }
        }
        i += 1;
    }
    let operands = &argv[i.min(argv.len())..];
    if command == Some(true) {
        let Some(source) = operands.first() else {
            p.error(&argv[0], "-c requires an argument");
            return 2;
        };
        if let Some(name) = operands.get(1) {
            shell.arg0.clone_from(name);
            shell.script = Some(name.clone());
        }
        shell.positional = operands.iter().skip(2).cloned().collect();
        shell.interactive = interactive.unwrap_or(false);
        shell.run_source(source, 0, &io);
    } else if let (Some(script), false) = (operands.first(), force_stdin) {
        let source = match std::fs::read(p.host(script)) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                p.error(&argv[0], &format!("can't open '{script}': {}", strerror(&e)));
                return 2;
            }
        };
        shell.arg0.clone_from(script);
        shell.script = Some(script.clone());
        shell.positional = operands[1..].to_vec();
        shell.run_source(&source, 1, &io);
    } else {
        shell.positional = operands.to_vec();
        shell.interactive = interactive.unwrap_or(p.tty);
        shell.run_stdin(&io);
    }
    shell.run_exit_trap(&io);
    shell.status
}

/// Runs a command the way `sh`, `env` and `xargs` find one: a file in `PATH` (or a path) that is a toolbox module
/// or a script, else an applet of that name. `None` when there is no such command.
pub fn exec(p: &mut Proc, argv: &[String]) -> Option<i32> {
    let name = argv.first()?;
    let path = if name.contains('/') { Some(name.clone()) } else { find_in_path(p, name) };
    let Some(path) = path else {
        return crate::applets::find(name).map(|_| crate::run(p, argv));
    };
    let mut head = Vec::new();
    let host = p.host(&path);
    if !host.is_file() {
        return None;
    }
    let _ = std::fs::File::open(&host).and_then(|f| f.take(256).read_to_end(&mut head));
    if head.starts_with(b"\0asm") || (!head.starts_with(b"#!") && head.contains(&0)) {
        // A program file: a hard link to the toolbox (/bin/ls), or a native binary such as busybox's own. The applet
        // is named by the file, as busybox's are.
        let applet = crate::basename(&path).to_string();
        crate::applets::find(&applet)?;
        let mut args = argv.to_vec();
        args[0] = applet;
        return Some(crate::run(p, &args));
    }
    // A script: `#!/bin/sh` (any interpreter the toolbox has), or no `#!` at all, which shells run themselves.
    let mut args: Vec<String> = Vec::new();
    if let Some(rest) = head.strip_prefix(b"#!") {
        let first = String::from_utf8_lossy(rest.split(|&b| b == b'\n').next().unwrap_or_default()).into_owned();
        // Only blanks separate: a `\r` from a Windows editor stays in the interpreter's name, which then does
        // not exist (`sh: ./x.sh: not found`), as on Linux.
        let mut words = first.split([' ', '\t']).filter(|w| !w.is_empty()).map(str::to_string);
        let interpreter = words.next().unwrap_or_default();
        args.push(interpreter.clone());
        args.extend(words);
        let program = crate::basename(&interpreter).to_string();
        if program == "env" {
            args.remove(0);
        }
        let runnable = args.first().is_some_and(|a| crate::applets::find(crate::basename(a)).is_some());
        if !runnable {
            return None;
        }
    } else {
        args.push("sh".to_string());
    }
    args.push(path);
    args.extend(argv[1..].iter().cloned());
    let program = crate::basename(&args[0]).to_string();
    args[0] = if program == "sh" || program == "ash" { args[0].clone() } else { program };
    Some(crate::run(p, &args))
}

/// The first file called `name` in the directories of `$PATH`.
#[must_use]
pub fn find_in_path(p: &Proc, name: &str) -> Option<String> {
    if name.contains('/') {
        return p.host(name).is_file().then(|| name.to_string());
    }
    let path = p.var("PATH").unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| format!("{}/{name}", d.trim_end_matches('/')))
        .find(|c| p.host(c).is_file())
}

/// An in-memory input, for here-documents, pipes and command substitution.
fn input_from(bytes: Vec<u8>) -> Input {
    Rc::new(RefCell::new(std::io::Cursor::new(bytes)))
}
