//! Network applets over [`crate::net`]: `ping`, `nslookup`, `wget`, `nc` and `httpd`, with busybox 1.35's output,
//! messages and exit statuses (observed against a real busybox in containers on a Docker network).

use std::io::{Read, Write};
use std::net::Ipv4Addr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::options;
use crate::Proc;
use crate::net::{self, Conn};

/// Busybox resolves through `/etc/hosts` before asking a name server; the host answers the rest.
fn lookup(p: &Proc, host: &str) -> std::io::Result<Ipv4Addr> {
    if let Ok(hosts) = std::fs::read_to_string(p.host("/etc/hosts")) {
        for line in hosts.lines() {
            let mut fields = line.split('#').next().unwrap_or("").split_whitespace();
            let Some(Ok(ip)) = fields.next().map(str::parse::<Ipv4Addr>) else { continue };
            if fields.any(|f| f.eq_ignore_ascii_case(host)) {
                return Ok(ip);
            }
        }
    }
    net::resolve(host)
}

fn seconds(p: &Proc, name: &str, text: &str) -> Result<u64, i32> {
    super::number(p, name, text)
}

/// Milliseconds with three decimals, as busybox prints round-trip times.
fn ms(d: Duration) -> String {
    let micros = d.as_micros();
    format!("{}.{:03}", micros / 1000, micros % 1000)
}

pub fn ping(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "qc:W:w:s:i:", &[]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(host) = o.operands.first() else { return super::bad_usage(p, "ping", "") };
    let count = match o.value('c').map(|v| seconds(p, "ping", v)).transpose() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let wait = match o.value('W').map(|v| seconds(p, "ping", v)).transpose() {
        Ok(w) => w.unwrap_or(10),
        Err(code) => return code,
    };
    let Ok(ip) = lookup(p, host) else {
        p.error("ping", &format!("bad address '{host}'"));
        return 1;
    };
    let quiet = o.has('q');
    p.outs(&format!("PING {host} ({ip}): 56 data bytes\n"));
    p.flush();
    let mut times: Vec<Duration> = Vec::new();
    let mut sent = 0u64;
    while count.is_none_or(|c| sent < c) {
        let last = count.is_some_and(|c| sent + 1 == c);
        // The last request waits `-W` seconds for its reply; earlier ones wait for the next second's request.
        let timeout = if last { Duration::from_secs(wait) } else { Duration::from_secs(1) };
        sent += 1;
        match net::ping(ip, timeout) {
            Ok(rtt) => {
                if !quiet {
                    p.outs(&format!("64 bytes from {ip}: seq={} ttl=64 time={} ms\n", sent - 1, ms(rtt)));
                    p.flush();
                }
                times.push(rtt);
                if !last {
                    std::thread::sleep(Duration::from_secs(1).saturating_sub(rtt));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => {
                p.error("ping", &format!("sendto: {e}"));
                return 1;
            }
        }
    }
    let received = times.len() as u64;
    let loss = (sent - received) * 100 / sent.max(1);
    p.outs(&format!(
        "\n--- {host} ping statistics ---\n{sent} packets transmitted, {received} packets received, {loss}% packet loss\n"
    ));
    if let (Some(min), Some(max)) = (times.iter().min(), times.iter().max()) {
        let avg = times.iter().sum::<Duration>() / u32::try_from(times.len()).unwrap_or(1);
        p.outs(&format!("round-trip min/avg/max = {}/{}/{} ms\n", ms(*min), ms(avg), ms(*max)));
    }
    i32::from(received == 0)
}

pub fn nslookup(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "", &[]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(host) = o.operands.first() else { return super::bad_usage(p, "nslookup", "") };
    let resolv = std::fs::read_to_string(p.host("/etc/resolv.conf")).unwrap_or_default();
    let server = o.operands.get(1).cloned().unwrap_or_else(|| {
        resolv
            .lines()
            .find_map(|l| l.strip_prefix("nameserver").map(|s| s.trim().to_string()))
            .unwrap_or_else(|| "127.0.0.1".to_string())
    });
    // Only Docker's embedded DNS (on user-defined networks) exists inside the simulation; any other server is
    // out of reach, as the internet is.
    if server != "127.0.0.11" {
        p.outs(";; connection timed out; no servers could be reached\n\n");
        return 1;
    }
    p.outs(&format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n"));
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        p.outs(&format!("** server can't find {}.in-addr.arpa: NXDOMAIN\n\n", reverse(ip)));
        return 1;
    }
    if let Ok(ip) = net::resolve(host) {
        p.outs(&format!("Non-authoritative answer:\nName:\t{host}\nAddress: {ip}\n\nNon-authoritative answer:\n\n"));
        0
    } else {
        p.outs(&format!("** server can't find {host}: NXDOMAIN\n\n** server can't find {host}: NXDOMAIN\n\n"));
        1
    }
}

fn reverse(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!("{}.{}.{}.{}", o[3], o[2], o[1], o[0])
}

/// An `http://host[:port]/path` URL.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Url {
    pub host: String,
    pub port: u16,
    /// The host as written, with `:port` when the URL had one (busybox's "Connecting to" shows it so).
    pub authority: String,
    pub path: String,
}

pub(crate) fn parse_url(text: &str) -> Option<Url> {
    let rest = text.strip_prefix("http://").unwrap_or(text);
    let (authority, path) = match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (authority, 80),
    };
    if host.is_empty() {
        return None;
    }
    Some(Url { host: host.to_string(), port, authority: authority.to_string(), path: path.to_string() })
}

/// An HTTP response's head: the status line and the header lines.
pub(crate) struct Head {
    pub status_line: String,
    pub code: u16,
    pub headers: Vec<String>,
}

/// Reads the head of a response (up to the empty line); the bytes after it start the body.
pub(crate) fn read_head(conn: &mut impl Read) -> std::io::Result<(Head, Vec<u8>)> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if let Some(at) = data.windows(2).position(|w| w == b"\n\n") {
            break at + 2;
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let text = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r').to_string());
    let status_line = lines.next().unwrap_or_default();
    let code = status_line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let headers = lines.filter(|l| !l.is_empty()).collect();
    Ok((Head { status_line, code, headers }, data[end..].to_vec()))
}

/// Busybox's progress line, drawn once at the end (the transfer is instant here).
fn progress(name: &str, size: usize) -> String {
    format!("{name:<20.20}{:>4}% |{}|{size:>6}  0:00:00 ETA\n", 100, "*".repeat(32))
}

pub fn wget(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "qSO:T:s", &[("spider", 's'), ("quiet", 'q'), ("output-document", 'O')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(target) = o.operands.first() else { return super::bad_usage(p, "wget", "") };
    let quiet = o.has('q');
    let timeout = match o.value('T').map(|v| seconds(p, "wget", v)).transpose() {
        Ok(t) => t.map(Duration::from_secs),
        Err(code) => return code,
    };
    let Some(url) = parse_url(target) else {
        p.error("wget", &format!("not an http or ftp url: {target}"));
        return 1;
    };
    let Ok(ip) = lookup(p, &url.host) else {
        p.error("wget", &format!("bad address '{}'", url.host));
        return 1;
    };
    if !quiet {
        p.errs(&format!("Connecting to {} ({ip}:{})\n", url.authority, url.port));
    }
    let mut conn = match net::connect_addr(std::net::SocketAddrV4::new(ip, url.port), timeout) {
        Ok(c) => c,
        Err(e) => {
            p.error("wget", &format!("can't connect to remote host ({ip}): {e}"));
            return 1;
        }
    };
    conn.set_read_timeout(timeout);
    let method = if o.has('s') { "HEAD" } else { "GET" };
    let request = format!(
        "{method} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: Wget\r\nConnection: close\r\n\r\n",
        url.path, url.authority
    );
    if conn.write_all(request.as_bytes()).is_err() {
        p.error("wget", "error getting response: Connection reset by peer");
        return 1;
    }
    let (head, mut body) = match read_head(&mut conn) {
        Ok(h) => h,
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            p.error("wget", "download timed out");
            return 1;
        }
        Err(_) => {
            p.error("wget", "error getting response");
            return 1;
        }
    };
    if o.has('S') {
        // Busybox stops at the status line of a response it will not save.
        let mut shown = format!("  {}\n", head.status_line);
        if (200..300).contains(&head.code) {
            for h in &head.headers {
                shown.push_str(&format!("  {h}\n"));
            }
            shown.push_str("  \n");
        }
        p.errs(&shown);
    }
    if !(200..300).contains(&head.code) {
        p.error("wget", &format!("server returned error: {}", head.status_line));
        return 1;
    }
    if o.has('s') {
        if !quiet {
            p.errs("remote file exists\n");
        }
        return 0;
    }
    let length = head.headers.iter().find_map(|h| {
        let (k, v) = h.split_once(':')?;
        k.trim().eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok()).flatten()
    });
    let mut chunk = [0u8; 16384];
    while length.is_none_or(|l| body.len() < l) {
        match conn.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                p.error("wget", "download timed out");
                return 1;
            }
            Err(_) => break,
        }
    }
    if let Some(l) = length {
        body.truncate(l);
    }
    let output = o.value('O').map_or_else(
        || {
            let name = crate::basename(url.path.split('?').next().unwrap_or(""));
            if name.is_empty() || name == "/" { "index.html".to_string() } else { name.to_string() }
        },
        str::to_string,
    );
    if output == "-" {
        if !quiet {
            p.errs("writing to stdout\n");
        }
        p.out(&body);
        p.flush();
        if !quiet {
            p.errs(&progress("-", body.len()));
            p.errs("written to stdout\n");
        }
        return 0;
    }
    if !quiet {
        p.errs(&format!("saving to '{output}'\n"));
    }
    let written = p.create(&output, false).and_then(|f| f.borrow_mut().write_all(&body));
    if let Err(e) = written {
        p.error("wget", &format!("can't open '{output}': {}", crate::proc::strerror(&e)));
        return 1;
    }
    if !quiet {
        p.errs(&progress(crate::basename(&output), body.len()));
        p.errs(&format!("'{output}' saved\n"));
    }
    0
}

pub fn nc(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "lp:w:i:", &[]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let timeout = match o.value('w').map(|v| seconds(p, "nc", v)).transpose() {
        Ok(t) => t.map(Duration::from_secs),
        Err(code) => return code,
    };
    let mut conn = if o.has('l') {
        let Some(port) = o.value('p').and_then(|v| v.parse::<u16>().ok()) else {
            return super::bad_usage(p, "nc", "");
        };
        let listener = match net::listen(port) {
            Ok(l) => l,
            Err(e) => {
                p.error("nc", &format!("bind: {e}"));
                return 1;
            }
        };
        match listener.accept() {
            Ok(c) => c,
            Err(e) => {
                p.error("nc", &format!("accept: {e}"));
                return 1;
            }
        }
    } else {
        let (Some(host), Some(port)) = (o.operands.first(), o.operands.get(1)) else {
            return super::bad_usage(p, "nc", "");
        };
        let Ok(port) = port.parse::<u16>() else {
            p.error("nc", &format!("bad port '{port}'"));
            return 1;
        };
        let Ok(ip) = lookup(p, host) else {
            p.error("nc", &format!("bad address '{host}'"));
            return 1;
        };
        match net::connect_addr(std::net::SocketAddrV4::new(ip, port), timeout) {
            Ok(c) => c,
            Err(e) => {
                p.error("nc", &format!("can't connect to remote host ({ip}): {e}"));
                return 1;
            }
        }
    };
    // Without processes to copy both ways at once, stdin goes first (as a pipe usually ends before the answer),
    // then the connection is read to its end; `-w` ends a silent connection.
    let input = p.read_stdin();
    if !input.is_empty() && conn.write_all(&input).is_err() {
        return 1;
    }
    relay(p, &mut conn, timeout);
    0
}

fn relay(p: &Proc, conn: &mut Conn, timeout: Option<Duration>) {
    conn.set_read_timeout(timeout);
    let mut chunk = [0u8; 16384];
    loop {
        match conn.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                p.out(&chunk[..n]);
                p.flush();
            }
        }
    }
}

/// The current time as HTTP writes it.
fn http_date(secs: i64) -> String {
    super::date::format("%a, %d %b %Y %H:%M:%S GMT", secs, 0)
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// Busybox httpd's error page.
fn error_page(code: u16, reason: &str, text: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {code} {reason}\r\nDate: {}\r\nConnection: close\r\nContent-type: text/html\r\n\r\n<HTML><HEAD><TITLE>{code} {reason}</TITLE></HEAD>\n<BODY><H1>{code} {reason}</H1>\n{text}\n</BODY></HTML>\n",
        http_date(now_secs())
    )
    .into_bytes()
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html",
        "txt" | "h" | "c" | "cc" | "cpp" => "text/plain",
        "css" => "text/css",
        "js" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// The answer of busybox httpd serving `home` to one request.
pub(crate) fn http_answer(p: &Proc, home: &str, request: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(request);
    let first = text.lines().next().unwrap_or("");
    let mut words = first.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if method != "GET" && method != "HEAD" || !target.starts_with('/') {
        return error_page(400, "Bad Request", "Unsupported method");
    }
    let path = crate::proc::normalize("/", target.split('?').next().unwrap_or("/"));
    let full = format!("{}/{}", home.trim_end_matches('/'), path.trim_start_matches('/'));
    let host = p.host(&full);
    if host.is_dir() && !target.split('?').next().unwrap_or("").ends_with('/') {
        return format!(
            "HTTP/1.1 302 Found\r\nDate: {}\r\nConnection: close\r\nContent-type: text/html\r\nLocation: {path}/\r\n\r\n",
            http_date(now_secs())
        )
        .into_bytes();
    }
    let file = if host.is_dir() { host.join("index.html") } else { host };
    let (Ok(meta), Ok(body)) = (std::fs::metadata(&file), std::fs::read(&file)) else {
        return error_page(404, "Not Found", "The requested URL was not found");
    };
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nDate: {}\r\nConnection: close\r\nContent-type: {}\r\nAccept-Ranges: bytes\r\nLast-Modified: {}\r\nETag: \"{mtime:x}-{:x}\"\r\nContent-Length: {}\r\n\r\n",
        http_date(now_secs()),
        content_type(&file.to_string_lossy()),
        http_date(i64::try_from(mtime).unwrap_or(0)),
        body.len(),
        body.len()
    )
    .into_bytes();
    if method == "GET" {
        out.extend_from_slice(&body);
    }
    out
}

pub fn httpd(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "ifvp:h:u:r:c:", &[]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let port_text = o.value('p').unwrap_or("80");
    let port_text = port_text.rsplit_once(':').map_or(port_text, |(_, port)| port);
    let Ok(port) = port_text.parse::<u16>() else {
        p.error("httpd", &format!("invalid number '{port_text}'"));
        return 1;
    };
    let home = p.logical(o.value('h').unwrap_or("."));
    let listener = match net::listen(port) {
        Ok(l) => l,
        Err(e) => {
            p.error("httpd", &format!("bind: {e}"));
            return 1;
        }
    };
    // Without -f busybox forks into the background; WASI has no fork, so httpd always serves in the foreground.
    loop {
        let Ok(mut conn) = listener.accept() else { return 1 };
        conn.set_read_timeout(Some(Duration::from_secs(60)));
        let mut request = Vec::new();
        let mut chunk = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") && !request.windows(2).any(|w| w == b"\n\n") {
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => request.extend_from_slice(&chunk[..n]),
            }
        }
        let answer = http_answer(p, &home, &request);
        let _ = conn.write_all(&answer);
        let _ = conn.shutdown_write();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_as_wget_reads_them() {
        let u = parse_url("http://web:8080/a/b?x").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.authority.as_str(), u.path.as_str()),
            ("web", 8080, "web:8080", "/a/b?x")
        );
        let u = parse_url("http://web").unwrap();
        assert_eq!((u.port, u.path.as_str()), (80, "/"));
        assert!(parse_url("http://:80/").is_none());
    }

    #[test]
    fn progress_line_matches_busybox_columns() {
        assert_eq!(progress("-", 6), format!("-{}100% |{}|     6  0:00:00 ETA\n", " ".repeat(20), "*".repeat(32)));
        assert!(progress("big", 3000).starts_with("big                  100% |"));
    }

    #[test]
    fn httpd_answers_files_redirects_and_404s() {
        let dir = std::env::temp_dir().join(format!("toolbox-httpd-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("www/sub")).unwrap();
        std::fs::write(dir.join("www/index.html"), "hello\n").unwrap();
        let (p, _, _) = Proc::with_buffers(dir.clone(), b"");
        let ok = String::from_utf8(http_answer(&p, "/www", b"GET / HTTP/1.0\r\n\r\n")).unwrap();
        assert!(
            ok.starts_with("HTTP/1.1 200 OK\r\n")
                && ok.contains("Content-Length: 6\r\n")
                && ok.ends_with("\r\n\r\nhello\n")
        );
        let redirect = String::from_utf8(http_answer(&p, "/www", b"GET /sub HTTP/1.0\r\n\r\n")).unwrap();
        assert!(redirect.starts_with("HTTP/1.1 302 Found\r\n") && redirect.contains("Location: /sub/\r\n"));
        let missing = String::from_utf8(http_answer(&p, "/www", b"GET /nope HTTP/1.0\r\n\r\n")).unwrap();
        assert!(
            missing.starts_with("HTTP/1.1 404 Not Found\r\n") && missing.contains("The requested URL was not found")
        );
        let bad = String::from_utf8(http_answer(&p, "/www", b"hi\n")).unwrap();
        assert!(bad.starts_with("HTTP/1.1 400 Bad Request\r\n") && bad.contains("Unsupported method"));
        let head = String::from_utf8(http_answer(&p, "/www", b"HEAD / HTTP/1.0\r\n\r\n")).unwrap();
        assert!(head.ends_with("Content-Length: 6\r\n\r\n"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
