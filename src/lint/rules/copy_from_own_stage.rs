//! DL3023: `COPY --from` names the stage the `COPY` is in.

use super::copy_from_unknown_stage::{FromTarget, copy_from};
use crate::dockerfile::Args;
use crate::lint::context::DockerfileContext;
use crate::lint::context::VarScope;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY --from` names its own stage",
    what: "Finds `COPY --from=NAME` inside the stage called NAME (compared without case, as BuildKit does), \
           and `COPY --from=N` inside stage number N.",
    why: "A stage cannot copy from itself: its files are not built yet when the `COPY` runs, and BuildKit \
          stops with an error about a circular dependency. Usually the name is a slip for the stage before, or \
          the `COPY` belongs in the next stage.",
    example: "FROM node:18 AS build\nRUN npm ci && npm run build\nCOPY --from=build /app/dist /srv\n",
    instead: "FROM node:18 AS build\nRUN npm ci && npm run build\n\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    VarScope::walk(ctx, |i, ins, scope| {
        let Some((flag, target)) = copy_from(scope, ins) else { return };
        let Some(stage) = ctx.stage_of(i) else { return };
        let own = match &target {
            FromTarget::Index(n) => *n == stage.index,
            FromTarget::Name(name) => stage.is_named(name),
            FromTarget::Other => false,
        };
        if !own {
            return;
        }
        let mut v = Violation::new(flag.value_span, "`COPY --from` names the stage it is in")
            .label("this stage")
            .help("copy from an earlier stage, or move this `COPY` into a later stage");
        if let Args::From(from) = &ctx.file.instructions[stage.from].args {
            let at = from.alias.as_ref().map_or(ctx.file.instructions[stage.from].keyword.span, |a| a.span);
            v = v.secondary(at, "the stage starts here");
        }
        out.push(v);
    });
}
