//! DK3011 (BuildKit's CopyIgnoredFile): `COPY` or `ADD` of a path that `.dockerignore` leaves out of the build
//! context.

use crate::dockerfile::{Args, Keyword};
use crate::dockerignore::DockerIgnore;
use crate::lint::context::{DockerfileContext, VarScope};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`COPY` of a path that `.dockerignore` leaves out",
    what: "Reads the `.dockerignore` beside the Dockerfile and finds `COPY` and `ADD` sources from the build \
           context that it leaves out, or that sit in a folder it leaves out. Variables are expanded first; \
           sources with wildcards, URLs, other stages (`--from`) and variables of unknown value are not \
           checked. Like BuildKit's own build check of the same name, the rule stays quiet when the file \
           re-includes anything with `!`, since what a folder exclusion leaves in is then hard to tell.",
    why: "Docker sends the builder only what `.dockerignore` lets through, so such a `COPY` fails with a \
          \"not found\" error that says nothing about `.dockerignore`, and the cause is easy to miss: the two \
          files are usually written at different times, by different people.",
    example: "# .dockerignore holds: config/\nFROM nginx:1.27\nCOPY config/nginx.conf /etc/nginx/nginx.conf\n",
    instead: "# .dockerignore holds: config/local/\nFROM nginx:1.27\nCOPY config/nginx.conf /etc/nginx/nginx.conf\n",
    fix: None,
};

/// Like Go's `filepath.Clean` for a relative `/` path, without the leading `/`: `.` for the context root.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

/// The last line of the `.dockerignore` text that leaves `path` out, for the message.
fn culprit<'t>(text: &'t str, path: &str) -> Option<&'t str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .rfind(|l| DockerIgnore::parse(l).0.is_excluded(path))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let Some(text) = ctx.dockerignore else { return };
    let (ignore, _) = DockerIgnore::parse(text);
    let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    if ignore.is_empty() || lines().any(|l| l.starts_with('!')) {
        return;
    }
    // `COPY . .` copies whatever is left; only a file that leaves out everything makes it copy nothing.
    let root_ignored = lines().any(|l| matches!(l.trim_start_matches('/'), "*" | "**" | "**/*"));
    VarScope::walk(ctx, |_, ins, scope| {
        if !matches!(ins.kind, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
            return;
        }
        let Args::Copy(copy) = &ins.args else { return };
        for source in &copy.sources {
            let raw = source.raw.as_str();
            if raw.starts_with("<<") || raw.contains("://") || raw.starts_with("git@") {
                continue;
            }
            let Some(value) = scope.expand(raw) else { continue };
            if value.contains(['*', '?', '[']) {
                continue;
            }
            let path = clean(&value);
            let excluded = if path == "." { root_ignored } else { ignore.is_excluded(&path) };
            if !excluded {
                continue;
            }
            let keyword = ins.kind.as_str();
            let mut v = Violation::new(
                source.span,
                format!("`{keyword}` of `{value}`, which `.dockerignore` leaves out of the build context"),
            )
            .help("the build fails with \"not found\": stop copying it, or narrow the `.dockerignore` pattern");
            if let Some(line) = culprit(text, &path) {
                v = v.label(format!("left out by the `.dockerignore` line `{line}`"));
            } else {
                v = v.label("left out by `.dockerignore`");
            }
            out.push(v);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{clean, culprit};

    #[test]
    fn cleans_and_finds_the_pattern() {
        assert_eq!(clean("./config/"), "config");
        assert_eq!(clean("/"), ".");
        assert_eq!(clean("a/../b/./c"), "b/c");
        assert_eq!(culprit("# c\nnode_modules\nconfig/\n", "config/nginx.conf"), Some("config/"));
        assert_eq!(culprit("node_modules\n", "src/app.js"), None);
    }
}
