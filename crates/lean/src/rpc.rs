//! JSON-RPC 2.0 over any `AsyncRead + AsyncWrite` (a child's pipes, or `tokio::io::duplex`
//! in tests). A reader task owns the input and a writer task the output; pending requests
//! wait on oneshot channels keyed by id, so replies may arrive in any order. Requests the
//! server sends to us are answered at once. Notifications go to an [`Events`] sink.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, BufReader};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::error::{LeanError, Result};
use crate::framing::{FramingError, read_frame, write_frame};

/// Where notifications and the end of the connection are delivered (from the reader task).
pub trait Events: Send + Sync + 'static {
    fn notification(&self, method: &str, params: Value);
    fn closed(&self);
}

/// Server→client requests that clients acknowledge with a `null` result (the set leanclient
/// answers); anything else gets MethodNotFound.
const ACKNOWLEDGED: &[&str] = &[
    "client/registerCapability",
    "client/unregisterCapability",
    "workspace/semanticTokens/refresh",
    "workspace/inlayHint/refresh",
    "workspace/codeLens/refresh",
    "workspace/diagnostic/refresh",
    "window/workDoneProgress/create",
];

/// JSON-RPC error codes Lean's server uses for a dead file worker.
pub const WORKER_EXITED: i64 = -32901;
pub const WORKER_CRASHED: i64 = -32902;

/// The last lines a process wrote to stderr, for error messages.
#[derive(Debug, Clone, Default)]
pub struct StderrTail(Arc<Mutex<VecDeque<String>>>);

impl StderrTail {
    const LINES: usize = 40;
    /// Longer lines are cut: a flood without newlines must not grow without bound.
    const LINE_BYTES: usize = 4096;

    /// Reads `stream` to its end, keeping its last lines (each cut to a few KB).
    pub async fn collect<R: tokio::io::AsyncRead + Unpin>(self, mut stream: R) {
        use tokio::io::AsyncReadExt;
        let mut chunk = vec![0u8; 64 << 10];
        let mut line: Vec<u8> = Vec::new();
        loop {
            let n = match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            for &b in &chunk[..n] {
                if b == b'\n' {
                    self.push(String::from_utf8_lossy(&line).into_owned());
                    line.clear();
                } else if line.len() < Self::LINE_BYTES {
                    line.push(b);
                }
            }
        }
        if !line.is_empty() {
            self.push(String::from_utf8_lossy(&line).into_owned());
        }
    }

    pub fn push(&self, line: String) {
        let mut q = self.0.lock().expect("stderr tail lock");
        if q.len() == Self::LINES {
            q.pop_front();
        }
        q.push_back(line);
    }

    pub fn text(&self) -> String {
        self.0
            .lock()
            .expect("stderr tail lock")
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Debug, Clone)]
enum CloseReason {
    Eof,
    Protocol(String),
    Write(String),
}

type Reply = std::result::Result<Value, LeanError>;

struct Shared {
    pending: Mutex<HashMap<i64, (String, oneshot::Sender<Reply>)>>,
    closed: Mutex<Option<CloseReason>>,
    stderr: StderrTail,
}

impl Shared {
    fn error_for(&self, reason: &CloseReason) -> LeanError {
        match reason {
            CloseReason::Eof => LeanError::ServerExited {
                stderr: self.stderr.text(),
            },
            CloseReason::Protocol(detail) => LeanError::Protocol {
                detail: detail.clone(),
            },
            CloseReason::Write(detail) => LeanError::ServerExited {
                stderr: format!("writing to it failed: {detail}"),
            },
        }
    }

    fn close(&self, reason: CloseReason) {
        let mut closed = self.closed.lock().expect("closed lock");
        if closed.is_none() {
            *closed = Some(reason.clone());
        }
        drop(closed);
        let pending: Vec<_> = self.pending.lock().expect("pending lock").drain().collect();
        for (_, (_, tx)) in pending {
            let _ = tx.send(Err(self.error_for(&reason)));
        }
    }
}

/// One JSON-RPC connection.
pub struct Connection {
    outgoing: mpsc::UnboundedSender<Vec<u8>>,
    shared: Arc<Shared>,
    next_id: AtomicI64,
    tasks: Vec<JoinHandle<()>>,
}

impl Connection {
    /// Starts the reader and writer tasks. `stderr` is where the peer's stderr lines are
    /// collected (by the caller), quoted when the connection ends.
    pub fn new<R, W>(
        reader: R,
        writer: W,
        events: Arc<dyn Events>,
        stderr: StderrTail,
    ) -> Connection
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let shared = Arc::new(Shared {
            pending: Mutex::new(HashMap::new()),
            closed: Mutex::new(None),
            stderr,
        });
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
        let writer_shared = shared.clone();
        let writer_task = tokio::spawn(async move {
            let mut writer = writer;
            while let Some(body) = rx.recv().await {
                if let Err(e) = write_frame(&mut writer, &body).await {
                    writer_shared.close(CloseReason::Write(e.to_string()));
                    break;
                }
            }
        });
        let reader_shared = shared.clone();
        let reply_tx = tx.clone();
        let reader_task = tokio::spawn(async move {
            let mut reader = BufReader::with_capacity(64 * 1024, reader);
            let reason = loop {
                match read_frame(&mut reader).await {
                    Ok(Some(body)) => dispatch(&body, &reader_shared, &reply_tx, events.as_ref()),
                    Ok(None) => break CloseReason::Eof,
                    Err(FramingError::Truncated) => break CloseReason::Eof,
                    Err(FramingError::Io(e)) => {
                        break CloseReason::Protocol(format!("reading from Lean failed: {e}"));
                    }
                    Err(e) => break CloseReason::Protocol(e.to_string()),
                }
            };
            reader_shared.close(reason);
            events.closed();
        });
        Connection {
            outgoing: tx,
            shared,
            next_id: AtomicI64::new(0),
            tasks: vec![writer_task, reader_task],
        }
    }

    /// Sends a request and waits for its reply; on timeout the request is cancelled with
    /// `$/cancelRequest` and forgotten.
    pub async fn request(&self, method: &str, params: Value, timeout: Duration) -> Result<Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        {
            if let Some(reason) = self.shared.closed.lock().expect("closed lock").clone() {
                return Err(self.shared.error_for(&reason));
            }
            self.shared
                .pending
                .lock()
                .expect("pending lock")
                .insert(id, (method.to_string(), tx));
        }
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => Err(LeanError::ServerExited {
                stderr: self.shared.stderr.text(),
            }),
            Err(_) => {
                self.shared
                    .pending
                    .lock()
                    .expect("pending lock")
                    .remove(&id);
                let _ = self.notify("$/cancelRequest", json!({"id": id}));
                Err(LeanError::Timeout {
                    method: method.to_string(),
                    after: timeout,
                })
            }
        }
    }

    /// Sends a notification.
    pub fn notify(&self, method: &str, params: Value) -> Result<()> {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Whether the connection has ended (EOF, protocol error or write failure).
    pub fn is_closed(&self) -> bool {
        self.shared.closed.lock().expect("closed lock").is_some()
    }

    /// The error a request would get now that the connection is closed.
    pub fn close_error(&self) -> Option<LeanError> {
        let reason = self.shared.closed.lock().expect("closed lock").clone()?;
        Some(self.shared.error_for(&reason))
    }

    fn send(&self, message: Value) -> Result<()> {
        let body = serde_json::to_vec(&message).expect("JSON values serialise");
        self.outgoing.send(body).map_err(|_| {
            self.close_error().unwrap_or(LeanError::ServerExited {
                stderr: self.shared.stderr.text(),
            })
        })
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

fn dispatch(
    body: &[u8],
    shared: &Shared,
    replies: &mpsc::UnboundedSender<Vec<u8>>,
    events: &dyn Events,
) {
    let message: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            // The frame boundary is still known, so one bad body does not end the session.
            tracing::warn!(error = %e, body = %String::from_utf8_lossy(body), "ignoring a frame that is not JSON");
            return;
        }
    };
    let method = message.get("method").and_then(Value::as_str);
    let id = message.get("id").filter(|id| !id.is_null());
    match (method, id) {
        (Some(method), Some(id)) => {
            let reply = if ACKNOWLEDGED.contains(&method) {
                json!({"jsonrpc": "2.0", "id": id, "result": null})
            } else {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": format!("theorist does not handle {method}")}})
            };
            tracing::debug!(method, "answered a server request");
            let _ = replies.send(serde_json::to_vec(&reply).expect("JSON values serialise"));
        }
        (Some(method), None) => {
            let params = message.get("params").cloned().unwrap_or(Value::Null);
            events.notification(method, params);
        }
        (None, Some(id)) => {
            let Some(id) = id.as_i64() else {
                tracing::warn!(%id, "reply with an id we never used");
                return;
            };
            let Some((method, tx)) = shared.pending.lock().expect("pending lock").remove(&id)
            else {
                tracing::debug!(id, "reply to a request that timed out or was cancelled");
                return;
            };
            let reply = match message.get("error") {
                Some(err) => Err(rpc_error(&method, err)),
                None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
            };
            let _ = tx.send(reply);
        }
        (None, None) => {
            tracing::warn!(%message, "ignoring a message that is neither request, reply nor notification")
        }
    }
}

fn rpc_error(method: &str, err: &Value) -> LeanError {
    let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if code == WORKER_EXITED || code == WORKER_CRASHED {
        LeanError::WorkerCrashed {
            uri: String::new(),
            code,
            message,
        }
    } else {
        LeanError::Rpc {
            method: method.to_string(),
            code,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framing::{encode_frame, read_frame};
    use tokio::io::{AsyncWriteExt, duplex};

    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);
    impl Events for Recorder {
        fn notification(&self, method: &str, _: Value) {
            self.0.lock().unwrap().push(method.to_string());
        }
        fn closed(&self) {
            self.0.lock().unwrap().push("<closed>".to_string());
        }
    }

    async fn next<R: tokio::io::AsyncBufRead + Unpin>(r: &mut R) -> Value {
        serde_json::from_slice(&read_frame(r).await.unwrap().unwrap()).unwrap()
    }

    #[tokio::test]
    async fn replies_out_of_order_reach_their_requests_and_server_requests_are_answered() {
        let (client_io, server_io) = duplex(1 << 16);
        let (cr, cw) = tokio::io::split(client_io);
        let (sr, mut sw) = tokio::io::split(server_io);
        let events = Arc::new(Recorder::default());
        let conn = Arc::new(Connection::new(
            cr,
            cw,
            events.clone(),
            StderrTail::default(),
        ));
        let c1 = conn.clone();
        let c2 = conn.clone();
        let a =
            tokio::spawn(async move { c1.request("a", json!(1), Duration::from_secs(5)).await });
        let b =
            tokio::spawn(async move { c2.request("b", json!(2), Duration::from_secs(5)).await });
        let mut sr = BufReader::new(sr);
        let m1 = next(&mut sr).await;
        let m2 = next(&mut sr).await;
        let (ra, rb) = if m1["method"] == "a" {
            (m1, m2)
        } else {
            (m2, m1)
        };
        // A server request with a string id and a notification arrive before the replies,
        // and the replies come in reverse order with keys in another order.
        let sreq = json!({"id": "register-1", "method": "client/registerCapability", "jsonrpc": "2.0", "params": {}});
        sw.write_all(&encode_frame(sreq.to_string().as_bytes()))
            .await
            .unwrap();
        let note = json!({"jsonrpc": "2.0", "method": "$/lean/fileProgress", "params": {}});
        sw.write_all(&encode_frame(note.to_string().as_bytes()))
            .await
            .unwrap();
        for (req, result) in [(&rb, "B"), (&ra, "A")] {
            let reply = json!({"result": result, "id": req["id"], "jsonrpc": "2.0"});
            sw.write_all(&encode_frame(reply.to_string().as_bytes()))
                .await
                .unwrap();
        }
        assert_eq!(a.await.unwrap().unwrap(), json!("A"));
        assert_eq!(b.await.unwrap().unwrap(), json!("B"));
        let ack = next(&mut sr).await;
        assert_eq!(
            ack,
            json!({"jsonrpc": "2.0", "id": "register-1", "result": null})
        );
        assert_eq!(events.0.lock().unwrap().as_slice(), ["$/lean/fileProgress"]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_timeout_cancels_the_request() {
        let (client_io, server_io) = duplex(1 << 16);
        let (cr, cw) = tokio::io::split(client_io);
        let (sr, _sw) = tokio::io::split(server_io);
        let conn = Connection::new(cr, cw, Arc::new(Recorder::default()), StderrTail::default());
        let err = conn
            .request(
                "textDocument/waitForDiagnostics",
                json!({}),
                Duration::from_secs(30),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, LeanError::Timeout { ref method, .. } if method == "textDocument/waitForDiagnostics")
        );
        let mut sr = BufReader::new(sr);
        let _request = next(&mut sr).await;
        let cancel = next(&mut sr).await;
        assert_eq!(cancel["method"], "$/cancelRequest");
        assert_eq!(cancel["params"]["id"], 0);
    }

    #[tokio::test]
    async fn eof_fails_pending_requests_and_worker_crash_is_typed() {
        let (client_io, server_io) = duplex(1 << 16);
        let (cr, cw) = tokio::io::split(client_io);
        let (sr, mut sw) = tokio::io::split(server_io);
        let events = Arc::new(Recorder::default());
        let conn = Arc::new(Connection::new(
            cr,
            cw,
            events.clone(),
            StderrTail::default(),
        ));
        let c = conn.clone();
        let crash = tokio::spawn(async move {
            c.request("$/lean/plainGoal", json!({}), Duration::from_secs(5))
                .await
        });
        let mut sr = BufReader::new(sr);
        let req = next(&mut sr).await;
        let reply = json!({"jsonrpc": "2.0", "id": req["id"], "error": {"code": -32902, "message": "worker crashed"}});
        sw.write_all(&encode_frame(reply.to_string().as_bytes()))
            .await
            .unwrap();
        assert!(matches!(
            crash.await.unwrap(),
            Err(LeanError::WorkerCrashed { code: -32902, .. })
        ));
        let c = conn.clone();
        let pending =
            tokio::spawn(async move { c.request("x", json!({}), Duration::from_secs(5)).await });
        let _ = next(&mut sr).await;
        drop(sw);
        drop(sr);
        assert!(matches!(
            pending.await.unwrap(),
            Err(LeanError::ServerExited { .. })
        ));
        assert!(conn.is_closed());
        assert!(events.0.lock().unwrap().contains(&"<closed>".to_string()));
    }

    #[tokio::test]
    async fn a_garbage_header_is_a_protocol_error_and_bad_json_is_skipped() {
        let (client_io, server_io) = duplex(1 << 16);
        let (cr, cw) = tokio::io::split(client_io);
        let (sr, mut sw) = tokio::io::split(server_io);
        let events = Arc::new(Recorder::default());
        let conn = Arc::new(Connection::new(
            cr,
            cw,
            events.clone(),
            StderrTail::default(),
        ));
        let c = conn.clone();
        let req =
            tokio::spawn(async move { c.request("x", json!({}), Duration::from_secs(5)).await });
        let mut sr = BufReader::new(sr);
        let _ = next(&mut sr).await;
        sw.write_all(&encode_frame(b"{not json")).await.unwrap();
        let note = json!({"jsonrpc": "2.0", "method": "after", "params": {}});
        sw.write_all(&encode_frame(note.to_string().as_bytes()))
            .await
            .unwrap();
        sw.write_all(b"Content-Lenght 12\r\n\r\n").await.unwrap();
        let err = req.await.unwrap().unwrap_err();
        assert!(matches!(err, LeanError::Protocol { .. }), "{err}");
        assert_eq!(events.0.lock().unwrap()[0], "after");
    }
}
