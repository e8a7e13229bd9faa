//! What the package-manager rules (DL3008 to DL3042) share: reading `apt-get`, `apk`, `pip` and `npm` command
//! lines, finding the packages a shell variable stands for, and telling when a RUN keeps a cache or a list of
//! packages out of the image (a cache mount, or removing the folder in the same layer).

use std::borrow::Cow;

use crate::dockerfile::{Args, Instruction, Keyword, Span};
use crate::lint::context::{DockerfileContext, RunScript};
use crate::lint::diagnostic::Violation;
use crate::shell::{SimpleCommand, Word};

/// A command of a RUN: its instruction, the script it was read from and the command.
#[derive(Clone)]
pub struct Site<'a> {
    pub index: usize,
    pub script: &'a RunScript,
    pub cmd: Cow<'a, SimpleCommand>,
}

impl Site<'_> {
    /// From the program to word `last` of the command: `apt-get install`, not the package list after it.
    #[must_use]
    pub fn head_span(&self, last: usize) -> Span {
        let words = &self.cmd.words;
        let (Some(first), Some(last)) = (words.first(), words.get(last)) else {
            return self.script.command_span(&self.cmd);
        };
        self.script.span((first.range.0, last.range.1))
    }

    /// The RUN instruction itself (the inner one for `ONBUILD RUN`).
    #[must_use]
    pub fn instruction<'c>(&self, ctx: &'c DockerfileContext) -> &'c Instruction {
        ctx.file.instructions[self.index].effective()
    }
}

/// Keeps one finding per instruction, as hadolint counts them (so counts and its ignore comments line up): a
/// later finding in the same `RUN` is marked on the first one as "here too". The first one's fix stays; `--fix`
/// reaches the others in its next round.
#[derive(Default)]
pub struct OnePerInstruction {
    /// The instruction of the last finding kept, and where that finding is in `out`.
    last: Option<(usize, usize)>,
}

impl OnePerInstruction {
    pub fn push(&mut self, out: &mut Vec<Violation>, index: usize, v: Violation) {
        if let Some((i, at)) = self.last
            && i == index
            && let Some(first) = out.get_mut(at)
        {
            *first = first.clone().secondary(v.span, "here too");
            return;
        }
        self.last = Some((index, out.len()));
        out.push(v);
    }
}

/// Every command of every RUN, heredoc body and `ONBUILD RUN`, in file order.
pub fn commands<'a>(ctx: &'a DockerfileContext) -> impl Iterator<Item = Site<'a>> + 'a {
    ctx.run_scripts().flat_map(|(index, script)| {
        script.script.commands.iter().map(move |cmd| Site { index, script, cmd: normalized(cmd) })
    })
}

/// The command with leading `NAME=value` words moved to its assignments. `shell::parse` takes an assignment
/// whose value is quoted (`DEBIAN_FRONTEND="noninteractive" apt-get …`, `deps='a b'`) for the program.
#[must_use]
pub fn normalized(cmd: &SimpleCommand) -> Cow<'_, SimpleCommand> {
    let leading = cmd.words.iter().take_while(|w| is_assignment(&w.value)).count();
    if leading == 0 {
        return Cow::Borrowed(cmd);
    }
    let mut c = cmd.clone();
    let rest = c.words.split_off(leading);
    c.assignments.extend(std::mem::replace(&mut c.words, rest));
    Cow::Owned(c)
}

fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else { return false };
    let name = name.strip_suffix('+').unwrap_or(name);
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Positions in `words` of the words that are not flags, skipping the value after each flag of `with_value`
/// (a value joined by `=` is part of its flag's word). Every word after `--` is an operand.
#[must_use]
pub fn operand_positions(words: &[Word], with_value: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut skip = false;
    let mut after_dashdash = false;
    for (i, w) in words.iter().enumerate() {
        let v = w.value.as_str();
        if skip {
            skip = false;
        } else if after_dashdash || !v.starts_with('-') || v == "-" {
            out.push(i);
        } else if v == "--" {
            after_dashdash = true;
        } else if with_value.contains(&v) {
            skip = true;
        }
    }
    out
}

/// The position in `cmd.words` of the command's subcommand (its first operand) when that is one of `names`:
/// `install` in `apt-get -q install curl`.
#[must_use]
pub fn subcommand(cmd: &SimpleCommand, with_value: &[&str], names: &[&str]) -> Option<usize> {
    let first = *operand_positions(cmd.args(), with_value).first()?;
    names.contains(&cmd.args()[first].value.as_str()).then_some(first + 1)
}

/// A package named on a command line: the word as written, and the package text it stands for (the word
/// itself, or one word of the value of the variable the word names).
pub struct Package<'a> {
    pub word: &'a Word,
    pub spec: String,
    /// The variable the word names, when the spec comes from its value.
    pub variable: Option<String>,
    /// True when the end of the spec is an expansion whose value is unknown, so a version may hide in it.
    pub open: bool,
}

impl Package<'_> {
    /// The spec as the messages show it.
    #[must_use]
    pub fn shown(&self) -> String {
        match &self.variable {
            Some(v) => format!("`{}` (from `${v}`)", self.spec),
            None => format!("`{}`", self.spec),
        }
    }
}

/// The packages that `words` name. A word that is only a variable (`$deps`, `"${PKGS}"`) stands for the words
/// of its value when an assignment earlier in the script, an `ENV` or an `ARG` default gives it; a variable
/// whose value cannot be known becomes one `open` package, since it may hold pinned specs.
#[must_use]
pub fn packages<'a>(ctx: &DockerfileContext, site: &Site, words: &[&'a Word]) -> Vec<Package<'a>> {
    let mut out = Vec::new();
    for &word in words {
        if let Some(name) = sole_variable(&word.value) {
            match variable(ctx, site, name) {
                Some(value) => {
                    out.extend(value.split_whitespace().filter(|s| !s.starts_with('-')).map(|spec| Package {
                        word,
                        spec: spec.to_string(),
                        variable: Some(name.to_string()),
                        open: spec.contains('$') || spec.contains('`'),
                    }));
                }
                None => out.push(Package { word, spec: word.value.clone(), variable: None, open: true }),
            }
        } else {
            let open = word.expands && ends_with_expansion(&word.value);
            out.push(Package { word, spec: word.value.clone(), variable: None, open });
        }
    }
    out
}

/// The command's arguments, each word that is only a variable replaced by the words of its value where
/// that is known (`apt-get install $APT_OPTS …` with `ENV APT_OPTS="-y --no-install-recommends"`).
#[must_use]
pub fn arg_values(ctx: &DockerfileContext, site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for w in site.cmd.args() {
        match sole_variable(&w.value).and_then(|name| variable(ctx, site, name)) {
            Some(value) => out.extend(value.split_whitespace().map(str::to_string)),
            None => out.push(w.value.clone()),
        }
    }
    out
}

/// The packages that fail `pinned`; open packages are given the benefit of the doubt.
#[must_use]
pub fn unpinned<'p, 'a>(packages: &'p [Package<'a>], pinned: impl Fn(&str) -> bool) -> Vec<&'p Package<'a>> {
    packages.iter().filter(|p| !p.open && !pinned(&p.spec)).collect()
}

/// One finding for a command that installs unpinned packages: the first is underlined, the others marked.
#[must_use]
pub fn unpinned_violation(site: &Site, tool: &str, found: &[&Package], help: String) -> Violation {
    let first = found[0];
    let message = match found.len() {
        1 => format!("`{tool}` installs {} without pinning its version", first.shown()),
        n => format!(
            "`{tool}` installs {} and {} more package{} without pinning their versions",
            first.shown(),
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    };
    let mut v = Violation::new(site.script.word_span(first.word), message).label("no version").help(help);
    let mut marked = vec![first.word.range];
    for p in &found[1..] {
        if !marked.contains(&p.word.range) {
            marked.push(p.word.range);
            v = v.secondary(site.script.word_span(p.word), "no version either");
        }
    }
    v
}

/// `NAME` when the word is exactly `$NAME` or `${NAME}`.
fn sole_variable(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('$')?;
    let name = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')).unwrap_or(rest);
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

/// True when the word ends in `$NAME`, `${…}`, `$(…)` or a backquoted command.
fn ends_with_expansion(value: &str) -> bool {
    if value.ends_with('`') || value.ends_with(')') || value.ends_with('}') {
        return value.contains('$') || value.contains('`');
    }
    let tail = value.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    tail.ends_with('$') && tail.len() < value.len()
}

/// The value of a shell variable at a command: the last plain assignment (or `export`) before it in the same
/// script, else the last `ENV` or `ARG` default before the RUN in its stage and the stages it builds on.
/// `None` when the value is unknown or itself expands something.
fn variable(ctx: &DockerfileContext, site: &Site, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    let mut assigned = None;
    for c in site.script.script.commands.iter().filter(|c| c.range.1 <= site.cmd.range.0) {
        let c = normalized(c);
        let declared = matches!(c.program(), Some("export" | "readonly" | "local" | "declare" | "typeset"));
        // Assignments before a special built-in (`deps='a b' set -x`) stay set in POSIX shells.
        let special =
            matches!(c.program(), Some("set" | ":" | "export" | "readonly" | "eval" | "exec" | "shift" | "trap"));
        let prefix_kept = if c.words.is_empty() || special { &c.assignments[..] } else { &[] };
        let args = if declared { c.args() } else { &[] };
        for w in prefix_kept.iter().chain(args) {
            if let Some(v) = w.value.strip_prefix(&prefix) {
                assigned = Some((v.to_string(), w.expands));
            }
        }
    }
    if let Some((value, expands)) = assigned {
        return (!expands).then_some(value);
    }
    let mut found: Option<String> = None;
    for i in ctx.inherited(site.index).into_iter().flatten() {
        match &ctx.file.instructions[i].args {
            Args::KeyValues(pairs) if ctx.file.instructions[i].kind == Keyword::Env => {
                if let Some(p) = pairs.iter().rev().find(|p| p.key.value == name) {
                    found = Some(p.value.value.clone());
                }
            }
            Args::Arg(decls) => {
                if let Some(d) = decls.iter().rev().find(|d| d.name.value == name) {
                    found = match &d.default {
                        Some(w) => Some(w.value.clone()),
                        None => ctx.global_args.get(name).cloned().flatten(),
                    };
                }
            }
            _ => {}
        }
    }
    found.filter(|v| !v.contains('$'))
}

/// True when the files of the instruction's stage end up in an image: the stage is the last one, or a later
/// `FROM` builds on it. A stage that only feeds `COPY --from` leaves its caches behind.
#[must_use]
pub fn stage_is_kept(ctx: &DockerfileContext, index: usize) -> bool {
    let Some(stage) = ctx.stage_of(index) else { return true };
    ctx.final_stage().is_some_and(|f| f.index == stage.index) || stage.is_base
}

/// True when the file name ends in `.ext`, in any case.
#[must_use]
pub fn has_extension(path: &str, ext: &str) -> bool {
    std::path::Path::new(path).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Trailing slashes and `/*` removed: `/var/lib/apt/lists/*` becomes `/var/lib/apt/lists`.
fn trim_path(path: &str) -> &str {
    let mut p = path;
    loop {
        let next = p.strip_suffix("/*").or_else(|| p.strip_suffix('/')).unwrap_or(p);
        if next == p {
            return p;
        }
        p = next;
    }
}

/// True when removing `path` removes what is in `dir`: the path is `dir`, a folder above it, or a glob inside it.
#[must_use]
pub fn path_covers(path: &str, dir: &str) -> bool {
    let p = trim_path(path);
    p == dir
        || p.is_empty()
        || dir.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'))
        || p.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/') && rest.contains('*'))
}

/// True when the RUN mounts a cache (or a tmpfs) whose target `covers`: what the command writes there is never
/// part of the image.
#[must_use]
pub fn mounts_cache(ins: &Instruction, covers: impl Fn(&str) -> bool) -> bool {
    ins.flags.iter().filter(|f| f.name.eq_ignore_ascii_case("mount")).filter_map(|f| f.value.as_deref()).any(|value| {
        let mut kind = "bind";
        let mut target = None;
        for field in value.split(',') {
            let (key, v) = field.split_once('=').unwrap_or((field, ""));
            match key.trim().to_ascii_lowercase().as_str() {
                "type" => kind = v.trim(),
                "target" | "dst" | "destination" => target = Some(v.trim()),
                _ => {}
            }
        }
        matches!(kind, "cache" | "tmpfs") && target.is_some_and(&covers)
    })
}

/// True when the command removes a path for which `covers` holds (`rm`, or `find PATH … -delete`).
#[must_use]
pub fn removes(cmd: &SimpleCommand, covers: impl Fn(&str) -> bool) -> bool {
    match cmd.program() {
        Some("rm") => cmd.args().iter().any(|w| !w.value.starts_with('-') && covers(&w.value)),
        Some("find") => {
            let deletes = cmd.args().iter().any(|w| w.value == "-delete")
                || cmd.args().windows(2).any(|w| w[0].value == "-exec" && w[1].value == "rm");
            deletes && cmd.args().first().is_some_and(|w| covers(&w.value))
        }
        _ => false,
    }
}

/// True when a command of the script that starts at or after byte `after` removes a path `covers` accepts.
#[must_use]
pub fn removes_after(script: &RunScript, after: usize, covers: impl Fn(&str) -> bool) -> bool {
    script.script.commands.iter().filter(|c| c.range.0 >= after).any(|c| removes(c, &covers))
}

/// The flags of `apt-get` that take a value as the next word.
pub const APT_GET_VALUE_FLAGS: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
    "--default-release",
    "-a",
    "--host-architecture",
    "-P",
    "--build-profiles",
    "--solver",
];

/// The options of `apk` that take a value as the next word.
pub const APK_VALUE_FLAGS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--cache-max-age",
    "--keys-dir",
    "--repositories-file",
    "--timeout",
    "--progress-fd",
    "--wait",
];

/// The position of `add` when the command is `apk add …`.
#[must_use]
pub fn apk_add(cmd: &SimpleCommand) -> Option<usize> {
    if !cmd.is("apk") {
        return None;
    }
    subcommand(cmd, APK_VALUE_FLAGS, &["add"])
}

/// The position of `install` when the command is `apt-get install …`.
#[must_use]
pub fn apt_get_install(cmd: &SimpleCommand) -> Option<usize> {
    if !cmd.is("apt-get") {
        return None;
    }
    subcommand(cmd, APT_GET_VALUE_FLAGS, &["install"])
}

/// The value given to the apt option `key` with `-o`/`--option` among a command's arguments (case-insensitive
/// key).
#[must_use]
pub fn apt_option(args: &[String], key: &str) -> Option<String> {
    let mut found = None;
    for (i, v) in args.iter().enumerate() {
        let setting = match v.as_str() {
            "-o" | "--option" => args.get(i + 1).map(String::as_str),
            _ => v
                .strip_prefix("--option=")
                .or_else(|| v.strip_prefix("-o="))
                .or_else(|| v.strip_prefix("-o").filter(|rest| !rest.is_empty())),
        };
        if let Some((k, value)) = setting.and_then(|s| s.split_once('='))
            && k.trim().eq_ignore_ascii_case(key)
        {
            found = Some(value.trim_matches(|c| c == '"' || c == '\'').to_string());
        }
    }
    found
}

/// True when a RUN before this command (in the stage or a stage it builds on), or this RUN before byte `before`
/// of the file, writes the apt setting `key` with one of `values` into apt's configuration, the way
/// `echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/…` does.
#[must_use]
pub fn apt_config_written(ctx: &DockerfileContext, index: usize, before: usize, key: &str, values: &[&str]) -> bool {
    let mut texts: Vec<&str> = ctx
        .inherited(index)
        .into_iter()
        .flatten()
        .map(|i| &ctx.file.instructions[i])
        .filter(|ins| ins.kind == Keyword::Run)
        .map(|ins| ctx.text(ins.span))
        .collect();
    let own = ctx.file.instructions[index].span;
    texts.push(ctx.text(Span::new(own.start, before.clamp(own.start, own.end))));
    let key = key.to_ascii_lowercase();
    texts.iter().any(|text| {
        let lower = text.to_ascii_lowercase();
        lower.match_indices(&key).any(|(at, _)| {
            let rest = lower[at + key.len()..].trim_start_matches(|c: char| " \t\"'\\=".contains(c));
            values.iter().any(|v| {
                rest.strip_prefix(v).is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric()))
            })
        })
    })
}

/// apt's spellings of a false boolean, and of a true one.
pub const APT_FALSE: &[&str] = &["false", "0", "no", "off"];
pub const APT_TRUE: &[&str] = &["true", "1", "yes", "on"];

/// True when the program is a pip (`pip`, `pip3`, `pip3.12`, also the `pipx` and `pipenv` wrappers) running
/// `install`, or a Python running `-m pip install`. Returns where the package arguments start in `cmd.words`.
#[must_use]
pub fn pip_install(cmd: &SimpleCommand) -> Option<usize> {
    let program = cmd.program()?;
    if program.starts_with("pip") {
        return subcommand(cmd, PIP_VALUE_FLAGS, &["install"]).map(|i| i + 1);
    }
    if program.starts_with("python") {
        let words = &cmd.words;
        return (1..words.len().saturating_sub(2)).find_map(|i| {
            (words[i].value == "-m" && words[i + 1].value == "pip" && words[i + 2].value == "install").then_some(i + 3)
        });
    }
    None
}

/// The options of `pip` (general and `install`) that take a value as the next word.
pub const PIP_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-t",
    "--target",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--root",
    "--prefix",
    "--src",
    "--upgrade-strategy",
    "-C",
    "--config-settings",
    "--global-option",
    "--install-option",
    "--no-binary",
    "--only-binary",
    "--progress-bar",
    "--root-user-action",
    "--report",
    "--group",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-b",
    "--build",
    "--python",
    "--log",
    "--log-file",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--cache-dir",
    "--use-feature",
    "--use-deprecated",
    "--keyring-provider",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_globs() {
        assert!(path_covers("/var/lib/apt/lists/*", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/lists/", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/*", "/var/lib/apt/lists"));
        assert!(path_covers("/var/lib/apt/lists/*.lz4", "/var/lib/apt/lists"));
        assert!(!path_covers("/var/lib/apt/lists/partial", "/var/lib/apt/lists"));
        assert!(!path_covers("/tmp/x", "/var/lib/apt/lists"));
        assert!(!path_covers("/var/lib/apt/listsx", "/var/lib/apt/lists"));
    }

    #[test]
    fn variables_and_expansions() {
        assert_eq!(sole_variable("$deps"), Some("deps"));
        assert_eq!(sole_variable("${PKGS}"), Some("PKGS"));
        assert_eq!(sole_variable("${PKGS:-x}"), None);
        assert_eq!(sole_variable("lib$x"), None);
        assert!(ends_with_expansion("python$PY"));
        assert!(ends_with_expansion("lib-${X}"));
        assert!(ends_with_expansion("$(cat list)"));
        assert!(!ends_with_expansion("lib${X}-dev"));
        assert!(!ends_with_expansion("a$"));
    }

    #[test]
    fn apt_options() {
        let s = crate::shell::parse("apt-get -o APT::Install-Recommends=0 --option=A::B=1 -oC::D=\"x\" install");
        let c = &s.commands[0];
        let args: Vec<String> = c.args().iter().map(|w| w.value.clone()).collect();
        assert_eq!(apt_option(&args, "apt::install-recommends").as_deref(), Some("0"));
        assert_eq!(apt_option(&args, "A::B").as_deref(), Some("1"));
        assert_eq!(apt_option(&args, "C::D").as_deref(), Some("x"));
        assert_eq!(apt_get_install(c), Some(5));
    }
}
