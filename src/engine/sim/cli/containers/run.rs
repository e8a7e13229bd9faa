//! `docker run`, `docker create` and `docker start`: the image pulled when missing (`Unable to find image …`,
//! then the pull's lines, on stderr), the id printed for `-d` and `create`, a foreground container's output
//! streamed as it comes, and Docker's statuses: the container's own, 125 for the daemon's and the options'
//! errors, 126 for a command that cannot run, 127 for one that is not there.

use std::sync::{Arc, PoisonError};

use super::options::{self, OptionError, Pull, RunOptions};
use super::{Failure, Io, Outcome, args, channel, daemon, flag_value_error, interactive_stdin, pump};
use crate::dockercli::Invocation;
use crate::engine::EngineError;
use crate::engine::sim::containers::{self, CreateRequest};
use crate::engine::sim::runtime::Stdin;
use crate::engine::sim::state::normalize_reference;
use crate::engine::sim::{SimEngine, images};

/// `docker run`'s way to report an error: `docker: …`, the help hint, and the status its text calls for
/// (docker/cli's `toStatusError`).
fn run_error(e: &EngineError) -> Failure {
    let text = super::super::daemon_text(e);
    let status = if text.contains("executable file not found") || text.contains("no such file or directory") {
        127
    } else if text.contains("permission denied") || text.contains("is a directory") {
        126
    } else {
        125
    };
    Failure::new(format!("docker: {text}\n\nRun 'docker run --help' for more information"), status)
}

/// An error of the options, before anything is asked of the daemon: `docker: …`, status 125.
fn parse_error(command: &str, message: &str) -> Failure {
    Failure::new(format!("docker: {message}\n\nRun 'docker {command} --help' for more information"), 125)
}

/// Reads the options, printing pflag's errors itself; `Err` holds the status to return.
fn read_options(inv: &Invocation, io: &mut Io, run: bool) -> Result<RunOptions, Outcome> {
    let command = if run { "run" } else { "create" };
    match options::parse(inv, run) {
        Ok(o) => {
            for w in &o.warnings {
                io.err(&format!("{w}\n"));
            }
            Ok(o)
        }
        Err(OptionError::Parse(m)) => Err(Err(parse_error(command, &m))),
        Err(OptionError::Flag { name, given, why }) => Err(Ok(flag_value_error(inv, io, name, &given, &why))),
    }
}

/// The image name as the CLI checks it before asking the daemon.
fn check_reference(image: &str, command: &str) -> Result<(), Failure> {
    super::super::images::client_reference(image).map(|_| ()).map_err(|f| {
        let message = f.message.trim_end().to_string();
        let message = message.strip_prefix("Error response from daemon: ").unwrap_or(&message).to_string();
        parse_error(command, &message)
    })
}

/// Creates the container, pulling the image first when `--pull` asks or it is missing. Daemon errors come back
/// as they are, for the caller to word.
fn create_container(engine: &Arc<SimEngine>, opts: &RunOptions, io: &mut Io) -> Result<String, EngineError> {
    let req: &CreateRequest = &opts.request;
    if let Some(kind) = &opts.unknown_mount_type {
        return Err(EngineError::BadRequest(format!("invalid mount config for type \"{kind}\": mount type unknown")));
    }
    if opts.pull == Pull::Always {
        pull(engine, &req.image, opts.quiet, io)?;
    }
    match containers::create_with(engine, req) {
        Err(EngineError::NotFound(m)) if m.starts_with("No such image") && opts.pull == Pull::Missing => {
            if !opts.quiet {
                io.err(&format!("Unable to find image '{}' locally\n", familiar(&req.image)));
            }
            pull(engine, &req.image, opts.quiet, io)?;
            containers::create_with(engine, req)
        }
        other => other,
    }
}

/// `busybox` → `busybox:latest`, as the CLI names the image it did not find.
fn familiar(image: &str) -> String {
    if image.contains('@') { image.to_string() } else { normalize_reference(image) }
}

/// Pulls, printing the pull's lines on stderr as `docker run` does.
fn pull(engine: &SimEngine, image: &str, quiet: bool, io: &mut Io) -> Result<(), EngineError> {
    // A terminal keeps one line per layer, overwritten in place: only the last status of each stays.
    let tty = io.tty;
    let mut show = |line: &str| {
        if !(quiet || tty && images::is_transient(line)) {
            io.err(&format!("{line}\n"));
        }
    };
    images::pull(engine, image, &mut show).map(|_| ())
}

/// `docker run`.
pub fn run(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let opts = match read_options(inv, io, true) {
        Ok(o) => o,
        Err(outcome) => return outcome,
    };
    check_reference(&opts.request.image, "run")?;
    if !opts.detach && opts.request.open_stdin && opts.request.tty && io.stdin.is_none() {
        return Err(Failure::new("the input device is not a TTY", 1));
    }
    let id = create_container(engine, &opts, io).map_err(|e| run_error(&e))?;
    if opts.detach {
        io.out(&format!("{id}\n"));
        containers::start(engine, &id, None).map_err(|e| run_error(&e))?;
        return Ok(0);
    }
    let stdin = interactive_stdin(io, opts.request.open_stdin);
    attached(engine, &id, stdin, io).map_err(|e| run_error(&e))
}

/// Starts a container attached: its output streamed until it ends (and, with `--rm`, is removed); its exit
/// status.
fn attached(engine: &Arc<SimEngine>, id: &str, stdin: Stdin, io: &mut Io) -> Result<i32, EngineError> {
    let (attach, rx) = channel(stdin);
    let running = containers::start(engine, id, Some(attach))?;
    pump(&rx, io);
    let mut done = running.done.lock().unwrap_or_else(PoisonError::into_inner);
    while !*done {
        done = running.done_cv.wait(done).unwrap_or_else(PoisonError::into_inner);
    }
    Ok(running.process.status().map_or(0, |s| s.code))
}

/// `docker create`: the new container's id; the daemon's errors as they are, status 1.
pub fn create(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let opts = match read_options(inv, io, false) {
        Ok(o) => o,
        Err(outcome) => return outcome,
    };
    check_reference(&opts.request.image, "create")?;
    let id = create_container(engine, &opts, io).map_err(|e| daemon(&e))?;
    io.out(&format!("{id}\n"));
    Ok(0)
}

/// `docker start [-a] [-i] CONTAINER...`
pub fn start(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let names = args(inv);
    let attach = inv.has("attach") || inv.has("interactive");
    if attach {
        if names.len() > 1 {
            return Err(Failure::new("you cannot start and attach multiple containers at once", 1));
        }
        let id = containers::resolve(engine, names[0]).map_err(|e| daemon(&e))?;
        let stdin = interactive_stdin(io, inv.has("interactive"));
        return match attached(engine, &id, stdin, io) {
            Ok(code) => Ok(code),
            // Already running: wait for it, as an attached client would.
            Err(EngineError::NotModified(_)) => match containers::wait_or_interrupt(engine, &id) {
                Ok(Some(code)) => Ok(i32::try_from(code).unwrap_or(1)),
                Ok(None) => Ok(130),
                Err(e) => Err(daemon(&e)),
            },
            Err(e) => Err(daemon(&e)),
        };
    }
    let mut failed = Vec::new();
    for name in names {
        match containers::start(engine, name, None) {
            Ok(_) | Err(EngineError::NotModified(_)) => io.out(&format!("{name}\n")),
            Err(e) => {
                io.err(&format!("{}\n", super::super::daemon_text(&e)));
                failed.push(name);
            }
        }
    }
    if failed.is_empty() {
        return Ok(0);
    }
    Err(Failure::new(format!("Error: failed to start containers: {}", failed.join(", ")), 1))
}
