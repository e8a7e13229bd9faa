//! DL3040: dnf or microdnf installs or updates packages in a RUN that does not clean its cache afterwards.

use super::packages::{self, Site};
use super::rpm::{self, Dnf};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "dnf leaves its cache in the image",
    what: "Finds a `RUN` where `dnf` or `microdnf` installs, updates or upgrades packages and no `dnf clean all` \
           (or removal of `/var/cache/dnf`, `/var/cache/yum` or `/var/cache/libdnf5`) follows in the same `RUN`. \
           A `RUN` that mounts a cache or a tmpfs over the cache folder \
           (`--mount=type=cache,target=/var/cache/dnf`) is fine, which hadolint does not see. \
           Only stages whose files end up in an image are checked: the last stage, and stages a later \
           `FROM` builds on; a stage that only feeds `COPY --from` leaves its cache behind. hadolint reports \
           those too.",
    why: "dnf keeps the repository metadata it downloads under `/var/cache/dnf`, often more than a hundred \
          megabytes. A file deleted by a later instruction still takes room in the layer that wrote it, so \
          the cleaning must happen in the same `RUN`.",
    example: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62\n",
    instead: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    let mut reported = None;
    for (n, site) in sites.iter().enumerate() {
        if !matches!(Dnf::of(&site.cmd), Some(Dnf::Dnf | Dnf::Microdnf))
            || reported == Some(site.index)
            || !packages::stage_is_kept(ctx, site.index)
        {
            continue;
        }
        let Some(at) = rpm::dnf_fills_cache(&site.cmd) else { continue };
        if rpm::cleaned_after(ctx, &sites, n, rpm::DNF_CACHES, rpm::dnf_cleans) {
            continue;
        }
        reported = Some(site.index);
        let program = site.cmd.program().unwrap_or("dnf");
        let sub = &site.cmd.words[at].value;
        out.push(
            Violation::new(site.head_span(at), format!("`{program} {sub}` leaves dnf's cache in the image"))
                .label("fills /var/cache/dnf, never cleaned in this RUN")
                .help(format!(
                    "end the same RUN with `{program} clean all`, or mount a cache: \
                     `RUN --mount=type=cache,target=/var/cache/dnf …`"
                )),
        );
    }
}
