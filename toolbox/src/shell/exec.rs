//! Running the syntax tree: lists, `&&`/`||`, pipelines, compound commands, simple commands and redirections.

use std::cell::RefCell;
use std::io::BufReader;
use std::rc::Rc;

use super::ast::{AndOr, Command, Compound, Connector, List, Pipeline, Redir, RedirOp, Simple};
use super::expand::ExpandError;
use super::{Flow, Io, Shell, input_from};
use crate::glob;
use crate::proc::strerror;

impl Shell {
    pub(super) fn run_list(&mut self, list: &List, io: &Io) -> Flow {
        for and_or in list {
            let mut flow = self.run_and_or(and_or, io);
            if flow == Flow::Normal {
                flow = self.run_signal_traps(io);
            }
            if flow != Flow::Normal {
                return flow;
            }
        }
        Flow::Normal
    }

    fn run_and_or(&mut self, and_or: &AndOr, io: &Io) -> Flow {
        let last = and_or.rest.len();
        let mut ran = 0;
        self.cond_depth += usize::from(last > 0);
        let mut flow = self.run_pipeline(&and_or.first, io);
        self.cond_depth -= usize::from(last > 0);
        let mut bang = and_or.first.bang;
        for (i, (connector, pipeline)) in and_or.rest.iter().enumerate() {
            if flow != Flow::Normal {
                return flow;
            }
            let run = match connector {
                Connector::And => self.status == 0,
                Connector::Or => self.status != 0,
            };
            if run {
                let condition = i + 1 < last;
                self.cond_depth += usize::from(condition);
                flow = self.run_pipeline(pipeline, io);
                self.cond_depth -= usize::from(condition);
                ran = i + 1;
                bang = pipeline.bang;
            }
        }
        if flow == Flow::Normal && self.errexit && self.status != 0 && self.cond_depth == 0 && ran == last && !bang {
            return Flow::Exit;
        }
        flow
    }

    fn run_pipeline(&mut self, pipeline: &Pipeline, io: &Io) -> Flow {
        let flow = if pipeline.commands.len() == 1 {
            self.run_command(&pipeline.commands[0], io)
        } else {
            // WASI has no processes: each stage runs to completion in a copy of the shell, and its output becomes
            // the next stage's input.
            let mut input = io.stdin.clone();
            let mut failed = 0;
            for (i, command) in pipeline.commands.iter().enumerate() {
                let last = i + 1 == pipeline.commands.len();
                let buffer = Rc::new(RefCell::new(Vec::new()));
                let stage_io = Io {
                    stdin: input.clone(),
                    stdout: if last { io.stdout.clone() } else { buffer.clone() },
                    stderr: io.stderr.clone(),
                };
                let mut stage = self.clone();
                stage.exit_trap = None;
                stage.signal_traps.clear();
                stage.takes_signals = false;
                stage.run_command(command, &stage_io);
                if stage.status != 0 {
                    failed = stage.status;
                }
                self.status = stage.status;
                input = input_from(buffer.take());
            }
            if self.pipefail && self.status == 0 {
                self.status = failed;
            }
            Flow::Normal
        };
        if pipeline.bang {
            self.status = i32::from(self.status == 0);
        }
        flow
    }

    pub(super) fn run_command(&mut self, command: &Command, io: &Io) -> Flow {
        match command {
            Command::Simple(simple) => self.run_simple(simple, io),
            Command::FuncDef(name, body) => {
                self.functions.insert(name.clone(), body.clone());
                self.status = 0;
                Flow::Normal
            }
            Command::Compound(compound, redirs) => {
                let io = match self.redirect(redirs, io) {
                    Ok(io) => io,
                    Err(flow) => return flow,
                };
                self.run_compound(compound, &io)
            }
        }
    }

    fn run_compound(&mut self, compound: &Compound, io: &Io) -> Flow {
        match compound {
            Compound::Group(list) => self.run_list(list, io),
            Compound::Subshell(list) => {
                let mut sub = self.clone();
                sub.exit_trap = None;
                sub.signal_traps.clear();
                sub.takes_signals = false;
                sub.run_list(list, io);
                sub.run_exit_trap(io);
                self.status = sub.status;
                Flow::Normal
            }
            Compound::If { branches, otherwise } => {
                for (cond, body) in branches {
                    self.cond_depth += 1;
                    let flow = self.run_list(cond, io);
                    self.cond_depth -= 1;
                    if flow != Flow::Normal {
                        return flow;
                    }
                    if self.status == 0 {
                        return self.run_list(body, io);
                    }
                }
                if let Some(list) = otherwise {
                    self.run_list(list, io)
                } else {
                    self.status = 0;
                    Flow::Normal
                }
            }
            Compound::For { var, words, body } => {
                let items = match words {
                    Some(words) => match self.expand_words(words, io) {
                        Ok(items) => items,
                        Err(e) => return self.expansion_failed(&e, io),
                    },
                    None => self.positional.clone(),
                };
                self.status = 0;
                self.loop_depth += 1;
                let mut result = Flow::Normal;
                for item in items {
                    self.set_var(var, &item);
                    match self.run_list(body, io) {
                        Flow::Normal | Flow::Continue(1) => {}
                        Flow::Break(1) => break,
                        Flow::Break(n) => {
                            result = Flow::Break(n - 1);
                            break;
                        }
                        Flow::Continue(n) => {
                            result = Flow::Continue(n - 1);
                            break;
                        }
                        other => {
                            result = other;
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                result
            }
            Compound::While { cond, body, until } => {
                let mut status = 0;
                self.loop_depth += 1;
                let mut result = Flow::Normal;
                loop {
                    self.cond_depth += 1;
                    let flow = self.run_list(cond, io);
                    self.cond_depth -= 1;
                    if flow != Flow::Normal {
                        result = flow;
                        break;
                    }
                    if (self.status == 0) == *until {
                        break;
                    }
                    let flow = self.run_list(body, io);
                    status = self.status;
                    match flow {
                        Flow::Normal | Flow::Continue(1) => {}
                        Flow::Break(1) => break,
                        Flow::Break(n) => {
                            result = Flow::Break(n - 1);
                            break;
                        }
                        Flow::Continue(n) => {
                            result = Flow::Continue(n - 1);
                            break;
                        }
                        other => {
                            result = other;
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                if result == Flow::Normal || matches!(result, Flow::Break(_) | Flow::Continue(_)) {
                    self.status = status;
                }
                result
            }
            Compound::Case { word, arms } => {
                let value = match self.expand_string(word, io) {
                    Ok(v) => v,
                    Err(e) => return self.expansion_failed(&e, io),
                };
                for (patterns, body) in arms {
                    for pattern in patterns {
                        let pattern = match self.expand_pattern(pattern, io) {
                            Ok(p) => p,
                            Err(e) => return self.expansion_failed(&e, io),
                        };
                        if glob::matches(&pattern, &value) {
                            self.status = 0;
                            return self.run_list(body, io);
                        }
                    }
                }
                self.status = 0;
                Flow::Normal
            }
        }
    }

    /// Prints an expansion's error; a script stops there (status 2), an interactive shell goes on.
    pub(super) fn expansion_failed(&mut self, error: &ExpandError, io: &Io) -> Flow {
        self.msg(io, None, &error.0);
        self.status = 2;
        if self.interactive { Flow::Normal } else { Flow::Exit }
    }

    fn run_simple(&mut self, simple: &Simple, io: &Io) -> Flow {
        self.line = simple.line;
        self.subst_status = None;
        let argv = match self.expand_words(&simple.words, io) {
            Ok(argv) => argv,
            Err(e) => return self.expansion_failed(&e, io),
        };
        let mut assigns = Vec::new();
        for (name, word) in &simple.assigns {
            match self.expand_string(word, io) {
                Ok(value) => assigns.push((name.clone(), value)),
                Err(e) => return self.expansion_failed(&e, io),
            }
        }
        if self.xtrace {
            let shown: Vec<String> =
                assigns.iter().map(|(k, v)| format!("{k}={}", quote(v))).chain(argv.iter().map(|a| quote(a))).collect();
            let _ = io.stderr.borrow_mut().write_all(format!("+ {}\n", shown.join(" ")).as_bytes());
        }
        let substituted = self.subst_status;
        let io = match self.redirect(&simple.redirs, io) {
            Ok(io) => io,
            Err(flow) => return flow,
        };
        if argv.is_empty() {
            for (name, value) in &assigns {
                self.set_var(name, value);
            }
            self.status = substituted.unwrap_or(0);
            return Flow::Normal;
        }
        let name = argv[0].as_str();
        if super::builtins::is_special(name) {
            for (k, v) in &assigns {
                self.set_var(k, v);
            }
            return self.run_builtin(&argv, &io);
        }
        if let Some(body) = self.functions.get(name).cloned() {
            return self.call_function(&body, &argv, &assigns, &io);
        }
        if super::builtins::is_regular(name) {
            return self.run_builtin(&argv, &io);
        }
        self.run_external(&argv, &assigns, &io)
    }

    /// Runs an applet or a script file, or reports `sh: NAME: not found` (status 127).
    pub(super) fn run_external(&mut self, argv: &[String], assigns: &[(String, String)], io: &Io) -> Flow {
        if argv[0].is_empty() {
            // ash tries to execute the empty path, which the kernel refuses.
            self.msg(io, None, ": Permission denied");
            self.status = 127;
            return Flow::Normal;
        }
        let mut proc = self.proc(io, assigns);
        if matches!(argv[0].as_str(), "echo" | "printf" | "test" | "[" | "true" | "false" | "pwd") {
            // ash runs these as builtins: their messages carry the shell's name.
            proc.shell_name = Some(crate::basename(&self.arg0).to_string());
        }
        self.status = super::exec(&mut proc, argv).unwrap_or_else(|| {
            self.msg(io, None, &format!("{}: not found", argv[0]));
            127
        });
        let _ = io.stdout.borrow_mut().flush();
        Flow::Normal
    }

    fn call_function(&mut self, body: &Command, argv: &[String], assigns: &[(String, String)], io: &Io) -> Flow {
        for (k, v) in assigns {
            self.set_var(k, v);
        }
        let saved = std::mem::replace(&mut self.positional, argv[1..].to_vec());
        self.func_depth += 1;
        self.locals.push(Vec::new());
        let flow = self.run_command(body, io);
        for (name, old) in self.locals.pop().unwrap_or_default().into_iter().rev() {
            match old {
                Some(var) => {
                    self.vars.insert(name, var);
                }
                None => self.unset(&name),
            }
        }
        self.func_depth -= 1;
        self.positional = saved;
        match flow {
            Flow::Return => Flow::Normal,
            other => other,
        }
    }

    /// Applies redirections in order. A failure prints ash's message and fails the command (status 1).
    pub(super) fn redirect(&mut self, redirs: &[Redir], io: &Io) -> Result<Io, Flow> {
        let mut io = io.clone();
        for redir in redirs {
            let target = match self.expand_string(&redir.target, &io) {
                Ok(t) => t,
                Err(e) => return Err(self.expansion_failed(&e, &io)),
            };
            let proc = self.proc(&io, &[]);
            match redir.op {
                RedirOp::In | RedirOp::ReadWrite => {
                    let opened = if redir.op == RedirOp::ReadWrite && !proc.host(&target).exists() {
                        proc.create(&target, true).map(|_| ()).and_then(|()| proc.open(&target))
                    } else {
                        proc.open(&target)
                    };
                    match opened {
                        Ok(reader) => {
                            if redir.fd == 0 {
                                io.stdin = Rc::new(RefCell::new(BufReader::new(reader)));
                            }
                        }
                        Err(e) => {
                            let text = if e.kind() == std::io::ErrorKind::NotFound {
                                "no such file".to_string()
                            } else {
                                strerror(&e)
                            };
                            self.msg(&io, None, &format!("can't open {target}: {text}"));
                            self.status = 1;
                            return Err(Flow::Normal);
                        }
                    }
                }
                RedirOp::Out | RedirOp::Append => match proc.create(&target, redir.op == RedirOp::Append) {
                    Ok(out) => match redir.fd {
                        1 => io.stdout = out,
                        2 => io.stderr = out,
                        _ => {}
                    },
                    Err(e) => {
                        let missing =
                            matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory);
                        let text = if missing { "nonexistent directory".to_string() } else { strerror(&e) };
                        self.msg(&io, None, &format!("can't create {target}: {text}"));
                        self.status = 1;
                        return Err(Flow::Normal);
                    }
                },
                RedirOp::DupOut | RedirOp::DupIn => {
                    let source = match target.as_str() {
                        "1" => Some(io.stdout.clone()),
                        "2" => Some(io.stderr.clone()),
                        "-" => Some(Rc::new(RefCell::new(std::io::sink())) as crate::Output),
                        "0" => None,
                        _ => {
                            self.msg(&io, None, &format!("{target}: Bad file descriptor"));
                            self.status = 1;
                            return Err(Flow::Normal);
                        }
                    };
                    match (redir.fd, source) {
                        (1, Some(out)) => io.stdout = out,
                        (2, Some(out)) => io.stderr = out,
                        _ => {}
                    }
                }
                RedirOp::HereDoc => {
                    let body = redir.body.as_ref().map(|b| b.borrow().clone()).unwrap_or_default();
                    let text = match self.expand_string(&body, &io) {
                        Ok(t) => t,
                        Err(e) => return Err(self.expansion_failed(&e, &io)),
                    };
                    if redir.fd == 0 {
                        io.stdin = input_from(text.into_bytes());
                    }
                }
            }
        }
        Ok(io)
    }
}

/// Quotes an argument for `set -x` output as ash does: only when it needs it.
fn quote(arg: &str) -> String {
    if !arg.is_empty() && arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\"'\"'"))
    }
}
