//! One integration-test binary, so the crate links once.

mod parser;
