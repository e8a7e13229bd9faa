//! DL3053: a label that the label schema types as `rfc3339` holds something else.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label typed `rfc3339` does not hold an RFC 3339 timestamp",
    what: "With a `label-schema` in the configuration, finds labels whose type there is `rfc3339` and whose value is \
           not an RFC 3339 timestamp. The form is `2024-05-01T12:30:00Z`: date, `T`, time with seconds, and `Z` or \
           an offset such as `+02:00`. Values that expand a variable are known only at build time and are skipped; \
           empty values are DL3051's.",
    why: "Tools compare and sort these labels (when was this image built?); only one fixed format lets them do so \
          without guessing the time zone or the order of day and month.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.created: rfc3339}\nFROM alpine:3.20\nLABEL org.opencontainers.image.created=01/05/2024\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.created: rfc3339}\nFROM alpine:3.20\nLABEL org.opencontainers.image.created=2024-05-01T12:30:00Z\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    label_schema::check_values(ctx, out, "rfc3339", label_schema::is_rfc3339, "an RFC 3339 timestamp");
}
