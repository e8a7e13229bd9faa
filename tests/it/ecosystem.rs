//! docklings in other people's tools: shell completions, the man page, the pre-commit hook, the GitHub Actions
//! example, the project's own Dockerfile, and SARIF output checked against the SARIF 2.1.0 schema.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn docklings(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn yaml(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{} should hold one YAML document", path.display());
    docs.remove(0)
}

const SUBCOMMANDS: [&str; 4] = ["lint", "learn", "lessons", "explain"];

#[test]
fn every_shell_gets_a_completion_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = docklings(&repo(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = stdout(&out);
        assert!(script.contains("docklings"), "{shell}'s script does not name docklings");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}'s script does not mention `{sub}`");
        }
        // Options of a subcommand are completed too, not only the subcommand names.
        assert!(script.contains("failure-threshold"), "{shell}'s script lacks lint's --failure-threshold");
    }
    let unknown = docklings(&repo(), &["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docklings.bash");
    let out = docklings(&repo(), &["completions", "bash"]);
    std::fs::write(&path, &out.stdout).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().expect("bash is needed for this test");
    assert!(check.status.success(), "bash -n: {}", String::from_utf8_lossy(&check.stderr));
    // Sourcing it registers the completion function for docklings.
    let registered = Command::new("bash")
        .arg("-c")
        .arg(format!("source '{}' && complete -p docklings", path.display()))
        .output()
        .unwrap();
    assert!(registered.status.success(), "{}", String::from_utf8_lossy(&registered.stderr));
    assert!(String::from_utf8_lossy(&registered.stdout).contains("docklings"));
}

#[test]
fn the_man_page_is_roff_that_man_renders() {
    let out = docklings(&repo(), &["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let page = stdout(&out);
    assert!(page.contains(".TH docklings 1"), "no .TH header:\n{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(sub), "the man page does not mention `{sub}`");
    }
    // The main page refers to one page per subcommand, and `docklings man SUBCOMMAND` prints it.
    assert!(page.contains("docklings\\-lint(1)"), "no reference to docklings-lint(1)");
    let lint = docklings(&repo(), &["man", "lint"]);
    assert_eq!(lint.status.code(), Some(0));
    let lint = stdout(&lint);
    assert!(lint.contains(".TH docklings-lint 1") && lint.contains("failure\\-threshold"), "{lint}");
    assert!(lint.contains(env!("CARGO_PKG_VERSION")), "the page does not name the version");
    assert_eq!(docklings(&repo(), &["man", "nope"]).status.code(), Some(2));
    // `man` is hidden from help but still works.
    let help = stdout(&docklings(&repo(), &["--help"]));
    assert!(help.contains("completions") && !help.contains("\n  man "), "{help}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docklings.1");
    std::fs::write(&path, &out.stdout).unwrap();
    let Ok(rendered) = Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
    else {
        eprintln!("man is not installed: only the roff text was checked");
        return;
    };
    assert!(rendered.status.success(), "man -l: {}", String::from_utf8_lossy(&rendered.stderr));
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(text.contains("NAME") && text.contains("SYNOPSIS"), "{text}");
    assert!(!text.contains(".TH"), "man printed the roff source instead of rendering it:\n{text}");
}

#[test]
fn the_pre_commit_hook_runs_docklings_lint_on_dockerfiles() {
    let hooks = yaml(&repo().join(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_vec().expect("a list of hooks");
    let hook =
        hooks.iter().find(|h| h["id"].as_str() == Some("docklings-lint")).expect("a hook with id docklings-lint");
    assert_eq!(hook["entry"].as_str(), Some("docklings lint"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert!(hook["name"].as_str().is_some_and(|n| !n.is_empty()));
    // pre-commit searches each staged path (relative, with forward slashes) with this Python regex; the syntax
    // used is common to Python's `re` and the regex crate.
    let files = regex::Regex::new(hook["files"].as_str().expect("a files pattern")).unwrap();
    for path in [
        "Dockerfile",
        "app.Dockerfile",
        "Containerfile",
        "Dockerfile.dev",
        "services/api/Dockerfile",
        "deploy/web.Dockerfile",
    ] {
        assert!(files.is_match(path), "the hook skips {path}");
    }
    for path in ["README.md", "Dockerfiles/notes.txt", "docs/Dockerfile-guide/index.md", "MyDockerfile.md"] {
        assert!(!files.is_match(path), "the hook runs on {path}");
    }
}

#[test]
fn the_github_actions_example_uploads_docklings_sarif() {
    let workflow = yaml(&repo().join("examples/github-actions/docklings.yml"));
    assert!(!workflow["on"].is_badvalue(), "the workflow has no triggers");
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    let (_, job) = jobs.iter().next().expect("one job");
    assert_eq!(
        job["permissions"]["security-events"].as_str(),
        Some("write"),
        "uploading to code scanning needs security-events: write"
    );
    let steps = job["steps"].as_vec().expect("steps");
    let position = |what: &dyn Fn(&Yaml) -> bool| steps.iter().position(what);
    let checkout = position(&|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@")));
    let install =
        position(&|s| s["run"].as_str().is_some_and(|r| r.contains("cargo install") && r.contains("docklings")));
    let lint =
        position(&|s| s["run"].as_str().is_some_and(|r| r.contains("docklings lint --format sarif > docklings.sarif")));
    let upload = position(&|s| s["uses"].as_str().is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@")));
    let (Some(checkout), Some(install), Some(lint), Some(upload)) = (checkout, install, lint, upload) else {
        panic!("missing a step: checkout {checkout:?}, install {install:?}, lint {lint:?}, upload {upload:?}");
    };
    assert!(checkout < lint && install < lint && lint < upload, "the steps are out of order");
    assert_eq!(steps[upload]["with"]["sarif_file"].as_str(), Some("docklings.sarif"));
}

/// The JSON findings of `docklings lint --format json` on `paths`, run in `dir`.
fn findings(dir: &Path, paths: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let mut args = vec!["lint", "--format", "json"];
    args.extend_from_slice(paths);
    let out = docklings(dir, &args);
    let list = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&out)));
    (out.status.code(), list)
}

#[test]
fn the_projects_own_dockerfile_passes_its_linter() {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    // What the brief for this image asks: more than one stage, a non-root user at the end, pinned base images.
    let froms: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert!(froms.len() >= 2, "not a multi-stage build: {froms:?}");
    for from in &froms {
        let image = from.split_whitespace().nth(1).unwrap();
        assert!(image.contains(':') && !image.ends_with(":latest"), "{image} is not pinned to a tag");
    }
    let user = text.lines().rev().find(|l| l.starts_with("USER ")).expect("a USER instruction");
    assert!(!matches!(user.trim(), "USER root" | "USER 0"), "{user}");

    let (status, list) = findings(&repo(), &["--failure-threshold", "style", "Dockerfile"]);
    assert!(list.is_empty(), "docklings finds problems in its own Dockerfile: {list:#?}");
    assert_eq!(status, Some(0));
    // The same run does find things in a Dockerfile with problems, so the empty list above means something.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), "FROM debian\nRUN apt-get install curl\n").unwrap();
    let (status, list) = findings(dir.path(), &["--failure-threshold", "style", "Dockerfile"]);
    assert!(!list.is_empty());
    assert_eq!(status, Some(1));
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema_path = repo().join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    // Formats too (`uri`, `uri-reference`, `date-time`): GitHub rejects a log whose URIs do not parse.
    let validator =
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the vendored schema compiles");

    // Every lint fixture: every rule's findings, fixes, scripts and Markdown as well as Dockerfiles, and a file
    // that does not parse; plus a path that needs escaping in a URI.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("my app.Dockerfile"), "FROM alpine:latest\nRUNN echo\n").unwrap();
    let fixtures = repo().join("tests/fixtures/lint");
    let out = docklings(dir.path(), &["lint", "--format", "sarif", fixtures.to_str().unwrap(), "my app.Dockerfile"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).take(20).collect();
    assert!(errors.is_empty(), "SARIF output breaks the 2.1.0 schema:\n{}", errors.join("\n"));

    // The log must carry what is being validated, or the check above proves little.
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() > 100, "only {} results", results.len());
    assert!(results.iter().any(|r| r["fixes"].is_array()), "no result with a fix");
    assert!(results.iter().any(|r| r["ruleId"] == "DL1000"), "no parse error");
    assert!(results.iter().any(|r| r["ruleId"].as_str().is_some_and(|c| c.starts_with("DK2"))), "no script finding");
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"my%20app.Dockerfile"), "{:?}", &uris[..uris.len().min(5)]);
    assert!(!log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().is_empty());

    // And the schema does reject a broken log: the validator is not vacuous.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = log.clone();
    broken["runs"][0]["tool"]["driver"]["informationUri"] = "not a uri".into();
    assert!(!validator.is_valid(&broken), "formats are not checked");
}
