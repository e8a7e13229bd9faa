//! The toolbox's `node` and `npm` in the simulated `node:18` image, driven through `sim::cli::run` as `docklings
//! shell` drives them: the seed's `npm install` into a bind-mounted project, apps that print, and the errors a
//! learner meets (a missing package.json, an uncaught exception, a feature the simulation does not have).

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use docklings::engine::Engine;
use docklings::engine::sim::SimEngine;

use super::sim_support::{Out, docker, fresh};

/// A simulated engine in a temporary folder with node:18 pulled, and a project folder to bind-mount at /app.
struct Sim {
    _home: tempfile::TempDir,
    engine: Arc<SimEngine>,
    project: tempfile::TempDir,
}

impl Sim {
    fn new() -> Sim {
        let (home, engine) = fresh(Some("node:18"));
        Sim { _home: home, engine, project: tempfile::tempdir().expect("a project folder") }
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.project.path().join(name), text).expect("writes the project file");
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.project.path().join(name)
    }

    /// `docker run --rm -v PROJECT:/app -w /app node:18 ARGS…`.
    fn run(&self, args: &[&str]) -> Out {
        let bind = format!("{}:/app", self.project.path().display());
        let mut words = vec!["run", "--rm", "-v", &bind, "-w", "/app", "node:18"];
        words.extend_from_slice(args);
        docker(&self.engine, &words)
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

const PACKAGE_JSON: &str = r#"{
  "name": "hello-docker",
  "version": "1.0.0",
  "scripts": { "start": "node app.js", "test": "node test.js" },
  "dependencies": { "express": "^4.18.2", "lodash": "~4.17.21", "dotenv": "16.4.5" },
  "devDependencies": { "nodemon": "^3.1.0" }
}
"#;

#[test]
fn versions_match_the_node_18_image() {
    let sim = Sim::new();
    let node = sim.run(&["node", "--version"]);
    assert_eq!((node.stdout.as_str(), node.stderr.as_str(), node.status), ("v18.20.8\n", "", 0));
    let npm = sim.run(&["npm", "--version"]);
    assert_eq!((npm.stdout.as_str(), npm.stderr.as_str(), npm.status), ("10.8.2\n", "", 0));
}

#[test]
fn npm_install_fills_node_modules_takes_time_and_then_is_up_to_date() {
    let sim = Sim::new();
    sim.write("package.json", PACKAGE_JSON);
    let begun = Instant::now();
    let first = sim.run(&["npm", "install"]);
    let took = begun.elapsed();
    assert_eq!((first.stderr.as_str(), first.status), ("", 0), "{first:?}");
    assert!(first.stdout.starts_with("\nadded 4 packages, and audited 5 packages in "), "{first:?}");
    assert!(first.stdout.ends_with("s\n\nfound 0 vulnerabilities\n"), "{first:?}");
    assert!(took >= Duration::from_secs(1), "four packages take visible time: {took:?}");

    let express = read(&sim.path("node_modules/express/package.json"));
    assert!(express.contains("\"version\": \"4.18.2\""), "{express}");
    assert!(read(&sim.path("node_modules/lodash/package.json")).contains("\"version\": \"4.17.21\""));
    assert!(sim.path("node_modules/nodemon/index.js").is_file(), "devDependencies are installed too");
    let lock = read(&sim.path("package-lock.json"));
    assert!(
        lock.contains("\"lockfileVersion\": 3")
            && lock.contains("\"node_modules/dotenv\": {\n      \"version\": \"16.4.5\""),
        "{lock}"
    );
    assert!(lock.contains("\"node_modules/nodemon\": {") && lock.contains("\"dev\": true"), "{lock}");

    let again = sim.run(&["npm", "i"]);
    assert!(again.stdout.starts_with("\nup to date, audited 5 packages in "), "{again:?}");
    assert_eq!(again.status, 0);

    // `npm ci` starts from an empty node_modules and installs what the lock file pinned.
    fs::remove_dir_all(sim.path("node_modules/lodash")).unwrap();
    let ci = sim.run(&["npm", "ci"]);
    assert!(ci.stdout.starts_with("\nadded 4 packages, and audited 5 packages in "), "{ci:?}");
    assert!(sim.path("node_modules/lodash/index.js").is_file());
}

#[test]
fn npm_without_a_package_json_fails_as_npm_does() {
    let sim = Sim::new();
    let r = sim.run(&["npm", "install"]);
    assert_eq!((r.stdout.as_str(), r.status), ("", 254), "{r:?}");
    assert!(
        r.stderr.starts_with(
            "npm error code ENOENT\nnpm error syscall open\nnpm error path /app/package.json\nnpm error errno -2\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '/app/package.json'\nnpm error enoent This is related to npm not being able to find a file.\nnpm error enoent\nnpm error A complete log of this run can be found in: /root/.npm/_logs/"
        ),
        "{r:?}"
    );
    assert!(r.stderr.ends_with("Z-debug-0.log\n"), "{r:?}");

    let ci = sim.run(&["sh", "-c", "echo '{}' > package.json && npm ci"]);
    assert_eq!(ci.status, 1);
    assert!(
        ci.stderr.starts_with("npm error code EUSAGE\nnpm error\nnpm error The `npm ci` command can only install"),
        "{ci:?}"
    );
}

#[test]
fn node_runs_the_app_with_installed_modules_and_npm_scripts() {
    let sim = Sim::new();
    sim.write("package.json", PACKAGE_JSON);
    sim.write(
        "app.js",
        "const os = require('os');\nconst lodash = require('lodash');\nconst { greet } = require('./lib/greet');\n\
         const items = [1, 2, 3].map((n) => n * 10);\n\
         console.log(greet('Docker'), items, { module: lodash.name, host: os.hostname().length > 0 });\n\
         setTimeout(() => console.log('timer after', items.length), 5);\n\
         console.log(`total=${items.reduce((a, b) => a + b, 0)}`);\n",
    );
    fs::create_dir(sim.path("lib")).unwrap();
    sim.write("lib/greet.js", "module.exports.greet = (name) => 'Hello, ' + name + '!';\n");
    sim.write("test.js", "if (1 + 1 !== 3) { console.error('math still works'); process.exit(3); }\n");
    assert_eq!(sim.run(&["npm", "install"]).status, 0);

    let app = sim.run(&["node", "app.js"]);
    assert_eq!(
        (app.stdout.as_str(), app.stderr.as_str(), app.status),
        ("Hello, Docker! [ 10, 20, 30 ] { module: 'lodash', host: true }\ntotal=60\ntimer after 3\n", "", 0)
    );
    let start = sim.run(&["npm", "start"]);
    assert!(start.stdout.starts_with("\n> hello-docker@1.0.0 start\n> node app.js\n\nHello, Docker!"), "{start:?}");
    assert_eq!(start.status, 0);

    let test = sim.run(&["npm", "test"]);
    assert_eq!(test.status, 3, "{test:?}");
    assert!(test.stderr.starts_with("math still works\nnpm error Lifecycle script `test` failed with error:\nnpm error code 3\nnpm error path /app\n"), "{test:?}");
    let missing = sim.run(&["npm", "run", "build"]);
    assert_eq!(missing.status, 1);
    assert!(missing.stderr.starts_with("npm error Missing script: \"build\"\n"), "{missing:?}");
}

#[test]
fn an_uncaught_error_prints_the_line_and_exits_1() {
    let sim = Sim::new();
    sim.write(
        "app.js",
        "console.log('before');\nfunction fail() {\n  throw new Error('database unreachable');\n}\nfail();\n",
    );
    let r = sim.run(&["node", "app.js"]);
    assert_eq!(r.stdout, "before\n");
    assert_eq!(
        r.stderr,
        "/app/app.js:3\n  throw new Error('database unreachable');\n  ^\n\nError: database unreachable\n    at fail (/app/app.js:3:9)\n    at Object.<anonymous> (/app/app.js:5:1)\n\nNode.js v18.20.8\n"
    );
    assert_eq!(r.status, 1);

    sim.write("bad.js", "const x = {\n  a: 1,\n  b: ;\n};\n");
    let syntax = sim.run(&["node", "bad.js"]);
    assert_eq!(
        syntax.stderr,
        "/app/bad.js:3\n  b: ;\n     ^\n\nSyntaxError: Unexpected token ';'\n\nNode.js v18.20.8\n"
    );
    assert_eq!(syntax.status, 1);

    let exit = sim.run(&["node", "-e", "process.exitCode = 7; console.log(typeof process.env.PATH)"]);
    assert_eq!((exit.stdout.as_str(), exit.status), ("string\n", 7));
}

#[test]
fn what_the_simulation_lacks_is_said_plainly() {
    let sim = Sim::new();
    sim.write("app.js", "const a = 1;\n\nclass Server {}\n");
    let r = sim.run(&["node", "app.js"]);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.status),
        (
            "",
            "node: docklings' simulated node does not support classes (app.js:3); run this lesson on a real Docker engine\n",
            1
        )
    );
    sim.write("p.js", "console.log('ok');\nnew Promise(() => {});\n");
    let p = sim.run(&["node", "p.js"]);
    assert_eq!(p.stdout, "ok\n");
    assert_eq!(
        p.stderr,
        "node: docklings' simulated node does not support Promise (p.js:2); run this lesson on a real Docker engine\n"
    );
}

#[test]
fn an_http_server_answers_other_containers_on_its_network() {
    let sim = Sim::new();
    sim.engine.pull_image("busybox:latest", &mut |_| {}).expect("busybox pulls");
    sim.write(
        "server.js",
        "const http = require('http');\n\
         const server = http.createServer((req, res) => {\n\
           console.log(req.method, req.url);\n\
           if (req.url === '/missing') { res.statusCode = 404; res.end('nope\\n'); return; }\n\
           res.setHeader('Content-Type', 'text/plain');\n\
           res.end(`Hello, ${req.headers['host']}${req.url}\\n`);\n\
         });\n\
         server.listen(80, () => console.log('listening on 80'));\n",
    );
    assert_eq!(docker(&sim.engine, &["network", "create", "lesson"]).status, 0);
    let bind = format!("{}:/app", sim.project.path().display());
    let run = docker(
        &sim.engine,
        &[
            "run",
            "-d",
            "--name",
            "web",
            "--network",
            "lesson",
            "-v",
            &bind,
            "-w",
            "/app",
            "node:18",
            "node",
            "server.js",
        ],
    );
    assert_eq!(run.status, 0, "{run:?}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while docker(&sim.engine, &["logs", "web"]).stdout != "listening on 80\n" {
        assert!(Instant::now() < deadline, "the server never said it was listening");
        std::thread::sleep(Duration::from_millis(20));
    }
    let get =
        docker(&sim.engine, &["run", "--rm", "--network", "lesson", "busybox", "wget", "-qO-", "http://web/hello"]);
    assert_eq!((get.stdout.as_str(), get.status), ("Hello, web/hello\n", 0), "{get:?}");
    let missing =
        docker(&sim.engine, &["run", "--rm", "--network", "lesson", "busybox", "wget", "-qO-", "http://web/missing"]);
    assert_eq!(missing.status, 1, "{missing:?}");
    assert!(missing.stderr.contains("404 Not Found"), "{missing:?}");
    assert_eq!(docker(&sim.engine, &["logs", "web"]).stdout, "listening on 80\nGET /hello\nGET /missing\n");
    assert_eq!(docker(&sim.engine, &["rm", "-f", "web"]).status, 0);
}
