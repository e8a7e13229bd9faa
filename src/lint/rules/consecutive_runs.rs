//! DL3059: a RUN of a single command right after another one, where one RUN would make one layer.

use crate::dockerfile::{Instruction, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "Single-command RUNs one after another",
    what: "Finds a `RUN` that directly follows another `RUN` (comments and blank lines between them do not \
           count) when each runs at most one command and both have the same flags (`--mount`, `--network`, \
           `--security`). A RUN that already chains several commands is taken as a deliberate split, and RUNs \
           with different flags cannot be joined.",
    why: "Every `RUN` makes a layer and a build step. Single commands in a row (`RUN apt-get update`, then \
          `RUN apt-get install …`) make the image larger and slower to pull, and can even break the build: \
          the cached `update` layer is reused while the `install` line changes, so it installs from a stale \
          package list. Joining them with `&&` makes one layer that is rebuilt as a whole.",
    example: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
    instead: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
    fix: None,
};

/// The flags of a RUN, in a form that compares equal when they mean the same.
fn flags(ins: &Instruction) -> Vec<String> {
    let mut f: Vec<String> =
        ins.flags.iter().map(|f| format!("{}={}", f.name, f.value.as_deref().unwrap_or(""))).collect();
    f.sort();
    f
}

/// The commands a RUN runs, those inside command substitutions included, as hadolint counts them.
fn command_count(ctx: &DockerfileContext, index: usize) -> usize {
    ctx.scripts[index].iter().map(|s| s.script.commands.iter().filter(|c| c.name().is_some()).count()).sum()
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    // The RUN the next one is compared with: its index, flags and command count.
    let mut previous: Option<(usize, Vec<String>, usize)> = None;
    for (i, ins) in ctx.file.instructions.iter().enumerate() {
        if ins.kind != Keyword::Run {
            previous = None;
            continue;
        }
        let (f, n) = (flags(ins), command_count(ctx, i));
        match &previous {
            Some((p, pf, pn)) if *pf == f && *pn <= 1 && n <= 1 => out.push(
                Violation::new(ins.keyword.span, "this `RUN` and the one before it each run a single command")
                    .label("one more layer")
                    .secondary(ctx.file.instructions[*p].keyword.span, "could be joined with this one")
                    .help("join them into one `RUN` with `&&`"),
            ),
            _ => previous = Some((i, f, n)),
        }
    }
}
