//! DL3049: an image without a label that the label schema requires.

use super::label_schema;
use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An image lacks a label the label schema requires",
    what: "With a `label-schema` in the configuration, finds stages that become images and lack one of the \
           schema's labels, set in the stage or in a stage it builds on. Only stages that can become an image \
           someone runs are checked: the last stage, and stages nothing else builds on or copies from (which \
           `--target` builds). hadolint also reports build stages that only feed others.",
    why: "A schema names what every image of a project must carry (the source repository, the version, the \
          licence) so that registries, scanners and people can find out where an image came from. An image \
          without them has to be traced by hand.",
    example: "# .hadolint.yaml: label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nCMD [\"true\"]\n",
    instead: "# .hadolint.yaml: label-schema: {org.opencontainers.image.source: url}\nFROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/acme/app\nCMD [\"true\"]\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    if ctx.settings.label_schema.is_empty() {
        return;
    }
    for stage in label_schema::image_stages(ctx) {
        for name in ctx.settings.label_schema.keys() {
            let has = label_schema::stage_has(ctx, stage, |ins| {
                ins.kind == Keyword::Label
                    && matches!(&ins.args, Args::KeyValues(pairs) if pairs.iter().any(|kv| &kv.key.value == name))
            });
            if has {
                continue;
            }
            out.push(
                Violation::new(label_schema::stage_span(ctx, stage), format!("label `{name}` is missing"))
                    .label("this image has no such label")
                    .help(format!("add `LABEL {name}=…` to this stage; the label schema requires it")),
            );
        }
    }
}
