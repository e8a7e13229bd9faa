//! DL3006: a FROM image without a tag or digest.

use super::ImageRef;
use crate::dockerfile::Args;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A base image without a tag",
    what: "Finds `FROM` lines whose image has neither a tag nor a digest. `ARG` defaults used in the image are \
           substituted first, so `ARG BASE=alpine:3.20` with `FROM ${BASE}` is fine; `scratch` and earlier \
           stages are fine too.",
    why: "Without a tag Docker pulls `latest`, which moves: the same Dockerfile builds on a different base next \
          month, and a build that worked can break without any change of yours.",
    example: "FROM debian\n",
    instead: "FROM debian:12.7\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let (Some(word), Some(image)) = (&from.image, &stage.image) else { continue };
        if image.eq_ignore_ascii_case("scratch") || stage.parent.is_some() || image.is_empty() {
            continue;
        }
        let r = ImageRef::parse(image);
        if r.tag.is_none() && r.digest.is_none() {
            let shown = if *image == word.value { String::new() } else { format!(" (`{}` is `{image}`)", word.raw) };
            out.push(
                Violation::new(
                    word.span,
                    format!("`{image}` has no tag, so it means whatever `latest` is today{shown}"),
                )
                .label("untagged base image")
                .help(format!("name a version: `{}:<version>`", r.name)),
            );
        }
    }
}
