//! DL1001: an inline ignore pragma (`# hadolint ignore=…`, `# docklings ignore=…`). Off by default.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::pragma::{self, Scope};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An inline ignore pragma",
    what: "Finds comments that silence rules: `# docklings ignore=…` and `# hadolint ignore=…`, and their \
           `global` and `stage` forms. Other comments, including hadolint's `# hadolint shell=…`, are fine. \
           The rule is off by default; turn it on with `enable` in `.docklings.toml` or by giving DL1001 a \
           level under `override` in `.hadolint.yaml`. hadolint reports only the next-line form; docklings \
           reports every form, since each one hides findings in the file rather than in the configuration.",
    why: "A team that wants every exception reviewed in one place keeps them in the configuration file. An \
          ignore written beside the instruction is easy to add in passing, is not seen by whoever reads the \
          configuration, and keeps silencing the rule after the line it excused has changed.",
    example: "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y curl\n",
    instead: "FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for comment in &ctx.file.comments {
        let Some(p) = pragma::parse(&comment.text) else { continue };
        let reach = match p.scope {
            Scope::Next => "the next instruction",
            Scope::Stage => "the whole stage",
            Scope::Global => "the whole file",
        };
        out.push(
            Violation::new(comment.span, format!("an inline pragma silences {} for {reach}", p.codes.join(", ")))
                .label("inline ignore")
                .help("fix what the rule reports, or list the exception in the configuration file"),
        );
    }
}
