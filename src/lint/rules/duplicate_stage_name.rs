//! DL3024: two stages with the same name.

use std::collections::HashMap;

use crate::dockerfile::{Args, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "Two stages share a name",
    what: "Finds a `FROM … AS NAME` whose NAME an earlier stage already has. Names are compared without case, \
           as BuildKit compares them: `AS Build` and `AS build` are the same stage name.",
    why: "`COPY --from=NAME`, `FROM NAME` and `docker build --target NAME` must say which stage they mean. \
          BuildKit refuses a Dockerfile whose stage names repeat; older builders silently used one of them.",
    example: "FROM golang:1.22 AS build\nRUN go build -o /bin/api ./cmd/api\n\nFROM node:18 AS build\nRUN npm ci && npm run build\n",
    instead: "FROM golang:1.22 AS build-api\nRUN go build -o /bin/api ./cmd/api\n\nFROM node:18 AS build-web\nRUN npm ci && npm run build\n",
    fix: None,
};

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    for stage in &ctx.stages {
        let Args::From(from) = &ctx.file.instructions[stage.from].args else { continue };
        let Some(alias) = &from.alias else { continue };
        let key = alias.value.to_ascii_lowercase();
        match seen.get(&key) {
            Some(&first) => out.push(
                Violation::new(alias.span, format!("a stage named `{}` is already defined", alias.value))
                    .label("duplicate stage name")
                    .secondary(first, "first defined here")
                    .help("give each stage its own name"),
            ),
            None => {
                seen.insert(key, alias.span);
            }
        }
    }
}
