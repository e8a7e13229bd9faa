use std::process::ExitCode;

use clap::Parser;
use docklings::cli::{Cli, Command};
use docklings::commands;

fn learn(args: &docklings::cli::LearnArgs) -> anyhow::Result<ExitCode> {
    let options = docklings::repl::Options {
        engine: args.engine,
        lesson: args.lesson.clone(),
        lang: args.lang.clone(),
        lessons: args.lessons.clone(),
    };
    docklings::repl::run(&options).map(|()| ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = match &cli.command {
        Some(Command::Lint(args)) => Some(args.format),
        _ => None,
    };
    colored::control::set_override(commands::lint::colour_enabled(cli.color, format));
    let result = match cli.command {
        Some(Command::Lint(args)) => {
            commands::lint::run(&args).map(|failed| if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Some(Command::Shell(args)) => {
            commands::shell::run(&args).map(|code| ExitCode::from(u8::try_from(code).unwrap_or(1)))
        }
        Some(Command::Lessons(args)) => {
            commands::lessons::run(&args).map(|ok| if ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Some(Command::Progress(args)) => commands::progress::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Report(args)) => commands::report::run(&args).map(|()| ExitCode::SUCCESS),
        Some(Command::Lsp) => commands::lsp::run().map(|()| ExitCode::SUCCESS),
        Some(Command::Explain { code }) => commands::explain::run(&code).map(|()| ExitCode::SUCCESS),
        Some(Command::Completions { shell }) => commands::completions::run(shell).map(|()| ExitCode::SUCCESS),
        Some(Command::Man { subcommand }) => {
            commands::completions::run_man(subcommand.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Some(Command::Learn(args)) => learn(&args),
        None => learn(&docklings::cli::LearnArgs::default()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("docklings: {e:#}");
            ExitCode::from(2)
        }
    }
}
