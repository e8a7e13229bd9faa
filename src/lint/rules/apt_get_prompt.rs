//! DL3014: `apt-get install` without `-y`, so it stops to ask for confirmation.

use super::packages::{self, APT_TRUE};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Fix, Safety, Violation};
use crate::lint::fix::insert_after_word;
use crate::lint::registry::RuleDocs;
use crate::shell::{Joiner, word_is_flag};

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`apt-get install` without `-y`",
    what: "Finds `apt-get install` commands without `-y` (`--yes`, `--assume-yes`), quiet level 2 (`-qq`, which \
           implies it) or `-o APT::Get::Assume-Yes=true`. It is quiet when something is piped into the command \
           (`yes | apt-get install …`) or when an earlier `RUN` wrote `APT::Get::Assume-Yes \"true\";` into \
           apt's configuration.",
    why: "When apt-get has to install more than the packages named, or remove one, it asks `Do you want to \
          continue?`. A build has nobody to answer: the question reads end of input, apt-get aborts, and the \
          build fails, often only once a dependency changes.",
    example: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    instead: "FROM debian:12.7\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\\n && rm -rf /var/lib/apt/lists/*\n",
    fix: Some("Inserts `-y` after `install`."),
};

/// The quiet level the arguments set: each `q` of a short-flag bundle counts, `-q=N` and `--quiet=N` set it.
fn quiet_level(args: &[String]) -> usize {
    args.iter()
        .map(|v| {
            if let Some(n) = v.strip_prefix("--quiet=").or_else(|| v.strip_prefix("-q=")) {
                n.parse().unwrap_or(1)
            } else if v == "--quiet" {
                1
            } else if v.starts_with('-') && !v.starts_with("--") && v[1..].chars().all(|c| c.is_ascii_alphanumeric()) {
                v.matches('q').count()
            } else {
                0
            }
        })
        .sum()
}

fn assumes_yes(args: &[String]) -> bool {
    args.iter().any(|v| word_is_flag(v, &["-y", "--yes", "--assume-yes"]))
        || quiet_level(args) >= 2
        || packages::apt_option(args, "APT::Get::Assume-Yes")
            .is_some_and(|v| APT_TRUE.contains(&v.to_ascii_lowercase().as_str()))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for site in packages::commands(ctx) {
        let Some(install) = packages::apt_get_install(&site.cmd) else { continue };
        // A pipe into apt-get answers its question (`yes | apt-get install …`).
        if site.cmd.joiner == Joiner::Pipe || assumes_yes(&packages::arg_values(ctx, &site)) {
            continue;
        }
        let span = site.head_span(install);
        if packages::apt_config_written(ctx, site.index, span.start, "APT::Get::Assume-Yes", APT_TRUE) {
            continue;
        }
        let mut v = Violation::new(span, "`apt-get install` without `-y` stops at a question the build cannot answer")
            .label("may ask `Do you want to continue?`")
            .help("add `-y`: `apt-get install -y …`");
        if let Some(e) = insert_after_word(site.script, &site.cmd.words[install], "-y") {
            v = v.fix(Fix::new("Add `-y`", Safety::Safe, vec![e]));
        }
        out.push(v);
    }
}
