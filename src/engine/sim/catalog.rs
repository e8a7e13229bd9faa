//! The images the simulated registry offers (busybox, alpine, ubuntu, node, nginx, python), with the default
//! CMD, ENTRYPOINT, ENV, WORKDIR, exposed ports, labels, creation times, sizes and build history of the real
//! `linux/amd64` images (the data and its sources are in `catalog/library.rs`), and root file systems made from
//! the toolbox: every program is a file whose name picks the toolbox applet that runs it.

mod library;

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::state::{HistoryItem, ImageConfig};
use crate::engine::{EngineError, Result};

pub use library::CATALOG;

/// The toolbox's applets, each installed as a program in every image.
pub const APPLETS: &[&str] = &[
    "sh", "ash", "[", "basename", "cat", "chgrp", "chmod", "chown", "cp", "cut", "date", "dirname", "echo", "env",
    "false", "grep", "head", "hostname", "id", "ls", "mkdir", "mv", "printenv", "printf", "pwd", "rm", "rmdir", "sed",
    "seq", "sleep", "sort", "tail", "tee", "test", "touch", "tr", "true", "uname", "uniq", "wc", "which", "whoami",
    "xargs", "ping", "wget", "nc", "nslookup", "httpd",
];

/// A program file: the WebAssembly magic and version, so the toolbox's shell runs it as a binary, by name.
pub const PROGRAM: &[u8] = b"\0asm\x01\0\0\0";

/// One step of the real image's build, as its history lists it.
pub struct Step {
    /// Unix seconds.
    pub created: i64,
    pub created_by: &'static str,
    /// The compressed size the registry lists for the layer the step made; `None` for a step that made none.
    pub layer: Option<i64>,
    /// Made by BuildKit, which comments its steps `buildkit.dockerfile.v0`.
    pub buildkit: bool,
}

/// One image of the simulated registry.
pub struct CatalogImage {
    /// `name:tag` references it answers to; the first names it.
    pub tags: &'static [&'static str],
    pub config: fn() -> ImageConfig,
    /// Where the programs go, besides `/bin`.
    pub extra_programs: &'static [&'static str],
    /// Files written into the root file system: path, content.
    pub files: &'static [(&'static str, &'static str)],
    /// The `/etc/os-release` `PRETTY_NAME`.
    pub os: &'static str,
    /// When the real image was made, Unix nanoseconds.
    pub created: i128,
    /// The size Docker reports for the real image (all layers, uncompressed), in bytes.
    pub size: i64,
    /// How the real image was made, oldest step first.
    pub steps: &'static [Step],
}

/// The catalog entry a reference names (`busybox:latest`, `node:18`, as [`super::state::normalize_reference`]
/// gives them).
#[must_use]
pub fn find(normalized: &str) -> Option<&'static CatalogImage> {
    CATALOG.iter().find(|c| c.tags.contains(&normalized))
}

/// Whether the catalog has a repository of this name (`busybox`, `myname/app`), whatever the tag.
#[must_use]
pub fn has_repository(name: &str) -> bool {
    CATALOG.iter().any(|c| c.tags.iter().any(|t| t.rsplit_once(':').is_some_and(|(r, _)| r == name)))
}

/// A stable id for a catalog image: the same on every machine, like a registry digest. It changes with the
/// toolbox, whose programs the image's layers hold.
#[must_use]
pub fn image_id(image: &CatalogImage) -> String {
    let mut h = Sha256::new();
    h.update(image.tags[0].as_bytes());
    h.update(crate::engine::sim::TOOLBOX_VERSION.as_bytes());
    format!("sha256:{}", super::hex(&h.finalize()))
}

/// The uncompressed size of each layer, bottom first. The registry lists compressed sizes only, so the image's
/// size is shared out in their proportion; the sizes add up to the image's exactly.
#[must_use]
pub fn layer_sizes(image: &CatalogImage) -> Vec<i64> {
    let compressed: Vec<i64> = image.steps.iter().filter_map(|s| s.layer).collect();
    let total: i128 = compressed.iter().map(|&c| i128::from(c)).sum::<i128>().max(1);
    let mut sizes: Vec<i64> = compressed
        .iter()
        .map(|&c| i64::try_from(i128::from(image.size) * i128::from(c) / total).unwrap_or(0))
        .collect();
    let rest = image.size - sizes.iter().sum::<i64>();
    if let Some(biggest) = (0..sizes.len()).max_by_key(|&i| sizes[i]) {
        sizes[biggest] += rest;
    }
    sizes
}

/// The history Docker shows for the real image, oldest step first.
#[must_use]
pub fn history(image: &CatalogImage) -> Vec<HistoryItem> {
    let mut sizes = layer_sizes(image).into_iter();
    image
        .steps
        .iter()
        .map(|step| HistoryItem {
            created: i128::from(step.created) * 1_000_000_000,
            created_by: step.created_by.to_string(),
            size: if step.layer.is_some() { sizes.next().unwrap_or(0) } else { 0 },
            comment: if step.buildkit { "buildkit.dockerfile.v0".to_string() } else { String::new() },
            empty_layer: step.layer.is_none(),
        })
        .collect()
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> EngineError + '_ {
    move |e| EngineError::Local(format!("cannot write {}: {e}", path.display()))
}

/// Writes the image's root file system into `dir` (the bottom layer holds all of it).
pub fn write_rootfs(image: &CatalogImage, dir: &Path) -> Result<()> {
    for sub in [
        "bin",
        "sbin",
        "usr/bin",
        "usr/sbin",
        "usr/local/bin",
        "etc",
        "tmp",
        "root",
        "home",
        "var/log",
        "dev",
        "proc",
        "sys",
    ] {
        fs::create_dir_all(dir.join(sub)).map_err(io(dir))?;
    }
    for applet in APPLETS {
        let p = dir.join("bin").join(applet);
        fs::write(&p, PROGRAM).map_err(io(&p))?;
    }
    for program in image.extra_programs {
        let p = dir.join("usr/local/bin").join(program);
        fs::write(&p, PROGRAM).map_err(io(&p))?;
    }
    for (path, content) in image.files {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&p, content).map_err(io(&p))?;
    }
    let etc = [
        ("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n".to_string()),
        ("etc/group", "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n".to_string()),
        ("etc/os-release", format!("PRETTY_NAME=\"{}\"\nNAME=\"{}\"\n", image.os, image.os)),
    ];
    for (path, content) in etc {
        let p = dir.join(path);
        fs::write(&p, content).map_err(io(&p))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_images_have_real_defaults() {
        let nginx = find("nginx:latest").unwrap();
        let c = (nginx.config)();
        assert_eq!(c.cmd, ["nginx", "-g", "daemon off;"]);
        assert_eq!(c.entrypoint, ["/docker-entrypoint.sh"]);
        assert_eq!(c.exposed_ports, ["80/tcp"]);
        assert_eq!(c.stop_signal.as_deref(), Some("SIGQUIT"));
        assert_eq!((find("node:18").unwrap().config)().entrypoint, ["docker-entrypoint.sh"]);
        assert_eq!((find("busybox:latest").unwrap().config)().cmd, ["sh"]);
        assert_eq!((find("alpine:latest").unwrap().config)().cmd, ["/bin/sh"]);
        assert_eq!((find("ubuntu:latest").unwrap().config)().cmd, ["/bin/bash"]);
        assert_eq!((find("python:3.12").unwrap().config)().cmd, ["python3"]);
        assert!(find("busybox:0.1").is_none());
        assert!(has_repository("busybox") && !has_repository("busybo"));
        let ids: std::collections::HashSet<String> = CATALOG.iter().map(image_id).collect();
        assert_eq!(ids.len(), CATALOG.len());
    }

    #[test]
    fn histories_add_up_to_the_image_size() {
        for image in CATALOG {
            let h = history(image);
            assert_eq!(h.iter().map(|i| i.size).sum::<i64>(), image.size, "{}", image.tags[0]);
            assert_eq!(h.iter().filter(|i| !i.empty_layer).count(), layer_sizes(image).len());
            assert!(h.windows(2).all(|w| w[0].created <= w[1].created), "{} is oldest first", image.tags[0]);
            assert!(!h[0].empty_layer, "{} starts with a layer", image.tags[0]);
        }
    }

    #[test]
    fn root_file_systems_hold_programs() {
        let dir = tempfile::tempdir().unwrap();
        write_rootfs(find("node:18").unwrap(), dir.path()).unwrap();
        assert_eq!(fs::read(dir.path().join("bin/ls")).unwrap(), PROGRAM);
        assert!(dir.path().join("usr/local/bin/node").exists());
        assert!(
            fs::read_to_string(dir.path().join("usr/local/bin/docker-entrypoint.sh")).unwrap().starts_with("#!/bin/sh")
        );
        assert!(fs::read_to_string(dir.path().join("etc/passwd")).unwrap().starts_with("root:x:0:0"));
    }
}
