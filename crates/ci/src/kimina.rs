//! `--backend kimina=URL`: instead of local Lean processes, send each file to a Kimina Lean
//! Server (project-numina/kimina-lean-server: a REST API over a pool of Lean REPLs). Request
//! `POST {URL}/api/check` with `{"snippets": [{"id", "code"}], "timeout", "debug", "reuse"}`;
//! answer `{"results": [{"id", "time", "error"?, "response"?: <REPL response>}]}` where the
//! REPL response has `messages` (`severity` info/warning/error, `pos`, `endPos`, `data`).
//! The file's text goes with its `#print axioms` lines (the same plan as batch mode), so the
//! verdicts are read back exactly as locally. Retries with backoff on transport errors, 429
//! and 5xx; a per-request timeout; at most `concurrency` requests in flight.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;
use theorist_lean::LeanPos;
use theorist_lean::batch::{BatchRun, SerialMessage, Severity as LeanSeverity};
use theorist_lean::check::{CheckOptions, CheckPlan};
use theorist_report::{FileOutcome, FileResult, Finding, Severity};
use tokio::sync::Semaphore;

use crate::checker::{Checker, sorryful_decls, to_result};
use crate::discover::Module;

/// Settings of the remote backend.
#[derive(Debug, Clone)]
pub struct KiminaConfig {
    /// The server's base URL (`http://host:port`); `/api/check` is appended unless the URL
    /// already ends in `/check`.
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set (from `THEORIST_KIMINA_API_KEY`).
    pub api_key: Option<String>,
    /// The Lean timeout asked of the server, per file.
    pub timeout: Duration,
    /// Attempts per file (transport errors, 429, 5xx).
    pub attempts: u32,
    /// First backoff; doubles per retry.
    pub backoff: Duration,
    pub concurrency: usize,
}

/// Checks files on a Kimina Lean Server.
pub struct KiminaChecker {
    config: KiminaConfig,
    endpoint: String,
    client: reqwest::Client,
    options: CheckOptions,
    in_flight: Semaphore,
    allow_sorry: BTreeSet<String>,
    honor_sorryful: bool,
    /// What the server says it runs, for reports.
    pub lean_version: String,
}

#[derive(Debug, Deserialize)]
struct CheckResponse {
    results: Vec<SnippetResult>,
}

#[derive(Debug, Deserialize)]
struct SnippetResult {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    response: Option<ReplResponse>,
}

#[derive(Debug, Deserialize)]
struct ReplResponse {
    #[serde(default)]
    messages: Vec<ReplMessage>,
}

#[derive(Debug, Deserialize)]
struct ReplMessage {
    severity: String,
    pos: LeanPos,
    #[serde(default, rename = "endPos")]
    end_pos: Option<LeanPos>,
    data: String,
}

/// Why a request did not produce an answer.
#[derive(Debug)]
enum Failure {
    /// Worth another try (transport error, 429, 5xx).
    Transient(String),
    /// Final (4xx other than 429, an answer that is not the documented JSON).
    Final(String),
}

impl KiminaChecker {
    pub fn new(
        config: KiminaConfig,
        options: CheckOptions,
        allow_sorry: BTreeSet<String>,
        honor_sorryful: bool,
    ) -> Result<KiminaChecker, String> {
        let endpoint = if config.url.trim_end_matches('/').ends_with("/check") {
            config.url.clone()
        } else {
            format!("{}/api/check", config.url.trim_end_matches('/'))
        };
        // The server's own Lean timeout, again as much for queueing behind other requests, and
        // a little for the transfer.
        let client = reqwest::Client::builder()
            .timeout(config.timeout * 2 + Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        let lean_version = format!("Lean via Kimina Lean Server at {}", config.url);
        Ok(KiminaChecker {
            in_flight: Semaphore::new(config.concurrency.max(1)),
            config,
            endpoint,
            client,
            options,
            allow_sorry,
            honor_sorryful,
            lean_version,
        })
    }

    async fn post_once(&self, id: &str, code: &str) -> Result<SnippetResult, Failure> {
        let body = json!({
            "snippets": [{"id": id, "code": code}],
            "timeout": self.config.timeout.as_secs().max(1),
            "debug": false,
            "reuse": true,
        });
        let mut request = self.client.post(&self.endpoint).json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        let response = request
            .send()
            .await
            .map_err(|e| Failure::Transient(format!("{}: {e}", self.endpoint)))?;
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(Failure::Transient(format!(
                "{} answered {status}",
                self.endpoint
            )));
        }
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            return Err(Failure::Final(format!(
                "{} answered {status}: {}",
                self.endpoint,
                text.trim()
            )));
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Failure::Transient(format!("{}: {e}", self.endpoint)))?;
        let parsed: CheckResponse = serde_json::from_slice(&bytes).map_err(|e| {
            Failure::Final(format!(
                "{} sent an answer that is not a Kimina check response: {e}",
                self.endpoint
            ))
        })?;
        parsed
            .results
            .into_iter()
            .next()
            .ok_or_else(|| Failure::Final(format!("{} answered with no result", self.endpoint)))
    }

    /// The server's answer for `plan`, as the batch run a local Lean would have produced.
    async fn run(
        &self,
        module: &Module,
        plan: &CheckPlan,
        started: Instant,
    ) -> Result<BatchRun, String> {
        let answer = self.post(&module.rel, &plan.probe_text).await?;
        let timed_out = answer
            .error
            .as_deref()
            .is_some_and(|e| e.contains("timed out"));
        let messages: Vec<SerialMessage> = answer
            .response
            .map(|r| r.messages)
            .unwrap_or_default()
            .into_iter()
            .map(|m| SerialMessage {
                file_name: module.rel.clone(),
                pos: m.pos,
                end_pos: m.end_pos,
                // "ERROR", "fatal", …: an unknown severity fails the file, never passes as info.
                severity: LeanSeverity::parse(&m.severity),
                caption: String::new(),
                data: m.data,
                kind: None,
                is_silent: None,
                keep_full_range: None,
            })
            .collect();
        let has_error = messages.iter().any(|m| m.severity.fails());
        Ok(BatchRun {
            messages,
            other_lines: answer.error.iter().cloned().collect(),
            stderr: String::new(),
            output_truncated: false,
            exit_code: if timed_out {
                None
            } else {
                Some(i32::from(has_error || answer.error.is_some()))
            },
            timed_out,
            elapsed: started.elapsed(),
        })
    }

    async fn post(&self, id: &str, code: &str) -> Result<SnippetResult, String> {
        let _permit = self
            .in_flight
            .acquire()
            .await
            .expect("semaphore is never closed");
        let mut delay = self.config.backoff;
        let mut last = String::new();
        for attempt in 1..=self.config.attempts.max(1) {
            match self.post_once(id, code).await {
                Ok(r) => return Ok(r),
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Transient(e)) => {
                    tracing::warn!(attempt, error = %e, "Kimina request failed");
                    last = e;
                    if attempt < self.config.attempts {
                        tokio::time::sleep(delay).await;
                        delay *= 2;
                    }
                }
            }
        }
        Err(format!(
            "{last} (after {} attempts)",
            self.config.attempts.max(1)
        ))
    }
}

fn crashed(rel: &str, started: Instant, message: String) -> FileResult {
    FileResult {
        file: rel.to_string(),
        outcome: FileOutcome::Crashed,
        duration_ms: started.elapsed().as_millis() as u64,
        cached: false,
        declarations: 0,
        findings: vec![Finding {
            file: rel.to_string(),
            line: 1,
            column: 1,
            end_line: None,
            severity: Severity::Error,
            rule: "lean.crash".into(),
            message,
            decl: None,
        }],
    }
}

impl Checker for KiminaChecker {
    async fn check(&self, module: &Module) -> FileResult {
        let started = Instant::now();
        let text = match std::fs::read_to_string(&module.file) {
            Ok(t) => t,
            Err(e) => {
                return crashed(
                    &module.rel,
                    started,
                    format!("cannot read {}: {e}", module.file.display()),
                );
            }
        };
        let mut plan = match CheckPlan::new(&text, &self.options) {
            Ok(p) => p,
            Err(e) => return crashed(&module.rel, started, e.to_string()),
        };
        let mut run = match self.run(module, &plan, started).await {
            Ok(r) => r,
            Err(e) => return crashed(&module.rel, started, format!("Kimina backend: {e}")),
        };
        if plan.names_broke_the_file(&run) {
            // The file uses an instance's generated name: ask again with the text as it is.
            plan = match CheckPlan::without_instance_names(&text, &self.options) {
                Ok(p) => p,
                Err(e) => return crashed(&module.rel, started, e.to_string()),
            };
            run = match self.run(module, &plan, started).await {
                Ok(r) => r,
                Err(e) => return crashed(&module.rel, started, format!("Kimina backend: {e}")),
            };
        }
        let check = plan.assemble(
            Path::new(&module.rel),
            &self.lean_version,
            run,
            &self.options,
        );
        let sorryful = if self.honor_sorryful {
            sorryful_decls(&text)
        } else {
            BTreeSet::new()
        };
        to_result(
            &module.rel,
            &check,
            started.elapsed().as_millis() as u64,
            &|name| self.allow_sorry.contains(name) || sorryful.contains(name),
        )
    }
}
