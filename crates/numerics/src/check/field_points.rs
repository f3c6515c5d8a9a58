//! Deciding the claim at points the claim's equations force off the rationals (`equations`,
//! `quadratic`): quantified parts closed over the rational coordinates and decided as at any
//! point, then each comparison exactly in ℚ(√d), else by intervals enclosing the exact point.
//! Neighbours: the parent `check` samples and calls [`refute_on_equations`].

use std::collections::BTreeMap;

use rug::Rational;

use super::{CheckConfig, Clock, at_point, connective};
use crate::check::Verdict;
use crate::core::{Prop, Var};
use crate::eval::{Params, Tv, compare, eval_in};
use crate::quadratic::Point;
use crate::statement::Statement;

/// The truth of the claim at a point with coordinates in ℚ(√d) (`quadratic`): each quantified
/// part decided over the rational coordinates once its irrational subterms close to rational
/// values, then the claim exactly in the field, else by intervals enclosing the exact point.
fn at_surd_point(s: &Statement, point: &Point, prec: u32, clock: &Clock) -> (Tv, &'static str) {
    if !point.is_irrational() {
        return at_point(s, &point.rational_part(), prec, clock);
    }
    let mut decided = false;
    let claim = point.resolve_quantifiers(&s.claim, &mut |q, rational| {
        let b = match clock.resolve(q, rational)? {
            Prop::Const(b) => b,
            _ => return None,
        };
        decided = true;
        Some(b)
    });
    let (exactly, by_intervals) = if decided {
        (
            "exact arithmetic in a real quadratic field, the quantifiers decided exactly at the point",
            "interval arithmetic at the exact point (in a real quadratic field), the quantifiers decided exactly there",
        )
    } else {
        (
            "exact arithmetic in a real quadratic field",
            "interval arithmetic at the exact point (in a real quadratic field)",
        )
    };
    let env = crate::quadratic::enclosures(point, prec);
    let mut all_exact = true;
    let truth = surd_truth(&claim, point, &env, prec, &mut all_exact);
    (truth, if all_exact { exactly } else { by_intervals })
}

/// Three-valued truth at a point of ℚ(√d): each comparison exactly where the field allows, else
/// by the intervals `env` enclosing the point (`all_exact` then turns false); quantifiers left
/// are unknown.
fn surd_truth(p: &Prop, point: &Point, env: &Params, prec: u32, all_exact: &mut bool) -> Tv {
    match p {
        Prop::Const(b) => Tv::of(*b),
        Prop::Cmp(r, a, b) => match point.compare(*r, a, b) {
            Some(t) => Tv::of(t),
            None => {
                *all_exact = false;
                match (eval_in(a, env, prec), eval_in(b, env, prec)) {
                    (Ok(x), Ok(y)) => compare(&x, *r, &y),
                    _ => Tv::Unknown,
                }
            }
        },
        _ => connective(p, |q| surd_truth(q, point, env, prec, all_exact)).unwrap_or(Tv::Unknown),
    }
}

/// Points the claim's equations force (`equations`: linear and quadratic ones solved exactly,
/// in ℚ(√d) where the roots are irrational), starting from a sample, each decided exactly: a
/// refutation, and whether its point is irrational.
pub(super) fn refute_on_equations(
    s: &Statement,
    start: &BTreeMap<String, Rational>,
    config: &CheckConfig,
    clock: &Clock,
) -> Option<(Verdict, bool)> {
    let movable: Vec<Var> = s
        .vars
        .iter()
        .filter(|v| !v.ty.is_integral())
        .cloned()
        .collect();
    let points = crate::equations::on_equations(
        &s.claim,
        &Point::rational(start),
        &movable,
        EQUATION_POINTS,
    );
    points.into_iter().find_map(|point| {
        let (truth, by) = at_surd_point(s, &point, config.prec, clock);
        (truth == Tv::False).then(|| {
            let refutation = Verdict::Refuted {
                counterexample: point.texts(),
                certified_by: by,
            };
            (refutation, point.is_irrational())
        })
    })
}

/// Points on the claim's equations decided per equation-solving sample.
const EQUATION_POINTS: usize = 4;
