//! The fix loop, as ruff runs it: take the fixes of the findings, apply those that do not overlap, lint again,
//! and repeat until nothing changes. A round is kept only when the result still parses and raises no finding
//! that the input did not have; a fix that breaks either is refused (and reported), never applied.
//! Pure: the caller reads and writes files.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::context::{RunScript, ScriptOrigin};
use super::diagnostic::{Diagnostic, Edit, Fix, Safety};
use super::scripts::{ScriptContext, ScriptKind, Workspace};
use super::{BuildContext, Settings, lint_dockerfile_with, lint_script};
use crate::dockerfile::{self, Span};
use crate::shell;

/// Enough rounds for fixes that only become possible after others (two insertions at one place take two);
/// a loop that still changes the text after this many is cut short rather than trusted.
pub const MAX_ROUNDS: usize = 10;

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub code: &'static str,
    pub title: String,
    pub safety: Safety,
}

/// A fix that was not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub title: String,
    pub reason: String,
}

/// What fixing a text did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The fixed text (the input when nothing applied).
    pub text: String,
    /// The findings of the input.
    pub before: Vec<Diagnostic>,
    /// The findings of the fixed text.
    pub after: Vec<Diagnostic>,
    pub applied: Vec<Applied>,
    pub refused: Vec<Refused>,
    /// Findings left whose fix is unsafe and was not asked for.
    pub unsafe_available: usize,
}

impl Outcome {
    #[must_use]
    pub fn changed(&self) -> bool {
        !self.applied.is_empty()
    }
}

/// How to lint a version of the text, and how many problems its parser finds in it.
pub struct Linter<'a> {
    pub lint: &'a dyn Fn(&str) -> Vec<Diagnostic>,
    /// Problems a fix must never add: parse errors for a Dockerfile.
    pub problems: &'a dyn Fn(&str) -> usize,
}

/// Fixes a Dockerfile's findings.
#[must_use]
pub fn fix_dockerfile(src: &str, settings: &Settings, build: BuildContext, unsafe_fixes: bool) -> Outcome {
    let lint = |t: &str| lint_dockerfile_with(t, settings, build);
    let problems = |t: &str| dockerfile::parse(t).errors.len();
    fix(src, &Linter { lint: &lint, problems: &problems }, unsafe_fixes)
}

/// Fixes the findings in the docker commands of a script.
#[must_use]
pub fn fix_script(
    src: &str,
    kind: ScriptKind,
    path: &Path,
    settings: &Settings,
    workspace: &dyn Workspace,
    unsafe_fixes: bool,
) -> Outcome {
    let lint = |t: &str| lint_script(t, kind, path, settings, workspace);
    // The shell reader never fails; what a fix must not do is turn a docker command into something that no
    // longer reads as one.
    let calls = |t: &str| ScriptContext::new(t, kind, path, workspace).calls.len();
    let expected = calls(src);
    let problems = |t: &str| expected.saturating_sub(calls(t));
    fix(src, &Linter { lint: &lint, problems: &problems }, unsafe_fixes)
}

/// Findings per code.
fn counts(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics {
        *out.entry(d.code).or_insert(0) += 1;
    }
    out
}

/// True when two fixes touch the same text: their edits intersect, or insert at the same place (whose order
/// would be a guess).
fn overlaps(a: &Fix, b: &Fix) -> bool {
    a.edits.iter().any(|x| {
        b.edits.iter().any(|y| x.span.start == y.span.start || (x.span.start < y.span.end && y.span.start < x.span.end))
    })
}

/// The text with the edits applied. The edits must not overlap.
#[must_use]
pub fn apply(src: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(src.len() + 64);
    let mut at = 0;
    for e in sorted {
        let start = e.span.start.clamp(at, src.len());
        out.push_str(&src[at..start]);
        out.push_str(&e.replacement);
        at = e.span.end.clamp(start, src.len());
    }
    out.push_str(&src[at..]);
    out
}

/// What identifies a fix across rounds, where spans move: its rule, its title and the text it changes.
fn key(src: &str, code: &str, fix: &Fix) -> String {
    let mut k = format!("{code}\u{0}{}", fix.title);
    for e in &fix.edits {
        k.push('\u{0}');
        k.push_str(src.get(e.span.start..e.span.end).unwrap_or(""));
        k.push('\u{1}');
        k.push_str(&e.replacement);
    }
    k
}

/// Why a version of the text is worse than the input: a parse problem or a finding it did not have.
fn regression(
    linter: &Linter,
    text: &str,
    problems_before: usize,
    before: &BTreeMap<&'static str, usize>,
) -> Result<Vec<Diagnostic>, String> {
    if (linter.problems)(text) > problems_before {
        return Err("the result would not parse".to_string());
    }
    let found = (linter.lint)(text);
    let new: Vec<&str> = counts(&found)
        .into_iter()
        .filter(|(code, n)| *n > before.get(code).copied().unwrap_or(0))
        .map(|(code, _)| code)
        .collect();
    if new.is_empty() { Ok(found) } else { Err(format!("the result would raise {}", new.join(", "))) }
}

/// Runs the fix loop over a text.
#[must_use]
pub fn fix(src: &str, linter: &Linter, unsafe_fixes: bool) -> Outcome {
    let before = (linter.lint)(src);
    let before_counts = counts(&before);
    let problems_before = (linter.problems)(src);
    let mut text = src.to_string();
    let mut current = before.clone();
    let mut applied = Vec::new();
    let mut refused = Vec::new();
    let mut refused_keys: HashSet<String> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        // The fixes to try this round, first come first served, skipping any that touch text an earlier one
        // changes: the next round, on the new text, gets to them.
        let mut chosen: Vec<(&Diagnostic, &Fix, String)> = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for d in &current {
            let Some(f) = &d.fix else { continue };
            // Equal fixes (two `apt-get install` lines each wanting `-y`) are told apart by their order.
            let base = key(&text, d.code, f);
            let n = seen.entry(base.clone()).or_insert(0);
            let k = format!("{base}\u{0}{n}");
            *n += 1;
            let allowed = f.safety == Safety::Safe || unsafe_fixes;
            if !allowed || f.edits.is_empty() || refused_keys.contains(&k) {
                continue;
            }
            if chosen.iter().all(|(_, cf, _)| !overlaps(cf, f)) {
                chosen.push((d, f, k));
            }
        }
        if chosen.is_empty() {
            break;
        }
        let edits: Vec<&Edit> = chosen.iter().flat_map(|(_, f, _)| &f.edits).collect();
        let candidate = apply(&text, &edits);
        if candidate == text {
            break;
        }
        if let Ok(found) = regression(linter, &candidate, problems_before, &before_counts) {
            applied.extend(chosen.iter().map(|(d, f, _)| Applied {
                code: d.code,
                title: f.title.clone(),
                safety: f.safety,
            }));
            text = candidate;
            current = found;
            continue;
        }
        // Some fix of the round is to blame: try them one at a time, keep the first that is fine and refuse
        // those that are not. The next round lints the new text, so stale spans never apply.
        for (d, f, k) in &chosen {
            let one = apply(&text, &f.edits.iter().collect::<Vec<_>>());
            match regression(linter, &one, problems_before, &before_counts) {
                Ok(found) => {
                    applied.push(Applied { code: d.code, title: f.title.clone(), safety: f.safety });
                    text = one;
                    current = found;
                    break;
                }
                Err(reason) => {
                    refused_keys.insert(k.clone());
                    refused.push(Refused { code: d.code, title: f.title.clone(), reason });
                }
            }
        }
    }
    let unsafe_available = if unsafe_fixes {
        0
    } else {
        current.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Unsafe)).count()
    };
    Outcome { text, before, after: current, applied, refused, unsafe_available }
}

/// An edit that inserts ` text` after a word of a RUN's shell script, or `None` where that cannot be written
/// safely (the exec form, whose words are JSON strings).
#[must_use]
pub fn insert_after_word(script: &RunScript, word: &shell::Word, text: &str) -> Option<Edit> {
    if matches!(script.origin, ScriptOrigin::Words(_)) {
        return None;
    }
    let at = script.word_span(word).end;
    Some(Edit { span: Span::new(at, at), replacement: format!(" {text}") })
}

/// The line ending a text uses, so that inserted lines match it.
#[must_use]
pub fn line_ending(src: &str) -> &'static str {
    if src.contains("\r\n") { "\r\n" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Level;
    use crate::lint::diagnostic::Violation;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit { span: Span::new(start, end), replacement: text.to_string() }
    }

    fn fix_of(edits: Vec<Edit>) -> Fix {
        Fix::new("test", Safety::Safe, edits)
    }

    #[test]
    fn applies_edits_in_order_of_position() {
        let src = "abcdef";
        assert_eq!(apply(src, &[&edit(4, 5, "E"), &edit(0, 1, "A"), &edit(2, 2, "+")]), "Ab+cdEf");
        assert_eq!(apply(src, &[&edit(6, 6, "!")]), "abcdef!");
        assert_eq!(apply(src, &[]), src);
    }

    #[test]
    fn overlap_is_shared_text_or_the_same_insertion_point() {
        assert!(overlaps(&fix_of(vec![edit(0, 4, "x")]), &fix_of(vec![edit(3, 6, "y")])));
        assert!(overlaps(&fix_of(vec![edit(2, 2, "x")]), &fix_of(vec![edit(2, 2, "y")])));
        assert!(overlaps(&fix_of(vec![edit(1, 5, "x")]), &fix_of(vec![edit(3, 3, "y")])));
        assert!(!overlaps(&fix_of(vec![edit(0, 3, "x")]), &fix_of(vec![edit(3, 3, "y")])));
        assert!(!overlaps(&fix_of(vec![edit(0, 1, "x"), edit(9, 9, "z")]), &fix_of(vec![edit(4, 5, "y")])));
        assert!(overlaps(&fix_of(vec![edit(0, 1, "x"), edit(9, 9, "z")]), &fix_of(vec![edit(8, 10, "y")])));
    }

    /// A toy linter: every `a` is a finding whose fix turns it into `b`; `bb` is a finding of its own, with
    /// no fix; `!` is a parse error.
    fn toy(text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (i, c) in text.char_indices() {
            if c == 'a' {
                let v = Violation::new(Span::new(i, i + 1), "a").fix(Fix::new(
                    "a to b",
                    Safety::Safe,
                    vec![edit(i, i + 1, "b")],
                ));
                out.push(Diagnostic { code: "T1", level: Level::Info, violation: v });
            }
        }
        for (i, _) in text.match_indices("bb") {
            out.push(Diagnostic {
                code: "T2",
                level: Level::Info,
                violation: Violation::new(Span::new(i, i + 2), "bb"),
            });
        }
        out
    }

    fn bangs(text: &str) -> usize {
        text.matches('!').count()
    }

    #[test]
    fn applies_until_nothing_changes_and_is_idempotent() {
        let linter = Linter { lint: &toy, problems: &bangs };
        let out = fix("xaxax", &linter, false);
        assert_eq!(out.text, "xbxbx");
        assert_eq!(out.applied.len(), 2);
        assert!(out.after.is_empty());
        let again = fix(&out.text, &linter, false);
        assert_eq!(again.text, out.text);
        assert!(!again.changed());
    }

    #[test]
    fn refuses_a_fix_that_raises_a_new_finding() {
        let linter = Linter { lint: &toy, problems: &bangs };
        // Turning the first `a` into `b` makes `bb`, a finding the input did not have; the second is fine.
        let out = fix("bax-a", &linter, false);
        assert_eq!(out.text, "bax-b");
        assert_eq!(out.refused.len(), 1, "{:?}", out.refused);
        assert!(out.refused[0].reason.contains("T2"), "{}", out.refused[0].reason);
    }

    #[test]
    fn refuses_a_fix_whose_result_does_not_parse() {
        let lint = |t: &str| {
            t.match_indices('?')
                .map(|(i, _)| {
                    let v = Violation::new(Span::new(i, i + 1), "?").fix(Fix::new(
                        "? to !",
                        Safety::Safe,
                        vec![edit(i, i + 1, "!")],
                    ));
                    Diagnostic { code: "T3", level: Level::Info, violation: v }
                })
                .collect()
        };
        let linter = Linter { lint: &lint, problems: &bangs };
        let out = fix("a?b", &linter, false);
        assert_eq!(out.text, "a?b");
        assert_eq!(out.refused.len(), 1);
        assert_eq!(out.refused[0].reason, "the result would not parse");
    }

    #[test]
    fn unsafe_fixes_only_when_asked() {
        let lint = |t: &str| {
            t.match_indices('u')
                .map(|(i, _)| {
                    let v = Violation::new(Span::new(i, i + 1), "u").fix(Fix::new(
                        "u to v",
                        Safety::Unsafe,
                        vec![edit(i, i + 1, "v")],
                    ));
                    Diagnostic { code: "T4", level: Level::Info, violation: v }
                })
                .collect()
        };
        let linter = Linter { lint: &lint, problems: &bangs };
        let safe = fix("uu", &linter, false);
        assert_eq!((safe.text.as_str(), safe.unsafe_available), ("uu", 2));
        let all = fix("uu", &linter, true);
        assert_eq!((all.text.as_str(), all.unsafe_available), ("vv", 0));
    }
}
