//! `docklings explain CODE`: a rule's documentation, from the same source as SARIF's rule metadata.

use std::fmt::Write as _;

use anyhow::{Result, bail};

use crate::lint::registry::{self, RULES, Rule};

/// The rule's docs as Markdown with the fixed headings.
#[must_use]
pub fn text(rule: &Rule) -> String {
    let d = rule.docs;
    let mut s = format!("# {} {}: {}\n\n", rule.code, rule.name, d.summary);
    let _ = writeln!(s, "Level: {}{}\n", rule.level, if rule.default_enabled { "" } else { " (off unless enabled)" });
    if !rule.aliases.is_empty() {
        let _ = writeln!(s, "Also known as: {}\n", rule.aliases.join(", "));
    }
    let lang = if rule.code.starts_with("DK2") { "sh" } else { "dockerfile" };
    let _ = write!(
        s,
        "## What it does\n\n{}\n\n## Why\n\n{}\n\n## Example\n\n```{lang}\n{}```\n\n## Use instead\n\n```{lang}\n{}```\n",
        d.what, d.why, d.example, d.instead
    );
    if let Some(fix) = d.fix {
        let _ = write!(s, "\n## Fix\n\n{fix}\n");
    }
    s
}

pub fn run(code: &str) -> Result<()> {
    let Some(rule) = registry::find(code) else {
        let close: Vec<&str> = RULES
            .iter()
            .filter(|r| {
                strsim::levenshtein(&r.code.to_ascii_lowercase(), &code.to_ascii_lowercase()) <= 2
                    || strsim::jaro_winkler(&r.name.to_ascii_lowercase(), &code.to_ascii_lowercase()) > 0.9
            })
            .map(|r| r.code)
            .collect();
        let hint = if close.is_empty() { String::new() } else { format!(" (did you mean {}?)", close.join(", ")) };
        bail!("no rule `{code}`{hint}; the rules are: {}", RULES.iter().map(|r| r.code).collect::<Vec<_>>().join(", "));
    };
    print!("{}", text(rule));
    Ok(())
}
