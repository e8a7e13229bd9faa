//! DK2001: `docker run` of an image built in the project from a Dockerfile that EXPOSEs ports the run does not
//! publish. `EXPOSE` only documents a port; only `-p`/`-P` make it reachable from the host.

use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

use crate::dockerfile::{self, Args, Keyword};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::lint::scripts::ScriptContext;

use super::ImageRef;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`docker run` of an image whose EXPOSEd ports are not published",
    what: "Follows `docker build -t NAME [-f FILE] CONTEXT` commands in the same file (and services with `build:` \
           in a compose file beside it) to the Dockerfile they build, and finds `docker run NAME` commands that \
           publish none of, or only some of, the ports that Dockerfile EXPOSEs. A run that overrides the command \
           (`docker run NAME npm test`) or uses `--network host` is left alone.",
    why: "`EXPOSE 80` only records that the program listens on port 80; it opens nothing. The server runs, but \
          nothing on the host can reach it until the run publishes the port with `-p 8080:80` (or `-P` for \
          every exposed port). This is one of the most common surprises when starting with Docker.",
    example: "docker build -t web .\ndocker run -d web\n",
    instead: "docker build -t web .\ndocker run -d -p 8080:80 web\n",
    fix: None,
};

/// An image the file builds: its tags, the Dockerfile and the target stage.
struct Build {
    tags: Vec<String>,
    dockerfile: PathBuf,
    target: Option<String>,
}

/// `name` with the default tag, `docker.io/library/` removed: the form two references are compared in.
fn normalise(reference: &str) -> String {
    let r = ImageRef::parse(reference);
    let name = r.name.trim_start_matches("docker.io/").trim_start_matches("library/");
    format!("{name}:{}", r.tag.unwrap_or("latest"))
}

fn is_remote(context: &str) -> bool {
    context.contains("://") || context.starts_with("git@") || context == "-"
}

fn builds_in_script(ctx: &ScriptContext) -> Vec<Build> {
    let mut out = Vec::new();
    for call in &ctx.calls {
        let inv = &call.invocation;
        if inv.command != ["build"] {
            continue;
        }
        let Some(context) = inv.args.first().map(|a| a.value.as_str()) else { continue };
        if is_remote(context) {
            continue;
        }
        let dockerfile = match inv.flag("file").and_then(|f| f.value.as_deref()) {
            Some("-") => continue,
            Some(f) => ctx.base_dir.join(f),
            None => ctx.base_dir.join(context).join("Dockerfile"),
        };
        let tags = inv.flags_named("tag").filter_map(|f| f.value.as_deref()).map(normalise).collect();
        let target = inv.flag("target").and_then(|f| f.value.clone());
        out.push(Build { tags, dockerfile, target });
    }
    out
}

/// Services with `build:` in a compose file next to the script.
fn builds_in_compose(ctx: &ScriptContext) -> Vec<Build> {
    let mut out = Vec::new();
    let project = ctx.base_dir.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    for name in ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] {
        let Some(text) = ctx.workspace.read(&ctx.base_dir.join(name)) else { continue };
        let Ok(docs) = YamlLoader::load_from_str(&text) else { continue };
        let Some(Yaml::Hash(services)) = docs.first().map(|d| &d["services"]) else { continue };
        for (service, def) in services {
            let Some(service) = service.as_str() else { continue };
            let (context, file, target) = match &def["build"] {
                Yaml::String(c) => (c.clone(), None, None),
                b @ Yaml::Hash(_) => (
                    b["context"].as_str().unwrap_or(".").to_string(),
                    b["dockerfile"].as_str().map(str::to_string),
                    b["target"].as_str().map(str::to_string),
                ),
                _ => continue,
            };
            if is_remote(&context) {
                continue;
            }
            let image = def["image"].as_str().map_or_else(|| format!("{project}-{service}"), str::to_string);
            let dir = ctx.base_dir.join(&context);
            out.push(Build {
                tags: vec![normalise(&image)],
                dockerfile: dir.join(file.as_deref().unwrap_or("Dockerfile")),
                target,
            });
        }
        break;
    }
    out
}

/// A port as `80/tcp`.
fn port_key(spec: &str) -> String {
    let (port, proto) = spec.split_once('/').unwrap_or((spec, "tcp"));
    format!("{port}/{}", proto.to_ascii_lowercase())
}

/// The ports the target stage (or the last one) of a Dockerfile EXPOSEs, with the line they are on,
/// following the stage's parents within the file.
fn exposed_ports(src: &str, target: Option<&str>) -> Vec<(String, usize)> {
    let parsed = dockerfile::parse(src);
    let file = &parsed.dockerfile;
    // Stage boundaries and names.
    let mut stages: Vec<(usize, usize, Option<String>, Option<String>)> = Vec::new();
    for (i, ins) in file.instructions.iter().enumerate() {
        if let Args::From(f) = &ins.args {
            if let Some(last) = stages.last_mut() {
                last.1 = i;
            }
            stages.push((
                i,
                file.instructions.len(),
                f.alias.as_ref().map(|a| a.value.to_lowercase()),
                f.image.as_ref().map(|w| w.value.to_lowercase()),
            ));
        }
    }
    let mut current = match target {
        Some(t) => stages.iter().position(|s| s.2.as_deref() == Some(&t.to_lowercase())),
        None => stages.len().checked_sub(1),
    };
    let mut ports = Vec::new();
    let mut seen = 0;
    while let Some(s) = current {
        let (from, end, _, base) = &stages[s];
        for ins in &file.instructions[*from..*end] {
            if ins.kind != Keyword::Expose {
                continue;
            }
            if let Args::List { items, .. } = &ins.args {
                let line = src[..ins.span.start].matches('\n').count() + 1;
                ports.extend(items.iter().filter(|w| !w.value.contains('$')).map(|w| (port_key(&w.value), line)));
            }
        }
        seen += 1;
        current = base.as_ref().and_then(|b| stages[..s].iter().position(|p| p.2.as_ref() == Some(b)));
        if seen > stages.len() {
            break;
        }
    }
    ports
}

/// The container port of a `-p` value: `[ip:][host:]container[/proto]`.
fn published_port(spec: &str) -> String {
    let (addr, proto) = spec.rsplit_once('/').unwrap_or((spec, "tcp"));
    let container = addr.rsplit(':').next().unwrap_or(addr);
    format!("{container}/{}", proto.to_ascii_lowercase())
}

/// True when `exposed` (`80/tcp`, `8000-8010/tcp`) is covered by `published` (which may be a range too).
fn covers(published: &str, exposed: &str) -> bool {
    let range = |s: &str| -> Option<(u32, u32, String)> {
        let (p, proto) = s.split_once('/')?;
        let (a, b) = p.split_once('-').unwrap_or((p, p));
        Some((a.parse().ok()?, b.parse().ok()?, proto.to_string()))
    };
    match (range(published), range(exposed)) {
        (Some((pa, pb, pp)), Some((ea, eb, ep))) => pp == ep && pa <= ea && eb <= pb,
        _ => published == exposed,
    }
}

fn display(path: &Path, base: &Path) -> String {
    path.strip_prefix(base).unwrap_or(path).display().to_string()
}

pub fn check(ctx: &ScriptContext, out: &mut Vec<Violation>) {
    let mut builds = builds_in_script(ctx);
    if ctx.calls.iter().any(|c| c.invocation.command == ["run"]) {
        builds.extend(builds_in_compose(ctx));
    }
    if builds.is_empty() {
        return;
    }
    for call in &ctx.calls {
        let inv = &call.invocation;
        if inv.command != ["run"] || inv.args.len() != 1 || inv.flag("entrypoint").is_some() || inv.has("publish-all") {
            continue;
        }
        if inv.flag("network").and_then(|f| f.value.as_deref()) == Some("host") {
            continue;
        }
        let image = &inv.args[0];
        let wanted = normalise(&image.value);
        let Some(build) = builds.iter().find(|b| b.tags.contains(&wanted)) else { continue };
        let Some(src) = ctx.workspace.read(&build.dockerfile) else { continue };
        let published: Vec<String> =
            inv.flags_named("publish").filter_map(|f| f.value.as_deref()).map(published_port).collect();
        let missing: Vec<(String, usize)> = exposed_ports(&src, build.target.as_deref())
            .into_iter()
            .filter(|(p, _)| !published.iter().any(|q| covers(q, p)))
            .collect();
        let Some((first, line)) = missing.first() else { continue };
        let list: Vec<&str> = missing.iter().map(|(p, _)| p.trim_end_matches("/tcp")).collect();
        let file = display(&build.dockerfile, &ctx.base_dir);
        let port = first.trim_end_matches("/tcp").split('/').next().unwrap_or(first).to_string();
        out.push(
            Violation::new(
                call.word_span(image.word),
                format!(
                    "`docker run {}` does not publish port{} {} that {file}:{line} EXPOSEs, so nothing outside the container can reach {}",
                    image.value,
                    if list.len() > 1 { "s" } else { "" },
                    list.join(", "),
                    if list.len() > 1 { "them" } else { "it" },
                ),
            )
            .label("EXPOSE documents a port; only -p publishes it")
            .help(format!("publish it: `docker run -p {port}:{port} {}` (or `-P` for every exposed port)", image.value)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_ports() {
        assert_eq!(published_port("127.0.0.1:8080:80"), "80/tcp");
        assert_eq!(published_port("53:53/udp"), "53/udp");
        assert!(covers("8000-8010/tcp", "8005/tcp"));
        assert!(!covers("80/tcp", "80/udp"));
        assert_eq!(normalise("docker.io/library/web"), "web:latest");
    }

    #[test]
    fn follows_stage_parents_for_exposed_ports() {
        let src =
            "FROM node:18 AS base\nEXPOSE 80\nFROM base AS dev\nEXPOSE 9229\nFROM nginx:1 AS prod\nEXPOSE 443/tcp\n";
        let ports: Vec<String> = exposed_ports(src, Some("dev")).into_iter().map(|p| p.0).collect();
        assert_eq!(ports, ["9229/tcp", "80/tcp"]);
        let ports: Vec<String> = exposed_ports(src, None).into_iter().map(|p| p.0).collect();
        assert_eq!(ports, ["443/tcp"]);
    }
}
