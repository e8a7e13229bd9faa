//! DK3001 (BuildKit's StageNameCasing): a stage name with upper-case letters.

use crate::dockerfile::{Args, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A stage name with upper-case letters",
    what: "Finds `FROM … AS Name` where the stage name holds an upper-case letter. BuildKit's own build check \
           of the same name reports it too.",
    why: "Stage names are matched without regard to case, so `Builder`, `builder` and `BUILDER` are the same \
          stage; writing them in lower case keeps them apart from instruction keywords and from image names, \
          which must be lower case, and avoids the impression that two spellings are two stages.",
    example: "FROM golang:1.22 AS Builder\nRUN go build -o /out/app .\n\nFROM alpine:3.20\nCOPY --from=Builder /out/app /app\n",
    instead: "FROM golang:1.22 AS builder\nRUN go build -o /out/app .\n\nFROM alpine:3.20\nCOPY --from=builder /out/app /app\n",
    fix: Some(
        "Lower-cases the name where the stage is defined and where a later `FROM`, `COPY --from` or \
         `RUN --mount=from=` names it.",
    ),
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let Some(alias) = &from.alias else { continue };
        let lower = alias.value.to_lowercase();
        if alias.value == lower {
            continue;
        }
        let mut edits = vec![Edit { span: alias.span, replacement: lower.clone() }];
        edits.extend(references(ctx, stage.from, &alias.value, &lower));
        out.push(
            Violation::new(alias.span, format!("stage name `{}` has upper-case letters", alias.value))
                .label("write stage names in lower case")
                .help(format!("name the stage `{lower}`; stage names are matched without regard to case"))
                .fix(Fix::new(format!("Rename the stage to `{lower}`"), Safety::Safe, edits)),
        );
    }
}

/// Edits that lower-case the later places that name the stage `name` with the same spelling.
fn references(ctx: &DockerfileContext, after: usize, name: &str, lower: &str) -> Vec<Edit> {
    let mut out = Vec::new();
    for ins in &ctx.file.instructions[after + 1..] {
        if let Args::From(from) = &ins.args
            && let Some(image) = &from.image
            && image.raw == name
        {
            out.push(Edit { span: image.span, replacement: lower.to_string() });
        }
        for flag in &ins.effective().flags {
            let text = ctx.text(flag.value_span);
            if flag.name == "from" && text == name {
                out.push(Edit { span: flag.value_span, replacement: lower.to_string() });
            } else if flag.name == "mount" {
                // `--mount=type=bind,from=Name,target=…`: only the `from=` field.
                let mut offset = flag.value_span.start;
                for field in text.split(',') {
                    if field.strip_prefix("from=") == Some(name) {
                        let start = offset + "from=".len();
                        out.push(Edit { span: Span::new(start, start + name.len()), replacement: lower.to_string() });
                    }
                    offset += field.len() + 1;
                }
            }
        }
    }
    out
}
