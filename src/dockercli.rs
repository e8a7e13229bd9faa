//! A parser for `docker …` command lines, with flags exactly as the Docker 28 CLI defines them and parsed by
//! spf13/pflag's rules (what Docker's cobra commands use): `--name value`, `--name=value`, `-p80:80`, bundles
//! such as `-dit`, `--rm=false`, `--` and, for `run`, `create`, `exec` and `commit`, no flags after the first
//! positional.
//!
//! It does no I/O. The lint rules read its [`Invocation`]s; the simulated engine will too, so the command tree
//! and the flags are data (`table.rs`, `flags.rs`) that grow by adding lines.

mod flags;
mod pflag;
mod spec;
mod table;
#[cfg(test)]
mod tests;

pub use spec::{Arity, Body, Command, Flag, Takes};

use pflag::{FlagSet, OnPositional};

/// A parsed `docker …` invocation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    /// The command, aliases resolved to the short top-level form where Docker has one: `docker container run`
    /// and `docker run` give `["run"]`, `image build`/`builder build`/`buildx build` give `["build"]`,
    /// `container ls`/`container ps`/`ps` give `["ps"]`, `image ls`/`images` give `["images"]`, `image rm`/`rmi`
    /// give `["rmi"]`. Commands without a short form keep their path: `["volume", "create"]`,
    /// `["container", "prune"]`. Empty for a bare `docker`; for an unknown command, the known part of the path.
    pub command: Vec<&'static str>,
    /// The command words as written (`["container", "run"]`), each with its index in argv.
    pub written: Vec<(String, usize)>,
    /// Flags given before the command: `-H`, `--context`, `--config`, `-D`, `-l`, `--tls…`, `-v`.
    pub global_flags: Vec<FlagUse>,
    pub flags: Vec<FlagUse>,
    /// Positionals in order. For `run`, `create` and `exec` everything after the image (or container) is an
    /// argument, flags included, because Docker stops parsing flags there. For an unknown or opaque command,
    /// every word from the first one the parser could not place.
    pub args: Vec<Arg>,
    /// Unknown flags, missing values, unknown commands, wrong argument counts, with Docker's message text.
    /// Docker stops at the first; the parser goes on so that rules see the rest, so `errors[0]` is what Docker
    /// prints and later entries are best effort.
    pub errors: Vec<CliError>,
    /// What Docker prints to stderr without failing: `Flag --time has been deprecated, use --timeout instead`.
    pub warnings: Vec<CliError>,
    /// True when Docker has this command but docklings does not model its flags (`docker compose up`, `docker
    /// stats`): `args` then holds every word after the command, unparsed.
    pub opaque: bool,
}

/// One use of a flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagUse {
    /// The canonical long name: `publish` for `-p`, `network` for `--net`.
    pub name: &'static str,
    /// The value as given; `None` for a boolean (or optional-value flag) given bare. `--rm=false` gives
    /// `Some("false")`.
    pub value: Option<String>,
    /// Index in argv of the word holding the flag.
    pub word: usize,
    /// Index in argv of the word holding the value: the flag's own word for `-p80:80` and `--name=web`, the next
    /// one for `-p 80:80`.
    pub value_word: Option<usize>,
    /// The flag as written: `-p`, `--net`, `-t` (one letter of `-it`).
    pub given_as: String,
}

/// A positional argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    pub value: String,
    pub word: usize,
}

/// A problem Docker would report, at the argv word it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    /// Docker's first line: `unknown flag: --foo`, `flag needs an argument: 'p' in -p`, `docker: unknown command:
    /// docker foo`. Docker follows it with the usage line and a hint to run `--help`; callers that print the
    /// error add those (see [`Invocation::command_path`]).
    pub message: String,
    pub word: usize,
    pub kind: ErrorKind,
}

/// What went wrong. The engine needs the kind for the exit status: docker/cli turns flag errors into status 125.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    UnknownFlag,
    MissingValue,
    /// A value the flag cannot take: `--rm=maybe`.
    InvalidValue,
    /// `---x` or `--=x`.
    BadFlagSyntax,
    UnknownCommand,
    ArgCount,
    /// A warning, never an error: a deprecated flag or shorthand was used.
    Deprecated,
}

impl Invocation {
    /// The last use of the flag with this canonical long name (pflag keeps the last value of a single-value flag).
    #[must_use]
    pub fn flag(&self, long: &str) -> Option<&FlagUse> {
        self.flags.iter().rev().find(|f| f.name == long)
    }

    /// Every use of the flag, in order (`-p` and `-e` repeat).
    pub fn flags_named<'a>(&'a self, long: &'a str) -> impl Iterator<Item = &'a FlagUse> {
        self.flags.iter().filter(move |f| f.name == long)
    }

    /// Whether a boolean flag is on: its last use is bare or has a true value (`--rm`, `--rm=true`, not
    /// `--rm=false`).
    #[must_use]
    pub fn has(&self, long: &str) -> bool {
        self.flag(long).is_some_and(|f| f.value.as_deref().is_none_or(|v| pflag::parse_bool(v) == Some(true)))
    }

    /// The global flag with this canonical long name, last use.
    #[must_use]
    pub fn global_flag(&self, long: &str) -> Option<&FlagUse> {
        self.global_flags.iter().rev().find(|f| f.name == long)
    }

    /// The command's entry in Docker's command tree, for its flag table.
    #[must_use]
    pub fn spec(&self) -> Option<&'static Command> {
        self.walk().last()
    }

    /// The path cobra prints in messages: primary names under the written parents, so `docker container ps`
    /// gives `docker container ls` and `docker rmi` gives `docker rmi`.
    #[must_use]
    pub fn command_path(&self) -> String {
        let mut path = String::from("docker");
        for cmd in self.walk() {
            path.push(' ');
            path.push_str(cmd.name);
        }
        path
    }

    /// The commands the written words name, from the top.
    fn walk(&self) -> impl Iterator<Item = &'static Command> + '_ {
        let mut level = Some(table::ROOT);
        self.written.iter().map_while(move |(word, _)| {
            let cmd = spec::find_command(level?, word)?;
            level = match cmd.body {
                Body::Group { sub, .. } => Some(sub),
                _ => None,
            };
            Some(cmd)
        })
    }
}

/// The top of Docker's command tree, for callers that list or complete commands.
#[must_use]
pub fn commands() -> &'static [Command] {
    table::ROOT
}

/// Parses a command line. `argv[0]` is the program (`docker`, `/usr/bin/docker`, `docker.exe`); returns `None`
/// when it is not docker. Never fails otherwise: problems are in [`Invocation::errors`].
#[must_use]
pub fn parse(argv: &[&str]) -> Option<Invocation> {
    if !is_docker(argv.first()?) {
        return None;
    }
    let mut inv = Invocation::default();
    let global = FlagSet { groups: &[flags::GLOBAL], global: true, on_positional: OnPositional::Stop };
    let mut i = pflag::parse(&mut inv, argv, 1, global);
    let mut level = table::ROOT;
    let mut parent: Option<&'static Command> = None;
    while let Some(&word) = argv.get(i) {
        let Some(cmd) = spec::find_command(level, word) else {
            unknown(&mut inv, argv, i, parent);
            return Some(inv);
        };
        inv.written.push((word.to_string(), i));
        inv.command = cmd.canonical.to_vec();
        i += 1;
        match cmd.body {
            Body::Group { sub, .. } => {
                // Cobra parses flags between the words of a command path against the parent, which has only
                // `--help`.
                let between = FlagSet { groups: &[], global: false, on_positional: OnPositional::Stop };
                i = pflag::parse(&mut inv, argv, i, between);
                level = sub;
                parent = Some(cmd);
            }
            Body::Leaf { flags, interspersed, args } => {
                let on_positional = if interspersed { OnPositional::Collect } else { OnPositional::CollectRest };
                pflag::parse(&mut inv, argv, i, FlagSet { groups: flags, global: false, on_positional });
                if inv.errors.is_empty() && !inv.has("help") {
                    let word = inv.written.last().map_or(0, |(_, w)| *w);
                    if let Some(message) = args.check(&inv.command_path(), inv.args.len()) {
                        inv.errors.push(CliError { message, word, kind: ErrorKind::ArgCount });
                    }
                }
                return Some(inv);
            }
            Body::Opaque => {
                keep_unparsed(&mut inv, argv, i);
                return Some(inv);
            }
        }
    }
    Some(inv)
}

/// A word that names no command under `parent`: unknown, or a plugin's subcommand kept unparsed.
fn unknown(inv: &mut Invocation, argv: &[&str], i: usize, parent: Option<&'static Command>) {
    if let Some(Command { body: Body::Group { open: true, .. }, .. }) = parent {
        keep_unparsed(inv, argv, i);
        return;
    }
    let message = format!("docker: unknown command: {} {}", inv.command_path(), argv[i]);
    inv.errors.push(CliError { message, word: i, kind: ErrorKind::UnknownCommand });
    keep_unparsed(inv, argv, i);
    inv.opaque = false;
}

fn keep_unparsed(inv: &mut Invocation, argv: &[&str], from: usize) {
    inv.opaque = true;
    inv.args.extend(argv.iter().enumerate().skip(from).map(|(word, v)| Arg { value: (*v).to_string(), word }));
}

/// Whether the program is the Docker CLI, whatever its directory or a Windows `.exe`.
fn is_docker(program: &str) -> bool {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    name == "docker" || name.eq_ignore_ascii_case("docker.exe")
}
