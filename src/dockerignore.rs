//! `.dockerignore`: which files of a build context Docker leaves out. Patterns follow Docker's rules (Go's
//! `filepath.Match` plus `**`, anchored at the context root, `!` re-includes, the last matching line wins, and a
//! pattern that matches a folder leaves out everything in it). Pure: the caller reads the file.

use globset::{GlobBuilder, GlobMatcher};

struct Pattern {
    matcher: GlobMatcher,
    exclude: bool,
}

/// The patterns of one `.dockerignore` file.
#[derive(Default)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

impl DockerIgnore {
    /// Reads `.dockerignore` text; lines that are not valid patterns are skipped, as Docker would reject the
    /// build instead (`errors` lists them so callers can say so).
    #[must_use]
    pub fn parse(text: &str) -> (DockerIgnore, Vec<String>) {
        let mut patterns = Vec::new();
        let mut errors = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exclude, pattern) = match line.strip_prefix('!') {
                Some(p) => (false, p.trim()),
                None => (true, line),
            };
            let cleaned = clean(pattern);
            if cleaned.is_empty() {
                continue;
            }
            match GlobBuilder::new(&cleaned).literal_separator(true).backslash_escape(true).build() {
                Ok(g) => patterns.push(Pattern { matcher: g.compile_matcher(), exclude }),
                Err(e) => errors.push(format!("{line}: {e}")),
            }
        }
        (DockerIgnore { patterns }, errors)
    }

    /// True when the file or folder at `path` (relative to the context root, `/`-separated) is left out.
    #[must_use]
    pub fn is_excluded(&self, path: &str) -> bool {
        let path = clean(path);
        let mut excluded = false;
        for p in &self.patterns {
            // A pattern matches the path itself or any folder above it.
            let hit = p.matcher.is_match(&path) || path.match_indices('/').any(|(i, _)| p.matcher.is_match(&path[..i]));
            if hit {
                excluded = p.exclude;
            }
        }
        excluded
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// Like Go's `filepath.Clean` for relative `/` paths, with the leading `/` Docker ignores removed.
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
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_dockers_rules() {
        let (ig, errors) =
            DockerIgnore::parse("# comment\nnode_modules\n*.md\n!README.md\n/build/\n**/*.log\ndocs/**\n");
        assert!(errors.is_empty());
        assert!(ig.is_excluded("node_modules"));
        assert!(ig.is_excluded("node_modules/x/index.js"));
        assert!(ig.is_excluded("CHANGES.md"));
        assert!(!ig.is_excluded("README.md"));
        assert!(!ig.is_excluded("sub/CHANGES.md"), "patterns are anchored at the root");
        assert!(ig.is_excluded("build/out.bin"));
        assert!(ig.is_excluded("a/b/c.log") && ig.is_excluded("top.log"));
        assert!(ig.is_excluded("docs/x/y.txt"));
        assert!(!ig.is_excluded("src/main.rs"));
    }

    #[test]
    fn later_lines_win() {
        let (ig, _) = DockerIgnore::parse("*\n!src\nsrc/secret.txt\n");
        assert!(ig.is_excluded("Dockerfile"));
        assert!(!ig.is_excluded("src/app.js"));
        assert!(ig.is_excluded("src/secret.txt"));
    }
}
