//! Tab completion at the tutorial's prompt: docklings' own commands, docker's subcommands and flags (from the
//! same command table the linter reads), and the names of the engine's containers, images, volumes and networks.

use std::sync::Arc;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use crate::dockercli::{self, Body, Command};
use crate::engine::Engine;

/// docklings' own commands at the prompt.
pub const COMMANDS: [&str; 13] = [
    "help", "lessons", "next", "back", "goto", "hint", "solution", "check", "reset", "progress", "lang", "quit", "exit",
];

pub struct Completion {
    pub engine: Arc<dyn Engine>,
    pub lesson_ids: Vec<String>,
}

/// The command the words so far name, walking docker's command tree.
fn command_for(words: &[&str]) -> Option<&'static Command> {
    let mut level = dockercli::commands();
    let mut found = None;
    for w in words {
        let Some(c) = level.iter().find(|c| c.name == *w || c.aliases.contains(w)) else { break };
        found = Some(c);
        match c.body {
            Body::Group { sub, .. } => level = sub,
            _ => break,
        }
    }
    found
}

impl Completion {
    /// What the word being typed may become, given the words before it.
    #[must_use]
    pub fn candidates(&self, before: &[&str], word: &str) -> Vec<String> {
        let mut out: Vec<String> = match before {
            [] => std::iter::once("docker").chain(COMMANDS).map(str::to_string).collect(),
            ["goto"] => self.lesson_ids.clone(),
            ["lang"] => vec!["en".into(), "ko".into()],
            ["docker", rest @ ..] => self.docker(rest, word),
            _ => Vec::new(),
        };
        out.retain(|c| c.starts_with(word));
        out.sort();
        out.dedup();
        out
    }

    fn docker(&self, rest: &[&str], word: &str) -> Vec<String> {
        let command = command_for(rest);
        match command.map(|c| c.body) {
            None => dockercli::commands().iter().map(|c| c.name.to_string()).collect(),
            Some(Body::Group { sub, .. }) if rest.len() == 1 || !word.starts_with('-') => {
                sub.iter().map(|c| c.name.to_string()).collect()
            }
            Some(Body::Leaf { flags, .. }) if word.starts_with('-') => {
                flags.iter().flat_map(|g| g.iter()).map(|f| format!("--{}", f.long)).collect()
            }
            Some(_) => self.names(command.map_or(&[][..], |c| c.canonical)),
        }
    }

    /// The names a command takes: volumes for `volume …`, networks for `network …`, images for image commands
    /// and `run`/`create`, containers for the rest, everything for `inspect`.
    fn names(&self, canonical: &[&str]) -> Vec<String> {
        let e = &self.engine;
        let containers = || e.list_containers(true).unwrap_or_default().into_iter().map(|c| c.name);
        let images = || e.list_images(false).unwrap_or_default().into_iter().flat_map(|i| i.repo_tags);
        let volumes = || e.list_volumes().unwrap_or_default().into_iter().map(|v| v.name);
        let networks = || e.list_networks().unwrap_or_default().into_iter().map(|n| n.name);
        match canonical.first().copied().unwrap_or("") {
            "volume" => volumes().collect(),
            "network" => networks().collect(),
            "image" | "images" | "rmi" | "history" | "tag" | "push" | "pull" | "run" | "create" | "build" => {
                images().collect()
            }
            "inspect" => containers().chain(images()).chain(volumes()).chain(networks()).collect(),
            _ => containers().collect(),
        }
    }
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let upto = &line[..pos];
        let start = upto.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let before: Vec<&str> = upto[..start].split_whitespace().collect();
        let found = self.candidates(&before, &upto[start..]);
        Ok((start, found.into_iter().map(|c| Pair { display: c.clone(), replacement: c }).collect()))
    }
}

impl Hinter for Completion {
    type Hint = String;
}
impl Highlighter for Completion {}
impl Validator for Completion {}
impl Helper for Completion {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sim::SimEngine;

    #[test]
    fn completes_commands_flags_and_the_engines_names() {
        let home = tempfile::tempdir().unwrap();
        let engine = SimEngine::open(&home.path().join("sim")).unwrap();
        engine.pull_image("busybox:latest", &mut |_| {}).unwrap();
        engine.create_volume(Some("notes"), &crate::engine::Labels::new()).unwrap();
        let c = Completion { engine, lesson_ids: vec!["01-why".into(), "02-images".into()] };
        assert_eq!(c.candidates(&[], "h"), ["help", "hint"]);
        assert_eq!(c.candidates(&[], "do"), ["docker"]);
        assert_eq!(c.candidates(&["goto"], "02"), ["02-images"]);
        assert!(c.candidates(&["docker"], "ru").contains(&"run".to_string()));
        assert_eq!(c.candidates(&["docker", "volume"], "cr"), ["create"]);
        assert!(c.candidates(&["docker", "run"], "--na").contains(&"--name".to_string()));
        assert_eq!(c.candidates(&["docker", "run"], "busy"), ["busybox:latest"]);
        assert_eq!(c.candidates(&["docker", "volume", "rm"], "no"), ["notes"]);
        assert_eq!(c.candidates(&["docker", "network", "rm"], "no"), ["none"]);
        assert_eq!(c.candidates(&["docker", "inspect"], "no"), ["none", "notes"]);
    }
}
