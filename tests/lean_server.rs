//! The language-server client against the scripted Lean peer (`theorist-lean-peer`), one
//! protocol behaviour per test: what a real Lean does, and the ways it fails.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::{
    LakeSearch, LeanError, LeanPos, LeanServer, Project, SandboxPolicy, ServerConfig, Toolchain,
};

const DEMO: &str = "tests/fixtures/lean-project/Demo/Basic.lean";

fn peer() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_theorist-lean-peer"))
}

/// Runs `body` with the peer as `lake` under `scenario` (env vars are per process, so each
/// test builds its own toolchain with an explicit lake path and passes the scenario through a
/// wrapper script).
async fn toolchain(dir: &Path, scenario: Value) -> Toolchain {
    let scenario_path = dir.join("scenario.json");
    std::fs::write(&scenario_path, scenario.to_string()).unwrap();
    let wrapper = dir.join("lake");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nTHEORIST_PEER_SCENARIO='{}' exec '{}' \"$@\"\n",
            scenario_path.display(),
            peer().display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let search = LakeSearch {
        explicit: Some(wrapper),
        ..Default::default()
    };
    let project = Project::containing(Path::new(DEMO)).unwrap();
    // Unconfined: these tests are about the protocol, and the peer writes its `once_marker`
    // files beside the scenario (tests/ci_sandbox.rs covers the sandbox).
    Toolchain::resolve(&search, project, &SandboxPolicy::off())
        .await
        .unwrap()
}

fn text() -> String {
    std::fs::read_to_string(DEMO).unwrap()
}

fn quick() -> ServerConfig {
    ServerConfig {
        file_timeout: Duration::from_secs(20),
        request_timeout: Duration::from_secs(10),
        ..ServerConfig::default()
    }
}

#[tokio::test]
async fn diagnostics_and_goals_of_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), json!({"unknown_identifiers": ["tru"]})).await;
    assert!(tc.lean_version.contains("theorist-scripted-peer"));
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    // Three diagnostics: the peer sends them as one batch plus incremental batches (we
    // advertise incrementalDiagnosticSupport), so all three only arrive if we append.
    assert_eq!(
        messages,
        [
            "declaration uses `sorry`",
            "Unknown identifier `tru`",
            "declaration uses `sorry`"
        ]
    );
    assert_eq!(diags[1].code, Some(json!("lean.unknownIdentifier")));
    let goal = server
        .plain_goal(
            &doc,
            LeanPos {
                line: 13,
                column: 2,
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        goal.goals,
        ["μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ potential μSq 𝓵 x"]
    );
    assert!(goal.rendered.starts_with("```lean\n"));
    // A position outside any tactic block has no goal; a term-mode sorry has a term goal.
    assert_eq!(
        server
            .plain_goal(&doc, LeanPos { line: 6, column: 0 })
            .await
            .unwrap(),
        None
    );
    let term = server
        .plain_term_goal(
            &doc,
            LeanPos {
                line: 18,
                column: 48,
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(term.goal, "a b : ℕ\n⊢ a + b = b + a");
    assert_eq!(term.range.start.character, 48);
    server.close(&doc).await.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn edits_in_memory_get_new_versions_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"tactics": [{"script": "nlinarith [sq_nonneg (2 * 𝓵 * x - μSq)]", "goals": []},
                           {"script": "linarith", "error": "linarith failed to find a contradiction"}]}),
    )
    .await;
    let before = text();
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), before.clone()).await.unwrap();
    server.wait_for_diagnostics(&mut doc).await.unwrap();
    let fixed = before.replacen(
        "  sorry\n",
        "  nlinarith [sq_nonneg (2 * 𝓵 * x - μSq)]\n",
        1,
    );
    server.change(&mut doc, fixed.clone()).await.unwrap();
    assert_eq!(doc.version, 2);
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert_eq!(
        diags.iter().filter(|d| d.message.contains("sorry")).count(),
        1,
        "{diags:?}"
    );
    let end = LeanPos {
        line: 13,
        column: 41,
    };
    assert_eq!(
        server.plain_goal(&doc, end).await.unwrap().unwrap().goals,
        Vec::<String>::new()
    );
    let failing = before.replacen("  sorry\n", "  linarith\n", 1);
    server.change(&mut doc, failing).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d.is_error() && d.message == "linarith failed to find a contradiction")
    );
    assert_eq!(std::fs::read_to_string(DEMO).unwrap(), before);
    server.shutdown().await;
}

#[tokio::test]
async fn server_requests_are_answered_and_replies_may_come_out_of_order() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"server": {"server_requests": true, "out_of_order": true}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    // The peer fails the barrier if the server→client requests went unanswered.
    server.wait_for_diagnostics(&mut doc).await.unwrap();
    let positions = [
        LeanPos {
            line: 13,
            column: 2,
        },
        LeanPos { line: 9, column: 2 },
        LeanPos { line: 6, column: 0 },
    ];
    let (a, b, c) = tokio::join!(
        server.plain_goal(&doc, positions[0]),
        server.plain_goal(&doc, positions[1]),
        server.plain_goal(&doc, positions[2]),
    );
    assert!(a.unwrap().unwrap().goals[0].ends_with("≤ potential μSq 𝓵 x"));
    assert_eq!(b.unwrap().unwrap().goals, ["x : ℝ\n⊢ 0 ≤ x ^ 2"]);
    assert_eq!(c.unwrap(), None);
}

#[tokio::test]
async fn progress_before_diagnostics_empty_sets_and_repeats_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"old_messages": true, "server": {"processing_empty_first": true, "empty_publish_first": true, "repeat_publish": 3}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(
        diags
            .iter()
            .all(|d| d.message == "declaration uses 'sorry'" && d.full_range.is_none())
    );
}

#[tokio::test]
async fn a_crashed_worker_is_revived_once() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), json!({"server": {"behaviour": "crash_worker"}})).await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert_eq!(doc.version, 2, "revived with a didChange");
    assert_eq!(diags.len(), 2);
}

#[tokio::test]
async fn a_worker_that_keeps_crashing_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"tactics": [{"script": "sorry", "behaviour": "crash"}]}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::WorkerCrashed { .. }), "{err}");
}

#[tokio::test]
async fn a_dead_server_is_restarted_once() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("exited-once");
    let tc = toolchain(
        dir.path(),
        json!({"server": {"behaviour": "exit", "once_marker": marker}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert!(marker.exists());
    assert_eq!(diags.len(), 2);
}

#[tokio::test]
async fn a_server_that_always_exits_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), json!({"server": {"behaviour": "exit"}})).await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::ServerExited { .. }), "{err}");
}

#[tokio::test]
async fn a_hanging_elaboration_hits_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), json!({"server": {"behaviour": "hang"}})).await;
    let config = ServerConfig {
        file_timeout: Duration::from_millis(500),
        ..quick()
    };
    let server = LeanServer::start(&tc, config).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::Timeout { .. }), "{err}");
}

#[tokio::test]
async fn garbage_is_a_clear_protocol_error_and_bad_json_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"server": {"behaviour": "garbage_header"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::Protocol { .. }), "{err}");
    assert!(err.to_string().contains("Content-Lenght"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), json!({"server": {"behaviour": "garbage_json"}})).await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    assert_eq!(
        server.wait_for_diagnostics(&mut doc).await.unwrap().len(),
        2
    );
}

#[tokio::test]
async fn out_of_date_imports_reopen_with_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"server": {"behaviour": "imports_out_of_date", "startup_delay_ms": 300}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert!(
        diags.iter().all(|d| !d.message.contains("out of date")),
        "{diags:?}"
    );
    assert_eq!(diags.len(), 2);
}

/// Replays every `$/lean/plainGoal` request/result pair of the real transcript
/// (leanprover/lean4 tests/lean/interactive/plainGoal.lean.expected.out) through the client.
#[tokio::test]
async fn plain_goal_transcript_replays_exactly() {
    let transcript =
        std::fs::canonicalize("tests/peer/transcripts/lsp-plainGoal-request-response.txt").unwrap();
    let raw = std::fs::read_to_string(&transcript).unwrap();
    let body: String = raw
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let values: Vec<Value> = serde_json::Deserializer::from_str(&body)
        .into_iter::<Value>()
        .map(Result::unwrap)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        json!({"server": {"plain_goal_transcript": transcript}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    // A document as long as the transcript's file, so every position exists.
    let text = format!("{}\n", "x".repeat(120)).repeat(200);
    let mut doc = server
        .open(
            Path::new("tests/fixtures/lean-project/Demo/Replay.lean"),
            text,
        )
        .await
        .unwrap();
    server.wait_for_diagnostics(&mut doc).await.unwrap();
    let mut checked = 0;
    for pair in values.chunks(2) {
        let [params, result] = pair else { continue };
        let pos = &params["position"];
        let lean = LeanPos {
            line: pos["line"].as_u64().unwrap() as u32 + 1,
            column: pos["character"].as_u64().unwrap() as u32,
        };
        let got = server.plain_goal(&doc, lean).await.unwrap();
        let got = serde_json::to_value(got).unwrap();
        assert_eq!(got, *result, "at {pos}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} pairs");
}

#[tokio::test]
async fn without_lake_serve_the_server_is_started_through_lean() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), json!({"server": {"no_lake_serve": true}})).await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    assert_eq!(
        server.wait_for_diagnostics(&mut doc).await.unwrap().len(),
        2
    );
}
