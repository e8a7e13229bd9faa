//! Ctrl-C at the tutorial's prompt stops the command that runs, not docklings.
//!
//! At the prompt the terminal is raw and rustyline reads Ctrl-C as a key. While a command runs, the terminal
//! sends SIGINT to docklings (and, in real mode, to the `docker` process it started). A container's main process
//! often ignores SIGINT (PID 1 has no default handlers, and busybox's `sleep` installs none), so Docker's own
//! client would keep waiting; here, Ctrl-C kills the containers that the running line started instead, on either
//! engine, through the `Engine` trait. Containers that were already running before the line are never touched.
//! On the simulated engine the line runs inside docklings, so the waits that are the engine's own (`logs -f`,
//! `wait`, an `exec`, a build step) are told through [`Engine::interrupt`] and give up, as Docker's client would.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::engine::Engine;

/// The line that runs now, as Ctrl-C sees it.
pub struct Foreground {
    engine: Arc<dyn Engine>,
    line: Mutex<Option<Line>>,
}

struct Line {
    /// Counts lines, so that a cancel loop left from one line does not act on the next.
    number: u64,
    /// The containers that ran before the line began.
    before: HashSet<String>,
    cancelled: bool,
}

/// While alive, a line runs; dropping it ends the line.
pub struct Running<'a> {
    foreground: &'a Foreground,
}

impl Running<'_> {
    /// Whether Ctrl-C was pressed while the line ran.
    #[must_use]
    pub fn interrupted(&self) -> bool {
        self.foreground.line.lock().unwrap_or_else(PoisonError::into_inner).as_ref().is_some_and(|l| l.cancelled)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.foreground.line.lock().unwrap_or_else(PoisonError::into_inner).take();
        self.foreground.engine.clear_interrupt();
    }
}

impl Foreground {
    #[must_use]
    pub fn new(engine: Arc<dyn Engine>) -> Arc<Foreground> {
        Arc::new(Foreground { engine, line: Mutex::new(None) })
    }

    fn running_ids(&self) -> HashSet<String> {
        self.engine.list_containers(false).unwrap_or_default().into_iter().map(|c| c.id).collect()
    }

    /// A line begins: notes which containers already run.
    pub fn begin(&self) -> Running<'_> {
        self.engine.clear_interrupt();
        let before = self.running_ids();
        let mut line = self.line.lock().unwrap_or_else(PoisonError::into_inner);
        let number = line.as_ref().map_or(0, |l| l.number) + 1;
        *line = Some(Line { number, before, cancelled: false });
        Running { foreground: self }
    }

    /// Ctrl-C: kills every container the running line has started, and any it starts from now until it ends (a
    /// `docker run` interrupted while it pulls or creates starts its container a moment later). Returns at once;
    /// the killing goes on in a thread of its own.
    pub fn interrupt(self: &Arc<Self>) {
        let number = {
            let mut line = self.line.lock().unwrap_or_else(PoisonError::into_inner);
            match line.as_mut() {
                Some(l) if !l.cancelled => {
                    l.cancelled = true;
                    l.number
                }
                _ => return,
            }
        };
        // The engine's own waits for this line (following logs, an exec, a build step) give up too.
        self.engine.interrupt();
        let me = Arc::clone(self);
        std::thread::spawn(move || me.cancel(number));
    }

    fn cancel(&self, number: u64) {
        loop {
            let before = {
                let line = self.line.lock().unwrap_or_else(PoisonError::into_inner);
                match line.as_ref() {
                    Some(l) if l.number == number => l.before.clone(),
                    _ => return,
                }
            };
            for id in self.running_ids().difference(&before) {
                // It may have ended by itself meanwhile; nothing to report then.
                let _ = self.engine.kill_container(id, None);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sim::SimEngine;
    use crate::engine::{ContainerConfig, ContainerStatus};

    fn config(name: &str) -> ContainerConfig {
        ContainerConfig {
            name: Some(name.to_string()),
            image: "busybox:latest".into(),
            cmd: vec!["sleep".into(), "30".into()],
            ..ContainerConfig::default()
        }
    }

    #[test]
    fn ctrl_c_kills_what_the_line_started_and_nothing_else() {
        let home = tempfile::tempdir().unwrap();
        let engine = SimEngine::open(&home.path().join("sim")).unwrap();
        engine.pull_image("busybox:latest", &mut |_| {}).unwrap();
        let old = engine.create_container(&config("old")).unwrap();
        engine.start_container(&old).unwrap();
        let fg = Foreground::new(engine.clone());

        let line = fg.begin();
        let new = engine.create_container(&config("new")).unwrap();
        engine.start_container(&new).unwrap();
        fg.interrupt();
        let code = engine.wait_container(&new).unwrap();
        assert_eq!(code, 137, "killed");
        assert!(line.interrupted());
        drop(line);

        assert!(!fg.begin().interrupted(), "a new line starts afresh");
        let running = |name: &str| engine.inspect_container(name).unwrap().status == ContainerStatus::Running;
        assert!(running("old"), "a container from before the line runs on");
        // Outside a line, Ctrl-C does nothing.
        fg.interrupt();
        std::thread::sleep(Duration::from_millis(100));
        assert!(running("old"));
        engine.kill_container("old", None).unwrap();
    }

    /// `docker logs -f`, `docker wait` and `docker exec` on a container from before the line wait on the simulated
    /// engine itself, in this process: Ctrl-C ends them as it ends Docker's client, and the container runs on.
    #[test]
    fn ctrl_c_ends_the_simulated_engines_own_waits() {
        let home = tempfile::tempdir().unwrap();
        let engine = SimEngine::open(&home.path().join("sim")).unwrap();
        engine.pull_image("busybox:latest", &mut |_| {}).unwrap();
        let old = engine.create_container(&config("old")).unwrap();
        engine.start_container(&old).unwrap();
        let ctx = home.path().join("ctx");
        std::fs::create_dir_all(&ctx).unwrap();
        std::fs::write(ctx.join("Dockerfile"), "FROM busybox:latest\nRUN sleep 30\n").unwrap();
        let fg = Foreground::new(engine.clone());
        let build = ["build", "-q", ctx.to_str().unwrap()];
        let lines: [(&[&str], i32); 4] = [
            (&["logs", "-f", "old"], 130),
            (&["wait", "old"], 130),
            (&["exec", "old", "sleep", "30"], 130),
            (&build, 1),
        ];
        for (words, status) in lines {
            let line = fg.begin();
            let argv: Vec<String> =
                std::iter::once("docker").chain(words.iter().copied()).map(str::to_string).collect();
            let e = engine.clone();
            let cli = std::thread::spawn(move || {
                let (mut out, mut err) = (Vec::new(), Vec::new());
                let mut io =
                    crate::engine::sim::cli::Io { stdout: &mut out, stderr: &mut err, stdin: None, tty: false };
                crate::engine::sim::cli::run(&e, &argv, &mut io)
            });
            std::thread::sleep(Duration::from_millis(300));
            assert!(!cli.is_finished(), "`docker {}` waits", words.join(" "));
            fg.interrupt();
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while !cli.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(cli.is_finished(), "Ctrl-C ends `docker {}`", words.join(" "));
            assert_eq!(cli.join().unwrap(), status, "`docker {}`", words.join(" "));
            drop(line);
            assert!(!engine.interrupted(), "the next line starts afresh");
        }
        assert_eq!(engine.inspect_container("old").unwrap().status, ContainerStatus::Running);
        engine.kill_container("old", None).unwrap();
    }
}
