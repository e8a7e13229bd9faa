//! The goals that look beyond one object: which build steps came from the cache, and whether a published port
//! answers HTTP. The same scenario runs on the simulated engine here and on the real one in real_engine.rs.

use std::path::Path;

use docklings::engine::Engine;
use docklings::lesson::check::check;
use docklings::lesson::goal;

use super::sim_support::{docker, fresh};

/// `goal` checked on `engine`: `Ok(())` when met, else the detail the learner would see.
pub fn goal_result(engine: &dyn Engine, text: &str) -> Result<(), String> {
    let goal = goal::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let c = check(&goal, engine);
    if c.met { Ok(()) } else { Err(c.detail.unwrap_or_default()) }
}

/// Builds `tag` from `dir` on an engine, as the learner's `docker build` would.
pub type Build<'a> = dyn FnMut(&str, &Path) + 'a;

/// Three builds of one Dockerfile: unchanged, with the last copied file changed, with the first one changed; the
/// goal must name the step where the cache ended each time. `unique` keeps the files' content apart from any
/// earlier build the engine's cache holds.
pub fn cache_scenario(engine: &dyn Engine, build: &mut Build, tag: &dyn Fn(&str) -> String, unique: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM busybox\nWORKDIR /app\nCOPY a.txt .\nENV STAGE=test\nRUN cat a.txt > /built\nCOPY . .\nCMD [\"cat\", \"/app/b.txt\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.txt"), format!("a {unique}\n")).unwrap();
    std::fs::write(dir.path().join("b.txt"), format!("b1 {unique}\n")).unwrap();
    let (v1, v2, v3, v4) = (tag("v1"), tag("v2"), tag("v3"), tag("v4"));
    build(&v1, dir.path());

    build(&v2, dir.path());
    let same = goal_result(engine, &format!("image {v2} reused the cache up to step 5")).unwrap_err();
    assert!(same.contains("very same image"), "an unchanged rebuild: {same}");

    std::fs::write(dir.path().join("b.txt"), format!("b2 {unique}\n")).unwrap();
    build(&v3, dir.path());
    // FROM is step 1; WORKDIR, COPY a.txt and RUN (2 to 4) came from the cache; COPY . . (5) ran again. The ENV
    // between them makes no step of its own.
    goal_result(engine, &format!("image {v3} reused the cache up to step 4")).unwrap();
    let detail = goal_result(engine, &format!("image {v3} reused the cache up to step 5")).unwrap_err();
    assert_eq!(detail, "steps up to 4 came from the cache, step 5 ran again");
    assert!(goal_result(engine, &format!("image {v3} reused the cache up to step 2")).is_err());

    std::fs::write(dir.path().join("a.txt"), format!("a2 {unique}\n")).unwrap();
    build(&v4, dir.path());
    goal_result(engine, &format!("image {v4} reused the cache up to step 2")).unwrap();
    assert!(goal_result(engine, &format!("image {v4} reused the cache up to step 4")).is_err());

    let missing = goal_result(engine, &format!("image {} reused the cache up to step 2", tag("nope"))).unwrap_err();
    assert!(missing.starts_with("there is no image"), "{missing}");
}

/// A server answering on `port` (published by the caller) with `text`, and ports that do not answer.
pub fn port_scenario(engine: &dyn Engine, port: u16, text: &str) {
    goal_result(engine, &format!("port {port} answers HTTP")).unwrap();
    goal_result(engine, &format!("port {port} answers HTTP containing \"{text}\"")).unwrap();
    goal_result(engine, &format!("port {port} answers HTTP at /index.html containing \"{text}\"")).unwrap();
    let wrong = goal_result(engine, &format!("port {port} answers HTTP containing \"something else\"")).unwrap_err();
    assert!(wrong.starts_with("it answered \"") && wrong.contains(text), "{wrong}");
    let missing = goal_result(engine, &format!("port {port} answers HTTP at /no-such-page")).unwrap_err();
    assert_eq!(missing, "it answered with status 404");
    let closed = goal_result(engine, &format!("port {} answers HTTP", port + 1)).unwrap_err();
    assert!(closed.starts_with(&format!("nothing answers on localhost:{}", port + 1)), "{closed}");
}

#[test]
fn cache_goal_names_where_the_cache_ended_on_the_sim() {
    let (_home, engine) = fresh(Some("busybox"));
    let mut build = |tag: &str, dir: &Path| {
        let out = docker(&engine, &["build", "-q", "-t", tag, dir.to_str().unwrap()]);
        assert_eq!(out.status, 0, "{out:?}");
    };
    cache_scenario(engine.as_ref(), &mut build, &|v| format!("cache-goal:{v}"), "sim");
}

#[test]
fn port_goal_reaches_a_published_server_on_the_sim() {
    let (_home, engine) = fresh(Some("busybox"));
    let run = docker(
        &engine,
        &[
            "run",
            "-d",
            "-p",
            "18080:80",
            "busybox",
            "sh",
            "-c",
            "mkdir -p /www && echo 'hello from the port goal' > /www/index.html && httpd -f -p 80 -h /www",
        ],
    );
    assert_eq!(run.status, 0, "{run:?}");
    port_scenario(engine.as_ref(), 18080, "hello from the port goal");
}
