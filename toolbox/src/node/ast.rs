//! The syntax tree of the JavaScript subset the simulated node runs.

use std::rc::Rc;

/// Where a node starts: line and 1-based column, for error messages and stack lines.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
}

#[derive(Debug)]
pub enum ExprKind {
    Num(f64),
    Str(String),
    Template(Vec<String>, Vec<Expr>),
    Ident(String),
    This,
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Function(Rc<Function>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// `&&`, `||`, `??`: the right side is evaluated only when needed.
    Logical(&'static str, Box<Expr>, Box<Expr>),
    /// `=` or a compound operator (`+=` is `+`), the target, the value.
    Assign(&'static str, Box<Expr>, Box<Expr>),
    /// Prefix or postfix, `++` or `--`.
    Update {
        prefix: bool,
        increment: bool,
        target: Box<Expr>,
    },
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    New(Box<Expr>, Vec<Expr>),
    /// Object, property name, optional (`?.`).
    Member(Box<Expr>, String, bool),
    Index(Box<Expr>, Box<Expr>, bool),
    /// `...x` in an array literal or a call's arguments.
    Spread(Box<Expr>),
    Sequence(Vec<Expr>),
}

/// A binding target: a name, or a destructuring pattern of names.
#[derive(Debug, Clone)]
pub enum Pattern {
    Name(String),
    /// `{ a, b: c, d = 1 }`: key, target name, default.
    Object(Vec<(String, String, Option<Rc<Expr>>)>),
    /// `[a, , b]`.
    Array(Vec<Option<String>>),
}

#[derive(Debug)]
pub struct Param {
    pub pattern: Pattern,
    pub default: Option<Expr>,
    pub rest: bool,
}

#[derive(Debug)]
pub struct Function {
    pub name: String,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    /// An arrow function: `this` is the enclosing one's, and a bare expression body returns its value.
    pub arrow: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DeclKind {
    Var,
    Let,
    Const,
}

#[derive(Debug)]
pub enum Stmt {
    Expr(Expr),
    Decl(DeclKind, Vec<(Pattern, Option<Expr>)>, Pos),
    Function(Rc<Function>),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    Block(Vec<Stmt>),
    For {
        init: Option<Box<Stmt>>,
        test: Option<Expr>,
        update: Option<Expr>,
        body: Box<Stmt>,
    },
    /// `for (const x of xs)` (`of`) and `for (const k in o)` (not `of`).
    ForEach {
        kind: DeclKind,
        pattern: Pattern,
        of: bool,
        iterable: Expr,
        body: Box<Stmt>,
    },
    While(Expr, Box<Stmt>),
    DoWhile(Box<Stmt>, Expr),
    Return(Option<Expr>),
    Break,
    Continue,
    Throw(Expr, Pos),
    Try {
        block: Vec<Stmt>,
        param: Option<Pattern>,
        handler: Option<Vec<Stmt>>,
        finally: Option<Vec<Stmt>>,
    },
    Switch(Expr, Vec<(Option<Expr>, Vec<Stmt>)>),
    Empty,
}
