//! DK3005 (BuildKit's UndefinedArgInFrom): a `FROM` that uses a variable no `ARG` before the first `FROM`
//! declares.

use crate::dockerfile::{Args, Span, words};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

use super::undefined_var::{ref_span, suggest};

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`FROM` uses a variable that is not a global `ARG`",
    what: "Finds variables in a `FROM` line's image or `--platform` that no `ARG` before the first `FROM` \
           declares. The platform variables BuildKit sets itself (`TARGETPLATFORM`, `TARGETARCH`, \
           `BUILDPLATFORM`, …) are declared already. A near miss of a declared name is pointed out. \
           BuildKit's own build check of the same name reports the same.",
    why: "`FROM` sees only the `ARG`s declared before the first `FROM`. An `ARG` declared inside a stage, or not \
          at all, expands to an empty string there, so `FROM node:${NODE_VERSION}` silently becomes \
          `FROM node:` and the build fails, or picks an image nobody chose. `--build-arg` cannot set a variable \
          that is not declared either.",
    example: "FROM python:${PYTHON_VERSION}-slim\nARG PYTHON_VERSION=3.12\n",
    instead: "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\n",
    fix: None,
};

/// The variables BuildKit declares for every `FROM`, with the values it gives them on a typical Linux host.
pub(crate) const PLATFORM_ARGS: &[(&str, &str)] = &[
    ("BUILDPLATFORM", "linux/amd64"),
    ("BUILDOS", "linux"),
    ("BUILDARCH", "amd64"),
    ("BUILDVARIANT", ""),
    ("BUILDOSVERSION", ""),
    ("TARGETPLATFORM", "linux/amd64"),
    ("TARGETOS", "linux"),
    ("TARGETARCH", "amd64"),
    ("TARGETVARIANT", ""),
    ("TARGETOSVERSION", ""),
    ("TARGETSTAGE", ""),
];

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let escape = ctx.file.escape;
    let mut options: Vec<&str> = ctx.global_args.keys().map(String::as_str).collect();
    options.extend(PLATFORM_ARGS.iter().map(|(n, _)| *n));
    options.sort_unstable();
    for stage in &ctx.stages {
        let ins = &ctx.file.instructions[stage.from];
        let Args::From(from) = &ins.args else { continue };
        let mut words: Vec<(&str, Span)> = Vec::new();
        if let Some(image) = &from.image {
            words.push((&image.raw, image.span));
        }
        if let Some(platform) = ins.flag("platform") {
            words.push((ctx.text(platform.value_span), platform.value_span));
        }
        for (raw, span) in words {
            for r in words::var_refs(raw, escape) {
                if options.binary_search(&r.name.as_str()).is_ok() {
                    continue;
                }
                let declared_in_stage = ctx.file.instructions[..stage.from]
                    .iter()
                    .any(|i| matches!(&i.args, Args::Arg(d) if d.iter().any(|d| d.name.value == r.name)));
                let mut v = Violation::new(
                    ref_span(raw, span, &r),
                    format!("`FROM` uses `${}`, which no `ARG` before the first `FROM` declares", r.name),
                )
                .label("expands to an empty string here");
                v = match suggest(&r.name, &options) {
                    Some(near) => v.help(format!("did you mean `${near}`?")),
                    None if declared_in_stage => v.help(format!(
                        "an `ARG {}` inside a stage is not seen by `FROM`: declare it before the first `FROM`",
                        r.name
                    )),
                    None => v.help(format!("declare it at the top of the file: `ARG {}=<default>`", r.name)),
                };
                out.push(v);
            }
        }
    }
}
