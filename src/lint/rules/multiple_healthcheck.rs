//! DL3012: more than one `HEALTHCHECK` in a stage; only the last one counts.

use super::multiple_cmd::check_repeated;
use crate::dockerfile::Keyword;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "More than one `HEALTHCHECK` in a stage",
    what: "Finds every `HEALTHCHECK` after the first one of a stage (a `FROM` starts a new count), \
           `HEALTHCHECK NONE` included. `ONBUILD HEALTHCHECK` is not counted.",
    why: "An image has one health check. Each `HEALTHCHECK` replaces the one before, so the earlier ones never \
          run; a reader who sees two believes both are checked. To check several things, call them from one \
          command or script.",
    example: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK CMD curl -f http://localhost/health || exit 1\n",
    instead: "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ && curl -f http://localhost/health || exit 1\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    check_repeated(ctx, Keyword::Healthcheck, out);
}
