//! Interval arithmetic throughput at 53, 128, 256 and 1024 bits (one add, mul, div and sqrt per
//! iteration; `scripts/bench-arb` runs the same mix through Arb), the Higgs lower bound
//! -μ⁴/(4λ) evaluated from source text, the bound `V ≥ V_min - ε` with ε = 10⁻⁸·|V_min| proved
//! by branch and bound (target: under 10 ms), the tight bound proved by the completed square,
//! the six anomaly conditions of one Standard-Model generation with ν_R decided exactly
//! (target: all six under 1 ms), the front end reading a whole PhysLean-shaped file, and the
//! `IsMinOn … ↔ …` forms (target: under 10 ms each): the library's seed lemma proved by the
//! completed square with uniqueness, a wrong minimum value refuted at the exactly located
//! minimiser, a double well decided by Sturm sequences, and the PhysLean-shaped minimum over a
//! field's norm (a quadratic in ‖φ x‖²).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use theorist_numerics::{
    CheckConfig, Interval, Interval64, Params, Statement, Tape, Verdict, check, elab_expression,
    eval, parse_param, translate,
};

fn ops(c: &mut Criterion) {
    let mut group = c.benchmark_group("interval_ops");
    group.throughput(Throughput::Elements(4));
    for prec in [53u32, 128, 256, 1024] {
        let a = Interval::from_decimal("1.2345678901234567", prec).unwrap();
        let b = Interval::from_decimal("7.6543210987654321", prec).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(prec), &prec, |bench, _| {
            bench.iter(|| {
                let s = a.add(&b);
                let m = s.mul(&a);
                let d = m.div(&b).unwrap();
                d.sqrt().unwrap()
            })
        });
    }
    group.finish();
    // The same mix written into preallocated intervals (the in-place operations the tape
    // runs; Arb and MPFI are used this way in `scripts/bench-arb`).
    let mut group = c.benchmark_group("interval_ops_in_place");
    group.throughput(Throughput::Elements(4));
    for prec in [53u32, 128, 256, 1024] {
        let a = Interval::from_decimal("1.2345678901234567", prec).unwrap();
        let b = Interval::from_decimal("7.6543210987654321", prec).unwrap();
        let [mut s, mut m, mut d, mut r] = std::array::from_fn(|_| Interval::zero(prec));
        group.bench_with_input(BenchmarkId::from_parameter(prec), &prec, |bench, _| {
            bench.iter(|| {
                s.set_add(black_box(&a), black_box(&b));
                m.set_mul(&s, &a);
                assert!(d.set_div(&m, &b));
                r.set_sqrt_lean(&d);
                r.lo.to_f64()
            })
        });
    }
    group.finish();
}

fn higgs(c: &mut Criterion) {
    let names = ["μSq".to_string(), "𝓵".to_string(), "x".to_string()];
    let expr = elab_expression(
        "-μSq ^ 2 / (4 * 𝓵) + (2 * 𝓵 * x - μSq) ^ 2 / (4 * 𝓵)",
        &names,
    )
    .unwrap();
    let mut params = Params::new();
    for p in ["μSq=7837.52", "𝓵=0.129", "x=[0, 100000]"] {
        let (k, v) = parse_param(p, 128).unwrap();
        params.insert(k, v);
    }
    c.bench_function("higgs_radial_enclosure_128bit", |b| {
        b.iter(|| eval(&expr, &params, 128).unwrap())
    });
    // The same expression compiled once into a tape: MPFR at 128 bits in preallocated
    // registers, and the f64 tier.
    let tape = Tape::expression(&expr, &names).unwrap();
    let inputs: Vec<Interval> = names.iter().map(|n| params[n].clone()).collect();
    let mut ws = tape.mpfr_workspace(128);
    let tree = eval(&expr, &params, 128).unwrap();
    assert_eq!(*tape.eval_mpfr(&mut ws, &inputs).unwrap(), tree);
    c.bench_function("higgs_radial_enclosure_128bit_tape", |b| {
        b.iter(|| {
            tape.eval_mpfr(&mut ws, black_box(&inputs))
                .unwrap()
                .lo
                .to_f64()
        })
    });
    let inputs64: Vec<Interval64> = inputs.iter().map(Interval64::of_interval).collect();
    let mut ws64 = tape.f64_workspace().unwrap();
    let fast = tape.eval_f64(&mut ws64, &inputs64).unwrap();
    eprintln!(
        "higgs radial enclosure: 128-bit {tree} (width {}), f64 tier [{:e}, {:e}] (width {:e})",
        tree.width_decimal(4),
        fast.lo,
        fast.hi,
        fast.hi - fast.lo
    );
    c.bench_function("higgs_radial_enclosure_f64_tier", |b| {
        b.iter(|| tape.eval_f64(&mut ws64, black_box(&inputs64)).unwrap())
    });
}

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
    ops,
    higgs,
    higgs_bound,
    anomalies,
    physlean_file,
    extremum
);
criterion_main!(benches);
