//! DL4003: more than one `CMD` in a stage; only the last one counts.

use crate::dockerfile::{Keyword, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "More than one `CMD` in a stage",
    what: "Finds every `CMD` after the first one of a stage (a `FROM` starts a new count). Each stage may have \
           its own `CMD`; `ONBUILD CMD` is not counted.",
    why: "An image has one default command. Each `CMD` replaces the one before, so all but the last have no \
          effect: a reader may believe the first one runs, and a second `CMD` added to run \"also\" something \
          silently replaces it instead. To run several processes, start them from one script or use one \
          container per process.",
    example: "FROM python:3.12-slim\nCMD [\"python\", \"migrate.py\"]\nCMD [\"gunicorn\", \"app:app\"]\n",
    instead: "FROM python:3.12-slim\nCOPY start.sh /start.sh\nCMD [\"/start.sh\"]\n",
    fix: None,
};

/// Reports each `kind` instruction after the first of its stage, pointing back at the one it overrides.
pub(crate) fn check_repeated(ctx: &DockerfileContext, kind: Keyword, out: &mut Vec<Violation>) {
    let mut last: Option<Span> = None;
    for ins in &ctx.file.instructions {
        if ins.kind == Keyword::From {
            last = None;
        } else if ins.kind == kind {
            let name = kind.as_str();
            if let Some(earlier) = last {
                out.push(
                    Violation::new(
                        ins.keyword.span,
                        format!("a second `{name}` in this stage replaces the one before"),
                    )
                    .label(format!("only the last `{name}` counts"))
                    .secondary(earlier, "has no effect")
                    .help(format!("keep a single `{name}` per stage")),
                );
            }
            last = Some(ins.keyword.span);
        }
    }
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    check_repeated(ctx, Keyword::Cmd, out);
}
