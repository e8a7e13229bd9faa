//! Parser conformance: BuildKit's own parses of its test files, and properties of the tree.

use docklings::dockerfile::{Args, Command, Healthcheck, Instruction, parse};
use std::fmt::Write as _;
use std::path::Path;

/// A string quoted as Go's `strconv.Quote` does, the form BuildKit's `.result` files use.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                write!(out, "\\x{:02x}", c as u32).unwrap();
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn command_args(c: &Command) -> Vec<String> {
    match c {
        Command::Exec { args, .. } => args.iter().map(|w| w.value.clone()).collect(),
        Command::Shell(t) if t.text.is_empty() => vec![],
        Command::Shell(t) => vec![t.text.clone()],
    }
}

/// One instruction in BuildKit's `Node.Dump` form.
fn dump(ins: &Instruction) -> String {
    let mut out = ins.keyword.raw.to_lowercase();
    if !ins.flags.is_empty() {
        let flags: Vec<String> = ins
            .flags
            .iter()
            .map(|f| {
                go_quote(&format!("--{}{}", f.name, f.value.as_ref().map(|v| format!("={v}")).unwrap_or_default()))
            })
            .collect();
        write!(out, " [{}]", flags.join(" ")).unwrap();
    }
    let args: Vec<String> = match &ins.args {
        Args::Onbuild(Some(inner)) => {
            write!(out, " ({})", dump(inner)).unwrap();
            vec![]
        }
        Args::From(_) | Args::List { .. } => {
            let words: Vec<String> = match &ins.args {
                Args::List { items, .. } => items
                    .iter()
                    .map(|w| {
                        if w.raw.starts_with('"') && matches!(&ins.args, Args::List { json: true, .. }) {
                            w.value.clone()
                        } else {
                            w.raw.clone()
                        }
                    })
                    .collect(),
                _ => ins.rest.text.split_whitespace().map(str::to_string).collect(),
            };
            words
        }
        Args::Command(c) => command_args(c),
        Args::Copy(c) => c
            .sources
            .iter()
            .chain(c.dest.iter())
            .map(|w| if c.json { w.value.clone() } else { w.raw.clone() })
            .collect(),
        Args::KeyValues(kvs) => kvs
            .iter()
            .flat_map(|kv| {
                [kv.key.raw.clone(), kv.value.raw.clone(), if kv.legacy { String::new() } else { "=".into() }]
            })
            .collect(),
        Args::Arg(decls) => decls
            .iter()
            .map(|d| match &d.default {
                Some(v) => format!("{}={}", d.name.raw, v.raw),
                None => d.name.raw.clone(),
            })
            .collect(),
        Args::Single(w) => w.iter().map(|w| w.raw.clone()).collect(),
        Args::Healthcheck(h) => match h {
            Healthcheck::Empty => vec![],
            Healthcheck::None => vec!["NONE".into()],
            Healthcheck::Cmd(c) => {
                std::iter::once(ins.rest.text.split_whitespace().next().unwrap_or("CMD").to_string())
                    .chain(c.iter().flat_map(command_args))
                    .collect()
            }
            Healthcheck::Other(t) => vec![t.raw.clone(), ins.rest.text[t.raw.len()..].trim_start().to_string()],
        },
        Args::Onbuild(None) | Args::None => vec![],
    };
    for a in args {
        write!(out, " {}", go_quote(&a)).unwrap();
    }
    out
}

#[test]
fn buildkit_parser_cases_match() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/buildkit-parser-cases");
    let mut cases = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "Dockerfile") {
            continue;
        }
        cases += 1;
        let src = std::fs::read_to_string(&path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("result")).unwrap();
        let parsed = parse(&src);
        let got = parsed.dockerfile.instructions.iter().fold(String::new(), |s, i| s + "(" + &dump(i) + ")\n");
        if got.trim_end() != expected.trim_end() {
            failures.push(format!(
                "{}:\n--- expected\n{}\n--- got\n{}",
                path.display(),
                expected.trim_end(),
                got.trim_end()
            ));
        }
    }
    assert_eq!(cases, 33, "expected the 33 BuildKit cases in {}", dir.display());
    assert!(failures.is_empty(), "{} of {cases} cases differ:\n{}", failures.len(), failures.join("\n\n"));
}
