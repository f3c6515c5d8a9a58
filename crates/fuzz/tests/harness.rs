//! The harness itself: it finds a panic, a hang and a dying worker (self-test targets that
//! misbehave on inputs containing "!!", seeded so the finding does not depend on luck or the
//! machine's speed), saves the inputs, and replays them; and every seed of the real targets'
//! corpus runs clean, except the `known-*` reproducers of bugs still open elsewhere.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn fuzz() -> Command {
    Command::cargo_bin("theorist-fuzz").unwrap()
}

/// A corpus whose one seed trips the self-test target.
fn tripping_corpus(target: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(target)).unwrap();
    std::fs::write(dir.path().join(target).join("seed"), "a!!b").unwrap();
    dir
}

fn run(target: &str) -> (Value, tempfile::TempDir) {
    let corpus = tripping_corpus(target);
    let out = tempfile::tempdir().unwrap();
    fuzz()
        .args(["run", target, "--minutes", "0.05", "--budget-ms", "300"])
        .arg("--corpus")
        .arg(corpus.path())
        .arg("--out")
        .arg(out.path())
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(1);
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join(target).join("summary.json")).unwrap(),
    )
    .unwrap();
    (summary, out)
}

fn saved(out: &Path, target: &str, kind: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(out.join(target).join(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "in"))
        .collect()
}

#[test]
fn a_panic_is_a_crash_with_its_input_saved() {
    let (summary, out) = run("selftest-panic");
    assert!(summary["crashes"].as_u64().unwrap() >= 1, "{summary}");
    assert_eq!(summary["hangs"], 0, "{summary}");
    assert!(
        summary["execs"].as_u64().unwrap() > 1,
        "fuzzing went on: {summary}"
    );
    let inputs = saved(out.path(), "selftest-panic", "crashes");
    assert!(!inputs.is_empty());
    assert!(
        std::fs::read(&inputs[0])
            .unwrap()
            .windows(2)
            .any(|w| w == b"!!")
    );
    let why = std::fs::read_to_string(inputs[0].with_extension("txt")).unwrap();
    assert!(why.contains("self-test panic"), "{why}");
    // Replaying the saved input reproduces it.
    let replay = fuzz()
        .args(["replay", "selftest-panic"])
        .arg(&inputs[0])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&replay.get_output().stdout).into_owned();
    assert!(text.contains("CRASH (panic at"), "{text}");
}

#[test]
fn an_input_past_the_budget_is_a_hang() {
    let (summary, out) = run("selftest-hang");
    assert!(summary["hangs"].as_u64().unwrap() >= 1, "{summary}");
    assert_eq!(summary["crashes"], 0, "{summary}");
    let inputs = saved(out.path(), "selftest-hang", "hangs");
    assert!(
        std::fs::read(&inputs[0])
            .unwrap()
            .windows(2)
            .any(|w| w == b"!!")
    );
    let replay = fuzz()
        .args(["replay", "selftest-hang", "--budget-ms", "300"])
        .arg(&inputs[0])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&replay.get_output().stdout).contains("HANG"));
}

#[test]
fn a_worker_that_dies_is_a_crash_and_the_run_goes_on() {
    let (summary, out) = run("selftest-abort");
    assert!(summary["crashes"].as_u64().unwrap() >= 1, "{summary}");
    assert!(
        summary["workers"].as_u64().unwrap() >= 2,
        "restarted: {summary}"
    );
    let inputs = saved(out.path(), "selftest-abort", "crashes");
    let why = std::fs::read_to_string(inputs[0].with_extension("txt")).unwrap();
    assert!(why.contains("the worker died"), "{why}");
}

#[test]
fn the_corpus_seeds_run_clean() {
    let corpus = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
    )
    .join("corpus");
    for target in ["leansrc", "blueprint", "numerics", "jsonrpc"] {
        let seeds: Vec<std::path::PathBuf> = std::fs::read_dir(corpus.join(target))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                !p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("known-")
            })
            .collect();
        assert!(!seeds.is_empty(), "{target} has seeds");
        // A generous budget: this is about panics, not speed on a busy machine.
        fuzz()
            .args(["replay", target, "--budget-ms", "60000"])
            .args(&seeds)
            .timeout(std::time::Duration::from_secs(600))
            .assert()
            .code(0);
    }
}
