//! `theorist numerics eval` through the real binary.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn eval(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("theorist")
        .unwrap()
        .args(["numerics", "eval"])
        .args(args)
        .assert()
}

fn json(args: &[&str]) -> Value {
    let out = Command::cargo_bin("theorist")
        .unwrap()
        .args(["--json", "numerics", "eval"])
        .args(args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn bounds_are_outward_decimal_strings() {
    let v = json(&["Real.sqrt 2 * Real.pi", "--prec", "256"]);
    assert_eq!(v["schema"], "theorist.numerics.eval/1");
    let lower = v["lower"].as_str().unwrap();
    let upper = v["upper"].as_str().unwrap();
    // √2·π = 4.44288293815836624701588099006...
    assert!(
        lower.starts_with("4.442882938158366247015880990060"),
        "{lower}"
    );
    assert!(lower < upper);
    let lo: f64 = lower.parse().unwrap();
    let hi: f64 = upper.parse().unwrap();
    assert!(lo <= std::f64::consts::SQRT_2 * std::f64::consts::PI + 1e-15 && hi >= 4.4428829381583);
}

#[test]
fn the_higgs_potential_minimum_with_unicode_parameters() {
    // V_min = -μ⁴/(4λ) for μ² = 7837.52 GeV², λ = 0.129.
    let v = json(&[
        "-μSq ^ 2 / (4 * 𝓵)",
        "--param",
        "μSq=7837.52",
        "--param",
        "𝓵=0.129",
    ]);
    let lo: f64 = v["lower"].as_str().unwrap().parse().unwrap();
    let hi: f64 = v["upper"].as_str().unwrap().parse().unwrap();
    let exact = -(7837.52f64 * 7837.52) / (4.0 * 0.129);
    assert!(
        lo <= exact + 1e-6 && exact - 1e-6 <= hi,
        "[{lo}, {hi}] vs {exact}"
    );
    assert!(hi - lo < 1e-20 * exact.abs());
}

#[test]
fn interval_parameters_give_enclosures_over_the_box() {
    let v = json(&["x ^ 2 - 2 * x", "-p", "x=[0, 3]"]);
    let lo: f64 = v["lower"].as_str().unwrap().parse().unwrap();
    let hi: f64 = v["upper"].as_str().unwrap().parse().unwrap();
    // The true range is [-1, 3]; naive interval arithmetic may widen it but never narrow it.
    assert!(lo <= -1.0 && hi >= 3.0);
}

#[test]
fn bad_input_names_the_column() {
    eval(&["x + * 2", "-p", "x=1"])
        .code(2)
        .stderr(predicate::str::contains("column 5: expected a number"))
        .stderr(predicate::str::contains("    ^"));
    eval(&["1 / (x - 1)", "-p", "x=[0.5, 2]"])
        .code(2)
        .stderr(predicate::str::contains(
            "division by an interval that contains 0",
        ));
    eval(&["Real.log (x - 3)", "-p", "x=1"])
        .code(2)
        .stderr(predicate::str::contains("log of an interval"));
    eval(&["y + 1"])
        .code(2)
        .stderr(predicate::str::contains("unknown identifier `y`"));
    eval(&["x", "-p", "x=nan"])
        .code(2)
        .stderr(predicate::str::contains("not a decimal number"));
    eval(&["x", "-p", "x=1", "-p", "x=2"])
        .code(2)
        .stderr(predicate::str::contains("given twice"));
    eval(&["x ^ y", "-p", "x=1", "-p", "y=2"])
        .code(2)
        .stderr(predicate::str::contains("natural-number literals"));
}
