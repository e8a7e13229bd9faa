//! Images of the simulated engine, as Docker 28's daemon (overlay2 image store) keeps them: tagged and digest
//! references sorted as its reference store sorts them, lookup by reference or id prefix (`GetImage`), tagging,
//! history and the summaries lessons read. Layers are real folders under `layers/`, one per diff id; an image's
//! layers are found again by chain id as Docker's layer store does. Pulling and pushing are in `registry`,
//! removal and pruning in `remove`.

pub mod reference;
mod registry;
mod remove;

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

pub use reference::Reference;
pub use registry::{Pulled, is_transient, pull, push};
pub use remove::{LabelFilter, prune, prune_with, remove, remove_image};

use super::SimEngine;
use super::state::{HistoryItem, Image, State, Status, now_nanos};
use crate::engine::{EngineError, HistoryEntry, ImageDetails, ImageSummary, Result};

/// The short id Docker prints: 12 hex digits.
#[must_use]
pub fn short_id(id: &str) -> String {
    id.split_once(':').map_or(id, |(_, h)| h).chars().take(12).collect()
}

fn sha256_hex(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    super::hex(&h.finalize())
}

/// Sorts references as Docker's reference store does: by their full name (`docker.io/library/busybox:1`).
pub fn sort_references(refs: &mut [String]) {
    refs.sort_by_key(|r| reference::parse(r).map_or_else(|_| r.clone(), |p| p.full()));
}

/// The chain ids of a stack of layers (diff ids, bottom first), as `sha256:` strings: the first layer's is its
/// diff id, each next one the digest of the previous chain id, a space and the layer's diff id.
#[must_use]
pub fn chain_ids(layers: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(layers.len());
    for layer in layers {
        let diff = format!("sha256:{layer}");
        let chain = match out.last() {
            None => diff,
            Some(prev) => format!("sha256:{}", sha256_hex(&[prev.as_bytes(), b" ", diff.as_bytes()])),
        };
        out.push(chain);
    }
    out
}

/// The size each layer added, bottom first: the sizes of the history steps that made layers.
#[must_use]
pub fn layer_sizes(img: &Image) -> Vec<i64> {
    let mut sizes: Vec<i64> = img.history.iter().filter(|h| !h.empty_layer).map(|h| h.size).collect();
    sizes.resize(img.layers.len(), 0);
    sizes
}

/// Whether a container state counts as running for Docker's image conflicts (`IsRunning`).
#[must_use]
pub fn is_running(s: Status) -> bool {
    matches!(s, Status::Running | Status::Paused | Status::Restarting)
}

/// Whether a reference names an image (by one of its tags or digests).
fn names(img: &Image, wanted: &Reference) -> bool {
    let familiar = wanted.familiar();
    img.repo_tags.iter().chain(&img.repo_digests).any(|r| *r == familiar)
}

/// The image an id or id prefix (`sha256:` optional) names, when exactly one does.
fn by_id(st: &State, key: &str) -> Option<usize> {
    let hex = key.strip_prefix("sha256:").unwrap_or(key);
    if hex.is_empty() || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let found: Vec<usize> =
        (0..st.images.len()).filter(|&i| st.images[i].id.trim_start_matches("sha256:").starts_with(hex)).collect();
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The image a reference or id names, as the daemon's `GetImage` finds it: a full id, a reference (with
/// `:latest` added), then an id prefix. The errors are the daemon's.
pub fn lookup(st: &State, key: &str) -> Result<usize> {
    let hex = key.strip_prefix("sha256:").unwrap_or(key);
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return by_id(st, hex).ok_or_else(|| EngineError::NotFound(format!("No such image: sha256:{hex}")));
    }
    let parsed = reference::parse(key).map_err(EngineError::BadRequest)?;
    let wanted = parsed.clone().with_default_tag();
    if let Some(i) = st.images.iter().position(|img| names(img, &wanted)) {
        return Ok(i);
    }
    by_id(st, key).ok_or_else(|| EngineError::NotFound(format!("No such image: {}", wanted.familiar())))
}

/// Finds a local image (the name `docker run` and `create` use).
pub fn find(st: &State, reference: &str) -> Result<usize> {
    lookup(st, reference)
}

/// Images built on this one (`docker build`'s parent chain).
#[must_use]
pub fn children(st: &State, id: &str) -> usize {
    st.images.iter().filter(|i| i.parent.as_deref() == Some(id)).count()
}

pub fn list(engine: &SimEngine, all: bool) -> Result<Vec<ImageSummary>> {
    engine.read(|st| {
        let mut out: Vec<&Image> = st
            .images
            .iter()
            .filter(|img| {
                all || !img.repo_tags.is_empty() || !img.repo_digests.is_empty() || children(st, &img.id) == 0
            })
            .collect();
        out.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
        Ok(out
            .into_iter()
            .map(|img| ImageSummary {
                id: img.id.clone(),
                repo_tags: img.repo_tags.clone(),
                created: created_secs(img),
                size: img.size,
                labels: img.config.labels.clone(),
            })
            .collect())
    })
}

pub fn inspect(engine: &SimEngine, reference: &str) -> Result<ImageDetails> {
    engine.read(|st| {
        let img = &st.images[lookup(st, reference)?];
        Ok(ImageDetails {
            id: img.id.clone(),
            repo_tags: img.repo_tags.clone(),
            created: super::containers::rfc3339(img.created),
            size: img.size,
            labels: img.config.labels.clone(),
            cmd: img.config.cmd.clone(),
            entrypoint: img.config.entrypoint.clone(),
            env: img.config.env.clone(),
            working_dir: img.config.working_dir.clone(),
            user: img.config.user.clone(),
            exposed_ports: img.config.exposed_ports.clone(),
            volumes: img.config.volumes.clone(),
            layers: img.layers.iter().map(|l| format!("sha256:{l}")).collect(),
        })
    })
}

/// Checks a tag's target as the CLI does before asking the daemon: a name with an optional tag.
pub fn parse_target(target: &str) -> Result<Reference, String> {
    let parsed = reference::parse(target)
        .map_err(|e| format!("Error parsing reference: {target:?} is not a valid repository/tag: {e}"))?;
    if parsed.digest.is_some() {
        return Err("refusing to create a tag with a digest reference".to_string());
    }
    Ok(parsed.with_default_tag())
}

/// `docker tag SOURCE TARGET`: the target tag moves to the source's image.
pub fn tag(engine: &SimEngine, source: &str, target: &str) -> Result<()> {
    let target = parse_target(target).map_err(EngineError::BadRequest)?.familiar();
    engine.mutate(|st| {
        let i = lookup(st, source)?;
        for img in &mut st.images {
            img.repo_tags.retain(|t| *t != target);
        }
        let img = &mut st.images[i];
        img.repo_tags.push(target);
        sort_references(&mut img.repo_tags);
        img.last_tag_time = now_nanos();
        Ok(())
    })
}

/// An image's history, newest step first, with the id of the local image each step ended (`<missing>` for
/// steps made elsewhere), as `docker history` lists it.
#[must_use]
pub fn history_of(st: &State, index: usize) -> Vec<(String, HistoryItem)> {
    let img = &st.images[index];
    let mut ids = vec!["<missing>".to_string(); img.history.len()];
    let mut current = Some(img);
    while let Some(i) = current {
        if let Some(slot) = i.history.len().checked_sub(1).and_then(|k| ids.get_mut(k)) {
            slot.clone_from(&i.id);
        }
        current = i.parent.as_deref().and_then(|p| st.images.iter().find(|x| x.id == p));
    }
    img.history.iter().cloned().zip(ids).rev().map(|(h, id)| (id, h)).collect()
}

pub fn history(engine: &SimEngine, reference: &str) -> Result<Vec<HistoryEntry>> {
    engine.read(|st| {
        let i = lookup(st, reference)?;
        Ok(history_of(st, i)
            .into_iter()
            .map(|(id, h)| HistoryEntry {
                id,
                created: i64::try_from(h.created / 1_000_000_000).unwrap_or(0),
                created_by: h.created_by,
                size: h.size,
                comment: h.comment,
            })
            .collect())
    })
}

/// Makes sure the image is local, pulling it as `docker run` does; returns whether it had to be pulled.
pub fn ensure_local(engine: &SimEngine, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<bool> {
    if engine.read(|st| Ok(lookup(st, reference).is_ok()))? {
        return Ok(false);
    }
    pull(engine, reference, progress)?;
    Ok(true)
}

/// Copies a folder tree (files, folders, symbolic links kept as links).
pub fn copy_tree(src: &Path, dest: &Path) -> Result<()> {
    let err = |e: std::io::Error| EngineError::Local(format!("copying {}: {e}", src.display()));
    fs::create_dir_all(dest).map_err(err)?;
    for entry in fs::read_dir(src).map_err(err)? {
        let entry = entry.map_err(err)?;
        let ty = entry.file_type().map_err(err)?;
        let to = dest.join(entry.file_name());
        if ty.is_dir() {
            copy_tree(&entry.path(), &to)?;
        } else if ty.is_symlink() {
            #[cfg(unix)]
            {
                let target = fs::read_link(entry.path()).map_err(err)?;
                std::os::unix::fs::symlink(target, &to).map_err(err)?;
            }
        } else {
            fs::copy(entry.path(), &to).map_err(err)?;
        }
    }
    Ok(())
}

/// The time of creation as seconds, for summaries.
#[must_use]
pub fn created_secs(img: &Image) -> i64 {
    i64::try_from(img.created.div_euclid(1_000_000_000)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(id: &str, tags: &[&str]) -> Image {
        Image {
            id: format!("sha256:{id}"),
            repo_tags: tags.iter().map(|t| (*t).to_string()).collect(),
            ..Image::default()
        }
    }

    #[test]
    fn lookup_follows_get_image() {
        let st = State {
            images: vec![
                image(&format!("ab{}", "0".repeat(62)), &["busybox:latest"]),
                image(&format!("ac{}", "1".repeat(62)), &["myname/app:1"]),
            ],
            ..State::default()
        };
        assert_eq!(lookup(&st, "busybox").unwrap(), 0);
        assert_eq!(lookup(&st, "docker.io/library/busybox:latest").unwrap(), 0);
        assert_eq!(lookup(&st, "ac").unwrap(), 1);
        assert_eq!(lookup(&st, "sha256:ab0").unwrap(), 0);
        assert_eq!(lookup(&st, "a").unwrap_err(), EngineError::NotFound("No such image: a:latest".into()));
        assert_eq!(lookup(&st, "nope").unwrap_err(), EngineError::NotFound("No such image: nope:latest".into()));
        assert_eq!(lookup(&st, "sha256:nope").unwrap_err(), EngineError::NotFound("No such image: sha256:nope".into()));
        assert!(matches!(lookup(&st, "UPPER"), Err(EngineError::BadRequest(_))));
    }

    #[test]
    fn references_sort_by_full_name() {
        let mut refs = vec!["myrepo/obs:1".to_string(), "obs1:v2".to_string(), "obs1:latest".to_string()];
        sort_references(&mut refs);
        assert_eq!(refs, ["obs1:latest", "obs1:v2", "myrepo/obs:1"]);
    }

    #[test]
    fn chain_ids_start_with_the_diff_id() {
        let chains = chain_ids(&["a".repeat(64), "b".repeat(64)]);
        assert_eq!(chains[0], format!("sha256:{}", "a".repeat(64)));
        assert_ne!(chains[1], format!("sha256:{}", "b".repeat(64)));
    }
}
