//! `docker build` as Docker 28 runs it (BuildKit through buildx): the flags read, the context and Dockerfile
//! found as the CLI finds them, progress printed as `--progress=plain` prints it (on stderr), `-q` printing only
//! the image id, and failures as BuildKit reports them, with status 1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Failure, Io, Outcome};
use crate::dockercli::Invocation;
use crate::engine::BuildEvent;
use crate::engine::sim::{SimEngine, build, images};

/// `NAME=VALUE` pairs; a bare `NAME` takes the variable from the environment, as the CLI does for build args.
fn pairs(inv: &Invocation, flag: &str, from_env: bool) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in inv.flags_named(flag) {
        let v = f.value.clone().unwrap_or_default();
        match v.split_once('=') {
            Some((k, val)) => {
                out.insert(k.to_string(), val.to_string());
            }
            None if from_env => {
                if let Ok(val) = std::env::var(&v) {
                    out.insert(v, val);
                }
            }
            None => {
                out.insert(v, String::new());
            }
        }
    }
    out
}

/// `docker build [OPTIONS] PATH`
pub fn run(engine: &Arc<SimEngine>, inv: &Invocation, io: &mut Io) -> Outcome {
    let context = inv.args.first().map_or(".", |a| a.value.as_str());
    let quiet = inv.has("quiet");
    if let Some(p) = inv.flag("progress").and_then(|f| f.value.as_deref())
        && !matches!(p, "auto" | "plain" | "tty" | "quiet" | "rawjson")
    {
        return Err(Failure::new(format!("ERROR: failed to build: invalid progress mode {p:?}"), 1));
    }
    let tags: Vec<String> = inv.flags_named("tag").filter_map(|f| f.value.clone()).collect();
    for t in &tags {
        if let Err(e) = images::parse_target(t) {
            let reason = e.rsplit(": ").next().unwrap_or(&e).to_string();
            return Err(Failure::new(format!("ERROR: failed to build: invalid tag {t:?}: {reason}"), 1));
        }
    }
    let context_dir = PathBuf::from(context);
    if !context_dir.is_dir() {
        return Err(Failure::new(
            format!("ERROR: failed to build: unable to prepare context: path {context:?} not found"),
            1,
        ));
    }
    let dockerfile =
        inv.flag("file").and_then(|f| f.value.clone()).map_or_else(|| context_dir.join("Dockerfile"), PathBuf::from);
    let dockerfile_name = Path::new(&dockerfile)
        .file_name()
        .map_or_else(|| "Dockerfile".to_string(), |n| n.to_string_lossy().into_owned());
    let request = build::Request {
        context: context_dir,
        dockerfile,
        dockerfile_name,
        tags,
        build_args: pairs(inv, "build-arg", true),
        target: inv.flag("target").and_then(|f| f.value.clone()),
        no_cache: inv.has("no-cache"),
        labels: pairs(inv, "label", false),
    };
    let mut emit = |e: &BuildEvent| {
        if let BuildEvent::Output(line) = e
            && !quiet
        {
            io.err(&format!("{line}\n"));
        }
    };
    match build::build(engine, &request, &mut emit) {
        Ok(built) => {
            if quiet {
                io.out(&format!("{}\n", built.image_id));
            }
            Ok(0)
        }
        Err(f) => Err(Failure::new(f.render(quiet), 1)),
    }
}
