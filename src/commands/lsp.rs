//! `docklings lsp`: a language server over standard input and output. It lints each open Dockerfile (and shell
//! script or Markdown file) as the editor sends its text, publishes the findings as diagnostics, and offers each
//! finding's fix as a quick fix, and all safe fixes at once as `source.fixAll` (what editors run on save). Configuration is found as `docklings lint` finds it: the nearest config file
//! upward from the document's folder, read again on every lint so an edited config takes effect at once.
//!
//! Synchronous (lsp-server's threads and channels): one document is linted at a time, which is fast enough for
//! files a person edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Notification as _,
    PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, InitializeResult, Location,
    MessageType, NumberOrString, Position, PublishDiagnosticsParams, Range, SaveOptions, ServerCapabilities,
    ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};

use super::lint::{ContextInfo, FileKind, FsWorkspace, detect, nearest_config, read_config};
use crate::dockerfile::Span;
use crate::lint::{self, Config, Diagnostic, Level, Safety, ScriptKind, Settings};

/// Runs the server until the client asks it to shut down and exit.
pub fn run() -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let (id, _params) = connection.initialize_start().map_err(|e| anyhow!("initialize: {e}"))?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo { name: "docklings".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
    };
    connection
        .initialize_finish(id, serde_json::to_value(result).context("encoding the capabilities")?)
        .map_err(|e| anyhow!("initialize: {e}"))?;
    let mut server = Server { connection: &connection, docs: HashMap::new() };
    server.main_loop()?;
    drop(connection);
    io_threads.join().context("closing standard input and output")?;
    Ok(())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::SOURCE_FIX_ALL]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// An open document: its latest text and what it is.
struct Doc {
    text: String,
    path: Option<PathBuf>,
    kind: Option<FileKind>,
}

struct Server<'a> {
    connection: &'a Connection,
    docs: HashMap<String, Doc>,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<()> {
        for msg in &self.connection.receiver {
            match msg {
                Message::Request(req) => {
                    if self.connection.handle_shutdown(&req).map_err(|e| anyhow!("shutdown: {e}"))? {
                        return Ok(());
                    }
                    self.request(req)?;
                }
                Message::Notification(n) => self.notification(n)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, msg: impl Into<Message>) -> Result<()> {
        self.connection.sender.send(msg.into()).map_err(|_| anyhow!("the client went away"))
    }

    fn request(&mut self, req: Request) -> Result<()> {
        let response = if req.method == CodeActionRequest::METHOD {
            match serde_json::from_value::<CodeActionParams>(req.params) {
                Ok(params) => Response::new_ok(req.id, self.code_actions(&params)),
                Err(e) => Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()),
            }
        } else {
            Response::new_err(req.id, ErrorCode::MethodNotFound as i32, format!("unhandled method {}", req.method))
        };
        self.send(response)
    }

    fn notification(&mut self, n: Notification) -> Result<()> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let uri = p.text_document.uri;
                let path = uri_to_path(&uri);
                let first = p.text_document.text.lines().next();
                let kind = path.as_deref().and_then(|path| detect(path, first)).or(
                    match p.text_document.language_id.as_str() {
                        "dockerfile" | "containerfile" => Some(FileKind::Dockerfile),
                        "shellscript" | "sh" | "bash" => Some(FileKind::Script(ScriptKind::Shell)),
                        "markdown" => Some(FileKind::Script(ScriptKind::Markdown)),
                        "makefile" => Some(FileKind::Script(ScriptKind::Makefile)),
                        _ => None,
                    },
                );
                self.docs.insert(uri.as_str().to_string(), Doc { text: p.text_document.text, path, kind });
                self.publish(&uri)?;
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let uri = p.text_document.uri;
                // Full sync: the last change holds the whole text.
                if let (Some(doc), Some(change)) =
                    (self.docs.get_mut(uri.as_str()), p.content_changes.into_iter().last())
                {
                    doc.text = change.text;
                }
                self.publish(&uri)?;
            }
            DidSaveTextDocument::METHOD => {
                // The text is already known; a save may follow an edit of the config, so lint again.
                if let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params) {
                    self.publish(&p.text_document.uri)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params) {
                    self.docs.remove(p.text_document.uri.as_str());
                    let params =
                        PublishDiagnosticsParams { uri: p.text_document.uri, diagnostics: Vec::new(), version: None };
                    self.send(Notification::new(PublishDiagnostics::METHOD.into(), params))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A document's settings. A config that does not read is shown to the user, and the defaults are used
    /// meanwhile.
    fn settings(&self, doc: &Doc) -> Result<Settings> {
        match settings_for(doc.path.as_deref()) {
            Ok(s) => Ok(s),
            Err(e) => {
                let params = ShowMessageParams { typ: MessageType::ERROR, message: format!("docklings: {e:#}") };
                self.send(Notification::new(ShowMessage::METHOD.into(), params))?;
                Settings::new(&Config::default(), &[]).map_err(|e| anyhow!(e))
            }
        }
    }

    /// The findings of an open document, or none when it is not a kind docklings lints.
    fn lint(&self, uri: &Uri) -> Result<Vec<Diagnostic>> {
        let Some(doc) = self.docs.get(uri.as_str()) else { return Ok(Vec::new()) };
        let Some(kind) = doc.kind else { return Ok(Vec::new()) };
        let settings = self.settings(doc)?;
        Ok(match kind {
            FileKind::Dockerfile => {
                let info = doc.path.as_deref().map(ContextInfo::read).unwrap_or_default();
                lint::lint_dockerfile_with(&doc.text, &settings, info.build_context())
            }
            FileKind::Script(k) => {
                let path = doc.path.clone().unwrap_or_else(|| PathBuf::from("untitled"));
                lint::lint_script(&doc.text, k, &path, &settings, &FsWorkspace::default())
            }
        })
    }

    fn publish(&self, uri: &Uri) -> Result<()> {
        let found = self.lint(uri)?;
        let Some(doc) = self.docs.get(uri.as_str()) else { return Ok(()) };
        let index = LineIndex::new(&doc.text);
        let diagnostics = found.iter().map(|d| to_lsp(d, &index, uri)).collect();
        let params = PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version: None };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params))
    }

    /// All safe fixes of a document at once, as `docklings lint --fix` makes them: one edit of the whole text,
    /// or nothing when no safe fix applies.
    fn fix_all(&self, uri: &Uri) -> Option<CodeAction> {
        let doc = self.docs.get(uri.as_str())?;
        let settings = self.settings(doc).ok()?;
        let outcome = match doc.kind? {
            FileKind::Dockerfile => {
                let info = doc.path.as_deref().map(ContextInfo::read).unwrap_or_default();
                lint::fix::fix_dockerfile(&doc.text, &settings, info.build_context(), false)
            }
            FileKind::Script(k) => {
                let path = doc.path.clone().unwrap_or_else(|| PathBuf::from("untitled"));
                lint::fix::fix_script(&doc.text, k, &path, &settings, &FsWorkspace::default(), false)
            }
        };
        if !outcome.changed() {
            return None;
        }
        let index = LineIndex::new(&doc.text);
        let whole = TextEdit { range: index.range(Span::new(0, doc.text.len())), new_text: outcome.text };
        #[allow(clippy::mutable_key_type)] // lsp-types keys the changes by `Uri`, as the protocol does.
        let changes = HashMap::from([(uri.clone(), vec![whole])]);
        let n = outcome.applied.len();
        Some(CodeAction {
            title: format!("docklings: apply {n} safe fix{}", if n == 1 { "" } else { "es" }),
            kind: Some(CodeActionKind::SOURCE_FIX_ALL),
            edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
            ..CodeAction::default()
        })
    }

    /// A quick fix for each finding with a fix whose range meets the requested one, then all safe fixes at once.
    /// Safe fixes are preferred; unsafe ones say so in their title, since they may change what the build does.
    /// A client asking only for some kinds (`only`) gets those.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let wanted = |kind: &CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
            })
        };
        let mut out = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            out.extend(self.quick_fixes(params));
        }
        if wanted(&CodeActionKind::SOURCE_FIX_ALL) {
            out.extend(self.fix_all(uri).map(CodeActionOrCommand::CodeAction));
        }
        out
    }

    fn quick_fixes(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Ok(found) = self.lint(uri) else { return Vec::new() };
        let Some(doc) = self.docs.get(uri.as_str()) else { return Vec::new() };
        let index = LineIndex::new(&doc.text);
        let want = params.range;
        let mut out = Vec::new();
        for d in &found {
            let Some(fix) = &d.fix else { continue };
            let diagnostic = to_lsp(d, &index, uri);
            let r = diagnostic.range;
            if r.end < want.start || want.end < r.start {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| TextEdit { range: index.range(e.span), new_text: e.replacement.clone() })
                .collect();
            let safe = fix.safety == Safety::Safe;
            let title = if safe {
                format!("{}: {}", d.code, fix.title)
            } else {
                format!("{}: {} (unsafe: may change what the build does)", d.code, fix.title)
            };
            #[allow(clippy::mutable_key_type)] // lsp-types keys the changes by `Uri`, as the protocol does.
            let changes = HashMap::from([(uri.clone(), edits)]);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                is_preferred: Some(safe),
                ..CodeAction::default()
            }));
        }
        out
    }
}

fn to_lsp(d: &Diagnostic, index: &LineIndex, uri: &Uri) -> LspDiagnostic {
    let severity = match d.level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Info => DiagnosticSeverity::INFORMATION,
        Level::Style => DiagnosticSeverity::HINT,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|(span, note)| DiagnosticRelatedInformation {
            location: Location { uri: uri.clone(), range: index.range(*span) },
            message: note.clone(),
        })
        .collect();
    LspDiagnostic {
        range: index.range(d.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("docklings".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..LspDiagnostic::default()
    }
}

/// Byte offsets to LSP positions: zero-based lines, and columns in UTF-16 code units as the protocol counts them.
struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex<'_> {
    fn new(text: &str) -> LineIndex<'_> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = self.text[self.starts[line]..offset].encode_utf16().count();
        Position { line: line as u32, character: column as u32 }
    }

    fn range(&self, span: Span) -> Range {
        Range { start: self.position(span.start), end: self.position(span.end) }
    }
}

/// The path of a `file:` URI, with its percent escapes decoded; `None` for other schemes.
fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///C:/x` on Windows: drop the slash before the drive letter.
    let rest = match rest.as_bytes() {
        [b'/', _, b':', ..] if cfg!(windows) => &rest[1..],
        _ => rest,
    };
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = rest.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

/// The settings for a document: from the nearest config file upward from its folder, as `docklings lint` finds
/// it, else the defaults.
fn settings_for(path: Option<&Path>) -> Result<Settings> {
    let config_path = path.and_then(Path::parent).and_then(nearest_config);
    let config = match &config_path {
        Some(p) => read_config(p)?,
        None => Config::default(),
    };
    Settings::new(&config, &[]).map_err(|e| match &config_path {
        Some(p) => anyhow!("in config `{}`: {e}", p.display()),
        None => anyhow!(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "FROM a\nRUN echo \"안녕 🐳\" && x\n";
        let index = LineIndex::new(text);
        let x = text.rfind('x').unwrap();
        // `RUN echo "` is 10 units, the two Hangul syllables 2, the space 1, the emoji a surrogate pair 2, `" && ` 5.
        assert_eq!(index.position(x), Position { line: 1, character: 20 });
        assert_eq!(index.position(0), Position { line: 0, character: 0 });
        assert_eq!(index.position(text.len()), Position { line: 2, character: 0 });
        // An offset inside a character is moved back to its start.
        let inside = text.find('안').unwrap() + 1;
        assert_eq!(index.position(inside), Position { line: 1, character: 10 });
    }

    #[test]
    fn file_uris_decode_to_paths() {
        let uri: Uri = "file:///tmp/my%20dir/Dockerfile".parse().unwrap();
        assert_eq!(uri_to_path(&uri), Some(PathBuf::from("/tmp/my dir/Dockerfile")));
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&other), None);
    }
}
