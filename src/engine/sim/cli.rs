//! The docker CLI, emulated on the simulated engine: `docker …` argument vectors in, the text and exit status
//! Docker 28's CLI would give out. Flags are read by [`crate::dockercli`], output is formatted by
//! [`crate::dockerfmt`]; one file per group of commands.

mod build;
mod containers;
mod images;
mod networks;
mod volumes;

use std::io::Write;
use std::sync::Arc;

use super::SimEngine;
use crate::dockercli::{self, Invocation};
use crate::engine::EngineError;

/// Where a command's output goes. Output is written as it comes, so a foreground container's lines appear
/// while it runs.
pub struct Io<'a> {
    pub stdout: &'a mut (dyn Write + Send),
    pub stderr: &'a mut (dyn Write + Send),
    /// The learner's terminal, for `-i` (None when there is no input, as in scripts).
    pub stdin: Option<Box<dyn std::io::Read + Send>>,
    /// True when stdout is a terminal (`-t` needs one).
    pub tty: bool,
}

impl Io<'_> {
    pub fn out(&mut self, text: &str) {
        let _ = self.stdout.write_all(text.as_bytes());
        let _ = self.stdout.flush();
    }

    pub fn err(&mut self, text: &str) {
        let _ = self.stderr.write_all(text.as_bytes());
        let _ = self.stderr.flush();
    }
}

/// How a failed command ends: Docker prints the message and exits with the status.
pub struct Failure {
    pub message: String,
    pub status: i32,
}

pub type Outcome = Result<i32, Failure>;

impl Failure {
    #[must_use]
    pub fn new(message: impl Into<String>, status: i32) -> Failure {
        Failure { message: message.into(), status }
    }

    /// An error answered by the daemon, as the CLI prints it: `Error response from daemon: …`, status 1.
    #[must_use]
    pub fn daemon(e: &EngineError) -> Failure {
        Failure::new(daemon_text(e), 1)
    }
}

/// `Error response from daemon: <message>` for errors the daemon answered; local problems as they are.
#[must_use]
pub fn daemon_text(e: &EngineError) -> String {
    match e {
        EngineError::Local(m) => m.clone(),
        other => format!("Error response from daemon: {other}"),
    }
}

/// The usage lines Docker prints after a flag error, for the commands the simulation runs.
const USAGE: &[(&[&str], &str)] = &[
    (&["run"], "[OPTIONS] IMAGE [COMMAND] [ARG...]"),
    (&["build"], "[OPTIONS] PATH | URL | -"),
    (&["create"], "[OPTIONS] IMAGE [COMMAND] [ARG...]"),
    (&["start"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["container", "inspect"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["stop"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["restart"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["kill"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["rm"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["wait"], "[OPTIONS] CONTAINER [CONTAINER...]"),
    (&["ps"], "[OPTIONS]"),
    (&["container", "prune"], "[OPTIONS]"),
    (&["image", "prune"], "[OPTIONS]"),
    (&["volume", "prune"], "[OPTIONS]"),
    (&["network", "prune"], "[OPTIONS]"),
    (&["volume", "ls"], "[OPTIONS]"),
    (&["images"], "[OPTIONS] [REPOSITORY[:TAG]]"),
    (&["logs"], "[OPTIONS] CONTAINER"),
    (&["exec"], "[OPTIONS] CONTAINER COMMAND [ARG...]"),
    (&["port"], "CONTAINER [PRIVATE_PORT[/PROTO]]"),
    (&["inspect"], "[OPTIONS] NAME|ID [NAME|ID...]"),
    (&["image", "inspect"], "[OPTIONS] IMAGE [IMAGE...]"),
    (&["rmi"], "[OPTIONS] IMAGE [IMAGE...]"),
    (&["pull"], "[OPTIONS] NAME[:TAG|@DIGEST]"),
    (&["push"], "[OPTIONS] NAME[:TAG]"),
    (&["tag"], "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"),
    (&["history"], "[OPTIONS] IMAGE"),
    (&["volume", "create"], "[OPTIONS] [VOLUME]"),
    (&["volume", "inspect"], "[OPTIONS] VOLUME [VOLUME...]"),
    (&["volume", "rm"], "[OPTIONS] VOLUME [VOLUME...]"),
    (&["network", "create"], "[OPTIONS] NETWORK"),
    (&["network", "ls"], "[OPTIONS]"),
    (&["network", "inspect"], "[OPTIONS] NETWORK [NETWORK...]"),
    (&["network", "connect"], "[OPTIONS] NETWORK CONTAINER"),
    (&["network", "disconnect"], "[OPTIONS] NETWORK CONTAINER"),
    (&["network", "rm"], "NETWORK [NETWORK...]"),
];

fn usage(inv: &Invocation) -> String {
    USAGE
        .iter()
        .find(|(cmd, _)| *cmd == inv.command.as_slice())
        .map(|(_, rest)| format!("{} {rest}", inv.command_path()))
        .unwrap_or_default()
}

/// The end of every `inspect`: the objects found, Docker's error for each name that was not, printed in
/// `--format`'s form (`format` is `None` for the JSON array). Returns the status.
pub(super) fn print_inspect(
    format: Option<&str>,
    found: Vec<Result<serde_json::Value, String>>,
    io: &mut Io,
) -> Result<i32, Failure> {
    let mut inspector = crate::dockerfmt::Inspector::new(format).map_err(|e| Failure::new(e.message, e.status))?;
    for item in found {
        match item {
            Ok(v) => inspector.add(&v),
            Err(e) => inspector.add_error(&e),
        }
    }
    let out = inspector.finish();
    io.out(&out.stdout);
    io.err(&out.stderr);
    Ok(out.status)
}

/// Runs one `docker …` command (`argv[0]` is `docker`). Returns the exit status.
pub fn run(engine: &Arc<SimEngine>, argv: &[String], io: &mut Io) -> i32 {
    let words: Vec<&str> = argv.iter().map(String::as_str).collect();
    let Some(inv) = dockercli::parse(&words) else {
        io.err(&format!("{}: not docker\n", argv.first().map_or("", String::as_str)));
        return 127;
    };
    if let Some(e) = inv.errors.first() {
        return flag_error(&inv, &e.message, io);
    }
    for w in &inv.warnings {
        io.err(&format!("{}\n", w.message));
    }
    let command: Vec<&str> = inv.command.clone();
    let outcome = match command.as_slice() {
        [] => {
            io.out("\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nRun 'docker COMMAND --help' for more information on a command.\n");
            Ok(0)
        }
        [
            "run" | "create" | "start" | "stop" | "restart" | "kill" | "rm" | "ps" | "logs" | "exec" | "wait" | "port",
        ]
        | ["container", "inspect" | "prune"] => containers::run(engine, &inv, io),
        ["images" | "rmi" | "pull" | "push" | "tag" | "history"] | ["image", "inspect" | "prune"] => {
            images::run(engine, &inv, io)
        }
        ["inspect"] => containers::inspect_any(engine, &inv, io),
        ["build"] => build::run(engine, &inv, io),
        ["volume", ..] => volumes::run(engine, &inv, io),
        ["network", _] => networks::run(engine, &inv, io),
        ["version"] => {
            io.out(&version_text());
            Ok(0)
        }
        _ => {
            let path = inv.command_path();
            Err(Failure::new(
                format!(
                    "docklings: `{path}` is not part of the simulated engine yet; `--engine real` runs it on Docker"
                ),
                1,
            ))
        }
    };
    match outcome {
        Ok(status) => status,
        Err(f) => {
            if !f.message.is_empty() {
                io.err(&f.message);
                if !f.message.ends_with('\n') {
                    io.err("\n");
                }
            }
            f.status
        }
    }
}

/// A flag or argument error, printed as Docker 28 does (message, usage, help hint), status 125.
pub(super) fn flag_error(inv: &Invocation, message: &str, io: &mut Io) -> i32 {
    use crate::dockercli::ErrorKind;
    let kind = inv.errors.first().map(|e| e.kind);
    let path = inv.command_path();
    // Docker 28's cobra hints: "See" after "requires at least", "SRun" after "requires at most" (its typo),
    // "Run" otherwise; argument-count and unknown-command errors exit 1, flag errors 125.
    let hint_word = if message.contains("requires at least") {
        "See"
    } else if message.contains("requires at most") {
        "SRun"
    } else {
        "Run"
    };
    let status = if matches!(kind, Some(ErrorKind::ArgCount | ErrorKind::UnknownCommand)) { 1 } else { 125 };
    let usage = if kind == Some(ErrorKind::UnknownCommand) {
        // Under a management command Docker shows its usage; at the top it shows none.
        if inv.written.is_empty() || inv.command.is_empty() { String::new() } else { format!("{path} COMMAND") }
    } else {
        usage(inv)
    };
    let help_path =
        if kind == Some(ErrorKind::UnknownCommand) && usage.is_empty() { "docker".to_string() } else { path };
    if usage.is_empty() {
        io.err(&format!("{message}\n\n{hint_word} '{help_path} --help' for more information\n"));
    } else {
        io.err(&format!("{message}\n\nUsage:  {usage}\n\n{hint_word} '{help_path} --help' for more information\n"));
    }
    status
}

fn version_text() -> String {
    format!(
        "Client:\n Version:           {v}\n API version:       {api}\n OS/Arch:           linux/amd64\n Context:           default\n\nServer: docklings simulated engine\n Engine:\n  Version:          {v}\n  API version:      {api} (minimum version 1.24)\n  OS/Arch:          linux/amd64\n",
        v = super::DOCKER_VERSION,
        api = super::API_VERSION
    )
}
