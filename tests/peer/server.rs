//! The peer's language server: Content-Length frames on stdin/stdout, the `initialize`
//! handshake, documents with versions, `fileProgress`, `publishDiagnostics`, the
//! `waitForDiagnostics` barrier, goals, and the misbehaviours a client must survive.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_leansrc::Pos;

use crate::elaborate::{self, Message, Severity, elaborate};
use crate::scenario::{LeanVersion, RuleBehaviour, Scenario, ServerBehaviour};

type Out = Arc<Mutex<std::io::Stdout>>;

fn send(out: &Out, message: &Value) {
    let body = message.to_string();
    let mut o = out.lock().expect("stdout lock");
    let _ = write!(o, "Content-Length: {}\r\n\r\n{}", body.len(), body);
    let _ = o.flush();
}

fn read_frame(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

struct Doc {
    text: String,
    version: i64,
    finished: Option<i64>,
    crashed: Option<i64>,
    crashes_left: u32,
}

struct Server {
    scenario: Scenario,
    out: Out,
    docs: HashMap<String, Doc>,
    /// waitForDiagnostics requests not answered yet: (id, uri, version).
    waiting: Vec<(Value, String, i64)>,
    incremental: bool,
    unanswered_server_requests: HashSet<String>,
    rebuilt_imports: HashSet<String>,
    goal_seq: u64,
    transcript: HashMap<(u32, u32), Value>,
}

pub fn serve(scenario: Scenario) -> ExitCode {
    if scenario.server.startup_delay_ms > 0 {
        std::thread::sleep(Duration::from_millis(scenario.server.startup_delay_ms));
    }
    let transcript = scenario
        .server
        .plain_goal_transcript
        .as_ref()
        .map(|p| load_transcript(p))
        .unwrap_or_default();
    let mut server = Server {
        scenario,
        out: Arc::new(Mutex::new(std::io::stdout())),
        docs: HashMap::new(),
        waiting: Vec::new(),
        incremental: false,
        unanswered_server_requests: HashSet::new(),
        rebuilt_imports: HashSet::new(),
        goal_seq: 0,
        transcript,
    };
    let mut input = BufReader::new(std::io::stdin().lock());
    while let Some(message) = read_frame(&mut input) {
        if let Some(code) = server.handle(message) {
            return code;
        }
    }
    ExitCode::SUCCESS
}

impl Server {
    fn misbehaves(&self) -> bool {
        match &self.scenario.server.once_marker {
            None => true,
            Some(marker) => !marker.exists(),
        }
    }

    fn mark_misbehaved(&self) {
        if let Some(marker) = &self.scenario.server.once_marker {
            let _ = std::fs::write(marker, "");
        }
    }

    fn behaviour(&self) -> ServerBehaviour {
        if self.misbehaves() {
            self.scenario.server.behaviour
        } else {
            ServerBehaviour::Normal
        }
    }

    fn handle(&mut self, message: Value) -> Option<ExitCode> {
        let method = message
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_string);
        let id = message.get("id").cloned();
        let params = message.get("params").cloned().unwrap_or(Value::Null);
        match (method.as_deref(), id) {
            (None, Some(id)) => {
                // A reply to one of our server→client requests.
                self.unanswered_server_requests.remove(&id.to_string());
                self.answer_waiters();
            }
            (Some("initialize"), Some(id)) => {
                // Only a Lean that has incremental diagnostics uses them, when asked to.
                self.incremental = params["capabilities"]["lean"]["incrementalDiagnosticSupport"]
                    .as_bool()
                    .unwrap_or(false)
                    && self.scenario.version().incremental_diagnostics();
                if self.incremental && self.scenario.server.repeat_publish.is_some_and(|n| n != 1) {
                    // Fail loudly rather than silently ignore an option a test relies on.
                    eprintln!(
                        "theorist-lean-peer: server.repeat_publish cannot be honoured: Lean {:?} sends incremental diagnostics to this client, never repeated full sets",
                        self.scenario.version()
                    );
                    return Some(ExitCode::from(97));
                }
                let result = json!({
                    "capabilities": {"textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": true}}, "hoverProvider": true},
                    "serverInfo": {"name": "Lean 4 Server", "version": "0.2.0"},
                });
                // Key order differs from ours on purpose: clients must compare parsed JSON.
                send(
                    &self.out,
                    &json!({"result": result, "jsonrpc": "2.0", "id": id}),
                );
                if self.behaviour() == ServerBehaviour::ExitAfterInitialize {
                    return Some(ExitCode::from(1));
                }
            }
            (Some("initialized"), None) => {
                if self.scenario.server.server_requests {
                    let register = json!({"jsonrpc": "2.0", "id": "register-1", "method": "client/registerCapability",
                        "params": {"registrations": [{"id": "watch", "method": "workspace/didChangeWatchedFiles",
                            "registerOptions": {"watchers": [{"globPattern": "**/*.lean"}]}}]}});
                    let refresh = json!({"jsonrpc": "2.0", "id": 7, "method": "workspace/semanticTokens/refresh", "params": null});
                    self.unanswered_server_requests
                        .insert(json!("register-1").to_string());
                    self.unanswered_server_requests.insert(json!(7).to_string());
                    send(&self.out, &register);
                    send(&self.out, &refresh);
                }
            }
            (Some("textDocument/didOpen"), None) => {
                let uri = params["textDocument"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let text = params["textDocument"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let version = params["textDocument"]["version"].as_i64().unwrap_or(0);
                let mode = params["dependencyBuildMode"].as_str().unwrap_or("always");
                self.docs.insert(
                    uri.clone(),
                    Doc {
                        text,
                        version,
                        finished: None,
                        crashed: None,
                        crashes_left: 1,
                    },
                );
                if self.behaviour() == ServerBehaviour::ImportsOutOfDate
                    && mode == "never"
                    && !self.rebuilt_imports.contains(&uri)
                {
                    self.rebuilt_imports.insert(uri.clone());
                    self.publish_imports_out_of_date(&uri, version);
                } else {
                    self.process(&uri);
                }
            }
            (Some("textDocument/didChange"), None) => {
                let uri = params["textDocument"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let version = params["textDocument"]["version"].as_i64().unwrap_or(0);
                if let Some(doc) = self.docs.get_mut(&uri) {
                    for change in params["contentChanges"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                    {
                        apply_change(&mut doc.text, &change);
                    }
                    doc.version = version;
                    self.process(&uri);
                }
            }
            (Some("textDocument/didClose"), None) => {
                let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
                self.docs.remove(uri);
            }
            (Some("textDocument/waitForDiagnostics"), Some(id)) => {
                let uri = params["uri"].as_str().unwrap_or_default().to_string();
                let version = params["version"].as_i64().unwrap_or(0);
                if self.behaviour() == ServerBehaviour::Exit {
                    self.mark_misbehaved();
                    std::process::exit(1);
                }
                self.waiting.push((id, uri, version));
                self.answer_waiters();
            }
            (Some(m @ ("$/lean/plainGoal" | "$/lean/plainTermGoal")), Some(id)) => {
                self.goal_request(m, id, &params)
            }
            (Some("$/cancelRequest"), None) => {
                let target = params["id"].clone();
                if let Some(i) = self.waiting.iter().position(|(id, _, _)| *id == target) {
                    let (id, _, _) = self.waiting.remove(i);
                    send(
                        &self.out,
                        &json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32800, "message": "Request cancelled"}}),
                    );
                }
            }
            (Some("shutdown"), Some(id)) => send(
                &self.out,
                &json!({"jsonrpc": "2.0", "id": id, "result": null}),
            ),
            (Some("exit"), None) => return Some(ExitCode::SUCCESS),
            (Some(other), Some(id)) => {
                send(
                    &self.out,
                    &json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": format!("No request handler found for '{other}'")}}),
                );
            }
            (Some(_), None) => {}
            (None, None) => {}
        }
        None
    }

    fn publish_imports_out_of_date(&mut self, uri: &str, version: i64) {
        let diag = json!({"range": range(Pos { line: 1, column: 0 }, Pos { line: 1, column: 0 }), "fullRange": range(Pos { line: 1, column: 0 }, Pos { line: 1, column: 0 }),
            "severity": 1, "source": "Lean 4",
            "message": "Imports are out of date and must be rebuilt; use the \"Restart File\" command in your editor."});
        send(
            &self.out,
            &json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": uri, "version": version, "diagnostics": [diag]}}),
        );
        self.progress(uri, version, false);
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.finished = Some(version);
        }
        self.answer_waiters();
    }

    fn progress(&self, uri: &str, version: i64, processing: bool) {
        let items = if processing {
            json!([{"range": range(Pos { line: 1, column: 0 }, Pos { line: 10_000, column: 0 }), "kind": 1}])
        } else {
            json!([])
        };
        send(
            &self.out,
            &json!({"jsonrpc": "2.0", "method": "$/lean/fileProgress", "params": {"textDocument": {"uri": uri, "version": version}, "processing": items}}),
        );
    }

    fn process(&mut self, uri: &str) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let version = doc.version;
        let text = doc.text.clone();
        self.progress(uri, version, true);
        let outcome = elaborate(&text, &self.scenario);
        let behaviour = self.behaviour();
        let crash_now = (behaviour == ServerBehaviour::CrashWorker && doc.crashes_left > 0)
            || outcome.behaviour == RuleBehaviour::Crash;
        if behaviour == ServerBehaviour::Hang || outcome.behaviour == RuleBehaviour::Hang {
            return; // never finishes: the client's deadline must fire
        }
        if crash_now {
            let doc = self.docs.get_mut(uri).expect("doc exists");
            doc.crashes_left = doc.crashes_left.saturating_sub(1);
            doc.crashed = Some(version);
            let fatal = json!([{"range": range(Pos { line: 1, column: 0 }, Pos { line: 10_000, column: 0 }), "kind": 2}]);
            send(
                &self.out,
                &json!({"jsonrpc": "2.0", "method": "$/lean/fileProgress", "params": {"textDocument": {"uri": uri, "version": version}, "processing": fatal}}),
            );
            self.answer_waiters();
            return;
        }
        match behaviour {
            ServerBehaviour::GarbageHeader => {
                self.mark_misbehaved();
                let mut o = self.out.lock().expect("stdout lock");
                let _ = write!(o, "Content-Lenght 12\r\n\r\n{{\"broken\":1}}");
                let _ = o.flush();
                return;
            }
            ServerBehaviour::GarbageJson => {
                let mut o = self.out.lock().expect("stdout lock");
                let _ = write!(o, "Content-Length: 9\r\n\r\n{{not json");
                let _ = o.flush();
            }
            ServerBehaviour::HalfFrame => {
                let body = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": uri, "version": version, "diagnostics": []}}).to_string();
                let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
                let mut o = self.out.lock().expect("stdout lock");
                let _ = o.write_all(&frame.as_bytes()[..frame.len() / 2]);
                let _ = o.flush();
                std::process::exit(1);
            }
            ServerBehaviour::HugeLength => {
                let mut o = self.out.lock().expect("stdout lock");
                let _ = write!(o, "Content-Length: 200000000\r\n\r\n{{\"jsonrpc\"");
                let _ = o.flush();
                return; // and nothing more: the client's deadline must fire
            }
            _ => {}
        }
        let version_of_lean = self.scenario.version();
        let diags: Vec<Value> = outcome
            .messages
            .iter()
            .map(|m| diagnostic(m, &text, version_of_lean))
            .collect();
        let publish = |diagnostics: &[Value], incremental: bool| {
            let mut params = json!({"uri": uri, "version": version, "diagnostics": diagnostics});
            if incremental {
                params["isIncremental"] = json!(true);
            }
            send(
                &self.out,
                &json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": params}),
            );
        };
        let s = &self.scenario.server;
        if s.empty_publish_first {
            publish(&[], false);
        }
        let progress_first = version_of_lean.progress_before_diagnostics();
        if progress_first {
            self.progress(uri, version, false);
        }
        if self.incremental {
            // Lean 4.32+ to a client that asked: a first batch, then increments to append.
            publish(&diags[..diags.len().min(1)], false);
            for d in diags.iter().skip(1) {
                publish(std::slice::from_ref(d), true);
            }
        } else {
            // Full sets, growing as elaboration proceeds, the last one repeated (three
            // identical publications in Lean's editAfterError test).
            for k in 1..diags.len() {
                publish(&diags[..k], false);
            }
            for _ in 0..s.repeat_publish.unwrap_or(1).max(1) {
                publish(&diags, false);
            }
        }
        if !progress_first {
            self.progress(uri, version, false);
        }
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.finished = Some(version);
            doc.crashed = None;
        }
        self.answer_waiters();
    }

    fn answer_waiters(&mut self) {
        // The barrier is held until the client has answered our server→client requests: a
        // client that ignores them waits forever, and its own deadline has to catch it.
        if !self.unanswered_server_requests.is_empty() {
            return;
        }
        let mut still = Vec::new();
        for (id, uri, version) in std::mem::take(&mut self.waiting) {
            match self.docs.get(&uri) {
                Some(doc) if doc.crashed.is_some_and(|v| v >= version.min(doc.version)) => {
                    send(
                        &self.out,
                        &json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32902,
                        "message": format!("Server process for {uri} crashed, likely due to a stack overflow or a bug.")}}),
                    );
                }
                Some(doc) if doc.finished.is_some_and(|v| v >= version) => {
                    send(
                        &self.out,
                        &json!({"jsonrpc": "2.0", "id": id, "result": {}}),
                    );
                }
                None => send(
                    &self.out,
                    &json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32602, "message": format!("Cannot process request to closed file '{uri}'")}}),
                ),
                Some(_) => still.push((id, uri, version)),
            }
        }
        self.waiting = still;
    }

    fn goal_request(&mut self, method: &str, id: Value, params: &Value) {
        let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
        let line = params["position"]["line"].as_u64().unwrap_or(0) as u32;
        let character = params["position"]["character"].as_u64().unwrap_or(0) as u32;
        let reply = match self.docs.get(uri) {
            None => {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32602, "message": format!("Cannot process request to closed file '{uri}'")}})
            }
            Some(doc) if doc.crashed.is_some() => {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32902,
                "message": format!("Server process for {uri} crashed, likely due to a stack overflow or a bug.")}})
            }
            Some(doc) => {
                let result = if method == "$/lean/plainGoal" {
                    if let Some(recorded) = self.transcript.get(&(line, character)) {
                        recorded.clone()
                    } else {
                        let pos = from_lsp(&doc.text, line, character);
                        match elaborate::goals_at(&doc.text, pos, &self.scenario) {
                            None => Value::Null,
                            Some(goals) if goals.is_empty() => {
                                json!({"rendered": "no goals", "goals": []})
                            }
                            Some(goals) => {
                                let rendered = goals
                                    .iter()
                                    .map(|g| format!("```lean\n{g}\n```"))
                                    .collect::<Vec<_>>()
                                    .join("\n---\n");
                                json!({"rendered": rendered, "goals": goals})
                            }
                        }
                    }
                } else {
                    let pos = from_lsp(&doc.text, line, character);
                    match elaborate::term_goal_at(&doc.text, pos, &self.scenario) {
                        None => Value::Null,
                        Some((goal, start, end)) => {
                            json!({"goal": goal, "range": range_in(&doc.text, start, end)})
                        }
                    }
                };
                json!({"jsonrpc": "2.0", "id": id, "result": result})
            }
        };
        if self.scenario.server.out_of_order {
            // Consecutive requests are answered in reverse order of arrival.
            self.goal_seq += 1;
            let delay = Duration::from_millis(30 * (4 - self.goal_seq % 4));
            let out = self.out.clone();
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                send(&out, &reply);
            });
        } else {
            send(&self.out, &reply);
        }
    }
}

fn diagnostic(m: &Message, text: &str, version: LeanVersion) -> Value {
    let r = range_in(text, m.pos, m.end);
    let mut d = json!({"range": r, "fullRange": r, "severity": match m.severity { Severity::Error => 1, Severity::Warning => 2, Severity::Information => 3 },
        "message": m.data, "source": "Lean 4"});
    if version.has_named_errors()
        && let Some(code) = &m.code
    {
        d["code"] = json!(code);
    }
    d
}

fn range(start: Pos, end: Pos) -> Value {
    json!({"start": {"line": start.line.saturating_sub(1), "character": start.column}, "end": {"line": end.line.saturating_sub(1), "character": end.column}})
}

/// LSP range with UTF-16 characters.
fn range_in(text: &str, start: Pos, end: Pos) -> Value {
    let conv = |p: Pos| {
        let line = text
            .split('\n')
            .nth(p.line.saturating_sub(1) as usize)
            .unwrap_or("");
        let ch: usize = line
            .chars()
            .take(p.column as usize)
            .map(char::len_utf16)
            .sum();
        json!({"line": p.line.saturating_sub(1), "character": ch})
    };
    json!({"start": conv(start), "end": conv(end)})
}

fn from_lsp(text: &str, line: u32, character: u32) -> Pos {
    let l = text.split('\n').nth(line as usize).unwrap_or("");
    let mut units = 0;
    let mut column = 0;
    for c in l.chars() {
        if units >= character {
            break;
        }
        units += c.len_utf16() as u32;
        column += 1;
    }
    Pos {
        line: line + 1,
        column,
    }
}

fn apply_change(text: &mut String, change: &Value) {
    let new = change["text"].as_str().unwrap_or_default();
    let Some(r) = change.get("range").filter(|r| !r.is_null()) else {
        *text = new.to_string();
        return;
    };
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let character = p["character"].as_u64().unwrap_or(0) as u32;
        let start: usize = text.split('\n').take(line).map(|l| l.len() + 1).sum();
        let l = text[start.min(text.len())..]
            .split('\n')
            .next()
            .unwrap_or("");
        let mut units = 0;
        let mut bytes = 0;
        for c in l.chars() {
            if units >= character {
                break;
            }
            units += c.len_utf16() as u32;
            bytes += c.len_utf8();
        }
        (start + bytes).min(text.len())
    };
    let (a, b) = (offset(&r["start"]), offset(&r["end"]));
    text.replace_range(a..b.max(a), new);
}

/// Request/result pairs from a transcript printed by Lean's test runner: a params object with
/// `position`, then the result (pretty-printed JSON objects, `null`, or strings).
fn load_transcript(path: &std::path::Path) -> HashMap<(u32, u32), Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut values = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(&body).into_iter::<Value>();
    while let Some(Ok(v)) = stream.next() {
        values.push(v);
    }
    let mut map = HashMap::new();
    let mut i = 0;
    while i + 1 < values.len() {
        if let Some(pos) = values[i].get("position") {
            let key = (
                pos["line"].as_u64().unwrap_or(0) as u32,
                pos["character"].as_u64().unwrap_or(0) as u32,
            );
            map.insert(key, values[i + 1].clone());
            i += 2;
        } else {
            i += 1;
        }
    }
    map
}
