//! One instruction's keyword, flags and arguments, read from its logical line as BuildKit reads them.

use super::ParseError;
use super::ast::{
    ArgDecl, Args, Command, Copy, Flag, From, Healthcheck, Instruction, KeyValue, Keyword, Span, Text, Word,
};
use super::json::{self, JsonArgs};
use super::words::{split_whitespace, split_words, unquote};

/// The flags each instruction takes; any other flag is an error, as in BuildKit.
fn known_flags(kind: Keyword) -> &'static [&'static str] {
    match kind {
        Keyword::From => &["platform"],
        Keyword::Run => &["mount", "network", "security", "device"],
        Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
        Keyword::Add => &["chown", "chmod", "link", "checksum", "keep-git-dir", "exclude", "unpack"],
        Keyword::Healthcheck => &["interval", "timeout", "start-period", "start-interval", "retries"],
        _ => &[],
    }
}

pub(super) struct Reader<'a> {
    pub escape: char,
    pub errors: &'a mut Vec<ParseError>,
}

impl Reader<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ParseError { message: message.into(), span });
    }

    fn word(&self, t: &Text, start: usize, end: usize) -> Word {
        let raw = &t.text[start..end];
        Word { raw: raw.to_string(), value: unquote(raw, self.escape), span: t.source_span(start, end) }
    }

    /// Reads the instruction on logical line `t` (which starts at its keyword). `span` covers its lines.
    pub fn instruction(&mut self, t: &Text, span: Span) -> Instruction {
        let text = t.text.trim_end();
        // Counted on the trimmed text: a line of only blanks (continuations and spaces) has no keyword.
        let start = text.len() - text.trim_start().len();
        let kw_end = text[start..].find(|c: char| c.is_whitespace()).map_or(text.len(), |i| start + i);
        let keyword = Word {
            raw: text[start..kw_end].to_string(),
            value: text[start..kw_end].to_string(),
            span: t.source_span(start, kw_end),
        };
        let kind = Keyword::parse(&keyword.raw);
        let (flags, args_start) = Self::flags(t, kw_end, text.len());
        let rest = t.slice(args_start, text.len().max(args_start));
        for f in &flags {
            if kind != Keyword::Unknown && !known_flags(kind).contains(&f.name.as_str()) {
                self.error(f.span, format!("unknown flag: {}", f.name));
            }
        }
        let args = match kind {
            Keyword::Unknown => {
                let mut msg = format!("unknown instruction: {}", keyword.raw);
                if let Some(s) = suggest(&keyword.raw) {
                    msg.push_str(&format!(" (did you mean {s}?)"));
                }
                self.error(keyword.span, msg);
                Args::None
            }
            Keyword::From => self.from(&rest, span),
            Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
                if kind == Keyword::Run && rest.text.is_empty() {
                    self.error(keyword.span, "RUN requires at least one argument");
                }
                self.command(&rest).map_or(Args::None, Args::Command)
            }
            Keyword::Copy | Keyword::Add => self.copy(kind, &rest, keyword.span),
            Keyword::Env | Keyword::Label => self.key_values(kind, &rest, keyword.span),
            Keyword::Arg => {
                let decls: Vec<ArgDecl> = split_words(&rest.text, self.escape)
                    .into_iter()
                    .map(|(s, e)| match rest.text[s..e].find('=') {
                        Some(eq) => ArgDecl {
                            name: self.word(&rest, s, s + eq),
                            default: Some(self.word(&rest, s + eq + 1, e)),
                        },
                        None => ArgDecl { name: self.word(&rest, s, e), default: None },
                    })
                    .collect();
                if decls.is_empty() {
                    self.error(keyword.span, "ARG requires at least one argument");
                }
                Args::Arg(decls)
            }
            Keyword::Expose | Keyword::Volume => self.list(kind, &rest, keyword.span),
            Keyword::User | Keyword::Workdir | Keyword::Stopsignal | Keyword::Maintainer => {
                if rest.text.is_empty() {
                    self.error(keyword.span, format!("{kind} requires exactly one argument"));
                    Args::Single(None)
                } else {
                    Args::Single(Some(self.word(&rest, 0, rest.text.len())))
                }
            }
            Keyword::Healthcheck => self.healthcheck(&rest, keyword.span),
            Keyword::Onbuild => {
                if rest.text.is_empty() {
                    self.error(keyword.span, "ONBUILD requires at least one argument");
                    Args::Onbuild(None)
                } else {
                    let inner = self.instruction(&rest, rest.span());
                    match inner.kind {
                        Keyword::Onbuild => {
                            self.error(inner.keyword.span, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                        }
                        Keyword::From | Keyword::Maintainer => {
                            self.error(
                                inner.keyword.span,
                                format!("{} isn't allowed as an ONBUILD trigger", inner.kind),
                            );
                        }
                        _ => {}
                    }
                    Args::Onbuild(Some(Box::new(inner)))
                }
            }
        };
        Instruction {
            kind,
            keyword,
            flags,
            args,
            rest,
            heredocs: Vec::new(),
            span,
            empty_continuation_lines: Vec::new(),
        }
    }

    /// Leading `--name[=value]` words (BuildKit's `extractBuilderFlags`); returns them and where the arguments start.
    fn flags(t: &Text, from: usize, end: usize) -> (Vec<Flag>, usize) {
        let text = &t.text[..end];
        let mut flags = Vec::new();
        let mut pos = from;
        loop {
            let word_start = pos + text[pos..].len() - text[pos..].trim_start().len();
            if !text[word_start..].starts_with("--") {
                return (flags, word_start);
            }
            let word_end = word_end(text, word_start);
            let raw = &text[word_start..word_end];
            pos = word_end;
            if raw == "--" {
                let args = pos + text[pos..].len() - text[pos..].trim_start().len();
                return (flags, args);
            }
            let word = unquote(&raw[2..], '\\');
            let (name, value) = match word.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (word.clone(), None),
            };
            let span = t.source_span(word_start, word_end);
            let value_span = match raw.find('=') {
                Some(eq) if value.is_some() && word_start + eq + 1 < word_end => {
                    t.source_span(word_start + eq + 1, word_end)
                }
                _ => span,
            };
            flags.push(Flag { name, value, span, value_span });
        }
    }

    /// The arguments read as BuildKit reads them: `Some((words, true))` for a JSON array of strings,
    /// `Some((_, false))` for anything else, `None` (with BuildKit's error) for a JSON array of non-strings.
    fn json(&mut self, rest: &Text) -> Option<(Vec<Word>, bool)> {
        match json::parse(&rest.text) {
            JsonArgs::Strings(items) => Some((
                items
                    .into_iter()
                    .map(|(value, (s, e))| Word {
                        raw: rest.text[s..e].to_string(),
                        value,
                        span: rest.source_span(s, e),
                    })
                    .collect(),
                true,
            )),
            JsonArgs::NotStrings => {
                self.error(rest.span(), "when using JSON array syntax, arrays must be comprised of strings only");
                None
            }
            JsonArgs::NotJson => Some((Vec::new(), false)),
        }
    }

    fn command(&mut self, rest: &Text) -> Option<Command> {
        Some(match self.json(rest)? {
            (args, true) => Command::Exec { args, span: rest.span() },
            (_, false) => Command::Shell(rest.clone()),
        })
    }

    /// A JSON array of strings or white-space separated words (COPY, ADD, VOLUME).
    fn json_or_words(&mut self, rest: &Text) -> Option<(Vec<Word>, bool)> {
        Some(match self.json(rest)? {
            (words, true) => (words, true),
            (_, false) => {
                (split_whitespace(&rest.text).into_iter().map(|(s, e)| self.word(rest, s, e)).collect(), false)
            }
        })
    }

    fn from(&mut self, rest: &Text, span: Span) -> Args {
        let words: Vec<Word> = split_whitespace(&rest.text).into_iter().map(|(s, e)| self.word(rest, s, e)).collect();
        match words.as_slice() {
            [image] => Args::From(From { image: Some(image.clone()), as_keyword: None, alias: None }),
            [image, as_kw, alias] if as_kw.raw.eq_ignore_ascii_case("as") => Args::From(From {
                image: Some(image.clone()),
                as_keyword: Some(as_kw.clone()),
                alias: Some(alias.clone()),
            }),
            _ => {
                let at = if words.is_empty() { span } else { rest.span() };
                self.error(at, "FROM requires either one or three arguments");
                Args::From(From { image: words.first().cloned(), as_keyword: None, alias: None })
            }
        }
    }

    fn copy(&mut self, kind: Keyword, rest: &Text, kw: Span) -> Args {
        let Some((mut words, json)) = self.json_or_words(rest) else { return Args::None };
        if words.len() < 2 {
            let at = if words.is_empty() { kw } else { rest.span() };
            self.error(
                at,
                format!("{kind} requires at least two arguments, but only one was provided. Destination could not be determined."),
            );
        }
        let dest = if words.len() >= 2 { words.pop() } else { None };
        Args::Copy(Copy { sources: words, dest, json })
    }

    fn key_values(&mut self, kind: Keyword, rest: &Text, kw: Span) -> Args {
        let words = split_words(&rest.text, self.escape);
        let Some(&(s0, e0)) = words.first() else {
            self.error(kw, format!("{kind} requires at least one argument"));
            return Args::KeyValues(Vec::new());
        };
        if !rest.text[s0..e0].contains('=') {
            // The legacy form: `KEY value with spaces`.
            let key_end = rest.text.find([' ', '\t', '\x0b', '\x0c', '\r']).unwrap_or(rest.text.len());
            let value_start = key_end + rest.text[key_end..].len() - rest.text[key_end..].trim_start().len();
            if value_start >= rest.text.len() {
                self.error(rest.span(), format!("{kind} must have two arguments"));
                return Args::KeyValues(Vec::new());
            }
            return Args::KeyValues(vec![KeyValue {
                key: self.word(rest, 0, key_end),
                value: self.word(rest, value_start, rest.text.len()),
                legacy: true,
            }]);
        }
        let mut pairs = Vec::new();
        for (s, e) in words {
            let Some(eq) = rest.text[s..e].find('=') else {
                self.error(
                    rest.source_span(s, e),
                    format!("Syntax error - can't find = in {:?}. Must be of the form: name=value", &rest.text[s..e]),
                );
                continue;
            };
            pairs.push(KeyValue {
                key: self.word(rest, s, s + eq),
                value: self.word(rest, s + eq + 1, e),
                legacy: false,
            });
        }
        Args::KeyValues(pairs)
    }

    fn list(&mut self, kind: Keyword, rest: &Text, kw: Span) -> Args {
        let (items, json) = if kind == Keyword::Volume {
            match self.json_or_words(rest) {
                Some(x) => x,
                None => return Args::None,
            }
        } else {
            (split_whitespace(&rest.text).into_iter().map(|(s, e)| self.word(rest, s, e)).collect(), false)
        };
        if items.is_empty() {
            self.error(kw, format!("{kind} requires at least one argument"));
        }
        Args::List { items, json }
    }

    fn healthcheck(&mut self, rest: &Text, kw: Span) -> Args {
        let text = &rest.text;
        if text.is_empty() {
            self.error(kw, "HEALTHCHECK requires at least one argument");
            return Args::Healthcheck(Healthcheck::Empty);
        }
        let sep = text.find(char::is_whitespace).unwrap_or(text.len());
        let next = sep + text[sep..].len() - text[sep..].trim_start().len();
        let typ = self.word(rest, 0, sep);
        let cmd = rest.slice_from(next);
        let hc = match typ.raw.to_ascii_uppercase().as_str() {
            "NONE" => {
                if !cmd.text.is_empty() {
                    self.error(cmd.span(), "HEALTHCHECK NONE takes no arguments");
                }
                Healthcheck::None
            }
            "CMD" => {
                if cmd.text.is_empty() {
                    self.error(typ.span, "Missing command after HEALTHCHECK CMD");
                    Healthcheck::Cmd(None)
                } else {
                    Healthcheck::Cmd(self.command(&cmd))
                }
            }
            _ => {
                self.error(typ.span, format!("Unknown type {:?} in HEALTHCHECK (try CMD)", typ.raw));
                Healthcheck::Other(typ)
            }
        };
        Args::Healthcheck(hc)
    }
}

/// The end of a flag word starting at `start`: the first unquoted white space.
fn word_end(text: &str, start: usize) -> usize {
    let mut quote = None;
    let mut chars = text[start..].char_indices();
    while let Some((i, c)) = chars.next() {
        match quote {
            None if c.is_whitespace() => return start + i,
            None if c == '\'' || c == '"' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ if c == '\\' => {
                chars.next();
            }
            _ => {}
        }
    }
    text.len()
}

/// A keyword close to an unknown one (one edit away), for "did you mean".
fn suggest(word: &str) -> Option<&'static str> {
    // No keyword is longer than 11 letters, so a longer word is never one or two edits away.
    if word.len() > 13 {
        return None;
    }
    let w = word.to_ascii_uppercase();
    Keyword::ALL.iter().map(|k| k.as_str()).find(|k| strsim::levenshtein(&w, k) <= 1 + usize::from(k.len() > 5))
}
