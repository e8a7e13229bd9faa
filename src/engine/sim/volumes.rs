//! Volumes of the simulated engine: folders under `volumes/<name>/_data`, mounted into containers as WASI
//! preopens. Named, anonymous (a 64-hex-digit name, as Docker gives them) and auto-created by `-v name:/path`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path};

use super::SimEngine;
use super::state::{State, Status, Volume, now_nanos};
use crate::engine::{EngineError, Labels, PruneReport, Result, VolumeInfo};

/// The label Docker 23 and later give anonymous volumes; `volume prune` without `--all` removes only these.
pub const ANONYMOUS_LABEL: &str = "com.docker.volume.anonymous";

/// Docker's rule for volume names.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

fn info(engine: &SimEngine, v: &Volume) -> VolumeInfo {
    VolumeInfo {
        name: v.name.clone(),
        driver: "local".to_string(),
        mountpoint: engine.volume_dir(&v.name).join("_data").display().to_string(),
        labels: v.labels.clone(),
        anonymous: v.anonymous,
    }
}

/// Creates (or returns the existing) volume inside a state change; used by `docker run -v name:/path` too.
pub fn ensure(engine: &SimEngine, st: &mut State, name: Option<&str>, labels: &Labels) -> Result<String> {
    ensure_with(engine, st, name, "local", labels, &BTreeMap::new())
}

/// The options the local driver takes, and the ones each needs beside it (moby's `validOpts` and
/// `mandatoryOpts`).
fn check_options(name: &str, options: &BTreeMap<String, String>) -> Result<()> {
    let bad = |m: String| EngineError::BadRequest(format!("create {name}: {m}"));
    if let Some(k) = options.keys().find(|k| !matches!(k.as_str(), "type" | "device" | "o")) {
        return Err(bad(format!("invalid option: {k:?}")));
    }
    for (opt, needs) in [("device", "type"), ("type", "device"), ("o", "device")] {
        if options.contains_key(opt) && !options.contains_key(needs) {
            return Err(bad(format!("missing required option: {needs:?}")));
        }
    }
    Ok(())
}

/// Creates a volume with a driver (only `local` exists here) and driver options, or returns the existing one of
/// that name unchanged, as Docker does. An anonymous volume gets a 64-hex-digit name and Docker's
/// `com.docker.volume.anonymous` label.
pub fn ensure_with(
    engine: &SimEngine,
    st: &mut State,
    name: Option<&str>,
    driver: &str,
    labels: &Labels,
    options: &BTreeMap<String, String>,
) -> Result<String> {
    let (name, anonymous) = match name {
        Some(n) => {
            if !valid_name(n) {
                return Err(EngineError::BadRequest(format!(
                    "create {n}: \"{n}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
                )));
            }
            (n.to_string(), false)
        }
        None => (super::new_id(), true),
    };
    if st.volume(&name).is_some() {
        return Ok(name);
    }
    if driver != "local" {
        return Err(EngineError::NotFound(format!(
            "create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found"
        )));
    }
    check_options(&name, options)?;
    fs::create_dir_all(engine.volume_dir(&name).join("_data"))
        .map_err(|e| EngineError::Local(format!("cannot create volume {name}: {e}")))?;
    let mut labels = labels.clone();
    if anonymous {
        labels.insert(ANONYMOUS_LABEL.to_string(), String::new());
    }
    st.volumes.push(Volume { name: name.clone(), created: now_nanos(), labels, anonymous, options: options.clone() });
    Ok(name)
}

pub fn create(engine: &SimEngine, name: Option<&str>, labels: &Labels) -> Result<VolumeInfo> {
    create_with(engine, name, "local", labels, &BTreeMap::new())
}

/// `docker volume create [--driver D] [--opt K=V] [--label K=V] [NAME]`.
pub fn create_with(
    engine: &SimEngine,
    name: Option<&str>,
    driver: &str,
    labels: &Labels,
    options: &BTreeMap<String, String>,
) -> Result<VolumeInfo> {
    engine.mutate(|st| {
        let name = ensure_with(engine, st, name, driver, labels, options)?;
        Ok(info(engine, &st.volumes[st.volume(&name).unwrap_or_default()]))
    })
}

pub fn list(engine: &SimEngine) -> Result<Vec<VolumeInfo>> {
    engine.read(|st| Ok(st.volumes.iter().map(|v| info(engine, v)).collect()))
}

pub fn inspect(engine: &SimEngine, name: &str) -> Result<VolumeInfo> {
    engine.read(|st| {
        st.volume(name)
            .map(|i| info(engine, &st.volumes[i]))
            .ok_or_else(|| EngineError::NotFound(format!("get {name}: no such volume")))
    })
}

/// The containers that mount a volume.
#[must_use]
pub fn users(st: &State, name: &str) -> Vec<String> {
    st.containers
        .iter()
        .filter(|c| c.mounts.iter().any(|m| m.name.as_deref() == Some(name)))
        .map(|c| c.id.clone())
        .collect()
}

pub fn remove(engine: &SimEngine, name: &str, force: bool) -> Result<()> {
    engine.mutate(|st| {
        let Some(i) = st.volume(name) else {
            return if force { Ok(()) } else { Err(EngineError::NotFound(format!("get {name}: no such volume"))) };
        };
        let in_use = users(st, name);
        if !in_use.is_empty() {
            return Err(EngineError::Conflict(format!("remove {name}: volume is in use - [{}]", in_use.join(", "))));
        }
        st.volumes.remove(i);
        let _ = fs::remove_dir_all(engine.volume_dir(name));
        Ok(())
    })
}

/// Removes unused volumes: anonymous ones only unless `all`, as Docker 23 and later do.
pub fn prune(engine: &SimEngine, all: bool) -> Result<PruneReport> {
    prune_with(engine, all, &[])
}

/// `docker volume prune [--all] [--filter label=…]`: unused volumes that carry Docker's anonymous label (any
/// unused volume with `all`) and match the label filters (key, optional value, negated), by name.
pub fn prune_with(engine: &SimEngine, all: bool, labels: &[(String, Option<String>, bool)]) -> Result<PruneReport> {
    let mut report = PruneReport::default();
    engine.mutate(|st| {
        let mut doomed: Vec<String> = st
            .volumes
            .iter()
            .filter(|v| (all || v.labels.contains_key(ANONYMOUS_LABEL)) && users(st, &v.name).is_empty())
            .filter(|v| {
                labels.iter().all(|(k, want, negate)| {
                    let hit = v.labels.get(k).is_some_and(|x| want.as_ref().is_none_or(|w| w == x));
                    hit != *negate
                })
            })
            .map(|v| v.name.clone())
            .collect();
        doomed.sort();
        for name in doomed {
            report.space_reclaimed += dir_size(&engine.volume_dir(&name));
            let _ = fs::remove_dir_all(engine.volume_dir(&name));
            st.volumes.retain(|v| v.name != name);
            report.deleted.push(name);
        }
        Ok(())
    })?;
    Ok(report)
}

fn dir_size(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// Reads a file inside a volume; the path may not climb out of it.
pub fn read_file(engine: &SimEngine, volume: &str, path: &str) -> Result<Vec<u8>> {
    inspect(engine, volume)?;
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(EngineError::BadRequest(format!("{path}: a path inside the volume, without `..`")));
    }
    let file = engine.volume_dir(volume).join("_data").join(rel);
    // A symbolic link could point outside the volume: resolve and check.
    let root =
        fs::canonicalize(engine.volume_dir(volume).join("_data")).map_err(|e| EngineError::Local(e.to_string()))?;
    let resolved = fs::canonicalize(&file)
        .map_err(|_| EngineError::NotFound(format!("{path}: no such file in volume {volume}")))?;
    if !resolved.starts_with(&root) {
        return Err(EngineError::NotFound(format!("{path}: no such file in volume {volume}")));
    }
    fs::read(&resolved).map_err(|e| EngineError::Local(format!("{path}: {e}")))
}

/// Whether a container that is not removed still holds the volume (for `docker rm -v` on anonymous volumes).
#[must_use]
pub fn in_use_by_others(st: &State, name: &str, except: &str) -> bool {
    st.containers.iter().any(|c| {
        c.id != except && c.state.status != Status::Removing && c.mounts.iter().any(|m| m.name.as_deref() == Some(name))
    })
}
