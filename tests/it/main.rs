//! One integration-test binary, so the crate links once.

mod cli;
mod parser;
mod robustness;
mod rules;
