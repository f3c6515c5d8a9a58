//! Reading a Lake project shaped like PhysLean (`tests/fixtures/numerics/project`): imports
//! resolved to the project's files, definitions, notation and structures across files, dot
//! notation, fields used only through their norm, `∃`/`∀` over them, `IsMinOn` over pairs —
//! and what cannot be read is untranslatable with its position, never dropped.

use serde_json::Value;

mod support;

const DIR: &str = "tests/fixtures/numerics/project/Fixture";

fn check(file: &str, decl: &str, code: i32) -> Value {
    let out = support::theorist()
        .args([
            "--json",
            "numerics",
            "check",
            &format!("{DIR}/{file}:Doublet.{decl}"),
        ])
        .args([
            "--samples",
            "300",
            "--max-boxes",
            "2000",
            "--time-limit",
            "10",
        ])
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{decl}: {e}: {}", String::from_utf8_lossy(&out)))
}

fn verdict(decl: &str, code: i32, expected: &str) -> Value {
    let v = check("Potential.lean", decl, code);
    assert_eq!(v["verdict"], expected, "{decl}: {v}");
    v
}

fn norm_reduction(v: &Value) -> String {
    let r = &v["reductions"][0];
    assert_eq!(r["variable"], "‖φ x‖", "{v}");
    r["why"].as_str().unwrap().to_string()
}

#[test]
fn definitions_notation_and_structures_across_files() {
    // `toFun` unfolds through the notation `‖φ‖_D^2` of the imported file.
    let v = verdict("Potential.bound", 0, "proved");
    assert_eq!(
        v["claim"],
        "∀ (P.μ2 P.𝓵 : ℝ) (‖φ x‖ : ℝ (≥ 0)), 0 < P.𝓵 → -P.μ2 ^ 2 / (4 * P.𝓵) ≤ -P.μ2 * ‖φ x‖ ^ 2 + P.𝓵 * ‖φ x‖ ^ 2 * ‖φ x‖ ^ 2"
    );
    assert_eq!(v["algebraic"]["kind"], "completed square", "{v}");
    let why = norm_reduction(&v);
    assert!(why.contains("used only through `‖φ x‖`"), "{why}");
    assert!(why.contains("every value in [0, ∞)"), "{why}");
    // The factor changed: the minimum `-μ2²/(4𝓵)` lies below the claimed bound.
    let v = verdict("Potential.bound_wrong", 1, "refuted");
    assert!(v["counterexample"]["‖φ x‖"].is_string(), "{v}");
    // Dot notation through a structure built with `where`, the zero field, a definition
    // (`discriminant`) that calls another (`toFun`) and Mathlib's `discrim`.
    verdict("Potential.neg_toFun", 0, "proved");
    verdict("Potential.neg_μ2", 0, "proved");
    verdict("Potential.toFun_zero", 0, "proved");
    verdict("Potential.discriminant_nonneg", 0, "proved");
}

#[test]
fn quantifiers_and_minima_over_fields() {
    // `∃ φ x, …` becomes `∃ ‖φ x‖ ≥ 0`, `∃ c, ∀ Φ x, …` keeps its shape, `IsMinOn` over the pair
    // `(φ, x)` becomes a `∀` over the norm, and `φ x = 0` becomes `‖φ x‖ = 0`.
    for (decl, shape, code, verdict) in [
        (
            "Potential.exists_value",
            "(∃ (‖φ x‖ : ℝ (≥ 0)),",
            6,
            "consistent",
        ),
        (
            "Potential.bounded_of_pos",
            "(∃ (c : ℝ), ∀ (‖Φ x‖ : ℝ (≥ 0)),",
            6,
            "consistent",
        ),
        // The minimum over the norm: a quadratic in ‖φ x‖², decided exactly (`extremum`).
        (
            "Potential.isMinOn_iff",
            "((∀ (‖φ✝ x✝‖ : ℝ (≥ 0)),",
            0,
            "proved",
        ),
        ("Potential.zero_iff", "↔ ‖φ x‖ = 0)", 6, "consistent"),
    ] {
        let v = check("Potential.lean", decl, code);
        assert_eq!(v["verdict"], verdict, "{decl}: {v}");
        let claim = v["claim"].as_str().unwrap();
        assert!(claim.contains(shape), "{decl}: {claim}");
        assert!(!v["reductions"].as_array().unwrap().is_empty(), "{v}");
    }
    let v = check("Potential.lean", "Potential.isMinOn_iff", 0);
    assert_eq!(
        v["algebraic"]["identities"][0], "t = y ^ 2 ranges over Set.Ici 0",
        "{v}"
    );
}

#[test]
fn proposition_fields_are_hypotheses() {
    // `m_pos` and `k_pos` are hypotheses; the value of the subtype `hbar` is its number.
    let v = verdict("Oscillator.hbar_div_pos", 0, "proved");
    assert_eq!(
        v["claim"],
        "∀ (S.m S.k : ℝ), 0 < S.m → 0 < S.k → 0 < 1054571817 / 10000000000000000000000000000000000000000000 / S.m"
    );
    let v = check("Potential.lean", "Oscillator.ω_pos", 6);
    assert_eq!(v["verdict"], "consistent", "{v}");
    let v = verdict("Oscillator.ω_wrong", 1, "refuted");
    assert!(
        v["claim"]
            .as_str()
            .unwrap()
            .contains("Real.sqrt (S.k / S.m)")
    );
    let v = check("Field.lean", "hbar_pos", 0);
    assert_eq!(v["verdict"], "proved", "{v}");
}

#[test]
fn what_cannot_be_read_is_untranslatable_with_its_position() {
    // A component of the field is not a function of its norm.
    let v = verdict("component_le", 4, "untranslatable");
    let r = v["reason"].as_str().unwrap();
    assert!(r.contains("Potential.lean:"), "{r}");
    // A proposition field theorist cannot read is never dropped (dropped, `0 < D.γ` would
    // be refuted, although `StrictMono fun t => γ * t` makes it true).
    let v = verdict("Damped.γ_pos", 4, "untranslatable");
    let r = v["reason"].as_str().unwrap();
    assert!(r.contains("γ_mono"), "{r}");
    assert!(r.contains("Potential.lean:121:3"), "{r}");
}

#[test]
fn survey_counts_the_project() {
    let out = support::theorist()
        .args(["--json", "numerics", "survey"])
        .args([
            &format!("{DIR}/Field.lean"),
            &format!("{DIR}/Potential.lean"),
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let decls = v["declarations"].as_array().unwrap();
    let count = |f: &dyn Fn(&Value) -> bool| decls.iter().filter(|d| f(d)).count();
    assert_eq!(count(&|_| true), 18, "{v}");
    assert_eq!(count(&|d| d["scalar"] == true), 18, "{v}");
    assert_eq!(count(&|d| d["status"] == "translated"), 16, "{v}");
}
