//! `docker stop`, `restart`, `kill`, `rm`, `wait` and `container prune`. Commands that take several containers
//! print each name that worked on stdout and each error on stderr, and fail (status 1) when one did; `rm -f`
//! reports errors without failing, as docker/cli does.

use std::sync::Arc;

use super::filter::Filters;
use super::{Failure, Io, Outcome, args, daemon, int_flag, value};
use crate::dockercli::Invocation;
use crate::dockerfmt::human_size;
use crate::engine::EngineError;
use crate::engine::sim::SimEngine;
use crate::engine::sim::cli::daemon_text;
use crate::engine::sim::containers;

/// Runs `op` on every container named, printing the name when it worked and the error when not.
fn each(
    inv: &Invocation,
    io: &mut Io,
    ignore_errors: bool,
    mut op: impl FnMut(&str) -> Result<(), EngineError>,
) -> Outcome {
    let mut errors = Vec::new();
    for name in args(inv) {
        match op(name) {
            Ok(()) => io.out(&format!("{name}\n")),
            Err(e) => errors.push(daemon_text(&e)),
        }
    }
    if errors.is_empty() {
        return Ok(0);
    }
    if ignore_errors {
        io.err(&format!("{}\n", errors.join("\n")));
        return Ok(0);
    }
    Err(Failure::new(errors.join("\n"), 1))
}

/// `docker stop [-t N] [-s SIG] CONTAINER...`
pub fn stop(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let timeout = match int_flag(inv, io, "timeout") {
        Ok(t) => t,
        Err(status) => return Ok(status),
    };
    let signal = value(inv, "signal");
    each(inv, io, false, |name| containers::stop_with(engine, name, timeout, signal))
}

/// `docker restart [-t N] [-s SIG] CONTAINER...`: stop (if running), then start. A manual restart is not
/// counted in `RestartCount`, which counts the restart policy's.
pub fn restart(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let timeout = match int_flag(inv, io, "timeout") {
        Ok(t) => t,
        Err(status) => return Ok(status),
    };
    let signal = value(inv, "signal");
    each(inv, io, false, |name| {
        containers::stop_with(engine, name, timeout, signal)?;
        match containers::start(engine, name, None) {
            Ok(_) | Err(EngineError::NotModified(_)) => Ok(()),
            Err(e) => Err(e),
        }
    })
}

/// `docker kill [-s SIG] CONTAINER...`
pub fn kill(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let signal = value(inv, "signal");
    each(inv, io, false, |name| containers::kill(engine, name, signal))
}

/// `docker rm [-f] [-v] CONTAINER...`
pub fn rm(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let force = inv.has("force");
    let volumes = inv.has("volumes");
    each(inv, io, force, |name| {
        let name = name.trim_matches('/');
        if name.is_empty() {
            return Err(EngineError::Local("Container name cannot be empty".to_string()));
        }
        containers::remove(engine, name, force, volumes)
    })
}

/// `docker wait CONTAINER...`: each one's exit status once it has stopped. Docker's `wait` has no flags of its
/// own; the parser keeps its words unparsed.
pub fn wait(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let words = args(inv);
    if let Some(flag) = words.iter().find(|w| w.starts_with('-') && **w != "-" && **w != "--help") {
        let message = match flag.strip_prefix("--") {
            Some(long) => format!("unknown flag: --{}", long.split('=').next().unwrap_or(long)),
            None => format!("unknown shorthand flag: '{}' in {flag}", flag.chars().nth(1).unwrap_or('-')),
        };
        return Err(Failure::new(
            format!(
                "{message}\n\nUsage:  docker wait CONTAINER [CONTAINER...]\n\nRun 'docker wait --help' for more information"
            ),
            125,
        ));
    }
    if words.is_empty() {
        return Err(Failure::new(
            "docker: 'docker wait' requires at least 1 argument\n\nUsage:  docker wait CONTAINER [CONTAINER...]\n\nSee 'docker wait --help' for more information",
            1,
        ));
    }
    let mut errors = Vec::new();
    for name in words {
        match containers::wait_or_interrupt(engine, name) {
            Ok(Some(code)) => io.out(&format!("{code}\n")),
            // Ctrl-C ends the client, which prints nothing more (its status: 130).
            Ok(None) => return Ok(130),
            Err(e) => errors.push(daemon_text(&e)),
        }
    }
    if errors.is_empty() { Ok(0) } else { Err(Failure::new(errors.join("\n"), 1)) }
}

/// `docker container prune [-f] [--filter label=…|until=…]`: asks first unless `-f` (no answer is no).
pub fn prune(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let filters = match Filters::parse(inv, io) {
        Ok(f) => f,
        Err(status) => return Ok(status),
    };
    filters.validate(&["label", "label!", "until"]).map_err(|m| daemon(&EngineError::BadRequest(m)))?;
    let until = filters.until().map_err(|m| daemon(&EngineError::BadRequest(m)))?;
    if !inv.has("force") && !super::super::images::confirm(io, "WARNING! This will remove all stopped containers.") {
        return Ok(0);
    }
    let report = containers::prune_where(engine, &|c| {
        filters.labels_match(&c.spec.labels) && until.is_none_or(|u| c.created < u)
    })
    .map_err(|e| daemon(&e))?;
    if !report.deleted.is_empty() {
        let mut text = String::from("Deleted Containers:\n");
        for id in &report.deleted {
            text.push_str(id);
            text.push('\n');
        }
        io.out(&format!("{text}\n"));
    }
    #[allow(clippy::cast_precision_loss)]
    let size = human_size(report.space_reclaimed as f64);
    io.out(&format!("Total reclaimed space: {size}\n"));
    Ok(0)
}
