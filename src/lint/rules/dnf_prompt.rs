//! DL3038: `dnf install` without `-y`, so it stops to ask for confirmation.

use super::packages;
use super::rpm::{self, Dnf, command};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`dnf install` without `-y`",
    what: "Finds `dnf install` (also `dnf5`, `localinstall`, `reinstall`, `group install` and `module install`) \
           without `-y` or `--assumeyes`. It is quiet when something is piped into dnf, when \
           `--setopt=assumeyes=1` is given, or when an earlier `RUN` wrote `assumeyes=1` into dnf's \
           configuration. `microdnf` is not flagged, unlike in hadolint: it never asks, and takes `-y` only \
           so that dnf command lines keep working.",
    why: "dnf lists what it is about to install and asks `Is this ok [y/N]`. A build has no one to answer: \
          dnf reads end of input, takes it as no, and the build fails.",
    example: "FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all\n",
    instead: "FROM fedora:40\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        if Dnf::of(&site.cmd) != Some(Dnf::Dnf) {
            continue;
        }
        let Some(install) = rpm::dnf_install(&site.cmd) else { continue };
        let args = packages::arg_values(ctx, &site);
        if rpm::assumes_yes(&site.cmd, &args, &["-y", "--assumeyes"]) || rpm::dnf_config_assumes_yes(ctx, &site, &args)
        {
            continue;
        }
        out.push(
            Violation::new(
                site.head_span(install.at),
                format!(
                    "`{}` without `-y` stops at a question the build cannot answer",
                    command(&site.cmd, install.at, rpm::DNF_VALUE_FLAGS)
                ),
            )
            .label("asks `Is this ok [y/N]`")
            .help(format!("add `-y`: `{} -y …`", command(&site.cmd, install.at, rpm::DNF_VALUE_FLAGS))),
        );
    }
}
