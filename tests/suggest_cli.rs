//! `theorist suggest` and `theorist prove` with the numerics engine and the scope check, end
//! to end through the real binary: the Higgs bound gets its certificate's hint first; a false
//! goal gets its counterexample instead of tactics (exit 1), in `suggest` and in `prove`; no
//! suggestion names anything the goal, the file or the project's sources do not have, and
//! without library sources no library lemma is suggested at all.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};
use theorist_tactics::project::project_index;
use theorist_tactics::scope::Scope;

mod support;
use support::stand_in;

const HIGGS: &str = "μSq 𝓵 x : ℝ\\nh : 0 < 𝓵\\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2";

/// A Lake project with the stand-in Mathlib, a Lean file, and a cache folder of its own.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(file: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lean-project");
        stand_in::project_with_stand_in(&root);
        std::fs::create_dir_all(root.join("Demo")).unwrap();
        std::fs::write(root.join("Demo/Num.lean"), file).unwrap();
        Project { dir }
    }
    fn root(&self) -> PathBuf {
        self.dir.path().join("lean-project")
    }
    fn file(&self) -> PathBuf {
        self.root().join("Demo/Num.lean")
    }
}

fn theorist(cache: &Path) -> Command {
    let mut cmd = support::theorist();
    cmd.env_remove("THEORIST_LOG")
        .env_remove("THEORIST_MODEL_WEIGHTS")
        .env("THEORIST_CACHE_DIR", cache)
        // Outside any Lake project unless `--project` says otherwise.
        .current_dir(cache.parent().unwrap())
        .timeout(std::time::Duration::from_secs(600));
    cmd
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

fn suggest_json(p: &Project, args: &[&str], code: i32) -> Value {
    let out = theorist(&p.dir.path().join("cache"))
        .arg("--json")
        .arg("suggest")
        .args(args)
        .arg("--project")
        .arg(p.root())
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    json_of(&out)
}

fn tactics(r: &Value) -> Vec<String> {
    r["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tactic"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_higgs_bound_gets_the_numerics_hint_first() {
    let p = Project::new("");
    let r = suggest_json(&p, &["--goal", HIGGS, "--top", "5"], 0);
    let first = &r["suggestions"][0];
    assert_eq!(first["source"], "numerics", "{r}");
    let tactic = first["tactic"].as_str().unwrap();
    assert!(
        tactic.starts_with("nlinarith [") && tactic.contains("sq_nonneg (x - μSq / (2 * 𝓵))"),
        "{tactic}"
    );
    assert_eq!(r["names"]["mathlib"], true, "{r}");
}

#[test]
fn without_library_sources_no_library_lemma_is_suggested() {
    // Outside any project: the numerics engine proves the bound, but `sq_nonneg` cannot be
    // confirmed, so neither its hint nor any candidate naming a library lemma is shown.
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let out = theorist(&cache)
        .args(["--json", "suggest", "--goal", HIGGS, "--top", "8"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let r = json_of(&out);
    assert!(r["names"].is_null(), "{r}");
    assert!(
        r["names_note"]
            .as_str()
            .unwrap()
            .contains("no Lake project")
    );
    let note = r["result"]["numerics"].as_str().unwrap();
    assert!(note.contains("not shown"), "{note}");
    for t in tactics(&r) {
        for lemma in stand_in::LEMMAS {
            assert!(!t.contains(lemma), "unconfirmed lemma shown: {t}");
        }
    }
    // The plain text says why too.
    theorist(&cache)
        .args(["suggest", "--goal", HIGGS])
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "only Lean core's names are confirmed",
        ));
}

#[test]
fn a_false_goal_is_reported_false_with_its_point() {
    let p = Project::new("");
    let goal = "x : ℝ\\nh : 0 ≤ x\\n⊢ x ^ 2 ≤ x";
    let r = suggest_json(&p, &["--goal", goal], 1);
    assert_eq!(r["result"]["answer"], "false", "{r}");
    let x = r["result"]["counterexample"]["x"].as_str().unwrap();
    let x: f64 = match x.split_once('/') {
        Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
        None => x.parse().unwrap(),
    };
    assert!(x > 1.0, "{r}");
    assert_eq!(r["suggestions"], json!([]));
    theorist(&p.dir.path().join("cache"))
        .args(["suggest", "--goal", goal])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("the goal is false"))
        .stdout(predicates::str::contains("x := "));
    // `--no-numerics` asks the rankers only.
    suggest_json(&p, &["--goal", goal, "--no-numerics"], 0);
}

#[test]
fn suggestions_name_only_what_is_in_scope() {
    // Goals where rankers named `h` for `ha`, a `c` that does not exist, `quartic`,
    // `higgsPotential`: what is shown must resolve in the project's own index, and none of
    // those names may appear.
    let p = Project::new("");
    let (index, _) = project_index(&p.root(), &[], None);
    let goals = [
        "a b : ℝ\\nha : 0 ≤ a\\nhb : 0 ≤ b\\n⊢ 0 ≤ a * b",
        "x : ℝ\\n⊢ 0 ≤ x ^ 4 - 2 * x ^ 2 + 1",
        "μ l x : ℝ\\nhl : 0 < l\\n⊢ 0 ≤ l * x ^ 2 - μ * x + μ ^ 2 / (4 * l)",
        "v : ℝ\\nc : ℝ\\nhc : 0 < c\\nhv : |v| < c\\n⊢ 0 < 1 - v ^ 2 / c ^ 2",
        "p q : ℝ\\n⊢ 2 * p * q ≤ p ^ 2 + q ^ 2",
    ];
    let mut shown = 0;
    for g in goals {
        let r = suggest_json(&p, &["--goal", g, "--top", "8"], 0);
        let goal = g.replace("\\n", "\n");
        let scope = Scope::of_goal(&goal, &index);
        for t in tactics(&r) {
            shown += 1;
            assert!(
                scope.admits(&t),
                "{g}: out of scope: {t} ({:?})",
                scope.unresolved(&t)
            );
            let words: Vec<&str> = t
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .collect();
            for bad in ["quartic", "higgsPotential", "lorentzFactor"] {
                assert!(!words.contains(&bad), "{g}: {t}");
            }
            if !goal.contains("c :") {
                assert!(!words.contains(&"c"), "{g}: {t}");
            }
            if !goal.contains("\nh :") {
                assert!(!words.contains(&"h"), "{g}: {t}");
            }
        }
    }
    assert!(shown >= 10, "too few suggestions to say anything: {shown}");
}

const FILE: &str = "import Mathlib.Tactic

namespace Demo

theorem too_strong (x : ℝ) (h : 0 ≤ x) : x ^ 2 ≤ x := by
  sorry

theorem amgm (x y : ℝ) : 2 * x * y ≤ x ^ 2 + y ^ 2 := by
  sorry

theorem weakened (x : ℝ) (h : 1 ≤ x) : x ≤ x ^ 2 := by
  clear h
  sorry

end Demo
";

fn prove(p: &Project, decl: &str, scenario: Value) -> Value {
    let path = p.dir.path().join("scenario.json");
    std::fs::write(&path, scenario.to_string()).unwrap();
    let out = theorist(&p.dir.path().join("cache"))
        .env("THEORIST_LAKE", support::peer())
        .env("THEORIST_PEER_SCENARIO", &path)
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_SANDBOX_RO", p.dir.path())
        .args(["--json", "prove"])
        .arg(format!("{}:{decl}", p.file().display()))
        .args(["--baseline", "--attempt-timeout", "30"])
        .output()
        .unwrap();
    let mut r = json_of(&out.stdout);
    r["exit"] = json!(out.status.code());
    r
}

#[test]
fn prove_reports_a_false_statement_instead_of_searching() {
    let p = Project::new(FILE);
    let before = std::fs::read_to_string(p.file()).unwrap();
    let r = prove(&p, "too_strong", json!({"strict_tactics": true}));
    assert_eq!(r["exit"], 1, "{r}");
    assert_eq!(r["status"], "false", "{r}");
    assert!(r["counterexample"]["x"].is_string(), "{r}");
    assert_eq!(r["search"]["attempts"], json!([]));
    assert_eq!(std::fs::read_to_string(p.file()).unwrap(), before);
}

#[test]
fn a_false_goal_after_earlier_tactics_is_not_called_a_false_statement() {
    // After `clear h` the goal at the `sorry` is `x ≤ x ^ 2` without `1 ≤ x`: false at
    // x = 1/2, although the statement is true.
    let p = Project::new(FILE);
    let r = prove(
        &p,
        "weakened",
        json!({"strict_tactics": true, "tactics": [
            {"script": "clear h", "goals": ["x : ℝ\n⊢ x ≤ x ^ 2"]}
        ]}),
    );
    assert_eq!(r["exit"], 1, "{r}");
    assert_eq!(r["status"], "goal_false", "{r}");
}

#[test]
fn prove_tries_the_numerics_hint_first() {
    let p = Project::new(FILE);
    let hint = "nlinarith [sq_nonneg (y - x)]";
    let r = prove(
        &p,
        "amgm",
        json!({"strict_tactics": true, "tactics": [{"script": hint, "goals": []}]}),
    );
    let first = &r["search"]["attempts"][0];
    assert_eq!(first["source"], "numerics", "{r}");
    assert_eq!(first["tactics"][0], hint, "{r}");
    assert_eq!(r["status"], "proved", "{r}");
    assert_eq!(r["proof"], json!([hint]));
}

#[test]
fn retrieval_learns_from_the_projects_own_proofs_and_caches_its_packages() {
    if cfg!(feature = "model") {
        eprintln!("skipped: this build ranks with the model");
        return;
    }
    // 150 proofs of the project and 100 of a package: enough to learn from.
    let mut own = String::from("import Mathlib.Tactic\n\n");
    for i in 0..150 {
        own.push_str(&format!(
            "theorem sq_mul_self_{i} (x{i} : ℝ) (h{i} : 0 ≤ x{i}) : 0 ≤ x{i} * x{i} := by\n  \
             exact mul_nonneg h{i} h{i}\n\n"
        ));
    }
    let p = Project::new(&own);
    let mut lib = String::new();
    for i in 0..100 {
        lib.push_str(&format!(
            "theorem lib_{i} (n : ℕ) (h : 0 < n) : 0 < n * n := by\n  exact mul_pos h h\n\n"
        ));
    }
    std::fs::write(
        p.root().join(".lake/packages/mathlib/Mathlib/Lib.lean"),
        lib,
    )
    .unwrap();
    let r = suggest_json(
        &p,
        &[
            "--goal",
            "a : ℝ\\nha : 0 ≤ a\\n⊢ 0 ≤ a * a",
            "--no-numerics",
        ],
        0,
    );
    let note = r["note"].as_str().unwrap();
    assert!(note.contains("retrieval baseline"), "{note}");
    assert!(
        note.contains("150 of its own, 100 of its packages"),
        "{note}"
    );
    // The project's own proof, fitted to this goal's names, comes first.
    assert_eq!(tactics(&r)[0], "exact mul_nonneg ha ha", "{r}");
    let cached: Vec<_> = std::fs::read_dir(p.dir.path().join("cache/proofs"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(cached.len(), 1, "the packages' steps are cached once");
    // A project with too few proofs says it falls back on the generated goals.
    let small = Project::new("theorem t (x : ℝ) : x = x := by\n  rfl\n");
    let r = suggest_json(
        &small,
        &["--goal", "x : ℝ\\n⊢ 0 ≤ x ^ 2", "--no-numerics"],
        0,
    );
    assert!(
        r["note"]
            .as_str()
            .unwrap()
            .contains("too few to learn from"),
        "{r}"
    );
}

#[test]
fn a_step_on_the_targets_definition_is_learnt_for_any_definition() {
    if cfg!(feature = "model") {
        eprintln!("skipped: this build ranks with the model");
        return;
    }
    // Every proof of the project unfolds the definition its statement is about.
    let mut own = String::from("import Mathlib.Tactic\n\n");
    for i in 0..150 {
        own.push_str(&format!(
            "def shift{i} (x : ℝ) : ℝ := x + {i}\n\n\
             theorem shift{i}_eq (x : ℝ) : shift{i} x = x + {i} := by\n  unfold shift{i}\n  rfl\n\n"
        ));
    }
    let p = Project::new(&own);
    // A goal about a definition no proof mentions: the learnt step names it, and nothing
    // else (the remembered `unfold shift7` would be out of scope here, and is not shown).
    let r = suggest_json(
        &p,
        &["--goal", "y : ℝ\\n⊢ kinetic y = y * y", "--no-numerics"],
        0,
    );
    let shown = tactics(&r);
    assert_eq!(shown[0], "unfold kinetic", "{r}");
    assert!(shown.iter().all(|t| !t.contains("shift")), "{r}");
}
