//! The parser of Go's text/template: items from [`super::lex`] to a tree whose nodes keep their byte positions
//! and print themselves as Go prints them in error messages.

use std::collections::HashMap;
use std::fmt;

use super::lex::{Item, Kind, lex};

/// Every function name a Docker template may call (Go's builtins and Docker's additions).
pub(crate) const FUNCTIONS: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq",
    "ge", "gt", "le", "lt", "ne", "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
];

#[derive(Debug)]
pub(crate) enum Node {
    Text(String),
    Action { pos: usize, pipe: Pipe },
    If(Branch),
    Range(Branch),
    With(Branch),
    Break,
    Continue,
    Template { pos: usize, name: String, pipe: Option<Pipe> },
}

#[derive(Debug)]
pub(crate) struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

#[derive(Debug)]
pub(crate) struct Pipe {
    pub pos: usize,
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Cmd>,
}

#[derive(Debug)]
pub(crate) struct Cmd {
    pub pos: usize,
    pub args: Vec<Operand>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Number {
    pub int: Option<i64>,
    pub uint: Option<u64>,
    pub float: Option<f64>,
    /// Written with `.`, `e` or `p`: evaluates to a float64 where an `any` is expected.
    pub floaty: bool,
}

#[derive(Debug)]
pub(crate) enum Operand {
    Field { pos: usize, ident: Vec<String> },
    Chain { pos: usize, node: Box<Operand>, fields: Vec<String> },
    Variable { pos: usize, ident: Vec<String> },
    Identifier { pos: usize, name: String },
    Dot { pos: usize },
    Nil { pos: usize },
    Bool { pos: usize, val: bool },
    Number { pos: usize, text: String, num: Number },
    Str { pos: usize, quoted: String, text: String },
    Pipe(Box<Pipe>),
}

impl Operand {
    pub fn pos(&self) -> usize {
        match self {
            Operand::Field { pos, .. }
            | Operand::Chain { pos, .. }
            | Operand::Variable { pos, .. }
            | Operand::Identifier { pos, .. }
            | Operand::Dot { pos }
            | Operand::Nil { pos }
            | Operand::Bool { pos, .. }
            | Operand::Number { pos, .. }
            | Operand::Str { pos, .. } => *pos,
            Operand::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Field { ident, .. } => write!(f, ".{}", ident.join(".")),
            Operand::Chain { node, fields, .. } => {
                match node.as_ref() {
                    Operand::Pipe(p) => write!(f, "({p})")?,
                    n => write!(f, "{n}")?,
                }
                fields.iter().try_for_each(|x| write!(f, ".{x}"))
            }
            Operand::Variable { ident, .. } => f.write_str(&ident.join(".")),
            Operand::Identifier { name, .. } => f.write_str(name),
            Operand::Dot { .. } => f.write_str("."),
            Operand::Nil { .. } => f.write_str("nil"),
            Operand::Bool { val, .. } => write!(f, "{val}"),
            Operand::Number { text, .. } => f.write_str(text),
            Operand::Str { quoted, .. } => f.write_str(quoted),
            Operand::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match arg {
                Operand::Pipe(p) => write!(f, "({p})")?,
                a => write!(f, "{a}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{} := ", self.decl.join(", "))?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

/// A parsed template: the main list and the `{{define}}`d ones.
#[derive(Debug)]
pub(crate) struct Tree {
    pub root: Vec<Node>,
    pub defs: HashMap<String, Vec<Node>>,
}

struct Parser {
    items: Vec<Item>,
    next: usize,
    /// The furthest item handed out: Go reports parse errors on that item's line.
    seen: usize,
    vars: Vec<String>,
    range_depth: usize,
    defs: HashMap<String, Vec<Node>>,
}

type PResult<T> = Result<T, String>;

/// Parses a template as Go's `template.New("").Funcs(…).Parse(text)` does, with Go's error text.
pub(crate) fn parse(text: &str) -> PResult<Tree> {
    let mut p =
        Parser { items: lex(text), next: 0, seen: 0, vars: vec!["$".into()], range_depth: 0, defs: HashMap::new() };
    let mut root = Vec::new();
    while p.peek().kind != Kind::Eof {
        if p.peek().kind == Kind::LeftDelim {
            let mark = p.next;
            p.advance();
            if p.next_non_space().kind == Kind::Define {
                p.definition()?;
                continue;
            }
            p.next = mark;
        }
        match p.text_or_action()? {
            Parsed::Node(n) => root.push(n),
            Parsed::End => return Err(p.error("unexpected {{end}}")),
            Parsed::Else => return Err(p.error("unexpected {{else}}")),
        }
    }
    Ok(Tree { root, defs: p.defs })
}

enum Parsed {
    Node(Node),
    End,
    Else,
}

impl Parser {
    fn error(&self, msg: &str) -> String {
        format!("template: :{}: {msg}", self.items[self.seen.min(self.items.len() - 1)].line)
    }

    fn unexpected(&self, item: &Item, context: &str) -> String {
        if item.kind == Kind::Error {
            return self.error(&item.val);
        }
        self.error(&format!("unexpected {item} in {context}"))
    }

    fn peek(&mut self) -> Item {
        let i = self.next.min(self.items.len() - 1);
        self.seen = self.seen.max(i);
        self.items[i].clone()
    }

    fn advance(&mut self) -> Item {
        let item = self.peek();
        self.next += 1;
        item
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let item = self.advance();
            if item.kind != Kind::Space {
                return item;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let mark = self.next;
        let item = self.next_non_space();
        self.next = mark;
        // Skip the spaces for good: Go's peekNonSpace leaves them consumed.
        while self.peek().kind == Kind::Space {
            self.advance();
        }
        item
    }

    fn expect(&mut self, kind: Kind, context: &str) -> PResult<Item> {
        let item = self.next_non_space();
        if item.kind == kind { Ok(item) } else { Err(self.unexpected(&item, context)) }
    }

    fn definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let item = self.next_non_space();
        let name = match item.kind {
            Kind::Str | Kind::RawString => unquote(&item.val).map_err(|e| self.error(&e))?,
            _ => return Err(self.unexpected(&item, context)),
        };
        self.expect(Kind::RightDelim, context)?;
        let (list, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return Err(self.error(&format!("unexpected {{{{else}}}} in {context}")));
        }
        self.defs.insert(name, list);
        Ok(())
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, Parsed)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                end => return Ok((list, end)),
            }
        }
        Err(self.error("unexpected EOF"))
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let item = self.next_non_space();
        match item.kind {
            Kind::Text => Ok(Parsed::Node(Node::Text(item.val))),
            Kind::LeftDelim => self.action(),
            _ => Err(self.unexpected(&item, "input")),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let item = self.next_non_space();
        match item.kind {
            Kind::Block => return self.block().map(Parsed::Node),
            Kind::Break | Kind::Continue => {
                let word = if item.kind == Kind::Break { "{{break}}" } else { "{{continue}}" };
                let next = self.next_non_space();
                if next.kind != Kind::RightDelim {
                    return Err(self.unexpected(&next, word));
                }
                if self.range_depth == 0 {
                    return Err(self.error(&format!("{word} outside {{{{range}}}}")));
                }
                return Ok(Parsed::Node(if item.kind == Kind::Break { Node::Break } else { Node::Continue }));
            }
            Kind::Else => {
                if self.peek_non_space().kind != Kind::If {
                    self.expect(Kind::RightDelim, "else")?;
                }
                return Ok(Parsed::Else);
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            Kind::If => return self.control("if").map(|b| Parsed::Node(Node::If(b))),
            Kind::Range => return self.control("range").map(|b| Parsed::Node(Node::Range(b))),
            Kind::With => return self.control("with").map(|b| Parsed::Node(Node::With(b))),
            Kind::Template => return self.template().map(Parsed::Node),
            _ => {}
        }
        self.next -= 1;
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Parsed::Node(Node::Action { pos, pipe }))
    }

    fn control(&mut self, context: &str) -> PResult<Branch> {
        let vars = self.vars.len();
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, end) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let else_list = match end {
            Parsed::End => None,
            Parsed::Else => {
                if context == "if" && self.peek().kind == Kind::If {
                    self.advance();
                    Some(vec![Node::If(self.control("if")?)])
                } else {
                    let (list, end) = self.item_list()?;
                    match end {
                        Parsed::End => Some(list),
                        _ => return Err(self.error("expected end; found {{else}}")),
                    }
                }
            }
            Parsed::Node(_) => unreachable!("item_list returns only at end or else"),
        };
        self.vars.truncate(vars);
        Ok(Branch { pipe, list, else_list })
    }

    fn template_name(&mut self, context: &str) -> PResult<(usize, String)> {
        let item = self.next_non_space();
        match item.kind {
            Kind::Str | Kind::RawString => Ok((item.pos, unquote(&item.val).map_err(|e| self.error(&e))?)),
            _ => Err(self.unexpected(&item, context)),
        }
    }

    fn template(&mut self) -> PResult<Node> {
        let context = "template clause";
        let (pos, name) = self.template_name(context)?;
        let pipe = if self.next_non_space().kind == Kind::RightDelim {
            None
        } else {
            self.next -= 1;
            Some(self.pipeline(context, Kind::RightDelim)?)
        };
        Ok(Node::Template { pos, name, pipe })
    }

    fn block(&mut self) -> PResult<Node> {
        let context = "block clause";
        let (pos, name) = self.template_name(context)?;
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        let (list, end) = self.item_list()?;
        if !matches!(end, Parsed::End) {
            return Err(self.error(&format!("unexpected {{{{else}}}} in {context}")));
        }
        self.defs.insert(name.clone(), list);
        Ok(Node::Template { pos, name, pipe: Some(pipe) })
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe { pos: start.pos, decl: Vec::new(), is_assign: false, cmds: Vec::new() };
        loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let mark = self.next;
            self.advance();
            let next = self.peek_non_space();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    break;
                }
                Kind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => return Err(self.error("range can only initialize variables")),
                        }
                    }
                    return Err(self.error(&format!("too many declarations in {context}")));
                }
                _ => {
                    self.next = mark;
                    break;
                }
            }
        }
        loop {
            let item = self.next_non_space();
            match item.kind {
                k if k == end => {
                    if pipe.cmds.is_empty() {
                        return Err(self.error(&format!("missing value for {context}")));
                    }
                    for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                        if matches!(
                            c.args[0],
                            Operand::Bool { .. }
                                | Operand::Dot { .. }
                                | Operand::Nil { .. }
                                | Operand::Number { .. }
                                | Operand::Str { .. }
                        ) {
                            return Err(self.error(&format!("non executable command in pipeline stage {}", i + 1)));
                        }
                    }
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::Str
                | Kind::Variable
                | Kind::LeftParen => {
                    self.next -= 1;
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return Err(self.unexpected(&item, context)),
            }
        }
    }

    fn command(&mut self) -> PResult<Cmd> {
        let pos = self.peek_non_space().pos;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                args.push(op);
            }
            let item = self.advance();
            match item.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.next -= 1,
                Kind::Pipe => {}
                _ => return Err(self.unexpected(&item, "operand")),
            }
            break;
        }
        if args.is_empty() {
            return Err(self.error("empty command"));
        }
        Ok(Cmd { pos, args })
    }

    fn operand(&mut self) -> PResult<Option<Operand>> {
        let Some(node) = self.term()? else { return Ok(None) };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            fields.push(self.advance().val[1..].to_string());
        }
        Ok(Some(match node {
            Operand::Field { mut ident, .. } => {
                ident.extend(fields);
                Operand::Field { pos, ident }
            }
            Operand::Variable { mut ident, .. } => {
                ident.extend(fields);
                Operand::Variable { pos, ident }
            }
            Operand::Bool { .. }
            | Operand::Str { .. }
            | Operand::Number { .. }
            | Operand::Nil { .. }
            | Operand::Dot { .. } => {
                return Err(
                    self.error(&format!("unexpected . after term {}", super::printf::go_quote(&node.to_string())))
                );
            }
            node => Operand::Chain { pos, node: Box::new(node), fields },
        }))
    }

    fn term(&mut self) -> PResult<Option<Operand>> {
        let item = self.next_non_space();
        let pos = item.pos;
        Ok(Some(match item.kind {
            Kind::Identifier => {
                if !FUNCTIONS.contains(&item.val.as_str()) {
                    return Err(self.error(&format!("function {} not defined", super::printf::go_quote(&item.val))));
                }
                Operand::Identifier { pos, name: item.val }
            }
            Kind::Dot => Operand::Dot { pos },
            Kind::Nil => Operand::Nil { pos },
            Kind::Variable => {
                let ident: Vec<String> = item.val.split('.').map(str::to_string).collect();
                if !self.vars.contains(&ident[0]) {
                    return Err(self.error(&format!("undefined variable {}", super::printf::go_quote(&ident[0]))));
                }
                Operand::Variable { pos, ident }
            }
            Kind::Field => Operand::Field { pos, ident: item.val[1..].split('.').map(str::to_string).collect() },
            Kind::Bool => Operand::Bool { pos, val: item.val == "true" },
            Kind::CharConstant | Kind::Complex | Kind::Number => {
                let num = number(&item).map_err(|e| self.error(&e))?;
                Operand::Number { pos, text: item.val, num }
            }
            Kind::LeftParen => Operand::Pipe(Box::new(self.pipeline("parenthesized pipeline", Kind::RightParen)?)),
            Kind::Str | Kind::RawString => {
                let text = unquote(&item.val).map_err(|e| self.error(&e))?;
                Operand::Str { pos, quoted: item.val, text }
            }
            _ => {
                self.next -= 1;
                return Ok(None);
            }
        }))
    }
}

/// Go's parse.NumberNode: which of int, uint and float a literal can be.
fn number(item: &Item) -> Result<Number, String> {
    let text = item.val.as_str();
    if item.kind == Kind::Complex || text.ends_with('i') {
        return Err(format!("complex constants are not supported: {}", super::printf::go_quote(text)));
    }
    if item.kind == Kind::CharConstant {
        let c = unquote_char(text).ok_or_else(|| format!("malformed character constant: {text}"))?;
        let n = i64::from(u32::from(c));
        return Ok(Number { int: Some(n), uint: u64::try_from(n).ok(), float: Some(n as f64), floaty: false });
    }
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x").filter(|d| !d.contains('p')) {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        (8, lower[1..].to_string())
    } else {
        (10, lower.clone())
    };
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    let mut n =
        Number { int: None, uint: None, float: None, floaty: text.contains(['.', 'e', 'E', 'p', 'P']) && radix != 16 };
    if let Ok(u) = u64::from_str_radix(&clean, radix) {
        if !neg {
            n.uint = Some(u);
        }
        n.int = if neg { 0i64.checked_sub_unsigned(u) } else { i64::try_from(u).ok() };
    }
    if let Some(i) = n.int {
        n.float = Some(i as f64);
    } else if let Some(u) = n.uint {
        n.float = Some(u as f64);
    } else if radix == 10
        && let Ok(f) = clean.parse::<f64>()
    {
        if !n.floaty {
            return Err(format!("integer overflow: {}", super::printf::go_quote(text)));
        }
        let f = if neg { -f } else { f };
        n.float = Some(f);
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            n.int = Some(f as i64);
            if f >= 0.0 {
                n.uint = Some(f as u64);
            }
        }
    }
    if n.int.is_none() && n.uint.is_none() && n.float.is_none() {
        return Err(format!("illegal number syntax: {}", super::printf::go_quote(text)));
    }
    Ok(n)
}

fn unquote_char(text: &str) -> Option<char> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let s = unquote(&format!("\"{}\"", inner.replace('"', "\\\""))).ok()?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// Go's strconv.Unquote for "…" and `…` literals.
pub(crate) fn unquote(lit: &str) -> Result<String, String> {
    if let Some(raw) = lit.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Ok(raw.replace('\r', ""));
    }
    let inner = lit.strip_prefix('"').and_then(|s| s.strip_suffix('"')).ok_or("invalid syntax")?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or("invalid syntax")?;
        let mut hex = |n: usize| -> Result<u32, String> {
            let s: String = chars.by_ref().take(n).collect();
            if s.len() != n {
                return Err("invalid syntax".into());
            }
            u32::from_str_radix(&s, 16).map_err(|_| "invalid syntax".to_string())
        };
        let ch = match e {
            'a' => '\u{7}',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'v' => '\u{b}',
            '\\' => '\\',
            '"' => '"',
            '\'' => '\'',
            'x' => char::from_u32(hex(2)?).ok_or("invalid syntax")?,
            'u' => char::from_u32(hex(4)?).ok_or("invalid syntax")?,
            'U' => char::from_u32(hex(8)?).ok_or("invalid syntax")?,
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let v = u32::from_str_radix(&format!("{e}{rest}"), 8).map_err(|_| "invalid syntax")?;
                char::from_u32(v).ok_or("invalid syntax")?
            }
            _ => return Err("invalid syntax".into()),
        };
        out.push(ch);
    }
    Ok(out)
}
