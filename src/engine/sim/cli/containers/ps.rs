//! `docker ps` (`docker container ls`): `-a`, `-q`, `-l`, `-n`, `-s`, `--no-trunc`, `--format` (tables, `json`,
//! templates) and the daemon's filters (`status`, `name`, `id`, `label`, `ancestor`, `exited`, `before`, `since`,
//! `volume`, `network`, `publish`, `expose`, `health`, `is-task`, `isolation`).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::filter::{Filters, regex_match};
use super::{Failure, Io, Outcome, daemon, int_flag, value};
use crate::dockercli::Invocation;
use crate::dockerfmt::{self, ContainerState, MountSummary, PortSummary, PsOptions, PsRow, container_status};
use crate::engine::EngineError;
use crate::engine::sim::containers::{self, find};
use crate::engine::sim::state::{Container, MountType, State, Status, normalize_reference, now_nanos};
use crate::engine::sim::{SimEngine, images};

const ACCEPTED: &[&str] = &[
    "ancestor",
    "before",
    "exited",
    "expose",
    "health",
    "id",
    "isolation",
    "is-task",
    "label",
    "name",
    "network",
    "publish",
    "since",
    "status",
    "volume",
];
const STATES: &[&str] = &["created", "restarting", "running", "removing", "paused", "exited", "dead"];

fn bad(message: String) -> Failure {
    daemon(&EngineError::BadRequest(message))
}

/// The time elapsed since `nanos`, as the daemon measures it for the status text.
fn since(now: i128, nanos: i128) -> Option<Duration> {
    (nanos != 0).then(|| Duration::from_nanos(u64::try_from(now - nanos).unwrap_or(0)))
}

fn secs(nanos: i128) -> i64 {
    i64::try_from(nanos.div_euclid(1_000_000_000)).unwrap_or(0)
}

/// The daemon's status text of a container ("Up 3 seconds", "Exited (0) 5 minutes ago", "Created").
pub fn status_text(c: &Container, now: i128) -> String {
    container_status(&ContainerState {
        running: c.state.status == Status::Running,
        paused: c.state.status == Status::Paused,
        restarting: c.state.status == Status::Restarting,
        removal_in_progress: c.state.status == Status::Removing,
        dead: c.state.status == Status::Dead,
        exit_code: c.state.exit_code,
        since_started: since(now, c.state.started_at),
        since_finished: since(now, c.state.finished_at),
        health: None,
    })
}

/// A running container's ports as the container list reports them: published ones with their host address,
/// exposed ones without.
pub fn port_summaries(c: &Container) -> Vec<PortSummary> {
    if c.state.status != Status::Running || !crate::engine::sim::networks::has_own_ports(c) {
        return Vec::new();
    }
    let split = |p: &str| {
        let (port, proto) = p.split_once('/').unwrap_or((p, "tcp"));
        (port.parse::<u16>().unwrap_or(0), proto.to_string())
    };
    let mut out: Vec<PortSummary> = c
        .ports
        .iter()
        .map(|b| {
            let (private_port, proto) = split(&b.container_port);
            PortSummary {
                ip: b.host_ip.parse::<IpAddr>().ok(),
                private_port,
                public_port: b.host_port.parse().unwrap_or(0),
                proto,
            }
        })
        .collect();
    for p in &c.spec.exposed_ports {
        if !c.ports.iter().any(|b| b.container_port == *p) {
            let (private_port, proto) = split(p);
            out.push(PortSummary { ip: None, private_port, public_port: 0, proto });
        }
    }
    out
}

/// The command as the container list shows it: the path and its arguments, space-separated.
pub fn command_line(c: &Container) -> String {
    c.spec.entrypoint.iter().chain(&c.spec.cmd).cloned().collect::<Vec<_>>().join(" ")
}

fn row(engine: &SimEngine, st: &State, c: &Container, size: bool, now: i128) -> PsRow {
    let (size_rw, size_root_fs) = if size {
        let rw = containers::rw_size_in(engine, st, c);
        let image = st.images.iter().find(|i| i.id == c.image_id).map_or(0, |i| i.size);
        (rw, image + rw)
    } else {
        (0, 0)
    };
    PsRow {
        id: c.id.clone(),
        names: vec![format!("/{}", c.name)],
        image: c.image.clone(),
        image_id: c.image_id.clone(),
        command: command_line(c),
        created: secs(c.created),
        state: c.state.status.as_str().to_string(),
        status: status_text(c, now),
        ports: port_summaries(c),
        labels: c.spec.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        mounts: c
            .mounts
            .iter()
            .map(|m| MountSummary {
                name: m.name.clone().unwrap_or_default(),
                source: m.source.clone(),
                driver: if m.kind == MountType::Volume { "local".to_string() } else { String::new() },
            })
            .collect(),
        networks: c.networks.keys().cloned().collect(),
        size_rw,
        size_root_fs,
    }
}

/// Whether a container passes every filter.
fn selected(st: &State, c: &Container, f: &Filters, bounds: (Option<i128>, Option<i128>)) -> bool {
    let named = |pattern: &str| regex_match(pattern, &c.name) || regex_match(pattern, &format!("/{}", c.name));
    let port_key = |p: &str| if p.contains('/') { p.to_string() } else { format!("{p}/tcp") };
    f.any("status", |s| c.state.status.as_str() == s)
        && f.any("name", named)
        && f.any("id", |p| regex_match(p, &c.id))
        && f.labels_match(&c.spec.labels)
        && f.any("exited", |code| {
            c.state.status == Status::Exited && code.parse::<i64>().is_ok_and(|n| n == c.state.exit_code)
        })
        && f.any("ancestor", |a| match images::find(st, a) {
            Ok(i) => st.images[i].id == c.image_id,
            Err(_) => normalize_reference(a) == normalize_reference(&c.image),
        })
        && f.any("volume", |v| c.mounts.iter().any(|m| m.name.as_deref() == Some(v) || m.destination == v))
        && f.any("network", |n| {
            c.networks.iter().any(|(name, ep)| name == n || (!n.is_empty() && ep.network_id.starts_with(n)))
        })
        && f.any("publish", |p| {
            let (port, proto) =
                port_key(p).split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
            c.ports.iter().any(|b| b.host_port == port && b.container_port.ends_with(&format!("/{proto}")))
        })
        && f.any("expose", |p| c.spec.exposed_ports.contains(&port_key(p)))
        && f.any("health", |h| h == "none")
        && f.any("is-task", |t| t == "false")
        && f.any("isolation", |i| i == "default")
        && bounds.0.is_none_or(|before| c.created < before)
        && bounds.1.is_none_or(|after| c.created > after)
}

/// `docker ps`
pub fn ps(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let filters = match Filters::parse(inv, io) {
        Ok(f) => f,
        Err(status) => return Ok(status),
    };
    let mut last = match int_flag(inv, io, "last") {
        Ok(n) => n.unwrap_or(-1),
        Err(status) => return Ok(status),
    };
    if inv.has("latest") {
        last = 1;
    }
    filters.validate(ACCEPTED).map_err(bad)?;
    if let Some(s) = filters.get("status").into_iter().find(|s| !STATES.contains(s)) {
        return Err(bad(format!("invalid filter 'status={s}'")));
    }
    if let Some(e) = filters.get("exited").into_iter().find(|e| e.parse::<i64>().is_err()) {
        return Err(bad(format!("strconv.Atoi: parsing \"{e}\": invalid syntax")));
    }
    let quiet = inv.has("quiet");
    let format = value(inv, "format");
    if quiet && format.is_some_and(|f| !f.is_empty()) {
        io.err("WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
    }
    let all = inv.has("all") || last > 0 || filters.has("status");
    let wants_size =
        inv.has("size") || format.is_some_and(|f| f != "json" && (f.contains(".Size") || f.contains("json .")));
    let now = now_nanos();
    let rows: Vec<PsRow> = engine
        .read(|st| {
            let bound = |key: &str| -> Result<Option<i128>, EngineError> {
                match filters.get(key).last() {
                    None => Ok(None),
                    Some(name) => Ok(Some(st.containers[find(st, name)?].created)),
                }
            };
            let bounds = (bound("before")?, bound("since")?);
            let mut chosen: Vec<&Container> = st
                .containers
                .iter()
                .filter(|c| all || c.state.status == Status::Running)
                .filter(|c| selected(st, c, &filters, bounds))
                .collect();
            chosen.sort_by_key(|c| std::cmp::Reverse(c.created));
            if let Ok(n) = usize::try_from(last) {
                chosen.truncate(n);
            }
            Ok(chosen.into_iter().map(|c| row(engine, st, c, wants_size, now)).collect())
        })
        .map_err(|e| daemon(&e))?;
    let opts = PsOptions { format, quiet, no_trunc: inv.has("no-trunc"), size: inv.has("size") };
    let text = dockerfmt::render_ps(&rows, &opts, SystemTime::now()).map_err(|e| Failure::new(e.message, e.status))?;
    io.out(&text);
    Ok(0)
}
