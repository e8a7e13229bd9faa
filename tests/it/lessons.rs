//! `docklings lessons list|check` as an instructor runs it on a folder of lessons, on the simulated engine.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn docklings(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(args)
        .current_dir(dir)
        .env("DOCKLINGS_HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A lesson with one step whose solution and goals the test chooses.
fn lesson(id: &str, steps: &[(&str, &[&str], &str)]) -> String {
    let mut text = format!(
        "+++\nid = \"{id}\"\ntitle = \"Lesson {id}\"\n\n[files]\n\"greeting.txt\" = \"hello from the work folder\\n\"\n+++\n\nWhy.\n"
    );
    for (title, goals, solution) in steps {
        text.push_str(&format!("\n## {title}\n\nDo it.\n\n### Goals\n\n"));
        for g in *goals {
            text.push_str(&format!("- {g}\n"));
        }
        text.push_str(&format!("\n### Hints\n\n1. Try.\n\n### Solution\n\n```sh\n{solution}\n```\n"));
    }
    text
}

#[test]
fn check_runs_solutions_and_reports_each_kind_of_failure() {
    let dir = tempfile::tempdir().unwrap();
    let lessons = dir.path().join("pack");
    std::fs::create_dir_all(&lessons).unwrap();
    let write = |name: &str, text: String| std::fs::write(lessons.join(name), text).unwrap();
    write(
        "01-good.md",
        lesson(
            "good",
            &[
                (
                    "Run",
                    &["container hi exited with code 0", "container hi logs contain hello"],
                    "docker run --name hi busybox echo hello",
                ),
                // The work folder is the current folder: a relative bind mount finds the lesson's file.
                (
                    "Mount",
                    &[
                        "container reader logs contain \"from the work folder\"",
                        "container reader mounts a bind mount at /w read-only",
                    ],
                    "docker run --name reader -v ./:/w:ro busybox cat /w/greeting.txt",
                ),
            ],
        ),
    );
    write(
        "02-cannot-fail.md",
        lesson(
            "cannot-fail",
            &[
                ("One", &["container once exists"], "docker create --name once busybox"),
                ("Two", &["container once exists"], "docker ps -a"),
            ],
        ),
    );
    write(
        "03-unmet.md",
        lesson("unmet", &[("Fail", &["container sad exited with code 0"], "docker run --name sad busybox false")]),
    );
    write("04-broken.md", "+++\nid = \"broken\"\n+++\n".to_string());

    let out = docklings(dir.path(), &["lessons", "check", "--dir", "pack", "--engine", "sim"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("✓ pack/01-good.md (2 steps)") || text.contains("01-good.md (2 steps)"), "{text}");
    assert!(text.contains("✗ ") && text.contains("02-cannot-fail.md"), "{text}");
    assert!(text.contains("`container once exists` already holds before the step, so it cannot fail"), "{text}");
    assert!(text.contains("✗ container sad exited with code 0: it exited with code 1"), "{text}");
    assert!(text.contains("$ docker run --name sad busybox false   (exit 1)"), "{text}");
    assert!(text.contains("04-broken.md:2: front matter: missing field `title`"), "{text}");
    assert!(text.trim_end().ends_with("1 passed, 3 failed"), "{text}");

    // Only the good lesson: everything passes.
    std::fs::remove_file(lessons.join("02-cannot-fail.md")).unwrap();
    std::fs::remove_file(lessons.join("03-unmet.md")).unwrap();
    std::fs::remove_file(lessons.join("04-broken.md")).unwrap();
    let out = docklings(dir.path(), &["lessons", "check", "--dir", "pack", "--engine", "sim", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).trim_end().ends_with("1 passed, 0 failed"), "{}", stdout(&out));

    let list = docklings(dir.path(), &["lessons", "list", "--dir", "pack"]);
    assert_eq!(stdout(&list), format!("{:<28} Lesson good  (2 steps)\n", "good"));
}

/// Every built-in lesson, in both languages, on the simulated engine: each goal fails before its step and holds
/// after the step's solution.
#[test]
fn every_built_in_lesson_passes_on_the_simulated_engine() {
    let dir = tempfile::tempdir().unwrap();
    let out = docklings(dir.path(), &["lessons", "check", "--engine", "sim"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let en = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/en")).unwrap().count();
    assert!(en >= 13, "the seed's topics need at least 13 lessons, found {en}");
    assert!(text.trim_end().ends_with(&format!("{} passed, 0 failed", 2 * en)), "{text}");
}
