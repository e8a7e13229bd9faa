//! Bad input: nothing may panic, spans must stay inside the text, and time must grow linearly with size.
//!
//! `fuzz_parse_and_lint` runs 2,000 generated inputs by default; `.ci/run` runs it with
//! `PROPTEST_CASES=1000000` in release mode.

use docklings::dockerfile;
use docklings::lint::{self, Config, ScriptKind, Settings, Workspace};
use proptest::prelude::*;
use std::path::Path;

struct NoFiles;

impl Workspace for NoFiles {
    fn read(&self, _: &Path) -> Option<String> {
        None
    }
}

fn all_rules() -> Settings {
    let enabled = lint::RULES.iter().map(|r| r.code.to_string()).collect();
    Settings::new(&Config { enabled, ..Config::default() }, &[]).unwrap()
}

/// Parses and lints `src` as a Dockerfile and as every kind of script, checking every span.
fn check_everything(src: &str, settings: &Settings) {
    let parsed = dockerfile::parse(src);
    let in_bounds = |s: dockerfile::Span| {
        s.start <= s.end && s.end <= src.len() && src.is_char_boundary(s.start) && src.is_char_boundary(s.end)
    };
    for e in &parsed.errors {
        assert!(in_bounds(e.span), "parse error span {:?} out of bounds", e.span);
    }
    for ins in &parsed.dockerfile.instructions {
        assert!(in_bounds(ins.span), "instruction span {:?}", ins.span);
        assert!(in_bounds(ins.keyword.span), "keyword span {:?}", ins.keyword.span);
    }
    for d in lint::lint_dockerfile(src, settings, None) {
        assert!(in_bounds(d.span), "{} span {:?} out of bounds", d.code, d.span);
        for (s, _) in &d.secondary {
            assert!(in_bounds(*s), "{} secondary span {s:?}", d.code);
        }
    }
    for kind in [ScriptKind::Shell, ScriptKind::Makefile, ScriptKind::Workflow, ScriptKind::Markdown] {
        for d in lint::lint_script(src, kind, Path::new("x/run.sh"), settings, &NoFiles) {
            assert!(in_bounds(d.span), "{} span {:?} out of bounds in {kind:?}", d.code, d.span);
        }
    }
}

/// Pieces that Dockerfiles, shells and docker command lines are made of, to build inputs that reach deep.
const PIECES: &[&str] = &[
    "FROM ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "CMD ",
    "ENTRYPOINT ",
    "ONBUILD ",
    "HEALTHCHECK ",
    "SHELL ",
    "WORKDIR ",
    "USER ",
    "EXPOSE ",
    "VOLUME ",
    "STOPSIGNAL ",
    "MAINTAINER ",
    "AS ",
    "NONE",
    " CMD ",
    "\\\n",
    "`\n",
    "\n",
    "\r\n",
    " ",
    "\t",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "# hadolint ignore=DL3006\n",
    "<<EOF",
    "<<-'EOF'",
    "\nEOF\n",
    "\tEOF\n",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "{",
    "}",
    "$",
    "${A:-b}",
    "$(",
    ")",
    "=",
    "--mount=type=cache,target=/x ",
    "--from=0 ",
    "--platform=$P ",
    "&&",
    "||",
    "|",
    ";",
    ">",
    "2>&1",
    "apt-get install -y ",
    "pip install -r r.txt ",
    "npm install ",
    "docker run ",
    "docker build -t a . ",
    "-p 80:80 ",
    "-it ",
    "--rm ",
    "alpine:latest",
    "é",
    "\u{feff}",
    "\0",
    "sudo ",
    "cd ",
    "case x in a) ;; esac",
    "```sh\n",
    "```\n",
    "\t@",
    "run: |\n  ",
    "- run: ",
];

fn fragments() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat()),
        prop::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ".{0,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn fuzz_parse_and_lint(src in fragments()) {
        check_everything(&src, &all_rules());
    }
}

/// Inputs the random fuzzing once found to panic, checked on every run.
#[test]
fn inputs_that_once_panicked() {
    let settings = all_rules();
    // A comment, then continuation lines holding only blanks (CI, case 351,119 of a million).
    check_everything("# hadolint ignore=DL3006\n\\\n\\\n \\\n", &settings);
}

#[test]
fn empty_binary_and_non_utf8_files() {
    let settings = all_rules();
    check_everything("", &settings);
    let empty = lint::lint_dockerfile("", &settings, None);
    assert_eq!(empty.iter().map(|d| d.code).collect::<Vec<_>>(), ["DL1000"]);
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    check_everything(&String::from_utf8_lossy(&binary), &settings);
    // Latin-1 bytes in a comment: the file is read lossily and the rest still linted.
    let latin1 = b"# caf\xe9\nFROM debian\n";
    let text = String::from_utf8_lossy(latin1);
    let found = lint::lint_dockerfile(&text, &settings, None);
    assert!(found.iter().any(|d| d.code == "DL3006"), "{found:?}");
}

fn big_dockerfile(bytes: usize) -> String {
    let unit = "FROM debian:12 AS s\nRUN apt-get update && apt-get install -y curl \\\n    wget && rm -rf /var/lib/apt/lists/*\nCOPY . /src\nENV A=1 B=\"two words\"\nRUN <<EOF\nset -e\necho hi | wc -c\nEOF\n";
    unit.repeat(bytes / unit.len() + 1)
}

/// A measure of the time this thread has run: on Linux its CPU time in clock ticks (user and system, from
/// `/proc/thread-self/stat`), which the tests running alongside do not inflate as they do the wall clock; elsewhere
/// the wall clock in milliseconds. Only ratios of two readings mean anything.
fn thread_time() -> u64 {
    let cpu = std::fs::read_to_string("/proc/thread-self/stat").ok().and_then(|stat| {
        // Fields after the command name (which may hold spaces) in parentheses: state is field 3, utime 14.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    });
    cpu.unwrap_or_else(|| {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        u64::try_from(START.get_or_init(std::time::Instant::now).elapsed().as_millis()).unwrap_or(u64::MAX)
    })
}

#[test]
fn ten_megabytes_lint_in_linear_time() {
    let settings = all_rules();
    let time = |src: &str, runs: usize| {
        (0..runs)
            .map(|_| {
                let t = thread_time();
                let n = lint::lint_dockerfile(src, &settings, None).len();
                (thread_time() - t, n)
            })
            .min()
            .unwrap()
    };
    let small = big_dockerfile(512 << 10);
    let large = big_dockerfile(4 << 20);
    let (t1, n1) = time(&small, 3);
    let (t8, n8) = time(&large, 1);
    assert!(n8 >= n1 * 7, "findings should grow with the file: {n1} then {n8}");
    // Eight times the text may take eight times as long; a quadratic step would take sixty-four times.
    assert!(t1 > 0, "512 KB linted in under one clock tick: too little to compare");
    assert!(t8 < t1 * 24, "512 KB took {t1} units of thread time, 4 MB took {t8}: not linear");
    let one_line = format!("FROM alpine:3.20\nRUN {}\n", "x".repeat(10 << 20));
    check_everything(&one_line[..1 << 16], &settings);
    assert!(!lint::lint_dockerfile(&one_line, &settings, None).iter().any(|d| d.code == "DL1000"));
    let continued = format!("FROM alpine:3.20\nRUN {}true\n", "echo a \\\n".repeat(1 << 20));
    assert!(!lint::lint_dockerfile(&continued, &settings, None).iter().any(|d| d.code == "DL1000"));
}
