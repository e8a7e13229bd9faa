//! DL3033: `yum install` of a package without a version.

use super::packages;
use super::rpm::{self, Dnf};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`yum install` of a package without a pinned version",
    what: "Finds packages named to `yum install` without a version (`httpd` rather than `httpd-2.4.6`), and \
           module streams named to `yum module install` without a stream (`nodejs` rather than `nodejs:14`). \
           A name with a dash is not taken for a pinned one unless what follows the dash is a version: \
           `httpd-tools` is unpinned, where hadolint takes any dash for a version. `.rpm` files, groups \
           (`@…`), file paths and URLs are fine. A package held in a shell variable is checked through the \
           variable's value when the script, an `ENV` or an `ARG` sets it.",
    why: "Without a version, each build installs whatever the mirror serves that day: two builds of the same \
          Dockerfile can differ, and an update can break the image with no change of yours.",
    example: "FROM centos:7\nRUN yum install -y httpd httpd-tools && yum clean all\n",
    instead: "FROM centos:7\nRUN yum install -y httpd-2.4.6 httpd-tools-2.4.6 && yum clean all\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        if Dnf::of(&site.cmd) != Some(Dnf::Yum) {
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
            let help = if install.module {
                format!("name the stream: `{}:<stream>`", first.spec)
            } else {
                format!("pin it: `{}-<version>`", first.spec)
            };
            let tool = if install.module { "yum module install" } else { "yum install" };
            out.push(packages::unpinned_violation(&site, tool, &unpinned, help));
        }
    }
}
