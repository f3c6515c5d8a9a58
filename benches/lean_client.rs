//! Throughput and overhead of the Lean client, without Lean's own time:
//! - `dispatch`: recorded `publishDiagnostics` frames (Lean's own diags transcript) read,
//!   parsed and dispatched by `Connection` (messages/s; goal ≥ 50k/s);
//! - `request_roundtrip`: request → reply through `Connection` with an instant in-memory
//!   responder (client overhead per request; goal < 0.1 ms);
//! - `peer_plain_goal`: `$/lean/plainGoal` round trips to the scripted peer process.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use theorist_lean::framing::{encode_frame, read_frame};
use theorist_lean::rpc::{Connection, Events, StderrTail};
use theorist_lean::{LakeSearch, LeanPos, LeanServer, Project, ServerConfig, Toolchain};
use tokio::io::{AsyncWriteExt, BufReader};

struct Count(AtomicUsize, tokio::sync::Notify, usize);

impl Events for Count {
    fn notification(&self, _: &str, _: Value) {
        if self.0.fetch_add(1, Ordering::Relaxed) + 1 == self.2 {
            self.1.notify_one();
        }
    }
    fn closed(&self) {}
}

/// The publishDiagnostics frame Lean sent in its diags test (5 diagnostics, 1020 bytes).
fn recorded_frame() -> Vec<u8> {
    let raw = std::fs::read_to_string(
        "tests/peer/transcripts/lsp-wire-framing-initialize-didOpen-diagnostics.txt",
    )
    .unwrap();
    let start = raw.find("{\"params\":{\"version\":1").unwrap();
    let end = raw[start..].find("Content-Length").unwrap();
    encode_frame(raw[start..start + end].trim_end().as_bytes())
}

fn dispatch(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let frame = recorded_frame();
    const N: usize = 2_000;
    let stream: Vec<u8> = frame
        .iter()
        .copied()
        .cycle()
        .take(frame.len() * N)
        .collect();
    let mut group = c.benchmark_group("lean_client");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("dispatch_recorded_diagnostics", |b| {
        b.iter(|| {
            rt.block_on(async {
                let (client_io, server_io) = tokio::io::duplex(1 << 20);
                let (reader, writer) = tokio::io::split(client_io);
                let (_sr, mut sw) = tokio::io::split(server_io);
                let count = Arc::new(Count(AtomicUsize::new(0), tokio::sync::Notify::new(), N));
                let notified = count.1.notified();
                let _conn = Connection::new(reader, writer, count.clone(), StderrTail::default());
                sw.write_all(&stream).await.unwrap();
                notified.await;
            })
        })
    });
    group.finish();
}

fn request_roundtrip(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (conn, _responder) = rt.block_on(async {
        let (client_io, server_io) = tokio::io::duplex(1 << 20);
        let (reader, writer) = tokio::io::split(client_io);
        let (sr, mut sw) = tokio::io::split(server_io);
        let responder = tokio::spawn(async move {
            let mut sr = BufReader::new(sr);
            while let Ok(Some(body)) = read_frame(&mut sr).await {
                let req: Value = serde_json::from_slice(&body).unwrap();
                let reply = json!({"jsonrpc": "2.0", "id": req["id"], "result": {"rendered": "```lean\n⊢ True\n```", "goals": ["⊢ True"]}});
                sw.write_all(&encode_frame(reply.to_string().as_bytes())).await.unwrap();
            }
        });
        struct Quiet;
        impl Events for Quiet {
            fn notification(&self, _: &str, _: Value) {}
            fn closed(&self) {}
        }
        (Connection::new(reader, writer, Arc::new(Quiet), StderrTail::default()), responder)
    });
    let params =
        json!({"textDocument": {"uri": "file:///x.lean"}, "position": {"line": 3, "character": 2}});
    let mut group = c.benchmark_group("lean_client");
    group.throughput(Throughput::Elements(1));
    group.bench_function("request_roundtrip_in_memory", |b| {
        b.iter(|| {
            rt.block_on(conn.request("$/lean/plainGoal", params.clone(), Duration::from_secs(5)))
                .unwrap()
        })
    });
    group.finish();
}

fn peer_plain_goal(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let file = Path::new("tests/fixtures/lean-project/Demo/Basic.lean");
    let text = std::fs::read_to_string(file).unwrap();
    let (server, doc) = rt.block_on(async {
        let search = LakeSearch {
            explicit: Some(env!("CARGO_BIN_EXE_theorist-lean-peer").into()),
            ..Default::default()
        };
        let tc = Toolchain::resolve(
            &search,
            Project::containing(file).unwrap(),
            std::time::Duration::from_secs(60),
            &theorist_lean::SandboxPolicy::off(),
        )
        .await
        .unwrap();
        let server = LeanServer::start(&tc, ServerConfig::default())
            .await
            .unwrap();
        let mut doc = server.open(file, text).await.unwrap();
        server.wait_for_diagnostics(&mut doc).await.unwrap();
        (server, doc)
    });
    let mut group = c.benchmark_group("lean_client");
    group.throughput(Throughput::Elements(1));
    group.bench_function("peer_plain_goal", |b| {
        b.iter(|| {
            rt.block_on(server.plain_goal(
                &doc,
                LeanPos {
                    line: 13,
                    column: 2,
                },
            ))
            .unwrap()
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, dispatch, request_roundtrip, peer_plain_goal);
criterion_main!(benches);
