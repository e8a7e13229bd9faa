//! DL3041: `dnf install` of a package without a version.

use super::packages;
use super::rpm::{self, Dnf};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`dnf install` of a package without a pinned version",
    what: "Finds packages named to `dnf install` or `microdnf install` without a version (`httpd` rather than \
           `httpd-2.4.62`), and module streams named to `dnf module install` without a stream (`nodejs` \
           rather than `nodejs:20`). A name with a dash counts as pinned only when what follows the dash is a \
           version. `.rpm` files, groups (`@…`), file paths and URLs are fine. A package held in a shell \
           variable is checked through the variable's value when the script, an `ENV` or an `ARG` sets it.",
    why: "Without a version, each build installs whatever the mirror serves that day: two builds of the same \
          Dockerfile can differ, and an update can break the image with no change of yours.",
    example: "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n",
    instead: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        if !matches!(Dnf::of(&site.cmd), Some(Dnf::Dnf | Dnf::Microdnf)) {
            continue;
        }
        let Some(install) = rpm::dnf_install(&site.cmd) else { continue };
        let found = packages::packages(ctx, &site, &install.words);
        let unpinned = if install.module {
            packages::unpinned(&found, |s| s.contains(':'))
        } else {
            packages::unpinned(&found, |s| !rpm::is_package_spec(s) || rpm::rpm_pinned(s))
        };
        if let Some(first) = unpinned.first() {
            let program = site.cmd.program().unwrap_or("dnf");
            let (tool, help) = if install.module {
                (format!("{program} module install"), format!("name the stream: `{}:<stream>`", first.spec))
            } else {
                (format!("{program} install"), format!("pin it: `{}-<version>`", first.spec))
            };
            out.push(packages::unpinned_violation(&site, &tool, &unpinned, help));
        }
    }
}
