//! Splits shell source into tokens. Words come out already split into quoted and unquoted parts and expansions;
//! here-document bodies are read when the line that introduced them ends.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{Param, ParamOp, Part, Word};

#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    /// The input ended too early: an interactive shell reads another line and tries again.
    pub eof: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Word(Word),
    IoNumber(u32),
    Op(&'static str),
    Newline,
    Eof,
}

pub const RESERVED: &[&str] =
    &["if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}", "!"];

/// Longest first, so that `>>` wins over `>`.
const OPS: &[&str] = &["&&", "||", ";;", "<<-", "<<", "<&", "<>", ">>", ">&", ">|", ";", "&", "|", "(", ")", "<", ">"];

impl Token {
    /// How ash names a token in "unexpected …" messages.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Token::Word(w) => match literal(w) {
                Some(s) if RESERVED.contains(&s) => format!("\"{s}\""),
                _ => "word".to_string(),
            },
            Token::IoNumber(_) => "word".to_string(),
            Token::Op(op) => format!("\"{op}\""),
            Token::Newline => "newline".to_string(),
            Token::Eof => "end of file".to_string(),
        }
    }
}

/// The text of a word made of one unquoted literal (a reserved word, a name), if it is one.
#[must_use]
pub fn literal(word: &Word) -> Option<&str> {
    match word.as_slice() {
        [Part::Lit(s)] => Some(s),
        _ => None,
    }
}

struct PendingDoc {
    delimiter: String,
    quoted: bool,
    strip_tabs: bool,
    body: Rc<RefCell<Word>>,
}

#[derive(Clone, Copy, PartialEq)]
enum End {
    Word,
    DoubleQuote,
    Brace,
    /// Inside `${x/a/b}` or `${x:1:2}`: ends at the separator or at the closing brace.
    Separator(char),
    HereDoc,
}

pub struct Lexer {
    chars: Vec<char>,
    pos: usize,
    pub line: usize,
    pending: Vec<PendingDoc>,
    /// A here-document without its delimiter is an error asking for more input (an interactive shell),
    /// not a body that runs to the end of the input (a script).
    pub strict_here_docs: bool,
}

impl Lexer {
    #[must_use]
    pub fn new(source: &str, first_line: usize) -> Lexer {
        Lexer {
            chars: source.chars().collect(),
            pos: 0,
            line: first_line,
            pending: Vec::new(),
            strict_here_docs: false,
        }
    }

    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn error(&self, message: &str, eof: bool) -> SyntaxError {
        SyntaxError { message: message.to_string(), line: self.line, eof }
    }

    /// Registers a here-document whose body starts after the current line; returns the slot it will fill.
    pub fn here_doc(&mut self, delimiter: &Word, strip_tabs: bool) -> Rc<RefCell<Word>> {
        let quoted = delimiter.iter().any(|p| !matches!(p, Part::Lit(_)));
        let text = plain_text(delimiter);
        let body = Rc::new(RefCell::new(Word::new()));
        self.pending.push(PendingDoc { delimiter: text, quoted, strip_tabs, body: body.clone() });
        body
    }

    pub fn next_token(&mut self) -> Result<Token, SyntaxError> {
        loop {
            match self.peek(0) {
                None => {
                    if !self.pending.is_empty() {
                        self.read_here_docs()?;
                    }
                    return Ok(Token::Eof);
                }
                Some(' ' | '\t') => self.pos += 1,
                Some('\\') if self.peek(1) == Some('\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some('#') => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                Some('\n') => {
                    self.pos += 1;
                    self.line += 1;
                    self.read_here_docs()?;
                    return Ok(Token::Newline);
                }
                Some(_) => break,
            }
        }
        for op in OPS {
            if op.chars().enumerate().all(|(i, c)| self.peek(i) == Some(c)) {
                self.pos += op.chars().count();
                return Ok(Token::Op(op));
            }
        }
        let word = self.parts(End::Word)?;
        if let Some(digits) = literal(&word) {
            if digits.bytes().all(|b| b.is_ascii_digit()) && matches!(self.peek(0), Some('<' | '>')) {
                return Ok(Token::IoNumber(digits.parse().unwrap_or(u32::MAX)));
            }
        }
        Ok(Token::Word(word))
    }

    fn read_here_docs(&mut self) -> Result<(), SyntaxError> {
        for doc in std::mem::take(&mut self.pending) {
            let mut text = String::new();
            let mut closed = false;
            while self.pos < self.chars.len() {
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let mut line: String = self.chars[start..self.pos].iter().collect();
                if self.peek(0) == Some('\n') {
                    self.pos += 1;
                }
                self.line += 1;
                if doc.strip_tabs {
                    line = line.trim_start_matches('\t').to_string();
                }
                if line == doc.delimiter {
                    closed = true;
                    break;
                }
                text.push_str(&line);
                text.push('\n');
            }
            if !closed && self.strict_here_docs {
                return Err(self.error("unexpected end of file in here-document", true));
            }
            let word = if doc.quoted {
                vec![Part::Quoted(text)]
            } else {
                let mut sub = Lexer::new(&text, self.line);
                vec![Part::Double(sub.parts(End::HereDoc)?)]
            };
            *doc.body.borrow_mut() = word;
        }
        Ok(())
    }

    /// Reads parts until the end the mode defines. Literal runs are merged.
    fn parts(&mut self, end: End) -> Result<Vec<Part>, SyntaxError> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let quoted_context = matches!(end, End::DoubleQuote | End::HereDoc);
        loop {
            let Some(c) = self.peek(0) else {
                return match end {
                    End::DoubleQuote => Err(self.error("unterminated quoted string", true)),
                    End::Brace | End::Separator(_) => Err(self.error("missing '}'", true)),
                    End::Word | End::HereDoc => break,
                };
            };
            match (end, c) {
                (End::Word, ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')') => break,
                (End::DoubleQuote, '"') | (End::Brace | End::Separator(_), '}') => {
                    self.pos += 1;
                    break;
                }
                (End::Separator(sep), c) if c == sep => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            if c == '\n' {
                self.line += 1;
            }
            match c {
                '\\' => {
                    let Some(next) = self.peek(1) else {
                        lit.push('\\');
                        self.pos += 1;
                        continue;
                    };
                    self.pos += 2;
                    if next == '\n' {
                        self.line += 1;
                    } else if !quoted_context
                        || matches!(next, '$' | '`' | '\\')
                        || (end == End::DoubleQuote && next == '"')
                    {
                        flush(&mut parts, &mut lit);
                        parts.push(Part::Quoted(next.to_string()));
                    } else {
                        lit.push('\\');
                        lit.push(next);
                    }
                }
                '\'' if !quoted_context => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek(0).is_some_and(|c| c != '\'') {
                        if self.peek(0) == Some('\n') {
                            self.line += 1;
                        }
                        self.pos += 1;
                    }
                    if self.peek(0).is_none() {
                        return Err(self.error("unterminated quoted string", true));
                    }
                    flush(&mut parts, &mut lit);
                    parts.push(Part::Quoted(self.chars[start..self.pos].iter().collect()));
                    self.pos += 1;
                }
                '"' if !quoted_context => {
                    self.pos += 1;
                    flush(&mut parts, &mut lit);
                    let inner = self.parts(End::DoubleQuote)?;
                    parts.push(Part::Double(inner));
                }
                '$' => {
                    self.pos += 1;
                    match self.dollar(quoted_context)? {
                        Some(part) => {
                            flush(&mut parts, &mut lit);
                            parts.push(part);
                        }
                        None => lit.push('$'),
                    }
                }
                '`' => {
                    self.pos += 1;
                    flush(&mut parts, &mut lit);
                    parts.push(Part::Command(self.backquote(end == End::DoubleQuote)?));
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut parts, &mut lit);
        Ok(parts)
    }

    /// After a `$`: a parameter, command substitution or arithmetic; `None` for a literal dollar sign.
    fn dollar(&mut self, in_quotes: bool) -> Result<Option<Part>, SyntaxError> {
        let Some(c) = self.peek(0) else { return Ok(None) };
        let simple =
            |name: String| Part::Param(Box::new(Param { name, op: ParamOp::Plain, word: Word::new(), extra: None }));
        match c {
            '(' if self.peek(1) == Some('(') => {
                self.pos += 2;
                Ok(Some(Part::Arith(self.arithmetic()?)))
            }
            '(' => {
                self.pos += 1;
                Ok(Some(Part::Command(self.balanced()?)))
            }
            '{' => {
                self.pos += 1;
                self.braced(in_quotes).map(Some)
            }
            c if c.is_ascii_alphabetic() || c == '_' => Ok(Some(simple(self.name()))),
            c if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.pos += 1;
                Ok(Some(simple(c.to_string())))
            }
            _ => Ok(None),
        }
    }

    fn name(&mut self) -> String {
        let start = self.pos;
        while self.peek(0).is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    fn braced(&mut self, in_quotes: bool) -> Result<Part, SyntaxError> {
        let bad = |lexer: &Lexer| lexer.error("bad substitution", false);
        let mut length = false;
        if self.peek(0) == Some('#') && self.peek(1).is_some_and(|c| c != '}') {
            length = true;
            self.pos += 1;
        }
        let name = match self.peek(0) {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => self.name(),
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
                self.chars[start..self.pos].iter().collect()
            }
            Some(c) if "?#@*$!-".contains(c) => {
                self.pos += 1;
                c.to_string()
            }
            None => return Err(self.error("missing '}'", true)),
            _ => return Err(bad(self)),
        };
        if length {
            if self.peek(0) != Some('}') {
                return Err(if self.peek(0).is_none() { self.error("missing '}'", true) } else { bad(self) });
            }
            self.pos += 1;
            return Ok(Part::Param(Box::new(Param { name, op: ParamOp::Length, word: Word::new(), extra: None })));
        }
        let two: String = [self.peek(0), self.peek(1)].iter().flatten().collect();
        let (op, used) = match (two.chars().next(), two.chars().nth(1)) {
            (Some('}'), _) => (ParamOp::Plain, 0),
            (Some(':'), Some('-')) => (ParamOp::Default(true), 2),
            (Some(':'), Some('=')) => (ParamOp::Assign(true), 2),
            (Some(':'), Some('?')) => (ParamOp::Error(true), 2),
            (Some(':'), Some('+')) => (ParamOp::Alternative(true), 2),
            (Some('-'), _) => (ParamOp::Default(false), 1),
            (Some('='), _) => (ParamOp::Assign(false), 1),
            (Some('?'), _) => (ParamOp::Error(false), 1),
            (Some('+'), _) => (ParamOp::Alternative(false), 1),
            (Some('%'), Some('%')) => (ParamOp::TrimSuffix(true), 2),
            (Some('%'), _) => (ParamOp::TrimSuffix(false), 1),
            (Some('#'), Some('#')) => (ParamOp::TrimPrefix(true), 2),
            (Some('#'), _) => (ParamOp::TrimPrefix(false), 1),
            (Some('/'), Some('/')) => (ParamOp::Replace(true), 2),
            (Some('/'), _) => (ParamOp::Replace(false), 1),
            (Some(':'), _) => (ParamOp::Substring, 1),
            (None, _) => return Err(self.error("missing '}'", true)),
            _ => return Err(bad(self)),
        };
        self.pos += used;
        if op == ParamOp::Plain {
            self.pos += 1;
            return Ok(Part::Param(Box::new(Param { name, op, word: Word::new(), extra: None })));
        }
        if matches!(op, ParamOp::Replace(_) | ParamOp::Substring) {
            let separator = if op == ParamOp::Substring { ':' } else { '/' };
            let word = self.parts(End::Separator(separator))?;
            let extra =
                if self.chars.get(self.pos - 1) == Some(&separator) { Some(self.parts(End::Brace)?) } else { None };
            return Ok(Part::Param(Box::new(Param { name, op, word, extra })));
        }
        let mut word = self.parts(End::Brace)?;
        if in_quotes {
            word = vec![Part::Double(word)];
        }
        Ok(Part::Param(Box::new(Param { name, op, word, extra: None })))
    }

    /// The source of `$(…)`, up to the matching parenthesis.
    fn balanced(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let mut depth = 1;
        loop {
            let Some(c) = self.peek(0) else {
                return Err(self.error("unexpected end of file (expecting \")\")", true));
            };
            self.pos += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(self.chars[start..self.pos - 1].iter().collect());
                    }
                }
                '\n' => self.line += 1,
                '\\' => self.pos += 1,
                '\'' => {
                    while self.peek(0).is_some_and(|c| c != '\'') {
                        self.pos += 1;
                    }
                    self.pos += 1;
                }
                '"' => {
                    while let Some(c) = self.peek(0) {
                        self.pos += 1;
                        match c {
                            '\\' => self.pos += 1,
                            '"' => break,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The source of `$((…))`, up to the matching `))`.
    fn arithmetic(&mut self) -> Result<String, SyntaxError> {
        let start = self.pos;
        let mut depth = 0;
        loop {
            match self.peek(0) {
                None => return Err(self.error("unexpected end of file (expecting \"))\")", true)),
                Some('(') => depth += 1,
                Some(')') if depth == 0 && self.peek(1) == Some(')') => {
                    let text = self.chars[start..self.pos].iter().collect();
                    self.pos += 2;
                    return Ok(text);
                }
                Some(')') => depth -= 1,
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// The source of a backquoted command; inside double quotes `\"` is unescaped too.
    fn backquote(&mut self, in_quotes: bool) -> Result<String, SyntaxError> {
        let mut text = String::new();
        loop {
            match self.peek(0) {
                None => return Err(self.error("EOF in backquote substitution", true)),
                Some('`') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some('\\')
                    if matches!(self.peek(1), Some('$' | '`' | '\\')) || (in_quotes && self.peek(1) == Some('"')) =>
                {
                    text.push(self.chars[self.pos + 1]);
                    self.pos += 2;
                }
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
    }
}

fn flush(parts: &mut Vec<Part>, lit: &mut String) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

/// A word's text with quotes removed and nothing expanded (here-document delimiters, `for` names).
#[must_use]
pub fn plain_text(word: &Word) -> String {
    word.iter()
        .map(|p| match p {
            Part::Lit(s) | Part::Quoted(s) => s.clone(),
            Part::Double(inner) => plain_text(inner),
            Part::Param(p) => format!("${}", p.name),
            Part::Command(c) => format!("$({c})"),
            Part::Arith(a) => format!("$(({a}))"),
        })
        .collect()
}

/// Parses text as the inside of double quotes: `$` expansions and backquotes, no quote removal. Used for the
/// inside of `$((…))`.
pub fn quoted_word(text: &str) -> Result<Word, SyntaxError> {
    Lexer::new(text, 0).parts(End::HereDoc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<Token> {
        let mut lexer = Lexer::new(src, 1);
        let mut out = Vec::new();
        loop {
            let t = lexer.next_token().unwrap();
            if t == Token::Eof {
                return out;
            }
            out.push(t);
        }
    }

    #[test]
    fn words_operators_and_quotes() {
        let t = tokens("echo 'a b'\"c$X\" 2>&1 && x\\ y # comment\n");
        assert_eq!(t[0], Token::Word(vec![Part::Lit("echo".into())]));
        let Token::Word(w) = &t[1] else { panic!() };
        assert_eq!(w[0], Part::Quoted("a b".into()));
        assert!(matches!(&w[1], Part::Double(inner) if inner.len() == 2));
        assert_eq!(t[2], Token::IoNumber(2));
        assert_eq!(t[3], Token::Op(">&"));
        assert_eq!(t[5], Token::Op("&&"));
        assert_eq!(t[6], Token::Word(vec![Part::Lit("x".into()), Part::Quoted(" ".into()), Part::Lit("y".into())]));
        assert_eq!(t[7], Token::Newline);
        assert_eq!(t.len(), 8);
    }

    #[test]
    fn expansions() {
        let t = tokens("${A:-x y} $(echo ')') $((1+2)) `b`");
        let Token::Word(w) = &t[0] else { panic!() };
        let Part::Param(p) = &w[0] else { panic!() };
        assert_eq!(p.op, ParamOp::Default(true));
        assert_eq!(t[1], Token::Word(vec![Part::Command("echo ')'".into())]));
        assert_eq!(t[2], Token::Word(vec![Part::Arith("1+2".into())]));
        assert_eq!(t[3], Token::Word(vec![Part::Command("b".into())]));
    }

    #[test]
    fn errors() {
        let err = |src: &str| {
            let mut lexer = Lexer::new(src, 1);
            loop {
                match lexer.next_token() {
                    Err(e) => return e.message,
                    Ok(Token::Eof) => return String::new(),
                    Ok(_) => {}
                }
            }
        };
        assert_eq!(err("echo 'x"), "unterminated quoted string");
        assert_eq!(err("echo ${x"), "missing '}'");
        assert_eq!(err("echo `x"), "EOF in backquote substitution");
    }
}
