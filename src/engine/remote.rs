//! `--backend openai=URL`: an OpenAI-compatible completions endpoint as an extra source of
//! candidate tactics. Each request asks for one tactic line for the goal; requests run
//! concurrently under a limit, each with a timeout, retried on timeouts, connection errors
//! and 5xx/429 with backoff; a malformed answer is an error for that request only. Failures
//! never hang `suggest` or `prove`: they are logged, counted, and reported to the user.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use theorist_tactics::Suggestion;

use super::EngineError;

#[derive(Debug, Clone)]
pub struct Remote {
    pub url: String,
    pub timeout: Duration,
    pub retries: u32,
    pub concurrency: usize,
    pub model: String,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Remote {
    /// `openai=http://host:port/v1` (the `/completions` path is added).
    pub fn parse(spec: &str, timeout_secs: u64) -> Result<Remote, EngineError> {
        let Some((kind, url)) = spec.split_once('=') else {
            return Err(EngineError::bad_input(format!(
                "the backend takes KIND=URL, e.g. openai=http://localhost:8000/v1 (got `{spec}`)"
            )));
        };
        if kind != "openai" {
            return Err(EngineError::bad_input(format!(
                "unknown backend kind `{kind}` (supported: openai)"
            )));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(EngineError::bad_input(format!(
                "the backend URL must start with http:// or https:// (got `{url}`)"
            )));
        }
        Ok(Remote {
            url: url.trim_end_matches('/').to_string(),
            timeout: Duration::from_secs(timeout_secs.max(1)),
            retries: 2,
            concurrency: 4,
            model: std::env::var("THEORIST_OPENAI_MODEL").unwrap_or_else(|_| "default".into()),
            errors: Arc::default(),
        })
    }

    /// Errors seen so far (for the user).
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Up to `k` candidates; blocks the calling thread (inside a multi-thread runtime it
    /// yields the worker with `block_in_place`).
    pub fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        let fut = self.fetch(goal.to_string(), k);
        match tokio::runtime::Handle::try_current() {
            Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(|| h.block_on(fut))
            }
            _ => match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt.block_on(fut),
                Err(e) => {
                    self.record(format!("cannot start a runtime: {e}"));
                    Vec::new()
                }
            },
        }
    }

    fn record(&self, e: String) {
        tracing::warn!(backend = %self.url, "{e}");
        if let Ok(mut v) = self.errors.lock() {
            v.push(e);
        }
    }

    async fn fetch(&self, goal: String, k: usize) -> Vec<Suggestion> {
        let client = match reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                self.record(format!("HTTP client: {e}"));
                return Vec::new();
            }
        };
        let limit = Arc::new(tokio::sync::Semaphore::new(self.concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..k {
            let this = self.clone();
            let client = client.clone();
            let goal = goal.clone();
            let limit = limit.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await.ok()?;
                this.one(&client, &goal, i).await
            });
        }
        let mut out = Vec::new();
        while let Some(r) = tasks.join_next().await {
            if let Ok(Some(s)) = r {
                out.push(s);
            }
        }
        out
    }

    async fn one(&self, client: &reqwest::Client, goal: &str, i: usize) -> Option<Suggestion> {
        let body = json!({
            "model": self.model,
            "prompt": format!("[GOAL]{goal}[PROOFSTEP]"),
            "max_tokens": 64,
            "temperature": if i == 0 { 0.0 } else { 0.7 },
            "stop": ["\n", "[END]"],
            "n": 1,
        });
        let url = format!("{}/completions", self.url);
        let mut delay = Duration::from_millis(200);
        for attempt in 0..=self.retries {
            let sent = client.post(&url).json(&body).send().await;
            let retry = match sent {
                Ok(resp) if resp.status().is_success() => {
                    let text = match resp.text().await {
                        Ok(t) => t,
                        Err(e) => {
                            self.record(format!("{url}: reading the answer: {e}"));
                            return None;
                        }
                    };
                    return match parse_completion(&text) {
                        Ok(t) => Some(Suggestion {
                            tactic: t,
                            // Remote candidates rank after confident local ones, ahead of
                            // the long tail.
                            score: 0.05 / (1.0 + i as f64),
                            source: "openai".into(),
                        }),
                        Err(e) => {
                            self.record(format!("{url}: malformed answer: {e}"));
                            None
                        }
                    };
                }
                Ok(resp) => {
                    let status = resp.status();
                    let retryable = status.is_server_error() || status.as_u16() == 429;
                    self.record(format!("{url}: HTTP {status} (attempt {})", attempt + 1));
                    retryable
                }
                Err(e) => {
                    let what = if e.is_timeout() {
                        format!("no answer within {:?}", self.timeout)
                    } else if e.is_connect() {
                        "cannot connect (is the server running?)".to_string()
                    } else {
                        e.to_string()
                    };
                    self.record(format!("{url}: {what} (attempt {})", attempt + 1));
                    true
                }
            };
            if !retry {
                return None;
            }
            if attempt < self.retries {
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
        }
        None
    }
}

/// The first choice's text of an OpenAI completions answer, trimmed to one tactic line.
pub fn parse_completion(text: &str) -> Result<String, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let choice = v
        .get("choices")
        .and_then(|c| c.get(0))
        .ok_or("no `choices[0]`")?;
    let t = choice
        .get("text")
        .and_then(Value::as_str)
        .or_else(|| {
            choice
                .get("message")
                .and_then(|m| m.get("content"))
                .and_then(Value::as_str)
        })
        .ok_or("`choices[0]` has no `text`")?;
    let line = t
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.is_empty() {
        return Err("empty completion".into());
    }
    Ok(line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_completions() {
        assert_eq!(
            parse_completion(r#"{"choices":[{"text":"  nlinarith [sq_nonneg x]\nring"}]}"#)
                .unwrap(),
            "nlinarith [sq_nonneg x]"
        );
        assert!(parse_completion("{oops").is_err());
        assert!(parse_completion(r#"{"choices":[]}"#).is_err());
        assert!(Remote::parse("openai=localhost", 5).is_err());
        assert!(Remote::parse("vllm=http://x", 5).is_err());
    }
}
