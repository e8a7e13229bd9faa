//! The simulated engine's speed as a learner feels it: `docker run --rm busybox echo hi` through
//! `sim::cli::run`, in-process, once the engine is warm (the toolbox compiled and cached, busybox pulled).
//! `cargo bench --bench sim`. The target is a median under 10 ms in a release build. `real_engine_run_rm_echo`
//! times the same line through the `docker` CLI against a real engine on the same machine, for the ratio; it
//! is skipped, with the reason printed, when no engine answers.

use std::sync::Arc;

use divan::Bencher;
use docklings::engine::Engine;
use docklings::engine::sim::{self, SimEngine};

fn main() {
    divan::main();
}

/// A warm engine in a temporary folder: busybox pulled and one container run, so the module cache is filled.
fn engine() -> (tempfile::TempDir, Arc<SimEngine>) {
    let home = tempfile::tempdir().expect("a temporary folder");
    let engine = SimEngine::open(&home.path().join("sim")).expect("the simulated engine opens");
    engine.pull_image("busybox:latest", &mut |_| {}).expect("busybox pulls");
    assert_eq!(docker(&engine, &["run", "--rm", "busybox", "true"]), 0);
    (home, engine)
}

fn docker(engine: &Arc<SimEngine>, words: &[&str]) -> i32 {
    let argv: Vec<String> = std::iter::once("docker").chain(words.iter().copied()).map(str::to_string).collect();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut io = sim::cli::Io { stdout: &mut stdout, stderr: &mut stderr, stdin: None, tty: false };
    sim::cli::run(engine, &argv, &mut io)
}

#[divan::bench(sample_count = 50)]
fn run_rm_echo(bencher: Bencher) {
    let (_home, engine) = engine();
    bencher.bench_local(|| assert_eq!(docker(&engine, &["run", "--rm", "busybox", "echo", "hi"]), 0));
}

#[divan::bench(sample_count = 50)]
fn ps_all(bencher: Bencher) {
    let (_home, engine) = engine();
    for i in 0..10 {
        assert_eq!(docker(&engine, &["run", "--name", &format!("c{i}"), "busybox", "true"]), 0);
    }
    bencher.bench_local(|| assert_eq!(docker(&engine, &["ps", "-a"]), 0));
}

/// The same line on a real engine, through the learner's own `docker` CLI: what the simulation is measured against.
#[divan::bench(sample_count = 20)]
fn real_engine_run_rm_echo(bencher: Bencher) {
    let docker =
        |words: &[&str]| std::process::Command::new("docker").args(words).output().is_ok_and(|o| o.status.success());
    if !docker(&["image", "inspect", "busybox:latest"]) {
        eprintln!(
            "real_engine_run_rm_echo skipped: no Docker engine with busybox:latest answers (bash .ci/engine starts one)"
        );
        return;
    }
    bencher.bench_local(|| assert!(docker(&["run", "--rm", "busybox", "echo", "hi"])));
}

/// The seed's Dockerfile in busybox terms (a RUN stands in for `npm install`, since the real engine here has no
/// node image offline), in `tests/transcripts/contexts/build-v1`: the same context on both engines.
const BUILD_CONTEXT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts/contexts/build-v1");

/// A fully cached rebuild on the simulated engine: no RUN runs and nothing is copied, only the context is hashed.
/// The target is a median under 50 ms in a release build.
#[divan::bench(sample_count = 50)]
fn cached_rebuild(bencher: Bencher) {
    let (_home, engine) = engine();
    assert_eq!(docker(&engine, &["build", "-q", "-t", "bench-web", BUILD_CONTEXT]), 0);
    bencher.bench_local(|| assert_eq!(docker(&engine, &["build", "-q", "-t", "bench-web", BUILD_CONTEXT]), 0));
}

/// The same rebuild through `docker build` on a real engine, with BuildKit, for the ratio.
#[divan::bench(sample_count = 20)]
fn real_engine_cached_rebuild(bencher: Bencher) {
    // The Docker 28 CLI has no BuildKit here without buildx; Debian's client does, as in the transcript test.
    let cli = if std::path::Path::new("/usr/bin/docker").is_file() { "/usr/bin/docker" } else { "docker" };
    let build = || {
        std::process::Command::new(cli)
            .args(["build", "-q", "-t", "docklings-bench-web", BUILD_CONTEXT])
            .env("DOCKER_BUILDKIT", "1")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let answers = std::process::Command::new("docker")
        .args(["image", "inspect", "busybox:latest"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !answers || !build() {
        eprintln!(
            "real_engine_cached_rebuild skipped: no Docker engine with busybox:latest builds (bash .ci/engine starts one)"
        );
        return;
    }
    bencher.bench_local(|| assert!(build()));
    let _ = std::process::Command::new("docker").args(["rmi", "docklings-bench-web"]).output();
}
