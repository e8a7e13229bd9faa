//! The programs of docklings' simulated containers, as one multi-call WASI module.
//!
//! Like busybox, the module picks the program from the basename of `argv[0]` (or from `argv[1]` when it is called as
//! `toolbox`). WASI preview 1 has no processes, so every program, including each stage of a shell pipeline, is an
//! applet called as a function with its own stdin, stdout, stderr, environment and working directory: a [`Proc`].
//! Paths are resolved against [`Proc::root`], which is `/` in a container and a temporary folder in tests.

pub mod applets;
pub mod getopt;
pub mod glob;
pub mod net;
pub mod node;
pub mod npm;
pub mod proc;
pub mod regex;
pub mod shell;
pub mod signals;

pub use proc::{Input, Output, Proc};

/// An applet: a program in the toolbox. It gets the whole argument vector (`argv[0]` is the applet's name) and
/// returns its exit status.
pub type Applet = fn(&mut Proc, &[String]) -> i32;

/// Runs the toolbox as a process: `argv` and the environment come from the host.
#[must_use]
pub fn main_with(argv: Vec<String>) -> i32 {
    let mut proc = Proc::from_process();
    let argv = if argv.is_empty() { vec!["toolbox".to_string()] } else { argv };
    let status = run(&mut proc, &argv);
    proc.flush();
    status
}

/// Runs the applet named by `argv[0]` (its basename), or prints busybox's "applet not found". As `toolbox` (or
/// `busybox`), runs the applet named by `argv[1]`, or lists the applets.
pub fn run(proc: &mut Proc, argv: &[String]) -> i32 {
    let name = basename(&argv[0]).to_string();
    if name == "toolbox" || name == "busybox" {
        if argv.len() < 2 || argv[1] == "--list" || argv[1] == "--help" {
            let list: Vec<&str> = applets::names().collect();
            proc.outs(&format!("{}\n", list.join("\n")));
            return 0;
        }
        return run(proc, &argv[1..]);
    }
    let Some(applet) = applets::find(&name) else {
        proc.errs(&format!("{name}: applet not found\n"));
        return 127;
    };
    // The shell keeps argv[0] as given (it names itself in messages, as ash does); other applets use their name.
    if name == "sh" || name == "ash" {
        return applet(proc, argv);
    }
    let mut args = argv.to_vec();
    args[0] = name;
    applet(proc, &args)
}

/// The last component of a path, ignoring trailing slashes (`basename a/b/` is `b`).
#[must_use]
pub fn basename(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "" } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}
