//! The small conversions behind Docker's columns: go-units durations and sizes, ID truncation, ellipsis, Go's
//! time layouts (in UTC), container status text and port lists.

use std::cmp::Ordering;
use std::net::IpAddr;
use std::time::Duration;

use unicode_width::UnicodeWidthChar;

/// go-units `HumanDuration`: "Less than a second", "About a minute", "3 hours", "2 weeks", …
#[must_use]
pub fn human_duration(d: Duration) -> String {
    let seconds = d.as_secs();
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = (d.as_secs_f64() / 3600.0 + 0.5) as u64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", seconds / 3600 / 24 / 365)
}

/// go-units `HumanSizeWithPrecision`: decimal units and `precision` significant digits ("1.99MB", "0B").
#[must_use]
pub fn human_size_with_precision(size: f64, precision: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = size;
    let mut i = 0;
    while size >= 1000.0 && i < UNITS.len() - 1 {
        size /= 1000.0;
        i += 1;
    }
    format!("{}{}", super::printf::format_float(size, 'g', Some(precision)), UNITS[i])
}

/// go-units `HumanSize`: four significant digits ("1.985MB").
#[must_use]
pub fn human_size(size: f64) -> String {
    human_size_with_precision(size, 4)
}

/// Docker's `TruncateID`: drops an algorithm prefix (`sha256:`) and keeps 12 characters.
#[must_use]
pub fn truncate_id(id: &str) -> String {
    let id = id.split_once(':').map_or(id, |(_, rest)| rest);
    id.chars().take(12).collect()
}

/// Docker's `Ellipsis`: fits `s` into `max` display columns, ending with `…` when cut.
#[must_use]
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let chars: Vec<char> = s.chars().collect();
    if max == 1 {
        return chars.first().map(ToString::to_string).unwrap_or_default();
    }
    let width = |c: char| if c.width().unwrap_or(1) == 2 { 2 } else { 1 };
    let total: usize = chars.iter().map(|&c| width(c)).sum();
    if total <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for &c in &chars {
        if used + width(c) > max - 1 {
            break;
        }
        used += width(c);
        out.push(c);
    }
    out.push('…');
    out
}

/// A civil date and time in UTC from Unix seconds (Howard Hinnant's days-from-civil, inverted).
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

/// Go's `time.Time.String()` in UTC: `2026-11-28 18:31:22 +0000 UTC`, with trailing-zero-free nanoseconds.
#[must_use]
pub fn go_time_string(secs: i64, nanos: u32) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    let frac = if nanos == 0 { String::new() } else { format!(".{nanos:09}").trim_end_matches('0').to_string() };
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}{frac} +0000 UTC")
}

/// RFC 3339 in UTC without fractions, as `docker history` prints CreatedAt.
#[must_use]
pub fn rfc3339(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// What the daemon knows about a container's state, for its STATUS text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerState {
    pub running: bool,
    pub paused: bool,
    pub restarting: bool,
    pub removal_in_progress: bool,
    pub dead: bool,
    pub exit_code: i64,
    /// Time since the container started; `None` if it never started.
    pub since_started: Option<Duration>,
    /// Time since it finished; `None` if it never finished.
    pub since_finished: Option<Duration>,
    /// "healthy", "unhealthy" or "starting" when the container has a health check.
    pub health: Option<String>,
}

/// The daemon's status text: "Up 3 seconds", "Exited (0) 5 minutes ago", "Created", …
#[must_use]
pub fn container_status(s: &ContainerState) -> String {
    let ago = |d: Option<Duration>| human_duration(d.unwrap_or_default());
    if s.running {
        if s.paused {
            return format!("Up {} (Paused)", ago(s.since_started));
        }
        if s.restarting {
            return format!("Restarting ({}) {} ago", s.exit_code, ago(s.since_finished));
        }
        if let Some(h) = &s.health {
            let h = if h == "starting" { "health: starting" } else { h };
            return format!("Up {} ({h})", ago(s.since_started));
        }
        return format!("Up {}", ago(s.since_started));
    }
    if s.removal_in_progress {
        return "Removal In Progress".into();
    }
    if s.dead {
        return "Dead".into();
    }
    if s.since_started.is_none() {
        return "Created".into();
    }
    match s.since_finished {
        None => String::new(),
        Some(d) => format!("Exited ({}) {} ago", s.exit_code, human_duration(d)),
    }
}

/// One entry of a container's port list, as `docker ps` receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortSummary {
    /// The host address of a published port; `None` for an exposed, unpublished port.
    pub ip: Option<IpAddr>,
    pub private_port: u16,
    pub public_port: u16,
    /// "tcp", "udp" or "sctp".
    pub proto: String,
}

/// Go's `net.JoinHostPort`.
fn join_host_port(host: &str, port: &str) -> String {
    if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") }
}

fn ip_less(a: Option<&IpAddr>, b: Option<&IpAddr>) -> Ordering {
    // netip.Addr order: the zero address, then IPv4, then IPv6.
    let rank = |ip: Option<&IpAddr>| match ip {
        None => 0,
        Some(IpAddr::V4(_)) => 1,
        Some(IpAddr::V6(_)) => 2,
    };
    rank(a).cmp(&rank(b)).then_with(|| a.cmp(&b))
}

/// Docker's `DisplayablePorts`: "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp", ranges grouped ("8000-8002/tcp").
#[must_use]
pub fn displayable_ports(ports: &[PortSummary]) -> String {
    let mut ports = ports.to_vec();
    ports.sort_by(|a, b| {
        a.private_port
            .cmp(&b.private_port)
            .then_with(|| ip_less(a.ip.as_ref(), b.ip.as_ref()))
            .then_with(|| a.public_port.cmp(&b.public_port))
            .then_with(|| a.proto.cmp(&b.proto))
    });
    let mut groups: Vec<(String, u16, u16)> = Vec::new();
    let mut result = Vec::new();
    let mut host_mappings = Vec::new();
    for p in &ports {
        let current = p.private_port;
        let mut key = p.proto.clone();
        if let Some(ip) = &p.ip {
            if p.public_port != current {
                let host = join_host_port(&ip.to_string(), &p.public_port.to_string());
                host_mappings.push(format!("{host}->{}/{}", p.private_port, p.proto));
                continue;
            }
            key = format!("{ip}/{}", p.proto);
        }
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            None => groups.push((key, current, current)),
            Some(g) if current == g.2.wrapping_add(1) => g.2 = current,
            Some(g) => {
                result.push(form_group(&g.0, g.1, g.2));
                *g = (key, current, current);
            }
        }
    }
    result.extend(groups.iter().map(|(k, a, b)| form_group(k, *a, *b)));
    result.extend(host_mappings);
    result.join(", ")
}

fn form_group(key: &str, first: u16, last: u16) -> String {
    let (ip, proto) = key.rsplit_once('/').map_or(("", key), |(ip, proto)| (ip, proto));
    let mut group = first.to_string();
    if first != last {
        group = format!("{group}-{last}");
    }
    if !ip.is_empty() {
        group = format!("{}->{group}", join_host_port(ip, &group));
    }
    format!("{group}/{proto}")
}

/// fvbommel/sortorder's natural order: digit runs compare as numbers (how the CLI sorts volume and label lists).
#[must_use]
pub fn natural_less(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (ca, cb) = (a[i], b[j]);
        if ca.is_ascii_digit() && cb.is_ascii_digit() {
            let si = i;
            while i < a.len() && a[i] == b'0' {
                i += 1;
            }
            let sj = j;
            while j < b.len() && b[j] == b'0' {
                j += 1;
            }
            let (ni, nj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (da, db) = (&a[ni..i], &b[nj..j]);
            let ord = da.len().cmp(&db.len()).then_with(|| da.cmp(db)).then_with(|| (ni - si).cmp(&(nj - sj)));
            if ord != Ordering::Equal {
                return ord;
            }
            continue;
        }
        if ca != cb {
            return ca.cmp(&cb);
        }
        i += 1;
        j += 1;
    }
    (a.len() - i).cmp(&(b.len() - j))
}
