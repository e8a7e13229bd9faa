//! `npm`: installs what package.json lists from a simulated registry, and runs package.json scripts. The registry
//! is made up and deterministic: every package exists, resolves to the lowest version its range allows, and takes a
//! fixed time (from a hash of its name) to "download", so an install is visibly slow and the build cache matters in
//! the lessons, as it does with the real npm.

use std::fmt::Write as _;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::Proc;
use crate::node::{Value, json_quote, json_stringify, parse_json};

/// The npm that node 18.20.8 ships, as `npm --version` in the `node:18` image prints it.
pub const VERSION: &str = "10.8.2";

/// A dependency to install: name, the range package.json asks for, the version it resolves to, dev or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub name: String,
    pub range: String,
    pub version: String,
    pub dev: bool,
}

/// FNV-1a: a stable hash, so a package's version and install time are the same on every run.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The version the simulated registry resolves a range to: the lowest it allows (`^4.18.2` is 4.18.2), or, for
/// `*`, `latest`, tags and URLs, a version made from the name.
#[must_use]
pub fn resolve(name: &str, range: &str) -> String {
    let first = range.split("||").next().unwrap_or("").split_whitespace().next().unwrap_or("");
    let bare = first.trim_start_matches(['^', '~', '>', '=', 'v']);
    let parts: Vec<&str> = bare.split(['.', '-', '+']).take(3).collect();
    if !parts.is_empty()
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()) || *p == "x" || *p == "*")
        && !parts[0].is_empty()
        && parts[0] != "x"
        && parts[0] != "*"
    {
        let num = |i: usize| {
            parts.get(i).filter(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty()).map_or("0", |p| p)
        };
        return format!("{}.{}.{}", num(0), num(1), num(2));
    }
    let h = hash(name);
    format!("{}.{}.{}", 1 + h % 5, (h >> 8) % 20, (h >> 16) % 10)
}

/// How long the simulated registry takes to fetch and unpack a package: 250 to 450 ms.
#[must_use]
pub fn fetch_time(name: &str) -> Duration {
    Duration::from_millis(250 + hash(name) % 201)
}

/// The `ms` package's rendering of a duration, which npm's summary uses: `523ms`, `2s`, `1m`.
#[must_use]
pub fn human_time(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{}s", (ms + 500) / 1000)
    } else {
        format!("{}m", (ms + 30_000) / 60_000)
    }
}

/// The dependencies of a parsed package.json, dependencies first, then devDependencies, in file order.
#[must_use]
pub fn dependencies(manifest: &Value) -> Vec<Package> {
    let mut out = Vec::new();
    for (field, dev) in [("dependencies", false), ("devDependencies", true)] {
        for (name, range) in entries(&get(manifest, field)) {
            if out.iter().any(|p: &Package| p.name == name) {
                continue;
            }
            let range = range.to_str();
            out.push(Package { version: resolve(&name, &range), name, range, dev });
        }
    }
    out
}

fn get(v: &Value, key: &str) -> Value {
    match v {
        Value::Obj(o) => o.borrow().get_own(key).unwrap_or(Value::Undefined),
        _ => Value::Undefined,
    }
}

fn entries(v: &Value) -> Vec<(String, Value)> {
    match v {
        Value::Obj(o) => o.borrow().props.iter().filter(|(k, _)| !k.starts_with('\0')).cloned().collect(),
        _ => Vec::new(),
    }
}

fn log_path(p: &Proc) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let stamp = crate::applets::format_time("%Y-%m-%dT%H_%M_%S", i64::try_from(now.as_secs()).unwrap_or(0), 0);
    let home = p.var("HOME").unwrap_or("/root");
    format!("{}/.npm/_logs/{stamp}_{:03}Z-debug-0.log", home.trim_end_matches('/'), now.subsec_millis())
}

/// Prints npm's error lines (`npm error …`) and the log line, and returns the status.
fn fail(p: &Proc, lines: &[String], status: i32) -> i32 {
    let mut out: String = lines
        .iter()
        .map(|l| if l.is_empty() { "npm error\n".to_string() } else { format!("npm error {l}\n") })
        .collect();
    let _ = writeln!(out, "npm error A complete log of this run can be found in: {}", log_path(p));
    p.errs(&out);
    status
}

/// Reads ./package.json, or prints npm's ENOENT (status 254) or JSON error.
fn read_manifest(p: &Proc) -> Result<Value, i32> {
    let path = p.logical("package.json");
    match p.read_all(&path) {
        Ok(bytes) => parse_json(&String::from_utf8_lossy(&bytes)).map_err(|m| {
            fail(
                p,
                &[
                    "code EJSONPARSE".into(),
                    format!("JSON.parse Invalid package.json: JSONParseError: {m} while parsing '{path}'"),
                    "JSON.parse Failed to parse JSON data.".into(),
                    "JSON.parse Note: package.json must be actual JSON, not just JavaScript.".into(),
                ],
                1,
            )
        }),
        Err(_) => Err(fail(
            p,
            &[
                "code ENOENT".into(),
                "syscall open".into(),
                format!("path {path}"),
                "errno -2".into(),
                format!("enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{path}'"),
                "enoent This is related to npm not being able to find a file.".into(),
                "enoent".into(),
            ],
            254,
        )),
    }
}

fn unsupported(p: &Proc, what: &str) -> i32 {
    p.errs(&format!(
        "npm: docklings' simulated npm does not support {what}; run this lesson on a real Docker engine\n"
    ));
    1
}

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let args: Vec<&str> = argv[1..]
        .iter()
        .map(String::as_str)
        .filter(|a| {
            !matches!(
                *a,
                "--silent" | "-s" | "--no-audit" | "--no-fund" | "--production" | "--omit=dev" | "--loglevel=error"
            )
        })
        .collect();
    let omit_dev = argv.iter().any(|a| a == "--production" || a == "--omit=dev");
    let silent = argv.iter().any(|a| a == "--silent" || a == "-s");
    match args.first().copied() {
        Some("-v" | "--version") => {
            p.outs(&format!("{VERSION}\n"));
            0
        }
        None | Some("-h" | "--help" | "help") => {
            p.outs(&format!("npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\nnpm install <foo>  add the <foo> dependency to your project\nnpm test           run this project's tests\nnpm run <foo>      run the script named <foo>\nnpm <command> -h   quick help on <command>\n\nnpm@{VERSION} /usr/local/lib/node_modules/npm\n"));
            i32::from(args.is_empty())
        }
        Some("install" | "i" | "add" | "ci" | "clean-install") => install(p, args[0], &args[1..], omit_dev),
        Some("start" | "test" | "t" | "tst" | "stop" | "restart") => {
            let name = if matches!(args[0], "t" | "tst") { "test" } else { args[0] };
            run_script(p, name, &args[1..], silent)
        }
        Some("run" | "run-script" | "rum" | "urn") => match args.get(1) {
            Some(name) => run_script(p, name, &args[2..], silent),
            None => list_scripts(p),
        },
        Some(other) => unsupported(p, &format!("`npm {other}`")),
    }
}

/// `npx`: running packages from the registry is beyond the simulation.
pub fn npx(p: &mut Proc, argv: &[String]) -> i32 {
    if argv.get(1).is_some_and(|a| a == "-v" || a == "--version") {
        p.outs(&format!("{VERSION}\n"));
        return 0;
    }
    p.errs("npx: docklings' simulated npm does not support npx; run this lesson on a real Docker engine\n");
    1
}

fn list_scripts(p: &Proc) -> i32 {
    let manifest = match read_manifest(p) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let name = get(&manifest, "name").to_str();
    let version = get(&manifest, "version").to_str();
    let scripts = entries(&get(&manifest, "scripts"));
    if scripts.is_empty() {
        return 0;
    }
    let mut out = format!("Lifecycle scripts included in {name}@{version}:\n");
    for (k, v) in scripts {
        let _ = write!(out, "  {k}\n    {}\n", v.to_str());
    }
    p.outs(&out);
    0
}

fn run_script(p: &mut Proc, name: &str, extra: &[&str], silent: bool) -> i32 {
    let manifest = match read_manifest(p) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let script = get(&get(&manifest, "scripts"), name);
    let mut script = match script {
        Value::Str(s) => s.to_string(),
        _ if name == "start" && p.host("server.js").is_file() => "node server.js".to_string(),
        _ if matches!(name, "stop" | "restart") => return 0,
        _ => {
            return fail(
                p,
                &[
                    format!("Missing script: \"{name}\""),
                    String::new(),
                    "To see a list of scripts, run:".into(),
                    "  npm run".into(),
                ],
                1,
            );
        }
    };
    let extra: Vec<&str> = extra.iter().copied().filter(|a| *a != "--").collect();
    if !extra.is_empty() {
        script = format!("{script} {}", extra.join(" "));
    }
    let pkg = get(&manifest, "name");
    let id = match (&pkg, get(&manifest, "version")) {
        (Value::Str(n), Value::Str(v)) => format!("{n}@{v}"),
        (Value::Str(n), _) => n.to_string(),
        _ => String::new(),
    };
    if !silent {
        p.outs(&format!("\n> {id} {name}\n> {script}\n\n"));
    }
    let mut child = p.clone();
    let bin = p.logical("node_modules/.bin");
    let path = child.var("PATH").unwrap_or("/usr/local/bin:/usr/bin:/bin").to_string();
    child.set_var("PATH", &format!("{bin}:{path}"));
    child.set_var("npm_lifecycle_event", name);
    if let Value::Str(n) = &pkg {
        child.set_var("npm_package_name", n);
    }
    let status = crate::run(&mut child, &["sh".to_string(), "-c".to_string(), script.clone()]);
    child.flush();
    if status != 0 {
        let cwd = p.cwd.clone();
        return fail(
            p,
            &[
                format!("Lifecycle script `{name}` failed with error:"),
                format!("code {status}"),
                format!("path {cwd}"),
                "command failed".into(),
                format!("command sh -c {script}"),
            ],
            status,
        );
    }
    0
}

fn install(p: &mut Proc, command: &str, names: &[&str], omit_dev: bool) -> i32 {
    let start = Instant::now();
    let ci = matches!(command, "ci" | "clean-install");
    let names: Vec<&str> = names.iter().copied().filter(|n| !n.starts_with('-')).collect();
    let manifest = match read_manifest(p) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let lock_path = p.logical("package-lock.json");
    let lock = p.read_all(&lock_path).ok().and_then(|b| parse_json(&String::from_utf8_lossy(&b)).ok());
    if ci && lock.is_none() {
        return fail(
            p,
            &[
                "code EUSAGE".into(),
                String::new(),
                "The `npm ci` command can only install with an existing package-lock.json or".into(),
                "npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or".into(),
                "later to generate a package-lock.json file, then try again.".into(),
                String::new(),
                "Clean install a project".into(),
                String::new(),
                "Usage:".into(),
                "npm ci".into(),
                String::new(),
                "Options:".into(),
                "[--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]".into(),
                "[--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]".into(),
                "[--include <prod|dev|optional|peer> [--include <prod|dev|optional|peer> ...]]".into(),
                "[--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]".into(),
                "[--no-bin-links] [--no-fund] [--dry-run]".into(),
                "[-w|--workspace <workspace-name> [-w|--workspace <workspace-name> ...]]".into(),
                "[-ws|--workspaces] [--include-workspace-root] [--install-links]".into(),
                String::new(),
                "aliases: clean-install, ic, install-clean, isntall-clean".into(),
                String::new(),
                "Run \"npm help ci\" for more info".into(),
            ],
            1,
        );
    }
    // `npm install NAME[@RANGE]` adds the package to package.json's dependencies, as `^VERSION`.
    if !names.is_empty() {
        let mut deps = get(&manifest, "dependencies");
        if !matches!(deps, Value::Obj(_)) {
            deps = Value::object(Vec::new());
            if let Value::Obj(o) = &manifest {
                o.borrow_mut().set_own("dependencies", deps.clone());
            }
        }
        for spec in &names {
            let (name, range) = match spec[1..].find('@') {
                Some(at) => (&spec[..=at], &spec[at + 2..]),
                None => (*spec, "latest"),
            };
            let version = resolve(name, range);
            let range = if range == "latest" { format!("^{version}") } else { range.to_string() };
            if let Value::Obj(o) = &deps {
                o.borrow_mut().set_own(name, Value::str(&range));
            }
        }
        let text = json_stringify(&manifest, "  ").unwrap_or_default() + "\n";
        if let Err(e) = std::fs::write(p.host("package.json"), text) {
            return fail(p, &[format!("code {:?}", e.kind()), e.to_string()], 1);
        }
    }
    let mut packages = dependencies(&manifest);
    if ci && let Some(lock) = &lock {
        // A clean install takes the versions the lock file pinned, and starts from an empty node_modules.
        for pkg in &mut packages {
            if let Value::Str(v) = get(&get(&get(lock, "packages"), &format!("node_modules/{}", pkg.name)), "version") {
                pkg.version = v.to_string();
            }
        }
        let _ = std::fs::remove_dir_all(p.host("node_modules"));
    }
    if omit_dev {
        packages.retain(|pkg| !pkg.dev);
    }
    let mut added = 0;
    for pkg in &packages {
        let dir = format!("node_modules/{}", pkg.name);
        let installed = p
            .read_all(&format!("{dir}/package.json"))
            .ok()
            .and_then(|b| parse_json(&String::from_utf8_lossy(&b)).ok())
            .is_some_and(|m| get(&m, "version").to_str() == pkg.version);
        if installed {
            continue;
        }
        std::thread::sleep(fetch_time(&pkg.name));
        if let Err(e) = write_package(p, pkg) {
            let path = p.logical(&dir);
            return fail(
                p,
                &[
                    format!("code {}", if e.kind() == std::io::ErrorKind::PermissionDenied { "EACCES" } else { "EIO" }),
                    format!("path {path}"),
                    format!("{e}"),
                ],
                1,
            );
        }
        added += 1;
    }
    let root_name = get(&manifest, "name");
    let root_name = match &root_name {
        Value::Str(s) => s.to_string(),
        _ => crate::basename(&p.cwd).to_string(),
    };
    let lock_text = lock_file(&manifest, &root_name, &packages);
    let _ = std::fs::write(p.host("package-lock.json"), &lock_text);
    if !packages.is_empty() {
        let _ =
            std::fs::write(p.host("node_modules/.package-lock.json"), hidden_lock(&root_name, &manifest, &packages));
    }
    // Even an install with nothing to do takes a moment: npm reads the tree and audits it.
    let floor = Duration::from_millis(120);
    if start.elapsed() < floor {
        std::thread::sleep(floor.saturating_sub(start.elapsed()));
    }
    let audited = packages.len() + 1;
    let noun = |n: usize| if n == 1 { "package" } else { "packages" };
    let took = human_time(start.elapsed());
    let head = if added == 0 {
        format!("up to date, audited {audited} {} in {took}", noun(audited))
    } else {
        format!("added {added} {}, and audited {audited} {} in {took}", noun(added), noun(audited))
    };
    p.outs(&format!("\n{head}\n\nfound 0 vulnerabilities\n"));
    0
}

/// Writes node_modules/NAME: a package.json with the resolved version, and an index.js that exports the package's
/// name and version (harmless, and enough for `require` to work).
fn write_package(p: &Proc, pkg: &Package) -> std::io::Result<()> {
    let dir = p.host(&format!("node_modules/{}", pkg.name));
    std::fs::create_dir_all(&dir)?;
    let manifest = format!(
        "{{\n  \"name\": {},\n  \"version\": {},\n  \"description\": \"A package from docklings' simulated npm registry\",\n  \"main\": \"index.js\",\n  \"license\": \"MIT\"\n}}\n",
        json_quote(&pkg.name),
        json_quote(&pkg.version)
    );
    std::fs::write(dir.join("package.json"), manifest)?;
    let index = format!(
        "// Made by docklings' simulated npm registry: a stand-in for {name}@{version}.\nmodule.exports = {{ name: {n}, version: {v}, simulated: true }};\n",
        name = pkg.name,
        version = pkg.version,
        n = json_quote(&pkg.name),
        v = json_quote(&pkg.version)
    );
    std::fs::write(dir.join("index.js"), index)
}

fn tarball(pkg: &Package) -> String {
    let base = pkg.name.rsplit('/').next().unwrap_or(&pkg.name);
    format!("https://registry.npmjs.org/{}/-/{base}-{}.tgz", pkg.name, pkg.version)
}

fn lock_entry(pkg: &Package) -> String {
    let mut s = format!(
        "    \"node_modules/{}\": {{\n      \"version\": {},\n      \"resolved\": {}",
        pkg.name,
        json_quote(&pkg.version),
        json_quote(&tarball(pkg))
    );
    if pkg.dev {
        s.push_str(",\n      \"dev\": true");
    }
    s.push_str(",\n      \"license\": \"MIT\"\n    }");
    s
}

fn deps_block(manifest: &Value, field: &str) -> Option<String> {
    let list = entries(&get(manifest, field));
    if list.is_empty() {
        return None;
    }
    let body: Vec<String> =
        list.iter().map(|(k, v)| format!("        {}: {}", json_quote(k), json_quote(&v.to_str()))).collect();
    Some(format!("      {}: {{\n{}\n      }}", json_quote(field), body.join(",\n")))
}

/// package-lock.json, lockfileVersion 3 as npm 7 and later write it.
fn lock_file(manifest: &Value, name: &str, packages: &[Package]) -> String {
    let version = get(manifest, "version");
    let mut root = vec![format!("      \"name\": {}", json_quote(name))];
    if let Value::Str(v) = &version {
        root.push(format!("      \"version\": {}", json_quote(v)));
    }
    root.extend(["dependencies", "devDependencies"].iter().filter_map(|f| deps_block(manifest, f)));
    let mut entries = vec![format!("    \"\": {{\n{}\n    }}", root.join(",\n"))];
    entries.extend(packages.iter().map(lock_entry));
    let mut head = format!("{{\n  \"name\": {},\n", json_quote(name));
    if let Value::Str(v) = &version {
        let _ = writeln!(head, "  \"version\": {},", json_quote(v));
    }
    format!(
        "{head}  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {{\n{}\n  }}\n}}\n",
        entries.join(",\n")
    )
}

/// node_modules/.package-lock.json: npm's record of what it installed there.
fn hidden_lock(name: &str, manifest: &Value, packages: &[Package]) -> String {
    let version = match get(manifest, "version") {
        Value::Str(v) => format!("  \"version\": {},\n", json_quote(&v)),
        _ => String::new(),
    };
    let entries: Vec<String> = packages.iter().map(lock_entry).collect();
    format!(
        "{{\n  \"name\": {},\n{version}  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {{\n{}\n  }}\n}}\n",
        json_quote(name),
        entries.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::{dependencies, human_time, resolve};
    use crate::node::parse_json;
    use std::time::Duration;

    #[test]
    fn resolves_ranges_to_their_lowest_version() {
        assert_eq!(resolve("express", "^4.18.2"), "4.18.2");
        assert_eq!(resolve("x", "~1.2"), "1.2.0");
        assert_eq!(resolve("x", ">=2.0.0 <3"), "2.0.0");
        assert_eq!(resolve("lodash", "latest"), resolve("lodash", "*"));
        assert_ne!(resolve("lodash", "latest"), resolve("chalk", "latest"));
    }

    #[test]
    fn reads_dependencies_then_dev_dependencies() {
        let m =
            parse_json(r#"{"dependencies":{"b":"^1.0.0","a":"2.1.3"},"devDependencies":{"jest":"^29.7.0"}}"#).unwrap();
        let deps = dependencies(&m);
        let names: Vec<(&str, &str, bool)> =
            deps.iter().map(|p| (p.name.as_str(), p.version.as_str(), p.dev)).collect();
        assert_eq!(names, [("b", "1.0.0", false), ("a", "2.1.3", false), ("jest", "29.7.0", true)]);
    }

    #[test]
    fn times_as_the_ms_package_prints_them() {
        assert_eq!(human_time(Duration::from_millis(523)), "523ms");
        assert_eq!(human_time(Duration::from_millis(1500)), "2s");
        assert_eq!(human_time(Duration::from_millis(1499)), "1s");
    }
}
