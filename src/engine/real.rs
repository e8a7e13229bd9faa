//! The real engine: a Docker-API socket (Docker, Podman) through bollard and tokio.
//!
//! The [`Engine`] trait is synchronous, so [`RealEngine`] owns a current-thread tokio runtime and blocks on it for
//! every call. Every call has a deadline ([`Timeouts`]); bollard's errors become [`EngineError`]s that keep the
//! daemon's own message text. Each resource kind lives in its own file: `containers.rs`, `images.rs` (with
//! `context.rs`, the build context tarball), `volumes.rs`, `networks.rs`; `connect.rs` finds the engine and
//! `convert.rs` turns bollard's models into ours.
//!
//! When the engine has an owner (a lesson), everything it creates carries the label `io.docklings.lesson=<owner>`
//! and its prunes only consider what carries that label, so a lesson never removes what the learner had before.

mod connect;
mod containers;
mod context;
mod convert;
mod http;
mod images;
mod networks;
mod volumes;

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use bollard::Docker;
use bollard::errors::Error as BollardError;

pub use connect::{ConnectOptions, connect};

use super::ownership::{LESSON_LABEL, lesson_labels};
use super::{
    BuildEvent, BuildOptions, BuildResult, ContainerConfig, ContainerDetails, ContainerSummary, Engine, EngineError,
    EngineKind, ExecOptions, ExecOutput, HistoryEntry, HttpReply, ImageDetails, ImageSummary, Labels, Logs,
    NetworkConfig, NetworkInfo, PruneReport, Result, RunOutcome, SystemInfo, Timeouts, VersionInfo, VolumeInfo,
};

/// An engine reached through the Docker API.
pub struct RealEngine {
    docker: Docker,
    runtime: tokio::runtime::Runtime,
    /// Where the engine answered, as a URL: `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`.
    endpoint: String,
    /// `Docker 20.10.24`, `Podman 4.9.3`.
    product: String,
    timeouts: Timeouts,
    owner: Option<String>,
}

impl RealEngine {
    /// Where the engine answered.
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The lesson whose label this engine puts on what it creates.
    #[must_use]
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }

    /// Runs one engine call to completion within `limit`.
    fn block<T>(&self, what: &str, limit: Duration, call: impl Future<Output = Result<T>>) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(EngineError::Local(format!(
                "the real engine was called from inside an async runtime ({what}); call it from a plain thread"
            )));
        }
        self.runtime.block_on(async {
            match tokio::time::timeout(limit, call).await {
                Ok(result) => result,
                Err(_) => Err(EngineError::Timeout { after: limit, what: what.to_string() }),
            }
        })
    }

    /// A quick call: list, inspect, create, remove.
    fn quick<T>(&self, what: &str, call: impl Future<Output = Result<T>>) -> Result<T> {
        self.block(what, self.timeouts.call, call)
    }

    /// A call that waits on containers or the network: stop, wait, pull, build, exec.
    fn long<T>(&self, what: &str, call: impl Future<Output = Result<T>>) -> Result<T> {
        self.block(what, self.timeouts.long, call)
    }

    /// The engine's error for a bollard error, with Docker's message kept as it is.
    fn error(&self, e: BollardError) -> EngineError {
        map_error(&self.endpoint, e)
    }

    /// `labels` plus the owner's label when this engine has an owner.
    fn labels(&self, labels: &Labels) -> HashMap<String, String> {
        let mut out: HashMap<String, String> = labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        if let Some(owner) = &self.owner {
            out.extend(lesson_labels(owner));
        }
        out
    }

    /// The filters that keep a prune to what this engine's owner created (none without an owner).
    fn prune_filters(&self) -> HashMap<String, Vec<String>> {
        let mut filters = HashMap::new();
        if let Some(owner) = &self.owner {
            filters.insert("label".to_string(), vec![format!("{LESSON_LABEL}={owner}")]);
        }
        filters
    }
}

/// Maps a bollard error to the engine's error. The daemon's answers keep their status and text; a failed
/// connection says which endpoint stopped answering.
fn map_error(endpoint: &str, e: BollardError) -> EngineError {
    match e {
        BollardError::DockerResponseServerError { status_code, message } => {
            EngineError::from_status(status_code, message)
        }
        // Errors inside a streamed answer (a failed build step, a failed pull) arrive after a 200; Docker's CLI
        // reports them as daemon errors, and so do we.
        BollardError::DockerStreamError { error } => EngineError::Server { status: 500, message: error },
        BollardError::DockerContainerWaitError { error, code } => EngineError::Server {
            status: 500,
            message: if error.is_empty() { format!("exit code {code}") } else { error },
        },
        BollardError::JsonDataError { message, .. } => {
            EngineError::Local(format!("the engine at {endpoint} sent an answer docklings cannot read: {message}"))
        }
        other => {
            let reason = connect::describe_failure(&other);
            EngineError::Unreachable { tried: vec![format!("{endpoint} ({reason})")] }
        }
    }
}

impl Engine for RealEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Real
    }

    fn describe(&self) -> String {
        format!("{} at {}", self.product, self.endpoint)
    }

    fn ping(&self) -> Result<()> {
        self.quick("ping", async { self.docker.ping().await.map(drop).map_err(|e| self.error(e)) })
    }

    fn version(&self) -> Result<VersionInfo> {
        let v = self.quick("version", async { self.docker.version().await.map_err(|e| self.error(e)) })?;
        Ok(convert::version(v))
    }

    fn info(&self) -> Result<SystemInfo> {
        let i = self.quick("info", async { self.docker.info().await.map_err(|e| self.error(e)) })?;
        Ok(convert::info(i))
    }

    fn list_images(&self, all: bool) -> Result<Vec<ImageSummary>> {
        self.list_images_impl(all)
    }

    fn inspect_image(&self, reference: &str) -> Result<ImageDetails> {
        self.inspect_image_impl(reference)
    }

    fn build_image(&self, options: &BuildOptions, progress: &mut dyn FnMut(&BuildEvent)) -> Result<BuildResult> {
        self.build_image_impl(options, progress)
    }

    fn tag_image(&self, source: &str, target: &str) -> Result<()> {
        self.tag_image_impl(source, target)
    }

    fn remove_image(&self, reference: &str, force: bool) -> Result<Vec<String>> {
        self.remove_image_impl(reference, force)
    }

    fn prune_images(&self, all: bool) -> Result<PruneReport> {
        self.prune_images_impl(all)
    }

    fn image_history(&self, reference: &str) -> Result<Vec<HistoryEntry>> {
        self.image_history_impl(reference)
    }

    fn pull_image(&self, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<()> {
        self.pull_image_impl(reference, progress)
    }

    fn create_container(&self, config: &ContainerConfig) -> Result<String> {
        self.create_container_impl(config)
    }

    fn start_container(&self, id: &str) -> Result<()> {
        self.start_container_impl(id)
    }

    fn list_containers(&self, all: bool) -> Result<Vec<ContainerSummary>> {
        self.list_containers_impl(all)
    }

    fn inspect_container(&self, id: &str) -> Result<ContainerDetails> {
        self.inspect_container_impl(id)
    }

    fn stop_container(&self, id: &str, timeout: Option<u32>) -> Result<()> {
        self.stop_container_impl(id, timeout)
    }

    fn kill_container(&self, id: &str, signal: Option<&str>) -> Result<()> {
        self.kill_container_impl(id, signal)
    }

    fn remove_container(&self, id: &str, force: bool, volumes: bool) -> Result<()> {
        self.remove_container_impl(id, force, volumes)
    }

    fn container_logs(&self, id: &str, tail: Option<usize>) -> Result<Logs> {
        self.container_logs_impl(id, tail)
    }

    fn exec(&self, id: &str, cmd: &[String], options: &ExecOptions) -> Result<ExecOutput> {
        self.exec_impl(id, cmd, options)
    }

    fn wait_container(&self, id: &str) -> Result<i64> {
        self.wait_container_impl(id)
    }

    fn prune_containers(&self) -> Result<PruneReport> {
        self.prune_containers_impl()
    }

    fn run_container(&self, config: &ContainerConfig, detach: bool) -> Result<RunOutcome> {
        self.run_container_impl(config, detach)
    }

    fn create_volume(&self, name: Option<&str>, labels: &Labels) -> Result<VolumeInfo> {
        self.create_volume_impl(name, labels)
    }

    fn list_volumes(&self) -> Result<Vec<VolumeInfo>> {
        self.list_volumes_impl()
    }

    fn inspect_volume(&self, name: &str) -> Result<VolumeInfo> {
        self.inspect_volume_impl(name)
    }

    fn remove_volume(&self, name: &str, force: bool) -> Result<()> {
        self.remove_volume_impl(name, force)
    }

    fn prune_volumes(&self, all: bool) -> Result<PruneReport> {
        self.prune_volumes_impl(all)
    }

    fn read_volume_file(&self, volume: &str, path: &str) -> Result<Vec<u8>> {
        self.read_volume_file_impl(volume, path)
    }

    fn http_get(&self, host_port: u16, path: &str) -> Result<HttpReply> {
        self.http_get_impl(host_port, path)
    }

    fn create_network(&self, config: &NetworkConfig) -> Result<String> {
        self.create_network_impl(config)
    }

    fn list_networks(&self) -> Result<Vec<NetworkInfo>> {
        self.list_networks_impl()
    }

    fn inspect_network(&self, name: &str) -> Result<NetworkInfo> {
        self.inspect_network_impl(name)
    }

    fn connect_network(&self, network: &str, container: &str, aliases: &[String]) -> Result<()> {
        self.connect_network_impl(network, container, aliases)
    }

    fn disconnect_network(&self, network: &str, container: &str, force: bool) -> Result<()> {
        self.disconnect_network_impl(network, container, force)
    }

    fn remove_network(&self, name: &str) -> Result<()> {
        self.remove_network_impl(name)
    }

    fn prune_networks(&self) -> Result<PruneReport> {
        self.prune_networks_impl()
    }
}
