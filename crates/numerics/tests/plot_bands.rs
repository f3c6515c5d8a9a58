//! The plots of the bundled Higgs lemmas (lean/Theorist/Higgs/Potential.lean) and of their
//! deliberately false variants, over each variable in turn: every band of every side must
//! contain the side's value computed at 1024 bits at the plotted abscissae (every cell's
//! midpoint, and its ends for every tenth cell), every cell shaded "holds" or "fails" must
//! agree with exact rational arithmetic at those points, and a refuted claim's counterexample
//! must be marked at its exact coordinate with each side's value there (an irrational one, in
//! ℚ(√d), at the 256-bit approximation the plot draws it at).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rug::float::Round;
use rug::{Float, Rational};
use theorist_numerics::plot::{Body, Decision, Line, MarkerKind, PlotConfig, plot_claim};
use theorist_numerics::{
    CheckConfig, Interval, Params, Statement, Verdict, check, counterexample_value, eval, load,
    minimisers, theorems, translate_loaded, truth_exact,
};

const PREC: u32 = 1024;

fn exact(q: &Rational) -> Interval {
    Interval {
        lo: Float::with_val_round(PREC, q, Round::Down).0,
        hi: Float::with_val_round(PREC, q, Round::Up).0,
    }
}

/// The translatable theorems of a file, with variables.
fn statements(file: &str) -> Vec<Statement> {
    let path = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
    )
    .join("../..")
    .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = load(&path, &text).unwrap();
    theorems(&loaded)
        .iter()
        .filter_map(|d| translate_loaded(&loaded, d).ok())
        .filter(|s| !s.vars.is_empty())
        .collect()
}

/// The abscissae checked in cell `k` of a line: its midpoint, and its ends every tenth cell.
fn abscissae(line: &Line, k: usize) -> Vec<Rational> {
    let cell = &line.cells[k];
    let mut xs = vec![Rational::from(&cell.lo + &cell.hi) / 2u32];
    if k % 10 == 0 {
        xs.push(cell.lo.clone());
        xs.push(cell.hi.clone());
    }
    if line.axis.integral {
        // Integers only: the cell's integers at its ends.
        xs = vec![cell.lo.clone(), cell.hi.clone()];
    }
    xs
}

struct Tally {
    values: usize,
    decisions: usize,
    counterexamples: usize,
}

/// Checks one line's bands, shading and markers against independent evaluations.
fn check_line(s: &Statement, line: &Line, held: &BTreeMap<String, Rational>, tally: &mut Tally) {
    let name = &line.axis.name;
    for k in 0..line.cells.len() {
        for x in abscissae(line, k) {
            let mut point = held.clone();
            point.insert(name.clone(), x.clone());
            let env: Params = point.iter().map(|(k, v)| (k.clone(), exact(v))).collect();
            for side in &line.sides {
                let Some(band) = &side.bands[k] else {
                    continue;
                };
                let Ok(value) = eval(&side.expr, &env, PREC) else {
                    continue;
                };
                assert!(
                    band.lo <= value.lo && value.hi <= band.hi,
                    "{}: the band of {} over cell {k} of {name} is {band}, but at {name} = {x} the value is {value}",
                    s.decl,
                    side.label
                );
                tally.values += 1;
            }
            match (line.cells[k].decision, truth_exact(&s.claim, &point)) {
                (Some(Decision::Holds | Decision::Vacuous), Some(truth)) => {
                    assert!(truth, "{}: shaded true, false at {point:?}", s.decl);
                    tally.decisions += 1;
                }
                (Some(Decision::Fails), Some(truth)) => {
                    assert!(!truth, "{}: shaded false, true at {point:?}", s.decl);
                    tally.decisions += 1;
                }
                _ => {}
            }
        }
    }
}

/// A small budget: what is tested is the plot of whatever the check returns (a claim with
/// alternating quantifiers runs to its time limit, and so do its cells' nested searches).
fn budget() -> CheckConfig {
    CheckConfig {
        samples: 300,
        max_boxes: 2000,
        time_limit: Duration::from_secs(3),
        ..CheckConfig::default()
    }
}

fn plots_of(file: &str) -> Tally {
    let mut tally = Tally {
        values: 0,
        decisions: 0,
        counterexamples: 0,
    };
    for s in statements(file) {
        let config = budget();
        let verdict = check(&s, &config);
        let reports = match verdict {
            Verdict::Refuted { .. } => Vec::new(),
            _ => minimisers(&s, &config),
        };
        let counterexample: Option<BTreeMap<String, Rational>> = match &verdict {
            Verdict::Refuted { counterexample, .. } => Some(
                counterexample
                    .iter()
                    .map(|(k, v)| (k.clone(), counterexample_value(v).unwrap()))
                    .collect(),
            ),
            _ => None,
        };
        for v in &s.vars {
            let plot = plot_claim(
                &s,
                &config,
                &verdict,
                &reports,
                &PlotConfig {
                    over: vec![v.name.clone()],
                    ..PlotConfig::default()
                },
            )
            .unwrap_or_else(|e| panic!("{}: {e}", s.decl));
            let Body::Line(line) = &plot.body else {
                panic!("{}: one variable plots as a line", s.decl);
            };
            // A variable a hypothesis pins to one value (`x = c`) has a single cell.
            if !v.ty.is_integral() && line.axis.lo != line.axis.hi {
                assert_eq!(line.cells.len(), 400, "{} over {}", s.decl, v.name);
            }
            let held: BTreeMap<String, Rational> = plot
                .fixed
                .iter()
                .map(|f| {
                    assert_eq!(
                        f.lo, f.hi,
                        "{}: a claim's variables are held at points",
                        s.decl
                    );
                    (f.name.clone(), f.lo.clone())
                })
                .collect();
            // A refuted claim's other variables are held at its counterexample, which is
            // marked at its exact coordinate with both sides' values there.
            if let Some(point) = &counterexample {
                for (name, q) in &held {
                    assert_eq!(&point[name], q, "{}: held at the counterexample", s.decl);
                }
                let m = line
                    .markers
                    .iter()
                    .find(|m| m.kind == MarkerKind::Counterexample)
                    .unwrap_or_else(|| panic!("{}: no counterexample marker", s.decl));
                assert!(m.on_slice);
                let x = &point[&v.name];
                assert!(
                    m.x.lo == *x && m.x.hi == *x,
                    "{}: marked at {}",
                    s.decl,
                    m.x
                );
                assert_eq!(m.values.len(), line.sides.len());
                let env: Params = point.iter().map(|(k, v)| (k.clone(), exact(v))).collect();
                for (side, value) in &m.values {
                    let side = &line.sides[side.expect("a side's value")];
                    let truth = eval(&side.expr, &env, PREC).unwrap();
                    assert!(value.lo <= truth.lo && truth.hi <= value.hi);
                }
                tally.counterexamples += 1;
            } else {
                assert!(
                    line.markers
                        .iter()
                        .all(|m| m.kind != MarkerKind::Counterexample),
                    "{}: a counterexample marker without a refutation",
                    s.decl
                );
            }
            check_line(&s, line, &held, &mut tally);
        }
    }
    tally
}

#[test]
fn the_higgs_lemmas_bands_contain_1024_bit_values() {
    let tally = plots_of("lean/Theorist/Higgs/Potential.lean");
    assert!(tally.values > 10_000, "{} values checked", tally.values);
    assert!(
        tally.decisions > 1_000,
        "{} decisions checked",
        tally.decisions
    );
}

#[test]
fn the_false_variants_bands_contain_1024_bit_values_and_mark_the_counterexample() {
    let tally = plots_of("tests/fixtures/library/FalseVariants/HiggsPotential.lean");
    assert!(tally.values > 10_000, "{} values checked", tally.values);
    assert!(
        tally.decisions > 1_000,
        "{} decisions checked",
        tally.decisions
    );
    assert!(
        tally.counterexamples >= 5,
        "{} counterexamples marked",
        tally.counterexamples
    );
}
