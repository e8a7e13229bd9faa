//! `docker images`, `rmi`, `image prune`, `pull`, `push`, `tag`, `history` and `image inspect` on the simulated
//! engine, printing what Docker 28's CLI prints. This file dispatches and lists; the others are in `images/`.
//! The helpers shared with the volume commands (filters, the confirmation prompt) live here too.

mod inspect;
mod pull;
mod remove;

use std::sync::Arc;
use std::time::SystemTime;

use super::{Failure, Io, Outcome};
use crate::dockercli::Invocation;
use crate::dockerfmt::{self, ImageRow, ListOptions};
use crate::engine::EngineError;
use crate::engine::sim::SimEngine;
use crate::engine::sim::images::{self, Reference, reference};
use crate::engine::sim::state::{Image, State};

/// For `docker inspect`, which the container commands answer.
pub(super) use inspect::image_inspect_json;

pub fn run(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    match inv.command.as_slice() {
        ["images"] => list(engine, inv, io),
        ["rmi"] => remove::rmi(engine, inv, io),
        ["image", "prune"] => remove::prune(engine, inv, io),
        ["pull"] => pull::pull(engine, inv, io),
        ["push"] => pull::push(engine, inv, io),
        ["tag"] => inspect::tag(engine, inv, io),
        ["history"] => inspect::history(engine, inv, io),
        ["image", "inspect"] => inspect::inspect(engine, inv, io),
        _ => Err(Failure::new(format!("docklings: `{}` is not simulated yet", inv.command_path()), 1)),
    }
}

/// The positional arguments.
pub(super) fn args(inv: &Invocation) -> Vec<&str> {
    inv.args.iter().map(|a| a.value.as_str()).collect()
}

/// The value of a flag that takes one.
pub(super) fn value<'a>(inv: &'a Invocation, name: &str) -> Option<&'a str> {
    inv.flag(name).and_then(|f| f.value.as_deref())
}

/// `--filter` values as Docker's `filters.Args` holds them: key and value, in order.
#[derive(Clone)]
pub(super) struct Filters(pub Vec<(String, String)>);

impl Filters {
    /// Reads `--filter`; a value without `=` is a flag error, as the CLI's `FilterOpt` makes it.
    pub(super) fn parse(inv: &Invocation, usage: &str) -> Result<Filters, Failure> {
        let mut out = Vec::new();
        for f in inv.flags_named("filter") {
            let v = f.value.clone().unwrap_or_default();
            let Some((k, val)) = v.split_once('=') else {
                let short = if f.given_as.starts_with("--") { String::new() } else { format!("{}, ", f.given_as) };
                let path = inv.command_path();
                return Err(Failure::new(
                    format!(
                        "invalid argument \"{v}\" for \"{short}--filter\" flag: bad format of filter (expected name=value)\n\nUsage:  {path} {usage}\n\nRun '{path} --help' for more information"
                    ),
                    125,
                ));
            };
            out.push((k.trim().to_lowercase(), val.trim().to_string()));
        }
        Ok(Filters(out))
    }

    /// The daemon's check that every key is one it knows.
    pub(super) fn validate(&self, accepted: &[&str]) -> Result<(), Failure> {
        match self.0.iter().find(|(k, _)| !accepted.contains(&k.as_str())) {
            Some((k, _)) => Err(daemon_error(&format!("invalid filter '{k}'"))),
            None => Ok(()),
        }
    }

    pub(super) fn get(&self, key: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect()
    }

    /// `GetBoolOrDefault`: `true`/`1` or `false`/`0`, not both.
    pub(super) fn bool(&self, key: &str) -> Result<Option<bool>, Failure> {
        let values = self.get(key);
        if values.is_empty() {
            return Ok(None);
        }
        let is_true = values.iter().any(|v| matches!(*v, "1" | "true"));
        let is_false = values.iter().any(|v| matches!(*v, "0" | "false"));
        if is_true == is_false {
            let mut sorted: Vec<&str> = values.clone();
            sorted.sort_unstable();
            sorted.dedup();
            return Err(daemon_error(&format!("invalid filter '{key}=[{}]'", sorted.join(" "))));
        }
        Ok(Some(is_true))
    }

    /// `label=KEY` / `label=KEY=VALUE` filters (and `label!=…` with `negated`) as (key, value, negated).
    pub(super) fn labels(&self, negated: bool) -> Vec<(String, Option<String>, bool)> {
        let key = if negated { "label!" } else { "label" };
        self.get(key)
            .into_iter()
            .map(|v| match v.split_once('=') {
                Some((k, x)) => (k.to_string(), Some(x.to_string()), negated),
                None => (v.to_string(), None, negated),
            })
            .collect()
    }
}

/// `Error response from daemon: …`, status 1.
pub(super) fn daemon_error(message: &str) -> Failure {
    Failure::new(format!("Error response from daemon: {message}"), 1)
}

pub(super) fn engine_error(e: &EngineError) -> Failure {
    Failure::daemon(e)
}

/// Docker's `[y/N]` prompt on stdout: true only for a `y` answer; no input (a script) answers no.
pub(super) fn confirm(io: &mut Io, warning: &str) -> bool {
    io.out(&format!("{warning}\nAre you sure you want to continue? [y/N] "));
    let Some(stdin) = io.stdin.as_mut() else { return false };
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while let Ok(1) = stdin.read(&mut byte) {
        if byte[0] == b'\n' {
            break;
        }
        line.push(byte[0]);
    }
    String::from_utf8_lossy(&line).trim().eq_ignore_ascii_case("y")
}

/// Whether an image's labels match `label=` filters (all of them).
fn labels_match(img: &Image, filters: &[(String, Option<String>, bool)]) -> bool {
    filters.iter().all(|(k, v, _)| img.config.labels.get(k).is_some_and(|x| v.as_ref().is_none_or(|v| v == x)))
}

/// An image as listed: with the tags and digests the filters kept.
type Listed<'a> = (&'a Image, Vec<String>, Vec<String>);

/// The images the daemon's `GET /images/json` returns for these filters, newest first.
fn listed<'a>(st: &'a State, all: bool, filters: &Filters) -> Result<Vec<Listed<'a>>, Failure> {
    filters.validate(&["dangling", "label", "before", "since", "reference", "until"])?;
    let dangling = filters.bool("dangling")?;
    let created_of = |key: &str| -> Result<i128, Failure> {
        images::lookup(st, key).map(|i| st.images[i].created).map_err(|e| engine_error(&e))
    };
    let before: Vec<i128> = filters.get("before").into_iter().map(created_of).collect::<Result<_, _>>()?;
    let since: Vec<i128> = filters.get("since").into_iter().map(created_of).collect::<Result<_, _>>()?;
    let patterns = filters.get("reference");
    let labels = filters.labels(false);
    let mut out = Vec::new();
    for img in &st.images {
        let heads_only = dangling == Some(true);
        let child_count = images::children(st, &img.id);
        if heads_only && child_count > 0 {
            continue;
        }
        if before.iter().any(|&b| img.created >= b) || since.iter().any(|&s| img.created <= s) {
            continue;
        }
        if !labels_match(img, &labels) {
            continue;
        }
        let keep = |r: &String| {
            patterns.is_empty()
                || reference::parse(r).is_ok_and(|p| patterns.iter().any(|pat| reference::familiar_match(pat, &p)))
        };
        let tags: Vec<String> = img.repo_tags.iter().filter(|r| keep(r)).cloned().collect();
        let digests: Vec<String> = img.repo_digests.iter().filter(|r| keep(r)).cloned().collect();
        if tags.is_empty() && digests.is_empty() {
            // Shown as `<none>` only when untagged images are wanted: not an intermediate build step (unless
            // `-a`), not under `dangling=false`, and not when a reference filter is given.
            if !(all || child_count == 0) || dangling == Some(false) || !patterns.is_empty() {
                continue;
            }
        } else if heads_only && !tags.is_empty() {
            continue;
        }
        out.push((img, tags, digests));
    }
    out.sort_by(|a, b| b.0.created.cmp(&a.0.created).then_with(|| a.0.id.cmp(&b.0.id)));
    Ok(out)
}

/// One repository's tags and digests, for the rows of an image.
type Repo = (String, Vec<String>, Vec<String>);

/// The index of a repository's entry, added when missing.
fn slot(repos: &mut Vec<Repo>, name: String) -> usize {
    if let Some(i) = repos.iter().position(|(n, _, _)| *n == name) {
        return i;
    }
    repos.push((name, Vec::new(), Vec::new()));
    repos.len() - 1
}

/// The rows an image makes (`imageFormatTaggedAndDigest`): one per tag (per digest with `--digests`), then one
/// per repository that has only digests; `<none>` for a dangling image.
fn rows(img: &Image, tags: &[String], digests: &[String], with_digests: bool) -> Vec<ImageRow> {
    let row = |repository: &str, tag: &str, digest: &str| ImageRow {
        id: img.id.clone(),
        repository: repository.to_string(),
        tag: tag.to_string(),
        digest: digest.to_string(),
        created: images::created_secs(img),
        size: img.size,
        containers: -1,
        shared_size: -1,
    };
    if tags.is_empty() && digests.is_empty() {
        return vec![row("<none>", "<none>", "<none>")];
    }
    let parse = |r: &String| reference::parse(r).ok();
    let mut repos: Vec<Repo> = Vec::new();
    for r in tags.iter().filter_map(parse) {
        let i = slot(&mut repos, r.familiar_name());
        repos[i].1.push(r.tag.clone().unwrap_or_default());
    }
    for r in digests.iter().filter_map(parse) {
        let i = slot(&mut repos, r.familiar_name());
        repos[i].2.push(r.digest.clone().unwrap_or_default());
    }
    let mut out = Vec::new();
    for (repo, repo_tags, repo_digests) in &repos {
        if repo_tags.is_empty() {
            if with_digests {
                out.extend(repo_digests.iter().map(|d| row(repo, "<none>", d)));
            } else {
                out.push(row(repo, "<none>", ""));
            }
            continue;
        }
        for tag in repo_tags {
            if !with_digests || repo_digests.is_empty() {
                out.push(row(repo, tag, "<none>"));
            } else {
                out.extend(repo_digests.iter().map(|d| row(repo, tag, d)));
            }
        }
    }
    out
}

/// `docker images [-a] [-q] [--digests] [--no-trunc] [--filter F] [--format F] [REPOSITORY[:TAG]]`
fn list(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let mut filters = Filters::parse(inv, "[OPTIONS] [REPOSITORY[:TAG]]")?;
    if let Some(name) = args(inv).first() {
        filters.0.push(("reference".to_string(), (*name).to_string()));
    }
    if inv.has("tree") {
        return Err(Failure::new("docklings: `docker images --tree` is not simulated yet", 1));
    }
    let with_digests = inv.has("digests");
    let rows: Vec<ImageRow> = engine
        .read(|st| {
            Ok(listed(st, inv.has("all"), &filters)
                .map(|found| found.iter().flat_map(|(img, t, d)| rows(img, t, d, with_digests)).collect()))
        })
        .map_err(|e| engine_error(&e))??;
    let opts = ListOptions {
        format: value(inv, "format"),
        quiet: inv.has("quiet"),
        no_trunc: inv.has("no-trunc"),
        digests: with_digests,
        human: true,
    };
    let text =
        dockerfmt::render_images(&rows, &opts, SystemTime::now()).map_err(|e| Failure::new(e.message, e.status))?;
    io.out(&text);
    Ok(0)
}

/// A reference the CLI parses itself before asking the daemon; Docker prints the parse error as it is.
pub(super) fn client_reference(text: &str) -> Result<Reference, Failure> {
    reference::parse(text).map_err(|e| Failure::new(e, 1))
}
