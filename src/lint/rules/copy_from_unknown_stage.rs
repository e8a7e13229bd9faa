//! DL3022: `COPY --from` names no stage defined before it.

use std::collections::HashMap;

use crate::dockerfile::{Args, Flag, Instruction, Keyword};
use crate::lint::context::{DockerfileContext, VarScope};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY --from` names a stage that is not defined before it",
    what: "Finds `COPY --from=NAME` where no earlier `FROM … AS NAME` exists (names compare without case, as \
           BuildKit compares them), and `COPY --from=N` where N is not the index of an earlier stage. Values \
           that can only be image references (`nginx:1.27`, `docker.io/library/alpine`, `img@sha256:…`) are \
           fine: BuildKit copies from that image. `ARG` and `ENV` values are substituted first; a value this \
           rule cannot know is left alone.",
    why: "When `--from` names no stage, BuildKit takes the name as an image on Docker Hub: a typo in a stage \
          name, or a stage defined further down, silently copies from whatever image has that name, or fails \
          with a confusing pull error. Stages must be defined before the instructions that copy from them.",
    example: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=builder /app /app\n",
    instead: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
    fix: None,
};

/// The stage a `COPY --from` value points at, as BuildKit reads it.
pub(crate) enum FromTarget {
    /// A stage index (`--from=0`).
    Index(usize),
    /// A stage name, lower-cased.
    Name(String),
    /// An image reference, or a value that cannot be known.
    Other,
}

/// What the `--from` of a `COPY` (not `ONBUILD COPY`) points at, with the flag.
pub(crate) fn copy_from<'i>(scope: &VarScope, ins: &'i Instruction) -> Option<(&'i Flag, FromTarget)> {
    if ins.kind != Keyword::Copy {
        return None;
    }
    let flag = ins.flag("from")?;
    let raw = scope.ctx.text(flag.value_span);
    let target = match scope.expand(raw) {
        Some(v) if v.contains(['/', ':', '@']) || v.is_empty() => FromTarget::Other,
        Some(v) if v.bytes().all(|b| b.is_ascii_digit()) => v.parse().map_or(FromTarget::Other, FromTarget::Index),
        Some(v) => FromTarget::Name(v.to_ascii_lowercase()),
        None => FromTarget::Other,
    };
    Some((flag, target))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    // The first stage of each name (lower-cased), so that looking one up is not a scan.
    let mut first: HashMap<String, usize> = HashMap::new();
    for stage in &ctx.stages {
        if let Some(name) = &stage.name {
            first.entry(name.to_ascii_lowercase()).or_insert(stage.index);
        }
    }
    VarScope::walk(ctx, |i, ins, scope| {
        let Some((flag, target)) = copy_from(scope, ins) else { return };
        let Some(stage) = ctx.stage_of(i) else { return };
        let span = flag.value_span;
        match target {
            // The stage's own index is DL3023's finding.
            FromTarget::Index(n) if n > stage.index => out.push(
                Violation::new(span, format!("`--from={n}` names stage {n}, which is not defined before this one"))
                    .label("no earlier stage with this index")
                    .help(format!("stages are numbered from 0 in order; this one is stage {}", stage.index)),
            ),
            FromTarget::Name(name) => {
                let defined = first.get(&name).copied();
                if defined.is_some_and(|d| d <= stage.index) {
                    return;
                }
                let mut v = Violation::new(span, format!("no stage named `{name}` is defined before this `COPY`"))
                    .label("unknown stage");
                if let Some(later) = defined.map(|d| &ctx.stages[d]) {
                    if let Args::From(from) = &ctx.file.instructions[later.from].args
                        && let Some(alias) = &from.alias
                    {
                        v = v.secondary(alias.span, "defined only after it");
                    }
                    v = v.help("move that stage above the stage that copies from it");
                } else {
                    v = v.help(format!(
                        "check the stage's name; to copy from the image `{name}`, give its tag: `--from={name}:<tag>`"
                    ));
                }
                out.push(v);
            }
            FromTarget::Index(_) | FromTarget::Other => {}
        }
    });
}
