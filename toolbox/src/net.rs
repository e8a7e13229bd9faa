//! TCP-like networking for applets (`wget`, `httpd`, `nc`, `ping`, node's `http`), over the host interface the
//! simulated engine provides: WASI preview 1 has no sockets, so the runtime links a module named `docklings_net`
//! whose connections are in-memory pipes between the processes of one docklings process. Nothing here reaches the
//! host's real network.
//!
//! Names resolve from the container's point of view (Docker's embedded DNS on user-defined networks, none on the
//! default bridge); connections succeed only to a listener the container can reach. Errors are `io::Error`s whose
//! text is glibc's `strerror` (what busybox prints): `Connection refused`, `Network is unreachable`, …; an unknown
//! name is [`io::ErrorKind::NotFound`] with the text `bad address`.
//!
//! Built for anything but WebAssembly (the toolbox's native tests), every call fails with
//! [`io::ErrorKind::Unsupported`] except resolving an address literal.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::Duration;

/// The host's error codes: Linux errno values, plus one for a name that does not resolve. The host
/// (`src/engine/sim/runtime/net.rs`) uses the same numbers.
pub mod code {
    pub const EBADF: i32 = 9;
    pub const EAGAIN: i32 = 11;
    pub const EINVAL: i32 = 22;
    pub const EPIPE: i32 = 32;
    pub const EADDRINUSE: i32 = 98;
    pub const ENETUNREACH: i32 = 101;
    pub const ECONNRESET: i32 = 104;
    pub const ETIMEDOUT: i32 = 110;
    pub const ECONNREFUSED: i32 = 111;
    pub const EHOSTUNREACH: i32 = 113;
    /// The name is not known (getaddrinfo's `EAI_NONAME`).
    pub const UNKNOWN_HOST: i32 = 1000;
    /// Built without the host interface.
    pub const UNSUPPORTED: i32 = 1001;
}

/// The `io::Error` for a host error code, with busybox's text.
#[must_use]
pub fn error(code: i32) -> io::Error {
    use io::ErrorKind as K;
    let (kind, text) = match code {
        code::EBADF => (K::InvalidInput, "Bad file descriptor"),
        code::EAGAIN => (K::WouldBlock, "Resource temporarily unavailable"),
        code::EPIPE => (K::BrokenPipe, "Broken pipe"),
        code::EADDRINUSE => (K::AddrInUse, "Address in use"),
        code::ENETUNREACH => (K::NetworkUnreachable, "Network is unreachable"),
        code::ECONNRESET => (K::ConnectionReset, "Connection reset by peer"),
        code::ETIMEDOUT => (K::TimedOut, "Connection timed out"),
        code::ECONNREFUSED => (K::ConnectionRefused, "Connection refused"),
        code::EHOSTUNREACH => (K::HostUnreachable, "No route to host"),
        code::UNKNOWN_HOST => (K::NotFound, "bad address"),
        code::UNSUPPORTED => (K::Unsupported, "networking needs the simulated engine"),
        _ => (K::InvalidInput, "Invalid argument"),
    };
    io::Error::new(kind, text)
}

/// Whether `e` says a name did not resolve (busybox: `bad address 'x'`).
#[must_use]
pub fn is_unknown_host(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound && e.to_string() == "bad address"
}

/// A timeout as the host takes it: milliseconds, -1 for none.
fn millis(timeout: Option<Duration>) -> i64 {
    timeout.map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Resolves a host name (or a dotted address) to an IPv4 address as the container sees it: `localhost`, the
/// container's own name, and on user-defined networks the names and aliases of the containers it shares one with.
pub fn resolve(host: &str) -> io::Result<Ipv4Addr> {
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(ip);
    }
    let answer = sys::resolve(host.as_bytes());
    if answer < 0 {
        return Err(error(i32::try_from(-answer).unwrap_or(code::EINVAL)));
    }
    Ok(Ipv4Addr::from(u32::try_from(answer).unwrap_or(0)))
}

/// A port listening on every address of the container (and its loopback).
#[derive(Debug)]
pub struct Listener {
    handle: i32,
    port: u16,
}

/// Starts listening on `port` on all the container's addresses. `Address in use` when something in the same
/// container listens there already.
pub fn listen(port: u16) -> io::Result<Listener> {
    let handle = check(sys::listen(0, i32::from(port)))?;
    Ok(Listener { handle, port })
}

impl Listener {
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Waits for the next connection (the process can still be stopped or killed while it waits).
    pub fn accept(&self) -> io::Result<Conn> {
        self.accept_timeout(None)
    }

    /// Waits up to `timeout` for a connection: `WouldBlock` when none came (`Some(Duration::ZERO)` polls).
    pub fn accept_timeout(&self, timeout: Option<Duration>) -> io::Result<Conn> {
        let handle = check(sys::accept(self.handle, millis(timeout)))?;
        Ok(Conn::from_handle(handle))
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        sys::close(self.handle);
    }
}

/// One end of a connection: a byte stream both ways. Reading returns 0 at the end of the peer's data.
#[derive(Debug)]
pub struct Conn {
    handle: i32,
    peer: SocketAddrV4,
    read_timeout: Option<Duration>,
}

/// Connects to `host:port`, resolving `host` first.
pub fn connect(host: &str, port: u16) -> io::Result<Conn> {
    connect_addr(SocketAddrV4::new(resolve(host)?, port), None)
}

/// Connects to an address. Refused at once when nothing listens there; `Network is unreachable` when the
/// address is on no network the container is attached to; `Connection timed out` after `timeout` (or the
/// host's own limit) when the address is on one but nothing has it.
pub fn connect_addr(addr: SocketAddrV4, timeout: Option<Duration>) -> io::Result<Conn> {
    let handle = check(sys::connect(u32::from(*addr.ip()), i32::from(addr.port()), millis(timeout)))?;
    Ok(Conn::from_handle(handle))
}

impl Conn {
    fn from_handle(handle: i32) -> Conn {
        let raw = sys::peer(handle);
        let peer = if raw < 0 {
            SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)
        } else {
            SocketAddrV4::new(
                Ipv4Addr::from(u32::try_from(raw >> 16).unwrap_or(0)),
                u16::try_from(raw & 0xffff).unwrap_or(0),
            )
        };
        Conn { handle, peer, read_timeout: None }
    }

    /// The address of the other end.
    #[must_use]
    pub fn peer_addr(&self) -> SocketAddrV4 {
        self.peer
    }

    /// Reads fail with `WouldBlock` once `timeout` passes without data (`None`: wait for ever).
    pub fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    /// Ends what this side sends: the peer reads the end of the data, and this side can still read.
    pub fn shutdown_write(&self) -> io::Result<()> {
        check(sys::shutdown(self.handle)).map(|_| ())
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = check(sys::recv(self.handle, buf, millis(self.read_timeout)))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = check(sys::send(self.handle, buf))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        sys::close(self.handle);
    }
}

/// Sends one ICMP echo request and waits up to `timeout` for the reply; the round-trip time. The reply comes
/// when the address is the container's own or belongs to a running container on a network it shares;
/// `TimedOut` when the address is on one of its networks but nothing answers; `Network is unreachable` when
/// no network of the container leads there.
pub fn ping(addr: Ipv4Addr, timeout: Duration) -> io::Result<Duration> {
    let answer = sys::ping(u32::from(addr), millis(Some(timeout)));
    if answer < 0 {
        return Err(error(i32::try_from(-answer).unwrap_or(code::EINVAL)));
    }
    Ok(Duration::from_nanos(u64::try_from(answer).unwrap_or(0)))
}

/// A host answer: a handle or count, or a negated error code.
fn check(answer: i32) -> io::Result<i32> {
    if answer < 0 { Err(error(-answer)) } else { Ok(answer) }
}

#[cfg(target_family = "wasm")]
#[allow(unsafe_code)]
mod sys {
    //! The imports. Every pointer handed over comes from a live slice of the stated length, and the host
    //! checks that each range lies inside the module's memory before touching it.

    #[link(wasm_import_module = "docklings_net")]
    unsafe extern "C" {
        #[link_name = "resolve"]
        fn host_resolve(name: *const u8, len: usize) -> i64;
        #[link_name = "listen"]
        safe fn host_listen(ip: u32, port: i32) -> i32;
        #[link_name = "accept"]
        safe fn host_accept(listener: i32, timeout_ms: i64) -> i32;
        #[link_name = "connect"]
        safe fn host_connect(ip: u32, port: i32, timeout_ms: i64) -> i32;
        #[link_name = "peer"]
        safe fn host_peer(conn: i32) -> i64;
        #[link_name = "recv"]
        fn host_recv(conn: i32, buf: *mut u8, len: usize, timeout_ms: i64) -> i32;
        #[link_name = "send"]
        fn host_send(conn: i32, buf: *const u8, len: usize) -> i32;
        #[link_name = "shutdown"]
        safe fn host_shutdown(conn: i32) -> i32;
        #[link_name = "close"]
        safe fn host_close(handle: i32) -> i32;
        #[link_name = "ping"]
        safe fn host_ping(ip: u32, timeout_ms: i64) -> i64;
    }

    pub fn resolve(name: &[u8]) -> i64 {
        // SAFETY: the host reads `name.len()` bytes at `name`, a live slice.
        unsafe { host_resolve(name.as_ptr(), name.len()) }
    }

    pub fn listen(ip: u32, port: i32) -> i32 {
        host_listen(ip, port)
    }

    pub fn accept(listener: i32, timeout_ms: i64) -> i32 {
        host_accept(listener, timeout_ms)
    }

    pub fn connect(ip: u32, port: i32, timeout_ms: i64) -> i32 {
        host_connect(ip, port, timeout_ms)
    }

    pub fn peer(conn: i32) -> i64 {
        host_peer(conn)
    }

    pub fn recv(conn: i32, buf: &mut [u8], timeout_ms: i64) -> i32 {
        // SAFETY: the host writes at most `buf.len()` bytes into `buf`, a live, exclusive slice.
        unsafe { host_recv(conn, buf.as_mut_ptr(), buf.len(), timeout_ms) }
    }

    pub fn send(conn: i32, buf: &[u8]) -> i32 {
        // SAFETY: the host reads `buf.len()` bytes at `buf`, a live slice.
        unsafe { host_send(conn, buf.as_ptr(), buf.len()) }
    }

    pub fn shutdown(conn: i32) -> i32 {
        host_shutdown(conn)
    }

    pub fn close(handle: i32) -> i32 {
        host_close(handle)
    }

    pub fn ping(ip: u32, timeout_ms: i64) -> i64 {
        host_ping(ip, timeout_ms)
    }
}

#[cfg(not(target_family = "wasm"))]
mod sys {
    //! Native builds (the toolbox's own tests) have no simulated network.

    use super::code::UNSUPPORTED;

    pub fn resolve(_name: &[u8]) -> i64 {
        -i64::from(UNSUPPORTED)
    }
    pub fn listen(_ip: u32, _port: i32) -> i32 {
        -UNSUPPORTED
    }
    pub fn accept(_listener: i32, _timeout_ms: i64) -> i32 {
        -UNSUPPORTED
    }
    pub fn connect(_ip: u32, _port: i32, _timeout_ms: i64) -> i32 {
        -UNSUPPORTED
    }
    pub fn peer(_conn: i32) -> i64 {
        -i64::from(UNSUPPORTED)
    }
    pub fn recv(_conn: i32, _buf: &mut [u8], _timeout_ms: i64) -> i32 {
        -UNSUPPORTED
    }
    pub fn send(_conn: i32, _buf: &[u8]) -> i32 {
        -UNSUPPORTED
    }
    pub fn shutdown(_conn: i32) -> i32 {
        -UNSUPPORTED
    }
    pub fn close(_handle: i32) -> i32 {
        -UNSUPPORTED
    }
    pub fn ping(_ip: u32, _timeout_ms: i64) -> i64 {
        -i64::from(UNSUPPORTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_busybox_texts() {
        assert_eq!(error(code::ECONNREFUSED).to_string(), "Connection refused");
        assert_eq!(error(code::ECONNREFUSED).kind(), io::ErrorKind::ConnectionRefused);
        assert_eq!(error(code::ENETUNREACH).to_string(), "Network is unreachable");
        assert!(is_unknown_host(&error(code::UNKNOWN_HOST)));
        assert!(!is_unknown_host(&error(code::ETIMEDOUT)));
    }

    #[test]
    fn literals_resolve_without_the_host() {
        assert_eq!(resolve("172.18.0.3").unwrap(), Ipv4Addr::new(172, 18, 0, 3));
        assert_eq!(resolve("web").unwrap_err().kind(), io::ErrorKind::Unsupported);
        assert_eq!(listen(80).unwrap_err().kind(), io::ErrorKind::Unsupported);
    }
}
