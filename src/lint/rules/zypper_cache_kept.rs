//! DL3036: zypper installs or updates packages in a RUN that does not clean its cache afterwards.

use super::packages::{self, Site};
use super::rpm;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::SimpleCommand;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "zypper leaves its cache in the image",
    what: "Finds a `RUN` where zypper installs, updates or upgrades packages (`install`/`in`, `update`/`up`, \
           `dist-upgrade`/`dup`, `patch`, `source-install`/`si`) and no `zypper clean` (`cc`, or removal of \
           `/var/cache/zypp`) follows in the same `RUN`. A `RUN` that mounts a cache or a tmpfs over \
           `/var/cache/zypp` is fine. \
           Only stages whose files end up in an image are checked: the last stage, and stages a later \
           `FROM` builds on; a stage that only feeds `COPY --from` leaves its cache behind. hadolint reports \
           those too.",
    why: "zypper keeps the repository metadata it downloads under `/var/cache/zypp`. A file deleted by a later \
          instruction still takes room in the layer that wrote it, so the cleaning must happen in the same `RUN`.",
    example: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0\n",
    instead: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean --all\n",
    fix: None,
};

const FILLS: &[&str] = &["install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si"];

fn cleans(cmd: &SimpleCommand) -> bool {
    rpm::zypper_subcommand(cmd, &["clean", "cc"]).is_some()
        || packages::removes(cmd, |p| rpm::covers_any(p, rpm::ZYPPER_CACHES))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    let mut reported = None;
    for (n, site) in sites.iter().enumerate() {
        if reported == Some(site.index) || !packages::stage_is_kept(ctx, site.index) {
            continue;
        }
        let Some(at) = rpm::zypper_subcommand(&site.cmd, FILLS) else { continue };
        if rpm::cleaned_after(ctx, &sites, n, rpm::ZYPPER_CACHES, cleans) {
            continue;
        }
        reported = Some(site.index);
        let sub = &site.cmd.words[at].value;
        out.push(
            Violation::new(site.head_span(at), format!("`zypper {sub}` leaves zypper's cache in the image"))
                .label("fills /var/cache/zypp, never cleaned in this RUN")
                .help("end the same RUN with `zypper clean --all`, or mount a cache: `RUN --mount=type=cache,target=/var/cache/zypp …`"),
        );
    }
}
