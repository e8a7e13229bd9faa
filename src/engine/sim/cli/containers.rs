//! The container commands on the simulated engine: `run`, `create`, `start`, `stop`, `restart`, `kill`, `rm`,
//! `ps`, `logs`, `exec`, `wait`, `port`, `container inspect`, `container prune`, and `docker inspect` of any
//! object. One file per group, in `containers/`; this one dispatches and holds what they share: streaming a
//! container's output to the learner as it comes, and Docker's ways of reporting errors.

mod exec;
mod filter;
mod inspect;
mod lifecycle;
mod logs;
mod options;
mod ps;
mod run;

use std::io::Read;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver};

use super::{Failure, Io, Outcome};
use crate::dockercli::Invocation;
use crate::engine::EngineError;
use crate::engine::sim::SimEngine;
use crate::engine::sim::containers::Attach;
use crate::engine::sim::runtime::{Stdin, StdinWriter, stdin_pipe};

pub fn run(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    match inv.command.as_slice() {
        ["run"] => run::run(engine, inv, io),
        ["create"] => run::create(engine, inv, io),
        ["start"] => run::start(engine, inv, io),
        ["stop"] => lifecycle::stop(engine, inv, io),
        ["restart"] => lifecycle::restart(engine, inv, io),
        ["kill"] => lifecycle::kill(engine, inv, io),
        ["rm"] => lifecycle::rm(engine, inv, io),
        ["wait"] => lifecycle::wait(engine, inv, io),
        ["container", "prune"] => lifecycle::prune(engine, inv, io),
        ["ps"] => ps::ps(engine, inv, io),
        ["logs"] => logs::logs(engine, inv, io),
        ["exec"] => exec::exec(engine, inv, io),
        ["port"] => inspect::port(engine, inv, io),
        ["container", "inspect"] => inspect::container_inspect(engine, inv, io),
        _ => Err(Failure::new(format!("docklings: `{}` is not simulated yet", inv.command_path()), 1)),
    }
}

/// `docker inspect`: any object, looked up as Docker does (container, image, network, volume).
pub fn inspect_any(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    inspect::inspect_any(engine, inv, io)
}

/// The positional arguments.
fn args(inv: &Invocation) -> Vec<&str> {
    inv.args.iter().map(|a| a.value.as_str()).collect()
}

/// The value of a flag that takes one (its last use).
fn value<'a>(inv: &'a Invocation, name: &str) -> Option<&'a str> {
    inv.flag(name).and_then(|f| f.value.as_deref())
}

/// How pflag names a flag in value errors: `-n, --last` when it has a shorthand, `--mount` otherwise.
fn flag_label(inv: &Invocation, name: &str) -> String {
    let short = inv.spec().and_then(|cmd| match cmd.body {
        crate::dockercli::Body::Leaf { flags, .. } => {
            flags.iter().flat_map(|g| g.iter()).find(|f| f.long == name).and_then(|f| f.short)
        }
        _ => None,
    });
    match short {
        Some(c) => format!("-{c}, --{name}"),
        None => format!("--{name}"),
    }
}

/// A flag value pflag itself rejects: Docker prints the usage after it, status 125.
fn flag_value_error(inv: &Invocation, io: &mut Io, name: &str, given: &str, why: &str) -> i32 {
    let message = format!("invalid argument \"{given}\" for \"{}\" flag: {why}", flag_label(inv, name));
    super::flag_error(inv, &message, io)
}

/// An integer flag (`-n`, `-t`), checked as pflag's `ParseInt` does. `Err` holds the status after the error was
/// printed.
fn int_flag(inv: &Invocation, io: &mut Io, name: &str) -> Result<Option<i64>, i32> {
    let Some(text) = value(inv, name) else { return Ok(None) };
    match text.parse::<i64>() {
        Ok(n) => Ok(Some(n)),
        Err(e) => {
            let why = if matches!(e.kind(), std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Err(flag_value_error(inv, io, name, text, &format!("strconv.ParseInt: parsing \"{text}\": {why}")))
        }
    }
}

/// `Error response from daemon: …` (or a local message as it is), status 1.
fn daemon(e: &EngineError) -> Failure {
    Failure::daemon(e)
}

/// A write of a container process, for the thread that holds the learner's terminal.
enum Chunk {
    Out(Vec<u8>),
    Err(Vec<u8>),
}

/// Output callbacks that hand each write to the calling thread, and the receiving end. The stream ends when
/// the process has ended and its outputs are gone.
fn channel(stdin: Stdin) -> (Attach, Receiver<Chunk>) {
    let (tx, rx) = mpsc::channel();
    let err_tx = tx.clone();
    let attach = Attach {
        stdout: Arc::new(move |b: &[u8]| {
            let _ = tx.send(Chunk::Out(b.to_vec()));
        }),
        stderr: Arc::new(move |b: &[u8]| {
            let _ = err_tx.send(Chunk::Err(b.to_vec()));
        }),
        stdin,
    };
    (attach, rx)
}

/// Writes a process's output to the terminal as it comes, until the process is gone.
fn pump(rx: &Receiver<Chunk>, io: &mut Io) {
    while let Ok(chunk) = rx.recv() {
        match chunk {
            Chunk::Out(b) => {
                let _ = io.stdout.write_all(&b);
                let _ = io.stdout.flush();
            }
            Chunk::Err(b) => {
                let _ = io.stderr.write_all(&b);
                let _ = io.stderr.flush();
            }
        }
    }
}

/// The process's standard input for `-i`: the learner's terminal when there is one (read on a thread and fed
/// through a pipe; the end of input, Ctrl-D, closes it), nothing otherwise (a script has no input to give).
fn interactive_stdin(io: &mut Io, interactive: bool) -> Stdin {
    if !interactive {
        return Stdin::Null;
    }
    let Some(mut input) = io.stdin.take() else { return Stdin::Null };
    let (writer, pipe) = stdin_pipe();
    let spawned = std::thread::Builder::new().name("docklings stdin".into()).spawn(move || feed(&mut input, &writer));
    if spawned.is_err() {
        return Stdin::Null;
    }
    Stdin::Pipe(pipe)
}

fn feed(input: &mut (dyn Read + Send), writer: &StdinWriter) {
    let mut buf = [0u8; 4096];
    loop {
        match input.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if !writer.send(&buf[..n]) {
                    return;
                }
            }
        }
    }
}
