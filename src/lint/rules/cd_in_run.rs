//! DL3003: `cd` in a RUN to work in a directory that outlives the RUN, where `WORKDIR` says it once for all.

use crate::dockerfile::Keyword;
use crate::lint::context::{DockerfileContext, RunScript, ScriptOrigin};
use crate::lint::diagnostic::Violation;
use crate::lint::registry::RuleDocs;
use crate::shell::SimpleCommand;

pub static DOCS: RuleDocs = RuleDocs {
    summary: "`cd` in a RUN where `WORKDIR` would set the directory",
    what: "Finds `cd` commands in `RUN` instructions and heredoc scripts. It leaves alone a `cd` inside a \
           subshell `( … )` or a command substitution `$( … )`, a `cd` into a temporary directory (under \
           `/tmp`, or made by `mktemp`), a `cd` into a directory the same RUN deletes afterwards (the usual \
           download, build, install, clean-up step), and the `cd` that leaves such a directory again.",
    why: "Each RUN starts in the working directory set by `WORKDIR`; a `cd` lasts only until the end of its \
          RUN. Steps that share a directory through `cd` must each repeat it, a `RUN cd /app` on its own does \
          nothing at all, and a reader has to trace the `cd`s to know where a command runs. `WORKDIR` states \
          the directory once, creates it when missing, and holds for every later instruction.",
    example: "FROM node:18\nCOPY . /app\nRUN cd /app && npm ci\nRUN cd /app && npm run build\n",
    instead: "FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm run build\n",
    fix: None,
};

/// The text of a script, for the parts of the shell syntax `shell.rs` does not report (subshells).
fn script_text<'a>(ctx: &'a DockerfileContext, index: usize, script: &'a RunScript) -> Option<&'a str> {
    match &script.origin {
        ScriptOrigin::Text(t) => Some(&t.text),
        ScriptOrigin::At(base) => ctx.file.instructions[index]
            .effective()
            .heredocs
            .iter()
            .find(|h| h.content_start == *base)
            .map(|h| h.content.as_str()),
        ScriptOrigin::Words(_) => None,
    }
}

/// Byte ranges of the subshells `( … )` of a script, found by a small scan that skips quotes, comments and
/// `$( … )`, `${ … }`, `$(( … ))`.
fn subshells(text: &str) -> Vec<(usize, usize)> {
    let s = text.as_bytes();
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    let skip_balanced = |mut i: usize, o: u8, c: u8| {
        let mut depth = 0usize;
        while i < s.len() {
            if s[i] == o {
                depth += 1;
            } else if s[i] == c {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            i += 1;
        }
        s.len()
    };
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'\'' => i = text[i + 1..].find('\'').map_or(s.len(), |j| i + j + 2),
            b'"' => {
                i += 1;
                while i < s.len() && s[i] != b'"' {
                    i += if s[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'#' if i == 0 || s[i - 1].is_ascii_whitespace() || matches!(s[i - 1], b';' | b'&' | b'|' | b'(') => {
                i = text[i..].find('\n').map_or(s.len(), |j| i + j);
            }
            b'$' if matches!(s.get(i + 1), Some(b'(')) => i = skip_balanced(i + 1, b'(', b')'),
            b'$' if matches!(s.get(i + 1), Some(b'{')) => i = skip_balanced(i + 1, b'{', b'}'),
            b'(' => {
                open.push(i);
                i += 1;
            }
            b')' => {
                // A `)` with nothing open ends a `case` pattern.
                if let Some(start) = open.pop() {
                    out.push((start, i + 1));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// A path as components under a root: `/` (absolute), `~` (the home directory) or `.` (wherever the RUN
/// started, which this rule does not know).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Dir {
    root: &'static str,
    parts: Vec<String>,
}

impl Dir {
    fn start() -> Dir {
        Dir { root: ".", parts: Vec::new() }
    }

    /// `arg` resolved against `self`, as `cd` and `rm` would.
    fn join(&self, arg: &str) -> Dir {
        let (mut dir, rest) = if let Some(rest) = arg.strip_prefix('/') {
            (Dir { root: "/", parts: Vec::new() }, rest)
        } else if arg == "~" || arg.starts_with("~/") {
            (Dir { root: "~", parts: Vec::new() }, arg.get(2..).unwrap_or(""))
        } else {
            (self.clone(), arg)
        };
        for part in rest.split('/') {
            match part {
                "" | "." => {}
                ".." if dir.parts.last().is_some_and(|p| p != "..") => {
                    dir.parts.pop();
                }
                ".." if dir.root == "/" => {}
                _ => dir.parts.push(part.to_string()),
            }
        }
        dir
    }

    /// True when `self` is `other` or inside it.
    fn is_under(&self, other: &Dir) -> bool {
        self.root == other.root && self.parts.starts_with(&other.parts)
    }

    /// A directory that is scratch space by convention: under `/tmp` or `/var/tmp`, `$TMPDIR`, or made by `mktemp`.
    fn is_temporary(&self) -> bool {
        let first = self.parts.first().map(String::as_str);
        (self.root == "/" && (first == Some("tmp") || self.parts.starts_with(&["var".into(), "tmp".into()])))
            || self.parts.iter().any(|p| p.contains("mktemp") || p.starts_with("$TMPDIR") || p.starts_with("${TMPDIR"))
    }
}

/// A `cd` of a script with what the rule needs to judge it.
struct Cd<'a> {
    cmd: &'a SimpleCommand,
    /// The directory before and after the `cd`.
    from: Dir,
    to: Dir,
    /// `cd`, `cd -` and `cd ~`: going back rather than somewhere new.
    back: bool,
    /// Inside `( … )` or `$( … )`: the directory change ends there.
    contained: bool,
}

/// The first `cd` of a script that `WORKDIR` should replace.
fn first_persistent_cd<'a>(script: &'a RunScript, text: Option<&str>) -> Option<&'a SimpleCommand> {
    let subs = text.map(subshells).unwrap_or_default();
    let in_subshell = |c: &SimpleCommand| c.depth > 0 || subs.iter().any(|&(s, e)| s <= c.range.0 && c.range.0 < e);
    let mut cwd = Dir::start();
    let mut previous = Dir::start();
    let mut cds: Vec<Cd> = Vec::new();
    // Directories removed by `rm -r`, with the position of the removal.
    let mut removed: Vec<(usize, Dir)> = Vec::new();
    for c in &script.script.commands {
        let contained = in_subshell(c);
        if c.is("rm") && c.has_flag(&["-r", "-R", "--recursive"]) {
            removed.extend(c.operands(&[]).into_iter().map(|w| (c.range.0, cwd.join(&w.value))));
        }
        if c.name() != Some("cd") {
            continue;
        }
        let arg = c.operands(&[]).first().map(|w| w.value.as_str());
        let (to, back) = match arg {
            None | Some("~") => (Dir { root: "~", parts: Vec::new() }, true),
            Some("-") => (previous.clone(), true),
            Some(a) => (cwd.join(a), false),
        };
        cds.push(Cd { cmd: c, from: cwd.clone(), to: to.clone(), back, contained });
        if !contained {
            previous = std::mem::replace(&mut cwd, to);
        }
    }
    let scratch =
        |cd: &Cd| cd.to.is_temporary() || removed.iter().any(|(at, dir)| *at > cd.cmd.range.0 && cd.to.is_under(dir));
    let mut in_scratch = false;
    for cd in &cds {
        if cd.contained {
            continue;
        }
        let leaving = in_scratch && (cd.back || cd.from.is_under(&cd.to));
        let into_scratch = scratch(cd);
        if !leaving && !into_scratch {
            return Some(cd.cmd);
        }
        in_scratch = into_scratch;
    }
    None
}

pub fn check(ctx: &DockerfileContext, out: &mut Vec<Violation>) {
    for (i, scripts) in ctx.scripts.iter().enumerate() {
        if ctx.file.instructions[i].kind != Keyword::Run {
            continue;
        }
        let found = scripts.iter().find_map(|s| first_persistent_cd(s, script_text(ctx, i, s)).map(|c| (s, c)));
        let Some((script, cd)) = found else { continue };
        let target = cd.operands(&[]).first().map_or("", |w| w.value.as_str());
        let workdir = if target.starts_with('/') {
            format!("`WORKDIR {target}`")
        } else {
            "`WORKDIR` and an absolute path".to_string()
        };
        out.push(
            Violation::new(script.word_span(&cd.words[0]), "`cd` changes directory only until the end of this RUN")
                .label("use WORKDIR instead")
                .help(format!(
                    "set the directory once with {workdir}; for a one-off change, run the commands in a \
                     subshell: `(cd … && …)`"
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell;

    fn flagged(text: &str) -> Option<String> {
        let script = RunScript { script: shell::parse(text), origin: ScriptOrigin::At(0), heredoc: false };
        first_persistent_cd(&script, Some(text)).map(|c| text[c.range.0..c.range.1].to_string())
    }

    #[test]
    fn cd_that_persists_is_flagged() {
        assert_eq!(flagged("cd /app && npm ci").as_deref(), Some("cd /app"));
        assert_eq!(flagged("mkdir -p /usr/src; cd /usr/src; curl -O x").as_deref(), Some("cd /usr/src"));
        assert_eq!(flagged("cd /tmp/b && make && cd /app && make").as_deref(), Some("cd /app"));
    }

    #[test]
    fn scratch_directories_and_subshells_are_fine() {
        for s in [
            "(cd /src && make)",
            "x=\"$(cd \"$(dirname \"$0\")\" && pwd)\"",
            "cd /usr/src/python; ./configure; make install; cd /; rm -rf /usr/src/python",
            "git clone x /tmp/jo && cd /tmp/jo && make && cd /tmp && rm -rf ./jo",
            "tar xf a.tgz && cd a-1.0 && make install && cd .. && rm -rf a-1.0",
            "cd \"$(mktemp -d)\" && curl -O x",
            "cd \"$GOPATH/src/x\"; go build; cd -; rm -rf \"$GOPATH\"",
            "case $a in x) cd /tmp;; esac",
        ] {
            assert_eq!(flagged(s), None, "{s}");
        }
    }

    #[test]
    fn finds_subshells() {
        assert_eq!(subshells("a && (b; c) | d"), [(5, 11)]);
        assert_eq!(subshells("echo '(' \"(\" $(x) ${y} # (\n(z)"), [(27, 30)]);
    }
}
