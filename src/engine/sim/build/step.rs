//! One stage of a build, step by step: each instruction either changes the image's config (an empty layer in
//! the history) or makes a layer, taken from the cache when its key was met before.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::context::{self, Entry, Tree};
use super::{
    Failure, Progress, Request, clean_path, expand, key_of, layer_exists, line_of, original, record, run_argv, under,
};
use crate::dockerfile::{Args, Command, Healthcheck, Instruction, Keyword};
use crate::dockerignore::DockerIgnore;
use crate::engine::sim::SimEngine;
use crate::engine::sim::runtime::{Limits, Output, ProcessSpec, Stdin};
use crate::engine::sim::state::{CachedStep, HistoryItem, Image, ImageConfig};

const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const BUILDKIT: &str = "buildkit.dockerfile.v0";

/// A finished stage: the image it would be.
#[derive(Clone, Debug, Default)]
pub struct StageResult {
    pub layers: Vec<String>,
    pub history: Vec<HistoryItem>,
    pub config: ImageConfig,
    /// The cache key of its last file-system step.
    pub key: String,
    pub size: i64,
}

/// What a stage starts from.
pub enum Base {
    Image(Image),
    Stage(StageResult),
    Scratch,
}

/// The build's working state across stages.
pub struct Builder<'a> {
    pub engine: &'a SimEngine,
    pub req: &'a Request,
    pub source: &'a str,
    pub escape: char,
    pub cache: BTreeMap<String, CachedStep>,
    pub new_cache: BTreeMap<String, CachedStep>,
    /// The context, read on the first COPY that needs it.
    pub context: Option<Tree>,
    pub ignore: DockerIgnore,
    /// Where root file systems are assembled for RUN and COPY --from.
    pub scratch: PathBuf,
    pub cached: Vec<String>,
    pub ran: Vec<String>,
    /// More than one stage: step names carry the stage's name.
    pub multi: bool,
}

fn fail(e: &crate::engine::EngineError) -> Failure {
    Failure::solve(e.to_string())
}

impl Builder<'_> {
    fn at(&self, instr: &Instruction, message: String) -> Failure {
        Failure {
            lines: Some((
                line_of(self.source, instr.span.start),
                line_of(self.source, instr.span.end.saturating_sub(1)),
            )),
            ..Failure::solve(message)
        }
    }

    fn lookup(&self, key: &str) -> Option<CachedStep> {
        if self.req.no_cache {
            return None;
        }
        self.new_cache.get(key).or_else(|| self.cache.get(key)).filter(|c| layer_exists(self.engine, &c.layer)).cloned()
    }

    /// Assembles a stage's files into a fresh folder.
    fn assemble(&self, layers: &[String]) -> Result<PathBuf, Failure> {
        let dir = self.scratch.join(crate::engine::sim::new_id());
        fs::create_dir_all(&dir).map_err(|e| Failure::solve(e.to_string()))?;
        for l in layers {
            context::link_tree(&self.engine.layer_dir(l), &dir).map_err(|e| fail(&e))?;
        }
        Ok(dir)
    }

    // The arguments are the stage's pieces as the planner found them.
    #[allow(clippy::too_many_arguments)]
    pub fn stage(
        &mut self,
        progress: &mut Progress,
        name: &str,
        base_name: &str,
        base: &Base,
        body: &[&Instruction],
        global: &BTreeMap<String, String>,
        stage_of: &dyn Fn(&str) -> Option<usize>,
        finished: &BTreeMap<usize, StageResult>,
    ) -> Result<StageResult, Failure> {
        let mut r = match base {
            Base::Image(img) => StageResult {
                layers: img.layers.clone(),
                history: img.history.clone(),
                config: img.config.clone(),
                key: key_of(&["from", &img.id]),
                size: img.size,
            },
            Base::Stage(s) => s.clone(),
            Base::Scratch => StageResult { key: key_of(&["scratch"]), ..StageResult::default() },
        };
        let mut onbuild_instrs: Vec<crate::dockerfile::Instruction> = Vec::new();
        for trigger in std::mem::take(&mut r.config.on_build) {
            let parsed = crate::dockerfile::parse(&trigger);
            onbuild_instrs.extend(parsed.dockerfile.instructions);
        }
        let mut steps: Vec<&Instruction> = onbuild_instrs.iter().collect();
        steps.extend(body.iter().copied());
        let total = 1 + steps
            .iter()
            .filter(|i| matches!(i.kind, Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir))
            .count();
        let multi = self.multi;
        let label = |n: usize| if multi { format!("[{name} {n}/{total}]") } else { format!("[{n}/{total}]") };
        if let Base::Image(img) = base {
            let full = crate::engine::sim::images::reference::parse(base_name)
                .map_or_else(|_| base_name.to_string(), |r| r.with_default_tag().full());
            let digest = img.repo_digests.first().and_then(|d| d.split_once('@')).map(|(_, d)| format!("@{d}"));
            let v = progress.start(&format!("{} FROM {full}{}", label(1), digest.unwrap_or_default()));
            progress.done(&v);
        }

        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        let mut args_in_scope: Vec<(String, String)> = Vec::new();
        let mut shell: Vec<String> =
            if r.config.shell.is_empty() { vec!["/bin/sh".into(), "-c".into()] } else { r.config.shell.clone() };
        let mut step_no = 1;
        let stage_created = r.history.last().map_or(0, |h| h.created);
        let mut last_created = stage_created;
        for instr in steps {
            let escape = self.escape;
            // Expansion sees the stage's ARGs, overridden by its ENV.
            let mut lookup = vars.clone();
            for e in &r.config.env {
                if let Some((k, v)) = e.split_once('=') {
                    lookup.insert(k.to_string(), v.to_string());
                }
            }
            let word = |raw: &str| expand(raw, escape, &lookup);
            let text = original(self.source, instr, escape);
            let meta = |r: &mut StageResult, created_by: String| {
                r.history.push(HistoryItem {
                    created: last_created,
                    created_by,
                    size: 0,
                    comment: BUILDKIT.to_string(),
                    empty_layer: true,
                });
            };
            match (&instr.kind, &instr.args) {
                (Keyword::Arg, Args::Arg(decls)) => {
                    for d in decls {
                        let k = d.name.value.clone();
                        let v = self
                            .req
                            .build_args
                            .get(&k)
                            .cloned()
                            .or_else(|| global.get(&k).cloned())
                            .or_else(|| d.default.as_ref().map(|w| word(&w.raw)));
                        if let Some(v) = v {
                            vars.insert(k.clone(), v.clone());
                            args_in_scope.retain(|(a, _)| *a != k);
                            args_in_scope.push((k.clone(), v.clone()));
                        }
                        let shown = d.default.as_ref().map_or(k.clone(), |w| format!("{k}={}", word(&w.raw)));
                        meta(&mut r, format!("ARG {shown}"));
                    }
                }
                (Keyword::Env, Args::KeyValues(kvs)) => {
                    let mut shown = Vec::new();
                    for kv in kvs {
                        let (k, v) = (kv.key.value.clone(), word(&kv.value.raw));
                        r.config.env.retain(|e| e.split_once('=').map(|(a, _)| a) != Some(k.as_str()));
                        r.config.env.push(format!("{k}={v}"));
                        shown.push(format!("{k}={v}"));
                    }
                    meta(&mut r, format!("ENV {}", shown.join(" ")));
                }
                (Keyword::Label, Args::KeyValues(kvs)) => {
                    let mut shown = Vec::new();
                    for kv in kvs {
                        let (k, v) = (word(&kv.key.raw), word(&kv.value.raw));
                        shown.push(format!("{k}={v}"));
                        r.config.labels.insert(k, v);
                    }
                    meta(&mut r, format!("LABEL {}", shown.join(" ")));
                }
                (Keyword::Expose, Args::List { items, .. }) => {
                    for w in items {
                        let p = word(&w.raw);
                        let p = if p.contains('/') { p } else { format!("{p}/tcp") };
                        if !r.config.exposed_ports.contains(&p) {
                            r.config.exposed_ports.push(p);
                        }
                    }
                    r.config.exposed_ports.sort();
                    let shown: Vec<String> = r.config.exposed_ports.iter().map(|p| format!("{p}:{{}}")).collect();
                    meta(&mut r, format!("EXPOSE map[{}]", shown.join(" ")));
                }
                (Keyword::Volume, Args::List { items, .. }) => {
                    for w in items {
                        let p = word(&w.raw);
                        if !r.config.volumes.contains(&p) {
                            r.config.volumes.push(p);
                        }
                    }
                    let shown: Vec<String> = items.iter().map(|w| word(&w.raw)).collect();
                    meta(&mut r, format!("VOLUME [{}]", shown.join(" ")));
                }
                (Keyword::User, Args::Single(Some(w))) => {
                    let u = word(&w.raw);
                    r.config.user.clone_from(&u);
                    meta(&mut r, format!("USER {u}"));
                }
                (Keyword::Stopsignal, Args::Single(Some(w))) => {
                    let s = word(&w.raw);
                    r.config.stop_signal = Some(s.clone());
                    meta(&mut r, format!("STOPSIGNAL {s}"));
                }
                (Keyword::Maintainer, Args::Single(Some(w))) => meta(&mut r, format!("MAINTAINER {}", w.value)),
                (Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell, Args::Command(cmd)) => {
                    let argv = match cmd {
                        Command::Exec { args, .. } => args.iter().map(|w| w.value.clone()).collect(),
                        Command::Shell(t) => {
                            shell.iter().cloned().chain(std::iter::once(t.text.clone())).collect::<Vec<_>>()
                        }
                    };
                    let shown: Vec<String> = argv.iter().map(|a| format!("{a:?}")).collect();
                    let keyword = instr.kind.as_str();
                    match instr.kind {
                        Keyword::Cmd => r.config.cmd.clone_from(&argv),
                        Keyword::Entrypoint => {
                            r.config.entrypoint.clone_from(&argv);
                            // An ENTRYPOINT resets the CMD the base image had, as Docker does.
                            r.config.cmd.clear();
                        }
                        _ => {
                            shell.clone_from(&argv);
                            r.config.shell.clone_from(&argv);
                        }
                    }
                    if instr.kind == Keyword::Shell {
                        meta(&mut r, format!("SHELL [{}]", argv.join(" ")));
                    } else {
                        meta(&mut r, format!("{keyword} [{}]", shown.join(" ")));
                    }
                }
                (Keyword::Healthcheck, Args::Healthcheck(hc)) => {
                    r.config.healthcheck = match hc {
                        Healthcheck::None => vec!["NONE".to_string()],
                        Healthcheck::Cmd(Some(Command::Exec { args, .. })) => {
                            std::iter::once("CMD".to_string()).chain(args.iter().map(|w| w.value.clone())).collect()
                        }
                        Healthcheck::Cmd(Some(Command::Shell(t))) => vec!["CMD-SHELL".to_string(), t.text.clone()],
                        _ => Vec::new(),
                    };
                    let shown: Vec<String> = r.config.healthcheck.iter().map(|a| format!("{a:?}")).collect();
                    meta(&mut r, format!("HEALTHCHECK &{{[{}] \"0s\" \"0s\" \"0s\" \"0s\" '\\x00'}}", shown.join(" ")));
                }
                (Keyword::Onbuild, _) => {
                    let t = text.split_once(char::is_whitespace).map(|(_, t)| t.trim().to_string()).unwrap_or_default();
                    r.config.on_build.push(t.clone());
                    meta(&mut r, format!("ONBUILD {t}"));
                }
                (Keyword::Workdir, Args::Single(Some(w))) => {
                    step_no += 1;
                    let p = word(&w.raw);
                    let p = if p.starts_with('/') {
                        clean_path(&p)
                    } else {
                        clean_path(&format!("{}/{p}", r.config.working_dir))
                    };
                    r.config.working_dir.clone_from(&p);
                    let name = format!("{} {text}", label(step_no));
                    let key = key_of(&[&r.key, "WORKDIR", &p]);
                    let step = self.layer_step(progress, &name, &key, |_, tmp, _| {
                        fs::create_dir_all(under(tmp, &p)).map_err(|e| Failure::solve(e.to_string()))
                    })?;
                    last_created = step.created;
                    push_layer(&mut r, &step, text.clone(), key);
                }
                (Keyword::Copy | Keyword::Add, Args::Copy(copy)) => {
                    step_no += 1;
                    let name = format!("{} {text}", label(step_no));
                    let from = instr.flag("from").and_then(|f| f.value.clone());
                    let chown = instr.flag("chown").and_then(|f| f.value.clone()).unwrap_or_default();
                    let dest_raw = copy.dest.as_ref().map(|w| word(&w.raw)).unwrap_or_default();
                    let mut dest = if dest_raw.starts_with('/') {
                        dest_raw.clone()
                    } else {
                        format!(
                            "{}/{dest_raw}",
                            if r.config.working_dir.is_empty() { "" } else { &r.config.working_dir }
                        )
                    };
                    let dir_dest = dest_raw.ends_with('/') || dest_raw == "." || copy.sources.len() > 1;
                    if dest.is_empty() {
                        dest = "/".into();
                    }
                    // The sources: (name in the layer, host path or heredoc body).
                    let mut items: Vec<(String, CopySource)> = Vec::new();
                    let mut digest_parts: Vec<String> = Vec::new();
                    let src_root: PathBuf;
                    let tree: Tree = if let Some(f) = &from {
                        let layers = if let Some(s) = stage_of(f).and_then(|j| finished.get(&j)) {
                            s.layers.clone()
                        } else {
                            // `--from` an image: pulled when missing, as BuildKit resolves it.
                            let img = crate::engine::sim::images::ensure_local(self.engine, f, &mut |_| {})
                                .and_then(|_| {
                                    self.engine
                                        .read(|st| Ok(st.images[crate::engine::sim::images::lookup(st, f)?].clone()))
                                })
                                .map_err(|_| {
                                    self.at(instr, format!("{f}: failed to resolve source metadata for {f}: not found"))
                                })?;
                            img.layers
                        };
                        src_root = self.assemble(&layers)?;
                        Tree::read(&src_root, None).map_err(|e| fail(&e))?
                    } else {
                        if self.context.is_none() {
                            let v = progress.start("[internal] load build context");
                            let t = Tree::read(&self.req.context, Some(&self.ignore)).map_err(|e| fail(&e))?;
                            progress.log(&v, &format!("transferring context: {} done", super::buildkit_size(t.size())));
                            progress.done(&v);
                            self.context = Some(t);
                        }
                        let t = self.context.clone().unwrap_or_default();
                        src_root = t.root.clone();
                        t
                    };
                    for w in &copy.sources {
                        let raw = word(&w.raw);
                        if let Some(doc) = raw
                            .strip_prefix("<<")
                            .and_then(|n| instr.heredocs.iter().find(|h| h.name == n.trim_start_matches('-')))
                        {
                            let target = if dir_dest || dest.ends_with('/') {
                                format!("{}/{}", dest.trim_end_matches('/'), doc.name)
                            } else {
                                dest.clone()
                            };
                            digest_parts.push(format!("heredoc {target} {}", doc.content));
                            items.push((target, CopySource::Bytes(doc.content.clone().into_bytes())));
                            continue;
                        }
                        if instr.kind == Keyword::Add
                            && ["http://", "https://", "git@"].iter().any(|p| raw.starts_with(p))
                        {
                            // Said plainly rather than imitated: there is no network to fetch from.
                            let message = format!(
                                "failed to load cache key: ADD {raw}: the simulated engine has no internet access; download the file into the build context and COPY it, or build with --engine real"
                            );
                            let v = progress.start(&name);
                            progress.error(&v, &message);
                            return Err(self.at(instr, message));
                        }
                        let pattern = clean_path(&raw).trim_start_matches('/').to_string();
                        let matched: Vec<String> = if pattern.is_empty() {
                            vec![String::new()]
                        } else if pattern.contains(['*', '?', '[']) {
                            let glob = globset::Glob::new(&pattern).map(|g| g.compile_matcher()).ok();
                            tree.entries
                                .keys()
                                .filter(|k| glob.as_ref().is_some_and(|g| g.is_match(k.as_str())))
                                .cloned()
                                .collect()
                        } else if tree.entries.contains_key(&pattern) {
                            vec![pattern.clone()]
                        } else {
                            Vec::new()
                        };
                        if matched.is_empty() {
                            // BuildKit names the context's ref by a session UUID and a 25-character id.
                            let id = crate::engine::sim::new_id();
                            let message = format!(
                                "failed to compute cache key: failed to calculate checksum of ref {}-{}-{}-{}-{}::{}: \"/{pattern}\": not found",
                                &id[..8],
                                &id[8..12],
                                &id[12..16],
                                &id[16..20],
                                &id[20..32],
                                &id[32..57]
                            );
                            let v = progress.start(&name);
                            progress.error(&v, &message);
                            return Err(self.at(instr, message));
                        }
                        for m in matched {
                            let is_dir = m.is_empty() || matches!(tree.entries.get(&m), Some(Entry::Dir));
                            let prefix = if m.is_empty() { String::new() } else { format!("{m}/") };
                            let target = if is_dir {
                                dest.clone()
                            } else if dir_dest || dest.ends_with('/') {
                                format!("{}/{}", dest.trim_end_matches('/'), m.rsplit('/').next().unwrap_or(&m))
                            } else {
                                dest.clone()
                            };
                            // What the copy reads: the entry itself or, for a folder, what is under it (and not
                            // left out by .dockerignore), one by one.
                            if !is_dir {
                                let path = under(&src_root, &m);
                                // ADD unpacks a local archive into the destination, taken as a folder (a
                                // regular file only: a link in the context is not followed out of it).
                                if instr.kind == Keyword::Add
                                    && from.is_none()
                                    && matches!(tree.entries.get(&m), Some(Entry::File { .. }))
                                    && is_tar_archive(&path)
                                {
                                    if let Some(e) = tree.entries.get(&m) {
                                        digest_parts.push(format!("unpack {dest} {e:?}"));
                                    }
                                    items.push((clean_path(&dest), CopySource::Unpack(path)));
                                    continue;
                                }
                                if let Some(e) = tree.entries.get(&m) {
                                    digest_parts.push(format!("{target} {e:?}"));
                                }
                                items.push((clean_path(&target), CopySource::Path(path)));
                                continue;
                            }
                            items.push((clean_path(&target), CopySource::Dir));
                            for (k, e) in tree.entries.range(prefix.clone()..) {
                                if !k.starts_with(&prefix) {
                                    break;
                                }
                                let rel = &k[prefix.len()..];
                                digest_parts.push(format!("{target} {rel} {e:?}"));
                                let to = clean_path(&format!("{target}/{rel}"));
                                items.push((
                                    to,
                                    if *e == Entry::Dir {
                                        CopySource::Dir
                                    } else {
                                        CopySource::Path(under(&src_root, k))
                                    },
                                ));
                            }
                        }
                    }
                    let key = key_of(&[&r.key, instr.kind.as_str(), &dest, &chown, &digest_parts.join("\n")]);
                    let step = self.layer_step(progress, &name, &key, |_, tmp, _| {
                        for (target, src) in &items {
                            let to = under(tmp, target);
                            match src {
                                CopySource::Bytes(b) => {
                                    if let Some(p) = to.parent() {
                                        fs::create_dir_all(p).map_err(|e| Failure::solve(e.to_string()))?;
                                    }
                                    fs::write(&to, b).map_err(|e| Failure::solve(e.to_string()))?;
                                }
                                CopySource::Path(p) => context::copy_entry(p, &to).map_err(|e| fail(&e))?,
                                CopySource::Unpack(archive) => unpack(archive, &to)?,
                                CopySource::Dir => {
                                    fs::create_dir_all(&to).map_err(|e| Failure::solve(e.to_string()))?;
                                }
                            }
                        }
                        Ok(())
                    })?;
                    last_created = step.created;
                    push_layer(&mut r, &step, format!("{text} # buildkit"), key);
                }
                (Keyword::Run, Args::Command(cmd)) => {
                    step_no += 1;
                    let name = format!("{} {text}", label(step_no));
                    let argv = run_argv(cmd, instr, &shell);
                    let mut env = r.config.env.clone();
                    for (k, v) in &args_in_scope {
                        if !env.iter().any(|e| e.split_once('=').map(|(a, _)| a) == Some(k.as_str())) {
                            env.push(format!("{k}={v}"));
                        }
                    }
                    let args_text: String = if args_in_scope.is_empty() {
                        String::new()
                    } else {
                        let mut a = args_in_scope.clone();
                        a.sort();
                        format!(
                            "|{} {} ",
                            a.len(),
                            a.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
                        )
                    };
                    let key = key_of(&[
                        &r.key,
                        "RUN",
                        &argv.join("\0"),
                        &env.join("\0"),
                        &r.config.working_dir,
                        &r.config.user,
                    ]);
                    let layers = r.layers.clone();
                    let cwd =
                        if r.config.working_dir.is_empty() { "/".to_string() } else { r.config.working_dir.clone() };
                    let shown = argv.join(" ");
                    let step = self.layer_step(progress, &name, &key, |this: &Builder, tmp, log| {
                        let root = this.assemble(&layers)?;
                        if let Some(dir) = crate::engine::sim::in_rootfs(&root, &cwd) {
                            let _ = fs::create_dir_all(dir);
                        }
                        let before = context::snapshot(&root);
                        let (code, logs) = this.exec(&root, &argv, &env, &cwd, log)?;
                        if this.engine.interrupted() {
                            let _ = fs::remove_dir_all(&root);
                            return Err(Failure::solve("Canceled: context canceled"));
                        }
                        if code != 0 {
                            return Err(Failure {
                                vertex: Some(Box::new((String::new(), logs))),
                                ..Failure::solve(format!(
                                    "process \"{shown}\" did not complete successfully: exit code: {code}"
                                ))
                            });
                        }
                        context::copy_changes(&root, &before, tmp).map_err(|e| fail(&e))?;
                        let _ = fs::remove_dir_all(&root);
                        Ok(())
                    });
                    let step = step.map_err(|mut f| {
                        if let Some((v, _)) = f.vertex.as_deref_mut() {
                            v.clone_from(&name);
                        }
                        f.lines = self.at(instr, String::new()).lines;
                        f
                    })?;
                    last_created = step.created;
                    let created_by = format!("RUN {args_text}{} # buildkit", argv.join(" "));
                    push_layer(&mut r, &step, created_by, key);
                }
                _ => {}
            }
        }
        Ok(r)
    }
}

/// A process's output as it comes: when it started, the unfinished last line, the lines so far (`0.123 text`).
type Lines = (Instant, Vec<u8>, Vec<String>);

/// Where a COPY takes a file from.
enum CopySource {
    Path(PathBuf),
    Dir,
    Bytes(Vec<u8>),
    /// A local tar archive (plain or gzip-compressed) that `ADD` unpacks into the destination folder.
    Unpack(PathBuf),
}

/// A file's bytes, gunzipped when they start with gzip's magic number.
fn maybe_gunzip(path: &Path) -> std::io::Result<Box<dyn std::io::Read>> {
    use std::io::Read;
    let mut magic = [0u8; 2];
    let compressed = fs::File::open(path)?.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let file = fs::File::open(path)?;
    Ok(if compressed { Box::new(flate2::read::GzDecoder::new(file)) } else { Box::new(file) })
}

/// Whether `ADD` unpacks this file, as Docker does for a local tar archive, plain or gzip-compressed: the bytes
/// decide (a tar header's `ustar` magic), not the name.
fn is_tar_archive(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(512);
    let read = maybe_gunzip(path).and_then(|r| r.take(512).read_to_end(&mut head));
    read.is_ok() && head.len() == 512 && &head[257..262] == b"ustar"
}

/// Unpacks a tar archive into the folder `to`.
fn unpack(archive: &Path, to: &Path) -> Result<(), Failure> {
    let failed = |e: std::io::Error| Failure::solve(format!("failed to unpack {}: {e}", archive.display()));
    fs::create_dir_all(to).map_err(failed)?;
    let mut tar = tar::Archive::new(maybe_gunzip(archive).map_err(failed)?);
    for entry in tar.entries().map_err(failed)? {
        // `unpack_in` skips an entry whose path would climb out of `to`.
        entry.and_then(|mut e| e.unpack_in(to).map(|_| ())).map_err(failed)?;
    }
    Ok(())
}

/// Adds a step's layer to the stage.
fn push_layer(r: &mut StageResult, step: &CachedStep, created_by: String, key: String) {
    r.layers.push(step.layer.clone());
    r.size += step.size;
    r.history.push(HistoryItem {
        created: step.created,
        created_by,
        size: step.size,
        comment: BUILDKIT.to_string(),
        empty_layer: false,
    });
    r.key = key;
}

impl Builder<'_> {
    /// Runs a program on a root file system, passing each output line (`0.123 text`) to `log` as it comes;
    /// returns its status and all its lines.
    fn exec(
        &self,
        root: &Path,
        argv: &[String],
        env: &[String],
        cwd: &str,
        log: &mut dyn FnMut(&str),
    ) -> Result<(i32, Vec<String>), Failure> {
        let runtime = self.engine.runtime().map_err(|e| fail(&e))?;
        let mut full_env = vec![DEFAULT_PATH.to_string(), "HOME=/root".to_string()];
        for e in env {
            let k = e.split_once('=').map_or(e.as_str(), |(k, _)| k);
            full_env.retain(|x| x.split_once('=').map(|(a, _)| a) != Some(k));
            full_env.push(e.clone());
        }
        full_env.push("DOCKLINGS_UID=0".into());
        full_env.push("DOCKLINGS_GID=0".into());
        let sink: Arc<Mutex<Lines>> = Arc::new(Mutex::new((Instant::now(), Vec::new(), Vec::new())));
        let s = Arc::clone(&sink);
        let out = Output::from_fn(Arc::new(move |b: &[u8]| {
            let mut g = s.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let t = g.0.elapsed().as_secs_f64();
            g.1.extend_from_slice(b);
            while let Some(i) = g.1.iter().position(|&c| c == b'\n') {
                let line: Vec<u8> = g.1.drain(..=i).collect();
                let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
                g.2.push(format!("{t:.3} {text}"));
            }
        }));
        let process = runtime
            .spawn(ProcessSpec {
                argv: argv.to_vec(),
                env: full_env,
                cwd: cwd.to_string(),
                root: root.to_path_buf(),
                mounts: Vec::new(),
                stdin: Stdin::Null,
                stdout: out.clone(),
                stderr: out,
                limits: Limits::default(),
            })
            .map_err(|e| fail(&e))?;
        self.engine.interruptible(&process);
        let mut all = Vec::new();
        let mut pass_on = |lines: Vec<String>| {
            for l in lines {
                log(&l);
                all.push(l);
            }
        };
        let code = loop {
            let ended = process.wait_timeout(std::time::Duration::from_millis(40));
            pass_on(std::mem::take(&mut sink.lock().unwrap_or_else(std::sync::PoisonError::into_inner).2));
            if let Some(code) = ended {
                break code;
            }
        };
        let rest = {
            let mut g = sink.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let t = g.0.elapsed().as_secs_f64();
            let tail = std::mem::take(&mut g.1);
            (!tail.is_empty()).then(|| format!("{t:.3} {}", String::from_utf8_lossy(&tail)))
        };
        pass_on(rest.into_iter().collect());
        Ok((code, all))
    }

    /// A step that makes a layer: from the cache when its key is known, else made by `make` into a fresh folder,
    /// its output lines shown as they come.
    fn layer_step(
        &mut self,
        progress: &mut Progress,
        name: &str,
        key: &str,
        make: impl FnOnce(&Builder, &Path, &mut dyn FnMut(&str)) -> Result<(), Failure>,
    ) -> Result<CachedStep, Failure> {
        let v = progress.start(name);
        // Ctrl-C during the build (see `SimEngine::interrupted`) cancels it before its next step.
        if self.engine.interrupted() {
            let f = Failure::solve("Canceled: context canceled");
            progress.error(&v, f.message.trim_start_matches("failed to solve: "));
            return Err(f);
        }
        if let Some(hit) = self.lookup(key) {
            progress.cached(&v, name);
            self.cached.push(name.to_string());
            return Ok(hit);
        }
        let tmp = self.engine.dir().join("layers").join(format!("{}.tmp", crate::engine::sim::new_id()));
        if let Err(mut f) = make(self, &tmp, &mut |line: &str| progress.log(&v, line)) {
            let _ = fs::remove_dir_all(&tmp);
            let msg = f.message.trim_start_matches("failed to solve: ").to_string();
            progress.error(&v, &msg);
            if let Some((vn, _)) = f.vertex.as_deref_mut() {
                name.clone_into(vn);
            }
            return Err(f);
        }
        fs::create_dir_all(&tmp).map_err(|e| Failure::solve(e.to_string()))?;
        let (layer, size) = context::store_layer(&self.engine.dir().join("layers"), &tmp).map_err(|e| fail(&e))?;
        let step = record(layer, size);
        self.new_cache.insert(key.to_string(), step.clone());
        self.ran.push(name.to_string());
        progress.done(&v);
        Ok(step)
    }
}
