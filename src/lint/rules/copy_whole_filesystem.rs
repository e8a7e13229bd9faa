//! DL3067: `COPY --from=… / /`, the whole file system of another stage or image.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::{DockerfileContext, VarScope};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::lint::rules::copy_from_unknown_stage::{FromTarget, copy_from};

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY --from` of a whole file system onto `/`",
    what: "Finds `COPY --from=… / /`: every file of another stage or image copied onto the root of this one. \
           A stage built `FROM scratch` holds only what was put into it on purpose, so copying all of it is \
           fine (the usual way to gather build outputs; hadolint reports it anyway).",
    why: "An image's file system holds its whole operating system: package databases, `/etc/passwd`, shells, \
          libraries. Copying it over another image's root mixes two distributions file by file, breaks the \
          package manager's view of what is installed, and brings along everything the multi-stage build was \
          meant to leave behind.",
    example: "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM debian:12-slim\nCOPY --from=build / /\n",
    instead: "FROM golang:1.22 AS build\nRUN go build -o /out/app .\n\nFROM debian:12-slim\nCOPY --from=build /out/app /usr/local/bin/app\n",
    fix: None,
};

/// True when the stage (or the stage it builds on, and so on) starts `FROM scratch`.
fn from_scratch(ctx: &DockerfileContext, mut stage: usize) -> bool {
    loop {
        let s = &ctx.stages[stage];
        match s.parent {
            Some(p) if p < stage => stage = p,
            _ => return s.image.as_deref().is_some_and(|i| i.eq_ignore_ascii_case("scratch")),
        }
    }
}

fn is_root(path: &str) -> bool {
    matches!(path.trim_matches(|c| c == '"' || c == '\''), "/" | "/." | "/*")
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    VarScope::walk(ctx, |i, ins, scope| {
        let (Keyword::Copy, Args::Copy(copy)) = (ins.kind, &ins.args) else { return };
        let Some((_, target)) = copy_from(scope, ins) else { return };
        let (Some(dest), Some(current)) = (&copy.dest, ctx.stage_of(i)) else { return };
        let Some(source) = copy.sources.iter().find(|s| is_root(&s.value)) else { return };
        if !is_root(&dest.value) {
            return;
        }
        let stage = match target {
            FromTarget::Index(n) => Some(n),
            FromTarget::Name(name) => {
                ctx.stages[..current.index].iter().rev().find(|s| s.is_named(&name)).map(|s| s.index)
            }
            FromTarget::Other => None,
        };
        if stage.is_some_and(|s| s < ctx.stages.len() && from_scratch(ctx, s)) {
            return;
        }
        out.push(
            Violation::new(source.span.cover(dest.span), "copies a whole file system over this image's root")
                .label("everything, onto `/`")
                .help("copy only the files the image needs, such as the build's output folder"),
        );
    });
}
