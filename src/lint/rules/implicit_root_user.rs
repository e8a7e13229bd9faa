//! DK4001: the final stage never sets `USER`, so the image runs as root by default.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "The final image never sets `USER`, so it runs as root",
    what: "Finds a final stage with no `USER` instruction, neither its own nor in the stages it is built \
           `FROM`. Base images that are known to run as an unprivileged user already (tags with `nonroot` or \
           `rootless`, `*-unprivileged` images, Bitnami and Chainguard images), Windows images, and images \
           that install `gosu`, `su-exec` or `setpriv` to drop root in their entrypoint are left \
           alone. A final `USER root` is DL3002's finding. Off unless enabled (`enable = [\"DK4001\"]` under \
           `[lint]` in `.docklings.toml`), since most Dockerfiles in the wild would fail a build on it.",
    why: "Without `USER`, the container's process runs as the base image's user, which is root for almost every \
          image. A flaw in the application then has full control of the container, and of every volume and \
          socket mounted into it; with a container escape, root in the container can become root on the host. \
          An unprivileged user costs two lines.",
    example: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
    instead: "FROM python:3.12-slim\nRUN useradd --create-home app\nWORKDIR /app\nCOPY . .\nUSER app\nCMD [\"python\", \"app.py\"]\n",
    fix: None,
};

/// True for base images that are documented to run as an unprivileged user, or are not Linux images.
fn runs_unprivileged(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    let reference = super::ImageRef::parse(&lower);
    let tag = reference.tag.unwrap_or("");
    tag.contains("nonroot")
        || tag.contains("rootless")
        || reference.name.ends_with("-unprivileged")
        || reference.name.starts_with("bitnami/")
        || reference.name.starts_with("docker.io/bitnami/")
        || (reference.name.starts_with("cgr.dev/chainguard/") && !tag.contains("dev"))
        || lower.contains("windows")
        || lower.contains("nanoserver")
        || lower.contains("servercore")
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let Some(last) = ctx.final_stage() else { return };
    let mut stage = last;
    loop {
        let instructions = stage.instructions(ctx.file);
        if instructions.iter().any(|i| i.kind == Keyword::User) {
            return;
        }
        // Images that start as root to drop privileges in their entrypoint (`gosu`, `su-exec`, `setpriv`),
        // as the official database images do.
        let text = |i: &crate::dockerfile::Instruction| ctx.text(i.span);
        if instructions.iter().any(|i| ["gosu", "su-exec", "setpriv"].iter().any(|p| text(i).contains(p))) {
            return;
        }
        match stage.parent {
            Some(p) if p < stage.index => stage = &ctx.stages[p],
            _ => break,
        }
    }
    // `stage` is now the first of the chain: its base is an image, or scratch.
    if stage.image.as_deref().is_some_and(runs_unprivileged) {
        return;
    }
    let Args::From(from) = &ctx.file.instructions[last.from].args else { return };
    let span = from.image.as_ref().map_or(ctx.file.instructions[last.from].keyword.span, |w| w.span);
    out.push(
        Violation::new(span, "the final image never sets `USER`, so its containers run as root")
            .label("final stage")
            .help(
                "create an unprivileged user and switch to it before `CMD`: `RUN useradd --create-home app` (or \
                 `adduser -D app` on Alpine) then `USER app`",
            ),
    );
}

#[cfg(test)]
mod tests {
    use super::runs_unprivileged;

    #[test]
    fn known_unprivileged_images() {
        for i in ["gcr.io/distroless/static:nonroot", "nginxinc/nginx-unprivileged:1.27", "bitnami/redis:7.2"] {
            assert!(runs_unprivileged(i), "{i}");
        }
        for i in ["python:3.12", "gcr.io/distroless/static", "nginx:1.27", "cgr.dev/chainguard/python:latest-dev"] {
            assert!(!runs_unprivileged(i), "{i}");
        }
    }
}
