//! `--format gnu`: one line per finding in the GNU Coding Standards' form, which editors jump to.

use std::io::{self, Write};

use super::{FileReport, LineIndex};
use crate::lint::diagnostic::Level;

pub(super) fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        let idx = LineIndex::new(&r.src);
        for d in &r.diagnostics {
            let ((l, c), (el, ec)) = idx.range(d.span);
            let level = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info => "info",
                Level::Style => "note",
            };
            writeln!(out, "{}:{l}.{c}-{el}.{ec}: {level}: {} [{}]", r.path, d.message, d.code)?;
        }
    }
    Ok(())
}
