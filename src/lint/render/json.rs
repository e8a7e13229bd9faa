//! `--format json`: an array of findings. hadolint's keys (`code`, `column`, `file`, `level`, `line`,
//! `message`) are a subset, so tools written for hadolint read it.

use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, LineIndex};
use crate::lint::diagnostic::{Fix, Level, Safety};

#[derive(Serialize)]
struct JsonEdit {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: String,
}

#[derive(Serialize)]
struct JsonFix {
    title: String,
    safety: Safety,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    level: Level,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix>,
}

fn fix_json(fix: &Fix, idx: &LineIndex) -> JsonFix {
    JsonFix {
        title: fix.title.clone(),
        safety: fix.safety,
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let ((line, column), (end_line, end_column)) = idx.range(e.span);
                JsonEdit { line, column, end_line, end_column, replacement: e.replacement.clone() }
            })
            .collect(),
    }
}

pub(super) fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut findings = Vec::new();
    for r in reports {
        let idx = LineIndex::new(&r.src);
        for d in &r.diagnostics {
            let ((line, column), (end_line, end_column)) = idx.range(d.span);
            findings.push(JsonFinding {
                code: d.code,
                file: &r.path,
                line,
                column,
                end_line,
                end_column,
                level: d.level,
                message: &d.message,
                help: d.help.as_deref(),
                fix: d.fix.as_ref().map(|f| fix_json(f, &idx)),
            });
        }
    }
    serde_json::to_writer(&mut *out, &findings)?;
    writeln!(out)
}
