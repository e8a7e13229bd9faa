//! `docker rmi` and `docker image prune`, following the Docker 28 daemon's `ImageDelete` and `ImagesPrune`
//! (overlay2 image store): a tag is untagged first and the image deleted when no reference is left; an id
//! untags everything when the references are one repository's; containers, child images and other references
//! are conflicts, some of which `--force` overrides; deleted images list their layers that no other image uses.

use std::collections::HashSet;
use std::fs;

use super::reference::{self, Reference};
use super::{chain_ids, children, is_running, layer_sizes, lookup, short_id};
use crate::engine::sim::SimEngine;
use crate::engine::sim::state::State;
use crate::engine::{EngineError, PruneReport, Result};

const DEPENDENT_CHILD: u8 = 1;
const RUNNING_CONTAINER: u8 = 2;
const ACTIVE_REFERENCE: u8 = 4;
const STOPPED_CONTAINER: u8 = 8;
const HARD: u8 = DEPENDENT_CHILD | RUNNING_CONTAINER;
const SOFT: u8 = ACTIVE_REFERENCE | STOPPED_CONTAINER;

/// What a deletion did, in order: Docker's `Untagged: …` / `Deleted: …` lines, the layer folders to remove
/// once the state is saved, and the bytes the deleted layers held.
#[derive(Default)]
struct Records {
    lines: Vec<String>,
    layer_dirs: Vec<String>,
    reclaimed: u64,
}

struct Conflict {
    hard: bool,
    /// A container uses the image.
    used: bool,
    message: String,
}

/// An image's references (tags and digests), sorted as the reference store lists them.
fn references(st: &State, id: &str) -> Vec<Reference> {
    let Some(img) = st.images.iter().find(|i| i.id == id) else { return Vec::new() };
    let mut refs: Vec<Reference> =
        img.repo_tags.iter().chain(&img.repo_digests).filter_map(|r| reference::parse(r).ok()).collect();
    refs.sort_by_key(Reference::full);
    refs
}

/// `isSingleReference`: all references are one repository's and at most one is a tag.
fn is_single_reference(refs: &[Reference]) -> bool {
    if refs.len() <= 1 {
        return refs.len() == 1;
    }
    let tags: Vec<&Reference> = refs.iter().filter(|r| r.digest.is_none()).collect();
    if tags.len() > 1 {
        return false;
    }
    let single = tags.first().copied().unwrap_or(&refs[0]);
    let digest_repos: HashSet<String> = refs.iter().filter(|r| r.digest.is_some()).map(Reference::name).collect();
    digest_repos.len() == 1 && digest_repos.contains(&single.name())
}

fn is_image_id_prefix(id: &str, key: &str) -> bool {
    id.starts_with(key) || id.split_once(':').is_some_and(|(_, hex)| hex.starts_with(key))
}

fn check_conflict(st: &State, id: &str, mask: u8) -> Option<Conflict> {
    if mask & DEPENDENT_CHILD != 0 && children(st, id) > 0 {
        return Some(Conflict { hard: true, used: false, message: "image has dependent child images".to_string() });
    }
    if mask & RUNNING_CONTAINER != 0
        && let Some(c) = st.containers.iter().find(|c| c.image_id == id && is_running(c.state.status))
    {
        let message = format!("image is being used by running container {}", short_id(&c.id));
        return Some(Conflict { hard: true, used: true, message });
    }
    if mask & ACTIVE_REFERENCE != 0 && !references(st, id).is_empty() {
        let message = "image is referenced in multiple repositories".to_string();
        return Some(Conflict { hard: false, used: false, message });
    }
    if mask & STOPPED_CONTAINER != 0
        && let Some(c) = st.containers.iter().find(|c| c.image_id == id && !is_running(c.state.status))
    {
        let message = format!("image is being used by stopped container {}", short_id(&c.id));
        return Some(Conflict { hard: false, used: true, message });
    }
    None
}

fn conflict_error(id: &str, c: &Conflict) -> EngineError {
    let force = if c.hard { "cannot be forced" } else { "must be forced" };
    EngineError::Conflict(format!("conflict: unable to delete {} ({force}) - {}", short_id(id), c.message))
}

fn untag(st: &mut State, id: &str, r: &Reference) {
    let familiar = r.familiar();
    if let Some(img) = st.images.iter_mut().find(|i| i.id == id) {
        img.repo_tags.retain(|t| *t != familiar);
        img.repo_digests.retain(|t| *t != familiar);
    }
}

/// `ImageDelete`.
fn image_delete(st: &mut State, key: &str, force: bool, prune: bool, out: &mut Records) -> Result<()> {
    let i = lookup(st, key)?;
    let id = st.images[i].id.clone();
    let mut refs = references(st, &id);
    let using = st.containers.iter().find(|c| c.image_id == id).map(|c| c.id.clone());
    let mut removed_repository_ref = false;
    if is_image_id_prefix(&id, key) {
        if is_single_reference(&refs) {
            let mask = if force { HARD } else { HARD | STOPPED_CONTAINER };
            if let Some(c) = check_conflict(st, &id, mask) {
                return Err(conflict_error(&id, &c));
            }
            for r in &refs {
                untag(st, &id, r);
                out.lines.push(format!("Untagged: {}", r.familiar()));
            }
        }
    } else {
        if !force
            && is_single_reference(&refs)
            && let Some(c) = using
        {
            return Err(EngineError::Conflict(format!(
                "conflict: unable to remove repository reference {key:?} (must force) - container {} is using its referenced image {}",
                short_id(&c),
                short_id(&id)
            )));
        }
        let parsed = reference::parse(key).map_err(EngineError::BadRequest)?.with_default_tag();
        untag(st, &id, &parsed);
        out.lines.push(format!("Untagged: {}", parsed.familiar()));
        refs = references(st, &id);
        if parsed.digest.is_none() && !refs.iter().any(|r| r.digest.is_none() && r.name() == parsed.name()) {
            let (same, other): (Vec<Reference>, Vec<Reference>) =
                refs.into_iter().partition(|r| r.digest.is_some() && r.name() == parsed.name());
            for r in same {
                untag(st, &id, &r);
                out.lines.push(format!("Untagged: {}", r.familiar()));
            }
            refs = other;
        }
        if !refs.is_empty() {
            return Ok(());
        }
        removed_repository_ref = true;
    }
    delete_helper(st, &id, force, prune, removed_repository_ref, out)
}

/// `imageDeleteHelper`: deletes an image with its references and the layers no other image uses, then (when
/// `prune`) its untagged, unused parents.
fn delete_helper(st: &mut State, id: &str, force: bool, prune: bool, quiet: bool, out: &mut Records) -> Result<()> {
    let mask = if force { HARD } else { HARD | SOFT };
    if let Some(c) = check_conflict(st, id, mask) {
        let dangling = references(st, id).is_empty() && children(st, id) == 0;
        if quiet && (!dangling || c.used) {
            return Ok(());
        }
        return Err(conflict_error(id, &c));
    }
    for r in references(st, id) {
        untag(st, id, &r);
        out.lines.push(format!("Untagged: {}", r.familiar()));
    }
    let Some(i) = st.images.iter().position(|img| img.id == id) else { return Ok(()) };
    let img = st.images.remove(i);
    out.lines.push(format!("Deleted: {}", img.id));
    let chains = chain_ids(&img.layers);
    let sizes = layer_sizes(&img);
    let others: Vec<(HashSet<String>, HashSet<String>)> = st
        .images
        .iter()
        .map(|o| (chain_ids(&o.layers).into_iter().collect(), o.layers.iter().cloned().collect()))
        .collect();
    // A container's read/write layer holds its image's layers, as Docker's layer store counts references.
    let held = st.containers.iter().any(|c| c.image_id == img.id);
    // Layers a build made stay in BuildKit's cache (with the layers under them) until `docker builder prune`,
    // so deleting the image lists and removes none of them, as Docker does.
    let build_cache: HashSet<&str> = st.build_cache.values().map(|c| c.layer.as_str()).collect();
    for k in (0..chains.len()).rev() {
        if held || build_cache.contains(img.layers[k].as_str()) || others.iter().any(|(c, _)| c.contains(&chains[k])) {
            break;
        }
        out.lines.push(format!("Deleted: {}", chains[k]));
        out.reclaimed += u64::try_from(sizes[k]).unwrap_or(0);
        if !others.iter().any(|(_, l)| l.contains(&img.layers[k])) {
            out.layer_dirs.push(img.layers[k].clone());
        }
    }
    match img.parent {
        Some(parent) if prune && st.images.iter().any(|p| p.id == parent) => {
            delete_helper(st, &parent, false, true, true, out)
        }
        _ => Ok(()),
    }
}

fn remove_layers(engine: &SimEngine, dirs: &[String]) {
    for layer in dirs {
        let _ = fs::remove_dir_all(engine.layer_dir(layer));
    }
}

/// `docker rmi [--force] [--no-prune] IMAGE`: Docker's `Untagged: …` / `Deleted: …` lines, or the daemon's error.
pub fn remove_image(engine: &SimEngine, key: &str, force: bool, prune: bool) -> Result<Vec<String>> {
    let mut out = Records::default();
    engine.mutate(|st| image_delete(st, key, force, prune, &mut out))?;
    remove_layers(engine, &out.layer_dirs);
    Ok(out.lines)
}

/// `docker rmi`, pruning untagged parents as Docker does by default.
pub fn remove(engine: &SimEngine, key: &str, force: bool) -> Result<Vec<String>> {
    remove_image(engine, key, force, true)
}

/// A `label=` / `label!=` filter of `image prune`: key, optional value, and whether it must not match.
pub type LabelFilter = (String, Option<String>, bool);

/// `docker image prune [-a]`: dangling images, or with `all` every image no container uses, as Docker's
/// `ImagesPrune` finds them; images it cannot delete (used by containers) are skipped silently.
pub fn prune_with(engine: &SimEngine, all: bool, labels: &[LabelFilter]) -> Result<PruneReport> {
    let mut out = Records::default();
    engine.mutate(|st| {
        let top: Vec<String> = st
            .images
            .iter()
            .filter(|img| all || children(st, &img.id) == 0)
            .filter(|img| !(references(st, &img.id).is_empty() && children(st, &img.id) > 0))
            .filter(|img| {
                labels.iter().all(|(k, v, negate)| {
                    let hit = img.config.labels.get(k).is_some_and(|x| v.as_ref().is_none_or(|v| v == x));
                    hit != *negate
                })
            })
            .map(|img| img.id.clone())
            .collect();
        for id in top {
            let refs = references(st, &id);
            if refs.is_empty() {
                let hex = id.trim_start_matches("sha256:");
                let _ = image_delete(st, hex, false, true, &mut out);
            } else if all || !refs.iter().any(|r| r.tag.is_some()) {
                for r in refs {
                    let _ = image_delete(st, &r.full(), false, true, &mut out);
                }
            }
        }
        Ok(())
    })?;
    remove_layers(engine, &out.layer_dirs);
    Ok(PruneReport { deleted: out.lines, space_reclaimed: out.reclaimed })
}

pub fn prune(engine: &SimEngine, all: bool) -> Result<PruneReport> {
    prune_with(engine, all, &[])
}
