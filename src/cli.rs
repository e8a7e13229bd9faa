//! The command line, as clap derives it; the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lint::Threshold;
use crate::lint::render::Format;

#[derive(Parser, Debug)]
#[command(
    name = "docklings",
    version,
    about = "Learn Docker in the terminal; lint Dockerfiles and docker commands in CI.",
    long_about = "docklings teaches Docker with lessons you work through in a terminal, and lints Dockerfiles \
                  (hadolint's rules and more) and the `docker run`/`docker build` commands in scripts, Makefiles, \
                  CI workflows and Markdown.",
    after_help = "Examples:\n  docklings lint                      lint every Dockerfile and script below this folder\n  docklings lint Dockerfile --format json\n  docklings explain DK1001            why a rule exists and how to fix what it finds"
)]
pub struct Cli {
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles, and the docker commands in scripts, Makefiles, CI workflows and Markdown.
    ///
    /// Exit status: 0 when no finding reaches the failure threshold, 1 when one does, 2 when the input or the
    /// configuration is wrong (a missing file, a bad config). A Dockerfile that does not parse is a finding
    /// (DL1000), not an input error.
    Lint(LintArgs),
    /// A docker prompt without lessons; with `--script`, runs a file's docker lines as if typed.
    ///
    /// Each command's output is printed exactly as docker prints it, and nothing else. Exit status: the last
    /// command's.
    Shell(ShellArgs),
    /// The tutorial (also what `docklings` alone starts): lessons you work through by typing docker commands,
    /// with each step's goals checked after every command.
    Learn(LearnArgs),
    /// List the lessons, or check that every lesson's reference solution meets its goals on an engine.
    Lessons(LessonsArgs),
    /// Your progress in the lessons; `progress export` writes it as JSON for an instructor.
    Progress(ProgressArgs),
    /// A class report from learners' progress exports: per learner and per lesson, what is finished and how
    /// many hints it took. Exit status 2 when a file is not a progress export this version reads.
    Report(ReportArgs),
    /// A language server over standard input and output, for editors: lint findings as diagnostics while you
    /// type, and their fixes as quick fixes. Configuration is found as `docklings lint` finds it.
    Lsp,
    /// Explain a rule: what it finds, why it matters, an example and the fix.
    Explain {
        /// A rule code (`DL3006`, `DK1001`) or name (`LatestTag`).
        code: String,
    },
    /// Print a completion script for your shell to standard output.
    ///
    /// For example: `docklings completions bash > ~/.local/share/bash-completion/completions/docklings`, or
    /// `docklings completions zsh > ~/.zfunc/_docklings` with `~/.zfunc` in `fpath`.
    Completions {
        /// The shell to write the script for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff) to standard output: `docklings man > docklings.1`, and one per subcommand with
    /// `docklings man lint > docklings-lint.1`.
    #[command(hide = true)]
    Man {
        /// The subcommand whose page to print [default: the page of docklings itself].
        subcommand: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct ProgressArgs {
    #[command(subcommand)]
    pub command: ProgressCommand,
}

#[derive(Subcommand, Debug)]
pub enum ProgressCommand {
    /// Write your progress as JSON (schema `docklings-progress/1`, described in the book's "Progress reports").
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// The learner's name in the export [default: $USER].
        #[arg(long)]
        name: Option<String>,
        /// The lesson pack (folder or .tar.gz) the learner used: its lessons' titles and step counts go into the
        /// export, as the built-in lessons' do.
        #[arg(long, value_name = "PACK")]
        lessons: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Progress exports, one per learner (`docklings progress export`).
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Tables for the terminal.
    Table,
    /// One row per learner and lesson.
    Csv,
    /// The whole report, schema `docklings-report/1`.
    Json,
    /// One self-contained page with a chart of completion per lesson.
    Html,
}

/// Which Docker engine to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// The real engine when one answers, else the simulated one (and say which).
    #[default]
    Auto,
    /// Your Docker engine (DOCKER_HOST, the current docker context, or the default socket).
    Real,
    /// The built-in simulated engine: no Docker needed.
    Sim,
}

#[derive(Args, Debug)]
pub struct ShellArgs {
    #[arg(long, value_enum, default_value_t = EngineChoice::Auto)]
    pub engine: EngineChoice,
    /// Run this file's lines (blank and `#` lines skipped) as if typed, then exit.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// With `--script`: print `$ <line>` before each command's output.
    #[arg(long, requires = "script")]
    pub echo: bool,
}

#[derive(Args, Debug, Default)]
pub struct LearnArgs {
    /// A lesson's id or number [default: where you left off, else the first].
    pub lesson: Option<String>,
    #[arg(long, value_enum, default_value_t = EngineChoice::Auto)]
    pub engine: EngineChoice,
    /// The lessons' language: `en` or `ko` [default: your last choice, else LANG's].
    #[arg(long, value_parser = ["en", "ko"])]
    pub lang: Option<String>,
    /// An instructor's lesson pack (a folder of lessons, or a `.tar.gz` of one) instead of the built-in lessons.
    #[arg(long, value_name = "PACK")]
    pub lessons: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct LessonsArgs {
    #[command(subcommand)]
    pub command: LessonsCommand,
    /// Lessons in this folder (its `*.md`, or its `en/` and `ko/` folders), or in a `.tar.gz` of one, instead of
    /// the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The language: `en` or `ko` [default: `list` follows LANG; `check` checks both].
    #[arg(long, global = true, value_parser = ["en", "ko"])]
    pub lang: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum LessonsCommand {
    /// The lessons, in order, with their steps.
    List {
        /// A lesson pack (a folder or a `.tar.gz` of one) instead of the built-in lessons; same as `--dir`.
        pack: Option<PathBuf>,
    },
    /// Run every step's reference solution on a fresh engine and check that its goals fail before the step and
    /// hold after it. Ends with `N passed, N failed`; exit status 1 when any lesson failed.
    Check {
        /// A lesson pack (a folder or a `.tar.gz` of one) instead of the built-in lessons; same as `--dir`.
        pack: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = EngineChoice::Sim)]
        engine: EngineChoice,
        /// On the real engine, remove the images a lesson pulls (its `pulls`) before the lesson, so that goals about
        /// them must fail first. They are not docklings' own: use it only where they can be pulled again (CI's
        /// offline hub). Without it, such goals are not checked before their step.
        #[arg(long)]
        remove_pulled: bool,
    },
    /// Write a new lesson, `NAME.md`, to start a pack from: one step that `lessons check` passes as it is.
    /// It goes into `--dir` when given, else the current folder; an existing file is never overwritten.
    New {
        /// The lesson's id and file name: lowercase letters, digits and `-`.
        name: String,
    },
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// Files and folders to lint; folders are walked, honouring .gitignore. `-` reads a Dockerfile from
    /// standard input. Without paths, the current folder.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Tty)]
    pub format: Format,

    /// Use this configuration file (`.docklings.toml` or hadolint's `.hadolint.yaml`) instead of looking for one
    /// upward from each linted file.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Turn a rule off, by code or name; repeat for more.
    #[arg(long, value_name = "CODE")]
    pub ignore: Vec<String>,

    /// Exit with 1 only for findings at or above this level: error, warning, info, style or none
    /// [default: the config file's, else info].
    #[arg(long, short = 't', value_name = "LEVEL")]
    pub failure_threshold: Option<Threshold>,

    /// The file name to show for standard input, and to pick the kind of file by.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Apply the fixes of the findings, rewriting the files in place (for `-`, print the fixed text to standard
    /// output). Fixes repeat until nothing changes; one whose result would not parse or would raise a new
    /// finding is refused. The report then shows what is left, and the exit status follows it.
    #[arg(long)]
    pub fix: bool,

    /// Print the changes `--fix` would make as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,

    /// With `--fix` or `--diff`: also apply the fixes that may change what the build does.
    #[arg(long)]
    pub unsafe_fixes: bool,
}
