//! `--format codeclimate`: GitLab's Code Quality report, a JSON array of Code Climate issues.

use std::io::{self, Write};

use serde_json::json;
use sha2::{Digest, Sha256};

use super::{FileReport, LineIndex};
use crate::lint::diagnostic::Level;

pub(super) fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for r in reports {
        let idx = LineIndex::new(&r.src);
        for (n, d) in r.diagnostics.iter().enumerate() {
            let ((line, _), (end_line, _)) = idx.range(d.span);
            // The fingerprint must stay the same while the finding does, even when lines above it move:
            // hash the rule, the file and the culprit's text, plus the finding's rank among equal ones.
            let culprit = r.src.get(d.span.start..d.span.end).unwrap_or("");
            let rank = r.diagnostics[..n]
                .iter()
                .filter(|o| o.code == d.code && r.src.get(o.span.start..o.span.end) == Some(culprit))
                .count();
            let mut hasher = Sha256::new();
            hasher.update(format!("{}\0{}\0{}\0{rank}", d.code, r.path, culprit));
            let fingerprint = hasher.finalize().iter().take(16).fold(String::new(), |s, b| s + &format!("{b:02x}"));
            let severity = match d.level {
                Level::Error => "critical",
                Level::Warning => "major",
                Level::Info => "minor",
                Level::Style => "info",
            };
            issues.push(json!({
                "type": "issue",
                "check_name": d.code,
                "description": format!("{}: {}", d.code, d.message),
                "categories": [if d.level == Level::Style { "Style" } else { "Bug Risk" }],
                "severity": severity,
                "fingerprint": fingerprint,
                "location": { "path": r.path, "lines": { "begin": line, "end": end_line } },
            }));
        }
    }
    serde_json::to_writer(&mut *out, &issues)?;
    writeln!(out)
}
