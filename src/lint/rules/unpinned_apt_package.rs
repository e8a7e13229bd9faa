//! DL3008: `apt-get install` of a package without a version.

use super::packages::{self, APT_GET_VALUE_FLAGS, has_extension};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apt-get install` of a package without a pinned version",
    what: "Finds packages named to `apt-get install` without a version (`curl` rather than `curl=7.88.1-10`). \
           A package with a release (`curl/bookworm-backports`), a path or a `.deb` file is fine. A package \
           held in a shell variable is checked through the variable's value when the script, an `ENV` or an \
           `ARG` sets it; a variable whose value cannot be known is given the benefit of the doubt.",
    why: "Without a version, each build installs whatever the mirror serves that day. Two builds of the same \
          Dockerfile can then differ, an upstream update can break the image without any change of yours, and \
          the build cache hides the difference until the layer is rebuilt.",
    example: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n",
    instead: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: None,
};

/// A version (`=`), a release or path (`/`) or a package file.
fn pinned(spec: &str) -> bool {
    spec.contains('=') || spec.contains('/') || has_extension(spec, "deb")
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        let Some(install) = packages::apt_get_install(&site.cmd) else { continue };
        let rest = &site.cmd.words[install + 1..];
        let words: Vec<_> =
            packages::operand_positions(rest, APT_GET_VALUE_FLAGS).into_iter().map(|i| &rest[i]).collect();
        let found = packages::packages(ctx, &site, &words);
        let unpinned = packages::unpinned(&found, pinned);
        if let Some(first) = unpinned.first() {
            let help = format!(
                "pin the version you tested: `{}=<version>` (`apt-cache policy {}` lists them)",
                first.spec, first.spec
            );
            one.push(out, site.index, packages::unpinned_violation(&site, "apt-get install", &unpinned, help));
        }
    }
}
