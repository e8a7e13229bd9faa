//! One integration-test binary, so the crate links once.

mod book;
mod cli;
mod ecosystem;
mod fix;
mod goals;
mod learn;
mod lessons;
mod lsp;
mod parser;
#[cfg(unix)]
mod pty;
mod real_engine;
mod report;
mod robustness;
mod rules;
mod sim_build;
mod sim_containers;
mod sim_images;
mod sim_net;
mod sim_networks;
mod sim_node;
mod sim_support;
mod transcripts;
