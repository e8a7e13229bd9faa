//! DL4000: the deprecated `MAINTAINER` instruction.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "The deprecated `MAINTAINER` instruction",
    what: "Finds `MAINTAINER` instructions.",
    why: "`MAINTAINER` has been deprecated since Docker 1.13. It fills an old image field that tools no longer \
          read. Labels carry the same information where registries and scanners look for it, and can say more: \
          a URL, the source repository, a licence.",
    example: "FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n",
    instead: "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane Doe <jane@example.com>\"\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        if ins.kind != Keyword::Maintainer {
            continue;
        }
        let who = match &ins.args {
            Args::Single(Some(w)) => w.value.replace('"', "\\\""),
            _ => "…".to_string(),
        };
        out.push(
            Violation::new(ins.keyword.span, "`MAINTAINER` is deprecated")
                .label("deprecated")
                .help(format!("use a label: `LABEL org.opencontainers.image.authors=\"{who}\"`")),
        );
    }
}
