//! `node`: a small JavaScript interpreter for the programs lessons run in the `node:18` image. It covers the
//! everyday subset (see toolbox/README.md) and says plainly, with the file and line, when a script needs more, so a
//! learner knows to switch to a real engine rather than debug a script that is fine.

// JavaScript numbers are f64, and the language defines how they become indices, lengths, char codes and exit
// statuses (truncating, wrapping, clamping); the interpreter converts between them on purpose, and compares them
// exactly where JavaScript's `===` does.
#![allow(clippy::cast_precision_loss, clippy::cast_sign_loss, clippy::cast_possible_wrap, clippy::float_cmp)]

mod ast;
mod builtins;
mod globals;
mod http;
mod interp;
mod json;
mod lexer;
mod modules;
mod parser;
#[cfg(test)]
mod tests;
mod value;

use std::collections::HashMap;
use std::time::Duration;

pub use json::parse as parse_json;
pub use json::{quote as json_quote, stringify as json_stringify};
pub use value::Value;

use ast::Pos;
use interp::{Ctl, Interp, new_scope};

/// The version `node --version` prints: the last node 18 release, the one the `node:18` image holds.
pub const VERSION: &str = "v18.20.8";

fn unsupported_message(what: &str, file: &str, line: usize) -> String {
    let at = if file.is_empty() { String::new() } else { format!(" ({}:{line})", crate::basename(file)) };
    format!("node: docklings' simulated node does not support {what}{at}; run this lesson on a real Docker engine\n")
}

pub fn main(p: &mut crate::Proc, argv: &[String]) -> i32 {
    let mut args = argv[1..].iter();
    let (mut file, mut code) = (None, None);
    let mut rest = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-v" | "--version" => {
                p.outs(&format!("{VERSION}\n"));
                return 0;
            }
            "-e" | "--eval" => {
                let Some(c) = args.next() else {
                    p.errs(&format!("{}: -e requires an argument\n", argv[0]));
                    return 9;
                };
                code = Some(c.clone());
            }
            "-h" | "--help" => {
                p.outs("Usage: node [options] [ script.js ] [arguments]\n");
                return 0;
            }
            s if s.starts_with('-') && file.is_none() && code.is_none() => {
                p.errs(&unsupported_message(&format!("the option {s}"), "", 0));
                return 1;
            }
            s => {
                if file.is_none() && code.is_none() {
                    file = Some(s.to_string());
                } else {
                    rest.push(s.to_string());
                }
            }
        }
    }
    let mut it = Interp {
        proc: p.clone(),
        globals: new_scope(None),
        files: Vec::new(),
        timers: Vec::new(),
        next_timer: 0,
        start: std::time::Instant::now(),
        servers: Vec::new(),
        conns: HashMap::new(),
        next_conn: 0,
        modules: HashMap::new(),
        process: Value::Undefined,
        argv: Vec::new(),
        depth: 0,
        stack_base: interp::stack_position(),
        frames: Vec::new(),
    };
    let (path, source) = match (&code, &file) {
        (Some(c), _) => ("[eval]".to_string(), c.clone()),
        (None, Some(f)) => {
            let path = p.logical(f);
            match p.read_all(&path) {
                Ok(bytes) if !it.proc.host(&path).is_dir() => (path, String::from_utf8_lossy(&bytes).into_owned()),
                _ => {
                    p.errs(&format!(
                        "node:internal/modules/cjs/loader:1080\n  throw err;\n  ^\n\nError: Cannot find module '{path}'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1077:15)\n    at Module._load (node:internal/modules/cjs/loader:922:27)\n    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:86:12)\n    at node:internal/main/run_main_module:23:47 {{\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}}\n\nNode.js {VERSION}\n"
                    ));
                    return 1;
                }
            }
        }
        (None, None) => {
            p.errs(&unsupported_message("the interactive REPL", "", 0));
            return 1;
        }
    };
    it.argv = vec!["/usr/local/bin/node".to_string()];
    if code.is_none() {
        it.argv.push(path.clone());
    }
    it.argv.extend(rest);
    globals::install(&mut it);
    let sources: HashMap<String, String> = [(path.clone(), source.clone())].into();
    let result = run_main(&mut it, &path, &source);
    let status = finish(&mut it, result, &sources);
    it.proc.flush();
    status
}

fn run_main(it: &mut Interp, path: &str, source: &str) -> Result<(), Ctl> {
    if path == "[eval]" {
        let body = match parser::parse(source) {
            Ok(b) => b,
            Err(parser::ParseError::Unsupported(what, line)) => return Err(Ctl::Unsupported(what, line, path.into())),
            Err(parser::ParseError::Syntax(e)) => {
                let pos = Pos { line: e.line, col: e.col };
                return Err(Ctl::Throw(it.syntax_error(&e.message), pos, path.into()));
            }
        };
        let scope = new_scope(Some(&it.globals));
        interp::declare(&scope, "require", modules::require_for(&it.proc.cwd.clone()), false);
        interp::declare(&scope, "module", Value::object(vec![("exports".into(), Value::object(Vec::new()))]), false);
        it.files.push(path.to_string());
        let r = it.run_block(&body, &scope);
        return match r {
            Err(Ctl::Return(_)) => Ok(()),
            other => other,
        };
    }
    modules::load(it, path, Pos::default()).map(|_| ())
}

/// Runs the timers, then turns how the script ended into output and an exit status.
fn finish(it: &mut Interp, mut result: Result<(), Ctl>, sources: &HashMap<String, String>) -> i32 {
    while result.is_ok() && (!it.timers.is_empty() || !it.servers.is_empty()) {
        let earliest = |it: &Interp| {
            (0..it.timers.len()).min_by(|&a, &b| {
                let (x, y) = (&it.timers[a], &it.timers[b]);
                x.due_ms.total_cmp(&y.due_ms).then(x.id.cmp(&y.id))
            })
        };
        let wait_ms = earliest(it).map(|i| (it.timers[i].due_ms - it.now_ms()).max(0.0));
        it.proc.flush();
        if it.servers.is_empty() {
            if let Some(ms) = wait_ms {
                std::thread::sleep(Duration::from_secs_f64(ms / 1000.0));
            }
        } else {
            // Serve connections until the next timer is due (or for ever, when there is none).
            result = http::serve(it, wait_ms.map(|ms| Duration::from_secs_f64(ms / 1000.0)));
            if result.is_err() {
                break;
            }
        }
        if let Some(i) = earliest(it)
            && it.timers[i].due_ms <= it.now_ms()
        {
            let timer = it.timers.remove(i);
            result = it.call(&timer.callback, Value::Undefined, timer.args, Pos::default()).map(|_| ());
        }
    }
    match result {
        Ok(()) | Err(Ctl::Return(_) | Ctl::Break | Ctl::Continue) => {
            match it.get(&it.process.clone(), "exitCode", Pos::default()) {
                Ok(Value::Num(n)) => n as i32,
                _ => 0,
            }
        }
        Err(Ctl::Exit(code)) => code,
        Err(Ctl::Unsupported(what, line, file)) => {
            it.proc.errs(&unsupported_message(&what, &file, line));
            1
        }
        Err(Ctl::Throw(value, pos, file)) => {
            let text = sources
                .get(&file)
                .cloned()
                .or_else(|| it.proc.read_all(&file).ok().map(|b| String::from_utf8_lossy(&b).into_owned()));
            let mut out = String::new();
            if let Some(text) = text
                && pos.line > 0
            {
                let line = text.lines().nth(pos.line - 1).unwrap_or("");
                out.push_str(&format!("{file}:{}\n{line}\n{}^\n", pos.line, " ".repeat(pos.col.saturating_sub(1))));
            }
            let is_error = matches!(&value, Value::Obj(o) if matches!(o.borrow().class, value::Class::Error));
            if is_error {
                out.push_str(&format!("\n{}\n", value::inspect(&value)));
            } else {
                let shown = match &value {
                    Value::Str(s) => s.to_string(),
                    other => value::inspect(other),
                };
                out.push_str(&format!(
                    "{shown}\n(Use `node --trace-uncaught ...` to show where the exception was thrown)\n"
                ));
            }
            out.push_str(&format!("\nNode.js {VERSION}\n"));
            it.proc.errs(&out);
            1
        }
    }
}
