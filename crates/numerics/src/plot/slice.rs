//! Which slice of the box a plot shows: the variables plotted (given, the free ones, or the
//! two that move the claim most) and the exact point every other variable is held at (`--at`,
//! else the counterexample, the minimiser report's parameters, where bisection stalled, or a
//! point of the box where the hypotheses hold), each with where its value comes from.

use std::collections::BTreeMap;

use rug::Rational;

use super::{Axis, Fixed, PlotConfig, PlotError, Source};
use crate::check::{CheckConfig, Rng, Verdict, box_of, rational_interval, snap};
use crate::core::{Ty, Var};
use crate::eval::{Params, eval};
use crate::exact::truth_exact;
use crate::minimiser::MinimiserReport;
use crate::statement::Statement;

/// The slice to draw.
pub(super) struct Plan {
    /// One axis (bands) or two (a map), in the statement's order.
    pub axes: Vec<Axis>,
    /// Every other variable, held at a point.
    pub fixed: Vec<Fixed>,
    /// Why these axes, when theorist chose two of more free variables.
    pub chosen: Option<String>,
}

/// The free variables (those `--at` does not hold), after checking the request's names and
/// values against the statement.
pub(super) fn validate(
    s: &Statement,
    check: &CheckConfig,
    config: &PlotConfig,
) -> Result<Vec<String>, PlotError> {
    if s.vars.is_empty() {
        return Err(PlotError::NoVariables {
            decl: s.decl.clone(),
        });
    }
    let names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
    let unknown = |option, name: &str| PlotError::UnknownVariable {
        option,
        name: name.to_string(),
        decl: s.decl.clone(),
        variables: names.clone(),
    };
    for (name, value) in &config.at {
        let var = s
            .vars
            .iter()
            .find(|v| &v.name == name)
            .ok_or_else(|| unknown("--at", name))?;
        if let Some(what) = outside_type(var, value) {
            return Err(PlotError::OutOfType {
                name: name.clone(),
                value: crate::certificate::rational_text(value),
                what,
            });
        }
    }
    for name in &config.over {
        if !names.contains(name) {
            return Err(unknown("--over", name));
        }
        if config.at.contains_key(name) {
            return Err(PlotError::HeldAndPlotted { name: name.clone() });
        }
    }
    let mut over = config.over.clone();
    over.dedup();
    if over.len() != config.over.len() || config.over.len() > 2 {
        return Err(PlotError::Dimension {
            count: config.over.len(),
        });
    }
    let free: Vec<String> = names
        .into_iter()
        .filter(|n| !config.at.contains_key(n))
        .collect();
    if free.is_empty() {
        return Err(PlotError::NothingFree {
            decl: s.decl.clone(),
        });
    }
    if config.cells < 2 || config.grid < 2 {
        return Err(PlotError::TooFewCells {
            what: if config.cells < 2 {
                "a one-variable plot"
            } else {
                "a map"
            },
            min: 2,
        });
    }
    for (name, lo, hi) in box_of(s, check) {
        if lo > hi && free.contains(&name) {
            return Err(PlotError::EmptyRange {
                name,
                lo: crate::certificate::rational_text(&lo),
                hi: crate::certificate::rational_text(&hi),
            });
        }
    }
    Ok(free)
}

/// Why `value` is not a value of `var`'s type, if it is not.
fn outside_type(var: &Var, value: &Rational) -> Option<&'static str> {
    if var.ty.is_integral() && *value.denom() != 1 {
        return Some(if var.ty == Ty::Nat {
            "a natural number"
        } else {
            "an integer"
        });
    }
    if (var.nonneg || var.ty == Ty::Nat) && *value < 0 {
        return Some(if var.nonneg {
            "a norm (never negative)"
        } else {
            "a natural number"
        });
    }
    None
}

pub(super) fn plan(
    s: &Statement,
    check: &CheckConfig,
    verdict: &Verdict,
    minimisers: &[MinimiserReport],
    config: &PlotConfig,
) -> Result<Plan, PlotError> {
    let free = validate(s, check, config)?;
    let bx = box_of(s, check);
    let base = base_point(s, &bx, verdict, minimisers, config, check.seed);
    let (over, chosen) = if !config.over.is_empty() {
        (config.over.clone(), None)
    } else if free.len() <= 2 {
        (free, None)
    } else {
        let two = most_telling(s, &bx, &base, &free, check.prec);
        let why = format!(
            "Plotted over {} and {}: of the {} free variables, the two that move the conclusion's sides most (the width of the enclosure of rhs − lhs as each ranges over its box, the rest held).",
            two[0],
            two[1],
            free.len()
        );
        (two, Some(why))
    };
    let axes = s
        .vars
        .iter()
        .zip(&bx)
        .filter(|(v, _)| over.contains(&v.name))
        .map(|(v, (_, lo, hi))| Axis {
            name: v.name.clone(),
            lo: lo.clone(),
            hi: hi.clone(),
            integral: v.ty.is_integral(),
        })
        .collect();
    let fixed = s
        .vars
        .iter()
        .filter(|v| !over.contains(&v.name))
        .map(|v| {
            let (value, from) = base[&v.name].clone();
            Fixed {
                name: v.name.clone(),
                lo: value.clone(),
                hi: value,
                from,
            }
        })
        .collect();
    Ok(Plan {
        axes,
        fixed,
        chosen,
    })
}

/// Every variable at an exact value: `--at`, then what the check reports, then a point of
/// the box where the hypotheses hold.
fn base_point(
    s: &Statement,
    bx: &[(String, Rational, Rational)],
    verdict: &Verdict,
    minimisers: &[MinimiserReport],
    config: &PlotConfig,
    seed: u64,
) -> BTreeMap<String, (Rational, Source)> {
    let mut base: BTreeMap<String, (Rational, Source)> = config
        .at
        .iter()
        .map(|(k, v)| (k.clone(), (v.clone(), Source::At)))
        .collect();
    let reported: Option<(BTreeMap<String, Rational>, Source)> = match verdict {
        Verdict::Refuted { counterexample, .. } => Some((
            parse_all(counterexample, crate::quadratic::counterexample_value),
            Source::Counterexample,
        )),
        Verdict::Consistent { stalled_near, .. } if !stalled_near.is_empty() => Some((
            parse_all(&stalled_near[0].at, crate::exact::rational_of_decimal),
            Source::Stall,
        )),
        _ => minimisers
            .iter()
            .find_map(|m| m.sample.as_ref())
            .map(|sample| {
                (
                    parse_all(&sample.parameters, crate::certificate::parse_rational),
                    Source::Minimiser,
                )
            }),
    };
    if let Some((point, from)) = reported {
        for v in &s.vars {
            if let Some(q) = point.get(&v.name) {
                base.entry(v.name.clone()).or_insert((q.clone(), from));
            }
        }
    }
    if s.vars.iter().any(|v| !base.contains_key(&v.name)) {
        let (point, all_hold) = hypotheses_point(s, bx, &base, seed);
        let from = if all_hold {
            Source::Hypotheses
        } else {
            Source::BoxPoint
        };
        for (k, v) in point {
            base.entry(k).or_insert((v, from));
        }
    }
    base
}

fn parse_all(
    texts: &BTreeMap<String, String>,
    parse: fn(&str) -> Option<Rational>,
) -> BTreeMap<String, Rational> {
    texts
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), parse(v)?)))
        .collect()
}

/// A point of the box for the variables `held` does not give, where as many hypotheses as
/// possible hold exactly (all of them, said by the flag, if such a point is among the
/// candidates: the box's centre, small values, then random points of the box).
fn hypotheses_point(
    s: &Statement,
    bx: &[(String, Rational, Rational)],
    held: &BTreeMap<String, (Rational, Source)>,
    seed: u64,
) -> (BTreeMap<String, Rational>, bool) {
    let hyps = crate::minimiser::hypotheses(s);
    let mut rng = Rng(seed | 1);
    let nice = [
        Rational::from(1),
        Rational::from((1, 2)),
        Rational::from(2),
        Rational::from(-1),
    ];
    let mut best: Option<(usize, BTreeMap<String, Rational>)> = None;
    for i in 0..256 {
        let point: BTreeMap<String, Rational> = s
            .vars
            .iter()
            .zip(bx)
            .map(|(v, (name, lo, hi))| {
                let value = match held.get(name) {
                    Some((q, _)) => q.clone(),
                    None => {
                        let x = match i {
                            0 => Rational::from(lo + hi) / 2,
                            k if k <= nice.len() => nice[k - 1].clone().clamp(lo, hi),
                            _ => rng.dyadic(lo, hi),
                        };
                        snap(v, x, lo, hi)
                    }
                };
                (name.clone(), value)
            })
            .collect();
        let holding = hyps
            .iter()
            .filter(|h| truth_exact(h, &point) == Some(true))
            .count();
        if holding == hyps.len() {
            return (point, true);
        }
        if best.as_ref().is_none_or(|(n, _)| holding > *n) {
            best = Some((holding, point));
        }
    }
    (best.map(|(_, p)| p).unwrap_or_default(), false)
}

/// The two free variables that move the conclusion's sides most: for each, the width of the
/// enclosure of `rhs − lhs` (summed over the conclusion's comparisons) as it ranges over its
/// box with the others held at `base`; in the statement's order.
fn most_telling(
    s: &Statement,
    bx: &[(String, Rational, Rational)],
    base: &BTreeMap<String, (Rational, Source)>,
    free: &[String],
    prec: u32,
) -> Vec<String> {
    let comparisons = super::cells::comparisons(s);
    let mut scored: Vec<(f64, usize, &String)> = free
        .iter()
        .enumerate()
        .map(|(order, name)| {
            let mut env: Params = base
                .iter()
                .map(|(k, (q, _))| (k.clone(), rational_interval(q, q, prec)))
                .collect();
            if let Some((_, lo, hi)) = bx.iter().find(|(n, _, _)| n == name) {
                env.insert(name.clone(), rational_interval(lo, hi, prec));
            }
            let width: f64 = comparisons
                .iter()
                .map(
                    |(_, a, b)| match (eval(a, &env, prec), eval(b, &env, prec)) {
                        (Ok(x), Ok(y)) => y.sub(&x).width().to_f64(),
                        _ => f64::INFINITY,
                    },
                )
                .sum();
            (if width.is_nan() { 0.0 } else { width }, order, name)
        })
        .collect();
    // Widest first; ties in the statement's order.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut two: Vec<(usize, &String)> = scored.iter().take(2).map(|(_, o, n)| (*o, *n)).collect();
    two.sort();
    two.into_iter().map(|(_, n)| n.clone()).collect()
}
