//! Networks of the simulated engine: the predefined `bridge`, `host` and `none`, user-defined bridges, and the
//! addresses Docker's IPAM gives (172.17.0.0/16 for the default bridge, then 172.18.0.0/16 …).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::SimEngine;
use super::state::{Container, Endpoint, Network, State, Status, now_nanos};
use crate::engine::{EndpointInfo, EngineError, Labels, NetworkConfig, NetworkInfo, PruneReport, Result};

/// Adds `bridge`, `host` and `none` when missing.
pub fn ensure_predefined(st: &mut State) {
    for (name, driver, scope, subnet, gateway) in [
        ("bridge", "bridge", "local", "172.17.0.0/16", "172.17.0.1"),
        ("host", "host", "local", "", ""),
        ("none", "null", "local", "", ""),
    ] {
        if st.networks.iter().any(|n| n.name == name) {
            continue;
        }
        let mut options = BTreeMap::new();
        if name == "bridge" {
            options.insert("com.docker.network.bridge.default_bridge".to_string(), "true".to_string());
            options.insert("com.docker.network.bridge.name".to_string(), "docker0".to_string());
        }
        st.networks.push(Network {
            id: super::new_id(),
            name: name.to_string(),
            created: now_nanos(),
            driver: driver.to_string(),
            scope: scope.to_string(),
            internal: false,
            subnet: subnet.to_string(),
            gateway: gateway.to_string(),
            labels: Labels::new(),
            options,
            predefined: true,
            ip_range: String::new(),
            attachable: false,
            user_subnet: false,
            user_gateway: false,
        });
    }
}

/// A subnet as (first address, prefix length); `None` when it is not IPv4 CIDR.
fn cidr(text: &str) -> Option<(u32, u8)> {
    let (base, prefix) = text.split_once('/')?;
    let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
    let base = u32::from(base.parse::<Ipv4Addr>().ok()?);
    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(prefix)) };
    Some((base & mask, prefix))
}

fn overlaps(a: &str, b: &str) -> bool {
    let (Some((a, ap)), Some((b, bp))) = (cidr(a), cidr(b)) else { return false };
    let p = ap.min(bp);
    let mask = if p == 0 { 0 } else { u32::MAX << (32 - u32::from(p)) };
    a & mask == b & mask
}

/// The next free pool for a new network, as Docker 28's default address pools go: 172.17.0.0/16 to
/// 172.31.0.0/16, then 192.168.0.0/20, 192.168.16.0/20 … (the lowest one no other network overlaps).
fn next_subnet(st: &State) -> (String, String) {
    let free = |subnet: &str| !st.networks.iter().any(|n| overlaps(&n.subnet, subnet));
    for second in 17..=31u8 {
        let subnet = format!("172.{second}.0.0/16");
        if free(&subnet) {
            return (subnet, format!("172.{second}.0.1"));
        }
    }
    for third in (0..=240u8).step_by(16) {
        let subnet = format!("192.168.{third}.0/20");
        if free(&subnet) {
            return (subnet, format!("192.168.{third}.1"));
        }
    }
    ("10.0.0.0/24".to_string(), "10.0.0.1".to_string())
}

/// The lowest free address of a network for a new endpoint (Docker's IPAM hands out the lowest free one, so a
/// removed container's address is given again), inside `--ip-range` when the network has one.
#[must_use]
pub fn allocate_ip(st: &State, network: &Network) -> Option<(String, u8)> {
    let (start, prefix) = cidr(&network.subnet)?;
    let used: Vec<&str> =
        st.containers.iter().filter_map(|c| c.networks.get(&network.name)).map(|e| e.ip_address.as_str()).collect();
    let (from, to) = match cidr(&network.ip_range) {
        Some((r, rp)) => (r, r + ((1u64 << (32 - u32::from(rp))) - 1) as u32),
        None => (start, start + ((1u64 << (32 - u32::from(prefix))) - 1) as u32),
    };
    let broadcast = start + ((1u64 << (32 - u32::from(prefix))) - 1) as u32;
    (from.max(start + 1)..=to.min(broadcast - 1))
        .map(|k| Ipv4Addr::from(k).to_string())
        .find(|ip| !used.contains(&ip.as_str()) && *ip != network.gateway)
        .map(|ip| (ip, prefix))
}

/// A fresh endpoint on a network (address assigned, the `--ip` asked for when there is one), as a container
/// start or a `network connect` of a running container makes it.
#[must_use]
pub fn endpoint(st: &State, network: &Network, aliases: &[String]) -> Endpoint {
    endpoint_at(st, network, aliases, "")
}

/// The endpoint a starting container gets on a network it was connected to: its aliases and `--ip` kept.
#[must_use]
pub fn restart_endpoint(st: &State, network: &Network, old: &Endpoint) -> Endpoint {
    endpoint_at(st, network, &old.aliases, &old.ipam_ip)
}

fn endpoint_at(st: &State, network: &Network, aliases: &[String], wanted: &str) -> Endpoint {
    let (ip, prefix) = if wanted.is_empty() {
        allocate_ip(st, network).unwrap_or_default()
    } else {
        (wanted.to_string(), cidr(&network.subnet).map_or(0, |(_, p)| p))
    };
    let mac = ip
        .parse::<Ipv4Addr>()
        .map(|a| {
            let o = a.octets();
            format!("02:42:{:02x}:{:02x}:{:02x}:{:02x}", o[0], o[1], o[2], o[3])
        })
        .unwrap_or_default();
    Endpoint {
        network_id: network.id.clone(),
        endpoint_id: super::new_id(),
        ip_address: ip,
        ip_prefix_len: prefix,
        gateway: network.gateway.clone(),
        mac_address: mac,
        aliases: aliases.to_vec(),
        ipam_ip: wanted.to_string(),
    }
}

/// Whether a container has a network stack of its own to publish ports from: not on `host` (the host's
/// ports are its ports; Docker discards `-p` with a warning), not on `none`, not sharing another container's.
#[must_use]
pub fn has_own_ports(c: &Container) -> bool {
    let mode = c.spec.network_mode.as_str();
    !(mode == "host" || mode == "none" || mode.starts_with("container:"))
}

/// The id Docker would give a container's endpoint on a network (stable, so `inspect` and errors agree).
#[must_use]
pub fn endpoint_id(container_id: &str, network: &str) -> String {
    use sha2::{Digest, Sha256};
    super::hex(&Sha256::digest(format!("endpoint {network} {container_id}").as_bytes()))
}

fn find(st: &State, key: &str) -> Result<usize> {
    st.network(key).ok_or_else(|| EngineError::NotFound(format!("network {key} not found")))
}

fn info(st: &State, n: &Network) -> NetworkInfo {
    NetworkInfo {
        id: n.id.clone(),
        name: n.name.clone(),
        driver: n.driver.clone(),
        scope: n.scope.clone(),
        labels: n.labels.clone(),
        subnets: if n.subnet.is_empty() { Vec::new() } else { vec![n.subnet.clone()] },
        containers: st
            .containers
            .iter()
            .filter_map(|c| {
                c.networks.get(&n.name).filter(|e| !e.ip_address.is_empty() || n.driver != "bridge").map(|e| {
                    (
                        c.name.clone(),
                        EndpointInfo {
                            network_id: n.id.clone(),
                            ip_address: e.ip_address.clone(),
                            aliases: e.aliases.clone(),
                        },
                    )
                })
            })
            .collect(),
    }
}

/// Everything `docker network create` can ask of the simulation.
#[derive(Clone, Debug, Default)]
pub struct CreateNetwork {
    pub name: String,
    /// `bridge` when not given.
    pub driver: Option<String>,
    pub subnet: Option<String>,
    pub gateway: Option<String>,
    pub ip_range: Option<String>,
    pub internal: bool,
    pub attachable: bool,
    pub labels: Labels,
    pub options: BTreeMap<String, String>,
}

pub fn create(engine: &SimEngine, config: &NetworkConfig) -> Result<String> {
    create_with(
        engine,
        &CreateNetwork {
            name: config.name.clone(),
            driver: config.driver.clone(),
            subnet: config.subnet.clone(),
            internal: config.internal,
            labels: config.labels.clone(),
            options: config.options.clone(),
            ..CreateNetwork::default()
        },
    )
}

/// Creates a network with the daemon's checks and messages (Docker 28): the drivers a single node has
/// (`bridge`, `macvlan`, `ipvlan`), swarm's for `overlay`, one instance only of `host` and `null`.
pub fn create_with(engine: &SimEngine, config: &CreateNetwork) -> Result<String> {
    engine.mutate(|st| {
        if st.networks.iter().any(|n| n.name == config.name) {
            return Err(EngineError::Conflict(format!("network with name {} already exists", config.name)));
        }
        let driver = config.driver.clone().filter(|d| !d.is_empty()).unwrap_or_else(|| "bridge".to_string());
        match driver.as_str() {
            "bridge" | "macvlan" | "ipvlan" => {}
            "overlay" => {
                return Err(EngineError::Forbidden(
                    "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again."
                        .to_string(),
                ));
            }
            "host" | "null" => {
                return Err(EngineError::Forbidden(format!("only one instance of \"{driver}\" network is allowed")));
            }
            other => return Err(EngineError::NotFound(format!("plugin \"{other}\" not found"))),
        }
        let (subnet, gateway) = match &config.subnet {
            Some(s) => {
                let Some((base, prefix)) = cidr(s) else {
                    return Err(EngineError::BadRequest(format!(
                        "invalid subnet {s}: invalid CIDR address: {s}"
                    )));
                };
                if st.networks.iter().any(|n| overlaps(&n.subnet, s)) {
                    return Err(EngineError::Forbidden(
                        "invalid pool request: Pool overlaps with other one on this address space".to_string(),
                    ));
                }
                let gw = config.gateway.clone().unwrap_or_else(|| Ipv4Addr::from(base + 1).to_string());
                (format!("{}/{prefix}", Ipv4Addr::from(base)), gw)
            }
            None => next_subnet(st),
        };
        let id = super::new_id();
        st.networks.push(Network {
            id: id.clone(),
            name: config.name.clone(),
            created: now_nanos(),
            driver,
            scope: "local".to_string(),
            internal: config.internal,
            subnet,
            gateway,
            labels: config.labels.clone(),
            options: config.options.clone(),
            predefined: false,
            ip_range: config.ip_range.clone().unwrap_or_default(),
            attachable: config.attachable,
            user_subnet: config.subnet.is_some(),
            user_gateway: config.gateway.is_some(),
        });
        Ok(id)
    })
}

pub fn list(engine: &SimEngine) -> Result<Vec<NetworkInfo>> {
    engine.read(|st| Ok(st.networks.iter().map(|n| info(st, n)).collect()))
}

pub fn inspect(engine: &SimEngine, key: &str) -> Result<NetworkInfo> {
    engine.read(|st| Ok(info(st, &st.networks[find(st, key)?])))
}

pub fn connect(engine: &SimEngine, network: &str, container: &str, aliases: &[String]) -> Result<()> {
    connect_with(engine, network, container, aliases, None)
}

/// `docker network connect [--alias A] [--ip IP] NETWORK CONTAINER`: a running container gets its address now
/// and its `/etc/hosts` a line for it; a stopped one gets them when it starts.
pub fn connect_with(
    engine: &SimEngine,
    network: &str,
    container: &str,
    aliases: &[String],
    ip: Option<&str>,
) -> Result<()> {
    let changed = engine.mutate(|st| {
        let n = find(st, network)?;
        let c = super::containers::find(st, container)?;
        let net = st.networks[n].clone();
        let mode = st.containers[c].spec.network_mode.clone();
        if mode == "host" || net.driver == "host" {
            return Err(EngineError::Forbidden(
                "container cannot be disconnected from host network or connected to host network".to_string(),
            ));
        }
        if mode == "none" || mode.starts_with("container:") {
            return Err(EngineError::Forbidden(
                "container sharing network namespace with another container or host cannot be connected to any other network"
                    .to_string(),
            ));
        }
        if st.containers[c].networks.contains_key(&net.name) {
            return Err(EngineError::Forbidden(format!(
                "endpoint with name {} already exists in network {}",
                st.containers[c].name, net.name
            )));
        }
        if !aliases.is_empty() && net.predefined {
            return Err(EngineError::BadRequest(
                "network-scoped alias is supported only for containers in user defined networks".to_string(),
            ));
        }
        let wanted = ip.unwrap_or_default();
        if !wanted.is_empty() {
            if !net.user_subnet {
                return Err(EngineError::BadRequest(
                    "user specified IP address is supported only when connecting to networks with user configured subnets"
                        .to_string(),
                ));
            }
            check_wanted_ip(st, &net, wanted)?;
        }
        let running = st.containers[c].state.status == Status::Running;
        let ep = if running {
            endpoint_at(st, &net, aliases, wanted)
        } else {
            Endpoint {
                network_id: net.id.clone(),
                aliases: aliases.to_vec(),
                ipam_ip: wanted.to_string(),
                ..Endpoint::default()
            }
        };
        st.containers[c].networks.insert(net.name, ep);
        Ok(running.then(|| st.containers[c].clone()))
    })?;
    if let Some(c) = changed {
        write_etc(engine, &c)?;
    }
    Ok(())
}

/// An `--ip` must be inside the subnet and free.
pub fn check_wanted_ip(st: &State, net: &Network, wanted: &str) -> Result<()> {
    let Ok(addr) = wanted.parse::<Ipv4Addr>() else {
        return Err(EngineError::BadRequest(format!("invalid IPv4 address: {wanted}")));
    };
    let inside = cidr(&net.subnet).is_some_and(|(base, p)| {
        let mask = if p == 0 { 0 } else { u32::MAX << (32 - u32::from(p)) };
        u32::from(addr) & mask == base
    });
    if !inside {
        return Err(EngineError::BadRequest(format!(
            "no configured subnet or ip-range contain the IP address {wanted}"
        )));
    }
    if st.containers.iter().any(|c| c.networks.get(&net.name).is_some_and(|e| e.ip_address == wanted)) {
        return Err(EngineError::Forbidden("Address already in use".to_string()));
    }
    Ok(())
}

pub fn disconnect(engine: &SimEngine, network: &str, container: &str, force: bool) -> Result<()> {
    let changed = engine.mutate(|st| {
        let n = find(st, network)?;
        let name = st.networks[n].name.clone();
        let c = match super::containers::find(st, container) {
            Ok(c) => c,
            // With `-f` the daemon looks for the endpoint by name, which is the container's.
            Err(_) if force => return Err(EngineError::NotFound(format!("endpoint {container} not found"))),
            Err(e) => return Err(e),
        };
        if name == "host" || st.containers[c].spec.network_mode == "host" {
            return Err(EngineError::Forbidden(
                "container cannot be disconnected from host network or connected to host network".to_string(),
            ));
        }
        if st.containers[c].networks.remove(&name).is_none() {
            return Err(EngineError::Forbidden(format!(
                "container {} is not connected to network {name}",
                st.containers[c].id
            )));
        }
        let c = &st.containers[c];
        Ok((c.state.status == Status::Running).then(|| c.clone()))
    })?;
    if let Some(c) = changed {
        write_etc(engine, &c)?;
    }
    Ok(())
}

/// The running containers with an endpoint on a network, by name.
fn active<'a>(st: &'a State, network: &str) -> Vec<&'a Container> {
    let mut found: Vec<&Container> = st
        .containers
        .iter()
        .filter(|c| c.state.status == Status::Running && c.networks.contains_key(network))
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// Removes a network: Docker 28's errors for the predefined ones and for one with running containers on it
/// (`has active endpoints (name:"web" id:"…")`, the endpoints' short ids). Stopped containers lose it.
pub fn remove(engine: &SimEngine, key: &str) -> Result<()> {
    engine.mutate(|st| {
        let n = find(st, key)?;
        let net = &st.networks[n];
        if net.predefined {
            return Err(EngineError::Forbidden(format!("{} is a pre-defined network and cannot be removed", net.name)));
        }
        let busy = active(st, &net.name);
        if !busy.is_empty() {
            let list: Vec<String> = busy
                .iter()
                .map(|c| format!("name:\"{}\" id:\"{}\"", c.name, &endpoint_id(&c.id, &net.name)[..12]))
                .collect();
            return Err(EngineError::Forbidden(format!(
                "error while removing network: network {} has active endpoints ({})",
                net.name,
                list.join(", ")
            )));
        }
        let name = net.name.clone();
        for c in &mut st.containers {
            c.networks.remove(&name);
        }
        st.networks.remove(n);
        Ok(())
    })
}

pub fn prune(engine: &SimEngine) -> Result<PruneReport> {
    prune_with(engine, &[])
}

/// Removes the user-defined networks no running container is on (stopped containers hold no endpoint), those
/// matching every `label` filter (`(key, value, negated)`). Returns their names, in name order.
pub fn prune_with(engine: &SimEngine, labels: &[(String, Option<String>, bool)]) -> Result<PruneReport> {
    let mut report = PruneReport::default();
    engine.mutate(|st| {
        let mut doomed: Vec<String> = st
            .networks
            .iter()
            .filter(|n| !n.predefined && active(st, &n.name).is_empty())
            .filter(|n| {
                labels.iter().all(|(k, want, negate)| {
                    let hit = n.labels.get(k).is_some_and(|x| want.as_ref().is_none_or(|w| w == x));
                    hit != *negate
                })
            })
            .map(|n| n.name.clone())
            .collect();
        doomed.sort();
        st.networks.retain(|n| !doomed.contains(&n.name));
        for c in &mut st.containers {
            c.networks.retain(|name, _| !doomed.contains(name));
        }
        report.deleted = doomed;
        Ok(())
    })?;
    Ok(report)
}

// ---------------------------------------------------------------------------------------------------------------
// The files Docker writes into every container for its network: `/etc/hosts` and `/etc/resolv.conf`.

/// `/etc/hosts` as Docker 28 writes it: the loopback lines (IPv6 ones too, as Go's `netip` prints them), then a
/// line with the container's hostname for each network address it has, the one it was started on first; a
/// `none` container (no address) gets only the loopback lines.
#[must_use]
pub fn etc_hosts(c: &Container) -> String {
    let mut text = String::from(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\tip6-localnet\nff00::\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
    );
    let first = if c.spec.network_mode == "default" { "bridge" } else { c.spec.network_mode.as_str() };
    let mut order: Vec<&String> = c.networks.keys().collect();
    order.sort_by_key(|n| n.as_str() != first);
    for net in order {
        let ip = &c.networks[net].ip_address;
        if !ip.is_empty() {
            text.push_str(&format!("{ip}\t{}\n", c.spec.hostname));
        }
    }
    text
}

/// The name servers of the host's `/etc/resolv.conf` that a container can reach (loopback ones cannot be), or
/// Google's, as Docker falls back to.
fn host_nameservers() -> Vec<String> {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let found: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .map(|s| s.trim().to_string())
        .filter(|s| s.parse::<Ipv4Addr>().is_ok_and(|a| !a.is_loopback()))
        .collect();
    if found.is_empty() { vec!["8.8.8.8".to_string(), "8.8.4.4".to_string()] } else { found }
}

/// `/etc/resolv.conf` as Docker 28 writes it: on a user-defined network the embedded DNS server 127.0.0.11,
/// which forwards other names to the host's servers; elsewhere the host's servers themselves.
#[must_use]
pub fn resolv_conf(st: &State, c: &Container) -> String {
    let header = "# Generated by Docker Engine.\n# This file can be edited; Docker Engine will not make further changes once it\n# has been modified.\n\n";
    let servers = host_nameservers();
    let internal = c.networks.keys().any(|n| has_embedded_dns(st, n)) || has_embedded_dns(st, &c.spec.network_mode);
    if internal {
        let ext: Vec<String> = servers.iter().map(|s| format!("host({s})")).collect();
        format!(
            "{header}nameserver 127.0.0.11\noptions ndots:0\n\n# Based on host file: '/etc/resolv.conf' (internal resolver)\n# ExtServers: [{}]\n# Overrides: []\n# Option ndots from: internal\n",
            ext.join(" ")
        )
    } else {
        let lines = servers.iter().fold(String::new(), |acc, s| acc + "nameserver " + s + "\n");
        format!("{header}{lines}\n# Based on host file: '/etc/resolv.conf' (legacy)\n# Overrides: []\n")
    }
}

/// Rewrites a running container's `/etc/hosts` and `/etc/resolv.conf` after a connect or disconnect. The
/// files are replaced, never written in place: they may be hard links into an image layer.
fn write_etc(engine: &SimEngine, c: &Container) -> Result<()> {
    let rootfs = engine.container_dir(&c.id).join("rootfs");
    let resolv = engine.read(|st| Ok(resolv_conf(st, c)))?;
    super::containers::replace_etc_files(&rootfs, c, &[("hosts", etc_hosts(c)), ("resolv.conf", resolv)])
}

// ---------------------------------------------------------------------------------------------------------------
// Container networking, as the runtime's host interface sees it. These read the state only: the runtime asks them
// on every connect or lookup, and the answer must follow `network connect`, `disconnect`, `start` and `stop` made by
// any docklings process, so nothing here is cached.

/// The container a key names, following `--network container:<other>` to the container whose network stack it
/// shares (as Docker does: such a container has no endpoints of its own).
fn stack_owner<'a>(st: &'a State, key: &str) -> Option<&'a super::state::Container> {
    let mut c = &st.containers[st.container(key)?];
    // A chain of `container:` modes is bounded by the number of containers; a cycle cannot be created by `run`.
    for _ in 0..st.containers.len() {
        let Some(other) = c.spec.network_mode.strip_prefix("container:") else { break };
        c = &st.containers[st.container(other)?];
    }
    Some(c)
}

/// The addresses of a container's endpoints that are up (a stopped container keeps its endpoints but no address).
fn endpoint_ips(c: &super::state::Container) -> impl Iterator<Item = (&String, Ipv4Addr)> {
    c.networks.iter().filter_map(|(net, e)| e.ip_address.parse::<Ipv4Addr>().ok().map(|ip| (net, ip)))
}

/// Whether a network has Docker's embedded DNS: user-defined networks do; the default `bridge`, `host` and `none`
/// do not (containers there see only `/etc/hosts`).
fn has_embedded_dns(st: &State, network: &str) -> bool {
    st.networks.iter().any(|n| n.name == network && !n.predefined)
}

/// What `name` resolves to inside `from_container` (id, id prefix or name), with Docker's rules:
/// - `localhost` is 127.0.0.1, and the container's own hostname is its first address, as the `/etc/hosts` Docker
///   writes says (on `none`, where there is no address, the hostname is not listed and does not resolve);
/// - on user-defined networks the embedded DNS (127.0.0.11) answers, for running containers sharing one of those
///   networks with the asker, their names, their `--network-alias` aliases and their 12-digit short ids, with the
///   address on the shared network; `name.network` is answered as `name` on that network, and names are matched
///   without regard to case, as DNS does;
/// - on the default `bridge` nothing else resolves: it has no embedded DNS, which is the lesson's point;
/// - a `--network host` container sees the host's names: `localhost` and its hostname (the host's) are loopback.
///
/// `None` means the name does not resolve (`nslookup` prints `NXDOMAIN`, `ping` "bad address").
#[must_use]
pub fn resolve(st: &State, from_container: &str, name: &str) -> Option<Ipv4Addr> {
    let asker = stack_owner(st, from_container)?;
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name == "localhost" {
        return Some(Ipv4Addr::LOCALHOST);
    }
    if asker.spec.network_mode == "host" {
        return (name == asker.spec.hostname.to_ascii_lowercase()).then_some(Ipv4Addr::LOCALHOST);
    }
    // /etc/hosts first, as the resolver reads it before asking a name server.
    if asker.spec.hostname.to_ascii_lowercase() == name
        && let Some((_, ip)) = endpoint_ips(asker).next()
    {
        return Some(ip);
    }
    for (net, _) in endpoint_ips(asker) {
        if !has_embedded_dns(st, net) {
            continue;
        }
        let wanted = match name.strip_suffix(&format!(".{}", net.to_ascii_lowercase())) {
            Some(short) => short.to_string(),
            None => name.clone(),
        };
        for c in &st.containers {
            if c.state.status != super::state::Status::Running {
                continue;
            }
            let Some(e) = c.networks.get(net) else { continue };
            let Ok(ip) = e.ip_address.parse::<Ipv4Addr>() else { continue };
            let matches = c.name.to_ascii_lowercase() == wanted
                || c.id[..12] == wanted
                || e.aliases.iter().any(|a| a.to_ascii_lowercase() == wanted);
            if matches {
                return Some(ip);
            }
        }
    }
    None
}

/// The addresses a listener inside the container is reachable at from other containers: one per network it is
/// connected to while it runs, in network-name order. Loopback is not listed: it is private to the container (the
/// runtime serves 127.0.0.1 within the container itself). A `container:` container answers with its owner's
/// addresses; a `host` or `none` container has none (a `host` container's listeners are the host's).
#[must_use]
pub fn addresses(st: &State, container: &str) -> Vec<Ipv4Addr> {
    stack_owner(st, container).map(|c| endpoint_ips(c).map(|(_, ip)| ip).collect()).unwrap_or_default()
}

/// Which running container, and which of its ports, a connection to `host_ip:host_port` on the host reaches
/// through a published port (`-p`, `-P`). A binding on 0.0.0.0 matches every host address; one on a given address
/// matches that address only; IPv6 bindings (`::`) never match an IPv4 address. `proto` is `tcp` or `udp`.
#[must_use]
pub fn published(st: &State, host_ip: Ipv4Addr, host_port: u16, proto: &str) -> Option<(String, u16)> {
    st.containers.iter().filter(|c| c.state.status == super::state::Status::Running).find_map(|c| {
        c.ports.iter().find_map(|b| {
            let (port, p) = b.container_port.split_once('/').unwrap_or((b.container_port.as_str(), "tcp"));
            let ip_ok = b.host_ip.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_unspecified() || ip == host_ip);
            let port_ok = b.host_port.parse::<u16>().is_ok_and(|hp| hp == host_port);
            if ip_ok && port_ok && p.eq_ignore_ascii_case(proto) {
                port.parse::<u16>().ok().map(|cp| (c.id.clone(), cp))
            } else {
                None
            }
        })
    })
}

/// Why a request from the host to a published port got no reply, with curl's exit code for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostRequestFailure {
    pub curl_code: i32,
    pub text: String,
}

/// Sends `request` from the host to `host_ip:host_port`, as a client on the learner's machine would reach a published
/// port (or a `--network host` container's listener), and reads the reply until the server closes the connection.
/// The bytes travel through the simulation's in-memory network to the container's listener.
pub fn host_request(
    engine: &SimEngine,
    host_ip: Ipv4Addr,
    host_port: u16,
    request: &[u8],
    timeout: std::time::Duration,
) -> std::result::Result<Vec<u8>, HostRequestFailure> {
    let fail = |curl_code: i32, text: String| HostRequestFailure { curl_code, text };
    let target = engine.read(|st| Ok(published(st, host_ip, host_port, "tcp"))).ok().flatten();
    let network = engine.runtime().ok().map(|r| r.network().clone());
    let conn = match (&target, &network) {
        (Some((container, container_port)), Some(net)) => {
            net.connect(container, *container_port, Ipv4Addr::new(172, 17, 0, 1), Ipv4Addr::LOCALHOST)
        }
        // A `--network host` container listens on the host itself.
        (None, Some(net)) if net.is_listening("host", host_port) => {
            net.connect("host", host_port, Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST)
        }
        _ => {
            return Err(fail(
                7,
                format!("Failed to connect to {host_ip} port {host_port} after 0 ms: Couldn't connect to server"),
            ));
        }
    };
    // Docker's proxy accepts the connection for a published port, then finds nothing listening inside.
    let Ok(conn) = conn else { return Err(fail(56, "Recv failure: Connection reset by peer".into())) };
    let waiter = super::runtime::net::Waiter::host();
    if conn.write(request, waiter).is_err() {
        return Err(fail(55, "Failed sending data to the peer".into()));
    }
    let deadline = Some(std::time::Instant::now() + timeout);
    let mut response = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        match conn.read(&mut chunk, waiter, deadline) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            Err(_) => {
                return Err(fail(
                    28,
                    format!("Operation timed out after {} milliseconds with 0 bytes received", timeout.as_millis()),
                ));
            }
        }
    }
    if response.is_empty() {
        return Err(fail(52, "Empty reply from server".into()));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::super::state::{Container, ContainerSpec, ContainerState, PortBinding, Status};
    use super::*;

    fn state_with_networks() -> State {
        let mut st = State::default();
        ensure_predefined(&mut st);
        for (name, subnet) in [("app", "172.18.0.0/16"), ("other", "172.19.0.0/16")] {
            st.networks.push(Network {
                id: format!("{name:0>64}"),
                name: name.to_string(),
                created: 0,
                driver: "bridge".to_string(),
                scope: "local".to_string(),
                internal: false,
                subnet: subnet.to_string(),
                gateway: subnet.replace("0.0/16", "0.1"),
                labels: Labels::new(),
                options: BTreeMap::new(),
                predefined: false,
                ip_range: String::new(),
                attachable: false,
                user_subnet: true,
                user_gateway: false,
            });
        }
        st
    }

    /// A container on `nets` (`(network, address, aliases)`); the address empty when it is not running.
    fn add(st: &mut State, name: &str, mode: &str, nets: &[(&str, &str, &[&str])], running: bool) -> String {
        // Distinct per name and position, 64 hex digits like a real id.
        let id =
            format!("{:x}{:0>63x}", st.containers.len() + 0xa, name.len() * 0x1000 + usize::from(name.as_bytes()[0]));
        let networks = nets
            .iter()
            .map(|(n, ip, aliases)| {
                let ep = Endpoint {
                    ip_address: if running { (*ip).to_string() } else { String::new() },
                    aliases: aliases.iter().map(ToString::to_string).collect(),
                    ..Endpoint::default()
                };
                ((*n).to_string(), ep)
            })
            .collect();
        st.containers.push(Container {
            id: id.clone(),
            name: name.to_string(),
            created: 0,
            image: "busybox".to_string(),
            image_id: String::new(),
            spec: ContainerSpec {
                hostname: id[..12].to_string(),
                network_mode: mode.to_string(),
                ..ContainerSpec::default()
            },
            state: ContainerState {
                status: if running { Status::Running } else { Status::Exited },
                exit_code: 0,
                started_at: 0,
                finished_at: 0,
                owner_pid: None,
                error: String::new(),
            },
            mounts: Vec::new(),
            networks,
            ports: Vec::new(),
            restart_count: 0,
        });
        id
    }

    fn ip(s: &str) -> Option<Ipv4Addr> {
        s.parse().ok()
    }

    #[test]
    fn user_defined_networks_resolve_names_aliases_and_short_ids() {
        let mut st = state_with_networks();
        add(&mut st, "a", "app", &[("app", "172.18.0.2", &[])], true);
        let b = add(&mut st, "b", "app", &[("app", "172.18.0.3", &["db", "Store"])], true);
        assert_eq!(resolve(&st, "a", "b"), ip("172.18.0.3"));
        assert_eq!(resolve(&st, "a", "B."), ip("172.18.0.3"), "DNS names are case-insensitive, a final dot allowed");
        assert_eq!(resolve(&st, "a", "db"), ip("172.18.0.3"));
        assert_eq!(resolve(&st, "a", "store"), ip("172.18.0.3"));
        assert_eq!(resolve(&st, "a", &b[..12]), ip("172.18.0.3"));
        assert_eq!(resolve(&st, "a", "b.app"), ip("172.18.0.3"), "name.network is answered too");
        assert_eq!(resolve(&st, "a", "b.other"), None);
        assert_eq!(resolve(&st, "a", &b[..10]), None, "only the 12-digit short id is registered");
        assert_eq!(resolve(&st, "a", "a"), ip("172.18.0.2"), "a container finds itself");
        assert_eq!(resolve(&st, "a", "nosuch"), None);
    }

    #[test]
    fn names_resolve_only_between_containers_sharing_a_network_and_running() {
        let mut st = state_with_networks();
        add(&mut st, "a", "app", &[("app", "172.18.0.2", &[])], true);
        add(&mut st, "c", "other", &[("other", "172.19.0.2", &[])], true);
        add(&mut st, "stopped", "app", &[("app", "172.18.0.4", &[])], false);
        assert_eq!(resolve(&st, "a", "c"), None, "c is on another network");
        assert_eq!(resolve(&st, "a", "stopped"), None, "a stopped container has no address");
        // Connected to both, c is reached at its address on the network the asker shares.
        add(&mut st, "d", "app", &[("app", "172.18.0.5", &[]), ("other", "172.19.0.3", &[])], true);
        assert_eq!(resolve(&st, "a", "d"), ip("172.18.0.5"));
        assert_eq!(resolve(&st, "c", "d"), ip("172.19.0.3"));
        assert_eq!(resolve(&st, "d", "c"), ip("172.19.0.2"));
    }

    #[test]
    fn the_default_bridge_resolves_only_etc_hosts() {
        let mut st = state_with_networks();
        let x = add(&mut st, "x", "bridge", &[("bridge", "172.17.0.2", &[])], true);
        add(&mut st, "y", "bridge", &[("bridge", "172.17.0.3", &[])], true);
        assert_eq!(resolve(&st, "x", "y"), None, "no embedded DNS on the default bridge");
        assert_eq!(resolve(&st, "x", "localhost"), Some(Ipv4Addr::LOCALHOST));
        assert_eq!(resolve(&st, "x", &x[..12]), ip("172.17.0.2"), "its own hostname, from /etc/hosts");
        assert_eq!(resolve(&st, "nosuch", "localhost"), None, "an unknown asker resolves nothing");
    }

    #[test]
    fn host_none_and_shared_stacks() {
        let mut st = state_with_networks();
        add(&mut st, "web", "app", &[("app", "172.18.0.2", &["www"])], true);
        let h = add(&mut st, "h", "host", &[("host", "", &[])], true);
        let n = add(&mut st, "n", "none", &[("none", "", &[])], true);
        add(&mut st, "side", "container:web", &[], true);
        assert_eq!(resolve(&st, "h", "localhost"), Some(Ipv4Addr::LOCALHOST));
        assert_eq!(resolve(&st, "h", &h[..12]), Some(Ipv4Addr::LOCALHOST));
        assert_eq!(resolve(&st, "h", "web"), None, "the host has no embedded DNS");
        assert_eq!(resolve(&st, "n", "localhost"), Some(Ipv4Addr::LOCALHOST));
        assert_eq!(resolve(&st, "n", &n[..12]), None);
        assert_eq!(resolve(&st, "side", "www"), ip("172.18.0.2"), "container: shares web's DNS");
        assert_eq!(addresses(&st, "side"), vec!["172.18.0.2".parse::<Ipv4Addr>().unwrap()]);
        assert!(addresses(&st, "h").is_empty());
        assert!(addresses(&st, "n").is_empty());
    }

    #[test]
    fn addresses_list_every_network_while_running() {
        let mut st = state_with_networks();
        add(&mut st, "d", "app", &[("app", "172.18.0.5", &[]), ("other", "172.19.0.3", &[])], true);
        add(&mut st, "s", "app", &[("app", "172.18.0.6", &[])], false);
        assert_eq!(addresses(&st, "d"), vec![Ipv4Addr::new(172, 18, 0, 5), Ipv4Addr::new(172, 19, 0, 3)]);
        assert!(addresses(&st, "s").is_empty());
        assert!(addresses(&st, "nosuch").is_empty());
    }

    #[test]
    fn published_ports_match_address_port_protocol_and_running() {
        let mut st = state_with_networks();
        let web = add(&mut st, "web", "bridge", &[("bridge", "172.17.0.2", &[])], true);
        let lo = add(&mut st, "lo", "bridge", &[("bridge", "172.17.0.3", &[])], true);
        let off = add(&mut st, "off", "bridge", &[("bridge", "", &[])], false);
        let bind = |port: &str, ip: &str, host: &str| PortBinding {
            container_port: port.to_string(),
            host_ip: ip.to_string(),
            host_port: host.to_string(),
        };
        st.containers[0].ports =
            vec![bind("80/tcp", "0.0.0.0", "8080"), bind("80/tcp", "::", "8080"), bind("53/udp", "0.0.0.0", "5353")];
        st.containers[1].ports = vec![bind("8000/tcp", "127.0.0.1", "9000")];
        st.containers[2].ports = vec![bind("80/tcp", "0.0.0.0", "7070")];
        let any = Ipv4Addr::new(192, 168, 1, 10);
        assert_eq!(published(&st, any, 8080, "tcp"), Some((web.clone(), 80)));
        assert_eq!(published(&st, Ipv4Addr::LOCALHOST, 8080, "tcp"), Some((web.clone(), 80)));
        assert_eq!(published(&st, any, 8080, "udp"), None);
        assert_eq!(published(&st, any, 5353, "udp"), Some((web, 53)));
        assert_eq!(published(&st, Ipv4Addr::LOCALHOST, 9000, "tcp"), Some((lo, 8000)));
        assert_eq!(published(&st, any, 9000, "tcp"), None, "bound to 127.0.0.1 only");
        assert_eq!(published(&st, any, 7070, "tcp"), None, "{off} is not running");
        assert_eq!(published(&st, any, 80, "tcp"), None, "the container port is not a host port");
    }

    #[test]
    fn addresses_come_lowest_first_inside_the_range_and_skip_the_gateway() {
        let mut st = state_with_networks();
        let mut net = st.networks.iter().find(|n| n.name == "app").unwrap().clone();
        net.gateway = "172.18.0.2".to_string();
        assert_eq!(allocate_ip(&st, &net), Some(("172.18.0.1".to_string(), 16)));
        add(&mut st, "a", "app", &[("app", "172.18.0.1", &[])], true);
        assert_eq!(allocate_ip(&st, &net).unwrap().0, "172.18.0.3", "the gateway is skipped");
        net.ip_range = "172.18.5.0/24".to_string();
        assert_eq!(allocate_ip(&st, &net).unwrap().0, "172.18.5.0");
        assert!(overlaps("10.0.0.0/8", "10.1.2.0/24") && !overlaps("10.0.0.0/24", "10.0.1.0/24"));
    }

    #[test]
    fn etc_hosts_lists_the_start_network_first_and_none_has_no_address() {
        let mut st = state_with_networks();
        let id = add(&mut st, "a", "other", &[("app", "172.18.0.5", &[]), ("other", "172.19.0.5", &[])], true);
        let hosts = etc_hosts(&st.containers[0]);
        let short = &id[..12];
        assert!(hosts.starts_with("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::\t"));
        assert!(hosts.ends_with(&format!("172.19.0.5\t{short}\n172.18.0.5\t{short}\n")), "{hosts}");
        add(&mut st, "n", "none", &[("none", "", &[])], true);
        assert_eq!(etc_hosts(&st.containers[1]).lines().count(), 6);
        assert!(resolv_conf(&st, &st.containers[0]).contains("nameserver 127.0.0.11\noptions ndots:0\n"));
        assert!(!resolv_conf(&st, &st.containers[1]).contains("127.0.0.11"));
    }
}
