//! DL3063: a stage named `scratch` or `context`.

use crate::dockerfile::Args;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A stage named with a reserved word",
    what: "Finds `FROM … AS scratch` and `FROM … AS context`. BuildKit compares stage names without case, so \
           `AS Scratch` is reported too (hadolint only reports the lower-case spelling). BuildKit calls this \
           check ReservedStageName.",
    why: "`scratch` already means the empty image, and `context` names the build context in BuildKit's named \
          contexts. A stage with one of these names makes `FROM scratch` or `COPY --from=context` mean \
          something other than what every reader expects.",
    example: "FROM golang:1.22 AS scratch\nRUN go build -o /app .\n",
    instead: "FROM golang:1.22 AS build\nRUN go build -o /app .\n",
    fix: None,
};

const RESERVED: &[&str] = &["scratch", "context"];

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let Some(alias) = &from.alias else { continue };
        let lower = alias.value.to_ascii_lowercase();
        if RESERVED.contains(&lower.as_str()) {
            out.push(
                Violation::new(alias.span, format!("`{}` is a reserved word and cannot name a stage", alias.value))
                    .label("reserved")
                    .help(format!(
                        "name the stage after what it does, such as `build`; `{lower}` already means something"
                    )),
            );
        }
    }
}
