//! Finding the engine: `--host`/`DOCKER_HOST`, else the docker context, else the default socket, else Podman's
//! sockets. Each candidate gets a short ping; the first that answers wins, and when none does the error lists
//! every candidate with the reason it failed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::errors::Error as BollardError;
use bollard::{API_DEFAULT_VERSION, ClientVersion, Docker};
use sha2::{Digest, Sha256};

use super::RealEngine;
use crate::engine::{EngineError, Result, Timeouts};

/// How long a candidate has to answer the ping.
const PING_TIMEOUT: Duration = Duration::from_secs(3);
const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// Where to look for an engine, and how the engine behaves once found.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// `unix:///path`, `tcp://host:port` (TLS when `DOCKER_TLS_VERIFY` is set) or `https://host:port`.
    pub docker_host: Option<String>,
    /// A docker context name; `default` means the default socket.
    pub context: Option<String>,
    pub timeouts: Timeouts,
    /// When set, everything the engine creates is labelled as this lesson's (see `ownership`).
    pub owner: Option<String>,
}

impl ConnectOptions {
    /// The options the environment gives: `DOCKER_HOST` and `DOCKER_CONTEXT` (empty values count as unset).
    /// `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH` are read when a TCP endpoint is connected, as the docker CLI
    /// does, so they apply to a `--host` given on the command line too.
    #[must_use]
    pub fn from_env() -> ConnectOptions {
        ConnectOptions {
            docker_host: env_nonempty("DOCKER_HOST"),
            context: env_nonempty("DOCKER_CONTEXT"),
            timeouts: Timeouts::default(),
            owner: None,
        }
    }
}

fn env_nonempty(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Client certificates for a TLS endpoint.
#[derive(Clone, Debug)]
struct TlsFiles {
    dir: PathBuf,
}

/// One place an engine may answer.
#[derive(Clone, Debug)]
struct Candidate {
    /// The endpoint as a URL, for messages and `describe`.
    endpoint: String,
    /// Where it came from when that is not obvious: `context desktop-linux`.
    origin: Option<String>,
    address: Address,
}

#[derive(Clone, Debug)]
enum Address {
    Unix(PathBuf),
    Tcp {
        addr: String,
        tls: Option<TlsFiles>,
    },
    /// An address docklings cannot use, with the reason.
    Unusable(String),
}

impl Candidate {
    fn label(&self) -> String {
        match &self.origin {
            Some(origin) => format!("{} ({origin})", self.endpoint),
            None => self.endpoint.clone(),
        }
    }
}

/// Connects to the first engine that answers.
pub fn connect(options: &ConnectOptions) -> Result<RealEngine> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(EngineError::Local(
            "the real engine was created inside an async runtime; create it on a plain thread".to_string(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| EngineError::Local(format!("cannot start the engine's runtime: {e}")))?;
    let client_timeout = options.timeouts.call.max(options.timeouts.long).as_secs() + 1;
    let mut tried = Vec::new();
    for candidate in candidates(options) {
        match runtime.block_on(probe(&candidate, client_timeout)) {
            Ok((docker, version)) => {
                return Ok(RealEngine {
                    docker,
                    runtime,
                    endpoint: candidate.endpoint,
                    product: product(&version),
                    timeouts: options.timeouts,
                    owner: options.owner.clone(),
                });
            }
            Err(reason) => tried.push(format!("{} ({reason})", candidate.label())),
        }
    }
    Err(EngineError::Unreachable { tried })
}

/// `Docker 20.10.24` or `Podman 4.9.3`: the product and its version without build metadata.
fn product(v: &bollard::models::SystemVersion) -> String {
    let version = v.version.as_deref().unwrap_or("unknown");
    let version = version.split('+').next().unwrap_or(version);
    let podman = v.components.iter().flatten().any(|c| c.name.to_ascii_lowercase().contains("podman"));
    format!("{} {version}", if podman { "Podman" } else { "Docker" })
}

/// The candidates in the order they are tried.
fn candidates(options: &ConnectOptions) -> Vec<Candidate> {
    candidates_in(options, docker_config_dir().as_deref(), podman_sockets())
}

fn candidates_in(options: &ConnectOptions, config_dir: Option<&Path>, podman: Vec<PathBuf>) -> Vec<Candidate> {
    if let Some(host) = &options.docker_host {
        return vec![from_host(host, None)];
    }
    let explicit = options.context.as_deref().filter(|c| *c != "default");
    if let Some(name) = explicit {
        // A context asked for by name is the only candidate, as with `docker --context`.
        return vec![from_context(config_dir, name)];
    }
    let mut out = Vec::new();
    if options.context.is_none()
        && let Some(name) = config_dir.and_then(current_context).filter(|c| c != "default")
    {
        out.push(from_context(config_dir, &name));
    }
    out.push(unix(PathBuf::from(DEFAULT_SOCKET), None));
    for path in podman {
        if !out.iter().any(|c| matches!(&c.address, Address::Unix(p) if *p == path)) {
            out.push(unix(path, Some("Podman".to_string())));
        }
    }
    out
}

fn unix(path: PathBuf, origin: Option<String>) -> Candidate {
    Candidate { endpoint: format!("unix://{}", path.display()), origin, address: Address::Unix(path) }
}

/// A candidate from a `DOCKER_HOST`-style address.
/// `context` names the docker context the address came from, with the context's TLS material; without one,
/// TLS comes from the environment.
fn from_host(host: &str, context: Option<(&str, Option<&TlsFiles>)>) -> Candidate {
    let host = host.trim();
    let origin = context.map(|(name, _)| format!("context {name}"));
    let (scheme, rest) = host.split_once("://").unwrap_or(("", host));
    let unusable = |why: &str| Candidate {
        endpoint: host.to_string(),
        origin: origin.clone(),
        address: Address::Unusable(why.to_string()),
    };
    match scheme {
        "unix" => unix(PathBuf::from(rest), origin.clone()),
        "tcp" | "http" | "https" => {
            let tls = match context {
                Some((_, tls)) => tls.cloned(),
                None => env_tls(),
            };
            let tls = if scheme == "https" && tls.is_none() { Some(TlsFiles { dir: env_cert_dir() }) } else { tls };
            let rest = rest.trim_end_matches('/');
            if rest.is_empty() {
                return unusable("no host in the address");
            }
            // Docker's default ports: 2376 with TLS, 2375 without.
            let has_port = rest.rsplit_once(':').is_some_and(|(_, p)| p.chars().all(|c| c.is_ascii_digit()));
            let addr =
                if has_port { rest.to_string() } else { format!("{rest}:{}", if tls.is_some() { 2376 } else { 2375 }) };
            Candidate { endpoint: format!("tcp://{addr}"), origin, address: Address::Tcp { addr, tls } }
        }
        "ssh" => unusable("ssh:// endpoints are not supported; forward the socket or use a tcp:// or unix:// endpoint"),
        "npipe" => unusable("named pipes are Windows-only"),
        _ => unusable("not an address docklings understands; use unix:///path or tcp://host:port"),
    }
}

/// TLS for a TCP endpoint as the docker CLI reads it from the environment.
fn env_tls() -> Option<TlsFiles> {
    env_nonempty("DOCKER_TLS_VERIFY").map(|_| TlsFiles { dir: env_cert_dir() })
}

fn env_cert_dir() -> PathBuf {
    env_nonempty("DOCKER_CERT_PATH")
        .map(PathBuf::from)
        .or_else(docker_config_dir)
        .unwrap_or_else(|| PathBuf::from(".docker"))
}

/// `$DOCKER_CONFIG`, else `~/.docker`.
fn docker_config_dir() -> Option<PathBuf> {
    env_nonempty("DOCKER_CONFIG")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| PathBuf::from(h).join(".docker")))
}

/// `currentContext` in the docker CLI's `config.json`.
fn current_context(config_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(config_dir.join("config.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("currentContext")?.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

fn sha256_hex(text: &str) -> String {
    use std::fmt::Write;
    Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// A candidate from a docker context's metadata (`contexts/meta/<sha256 of the name>/meta.json`), with the
/// context's TLS material when it has some.
fn from_context(config_dir: Option<&Path>, name: &str) -> Candidate {
    let unusable =
        |why: String| Candidate { endpoint: format!("context {name}"), origin: None, address: Address::Unusable(why) };
    let Some(config_dir) = config_dir else {
        return unusable("no home folder to find contexts in".to_string());
    };
    let hash = sha256_hex(name);
    let meta = config_dir.join("contexts").join("meta").join(&hash).join("meta.json");
    let text = match std::fs::read_to_string(&meta) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return unusable(format!("no such context: {} does not exist", meta.display()));
        }
        Err(e) => return unusable(format!("cannot read {}: {e}", meta.display())),
    };
    let host = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.pointer("/Endpoints/docker/Host").and_then(|h| h.as_str()).map(str::to_string));
    let Some(host) = host else {
        return unusable(format!("{} has no Endpoints.docker.Host", meta.display()));
    };
    let tls_dir = config_dir.join("contexts").join("tls").join(&hash).join("docker");
    let tls = tls_dir.join("ca.pem").is_file().then_some(TlsFiles { dir: tls_dir });
    from_host(&host, Some((name, tls.as_ref())))
}

/// Podman's sockets: the user's (`$XDG_RUNTIME_DIR`, `/run/user/$UID`), then the system's.
fn podman_sockets() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = env_nonempty("XDG_RUNTIME_DIR") {
        out.push(PathBuf::from(dir).join("podman/podman.sock"));
    }
    if let Some(uid) = current_uid() {
        let p = PathBuf::from(format!("/run/user/{uid}/podman/podman.sock"));
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out.push(PathBuf::from("/run/podman/podman.sock"));
    out
}

/// The user id this process runs as (the owner of `/proc/self`), without unsafe code.
fn current_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A client for `candidate` speaking API `version`.
fn client(candidate: &Candidate, timeout: u64, version: &ClientVersion) -> std::result::Result<Docker, String> {
    match &candidate.address {
        Address::Unusable(why) => Err(why.clone()),
        Address::Unix(path) => {
            match std::fs::metadata(path) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no such file".to_string()),
                Err(e) => return Err(io_reason(&e)),
            }
            Docker::connect_with_unix(&format!("unix://{}", path.display()), timeout, version)
                .map_err(|e| describe_failure(&e))
        }
        Address::Tcp { addr, tls: None } => {
            Docker::connect_with_http(&format!("tcp://{addr}"), timeout, version).map_err(|e| describe_failure(&e))
        }
        Address::Tcp { addr, tls: Some(tls) } => {
            let [ca, cert, key] = ["ca.pem", "cert.pem", "key.pem"].map(|f| tls.dir.join(f));
            if let Some(missing) = [&ca, &cert, &key].into_iter().find(|p| !p.is_file()) {
                return Err(format!("TLS needs ca.pem, cert.pem and key.pem; {} is missing", missing.display()));
            }
            Docker::connect_with_ssl(&format!("tcp://{addr}"), &key, &cert, &ca, timeout, version)
                .map_err(|e| describe_failure(&e))
        }
    }
}

/// Pings a candidate and settles the API version: the newest both sides speak.
async fn probe(
    candidate: &Candidate,
    timeout: u64,
) -> std::result::Result<(Docker, bollard::models::SystemVersion), String> {
    let mut version = *API_DEFAULT_VERSION;
    // At most one retry: after the daemon named the newest version it speaks.
    for _ in 0..2 {
        let docker = client(candidate, timeout, &version)?;
        match tokio::time::timeout(PING_TIMEOUT, docker.version()).await {
            Err(_) => return Err(format!("no answer within {} s", PING_TIMEOUT.as_secs())),
            Ok(Ok(answer)) => {
                // Engines that accept any version in the path (Podman) say which one they speak.
                let server = answer.api_version.as_deref().and_then(parse_api_version);
                return match server {
                    Some(server) if older(&server, &version) => Ok((client(candidate, timeout, &server)?, answer)),
                    _ => Ok((docker, answer)),
                };
            }
            Ok(Err(BollardError::DockerResponseServerError { status_code: 400, message }))
                if newest_supported(&message).is_some() =>
            {
                version = newest_supported(&message).unwrap_or(version);
            }
            Ok(Err(e)) => return Err(describe_failure(&e)),
        }
    }
    Err("the engine refused every API version docklings tried".to_string())
}

fn older(a: &ClientVersion, b: &ClientVersion) -> bool {
    (a.major_version, a.minor_version) < (b.major_version, b.minor_version)
}

fn parse_api_version(s: &str) -> Option<ClientVersion> {
    let (major, minor) = s.trim().split_once('.')?;
    Some(ClientVersion { major_version: major.parse().ok()?, minor_version: minor.parse().ok()? })
}

/// The version in Docker's "client version 1.53 is too new. Maximum supported API version is 1.41".
fn newest_supported(message: &str) -> Option<ClientVersion> {
    let (_, after) = message.split_once("Maximum supported API version is ")?;
    parse_api_version(after.trim_end_matches(|c: char| !c.is_ascii_digit()))
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::ConnectionRefused => "connection refused".to_string(),
        ErrorKind::TimedOut => "timed out".to_string(),
        ErrorKind::ConnectionReset => "connection reset".to_string(),
        _ => e.to_string(),
    }
}

/// Why talking to an endpoint failed, in a few words: `no such file`, `connection refused`.
pub(super) fn describe_failure(e: &BollardError) -> String {
    match e {
        BollardError::SocketNotFoundError(_) => return "no such file".to_string(),
        BollardError::RequestTimeoutError => return "no answer".to_string(),
        BollardError::DockerResponseServerError { status_code, message } => {
            return format!("answered {status_code}: {message}");
        }
        _ => {}
    }
    // The cause is usually an I/O error a few sources down (hyper → connector → io).
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io_reason(io);
        }
        source = err.source();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        text.push_str(": ");
        text.push_str(&err.to_string());
        source = err.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_newest_version_from_dockers_refusal() {
        let v = newest_supported("client version 1.53 is too new. Maximum supported API version is 1.41").unwrap();
        assert_eq!((v.major_version, v.minor_version), (1, 41));
        assert!(newest_supported("No such container: x").is_none());
    }

    #[test]
    fn hosts_become_candidates() {
        let c = from_host("unix:///var/run/docker.sock", None);
        assert_eq!(c.endpoint, "unix:///var/run/docker.sock");
        let c = from_host("tcp://10.0.0.5", None);
        assert!(c.endpoint.starts_with("tcp://10.0.0.5:237"), "{}", c.endpoint);
        let c = from_host("tcp://10.0.0.5:2375/", None);
        assert_eq!(c.endpoint, "tcp://10.0.0.5:2375");
        assert!(matches!(from_host("ssh://me@box", None).address, Address::Unusable(_)));
        assert!(matches!(from_host("/var/run/docker.sock", None).address, Address::Unusable(_)));
    }

    #[test]
    fn context_metadata_lives_under_the_names_hash() {
        let dir = tempfile::tempdir().unwrap();
        let hash = sha256_hex("work");
        assert_eq!(hash.len(), 64);
        let meta = dir.path().join("contexts/meta").join(&hash);
        std::fs::create_dir_all(&meta).unwrap();
        std::fs::write(
            meta.join("meta.json"),
            r#"{"Name":"work","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///tmp/work.sock","SkipTLSVerify":false}}}"#,
        )
        .unwrap();
        let c = from_context(Some(dir.path()), "work");
        assert_eq!(c.label(), "unix:///tmp/work.sock (context work)");
        let missing = from_context(Some(dir.path()), "nope");
        assert!(matches!(missing.address, Address::Unusable(ref why) if why.contains("no such context")));
        std::fs::write(dir.path().join("config.json"), r#"{"auths":{},"currentContext":"work"}"#).unwrap();
        assert_eq!(current_context(dir.path()).as_deref(), Some("work"));

        // The current context first, then the default socket, then Podman's (each once).
        let podman = vec![PathBuf::from("/run/user/7/podman/podman.sock"), PathBuf::from("/run/podman/podman.sock")];
        let order = |options: &ConnectOptions| -> Vec<String> {
            candidates_in(options, Some(dir.path()), podman.clone()).iter().map(Candidate::label).collect()
        };
        assert_eq!(
            order(&ConnectOptions::default()),
            [
                "unix:///tmp/work.sock (context work)",
                "unix:///var/run/docker.sock",
                "unix:///run/user/7/podman/podman.sock (Podman)",
                "unix:///run/podman/podman.sock (Podman)",
            ]
        );
        // A host or a context asked for by name is the only candidate; `default` is the default chain.
        let host = ConnectOptions { docker_host: Some("tcp://127.0.0.1:2375".into()), ..ConnectOptions::default() };
        assert_eq!(order(&host), ["tcp://127.0.0.1:2375"]);
        let named = ConnectOptions { context: Some("work".into()), ..ConnectOptions::default() };
        assert_eq!(order(&named), ["unix:///tmp/work.sock (context work)"]);
        let default = ConnectOptions { context: Some("default".into()), ..ConnectOptions::default() };
        assert_eq!(order(&default)[0], "unix:///var/run/docker.sock");
    }

    #[test]
    fn tls_endpoints_need_their_files_and_fail_without_panicking() {
        let dir = tempfile::tempdir().unwrap();
        let tls = TlsFiles { dir: dir.path().to_path_buf() };
        let c = from_host("tcp://127.0.0.1:1", Some(("remote", Some(&tls))));
        assert!(matches!(&c.address, Address::Tcp { tls: Some(_), .. }));
        assert_eq!(from_host("tcp://example.com", Some(("remote", Some(&tls)))).endpoint, "tcp://example.com:2376");
        let missing = client(&c, 5, API_DEFAULT_VERSION).err().unwrap();
        assert!(missing.starts_with("TLS needs ca.pem, cert.pem and key.pem"), "{missing}");
        for f in ["ca.pem", "cert.pem", "key.pem"] {
            std::fs::write(dir.path().join(f), "not a certificate\n").unwrap();
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        assert!(runtime.block_on(probe(&c, 5)).is_err());
    }
}
