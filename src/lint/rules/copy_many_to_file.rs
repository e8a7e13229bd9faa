//! DL3021: `COPY` of several sources to a destination that is not written as a folder.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::context::VarScope;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY` of several sources to a destination without a trailing `/`",
    what: "Finds `COPY` instructions with more than one source whose destination does not end in `/`. As in \
           BuildKit, `.` also names a folder. `ARG` and `ENV` values are substituted first; a destination this \
           rule cannot know is left alone.",
    why: "Several sources can only go into a folder, and Docker tells a folder from a file by the trailing \
          `/`. Without it the build either stops with an error or, depending on the builder and on what \
          already exists at that path, writes each source over the previous one.",
    example: "FROM node:18\nCOPY package.json package-lock.json /app\n",
    instead: "FROM node:18\nCOPY package.json package-lock.json /app/\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    VarScope::walk(ctx, |_, ins, scope| {
        if ins.kind != Keyword::Copy {
            return;
        }
        let Args::Copy(copy) = &ins.args else { return };
        let Some(dest) = &copy.dest else { return };
        if copy.sources.len() < 2 {
            return;
        }
        let Some(value) = scope.expand(&dest.raw) else { return };
        if value.ends_with('/') || value == "." {
            return;
        }
        let shown = if dest.value == value { format!("`{value}`") } else { format!("`{}` (`{value}`)", dest.value) };
        out.push(
            Violation::new(
                dest.span,
                format!("{} sources are copied to {shown}, which is not written as a folder", copy.sources.len()),
            )
            .label("add a trailing `/`")
            .help(format!("end the destination with `/`: `{}/`", dest.value)),
        );
    });
}
