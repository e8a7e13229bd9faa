//! Images: list, inspect, build (legacy builder and BuildKit output read alike), tag, remove, prune, history, pull.

use std::collections::HashMap;

use bollard::query_parameters::{
    BuildImageOptionsBuilder, CreateImageOptionsBuilder, ListImagesOptionsBuilder, PruneImagesOptionsBuilder,
    RemoveImageOptionsBuilder, TagImageOptionsBuilder,
};
use futures_util::StreamExt;

use super::{RealEngine, context, convert};
use crate::engine::{
    BuildEvent, BuildOptions, BuildResult, EngineError, HistoryEntry, ImageDetails, ImageSummary, PruneReport, Result,
};

/// Splits `name[:tag]` into name and tag (`latest` when missing); a port in the registry host is not a tag.
pub fn split_reference(reference: &str) -> (String, String) {
    let slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[slash..].rfind(':') {
        Some(i) => (reference[..slash + i].to_string(), reference[slash + i + 1..].to_string()),
        None => (reference.to_string(), "latest".to_string()),
    }
}

/// Reads a build's output stream line by line: step headers, cache hits, the image id.
#[derive(Default)]
pub struct BuildLog {
    partial: String,
    step: String,
    /// BuildKit's step names by vertex (`#5 [2/3] RUN …`).
    vertices: HashMap<String, String>,
    pub cached: usize,
    pub image_id: Option<String>,
    /// From the legacy builder's `Successfully built 1a2b3c`.
    pub short_id: Option<String>,
}

impl BuildLog {
    /// Takes a chunk of output, which may end in the middle of a line.
    pub fn feed(&mut self, text: &str, emit: &mut dyn FnMut(&BuildEvent)) {
        self.partial.push_str(text);
        while let Some(end) = self.partial.find('\n') {
            let line: String = self.partial.drain(..=end).collect();
            self.line(line.trim_end_matches(['\n', '\r']), emit);
        }
    }

    /// Ends the output: a last line without a newline still counts.
    pub fn finish(&mut self, emit: &mut dyn FnMut(&BuildEvent)) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.line(line.trim_end_matches('\r'), emit);
        }
    }

    fn line(&mut self, line: &str, emit: &mut dyn FnMut(&BuildEvent)) {
        emit(&BuildEvent::Output(line.to_string()));
        let trimmed = line.trim();
        // The legacy builder (`Step 2/3 : RUN …`, ` ---> Using cache`) and Podman's (`STEP 2/3: RUN …`, `--> Using cache 3f…`).
        if trimmed.starts_with("Step ") || trimmed.starts_with("STEP ") {
            self.step = trimmed.to_string();
        } else if trimmed.starts_with("---> Using cache") || trimmed.starts_with("--> Using cache") {
            self.cached += 1;
            emit(&BuildEvent::Cached { step: self.step.clone() });
        } else if let Some(id) = trimmed.strip_prefix("Successfully built ") {
            self.short_id = Some(id.trim().to_string());
        } else if let Some(rest) = trimmed.strip_prefix('#') {
            // BuildKit's plain progress: `#5 [2/3] RUN echo hi`, then `#5 CACHED`.
            let (vertex, what) = rest.split_once(' ').unwrap_or((rest, ""));
            if what == "CACHED" {
                self.cached += 1;
                let step = self.vertices.get(vertex).cloned().unwrap_or_default();
                emit(&BuildEvent::Cached { step });
            } else if what.starts_with('[') && !self.vertices.contains_key(vertex) {
                self.vertices.insert(vertex.to_string(), what.to_string());
            }
        }
    }
}

impl RealEngine {
    pub(super) fn list_images_impl(&self, all: bool) -> Result<Vec<ImageSummary>> {
        let options = ListImagesOptionsBuilder::default().all(all).build();
        let images = self
            .quick("list images", async { self.docker.list_images(Some(options)).await.map_err(|e| self.error(e)) })?;
        Ok(images.into_iter().map(convert::image_summary).collect())
    }

    pub(super) fn inspect_image_impl(&self, reference: &str) -> Result<ImageDetails> {
        let image = self
            .quick("inspect image", async { self.docker.inspect_image(reference).await.map_err(|e| self.error(e)) })?;
        Ok(convert::image_details(image))
    }

    pub(super) fn build_image_impl(
        &self,
        options: &BuildOptions,
        progress: &mut dyn FnMut(&BuildEvent),
    ) -> Result<BuildResult> {
        let dockerfile = options.dockerfile.as_deref().unwrap_or("Dockerfile");
        let archive = context::tar_context(&options.context, dockerfile)?;
        let labels = self.labels(&options.labels);
        let build_args: HashMap<String, String> =
            options.build_args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut query = BuildImageOptionsBuilder::default()
            .dockerfile(dockerfile)
            .nocache(options.no_cache)
            .rm(true)
            // Intermediate containers of a failed step go too: they would carry no label for reset to find.
            .forcerm(true)
            .labels(&labels)
            .buildargs(&build_args);
        // The API takes several `t`; bollard sends one, so the other tags are added after the build.
        if let Some(first) = options.tags.first() {
            query = query.t(first);
        }
        if let Some(target) = &options.target {
            query = query.target(target);
        }
        let query = query.build();
        let mut log = BuildLog::default();
        let built = self.long("build", async {
            let mut stream = self.docker.build_image(query, None, Some(bollard::body_full(archive.into())));
            while let Some(item) = stream.next().await {
                let info = match item {
                    Ok(info) => info,
                    Err(e) => {
                        log.finish(progress);
                        return Err(self.error(e));
                    }
                };
                if let Some(text) = &info.stream {
                    log.feed(text, progress);
                }
                if let Some(status) = &info.status {
                    let line = match &info.id {
                        Some(id) => format!("{id}: {status}\n"),
                        None => format!("{status}\n"),
                    };
                    log.feed(&line, progress);
                }
                if let Some(id) = info.aux.and_then(|a| a.id) {
                    log.image_id = Some(id);
                }
            }
            log.finish(progress);
            Ok(())
        });
        built?;
        let image_id = match (log.image_id.take(), log.short_id.take()) {
            (Some(id), _) => id,
            (None, Some(short)) => self.inspect_image_impl(&short)?.id,
            (None, None) => {
                return Err(EngineError::Server {
                    status: 500,
                    message: "the build ended without naming the image it built".to_string(),
                });
            }
        };
        for tag in options.tags.iter().skip(1) {
            self.tag_image_impl(&image_id, tag)?;
        }
        Ok(BuildResult { image_id, cached_steps: log.cached })
    }

    pub(super) fn tag_image_impl(&self, source: &str, target: &str) -> Result<()> {
        let (repo, tag) = split_reference(target);
        let options = TagImageOptionsBuilder::default().repo(&repo).tag(&tag).build();
        self.quick("tag image", async { self.docker.tag_image(source, Some(options)).await.map_err(|e| self.error(e)) })
    }

    pub(super) fn remove_image_impl(&self, reference: &str, force: bool) -> Result<Vec<String>> {
        let options = RemoveImageOptionsBuilder::default().force(force).build();
        let items = self.quick("remove image", async {
            self.docker.remove_image(reference, Some(options), None).await.map_err(|e| self.error(e))
        })?;
        Ok(deletion_lines(items))
    }

    /// Removes unused images (dangling ones only unless `all`). `deleted` holds Docker's `Untagged: …` and
    /// `Deleted: …` lines, as `remove_image` returns them.
    pub(super) fn prune_images_impl(&self, all: bool) -> Result<PruneReport> {
        let mut filters = self.prune_filters();
        filters.insert("dangling".to_string(), vec![(!all).to_string()]);
        let options = PruneImagesOptionsBuilder::default().filters(&filters).build();
        let answer = self.quick("prune images", async {
            self.docker.prune_images(Some(options)).await.map_err(|e| self.error(e))
        })?;
        Ok(PruneReport {
            deleted: deletion_lines(answer.images_deleted.unwrap_or_default()),
            space_reclaimed: answer.space_reclaimed.and_then(|n| u64::try_from(n).ok()).unwrap_or(0),
        })
    }

    pub(super) fn image_history_impl(&self, reference: &str) -> Result<Vec<HistoryEntry>> {
        let items = self
            .quick("image history", async { self.docker.image_history(reference).await.map_err(|e| self.error(e)) })?;
        Ok(items.into_iter().map(convert::history_entry).collect())
    }

    pub(super) fn pull_image_impl(&self, reference: &str, progress: &mut dyn FnMut(&str)) -> Result<()> {
        let builder = if reference.contains('@') {
            CreateImageOptionsBuilder::default().from_image(reference)
        } else {
            let (repo, tag) = split_reference(reference);
            CreateImageOptionsBuilder::default().from_image(&repo).tag(&tag)
        };
        let options = builder.build();
        self.long("pull", async {
            let mut stream = self.docker.create_image(Some(options), None, None);
            while let Some(item) = stream.next().await {
                let info = item.map_err(|e| self.error(e))?;
                let Some(status) = info.status else { continue };
                // Progress-bar ticks (`Downloading`, `Extracting` with byte counts) are not status lines.
                let ticking = info.progress_detail.is_some_and(|p| p.current.is_some() || p.total.is_some());
                if ticking {
                    continue;
                }
                match info.id {
                    Some(id) => progress(&format!("{id}: {status}")),
                    None => progress(&status),
                }
            }
            Ok(())
        })
    }
}

fn deletion_lines(items: Vec<bollard::models::ImageDeleteResponseItem>) -> Vec<String> {
    let mut lines = Vec::new();
    for item in items {
        if let Some(r) = item.untagged {
            lines.push(format!("Untagged: {r}"));
        }
        if let Some(id) = item.deleted {
            lines.push(format!("Deleted: {id}"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_at_the_tag_not_the_port() {
        assert_eq!(split_reference("busybox"), ("busybox".into(), "latest".into()));
        assert_eq!(split_reference("busybox:1.36"), ("busybox".into(), "1.36".into()));
        assert_eq!(split_reference("localhost:5000/app"), ("localhost:5000/app".into(), "latest".into()));
        assert_eq!(split_reference("localhost:5000/app:v2"), ("localhost:5000/app".into(), "v2".into()));
    }

    #[test]
    fn counts_cache_hits_of_both_builders() {
        let mut events = Vec::new();
        let mut log = BuildLog::default();
        let mut emit = |e: &BuildEvent| events.push(e.clone());
        log.feed("Step 1/3 : FROM busybox\n ---> 11da4aa45221\nStep 2/3 : RUN echo hi\n ---> Using cache\n", &mut emit);
        log.feed(" ---> 5d2a\nSuccessfully bu", &mut emit);
        log.feed("ilt 5d2a\n", &mut emit);
        log.feed("#5 [2/2] COPY a b\n#5 CACHED\n", &mut emit);
        log.finish(&mut emit);
        assert_eq!(log.cached, 2);
        assert_eq!(log.short_id.as_deref(), Some("5d2a"));
        let cached: Vec<_> = events.iter().filter(|e| matches!(e, BuildEvent::Cached { .. })).collect();
        assert_eq!(
            cached,
            [
                &BuildEvent::Cached { step: "Step 2/3 : RUN echo hi".into() },
                &BuildEvent::Cached { step: "[2/2] COPY a b".into() }
            ]
        );
        assert!(events.contains(&BuildEvent::Output("Successfully built 5d2a".into())));
    }
}
