//! The tutorial driven as a learner drives it, through standard input: the first built-in lesson worked through
//! with a wrong command, a hint and its solutions, on the simulated engine; progress kept across runs.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn learn(home: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docklings"))
        .arg("learn")
        .args(args)
        .env("DOCKLINGS_HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_learner_finishes_the_first_lesson_and_progress_is_kept() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/en/01-why-containers.md"))
        .expect("the first lesson");
    let lesson = docklings::lesson::parse("01-why-containers.md", &text).expect("the lesson reads");
    let home = tempfile::tempdir().unwrap();

    // A wrong command first, then a hint, then each step's solution.
    let mut input = String::from("docker run --name not-this-one busybox true\nhint\n");
    for step in &lesson.steps {
        for line in &step.solution {
            input.push_str(line);
            input.push('\n');
        }
    }
    input.push_str("progress\nquit\n");
    let out = learn(home.path(), &["--engine", "sim", &lesson.id], &input);
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{screen}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(screen.contains(&format!("Step 1/{}: {}", lesson.steps.len(), lesson.steps[0].title)), "{screen}");
    let first_goal = lesson.steps[0].goals[0].goal.to_string();
    assert!(screen.contains(&format!("✗ {first_goal}")), "the goal starts unmet: {screen}");
    // Prose is rendered without colour for a pipe: no Markdown fences, code blocks indented, inline code in
    // backticks (the one cue left without colour), lines wrapped to 80 columns.
    assert!(!screen.contains("```"), "{screen}");
    assert!(screen.contains(&format!("\n    {}\n", lesson.steps[0].solution[0])), "{screen}");
    assert!(screen.contains("`docker run`"), "{screen}");
    let intro = &screen[..screen.find("Your work folder").unwrap()];
    assert!(intro.lines().count() > lesson.intro.lines().count(), "the intro is wrapped more narrowly: {intro}");
    assert!(intro.lines().all(|l| l.chars().count() <= 80), "{intro}");
    assert!(screen.contains(&format!("✓ {first_goal}")), "and is met after the solution: {screen}");
    assert!(
        screen.contains(&format!("Hint 1/{}: {}", lesson.steps[0].hints.len(), lesson.steps[0].hints[0])),
        "{screen}"
    );
    assert_eq!(screen.matches("Step complete!").count(), lesson.steps.len(), "{screen}");
    assert!(screen.contains("Lesson finished."), "{screen}");
    assert!(screen.contains("1 of 13 lessons finished.") || screen.contains("1 of "), "{screen}");

    // The progress file says so, and a second run starts where the learner left off, in the language chosen.
    let progress: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.path().join("progress.json")).unwrap()).unwrap();
    assert_eq!(progress["version"], 1);
    assert_eq!(progress["current"], lesson.id.as_str());
    assert!(progress["lessons"][&lesson.id]["finished"].is_u64(), "{progress}");
    assert_eq!(progress["lessons"][&lesson.id]["steps"]["0"]["hints"], 1);

    let again = learn(home.path(), &["--engine", "sim", "--lang", "ko"], "quit\n");
    let screen = String::from_utf8_lossy(&again.stdout);
    let ko =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/ko/01-why-containers.md")).unwrap();
    let ko = docklings::lesson::parse("ko.md", &ko).unwrap();
    assert!(screen.contains(&ko.title), "the Korean lesson of the same id: {screen}");
}
