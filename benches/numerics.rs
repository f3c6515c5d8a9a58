//! Whole checks on real statements: the bound `V ≥ V_min - ε` with ε = 10⁻⁸·|V_min| proved by
//! branch and bound (target: under 10 ms), the tight bound proved by the completed square, the
//! six anomaly conditions of one Standard-Model generation with ν_R decided exactly (target:
//! all six under 1 ms), the front end reading a whole PhysLean-shaped file, and the
//! `IsMinOn … ↔ …` forms (target: under 10 ms each): the library's seed lemma proved by the
//! completed square with uniqueness, a wrong minimum value refuted at the exactly located
//! minimiser, a double well decided by Sturm sequences, and the PhysLean-shaped minimum over a
//! field's norm (a quadratic in ‖φ x‖²). The interval arithmetic itself, side by side with
//! Arb, MPFI and inari, is `crates/numerics/benches/intervals.rs` (`scripts/bench-native`).

use criterion::{Criterion, criterion_group, criterion_main};
use theorist_numerics::{CheckConfig, Statement, Verdict, check, translate};

/// The Standard-Model Higgs potential in x = ‖φ‖² at the PDG point μ² = 7837.52 GeV²,
/// λ = 0.129, on x ∈ [0, 10⁵] GeV² (the minimum sits at x ≈ 30 379).
const HIGGS: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem bound_eps (x : ℝ) (hx : 0 ≤ x) :
    -7837.52 ^ 2 / (4 * 0.129) - 1e-8 * (7837.52 ^ 2 / (4 * 0.129)) ≤ radial 7837.52 0.129 x := by
  sorry
theorem bound_tight (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) : -μSq ^ 2 / (4 * 𝓵) ≤ radial μSq 𝓵 x := by
  sorry
"#;

/// Proved, or (for a box the hypotheses do not bound) proved on the box.
fn proved(s: &Statement, config: &CheckConfig) -> Verdict {
    let v = check(s, config);
    assert!(
        matches!(v, Verdict::Proved { .. } | Verdict::ProvedOnBox { .. }),
        "{}: {v:?}",
        s.decl
    );
    v
}

fn higgs_bound(c: &mut Criterion) {
    let eps = translate(HIGGS, "bound_eps").unwrap();
    let mut config = CheckConfig {
        algebraic: false,
        ..CheckConfig::default()
    };
    config.boxes.insert(
        "x".into(),
        theorist_numerics::rational_range("[0, 100000]").unwrap(),
    );
    if let Verdict::ProvedOnBox { boxes, method, .. } = proved(&eps, &config) {
        eprintln!("higgs bound to ε = 1e-8·|V_min|: {method}, {boxes} sub-boxes");
    }
    c.bench_function("higgs_bound_eps_1e-8_branch_and_bound", |b| {
        b.iter(|| proved(&eps, &config))
    });
    // Before the tape: every sub-box through the tree evaluator at 128 bits.
    let tree = CheckConfig {
        tape: false,
        ..config.clone()
    };
    assert_eq!(check(&eps, &config), check(&eps, &tree));
    c.bench_function("higgs_bound_eps_1e-8_branch_and_bound_tree", |b| {
        b.iter(|| proved(&eps, &tree))
    });
    let tight = translate(HIGGS, "bound_tight").unwrap();
    let config = CheckConfig::default();
    c.bench_function("higgs_bound_tight_completed_square", |b| {
        b.iter(|| proved(&tight, &config))
    });
}

fn anomalies(c: &mut Criterion) {
    let source = include_str!("../tests/fixtures/numerics/Anomaly.lean");
    let names = [
        "gravitational",
        "cubic",
        "su3_su3_y",
        "su2_su2_y",
        "bl_gravitational",
        "bl_cubic",
    ];
    let statements: Vec<Statement> = names
        .iter()
        .map(|n| translate(source, n).unwrap())
        .collect();
    let config = CheckConfig::default();
    c.bench_function("anomaly_six_conditions_exact", |b| {
        b.iter(|| {
            for s in &statements {
                proved(s, &config);
            }
        })
    });
    c.bench_function("anomaly_six_conditions_from_source", |b| {
        b.iter(|| {
            for n in names {
                proved(&translate(source, n).unwrap(), &config);
            }
        })
    });
}

/// The front end on a whole PhysLean-shaped file: load it with its import (the sibling file of
/// the fixture Lake project), then translate every theorem into the typed core.
fn physlean_file(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/numerics/project/Fixture/Potential.lean");
    let text = std::fs::read_to_string(&path).unwrap();
    c.bench_function("physlean_shaped_file_load_and_translate_all", |b| {
        b.iter(|| {
            let loaded = theorist_numerics::load(&path, &text).unwrap();
            let names = theorist_numerics::theorems(&loaded);
            let translated = names
                .iter()
                .filter(|n| theorist_numerics::translate_loaded(&loaded, n).is_ok())
                .count();
            assert_eq!((names.len(), translated), (16, 14));
        })
    });
}

/// Every translatable theorem of the PhysLean-shaped file checked, as `numerics check` on each
/// would: proved algebraically, refuted, decided exactly, and four claims that branch and bound
/// runs to its 20 000-box budget (a square root's strict sign, an `↔` of a field's norm). Before
/// the tiered tape (`…/tree`), every sub-box went through the tree evaluator at 128 bits.
fn physlean_file_check(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/numerics/project/Fixture/Potential.lean");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = theorist_numerics::load(&path, &text).unwrap();
    let statements: Vec<Statement> = theorist_numerics::theorems(&loaded)
        .iter()
        .filter_map(|n| theorist_numerics::translate_loaded(&loaded, n).ok())
        .collect();
    let tape = CheckConfig::default();
    let tree = CheckConfig {
        tape: false,
        ..CheckConfig::default()
    };
    let verdicts = |config: &CheckConfig| -> Vec<Verdict> {
        statements.iter().map(|s| check(s, config)).collect()
    };
    assert_eq!(verdicts(&tape), verdicts(&tree));
    let mut group = c.benchmark_group("physlean_file_check_all");
    group.sample_size(10);
    group.bench_function("tiered", |b| b.iter(|| verdicts(&tape)));
    group.bench_function("tree", |b| b.iter(|| verdicts(&tree)));
    group.finish();
}

/// `IsMinOn (radial μ² λ) (Set.Ici 0) x ↔ …`: the library's statement, and false variants.
const EXTREMUM: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem value_wrong (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ radial μSq 𝓵 x = -μSq ^ 2 / (2 * 𝓵) := by
  sorry
theorem double_well (x : ℝ) :
    IsMinOn (fun y => y ^ 4 - 2 * y ^ 2) Set.univ x ↔ x ^ 2 = 1 := by
  sorry
"#;

fn extremum(c: &mut Criterion) {
    // The seed lemma in the shape the library first stated it (the library now states it over
    // PhysLean's structure, which `physlean_file` above reads).
    let library = include_str!("../tests/fixtures/numerics/Extremum.lean");
    let seed = translate(library, "vacuum_iff").unwrap();
    let config = CheckConfig::default();
    c.bench_function("extremum_seed_iff_proved", |b| {
        b.iter(|| proved(&seed, &config))
    });
    c.bench_function("extremum_seed_iff_from_source", |b| {
        b.iter(|| proved(&translate(library, "vacuum_iff").unwrap(), &config))
    });
    let wrong = translate(EXTREMUM, "value_wrong").unwrap();
    c.bench_function("extremum_wrong_value_refuted", |b| {
        b.iter(|| {
            let v = check(&wrong, &config);
            assert!(matches!(v, Verdict::Refuted { .. }), "{v:?}");
            v
        })
    });
    let well = translate(EXTREMUM, "double_well").unwrap();
    c.bench_function("extremum_double_well_sturm", |b| {
        b.iter(|| proved(&well, &config))
    });
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/numerics/project/Fixture/Potential.lean");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = theorist_numerics::load(&path, &text).unwrap();
    let field = theorist_numerics::translate_loaded(&loaded, "Potential.isMinOn_iff").unwrap();
    c.bench_function("extremum_physlean_field_norm_squared", |b| {
        b.iter(|| proved(&field, &config))
    });
}

criterion_group!(
    benches,
    higgs_bound,
    anomalies,
    physlean_file,
    physlean_file_check,
    extremum
);
criterion_main!(benches);
