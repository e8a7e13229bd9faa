//! `docker exec [-i] [-t] [-d] [-e K=V] [--env-file F] [-w DIR] [-u USER] CONTAINER COMMAND [ARG...]`: a command
//! run beside the container's main process, its output streamed, its exit status returned. A command that does
//! not start is reported as the daemon writes it into the stream (on stdout, ending in `\r\n`), with 127 for a
//! program not found and 126 otherwise.

use std::sync::Arc;

use super::{Failure, Io, Outcome, args, channel, daemon, interactive_stdin, pump, value};
use crate::dockercli::Invocation;
use crate::engine::sim::SimEngine;
use crate::engine::sim::containers::{self, ExecRequest, ExecStart};
use crate::engine::sim::runtime::{Output, Stdin};

/// `-e NAME` takes the variable from docker's own environment, as `run` does.
fn env(inv: &Invocation) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    for f in inv.flags_named("env-file") {
        let file = f.value.clone().unwrap_or_default();
        let text = std::fs::read_to_string(&file)
            .map_err(|_| Failure::new(format!("open {file}: no such file or directory"), 1))?;
        for line in text.lines().map(str::trim_start).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            out.extend(one_env(line));
        }
    }
    for f in inv.flags_named("env") {
        out.extend(one_env(f.value.as_deref().unwrap_or("")));
    }
    Ok(out)
}

fn one_env(v: &str) -> Option<String> {
    if v.contains('=') {
        return Some(v.to_string());
    }
    std::env::var(v).ok().map(|x| format!("{v}={x}"))
}

pub fn exec(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let words = args(inv);
    let key = words[0];
    let cmd: Vec<String> = words[1..].iter().map(|s| (*s).to_string()).collect();
    let env = env(inv)?;
    let tty = inv.has("tty");
    let interactive = inv.has("interactive");
    let detach = inv.has("detach");
    // The container must exist before anything else is checked, as the CLI inspects it first.
    containers::resolve(engine, key).map_err(|e| daemon(&e))?;
    if !detach && interactive && tty && io.stdin.is_none() {
        return Err(Failure::new("the input device is not a TTY", 1));
    }
    let req = ExecRequest { cmd: &cmd, env: &env, working_dir: value(inv, "workdir"), user: value(inv, "user"), tty };
    if detach {
        return match containers::exec_start(engine, key, &req, Output::discard(), Output::discard(), Stdin::Null)
            .map_err(|e| daemon(&e))?
        {
            ExecStart::Started(_) => Ok(0),
            ExecStart::Failed(f) => {
                Err(Failure::new(format!("Error response from daemon: {}", f.exec_message().trim_end()), 1))
            }
        };
    }
    let stdin = interactive_stdin(io, interactive);
    let (attach, rx) = channel(stdin);
    let out = attach.stdout.clone();
    let err = attach.stderr.clone();
    let started = containers::exec_start(engine, key, &req, Output::from_fn(out), Output::from_fn(err), attach.stdin);
    // The callbacks now live in the process's outputs only, so the stream ends when the process does.
    drop(attach.stdout);
    drop(attach.stderr);
    match started.map_err(|e| daemon(&e))? {
        ExecStart::Started(process) => {
            engine.interruptible(&process);
            pump(&rx, io);
            let code = process.wait();
            // Ctrl-C ended the client, whose status is then 130 whatever became of the process.
            Ok(if engine.interrupted() { 130 } else { code })
        }
        ExecStart::Failed(f) => {
            io.out(&f.exec_message());
            Ok(f.status)
        }
    }
}
