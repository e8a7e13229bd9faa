//! DL3007: a FROM image tagged `latest`.

use super::ImageRef;
use crate::dockerfile::Args;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A base image tagged `latest`",
    what: "Finds `FROM` lines whose image is tagged `latest` and not pinned by a digest, after substituting \
           `ARG` defaults.",
    why: "`latest` is just the tag a publisher moved last. Builds stop being repeatable, and an update of the \
          base image can break yours without any change to the Dockerfile.",
    example: "FROM node:latest\n",
    instead: "FROM node:18.20\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let (Some(word), Some(image)) = (&from.image, &stage.image) else { continue };
        if stage.parent.is_some() {
            continue;
        }
        let r = ImageRef::parse(image);
        if r.tag == Some("latest") && r.digest.is_none() {
            // Point at the tag itself when it is written literally.
            let span = match word.raw.rfind(":latest") {
                Some(i) if word.raw == word.value => {
                    crate::dockerfile::Span::new(word.span.start + i + 1, word.span.start + i + 7)
                }
                _ => word.span,
            };
            out.push(
                Violation::new(span, format!("`{image}` uses the `latest` tag, which changes under you"))
                    .label("moving tag")
                    .help(format!("pin a release: `{}:<version>`", r.name)),
            );
        }
    }
}
