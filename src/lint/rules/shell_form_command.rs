//! DL3025: `CMD` or `ENTRYPOINT` in shell form, so the container's main process is `/bin/sh`.

use crate::dockerfile::{Args, Command, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
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
    fix: Some(
        "Rewrites the command as a JSON array when it is plain words (no quotes, variables, globs or shell \
         operators, and not a shell builtin; a leading `exec` is dropped, as the exec form does not need it). \
         Safe for `CMD`. For an `ENTRYPOINT` in a stage that also has a `CMD` it is unsafe, since the exec form \
         starts passing that `CMD` to the program as arguments.",
    ),
};

/// Shell builtins and keywords: the exec form has no shell to run them.
const BUILTINS: &[&str] = &[
    ".", "alias", "case", "cd", "eval", "export", "for", "if", "read", "readonly", "set", "shift", "source", "trap",
    "ulimit", "umask", "unset", "until", "wait", "while",
];

/// The exec form the fix writes, when the words mean the same without a shell.
fn fixed_form(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_prefix("exec ").map_or(text, str::trim_start);
    let first = text.split_whitespace().next()?;
    if BUILTINS.contains(&first) || first.contains('=') {
        return None;
    }
    as_exec_form(text)
}

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
        let mut v = Violation::new(
            text.span(),
            format!("`{kind}` in shell form runs under `/bin/sh -c`, which does not pass signals on"),
        )
        .label("shell form")
        .help(help);
        if let Some(json) = fixed_form(&text.text) {
            // An ENTRYPOINT in exec form receives the stage's CMD as arguments, which the shell form ignored.
            let stage_has_cmd = ctx
                .stage_of(i)
                .is_some_and(|s| s.instructions(ctx.file).iter().any(|other| other.kind == Keyword::Cmd));
            let safety = if ins.kind == Keyword::Entrypoint && stage_has_cmd { Safety::Unsafe } else { Safety::Safe };
            v = v.fix(Fix::new(
                "Write it as a JSON array",
                safety,
                vec![Edit { span: text.span(), replacement: json }],
            ));
        }
        out.push(v);
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

    #[test]
    fn fixed_form_keeps_the_meaning() {
        use super::fixed_form;
        assert_eq!(fixed_form("exec node app.js").as_deref(), Some("[\"node\", \"app.js\"]"));
        assert_eq!(fixed_form("cd /app"), None);
        assert_eq!(fixed_form("FOO=1 node app.js"), None);
        assert_eq!(fixed_form("node app.js > log"), None);
    }
}
