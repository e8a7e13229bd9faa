//! The shell's syntax tree. Words keep their quoting so that expansion knows what to split and glob.

use std::cell::RefCell;
use std::rc::Rc;

/// A word: pieces of literal text and expansions, quoted or not.
pub type Word = Vec<Part>;

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Unquoted text: subject to globbing (and tilde expansion at the start of a word).
    Lit(String),
    /// Text protected by single quotes or a backslash.
    Quoted(String),
    /// A double-quoted run: its parts are expanded but not split or globbed.
    Double(Vec<Part>),
    Param(Box<Param>),
    /// `$(…)` or a backquoted command, as source text; parsed when it runs.
    Command(String),
    /// `$((…))`, as source text.
    Arith(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub op: ParamOp,
    /// The word after the operator (`${x:-word}`).
    pub word: Word,
    /// The second word of `${x/pattern/replacement}` and `${x:offset:length}`.
    pub extra: Option<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#x}`
    Length,
    /// `${x-w}` / `${x:-w}`: the flag is whether an empty value counts as unset.
    Default(bool),
    Assign(bool),
    Error(bool),
    Alternative(bool),
    /// `${x%w}`, `${x%%w}` (longest).
    TrimSuffix(bool),
    /// `${x#w}`, `${x##w}` (longest).
    TrimPrefix(bool),
    /// `${x/pattern/replacement}`, `${x//pattern/replacement}` (every match); the replacement is `Param::extra`.
    Replace(bool),
    /// `${x:offset}`, `${x:offset:length}`: `word` is the offset, `extra` the length (arithmetic).
    Substring,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RedirOp {
    /// `<`
    In,
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `>&N`
    DupOut,
    /// `<&N`
    DupIn,
    /// `<<` and `<<-`
    HereDoc,
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
    /// The body of a here-document, filled in when the lexer reaches it (after the end of the line).
    pub body: Option<Rc<RefCell<Word>>>,
}

#[derive(Debug, Clone)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// The line the command starts on, for messages.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub enum Command {
    Simple(Simple),
    Compound(Box<Compound>, Vec<Redir>),
    FuncDef(String, Rc<Command>),
}

#[derive(Debug, Clone)]
pub enum Compound {
    If { branches: Vec<(List, List)>, otherwise: Option<List> },
    For { var: String, words: Option<Vec<Word>>, body: List },
    While { cond: List, body: List, until: bool },
    Case { word: Word, arms: Vec<(Vec<Word>, List)> },
    Group(List),
    Subshell(List),
}

#[derive(Debug, Clone)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Debug, Clone)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

pub type List = Vec<AndOr>;
