//! DL3022: `COPY --from` names no stage defined before it.

use std::collections::HashMap;

use crate::dockerfile::{Args, Flag, Instruction, Keyword, Span, words};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY --from` names a stage that is not defined before it",
    what: "Finds `COPY --from=NAME` where no earlier `FROM … AS NAME` exists (names compare without case, as \
           BuildKit compares them), and `COPY --from=N` where N is not the index of an earlier stage. Values \
           that can only be image references (`nginx:1.27`, `docker.io/library/alpine`, `img@sha256:…`) are \
           fine: BuildKit copies from that image. `ARG` and `ENV` values are substituted first; a value this \
           rule cannot know is left alone.",
    why: "When `--from` names no stage, BuildKit takes the name as an image on Docker Hub: a typo in a stage \
          name, or a stage defined further down, silently copies from whatever image has that name, or fails \
          with a confusing pull error. Stages must be defined before the instructions that copy from them.",
    example: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=builder /app /app\n",
    instead: "FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
    fix: None,
};

type Vars<'c> = HashMap<&'c str, Option<&'c str>>;

/// The `ARG` and `ENV` values in force at a point of a walk over the instructions, in one pass over the file.
pub(crate) struct VarScope<'c, 'a> {
    ctx: &'c DockerfileContext<'a>,
    /// The variables each finished stage ends with, by stage index, for the stages built on it.
    finished: Vec<Vars<'c>>,
    current: Vars<'c>,
    stage: Option<usize>,
}

impl<'c, 'a> VarScope<'c, 'a> {
    /// Calls `f` for every instruction with the variables in force just before it.
    pub(crate) fn walk(ctx: &'c DockerfileContext<'a>, mut f: impl FnMut(usize, &'c Instruction, &Self)) {
        let mut scope = VarScope { ctx, finished: Vec::new(), current: HashMap::new(), stage: None };
        for (i, ins) in ctx.file.instructions.iter().enumerate() {
            f(i, ins, &scope);
            scope.step(ins);
        }
    }

    fn step(&mut self, ins: &'c Instruction) {
        match &ins.args {
            Args::From(_) => {
                if self.stage.is_some() {
                    self.finished.push(std::mem::take(&mut self.current));
                }
                self.stage = Some(self.stage.map_or(0, |s| s + 1));
            }
            // Before the first FROM: global `ARG`s, which the context already holds.
            _ if self.stage.is_none() => {}
            Args::Arg(decls) => {
                for d in decls {
                    self.current.insert(&d.name.value, d.default.as_ref().map(|w| w.value.as_str()));
                }
            }
            Args::KeyValues(pairs) if ins.kind == Keyword::Env => {
                for kv in pairs {
                    self.current.insert(&kv.key.value, Some(&kv.value.value));
                }
            }
            _ => {}
        }
    }

    /// A variable's value: set in this stage, else in the stages it builds on, else a global `ARG` default.
    fn value(&self, name: &str) -> Option<String> {
        let mut found = self.current.get(name).copied();
        let mut parent = self.stage.and_then(|s| self.ctx.stages.get(s)).and_then(|s| s.parent);
        while let (None, Some(p)) = (found, parent) {
            found = self.finished.get(p).and_then(|vars| vars.get(name).copied());
            parent = self.ctx.stages[p].parent.filter(|&q| q < p);
        }
        match found {
            Some(Some(v)) => Some(v.to_string()),
            _ => self.ctx.global_args.get(name).cloned().flatten(),
        }
    }

    /// `raw` with its variables substituted and quotes removed; `None` when a variable has no known value.
    pub(crate) fn expand(&self, raw: &str) -> Option<String> {
        let escape = self.ctx.file.escape;
        let refs = words::var_refs(raw, escape);
        if refs.is_empty() {
            return Some(words::unquote(raw, escape));
        }
        let known = refs.iter().all(|r| {
            self.value(&r.name).is_some()
                || matches!(r.modifier, words::Modifier::Default { .. } | words::Modifier::Alternative { .. })
        });
        known.then(|| words::expand(raw, escape, &|name| self.value(name)))
    }
}

/// The span of a flag's value (after `=`), or of the whole flag when it has none.
pub(crate) fn flag_value_span(ctx: &DockerfileContext, flag: &Flag) -> Span {
    match ctx.text(flag.span).find('=') {
        Some(eq) if flag.span.start + eq + 1 < flag.span.end => Span::new(flag.span.start + eq + 1, flag.span.end),
        _ => flag.span,
    }
}

/// The stage a `COPY --from` value points at, as BuildKit reads it.
pub(crate) enum FromTarget {
    /// A stage index (`--from=0`).
    Index(usize),
    /// A stage name, lower-cased.
    Name(String),
    /// An image reference, or a value that cannot be known.
    Other,
}

/// What the `--from` of a `COPY` (not `ONBUILD COPY`) points at, with the flag.
pub(crate) fn copy_from<'i>(scope: &VarScope, ins: &'i Instruction) -> Option<(&'i Flag, FromTarget)> {
    if ins.kind != Keyword::Copy {
        return None;
    }
    let flag = ins.flag("from")?;
    let raw = scope.ctx.text(flag_value_span(scope.ctx, flag));
    let target = match scope.expand(raw) {
        Some(v) if v.contains(['/', ':', '@']) || v.is_empty() => FromTarget::Other,
        Some(v) if v.bytes().all(|b| b.is_ascii_digit()) => v.parse().map_or(FromTarget::Other, FromTarget::Index),
        Some(v) => FromTarget::Name(v.to_ascii_lowercase()),
        None => FromTarget::Other,
    };
    Some((flag, target))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    // The first stage of each name (lower-cased), so that looking one up is not a scan.
    let mut first: HashMap<String, usize> = HashMap::new();
    for stage in &ctx.stages {
        if let Some(name) = &stage.name {
            first.entry(name.to_ascii_lowercase()).or_insert(stage.index);
        }
    }
    VarScope::walk(ctx, |i, ins, scope| {
        let Some((flag, target)) = copy_from(scope, ins) else { return };
        let Some(stage) = ctx.stage_of(i) else { return };
        let span = flag_value_span(ctx, flag);
        match target {
            // The stage's own index is DL3023's finding.
            FromTarget::Index(n) if n > stage.index => out.push(
                Violation::new(span, format!("`--from={n}` names stage {n}, which is not defined before this one"))
                    .label("no earlier stage with this index")
                    .help(format!("stages are numbered from 0 in order; this one is stage {}", stage.index)),
            ),
            FromTarget::Name(name) => {
                let defined = first.get(&name).copied();
                if defined.is_some_and(|d| d <= stage.index) {
                    return;
                }
                let mut v = Violation::new(span, format!("no stage named `{name}` is defined before this `COPY`"))
                    .label("unknown stage");
                if let Some(later) = defined.map(|d| &ctx.stages[d]) {
                    if let Args::From(from) = &ctx.file.instructions[later.from].args {
                        if let Some(alias) = &from.alias {
                            v = v.secondary(alias.span, "defined only after it");
                        }
                    }
                    v = v.help("move that stage above the stage that copies from it");
                } else {
                    v = v.help(format!(
                        "check the stage's name; to copy from the image `{name}`, give its tag: `--from={name}:<tag>`"
                    ));
                }
                out.push(v);
            }
            FromTarget::Index(_) | FromTarget::Other => {}
        }
    });
}
