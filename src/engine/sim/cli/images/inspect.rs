//! `docker image inspect`, `docker history` and `docker tag`.
//!
//! Image inspect prints Docker 28.2's shape (API 1.50, overlay2 image store): no `Container`,
//! `ContainerConfig` or `VirtualSize` any more, and `Config` is the image spec's config, whose fields are left
//! out when empty (28.3 put the empty ones back; 28.2.2 is the version simulated).

use std::sync::Arc;
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::{Io, Outcome, args, engine_error, value};
use crate::dockercli::Invocation;
use crate::dockerfmt::{self, HistoryRow, ListOptions};
use crate::engine::sim::SimEngine;
use crate::engine::sim::cli::Failure;
use crate::engine::sim::containers::rfc3339;
use crate::engine::sim::images;
use crate::engine::sim::state::{Image, State};

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().map(|s| json!(s)).collect())
}

/// A Go `map[string]struct{}` (`ExposedPorts`, `Volumes`), keys sorted.
fn set(v: &[String]) -> Value {
    let mut keys: Vec<&String> = v.iter().collect();
    keys.sort();
    Value::Object(keys.into_iter().map(|k| (k.clone(), json!({}))).collect())
}

/// The image config as Docker 28.2 returns it: the OCI image config's fields in their order, empty ones left out.
fn config(img: &Image) -> Value {
    let c = &img.config;
    let mut m = Map::new();
    if !c.user.is_empty() {
        m.insert("User".into(), json!(c.user));
    }
    if !c.exposed_ports.is_empty() {
        m.insert("ExposedPorts".into(), set(&c.exposed_ports));
    }
    if !c.env.is_empty() {
        m.insert("Env".into(), strings(&c.env));
    }
    if !c.entrypoint.is_empty() {
        m.insert("Entrypoint".into(), strings(&c.entrypoint));
    }
    if !c.cmd.is_empty() {
        m.insert("Cmd".into(), strings(&c.cmd));
    }
    if !c.volumes.is_empty() {
        m.insert("Volumes".into(), set(&c.volumes));
    }
    if !c.working_dir.is_empty() {
        m.insert("WorkingDir".into(), json!(c.working_dir));
    }
    if !c.labels.is_empty() {
        m.insert("Labels".into(), json!(c.labels));
    }
    if let Some(s) = &c.stop_signal {
        m.insert("StopSignal".into(), json!(s));
    }
    Value::Object(m)
}

/// The overlay2 folders Docker reports for an image: its top layer's, and the lower layers' `diff` folders.
fn graph_driver(img: &Image) -> Value {
    let chains = images::chain_ids(&img.layers);
    let cache = |chain: &String| {
        let id = crate::engine::sim::hex(&<sha2::Sha256 as sha2::Digest>::digest(format!("cache {chain}").as_bytes()));
        format!("/var/lib/docker/overlay2/{id}")
    };
    let mut data = Map::new();
    if let Some((top, lower)) = chains.split_last() {
        if !lower.is_empty() {
            let dirs: Vec<String> = lower.iter().rev().map(|c| format!("{}/diff", cache(c))).collect();
            data.insert("LowerDir".into(), json!(dirs.join(":")));
        }
        let top = cache(top);
        data.insert("MergedDir".into(), json!(format!("{top}/merged")));
        data.insert("UpperDir".into(), json!(format!("{top}/diff")));
        data.insert("WorkDir".into(), json!(format!("{top}/work")));
    }
    json!({ "Data": data, "Name": "overlay2" })
}

/// `docker image inspect`'s JSON for one image, keys in Docker 28.2's order.
pub(in crate::engine::sim::cli) fn image_inspect_json(st: &State, index: usize) -> Value {
    let img = &st.images[index];
    let comment = img.history.last().map_or("", |h| h.comment.as_str());
    json!({
        "Id": img.id,
        "RepoTags": img.repo_tags,
        "RepoDigests": img.repo_digests,
        "Parent": img.parent.clone().unwrap_or_default(),
        "Comment": comment,
        "Created": rfc3339(img.created),
        "DockerVersion": "",
        "Author": "",
        "Config": config(img),
        "Architecture": "amd64",
        "Os": "linux",
        "Size": img.size,
        "GraphDriver": graph_driver(img),
        "RootFS": { "Type": "layers", "Layers": img.layers.iter().map(|l| format!("sha256:{l}")).collect::<Vec<_>>() },
        "Metadata": { "LastTagTime": rfc3339(img.last_tag_time) },
    })
}

/// The same JSON as Go's typed `InspectResponse` holds it for templates: the config fields JSON leaves out are
/// there with their zero values, so `{{.Config.Entrypoint}}` prints `[]` as Docker does rather than failing.
/// Templates that print JSON (`{{json .Config}}`) get the JSON as Docker sends it.
fn typed_view(mut v: Value) -> Value {
    if let Some(Value::Object(c)) = v.get_mut("Config") {
        let zero: [(&str, Value); 9] = [
            ("User", json!("")),
            ("ExposedPorts", Value::Null),
            ("Env", Value::Null),
            ("Entrypoint", Value::Null),
            ("Cmd", Value::Null),
            ("Volumes", Value::Null),
            ("WorkingDir", json!("")),
            ("Labels", Value::Null),
            ("OnBuild", Value::Null),
        ];
        let mut full = Map::new();
        for (k, z) in zero {
            full.insert(k.into(), c.remove(k).unwrap_or(z));
        }
        full.append(c);
        *c = full;
    }
    v
}

/// `docker image inspect [-f F] IMAGE...`
pub(super) fn inspect(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let format = value(inv, "format");
    let typed = format.is_some_and(|f| !f.is_empty() && f != "json" && !f.contains("json"));
    let found: Vec<Result<Value, String>> = engine
        .read(|st| {
            Ok(args(inv)
                .into_iter()
                .map(|key| {
                    images::lookup(st, key)
                        .map(|i| image_inspect_json(st, i))
                        .map_err(|e| format!("Error response from daemon: {e}"))
                })
                .collect())
        })
        .map_err(|e| engine_error(&e))?;
    let found = found.into_iter().map(|item| if typed { item.map(typed_view) } else { item }).collect();
    super::super::print_inspect(format, found, io)
}

/// `docker history [-H] [-q] [--no-trunc] [--format F] IMAGE`
pub(super) fn history(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let key = args(inv)[0];
    let rows: Vec<HistoryRow> = engine
        .read(|st| {
            let i = images::lookup(st, key)?;
            Ok(images::history_of(st, i)
                .into_iter()
                .map(|(id, h)| HistoryRow {
                    id,
                    created: i64::try_from(h.created.div_euclid(1_000_000_000)).unwrap_or(0),
                    created_by: h.created_by,
                    size: h.size,
                    comment: h.comment,
                })
                .collect())
        })
        .map_err(|e| engine_error(&e))?;
    let human = inv.flag("human").is_none() || inv.has("human");
    let opts = ListOptions {
        format: value(inv, "format"),
        quiet: inv.has("quiet"),
        no_trunc: inv.has("no-trunc"),
        digests: false,
        human,
    };
    let text =
        dockerfmt::render_history(&rows, &opts, SystemTime::now()).map_err(|e| Failure::new(e.message, e.status))?;
    io.out(&text);
    Ok(0)
}

/// `docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`
pub(super) fn tag(engine: &Arc<SimEngine>, inv: &Invocation, _io: &mut Io) -> Outcome {
    let a = args(inv);
    images::parse_target(a[1]).map_err(|e| Failure::new(e, 1))?;
    images::tag(engine, a[0], a[1]).map_err(|e| engine_error(&e))?;
    Ok(0)
}
