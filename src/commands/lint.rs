//! `docklings lint`: finds the files, reads them and their configuration, runs the linter, renders the result.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::{Context as _, Result, anyhow};

use crate::cli::LintArgs;
use crate::lint::render::{self, FileReport, Format};
use crate::lint::{self, Config, ScriptKind, Settings, Threshold, Workspace};

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

fn read_config(path: &Path) -> Result<Config> {
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
struct FsWorkspace {
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

/// Runs `docklings lint`; returns whether any finding reached the failure threshold.
pub fn run(args: &LintArgs) -> Result<bool> {
    let targets = targets(&args.paths)?;
    let mut configs = Configs::new(args)?;
    let workspace = FsWorkspace::default();
    let mut reports = Vec::new();
    let mut failed = false;
    let checked = targets.len();
    for target in targets {
        let (path, name, bytes, kind) = match target {
            Target::Stdin => {
                let mut buf = Vec::new();
                io::stdin().read_to_end(&mut buf).context("cannot read standard input")?;
                let name = args.stdin_filename.clone().unwrap_or_else(|| "-".into());
                let kind = detect(Path::new(&name), None).unwrap_or(FileKind::Dockerfile);
                (PathBuf::from(&name), name, buf, kind)
            }
            Target::File(path, kind) => {
                let bytes = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
                let name = display(&path);
                (path, name, bytes, kind)
            }
        };
        let src = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let config = configs.for_dir(dir)?;
        let (settings, file_threshold) = &*config;
        let diagnostics = match kind {
            FileKind::Dockerfile => lint::lint_dockerfile(&src, settings, None),
            FileKind::Script(k) => lint::lint_script(&src, k, &path, settings, &workspace),
        };
        let threshold = args.failure_threshold.or(*file_threshold).unwrap_or(Threshold::Level(lint::Level::Info));
        failed |= lint::fails(&diagnostics, threshold);
        if !diagnostics.is_empty() {
            reports.push(FileReport { path: name, src, diagnostics });
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    render::render(args.format, &reports, checked, &mut out).context("writing the report")?;
    out.flush().context("writing the report")?;
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
