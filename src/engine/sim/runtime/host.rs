//! What the host adds to wasmtime-wasi: the store's state and limits, the epoch ticker, the linker with the WASI
//! functions it shadows (`proc_exit` here, `poll_oneoff` in `poll`, `path_open`, `fd_close` and `fd_renumber` in
//! `copy_up`), `docklings::pending_signal` and the `docklings_net` sockets (in `net`), and how a run's result becomes an exit status.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wasmtime::{Caller, Engine, Linker, Memory, ResourceLimiter, Store, Trap, UpdateDeadline};
use wasmtime_wasi::p1::{self, WasiP1Ctx};
use wasmtime_wasi::{HostMonotonicClock, I32Exit};

use super::copy_up::{self, FsGuard};
use super::net;
use super::poll::poll_oneoff;
use super::stdio::Shared;
use super::{ExitReason, ExitStatus, Limits};

const WASI: &str = "wasi_snapshot_preview1";

/// How often the epoch advances while a process runs: the granularity of kills and CPU limits.
const TICK: Duration = Duration::from_millis(10);

pub(super) const ERRNO_SUCCESS: i32 = 0;
pub(super) const ERRNO_ACCES: i32 = 2;
pub(super) const ERRNO_FAULT: i32 = 21;
pub(super) const ERRNO_INVAL: i32 = 28;

/// The error that ends a killed process.
#[derive(Debug, thiserror::Error)]
#[error("killed")]
pub(super) struct Killed;

#[derive(Debug, thiserror::Error)]
#[error("CPU time limit exceeded")]
struct CpuLimitExceeded;

/// A store's data: one per process.
pub(super) struct State {
    pub(super) wasi: WasiP1Ctx,
    pub(super) shared: Arc<Shared>,
    limiter: MemoryLimiter,
    cpu: CpuBudget,
    pub(super) fs: FsGuard,
    /// Time zero of the guest's monotonic clock.
    pub(super) clock_origin: Instant,
    /// Its sockets (`docklings_net`).
    pub(super) net: net::Ctx,
}

impl State {
    pub(super) fn new(
        wasi: WasiP1Ctx,
        shared: Arc<Shared>,
        limits: Limits,
        preopens: Vec<(PathBuf, bool)>,
        clock_origin: Instant,
        net: net::Ctx,
    ) -> State {
        let cpu_ticks = limits.cpu.map(|d| u64::try_from(d.as_millis().div_ceil(TICK.as_millis())).unwrap_or(u64::MAX));
        State {
            wasi,
            shared,
            limiter: MemoryLimiter { max: usize::try_from(limits.memory).unwrap_or(usize::MAX), refused: false },
            cpu: CpuBudget { ticks: 0, max: cpu_ticks, exceeded: false },
            fs: FsGuard::new(preopens),
            clock_origin,
            net,
        }
    }
}

struct MemoryLimiter {
    max: usize,
    /// A growth was refused: the guest's allocator failed, and a trap that follows is that failure.
    refused: bool,
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.max {
            self.refused = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

struct CpuBudget {
    /// Epoch ticks that found this process running WebAssembly.
    ticks: u64,
    max: Option<u64>,
    exceeded: bool,
}

/// The guest's monotonic clock: nanoseconds since the process started, so `poll_oneoff` can turn an absolute
/// deadline back into an `Instant`.
pub(super) struct MonotonicClock(Instant);

impl MonotonicClock {
    pub(super) fn new() -> MonotonicClock {
        MonotonicClock(Instant::now())
    }

    pub(super) fn origin(&self) -> Instant {
        self.0
    }
}

impl HostMonotonicClock for MonotonicClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        u64::try_from(self.0.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

/// Calls wasmtime-wasi's own preview 1 function `$func` for the guest that called the shadow holding `$caller`,
/// as wasmtime-wasi's linker glue does (a host function called from the host would see no guest memory).
macro_rules! original {
    ($caller:ident, $func:ident($($arg:expr),*)) => {{
        use wasmtime::AsContextMut as _;
        use wasmtime_wasi::p1::wasi_snapshot_preview1::{self as wasi_p1, WasiSnapshotPreview1 as _};
        let Some(wasmtime::Extern::Memory(memory)) = $caller.get_export("memory") else {
            return Err(wasmtime::format_err!("missing required memory export"));
        };
        let fuel = $caller.as_context_mut().hostcall_fuel();
        let (data, state) = memory.data_and_store_mut(&mut $caller);
        state.wasi.set_hostcall_fuel(fuel);
        let mut memory = wiggle::GuestMemory::Unshared(data);
        wasmtime_wasi::runtime::in_tokio(wasi_p1::$func(&mut state.wasi, &mut memory, $($arg),*))
    }};
}
pub(super) use original;

/// The WASI linker: wasmtime-wasi's preview 1, with the shadows and docklings' own imports.
pub(super) fn linker(engine: &Engine) -> wasmtime::Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    p1::add_to_linker_sync(&mut linker, |s: &mut State| &mut s.wasi)?;
    linker.allow_shadowing(true);
    // wasmtime-wasi refuses statuses from 126 up, which a shell needs (127 for "not found", 128+N).
    linker.func_wrap(WASI, "proc_exit", |status: i32| -> wasmtime::Result<()> { Err(I32Exit(status).into()) })?;
    linker.func_wrap(WASI, "poll_oneoff", poll_oneoff)?;
    linker.func_wrap(WASI, "path_open", copy_up::path_open)?;
    linker.func_wrap(WASI, "fd_close", |mut caller: Caller<'_, State>, fd: i32| {
        caller.data_mut().fs.forget(fd);
        original!(caller, fd_close(fd))
    })?;
    linker.func_wrap(WASI, "fd_renumber", |mut caller: Caller<'_, State>, from: i32, to: i32| {
        caller.data_mut().fs.forget(from);
        caller.data_mut().fs.forget(to);
        original!(caller, fd_renumber(from, to))
    })?;
    linker.func_wrap("docklings", "pending_signal", |caller: Caller<'_, State>| caller.data().shared.take_signal())?;
    linker.allow_shadowing(false);
    net::add_to_linker(&mut linker)?;
    Ok(linker)
}

/// Limits and the epoch callback, for a new store.
pub(super) fn configure_store(store: &mut Store<State>) {
    store.limiter(|s| &mut s.limiter);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|mut ctx| {
        let state = ctx.data_mut();
        if state.shared.is_killed() {
            return Err(Killed.into());
        }
        state.cpu.ticks += 1;
        if state.cpu.max.is_some_and(|max| state.cpu.ticks > max) {
            state.cpu.exceeded = true;
            return Err(CpuLimitExceeded.into());
        }
        Ok(UpdateDeadline::Continue(1))
    });
}

/// The exit status of a finished run (see the module documentation of `runtime` for the codes).
pub(super) fn exit_status(result: wasmtime::Result<()>, state: &State) -> ExitStatus {
    let (code, reason) = match result {
        Ok(()) => (0, ExitReason::Exited),
        Err(e) => {
            if let Some(exit) = e.downcast_ref::<I32Exit>() {
                (exit.0 & 0xff, ExitReason::Exited)
            } else if state.shared.is_killed() {
                (137, ExitReason::Killed)
            } else if state.cpu.exceeded {
                (137, ExitReason::CpuLimit)
            } else if state.limiter.refused {
                (137, ExitReason::OutOfMemory)
            } else {
                let code = match e.downcast_ref::<Trap>() {
                    Some(Trap::UnreachableCodeReached) | None => 134,
                    Some(Trap::IntegerDivisionByZero | Trap::IntegerOverflow | Trap::BadConversionToInteger) => 136,
                    Some(_) => 139,
                };
                (code, ExitReason::Trap(format!("{e:#}")))
            }
        }
    };
    ExitStatus { code, reason }
}

/// Advances the engine's epoch every [`TICK`] while any process runs, so busy guest code reaches its epoch
/// callback (which ends it when killed or over its CPU limit). It sleeps while nothing runs.
pub(super) struct Ticker {
    shared: Arc<TickerShared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct TickerShared {
    /// Running processes, and whether the runtime is going away.
    state: Mutex<(usize, bool)>,
    cond: Condvar,
}

/// A running process, for the ticker; dropping it says the process has ended.
pub(super) struct Active(Arc<TickerShared>);

impl Ticker {
    pub(super) fn start(engine: &Engine) -> std::io::Result<Ticker> {
        let shared = Arc::new(TickerShared::default());
        let (engine, state) = (engine.clone(), shared.clone());
        let thread = std::thread::Builder::new().name("docklings epoch".to_string()).spawn(move || {
            loop {
                {
                    let mut s = state.state.lock().unwrap_or_else(PoisonError::into_inner);
                    while s.0 == 0 && !s.1 {
                        s = state.cond.wait(s).unwrap_or_else(PoisonError::into_inner);
                    }
                    if s.1 {
                        return;
                    }
                }
                std::thread::sleep(TICK);
                engine.increment_epoch();
            }
        })?;
        Ok(Ticker { shared, thread: Some(thread) })
    }

    pub(super) fn activate(&self) -> Active {
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner).0 += 1;
        self.shared.cond.notify_all();
        Active(self.shared.clone())
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        self.0.state.lock().unwrap_or_else(PoisonError::into_inner).0 -= 1;
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.shared.cond.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub(super) fn memory(caller: &mut Caller<'_, State>) -> Option<Memory> {
    caller.get_export("memory")?.into_memory()
}

/// A guest address: WebAssembly's `i32` read as unsigned.
pub(super) fn unsigned(ptr: i32) -> u32 {
    u32::from_ne_bytes(ptr.to_ne_bytes())
}

/// `len` bytes of guest memory at `ptr`, when they are all inside it.
pub(super) fn guest(data: &[u8], ptr: u32, len: usize) -> Option<&[u8]> {
    let start = usize::try_from(ptr).ok()?;
    data.get(start..start.checked_add(len)?)
}
