//! Word expansion: tilde, parameters, command substitution, arithmetic, then field splitting, pathname expansion
//! and quote removal, in POSIX's order.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{Param, ParamOp, Part, Word};
use super::{Io, Shell, arith, lexer};
use crate::glob;

/// An expansion that failed (`${x:?}`, bad arithmetic): the message, printed as `sh: message`.
#[derive(Debug)]
pub struct ExpandError(pub String);

/// A field under construction: its text, and the same text as a glob pattern with quoted characters escaped.
#[derive(Default)]
struct Field {
    text: String,
    pattern: String,
    glob: bool,
    /// Whether the field exists even if empty (it had quotes or text); `$empty` alone makes no field.
    real: bool,
}

#[derive(Default)]
struct Fields {
    done: Vec<Field>,
    current: Field,
}

impl Fields {
    fn push(&mut self, text: &str, quoted: bool) {
        self.current.text.push_str(text);
        if quoted {
            for c in text.chars() {
                if "*?[]\\".contains(c) {
                    self.current.pattern.push('\\');
                }
                self.current.pattern.push(c);
            }
            self.current.real = true;
        } else {
            self.current.pattern.push_str(text);
            self.current.glob |= text.contains(['*', '?', '[']);
            self.current.real |= !text.is_empty();
        }
    }

    fn split(&mut self, force: bool) {
        if self.current.real || force {
            self.done.push(std::mem::take(&mut self.current));
        } else {
            self.current = Field::default();
        }
    }

    /// Appends an unquoted expansion's result, splitting it at the characters of `IFS`.
    fn push_split(&mut self, text: &str, ifs: &str) {
        for c in text.chars() {
            if ifs.contains(c) {
                if c.is_whitespace() {
                    self.split(false);
                } else {
                    self.split(true);
                }
            } else {
                let mut buf = [0; 4];
                self.push(c.encode_utf8(&mut buf), false);
            }
        }
    }
}

impl Shell {
    /// Expands the words of a command into its arguments.
    pub(super) fn expand_words(&mut self, words: &[Word], io: &Io) -> Result<Vec<String>, ExpandError> {
        let mut out = Vec::new();
        for word in words {
            let mut fields = Fields::default();
            self.expand_parts(word, false, true, &mut fields, io)?;
            fields.split(false);
            for field in fields.done {
                if field.glob && glob::is_pattern(&field.pattern) {
                    let matches = glob::expand(&self.root, &self.cwd, &field.pattern);
                    if !matches.is_empty() {
                        out.extend(matches);
                        continue;
                    }
                }
                out.push(field.text);
            }
        }
        Ok(out)
    }

    /// Expands a word into one string, without splitting or globbing (assignments, redirections, `case`).
    pub(super) fn expand_string(&mut self, word: &Word, io: &Io) -> Result<String, ExpandError> {
        let mut fields = Fields::default();
        self.expand_parts(word, true, true, &mut fields, io)?;
        fields.split(true);
        Ok(fields.done.into_iter().map(|f| f.text).collect::<Vec<_>>().join(" "))
    }

    /// Expands a word into a glob pattern in which quoted characters are escaped (`case`, `${x%pattern}`).
    pub(super) fn expand_pattern(&mut self, word: &Word, io: &Io) -> Result<String, ExpandError> {
        let mut fields = Fields::default();
        self.expand_parts(word, false, false, &mut fields, io)?;
        let mut pattern = fields.done.into_iter().map(|f| f.pattern).collect::<Vec<_>>().join(" ");
        pattern.push_str(&fields.current.pattern);
        Ok(pattern)
    }

    fn expand_parts(
        &mut self,
        parts: &[Part],
        quoted: bool,
        split: bool,
        out: &mut Fields,
        io: &Io,
    ) -> Result<(), ExpandError> {
        for (index, part) in parts.iter().enumerate() {
            match part {
                Part::Lit(text) => {
                    if index == 0 && !quoted && text.starts_with('~') {
                        let (user, rest) = text[1..].split_once('/').map_or((&text[1..], ""), |(u, r)| (u, r));
                        let home =
                            if user.is_empty() { self.var("HOME").map(str::to_string) } else { self.home_of(user) };
                        if let Some(home) = home {
                            out.push(&home, true);
                            if !rest.is_empty() || text[1..].starts_with('/') {
                                out.push(&format!("/{rest}"), quoted);
                            }
                            continue;
                        }
                    }
                    out.push(text, quoted);
                }
                Part::Quoted(text) => out.push(text, true),
                Part::Double(inner) => {
                    let only_at =
                        matches!(inner.as_slice(), [Part::Param(p)] if p.name == "@" && p.op == ParamOp::Plain);
                    if !(only_at && self.positional.is_empty()) {
                        out.current.real = true;
                    }
                    self.expand_parts(inner, true, split, out, io)?;
                }
                Part::Param(param) => self.expand_param(param, quoted, split, out, io)?,
                Part::Command(source) => {
                    let text = self.substitute(source, io);
                    self.push_result(&text, quoted, split, out);
                }
                Part::Arith(source) => {
                    let value = self.arithmetic(source, io)?;
                    self.push_result(&value.to_string(), quoted, split, out);
                }
            }
        }
        Ok(())
    }

    fn push_result(&self, text: &str, quoted: bool, split: bool, out: &mut Fields) {
        if quoted || !split {
            out.push(text, quoted);
        } else {
            let ifs = self.var("IFS").unwrap_or(" \t\n").to_string();
            out.push_split(text, &ifs);
        }
    }

    /// A user's home folder from the container's `/etc/passwd` (`~user`).
    fn home_of(&self, user: &str) -> Option<String> {
        let passwd = std::fs::read_to_string(self.root.join("etc/passwd")).ok()?;
        passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.len() > 5 && f[0] == user)
            .map(|f| f[5].to_string())
    }

    /// The value of a parameter: special (`$?`, `$#`, `$1`…) or a variable.
    pub(super) fn param_value(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "#" => Some(self.positional.len().to_string()),
            "@" | "*" => Some(self.positional.join(" ")),
            "$" => Some("1".to_string()),
            "!" => None,
            "0" => Some(self.arg0.clone()),
            "-" => {
                let mut flags = String::new();
                for (on, c) in [(self.errexit, 'e'), (self.nounset, 'u'), (self.xtrace, 'x'), (self.interactive, 'i')] {
                    if on {
                        flags.push(c);
                    }
                }
                Some(flags)
            }
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                n.parse::<usize>().ok().and_then(|i| self.positional.get(i.checked_sub(1)?)).cloned()
            }
            _ => self.var(name).map(str::to_string),
        }
    }

    fn expand_param(
        &mut self,
        param: &Param,
        quoted: bool,
        split: bool,
        out: &mut Fields,
        io: &Io,
    ) -> Result<(), ExpandError> {
        let name = param.name.as_str();
        if (name == "@" || name == "*") && param.op == ParamOp::Plain {
            let positional = self.positional.clone();
            if quoted && name == "@" {
                for (i, arg) in positional.iter().enumerate() {
                    if i > 0 {
                        out.split(true);
                    }
                    out.push(arg, true);
                }
            } else if quoted {
                let sep = self.var("IFS").unwrap_or(" ").chars().next().map(String::from).unwrap_or_default();
                out.push(&positional.join(&sep), true);
            } else {
                for (i, arg) in positional.iter().enumerate() {
                    if i > 0 {
                        out.split(false);
                    }
                    self.push_result(arg, false, split, out);
                }
            }
            return Ok(());
        }
        let value = self.param_value(name);
        let set = value.is_some();
        let nonempty = value.as_ref().is_some_and(|v| !v.is_empty());
        let missing = |colon: bool| if colon { !nonempty } else { !set };
        let result = match param.op {
            ParamOp::Plain => {
                if !set && self.nounset && !matches!(name, "@" | "*" | "!") {
                    return Err(ExpandError(format!("{name}: parameter not set")));
                }
                value.unwrap_or_default()
            }
            ParamOp::Length => value.map_or(0, |v| v.chars().count()).to_string(),
            ParamOp::Default(colon) => {
                if missing(colon) {
                    return self.expand_parts(&param.word, quoted, split, out, io);
                }
                value.unwrap_or_default()
            }
            ParamOp::Alternative(colon) => {
                if !missing(colon) {
                    return self.expand_parts(&param.word, quoted, split, out, io);
                }
                String::new()
            }
            ParamOp::Assign(colon) => {
                if missing(colon) {
                    let new = self.expand_string(&param.word, io)?;
                    self.set_var(name, &new);
                    new
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Error(colon) => {
                if missing(colon) {
                    let message = self.expand_string(&param.word, io)?;
                    let message = if message.is_empty() { "parameter not set".to_string() } else { message };
                    return Err(ExpandError(format!("{name}: {message}")));
                }
                value.unwrap_or_default()
            }
            ParamOp::Replace(all) => {
                let pattern = self.expand_pattern(&param.word, io)?;
                let replacement = match &param.extra {
                    Some(w) => self.expand_string(w, io)?,
                    None => String::new(),
                };
                replace(&value.unwrap_or_default(), &pattern, &replacement, all)
            }
            ParamOp::Substring => {
                let value: Vec<char> = value.unwrap_or_default().chars().collect();
                let len = i64::try_from(value.len()).unwrap_or(i64::MAX);
                let offset = self.expand_string(&param.word, io)?;
                let offset = self.arithmetic(&offset, io)?;
                let start = if offset < 0 { (len + offset).max(0) } else { offset.min(len) };
                let end = match &param.extra {
                    Some(w) => {
                        let length = self.expand_string(w, io)?;
                        let length = self.arithmetic(&length, io)?;
                        if length < 0 { (len + length).max(start) } else { (start + length).min(len) }
                    }
                    None => len,
                };
                let index = |i: i64| usize::try_from(i).unwrap_or(0);
                value[index(start)..index(end)].iter().collect()
            }
            ParamOp::TrimPrefix(longest) | ParamOp::TrimSuffix(longest) => {
                let pattern = self.expand_pattern(&param.word, io)?;
                let value = value.unwrap_or_default();
                trim(&value, &pattern, matches!(param.op, ParamOp::TrimPrefix(_)), longest)
            }
        };
        self.push_result(&result, quoted, split, out);
        Ok(())
    }

    /// Runs `$(…)` in a copy of the shell and returns its output without trailing newlines.
    pub(super) fn substitute(&mut self, source: &str, io: &Io) -> String {
        let buffer = Rc::new(RefCell::new(Vec::new()));
        let sub_io = Io { stdin: io.stdin.clone(), stdout: buffer.clone(), stderr: io.stderr.clone() };
        let mut sub = self.clone();
        sub.exit_trap = None;
        sub.signal_traps.clear();
        sub.takes_signals = false;
        // `exit` inside `$(…)` ends only the substitution.
        sub.run_source(source, self.line, &sub_io);
        // `$?` keeps the previous command's status until this command ends (`echo $(false) $?` prints 0); a
        // command made only of assignments returns the substitution's status.
        self.subst_status = Some(sub.status);
        let bytes = buffer.borrow().clone();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        while text.ends_with('\n') {
            text.pop();
        }
        text
    }

    fn arithmetic(&mut self, source: &str, io: &Io) -> Result<i64, ExpandError> {
        let word = lexer::quoted_word(source).map_err(|e| ExpandError(format!("syntax error: {}", e.message)))?;
        let text = self.expand_string(&word, io)?;
        let mut assignments: Vec<(String, i64)> = Vec::new();
        let result = {
            let shell = &*self;
            arith::eval(&text, &mut |name, set| match set {
                Some(v) => {
                    assignments.retain(|(n, _)| n != name);
                    assignments.push((name.to_string(), v));
                    v
                }
                None => assignments
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map_or_else(|| shell.var(name).and_then(|v| v.trim().parse().ok()).unwrap_or(0), |(_, v)| *v),
            })
        };
        for (name, value) in assignments {
            self.set_var(&name, &value.to_string());
        }
        result.map_err(ExpandError)
    }
}

/// `${v/p/r}` (first match, longest at the leftmost position) and `${v//p/r}` (every match).
fn replace(value: &str, pattern: &str, replacement: &str, all: bool) -> String {
    if pattern.is_empty() {
        return value.to_string();
    }
    let bounds: Vec<usize> = value.char_indices().map(|(i, _)| i).chain([value.len()]).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < bounds.len() - 1 {
        let start = bounds[i];
        let end = bounds[i + 1..].iter().rev().find(|&&end| glob::matches(pattern, &value[start..end]));
        if let Some(&end) = end {
            out.push_str(replacement);
            if !all {
                out.push_str(&value[end..]);
                return out;
            }
            i = bounds.iter().position(|&b| b == end).unwrap_or(bounds.len() - 1);
        } else {
            out.push_str(&value[start..bounds[i + 1]]);
            i += 1;
        }
    }
    out
}

/// `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`.
fn trim(value: &str, pattern: &str, prefix: bool, longest: bool) -> String {
    let bounds: Vec<usize> = value.char_indices().map(|(i, _)| i).chain([value.len()]).collect();
    // The shortest prefix is tried from the start, the shortest suffix from the end; longest the other way round.
    let candidates: Box<dyn Iterator<Item = &usize>> =
        if prefix == longest { Box::new(bounds.iter().rev()) } else { Box::new(bounds.iter()) };
    for &at in candidates {
        if prefix && glob::matches(pattern, &value[..at]) {
            return value[at..].to_string();
        }
        if !prefix && glob::matches(pattern, &value[at..]) {
            return value[..at].to_string();
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn trims() {
        assert_eq!(trim("file.tar.gz", ".*", false, false), "file.tar");
        assert_eq!(trim("file.tar.gz", ".*", false, true), "file");
        assert_eq!(trim("/a/b/c", "*/", true, false), "a/b/c");
        assert_eq!(trim("/a/b/c", "*/", true, true), "c");
        assert_eq!(trim("abc", "x", true, true), "abc");
        assert_eq!(super::replace("hello", "l", "L", false), "heLlo");
        assert_eq!(super::replace("hello", "l", "L", true), "heLLo");
        assert_eq!(super::replace("a.b.c", ".", "/", true), "a/b/c");
    }
}
