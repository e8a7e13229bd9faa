//! DL3048: a `LABEL` key that breaks Docker's naming guidelines for label keys.

use super::label_schema;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A label key that breaks Docker's naming guidelines",
    what: "Finds `LABEL` keys that do not start with a lower-case letter, do not end with a lower-case letter \
           or digit, hold anything but lower-case letters, digits, `.`, `-` and `_`, repeat `.` or `-` \
           (`a..b`, `a--b`), or use a namespace Docker reserves for itself (`com.docker.`, `io.docker.`, \
           `org.dockerproject.`). Keys that expand a variable are known only at build time and are skipped.",
    why: "Tools that read labels (registries, scanners, orchestrators) expect keys in reverse-DNS form, and \
          Docker's own namespaces may take any meaning Docker gives them. A key like `Version` or \
          `Build_Date` works, but is easy to misspell when something looks it up, and clashes with nothing \
          only by luck.",
    example: "FROM alpine:3.20\nLABEL Version=1.0 Build_Date=2024-05-01\n",
    instead: "FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.0 org.opencontainers.image.created=2024-05-01T00:00:00Z\n",
    fix: None,
};

/// What is wrong with the key, if anything.
fn problem(key: &str) -> Option<&'static str> {
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("must start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("must end with a lower-case letter or a digit");
    }
    // Docker's guidelines leave out `_`; hadolint accepts it inside a key, and so do we.
    if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c)) {
        return Some("may hold only lower-case letters, digits, `.`, `-` and `_`");
    }
    if key.contains("..") || key.contains("--") {
        return Some("must not repeat `.` or `-`");
    }
    if ["com.docker.", "io.docker.", "org.dockerproject."].iter().any(|ns| key.starts_with(ns)) {
        return Some("uses a namespace Docker reserves");
    }
    None
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut last = None;
    for (index, kv) in label_schema::labels(ctx) {
        let key = &kv.key.value;
        if label_schema::expands(ctx, &kv.key.raw) {
            continue;
        }
        let Some(why) = problem(key) else { continue };
        // One finding per LABEL instruction, as hadolint counts them; later bad keys are marked on it.
        if last == Some(index) {
            if let Some(v) = out.pop() {
                out.push(v.secondary(kv.key.span, format!("`{key}` {why} too")));
            }
            continue;
        }
        last = Some(index);
        out.push(
            Violation::new(kv.key.span, format!("label key `{key}` {why}"))
                .label("invalid label key")
                .help("name labels in lower-case reverse-DNS form, like `org.opencontainers.image.version`"),
        );
    }
}
