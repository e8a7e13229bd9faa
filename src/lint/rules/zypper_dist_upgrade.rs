//! DL3035: `zypper dist-upgrade` in a Dockerfile.

use super::packages;
use super::rpm;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`zypper dist-upgrade` in a build",
    what: "Finds `zypper dist-upgrade` and its short form `zypper dup`.",
    why: "A distribution upgrade moves every package of the base image to whatever the repositories hold \
          today, possibly to a new release of the distribution. The image then depends on the day it was \
          built rather than on the base image's tag, and it grows by a layer holding a copy of every \
          upgraded file. Pick a newer base image instead.",
    example: "FROM opensuse/leap:15.5\nRUN zypper -n dist-upgrade && zypper clean --all\n",
    instead: "FROM opensuse/leap:15.6\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        let Some(at) = rpm::zypper_subcommand(&site.cmd, &["dist-upgrade", "dup"]) else { continue };
        out.push(
            Violation::new(site.head_span(at), "`zypper dist-upgrade` upgrades the whole base image during the build")
                .label("the image now depends on the day it is built")
                .help("use a newer tag of the base image instead of upgrading it in place"),
        );
    }
}
