//! DL3052: a label that the label schema types as `url` holds something else.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label typed `url` does not hold a URL",
    what: "With a `label-schema` in the configuration, finds labels whose type there is `url` and whose value is not \
           a URL. A URL here is absolute: a scheme such as `https:` and only characters a URI may hold. Values that \
           expand a variable are known only at build time and are skipped; empty values are DL3051's.",
    why: "Tools follow these labels: a registry links the source repository, a scanner fetches the documentation. A \
          value that is not a URL breaks the link without anyone noticing.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=github.com/acme/app\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/acme/app\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    label_schema::check_values(ctx, out, "url", label_schema::is_url, "a URL");
}
