//! `theorist mcp`: a Model Context Protocol server on stdio, so AI assistants that formalise
//! physics can verify Lean files, read goals, cross-check claims numerically, plan with the
//! blueprint, and ask for tactics and proofs. It is the second front end on the engine
//! ([`crate::engine`]): each tool makes the call the command line makes and answers with the
//! same JSON. [`protocol`] is the wire (JSON-RPC 2.0, one message per line, both eras of
//! MCP), [`args`] the tools' argument tables, [`tools`] the tools themselves.
//!
//! Calls run concurrently, each on a thread of its own (Lean checks take minutes, and the
//! client may ping or cancel meanwhile). A cancelled call drops its work, which kills its Lean
//! processes. When the input ends, the calls in flight are finished and answered first; the
//! `shutdown` future (SIGTERM, Ctrl-C) cancels them instead.

pub mod args;
pub mod protocol;
pub mod tools;

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use protocol::{Era, ErrorCode, Incoming, RpcError};
pub use tools::Context;

/// What the server tells the assistant about itself, once.
const INSTRUCTIONS: &str = "theorist checks physics formalised in Lean 4 (Mathlib / PhysLean style). \
`verify` runs Lean on a file or declaration; `goals` shows the goal at a position; \
`numerics_check` cross-checks a claim with rigorous interval arithmetic and `numerics_eval` encloses a value; \
`blueprint_roadmap` and `blueprint_check` read a leanblueprint blueprint; `suggest` ranks tactics and \
`prove` searches for a proof (it writes the file only with `write: true`). Verdicts are in each result's \
JSON. A tool error means nothing was checked (for example: no Lean toolchain) and is never a pass. \
Relative paths are taken from the server's project root.";

/// Cancels the calls in flight, by request id.
type InFlight = Arc<Mutex<HashMap<String, oneshot::Sender<()>>>>;

/// Serves one client until `input` ends or `shutdown` completes.
pub async fn serve<R, W>(
    input: R,
    output: W,
    cx: Context,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (tx, rx) = mpsc::unbounded_channel::<Value>();
    let writer = tokio::spawn(write_messages(output, rx));
    let mut server = Server {
        cx: Arc::new(cx),
        tx,
        in_flight: InFlight::default(),
        calls: JoinSet::new(),
    };
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    tokio::pin!(shutdown);
    let mut shut_down = false;
    loop {
        tokio::select! {
            // Cancel-safe: bytes read before another branch won stay in `line`.
            read = input.read_until(b'\n', &mut line) => match read {
                Ok(0) => {
                    // A last message without its newline.
                    server.handle(&String::from_utf8_lossy(&line));
                    break;
                }
                Ok(_) => {
                    server.handle(&String::from_utf8_lossy(&line));
                    line.clear();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "reading the client's messages");
                    break;
                }
            },
            () = &mut shutdown => {
                shut_down = true;
                break;
            }
            Some(_) = server.calls.join_next(), if !server.calls.is_empty() => {}
        }
    }
    // Answer what is in flight (or cancel it, on shutdown), then let the writer finish.
    if shut_down {
        server.cancel_all();
    }
    loop {
        tokio::select! {
            next = server.calls.join_next() => if next.is_none() { break },
            () = &mut shutdown, if !shut_down => {
                shut_down = true;
                server.cancel_all();
            }
        }
    }
    drop(server);
    writer.await.unwrap_or(Ok(()))
}

/// Writes each message as one line, flushed at once.
async fn write_messages<W: AsyncWrite + Unpin>(
    mut output: W,
    mut rx: mpsc::UnboundedReceiver<Value>,
) -> std::io::Result<()> {
    while let Some(message) = rx.recv().await {
        let mut bytes = serde_json::to_vec(&message).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        output.write_all(&bytes).await?;
        output.flush().await?;
    }
    Ok(())
}

struct Server {
    cx: Arc<Context>,
    tx: mpsc::UnboundedSender<Value>,
    in_flight: InFlight,
    calls: JoinSet<()>,
}

impl Server {
    fn send(&self, message: Value) {
        // The client is gone when this fails; there is no one left to tell.
        let _ = self.tx.send(message);
    }

    fn handle(&mut self, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        match protocol::parse_line(line) {
            Incoming::Invalid { id, error } => self.send(protocol::error(id, error)),
            Incoming::Notification { method, params } => self.notification(&method, &params),
            Incoming::Request { id, method, params } => self.request(id, &method, params),
        }
    }

    fn notification(&self, method: &str, params: &Value) {
        // `notifications/initialized` needs no answer, and unknown notifications are ignored
        // (JSON-RPC answers no notification).
        if method == "notifications/cancelled"
            && let Some(id) = params.get("requestId")
            && let Some(cancel) = self.lock().remove(&key(id))
        {
            let _ = cancel.send(());
        }
    }

    fn request(&mut self, id: Value, method: &str, params: Value) {
        let era = match method {
            "initialize" => Era::Legacy,
            "server/discover" => Era::Modern,
            _ => match protocol::era_of(&params) {
                Ok(era) => era,
                Err(e) => return self.send(protocol::error(id, e)),
            },
        };
        let answer = match method {
            "initialize" => Ok(initialize(&params)),
            "server/discover" => Ok(discover()),
            "ping" => Ok(Map::new()),
            "tools/list" => Ok(list_tools(era)),
            "tools/call" => return self.call(id, era, params),
            other => Err(RpcError::new(
                ErrorCode::MethodNotFound,
                format!(
                    "theorist serves no method `{other}` (it offers tools: tools/list, tools/call)"
                ),
            )),
        };
        self.send(match answer {
            Ok(result) => protocol::result(id, era, result),
            Err(e) => protocol::error(id, e),
        });
    }

    /// Starts a tool call on a thread of its own; its answer is sent when it ends.
    fn call(&mut self, id: Value, era: Era, params: Value) {
        let Some(name) = params.get("name").and_then(Value::as_str) else {
            return self.send(protocol::error(
                id,
                RpcError::new(
                    ErrorCode::InvalidParams,
                    "tools/call needs `name`, a tool's name",
                ),
            ));
        };
        let Some(tool) = tools::TOOLS.iter().find(|t| t.name == name) else {
            let names: Vec<&str> = tools::TOOLS.iter().map(|t| t.name).collect();
            return self.send(protocol::error(
                id,
                RpcError::new(
                    ErrorCode::InvalidParams,
                    format!("no tool `{name}` (tools: {})", names.join(", ")),
                ),
            ));
        };
        let arguments = params.get("arguments").cloned().unwrap_or(Value::Null);
        let (cancel_tx, cancel_rx) = oneshot::channel();
        let call_key = key(&id);
        self.lock().insert(call_key.clone(), cancel_tx);
        let (cx, tx, in_flight) = (self.cx.clone(), self.tx.clone(), self.in_flight.clone());
        let runtime = tokio::runtime::Handle::current();
        self.calls.spawn_blocking(move || {
            let work = async {
                tokio::select! {
                    outcome = tools::call(tool, &arguments, &cx) => Some(outcome),
                    _ = cancel_rx => None,
                }
            };
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| runtime.block_on(work)));
            if let Ok(mut calls) = in_flight.lock() {
                calls.remove(&call_key);
            }
            let answer = match outcome {
                Ok(Some(outcome)) => protocol::result(id, era, outcome.into_result()),
                // Cancelled: the client expects no answer.
                Ok(None) => return,
                Err(panic) => {
                    let what = panic
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| panic.downcast_ref::<&str>().copied())
                        .unwrap_or("a panic");
                    protocol::error(
                        id,
                        RpcError::new(
                            ErrorCode::InternalError,
                            format!(
                                "theorist failed on this call ({what}): a bug, please report it"
                            ),
                        ),
                    )
                }
            };
            let _ = tx.send(answer);
        });
    }

    fn cancel_all(&self) {
        for (_, cancel) in self.lock().drain() {
            let _ = cancel.send(());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<()>>> {
        // A call thread that panicked while holding the lock left a usable map behind.
        self.in_flight.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn key(id: &Value) -> String {
    id.to_string()
}

fn capabilities() -> Value {
    json!({"tools": {"listChanged": false}})
}

fn initialize(params: &Value) -> Map<String, Value> {
    let requested = params.get("protocolVersion").and_then(Value::as_str);
    let mut result = Map::new();
    result.insert(
        "protocolVersion".into(),
        json!(protocol::negotiate(requested)),
    );
    result.insert("capabilities".into(), capabilities());
    result.insert("serverInfo".into(), protocol::server_info());
    result.insert("instructions".into(), json!(INSTRUCTIONS));
    result
}

/// The tool list never changes while the server runs; modern clients may cache it an hour.
const CACHE_MS: u64 = 3_600_000;

fn discover() -> Map<String, Value> {
    let mut result = Map::new();
    result.insert(
        "supportedVersions".into(),
        json!(protocol::supported_versions()),
    );
    result.insert("capabilities".into(), capabilities());
    result.insert("instructions".into(), json!(INSTRUCTIONS));
    result.insert("ttlMs".into(), json!(CACHE_MS));
    result.insert("cacheScope".into(), json!("public"));
    result
}

fn list_tools(era: Era) -> Map<String, Value> {
    let mut result = Map::new();
    result.insert(
        "tools".into(),
        tools::TOOLS.iter().map(tools::describe).collect(),
    );
    if era == Era::Modern {
        result.insert("ttlMs".into(), json!(CACHE_MS));
        result.insert("cacheScope".into(), json!("public"));
    }
    result
}
