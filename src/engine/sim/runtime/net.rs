//! The `docklings_net` host interface: the sockets WASI preview 1 lacks, for the toolbox's `net` module. All
//! traffic stays inside this docklings process: a connection is a pair of in-memory pipes between two processes
//! (or a process and the shell's `curl`), and nothing here opens a real socket.
//!
//! Every process belongs to a network namespace: its container's id (a container's main process and its execs
//! share it), or a namespace of its own when it runs outside any container. Listeners live in the [`Network`] of
//! the [`Runtime`](super::Runtime), one per engine, keyed by (namespace, port): a toolbox listener binds every
//! address of its container, including addresses that `docker network connect` adds later, which a key by IP
//! could not follow. Which namespace an address leads to, and what a name resolves to, the [`Directory`] says from
//! the engine's network model; loopback (127.0.0.0/8, and 0.0.0.0 as Linux takes it) is the asker's own namespace.
//!
//! Calls that wait (accept, read, a write into a full pipe, ping's timeout) wake every [`SLICE`] to see whether
//! the process was killed, so `docker stop` and `docker kill` end a server blocked in `accept` as promptly as one
//! in `sleep`.

use std::collections::{HashMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use wasmtime::{Caller, Linker};

use super::host::{Killed, State, guest, memory, unsigned};
use super::stdio::Shared;

const MODULE: &str = "docklings_net";

/// How long a wait sleeps before it looks at the kill switch again.
const SLICE: Duration = Duration::from_millis(10);

/// Bytes a pipe holds before its writer waits for the reader (a socket's buffer).
const PIPE_CAPACITY: usize = 1 << 20;

/// The error codes of the interface (Linux errno values; the toolbox's `net::code` has the same numbers).
pub mod code {
    pub const EBADF: i32 = 9;
    pub const EAGAIN: i32 = 11;
    pub const EINVAL: i32 = 22;
    pub const EPIPE: i32 = 32;
    pub const EADDRINUSE: i32 = 98;
    pub const ENETUNREACH: i32 = 101;
    pub const ETIMEDOUT: i32 = 110;
    pub const ECONNREFUSED: i32 = 111;
    pub const EHOSTUNREACH: i32 = 113;
    pub const UNKNOWN_HOST: i32 = 1000;
}

/// Where an address leads from a namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// To this namespace; `source` is the asker's address on the network they share (the peer address the
    /// other side sees).
    Namespace { namespace: String, source: Ipv4Addr },
    /// Onto a network the asker is on, where no running container has the address.
    NoHost,
    /// No network of the asker leads there: `--network none`, another network's subnet, or anything outside the
    /// simulation.
    Unreachable,
}

/// The network model, as the runtime needs to ask it.
pub trait Directory: Send + Sync {
    /// What `name` resolves to inside the namespace (Docker's embedded DNS rules); `None`: unknown.
    fn resolve(&self, namespace: &str, name: &str) -> Option<Ipv4Addr>;
    /// Where a packet from the namespace to `ip` goes. Loopback never reaches this.
    fn route(&self, namespace: &str, ip: Ipv4Addr) -> Route;
}

/// A process's place on the network.
#[derive(Clone)]
pub struct NetIdentity {
    pub namespace: String,
    pub directory: Arc<dyn Directory>,
}

/// One direction of a connection.
#[derive(Default)]
struct Pipe {
    state: Mutex<PipeState>,
    cond: Condvar,
}

#[derive(Default)]
struct PipeState {
    buf: VecDeque<u8>,
    /// The writer shut down or went away: the reader gets the end of the data.
    write_closed: bool,
    /// The reader went away: writes fail with `EPIPE`.
    read_closed: bool,
}

impl Pipe {
    fn lock(&self) -> MutexGuard<'_, PipeState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn close_write(&self) {
        self.lock().write_closed = true;
        self.cond.notify_all();
    }

    fn close_read(&self) {
        let mut s = self.lock();
        s.read_closed = true;
        s.buf.clear();
        drop(s);
        self.cond.notify_all();
    }
}

/// Why a wait ended without its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interrupted {
    /// The process was killed: the guest must stop now.
    Killed,
    /// An error code for the guest.
    Code(i32),
}

/// What may end a wait early: a process's kill switch, or nothing (the shell's `curl`).
#[derive(Clone, Copy)]
pub struct Waiter<'a>(Option<&'a Shared>);

impl Waiter<'_> {
    /// A wait that only its own deadline ends.
    #[must_use]
    pub fn host() -> Waiter<'static> {
        Waiter(None)
    }

    fn killed(self) -> bool {
        self.0.is_some_and(Shared::is_killed)
    }
}

/// The deadline of a timeout given in milliseconds (negative: none).
fn deadline(timeout_ms: i64) -> Option<Instant> {
    u64::try_from(timeout_ms).ok().map(|ms| Instant::now() + Duration::from_millis(ms))
}

/// One end of a connection.
pub struct Conn {
    rx: Arc<Pipe>,
    tx: Arc<Pipe>,
    peer: SocketAddrV4,
}

impl Conn {
    fn pair(a: SocketAddrV4, b: SocketAddrV4) -> (Conn, Conn) {
        let (ab, ba) = (Arc::new(Pipe::default()), Arc::new(Pipe::default()));
        (Conn { rx: ba.clone(), tx: ab.clone(), peer: b }, Conn { rx: ab, tx: ba, peer: a })
    }

    /// The other end's address.
    #[must_use]
    pub fn peer(&self) -> SocketAddrV4 {
        self.peer
    }

    /// Reads what is there, waiting for data or the end (0) until the deadline (`EAGAIN` after it).
    pub fn read(&self, buf: &mut [u8], waiter: Waiter<'_>, until: Option<Instant>) -> Result<usize, Interrupted> {
        read_pipe(&self.rx, buf, waiter, until)
    }

    /// Writes all of `bytes`, waiting while the pipe is full; `EPIPE` once the reader has gone.
    pub fn write(&self, bytes: &[u8], waiter: Waiter<'_>) -> Result<usize, Interrupted> {
        write_pipe(&self.tx, bytes, waiter)
    }

    /// Ends what this side sends.
    pub fn shutdown(&self) {
        self.tx.close_write();
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.tx.close_write();
        self.rx.close_read();
    }
}

fn read_pipe(pipe: &Pipe, buf: &mut [u8], waiter: Waiter<'_>, until: Option<Instant>) -> Result<usize, Interrupted> {
    let mut s = pipe.lock();
    loop {
        if !s.buf.is_empty() {
            let n = buf.len().min(s.buf.len());
            for (slot, b) in buf.iter_mut().zip(s.buf.drain(..n)) {
                *slot = b;
            }
            drop(s);
            pipe.cond.notify_all();
            return Ok(n);
        }
        if s.write_closed {
            return Ok(0);
        }
        s = wait(pipe, s, waiter, until)?;
    }
}

fn write_pipe(pipe: &Pipe, bytes: &[u8], waiter: Waiter<'_>) -> Result<usize, Interrupted> {
    let mut s = pipe.lock();
    let mut written = 0;
    while written < bytes.len() {
        if s.read_closed || s.write_closed {
            return if written > 0 { Ok(written) } else { Err(Interrupted::Code(code::EPIPE)) };
        }
        let room = PIPE_CAPACITY.saturating_sub(s.buf.len());
        if room == 0 {
            pipe.cond.notify_all();
            s = wait(pipe, s, waiter, None)?;
            continue;
        }
        let n = room.min(bytes.len() - written);
        s.buf.extend(&bytes[written..written + n]);
        written += n;
        pipe.cond.notify_all();
    }
    Ok(written)
}

/// Waits on a pipe's condition variable for at most [`SLICE`], then answers whether the caller may go on.
fn wait<'a>(
    pipe: &'a Pipe,
    guard: MutexGuard<'a, PipeState>,
    waiter: Waiter<'_>,
    until: Option<Instant>,
) -> Result<MutexGuard<'a, PipeState>, Interrupted> {
    if waiter.killed() {
        return Err(Interrupted::Killed);
    }
    let now = Instant::now();
    let slice = match until {
        Some(at) if at <= now => return Err(Interrupted::Code(code::EAGAIN)),
        Some(at) => (at - now).min(SLICE),
        None => SLICE,
    };
    Ok(pipe.cond.wait_timeout(guard, slice).unwrap_or_else(PoisonError::into_inner).0)
}

/// A listening port's queue of connections not yet accepted.
#[derive(Default)]
struct Queue {
    pending: Mutex<VecDeque<Conn>>,
    cond: Condvar,
}

/// The engine-wide network: every listener of every process this runtime runs.
#[derive(Default)]
pub struct Network {
    listeners: Mutex<HashMap<(String, u16), Arc<Queue>>>,
    next_port: AtomicU16,
}

impl Network {
    fn listeners(&self) -> MutexGuard<'_, HashMap<(String, u16), Arc<Queue>>> {
        self.listeners.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An ephemeral port for the client side of a connection, from Linux's range.
    fn ephemeral(&self) -> u16 {
        let n = self.next_port.fetch_add(1, Ordering::Relaxed);
        32768 + n % (60999 - 32768)
    }

    /// Whether something in `namespace` listens on `port`.
    #[must_use]
    pub fn is_listening(&self, namespace: &str, port: u16) -> bool {
        self.listeners().contains_key(&(namespace.to_string(), port))
    }

    /// Connects to a port of a namespace from `source` (the address the server sees). `ECONNREFUSED` when
    /// nothing listens there.
    pub fn connect(&self, namespace: &str, port: u16, source: Ipv4Addr, local: Ipv4Addr) -> Result<Conn, i32> {
        let queue = self.listeners().get(&(namespace.to_string(), port)).cloned().ok_or(code::ECONNREFUSED)?;
        let client = SocketAddrV4::new(source, self.ephemeral());
        let (mine, theirs) = Conn::pair(client, SocketAddrV4::new(local, port));
        queue.pending.lock().unwrap_or_else(PoisonError::into_inner).push_back(theirs);
        queue.cond.notify_all();
        Ok(mine)
    }
}

impl Network {
    /// Opens `port` in `namespace`; `EADDRINUSE` when something there has it already.
    fn listen(network: &Arc<Network>, namespace: &str, port: u16) -> Result<Listener, i32> {
        let key = (namespace.to_string(), port);
        let queue = Arc::new(Queue::default());
        let mut map = network.listeners();
        if map.contains_key(&key) {
            return Err(code::EADDRINUSE);
        }
        map.insert(key.clone(), queue.clone());
        Ok(Listener { network: Arc::downgrade(network), key, queue })
    }
}

/// A listener owned by a process; dropping it closes the port.
struct Listener {
    network: Weak<Network>,
    key: (String, u16),
    queue: Arc<Queue>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(network) = self.network.upgrade() {
            let mut map = network.listeners();
            if map.get(&self.key).is_some_and(|q| Arc::ptr_eq(q, &self.queue)) {
                map.remove(&self.key);
            }
        }
        // Connections never accepted are reset, as the kernel does when a listening socket closes.
        self.queue.pending.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

enum Handle {
    Listener(Listener),
    Conn(Conn),
}

/// A process's sockets and its place on the network; part of its store's state.
pub(super) struct Ctx {
    network: Arc<Network>,
    identity: Option<NetIdentity>,
    namespace: String,
    handles: HashMap<i32, Handle>,
    next: i32,
}

impl Ctx {
    pub(super) fn new(network: Arc<Network>, identity: Option<NetIdentity>) -> Ctx {
        static ANONYMOUS: AtomicU64 = AtomicU64::new(0);
        let namespace = identity
            .as_ref()
            .map_or_else(|| format!("process-{}", ANONYMOUS.fetch_add(1, Ordering::Relaxed)), |i| i.namespace.clone());
        Ctx { network, identity, namespace, handles: HashMap::new(), next: 1 }
    }

    fn insert(&mut self, handle: Handle) -> i32 {
        let id = self.next;
        self.next += 1;
        self.handles.insert(id, handle);
        id
    }

    fn route(&self, ip: Ipv4Addr) -> Route {
        if ip.is_loopback() || ip.is_unspecified() {
            return Route::Namespace { namespace: self.namespace.clone(), source: Ipv4Addr::LOCALHOST };
        }
        match &self.identity {
            Some(i) => i.directory.route(&self.namespace, ip),
            None => Route::Unreachable,
        }
    }

    fn resolve(&self, name: &str) -> Option<Ipv4Addr> {
        if let Ok(ip) = name.parse() {
            return Some(ip);
        }
        if name.eq_ignore_ascii_case("localhost") {
            return Some(Ipv4Addr::LOCALHOST);
        }
        self.identity.as_ref().and_then(|i| i.directory.resolve(&self.namespace, name))
    }

    fn connect(&self, ip: Ipv4Addr, port: u16) -> Result<Conn, i32> {
        match self.route(ip) {
            Route::Namespace { namespace, source } => self.network.connect(&namespace, port, source, ip),
            Route::NoHost => Err(code::EHOSTUNREACH),
            Route::Unreachable => Err(code::ENETUNREACH),
        }
    }
}

/// Turns the answer of a wait into what the guest sees, or the trap that ends a killed process.
fn answer(result: Result<i32, Interrupted>) -> wasmtime::Result<i32> {
    match result {
        Ok(n) => Ok(n),
        Err(Interrupted::Code(c)) => Ok(-c),
        Err(Interrupted::Killed) => Err(Killed.into()),
    }
}

fn to_port(port: i32) -> Option<u16> {
    u16::try_from(port).ok().filter(|p| *p != 0)
}

/// Adds the `docklings_net` functions.
pub(super) fn add_to_linker(linker: &mut Linker<State>) -> wasmtime::Result<()> {
    linker.func_wrap(MODULE, "resolve", |mut caller: Caller<'_, State>, ptr: i32, len: i32| -> i64 {
        let Some(memory) = memory(&mut caller) else { return -i64::from(code::EINVAL) };
        let Ok(len) = usize::try_from(len) else { return -i64::from(code::EINVAL) };
        let Some(name) =
            guest(memory.data(&caller), unsigned(ptr), len).map(|b| String::from_utf8_lossy(b).into_owned())
        else {
            return -i64::from(code::EINVAL);
        };
        match caller.data().net.resolve(&name) {
            Some(ip) => i64::from(u32::from(ip)),
            None => -i64::from(code::UNKNOWN_HOST),
        }
    })?;
    linker.func_wrap(MODULE, "listen", |mut caller: Caller<'_, State>, _ip: i32, port: i32| -> i32 {
        let Some(port) = to_port(port) else { return -code::EINVAL };
        let net = &mut caller.data_mut().net;
        match Network::listen(&net.network, &net.namespace, port) {
            Ok(listener) => net.insert(Handle::Listener(listener)),
            Err(c) => -c,
        }
    })?;
    linker.func_wrap(
        MODULE,
        "accept",
        |mut caller: Caller<'_, State>, listener: i32, timeout_ms: i64| -> wasmtime::Result<i32> {
            let shared = caller.data().shared.clone();
            let queue = match caller.data().net.handles.get(&listener) {
                Some(Handle::Listener(l)) => l.queue.clone(),
                _ => return Ok(-code::EBADF),
            };
            let until = deadline(timeout_ms);
            let mut pending = queue.pending.lock().unwrap_or_else(PoisonError::into_inner);
            let conn = loop {
                if let Some(conn) = pending.pop_front() {
                    break conn;
                }
                if shared.is_killed() {
                    return Err(Killed.into());
                }
                let now = Instant::now();
                let slice = match until {
                    Some(at) if at <= now => return Ok(-code::EAGAIN),
                    Some(at) => (at - now).min(SLICE),
                    None => SLICE,
                };
                pending = queue.cond.wait_timeout(pending, slice).unwrap_or_else(PoisonError::into_inner).0;
            };
            drop(pending);
            Ok(caller.data_mut().net.insert(Handle::Conn(conn)))
        },
    )?;
    linker.func_wrap(
        MODULE,
        "connect",
        |mut caller: Caller<'_, State>, ip: i32, port: i32, _timeout_ms: i64| -> i32 {
            let Some(port) = to_port(port) else { return -code::EINVAL };
            let net = &mut caller.data_mut().net;
            match net.connect(Ipv4Addr::from(unsigned(ip)), port) {
                Ok(conn) => net.insert(Handle::Conn(conn)),
                Err(c) => -c,
            }
        },
    )?;
    linker.func_wrap(MODULE, "peer", |caller: Caller<'_, State>, conn: i32| -> i64 {
        match caller.data().net.handles.get(&conn) {
            Some(Handle::Conn(c)) => (i64::from(u32::from(*c.peer.ip())) << 16) | i64::from(c.peer.port()),
            _ => -i64::from(code::EBADF),
        }
    })?;
    linker.func_wrap(
        MODULE,
        "recv",
        |mut caller: Caller<'_, State>, conn: i32, ptr: i32, len: i32, timeout_ms: i64| -> wasmtime::Result<i32> {
            let Some(memory) = memory(&mut caller) else { return Ok(-code::EINVAL) };
            let Ok(len) = usize::try_from(len) else { return Ok(-code::EINVAL) };
            if guest(memory.data(&caller), unsigned(ptr), len).is_none() {
                return Ok(-code::EINVAL);
            }
            let rx = match caller.data().net.handles.get(&conn) {
                Some(Handle::Conn(c)) => c.rx.clone(),
                _ => return Ok(-code::EBADF),
            };
            let shared = caller.data().shared.clone();
            let mut buf = vec![0u8; len.min(64 << 10)];
            let n = match read_pipe(&rx, &mut buf, Waiter(Some(&shared)), deadline(timeout_ms)) {
                Ok(n) => n,
                Err(e) => return answer(Err(e)),
            };
            let start = usize::try_from(unsigned(ptr))?;
            memory.data_mut(&mut caller)[start..start + n].copy_from_slice(&buf[..n]);
            Ok(i32::try_from(n)?)
        },
    )?;
    linker.func_wrap(
        MODULE,
        "send",
        |mut caller: Caller<'_, State>, conn: i32, ptr: i32, len: i32| -> wasmtime::Result<i32> {
            let Some(memory) = memory(&mut caller) else { return Ok(-code::EINVAL) };
            let Ok(len) = usize::try_from(len) else { return Ok(-code::EINVAL) };
            let Some(bytes) = guest(memory.data(&caller), unsigned(ptr), len).map(<[u8]>::to_vec) else {
                return Ok(-code::EINVAL);
            };
            let tx = match caller.data().net.handles.get(&conn) {
                Some(Handle::Conn(c)) => c.tx.clone(),
                _ => return Ok(-code::EBADF),
            };
            let shared = caller.data().shared.clone();
            let result = write_pipe(&tx, &bytes, Waiter(Some(&shared)));
            answer(result.map(|n| i32::try_from(n).unwrap_or(i32::MAX)))
        },
    )?;
    linker.func_wrap(MODULE, "shutdown", |caller: Caller<'_, State>, conn: i32| -> i32 {
        match caller.data().net.handles.get(&conn) {
            Some(Handle::Conn(c)) => {
                c.shutdown();
                0
            }
            _ => -code::EBADF,
        }
    })?;
    linker.func_wrap(MODULE, "close", |mut caller: Caller<'_, State>, handle: i32| -> i32 {
        if caller.data_mut().net.handles.remove(&handle).is_some() { 0 } else { -code::EBADF }
    })?;
    linker.func_wrap(
        MODULE,
        "ping",
        |caller: Caller<'_, State>, ip: i32, timeout_ms: i64| -> wasmtime::Result<i64> {
            let started = Instant::now();
            let shared = caller.data().shared.clone();
            match caller.data().net.route(Ipv4Addr::from(unsigned(ip))) {
                Route::Namespace { .. } => Ok(i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX)),
                Route::Unreachable => Ok(-i64::from(code::ENETUNREACH)),
                Route::NoHost => {
                    // Nothing answers: the request waits out its timeout, as a real one does.
                    let until = deadline(timeout_ms.max(0));
                    let pipe = Pipe::default();
                    let mut guard = pipe.lock();
                    loop {
                        match wait(&pipe, guard, Waiter(Some(&shared)), until) {
                            Ok(g) => guard = g,
                            Err(Interrupted::Killed) => return Err(Killed.into()),
                            Err(Interrupted::Code(_)) => return Ok(-i64::from(code::ETIMEDOUT)),
                        }
                    }
                }
            }
        },
    )?;
    Ok(())
}

/// The simulated engine's network model as a [`Directory`]: names and routes from `networks`, over the state
/// as it is when the process asks (containers started, stopped or connected since are seen at once).
struct EngineDirectory(Weak<super::super::SimEngine>);

impl EngineDirectory {
    fn read<T>(&self, f: impl FnOnce(&super::super::state::State) -> T) -> Option<T> {
        let engine = self.0.upgrade()?;
        engine.read(|st| Ok(f(st))).ok()
    }
}

/// The namespace whose network a container uses: its own id, or for `--network container:X` X's, and for
/// `--network host` the host's (named `host`).
fn namespace_of(st: &super::super::state::State, id: &str) -> String {
    let mut at = st.containers.iter().find(|c| c.id == id);
    let mut namespace = id.to_string();
    for _ in 0..st.containers.len() {
        let Some(c) = at else { break };
        namespace.clone_from(&c.id);
        if c.spec.network_mode == "host" {
            return "host".to_string();
        }
        let Some(other) = c.spec.network_mode.strip_prefix("container:") else { break };
        at = st.container(other).map(|i| &st.containers[i]);
    }
    namespace
}

impl Directory for EngineDirectory {
    fn resolve(&self, namespace: &str, name: &str) -> Option<Ipv4Addr> {
        if namespace == "host" {
            return None;
        }
        self.read(|st| super::super::networks::resolve(st, namespace, name)).flatten()
    }

    fn route(&self, namespace: &str, ip: Ipv4Addr) -> Route {
        use super::super::state::Status;
        self.read(|st| {
            let Some(asker) = st.containers.iter().find(|c| c.id == namespace) else { return Route::Unreachable };
            let mut on_subnet = false;
            for (net, ep) in &asker.networks {
                let Ok(mine) = ep.ip_address.parse::<Ipv4Addr>() else { continue };
                let mask = u32::MAX.checked_shl(32 - u32::from(ep.ip_prefix_len)).unwrap_or(0);
                if u32::from(mine) & mask != u32::from(ip) & mask {
                    continue;
                }
                on_subnet = true;
                let holder = st.containers.iter().find(|c| {
                    c.state.status == Status::Running
                        && c.networks.get(net).is_some_and(|e| e.ip_address.parse::<Ipv4Addr>() == Ok(ip))
                });
                if let Some(c) = holder {
                    return Route::Namespace { namespace: c.id.clone(), source: mine };
                }
            }
            if on_subnet { Route::NoHost } else { Route::Unreachable }
        })
        .unwrap_or(Route::Unreachable)
    }
}

/// The network identity of a process in container `id` of `engine`.
pub(crate) fn identity(engine: &super::super::SimEngine, id: &str) -> NetIdentity {
    let namespace = engine.read(|st| Ok(namespace_of(st, id))).unwrap_or_else(|_| id.to_string());
    NetIdentity { namespace, directory: Arc::new(EngineDirectory(Arc::downgrade(&engine.arc()))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(listener: &Listener) -> Option<Conn> {
        listener.queue.pending.lock().unwrap_or_else(PoisonError::into_inner).pop_front()
    }

    #[test]
    fn connections_are_refused_where_nothing_listens_and_ports_free_on_close() {
        let network = Arc::new(Network::default());
        let refused = network.connect("a", 80, Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST);
        assert_eq!(refused.err(), Some(code::ECONNREFUSED));
        let listener = Network::listen(&network, "a", 80).expect("port 80 is free");
        assert_eq!(Network::listen(&network, "a", 80).err(), Some(code::EADDRINUSE));
        assert!(Network::listen(&network, "b", 80).is_ok(), "another namespace has its own ports");
        assert!(network.is_listening("a", 80));
        drop(listener);
        assert!(!network.is_listening("a", 80));
        assert!(network.connect("a", 80, Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST).is_err());
    }

    #[test]
    fn bytes_flow_both_ways_and_end_when_a_side_shuts_down() {
        let network = Arc::new(Network::default());
        let listener = Network::listen(&network, "web", 80).unwrap();
        let source = Ipv4Addr::new(172, 18, 0, 3);
        let client = network.connect("web", 80, source, Ipv4Addr::new(172, 18, 0, 2)).unwrap();
        let server = accept(&listener).expect("a pending connection");
        assert_eq!(*server.peer().ip(), source);
        assert_eq!(client.peer(), SocketAddrV4::new(Ipv4Addr::new(172, 18, 0, 2), 80));
        let host = Waiter::host();
        assert_eq!(client.write(b"GET /", host), Ok(5));
        client.shutdown();
        let mut buf = [0u8; 16];
        assert_eq!(server.read(&mut buf, host, None), Ok(5));
        assert_eq!(&buf[..5], b"GET /");
        assert_eq!(server.read(&mut buf, host, None), Ok(0), "the end after shutdown");
        let soon = Some(Instant::now() + Duration::from_millis(30));
        assert_eq!(client.read(&mut buf, host, soon), Err(Interrupted::Code(code::EAGAIN)), "nothing sent yet");
        assert_eq!(server.write(b"ok", host), Ok(2));
        drop(server);
        assert_eq!(client.read(&mut buf, host, None), Ok(2));
        assert_eq!(client.read(&mut buf, host, None), Ok(0));
        let client2 = network.connect("web", 80, source, Ipv4Addr::LOCALHOST).unwrap();
        drop(accept(&listener));
        assert_eq!(client2.write(b"x", host), Err(Interrupted::Code(code::EPIPE)), "the reader is gone");
    }

    #[test]
    fn a_reader_wakes_when_the_writer_sends_from_another_thread() {
        let network = Arc::new(Network::default());
        let listener = Network::listen(&network, "n", 7).unwrap();
        let client = network.connect("n", 7, Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST).unwrap();
        let server = accept(&listener).unwrap();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            server.write(b"late", Waiter::host())
        });
        let mut buf = [0u8; 8];
        let begun = Instant::now();
        assert_eq!(client.read(&mut buf, Waiter::host(), None), Ok(4));
        assert!(begun.elapsed() >= Duration::from_millis(40));
        assert_eq!(writer.join().unwrap(), Ok(4));
    }
}
