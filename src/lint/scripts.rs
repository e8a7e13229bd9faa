//! Where `docker …` commands hide: shell scripts, Makefile recipes, CI workflow `run:` steps and fenced shell
//! blocks in Markdown. Each is cut into shell chunks that map back to the file, parsed, and its docker
//! commands read with [`crate::dockercli`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser as MdParser, Tag, TagEnd};
use yaml_rust2::parser::{Event as YamlEvent, MarkedEventReceiver, Parser as YamlParser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::dockercli::{self, Invocation};
use crate::dockerfile::{Span, Text};
use crate::shell;

use super::pragma::{self, Pragma, Scope};

/// Reads files a rule needs besides the one being linted (a Dockerfile a script builds, a compose file).
/// The command-line layer implements it over the file system, tests over a map.
pub trait Workspace {
    fn read(&self, path: &Path) -> Option<String>;
}

/// The kinds of non-Dockerfile files whose docker commands are linted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScriptKind {
    Shell,
    Makefile,
    /// A GitHub Actions workflow: its steps' `run:` scripts.
    Workflow,
    Markdown,
}

/// A `docker …` command found in a script.
#[derive(Debug)]
pub struct DockerCall {
    pub invocation: Invocation,
    /// The source span of each word of the command line (`docker` first).
    pub words: Vec<Span>,
    pub span: Span,
}

impl DockerCall {
    #[must_use]
    pub fn word_span(&self, i: usize) -> Span {
        self.words.get(i).copied().unwrap_or(self.span)
    }
}

/// Everything a script rule may look at.
pub struct ScriptContext<'a> {
    pub src: &'a str,
    pub kind: ScriptKind,
    pub path: &'a Path,
    /// The folder relative paths in the commands are taken from.
    pub base_dir: PathBuf,
    pub workspace: &'a dyn Workspace,
    pub calls: Vec<DockerCall>,
    chunk_spans: Vec<Span>,
}

impl<'a> ScriptContext<'a> {
    #[must_use]
    pub fn new(src: &'a str, kind: ScriptKind, path: &'a Path, workspace: &'a dyn Workspace) -> Self {
        let chunks = match kind {
            ScriptKind::Shell => vec![Text { text: src.to_string(), pieces: vec![(0, 0)] }],
            ScriptKind::Makefile => makefile_chunks(src),
            ScriptKind::Workflow => workflow_chunks(src),
            ScriptKind::Markdown => markdown_chunks(src),
        };
        let base_dir = base_dir(kind, path);
        let mut calls = Vec::new();
        let mut vars: HashMap<String, String> = HashMap::new();
        for chunk in &chunks {
            let script = shell::parse(&chunk.text);
            for cmd in &script.commands {
                if cmd.words.is_empty() {
                    // `IMAGE=myapp` on its own line: remember it for `$IMAGE` later.
                    for a in &cmd.assignments {
                        if let Some((k, v)) = a.value.split_once('=') {
                            vars.insert(k.to_string(), v.to_string());
                        }
                    }
                    continue;
                }
                let mut words: Vec<&shell::Word> = cmd.words.iter().collect();
                if cmd.is("sudo") {
                    let skip = 1 + cmd.args().iter().take_while(|w| w.value.starts_with('-')).count();
                    words.drain(..skip.min(words.len()));
                }
                let Some(first) = words.first() else { continue };
                if !matches!(first.value.rsplit('/').next(), Some("docker" | "podman")) {
                    continue;
                }
                let argv: Vec<String> = words.iter().map(|w| expand_vars(&w.value, &vars)).collect();
                let argv_ref: Vec<&str> = argv.iter().map(String::as_str).collect();
                let Some(invocation) = dockercli::parse(&argv_ref) else { continue };
                let spans: Vec<Span> = words.iter().map(|w| chunk.source_span(w.range.0, w.range.1)).collect();
                let span = spans.first().copied().unwrap_or_default().cover(spans.last().copied().unwrap_or_default());
                calls.push(DockerCall { invocation, words: spans, span });
            }
        }
        let chunk_spans = chunks.iter().map(Text::span).collect();
        ScriptContext { src, kind, path, base_dir, workspace, calls, chunk_spans }
    }

    /// The pragmas in the file, each with the span it covers.
    #[must_use]
    pub fn pragmas(&self) -> Vec<(Pragma, Span)> {
        let mut out = Vec::new();
        let mut offset = 0;
        let lines: Vec<(usize, &str)> = self
            .src
            .split_inclusive('\n')
            .map(|l| {
                let start = offset;
                offset += l.len();
                (start, l.trim_end_matches(['\n', '\r']))
            })
            .collect();
        for (i, (start, line)) in lines.iter().enumerate() {
            let t = line.trim_start();
            let text = if let Some(c) = t.strip_prefix('#') {
                c.trim()
            } else if let Some(c) = t.strip_prefix("<!--") {
                c.trim_end().trim_end_matches("-->").trim()
            } else {
                continue;
            };
            let Some(p) = pragma::parse(text) else { continue };
            let span = match p.scope {
                Scope::Global | Scope::Stage => Span::new(0, self.src.len()),
                Scope::Next if t.starts_with("<!--") => {
                    // In Markdown, an HTML comment covers the next code block.
                    match self.chunk_spans.iter().find(|s| s.start > *start) {
                        Some(s) => Span::new(*start, s.end),
                        None => continue,
                    }
                }
                Scope::Next => {
                    // The next line that is not blank or a comment, with its continuation lines.
                    let Some(j) = (i + 1..lines.len()).find(|&j| {
                        let l = lines[j].1.trim_start();
                        !l.is_empty() && !l.starts_with('#')
                    }) else {
                        continue;
                    };
                    let mut k = j;
                    while lines[k].1.trim_end().ends_with('\\') && k + 1 < lines.len() {
                        k += 1;
                    }
                    Span::new(lines[j].0, lines[k].0 + lines[k].1.len())
                }
            };
            out.push((p, span));
        }
        out
    }
}

/// Expands `$NAME` and `${NAME}` from simple assignments seen earlier in the file.
fn expand_vars(word: &str, vars: &HashMap<String, String>) -> String {
    if !word.contains('$') {
        return word.to_string();
    }
    crate::dockerfile::words::expand(word, '\\', &|name| vars.get(name).cloned().or_else(|| Some(format!("${name}"))))
}

fn base_dir(kind: ScriptKind, path: &Path) -> PathBuf {
    let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if kind == ScriptKind::Workflow {
        // A workflow runs from the repository root, two levels above `.github/workflows/`.
        if let Some(root) =
            path.ancestors().find(|a| a.file_name().is_some_and(|n| n == ".github")).and_then(Path::parent)
        {
            return root.to_path_buf();
        }
    }
    parent
}

/// Recipe lines of a Makefile (tab-indented), one chunk per logical line, with `$$` and simple variables
/// (`NAME = value`, `:=`, `?=`) substituted as make would.
fn makefile_chunks(src: &str) -> Vec<Text> {
    let mut vars: HashMap<String, String> = HashMap::new();
    let mut chunks = Vec::new();
    let mut offset = 0;
    let mut current: Option<Text> = None;
    for raw in src.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        if let Some(chunk) = current.as_mut() {
            // A continued recipe line: make passes the backslash-newline to the shell.
            let body = line.strip_prefix('\t').map_or((line, start), |b| (b, start + 1));
            push_make_text(chunk, body.0, body.1, &vars);
            if line.ends_with('\\') {
                chunk.text.push('\n');
            } else {
                chunks.extend(current.take());
            }
            continue;
        }
        if let Some(body) = line.strip_prefix('\t') {
            let prefix = body.len() - body.trim_start_matches(['@', '-', '+', ' ']).len();
            let mut chunk = Text::default();
            push_make_text(&mut chunk, &body[prefix..], start + 1 + prefix, &vars);
            if line.ends_with('\\') {
                chunk.text.push('\n');
                current = Some(chunk);
            } else {
                chunks.push(chunk);
            }
        } else if let Some((name, value)) = make_assignment(line) {
            vars.insert(name.to_string(), value.to_string());
        }
    }
    chunks.extend(current);
    chunks
}

fn make_assignment(line: &str) -> Option<(&str, &str)> {
    let (lhs, rhs) = line.split_once('=')?;
    let name = lhs.trim_end_matches([':', '?', '+', '!']).trim();
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    valid.then(|| (name, rhs.trim()))
}

/// Appends a recipe line to a chunk, substituting make's `$$`, `$(VAR)` and `${VAR}`.
fn push_make_text(chunk: &mut Text, line: &str, src_start: usize, vars: &HashMap<String, String>) {
    let mut i = 0;
    chunk.pieces.push((chunk.text.len(), src_start));
    while i < line.len() {
        let rest = &line[i..];
        if rest.starts_with("$$") {
            chunk.text.push('$');
            i += 2;
            chunk.pieces.push((chunk.text.len(), src_start + i));
            continue;
        }
        if let Some(inner) = rest.strip_prefix("$(").or_else(|| rest.strip_prefix("${")) {
            let close = if rest.as_bytes()[1] == b'(' { ')' } else { '}' };
            if let Some(end) = inner.find(close)
                && let Some(value) = vars.get(&inner[..end])
            {
                chunk.pieces.push((chunk.text.len(), src_start + i));
                chunk.text.push_str(value);
                i += 3 + end;
                chunk.pieces.push((chunk.text.len(), src_start + i));
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        chunk.text.push(c);
        i += c.len_utf8();
    }
}

/// Collects the scalar values of `run:` keys, with their markers.
#[derive(Default)]
struct RunFinder {
    /// For each open collection: is it a mapping, and is the next scalar a key.
    stack: Vec<(bool, bool)>,
    last_key: Option<String>,
    found: Vec<(String, TScalarStyle, Marker)>,
}

impl MarkedEventReceiver for RunFinder {
    fn on_event(&mut self, ev: YamlEvent, mark: Marker) {
        let in_key_position = matches!(self.stack.last(), Some((true, true)));
        match ev {
            YamlEvent::MappingStart(..) | YamlEvent::SequenceStart(..) => {
                self.value_consumed();
                self.stack.push((matches!(ev, YamlEvent::MappingStart(..)), true));
            }
            YamlEvent::MappingEnd | YamlEvent::SequenceEnd => {
                self.stack.pop();
            }
            YamlEvent::Scalar(value, style, ..) => {
                if in_key_position {
                    self.last_key = Some(value);
                    if let Some(top) = self.stack.last_mut() {
                        top.1 = false;
                    }
                } else {
                    if matches!(self.stack.last(), Some((true, false))) && self.last_key.as_deref() == Some("run") {
                        self.found.push((value, style, mark));
                    }
                    self.value_consumed();
                }
            }
            YamlEvent::Alias(_) => self.value_consumed(),
            _ => {}
        }
    }
}

impl RunFinder {
    /// After a value in a mapping, the next scalar is a key again.
    fn value_consumed(&mut self) {
        if let Some(top) = self.stack.last_mut()
            && top.0
            && !top.1
        {
            top.1 = true;
        }
    }
}

/// Byte offset of a character index (yaml-rust2 counts characters).
fn byte_offset(src: &str, char_index: usize) -> usize {
    if src.is_ascii() {
        return char_index.min(src.len());
    }
    src.char_indices().nth(char_index).map_or(src.len(), |(b, _)| b)
}

/// The `run:` scripts of a GitHub Actions workflow, each mapped line by line to the file.
fn workflow_chunks(src: &str) -> Vec<Text> {
    let mut finder = RunFinder::default();
    let mut parser = YamlParser::new_from_str(src);
    if parser.load(&mut finder, true).is_err() {
        // A workflow that is not valid YAML has nothing we can read reliably.
        return Vec::new();
    }
    let mut chunks = Vec::new();
    for (value, style, mark) in finder.found {
        let at = byte_offset(src, mark.index());
        let mut chunk = Text::default();
        match style {
            TScalarStyle::Literal | TScalarStyle::Folded => {
                let indent = mark.col();
                let mut line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
                for line in value.split_inclusive('\n') {
                    let body_start = (line_start + indent).min(src.len());
                    chunk.pieces.push((chunk.text.len(), body_start));
                    chunk.text.push_str(line);
                    line_start = src[line_start..].find('\n').map_or(src.len(), |i| line_start + i + 1);
                }
            }
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                chunk.pieces.push((0, at + 1));
                chunk.text = value;
            }
            TScalarStyle::Plain => {
                chunk.pieces.push((0, at));
                chunk.text = value;
            }
        }
        chunks.push(chunk);
    }
    chunks
}

/// Fenced `sh`, `bash`, `shell`, `zsh` and `console` blocks of a Markdown file. In `console` blocks only lines
/// after a `$ ` prompt (and their continuation lines) are commands.
fn markdown_chunks(src: &str) -> Vec<Text> {
    let mut chunks = Vec::new();
    let mut current: Option<(Text, bool)> = None;
    for (event, range) in MdParser::new_ext(src, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let lang = info.split([' ', ',', '{']).next().unwrap_or("").to_ascii_lowercase();
                let console = matches!(lang.as_str(), "console" | "shell-session");
                if console || matches!(lang.as_str(), "sh" | "bash" | "shell" | "zsh") {
                    current = Some((Text::default(), console));
                }
            }
            Event::Text(text) => {
                if let Some((chunk, _)) = current.as_mut() {
                    chunk.pieces.push((chunk.text.len(), range.start));
                    chunk.text.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((chunk, console)) = current.take() {
                    chunks.push(if console { console_commands(&chunk) } else { chunk });
                }
            }
            _ => {}
        }
    }
    chunks
}

/// Keeps the prompted lines of a console transcript (`$ cmd`), blanking the rest so offsets stay put.
fn console_commands(chunk: &Text) -> Text {
    let mut out = String::with_capacity(chunk.text.len());
    let mut continuing = false;
    for line in chunk.text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let keep = if continuing {
            Some(0)
        } else {
            let lead = body.len() - body.trim_start().len();
            body[lead..].strip_prefix("$ ").map(|_| lead + 2)
        };
        if let Some(k) = keep {
            out.extend(std::iter::repeat_n(' ', k));
            out.push_str(&line[k..]);
            continuing = body.ends_with('\\');
        } else {
            out.extend(body.chars().map(|_| ' '));
            out.push_str(&line[body.len()..]);
            continuing = false;
        }
    }
    // Blanking replaced characters one for one; multi-byte output lines change length, so rebuild pieces
    // only when lengths match (they do for ASCII transcripts; others keep the block's start).
    let pieces = if out.len() == chunk.text.len() { chunk.pieces.clone() } else { vec![(0, chunk.source_offset(0))] };
    Text { text: out, pieces }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makefile_recipes_substitute_variables() {
        let src = "IMAGE := web\nrun:\n\t@docker run $(IMAGE) $$HOME \\\n\t  --rm\nother = x\n";
        let chunks = makefile_chunks(src);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].text, "docker run web $HOME \\\n  --rm");
        let at = chunks[0].text.find("run").unwrap();
        assert_eq!(&src[chunks[0].source_offset(at)..][..3], "run");
        let rm = chunks[0].text.find("--rm").unwrap();
        assert_eq!(&src[chunks[0].source_offset(rm)..][..4], "--rm");
    }

    #[test]
    fn workflow_run_steps_map_to_lines() {
        let src = "jobs:\n  b:\n    steps:\n      - run: docker ps\n      - run: |\n          docker build -t a .\n          docker run a\n";
        let chunks = workflow_chunks(src);
        assert_eq!(chunks.len(), 2);
        let second = &chunks[1];
        let at = second.text.find("docker run").unwrap();
        assert_eq!(&src[second.source_offset(at)..][..10], "docker run");
        assert_eq!(&src[chunks[0].source_offset(0)..][..9], "docker ps");
    }

    #[test]
    fn markdown_console_blocks_keep_prompted_lines() {
        let src = "# t\n\n```console\n$ docker run -it busybox\nhello\n$ docker ps\n```\n\n```python\nprint(1)\n```\n";
        let chunks = markdown_chunks(src);
        assert_eq!(chunks.len(), 1);
        let script = shell::parse(&chunks[0].text);
        let names: Vec<_> = script.commands.iter().map(|c| c.words.len()).collect();
        assert_eq!(names, [4, 2]);
        let at = chunks[0].text.find("docker ps").unwrap();
        assert_eq!(&src[chunks[0].source_offset(at)..][..9], "docker ps");
    }
}
