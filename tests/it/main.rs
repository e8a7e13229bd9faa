//! One integration-test binary, so the crate links once.

mod cli;
mod parser;
mod real_engine;
mod robustness;
mod rules;
