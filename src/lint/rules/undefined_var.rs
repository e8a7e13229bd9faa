//! DK3006 (BuildKit's UndefinedVar): a variable used in an instruction Docker expands, with no `ARG` or `ENV`
//! defining it before.

use std::collections::{HashMap, HashSet};

use crate::dockerfile::words::{self, Modifier, VarRef};
use crate::dockerfile::{Args, Instruction, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

use super::undefined_arg_in_from::PLATFORM_ARGS;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A variable used before any `ARG` or `ENV` defines it",
    what: "Finds `$NAME` in the instructions Docker itself expands (`COPY`, `ADD`, `ENV`, `LABEL`, `ARG` \
           defaults, `EXPOSE`, `VOLUME`, `USER`, `WORKDIR`, `STOPSIGNAL`) when no `ARG` or `ENV` of the stage, \
           or of the stage it is built `FROM`, defines it before that line; a near miss of a defined name is \
           pointed out (`$PAHT`: did you mean `$PATH`?). `RUN`, `CMD` and `ENTRYPOINT` are left alone: their \
           shell expands variables when the container runs. `${NAME:-default}` and `${NAME:+word}` are fine. \
           A base image may define variables of its own (`$JAVA_HOME`), which this rule cannot see: in a stage \
           built on an image, an upper-case name is reported only when it is a near miss, a global `ARG` not \
           declared again in the stage, a platform variable, or defined later in the stage. BuildKit's own \
           build check of the same name reports all of them, knowing the base image's variables.",
    why: "An undefined variable expands to an empty string without any error: `COPY $APP_DIR/ /srv/` copies the \
          whole build context, `ENV PATH=$PAHT:/app/bin` throws the system `PATH` away. The usual causes are a \
          typo, and a global `ARG` (declared before the first `FROM`) used inside a stage, where it must be \
          declared again with `ARG NAME` to be seen.",
    example: "ARG APP_DIR=/srv/app\nFROM python:3.12-slim\nENV PATH=$PAHT:/opt/venv/bin\nCOPY . $APP_DIR\n",
    instead: "ARG APP_DIR=/srv/app\nFROM python:3.12-slim\nARG APP_DIR\nENV PATH=$PATH:/opt/venv/bin\nCOPY . $APP_DIR\n",
    fix: None,
};

/// The source span of a variable reference in a word; the whole word when the word is not contiguous in the
/// source (a continuation line inside it).
pub(crate) fn ref_span(raw: &str, span: Span, r: &VarRef) -> Span {
    if raw.len() == span.len() { Span::new(span.start + r.range.0, span.start + r.range.1) } else { span }
}

/// The option closest to `name`, when it is close enough to be a typo of it: the same name in another case,
/// or at most one edit (a swap of two neighbours counts as one) in four characters.
pub(crate) fn suggest<'a>(name: &str, options: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let (best, dist) = options
        .iter()
        .filter(|o| **o != name)
        .map(|o| (*o, strsim::osa_distance(&lower, &o.to_lowercase())))
        .min_by_key(|&(o, d)| (d, o))?;
    (dist <= (name.len() / 4).max(1)).then_some(best)
}

/// What a stage's variables are known to be.
#[derive(Clone, Default)]
struct Scope {
    names: HashSet<String>,
    /// False when the chain of stages starts from an image, whose own variables are not known.
    closed: bool,
}

/// The words of an instruction that Docker expands, as (raw text, span).
fn expanded_words<'i>(ctx: &'i DockerfileContext, ins: &'i Instruction) -> Vec<(&'i str, Span)> {
    let mut out: Vec<(&str, Span)> = Vec::new();
    match &ins.args {
        Args::Copy(copy) => {
            out.extend(copy.sources.iter().chain(&copy.dest).map(|w| (w.raw.as_str(), w.span)));
            for f in ins.flags.iter().filter(|f| matches!(f.name.as_str(), "chown" | "chmod")) {
                out.push((ctx.text(f.value_span), f.value_span));
            }
        }
        Args::KeyValues(pairs) => {
            for kv in pairs {
                out.push((&kv.key.raw, kv.key.span));
                out.push((&kv.value.raw, kv.value.span));
            }
        }
        Args::List { items, .. } => out.extend(items.iter().map(|w| (w.raw.as_str(), w.span))),
        Args::Single(Some(w)) if ins.kind != crate::dockerfile::Keyword::Maintainer => {
            out.push((&w.raw, w.span));
        }
        _ => {}
    }
    out
}

/// The names an `ARG` or `ENV` instruction defines.
fn defines(ins: &Instruction) -> Vec<&str> {
    match &ins.args {
        Args::Arg(decls) => decls.iter().map(|d| d.name.value.as_str()).collect(),
        Args::KeyValues(pairs) if ins.kind == crate::dockerfile::Keyword::Env => {
            pairs.iter().map(|kv| kv.key.value.as_str()).collect()
        }
        _ => Vec::new(),
    }
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let escape = ctx.file.escape;
    let mut finished: Vec<Scope> = Vec::new();
    for stage in &ctx.stages {
        let mut scope = match stage.parent.and_then(|p| finished.get(p)) {
            Some(parent) => parent.clone(),
            None => Scope {
                names: HashSet::new(),
                closed: stage.image.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("scratch")),
            },
        };
        scope.names.insert("PATH".to_string());
        let instructions = stage.instructions(ctx.file);
        // Where each name is first defined in the stage, to tell "used before its definition".
        let mut defined_at: HashMap<&str, Span> = HashMap::new();
        for ins in &instructions[1..] {
            for name in defines(ins) {
                defined_at.entry(name).or_insert(ins.span);
            }
        }
        for ins in &instructions[1..] {
            let mut seen = HashSet::new();
            let mut report = |raw: &str, span: Span, scope: &Scope, out: &mut Vec<Violation>| {
                for r in words::var_refs(raw, escape) {
                    if matches!(r.modifier, Modifier::Default { .. } | Modifier::Alternative { .. })
                        || scope.names.contains(&r.name)
                        || !seen.insert(r.name.clone())
                    {
                        continue;
                    }
                    if let Some(v) = finding(ctx, scope, &defined_at, ins, raw, span, &r) {
                        out.push(v);
                    }
                }
            };
            if let Args::Arg(decls) = &ins.args {
                // Each `ARG` of a line sees the ones before it.
                for d in decls {
                    if let Some(default) = &d.default {
                        report(&default.raw, default.span, &scope, out);
                    }
                    scope.names.insert(d.name.value.clone());
                }
                continue;
            }
            for (raw, span) in expanded_words(ctx, ins) {
                report(raw, span, &scope, out);
            }
            // An `ENV` line's own names take effect after the whole line.
            scope.names.extend(defines(ins).into_iter().map(str::to_string));
        }
        finished.push(scope);
    }
}

fn finding(
    ctx: &DockerfileContext,
    scope: &Scope,
    defined_at: &HashMap<&str, Span>,
    ins: &Instruction,
    raw: &str,
    span: Span,
    r: &VarRef,
) -> Option<Violation> {
    let name = r.name.as_str();
    let options: Vec<&str> = {
        let mut o: Vec<&str> = scope.names.iter().map(String::as_str).collect();
        o.sort_unstable();
        o
    };
    let near = suggest(name, &options);
    let global = ctx.global_args.contains_key(name);
    let platform = PLATFORM_ARGS.iter().any(|(n, _)| *n == name);
    let later = defined_at.get(name).copied().filter(|s| s.start > ins.span.start);
    // A base image may define upper-case variables of its own; report those only with a reason to.
    let certain = scope.closed || name.chars().any(|c| c.is_ascii_lowercase());
    if !(certain || near.is_some() || global || platform || later.is_some()) {
        return None;
    }
    let mut v = Violation::new(ref_span(raw, span, r), format!("`${name}` is not defined at this point"))
        .label("expands to an empty string");
    v = if let Some(near) = near {
        v.help(format!("did you mean `${near}`?"))
    } else if global {
        v.help(format!(
            "`{name}` is declared before the first `FROM`, where only `FROM` lines see it: add `ARG {name}` in this \
             stage to use its value"
        ))
    } else if platform {
        v.help(format!("BuildKit sets `{name}` only in stages that ask for it: add `ARG {name}` in this stage"))
    } else if let Some(at) = later {
        v.secondary(at, "defined only here, after its use")
            .help(format!("move the definition of `{name}` above its first use"))
    } else {
        v.help(format!("define it before this line with `ARG {name}` or `ENV {name}=…`"))
    };
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::suggest;

    #[test]
    fn suggests_near_misses_only() {
        let options = ["APP_DIR", "PATH", "VERSION"];
        assert_eq!(suggest("PAHT", &options), Some("PATH"));
        assert_eq!(suggest("path", &options), Some("PATH"));
        assert_eq!(suggest("VERSOIN", &options), Some("VERSION"));
        assert_eq!(suggest("HOME", &options), None);
        assert_eq!(suggest("FOO", &options), None);
    }
}
