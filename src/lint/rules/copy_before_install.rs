//! DK1001: the whole build context is copied before a RUN that installs dependencies, so every source change
//! invalidates the install step's cache.

use globset::Glob;

use crate::dockerfile::{Args, Instruction, Keyword, Span, Word};
use crate::lint::context::DockerfileContext;
use crate::lint::diagnostic::{Edit, Fix, Safety, Violation};
use crate::lint::fix::line_ending;
use crate::lint::registry::RuleDocs;
use crate::shell::SimpleCommand;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "The whole build context is copied before dependencies are installed",
    what: "Finds a `COPY .` (or `ADD .`, `COPY ./`, `COPY *`) that comes before a `RUN` installing dependencies \
           in the same stage: `npm install`/`ci`, `yarn`, `pnpm install`, `pip install -r`, `pipenv`, `poetry install`, \
           `uv sync`, `bundle install`, `go mod download`, `composer install`, `mvn dependency:…`, \
           `gradle dependencies`, `cargo fetch`, `mix deps.get`, `dotnet restore`. It is quiet when the \
           dependency manifest (`package.json`, `requirements.txt`, `go.mod`, …) was copied on its own first.",
    why: "Each instruction is a layer, and the build cache reuses a layer only while everything before it is \
          unchanged. A `COPY .` changes whenever any source file changes, so the install after it reruns on \
          every edit, downloading the same dependencies again. Copying only the manifest first lets the install \
          layer stay cached until the dependencies themselves change.",
    example: "FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"node\", \"app.js\"]\n",
    instead: "FROM node:18\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm install\nCOPY . .\nCMD [\"node\", \"app.js\"]\n",
    fix: Some(
        "Inserts a `COPY` of the manifests that exist in the build context (lock files included) before the \
         install, and moves the whole-context copy after it.",
    ),
};

/// A dependency ecosystem: the files that describe its dependencies and how to tell its install commands.
struct Ecosystem {
    name: &'static str,
    manifests: &'static [&'static str],
    installs: fn(&SimpleCommand) -> bool,
}

fn no_operands(c: &SimpleCommand, skip: usize) -> bool {
    c.operands(&[]).len() <= skip
}

fn sub(c: &SimpleCommand) -> Option<&str> {
    c.operands(&[]).first().map(|w| w.value.as_str())
}

const ECOSYSTEMS: &[Ecosystem] = &[
    Ecosystem {
        name: "npm",
        manifests: &[
            "package.json",
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lockb",
            "bun.lock",
            ".npmrc",
            ".yarnrc.yml",
        ],
        installs: |c| match c.program() {
            Some("npm") => matches!(sub(c), Some("install" | "i" | "ci" | "clean-install")) && no_operands(c, 1),
            Some("yarn") => matches!(sub(c), None | Some("install")) && no_operands(c, 1),
            Some("pnpm" | "bun") => matches!(sub(c), Some("install" | "i")) && no_operands(c, 1),
            _ => false,
        },
    },
    Ecosystem {
        name: "Python",
        manifests: &[
            "requirements.txt",
            "requirements*.txt",
            "*requirements.txt",
            "pyproject.toml",
            "setup.py",
            "setup.cfg",
            "Pipfile",
            "Pipfile.lock",
            "poetry.lock",
            "uv.lock",
        ],
        installs: |c| {
            let pip_r = c.has_flag(&["-r", "--requirement"]);
            match c.program() {
                Some(p) if p.starts_with("pip") => sub(c) == Some("install") && pip_r,
                Some(p) if p.starts_with("python") => {
                    let words: Vec<&str> = c.args().iter().map(|w| w.value.as_str()).collect();
                    words.windows(3).any(|w| w == ["-m", "pip", "install"]) && pip_r
                }
                Some("pipenv") => matches!(sub(c), Some("install" | "sync")),
                Some("poetry") => sub(c) == Some("install"),
                Some("uv") => {
                    let ops: Vec<&str> = c.operands(&[]).iter().map(|w| w.value.as_str()).collect();
                    ops.first() == Some(&"sync")
                        || (ops.starts_with(&["pip", "install"]) && pip_r)
                        || ops.starts_with(&["pip", "sync"])
                }
                _ => false,
            }
        },
    },
    Ecosystem {
        name: "Bundler",
        manifests: &["Gemfile", "Gemfile.lock", "*.gemspec"],
        installs: |c| c.is("bundle") && matches!(sub(c), None | Some("install")),
    },
    Ecosystem {
        name: "Go",
        manifests: &["go.mod", "go.sum"],
        installs: |c| {
            let ops: Vec<&str> = c.operands(&[]).iter().map(|w| w.value.as_str()).collect();
            c.is("go") && ops.starts_with(&["mod", "download"])
        },
    },
    Ecosystem {
        name: "Composer",
        manifests: &["composer.json", "composer.lock"],
        installs: |c| matches!(c.program(), Some("composer" | "composer.phar")) && sub(c) == Some("install"),
    },
    Ecosystem {
        name: "Maven",
        manifests: &["pom.xml", ".mvn", "mvnw"],
        installs: |c| {
            matches!(c.program(), Some("mvn" | "mvnw"))
                && c.operands(&["-f", "--file", "-s", "--settings"]).iter().any(|w| w.value.starts_with("dependency:"))
        },
    },
    Ecosystem {
        name: "Gradle",
        manifests: &[
            "build.gradle",
            "build.gradle.kts",
            "settings.gradle",
            "settings.gradle.kts",
            "gradle.properties",
            "gradle",
            "gradlew",
        ],
        installs: |c| {
            matches!(c.program(), Some("gradle" | "gradlew"))
                && c.operands(&[]).iter().any(|w| w.value == "dependencies")
        },
    },
    Ecosystem {
        name: "Cargo",
        manifests: &["Cargo.toml", "Cargo.lock"],
        installs: |c| c.is("cargo") && sub(c) == Some("fetch"),
    },
    Ecosystem {
        name: "Mix",
        manifests: &["mix.exs", "mix.lock"],
        installs: |c| c.is("mix") && sub(c) == Some("deps.get"),
    },
    Ecosystem {
        name: ".NET",
        manifests: &[
            "*.csproj",
            "*.fsproj",
            "*.vbproj",
            "*.sln",
            "NuGet.config",
            "nuget.config",
            "packages.config",
            "Directory.Packages.props",
        ],
        installs: |c| c.is("dotnet") && sub(c) == Some("restore"),
    },
];

/// True when a source of COPY/ADD stands for the whole build context.
fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "/" | "*" | "./*" | "./.")
}

/// True when a COPY source names one of the ecosystem's manifests (directly or by a pattern).
fn names_manifest(source: &str, eco: &Ecosystem) -> bool {
    let base = source.trim_end_matches('/').rsplit('/').next().unwrap_or(source);
    eco.manifests.iter().any(|m| {
        let source_matches_manifest = Glob::new(base).is_ok_and(|g| g.compile_matcher().is_match(m.replace('*', "x")));
        let manifest_matches_source = Glob::new(m).is_ok_and(|g| g.compile_matcher().is_match(base));
        source_matches_manifest || manifest_matches_source
    })
}

/// The context sources of a COPY/ADD (not `--from` another stage or image).
fn context_sources(ins: &Instruction) -> Option<&[Word]> {
    if !matches!(ins.kind, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
        return None;
    }
    match &ins.args {
        Args::Copy(c) => Some(&c.sources),
        _ => None,
    }
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for stage in &ctx.stages {
        let range = stage.from..stage.end;
        for c in range.clone() {
            let ins = &ctx.file.instructions[c];
            let Some(sources) = context_sources(ins) else { continue };
            let Some(whole) = sources.iter().find(|w| is_whole_context(&w.value)) else { continue };
            let copied_before: Vec<&Word> = ctx.file.instructions[stage.from..c]
                .iter()
                .filter_map(context_sources)
                .flatten()
                .filter(|w| !is_whole_context(&w.value))
                .collect();
            let install = (c + 1..range.end).find_map(|r| {
                ctx.scripts[r].iter().find_map(|script| {
                    script.script.commands.iter().find_map(|cmd| {
                        ECOSYSTEMS
                            .iter()
                            .find(|eco| {
                                (eco.installs)(cmd) && !copied_before.iter().any(|w| names_manifest(&w.value, eco))
                            })
                            .map(|eco| (eco, script.command_span(cmd), r))
                    })
                })
            });
            let Some((eco, install_span, run)) = install else { continue };
            let manifest = eco.manifests[0];
            let mut violation = Violation::new(
                whole.span,
                format!(
                    "`{} {}` copies the whole build context before {} dependencies are installed",
                    ins.keyword.raw, whole.raw, eco.name
                ),
            )
            .label("every source change invalidates the cache from here")
            .secondary(install_span, "so this install reruns on every change")
            .help(format!(
                "copy only the dependency manifest first (e.g. `COPY {manifest} ./`), install, then `COPY . .`"
            ));
            if let Some(f) = fix(ctx, ins, &ctx.file.instructions[run], eco) {
                violation = violation.fix(f);
            }
            out.push(violation);
        }
    }
}

/// A file name that can stand in a shell-form `COPY` as it is.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-+@".contains(c))
}

/// The fix: the whole-context copy becomes a copy of the ecosystem's manifests that the build context holds (to
/// the same folder), and the whole-context copy moves after the install. `None` when the context's files are
/// unknown or hold none of the manifests. Unsafe: instructions between the two may need the other files, and
/// so may the install itself (a `postinstall` script, `pip install -e .`).
fn fix(ctx: &DockerfileContext, copy: &Instruction, install: &Instruction, eco: &Ecosystem) -> Option<Fix> {
    let files = ctx.context_files?;
    let Args::Copy(args) = &copy.args else { return None };
    let ([whole], Some(dest)) = (args.sources.as_slice(), &args.dest) else { return None };
    if args.json || !copy.heredocs.is_empty() {
        return None;
    }
    let mut manifests: Vec<(usize, &str)> = files
        .iter()
        .filter(|f| plain_name(f))
        .filter_map(|f| {
            let rank =
                eco.manifests.iter().position(|m| Glob::new(m).is_ok_and(|g| g.compile_matcher().is_match(f)))?;
            Some((rank, f.as_str()))
        })
        .collect();
    if manifests.is_empty() {
        return None;
    }
    manifests.sort_unstable();
    let names: Vec<&str> = manifests.into_iter().map(|(_, f)| f).collect();
    // Several sources need a folder as destination; a `/` makes a single file land inside it too.
    let dest_dir = if dest.raw.ends_with('/') { dest.raw.clone() } else { format!("{}/", dest.raw) };
    let moved = format!("{}{}", line_ending(ctx.src), ctx.text(copy.span));
    Some(Fix::new(
        format!("Copy {} before the install and the rest after it", names.join(", ")),
        Safety::Unsafe,
        vec![
            Edit { span: whole.span.cover(dest.span), replacement: format!("{} {dest_dir}", names.join(" ")) },
            Edit { span: Span::new(install.span.end, install.span.end), replacement: moved },
        ],
    ))
}
