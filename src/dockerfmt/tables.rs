//! The rows of Docker's list commands as plain Rust data, turned into the formatter contexts Docker's templates
//! see (the objects `--format '{{json .}}'` prints), and `docker port`'s lines.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::units::{
    PortSummary, displayable_ports, ellipsis, go_time_string, human_duration, human_size, human_size_with_precision,
    natural_less, rfc3339, truncate_id,
};

/// "3 seconds ago" from a Unix time in seconds, measured at `now` as the client does.
fn since(created: i64, now: SystemTime) -> String {
    let created = if created >= 0 {
        UNIX_EPOCH + Duration::from_secs(created.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(created.unsigned_abs())
    };
    human_duration(now.duration_since(created).unwrap_or_default()) + " ago"
}

fn labels_text(labels: &[(String, String)]) -> String {
    let mut kv: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    kv.sort();
    kv.join(",")
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}

/// A mount as `docker ps` lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MountSummary {
    /// The volume name; empty for bind mounts.
    pub name: String,
    pub source: String,
    /// The volume driver ("local"); empty for bind mounts.
    pub driver: String,
}

/// One container as `docker ps` receives it from the engine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PsRow {
    /// The full 64-hex ID.
    pub id: String,
    /// Names, with or without the leading `/`.
    pub names: Vec<String>,
    /// The image as the user named it (`busybox`), or an image ID.
    pub image: String,
    pub image_id: String,
    /// The command and its arguments joined by spaces, unquoted (`sleep 600`).
    pub command: String,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// "created", "running", "paused", "restarting", "exited", "dead".
    pub state: String,
    /// The daemon's status text; see [`super::container_status`].
    pub status: String,
    pub ports: Vec<PortSummary>,
    pub labels: Vec<(String, String)>,
    pub mounts: Vec<MountSummary>,
    pub networks: Vec<String>,
    /// Size of the writable layer and of the whole root filesystem, when `--size` asked for them.
    pub size_rw: i64,
    pub size_root_fs: i64,
}

impl PsRow {
    /// The `*formatter.ContainerContext` as JSON; `trunc` is the opposite of `--no-trunc`.
    #[must_use]
    pub fn to_value(&self, trunc: bool, now: SystemTime) -> Value {
        let names: Vec<&str> = self.names.iter().map(|n| n.strip_prefix('/').unwrap_or(n)).collect();
        let names = if trunc {
            names.iter().find(|n| !n.contains('/')).map(ToString::to_string).unwrap_or_default()
        } else {
            names.join(",")
        };
        let command = if trunc { ellipsis(&self.command, 20) } else { self.command.clone() };
        let mounts: Vec<String> = self
            .mounts
            .iter()
            .map(|m| {
                let name = if m.name.is_empty() { &m.source } else { &m.name };
                if trunc { ellipsis(name, 15) } else { name.clone() }
            })
            .collect();
        let mut size = human_size_with_precision(self.size_rw as f64, 3);
        if self.size_root_fs > 0 {
            size = format!("{size} (virtual {})", human_size_with_precision(self.size_root_fs as f64, 3));
        }
        object(vec![
            ("Command", json!(super::printf::go_quote(&command))),
            ("CreatedAt", json!(go_time_string(self.created, 0))),
            ("ID", json!(if trunc { truncate_id(&self.id) } else { self.id.clone() })),
            ("Image", json!(self.display_image(trunc))),
            ("Labels", json!(labels_text(&self.labels))),
            ("LocalVolumes", json!(self.mounts.iter().filter(|m| m.driver == "local").count().to_string())),
            ("Mounts", json!(mounts.join(","))),
            ("Names", json!(names)),
            ("Networks", json!(self.networks.join(","))),
            ("Platform", Value::Null),
            ("Ports", json!(displayable_ports(&self.ports))),
            ("RunningFor", json!(since(self.created, now))),
            ("Size", json!(size)),
            ("State", json!(self.state)),
            ("Status", json!(self.status)),
        ])
    }

    fn display_image(&self, trunc: bool) -> String {
        if self.image.is_empty() {
            return "<no image>".into();
        }
        if !trunc {
            return self.image.clone();
        }
        if !self.image_id.is_empty() && truncate_id(&self.image_id) == truncate_id(&self.image) {
            return truncate_id(&self.image);
        }
        // The familiar name: no default registry or library prefix, no digest.
        let name = self.image.split_once('@').map_or(self.image.as_str(), |(n, _)| n);
        let name = name.strip_prefix("docker.io/").unwrap_or(name);
        name.strip_prefix("library/").unwrap_or(name).to_string()
    }
}

/// One row of `docker images` (an image has one row per repository and tag).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageRow {
    /// `sha256:…`
    pub id: String,
    /// `<none>` for dangling images.
    pub repository: String,
    pub tag: String,
    /// `<none>` when unknown.
    pub digest: String,
    pub created: i64,
    pub size: i64,
    /// -1 when unknown (N/A).
    pub containers: i64,
    /// -1 when unknown (N/A).
    pub shared_size: i64,
}

impl ImageRow {
    #[must_use]
    pub fn to_value(&self, trunc: bool, now: SystemTime) -> Value {
        let na = |n: i64, f: &dyn Fn() -> String| if n == -1 { "N/A".to_string() } else { f() };
        object(vec![
            ("Containers", json!(na(self.containers, &|| self.containers.to_string()))),
            ("CreatedAt", json!(go_time_string(self.created, 0))),
            ("CreatedSince", json!(since(self.created, now))),
            ("Digest", json!(self.digest)),
            ("ID", json!(if trunc { truncate_id(&self.id) } else { self.id.clone() })),
            ("Repository", json!(self.repository)),
            ("SharedSize", json!(na(self.shared_size, &|| human_size(self.shared_size as f64)))),
            ("Size", json!(human_size_with_precision(self.size as f64, 3))),
            ("Tag", json!(self.tag)),
            ("UniqueSize", json!(na(self.shared_size, &|| human_size((self.size - self.shared_size) as f64)))),
            ("VirtualSize", json!(human_size(self.size as f64))),
        ])
    }
}

/// One row of `docker volume ls`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeRow {
    pub driver: String,
    pub name: String,
    pub scope: String,
    pub mountpoint: String,
    pub labels: Vec<(String, String)>,
    /// Reference count and size, known only from `docker system df -v`.
    pub links: Option<i64>,
    pub size: Option<i64>,
}

impl VolumeRow {
    #[must_use]
    pub fn to_value(&self) -> Value {
        object(vec![
            ("Availability", json!("N/A")),
            ("Driver", json!(self.driver)),
            ("Group", json!("N/A")),
            ("Labels", json!(labels_text(&self.labels))),
            ("Links", json!(self.links.map_or_else(|| "N/A".to_string(), |n| n.to_string()))),
            ("Mountpoint", json!(self.mountpoint)),
            ("Name", json!(self.name)),
            ("Scope", json!(self.scope)),
            ("Size", json!(self.size.map_or_else(|| "N/A".to_string(), |n| human_size(n as f64)))),
            ("Status", json!("N/A")),
        ])
    }
}

/// One row of `docker network ls`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkRow {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    pub ipv4: bool,
    pub ipv6: bool,
    pub internal: bool,
    pub labels: Vec<(String, String)>,
    /// Creation time: Unix seconds and nanoseconds.
    pub created: i64,
    pub created_nanos: u32,
}

impl NetworkRow {
    #[must_use]
    pub fn to_value(&self, trunc: bool) -> Value {
        object(vec![
            ("CreatedAt", json!(go_time_string(self.created, self.created_nanos))),
            ("Driver", json!(self.driver)),
            ("ID", json!(if trunc { truncate_id(&self.id) } else { self.id.clone() })),
            ("IPv4", json!(self.ipv4.to_string())),
            ("IPv6", json!(self.ipv6.to_string())),
            ("Internal", json!(self.internal.to_string())),
            ("Labels", json!(labels_text(&self.labels))),
            ("Name", json!(self.name)),
            ("Scope", json!(self.scope)),
        ])
    }
}

/// One layer of `docker history`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryRow {
    /// `sha256:…`, or `<missing>` for layers built elsewhere.
    pub id: String,
    pub created: i64,
    pub created_by: String,
    pub size: i64,
    pub comment: String,
}

impl HistoryRow {
    #[must_use]
    pub fn to_value(&self, trunc: bool, human: bool, now: SystemTime) -> Value {
        let created_at = rfc3339(self.created);
        let created_by = self.created_by.replace('\t', " ");
        object(vec![
            ("Comment", json!(self.comment)),
            ("CreatedAt", json!(created_at)),
            ("CreatedBy", json!(if trunc { ellipsis(&created_by, 45) } else { created_by })),
            ("CreatedSince", json!(if human { since(self.created, now) } else { created_at.clone() })),
            ("ID", json!(if trunc { truncate_id(&self.id) } else { self.id.clone() })),
            ("Size", json!(if human { human_size_with_precision(self.size as f64, 3) } else { self.size.to_string() })),
        ])
    }
}

/// A published port of a container, as `docker port` reads it from the inspect data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortBinding {
    /// `80/tcp`
    pub container_port: String,
    pub host_ip: String,
    pub host_port: String,
}

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`: the output lines (with a final newline, or empty), or the error
/// text Docker prints.
pub fn port_lines(container: &str, bindings: &[PortBinding], filter: Option<&str>) -> Result<String, String> {
    let host = |b: &PortBinding| {
        if b.host_ip.contains(':') {
            format!("[{}]:{}", b.host_ip, b.host_port)
        } else {
            format!("{}:{}", b.host_ip, b.host_port)
        }
    };
    let mut out: Vec<String> = match filter {
        Some(f) => {
            let (port, proto) = f.split_once('/').unwrap_or((f, ""));
            let proto = if proto.is_empty() { "tcp" } else { proto };
            if port.parse::<u16>().is_err() {
                let why = if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
                    "value out of range"
                } else {
                    "invalid syntax"
                };
                return Err(format!(
                    "Error: invalid port ({port}): strconv.ParseUint: parsing {}: {why}",
                    super::printf::go_quote(port)
                ));
            }
            let key = format!("{port}/{proto}");
            let lines: Vec<String> = bindings.iter().filter(|b| b.container_port == key).map(host).collect();
            if lines.is_empty() {
                return Err(format!("Error: No public port '{f}' published for {container}"));
            }
            lines
        }
        None => bindings.iter().map(|b| format!("{} -> {}", b.container_port, host(b))).collect(),
    };
    if out.is_empty() {
        return Ok(String::new());
    }
    out.sort_by(|a, b| natural_less(a, b));
    Ok(out.join("\n") + "\n")
}
