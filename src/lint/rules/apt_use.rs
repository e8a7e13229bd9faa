//! DL3027: `apt` in a RUN, where `apt-get` or `apt-cache` belong.

use super::packages;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apt` used in a Dockerfile",
    what: "Finds commands that run `apt` (`apt install`, `apt update`, …) in a `RUN`.",
    why: "`apt` is the front end for people at a terminal: progress bars, colours, and a command-line \
          interface its authors say may change between releases (it prints `WARNING: apt does not have a \
          stable CLI interface` when its output is not a terminal). `apt-get` and `apt-cache` do the same \
          work with an interface that scripts can rely on.",
    example: "FROM debian:12.7\nRUN apt update \\\n && apt install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    instead: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: None,
};

/// Subcommands that belong to `apt-cache` rather than `apt-get`.
const APT_CACHE: &[&str] = &["search", "show", "policy", "depends", "rdepends", "showsrc", "madison"];

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        if !site.cmd.is("apt") {
            continue;
        }
        let sub = packages::operand_positions(site.cmd.args(), packages::APT_GET_VALUE_FLAGS)
            .first()
            .map(|&i| site.cmd.args()[i].value.as_str());
        let tool = if sub.is_some_and(|s| APT_CACHE.contains(&s)) { "apt-cache" } else { "apt-get" };
        let span = site.script.word_span(&site.cmd.words[0]);
        one.push(
            out,
            site.index,
            Violation::new(span, format!("`apt` is made for terminals; a Dockerfile should use `{tool}`"))
                .label("no stable command-line interface")
                .help(match sub {
                    Some(s) => format!("write `{tool} {s} …`"),
                    None => format!("use `{tool}`"),
                }),
        );
    }
}
