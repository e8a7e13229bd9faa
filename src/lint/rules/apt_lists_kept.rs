//! DL3009: `apt-get update` in a RUN that does not delete the package lists it downloads.

use super::packages::{self, Site};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apt-get update` whose package lists stay in the image",
    what: "Finds a `RUN` that runs `apt-get update` without deleting `/var/lib/apt/lists` afterwards in the \
           same `RUN` (`rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean`). A `RUN` that mounts a cache or \
           a tmpfs over the lists (`--mount=type=cache,target=/var/lib/apt/lists`) is fine. Only stages that \
           end up in an image are checked: the last stage, and stages another `FROM` builds on.",
    why: "`apt-get update` downloads the package lists of every configured repository, often tens of \
          megabytes. Each instruction is a layer, and a file deleted by a later instruction still takes room \
          in the layer that wrote it, so the lists must go in the same `RUN`. They are also stale by the time \
          the image runs, so keeping them buys nothing.",
    example: "FROM debian:12.7\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\n",
    instead: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: None,
};

const LISTS: &str = "/var/lib/apt/lists";

/// The position of `update` when the command is `apt-get update`.
fn update(site: &Site) -> Option<usize> {
    if !site.cmd.is("apt-get") {
        return None;
    }
    packages::subcommand(&site.cmd, packages::APT_GET_VALUE_FLAGS, &["update"])
}

/// Deleting the lists, or `apt-get dist-clean` (apt 2.7 and later), which deletes them with the downloaded
/// packages.
fn is_cleanup(site: &Site) -> bool {
    let cmd = &*site.cmd;
    if cmd.is("apt-get") || cmd.is("apt") {
        return packages::subcommand(cmd, packages::APT_GET_VALUE_FLAGS, &["dist-clean"]).is_some();
    }
    packages::removes(cmd, |p| packages::path_covers(p, LISTS))
}

/// Stages whose files end up in an image: the last, and any that a later `FROM` builds on.
fn stage_is_kept(ctx: &DockerfileContext, index: usize) -> bool {
    let Some(stage) = ctx.stage_of(index) else { return true };
    ctx.final_stage().is_some_and(|f| f.index == stage.index) || stage.is_base
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    let mut reported = None;
    for (n, site) in sites.iter().enumerate() {
        let Some(at) = update(site) else { continue };
        if reported == Some(site.index) || !stage_is_kept(ctx, site.index) {
            continue;
        }
        if packages::mounts_cache(site.instruction(ctx), |t| packages::path_covers(t, LISTS) || t.starts_with(LISTS)) {
            continue;
        }
        // Commands of the same RUN after this one, heredoc bodies included.
        let cleaned = sites[n + 1..].iter().take_while(|s| s.index == site.index).any(is_cleanup);
        if cleaned {
            continue;
        }
        reported = Some(site.index);
        out.push(
            Violation::new(site.head_span(at), "`apt-get update` leaves its package lists in the image")
                .label("downloads /var/lib/apt/lists, never deleted in this RUN")
                .help(
                    "end the same RUN with `rm -rf /var/lib/apt/lists/*`, or mount a cache: \
                     `RUN --mount=type=cache,target=/var/lib/apt/lists …`",
                ),
        );
    }
}
