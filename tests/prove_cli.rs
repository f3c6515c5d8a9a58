//! `theorist prove` and `theorist suggest` end to end through the real binary, with the
//! scripted Lean peer as `lake` and its tactic transition table: some candidates fail, one
//! hangs (the per-attempt budget cuts it off), one crashes the worker, some make progress,
//! one proves. The retrieval baseline ranks (`--baseline`), so the candidate order is the same
//! in builds with and without the model; the numerics engine's hint comes first unless
//! `--no-numerics` (tests/suggest_cli.rs covers it). The project has a stand-in for Mathlib's
//! sources in `.lake/packages` (hand-written declarations of the lemmas the candidates name),
//! since suggestions may only name library lemmas the project's sources declare.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

mod support;
use stand_in::stand_in_mathlib;
use support::stand_in;

const FILE: &str = "import Mathlib.Tactic

namespace Demo

theorem amgm (x y : ℝ) : 2 * x * y ≤ x ^ 2 + y ^ 2 := by
  sorry

theorem two_steps (x : ℝ) : 0 ≤ x ^ 2 ∧ 0 < x ^ 2 + 1 := by
  sorry

theorem done (x : ℝ) : 0 ≤ x ^ 2 := by
  exact pow_two_nonneg x

end Demo
";

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lean-project");
        std::fs::create_dir_all(root.join("Demo")).unwrap();
        for f in ["lakefile.lean", "lean-toolchain"] {
            std::fs::copy(
                Path::new("tests/fixtures/lean-project").join(f),
                root.join(f),
            )
            .unwrap();
        }
        std::fs::write(root.join("Demo/Prove.lean"), FILE).unwrap();
        stand_in_mathlib(&root);
        Project { dir }
    }
    fn root(&self) -> PathBuf {
        self.dir.path().join("lean-project")
    }
    fn file(&self) -> PathBuf {
        self.dir.path().join("lean-project/Demo/Prove.lean")
    }
    fn target(&self, decl: &str) -> String {
        format!("{}:{decl}", self.file().display())
    }
    fn text(&self) -> String {
        std::fs::read_to_string(self.file()).unwrap()
    }
    fn no_leftovers(&self) {
        let names: Vec<String> = std::fs::read_dir(self.dir.path().join("lean-project/Demo"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "Prove.lean")
            .collect();
        assert!(names.is_empty(), "left behind: {names:?}");
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
        .env_remove("THEORIST_LOG")
        .env_remove("THEORIST_MODEL_WEIGHTS")
        .env("THEORIST_CACHE_DIR", dir.join("cache"))
        // Only a guard against a hang: theorist's own budgets bound every wait on Lean, but
        // building the ranker is CPU work that a machine shared by many builds can stretch
        // from seconds to minutes.
        .timeout(std::time::Duration::from_secs(900));
    cmd
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

fn table() -> Value {
    json!({
        "strict_tactics": true,
        "tactics": [
            {"script": "exact pow_two_nonneg x", "goals": []},
            // The numerics engine's hint for amgm, tried first: it hangs.
            {"script": "nlinarith [sq_nonneg (y - x)]", "behaviour": "hang"},
            {"script": "nlinarith [sq_nonneg (x - y)]", "goals": []},
            {"script": "positivity", "behaviour": "crash"},
            {"script": "nlinarith [sq_nonneg (x - 5)]", "error": "linarith failed to find a contradiction"},
            {"script": "nlinarith [sq_nonneg (x - 3)]", "goals": ["x : ℝ\n⊢ 0 < x ^ 2 + 1"]},
            {"script": "nlinarith [sq_nonneg (x - 3)] positivity", "goals": []}
        ]
    })
}

#[test]
fn a_hung_candidate_is_cut_off_and_the_next_one_proves_and_is_written() {
    let p = Project::new();
    let out = theorist(&table(), p.dir.path())
        .args([
            "--json",
            "prove",
            &p.target("amgm"),
            "--baseline",
            "--attempt-timeout",
            "2",
            "--write",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&out);
    assert_eq!(r["status"], "proved");
    assert_eq!(r["proof"], json!(["nlinarith [sq_nonneg (x - y)]"]));
    assert_eq!(r["recheck"]["status"], "ok");
    assert_eq!(r["written"], true);
    let attempts = r["search"]["attempts"].as_array().unwrap();
    assert_eq!(attempts[0]["outcome"]["kind"], "timeout");
    assert_eq!(attempts.last().unwrap()["outcome"]["kind"], "proved");
    assert!(
        p.text()
            .contains("2 * x * y ≤ x ^ 2 + y ^ 2 := by\n  nlinarith [sq_nonneg (x - y)]\n")
    );
    assert!(
        p.text()
            .contains("theorem two_steps (x : ℝ) : 0 ≤ x ^ 2 ∧ 0 < x ^ 2 + 1 := by\n  sorry")
    );
    p.no_leftovers();
}

/// `--write` on a symlink writes through it: the file it points to gets the proof (its
/// temporary beside it), the link stays a link, and the output says which file was written.
#[test]
fn write_goes_through_a_symlink_to_its_target_and_says_where() {
    let p = Project::new();
    let real_dir = p.dir.path().join("elsewhere");
    std::fs::create_dir_all(&real_dir).unwrap();
    let real = real_dir.join("Prove.lean");
    std::fs::rename(p.file(), &real).unwrap();
    std::os::unix::fs::symlink(&real, p.file()).unwrap();
    let out = theorist(&table(), p.dir.path())
        .args([
            "prove",
            &p.target("amgm"),
            "--baseline",
            "--attempt-timeout",
            "2",
            "--write",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let real = std::fs::canonicalize(&real).unwrap();
    assert!(
        out.contains(&format!(
            "written into {} (the file the link {} points to)",
            real.display(),
            p.file().display()
        )),
        "{out}"
    );
    assert!(
        std::fs::symlink_metadata(p.file())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("2 * x * y ≤ x ^ 2 + y ^ 2 := by\n  nlinarith [sq_nonneg (x - y)]\n"));
    let left: Vec<String> = std::fs::read_dir(&real_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        ["Prove.lean"],
        "temporary files left beside the target"
    );
    let json = theorist(&table(), p.dir.path())
        .args([
            "--json",
            "prove",
            &p.target("two_steps"),
            "--baseline",
            "--attempt-timeout",
            "5",
            "--write",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&json);
    assert_eq!(r["written_to"], json!(real));
    assert_eq!(r["written_via_link"], json!(p.file()));
}

#[test]
fn crash_failure_progress_then_proof_without_write_leaves_the_file() {
    let p = Project::new();
    let before = p.text();
    let out = theorist(&table(), p.dir.path())
        .args([
            "--json",
            "prove",
            &p.target("two_steps"),
            "--baseline",
            "--no-numerics",
            "--attempt-timeout",
            "5",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&out);
    assert_eq!(
        r["proof"],
        json!(["nlinarith [sq_nonneg (x - 3)]", "positivity"])
    );
    assert_eq!(r["written"], false);
    let kinds: Vec<&str> = r["search"]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[0], "crashed", "{kinds:?}");
    assert!(
        kinds.contains(&"failed") && kinds.contains(&"progress"),
        "{kinds:?}"
    );
    assert_eq!(p.text(), before);
    p.no_leftovers();
}

#[test]
fn no_proof_is_exit_1_and_nothing_is_written() {
    let p = Project::new();
    let before = p.text();
    theorist(&json!({"strict_tactics": true, "tactics": [{"script": "exact pow_two_nonneg x", "goals": []}]}), p.dir.path())
        .args(["prove", &p.target("amgm"), "--baseline", "--write", "--max-attempts", "5"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no proof found"));
    assert_eq!(p.text(), before);
    p.no_leftovers();
}

#[test]
fn a_proof_that_fails_the_batch_recheck_is_not_written() {
    let p = Project::new();
    let before = p.text();
    let mut scenario = table();
    scenario["batch"] = json!({"behaviour": "crash"});
    let out = theorist(&scenario, p.dir.path())
        .args([
            "--json",
            "prove",
            &p.target("amgm"),
            "--baseline",
            "--attempt-timeout",
            "2",
            "--write",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&out);
    assert_eq!(r["status"], "recheck_failed");
    assert_eq!(r["written"], false);
    assert_eq!(p.text(), before);
    p.no_leftovers();
}

#[test]
fn bad_targets_are_usage_errors() {
    let p = Project::new();
    for (target, says) in [
        (p.target("done"), "no `sorry`"),
        (p.target("nope"), "nope"),
        (format!("{}", p.file().display()), "FILE:Decl"),
        ("/nonexistent/X.lean:a".to_string(), "no such file"),
    ] {
        theorist(&table(), p.dir.path())
            .args(["prove", &target])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn no_toolchain_is_exit_3() {
    let p = Project::new();
    let mut cmd = support::theorist();
    cmd.env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin")
        .args(["prove", &p.target("amgm"), "--baseline"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nothing was checked"));
    let mut cmd = support::theorist();
    cmd.env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin")
        .args([
            "suggest",
            &format!("{}:6:2", p.file().display()),
            "--baseline",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("nothing was checked"));
}

#[test]
fn suggest_reads_the_goal_from_lean_and_labels_its_source() {
    let p = Project::new();
    // line 6 is `  sorry` of amgm
    let out = theorist(&json!({}), p.dir.path())
        .args([
            "--json",
            "suggest",
            &format!("{}:6:2", p.file().display()),
            "--baseline",
            "--no-numerics",
            "--top",
            "3",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&out);
    assert!(
        r["goal"]
            .as_str()
            .unwrap()
            .contains("⊢ 2 * x * y ≤ x ^ 2 + y ^ 2"),
        "{r}"
    );
    let list = r["suggestions"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(
        list.iter()
            .all(|s| s["source"] == "retrieval" && s["score"].is_number())
    );
    assert!(r["note"].as_str().unwrap().contains("retrieval baseline"));
}

#[test]
fn suggest_bad_input_is_a_clear_usage_error() {
    let p = Project::new();
    theorist(&json!({}), p.dir.path())
        .args(["suggest", "--goal", " "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the goal is empty"));
    theorist(&json!({}), p.dir.path())
        .args(["suggest", &format!("{}:99:0", p.file().display())])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("past the end"));
    theorist(&json!({}), p.dir.path())
        .args([
            "suggest",
            &format!("{}:1:0", p.file().display()),
            "--baseline",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no tactic goal"));
    theorist(&json!({}), p.dir.path())
        .args([
            "suggest",
            "--goal",
            "⊢ True",
            "--weights",
            "/nonexistent.safetensors",
        ])
        .assert()
        .code(2);
}

#[test]
fn suggest_without_the_model_says_so() {
    if cfg!(feature = "model") {
        eprintln!("skipped: this build has the model");
        return;
    }
    support::theorist()
        .args(["suggest", "--goal", "x : ℝ\\n⊢ 0 ≤ x ^ 2"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no tactic model"))
        .stdout(predicate::str::contains("retrieval baseline"));
}

#[test]
fn the_model_ranks_when_built_and_corrupt_weights_are_a_clear_error() {
    if !cfg!(feature = "model") {
        eprintln!("skipped: built without feature `model`");
        return;
    }
    let p = Project::new();
    let out = support::theorist()
        .env_remove("THEORIST_MODEL_WEIGHTS")
        .env("THEORIST_CACHE_DIR", p.dir.path().join("cache"))
        .args([
            "--json",
            "suggest",
            "--goal",
            "x y : ℝ\\n⊢ 2 * x * y ≤ x ^ 2 + y ^ 2",
            "--top",
            "8",
            "--no-numerics",
            "--project",
        ])
        .arg(p.root())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&out);
    assert!(r["ranker"].as_str().unwrap().starts_with("model"), "{r}");
    let list = r["suggestions"].as_array().unwrap();
    assert_eq!(list.len(), 8);
    // StepRank orders the heads; the neighbours give the argument of the classic proof.
    let tactics: Vec<&str> = list.iter().map(|s| s["tactic"].as_str().unwrap()).collect();
    assert!(tactics.contains(&"nlinarith [sq_nonneg (x - y)]"), "{r}");
    assert!(list.iter().all(|s| s["source"] == "model"), "{r}");
    // Every template's slots were filled (weights trained before slots had classes too).
    for s in list {
        let t = s["tactic"].as_str().unwrap();
        let chars: Vec<char> = t.chars().collect();
        assert!(
            !chars
                .windows(2)
                .any(|w| w[0] == '?' && (w[1].is_ascii_digit() || w[1] == 'a')),
            "unfilled slot: {t}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.safetensors");
    std::fs::write(&bad, b"garbage").unwrap();
    std::fs::copy("models/steprank.json", dir.path().join("bad.json")).unwrap();
    support::theorist()
        .args(["suggest", "--goal", "⊢ True", "--weights"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corrupt"));
}

#[test]
fn model_eval_reports_the_baselines_and_says_whether_the_model_ran() {
    let data = Path::new("../shared/model-data");
    if !data.join("deepseek-prover-v1.5/minif2f.jsonl").exists() {
        eprintln!("skipped: no ../shared/model-data here");
        return;
    }
    let out = support::theorist()
        .args(["--json", "model", "eval", "--theorems", "300"])
        .arg("--model-data")
        .arg(data)
        .timeout(std::time::Duration::from_secs(900))
        .output()
        .unwrap();
    let r = json_of(&out.stdout);
    let rankers: Vec<&str> = r["heldout"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ranker"].as_str().unwrap())
        .collect();
    assert_eq!(&rankers[..3], ["most-frequent", "closers", "retrieval"]);
    assert_eq!(r["normaliser"]["pairs"], 859);
    assert!(r["minif2f_valid_first_tactic"][0]["n"].as_u64().unwrap() >= 60);
    if cfg!(feature = "model") {
        assert_eq!(rankers.len(), 4);
        assert_eq!(
            out.status.code(),
            Some(if r["model_beats_baselines"] == true {
                0
            } else {
                1
            })
        );
    } else {
        // Nothing about the model was checked: not a pass.
        assert_eq!(r["model_available"], false);
        assert_eq!(out.status.code(), Some(2));
    }
}
