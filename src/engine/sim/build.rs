//! `docker build` on the simulated engine, as Docker 28's BuildKit does it: the Dockerfile is read by the shared
//! parser, the stages the target needs are built in order, and every step that changes files makes a real layer
//! (a folder under `layers/`, named by the digest of its content). A step is keyed on its parent's key and its
//! inputs (the instruction after expansion, the environment and build args it sees, and for `COPY`/`ADD` the
//! paths, modes and bytes it copies); a key met before reuses the step's layer without running or copying
//! anything, which is what makes the lesson on instruction order show BuildKit's `CACHED` lines. The cache is part
//! of the saved state, so it outlives the docklings process.
//!
//! Progress is reported as BuildKit's `--progress=plain` lines (`#5 [2/5] WORKDIR /app`, `#5 CACHED`); the CLI
//! prints them and formats failures.

mod context;
mod step;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::state::{CachedStep, Image, now_nanos};
use super::{SimEngine, hex, images};
use crate::dockerfile::{self, Args, Command, Instruction, Keyword};
use crate::dockerignore::DockerIgnore;
use crate::engine::{BuildEvent, Labels};
pub use context::Tree;
pub(crate) use context::link_tree;

/// What `docker build` asks for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The context folder.
    pub context: PathBuf,
    /// The Dockerfile (a path the process can open) and the name the output shows for it.
    pub dockerfile: PathBuf,
    pub dockerfile_name: String,
    pub tags: Vec<String>,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub labels: Labels,
}

/// A finished build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Built {
    pub image_id: String,
    /// The steps taken from the cache, as their progress names (`[3/5] RUN npm install`).
    pub cached: Vec<String>,
    /// The steps that ran.
    pub ran: Vec<String>,
}

/// A failed build, with what BuildKit shows around its error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// After `ERROR: `: `failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3`.
    pub message: String,
    /// The failed step's name and its last output lines (without the `#N` prefix), for the `------` box.
    /// Boxed, as the rest: a failure travels through every step's `Result`.
    pub vertex: Option<Box<(String, Vec<String>)>>,
    /// The Dockerfile's lines around the failing instruction: (first line number, last line number).
    pub lines: Option<(usize, usize)>,
    pub dockerfile_name: String,
    pub source: String,
}

impl Failure {
    fn solve(message: impl Into<String>) -> Failure {
        Failure { message: format!("failed to solve: {}", message.into()), ..Failure::default() }
    }

    /// How the CLI prints it (after the progress lines), ending with the `ERROR:` line. `-q` shows no progress, so
    /// the box with the failed step's output is left out; the Dockerfile excerpt is printed either way.
    #[must_use]
    pub fn render(&self, quiet: bool) -> String {
        let mut out = String::new();
        if let Some((name, logs)) = self.vertex.as_deref().filter(|_| !quiet) {
            out.push_str(&format!("------\n > {name}:\n"));
            for l in logs.iter().rev().take(10).rev() {
                out.push_str(&format!("{l}\n"));
            }
            out.push_str("------\n");
        }
        if let Some((first, last)) = self.lines {
            let lines: Vec<&str> = self.source.lines().collect();
            out.push_str(&format!("{}:{}\n--------------------\n", self.dockerfile_name, first));
            let from = first.saturating_sub(2).max(1);
            let to = (last + 2).min(lines.len());
            for n in from..=to {
                let marker = if (first..=last).contains(&n) { ">>>" } else { "   " };
                let text = lines.get(n - 1).copied().unwrap_or_default();
                out.push_str(format!("{n:>4} | {marker} {text}").trim_end());
                out.push('\n');
            }
            out.push_str("--------------------\n");
        }
        out.push_str(&format!("ERROR: failed to build: {}\n", self.message));
        out
    }
}

/// Prints BuildKit's plain progress: numbered vertices, their log lines, `DONE`/`CACHED`/`ERROR`.
pub(crate) struct Progress<'a> {
    next: usize,
    emit: &'a mut dyn FnMut(&BuildEvent),
}

/// One vertex being reported.
pub(crate) struct Vertex {
    number: usize,
    started: Instant,
}

impl Progress<'_> {
    fn line(&mut self, text: String) {
        (self.emit)(&BuildEvent::Output(text));
    }

    fn start(&mut self, name: &str) -> Vertex {
        let v = Vertex { number: self.next, started: Instant::now() };
        self.next += 1;
        self.line(format!("#{} {name}", v.number));
        v
    }

    fn log(&mut self, v: &Vertex, text: &str) {
        self.line(format!("#{} {text}", v.number));
    }

    fn done(&mut self, v: &Vertex) {
        self.line(format!("#{} DONE {:.1}s", v.number, v.started.elapsed().as_secs_f64()));
        self.line(String::new());
    }

    fn cached(&mut self, v: &Vertex, name: &str) {
        self.line(format!("#{} CACHED", v.number));
        self.line(String::new());
        (self.emit)(&BuildEvent::Cached { step: name.to_string() });
    }

    fn error(&mut self, v: &Vertex, message: &str) {
        self.line(format!("#{} ERROR: {message}", v.number));
        self.line(String::new());
    }
}

/// A stage of the Dockerfile.
struct Stage<'a> {
    /// `AS name`, lower-cased as BuildKit compares them.
    name: Option<String>,
    from: &'a Instruction,
    /// The base as written, with the global ARGs expanded.
    base: String,
    body: Vec<&'a Instruction>,
}

/// The 1-based line of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The instruction as BuildKit names its step: the source text, continuation lines joined, heredoc bodies left out.
fn original(source: &str, instr: &Instruction, escape: char) -> String {
    let end = instr.heredocs.first().map_or(instr.span.end, |h| h.content_start);
    let text = &source[instr.span.start..end.min(source.len())];
    let mut out = String::new();
    for line in text.lines() {
        let l = line.trim_end();
        if let Some(joined) = l.strip_suffix(escape) {
            out.push_str(joined);
        } else {
            out.push_str(l);
            if !instr.heredocs.is_empty() {
                break;
            }
        }
    }
    out.trim().to_string()
}

/// Expands `$VAR` references in a word as BuildKit does before running a step.
fn expand(raw: &str, escape: char, vars: &BTreeMap<String, String>) -> String {
    dockerfile::words::expand(raw, escape, &|name: &str| vars.get(name).cloned())
}

/// Runs a build. Progress lines go to `emit` as they happen.
pub fn build(engine: &SimEngine, req: &Request, emit: &mut dyn FnMut(&BuildEvent)) -> Result<Built, Failure> {
    let mut progress = Progress { next: 1, emit };
    progress.line("#0 building with \"default\" instance using docker driver".to_string());
    progress.line(String::new());

    let v = progress.start(&format!("[internal] load build definition from {}", req.dockerfile_name));
    let source = fs::read_to_string(&req.dockerfile).map_err(|e| {
        let message = format!("failed to read dockerfile: open {}: {}", req.dockerfile_name, io_text(&e));
        progress.error(&v, &message);
        Failure::solve(message)
    })?;
    progress.log(&v, &format!("transferring dockerfile: {} done", buildkit_size(source.len() as u64)));
    progress.done(&v);

    let parsed = dockerfile::parse(&source);
    let fail_at = |instr: &Instruction, message: String| Failure {
        lines: Some((line_of(&source, instr.span.start), line_of(&source, instr.span.end.saturating_sub(1)))),
        dockerfile_name: req.dockerfile_name.clone(),
        source: source.clone(),
        ..Failure::solve(message)
    };
    let df = &parsed.dockerfile;
    if let Some(bad) = df.instructions.iter().find(|i| i.kind == Keyword::Unknown) {
        let line = line_of(&source, bad.span.start);
        return Err(fail_at(
            bad,
            format!("dockerfile parse error on line {line}: unknown instruction: {}", bad.keyword.raw),
        ));
    }
    if let Some(e) = parsed.errors.first() {
        let line = line_of(&source, e.span.start);
        return Err(Failure::solve(format!("dockerfile parse error on line {line}: {}", e.message)));
    }

    // Global ARGs (before the first FROM) and the stages.
    let escape = df.escape;
    let mut global: BTreeMap<String, String> = BTreeMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    for instr in &df.instructions {
        match (&instr.args, stages.last_mut()) {
            (Args::From(from), _) => {
                let raw = from.image.as_ref().map(|w| w.raw.clone()).unwrap_or_default();
                stages.push(Stage {
                    name: from.alias.as_ref().map(|a| a.value.to_ascii_lowercase()),
                    from: instr,
                    base: expand(&raw, escape, &global),
                    body: Vec::new(),
                });
            }
            (Args::Arg(decls), None) => {
                for d in decls {
                    let name = d.name.value.clone();
                    let value = req
                        .build_args
                        .get(&name)
                        .cloned()
                        .or_else(|| d.default.as_ref().map(|w| expand(&w.raw, escape, &global)));
                    if let Some(v) = value {
                        global.insert(name, v);
                    }
                }
            }
            (_, Some(stage)) => stage.body.push(instr),
            (_, None) => {
                return Err(fail_at(instr, "no build stage in current context".to_string()));
            }
        }
    }
    if stages.is_empty() {
        return Err(Failure::solve("the Dockerfile cannot be empty"));
    }
    let stage_index = |name: &str| -> Option<usize> {
        let lower = name.to_ascii_lowercase();
        stages
            .iter()
            .position(|s| s.name.as_deref() == Some(lower.as_str()))
            .or_else(|| lower.parse::<usize>().ok().filter(|&i| i < stages.len()))
    };
    let target = match &req.target {
        Some(t) => stage_index(t)
            .filter(|&i| stages[i].name.is_some() || t.parse::<usize>().is_err())
            .ok_or_else(|| Failure::solve(format!("target stage \"{t}\" could not be found")))?,
        None => stages.len() - 1,
    };

    // The stages the target needs, through FROM and COPY --from.
    let mut needed = BTreeSet::new();
    let mut todo = vec![target];
    while let Some(i) = todo.pop() {
        if !needed.insert(i) {
            continue;
        }
        if let Some(j) = stage_index(&stages[i].base).filter(|&j| j < i) {
            todo.push(j);
        }
        for instr in &stages[i].body {
            if let Some(from) = instr.flag("from").and_then(|f| f.value.as_deref())
                && let Some(j) = stage_index(from)
            {
                if j >= i {
                    return Err(fail_at(instr, format!("circular dependency detected on stage: {from}")));
                }
                todo.push(j);
            }
        }
    }

    // Base images: looked up, pulled when missing, as BuildKit's metadata resolution does.
    let mut bases: BTreeMap<String, Image> = BTreeMap::new();
    for &i in &needed {
        let s = &stages[i];
        if stage_index(&s.base).is_some_and(|j| j < i) || s.base.eq_ignore_ascii_case("scratch") {
            continue;
        }
        if bases.contains_key(&s.base) {
            continue;
        }
        let full = images::reference::parse(&s.base)
            .map(|r| r.with_default_tag().full())
            .map_err(|e| fail_at(s.from, format!("failed to parse stage name \"{}\": {e}", s.base)))?;
        let v = progress.start(&format!("[internal] load metadata for {full}"));
        let found = images::ensure_local(engine, &s.base, &mut |_| {})
            .and_then(|_| engine.read(|st| Ok(st.images[images::lookup(st, &s.base)?].clone())));
        if let Ok(img) = found {
            progress.done(&v);
            bases.insert(s.base.clone(), img);
        } else {
            let message = format!("{full}: failed to resolve source metadata for {full}: {full}: not found");
            progress.error(&v, &message);
            return Err(fail_at(s.from, format!("{}: {message}", s.base)));
        }
    }

    let v = progress.start("[internal] load .dockerignore");
    let ignore_text = fs::read_to_string(req.context.join(".dockerignore")).unwrap_or_default();
    progress.log(&v, &format!("transferring context: {} done", buildkit_size(ignore_text.len().max(2) as u64)));
    progress.done(&v);
    let ignore = DockerIgnore::parse(&ignore_text).0;

    let cache = engine.read(|st| Ok(st.build_cache.clone())).map_err(|e| Failure::solve(e.to_string()))?;
    let mut builder = step::Builder {
        engine,
        req,
        source: &source,
        escape,
        cache,
        new_cache: BTreeMap::new(),
        context: None,
        ignore,
        scratch: engine.dir().join("build").join(super::new_id()),
        cached: Vec::new(),
        ran: Vec::new(),
        multi: stages.len() > 1,
    };
    let result = (|| -> Result<step::StageResult, Failure> {
        let mut finished: BTreeMap<usize, step::StageResult> = BTreeMap::new();
        for &i in &needed {
            let s = &stages[i];
            let name = s.name.clone().unwrap_or_else(|| format!("stage-{i}"));
            let base = match stage_index(&s.base).filter(|&j| j < i) {
                Some(j) => step::Base::Stage(finished[&j].clone()),
                None if s.base.eq_ignore_ascii_case("scratch") => step::Base::Scratch,
                None => step::Base::Image(bases[&s.base].clone()),
            };
            let global_for_stage = global.clone();
            let r = builder
                .stage(
                    &mut progress,
                    &name,
                    &s.base,
                    &base,
                    &s.body,
                    &global_for_stage,
                    &|n: &str| stage_index(n).filter(|&j| j < i),
                    &finished,
                )
                .map_err(|mut f| {
                    if f.source.is_empty() && f.lines.is_some() {
                        f.source.clone_from(&source);
                        f.dockerfile_name.clone_from(&req.dockerfile_name);
                    }
                    f
                })?;
            finished.insert(i, r);
        }
        Ok(finished.remove(&target).unwrap_or_default())
    })();
    let _ = fs::remove_dir_all(&builder.scratch);
    let new_cache = std::mem::take(&mut builder.new_cache);
    let save_cache = |engine: &SimEngine| {
        let _ = engine.mutate(|st| {
            st.build_cache.extend(new_cache.clone());
            Ok(())
        });
    };
    let finished = match result {
        Ok(r) => r,
        Err(f) => {
            save_cache(engine);
            return Err(f);
        }
    };
    // Ctrl-C after the last step still cancels: no image is made or tagged.
    if engine.interrupted() {
        save_cache(engine);
        return Err(Failure::solve("Canceled: context canceled"));
    }

    let v = progress.start("exporting to image");
    let mut config = finished.config.clone();
    for (k, val) in &req.labels {
        config.labels.insert(k.clone(), val.clone());
    }
    let created = finished.history.iter().map(|h| h.created).max().unwrap_or_else(now_nanos);
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&config).unwrap_or_default());
    h.update(finished.layers.join(",").as_bytes());
    for item in &finished.history {
        h.update(format!("{}|{}|{}|{}", item.created, item.created_by, item.size, item.empty_layer).as_bytes());
    }
    let image_id = format!("sha256:{}", hex(&h.finalize()));
    let size = finished.size;
    let tags: Vec<String> =
        req.tags.iter().filter_map(|t| images::parse_target(t).ok().map(|r| r.familiar())).collect();
    let existed = engine
        .mutate(|st| {
            st.build_cache.extend(new_cache.clone());
            let existed = st.images.iter().any(|i| i.id == image_id);
            if !existed {
                st.images.push(Image {
                    id: image_id.clone(),
                    created,
                    config: config.clone(),
                    layers: finished.layers.clone(),
                    history: finished.history.clone(),
                    size,
                    ..Image::default()
                });
            }
            for t in &tags {
                for img in &mut st.images {
                    img.repo_tags.retain(|x| x != t);
                }
            }
            if let Some(img) = st.images.iter_mut().find(|i| i.id == image_id) {
                img.repo_tags.extend(tags.iter().cloned());
                images::sort_references(&mut img.repo_tags);
                if !tags.is_empty() {
                    img.last_tag_time = now_nanos();
                }
            }
            Ok(existed)
        })
        .map_err(|e| Failure::solve(e.to_string()))?;
    progress.log(&v, "exporting layers done");
    if !existed {
        progress.log(&v, &format!("writing image {image_id} done"));
    }
    for t in &req.tags {
        if let Ok(r) = images::parse_target(t) {
            progress.log(&v, &format!("naming to {} done", r.full()));
        }
    }
    progress.done(&v);
    Ok(Built { image_id, cached: builder.cached, ran: builder.ran })
}

/// The size BuildKit prints for transfers: bytes below 1000, then kB, MB with two decimals as `units` does.
#[must_use]
pub fn buildkit_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    crate::dockerfmt::human_size(bytes as f64)
}

/// An I/O error as Go words it.
fn io_text(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "input/output error",
    }
}

/// Whether a path is a simulated layer that still exists (a cache entry whose layer was pruned is a miss).
fn layer_exists(engine: &SimEngine, layer: &str) -> bool {
    engine.layer_dir(layer).is_dir()
}

/// The digest of a key's parts.
fn key_of(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize())
}

/// What a RUN step executes: shell form through the stage's shell, exec form as written; a heredoc body is the
/// script.
fn run_argv(cmd: &Command, instr: &Instruction, shell: &[String]) -> Vec<String> {
    match cmd {
        Command::Exec { args, .. } => args.iter().map(|w| w.value.clone()).collect(),
        Command::Shell(text) => {
            let script = match instr.heredocs.first() {
                Some(h) if text.text.trim_start().starts_with("<<") => h.content.clone(),
                _ => text.text.clone(),
            };
            shell.iter().cloned().chain(std::iter::once(script)).collect()
        }
    }
}

/// `CachedStep` for a layer just made.
fn record(layer: String, size: i64) -> CachedStep {
    CachedStep { layer, size, created: now_nanos() }
}

/// The path `p` inside the root, relative, as a host path under `root`.
fn under(root: &Path, p: &str) -> PathBuf {
    root.join(p.trim_start_matches('/'))
}

/// Lexically cleans an absolute path (`/app/./x/../y` → `/app/y`).
fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}
