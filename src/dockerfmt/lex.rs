//! The lexer of Go's text/template, item by item as Go emits them, so that the parser can report the same
//! "unexpected X in Y" messages. Token recognizers are nom parsers; the state machine around them follows the
//! order in which Go tries them.

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::one_of;
use nom::combinator::{opt, recognize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    Str,
    Text,
    Variable,
    // Keywords: printed as `<word>` in messages.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Kind {
    fn is_keyword(self) -> bool {
        self as u8 >= Kind::Block as u8
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub kind: Kind,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            Kind::Eof => f.write_str("EOF"),
            Kind::Error => f.write_str(&self.val),
            k if k.is_keyword() => write!(f, "<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                write!(f, "{}...", super::printf::go_quote(&head))
            }
            _ => f.write_str(&super::printf::go_quote(&self.val)),
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// A Go number literal as the lexer accepts it (validity is checked later by the parser).
fn number(input: &str) -> IResult<&str, &str> {
    fn body(input: &str) -> IResult<&str, ()> {
        let (input, _) = opt(one_of("+-")).parse(input)?;
        let (rest, prefix) = opt(recognize((tag("0"), opt(one_of("xXoObB"))))).parse(input)?;
        let digits: fn(char) -> bool = match prefix.and_then(|p| p.chars().nth(1)) {
            Some('x' | 'X') => |c: char| c.is_ascii_hexdigit() || c == '_',
            Some('o' | 'O') => |c: char| matches!(c, '0'..='7' | '_'),
            Some('b' | 'B') => |c: char| matches!(c, '0' | '1' | '_'),
            _ => |c: char| c.is_ascii_digit() || c == '_',
        };
        let hex = matches!(prefix.and_then(|p| p.chars().nth(1)), Some('x' | 'X'));
        let plain = prefix.is_none_or(|p| p.len() == 1);
        let (rest, _) = take_while(digits).parse(rest)?;
        let (rest, _) = opt((tag("."), take_while(digits))).parse(rest)?;
        let exp = |marks: &'static str| {
            opt((one_of(marks), opt(one_of("+-")), take_while(|c: char| c.is_ascii_digit() || c == '_')))
        };
        let (rest, _) = if plain { exp("eE").parse(rest)? } else { (rest, None) };
        let (rest, _) = if hex { exp("pP").parse(rest)? } else { (rest, None) };
        let (rest, _) = opt(tag("i")).parse(rest)?;
        Ok((rest, ()))
    }
    recognize(body).parse(input)
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    items: Vec<Item>,
    paren_depth: i32,
}

/// Splits a template into items. The last item is `Eof` or an `Error` carrying Go's message.
pub(crate) fn lex(input: &str) -> Vec<Item> {
    let mut l = Lexer { input, pos: 0, start: 0, items: Vec::new(), paren_depth: 0 };
    let mut inside = false;
    loop {
        let next = if inside { l.inside_action() } else { l.text() };
        match next {
            Some(state) => inside = state,
            None => break,
        }
    }
    l.items
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    fn line_at(&self, pos: usize) -> usize {
        1 + self.input[..pos].matches('\n').count()
    }

    fn emit(&mut self, kind: Kind) {
        let val = self.input[self.start..self.pos].to_string();
        self.items.push(Item { kind, pos: self.start, val, line: self.line_at(self.start) });
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    /// Emits an error item; lexing stops.
    fn error(&mut self, msg: String) -> Option<bool> {
        self.items.push(Item { kind: Kind::Error, pos: self.start, val: msg, line: self.line_at(self.start) });
        None
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if has_right_trim(rest) && rest[2..].starts_with(RIGHT) {
            (true, true)
        } else {
            (rest.starts_with(RIGHT), false)
        }
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            Some(c) if !is_space(c) && !matches!(c, '.' | ',' | '|' | ':' | ')' | '(') => {
                self.rest().starts_with(RIGHT)
            }
            _ => true,
        }
    }

    /// Text up to the next action; returns Some(true) when an action starts.
    fn text(&mut self) -> Option<bool> {
        let Some(x) = self.rest().find(LEFT) else {
            self.pos = self.input.len();
            if self.pos > self.start {
                self.emit(Kind::Text);
            }
            self.emit(Kind::Eof);
            return None;
        };
        self.pos += x;
        let after = &self.input[self.pos + LEFT.len()..];
        let trim = if has_left_trim(after) {
            let text = &self.input[self.start..self.pos];
            text.len() - text.trim_end_matches(is_space).len()
        } else {
            0
        };
        self.pos -= trim;
        if self.pos > self.start {
            self.emit(Kind::Text);
        }
        self.pos += trim;
        self.ignore();
        // The left delimiter, possibly with a trim marker, possibly opening a comment.
        self.pos += LEFT.len();
        let marker = if has_left_trim(self.rest()) { 2 } else { 0 };
        if self.input[self.pos + marker..].starts_with("/*") {
            self.pos += marker;
            self.ignore();
            return self.comment();
        }
        self.emit(Kind::LeftDelim);
        self.pos += marker;
        self.ignore();
        self.paren_depth = 0;
        Some(true)
    }

    fn comment(&mut self) -> Option<bool> {
        self.pos += 2;
        let Some(i) = self.rest().find("*/") else {
            return self.error("unclosed comment".into());
        };
        self.pos += i + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
        }
        self.ignore();
        Some(false)
    }

    fn right_delim(&mut self) -> bool {
        let trim = has_right_trim(self.rest());
        if trim {
            self.pos += 2;
            self.ignore();
        }
        self.pos += RIGHT.len();
        self.emit(Kind::RightDelim);
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.ignore();
        }
        false
    }

    fn inside_action(&mut self) -> Option<bool> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(self.right_delim());
            }
            return self.error("unclosed left paren".into());
        }
        let Some(c) = self.peek() else {
            return self.error("unclosed action".into());
        };
        if is_space(c) {
            return Some(self.space());
        }
        self.pos += c.len_utf8();
        match c {
            '=' => self.emit(Kind::Assign),
            ':' => {
                if self.peek() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.pos += 1;
                self.emit(Kind::Declare);
            }
            '|' => self.emit(Kind::Pipe),
            '"' => return self.quote(),
            '`' => return self.raw_quote(),
            '$' => return self.variable(),
            '\'' => return self.char_constant(),
            '.' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => return self.field_or_variable(Kind::Field),
            '.' | '+' | '-' | '0'..='9' => {
                self.pos -= 1;
                return self.number();
            }
            c if is_alnum(c) => {
                self.pos -= c.len_utf8();
                return self.identifier();
            }
            '(' => {
                self.emit(Kind::LeftParen);
                self.paren_depth += 1;
            }
            ')' => {
                self.emit(Kind::RightParen);
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error(format!("unexpected right paren {}", unicode_plus(c)));
                }
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(Kind::Char),
            c => return self.error(format!("unrecognized character in action: {}", unicode_plus(c))),
        }
        Some(true)
    }

    fn space(&mut self) -> bool {
        let n = self.rest().len() - self.rest().trim_start_matches(is_space).len();
        let num_spaces = self.rest()[..n].chars().count();
        self.pos += n;
        let before = &self.input[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(RIGHT) {
            self.pos -= 1;
            if num_spaces == 1 {
                return self.right_delim();
            }
        }
        self.emit(Kind::Space);
        true
    }

    fn identifier(&mut self) -> Option<bool> {
        let len = self.rest().len() - self.rest().trim_start_matches(is_alnum).len();
        self.pos += len;
        if !self.at_terminator() {
            let bad = self.peek().map_or_else(|| "U+FFFFFFFF".to_string(), unicode_plus);
            return self.error(format!("bad character {bad}"));
        }
        let word = &self.input[self.start..self.pos];
        let kind = match word {
            "block" => Kind::Block,
            "break" => Kind::Break,
            "continue" => Kind::Continue,
            "define" => Kind::Define,
            "else" => Kind::Else,
            "end" => Kind::End,
            "if" => Kind::If,
            "range" => Kind::Range,
            "nil" => Kind::Nil,
            "template" => Kind::Template,
            "with" => Kind::With,
            "true" | "false" => Kind::Bool,
            _ => Kind::Identifier,
        };
        self.emit(kind);
        Some(true)
    }

    fn variable(&mut self) -> Option<bool> {
        if self.at_terminator() {
            self.emit(Kind::Variable);
            return Some(true);
        }
        self.field_or_variable(Kind::Variable)
    }

    fn field_or_variable(&mut self, kind: Kind) -> Option<bool> {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable { Kind::Variable } else { Kind::Dot });
            return Some(true);
        }
        let len = self.rest().len() - self.rest().trim_start_matches(is_alnum).len();
        self.pos += len;
        if !self.at_terminator() {
            let bad = self.peek().map_or_else(String::new, unicode_plus);
            return self.error(format!("bad character {bad}"));
        }
        self.emit(kind);
        Some(true)
    }

    fn char_constant(&mut self) -> Option<bool> {
        let mut chars = self.rest().char_indices();
        loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, c)) if c != '\n' => {}
                    _ => return self.error("unterminated character constant".into()),
                },
                None | Some((_, '\n')) => return self.error("unterminated character constant".into()),
                Some((i, '\'')) => {
                    self.pos += i + 1;
                    break;
                }
                Some(_) => {}
            }
        }
        self.emit(Kind::CharConstant);
        Some(true)
    }

    fn number(&mut self) -> Option<bool> {
        let bad = |l: &mut Self, len: usize| {
            let extra = l.input[l.pos + len..].chars().next().map_or(0, char::len_utf8);
            let text =
                format!("bad number syntax: {}", super::printf::go_quote(&l.input[l.start..l.pos + len + extra]));
            l.error(text)
        };
        let Ok((_, text)) = number(self.rest()) else { return bad(self, 0) };
        let mut len = text.len();
        if self.input[self.pos + len..].starts_with(is_alnum) {
            return bad(self, len);
        }
        if self.input[self.pos + len..].starts_with(['+', '-']) {
            // A complex literal such as 1+2i.
            let Ok((_, imag)) = number(&self.input[self.pos + len..]) else { return bad(self, len) };
            len += imag.len();
            if !imag.ends_with('i') || self.input[self.pos + len..].starts_with(is_alnum) {
                return bad(self, len);
            }
            self.pos += len;
            self.emit(Kind::Complex);
            return Some(true);
        }
        self.pos += len;
        self.emit(Kind::Number);
        Some(true)
    }

    fn quote(&mut self) -> Option<bool> {
        let mut chars = self.rest().char_indices();
        loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, c)) if c != '\n' => {}
                    _ => return self.error("unterminated quoted string".into()),
                },
                None | Some((_, '\n')) => return self.error("unterminated quoted string".into()),
                Some((i, '"')) => {
                    self.pos += i + 1;
                    break;
                }
                Some(_) => {}
            }
        }
        self.emit(Kind::Str);
        Some(true)
    }

    fn raw_quote(&mut self) -> Option<bool> {
        let Some(i) = self.rest().find('`') else {
            return self.error("unterminated raw quoted string".into());
        };
        self.pos += i + 1;
        self.emit(Kind::RawString);
        Some(true)
    }
}

/// Go's `%#U`: `U+0029 ')'`.
fn unicode_plus(c: char) -> String {
    format!("U+{:04X} '{c}'", c as u32)
}
