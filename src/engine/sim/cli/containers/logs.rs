//! `docker logs [-f] [-n N] [-t] [--since T] [--until T] [--details] CONTAINER`: the container's log replayed
//! with stdout and stderr kept apart, and followed while the container runs.

use std::sync::Arc;
use std::time::Duration;

use super::filter::parse_time;
use super::{Failure, Io, Outcome, args, daemon, value};
use crate::dockercli::Invocation;
use crate::engine::sim::SimEngine;
use crate::engine::sim::containers::{find, rfc3339_fixed};
use crate::engine::sim::logs::{self, Follower, Line, Stream};
use crate::engine::sim::state::{Status, now_nanos};

/// How the lines are printed.
struct Show {
    timestamps: bool,
    details: bool,
    since: Option<i128>,
    until: Option<i128>,
}

impl Show {
    fn wanted(&self, line: &Line) -> bool {
        self.since.is_none_or(|s| line.time > s) && self.until.is_none_or(|u| line.time <= u)
    }

    fn print(&self, io: &mut Io, line: &Line) {
        if !self.wanted(line) {
            return;
        }
        let mut text = String::new();
        if self.timestamps {
            text.push_str(&rfc3339_fixed(line.time));
            text.push(' ');
        }
        if self.details {
            text.push(' ');
        }
        text.push_str(&line.text);
        match line.stream {
            Stream::Stdout => io.out(&text),
            Stream::Stderr => io.err(&text),
        }
    }
}

/// `--since` and `--until` as the CLI reads them, in nanoseconds since the epoch.
fn time_flag(inv: &Invocation, name: &str, now: i128) -> Result<Option<i128>, Failure> {
    match value(inv, name) {
        None | Some("") => Ok(None),
        Some(v) => parse_time(v, now).map(Some).ok_or_else(|| {
            Failure::new(format!("invalid value for \"{name}\": failed to parse value as time or duration: \"{v}\""), 1)
        }),
    }
}

pub fn logs(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let key = args(inv)[0];
    let now = now_nanos();
    let show = Show {
        timestamps: inv.has("timestamps"),
        details: inv.has("details"),
        since: time_flag(inv, "since", now)?,
        until: time_flag(inv, "until", now)?,
    };
    // `--tail all`, or anything that is not a number, shows everything.
    let tail = value(inv, "tail").and_then(|t| t.parse::<i64>().ok()).and_then(|t| usize::try_from(t).ok());
    let id = engine.read(|st| Ok(st.containers[find(st, key)?].id.clone())).map_err(|e| daemon(&e))?;
    let dir = engine.container_dir(&id);
    let running = || {
        engine
            .read(|st| Ok(st.containers.iter().any(|c| c.id == id && c.state.status == Status::Running)))
            .unwrap_or(false)
    };
    if !inv.has("follow") || !running() {
        let all = logs::lines(&logs::entries(&dir).map_err(|e| daemon(&e))?);
        let skip = tail.map_or(0, |t| all.len().saturating_sub(t));
        for line in &all[skip..] {
            show.print(io, line);
        }
        return Ok(0);
    }
    let mut follower = Follower::new(&dir);
    let first = follower.poll();
    let skip = tail.map_or(0, |t| first.len().saturating_sub(t));
    for line in &first[skip..] {
        show.print(io, line);
    }
    // Following ends with the container, or with Ctrl-C (the client's status then: 130).
    while running() {
        if engine.interrupted() {
            return Ok(130);
        }
        std::thread::sleep(Duration::from_millis(50));
        for line in follower.poll() {
            show.print(io, &line);
        }
    }
    for line in follower.finish() {
        show.print(io, &line);
    }
    Ok(0)
}
