//! Containers of the simulated engine: a root file system copied from the image's layers, mounts, and a main
//! process run by the WASI runtime on its own thread. Messages are the Docker daemon's (Docker 28).
//!
//! A container's main process runs in the docklings process that started it; the state file records which
//! (`owner_pid`). Another docklings process (a second terminal) that stops or kills it leaves the signal in
//! `containers/<id>/signal`, which the owner's watcher picks up within 100 ms.

mod create;
mod process;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::logs::{self, Stream};
use super::runtime::{self, Output, Signal, Stdin};
use super::state::{Container, MountType, PortBinding, State, Status, now_nanos};
use super::{Running, SimEngine, networks, volumes};
use crate::engine::{
    ContainerConfig, ContainerDetails, ContainerStatus, ContainerSummary, EndpointInfo, EngineError, ExecOptions,
    ExecOutput, MountInfo, MountKind, PortSpec, PruneReport, Result,
};
pub use create::{CreateRequest, MountOrigin, MountRequest};
pub use process::StartFailure;

/// Go's RFC 3339 with nanoseconds, as Docker prints times in `inspect`.
#[must_use]
pub fn rfc3339(nanos: i128) -> String {
    if nanos == 0 {
        return "0001-01-01T00:00:00Z".to_string();
    }
    let (date, frac) = rfc3339_parts(nanos);
    let mut frac_s = format!("{frac:09}");
    while frac_s.ends_with('0') {
        frac_s.pop();
    }
    let frac_s = if frac_s.is_empty() { String::new() } else { format!(".{frac_s}") };
    format!("{date}{frac_s}Z")
}

/// RFC 3339 with all nine digits of nanoseconds, as `docker logs --timestamps` prints them.
#[must_use]
pub fn rfc3339_fixed(nanos: i128) -> String {
    let (date, frac) = rfc3339_parts(nanos);
    format!("{date}.{frac:09}Z")
}

fn rfc3339_parts(nanos: i128) -> (String, i128) {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).unwrap_or(0);
    let frac = nanos.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60), frac)
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A container by id, unique id prefix or name; Docker's error otherwise.
pub fn find(st: &State, key: &str) -> Result<usize> {
    st.container(key).ok_or_else(|| EngineError::NotFound(format!("No such container: {key}")))
}

/// The full id of a container.
pub fn resolve(engine: &SimEngine, key: &str) -> Result<String> {
    engine.read(|st| Ok(st.containers[find(st, key)?].id.clone()))
}

/// Creates a container from the options lessons use.
pub fn create(engine: &SimEngine, config: &ContainerConfig) -> Result<String> {
    create::create(engine, &CreateRequest::from(config))
}

/// Creates a container from everything `docker create` can ask.
pub fn create_with(engine: &SimEngine, request: &CreateRequest) -> Result<String> {
    create::create(engine, request)
}

/// `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf`, which Docker writes for every container.
fn write_etc(st: &State, rootfs: &Path, c: &Container) -> Result<()> {
    replace_etc_files(
        rootfs,
        c,
        &[
            ("hostname", format!("{}\n", c.spec.hostname)),
            ("hosts", networks::etc_hosts(c)),
            ("resolv.conf", networks::resolv_conf(st, c)),
        ],
    )
}

/// Writes files of a container's `/etc`, each replaced, never written in place: it may be a hard link into an
/// image layer, or a link the container made (removed, not followed). An `/etc` that is not a folder (a link
/// to anywhere, say) is replaced by one, in this container's own root only.
pub(crate) fn replace_etc_files(rootfs: &Path, c: &Container, files: &[(&str, String)]) -> Result<()> {
    let err = |e: std::io::Error| EngineError::Local(format!("writing /etc of {}: {e}", c.name));
    let etc = rootfs.join("etc");
    if fs::symlink_metadata(&etc).is_ok_and(|m| !m.is_dir()) {
        fs::remove_file(&etc).map_err(err)?;
    }
    fs::create_dir_all(&etc).map_err(err)?;
    for (name, text) in files {
        let path = etc.join(name);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && fs::read_to_string(&path).is_ok_and(|have| have == *text)
        {
            continue;
        }
        let _ = fs::remove_file(&path).or_else(|_| fs::remove_dir_all(&path));
        fs::write(&path, text).map_err(err)?;
    }
    Ok(())
}

/// Where a stream of a foreground process goes, write by write.
pub type Sink = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// What a foreground `docker run`, `docker start -a` or `docker exec` is attached to: each write as it comes.
pub struct Attach {
    pub stdout: Sink,
    pub stderr: Sink,
    pub stdin: Stdin,
}

/// A terminal's output processing (`onlcr`): `\n` becomes `\r\n`, as a container with `-t` writes.
#[must_use]
pub fn onlcr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 8);
    for &b in bytes {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// Host ports for `-p` and `-P`: as asked, or picked from 32768 up when left out. An unspecified host address
/// binds IPv4 and IPv6, as Docker 28 does (`0.0.0.0:8080->80/tcp, [::]:8080->80/tcp`).
fn bind_ports(st: &State, c: &Container) -> Result<Vec<PortBinding>> {
    if !networks::has_own_ports(c) {
        return Ok(Vec::new());
    }
    let mut asked = c.spec.port_bindings.clone();
    if c.spec.publish_all {
        for p in &c.spec.exposed_ports {
            if !asked.iter().any(|b| b.container_port == *p) {
                asked.push(PortBinding { container_port: p.clone(), host_ip: String::new(), host_port: String::new() });
            }
        }
    }
    let taken: Vec<(String, String, String)> = st
        .containers
        .iter()
        .filter(|o| o.id != c.id && o.state.status == Status::Running)
        .flat_map(|o| o.ports.iter())
        .map(|p| (p.host_ip.clone(), p.host_port.clone(), proto(&p.container_port).to_string()))
        .collect();
    let mut out: Vec<PortBinding> = Vec::new();
    let mut next = 32768u32;
    for b in &asked {
        let ips: Vec<String> =
            if b.host_ip.is_empty() { vec!["0.0.0.0".to_string(), "::".to_string()] } else { vec![b.host_ip.clone()] };
        let port = if b.host_port.is_empty() {
            let used = |port: u32, out: &[PortBinding]| {
                let port = port.to_string();
                taken.iter().any(|(_, p, _)| *p == port) || out.iter().any(|b| b.host_port == port)
            };
            while used(next, &out) {
                next += 1;
            }
            next += 1;
            (next - 1).to_string()
        } else {
            b.host_port.clone()
        };
        for ip in ips {
            let clash = taken.iter().any(|(tip, tp, tproto)| {
                *tp == port && *tproto == proto(&b.container_port) && (tip == &ip || wildcard(tip) || wildcard(&ip))
            });
            if clash {
                let shown = if ip.contains(':') { format!("[{ip}]") } else { ip.clone() };
                return Err(EngineError::Server {
                    status: 500,
                    message: format!(
                        "failed to set up container networking: driver failed programming external connectivity on endpoint {} ({}): Bind for {shown}:{port} failed: port is already allocated",
                        c.name,
                        &super::new_id()
                    ),
                });
            }
            out.push(PortBinding { container_port: b.container_port.clone(), host_ip: ip, host_port: port.clone() });
        }
    }
    Ok(out)
}

fn wildcard(ip: &str) -> bool {
    ip == "0.0.0.0" || ip == "::"
}

fn proto(container_port: &str) -> &str {
    container_port.split_once('/').map_or("tcp", |(_, p)| p)
}

/// Starts a container's main process. Attached, the caller sees its output as it comes; it always goes to the
/// log. Returns once the process has started.
pub fn start(engine: &SimEngine, key: &str, attach: Option<Attach>) -> Result<Arc<Running>> {
    let runtime = engine.runtime()?;
    let prepared = engine.mutate(|st| {
        let i = find(st, key)?;
        if st.containers[i].state.status == Status::Running {
            return Err(EngineError::NotModified(String::new()));
        }
        // Addresses are given when a container starts, as Docker's IPAM does.
        let names: Vec<String> = st.containers[i].networks.keys().cloned().collect();
        for name in names {
            let Some(n) = st.network(&name) else {
                return Err(EngineError::NotFound(format!(
                    "failed to set up container networking: network {name} not found"
                )));
            };
            let net = st.networks[n].clone();
            if net.driver == "bridge" {
                let old = st.containers[i].networks[&name].clone();
                let ep = networks::restart_endpoint(st, &net, &old);
                st.containers[i].networks.insert(name, ep);
            }
        }
        let c = st.containers[i].clone();
        let argv: Vec<String> = c.spec.entrypoint.iter().chain(&c.spec.cmd).cloned().collect();
        write_etc(st, &engine.container_dir(&c.id).join("rootfs"), &c)?;
        let launch =
            process::Launch { argv: &argv, extra_env: &[], cwd: None, user: None, tty: c.spec.tty, exec: false };
        let failure = match process::spec(engine, &c, &launch) {
            Ok(spec) => match bind_ports(st, &c) {
                Ok(ports) => {
                    let now = now_nanos();
                    let c = &mut st.containers[i];
                    c.state.status = Status::Running;
                    c.state.started_at = now;
                    c.state.exit_code = 0;
                    c.state.error.clear();
                    c.state.owner_pid = Some(std::process::id());
                    c.ports = ports;
                    return Ok(Ok((c.clone(), spec)));
                }
                Err(e) => (e, 128),
            },
            Err(f) => (f.start_error(), f.recorded_code()),
        };
        let c = &mut st.containers[i];
        // Docker leaves an earlier exit code when the failure has none of its own (128, a network setup error).
        if failure.1 != 128 || c.state.exit_code == 0 {
            c.state.exit_code = failure.1;
        }
        c.state.error = failure.0.to_string();
        for ep in c.networks.values_mut() {
            clear_endpoint(ep);
        }
        Ok(Err((failure.0, c.spec.auto_remove, c.id.clone())))
    })?;
    let (c, spec) = match prepared {
        Ok(p) => p,
        Err((e, auto_remove, id)) => {
            if auto_remove {
                let _ = remove(engine, &id, true, true);
            }
            return Err(e);
        }
    };
    for m in c.mounts.iter().filter(|m| m.kind == MountType::Tmpfs) {
        let dir = process::tmpfs_dir(engine, &c.id, &m.destination);
        let _ = fs::remove_dir_all(&dir);
        let _ = fs::create_dir_all(&dir);
    }
    let log = logs::Writer::open(&engine.container_dir(&c.id))?;
    let tty = c.spec.tty;
    let sink = |stream: Stream, attached: Option<Sink>| {
        let log = log.clone();
        // A terminal has one output stream, with `\n` turned into `\r\n`.
        let stream = if tty { Stream::Stdout } else { stream };
        Output::from_fn(Arc::new(move |bytes: &[u8]| {
            let converted;
            let bytes = if tty {
                converted = onlcr(bytes);
                &converted[..]
            } else {
                bytes
            };
            log.write(stream, bytes);
            if let Some(f) = &attached {
                f(bytes);
            }
        }))
    };
    let (stdout, stderr, stdin) = match attach {
        Some(a) => {
            let stderr = if tty { a.stdout.clone() } else { a.stderr };
            (Some(a.stdout), Some(stderr), a.stdin)
        }
        None => (None, None, Stdin::Null),
    };
    let spec = runtime::ProcessSpec {
        stdout: sink(Stream::Stdout, stdout),
        stderr: sink(Stream::Stderr, stderr),
        stdin,
        ..spec
    };
    let process = match runtime.spawn_networked(spec, Some(runtime::net::identity(engine, &c.id))) {
        Ok(p) => p,
        Err(e) => {
            let started = c.state.started_at;
            finish(engine, &c.id, 128, started);
            return Err(e);
        }
    };
    let running = Arc::new(Running { process, done: Mutex::new(false), done_cv: Condvar::new() });
    engine.running.lock().unwrap_or_else(PoisonError::into_inner).insert(c.id.clone(), running.clone());
    watch(&engine.arc(), &c.id, c.state.started_at, running.clone());
    Ok(running)
}

fn clear_endpoint(ep: &mut super::state::Endpoint) {
    ep.ip_address.clear();
    ep.gateway.clear();
    ep.mac_address.clear();
    ep.ip_prefix_len = 0;
}

/// The file another docklings process leaves a signal in for the process that runs the container.
fn signal_file(engine: &SimEngine, id: &str) -> PathBuf {
    engine.container_dir(id).join("signal")
}

/// Signals left for this container by another docklings process.
fn take_signals(engine: &SimEngine, id: &str) -> Vec<Signal> {
    let file = signal_file(engine, id);
    let taken = file.with_extension("taken");
    if fs::rename(&file, &taken).is_err() {
        return Vec::new();
    }
    let text = fs::read_to_string(&taken).unwrap_or_default();
    let _ = fs::remove_file(&taken);
    text.lines().filter_map(|l| l.trim().parse::<u8>().ok()).filter_map(Signal::from_number).collect()
}

/// Waits for a container's main process in the background (taking signals other docklings processes leave),
/// then records how it ended.
fn watch(engine: &Arc<SimEngine>, id: &str, started_at: i128, running: Arc<Running>) {
    let engine = Arc::clone(engine);
    let id = id.to_string();
    let spawned = std::thread::Builder::new().name("docklings watch".into()).spawn(move || {
        while running.process.wait_timeout(Duration::from_millis(100)).is_none() {
            for sig in take_signals(&engine, &id) {
                running.process.signal(sig);
            }
        }
        let code = running.process.wait_code();
        finish(&engine, &id, code, started_at);
        *running.done.lock().unwrap_or_else(PoisonError::into_inner) = true;
        running.done_cv.notify_all();
    });
    if spawned.is_err() {
        // Without a watcher the end is recorded by whoever waits; nothing else can be done here.
    }
}

/// Records a container's end (unless it has since been started again, or removed), then removes it when it
/// was run with `--rm`.
fn finish(engine: &SimEngine, id: &str, code: i32, started_at: i128) {
    engine.running.lock().unwrap_or_else(PoisonError::into_inner).remove(id);
    let auto_remove = engine
        .mutate(|st| {
            let Some(c) = st.containers.iter_mut().find(|c| c.id == id) else { return Ok(false) };
            if c.state.status != Status::Running || c.state.started_at != started_at {
                return Ok(false);
            }
            c.state.status = Status::Exited;
            c.state.exit_code = i64::from(code);
            c.state.finished_at = now_nanos();
            c.state.owner_pid = None;
            c.ports.clear();
            for ep in c.networks.values_mut() {
                clear_endpoint(ep);
            }
            Ok(c.spec.auto_remove)
        })
        .unwrap_or(false);
    if auto_remove {
        let _ = remove(engine, id, true, true);
    }
}

/// Starts again a container whose docklings process ended while it ran, keeping its start time: to the
/// learner, the container never stopped.
pub fn revive(engine: &Arc<SimEngine>, id: &str) -> Result<()> {
    let started = engine.mutate(|st| {
        let i = find(st, id)?;
        let s = &mut st.containers[i].state;
        s.status = Status::Exited;
        s.owner_pid = None;
        Ok(s.started_at)
    })?;
    start(engine, id, None)?;
    engine.mutate(|st| {
        if let Ok(i) = find(st, id) {
            st.containers[i].state.started_at = started;
        }
        Ok(())
    })
}

/// Whether a process still runs (Linux: `/proc/<pid>`; elsewhere assumed gone).
fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// A signal by name or number, as the daemon parses it; its error otherwise.
pub fn parse_signal(text: &str) -> Result<Signal> {
    Signal::parse(text).ok_or_else(|| EngineError::BadRequest(format!("Invalid signal: {text}")))
}

/// Sends a signal to a running container's main process, wherever it runs.
fn deliver(engine: &SimEngine, id: &str, sig: Signal) -> Result<()> {
    let here = engine.running.lock().unwrap_or_else(PoisonError::into_inner).get(id).cloned();
    if let Some(r) = here {
        r.process.signal(sig);
        return Ok(());
    }
    let owner = engine.read(|st| Ok(st.containers.iter().find(|c| c.id == id).and_then(|c| c.state.owner_pid)))?;
    match owner {
        Some(pid) if process_alive(pid) => {
            use std::io::Write;
            let mut f = fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(signal_file(engine, id))
                .map_err(|e| EngineError::Local(format!("cannot signal the container: {e}")))?;
            writeln!(f, "{}", sig.number()).map_err(|e| EngineError::Local(format!("cannot signal the container: {e}")))
        }
        // Its docklings process is gone: the process went with it.
        _ => {
            if sig == Signal::Kill || sig == Signal::Term {
                let started = engine
                    .read(|st| Ok(st.containers.iter().find(|c| c.id == id).map_or(0, |c| c.state.started_at)))?;
                engine.mutate(|st| {
                    if let Some(c) = st.containers.iter_mut().find(|c| c.id == id) {
                        c.state.owner_pid = Some(std::process::id());
                    }
                    Ok(())
                })?;
                finish(engine, id, 137, started);
            }
            Ok(())
        }
    }
}

/// Waits until the container no longer runs, or the deadline (`None`: no deadline); true when it stopped.
fn wait_stopped(engine: &SimEngine, id: &str, deadline: Option<Instant>) -> bool {
    let here = engine.running.lock().unwrap_or_else(PoisonError::into_inner).get(id).cloned();
    if let Some(r) = here {
        let mut done = r.done.lock().unwrap_or_else(PoisonError::into_inner);
        while !*done {
            match deadline {
                None => done = r.done_cv.wait(done).unwrap_or_else(PoisonError::into_inner),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    done = r.done_cv.wait_timeout(done, d - now).unwrap_or_else(PoisonError::into_inner).0;
                }
            }
        }
        return true;
    }
    loop {
        let running = engine
            .read(|st| Ok(st.containers.iter().any(|c| c.id == id && c.state.status == Status::Running)))
            .unwrap_or(false);
        if !running {
            return true;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `docker stop`: the stop signal, up to `timeout` seconds (10 by default), then SIGKILL.
pub fn stop(engine: &SimEngine, key: &str, timeout: Option<u32>, signal: Option<&str>) -> Result<()> {
    stop_with(engine, key, timeout.map(i64::from), signal)
}

/// `docker stop` with Docker's full timeout: a negative one waits for ever.
pub fn stop_with(engine: &SimEngine, key: &str, timeout: Option<i64>, signal: Option<&str>) -> Result<()> {
    let (id, stop_signal, running) = engine.read(|st| {
        let c = &st.containers[find(st, key)?];
        Ok((
            c.id.clone(),
            signal.map(str::to_string).or_else(|| c.spec.stop_signal.clone()),
            c.state.status == Status::Running,
        ))
    })?;
    let sig = parse_signal(stop_signal.as_deref().unwrap_or("SIGTERM"))?;
    if !running {
        return Ok(());
    }
    deliver(engine, &id, sig)?;
    let grace = timeout.unwrap_or(10);
    let deadline = u64::try_from(grace).ok().map(|s| Instant::now() + Duration::from_secs(s));
    if !wait_stopped(engine, &id, deadline) {
        deliver(engine, &id, Signal::Kill)?;
        wait_stopped(engine, &id, Some(Instant::now() + Duration::from_secs(5)));
    }
    Ok(())
}

/// `docker kill`: SIGKILL unless another signal is asked; the router's `cannot kill container: …` wrapping.
pub fn kill(engine: &SimEngine, key: &str, signal: Option<&str>) -> Result<()> {
    let wrap = |e: EngineError| {
        let message = format!("cannot kill container: {key}: {e}");
        match e {
            EngineError::NotFound(_) => EngineError::NotFound(message),
            EngineError::Conflict(_) => EngineError::Conflict(message),
            _ => EngineError::BadRequest(message),
        }
    };
    let id = engine
        .read(|st| {
            let c = &st.containers[find(st, key)?];
            Ok(c.id.clone())
        })
        .map_err(wrap)?;
    let sig = parse_signal(signal.unwrap_or("KILL")).map_err(wrap)?;
    let running =
        engine.read(|st| Ok(st.containers.iter().any(|c| c.id == id && c.state.status == Status::Running)))?;
    if !running {
        return Err(wrap(EngineError::Conflict(format!("Container {id} is not running"))));
    }
    deliver(engine, &id, sig)?;
    if sig == Signal::Kill {
        wait_stopped(engine, &id, Some(Instant::now() + Duration::from_secs(5)));
    }
    Ok(())
}

/// `docker rm`: refuses a running container unless forced; `volumes` also removes its anonymous volumes that no
/// other container uses.
pub fn remove(engine: &SimEngine, key: &str, force: bool, volumes: bool) -> Result<()> {
    let (id, running) = engine.read(|st| {
        let c = &st.containers[find(st, key)?];
        Ok((c.id.clone(), c.state.status == Status::Running))
    })?;
    if running {
        if !force {
            return Err(EngineError::Conflict(format!(
                "cannot remove container \"{key}\": container is running: stop the container before removing or force remove"
            )));
        }
        deliver(engine, &id, Signal::Kill)?;
        wait_stopped(engine, &id, Some(Instant::now() + Duration::from_secs(5)));
    }
    let anonymous = engine.mutate(|st| {
        let Some(i) = st.containers.iter().position(|c| c.id == id) else { return Ok(Vec::new()) };
        let c = st.containers.remove(i);
        Ok(c.mounts
            .iter()
            .filter_map(|m| m.name.clone())
            .filter(|n| {
                volumes
                    && st.volumes.iter().any(|v| v.name == *n && v.anonymous)
                    && !volumes::in_use_by_others(st, n, &id)
            })
            .collect::<Vec<String>>())
    })?;
    let _ = fs::remove_dir_all(engine.container_dir(&id));
    for name in anonymous {
        let _ = volumes::remove(engine, &name, true);
    }
    Ok(())
}

fn status(s: Status) -> ContainerStatus {
    ContainerStatus::parse(s.as_str())
}

pub fn list(engine: &SimEngine, all: bool) -> Result<Vec<ContainerSummary>> {
    engine.read(|st| {
        let mut out: Vec<&Container> =
            st.containers.iter().filter(|c| all || c.state.status == Status::Running).collect();
        out.sort_by_key(|c| std::cmp::Reverse(c.created));
        Ok(out
            .into_iter()
            .map(|c| ContainerSummary {
                id: c.id.clone(),
                name: c.name.clone(),
                image: c.image.clone(),
                status: status(c.state.status),
                labels: c.spec.labels.clone(),
            })
            .collect())
    })
}

pub fn details(engine: &SimEngine, key: &str) -> Result<ContainerDetails> {
    engine.read(|st| {
        let c = &st.containers[find(st, key)?];
        Ok(ContainerDetails {
            id: c.id.clone(),
            name: c.name.clone(),
            image: c.image.clone(),
            image_id: c.image_id.clone(),
            status: status(c.state.status),
            exit_code: c.state.exit_code,
            labels: c.spec.labels.clone(),
            cmd: c.spec.cmd.clone(),
            entrypoint: c.spec.entrypoint.clone(),
            env: c.spec.env.clone(),
            mounts: c
                .mounts
                .iter()
                .map(|m| MountInfo {
                    kind: match m.kind {
                        MountType::Volume => MountKind::Volume,
                        MountType::Bind => MountKind::Bind,
                        MountType::Tmpfs => MountKind::Tmpfs,
                    },
                    name: m.name.clone(),
                    source: m.source.clone(),
                    destination: m.destination.clone(),
                    read_only: !m.read_write,
                })
                .collect(),
            networks: c
                .networks
                .iter()
                .map(|(n, e)| {
                    let info = EndpointInfo {
                        network_id: e.network_id.clone(),
                        ip_address: e.ip_address.clone(),
                        aliases: e.aliases.clone(),
                    };
                    (n.clone(), info)
                })
                .collect(),
            ports: c
                .ports
                .iter()
                .map(|p| {
                    let (port, proto) = p.container_port.split_once('/').unwrap_or((&p.container_port, "tcp"));
                    PortSpec {
                        container_port: port.parse().unwrap_or(0),
                        protocol: proto.to_string(),
                        host_ip: p.host_ip.clone(),
                        host_port: p.host_port.parse().ok(),
                    }
                })
                .collect(),
            auto_remove: c.spec.auto_remove,
        })
    })
}

/// What `docker exec` asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExecRequest<'a> {
    pub cmd: &'a [String],
    pub env: &'a [String],
    pub working_dir: Option<&'a str>,
    pub user: Option<&'a str>,
    pub tty: bool,
}

/// How an exec began.
pub enum ExecStart {
    Started(runtime::Process),
    /// The process did not start: what the daemon writes into the stream, and the exit status.
    Failed(StartFailure),
}

/// Starts a command in a running container. The outputs get the process's writes (already through `onlcr`
/// for a terminal, whose stderr is its stdout).
pub fn exec_start(
    engine: &SimEngine,
    key: &str,
    req: &ExecRequest,
    stdout: Output,
    stderr: Output,
    stdin: Stdin,
) -> Result<ExecStart> {
    let c = engine.read(|st| Ok(st.containers[find(st, key)?].clone()))?;
    if c.state.status != Status::Running {
        return Err(EngineError::Conflict(format!("Container {} is not running", c.id)));
    }
    if req.cmd.is_empty() {
        return Err(EngineError::BadRequest("No exec command specified".to_string()));
    }
    let launch = process::Launch {
        argv: req.cmd,
        extra_env: req.env,
        cwd: req.working_dir,
        user: req.user,
        tty: req.tty,
        exec: true,
    };
    let spec = match process::spec(engine, &c, &launch) {
        Ok(s) => s,
        Err(f) => return Ok(ExecStart::Failed(f)),
    };
    let (stdout, stderr) = if req.tty {
        let tty_out = |o: Output| Output::from_fn(Arc::new(move |b: &[u8]| o.write(&onlcr(b))));
        (tty_out(stdout.clone()), tty_out(stdout))
    } else {
        (stdout, stderr)
    };
    let identity = Some(runtime::net::identity(engine, &c.id));
    let process =
        engine.runtime()?.spawn_networked(runtime::ProcessSpec { stdin, stdout, stderr, ..spec }, identity)?;
    Ok(ExecStart::Started(process))
}

/// Runs a command in a running container, with its output captured.
pub fn exec_captured(engine: &SimEngine, key: &str, cmd: &[String], options: &ExecOptions) -> Result<ExecOutput> {
    let (out, captured_out) = Output::capture();
    let (err, captured_err) = Output::capture();
    let req = ExecRequest {
        cmd,
        env: &options.env,
        working_dir: options.working_dir.as_deref(),
        user: options.user.as_deref(),
        tty: false,
    };
    match exec_start(engine, key, &req, out, err, Stdin::Null)? {
        ExecStart::Started(p) => {
            let code = p.wait();
            Ok(ExecOutput { exit_code: i64::from(code), stdout: captured_out.take(), stderr: captured_err.take() })
        }
        ExecStart::Failed(f) => {
            Ok(ExecOutput { exit_code: i64::from(f.status), stdout: f.exec_message().into_bytes(), stderr: Vec::new() })
        }
    }
}

/// Waits until a container stops; its exit code. A container that does not run answers at once.
pub fn wait(engine: &SimEngine, key: &str) -> Result<i64> {
    let id = resolve(engine, key)?;
    wait_stopped(engine, &id, None);
    exit_code(engine, &id)
}

/// [`wait`] for the learner's own `docker wait`, which Ctrl-C ends (see [`SimEngine::interrupted`]): `None` then.
pub fn wait_or_interrupt(engine: &SimEngine, key: &str) -> Result<Option<i64>> {
    let id = resolve(engine, key)?;
    while !wait_stopped(engine, &id, Some(Instant::now() + Duration::from_millis(50))) {
        if engine.interrupted() {
            return Ok(None);
        }
    }
    exit_code(engine, &id).map(Some)
}

fn exit_code(engine: &SimEngine, id: &str) -> Result<i64> {
    engine.read(|st| Ok(st.containers.iter().find(|c| c.id == id).map_or(0, |c| c.state.exit_code)))
}

/// `docker container prune`: removes every stopped container.
pub fn prune(engine: &SimEngine) -> Result<PruneReport> {
    prune_where(engine, &|_| true)
}

/// `docker container prune --filter …`: removes the stopped containers `keep` selects.
pub fn prune_where(engine: &SimEngine, selected: &dyn Fn(&Container) -> bool) -> Result<PruneReport> {
    let doomed: Vec<Container> = engine.read(|st| {
        Ok(st.containers.iter().filter(|c| c.state.status != Status::Running && selected(c)).cloned().collect())
    })?;
    let mut report = PruneReport::default();
    for c in doomed {
        let size = rw_size(engine, &c);
        remove(engine, &c.id, false, false)?;
        report.deleted.push(c.id);
        report.space_reclaimed += u64::try_from(size).unwrap_or(0);
    }
    Ok(report)
}

/// The size of what a container wrote into its own layer: files of its root file system that its image's
/// layers do not have, or have with another size (the `/etc` files Docker keeps outside the layer excepted).
pub fn rw_size(engine: &SimEngine, c: &Container) -> i64 {
    engine.read(|st| Ok(rw_size_in(engine, st, c))).unwrap_or_default()
}

/// [`rw_size`] for a caller that already holds the state (the state lock is not re-entrant).
pub fn rw_size_in(engine: &SimEngine, st: &State, c: &Container) -> i64 {
    let layers: Vec<PathBuf> = st
        .images
        .iter()
        .find(|i| i.id == c.image_id)
        .map(|i| i.layers.iter().map(|l| engine.layer_dir(l)).collect())
        .unwrap_or_default();
    let rootfs = engine.container_dir(&c.id).join("rootfs");
    let mut total = 0i64;
    walk(&rootfs, &mut |rel, len| {
        if matches!(rel.to_str(), Some("etc/hostname" | "etc/hosts" | "etc/resolv.conf")) {
            return;
        }
        let same = layers.iter().rev().find_map(|l| fs::metadata(l.join(rel)).ok()).is_some_and(|m| m.len() == len);
        if !same {
            total += i64::try_from(len).unwrap_or(0);
        }
    });
    total
}

/// Calls `f` with the path (relative to `root`) and size of every file under `root`.
fn walk(root: &Path, f: &mut dyn FnMut(&Path, u64)) {
    fn inner(root: &Path, dir: &Path, f: &mut dyn FnMut(&Path, u64)) {
        for e in fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => inner(root, &path, f),
                Ok(t) if t.is_file() => {
                    let len = e.metadata().map_or(0, |m| m.len());
                    f(path.strip_prefix(root).unwrap_or(&path), len);
                }
                _ => {}
            }
        }
    }
    inner(root, root, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_as_go_does() {
        assert_eq!(rfc3339(0), "0001-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_735_689_600_000_000_000), "2025-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_735_689_600_123_450_000), "2025-01-01T00:00:00.12345Z");
        assert_eq!(rfc3339_fixed(1_735_689_600_123_450_000), "2025-01-01T00:00:00.123450000Z");
    }

    #[test]
    fn a_terminal_ends_lines_with_cr_lf() {
        assert_eq!(onlcr(b"a\nb\n"), b"a\r\nb\r\n");
    }
}
