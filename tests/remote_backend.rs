//! `--backend openai=URL` against a loopback HTTP server: a good answer adds candidates (those
//! in scope: a remote model's names are checked like every other); slow, malformed and
//! unreachable servers give a clear warning, never a hang, and the local suggestions still
//! come.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;
use support::stand_in;

#[derive(Clone, Copy)]
enum Mode {
    Good,
    Slow,
    Malformed,
    ServerError,
}

/// Serves every connection on a thread; returns the base URL.
fn serve(mode: Mode) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let served = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let served = served.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                }
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                let (status, answer) = match mode {
                    Mode::Good => {
                        // One answer a request, in turn; the last three name what is not
                        // there: a hypothesis, a variable, a lemma.
                        const ANSWERS: [&str; 5] = [
                            r#"{"choices":[{"text":" nlinarith [sq_nonneg (x - 7)]\nring"}]}"#,
                            r#"{"choices":[{"text":"ring"}]}"#,
                            r#"{"choices":[{"text":"exact mul_nonneg h h"}]}"#,
                            r#"{"choices":[{"text":"nlinarith [sq_nonneg (c - x)]"}]}"#,
                            r#"{"choices":[{"text":"exact sq_nonneg_of_made_up x"}]}"#,
                        ];
                        ("200 OK", ANSWERS[served.fetch_add(1, Ordering::SeqCst) % 5])
                    }
                    Mode::Slow => {
                        // Long enough that only the backend timeout can end the wait.
                        std::thread::sleep(Duration::from_secs(600));
                        ("200 OK", r#"{"choices":[{"text":"ring"}]}"#)
                    }
                    Mode::Malformed => ("200 OK", "{\"choices\": [oops"),
                    Mode::ServerError => ("503 Service Unavailable", "busy"),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            });
        }
    });
    format!("http://{addr}/v1")
}

fn suggest(url: &str) -> (Value, String, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    stand_in::project_with_stand_in(&project);
    let start = Instant::now();
    let out = support::theorist()
        .env_remove("THEORIST_LOG")
        .env("THEORIST_CACHE_DIR", dir.path().join("cache"))
        .args([
            "--json",
            "suggest",
            "--goal",
            "x : ℝ\\n⊢ 0 ≤ (x - 7) ^ 2",
            "--baseline",
            "--no-numerics",
            "--top",
            "8",
            "--backend",
            &format!("openai={url}"),
            "--backend-timeout",
            "1",
            "--project",
        ])
        .arg(&project)
        // Only a guard against a hang: building the ranker is CPU work that a busy machine
        // stretches.
        .timeout(Duration::from_secs(400))
        .assert()
        .code(0)
        .get_output()
        .clone();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

fn sources(v: &Value) -> Vec<String> {
    v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_good_backend_adds_candidates() {
    let (v, _, _) = suggest(&serve(Mode::Good));
    let list = v["suggestions"].as_array().unwrap();
    assert!(
        list.iter()
            .any(|s| s["tactic"] == "nlinarith [sq_nonneg (x - 7)]" && s["source"] == "openai"),
        "{v}"
    );
    assert!(v["backend_errors"].as_array().unwrap().is_empty());
    // What the remote model named out of scope is not shown.
    for s in list {
        let t = s["tactic"].as_str().unwrap();
        assert!(
            !t.contains("mul_nonneg h h") && !t.contains("(c - x)") && !t.contains("made_up"),
            "out of scope: {t}"
        );
    }
    assert!(
        v["result"]["out_of_scope_dropped"].as_u64().unwrap() >= 3,
        "{v}"
    );
}

#[test]
fn a_slow_backend_times_out_without_hanging() {
    let (v, stderr, took) = suggest(&serve(Mode::Slow));
    assert!(stderr.contains("no answer within"), "{stderr}");
    // The 1 s backend timeout ended the wait, not the server's 600 s.
    assert!(took < Duration::from_secs(300), "{took:?}");
    assert!(sources(&v).iter().all(|s| s == "retrieval"));
    assert!(!sources(&v).is_empty());
}

#[test]
fn malformed_and_failing_backends_are_reported() {
    let (_, stderr, _) = suggest(&serve(Mode::Malformed));
    assert!(stderr.contains("malformed answer"), "{stderr}");
    let (_, stderr, _) = suggest(&serve(Mode::ServerError));
    assert!(stderr.contains("503"), "{stderr}");
}

#[test]
fn an_unreachable_backend_is_reported() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (v, stderr, took) = suggest(&format!("http://127.0.0.1:{port}/v1"));
    assert!(stderr.contains("cannot connect"), "{stderr}");
    assert!(took < Duration::from_secs(300));
    assert!(!sources(&v).is_empty());
}
