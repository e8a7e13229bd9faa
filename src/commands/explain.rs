//! `docklings explain CODE`: a rule's documentation, from the same source as SARIF's rule metadata.

use std::fmt::Write as _;

use anyhow::{Result, bail};

use crate::lesson::catalog;
use crate::lint::registry::{self, RULES, Rule};

/// The lesson that teaches the idea behind a rule, by lesson id (the `id` of a lesson's front matter in
/// `lessons/en/`). Kept here rather than in `RuleDocs` so that rule files stay about rules; a test checks that
/// every code and every lesson named here exists.
pub const LESSONS: &[(&str, &str)] = &[
    ("DK1001", "build-cache"),
    ("DK2001", "expose-and-publish"),
    ("DK2002", "containers"),
    ("DL3000", "node-dockerfile"),
    ("DL3006", "tags-and-registries"),
    ("DL3007", "tags-and-registries"),
    ("DL3009", "images-and-layers"),
    ("DL3019", "images-and-layers"),
    ("DL3025", "cmd-versus-run"),
    ("DL3042", "images-and-layers"),
    ("DL3045", "node-dockerfile"),
    ("DL3059", "images-and-layers"),
    ("DL4003", "cmd-versus-run"),
];

/// The id and English title of the lesson that teaches a rule's idea, when one does.
#[must_use]
pub fn lesson(rule: &Rule) -> Option<(&'static str, String)> {
    let id = LESSONS.iter().find(|(code, _)| *code == rule.code).map(|(_, id)| *id)?;
    let title = catalog::built_in("en")
        .lessons
        .into_iter()
        .find(|e| e.lesson.id == id)
        .map_or_else(|| id.to_string(), |e| e.lesson.title);
    Some((id, title))
}

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
    if let Some((id, title)) = lesson(rule) {
        let _ = write!(
            s,
            "\n## Learn more\n\nThe lesson \"{title}\" (`{id}`) teaches the idea behind this rule: run \
             `docklings learn {id}` to open it.\n"
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_named_exists_for_a_rule_that_exists() {
        for lang in ["en", "ko"] {
            let loaded = catalog::built_in(lang);
            for (code, id) in LESSONS {
                assert!(registry::find(code).is_some_and(|r| r.code == *code), "{code}: no such rule");
                assert!(loaded.lessons.iter().any(|e| e.lesson.id == *id), "{code}: no {lang} lesson `{id}`");
            }
        }
    }

    #[test]
    fn explain_names_the_lesson_and_how_to_open_it() {
        let dk1001 = text(registry::find("DK1001").unwrap());
        assert!(dk1001.contains("## Learn more"), "{dk1001}");
        assert!(dk1001.contains("\"The build cache and instruction order\" (`build-cache`)"), "{dk1001}");
        assert!(dk1001.contains("`docklings learn build-cache`"), "{dk1001}");
        let latest = text(registry::find("LatestTag").unwrap());
        assert!(latest.contains("`docklings learn tags-and-registries`"), "{latest}");
        // A rule no lesson teaches has no such section.
        let sudo = text(registry::find("DL3004").unwrap());
        assert!(!sudo.contains("Learn more"), "{sudo}");
    }
}
