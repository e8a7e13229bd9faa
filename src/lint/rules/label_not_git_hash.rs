//! DL3055: a label that the label schema types as `hash` holds something else.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label typed `hash` does not hold a git commit hash",
    what: "With a `label-schema` in the configuration, finds labels whose type there is `hash` and whose value is \
           not a git commit hash. A hash here is lower-case hexadecimal: 40 digits (SHA-1), 64 (SHA-256), or an \
           abbreviation of 7 to 40, as git prints them. hadolint accepts only 7 or 40. Values that expand a variable \
           are known only at build time and are skipped; empty values are DL3051's.",
    why: "The commit label ties an image to the exact source it was built from; a branch name or a tag moves, so the \
          link it gives is wrong as soon as someone pushes.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.revision: hash}\nFROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.revision: hash}\nFROM alpine:3.20\nLABEL org.opencontainers.image.revision=9fceb02d0ae598e95dc970b74767f19372d61af8\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    label_schema::check_values(ctx, out, "hash", label_schema::is_git_hash, "a git commit hash");
}
