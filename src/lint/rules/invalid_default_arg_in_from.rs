//! DK3008 (BuildKit's InvalidDefaultArgInFrom): with only the `ARG` defaults, a `FROM` names no valid image.

use std::collections::HashMap;

use crate::dockerfile::{Args, words};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

use super::undefined_arg_in_from::PLATFORM_ARGS;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`FROM` names no valid image unless a `--build-arg` is given",
    what: "Expands each `FROM` that uses variables with the defaults of the `ARG`s before the first `FROM` \
           (an `ARG` without a default, or no `ARG` at all, gives an empty string) and reports the line when \
           the result is empty or not a valid image reference, such as `node:` or `/app`. BuildKit's own build \
           check of the same name reports the same.",
    why: "Such a Dockerfile builds only when every `docker build` passes the right `--build-arg`. Anyone who \
          runs a plain `docker build .`, and every tool that does (an IDE, a CI template, `docker compose \
          build`), gets a confusing error about an invalid reference instead of an image.",
    example: "ARG NODE_VERSION\nFROM node:${NODE_VERSION}-alpine\n",
    instead: "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n",
    fix: None,
};

/// Why `reference` is not a valid image reference, as Docker parses one; `None` when it is.
pub(crate) fn invalid_reference(reference: &str) -> Option<&'static str> {
    if reference.is_empty() {
        return Some("it is empty");
    }
    let (rest, digest) = match reference.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (reference, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let ok = (1..=128).contains(&tag.len())
            && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && tag.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !ok {
            return Some(if tag.is_empty() { "its tag is empty" } else { "its tag is not valid" });
        }
    }
    if let Some(digest) = digest {
        let ok = digest.split_once(':').is_some_and(|(alg, hex)| {
            alg.starts_with(|c: char| c.is_ascii_alphabetic())
                && alg.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.'))
                && hex.len() >= 32
                && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !ok {
            return Some("its digest is not valid");
        }
    }
    if name.is_empty() {
        return Some("it has no image name");
    }
    let mut parts: Vec<&str> = name.split('/').collect();
    let first = parts[0];
    let has_domain = parts.len() > 1
        && (first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase()));
    if has_domain {
        let host = first.split(':').next().unwrap_or("");
        let host_ok = !host.is_empty()
            && host.split('.').all(|l| {
                !l.is_empty()
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !l.starts_with('-')
                    && !l.ends_with('-')
            });
        let port_ok = first.split_once(':').is_none_or(|(_, p)| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !(host_ok && port_ok) {
            return Some("its registry is not valid");
        }
        parts.remove(0);
    }
    for part in parts {
        if part.chars().any(|c| c.is_ascii_uppercase()) {
            return Some("image names must be lower case");
        }
        if !path_component(part) {
            return Some("a part of its name is empty or not valid");
        }
    }
    None
}

/// `[a-z0-9]+` groups joined by `.`, `_`, `__` or runs of `-`.
fn path_component(part: &str) -> bool {
    let bytes = part.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_alphanumeric() || !bytes[bytes.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_lowercase() || b.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let sep = &part[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-')) {
            return false;
        }
    }
    true
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let escape = ctx.file.escape;
    let mut defaults: HashMap<&str, String> =
        PLATFORM_ARGS.iter().map(|(name, value)| (*name, (*value).to_string())).collect();
    // Global `ARG` defaults in order, each expanded with the ones before it (`ARG B=${A}`).
    for ins in ctx.file.instructions.iter().take(ctx.stages.first().map_or(0, |s| s.from)) {
        let Args::Arg(decls) = &ins.args else { continue };
        for d in decls {
            let value = d
                .default
                .as_ref()
                .map(|w| words::expand(&w.raw, escape, &|name| defaults.get(name).cloned()))
                .unwrap_or_default();
            defaults.insert(&d.name.value, value);
        }
    }
    for stage in &ctx.stages {
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let Some(image) = &from.image else { continue };
        if words::var_refs(&image.raw, escape).is_empty() {
            continue;
        }
        let expanded = words::expand(&image.raw, escape, &|name| defaults.get(name).cloned());
        let Some(reason) = invalid_reference(&expanded) else { continue };
        out.push(
            Violation::new(
                image.span,
                format!("with only the `ARG` defaults this `FROM` names `{expanded}`, which is not an image: {reason}"),
            )
            .label("builds only with the right --build-arg")
            .help("give the global `ARG`s this line uses a default that makes a valid image reference"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::invalid_reference;

    #[test]
    fn validates_references() {
        for ok in [
            "alpine",
            "node:20-alpine",
            "localhost:5000/team/app:1.2",
            "ghcr.io/o/r@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "my_org/some-image__x",
            "scratch",
        ] {
            assert_eq!(invalid_reference(ok), None, "{ok}");
        }
        for bad in ["", "node:", "/app", "app/", "Node:20", "node:-x", "a@sha256:12", "reg.io:/x", "a--"] {
            assert!(invalid_reference(bad).is_some(), "{bad}");
        }
    }
}
