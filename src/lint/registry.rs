//! The rule table: the one place where rule codes are spelled, with each rule's name, level, target and docs.

use super::context::DockerfileContext;
use super::diagnostic::{Level, Violation};
use super::rules;
use super::scripts::ScriptContext;

/// A rule's documentation, under the fixed headings `explain`, SARIF and the book show.
#[derive(Debug)]
pub struct RuleDocs {
    /// One line: what the rule flags.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    /// A snippet that the rule flags.
    pub example: &'static str,
    /// The same snippet written well.
    pub instead: &'static str,
    /// What `--fix` does, when the rule has a fix.
    pub fix: Option<&'static str>,
}

pub type DockerfileCheck = fn(&DockerfileContext, &mut Vec<Violation>);
pub type ScriptCheck = fn(&ScriptContext, &mut Vec<Violation>);

/// What a rule reads.
#[derive(Clone, Copy)]
pub enum Check {
    /// Problems the parser reports (DL1000).
    Parser,
    Dockerfile(DockerfileCheck),
    /// `docker …` commands in shell scripts, Makefiles, CI workflows and Markdown.
    Script(ScriptCheck),
}

pub struct Rule {
    pub code: &'static str,
    /// The pattern the rule flags, in CamelCase.
    pub name: &'static str,
    /// Other names accepted wherever a code is (BuildKit's check names).
    pub aliases: &'static [&'static str],
    pub level: Level,
    pub default_enabled: bool,
    pub check: Check,
    pub docs: &'static RuleDocs,
}

impl Rule {
    const fn new(code: &'static str, name: &'static str, level: Level, check: Check, docs: &'static RuleDocs) -> Rule {
        Rule { code, name, aliases: &[], level, default_enabled: true, check, docs }
    }

    #[must_use]
    pub fn matches(&self, code_or_name: &str) -> bool {
        self.code.eq_ignore_ascii_case(code_or_name)
            || self.name.eq_ignore_ascii_case(code_or_name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(code_or_name))
    }
}

use Check::{Dockerfile as D, Script as S};
use Level::{Error, Info, Warning};

pub static RULES: &[Rule] = &[
    Rule::new("DL1000", "ParseError", Error, Check::Parser, &rules::PARSE_ERROR_DOCS),
    Rule::new(
        "DK1001",
        "CopyBeforeInstall",
        Warning,
        D(rules::copy_before_install::check),
        &rules::copy_before_install::DOCS,
    ),
    Rule::new(
        "DK2001",
        "UnpublishedExpose",
        Warning,
        S(rules::unpublished_expose::check),
        &rules::unpublished_expose::DOCS,
    ),
    Rule::new(
        "DK2002",
        "LeftoverContainer",
        Info,
        S(rules::leftover_container::check),
        &rules::leftover_container::DOCS,
    ),
    Rule::new("DL3006", "UntaggedImage", Warning, D(rules::untagged_image::check), &rules::untagged_image::DOCS),
    Rule::new("DL3007", "LatestTag", Warning, D(rules::latest_tag::check), &rules::latest_tag::DOCS),
];

/// The rule with this code, name or alias.
#[must_use]
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.matches(code_or_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code.to_ascii_lowercase()), "duplicate code {}", r.code);
            assert!(seen.insert(r.name.to_ascii_lowercase()), "duplicate name {}", r.name);
            for a in r.aliases {
                assert!(seen.insert(a.to_ascii_lowercase()), "duplicate alias {a}");
            }
            assert!(
                !r.name.starts_with("No") && !r.name.starts_with("Disallow"),
                "{}: name the pattern, not the fix",
                r.name
            );
        }
    }

    #[test]
    fn every_rule_has_docs() {
        for r in RULES {
            let d = r.docs;
            for (what, text) in [
                ("summary", d.summary),
                ("what", d.what),
                ("why", d.why),
                ("example", d.example),
                ("instead", d.instead),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {what}", r.code);
            }
        }
    }
}
