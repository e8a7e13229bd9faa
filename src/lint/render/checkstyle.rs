//! `--format checkstyle`: Checkstyle's XML report, which Jenkins and many CI servers read.

use std::io::{self, Write};

use quick_xml::escape::escape;

use super::{FileReport, LineIndex};
use crate::lint::diagnostic::Level;

pub(super) fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for r in reports.iter().filter(|r| !r.diagnostics.is_empty()) {
        let idx = LineIndex::new(&r.src);
        writeln!(out, r#"  <file name="{}">"#, escape(r.path.as_str()))?;
        for d in &r.diagnostics {
            let (line, column) = idx.position(d.span.start);
            let severity = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info | Level::Style => "info",
            };
            writeln!(
                out,
                r#"    <error line="{line}" column="{column}" severity="{severity}" message="{}" source="docklings.{}"/>"#,
                escape(d.message.as_str()),
                d.code
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
