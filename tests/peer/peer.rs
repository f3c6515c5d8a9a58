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
    let version = scenario.version_line();
    match args.as_slice() {
        // The daemonised grandchild of `batch.daemon_pid_file`: it only waits.
        ["__linger"] => {
            std::thread::sleep(std::time::Duration::from_secs(3600));
            ExitCode::SUCCESS
        }
        ["--version"] => {
            println!("Lake version 5.0.0-theorist-peer ({version})");
            ExitCode::SUCCESS
        }
        ["env", "lean", "--version"] | ["env", "lean", "-v"] => {
            if scenario.hang_version_probe {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
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
    if scenario.batch.ignore_sigterm {
        // SAFETY: setting a signal disposition before any thread exists.
        unsafe {
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
        }
    }
    if let Some(pid_file) = &scenario.batch.daemon_pid_file {
        start_daemon(pid_file);
    }
    if scenario.batch.stderr_flood_mb > 0 {
        let chunk = vec![b'e'; 1 << 20];
        let mut err = std::io::stderr().lock();
        for _ in 0..scenario.batch.stderr_flood_mb {
            let _ = err.write_all(&chunk);
        }
        let _ = err.write_all(b"\nend of the flood\n");
    }
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
    if scenario.batch.stdout_flood_mb > 0 {
        let chunk = vec![b'o'; 1 << 20];
        for _ in 0..scenario.batch.stdout_flood_mb {
            let _ = out.write_all(&chunk);
        }
        let _ = out.write_all(b"\n");
    }
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
        BatchBehaviour::Silent => return ExitCode::SUCCESS,
        BatchBehaviour::Normal => {}
    }
    let version = scenario.version();
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
        if version.has_message_kind() {
            obj.insert(
                "kind".into(),
                json!(m.kind.clone().unwrap_or_else(|| "[anonymous]".to_string())),
            );
            obj.insert("keepFullRange".into(), json!(false));
        }
        if version.has_is_silent() {
            obj.insert("isSilent".into(), json!(false));
        }
        // serde_json's map is ordered by key, as recent `lean --json` lines are.
        let _ = writeln!(out, "{}", Value::Object(obj));
    }
    for line in &scenario.batch.extra_lines {
        let _ = writeln!(out, "{line}");
    }
    ExitCode::from(u8::from(failed))
}

/// A grandchild in a session of its own (so not in the process group theorist kills) that
/// holds stdout and stderr open, as a daemonising build step would.
fn start_daemon(pid_file: &std::path::Path) {
    use std::os::unix::process::CommandExt;
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    let mut cmd = std::process::Command::new(me);
    cmd.arg("__linger");
    // SAFETY: setsid(2) in the forked child before exec; it touches no memory.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    if let Ok(child) = cmd.spawn() {
        let _ = std::fs::write(pid_file, child.id().to_string());
    }
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
