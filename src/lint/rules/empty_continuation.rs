//! DK3003 (BuildKit's NoEmptyContinuation): a blank line inside an instruction continued with `\`.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A blank line inside a continued instruction",
    what: "Finds empty lines between the lines of one instruction joined with the escape character (`\\`). \
           Comment lines there are fine. BuildKit's own build check, NoEmptyContinuation, reports the same.",
    why: "Docker skips such a blank line today and joins the instruction across it, but has announced that a \
          future release will treat it as an error. A blank line also usually means the `\\` before it was a \
          mistake: the author thought the instruction ended there.",
    example: "FROM debian:12\nRUN apt-get update && \\\n\n    apt-get install -y curl\n",
    instead: "FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl\n",
    fix: Some("Deletes the blank lines."),
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        for &line in &ins.empty_continuation_lines {
            // The whole line with its line break, so that the fix leaves no trace.
            let end = ctx.src[line.end..].find('\n').map_or(ctx.src.len(), |i| line.end + i + 1);
            let whole = crate::dockerfile::Span::new(line.start, end);
            out.push(
                Violation::new(line, "empty line inside a continued instruction")
                    .label("blank line")
                    .secondary(ins.keyword.span, "the instruction it continues")
                    .help("delete the blank line, or end the instruction before it by removing the `\\`")
                    .fix(Fix::new(
                        "Delete the blank line",
                        Safety::Safe,
                        vec![Edit { span: whole, replacement: String::new() }],
                    )),
            );
        }
    }
}
