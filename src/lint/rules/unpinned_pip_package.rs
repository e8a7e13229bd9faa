//! DL3013: `pip install` of a package without a version.

use super::packages::{self, PIP_VALUE_FLAGS};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::word_is_flag;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`pip install` of a package without a pinned version",
    what: "Finds packages named to `pip install` (also `pip3`, `python -m pip`, `pipx` and `pipenv`) without a \
           version specifier such as `==`, `>=`, `~=` or `<`. It is quiet for installs from a requirements \
           file (`-r`), with a constraints file (`-c`), of the current project (`.`), of a path, a wheel or \
           an archive, and of a version-control URL that names a revision (`git+https://…@v1.2`).",
    why: "Without a version, each build installs the newest release on the index that day: builds stop being \
          repeatable, and a new release can break the image with no change to the Dockerfile.",
    example: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n",
    instead: "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n",
    fix: None,
};

const VCS: &[&str] = &["git+", "git:", "hg+", "svn+", "svn:", "bzr+"];
const ARCHIVES: &[&str] = &[".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip"];
const SPECIFIERS: &[&str] = &["==", ">=", "<=", ">", "<", "!=", "~=", "==="];

fn pinned(spec: &str) -> bool {
    let vcs = VCS.iter().any(|p| spec.starts_with(p));
    SPECIFIERS.iter().any(|s| spec.contains(s))
        || ARCHIVES.iter().any(|a| spec.ends_with(a))
        || (vcs && spec.contains('@'))
        || (!vcs && spec.contains('/'))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        let Some(start) = packages::pip_install(&site.cmd) else { continue };
        let rest = &site.cmd.words[start..];
        // Requirements and constraints files pin versions themselves; `.` is the project being built.
        let from_files = rest.iter().any(|w| {
            let v = w.value.as_str();
            v == "." || word_is_flag(v, &["-r", "--requirement", "-c", "--constraint"]) || v.starts_with("-r")
        });
        if from_files {
            continue;
        }
        let words: Vec<_> = packages::operand_positions(rest, PIP_VALUE_FLAGS).into_iter().map(|i| &rest[i]).collect();
        let found = packages::packages(ctx, &site, &words);
        let unpinned = packages::unpinned(&found, pinned);
        if let Some(first) = unpinned.first() {
            let help = if VCS.iter().any(|p| first.spec.starts_with(p)) {
                format!("name a tag or commit: `{}@<ref>`", first.spec.split('#').next().unwrap_or_default())
            } else {
                format!(
                    "pin it: `{}==<version>`, or install from a requirements file with pinned versions (`-r`)",
                    first.spec
                )
            };
            one.push(out, site.index, packages::unpinned_violation(&site, "pip install", &unpinned, help));
        }
    }
}
