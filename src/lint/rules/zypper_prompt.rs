//! DL3034: a zypper command that changes packages without `-n`/`-y`, so it stops to ask for confirmation.

use super::packages;
use super::rpm;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A zypper command that may ask for confirmation",
    what: "Finds zypper commands that install, remove, patch or upgrade packages (`install`/`in`, \
           `remove`/`rm`, `source-install`/`si`, `patch`, `update`/`up`, `dist-upgrade`/`dup`) without the \
           global `--non-interactive`/`-n` or the command's `-y`/`--no-confirm`. Input piped into zypper \
           counts as an answer.",
    why: "zypper shows the changes it is about to make and asks `Continue? [y/n/v/...? shows all options] (y)`. \
          A build has no one to answer: the question reads end of input and the build fails.",
    example: "FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean\n",
    instead: "FROM opensuse/leap:15.6\nRUN zypper --non-interactive install curl=8.6.0 && zypper clean\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        let subs =
            ["install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup"];
        let Some(at) = rpm::zypper_subcommand(&site.cmd, &subs) else { continue };
        let args = packages::arg_values(ctx, &site);
        if rpm::assumes_yes(&site.cmd, &args, &["-n", "--non-interactive", "-y", "--no-confirm"]) {
            continue;
        }
        let sub = &site.cmd.words[at].value;
        out.push(
            Violation::new(
                site.head_span(at),
                format!("`zypper {sub}` without `--non-interactive` stops at a question the build cannot answer"),
            )
            .label("asks `Continue? [y/n/…]`")
            .help(format!("add `-n` before the command (`zypper -n {sub} …`) or `-y` after it")),
        );
    }
}
