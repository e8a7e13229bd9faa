//! `docklings shell`: a docker prompt without lessons, or a script of docker lines run as if typed.
//!
//! In real mode each line runs through the learner's own `docker` CLI with the terminal handed over, so what
//! they see is Docker's own output (`-it` included). With `--script`, a file's lines (blank and `#` lines
//! skipped) run in order; only the commands' own output is printed, and `--echo` adds `$ <line>` before each.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cli::{EngineChoice, ShellArgs};
use crate::dockercli;
use crate::engine::ownership::LESSON_LABEL;
use crate::engine::real::{self, ConnectOptions};
use crate::engine::sim::{self as simulated, SimEngine};
use crate::shell;
use std::sync::Arc;

/// The commands that create something a lesson owns, where the ownership label goes.
const CREATING: [&[&str]; 5] = [&["run"], &["create"], &["build"], &["volume", "create"], &["network", "create"]];

/// Runs lines through the learner's `docker` CLI.
pub struct RealCli {
    docker: PathBuf,
    /// When set, resources created by the lines are labelled as this lesson's.
    pub lesson: Option<String>,
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| p.is_file())
}

impl RealCli {
    /// Finds the docker CLI and checks that an engine answers; the error says why not and what to do.
    pub fn new() -> Result<RealCli> {
        let Some(docker) = find_on_path("docker") else {
            bail!(
                "real mode runs your own `docker` command, and there is none on PATH; `--engine sim` works without Docker"
            );
        };
        real::connect(&ConnectOptions::from_env())?;
        Ok(RealCli { docker, lesson: None })
    }

    /// The arguments with the lesson's label added to commands that create something.
    #[must_use]
    pub fn with_label(&self, argv: &[String]) -> Vec<String> {
        let Some(lesson) = &self.lesson else { return argv.to_vec() };
        let mut words: Vec<&str> = vec!["docker"];
        words.extend(argv.iter().map(String::as_str));
        let Some(inv) = dockercli::parse(&words) else { return argv.to_vec() };
        if !CREATING.iter().any(|c| inv.command == *c) {
            return argv.to_vec();
        }
        // Right after the command words, before anything positional (docker stops reading flags at the image).
        let at = inv.written.last().map_or(0, |(_, i)| *i);
        let mut out = argv.to_vec();
        out.insert(at, format!("--label={LESSON_LABEL}={lesson}"));
        out
    }

    /// Runs one line; returns its exit status (127 for something that is not a docker command, as a shell would).
    pub fn run_line(&self, line: &str) -> Result<i32> {
        let script = shell::parse(line);
        let [cmd] = script.commands.as_slice() else {
            if script.commands.is_empty() {
                return Ok(0);
            }
            eprintln!("docklings: one docker command per line here: no `;`, `&&` or pipes");
            return Ok(2);
        };
        if !cmd.redirects.is_empty() || !cmd.assignments.is_empty() {
            eprintln!(
                "docklings: redirections and variable assignments do not run here; type the docker command alone"
            );
            return Ok(2);
        }
        let words: Vec<String> = cmd.words.iter().map(|w| w.value.clone()).collect();
        if words.first().map(String::as_str) != Some("docker") {
            eprintln!(
                "docklings: {}: only `docker` commands run in this shell",
                words.first().map_or("", String::as_str)
            );
            return Ok(127);
        }
        let argv = self.with_label(&words[1..]);
        std::io::stdout().flush().ok();
        let status = Command::new(&self.docker)
            .args(&argv)
            .stdin(Stdio::inherit())
            .status()
            .with_context(|| format!("cannot run `{}`", self.docker.display()))?;
        Ok(exit_code(status))
    }
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return 128 + sig;
        }
    }
    status.code().unwrap_or(1)
}

/// Runs lines on the simulated engine through its emulation of the docker CLI.
pub struct SimCli {
    pub engine: Arc<SimEngine>,
}

impl SimCli {
    pub fn new() -> Result<SimCli> {
        let dir = crate::home::dir()?.join("sim");
        let engine =
            SimEngine::open(&dir).with_context(|| format!("opening the simulated engine in `{}`", dir.display()))?;
        if let Some(note) = engine.notice.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            eprintln!("docklings: {note}");
        }
        Ok(SimCli { engine })
    }

    /// Runs one line; returns its exit status.
    pub fn run_line(&self, line: &str) -> i32 {
        let script = shell::parse(line);
        let [cmd] = script.commands.as_slice() else {
            if script.commands.is_empty() {
                return 0;
            }
            eprintln!("docklings: one docker command per line here: no `;`, `&&` or pipes");
            return 2;
        };
        let words: Vec<String> = cmd.words.iter().map(|w| w.value.clone()).collect();
        if words.first().map(String::as_str) == Some("curl") {
            let status = curl(&self.engine, &words, &mut std::io::stdout(), &mut std::io::stderr());
            std::io::stdout().flush().ok();
            return status;
        }
        if words.first().map(String::as_str) != Some("docker") {
            eprintln!(
                "docklings: {}: only `docker` commands run in this shell",
                words.first().map_or("", String::as_str)
            );
            return 127;
        }
        let mut stdout = std::io::stdout();
        let mut stderr = std::io::stderr();
        let tty = std::io::IsTerminal::is_terminal(&stdout);
        let stdin: Option<Box<dyn std::io::Read + Send>> =
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) { Some(Box::new(std::io::stdin())) } else { None };
        let mut io = simulated::cli::Io { stdout: &mut stdout, stderr: &mut stderr, stdin, tty };
        let status = simulated::cli::run(&self.engine, &words, &mut io);
        // A prompt without a newline (`[y/N] `) must show before the next command's output.
        std::io::Write::flush(&mut stdout).ok();
        status
    }
}

/// `curl [-s] [-i] [-v] http://localhost:PORT/PATH` in the simulated shell: the host's side of a published port
/// (`-p 8080:80`), which is how a learner sees that `EXPOSE` alone publishes nothing. The request goes to the
/// container's listener through the simulation's in-memory network (`networks::published` says which container
/// and port); without a published port it fails as real curl does. Returns curl's exit status.
pub fn curl(engine: &SimEngine, argv: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use std::net::Ipv4Addr;
    let (mut silent, mut include, mut verbose, mut url) = (false, false, false, None);
    for arg in &argv[1..] {
        match arg.as_str() {
            "--silent" => silent = true,
            "--include" => include = true,
            "--verbose" => verbose = true,
            a if a.starts_with('-') && a.len() > 1 && a[1..].chars().all(|c| "siv".contains(c)) => {
                silent |= a.contains('s');
                include |= a.contains('i');
                verbose |= a.contains('v');
            }
            a if a.starts_with('-') => {
                let _ =
                    writeln!(err, "docklings: curl here knows only -s, -i and -v (`--engine real` runs your own curl)");
                return 2;
            }
            a => url = Some(a.to_string()),
        }
    }
    let Some(url) = url else {
        let _ = writeln!(err, "curl: try 'curl --help' or 'curl --manual' for more information");
        return 2;
    };
    let rest = url.strip_prefix("http://").unwrap_or(&url);
    let (authority, path) = rest.find('/').map_or((rest, "/"), |at| (&rest[..at], &rest[at..]));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => {
            if let Ok(p) = p.parse::<u16>() {
                (h, p)
            } else {
                let _ = writeln!(err, "curl: (3) URL using bad/illegal format or missing URL");
                return 3;
            }
        }
        None => (authority, 80),
    };
    let ip = match host {
        "localhost" | "127.0.0.1" => Ipv4Addr::LOCALHOST,
        "0.0.0.0" => Ipv4Addr::UNSPECIFIED,
        other => {
            let _ = writeln!(
                err,
                "docklings: the simulated shell's curl reaches the host's own ports only (localhost, 127.0.0.1, 0.0.0.0), not `{other}`"
            );
            return 6;
        }
    };
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    let response = match simulated::networks::host_request(
        engine,
        ip,
        port,
        request.as_bytes(),
        std::time::Duration::from_secs(30),
    ) {
        Ok(r) => r,
        Err(failure) => {
            if !silent {
                // curl names the host as it was typed, not the address it resolved to.
                let text = failure.text.replacen(&format!("{ip} port"), &format!("{host} port"), 1);
                let _ = writeln!(err, "curl: ({}) {text}", failure.curl_code);
            }
            return failure.curl_code;
        }
    };
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").map_or(response.len(), |at| at + 4);
    let (head, body) = response.split_at(split);
    if verbose {
        let _ = write!(err, "*   Trying 127.0.0.1:{port}...\n* Connected to {host} (127.0.0.1) port {port} (#0)\n");
        for line in request.lines() {
            let _ = writeln!(err, "> {line}");
        }
        for line in String::from_utf8_lossy(head).lines() {
            let _ = writeln!(err, "< {line}");
        }
    }
    if include {
        let _ = out.write_all(head);
    }
    let _ = out.write_all(body);
    0
}

/// A docker prompt on one engine or the other.
pub enum Session {
    Real(RealCli),
    Sim(SimCli),
}

impl Session {
    pub fn run_line(&self, line: &str) -> Result<i32> {
        match self {
            Session::Real(r) => r.run_line(line),
            Session::Sim(s) => Ok(s.run_line(line)),
        }
    }

    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Session::Real(_) => "real",
            Session::Sim(_) => "sim",
        }
    }
}

/// The lines of a script that run: blank lines and `#` comments skipped.
fn script_lines(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read script `{}`", path.display()))?;
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect())
}

/// The engine a choice means; for `auto`, the real one when it answers, else the simulation, and why.
pub fn session(choice: EngineChoice) -> Result<(Session, Option<String>)> {
    Ok(match choice {
        EngineChoice::Real => (Session::Real(RealCli::new()?), None),
        EngineChoice::Sim => (Session::Sim(SimCli::new()?), None),
        EngineChoice::Auto => match RealCli::new() {
            Ok(r) => (Session::Real(r), Some("using your Docker engine".to_string())),
            Err(e) => (Session::Sim(SimCli::new()?), Some(format!("using the simulated engine ({e:#})"))),
        },
    })
}

/// Runs `docklings shell`; returns the exit status of the last command.
pub fn run(args: &ShellArgs) -> Result<i32> {
    let (cli, why) = session(args.engine)?;
    // Ctrl-C belongs to the running docker command; docklings itself keeps going. The real engine's `docker`
    // gets the signal itself; on the simulated engine, which runs the line in this process, the line's
    // containers and the engine's waits for it are stopped here.
    let foreground = match &cli {
        Session::Sim(s) => Some(crate::repl::interrupt::Foreground::new(s.engine.clone())),
        Session::Real(_) => None,
    };
    let handler = foreground.clone();
    ctrlc::set_handler(move || {
        if let Some(f) = &handler {
            f.interrupt();
        }
    })
    .ok();
    let run_line = |line: &str| {
        let _running = foreground.as_ref().map(|f| f.begin());
        cli.run_line(line)
    };
    if let Some(script) = &args.script {
        let mut last = 0;
        for line in script_lines(script)? {
            if args.echo {
                println!("$ {line}");
            }
            last = run_line(&line)?;
        }
        return Ok(last);
    }
    if let Some(why) = why {
        eprintln!("docklings: {why}");
    }
    interactive(&cli, &run_line)
}

fn interactive(cli: &Session, run_line: &dyn Fn(&str) -> Result<i32>) -> Result<i32> {
    use rustyline::error::ReadlineError;
    let history = crate::home::dir()?.join("shell_history");
    let mut editor = rustyline::DefaultEditor::new().context("cannot open the terminal")?;
    editor.load_history(&history).ok();
    match cli {
        Session::Real(_) => println!("docker commands run on your Docker engine; `exit` or Ctrl-D leaves."),
        Session::Sim(_) => println!("docker commands run on the simulated engine; `exit` or Ctrl-D leaves."),
    }
    let prompt = format!("docklings[{}]$ ", cli.label());
    let mut last = 0;
    loop {
        match editor.readline(&prompt) {
            Ok(line) => {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                editor.add_history_entry(line).ok();
                if matches!(line, "exit" | "quit") {
                    break;
                }
                last = run_line(line)?;
            }
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e).context("reading a line"),
        }
    }
    editor.save_history(&history).ok();
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_go_after_the_command_words() {
        let cli = RealCli { docker: PathBuf::from("docker"), lesson: Some("volumes".into()) };
        let v = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            cli.with_label(&v("run -d --name web nginx")),
            v("run --label=io.docklings.lesson=volumes -d --name web nginx")
        );
        assert_eq!(
            cli.with_label(&v("volume create data")),
            v("volume create --label=io.docklings.lesson=volumes data")
        );
        assert_eq!(
            cli.with_label(&v("container run busybox")),
            v("container run --label=io.docklings.lesson=volumes busybox")
        );
        assert_eq!(cli.with_label(&v("ps -a")), v("ps -a"));
        assert_eq!(
            cli.with_label(&v("-H unix:///x run busybox")),
            v("-H unix:///x run --label=io.docklings.lesson=volumes busybox")
        );
    }
}
