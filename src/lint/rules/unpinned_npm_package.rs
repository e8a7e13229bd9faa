//! DL3016: `npm install` of a package without a version.

use super::packages;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`npm install` of a package without a pinned version",
    what: "Finds packages named to `npm install` without a version or tag (`express` rather than \
           `express@4.19.2`), and git sources without a commit or tag (`git+https://…/repo.git` rather than \
           `…/repo.git#v1.2.0`). A bare `npm install`, which installs what `package.json` and the lock file \
           name, is fine, and so are tarballs and local folders.",
    why: "Without a version, each build installs the newest release published that day: builds stop being \
          repeatable, and a new release, or a compromised one, enters the image with no change of yours.",
    example: "FROM node:20.15-slim\nRUN npm install -g typescript\n",
    instead: "FROM node:20.15-slim\nRUN npm install -g typescript@5.5.3\n",
    fix: None,
};

/// The options of `npm` that take a value as the next word.
const VALUE_FLAGS: &[&str] = &[
    "--registry",
    "--loglevel",
    "--prefix",
    "-C",
    "--cache",
    "--userconfig",
    "--globalconfig",
    "--tag",
    "-w",
    "--workspace",
    "--omit",
    "--include",
    "--install-strategy",
    "--before",
    "--location",
    "--otp",
    "--proxy",
    "--https-proxy",
    "--scope",
    "--save-prefix",
    "--script-shell",
    "--node-options",
    "--cafile",
    "--auth-type",
    "--fetch-retries",
    "--fetch-timeout",
];

const GIT: &[&str] = &["git://", "git+ssh://", "git+http://", "git+https://", "git+file://"];
const HOSTED: &[&str] = &["github:", "gitlab:", "bitbucket:", "gist:"];
const TARBALLS: &[&str] = &[".tar", ".tar.gz", ".tgz"];
const PATHS: &[&str] = &["/", "./", "../", "~/", "file:"];

fn pinned(spec: &str) -> bool {
    if GIT.iter().chain(HOSTED).any(|p| spec.starts_with(p)) {
        return spec.contains('#');
    }
    if TARBALLS.iter().any(|t| spec.ends_with(t))
        || PATHS.iter().any(|p| spec.starts_with(p))
        || spec == "."
        || spec == ".."
    {
        return true;
    }
    match spec.strip_prefix('@') {
        // `@scope/name@version`: the version comes after the scope's slash.
        Some(scoped) => scoped.split_once('/').is_some_and(|(_, name)| name.contains('@')),
        // `user/repo` is a GitHub repository: pinned by `#commit`.
        None if spec.contains('/') && !spec.contains(':') => spec.contains('#'),
        None => spec.contains('@'),
    }
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        if !site.cmd.is("npm") {
            continue;
        }
        let Some(install) = packages::subcommand(&site.cmd, VALUE_FLAGS, &["install"]) else { continue };
        let rest = &site.cmd.words[install + 1..];
        let words: Vec<_> = packages::operand_positions(rest, VALUE_FLAGS).into_iter().map(|i| &rest[i]).collect();
        let found = packages::packages(ctx, &site, &words);
        let unpinned = packages::unpinned(&found, pinned);
        if let Some(first) = unpinned.first() {
            let help = if GIT.iter().chain(HOSTED).any(|p| first.spec.starts_with(p))
                || !first.spec.starts_with('@') && first.spec.contains('/')
            {
                format!("name a commit or tag: `{}#<ref>`", first.spec)
            } else {
                format!("pin it: `{}@<version>`", first.spec)
            };
            one.push(out, site.index, packages::unpinned_violation(&site, "npm install", &unpinned, help));
        }
    }
}
