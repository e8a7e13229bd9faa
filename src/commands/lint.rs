//! `docklings lint`: finds the files, reads them and their configuration, runs the linter, renders the result.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::{Context as _, Result, anyhow};

use crate::cli::LintArgs;
use crate::lint::fix::{self, Outcome};
use crate::lint::render::{self, FileReport, Format};
use crate::lint::{self, BuildContext, Config, ScriptKind, Settings, Threshold, Workspace};

/// What a file is, for the linter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Dockerfile,
    Script(ScriptKind),
}

/// The kind of a file by its name, and for names without an extension by its first line (a shell shebang).
pub fn detect(path: &Path, first_line: Option<&str>) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    let is_dockerfile = matches!(lower.as_str(), "dockerfile" | "containerfile")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.");
    if is_dockerfile {
        return Some(FileKind::Dockerfile);
    }
    let ext = Path::new(&lower).extension().map(|e| e.to_string_lossy().to_string());
    let in_workflows = path.parent().is_some_and(|p| p.ends_with(".github/workflows"));
    let kind = match ext.as_deref() {
        Some("sh" | "bash") => ScriptKind::Shell,
        Some("mk") => ScriptKind::Makefile,
        Some("md" | "markdown") => ScriptKind::Markdown,
        Some("yml" | "yaml") if in_workflows => ScriptKind::Workflow,
        None if matches!(name.as_ref(), "Makefile" | "makefile" | "GNUmakefile") => ScriptKind::Makefile,
        None if first_line.is_some_and(is_shell_shebang) => ScriptKind::Shell,
        _ => return None,
    };
    Some(FileKind::Script(kind))
}

fn is_shell_shebang(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("#!") else { return false };
    let mut parts = rest.split_whitespace();
    let mut prog = parts.next().unwrap_or("").rsplit('/').next().unwrap_or("");
    if prog == "env" {
        prog = parts.find(|p| !p.starts_with('-')).unwrap_or("");
    }
    matches!(prog, "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh")
}

/// Reads the first line of a file without reading all of it.
fn first_line(path: &Path) -> Option<String> {
    let mut buf = [0u8; 128];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut buf)).ok()?;
    let text = String::from_utf8_lossy(&buf[..n]);
    Some(text.lines().next().unwrap_or("").to_string())
}

enum Target {
    Stdin,
    File(PathBuf, FileKind),
}

/// The files to lint: explicit files whatever their name (as Dockerfiles unless they look like scripts), and the
/// recognised files found by walking folders.
fn targets(paths: &[PathBuf]) -> Result<Vec<Target>> {
    let mut out = Vec::new();
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Target::Stdin);
            continue;
        }
        let meta = std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if meta.is_file() {
            let kind = detect(path, first_line(path).as_deref()).unwrap_or(FileKind::Dockerfile);
            out.push(Target::File(path.clone(), kind));
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .sort_by_file_path(Path::cmp)
            .build();
        for entry in walker {
            let entry = entry.with_context(|| format!("walking `{}`", path.display()))?;
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let p = entry.path();
            let needs_first_line = p.extension().is_none();
            let first = if needs_first_line { first_line(p) } else { None };
            if let Some(kind) = detect(p, first.as_deref()) {
                out.push(Target::File(p.to_path_buf(), kind));
            }
        }
    }
    Ok(out)
}

/// The configuration files looked for in each folder, nearest first; docklings' own wins over hadolint's.
const CONFIG_NAMES: [&str; 3] = [".docklings.toml", ".hadolint.yaml", ".hadolint.yml"];

/// The configuration file that applies in `dir`: the nearest one in it or a folder above.
pub(crate) fn nearest_config(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().flat_map(|d| CONFIG_NAMES.iter().map(move |n| d.join(n))).find(|p| p.is_file())
}

/// Reads a `.docklings.toml` or a `.hadolint.yaml`; the error names the file.
pub(crate) fn read_config(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read config `{}`", path.display()))?;
    let parsed = if path.extension().is_some_and(|e| e == "toml") {
        lint::config::parse_toml(&text)
    } else {
        lint::config::parse_hadolint_yaml(&text)
    };
    parsed.map_err(|e| anyhow!("in config `{}`: {e}", path.display()))
}

/// Settings and failure threshold for a file, found upward from its folder, cached per folder.
struct Configs {
    explicit: Option<Rc<(Settings, Option<Threshold>)>>,
    ignore: Vec<String>,
    by_dir: HashMap<PathBuf, Rc<(Settings, Option<Threshold>)>>,
}

impl Configs {
    fn new(args: &LintArgs) -> Result<Configs> {
        let explicit = match &args.config {
            Some(path) => {
                let config = read_config(path)?;
                let settings =
                    Settings::new(&config, &args.ignore).map_err(|e| anyhow!("in config `{}`: {e}", path.display()))?;
                Some(Rc::new((settings, config.failure_threshold)))
            }
            None => None,
        };
        Ok(Configs { explicit, ignore: args.ignore.clone(), by_dir: HashMap::new() })
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Rc<(Settings, Option<Threshold>)>> {
        if let Some(e) = &self.explicit {
            return Ok(e.clone());
        }
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(found) = self.by_dir.get(&dir) {
            return Ok(found.clone());
        }
        let found = match CONFIG_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) {
            Some(path) => {
                let config = read_config(&path)?;
                let settings =
                    Settings::new(&config, &self.ignore).map_err(|e| anyhow!("in config `{}`: {e}", path.display()))?;
                Rc::new((settings, config.failure_threshold))
            }
            None => {
                if let Some(parent) = dir.parent() {
                    self.for_dir(parent)?
                } else {
                    let settings =
                        Settings::new(&Config::default(), &self.ignore).map_err(|e| anyhow!("--ignore: {e}"))?;
                    Rc::new((settings, None))
                }
            }
        };
        self.by_dir.insert(dir, found.clone());
        Ok(found)
    }
}

/// Reads the files rules ask for (the Dockerfile a script builds), remembering what it read.
#[derive(Default)]
pub(crate) struct FsWorkspace {
    cache: RefCell<HashMap<PathBuf, Option<String>>>,
}

impl Workspace for FsWorkspace {
    fn read(&self, path: &Path) -> Option<String> {
        self.cache
            .borrow_mut()
            .entry(path.to_path_buf())
            .or_insert_with(|| std::fs::read(path).ok().map(|b| String::from_utf8_lossy(&b).into_owned()))
            .clone()
    }
}

fn display(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// What the build context of a Dockerfile on disk holds, as far as the rules look: the files at the top of its
/// folder that `.dockerignore` lets through (dependency manifests live there; a walk of the whole tree would cost
/// more than the lint), and the `.dockerignore` text (`<name>.dockerignore` beside the Dockerfile wins, as in
/// BuildKit).
#[derive(Default)]
pub struct ContextInfo {
    pub files: Option<Rc<[String]>>,
    pub dockerignore: Option<String>,
}

/// The build contexts read during one run, by folder and `.dockerignore` text: a folder of many Dockerfiles is
/// listed once, not once per Dockerfile.
#[derive(Default)]
pub struct ContextCache {
    listings: HashMap<(PathBuf, Option<String>), Listing>,
}

/// A build context's files (`None` when its folder cannot be read).
type Listing = Option<Rc<[String]>>;

impl ContextInfo {
    /// Reads the build context of a Dockerfile on disk afresh.
    #[must_use]
    pub fn read(dockerfile: &Path) -> ContextInfo {
        Self::read_cached(dockerfile, &mut ContextCache::default())
    }

    /// Reads the build context of a Dockerfile on disk, listing each folder once per `cache`.
    #[must_use]
    pub fn read_cached(dockerfile: &Path, cache: &mut ContextCache) -> ContextInfo {
        let dir = dockerfile.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let own = dockerfile.file_name().map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
        let dockerignore = own
            .into_iter()
            .chain([dir.join(".dockerignore")])
            .find_map(|p| std::fs::read(p).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let key = (dir.to_path_buf(), dockerignore.clone());
        let files = cache
            .listings
            .entry(key)
            .or_insert_with(|| {
                let ignore = crate::dockerignore::DockerIgnore::parse(dockerignore.as_deref().unwrap_or("")).0;
                std::fs::read_dir(dir).ok().map(|entries| {
                    let mut names: Vec<String> = entries
                        .filter_map(Result::ok)
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !ignore.is_excluded(n))
                        .collect();
                    names.sort();
                    names.into()
                })
            })
            .clone();
        ContextInfo { files, dockerignore }
    }

    #[must_use]
    pub fn build_context(&self) -> BuildContext<'_> {
        BuildContext { files: self.files.as_deref(), dockerignore: self.dockerignore.as_deref() }
    }
}

/// One file to lint, read.
struct Input {
    path: PathBuf,
    /// The name shown in reports.
    name: String,
    src: String,
    kind: FileKind,
    stdin: bool,
}

fn read_input(target: Target, args: &LintArgs) -> Result<Input> {
    let (path, name, bytes, kind, stdin) = match target {
        Target::Stdin => {
            let mut buf = Vec::new();
            io::stdin().read_to_end(&mut buf).context("cannot read standard input")?;
            let name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
            let kind = detect(Path::new(&name), None).unwrap_or(FileKind::Dockerfile);
            (PathBuf::from(&name), name, buf, kind, true)
        }
        Target::File(path, kind) => {
            let bytes = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
            let name = display(&path);
            (path, name, bytes, kind, false)
        }
    };
    let src = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Input { path, name, src, kind, stdin })
}

/// Runs `docklings lint`; returns whether any finding reached the failure threshold.
pub fn run(args: &LintArgs) -> Result<bool> {
    if args.fix || args.diff {
        return run_fix(args);
    }
    let targets = targets(&args.paths)?;
    let mut configs = Configs::new(args)?;
    let workspace = FsWorkspace::default();
    let mut contexts = ContextCache::default();
    let mut reports = Vec::new();
    let mut failed = false;
    let checked = targets.len();
    for target in targets {
        let input = read_input(target, args)?;
        let dir = input.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let config = configs.for_dir(dir)?;
        let (settings, file_threshold) = &*config;
        let diagnostics = match input.kind {
            FileKind::Dockerfile => {
                let info = if input.stdin {
                    ContextInfo::default()
                } else {
                    ContextInfo::read_cached(&input.path, &mut contexts)
                };
                lint::lint_dockerfile_with(&input.src, settings, info.build_context())
            }
            FileKind::Script(k) => lint::lint_script(&input.src, k, &input.path, settings, &workspace),
        };
        let threshold = args.failure_threshold.or(*file_threshold).unwrap_or(Threshold::Level(lint::Level::Info));
        failed |= lint::fails(&diagnostics, threshold);
        if !diagnostics.is_empty() {
            reports.push(FileReport { path: input.name, src: input.src, diagnostics });
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    render::render(args.format, &reports, checked, &mut out).context("writing the report")?;
    out.flush().context("writing the report")?;
    Ok(failed)
}

/// What `--fix` and `--diff` did over all files, for the closing line.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub fixed: usize,
    pub files: usize,
    pub left: usize,
    pub unsafe_available: usize,
}

impl Totals {
    pub fn add(&mut self, outcome: &Outcome) {
        self.fixed += outcome.applied.len();
        self.files += usize::from(outcome.changed());
        self.left += outcome.after.len();
        self.unsafe_available += outcome.unsafe_available;
    }

    /// `Fixed 7 findings in 3 files, 2 left; 1 more fix available with --unsafe-fixes` (`Would fix` for a diff).
    #[must_use]
    pub fn line(&self, dry_run: bool) -> String {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let verb = if dry_run { "Would fix" } else { "Fixed" };
        let mut s = format!("{verb} {}", plural(self.fixed, "finding", "findings"));
        if self.fixed > 0 {
            s.push_str(&format!(" in {}", plural(self.files, "file", "files")));
        }
        s.push_str(&format!(", {} left", self.left));
        if self.unsafe_available > 0 {
            s.push_str(&format!(
                "; {} more {} available with --unsafe-fixes",
                self.unsafe_available,
                if self.unsafe_available == 1 { "fix" } else { "fixes" }
            ));
        }
        s
    }
}

/// A unified diff of a file's change, headed with its name.
#[must_use]
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(name, name).to_string()
}

/// `docklings lint --fix` / `--diff`: fixes every file, writes it back (or prints the fixed standard input, or a
/// diff), reports what is left, and ends with the totals on standard error.
fn run_fix(args: &LintArgs) -> Result<bool> {
    let targets = targets(&args.paths)?;
    let mut configs = Configs::new(args)?;
    let workspace = FsWorkspace::default();
    let mut contexts = ContextCache::default();
    let mut reports = Vec::new();
    let mut failed = false;
    let mut totals = Totals::default();
    let mut fixed_stdin = false;
    let checked = targets.len();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for target in targets {
        let input = read_input(target, args)?;
        let dir = input.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let config = configs.for_dir(dir)?;
        let (settings, file_threshold) = &*config;
        let outcome = match input.kind {
            FileKind::Dockerfile => {
                let info = if input.stdin {
                    ContextInfo::default()
                } else {
                    ContextInfo::read_cached(&input.path, &mut contexts)
                };
                fix::fix_dockerfile(&input.src, settings, info.build_context(), args.unsafe_fixes)
            }
            FileKind::Script(k) => fix::fix_script(&input.src, k, &input.path, settings, &workspace, args.unsafe_fixes),
        };
        for r in &outcome.refused {
            eprintln!("{}: {} fix \"{}\" not applied: {}", input.name, r.code, r.title, r.reason);
        }
        if args.diff {
            if outcome.changed() {
                write!(out, "{}", unified_diff(&input.name, &input.src, &outcome.text)).context("writing the diff")?;
            }
        } else if input.stdin {
            out.write_all(outcome.text.as_bytes()).context("writing the fixed text")?;
            fixed_stdin = true;
        } else if outcome.changed() {
            std::fs::write(&input.path, &outcome.text)
                .with_context(|| format!("cannot write `{}`", input.path.display()))?;
        }
        let threshold = args.failure_threshold.or(*file_threshold).unwrap_or(Threshold::Level(lint::Level::Info));
        failed |= lint::fails(&outcome.after, threshold);
        totals.add(&outcome);
        if !outcome.after.is_empty() {
            reports.push(FileReport { path: input.name, src: outcome.text, diagnostics: outcome.after });
        }
    }
    out.flush().context("writing the output")?;
    drop(out);
    if !args.diff {
        // The findings left, where the fixed text does not go: standard output, unless it holds the fixed stdin.
        if fixed_stdin {
            let mut err = io::stderr().lock();
            render::render(args.format, &reports, checked, &mut err).context("writing the report")?;
        } else {
            let mut out = io::BufWriter::new(io::stdout().lock());
            render::render(args.format, &reports, checked, &mut out).context("writing the report")?;
            out.flush().context("writing the report")?;
        }
    }
    eprintln!("{}", totals.line(args.diff));
    Ok(failed)
}

/// Whether colour is on for a `--color` choice: `auto` means a terminal and no `NO_COLOR`.
#[must_use]
pub fn colour_enabled(choice: crate::cli::ColorChoice, format: Option<Format>) -> bool {
    use crate::cli::ColorChoice;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && io::stdout().is_terminal()
                && format.is_none_or(|f| f == Format::Tty)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_file_kinds() {
        let d = |p: &str, l: Option<&str>| detect(Path::new(p), l);
        assert_eq!(d("a/Dockerfile", None), Some(FileKind::Dockerfile));
        assert_eq!(d("web.Dockerfile", None), Some(FileKind::Dockerfile));
        assert_eq!(d("Dockerfile.prod", None), Some(FileKind::Dockerfile));
        assert_eq!(d("Containerfile", None), Some(FileKind::Dockerfile));
        assert_eq!(d("deploy.sh", None), Some(FileKind::Script(ScriptKind::Shell)));
        assert_eq!(d("bin/deploy", Some("#!/usr/bin/env bash")), Some(FileKind::Script(ScriptKind::Shell)));
        assert_eq!(d("bin/deploy", Some("#!/usr/bin/env python3")), None);
        assert_eq!(d("Makefile", None), Some(FileKind::Script(ScriptKind::Makefile)));
        assert_eq!(d(".github/workflows/ci.yml", None), Some(FileKind::Script(ScriptKind::Workflow)));
        assert_eq!(d("config/ci.yml", None), None);
        assert_eq!(d("README.md", None), Some(FileKind::Script(ScriptKind::Markdown)));
    }
}
