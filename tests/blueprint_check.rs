//! `theorist blueprint check` on this repository's blueprint and on one with every mistake.

use predicates::prelude::*;
use serde_json::Value;

mod support;

#[test]
fn the_repository_blueprint_is_consistent_with_its_lean_sources() {
    let out = support::theorist()
        .args(["--json", "blueprint", "check", "."])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(v["nodes"].as_u64().unwrap() >= 15);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["level"] != "error"),
        "{v}"
    );
}

#[test]
fn every_kind_of_mistake_is_reported_with_its_place() {
    support::theorist()
        .args(["blueprint", "check", "tests/fixtures/blueprint-broken"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\\input{chapter/missing}: no such file"))
        .stdout(predicate::str::contains("chapter/main.tex:17: error: `thm:open` uses `lem:typo`, which is no label of the blueprint"))
        .stdout(predicate::str::contains("`thm:open` is marked \\leanok but `Demo.open_problem` (Demo/Sorry.lean:5) uses sorry"))
        .stdout(predicate::str::contains("chapter/main.tex:25: error: `lem:ghost`: no Lean declaration `Demo.does_not_exist`"))
        .stdout(predicate::str::contains("error: label `lem:good` is also used at"))
        .stdout(predicate::str::contains("warning: `Demo.sq_nonneg'` is also claimed by the node at"))
        // A label inside a nested equation is not the node's.
        .stdout(predicate::str::contains("eq:inner").not());
    support::theorist()
        .args(["blueprint", "check", "tests/fixtures"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no blueprint here"));
}

#[test]
fn the_roadmap_of_the_repository_blueprint() {
    let out = support::theorist()
        .args(["--json", "blueprint", "roadmap", "."])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "theorist.blueprint.roadmap/2");
    let nodes = v["progress"]["nodes"].as_u64().unwrap();
    assert!(nodes >= 40);
    assert_eq!(v["progress"]["stated"].as_u64().unwrap(), nodes);
    // The library has no sorry, so nothing is left to prove and every node is done.
    assert_eq!(v["ready_to_prove"], serde_json::json!([]), "{v}");
    assert_eq!(v["progress"]["done"].as_u64().unwrap(), nodes);
    assert!(v["cycles"].as_array().unwrap().is_empty());
    support::theorist()
        .args(["blueprint", "roadmap", "tests/fixtures/blueprint-broken"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ready to prove now"))
        .stderr(predicate::str::contains("no such file"));
}

fn scenario(dir: &std::path::Path, json: &str) -> std::path::PathBuf {
    let p = dir.join("scenario.json");
    std::fs::write(&p, json).unwrap();
    p
}

#[test]
fn lean_itself_confirms_the_names_when_a_toolchain_exists() {
    let dir = tempfile::tempdir().unwrap();
    // A copy: in the default sandbox Lake gets a `.lake/` folder, which the repository's
    // fixture should not.
    let project = dir.path().join("blueprint-broken");
    support::copy_dir(
        std::path::Path::new("tests/fixtures/blueprint-broken"),
        &project,
    );
    let out = support::theorist()
        .env("THEORIST_LAKE", support::peer())
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_SANDBOX_RO", dir.path())
        .env("THEORIST_PEER_SCENARIO", scenario(dir.path(), "{}"))
        .args(["--json", "blueprint", "check", project.to_str().unwrap()])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert!(
        v["checked_by"]
            .as_str()
            .unwrap()
            .contains("theorist-scripted-peer"),
        "{v}"
    );
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(
            |m| m.contains("Lean knows no declaration `Demo.does_not_exist` (unknown constant")
        ),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(
            |m| m.contains("Lean says `Demo.open_problem`") && m.contains("depends on sorryAx")
        ),
        "{messages:?}"
    );
    // The probe file is gone, and so is the folder made for it.
    assert!(!project.join(".theorist").exists());

    // Lean that crashes: the sources' answers stand, and the output says why.
    support::theorist()
        .env("THEORIST_LAKE", support::peer())
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_SANDBOX_RO", dir.path())
        .env(
            "THEORIST_PEER_SCENARIO",
            scenario(dir.path(), r#"{"batch": {"behaviour": "crash"}}"#),
        )
        .args(["blueprint", "check", project.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Lean stopped without answering"))
        .stdout(predicate::str::contains(
            "no Lean declaration `Demo.does_not_exist` in the project",
        ))
        .stdout(predicate::str::contains(
            "names checked against the Lean sources only (Lean could not answer",
        ));
}

#[test]
fn without_a_toolchain_the_sources_are_checked_and_the_output_says_so() {
    support::theorist()
        .env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin")
        .args(["blueprint", "check", "tests/fixtures/blueprint-broken"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no Lean toolchain found, so the \\lean names were checked against the Lean sources only, not by Lean"))
        .stderr(predicate::str::contains("elan"))
        .stdout(predicate::str::contains("not by Lean: no toolchain found"));
}

#[test]
fn no_lean_sources_is_said_once_with_the_folders_searched() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("blueprint/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("content.tex"),
        "\\begin{lemma}\\label{a}\\lean{A.a}\\leanok\\end{lemma}\n\\begin{lemma}\\label{b}\\lean{A.b}\\end{lemma}\n",
    )
    .unwrap();
    let out = support::theorist()
        .args(["blueprint", "check", "--no-lean"])
        .arg(dir.path())
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("no Lean sources found").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("searched {}", dir.path().display())),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no per-name errors");
}
