//! What the `sim_*` tests share: a simulated engine in a temporary folder, and docker (or the shell's curl)
//! run through the same code `docklings shell` uses, with what a learner would see captured.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use docklings::engine::Engine;
use docklings::engine::sim::{self, SimEngine};

/// What one command printed, and its exit status.
#[derive(Debug, PartialEq, Eq)]
pub struct Out {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

pub fn out(stdout: &str, stderr: &str, status: i32) -> Out {
    Out { stdout: stdout.to_string(), stderr: stderr.to_string(), status }
}

fn captured(stdout: Vec<u8>, stderr: Vec<u8>, status: i32) -> Out {
    Out {
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
        status,
    }
}

/// The simulated engine under a `DOCKLINGS_HOME` folder (`home/sim`), as `docklings` opens it.
pub fn open(home: &Path) -> Arc<SimEngine> {
    SimEngine::open(&home.join("sim")).expect("the simulated engine opens")
}

/// A fresh engine in a temporary folder, with `image` pulled when given.
pub fn fresh(image: Option<&str>) -> (tempfile::TempDir, Arc<SimEngine>) {
    let home = tempfile::tempdir().expect("a temporary folder");
    let engine = open(home.path());
    if let Some(image) = image {
        engine.pull_image(image, &mut |_| {}).unwrap_or_else(|e| panic!("{image} pulls: {e}"));
    }
    (home, engine)
}

/// `docker WORDS…` with something on its standard input.
pub fn docker_with(engine: &Arc<SimEngine>, words: &[&str], stdin: Option<Box<dyn Read + Send>>) -> Out {
    let argv: Vec<String> = std::iter::once("docker").chain(words.iter().copied()).map(str::to_string).collect();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let status = {
        let mut io = sim::cli::Io { stdout: &mut stdout, stderr: &mut stderr, stdin, tty: false };
        sim::cli::run(engine, &argv, &mut io)
    };
    captured(stdout, stderr, status)
}

/// `docker WORDS…`.
pub fn docker(engine: &Arc<SimEngine>, words: &[&str]) -> Out {
    docker_with(engine, words, None)
}

/// `curl WORDS…` as the simulated shell runs it.
pub fn curl(engine: &Arc<SimEngine>, words: &[&str]) -> Out {
    let argv: Vec<String> = std::iter::once("curl").chain(words.iter().copied()).map(str::to_string).collect();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let status = docklings::commands::shell::curl(engine, &argv, &mut stdout, &mut stderr);
    captured(stdout, stderr, status)
}

/// A full container or image id as `run -d` and `create` print it.
pub fn is_id(text: &str) -> bool {
    text.len() == 65 && text.ends_with('\n') && text[..64].bytes().all(|b| b.is_ascii_hexdigit())
}
