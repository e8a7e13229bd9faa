//! `docker create`: checks what the daemon checks, in its order (settings, image, name, network, volumes),
//! then makes the container's root file system and records it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::super::state::{
    Container, ContainerSpec, ContainerState, Endpoint, HostMount, MountPoint, MountType, PortBinding, State, Status,
    now_nanos,
};
use super::super::{SimEngine, images, volumes};
use crate::engine::{ContainerConfig, EngineError, Labels, MountKind, Result};

/// A mount as `docker run` asks for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountRequest {
    pub kind: MountKind,
    /// A volume name (empty: anonymous) or a host path (absolute).
    pub source: String,
    pub target: String,
    pub read_only: bool,
    /// How it was asked: `-v` (its text, for `HostConfig.Binds`, and its mode) or `--mount`.
    pub origin: MountOrigin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountOrigin {
    /// `-v SPEC`: the text as written and its mode (`ro`, `rw`, `z` … or empty).
    Volume { spec: String, mode: String },
    /// `-v /path`: an anonymous volume, kept in `Config.Volumes`.
    Anonymous,
    /// `--mount`.
    Mount,
}

/// Everything `docker create` sends the daemon that the simulation uses.
// The booleans are Docker's own, independent options.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug, Default)]
pub struct CreateRequest {
    /// The image as the user named it.
    pub image: String,
    pub name: Option<String>,
    /// Replaces the image's CMD when not empty.
    pub cmd: Vec<String>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    pub labels: Labels,
    pub mounts: Vec<MountRequest>,
    /// `-p` bindings: `80/tcp`, host address and port as given (empty when left out).
    pub ports: Vec<PortBinding>,
    /// `--expose` ports (`80/tcp`).
    pub expose: Vec<String>,
    pub publish_all: bool,
    pub network: Option<String>,
    pub network_aliases: Vec<String>,
    /// `--ip`: the address asked for on the container's network.
    pub ip: Option<String>,
    pub auto_remove: bool,
    pub tty: bool,
    pub open_stdin: bool,
    /// stdin, stdout, stderr.
    pub attach: [bool; 3],
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub stop_signal: Option<String>,
}

impl From<&ContainerConfig> for CreateRequest {
    fn from(c: &ContainerConfig) -> CreateRequest {
        CreateRequest {
            image: c.image.clone(),
            name: c.name.clone(),
            cmd: c.cmd.clone(),
            entrypoint: c.entrypoint.clone(),
            env: c.env.clone(),
            labels: c.labels.clone(),
            mounts: c
                .mounts
                .iter()
                .map(|m| MountRequest {
                    kind: m.kind,
                    source: m.source.clone(),
                    target: m.target.clone(),
                    read_only: m.read_only,
                    origin: MountOrigin::Mount,
                })
                .collect(),
            ports: c
                .ports
                .iter()
                .map(|p| PortBinding {
                    container_port: format!(
                        "{}/{}",
                        p.container_port,
                        if p.protocol.is_empty() { "tcp" } else { &p.protocol }
                    ),
                    host_ip: p.host_ip.clone(),
                    host_port: p.host_port.map(|h| h.to_string()).unwrap_or_default(),
                })
                .collect(),
            publish_all: c.publish_all,
            network: c.network.clone(),
            network_aliases: c.network_aliases.clone(),
            auto_remove: c.auto_remove,
            tty: c.tty,
            open_stdin: c.open_stdin,
            working_dir: c.working_dir.clone(),
            user: c.user.clone(),
            hostname: c.hostname.clone(),
            ..CreateRequest::default()
        }
    }
}

/// The endpoints a new container starts with: one on its network (none for `container:…`, which shares another
/// container's), with the daemon's checks of `--ip` and `-p` against the network mode. A network that does not
/// exist is no error yet: Docker 28 reports it when the container starts.
fn network_endpoints(st: &State, req: &CreateRequest, net_name: &str) -> Result<BTreeMap<String, Endpoint>> {
    let mut nets = BTreeMap::new();
    if let Some(other) = net_name.strip_prefix("container:") {
        super::find(st, other)?;
        if !req.ports.is_empty() || req.publish_all {
            return Err(bad("conflicting options: port publishing and the container type network mode".into()));
        }
        return Ok(nets);
    }
    let wanted = req.ip.clone().unwrap_or_default();
    let Some(n) = st.network(net_name) else {
        nets.insert(
            net_name.to_string(),
            Endpoint { aliases: req.network_aliases.clone(), ipam_ip: wanted, ..Endpoint::default() },
        );
        return Ok(nets);
    };
    let net = &st.networks[n];
    if !wanted.is_empty() {
        if net.predefined {
            return Err(bad("user specified IP address is supported on user defined networks only".into()));
        }
        if !net.user_subnet {
            return Err(bad(
                "user specified IP address is supported only when connecting to networks with user configured subnets"
                    .into(),
            ));
        }
        super::super::networks::check_wanted_ip(st, net, &wanted)?;
    }
    nets.insert(
        net.name.clone(),
        Endpoint {
            network_id: net.id.clone(),
            aliases: req.network_aliases.clone(),
            ipam_ip: wanted,
            ..Endpoint::default()
        },
    );
    Ok(nets)
}

fn bad(message: String) -> EngineError {
    EngineError::BadRequest(message)
}

/// Docker's rule for container names.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// A name for a container created without `--name`: an adjective and a scientist, as Docker picks.
fn generated_name(st: &State, id: &str) -> String {
    const LEFT: [&str; 16] = [
        "admiring", "brave", "clever", "eager", "focused", "happy", "jolly", "keen", "nifty", "quirky", "serene",
        "vibrant", "gallant", "stoic", "wizardly", "zealous",
    ];
    const RIGHT: [&str; 16] = [
        "curie", "darwin", "euler", "hopper", "lovelace", "meitner", "newton", "noether", "pasteur", "ritchie",
        "turing", "wozniak", "babbage", "franklin", "hypatia", "shannon",
    ];
    let n = usize::from_str_radix(&id[..8], 16).unwrap_or(0);
    let base = format!("{}_{}", LEFT[n % LEFT.len()], RIGHT[(n / LEFT.len()) % RIGHT.len()]);
    let mut name = base.clone();
    let mut k = 1;
    while st.containers.iter().any(|c| c.name == name) {
        name = format!("{base}{k}");
        k += 1;
    }
    name
}

/// The daemon's checks of the mounts, before anything is created (moby's `validateMountSettings`).
fn check_mount(m: &MountRequest) -> Result<()> {
    let kind = match m.kind {
        MountKind::Volume => "volume",
        MountKind::Bind => "bind",
        MountKind::Tmpfs => "tmpfs",
    };
    let wrap = |why: String| match &m.origin {
        MountOrigin::Volume { spec, .. } => {
            bad(format!("invalid volume specification: '{spec}': invalid mount config for type \"{kind}\": {why}"))
        }
        _ => bad(format!("invalid mount config for type \"{kind}\": {why}")),
    };
    if let MountOrigin::Volume { mode, .. } = &m.origin {
        for part in mode.split(',').filter(|p| !p.is_empty()) {
            if !matches!(
                part,
                "ro" | "rw" | "z" | "Z" | "nocopy" | "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave"
            ) {
                return Err(bad(format!("invalid mode: {mode}")));
            }
        }
    }
    if !m.target.starts_with('/') {
        return Err(wrap(format!("invalid mount path: '{}' mount path must be absolute", m.target)));
    }
    match m.kind {
        MountKind::Bind => {
            if m.source.is_empty() {
                return Err(wrap("field Source must not be empty".to_string()));
            }
            if !m.source.starts_with('/') {
                return Err(wrap(format!("invalid mount path: '{}' mount path must be absolute", m.source)));
            }
            if m.target == "/" {
                return Err(wrap("invalid specification: destination can't be '/'".to_string()));
            }
            if m.origin == MountOrigin::Mount && !Path::new(&m.source).exists() {
                return Err(wrap(format!("bind source path does not exist: {}", m.source)));
            }
        }
        MountKind::Tmpfs if !m.source.is_empty() => return Err(wrap("field Source must not be specified".to_string())),
        MountKind::Volume | MountKind::Tmpfs => {}
    }
    Ok(())
}

/// Creates a container; returns its id.
pub fn create(engine: &SimEngine, req: &CreateRequest) -> Result<String> {
    if let Some(w) = req.working_dir.as_deref().filter(|w| !w.is_empty() && !w.starts_with('/')) {
        return Err(bad(format!("the working directory '{w}' is invalid, it needs to be an absolute path")));
    }
    for m in &req.mounts {
        check_mount(m)?;
    }
    let id = super::super::new_id();
    let dir = engine.container_dir(&id);
    let created = engine.mutate(|st| {
        let img = st.images[images::find(st, &req.image)?].clone();
        if let Some(name) = &req.name {
            let bare = name.strip_prefix('/').unwrap_or(name);
            if !valid_name(bare) {
                return Err(bad(format!("Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")));
            }
            if let Some(other) = st.containers.iter().find(|c| c.name == bare) {
                return Err(EngineError::Conflict(format!(
                    "Conflict. The container name \"/{bare}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                    other.id
                )));
            }
        }
        let entrypoint = req.entrypoint.clone().unwrap_or_else(|| img.config.entrypoint.clone());
        let cmd = if !req.cmd.is_empty() {
            req.cmd.clone()
        } else if req.entrypoint.is_some() {
            Vec::new()
        } else {
            img.config.cmd.clone()
        };
        if entrypoint.is_empty() && cmd.is_empty() {
            return Err(bad("no command specified".to_string()));
        }
        let network_mode = req.network.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "bridge".to_string());
        let net_name = if network_mode == "default" { "bridge".to_string() } else { network_mode.clone() };
        let nets = network_endpoints(st, req, &net_name)?;

        // Mounts: what was asked, then the image's VOLUME paths not already covered (anonymous volumes).
        let mut mounts: Vec<MountPoint> = Vec::new();
        for m in &req.mounts {
            if mounts.iter().any(|p| p.destination == m.target) {
                return Err(bad(format!("Duplicate mount point: {}", m.target)));
            }
            mounts.push(mount_point(engine, st, m)?);
        }
        let mut anonymous_paths: Vec<String> =
            req.mounts.iter().filter(|m| m.origin == MountOrigin::Anonymous).map(|m| m.target.clone()).collect();
        for path in &img.config.volumes {
            if !anonymous_paths.contains(path) {
                anonymous_paths.push(path.clone());
            }
            if !mounts.iter().any(|m| m.destination == *path) {
                let name = volumes::ensure(engine, st, None, &Labels::new())?;
                mounts.push(MountPoint {
                    kind: MountType::Volume,
                    source: engine.volume_dir(&name).join("_data").display().to_string(),
                    name: Some(name),
                    destination: path.clone(),
                    read_write: true,
                    mode: String::new(),
                });
            }
        }
        anonymous_paths.sort();

        // The user's variables first, then the image's that they do not replace (the daemon's merge).
        let key = |e: &str| e.split('=').next().unwrap_or(e).to_string();
        let mut env = req.env.clone();
        for e in &img.config.env {
            if !req.env.iter().any(|u| key(u) == key(e)) {
                env.push(e.clone());
            }
        }
        let mut labels = img.config.labels.clone();
        labels.extend(req.labels.clone());
        let mut exposed = img.config.exposed_ports.clone();
        exposed.extend(req.expose.iter().cloned());
        exposed.extend(req.ports.iter().map(|p| p.container_port.clone()));
        exposed.sort();
        exposed.dedup();

        let name = match &req.name {
            Some(n) => n.trim_start_matches('/').to_string(),
            None => generated_name(st, &id),
        };
        let spec = ContainerSpec {
            hostname: req.hostname.clone().filter(|h| !h.is_empty()).unwrap_or_else(|| id[..12].to_string()),
            user: req.user.clone().unwrap_or_else(|| img.config.user.clone()),
            env,
            cmd,
            entrypoint,
            working_dir: req.working_dir.clone().filter(|w| !w.is_empty()).unwrap_or_else(|| img.config.working_dir.clone()),
            labels,
            tty: req.tty,
            open_stdin: req.open_stdin,
            exposed_ports: exposed,
            stop_signal: req.stop_signal.clone().or_else(|| img.config.stop_signal.clone()),
            auto_remove: req.auto_remove,
            port_bindings: req.ports.clone(),
            publish_all: req.publish_all,
            network_mode,
            binds: req
                .mounts
                .iter()
                .filter_map(|m| match &m.origin {
                    MountOrigin::Volume { spec, .. } => Some(spec.clone()),
                    _ => None,
                })
                .collect(),
            attach: req.attach,
            volumes: anonymous_paths,
            mounts: req
                .mounts
                .iter()
                .filter(|m| m.origin == MountOrigin::Mount)
                .map(|m| HostMount {
                    kind: mount_type(m.kind),
                    source: m.source.clone(),
                    target: m.target.clone(),
                    read_only: m.read_only,
                })
                .collect(),
        };
        let c = Container {
            id: id.clone(),
            name,
            created: now_nanos(),
            image: req.image.clone(),
            image_id: img.id.clone(),
            spec,
            state: ContainerState {
                status: Status::Created,
                exit_code: 0,
                started_at: 0,
                finished_at: 0,
                owner_pid: None,
                error: String::new(),
            },
            mounts,
            networks: nets,
            ports: Vec::new(),
            restart_count: 0,
        };
        // The root file system: the image's layers, bottom first, hard-linked: the runtime copies a linked file
        // up before the container writes it (as overlayfs does), so the container's writes stay its own.
        let rootfs = dir.join("rootfs");
        for layer in &img.layers {
            crate::engine::sim::build::link_tree(&engine.layer_dir(layer), &rootfs)?;
        }
        super::write_etc(st, &rootfs, &c)?;
        st.containers.push(c);
        Ok(id.clone())
    });
    if created.is_err() {
        let _ = fs::remove_dir_all(&dir);
    }
    created
}

fn mount_type(kind: MountKind) -> MountType {
    match kind {
        MountKind::Volume => MountType::Volume,
        MountKind::Bind => MountType::Bind,
        MountKind::Tmpfs => MountType::Tmpfs,
    }
}

/// A mount resolved: volumes are created when missing; `-v` creates a missing host folder, as Docker does.
fn mount_point(engine: &SimEngine, st: &mut State, m: &MountRequest) -> Result<MountPoint> {
    let given_mode = match &m.origin {
        MountOrigin::Volume { mode, .. } => mode.clone(),
        _ => String::new(),
    };
    match m.kind {
        MountKind::Volume => {
            let name =
                volumes::ensure(engine, st, (!m.source.is_empty()).then_some(m.source.as_str()), &Labels::new())?;
            let mode = match &m.origin {
                MountOrigin::Anonymous => String::new(),
                _ if given_mode.is_empty() => "z".to_string(),
                _ => given_mode,
            };
            Ok(MountPoint {
                kind: MountType::Volume,
                source: engine.volume_dir(&name).join("_data").display().to_string(),
                name: Some(name),
                destination: m.target.clone(),
                read_write: !m.read_only,
                mode,
            })
        }
        MountKind::Bind => {
            let source = PathBuf::from(&m.source);
            if !source.exists() {
                fs::create_dir_all(&source).map_err(|e| {
                    bad(format!("error while creating mount source path '{}': mkdir {}: {e}", m.source, m.source))
                })?;
            }
            Ok(MountPoint {
                kind: MountType::Bind,
                name: None,
                source: m.source.clone(),
                destination: m.target.clone(),
                read_write: !m.read_only,
                mode: given_mode,
            })
        }
        MountKind::Tmpfs => Ok(MountPoint {
            kind: MountType::Tmpfs,
            name: None,
            source: String::new(),
            destination: m.target.clone(),
            read_write: !m.read_only,
            mode: String::new(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(spec: &str, target: &str, mode: &str) -> MountRequest {
        MountRequest {
            kind: MountKind::Volume,
            source: "v".into(),
            target: target.into(),
            read_only: false,
            origin: MountOrigin::Volume { spec: spec.into(), mode: mode.into() },
        }
    }

    #[test]
    fn mounts_are_checked_as_the_daemon_does() {
        let e = check_mount(&volume("v:data", "data", "")).unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid volume specification: 'v:data': invalid mount config for type \"volume\": invalid mount path: 'data' mount path must be absolute"
        );
        assert_eq!(check_mount(&volume("v:/d:bogus", "/d", "bogus")).unwrap_err().to_string(), "invalid mode: bogus");
        let tmpfs = MountRequest { kind: MountKind::Tmpfs, origin: MountOrigin::Mount, ..volume("", "/t", "") };
        assert_eq!(
            check_mount(&tmpfs).unwrap_err().to_string(),
            "invalid mount config for type \"tmpfs\": field Source must not be specified"
        );
    }

    #[test]
    fn names_follow_docker() {
        assert!(valid_name("web-1.a_b"));
        assert!(!valid_name("-web"));
        assert!(!valid_name("a"));
        assert!(!valid_name("bad name"));
    }
}
