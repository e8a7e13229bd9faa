//! Progress of long engine work, pulls and builds, drawn on stderr with indicatif: a spinner whose message is
//! the step the engine is on. When stderr is not a terminal (scripts, CI logs) nothing is drawn, so output
//! that other tools read stays clean.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::{BuildEvent, BuildOptions, BuildResult, Engine, Result};

/// A spinner for one pull or build, fed with the engine's progress events.
pub struct Progress {
    bar: ProgressBar,
    what: String,
    steps: usize,
    cached: usize,
}

impl Progress {
    /// A spinner on stderr (drawn only when stderr is a terminal) saying `what` is under way.
    #[must_use]
    pub fn new(what: &str) -> Progress {
        Progress::with_target(what, ProgressDrawTarget::stderr())
    }

    /// A spinner that draws nothing: for callers that want the bookkeeping only, and for tests.
    #[must_use]
    pub fn hidden(what: &str) -> Progress {
        Progress::with_target(what, ProgressDrawTarget::hidden())
    }

    fn with_target(what: &str, target: ProgressDrawTarget) -> Progress {
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(what.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar, what: what.to_string(), steps: 0, cached: 0 }
    }

    /// A line of pull output (`a515ec0575ec: Downloading`, `Digest: sha256:…`).
    pub fn pull_line(&mut self, line: &str) {
        let line = line.trim();
        if !line.is_empty() {
            self.bar.set_message(format!("{}: {line}", self.what));
        }
    }

    /// A build event: a step header moves the spinner on, a cache hit is counted.
    pub fn build_event(&mut self, event: &BuildEvent) {
        match event {
            BuildEvent::Output(line) => {
                let line = line.trim();
                if let Some(step) = step_header(line) {
                    self.steps += 1;
                    self.bar.set_message(format!("{}: {step}", self.what));
                }
            }
            BuildEvent::Cached { .. } => self.cached += 1,
        }
    }

    /// What the spinner says now.
    #[must_use]
    pub fn message(&self) -> String {
        self.bar.message()
    }

    /// Build steps seen and how many of them came from the cache.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        (self.steps, self.cached)
    }

    /// Takes the spinner off the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

/// The step a build output line starts, in the legacy builder's form (`Step 2/5 : RUN …`), Podman's
/// (`STEP 2/5: RUN …`) or BuildKit's plain form (`#6 [2/5] RUN …`).
fn step_header(line: &str) -> Option<&str> {
    if line.starts_with("Step ") || line.starts_with("STEP ") {
        return Some(line);
    }
    let rest = line.strip_prefix('#')?;
    let (vertex, what) = rest.split_once(' ')?;
    (vertex.bytes().all(|b| b.is_ascii_digit()) && what.starts_with('[')).then_some(what)
}

/// Pulls an image with a spinner on stderr.
pub fn pull(engine: &dyn Engine, reference: &str) -> Result<()> {
    let mut progress = Progress::new(&format!("pulling {reference}"));
    let result = engine.pull_image(reference, &mut |line| progress.pull_line(line));
    progress.finish();
    result
}

/// Builds an image with a spinner on stderr that names the step under way.
pub fn build(engine: &dyn Engine, options: &BuildOptions) -> Result<BuildResult> {
    let what = options.tags.first().map_or_else(|| "building".to_string(), |t| format!("building {t}"));
    let mut progress = Progress::new(&what);
    let result = engine.build_image(options, &mut |event| progress.build_event(event));
    progress.finish();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_steps_move_the_message_and_cache_hits_are_counted() {
        let mut p = Progress::hidden("building web");
        for line in ["Sending build context to Docker daemon  2.048kB", "Step 1/3 : FROM busybox", " ---> 3f57d9401f8d"]
        {
            p.build_event(&BuildEvent::Output(line.into()));
        }
        assert_eq!(p.message(), "building web: Step 1/3 : FROM busybox");
        p.build_event(&BuildEvent::Output("#6 [2/3] RUN echo hi".into()));
        p.build_event(&BuildEvent::Output("#6 CACHED".into()));
        p.build_event(&BuildEvent::Cached { step: "[2/3] RUN echo hi".into() });
        p.build_event(&BuildEvent::Output("#7 0.1 hi".into()));
        assert_eq!(p.message(), "building web: [2/3] RUN echo hi");
        assert_eq!(p.counts(), (2, 1));
    }

    #[test]
    fn pull_lines_show_the_latest_status() {
        let mut p = Progress::hidden("pulling busybox");
        p.pull_line("a515ec0575ec: Downloading");
        p.pull_line("  ");
        assert_eq!(p.message(), "pulling busybox: a515ec0575ec: Downloading");
        p.finish();
    }
}
