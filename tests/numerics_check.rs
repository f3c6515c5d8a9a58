//! `theorist numerics check FILE:Decl` through the real binary on Higgs-potential and
//! anomaly-cancellation statements, true ones and deliberately false variants.

use serde_json::Value;

mod support;

const FILE: &str = "tests/fixtures/numerics/Higgs.lean";

fn check(decl: &str, extra: &[&str], code: i32) -> Value {
    let out = support::theorist()
        .args(["--json", "numerics", "check", &format!("{FILE}:{decl}")])
        .args(extra)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

#[test]
fn false_variants_are_refuted_with_exact_counterexamples() {
    // Dropping `0 < λ` (keeping only λ ≠ 0) breaks the lower bound.
    let v = check("bounded_below_no_hyp", &[], 1);
    assert_eq!(v["verdict"], "refuted");
    assert_eq!(v["certified_by"], "exact rational arithmetic");
    let cx = v["counterexample"].as_object().unwrap();
    assert!(cx.contains_key("μSq") && cx.contains_key("𝓵") && cx.contains_key("x"));
    // The sign of the quartic flipped; ‖φ‖ is a non-negative variable.
    let v = check("potential_nonneg_wrong", &[], 1);
    assert_eq!(v["verdict"], "refuted");
    assert!(v["box"]["‖φ‖"][0] == "0");
    // With μ² < 0 the would-be vacuum has ‖φ‖² < 0.
    assert_eq!(check("vacuum_negative", &[], 1)["verdict"], "refuted");
    // A wrong hypercharge sign breaks the cubic anomaly condition.
    assert_eq!(check("anomaly_wrong", &[], 1)["verdict"], "refuted");
}

#[test]
fn true_statements_are_proved_or_consistent_never_refuted() {
    // Over ‖φ‖² ≥ 0 the minimum sits at max(μ²/(2λ), 0): both of Lean's cases of `max`.
    let v = check("minimum_on_ici", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["algebraic"]["identities"].as_array().unwrap().len(), 2);
    // V(φ) = -μ²‖φ‖² + λ‖φ‖⁴ ≥ 0 for μ² ≤ 0 ≤ λ: each term has a sign, ‖φ‖ ≥ 0.
    let v = check("potential_nonneg", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["algebraic"]["kind"], "sum of non-negative terms");
    assert_eq!(
        v["algebraic"]["identities"][0],
        "𝓵 * ‖φ‖ ^ 4 - μSq * ‖φ‖ ^ 2 = 𝓵 * ‖φ‖ ^ 4 - μSq * ‖φ‖ ^ 2"
    );
    // `1 ≤ x` bounds x below only: bisection proves it on [1, 10], not beyond.
    let v = check("strictly_positive", &["--no-algebraic"], 5);
    assert_eq!(v["verdict"], "proved_on_box");
    assert_eq!(v["method"], "interval branch and bound");
    assert_eq!(v["unconfined"], serde_json::json!(["x"]));
    // With the algebraic path, `1 ≤ x` makes both terms positive.
    let v = check("strictly_positive", &[], 0);
    assert_eq!(v["algebraic"]["kind"], "sum of non-negative terms", "{v}");
    // A constant built from a PDG reference value, decided by interval arithmetic.
    let v = check("vev_bounds", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["method"], "interval arithmetic at the exact point");
    for decl in ["anomaly_cubic", "anomaly_gravitational"] {
        let v = check(decl, &[], 0);
        assert_eq!(v["verdict"], "proved", "{decl}");
        assert_eq!(v["method"], "exact rational arithmetic");
    }
}

#[test]
fn quantifiers_under_iff_are_decided_not_assumed() {
    // The `IsMinOn … ↔ x = μ²/(2λ)` form is proved exactly (tests/numerics_extremum.rs has the
    // details), and the variant without the factor 2 is refuted at the located minimiser.
    let v = check(
        "isMinOn_iff",
        &["--max-boxes", "300", "--samples", "200"],
        0,
    );
    assert_eq!(v["verdict"], "proved", "{v}");
    let v = check("isMinOn_iff_wrong", &["--max-boxes", "2000"], 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
}

#[test]
fn boxes_can_be_narrowed() {
    // On λ ∈ [1, 2], μ² ∈ [0, 1], x ∈ [0, 1] the bound still holds (no counterexample).
    let v = check(
        "bounded_below",
        &[
            "--box",
            "𝓵=[1, 2]",
            "--box",
            "μSq=[0, 1]",
            "--box",
            "x=[0, 1]",
        ],
        0,
    );
    assert_eq!(v["box"]["𝓵"], serde_json::json!(["1", "2"]));
    assert_ne!(v["verdict"], "refuted");
}

#[test]
fn existential_claims_need_a_witness() {
    let v = check("dips_below_zero", &["--box", "x=[0, 100000]"], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["method"], "a witness");
    let witness = v["witness"]["x"].as_str().unwrap();
    let x: f64 = match witness.split_once('/') {
        Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
        None => witness.parse().unwrap(),
    };
    assert!(x >= 0.0 && -7837.52 * x + 0.129 * x * x < 0.0, "{x}");
    // √2 is irrational: no exact witness, but over one real variable the `∃` is decided
    // exactly (Sturm sequences: `x ^ 2 - 2` has a real root).
    let v = check("with_exists", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(
        v["method"],
        "exact rational arithmetic, the quantifiers decided exactly at the point"
    );
    assert_eq!(
        check("exists_under_forall", &[], 6)["verdict"],
        "consistent"
    );
}

#[test]
fn untranslatable_and_bad_input() {
    // A nested `∃` over one real variable is decided exactly, not by a bounded search.
    assert_eq!(
        check(
            "negated_exists",
            &["--max-boxes", "300", "--samples", "100"],
            0
        )["verdict"],
        "proved"
    );
    // A function-valued binder is not modelled: untranslatable, with its position.
    let v = check("function_binder", &[], 4);
    assert_eq!(v["verdict"], "untranslatable");
    assert!(v["reason"].as_str().unwrap().contains("Higgs.lean:"), "{v}");
    let v = check("unknown_name", &[], 4);
    assert_eq!(v["verdict"], "untranslatable");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("Higgs.lean:112:67: unknown identifier `lam`"),
        "{v}"
    );
    let v = check("unparsable", &[], 4);
    assert_eq!(v["verdict"], "untranslatable");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("Higgs.lean:108:38: cannot parse the statement: unexpected `*`"),
        "{v}"
    );
    support::theorist()
        .args([
            "numerics",
            "check",
            &format!("{FILE}:bounded_below"),
            "--box",
            "x=[nan, 1]",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not NAME=[LOW, HIGH]"));
    // Domain errors leave boxes undecided: never a wrong verdict. (x²/x² is 1 except at 0,
    // where Lean says 0/0 = 0: still ≥ 0.)
    for decl in ["divides_by_zero", "log_negative"] {
        let v = check(decl, &["--max-boxes", "300", "--samples", "100"], 6);
        assert_eq!(v["verdict"], "consistent", "{decl}: {v}");
    }
    support::theorist()
        .args(["numerics", "check", &format!("{FILE}:nope")])
        .assert()
        .code(2);
    support::theorist()
        .args(["numerics", "check", FILE])
        .assert()
        .code(2);
    support::theorist()
        .args([
            "numerics",
            "check",
            &format!("{FILE}:bounded_below"),
            "--box",
            "z=[0, 1]",
        ])
        .assert()
        .code(2);
}

#[test]
fn proofs_come_with_certificates_that_an_exact_checker_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.json");
    let v = check(
        "strictly_positive",
        &["--no-algebraic", "--cert-out", cert.to_str().unwrap()],
        5,
    );
    assert_eq!(v["verdict"], "proved_on_box");
    let recheck = |path: &std::path::Path| {
        let out = support::theorist()
            .args(["--json", "numerics", "recheck"])
            .arg(path)
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    let (code, r) = recheck(&cert);
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(r["accepted"], true);
    assert_eq!(r["leaves"], v["boxes"]);

    // The re-check prints the claim and the box it confirms.
    assert_eq!(r["claim"], "∀ (x : ℝ), 1 ≤ x → 0 < x ^ 2 + 1 / x");
    assert_eq!(r["box"][0], serde_json::json!(["x", "1", "10"]));

    // A tampered certificate (a wider box, one leaf for all of it) is rejected: the exact
    // checker does not trust the tree, it re-decides every leaf.
    let mut c: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    c["tree"] = serde_json::json!({"leaf": true});
    c["box"] = serde_json::json!([["x", "-10", "10"]]);
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, c.to_string()).unwrap();
    let (code, r) = recheck(&tampered);
    assert_eq!(code, Some(1));
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("not established on the sub-box"),
        "{r}"
    );

    // A certificate is bound to its statement: pointed at another declaration, it is rejected.
    let mut c: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    c["declaration"] = serde_json::json!("even_quartic");
    let other = dir.path().join("other.json");
    std::fs::write(&other, c.to_string()).unwrap();
    let (code, r) = recheck(&other);
    assert_eq!(code, Some(1), "{r}");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("the certificate is for the claim"),
        "{r}"
    );
}

/// The attained bounds of the Higgs potential: bisection stalls at the minimum, the completed
/// square closes them exactly.
#[test]
fn attained_minima_are_proved_by_completed_squares() {
    let v = check("bounded_below", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    let a = &v["algebraic"];
    assert_eq!(a["kind"], "completed square");
    assert_eq!(a["scope"], "every real point where the hypotheses hold");
    assert_eq!(
        a["identities"][0],
        "𝓵 * x ^ 2 - μSq * x + μSq ^ 2 / (4 * 𝓵) = 𝓵 * (x - μSq / (2 * 𝓵)) ^ 2"
    );
    assert_eq!(
        a["lean_hint"],
        "nlinarith [sq_nonneg (x - μSq / (2 * 𝓵)), mul_nonneg h𝓵.le (sq_nonneg (x - μSq / (2 * 𝓵)))]"
    );
    // The minimum at μ²/(2λ): the bound, stationarity and the second-order condition.
    let v = check("minimum", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["algebraic"]["kind"], "completed square");
    let m = &v["minimisers"][0];
    assert_eq!(m["kind"], "minimiser");
    assert_eq!(m["at"], "μSq / (2 * 𝓵)");
    assert_eq!(m["stationary_exactly"], true);
    assert_eq!(m["second_derivative"], "2 * 𝓵");
    assert_eq!(m["second_derivative_sign"], "positive");
    assert_eq!(m["sample"]["stationary"], true);
    assert_eq!(m["sample"]["second_order"], "positive definite");
    assert!(
        m["sample"]["smallest_eigenvalue_at_least"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    // For μ² ≥ 0 the vacuum μ²/(2λ) is physical and minimal over ‖φ‖² ≥ 0.
    let v = check("vacuum", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["minimisers"][0]["stationary_exactly"], true);
}

fn rational(text: &str) -> f64 {
    match text.split_once('/') {
        Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
        None => text.parse().unwrap(),
    }
}

#[test]
fn a_negative_mass_parameter_is_refuted_at_an_exact_point() {
    let v = check("vacuum_negative", &[], 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    assert_eq!(v["certified_by"], "exact rational arithmetic");
    let cx = &v["counterexample"];
    let (mu, lam) = (
        rational(cx["μSq"].as_str().unwrap()),
        rational(cx["𝓵"].as_str().unwrap()),
    );
    // The hypotheses hold and the would-be vacuum μ²/(2λ) is negative.
    assert!(mu < 0.0 && lam > 0.0 && mu / (2.0 * lam) < 0.0, "{v}");
    assert!(v.get("minimisers").is_none());
}

#[test]
fn the_2hdm_mean_condition_is_refuted_and_the_correct_ones_proved() {
    let file = "tests/fixtures/numerics/TwoHDM.lean";
    let run = |decl: &str, code: i32| -> Value {
        let out = support::theorist()
            .args(["--json", "numerics", "check", &format!("{file}:{decl}")])
            .assert()
            .code(code)
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let v = run("stable_of_mean", 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    assert_eq!(v["certified_by"], "exact rational arithmetic");
    let cx = &v["counterexample"];
    let x = |k: &str| rational(cx[k].as_str().unwrap());
    let (l1, l2, l3, a, b) = (x("l₁"), x("l₂"), x("l₃"), x("a"), x("b"));
    assert!(l1 > 0.0 && l2 > 0.0 && l3 >= -(l1 + l2) / 2.0 && a >= 0.0 && b >= 0.0);
    assert!(
        l1 / 2.0 * a * a + l2 / 2.0 * b * b + l3 * a * b < 0.0,
        "{v}"
    );
    let v = run("stable_of_nonneg", 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(v["algebraic"]["kind"], "sum of non-negative terms");
    // At a parameter point: a completed square inside the region, a counterexample outside.
    let v = run("stable_at_point", 0);
    assert_eq!(v["algebraic"]["kind"], "completed square", "{v}");
    let v = run("stable_at_bad_point", 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    let v = run("edge_square", 0);
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(
        v["algebraic"]["identities"][0],
        "a ^ 2 - 2 * a * b + b ^ 2 = (b - a) ^ 2"
    );
}

#[test]
fn the_six_anomaly_conditions_of_one_generation_are_exact() {
    let file = "tests/fixtures/numerics/Anomaly.lean";
    for decl in [
        "gravitational",
        "cubic",
        "su3_su3_y",
        "su2_su2_y",
        "bl_gravitational",
        "bl_cubic",
    ] {
        let out = support::theorist()
            .args(["--json", "numerics", "check", &format!("{file}:{decl}")])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["verdict"], "proved", "{decl}: {v}");
        assert_eq!(v["method"], "exact rational arithmetic", "{decl}");
    }
}

#[test]
fn even_claims_are_bisected_on_one_half_and_the_rechecker_confirms_the_symmetry() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("even.json");
    let v = check("even_quartic", &["--cert-out", cert.to_str().unwrap()], 5);
    assert_eq!(v["verdict"], "proved_on_box", "{v}");
    assert_eq!(v["method"], "interval branch and bound");
    assert_eq!(v["even"], serde_json::json!(["x"]));
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    assert_eq!(c["box"][0], serde_json::json!(["x", "0", "10"]));
    let recheck = |path: &std::path::Path| {
        let out = support::theorist()
            .args(["--json", "numerics", "recheck"])
            .arg(path)
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    let (code, r) = recheck(&cert);
    assert_eq!(code, Some(0), "{r}");
    // Declaring a claim even that is not: the re-checker decides evenness itself.
    let other = dir.path().join("odd.json");
    check(
        "strictly_positive",
        &[
            "--no-algebraic",
            "--box",
            "x=[0, 4]",
            "--cert-out",
            other.to_str().unwrap(),
        ],
        5,
    );
    let mut c: Value = serde_json::from_str(&std::fs::read_to_string(&other).unwrap()).unwrap();
    c["even"] = serde_json::json!(["x"]);
    std::fs::write(&other, c.to_string()).unwrap();
    let (code, r) = recheck(&other);
    assert_eq!(code, Some(1), "{r}");
    assert!(
        r["reason"].as_str().unwrap().contains("not even in `x`"),
        "{r}"
    );
}

#[test]
fn two_state_ensemble_and_the_higgs_mass_relation() {
    let file = "tests/fixtures/numerics/Physics.lean";
    let run = |decl: &str, extra: &[&str], code: i32| -> Value {
        let out = support::theorist()
            .args(["--json", "numerics", "check", &format!("{file}:{decl}")])
            .args(extra)
            .assert()
            .code(code)
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let small = ["--max-boxes", "500", "--samples", "300"];
    // An identity in exp/cosh: supported, never proved by intervals, never refuted.
    assert_eq!(run("partition_cosh", &small, 6)["verdict"], "consistent");
    let v = run("partition_sinh", &small, 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    assert_eq!(v["certified_by"], "interval arithmetic at the exact point");
    let v = run(
        "probability_bounds",
        &[
            "--box",
            "β=[0, 2]",
            "--box",
            "E₀=[-1, 1]",
            "--box",
            "E₁=[-1, 1]",
        ],
        5,
    );
    assert_eq!(v["verdict"], "proved_on_box", "{v}");
    let v = run("ground_state_likelier", &small, 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    let cx = &v["counterexample"];
    assert!(rational(cx["E₀"].as_str().unwrap()) > rational(cx["E₁"].as_str().unwrap()));
    let v = run("higgs_mass_relation", &[], 0);
    assert_eq!(v["verdict"], "proved", "{v}");
}

#[test]
fn without_the_algebraic_path_the_tight_bound_stalls_where_it_is_attained() {
    // Branch and bound alone on a narrow box around the Higgs minimum: the bound is attained at
    // x = μ²/(2λ) = 1/2, so bisection can only stall there, and says so.
    let v = check(
        "bounded_below",
        &[
            "--no-algebraic",
            "--box",
            "μSq=[1, 1]",
            "--box",
            "𝓵=[1, 1]",
            "--box",
            "x=[0, 1]",
        ],
        6,
    );
    assert_eq!(v["verdict"], "consistent", "{v}");
    assert_eq!(v["budget"], "depth", "{v}");
    let x: f64 = v["stalled_near"][0]["at"]["x"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((x - 0.5).abs() < 1e-6, "{v}");
    // The difference V(x) - V_min vanishes there: the bound is attained.
    let d = v["stalled_near"][0]["difference"].as_f64().unwrap();
    assert!(d.abs() < 1e-12, "{v}");
}
