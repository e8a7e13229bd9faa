//! DL3061: an instruction other than `ARG` before the first `FROM`.

use crate::dockerfile::Keyword;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An instruction before the first `FROM`",
    what: "Finds instructions other than `ARG` before the first `FROM` (parser directives and comments are not \
           instructions). In a file without any `FROM`, every instruction but `ARG` is reported. Unknown \
           instructions are left to DL1000.",
    why: "A Dockerfile's build starts at its first `FROM`; only `ARG` may come before it, to give values to the \
          `FROM` lines. BuildKit refuses anything else, so the build fails before it starts.",
    example: "WORKDIR /app\nFROM node:20-slim\nCOPY . .\n",
    instead: "FROM node:20-slim\nWORKDIR /app\nCOPY . .\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        match ins.kind {
            Keyword::From => return,
            Keyword::Arg | Keyword::Unknown => {}
            kind => out.push(
                Violation::new(ins.keyword.span, format!("`{kind}` comes before the first `FROM`"))
                    .label("no stage yet")
                    .help(
                        "start the Dockerfile with `FROM` (only `ARG` may come before it) and move this line below it",
                    ),
            ),
        }
    }
}
