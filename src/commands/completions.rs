//! `docklings completions SHELL` and the hidden `docklings man`: the command line described for other tools,
//! both generated from the clap definition in `cli.rs` so they cannot drift from it.

use std::io::Write;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The completion script for `shell`, as the shell sources it.
#[must_use]
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "docklings", &mut out);
    out
}

/// The man page, in roff for section 1, of docklings or of one of its subcommands (`docklings-lint(1)`, which the
/// main page's SUBCOMMANDS section refers to).
pub fn man_page(subcommand: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let mut command = Cli::command();
    // Building fills in the subcommands' display names (`docklings-lint`), which name their pages.
    command.build();
    let page = match subcommand {
        None => command,
        Some(name) => command
            .get_subcommands()
            .find(|c| c.get_name() == name && !c.is_hide_set())
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("no subcommand `{name}`"))?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        // Every page names the program and its version, the subcommands' pages too.
        .source(concat!("docklings ", env!("CARGO_PKG_VERSION")))
        .render(&mut out)
        .context("rendering the man page")?;
    Ok(out)
}

/// Writes `shell`'s completion script to standard output.
pub fn run(shell: Shell) -> anyhow::Result<()> {
    // The script is built in memory first: clap_complete panics on a failed write, and a closed pipe is an
    // ordinary error here.
    std::io::stdout().lock().write_all(&script(shell)).context("writing the completion script")
}

/// Writes a man page to standard output.
pub fn run_man(subcommand: Option<&str>) -> anyhow::Result<()> {
    std::io::stdout().lock().write_all(&man_page(subcommand)?).context("writing the man page")
}
