//! DL3029: `FROM --platform=` with a fixed platform.

use crate::dockerfile::Args;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`FROM --platform` with a fixed platform",
    what: "Finds `FROM --platform=linux/amd64` and other constant platforms. A platform taken from a variable \
           (`$BUILDPLATFORM` for cross-compiling, or a build argument) is fine, and so is a stage whose name \
           says which platform it is for (`FROM --platform=linux/arm64 … AS build-arm64`), which is how a \
           Dockerfile picks a per-platform stage with `FROM build-$TARGETARCH`. This is BuildKit's \
           FromPlatformFlagConstDisallowed; hadolint reports any `--platform` except `$BUILDPLATFORM`, \
           variables included.",
    why: "A fixed platform ties the stage to one CPU architecture: `docker build --platform` and multi-platform \
          builds cannot change it, so the image silently contains the wrong binaries, or runs under emulation, \
          on every other architecture.",
    example: "FROM --platform=linux/amd64 node:20-slim\nCOPY . /app\n",
    instead: "FROM node:20-slim\nCOPY . /app\n",
    fix: None,
};

/// True when the stage name mentions a part of the platform (`linux/arm64` and `build_arm64`).
fn named_for(stage: &str, platform: &str) -> bool {
    let stage = stage.to_ascii_lowercase();
    platform.to_ascii_lowercase().split('/').any(|part| !part.is_empty() && stage.contains(part))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let ins = &ctx.file.instructions[stage.from];
        let Some(flag) = ins.flag("platform") else { continue };
        let Some(platform) = flag.value.as_deref().filter(|v| !v.is_empty() && !v.contains('$')) else { continue };
        let alias = match &ins.args {
            Args::From(from) => from.alias.as_ref().map(|a| a.value.as_str()),
            _ => None,
        };
        if alias.is_some_and(|a| named_for(a, platform)) {
            continue;
        }
        out.push(
            Violation::new(flag.span, format!("`--platform={platform}` fixes the stage to one platform"))
                .label("constant platform")
                .help("remove the flag and choose the platform with `docker build --platform`, or use `$BUILDPLATFORM` in a cross-compiling stage"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::named_for;

    #[test]
    fn stage_names_for_platforms() {
        assert!(named_for("build_arm64", "linux/arm64"));
        assert!(named_for("Base-AMD64", "linux/amd64"));
        assert!(named_for("windows-base", "windows/amd64"));
        assert!(!named_for("base", "linux/amd64"));
    }
}
