//! The linter: rules over parsed Dockerfiles and over `docker …` commands in scripts, producing diagnostics.
//! Pure: the caller reads files (through [`Workspace`] where a rule needs another file) and renders the output.

pub mod config;
pub mod context;
pub mod diagnostic;
pub mod fix;
pub mod pragma;
pub mod registry;
pub mod render;
pub mod rules;
pub mod scripts;

use std::collections::{HashMap, HashSet};
use std::path::Path;

pub use config::{Config, RuleSettings, Threshold};
pub use diagnostic::{Diagnostic, Edit, Fix, Level, Safety, Violation};
pub use registry::{Check, RULES, Rule};
pub use scripts::{ScriptKind, Workspace};

use crate::dockerfile::{self, Span};
use context::DockerfileContext;
use pragma::Scope;

/// Which rules run and at what level, after configuration and command-line options.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    disabled: HashSet<&'static str>,
    enabled: HashSet<&'static str>,
    levels: HashMap<&'static str, Level>,
    pub rules: RuleSettings,
    pub honour_pragmas: bool,
}

/// A code or name that no rule has. hadolint configurations often name ShellCheck codes (`SC2086`) or rules
/// docklings does not have; those are accepted silently, anything else is a mistake worth reporting.
fn resolve(code: &str) -> Result<Option<&'static str>, String> {
    if let Some(rule) = registry::find(code) {
        return Ok(Some(rule.code));
    }
    let looks_like_code = code.len() >= 5
        && code[..2].chars().all(|c| c.is_ascii_uppercase())
        && code[2..].chars().all(|c| c.is_ascii_digit());
    if looks_like_code {
        Ok(None)
    } else {
        let names: Vec<&str> =
            RULES.iter().flat_map(|r| std::iter::once(r.name).chain(r.aliases.iter().copied())).collect();
        let hint = names
            .iter()
            .min_by_key(|n| strsim::levenshtein(&n.to_ascii_lowercase(), &code.to_ascii_lowercase()))
            .filter(|n| strsim::levenshtein(&n.to_ascii_lowercase(), &code.to_ascii_lowercase()) <= 3)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        Err(format!("unknown rule `{code}`{hint}"))
    }
}

impl Settings {
    /// Builds settings from a configuration file's content and the command line's `--ignore` codes.
    pub fn new(config: &Config, extra_ignored: &[String]) -> Result<Settings, String> {
        let mut s = Settings {
            rules: config.rules.clone(),
            honour_pragmas: !config.disable_ignore_pragma,
            ..Settings::default()
        };
        for code in config.ignored.iter().chain(extra_ignored) {
            if let Some(c) = resolve(code)? {
                s.disabled.insert(c);
            }
        }
        for code in &config.enabled {
            if let Some(c) = resolve(code)? {
                s.enabled.insert(c);
            }
        }
        for (code, level) in &config.overrides {
            if let Some(c) = resolve(code)? {
                s.levels.insert(c, *level);
            }
        }
        Ok(s)
    }

    #[must_use]
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        !self.disabled.contains(rule.code) && (rule.default_enabled || self.enabled.contains(rule.code))
    }

    #[must_use]
    pub fn level(&self, rule: &Rule) -> Level {
        self.levels.get(rule.code).copied().unwrap_or(rule.level)
    }
}

/// A suppression read from a pragma: the codes it names, over a span of the file.
struct Suppression {
    codes: Vec<String>,
    span: Span,
}

impl Suppression {
    fn covers(&self, d: &Diagnostic) -> bool {
        d.violation.span.start >= self.span.start
            && d.violation.span.start <= self.span.end
            && self.codes.iter().any(|c| registry::find(c).is_some_and(|r| r.code == d.code))
    }
}

fn stamp(rule: &'static Rule, settings: &Settings, found: Vec<Violation>, out: &mut Vec<Diagnostic>) {
    let level = settings.level(rule);
    out.extend(found.into_iter().map(|violation| Diagnostic { code: rule.code, level, violation }));
}

/// What the caller knows of the build context a Dockerfile is built with.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildContext<'a> {
    /// The context's files, relative to its root.
    pub files: Option<&'a [String]>,
    /// The text of the context's `.dockerignore` (or of the Dockerfile's own `<name>.dockerignore`).
    pub dockerignore: Option<&'a str>,
}

/// Lints a Dockerfile's text. `context_files` lists the build context's files where the caller knows them.
#[must_use]
pub fn lint_dockerfile(src: &str, settings: &Settings, context_files: Option<&[String]>) -> Vec<Diagnostic> {
    lint_dockerfile_with(src, settings, BuildContext { files: context_files, dockerignore: None })
}

/// Lints a Dockerfile's text with what the caller knows of its build context.
#[must_use]
pub fn lint_dockerfile_with(src: &str, settings: &Settings, build: BuildContext) -> Vec<Diagnostic> {
    let parsed = dockerfile::parse(src);
    let mut out = Vec::new();
    let mut ctx = DockerfileContext::new(src, &parsed.dockerfile, &settings.rules);
    ctx.context_files = build.files;
    ctx.dockerignore = build.dockerignore;
    for rule in RULES.iter().filter(|r| settings.is_enabled(r)) {
        match rule.check {
            Check::Parser => {
                let found = parsed.errors.iter().map(|e| Violation::new(e.span, e.message.clone())).collect();
                stamp(rule, settings, found, &mut out);
            }
            Check::Dockerfile(check) => {
                let mut found = Vec::new();
                check(&ctx, &mut found);
                stamp(rule, settings, found, &mut out);
            }
            Check::Script(_) => {}
        }
    }
    if settings.honour_pragmas {
        let suppressions = dockerfile_suppressions(&ctx);
        out.retain(|d| d.code == "DL1000" || !suppressions.iter().any(|s| s.covers(d)));
        skip_checks(&ctx, &mut out);
    }
    sort(&mut out);
    out
}

/// Drops the findings of the BuildKit checks that the file's `# check=skip=…` directive names, as BuildKit does.
fn skip_checks(ctx: &DockerfileContext, out: &mut Vec<Diagnostic>) {
    let Some(directive) = ctx.file.directives.iter().find(|d| d.name == "check") else { return };
    let skipped = |code: &str| {
        let Some(rule) = registry::find(code) else { return false };
        match pragma::check_directive(&directive.value) {
            pragma::CheckSkip::All => rule.is_buildkit_check(),
            pragma::CheckSkip::Names(names) => names.iter().any(|n| rule.matches(n)),
        }
    };
    out.retain(|d| !skipped(d.code));
}

fn dockerfile_suppressions(ctx: &DockerfileContext) -> Vec<Suppression> {
    let file = ctx.file;
    let mut out = Vec::new();
    for comment in &file.comments {
        let Some(p) = pragma::parse(&comment.text) else { continue };
        let next = file.instructions.iter().position(|i| i.span.start > comment.span.end);
        let span = match p.scope {
            Scope::Global => Span::new(0, ctx.src.len()),
            Scope::Next => match next {
                Some(i) => file.instructions[i].span,
                None => continue,
            },
            // The whole stage, its FROM line and the instructions above the pragma included: the stage of the
            // next instruction (the first stage before any FROM), or the last stage when nothing follows.
            Scope::Stage => {
                let stage = match next {
                    Some(i) => ctx.stage_of(i).or_else(|| ctx.stages.first()),
                    None => ctx.stages.last(),
                };
                match stage {
                    Some(s) => file.instructions[s.from].span.cover(file.instructions[s.end - 1].span),
                    None => Span::new(comment.span.end, ctx.src.len()),
                }
            }
        };
        out.push(Suppression { codes: p.codes, span });
    }
    out
}

/// Lints the `docker …` commands of a script, Makefile, CI workflow or Markdown file.
#[must_use]
pub fn lint_script(
    src: &str,
    kind: ScriptKind,
    path: &Path,
    settings: &Settings,
    workspace: &dyn Workspace,
) -> Vec<Diagnostic> {
    let ctx = scripts::ScriptContext::new(src, kind, path, workspace);
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| settings.is_enabled(r)) {
        if let Check::Script(check) = rule.check {
            let mut found = Vec::new();
            check(&ctx, &mut found);
            stamp(rule, settings, found, &mut out);
        }
    }
    if settings.honour_pragmas {
        let suppressions: Vec<Suppression> =
            ctx.pragmas().into_iter().map(|(p, span)| Suppression { codes: p.codes, span }).collect();
        out.retain(|d| !suppressions.iter().any(|s| s.covers(d)));
    }
    sort(&mut out);
    out
}

fn sort(out: &mut [Diagnostic]) {
    out.sort_by(|a, b| (a.violation.span.start, a.code).cmp(&(b.violation.span.start, b.code)));
}

/// True when any finding is at or above the threshold.
#[must_use]
pub fn fails(diagnostics: &[Diagnostic], threshold: Threshold) -> bool {
    match threshold {
        Threshold::Never => false,
        Threshold::Level(l) => diagnostics.iter().any(|d| d.level >= l),
    }
}
