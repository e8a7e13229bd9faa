//! DL3050: with `strict-labels`, a label the label schema does not name.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label the label schema does not name (with `strict-labels`)",
    what: "When the configuration sets `strict-labels`, finds `LABEL` instructions that set a label missing \
           from `label-schema`. One finding per instruction; every such label is marked.",
    why: "A strict schema keeps a project's images to one agreed set of labels, so a misspelt key \
          (`org.opencontainers.image.sorce`) or a private one is caught at review rather than discovered by \
          the tool that looks the label up and finds nothing.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}, strict-labels: true\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0 team=payments\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.version: semver}, strict-labels: true\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=1.2.0\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    if !ctx.settings.strict_labels {
        return;
    }
    let mut last = None;
    for (index, kv) in label_schema::labels(ctx) {
        let key = &kv.key.value;
        if ctx.settings.label_schema.contains_key(key) || label_schema::expands(ctx, &kv.key.raw) {
            continue;
        }
        if last == Some(index) {
            if let Some(v) = out.pop() {
                out.push(v.secondary(kv.key.span, format!("`{key}` is not in the schema either")));
            }
            continue;
        }
        last = Some(index);
        out.push(
            Violation::new(kv.key.span, format!("label `{key}` is not in the label schema"))
                .label("not in the schema")
                .help("add it to `label-schema` in the configuration, or remove it (`strict-labels` is on)"),
        );
    }
}
