//! DL3028: `gem install` of a gem without a version.

use super::packages;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::word_is_flag;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`gem install` of a gem without a pinned version",
    what: "Finds gems named to `gem install` (`gem i`) without a version: neither `name:version` nor a \
           `-v`/`--version` option. Local `.gem` files are fine, and so is `gem install -g` (`--file`), which \
           installs what a Gemfile locks. The values of options (`--source https://…`, `-n /usr/bin`) are not \
           taken for gems. A gem held in a shell variable is checked through the variable's value when the \
           script, an `ENV` or an `ARG` sets it.",
    why: "Without a version, each build installs the newest release of the gem that day: two builds of the \
          same Dockerfile can differ, and a major release can break the image with no change of yours.",
    example: "FROM ruby:3.3\nRUN gem install bundler\n",
    instead: "FROM ruby:3.3\nRUN gem install bundler:2.5.22\n",
    fix: None,
};

/// The options of `gem install` that take a value as the next word.
const GEM_VALUE_FLAGS: &[&str] = &[
    "-v",
    "--version",
    "-s",
    "--source",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-p",
    "--http-proxy",
    "--platform",
    "-P",
    "--trust-policy",
    "--build-root",
    "--document",
    "--target-rbconfig",
    "--config-file",
];

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        if !site.cmd.is("gem") {
            continue;
        }
        let Some(at) = packages::subcommand(&site.cmd, GEM_VALUE_FLAGS, &["install", "i"]) else { continue };
        let args = packages::arg_values(ctx, &site);
        if args.iter().any(|v| word_is_flag(v, &["-v", "--version", "-g", "--file"])) {
            continue;
        }
        let rest = &site.cmd.words[at + 1..];
        let words: Vec<_> = packages::operand_positions(rest, GEM_VALUE_FLAGS).into_iter().map(|i| &rest[i]).collect();
        let found = packages::packages(ctx, &site, &words);
        let unpinned = packages::unpinned(&found, |s| s.contains(':') || packages::has_extension(s, "gem"));
        if let Some(first) = unpinned.first() {
            let help = format!("pin it: `{0}:<version>`, or `{0} -v <version>` when it is the only gem", first.spec);
            one.push(out, site.index, packages::unpinned_violation(&site, "gem install", &unpinned, help));
        }
    }
}
