//! `docklings progress export` and `docklings report`: an export made from a lesson worked through over standard
//! input, and a class of three learners reported in every format; bad exports refused with the file named; the
//! HTML page opened in a headless browser when one is installed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use docklings::lesson::catalog;
use docklings::lesson::progress::{LessonProgress, Progress, StepProgress};

fn docklings(home: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docklings"))
        .args(args)
        .env("DOCKLINGS_HOME", home)
        .env("NO_COLOR", "1")
        .env("USER", "from-user-var")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn an_export_records_a_lesson_worked_through_and_reads_back() {
    let first = catalog::built_in("en").lessons.remove(0).lesson;
    let home = tempfile::tempdir().unwrap();
    let mut input = String::from("hint\nhint\n");
    for step in &first.steps {
        for line in &step.solution {
            input.push_str(line);
            input.push('\n');
        }
    }
    input.push_str("quit\n");
    let before = docklings::lesson::progress::now();
    stdout(&docklings(home.path(), &["learn", "--engine", "sim", "--lang", "en", &first.id], &input));

    // Standard output, named by $USER without --name.
    let export: serde_json::Value =
        serde_json::from_str(&stdout(&docklings(home.path(), &["progress", "export"], ""))).unwrap();
    assert_eq!(export["learner"], "from-user-var");

    let file = home.path().join("ana.json");
    let out = docklings(home.path(), &["progress", "export", "--name", "ana", "--output", file.to_str().unwrap()], "");
    assert_eq!(stdout(&out), "");
    let export: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(export["schema"], "docklings-progress/1");
    assert_eq!(export["learner"], "ana");
    assert_eq!(export["language"], "en");
    assert_eq!(export["engine"], "sim");
    assert_eq!(export["current"], first.id.as_str());
    let lessons = export["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), 1, "{export:#}");
    let lesson = &lessons[0];
    assert_eq!(lesson["id"], first.id.as_str());
    assert_eq!(lesson["title"], first.title.as_str());
    assert_eq!(lesson["steps_total"], first.steps.len());
    assert_eq!(lesson["steps_completed"], first.steps.len());
    let hints = 2.min(first.steps[0].hints.len());
    assert_eq!(lesson["hints"], hints);
    let started = lesson["started"].as_u64().unwrap();
    let finished = lesson["finished"].as_u64().unwrap();
    assert!(before <= started && started <= finished, "{lesson:#}");
    let steps = lesson["steps"].as_array().unwrap();
    assert_eq!(steps.len(), first.steps.len());
    for (i, s) in steps.iter().enumerate() {
        assert_eq!(s["step"], i + 1);
        let done = s["completed"].as_u64().unwrap();
        assert!(started <= done && done <= finished, "{s}");
        assert_eq!(s["hints"], if i == 0 { hints } else { 0 });
    }

    // The report reads it back.
    let report: serde_json::Value = serde_json::from_str(&stdout(&docklings(
        home.path(),
        &["report", "--format", "json", file.to_str().unwrap()],
        "",
    )))
    .unwrap();
    assert_eq!(report["learners"][0]["name"], "ana");
    assert_eq!(report["learners"][0]["lessons_finished"], 1);
    assert_eq!(report["learners"][0]["hints"], hints);
    assert_eq!(report["lessons"][0]["completion"], 1.0);
}

/// A progress file with the given lessons: (lesson index, steps completed, hints on the first step, finished).
fn progress_with(lessons: &[(usize, usize, usize, bool)]) -> Progress {
    let course = catalog::built_in("en").lessons;
    let mut p = Progress { lang: "en".into(), learner: "ignored".into(), ..Progress::default() };
    for &(index, done, hints, finished) in lessons {
        let lesson = &course[index].lesson;
        let mut record = LessonProgress { step: done, started: 1_764_000_000, ..LessonProgress::default() };
        for s in 0..done {
            record.steps.insert(s, StepProgress { completed: Some(1_764_000_100 + s as u64), hints: 0 });
        }
        record.steps.entry(0).or_default().hints = hints;
        if finished {
            assert_eq!(done, lesson.steps.len());
            record.finished = Some(1_764_000_100 + done as u64);
        }
        p.lessons.insert(lesson.id.clone(), record);
    }
    p
}

/// A learner of a lesson pack: the export names the pack's lessons when given the pack, and only then.
#[test]
fn an_export_takes_titles_from_the_pack_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    let made = docklings(dir.path(), &["lessons", "new", "compose-basics", "--dir", pack.to_str().unwrap()], "");
    stdout(&made);
    let lesson = catalog::from_dir(&pack, "en").unwrap().lessons.remove(0).lesson;
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut progress = Progress { lang: "en".into(), ..Progress::default() };
    progress.lessons.insert(lesson.id.clone(), LessonProgress { started: 1_764_000_000, ..LessonProgress::default() });
    progress.save(&Progress::path(&home)).unwrap();
    let title = |args: &[&str]| {
        let export: serde_json::Value = serde_json::from_str(&stdout(&docklings(&home, args, ""))).unwrap();
        (export["lessons"][0]["title"].clone(), export["lessons"][0]["steps_total"].clone())
    };
    assert_eq!(title(&["progress", "export"]), (serde_json::Value::Null, serde_json::Value::Null));
    let with_pack = title(&["progress", "export", "--lessons", pack.to_str().unwrap()]);
    assert_eq!(with_pack, (lesson.title.as_str().into(), lesson.steps.len().into()));
    let missing = docklings(&home, &["progress", "export", "--lessons", "/nowhere/pack"], "");
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nowhere/pack"), "{missing:?}");
}

/// Three learners' exports: ana finished the first lesson with 2 hints and did one step of the second with 1; bo
/// finished the first without hints; cy started the first and took 3 hints on its first step.
fn class(dir: &Path) -> Vec<PathBuf> {
    let course = catalog::built_in("en").lessons;
    let n1 = course[0].lesson.steps.len();
    let learners = [
        ("ana", progress_with(&[(0, n1, 2, true), (1, 1, 1, false)])),
        ("bo", progress_with(&[(0, n1, 0, true)])),
        ("cy", progress_with(&[(0, 0, 3, false)])),
    ];
    learners
        .iter()
        .map(|(name, progress)| {
            let home = dir.join(name);
            std::fs::create_dir_all(&home).unwrap();
            progress.save(&Progress::path(&home)).unwrap();
            let file = dir.join(format!("{name}.json"));
            stdout(&docklings(&home, &["progress", "export", "--name", name, "-o", file.to_str().unwrap()], ""));
            file
        })
        .collect()
}

fn report(dir: &Path, files: &[PathBuf], format: &str) -> String {
    let mut args = vec!["report", "--format", format];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    stdout(&docklings(dir, &args, ""))
}

#[test]
fn a_class_report_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let files = class(dir.path());
    let course = catalog::built_in("en").lessons;
    let (l1, l2) = (&course[0].lesson, &course[1].lesson);
    let n1 = l1.steps.len();
    let w1 = l1.id.len().max(l2.id.len()).max("Lesson".len());
    let w2 = l1.title.len().max(l2.title.len()).max("Title".len());

    let table = report(dir.path(), &files, "table");
    let expected = format!(
        "3 learners, 2 lessons\n\n\
         Learner  Finished  Started  Steps  Hints\n\
         ana      1/2       2        {a}      3\n\
         bo       1/2       1        {n1}      0\n\
         cy       0/2       1        0      3\n\
         \n\
         {h1:w1$}  {h2:w2$}  Finished   Started  Hints\n\
         {i1:w1$}  {t1:w2$}  2/3 (67%)  3/3      5\n\
         {i2:w1$}  {t2:w2$}  0/3 (0%)   1/3      1\n",
        a = n1 + 1,
        h1 = "Lesson",
        h2 = "Title",
        i1 = l1.id,
        t1 = l1.title,
        i2 = l2.id,
        t2 = l2.title,
    );
    assert_eq!(table, expected);

    let csv = report(dir.path(), &files, "csv");
    let (s1, s2) = (l1.steps.len(), l2.steps.len());
    let finished = docklings::commands::report::timestamp(1_764_000_100 + n1 as u64);
    let expected = format!(
        "learner,lesson,started,steps_completed,steps_total,finished,hints\n\
         ana,{i1},true,{n1},{s1},{finished},2\n\
         ana,{i2},true,1,{s2},,1\n\
         bo,{i1},true,{n1},{s1},{finished},0\n\
         bo,{i2},false,0,{s2},,0\n\
         cy,{i1},true,0,{s1},,3\n\
         cy,{i2},false,0,{s2},,0\n",
        i1 = l1.id,
        i2 = l2.id,
    );
    assert_eq!(csv, expected);
    assert!(finished.starts_with("2025-11-24T"), "{finished}");

    let json: serde_json::Value = serde_json::from_str(&report(dir.path(), &files, "json")).unwrap();
    assert_eq!(json["schema"], "docklings-report/1");
    let names: Vec<_> = json["learners"].as_array().unwrap().iter().map(|l| l["name"].clone()).collect();
    assert_eq!(names, ["ana", "bo", "cy"]);
    assert_eq!(json["learners"][0]["file"], files[0].to_str().unwrap());
    assert_eq!(json["learners"][0]["lessons"][1]["steps_completed"], 1);
    assert_eq!(json["learners"][1]["lessons"][1], serde_json::Value::Null);
    assert_eq!(json["learners"][2]["lessons"][0]["finished"], serde_json::Value::Null);
    let lessons = json["lessons"].as_array().unwrap();
    assert_eq!(lessons.len(), 2);
    assert_eq!(lessons[0]["id"], l1.id.as_str());
    assert_eq!(lessons[0]["learners_started"], 3);
    assert_eq!(lessons[0]["learners_finished"], 2);
    assert!((lessons[0]["completion"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(lessons[0]["hints"], 5);
    assert_eq!(lessons[1]["completion"], 0.0);
    assert_eq!(lessons[1]["steps_total"], s2);

    let html = report(dir.path(), &files, "html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{html}");
    assert!(html.trim_end().ends_with("</html>"), "{html}");
    assert_eq!(html.matches("<rect class=\"bar\"").count(), 2, "{html}");
    assert!(html.contains(&format!("data-lesson=\"{}\" data-percent=\"67\" x=\"260\" y=\"5\" width=\"268\"", l1.id)));
    assert!(html.contains(&format!("data-lesson=\"{}\" data-percent=\"0\" x=\"260\" y=\"31\" width=\"0\"", l2.id)));
    assert_eq!(html.matches("<tr>").count(), 2 + 3 + 2, "two header rows, three learners, two lessons: {html}");
    // Self-contained: nothing to fetch, nothing to run.
    for outside in ["<script", "<link", " src=", "@import", "url("] {
        assert!(!html.contains(outside), "{outside}: {html}");
    }
    assert_eq!(html.matches("http").count(), 1, "only the SVG namespace: {html}");
    // The tags balance.
    for tag in ["html", "head", "body", "svg", "table", "thead", "tbody", "tr", "g", "style", "title"] {
        let open = html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        assert_eq!(open, html.matches(&format!("</{tag}>")).count(), "<{tag}>: {html}");
    }

    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    in_a_browser(&page, &[&l1.id, &l2.id]);
}

/// Opens the page in headless Chromium and checks the chart's bars are in the DOM it built.
fn in_a_browser(page: &Path, lessons: &[&str]) {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()));
    let Some(browser) = browser else {
        assert!(
            std::env::var_os("DOCKLINGS_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "DOCKLINGS_REQUIRE_BROWSER=1 but no chromium, chromium-browser or google-chrome on PATH"
        );
        eprintln!("skipped the browser check of the report's HTML: no chromium, chromium-browser or google-chrome");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("{browser} did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{browser}: {}", String::from_utf8_lossy(&out.stderr));
    // The DOM the browser built (attributes as it serialises them), not the file as written.
    assert!(dom.contains("<svg"), "{dom}");
    for id in lessons {
        assert!(dom.contains(&format!("class=\"bar\" data-lesson=\"{id}\"")), "{id}: {dom}");
    }
    assert_eq!(dom.matches("class=\"bar\"").count(), lessons.len(), "{dom}");
}

#[test]
fn bad_exports_are_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = class(dir.path()).remove(0);
    let cases = [
        ("garbage.json", "{ not json".to_string(), "not JSON"),
        ("array.json", "[1, 2]".to_string(), "a JSON object was expected"),
        ("noschema.json", r#"{"learner": "x"}"#.to_string(), "it has no `schema` field"),
        (
            "newer.json",
            std::fs::read_to_string(&good).unwrap().replace("docklings-progress/1", "docklings-progress/2"),
            "schema `docklings-progress/2` is not supported: this docklings reads `docklings-progress/1`",
        ),
        ("other.json", r#"{"schema": "something/1"}"#.to_string(), "is not a docklings progress export"),
        (
            "missing.json",
            std::fs::read_to_string(&good).unwrap().replace("\"learner\"", "\"learnr\""),
            "not a valid `docklings-progress/1` export",
        ),
    ];
    for (name, text, why) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = docklings(dir.path(), &["report", good.to_str().unwrap(), file.to_str().unwrap()], "");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(&format!("`{}`", file.display())), "{name}: {err}");
        assert!(err.contains(why), "{name}: {err}");
        assert!(out.stdout.is_empty(), "nothing is reported when a file is bad");
    }
    let missing = dir.path().join("absent.json");
    let out = docklings(dir.path(), &["report", missing.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.json"));
}
