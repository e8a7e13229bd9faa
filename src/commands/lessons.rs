//! `docklings lessons list|check`: the lessons there are, and every lesson's reference solution run on an engine
//! with its goals checked before and after each step.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use colored::Colorize;

use crate::cli::{EngineChoice, LessonsArgs, LessonsCommand};
use crate::engine::real::{self, ConnectOptions};
use crate::engine::sim::{self, SimEngine};
use crate::engine::{Engine, EngineError, ownership};
use crate::lesson::Goal;
use crate::lesson::catalog::{self, LANGUAGES, Loaded};
use crate::lesson::pack;
use crate::lesson::verify::{self, Failure, Runner, StepReport};
use crate::shell;

use super::shell::RealCli;

/// The words of a solution line (one simple command; the lesson format allows nothing else).
fn words(line: &str) -> Result<Vec<String>> {
    let script = shell::parse(line);
    let [cmd] = script.commands.as_slice() else { bail!("`{line}` is not one command") };
    Ok(cmd.words.iter().map(|w| w.value.clone()).collect())
}

/// Solutions on the simulated engine, through its docker CLI, each lesson on a fresh engine.
struct SimRunner {
    engine: Arc<SimEngine>,
}

impl Runner for SimRunner {
    fn engine(&self) -> &dyn Engine {
        self.engine.as_ref()
    }

    fn run(&mut self, line: &str, work: &Path) -> Result<(i32, String)> {
        let words = words(line)?;
        if words.first().map(String::as_str) == Some("curl") {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let status = super::shell::curl(&self.engine, &words, &mut out, &mut err);
            out.extend_from_slice(&err);
            return Ok((status, String::from_utf8_lossy(&out).into_owned()));
        }
        if words.first().map(String::as_str) != Some("docker") {
            bail!("lessons run only docker and curl commands");
        }
        // The CLI reads relative paths (`build .`, `-v ./site:/x`) against the current folder, as docker does.
        std::env::set_current_dir(work).with_context(|| format!("entering {}", work.display()))?;
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        let status = {
            let mut io = sim::cli::Io { stdout: &mut stdout, stderr: &mut stderr, stdin: None, tty: false };
            sim::cli::run(&self.engine, &words, &mut io)
        };
        stdout.extend_from_slice(&stderr);
        Ok((status, String::from_utf8_lossy(&stdout).into_owned()))
    }
}

/// Solutions on the real engine through the learner's docker CLI, everything labelled as the lesson's.
struct RealRunner {
    cli: RealCli,
    engine: Box<dyn Engine>,
}

impl Runner for RealRunner {
    fn engine(&self) -> &dyn Engine {
        self.engine.as_ref()
    }

    fn run(&mut self, line: &str, work: &Path) -> Result<(i32, String)> {
        let words = words(line)?;
        let (program, args) = match words.split_first() {
            Some((p, rest)) if p == "docker" => (p.clone(), self.cli.with_label(rest)),
            Some((p, rest)) if p == "curl" => (p.clone(), rest.to_vec()),
            _ => bail!("lessons run only docker and curl commands"),
        };
        let out = Command::new(&program)
            .args(&args)
            .current_dir(work)
            .stdin(std::process::Stdio::null())
            .output()
            .with_context(|| format!("cannot run `{program}`"))?;
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        Ok((out.status.code().unwrap_or(1), text))
    }
}

/// Whether a failure is an image goal that held before its step only because the engine already had an image the
/// lesson pulls (the learner's own, which docklings does not remove).
fn about_pulled_image(failure: &Failure, pulls: &[String]) -> bool {
    let Failure::HeldBefore { goal, .. } = failure else { return false };
    let Ok(Goal::ImageExists(image) | Goal::ImageLayers { image, .. } | Goal::ImageExposes { image, .. }) =
        crate::lesson::goal::parse(goal)
    else {
        return false;
    };
    let normal = crate::engine::sim::state::normalize_reference;
    pulls.iter().any(|p| normal(p) == normal(&image))
}

/// The lessons a command works on: a folder's, or the built-in ones.
fn load(dir: Option<&Path>, lang: &str) -> Result<Loaded> {
    match dir {
        Some(d) => catalog::from_dir(d, lang).with_context(|| format!("cannot read lessons in `{}`", d.display())),
        None => Ok(catalog::built_in(lang)),
    }
}

/// The languages `check` goes through: the one asked for, else both, unless the folder is one language's.
fn languages<'a>(args: &'a LessonsArgs, dir: Option<&Path>) -> Vec<&'a str> {
    match (&args.lang, dir) {
        (Some(l), _) => vec![l.as_str()],
        (None, Some(dir)) if !LANGUAGES.iter().any(|l| dir.join(l).is_dir()) => vec![LANGUAGES[0]],
        (None, _) => LANGUAGES.to_vec(),
    }
}

/// Runs `docklings lessons …`; returns whether everything passed.
pub fn run(args: &LessonsArgs) -> Result<bool> {
    // A pack named after the command, else `--dir`; an archive is unpacked first.
    let pack = |given: &Option<std::path::PathBuf>| -> Result<Option<std::path::PathBuf>> {
        given.as_ref().or(args.dir.as_ref()).map(|p| pack::open(p)).transpose()
    };
    match &args.command {
        LessonsCommand::List { pack: given } => list(args, pack(given)?.as_deref()),
        LessonsCommand::Check { pack: given, engine, remove_pulled } => {
            check_all(args, pack(given)?.as_deref(), *engine, *remove_pulled)
        }
        LessonsCommand::New { name } => new(args.dir.as_deref(), name),
    }
}

/// `lessons new NAME`: a lesson file to start from.
fn new(dir: Option<&Path>, name: &str) -> Result<bool> {
    let id = name.strip_suffix(".md").unwrap_or(name);
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        bail!("`{name}` cannot be a lesson's id: use lowercase letters, digits and `-`, such as `my-first-lesson`");
    }
    let dir = dir.unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let path = dir.join(format!("{id}.md"));
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("`{}` exists already; docklings does not overwrite it", path.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot create `{}`", path.display())),
    };
    std::io::Write::write_all(&mut file, pack::scaffold(id).as_bytes())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    println!("wrote {}", path.display());
    println!("check it with `docklings lessons check {}`", dir.display());
    Ok(true)
}

fn list(args: &LessonsArgs, dir: Option<&Path>) -> Result<bool> {
    let lang = args.lang.as_deref().unwrap_or_else(|| catalog::default_language());
    let loaded = load(dir, lang)?;
    for e in &loaded.errors {
        eprintln!("{e}");
    }
    for entry in &loaded.lessons {
        let l = &entry.lesson;
        println!("{:<28} {}  ({} steps)", l.id, l.title, l.steps.len());
    }
    Ok(loaded.errors.is_empty())
}

fn print_failures(reports: &[StepReport]) {
    for (n, step) in reports.iter().enumerate().filter(|(_, s)| !s.failures.is_empty()) {
        println!("    step {} \"{}\":", n + 1, step.title);
        for f in &step.failures {
            match f {
                Failure::HeldBefore { goal, line } => {
                    println!("      line {line}: `{goal}` already holds before the step, so it cannot fail");
                }
                Failure::NotMet { goal, line, detail } => {
                    println!("      line {line}: ✗ {goal}: {detail}");
                }
                Failure::CouldNotRun { command, error } => println!("      `{command}` did not run: {error}"),
            }
        }
        for (line, status, output) in &step.transcript {
            println!("      $ {line}{}", if *status == 0 { String::new() } else { format!("   (exit {status})") });
            for l in output.lines().take(12) {
                println!("        {l}");
            }
        }
    }
}

fn check_all(args: &LessonsArgs, dir: Option<&Path>, choice: EngineChoice, remove_pulled: bool) -> Result<bool> {
    let (mut passed, mut failed) = (0usize, 0usize);
    // Simulated runs enter each lesson's work folder; the folder given and the way back are fixed first.
    let home = std::env::current_dir().context("cannot read the current folder")?;
    let dir = dir.map(|d| home.join(d));
    let scratch = tempfile::tempdir().context("cannot make a scratch folder")?;
    // One connection and one docker CLI for the whole check; each lesson relabels the CLI.
    let mut real_runner = match choice {
        EngineChoice::Sim => None,
        EngineChoice::Real => {
            Some(RealRunner { cli: RealCli::new()?, engine: Box::new(real::connect(&ConnectOptions::from_env())?) })
        }
        EngineChoice::Auto => match real::connect(&ConnectOptions::from_env()) {
            Ok(engine) => Some(RealRunner { cli: RealCli::new()?, engine: Box::new(engine) }),
            Err(_) => None,
        },
    };
    let sim_cache = crate::home::dir()?.join("sim").join("cache");
    println!("checking lessons on the {} engine", if real_runner.is_some() { "real" } else { "simulated" });
    for lang in languages(args, dir.as_deref()) {
        let mut loaded = load(dir.as_deref(), lang)?;
        // Files are named as the user named the folder, not by the absolute path read.
        let prefix = format!("{}/", home.display());
        let shorten = |f: &mut String| {
            if let Some(rest) = f.strip_prefix(&prefix) {
                *f = rest.to_string();
            }
        };
        loaded.errors.iter_mut().for_each(|e| shorten(&mut e.file));
        loaded.lessons.iter_mut().for_each(|e| shorten(&mut e.file));
        for e in &loaded.errors {
            println!("{} {e}", "✗".red());
        }
        let mut broken: Vec<&str> = loaded.errors.iter().map(|e| e.file.as_str()).collect();
        broken.dedup();
        failed += broken.len();
        for (i, entry) in loaded.lessons.iter().enumerate() {
            let lesson = &entry.lesson;
            let work = scratch.path().join(format!("{lang}-{i}-work"));
            std::fs::create_dir_all(&work)?;
            verify::set_up(lesson, &work, false).with_context(|| format!("setting up {}", entry.file))?;
            let reports = if let Some(runner) = real_runner.as_mut() {
                ownership::reset(runner.engine.as_ref(), &lesson.id)?;
                for image in lesson.resources.pulls.iter().filter(|_| remove_pulled) {
                    match runner.engine.remove_image(image, false) {
                        Ok(_) | Err(EngineError::NotFound(_)) => {}
                        // Its pull goals then hold before the step, and the report says so.
                        Err(e) => eprintln!("{}: could not remove {image}, which the lesson pulls: {e}", entry.file),
                    }
                }
                runner.cli.lesson = Some(lesson.id.clone());
                let mut reports = verify::verify(lesson, runner, &work);
                ownership::reset(runner.engine.as_ref(), &lesson.id)?;
                if !remove_pulled {
                    for report in &mut reports {
                        report.failures.retain(|f| !about_pulled_image(f, &lesson.resources.pulls));
                    }
                }
                reports
            } else {
                let engine = SimEngine::open_with_cache(&scratch.path().join(format!("{lang}-{i}-sim")), &sim_cache)?;
                let mut runner = SimRunner { engine };
                verify::verify(lesson, &mut runner, &work)
            };
            std::env::set_current_dir(&home).ok();
            let ok = reports.iter().all(|r| r.failures.is_empty());
            let mark = if ok { "✓".green() } else { "✗".red() };
            println!("{mark} {} ({} steps)", entry.file, lesson.steps.len());
            if ok {
                passed += 1;
            } else {
                failed += 1;
                print_failures(&reports);
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}
