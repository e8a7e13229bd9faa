//! DL3019: `apk add` without `--no-cache`, which leaves the package index in the image.

use super::packages;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Fix, Safety, Violation};
use crate::lint::fix::insert_after_word;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apk add` that leaves its package index in the image",
    what: "Finds `apk add` commands without `--no-cache`. It is quiet when the same `RUN` deletes \
           `/var/cache/apk` afterwards, or mounts a cache or a tmpfs there (or on `/etc/apk/cache`).",
    why: "Without `--no-cache`, apk downloads the repository index into `/var/cache/apk` and leaves it there, \
          a few megabytes that every image built on this one carries. `--no-cache` fetches a fresh index, \
          uses it and throws it away, which also makes a separate `apk update` unnecessary.",
    example: "FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r0\n",
    instead: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n",
    fix: Some("Inserts `--no-cache` after `add`."),
};

fn is_cache(path: &str) -> bool {
    ["/var/cache/apk", "/etc/apk/cache"].iter().any(|dir| packages::path_covers(path, dir) || path.starts_with(dir))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        let Some(add) = packages::apk_add(&site.cmd) else { continue };
        if site.cmd.has_flag(&["--no-cache"]) || packages::mounts_cache(site.instruction(ctx), is_cache) {
            continue;
        }
        if packages::removes_after(site.script, site.cmd.range.1, |p| packages::path_covers(p, "/var/cache/apk")) {
            continue;
        }
        let mut v =
            Violation::new(site.head_span(add), "`apk add` without `--no-cache` leaves the package index in the image")
                .label("index kept in /var/cache/apk")
                .help("use `apk add --no-cache …`, which needs no `apk update` either");
        if let Some(e) = insert_after_word(site.script, &site.cmd.words[add], "--no-cache") {
            v = v.fix(Fix::new("Add `--no-cache`", Safety::Safe, vec![e]));
        }
        out.push(v);
    }
}
