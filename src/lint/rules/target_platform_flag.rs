//! DL3065: `FROM --platform=$TARGETPLATFORM`, which is what `FROM` does anyway.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`FROM --platform=$TARGETPLATFORM`, which is the default",
    what: "Finds `FROM --platform=$TARGETPLATFORM` and `--platform=${TARGETPLATFORM}`. BuildKit calls this \
           check RedundantTargetPlatform.",
    why: "A stage is built for the target platform unless its `FROM` says otherwise, so the flag changes \
          nothing. It makes the stage look special to a reader who then searches for why, and it hides the one \
          place where `--platform` does matter: `$BUILDPLATFORM` in a cross-compiling stage.",
    example: "FROM --platform=$TARGETPLATFORM alpine:3.20\n",
    instead: "FROM alpine:3.20\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let Some(flag) = ctx.file.instructions[stage.from].flag("platform") else { continue };
        if matches!(flag.value.as_deref(), Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")) {
            out.push(
                Violation::new(flag.span, "`--platform=$TARGETPLATFORM` is what `FROM` does without it")
                    .label("redundant")
                    .help("remove the flag"),
            );
        }
    }
}
