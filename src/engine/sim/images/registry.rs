//! `docker pull` and `docker push` against the simulated registry: Docker Hub's official images are the catalog;
//! everything pushed (to Docker Hub user namespaces or any other registry host) is kept under the engine's
//! `registry/` folder, so a push, `rmi` and pull round trip works offline. Progress comes out as the lines the
//! docker CLI prints when its output is not a terminal (`id: Pull complete`); [`is_transient`] tells which of
//! them a terminal overwrites.

use std::fs;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::reference::{self, DEFAULT_DOMAIN, Reference};
use super::{copy_tree, layer_sizes, sha256_hex, sort_references};
use crate::engine::sim::SimEngine;
use crate::engine::sim::catalog::{self, CatalogImage};
use crate::engine::sim::state::Image;
use crate::engine::{EngineError, Result};

/// What a pull did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pulled {
    pub id: String,
    /// False when the reference already named this image ("Image is up to date").
    pub newer: bool,
}

/// Whether a progress line is one a terminal shows only until the layer's next status replaces it.
#[must_use]
pub fn is_transient(line: &str) -> bool {
    [": Pulling fs layer", ": Waiting", ": Verifying Checksum", ": Download complete", ": Preparing"]
        .iter()
        .any(|s| line.ends_with(s))
}

/// An image as the simulated registry keeps it under a tag.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Stored {
    image: Image,
    /// The manifest digest Docker reports for it.
    digest: String,
}

fn registry_dir(engine: &SimEngine) -> PathBuf {
    engine.dir().join("registry")
}

fn repository_dir(engine: &SimEngine, r: &Reference) -> PathBuf {
    registry_dir(engine).join("repositories").join(r.domain.replace(':', "_")).join(&r.path)
}

fn local(what: &str) -> impl Fn(std::io::Error) -> EngineError + '_ {
    move |e| EngineError::Local(format!("the simulated registry: {what}: {e}"))
}

/// What the registry holds for a repository: (tag, stored image), sorted by tag.
fn stored_tags(engine: &SimEngine, r: &Reference) -> Result<Vec<(String, Stored)>> {
    let dir = repository_dir(engine, r).join("tags");
    let Ok(entries) = fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(tag) = name.strip_suffix(".json") else { continue };
        let text = fs::read_to_string(entry.path()).map_err(local("reading a manifest"))?;
        let stored: Stored =
            serde_json::from_str(&text).map_err(|e| EngineError::Local(format!("the simulated registry: {e}")))?;
        out.push((tag.to_string(), stored));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The digest of the (multi-platform) index Docker Hub serves for a catalog image.
fn catalog_digest(c: &CatalogImage) -> String {
    format!("sha256:{}", sha256_hex(&[b"index ", catalog::image_id(c).as_bytes()]))
}

/// The diff id of a catalog image's `k`-th layer.
fn catalog_layer(image_id: &str, k: usize) -> String {
    sha256_hex(&[b"layer ", image_id.as_bytes(), k.to_string().as_bytes()])
}

/// The catalog repository (`library/busybox`) a layer came from, for push's `Mounted from`.
fn catalog_origin(layer: &str) -> Option<String> {
    catalog::CATALOG.iter().find_map(|c| {
        let id = catalog::image_id(c);
        let n = c.steps.iter().filter(|s| s.layer.is_some()).count();
        (0..n).any(|k| catalog_layer(&id, k) == layer).then(|| {
            let name = c.tags[0].split(':').next().unwrap_or_default();
            format!("library/{name}")
        })
    })
}

/// A catalog image as the image it becomes once pulled.
fn catalog_image(c: &CatalogImage) -> Image {
    let id = catalog::image_id(c);
    let layers = (0..c.steps.iter().filter(|s| s.layer.is_some()).count()).map(|k| catalog_layer(&id, k)).collect();
    Image {
        id,
        created: c.created,
        config: (c.config)(),
        layers,
        history: catalog::history(c),
        size: c.size,
        ..Image::default()
    }
}

/// Where an image comes from.
enum Source {
    Catalog(&'static CatalogImage),
    Registry(Box<Stored>),
}

/// Finds what a registry would serve for a reference (with a tag or a digest), or the error it answers.
fn resolve(engine: &SimEngine, r: &Reference) -> Result<(Image, String, Source)> {
    let stored = stored_tags(engine, r)?;
    let hub_library = r.domain == DEFAULT_DOMAIN && r.path.starts_with("library/");
    let catalog_entries: Vec<&'static CatalogImage> = if hub_library {
        let name = r.familiar_name();
        catalog::CATALOG.iter().filter(|c| c.tags.iter().any(|t| t.split(':').next() == Some(name.as_str()))).collect()
    } else {
        Vec::new()
    };
    let found = match (&r.tag, &r.digest) {
        (_, Some(d)) => stored
            .iter()
            .find(|(_, s)| s.digest == *d)
            .map(|(_, s)| Source::Registry(Box::new(s.clone())))
            .or_else(|| catalog_entries.iter().find(|c| catalog_digest(c) == *d).map(|c| Source::Catalog(c))),
        (Some(t), None) => {
            stored.iter().find(|(tag, _)| tag == t).map(|(_, s)| Source::Registry(Box::new(s.clone()))).or_else(|| {
                let wanted = format!("{}:{t}", r.familiar_name());
                catalog_entries.iter().find(|c| c.tags.contains(&wanted.as_str())).map(|c| Source::Catalog(c))
            })
        }
        (None, None) => None,
    };
    match found {
        Some(Source::Catalog(c)) => Ok((catalog_image(c), catalog_digest(c), Source::Catalog(c))),
        Some(Source::Registry(s)) => Ok((s.image.clone(), s.digest.clone(), Source::Registry(s))),
        None if stored.is_empty() && catalog_entries.is_empty() && r.domain == DEFAULT_DOMAIN => {
            Err(EngineError::NotFound(format!(
                "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                r.familiar_name()
            )))
        }
        None => Err(EngineError::NotFound(format!(
            "manifest for {} not found: manifest unknown: manifest unknown",
            r.familiar()
        ))),
    }
}

/// Stores a layer's files under `layers/<diff id>` (written aside, then renamed into place).
fn store_layer(engine: &SimEngine, source: &Source, image_layers: &[String], k: usize) -> Result<()> {
    let layer = &image_layers[k];
    let dest = engine.layer_dir(layer);
    if dest.exists() {
        return Ok(());
    }
    let tmp = dest.with_extension("tmp");
    let _ = fs::remove_dir_all(&tmp);
    match source {
        Source::Catalog(c) if k == 0 => catalog::write_rootfs(c, &tmp)?,
        Source::Catalog(_) => fs::create_dir_all(&tmp).map_err(local("storing a layer"))?,
        Source::Registry(_) => copy_tree(&registry_dir(engine).join("layers").join(layer), &tmp)?,
    }
    fs::rename(&tmp, &dest).map_err(local("storing a layer"))
}

/// The short id a pull shows for a layer: its compressed blob's digest.
fn blob_id(layer: &str) -> String {
    sha256_hex(&[b"blob ", layer.as_bytes()])[..12].to_string()
}

/// Pulls `reference` (a tag is added when it has none), reporting Docker's status lines: `TAG: Pulling from
/// REPO`, one line per layer status, `Digest: …` and `Status: …`. The CLI adds `Using default tag` and the final
/// reference line.
pub fn pull(engine: &SimEngine, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<Pulled> {
    let mut r = reference::parse(reference).map_err(EngineError::BadRequest)?.with_default_tag();
    if r.digest.is_some() {
        // A digest names the content; a tag beside it is ignored, as Docker does.
        r.tag = None;
    }
    let (image, digest, source) = resolve(engine, &r)?;
    let label = r.digest.clone().or_else(|| r.tag.clone()).unwrap_or_default();
    progress(&format!("{label}: Pulling from {}", r.path));
    let present = engine.read(|st| Ok(st.images.iter().any(|i| i.id == image.id)))?;
    if !present {
        let fresh: Vec<usize> =
            (0..image.layers.len()).filter(|&k| !engine.layer_dir(&image.layers[k]).exists()).collect();
        for (k, layer) in image.layers.iter().enumerate() {
            let status = if fresh.contains(&k) { "Pulling fs layer" } else { "Already exists" };
            progress(&format!("{}: {status}", blob_id(layer)));
        }
        for &k in fresh.iter().skip(3) {
            progress(&format!("{}: Waiting", blob_id(&image.layers[k])));
        }
        for &k in &fresh {
            store_layer(engine, &source, &image.layers, k)?;
            progress(&format!("{}: Verifying Checksum", blob_id(&image.layers[k])));
            progress(&format!("{}: Download complete", blob_id(&image.layers[k])));
        }
        for &k in &fresh {
            progress(&format!("{}: Pull complete", blob_id(&image.layers[k])));
        }
    }
    let digest_ref = r.digested(&digest).familiar();
    let newer = engine.mutate(|st| {
        let i = if let Some(i) = st.images.iter().position(|i| i.id == image.id) {
            i
        } else {
            st.images.push(image.clone());
            st.images.len() - 1
        };
        let mut newer = false;
        if r.tag.is_some() {
            let tag = r.familiar();
            if !st.images[i].repo_tags.contains(&tag) {
                newer = true;
                for img in &mut st.images {
                    img.repo_tags.retain(|t| *t != tag);
                }
                st.images[i].repo_tags.push(tag);
                sort_references(&mut st.images[i].repo_tags);
            }
        }
        if !st.images[i].repo_digests.contains(&digest_ref) {
            newer |= r.tag.is_none();
            st.images[i].repo_digests.push(digest_ref.clone());
            sort_references(&mut st.images[i].repo_digests);
        }
        Ok(newer)
    })?;
    progress(&format!("Digest: {digest}"));
    if newer {
        progress(&format!("Status: Downloaded newer image for {}", r.familiar()));
    } else {
        progress(&format!("Status: Image is up to date for {}", r.familiar()));
    }
    Ok(Pulled { id: image.id, newer })
}

/// The manifest Docker would push for an image (schema 2, indented with three spaces as the daemon writes it):
/// its digest names the pushed image and its length is the `size` push reports.
fn manifest(image: &Image) -> String {
    let config_size = 1500 + 60 * image.history.len() + 40 * image.config.env.len();
    let mut layers = String::new();
    for (k, (layer, size)) in image.layers.iter().zip(layer_sizes(image)).enumerate() {
        if k > 0 {
            layers.push_str(",\n");
        }
        layers.push_str(&format!(
            "      {{\n         \"mediaType\": \"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n         \"size\": {},\n         \"digest\": \"sha256:{}\"\n      }}",
            (size / 3).max(32),
            sha256_hex(&[b"blob ", layer.as_bytes()])
        ));
    }
    format!(
        "{{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",\n   \"config\": {{\n      \"mediaType\": \"application/vnd.docker.container.image.v1+json\",\n      \"size\": {config_size},\n      \"digest\": \"{}\"\n   }},\n   \"layers\": [\n{layers}\n   ]\n}}",
        image.id
    )
}

/// Pushes a local image to the simulated registry, reporting Docker's lines: `The push refers to repository
/// […]`, the layers (top first), then `TAG: digest: … size: …`. Errors the registry answers mid-stream
/// (`denied: …`, no such local image) come back as [`EngineError::Local`], which the CLI prints as they are.
pub fn push(engine: &SimEngine, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<String> {
    let r = reference::parse(reference).map_err(EngineError::BadRequest)?.with_default_tag();
    progress(&format!("The push refers to repository [{}]", r.name()));
    let familiar = r.familiar();
    let image = engine.read(|st| Ok(st.images.iter().find(|i| i.repo_tags.contains(&familiar)).cloned()))?;
    let Some(image) = image else {
        return Err(EngineError::Local(format!("An image does not exist locally with the tag: {}", r.familiar_name())));
    };
    let top_first: Vec<&String> = image.layers.iter().rev().collect();
    for layer in &top_first {
        progress(&format!("{}: Preparing", &layer[..12]));
    }
    if r.domain == DEFAULT_DOMAIN && r.path.starts_with("library/") {
        return Err(EngineError::Local("denied: requested access to the resource is denied".to_string()));
    }
    let stored_layers = registry_dir(engine).join("layers");
    for layer in &top_first {
        let dest = stored_layers.join(layer);
        let status = if dest.exists() {
            "Layer already exists".to_string()
        } else {
            let tmp = dest.with_extension("tmp");
            let _ = fs::remove_dir_all(&tmp);
            copy_tree(&engine.layer_dir(layer), &tmp)?;
            fs::rename(&tmp, &dest).map_err(local("storing a layer"))?;
            catalog_origin(layer).map_or_else(|| "Pushed".to_string(), |from| format!("Mounted from {from}"))
        };
        progress(&format!("{}: {status}", &layer[..12]));
    }
    let text = manifest(&image);
    let digest = format!("sha256:{}", sha256_hex(&[text.as_bytes()]));
    let mut kept = image.clone();
    kept.repo_tags.clear();
    kept.repo_digests.clear();
    kept.last_tag_time = 0;
    let tag = r.tag.clone().unwrap_or_default();
    let file = repository_dir(engine, &r).join("tags").join(format!("{tag}.json"));
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(local("storing a manifest"))?;
    }
    let json = serde_json::to_string(&Stored { image: kept, digest: digest.clone() })
        .map_err(|e| EngineError::Local(e.to_string()))?;
    fs::write(&file, json).map_err(local("storing a manifest"))?;
    let digest_ref = r.digested(&digest).familiar();
    engine.mutate(|st| {
        if let Some(img) = st.images.iter_mut().find(|i| i.id == image.id) {
            img.repo_digests.retain(|d| !d.starts_with(&format!("{}@", r.familiar_name())));
            img.repo_digests.push(digest_ref.clone());
            sort_references(&mut img.repo_digests);
        }
        Ok(())
    })?;
    progress(&format!("{tag}: digest: {digest} size: {}", text.len()));
    Ok(digest)
}
