//! Volumes: create, list, inspect, remove, prune, and reading a file out of one.

use std::io::Read;

use bollard::models::{ContainerCreateBody, HostConfig, Mount, MountType, MountVolumeOptions, VolumeCreateRequest};
use bollard::query_parameters::{
    DownloadFromContainerOptionsBuilder, PruneVolumesOptionsBuilder, RemoveContainerOptionsBuilder,
    RemoveVolumeOptionsBuilder,
};
use futures_util::StreamExt;

use super::{RealEngine, convert};
use crate::engine::{EngineError, Labels, PruneReport, Result, VolumeInfo};

/// Where the helper container of `read_volume_file` mounts the volume.
const MOUNT_POINT: &str = "/docklings-volume";
/// Marks the helper container, so a stray one (docklings killed mid-read) can be told from the learner's.
const HELPER_LABEL: &str = "io.docklings.helper";

/// `path` relative to a volume's root, or `None` when it leaves the volume.
fn volume_path(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The content of the one file in `archive` (the archive API's answer for a file path).
fn file_from_tar(archive: &[u8], shown: &str) -> Result<Vec<u8>> {
    let local = |what: String| EngineError::Local(what);
    let mut archive = tar::Archive::new(archive);
    let mut entries = archive.entries().map_err(|e| local(format!("cannot read the archive for {shown}: {e}")))?;
    let Some(entry) = entries.next() else {
        return Err(EngineError::NotFound(format!("no such file: {shown}")));
    };
    let mut entry = entry.map_err(|e| local(format!("cannot read the archive for {shown}: {e}")))?;
    let kind = entry.header().entry_type();
    if kind.is_dir() {
        return Err(local(format!("{shown} is a folder, not a file")));
    }
    if kind.is_symlink() {
        let target = entry.link_name().ok().flatten().map(|t| t.display().to_string()).unwrap_or_default();
        return Err(local(format!("{shown} is a symbolic link (to {target}), not a file")));
    }
    let mut content = Vec::new();
    entry.read_to_end(&mut content).map_err(|e| local(format!("cannot read {shown}: {e}")))?;
    Ok(content)
}

impl RealEngine {
    pub(super) fn create_volume_impl(&self, name: Option<&str>, labels: &Labels) -> Result<VolumeInfo> {
        let request = VolumeCreateRequest {
            name: name.map(str::to_string),
            labels: Some(self.labels(labels)),
            ..Default::default()
        };
        let v =
            self.quick("create volume", async { self.docker.create_volume(request).await.map_err(|e| self.error(e)) })?;
        Ok(convert::volume(v))
    }

    pub(super) fn list_volumes_impl(&self) -> Result<Vec<VolumeInfo>> {
        let answer = self.quick("list volumes", async {
            self.docker
                .list_volumes(None::<bollard::query_parameters::ListVolumesOptions>)
                .await
                .map_err(|e| self.error(e))
        })?;
        Ok(answer.volumes.unwrap_or_default().into_iter().map(convert::volume).collect())
    }

    pub(super) fn inspect_volume_impl(&self, name: &str) -> Result<VolumeInfo> {
        let v =
            self.quick("inspect volume", async { self.docker.inspect_volume(name).await.map_err(|e| self.error(e)) })?;
        Ok(convert::volume(v))
    }

    pub(super) fn remove_volume_impl(&self, name: &str, force: bool) -> Result<()> {
        let options = RemoveVolumeOptionsBuilder::default().force(force).build();
        self.quick("remove volume", async {
            self.docker.remove_volume(name, Some(options)).await.map_err(|e| self.error(e))
        })
    }

    /// Docker 23 and later prune only anonymous volumes unless the filter `all=true` is given. Older engines
    /// (20.10 here) refuse that filter and prune every unused volume, so without it the prune is sent again:
    /// the report says what the engine removed either way.
    pub(super) fn prune_volumes_impl(&self, all: bool) -> Result<PruneReport> {
        let base = self.prune_filters();
        let mut with_all = base.clone();
        if all {
            with_all.insert("all".to_string(), vec!["true".to_string()]);
        }
        let prune = |filters: std::collections::HashMap<String, Vec<String>>| {
            let options = PruneVolumesOptionsBuilder::default().filters(&filters).build();
            self.quick("prune volumes", async {
                self.docker.prune_volumes(Some(options)).await.map_err(|e| self.error(e))
            })
        };
        let answer = match prune(with_all) {
            Err(EngineError::BadRequest(m)) if all && m.contains("'all'") => prune(base)?,
            other => other?,
        };
        Ok(PruneReport {
            deleted: answer.volumes_deleted.unwrap_or_default(),
            space_reclaimed: answer.space_reclaimed.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
        })
    }

    /// Reads a file from a volume without running anything: a helper container (created, never started) from
    /// any image present mounts the volume read-only, the archive API hands out the file, the helper goes.
    pub(super) fn read_volume_file_impl(&self, volume: &str, path: &str) -> Result<Vec<u8>> {
        let Some(rel) = volume_path(path) else {
            return Err(EngineError::Local(format!("{path:?} is not a file path inside a volume")));
        };
        let shown = format!("{volume}:/{rel}");
        // Creating the helper would create a missing volume; Docker's own error is the better answer.
        self.inspect_volume_impl(volume)?;
        let images = self.list_images_impl(false)?;
        let image = images
            .iter()
            .find_map(|i| i.repo_tags.first().cloned())
            .or_else(|| images.first().map(|i| i.id.clone()))
            .ok_or_else(|| {
                EngineError::Local("reading a volume needs an image on the engine, and there is none".to_string())
            })?;
        let mut labels = Labels::from([(HELPER_LABEL.to_string(), "read-volume-file".to_string())]);
        labels.extend(self.labels(&Labels::new()));
        let body = ContainerCreateBody {
            image: Some(image),
            // Never run; any command makes an image without CMD acceptable.
            cmd: Some(vec!["/docklings-never-runs".to_string()]),
            labels: Some(labels.into_iter().collect()),
            network_disabled: Some(true),
            host_config: Some(HostConfig {
                mounts: Some(vec![Mount {
                    typ: Some(MountType::VOLUME),
                    source: Some(volume.to_string()),
                    target: Some(MOUNT_POINT.to_string()),
                    read_only: Some(true),
                    volume_options: Some(MountVolumeOptions { no_copy: Some(true), ..Default::default() }),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let helper = self.quick("create volume reader", async {
            self.docker
                .create_container(None::<bollard::query_parameters::CreateContainerOptions>, body)
                .await
                .map_err(|e| self.error(e))
        })?;
        let options = DownloadFromContainerOptionsBuilder::default().path(&format!("{MOUNT_POINT}/{rel}")).build();
        let archive = self.quick("read volume file", async {
            let mut bytes = Vec::new();
            let mut stream = self.docker.download_from_container(&helper.id, Some(options));
            while let Some(chunk) = stream.next().await {
                bytes.extend_from_slice(&chunk.map_err(|e| self.error(e))?);
            }
            Ok(bytes)
        });
        let removed = self.quick("remove volume reader", async {
            let options = RemoveContainerOptionsBuilder::default().force(true).build();
            self.docker.remove_container(&helper.id, Some(options)).await.map_err(|e| self.error(e))
        });
        let archive = match archive {
            Err(EngineError::NotFound(_)) => return Err(EngineError::NotFound(format!("no such file: {shown}"))),
            other => other?,
        };
        removed?;
        file_from_tar(&archive, &shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_volume() {
        assert_eq!(volume_path("/a/./b.txt").as_deref(), Some("a/b.txt"));
        assert_eq!(volume_path("b.txt").as_deref(), Some("b.txt"));
        assert_eq!(volume_path("../etc/passwd"), None);
        assert_eq!(volume_path("/"), None);
    }
}
