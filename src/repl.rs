//! The tutorial: `docklings` / `docklings learn [LESSON]`. A prompt that shows the lesson, the step and the engine;
//! docker lines run on the engine as in `docklings shell`, and after every line the step's goals are checked
//! again and shown as ✓/✗ lines. A step is done when all its goals hold, whatever commands got there; the
//! learner may also work in another terminal and type `check`.

pub mod complete;
pub mod interrupt;
pub mod markdown;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};
use colored::Colorize;

use crate::commands::shell::{Session, session};
use crate::engine::real::{self, ConnectOptions};
use crate::engine::{Engine, EngineError, ownership};
use crate::lesson::catalog::{self, Entry};
use crate::lesson::check::check;
use crate::lesson::progress::{Progress, now};
use crate::lesson::verify;
use markdown::Style;

/// What `learn` starts with.
pub struct Options {
    pub engine: crate::cli::EngineChoice,
    /// A lesson id, or its number in the list (1-based).
    pub lesson: Option<String>,
    pub lang: Option<String>,
    /// An instructor's lesson pack instead of the built-in lessons.
    pub lessons: Option<PathBuf>,
}

pub struct Tutor {
    session: Session,
    engine: Arc<dyn Engine>,
    foreground: Arc<interrupt::Foreground>,
    lessons: Vec<Entry>,
    /// Where the lessons come from when they are a pack's (unpacked already).
    pack: Option<PathBuf>,
    lang: String,
    progress: Progress,
    progress_path: PathBuf,
    home: PathBuf,
    lesson: usize,
    step: usize,
}

const HELP: &str = "\
Type docker commands as you would in a terminal. Also:
  check           check this step's goals again (after working in another terminal)
  hint            the next hint for this step
  solution        the step's reference solution
  next, back      the next or the previous step
  goto N|ID       another lesson
  lessons         all lessons, with your progress
  progress        what you have finished
  reset           start this lesson again from a clean engine
  lang en|ko      lessons in English or Korean
  quit            leave (your progress is kept)";

impl Tutor {
    pub fn new(options: &Options) -> Result<Tutor> {
        let home = crate::home::dir()?;
        let progress_path = Progress::path(&home);
        let (mut progress, note) = Progress::load(&progress_path);
        if let Some(note) = note {
            eprintln!("docklings: {note}");
        }
        let lang = options
            .lang
            .clone()
            .or_else(|| Some(progress.lang.clone()).filter(|l| !l.is_empty()))
            .unwrap_or_else(|| catalog::default_language().to_string());
        progress.lang.clone_from(&lang);
        let (session, why) = session(options.engine)?;
        if let Some(why) = why {
            eprintln!("docklings: {why}");
        }
        let engine: Arc<dyn Engine> = match &session {
            Session::Sim(s) => s.engine.clone(),
            Session::Real(_) => Arc::new(real::connect(&ConnectOptions::from_env())?),
        };
        progress.engine = Some(if matches!(session, Session::Sim(_)) { "sim" } else { "real" }.to_string());
        let pack = options.lessons.as_deref().map(crate::lesson::pack::open).transpose()?;
        let lessons = load(&lang, pack.as_deref())?;
        let foreground = interrupt::Foreground::new(engine.clone());
        let mut tutor = Tutor {
            session,
            engine,
            foreground,
            lessons,
            pack,
            lang,
            progress,
            progress_path,
            home,
            lesson: 0,
            step: 0,
        };
        let start = options.lesson.clone().or_else(|| tutor.progress.current.clone());
        let index = match start {
            Some(key) => {
                tutor.find(&key).with_context(|| format!("no lesson `{key}`; `docklings lessons list` shows them"))?
            }
            None => 0,
        };
        tutor.enter_lesson(index)?;
        Ok(tutor)
    }

    fn find(&self, key: &str) -> Option<usize> {
        if let Ok(n) = key.parse::<usize>() {
            return (1..=self.lessons.len()).contains(&n).then(|| n - 1);
        }
        self.lessons.iter().position(|e| e.lesson.id == key)
    }

    fn current(&self) -> &Entry {
        &self.lessons[self.lesson]
    }

    fn save(&self) {
        if let Err(e) = self.progress.save(&self.progress_path) {
            eprintln!("docklings: cannot save your progress in {}: {e}", self.progress_path.display());
        }
    }

    /// The prompt: lesson, step and engine.
    #[must_use]
    pub fn prompt(&self) -> String {
        let l = &self.current().lesson;
        format!("[{} {}/{} {}] $ ", l.id, self.step + 1, l.steps.len(), self.session.label())
    }

    /// Where the current lesson's files live: `$DOCKLINGS_HOME/work/<lesson id>`.
    fn work_path(&self) -> PathBuf {
        self.home.join("work").join(&self.current().lesson.id)
    }

    /// The lesson's work folder under `$DOCKLINGS_HOME`, with the lesson's files written where missing.
    fn work_folder(&self) -> Result<PathBuf> {
        let lesson = &self.current().lesson;
        let work = self.work_path();
        std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
        verify::set_up(lesson, &work, true)
            .with_context(|| format!("cannot write the lesson's files in {}", work.display()))?;
        Ok(work)
    }

    fn enter_lesson(&mut self, index: usize) -> Result<()> {
        self.lesson = index;
        let id = self.current().lesson.id.clone();
        if let Session::Real(r) = &mut self.session {
            r.lesson = Some(id.clone());
        }
        let work = self.work_folder()?;
        std::env::set_current_dir(&work).with_context(|| format!("cannot enter {}", work.display()))?;
        self.progress.current = Some(id.clone());
        let steps = self.current().lesson.steps.len();
        self.step = self.progress.lesson(&id).step.min(steps.saturating_sub(1));
        let l = &self.current().lesson;
        let style = Style::terminal();
        println!("\n{}\n", markdown::inline(&l.title, style).bold());
        if !l.intro.trim().is_empty() {
            println!("{}\n", markdown::render(&l.intro, style));
        }
        println!("{} {}", "Your work folder:".dimmed(), work.display());
        self.save();
        self.show_step();
        Ok(())
    }

    fn show_step(&self) {
        let l = &self.current().lesson;
        let step = &l.steps[self.step];
        let style = Style::terminal();
        let title = markdown::inline(&step.title, style);
        println!("\n{} {}\n", format!("Step {}/{}:", self.step + 1, l.steps.len()).bold(), title.bold());
        if !step.prose.trim().is_empty() {
            println!("{}\n", markdown::render(&step.prose, style));
        }
        self.show_goals();
    }

    /// Checks the step's goals and prints them; returns whether all hold.
    fn show_goals(&self) -> bool {
        let step = &self.current().lesson.steps[self.step];
        let mut all = true;
        for g in &step.goals {
            let c = check(&g.goal, self.engine.as_ref());
            all &= c.met;
            if c.met {
                println!("  {} {}", "✓".green(), g.goal);
            } else {
                let detail = c.detail.map(|d| format!(" ({d})")).unwrap_or_default();
                println!("  {} {}{}", "✗".red(), g.goal, detail.dimmed());
            }
        }
        all
    }

    /// After a command: the goals again, and on to the next step when they all hold.
    fn after_command(&mut self) {
        if !self.show_goals() {
            return;
        }
        let id = self.current().lesson.id.clone();
        let steps = self.current().lesson.steps.len();
        let record = self.progress.lesson(&id);
        record.steps.entry(self.step).or_default().completed.get_or_insert_with(now);
        println!("\n{}", "Step complete!".green().bold());
        if self.step + 1 < steps {
            self.step += 1;
            self.progress.lesson(&id).step = self.step;
            self.save();
            self.show_step();
        } else {
            self.progress.lesson(&id).finished.get_or_insert_with(now);
            self.save();
            let next = if self.lesson + 1 < self.lessons.len() {
                "`goto` the next one, or `lessons`."
            } else {
                "That was the last one."
            };
            println!("{} {next}", "Lesson finished.".green().bold());
        }
    }

    fn move_to(&mut self, step: usize) {
        let id = self.current().lesson.id.clone();
        self.step = step;
        self.progress.lesson(&id).step = step;
        self.save();
        self.show_step();
    }

    fn hint(&mut self) {
        let id = self.current().lesson.id.clone();
        let step = self.step;
        let hints = self.current().lesson.steps[step].hints.clone();
        let record = self.progress.lesson(&id).steps.entry(step).or_default();
        let shown = record.hints.min(hints.len().saturating_sub(1));
        record.hints = (record.hints + 1).min(hints.len());
        self.save();
        if let Some(h) = hints.get(shown) {
            let label = format!("{} ", format!("Hint {}/{}:", shown + 1, hints.len()).yellow());
            println!("{}", markdown::render_after(&label, h, Style::terminal()));
        }
    }

    /// Removes what the lesson created and puts its files back, then goes to its first step.
    fn reset(&mut self) -> Result<()> {
        let lesson = self.current().lesson.clone();
        match &self.session {
            Session::Real(_) => {
                let report = ownership::reset(self.engine.as_ref(), &lesson.id)?;
                for (name, why) in report.failed {
                    eprintln!("docklings: could not remove {name}: {why}");
                }
            }
            Session::Sim(_) => remove_resources(self.engine.as_ref(), &lesson.resources),
        }
        verify::set_up(&lesson, &self.work_path(), false)?;
        println!("The lesson starts again from a clean state.");
        self.move_to(0);
        Ok(())
    }

    fn list(&self) {
        for (i, e) in self.lessons.iter().enumerate() {
            let l = &e.lesson;
            let done = self.progress.lessons.get(&l.id);
            let mark = match done {
                Some(p) if p.finished.is_some() => "✓".green().to_string(),
                Some(p) => format!("{}/{}", p.steps.values().filter(|s| s.completed.is_some()).count(), l.steps.len()),
                None => " ".to_string(),
            };
            println!("{:>3}. {mark:>5}  {:<28} {}", i + 1, l.id, l.title);
        }
    }

    /// One line typed at the prompt. Returns false to leave.
    pub fn handle(&mut self, line: &str) -> Result<bool> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["quit" | "exit"] => return Ok(false),
            ["help"] => println!("{HELP}"),
            ["check"] => self.after_command(),
            ["hint"] => self.hint(),
            ["solution"] => {
                let step = &self.current().lesson.steps[self.step];
                for index in 0..=step.solution.len() {
                    // A file the solution changes in the work folder before this command, as an editor would.
                    for edit in step.edits.iter().filter(|e| e.before == index) {
                        println!(
                            "  {}",
                            format!("(edit {} in your work folder so that it reads:)", edit.path).dimmed()
                        );
                        for line in edit.content.lines() {
                            println!("    {line}");
                        }
                    }
                    if let Some(l) = step.solution.get(index) {
                        println!("  {}", l.cyan());
                    }
                }
            }
            ["next"] => {
                if self.step + 1 < self.current().lesson.steps.len() {
                    self.move_to(self.step + 1);
                } else {
                    println!("This is the last step.");
                }
            }
            ["back"] => {
                if self.step > 0 {
                    self.move_to(self.step - 1);
                } else {
                    println!("This is the first step.");
                }
            }
            ["goto", key] => match self.find(key) {
                Some(i) => self.enter_lesson(i)?,
                None => println!("no lesson `{key}`; `lessons` lists them"),
            },
            ["lessons"] => self.list(),
            ["progress"] => {
                let done = self.progress.lessons.values().filter(|p| p.finished.is_some()).count();
                println!("{done} of {} lessons finished.", self.lessons.len());
                self.list();
            }
            ["reset"] => self.reset()?,
            ["lang", lang @ ("en" | "ko")] => {
                let id = self.current().lesson.id.clone();
                self.lessons = load(lang, self.pack.as_deref())?;
                self.lang = (*lang).to_string();
                self.progress.lang = self.lang.clone();
                let index = self.lessons.iter().position(|e| e.lesson.id == id).unwrap_or(0);
                self.enter_lesson(index)?;
            }
            [first, ..] if complete::COMMANDS.contains(first) => println!("{HELP}"),
            _ => {
                let running = self.foreground.begin();
                self.session.run_line(line)?;
                // The terminal echoed `^C` where the cursor was; what follows starts on a line of its own.
                if running.interrupted() {
                    println!();
                }
                drop(running);
                self.after_command();
            }
        }
        Ok(true)
    }

    /// Tab completion for this tutor's engine and lessons.
    #[must_use]
    pub fn completion(&self) -> complete::Completion {
        complete::Completion {
            engine: self.engine.clone(),
            lesson_ids: self.lessons.iter().map(|e| e.lesson.id.clone()).collect(),
        }
    }

    #[must_use]
    pub fn history_path(&self) -> PathBuf {
        self.home.join("learn_history")
    }
}

fn load(lang: &str, pack: Option<&std::path::Path>) -> Result<Vec<Entry>> {
    let loaded = match pack {
        Some(dir) => {
            catalog::from_dir(dir, lang).with_context(|| format!("cannot read lessons in `{}`", dir.display()))?
        }
        None => catalog::built_in(lang),
    };
    for e in &loaded.errors {
        eprintln!("docklings: {e}");
    }
    anyhow::ensure!(!loaded.lessons.is_empty(), "there are no lessons in `{lang}`");
    Ok(loaded.lessons)
}

/// On the simulated engine, which is docklings' own, a reset removes the lesson's resources by name.
fn remove_resources(engine: &dyn Engine, r: &crate::lesson::Resources) {
    let report = |what: &str, result: std::result::Result<(), EngineError>| match result {
        Ok(()) | Err(EngineError::NotFound(_)) => {}
        Err(e) => eprintln!("docklings: could not remove {what}: {e}"),
    };
    for c in &r.containers {
        report(c, engine.remove_container(c, true, true));
    }
    for n in &r.networks {
        report(n, engine.remove_network(n));
    }
    for v in &r.volumes {
        report(v, engine.remove_volume(v, true));
    }
    for i in &r.images {
        report(i, engine.remove_image(i, true).map(|_| ()));
    }
}

/// Runs the tutorial until the learner leaves.
pub fn run(options: &Options) -> Result<()> {
    use rustyline::error::ReadlineError;
    let mut tutor = Tutor::new(options)?;
    // Ctrl-C belongs to the running docker command; docklings itself keeps going.
    let foreground = tutor.foreground.clone();
    ctrlc::set_handler(move || foreground.interrupt()).ok();
    let mut editor = rustyline::Editor::<complete::Completion, rustyline::history::DefaultHistory>::new()
        .context("cannot open the terminal")?;
    editor.set_helper(Some(tutor.completion()));
    let history = tutor.history_path();
    editor.load_history(&history).ok();
    println!("{}", "Type `help` for the tutorial's commands, `quit` to leave.".dimmed());
    loop {
        match editor.readline(&tutor.prompt()) {
            Ok(line) => {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                editor.add_history_entry(line).ok();
                if !tutor.handle(line)? {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e).context("reading the prompt"),
        }
    }
    editor.save_history(&history).ok();
    tutor.save();
    Ok(())
}
