//! A learner's progress: which lessons they started, the step they are on, the steps they finished and when,
//! and how many hints each step took. One JSON file under `$DOCKLINGS_HOME`, written atomically (a temporary file
//! renamed over the old one), so a crash leaves the old progress or the new, never half of one. A file that does
//! not read is set aside, never deleted, and the learner starts fresh with a message saying where it went.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The version of the file's shape; `docklings progress export` writes the same shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepProgress {
    /// Seconds since the Unix epoch when all the step's goals first held.
    pub completed: Option<u64>,
    /// Hints shown.
    pub hints: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The step the learner is on (0-based).
    pub step: usize,
    pub started: u64,
    pub finished: Option<u64>,
    /// By step index.
    pub steps: BTreeMap<usize, StepProgress>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    pub learner: String,
    /// The language lessons are shown in.
    pub lang: String,
    /// The lesson last worked on.
    pub current: Option<String>,
    /// The kind of engine of the last session, `sim` or `real` (absent in files written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl Default for Progress {
    fn default() -> Progress {
        let learner = ["USER", "USERNAME"].iter().find_map(|v| std::env::var(v).ok()).unwrap_or_default();
        Progress {
            version: SCHEMA_VERSION,
            learner,
            lang: String::new(),
            current: None,
            engine: None,
            lessons: BTreeMap::new(),
        }
    }
}

/// Seconds since the Unix epoch.
#[must_use]
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Progress {
    /// The file under a `$DOCKLINGS_HOME`.
    #[must_use]
    pub fn path(home: &Path) -> PathBuf {
        home.join("progress.json")
    }

    /// Reads the progress; a missing file is a fresh start, an unreadable one is moved aside (the note says where).
    #[must_use]
    pub fn load(path: &Path) -> (Progress, Option<String>) {
        let Ok(text) = std::fs::read(path) else { return (Progress::default(), None) };
        match serde_json::from_slice::<Progress>(&text) {
            Ok(p) if p.version <= SCHEMA_VERSION => (p, None),
            result => {
                let why = result.map_or_else(|e| e.to_string(), |p| format!("it is version {}", p.version));
                let aside = path.with_extension(format!("json.unreadable-{}", now()));
                let note = match std::fs::rename(path, &aside) {
                    Ok(()) => format!(
                        "your progress file could not be read ({why}); it was kept as {} and you start fresh",
                        aside.display()
                    ),
                    Err(e) => {
                        format!("your progress file could not be read ({why}) nor set aside ({e}); you start fresh")
                    }
                };
                (Progress::default(), Some(note))
            }
        }
    }

    /// Writes the progress atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }

    /// A lesson's record, started now when new.
    pub fn lesson(&mut self, id: &str) -> &mut LessonProgress {
        self.lessons
            .entry(id.to_string())
            .or_insert_with(|| LessonProgress { started: now(), ..LessonProgress::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_a_bad_file_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = Progress::path(dir.path());
        assert_eq!(Progress::load(&path), (Progress::default(), None));

        let mut p = Progress { lang: "ko".into(), ..Progress::default() };
        p.lesson("first").steps.entry(0).or_default().hints = 2;
        p.lesson("first").step = 1;
        p.save(&path).unwrap();
        assert_eq!(Progress::load(&path).0, p);
        assert!(!path.with_extension("json.tmp").exists());

        std::fs::write(&path, b"{ not json").unwrap();
        let (fresh, note) = Progress::load(&path);
        assert_eq!(fresh, Progress::default());
        let note = note.unwrap();
        assert!(note.contains("could not be read") && note.contains("you start fresh"), "{note}");
        let kept: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        let kept = dir.path().join(&kept[0]);
        assert_eq!(std::fs::read(kept).unwrap(), b"{ not json");
    }

    #[test]
    fn a_file_from_before_the_engine_was_recorded_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let path = Progress::path(dir.path());
        let old = r#"{"version":1,"learner":"ana","lang":"en","current":null,"lessons":{"a":{"step":1,"started":5,"finished":null,"steps":{"0":{"completed":7,"hints":1}}}}}"#;
        std::fs::write(&path, old).unwrap();
        let (p, note) = Progress::load(&path);
        assert_eq!(note, None);
        assert_eq!(p.engine, None);
        assert_eq!(p.lessons["a"].steps[&0], StepProgress { completed: Some(7), hints: 1 });
    }
}
