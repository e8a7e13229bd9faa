//! DK3002 (BuildKit's FromAsCasing): `AS` written in another case than its `FROM`.

use crate::dockerfile::Args;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`AS` in another case than its `FROM`",
    what: "Finds `FROM image as name` (or `from image AS name`): the `AS` keyword cased differently from the \
           `FROM` keyword of the same line. A `FROM` in mixed case (`From`) is left to DK3004. BuildKit's own \
           build check of the same name reports it too.",
    why: "Both words are keywords of one instruction; when their case differs, the line reads as if `as` were \
          part of the image reference or the stage name, and the file looks careless.",
    example: "FROM node:20 as build\nRUN npm ci && npm run build\n",
    instead: "FROM node:20 AS build\nRUN npm ci && npm run build\n",
    fix: Some("Rewrites `AS` in the case of its `FROM`."),
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for ins in &ctx.file.instructions {
        let Args::From(from) = &ins.args else { continue };
        let Some(as_kw) = &from.as_keyword else { continue };
        let from_kw = &ins.keyword.raw;
        let wanted = if *from_kw == from_kw.to_lowercase() {
            as_kw.raw.to_lowercase()
        } else if *from_kw == from_kw.to_uppercase() {
            as_kw.raw.to_uppercase()
        } else {
            // A mixed-case FROM is DK3004's finding; matching it would only spread the mistake.
            continue;
        };
        if as_kw.raw == wanted {
            continue;
        }
        out.push(
            Violation::new(as_kw.span, format!("`{}` does not match the case of `{from_kw}`", as_kw.raw))
                .label(format!(
                    "`{from_kw}` is written in {}",
                    if wanted == "as" { "lower case" } else { "upper case" }
                ))
                .secondary(ins.keyword.span, "the keyword it should match")
                .help(format!("write `{wanted}`"))
                .fix(Fix::new(
                    format!("Write `{wanted}`"),
                    Safety::Safe,
                    vec![Edit { span: as_kw.span, replacement: wanted.clone() }],
                )),
        );
    }
}
