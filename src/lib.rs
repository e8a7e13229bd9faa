//! docklings: learn Docker in the terminal, lint Dockerfiles in CI.
//!
//! The layers, from the bottom: [`dockerfile`] and [`shell`] parse text, [`dockercli`] reads `docker …` command
//! lines, [`lint`] turns parsed files into diagnostics. None of them does I/O; [`cli`] and [`commands`] read
//! files and write output.

pub mod book;
pub mod cli;
pub mod commands;
pub mod dockercli;
pub mod dockerfile;
pub mod dockerfmt;
pub mod dockerignore;
pub mod engine;
pub mod home;
pub mod lesson;
pub mod lint;
pub mod progress;
pub mod repl;
pub mod shell;
