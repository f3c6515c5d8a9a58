//! The certified content of a plot: the partition of each plotted axis into exact cells, each
//! side's enclosure over every cell (the checker's evaluator, outward-rounded), each cell's
//! decision (the checker's three-valued truth over the cell), and the reported points.

use std::collections::BTreeMap;

use rug::{Integer, Rational};

use super::{Axis, Cell, Decision, Fixed, Line, Map, Marker, MarkerKind, Side};
use crate::check::{CheckConfig, Clock, Verdict, rational_interval, truth_in};
use crate::core::{Expr, Prop, Rel};
use crate::eval::{Params, Tv, eval};
use crate::interval::Interval;
use crate::statement::Statement;

/// At most this many comparisons of a conclusion are drawn (two bands each).
const MAX_COMPARISONS: usize = 3;

/// The comparisons of the conclusion (right of the leading hypotheses), outside quantifiers.
pub(super) fn comparisons(s: &Statement) -> Vec<(Rel, &Expr, &Expr)> {
    fn walk<'a>(p: &'a Prop, out: &mut Vec<(Rel, &'a Expr, &'a Expr)>) {
        match p {
            Prop::Cmp(r, a, b) => out.push((*r, a, b)),
            Prop::Not(a) => walk(a, out),
            Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Prop::Const(_) | Prop::Forall(..) | Prop::Exists(..) => {}
        }
    }
    let mut p = &s.claim;
    for _ in &s.hypotheses {
        let Prop::Imp(_, rest) = p else { break };
        p = rest;
    }
    let mut out = Vec::new();
    walk(p, &mut out);
    out.truncate(MAX_COMPARISONS);
    out
}

/// The axis cut into `n` cells with exact rational edges; an integral axis into runs of
/// integers (one integer a cell when there are at most `n`).
pub(super) fn partition(axis: &Axis, n: usize) -> Vec<(Rational, Rational)> {
    let (lo, hi) = (&axis.lo, &axis.hi);
    if axis.integral {
        // `lo`, `hi` are integers (the box snaps integral variables): runs of about
        // `count / runs` integers, `[edge(k), edge(k + 1) - 1]`.
        let count = Integer::from(hi.numer() - lo.numer()) + 1u32;
        let runs = count.to_usize().map_or(n, |c| c.min(n)).max(1);
        let edge = |k: usize| -> Rational {
            let offset = Integer::from(&count * (k as u64)) / (runs as u64);
            lo + Rational::from(offset)
        };
        return (0..runs).map(|k| (edge(k), edge(k + 1) - 1u32)).collect();
    }
    if lo == hi {
        return vec![(lo.clone(), hi.clone())];
    }
    let width = Rational::from(hi - lo);
    let edge = |k: usize| -> Rational {
        if k == n {
            hi.clone()
        } else {
            lo + &width * Rational::from((k, n))
        }
    };
    (0..n).map(|k| (edge(k), edge(k + 1))).collect()
}

/// The held variables as enclosures.
fn held_env(fixed: &[Fixed], prec: u32) -> Params {
    fixed
        .iter()
        .map(|f| (f.name.clone(), rational_interval(&f.lo, &f.hi, prec)))
        .collect()
}

/// Whether the claim holds on all of the box `env`.
fn decide(s: &Statement, env: &Params, prec: u32, clock: &Clock) -> Decision {
    match truth_in(&s.claim, env, prec, true, clock) {
        Tv::True => {
            let hyps = crate::minimiser::hypotheses(s)
                .into_iter()
                .fold(Tv::True, |acc, h| {
                    acc.and(truth_in(h, env, prec, false, clock))
                });
            if hyps == Tv::False {
                Decision::Vacuous
            } else {
                Decision::Holds
            }
        }
        Tv::False => Decision::Fails,
        Tv::Unknown => Decision::Undecided,
    }
}

/// A one-variable plot of a claim.
pub(super) fn line(
    s: &Statement,
    axis: &Axis,
    fixed: &[Fixed],
    verdict: &Verdict,
    n: usize,
    check: &CheckConfig,
    clock: &Clock,
) -> Line {
    let prec = check.prec;
    let held = held_env(fixed, prec);
    let comparisons = comparisons(s);
    let numbered = comparisons.len() > 1;
    let mut sides: Vec<Side> = comparisons
        .iter()
        .enumerate()
        .flat_map(|(i, (rel, a, b))| {
            let tag = if numbered {
                format!(" ({})", i + 1)
            } else {
                String::new()
            };
            [
                side(a, format!("left of {}{tag}", rel.symbol()), axis),
                side(b, format!("right of {}{tag}", rel.symbol()), axis),
            ]
        })
        .collect();
    let mut cells = Vec::new();
    for (lo, hi) in partition(axis, n) {
        let mut env = held.clone();
        env.insert(axis.name.clone(), rational_interval(&lo, &hi, prec));
        for side in &mut sides {
            side.bands.push(eval(&side.expr, &env, prec).ok());
        }
        cells.push(Cell {
            decision: Some(decide(s, &env, prec, clock)),
            lo,
            hi,
        });
    }
    let markers = line_markers(s, axis, fixed, verdict, &sides, prec);
    Line {
        axis: axis.clone(),
        cells,
        sides,
        markers,
    }
}

fn side(e: &Expr, role: String, axis: &Axis) -> Side {
    Side {
        label: e.to_string(),
        role,
        expr: e.clone(),
        bands: Vec::new(),
        constant: !e.mentions(&axis.name),
    }
}

/// A one-variable plot of an expression.
pub(super) fn expression_line(
    expr: &Expr,
    text: &str,
    axis: Axis,
    fixed: &[Fixed],
    n: usize,
    prec: u32,
) -> Line {
    let held = held_env(fixed, prec);
    let mut value = Side {
        label: text.to_string(),
        role: "value".into(),
        expr: expr.clone(),
        bands: Vec::new(),
        constant: !expr.mentions(&axis.name),
    };
    let mut cells = Vec::new();
    for (lo, hi) in partition(&axis, n) {
        let mut env = held.clone();
        env.insert(axis.name.clone(), rational_interval(&lo, &hi, prec));
        value.bands.push(eval(expr, &env, prec).ok());
        cells.push(Cell {
            lo,
            hi,
            decision: None,
        });
    }
    Line {
        axis,
        cells,
        sides: vec![value],
        markers: Vec::new(),
    }
}

/// A two-variable map of a claim.
#[allow(clippy::too_many_arguments)]
pub(super) fn map(
    s: &Statement,
    x: &Axis,
    y: &Axis,
    fixed: &[Fixed],
    verdict: &Verdict,
    n: usize,
    check: &CheckConfig,
    clock: &Clock,
) -> Map {
    let prec = check.prec;
    let held = held_env(fixed, prec);
    let x_cells = partition(x, n);
    let y_cells = partition(y, n);
    let mut decisions = Vec::with_capacity(x_cells.len() * y_cells.len());
    for (ylo, yhi) in &y_cells {
        for (xlo, xhi) in &x_cells {
            let mut env = held.clone();
            env.insert(x.name.clone(), rational_interval(xlo, xhi, prec));
            env.insert(y.name.clone(), rational_interval(ylo, yhi, prec));
            decisions.push(decide(s, &env, prec, clock));
        }
    }
    let markers = reported_points(verdict)
        .into_iter()
        .filter_map(|(kind, point, label)| {
            let (px, py) = (point.get(&x.name)?, point.get(&y.name)?);
            Some(Marker {
                kind,
                x: rational_interval(px, px, prec),
                y: Some(rational_interval(py, py, prec)),
                values: Vec::new(),
                on_slice: on_slice(fixed, &point, kind),
                label,
            })
        })
        .collect();
    Map {
        x: x.clone(),
        y: y.clone(),
        x_cells,
        y_cells,
        decisions,
        markers,
    }
}

/// The exact points the verdict reports: the counterexample, or where bisection stalled; with
/// their coordinates as reported.
fn reported_points(verdict: &Verdict) -> Vec<(MarkerKind, BTreeMap<String, Rational>, String)> {
    let label = |texts: &BTreeMap<String, String>| {
        texts
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let parse = |texts: &BTreeMap<String, String>, f: fn(&str) -> Option<Rational>| {
        texts
            .iter()
            .map(|(k, v)| Some((k.clone(), f(v)?)))
            .collect::<Option<BTreeMap<_, _>>>()
    };
    match verdict {
        Verdict::Refuted { counterexample, .. } => {
            parse(counterexample, crate::quadratic::counterexample_value)
                .map(|p| vec![(MarkerKind::Counterexample, p, label(counterexample))])
                .unwrap_or_default()
        }
        Verdict::Consistent { stalled_near, .. } => stalled_near
            .iter()
            .filter_map(|st| {
                let p = parse(&st.at, crate::exact::rational_of_decimal)?;
                Some((
                    MarkerKind::Stall,
                    p,
                    format!("{} (approximately)", label(&st.at)),
                ))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether every held variable is held at the point's value (a stall's coordinates are
/// 9-decimal approximations: held values within 10⁻⁹ of them count).
fn on_slice(fixed: &[Fixed], point: &BTreeMap<String, Rational>, kind: MarkerKind) -> bool {
    let tolerance = if kind == MarkerKind::Stall {
        Rational::from((1, 1_000_000_000))
    } else {
        Rational::new()
    };
    fixed.iter().all(|f| {
        point
            .get(&f.name)
            .is_some_and(|q| f.lo == f.hi && Rational::from(q - &f.lo).abs() <= tolerance)
    })
}

/// The reported points on a line: the counterexample and stalls with each side's value
/// there, and each claimed minimiser (maximiser) of a function of the plotted variable with
/// the function's value.
fn line_markers(
    s: &Statement,
    axis: &Axis,
    fixed: &[Fixed],
    verdict: &Verdict,
    sides: &[Side],
    prec: u32,
) -> Vec<Marker> {
    let mut markers: Vec<Marker> = reported_points(verdict)
        .into_iter()
        .filter_map(|(kind, point, label)| {
            let x = point.get(&axis.name)?;
            let env: Params = point
                .iter()
                .map(|(k, v)| (k.clone(), rational_interval(v, v, prec)))
                .collect();
            let values = sides
                .iter()
                .enumerate()
                .filter_map(|(i, side)| Some((Some(i), eval(&side.expr, &env, prec).ok()?)))
                .collect();
            Some(Marker {
                kind,
                x: rational_interval(x, x, prec),
                y: None,
                values,
                on_slice: on_slice(fixed, &point, kind),
                label,
            })
        })
        .collect();
    let held = held_env(fixed, prec);
    for m in s.minimisers.iter().filter(|m| m.y == axis.name) {
        if m.at.mentions(&axis.name) {
            continue;
        }
        let Ok(x0) = eval(&m.at, &held, prec) else {
            continue;
        };
        let mut env = held.clone();
        env.insert(axis.name.clone(), x0.clone());
        let value = eval(&m.f_y, &env, prec).ok();
        // Exact where the held values are points and the claimed point is rational.
        let point: Option<BTreeMap<String, Rational>> = fixed
            .iter()
            .map(|f| (f.lo == f.hi).then(|| (f.name.clone(), f.lo.clone())))
            .collect();
        let at = match point.and_then(|p| crate::exact::eval_exact(&m.at, &p)) {
            Some(q) => format!("= {}", super::exact_text(&q)),
            None => {
                let (lo, hi) = x0.to_decimal(6);
                format!("∈ [{lo}, {hi}]")
            }
        };
        markers.push(Marker {
            kind: if m.max {
                MarkerKind::Maximiser
            } else {
                MarkerKind::Minimiser
            },
            x: x0,
            y: None,
            values: value.map(|v| vec![(None, v)]).unwrap_or_default(),
            on_slice: true,
            label: format!("{} = {} {at}", axis.name, m.at),
        });
    }
    markers
}

/// An enclosure's endpoints as f64, rounded outward (the drawn band never narrower).
pub(super) fn outward_f64(x: &Interval) -> (f64, f64) {
    use rug::float::Round;
    (x.lo.to_f64_round(Round::Down), x.hi.to_f64_round(Round::Up))
}
