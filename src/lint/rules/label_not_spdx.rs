//! DL3054: a label that the label schema types as `spdx` holds something else.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label typed `spdx` does not hold an SPDX license expression",
    what: "With a `label-schema` in the configuration, finds labels whose type there is `spdx` and whose value is \
           not an SPDX license expression. Accepted: SPDX license identifiers in any case (`MIT`, `Apache-2.0`, \
           deprecated ones too), `LicenseRef-…`, and expressions joining them with `AND`, `OR`, `WITH` and \
           parentheses, as the OCI `org.opencontainers.image.licenses` label allows. hadolint accepts one current \
           identifier only. Values that expand a variable are known only at build time and are skipped; empty values \
           are DL3051's.",
    why: "Licence scanners read this label to decide whether an image may be shipped; a free-text licence name \
          (`Apache 2`, `MIT License`) is one they cannot match.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.licenses: spdx}\nFROM alpine:3.20\nLABEL org.opencontainers.image.licenses='Apache 2'\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.licenses: spdx}\nFROM alpine:3.20\nLABEL org.opencontainers.image.licenses=Apache-2.0\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    label_schema::check_values(ctx, out, "spdx", label_schema::is_spdx, "an SPDX license expression");
}
