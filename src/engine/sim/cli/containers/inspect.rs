//! `docker container inspect`, `docker inspect` (any object) and `docker port`. A container's inspect JSON has
//! Docker 28's shape and key order (API 1.50: `GwPriority` and `DNSNames` in the endpoints, no
//! `KernelMemory`, `NetworkMode` `bridge` rather than `default`), built as a `serde_json::Value` and printed by
//! dockerfmt's `Inspector`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{Failure, Io, Outcome, args, daemon, value};
use crate::dockercli::Invocation;
use crate::dockerfmt::{PortBinding, port_lines};
use crate::engine::sim::containers::{self, find, rfc3339};
use crate::engine::sim::state::{Container, MountType, Network, State, Status};
use crate::engine::sim::{SimEngine, hex, images};

/// Docker 28's default masked paths.
const MASKED_PATHS: [&str; 12] = [
    "/proc/asound",
    "/proc/acpi",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
];
const READONLY_PATHS: [&str; 5] = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

/// A stable 64-hex-digit id derived from a container's (sandboxes, endpoints that Docker would make).
fn derived(id: &str, what: &str) -> String {
    hex(&Sha256::digest(format!("{what} {id}").as_bytes()))
}

fn list_or_null(v: &[String]) -> Value {
    if v.is_empty() { Value::Null } else { json!(v) }
}

/// A Go `map[string]struct{}` (`ExposedPorts`, `Volumes`): keys sorted; `null` when empty.
fn set_or_null(v: &[String]) -> Value {
    if v.is_empty() {
        return Value::Null;
    }
    let keys: BTreeMap<&String, Value> = v.iter().map(|k| (k, json!({}))).collect();
    json!(keys)
}

/// The host process id Docker would show; the simulation has none, so one is made from the container's id.
fn pid(c: &Container) -> u32 {
    if c.state.status != Status::Running {
        return 0;
    }
    1000 + u32::from_str_radix(&c.id[..6], 16).unwrap_or(0) % 60_000
}

fn host_config(c: &Container) -> Value {
    let mut bindings: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for b in &c.spec.port_bindings {
        bindings
            .entry(b.container_port.clone())
            .or_default()
            .push(json!({"HostIp": b.host_ip, "HostPort": b.host_port}));
    }
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("Binds", list_or_null(&c.spec.binds));
    put("ContainerIDFile", json!(""));
    put("LogConfig", json!({"Type": "json-file", "Config": {}}));
    put("NetworkMode", json!(if c.spec.network_mode == "default" { "bridge" } else { &c.spec.network_mode }));
    put("PortBindings", json!(bindings));
    put("RestartPolicy", json!({"Name": "no", "MaximumRetryCount": 0}));
    put("AutoRemove", json!(c.spec.auto_remove));
    put("VolumeDriver", json!(""));
    put("VolumesFrom", Value::Null);
    put("ConsoleSize", json!([0, 0]));
    put("CapAdd", Value::Null);
    put("CapDrop", Value::Null);
    put("CgroupnsMode", json!("private"));
    put("Dns", json!([]));
    put("DnsOptions", json!([]));
    put("DnsSearch", json!([]));
    put("ExtraHosts", Value::Null);
    put("GroupAdd", Value::Null);
    put("IpcMode", json!("private"));
    put("Cgroup", json!(""));
    put("Links", Value::Null);
    put("OomScoreAdj", json!(0));
    put("PidMode", json!(""));
    put("Privileged", json!(false));
    put("PublishAllPorts", json!(c.spec.publish_all));
    put("ReadonlyRootfs", json!(false));
    put("SecurityOpt", Value::Null);
    put("UTSMode", json!(""));
    put("UsernsMode", json!(""));
    put("ShmSize", json!(67_108_864));
    put("Runtime", json!("runc"));
    put("Isolation", json!(""));
    for k in ["CpuShares", "Memory", "NanoCpus"] {
        put(k, json!(0));
    }
    put("CgroupParent", json!(""));
    put("BlkioWeight", json!(0));
    for k in [
        "BlkioWeightDevice",
        "BlkioDeviceReadBps",
        "BlkioDeviceWriteBps",
        "BlkioDeviceReadIOps",
        "BlkioDeviceWriteIOps",
    ] {
        put(k, json!([]));
    }
    for k in ["CpuPeriod", "CpuQuota", "CpuRealtimePeriod", "CpuRealtimeRuntime"] {
        put(k, json!(0));
    }
    put("CpusetCpus", json!(""));
    put("CpusetMems", json!(""));
    put("Devices", json!([]));
    put("DeviceCgroupRules", Value::Null);
    put("DeviceRequests", Value::Null);
    put("MemoryReservation", json!(0));
    put("MemorySwap", json!(0));
    put("MemorySwappiness", Value::Null);
    put("OomKillDisable", Value::Null);
    put("PidsLimit", Value::Null);
    put("Ulimits", json!([]));
    for k in ["CpuCount", "CpuPercent", "IOMaximumIOps", "IOMaximumBandwidth"] {
        put(k, json!(0));
    }
    if !c.spec.mounts.is_empty() {
        let mounts: Vec<Value> = c
            .spec
            .mounts
            .iter()
            .map(|hm| {
                let mut o = Map::new();
                o.insert("Type".into(), json!(mount_type(&hm.kind)));
                if !hm.source.is_empty() {
                    o.insert("Source".into(), json!(hm.source));
                }
                o.insert("Target".into(), json!(hm.target));
                if hm.read_only {
                    o.insert("ReadOnly".into(), json!(true));
                }
                Value::Object(o)
            })
            .collect();
        put("Mounts", json!(mounts));
    }
    put("MaskedPaths", json!(MASKED_PATHS));
    put("ReadonlyPaths", json!(READONLY_PATHS));
    Value::Object(m)
}

fn mount_type(kind: &MountType) -> &'static str {
    match kind {
        MountType::Volume => "volume",
        MountType::Bind => "bind",
        MountType::Tmpfs => "tmpfs",
    }
}

fn mounts(c: &Container) -> Value {
    let list: Vec<Value> = c
        .mounts
        .iter()
        .map(|m| {
            let mut o = Map::new();
            o.insert("Type".into(), json!(mount_type(&m.kind)));
            if let Some(name) = &m.name {
                o.insert("Name".into(), json!(name));
            }
            o.insert("Source".into(), json!(m.source));
            o.insert("Destination".into(), json!(m.destination));
            if m.kind == MountType::Volume {
                o.insert("Driver".into(), json!("local"));
            }
            o.insert("Mode".into(), json!(m.mode));
            o.insert("RW".into(), json!(m.read_write));
            o.insert("Propagation".into(), json!(if m.kind == MountType::Bind { "rprivate" } else { "" }));
            Value::Object(o)
        })
        .collect();
    Value::Array(list)
}

fn config(c: &Container) -> Value {
    let mut m = Map::new();
    let s = &c.spec;
    m.insert("Hostname".into(), json!(s.hostname));
    m.insert("Domainname".into(), json!(""));
    m.insert("User".into(), json!(s.user));
    m.insert("AttachStdin".into(), json!(s.attach[0]));
    m.insert("AttachStdout".into(), json!(s.attach[1]));
    m.insert("AttachStderr".into(), json!(s.attach[2]));
    if !s.exposed_ports.is_empty() {
        m.insert("ExposedPorts".into(), set_or_null(&s.exposed_ports));
    }
    m.insert("Tty".into(), json!(s.tty));
    m.insert("OpenStdin".into(), json!(s.open_stdin));
    m.insert("StdinOnce".into(), json!(s.open_stdin && s.attach[0]));
    m.insert("Env".into(), list_or_null(&s.env));
    m.insert("Cmd".into(), list_or_null(&s.cmd));
    m.insert("Image".into(), json!(c.image));
    m.insert("Volumes".into(), set_or_null(&s.volumes));
    m.insert("WorkingDir".into(), json!(s.working_dir));
    m.insert("Entrypoint".into(), list_or_null(&s.entrypoint));
    m.insert("OnBuild".into(), Value::Null);
    m.insert("Labels".into(), json!(s.labels));
    if let Some(sig) = &s.stop_signal {
        m.insert("StopSignal".into(), json!(sig));
    }
    Value::Object(m)
}

fn network_settings(st: &State, c: &Container) -> Value {
    let running = c.state.status == Status::Running;
    let started = c.state.started_at != 0;
    let sandbox = if started { derived(&c.id, "sandbox") } else { String::new() };
    let key = if started { format!("/var/run/docker/netns/{}", &sandbox[..12]) } else { String::new() };
    let mut ports: BTreeMap<String, Value> = BTreeMap::new();
    if running && crate::engine::sim::networks::has_own_ports(c) {
        for p in &c.spec.exposed_ports {
            let bound: Vec<Value> = c
                .ports
                .iter()
                .filter(|b| b.container_port == *p)
                .map(|b| json!({"HostIp": b.host_ip, "HostPort": b.host_port}))
                .collect();
            ports.insert(p.clone(), if bound.is_empty() { Value::Null } else { json!(bound) });
        }
    }
    let endpoint_id = |net: &str| if running { derived(&c.id, &format!("endpoint {net}")) } else { String::new() };
    let mut networks = Map::new();
    for (name, ep) in &c.networks {
        let user_defined = st.networks.iter().find(|n| n.name == *name).is_some_and(|n| !n.predefined);
        let dns = if user_defined && running {
            let mut names = vec![c.name.clone()];
            names.extend(ep.aliases.iter().cloned());
            names.push(c.id[..12].to_string());
            names.push(c.spec.hostname.clone());
            let mut seen = Vec::new();
            names.retain(|n| {
                let fresh = !seen.contains(n);
                seen.push(n.clone());
                fresh
            });
            json!(names)
        } else {
            Value::Null
        };
        networks.insert(
            name.clone(),
            json!({
                "IPAMConfig": null,
                "Links": null,
                "Aliases": list_or_null(&ep.aliases),
                "MacAddress": ep.mac_address,
                "DriverOpts": null,
                "GwPriority": 0,
                "NetworkID": if started { ep.network_id.as_str() } else { "" },
                "EndpointID": endpoint_id(name),
                "Gateway": ep.gateway,
                "IPAddress": ep.ip_address,
                "IPPrefixLen": ep.ip_prefix_len,
                "IPv6Gateway": "",
                "GlobalIPv6Address": "",
                "GlobalIPv6PrefixLen": 0,
                "DNSNames": dns,
            }),
        );
    }
    // The top-level address fields describe the default bridge only.
    let bridge = c.networks.get("bridge");
    let field = |f: fn(&crate::engine::sim::state::Endpoint) -> String| bridge.map(f).unwrap_or_default();
    json!({
        "Bridge": "",
        "SandboxID": sandbox,
        "SandboxKey": key,
        "Ports": ports,
        "HairpinMode": false,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "SecondaryIPAddresses": null,
        "SecondaryIPv6Addresses": null,
        "EndpointID": if bridge.is_some() { endpoint_id("bridge") } else { String::new() },
        "Gateway": field(|e| e.gateway.clone()),
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "IPAddress": field(|e| e.ip_address.clone()),
        "IPPrefixLen": bridge.map_or(0, |e| e.ip_prefix_len),
        "IPv6Gateway": "",
        "MacAddress": field(|e| e.mac_address.clone()),
        "Networks": networks,
    })
}

/// `docker container inspect`'s JSON for one container, keys in Docker 28's order. `size` adds `SizeRw` and
/// `SizeRootFs` (`--size`).
pub fn container_json(engine: &SimEngine, st: &State, c: &Container, size: bool) -> Value {
    let dir = engine.container_dir(&c.id);
    let rootfs = dir.join("rootfs");
    let argv: Vec<&String> = c.spec.entrypoint.iter().chain(&c.spec.cmd).collect();
    let layers: Vec<String> = st
        .images
        .iter()
        .find(|i| i.id == c.image_id)
        .map(|i| i.layers.iter().rev().map(|l| engine.layer_dir(l).display().to_string()).collect())
        .unwrap_or_default();
    let mut m = Map::new();
    m.insert("Id".into(), json!(c.id));
    m.insert("Created".into(), json!(rfc3339(c.created)));
    m.insert("Path".into(), json!(argv.first().map_or("", |s| s.as_str())));
    m.insert("Args".into(), json!(argv.iter().skip(1).collect::<Vec<_>>()));
    m.insert(
        "State".into(),
        json!({
            "Status": c.state.status.as_str(),
            "Running": c.state.status == Status::Running,
            "Paused": c.state.status == Status::Paused,
            "Restarting": c.state.status == Status::Restarting,
            "OOMKilled": false,
            "Dead": c.state.status == Status::Dead,
            "Pid": pid(c),
            "ExitCode": c.state.exit_code,
            "Error": c.state.error,
            "StartedAt": rfc3339(c.state.started_at),
            "FinishedAt": rfc3339(c.state.finished_at),
        }),
    );
    m.insert("Image".into(), json!(c.image_id));
    m.insert("ResolvConfPath".into(), json!(rootfs.join("etc/resolv.conf").display().to_string()));
    m.insert("HostnamePath".into(), json!(rootfs.join("etc/hostname").display().to_string()));
    m.insert("HostsPath".into(), json!(rootfs.join("etc/hosts").display().to_string()));
    m.insert("LogPath".into(), json!(crate::engine::sim::logs::path(&dir).display().to_string()));
    m.insert("Name".into(), json!(format!("/{}", c.name)));
    m.insert("RestartCount".into(), json!(c.restart_count));
    m.insert("Driver".into(), json!("overlay2"));
    m.insert("Platform".into(), json!("linux"));
    m.insert("MountLabel".into(), json!(""));
    m.insert("ProcessLabel".into(), json!(""));
    m.insert("AppArmorProfile".into(), json!(""));
    m.insert("ExecIDs".into(), Value::Null);
    m.insert("HostConfig".into(), host_config(c));
    m.insert(
        "GraphDriver".into(),
        json!({
            "Data": {
                "ID": c.id,
                "LowerDir": layers.join(":"),
                "MergedDir": rootfs.display().to_string(),
                "UpperDir": rootfs.display().to_string(),
                "WorkDir": dir.join("work").display().to_string(),
            },
            "Name": "overlay2",
        }),
    );
    if size {
        let rw = containers::rw_size_in(engine, st, c);
        let image = st.images.iter().find(|i| i.id == c.image_id).map_or(0, |i| i.size);
        m.insert("SizeRw".into(), json!(rw));
        m.insert("SizeRootFs".into(), json!(image + rw));
    }
    m.insert("Mounts".into(), mounts(c));
    m.insert("Config".into(), config(c));
    m.insert("NetworkSettings".into(), network_settings(st, c));
    Value::Object(m)
}

/// `docker network inspect`'s JSON for one network, which `docker inspect` prints too.
pub fn network_json(st: &State, n: &Network) -> Value {
    super::super::networks::network_json(st, n)
}

/// `docker container inspect [-f F] [-s] CONTAINER...`
pub fn container_inspect(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let size = inv.has("size");
    let found: Vec<Result<Value, String>> = engine
        .read(|st| {
            Ok(args(inv)
                .into_iter()
                .map(|key| {
                    find(st, key)
                        .map(|i| container_json(engine, st, &st.containers[i], size))
                        .map_err(|e| format!("Error response from daemon: {e}"))
                })
                .collect())
        })
        .map_err(|e| daemon(&e))?;
    super::super::print_inspect(value(inv, "format"), found, io)
}

const TYPES: [&str; 10] =
    ["config", "container", "image", "network", "node", "plugin", "secret", "service", "task", "volume"];

/// One object of `docker inspect`, found as Docker looks: by `--type`, or container, image, network, volume.
fn lookup_any(engine: &SimEngine, st: &State, key: &str, kind: Option<&str>, size: bool) -> Result<Value, String> {
    let container = || st.container(key).map(|i| container_json(engine, st, &st.containers[i], size));
    let image = || images::lookup(st, key).ok().map(|i| super::super::images::image_inspect_json(st, i));
    let network = || st.network(key).map(|i| network_json(st, &st.networks[i]));
    let volume = || st.volume(key).map(|i| super::super::volumes::volume_json(&st.volumes[i]));
    match kind {
        None => container()
            .or_else(image)
            .or_else(network)
            .or_else(volume)
            .ok_or_else(|| format!("Error: No such object: {key}")),
        Some("container") => container().ok_or_else(|| format!("Error response from daemon: No such container: {key}")),
        Some("image") => images::lookup(st, key)
            .map(|i| super::super::images::image_inspect_json(st, i))
            .map_err(|e| format!("Error response from daemon: {e}")),
        Some("network") => network().ok_or_else(|| format!("Error response from daemon: network {key} not found")),
        Some("volume") => volume().ok_or_else(|| format!("Error response from daemon: get {key}: no such volume")),
        Some("node" | "service" | "task" | "config" | "secret") => Err(
            "Error response from daemon: This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again."
                .to_string(),
        ),
        Some(_) => Err(format!("Error response from daemon: plugin \"{key}\" not found")),
    }
}

/// `docker inspect [-f F] [-s] [--type T] NAME...`
pub fn inspect_any(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let kind = value(inv, "type").filter(|t| !t.is_empty());
    if let Some(t) = kind.filter(|t| !TYPES.contains(t)) {
        let all: Vec<String> = TYPES.iter().map(|t| format!("\"{t}\"")).collect();
        return Err(Failure::new(format!("unknown type: \"{t}\": must be one of {}", all.join(", ")), 1));
    }
    let size = inv.has("size");
    let found: Vec<Result<Value, String>> = engine
        .read(|st| Ok(args(inv).into_iter().map(|key| lookup_any(engine, st, key, kind, size)).collect()))
        .map_err(|e| daemon(&e))?;
    super::super::print_inspect(value(inv, "format"), found, io)
}

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`: the running container's published ports.
pub fn port(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let words = args(inv);
    let key = words[0];
    let bindings: Vec<PortBinding> = engine
        .read(|st| {
            let c = &st.containers[find(st, key)?];
            if c.state.status != Status::Running {
                return Ok(Vec::new());
            }
            Ok(c.ports
                .iter()
                .map(|b| PortBinding {
                    container_port: b.container_port.clone(),
                    host_ip: b.host_ip.clone(),
                    host_port: b.host_port.clone(),
                })
                .collect())
        })
        .map_err(|e| daemon(&e))?;
    match port_lines(key, &bindings, words.get(1).copied()) {
        Ok(text) => {
            io.out(&text);
            Ok(0)
        }
        Err(message) => Err(Failure::new(message, 1)),
    }
}
