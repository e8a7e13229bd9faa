//! The tutorial tried as a user would: the real binary in a pseudo-terminal, keys typed into it, and what a
//! terminal would show read back through a terminal emulator (vt100), so the assertions are about the screen
//! (wrapped prose, colours, the prompt under the cursor) and not about a byte stream.
//!
//! Every wait has a deadline and none is a fixed sleep: a wait returns as soon as the screen shows what it waits
//! for, and a failed wait prints the screen.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 50;
const COLS: u16 = 100;
/// Generous: a debug build compiles the simulated containers' module on its first start.
const TIMEOUT: Duration = Duration::from_secs(90);

/// What the reader thread keeps: the emulated terminal, every byte the program wrote, and whether it ended.
struct Output {
    parser: vt100::Parser,
    bytes: Vec<u8>,
    closed: bool,
}

struct Term {
    output: Arc<(Mutex<Output>, Condvar)>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

/// A screen's text, numbered, for failure messages.
fn show(screen: &vt100::Screen) -> String {
    let (row, col) = screen.cursor_position();
    let mut out = format!("--- screen ({ROWS}x{COLS}), cursor at row {row} column {col} ---\n");
    for (i, line) in screen.rows(0, COLS).enumerate() {
        out.push_str(&format!("{i:>2}|{line}\n"));
    }
    out
}

/// The line under the cursor, if it is the tutorial's prompt: the prompt and what is typed after it.
fn prompt(screen: &vt100::Screen) -> Option<(String, String)> {
    let (row, _) = screen.cursor_position();
    let line = screen.rows(0, COLS).nth(usize::from(row))?;
    let at = line.find("] $")?;
    line.starts_with('[').then(|| (line[..at + 3].to_string(), line[at + 3..].trim().to_string()))
}

impl Term {
    fn start(home: &Path, args: &[&str]) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_docklings"));
        cmd.args(args);
        cmd.env("DOCKLINGS_HOME", home);
        // A terminal that rustyline edits in (it falls back to plain reads on a dumb one), and colour as a
        // learner's terminal has it.
        cmd.env("TERM", "xterm-256color");
        for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "COLUMNS", "LINES"] {
            cmd.env_remove(var);
        }
        cmd.cwd(home);
        let child = pty.slave.spawn_command(cmd).expect("docklings starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        let output = Arc::new((
            Mutex::new(Output {
                parser: vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 10_000),
                bytes: Vec::new(),
                closed: false,
            }),
            Condvar::new(),
        ));
        let (out, answer) = (output.clone(), writer.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cv) = &*out;
                let mut o = lock.lock().unwrap_or_else(PoisonError::into_inner);
                if n == 0 {
                    o.closed = true;
                    cv.notify_all();
                    return;
                }
                o.parser.process(&buf[..n]);
                o.bytes.extend_from_slice(&buf[..n]);
                // rustyline asks where the cursor is (`ESC [6n`); a terminal answers.
                if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                    let (row, col) = o.parser.screen().cursor_position();
                    let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                    answer.lock().unwrap().write_all(reply.as_bytes()).ok();
                }
                cv.notify_all();
            }
        });
        Term { output, writer, child, _master: pty.master }
    }

    fn send(&self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    /// How many bytes the program has written so far: a mark to wait for what comes after.
    fn mark(&self) -> usize {
        self.output.0.lock().unwrap().bytes.len()
    }

    /// Waits until `ready` holds for the screen and the bytes written since `since`; panics with the screen
    /// when it does not within the timeout.
    fn wait_for(&self, what: &str, since: usize, ready: impl Fn(&vt100::Screen, &str) -> bool) -> vt100::Screen {
        let deadline = Instant::now() + TIMEOUT;
        let (lock, cv) = &*self.output;
        let mut o = lock.lock().unwrap();
        loop {
            let fresh = String::from_utf8_lossy(&o.bytes[since.min(o.bytes.len())..]).into_owned();
            if ready(o.parser.screen(), &fresh) {
                return o.parser.screen().clone();
            }
            let now = Instant::now();
            assert!(!o.closed && now < deadline, "waited {TIMEOUT:?} for {what}\n{}", show(o.parser.screen()));
            o = cv.wait_timeout(o, deadline - now).unwrap().0;
        }
    }

    /// Types a line and waits for the next empty prompt; returns the screen then.
    fn run(&self, line: &str) -> vt100::Screen {
        let since = self.mark();
        self.send(&format!("{line}\r"));
        self.prompt_after(since, line)
    }

    /// Waits for an empty prompt drawn after `since`.
    fn prompt_after(&self, since: usize, what: &str) -> vt100::Screen {
        self.wait_for(&format!("the prompt after `{what}`"), since, |screen, fresh| {
            fresh.contains("] $ ") && prompt(screen).is_some_and(|(_, typed)| typed.is_empty())
        })
    }

    /// Waits for the program to end; its exit code.
    fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            assert!(Instant::now() < deadline, "docklings did not leave\n{}", show(&self.screen()));
            // The child ends on its own; the output's end is the signal to look again.
            let (lock, cv) = &*self.output;
            let o = lock.lock().unwrap();
            if !o.closed {
                drop(cv.wait_timeout(o, Duration::from_millis(100)).unwrap());
            }
        }
    }

    fn screen(&self) -> vt100::Screen {
        self.output.0.lock().unwrap().parser.screen().clone()
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

fn contents(screen: &vt100::Screen) -> String {
    screen.contents()
}

/// The row on which `text` first appears.
fn row_of(screen: &vt100::Screen, text: &str) -> Option<u16> {
    screen.rows(0, COLS).position(|l| l.contains(text)).map(|r| r as u16)
}

fn lesson(lang: &str, file: &str) -> docklings::lesson::Lesson {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons").join(lang).join(file);
    docklings::lesson::parse(file, &std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_learner_works_through_a_lesson_in_a_terminal() {
    let lesson = lesson("en", "01-why-containers.md");
    let home = tempfile::tempdir().unwrap();
    let mut term = Term::start(home.path(), &["learn", "--engine", "sim", &lesson.id]);

    let screen = term.prompt_after(0, "docklings to start");
    let text = contents(&screen);
    let (p, _) = prompt(&screen).unwrap();
    assert_eq!(p, format!("[{} 1/{} sim] $", lesson.id, lesson.steps.len()), "{}", show(&screen));
    assert!(text.contains(&format!("Step 1/{}: {}", lesson.steps.len(), lesson.steps[0].title)), "{}", show(&screen));
    // The prose is rendered, not shown as Markdown: no fences, no backticks, code in colour, lines wrapped to the
    // terminal's width.
    assert!(!text.contains("```") && !text.contains("`docker run`"), "{}", show(&screen));
    let row = row_of(&screen, "docker run makes a container").expect("the step's first sentence");
    let cell = screen.cell(row, 0).unwrap();
    assert_eq!(cell.contents(), "d");
    assert_ne!(cell.fgcolor(), vt100::Color::Default, "inline code is coloured\n{}", show(&screen));
    let prose = screen.cell(row, 11).unwrap();
    assert_eq!((prose.contents(), prose.fgcolor()), ("m", vt100::Color::Default), "prose is not");
    assert!(row_of(&screen, "    docker run --name l01-hello busybox echo").is_some(), "the fenced block, indented");
    // Wrapped by docklings between words, not cut by the terminal: the line ends with a whole word, the next
    // line starts with the word after it.
    let rows: Vec<String> = screen.rows(0, COLS).collect();
    let (line, next) = (&rows[usize::from(row)], &rows[usize::from(row) + 1]);
    let prose = lesson.steps[0].prose.replace('`', "").split_whitespace().collect::<Vec<_>>().join(" ");
    let seam = format!("{} {}", line.split_whitespace().last().unwrap(), next.split_whitespace().next().unwrap());
    assert!(prose.contains(&seam), "`{seam}` is not in the prose\n{}", show(&screen));
    let first_goal = lesson.steps[0].goals[0].goal.to_string();
    assert!(text.contains(&format!("✗ {first_goal}")), "{}", show(&screen));

    // A wrong command: docker's own error, and the goal still unmet.
    let screen = term.run("docker run busybox ech hi");
    let text = contents(&screen);
    assert!(text.contains("exec: \"ech\": executable file not found in $PATH"), "{}", show(&screen));
    let error = row_of(&screen, "executable file not found").unwrap();
    let unmet =
        screen.rows(0, COLS).collect::<Vec<_>>().iter().rposition(|l| l.contains(&format!("✗ {first_goal}"))).unwrap();
    assert!(unmet > usize::from(error), "the goals are checked again after the command\n{}", show(&screen));

    // A hint: the first nudge.
    let screen = term.run("hint");
    let hint = format!("Hint 1/{}: {}", lesson.steps[0].hints.len(), lesson.steps[0].hints[0]);
    assert!(contents(&screen).contains(&hint), "{}", show(&screen));

    // Tab completes docker's subcommand, then an image the engine has (the wrong command pulled busybox).
    let since = term.mark();
    term.send("docker ru\t");
    term.wait_for("`docker ru` to complete", since, |s, _| prompt(s).is_some_and(|(_, typed)| typed == "docker run"));
    let since = term.mark();
    term.send(" --name l01-hello busyb\t");
    let want = "docker run --name l01-hello busybox:latest";
    term.wait_for("the image name to complete", since, |s, _| prompt(s).is_some_and(|(_, typed)| typed == want));
    let since = term.mark();
    term.send(" echo \"Hello from a container\"\r");
    let screen = term.prompt_after(since, "the first step's command");
    let text = contents(&screen);
    assert!(text.contains("Hello from a container\n"), "{}", show(&screen));
    assert!(text.contains(&format!("✓ {first_goal}")), "{}", show(&screen));
    assert!(text.contains("Step complete!"), "{}", show(&screen));
    assert!(text.contains(&format!("Step 2/2: {}", lesson.steps[1].title)), "{}", show(&screen));
    assert_eq!(prompt(&screen).unwrap().0, format!("[{} 2/2 sim] $", lesson.id));

    // `back` shows the first step again, its goals met; `next` returns.
    let screen = term.run("back");
    assert_eq!(prompt(&screen).unwrap().0, format!("[{} 1/2 sim] $", lesson.id), "{}", show(&screen));
    assert!(contents(&screen).contains(&format!("✓ {first_goal}")), "{}", show(&screen));
    let screen = term.run("next");
    assert_eq!(prompt(&screen).unwrap().0, format!("[{} 2/2 sim] $", lesson.id), "{}", show(&screen));

    // A container name from the engine completes too.
    let since = term.mark();
    term.send("docker logs l01-h\t");
    term.wait_for("the container name to complete", since, |s, _| {
        prompt(s).is_some_and(|(_, typed)| typed == "docker logs l01-hello")
    });
    let since = term.mark();
    term.send("\r");
    let screen = term.prompt_after(since, "docker logs");
    assert!(contents(&screen).contains("Hello from a container"), "{}", show(&screen));

    // The last step's solution ends the lesson.
    for line in &lesson.steps[1].solution {
        term.run(line);
    }
    let screen = term.screen();
    let text = contents(&screen);
    assert!(text.contains(&format!("✓ {}", lesson.steps[1].goals[0].goal)), "{}", show(&screen));
    assert!(text.contains("Lesson finished."), "{}", show(&screen));
    let screen = term.run("next");
    assert!(contents(&screen).contains("This is the last step."), "{}", show(&screen));
    let screen = term.run("progress");
    assert!(contents(&screen).contains("1 of 13 lessons finished."), "{}", show(&screen));

    term.send("quit\r");
    assert_eq!(term.exit_code(), 0, "{}", show(&term.screen()));
}

#[test]
fn ctrl_c_stops_the_running_command_and_not_docklings() {
    let home = tempfile::tempdir().unwrap();
    let mut term = Term::start(home.path(), &["learn", "--engine", "sim", "why-containers"]);
    term.prompt_after(0, "docklings to start");

    // At the prompt, Ctrl-C drops the line being typed and docklings stays.
    let since = term.mark();
    term.send("docker ps\x03");
    term.prompt_after(since, "Ctrl-C at the prompt");

    // While a container sleeps, Ctrl-C ends it at once, long before its five minutes (a loaded machine may take a
    // while to pull and start it, hence the margin).
    let since = term.mark();
    term.send("docker run --name sleeper busybox sleep 300\r");
    term.wait_for("busybox to be pulled", since, |s, _| s.contents().contains("Status: Downloaded newer image"));
    // The container starts a moment after the pull; Ctrl-C kills it whenever it does.
    let since = term.mark();
    let pressed = Instant::now();
    term.send("\x03");
    let screen = term.prompt_after(since, "Ctrl-C during `docker run`");
    assert!(pressed.elapsed() < Duration::from_secs(60), "took {:?}\n{}", pressed.elapsed(), show(&screen));
    let echo = row_of(&screen, "^C").expect("the terminal echoes ^C");
    let after = screen.rows(0, COLS).nth(usize::from(echo)).unwrap();
    assert_eq!(after.trim_end(), "^C", "what follows starts on a new line\n{}", show(&screen));

    // docklings is still there, and the container was killed (SIGKILL: 137), not left running.
    let screen = term.run("docker ps -a --format '{{.Names}} {{.Status}}'");
    assert!(contents(&screen).contains("sleeper Exited (137)"), "{}", show(&screen));
    term.send("quit\r");
    assert_eq!(term.exit_code(), 0, "{}", show(&term.screen()));
}
