//! `theorist verify` and `theorist goals` through the real binary, with the scripted Lean
//! peer as `lake` (THEORIST_LAKE) and without any toolchain.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

mod support;

/// A private copy of the fixture project, so parallel tests never see each other's files.
struct Demo {
    dir: tempfile::TempDir,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lean-project");
        std::fs::create_dir_all(root.join("Demo")).unwrap();
        for f in ["lakefile.lean", "lean-toolchain", "Demo/Basic.lean"] {
            std::fs::copy(
                Path::new("tests/fixtures/lean-project").join(f),
                root.join(f),
            )
            .unwrap();
        }
        Demo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self) -> String {
        self.dir
            .path()
            .join("lean-project/Demo/Basic.lean")
            .to_string_lossy()
            .into_owned()
    }

    fn no_leftovers(&self) {
        let leftovers: Vec<_> = std::fs::read_dir(self.dir.path().join("lean-project/Demo"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "Basic.lean")
            .collect();
        assert!(
            leftovers.is_empty(),
            "temporary files left behind: {leftovers:?}"
        );
    }
}

fn theorist(scenario: &Value, dir: &Path) -> Command {
    let path = dir.join("scenario.json");
    std::fs::write(&path, scenario.to_string()).unwrap();
    let mut cmd = support::theorist();
    cmd.env("THEORIST_LAKE", support::peer())
        .env("THEORIST_PEER_SCENARIO", path)
        // The default sandbox runs the peer: pass the scenario's variable, show its folder.
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_SANDBOX_RO", dir)
        .env_remove("THEORIST_LOG");
    cmd
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn a_clean_declaration_passes() {
    let demo = Demo::new();
    let demo_file = demo.file();
    theorist(&json!({}), demo.path())
        .args(["verify", &format!("{demo_file}:sq_nonneg'")])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok        Demo.sq_nonneg'"))
        .stdout(predicate::str::contains("passed"));
    demo.no_leftovers();
}

#[test]
fn errors_sorries_and_goals_are_reported_per_declaration() {
    let demo = Demo::new();
    let demo_file = demo.file();
    let before = std::fs::read_to_string(&demo_file).unwrap();
    let out = theorist(
        &json!({"lean_version": "4.33.0", "unknown_identifiers": ["tru"]}),
        demo.path(),
    )
    .args(["--json", "verify", &demo_file])
    .assert()
    .code(1)
    .get_output()
    .stdout
    .clone();
    let report = json_of(&out);
    assert_eq!(report["schema"], "theorist.verify/1");
    assert!(
        report["lean_version"]
            .as_str()
            .unwrap()
            .contains("theorist-scripted-peer")
    );
    let decls = report["declarations"].as_array().unwrap();
    let by_name = |n: &str| {
        decls
            .iter()
            .find(|d| d["name"] == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(by_name("Demo.potential")["status"], "ok");
    assert_eq!(by_name("Demo.typo")["status"], "error");
    assert_eq!(
        by_name("Demo.typo")["errors"][0]["data"],
        "Unknown identifier `tru`"
    );
    let bb = by_name("Demo.bounded_below");
    assert_eq!(bb["status"], "sorry");
    assert_eq!(bb["forbidden_axioms"], json!(["sorryAx"]));
    assert_eq!(bb["sorries"][0]["pos"], json!({"line": 13, "column": 2}));
    assert_eq!(
        bb["sorries"][0]["goal"],
        "μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ potential μSq 𝓵 x"
    );
    assert_eq!(
        by_name("Demo.term_sorry")["sorries"][0]["goal"],
        "a b : ℕ\n⊢ a + b = b + a"
    );
    assert_eq!(
        std::fs::read_to_string(&demo_file).unwrap(),
        before,
        "the user's file is never modified"
    );
    demo.no_leftovers();
}

/// Lean 4.12 prints no `kind`: the sorry warning is recognised by its text.
#[test]
fn old_toolchain_texts_are_understood() {
    let demo = Demo::new();
    let demo_file = demo.file();
    let out = theorist(
        &json!({"lean_version": "4.12.0", "batch": {"stray_line": true}}),
        demo.path(),
    )
    .args([
        "--json",
        "verify",
        &format!("{demo_file}:bounded_below"),
        "--no-goals",
    ])
    .assert()
    .code(1)
    .get_output()
    .stdout
    .clone();
    let report = json_of(&out);
    assert_eq!(report["declarations"][0]["status"], "sorry");
    assert_eq!(
        report["declarations"][0]["warnings"][0]["data"],
        "declaration uses 'sorry'"
    );
    assert_eq!(report["other_output"].as_array().unwrap().len(), 1);
}

#[test]
fn forbidden_axioms_fail_and_can_be_allowed() {
    let demo = Demo::new();
    let demo_file = demo.file();
    let scenario = json!({"axioms": {"Demo.sq_nonneg'": ["propext", "Lean.ofReduceBool"]}});
    theorist(&scenario, demo.path())
        .args(["verify", &format!("{demo_file}:sq_nonneg'")])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "depends on forbidden axioms: Lean.ofReduceBool",
        ));
    theorist(&scenario, demo.path())
        .args([
            "verify",
            &format!("{demo_file}:sq_nonneg'"),
            "--allow-axiom",
            "Lean.ofReduceBool",
        ])
        .assert()
        .code(0);
}

#[test]
fn a_crash_or_a_hang_is_not_a_pass() {
    let demo = Demo::new();
    let demo_file = demo.file();
    theorist(&json!({"batch": {"behaviour": "crash"}}), demo.path())
        .args(["verify", &demo_file])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("unchecked"));
    let out = theorist(&json!({"batch": {"behaviour": "hang"}}), demo.path())
        .args(["--json", "verify", &demo_file, "--timeout", "1"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["timed_out"], true);
    demo.no_leftovers();
}

#[test]
fn no_toolchain_means_exit_3_and_says_what_was_searched() {
    let demo = Demo::new();
    let demo_file = demo.file();
    let mut cmd = support::theorist();
    cmd.env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin");
    cmd.args(["verify", &demo_file])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no Lean toolchain found, so nothing was checked",
        ))
        .stderr(predicate::str::contains(
            "/nonexistent-home/.elan/bin/lake (not found)",
        ))
        .stderr(predicate::str::contains("leanprover/lean4:v4.22.0"))
        .stderr(predicate::str::contains("elan-init.sh"))
        .stdout(predicate::str::is_empty());
    let mut cmd = support::theorist();
    cmd.env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin");
    let out = cmd
        .args(["--json", "goals", &format!("{demo_file}:13:2")])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let report = json_of(&out);
    assert_eq!(report["status"], "no_toolchain");
    assert_eq!(report["checked"], false);
}

#[test]
fn bad_input_is_exit_2_with_a_clear_message() {
    let demo = Demo::new();
    let demo_file = demo.file();
    theorist(&json!({}), demo.path())
        .args(["verify", &demo_file.replace("Basic", "Missing")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Missing.lean: no such file"));
    theorist(&json!({}), demo.path())
        .args(["verify", &format!("{demo_file}:no_such_lemma")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no declaration named `no_such_lemma`",
        ))
        .stderr(predicate::str::contains("Demo.bounded_below"));
    let outside = demo.path().join("Loose.lean");
    std::fs::write(&outside, "theorem t : True := trivial\n").unwrap();
    theorist(&json!({}), demo.path())
        .args(["verify", outside.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not inside a Lake project"));
    theorist(&json!({}), demo.path())
        .args(["goals", &format!("{demo_file}:999:0")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("past the end of the file"));
    theorist(&json!({}), demo.path())
        .args(["goals", &demo_file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FILE:LINE:COL"));
}

#[test]
fn goals_at_a_position() {
    let demo = Demo::new();
    let demo_file = demo.file();
    theorist(&json!({}), demo.path())
        .args(["goals", &format!("{demo_file}:13:2")])
        .assert()
        .code(0)
        .stdout("μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ potential μSq 𝓵 x\n");
    let out = theorist(&json!({}), demo.path())
        .args(["--json", "goals", &format!("{demo_file}:18:48")])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["term_goal"], "a b : ℕ\n⊢ a + b = b + a");
    theorist(&json!({}), demo.path())
        .args(["goals", &format!("{demo_file}:6:0")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no goal at"));
}

#[test]
fn a_server_that_never_answers_times_out_instead_of_hanging() {
    let demo = Demo::new();
    let demo_file = demo.file();
    // Verify still reports the batch verdicts; the goals step fails with a clear message.
    theorist(
        &json!({"server": {"behaviour": "garbage_header"}}),
        demo.path(),
    )
    .args(["verify", &format!("{demo_file}:bounded_below")])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("malformed message from Lean"));
}

#[test]
fn a_hanging_language_server_hits_the_timeout() {
    let demo = Demo::new();
    let demo_file = demo.file();
    theorist(&json!({"server": {"behaviour": "hang"}}), demo.path())
        .args(["goals", &format!("{demo_file}:13:2"), "--timeout", "1"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did not answer"));
}
