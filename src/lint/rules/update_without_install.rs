//! DK4005: a package index update (`apt-get update`, `apk update`, …) in a `RUN` that installs nothing.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::SimpleCommand;

use super::packages::{self, Site};

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A package index update in a `RUN` that installs nothing",
    what: "Finds `apt-get update` (and `apt`, `aptitude`), `apk update`, `dnf`/`yum`/`microdnf makecache` and \
           `zypper refresh` in a `RUN` with no command of the same package manager that uses the index \
           (`install`, `upgrade`, `add`, …). A `RUN` that also runs a script or `xargs`, which may do the \
           install, is left alone.",
    why: "The build cache keeps the update's layer and reuses it for as long as the line is unchanged, for \
          months. A later `RUN apt-get install` then reads that old index: it installs package versions that \
          have since had security fixes, or fails when the mirror no longer has them. Updating and installing \
          in the same `RUN` refreshes the index whenever the package list changes.",
    example: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
    instead: "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: None,
};

/// A package manager's index update, and the subcommands that read the index.
struct Manager {
    programs: &'static [&'static str],
    updates: &'static [&'static str],
    uses: &'static [&'static str],
}

const MANAGERS: &[Manager] = &[
    Manager {
        programs: &["apt-get", "apt", "aptitude"],
        updates: &["update"],
        uses: &[
            "install",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "build-dep",
            "source",
            "download",
            "satisfy",
            "reinstall",
            "safe-upgrade",
        ],
    },
    Manager { programs: &["apk"], updates: &["update"], uses: &["add", "upgrade", "fix", "search", "fetch"] },
    Manager {
        programs: &["dnf", "yum", "microdnf", "tdnf"],
        updates: &["makecache"],
        uses: &["install", "upgrade", "update", "reinstall", "groupinstall", "distro-sync", "downgrade", "builddep"],
    },
    Manager {
        programs: &["zypper"],
        updates: &["refresh", "ref"],
        uses: &["install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si"],
    },
];

/// The first operand of a command: its subcommand.
fn subcommand(cmd: &SimpleCommand) -> Option<&str> {
    packages::operand_positions(cmd.args(), &["-o", "-c", "-t", "--root", "-X", "--repository", "-p"])
        .first()
        .map(|&i| cmd.args()[i].value.as_str())
}

/// True when a command may install packages in a way this rule cannot see.
fn opaque(cmd: &SimpleCommand) -> bool {
    let Some(name) = cmd.name() else { return false };
    let runs_file = matches!(cmd.program(), Some("sh" | "bash" | "ash" | "dash" | "zsh" | "source" | "."))
        && !cmd.args().is_empty();
    runs_file
        || name.starts_with("./")
        || std::path::Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case("sh"))
        || matches!(cmd.program(), Some("xargs" | "eval" | "make" | "install_packages" | "apt-install"))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let sites: Vec<Site> = packages::commands(ctx).collect();
    // The commands of one RUN come together, so each RUN is looked at once (a file of many RUNs stays linear).
    for run in sites.chunk_by(|a, b| a.index == b.index) {
        for (i, site) in run.iter().enumerate() {
            let Some(program) = site.cmd.program() else { continue };
            let Some(manager) = MANAGERS.iter().find(|m| m.programs.contains(&program)) else { continue };
            let Some(sub) = subcommand(&site.cmd) else { continue };
            if !manager.updates.contains(&sub) {
                continue;
            }
            let used = run.iter().any(|s| {
                s.cmd.program().is_some_and(|p| manager.programs.contains(&p))
                    && subcommand(&s.cmd).is_some_and(|c| manager.uses.contains(&c))
            });
            if used || run.iter().any(|s| opaque(&s.cmd)) {
                continue;
            }
            // Report each RUN once, at its first update.
            if run[..i].iter().any(|s| {
                s.cmd.program().is_some_and(|p| manager.programs.contains(&p))
                    && subcommand(&s.cmd).is_some_and(|c| manager.updates.contains(&c))
            }) {
                continue;
            }
            let head = site.cmd.words.iter().position(|w| w.value == sub).unwrap_or(0);
            out.push(
                Violation::new(site.head_span(head), format!("`{program} {sub}` in a `RUN` that installs nothing"))
                    .label("cached on its own; later installs read a stale index")
                    .help(format!(
                        "update and install in the same `RUN`: `{program} {sub} && {program} {} …`",
                        manager.uses[0]
                    )),
            );
        }
    }
}
