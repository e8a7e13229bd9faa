//! DL3000: a relative `WORKDIR` with no working directory set before it in the Dockerfile.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A relative `WORKDIR` resolved against a directory the Dockerfile never set",
    what: "Finds a `WORKDIR` with a relative path when no earlier `WORKDIR` of the stage (or of the stage it \
           is built `FROM`) has set the working directory. Paths that start with `/`, with a variable (`$HOME`) \
           or with a Windows drive (`C:\\app`) are absolute; a relative `WORKDIR` after another `WORKDIR` is \
           fine, because it builds on a directory this file chose. BuildKit's build check \
           WorkdirRelativePath is the same check, so docklings has no rule of its own for it: that name \
           (in `--ignore`, pragmas or `# check=skip=`) means this rule.",
    why: "A relative `WORKDIR` is joined to whatever working directory the base image left behind. That is \
          usually `/`, but not always, and it can change when the base image is updated: files then land in a \
          different place and the commands after it run somewhere else, without any change to your Dockerfile.",
    example: "FROM node:18\nWORKDIR app\nCOPY . .\n",
    instead: "FROM node:18\nWORKDIR /app\nCOPY . .\n",
    fix: None,
};

/// True for a path that does not depend on the working directory: `/…`, `$VAR…` or a Windows drive (`C:…`).
pub(crate) fn is_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    path.starts_with(['/', '$'])
        || matches!((chars.next(), chars.next()), (Some(c), Some(':')) if c.is_ascii_alphabetic())
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let workdirs = ctx.last_before(Keyword::Workdir);
    for (i, ins) in ctx.file.instructions.iter().enumerate() {
        if ins.kind != Keyword::Workdir {
            continue;
        }
        let Args::Single(Some(path)) = &ins.args else { continue };
        if is_absolute(&path.value) || workdirs[i].is_some() {
            continue;
        }
        out.push(
            Violation::new(
                path.span,
                format!("`WORKDIR {}` is relative, and nothing before it sets the working directory", path.raw),
            )
            .label("joined to the base image's working directory")
            .help(format!("use an absolute path: `WORKDIR /{}`", path.value.trim_start_matches("./"))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_absolute;

    #[test]
    fn absolute_paths() {
        for p in ["/app", "$HOME/x", "${APP}", "C:\\app", "c:/app"] {
            assert!(is_absolute(p), "{p}");
        }
        for p in ["app", "./app", "a", "~/x", "", "1:x"] {
            assert!(!is_absolute(p), "{p}");
        }
    }
}
