//! DL4006: a pipe in a RUN whose shell does not have `-o pipefail`, so a failure before the pipe goes unnoticed.

use crate::dockerfile::{Args, Command, Instruction, Keyword, Span};
use crate::lint::context::{DockerfileContext, RunScript, ScriptOrigin};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::{self, Joiner, Script, SimpleCommand, word_is_flag};

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A pipe in a RUN without `-o pipefail`",
    what: "Finds a `|` in a `RUN` (or a heredoc script) when the shell that runs it does not have the \
           `pipefail` option: the stage's `SHELL` (inherited from the stage it is built `FROM`) has no \
           `-o pipefail`, and the script does not start with `set -o pipefail` before the pipe. Pipes after \
           `echo`, `printf`, `yes` or `true`, which cannot fail, are fine, and so is any pipe under a non-POSIX \
           `SHELL` (PowerShell, `cmd`). An exec-form RUN is checked when it runs `sh -c` or `bash -c` itself.",
    why: "A shell reports the exit status of a pipeline's last command only. In `RUN curl -fsSL $URL | tar -xz`, \
          a failed download gives `tar` an empty input; if `tar` still succeeds, so does the step, and the image \
          is built without the files. With `pipefail` the pipeline fails when any of its commands fails, so the \
          build stops at the real error.",
    example: "FROM debian:12\nRUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n",
    instead: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n",
    fix: None,
};

/// How a shell treats pipelines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pipes {
    /// `pipefail` is on.
    Checked,
    /// A POSIX shell without `pipefail`.
    Unchecked,
    /// PowerShell or `cmd`, where `|` means something else.
    NotPosix,
}

/// True when shell arguments turn `pipefail` on: `-o pipefail`, or a bundle ending in `o` (`-eo pipefail`).
fn sets_pipefail(args: &[&str]) -> bool {
    args.windows(2).any(|w| {
        let bundle = w[0].strip_prefix('-').filter(|b| !b.starts_with('-') && b.contains('o'));
        bundle.is_some() && w[1] == "pipefail"
    })
}

fn program_name(path: &str) -> String {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    base.strip_suffix(".exe").map(str::to_string).unwrap_or(base)
}

/// How the `SHELL` in force (none: `/bin/sh -c`) treats pipes.
fn shell_pipes(shell: Option<&Instruction>) -> Pipes {
    let Some(Instruction { args: Args::Command(Command::Exec { args, .. }), .. }) = shell else {
        return Pipes::Unchecked;
    };
    let values: Vec<&str> = args.iter().map(|w| w.value.as_str()).collect();
    match values.first().map(|p| program_name(p)) {
        Some(p) if matches!(p.as_str(), "pwsh" | "powershell" | "cmd") => Pipes::NotPosix,
        _ if sets_pipefail(&values) => Pipes::Checked,
        _ => Pipes::Unchecked,
    }
}

/// Commands whose failure a pipe cannot hide: builtins that only write.
fn cannot_fail(c: &SimpleCommand) -> bool {
    matches!(c.program(), Some("echo" | "printf" | "yes" | "true" | ":"))
}

/// True when `c` is `set` turning `pipefail` on.
fn is_set_pipefail(c: &SimpleCommand) -> bool {
    c.name() == Some("set") && sets_pipefail(&c.words.iter().map(|w| w.value.as_str()).collect::<Vec<_>>())
}

/// The first pipe of a script whose left side can fail, as the command after it and the one before it (`None`
/// when the left side is a compound command, such as a subshell). Pipes after a `set -o pipefail` are fine.
fn first_unchecked_pipe(script: &Script) -> Option<(Option<&SimpleCommand>, &SimpleCommand)> {
    let cmds = &script.commands;
    let set_at = cmds.iter().find(|c| is_set_pipefail(c)).map(|c| c.range.0);
    for (k, c) in cmds.iter().enumerate() {
        if c.joiner != Joiner::Pipe || set_at.is_some_and(|at| at < c.range.0) {
            continue;
        }
        let before = cmds[..k].iter().rev().find(|p| p.depth == c.depth).filter(|p| p.piped);
        if before.is_some_and(cannot_fail) {
            continue;
        }
        return Some((before, c));
    }
    None
}

/// The span of the `|` between `before` (or the start of the script) and `after`.
fn pipe_span(
    ctx: &DockerfileContext,
    script: &RunScript,
    before: Option<&SimpleCommand>,
    after: &SimpleCommand,
) -> Span {
    let start = before.map_or(0, |b| b.range.1);
    let gap = script.span((start, after.range.0));
    match ctx.text(gap).rfind('|') {
        Some(i) => {
            let len = if ctx.text(gap)[i..].starts_with("|&") { 2 } else { 1 };
            Span::new(gap.start + i, gap.start + i + len)
        }
        None => script.command_span(after),
    }
}

/// For an exec-form `["sh", "-c", "…"]`: the index of the script word, and whether the shell has `pipefail`.
fn exec_shell_script(cmd: &SimpleCommand) -> Option<(usize, bool)> {
    let program = program_name(cmd.name()?);
    if !matches!(program.as_str(), "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh") {
        return None;
    }
    let c_at = cmd.words.iter().position(|w| word_is_flag(&w.value, &["-c"]))?;
    let options: Vec<&str> = cmd.words[1..c_at].iter().map(|w| w.value.as_str()).collect();
    (c_at + 1 < cmd.words.len()).then_some((c_at + 1, sets_pipefail(&options)))
}

fn violation(span: Span, exec_form: bool) -> Violation {
    let v = Violation::new(span, "a failure before this pipe is ignored: the shell has no `-o pipefail`")
        .label("only the last command's exit status counts");
    if exec_form {
        v.help("give the shell `-o pipefail` before `-c`: `[\"bash\", \"-o\", \"pipefail\", \"-c\", \"…\"]`")
    } else {
        v.help(
            "put `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before the RUN (`/bin/ash` on Alpine), \
             or start the command with `set -o pipefail &&`",
        )
    }
}

/// The span of the first unchecked pipe of one script of instruction `index`.
fn check_script(ctx: &DockerfileContext, index: usize, rs: &RunScript, pipes: Pipes) -> Option<Span> {
    if let ScriptOrigin::Words(_) = &rs.origin {
        let cmd = rs.script.commands.first()?;
        let (at, checked) = exec_shell_script(cmd)?;
        let inner = shell::parse(&cmd.words[at].value);
        return (!checked && first_unchecked_pipe(&inner).is_some()).then(|| rs.word_span(&cmd.words[at]));
    }
    if pipes == Pipes::Checked {
        return None;
    }
    if rs.heredoc {
        // `RUN bash -o pipefail <<EOF` runs the body with the options of the shell it names.
        let runner = ctx.scripts[index].first().and_then(|s| s.script.commands.first());
        let options: Vec<&str> = runner.map(|c| c.words.iter().map(|w| w.value.as_str()).collect()).unwrap_or_default();
        if sets_pipefail(&options) {
            return None;
        }
    }
    let (before, after) = first_unchecked_pipe(&rs.script)?;
    Some(pipe_span(ctx, rs, before, after))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let shells = ctx.last_before(Keyword::Shell);
    for (i, scripts) in ctx.scripts.iter().enumerate() {
        if ctx.file.instructions[i].kind != Keyword::Run || scripts.is_empty() {
            continue;
        }
        let pipes = shell_pipes(shells[i].map(|s| &ctx.file.instructions[s]));
        if pipes == Pipes::NotPosix {
            continue;
        }
        // One finding per instruction, on its first unchecked pipe.
        let found = scripts.iter().find_map(|s| check_script(ctx, i, s, pipes).map(|span| (s, span)));
        if let Some((script, span)) = found {
            out.push(violation(span, matches!(script.origin, ScriptOrigin::Words(_))));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unchecked(text: &str) -> Option<String> {
        first_unchecked_pipe(&shell::parse(text)).map(|(_, c)| c.name().unwrap_or("").to_string())
    }

    #[test]
    fn finds_pipes_that_can_hide_a_failure() {
        assert_eq!(unchecked("curl -fsSL x | tar -xz").as_deref(), Some("tar"));
        assert_eq!(unchecked("echo x | curl y | sh").as_deref(), Some("sh"));
        assert_eq!(unchecked("v=$(curl x | jq .tag)").as_deref(), Some("jq"));
        assert_eq!(unchecked("(a; b) | c").as_deref(), Some("c"));
        assert_eq!(unchecked("a | b; set -o pipefail").as_deref(), Some("b"));
    }

    #[test]
    fn pipes_that_cannot_hide_a_failure() {
        for s in [
            "echo \"$SHA *f\" | sha256sum -c -",
            "yes | apt-get install x",
            "printf 'a\\n' | sort",
            "set -euo pipefail; curl x | sh",
            "set -o errexit -o pipefail && curl x | sh",
            "a || b && c",
        ] {
            assert_eq!(unchecked(s), None, "{s}");
        }
    }

    #[test]
    fn pipefail_options() {
        assert!(sets_pipefail(&["/bin/bash", "-o", "pipefail", "-c"]));
        assert!(sets_pipefail(&["/bin/ash", "-eo", "pipefail", "-c"]));
        assert!(sets_pipefail(&["-euxo", "pipefail"]));
        assert!(!sets_pipefail(&["/bin/bash", "-c", "pipefail"]));
        assert!(!sets_pipefail(&["--posix", "pipefail"]));
    }
}
