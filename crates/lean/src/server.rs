//! The Lean language server (`lake serve --`) as a typed client: open a document, change it
//! in memory, wait until Lean has finished it (the `waitForDiagnostics` barrier plus an empty
//! `fileProgress`, under an absolute deadline), ask for goals, close it. A crashed file worker
//! is revived once with a `didChange`; a dead server process is restarted once and its
//! documents re-opened. The process tree is killed when the client is dropped.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::process::Child;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::diagnostics::{Diagnostic, DocStore};
use crate::error::{LeanError, Result};
use crate::position::{LeanPos, file_uri, to_lsp};
use crate::process::{GroupGuard, spawn};
use crate::rpc::{Connection, StderrTail};
use crate::toolchain::Toolchain;

/// Limits and options of a server session.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Per request (goals, initialize, shutdown); callers set it from the user's `--timeout`.
    pub request_timeout: Duration,
    /// Absolute limit for one document version to finish elaborating.
    pub file_timeout: Duration,
    /// After `waitForDiagnostics` answered, how long to wait for the empty `fileProgress`
    /// (Lean ≥ 4.22 may send them in either order).
    pub progress_grace: Duration,
    /// Lean's `-M` memory cap in MB, per process.
    pub memory_mb: Option<u64>,
    /// Lean's `-j` thread cap.
    pub threads: Option<u32>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            request_timeout: Duration::from_secs(120),
            file_timeout: Duration::from_secs(900),
            progress_grace: Duration::from_secs(5),
            memory_mb: None,
            threads: None,
        }
    }
}

/// The goal state `$/lean/plainGoal` reports at a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainGoal {
    /// Markdown, one ```` ```lean ```` block per goal.
    pub rendered: String,
    /// One pretty-printed goal per entry; empty when the goal is closed ("no goals").
    pub goals: Vec<String>,
}

/// The expected type `$/lean/plainTermGoal` reports at a position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlainTermGoal {
    pub goal: String,
    pub range: lsp_types::Range,
}

/// An open document; changes go through [`LeanServer::change`].
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: String,
    pub path: PathBuf,
    pub version: i64,
    pub text: String,
}

struct Running {
    conn: Connection,
    _child: Child,
    // Kills the whole process tree when the last handle goes.
    _guard: GroupGuard,
}

/// A running Lean language server for one project.
pub struct LeanServer {
    toolchain: Toolchain,
    config: ServerConfig,
    store: Arc<DocStore>,
    running: Mutex<Arc<Running>>,
    restarted: Mutex<bool>,
    open_docs: Mutex<Vec<Document>>,
}

impl LeanServer {
    /// Starts `lake serve --` in the project root and performs the `initialize` handshake.
    pub async fn start(toolchain: &Toolchain, config: ServerConfig) -> Result<LeanServer> {
        let store = Arc::new(DocStore::default());
        let running = launch(toolchain, &config, store.clone()).await?;
        Ok(LeanServer {
            toolchain: toolchain.clone(),
            config,
            store,
            running: Mutex::new(Arc::new(running)),
            restarted: Mutex::new(false),
            open_docs: Mutex::new(Vec::new()),
        })
    }

    /// Opens `path` with `text` (the file on disk is not read or touched).
    pub async fn open(&self, path: &Path, text: String) -> Result<Document> {
        let path = std::path::absolute(path).map_err(|source| LeanError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let doc = Document {
            uri: file_uri(&path),
            path,
            version: 1,
            text,
        };
        self.did_open(&doc, "never").await?;
        self.open_docs.lock().await.push(doc.clone());
        Ok(doc)
    }

    /// Replaces the whole text of `doc` (a new version).
    pub async fn change(&self, doc: &mut Document, text: String) -> Result<()> {
        doc.version += 1;
        doc.text = text;
        self.did_change(doc).await?;
        if let Some(d) = self
            .open_docs
            .lock()
            .await
            .iter_mut()
            .find(|d| d.uri == doc.uri)
        {
            *d = doc.clone();
        }
        Ok(())
    }

    /// Waits until Lean has finished the current version of `doc` and returns its
    /// diagnostics. Revives a crashed worker once, restarts a dead server once, and reopens
    /// with `dependencyBuildMode: "once"` when Lean says the imports are out of date.
    pub async fn wait_for_diagnostics(&self, doc: &mut Document) -> Result<Vec<Diagnostic>> {
        let deadline = Instant::now() + self.config.file_timeout;
        let mut revived = false;
        let mut rebuilt_imports = false;
        loop {
            match self.barrier(doc, deadline).await {
                Ok(diags) => {
                    if !rebuilt_imports
                        && diags
                            .iter()
                            .any(|d| d.is_error() && is_imports_out_of_date(&d.message))
                    {
                        rebuilt_imports = true;
                        tracing::info!(uri = %doc.uri, "imports out of date: reopening with dependencyBuildMode once");
                        self.conn().await.conn.notify(
                            "textDocument/didClose",
                            json!({"textDocument": {"uri": doc.uri}}),
                        )?;
                        doc.version += 1;
                        self.did_open(doc, "once").await?;
                        continue;
                    }
                    return Ok(diags);
                }
                Err(LeanError::WorkerCrashed { code, message, .. }) if !revived => {
                    revived = true;
                    tracing::warn!(uri = %doc.uri, code, %message, "Lean worker crashed; reviving it once");
                    doc.version += 1;
                    self.did_change(doc).await?;
                }
                Err(LeanError::WorkerCrashed { code, message, .. }) => {
                    return Err(LeanError::WorkerCrashed {
                        uri: doc.uri.clone(),
                        code,
                        message,
                    });
                }
                Err(LeanError::ServerExited { .. }) if !revived => {
                    revived = true;
                    self.restart().await?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The tactic goals at a Lean position of `doc` (`None`: no tactic there).
    pub async fn plain_goal(&self, doc: &Document, pos: LeanPos) -> Result<Option<PlainGoal>> {
        let value = self.position_request("$/lean/plainGoal", doc, pos).await?;
        if value.is_null() {
            return Ok(None);
        }
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| LeanError::Protocol {
                detail: format!("$/lean/plainGoal result: {e}"),
            })
    }

    /// The expected type at a Lean position of `doc` (`None`: no term there).
    pub async fn plain_term_goal(
        &self,
        doc: &Document,
        pos: LeanPos,
    ) -> Result<Option<PlainTermGoal>> {
        let value = self
            .position_request("$/lean/plainTermGoal", doc, pos)
            .await?;
        if value.is_null() {
            return Ok(None);
        }
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| LeanError::Protocol {
                detail: format!("$/lean/plainTermGoal result: {e}"),
            })
    }

    /// Closes `doc`, freeing its worker (forgetting this leaks a Lean process per file).
    pub async fn close(&self, doc: &Document) -> Result<()> {
        self.open_docs.lock().await.retain(|d| d.uri != doc.uri);
        self.store.forget(&doc.uri);
        self.conn().await.conn.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": doc.uri}}),
        )
    }

    /// Politely shuts the server down, then kills what is left of it.
    pub async fn shutdown(self) {
        let running = self.conn().await;
        let _ = running
            .conn
            .request(
                "shutdown",
                Value::Null,
                self.config.request_timeout.min(Duration::from_secs(5)),
            )
            .await;
        let _ = running.conn.notify("exit", Value::Null);
    }

    /// The toolchain this server runs.
    pub fn toolchain(&self) -> &Toolchain {
        &self.toolchain
    }

    async fn conn(&self) -> Arc<Running> {
        self.running.lock().await.clone()
    }

    async fn did_open(&self, doc: &Document, build_mode: &str) -> Result<()> {
        self.store.sent(&doc.uri, doc.version);
        self.conn().await.conn.notify(
            "textDocument/didOpen",
            json!({
                "textDocument": {"uri": doc.uri, "languageId": "lean", "version": doc.version, "text": doc.text},
                "dependencyBuildMode": build_mode,
            }),
        )
    }

    async fn did_change(&self, doc: &Document) -> Result<()> {
        self.store.sent(&doc.uri, doc.version);
        self.conn().await.conn.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": doc.uri, "version": doc.version},
                "contentChanges": [{"text": doc.text}],
            }),
        )
    }

    async fn barrier(&self, doc: &Document, deadline: Instant) -> Result<Vec<Diagnostic>> {
        let running = self.conn().await;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let version = doc.version;
        let wait = running.conn.request(
            "textDocument/waitForDiagnostics",
            json!({"uri": doc.uri, "version": version}),
            remaining,
        );
        match wait.await {
            Ok(_) => {}
            Err(LeanError::Timeout { .. }) => {
                return Err(LeanError::Timeout {
                    method: format!("textDocument/waitForDiagnostics ({})", doc.path.display()),
                    after: self.config.file_timeout,
                });
            }
            Err(LeanError::WorkerCrashed { code, message, .. }) => {
                return Err(LeanError::WorkerCrashed {
                    uri: doc.uri.clone(),
                    code,
                    message,
                });
            }
            Err(e) => return Err(e),
        }
        // The barrier answered; the empty `fileProgress` may still be on its way.
        let grace_end = (Instant::now() + self.config.progress_grace).min(deadline);
        loop {
            let notified = self.store.changed.notified();
            let state = self.store.get(&doc.uri);
            if state.fatal_version.is_some_and(|v| v >= version) {
                let has_errors = state.diagnostics.iter().any(Diagnostic::is_error);
                if !has_errors {
                    return Err(LeanError::WorkerCrashed {
                        uri: doc.uri.clone(),
                        code: 0,
                        message: "fileProgress reported a fatal error".to_string(),
                    });
                }
                return Ok(state.diagnostics);
            }
            if state.finished_version.is_some_and(|v| v >= version) || running.conn.is_closed() {
                if let Some(err) = running.conn.close_error() {
                    return Err(err);
                }
                return Ok(if state.diagnostics_version == Some(version) {
                    state.diagnostics
                } else {
                    Vec::new()
                });
            }
            if tokio::time::timeout_at(grace_end, notified).await.is_err() {
                tracing::warn!(uri = %doc.uri, version, "no empty fileProgress after waitForDiagnostics; using the diagnostics so far");
                let state = self.store.get(&doc.uri);
                return Ok(if state.diagnostics_version == Some(version) {
                    state.diagnostics
                } else {
                    Vec::new()
                });
            }
        }
    }

    async fn position_request(&self, method: &str, doc: &Document, pos: LeanPos) -> Result<Value> {
        let params = json!({"textDocument": {"uri": doc.uri}, "position": to_lsp(&doc.text, pos)});
        let first = self
            .conn()
            .await
            .conn
            .request(method, params.clone(), self.config.request_timeout)
            .await;
        match first {
            Err(LeanError::WorkerCrashed { .. }) => {
                // leanclient's rule: only a didChange revives a crashed worker.
                self.did_change(doc).await?;
                self.conn()
                    .await
                    .conn
                    .request(method, params, self.config.request_timeout)
                    .await
                    .map_err(|e| match e {
                        LeanError::WorkerCrashed { code, message, .. } => {
                            LeanError::WorkerCrashed {
                                uri: doc.uri.clone(),
                                code,
                                message,
                            }
                        }
                        other => other,
                    })
            }
            other => other,
        }
    }

    async fn restart(&self) -> Result<()> {
        let mut restarted = self.restarted.lock().await;
        if *restarted {
            return Err(self
                .conn()
                .await
                .conn
                .close_error()
                .unwrap_or(LeanError::ServerExited {
                    stderr: String::new(),
                }));
        }
        *restarted = true;
        tracing::warn!("the Lean server exited; restarting it once");
        let fresh = launch(&self.toolchain, &self.config, self.store.clone()).await?;
        *self.running.lock().await = Arc::new(fresh);
        let docs = self.open_docs.lock().await.clone();
        for doc in docs {
            self.did_open(&doc, "never").await?;
        }
        Ok(())
    }
}

fn is_imports_out_of_date(message: &str) -> bool {
    message.contains("Imports are out of date")
        || message.contains("out of date and must be rebuilt")
}

/// Starts `lake serve --`; when that process ends before answering `initialize` (a `lake`
/// without `serve`, or a project Lake cannot configure), falls back to `lake env lean
/// --server`, which vscode-lean4 also uses when Lake is not available.
async fn launch(
    toolchain: &Toolchain,
    config: &ServerConfig,
    store: Arc<DocStore>,
) -> Result<Running> {
    match launch_with(toolchain, config, store.clone(), &["serve", "--"]).await {
        Err(LeanError::ServerExited { stderr }) => {
            tracing::warn!(%stderr, "`lake serve` ended during initialize; trying `lake env lean --server`");
            launch_with(toolchain, config, store, &["env", "lean", "--server"]).await
        }
        other => other,
    }
}

async fn launch_with(
    toolchain: &Toolchain,
    config: &ServerConfig,
    store: Arc<DocStore>,
    command: &[&str],
) -> Result<Running> {
    let mut args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
    args.push("-Dserver.reportDelayMs=0".into());
    if let Some(mb) = config.memory_mb {
        args.push(format!("--memory={mb}"));
    }
    if let Some(j) = config.threads {
        args.push(format!("--threads={j}"));
    }
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut cmd = toolchain.command(&arg_refs);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = spawn(cmd, &toolchain.lake)?;
    let guard = GroupGuard::new(&child);
    let stdin = child.stdin.take().expect("stdin is piped");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let tail = StderrTail::default();
    tokio::spawn(tail.clone().collect(stderr));
    let conn = Connection::new(stdout, stdin, store, tail);
    let root_uri = file_uri(&toolchain.project.root);
    let init = json!({
        "processId": std::process::id(),
        "clientInfo": {"name": "theorist", "version": env!("CARGO_PKG_VERSION")},
        "rootUri": root_uri,
        "workspaceFolders": [{"uri": root_uri, "name": toolchain.project.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()}],
        "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
            "textDocument": {"publishDiagnostics": {"versionSupport": true}},
            "lean": {"silentDiagnosticSupport": false, "incrementalDiagnosticSupport": true},
        },
        "initializationOptions": {"editDelay": 0, "hasWidgets": false},
    });
    conn.request("initialize", init, config.request_timeout)
        .await?;
    conn.notify("initialized", json!({}))?;
    Ok(Running {
        conn,
        _child: child,
        _guard: guard,
    })
}
