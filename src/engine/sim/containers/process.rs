//! How a container's command becomes a toolbox process: the program looked up as runc does (`PATH`, scripts
//! with `#!`), the user and its home from the container's `/etc/passwd`, the environment the daemon gives, the
//! mounts. Failures carry the runtime's texts and the exit status the daemon derives from them.

use std::fs;
use std::path::{Path, PathBuf};

use super::super::SimEngine;
use super::super::catalog;
use super::super::in_rootfs;
use super::super::runtime::{Limits, Mount, Output, ProcessSpec, Stdin};
use super::super::state::Container;
use crate::engine::{EngineError, Result};

const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Why a process could not start, as runc says it, and the status the daemon gives for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartFailure {
    /// runc's text after `unable to start container process: `, without the `: unknown` the daemon adds:
    /// `exec: "x": executable file not found in $PATH`.
    pub reason: String,
    /// 127 for a program not found, 126 for one that cannot run.
    pub status: i32,
    /// A docklings limit rather than a Docker error (a program the toolbox does not have).
    pub local: bool,
}

impl StartFailure {
    fn not_found(reason: String) -> StartFailure {
        StartFailure { reason, status: 127, local: false }
    }

    fn cannot_run(reason: String) -> StartFailure {
        StartFailure { reason, status: 126, local: false }
    }

    /// The daemon's error for a container that did not start (Docker 28: containerd 1.7, runc 1.2).
    #[must_use]
    pub fn start_error(&self) -> EngineError {
        if self.local {
            return EngineError::Local(self.reason.clone());
        }
        if self.is_user_error() {
            return EngineError::BadRequest(self.reason.clone());
        }
        EngineError::BadRequest(format!(
            "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {}: unknown",
            self.reason
        ))
    }

    /// A user or group that `/etc/passwd` or `/etc/group` does not know: the daemon reports it before runc runs.
    #[must_use]
    pub fn is_user_error(&self) -> bool {
        self.reason.starts_with("unable to find user") || self.reason.starts_with("unable to find group")
    }

    /// The exit code the daemon records for a container that did not start.
    #[must_use]
    pub fn recorded_code(&self) -> i64 {
        if self.is_user_error() { 128 } else { i64::from(self.status) }
    }

    /// What `docker exec` prints (on stdout, as the daemon writes it into the stream) when the process did
    /// not start.
    #[must_use]
    pub fn exec_message(&self) -> String {
        if self.local {
            return format!("{}\r\n", self.reason);
        }
        if self.is_user_error() {
            return format!("{}\r\n", self.reason);
        }
        if self.reason.starts_with("Cwd must be") {
            return format!("OCI runtime exec failed: exec failed: {}: unknown\r\n", self.reason);
        }
        format!("OCI runtime exec failed: exec failed: unable to start container process: {}: unknown\r\n", self.reason)
    }
}

/// What a host file is to the runtime.
enum Program {
    /// A toolbox program (the WebAssembly module's magic).
    Binary,
    /// A script: its interpreter and the interpreter's arguments.
    Script(Vec<String>),
    /// Anything else, which `execve` refuses.
    NotExecutable,
}

fn program_kind(file: &Path) -> Program {
    let Ok(content) = fs::read(file) else { return Program::NotExecutable };
    if content.starts_with(b"\0asm") {
        return Program::Binary;
    }
    if let Some(rest) = content.strip_prefix(b"#!") {
        let first = rest.split(|b| *b == b'\n').next().unwrap_or_default();
        let words: Vec<String> = String::from_utf8_lossy(first).split_whitespace().map(str::to_string).collect();
        if !words.is_empty() {
            return Program::Script(words);
        }
    }
    Program::NotExecutable
}

/// The toolbox call that runs `argv` in the container whose root is `rootfs`.
fn resolve_program(rootfs: &Path, env: &[String], cwd: &str, argv: &[String]) -> Result<Vec<String>, StartFailure> {
    resolve_depth(rootfs, env, cwd, argv, 0)
}

fn resolve_depth(
    rootfs: &Path,
    env: &[String],
    cwd: &str,
    argv: &[String],
    depth: u8,
) -> Result<Vec<String>, StartFailure> {
    let name = &argv[0];
    let host = |p: &str| rootfs.join(p.trim_start_matches('/'));
    let path = if name.contains('/') {
        let full = if name.starts_with('/') { name.clone() } else { format!("{}/{name}", cwd.trim_end_matches('/')) };
        if !host(&full).exists() {
            return Err(StartFailure::not_found(format!("exec: \"{name}\": stat {name}: no such file or directory")));
        }
        full
    } else {
        let path_var = env.iter().rev().find_map(|e| e.strip_prefix("PATH=")).unwrap_or(DEFAULT_PATH);
        let found = path_var.split(':').map(|d| format!("{}/{name}", d.trim_end_matches('/'))).find(|p| {
            let h = host(p);
            h.is_file() && !matches!(program_kind(&h), Program::NotExecutable)
        });
        found.ok_or_else(|| StartFailure::not_found(format!("exec: \"{name}\": executable file not found in $PATH")))?
    };
    let file = host(&path);
    if file.is_dir() {
        return Err(StartFailure::cannot_run(format!("exec: \"{name}\": permission denied")));
    }
    match program_kind(&file) {
        Program::NotExecutable => Err(StartFailure::cannot_run(format!("exec: \"{name}\": permission denied"))),
        Program::Script(interpreter) if depth < 4 => {
            let mut out = interpreter;
            out.push(path);
            out.extend(argv[1..].iter().cloned());
            resolve_depth(rootfs, env, cwd, &out, depth + 1)
        }
        Program::Script(_) => {
            Err(StartFailure::cannot_run(format!("exec: \"{name}\": too many levels of symbolic links")))
        }
        Program::Binary => {
            let applet = Path::new(&path).file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            if !catalog::APPLETS.contains(&applet.as_str()) {
                return Err(StartFailure {
                    reason: format!(
                        "docklings: the simulated engine cannot run `{applet}` (its containers run the busybox-style toolbox: sh, ls, cat, echo, …); `--engine real` runs real programs"
                    ),
                    status: 126,
                    local: true,
                });
            }
            // argv[0] stays as written (`sh`, not `/bin/sh`): programs name themselves by it in messages.
            let mut out = vec![if depth == 0 { name.clone() } else { path }];
            out.extend(argv[1..].iter().cloned());
            Ok(out)
        }
    }
}

/// A user as the container's `/etc/passwd` and `/etc/group` know it.
struct User {
    uid: u32,
    gid: u32,
    home: String,
}

/// `USER` (`name`, `uid`, `name:group`, `uid:gid`) as runc resolves it.
fn lookup_user(rootfs: &Path, user: &str) -> Result<User, StartFailure> {
    let read = |path: &str| in_rootfs(rootfs, path).and_then(|p| fs::read_to_string(p).ok()).unwrap_or_default();
    let passwd = read("/etc/passwd");
    let entries: Vec<Vec<&str>> = passwd.lines().map(|l| l.split(':').collect()).collect();
    let (u, g) = user.split_once(':').map_or((user, None), |(u, g)| (u, Some(g)));
    let u = if u.is_empty() { "0" } else { u };
    let entry = entries.iter().find(|f| f.first() == Some(&u) || (u.parse::<u32>().is_ok() && f.get(2) == Some(&u)));
    let (uid, gid, home) = match (entry, u.parse::<u32>()) {
        (Some(f), _) => (
            f.get(2).and_then(|v| v.parse().ok()).unwrap_or(0),
            f.get(3).and_then(|v| v.parse().ok()).unwrap_or(0),
            f.get(5).map_or("/", |h| if h.is_empty() { "/" } else { h }).to_string(),
        ),
        (None, Ok(n)) => (n, 0, "/".to_string()),
        (None, Err(_)) => {
            return Err(StartFailure::cannot_run(format!(
                "unable to find user {u}: no matching entries in passwd file"
            )));
        }
    };
    let gid = match g {
        None => gid,
        Some(g) => {
            if let Ok(n) = g.parse::<u32>() {
                n
            } else {
                let group = read("/etc/group");
                group
                    .lines()
                    .map(|l| l.split(':').collect::<Vec<_>>())
                    .find(|f| f.first() == Some(&g))
                    .and_then(|f| f.get(2).and_then(|v| v.parse().ok()))
                    .ok_or_else(|| {
                        StartFailure::cannot_run(format!("unable to find group {g}: no matching entries in group file"))
                    })?
            }
        }
    };
    Ok(User { uid, gid, home })
}

/// `KEY=VALUE` entries with those of `extra` replacing entries of the same key, the rest appended (moby's
/// `ReplaceOrAppendEnvValues`).
fn replace_or_append(env: &mut Vec<String>, extra: &[String]) {
    let key = |e: &str| e.split('=').next().unwrap_or(e).to_string();
    for e in extra {
        match env.iter().position(|x| key(x) == key(e)) {
            Some(i) => env[i].clone_from(e),
            None => env.push(e.clone()),
        }
    }
}

/// What differs between a container's main process and an exec in it.
pub struct Launch<'a> {
    pub argv: &'a [String],
    pub extra_env: &'a [String],
    pub cwd: Option<&'a str>,
    pub user: Option<&'a str>,
    pub tty: bool,
    /// An exec: the working directory must exist already (runc does not create it).
    pub exec: bool,
}

/// The process specification, with discarding outputs and no input (the caller sets them).
pub fn spec(engine: &SimEngine, c: &Container, launch: &Launch) -> Result<ProcessSpec, StartFailure> {
    let rootfs = engine.container_dir(&c.id).join("rootfs");
    let cwd = launch.cwd.filter(|w| !w.is_empty()).map_or_else(
        || if c.spec.working_dir.is_empty() { "/".to_string() } else { c.spec.working_dir.clone() },
        str::to_string,
    );
    if !cwd.starts_with('/') {
        return Err(StartFailure::cannot_run("Cwd must be an absolute path".to_string()));
    }
    let host_cwd = rootfs.join(cwd.trim_start_matches('/'));
    if launch.exec {
        if !host_cwd.is_dir() && !c.mounts.iter().any(|m| cwd.starts_with(&m.destination)) {
            return Err(StartFailure::cannot_run(format!(
                "chdir to cwd (\"{cwd}\") set in config.json failed: no such file or directory"
            )));
        }
    } else {
        // The daemon creates the working directory of a container (never through a link the image made).
        if let Some(dir) = in_rootfs(&rootfs, &cwd) {
            let _ = fs::create_dir_all(dir);
        }
    }
    let user = lookup_user(&rootfs, launch.user.unwrap_or(&c.spec.user))?;
    let mut env = vec![format!("PATH={DEFAULT_PATH}"), format!("HOSTNAME={}", c.spec.hostname)];
    if c.spec.tty || launch.tty {
        env.push("TERM=xterm".to_string());
    }
    replace_or_append(&mut env, &c.spec.env);
    replace_or_append(&mut env, launch.extra_env);
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={}", user.home));
    }
    let argv = resolve_program(&rootfs, &env, &cwd, launch.argv)?;
    env.push(format!("DOCKLINGS_UID={}", user.uid));
    env.push(format!("DOCKLINGS_GID={}", user.gid));
    env.push(format!("DOCKLINGS_CWD={cwd}"));
    if launch.tty {
        env.push("DOCKLINGS_TTY=1".to_string());
    }
    let mounts = c
        .mounts
        .iter()
        .map(|m| Mount {
            host: if m.source.is_empty() { tmpfs_dir(engine, &c.id, &m.destination) } else { PathBuf::from(&m.source) },
            guest: m.destination.clone(),
            read_only: !m.read_write,
        })
        .collect();
    Ok(ProcessSpec {
        argv,
        env,
        cwd,
        root: rootfs,
        mounts,
        stdin: Stdin::Null,
        stdout: Output::discard(),
        stderr: Output::discard(),
        limits: Limits::default(),
    })
}

/// The folder standing in for a tmpfs mount: emptied whenever the container starts.
pub fn tmpfs_dir(engine: &SimEngine, id: &str, destination: &str) -> PathBuf {
    let name: String = destination.chars().map(|c| if c == '/' { '_' } else { c }).collect();
    engine.container_dir(id).join("tmpfs").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rootfs() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("etc")).unwrap();
        fs::create_dir_all(dir.path().join("bin")).unwrap();
        fs::write(dir.path().join("etc/passwd"), "root:x:0:0::/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n")
            .unwrap();
        fs::write(dir.path().join("etc/group"), "root:x:0:\nstaff:x:50:\n").unwrap();
        fs::write(dir.path().join("bin/sh"), catalog::PROGRAM).unwrap();
        fs::write(dir.path().join("bin/echo"), catalog::PROGRAM).unwrap();
        fs::write(dir.path().join("etc/hostname"), "x\n").unwrap();
        fs::write(dir.path().join("bin/hi.sh"), "#!/bin/sh -e\necho hi\n").unwrap();
        dir
    }

    #[test]
    fn users_resolve_through_passwd() {
        let dir = rootfs();
        let ids = |u: &str| lookup_user(dir.path(), u).map(|u| (u.uid, u.gid, u.home));
        assert_eq!(ids("").unwrap(), (0, 0, "/root".to_string()));
        assert_eq!(ids("node").unwrap(), (1000, 1000, "/home/node".to_string()));
        assert_eq!(ids("1001:5").unwrap(), (1001, 5, "/".to_string()));
        assert_eq!(ids("node:staff").unwrap(), (1000, 50, "/home/node".to_string()));
        assert_eq!(ids("nobody").unwrap_err().reason, "unable to find user nobody: no matching entries in passwd file");
    }

    #[test]
    fn programs_resolve_as_runc_finds_them() {
        let dir = rootfs();
        let env = ["PATH=/bin".to_string()];
        let run = |argv: &[&str]| {
            let argv: Vec<String> = argv.iter().map(|s| (*s).to_string()).collect();
            resolve_program(dir.path(), &env, "/", &argv)
        };
        assert_eq!(run(&["echo", "hi"]).unwrap(), ["echo", "hi"]);
        assert_eq!(run(&["/bin/hi.sh", "a"]).unwrap(), ["/bin/sh", "-e", "/bin/hi.sh", "a"]);
        let missing = run(&["nosuchcmd"]).unwrap_err();
        assert_eq!(
            (missing.reason.as_str(), missing.status),
            ("exec: \"nosuchcmd\": executable file not found in $PATH", 127)
        );
        let denied = run(&["/etc/hostname"]).unwrap_err();
        assert_eq!((denied.reason.as_str(), denied.status), ("exec: \"/etc/hostname\": permission denied", 126));
        assert_eq!(run(&["/bin"]).unwrap_err().status, 126);
        assert_eq!(run(&["/no/x"]).unwrap_err().reason, "exec: \"/no/x\": stat /no/x: no such file or directory");
    }
}
