//! DL3032: yum installs or updates packages in a RUN that does not clean its cache afterwards.

use super::packages::{self, Site};
use super::rpm::{self, Dnf};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "yum leaves its cache in the image",
    what: "Finds a `RUN` where yum installs, updates or upgrades packages and no `yum clean all` (or removal of \
           `/var/cache/yum`) follows in the same `RUN`. A `RUN` that mounts a cache or a tmpfs over yum's cache \
           (`--mount=type=cache,target=/var/cache/yum`) is fine, which hadolint does not see. \
           Only stages whose files end up in an image are checked: the last stage, and stages a later \
           `FROM` builds on; a stage that only feeds `COPY --from` leaves its cache behind. hadolint reports \
           those too.",
    why: "yum keeps the repository metadata it downloads, and often the packages themselves, under \
          `/var/cache/yum`: tens or hundreds of megabytes. A file deleted by a later instruction still takes \
          room in the layer that wrote it, so the cleaning must happen in the same `RUN`.",
    example: "FROM centos:7\nRUN yum install -y httpd-2.4.6\n",
    instead: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    let mut reported = None;
    for (n, site) in sites.iter().enumerate() {
        if Dnf::of(&site.cmd) != Some(Dnf::Yum)
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
        let sub = &site.cmd.words[at].value;
        out.push(
            Violation::new(site.head_span(at), format!("`yum {sub}` leaves yum's cache in the image"))
                .label("fills /var/cache/yum, never cleaned in this RUN")
                .help("end the same RUN with `yum clean all`, or mount a cache: `RUN --mount=type=cache,target=/var/cache/yum …`"),
        );
    }
}
