//! DL3030: `yum install` without `-y`, so it stops to ask for confirmation.

use super::packages;
use super::rpm::{self, Dnf, command};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`yum install` without `-y`",
    what: "Finds `yum install` (also `groupinstall`, `localinstall`, `reinstall` and `module install`) without \
           `-y` or `--assumeyes`. It is quiet when something is piped into yum (`yes | yum install …`), when \
           `--setopt=assumeyes=1` is given, or when an earlier `RUN` wrote `assumeyes=1` into yum's configuration.",
    why: "yum shows what it is about to install and asks `Is this ok [y/N]`. A build has no one to answer: \
          yum reads end of input, takes it as no, and the build fails.",
    example: "FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n",
    instead: "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        if Dnf::of(&site.cmd) != Some(Dnf::Yum) {
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
