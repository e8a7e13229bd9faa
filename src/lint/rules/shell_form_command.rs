//! DL3025: `CMD` or `ENTRYPOINT` in shell form, so the container's main process is `/bin/sh`.

use crate::dockerfile::{Args, Command, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`CMD` or `ENTRYPOINT` in shell form",
    what: "Finds `CMD` and `ENTRYPOINT` written as plain text (shell form) rather than as a JSON array (exec \
           form). As in BuildKit's own check, a stage that sets its own `SHELL` (or builds on a stage that \
           does) is left alone: there the shell form is a deliberate choice of that shell.",
    why: "In shell form Docker runs the command as `/bin/sh -c \"…\"`, so the container's first process is the \
          shell, not your program. `docker stop` sends SIGTERM to that shell, which does not pass it on: your \
          program never hears it and is killed after the ten-second timeout, without a clean shutdown. A \
          shell-form `ENTRYPOINT` also ignores `CMD` and the arguments given to `docker run`.",
    example: "FROM node:18\nCOPY . /app\nCMD node /app/server.js\n",
    instead: "FROM node:18\nCOPY . /app\nCMD [\"node\", \"/app/server.js\"]\n",
    fix: None,
};

/// The text as a JSON array, split on white space, when that keeps its meaning (no quotes, variables or operators).
fn as_exec_form(text: &str) -> Option<String> {
    let simple = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty() && words.iter().all(|w| simple(w)))
        .then(|| format!("[{}]", words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let shells = ctx.last_before(Keyword::Shell);
    for (i, ins) in ctx.file.instructions.iter().enumerate() {
        if !matches!(ins.kind, Keyword::Cmd | Keyword::Entrypoint) {
            continue;
        }
        let Args::Command(Command::Shell(text)) = &ins.args else { continue };
        if text.text.trim().is_empty() || shells[i].is_some() {
            continue;
        }
        let kind = ins.kind.as_str();
        let help = match as_exec_form(&text.text) {
            Some(json) => format!("write it as a JSON array: `{kind} {json}`"),
            None => format!(
                "write it as a JSON array; if it needs the shell, end with `exec` so that your program replaces \
                 it: `{kind} [\"sh\", \"-c\", \"exec …\"]`"
            ),
        };
        out.push(
            Violation::new(
                text.span(),
                format!("`{kind}` in shell form runs under `/bin/sh -c`, which does not pass signals on"),
            )
            .label("shell form")
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::as_exec_form;

    #[test]
    fn exec_form_suggestion() {
        assert_eq!(as_exec_form("node /app/server.js").as_deref(), Some("[\"node\", \"/app/server.js\"]"));
        assert_eq!(as_exec_form("nginx -g 'daemon off;'"), None);
        assert_eq!(as_exec_form("run $PORT"), None);
    }
}
