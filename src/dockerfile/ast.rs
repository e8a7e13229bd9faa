//! The Dockerfile syntax tree. Every node carries a byte span into the source text it was parsed from.

use std::fmt;

/// A byte range `start..end` in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    #[must_use]
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The smallest span that covers both.
    #[must_use]
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    #[must_use]
    pub fn len(self) -> usize {
        self.end - self.start
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A parsed Dockerfile. Parsing never fails; problems are in [`crate::dockerfile::Parsed::errors`].
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    /// Parser directives (`# syntax=…`, `# escape=…`, `# check=…`) from the top of the file.
    pub directives: Vec<Directive>,
    /// The escape character in force (`\` unless an `escape` directive changed it).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside continued instructions.
    pub comments: Vec<Comment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased directive name.
    pub name: String,
    pub value: String,
    pub span: Span,
    pub value_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    /// The whole comment, from `#` to the end of its line.
    pub span: Span,
    /// True when the comment sits inside a continued instruction.
    pub inside_instruction: bool,
}

/// One instruction, possibly spread over several lines by continuations and heredocs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub kind: Keyword,
    /// The keyword exactly as written (`run`, `Run`, `RUN`).
    pub keyword: Word,
    pub flags: Vec<Flag>,
    pub args: Args,
    /// The arguments after the flags, continuations joined, as BuildKit sees them.
    pub rest: Text,
    pub heredocs: Vec<Heredoc>,
    /// From the keyword to the end of the last line the instruction uses (its heredocs included).
    pub span: Span,
    /// Blank lines inside the continuation (BuildKit warns about them).
    pub empty_continuation_lines: Vec<Span>,
}

impl Instruction {
    #[must_use]
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The instruction itself when it is not an ONBUILD, else the instruction ONBUILD wraps.
    #[must_use]
    pub fn effective(&self) -> &Instruction {
        match &self.args {
            Args::Onbuild(Some(inner)) => inner,
            _ => self,
        }
    }
}

/// The instruction keywords BuildKit knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Anything else; BuildKit rejects it as an unknown instruction.
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    #[must_use]
    pub fn parse(word: &str) -> Keyword {
        Keyword::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(word)).unwrap_or(Keyword::Unknown)
    }

    /// The upper-case spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

impl fmt::Display for Keyword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word of an instruction: `raw` as written (quotes and escapes kept, continuations joined), `value` with
/// quotes and escapes removed but variables left unexpanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub raw: String,
    pub value: String,
    pub span: Span,
}

/// A builder flag such as `--from=build` or `--mount=type=cache,target=/root/.npm`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The name without the leading dashes.
    pub name: String,
    /// The value after `=`, quotes removed; `None` for a bare `--link`.
    pub value: Option<String>,
    pub span: Span,
    /// The value's span (after `=`), or the whole flag's when it has no value.
    pub value_span: Span,
}

/// Text of the logical line (continuations joined) with a map back to source offsets, so that any piece of it,
/// for example a word inside a shell command, can be pointed at in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    /// `(offset in text, offset in source)` at the start of each contiguous piece, sorted.
    pub pieces: Vec<(usize, usize)>,
}

impl Text {
    /// The source offset of a byte offset in `text`.
    #[must_use]
    pub fn source_offset(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|&(t, _)| t <= offset);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((t, s)) => s + (offset - t),
            None => offset,
        }
    }

    /// The source span of `start..end` in `text`; the end stays on the line of the last byte.
    #[must_use]
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        let s = self.source_offset(start);
        if end <= start {
            return Span::new(s, s);
        }
        Span::new(s, self.source_offset(end - 1) + 1)
    }

    /// The part of the text from `start`, keeping its mapping to the source.
    #[must_use]
    pub fn slice_from(&self, start: usize) -> Text {
        self.slice(start, self.text.len())
    }

    /// The part `start..end` of the text, keeping its mapping to the source.
    #[must_use]
    pub fn slice(&self, start: usize, end: usize) -> Text {
        let mut pieces = vec![(0, self.source_offset(start))];
        pieces.extend(self.pieces.iter().filter(|&&(t, _)| t > start && t < end).map(|&(t, s)| (t - start, s)));
        Text { text: self.text[start..end].to_string(), pieces }
    }

    #[must_use]
    pub fn span(&self) -> Span {
        self.source_span(0, self.text.len())
    }
}

/// The arguments of an instruction, by instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    From(From),
    /// RUN, CMD, ENTRYPOINT and SHELL.
    Command(Command),
    /// COPY and ADD.
    Copy(Copy),
    /// ENV and LABEL.
    KeyValues(Vec<KeyValue>),
    Arg(Vec<ArgDecl>),
    /// EXPOSE and VOLUME (VOLUME may be a JSON array).
    List {
        items: Vec<Word>,
        json: bool,
    },
    /// USER, WORKDIR, STOPSIGNAL and MAINTAINER: the rest of the line as one word.
    Single(Option<Word>),
    Healthcheck(Healthcheck),
    Onbuild(Option<Box<Instruction>>),
    /// An unknown instruction or one whose arguments failed to parse.
    None,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct From {
    pub image: Option<Word>,
    /// The `AS` keyword, if any.
    pub as_keyword: Option<Word>,
    pub alias: Option<Word>,
}

/// A command in exec form (a JSON array) or shell form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Exec { args: Vec<Word>, span: Span },
    Shell(Text),
}

impl Command {
    #[must_use]
    pub fn is_exec(&self) -> bool {
        matches!(self, Command::Exec { .. })
    }

    #[must_use]
    pub fn span(&self) -> Span {
        match self {
            Command::Exec { span, .. } => *span,
            Command::Shell(t) => t.span(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    pub sources: Vec<Word>,
    pub dest: Option<Word>,
    pub json: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: Word,
    pub value: Word,
    /// The legacy `KEY value` form, without `=`.
    pub legacy: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: Word,
    pub default: Option<Word>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK` with nothing after it.
    Empty,
    None,
    Cmd(Option<Command>),
    /// A type BuildKit does not know (`HEALTHCHECK CONNECT …`).
    Other(Word),
}

/// A here-document attached to RUN, COPY or ADD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter, quotes removed.
    pub name: String,
    /// True when the delimiter was not quoted, so variables in the body expand.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body.
    pub chomp: bool,
    pub fd: Option<u32>,
    /// The body, line endings kept, without the terminator line.
    pub content: String,
    /// Where the body starts in the source.
    pub content_start: usize,
    /// The `<<EOF` word on the instruction line.
    pub marker: Span,
    pub terminated: bool,
}
