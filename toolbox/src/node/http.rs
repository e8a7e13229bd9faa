//! node's `http` module: `createServer(handler)`, `listen`, and the HTTP/1.1 text of requests and responses, on the
//! toolbox's `net` sockets (the simulated engine's container networking). A response is sent whole when the handler
//! calls `res.end()`, with `Content-Length` and `Connection: close`.

use std::io::{Read, Write};
use std::time::Duration;

use super::ast::Pos;
use super::interp::{Ctl, Interp, R};
use super::value::Value;

/// A listening server and its request handler.
pub struct Server {
    pub listener: crate::net::Listener,
    pub handler: Value,
}

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

fn hidden(o: &Value, key: &str) -> Value {
    match o {
        Value::Obj(o) => o.borrow().get_own(key).unwrap_or(Value::Undefined),
        _ => Value::Undefined,
    }
}

fn set_hidden(o: &Value, key: &str, v: Value) {
    if let Value::Obj(o) = o {
        o.borrow_mut().set_own(key, v);
    }
}

pub fn create_server(handler: Value) -> Value {
    let server = Value::object(vec![
        ("listen".into(), Value::native("server.listen", Value::Undefined)),
        ("close".into(), Value::native("server.close", Value::Undefined)),
        ("on".into(), Value::native("server.on", Value::Undefined)),
    ]);
    set_hidden(&server, "\0handler", handler);
    server
}

pub fn call(it: &mut Interp, name: &str, this: &Value, args: &[Value], pos: Pos) -> R<Value> {
    match name {
        "server.listen" => listen(it, this, args, pos),
        "server.on" => {
            if arg(args, 0).to_str() == "request" {
                set_hidden(this, "\0handler", arg(args, 1));
            }
            Ok(this.clone())
        }
        "req.on" => {
            let event = arg(args, 0).to_str();
            if event == "data" || event == "end" {
                set_hidden(this, &format!("\0on_{event}"), arg(args, 1));
            }
            Ok(this.clone())
        }
        "res.setHeader" => {
            set_header(this, &arg(args, 0).to_str(), &arg(args, 1));
            Ok(this.clone())
        }
        "res.getHeader" => {
            let wanted = arg(args, 0).to_str().to_ascii_lowercase();
            Ok(headers_of(this)
                .into_iter()
                .find(|(k, _)| k.to_ascii_lowercase() == wanted)
                .map_or(Value::Undefined, |(_, v)| Value::str(&v)))
        }
        "res.writeHead" => {
            let status = arg(args, 0);
            it.set(this, "statusCode", status, pos)?;
            let headers = if matches!(arg(args, 1), Value::Str(_)) { arg(args, 2) } else { arg(args, 1) };
            if let Value::Obj(o) = &headers {
                let pairs = o.borrow().props.clone();
                for (k, v) in pairs {
                    set_header(this, &k, &v);
                }
            }
            Ok(this.clone())
        }
        "res.write" | "res.end" => {
            let chunk = arg(args, 0);
            if !matches!(chunk, Value::Undefined | Value::Null) && !chunk.is_function() {
                let body = hidden(this, "\0body").to_str();
                let body = if matches!(hidden(this, "\0body"), Value::Undefined) { String::new() } else { body };
                set_hidden(this, "\0body", Value::str(&(body + &chunk.to_str())));
            }
            if name == "res.end" {
                finish_response(it, this, pos)?;
            }
            Ok(Value::Bool(true))
        }
        "server.close" => {
            it.servers.clear();
            Ok(Value::Undefined)
        }
        _ => Ok(Value::Undefined),
    }
}

fn listen(it: &mut Interp, server: &Value, args: &[Value], pos: Pos) -> R<Value> {
    let port_value = match arg(args, 0) {
        Value::Obj(o) => o.borrow().get_own("port").unwrap_or(Value::Undefined),
        v => v,
    };
    let port = port_value.to_number();
    let port = if port.is_nan() { 0.0 } else { port };
    if !(0.0..65536.0).contains(&port) || port.fract() != 0.0 {
        let err = it.make_error(
            "RangeError",
            &format!("options.port should be >= 0 and < 65536. Received {}.", super::interp::describe(&port_value)),
            pos,
        );
        set_hidden(&err, "code", Value::str("ERR_SOCKET_BAD_PORT"));
        return Err(Ctl::Throw(err, pos, it.file()));
    }
    let port = port as u16;
    match crate::net::listen(port) {
        Ok(listener) => {
            it.servers.push(Server { listener, handler: hidden(server, "\0handler") });
            if let Some(cb) = args.iter().rev().find(|a| a.is_function()) {
                // node calls the callback once the server is listening, after the script's own code.
                it.next_timer += 1;
                let due_ms = it.now_ms();
                it.timers.push(super::interp::Timer {
                    id: it.next_timer,
                    due_ms,
                    callback: cb.clone(),
                    args: Vec::new(),
                });
            }
            Ok(server.clone())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let err = it.make_error("Error", &format!("listen EADDRINUSE: address already in use :::{port}"), pos);
            set_hidden(&err, "code", Value::str("EADDRINUSE"));
            set_hidden(&err, "errno", Value::Num(-98.0));
            set_hidden(&err, "syscall", Value::str("listen"));
            set_hidden(&err, "address", Value::str("::"));
            set_hidden(&err, "port", Value::Num(f64::from(port)));
            Err(Ctl::Throw(err, pos, it.file()))
        }
        Err(_) => it.unsupported("http servers outside a simulated container (no network)", pos),
    }
}

fn headers_of(res: &Value) -> Vec<(String, String)> {
    match hidden(res, "\0headers") {
        Value::Obj(o) => o.borrow().props.iter().map(|(k, v)| (k.clone(), v.to_str())).collect(),
        _ => Vec::new(),
    }
}

fn set_header(res: &Value, name: &str, value: &Value) {
    let mut headers = hidden(res, "\0headers");
    if !matches!(headers, Value::Obj(_)) {
        headers = Value::object(Vec::new());
        set_hidden(res, "\0headers", headers.clone());
    }
    if let Value::Obj(o) = &headers {
        let mut o = o.borrow_mut();
        o.props.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        o.props.push((name.to_string(), value.clone()));
    }
}

/// Sends the response on its connection and closes it.
fn finish_response(it: &mut Interp, res: &Value, pos: Pos) -> R<()> {
    if hidden(res, "\0ended").truthy() {
        return Ok(());
    }
    set_hidden(res, "\0ended", Value::Bool(true));
    let id = hidden(res, "\0conn").to_number() as u32;
    let status = it.get(res, "statusCode", pos)?.to_number();
    let status = if (100.0..1000.0).contains(&status) { status as u16 } else { 200 };
    let body = match hidden(res, "\0body") {
        Value::Undefined => String::new(),
        b => b.to_str(),
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let date = crate::applets::format_time("%a, %d %b %Y %H:%M:%S GMT", i64::try_from(now.as_secs()).unwrap_or(0), 0);
    let head = response_head(status, &headers_of(res), &date, body.len());
    if let Some(mut conn) = it.conns.remove(&id) {
        let is_head = hidden(res, "\0method").to_str() == "HEAD";
        let _ = conn.write_all(head.as_bytes());
        if !is_head && !matches!(status, 204 | 304) {
            let _ = conn.write_all(body.as_bytes());
        }
        let _ = conn.flush();
        let _ = conn.shutdown_write();
    }
    Ok(())
}

/// Waits up to `wait` (for ever when `None`) for a connection on any server, and handles it.
pub fn serve(it: &mut Interp, wait: Option<Duration>) -> R<()> {
    // With several servers, poll them in turn in short slices.
    let slice = if it.servers.len() > 1 { Some(Duration::from_millis(20)) } else { wait };
    let slice = match (slice, wait) {
        (Some(s), Some(w)) => Some(s.min(w)),
        (s, _) => s,
    };
    for i in 0..it.servers.len() {
        let accepted = it.servers[i].listener.accept_timeout(slice);
        let mut conn = match accepted {
            Ok(c) => c,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => continue,
            Err(_) => {
                it.servers.remove(i);
                return Ok(());
            }
        };
        let handler = it.servers[i].handler.clone();
        conn.set_read_timeout(Some(Duration::from_secs(5)));
        let Some((request, body)) = read_request(&mut conn) else {
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            let _ = conn.shutdown_write();
            return Ok(());
        };
        it.next_conn += 1;
        let id = it.next_conn;
        it.conns.insert(id, conn);
        let headers = Value::object(request.headers.iter().map(|(k, v)| (k.clone(), Value::str(v))).collect());
        let req = Value::object(vec![
            ("method".into(), Value::str(&request.method)),
            ("url".into(), Value::str(&request.url)),
            ("headers".into(), headers),
            ("httpVersion".into(), Value::str("1.1")),
            ("on".into(), Value::native("req.on", Value::Undefined)),
        ]);
        let res = Value::object(vec![
            ("statusCode".into(), Value::Num(200.0)),
            ("setHeader".into(), Value::native("res.setHeader", Value::Undefined)),
            ("getHeader".into(), Value::native("res.getHeader", Value::Undefined)),
            ("writeHead".into(), Value::native("res.writeHead", Value::Undefined)),
            ("write".into(), Value::native("res.write", Value::Undefined)),
            ("end".into(), Value::native("res.end", Value::Undefined)),
        ]);
        set_hidden(&res, "\0conn", Value::Num(f64::from(id)));
        set_hidden(&res, "\0method", Value::str(&request.method));
        if handler.is_function() {
            it.call(&handler, Value::Undefined, vec![req.clone(), res.clone()], Pos::default())?;
        }
        let on_data = hidden(&req, "\0on_data");
        if on_data.is_function() && !body.is_empty() {
            it.call(&on_data, req.clone(), vec![Value::str(&body)], Pos::default())?;
        }
        let on_end = hidden(&req, "\0on_end");
        if on_end.is_function() {
            it.call(&on_end, req.clone(), Vec::new(), Pos::default())?;
        }
        return Ok(());
    }
    Ok(())
}

/// Reads a request head and, by its `Content-Length`, its body.
fn read_request(conn: &mut crate::net::Conn) -> Option<(Request, String)> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > 65536 {
            return None;
        }
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let request = parse_request(&String::from_utf8_lossy(&data[..head_end]))?;
    let length: usize =
        request.headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    while data.len() < head_end + length.min(1 << 20) {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    let end = data.len().min(head_end + length);
    Some((request, String::from_utf8_lossy(&data[head_end..end]).into_owned()))
}

/// A parsed request head: method, target, and headers with lower-case names, as `req.headers` holds them.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
}

/// Parses an HTTP/1.1 request head (up to the blank line); `None` when it is malformed.
pub fn parse_request(head: &str) -> Option<Request> {
    let mut lines = head.split("\r\n").flat_map(|l| l.split('\n'));
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let url = first.next()?.to_string();
    if !first.next()?.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':')?;
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    Some(Request { method, url, headers })
}

/// The reason phrase node sends for a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "unknown",
    }
}

/// A response head as node writes it for a body of known length: status line, the handler's headers, then
/// `Date`, `Connection` and `Content-Length` unless set.
pub fn response_head(status: u16, headers: &[(String, String)], date: &str, body_len: usize) -> String {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    let has = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    if !has("date") {
        out.push_str(&format!("Date: {date}\r\n"));
    }
    if !has("connection") {
        out.push_str("Connection: close\r\n");
    }
    if !has("content-length") {
        out.push_str(&format!("Content-Length: {body_len}\r\n"));
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::{parse_request, response_head};

    #[test]
    fn parses_a_request_head() {
        let r = parse_request("GET /hello?x=1 HTTP/1.1\r\nHost: localhost:80\r\nUser-Agent: curl/8\r\n\r\n").unwrap();
        assert_eq!((r.method.as_str(), r.url.as_str()), ("GET", "/hello?x=1"));
        assert_eq!(r.headers[0], ("host".to_string(), "localhost:80".to_string()));
        assert!(parse_request("garbage\r\n\r\n").is_none());
    }

    #[test]
    fn writes_a_response_head() {
        let h = response_head(404, &[("Content-Type".into(), "text/plain".into())], "Sat, 28 Nov 2026 00:00:00 GMT", 9);
        assert!(h.starts_with("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"));
        assert!(h.ends_with("Content-Length: 9\r\n\r\n"));
    }
}
