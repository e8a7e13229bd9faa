//! DL3010: a local tar archive copied with `COPY`, then unpacked by a RUN of the same stage.

use crate::dockerfile::{Args, Keyword, Span};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::SimpleCommand;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "A tar archive copied in, then unpacked by a RUN",
    what: "Finds a local tar archive (`.tar`, `.tar.gz`/`.tgz`, `.tar.bz2`/`.tbz2`, `.tar.xz`/`.txz`) copied \
           with `COPY` (not `COPY --from`) and then unpacked in the same stage by `tar -x`, or by `gunzip`, \
           `bunzip2`, `unxz` or a `…cat` piped into `tar`. The archive is matched by its file name. Unpacking \
           with `--strip-components` is fine, since `ADD` cannot do that; so are zip files and compressed files \
           that are not tar archives (hadolint reports those too, but `ADD` does not unpack them).",
    why: "`COPY` puts the archive itself in a layer, and deleting it in the later RUN does not shrink the image: \
          the layer that holds it is still there. `ADD` unpacks a local tar archive straight into the \
          destination folder in one step, so only the files end up in the image.",
    example: "FROM debian:12\nCOPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz\n",
    instead: "FROM debian:12\nADD vendor.tar.gz /opt/\n",
    fix: None,
};

/// The suffixes of the archives `ADD` unpacks: tar, plain or compressed with gzip, bzip2 or xz.
const TAR_SUFFIXES: &[&str] = &[".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz", ".txz"];

const DECOMPRESSORS: &[&str] = &["gunzip", "bunzip2", "unxz", "zcat", "gzcat", "bzcat", "xzcat"];

fn basename(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The file name when `path` names a tar archive `ADD` would unpack.
fn tar_archive(path: &str) -> Option<&str> {
    let name = basename(path);
    let lower = name.to_ascii_lowercase();
    (!path.contains('$') && TAR_SUFFIXES.iter().any(|s| lower.len() > s.len() && lower.ends_with(s))).then_some(name)
}

/// True when `cmd` is a `tar` that extracts (`-x`, a bundle holding `x`, `--extract`, `--get`, or the old
/// `tar xzf` form) without `--strip-components`.
fn tar_extracts(cmd: &SimpleCommand) -> bool {
    if !cmd.is("tar") {
        return false;
    }
    let args = cmd.args();
    let strips = args.iter().any(|w| w.value.starts_with("--strip"));
    let extracts = args.iter().enumerate().any(|(i, w)| {
        let v = w.value.as_str();
        if v == "--extract" || v == "--get" {
            return true;
        }
        match v.strip_prefix('-') {
            Some(bundle) => !bundle.starts_with('-') && bundle.contains('x'),
            // `tar xzf file`: the first word may be a bundle without its dash.
            None => i == 0 && v.contains('x') && v.chars().all(|c| c.is_ascii_alphabetic()),
        }
    });
    extracts && !strips
}

/// True when `cmd` unpacks its operands: an extracting `tar`, or a decompressor that feeds a pipe (into `tar`).
fn unpacks(cmd: &SimpleCommand) -> bool {
    tar_extracts(cmd) || (cmd.piped && cmd.program().is_some_and(|p| DECOMPRESSORS.contains(&p)))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        // The archives copied so far in the stage: file name and the span of the source that copied it.
        let mut archives: Vec<(String, Span)> = Vec::new();
        for (i, ins) in ctx.file.instructions.iter().enumerate().take(stage.end).skip(stage.from + 1) {
            match &ins.args {
                Args::Copy(copy) if ins.kind == Keyword::Copy && ins.flag("from").is_none() => {
                    let copied: Vec<_> =
                        copy.sources.iter().filter_map(|s| tar_archive(&s.value).map(|n| (n, s.span))).collect();
                    // `COPY app.tgz /tmp/vendor.tgz` renames the archive: the RUN then names the destination.
                    let renamed = copy.dest.as_ref().and_then(|d| tar_archive(&d.value));
                    match (renamed, copied.as_slice()) {
                        (Some(dest), [(_, span)]) => archives.push((dest.to_string(), *span)),
                        _ => archives.extend(copied.into_iter().map(|(n, s)| (n.to_string(), s))),
                    }
                }
                Args::Command(_) if ins.kind == Keyword::Run && !archives.is_empty() => {
                    for script in &ctx.scripts[i] {
                        for cmd in script.script.commands.iter().filter(|c| unpacks(c)) {
                            for word in cmd.args() {
                                let name = basename(word.value.strip_prefix("--file=").unwrap_or(&word.value));
                                let Some(k) = archives.iter().position(|(a, _)| a == name) else { continue };
                                let (archive, span) = archives.remove(k);
                                out.push(
                                    Violation::new(span, format!("`{archive}` is copied in, then unpacked by a RUN"))
                                        .label("the archive stays in this layer")
                                        .secondary(script.command_span(cmd), "unpacked here")
                                        .help(format!(
                                            "`ADD {archive} <folder>/` unpacks a local tar archive in one step, \
                                             without a copy of the archive in the image"
                                        )),
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_tar_archives() {
        assert_eq!(tar_archive("./dist/app.tar.gz"), Some("app.tar.gz"));
        assert_eq!(tar_archive("APP.TGZ"), Some("APP.TGZ"));
        assert_eq!(tar_archive("data.gz"), None);
        assert_eq!(tar_archive("site.zip"), None);
        assert_eq!(tar_archive("$NAME.tar"), None);
        assert_eq!(tar_archive(".tar"), None);
    }

    #[test]
    fn tells_extraction() {
        let first = |s: &str| crate::shell::parse(s).commands.remove(0);
        assert!(unpacks(&first("tar -xzf a.tgz")));
        assert!(unpacks(&first("tar xvf a.tar")));
        assert!(unpacks(&first("tar --extract --file=a.tar")));
        assert!(unpacks(&first("gunzip -c a.tar.gz | tar -x")));
        assert!(!unpacks(&first("tar -czf a.tgz dir")));
        assert!(!unpacks(&first("tar -xzf a.tgz --strip-components=1 -C /opt")));
        assert!(!unpacks(&first("gunzip a.tar.gz")));
    }
}
