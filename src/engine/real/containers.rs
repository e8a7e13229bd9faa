//! Containers: create, start, list, inspect, stop, kill, remove, logs, exec, wait, prune, run.

use std::collections::HashMap;
use std::time::Duration;

use bollard::container::LogOutput;
use bollard::errors::Error as BollardError;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::models::{
    ContainerCreateBody, EndpointSettings, HostConfig, Mount, MountType, MountVolumeOptions, NetworkingConfig,
    PortBinding,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, KillContainerOptionsBuilder, ListContainersOptionsBuilder, LogsOptionsBuilder,
    PruneContainersOptionsBuilder, RemoveContainerOptionsBuilder, StopContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::{RealEngine, convert};
use crate::engine::{
    ContainerConfig, ContainerDetails, ContainerSummary, EngineError, ExecOptions, ExecOutput, Logs, MountKind,
    PruneReport, Result, RunOutcome,
};

/// `Some(v)` unless `v` is empty, so the image's defaults apply.
fn non_empty<T>(v: Vec<T>) -> Option<Vec<T>> {
    (!v.is_empty()).then_some(v)
}

impl RealEngine {
    /// The API body for `config`. Named and anonymous volumes go in as mounts, so a volume Docker creates for
    /// the container carries the owner's label too; bind mounts go in as `-v` does (`Binds`), which creates a
    /// missing host folder instead of failing.
    fn create_body(&self, config: &ContainerConfig, auto_remove: bool) -> ContainerCreateBody {
        let owner_labels = self.owner.as_ref().map(|_| self.labels(&crate::engine::Labels::new()));
        let mut mounts = Vec::new();
        let mut binds = Vec::new();
        for m in &config.mounts {
            match m.kind {
                MountKind::Bind => {
                    binds.push(format!("{}:{}{}", m.source, m.target, if m.read_only { ":ro" } else { "" }));
                }
                MountKind::Volume => mounts.push(Mount {
                    typ: Some(MountType::VOLUME),
                    source: (!m.source.is_empty()).then(|| m.source.clone()),
                    target: Some(m.target.clone()),
                    read_only: Some(m.read_only),
                    volume_options: owner_labels
                        .clone()
                        .map(|labels| MountVolumeOptions { labels: Some(labels), ..Default::default() }),
                    ..Default::default()
                }),
                MountKind::Tmpfs => mounts.push(Mount {
                    typ: Some(MountType::TMPFS),
                    target: Some(m.target.clone()),
                    read_only: Some(m.read_only),
                    ..Default::default()
                }),
            }
        }
        let mut port_bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
        for p in &config.ports {
            let protocol = if p.protocol.is_empty() { "tcp" } else { p.protocol.as_str() };
            let binding = PortBinding {
                host_ip: (!p.host_ip.is_empty()).then(|| p.host_ip.clone()),
                host_port: Some(p.host_port.map(|n| n.to_string()).unwrap_or_default()),
            };
            port_bindings
                .entry(format!("{}/{protocol}", p.container_port))
                .or_default()
                .get_or_insert_default()
                .push(binding);
        }
        let mut exposed: Vec<String> = port_bindings.keys().cloned().collect();
        exposed.sort();
        let networking_config = config.network.as_ref().filter(|_| !config.network_aliases.is_empty()).map(|n| {
            let endpoint = EndpointSettings { aliases: Some(config.network_aliases.clone()), ..Default::default() };
            NetworkingConfig { endpoints_config: Some(HashMap::from([(n.clone(), endpoint)])) }
        });
        ContainerCreateBody {
            image: Some(config.image.clone()),
            cmd: non_empty(config.cmd.clone()),
            entrypoint: config.entrypoint.clone(),
            env: non_empty(config.env.clone()),
            labels: Some(self.labels(&config.labels)),
            exposed_ports: non_empty(exposed),
            tty: Some(config.tty),
            open_stdin: Some(config.open_stdin),
            working_dir: config.working_dir.clone(),
            user: config.user.clone(),
            hostname: config.hostname.clone(),
            host_config: Some(HostConfig {
                binds: non_empty(binds),
                mounts: non_empty(mounts),
                port_bindings: (!port_bindings.is_empty()).then_some(port_bindings),
                publish_all_ports: Some(config.publish_all),
                network_mode: config.network.clone(),
                auto_remove: Some(auto_remove),
                ..Default::default()
            }),
            networking_config,
            ..Default::default()
        }
    }

    fn create(&self, config: &ContainerConfig, auto_remove: bool) -> Result<String> {
        let body = self.create_body(config, auto_remove);
        let mut options = CreateContainerOptionsBuilder::default();
        if let Some(name) = &config.name {
            options = options.name(name);
        }
        let options = options.build();
        let created = self.quick("create container", async {
            self.docker.create_container(Some(options), body).await.map_err(|e| self.error(e))
        })?;
        Ok(created.id)
    }

    pub(super) fn create_container_impl(&self, config: &ContainerConfig) -> Result<String> {
        self.create(config, config.auto_remove)
    }

    pub(super) fn start_container_impl(&self, id: &str) -> Result<()> {
        self.quick("start container", async { self.docker.start_container(id, None).await.map_err(|e| self.error(e)) })
    }

    pub(super) fn list_containers_impl(&self, all: bool) -> Result<Vec<ContainerSummary>> {
        let options = ListContainersOptionsBuilder::default().all(all).build();
        let list = self.quick("list containers", async {
            self.docker.list_containers(Some(options)).await.map_err(|e| self.error(e))
        })?;
        Ok(list.into_iter().map(convert::container_summary).collect())
    }

    pub(super) fn inspect_container_impl(&self, id: &str) -> Result<ContainerDetails> {
        let c = self.quick("inspect container", async {
            self.docker.inspect_container(id, None).await.map_err(|e| self.error(e))
        })?;
        Ok(convert::container_details(c))
    }

    pub(super) fn stop_container_impl(&self, id: &str, timeout: Option<u32>) -> Result<()> {
        let mut options = StopContainerOptionsBuilder::default();
        if let Some(t) = timeout {
            options = options.t(i32::try_from(t).unwrap_or(i32::MAX));
        }
        let options = options.build();
        self.long("stop container", async {
            self.docker.stop_container(id, Some(options)).await.map_err(|e| self.error(e))
        })
    }

    pub(super) fn kill_container_impl(&self, id: &str, signal: Option<&str>) -> Result<()> {
        let options = signal.map(|s| KillContainerOptionsBuilder::default().signal(s).build());
        self.quick("kill container", async { self.docker.kill_container(id, options).await.map_err(|e| self.error(e)) })
    }

    pub(super) fn remove_container_impl(&self, id: &str, force: bool, volumes: bool) -> Result<()> {
        let options = RemoveContainerOptionsBuilder::default().force(force).v(volumes).build();
        self.quick("remove container", async {
            self.docker.remove_container(id, Some(options)).await.map_err(|e| self.error(e))
        })
    }

    pub(super) fn container_logs_impl(&self, id: &str, tail: Option<usize>) -> Result<Logs> {
        let tail = tail.map_or_else(|| "all".to_string(), |n| n.to_string());
        let options = LogsOptionsBuilder::default().stdout(true).stderr(true).tail(&tail).build();
        self.quick("container logs", async {
            let mut logs = Logs::default();
            let mut stream = self.docker.logs(id, Some(options));
            while let Some(chunk) = stream.next().await {
                collect(&mut logs.stdout, &mut logs.stderr, chunk.map_err(|e| self.error(e))?);
            }
            Ok(logs)
        })
    }

    pub(super) fn exec_impl(&self, id: &str, cmd: &[String], options: &ExecOptions) -> Result<ExecOutput> {
        let config = CreateExecOptions {
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            cmd: Some(cmd.to_vec()),
            env: non_empty(options.env.clone()),
            working_dir: options.working_dir.clone(),
            user: options.user.clone(),
            ..Default::default()
        };
        self.long("exec", async {
            let exec = self.docker.create_exec(id, config).await.map_err(|e| self.error(e))?;
            let mut out = ExecOutput::default();
            match self.docker.start_exec(&exec.id, None).await.map_err(|e| self.error(e))? {
                StartExecResults::Attached { mut output, .. } => {
                    while let Some(chunk) = output.next().await {
                        collect(&mut out.stdout, &mut out.stderr, chunk.map_err(|e| self.error(e))?);
                    }
                }
                StartExecResults::Detached => {}
            }
            // The output ends when the process does; the daemon may record the exit code a moment later.
            loop {
                let state = self.docker.inspect_exec(&exec.id).await.map_err(|e| self.error(e))?;
                match (state.running, state.exit_code) {
                    (Some(false) | None, Some(code)) => {
                        out.exit_code = code;
                        return Ok(out);
                    }
                    _ => tokio::time::sleep(Duration::from_millis(10)).await,
                }
            }
        })
    }

    pub(super) fn wait_container_impl(&self, id: &str) -> Result<i64> {
        self.long("wait for container", async {
            let mut stream = self.docker.wait_container(id, None);
            match stream.next().await {
                Some(Ok(answer)) => Ok(answer.status_code),
                // bollard reports a non-zero exit code as an error; for us it is the answer.
                Some(Err(BollardError::DockerContainerWaitError { code, .. })) => Ok(code),
                Some(Err(e)) => Err(self.error(e)),
                None => Err(EngineError::Server {
                    status: 500,
                    message: format!("waiting for {id} ended without an exit code"),
                }),
            }
        })
    }

    pub(super) fn prune_containers_impl(&self) -> Result<PruneReport> {
        let options = PruneContainersOptionsBuilder::default().filters(&self.prune_filters()).build();
        let answer = self.quick("prune containers", async {
            self.docker.prune_containers(Some(options)).await.map_err(|e| self.error(e))
        })?;
        Ok(PruneReport {
            deleted: answer.containers_deleted.unwrap_or_default(),
            space_reclaimed: answer.space_reclaimed.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
        })
    }

    /// Like the trait's `run_container`, except that a foreground `--rm` container is removed by docklings after
    /// its exit code and output are read: the daemon would remove it as it stops, racing the wait for its exit code.
    pub(super) fn run_container_impl(&self, config: &ContainerConfig, detach: bool) -> Result<RunOutcome> {
        let remove_after = config.auto_remove && !detach;
        let id = self.create(config, config.auto_remove && detach)?;
        let finish = |result: Result<RunOutcome>| {
            if remove_after {
                let removed = self.remove_container_impl(&id, true, true);
                // The run's own error matters more than a failed clean-up.
                return result.and_then(|outcome| removed.map(|()| outcome));
            }
            result
        };
        if let Err(e) = self.start_container_impl(&id) {
            return finish(Err(e));
        }
        if detach {
            return Ok(RunOutcome { id, exit_code: None, logs: Logs::default() });
        }
        let outcome = self.wait_container_impl(&id).and_then(|exit_code| {
            let logs = self.container_logs_impl(&id, None)?;
            Ok(RunOutcome { id: id.clone(), exit_code: Some(exit_code), logs })
        });
        finish(outcome)
    }
}

/// Appends one frame of multiplexed output to stdout or stderr. A TTY's output is one stream: stdout.
fn collect(stdout: &mut Vec<u8>, stderr: &mut Vec<u8>, chunk: LogOutput) {
    match chunk {
        LogOutput::StdErr { message } => stderr.extend_from_slice(&message),
        LogOutput::StdOut { message } | LogOutput::Console { message } => stdout.extend_from_slice(&message),
        LogOutput::StdIn { .. } => {}
    }
}
