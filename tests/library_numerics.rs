//! The bundled library (lean/) cross-checked numerically: every theorem goes through
//! `theorist numerics check` and none may be refuted; each theorem has a deliberately false
//! variant of the same name in tests/fixtures/library/FalseVariants/ that must never be proved
//! (and is refuted wherever the statement translates). The statements the front end cannot
//! translate today are listed below with the construct that stops it, so that a new one fails
//! the test, and so does a listed one that translates (take it off the list: it is now checked).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const S: &str = "structure parameters through dot notation (`P.toFun φ`, `P.𝓵`, `S.ω`)";
const SV: &str = "definitions whose value is a structure (`hypercharge : Charges`)";
const AC: &str = "a hypothesis with an anonymous constructor (`accGrav ⟨…⟩ = 0`)";
const EX: &str = "`∃` over a vector type (`∃ φ : HiggsVec, …`)";
const M: &str = "matrices (`boost a * boost b`, `.det`, `.transpose`)";
const IP: &str = "complex inner products and their real and imaginary parts";
const D: &str = "derivatives (`HasDerivAt`)";
const FORALL: &str = "a hypothesis quantified over field values (`∀ Φ₁ Φ₂ : HiggsVec, …`)";
const NESTED: &str = "a `∀` inside `∃` (`∃ ε, 0 < ε ∧ ∀ A B, …`)";

/// Library theorems `theorist numerics check` cannot translate today, and why.
const EXPECTED_UNTRANSLATABLE: &[(&str, &str)] = &[
    ("Theorist.Anomaly.hypercharge_accGrav", SV),
    ("Theorist.Anomaly.hypercharge_accSU2", SV),
    ("Theorist.Anomaly.hypercharge_accSU3", SV),
    ("Theorist.Anomaly.hypercharge_accCube", SV),
    ("Theorist.Anomaly.bMinusL_accGrav", SV),
    ("Theorist.Anomaly.bMinusL_accSU2", SV),
    ("Theorist.Anomaly.bMinusL_accSU3", SV),
    ("Theorist.Anomaly.bMinusL_accCube", SV),
    ("Theorist.Anomaly.hypercharge_sq_bMinusL", SV),
    ("Theorist.Anomaly.hypercharge_bMinusL_sq", SV),
    ("Theorist.Anomaly.linComb_anomalyFree", SV),
    ("Theorist.Anomaly.bMinusLNoNuR_accGrav", SV),
    ("Theorist.Anomaly.bMinusLNoNuR_accCube", SV),
    ("Theorist.Anomaly.bMinusL_neutrino_charge", AC),
    ("Theorist.Higgs.exists_normSq_eq", EX),
    ("Theorist.Higgs.Potential.neg_μ2", S),
    ("Theorist.Higgs.Potential.neg_𝓵", S),
    ("Theorist.Higgs.Potential.toFun_eq_radial", S),
    ("Theorist.Higgs.Potential.toFun_zero", S),
    ("Theorist.Higgs.Potential.neg_toFun", S),
    ("Theorist.Higgs.Potential.radial_complete_square", S),
    ("Theorist.Higgs.Potential.toFun_complete_square", S),
    ("Theorist.Higgs.Potential.bound_of_𝓵_pos", S),
    ("Theorist.Higgs.Potential.bound_of_𝓵_neg", S),
    ("Theorist.Higgs.Potential.isBounded_of_𝓵_pos", S),
    ("Theorist.Higgs.Potential.isBounded_𝓵_nonneg", S),
    ("Theorist.Higgs.Potential.isBounded_of_𝓵_zero", S),
    ("Theorist.Higgs.Potential.not_isBounded_of_𝓵_zero", S),
    ("Theorist.Higgs.Potential.isBounded_iff_of_𝓵_zero", S),
    ("Theorist.Higgs.Potential.isBounded_iff", S),
    ("Theorist.Higgs.Potential.toFun_nonneg_of_μ2_nonpos", S),
    ("Theorist.Higgs.Potential.isMinOn_zero_of_μ2_nonpos", S),
    ("Theorist.Higgs.Potential.minimum_value", S),
    ("Theorist.Higgs.Potential.isMinOn_of_normSq_eq", S),
    ("Theorist.Higgs.Potential.normSq_eq_of_isMinOn", S),
    ("Theorist.Higgs.Potential.isMinOn_iff_field_of_μ2_nonneg", S),
    ("Theorist.Higgs.Potential.isMinOn_iff_field_of_μ2_neg", S),
    ("Theorist.Higgs.Potential.isMinOn_iff_field_of_𝓵_pos", S),
    ("Theorist.Higgs.Potential.isMaxOn_iff_isMinOn_neg", S),
    ("Theorist.Higgs.Potential.isMaxOn_iff_field_of_𝓵_neg", S),
    ("Theorist.Higgs.Potential.vev_sq_of_isMinOn", S),
    ("Theorist.Higgs.Potential.vacuum_ne_zero", S),
    ("Theorist.Higgs.Potential.radialFluctuation_expand", S),
    ("Theorist.Higgs.Potential.radialFluctuation_of_isMinOn", S),
    ("Theorist.Higgs.Potential.massSq_eq", S),
    ("Theorist.Lorentz.boost_mul", M),
    ("Theorist.Lorentz.boost_zero", M),
    ("Theorist.Lorentz.boost_neg_mul", M),
    ("Theorist.Lorentz.boost_det", M),
    ("Theorist.Lorentz.boost_transpose", M),
    ("Theorist.Lorentz.boost_mul_minkowski_mul", M),
    ("Theorist.Oscillator.Oscillator.ω_sq", S),
    ("Theorist.Oscillator.Oscillator.ω_pos", S),
    ("Theorist.Oscillator.Oscillator.k_eq", S),
    ("Theorist.Oscillator.Oscillator.trajectory_zero", S),
    ("Theorist.Oscillator.Oscillator.velocity_zero", S),
    ("Theorist.Oscillator.Oscillator.hasDerivAt_trajectory", D),
    ("Theorist.Oscillator.Oscillator.hasDerivAt_velocity", D),
    ("Theorist.Oscillator.Oscillator.equationOfMotion", S),
    ("Theorist.Oscillator.Oscillator.energy_conservation", S),
    ("Theorist.Oscillator.Oscillator.energy_nonneg", S),
    ("Theorist.Oscillator.Oscillator.trajectory_periodic", S),
    ("Theorist.TwoHDM.quad_coercive", NESTED),
    ("Theorist.TwoHDM.re_inner_self", IP),
    ("Theorist.TwoHDM.im_inner_self", IP),
    ("Theorist.TwoHDM.inner_re_sq_add_im_sq_le", IP),
    ("Theorist.TwoHDM.Potential.quarticTerm_eq", S),
    ("Theorist.TwoHDM.Potential.quarticTerm_of_inner_eq_zero", IP),
    ("Theorist.TwoHDM.Potential.quarticTerm_nonneg", S),
    ("Theorist.TwoHDM.Potential.massTerm_ge", S),
    ("Theorist.TwoHDM.Potential.isStable_of_coercive", FORALL),
    ("Theorist.TwoHDM.Potential.isStable_of_strict", S),
    ("Theorist.TwoHDM.Potential.toFun_zero_right", S),
    ("Theorist.TwoHDM.Potential.toFun_zero_left", S),
    ("Theorist.TwoHDM.Potential.isStable_𝓵₁_nonneg", S),
    ("Theorist.TwoHDM.Potential.isStable_𝓵₂_nonneg", S),
    ("Theorist.TwoHDM.Potential.quarticTerm_I_smul", S),
    ("Theorist.TwoHDM.Potential.counterExample_conditions", S),
    ("Theorist.TwoHDM.Potential.counterExample_toFun", S),
    ("Theorist.TwoHDM.Potential.counterExample_not_isStable", S),
];

fn lean_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            lean_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "lean") {
            out.push(path);
        }
    }
}

/// The theorems of every Lean file under `dir`: (file, full name).
fn theorems(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    lean_files(dir, &mut files);
    files.sort();
    files
        .into_iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            theorist_leansrc::parse(&text)
                .decls
                .into_iter()
                .filter(|d| d.kind.is_theorem_like() && !d.name.contains('@'))
                .map(|d| (file.clone(), d.name))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn verdict(file: &Path, decl: &str) -> Value {
    let out = Command::cargo_bin("theorist")
        .unwrap()
        .args([
            "--json",
            "numerics",
            "check",
            &format!("{}:{decl}", file.display()),
            "--samples",
            "300",
            "--max-boxes",
            "2000",
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{decl}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// Verdicts for all `(file, decl)` pairs, a few checks at a time (each is its own process).
fn verdicts(items: &[(PathBuf, String)]) -> BTreeMap<String, Value> {
    let chunks: Vec<&[(PathBuf, String)]> = items.chunks(items.len().div_ceil(3).max(1)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(f, d)| (d.clone(), verdict(f, d)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

#[test]
fn every_library_theorem_is_checked_and_none_is_refuted() {
    let library = theorems(Path::new("lean"));
    assert!(
        library.len() >= 45,
        "the library should have at least 45 theorems, found {}",
        library.len()
    );
    let expected: BTreeMap<&str, &str> = EXPECTED_UNTRANSLATABLE.iter().copied().collect();
    let names: BTreeSet<&str> = library.iter().map(|(_, d)| d.as_str()).collect();
    for name in expected.keys() {
        assert!(
            names.contains(name),
            "{name} is listed as untranslatable but is no theorem of lean/"
        );
    }
    let mut problems = Vec::new();
    for (decl, v) in verdicts(&library) {
        let verdict = v["verdict"].as_str().unwrap_or("?");
        match (verdict, expected.get(decl.as_str())) {
            ("untranslatable", Some(_)) => {}
            ("untranslatable", None) => problems.push(format!(
                "{decl} became untranslatable ({}): if that is expected, list it in EXPECTED_UNTRANSLATABLE with its reason",
                v["reason"]
            )),
            ("proved" | "proved_on_box" | "consistent", None) => {}
            ("proved" | "proved_on_box" | "consistent", Some(why)) => problems.push(format!(
                "{decl} now translates ({verdict}), though listed as untranslatable ({why}): take it off EXPECTED_UNTRANSLATABLE"
            )),
            _ => problems.push(format!("{decl}: {v}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_theorem_has_a_false_variant_and_none_of_those_is_proved() {
    let short = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
    let library: BTreeSet<String> = theorems(Path::new("lean"))
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let variants = theorems(Path::new("tests/fixtures/library/FalseVariants"));
    let variant_names: BTreeSet<String> = variants.iter().map(|(_, d)| d.clone()).collect();
    assert_eq!(
        library, variant_names,
        "every library theorem needs exactly one false variant of the same name"
    );
    let expected: BTreeSet<&str> = EXPECTED_UNTRANSLATABLE.iter().map(|(n, _)| *n).collect();
    let mut refuted = 0;
    let mut problems = Vec::new();
    for (decl, v) in verdicts(&variants) {
        match v["verdict"].as_str() {
            Some("refuted") => refuted += 1,
            // The true statement is not translated either: nothing to compare yet.
            Some("untranslatable") if expected.contains(decl.as_str()) => {}
            _ => problems.push(format!(
                "false variant {} is not refuted: {v}",
                short(&decl)
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        refuted,
        library.len() - expected.len(),
        "every translatable false variant is refuted"
    );
}
