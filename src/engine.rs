//! Engines: the operations lessons, goal checks and the REPL need, in Docker API terms. `real` talks to a Docker
//! API socket through bollard; the simulated engine implements the same trait, so a lesson runs unchanged on both.

pub mod error;
pub mod model;
pub mod ownership;
pub mod real;
pub mod sim;

pub use error::{EngineError, Result};
pub use model::*;

/// Which kind of engine answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    Real,
    Simulated,
}

/// A Docker engine. Calls block until the engine answers (or a timeout passes); they are safe to call from any
/// thread that is not inside an async runtime.
pub trait Engine: Send + Sync {
    fn kind(&self) -> EngineKind;
    /// A short description for prompts and messages: `Docker 28.2.2 at unix:///var/run/docker.sock`.
    fn describe(&self) -> String;

    // System.
    fn ping(&self) -> Result<()>;
    fn version(&self) -> Result<VersionInfo>;
    fn info(&self) -> Result<SystemInfo>;

    // Images.
    fn list_images(&self, all: bool) -> Result<Vec<ImageSummary>>;
    fn inspect_image(&self, reference: &str) -> Result<ImageDetails>;
    fn build_image(&self, options: &BuildOptions, progress: &mut dyn FnMut(&BuildEvent)) -> Result<BuildResult>;
    fn tag_image(&self, source: &str, target: &str) -> Result<()>;
    /// Returns Docker's `Untagged: …` / `Deleted: …` lines.
    fn remove_image(&self, reference: &str, force: bool) -> Result<Vec<String>>;
    fn prune_images(&self, all: bool) -> Result<PruneReport>;
    fn image_history(&self, reference: &str) -> Result<Vec<HistoryEntry>>;
    /// Pulls an image; `progress` gets Docker's status lines.
    fn pull_image(&self, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<()>;

    // Containers.
    /// Returns the new container's id.
    fn create_container(&self, config: &ContainerConfig) -> Result<String>;
    fn start_container(&self, id: &str) -> Result<()>;
    fn list_containers(&self, all: bool) -> Result<Vec<ContainerSummary>>;
    fn inspect_container(&self, id: &str) -> Result<ContainerDetails>;
    /// Sends the stop signal, waits `timeout` (Docker's default 10 s when `None`), then kills.
    fn stop_container(&self, id: &str, timeout: Option<u32>) -> Result<()>;
    fn kill_container(&self, id: &str, signal: Option<&str>) -> Result<()>;
    fn remove_container(&self, id: &str, force: bool, volumes: bool) -> Result<()>;
    fn container_logs(&self, id: &str, tail: Option<usize>) -> Result<Logs>;
    fn exec(&self, id: &str, cmd: &[String], options: &ExecOptions) -> Result<ExecOutput>;
    /// Waits for the container to stop; returns its exit code.
    fn wait_container(&self, id: &str) -> Result<i64>;
    fn prune_containers(&self) -> Result<PruneReport>;

    /// Creates and starts a container; when it runs in the foreground (`detach` false) also waits for it and
    /// returns its output and exit code.
    fn run_container(&self, config: &ContainerConfig, detach: bool) -> Result<RunOutcome> {
        let id = self.create_container(config)?;
        self.start_container(&id)?;
        if detach {
            return Ok(RunOutcome { id, exit_code: None, logs: Logs::default() });
        }
        let exit_code = self.wait_container(&id)?;
        let logs = if config.auto_remove { Logs::default() } else { self.container_logs(&id, None)? };
        Ok(RunOutcome { id, exit_code: Some(exit_code), logs })
    }

    // Volumes.
    fn create_volume(&self, name: Option<&str>, labels: &Labels) -> Result<VolumeInfo>;
    fn list_volumes(&self) -> Result<Vec<VolumeInfo>>;
    fn inspect_volume(&self, name: &str) -> Result<VolumeInfo>;
    fn remove_volume(&self, name: &str, force: bool) -> Result<()>;
    /// Removes unused volumes: anonymous ones only, unless `all` (Docker 23 and later).
    fn prune_volumes(&self, all: bool) -> Result<PruneReport>;
    /// The content of a file inside a volume (`path` relative to the volume's root).
    fn read_volume_file(&self, volume: &str, path: &str) -> Result<Vec<u8>>;

    // Networks.
    /// Returns the new network's id.
    fn create_network(&self, config: &NetworkConfig) -> Result<String>;
    fn list_networks(&self) -> Result<Vec<NetworkInfo>>;
    fn inspect_network(&self, name: &str) -> Result<NetworkInfo>;
    fn connect_network(&self, network: &str, container: &str, aliases: &[String]) -> Result<()>;
    fn disconnect_network(&self, network: &str, container: &str, force: bool) -> Result<()>;
    fn remove_network(&self, name: &str) -> Result<()>;
    fn prune_networks(&self) -> Result<PruneReport>;

    // The learner's machine.
    /// An HTTP GET to `host_port` on the learner's machine, where `-p HOST:CONTAINER` publishes a container's port:
    /// what a browser or `curl http://localhost:HOST/PATH` there would get. A port nothing answers on is an error.
    fn http_get(&self, host_port: u16, path: &str) -> Result<HttpReply>;

    // The learner's line.
    /// Ctrl-C while a learner's line runs: what the engine itself waits on for that line (following logs, an
    /// exec, a build step, `docker wait`) gives up. The real engine needs nothing: the terminal's signal reaches
    /// the learner's `docker` process itself.
    fn interrupt(&self) {}
    /// A learner's line begins or ends: a Ctrl-C before now no longer counts.
    fn clear_interrupt(&self) {}
}

/// What `run_container` returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    pub id: String,
    /// `None` for a detached container.
    pub exit_code: Option<i64>,
    pub logs: Logs,
}
