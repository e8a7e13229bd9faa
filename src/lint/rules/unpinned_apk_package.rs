//! DL3018: `apk add` of a package without a version.

use super::packages::{self, has_extension};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apk add` of a package without a pinned version",
    what: "Finds packages named to `apk add` without a version constraint (`curl` rather than `curl=8.9.1-r0` \
           or `curl~8.9`). Package files (`.apk`) are fine, and so is the name given to `--virtual`/`-t`. A \
           package held in a shell variable is checked through the variable's value when the script, an `ENV` \
           or an `ARG` sets it.",
    why: "Without a version, each build installs whatever the Alpine mirror serves that day: two builds of \
          the same Dockerfile can differ, and an update can break the image with no change of yours.",
    example: "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
    instead: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
    fix: None,
};

/// `=`, `~`, `<` and `>` constrain the version.
fn pinned(spec: &str) -> bool {
    spec.contains(['=', '~', '<', '>']) || has_extension(spec, "apk")
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        let Some(add) = packages::apk_add(&site.cmd) else { continue };
        let rest = &site.cmd.words[add + 1..];
        let words: Vec<_> =
            packages::operand_positions(rest, packages::APK_VALUE_FLAGS).into_iter().map(|i| &rest[i]).collect();
        let found = packages::packages(ctx, &site, &words);
        let unpinned = packages::unpinned(&found, pinned);
        if let Some(first) = unpinned.first() {
            let help =
                format!("pin it: `{0}=<version>`, or `{0}~<major.minor>` to take only bug-fix releases", first.spec);
            one.push(out, site.index, packages::unpinned_violation(&site, "apk add", &unpinned, help));
        }
    }
}
