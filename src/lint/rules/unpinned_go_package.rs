//! DL3062: `go install`, `go get` or `go run` of a remote package without a pinned version.

use super::packages;
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`go install` of a package without a pinned version",
    what: "Finds `go install`, `go get` and `go run` of remote packages (`example.com/tool`, whose first path \
           element has a dot) without `@<version>`, or with a version that moves: `@latest`, `@upgrade`, \
           `@patch`, or a branch such as `@main`, `@master` or `@HEAD`. Packages of the current module and of \
           the standard library (`./cmd/app`, `.`, `std`, `cmd/go`), `.go` files and the arguments `go run` \
           passes to the program are fine, as are the values of build flags such as `-tags` (hadolint takes \
           some of these for packages).",
    why: "Without a version, Go fetches whatever the module's newest release is on the day of the build: two \
          builds of the same Dockerfile install different code, and a new release of a tool can break the \
          build, or bring in a compromised version, without any change on your side.",
    example: "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@latest\n",
    instead: "FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.16.2\n",
    fix: None,
};

/// The `go build` flags (shared by install, get and run) that take the next word as their value.
const VALUE_FLAGS: &[&str] = &[
    "-C",
    "-p",
    "-o",
    "-mod",
    "-modfile",
    "-overlay",
    "-pkgdir",
    "-tags",
    "-toolexec",
    "-ldflags",
    "-gcflags",
    "-asmflags",
    "-gccgoflags",
    "-buildmode",
    "-compiler",
    "-installsuffix",
    "-pgo",
    "-covermode",
    "-coverpkg",
    "-exec",
    "-reldir",
];

/// Versions that are not pins: module queries that move, and common branch names.
const MOVING: &[&str] = &["latest", "upgrade", "patch", "main", "master", "head"];

/// True when `spec` is pinned, or is not a remote package at all.
fn pinned(spec: &str) -> bool {
    let (path, version) = match spec.split_once('@') {
        Some((p, v)) => (p, Some(v)),
        None => (spec, None),
    };
    let first = path.split('/').next().unwrap_or("");
    let remote = first.contains('.') && !path.starts_with('.') && !packages::has_extension(path, "go");
    !remote || version.is_some_and(|v| !v.is_empty() && !MOVING.contains(&v.to_ascii_lowercase().as_str()))
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    let mut one = packages::OnePerInstruction::default();
    for site in packages::commands(ctx) {
        if !site.cmd.is("go") {
            continue;
        }
        let Some(sub) = site.cmd.words.get(1).map(|w| w.value.as_str()) else { continue };
        if !matches!(sub, "install" | "get" | "run") {
            continue;
        }
        let rest = &site.cmd.words[2..];
        // Go accepts `--flag` for `-flag`.
        let normal: Vec<crate::shell::Word> = rest
            .iter()
            .map(|w| {
                let mut w = w.clone();
                if w.value.starts_with("--") && w.value.len() > 2 {
                    w.value.remove(0);
                }
                w
            })
            .collect();
        let mut operands: Vec<_> =
            packages::operand_positions(&normal, VALUE_FLAGS).into_iter().map(|i| &rest[i]).collect();
        if sub == "run" {
            // `go run PKG args…`: only the first operand is a package.
            operands.truncate(1);
        }
        let found = packages::packages(ctx, &site, &operands);
        let unpinned = packages::unpinned(&found, pinned);
        if let Some(first) = unpinned.first() {
            let path = first.spec.split_once('@').map_or(first.spec.as_str(), |(p, _)| p);
            let help = format!("pin a release: `{path}@v<version>`");
            one.push(out, site.index, packages::unpinned_violation(&site, &format!("go {sub}"), &unpinned, help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn tells_pinned_go_packages() {
        assert!(pinned("golang.org/x/tools/gopls@v0.16.2"));
        assert!(pinned("github.com/a/b/...@v1.2.0"));
        assert!(pinned("github.com/a/b@4f53cda1"));
        assert!(!pinned("github.com/a/b"));
        assert!(!pinned("github.com/a/b@latest"));
        assert!(!pinned("github.com/a/b@master"));
        assert!(!pinned("github.com/a/b@"));
        for local in ["./cmd/app", ".", "./...", "std", "cmd/go", "main.go", "cmd/tool/main.go", "-"] {
            assert!(pinned(local), "{local}");
        }
    }
}
