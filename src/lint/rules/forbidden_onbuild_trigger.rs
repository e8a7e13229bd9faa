//! DL3043: `ONBUILD ONBUILD`, `ONBUILD FROM` or `ONBUILD MAINTAINER`.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`ONBUILD` with `ONBUILD`, `FROM` or `MAINTAINER` as its trigger",
    what: "Finds `ONBUILD` instructions whose trigger is another `ONBUILD`, a `FROM` or a `MAINTAINER`. \
           BuildKit refuses these too, so the parser reports them as DL1000 as well; this code is the one \
           hadolint's configurations and pragmas name.",
    why: "A trigger runs in the build of an image that starts `FROM` this one, as if written right after that \
          `FROM`. Starting another stage there, or setting up triggers for yet another generation of images, \
          is not allowed, and `MAINTAINER` is deprecated everywhere. `docker build` stops with an error.",
    example: "FROM node:20-slim\nONBUILD FROM node:20-slim\nONBUILD COPY . /app\n",
    instead: "FROM node:20-slim\nONBUILD COPY . /app\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        let Args::Onbuild(Some(inner)) = &ins.args else { continue };
        if matches!(inner.kind, Keyword::Onbuild | Keyword::From | Keyword::Maintainer) {
            out.push(
                Violation::new(inner.keyword.span, format!("`{}` cannot be an `ONBUILD` trigger", inner.kind))
                    .label("not allowed after ONBUILD")
                    .help(match inner.kind {
                        Keyword::Maintainer => "use `LABEL maintainer=\"…\"` outside the `ONBUILD`",
                        _ => "write the instruction in the Dockerfile that builds on this image instead",
                    }),
            );
        }
    }
}
