//! A recursive-descent parser for the JavaScript subset, with automatic semicolon insertion. Constructs outside the
//! subset are reported as unsupported, by name and line, rather than as syntax errors: the learner's script is
//! probably fine, and real node would run it.

use std::rc::Rc;

use super::ast::{DeclKind, Expr, ExprKind, Function, Param, Pattern, Pos, Stmt};
use super::lexer::{SyntaxError, Tok, Token, tokenize};

#[derive(Debug, Clone)]
pub enum ParseError {
    Syntax(SyntaxError),
    /// A feature outside the subset, and the line it is on.
    Unsupported(String, usize),
}

impl From<SyntaxError> for ParseError {
    fn from(e: SyntaxError) -> Self {
        ParseError::Syntax(e)
    }
}

type R<T> = Result<T, ParseError>;

pub fn parse(src: &str) -> R<Vec<Stmt>> {
    let mut p = Parser { toks: tokenize(src, 1)?, i: 0 };
    let mut body = Vec::new();
    while p.peek() != &Tok::Eof {
        body.push(p.statement()?);
    }
    Ok(body)
}

/// Binary operators by precedence, loosest first.
const LEVELS: &[&[&str]] = &[
    &["??"],
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["===", "!==", "==", "!="],
    &["<", ">", "<=", ">=", "instanceof", "in"],
    &["<<", ">>", ">>>"],
    &["+", "-"],
    &["*", "/", "%"],
    &["**"],
];

const RESERVED: &[&str] = &[
    "var",
    "let",
    "const",
    "function",
    "return",
    "if",
    "else",
    "for",
    "while",
    "do",
    "break",
    "continue",
    "new",
    "delete",
    "typeof",
    "void",
    "throw",
    "try",
    "catch",
    "finally",
    "switch",
    "case",
    "default",
    "in",
    "of",
    "instanceof",
    "class",
    "this",
    "null",
    "true",
    "false",
    "import",
    "export",
    "async",
    "await",
    "yield",
];

/// Gives an anonymous function the name it is bound to (`const run = () => …` is `run`), as JavaScript does.
fn name_function(e: &mut Expr, name: &str) {
    if let ExprKind::Function(f) = &mut e.kind
        && f.name.is_empty()
        && let Some(f) = Rc::get_mut(f)
    {
        f.name = name.to_string();
    }
}

struct Parser {
    toks: Vec<Token>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.i + n).min(self.toks.len() - 1)].tok
    }

    fn pos(&self) -> Pos {
        let t = &self.toks[self.i];
        Pos { line: t.line, col: t.col }
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.i].tok.clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    fn is(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::Punct(q) if *q == p)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Ident(q) if q == w)
    }

    fn eat(&mut self, p: &str) -> bool {
        if self.is(p) {
            self.next();
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.is_word(w) {
            self.next();
            true
        } else {
            false
        }
    }

    /// node's message for the token at hand.
    fn unexpected(&self) -> ParseError {
        let t = &self.toks[self.i];
        let message = match &t.tok {
            Tok::Eof => "Unexpected end of input".to_string(),
            Tok::Num(_) => "Unexpected number".to_string(),
            Tok::Str(_) => "Unexpected string".to_string(),
            Tok::Template(..) => "Unexpected template string".to_string(),
            Tok::Ident(w) if RESERVED.contains(&w.as_str()) => format!("Unexpected token '{w}'"),
            Tok::Ident(_) => "Unexpected identifier".to_string(),
            Tok::Punct(p) => format!("Unexpected token '{p}'"),
        };
        ParseError::Syntax(SyntaxError { message, line: t.line, col: t.col })
    }

    fn unsupported(&self, what: &str) -> ParseError {
        ParseError::Unsupported(what.to_string(), self.toks[self.i].line)
    }

    fn expect(&mut self, p: &str) -> R<()> {
        if self.eat(p) { Ok(()) } else { Err(self.unexpected()) }
    }

    fn ident(&mut self) -> R<String> {
        match self.peek().clone() {
            Tok::Ident(w) if !RESERVED.contains(&w.as_str()) || w == "of" || w == "async" => {
                self.next();
                Ok(w)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// Ends a statement: a `;`, or a line break, `}` or the end before the next token.
    fn semicolon(&mut self) -> R<()> {
        if self.eat(";") || self.is("}") || self.toks[self.i].newline_before { Ok(()) } else { Err(self.unexpected()) }
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect("{")?;
        let mut body = Vec::new();
        while !self.eat("}") {
            if self.peek() == &Tok::Eof {
                return Err(self.unexpected());
            }
            body.push(self.statement()?);
        }
        Ok(body)
    }

    fn statement(&mut self) -> R<Stmt> {
        let pos = self.pos();
        let word = match self.peek() {
            Tok::Ident(w) => w.clone(),
            Tok::Punct("{") => return Ok(Stmt::Block(self.block()?)),
            Tok::Punct(";") => {
                self.next();
                return Ok(Stmt::Empty);
            }
            _ => String::new(),
        };
        match word.as_str() {
            "var" | "const" => {
                let s = self.declaration()?;
                self.semicolon()?;
                Ok(s)
            }
            "let" if matches!(self.peek_at(1), Tok::Ident(_) | Tok::Punct("{" | "[")) => {
                let s = self.declaration()?;
                self.semicolon()?;
                Ok(s)
            }
            "function" => {
                self.next();
                if self.is("*") {
                    return Err(self.unsupported("generator functions"));
                }
                let name = self.ident()?;
                Ok(Stmt::Function(self.function_rest(name, pos)?))
            }
            "async" if matches!(self.peek_at(1), Tok::Ident(w) if w == "function") => {
                Err(self.unsupported("async functions"))
            }
            "class" => Err(self.unsupported("classes")),
            "import" if !matches!(self.peek_at(1), Tok::Punct("(" | ".")) => {
                Err(self.unsupported("ES module import statements"))
            }
            "export" => Err(self.unsupported("ES module export statements")),
            "if" => {
                self.next();
                self.expect("(")?;
                let test = self.expression()?;
                self.expect(")")?;
                let then = Box::new(self.statement()?);
                let other = if self.eat_word("else") { Some(Box::new(self.statement()?)) } else { None };
                Ok(Stmt::If(test, then, other))
            }
            "for" => self.for_statement(),
            "while" => {
                self.next();
                self.expect("(")?;
                let test = self.expression()?;
                self.expect(")")?;
                Ok(Stmt::While(test, Box::new(self.statement()?)))
            }
            "do" => {
                self.next();
                let body = Box::new(self.statement()?);
                if !self.eat_word("while") {
                    return Err(self.unexpected());
                }
                self.expect("(")?;
                let test = self.expression()?;
                self.expect(")")?;
                self.eat(";");
                Ok(Stmt::DoWhile(body, test))
            }
            "return" => {
                self.next();
                let value = if self.is(";") || self.is("}") || self.toks[self.i].newline_before {
                    None
                } else {
                    Some(self.expression()?)
                };
                self.semicolon()?;
                Ok(Stmt::Return(value))
            }
            "break" | "continue" => {
                self.next();
                if matches!(self.peek(), Tok::Ident(_)) && !self.toks[self.i].newline_before {
                    return Err(self.unsupported("labelled statements"));
                }
                self.semicolon()?;
                Ok(if word == "break" { Stmt::Break } else { Stmt::Continue })
            }
            "throw" => {
                self.next();
                let value = self.expression()?;
                self.semicolon()?;
                Ok(Stmt::Throw(value, pos))
            }
            "try" => {
                self.next();
                let block = self.block()?;
                let (mut param, mut handler, mut finally) = (None, None, None);
                if self.eat_word("catch") {
                    if self.eat("(") {
                        param = Some(self.pattern()?);
                        self.expect(")")?;
                    }
                    handler = Some(self.block()?);
                }
                if self.eat_word("finally") {
                    finally = Some(self.block()?);
                }
                if handler.is_none() && finally.is_none() {
                    return Err(self.unexpected());
                }
                Ok(Stmt::Try { block, param, handler, finally })
            }
            "switch" => {
                self.next();
                self.expect("(")?;
                let subject = self.expression()?;
                self.expect(")")?;
                self.expect("{")?;
                let mut cases = Vec::new();
                while !self.eat("}") {
                    let test = if self.eat_word("default") {
                        None
                    } else if self.eat_word("case") {
                        Some(self.expression()?)
                    } else {
                        return Err(self.unexpected());
                    };
                    self.expect(":")?;
                    let mut body = Vec::new();
                    while !self.is("}") && !self.is_word("case") && !self.is_word("default") {
                        if self.peek() == &Tok::Eof {
                            return Err(self.unexpected());
                        }
                        body.push(self.statement()?);
                    }
                    cases.push((test, body));
                }
                Ok(Stmt::Switch(subject, cases))
            }
            _ => {
                if matches!(self.peek(), Tok::Ident(_)) && self.peek_at(1) == &Tok::Punct(":") {
                    return Err(self.unsupported("labelled statements"));
                }
                let e = self.expression()?;
                self.semicolon()?;
                Ok(Stmt::Expr(e))
            }
        }
    }

    fn decl_kind(&mut self) -> DeclKind {
        match self.next() {
            Tok::Ident(w) if w == "var" => DeclKind::Var,
            Tok::Ident(w) if w == "let" => DeclKind::Let,
            _ => DeclKind::Const,
        }
    }

    fn declaration(&mut self) -> R<Stmt> {
        let pos = self.pos();
        let kind = self.decl_kind();
        let mut list = Vec::new();
        loop {
            let pattern = self.pattern()?;
            let init = if self.eat("=") {
                let mut e = self.assignment()?;
                if let Pattern::Name(n) = &pattern {
                    name_function(&mut e, n);
                }
                Some(e)
            } else if kind == DeclKind::Const || !matches!(pattern, Pattern::Name(_)) {
                let t = &self.toks[self.i];
                let message = if kind == DeclKind::Const {
                    "Missing initializer in const declaration"
                } else {
                    "Missing initializer in destructuring declaration"
                };
                return Err(ParseError::Syntax(SyntaxError { message: message.into(), line: t.line, col: t.col }));
            } else {
                None
            };
            list.push((pattern, init));
            if !self.eat(",") {
                break;
            }
        }
        Ok(Stmt::Decl(kind, list, pos))
    }

    fn pattern(&mut self) -> R<Pattern> {
        if self.eat("{") {
            let mut fields = Vec::new();
            while !self.eat("}") {
                if self.is("...") {
                    return Err(self.unsupported("rest properties in destructuring"));
                }
                let key = match self.next() {
                    Tok::Ident(w) => w,
                    Tok::Str(s) => s,
                    _ => {
                        self.i -= 1;
                        return Err(self.unexpected());
                    }
                };
                let name = if self.eat(":") {
                    if self.is("{") || self.is("[") {
                        return Err(self.unsupported("nested destructuring"));
                    }
                    self.ident()?
                } else {
                    key.clone()
                };
                let default = if self.eat("=") { Some(Rc::new(self.assignment()?)) } else { None };
                fields.push((key, name, default));
                if !self.eat(",") {
                    self.expect("}")?;
                    break;
                }
            }
            return Ok(Pattern::Object(fields));
        }
        if self.eat("[") {
            let mut names = Vec::new();
            while !self.eat("]") {
                if self.eat(",") {
                    names.push(None);
                    continue;
                }
                if self.is("...") || self.is("{") || self.is("[") {
                    return Err(self.unsupported("this form of array destructuring"));
                }
                names.push(Some(self.ident()?));
                if !self.eat(",") {
                    self.expect("]")?;
                    break;
                }
            }
            return Ok(Pattern::Array(names));
        }
        Ok(Pattern::Name(self.ident()?))
    }

    fn for_statement(&mut self) -> R<Stmt> {
        self.next();
        if self.is_word("await") {
            return Err(self.unsupported("for await"));
        }
        self.expect("(")?;
        let declares = matches!(self.peek(), Tok::Ident(w) if w == "var" || w == "let" || w == "const");
        if declares
            && (matches!(self.peek_at(2), Tok::Ident(w) if w == "of" || w == "in")
                || matches!(self.peek_at(1), Tok::Punct("{" | "[")))
        {
            let save = self.i;
            let kind = self.decl_kind();
            let pattern = self.pattern()?;
            if self.is_word("of") || self.is_word("in") {
                let of = self.next() == Tok::Ident("of".into());
                let iterable = if of { self.assignment()? } else { self.expression()? };
                self.expect(")")?;
                let body = Box::new(self.statement()?);
                return Ok(Stmt::ForEach { kind, pattern, of, iterable, body });
            }
            self.i = save;
        }
        let init = if self.is(";") {
            None
        } else if declares {
            Some(Box::new(self.declaration()?))
        } else {
            Some(Box::new(Stmt::Expr(self.expression()?)))
        };
        self.expect(";")?;
        let test = if self.is(";") { None } else { Some(self.expression()?) };
        self.expect(";")?;
        let update = if self.is(")") { None } else { Some(self.expression()?) };
        self.expect(")")?;
        let body = Box::new(self.statement()?);
        Ok(Stmt::For { init, test, update, body })
    }

    /// After `function NAME`: the parameters and body.
    fn function_rest(&mut self, name: String, pos: Pos) -> R<Rc<Function>> {
        self.expect("(")?;
        let params = self.params_until(")")?;
        let body = self.block()?;
        Ok(Rc::new(Function { name, params, body, arrow: false, pos }))
    }

    fn params_until(&mut self, close: &str) -> R<Vec<Param>> {
        let mut params = Vec::new();
        while !self.eat(close) {
            let rest = self.eat("...");
            let pattern = self.pattern()?;
            let default = if self.eat("=") { Some(self.assignment()?) } else { None };
            params.push(Param { pattern, default, rest });
            if !self.eat(",") {
                self.expect(close)?;
                break;
            }
        }
        Ok(params)
    }

    pub fn expression(&mut self) -> R<Expr> {
        let pos = self.pos();
        let first = self.assignment()?;
        if !self.is(",") {
            return Ok(first);
        }
        let mut list = vec![first];
        while self.eat(",") {
            list.push(self.assignment()?);
        }
        Ok(Expr { kind: ExprKind::Sequence(list), pos })
    }

    /// Whether the tokens at hand start an arrow function: `x =>` or `( … ) =>`.
    fn arrow_ahead(&self) -> bool {
        match self.peek() {
            Tok::Ident(_) => self.peek_at(1) == &Tok::Punct("=>"),
            Tok::Punct("(") => {
                let mut depth = 0;
                let mut j = self.i;
                while j < self.toks.len() {
                    match &self.toks[j].tok {
                        Tok::Punct("(" | "[" | "{") => depth += 1,
                        Tok::Punct(")" | "]" | "}") => {
                            depth -= 1;
                            if depth == 0 {
                                return self.toks.get(j + 1).is_some_and(|t| t.tok == Tok::Punct("=>"));
                            }
                        }
                        Tok::Eof => return false,
                        _ => {}
                    }
                    j += 1;
                }
                false
            }
            _ => false,
        }
    }

    fn arrow(&mut self) -> R<Expr> {
        let pos = self.pos();
        let params = if self.eat("(") {
            self.params_until(")")?
        } else {
            vec![Param { pattern: Pattern::Name(self.ident()?), default: None, rest: false }]
        };
        self.expect("=>")?;
        let body = if self.is("{") {
            self.block()?
        } else {
            let e = self.assignment()?;
            vec![Stmt::Return(Some(e))]
        };
        let f = Function { name: String::new(), params, body, arrow: true, pos };
        Ok(Expr { kind: ExprKind::Function(Rc::new(f)), pos })
    }

    fn assignment(&mut self) -> R<Expr> {
        if self.is_word("async")
            && (matches!(self.peek_at(1), Tok::Punct("("))
                || matches!(self.peek_at(1), Tok::Ident(w) if w == "function")
                || matches!(self.peek_at(2), Tok::Punct("=>")))
        {
            return Err(self.unsupported("async functions"));
        }
        if self.is_word("yield") {
            return Err(self.unsupported("generators"));
        }
        if self.arrow_ahead() {
            return self.arrow();
        }
        let pos = self.pos();
        let target = self.conditional()?;
        let op = match self.peek() {
            Tok::Punct(p) if p.ends_with('=') && !matches!(*p, "==" | "===" | "!=" | "!==" | "<=" | ">=") => *p,
            _ => return Ok(target),
        };
        if !matches!(target.kind, ExprKind::Ident(_) | ExprKind::Member(..) | ExprKind::Index(..)) {
            if matches!(target.kind, ExprKind::Object(_) | ExprKind::Array(_)) {
                return Err(self.unsupported("destructuring assignment"));
            }
            return Err(ParseError::Syntax(SyntaxError {
                message: "Invalid left-hand side in assignment".into(),
                line: pos.line,
                col: pos.col,
            }));
        }
        self.next();
        let value = self.assignment()?;
        let binary = if op == "=" {
            "="
        } else {
            LEVELS
                .iter()
                .flat_map(|l| l.iter())
                .find(|b| **b == &op[..op.len() - 1])
                .copied()
                .ok_or_else(|| self.unsupported(&format!("the {op} operator")))?
        };
        Ok(Expr { kind: ExprKind::Assign(binary, Box::new(target), Box::new(value)), pos })
    }

    fn conditional(&mut self) -> R<Expr> {
        let pos = self.pos();
        let test = self.binary(0)?;
        if !self.eat("?") {
            return Ok(test);
        }
        let then = self.assignment()?;
        self.expect(":")?;
        let other = self.assignment()?;
        Ok(Expr { kind: ExprKind::Cond(Box::new(test), Box::new(then), Box::new(other)), pos })
    }

    fn binary(&mut self, level: usize) -> R<Expr> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let pos = self.pos();
        let mut left = self.binary(level + 1)?;
        loop {
            let op = match self.peek() {
                Tok::Punct(p) => LEVELS[level].iter().find(|o| *o == p).copied(),
                Tok::Ident(w) => LEVELS[level].iter().find(|o| **o == w.as_str()).copied(),
                _ => None,
            };
            let Some(op) = op else { return Ok(left) };
            self.next();
            // `**` is right-associative.
            let right = if op == "**" { self.binary(level)? } else { self.binary(level + 1)? };
            let kind = if matches!(op, "&&" | "||" | "??") {
                ExprKind::Logical(op, Box::new(left), Box::new(right))
            } else {
                ExprKind::Binary(op, Box::new(left), Box::new(right))
            };
            left = Expr { kind, pos };
        }
    }

    fn unary(&mut self) -> R<Expr> {
        let pos = self.pos();
        let op = match self.peek() {
            Tok::Punct(p @ ("!" | "-" | "+" | "~")) => Some(*p),
            Tok::Ident(w) if w == "typeof" || w == "void" || w == "delete" => Some(match w.as_str() {
                "typeof" => "typeof",
                "void" => "void",
                _ => "delete",
            }),
            Tok::Ident(w) if w == "await" => return Err(self.unsupported("await")),
            _ => None,
        };
        if let Some(op) = op {
            self.next();
            let operand = self.unary()?;
            return Ok(Expr { kind: ExprKind::Unary(op, Box::new(operand)), pos });
        }
        if self.is("++") || self.is("--") {
            let increment = self.next() == Tok::Punct("++");
            let target = self.unary()?;
            return Ok(Expr { kind: ExprKind::Update { prefix: true, increment, target: Box::new(target) }, pos });
        }
        let e = self.postfix()?;
        if (self.is("++") || self.is("--")) && !self.toks[self.i].newline_before {
            let increment = self.next() == Tok::Punct("++");
            return Ok(Expr { kind: ExprKind::Update { prefix: false, increment, target: Box::new(e) }, pos });
        }
        Ok(e)
    }

    fn arguments(&mut self) -> R<Vec<Expr>> {
        let mut args = Vec::new();
        while !self.eat(")") {
            let pos = self.pos();
            if self.eat("...") {
                let e = self.assignment()?;
                args.push(Expr { kind: ExprKind::Spread(Box::new(e)), pos });
            } else {
                args.push(self.assignment()?);
            }
            if !self.eat(",") {
                self.expect(")")?;
                break;
            }
        }
        Ok(args)
    }

    fn postfix(&mut self) -> R<Expr> {
        let mut e = if self.is_word("new") {
            let pos = self.pos();
            self.next();
            let callee = self.member_only()?;
            let args = if self.eat("(") { self.arguments()? } else { Vec::new() };
            Expr { kind: ExprKind::New(Box::new(callee), args), pos }
        } else {
            self.primary()?
        };
        loop {
            let pos = self.pos();
            if self.eat(".") || self.is("?.") {
                let optional = self.eat("?.");
                if optional && self.eat("(") {
                    return Err(self.unsupported("optional calls"));
                }
                if optional && self.eat("[") {
                    let index = self.expression()?;
                    self.expect("]")?;
                    e = Expr { kind: ExprKind::Index(Box::new(e), Box::new(index), true), pos };
                    continue;
                }
                if self.is("#") {
                    return Err(self.unsupported("private fields"));
                }
                let Tok::Ident(name) = self.next() else {
                    self.i -= 1;
                    return Err(self.unexpected());
                };
                e = Expr { kind: ExprKind::Member(Box::new(e), name, optional), pos };
            } else if self.eat("[") {
                let index = self.expression()?;
                self.expect("]")?;
                e = Expr { kind: ExprKind::Index(Box::new(e), Box::new(index), false), pos };
            } else if self.is("(") {
                self.next();
                let args = self.arguments()?;
                // V8 places a call where its callee's name is: `fail` in `fail()`, `log` in `console.log()`.
                let pos = match &e.kind {
                    ExprKind::Member(..) => Pos { line: e.pos.line, col: e.pos.col + 1 },
                    _ => e.pos,
                };
                e = Expr { kind: ExprKind::Call(Box::new(e), args), pos };
            } else if matches!(self.peek(), Tok::Template(..)) {
                return Err(self.unsupported("tagged templates"));
            } else {
                return Ok(e);
            }
        }
    }

    /// The callee of `new`: a member chain without calls.
    fn member_only(&mut self) -> R<Expr> {
        let mut e = self.primary()?;
        while self.is(".") {
            let pos = self.pos();
            self.next();
            let name = self.ident()?;
            e = Expr { kind: ExprKind::Member(Box::new(e), name, false), pos };
        }
        Ok(e)
    }

    fn primary(&mut self) -> R<Expr> {
        let pos = self.pos();
        let kind = match self.next() {
            Tok::Num(n) => ExprKind::Num(n),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Template(parts, sources) => {
                let mut exprs = Vec::new();
                for (src, line) in sources {
                    let toks = tokenize(&src, line)?;
                    let mut sub = Parser { toks, i: 0 };
                    exprs.push(sub.expression()?);
                    if sub.peek() != &Tok::Eof {
                        return Err(sub.unexpected());
                    }
                }
                ExprKind::Template(parts, exprs)
            }
            Tok::Punct("(") => {
                let e = self.expression()?;
                self.expect(")")?;
                return Ok(e);
            }
            Tok::Punct("[") => {
                let mut items = Vec::new();
                while !self.eat("]") {
                    let pos = self.pos();
                    if self.is(",") {
                        return Err(self.unsupported("array holes"));
                    }
                    if self.eat("...") {
                        let e = self.assignment()?;
                        items.push(Expr { kind: ExprKind::Spread(Box::new(e)), pos });
                    } else {
                        items.push(self.assignment()?);
                    }
                    if !self.eat(",") {
                        self.expect("]")?;
                        break;
                    }
                }
                ExprKind::Array(items)
            }
            Tok::Punct("{") => self.object()?,
            Tok::Punct("/" | "/=") => {
                self.i -= 1;
                return Err(self.unsupported("regular expressions"));
            }
            Tok::Ident(w) => match w.as_str() {
                "function" => {
                    if self.is("*") {
                        return Err(self.unsupported("generator functions"));
                    }
                    let name = if matches!(self.peek(), Tok::Ident(_)) { self.ident()? } else { String::new() };
                    ExprKind::Function(self.function_rest(name, pos)?)
                }
                "this" => ExprKind::This,
                "class" | "super" => return Err(self.unsupported("classes")),
                "import" => return Err(self.unsupported("dynamic import()")),
                w if RESERVED.contains(&w) && !matches!(w, "null" | "true" | "false" | "of" | "async") => {
                    self.i -= 1;
                    return Err(self.unexpected());
                }
                _ => ExprKind::Ident(w),
            },
            _ => {
                self.i -= 1;
                return Err(self.unexpected());
            }
        };
        Ok(Expr { kind, pos })
    }

    fn object(&mut self) -> R<ExprKind> {
        let mut props = Vec::new();
        while !self.eat("}") {
            let pos = self.pos();
            if self.is("...") {
                return Err(self.unsupported("object spread"));
            }
            if self.is("[") {
                return Err(self.unsupported("computed property names"));
            }
            let key = match self.next() {
                Tok::Ident(w) => {
                    if (w == "get" || w == "set" || w == "async") && matches!(self.peek(), Tok::Ident(_)) {
                        return Err(self.unsupported("getters, setters and async methods"));
                    }
                    w
                }
                Tok::Str(s) => s,
                Tok::Num(n) => super::value::number_to_string(n),
                _ => {
                    self.i -= 1;
                    return Err(self.unexpected());
                }
            };
            let value = if self.eat(":") {
                let mut e = self.assignment()?;
                name_function(&mut e, &key);
                e
            } else if self.is("(") {
                let f = self.function_rest(key.clone(), pos)?;
                Expr { kind: ExprKind::Function(f), pos }
            } else {
                Expr { kind: ExprKind::Ident(key.clone()), pos }
            };
            props.push((key, value));
            if !self.eat(",") {
                self.expect("}")?;
                break;
            }
        }
        Ok(ExprKind::Object(props))
    }
}
