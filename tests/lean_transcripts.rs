//! Real bytes from Lean's own test suite fed through the client's framing and dispatch
//! (leanprover/lean4 tests/lean/server/diags_client.log and diags.lean.expected.out).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::rpc::{Connection, Events, StderrTail};
use tokio::io::AsyncWriteExt;

#[derive(Default)]
struct Seen(Mutex<Vec<(String, Value)>>);

impl Events for Seen {
    fn notification(&self, method: &str, params: Value) {
        self.0.lock().unwrap().push((method.to_string(), params));
    }
    fn closed(&self) {}
}

/// The server→client bytes of the transcript, exactly as recorded.
fn server_bytes() -> Vec<u8> {
    let raw = std::fs::read_to_string(
        "tests/peer/transcripts/lsp-wire-framing-initialize-didOpen-diagnostics.txt",
    )
    .unwrap();
    let start = raw.find("# ---- server -> client bytes").unwrap();
    let section = &raw[start..];
    let body_start = section.find('\n').unwrap() + 1;
    // The transcript stores frames with `\n` line ends; the wire has `\r\n` in headers.
    section[body_start..]
        .replace("\n\n{", "\r\n\r\n{")
        .replace("}Content-Length", "}\nContent-Length")
        .lines()
        .fold(Vec::new(), |mut acc, line| {
            if line.starts_with("Content-Length") {
                acc.extend_from_slice(line.trim_end_matches('\r').as_bytes());
                acc.extend_from_slice(b"\r\n\r\n");
            } else if !line.trim().is_empty() {
                acc.extend_from_slice(line.trim_end_matches('\r').as_bytes());
            }
            acc
        })
}

#[tokio::test]
async fn recorded_server_frames_are_read_byte_exactly() {
    let bytes = server_bytes();
    let (client_io, server_io) = tokio::io::duplex(1 << 16);
    let (reader, writer) = tokio::io::split(client_io);
    let (_server_reader, mut server_writer) = tokio::io::split(server_io);
    let seen = Arc::new(Seen::default());
    let conn = Connection::new(reader, writer, seen.clone(), StderrTail::default());
    // Our first request gets id 0 and our second id 1, as in the recorded session.
    let init = conn.request("initialize", json!({}), Duration::from_secs(5));
    let feed = async {
        // Byte by byte in small slices, as a pipe may deliver them.
        for chunk in bytes.chunks(7) {
            server_writer.write_all(chunk).await.unwrap();
        }
    };
    let shutdown = conn.request("shutdown", Value::Null, Duration::from_secs(5));
    // `join!` polls in order, so both requests are registered (ids 0 and 1) before any byte
    // of the reply stream is written.
    let (result, shutdown, ()) = tokio::join!(init, shutdown, feed);
    let result = result.unwrap();
    assert_eq!(
        result["serverInfo"],
        json!({"version": "0.0.1", "name": "Lean 4 server"})
    );
    assert_eq!(shutdown.unwrap(), Value::Null);
    let seen = seen.0.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0, "textDocument/publishDiagnostics");
    let diags = seen[0].1["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 5);
    assert!(
        diags[3]["message"]
            .as_str()
            .unwrap()
            .starts_with("type mismatch")
    );
}
