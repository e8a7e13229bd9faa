//! `docklings progress export`: the learner's progress file turned into the export an instructor collects, in a
//! versioned schema (`docklings-progress/1`, described in the book's "Progress reports") that `docklings report`
//! reads. The export is a view of the progress file with the lessons' titles and step counts added, in course
//! order; the file itself is only read, never changed or set aside.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::cli::{ProgressArgs, ProgressCommand};
use crate::lesson::catalog;
use crate::lesson::progress::{Progress, now};

/// The schema an export names in its `schema` field.
pub const SCHEMA: &str = "docklings-progress/1";

/// A learner's progress as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    pub schema: String,
    pub learner: String,
    /// Seconds since the Unix epoch when the export was made.
    pub exported: u64,
    /// The language the lessons were shown in (`en`, `ko`).
    pub language: String,
    /// `sim` or `real` when recorded, else absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// The lesson last worked on.
    #[serde(default)]
    pub current: Option<String>,
    /// The lessons started, built-in ones in course order first.
    pub lessons: Vec<LessonExport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonExport {
    pub id: String,
    /// The lesson's title, when it is a built-in lesson or one of the pack given to the export.
    #[serde(default)]
    pub title: Option<String>,
    /// How many steps the lesson has, when its title is known.
    #[serde(default)]
    pub steps_total: Option<usize>,
    pub steps_completed: usize,
    /// Hints shown over all the lesson's steps.
    pub hints: usize,
    /// The step the learner is on, counted from 1.
    pub current_step: usize,
    /// Seconds since the Unix epoch.
    pub started: u64,
    pub finished: Option<u64>,
    pub steps: Vec<StepExport>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepExport {
    /// Counted from 1.
    pub step: usize,
    pub completed: Option<u64>,
    pub hints: usize,
}

/// The export of `progress`, named `learner`, at time `exported`; `pack` is the lesson pack the learner used, if
/// any, whose lessons follow the built-in ones (and stand for them where the ids are the same).
#[must_use]
pub fn export(progress: &Progress, learner: &str, exported: u64, pack: &[catalog::Entry]) -> Export {
    let built_in = catalog::built_in(if progress.lang.is_empty() { "en" } else { &progress.lang });
    let known: BTreeMap<&str, (usize, &catalog::Entry)> =
        built_in.lessons.iter().chain(pack).enumerate().map(|(i, e)| (e.lesson.id.as_str(), (i, e))).collect();
    let mut lessons: Vec<(Option<usize>, LessonExport)> = progress
        .lessons
        .iter()
        .map(|(id, l)| {
            let entry = known.get(id.as_str());
            let steps: Vec<StepExport> = l
                .steps
                .iter()
                .map(|(i, s)| StepExport { step: i + 1, completed: s.completed, hints: s.hints })
                .collect();
            let lesson = LessonExport {
                id: id.clone(),
                title: entry.map(|(_, e)| e.lesson.title.clone()),
                steps_total: entry.map(|(_, e)| e.lesson.steps.len()),
                steps_completed: steps.iter().filter(|s| s.completed.is_some()).count(),
                hints: steps.iter().map(|s| s.hints).sum(),
                current_step: l.step + 1,
                started: l.started,
                finished: l.finished,
                steps,
            };
            (entry.map(|(i, _)| *i), lesson)
        })
        .collect();
    // Built-in lessons in course order, then the pack's in its order, then any others by id.
    lessons.sort_by(|(a, x), (b, y)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => x.id.cmp(&y.id),
    });
    Export {
        schema: SCHEMA.to_string(),
        learner: learner.to_string(),
        exported,
        language: progress.lang.clone(),
        engine: progress.engine.clone(),
        current: progress.current.clone(),
        lessons: lessons.into_iter().map(|(_, l)| l).collect(),
    }
}

/// Reads the progress file without the tutor's repairs: an unreadable file is an error here, left where it is.
fn read(path: &Path) -> anyhow::Result<Progress> {
    match std::fs::read(path) {
        Ok(text) => serde_json::from_slice(&text)
            .with_context(|| format!("your progress file `{}` does not read", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Progress::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read `{}`", path.display())),
    }
}

pub fn run(args: &ProgressArgs) -> anyhow::Result<()> {
    match &args.command {
        ProgressCommand::Export { output, name, lessons } => {
            let progress = read(&Progress::path(&crate::home::dir()?))?;
            let pack = match lessons {
                Some(path) => {
                    let dir = crate::lesson::pack::open(path)?;
                    let lang = if progress.lang.is_empty() { "en" } else { &progress.lang };
                    let loaded = catalog::from_dir(&dir, lang)
                        .with_context(|| format!("cannot read lessons in `{}`", path.display()))?;
                    for e in &loaded.errors {
                        eprintln!("docklings: {e}");
                    }
                    loaded.lessons
                }
                None => Vec::new(),
            };
            let learner = name
                .clone()
                .or_else(|| std::env::var("USER").ok())
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| progress.learner.clone());
            anyhow::ensure!(!learner.trim().is_empty(), "no learner name: pass `--name NAME`");
            let mut text = serde_json::to_vec_pretty(&export(&progress, &learner, now(), &pack))?;
            text.push(b'\n');
            match output {
                Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display())),
                None => std::io::stdout().lock().write_all(&text).context("writing the export"),
            }
        }
    }
}
