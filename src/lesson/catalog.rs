//! Where lessons come from: the built-in ones (`lessons/en`, `lessons/ko`, embedded in the binary) or a folder of
//! an instructor's own. Lessons are ordered by file name, so `01-…` comes before `02-…`.

use std::path::Path;

use include_dir::{Dir, include_dir};

use super::{Lesson, LessonError, parse};

static BUILT_IN: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/lessons");

/// The languages lessons are written in.
pub const LANGUAGES: [&str; 2] = ["en", "ko"];

/// A lesson with the file it came from.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `en/01-why-containers.md` for a built-in lesson, the path for a folder's.
    pub file: String,
    pub lesson: Lesson,
}

/// What reading a set of lessons gave: the lessons that read, and every mistake in the others.
#[derive(Debug, Default)]
pub struct Loaded {
    pub lessons: Vec<Entry>,
    pub errors: Vec<LessonError>,
}

impl Loaded {
    fn add(&mut self, file: String, text: &str) {
        match parse(&file, text) {
            Ok(lesson) => self.lessons.push(Entry { file, lesson }),
            Err(errors) => self.errors.extend(errors),
        }
    }
}

/// The built-in lessons in one language.
#[must_use]
pub fn built_in(lang: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let Some(dir) = BUILT_IN.get_dir(lang) else { return loaded };
    let mut files: Vec<_> = dir.files().filter(|f| f.path().extension().is_some_and(|e| e == "md")).collect();
    files.sort_by_key(|f| f.path());
    for f in files {
        let text = String::from_utf8_lossy(f.contents());
        loaded.add(f.path().display().to_string(), &text);
    }
    loaded
}

/// The lessons in a folder: its `*.md` files, or, when it has `en/` and `ko/` folders, theirs in one language.
pub fn from_dir(dir: &Path, lang: &str) -> std::io::Result<Loaded> {
    let dir = if dir.join(lang).is_dir() { dir.join(lang) } else { dir.to_path_buf() };
    let mut paths: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let mut loaded = Loaded::default();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        loaded.add(path.display().to_string(), &text);
    }
    Ok(loaded)
}

/// The learner's language from the environment (`LANG=ko_KR.UTF-8` means Korean), English otherwise.
#[must_use]
pub fn default_language() -> &'static str {
    let lang = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    if lang.is_some_and(|l| l.starts_with("ko")) { "ko" } else { "en" }
}
