//! DL3026: a base image from a registry that is not among the trusted ones in the configuration.

use super::ImageRef;
use crate::dockerfile::{Args, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A base image from a registry that is not trusted",
    what: "When the configuration lists trusted registries (`trusted-registries` or `allowed-registries` in \
           `.docklings.toml`, `trustedRegistries` in `.hadolint.yaml`), finds `FROM` images pulled from any \
           other registry. An image without a registry comes from Docker Hub, which `docker.io`, \
           `index.docker.io`, `registry-1.docker.io` or `hub.docker.com` all name; `localhost/app` comes from \
           `localhost` (hadolint takes it for Docker Hub). A registry is written with its port when it has one \
           (`registry.local:5000`), and `*.example.com` trusts every subdomain of `example.com`. `scratch`, \
           earlier stages and images whose name depends on an unknown variable are fine. Without a list the \
           rule reports nothing.",
    why: "An organisation that builds only on images it has vetted, mirrored or scanned keeps them in its own \
          registries. A `FROM` that reaches elsewhere brings unreviewed software into the build and breaks \
          when the outside registry is down or rate-limits pulls.",
    example: "# .docklings.toml: [lint] trusted-registries = [\"registry.example.com\"]\nFROM node:20-slim\n",
    instead: "# .docklings.toml: [lint] trusted-registries = [\"registry.example.com\"]\nFROM registry.example.com/mirror/node:20-slim\n",
    fix: None,
};

/// The spellings of Docker Hub.
const DOCKER_HUB: &[&str] = &["docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com"];

/// The registry of an image name as Docker reads it: the first path component when it has a `.` or a `:` or
/// is `localhost`, else Docker Hub.
fn registry(name: &str) -> &str {
    match name.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first,
        _ => "docker.io",
    }
}

fn trusted(registry: &str, list: &[String]) -> bool {
    let registry = registry.to_ascii_lowercase();
    let hub = DOCKER_HUB.contains(&registry.as_str());
    list.iter().map(|t| t.trim().to_ascii_lowercase()).any(|t| {
        t == registry
            || (hub && DOCKER_HUB.contains(&t.as_str()))
            || t.strip_prefix("*.").is_some_and(|domain| {
                registry.strip_suffix(domain).is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'))
            })
    })
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let list = &ctx.settings.trusted_registries;
    if list.is_empty() {
        return;
    }
    for stage in &ctx.stages {
        let (Some(image), None) = (&stage.image, stage.parent) else { continue };
        let name = ImageRef::parse(image).name;
        if name.eq_ignore_ascii_case("scratch") {
            continue;
        }
        let reg = registry(name);
        if trusted(reg, list) {
            continue;
        }
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let Some(word) = &from.image else { continue };
        // Point at the registry itself when the image is written literally with one.
        let span = match word.raw.find(reg) {
            Some(0) if word.raw == word.value => Span::new(word.span.start, word.span.start + reg.len()),
            _ => word.span,
        };
        let shown = if reg == "docker.io" { "Docker Hub (`docker.io`)".to_string() } else { format!("`{reg}`") };
        out.push(
            Violation::new(span, format!("`{image}` comes from {shown}, which is not a trusted registry"))
                .label("untrusted registry")
                .help(format!(
                    "pull it from one of the trusted registries ({}), or add the registry to `trusted-registries`",
                    list.join(", ")
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_registries_as_docker_does() {
        assert_eq!(registry("ubuntu"), "docker.io");
        assert_eq!(registry("library/ubuntu"), "docker.io");
        assert_eq!(registry("localhost/app"), "localhost");
        assert_eq!(registry("registry.local:5000/team/app"), "registry.local:5000");
        assert_eq!(registry("host:5000/app"), "host:5000");
    }

    #[test]
    fn matches_trusted_registries() {
        let list = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        assert!(trusted("index.docker.io", &list(&["docker.io"])));
        assert!(trusted("docker.io", &list(&["hub.docker.com"])));
        assert!(trusted("eu.gcr.io", &list(&["*.gcr.io"])));
        assert!(trusted("a.b.gcr.io", &list(&["*.gcr.io"])));
        assert!(!trusted("gcr.io", &list(&["*.gcr.io"])));
        assert!(!trusted("evilgcr.io", &list(&["*.gcr.io"])));
        assert!(!trusted("my.reg.io:5000", &list(&["my.reg.io"])));
        assert!(trusted("My.Reg.IO", &list(&["my.reg.io"])));
    }
}
