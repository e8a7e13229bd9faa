//! `docker volume create`, `ls`, `inspect`, `rm` and `prune` on the simulated engine, as Docker 28 prints them.
//! Volumes are shown where Docker keeps them (`/var/lib/docker/volumes/NAME/_data`); the simulation keeps the
//! data under `$DOCKLINGS_HOME`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Value, json};

use super::images::{Filters, args, confirm, engine_error, value};
use super::{Failure, Io, Outcome, daemon_text};
use crate::dockercli::Invocation;
use crate::dockerfmt::natural_less;
use crate::dockerfmt::{self, ListOptions, VolumeRow};
use crate::engine::Labels;
use crate::engine::sim::SimEngine;
use crate::engine::sim::containers::rfc3339;
use crate::engine::sim::state::{State, Volume};
use crate::engine::sim::volumes;

pub fn run(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    match inv.command.as_slice() {
        ["volume", "create"] => create(engine, inv, io),
        ["volume", "ls"] => list(engine, inv, io),
        ["volume", "inspect"] => inspect(engine, inv, io),
        ["volume", "rm"] => remove(engine, inv, io),
        ["volume", "prune"] => prune(engine, inv, io),
        _ => Err(Failure::new(format!("docklings: `{}` is not simulated yet", inv.command_path()), 1)),
    }
}

/// Where Docker would keep the volume's data.
fn mountpoint(name: &str) -> String {
    format!("/var/lib/docker/volumes/{name}/_data")
}

/// `docker volume inspect`'s JSON for one volume (a Go map's `null` when empty).
pub(super) fn volume_json(v: &Volume) -> Value {
    let map = |m: &BTreeMap<String, String>| if m.is_empty() { Value::Null } else { json!(m) };
    json!({
        "CreatedAt": rfc3339(v.created.div_euclid(1_000_000_000) * 1_000_000_000),
        "Driver": "local",
        "Labels": map(&v.labels),
        "Mountpoint": mountpoint(&v.name),
        "Name": v.name,
        "Options": map(&v.options),
        "Scope": "local",
    })
}

/// `key=value` pairs as Docker's `ConvertKVStringsToMap` reads them (`key` alone is an empty value).
fn key_values<'a>(inv: &'a Invocation, flag: &'a str) -> impl Iterator<Item = (String, String)> + 'a {
    inv.flags_named(flag).map(|f| {
        let v = f.value.clone().unwrap_or_default();
        match v.split_once('=') {
            Some((k, x)) => (k.to_string(), x.to_string()),
            None => (v, String::new()),
        }
    })
}

/// The flags of swarm cluster volumes.
const CLUSTER: &[&str] = &[
    "group",
    "scope",
    "sharing",
    "availability",
    "type",
    "secret",
    "limit-bytes",
    "required-bytes",
    "topology-required",
    "topology-preferred",
];

/// `docker volume create [-d DRIVER] [-o K=V] [--label K=V] [VOLUME]`
fn create(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let positional = args(inv).first().map(|s| (*s).to_string());
    let flagged = value(inv, "name").map(str::to_string);
    if positional.is_some() && flagged.is_some() {
        return Err(Failure::new(
            "conflicting options: cannot specify a volume-name through both --name and as a positional arg",
            1,
        ));
    }
    if let Some(f) = CLUSTER.iter().find(|f| inv.flag(f).is_some()) {
        return Err(Failure::new(
            format!("docklings: cluster volumes (`--{f}`) need swarm, which is not simulated"),
            1,
        ));
    }
    let name = positional.or(flagged);
    let mut labels = Labels::new();
    for (k, v) in key_values(inv, "label") {
        if k.is_empty() {
            let given = inv.flags_named("label").find_map(|f| f.value.clone()).unwrap_or_default();
            return Err(Failure::new(
                format!(
                    "invalid argument \"{given}\" for \"--label\" flag: invalid label '{given}': empty name\n\nUsage:  docker volume create [OPTIONS] [VOLUME]\n\nRun 'docker volume create --help' for more information"
                ),
                125,
            ));
        }
        labels.insert(k, v);
    }
    let options: BTreeMap<String, String> = key_values(inv, "opt").collect();
    let driver = value(inv, "driver").unwrap_or("local");
    let info =
        volumes::create_with(engine, name.as_deref(), driver, &labels, &options).map_err(|e| engine_error(&e))?;
    io.out(&format!("{}\n", info.name));
    Ok(0)
}

/// The volumes `GET /volumes` returns for these filters.
fn listed<'a>(st: &'a State, filters: &Filters) -> Result<Vec<&'a Volume>, Failure> {
    filters.validate(&["dangling", "name", "driver", "label", "label!"])?;
    let dangling = filters.bool("dangling")?;
    let names = filters.get("name");
    let drivers = filters.get("driver");
    let mut labels = filters.labels(false);
    labels.extend(filters.labels(true));
    Ok(st
        .volumes
        .iter()
        .filter(|v| dangling.is_none_or(|d| volumes::users(st, &v.name).is_empty() == d))
        .filter(|v| names.is_empty() || names.iter().any(|n| v.name.contains(n)))
        .filter(|_| drivers.is_empty() || drivers.contains(&"local"))
        .filter(|v| {
            labels.iter().all(|(k, want, negate)| {
                let hit = v.labels.get(k).is_some_and(|x| want.as_ref().is_none_or(|w| w == x));
                hit != *negate
            })
        })
        .collect())
}

/// `docker volume ls [-q] [--filter F] [--format F]`
fn list(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let filters = Filters::parse(inv, "[OPTIONS]")?;
    if inv.has("cluster") {
        return Err(Failure::new("docklings: cluster volumes need swarm, which is not simulated", 1));
    }
    let mut rows: Vec<VolumeRow> = engine
        .read(|st| {
            Ok(listed(st, &filters).map(|found| {
                found
                    .into_iter()
                    .map(|v| VolumeRow {
                        driver: "local".to_string(),
                        name: v.name.clone(),
                        scope: "local".to_string(),
                        mountpoint: mountpoint(&v.name),
                        labels: v.labels.iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
                        links: None,
                        size: None,
                    })
                    .collect()
            }))
        })
        .map_err(|e| engine_error(&e))??;
    rows.sort_by(|a, b| natural_less(&a.name, &b.name));
    let opts = ListOptions { format: value(inv, "format"), quiet: inv.has("quiet"), ..ListOptions::default() };
    let text = dockerfmt::render_volumes(&rows, &opts).map_err(|e| Failure::new(e.message, e.status))?;
    io.out(&text);
    Ok(0)
}

/// `docker volume inspect [-f F] VOLUME...`
fn inspect(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let found: Vec<Result<Value, String>> = engine
        .read(|st| {
            Ok(args(inv)
                .into_iter()
                .map(|name| {
                    st.volume(name)
                        .map(|i| volume_json(&st.volumes[i]))
                        .ok_or_else(|| format!("Error response from daemon: get {name}: no such volume"))
                })
                .collect())
        })
        .map_err(|e| engine_error(&e))?;
    super::print_inspect(value(inv, "format"), found, io)
}

/// `docker volume rm [-f] VOLUME...`: each removed name as it goes, the errors together at the end.
fn remove(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let force = inv.has("force");
    let mut errors = Vec::new();
    for name in args(inv) {
        match volumes::remove(engine, name, force) {
            Ok(()) => io.out(&format!("{name}\n")),
            Err(e) => errors.push(daemon_text(&e)),
        }
    }
    if errors.is_empty() { Ok(0) } else { Err(Failure::new(errors.join("\n"), 1)) }
}

const ANONYMOUS_WARNING: &str = "WARNING! This will remove anonymous local volumes not used by at least one container.";
const ALL_WARNING: &str = "WARNING! This will remove all local volumes not used by at least one container.";

/// `docker volume prune [-a] [-f] [--filter F]`: Docker 23 and later remove only anonymous volumes unless `--all`.
fn prune(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let filters = Filters::parse(inv, "[OPTIONS]")?;
    let mut all = inv.has("all");
    let filter_all = filters.bool("all")?;
    if all && filter_all.is_some() {
        return Err(Failure::new("conflicting options: cannot specify both --all and --filter all=1", 1));
    }
    all |= filter_all == Some(true);
    if !inv.has("force") && !confirm(io, if all { ALL_WARNING } else { ANONYMOUS_WARNING }) {
        return Ok(0);
    }
    filters.validate(&["label", "label!", "all"])?;
    let mut labels = filters.labels(false);
    labels.extend(filters.labels(true));
    let report = volumes::prune_with(engine, all, &labels).map_err(|e| engine_error(&e))?;
    if !report.deleted.is_empty() {
        let mut text = String::from("Deleted Volumes:\n");
        for name in &report.deleted {
            text.push_str(name);
            text.push('\n');
        }
        io.out(&format!("{text}\n"));
    }
    #[allow(clippy::cast_precision_loss)] // Go's float64(uint64); exact far beyond any size here.
    let reclaimed = dockerfmt::human_size(report.space_reclaimed as f64);
    io.out(&format!("Total reclaimed space: {reclaimed}\n"));
    Ok(0)
}
