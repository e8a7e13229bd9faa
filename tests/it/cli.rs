//! The `docklings lint` command as a user runs it: exit codes, formats, configuration, pragmas, folders.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn docklings(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn json(o: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

#[test]
fn exit_codes_follow_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "clean/Dockerfile", "FROM alpine:3.20\nCMD [\"sh\"]\n");
    write(dir.path(), "dirty/Dockerfile", "FROM alpine:latest\n");
    let clean = docklings(dir.path(), &["lint", "clean/Dockerfile"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("No problems found in 1 file"));
    let dirty = docklings(dir.path(), &["lint", "dirty/Dockerfile"]);
    assert_eq!(dirty.status.code(), Some(1));
    assert!(stdout(&dirty).contains("warning[DL3007]"));
    let below = docklings(dir.path(), &["lint", "--failure-threshold", "error", "dirty/Dockerfile"]);
    assert_eq!(below.status.code(), Some(0));
    let missing = docklings(dir.path(), &["lint", "nowhere/Dockerfile"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("nowhere/Dockerfile"), "{}", stderr(&missing));
    let bad_threshold = docklings(dir.path(), &["lint", "--failure-threshold", "fatal", "clean/Dockerfile"]);
    assert_eq!(bad_threshold.status.code(), Some(2));
}

#[test]
fn a_parse_error_is_a_finding_and_the_rest_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM alpine:latest\nRUNN echo hi\nCOPY a\nFROM debian\n");
    let out = docklings(dir.path(), &["lint", "--format", "json", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(1));
    let findings = json(&out);
    let codes: Vec<(&str, i64)> =
        findings.iter().map(|f| (f["code"].as_str().unwrap(), f["line"].as_i64().unwrap())).collect();
    assert_eq!(codes, [("DL3007", 1), ("DL1000", 2), ("DL1000", 3), ("DL3006", 4)]);
    assert_eq!(findings[1]["column"], 1);
    assert_eq!(findings[1]["level"], "error");
}

#[test]
fn json_has_the_contract_keys() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\n");
    let findings = json(&docklings(dir.path(), &["lint", "-f", "json", "Dockerfile"]));
    let f = &findings[0];
    for key in ["code", "file", "line", "column", "end_line", "end_column", "level", "message"] {
        assert!(f.get(key).is_some(), "missing {key} in {f}");
    }
    assert_eq!(
        (f["code"].as_str(), f["file"].as_str(), f["line"].as_i64()),
        (Some("DK1001"), Some("Dockerfile"), Some(3))
    );
    assert_eq!((f["column"].as_i64(), f["end_column"].as_i64()), (Some(6), Some(7)));
}

#[test]
fn every_format_renders_the_same_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM debian\n");
    let run = |f: &str| stdout(&docklings(dir.path(), &["lint", "--format", f, "Dockerfile"]));
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "DL3006");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let idx = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "DL3006");
    assert!(rules[idx]["shortDescription"]["text"].as_str().unwrap().len() > 10);
    let checkstyle = run("checkstyle");
    assert!(checkstyle.contains(r#"<file name="Dockerfile">"#) && checkstyle.contains(r#"source="docklings.DL3006""#));
    assert_eq!(run("gnu").trim_end().lines().count(), 1);
    assert!(run("gnu").starts_with("Dockerfile:1.6-1.12: warning: "), "{}", run("gnu"));
    let cc: serde_json::Value = serde_json::from_str(&run("codeclimate")).unwrap();
    assert_eq!(cc[0]["check_name"], "DL3006");
    assert_eq!(cc[0]["location"]["lines"]["begin"], 1);
    assert_eq!(cc[0]["fingerprint"].as_str().unwrap().len(), 32);
}

#[test]
fn colour_follows_flag_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Dockerfile", "FROM debian\n");
    let always = stdout(&docklings(dir.path(), &["lint", "--color", "always", "Dockerfile"]));
    assert!(always.contains("\x1b["));
    let never = stdout(&docklings(dir.path(), &["lint", "--color", "never", "Dockerfile"]));
    assert!(!never.contains("\x1b["));
    let piped = stdout(&docklings(dir.path(), &["lint", "Dockerfile"]));
    assert!(!piped.contains("\x1b["), "auto must not colour a pipe");
}

#[test]
fn folders_are_walked_honouring_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".gitignore", "vendor/\n");
    write(d, "Dockerfile", "FROM debian\n");
    write(d, "services/api.Dockerfile", "FROM debian\n");
    write(d, "services/Dockerfile.prod", "FROM debian\n");
    write(d, "vendor/Dockerfile", "FROM debian\n");
    write(d, "scripts/deploy", "#!/usr/bin/env bash\ndocker run busybox true\n");
    write(d, ".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: docker run alpine echo hi\n");
    write(d, "docs/README.md", "```sh\ndocker run alpine true\n```\n");
    write(d, "notes.txt", "FROM debian\n");
    let findings = json(&docklings(d, &["lint", "-f", "json"]));
    let mut files: Vec<&str> = findings.iter().map(|f| f["file"].as_str().unwrap()).collect();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            ".github/workflows/ci.yml",
            "Dockerfile",
            "docs/README.md",
            "scripts/deploy",
            "services/Dockerfile.prod",
            "services/api.Dockerfile"
        ]
    );
}

#[test]
fn stdin_is_read_with_a_name() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(["lint", "-f", "json", "--stdin-filename", "web/Dockerfile", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"FROM debian\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let findings = json(&out);
    assert_eq!(findings[0]["file"], "web/Dockerfile");
    assert_eq!(findings[0]["code"], "DL3006");
}

#[test]
fn configs_are_found_upward_and_hadolint_yaml_works() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a/.hadolint.yaml", "ignored:\n  - DL3006\n");
    write(d, "a/b/Dockerfile", "FROM debian\nFROM node:latest\n");
    write(d, "c/.docklings.toml", "[lint]\nfailure-threshold = \"error\"\n[lint.override]\nerror = [\"LatestTag\"]\n");
    write(d, "c/Dockerfile", "FROM node:latest\n");
    let a = docklings(d, &["lint", "-f", "json", "a/b/Dockerfile"]);
    let codes: Vec<String> = json(&a).iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, ["DL3007"]);
    let c = docklings(d, &["lint", "-f", "json", "c/Dockerfile"]);
    assert_eq!(json(&c)[0]["level"], "error");
    assert_eq!(c.status.code(), Some(1));
    let ignored = docklings(d, &["lint", "--ignore", "DL3007", "c/Dockerfile"]);
    assert_eq!(ignored.status.code(), Some(0));
    write(d, "bad/.docklings.toml", "[lint]\nignored = [\"DL3006\"]\n");
    write(d, "bad/Dockerfile", "FROM debian\n");
    let bad = docklings(d, &["lint", "bad/Dockerfile"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("bad/.docklings.toml") && stderr(&bad).contains("ignored"), "{}", stderr(&bad));
    let unknown = docklings(d, &["lint", "--ignore", "LatestTags", "c/Dockerfile"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean `LatestTag`"), "{}", stderr(&unknown));
}

#[test]
fn pragmas_silence_the_next_instruction_or_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "Dockerfile",
        "# hadolint ignore=DL3006\nFROM debian\n# docklings ignore=LatestTag # pinned by the CI job\nFROM node:latest\nFROM nginx:latest\n",
    );
    let codes: Vec<i64> = json(&docklings(d, &["lint", "-f", "json", "Dockerfile"]))
        .iter()
        .map(|f| f["line"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [5]);
    write(d, "g/Dockerfile", "FROM debian\n# docklings global ignore=DL3006,DL3007\nFROM node:latest\n");
    assert_eq!(docklings(d, &["lint", "g/Dockerfile"]).status.code(), Some(0));
}

#[test]
fn explain_shows_the_fixed_headings() {
    let dir = tempfile::tempdir().unwrap();
    let out = docklings(dir.path(), &["explain", "dk1001"]);
    let text = stdout(&out);
    for heading in ["# DK1001 CopyBeforeInstall", "## What it does", "## Why", "## Example", "## Use instead", "## Fix"]
    {
        assert!(text.contains(heading), "missing {heading}:\n{text}");
    }
    let unknown = docklings(dir.path(), &["explain", "DK1010"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("did you mean"), "{}", stderr(&unknown));
}
