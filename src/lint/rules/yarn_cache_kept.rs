//! DL3060: `yarn install` in a RUN that does not clean yarn's cache afterwards.

use super::packages::{self, Site};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::SimpleCommand;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "yarn leaves its cache in the image",
    what: "Finds a `RUN` where yarn installs packages (`yarn install`, a bare `yarn`, `yarn add`, \
           `yarn global add`) and no `yarn cache clean` (or removal of yarn's cache folder) follows in the same \
           `RUN`. A `RUN` that mounts a cache or a tmpfs over yarn's cache (a target under `.cache/yarn` or \
           `.yarn`, or the folder `--cache-folder` or `YARN_CACHE_FOLDER` names) is fine. \
           Only stages whose files end up in an image are checked: the last stage, and stages a later \
           `FROM` builds on.",
    why: "yarn keeps a copy of every package it downloads in its global cache (`/usr/local/share/.cache/yarn` \
          for root), on top of the copy in `node_modules`: often as large again. A file deleted by a later \
          instruction still takes room in the layer that wrote it, so the cleaning must happen in the same \
          `RUN`.",
    example: "FROM node:22.11\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n",
    instead: "FROM node:22.11\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
    fix: None,
};

/// The options of yarn that take a value as the next word.
const YARN_VALUE_FLAGS: &[&str] = &[
    "--cwd",
    "--cache-folder",
    "--modules-folder",
    "--mutex",
    "--network-timeout",
    "--registry",
    "--global-folder",
    "--link-folder",
    "--use-yarnrc",
];

/// Where `yarn install` starts, when the command installs packages.
fn installs(cmd: &SimpleCommand) -> Option<usize> {
    if !cmd.is("yarn") {
        return None;
    }
    let ops = packages::operand_positions(cmd.args(), YARN_VALUE_FLAGS);
    let Some(&first) = ops.first() else {
        // A bare `yarn` (flags only) is `yarn install`.
        return Some(0);
    };
    let args = cmd.args();
    match args[first].value.as_str() {
        "install" | "add" => Some(first + 1),
        "global" => ops.get(1).filter(|&&i| args[i].value == "add").map(|&i| i + 1),
        _ => None,
    }
}

/// The cache folder the command names with `--cache-folder` or `YARN_CACHE_FOLDER`.
fn cache_folder(cmd: &SimpleCommand) -> Option<&str> {
    let from_flag = cmd.args().windows(2).find(|w| w[0].value == "--cache-folder").map(|w| w[1].value.as_str());
    let joined = cmd.args().iter().find_map(|w| w.value.strip_prefix("--cache-folder="));
    let from_env = cmd.assignments.iter().find_map(|w| w.value.strip_prefix("YARN_CACHE_FOLDER="));
    from_flag.or(joined).or(from_env)
}

/// Where yarn 1 and yarn 2+ keep their global caches for root and for the node images' `node` user.
const CACHES: &[&str] =
    &["/usr/local/share/.cache/yarn", "/root/.cache/yarn", "/home/node/.cache/yarn", "/root/.yarn", "/home/node/.yarn"];

fn is_yarn_cache(path: &str, named: Option<&str>) -> bool {
    path.contains(".cache/yarn")
        || CACHES.iter().any(|dir| packages::path_covers(path, dir) || path.starts_with(dir))
        || named.is_some_and(|n| packages::path_covers(path, n) || n.starts_with(path.trim_end_matches('/')))
}

fn cleans(cmd: &SimpleCommand, named: Option<&str>) -> bool {
    if cmd.is("yarn") {
        let ops = packages::operand_positions(cmd.args(), YARN_VALUE_FLAGS);
        let args = cmd.args();
        return ops.len() >= 2 && args[ops[0]].value == "cache" && args[ops[1]].value == "clean";
    }
    packages::removes(cmd, |p| is_yarn_cache(p, named))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    let mut reported = None;
    for (n, site) in sites.iter().enumerate() {
        if reported == Some(site.index) || !packages::stage_is_kept(ctx, site.index) {
            continue;
        }
        let Some(at) = installs(&site.cmd) else { continue };
        let named = cache_folder(&site.cmd);
        if packages::mounts_cache(site.instruction(ctx), |t| is_yarn_cache(t, named)) {
            continue;
        }
        if sites[n + 1..].iter().take_while(|s| s.index == site.index).any(|s| cleans(&s.cmd, named)) {
            continue;
        }
        reported = Some(site.index);
        out.push(
            Violation::new(
                site.head_span(at),
                format!("`{}` leaves yarn's cache in the image", super::rpm::command(&site.cmd, at, YARN_VALUE_FLAGS)),
            )
            .label("fills yarn's cache, never cleaned in this RUN")
            .help(
                "end the same RUN with `yarn cache clean`, or mount a cache: \
                     `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn …`",
            ),
        );
    }
}
