//! The Dockerfile parser: text in, syntax tree with byte spans out. It never fails: it returns the tree it could
//! build and the problems it met, and a broken instruction does not hide the ones after it. No I/O here.

mod ast;
mod instruction;
mod json;
mod lines;
pub mod words;

pub use ast::*;

/// A problem found while parsing, reported by the linter as `DL1000`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

/// The result of [`parse`]: the tree and the problems met while building it.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub dockerfile: Dockerfile,
    pub errors: Vec<ParseError>,
}

/// Parses a Dockerfile as BuildKit's frontend does.
#[must_use]
pub fn parse(src: &str) -> Parsed {
    lines::parse(src)
}
