//! `theorist model train --mined` and `model eval --mined` with the learned step ranker
//! through the real binary. With feature `model` (scripts/test-model): StepRank trains on
//! the training part of the split only, its manifest names every repository with its commit
//! and step count, it is evaluated beside the baselines, and an evaluation that holds out a
//! repository it trained on is refused. Without the feature: a clear "no model" error.

use std::path::Path;

use serde_json::Value;

mod support;

/// `n` small proofs: iff targets split by `constructor`, order targets by `positivity`.
fn proofs(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "theorem {prefix}a{i} (p q : Prop) (hp : p) (hq : q) : p ∧ q ↔ q ∧ p := by\n  \
                 constructor\n  · exact fun h => ⟨h.2, h.1⟩\n  · exact fun h => ⟨h.2, h.1⟩\n\n\
                 theorem {prefix}b{i} (x : ℝ) : 0 < x ^ 2 + {i} + 1 := by\n  positivity\n\n"
            )
        })
        .collect()
}

fn mined(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    let train: Vec<(String, String)> = (0..4)
        .map(|f| (format!("T/F{f}.lean"), proofs(&format!("t{f}"), 20)))
        .collect();
    support::mine_repo(dir, "train", "test/train", &train, &a);
    // Other statements than training's: a near-duplicate would leave training.
    let held_text: String = (0..10)
        .map(|i| format!("theorem h{i} (a b : ℕ) : a * b + {i} = b * a + {i} := by\n  ring\n\n"))
        .collect();
    let held = vec![("H/B.lean".to_string(), held_text)];
    support::mine_repo(dir, "held", "test/held", &held, &b);
    (a, b)
}

#[test]
fn trains_on_the_training_part_only_and_evaluates_honestly() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = mined(dir.path());
    let weights = dir.path().join("m/steprank.safetensors");
    let train = support::theorist()
        .args([
            "--json",
            "model",
            "train",
            "--epochs",
            "2",
            "--heldout",
            "test/held",
            "--out",
        ])
        .arg(&weights)
        .arg("--mined")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&train.stderr);
    if !cfg!(feature = "model") {
        assert_eq!(train.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("no tactic model"), "{stderr}");
        assert!(!weights.exists());
        return;
    }
    assert_eq!(train.status.code(), Some(0), "{stderr}");
    let manifest: Value = serde_json::from_slice(&train.stdout).unwrap();
    assert_eq!(manifest["format"], "theorist-steprank/1");
    let sources = manifest["provenance"]["sources"].as_array().unwrap();
    let steps = |repo: &str| {
        sources
            .iter()
            .find(|s| s["repo"] == repo)
            .map(|s| (s["steps"].as_u64().unwrap(), s["commit"].clone()))
            .unwrap()
    };
    let (trained, commit) = steps("test/train");
    assert!(trained > 0 && commit == "0123", "{manifest}");
    assert_eq!(
        steps("test/held").0,
        0,
        "a held-out repository is never trained on"
    );
    assert_eq!(manifest["provenance"]["heldout_repos"][0], "test/held");
    assert_eq!(manifest["train_steps"].as_u64().unwrap(), trained);
    assert!(weights.exists() && weights.with_extension("json").exists());

    // Evaluated beside the baselines on the same split.
    let eval = support::theorist()
        .args([
            "--json",
            "model",
            "eval",
            "--heldout",
            "test/held",
            "--weights",
        ])
        .arg(&weights)
        .arg("--mined")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(
        eval.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&eval.stderr)
    );
    let report: Value = serde_json::from_slice(&eval.stdout).unwrap();
    let first = report["sets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["set"] == "held-out repositories" && s["kind"] == "first tactic")
        .unwrap();
    let model = first["rankers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ranker"] == "model")
        .expect("the model is evaluated");
    assert_eq!(model["n"], 10);

    // Holding out what it trained on is refused, naming the repository.
    support::theorist()
        .args(["model", "eval", "--heldout", "test/train", "--weights"])
        .arg(&weights)
        .arg("--mined")
        .arg(&a)
        .arg(&b)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "trained on test/train, which this evaluation holds out",
        ));
}
