//! Renderers: the same diagnostics as a terminal report, JSON, SARIF, Checkstyle, GNU or Code Climate.

mod checkstyle;
mod codeclimate;
mod gnu;
mod json;
mod sarif;
mod tty;

use std::io::{self, Write};

use super::diagnostic::Diagnostic;
use crate::dockerfile::Span;

/// The output formats `--format` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames for people, coloured when the terminal allows.
    Tty,
    /// An array of findings; hadolint's keys are a subset.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// Checkstyle XML, for Jenkins and other CI servers.
    Checkstyle,
    /// `file:line.column: level: message`, for editors.
    Gnu,
    /// GitLab's Code Quality report (Code Climate JSON).
    Codeclimate,
}

/// One linted file: its name as shown, its text and its findings.
pub struct FileReport {
    pub path: String,
    pub src: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Line starts of a text, to turn byte offsets into 1-based line and column numbers.
pub struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    #[must_use]
    pub fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { src, starts }
    }

    /// 1-based line and column (columns count characters) of a byte offset.
    #[must_use]
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self.src.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Start and end positions of a span; the end column is exclusive, as in SARIF.
    #[must_use]
    pub fn range(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        (self.position(span.start), self.position(span.end.max(span.start)))
    }

    /// The text of a 1-based line, without its line ending.
    #[must_use]
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line - 1) else { return "" };
        let end = self.starts.get(line).map_or(self.src.len(), |&e| e);
        self.src.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    #[must_use]
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Writes the reports in a format. `files_checked` counts clean files too, for the summary.
pub fn render(format: Format, reports: &[FileReport], files_checked: usize, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Tty => tty::render(reports, files_checked, out),
        Format::Json => json::render(reports, out),
        Format::Sarif => sarif::render(reports, out),
        Format::Checkstyle => checkstyle::render(reports, out),
        Format::Gnu => gnu::render(reports, out),
        Format::Codeclimate => codeclimate::render(reports, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let idx = LineIndex::new("ab\nçd\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(5), (2, 2));
        assert_eq!(idx.line(2), "çd");
        assert_eq!(idx.position(100), (3, 1));
    }
}
