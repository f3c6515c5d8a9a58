//! `theorist blueprint check` on this repository's blueprint and on one with every mistake.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

#[test]
fn the_repository_blueprint_is_consistent_with_its_lean_sources() {
    let out = Command::cargo_bin("theorist")
        .unwrap()
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
    Command::cargo_bin("theorist")
        .unwrap()
        .args(["blueprint", "check", "tests/fixtures/blueprint-broken"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\\input{chapter/missing}: no such file"))
        .stdout(predicate::str::contains("chapter/main.tex:13: error: `thm:open` uses `lem:typo`, which is no label of the blueprint"))
        .stdout(predicate::str::contains("`thm:open` is marked \\leanok but `Demo.open_problem` (Demo/Sorry.lean:5) uses sorry"))
        .stdout(predicate::str::contains("chapter/main.tex:25: error: `lem:ghost`: no Lean declaration `Demo.does_not_exist`"))
        .stdout(predicate::str::contains("error: label `lem:good` is also used at"))
        .stdout(predicate::str::contains("warning: `Demo.sq_nonneg'` is also claimed by the node at"))
        // A label inside a nested equation is not the node's.
        .stdout(predicate::str::contains("eq:inner").not());
    Command::cargo_bin("theorist")
        .unwrap()
        .args(["blueprint", "check", "tests/fixtures"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no blueprint here"));
}

#[test]
fn the_roadmap_of_the_repository_blueprint() {
    let out = Command::cargo_bin("theorist")
        .unwrap()
        .args(["--json", "blueprint", "roadmap", "."])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "theorist.blueprint.roadmap/2");
    let nodes = v["progress"]["nodes"].as_u64().unwrap();
    assert!(nodes >= 19);
    assert_eq!(v["progress"]["stated"].as_u64().unwrap(), nodes);
    // The honest sorries are exactly what is ready to prove.
    let ready: Vec<&str> = v["ready_to_prove"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for label in ["thm:2hdm-stability", "thm:minimum-iff", "thm:bounded-iff"] {
        assert!(ready.contains(&label), "{ready:?}");
    }
    assert!(v["cycles"].as_array().unwrap().is_empty());
    Command::cargo_bin("theorist")
        .unwrap()
        .args(["blueprint", "roadmap", "tests/fixtures/blueprint-broken"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ready to prove now"))
        .stderr(predicate::str::contains("no such file"));
}
