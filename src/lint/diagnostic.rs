//! A finding is plain data: code, level, message, the span of the smallest culprit, optional help and fix.
//! Line and column are computed only when a renderer prints it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::dockerfile::Span;

/// How serious a finding is, from most to least (hadolint's levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Style,
    Info,
    Warning,
    Error,
}

impl Level {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Style => "style",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Ok(Level::Error),
            "warning" => Ok(Level::Warning),
            "info" => Ok(Level::Info),
            "style" => Ok(Level::Style),
            _ => Err(format!("unknown level `{s}` (expected error, warning, info or style)")),
        }
    }
}

/// Whether a fix can be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps the meaning of the file.
    Safe,
    /// May change what the build does; applied only when asked.
    Unsafe,
}

/// Replace the text at `span` with `replacement` (an insertion when the span is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, in a few words ("Insert `--rm`").
    pub title: String,
    pub safety: Safety,
    /// Sorted by position, not overlapping.
    pub edits: Vec<Edit>,
}

impl Fix {
    #[must_use]
    pub fn new(title: impl Into<String>, safety: Safety, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix { title: title.into(), safety, edits }
    }
}

/// What a rule reports: where, what, and optionally how to mend it. The runner adds code and level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub span: Span,
    pub message: String,
    /// A short note printed under the underlined culprit.
    pub label: Option<String>,
    /// Other places that explain the finding, each with a note.
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Violation {
    #[must_use]
    pub fn new(span: Span, message: impl Into<String>) -> Violation {
        Violation { span, message: message.into(), label: None, secondary: Vec::new(), help: None, fix: None }
    }

    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn secondary(mut self, span: Span, note: impl Into<String>) -> Self {
        self.secondary.push((span, note.into()));
        self
    }

    #[must_use]
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

/// A finding with its rule's code and the level in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub level: Level,
    pub violation: Violation,
}

impl std::ops::Deref for Diagnostic {
    type Target = Violation;
    fn deref(&self) -> &Violation {
        &self.violation
    }
}
