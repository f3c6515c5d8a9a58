//! Plots of the bundled Higgs lemma `bound_of_𝓵_pos` (lean/Theorist/Higgs/Potential.lean):
//! over ‖φ‖ ∈ [0, 250] with μ² = 7837.52 GeV², λ = 0.129 held (400 cells, two sides' bands and
//! each cell's decision, then the SVG text; target: under 50 ms), the same for its refuted
//! false variant (tests/fixtures/library/FalseVariants/HiggsPotential.lean) held at its
//! counterexample, and that variant's 64 × 64 map over the two variables that matter most.
//! The check itself runs once, outside the timing: what is measured is the picture.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use theorist_numerics::plot::{PlotConfig, parse_at, plot_claim, svg};
use theorist_numerics::{CheckConfig, Statement, Verdict, check, minimisers};

fn statement(file: &str, decl: &str) -> Statement {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = theorist_numerics::load(&path, &text).unwrap();
    theorist_numerics::translate_loaded(&loaded, decl).unwrap()
}

fn plots(c: &mut Criterion) {
    let mut config = CheckConfig::default();
    config.boxes.insert(
        "‖φ‖".into(),
        theorist_numerics::rational_range("[0, 250]").unwrap(),
    );
    let lemma = statement("lean/Theorist/Higgs/Potential.lean", "bound_of_𝓵_pos");
    let verdict = check(&lemma, &config);
    assert!(matches!(verdict, Verdict::Proved { .. }), "{verdict:?}");
    let reports = minimisers(&lemma, &config);
    let line = PlotConfig {
        at: parse_at(&["P.μ2=7837.52,P.𝓵=0.129".into()]).unwrap(),
        ..PlotConfig::default()
    };
    c.bench_function("plot_higgs_bound_line_400_cells_svg", |b| {
        b.iter(|| svg(&plot_claim(&lemma, &config, &verdict, &reports, &line).unwrap()))
    });

    let config = CheckConfig::default();
    let variant = statement(
        "tests/fixtures/library/FalseVariants/HiggsPotential.lean",
        "bound_of_𝓵_neg",
    );
    let refuted = check(&variant, &config);
    assert!(matches!(refuted, Verdict::Refuted { .. }), "{refuted:?}");
    let over_norm = PlotConfig {
        over: vec!["‖φ‖".into()],
        ..PlotConfig::default()
    };
    c.bench_function("plot_refuted_variant_line_400_cells_svg", |b| {
        b.iter(|| svg(&plot_claim(&variant, &config, &refuted, &[], &over_norm).unwrap()))
    });
    let map = PlotConfig::default();
    c.bench_function("plot_refuted_variant_map_64x64_svg", |b| {
        b.iter(|| svg(&plot_claim(&variant, &config, &refuted, &[], &map).unwrap()))
    });
}

criterion_group!(benches, plots);
criterion_main!(benches);
