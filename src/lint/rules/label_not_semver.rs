//! DL3056: a label that the label schema types as `semver` holds something else.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label typed `semver` does not hold a semantic version",
    what: "With a `label-schema` in the configuration, finds labels whose type there is `semver` and whose value is \
           not a semantic version. The form is Semantic Versioning 2.0.0: `MAJOR.MINOR.PATCH` without leading zeros, \
           then optional `-pre.release` and `+build` parts; no `v` prefix. Values that expand a variable are known \
           only at build time and are skipped; empty values are DL3051's.",
    why: "Tools that pick the newest image, or check that a deployment is compatible, compare these labels as \
          versions; `1.2` or `v1.2.0` does not compare.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.2\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    label_schema::check_values(ctx, out, "semver", label_schema::is_semver, "a semantic version");
}
