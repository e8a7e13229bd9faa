//! The book's generated pages (src/book.rs) must be what is committed under book/src. Run with
//! `DOCKLINGS_UPDATE_BOOK=1` to rewrite them after changing a lesson or a rule.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use docklings::book;
use docklings::lesson::catalog;
use docklings::lint::registry::RULES;

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src")
}

/// The committed files under the generated folders, by path relative to book/src.
fn committed(src: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut dirs: Vec<PathBuf> = book::GENERATED_DIRS.iter().map(|d| src.join(d)).collect();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let text = fs::read_to_string(&path).unwrap_or_default();
                files.insert(path.strip_prefix(src).unwrap().to_path_buf(), text);
            }
        }
    }
    files
}

#[test]
fn book_is_current() {
    let src = book_src();
    let mut want: BTreeMap<PathBuf, String> = book::pages().expect("the generated pages").into_iter().collect();
    let summary_path = PathBuf::from("SUMMARY.md");
    let summary = fs::read_to_string(src.join(&summary_path)).expect("book/src/SUMMARY.md");
    want.insert(summary_path.clone(), book::splice_summary(&summary).expect("SUMMARY.md's generated part"));
    let mut have = committed(&src);
    have.insert(summary_path, summary);

    let stale: Vec<&PathBuf> =
        want.iter().filter(|(p, t)| have.get(*p).is_some_and(|h| h != *t)).map(|(p, _)| p).collect();
    let missing: Vec<&PathBuf> = want.keys().filter(|p| !have.contains_key(*p)).collect();
    let extra: Vec<&PathBuf> = have.keys().filter(|p| !want.contains_key(*p)).collect();
    if stale.is_empty() && missing.is_empty() && extra.is_empty() {
        return;
    }

    if std::env::var_os("DOCKLINGS_UPDATE_BOOK").is_some_and(|v| v == "1") {
        for path in stale.iter().chain(&missing) {
            let file = src.join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(&file, &want[*path]).unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
        }
        for path in &extra {
            fs::remove_file(src.join(path)).unwrap_or_else(|e| panic!("removing {}: {e}", path.display()));
        }
        eprintln!(
            "book: rewrote {} stale, wrote {} missing, removed {} extra pages",
            stale.len(),
            missing.len(),
            extra.len()
        );
        return;
    }

    let list = |paths: &[&PathBuf]| {
        let mut names: Vec<String> = paths.iter().take(20).map(|p| format!("book/src/{}", p.display())).collect();
        if paths.len() > 20 {
            names.push(format!("and {} more", paths.len() - 20));
        }
        format!("{} {}", paths.len(), if names.is_empty() { String::new() } else { format!("({})", names.join(", ")) })
    };
    panic!(
        "the book's generated pages differ from lessons/ and the rule registry.\n  stale: {}\n  missing: {}\n  extra: {}\n\
         Regenerate them with: DOCKLINGS_UPDATE_BOOK=1 cargo test --test it book_is_current",
        list(&stale),
        list(&missing),
        list(&extra)
    );
}

#[test]
fn every_rule_and_every_lesson_has_a_page_and_a_summary_entry() {
    let pages: BTreeMap<PathBuf, String> = book::pages().unwrap().into_iter().collect();
    let part = book::summary_part().unwrap();
    let index = &pages[Path::new("rules/index.md")];
    for rule in RULES {
        let page = &pages[&PathBuf::from(format!("rules/{}.md", rule.code))];
        assert!(page.starts_with(&format!("# {} {}", rule.code, rule.name)), "{page}");
        assert!(index.contains(&format!("| [{}]({}.md) | {} |", rule.code, rule.code, rule.name)), "{index}");
        assert!(part.contains(&format!("(rules/{}.md)", rule.code)), "{}", rule.code);
    }
    for lang in catalog::LANGUAGES {
        let loaded = catalog::built_in(lang);
        assert!(!loaded.lessons.is_empty());
        for entry in &loaded.lessons {
            let page = &pages[&Path::new("lessons").join(&entry.file)];
            assert!(part.contains(&format!("(lessons/{})", entry.file)), "{}", entry.file);
            assert!(page.starts_with(&format!("# {}\n", entry.lesson.title)), "{page}");
            for (n, step) in entry.lesson.steps.iter().enumerate() {
                let heading = format!("\n## {}. {}\n", n + 1, step.title);
                let start = page.find(&heading).unwrap_or_else(|| panic!("{}: no step {heading:?}", entry.file));
                let rest = &page[start + heading.len()..];
                let chunk = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
                for goal in &step.goals {
                    assert!(chunk.contains(&goal.goal.to_string()), "{}: no goal {}", entry.file, goal.goal);
                }
                // The solution is the step's last folded block, so it does not spoil the step.
                let folded = &chunk[chunk.rfind("<details>").expect("a folded solution")..];
                let folded = &folded[..folded.find("</details>").expect("the fold's end")];
                for command in &step.solution {
                    assert!(
                        folded.contains(command.as_str()),
                        "{}: {command} is not in the folded solution",
                        entry.file
                    );
                }
            }
        }
    }
}

#[test]
fn the_summary_keeps_what_is_written_by_hand() {
    let hand = format!(
        "# Summary\n\n[Introduction](introduction.md)\n\n{}\nold\n{}\n\n# Contributing\n",
        book::SUMMARY_BEGIN,
        book::SUMMARY_END
    );
    let spliced = book::splice_summary(&hand).unwrap();
    assert!(spliced.starts_with("# Summary\n\n[Introduction](introduction.md)\n\n"));
    assert!(spliced.ends_with("\n\n# Contributing\n"));
    assert!(!spliced.contains("\nold\n"));
    assert_eq!(book::splice_summary(&spliced).unwrap(), spliced, "splicing twice changes nothing");
    let err = book::splice_summary("# Summary\n").unwrap_err().to_string();
    assert!(err.contains("marker"), "{err}");
}

/// Every Markdown file under book/src, hand-written or generated.
fn book_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            book_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// mdBook does not check links between pages, so this does: a link to a page that is not there fails here.
#[test]
fn links_between_pages_resolve() {
    use pulldown_cmark::{Event, Parser, Tag};

    let src = book_src();
    let mut files = Vec::new();
    book_files(&src, &mut files);
    assert!(files.len() > 10, "{files:?}");
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        for event in Parser::new(&text) {
            let Event::Start(Tag::Link { dest_url, .. }) = event else { continue };
            if dest_url.contains("://") || dest_url.starts_with('#') || dest_url.starts_with("mailto:") {
                continue;
            }
            let target = dest_url.split('#').next().unwrap_or("");
            checked += 1;
            if !file.parent().unwrap().join(target).is_file() {
                broken.push(format!("{}: {dest_url}", file.strip_prefix(&src).unwrap().display()));
            }
        }
    }
    assert!(checked > 100, "only {checked} links found");
    assert!(broken.is_empty(), "links to pages that do not exist:\n{}", broken.join("\n"));
}
