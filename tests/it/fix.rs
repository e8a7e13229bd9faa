//! Autofix: every fix fixture's `--diff` snapshotted, and the loop's guarantees (no overlap, idempotence, a fix
//! whose result would not parse or would raise a new finding is refused) checked on real rules.
//!
//! A fixture is `tests/fixtures/fix/<CODE>_<what>.<ext>`, a Dockerfile (`.Dockerfile`) or a shell script
//! (`.sh`), or a folder holding a `Dockerfile` and the build context it is built from. Only CODE's rule runs,
//! with unsafe fixes on, so the snapshot shows exactly that rule's fix.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use docklings::commands::lint::{ContextInfo, Totals, unified_diff};
use docklings::dockerfile;
use docklings::lint::fix::{self, Linter, Outcome};
use docklings::lint::{
    self, BuildContext, Config, Diagnostic, Edit, Fix, Level, Safety, ScriptKind, Settings, Violation, Workspace,
};

struct Fs;

impl Workspace for Fs {
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

/// Settings that run only `code` (and its rule even when it is off by default).
fn only(code: &str) -> Settings {
    let others = lint::RULES.iter().filter(|r| r.code != code).map(|r| r.code.to_string()).collect();
    let config = Config { enabled: vec![code.to_string()], ignored: others, ..Config::default() };
    Settings::new(&config, &[]).unwrap()
}

fn all_rules() -> Settings {
    Settings::new(&Config::default(), &[]).unwrap()
}

/// The file a fixture fixes, and whether it is a script.
fn subject(path: &Path) -> (PathBuf, bool) {
    if path.is_dir() {
        (path.join("Dockerfile"), false)
    } else {
        (path.to_path_buf(), path.extension().is_some_and(|e| e == "sh"))
    }
}

fn fix_file(file: &Path, src: &str, is_script: bool, settings: &Settings) -> Outcome {
    if is_script {
        fix::fix_script(src, ScriptKind::Shell, file, settings, &Fs, true)
    } else {
        let info = ContextInfo::read(file);
        fix::fix_dockerfile(src, settings, info.build_context(), true)
    }
}

fn count(diagnostics: &[Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

#[test]
fn fix_fixtures() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fix"), "*", |path| {
            let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix");
            if path.parent() != Some(base.as_path()) {
                return;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let code = name.split('_').next().unwrap();
            assert!(lint::registry::find(code).is_some(), "{name}: no rule {code}");
            let (file, is_script) = subject(path);
            let src = std::fs::read_to_string(&file).unwrap();
            let outcome = fix_file(&file, &src, is_script, &only(code));
            assert!(
                outcome.applied.iter().any(|a| a.code == code),
                "{name}: no {code} fix applied; refused: {:?}",
                outcome.refused
            );
            assert!(count(&outcome.after, code) < count(&outcome.before, code), "{name}: {code} not fewer");
            if !is_script {
                let (before, after) = (dockerfile::parse(&src).errors, dockerfile::parse(&outcome.text).errors);
                assert!(after.len() <= before.len(), "{name}: the fixed file does not parse: {after:?}");
            }
            // Idempotence: the fixed text has nothing left that this rule can fix.
            let again = fix_file(&file, &outcome.text, is_script, &only(code));
            assert!(!again.changed(), "{name}: a second --fix changed it again:\n{}", again.text);
            let mut totals = Totals::default();
            totals.add(&outcome);
            let mut report = unified_diff(&name, &src, &outcome.text);
            for a in &outcome.applied {
                let safety = if a.safety == Safety::Unsafe { " (unsafe)" } else { "" };
                report.push_str(&format!("applied {}{safety}: {}\n", a.code, a.title));
            }
            for r in &outcome.refused {
                report.push_str(&format!("refused {}: {}\n", r.code, r.reason));
            }
            report.push_str(&totals.line(false));
            insta::assert_snapshot!(report);
        });
    });
}

#[test]
fn fixes_that_meet_at_one_place_apply_in_turn() {
    // `-y` and `--no-install-recommends` both insert after `install`: one round takes one, the next the other.
    let src = "FROM debian:12.7\nRUN apt-get install curl=7.88.1-10+deb12u8\n";
    let out = fix::fix_dockerfile(src, &all_rules(), BuildContext::default(), true);
    let codes: Vec<&str> = out.applied.iter().map(|a| a.code).collect();
    assert!(codes.contains(&"DL3014") && codes.contains(&"DL3015"), "{codes:?}");
    let run = out.text.lines().nth(1).unwrap();
    assert!(run.contains(" -y") && run.contains(" --no-install-recommends"), "{run}");
    assert_eq!(run.matches("install").count(), 2, "one `install` and one flag naming it: {run}");
    assert_eq!(count(&out.after, "DL3014") + count(&out.after, "DL3015"), 0);
}

#[test]
fn fixing_twice_changes_nothing() {
    let src = "FROM debian:12.7\nMAINTAINER someone\nRUN apt-get update && apt-get install curl=7.88.1-10+deb12u8\n\
               ADD app.py /app/\nRUN pip install flask==3.0.3\nCMD python /app/app.py\n";
    for unsafe_fixes in [false, true] {
        let once = fix::fix_dockerfile(src, &all_rules(), BuildContext::default(), unsafe_fixes);
        assert!(once.applied.len() >= 6, "{:?}", once.applied);
        let twice = fix::fix_dockerfile(&once.text, &all_rules(), BuildContext::default(), unsafe_fixes);
        assert_eq!(twice.text, once.text);
        assert!(twice.applied.is_empty(), "{:?}", twice.applied);
    }
}

#[test]
fn a_fix_that_raises_a_new_finding_is_refused() {
    // Without a WORKDIR, `COPY . app/` is DL3045; DK1001's fix would add a second relative COPY, a new DL3045.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), "{}").unwrap();
    let dockerfile = dir.path().join("Dockerfile");
    let src = "FROM node:18.20.4\nCOPY . app/\nRUN npm install\n";
    std::fs::write(&dockerfile, src).unwrap();
    let info = ContextInfo::read(&dockerfile);
    let out = fix::fix_dockerfile(src, &all_rules(), info.build_context(), true);
    assert_eq!(out.text, src, "nothing applied");
    assert_eq!(out.refused.len(), 1, "{:?}", out.refused);
    assert_eq!(out.refused[0].code, "DK1001");
    assert!(out.refused[0].reason.contains("DL3045"), "{}", out.refused[0].reason);
    // With a WORKDIR the same fix is fine.
    let src = "FROM node:18.20.4\nWORKDIR /w\nCOPY . app/\nRUN npm install\n";
    let out = fix::fix_dockerfile(src, &all_rules(), info.build_context(), true);
    assert!(out.refused.is_empty(), "{:?}", out.refused);
    assert_eq!(out.text, "FROM node:18.20.4\nWORKDIR /w\nCOPY package.json app/\nRUN npm install\nCOPY . app/\n");
}

#[test]
fn a_fix_whose_result_would_not_parse_is_refused() {
    // The real linter and parser, plus a finding whose fix writes an instruction BuildKit does not know.
    let src = "FROM alpine:3.20\nCMD [\"sh\"]\n";
    let settings = all_rules();
    let lint = |t: &str| {
        let mut found = lint::lint_dockerfile(t, &settings, None);
        if let Some(at) = t.find("CMD") {
            let span = docklings::dockerfile::Span::new(at, at + 3);
            let edit = Edit { span, replacement: "CMDX".into() };
            let v = Violation::new(span, "test").fix(Fix::new("Break it", Safety::Safe, vec![edit]));
            found.push(Diagnostic { code: "DL3000", level: Level::Error, violation: v });
        }
        found
    };
    let problems = |t: &str| dockerfile::parse(t).errors.len();
    let out = fix::fix(src, &Linter { lint: &lint, problems: &problems }, false);
    assert_eq!(out.text, src);
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.refused[0].reason, "the result would not parse");
}

#[test]
fn unsafe_fixes_wait_to_be_asked() {
    let src = "FROM debian:12.7\nRUN apt-get install -y curl=7.88.1-10+deb12u8\n";
    let safe = fix::fix_dockerfile(src, &only("DL3015"), BuildContext::default(), false);
    assert_eq!(safe.text, src);
    assert_eq!(safe.unsafe_available, 1);
    let mut totals = Totals::default();
    totals.add(&safe);
    assert_eq!(totals.line(false), "Fixed 0 findings, 1 left; 1 more fix available with --unsafe-fixes");
}

fn docklings(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const DOCKERFILE: &str = "FROM debian:12.7\nMAINTAINER me\nRUN apt-get install curl=7.88.1-10+deb12u8\nUSER 10001\n";

#[test]
fn cli_fix_rewrites_files_and_diff_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("web")).unwrap();
    std::fs::write(d.join("web/Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(d.join("run.sh"), "#!/bin/sh\ndocker run busybox true\n").unwrap();

    let diff = docklings(d, &["lint", "--diff", "."], None);
    let out = text(&diff.stdout);
    assert!(out.contains("--- web/Dockerfile\n+++ web/Dockerfile\n"), "{out}");
    assert!(out.contains("+LABEL maintainer=\"me\"") && out.contains("+docker run --rm busybox true"), "{out}");
    assert!(
        text(&diff.stderr).contains("Would fix 3 findings in 2 files, 1 left; 1 more fix available"),
        "{}",
        text(&diff.stderr)
    );
    assert_eq!(std::fs::read_to_string(d.join("web/Dockerfile")).unwrap(), DOCKERFILE, "--diff wrote the file");

    let fixed = docklings(d, &["lint", "--fix", "--unsafe-fixes", "."], None);
    assert!(text(&fixed.stderr).contains("Fixed 4 findings in 2 files, 0 left"), "{}", text(&fixed.stderr));
    assert_eq!(fixed.status.code(), Some(0));
    let now = std::fs::read_to_string(d.join("web/Dockerfile")).unwrap();
    // `-y` went in first (DL3014 sorts first), then `--no-install-recommends` at the same place.
    assert_eq!(
        now,
        "FROM debian:12.7\nLABEL maintainer=\"me\"\nRUN apt-get install --no-install-recommends -y curl=7.88.1-10+deb12u8\nUSER 10001\n"
    );
    assert_eq!(std::fs::read_to_string(d.join("run.sh")).unwrap(), "#!/bin/sh\ndocker run --rm busybox true\n");
}

#[test]
fn cli_fix_of_stdin_prints_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = docklings(dir.path(), &["lint", "--fix", "-"], Some(DOCKERFILE));
    assert_eq!(
        text(&out.stdout),
        "FROM debian:12.7\nLABEL maintainer=\"me\"\nRUN apt-get install -y curl=7.88.1-10+deb12u8\nUSER 10001\n"
    );
    let err = text(&out.stderr);
    assert!(err.contains("DL3015"), "the finding left is reported on stderr: {err}");
    assert!(err.contains("Fixed 2 findings in 1 file, 1 left; 1 more fix available with --unsafe-fixes"), "{err}");
    assert_eq!(out.status.code(), Some(1), "DL3015 (info) is left, at the default threshold");
}

#[test]
fn cli_explain_names_the_lesson() {
    let dir = tempfile::tempdir().unwrap();
    let out = docklings(dir.path(), &["explain", "DK1001"], None);
    let shown = text(&out.stdout);
    assert!(shown.contains("## Learn more") && shown.contains("`docklings learn build-cache`"), "{shown}");
    let out = docklings(dir.path(), &["explain", "DK2002"], None);
    assert!(text(&out.stdout).contains("`docklings learn containers`"), "{}", text(&out.stdout));
}

/// Findings per code.
fn per_code(diagnostics: &[Diagnostic]) -> std::collections::BTreeMap<&'static str, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.code).or_insert(0) += 1;
    }
    counts
}

/// Issue 7's promise, over the shared corpus (`../shared/corpus/dockerfiles`, only read): with every fix applied,
/// unsafe ones too, each file still parses, no file gains a finding of any code, and the corpus has fewer findings.
#[test]
fn fixing_the_shared_corpus_leaves_files_that_parse_with_fewer_findings() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/dockerfiles");
    if !corpus.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI runs with ../shared beside the checkout");
        eprintln!("skipping fixing_the_shared_corpus…: no {} beside the checkout", corpus.display());
        return;
    }
    let settings = all_rules();
    let (mut before, mut after, mut changed) = (0usize, 0usize, 0usize);
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let src = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let outcome = fix::fix_dockerfile(&src, &settings, BuildContext::default(), true);
        let name = path.display();
        assert!(
            dockerfile::parse(&outcome.text).errors.len() <= dockerfile::parse(&src).errors.len(),
            "{name}: the fixed text parses worse than the original"
        );
        let (was, is) = (per_code(&outcome.before), per_code(&outcome.after));
        for (code, n) in &is {
            assert!(n <= was.get(code).unwrap_or(&0), "{name}: {code} went from {:?} to {n}", was.get(code));
        }
        let again = fix::fix_dockerfile(&outcome.text, &settings, BuildContext::default(), true);
        assert!(!again.changed(), "{name}: a second --fix changed it again");
        before += outcome.before.len();
        after += outcome.after.len();
        changed += usize::from(outcome.changed());
    }
    eprintln!("corpus --fix --unsafe-fixes: {changed} files changed, findings {before} -> {after}");
    assert!(changed > 0 && after < before, "{changed} files changed, findings {before} -> {after}");
}
