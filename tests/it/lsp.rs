//! `docklings lsp` driven by a scripted client over its standard input and output, as an editor drives it:
//! JSON-RPC messages with `Content-Length` headers. Every read has a timeout, so a server that stops answering
//! fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
}

/// Reads one framed message; `None` at the end of the stream.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_docklings"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting docklings lsp");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, messages, next_id: 1 }
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        let stdin = self.stdin.as_mut().expect("stdin is open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({"jsonrpc": "2.0", "method": method});
        msg["params"] = params;
        self.send(&msg);
    }

    /// Sends a request and waits for its response, skipping the notifications that come before it.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        msg["params"] = params;
        self.send(&msg);
        let m = self.wait_for(|m| m["id"] == json!(id), &format!("the response to {method}"));
        assert!(m.get("error").is_none(), "{method} failed: {m}");
        m["result"].clone()
    }

    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool, what: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if pred(&m) => return m,
                Ok(_) => {}
                Err(e) => panic!("no {what} from the server: {e}"),
            }
        }
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait_for(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri,
            "publishDiagnostics",
        );
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A test that failed half-way leaves no server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
}

/// The LSP position of a byte offset: line, and UTF-16 units into it.
fn position(text: &str, offset: usize) -> Value {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    json!({"line": line, "character": text[line_start..offset].encode_utf16().count()})
}

/// Applies LSP text edits (ranges in UTF-16 units) to a text.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let line = usize::try_from(p["line"].as_u64().unwrap()).unwrap();
        let units = usize::try_from(p["character"].as_u64().unwrap()).unwrap();
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut seen = 0;
        for (i, c) in text[start..].char_indices() {
            if seen >= units {
                return start + i;
            }
            seen += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

#[test]
fn a_scripted_editor_session_gets_diagnostics_and_fixes() {
    let dir = tempfile::tempdir().unwrap();
    // The project's config, found upward from the document as `docklings lint` finds it: DL3008 is off.
    std::fs::write(dir.path().join(".docklings.toml"), "[lint]\nignore = [\"DL3008\"]\n").unwrap();
    let sub = dir.path().join("app");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("Dockerfile");
    // Hangul and an emoji (a surrogate pair in UTF-16) before the culprits, so byte and UTF-16 columns differ.
    let text = "FROM ubuntu:22.04 as build\nRUN echo \"안녕 🐳\" && apt-get install -y curl\nFROM build\nUSER app\nCMD [\"bash\"]\n";
    std::fs::write(&path, text).unwrap();
    let uri = format!("file://{}", path.display());

    let mut client = Client::start(dir.path());
    let init = client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 1, "full text sync: {init}");
    assert!(init["capabilities"]["codeActionProvider"].is_object(), "{init}");
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let found = codes(&diagnostics);
    assert!(found.contains(&"DK3002".to_string()), "lower-case `as`: {found:?}");
    assert!(found.contains(&"DL3015".to_string()), "apt-get without --no-install-recommends: {found:?}");
    assert!(!found.contains(&"DL3008".to_string()), "the config ignores DL3008: {found:?}");

    let apt = find(&diagnostics, "DL3015");
    let start = text.find("apt-get install").unwrap();
    assert_eq!(apt["range"]["start"], position(text, start));
    assert_eq!(apt["range"]["end"], position(text, start + "apt-get install".len()));
    // 10 units of `RUN echo "`, 2 Hangul syllables, a space, the emoji's 2 units, `" && `: 20, not its byte offset.
    assert_eq!(apt["range"]["start"]["character"], 20);
    assert_eq!(apt["severity"], 3, "info is Information");
    assert_eq!(apt["source"], "docklings");

    let casing = find(&diagnostics, "DK3002");
    let as_at = text.find(" as ").unwrap() + 1;
    assert_eq!(casing["range"]["start"], position(text, as_at));
    assert_eq!(casing["range"]["end"], position(text, as_at + 2));

    // The unsafe fix is offered, labelled and not preferred.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": apt["range"], "context": {"diagnostics": [apt]}}),
    );
    let actions = actions.as_array().unwrap();
    let unsafe_fix = actions
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "DL3015")
        .unwrap_or_else(|| panic!("no DL3015 quick fix in {actions:?}"));
    assert_eq!(unsafe_fix["kind"], "quickfix");
    assert_eq!(unsafe_fix["isPreferred"], false);
    assert!(unsafe_fix["title"].as_str().unwrap().contains("unsafe"), "{unsafe_fix}");
    assert!(actions.iter().all(|a| a["diagnostics"][0]["code"] != "DK3002"), "a fix outside the range: {actions:?}");

    // The safe fix on line 1: preferred; applied, its finding is gone and the others stay.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": casing["range"], "context": {"diagnostics": [casing]}}),
    );
    let safe_fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "DK3002")
        .unwrap_or_else(|| panic!("no DK3002 quick fix in {actions}"))
        .clone();
    assert_eq!(safe_fix["isPreferred"], true);
    assert!(!safe_fix["title"].as_str().unwrap().contains("unsafe"));
    let edits = safe_fix["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply(text, edits);
    assert!(fixed.starts_with("FROM ubuntu:22.04 AS build\n"), "{fixed}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = client.diagnostics(&uri);
    assert!(!codes(&after).contains(&"DK3002".to_string()), "{after:?}");

    // Then the unsafe one, whose insertion lands past the emoji: applied at the UTF-16 position, it mends the line.
    let apt = find(&after, "DL3015").clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": apt["range"], "context": {"diagnostics": [apt]}}),
    );
    let action = actions.as_array().unwrap().iter().find(|a| a["diagnostics"][0]["code"] == "DL3015").unwrap().clone();
    let fixed = apply(&fixed, action["edit"]["changes"][&uri].as_array().unwrap());
    assert!(fixed.contains("\"안녕 🐳\" && apt-get install --no-install-recommends -y curl\n"), "{fixed}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    let after = codes(&client.diagnostics(&uri));
    assert!(!after.contains(&"DL3015".to_string()) && !after.contains(&"DK3002".to_string()), "{after:?}");
    assert!(after.contains(&"DL3066".to_string()), "findings without a fix stay: {after:?}");

    // Back to the first text: `source.fixAll`, as an editor asks on save, makes every safe fix and only those.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    client.diagnostics(&uri);
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let ask = |client: &mut Client, only: &str| {
        let params =
            json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": [], "only": [only]}});
        client.request("textDocument/codeAction", params).as_array().unwrap().clone()
    };
    let all = ask(&mut client, "source.fixAll");
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["kind"], "source.fixAll");
    let fixed = apply(text, all[0]["edit"]["changes"][&uri].as_array().unwrap());
    assert!(fixed.starts_with("FROM ubuntu:22.04 AS build\n"), "{fixed}");
    assert!(!fixed.contains("--no-install-recommends"), "an unsafe fix is not made: {fixed}");
    let quick = ask(&mut client, "quickfix");
    assert!(!quick.is_empty() && quick.iter().all(|a| a["kind"] == "quickfix"), "only what was asked for: {quick:?}");

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    drop(client.stdin.take());
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = client.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the server did not exit after `exit`");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}
