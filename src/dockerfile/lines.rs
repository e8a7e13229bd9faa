//! The line layer of the parser: parser directives, comments, continuation lines and heredoc bodies, turning
//! physical lines into logical instructions the way BuildKit's `parser.Parse` does.

use nom::{
    IResult, Parser,
    bytes::complete::{take_while, take_while1},
    character::complete::{char, satisfy},
    combinator::recognize,
    sequence::pair,
};

use super::ast::{Args, Comment, Directive, Dockerfile, Heredoc, Instruction, Keyword, Span, Text};
use super::instruction::Reader;
use super::words::{split_words, unquote};
use super::{ParseError, Parsed};

/// The directives BuildKit reads from the top of a Dockerfile.
const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

struct Line<'a> {
    start: usize,
    /// The line without its line ending.
    text: &'a str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

fn physical_lines(src: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(src.len() / 32);
    let mut start = 0;
    for piece in src.split_inclusive('\n') {
        let text = piece.trim_end_matches(['\r', '\n']);
        lines.push(Line { start, text });
        start += piece.len();
    }
    lines
}

fn is_go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r')
}

/// `#\s*name\s*=\s*value\s*` (BuildKit's directive pattern). Returns the name and the value's byte range.
fn directive(line: &str) -> Option<(&str, (usize, usize))> {
    fn parts(input: &str) -> IResult<&str, &str> {
        let (rest, _) = (char('#'), take_while(is_go_space)).parse(input)?;
        let (rest, name) = recognize(pair(
            satisfy(|c: char| c.is_ascii_alphabetic()),
            take_while(|c: char| c.is_ascii_alphanumeric()),
        ))
        .parse(rest)?;
        let (rest, _) = (take_while(is_go_space), char('='), take_while(is_go_space)).parse(rest)?;
        let (rest, _) = take_while1(|_| true).parse(rest)?;
        Ok((rest, name))
    }
    let (_, name) = parts(line).ok()?;
    let after_eq = line.find('=')? + 1;
    let value_start = after_eq + line[after_eq..].len() - line[after_eq..].trim_start_matches(is_go_space).len();
    let value_end = line.trim_end_matches(is_go_space).len();
    (value_end > value_start).then_some((name, (value_start, value_end)))
}

/// Removes a trailing continuation character (and the blanks after it) unless it is itself escaped.
/// Returns the remaining text and whether the instruction continues on the next line.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(escape) else { return (line, false) };
    if before.ends_with(escape) {
        return (line, false);
    }
    (before, true)
}

struct State<'s> {
    src: &'s str,
    lines: Vec<Line<'s>>,
    next: usize,
    escape: char,
    directives_done: bool,
    file: Dockerfile,
    errors: Vec<ParseError>,
}

impl State<'_> {
    /// Looks for a parser directive on a line (only before anything else in the file).
    fn directive_line(&mut self, text: &str, start: usize) {
        if self.directives_done {
            return;
        }
        let Some((name, (vs, ve))) = directive(text) else {
            self.directives_done = true;
            return;
        };
        let key = name.to_ascii_lowercase();
        if !DIRECTIVES.contains(&key.as_str()) {
            self.directives_done = true;
            return;
        }
        let span = Span::new(start, start + text.len());
        let value = text[vs..ve].to_string();
        if self.file.directives.iter().any(|d| d.name == key) {
            self.errors.push(ParseError { message: format!("only one {key} parser directive can be used"), span });
            return;
        }
        if key == "escape" {
            match value.as_str() {
                "\\" | "`" => self.escape = value.chars().next().unwrap_or('\\'),
                _ => self.errors.push(ParseError {
                    message: format!("invalid escape token '{value}' does not match ` or \\"),
                    span,
                }),
            }
        }
        self.file.directives.push(Directive { name: key, value, span, value_span: Span::new(start + vs, start + ve) });
    }

    fn comment(&mut self, text: &str, start: usize, inside_instruction: bool) {
        let lead = text.len() - text.trim_start().len();
        self.file.comments.push(Comment {
            text: text[lead + 1..].trim().to_string(),
            span: Span::new(start + lead, start + text.len()),
            inside_instruction,
        });
    }

    fn run(&mut self) {
        while self.next < self.lines.len() {
            let Line { start, text } = self.lines[self.next];
            self.next += 1;
            let (start, text) = match text.strip_prefix('\u{feff}') {
                Some(t) if start == 0 => (start + 3, t),
                _ => (start, text),
            };
            let lead = text.len() - text.trim_start().len();
            let token = &text[lead..];
            let token_start = start + lead;
            if token.starts_with('#') {
                self.comment(text, start, false);
            }
            self.directive_line(token, token_start);
            let content = if token.starts_with('#') { "" } else { token };
            let (first, mut continues) = trim_continuation(content, self.escape);
            if !continues && first.is_empty() {
                continue;
            }
            let mut logical = Text { text: first.to_string(), pieces: vec![(0, token_start)] };
            let mut end = start + text.len();
            let mut empty_lines = Vec::new();
            while continues && self.next < self.lines.len() {
                let line = &self.lines[self.next];
                let (lstart, ltext) = (line.start, line.text);
                self.next += 1;
                if ltext.trim_start().starts_with('#') {
                    self.comment(ltext, lstart, true);
                    continue;
                }
                if ltext.trim_start().is_empty() {
                    empty_lines.push(Span::new(lstart, lstart + ltext.len()));
                    continue;
                }
                let (piece, more) = trim_continuation(ltext, self.escape);
                logical.pieces.push((logical.text.len(), lstart));
                logical.text.push_str(piece);
                end = lstart + ltext.len();
                continues = more;
            }
            let span = Span::new(token_start, end);
            let mut reader = Reader { escape: self.escape, errors: &mut self.errors };
            let mut ins = reader.instruction(&logical, span);
            ins.empty_continuation_lines = empty_lines;
            self.heredocs(&mut ins, &logical);
            self.file.instructions.push(ins);
        }
    }

    /// Reads the bodies of the heredocs an instruction opens, from the lines after it.
    fn heredocs(&mut self, ins: &mut Instruction, logical: &Text) {
        let target = ins.effective();
        let json =
            matches!(&target.args, Args::Command(c) if c.is_exec()) || matches!(&target.args, Args::Copy(c) if c.json);
        if !matches!(target.kind, Keyword::Run | Keyword::Copy | Keyword::Add) || json {
            return;
        }
        for (ws, we) in split_words(&logical.text, '\\') {
            let word = &logical.text[ws..we];
            let Some(mut doc) = heredoc_marker(word) else { continue };
            doc.marker = logical.source_span(ws, we);
            doc.content_start = self.lines.get(self.next).map_or(self.src.len(), |l| l.start);
            while self.next < self.lines.len() {
                let line = &self.lines[self.next];
                self.next += 1;
                let candidate = if doc.chomp { line.text.trim_start_matches('\t') } else { line.text };
                ins.span.end = line.end();
                if candidate == doc.name {
                    doc.terminated = true;
                    break;
                }
                let full_end = self.lines.get(self.next).map_or(self.src.len(), |l| l.start);
                doc.content.push_str(&self.src[line.start..full_end]);
            }
            if !doc.terminated {
                self.errors.push(ParseError { message: "unterminated heredoc".into(), span: doc.marker });
            }
            ins.heredocs.push(doc);
        }
    }
}

/// `[n]<<[-]WORD` (BuildKit's heredoc pattern) with WORD one shell word.
fn heredoc_marker(word: &str) -> Option<Heredoc> {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty() || rest.contains('<') || split_words(rest, '\\').len() != 1 {
        return None;
    }
    let name = unquote(rest, '\\');
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    Some(Heredoc {
        expand: quotes(&name) == quotes(rest),
        name,
        chomp,
        fd: word[..digits].parse().ok(),
        content: String::new(),
        content_start: 0,
        marker: Span::default(),
        terminated: false,
    })
}

pub(super) fn parse(src: &str) -> Parsed {
    let mut state = State {
        src,
        lines: physical_lines(src),
        next: 0,
        escape: '\\',
        directives_done: false,
        file: Dockerfile { escape: '\\', ..Dockerfile::default() },
        errors: Vec::new(),
    };
    state.run();
    state.file.escape = state.escape;
    if state.file.instructions.is_empty() {
        state
            .errors
            .push(ParseError { message: "file with no instructions".into(), span: Span::new(src.len(), src.len()) });
    }
    Parsed { dockerfile: state.file, errors: state.errors }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives() {
        assert_eq!(directive("# syntax = docker/dockerfile:1 "), Some(("syntax", (11, 30))));
        assert_eq!(directive("#escape=`"), Some(("escape", (8, 9))));
        assert_eq!(directive("# just a comment"), None);
        assert_eq!(directive("# key ="), None);
    }

    #[test]
    fn trims_continuations() {
        assert_eq!(trim_continuation("a \\  ", '\\'), ("a ", true));
        assert_eq!(trim_continuation("\\", '\\'), ("", true));
        assert_eq!(trim_continuation("a\\\\", '\\'), ("a\\\\", false));
        assert_eq!(trim_continuation("a `", '`'), ("a ", true));
        assert_eq!(trim_continuation("a \\", '`'), ("a \\", false));
    }

    #[test]
    fn recognises_heredoc_markers() {
        let h = heredoc_marker("<<-'EOT'").unwrap();
        assert_eq!((h.name.as_str(), h.chomp, h.expand), ("EOT", true, false));
        let h = heredoc_marker("3<<EOF").unwrap();
        assert_eq!((h.name.as_str(), h.fd, h.expand), ("EOF", Some(3), true));
        assert!(heredoc_marker("<<<here").is_none());
        assert!(heredoc_marker("<<").is_none());
        assert!(heredoc_marker("a<<EOF").is_none());
    }
}
