//! DL3045: `COPY` to a relative destination while the Dockerfile has not set a working directory.

use super::relative_workdir::is_absolute;
use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY` to a relative path before any `WORKDIR`",
    what: "Finds `COPY` instructions whose destination is relative (`.`, `app/`, `config.yml`) when no \
           `WORKDIR` comes before them in the stage or in the stage it is built `FROM`. Destinations that start \
           with `/`, with a variable or with a Windows drive (`C:\\app`) are fine.",
    why: "A relative destination is resolved against the working directory, which the base image chose when \
          this Dockerfile does not. It is `/` for most images, but some set their own and may change it in a \
          later release: the files then land somewhere else, and the commands that expect them fail or, worse, \
          use stale files.",
    example: "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
    instead: "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n",
    fix: None,
};

/// True for a destination that does not depend on the working directory.
fn is_fixed(dest: &str) -> bool {
    is_absolute(dest) && !dest.get(1..2).is_some_and(|c| c == ":" && !matches!(dest.get(2..3), Some("\\" | "/")))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let workdirs = ctx.last_before(Keyword::Workdir);
    for (i, ins) in ctx.file.instructions.iter().enumerate() {
        if ins.kind != Keyword::Copy {
            continue;
        }
        let Args::Copy(copy) = &ins.args else { continue };
        let Some(dest) = &copy.dest else { continue };
        if is_fixed(&dest.value) || workdirs[i].is_some() {
            continue;
        }
        out.push(
            Violation::new(dest.span, format!("`{}` is relative, and no `WORKDIR` sets where it points", dest.value))
                .label("relative to the base image's working directory")
                .help("set the directory first with `WORKDIR /app` (or another absolute path), or copy to an absolute path"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_fixed;

    #[test]
    fn fixed_destinations() {
        for d in ["/app/", "$HOME", "C:\\app", "c:/app"] {
            assert!(is_fixed(d), "{d}");
        }
        for d in [".", "./", "app/", "c:app"] {
            assert!(!is_fixed(d), "{d}");
        }
    }
}
