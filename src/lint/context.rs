//! What Dockerfile rules read: the parsed file, its stages with their base images resolved through `ARG`
//! defaults, and every RUN's shell text parsed into commands, with a way back to source spans.

use std::collections::HashMap;
use std::ops::Range;

use crate::dockerfile::{Args, Command, Dockerfile, Instruction, Keyword, Span, Text, words};
use crate::shell::{self, Script};

use super::config::RuleSettings;

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// Index of the stage's FROM in `Dockerfile::instructions`.
    pub from: usize,
    /// One past the stage's last instruction.
    pub end: usize,
    /// The `AS` name, as written.
    pub name: Option<String>,
    /// The base image with global `ARG` defaults substituted; `None` when a variable has no value.
    pub image: Option<String>,
    /// The earlier stage this one builds on, when its base image names one.
    pub parent: Option<usize>,
    /// True when a later stage builds on this one (`FROM <this stage>`).
    pub is_base: bool,
}

impl Stage {
    #[must_use]
    pub fn instructions<'a>(&self, file: &'a Dockerfile) -> &'a [Instruction] {
        &file.instructions[self.from..self.end]
    }

    #[must_use]
    pub fn is_named(&self, name: &str) -> bool {
        self.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Maps byte ranges of a script back to the Dockerfile.
#[derive(Clone, Debug)]
pub enum ScriptOrigin {
    /// Shell form: the instruction's joined text.
    Text(Text),
    /// A heredoc body: contiguous in the source from this offset.
    At(usize),
    /// Exec form: word `i` of the script is the JSON string at `spans[i]`.
    Words(Vec<Span>),
}

/// A RUN's shell text, parsed.
#[derive(Clone, Debug)]
pub struct RunScript {
    pub script: Script,
    pub origin: ScriptOrigin,
    /// True for a heredoc body.
    pub heredoc: bool,
}

impl RunScript {
    /// The source span of a byte range in the script.
    #[must_use]
    pub fn span(&self, range: (usize, usize)) -> Span {
        match &self.origin {
            ScriptOrigin::Text(t) => t.source_span(range.0, range.1),
            ScriptOrigin::At(base) => Span::new(base + range.0, base + range.1),
            ScriptOrigin::Words(spans) => {
                let first = spans.get(range.0).or(spans.last()).copied().unwrap_or_default();
                let last = spans.get(range.1.saturating_sub(1)).copied().unwrap_or(first);
                first.cover(last)
            }
        }
    }

    #[must_use]
    pub fn word_span(&self, w: &shell::Word) -> Span {
        self.span(w.range)
    }

    #[must_use]
    pub fn command_span(&self, c: &shell::SimpleCommand) -> Span {
        self.span(c.range)
    }
}

/// Everything a Dockerfile rule may look at.
pub struct DockerfileContext<'a> {
    pub src: &'a str,
    pub file: &'a Dockerfile,
    pub stages: Vec<Stage>,
    /// `ARG` defaults declared before the first FROM.
    pub global_args: HashMap<String, Option<String>>,
    /// The shell scripts of each instruction (RUN, or ONBUILD RUN), by instruction index.
    pub scripts: Vec<Vec<RunScript>>,
    pub settings: &'a RuleSettings,
    /// The files of the build context, where the caller knows them (for rules that look at what is copied).
    pub context_files: Option<&'a [String]>,
    /// The text of the `.dockerignore` of the build context, where the caller read one.
    pub dockerignore: Option<&'a str>,
}

impl<'a> DockerfileContext<'a> {
    #[must_use]
    pub fn new(src: &'a str, file: &'a Dockerfile, settings: &'a RuleSettings) -> Self {
        let mut global_args = HashMap::new();
        let mut stages: Vec<Stage> = Vec::new();
        // Stage names (lower-cased) to the latest stage of that name, so resolving a parent is not a scan.
        let mut names: HashMap<String, usize> = HashMap::new();
        for (i, ins) in file.instructions.iter().enumerate() {
            match (&ins.args, stages.is_empty()) {
                (Args::Arg(decls), true) => {
                    for d in decls {
                        global_args.insert(d.name.value.clone(), d.default.as_ref().map(|w| w.value.clone()));
                    }
                }
                (Args::From(from), _) => {
                    if let Some(last) = stages.last_mut() {
                        last.end = i;
                    }
                    let image = from.image.as_ref().and_then(|w| resolve(&w.raw, file.escape, &global_args));
                    let parent = image.as_deref().and_then(|img| names.get(&img.to_lowercase()).copied());
                    if let Some(alias) = &from.alias {
                        names.insert(alias.value.to_lowercase(), stages.len());
                    }
                    stages.push(Stage {
                        index: stages.len(),
                        from: i,
                        end: file.instructions.len(),
                        name: from.alias.as_ref().map(|w| w.value.clone()),
                        image,
                        parent,
                        is_base: false,
                    });
                }
                _ => {}
            }
        }
        for i in 0..stages.len() {
            if let Some(p) = stages[i].parent {
                stages[p].is_base = true;
            }
        }
        let scripts = file.instructions.iter().map(run_scripts).collect();
        DockerfileContext { src, file, stages, global_args, scripts, settings, context_files: None, dockerignore: None }
    }

    /// The stage an instruction belongs to (`None` before the first FROM).
    #[must_use]
    pub fn stage_of(&self, index: usize) -> Option<&Stage> {
        let i = self.stages.partition_point(|s| s.from <= index).checked_sub(1)?;
        self.stages.get(i).filter(|s| index < s.end)
    }

    /// The last stage: the image a plain `docker build` produces.
    #[must_use]
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// Every RUN script with the index of its instruction.
    pub fn run_scripts(&self) -> impl Iterator<Item = (usize, &RunScript)> {
        self.scripts.iter().enumerate().flat_map(|(i, v)| v.iter().map(move |s| (i, s)))
    }

    /// For every instruction, the last instruction of `kind` before it in its stage or, when there is none, in the
    /// stage it is built `FROM` (and so on up), in one pass over the file. `None` before the first `FROM`.
    #[must_use]
    pub fn last_before(&self, kind: Keyword) -> Vec<Option<usize>> {
        let instructions = &self.file.instructions;
        let mut out = vec![None; instructions.len()];
        // The last one of each stage, for the stages built on it.
        let mut at_end: Vec<Option<usize>> = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            let mut last = stage.parent.and_then(|p| at_end.get(p).copied().flatten());
            for (i, ins) in instructions.iter().enumerate().take(stage.end).skip(stage.from) {
                out[i] = last;
                if i > stage.from && ins.kind == kind {
                    last = Some(i);
                }
            }
            at_end.push(last);
        }
        out
    }

    /// The instructions before `index` in its stage and, first, those of the stages it builds on: what the RUN
    /// at `index` inherits.
    #[must_use]
    pub fn inherited(&self, index: usize) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let Some(stage) = self.stage_of(index) else {
            out.push(0..index);
            return out;
        };
        out.push(stage.from..index);
        let mut parent = stage.parent;
        while let Some(p) = parent {
            let s = &self.stages[p];
            out.push(s.from..s.end);
            parent = s.parent;
        }
        out.reverse();
        out
    }

    /// The source text of a span.
    #[must_use]
    pub fn text(&self, span: Span) -> &'a str {
        self.src.get(span.start..span.end).unwrap_or("")
    }
}

/// Substitutes `ARG` defaults into `raw`; `None` when a referenced variable has no value.
fn resolve(raw: &str, escape: char, args: &HashMap<String, Option<String>>) -> Option<String> {
    let refs = words::var_refs(raw, escape);
    let all_known = refs.iter().all(|r| {
        matches!(args.get(&r.name), Some(Some(_)))
            || matches!(r.modifier, words::Modifier::Default { .. } | words::Modifier::Alternative { .. })
    });
    all_known.then(|| words::expand(raw, escape, &|name| args.get(name).cloned().flatten()))
}

/// True when a command line just starts a shell, so a heredoc fed to it is a shell script.
fn runs_shell(text: &str) -> bool {
    let script = shell::parse(text);
    match script.commands.as_slice() {
        [] => true,
        [c] => {
            matches!(c.program(), Some("sh" | "bash" | "ash" | "dash" | "zsh" | "ksh"))
                && c.args().iter().all(|w| w.value.starts_with('-'))
        }
        _ => false,
    }
}

fn run_scripts(ins: &Instruction) -> Vec<RunScript> {
    let ins = ins.effective();
    if ins.kind != Keyword::Run {
        return Vec::new();
    }
    let mut out = Vec::new();
    match &ins.args {
        Args::Command(Command::Shell(text)) => {
            out.push(RunScript {
                script: shell::parse(&text.text),
                origin: ScriptOrigin::Text(text.clone()),
                heredoc: false,
            });
            if runs_shell(&text.text) {
                for doc in &ins.heredocs {
                    out.push(RunScript {
                        script: shell::parse(&doc.content),
                        origin: ScriptOrigin::At(doc.content_start),
                        heredoc: true,
                    });
                }
            }
        }
        Args::Command(Command::Exec { args, .. }) => {
            let words = args
                .iter()
                .enumerate()
                .map(|(i, w)| shell::Word { range: (i, i + 1), value: w.value.clone(), quoted: false, expands: false })
                .collect::<Vec<_>>();
            let command = shell::SimpleCommand {
                assignments: Vec::new(),
                range: (0, words.len()),
                words,
                redirects: Vec::new(),
                joiner: shell::Joiner::Start,
                piped: false,
                depth: 0,
            };
            out.push(RunScript {
                script: Script { commands: vec![command] },
                origin: ScriptOrigin::Words(args.iter().map(|w| w.span).collect()),
                heredoc: false,
            });
        }
        _ => {}
    }
    out
}

type Vars<'c> = HashMap<&'c str, Option<&'c str>>;

/// The `ARG` and `ENV` values in force at a point of a walk over the instructions, in one pass over the file.
pub struct VarScope<'c, 'a> {
    pub ctx: &'c DockerfileContext<'a>,
    /// The variables each finished stage ends with, by stage index, for the stages built on it.
    finished: Vec<Vars<'c>>,
    current: Vars<'c>,
    stage: Option<usize>,
}

impl<'c, 'a> VarScope<'c, 'a> {
    /// Calls `f` for every instruction with the variables in force just before it.
    pub fn walk(ctx: &'c DockerfileContext<'a>, mut f: impl FnMut(usize, &'c Instruction, &Self)) {
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
    #[must_use]
    pub fn value(&self, name: &str) -> Option<String> {
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
    #[must_use]
    pub fn expand(&self, raw: &str) -> Option<String> {
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
