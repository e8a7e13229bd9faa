//! The simulated engine: Docker's objects kept under `$DOCKLINGS_HOME/sim`, container processes run as WASI
//! programs (the toolbox) by wasmtime, on real files. It behaves like Docker 28 from the outside; the `cli`
//! module prints what the docker CLI prints.
//!
//! Layout under the engine's folder:
//! - `state.json`: images, containers, volumes, networks (written atomically; `lock` serialises processes);
//! - `layers/<id>/`: image layers, real folders;
//! - `containers/<id>/rootfs/`: a container's root file system (its image's layers copied, then its own writes);
//!   `containers/<id>/log`: what its processes printed;
//! - `volumes/<name>/_data/`: volume data; `registry/`: the simulated registry `push` and `pull` use.

pub mod build;
pub mod catalog;
pub mod cli;
pub mod containers;
pub mod images;
pub mod logs;
pub mod networks;
pub mod runtime;
pub mod state;
pub mod volumes;

use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use super::{
    BuildEvent, BuildOptions, BuildResult, ContainerConfig, ContainerDetails, ContainerSummary, Engine, EngineError,
    EngineKind, ExecOptions, ExecOutput, HistoryEntry, HttpReply, ImageDetails, ImageSummary, Labels, Logs,
    NetworkConfig, NetworkInfo, PruneReport, Result, SystemInfo, VersionInfo, VolumeInfo,
};
use runtime::Runtime;
use state::State;

/// Changes whenever the toolbox module changes, so catalog image ids follow it.
pub const TOOLBOX_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Docker version the simulation copies.
pub const DOCKER_VERSION: &str = "28.2.2";
pub const API_VERSION: &str = "1.50";

/// A container process running in this docklings process.
pub struct Running {
    pub process: runtime::Process,
    /// Set once the main process has ended and the state says so.
    pub done: Mutex<bool>,
    pub done_cv: Condvar,
}

/// The simulated engine.
pub struct SimEngine {
    /// This engine, for the threads that watch container processes.
    me: std::sync::Weak<SimEngine>,
    dir: PathBuf,
    /// wasmtime's module cache: `dir/cache`, or one shared by several engines (`open_with_cache`).
    cache: PathBuf,
    /// Compiled on first use: listing images needs no WebAssembly.
    runtime: OnceLock<Runtime>,
    /// Serialises state changes within this process (the lock file does it between processes).
    state_mutex: Mutex<()>,
    /// Containers whose main process runs here, by id.
    pub(crate) running: Mutex<HashMap<String, Arc<Running>>>,
    /// A message to show once, e.g. that a corrupt state file was set aside.
    pub notice: Mutex<Option<String>>,
    /// Ctrl-C came while the learner's line ran (see [`Engine::interrupt`]).
    interrupted: std::sync::atomic::AtomicBool,
    /// Processes the running line waits on that are not a container's own (execs, build steps).
    interruptible: Mutex<Vec<runtime::Killer>>,
}

fn local(what: &str) -> impl Fn(std::io::Error) -> EngineError + '_ {
    move |e| EngineError::Local(format!("{what}: {e}"))
}

/// Lower-case hexadecimal of a digest.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        s.push_str(&format!("{b:02x}"));
        s
    })
}

/// The host path of `path` (absolute, as a container sees it) under the root file system `rootfs`, when nothing
/// on the way is a symbolic link. Host code never follows a link an image or a container made: inside, links
/// resolve within the sandbox, but on the host they could point anywhere. `None` for such a path, or one with `..`.
#[must_use]
pub fn in_rootfs(rootfs: &Path, path: &str) -> Option<PathBuf> {
    let mut host = rootfs.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if part == ".." {
            return None;
        }
        host.push(part);
        if fs::symlink_metadata(&host).is_ok_and(|m| m.file_type().is_symlink()) {
            return None;
        }
    }
    Some(host)
}

/// A fresh 64-hex-digit id, as Docker gives containers, networks and anonymous volumes.
#[must_use]
pub fn new_id() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut h = Sha256::new();
    h.update(state::now_nanos().to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(n.to_le_bytes());
    hex(&h.finalize())
}

impl SimEngine {
    /// Opens (creating when needed) the engine under `dir`; containers that were running in a docklings
    /// process that has since ended are started again, as a Docker daemon would have kept them running.
    pub fn open(dir: &Path) -> Result<Arc<SimEngine>> {
        SimEngine::open_with_cache(dir, &dir.join("cache"))
    }

    /// Opens an engine whose compiled toolbox module is cached in `cache`: engines made one after another (a
    /// fresh one per lesson in `lessons check`) then compile the toolbox once.
    pub fn open_with_cache(dir: &Path, cache: &Path) -> Result<Arc<SimEngine>> {
        for sub in ["layers", "containers", "volumes", "registry", "cache"] {
            fs::create_dir_all(dir.join(sub)).map_err(local("creating the simulated engine's folders"))?;
        }
        let engine = Arc::new_cyclic(|me| SimEngine {
            me: me.clone(),
            dir: dir.to_path_buf(),
            cache: cache.to_path_buf(),
            runtime: OnceLock::new(),
            state_mutex: Mutex::new(()),
            running: Mutex::new(HashMap::new()),
            notice: Mutex::new(None),
            interrupted: std::sync::atomic::AtomicBool::new(false),
            interruptible: Mutex::new(Vec::new()),
        });
        let mut revive = Vec::new();
        engine.mutate(|st| {
            networks::ensure_predefined(st);
            let me = std::process::id();
            for c in &mut st.containers {
                if c.state.status == state::Status::Running
                    && c.state.owner_pid.is_some_and(|p| p != me && !process_alive(p))
                {
                    revive.push(c.id.clone());
                }
            }
            Ok(())
        })?;
        for id in revive {
            // A container that cannot start again is recorded as exited by `revive`.
            let _ = containers::revive(&engine, &id);
        }
        Ok(engine)
    }

    /// This engine as an `Arc`, for threads that outlive a call.
    pub(crate) fn arc(&self) -> Arc<SimEngine> {
        self.me.upgrade().expect("the engine is alive while it is used")
    }

    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The WebAssembly runtime, compiled (or loaded from the module cache) on first use.
    pub fn runtime(&self) -> Result<&Runtime> {
        if let Some(r) = self.runtime.get() {
            return Ok(r);
        }
        let r = Runtime::new(&self.cache)?;
        Ok(self.runtime.get_or_init(|| r))
    }

    /// Runs `f` on the state loaded from `state.json`, with this process and others locked out.
    fn locked<T>(&self, f: impl FnOnce(&mut State, &Path) -> Result<T>) -> Result<T> {
        let _guard = self.state_mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join("lock"))
            .map_err(local("opening the state lock"))?;
        lock.lock().map_err(local("locking the simulated engine's state"))?;
        let path = self.dir.join("state.json");
        let (mut st, note) = State::load(&path)?;
        if let Some(note) = note {
            *self.notice.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(note);
        }
        let out = f(&mut st, &path);
        drop(lock);
        out
    }

    /// Runs `f` on the state with this process and others locked out, saving what it changed.
    pub fn mutate<T>(&self, f: impl FnOnce(&mut State) -> Result<T>) -> Result<T> {
        self.locked(|st, path| {
            let before = serde_json::to_vec(&*st).unwrap_or_default();
            let out = f(st);
            if serde_json::to_vec(&*st).unwrap_or_default() != before {
                st.save(path)?;
            }
            out
        })
    }

    /// Reads the state without changing it: no comparison, no save.
    pub fn read<T>(&self, f: impl FnOnce(&State) -> Result<T>) -> Result<T> {
        self.locked(|st, _| f(st))
    }

    pub(crate) fn container_dir(&self, id: &str) -> PathBuf {
        self.dir.join("containers").join(id)
    }

    pub(crate) fn layer_dir(&self, id: &str) -> PathBuf {
        self.dir.join("layers").join(id)
    }

    pub(crate) fn volume_dir(&self, name: &str) -> PathBuf {
        self.dir.join("volumes").join(name)
    }

    /// Whether Ctrl-C came during the learner's current line: waits that are not a container's own give up.
    #[must_use]
    pub fn interrupted(&self) -> bool {
        self.interrupted.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A process the line waits on (an exec, a build step): killed by Ctrl-C, at once if it already came.
    pub(crate) fn interruptible(&self, process: &runtime::Process) {
        let killer = process.killer();
        let mut all = self.interruptible.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        all.retain(|k| !k.ended());
        if self.interrupted() {
            killer.kill();
        }
        all.push(killer);
    }
}

/// Whether a process still runs (Linux: `/proc/<pid>`; elsewhere assumed gone).
fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

impl Engine for SimEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Simulated
    }

    fn describe(&self) -> String {
        format!("the simulated engine (Docker {DOCKER_VERSION}) in {}", self.dir.display())
    }

    fn ping(&self) -> Result<()> {
        Ok(())
    }

    fn version(&self) -> Result<VersionInfo> {
        Ok(VersionInfo {
            version: DOCKER_VERSION.to_string(),
            api_version: API_VERSION.to_string(),
            os: "linux".to_string(),
            arch: "amd64".to_string(),
        })
    }

    fn info(&self) -> Result<SystemInfo> {
        self.read(|st| {
            Ok(SystemInfo {
                name: "docklings-sim".to_string(),
                containers: st.containers.len() as u64,
                containers_running: st.containers.iter().filter(|c| c.state.status == state::Status::Running).count()
                    as u64,
                images: st.images.len() as u64,
                server_version: DOCKER_VERSION.to_string(),
                storage_driver: "overlay2".to_string(),
            })
        })
    }

    fn list_images(&self, all: bool) -> Result<Vec<ImageSummary>> {
        images::list(self, all)
    }

    fn inspect_image(&self, reference: &str) -> Result<ImageDetails> {
        images::inspect(self, reference)
    }

    fn build_image(&self, options: &BuildOptions, progress: &mut dyn FnMut(&BuildEvent)) -> Result<BuildResult> {
        let name = options.dockerfile.clone().unwrap_or_else(|| "Dockerfile".to_string());
        let request = build::Request {
            context: options.context.clone(),
            dockerfile: options.context.join(&name),
            dockerfile_name: name,
            tags: options.tags.clone(),
            build_args: options.build_args.clone(),
            target: options.target.clone(),
            no_cache: options.no_cache,
            labels: options.labels.clone(),
        };
        let built = build::build(self, &request, progress).map_err(|f| EngineError::Local(f.render(false)))?;
        Ok(BuildResult { image_id: built.image_id, cached_steps: built.cached.len() })
    }

    fn tag_image(&self, source: &str, target: &str) -> Result<()> {
        images::tag(self, source, target)
    }

    fn remove_image(&self, reference: &str, force: bool) -> Result<Vec<String>> {
        images::remove(self, reference, force)
    }

    fn prune_images(&self, all: bool) -> Result<PruneReport> {
        images::prune(self, all)
    }

    fn image_history(&self, reference: &str) -> Result<Vec<HistoryEntry>> {
        images::history(self, reference)
    }

    fn pull_image(&self, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<()> {
        images::pull(self, reference, progress).map(|_| ())
    }

    fn create_container(&self, config: &ContainerConfig) -> Result<String> {
        containers::create(self, config)
    }

    fn start_container(&self, id: &str) -> Result<()> {
        containers::start(self, id, None).map(|_| ())
    }

    fn list_containers(&self, all: bool) -> Result<Vec<ContainerSummary>> {
        containers::list(self, all)
    }

    fn inspect_container(&self, id: &str) -> Result<ContainerDetails> {
        containers::details(self, id)
    }

    fn stop_container(&self, id: &str, timeout: Option<u32>) -> Result<()> {
        containers::stop(self, id, timeout, None)
    }

    fn kill_container(&self, id: &str, signal: Option<&str>) -> Result<()> {
        containers::kill(self, id, signal)
    }

    fn remove_container(&self, id: &str, force: bool, volumes: bool) -> Result<()> {
        containers::remove(self, id, force, volumes)
    }

    fn container_logs(&self, id: &str, tail: Option<usize>) -> Result<Logs> {
        let id = containers::resolve(self, id)?;
        logs::read(&self.container_dir(&id), tail)
    }

    fn exec(&self, id: &str, cmd: &[String], options: &ExecOptions) -> Result<ExecOutput> {
        containers::exec_captured(self, id, cmd, options)
    }

    fn wait_container(&self, id: &str) -> Result<i64> {
        containers::wait(self, id)
    }

    fn prune_containers(&self) -> Result<PruneReport> {
        containers::prune(self)
    }

    fn create_volume(&self, name: Option<&str>, labels: &Labels) -> Result<VolumeInfo> {
        volumes::create(self, name, labels)
    }

    fn list_volumes(&self) -> Result<Vec<VolumeInfo>> {
        volumes::list(self)
    }

    fn inspect_volume(&self, name: &str) -> Result<VolumeInfo> {
        volumes::inspect(self, name)
    }

    fn remove_volume(&self, name: &str, force: bool) -> Result<()> {
        volumes::remove(self, name, force)
    }

    fn prune_volumes(&self, all: bool) -> Result<PruneReport> {
        volumes::prune(self, all)
    }

    fn read_volume_file(&self, volume: &str, path: &str) -> Result<Vec<u8>> {
        volumes::read_file(self, volume, path)
    }

    fn http_get(&self, host_port: u16, path: &str) -> Result<HttpReply> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: localhost:{host_port}\r\nConnection: close\r\n\r\n");
        let reply = networks::host_request(
            self,
            std::net::Ipv4Addr::LOCALHOST,
            host_port,
            request.as_bytes(),
            std::time::Duration::from_secs(10),
        )
        .map_err(|f| EngineError::Local(format!("localhost:{host_port}: {}", f.text)))?;
        parse_http_reply(&reply)
            .ok_or_else(|| EngineError::Local(format!("localhost:{host_port} answered something that is not HTTP")))
    }

    fn interrupt(&self) {
        self.interrupted.store(true, std::sync::atomic::Ordering::SeqCst);
        for k in self.interruptible.lock().unwrap_or_else(std::sync::PoisonError::into_inner).drain(..) {
            k.kill();
        }
    }

    fn clear_interrupt(&self) {
        self.interrupted.store(false, std::sync::atomic::Ordering::SeqCst);
    }

    fn create_network(&self, config: &NetworkConfig) -> Result<String> {
        networks::create(self, config)
    }

    fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        networks::list(self)
    }

    fn inspect_network(&self, name: &str) -> Result<NetworkInfo> {
        networks::inspect(self, name)
    }

    fn connect_network(&self, network: &str, container: &str, aliases: &[String]) -> Result<()> {
        networks::connect(self, network, container, aliases)
    }

    fn disconnect_network(&self, network: &str, container: &str, force: bool) -> Result<()> {
        networks::disconnect(self, network, container, force)
    }

    fn remove_network(&self, name: &str) -> Result<()> {
        networks::remove(self, name)
    }

    fn prune_networks(&self) -> Result<PruneReport> {
        networks::prune(self)
    }
}

/// Status and body of a raw HTTP/1.x response read to the end of the connection.
fn parse_http_reply(raw: &[u8]) -> Option<HttpReply> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(head) = response.parse(raw).ok()? else { return None };
    let status = response.code?;
    let chunked = response.headers.iter().any(|h| {
        h.name.eq_ignore_ascii_case("transfer-encoding") && String::from_utf8_lossy(h.value).contains("chunked")
    });
    let mut body = raw[head..].to_vec();
    if chunked {
        let mut rest = body.as_slice();
        let mut plain = Vec::new();
        while let Ok(httparse::Status::Complete((at, size))) = httparse::parse_chunk_size(rest) {
            let size = usize::try_from(size).ok()?;
            if size == 0 || rest.len() < at + size {
                break;
            }
            plain.extend_from_slice(&rest[at..at + size]);
            rest = rest.get(at + size + 2..).unwrap_or_default();
        }
        body = plain;
    }
    Some(HttpReply { status, body: String::from_utf8_lossy(&body).into_owned() })
}
