//! DL3042: `pip install` that keeps pip's download cache in the image.

use super::packages::{self, Site};
use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Fix, Safety, Violation};
use crate::lint::fix::insert_after_word;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`pip install` that keeps pip's cache in the image",
    what: "Finds `pip install` commands (also `pip3`, `python -m pip`) without `--no-cache-dir`. It is quiet \
           when `PIP_NO_CACHE_DIR` is set (by `ENV` or `ARG` in the stage or a stage it builds on, or in the \
           `RUN` itself), when the `RUN` mounts a cache or a tmpfs on pip's cache folder \
           (`--mount=type=cache,target=/root/.cache/pip`), or deletes that folder (or runs `pip cache purge`) \
           after installing. `pipx` and `pipenv` manage their own environments and are left alone.",
    why: "pip keeps every wheel it downloads or builds under `~/.cache/pip` to speed up the next install. In \
          an image there is no next install: the cache only adds its size, often more than the packages \
          themselves, to the layer.",
    example: "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n",
    instead: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
    fix: Some("Inserts `--no-cache-dir` after `install`."),
};

/// pip reads `PIP_NO_CACHE_DIR` with `strtobool` and, for compatibility, disables the cache for any valid
/// boolean, false ones included.
fn disables_cache(value: &str) -> bool {
    let v = value.trim_matches(|c| c == '"' || c == '\'').to_ascii_lowercase();
    matches!(v.as_str(), "y" | "yes" | "t" | "true" | "on" | "1" | "n" | "no" | "f" | "false" | "off" | "0")
}

/// `PIP_NO_CACHE_DIR` set by an `ENV` or `ARG` default the RUN inherits.
fn env_disables_cache(ctx: &DockerfileContext, index: usize) -> bool {
    ctx.inherited(index).into_iter().flatten().any(|i| {
        let ins = &ctx.file.instructions[i];
        match &ins.args {
            Args::KeyValues(pairs) if ins.kind == Keyword::Env => {
                pairs.iter().any(|p| p.key.value == "PIP_NO_CACHE_DIR" && disables_cache(&p.value.value))
            }
            Args::Arg(decls) => decls.iter().any(|d| {
                d.name.value == "PIP_NO_CACHE_DIR" && d.default.as_ref().is_some_and(|w| disables_cache(&w.value))
            }),
            _ => false,
        }
    })
}

/// `PIP_NO_CACHE_DIR=…` before the command, or as an assignment (or `export`) earlier in the script.
fn script_disables_cache(site: &Site) -> bool {
    site.script.script.commands.iter().filter(|c| c.range.0 <= site.cmd.range.0).any(|c| {
        let c = packages::normalized(c);
        c.assignments
            .iter()
            .chain(if c.is("export") { c.args() } else { &[] })
            .any(|w| w.value.strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(disables_cache))
    })
}

/// pip's cache folder (`~/.cache/pip`), or the `.cache` folder that holds it.
fn is_cache(path: &str) -> bool {
    let p = path.trim_end_matches("/*").trim_end_matches('/');
    p.ends_with("/.cache/pip") || p.ends_with("/.cache") || p == "~/.cache" || path.contains("/.cache/pip/")
}

fn purges_cache(site: &Site) -> bool {
    let purge = site.script.script.commands.iter().filter(|c| c.range.0 >= site.cmd.range.1).any(|c| {
        c.program().is_some_and(|p| p.starts_with("pip"))
            && packages::subcommand(c, &[], &["cache"])
                .is_some_and(|i| c.words.get(i + 1).is_some_and(|w| w.value == "purge"))
    });
    purge || packages::removes_after(site.script, site.cmd.range.1, is_cache)
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        let Some(start) = packages::pip_install(&site.cmd) else { continue };
        if matches!(site.cmd.program(), Some(p) if p.starts_with("pipx") || p.starts_with("pipenv")) {
            continue;
        }
        if site.cmd.words.iter().any(|w| w.value == "--no-cache-dir") {
            continue;
        }
        if script_disables_cache(&site)
            || env_disables_cache(ctx, site.index)
            || packages::mounts_cache(site.instruction(ctx), is_cache)
            || purges_cache(&site)
        {
            continue;
        }
        let mut v = Violation::new(site.head_span(start - 1), "`pip install` keeps its download cache in the image")
            .label("wheels cached in ~/.cache/pip")
            .help(
                "add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or mount a cache: \
                 `RUN --mount=type=cache,target=/root/.cache/pip …`",
            );
        if let Some(e) = insert_after_word(site.script, &site.cmd.words[start - 1], "--no-cache-dir") {
            v = v.fix(Fix::new("Add `--no-cache-dir`", Safety::Safe, vec![e]));
        }
        one.push(out, site.index, v);
    }
}
