//! DL4001: both `wget` and `curl` used in one stage.

use crate::dockerfile::Span;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "Both `wget` and `curl` in one stage",
    what: "Finds stages whose RUN instructions (and heredoc scripts) call both `wget` and `curl`, and reports \
           the first call of whichever comes second. `ONBUILD RUN` is counted apart, since it runs in another \
           build. Installing the packages is not a call.",
    why: "Both tools download files. Using two means installing two, with their libraries and their security \
          updates, where one would do; it also makes the Dockerfile harder to read, since the same job is done \
          two ways with different flags.",
    example: "FROM debian:12\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN wget -q -O /tmp/b.tgz https://example.com/b.tgz\n",
    instead: "FROM debian:12\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz\nRUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        for onbuild in [false, true] {
            // The first call of each tool in the stage: `[curl, wget]`.
            let mut first: [Option<Span>; 2] = [None, None];
            'stage: for (ins, scripts) in
                ctx.file.instructions.iter().zip(&ctx.scripts).take(stage.end).skip(stage.from)
            {
                let is_onbuild = !std::ptr::eq(ins.effective(), ins);
                if is_onbuild != onbuild {
                    continue;
                }
                for script in scripts {
                    for cmd in &script.script.commands {
                        let tool = match cmd.program() {
                            Some("curl") => 0,
                            Some("wget") => 1,
                            _ => continue,
                        };
                        let span = script.word_span(&cmd.words[0]);
                        if first[tool].is_some() {
                            continue;
                        }
                        first[tool] = Some(span);
                        if let Some(other) = first[1 - tool] {
                            let (this, that) = if tool == 0 { ("curl", "wget") } else { ("wget", "curl") };
                            out.push(
                                Violation::new(span, format!("`{this}` is used in a stage that already uses `{that}`"))
                                    .label("second download tool")
                                    .secondary(other, format!("`{that}` is used here"))
                                    .help(format!("download everything with one tool, such as `{that}`")),
                            );
                            break 'stage;
                        }
                    }
                }
            }
        }
    }
}
