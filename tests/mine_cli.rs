//! `theorist model mine` through the real binary: a Lake project and a package in its
//! `.lake/packages`, labelled and counted in the manifest; with `--trace`, the scripted Lean
//! peer's goal at each step's position; without a toolchain, `--trace` is exit 3 and nothing
//! is written.

use std::path::Path;

use serde_json::{Value, json};

mod support;

const FILE: &str = "import Mathlib.Tactic

namespace Demo

theorem two_steps (x : ℝ) : 0 ≤ x ^ 2 ∧ 0 < x ^ 2 + 1 := by
  constructor
  · positivity
  · nlinarith [sq_nonneg x]

theorem by_term (x : ℝ) : x = x := rfl

end Demo
";

const DEP: &str = "theorem dep_lemma (n : ℕ) : n + 0 = n := by
  simp
";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo");
    std::fs::create_dir_all(root.join("Demo")).unwrap();
    for f in ["lakefile.lean", "lean-toolchain"] {
        std::fs::copy(
            Path::new("tests/fixtures/lean-project").join(f),
            root.join(f),
        )
        .unwrap();
    }
    std::fs::write(root.join("Demo/Mine.lean"), FILE).unwrap();
    let dep = root.join(".lake/packages/dep/Dep");
    std::fs::create_dir_all(&dep).unwrap();
    std::fs::write(dep.join("A.lean"), DEP).unwrap();
    std::fs::write(
        root.join("lake-manifest.json"),
        json!({"version": 7, "packages": [
            {"name": "dep", "rev": "0123abcd", "url": "https://github.com/someone/dep.git"}
        ]})
        .to_string(),
    )
    .unwrap();
    dir
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn mines_a_project_and_its_packages_without_lean() {
    let dir = project();
    let out = dir.path().join("out/mined.jsonl");
    support::theorist()
        .env_remove("THEORIST_LAKE")
        .args(["model", "mine"])
        .arg(format!(
            "{}=test/demo@abc123",
            dir.path().join("demo").display()
        ))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0)
        .stdout(predicates::str::contains("test/demo"));
    let proofs = lines(&out);
    let two = proofs
        .iter()
        .find(|p| p["decl"] == "Demo.two_steps")
        .unwrap();
    assert_eq!(two["repo"], "test/demo");
    assert_eq!(two["file"], "Demo/Mine.lean");
    assert_eq!(two["goal"], "x : ℝ\n⊢ 0 ≤ x ^ 2 ∧ 0 < x ^ 2 + 1");
    let tactics: Vec<&str> = two["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tactic"].as_str().unwrap())
        .collect();
    assert_eq!(
        tactics,
        ["constructor", "positivity", "nlinarith [sq_nonneg x]"]
    );
    assert!(two["steps"][0].get("goal").is_none());
    let dep = proofs.iter().find(|p| p["decl"] == "dep_lemma").unwrap();
    assert_eq!(dep["repo"], "someone/dep");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/mined.sources.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest[0]["repo"], "test/demo");
    assert_eq!(manifest[0]["commit"], "abc123");
    assert_eq!(manifest[0]["stats"]["term_proofs"], 1);
    assert_eq!(manifest[0]["stats"]["tactic_proofs"], 1);
    assert_eq!(manifest[1]["repo"], "someone/dep");
    assert_eq!(manifest[1]["commit"], "0123abcd");
}

#[test]
fn trace_records_the_goal_lean_reports_at_each_step() {
    let dir = project();
    let scenario = dir.path().join("scenario.json");
    std::fs::write(
        &scenario,
        json!({"tactics": [
            {"script": "constructor ·", "goals": ["x : ℝ\n⊢ 0 ≤ x ^ 2", "x : ℝ\n⊢ 0 < x ^ 2 + 1"]},
            {"script": "constructor · positivity ·", "goals": ["x : ℝ\n⊢ 0 < x ^ 2 + 1"]}
        ]})
        .to_string(),
    )
    .unwrap();
    let out = dir.path().join("traced.jsonl");
    support::theorist()
        .env("THEORIST_LAKE", support::peer())
        .env("THEORIST_PEER_SCENARIO", &scenario)
        // The default sandbox runs the peer: pass the scenario's variable, show its folder.
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_SANDBOX_RO", dir.path())
        .args(["model", "mine", "--no-packages", "--trace"])
        .arg(dir.path().join("demo"))
        .arg("--out")
        .arg(&out)
        // Only a guard against a hang: theorist's own budgets bound every wait on Lean.
        .timeout(std::time::Duration::from_secs(600))
        .assert()
        .code(0);
    let proofs = lines(&out);
    let two = proofs
        .iter()
        .find(|p| p["decl"] == "Demo.two_steps")
        .unwrap();
    let goals: Vec<&str> = two["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["goal"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        goals,
        [
            "x : ℝ\n⊢ 0 ≤ x ^ 2 ∧ 0 < x ^ 2 + 1",
            "x : ℝ\n⊢ 0 ≤ x ^ 2",
            "x : ℝ\n⊢ 0 < x ^ 2 + 1"
        ]
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("traced.sources.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest[0]["traced_steps"], 3);
}

#[test]
fn trace_without_a_toolchain_is_exit_3_and_writes_nothing() {
    let dir = project();
    let out = dir.path().join("none.jsonl");
    support::theorist()
        .env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin")
        .args(["model", "mine", "--trace"])
        .arg(dir.path().join("demo"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("nothing was checked"));
    assert!(!out.exists());
    support::theorist()
        .args(["model", "mine", "/nonexistent-folder", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such folder"));
}

#[test]
fn eval_reads_several_mined_files_and_holds_out_whole_repositories() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    let lemma = |name: &str, vars: &str, goal: &str, tactic: &str| {
        format!("theorem {name} {vars} : {goal} := by\n  intro h\n  {tactic}\n")
    };
    let train_text = [
        lemma("t1", "(x y : ℝ)", "0 < x → x * y = y * x", "ring"),
        lemma("t2", "(n : ℕ)", "0 < n → n + 0 = n", "simp"),
        lemma("t3", "(a b : ℝ)", "0 ≤ a → 0 ≤ a ^ 2 + b ^ 2", "positivity"),
    ]
    .join("\n");
    support::mine_repo(
        dir.path(),
        "train",
        "test/train",
        &[("T/A.lean", &train_text)],
        &a,
    );
    // The held-out repository restates t1 with other names: t1 must leave training.
    let held_text = [
        lemma("h1", "(p q : ℝ)", "0 < p → p * q = q * p", "ring"),
        lemma("h2", "(m : ℕ)", "0 < m → m * 1 = m", "simp"),
    ]
    .join("\n");
    support::mine_repo(
        dir.path(),
        "held",
        "test/held",
        &[("H/B.lean", &held_text)],
        &b,
    );
    let out = support::theorist()
        .args([
            "--json",
            "model",
            "eval",
            "--cap",
            "50",
            "--heldout",
            "test/held",
            "--mined",
        ])
        .arg(&a)
        .arg(&b)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["heldout_repos"], json!(["test/held"]));
    assert_eq!(report["split"]["near_duplicates_dropped"], 1);
    assert_eq!(report["cross_split_near_duplicates"], 0);
    assert_eq!(report["heldout"][0]["repo"], "test/held");
    assert_eq!(report["heldout"][0]["proofs"], 2);
    assert_eq!(report["heldout"][0]["first_steps"], 2);
    assert_eq!(report["heldout"][0]["later_steps"], 2);
    // Two remaining training proofs, two steps each.
    assert_eq!(report["train_steps"], 4);
    let sets = report["sets"].as_array().unwrap();
    let repo_first = sets
        .iter()
        .find(|s| s["set"] == "held-out repositories" && s["kind"] == "first tactic")
        .unwrap();
    assert_eq!(repo_first["available"], 2);
    let rankers: Vec<&str> = repo_first["rankers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ranker"].as_str().unwrap())
        .collect();
    assert!(
        rankers.starts_with(&[
            "most-frequent",
            "closers",
            "n-gram",
            "nearest-neighbour",
            "retrieval"
        ]),
        "{rankers:?}"
    );
    // `intro h` is every training proof's first step: most-frequent gets both.
    assert_eq!(repo_first["rankers"][0]["exact_top1"]["hits"], 2);
    // The same repository in two files is refused, naming both.
    support::theorist()
        .args(["model", "eval", "--mined"])
        .arg(&a)
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("test/train is in both"));
}
