//! What engines report and take, in Docker API terms. Both backends produce these, so lessons and goal checks
//! never see bollard's types or the simulation's internals.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Labels, sorted so output and comparisons are stable.
pub type Labels = BTreeMap<String, String>;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionInfo {
    /// The engine's version, e.g. `28.2.2` (`20.10.24+dfsg1` for Debian's).
    pub version: String,
    pub api_version: String,
    pub os: String,
    pub arch: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SystemInfo {
    pub name: String,
    pub containers: u64,
    pub containers_running: u64,
    pub images: u64,
    pub server_version: String,
    pub storage_driver: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageSummary {
    /// `sha256:…`.
    pub id: String,
    /// `name:tag` references; empty for a dangling image.
    pub repo_tags: Vec<String>,
    /// Seconds since the Unix epoch.
    pub created: i64,
    pub size: i64,
    pub labels: Labels,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageDetails {
    pub id: String,
    pub repo_tags: Vec<String>,
    pub created: String,
    pub size: i64,
    pub labels: Labels,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub user: String,
    /// `80/tcp` style keys.
    pub exposed_ports: Vec<String>,
    pub volumes: Vec<String>,
    /// Layer digests of the root filesystem, bottom first.
    pub layers: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: String,
    /// When the step ran, in seconds since the epoch. A step taken from the build cache keeps the time it first ran.
    pub created: i64,
    pub created_by: String,
    pub size: i64,
    pub comment: String,
}

/// One event while an image builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildEvent {
    /// A line of build output (step headers, RUN output).
    Output(String),
    /// A step was taken from the build cache.
    Cached { step: String },
}

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The build context folder.
    pub context: PathBuf,
    /// The Dockerfile, relative to the context (default `Dockerfile`).
    pub dockerfile: Option<String>,
    pub tags: Vec<String>,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub labels: Labels,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildResult {
    pub image_id: String,
    /// How many steps came from the cache.
    pub cached_steps: usize,
}

/// Where a container's mount comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MountKind {
    Volume,
    Bind,
    Tmpfs,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountSpec {
    pub kind: MountKind,
    /// Volume name (empty for an anonymous volume) or host path.
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortSpec {
    pub container_port: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
    pub host_ip: String,
    /// `None` lets the engine pick a port.
    pub host_port: Option<u16>,
}

/// What a new container is made of (`docker create`'s options that lessons use).
// Docker's API has these as independent booleans; an enum would only rename them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug, Default)]
pub struct ContainerConfig {
    pub image: String,
    pub name: Option<String>,
    /// Overrides the image's CMD when not empty.
    pub cmd: Vec<String>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<String>,
    pub labels: Labels,
    pub mounts: Vec<MountSpec>,
    pub ports: Vec<PortSpec>,
    pub publish_all: bool,
    pub network: Option<String>,
    pub network_aliases: Vec<String>,
    pub auto_remove: bool,
    pub tty: bool,
    pub open_stdin: bool,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
}

/// Docker's container states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContainerStatus {
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

impl ContainerStatus {
    #[must_use]
    pub fn parse(s: &str) -> ContainerStatus {
        match s {
            "running" => ContainerStatus::Running,
            "paused" => ContainerStatus::Paused,
            "restarting" => ContainerStatus::Restarting,
            "removing" => ContainerStatus::Removing,
            "exited" => ContainerStatus::Exited,
            "dead" => ContainerStatus::Dead,
            _ => ContainerStatus::Created,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerStatus::Created => "created",
            ContainerStatus::Running => "running",
            ContainerStatus::Paused => "paused",
            ContainerStatus::Restarting => "restarting",
            ContainerStatus::Removing => "removing",
            ContainerStatus::Exited => "exited",
            ContainerStatus::Dead => "dead",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerSummary {
    pub id: String,
    /// Without the leading `/`.
    pub name: String,
    pub image: String,
    pub status: ContainerStatus,
    pub labels: Labels,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountInfo {
    pub kind: MountKind,
    /// The volume's name for a volume mount.
    pub name: Option<String>,
    /// The host path (or the volume's folder).
    pub source: String,
    pub destination: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointInfo {
    pub network_id: String,
    pub ip_address: String,
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerDetails {
    pub id: String,
    pub name: String,
    pub image: String,
    pub image_id: String,
    pub status: ContainerStatus,
    pub exit_code: i64,
    pub labels: Labels,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub env: Vec<String>,
    pub mounts: Vec<MountInfo>,
    /// By network name.
    pub networks: BTreeMap<String, EndpointInfo>,
    /// Published ports: container port spec (`80/tcp`) to host bindings.
    pub ports: Vec<PortSpec>,
    pub auto_remove: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Logs {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
pub struct ExecOptions {
    pub env: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecOutput {
    pub exit_code: i64,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VolumeInfo {
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    pub labels: Labels,
    /// True for a volume Docker named itself (an anonymous volume).
    pub anonymous: bool,
}

#[derive(Clone, Debug, Default)]
pub struct NetworkConfig {
    pub name: String,
    /// `bridge` when not given.
    pub driver: Option<String>,
    pub labels: Labels,
    pub options: BTreeMap<String, String>,
    pub subnet: Option<String>,
    pub internal: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkInfo {
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    pub labels: Labels,
    pub subnets: Vec<String>,
    /// Attached containers by name, with their address.
    pub containers: BTreeMap<String, EndpointInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PruneReport {
    pub deleted: Vec<String>,
    pub space_reclaimed: u64,
}

/// How long a call may take before it is abandoned.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// Quick calls: list, inspect, create, remove.
    pub call: Duration,
    /// Calls that wait on containers or the network: stop, wait, pull, build.
    pub long: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { call: Duration::from_secs(30), long: Duration::from_secs(600) }
    }
}

/// What a port published on the learner's machine answered to an HTTP GET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
}
