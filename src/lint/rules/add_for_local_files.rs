//! DL3020: `ADD` of local files or folders, which `COPY` does more plainly.

use crate::dockerfile::{Args, Keyword};
use crate::lint::context::DockerfileContext;
use crate::lint::context::VarScope;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`ADD` of local files, where `COPY` is meant",
    what: "Finds `ADD` instructions with a source that is a local file or folder and not a tar archive. \
           Sources that are URLs (`https://…`), Git repositories (`git@…`, `git://…`) or archives that `ADD` \
           unpacks (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.tar.bz2`, `.tar.zst`, …) are what `ADD` is for. \
           `ARG` and `ENV` values are substituted first; a source this rule cannot know is left alone.",
    why: "`ADD` does more than copy: it downloads URLs, clones Git repositories and unpacks local archives. \
          For a plain file or folder it behaves like `COPY`, but a reader has to check which of its behaviours \
          applies, and renaming a file to end in `.tar` silently changes what the build does. `COPY` says \
          exactly what happens.",
    example: "FROM python:3.12-slim\nADD requirements.txt /app/\nADD src /app/src\n",
    instead: "FROM python:3.12-slim\nCOPY requirements.txt /app/\nCOPY src /app/src\n",
    fix: Some(
        "Changes `ADD` to `COPY` when every source is a local file or folder and no flag is one only `ADD` \
         has (`--checksum`, `--keep-git-dir`, `--unpack`).",
    ),
};

/// Flags that only `ADD` takes.
const ADD_ONLY_FLAGS: &[&str] = &["checksum", "keep-git-dir", "unpack"];

/// Suffixes of the archives `ADD` unpacks (it detects tar with gzip, bzip2, xz or zstd compression).
const ARCHIVES: &[&str] = &[
    ".tar", ".z", ".bz2", ".gz", ".lz", ".lzma", ".tz", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz",
    ".zst", ".tzst",
];

/// Sources `ADD` fetches rather than copies.
fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    ["http://", "https://", "git://", "git@", "ssh://"].iter().any(|p| lower.starts_with(p))
}

fn is_archive(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    ARCHIVES.iter().any(|a| lower.ends_with(a))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    VarScope::walk(ctx, |_, ins, scope| {
        if ins.kind != Keyword::Add {
            return;
        }
        let Args::Copy(copy) = &ins.args else { return };
        // The local sources, with their values once variables are substituted.
        let local: Vec<_> = copy
            .sources
            .iter()
            .filter_map(|w| scope.expand(&w.raw).map(|v| (w, v)))
            .filter(|(_, v)| !is_remote(v) && !is_archive(v))
            .collect();
        let Some((first, value)) = local.first() else { return };
        let shown = if first.value == *value { format!("`{value}`") } else { format!("`{}` (`{value}`)", first.value) };
        let mut v = Violation::new(ins.keyword.span, format!("`ADD` of {shown}, a local file or folder"))
            .label("`COPY` does this")
            .help("use `COPY`; keep `ADD` for URLs, Git repositories and archives to unpack");
        for (w, _) in &local {
            v = v.secondary(w.span, "local, not an archive");
        }
        let all_local = local.len() == copy.sources.len();
        if all_local && !ins.flags.iter().any(|f| ADD_ONLY_FLAGS.iter().any(|a| f.name.eq_ignore_ascii_case(a))) {
            let copy_kw = if ins.keyword.raw.chars().any(|c| c.is_ascii_uppercase()) { "COPY" } else { "copy" };
            v = v.fix(Fix::new(
                "Use `COPY`",
                Safety::Safe,
                vec![Edit { span: ins.keyword.span, replacement: copy_kw.to_string() }],
            ));
        }
        out.push(v);
    });
}

#[cfg(test)]
mod tests {
    use super::{is_archive, is_remote};

    #[test]
    fn sources() {
        assert!(is_remote("https://example.com/x.tar.gz") && is_remote("git@github.com:a/b.git"));
        assert!(!is_remote("src/") && !is_remote("./https"));
        assert!(is_archive("rootfs.tar.xz") && is_archive("a.TGZ") && is_archive("b.tar.zst"));
        assert!(!is_archive("app.jar") && !is_archive("a.zip"));
    }
}
