//! DL3001: a RUN that calls a tool meant for an interactive machine (`ssh`, `vim`, `ps`, `service`, …).

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A RUN that calls a tool that makes no sense while building an image",
    what: "Finds the commands `free`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`, `top` and `vim` in \
           `RUN` instructions, `ONBUILD RUN` and heredoc scripts (the same list as hadolint). Installing one of \
           these packages is not reported, only running the program.",
    why: "A build step runs once, without a terminal, in a throw-away container whose processes all stop when \
          the step ends. An editor waits for a person who is not there, `service … start` starts a daemon that \
          dies with the step, `ps`, `top` and `free` describe the build machine rather than the image, and \
          `shutdown`, `kill` and `mount` either fail without privileges or act on the wrong machine. Such a \
          line is usually copied from a server's setup notes and does nothing useful in an image.",
    example: "FROM debian:12\nRUN service nginx start\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
    instead: "FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
    fix: None,
};

const TOOLS: &[&str] = &["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"];

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for scripts in &ctx.scripts {
        // One finding per instruction, on its first such command.
        let found = scripts.iter().find_map(|s| {
            s.script.commands.iter().find_map(|c| {
                c.program().filter(|p| TOOLS.contains(p)).map(|p| (p.to_string(), s.word_span(&c.words[0])))
            })
        });
        if let Some((tool, span)) = found {
            out.push(
                Violation::new(span, format!("`{tool}` does nothing useful while an image is built"))
                    .label("meant for a running machine")
                    .help(match tool.as_str() {
                        "service" => "start the program with the container's `CMD` or `ENTRYPOINT` instead",
                        "vim" => "write files with `COPY` or a heredoc instead of an editor",
                        "ssh" => "fetch what you need with `COPY`, `ADD` or `RUN --mount=type=ssh` instead",
                        _ => "remove the command; run it in the container when it is running, if at all",
                    }),
            );
        }
    }
}
