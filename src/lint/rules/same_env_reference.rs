//! DL3044: an `ENV` that refers to a variable it defines itself.

use std::collections::HashSet;

use crate::dockerfile::{Args, Keyword, Span, words};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "An `ENV` that uses a variable it defines itself",
    what: "Finds `ENV A=… B=$A`, where a value refers to a variable another pair of the same `ENV` defines, \
           and that variable has no value yet: no `ENV` or `ARG` earlier in the stage or the stages it builds \
           on defines it. A global `ARG` counts only when the stage declares it again, as in BuildKit. \
           `${A:-default}` forms count as references too (hadolint misses them); a pair that refers to its own \
           name (`PATH=/opt/bin:$PATH`) is fine.",
    why: "Docker substitutes every value of an `ENV` with the variables as they were before the instruction, not \
          as the instruction sets them. In `ENV APP_HOME=/srv/app APP_LOG=$APP_HOME/log`, `APP_LOG` becomes \
          `/log`: the build goes on, and the program writes where nobody expects.",
    example: "FROM python:3.12-slim\nENV APP_HOME=/srv/app APP_LOG=$APP_HOME/log\n",
    instead: "FROM python:3.12-slim\nENV APP_HOME=/srv/app\nENV APP_LOG=$APP_HOME/log\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let file = ctx.file;
    for (i, ins) in file.instructions.iter().enumerate() {
        let (Keyword::Env, Args::KeyValues(pairs)) = (ins.kind, &ins.args) else { continue };
        if pairs.len() < 2 || ctx.stage_of(i).is_none() {
            continue;
        }
        // The variables defined before this instruction, in its stage and the stages it builds on.
        let mut known: HashSet<&str> = HashSet::new();
        for j in ctx.inherited(i).into_iter().flatten() {
            match &file.instructions[j].args {
                Args::KeyValues(kvs) if file.instructions[j].kind == Keyword::Env => {
                    known.extend(kvs.iter().map(|kv| kv.key.value.as_str()));
                }
                Args::Arg(decls) => known.extend(decls.iter().map(|d| d.name.value.as_str())),
                _ => {}
            }
        }
        for (j, pair) in pairs.iter().enumerate() {
            for r in words::var_refs(&pair.value.raw, file.escape) {
                let Some(owner) =
                    pairs.iter().enumerate().find(|(k, kv)| *k != j && kv.key.value == r.name).map(|(_, kv)| kv)
                else {
                    continue;
                };
                if r.name == pair.key.value || known.contains(r.name.as_str()) {
                    continue;
                }
                let word = &pair.value;
                // Point at the reference when the value is written on one line.
                let span = if word.raw.len() == word.span.len() {
                    Span::new(word.span.start + r.range.0, word.span.start + r.range.1)
                } else {
                    word.span
                };
                out.push(
                    Violation::new(
                        span,
                        format!(
                            "`${}` is not set yet: this `ENV` defines it, and values are expanded before it runs",
                            r.name
                        ),
                    )
                    .label("expands to the value before this ENV, here none")
                    .secondary(owner.key.span, "defined in the same instruction")
                    .help(format!("define `{}` in an `ENV` of its own before this one", r.name)),
                );
            }
        }
    }
}
