//! DL3037: `zypper install` of a package without a version.

use super::packages;
use super::rpm;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`zypper install` of a package without a pinned version",
    what: "Finds packages named to `zypper install` (`in`) without a version constraint (`curl` rather than \
           `curl=8.6.0` or `'curl>=8.6'`). `.rpm` files are fine, and so are patterns, patches and products \
           (`-t pattern`, `pattern:…`), which have no version. A package held in a shell variable is checked \
           through the variable's value when the script, an `ENV` or an `ARG` sets it.",
    why: "Without a version, each build installs whatever the mirror serves that day: two builds of the same \
          Dockerfile can differ, and an update can break the image with no change of yours.",
    example: "FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean --all\n",
    instead: "FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean --all\n",
    fix: None,
};

fn pinned(spec: &str) -> bool {
    spec.contains(['=', '<', '>']) || packages::has_extension(spec, "rpm")
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        let Some(install) = rpm::zypper_install(&site.cmd) else { continue };
        let found = packages::packages(ctx, &site, &install.words);
        let unpinned = packages::unpinned(&found, pinned);
        if let Some(first) = unpinned.first() {
            let help = format!("pin it: `{}=<version>`", first.spec);
            out.push(packages::unpinned_violation(&site, "zypper install", &unpinned, help));
        }
    }
}
