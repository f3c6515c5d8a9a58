//! `theorist numerics check` on `IsMinOn`/`IsMaxOn … ↔ …` claims through the real binary: the
//! seed lemma proved exactly with a certificate `numerics recheck` accepts, wrong minimum values
//! and wrong minimisers refuted at exact points (checked here again with independent exact
//! arithmetic), true claims never refuted, false ones never proved, with the edge cases.

use serde_json::Value;

mod support;

const FILE: &str = "tests/fixtures/numerics/Extremum.lean";

fn run(file: &str, decl: &str, extra: &[&str]) -> (i32, Value) {
    let out = support::theorist()
        .args(["--json", "numerics", "check", &format!("{file}:{decl}")])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{decl}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), v)
}

fn check(decl: &str) -> Value {
    // A small search budget: every verdict below comes from the exact path, not from bisection.
    let (code, v) = run(FILE, decl, &["--max-boxes", "300", "--samples", "100"]);
    let expected = if v["verdict"] == "refuted" { 1 } else { 0 };
    assert_eq!(code, expected, "{decl}: {v}");
    v
}

/// `p/q` or `n` as an exact fraction (numerator, denominator).
fn fraction(text: &str) -> (i128, i128) {
    match text.split_once('/') {
        Some((n, d)) => (n.parse().unwrap(), d.parse().unwrap()),
        None => (text.parse().unwrap(), 1),
    }
}

/// The Higgs radial potential `-μ² x + λ x²` over a common denominator, exactly.
fn radial(mu: (i128, i128), lam: (i128, i128), x: (i128, i128)) -> (i128, i128) {
    // -μ x + λ x² = (-μn xn λd xd + λn xn² μd) / (μd λd xd²)
    let den = mu.1 * lam.1 * x.1 * x.1;
    let num = -mu.0 * x.0 * lam.1 * x.1 + lam.0 * x.0 * x.0 * mu.1;
    (num, den)
}

fn same(a: (i128, i128), b: (i128, i128)) -> bool {
    a.0 * b.1 == b.0 * a.1
}

#[test]
fn the_seed_lemma_is_proved_exactly_with_a_certificate() {
    let v = check("vacuum_iff");
    assert_eq!(v["verdict"], "proved", "{v}");
    assert_eq!(
        v["method"],
        "exact extremum argument: completed square, uniqueness from strict convexity"
    );
    let a = &v["algebraic"];
    assert_eq!(
        a["kind"],
        "unique minimiser (completed square, strictly convex)"
    );
    assert_eq!(a["scope"], "every real point where the hypotheses hold");
    assert_eq!(
        a["identities"][0],
        "𝓵 * y ^ 2 - μSq * y + μSq ^ 2 / (4 * 𝓵) = 𝓵 * (y - μSq / (2 * 𝓵)) ^ 2"
    );
    let hint = a["lean_hint"].as_str().unwrap();
    assert!(hint.starts_with("rw [isMinOn_iff]"), "{hint}");
    assert!(
        hint.contains("mul_nonneg h𝓵.le (sq_nonneg (y - μSq / (2 * 𝓵)))"),
        "{hint}"
    );
    // The library's own statement of it, over PhysLean's potential structure and the field's
    // norm, too.
    let (code, v) = run(
        "lean/Theorist/Higgs/Potential.lean",
        "isMinOn_iff_field_of_𝓵_pos",
        &[],
    );
    assert_eq!((code, v["verdict"].as_str()), (0, Some("proved")), "{v}");

    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("seed.json");
    run(FILE, "vacuum_iff", &["--cert-out", cert.to_str().unwrap()]);
    let recheck = |path: &std::path::Path| {
        let out = support::theorist()
            .args(["--json", "numerics", "recheck"])
            .arg(path)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        )
    };
    let (code, r) = recheck(&cert);
    assert_eq!((code, &r["accepted"]), (0, &Value::Bool(true)), "{r}");
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    assert_eq!(c["schema"], "theorist.numerics.extremum-certificate/1");
    assert_eq!(c["proof"]["branches"][0]["minimiser"], "μSq / (2 * 𝓵)");
    // A wrong minimiser, leading coefficient, case or factor, another statement: all rejected.
    for (field, value) in [
        ("minimiser", "μSq / 𝓵"),
        ("leading", "2 * 𝓵"),
        ("case", "lower_end"),
        ("factor", "0"),
    ] {
        let mut bad = c.clone();
        match field {
            "leading" => bad["proof"][field] = Value::String(value.into()),
            _ => bad["proof"]["branches"][0][field] = Value::String(value.into()),
        }
        let path = dir.path().join(format!("bad-{field}.json"));
        std::fs::write(&path, bad.to_string()).unwrap();
        let (code, r) = recheck(&path);
        assert_eq!(
            (code, &r["accepted"]),
            (1, &Value::Bool(false)),
            "{field}: {r}"
        );
    }
    let mut other = c.clone();
    other["declaration"] = Value::String("ExtremumFixture.vacuum_iff_wrong".into());
    let path = dir.path().join("other.json");
    std::fs::write(&path, other.to_string()).unwrap();
    let (code, r) = recheck(&path);
    assert_eq!(code, 1, "{r}");
    // The certificate names the claim it proves: a claim edited since is rejected.
    assert!(
        c["claim"].as_str().unwrap().contains("μSq / (2 * 𝓵)"),
        "{c}"
    );
    let mut edited = c.clone();
    edited["claim"] = Value::String(c["claim"].as_str().unwrap().replace("2 * 𝓵", "𝓵"));
    let path = dir.path().join("edited.json");
    std::fs::write(&path, edited.to_string()).unwrap();
    let (code, r) = recheck(&path);
    assert_eq!(code, 1, "{r}");
    assert!(r["reason"].as_str().unwrap().contains("now reads"), "{r}");
}

#[test]
fn lean_types_are_kept() {
    // An ℕ parameter: refuted at a natural number, never at a fraction.
    let v = check("nat_parameter_wrong");
    let n = fraction(v["counterexample"]["n"].as_str().unwrap());
    assert!(n.1 == 1 && n.0 >= 1, "{v}");
    // Points of ℕ and ℤ are not real points: what is true over ℝ but false in Lean is never
    // proved, and the converse never refuted.
    let (code, v) = run(FILE, "nat_points_not_minimal", &["--max-boxes", "300"]);
    assert_ne!(v["verdict"], "proved", "{v}");
    assert_ne!(code, 0, "{v}");
    let (_, v) = run(FILE, "int_points", &["--max-boxes", "300"]);
    assert_ne!(v["verdict"], "refuted", "{v}");
}

#[test]
fn a_wrong_minimum_value_is_refuted_with_an_exact_witness() {
    let v = check("value_iff_wrong");
    assert_eq!(v["verdict"], "refuted", "{v}");
    assert!(
        v["certified_by"]
            .as_str()
            .unwrap()
            .starts_with("exact rational arithmetic"),
        "{v}"
    );
    let cx = &v["counterexample"];
    let (mu, lam, x) = (
        fraction(cx["μSq"].as_str().unwrap()),
        fraction(cx["𝓵"].as_str().unwrap()),
        fraction(cx["x"].as_str().unwrap()),
    );
    // The hypotheses hold: 0 ≤ μ², 0 < λ, 0 ≤ x.
    assert!(mu.0 >= 0 && lam.0 > 0 && x.0 >= 0, "{v}");
    // x is the minimiser μ²/(2λ) of λ y² - μ² y, so `IsMinOn` holds there…
    assert!(same(x, (mu.0 * lam.1, 2 * mu.1 * lam.0)), "{v}");
    // …but the value there is -μ⁴/(4λ), not the claimed -μ⁴/(2λ) (μ² ≠ 0).
    let value = radial(mu, lam, x);
    assert!(same(value, (-mu.0 * mu.0 * lam.1, 4 * mu.1 * mu.1 * lam.0)));
    assert!(!same(
        value,
        (-mu.0 * mu.0 * lam.1, 2 * mu.1 * mu.1 * lam.0)
    ));
    // The true value form is proved.
    let v = check("value_iff");
    assert_eq!(v["verdict"], "proved", "{v}");
}

#[test]
fn true_claims_are_never_refuted_and_false_ones_never_proved() {
    // (declaration, expected verdict): every true claim here is proved, every false one refuted.
    for (decl, verdict) in [
        ("vacuum_iff", "proved"),
        ("value_iff", "proved"),
        ("symmetric_iff", "proved"),
        ("massless_iff", "proved"),
        ("vacuum_iff_ioi", "proved"),
        ("vacuum_iff_icc", "proved"),
        ("nearest_end", "proved"),
        ("revenue_iff", "proved"),
        ("double_well", "proved"),
        ("quartic_value", "proved"),
        ("cubic_max", "proved"),
        ("minimum_cases", "proved"),
        ("minimum_cases_norm", "proved"),
        ("vacuum_of_isMinOn", "proved"),
        ("norm_never_minimal", "proved"),
        ("norm_minimal", "proved"),
        ("revenue_capped", "proved"),
        ("nat_parameter", "proved"),
        ("value_iff_wrong", "refuted"),
        ("vacuum_iff_wrong", "refuted"),
        ("vacuum_iff_no_sign", "refuted"),
        ("vacuum_iff_weak", "refuted"),
        ("revenue_iff_wrong", "refuted"),
        ("double_well_wrong", "refuted"),
        ("quartic_value_wrong", "refuted"),
        ("cubic_max_unrestricted", "refuted"),
        ("nearest_end_wrong", "refuted"),
        ("minimum_cases_swapped", "refuted"),
        ("minimum_norm_wrong", "refuted"),
        ("vacuum_of_isMinOn_wrong", "refuted"),
        ("revenue_capped_wrong", "refuted"),
        ("nat_parameter_wrong", "refuted"),
    ] {
        let v = check(decl);
        assert_eq!(v["verdict"], verdict, "{decl}: {v}");
    }
}

#[test]
fn edge_cases_and_where_the_minimum_is() {
    // μ² < 0 allowed: the minimum over x ≥ 0 is at 0, so x = μ²/(2λ) < 0 is wrong there.
    let v = check("vacuum_iff_no_sign");
    let cx = &v["counterexample"];
    assert!(fraction(cx["μSq"].as_str().unwrap()).0 < 0, "{v}");
    assert_eq!(cx["x"], "0");
    // λ = 0 allowed: linear, no minimum on x ≥ 0, while Lean's μ²/0 = 0 claims one at 0.
    let v = check("vacuum_iff_weak");
    assert_eq!(v["counterexample"]["𝓵"], "0", "{v}");
    // With μ² ≤ 0 the minimiser is the end of the set.
    let v = check("symmetric_iff");
    assert_eq!(
        v["algebraic"]["kind"],
        "unique minimiser (completed square, strictly convex; at the end of the set nearest the vertex)"
    );
    // `IsMaxOn` does not ask the point to lie in the set: x = 3 beats every value on [-2, 2].
    let v = check("cubic_max_unrestricted");
    assert_eq!(v["counterexample"]["x"], "3", "{v}");
    // A wrong value at the irrational minimisers ±1/√2: the witness is that root, exactly.
    let v = check("quartic_value_wrong");
    let x = v["counterexample"]["x"].as_str().unwrap();
    assert!(x.starts_with("the root of x ^ 2 - 1/2 in ("), "{v}");
    assert_eq!(
        v["certified_by"],
        "exact real-root reasoning (the counterexample is an isolated irrational root)"
    );
    // Numeric coefficients: the infimum and both minimisers are printed.
    let v = check("double_well");
    assert_eq!(
        v["algebraic"]["identities"][0],
        "infimum of y ^ 4 - 2 * y ^ 2 over Set.univ is -1, attained at y = -1, 1"
    );
}

#[test]
fn univariate_certificates_are_rechecked() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("well.json");
    let (code, v) = run(FILE, "double_well", &["--cert-out", cert.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    let c: Value = serde_json::from_str(&std::fs::read_to_string(&cert).unwrap()).unwrap();
    assert_eq!(c["proof"]["method"], "univariate");
    assert_eq!(c["proof"]["bounds"], serde_json::json!(["-1"]));
    let recheck = |path: &std::path::Path| {
        support::theorist()
            .args(["numerics", "recheck"])
            .arg(path)
            .output()
            .unwrap()
    };
    let out = recheck(&cert);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("certificate accepted"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A bound that is not the infimum (too low, too high) is rejected.
    for bound in ["-2", "-1/2"] {
        let mut bad = c.clone();
        bad["proof"]["bounds"] = serde_json::json!([bound]);
        let path = dir.path().join("bad.json");
        std::fs::write(&path, bad.to_string()).unwrap();
        let out = recheck(&path);
        assert_eq!(out.status.code(), Some(1), "{bound}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("is not the infimum"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
