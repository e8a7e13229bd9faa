//! `docker run` and `docker create` options turned into a create request, with the CLI's own checks and
//! messages: `-v` specs (`invalid spec: …`), `--mount` fields, `-p` specs (`invalid containerPort: …`),
//! `--env-file`, `-a`, `--pull`.

use std::net::IpAddr;
use std::path::Path;

use super::{args, value};
use crate::dockercli::Invocation;
use crate::engine::MountKind;
use crate::engine::sim::containers::{CreateRequest, MountOrigin, MountRequest};
use crate::engine::sim::state::PortBinding;

/// What went wrong while reading the options, as the CLI reports it.
#[derive(Debug, PartialEq, Eq)]
pub enum OptionError {
    /// `docker: MESSAGE` then `Run 'docker run --help' …`, status 125.
    Parse(String),
    /// A flag value pflag rejects: `invalid argument "V" for "FLAG" flag: WHY`, then the usage, status 125.
    Flag { name: &'static str, given: String, why: String },
}

/// `--pull`: when to pull the image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pull {
    Missing,
    Always,
    Never,
}

/// The options of `docker run` and `docker create`.
pub struct RunOptions {
    pub request: CreateRequest,
    pub detach: bool,
    pub pull: Pull,
    pub quiet: bool,
    /// A `--mount type=` the daemon does not know: it refuses the container with
    /// `invalid mount config for type "T": mount type unknown`.
    pub unknown_mount_type: Option<String>,
    /// What the CLI warns about on stderr before it creates the container (published ports on `host`).
    pub warnings: Vec<String>,
}

/// A `--mount` value read.
enum Parsed {
    Mount(MountRequest),
    UnknownType(String),
}

/// Reads the options; `run` says whether this is `docker run` (which can detach).
pub fn parse(inv: &Invocation, run: bool) -> Result<RunOptions, OptionError> {
    let positional = args(inv);
    let image = positional.first().map_or("", |s| *s).to_string();
    let cmd: Vec<String> = positional.iter().skip(1).map(|s| (*s).to_string()).collect();
    let interactive = inv.has("interactive");
    let detach = run && inv.has("detach");

    let mut attach = [false; 3];
    for f in inv.flags_named("attach") {
        let v = f.value.clone().unwrap_or_default();
        match v.to_ascii_lowercase().as_str() {
            "stdin" => attach[0] = true,
            "stdout" => attach[1] = true,
            "stderr" => attach[2] = true,
            _ => {
                return Err(OptionError::Flag {
                    name: "attach",
                    given: v,
                    why: "valid streams are STDIN, STDOUT and STDERR".into(),
                });
            }
        }
    }
    if interactive {
        attach[0] = true;
    }
    if !attach[1] && !attach[2] && inv.flag("attach").is_none() {
        attach[1] = true;
        attach[2] = true;
    }
    if detach {
        attach = [false; 3];
    }

    let pull = match value(inv, "pull") {
        None | Some("missing" | "") => Pull::Missing,
        Some("always") => Pull::Always,
        Some("never") => Pull::Never,
        Some(other) => {
            return Err(OptionError::Parse(format!(
                "invalid pull option: '{other}': must be one of \"always\", \"missing\" or \"never\""
            )));
        }
    };

    let mut env = Vec::new();
    for f in inv.flags_named("env-file") {
        let file = f.value.clone().unwrap_or_default();
        env.extend(read_env_file(&file)?);
    }
    for f in inv.flags_named("env") {
        env.extend(env_value(f.value.as_deref().unwrap_or("")));
    }

    let mut labels = crate::engine::Labels::new();
    for f in inv.flags_named("label") {
        let v = f.value.clone().unwrap_or_default();
        let (k, val) = v.split_once('=').map_or((v.clone(), String::new()), |(k, x)| (k.to_string(), x.to_string()));
        labels.insert(k, val);
    }

    let mut mounts = Vec::new();
    for f in inv.flags_named("volume") {
        mounts.push(parse_volume(f.value.as_deref().unwrap_or(""))?);
    }
    let mut unknown_mount_type = None;
    for f in inv.flags_named("mount") {
        let v = f.value.clone().unwrap_or_default();
        match parse_mount(&v).map_err(|why| OptionError::Flag { name: "mount", given: v.clone(), why })? {
            Parsed::Mount(m) => mounts.push(m),
            Parsed::UnknownType(t) => unknown_mount_type = unknown_mount_type.or(Some(t)),
        }
    }
    for f in inv.flags_named("tmpfs") {
        let v = f.value.clone().unwrap_or_default();
        let target = v.split_once(':').map_or(v.as_str(), |(t, _)| t).to_string();
        mounts.push(MountRequest {
            kind: MountKind::Tmpfs,
            source: String::new(),
            target,
            read_only: false,
            origin: MountOrigin::Mount,
        });
    }

    let mut ports = Vec::new();
    for f in inv.flags_named("publish") {
        ports.extend(parse_publish(f.value.as_deref().unwrap_or("")).map_err(OptionError::Parse)?);
    }
    let mut expose = Vec::new();
    for f in inv.flags_named("expose") {
        let v = f.value.clone().unwrap_or_default();
        let (port, proto) = v.split_once('/').unwrap_or((&v, "tcp"));
        for p in port_range(port).ok_or_else(|| {
            OptionError::Parse(format!("invalid range format for --expose: {v}, error: invalid syntax"))
        })? {
            expose.push(format!("{p}/{proto}"));
        }
    }

    // The CLI's own checks of the network options (`parseNetworkOpts`): aliases need a user-defined network, and
    // the host's network stack has no ports to publish.
    let network = value(inv, "network").map(str::to_string);
    let mode = network.as_deref().unwrap_or("default");
    let user_defined = !matches!(mode, "default" | "bridge" | "host" | "none") && !mode.starts_with("container:");
    let network_aliases: Vec<String> = inv.flags_named("network-alias").filter_map(|f| f.value.clone()).collect();
    if !network_aliases.is_empty() && !user_defined {
        return Err(OptionError::Parse("network-scoped aliases are only supported for user-defined networks".into()));
    }
    let mut warnings = Vec::new();
    if mode == "host" && !ports.is_empty() {
        warnings.push("WARNING: Published ports are discarded when using host network mode".to_string());
    }

    let entrypoint = inv.flag("entrypoint").map(|f| {
        let v = f.value.clone().unwrap_or_default();
        if v.is_empty() { Vec::new() } else { vec![v] }
    });

    let request = CreateRequest {
        image,
        name: value(inv, "name").map(str::to_string),
        cmd,
        entrypoint,
        env,
        labels,
        mounts,
        ports,
        expose,
        publish_all: inv.has("publish-all"),
        network,
        network_aliases,
        ip: value(inv, "ip").map(str::to_string),
        auto_remove: inv.has("rm"),
        tty: inv.has("tty"),
        open_stdin: interactive,
        attach,
        working_dir: value(inv, "workdir").map(str::to_string),
        user: value(inv, "user").map(str::to_string),
        hostname: value(inv, "hostname").map(str::to_string),
        stop_signal: value(inv, "stop-signal").map(str::to_string),
    };
    Ok(RunOptions { request, detach, pull, quiet: inv.has("quiet"), unknown_mount_type, warnings })
}

/// `-e NAME=value`, or `-e NAME` for the variable's value in the environment docker runs in (left out when it
/// is not set there).
fn env_value(v: &str) -> Option<String> {
    if v.contains('=') {
        return Some(v.to_string());
    }
    std::env::var(v).ok().map(|x| format!("{v}={x}"))
}

/// `--env-file`: one variable a line; blank lines and `#` comments skipped.
fn read_env_file(file: &str) -> Result<Vec<String>, OptionError> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        OptionError::Parse(format!("open {file}: {why}"))
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, _) = line.split_once('=').unwrap_or((line, ""));
        if name.is_empty() {
            return Err(OptionError::Parse(format!("invalid environment variable: {line}")));
        }
        if name.contains(char::is_whitespace) {
            return Err(OptionError::Parse(format!(
                "variable '{name}' contains whitespaces (line {} of {file})",
                n + 1
            )));
        }
        out.extend(env_value(line));
    }
    Ok(out)
}

/// Whether a `-v` source is a host path (the compose loader's rule) rather than a volume name.
fn is_path(source: &str) -> bool {
    source.starts_with('/') || source.starts_with('.') || source.starts_with('~')
}

/// `-v SPEC`: `/path` (anonymous), `name:/path[:mode]`, `/host:/path[:mode]`, `./rel:/path`.
fn parse_volume(spec: &str) -> Result<MountRequest, OptionError> {
    let parts: Vec<&str> = spec.split(':').collect();
    if parts.len() > 3 {
        return Err(OptionError::Parse(format!("invalid spec: {spec}: too many colons")));
    }
    if parts.iter().any(|p| p.is_empty()) {
        return Err(OptionError::Parse(format!("invalid spec: {spec}: empty section between colons")));
    }
    if parts.len() == 1 {
        return Ok(MountRequest {
            kind: MountKind::Volume,
            source: String::new(),
            target: spec.to_string(),
            read_only: false,
            origin: MountOrigin::Anonymous,
        });
    }
    let source = parts[0];
    let target = parts[1].to_string();
    let mode = parts.get(2).map_or("", |m| *m).to_string();
    let read_only = mode.split(',').any(|m| m == "ro");
    if is_path(source) {
        let host = if source.starts_with('/') {
            source.to_string()
        } else {
            std::path::absolute(Path::new(source)).map_or_else(|_| source.to_string(), |p| p.display().to_string())
        };
        let host = host.strip_suffix("/.").unwrap_or(&host).to_string();
        let written = if source == host { spec.to_string() } else { format!("{host}:{}", &spec[source.len() + 1..]) };
        return Ok(MountRequest {
            kind: MountKind::Bind,
            source: host,
            target,
            read_only,
            origin: MountOrigin::Volume { spec: written, mode },
        });
    }
    Ok(MountRequest {
        kind: MountKind::Volume,
        source: source.to_string(),
        target,
        read_only,
        origin: MountOrigin::Volume { spec: spec.to_string(), mode },
    })
}

/// `--mount type=…,source=…,target=…,readonly`: the CLI's `MountOpt.Set`. The error is the flag error's reason.
fn parse_mount(value: &str) -> Result<Parsed, String> {
    let mut kind = None;
    let mut source = String::new();
    let mut target = None;
    let mut read_only = false;
    for field in value.split(',') {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.trim())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        let bool_value = |v: Option<&str>| -> Result<bool, String> {
            match v {
                None => Ok(true),
                Some(v) => match v.to_ascii_lowercase().as_str() {
                    "1" | "true" => Ok(true),
                    "0" | "false" => Ok(false),
                    _ => Err(format!("invalid value for {key}: {v}")),
                },
            }
        };
        match key.as_str() {
            "readonly" | "ro" => read_only = bool_value(val)?,
            "volume-nocopy" | "bind-nonrecursive" => {
                bool_value(val)?;
            }
            _ if val.is_none() => return Err(format!("invalid field '{field}' must be a key=value pair")),
            "type" => kind = val.map(str::to_string),
            "source" | "src" => source = val.unwrap_or_default().to_string(),
            "target" | "dst" | "destination" => target = val.map(str::to_string),
            "bind-propagation" | "consistency" | "volume-driver" | "volume-label" | "volume-opt" | "tmpfs-size"
            | "tmpfs-mode" | "bind-recursive" | "volume-subpath" | "image-subpath" => {}
            _ => return Err(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    let Some(target) = target else { return Err("target is required".to_string()) };
    let kind = match kind.as_deref().unwrap_or("volume") {
        "volume" => MountKind::Volume,
        "bind" => MountKind::Bind,
        "tmpfs" => MountKind::Tmpfs,
        other => return Ok(Parsed::UnknownType(other.to_string())),
    };
    Ok(Parsed::Mount(MountRequest { kind, source, target, read_only, origin: MountOrigin::Mount }))
}

/// `80` or `8000-8002`.
fn port_range(text: &str) -> Option<Vec<u16>> {
    let (lo, hi) = text.split_once('-').unwrap_or((text, text));
    let (lo, hi) = (lo.parse::<u16>().ok()?, hi.parse::<u16>().ok()?);
    (lo <= hi).then(|| (lo..=hi).collect())
}

/// `-p [IP:][HOST:]CONTAINER[/PROTO]` as go-connections' `ParsePortSpec` reads it.
fn parse_publish(spec: &str) -> Result<Vec<PortBinding>, String> {
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p.to_ascii_lowercase()),
        None => (spec, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    // An IPv6 address is bracketed: `[::1]:8080:80`.
    let (ip, rest) = if let Some(r) = rest.strip_prefix('[') {
        let (ip, after) = r.split_once(']').ok_or_else(|| format!("invalid IP address: {rest}"))?;
        (ip.to_string(), after.strip_prefix(':').unwrap_or(after).to_string())
    } else {
        match rest.matches(':').count() {
            0 | 1 => (String::new(), rest.to_string()),
            _ => {
                let (ip, r) = rest.split_once(':').unwrap_or_default();
                (ip.to_string(), r.to_string())
            }
        }
    };
    if !ip.is_empty() && ip.parse::<IpAddr>().is_err() {
        return Err(format!("invalid IP address: {ip}"));
    }
    let (host, container) = rest.rsplit_once(':').map_or(("", rest.as_str()), |(h, c)| (h, c));
    let container_ports = port_range(container).ok_or_else(|| format!("invalid containerPort: {container}"))?;
    let host_ports: Vec<String> = if host.is_empty() {
        vec![String::new(); container_ports.len()]
    } else {
        let hp = port_range(host).ok_or_else(|| format!("invalid hostPort: {host}"))?;
        if hp.len() != container_ports.len() && hp.len() != 1 {
            return Err(format!("invalid ranges specified for container and host Ports: {container} and {host}"));
        }
        if hp.len() == 1 && container_ports.len() > 1 {
            vec![hp[0].to_string(); container_ports.len()]
        } else {
            hp.iter().map(ToString::to_string).collect()
        }
    };
    Ok(container_ports
        .into_iter()
        .zip(host_ports)
        .map(|(c, h)| PortBinding { container_port: format!("{c}/{proto}"), host_ip: ip.clone(), host_port: h })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_specs_read_as_the_cli_reads_them() {
        let v = parse_volume("data:/data:ro").unwrap();
        assert_eq!(
            (v.kind, v.source.as_str(), v.target.as_str(), v.read_only),
            (MountKind::Volume, "data", "/data", true)
        );
        let b = parse_volume("/host:/in").unwrap();
        assert_eq!((b.kind, b.source.as_str()), (MountKind::Bind, "/host"));
        assert_eq!(parse_volume("/anon").unwrap().origin, MountOrigin::Anonymous);
        assert_eq!(
            parse_volume("a:/b:ro:x").unwrap_err(),
            OptionError::Parse("invalid spec: a:/b:ro:x: too many colons".into())
        );
        assert_eq!(
            parse_volume(":/data").unwrap_err(),
            OptionError::Parse("invalid spec: :/data: empty section between colons".into())
        );
    }

    #[test]
    fn mount_fields_read_as_the_cli_reads_them() {
        let Parsed::Mount(m) = parse_mount("type=bind,source=/h,target=/b,readonly").unwrap() else { panic!() };
        assert_eq!((m.kind, m.source.as_str(), m.target.as_str(), m.read_only), (MountKind::Bind, "/h", "/b", true));
        assert!(matches!(parse_mount("type=bogus,target=/x"), Ok(Parsed::UnknownType(t)) if t == "bogus"));
        assert_eq!(parse_mount("source=x").err().unwrap(), "target is required");
        assert_eq!(parse_mount("garbage").err().unwrap(), "invalid field 'garbage' must be a key=value pair");
        assert_eq!(parse_mount("target=/x,bogus=1").err().unwrap(), "unexpected key 'bogus' in 'bogus=1'");
        assert_eq!(parse_mount("target=/x,readonly=maybe").err().unwrap(), "invalid value for readonly: maybe");
    }

    #[test]
    fn publish_specs_read_as_docker_reads_them() {
        let p = parse_publish("127.0.0.1:8081:81/udp").unwrap();
        assert_eq!(
            p[0],
            PortBinding { container_port: "81/udp".into(), host_ip: "127.0.0.1".into(), host_port: "8081".into() }
        );
        assert_eq!(parse_publish("80").unwrap()[0].host_port, "");
        assert_eq!(parse_publish("99999:80").unwrap_err(), "invalid hostPort: 99999");
        assert_eq!(parse_publish("abc").unwrap_err(), "invalid containerPort: abc");
        assert_eq!(parse_publish("8080:80/bogus").unwrap_err(), "invalid proto: bogus");
        assert_eq!(parse_publish("1.2.3:80:80").unwrap_err(), "invalid IP address: 1.2.3");
        assert_eq!(parse_publish("8000-8001:80-81").unwrap().len(), 2);
    }
}
