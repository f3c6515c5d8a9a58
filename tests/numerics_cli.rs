//! `theorist numerics eval` through the real binary.

use predicates::prelude::*;
use serde_json::Value;

mod support;

fn eval(args: &[&str]) -> assert_cmd::assert::Assert {
    support::theorist()
        .args(["numerics", "eval"])
        .args(args)
        .assert()
}

fn json(args: &[&str]) -> Value {
    let out = support::theorist()
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
        .stderr(predicate::str::contains("column 5: unexpected `*`"))
        .stderr(predicate::str::contains("    ^"));
    eval(&["1 / (x - 1)", "-p", "x=[0.5, 2]"])
        .code(2)
        .stderr(predicate::str::contains(
            "division by an interval that contains 0",
        ));
    // `Real.log x = Real.log |x|`, but near 0 it is unbounded: no enclosure.
    eval(&["Real.log x", "-p", "x=[-1, 1]"])
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
    eval(&["x # y", "-p", "x=1", "-p", "y=2"])
        .code(2)
        .stderr(predicate::str::contains("column 3: unexpected `#`"));
}

#[test]
fn numerals_are_typed_as_lean_types_them() {
    // `7 / 2` is natural-number division; `(7 / 2 : ℝ)` is real.
    let v = json(&["7 / 2"]);
    assert_eq!(v["type"], "ℕ");
    assert_eq!(v["lower"], v["upper"]);
    assert!(v["lower"].as_str().unwrap().starts_with("3"), "{v}");
    let v = json(&["(7 / 2 : ℝ)"]);
    assert_eq!(v["type"], "ℝ");
    assert!(v["lower"].as_str().unwrap().starts_with("3.5"), "{v}");
    // Lean's junk values: √ of a negative is 0, x / 0 = 0.
    let v = json(&["Real.sqrt (-4) + (1 : ℝ) / 0"]);
    assert!(v["lower"].as_str().unwrap().starts_with('0'), "{v}");
    // x ^ y with a real y is `Real.rpow`.
    let v = json(&["x ^ y", "-p", "x=4", "-p", "y=0.5"]);
    assert!(
        v["lower"].as_str().unwrap().starts_with("1.99")
            || v["lower"].as_str().unwrap().starts_with("2"),
        "{v}"
    );
}

#[test]
fn enclosures_are_never_nan_or_inverted() {
    for args in [
        vec!["max x (x * 0)", "-p", "x=[0, 1]"],
        vec!["min (x - x) 1", "-p", "x=[-1, 1]"],
        vec!["Real.sin (Real.exp 1e10)"],
        vec!["x ^ 1000000", "-p", "x=[0, 2]"],
    ] {
        let v = json(&args);
        let lo = v["lower"].as_str().unwrap();
        let hi = v["upper"].as_str().unwrap();
        assert!(
            !lo.contains("NaN") && !hi.contains("NaN") && !lo.contains("nan"),
            "{args:?}: {v}"
        );
        let (l, h): (f64, f64) = (lo.parse().unwrap(), hi.parse().unwrap());
        assert!(l <= h, "{args:?}: {v}");
    }
}
