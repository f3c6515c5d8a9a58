//! theorist-lean-peer: a scripted stand-in for `lake` that speaks Lean's real protocols, for
//! tests (no Lean toolchain can be installed where theorist is developed). Tests point
//! `THEORIST_LAKE` at it and choose behaviour with `THEORIST_PEER_SCENARIO` (a JSON file; see
//! tests/peer/README.md). It answers:
//! - `lake env lean --version`, `lake --version`;
//! - `lake env lean --json [--memory=N] [--threads=N] FILE`: one `SerialMessage` per line;
//! - `lake serve -- …`: the language server over Content-Length frames.
//!
//! It never pretends to be Lean to a person: its version string names it.

mod elaborate;
mod scenario;
mod server;

use std::io::Write;
use std::process::ExitCode;

use serde_json::{Map, Value, json};

use elaborate::{Severity, elaborate};
use scenario::{BatchBehaviour, Scenario};

pub const DEFAULT_VERSION: &str =
    "Lean (version 4.22.0, x86_64-unknown-linux-gnu, commit theorist-scripted-peer, Release)";

fn main() -> ExitCode {
    let scenario = match scenario::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("theorist-lean-peer: bad scenario: {e}");
            return ExitCode::from(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let version = scenario
        .lean_version
        .clone()
        .unwrap_or_else(|| DEFAULT_VERSION.to_string());
    match args.as_slice() {
        ["--version"] => {
            println!("Lake version 5.0.0-theorist-peer ({version})");
            ExitCode::SUCCESS
        }
        ["env", "lean", "--version"] | ["env", "lean", "-v"] => {
            println!("{version}");
            ExitCode::SUCCESS
        }
        ["env", "lean", rest @ ..] if rest.contains(&"--json") => batch(&scenario, rest),
        ["serve", ..] if scenario.server.no_lake_serve => {
            eprintln!("error: unknown command 'serve'");
            ExitCode::from(1)
        }
        ["serve", "--", ..] | ["serve"] | ["env", "lean", "--server", ..] => {
            server::serve(scenario)
        }
        _ => {
            eprintln!("theorist-lean-peer: unsupported arguments {args:?}");
            ExitCode::from(2)
        }
    }
}

fn batch(scenario: &Scenario, args: &[&str]) -> ExitCode {
    let Some(file) = args.iter().rev().find(|a| !a.starts_with('-')) else {
        eprintln!("lean: no input file");
        return ExitCode::from(1);
    };
    if scenario.batch.delay_ms > 0 {
        std::thread::sleep(std::time::Duration::from_millis(scenario.batch.delay_ms));
    }
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("file not found: {file} ({e})");
            return ExitCode::from(1);
        }
    };
    let mut out = std::io::stdout().lock();
    if scenario.batch.stray_line {
        let _ = writeln!(
            out,
            "warning: manifest out of date: git revision of dependency 'mathlib' changed"
        );
    }
    let hang_here = scenario
        .batch
        .hang_on
        .iter()
        .any(|h| file.contains(h.as_str()));
    match scenario.batch.behaviour {
        _ if hang_here => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        BatchBehaviour::Hang => loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        },
        BatchBehaviour::Crash => {
            eprintln!("Stack overflow detected. Aborting.");
            let _ = out.flush();
            return ExitCode::from(134);
        }
        BatchBehaviour::Normal => {}
    }
    let outcome = elaborate(&text, scenario);
    for attempt in hostile_attempts(scenario) {
        let line = json!({"caption": "", "data": attempt, "endPos": {"column": 0, "line": 1}, "fileName": file,
            "pos": {"column": 0, "line": 1}, "severity": "warning"});
        let _ = writeln!(out, "{line}");
    }
    let mut failed = false;
    for m in &outcome.messages {
        failed |= m.severity == Severity::Error;
        let mut obj = Map::new();
        obj.insert("fileName".into(), json!(file));
        obj.insert(
            "pos".into(),
            json!({"line": m.pos.line, "column": m.pos.column}),
        );
        obj.insert(
            "endPos".into(),
            json!({"line": m.end.line, "column": m.end.column}),
        );
        obj.insert(
            "severity".into(),
            json!(match m.severity {
                Severity::Information => "information",
                Severity::Warning => "warning",
                Severity::Error => "error",
            }),
        );
        obj.insert("caption".into(), json!(""));
        obj.insert("data".into(), json!(m.data));
        if !scenario.old_messages {
            obj.insert(
                "kind".into(),
                json!(m.kind.clone().unwrap_or_else(|| "[anonymous]".to_string())),
            );
            obj.insert("isSilent".into(), json!(false));
            obj.insert("keepFullRange".into(), json!(false));
        }
        // serde_json's map is ordered by key, as recent `lean --json` lines are.
        let _ = writeln!(out, "{}", Value::Object(obj));
    }
    ExitCode::from(u8::from(failed))
}

/// What a hostile `#eval` would try; each attempt's result as a message.
fn hostile_attempts(scenario: &Scenario) -> Vec<String> {
    let mut results = Vec::new();
    for path in &scenario.batch.hostile_writes {
        results.push(
            match std::fs::write(path, "written by a hostile Lean file\n") {
                Ok(()) => format!("hostile: wrote {}", path.display()),
                Err(e) => format!("hostile: could not write {}: {e}", path.display()),
            },
        );
    }
    if let Some(addr) = &scenario.batch.hostile_connect {
        let timeout = std::time::Duration::from_secs(2);
        let attempt = addr
            .parse::<std::net::SocketAddr>()
            .map_err(|e| e.to_string())
            .and_then(|a| {
                std::net::TcpStream::connect_timeout(&a, timeout).map_err(|e| e.to_string())
            });
        results.push(match attempt {
            Ok(mut stream) => {
                let _ = stream.write_all(b"exfiltrated");
                format!("hostile: connected to {addr}")
            }
            Err(e) => format!("hostile: could not connect to {addr}: {e}"),
        });
    }
    results
}
