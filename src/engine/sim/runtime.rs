//! The process runtime of the simulated engine: every container process is the toolbox module
//! (`assets/toolbox.wasm`, WASI preview 1) run by wasmtime on its own plain thread, with the container's root
//! folder preopened as `/` and each mount at its guest path.
//!
//! One [`Runtime`] per docklings process holds the wasmtime engine, the toolbox compiled (or loaded from
//! wasmtime's module cache in `$DOCKLINGS_HOME`) and linked, and an epoch ticker thread. Each [`Process`] has its
//! own store: its WASI context, its memory limit, its CPU budget and its kill switch.
//!
//! Exit statuses, as Docker reports them: the guest's own status (`exit 200` is 200; statuses are taken modulo
//! 256); 137 when killed, when over its CPU limit or when it ran out of its memory limit and then failed; 134
//! when the guest aborted (a Rust panic or `unreachable`); 136 for an arithmetic trap; 139 for any other trap
//! (out-of-bounds access, stack overflow). [`ExitStatus::reason`] says which.

mod copy_up;
mod host;
pub mod net;
mod poll;
mod stdio;
#[cfg(test)]
mod tests;

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wasmtime::{Config, Engine, InstancePre, Module, Store};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

use super::super::EngineError;
use host::{State, Ticker};
pub use net::{NetIdentity, Network};
pub use stdio::{Captured, Output, Sink, StdinPipe, StdinWriter, stdin_pipe};
use stdio::{OutputStream, Shared, StdinStream};

/// The toolbox: every program a simulated container runs.
pub const TOOLBOX: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/toolbox.wasm"));

/// A folder of the host made visible inside the process: a volume or a bind mount. It must be a directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub host: PathBuf,
    /// An absolute path inside the container.
    pub guest: String,
    /// Writes are refused (`EPERM`, which the toolbox reports as busybox does: "Read-only file system").
    pub read_only: bool,
}

/// What a process reads on its standard input.
pub enum Stdin {
    /// Nothing: the first read is the end of the input.
    Null,
    /// These bytes, then the end.
    Bytes(Vec<u8>),
    /// Bytes as the [`StdinWriter`] of [`stdin_pipe`] sends them; the end when it is closed or dropped.
    Pipe(StdinPipe),
}

/// What a process may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory, in bytes. Growing beyond it fails inside the guest (its allocator sees no memory).
    pub memory: u64,
    /// WebAssembly execution time (time blocked in `sleep` or on stdin does not count); `None`: no limit.
    /// Measured in ticks of the epoch ticker, so it is exact to about 10 ms.
    pub cpu: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { memory: 256 << 20, cpu: None }
    }
}

/// How to start a process.
pub struct ProcessSpec {
    /// `argv[0]` is the applet (`sh`, `echo`) or a path whose basename is one (`/bin/ls`).
    pub argv: Vec<String>,
    /// `KEY=VALUE` entries; entries without `=` are left out. `DOCKLINGS_UID`, `DOCKLINGS_GID`, `DOCKLINGS_CWD`
    /// and `DOCKLINGS_TTY` configure the toolbox (see toolbox/README.md); `DOCKLINGS_TTY=1` also makes stdin
    /// and stdout terminals.
    pub env: Vec<String>,
    /// The working directory inside the container; passed as `DOCKLINGS_CWD` unless `env` has it already.
    pub cwd: String,
    /// The host folder that is the container's `/`.
    pub root: PathBuf,
    pub mounts: Vec<Mount>,
    pub stdin: Stdin,
    pub stdout: Output,
    pub stderr: Output,
    pub limits: Limits,
}

/// A signal, as `docker kill --signal` and `docker stop` send them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    Hup,
    Int,
    Quit,
    Kill,
    Usr1,
    Usr2,
    Alrm,
    Term,
    /// Any other Linux signal, by number (1 to 64).
    Other(u8),
}

/// Linux's signal names, by number.
const SIGNAL_NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
    "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
    "PWR", "SYS",
];

impl Signal {
    /// The signal with this Linux number (1 to 64).
    #[must_use]
    pub fn from_number(n: u8) -> Option<Signal> {
        Some(match n {
            1 => Signal::Hup,
            2 => Signal::Int,
            3 => Signal::Quit,
            9 => Signal::Kill,
            10 => Signal::Usr1,
            12 => Signal::Usr2,
            14 => Signal::Alrm,
            15 => Signal::Term,
            0 | 65.. => return None,
            _ => Signal::Other(n),
        })
    }

    /// A signal as Docker accepts it: `TERM`, `SIGTERM`, `sigterm` or `15`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Signal> {
        let upper = text.to_ascii_uppercase();
        let name = upper.strip_prefix("SIG").unwrap_or(&upper);
        if let Ok(n) = name.parse::<u8>() {
            return Signal::from_number(n);
        }
        let at = SIGNAL_NAMES.iter().position(|s| *s == name)?;
        Signal::from_number(u8::try_from(at + 1).ok()?)
    }

    /// The Linux signal number.
    #[must_use]
    pub fn number(self) -> u8 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Usr2 => 12,
            Signal::Alrm => 14,
            Signal::Term => 15,
            Signal::Other(n) => n,
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match SIGNAL_NAMES.get(usize::from(self.number()).wrapping_sub(1)) {
            Some(name) => write!(f, "SIG{name}"),
            None => write!(f, "signal {}", self.number()),
        }
    }
}

/// Why a process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExitReason {
    /// It exited by itself (`exit`, or returning from `main`).
    Exited,
    /// [`Process::kill`] or [`Signal::Kill`].
    Killed,
    /// It used up [`Limits::cpu`].
    CpuLimit,
    /// It asked for more memory than [`Limits::memory`] and then failed, as Docker's OOM killer would end it.
    OutOfMemory,
    /// The guest trapped; the text is wasmtime's.
    Trap(String),
}

/// How a process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExitStatus {
    /// The status Docker shows: 0 to 255.
    pub code: i32,
    pub reason: ExitReason,
}

/// The WebAssembly runtime: one per docklings process, shared by every container process.
pub struct Runtime {
    engine: Engine,
    pre: InstancePre<State>,
    ticker: Ticker,
    /// Every listener of the processes this runtime runs: the simulation's one network.
    network: Arc<Network>,
}

impl Runtime {
    /// Compiles the toolbox, or loads it from wasmtime's module cache in `cache_dir` (created when missing).
    pub fn new(cache_dir: &Path) -> Result<Runtime, EngineError> {
        Runtime::with_module(cache_dir, TOOLBOX)
    }

    /// The runtime for another WASI module (tests run small hand-written ones).
    pub(crate) fn with_module(cache_dir: &Path, wasm: &[u8]) -> Result<Runtime, EngineError> {
        let local = |what: &str, e: &dyn fmt::Display| EngineError::Local(format!("{what}: {e}"));
        let cache_dir = std::path::absolute(cache_dir).map_err(|e| local("module cache folder", &e))?;
        std::fs::create_dir_all(&cache_dir)
            .map_err(|e| local(&format!("cannot create the module cache at `{}`", cache_dir.display()), &e))?;
        let mut cache_config = wasmtime::CacheConfig::new();
        cache_config.with_directory(&cache_dir);
        let cache = wasmtime::Cache::new(cache_config).map_err(|e| local("module cache", &e))?;
        let mut config = Config::new();
        config.epoch_interruption(true);
        config.cache(Some(cache));
        let engine = Engine::new(&config).map_err(|e| local("WebAssembly engine", &e))?;
        let module = Module::new(&engine, wasm).map_err(|e| local("compiling the toolbox", &e))?;
        let linker = host::linker(&engine).map_err(|e| local("WASI linker", &e))?;
        let pre = linker.instantiate_pre(&module).map_err(|e| local("linking the toolbox", &e))?;
        let ticker = Ticker::start(&engine).map_err(|e| local("epoch ticker", &e))?;
        Ok(Runtime { engine, pre, ticker, network: Arc::default() })
    }

    /// Starts a process on its own thread. Returns once it is set up; an error means it never ran (a root or
    /// mount folder that cannot be opened, a memory limit below what the module needs to start).
    pub fn spawn(&self, spec: ProcessSpec) -> Result<Process, EngineError> {
        self.spawn_networked(spec, None)
    }

    /// The network every process of this runtime is on (the shell's `curl` connects through it).
    #[must_use]
    pub fn network(&self) -> &Arc<Network> {
        &self.network
    }

    /// Starts a process in a container's network namespace (`None`: a namespace of its own, loopback only, as
    /// with `--network none`).
    pub fn spawn_networked(&self, spec: ProcessSpec, identity: Option<NetIdentity>) -> Result<Process, EngineError> {
        let local = |what: &str, e: &dyn fmt::Display| EngineError::Local(format!("{what}: {e}"));
        let shared = match spec.stdin {
            Stdin::Null => Shared::with_input(&[]),
            Stdin::Bytes(bytes) => Shared::with_input(&bytes),
            Stdin::Pipe(pipe) => pipe.into_shared(),
        };

        let mut env: Vec<(String, String)> =
            spec.env.iter().filter_map(|e| e.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if !env.iter().any(|(k, _)| k == "DOCKLINGS_CWD") {
            env.push(("DOCKLINGS_CWD".to_string(), spec.cwd.clone()));
        }
        let tty = env.iter().any(|(k, v)| k == "DOCKLINGS_TTY" && v == "1");

        let mut wasi = WasiCtxBuilder::new();
        wasi.args(&spec.argv)
            .envs(&env)
            .allow_blocking_current_thread(true)
            .stdin(StdinStream::new(shared.clone(), tty))
            .stdout(OutputStream::new(spec.stdout, shared.clone(), tty))
            .stderr(OutputStream::new(spec.stderr, shared.clone(), tty));
        let clock = host::MonotonicClock::new();
        let origin = clock.origin();
        wasi.monotonic_clock(clock);
        // Preopens get the descriptors 3, 4, … in this order; `copy_up::FsGuard` relies on it.
        let mut preopens = vec![(spec.root.clone(), true)];
        wasi.preopened_dir(&spec.root, "/", FsPerms::ReadWrite)
            .map_err(|e| local(&format!("cannot open the root folder `{}`", spec.root.display()), &e))?;
        for m in &spec.mounts {
            let perms = if m.read_only { FsPerms::ReadOnly } else { FsPerms::ReadWrite };
            wasi.preopened_dir(&m.host, &m.guest, perms)
                .map_err(|e| local(&format!("cannot mount `{}` at {}", m.host.display(), m.guest), &e))?;
            preopens.push((m.host.clone(), !m.read_only));
        }

        let net = net::Ctx::new(self.network.clone(), identity);
        let state = State::new(wasi.build_p1(), shared.clone(), spec.limits, preopens, origin, net);
        let mut store = Store::new(&self.engine, state);
        host::configure_store(&mut store);
        let instance = self.pre.instantiate(&mut store).map_err(|e| local("starting the process", &e))?;
        let start = instance.get_typed_func::<(), ()>(&mut store, "_start").map_err(|e| local("the toolbox", &e))?;

        let active = self.ticker.activate();
        let name = spec.argv.first().map_or("process", |a| a.rsplit('/').next().unwrap_or(a));
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("docklings {name}"))
            .spawn(move || {
                let _active = active;
                // A panicking output sink unwinds through the guest; the process still has to end for its waiters.
                let status = match std::panic::catch_unwind(AssertUnwindSafe(|| start.call(&mut store, ()))) {
                    Ok(result) => host::exit_status(result, store.data()),
                    Err(_) => ExitStatus { code: 134, reason: ExitReason::Trap("the host panicked".to_string()) },
                };
                // The WASI context (and with it the open files) goes before anyone hears of the exit.
                drop(store);
                thread_shared.finish(status);
            })
            .map_err(|e| local("cannot start a thread", &e))?;
        Ok(Process { shared, thread: Mutex::new(Some(thread)), engine: self.engine.clone() })
    }
}

/// A running (or finished) process. Dropping it leaves the process running; its output still goes to its sinks.
pub struct Process {
    shared: Arc<Shared>,
    thread: Mutex<Option<JoinHandle<()>>>,
    engine: Engine,
}

impl Process {
    /// Waits for the end; the exit status (see the module documentation for the codes).
    #[must_use]
    pub fn wait(self) -> i32 {
        self.wait_status().code
    }

    /// Waits for the end, from any thread holding the process.
    #[must_use]
    pub fn wait_code(&self) -> i32 {
        self.wait_status().code
    }

    /// Waits for the end; the status and why.
    #[must_use]
    pub fn wait_status(&self) -> ExitStatus {
        let status = self.shared.wait_exit(None).unwrap_or_else(|| unreachable!("waits without a deadline"));
        // The thread has nothing left to do but return.
        if let Some(thread) = self.thread.lock().unwrap_or_else(PoisonError::into_inner).take() {
            let _ = thread.join();
        }
        status
    }

    /// The exit status once it has ended.
    #[must_use]
    pub fn try_wait(&self) -> Option<i32> {
        self.shared.exit().map(|s| s.code)
    }

    /// Waits up to `timeout` for the end.
    #[must_use]
    pub fn wait_timeout(&self, timeout: Duration) -> Option<i32> {
        self.shared.wait_exit(Some(Instant::now() + timeout)).map(|s| s.code)
    }

    /// The status and why, once it has ended.
    #[must_use]
    pub fn status(&self) -> Option<ExitStatus> {
        self.shared.exit()
    }

    /// Sends a signal. `KILL` ends the process now; any other is recorded as pending, for a guest that asks
    /// with `docklings::pending_signal`: the toolbox's shell does between commands and runs its `trap` actions;
    /// nothing else in the toolbox asks (it ignores signals, like busybox as PID 1).
    pub fn signal(&self, sig: Signal) {
        if sig == Signal::Kill {
            self.kill();
        } else {
            self.shared.raise(sig.number());
        }
    }

    /// Ends the process with status 137, promptly even while it sleeps or waits for input.
    pub fn kill(&self) {
        self.killer().kill();
    }

    /// A handle that can kill the process from elsewhere, without holding it.
    #[must_use]
    pub fn killer(&self) -> Killer {
        Killer { shared: self.shared.clone(), engine: self.engine.clone() }
    }
}

/// Kills one process, from any thread; see [`Process::killer`].
#[derive(Clone)]
pub struct Killer {
    shared: Arc<Shared>,
    engine: Engine,
}

impl Killer {
    /// As [`Process::kill`].
    pub fn kill(&self) {
        if self.shared.kill() {
            // Running guest code checks at the next epoch change: make it now.
            self.engine.increment_epoch();
        }
    }

    /// Whether the process has ended.
    #[must_use]
    pub fn ended(&self) -> bool {
        self.shared.exit().is_some()
    }
}
