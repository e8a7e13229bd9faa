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

/// `path` as a gzip-compressed tar holding `entries` (path, content; `None` makes a symbolic link to /etc/passwd).
fn tar_gz(path: &Path, entries: &[(&str, Option<&str>)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::default()));
    for (name, content) in entries {
        let mut header = tar::Header::new_gnu();
        if let Some(text) = content {
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            builder.append_data(&mut header, name, text.as_bytes()).unwrap();
        } else {
            header.set_size(0);
            header.set_entry_type(tar::EntryType::Symlink);
            builder.append_link(&mut header, name, "/etc/passwd").unwrap();
        }
    }
    builder.into_inner().unwrap().finish().unwrap();
}

#[test]
fn a_new_lesson_passes_check_and_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let made = docklings(dir.path(), &["lessons", "new", "my-first", "--dir", "pack"]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let path = dir.path().join("pack/my-first.md");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("id = \"my-first\""), "{written}");

    let again = docklings(dir.path(), &["lessons", "new", "my-first", "--dir", "pack"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"), "{again:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);

    let bad = docklings(dir.path(), &["lessons", "new", "My Lesson"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot be a lesson's id"), "{bad:?}");

    let check = docklings(dir.path(), &["lessons", "check", "pack"]);
    assert!(check.status.success(), "{}{}", stdout(&check), String::from_utf8_lossy(&check.stderr));
    assert!(stdout(&check).contains("1 passed, 0 failed"), "{}", stdout(&check));
}

#[test]
fn a_pack_can_be_a_tar_gz_and_holds_only_lessons() {
    let dir = tempfile::tempdir().unwrap();
    let text = lesson(
        "packed",
        &[("Run", &["container packed-c exited with code 0"], "docker run --name packed-c busybox true")],
    );
    tar_gz(&dir.path().join("class.tar.gz"), &[("class/en/01-packed.md", Some(&text))]);
    let list = docklings(dir.path(), &["lessons", "list", "class.tar.gz", "--lang", "en"]);
    assert!(stdout(&list).contains("packed"), "{list:?}");
    let check = docklings(dir.path(), &["lessons", "check", "class.tar.gz", "--lang", "en"]);
    assert!(check.status.success(), "{}{}", stdout(&check), String::from_utf8_lossy(&check.stderr));
    assert!(stdout(&check).contains("1 passed, 0 failed"), "{}", stdout(&check));

    tar_gz(&dir.path().join("sneaky.tar.gz"), &[("sneaky/01.md", Some(&text)), ("sneaky/passwd", None)]);
    let refused = docklings(dir.path(), &["lessons", "check", "sneaky.tar.gz"]);
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("`sneaky/passwd` is not a plain file or folder"), "{err}");
    assert!(
        !dir.path().join("home/packs").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("sneaky"))
    );

    let missing = docklings(dir.path(), &["lessons", "check", "nowhere.tar.gz"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("`nowhere.tar.gz` does not exist"), "{missing:?}");
}

#[test]
fn the_tutorial_opens_a_pack() {
    let dir = tempfile::tempdir().unwrap();
    let text = lesson(
        "from-pack",
        &[("Run", &["container from-pack-c exited with code 0"], "docker run --name from-pack-c busybox true")],
    );
    std::fs::create_dir_all(dir.path().join("pack")).unwrap();
    std::fs::write(dir.path().join("pack/01-from-pack.md"), text).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(["learn", "--engine", "sim", "--lang", "en", "--lessons", "pack"])
        .current_dir(dir.path())
        .env("DOCKLINGS_HOME", dir.path().join("home"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), b"docker run --name from-pack-c busybox true\nquit\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let screen = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{screen}{}", String::from_utf8_lossy(&out.stderr));
    assert!(screen.contains("Lesson from-pack"), "{screen}");
    assert!(screen.contains("✓ container from-pack-c exited with code 0"), "{screen}");
}
