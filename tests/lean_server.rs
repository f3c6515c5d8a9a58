//! The language-server client against the scripted Lean peer (`theorist-lean-peer`), one
//! protocol behaviour per test: what a real Lean does, and the ways it fails. Every test runs
//! against the pinned Lean 4.22 (full diagnostic sets, re-published; `processing: []` before
//! the final set; `'sorry'` texts) and a current 4.33 (incremental diagnostics, which theorist
//! asks for; ``Unknown identifier `x` `` with a `code`; `` `sorry` `` texts).

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::{
    LakeSearch, LeanError, LeanPos, LeanServer, Project, SandboxPolicy, ServerConfig, Toolchain,
};

mod support;

const DEMO: &str = "tests/fixtures/lean-project/Demo/Basic.lean";

/// The pinned toolchain and a current release.
const VERSIONS: [&str; 2] = ["4.22.0", "4.33.0"];

/// The "declaration uses sorry" text of a version.
fn sorry_text(version: &str) -> &'static str {
    if version >= "4.28" {
        "declaration uses `sorry`"
    } else {
        "declaration uses 'sorry'"
    }
}

/// Runs `body` with the peer as `lake` under `scenario` (env vars are per process, so each
/// test builds its own toolchain with an explicit lake path and passes the scenario through a
/// wrapper script).
async fn toolchain(dir: &Path, version: &str, mut scenario: Value) -> Toolchain {
    scenario["lean_version"] = json!(version);
    let scenario_path = dir.join("scenario.json");
    std::fs::write(&scenario_path, scenario.to_string()).unwrap();
    let wrapper = dir.join("lake");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nTHEORIST_PEER_SCENARIO='{}' exec '{}' \"$@\"\n",
            scenario_path.display(),
            support::peer().display()
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
    Toolchain::resolve(
        &search,
        project,
        Duration::from_secs(60),
        &SandboxPolicy::off(),
    )
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

/// Runs `case` once per version in [`VERSIONS`].
macro_rules! for_each_version {
    ($case:ident) => {
        for version in VERSIONS {
            $case(version).await;
        }
    };
}

#[tokio::test]
async fn diagnostics_and_goals_of_a_document() {
    for_each_version!(diagnostics_and_goals);
}

async fn diagnostics_and_goals(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(dir.path(), version, json!({"unknown_identifiers": ["tru"]})).await;
    assert!(tc.lean_version.contains("theorist-scripted-peer"));
    assert!(tc.lean_version.contains(version));
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    // 4.33 sends one batch plus incremental batches (theorist advertises
    // incrementalDiagnosticSupport), so all three only arrive if they are appended; 4.22
    // sends growing full sets, so they are right only if each replaces the last.
    let unknown = if version >= "4.23" {
        "Unknown identifier `tru`"
    } else {
        "unknown identifier 'tru'"
    };
    assert_eq!(
        messages,
        [sorry_text(version), unknown, sorry_text(version)],
        "Lean {version}"
    );
    let code = (version >= "4.23").then(|| json!("lean.unknownIdentifier"));
    assert_eq!(diags[1].code, code, "Lean {version}");
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
    for_each_version!(edits_in_memory);
}

async fn edits_in_memory(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
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
    for_each_version!(server_requests_and_out_of_order);
}

async fn server_requests_and_out_of_order(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
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

/// Lean 4.22 re-publishes the full set while it elaborates (three identical publications in
/// Lean's own editAfterError test) and sends `processing: []` before the final set; an empty
/// set comes first. The client must end with exactly the final set.
#[tokio::test]
async fn repeated_full_sets_after_progress_and_an_empty_set_reach_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        "4.22.0",
        json!({"unknown_identifiers": ["tru"], "server": {"empty_publish_first": true, "repeat_publish": 3}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "declaration uses 'sorry'",
            "unknown identifier 'tru'",
            "declaration uses 'sorry'"
        ]
    );
    assert!(
        diags
            .iter()
            .all(|d| d.full_range.is_some() && d.code.is_none())
    );
}

/// An option the peer cannot honour for the version it plays makes it fail loudly, so no test
/// passes on a behaviour that never happened: a 4.33 server that was asked for incremental
/// diagnostics never re-publishes full sets.
#[tokio::test]
async fn the_peer_refuses_an_option_its_version_cannot_honour() {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        "4.33.0",
        json!({"server": {"repeat_publish": 3}}),
    )
    .await;
    let err = match LeanServer::start(&tc, quick()).await {
        Ok(server) => {
            let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
            server.wait_for_diagnostics(&mut doc).await.unwrap_err()
        }
        Err(e) => e,
    };
    assert!(
        err.to_string()
            .contains("repeat_publish cannot be honoured"),
        "{err}"
    );
}

#[tokio::test]
async fn a_crashed_worker_is_revived_once() {
    for_each_version!(crashed_worker_revived);
}

async fn crashed_worker_revived(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "crash_worker"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let diags = server.wait_for_diagnostics(&mut doc).await.unwrap();
    assert_eq!(doc.version, 2, "revived with a didChange");
    assert_eq!(diags.len(), 2);
}

#[tokio::test]
async fn a_worker_that_keeps_crashing_is_reported() {
    for_each_version!(worker_keeps_crashing);
}

async fn worker_keeps_crashing(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
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
    for_each_version!(dead_server_restarted);
}

async fn dead_server_restarted(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("exited-once");
    let tc = toolchain(
        dir.path(),
        version,
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
    for_each_version!(server_always_exits);
}

async fn server_always_exits(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "exit"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::ServerExited { .. }), "{err}");
}

/// The server dies right after `initialize`, so theorist's next writes go to a closed pipe:
/// an error like a crash (EPIPE), never SIGPIPE.
#[tokio::test]
async fn writing_to_a_dead_server_is_an_error_not_a_signal() {
    for_each_version!(dead_after_initialize);
}

async fn dead_after_initialize(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "exit_after_initialize"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    // A large document, so the write cannot fit in the pipe's buffer unread.
    let big = format!("{}\n{}", text(), "-- padding\n".repeat(50_000));
    let err = match server.open(Path::new(DEMO), big).await {
        Ok(mut doc) => server.wait_for_diagnostics(&mut doc).await.unwrap_err(),
        Err(e) => e,
    };
    assert!(matches!(err, LeanError::ServerExited { .. }), "{err}");
}

#[tokio::test]
async fn a_hanging_elaboration_hits_the_deadline() {
    for_each_version!(hanging_elaboration);
}

async fn hanging_elaboration(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "hang"}}),
    )
    .await;
    let config = ServerConfig {
        file_timeout: Duration::from_millis(500),
        ..quick()
    };
    let server = LeanServer::start(&tc, config).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::Timeout { .. }), "{err}");
}

/// Half a frame and then the end of the stream is the server exiting; a frame announced as
/// 200 MB that never arrives runs into the deadline without 200 MB being allocated.
#[tokio::test]
async fn half_frames_and_huge_lengths_are_survived() {
    for_each_version!(half_and_huge_frames);
}

async fn half_and_huge_frames(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "half_frame"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::ServerExited { .. }), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "huge_length"}}),
    )
    .await;
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
    for_each_version!(garbage);
}

async fn garbage(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "garbage_header"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    let err = server.wait_for_diagnostics(&mut doc).await.unwrap_err();
    assert!(matches!(err, LeanError::Protocol { .. }), "{err}");
    assert!(err.to_string().contains("Content-Lenght"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"behaviour": "garbage_json"}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    assert_eq!(
        server.wait_for_diagnostics(&mut doc).await.unwrap().len(),
        2
    );
}

#[tokio::test]
async fn out_of_date_imports_reopen_with_a_rebuild() {
    for_each_version!(out_of_date_imports);
}

async fn out_of_date_imports(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
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
        "4.22.0",
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
    for_each_version!(without_lake_serve);
}

async fn without_lake_serve(version: &str) {
    let dir = tempfile::tempdir().unwrap();
    let tc = toolchain(
        dir.path(),
        version,
        json!({"server": {"no_lake_serve": true}}),
    )
    .await;
    let server = LeanServer::start(&tc, quick()).await.unwrap();
    let mut doc = server.open(Path::new(DEMO), text()).await.unwrap();
    assert_eq!(
        server.wait_for_diagnostics(&mut doc).await.unwrap().len(),
        2
    );
}

/// A probe that never answers is a timeout after the caller's limit, not "no toolchain".
#[tokio::test]
async fn a_hanging_version_probe_is_a_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let hang = dir.path().join("lake");
    std::fs::write(&hang, "#!/bin/sh\nexec sleep 300\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hang, std::fs::Permissions::from_mode(0o755)).unwrap();
    let search = LakeSearch {
        explicit: Some(hang),
        ..Default::default()
    };
    let project = Project::containing(Path::new(DEMO)).unwrap();
    let started = std::time::Instant::now();
    let err = Toolchain::resolve(
        &search,
        project,
        Duration::from_secs(1),
        &SandboxPolicy::off(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, LeanError::Timeout { .. }), "{err}");
    assert!(!err.is_no_toolchain());
    assert!(started.elapsed() < Duration::from_secs(30));
}
