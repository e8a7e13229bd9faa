//! Temporary container roots, running the toolbox in-process, and running busybox beside it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use docklings_toolbox::Proc;

/// A temporary folder that is removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("docklings-toolbox-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, name: &str, content: &str) {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a command printed and returned.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

/// The files every comparison starts from.
pub fn fixture(dir: &TempDir) {
    dir.write("f", "a b\nc\n\nHello world foo\n");
    dir.write("g", "x\ny\n");
    dir.write("dir/one", "");
    dir.write("dir/.hidden", "");
    std::fs::create_dir_all(dir.path().join("dir/sub")).unwrap();
}

/// Runs an applet (or `sh`) in-process with `root` as the container's `/` and `/` as the working directory.
pub fn run_in(root: &Path, argv: &[&str], stdin: &str, setup: impl FnOnce(&mut Proc)) -> Outcome {
    let (mut proc, out, err) = Proc::with_buffers(root.to_path_buf(), stdin.as_bytes());
    setup(&mut proc);
    let argv: Vec<String> = argv.iter().map(ToString::to_string).collect();
    let status = docklings_toolbox::run(&mut proc, &argv);
    proc.flush();
    drop(proc);
    let text = |b: &std::cell::RefCell<Vec<u8>>| String::from_utf8_lossy(&b.borrow()).into_owned();
    Outcome { stdout: text(&out), stderr: text(&err), status }
}

pub fn run(root: &Path, argv: &[&str]) -> Outcome {
    run_in(root, argv, "", |_| {})
}

/// `sh -c SCRIPT` in-process.
pub fn sh(root: &Path, script: &str) -> Outcome {
    run(root, &["sh", "-c", script])
}

/// Runs `argv` with busybox in `cwd` (a copy of the toolbox's root), with the same small environment.
/// `None` (with the reason printed) when busybox is not installed.
pub fn busybox(cwd: &Path, argv: &[&str], stdin: &str) -> Option<Outcome> {
    if !Path::new("/bin/busybox").exists() {
        eprintln!("skipped: /bin/busybox is not installed (apt-get install busybox-static)");
        return None;
    }
    let mut child = Command::new("/bin/busybox")
        .args(argv)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", "/root")
        .env("A", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Some(Outcome {
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
        status: output.status.code().unwrap_or(-1),
    })
}

/// A read-only file system mounted on a fresh folder (a tmpfs mounted `ro`), for the "Read-only file system"
/// messages. `None`, with the reason printed, where mounting is not allowed (not root, no `mount`).
pub struct ReadOnlyMount(TempDir);

impl ReadOnlyMount {
    pub fn new() -> Option<ReadOnlyMount> {
        let dir = TempDir::new();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("skipped: cannot mount a read-only tmpfs here (needs root)");
            return None;
        }
        Some(ReadOnlyMount(dir))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}
