//! DL3057: an image without a `HEALTHCHECK`. Off by default, as in hadolint.

use super::label_schema;
use crate::dockerfile::Keyword;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An image without a `HEALTHCHECK`",
    what: "Finds stages that become images and have no `HEALTHCHECK` instruction, in the stage or in a stage \
           it builds on. `HEALTHCHECK NONE` counts: it says on purpose that there is none. Only stages that \
           can become an image someone runs are checked: the last stage, and stages nothing else builds on or \
           copies from; hadolint also reports build stages that only feed others. Off by default, as in \
           hadolint: many images run under an orchestrator with its own probes, and a base image's \
           `HEALTHCHECK` cannot be seen from here. Turn it on with `enable = [\"DL3057\"]` in \
           `.docklings.toml`, or by giving it a level under `override` in `.hadolint.yaml`.",
    why: "Without a health check, Docker knows only whether the main process runs, not whether it works: a \
          server stuck in a loop or unable to reach its database still shows as up, and nothing restarts it.",
    example: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n",
    instead: "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in label_schema::image_stages(ctx) {
        if label_schema::stage_has(ctx, stage, |ins| ins.kind == Keyword::Healthcheck) {
            continue;
        }
        out.push(
            Violation::new(label_schema::stage_span(ctx, stage), "this image has no `HEALTHCHECK`")
                .label("no health check here or in the stages it builds on")
                .help("add `HEALTHCHECK CMD …` that fails when the service does not answer, or `HEALTHCHECK NONE` to say there is none on purpose"),
        );
    }
}
