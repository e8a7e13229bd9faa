//! Every lint fixture, run through its rule and snapshotted as a user sees it.
//!
//! A fixture is `tests/fixtures/lint/<CODE>_<fires|quiet>_<what>.<ext>`: a Dockerfile (`.Dockerfile`) or a
//! script (`.sh`, `.mk`, `.yml`, `.md`), or a folder holding a script and the files it builds from (the
//! script is the folder's `run.sh`, `Makefile`, `workflow.yml` or `README.md`; or a `Dockerfile` with the
//! `.hadolint.yaml` its rule needs). `fires` fixtures must raise
//! at least one finding of CODE, `quiet` ones none. The rendered tty output is the snapshot.

use std::path::{Path, PathBuf};

use docklings::lint::render::{FileReport, Format, render};
use docklings::lint::{self, Config, ScriptKind, Settings, Workspace};

struct Fs;

impl Workspace for Fs {
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

/// The file to lint in a fixture, and its kind (`None` for a Dockerfile).
fn subject(path: &Path) -> (PathBuf, Option<ScriptKind>) {
    let kind_of = |p: &Path| match p.extension().and_then(|e| e.to_str()) {
        Some("sh") => Some(ScriptKind::Shell),
        Some("mk") => Some(ScriptKind::Makefile),
        Some("yml") => Some(ScriptKind::Workflow),
        Some("md") => Some(ScriptKind::Markdown),
        _ if p.file_name().is_some_and(|n| n == "Makefile") => Some(ScriptKind::Makefile),
        _ => None,
    };
    if path.is_dir() {
        for name in ["run.sh", "Makefile", "workflow.yml", "README.md", "Dockerfile"] {
            let p = path.join(name);
            if p.exists() {
                return (p.clone(), kind_of(&p));
            }
        }
        panic!("{}: a fixture folder needs run.sh, Makefile, workflow.yml, README.md or Dockerfile", path.display());
    }
    (path.to_path_buf(), kind_of(path))
}

/// Lints one fixture with only its rule reported; returns the findings and the rendered report.
pub fn run_fixture(path: &Path, code: &str) -> (usize, String) {
    let (file, kind) = subject(path);
    let src = std::fs::read_to_string(&file).unwrap();
    // A fixture folder may hold the configuration its rule reads (a label schema, say) in `.hadolint.yaml`.
    let yaml = path.join(".hadolint.yaml");
    let mut config = if yaml.is_file() {
        lint::config::parse_hadolint_yaml(&std::fs::read_to_string(&yaml).unwrap()).unwrap()
    } else {
        Config::default()
    };
    config.enabled.push(code.to_string());
    let settings = Settings::new(&config, &[]).unwrap();
    let mut diagnostics = match kind {
        None => {
            // A fixture folder may also hold the `.dockerignore` of its build context.
            let ignore = std::fs::read_to_string(path.join(".dockerignore")).ok();
            let build = lint::BuildContext { files: None, dockerignore: ignore.as_deref() };
            lint::lint_dockerfile_with(&src, &settings, build)
        }
        Some(k) => lint::lint_script(&src, k, &file, &settings, &Fs),
    };
    diagnostics.retain(|d| d.code == code);
    let n = diagnostics.len();
    let name = file.strip_prefix(path.parent().unwrap()).unwrap().display().to_string();
    let mut out = Vec::new();
    colored::control::set_override(false);
    render(Format::Tty, &[FileReport { path: name, src, diagnostics }], 1, &mut out).unwrap();
    (n, String::from_utf8(out).unwrap())
}

#[test]
fn lint_fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lint"), "*", |path| {
            let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
            if path.parent() != Some(base.as_path()) {
                return;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let mut parts = name.splitn(3, '_');
            let (code, expect) = (parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(lint::registry::find(code).is_some(), "{name}: no rule {code}");
            let (n, report) = run_fixture(path, code);
            match expect {
                "fires" => assert!(n > 0, "{name}: expected {code} to fire\n{report}"),
                "quiet" => assert_eq!(n, 0, "{name}: expected no {code}\n{report}"),
                _ => panic!("{name}: fixture names are CODE_fires_… or CODE_quiet_…"),
            }
            insta::assert_snapshot!(report);
        });
    });
}

#[test]
fn every_rule_has_fixtures_both_ways() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    for rule in lint::RULES.iter().filter(|r| r.code != "DL1000") {
        for expect in ["fires", "quiet"] {
            let prefix = format!("{}_{expect}_", rule.code);
            assert!(names.iter().any(|n| n.starts_with(&prefix)), "{}: no fixture {prefix}…", rule.code);
        }
    }
}
