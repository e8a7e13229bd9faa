//! Parser and linter throughput. `cargo bench --bench parser`.
//!
//! Inputs: BuildKit's parser cases (always present) and, when `../shared/corpus/dockerfiles` is beside the
//! checkout, the 418-file corpus; plus generated files of 100 KB, 1 MB and 10 MB to show time grows linearly.

use std::path::Path;

use divan::{Bencher, black_box, counter::BytesCount};
use docklings::dockerfile;
use docklings::lint::{self, Config, Settings};

fn main() {
    divan::main();
}

fn read_dir(dir: &Path, ext: Option<&str>) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| ext.is_none_or(|x| p.extension().is_some_and(|e| e == x)))
        .collect();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).map(|b| String::from_utf8_lossy(&b).into_owned()).collect()
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = read_dir(&root.join("../shared/corpus/dockerfiles"), None);
    if shared.is_empty() {
        read_dir(&root.join("tests/fixtures/buildkit-parser-cases"), Some("Dockerfile"))
    } else {
        shared
    }
}

fn generated(bytes: usize) -> String {
    let unit = "FROM debian:12 AS s\nRUN apt-get update && apt-get install -y curl \\\n    wget && rm -rf /var/lib/apt/lists/*\nCOPY . /src\nENV A=1 B=\"two words\"\nRUN <<EOF\nset -e\necho hi | wc -c\nEOF\n";
    unit.repeat(bytes / unit.len() + 1)
}

#[divan::bench]
fn parse_corpus(b: Bencher) {
    let files = corpus();
    let bytes: usize = files.iter().map(String::len).sum();
    b.counter(BytesCount::new(bytes)).bench(|| {
        for f in &files {
            black_box(dockerfile::parse(black_box(f)));
        }
    });
}

#[divan::bench]
fn lint_corpus(b: Bencher) {
    let files = corpus();
    let settings = Settings::new(&Config::default(), &[]).unwrap();
    let bytes: usize = files.iter().map(String::len).sum();
    b.counter(BytesCount::new(bytes)).bench(|| {
        for f in &files {
            black_box(lint::lint_dockerfile(black_box(f), &settings, None));
        }
    });
}

#[divan::bench(args = [100_000, 1_000_000, 10_000_000], sample_count = 10)]
fn parse_generated(b: Bencher, size: usize) {
    let src = generated(size);
    b.counter(BytesCount::new(src.len())).bench(|| black_box(dockerfile::parse(black_box(&src))));
}
