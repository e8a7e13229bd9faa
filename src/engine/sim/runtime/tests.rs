//! Tests of the process runtime: the toolbox run for real, in temporary folders, plus small hand-written
//! WebAssembly modules for what the toolbox never does (raw WASI calls, traps, `docklings::pending_signal`).

use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, mpsc};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::*;

/// A module cache shared by test runs, so only the first run compiles the toolbox.
fn shared_cache() -> PathBuf {
    std::env::temp_dir().join(format!("docklings-test-module-cache-{}", env!("CARGO_PKG_VERSION")))
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| Runtime::new(&shared_cache()).expect("the toolbox compiles"))
}

fn spec(root: &Path, argv: &[&str]) -> ProcessSpec {
    ProcessSpec {
        argv: argv.iter().map(ToString::to_string).collect(),
        env: vec!["PATH=/usr/local/bin:/usr/bin:/bin".to_string()],
        cwd: "/".to_string(),
        root: root.to_path_buf(),
        mounts: Vec::new(),
        stdin: Stdin::Null,
        stdout: Output::discard(),
        stderr: Output::discard(),
        limits: Limits::default(),
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run_on(runtime: &Runtime, spec: ProcessSpec) -> Run {
    let (stdout, out) = Output::capture();
    let (stderr, err) = Output::capture();
    let process = runtime.spawn(ProcessSpec { stdout, stderr, ..spec }).expect("spawns");
    let status = process.wait_status();
    if let ExitReason::Trap(trap) = &status.reason {
        eprintln!("trapped: {trap}");
    }
    Run { code: status.code, out: out.text(), err: err.text() }
}

fn run(spec: ProcessSpec) -> Run {
    run_on(runtime(), spec)
}

fn sh(root: &Path, script: &str) -> Run {
    run(spec(root, &["sh", "-c", script]))
}

fn temp() -> TempDir {
    TempDir::new().expect("a temporary folder")
}

/// Waits up to `limit` for the end; the status and how long it took.
fn ended_within(process: &Process, limit: Duration) -> (Option<i32>, Duration) {
    let start = Instant::now();
    let code = process.wait_timeout(limit);
    (code, start.elapsed())
}

#[test]
fn echo_sees_arguments_environment_and_working_directory() {
    let root = temp();
    fs::create_dir(root.path().join("work")).unwrap();
    let mut s = spec(root.path(), &["sh", "-c", "echo \"$GREETING\" $0 $1; pwd", "zero", "one"]);
    s.env.push("GREETING=hello there".to_string());
    s.cwd = "/work".to_string();
    let r = run(s);
    assert_eq!((r.code, r.out.as_str(), r.err.as_str()), (0, "hello there zero one\n/work\n", ""));

    // argv[0] may be a path: its basename names the applet.
    let r = run(spec(root.path(), &["/bin/echo", "a", "b"]));
    assert_eq!((r.code, r.out.as_str()), (0, "a b\n"));

    // The toolbox's own settings are not part of the environment the program sees.
    let r = run(spec(root.path(), &["env"]));
    assert_eq!(r.out, "PATH=/usr/local/bin:/usr/bin:/bin\n");
}

#[test]
fn exit_statuses_come_through() {
    let root = temp();
    assert_eq!(run(spec(root.path(), &["true"])).code, 0);
    assert_eq!(run(spec(root.path(), &["false"])).code, 1);
    let r = sh(root.path(), "nosuchcommand");
    assert_eq!((r.code, r.err.as_str()), (127, "sh: nosuchcommand: not found\n"));
    assert_eq!(sh(root.path(), "exit 126").code, 126);
    assert_eq!(sh(root.path(), "exit 200").code, 200);
    assert_eq!(sh(root.path(), "exit 255").code, 255);
}

#[test]
fn stdout_and_stderr_are_separate() {
    let root = temp();
    let r = sh(root.path(), "echo out; echo err >&2; echo out2");
    assert_eq!((r.out.as_str(), r.err.as_str()), ("out\nout2\n", "err\n"));
}

#[test]
fn output_streams_while_the_process_runs() {
    let root = temp();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let mut s = spec(root.path(), &["sh", "-c", "echo first; sleep 30; echo second"]);
    s.stdout = Output::from_fn(Arc::new(move |b: &[u8]| {
        let _ = tx.send(b.to_vec());
    }));
    let process = runtime().spawn(s).unwrap();
    let first = rx.recv_timeout(Duration::from_secs(10)).expect("the first line arrives while the process runs");
    assert_eq!(first, b"first\n");
    assert_eq!(process.try_wait(), None);
    process.kill();
    assert_eq!(process.wait(), 137);
    assert!(rx.try_recv().is_err(), "nothing after the kill");
}

#[test]
fn stdin_bytes_are_read() {
    let root = temp();
    let mut s = spec(root.path(), &["cat"]);
    s.stdin = Stdin::Bytes(b"hello\nworld\n".to_vec());
    assert_eq!(run(s).out, "hello\nworld\n");
    let mut s = spec(root.path(), &["sh", "-c", "read a; read b; echo \"$b $a\"; wc -l"]);
    s.stdin = Stdin::Bytes(b"one\ntwo\nthree\nfour\n".to_vec());
    assert_eq!(run(s).out, "two one\n2\n");
    // No stdin: the end at once.
    assert_eq!(run(spec(root.path(), &["wc", "-c"])).out, "0\n");
}

#[test]
fn stdin_pipe_streams_until_closed() {
    let root = temp();
    let (writer, pipe) = stdin_pipe();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let mut s = spec(root.path(), &["sh", "-c", "while read line; do echo \"got $line\"; done; echo done"]);
    s.stdin = Stdin::Pipe(pipe);
    s.stdout = Output::from_fn(Arc::new(move |b: &[u8]| {
        let _ = tx.send(b.to_vec());
    }));
    let process = runtime().spawn(s).unwrap();
    assert!(writer.send(b"a\n"));
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), b"got a\n");
    assert!(writer.send(b"b\nc\n"));
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), b"got b\n");
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), b"got c\n");
    assert_eq!(process.try_wait(), None);
    writer.close();
    assert_eq!(process.wait(), 0);
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), b"done\n");
}

#[test]
fn kill_ends_a_stdin_read() {
    let root = temp();
    let (writer, pipe) = stdin_pipe();
    let mut s = spec(root.path(), &["cat"]);
    s.stdin = Stdin::Pipe(pipe);
    let process = runtime().spawn(s).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(process.try_wait(), None, "cat waits for input");
    process.kill();
    let (code, took) = ended_within(&process, Duration::from_secs(5));
    assert_eq!(code, Some(137));
    assert!(took < Duration::from_millis(500), "took {took:?}");
    assert!(!writer.send(b"late"), "the pipe reports the reader gone");
}

#[test]
fn kill_ends_sleep_at_once() {
    let root = temp();
    let process = runtime().spawn(spec(root.path(), &["sleep", "100"])).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(process.try_wait(), None);
    let start = Instant::now();
    process.kill();
    let status = process.wait_status();
    let took = start.elapsed();
    eprintln!("kill of `sleep 100`: ended in {took:?}");
    assert_eq!(status, ExitStatus { code: 137, reason: ExitReason::Killed });
    assert!(took < Duration::from_millis(200), "took {took:?}");
}

#[test]
fn other_signals_are_pending_and_ignored_by_the_toolbox() {
    let root = temp();
    let process = runtime().spawn(spec(root.path(), &["sleep", "1"])).unwrap();
    process.signal(Signal::Term);
    process.signal(Signal::Hup);
    assert_eq!(process.wait_timeout(Duration::from_millis(200)), None, "TERM does not end the toolbox");
    assert_eq!(process.wait(), 0);
}

#[test]
fn signals_parse_as_docker_accepts_them() {
    assert_eq!(Signal::parse("TERM"), Some(Signal::Term));
    assert_eq!(Signal::parse("SIGKILL"), Some(Signal::Kill));
    assert_eq!(Signal::parse("sigint"), Some(Signal::Int));
    assert_eq!(Signal::parse("9"), Some(Signal::Kill));
    assert_eq!(Signal::parse("WINCH"), Some(Signal::Other(28)));
    assert_eq!(Signal::parse("NOPE"), None);
    assert_eq!(Signal::parse("65"), None);
    assert_eq!(Signal::Term.to_string(), "SIGTERM");
    assert_eq!(Signal::Other(28).number(), 28);
}

#[test]
fn busy_loop_is_killed() {
    let root = temp();
    let process = runtime().spawn(spec(root.path(), &["sh", "-c", "while true; do :; done"])).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(process.try_wait(), None);
    let start = Instant::now();
    process.kill();
    let status = process.wait_status();
    let took = start.elapsed();
    eprintln!("kill of a busy loop: ended in {took:?}");
    assert_eq!(status.code, 137);
    assert_eq!(status.reason, ExitReason::Killed);
    assert!(took < Duration::from_millis(200), "took {took:?}");
}

#[test]
fn busy_loop_meets_the_cpu_limit() {
    let root = temp();
    let mut s = spec(root.path(), &["sh", "-c", "while true; do :; done"]);
    s.limits.cpu = Some(Duration::from_millis(300));
    let start = Instant::now();
    let process = runtime().spawn(s).unwrap();
    let status = process.wait_status();
    let took = start.elapsed();
    eprintln!("CPU limit 300 ms: ended after {took:?}");
    assert_eq!(status, ExitStatus { code: 137, reason: ExitReason::CpuLimit });
    // Ticks that pass while the thread waits for a core count once, so a loaded machine takes longer.
    assert!(took >= Duration::from_millis(290) && took < Duration::from_secs(10), "took {took:?}");

    // Sleeping is not CPU time.
    let mut s = spec(root.path(), &["sh", "-c", "sleep 0.5; echo slept"]);
    s.limits.cpu = Some(Duration::from_millis(100));
    let r = run(s);
    assert_eq!((r.code, r.out.as_str()), (0, "slept\n"));
}

#[test]
fn memory_limit_refuses_a_huge_allocation() {
    let root = temp();
    // A pipeline stage's output is buffered whole: about 21 MB here, in a vector that doubles as it grows.
    let script = "seq 1 3000000 | wc -l";
    let mut s = spec(root.path(), &["sh", "-c", script]);
    s.limits.memory = 16 << 20;
    let (stderr, err) = Output::capture();
    s.stderr = stderr;
    let status = runtime().spawn(s).unwrap().wait_status();
    eprintln!("memory limit: {status:?}, stderr {:?}", err.text());
    assert_eq!(status, ExitStatus { code: 137, reason: ExitReason::OutOfMemory });

    // The host is fine, and the same command runs within the default limit.
    let r = sh(root.path(), script);
    assert_eq!((r.code, r.out.as_str()), (0, "3000000\n"));
}

#[test]
fn read_only_mount_refuses_writes() {
    let root = temp();
    let data = temp();
    fs::write(data.path().join("existing"), "kept\n").unwrap();
    fs::create_dir(root.path().join("data")).unwrap();
    let mount = |read_only| Mount { host: data.path().to_path_buf(), guest: "/data".to_string(), read_only };

    let mut s = spec(root.path(), &["sh", "-c", "echo x > /data/f"]);
    s.mounts.push(mount(true));
    let r = run(s);
    assert_eq!((r.code, r.err.as_str()), (1, "sh: can't create /data/f: Read-only file system\n"));
    assert!(!data.path().join("f").exists());

    let mut s = spec(root.path(), &["sh", "-c", "cat /data/existing; echo more >> /data/existing; rm /data/existing"]);
    s.mounts.push(mount(true));
    let r = run(s);
    assert_eq!(r.out, "kept\n");
    assert_ne!(r.code, 0);
    assert_eq!(fs::read_to_string(data.path().join("existing")).unwrap(), "kept\n");

    // Read-write, the same write lands in the host folder.
    let mut s = spec(root.path(), &["sh", "-c", "echo x > /data/f"]);
    s.mounts.push(mount(false));
    assert_eq!(run(s).code, 0);
    assert_eq!(fs::read_to_string(data.path().join("f")).unwrap(), "x\n");
}

/// A root folder inside a parent that also holds a file the guest must not reach.
struct Sandbox {
    parent: TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let parent = temp();
        fs::create_dir(parent.path().join("root")).unwrap();
        fs::create_dir(parent.path().join("root/data")).unwrap();
        fs::create_dir(parent.path().join("mount")).unwrap();
        fs::create_dir(parent.path().join("outside-dir")).unwrap();
        fs::write(parent.path().join("outside-dir/hidden"), "hidden\n").unwrap();
        fs::write(parent.path().join("outside.txt"), "secret\n").unwrap();
        Sandbox { parent }
    }

    fn path(&self, p: &str) -> PathBuf {
        self.parent.path().join(p)
    }

    fn sh(&self, script: &str) -> Run {
        let mut s = spec(&self.path("root"), &["sh", "-c", script]);
        s.mounts.push(Mount { host: self.path("mount"), guest: "/data".to_string(), read_only: false });
        run(s)
    }

    /// A script that tries to read outside: it fails, and shows nothing of what is there.
    fn assert_cannot_read(&self, script: &str) {
        let r = self.sh(script);
        assert!(!r.out.contains("secret") && !r.out.contains("hidden"), "{script}: {r:?}");
        assert_ne!(r.code, 0, "{script}: {r:?}");
    }

    /// The files outside the sandbox are as they were.
    fn assert_untouched(&self) {
        assert_eq!(fs::read_to_string(self.path("outside.txt")).unwrap(), "secret\n");
        assert_eq!(fs::read_dir(self.path("outside-dir")).unwrap().count(), 1);
        let mut names: Vec<String> = fs::read_dir(self.parent.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        names.sort();
        assert_eq!(names, ["mount", "outside-dir", "outside.txt", "root"]);
    }
}

#[test]
fn dot_dot_stays_inside() {
    let s = Sandbox::new();
    for script in [
        "cat ../outside.txt",
        "cat /../outside.txt",
        "cat /data/../../outside.txt",
        "cd /data && cat ../../../outside.txt",
        "ls ../outside-dir",
    ] {
        s.assert_cannot_read(script);
    }
    for script in ["echo pwned > ../outside.txt", "echo pwned > /data/../../outside.txt", "mkdir ../../outside-dir/x"] {
        s.sh(script);
    }
    s.assert_untouched();
}

#[test]
fn absolute_symlinks_do_not_lead_out() {
    let s = Sandbox::new();
    std::os::unix::fs::symlink(s.path("outside.txt"), s.path("root/abs")).unwrap();
    std::os::unix::fs::symlink(s.path("outside-dir"), s.path("root/absdir")).unwrap();
    std::os::unix::fs::symlink("/", s.path("root/hostroot")).unwrap();
    for script in ["cat /abs", "cat /hostroot/etc/hostname", "cat /hostroot/proc/self/environ", "cat /absdir/hidden"] {
        s.assert_cannot_read(script);
    }
    // `ls` of a link it cannot follow lists the link itself, as for a dangling link.
    assert_eq!(s.sh("ls /absdir").out, "/absdir\n");
    for script in ["echo pwned > /abs", "echo pwned >> /abs", "echo pwned > /absdir/new", "mkdir /absdir/d"] {
        let r = s.sh(script);
        assert_ne!(r.code, 0, "{script}");
    }
    s.assert_untouched();
}

#[test]
fn symlinks_out_of_a_mount_do_not_lead_out() {
    let s = Sandbox::new();
    std::os::unix::fs::symlink("../outside.txt", s.path("mount/up")).unwrap();
    std::os::unix::fs::symlink("../outside-dir", s.path("mount/updir")).unwrap();
    // Out of the mount into the container's root is out too: each mount is its own sandbox.
    std::os::unix::fs::symlink("../root", s.path("mount/toroot")).unwrap();
    for script in ["cat /data/up", "cat /data/updir/hidden", "ls /data/toroot/data"] {
        s.assert_cannot_read(script);
    }
    assert_eq!(s.sh("ls /data/updir").out, "/data/updir\n");
    for script in ["echo pwned > /data/up", "echo pwned > /data/updir/new", "cp /data/up /data/copy"] {
        assert_ne!(s.sh(script).code, 0, "{script}");
    }
    s.assert_untouched();
}

#[test]
fn hard_links_to_outside_files_are_copied_before_a_write() {
    let s = Sandbox::new();
    fs::hard_link(s.path("outside.txt"), s.path("root/hard")).unwrap();
    fs::hard_link(s.path("outside.txt"), s.path("mount/hard")).unwrap();
    // A hard link is the same file: reading it reads the file, as it does under Docker.
    assert_eq!(s.sh("cat /hard").out, "secret\n");
    // Writing gets the container its own copy; the other name keeps the old content.
    let r = s.sh("echo pwned > /hard; echo more >> /data/hard; cat /hard /data/hard");
    assert_eq!((r.code, r.out.as_str(), r.err.as_str()), (0, "pwned\nsecret\nmore\n", ""));
    s.assert_untouched();
    assert_eq!(fs::read_to_string(s.path("mount/hard")).unwrap(), "secret\nmore\n");
    // The copies are single links now.
    assert_eq!(fs::metadata(s.path("root/hard")).unwrap().nlink(), 1);
    assert_eq!(fs::metadata(s.path("outside.txt")).unwrap().nlink(), 1);
    // No temporary files are left behind.
    assert_eq!(fs::read_dir(s.path("root")).unwrap().count(), 2);
}

#[test]
fn proc_is_not_the_host_proc() {
    let s = Sandbox::new();
    for script in [
        "cat /proc/self/environ",
        "cat /proc/1/cmdline",
        "ls /proc",
        "cat /proc/self/root/etc/hostname",
        "cat /etc/passwd",
    ] {
        let r = s.sh(script);
        assert_eq!(r.out, "", "{script}");
        assert!(r.err.contains("No such file or directory"), "{script}: {}", r.err);
    }
    // Nor is a /proc the engine puts in the root a way out: it is a plain folder.
    fs::create_dir_all(s.path("root/proc/self")).unwrap();
    std::os::unix::fs::symlink("/", s.path("root/proc/self/root")).unwrap();
    s.assert_cannot_read("cat /proc/self/root/etc/hostname");
    s.assert_untouched();
}

// Hand-written modules: raw WASI calls that the toolbox, which resolves paths itself, never makes.

fn wat_runtime(wat: &str) -> Runtime {
    Runtime::with_module(&shared_cache(), wat.as_bytes()).expect("the module compiles")
}

/// A module that opens `path` relative to descriptor `dirfd` (3 is `/`), then writes "pwned" to it when
/// `write`. It exits with the failing call's errno, or 0.
fn open_module(dirfd: u32, path: &str, follow: bool, write: bool) -> String {
    let (oflags, rights) = if write { (1 | 8, (1u64 << 6) | (1 << 1)) } else { (0, 1 << 1) };
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "{path}")
  (data (i32.const 128) "pwned")
  (func (export "_start") (local $e i32)
    (local.set $e (call $open (i32.const {dirfd}) (i32.const {follow}) (i32.const 256) (i32.const {len})
      (i32.const {oflags}) (i64.const {rights}) (i64.const 0) (i32.const 0) (i32.const 8)))
    (if (local.get $e) (then (call $exit (local.get $e))))
    (if (i32.const {write}) (then
      (i32.store (i32.const 16) (i32.const 128))
      (i32.store (i32.const 20) (i32.const 5))
      (call $exit (call $write (i32.load (i32.const 8)) (i32.const 16) (i32.const 1) (i32.const 24)))))
    (call $exit (i32.const 0))))"#,
        follow = i32::from(follow),
        len = path.len(),
        write = i32::from(write),
    )
}

#[test]
fn raw_wasi_paths_stay_inside() {
    let s = Sandbox::new();
    std::os::unix::fs::symlink(s.path("outside.txt"), s.path("root/abs")).unwrap();
    std::os::unix::fs::symlink("../outside.txt", s.path("root/up")).unwrap();
    std::os::unix::fs::symlink("data/../../outside.txt", s.path("root/sneaky")).unwrap();
    fs::write(s.path("root/inside.txt"), "in\n").unwrap();
    let root = s.path("root");
    for (path, follow) in [
        ("../outside.txt", true),
        ("data/../../outside.txt", true),
        ("abs", true),
        ("up", true),
        ("sneaky", true),
        ("/outside.txt", true),
        ("../outside-dir/new", true),
    ] {
        for write in [false, true] {
            let runtime = wat_runtime(&open_module(3, path, follow, write));
            let code = run_on(&runtime, spec(&root, &["raw"])).code;
            assert_ne!(code, 0, "{path} (write: {write})");
        }
    }
    // The module does work inside.
    let runtime = wat_runtime(&open_module(3, "inside.txt", true, true));
    assert_eq!(run_on(&runtime, spec(&root, &["raw"])).code, 0);
    assert_eq!(fs::read_to_string(s.path("root/inside.txt")).unwrap(), "pwned");
    s.assert_untouched();
}

#[test]
fn raw_wasi_links_stay_inside() {
    let s = Sandbox::new();
    let root = s.path("root");
    let link = |call: &str, old: &str, new: &str| {
        let wat = format!(
            r#"(module
  (import "wasi_snapshot_preview1" "path_link" (func $link (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "{old}")
  (data (i32.const 512) "{new}")
  (func (export "_start")
    (call $exit {call})))"#,
            call = if call == "link" {
                format!(
                    "(call $link (i32.const 3) (i32.const 0) (i32.const 256) (i32.const {}) (i32.const 3) (i32.const 512) (i32.const {}))",
                    old.len(),
                    new.len()
                )
            } else {
                format!(
                    "(call $symlink (i32.const 256) (i32.const {}) (i32.const 3) (i32.const 512) (i32.const {}))",
                    old.len(),
                    new.len()
                )
            },
        );
        run_on(&wat_runtime(&wat), spec(&root, &["raw"])).code
    };
    assert_ne!(link("link", "../outside.txt", "stolen"), 0);
    assert_ne!(link("symlink", "../outside.txt", "../outside-dir/planted"), 0);
    // A symlink may say anything, but following it out fails.
    let _ = link("symlink", "/", "hostroot");
    let r = run(spec(&root, &["cat", "/hostroot/etc/hostname"]));
    assert_ne!(r.code, 0);
    assert_eq!(r.out, "");
    assert!(!root.join("stolen").exists());
    s.assert_untouched();
}

#[test]
fn traps_map_to_signal_statuses() {
    let root = temp();
    let trap = |body: &str| {
        let wat = format!(r#"(module (memory (export "memory") 1) (func (export "_start") {body}))"#);
        run_on(&wat_runtime(&wat), spec(root.path(), &["trap"])).code
    };
    assert_eq!(trap("unreachable"), 134);
    assert_eq!(trap("(drop (i32.load (i32.const 0x7ffffff0)))"), 139);
    assert_eq!(trap("(drop (i32.div_s (i32.const 1) (i32.const 0)))"), 136);
}

/// Polls a 10 ms clock in a loop, and exits with 128 + the first pending signal.
const SIGNAL_MODULE: &str = r#"(module
  (import "docklings" "pending_signal" (func $signal (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $s i32)
    (i64.store (i32.const 64) (i64.const 7))
    (i32.store8 (i32.const 72) (i32.const 0))
    (i32.store (i32.const 80) (i32.const 1))
    (i64.store (i32.const 88) (i64.const 10000000))
    (loop $again
      (local.set $s (call $signal))
      (if (local.get $s) (then (call $exit (i32.add (i32.const 128) (local.get $s)))))
      (drop (call $poll (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 192)))
      (br $again))))"#;

#[test]
fn guests_can_read_pending_signals() {
    let root = temp();
    let runtime = wat_runtime(SIGNAL_MODULE);
    let process = runtime.spawn(spec(root.path(), &["handler"])).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(process.try_wait(), None);
    process.signal(Signal::Term);
    assert_eq!(process.wait_timeout(Duration::from_secs(5)), Some(143));
}

/// Polls stdin (descriptor 0) and a clock of `timeout` ns together; exits with 10 × the number of events + the
/// type of the first (0 clock, 1 read).
fn poll_module(timeout: u64) -> String {
    format!(
        r#"(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (local $e i32)
    ;; Subscription 1 at 64: read on descriptor 0. Subscription 2 at 112: a relative monotonic clock.
    (i64.store (i32.const 64) (i64.const 1))
    (i32.store8 (i32.const 72) (i32.const 1))
    (i32.store (i32.const 80) (i32.const 0))
    (i64.store (i32.const 112) (i64.const 2))
    (i32.store8 (i32.const 120) (i32.const 0))
    (i32.store (i32.const 128) (i32.const 1))
    (i64.store (i32.const 136) (i64.const {timeout}))
    (local.set $e (call $poll (i32.const 64) (i32.const 256) (i32.const 2) (i32.const 512)))
    (if (local.get $e) (then (call $exit (i32.add (i32.const 100) (local.get $e)))))
    (call $exit (i32.add (i32.mul (i32.load (i32.const 512)) (i32.const 10)) (i32.load8_u (i32.const 266))))))"#
    )
}

#[test]
fn poll_waits_for_stdin_or_the_clock() {
    let root = temp();
    // Stdin at its end is ready at once.
    let runtime = wat_runtime(&poll_module(5_000_000_000));
    let start = Instant::now();
    assert_eq!(run_on(&runtime, spec(root.path(), &["poll"])).code, 11);
    assert!(start.elapsed() < Duration::from_secs(2));

    // Bytes on a pipe wake it before the clock.
    let (writer, pipe) = stdin_pipe();
    let mut s = spec(root.path(), &["poll"]);
    s.stdin = Stdin::Pipe(pipe);
    let process = runtime.spawn(s).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(process.try_wait(), None);
    assert!(writer.send(b"x"));
    assert_eq!(process.wait_timeout(Duration::from_secs(2)), Some(11));

    // The clock, when no input comes.
    let runtime = wat_runtime(&poll_module(50_000_000));
    let (_writer, pipe) = stdin_pipe();
    let mut s = spec(root.path(), &["poll"]);
    s.stdin = Stdin::Pipe(pipe);
    assert_eq!(run_on(&runtime, s).code, 10);
}

#[test]
fn processes_run_side_by_side() {
    let root = temp();
    let processes: Vec<Process> = (0..8)
        .map(|i| {
            let (stdout, _) = Output::capture();
            let mut s = spec(root.path(), &["sh", "-c", &format!("sleep 0.2; echo {i} > /f{i}")]);
            s.stdout = stdout;
            runtime().spawn(s).unwrap()
        })
        .collect();
    let start = Instant::now();
    for p in processes {
        assert_eq!(p.wait(), 0);
    }
    assert!(start.elapsed() < Duration::from_secs(2), "they sleep at the same time");
    for i in 0..8 {
        assert_eq!(fs::read_to_string(root.path().join(format!("f{i}"))).unwrap(), format!("{i}\n"));
    }
}

#[test]
fn a_panicking_sink_ends_the_process() {
    let root = temp();
    let mut s = spec(root.path(), &["echo", "hi"]);
    s.stdout = Output::from_fn(Arc::new(|_: &[u8]| panic!("the sink failed")));
    let status = runtime().spawn(s).unwrap().wait_status();
    assert_eq!(status.code, 134);
}

#[test]
fn handles_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Runtime>();
    send_sync::<Process>();
    send_sync::<Output>();
    send_sync::<StdinWriter>();
    send::<ProcessSpec>();
}

#[test]
fn spawn_reports_a_missing_root() {
    let root = temp();
    let Err(e) = runtime().spawn(spec(&root.path().join("missing"), &["true"])) else { panic!("spawned") };
    assert!(e.to_string().contains("cannot open the root folder"), "{e}");
}

#[test]
fn module_cache_makes_the_second_start_fast() {
    let cache = temp();
    let start = Instant::now();
    drop(Runtime::new(cache.path()).unwrap());
    let cold = start.elapsed();
    let start = Instant::now();
    let runtime = Runtime::new(cache.path()).unwrap();
    let warm = start.elapsed();
    eprintln!("Runtime::new: cold {cold:?}, from the cache {warm:?}");
    assert!(warm * 3 < cold, "cold {cold:?}, warm {warm:?}");
    let root = temp();
    assert_eq!(run_on(&runtime, spec(root.path(), &["echo", "hi"])).out, "hi\n");
}

/// Not a check but a measurement: `cargo test --release --lib runtime::tests::measure -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement; run it by name"]
fn measure_spawn_and_wait() {
    let root = temp();
    let runtime = runtime();
    let mut times = Vec::with_capacity(100);
    for _ in 0..100 {
        let start = Instant::now();
        let r = run_on(runtime, spec(root.path(), &["echo", "hi"]));
        times.push(start.elapsed());
        assert_eq!(r.out, "hi\n");
    }
    times.sort();
    eprintln!(
        "spawn + wait of `echo hi`, 100 runs: median {:?}, min {:?}, p90 {:?}, max {:?}",
        times[50], times[0], times[90], times[99]
    );
    let mut times = Vec::with_capacity(100);
    for _ in 0..100 {
        let start = Instant::now();
        let r = run_on(runtime, spec(root.path(), &["sh", "-c", "echo hi | wc -c"]));
        times.push(start.elapsed());
        assert_eq!(r.out, "3\n");
    }
    times.sort();
    eprintln!("spawn + wait of `sh -c 'echo hi | wc -c'`, 100 runs: median {:?}", times[50]);
}
