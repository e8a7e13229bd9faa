//! The real engine against a real Docker daemon: every trait method, and the ownership rule (a reset removes what
//! a lesson labelled and nothing of the learner's).
//!
//! Without a daemon the tests say `skipping <test>: <reason>` and pass; with `DOCKLINGS_REQUIRE_ENGINE=1` (CI,
//! where `.ci/run` starts a daemon) a missing daemon fails them. They need `busybox:latest` and no registry.
//! Every test uses its own names and lesson label, so they run in parallel, and a guard removes what each
//! created even when an assertion fails.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use docklings::engine::ownership::{self, LESSON_LABEL};
use docklings::engine::real::{self, ConnectOptions, RealEngine};
use docklings::engine::{
    BuildEvent, BuildOptions, ContainerConfig, ContainerStatus, Engine, EngineError, ExecOptions, Labels, MountKind,
    MountSpec, NetworkConfig, PortSpec, Timeouts,
};

const IMAGE: &str = "busybox:latest";

fn required() -> bool {
    std::env::var("DOCKLINGS_REQUIRE_ENGINE").is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

/// The running test's name (libtest names each test's thread after it).
fn test_name() -> String {
    std::thread::current().name().unwrap_or("real_engine test").to_string()
}

/// An engine whose resources carry `owner`'s label, or `None` (the test then returns) when no engine answers.
fn engine_owned_by(owner: Option<&str>) -> Option<RealEngine> {
    let options = ConnectOptions { owner: owner.map(str::to_string), ..ConnectOptions::from_env() };
    let engine = match real::connect(&options) {
        Ok(engine) => engine,
        Err(e) if required() => panic!("DOCKLINGS_REQUIRE_ENGINE=1: {e}"),
        Err(e) => {
            eprintln!("skipping {}: {e}", test_name());
            return None;
        }
    };
    if let Err(e) = engine.inspect_image(IMAGE) {
        let why = format!("{IMAGE} is not on the engine ({e}); build it as NOTES.md says");
        assert!(!required(), "DOCKLINGS_REQUIRE_ENGINE=1 but {why}");
        eprintln!("skipping {}: {why}", test_name());
        return None;
    }
    Some(engine)
}

/// An engine without an owner: what the learner's own `docker` does.
fn engine() -> Option<RealEngine> {
    engine_owned_by(None)
}

/// A name no other test (or earlier run) uses.
fn unique(what: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("dkl-{what}-{}-{n}-{:x}", std::process::id(), nanos % 0x10000)
}

/// Removes what a test created when the test ends, passed or failed.
struct Cleanup<'a> {
    engine: &'a RealEngine,
    containers: RefCell<Vec<String>>,
    networks: RefCell<Vec<String>>,
    volumes: RefCell<Vec<String>>,
    images: RefCell<Vec<String>>,
}

impl<'a> Cleanup<'a> {
    fn new(engine: &'a RealEngine) -> Cleanup<'a> {
        Cleanup {
            engine,
            containers: RefCell::default(),
            networks: RefCell::default(),
            volumes: RefCell::default(),
            images: RefCell::default(),
        }
    }

    fn container(&self, id: &str) -> String {
        self.containers.borrow_mut().push(id.to_string());
        id.to_string()
    }

    fn network(&self, name: &str) -> String {
        self.networks.borrow_mut().push(name.to_string());
        name.to_string()
    }

    fn volume(&self, name: &str) -> String {
        self.volumes.borrow_mut().push(name.to_string());
        name.to_string()
    }

    fn image(&self, reference: &str) -> String {
        self.images.borrow_mut().push(reference.to_string());
        reference.to_string()
    }
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        for c in self.containers.borrow().iter() {
            let _ = self.engine.remove_container(c, true, true);
        }
        for n in self.networks.borrow().iter() {
            let _ = self.engine.remove_network(n);
        }
        for v in self.volumes.borrow().iter() {
            let _ = self.engine.remove_volume(v, true);
        }
        for i in self.images.borrow().iter().rev() {
            let _ = self.engine.remove_image(i, true);
        }
    }
}

fn busybox(cmd: &[&str]) -> ContainerConfig {
    ContainerConfig {
        image: IMAGE.to_string(),
        cmd: cmd.iter().map(|s| (*s).to_string()).collect(),
        ..ContainerConfig::default()
    }
}

fn named(name: &str, cmd: &[&str]) -> ContainerConfig {
    ContainerConfig { name: Some(name.to_string()), ..busybox(cmd) }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| (*s).to_string()).collect()
}

/// Runs `cmd` in the foreground and returns (exit code, stdout, stderr).
fn run(engine: &RealEngine, cleanup: &Cleanup, config: &ContainerConfig) -> (i64, String, String) {
    let outcome = engine.run_container(config, false).unwrap();
    cleanup.container(&outcome.id);
    (outcome.exit_code.unwrap(), text(&outcome.logs.stdout), text(&outcome.logs.stderr))
}

fn volume_mount(source: &str, target: &str, read_only: bool) -> MountSpec {
    MountSpec { kind: MountKind::Volume, source: source.to_string(), target: target.to_string(), read_only }
}

fn is_not_found<T: std::fmt::Debug>(r: &Result<T, EngineError>) -> bool {
    matches!(r, Err(EngineError::NotFound(_)))
}

#[test]
fn connects_and_describes_the_engine() {
    let Some(engine) = engine() else { return };
    engine.ping().unwrap();
    let version = engine.version().unwrap();
    assert!(!version.version.is_empty() && !version.api_version.is_empty(), "{version:?}");
    let info = engine.info().unwrap();
    assert_eq!(info.server_version, version.version);
    assert!(info.images >= 1, "busybox at least: {info:?}");
    let described = engine.describe();
    let short = version.version.split('+').next().unwrap();
    assert!(described.ends_with(&format!("{short} at {}", engine.endpoint())), "{described}");
    assert!(described.starts_with("Docker ") || described.starts_with("Podman "), "{described}");
}

#[test]
fn an_engine_that_does_not_answer_is_named_with_the_reason() {
    let tried = |host: &str| {
        let options = ConnectOptions { docker_host: Some(host.to_string()), ..ConnectOptions::default() };
        match real::connect(&options) {
            Err(EngineError::Unreachable { tried }) => tried,
            Err(e) => panic!("expected Unreachable, got {e:?}"),
            Ok(e) => panic!("connected to {}", e.describe()),
        }
    };
    assert_eq!(tried("unix:///nonexistent/docker.sock"), ["unix:///nonexistent/docker.sock (no such file)"]);
    assert_eq!(tried("tcp://127.0.0.1:1"), ["tcp://127.0.0.1:1 (connection refused)"]);
    let message = EngineError::Unreachable { tried: tried("unix:///nonexistent/docker.sock") }.to_string();
    assert!(message.contains("unix:///nonexistent/docker.sock (no such file)"), "{message}");
}

#[test]
fn containers_run_list_inspect_stop_and_remove() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let name = unique("web");
    let config = ContainerConfig {
        env: strings(&["GREETING=hello"]),
        labels: Labels::from([("purpose".to_string(), "test".to_string())]),
        ports: vec![PortSpec { container_port: 80, protocol: "tcp".to_string(), ..PortSpec::default() }],
        ..named(&name, &["sleep", "300"])
    };
    let outcome = engine.run_container(&config, true).unwrap();
    let id = cleanup.container(&outcome.id);
    assert_eq!(outcome.exit_code, None);

    let details = engine.inspect_container(&name).unwrap();
    assert_eq!(details.id, id);
    assert_eq!(details.name, name);
    assert_eq!(details.image, IMAGE);
    assert!(details.image_id.starts_with("sha256:"));
    assert_eq!(details.status, ContainerStatus::Running);
    assert_eq!(details.cmd, ["sleep", "300"]);
    assert!(details.env.contains(&"GREETING=hello".to_string()));
    assert_eq!(details.labels.get("purpose").map(String::as_str), Some("test"));
    assert!(!details.labels.contains_key(LESSON_LABEL), "an engine without owner adds no lesson label");
    assert!(details.networks.contains_key("bridge"), "{:?}", details.networks);
    let published: Vec<_> = details.ports.iter().filter(|p| p.container_port == 80).collect();
    assert!(
        !published.is_empty() && published.iter().all(|p| p.host_port.is_some_and(|n| n > 0)),
        "{:?}",
        details.ports
    );

    let running = engine.list_containers(false).unwrap();
    let listed = running.iter().find(|c| c.id == id).expect("listed while running");
    assert_eq!((listed.name.as_str(), listed.status), (name.as_str(), ContainerStatus::Running));

    // `sleep` as PID 1 ignores SIGTERM, so the stop ends in SIGKILL after the timeout: 128 + 9.
    let started = Instant::now();
    engine.stop_container(&id, Some(1)).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "the engine waited for the timeout");
    let stopped = engine.inspect_container(&id).unwrap();
    assert_eq!((stopped.status, stopped.exit_code), (ContainerStatus::Exited, 137));
    assert!(!engine.list_containers(false).unwrap().iter().any(|c| c.id == id));
    assert!(engine.list_containers(true).unwrap().iter().any(|c| c.id == id && c.status == ContainerStatus::Exited));
    // Stopping a stopped container is not an error (Docker answers 304).
    engine.stop_container(&id, Some(1)).unwrap();

    engine.start_container(&id).unwrap();
    engine.kill_container(&id, None).unwrap();
    assert_eq!(engine.wait_container(&id).unwrap(), 137);
    let killed = engine.kill_container(&id, None);
    assert!(matches!(killed, Err(EngineError::Conflict(ref m)) if m.contains("is not running")), "{killed:?}");

    engine.remove_container(&id, false, false).unwrap();
    assert!(is_not_found(&engine.inspect_container(&id)));
    let again = engine.remove_container(&id, false, false);
    assert!(matches!(again, Err(EngineError::NotFound(ref m)) if m.contains("No such container")), "{again:?}");
    let clash = engine.create_container(&named(&name, &["true"]));
    assert!(clash.is_ok(), "the name is free again: {clash:?}");
    cleanup.container(&clash.unwrap());
    let clash = engine.create_container(&named(&name, &["true"]));
    assert!(matches!(clash, Err(EngineError::Conflict(ref m)) if m.contains("already in use")), "{clash:?}");
}

#[test]
fn logs_keep_stdout_and_stderr_apart() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let config = busybox(&["sh", "-c", "echo one; echo two; echo oops >&2; exit 3"]);
    let (code, stdout, stderr) = run(&engine, &cleanup, &config);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (3, "one\ntwo\n", "oops\n"));
    let id = cleanup.containers.borrow()[0].clone();
    let logs = engine.container_logs(&id, None).unwrap();
    assert_eq!((text(&logs.stdout), text(&logs.stderr)), ("one\ntwo\n".to_string(), "oops\n".to_string()));
    // Lines on one stream keep their order (across streams the daemon's order is not guaranteed).
    let (_, _, _) = run(&engine, &cleanup, &busybox(&["sh", "-c", "echo 1; echo 2; echo 3"]));
    let counted = cleanup.containers.borrow()[1].clone();
    let tail = engine.container_logs(&counted, Some(2)).unwrap();
    assert_eq!((text(&tail.stdout), text(&tail.stderr)), ("2\n3\n".to_string(), String::new()));
    // A TTY merges both streams into one.
    let tty = ContainerConfig { tty: true, ..busybox(&["sh", "-c", "echo out; echo err >&2"]) };
    let (_, stdout, stderr) = run(&engine, &cleanup, &tty);
    assert!(stdout.contains("out") && stdout.contains("err") && stderr.is_empty(), "{stdout:?} {stderr:?}");
}

#[test]
fn exec_reports_output_and_exit_codes() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let id = cleanup.container(&engine.run_container(&busybox(&["sleep", "300"]), true).unwrap().id);
    let sh = |script: &str| strings(&["sh", "-c", script]);

    let out = engine.exec(&id, &sh("echo hi; echo oops >&2; exit 5"), &ExecOptions::default()).unwrap();
    assert_eq!((out.exit_code, text(&out.stdout), text(&out.stderr)), (5, "hi\n".into(), "oops\n".into()));

    // The offline busybox image has no /etc/passwd and no /tmp: a numeric user and a folder it has.
    let options =
        ExecOptions { env: strings(&["FOO=bar"]), working_dir: Some("/bin".to_string()), user: Some("65534".into()) };
    let out = engine.exec(&id, &sh("echo $FOO; pwd; id -u"), &options).unwrap();
    assert_eq!((out.exit_code, text(&out.stdout)), (0, "bar\n/bin\n65534\n".to_string()));

    let missing = engine.exec(&id, &strings(&["no-such-program"]), &ExecOptions::default()).unwrap();
    assert!(missing.exit_code == 126 || missing.exit_code == 127, "{missing:?}");

    engine.kill_container(&id, None).unwrap();
    engine.wait_container(&id).unwrap();
    let stopped = engine.exec(&id, &strings(&["true"]), &ExecOptions::default());
    assert!(matches!(stopped, Err(EngineError::Conflict(ref m)) if m.contains("is not running")), "{stopped:?}");
}

#[test]
fn wait_returns_the_exit_code_and_rm_removes_after_it() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let id = cleanup.container(&engine.create_container(&busybox(&["sh", "-c", "sleep 1; exit 7"])).unwrap());
    assert_eq!(engine.inspect_container(&id).unwrap().status, ContainerStatus::Created);
    engine.start_container(&id).unwrap();
    assert_eq!(engine.wait_container(&id).unwrap(), 7);
    assert_eq!(engine.wait_container(&id).unwrap(), 7, "waiting on an exited container answers at once");

    // `--rm` in the foreground: the exit code and output still come back, and the container is gone.
    let name = unique("rm");
    let config = ContainerConfig { auto_remove: true, ..named(&name, &["sh", "-c", "echo bye; exit 4"]) };
    let outcome = engine.run_container(&config, false).unwrap();
    cleanup.container(&outcome.id);
    assert_eq!((outcome.exit_code, text(&outcome.logs.stdout)), (Some(4), "bye\n".to_string()));
    assert!(is_not_found(&engine.inspect_container(&name)));

    // `--rm` detached: the daemon removes it when it stops.
    let name = unique("rm-d");
    let config = ContainerConfig { auto_remove: true, ..named(&name, &["sleep", "300"]) };
    let outcome = engine.run_container(&config, true).unwrap();
    cleanup.container(&outcome.id);
    assert!(engine.inspect_container(&name).unwrap().auto_remove);
    engine.kill_container(&name, None).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while engine.inspect_container(&name).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(is_not_found(&engine.inspect_container(&name)));

    // A start that fails leaves the created container behind, as `docker run` does.
    let name = cleanup.container(&unique("broken"));
    let missing = engine.run_container(&named(&name, &["no-such-program"]), false);
    assert!(missing.is_err(), "{missing:?}");
    assert_eq!(engine.inspect_container(&name).unwrap().status, ContainerStatus::Created);
    // With `--rm` it goes.
    let name = cleanup.container(&unique("broken-rm"));
    let config = ContainerConfig { auto_remove: true, ..named(&name, &["no-such-program"]) };
    let missing = engine.run_container(&config, false);
    assert!(missing.is_err(), "{missing:?}");
    assert!(is_not_found(&engine.inspect_container(&name)));
}

#[test]
fn container_prune_takes_only_what_the_lesson_created() {
    let lesson = unique("lesson");
    let Some(learner) = engine() else { return };
    let Some(teacher) = engine_owned_by(Some(&lesson)) else { return };
    let cleanup = Cleanup::new(&learner);
    let learners = cleanup.container(&learner.create_container(&busybox(&["true"])).unwrap());
    let lessons = cleanup.container(&teacher.create_container(&busybox(&["true"])).unwrap());
    let running = cleanup.container(&teacher.run_container(&busybox(&["sleep", "300"]), true).unwrap().id);
    assert_eq!(teacher.inspect_container(&lessons).unwrap().labels.get(LESSON_LABEL), Some(&lesson));

    let report = teacher.prune_containers().unwrap();
    assert_eq!(report.deleted, std::slice::from_ref(&lessons));
    assert!(is_not_found(&teacher.inspect_container(&lessons)));
    assert!(learner.inspect_container(&learners).is_ok(), "the learner's stopped container stays");
    assert_eq!(teacher.inspect_container(&running).unwrap().status, ContainerStatus::Running);
}

#[test]
fn named_and_anonymous_volumes() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let name = cleanup.volume(&unique("vol"));
    let labels = Labels::from([("purpose".to_string(), "test".to_string())]);
    let created = engine.create_volume(Some(&name), &labels).unwrap();
    assert_eq!((created.name.as_str(), created.driver.as_str(), created.anonymous), (name.as_str(), "local", false));
    assert_eq!(created.labels, labels);
    assert_eq!(engine.inspect_volume(&name).unwrap(), created);
    assert!(engine.list_volumes().unwrap().contains(&created));
    // Creating a volume that exists hands back the existing one, as Docker does.
    assert_eq!(engine.create_volume(Some(&name), &Labels::new()).unwrap().labels, labels);

    let unnamed = engine.create_volume(None, &Labels::new()).unwrap();
    cleanup.volume(&unnamed.name);
    assert_eq!(unnamed.name.len(), 64);

    let config = ContainerConfig { mounts: vec![volume_mount("", "/data", false)], ..busybox(&["true"]) };
    let (code, _, _) = run(&engine, &cleanup, &config);
    assert_eq!(code, 0);
    let id = cleanup.containers.borrow()[0].clone();
    let mounts = engine.inspect_container(&id).unwrap().mounts;
    assert_eq!(mounts.len(), 1);
    assert_eq!(
        (mounts[0].kind, mounts[0].destination.as_str(), mounts[0].read_only),
        (MountKind::Volume, "/data", false)
    );
    let anonymous = mounts[0].name.clone().expect("an anonymous volume has a generated name");
    cleanup.volume(&anonymous);
    assert!(engine.inspect_volume(&anonymous).unwrap().anonymous);

    let in_use = ContainerConfig { mounts: vec![volume_mount(&name, "/data", false)], ..busybox(&["sleep", "300"]) };
    let user = cleanup.container(&engine.run_container(&in_use, true).unwrap().id);
    let busy = engine.remove_volume(&name, false);
    assert!(matches!(busy, Err(EngineError::Conflict(ref m)) if m.contains("in use")), "{busy:?}");
    engine.remove_container(&user, true, true).unwrap();
    assert!(engine.inspect_volume(&name).is_ok(), "removing a container keeps its named volumes");

    // Removing the container with its volumes takes the anonymous one.
    engine.remove_container(&id, false, true).unwrap();
    assert!(is_not_found(&engine.inspect_volume(&anonymous)));
    engine.remove_volume(&name, false).unwrap();
    assert!(is_not_found(&engine.inspect_volume(&name)));
    let gone = engine.remove_volume(&name, false);
    assert!(matches!(gone, Err(EngineError::NotFound(_))), "{gone:?}");
}

#[test]
fn data_in_a_volume_outlives_its_container() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let volume = cleanup.volume(&unique("data"));
    engine.create_volume(Some(&volume), &Labels::new()).unwrap();
    let write = ContainerConfig {
        mounts: vec![volume_mount(&volume, "/data", false)],
        ..busybox(&[
            "sh",
            "-c",
            "mkdir -p /data/notes && echo hello > /data/greeting.txt && echo deep > /data/notes/a.txt",
        ])
    };
    assert_eq!(run(&engine, &cleanup, &write).0, 0);
    let first = cleanup.containers.borrow()[0].clone();
    engine.remove_container(&first, false, true).unwrap();

    let read = ContainerConfig {
        mounts: vec![volume_mount(&volume, "/data", true)],
        ..busybox(&["cat", "/data/greeting.txt"])
    };
    assert_eq!(run(&engine, &cleanup, &read).1, "hello\n");
    let refuse =
        ContainerConfig { mounts: vec![volume_mount(&volume, "/data", true)], ..busybox(&["touch", "/data/x"]) };
    let (code, _, stderr) = run(&engine, &cleanup, &refuse);
    assert_ne!(code, 0);
    assert!(stderr.contains("Read-only file system"), "{stderr}");

    let helpers_before = helper_count(&engine);
    assert_eq!(engine.read_volume_file(&volume, "greeting.txt").unwrap(), b"hello\n");
    assert_eq!(engine.read_volume_file(&volume, "/notes/a.txt").unwrap(), b"deep\n");
    let missing = engine.read_volume_file(&volume, "nope.txt");
    assert!(matches!(missing, Err(EngineError::NotFound(ref m)) if m.contains("nope.txt")), "{missing:?}");
    assert!(matches!(engine.read_volume_file(&volume, "notes"), Err(EngineError::Local(_))));
    let no_volume = unique("no-volume");
    assert!(is_not_found(&engine.read_volume_file(&no_volume, "a.txt")));
    assert!(is_not_found(&engine.inspect_volume(&no_volume)), "reading does not create the volume");
    assert!(helper_count(&engine) <= helpers_before, "the helper containers are gone");
}

/// Helper containers of `read_volume_file` left behind (other tests may be reading at the same moment).
fn helper_count(engine: &RealEngine) -> usize {
    let all = engine.list_containers(true).unwrap();
    all.iter().filter(|c| c.labels.contains_key("io.docklings.helper")).count()
}

#[test]
fn bind_mounts_share_a_host_folder() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("from-host.txt"), "made on the host\n").unwrap();
    let host = dir.path().display().to_string();
    let bind = |read_only: bool, cmd: &[&str]| ContainerConfig {
        mounts: vec![MountSpec { kind: MountKind::Bind, source: host.clone(), target: "/host".into(), read_only }],
        ..busybox(cmd)
    };
    let (code, stdout, _) = run(
        &engine,
        &cleanup,
        &bind(false, &["sh", "-c", "cat /host/from-host.txt; echo back > /host/from-container.txt"]),
    );
    assert_eq!((code, stdout.as_str()), (0, "made on the host\n"));
    assert_eq!(std::fs::read_to_string(dir.path().join("from-container.txt")).unwrap(), "back\n");
    let (code, _, stderr) = run(&engine, &cleanup, &bind(true, &["touch", "/host/nope"]));
    assert!(code != 0 && stderr.contains("Read-only file system"), "{code} {stderr}");
    assert!(!dir.path().join("nope").exists());
    let id = cleanup.containers.borrow()[1].clone();
    let mounts = engine.inspect_container(&id).unwrap().mounts;
    assert_eq!(mounts.len(), 1);
    assert_eq!(
        (mounts[0].kind, mounts[0].source.as_str(), mounts[0].read_only),
        (MountKind::Bind, host.as_str(), true)
    );
}

#[test]
fn volume_prune_follows_the_engine_and_spares_the_learner() {
    let lesson = unique("lesson");
    let Some(learner) = engine() else { return };
    let Some(teacher) = engine_owned_by(Some(&lesson)) else { return };
    let cleanup = Cleanup::new(&learner);
    let learners = cleanup.volume(&unique("mine"));
    learner.create_volume(Some(&learners), &Labels::new()).unwrap();
    let named = cleanup.volume(&unique("lesson-vol"));
    let created = teacher.create_volume(Some(&named), &Labels::new()).unwrap();
    assert_eq!(created.labels.get(LESSON_LABEL), Some(&lesson));
    let anonymous = cleanup.volume(&teacher.create_volume(None, &Labels::new()).unwrap().name);

    let major: u32 = teacher.version().unwrap().version.split('.').next().unwrap().parse().unwrap();
    let report = teacher.prune_volumes(false).unwrap();
    assert!(report.deleted.contains(&anonymous), "{report:?}");
    // Docker 23 and later keep named volumes without `all`; 20.10 prunes every unused volume.
    assert_eq!(report.deleted.contains(&named), major < 23, "Docker {major}: {report:?}");
    if major >= 23 {
        let report = teacher.prune_volumes(true).unwrap();
        assert_eq!(report.deleted, std::slice::from_ref(&named));
    }
    assert!(is_not_found(&teacher.inspect_volume(&named)));
    assert!(learner.inspect_volume(&learners).is_ok(), "the learner's unused volume stays");
    assert!(teacher.prune_volumes(true).unwrap().deleted.is_empty());
}

#[test]
fn user_defined_networks_resolve_names_and_the_default_bridge_does_not() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let net = cleanup.network(&unique("net"));
    let net_id = engine
        .create_network(&NetworkConfig {
            name: net.clone(),
            labels: Labels::from([("purpose".to_string(), "test".to_string())]),
            ..NetworkConfig::default()
        })
        .unwrap();
    let info = engine.inspect_network(&net).unwrap();
    assert_eq!((info.id.as_str(), info.driver.as_str(), info.scope.as_str()), (net_id.as_str(), "bridge", "local"));
    assert_eq!(info.subnets.len(), 1, "{info:?}");
    assert!(engine.list_networks().unwrap().iter().any(|n| n.name == net && n.labels.contains_key("purpose")));
    let duplicate = engine.create_network(&NetworkConfig { name: net.clone(), ..NetworkConfig::default() });
    assert!(matches!(duplicate, Err(EngineError::Conflict(ref m)) if m.contains("already exists")), "{duplicate:?}");

    let server = unique("server");
    let on_net = |name: &str, cmd: &[&str]| ContainerConfig { network: Some(net.clone()), ..named(name, cmd) };
    cleanup.container(&engine.run_container(&on_net(&server, &["sleep", "300"]), true).unwrap().id);
    let server_ip = engine.inspect_container(&server).unwrap().networks[&net].ip_address.clone();
    assert!(!server_ip.is_empty());
    let members = engine.inspect_network(&net).unwrap().containers;
    assert_eq!(members.get(&server).map(|e| e.ip_address.as_str()), Some(server_ip.as_str()), "{members:?}");

    let (code, stdout, stderr) = run(&engine, &cleanup, &on_net(&unique("client"), &["ping", "-c1", "-W2", &server]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(&server_ip), "{stdout}");

    // On the default bridge there is no name resolution.
    let lonely = unique("lonely");
    cleanup.container(&engine.run_container(&named(&lonely, &["sleep", "300"]), true).unwrap().id);
    let (code, _, stderr) = run(&engine, &cleanup, &busybox(&["ping", "-c1", "-W2", &lonely]));
    assert_ne!(code, 0);
    assert!(stderr.contains("bad address"), "{stderr}");

    // Connected to the network (with an alias), the lonely container is found by name and alias.
    engine.connect_network(&net, &lonely, &strings(&["buddy"])).unwrap();
    let networks = engine.inspect_container(&lonely).unwrap().networks;
    assert!(networks.contains_key("bridge") && networks[&net].aliases.contains(&"buddy".to_string()), "{networks:?}");
    let (code, stdout, _) = run(&engine, &cleanup, &on_net(&unique("client"), &["ping", "-c1", "-W2", "buddy"]));
    assert_eq!(code, 0, "{stdout}");
    engine.disconnect_network(&net, &lonely, false).unwrap();
    assert!(!engine.inspect_container(&lonely).unwrap().networks.contains_key(&net));

    // `none` has only the loopback interface.
    let none = ContainerConfig { network: Some("none".into()), ..busybox(&["ls", "/sys/class/net"]) };
    let (code, stdout, _) = run(&engine, &cleanup, &none);
    assert_eq!((code, stdout.as_str()), (0, "lo\n"));

    // A network with a running container cannot go; a pre-defined one never can.
    let busy = engine.remove_network(&net);
    assert!(
        matches!(busy, Err(EngineError::Forbidden(ref m) | EngineError::Conflict(ref m)) if m.contains("active endpoints")),
        "{busy:?}"
    );
    let bridge = engine.remove_network("bridge");
    assert!(matches!(bridge, Err(EngineError::Forbidden(ref m)) if m.contains("pre-defined")), "{bridge:?}");
    engine.remove_container(&server, true, false).unwrap();
    engine.remove_network(&net).unwrap();
    assert!(is_not_found(&engine.inspect_network(&net)));
}

#[test]
fn network_prune_takes_only_what_the_lesson_created() {
    let lesson = unique("lesson");
    let Some(learner) = engine() else { return };
    let Some(teacher) = engine_owned_by(Some(&lesson)) else { return };
    let cleanup = Cleanup::new(&learner);
    let mine = cleanup.network(&unique("mine"));
    learner.create_network(&NetworkConfig { name: mine.clone(), ..NetworkConfig::default() }).unwrap();
    let theirs = cleanup.network(&unique("theirs"));
    teacher.create_network(&NetworkConfig { name: theirs.clone(), ..NetworkConfig::default() }).unwrap();
    assert_eq!(teacher.inspect_network(&theirs).unwrap().labels.get(LESSON_LABEL), Some(&lesson));
    assert_eq!(teacher.prune_networks().unwrap().deleted, std::slice::from_ref(&theirs));
    assert!(learner.inspect_network(&mine).is_ok());
}

fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
}

#[test]
fn images_build_with_the_cache_tag_and_remove() {
    let lesson = unique("lesson");
    let Some(engine) = engine_owned_by(Some(&lesson)) else { return };
    let cleanup = Cleanup::new(&engine);
    let dir = tempfile::tempdir().unwrap();
    let marker = unique("marker");
    write_files(
        dir.path(),
        &[
            (
                "Dockerfile",
                &format!(
                    "FROM {IMAGE}\nRUN echo {marker} > /marker.txt\nCOPY . /ctx/\n\
                     RUN test -e /ctx/app.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/Dockerfile.bak\n\
                     CMD [\"cat\", \"/ctx/app.txt\"]\n"
                ),
            ),
            (".dockerignore", "secret.txt\n*.bak\n"),
            ("app.txt", "the app\n"),
            ("secret.txt", "do not send\n"),
            ("Dockerfile.bak", "old\n"),
        ],
    );
    let repo = unique("app");
    let tag = cleanup.image(&format!("{repo}:v1"));
    let extra = cleanup.image(&format!("{repo}:extra"));
    let options = BuildOptions {
        context: dir.path().to_path_buf(),
        tags: vec![tag.clone(), extra.clone()],
        labels: Labels::from([("purpose".to_string(), "test".to_string())]),
        ..BuildOptions::default()
    };
    let build = |options: &BuildOptions| {
        let mut events = Vec::new();
        let result = engine.build_image(options, &mut |e| events.push(e.clone()));
        (result, events)
    };

    let (first, events) = build(&options);
    let first = first.unwrap();
    cleanup.image(&first.image_id);
    assert!(first.image_id.starts_with("sha256:"), "{first:?}");
    assert_eq!(first.cached_steps, 0, "{events:?}");
    assert!(events.iter().any(|e| matches!(e, BuildEvent::Output(l) if l.contains("RUN echo"))), "{events:?}");

    let (second, events) = build(&options);
    let second = second.unwrap();
    assert_eq!(second.image_id, first.image_id);
    assert!(second.cached_steps >= 3, "RUN, COPY, RUN (and CMD) come from the cache: {events:?}");
    let cached = events.iter().filter(|e| matches!(e, BuildEvent::Cached { .. })).count();
    assert_eq!(cached, second.cached_steps);
    // The spinner a learner sees follows the real engine's steps and counts the same cache hits.
    let mut progress = docklings::progress::Progress::hidden("building");
    for e in &events {
        progress.build_event(e);
    }
    assert_eq!(progress.counts().1, second.cached_steps, "{events:?}");
    assert!(progress.counts().0 >= 4, "FROM, RUN, COPY, RUN: {events:?}");
    assert!(progress.message().starts_with("building: "), "{}", progress.message());

    let (third, events) = build(&BuildOptions { no_cache: true, tags: vec![], ..options.clone() });
    let third = third.unwrap();
    cleanup.image(&third.image_id);
    assert_eq!(third.cached_steps, 0, "{events:?}");
    assert_ne!(third.image_id, first.image_id);

    let details = engine.inspect_image(&tag).unwrap();
    assert_eq!(details.id, first.image_id);
    assert!(details.repo_tags.contains(&tag) && details.repo_tags.contains(&extra), "{:?}", details.repo_tags);
    assert_eq!(details.labels.get(LESSON_LABEL), Some(&lesson));
    assert_eq!(details.labels.get("purpose").map(String::as_str), Some("test"));
    assert_eq!(details.cmd, ["cat", "/ctx/app.txt"]);
    assert!(!details.layers.is_empty());
    let history = engine.image_history(&tag).unwrap();
    assert!(history.iter().any(|h| h.created_by.contains(&marker)), "{history:?}");
    assert!(engine.list_images(false).unwrap().iter().any(|i| i.id == first.image_id && i.repo_tags.contains(&tag)));

    let v2 = cleanup.image(&format!("{repo}:v2"));
    engine.tag_image(&tag, &v2).unwrap();
    assert!(engine.inspect_image(&v2).unwrap().repo_tags.contains(&v2));
    assert_eq!(engine.remove_image(&v2, false).unwrap(), [format!("Untagged: {v2}")]);
    assert_eq!(engine.remove_image(&extra, false).unwrap(), [format!("Untagged: {extra}")]);

    // An image a container uses cannot go without force.
    let holder = cleanup
        .container(&engine.create_container(&ContainerConfig { image: tag.clone(), ..Default::default() }).unwrap());
    let used = engine.remove_image(&tag, false);
    assert!(matches!(used, Err(EngineError::Conflict(ref m)) if m.contains("container")), "{used:?}");
    engine.remove_container(&holder, false, false).unwrap();
    let lines = engine.remove_image(&tag, false).unwrap();
    assert_eq!(lines.first(), Some(&format!("Untagged: {tag}")));
    assert!(lines.contains(&format!("Deleted: {}", first.image_id)), "{lines:?}");
    assert!(is_not_found(&engine.inspect_image(&first.image_id)));
    assert!(is_not_found(&engine.inspect_image(&unique("no-such-image"))));
}

#[test]
fn build_errors_keep_dockers_message() {
    let Some(engine) = engine() else { return };
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("Dockerfile", &format!("FROM {IMAGE}\nRUN echo before && exit 3\n"))]);
    let mut lines = Vec::new();
    let failed =
        engine.build_image(&BuildOptions { context: dir.path().to_path_buf(), ..BuildOptions::default() }, &mut |e| {
            if let BuildEvent::Output(l) = e {
                lines.push(l.clone());
            }
        });
    let Err(e) = failed else { panic!("the build should fail: {failed:?}") };
    assert!(e.to_string().contains("returned a non-zero code: 3"), "{e}");
    assert!(lines.iter().any(|l| l == "before"), "RUN output before the error reaches progress: {lines:?}");

    write_files(dir.path(), &[("Dockerfile", "FROM\n")]);
    let bad =
        engine.build_image(&BuildOptions { context: dir.path().to_path_buf(), ..BuildOptions::default() }, &mut |_| {});
    assert!(bad.is_err(), "{bad:?}");

    let missing = dir.path().join("missing");
    let local = engine.build_image(&BuildOptions { context: missing, ..BuildOptions::default() }, &mut |_| {});
    assert!(matches!(local, Err(EngineError::Local(_))), "{local:?}");
}

#[test]
fn image_prune_takes_only_what_the_lesson_created() {
    let lesson = unique("lesson");
    let Some(learner) = engine() else { return };
    let Some(teacher) = engine_owned_by(Some(&lesson)) else { return };
    let cleanup = Cleanup::new(&learner);
    let dir = tempfile::tempdir().unwrap();
    // Building the same tag twice with different content leaves the first image dangling.
    let dangling = |engine: &RealEngine, who: &str| {
        let tag = cleanup.image(&format!("{}:latest", unique(who)));
        let mut ids = Vec::new();
        for round in 0..2 {
            write_files(dir.path(), &[("Dockerfile", &format!("FROM {IMAGE}\nRUN echo {} {round}\n", unique(who)))]);
            let options =
                BuildOptions { context: dir.path().to_path_buf(), tags: vec![tag.clone()], ..Default::default() };
            ids.push(cleanup.image(&engine.build_image(&options, &mut |_| {}).unwrap().image_id));
        }
        ids.remove(0)
    };
    let learners = dangling(&learner, "mine");
    let lessons = dangling(&teacher, "theirs");
    assert!(learner.inspect_image(&lessons).unwrap().repo_tags.is_empty(), "dangling");

    let report = teacher.prune_images(false).unwrap();
    assert!(report.deleted.contains(&format!("Deleted: {lessons}")), "{report:?}");
    assert!(is_not_found(&learner.inspect_image(&lessons)));
    assert!(learner.inspect_image(&learners).is_ok(), "the learner's dangling image stays");
}

#[test]
fn pull_reports_the_engines_error() {
    let Some(engine) = engine() else { return };
    let mut lines = Vec::new();
    // Nothing listens on port 1, so this fails the same way with or without a network.
    let pulled = engine.pull_image("127.0.0.1:1/nothing/here:latest", &mut |l| lines.push(l.to_string()));
    let Err(e) = pulled else { panic!("pulled from nowhere") };
    assert!(e.to_string().contains("127.0.0.1:1"), "{e}");
}

#[test]
fn reset_removes_the_lessons_resources_and_nothing_of_the_learners() {
    let lesson = unique("lesson");
    let Some(learner) = engine() else { return };
    let Some(teacher) = engine_owned_by(Some(&lesson)) else { return };
    let cleanup = Cleanup::new(&learner);
    // The names the lesson uses, taken by the learner's own resources first.
    let web = unique("web");
    let data = unique("data");
    let net = unique("net");
    let repo = unique("app");
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("Dockerfile", &format!("FROM {IMAGE}\nRUN echo {repo}\n"))]);
    let build = |engine: &RealEngine, tag: &str| {
        let options =
            BuildOptions { context: dir.path().to_path_buf(), tags: vec![tag.to_string()], ..Default::default() };
        engine.build_image(&options, &mut |_| {}).unwrap().image_id
    };

    cleanup.network(&net);
    learner.create_network(&NetworkConfig { name: net.clone(), ..NetworkConfig::default() }).unwrap();
    cleanup.volume(&data);
    learner.create_volume(Some(&data), &Labels::new()).unwrap();
    let learners_image = cleanup.image(&build(&learner, &format!("{repo}:latest")));
    let learners_web = ContainerConfig {
        network: Some(net.clone()),
        mounts: vec![volume_mount(&data, "/data", false)],
        ..named(&web, &["sleep", "300"])
    };
    cleanup.container(&learner.run_container(&learners_web, true).unwrap().id);

    // The lesson asks for the same names: Docker refuses the container and network names, and hands back the
    // learner's volume unchanged, so none of them gets the lesson's label.
    assert!(matches!(teacher.create_container(&named(&web, &["true"])), Err(EngineError::Conflict(_))));
    assert!(matches!(
        teacher.create_network(&NetworkConfig { name: net.clone(), ..NetworkConfig::default() }),
        Err(EngineError::Conflict(_))
    ));
    assert!(!teacher.create_volume(Some(&data), &Labels::new()).unwrap().labels.contains_key(LESSON_LABEL));

    // The lesson's own: a network, a volume, a container using both (and an anonymous volume), an image in the
    // learner's repository under another tag, and a volume Docker creates for the container.
    let lesson_net = cleanup.network(&format!("{net}-lesson"));
    teacher.create_network(&NetworkConfig { name: lesson_net.clone(), ..NetworkConfig::default() }).unwrap();
    let lesson_data = cleanup.volume(&format!("{data}-lesson"));
    teacher.create_volume(Some(&lesson_data), &Labels::new()).unwrap();
    let implicit = cleanup.volume(&format!("{data}-implicit"));
    let lesson_image_tag = cleanup.image(&format!("{repo}:lesson"));
    let lesson_image = cleanup.image(&build(&teacher, &lesson_image_tag));
    assert_ne!(lesson_image, learners_image, "the lesson's label makes it another image");
    let lesson_web = ContainerConfig {
        image: lesson_image_tag.clone(),
        network: Some(lesson_net.clone()),
        mounts: vec![
            volume_mount(&lesson_data, "/data", false),
            volume_mount(&implicit, "/more", false),
            volume_mount("", "/scratch", false),
        ],
        cmd: strings(&["sleep", "300"]),
        name: Some(format!("{web}-lesson")),
        ..ContainerConfig::default()
    };
    let lesson_container = cleanup.container(&teacher.run_container(&lesson_web, true).unwrap().id);
    assert_eq!(teacher.inspect_volume(&implicit).unwrap().labels.get(LESSON_LABEL), Some(&lesson));
    let anonymous = teacher
        .inspect_container(&lesson_container)
        .unwrap()
        .mounts
        .into_iter()
        .find(|m| m.destination == "/scratch")
        .and_then(|m| m.name)
        .unwrap();
    cleanup.volume(&anonymous);

    let report = ownership::reset(&teacher, &lesson).unwrap();
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.containers, [format!("{web}-lesson")]);
    assert_eq!(report.networks, std::slice::from_ref(&lesson_net));
    let mut volumes = report.volumes.clone();
    volumes.sort();
    let mut expected = vec![lesson_data.clone(), implicit.clone()];
    expected.sort();
    assert_eq!(volumes, expected, "the anonymous volume went with its container");
    assert_eq!(report.images, std::slice::from_ref(&lesson_image_tag));

    assert!(is_not_found(&learner.inspect_container(&lesson_container)));
    assert!(is_not_found(&learner.inspect_network(&lesson_net)));
    assert!(is_not_found(&learner.inspect_volume(&lesson_data)));
    assert!(is_not_found(&learner.inspect_volume(&implicit)));
    assert!(is_not_found(&learner.inspect_volume(&anonymous)));
    assert!(is_not_found(&learner.inspect_image(&lesson_image)));

    let web_now = learner.inspect_container(&web).unwrap();
    assert_eq!(web_now.status, ContainerStatus::Running, "the learner's container keeps running");
    assert!(learner.inspect_network(&net).unwrap().containers.contains_key(&web));
    assert!(learner.inspect_volume(&data).is_ok());
    assert_eq!(learner.inspect_image(&format!("{repo}:latest")).unwrap().id, learners_image);

    // A second reset finds nothing to do.
    let again = ownership::reset(&teacher, &lesson).unwrap();
    assert_eq!(again, ownership::ResetReport::default());
    assert_eq!(learner.inspect_container(&web).unwrap().status, ContainerStatus::Running);
    let labelled: BTreeMap<_, _> = learner
        .list_volumes()
        .unwrap()
        .into_iter()
        .filter(|v| v.labels.get(LESSON_LABEL) == Some(&lesson))
        .map(|v| (v.name, v.labels))
        .collect();
    assert!(labelled.is_empty(), "{labelled:?}");
}

#[test]
fn calls_give_up_after_their_timeout() {
    let Some(engine) = engine() else { return };
    let impatient = ConnectOptions {
        timeouts: Timeouts { call: Duration::from_secs(5), long: Duration::from_secs(1) },
        ..ConnectOptions::from_env()
    };
    let impatient = real::connect(&impatient).unwrap();
    let cleanup = Cleanup::new(&engine);
    let id = cleanup.container(&engine.run_container(&busybox(&["sleep", "300"]), true).unwrap().id);
    let started = Instant::now();
    let waited = impatient.wait_container(&id);
    assert!(
        matches!(&waited, Err(EngineError::Timeout { after, what }) if after.as_secs() == 1 && what == "wait for container"),
        "{waited:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(waited.unwrap_err().to_string().contains("did not answer within 1 s"));
    // The engine stays usable after a call it gave up on.
    assert_eq!(impatient.inspect_container(&id).unwrap().status, ContainerStatus::Running);

    // The trait is synchronous: called from inside an async runtime it refuses instead of panicking.
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let inside = runtime.block_on(async { impatient.ping() });
    assert!(matches!(inside, Err(EngineError::Local(ref m)) if m.contains("async runtime")), "{inside:?}");
}

/// `docker build -q -t TAG DIR` through the CLI with BuildKit, as a learner's build runs (Debian's 20.10 client
/// where there is one: the only one here that speaks BuildKit to this daemon).
fn cli_build(tag: &str, dir: &Path) {
    let debian = Path::new("/usr/bin/docker");
    let mut command = std::process::Command::new(if debian.is_file() { debian } else { Path::new("docker") });
    let out = command
        .env("DOCKER_BUILDKIT", "1")
        .args(["build", "-q", "-t", tag])
        .arg(dir)
        .output()
        .expect("the docker CLI runs");
    assert!(out.status.success(), "docker build {tag}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn cache_goal_names_where_the_cache_ended() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let name = unique("cache-goal");
    let tag = |v: &str| cleanup.image(&format!("{name}:{v}"));
    super::goals::cache_scenario(&engine, &mut cli_build, &tag, &name);
}

#[test]
fn port_goal_reaches_a_published_server() {
    let Some(engine) = engine() else { return };
    let cleanup = Cleanup::new(&engine);
    let name = cleanup.container(&unique("port-goal"));
    let port = 18_000 + u16::try_from(std::process::id() % 2000).unwrap() * 2;
    let config = ContainerConfig {
        name: Some(name.clone()),
        ports: vec![PortSpec {
            container_port: 80,
            protocol: "tcp".into(),
            host_ip: String::new(),
            host_port: Some(port),
        }],
        ..busybox(&[
            "sh",
            "-c",
            "mkdir -p /www && echo 'hello from the port goal' > /www/index.html && httpd -f -p 80 -h /www",
        ])
    };
    engine.run_container(&config, true).unwrap();
    super::goals::port_scenario(&engine, port, "hello from the port goal");
}
