//! `theorist ci --backend kimina=URL` against a loopback HTTP server that answers in the Kimina
//! Lean Server's format (`POST /api/check`), including failing, slow and malformed answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

mod support;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    /// The first request gets a 500, the rest are answered.
    FailOnce,
    /// The first request is answered after 9 s (past the client's timeout), the rest at once.
    SlowOnce,
    /// 200 with a body that is not JSON.
    Malformed,
    /// The server reports that Lean timed out.
    LeanTimeout,
    /// Every answer carries one more message, with a severity spelled `ERROR`, or one theorist
    /// has never seen.
    OddSeverity(&'static str),
}

struct Server {
    url: String,
    requests: Arc<Mutex<Vec<(String, Value)>>>,
}

/// Lean's answer for a snippet, as a REPL would give it: sorry warnings at declarations that
/// use sorry, the `#print axioms` answers, and `#print "…"` strings as info.
fn repl_response(code: &str) -> Value {
    let file = theorist_leansrc::parse(code);
    let mut messages = Vec::new();
    for d in &file.decls {
        if !d.sorries.is_empty() {
            messages.push(json!({"severity": "warning", "pos": {"line": d.name_pos.line, "column": d.name_pos.column},
                "endPos": {"line": d.name_pos.line, "column": d.name_pos.column + 3}, "data": "declaration uses `sorry`"}));
        }
    }
    for (i, line) in code.lines().enumerate() {
        if let Some(text) = line
            .strip_prefix("#print \"")
            .and_then(|r| r.strip_suffix('"'))
        {
            messages.push(
                json!({"severity": "info", "pos": {"line": i + 1, "column": 0}, "data": text}),
            );
        }
        if let Some(name) = line.strip_prefix("#print axioms ") {
            let uses_sorry = file.find(name).is_ok_and(|d| !d.sorries.is_empty());
            let axioms = if uses_sorry {
                "[propext, sorryAx, Classical.choice, Quot.sound]"
            } else {
                "[propext, Classical.choice, Quot.sound]"
            };
            messages.push(
                json!({"severity": "info", "pos": {"line": i + 1, "column": 0},
                "data": format!("'{name}' depends on axioms: {axioms}")}),
            );
        }
    }
    json!({"messages": messages, "env": 0})
}

fn handle(mut stream: TcpStream, mode: Mode, count: usize, requests: &Mutex<Vec<(String, Value)>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut length = 0;
    let mut auth = String::new();
    let mut request_line = String::new();
    reader.read_line(&mut request_line).unwrap();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap(),
            "authorization" => auth = value.trim().to_string(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let request: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        request_line.starts_with("POST /api/check "),
        "{request_line}"
    );
    requests.lock().unwrap().push((auth, request.clone()));
    let snippet = &request["snippets"][0];
    let (status, body) = match (mode, count) {
        (Mode::FailOnce, 0) => ("500 Internal Server Error", "{\"detail\": \"No available REPLs\"}".to_string()),
        (Mode::Malformed, _) => ("200 OK", "<html>gateway error</html>".to_string()),
        (Mode::LeanTimeout, _) => (
            "200 OK",
            json!({"results": [{"id": snippet["id"], "time": 1.0, "error": "Lean REPL command timed out in 1 seconds"}]}).to_string(),
        ),
        _ => {
            if mode == Mode::SlowOnce && count == 0 {
                std::thread::sleep(Duration::from_secs(9));
            }
            let code = snippet["code"].as_str().unwrap();
            let mut response = repl_response(code);
            if let Mode::OddSeverity(severity) = mode {
                response["messages"].as_array_mut().unwrap().push(json!({"severity": severity,
                    "pos": {"line": 1, "column": 0}, "data": "an error in a spelling theorist must not drop"}));
            }
            ("200 OK", json!({"results": [{"id": snippet["id"], "time": 0.5, "response": response}]}).to_string())
        }
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

fn serve(mode: Mode) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for (count, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || handle(stream, mode, count, &seen));
        }
    });
    Server { url, requests }
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for rel in [
        "lakefile.lean",
        "lean-toolchain",
        "Demo.lean",
        "Demo/Good.lean",
        "Demo/Sorry.lean",
        "Demo/Sorryful.lean",
    ] {
        let target = dir.path().join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(Path::new("tests/fixtures/ci-project").join(rel), target).unwrap();
    }
    dir
}

fn ci(root: &Path, url: &str) -> Command {
    let mut cmd = support::theorist();
    // No local Lean is needed (or used) with a remote backend.
    cmd.current_dir(root)
        .env_remove("THEORIST_LAKE")
        .env("PATH", "/nonexistent-bin")
        .env("HOME", "/nonexistent-home")
        .env("CI", "true")
        .args([
            "--json",
            "ci",
            "--no-cache",
            "--backend",
            &format!("kimina={url}"),
        ]);
    cmd
}

fn outcomes(out: &[u8]) -> Vec<(String, String)> {
    let report: Value = serde_json::from_slice(out).unwrap();
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn verdicts_match_the_local_ones_and_requests_have_the_documented_shape() {
    let server = serve(Mode::Normal);
    let p = project();
    let out = ci(p.path(), &server.url)
        .env("THEORIST_KIMINA_API_KEY", "s3cret")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let got = outcomes(&out);
    assert!(
        got.contains(&("Demo/Good.lean".into(), "passed".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("Demo/Sorry.lean".into(), "failed".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("Demo/Sorryful.lean".into(), "passed".into())),
        "{got:?}"
    );
    let requests = server.requests.lock().unwrap();
    assert_eq!(requests.len(), 4);
    let (auth, good) = requests
        .iter()
        .find(|(_, r)| r["snippets"][0]["id"] == "Demo/Good.lean")
        .unwrap();
    assert_eq!(auth, "Bearer s3cret");
    let code = good["snippets"][0]["code"].as_str().unwrap();
    assert!(code.contains("\n#print axioms Demo.sq_nonneg'\n"), "{code}");
    assert!(
        code.ends_with("\n#print \"theorist: end of file reached\"\n"),
        "{code}"
    );
    assert_eq!(good["reuse"], true);
    assert!(good["timeout"].as_u64().unwrap() >= 1);
}

#[test]
fn a_failing_answer_is_retried() {
    let server = serve(Mode::FailOnce);
    let p = project();
    let out = ci(p.path(), &server.url)
        .args(["-j", "1"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert!(
        outcomes(&out).iter().all(|(_, o)| o != "crashed"),
        "{:?}",
        outcomes(&out)
    );
    assert_eq!(
        server.requests.lock().unwrap().len(),
        5,
        "4 files + 1 retry"
    );
}

#[test]
fn a_slow_answer_times_out_and_is_retried() {
    let server = serve(Mode::SlowOnce);
    let p = project();
    let out = ci(p.path(), &server.url)
        .args(["-j", "1", "--timeout", "1", "Demo/Good.lean"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        outcomes(&out),
        [("Demo/Good.lean".to_string(), "passed".to_string())]
    );
    assert_eq!(server.requests.lock().unwrap().len(), 2);
}

#[test]
fn malformed_answers_and_lean_timeouts_are_reported_not_passed() {
    let server = serve(Mode::Malformed);
    let p = project();
    ci(p.path(), &server.url)
        .arg("Demo/Good.lean")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"outcome\": \"crashed\""))
        .stdout(predicate::str::contains("not a Kimina check response"));
    let server = serve(Mode::LeanTimeout);
    let out = ci(p.path(), &server.url)
        .arg("Demo/Good.lean")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        outcomes(&out),
        [("Demo/Good.lean".to_string(), "timed_out".to_string())]
    );
}

#[test]
fn an_unreachable_backend_is_a_clear_failure() {
    // A port that nothing listens on: bind, note it, close.
    let url = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let p = project();
    ci(p.path(), &url)
        .arg("Demo/Good.lean")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("after 3 attempts"));
    let mut bad = support::theorist();
    bad.current_dir(p.path())
        .args(["ci", "--backend", "kimina=ftp://x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an http(s) URL"));
}

/// A message whose severity the backend spells `ERROR`, or one that is not a severity theorist
/// knows, fails the file: it was dropped as information before.
#[test]
fn a_message_of_unknown_severity_is_never_dropped() {
    for severity in ["ERROR", "fatal"] {
        let server = serve(Mode::OddSeverity(severity));
        let p = project();
        let out = ci(p.path(), &server.url)
            .arg("Demo/Good.lean")
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        assert_eq!(
            outcomes(&out),
            [("Demo/Good.lean".to_string(), "failed".to_string())],
            "{severity}"
        );
    }
}
