//! DL3047: `wget` printing its progress into the build log.

use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::word_is_flag;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`wget` without a quiet or progress option",
    what: "Finds `wget` commands without one of `--progress=…`, `-q`/`--quiet`, `-nv`/`--no-verbose`, \
           `-o`/`--output-file` or `-a`/`--append-output` (short options also count inside a bundle such as \
           `-qO-`).",
    why: "Without a terminal, `wget` reports progress as a line of dots for every few kilobytes. A large \
          download writes thousands of lines into the build log, which buries the output that matters and can \
          hit the log size limit of CI systems and of BuildKit itself.",
    example: "FROM debian:12\nRUN wget https://example.com/tool.tar.gz\n",
    instead: "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/tool.tar.gz\n",
    fix: None,
};

const QUIET_LONG: &[&str] = &["--progress", "--quiet", "--no-verbose", "--output-file", "--append-output"];

/// The short options of `wget` that take a value: in a bundle, what follows one of them is its value.
const SHORT_WITH_VALUE: &str = "OiBtTwQPUelARDIXY";

/// True when a word quiets `wget`'s progress: a long option, `-nv`, or `-q`, `-o` or `-a` in a bundle
/// (`-qO-` is `-q -O -`).
fn quiets(word: &str) -> bool {
    if word == "-nv" || word_is_flag(word, QUIET_LONG) {
        return true;
    }
    let Some(bundle) = word.strip_prefix('-').filter(|b| !b.starts_with('-') && !b.starts_with('n')) else {
        return false;
    };
    for c in bundle.chars() {
        if matches!(c, 'q' | 'o' | 'a') {
            return true;
        }
        if SHORT_WITH_VALUE.contains(c) {
            break;
        }
    }
    false
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    // One finding per instruction, as hadolint counts them: on its first noisy `wget`, the others marked.
    let mut found: Option<(usize, Violation)> = None;
    for s in super::packages::commands(ctx) {
        if !s.cmd.is("wget") || s.cmd.args().iter().any(|w| quiets(&w.value)) {
            continue;
        }
        let span = s.script.word_span(&s.cmd.words[0]);
        match &mut found {
            Some((index, v)) if *index == s.index => {
                *v = v.clone().secondary(span, "here too");
            }
            _ => {
                out.extend(found.take().map(|(_, v)| v));
                let v = Violation::new(span, "`wget` writes its progress into the build log")
                    .label("no progress option")
                    .help("add `--progress=dot:giga`, or `-q` / `-nv` to keep only errors");
                found = Some((s.index, v));
            }
        }
    }
    out.extend(found.map(|(_, v)| v));
}

#[cfg(test)]
mod tests {
    use super::quiets;

    #[test]
    fn tells_quiet_options() {
        for w in ["-q", "-qO-", "-nv", "--quiet", "--progress=dot:giga", "--progress", "-o", "-a", "-cq"] {
            assert!(quiets(w), "{w}");
        }
        for w in ["-O", "-O-", "-Oq", "-nc", "--no-check-certificate", "-c", "https://q.example.com"] {
            assert!(!quiets(w), "{w}");
        }
    }
}
