//! `docker pull` and `docker push`. Progress goes to stdout as the CLI prints Docker's JSON message stream: when
//! stdout is not a terminal every status line is printed; a terminal keeps one line per layer, overwritten in
//! place, so only each layer's last status stays (a transcript of a terminal shows those).

use std::sync::Arc;

use super::{Failure, Io, Outcome, args, client_reference, engine_error};
use crate::dockercli::Invocation;
use crate::engine::sim::SimEngine;
use crate::engine::sim::images;

/// Prints a progress line unless a terminal would have overwritten it.
fn progress_printer<'a, 'b>(io: &'a mut Io<'b>, quiet: bool) -> impl FnMut(&str) + 'a + use<'a, 'b> {
    move |line: &str| {
        if quiet || (io.tty && images::is_transient(line)) {
            return;
        }
        io.out(&format!("{line}\n"));
    }
}

/// `docker pull [-q] NAME[:TAG|@DIGEST]`
pub(super) fn pull(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let name = args(inv)[0];
    let quiet = inv.has("quiet");
    if inv.has("all-tags") {
        return Err(Failure::new("docklings: `docker pull --all-tags` is not simulated yet", 1));
    }
    let parsed = client_reference(name)?;
    if parsed.is_name_only() && !quiet {
        io.out("Using default tag: latest\n");
    }
    let target = parsed.with_default_tag();
    {
        let mut show = progress_printer(io, quiet);
        images::pull(engine, &target.full(), &mut show).map_err(|e| engine_error(&e))?;
    }
    io.out(&format!("{}\n", target.full()));
    Ok(0)
}

/// `docker push [-q] [-a] NAME[:TAG]`
pub(super) fn push(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let name = args(inv)[0];
    let quiet = inv.has("quiet");
    let all = inv.has("all-tags");
    let parsed = client_reference(name)?;
    if all && !parsed.is_name_only() {
        return Err(Failure::new("tag can't be used with --all-tags/-a", 1));
    }
    if parsed.digest.is_some() {
        return Err(Failure::new(format!("Error response from daemon: invalid reference format: {name}"), 1));
    }
    let targets: Vec<String> = if all {
        let repo = parsed.familiar_name();
        let tags = engine
            .read(|st| {
                let mut tags: Vec<String> = st
                    .images
                    .iter()
                    .flat_map(|i| i.repo_tags.iter())
                    .filter(|t| t.rsplit_once(':').is_some_and(|(r, _)| r == repo))
                    .cloned()
                    .collect();
                tags.sort();
                Ok(tags)
            })
            .map_err(|e| engine_error(&e))?;
        if tags.is_empty() {
            return Err(Failure::new(
                format!(
                    "The push refers to repository [{}]\nAn image does not exist locally with the tag: {repo}",
                    parsed.name()
                ),
                1,
            ));
        }
        tags
    } else {
        if parsed.is_name_only() && !quiet {
            io.out("Using default tag: latest\n");
        }
        vec![parsed.clone().with_default_tag().familiar()]
    };
    for (n, target) in targets.iter().enumerate() {
        let mut print = progress_printer(io, quiet);
        // With `--all-tags` one stream names the repository once, then pushes each tag.
        let mut show = |line: &str| {
            if n == 0 || !line.starts_with("The push refers to repository") {
                print(line);
            }
        };
        images::push(engine, target, &mut show).map_err(|e| engine_error(&e))?;
    }
    if quiet {
        io.out(&format!("{}\n", if all { parsed.full() } else { parsed.with_default_tag().full() }));
    }
    Ok(0)
}
