//! DL3058: a label that the label schema types as `email` holds something else.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label typed `email` does not hold an e-mail address",
    what: "With a `label-schema` in the configuration, finds labels whose type there is `email` and whose value is \
           not an e-mail address. The form is RFC 5322's address: `name@example.com`, without a display name or \
           angle brackets. Values that expand a variable are known only at build time and are skipped; empty values \
           are DL3051's.",
    why: "People and tools write to the address in this label when the image breaks or has a vulnerability; a name \
          with the address in brackets, or a typo, is an address nothing can send to.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.authors: email}\nFROM alpine:3.20\nLABEL org.opencontainers.image.authors='Jane Doe <jane@example.com>'\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.authors: email}\nFROM alpine:3.20\nLABEL org.opencontainers.image.authors=jane@example.com\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    label_schema::check_values(ctx, out, "email", label_schema::is_email, "an e-mail address");
}
