//! `--format sarif`: SARIF 2.1.0 with every rule's metadata, for GitHub code scanning and other readers.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{FileReport, LineIndex};
use crate::lint::diagnostic::{Fix, Level};
use crate::lint::registry::RULES;

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info | Level::Style => "note",
    }
}

fn region(idx: &LineIndex, span: crate::dockerfile::Span) -> Value {
    let ((l, c), (el, ec)) = idx.range(span);
    json!({ "startLine": l, "startColumn": c, "endLine": el, "endColumn": ec })
}

fn fix(uri: &str, fix: &Fix, idx: &LineIndex) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| json!({ "deletedRegion": region(idx, e.span), "insertedContent": { "text": e.replacement } }))
        .collect();
    json!({
        "description": { "text": fix.title },
        "artifactChanges": [{ "artifactLocation": { "uri": uri }, "replacements": replacements }],
    })
}

/// A relative path as a URI reference: forward slashes, spaces and other reserved bytes escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.trim_start_matches("./").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub(super) fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let d = r.docs;
            let mut help =
                format!("{}\n\nWhy: {}\n\nExample:\n{}\nUse instead:\n{}", d.what, d.why, d.example, d.instead);
            if let Some(f) = d.fix {
                help.push_str(&format!("\nFix: {f}"));
            }
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": d.summary },
                "fullDescription": { "text": d.what },
                "help": { "text": help },
                "defaultConfiguration": { "level": sarif_level(r.level), "enabled": r.default_enabled },
                "properties": { "tags": [if r.code.starts_with("DK2") { "docker-run" } else { "dockerfile" }] },
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let idx = LineIndex::new(&r.src);
        let uri = uri(&r.path);
        for d in &r.diagnostics {
            let rule_index = RULES.iter().position(|rule| rule.code == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": sarif_level(d.level),
                "message": { "text": d.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri }, "region": region(&idx, d.span) } }],
            });
            if let Some(f) = &d.fix {
                result["fixes"] = json!([fix(&uri, f, &idx)]);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "docklings",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
