//! Networks of the simulated engine: the predefined `bridge`, `host` and `none`, user-defined bridges, and the
//! addresses Docker's IPAM gives (172.17.0.0/16 for the default bridge, then 172.18.0.0/16 …).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::SimEngine;
use super::state::{Endpoint, Network, State, now_nanos};
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
        });
    }
}

/// The next free /16 for a new bridge network: 172.18.0.0, 172.19.0.0, … as Docker's default pools go.
fn next_subnet(st: &State) -> (String, String) {
    for second in 18..=31u8 {
        let subnet = format!("172.{second}.0.0/16");
        if !st.networks.iter().any(|n| n.subnet == subnet) {
            return (subnet, format!("172.{second}.0.1"));
        }
    }
    for third in 0..=255u8 {
        let subnet = format!("192.168.{third}.0/20");
        if !st.networks.iter().any(|n| n.subnet == subnet) {
            return (subnet, format!("192.168.{third}.1"));
        }
    }
    ("10.0.0.0/24".to_string(), "10.0.0.1".to_string())
}

/// The lowest free address of a network for a new endpoint.
#[must_use]
pub fn allocate_ip(st: &State, network: &Network) -> Option<(String, u8)> {
    let (base, prefix) = network.subnet.split_once('/')?;
    let base: Ipv4Addr = base.parse().ok()?;
    let prefix: u8 = prefix.parse().ok()?;
    let used: Vec<&str> =
        st.containers.iter().filter_map(|c| c.networks.get(&network.name)).map(|e| e.ip_address.as_str()).collect();
    let start = u32::from(base);
    let size = 1u32 << (32 - u32::from(prefix));
    (2..size - 1)
        .map(|k| Ipv4Addr::from(start + k).to_string())
        .find(|ip| !used.contains(&ip.as_str()) && *ip != network.gateway)
        .map(|ip| (ip, prefix))
}

/// A fresh endpoint on a network (address assigned), as a container start makes it.
#[must_use]
pub fn endpoint(st: &State, network: &Network, aliases: &[String]) -> Endpoint {
    let (ip, prefix) = allocate_ip(st, network).unwrap_or_default();
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
    }
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

pub fn create(engine: &SimEngine, config: &NetworkConfig) -> Result<String> {
    engine.mutate(|st| {
        if st.networks.iter().any(|n| n.name == config.name) {
            return Err(EngineError::Conflict(format!("network with name {} already exists", config.name)));
        }
        let driver = config.driver.clone().unwrap_or_else(|| "bridge".to_string());
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
                let gw = s.split_once('/').and_then(|(b, _)| b.parse::<Ipv4Addr>().ok()).map(|a| Ipv4Addr::from(u32::from(a) + 1).to_string()).unwrap_or_default();
                (s.clone(), gw)
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
    engine.mutate(|st| {
        let n = find(st, network)?;
        let c = super::containers::find(st, container)?;
        let net = st.networks[n].clone();
        if st.containers[c].networks.contains_key(&net.name) {
            return Err(EngineError::Forbidden(format!(
                "endpoint with name {} already exists in network {}",
                st.containers[c].name, net.name
            )));
        }
        let running = st.containers[c].state.status == super::state::Status::Running;
        let mut ep = if running {
            endpoint(st, &net, aliases)
        } else {
            Endpoint { network_id: net.id.clone(), aliases: aliases.to_vec(), ..Endpoint::default() }
        };
        ep.aliases = aliases.to_vec();
        st.containers[c].networks.insert(net.name, ep);
        Ok(())
    })
}

pub fn disconnect(engine: &SimEngine, network: &str, container: &str, force: bool) -> Result<()> {
    engine.mutate(|st| {
        let n = find(st, network)?;
        let name = st.networks[n].name.clone();
        let c = match super::containers::find(st, container) {
            Ok(c) => c,
            Err(_) if force => return Ok(()),
            Err(e) => return Err(e),
        };
        if st.containers[c].networks.remove(&name).is_none() {
            return Err(EngineError::Forbidden(format!(
                "container {} is not connected to network {name}",
                st.containers[c].id
            )));
        }
        Ok(())
    })
}

pub fn remove(engine: &SimEngine, key: &str) -> Result<()> {
    engine.mutate(|st| {
        let n = find(st, key)?;
        let net = &st.networks[n];
        if net.predefined {
            return Err(EngineError::Forbidden(format!("{} is a pre-defined network and cannot be removed", net.name)));
        }
        if st
            .containers
            .iter()
            .any(|c| c.networks.contains_key(&net.name) && c.state.status == super::state::Status::Running)
        {
            return Err(EngineError::Forbidden(format!(
                "error while removing network: network {} has active endpoints",
                net.name
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
    let mut report = PruneReport::default();
    engine.mutate(|st| {
        let doomed: Vec<String> = st
            .networks
            .iter()
            .filter(|n| !n.predefined && !st.containers.iter().any(|c| c.networks.contains_key(&n.name)))
            .map(|n| n.name.clone())
            .collect();
        st.networks.retain(|n| !doomed.contains(&n.name));
        report.deleted = doomed;
        Ok(())
    })?;
    Ok(report)
}
