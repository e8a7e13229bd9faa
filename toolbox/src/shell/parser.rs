//! A recursive-descent parser for the POSIX shell grammar, one complete command (line) at a time, as ash runs
//! scripts: a syntax error further down does not stop the commands before it.

use std::rc::Rc;

use super::ast::{AndOr, Command, Compound, Connector, List, Pipeline, Redir, RedirOp, Simple, Word};
use super::lexer::{Lexer, SyntaxError, Token, literal};

/// Reserved words that end a list and can never start a command.
const CLOSERS: &[&str] = &["then", "else", "elif", "fi", "do", "done", "esac", "}", "in"];

pub struct Parser {
    lexer: Lexer,
    peeked: Option<Token>,
}

fn is_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Parser {
    #[must_use]
    pub fn new(source: &str, first_line: usize) -> Parser {
        Parser { lexer: Lexer::new(source, first_line), peeked: None }
    }

    /// Asks for more input (an `eof` error) when a here-document is not closed yet, as an interactive shell does.
    #[must_use]
    pub fn incremental(mut self) -> Parser {
        self.lexer.strict_here_docs = true;
        self
    }

    /// The line the parser has reached.
    #[must_use]
    pub fn line(&self) -> usize {
        self.lexer.line
    }

    fn peek(&mut self) -> Result<&Token, SyntaxError> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lexer.next_token()?);
        }
        Ok(self.peeked.as_ref().unwrap_or(&Token::Eof))
    }

    fn next(&mut self) -> Result<Token, SyntaxError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lexer.next_token(),
        }
    }

    fn unexpected(&self, token: &Token, expecting: Option<&str>) -> SyntaxError {
        let mut message = format!("unexpected {}", token.describe());
        if let Some(e) = expecting {
            message.push_str(&format!(" (expecting \"{e}\")"));
        }
        SyntaxError { message, line: self.lexer.line, eof: *token == Token::Eof }
    }

    fn peek_reserved(&mut self) -> Result<Option<String>, SyntaxError> {
        Ok(match self.peek()? {
            Token::Word(w) => literal(w).filter(|s| super::lexer::RESERVED.contains(s)).map(str::to_string),
            _ => None,
        })
    }

    fn expect_reserved(&mut self, word: &str) -> Result<(), SyntaxError> {
        if self.peek_reserved()?.as_deref() == Some(word) {
            self.next()?;
            Ok(())
        } else {
            let token = self.next()?;
            Err(self.unexpected(&token, Some(word)))
        }
    }

    fn skip_newlines(&mut self) -> Result<(), SyntaxError> {
        while *self.peek()? == Token::Newline {
            self.next()?;
        }
        Ok(())
    }

    /// The next complete command: everything up to the end of a line. `None` at the end of the input.
    pub fn next_command(&mut self) -> Result<Option<List>, SyntaxError> {
        self.skip_newlines()?;
        if *self.peek()? == Token::Eof {
            return Ok(None);
        }
        let mut list = vec![self.and_or()?];
        loop {
            match self.peek()? {
                Token::Op(";" | "&") => {
                    self.next()?;
                    if matches!(self.peek()?, Token::Newline | Token::Eof) {
                        break;
                    }
                    list.push(self.and_or()?);
                }
                Token::Newline | Token::Eof => break,
                _ => {
                    let token = self.next()?;
                    return Err(self.unexpected(&token, None));
                }
            }
        }
        if *self.peek()? == Token::Newline {
            self.next()?;
        }
        Ok(Some(list))
    }

    /// A list inside a compound command, ending before one of `ends` (reserved words), `)` or `;;`.
    fn compound_list(&mut self, ends: &[&str]) -> Result<List, SyntaxError> {
        let mut list = Vec::new();
        loop {
            self.skip_newlines()?;
            if let Some(word) = self.peek_reserved()? {
                if ends.contains(&word.as_str()) || CLOSERS.contains(&word.as_str()) {
                    break;
                }
            }
            if matches!(self.peek()?, Token::Op(")" | ";;") | Token::Eof) {
                break;
            }
            list.push(self.and_or()?);
            match self.peek()? {
                Token::Op(";" | "&") | Token::Newline => {
                    self.next()?;
                }
                _ => break,
            }
        }
        Ok(list)
    }

    /// A body that must not be empty (ash rejects `if ; then`).
    fn nonempty_list(&mut self, ends: &[&str], expecting: &str) -> Result<List, SyntaxError> {
        let list = self.compound_list(ends)?;
        if list.is_empty() {
            let token = self.next()?;
            return Err(self.unexpected(&token, if token == Token::Eof { Some(expecting) } else { None }));
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, SyntaxError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let connector = match self.peek()? {
                Token::Op("&&") => Connector::And,
                Token::Op("||") => Connector::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((connector, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        let mut bang = false;
        while self.peek_reserved()?.as_deref() == Some("!") {
            self.next()?;
            bang = !bang;
        }
        let mut commands = vec![self.command()?];
        while *self.peek()? == Token::Op("|") {
            self.next()?;
            self.skip_newlines()?;
            commands.push(self.command()?);
        }
        Ok(Pipeline { bang, commands })
    }

    fn command(&mut self) -> Result<Command, SyntaxError> {
        if let Some(word) = self.peek_reserved()? {
            let compound = match word.as_str() {
                "if" => self.if_clause()?,
                "for" => self.for_clause()?,
                "while" | "until" => self.while_clause(word == "until")?,
                "case" => self.case_clause()?,
                "{" => {
                    self.next()?;
                    let body = self.nonempty_list(&["}"], "}")?;
                    self.expect_reserved("}")?;
                    Compound::Group(body)
                }
                _ => {
                    let token = self.next()?;
                    return Err(self.unexpected(&token, None));
                }
            };
            let redirs = self.redirections()?;
            return Ok(Command::Compound(Box::new(compound), redirs));
        }
        if *self.peek()? == Token::Op("(") {
            self.next()?;
            let body = self.nonempty_list(&[], ")")?;
            match self.next()? {
                Token::Op(")") => {}
                other => return Err(self.unexpected(&other, Some(")"))),
            }
            let redirs = self.redirections()?;
            return Ok(Command::Compound(Box::new(Compound::Subshell(body)), redirs));
        }
        self.simple()
    }

    fn redirections(&mut self) -> Result<Vec<Redir>, SyntaxError> {
        let mut redirs = Vec::new();
        while let Some(r) = self.redirection()? {
            redirs.push(r);
        }
        Ok(redirs)
    }

    fn redirection(&mut self) -> Result<Option<Redir>, SyntaxError> {
        let fd = match self.peek()? {
            Token::IoNumber(n) => {
                let n = *n;
                self.next()?;
                Some(n)
            }
            _ => None,
        };
        let op = match self.peek()? {
            Token::Op(op @ ("<" | ">" | ">|" | ">>" | "<>" | ">&" | "<&" | "<<" | "<<-")) => *op,
            _ => return Ok(None),
        };
        self.next()?;
        let target = match self.next()? {
            Token::Word(w) => w,
            other => return Err(self.unexpected(&other, None)),
        };
        let strip_tabs = op == "<<-";
        let (op, default_fd) = match op {
            "<" => (RedirOp::In, 0),
            ">" | ">|" => (RedirOp::Out, 1),
            ">>" => (RedirOp::Append, 1),
            "<>" => (RedirOp::ReadWrite, 0),
            ">&" => (RedirOp::DupOut, 1),
            "<&" => (RedirOp::DupIn, 0),
            _ => (RedirOp::HereDoc, 0),
        };
        let body = (op == RedirOp::HereDoc).then(|| self.lexer.here_doc(&target, strip_tabs));
        Ok(Some(Redir { fd: fd.unwrap_or(default_fd), op, target, body }))
    }

    fn simple(&mut self) -> Result<Command, SyntaxError> {
        let line = self.lexer.line;
        let mut simple = Simple { assigns: Vec::new(), words: Vec::new(), redirs: Vec::new(), line };
        loop {
            if let Some(r) = self.redirection()? {
                simple.redirs.push(r);
                continue;
            }
            let Token::Word(word) = self.peek()?.clone() else { break };
            self.next()?;
            if simple.words.is_empty() {
                if let Some(assign) = assignment(&word) {
                    simple.assigns.push(assign);
                    continue;
                }
                // `name() compound-command` defines a function.
                if simple.assigns.is_empty() && simple.redirs.is_empty() && *self.peek()? == Token::Op("(") {
                    if let Some(name) = literal(&word).filter(|n| is_name(n)).map(str::to_string) {
                        self.next()?;
                        match self.next()? {
                            Token::Op(")") => {}
                            other => return Err(self.unexpected(&other, Some(")"))),
                        }
                        self.skip_newlines()?;
                        let body = self.command()?;
                        return Ok(Command::FuncDef(name, Rc::new(body)));
                    }
                }
            }
            simple.words.push(word);
        }
        if simple.words.is_empty() && simple.assigns.is_empty() && simple.redirs.is_empty() {
            let token = self.next()?;
            return Err(self.unexpected(&token, None));
        }
        Ok(Command::Simple(simple))
    }

    fn if_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.nonempty_list(&["then"], "then")?;
            self.expect_reserved("then")?;
            let body = self.nonempty_list(&["elif", "else", "fi"], "fi")?;
            branches.push((cond, body));
            match self.peek_reserved()?.as_deref() {
                Some("elif") => {
                    self.next()?;
                }
                Some("else") => {
                    self.next()?;
                    otherwise = Some(self.nonempty_list(&["fi"], "fi")?);
                    self.expect_reserved("fi")?;
                    break;
                }
                _ => {
                    self.expect_reserved("fi")?;
                    break;
                }
            }
        }
        Ok(Compound::If { branches, otherwise })
    }

    fn for_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let var = match self.next()? {
            Token::Word(w) if literal(&w).is_some_and(is_name) => literal(&w).unwrap_or_default().to_string(),
            _ => {
                return Err(SyntaxError { message: "bad for loop variable".into(), line: self.lexer.line, eof: false });
            }
        };
        self.skip_newlines()?;
        let mut words = None;
        if self.peek_reserved()?.as_deref() == Some("in") {
            self.next()?;
            let mut list = Vec::new();
            while let Token::Word(w) = self.peek()?.clone() {
                self.next()?;
                list.push(w);
            }
            words = Some(list);
            match self.next()? {
                Token::Op(";") | Token::Newline => {}
                other => return Err(self.unexpected(&other, Some("do"))),
            }
        } else if *self.peek()? == Token::Op(";") {
            self.next()?;
        }
        self.skip_newlines()?;
        self.expect_reserved("do")?;
        let body = self.nonempty_list(&["done"], "done")?;
        self.expect_reserved("done")?;
        Ok(Compound::For { var, words, body })
    }

    fn while_clause(&mut self, until: bool) -> Result<Compound, SyntaxError> {
        self.next()?;
        let cond = self.nonempty_list(&["do"], "do")?;
        self.expect_reserved("do")?;
        let body = self.nonempty_list(&["done"], "done")?;
        self.expect_reserved("done")?;
        Ok(Compound::While { cond, body, until })
    }

    fn case_clause(&mut self) -> Result<Compound, SyntaxError> {
        self.next()?;
        let word = match self.next()? {
            Token::Word(w) => w,
            other => return Err(self.unexpected(&other, Some("word"))),
        };
        self.skip_newlines()?;
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_reserved()?.as_deref() == Some("esac") {
                self.next()?;
                break;
            }
            if *self.peek()? == Token::Op("(") {
                self.next()?;
            }
            let mut patterns: Vec<Word> = Vec::new();
            loop {
                match self.next()? {
                    Token::Word(w) => patterns.push(w),
                    other => return Err(self.unexpected(&other, Some(")"))),
                }
                match self.next()? {
                    Token::Op("|") => {}
                    Token::Op(")") => break,
                    other => return Err(self.unexpected(&other, Some(")"))),
                }
            }
            let body = self.compound_list(&["esac"])?;
            arms.push((patterns, body));
            if *self.peek()? == Token::Op(";;") {
                self.next()?;
            } else {
                self.skip_newlines()?;
                self.expect_reserved("esac")?;
                break;
            }
        }
        Ok(Compound::Case { word, arms })
    }
}

/// `NAME=value` at the start of a simple command.
fn assignment(word: &Word) -> Option<(String, Word)> {
    let super::ast::Part::Lit(first) = word.first()? else { return None };
    let (name, value) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut rest: Word = Vec::new();
    if !value.is_empty() {
        rest.push(super::ast::Part::Lit(value.to_string()));
    }
    rest.extend(word[1..].iter().cloned());
    Some((name.to_string(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(src: &str) -> Result<Vec<List>, SyntaxError> {
        let mut parser = Parser::new(src, 1);
        let mut out = Vec::new();
        while let Some(list) = parser.next_command()? {
            out.push(list);
        }
        Ok(out)
    }

    fn error(src: &str) -> String {
        parse_all(src).unwrap_err().message
    }

    #[test]
    fn parses_compound_commands() {
        let lists =
            parse_all("if true; then echo a; elif false; then :; else b; fi\nfor x in 1 2; do echo $x; done | cat")
                .unwrap();
        assert_eq!(lists.len(), 2);
        assert!(parse_all("f() { echo hi; }; case $x in a|b) echo ab;; *) echo other;; esac").is_ok());
        assert!(parse_all("while read l; do echo \"$l\"; done < f; (cd /; ls) > out 2>&1").is_ok());
        assert!(parse_all("cat <<EOF\nhello $USER\nEOF\necho after").is_ok());
    }

    #[test]
    fn reports_errors_like_ash() {
        assert_eq!(error("&& x"), "unexpected \"&&\"");
        assert_eq!(error("echo a |"), "unexpected end of file");
        assert_eq!(error("if true; fi"), "unexpected \"fi\" (expecting \"then\")");
        assert_eq!(error("for"), "bad for loop variable");
        assert_eq!(error("for x"), "unexpected end of file (expecting \"do\")");
        assert_eq!(error("if true; then echo; else"), "unexpected end of file (expecting \"fi\")");
        assert_eq!(error("; echo"), "unexpected \";\"");
        assert_eq!(error("echo a;;"), "unexpected \";;\"");
        assert_eq!(error("while true; do"), "unexpected end of file (expecting \"done\")");
        assert_eq!(error("{ echo"), "unexpected end of file (expecting \"}\")");
        assert_eq!(error("( echo"), "unexpected end of file (expecting \")\")");
        assert_eq!(error("if then fi"), "unexpected \"then\"");
        assert_eq!(error("echo )"), "unexpected \")\"");
        assert_eq!(error("fi"), "unexpected \"fi\"");
    }
}
