//! The shape of Docker's command table: commands, their flags, and how many arguments they take.
//!
//! The table itself lives in `table.rs` and `flags.rs`; this file only says what an entry can express, so that
//! adding a command or a flag is adding a line of data, never code.

/// What a flag does with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// A boolean: `--rm`, `--rm=false`. The next word is never its value, because pflag gives booleans a
    /// default for the bare form.
    Bool,
    /// A value: `--name web`, `--name=web`, `-p 80:80`, `-p80:80`.
    Value,
    /// A value that may be left out (pflag's `NoOptDefVal`): bare `--check` means `--check=true`, and a value is
    /// only taken after `=`, never from the next word.
    Optional(&'static str),
}

/// One flag as Docker's CLI defines it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes: Takes,
    /// The name parse results use: the flag's own name, or the flag it is another spelling of, so that rules
    /// asking for `network` also see `--net`.
    pub canonical: &'static str,
    /// pflag's deprecation note; Docker prints `Flag --time has been deprecated, use --timeout instead`.
    pub deprecated: Option<&'static str>,
    /// The deprecation note of the shorthand alone (`-h` for `--help`).
    pub short_deprecated: Option<&'static str>,
}

impl Flag {
    #[must_use]
    pub const fn bool(long: &'static str) -> Flag {
        Flag { long, short: None, takes: Takes::Bool, canonical: long, deprecated: None, short_deprecated: None }
    }

    #[must_use]
    pub const fn value(long: &'static str) -> Flag {
        Flag { takes: Takes::Value, ..Flag::bool(long) }
    }

    /// A flag whose value may be left out; `bare` is what the bare form means.
    #[must_use]
    pub const fn optional(long: &'static str, bare: &'static str) -> Flag {
        Flag { takes: Takes::Optional(bare), ..Flag::bool(long) }
    }

    #[must_use]
    pub const fn short(self, c: char) -> Flag {
        Flag { short: Some(c), ..self }
    }

    /// Marks this flag as another spelling of `canonical` (Docker keeps `--net` next to `--network`).
    #[must_use]
    pub const fn alias_of(self, canonical: &'static str) -> Flag {
        Flag { canonical, ..self }
    }

    #[must_use]
    pub const fn deprecated(self, note: &'static str) -> Flag {
        Flag { deprecated: Some(note), ..self }
    }

    #[must_use]
    pub const fn short_deprecated(self, note: &'static str) -> Flag {
        Flag { short_deprecated: Some(note), ..self }
    }

    /// How pflag names the flag in value errors: `-d, --detach`, or `--rm` when there is no usable shorthand.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self.short {
            Some(c) if self.short_deprecated.is_none() => format!("-{c}, --{}", self.long),
            _ => format!("--{}", self.long),
        }
    }
}

/// The help flag cobra gives every command that does not define its own. Docker marks its `-h` deprecated.
pub(super) static HELP: Flag = Flag::bool("help").short('h').short_deprecated("please use --help");

/// How many positional arguments a command accepts, as docker/cli's `cli.NoArgs`, `RequiresMinArgs` and
/// friends check them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Any,
    None,
    Exact(u8),
    Min(u8),
    Max(u8),
    Range(u8, u8),
}

impl Arity {
    /// Docker's first error line when `n` arguments do not fit, for the command at `path` (`docker run`).
    #[must_use]
    pub fn check(self, path: &str, n: usize) -> Option<String> {
        let plural = |k: u8| if k == 1 { "argument" } else { "arguments" };
        let fits = match self {
            Arity::Any => true,
            Arity::None => n == 0,
            Arity::Exact(k) => n == usize::from(k),
            Arity::Min(k) => n >= usize::from(k),
            Arity::Max(k) => n <= usize::from(k),
            Arity::Range(lo, hi) => (usize::from(lo)..=usize::from(hi)).contains(&n),
        };
        if fits {
            return None;
        }
        Some(match self {
            Arity::Any => unreachable!("every count fits Arity::Any"),
            Arity::None => format!("docker: '{path}' accepts no arguments"),
            Arity::Exact(k) => format!("docker: '{path}' requires {k} {}", plural(k)),
            Arity::Min(k) => format!("docker: '{path}' requires at least {k} {}", plural(k)),
            Arity::Max(k) => format!("docker: '{path}' requires at most {k} {}", plural(k)),
            Arity::Range(lo, hi) => format!("docker: '{path}' requires at least {lo} and at most {hi} {}", plural(hi)),
        })
    }
}

/// What a command is.
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// A command whose flags docklings knows.
    Leaf {
        /// Flag groups, searched in order; commands share groups (`run` and `create` share the container flags).
        flags: &'static [&'static [Flag]],
        /// pflag's interspersed mode. `run`, `create`, `exec` and `commit` turn it off: flag parsing stops at the
        /// first positional, so everything after the image is the container's command, flags included.
        interspersed: bool,
        args: Arity,
    },
    /// A management command (`container`, `volume`) whose subcommands follow it.
    Group {
        sub: &'static [Command],
        /// Whether a subcommand docklings does not list is still a real command (plugins such as buildx add
        /// their own), so it is kept unparsed instead of reported as unknown.
        open: bool,
    },
    /// A real Docker command whose flags docklings does not model; its words are kept unparsed.
    Opaque,
}

/// One command of Docker's command tree.
#[derive(Clone, Copy, Debug)]
pub struct Command {
    /// The primary name, as cobra prints it in `docker container ls` even when `ps` was typed.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// The path parse results report (see [`crate::dockercli::Invocation::command`]).
    pub canonical: &'static [&'static str],
    pub body: Body,
}

impl Command {
    /// A command with flags; flags and positionals may interleave.
    #[must_use]
    pub const fn leaf(
        name: &'static str,
        canonical: &'static [&'static str],
        flags: &'static [&'static [Flag]],
        args: Arity,
    ) -> Command {
        Command { name, aliases: &[], canonical, body: Body::Leaf { flags, interspersed: true, args } }
    }

    /// A command whose flag parsing stops at the first positional (pflag's `SetInterspersed(false)`).
    #[must_use]
    pub const fn leaf_stopping(
        name: &'static str,
        canonical: &'static [&'static str],
        flags: &'static [&'static [Flag]],
        args: Arity,
    ) -> Command {
        Command { name, aliases: &[], canonical, body: Body::Leaf { flags, interspersed: false, args } }
    }

    #[must_use]
    pub const fn group(name: &'static str, canonical: &'static [&'static str], sub: &'static [Command]) -> Command {
        Command { name, aliases: &[], canonical, body: Body::Group { sub, open: false } }
    }

    #[must_use]
    pub const fn open_group(
        name: &'static str,
        canonical: &'static [&'static str],
        sub: &'static [Command],
    ) -> Command {
        Command { name, aliases: &[], canonical, body: Body::Group { sub, open: true } }
    }

    #[must_use]
    pub const fn opaque(name: &'static str, canonical: &'static [&'static str]) -> Command {
        Command { name, aliases: &[], canonical, body: Body::Opaque }
    }

    #[must_use]
    pub const fn aliases(self, aliases: &'static [&'static str]) -> Command {
        Command { aliases, ..self }
    }

    fn answers_to(&self, word: &str) -> bool {
        self.name == word || self.aliases.contains(&word)
    }

    /// The flag spelled `--name`, or cobra's implicit help flag.
    #[must_use]
    pub fn long_flag(&self, name: &str) -> Option<&'static Flag> {
        match self.body {
            Body::Leaf { flags, .. } => find_long(flags, name),
            _ => find_long(&[], name),
        }
    }
}

/// The command in `level` that `word` names, by name or alias.
pub(super) fn find_command(level: &'static [Command], word: &str) -> Option<&'static Command> {
    level.iter().find(|c| c.answers_to(word))
}

pub(super) fn find_long(groups: &'static [&'static [Flag]], name: &str) -> Option<&'static Flag> {
    groups.iter().flat_map(|g| g.iter()).find(|f| f.long == name).or_else(|| (name == "help").then_some(&HELP))
}

pub(super) fn find_short(groups: &'static [&'static [Flag]], c: char) -> Option<&'static Flag> {
    groups.iter().flat_map(|g| g.iter()).find(|f| f.short == Some(c)).or_else(|| (c == 'h').then_some(&HELP))
}
