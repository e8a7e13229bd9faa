//! DL4004: more than one `ENTRYPOINT` in a stage; only the last one counts.

use super::multiple_cmd::check_repeated;
use crate::dockerfile::Keyword;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "More than one `ENTRYPOINT` in a stage",
    what: "Finds every `ENTRYPOINT` after the first one of a stage (a `FROM` starts a new count). Each stage \
           may have its own `ENTRYPOINT`; `ONBUILD ENTRYPOINT` is not counted.",
    why: "An image has one entrypoint. Each `ENTRYPOINT` replaces the one before, so all but the last have no \
          effect, and a later `ENTRYPOINT` also clears a `CMD` set before it. A second one is usually a \
          leftover or a misunderstanding of how the two combine: `ENTRYPOINT` is the program, `CMD` its \
          default arguments.",
    example: "FROM node:18\nENTRYPOINT [\"node\"]\nENTRYPOINT [\"node\", \"server.js\"]\n",
    instead: "FROM node:18\nENTRYPOINT [\"node\"]\nCMD [\"server.js\"]\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    check_repeated(ctx, Keyword::Entrypoint, out);
}
