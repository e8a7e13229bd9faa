//! Verifying a lesson: every step's goals must fail before its solution runs (a goal that cannot fail is a bug)
//! and hold after it, on a fresh engine state, with the lesson's files in a fresh work folder.

use std::path::Path;

use super::check::check;
use super::{Lesson, Step, StepGoal};
use crate::engine::Engine;

/// Runs a solution's lines on some engine.
pub trait Runner {
    /// The engine the goals are checked on: the one the lines ran on.
    fn engine(&self) -> &dyn Engine;
    /// Runs one line with `work` as the current folder; returns its exit status and everything it printed.
    fn run(&mut self, line: &str, work: &Path) -> anyhow::Result<(i32, String)>;
}

/// What went wrong in one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A goal already held before the step's solution ran.
    HeldBefore { goal: String, line: usize },
    /// A goal did not hold after the solution ran.
    NotMet { goal: String, line: usize, detail: String },
    /// A line of the solution could not be run at all.
    CouldNotRun { command: String, error: String },
}

/// One step's verdict, with the solution's output to show when it failed.
#[derive(Clone, Debug)]
pub struct StepReport {
    pub title: String,
    pub failures: Vec<Failure>,
    /// Each solution line with its status and output.
    pub transcript: Vec<(String, i32, String)>,
}

/// Writes the lesson's files into the work folder; with `keep`, files already there (the learner's edits) stay.
pub fn set_up(lesson: &Lesson, work: &Path, keep: bool) -> std::io::Result<()> {
    for (path, content) in &lesson.files {
        let to = work.join(path);
        if keep && to.exists() {
            continue;
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(to, content)?;
    }
    Ok(())
}

fn unmet(goals: &[StepGoal], engine: &dyn Engine) -> Vec<Failure> {
    goals
        .iter()
        .filter_map(|g| {
            let c = check(&g.goal, engine);
            (!c.met).then(|| Failure::NotMet {
                goal: g.goal.to_string(),
                line: g.line,
                detail: c.detail.unwrap_or_default(),
            })
        })
        .collect()
}

/// Writes the solution's file changes due before its command `index`, as the learner would in an editor.
fn write_edits(step: &Step, index: usize, work: &Path, failures: &mut Vec<Failure>) {
    for edit in step.edits.iter().filter(|e| e.before == index) {
        let to = work.join(&edit.path);
        let written =
            to.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&to, &edit.content));
        if let Err(e) = written {
            failures.push(Failure::CouldNotRun { command: format!("(write {})", edit.path), error: e.to_string() });
        }
    }
}

/// Runs every step of a lesson in order. The engine should hold none of the lesson's resources when it starts.
pub fn verify(lesson: &Lesson, runner: &mut dyn Runner, work: &Path) -> Vec<StepReport> {
    let mut reports = Vec::new();
    for step in &lesson.steps {
        let mut failures: Vec<Failure> = step
            .goals
            .iter()
            .filter(|g| check(&g.goal, runner.engine()).met)
            .map(|g| Failure::HeldBefore { goal: g.goal.to_string(), line: g.line })
            .collect();
        let mut transcript = Vec::new();
        for (index, line) in step.solution.iter().enumerate() {
            write_edits(step, index, work, &mut failures);
            match runner.run(line, work) {
                Ok((status, output)) => transcript.push((line.clone(), status, output)),
                Err(e) => failures.push(Failure::CouldNotRun { command: line.clone(), error: format!("{e:#}") }),
            }
        }
        write_edits(step, step.solution.len(), work, &mut failures);
        failures.extend(unmet(&step.goals, runner.engine()));
        reports.push(StepReport { title: step.title.clone(), failures, transcript });
    }
    reports
}
