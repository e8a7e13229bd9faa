//! DL3004: `sudo` in a RUN.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`sudo` in a RUN",
    what: "Finds `sudo` commands (also written `/usr/bin/sudo`) in `RUN` instructions, `ONBUILD RUN` and heredoc \
           scripts. Installing the `sudo` package or writing a sudoers file is not a `sudo` command and is not \
           reported.",
    why: "A build step runs as the user `USER` names, and `USER root` switches to root for the steps that need \
          it, so `sudo` is never needed to build. It asks for a password or a sudoers entry that the image may \
          not have, it rewrites the environment (`PATH`, proxies, variables set by `ENV`), it does not pass \
          signals on the way a container's process needs, and shipping it leaves a way to become root in the \
          image. To drop privileges when the container starts, use a tool such as `gosu` or `su-exec`.",
    example: "FROM debian:12\nRUN useradd app\nUSER app\nRUN sudo apt-get update && sudo apt-get install -y curl\n",
    instead: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN useradd app\nUSER app\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for scripts in &ctx.scripts {
        // One finding per instruction, on its first `sudo`.
        let found = scripts
            .iter()
            .find_map(|s| s.script.commands.iter().find(|c| c.is("sudo")).map(|c| s.word_span(&c.words[0])));
        if let Some(span) = found {
            out.push(
                Violation::new(span, "`sudo` in a build step")
                    .label("not needed to build")
                    .help("switch with `USER root` before the steps that need root and back to your user after them"),
            );
        }
    }
}
