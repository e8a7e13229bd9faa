//! Ownership in real mode: everything docklings creates carries the label `io.docklings.lesson=<id>`, and a
//! reset removes only what carries it. A learner's own containers, images, volumes and networks are never
//! touched, even when they have the names a lesson uses.

use super::{Engine, Labels, Result};

/// The label that marks what a lesson created.
pub const LESSON_LABEL: &str = "io.docklings.lesson";

/// The labels to put on what `lesson` creates.
#[must_use]
pub fn lesson_labels(lesson: &str) -> Labels {
    Labels::from([(LESSON_LABEL.to_string(), lesson.to_string())])
}

fn owned(labels: &Labels, lesson: &str) -> bool {
    labels.get(LESSON_LABEL).is_some_and(|v| v == lesson)
}

/// What a reset removed, and what it could not (with the engine's reason).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ResetReport {
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
    pub images: Vec<String>,
    pub failed: Vec<(String, String)>,
}

/// Removes every container, network, volume and image labelled for `lesson`, in the order that lets each go:
/// containers (with their anonymous volumes) first, then networks and volumes, then images.
pub fn reset(engine: &dyn Engine, lesson: &str) -> Result<ResetReport> {
    let mut report = ResetReport::default();
    for c in engine.list_containers(true)?.into_iter().filter(|c| owned(&c.labels, lesson)) {
        match engine.remove_container(&c.id, true, true) {
            Ok(()) => report.containers.push(c.name),
            Err(e) => report.failed.push((c.name, e.to_string())),
        }
    }
    for n in engine.list_networks()?.into_iter().filter(|n| owned(&n.labels, lesson)) {
        match engine.remove_network(&n.id) {
            Ok(()) => report.networks.push(n.name),
            Err(e) => report.failed.push((n.name, e.to_string())),
        }
    }
    for v in engine.list_volumes()?.into_iter().filter(|v| owned(&v.labels, lesson)) {
        match engine.remove_volume(&v.name, true) {
            Ok(()) => report.volumes.push(v.name),
            Err(e) => report.failed.push((v.name, e.to_string())),
        }
    }
    for i in engine.list_images(true)?.into_iter().filter(|i| owned(&i.labels, lesson)) {
        let name = i.repo_tags.first().cloned().unwrap_or_else(|| i.id.clone());
        // By id with force, so every tag the lesson put on it goes too; a learner's container using it keeps
        // it alive (Docker refuses), which the report says.
        match engine.remove_image(&i.id, true) {
            Ok(_) => report.images.push(name),
            Err(e) => report.failed.push((name, e.to_string())),
        }
    }
    Ok(report)
}
