//! `require`: the core modules (fs, os, path, http) and files, relative or under node_modules, as CommonJS modules.

use super::ast::Pos;
use super::builtins::namespace;
use super::interp::{Ctl, Interp, R, declare, new_scope};
use super::value::Value;
use crate::proc::normalize;

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// The `require` function of the module in `dir`.
pub fn require_for(dir: &str) -> Value {
    let f = Value::native("module.require", Value::Undefined);
    if let Value::Obj(o) = &f {
        o.borrow_mut().set_own("\0dir", Value::str(dir));
    }
    f
}

fn core(name: &str) -> Option<Value> {
    Some(match name {
        "fs" => namespace(&[
            "fs.readFileSync",
            "fs.writeFileSync",
            "fs.existsSync",
            "fs.appendFileSync",
            "fs.mkdirSync",
            "fs.readdirSync",
        ]),
        "os" => namespace(&["os.hostname", "os.platform", "os.type"]),
        "path" => {
            let p = namespace(&["path.join", "path.resolve", "path.basename", "path.dirname", "path.extname"]);
            if let Value::Obj(o) = &p {
                o.borrow_mut().set_own("sep", Value::str("/"));
            }
            p
        }
        "http" => namespace(&["http.createServer"]),
        _ => return None,
    })
}

/// Runs a file as a CommonJS module and returns its `module.exports`.
pub fn load(it: &mut Interp, path: &str, pos: Pos) -> R<Value> {
    if let Some(v) = it.modules.get(path) {
        return Ok(v.clone());
    }
    let text = match it.proc.read_all(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => return it.throw("Error", &format!("Cannot find module '{path}'"), pos),
    };
    if std::path::Path::new(path).extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        return match super::json::parse(&text) {
            Ok(v) => {
                it.modules.insert(path.to_string(), v.clone());
                Ok(v)
            }
            Err(m) => it.throw("SyntaxError", &format!("{path}: {m}"), pos),
        };
    }
    let body = match super::parser::parse(&text) {
        Ok(b) => b,
        Err(super::parser::ParseError::Unsupported(what, line)) => {
            return Err(Ctl::Unsupported(what, line, path.into()));
        }
        Err(super::parser::ParseError::Syntax(e)) => {
            let err = it.syntax_error(&e.message);
            return Err(Ctl::Throw(err, Pos { line: e.line, col: e.col }, path.into()));
        }
    };
    let exports = Value::object(Vec::new());
    let module = Value::object(vec![("exports".into(), exports.clone()), ("id".into(), Value::str(path))]);
    it.modules.insert(path.to_string(), exports.clone());
    let scope = new_scope(Some(&it.globals));
    let dir = normalize(path, "..");
    declare(&scope, "module", module.clone(), false);
    declare(&scope, "exports", exports.clone(), false);
    declare(&scope, "require", require_for(&dir), false);
    declare(&scope, "__filename", Value::str(path), false);
    declare(&scope, "__dirname", Value::str(&dir), false);
    declare(&scope, "\0this", exports, true);
    it.files.push(path.to_string());
    let body = std::rc::Rc::new(body);
    let result = it.run_block(&body, &scope);
    it.files.pop();
    match result {
        Ok(()) | Err(Ctl::Return(_)) => {}
        Err(e) => return Err(e),
    }
    let exports = it.get(&module, "exports", pos)?;
    it.modules.insert(path.to_string(), exports.clone());
    Ok(exports)
}

/// Where `require(name)` from `dir` finds its file: `name`, `name.js`, `name.json`, `name/index.js`, or a
/// package's `main` under the nearest `node_modules`.
fn resolve(it: &Interp, dir: &str, name: &str) -> Option<String> {
    let file = |p: &str| it.proc.host(p).is_file();
    let as_file = |base: &str| -> Option<String> {
        for candidate in [base.to_string(), format!("{base}.js"), format!("{base}.json")] {
            if file(&candidate) {
                return Some(candidate);
            }
        }
        let manifest = format!("{base}/package.json");
        if let Ok(bytes) = it.proc.read_all(&manifest)
            && let Ok(Value::Obj(o)) = super::json::parse(&String::from_utf8_lossy(&bytes))
            && let Some(main) = o.borrow().get_own("main")
        {
            let main = normalize(base, &main.to_str());
            for candidate in [main.clone(), format!("{main}.js"), format!("{main}/index.js")] {
                if file(&candidate) {
                    return Some(candidate);
                }
            }
        }
        let index = format!("{base}/index.js");
        file(&index).then_some(index)
    };
    if name.starts_with("./") || name.starts_with("../") || name.starts_with('/') {
        return as_file(&normalize(dir, name));
    }
    let mut d = dir.to_string();
    loop {
        if !d.ends_with("/node_modules")
            && let Some(found) = as_file(&normalize(&d, &format!("node_modules/{name}")))
        {
            return Some(found);
        }
        if d == "/" {
            return None;
        }
        d = normalize(&d, "..");
    }
}

pub fn call(it: &mut Interp, name: &'static str, this: &Value, args: &[Value], pos: Pos) -> R<Value> {
    let a0 = arg(args, 0);
    Ok(match name {
        "module.require" => {
            let request = a0.to_str();
            let bare = request.strip_prefix("node:").unwrap_or(&request);
            if let Some(m) = core(bare) {
                return Ok(m);
            }
            // node's other core modules exist in real node, so failing to find them would mislead.
            if matches!(
                bare,
                "child_process"
                    | "net"
                    | "https"
                    | "crypto"
                    | "events"
                    | "util"
                    | "stream"
                    | "url"
                    | "readline"
                    | "zlib"
                    | "cluster"
                    | "worker_threads"
                    | "dns"
                    | "assert"
                    | "buffer"
                    | "querystring"
                    | "timers"
                    | "http2"
                    | "dgram"
                    | "vm"
            ) {
                return it.unsupported(&format!("require('{request}')"), pos);
            }
            let dir = it
                .file()
                .rsplit_once('/')
                .map_or("/".to_string(), |(d, _)| if d.is_empty() { "/".into() } else { d.into() });
            let Some(path) = resolve(it, &dir, &request) else {
                let message = format!("Cannot find module '{request}'\nRequire stack:\n- {}", it.file());
                let err = it.make_error("Error", &message, pos);
                if let Value::Obj(o) = &err {
                    o.borrow_mut().set_own("code", Value::str("MODULE_NOT_FOUND"));
                    o.borrow_mut().set_own("requireStack", Value::array(vec![Value::str(&it.file())]));
                }
                return Err(Ctl::Throw(err, pos, it.file()));
            };
            load(it, &path, pos)?
        }
        "fs.readFileSync" => {
            let path = a0.to_str();
            match it.proc.read_all(&path) {
                Ok(bytes) => {
                    if matches!(arg(args, 1), Value::Undefined) {
                        return it.unsupported("Buffers (pass an encoding to readFileSync)", pos);
                    }
                    Value::str(&String::from_utf8_lossy(&bytes))
                }
                Err(e) => return fs_error(it, &e, "open", &path, pos),
            }
        }
        "fs.writeFileSync" | "fs.appendFileSync" => {
            let path = a0.to_str();
            let data = arg(args, 1).to_str();
            let result = it
                .proc
                .create(&path, name == "fs.appendFileSync")
                .and_then(|out| out.borrow_mut().write_all(data.as_bytes()));
            if let Err(e) = result {
                return fs_error(it, &e, "open", &path, pos);
            }
            Value::Undefined
        }
        "fs.existsSync" => Value::Bool(it.proc.host(&a0.to_str()).exists()),
        "fs.mkdirSync" => {
            let path = a0.to_str();
            let recursive =
                matches!(&arg(args, 1), Value::Obj(o) if o.borrow().get_own("recursive").is_some_and(|v| v.truthy()));
            let host = it.proc.host(&path);
            let r = if recursive { std::fs::create_dir_all(host) } else { std::fs::create_dir(host) };
            if let Err(e) = r {
                return fs_error(it, &e, "mkdir", &path, pos);
            }
            Value::Undefined
        }
        "fs.readdirSync" => {
            let path = a0.to_str();
            match std::fs::read_dir(it.proc.host(&path)) {
                Ok(entries) => {
                    let mut names: Vec<String> =
                        entries.filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned())).collect();
                    names.sort();
                    Value::array(names.iter().map(|n| Value::str(n)).collect())
                }
                Err(e) => return fs_error(it, &e, "scandir", &path, pos),
            }
        }
        "os.hostname" => Value::str(&crate::applets::host_name_of(&it.proc)),
        "os.platform" => Value::str("linux"),
        "os.type" => Value::str("Linux"),
        "path.join" | "path.resolve" => {
            let parts: Vec<String> = args.iter().map(Value::to_str).filter(|s| !s.is_empty()).collect();
            if name == "path.resolve" {
                let mut cur = it.proc.cwd.clone();
                for p in &parts {
                    cur = normalize(&cur, p);
                }
                let r = cur.trim_end_matches('/');
                Value::str(if r.is_empty() { "/" } else { r })
            } else {
                let joined = parts.join("/");
                if joined.is_empty() {
                    Value::str(".")
                } else {
                    let absolute = joined.starts_with('/');
                    let n = normalize("/", &joined);
                    let n = if absolute { n } else { n.trim_start_matches('/').to_string() };
                    Value::str(if n.is_empty() { "." } else { &n })
                }
            }
        }
        "path.basename" => {
            let b = crate::basename(&a0.to_str()).to_string();
            let ext = arg(args, 1);
            let b = match ext {
                Value::Str(e) if b.ends_with(&*e) && b.len() > e.len() => b[..b.len() - e.len()].to_string(),
                _ => b,
            };
            Value::str(&b)
        }
        "path.dirname" => {
            let s = a0.to_str();
            Value::str(match s.trim_end_matches('/').rsplit_once('/') {
                Some(("", _)) => "/",
                Some((d, _)) => d,
                None => ".",
            })
        }
        "path.extname" => {
            let b = crate::basename(&a0.to_str()).to_string();
            Value::str(match b.rfind('.') {
                Some(i) if i > 0 => &b[i..],
                _ => "",
            })
        }
        "http.createServer" => super::http::create_server(a0),
        n if n.starts_with("server.") || n.starts_with("res.") || n.starts_with("req.") => {
            return super::http::call(it, n, this, args, pos);
        }
        _ => return it.unsupported(&format!("{name}()"), pos),
    })
}

/// Throws node's error for a failed file system call: `ENOENT: no such file or directory, open 'x'`.
fn fs_error<T>(it: &Interp, e: &std::io::Error, syscall: &str, path: &str, pos: Pos) -> R<T> {
    let (code, errno, text) = match e.kind() {
        std::io::ErrorKind::NotFound => ("ENOENT", -2, "no such file or directory"),
        std::io::ErrorKind::PermissionDenied => ("EACCES", -13, "permission denied"),
        std::io::ErrorKind::IsADirectory => ("EISDIR", -21, "illegal operation on a directory"),
        std::io::ErrorKind::AlreadyExists => ("EEXIST", -17, "file already exists"),
        std::io::ErrorKind::NotADirectory => ("ENOTDIR", -20, "not a directory"),
        _ => ("EIO", -5, "i/o error"),
    };
    let err = it.make_error("Error", &format!("{code}: {text}, {syscall} '{path}'"), pos);
    if let Value::Obj(o) = &err {
        let mut o = o.borrow_mut();
        o.set_own("errno", Value::Num(f64::from(errno)));
        o.set_own("syscall", Value::str(syscall));
        o.set_own("code", Value::str(code));
        o.set_own("path", Value::str(path));
    }
    Err(Ctl::Throw(err, pos, it.file()))
}
