//! The subcommands: each reads its input, calls the library and writes its output.

pub mod completions;
pub mod explain;
pub mod lessons;
pub mod lint;
pub mod lsp;
pub mod progress;
pub mod report;
pub mod shell;
