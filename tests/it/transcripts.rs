//! Golden transcripts: how faithfully the simulated engine copies Docker 28, measured command by command.
//!
//! `tests/transcripts/NN-story.sh` holds docker command lines; `NN-story.out` beside it holds what Docker 28
//! printed for each (captured from a real engine, masked; the format is in tests/transcripts/README.md). Two tests
//! read them:
//! - `simulated_engine_matches_docker` runs every script on a fresh simulated engine (busybox:latest pulled in
//!   first, as the real engine has it) through `sim::cli::run`, in this process, so each command's stdout, stderr
//!   and exit status come back separately; it prints the match rate per script and overall, the commands that
//!   differ most, and the first differences, and fails below 95%.
//! - `real_engine_matches_docker` runs the same scripts through the `docker` CLI on the real daemon, so the
//!   expectations stay true to Docker. Commands annotated `@ differs ID` (a DIFFERENCES.md entry: the local
//!   daemon is 20.10, which words a few things unlike Docker 28) are excepted. It skips, saying why, when no
//!   daemon answers, and fails instead under `DOCKLINGS_REQUIRE_ENGINE=1`. With `DOCKLINGS_CAPTURE_TRANSCRIPTS=1`
//!   (tests/transcripts/capture.sh) it rewrites the `.out` files instead, keeping the annotated blocks.
//!
//! `DOCKLINGS_TRANSCRIPTS=02,volumes` runs only the scripts whose names contain one of the words.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use docklings::engine::Engine;
use docklings::engine::sim::{self, SimEngine};

/// The share of commands that must match.
const REQUIRED_PERCENT: usize = 95;
/// A command that takes longer has hung (the slowest here, `stop` with its 10 s grace, takes about 11 s).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
const IMAGE: &str = "busybox:latest";
/// How many differences to show in full.
const SHOWN_DIFFERENCES: usize = 16;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts")
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

// The transcript format.

/// What one command did.
struct Outcome {
    stdout: String,
    stderr: String,
    status: i32,
}

/// One command's block in a `.out` file: `$ command`, an optional `@ differs ID`, then the result lines.
#[derive(Clone, Debug, PartialEq)]
struct Block {
    command: String,
    /// The DIFFERENCES.md entry that lets the local 20.10 daemon print something else here.
    differs: Option<String>,
    lines: Vec<String>,
}

/// Output lines that would read as control lines are written with a leading backslash.
fn escaped(line: &str) -> String {
    let control = line.starts_with(['$', '!', '@', '\\'])
        || line.strip_prefix('[').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()));
    if control { format!("\\{line}") } else { line.to_string() }
}

/// A stream's text as `.out` lines: stdout as it is, stderr behind `! `.
fn stream_lines(text: &str, stderr: bool, out: &mut Vec<String>) {
    if text.is_empty() {
        return;
    }
    let (body, newline) = match text.strip_suffix('\n') {
        Some(body) => (body, true),
        None => (text, false),
    };
    // A carriage return (the daemon ends exec errors with `\r\n`) is shown, not hidden in the line.
    for line in body.replace('\r', "\u{240d}").split('\n') {
        out.push(match (stderr, line.is_empty()) {
            (false, _) => escaped(line),
            (true, true) => "!".to_string(),
            (true, false) => format!("! {line}"),
        });
    }
    if !newline {
        out.push(format!("[no newline at end of {}]", if stderr { "stderr" } else { "stdout" }));
    }
}

/// An outcome as `.out` lines, masked.
fn render(outcome: &Outcome) -> Vec<String> {
    let mut lines = Vec::new();
    stream_lines(&mask(&outcome.stdout), false, &mut lines);
    stream_lines(&mask(&outcome.stderr), true, &mut lines);
    if outcome.status != 0 {
        lines.push(format!("[exit {}]", outcome.status));
    }
    lines
}

/// Reads a `.out` file: `#` comments and blank lines before the first command are skipped.
fn parse_out(text: &str) -> Result<Vec<Block>, String> {
    let mut blocks: Vec<Block> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            blocks.push(Block { command: command.to_string(), differs: None, lines: Vec::new() });
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            return Err(format!("line {}: text before the first `$ ` command", n + 1));
        };
        if let Some(note) = line.strip_prefix("@ ") {
            let mut words = note.split_whitespace();
            match (words.next(), words.next(), block.lines.is_empty() && block.differs.is_none()) {
                (Some("differs"), Some(id), true) => block.differs = Some(id.to_string()),
                _ => return Err(format!("line {}: expected `@ differs ID` right after the command", n + 1)),
            }
            continue;
        }
        block.lines.push(line.to_string());
    }
    Ok(blocks)
}

fn write_out(script: &str, blocks: &[Block]) -> String {
    let mut text = format!(
        "# What Docker 28 prints for {script}, masked; captured by tests/transcripts/capture.sh (see README.md).\n"
    );
    for b in blocks {
        text.push_str(&format!("$ {}\n", b.command));
        if let Some(id) = &b.differs {
            text.push_str(&format!("@ differs {id}\n"));
        }
        for line in &b.lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

// Masking: what varies from run to run, and between engines, becomes a placeholder. Capture and comparison
// both go through `mask`, and masking masked text changes nothing.

/// Masks one stream's text. A table (an upper-case header whose columns are laid out as Docker's tabwriter
/// does) is masked cell by cell and laid out again, so a masked duration does not shift the columns.
fn mask(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let (body, tail) = match lines.split_last() {
        Some((&"", body)) => (body, "\n"),
        _ => (&lines[..], ""),
    };
    if let Some(table) = mask_table(body) {
        return table.join("\n") + tail;
    }
    body.iter().map(|l| mask_line(l)).collect::<Vec<_>>().join("\n") + tail
}

/// Docker's tables: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
const TAB_MIN_WIDTH: usize = 10;
const TAB_PADDING: usize = 3;

fn is_header(line: &str) -> bool {
    !line.is_empty()
        && !line.starts_with(' ')
        && line.contains("   ")
        && line.chars().all(|c| c.is_ascii_uppercase() || c == ' ')
}

/// Lays out rows as Go's tabwriter does with Docker's settings (widths count characters).
fn layout(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            let widest = rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
            (widest + TAB_PADDING).max(TAB_MIN_WIDTH)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if c + 1 < columns {
                    line.push_str(&" ".repeat(widths[c] - cell.chars().count()));
                }
            }
            line
        })
        .collect()
}

fn mask_table(lines: &[&str]) -> Option<Vec<String>> {
    let header = *lines.first()?;
    if !is_header(header) {
        return None;
    }
    // Columns start where a word follows two or more spaces (`CONTAINER ID` is one column).
    let chars: Vec<char> = header.chars().collect();
    let mut starts = vec![0];
    for i in 2..chars.len() {
        if chars[i] != ' ' && chars[i - 1] == ' ' && chars[i - 2] == ' ' {
            starts.push(i);
        }
    }
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            (0..starts.len())
                .map(|c| {
                    let from = starts[c].min(chars.len());
                    let to = starts.get(c + 1).map_or(chars.len(), |&s| s.min(chars.len()));
                    let cell: String = chars[from..to].iter().collect();
                    if c + 1 < starts.len() { cell.trim_end().to_string() } else { cell }
                })
                .collect()
        })
        .collect();
    // Only a table laid out exactly as Docker's is re-laid: anything else is compared as it is.
    if layout(&rows) != lines {
        return None;
    }
    let masked: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|cell| mask_line(cell)).collect()).collect();
    Some(layout(&masked))
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Replaces every match of `find` (a match length at a position, tried where a word starts) with `token`.
fn replace(text: &str, token: &str, find: impl Fn(&[u8], usize) -> Option<usize>) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        if (i == 0 || !is_word_byte(b[i - 1]))
            && let Some(len) = find(b, i)
            && b.get(i + len).is_none_or(|&n| !is_word_byte(n))
        {
            out.push_str(&text[copied..i]);
            out.push_str(token);
            i += len;
            copied = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&text[copied..]);
    out
}

fn digits(b: &[u8], at: usize) -> usize {
    b.get(at..).map_or(0, |s| s.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `b[at..]` starts with `n` digits.
fn fixed_digits(b: &[u8], at: usize, n: usize) -> bool {
    digits(b, at) >= n && b.get(at..at + n).is_some_and(|s| s.iter().all(u8::is_ascii_digit))
}

/// RFC 3339 (`2026-11-28T19:27:38.5Z`, `…+01:00`) and Go's `time.Time` text (`2026-11-28 19:27:38 +0000 UTC`).
fn timestamp(b: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    for (n, sep) in [(4, b'-'), (2, b'-'), (2, 0), (2, b':'), (2, b':'), (2, 1)] {
        if !fixed_digits(b, i, n) {
            return None;
        }
        i += n;
        match sep {
            0 if matches!(b.get(i), Some(b'T' | b' ')) => i += 1,
            0 => return None,
            1 => {}
            s if b.get(i) == Some(&s) => i += 1,
            _ => return None,
        }
    }
    if b.get(i) == Some(&b'.') && digits(b, i + 1) > 0 {
        i += 1 + digits(b, i + 1);
    }
    match b.get(i) {
        Some(b'Z') => i += 1,
        Some(b'+' | b'-') if fixed_digits(b, i + 1, 2) && b.get(i + 3) == Some(&b':') && fixed_digits(b, i + 4, 2) => {
            i += 6;
        }
        Some(b' ') if matches!(b.get(i + 1), Some(b'+' | b'-')) && digits(b, i + 2) == 4 => {
            i += 6;
            let zone = b.get(i + 1..).map_or(0, |s| s.iter().take_while(|c| c.is_ascii_uppercase()).count());
            if b.get(i) == Some(&b' ') && zone > 0 {
                i += 1 + zone;
            }
        }
        _ => {}
    }
    Some(i - at)
}

/// A run of exactly `len` lower-case hex digits.
fn hex_run(len: usize) -> impl Fn(&[u8], usize) -> Option<usize> {
    move |b, at| {
        let run = b[at..].iter().take_while(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c)).count();
        (run == len).then_some(len)
    }
}

/// Docker's human durations (go-units `HumanDuration`): `Less than a second`, `About a minute`, `3 hours`.
fn duration(b: &[u8], at: usize) -> Option<usize> {
    for phrase in ["Less than a second", "About a minute", "About an hour"] {
        if b[at..].starts_with(phrase.as_bytes()) {
            return Some(phrase.len());
        }
    }
    let n = digits(b, at);
    if n == 0 || b.get(at + n) != Some(&b' ') {
        return None;
    }
    let rest = &b[at + n + 1..];
    let unit =
        ["second", "minute", "hour", "day", "week", "month", "year"].iter().find(|u| rest.starts_with(u.as_bytes()))?;
    let plural = usize::from(rest.get(unit.len()) == Some(&b's'));
    Some(n + 1 + unit.len() + plural)
}

/// Docker's sizes: `0B`, `1.99MB`, `12.3kB`.
fn size(b: &[u8], at: usize) -> Option<usize> {
    let mut n = digits(b, at);
    if n == 0 {
        return None;
    }
    if b.get(at + n) == Some(&b'.') && digits(b, at + n + 1) > 0 {
        n += 1 + digits(b, at + n + 1);
    }
    let rest = &b[at + n..];
    let unit =
        ["kB", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "B"].iter().find(|u| rest.starts_with(u.as_bytes()))?;
    Some(n + unit.len())
}

/// Names Docker makes up for unnamed containers: `angry_nobel`, `/angry_nobel`, `angry_nobel3`. The scripts name
/// their own containers with hyphens, never underscores.
fn generated_name(b: &[u8], at: usize) -> Option<usize> {
    if at > 0 && (b[at - 1] == b'_' || b[at - 1] == b'-' || b[at - 1] == b'.') {
        return None;
    }
    let left = b[at..].iter().take_while(|c| c.is_ascii_lowercase()).count();
    if left == 0 || b.get(at + left) != Some(&b'_') {
        return None;
    }
    let right = b[at + left + 1..].iter().take_while(|c| c.is_ascii_lowercase()).count();
    if right == 0 {
        return None;
    }
    let mut len = left + 1 + right;
    len += digits(b, at + len);
    (!matches!(b.get(at + len), Some(b'_' | b'-' | b'.'))).then_some(len)
}

/// Host ports Docker picks (`-p 80`, from the ephemeral range), after the address they are bound to.
fn mask_ports(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["0.0.0.0:", "[::]:", ":::"].iter().filter_map(|p| rest.find(p).map(|i| (i, p.len()))).min() {
        let (i, plen) = at;
        let after = &rest[i + plen..];
        let n = after.bytes().take_while(u8::is_ascii_digit).count();
        out.push_str(&rest[..i + plen]);
        if after[..n].parse::<u32>().is_ok_and(|p| (32768..=65535).contains(&p)) {
            out.push_str("<port>");
        } else {
            out.push_str(&after[..n]);
        }
        rest = &after[n..];
    }
    out.push_str(rest);
    out
}

fn mask_line(line: &str) -> String {
    let line = replace(line, "<time>", timestamp);
    let line = replace(&line, "<id>", hex_run(64));
    let line = replace(&line, "<short-id>", hex_run(12));
    let line = replace(&line, "<duration>", duration);
    let line = replace(&line, "<size>", size);
    let line = replace(&line, "<name>", generated_name);
    mask_ports(&line)
}

// Scripts and expectations.

struct Script {
    name: String,
    lines: Vec<String>,
}

impl Script {
    fn out_path(&self) -> PathBuf {
        dir().join(self.name.replace(".sh", ".out"))
    }

    /// The `.out` file's blocks, whatever commands they hold.
    fn blocks(&self) -> Result<Vec<Block>, String> {
        let path = self.out_path();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        parse_out(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The expectations, one block per command of the script.
    fn expected(&self) -> Result<Vec<Block>, String> {
        let path = self.out_path();
        let blocks = self.blocks()?;
        let commands: Vec<&str> = blocks.iter().map(|b| b.command.as_str()).collect();
        if commands != self.lines {
            return Err(format!(
                "{} does not hold the commands of {} (changed since the capture?): run tests/transcripts/capture.sh",
                path.display(),
                self.name
            ));
        }
        Ok(blocks)
    }
}

/// The scripts, in name order, narrowed by `DOCKLINGS_TRANSCRIPTS` when set.
fn scripts() -> Vec<Script> {
    let only: Vec<String> = std::env::var("DOCKLINGS_TRANSCRIPTS")
        .unwrap_or_default()
        .split([',', ' '])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "sh") && n != "capture.sh")
        .filter(|n| only.is_empty() || only.iter().any(|w| n.contains(w.as_str())))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let text = std::fs::read_to_string(dir().join(&name)).expect("a readable script");
            let lines = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect();
            Script { name, lines }
        })
        .collect()
}

/// The entry ids of DIFFERENCES.md: `## id — title` headings.
fn difference_ids() -> BTreeSet<String> {
    let text = std::fs::read_to_string(dir().join("DIFFERENCES.md")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// A script line's words, as `docklings shell` reads them.
fn words(line: &str) -> Vec<String> {
    let script = docklings::shell::parse(line);
    let [command] = script.commands.as_slice() else {
        panic!("one docker command per line: {line}");
    };
    let words: Vec<String> = command.words.iter().map(|w| w.value.clone()).collect();
    assert_eq!(words.first().map(String::as_str), Some("docker"), "not a docker command: {line}");
    words
}

/// The command a line runs, aliases resolved (`container ls` is `ps`), for the per-command tally.
fn command_kind(line: &str) -> String {
    let words = words(line);
    let argv: Vec<&str> = words.iter().map(String::as_str).collect();
    match docklings::dockercli::parse(&argv) {
        Some(inv) if !inv.command.is_empty() => inv.command.join(" "),
        _ => words.get(1).cloned().unwrap_or_default(),
    }
}

// Running commands.

fn timed_out() -> Vec<String> {
    vec![format!("[timed out after {} s]", COMMAND_TIMEOUT.as_secs())]
}

/// The CLI a line runs through. Docker 28 builds with BuildKit; against the 20.10 daemon CI has, the Docker 28
/// CLI (without buildx) falls back to the legacy builder, and only Debian's 20.10 client speaks BuildKit, with
/// DOCKER_BUILDKIT=1. So `docker build` goes to `/usr/bin/docker` when it is there, and the rest to the `docker`
/// on PATH (see DIFFERENCES.md, build-buildkit-client).
fn docker_for(args: &[String]) -> Command {
    let debian = std::path::Path::new("/usr/bin/docker");
    if args.first().is_some_and(|a| a == "build") && debian.is_file() {
        let mut c = Command::new(debian);
        c.env("DOCKER_BUILDKIT", "1");
        return c;
    }
    Command::new("docker")
}

/// Runs `docker …` through the CLI, stdout and stderr apart; None when it hangs (it is killed).
fn run_docker(args: &[String]) -> Option<Outcome> {
    let mut child = docker_for(args)
        .args(args)
        .env("DOCKER_CLI_HINTS", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the docker CLI runs");
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = reader(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for docker") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let (stdout, stderr) = (stdout.join().unwrap_or_default(), stderr.join().unwrap_or_default());
    let status = status?;
    #[cfg(unix)]
    let signal = std::os::unix::process::ExitStatusExt::signal(&status).map(|s| 128 + s);
    #[cfg(not(unix))]
    let signal = None;
    Some(Outcome { stdout, stderr, status: status.code().or(signal).unwrap_or(-1) })
}

/// Runs a line on the real engine.
fn run_real(line: &str) -> Vec<String> {
    run_docker(&words(line)[1..]).map_or_else(timed_out, |o| render(&o))
}

/// Whether a real daemon answers with busybox:latest on it: its versions, or why not.
fn real_engine() -> Result<String, String> {
    if let Err(e) = Command::new("docker").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        return Err(format!("no docker CLI to run: {e}"));
    }
    let version = run_docker(&["version".into(), "--format".into(), "{{.Server.Version}} {{.Client.Version}}".into()])
        .ok_or("`docker version` hung")?;
    if version.status != 0 {
        return Err(format!("no Docker daemon answers: {}", version.stderr.trim()));
    }
    let image = run_docker(&["image".into(), "inspect".into(), "--format".into(), "ok".into(), IMAGE.into()])
        .ok_or("`docker image inspect` hung")?;
    if image.status != 0 {
        return Err(format!("{IMAGE} is not on the engine; .ci/engine builds it offline"));
    }
    let mut v = version.stdout.split_whitespace();
    Ok(format!("engine {}, CLI {}", v.next().unwrap_or("?"), v.next().unwrap_or("?")))
}

/// Removes what a script named (containers, then volumes) if it is still there: the scripts clean up after
/// themselves, so anything found is reported. Only names the script itself used are touched.
fn clean_up_real(script: &Script) -> Vec<String> {
    let mut containers = BTreeSet::new();
    let mut volumes = BTreeSet::new();
    for line in &script.lines {
        let w = words(line);
        for (i, word) in w.iter().enumerate() {
            let next = w.get(i + 1).cloned().unwrap_or_default();
            match word.as_str() {
                "--name" => {
                    containers.insert(next);
                }
                "-v" | "--volume" if !next.starts_with('/') && next.contains(':') => {
                    volumes.insert(next.split(':').next().unwrap_or_default().to_string());
                }
                "--mount" => {
                    if let Some(source) = next.split(',').find_map(|kv| kv.strip_prefix("source=")) {
                        volumes.insert(source.to_string());
                    }
                }
                _ => {}
            }
        }
        if w.get(1..3).is_some_and(|c| c == ["volume", "create"]) {
            volumes.insert(w.last().cloned().unwrap_or_default());
        }
    }
    let mut left = Vec::new();
    for (kind, names) in [("container", containers), ("volume", volumes)] {
        for name in names {
            let exists = run_docker(&[kind.into(), "inspect".into(), "--format".into(), "x".into(), name.clone()]);
            if exists.is_some_and(|o| o.status == 0) {
                let rm = if kind == "container" { vec!["rm", "-f", "-v"] } else { vec!["volume", "rm", "-f"] };
                let mut args: Vec<String> = rm.into_iter().map(str::to_string).collect();
                args.push(name.clone());
                run_docker(&args);
                left.push(format!("{kind} {name}"));
            }
        }
    }
    left
}

/// A simulated engine in a temporary `DOCKLINGS_HOME`, with busybox:latest pulled.
struct Sim {
    _home: tempfile::TempDir,
    engine: Arc<SimEngine>,
}

impl Sim {
    fn new() -> Sim {
        let home = tempfile::tempdir().expect("a temporary DOCKLINGS_HOME");
        let engine = SimEngine::open(&home.path().join("sim")).expect("the simulated engine opens");
        engine.pull_image(IMAGE, &mut |_| {}).expect("busybox:latest pulls into the simulated engine");
        Sim { _home: home, engine }
    }

    /// Runs a line through the simulated docker CLI, on a thread so a hang is caught; None when it hangs.
    fn run(&self, line: &str) -> Option<Vec<String>> {
        let argv = words(line);
        let engine = Arc::clone(&self.engine);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
            let mut io = sim::cli::Io { stdout: &mut stdout, stderr: &mut stderr, stdin: None, tty: false };
            let status = sim::cli::run(&engine, &argv, &mut io);
            let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            let _ = tx.send(Outcome { stdout: text(&stdout), stderr: text(&stderr), status });
        });
        match rx.recv_timeout(COMMAND_TIMEOUT) {
            Ok(outcome) => Some(render(&outcome)),
            Err(mpsc::RecvTimeoutError::Disconnected) => Some(vec!["[the simulated engine panicked]".to_string()]),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
        }
    }
}

// Comparing and reporting.

struct Difference {
    script: String,
    number: usize,
    expected: Block,
    got: Vec<String>,
}

#[derive(Default)]
struct Tally {
    /// Per script: (matched, compared, excepted).
    scripts: Vec<(String, usize, usize, usize)>,
    /// Per docker command: (matched, compared).
    commands: BTreeMap<String, (usize, usize)>,
    differences: Vec<Difference>,
    notes: Vec<String>,
}

impl Tally {
    fn totals(&self) -> (usize, usize, usize) {
        self.scripts.iter().fold((0, 0, 0), |(m, c, e), s| (m + s.1, c + s.2, e + s.3))
    }

    /// Compares a script's results with its expectations; `except` skips blocks marked `@ differs`.
    fn script(&mut self, script: &Script, expected: &[Block], got: &[Option<Vec<String>>], except: bool) {
        let (mut matched, mut compared, mut excepted) = (0, 0, 0);
        for (i, (want, got)) in expected.iter().zip(got).enumerate() {
            if except && want.differs.is_some() {
                excepted += 1;
                if got.as_ref() == Some(&want.lines) {
                    self.notes.push(format!(
                        "{} #{}: `{}` is marked `@ differs {}` but matched; is the mark still needed?",
                        script.name,
                        i + 1,
                        want.command,
                        want.differs.as_deref().unwrap_or_default()
                    ));
                }
                continue;
            }
            compared += 1;
            let kind = self.commands.entry(command_kind(&want.command)).or_default();
            kind.1 += 1;
            if got.as_ref() == Some(&want.lines) {
                matched += 1;
                kind.0 += 1;
            } else {
                self.differences.push(Difference {
                    script: script.name.clone(),
                    number: i + 1,
                    expected: want.clone(),
                    got: got.clone().unwrap_or_else(|| vec!["[not run: an earlier command hung]".to_string()]),
                });
            }
        }
        self.scripts.push((script.name.clone(), matched, compared, excepted));
    }

    fn report(&self, engine: &str) -> String {
        let percent = |m: usize, c: usize| match (m * 100).checked_div(c) {
            Some(whole) => format!("{whole}.{}%", m * 1000 / c % 10),
            None => "-".to_string(),
        };
        let mut r = format!("\ngolden transcripts on the {engine}:\n");
        for (name, m, c, e) in &self.scripts {
            let except = if *e > 0 { format!("  ({e} excepted: known 20.10 differences)") } else { String::new() };
            let _ = writeln!(r, "  {name:<28} {m:>3}/{c:<3} {:>6}{except}", percent(*m, *c));
        }
        let (m, c, e) = self.totals();
        let _ = writeln!(r, "  {:<28} {m:>3}/{c:<3} {:>6}  (required: {REQUIRED_PERCENT}%)", "overall", percent(m, c));
        if e > 0 {
            let _ = writeln!(r, "  {e} commands excepted as known differences of the local daemon (DIFFERENCES.md)");
        }
        let mut worst: Vec<(&String, &(usize, usize))> = self.commands.iter().filter(|(_, (m, c))| m < c).collect();
        worst.sort_by_key(|(name, (m, c))| (std::cmp::Reverse(c - m), (*name).clone()));
        if !worst.is_empty() {
            r.push_str("\ncommands that differ, most first (mismatched/run):\n");
            for (name, (m, c)) in worst {
                let _ = writeln!(r, "  docker {name:<22} {:>3}/{c}", c - m);
            }
        }
        if !self.differences.is_empty() {
            // Each script's first difference, then the others in order, so one broken command does not fill the list.
            let mut shown: Vec<&Difference> = Vec::new();
            for d in &self.differences {
                if !shown.iter().any(|s| s.script == d.script) {
                    shown.push(d);
                }
            }
            for d in &self.differences {
                if !shown.iter().any(|s| std::ptr::eq(*s, d)) {
                    shown.push(d);
                }
            }
            shown.truncate(SHOWN_DIFFERENCES);
            shown.sort_by_key(|d| (d.script.clone(), d.number));
            let _ = writeln!(r, "\ndifferences ({} shown of {}):", shown.len(), self.differences.len());
            for d in shown {
                let _ = writeln!(r, "\n  {} #{}: $ {}", d.script, d.number, d.expected.command);
                for (label, lines) in [("expected", &d.expected.lines), ("got", &d.got)] {
                    let _ = writeln!(r, "    {label}:");
                    for line in lines.iter().take(12) {
                        let _ = writeln!(r, "      |{line}");
                    }
                    if lines.len() > 12 {
                        let _ = writeln!(r, "      … {} more lines", lines.len() - 12);
                    }
                    if lines.is_empty() {
                        let _ = writeln!(r, "      (no output, exit 0)");
                    }
                }
            }
        }
        for note in &self.notes {
            let _ = writeln!(r, "note: {note}");
        }
        r
    }

    fn passes(&self) -> bool {
        let (m, c, _) = self.totals();
        m * 100 >= REQUIRED_PERCENT * c
    }
}

/// Every `@ differs ID` names an entry of DIFFERENCES.md.
fn check_marks(script: &Script, expected: &[Block], ids: &BTreeSet<String>) {
    for b in expected {
        if let Some(id) = &b.differs {
            assert!(
                ids.contains(id),
                "{}: `$ {}` is marked `@ differs {id}`, which is no `## {id}` entry of tests/transcripts/DIFFERENCES.md",
                script.name,
                b.command
            );
        }
    }
}

#[test]
fn simulated_engine_matches_docker() {
    let ids = difference_ids();
    let mut sim = Sim::new();
    let mut tally = Tally::default();
    for script in scripts() {
        let expected = script.expected().unwrap_or_else(|e| panic!("{e}"));
        check_marks(&script, &expected, &ids);
        let mut got = Vec::new();
        let mut hung = false;
        for line in &script.lines {
            if hung {
                got.push(None);
                continue;
            }
            let lines = sim.run(line);
            // A hung command may hold the engine: the rest of this script is not run, and the next script gets a
            // fresh engine.
            hung = lines.is_none();
            got.push(Some(lines.unwrap_or_else(timed_out)));
        }
        if hung {
            sim = Sim::new();
        }
        tally.script(&script, &expected, &got, false);
    }
    let report = tally.report("simulated engine");
    println!("{report}");
    assert!(
        tally.passes(),
        "the simulated engine matches Docker on fewer than {REQUIRED_PERCENT}% of commands{report}"
    );
}

#[test]
fn real_engine_matches_docker() {
    let capture = env_flag("DOCKLINGS_CAPTURE_TRANSCRIPTS");
    let versions = match real_engine() {
        Ok(v) => v,
        Err(why) if capture || env_flag("DOCKLINGS_REQUIRE_ENGINE") => {
            panic!("the transcripts need a real Docker engine: {why}")
        }
        Err(why) => {
            eprintln!("skipping real_engine_matches_docker: {why}");
            return;
        }
    };
    println!("transcripts on the real engine: {versions}");
    let ids = difference_ids();
    let mut tally = Tally::default();
    let mut leftovers = Vec::new();
    for script in scripts() {
        let expected =
            if capture { script.blocks().ok() } else { Some(script.expected().unwrap_or_else(|e| panic!("{e}"))) };
        if let Some(expected) = &expected {
            check_marks(&script, expected, &ids);
        }
        let got: Vec<Option<Vec<String>>> = script.lines.iter().map(|line| Some(run_real(line))).collect();
        leftovers.extend(clean_up_real(&script).into_iter().map(|what| format!("{}: {what}", script.name)));
        if capture {
            let kept = capture_out(&script, expected.as_deref(), &got);
            tally.notes.extend(kept);
        } else if let Some(expected) = &expected {
            tally.script(&script, expected, &got, true);
        }
    }
    assert!(leftovers.is_empty(), "scripts left these behind (removed now): {leftovers:?}");
    if capture {
        for note in &tally.notes {
            println!("note: {note}");
        }
        return;
    }
    let report = tally.report(&format!("real engine ({versions})"));
    assert!(tally.passes(), "the expectations no longer hold on the real engine{report}");
    println!("{report}");
}

/// Writes a script's `.out` from what the real engine printed, keeping blocks marked `@ differs` (they hold
/// Docker 28's text, which the local daemon does not print): the block at the same place with the same command,
/// else the first unused one with the same command. Returns notes on what was kept.
fn capture_out(script: &Script, old: Option<&[Block]>, got: &[Option<Vec<String>>]) -> Vec<String> {
    let mut notes = Vec::new();
    let old = old.unwrap_or_default();
    let mut used = vec![false; old.len()];
    let blocks: Vec<Block> = script
        .lines
        .iter()
        .zip(got)
        .enumerate()
        .map(|(i, (line, got))| {
            let got = got.clone().unwrap_or_default();
            let marked = |j: &usize| old[*j].differs.is_some() && &old[*j].command == line && !used[*j];
            let found = Some(i).filter(|j| *j < old.len() && marked(j)).or_else(|| (0..old.len()).find(marked));
            if let Some(j) = found {
                used[j] = true;
            }
            match found.map(|j| &old[j]) {
                Some(kept) => {
                    let verdict = if kept.lines == got { "the engine now prints it too" } else { "kept" };
                    notes.push(format!(
                        "{} #{}: `@ differs {}` {verdict}",
                        script.name,
                        i + 1,
                        kept.differs.as_deref().unwrap_or_default()
                    ));
                    kept.clone()
                }
                None => Block { command: line.clone(), differs: None, lines: got },
            }
        })
        .collect();
    let path = script.out_path();
    std::fs::write(&path, write_out(&script.name, &blocks))
        .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    println!("captured {}", path.display());
    notes
}

#[test]
fn masking_hides_what_varies_and_keeps_tables_aligned() {
    let line = mask_line(
        "d0e2851e19c14e6eebaadfad76582a06a5382c5e21cfa77e1c23aed7595d8444 d0e2851e19c1 2026-11-28T19:27:38.123456Z \
         Up Less than a second, Exited (0) 3 seconds ago, 1.99MB 0B angry_nobel /bold_turing2 0.0.0.0:32794 [::]:18080 \
         line 5 many-a sha256:ab",
    );
    assert_eq!(
        line,
        "<id> <short-id> <time> Up <duration>, Exited (0) <duration> ago, <size> <size> <name> /<name> 0.0.0.0:<port> \
         [::]:18080 line 5 many-a sha256:ab"
    );
    assert_eq!(mask_line("2026-11-28 19:27:38 +0000 UTC|2026-11-28 19:27:38.5 +0000 UTC"), "<time>|<time>");
    assert_eq!(mask_line(&mask_line("first_kept About an hour ago")), "<name> <duration> ago");
    let table = "CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS         PORTS     NAMES\n\
                 c315507c3730   busybox   \"sleep 600\"   1 second ago    Up 1 second              ls-two\n\
                 1c4dff3c3a6c   busybox   \"sleep 600\"   2 minutes ago   Up 2 minutes             ls-one\n";
    let masked = mask(table);
    assert_eq!(
        masked,
        "CONTAINER ID   IMAGE     COMMAND       CREATED          STATUS          PORTS     NAMES\n\
         <short-id>     busybox   \"sleep 600\"   <duration> ago   Up <duration>             ls-two\n\
         <short-id>     busybox   \"sleep 600\"   <duration> ago   Up <duration>             ls-one\n"
    );
    assert_eq!(mask(&masked), masked, "masking is idempotent");
    // A table laid out otherwise is compared as written, so a misaligned one never matches.
    let skewed = "NAMES   STATUS\nls-two  Up 1 second\n";
    assert_eq!(mask(skewed), "NAMES   STATUS\nls-two  Up <duration>\n");
}

#[test]
fn out_files_round_trip() {
    let outcome =
        Outcome { stdout: "[\n$ not a prompt\n[exit 3]\n\nlast".into(), stderr: "oops\r\n\n".into(), status: 3 };
    let lines = render(&outcome);
    assert_eq!(
        lines,
        [
            "[",
            "\\$ not a prompt",
            "\\[exit 3]",
            "",
            "last",
            "[no newline at end of stdout]",
            "! oops\u{240d}",
            "!",
            "[exit 3]"
        ]
    );
    let blocks = vec![
        Block { command: "docker run busybox".into(), differs: Some("start-failure-text".into()), lines },
        Block { command: "docker ps".into(), differs: None, lines: vec![] },
    ];
    assert_eq!(parse_out(&write_out("x.sh", &blocks)), Ok(blocks));
}
