//! `docker rmi` and `docker image prune`.

use std::sync::Arc;

use super::{Filters, Io, Outcome, args, confirm, engine_error};
use crate::dockercli::Invocation;
use crate::dockerfmt;
use crate::engine::EngineError;
use crate::engine::sim::SimEngine;
use crate::engine::sim::cli::{Failure, daemon_text};
use crate::engine::sim::images;

/// `docker rmi [-f] [--no-prune] IMAGE...`: each image's lines as it goes; the errors together at the end. With
/// `--force`, images that do not exist are reported on stderr without failing.
pub(super) fn rmi(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let force = inv.has("force");
    let prune = !inv.has("no-prune");
    let mut errors = Vec::new();
    let mut fatal = false;
    for key in args(inv) {
        match images::remove_image(engine, key, force, prune) {
            Ok(lines) => {
                for line in lines {
                    io.out(&format!("{line}\n"));
                }
            }
            Err(e) => {
                fatal |= !matches!(e, EngineError::NotFound(_));
                errors.push(daemon_text(&e));
            }
        }
    }
    if errors.is_empty() {
        return Ok(0);
    }
    let message = errors.join("\n");
    if !force || fatal {
        return Err(Failure::new(message, 1));
    }
    io.err(&format!("{message}\n"));
    Ok(0)
}

const ALL_WARNING: &str = "WARNING! This will remove all images without at least one container associated to them.";
const DANGLING_WARNING: &str = "WARNING! This will remove all dangling images.";

/// `docker image prune [-a] [-f] [--filter F]`
pub(super) fn prune(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let all = inv.has("all");
    let filters = Filters::parse(inv, "[OPTIONS]")?;
    if !inv.has("force") && !confirm(io, if all { ALL_WARNING } else { DANGLING_WARNING }) {
        return Ok(0);
    }
    filters.validate(&["dangling", "label", "label!", "until"])?;
    // The CLI adds `dangling=true` (`false` with `-a`) to the user's filters; the daemon reads them together.
    let mut dangling = filters.clone();
    dangling.0.push(("dangling".to_string(), (!all).to_string()));
    let all = dangling.bool("dangling")? == Some(false);
    if !filters.get("until").is_empty() {
        return Err(Failure::new("docklings: `image prune --filter until=…` is not simulated yet", 1));
    }
    let mut labels = filters.labels(false);
    labels.extend(filters.labels(true));
    let report = images::prune_with(engine, all, &labels).map_err(|e| engine_error(&e))?;
    if !report.deleted.is_empty() {
        let mut text = String::from("Deleted Images:\n");
        for line in &report.deleted {
            let (kind, what) = line.split_once(": ").unwrap_or(("Deleted", line));
            text.push_str(&format!("{}: {what}\n", kind.to_lowercase()));
        }
        io.out(&format!("{text}\n"));
    }
    #[allow(clippy::cast_precision_loss)] // Go's float64(uint64); exact far beyond any size here.
    let reclaimed = dockerfmt::human_size(report.space_reclaimed as f64);
    io.out(&format!("Total reclaimed space: {reclaimed}\n"));
    Ok(0)
}
