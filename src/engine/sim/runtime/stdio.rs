//! A process's standard streams and the state its threads share: the stdin buffer, the kill switch, pending
//! signals and the exit status, behind one mutex and one condition variable, so a guest blocked on input or in
//! `sleep` wakes for whichever comes first.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use wasmtime_wasi::cli::{IsTerminal, StdinStream as WasiStdin, StdoutStream as WasiStdout};
use wasmtime_wasi::p2::{InputStream, OutputStream as WasiOutput, Pollable, StreamError, StreamResult};

use super::ExitStatus;
use super::host::Killed;

/// A function that receives output.
pub type Sink = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// Where a process's output goes: each write is handed over as the guest makes it, on the process's thread.
#[derive(Clone, Default)]
pub struct Output(Option<Sink>);

impl Output {
    /// Output that goes nowhere.
    #[must_use]
    pub fn discard() -> Output {
        Output(None)
    }

    /// Output handed to `f`. `f` runs on the process's thread and the guest waits for it: it should not block
    /// for long.
    #[must_use]
    pub fn from_fn(f: Sink) -> Output {
        Output(Some(f))
    }

    /// Output kept in memory; the [`Captured`] reads it.
    #[must_use]
    pub fn capture() -> (Output, Captured) {
        let captured = Captured::default();
        let buffer = captured.clone();
        (Output::from_fn(Arc::new(move |b: &[u8]| buffer.lock().extend_from_slice(b))), captured)
    }

    /// Sends bytes to the sink, as if the process had written them.
    pub fn write(&self, bytes: &[u8]) {
        if let Some(f) = &self.0 {
            f(bytes);
        }
    }
}

/// The bytes an [`Output::capture`] has received so far.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[must_use]
    pub fn bytes(&self) -> Vec<u8> {
        self.lock().clone()
    }

    /// The bytes as text, with invalid UTF-8 replaced.
    #[must_use]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// The bytes received so far, leaving the buffer empty.
    #[must_use]
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.lock())
    }
}

/// A pipe into a process's stdin, for `docker run -i` and `docker attach`: the writer half.
pub struct StdinWriter {
    shared: Arc<Shared>,
}

/// The reader half, for [`super::Stdin::Pipe`].
pub struct StdinPipe {
    shared: Arc<Shared>,
}

/// A pipe for a process's stdin. The process sees the end of its input when the writer is closed or dropped.
#[must_use]
pub fn stdin_pipe() -> (StdinWriter, StdinPipe) {
    let shared = Shared::new();
    (StdinWriter { shared: shared.clone() }, StdinPipe { shared })
}

impl StdinWriter {
    /// Sends bytes; false once the process has ended or the pipe is closed (the bytes are dropped).
    #[must_use = "false means nobody reads any more"]
    pub fn send(&self, bytes: &[u8]) -> bool {
        let mut inner = self.shared.lock();
        if inner.input_closed || inner.exit.is_some() {
            return false;
        }
        inner.input.extend(bytes);
        drop(inner);
        self.shared.cond.notify_all();
        true
    }

    /// Ends the input (dropping the writer does the same).
    pub fn close(self) {}
}

impl Drop for StdinWriter {
    fn drop(&mut self) {
        self.shared.lock().input_closed = true;
        self.shared.cond.notify_all();
    }
}

impl StdinPipe {
    pub(super) fn into_shared(self) -> Arc<Shared> {
        self.shared
    }
}

/// What a process's threads share.
pub(super) struct Shared {
    inner: Mutex<Inner>,
    cond: Condvar,
    /// A copy of `Inner::killed` that the epoch callback reads without locking.
    killed: AtomicBool,
}

#[derive(Default)]
struct Inner {
    input: VecDeque<u8>,
    input_closed: bool,
    killed: bool,
    /// Pending signals, bit `n - 1` for signal `n`.
    signals: u64,
    exit: Option<ExitStatus>,
}

/// What ended a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wake {
    Killed,
    /// Stdin has bytes, or is at its end.
    Input,
    Deadline,
}

impl Shared {
    fn new() -> Arc<Shared> {
        Arc::new(Shared { inner: Mutex::new(Inner::default()), cond: Condvar::new(), killed: AtomicBool::new(false) })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// With fixed input: these bytes, then the end.
    pub(super) fn with_input(bytes: &[u8]) -> Arc<Shared> {
        let shared = Shared::new();
        let mut inner = shared.lock();
        inner.input.extend(bytes);
        inner.input_closed = true;
        drop(inner);
        shared
    }

    /// Marks the process killed and wakes its waits; false when it had already ended or been killed.
    pub(super) fn kill(&self) -> bool {
        let mut inner = self.lock();
        if inner.killed || inner.exit.is_some() {
            return false;
        }
        inner.killed = true;
        self.killed.store(true, Ordering::SeqCst);
        drop(inner);
        self.cond.notify_all();
        true
    }

    pub(super) fn is_killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }

    pub(super) fn raise(&self, signal: u8) {
        if (1..=64).contains(&signal) {
            self.lock().signals |= 1 << (signal - 1);
        }
    }

    /// The lowest pending signal, now no longer pending; 0 when none is.
    pub(super) fn take_signal(&self) -> i32 {
        let mut inner = self.lock();
        if inner.signals == 0 {
            return 0;
        }
        let bit = inner.signals.trailing_zeros();
        inner.signals &= !(1 << bit);
        i32::try_from(bit + 1).unwrap_or(0)
    }

    /// Waits until the process is killed, until `deadline`, or (when `input`) until stdin can be read without
    /// waiting. Returns at once when one of them already holds.
    pub(super) fn wait(&self, deadline: Option<Instant>, input: bool) -> Wake {
        let mut inner = self.lock();
        loop {
            if inner.killed {
                return Wake::Killed;
            }
            if input && (!inner.input.is_empty() || inner.input_closed) {
                return Wake::Input;
            }
            match deadline {
                None => inner = self.cond.wait(inner).unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Wake::Deadline;
                    }
                    inner = self.cond.wait_timeout(inner, deadline - now).unwrap_or_else(PoisonError::into_inner).0;
                }
            }
        }
    }

    /// How many stdin bytes can be read now, and whether the input has ended.
    pub(super) fn input_ready(&self) -> (usize, bool) {
        let inner = self.lock();
        (inner.input.len(), inner.input_closed)
    }

    /// Up to `max` bytes of stdin without waiting: `None` at the end of the input.
    fn read_input(&self, max: usize) -> Option<Vec<u8>> {
        let mut inner = self.lock();
        if inner.input.is_empty() && inner.input_closed {
            return None;
        }
        let n = max.min(inner.input.len());
        Some(inner.input.drain(..n).collect())
    }

    pub(super) fn finish(&self, status: ExitStatus) {
        let mut inner = self.lock();
        inner.exit = Some(status);
        inner.input.clear();
        drop(inner);
        self.cond.notify_all();
    }

    pub(super) fn exit(&self) -> Option<ExitStatus> {
        self.lock().exit.clone()
    }

    /// Waits for the exit status, up to `deadline`.
    pub(super) fn wait_exit(&self, deadline: Option<Instant>) -> Option<ExitStatus> {
        let mut inner = self.lock();
        loop {
            if let Some(status) = &inner.exit {
                return Some(status.clone());
            }
            match deadline {
                None => inner = self.cond.wait(inner).unwrap_or_else(PoisonError::into_inner),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return None;
                    }
                    inner = self.cond.wait_timeout(inner, deadline - now).unwrap_or_else(PoisonError::into_inner).0;
                }
            }
        }
    }
}

fn killed() -> StreamError {
    StreamError::Trap(Killed.into())
}

/// The guest's stdin. WASI preview 1 reads go through [`InputStream`]: a read blocks this process's thread until
/// bytes come, the input ends, or the process is killed (which traps out of the guest).
pub(super) struct StdinStream {
    shared: Arc<Shared>,
    tty: bool,
}

impl StdinStream {
    pub(super) fn new(shared: Arc<Shared>, tty: bool) -> StdinStream {
        StdinStream { shared, tty }
    }
}

impl IsTerminal for StdinStream {
    fn is_terminal(&self) -> bool {
        self.tty
    }
}

impl WasiStdin for StdinStream {
    fn p2_stream(&self) -> Box<dyn InputStream> {
        Box::new(StdinReader { shared: self.shared.clone() })
    }

    /// Only WASI 0.3 guests read through this; the toolbox is a preview 1 program, so they get no input.
    fn async_stream(&self) -> Box<dyn AsyncRead + Send + Sync> {
        Box::new(Eof)
    }
}

struct StdinReader {
    shared: Arc<Shared>,
}

#[wasmtime_wasi::async_trait]
impl Pollable for StdinReader {
    /// Blocks the thread rather than yielding: the future runs inside wasmtime-wasi's `block_on` on this
    /// process's own thread, never on an executor's worker.
    async fn ready(&mut self) {
        self.shared.wait(None, true);
    }
}

#[wasmtime_wasi::async_trait]
impl InputStream for StdinReader {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        if self.shared.is_killed() {
            return Err(killed());
        }
        match self.shared.read_input(size) {
            Some(bytes) => Ok(bytes.into()),
            None => Err(StreamError::Closed),
        }
    }

    async fn blocking_read(&mut self, size: usize) -> StreamResult<Bytes> {
        if self.shared.wait(None, true) == Wake::Killed {
            return Err(killed());
        }
        self.read(size)
    }
}

struct Eof;

impl AsyncRead for Eof {
    fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, _: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The guest's stdout or stderr: every write goes straight to the [`Output`], on the process's thread.
pub(super) struct OutputStream {
    output: Output,
    shared: Arc<Shared>,
    tty: bool,
}

impl OutputStream {
    pub(super) fn new(output: Output, shared: Arc<Shared>, tty: bool) -> OutputStream {
        OutputStream { output, shared, tty }
    }
}

impl IsTerminal for OutputStream {
    fn is_terminal(&self) -> bool {
        self.tty
    }
}

impl WasiStdout for OutputStream {
    fn p2_stream(&self) -> Box<dyn WasiOutput> {
        Box::new(OutputWriter { output: self.output.clone(), shared: self.shared.clone() })
    }

    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(OutputWriter { output: self.output.clone(), shared: self.shared.clone() })
    }
}

struct OutputWriter {
    output: Output,
    shared: Arc<Shared>,
}

impl OutputWriter {
    fn emit(&self, bytes: &[u8]) -> StreamResult<()> {
        if self.shared.is_killed() {
            return Err(killed());
        }
        self.output.write(bytes);
        Ok(())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for OutputWriter {
    async fn ready(&mut self) {}
}

#[wasmtime_wasi::async_trait]
impl WasiOutput for OutputWriter {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.emit(&bytes)
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(1 << 20)
    }

    async fn blocking_write_and_flush(&mut self, bytes: Bytes) -> StreamResult<()> {
        self.emit(&bytes)
    }
}

impl AsyncWrite for OutputWriter {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.emit(buf) {
            Ok(()) => Poll::Ready(Ok(buf.len())),
            Err(_) => Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
