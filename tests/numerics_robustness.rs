//! Inputs that used to crash or run for minutes end quickly with an honest answer: deep
//! nesting, long flat sums, huge exponents, huge boxes, transcendental functions of huge
//! numbers, and a search that runs out of time says so.

use serde_json::Value;

mod support;

fn write(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("R.lean");
    std::fs::write(&path, text).unwrap();
    path
}

fn check(path: &std::path::Path, decl: &str, extra: &[&str], code: i32) -> Value {
    let out = support::theorist()
        .args([
            "--json",
            "numerics",
            "check",
            &format!("{}:{decl}", path.display()),
        ])
        .args(extra)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn deep_nesting_is_untranslatable_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    let path = write(
        dir.path(),
        &format!("theorem deep (x : ℝ) : 0 ≤ {deep} ^ 2 := by sorry\n"),
    );
    let v = check(&path, "deep", &[], 4);
    assert!(
        v["reason"].as_str().unwrap().contains("nests deeper"),
        "{v}"
    );
}

#[test]
fn a_flat_sum_of_three_thousand_terms() {
    let dir = tempfile::tempdir().unwrap();
    let sum = (0..3000).map(|_| "x ^ 2").collect::<Vec<_>>().join(" + ");
    let path = write(
        dir.path(),
        &format!("theorem flat (x : ℝ) : 0 ≤ {sum} := by sorry\n"),
    );
    let v = check(&path, "flat", &["--samples", "50"], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
}

#[test]
fn huge_exponents_boxes_and_arguments_end_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "theorem big_pow (x : ℝ) (h0 : 0 ≤ x) (h1 : x ≤ 1) : x ^ 1000000 ≤ 1 := by sorry\n\
         theorem sin_huge : Real.sin (Real.exp 1e10) ≤ 1 := by sorry\n\
         theorem plain (x : ℝ) : 0 ≤ x ^ 2 := by sorry\n",
    );
    let started = std::time::Instant::now();
    let v = check(&path, "big_pow", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    let v = check(&path, "sin_huge", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    // Not a timing test: only that none of this runs into the 60 s default budget.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    support::theorist()
        .args([
            "numerics",
            "check",
            &format!("{}:plain", path.display()),
            "--box",
            "x=[0, 1e999999999]",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exponents within"));
}

#[test]
fn a_search_that_runs_out_of_time_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // An identity in `exp` (which the trigonometric identities do not expand): never proved
    // by intervals, never refuted.
    let path = write(
        dir.path(),
        "theorem hard (a b c : ℝ) : Real.exp (a + b + c) = Real.exp a * Real.exp (b + c) := by sorry\n",
    );
    let v = check(
        &path,
        "hard",
        &["--time-limit", "1", "--max-boxes", "100000000"],
        6,
    );
    assert_eq!(v["verdict"], "consistent", "{v}");
    assert_eq!(v["budget"], "time", "{v}");
}

#[test]
fn definitions_that_double_at_each_level_stop_with_a_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("def f0 (x : ℝ) : ℝ := x * x + x\n");
    for k in 1..40 {
        text.push_str(&format!(
            "def f{k} (x : ℝ) : ℝ := f{} (f{} x)\n",
            k - 1,
            k - 1
        ));
    }
    text.push_str("theorem huge (x : ℝ) : 0 ≤ f39 x ^ 2 := by sorry\n");
    let path = write(dir.path(), &text);
    let v = check(&path, "huge", &[], 4);
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("unfolds to more than"),
        "{v}"
    );
}
