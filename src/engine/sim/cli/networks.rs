//! `docker network create`, `ls`, `inspect`, `connect`, `disconnect`, `rm` and `prune` on the simulated engine,
//! as Docker 28's CLI prints them. The daemon's side (IPAM, endpoints, `/etc/hosts`) is in `sim/networks.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::images::{Filters, args, confirm, engine_error, value};
use super::{Failure, Io, Outcome, daemon_text};
use crate::dockercli::Invocation;
use crate::dockerfmt::{self, ListOptions, NetworkRow, natural_less};
use crate::engine::Labels;
use crate::engine::sim::SimEngine;
use crate::engine::sim::containers::rfc3339;
use crate::engine::sim::networks::{self, CreateNetwork};
use crate::engine::sim::state::{Network, State, Status};

pub fn run(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    match inv.command.as_slice() {
        ["network", "create"] => create(engine, inv, io),
        ["network", "ls"] => list(engine, inv, io),
        ["network", "inspect"] => inspect(engine, inv, io),
        ["network", "connect"] => connect(engine, inv, io),
        ["network", "disconnect"] => disconnect(engine, inv, io),
        ["network", "rm"] => remove(engine, inv, io),
        ["network", "prune"] => prune(engine, inv, io),
        _ => Err(Failure::new(format!("docklings: `{}` is not simulated yet", inv.command_path()), 1)),
    }
}

/// `docker network inspect`'s JSON for one network, in Docker 28.2's key order (API 1.50: `EnableIPv4`). The
/// `Containers` are the running ones: a stopped container has no endpoint.
#[must_use]
pub fn network_json(st: &State, n: &Network) -> Value {
    let mut containers = Map::new();
    // Keyed by container id, in id order as Go prints a map.
    let mut running: Vec<_> = st.containers.iter().filter(|c| c.state.status == Status::Running).collect();
    running.sort_by(|a, b| a.id.cmp(&b.id));
    for c in running {
        if let Some(ep) = c.networks.get(&n.name) {
            let v4 = if ep.ip_address.is_empty() {
                String::new()
            } else {
                format!("{}/{}", ep.ip_address, ep.ip_prefix_len)
            };
            containers.insert(
                c.id.clone(),
                json!({
                    "Name": c.name,
                    "EndpointID": networks::endpoint_id(&c.id, &n.name),
                    "MacAddress": ep.mac_address,
                    "IPv4Address": v4,
                    "IPv6Address": "",
                }),
            );
        }
    }
    let mut config: Vec<Value> = Vec::new();
    if !n.subnet.is_empty() {
        let mut c = Map::new();
        c.insert("Subnet".into(), json!(n.subnet));
        if !n.ip_range.is_empty() {
            c.insert("IPRange".into(), json!(n.ip_range));
        }
        // The daemon shows the IPAM configuration as the user gave it when they gave one.
        if !n.user_subnet || n.user_gateway {
            c.insert("Gateway".into(), json!(n.gateway));
        }
        config.push(Value::Object(c));
    }
    json!({
        "Name": n.name,
        "Id": n.id,
        "Created": rfc3339(n.created),
        "Scope": n.scope,
        "Driver": n.driver,
        "EnableIPv4": true,
        "EnableIPv6": false,
        "IPAM": {
            "Driver": "default",
            "Options": if n.predefined { Value::Null } else { json!({}) },
            "Config": config,
        },
        "Internal": n.internal,
        "Attachable": n.attachable,
        "Ingress": false,
        "ConfigFrom": { "Network": "" },
        "ConfigOnly": false,
        "Containers": containers,
        "Options": n.options,
        "Labels": n.labels,
    })
}

/// `key=value` flag values (`--label`, `--opt`); `key` alone is an empty value.
fn key_values(inv: &Invocation, flag: &str) -> BTreeMap<String, String> {
    inv.flags_named(flag)
        .map(|f| {
            let v = f.value.clone().unwrap_or_default();
            match v.split_once('=') {
                Some((k, x)) => (k.to_string(), x.to_string()),
                None => (v, String::new()),
            }
        })
        .collect()
}

/// `docker network create [-d DRIVER] [--subnet S] [--gateway G] [--ip-range R] [--internal] [--attachable]
/// [-o K=V] [--label K=V] NAME`. The CLI checks that a gateway or range has a subnet to live in.
fn create(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let name = args(inv)[0].to_string();
    let subnet = value(inv, "subnet").map(str::to_string);
    let gateway = value(inv, "gateway").map(str::to_string);
    let ip_range = value(inv, "ip-range").map(str::to_string);
    if subnet.is_none() && (gateway.is_some() || ip_range.is_some()) {
        return Err(Failure::new("every ip-range or gateway must have a corresponding subnet", 1));
    }
    if let (Some(s), Some(g)) = (&subnet, &gateway)
        && !contains(s, g)
    {
        return Err(Failure::new(format!("no matching subnet for gateway {g}"), 1));
    }
    if let (Some(s), Some(r)) = (&subnet, &ip_range)
        && !contains(s, r.split('/').next().unwrap_or(r))
    {
        return Err(Failure::new(format!("no matching subnet for range {r}"), 1));
    }
    if inv.has("ingress") || inv.has("config-only") || inv.flag("config-from").is_some() || inv.has("ipv6") {
        return Err(Failure::new(
            format!("docklings: `{}` with swarm or IPv6 options is not simulated", inv.command_path()),
            1,
        ));
    }
    let labels: Labels = key_values(inv, "label").into_iter().collect();
    let request = CreateNetwork {
        name,
        driver: value(inv, "driver").map(str::to_string),
        subnet,
        gateway,
        ip_range,
        internal: inv.has("internal"),
        attachable: inv.has("attachable"),
        labels,
        options: key_values(inv, "opt"),
    };
    let id = networks::create_with(engine, &request).map_err(|e| engine_error(&e))?;
    io.out(&format!("{id}\n"));
    Ok(0)
}

/// Whether an IPv4 address lies in a CIDR subnet (false when either does not parse, as the CLI's check fails).
fn contains(subnet: &str, ip: &str) -> bool {
    let Some((base, prefix)) = subnet.split_once('/') else { return false };
    let (Ok(base), Ok(prefix), Ok(ip)) =
        (base.parse::<std::net::Ipv4Addr>(), prefix.parse::<u32>(), ip.parse::<std::net::Ipv4Addr>())
    else {
        return false;
    };
    if prefix > 32 {
        return false;
    }
    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
    u32::from(base) & mask == u32::from(ip) & mask
}

/// The networks `GET /networks` returns for these filters (the daemon's `network ls` filters).
fn listed<'a>(st: &'a State, filters: &Filters) -> Result<Vec<&'a Network>, Failure> {
    filters.validate(&["dangling", "driver", "id", "label", "label!", "name", "scope", "type"])?;
    for t in filters.get("type") {
        if !matches!(t, "custom" | "builtin") {
            return Err(super::images::daemon_error(&format!("invalid filter: 'type'='{t}'")));
        }
    }
    let dangling = filters.bool("dangling")?;
    let mut labels = filters.labels(false);
    labels.extend(filters.labels(true));
    let any = |key: &str, f: &dyn Fn(&str) -> bool| {
        let values = filters.get(key);
        values.is_empty() || values.iter().any(|v| f(v))
    };
    Ok(st
        .networks
        .iter()
        .filter(|n| any("driver", &|v| n.driver == v))
        .filter(|n| any("id", &|v| n.id.starts_with(v)))
        .filter(|n| any("name", &|v| n.name.contains(v)))
        .filter(|n| any("scope", &|v| n.scope == v))
        .filter(|n| any("type", &|v| (v == "builtin") == n.predefined))
        .filter(|n| {
            dangling.is_none_or(|d| {
                let used = st.containers.iter().any(|c| c.networks.contains_key(&n.name));
                d == (!n.predefined && !used)
            })
        })
        .filter(|n| {
            labels.iter().all(|(k, want, negate)| {
                let hit = n.labels.get(k).is_some_and(|x| want.as_ref().is_none_or(|w| w == x));
                hit != *negate
            })
        })
        .collect())
}

/// `docker network ls [-q] [--no-trunc] [--filter F] [--format F]`: sorted by name, as the CLI sorts them.
fn list(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let filters = Filters::parse(inv, "[OPTIONS]")?;
    let mut rows: Vec<NetworkRow> = engine
        .read(|st| {
            Ok(listed(st, &filters).map(|found| {
                found
                    .into_iter()
                    .map(|n| {
                        let secs = n.created.div_euclid(1_000_000_000);
                        NetworkRow {
                            id: n.id.clone(),
                            name: n.name.clone(),
                            driver: n.driver.clone(),
                            scope: n.scope.clone(),
                            ipv4: true,
                            ipv6: false,
                            internal: n.internal,
                            labels: n.labels.iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
                            created: i64::try_from(secs).unwrap_or(0),
                            created_nanos: u32::try_from(n.created.rem_euclid(1_000_000_000)).unwrap_or(0),
                        }
                    })
                    .collect()
            }))
        })
        .map_err(|e| engine_error(&e))??;
    rows.sort_by(|a, b| natural_less(&a.name, &b.name));
    let opts = ListOptions {
        format: value(inv, "format"),
        quiet: inv.has("quiet"),
        no_trunc: inv.has("no-trunc"),
        ..ListOptions::default()
    };
    let text = dockerfmt::render_networks(&rows, &opts).map_err(|e| Failure::new(e.message, e.status))?;
    io.out(&text);
    Ok(0)
}

/// `docker network inspect [-f F] NETWORK...`
fn inspect(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let found: Vec<Result<Value, String>> = engine
        .read(|st| {
            Ok(args(inv)
                .into_iter()
                .map(|key| {
                    st.network(key)
                        .map(|i| network_json(st, &st.networks[i]))
                        .ok_or_else(|| format!("Error response from daemon: network {key} not found"))
                })
                .collect())
        })
        .map_err(|e| engine_error(&e))?;
    super::print_inspect(value(inv, "format"), found, io)
}

/// `docker network connect [--alias A] [--ip IP] NETWORK CONTAINER`
fn connect(engine: &Arc<SimEngine>, inv: &Invocation, _io: &mut Io) -> Outcome {
    let words = args(inv);
    let aliases: Vec<String> = inv.flags_named("alias").filter_map(|f| f.value.clone()).collect();
    networks::connect_with(engine, words[0], words[1], &aliases, value(inv, "ip").filter(|s| !s.is_empty()))
        .map_err(|e| engine_error(&e))?;
    Ok(0)
}

/// `docker network disconnect [-f] NETWORK CONTAINER`
fn disconnect(engine: &Arc<SimEngine>, inv: &Invocation, _io: &mut Io) -> Outcome {
    let words = args(inv);
    networks::disconnect(engine, words[0], words[1], inv.has("force")).map_err(|e| engine_error(&e))?;
    Ok(0)
}

/// `docker network rm [-f] NETWORK...`: each removed name as it goes, each error as it comes; with any error
/// the CLI ends with `exit status 1` (its `StatusError` carries that text).
fn remove(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let force = inv.has("force");
    let mut failed = false;
    for name in args(inv) {
        match networks::remove(engine, name) {
            Ok(()) => io.out(&format!("{name}\n")),
            Err(crate::engine::EngineError::NotFound(_)) if force => {}
            Err(e) => {
                io.err(&format!("{}\n", daemon_text(&e)));
                failed = true;
            }
        }
    }
    if failed { Err(Failure::new("exit status 1", 1)) } else { Ok(0) }
}

const PRUNE_WARNING: &str = "WARNING! This will remove all custom networks not used by at least one container.";

/// `docker network prune [-f] [--filter label=…]`
fn prune(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let filters = Filters::parse(inv, "[OPTIONS]")?;
    if !inv.has("force") && !confirm(io, PRUNE_WARNING) {
        return Ok(0);
    }
    filters.validate(&["label", "label!", "until"])?;
    if !filters.get("until").is_empty() {
        return Err(Failure::new("docklings: `network prune --filter until=…` is not simulated", 1));
    }
    let mut labels = filters.labels(false);
    labels.extend(filters.labels(true));
    let report = networks::prune_with(engine, &labels).map_err(|e| engine_error(&e))?;
    if !report.deleted.is_empty() {
        let mut text = String::from("Deleted Networks:\n");
        for name in &report.deleted {
            text.push_str(name);
            text.push('\n');
        }
        io.out(&format!("{text}\n"));
    }
    Ok(0)
}
