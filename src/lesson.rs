//! Lessons: Markdown files in `lessons/en/` and `lessons/ko/`. A lesson starts with TOML front matter between
//! `+++` lines (id, title, the resources it creates, files it sets up), then an introduction, then steps: each
//! `## heading` starts one, with prose, and three sections under `###` headings: the goals (one per list item, in
//! [`goal`]'s syntax), staged hints (a nudge, the command's shape, the answer) and the reference solution (the
//! docker commands in its code blocks). Section headings may be written in English or Korean.
//!
//! Reading a lesson never stops at the first mistake: every error names the file, the line and what is wrong.

pub mod catalog;
pub mod check;
pub mod goal;
pub mod pack;
pub mod progress;
pub mod verify;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Deserialize;

pub use goal::Goal;

/// What a lesson creates, so a reset knows what to remove (in real mode only those carrying the lesson label).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    #[serde(default)]
    pub containers: Vec<String>,
    #[serde(default)]
    pub images: Vec<String>,
    #[serde(default)]
    pub volumes: Vec<String>,
    #[serde(default)]
    pub networks: Vec<String>,
    /// Images the lesson pulls from a registry. No reset removes them from a learner's engine (they are not the
    /// lesson's own); `lessons check --engine real` removes them before the lesson, so that its goals about them can
    /// fail first, and the lesson pulls them back.
    #[serde(default)]
    pub pulls: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    #[serde(default)]
    resources: Resources,
    /// Files the lesson puts in the learner's work folder: relative path to content.
    #[serde(default)]
    files: BTreeMap<String, String>,
}

/// A goal with the line it was written on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepGoal {
    pub goal: Goal,
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    /// The line of the step's heading.
    pub line: usize,
    /// The step's Markdown before its sections: what the learner reads.
    pub prose: String,
    pub goals: Vec<StepGoal>,
    /// First a nudge, then the command's shape, then the answer.
    pub hints: Vec<String>,
    /// The reference solution's command lines, in order.
    pub solution: Vec<String>,
    /// Changes to the learner's files that the solution makes between its commands (a `file PATH` block).
    pub edits: Vec<FileEdit>,
}

/// A file the reference solution writes in the work folder, as the learner would in an editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileEdit {
    /// Relative to the work folder.
    pub path: String,
    pub content: String,
    /// Written before the solution's command with this index (after the last command when it equals their count).
    pub before: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub resources: Resources,
    pub files: BTreeMap<String, String>,
    /// The Markdown before the first step.
    pub intro: String,
    pub steps: Vec<Step>,
}

/// A mistake in a lesson file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// The sections of a step, by their heading in either language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Goals,
    Hints,
    Solution,
}

fn section(heading: &str) -> Option<Section> {
    match heading.trim().to_lowercase().as_str() {
        "goals" | "목표" => Some(Section::Goals),
        "hints" | "힌트" => Some(Section::Hints),
        "solution" | "풀이" | "정답" => Some(Section::Solution),
        _ => None,
    }
}

/// Commands a solution may hold: the engine's, and `curl` to a published port. Nothing else runs on the host.
const SOLUTION_COMMANDS: [&str; 2] = ["docker", "curl"];

/// Where a line starts, for turning byte offsets into line numbers.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        Lines { starts: std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect() }
    }

    /// The 1-based line of a byte offset.
    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// Reads a lesson. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Lesson, Vec<LessonError>> {
    let lines = Lines::new(text);
    let mut errors = Vec::new();
    let err = |errors: &mut Vec<LessonError>, offset: usize, message: String| {
        errors.push(LessonError { file: file.to_string(), line: lines.line(offset), message });
    };

    // Front matter: `+++`, TOML, `+++`.
    let Some(rest) = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n")) else {
        err(&mut errors, 0, "a lesson starts with front matter between `+++` lines (id, title, resources)".into());
        return Err(errors);
    };
    let fm_start = text.len() - rest.len();
    let Some(fm_len) = rest.find("\n+++").filter(|&i| rest[i + 4..].starts_with('\n') || rest.len() == i + 4) else {
        err(&mut errors, 0, "the front matter has no closing `+++` line".into());
        return Err(errors);
    };
    let front = &rest[..fm_len];
    let body_start = (fm_start + fm_len + 5).min(text.len());
    let front: Option<FrontMatter> = match toml::from_str(front) {
        Ok(f) => Some(f),
        Err(e) => {
            let at = fm_start + e.span().map_or(0, |s| s.start);
            err(&mut errors, at, format!("front matter: {}", e.message()));
            None
        }
    };
    if let Some(f) = &front {
        if f.id.is_empty() || !f.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            err(
                &mut errors,
                fm_start,
                format!("front matter: id `{}` must be lowercase letters, digits and `-`", f.id),
            );
        }
        for path in f.files.keys() {
            if !relative_inside(path) {
                err(
                    &mut errors,
                    fm_start,
                    format!("front matter: file `{path}` must be a relative path inside the work folder"),
                );
            }
        }
    }

    let body = &text[body_start..];
    let (intro, steps) = read_steps(body, body_start, &lines, &mut |offset, message| err(&mut errors, offset, message));
    if steps.is_empty() {
        err(&mut errors, body_start, "a lesson needs at least one step (a `## heading`)".into());
    }
    for step in &steps {
        let at = lines.starts.get(step.line - 1).copied().unwrap_or(0);
        if step.goals.is_empty() {
            err(&mut errors, at, format!("step \"{}\" has no goals (a `### Goals` list)", step.title));
        }
        if step.solution.is_empty() {
            err(&mut errors, at, format!("step \"{}\" has no solution (a `### Solution` code block)", step.title));
        }
        if step.hints.is_empty() {
            err(&mut errors, at, format!("step \"{}\" has no hints (a `### Hints` list)", step.title));
        }
    }
    match front {
        Some(f) if errors.is_empty() => {
            Ok(Lesson { id: f.id, title: f.title, resources: f.resources, files: f.files, intro, steps })
        }
        _ => Err(errors),
    }
}

/// Whether a solution's curl line only fetches from this machine: every address it names is `http://localhost…`
/// or `http://127.0.0.1…`, and it writes nothing (`-o`, `-O`, `--output` and the like are refused).
fn curl_stays_local(line: &str) -> bool {
    line.split_whitespace().skip(1).all(|arg| {
        if arg.starts_with('-') {
            return !matches!(
                arg,
                "-o" | "-O" | "--output" | "--remote-name" | "-K" | "--config" | "-T" | "--upload-file"
            ) && !arg.starts_with("--output=");
        }
        ["http://localhost:", "http://localhost/", "http://127.0.0.1:", "http://127.0.0.1/", "localhost:", "127.0.0.1:"]
            .iter()
            .any(|p| arg.starts_with(p))
            || arg == "http://localhost"
            || arg == "http://127.0.0.1"
    })
}

/// Whether a path stays inside the work folder: relative, without `..` or empty parts.
fn relative_inside(path: &str) -> bool {
    !path.starts_with('/') && !path.split('/').any(|p| p == ".." || p.is_empty())
}

/// The text of a list item: its source without the marker; for a goal (`unquote`), without backquotes around
/// the whole of it too. A hint keeps its Markdown.
fn item_text(source: &str, unquote: bool) -> String {
    let s = source.trim();
    let s = s.strip_prefix(['-', '*', '+']).unwrap_or_else(|| {
        s.find(['.', ')']).filter(|&i| i > 0 && s[..i].bytes().all(|b| b.is_ascii_digit())).map_or(s, |i| &s[i + 1..])
    });
    let s = s.trim();
    if !unquote {
        return s.to_string();
    }
    s.strip_prefix('`').and_then(|r| r.strip_suffix('`')).filter(|r| !r.contains('`')).unwrap_or(s).to_string()
}

/// Cuts the body into the introduction and the steps. `base` is the body's offset in the file.
fn read_steps(body: &str, base: usize, file_lines: &Lines, err: &mut dyn FnMut(usize, String)) -> (String, Vec<Step>) {
    let mut intro_end = body.len();
    let mut steps: Vec<Step> = Vec::new();
    let mut current: Option<Section> = None;
    // Where the current step's prose starts and ends (before its first section).
    let mut prose: Option<Range<usize>> = None;
    let mut heading: Option<(HeadingLevel, usize, String)> = None;
    let mut item_depth = 0usize;
    // Inside a solution's `file PATH` block, whose text is the file's new content.
    let mut in_file_block = false;
    let line_of = |offset: usize| file_lines.line(base + offset);
    let finish_prose = |steps: &mut Vec<Step>, prose: &mut Option<Range<usize>>, end: usize| {
        if let (Some(step), Some(r)) = (steps.last_mut(), prose.take()) {
            step.prose = body[r.start..end.max(r.start)].trim().to_string();
        }
    };

    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, range.start, String::new())),
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, _, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, start, text)) = heading.take() else { continue };
                // A `#` title is the lesson's own; deeper headings belong to the prose.
                match level {
                    HeadingLevel::H2 => {
                        if steps.is_empty() {
                            intro_end = start;
                        }
                        finish_prose(&mut steps, &mut prose, start);
                        steps.push(Step { title: text.trim().to_string(), line: line_of(start), ..Step::default() });
                        prose = Some(range.end..body.len());
                        current = None;
                    }
                    HeadingLevel::H3 if !steps.is_empty() => {
                        finish_prose(&mut steps, &mut prose, start);
                        current = section(&text);
                        if current.is_none() {
                            err(
                                base + start,
                                format!(
                                    "unknown section `{}`: a step has `### Goals`, `### Hints` and `### Solution` (or 목표, 힌트, 풀이)",
                                    text.trim()
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            }
            Event::Start(Tag::Item) => {
                item_depth += 1;
                if item_depth > 1 {
                    continue;
                }
                let Some(step) = steps.last_mut() else { continue };
                let source = &body[range.clone()];
                match current {
                    Some(Section::Goals) => {
                        let text = item_text(source.lines().next().unwrap_or(""), true);
                        match goal::parse(&text) {
                            Ok(goal) => step.goals.push(StepGoal { goal, line: line_of(range.start) }),
                            Err(message) => err(base + range.start, message),
                        }
                    }
                    Some(Section::Hints) => step.hints.push(item_text(source, false)),
                    _ => {}
                }
            }
            Event::End(TagEnd::Item) => item_depth = item_depth.saturating_sub(1),
            Event::Text(t) if in_file_block => {
                if let Some(edit) = steps.last_mut().and_then(|s| s.edits.last_mut()) {
                    edit.content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => in_file_block = false,
            Event::Start(Tag::CodeBlock(kind)) if current == Some(Section::Solution) => {
                let Some(step) = steps.last_mut() else { continue };
                let info = match &kind {
                    CodeBlockKind::Fenced(info) => info.trim(),
                    CodeBlockKind::Indented => "",
                };
                if let Some(path) = info.strip_prefix("file ").map(str::trim) {
                    if !relative_inside(path) {
                        err(
                            base + range.start,
                            format!("solution file `{path}` must be a relative path inside the work folder"),
                        );
                        continue;
                    }
                    // Its text arrives as the block's Text events.
                    step.edits.push(FileEdit {
                        path: path.to_string(),
                        content: String::new(),
                        before: step.solution.len(),
                    });
                    in_file_block = true;
                    continue;
                }
                let block = &body[range.clone()];
                // The fence lines themselves are not commands.
                let inner: Vec<(usize, &str)> = block.lines().enumerate().skip(1).collect();
                let last = inner.len().saturating_sub(1);
                for (i, (n, line)) in inner.into_iter().enumerate() {
                    let line = line.trim();
                    if (i == last && line.starts_with("```")) || line.is_empty() || line.starts_with('#') {
                        continue;
                    }
                    let line = line.strip_prefix("$ ").unwrap_or(line);
                    let first = line.split_whitespace().next().unwrap_or("");
                    if first == "curl" && !curl_stays_local(line) {
                        let offset = base + range.start + block.lines().take(n).map(|l| l.len() + 1).sum::<usize>();
                        err(
                            offset,
                            format!(
                                "solution line `{line}`: curl in a lesson may only reach this machine (http://localhost:PORT)"
                            ),
                        );
                    } else if SOLUTION_COMMANDS.contains(&first) {
                        step.solution.push(line.to_string());
                    } else {
                        let offset = base + range.start + block.lines().take(n).map(|l| l.len() + 1).sum::<usize>();
                        err(offset, format!("solution line `{line}`: lessons run only `docker` and `curl` commands"));
                    }
                }
            }
            _ => {}
        }
    }
    finish_prose(&mut steps, &mut prose, body.len());
    let intro =
        body[..intro_end].lines().filter(|l| !l.starts_with("# ")).collect::<Vec<_>>().join("\n").trim().to_string();
    (intro, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"+++
id = "first-container"
title = "Your first container"

[resources]
containers = ["hello"]

[files]
"app/notes.txt" = "hi\n"
+++

# Your first container

A container is a process with its own view of the world.

## Run it

Type this:

```sh
docker run --name hello busybox echo hello
```

### Goals

- `container hello exited with code 0`
- container hello logs contain hello

### Hints

1. Containers start with `docker run`.
2. `docker run --name NAME IMAGE COMMAND`
3. `docker run --name hello busybox echo hello`

### Solution

```sh
# the whole answer
$ docker run --name hello busybox echo hello
```

## 치우기

지우세요.

### 목표

- container hello is absent

### 힌트

- `docker rm`

### 풀이

```sh
docker rm hello
```
"#;

    #[test]
    fn a_lesson_reads_into_steps_with_goals_hints_and_solutions() {
        let lesson = parse("first.md", GOOD).unwrap();
        assert_eq!(lesson.id, "first-container");
        assert_eq!(lesson.resources.containers, ["hello"]);
        assert_eq!(lesson.files["app/notes.txt"], "hi\n");
        assert_eq!(lesson.intro, "A container is a process with its own view of the world.");
        assert_eq!(lesson.steps.len(), 2);
        let run = &lesson.steps[0];
        assert_eq!(run.title, "Run it");
        assert_eq!(run.line, 16);
        assert!(run.prose.starts_with("Type this:"), "{}", run.prose);
        assert!(run.prose.ends_with("```"), "{}", run.prose);
        let goals: Vec<String> = run.goals.iter().map(|g| g.goal.to_string()).collect();
        assert_eq!(goals, ["container hello exited with code 0", "container hello logs contain hello"]);
        assert_eq!(run.goals[0].line, 26);
        assert_eq!(run.hints.len(), 3);
        assert_eq!(run.hints[1], "`docker run --name NAME IMAGE COMMAND`");
        assert_eq!(run.solution, ["docker run --name hello busybox echo hello"]);
        let clean = &lesson.steps[1];
        assert_eq!(clean.title, "치우기");
        assert_eq!(clean.prose, "지우세요.");
        assert_eq!(clean.solution, ["docker rm hello"]);
    }

    #[test]
    fn solution_file_blocks_are_edits_between_commands() {
        let text = GOOD.replace(
            "```sh\n# the whole answer\n$ docker run --name hello busybox echo hello\n```",
            "```file app/notes.txt\nchanged\n  indented\n```\n\n```sh\ndocker run --name hello busybox echo hello\n```\n\n```file last.txt\nz\n```",
        );
        let lesson = parse("first.md", &text).unwrap();
        let run = &lesson.steps[0];
        assert_eq!(run.solution, ["docker run --name hello busybox echo hello"]);
        assert_eq!(
            run.edits,
            [
                FileEdit { path: "app/notes.txt".into(), content: "changed\n  indented\n".into(), before: 0 },
                FileEdit { path: "last.txt".into(), content: "z\n".into(), before: 1 },
            ]
        );
        let outside = text.replace("```file last.txt", "```file ../last.txt");
        let errors: Vec<String> = parse("first.md", &outside).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(
            errors[0].contains("solution file `../last.txt` must be a relative path inside the work folder"),
            "{errors:?}"
        );
    }

    #[test]
    fn curl_in_a_solution_stays_on_this_machine() {
        for ok in ["curl http://localhost:8080", "curl -s http://127.0.0.1:3000/health", "curl -i localhost:80/"] {
            assert!(curl_stays_local(ok), "{ok}");
        }
        for bad in [
            "curl http://example.com/install.sh",
            "curl -o /etc/passwd http://localhost:8080",
            "curl http://localhost.evil.com:80/",
            "curl file:///etc/shadow",
        ] {
            assert!(!curl_stays_local(bad), "{bad}");
        }
        let text = GOOD.replace("$ docker run --name hello busybox echo hello", "curl http://example.com/x");
        let errors: Vec<String> = parse("first.md", &text).unwrap_err().iter().map(ToString::to_string).collect();
        assert!(errors[0].contains("curl in a lesson may only reach this machine"), "{errors:?}");
    }

    fn errors(text: &str) -> Vec<String> {
        parse("bad.md", text).expect_err("a mistake").iter().map(ToString::to_string).collect()
    }

    #[test]
    fn every_mistake_is_named_with_file_and_line() {
        assert_eq!(
            errors("# no front matter\n"),
            ["bad.md:1: a lesson starts with front matter between `+++` lines (id, title, resources)"]
        );
        assert_eq!(errors("+++\nid = \"x\"\n"), ["bad.md:1: the front matter has no closing `+++` line"]);
        let missing_title = errors("+++\nid = \"x\"\n+++\n## S\n");
        assert!(missing_title[0].starts_with("bad.md:2: front matter: missing field `title`"), "{missing_title:?}");

        let broken = GOOD
            .replace("- container hello logs contain hello", "- container hello is sleeping")
            .replace("### Hints\n", "### Tips\n")
            .replace("$ docker run --name hello busybox echo hello", "rm -rf /");
        let found = errors(&broken);
        assert_eq!(
            found,
            [
                "bad.md:27: `container hello is sleeping` is not a goal; goals start with `image`, `container`, `volume`, `network` or `port` (see \"Adding a lesson\" in the book)",
                "bad.md:29: unknown section `Tips`: a step has `### Goals`, `### Hints` and `### Solution` (or 목표, 힌트, 풀이)",
                "bad.md:39: solution line `rm -rf /`: lessons run only `docker` and `curl` commands",
                "bad.md:16: step \"Run it\" has no solution (a `### Solution` code block)",
                "bad.md:16: step \"Run it\" has no hints (a `### Hints` list)",
            ]
        );
        let bad_id = errors(&GOOD.replace("first-container", "First Container").replace("app/notes.txt", "../x"));
        assert_eq!(bad_id.len(), 2, "{bad_id:?}");
        assert!(bad_id[0].contains("id `First Container` must be"));
        assert!(bad_id[1].contains("file `../x` must be a relative path"));
    }
}
