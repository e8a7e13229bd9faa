//! The interpreter on small scripts, checked against what node 18 prints for them.

use std::path::PathBuf;

use crate::Proc;

/// A fresh folder standing in for the container's `/`, with `files` written under /app.
fn root(files: &[(&str, &str)]) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "docklings-node-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app")).unwrap();
    for (name, text) in files {
        let path = dir.join("app").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Runs `node ARGS` in /app; returns stdout, stderr and the status.
fn node_in(files: &[(&str, &str)], args: &[&str]) -> (String, String, i32) {
    let dir = root(files);
    let (mut p, out, err) = Proc::with_buffers(dir.clone(), b"");
    p.cwd = "/app".into();
    let argv: Vec<String> = std::iter::once("node").chain(args.iter().copied()).map(String::from).collect();
    let status = super::main(&mut p, &argv);
    let _ = std::fs::remove_dir_all(dir);
    let text = |b: &crate::proc::Buffer| String::from_utf8(b.borrow().clone()).unwrap();
    (text(&out), text(&err), status)
}

fn eval(code: &str) -> String {
    let (out, err, status) = node_in(&[], &["-e", code]);
    assert_eq!((err.as_str(), status), ("", 0), "{code}");
    out
}

#[test]
fn console_log_formats_as_util_inspect() {
    assert_eq!(eval("console.log('a', 1, -0, 1.5, true, null, undefined)"), "a 1 -0 1.5 true null undefined\n");
    assert_eq!(eval("console.log([1, 'two', [3]], {})"), "[ 1, 'two', [ 3 ] ] {}\n");
    assert_eq!(
        eval("console.log({ a: 1, 'b-c': \"it's\", d: { e: { f: { g: 1 } } } })"),
        "{ a: 1, 'b-c': \"it's\", d: { e: { f: [Object] } } }\n"
    );
    assert_eq!(eval("console.log([1,2,3,4,5,6,7])"), "[\n  1, 2, 3, 4,\n  5, 6, 7\n]\n");
    assert_eq!(eval("console.log('%s is %d years', 'Bob', 42.5, 'extra')"), "Bob is 42.5 years extra\n");
    assert_eq!(eval("console.log(() => 1, function named() {})"), "[Function (anonymous)] [Function: named]\n");
    assert_eq!(
        eval("console.log({ name: 'docklings', version: '1.0.0', description: 'teaches Docker in a terminal' })"),
        "{\n  name: 'docklings',\n  version: '1.0.0',\n  description: 'teaches Docker in a terminal'\n}\n"
    );
}

#[test]
fn language_basics() {
    let out = eval(
        "let total = 0;\nfor (let i = 0; i < 5; i++) { if (i === 3) continue; total += i; }\n\
         const fns = [];\nfor (let i = 0; i < 3; i++) fns.push(() => i);\n\
         const { a, c = 'dflt' } = { a: 1, b: [2] };\n\
         function counter() { let n = 0; return { inc: () => ++n }; }\nconst k = counter(); k.inc();\n\
         console.log(total, fns.map(f => f()).join(','), a, c, k.inc(), typeof k, typeof nope, 0.1 + 0.2);\n\
         console.log(`${'x'.repeat(3)}-${[1, 2].length}`, '5' + 3, '5' - 3, 7 % 4, 2 ** 10, null ?? 'n', 0 || 'o');\n\
         try { null.x; } catch (e) { console.log(e instanceof TypeError, e.message); }\n\
         switch (2) { case 1: console.log('one'); case 2: console.log('two'); case 3: console.log('three'); break; default: console.log('d'); }\n\
         for (const key in { p: 1, q: 2 }) console.log(key);\n\
         console.log([3, 1, 2].sort(), [5, 1, 10].sort((p, q) => p - q), JSON.stringify({ s: [1, { t: 'u' }] }));",
    );
    assert_eq!(
        out,
        "7 0,1,2 1 dflt 2 object undefined 0.30000000000000004\nxxx-2 53 2 3 1024 n o\n\
         true Cannot read properties of null (reading 'x')\ntwo\nthree\np\nq\n[ 1, 2, 3 ] [ 1, 5, 10 ] {\"s\":[1,{\"t\":\"u\"}]}\n"
    );
}

#[test]
fn timers_run_after_the_script_in_due_order() {
    assert_eq!(
        eval(
            "setTimeout(() => console.log('b'), 20); const t = setTimeout(() => console.log('never'), 5);\n\
              setTimeout((w) => console.log(w), 10, 'a'); clearTimeout(t); console.log('sync');"
        ),
        "sync\na\nb\n"
    );
}

#[test]
fn require_reads_files_json_packages_and_core_modules() {
    let files = [
        (
            "app.js",
            "const { add } = require('./lib/math');\nconst cfg = require('./config.json');\nconst pkg = require('left-pad');\nconst path = require('path');\nconst fs = require('fs');\nfs.writeFileSync('out.txt', 'written');\nconsole.log(add(2, 3), cfg.port, pkg.version, path.join('/app', 'a/../b', 'c.txt'), fs.readFileSync('/app/out.txt', 'utf8'), fs.existsSync('nope'), __filename);\n",
        ),
        ("lib/math.js", "exports.add = (a, b) => a + b;\n"),
        ("config.json", "{ \"port\": 8080 }"),
        (
            "node_modules/left-pad/package.json",
            "{ \"name\": \"left-pad\", \"version\": \"1.3.0\", \"main\": \"lib.js\" }",
        ),
        ("node_modules/left-pad/lib.js", "module.exports = { version: '1.3.0' };\n"),
    ];
    assert_eq!(
        node_in(&files, &["app.js"]),
        ("5 8080 1.3.0 /app/b/c.txt written false /app/app.js\n".into(), String::new(), 0)
    );
    let (out, err, status) = node_in(&[("app.js", "require('express');\n")], &["app.js"]);
    assert_eq!((out.as_str(), status), ("", 1));
    assert!(err.starts_with("/app/app.js:1\nrequire('express');\n^\n\nError: Cannot find module 'express'\nRequire stack:\n- /app/app.js\n"), "{err}");
    assert!(err.contains("code: 'MODULE_NOT_FOUND'"), "{err}");
}

#[test]
fn errors_print_as_node_prints_them() {
    let (_, err, status) = node_in(
        &[("app.js", "function fail() {\n  throw new Error('boom');\n}\nconst run = () => fail();\nrun();\n")],
        &["app.js"],
    );
    assert_eq!(status, 1);
    assert_eq!(
        err,
        "/app/app.js:2\n  throw new Error('boom');\n  ^\n\nError: boom\n    at fail (/app/app.js:2:9)\n    at run (/app/app.js:4:19)\n    at Object.<anonymous> (/app/app.js:5:1)\n\nNode.js v18.20.8\n"
    );
    let (_, err, status) = node_in(&[], &["-e", "let x = ;"]);
    assert_eq!(
        (err.as_str(), status),
        ("[eval]:1\nlet x = ;\n        ^\n\nSyntaxError: Unexpected token ';'\n\nNode.js v18.20.8\n", 1)
    );
    let (_, err, _) = node_in(&[], &["-e", "throw 'plain'"]);
    assert!(
        err.contains("^\nplain\n(Use `node --trace-uncaught ...` to show where the exception was thrown)\n"),
        "{err}"
    );
    let (out, err, status) = node_in(&[], &["-e", "console.log(1); process.exit(4); console.log(2)"]);
    assert_eq!((out.as_str(), err.as_str(), status), ("1\n", "", 4));
    let (_, err, status) = node_in(&[], &["missing.js"]);
    assert!(err.contains("Error: Cannot find module '/app/missing.js'"), "{err}");
    assert_eq!(status, 1);
}

#[test]
fn unsupported_features_are_named_with_their_line() {
    for (code, feature) in [
        ("class A {}", "classes"),
        ("const r = /x/;", "regular expressions"),
        ("async function f() {}", "async functions"),
        ("const m = new Map();", "Map"),
        ("import fs from 'fs';", "ES module import statements"),
    ] {
        let (_, err, status) = node_in(&[("app.js", &format!("// first\n{code}\n"))], &["app.js"]);
        assert_eq!(
            (err, status),
            (
                format!(
                    "node: docklings' simulated node does not support {feature} (app.js:2); run this lesson on a real Docker engine\n"
                ),
                1
            )
        );
    }
}

#[test]
fn runaway_recursion_is_a_range_error() {
    assert_eq!(eval("function f() { return f(); }\ntry { f(); } catch (e) { console.log(e.name); }"), "RangeError\n");
}
