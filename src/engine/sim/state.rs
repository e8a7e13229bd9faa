//! The simulated engine's objects as they are saved under `$DOCKLINGS_HOME/sim/state.json`: images, containers,
//! volumes and networks, in the shapes Docker's API uses, so `docker inspect` can print them as Docker does.
//! Saving writes a temporary file and renames it over the old one, so a crash never leaves it half written.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::engine::{EngineError, Labels, Result};

/// Everything the simulated daemon knows.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub images: Vec<Image>,
    pub containers: Vec<Container>,
    pub volumes: Vec<Volume>,
    pub networks: Vec<Network>,
    /// `docker build`'s cache: a step's key (a digest of its parent's key and its inputs) and what it made.
    #[serde(default)]
    pub build_cache: BTreeMap<String, CachedStep>,
}

/// What a build step made, kept so a later build with the same key reuses it instead of running it again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedStep {
    /// The layer (a folder under `sim/layers/`) the step made.
    pub layer: String,
    /// The bytes it holds, for `docker history`.
    pub size: i64,
    /// When the step first ran, Unix nanoseconds: a cached step keeps its time, so the image id stays the same.
    pub created: i128,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageConfig {
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub user: String,
    /// `80/tcp` style.
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    pub labels: Labels,
    pub stop_signal: Option<String>,
    /// `ONBUILD` instructions as written after the keyword, run when a build uses this image as its base.
    #[serde(default)]
    pub on_build: Vec<String>,
    /// `HEALTHCHECK`'s test (`CMD-SHELL …`, `CMD …` or `NONE`); empty when the image has none.
    #[serde(default)]
    pub healthcheck: Vec<String>,
    /// `SHELL`, when a build set one.
    #[serde(default)]
    pub shell: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    /// Nanoseconds since the epoch.
    pub created: i128,
    pub created_by: String,
    pub size: i64,
    pub comment: String,
    /// True for a step that made no layer (metadata only).
    pub empty_layer: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// `sha256:` and 64 hex digits.
    pub id: String,
    pub repo_tags: Vec<String>,
    pub repo_digests: Vec<String>,
    /// Nanoseconds since the epoch.
    pub created: i128,
    pub config: ImageConfig,
    /// Layer ids, bottom first; each is a folder under `sim/layers/`.
    pub layers: Vec<String>,
    pub history: Vec<HistoryItem>,
    pub size: i64,
    /// The image a build step came from (`docker build`'s intermediate chain).
    pub parent: Option<String>,
    /// When `docker tag` (or a build) last named it, Unix nanoseconds; 0 for a pulled image.
    #[serde(default)]
    pub last_tag_time: i128,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl Status {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Removing => "removing",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerState {
    pub status: Status,
    pub exit_code: i64,
    /// Nanoseconds since the epoch; 0 when never started.
    pub started_at: i128,
    pub finished_at: i128,
    /// The docklings process whose thread runs the container's main process, while it runs.
    pub owner_pid: Option<u32>,
    pub error: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MountType {
    Volume,
    Bind,
    Tmpfs,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountPoint {
    pub kind: MountType,
    /// The volume's name, for a volume.
    pub name: Option<String>,
    /// The host folder: a bind mount's source or the volume's data folder.
    pub source: String,
    pub destination: String,
    pub read_write: bool,
    /// `z`, `ro` … as the user wrote them (`-v a:/b:ro`).
    pub mode: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub network_id: String,
    pub endpoint_id: String,
    pub ip_address: String,
    pub ip_prefix_len: u8,
    pub gateway: String,
    pub mac_address: String,
    pub aliases: Vec<String>,
    /// The address asked for with `--ip` (`run`, `network connect`), given at every start; empty for any.
    #[serde(default)]
    pub ipam_ip: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortBinding {
    /// `80/tcp`.
    pub container_port: String,
    pub host_ip: String,
    /// Empty until the container starts when the engine picks it.
    pub host_port: String,
}

// Docker's container configuration holds these as independent booleans.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerSpec {
    pub hostname: String,
    pub user: String,
    pub env: Vec<String>,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub working_dir: String,
    pub labels: Labels,
    pub tty: bool,
    pub open_stdin: bool,
    pub exposed_ports: Vec<String>,
    pub stop_signal: Option<String>,
    pub auto_remove: bool,
    /// `-p` as asked, before the engine picks host ports.
    pub port_bindings: Vec<PortBinding>,
    pub publish_all: bool,
    /// `default`, `bridge`, `host`, `none` or a network name.
    pub network_mode: String,
    /// `-v` values as written, for `HostConfig.Binds`.
    pub binds: Vec<String>,
    /// `Config.AttachStdin`, `AttachStdout`, `AttachStderr`: what `docker run` attached to.
    #[serde(default)]
    pub attach: [bool; 3],
    /// `Config.Volumes`: the anonymous volume paths (`-v /data`, the image's `VOLUME`).
    #[serde(default)]
    pub volumes: Vec<String>,
    /// `--mount` values, for `HostConfig.Mounts`.
    #[serde(default)]
    pub mounts: Vec<HostMount>,
}

/// A `--mount` as `HostConfig.Mounts` keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostMount {
    pub kind: MountType,
    /// Empty for an anonymous volume or a tmpfs.
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    pub created: i128,
    /// The image as the user named it.
    pub image: String,
    pub image_id: String,
    pub spec: ContainerSpec,
    pub state: ContainerState,
    pub mounts: Vec<MountPoint>,
    pub networks: BTreeMap<String, Endpoint>,
    /// Ports the engine bound when the container started.
    pub ports: Vec<PortBinding>,
    pub restart_count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    pub name: String,
    pub created: i128,
    pub labels: Labels,
    pub anonymous: bool,
    pub options: BTreeMap<String, String>,
}

// Docker's network resource holds these as independent booleans.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    pub id: String,
    pub name: String,
    pub created: i128,
    pub driver: String,
    pub scope: String,
    pub internal: bool,
    pub subnet: String,
    pub gateway: String,
    pub labels: Labels,
    pub options: BTreeMap<String, String>,
    /// True for `bridge`, `host` and `none`, which cannot be removed.
    pub predefined: bool,
    /// `--ip-range`: where container addresses come from, inside the subnet; empty for all of it.
    #[serde(default)]
    pub ip_range: String,
    #[serde(default)]
    pub attachable: bool,
    /// True when the user gave `--subnet`: only then does Docker accept `--ip`.
    #[serde(default)]
    pub user_subnet: bool,
    /// True when the user gave `--gateway`; `inspect` shows a gateway IPAM picked only for a network whose
    /// subnet IPAM picked too.
    #[serde(default)]
    pub user_gateway: bool,
}

/// Nanoseconds since the Unix epoch, now.
#[must_use]
pub fn now_nanos() -> i128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0))
}

impl State {
    /// Reads the state; a missing file is an empty engine, a corrupt one is set aside (not deleted) and the
    /// engine starts empty, with a message saying where the old file went.
    pub fn load(path: &Path) -> Result<(State, Option<String>)> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((State::default(), None)),
            Err(e) => return Err(EngineError::Local(format!("cannot read {}: {e}", path.display()))),
        };
        match serde_json::from_str(&text) {
            Ok(state) => Ok((state, None)),
            Err(e) => {
                let aside = path.with_extension(format!("corrupt-{}.json", now_nanos() / 1_000_000_000));
                std::fs::rename(path, &aside).map_err(|err| {
                    EngineError::Local(format!("{} is corrupt ({e}) and cannot be set aside: {err}", path.display()))
                })?;
                let note = format!(
                    "the simulated engine's state was unreadable ({e}); it was moved to {} and the engine starts empty",
                    aside.display()
                );
                Ok((State::default(), Some(note)))
            }
        }
    }

    /// Writes the state atomically: a temporary file beside it, renamed over it, so a docklings process that dies
    /// midway leaves the old state or the new one, never half of one. No fsync: it tripled the time of a
    /// `docker run --rm` (3.5 ms to 11.5 ms, `cargo bench --bench sim`); a power cut may lose the last command's
    /// change, which the learner can type again.
    pub fn save(&self, path: &Path) -> Result<()> {
        let local = |e: std::io::Error| EngineError::Local(format!("cannot save {}: {e}", path.display()));
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_vec(self).map_err(|e| EngineError::Local(e.to_string()))?;
        {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp).map_err(local)?;
            f.write_all(&text).map_err(local)?;
        }
        std::fs::rename(&tmp, path).map_err(local)
    }

    /// A container by full id, unique id prefix or name (Docker's lookup order).
    #[must_use]
    pub fn container(&self, key: &str) -> Option<usize> {
        let key = key.strip_prefix('/').unwrap_or(key);
        if let Some(i) = self.containers.iter().position(|c| c.id == key || c.name == key) {
            return Some(i);
        }
        let matches: Vec<usize> =
            (0..self.containers.len()).filter(|&i| !key.is_empty() && self.containers[i].id.starts_with(key)).collect();
        match matches.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// An image by reference (`name`, `name:tag`, `docker.io/library/name:tag`), full or short id.
    #[must_use]
    pub fn image(&self, reference: &str) -> Option<usize> {
        let wanted = normalize_reference(reference);
        if let Some(i) = self.images.iter().position(|img| img.repo_tags.contains(&wanted)) {
            return Some(i);
        }
        let hex = reference.strip_prefix("sha256:").unwrap_or(reference);
        if hex.len() >= 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let matches: Vec<usize> = (0..self.images.len())
                .filter(|&i| self.images[i].id.trim_start_matches("sha256:").starts_with(hex))
                .collect();
            if let [one] = matches.as_slice() {
                return Some(*one);
            }
        }
        None
    }

    #[must_use]
    pub fn volume(&self, name: &str) -> Option<usize> {
        self.volumes.iter().position(|v| v.name == name)
    }

    /// A network by name, full id or unique id prefix.
    #[must_use]
    pub fn network(&self, key: &str) -> Option<usize> {
        if let Some(i) = self.networks.iter().position(|n| n.name == key || n.id == key) {
            return Some(i);
        }
        let matches: Vec<usize> =
            (0..self.networks.len()).filter(|&i| !key.is_empty() && self.networks[i].id.starts_with(key)).collect();
        match matches.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// `busybox` → `busybox:latest`; `docker.io/library/busybox:1` → `busybox:1`; digests kept.
#[must_use]
pub fn normalize_reference(reference: &str) -> String {
    let r = reference
        .strip_prefix("docker.io/")
        .or_else(|| reference.strip_prefix("index.docker.io/"))
        .unwrap_or(reference);
    let r = r.strip_prefix("library/").unwrap_or(r);
    if r.contains('@') {
        return r.to_string();
    }
    let last = r.rsplit('/').next().unwrap_or(r);
    if last.contains(':') { r.to_string() } else { format!("{r}:latest") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise() {
        assert_eq!(normalize_reference("busybox"), "busybox:latest");
        assert_eq!(normalize_reference("docker.io/library/node:18"), "node:18");
        assert_eq!(normalize_reference("localhost:5000/app"), "localhost:5000/app:latest");
    }

    #[test]
    fn saving_is_atomic_and_corruption_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = State::default();
        s.volumes.push(Volume {
            name: "data".into(),
            created: 1,
            labels: Labels::new(),
            anonymous: false,
            options: BTreeMap::new(),
        });
        s.save(&path).unwrap();
        assert_eq!(State::load(&path).unwrap().0.volumes.len(), 1);
        assert!(!path.with_extension("json.tmp").exists());
        std::fs::write(&path, "{ not json").unwrap();
        let (fresh, note) = State::load(&path).unwrap();
        assert!(fresh.volumes.is_empty());
        assert!(note.unwrap().contains("moved to"));
        let aside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).collect();
        assert!(aside.iter().any(|e| e.file_name().to_string_lossy().contains("corrupt")), "the old file is kept");
    }
}
