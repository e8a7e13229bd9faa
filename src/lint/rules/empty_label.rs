//! DL3051: a label of the label schema set to an empty value.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label of the label schema is empty",
    what: "With a `label-schema` in the configuration, finds `LABEL` instructions that set one of the \
           schema's labels to an empty value (`LABEL org.opencontainers.image.version=\"\"`).",
    why: "An empty label satisfies a check that the label exists while telling nothing: the image still \
          cannot be traced to its source or version.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=\"\"\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for (_, kv) in label_schema::labels(ctx) {
        let key = &kv.key.value;
        if !ctx.settings.label_schema.contains_key(key) || !kv.value.value.is_empty() {
            continue;
        }
        let span = if kv.value.span.is_empty() { kv.key.span } else { kv.key.span.cover(kv.value.span) };
        out.push(
            Violation::new(span, format!("label `{key}` is empty"))
                .label("no value")
                .help("give the label its value, or leave it out"),
        );
    }
}
