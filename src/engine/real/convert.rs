//! Bollard's models to docklings' engine models. Pure functions, so what the daemon's JSON turns into can be
//! tested without a daemon.

use std::collections::{BTreeMap, HashMap};

use bollard::models as api;

use crate::engine::{
    ContainerDetails, ContainerStatus, ContainerSummary, EndpointInfo, HistoryEntry, ImageDetails, ImageSummary,
    Labels, MountInfo, MountKind, NetworkInfo, PortSpec, SystemInfo, VersionInfo, VolumeInfo,
};

/// The label Docker 23 and later put on anonymous volumes.
pub const ANONYMOUS_VOLUME_LABEL: &str = "com.docker.volume.anonymous";

pub fn labels(map: Option<HashMap<String, String>>) -> Labels {
    map.unwrap_or_default().into_iter().collect()
}

fn u64_of(n: Option<i64>) -> u64 {
    n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0)
}

/// Docker lists a dangling image's tags as `<none>:<none>`; ours are empty.
fn real_tags(tags: Vec<String>) -> Vec<String> {
    tags.into_iter().filter(|t| t != "<none>:<none>").collect()
}

pub fn version(v: api::SystemVersion) -> VersionInfo {
    VersionInfo {
        version: v.version.unwrap_or_default(),
        api_version: v.api_version.unwrap_or_default(),
        os: v.os.unwrap_or_default(),
        arch: v.arch.unwrap_or_default(),
    }
}

pub fn info(i: api::SystemInfo) -> SystemInfo {
    SystemInfo {
        name: i.name.unwrap_or_default(),
        containers: u64_of(i.containers),
        containers_running: u64_of(i.containers_running),
        images: u64_of(i.images),
        server_version: i.server_version.unwrap_or_default(),
        storage_driver: i.driver.unwrap_or_default(),
    }
}

pub fn image_summary(i: api::ImageSummary) -> ImageSummary {
    ImageSummary {
        id: i.id,
        repo_tags: real_tags(i.repo_tags),
        created: i.created,
        size: i.size,
        labels: i.labels.into_iter().collect(),
    }
}

pub fn image_details(i: api::ImageInspect) -> ImageDetails {
    let config = i.config.unwrap_or_default();
    ImageDetails {
        id: i.id.unwrap_or_default(),
        repo_tags: real_tags(i.repo_tags.unwrap_or_default()),
        created: i.created.unwrap_or_default(),
        size: i.size.unwrap_or_default(),
        labels: labels(config.labels),
        cmd: config.cmd.unwrap_or_default(),
        entrypoint: config.entrypoint.unwrap_or_default(),
        env: config.env.unwrap_or_default(),
        working_dir: config.working_dir.unwrap_or_default(),
        user: config.user.unwrap_or_default(),
        exposed_ports: sorted(config.exposed_ports.unwrap_or_default()),
        volumes: sorted(config.volumes.unwrap_or_default()),
        layers: i.root_fs.and_then(|r| r.layers).unwrap_or_default(),
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

pub fn history_entry(h: api::ImageHistoryResponseItem) -> HistoryEntry {
    HistoryEntry { id: h.id, created: h.created, created_by: h.created_by, size: h.size, comment: h.comment }
}

/// Docker's state words; `stopping` (Docker 28's, while the stop signal is pending) still counts as running.
pub fn status(state: &str) -> ContainerStatus {
    match state {
        "stopping" => ContainerStatus::Running,
        s => ContainerStatus::parse(s),
    }
}

fn strip_slash(name: &str) -> String {
    name.strip_prefix('/').unwrap_or(name).to_string()
}

pub fn container_summary(c: api::ContainerSummary) -> ContainerSummary {
    ContainerSummary {
        id: c.id.unwrap_or_default(),
        name: c.names.unwrap_or_default().first().map(|n| strip_slash(n)).unwrap_or_default(),
        image: c.image.unwrap_or_default(),
        status: status(&c.state.map(|s| s.to_string()).unwrap_or_default()),
        labels: labels(c.labels),
    }
}

fn mount_kind(kind: &str) -> MountKind {
    match kind {
        "bind" => MountKind::Bind,
        "tmpfs" => MountKind::Tmpfs,
        _ => MountKind::Volume,
    }
}

pub fn container_details(c: api::ContainerInspectResponse) -> ContainerDetails {
    let config = c.config.unwrap_or_default();
    let state = c.state.unwrap_or_default();
    let network_settings = c.network_settings.unwrap_or_default();
    let mut mounts: Vec<MountInfo> = c
        .mounts
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            let kind = mount_kind(m.typ.as_deref().unwrap_or("volume"));
            MountInfo {
                kind,
                name: m.name.filter(|n| kind == MountKind::Volume && !n.is_empty()),
                source: m.source.unwrap_or_default(),
                destination: m.destination.unwrap_or_default(),
                read_only: !m.rw.unwrap_or(true),
            }
        })
        .collect();
    mounts.sort_by(|a, b| a.destination.cmp(&b.destination));
    let networks = network_settings
        .networks
        .unwrap_or_default()
        .into_iter()
        .map(|(name, e)| {
            let info = EndpointInfo {
                network_id: e.network_id.unwrap_or_default(),
                ip_address: e.ip_address.unwrap_or_default(),
                aliases: e.aliases.unwrap_or_default(),
            };
            (name, info)
        })
        .collect();
    ContainerDetails {
        id: c.id.unwrap_or_default(),
        name: strip_slash(c.name.as_deref().unwrap_or_default()),
        image: config.image.unwrap_or_default(),
        image_id: c.image.unwrap_or_default(),
        status: status(&state.status.map(|s| s.to_string()).unwrap_or_default()),
        exit_code: state.exit_code.unwrap_or_default(),
        labels: labels(config.labels),
        cmd: config.cmd.unwrap_or_default(),
        entrypoint: config.entrypoint.unwrap_or_default(),
        env: config.env.unwrap_or_default(),
        mounts,
        networks,
        ports: published_ports(network_settings.ports.unwrap_or_default()),
        auto_remove: c.host_config.and_then(|h| h.auto_remove).unwrap_or(false),
    }
}

/// Splits `80/tcp` into port and protocol (`tcp` when missing).
pub fn split_port(key: &str) -> Option<(u16, String)> {
    let (port, proto) = key.split_once('/').unwrap_or((key, "tcp"));
    Some((port.parse().ok()?, proto.to_string()))
}

/// The bindings of `NetworkSettings.Ports`; a port that is exposed but not published has none and is left out.
pub fn published_ports(ports: api::PortMap) -> Vec<PortSpec> {
    let mut out = Vec::new();
    for (key, bindings) in ports {
        let Some((container_port, protocol)) = split_port(&key) else { continue };
        for b in bindings.unwrap_or_default() {
            out.push(PortSpec {
                container_port,
                protocol: protocol.clone(),
                host_ip: b.host_ip.unwrap_or_default(),
                host_port: b.host_port.and_then(|p| p.parse().ok()),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.container_port, &a.protocol, &a.host_ip, a.host_port).cmp(&(
            b.container_port,
            &b.protocol,
            &b.host_ip,
            b.host_port,
        ))
    });
    out
}

/// Docker names an anonymous volume with 64 hex digits; Docker 23 and later also label it.
pub fn is_anonymous(name: &str, labels: &Labels) -> bool {
    labels.contains_key(ANONYMOUS_VOLUME_LABEL) || (name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn volume(v: api::Volume) -> VolumeInfo {
    let labels: Labels = v.labels.into_iter().collect();
    VolumeInfo {
        anonymous: is_anonymous(&v.name, &labels),
        name: v.name,
        driver: v.driver,
        mountpoint: v.mountpoint,
        labels,
    }
}

fn subnets(ipam: Option<api::Ipam>) -> Vec<String> {
    ipam.and_then(|i| i.config).unwrap_or_default().into_iter().filter_map(|c| c.subnet).collect()
}

pub fn network_summary(n: api::Network) -> NetworkInfo {
    NetworkInfo {
        id: n.id.unwrap_or_default(),
        name: n.name.unwrap_or_default(),
        driver: n.driver.unwrap_or_default(),
        scope: n.scope.unwrap_or_default(),
        labels: labels(n.labels),
        subnets: subnets(n.ipam),
        containers: BTreeMap::new(),
    }
}

pub fn network_details(n: api::NetworkInspect) -> NetworkInfo {
    let id = n.id.unwrap_or_default();
    let containers = n
        .containers
        .unwrap_or_default()
        .into_values()
        .map(|e| {
            // `172.18.0.2/16`: the address without its prefix length, as container inspect shows it.
            let address = e.ipv4_address.unwrap_or_default();
            let ip_address = address.split('/').next().unwrap_or_default().to_string();
            (e.name.unwrap_or_default(), EndpointInfo { network_id: id.clone(), ip_address, aliases: Vec::new() })
        })
        .collect();
    NetworkInfo {
        id,
        name: n.name.unwrap_or_default(),
        driver: n.driver.unwrap_or_default(),
        scope: n.scope.unwrap_or_default(),
        labels: labels(n.labels),
        subnets: subnets(n.ipam),
        containers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_docker_20_10_container() {
        // Trimmed from `GET /containers/{id}/json` on Docker 20.10.24.
        let json = r#"{
            "Id": "abc", "Name": "/web", "Image": "sha256:11da",
            "State": {"Status": "exited", "Running": false, "ExitCode": 137},
            "HostConfig": {"AutoRemove": false},
            "Mounts": [
                {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data",
                 "Destination": "/data", "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""},
                {"Type": "bind", "Source": "/tmp/x", "Destination": "/src", "Mode": "", "RW": false,
                 "Propagation": "rprivate"}
            ],
            "Config": {"Image": "busybox", "Cmd": ["sleep", "60"], "Entrypoint": null, "Env": ["PATH=/bin"],
                       "Labels": {"io.docklings.lesson": "l1"}, "ExposedPorts": {"80/tcp": {}}},
            "NetworkSettings": {
                "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}, {"HostIp": "::", "HostPort": "8080"}],
                          "443/tcp": null},
                "Networks": {"bridge": {"NetworkID": "n1", "IPAddress": "172.17.0.2", "Aliases": null}}
            }
        }"#;
        let c: api::ContainerInspectResponse = serde_json::from_str(json).unwrap();
        let d = container_details(c);
        assert_eq!(d.name, "web");
        assert_eq!(d.image, "busybox");
        assert_eq!(d.status, ContainerStatus::Exited);
        assert_eq!(d.exit_code, 137);
        assert_eq!(d.mounts.len(), 2);
        assert_eq!(d.mounts[0].destination, "/data");
        assert_eq!(d.mounts[0].name.as_deref(), Some("data"));
        assert!(d.mounts[1].read_only && d.mounts[1].kind == MountKind::Bind && d.mounts[1].name.is_none());
        assert_eq!(d.ports.len(), 2, "443 is exposed, not published: {:?}", d.ports);
        assert!(d.ports.iter().all(|p| p.container_port == 80 && p.host_port == Some(8080) && p.protocol == "tcp"));
        assert_eq!(d.networks["bridge"].ip_address, "172.17.0.2");
    }

    #[test]
    fn tells_anonymous_volumes() {
        let hex = "9f912fcdc75a0ca03ea1d745cad7792e38f1c6e1d0a81526a41d1ef0bbbe134c";
        assert!(is_anonymous(hex, &Labels::new()));
        assert!(!is_anonymous("data", &Labels::new()));
        let labelled = Labels::from([(ANONYMOUS_VOLUME_LABEL.to_string(), String::new())]);
        assert!(is_anonymous("whatever", &labelled));
    }

    #[test]
    fn dangling_images_have_no_tags() {
        let json = r#"{"Id":"sha256:1","ParentId":"","RepoTags":["<none>:<none>"],"RepoDigests":null,"Created":1,
            "Size":2,"SharedSize":-1,"VirtualSize":2,"Labels":null,"Containers":-1}"#;
        let i: api::ImageSummary = serde_json::from_str(json).unwrap();
        assert!(image_summary(i).repo_tags.is_empty());
    }
}
