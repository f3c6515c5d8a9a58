//! Refutation at exactly located extrema: rational parameter points are tried (small values
//! first, then the box; integers for `ℕ`/`ℤ` variables), and at each the claimed point of an
//! `IsMinOn`/`IsMaxOn` is put where the claim is most likely wrong — the located minimisers
//! (maximisers), irrational ones in ℚ(√d) (`quadratic`), and the rational solutions of the
//! claim's own equations — then the claim's other equations are solved from there for the other
//! variables (`equations`: `v ^ 2 = 2 * ‖φ‖ ^ 2` at the located `‖φ‖`), and the claim is decided
//! exactly at each such point ([`crate::univariate::truth_at`], or in the field), hypotheses
//! included. A wrong minimum
//! value or minimiser comes out with exact parameters and point. Neighbours: `extremum` calls it
//! last, after the proofs.

use std::collections::BTreeMap;
use std::time::Instant;

use rug::Rational;

use crate::check::{CheckConfig, Rng, Verdict, box_of, snap};
use crate::core::{Expr, Prop, Rel, Ty, Var};
use crate::equations::on_equations;
use crate::extremum::{Extremum, REFUTED_BY, refuted};
use crate::quadratic::{Point, quadratic_roots};
use crate::statement::Statement;
use crate::sturm::Infimum;
use crate::univariate::{bound_of, decide_single, truth_at, upoly_of};

/// Searches rational parameter points (nice values first, then random ones from the box) for a
/// counterexample, putting the claimed point of each extremum exactly where the claim is most
/// likely wrong: at the located minimisers and at the rational solutions of the claim's
/// equations. Every candidate is decided exactly by [`truth_at`]. Stops at the check's time
/// budget (the search then says nothing, and the general engines run).
pub(crate) fn refute(s: &Statement, found: &[Extremum], config: &CheckConfig) -> Option<Verdict> {
    // The real variable the claim's point is (`IsMinOn f S x`): located, not sampled.
    let located = found.iter().find_map(|e| match &e.at {
        Some(Expr::Var(Ty::Real, name))
            if s.vars.iter().any(|v| &v.name == name && v.ty == Ty::Real)
                && !e.f.mentions(name)
                && !e.set.mentions(name)
                && e.y != *name =>
        {
            Some(name.clone())
        }
        _ => None,
    });
    // The box lists the statement's variables in order.
    let bx = box_of(s, config);
    let params: Vec<(usize, &(String, Rational, Rational))> = bx
        .iter()
        .enumerate()
        .filter(|(_, (n, _, _))| Some(n) != located.as_ref())
        .collect();
    if params.iter().any(|(_, (_, lo, hi))| lo > hi) {
        // An integer variable whose box holds no integer.
        return None;
    }
    let nice: Vec<Rational> = [
        (1, 1),
        (2, 1),
        (1, 2),
        (0, 1),
        (-1, 1),
        (3, 1),
        (-2, 1),
        (1, 3),
    ]
    .iter()
    .map(|&(n, d)| Rational::from((n, d)))
    .collect();
    let combinations = nice
        .len()
        .checked_pow(params.len() as u32)
        .unwrap_or(usize::MAX)
        .min(64);
    let budget = config.samples.clamp(1, 160);
    let mut rng = Rng(config.seed | 1);
    let deadline = Instant::now() + config.time_limit;
    let mut irrational_refutation = None;
    for i in 0..budget {
        if Instant::now() >= deadline {
            return irrational_refutation;
        }
        let mut digits = i;
        let point: BTreeMap<String, Rational> = params
            .iter()
            .map(|(k, (n, lo, hi))| {
                let v = if i < combinations {
                    let v = nice[digits % nice.len()].clone().clamp(lo, hi);
                    digits /= nice.len();
                    v
                } else {
                    rng.dyadic(lo, hi)
                };
                // Integer variables take integer values.
                (n.clone(), snap(&s.vars[*k], v, lo, hi))
            })
            .collect();
        let candidates = match &located {
            Some(x) => locate(s, found, x, &point),
            None => vec![Point::rational(&point)],
        };
        for candidate in candidates {
            match refute_near(s, &candidate, located.as_deref()) {
                Some(v) if !irrational(&v) => return Some(v),
                Some(v) => {
                    irrational_refutation.get_or_insert(v);
                }
                None => {}
            }
        }
    }
    // A rational counterexample reads better in Lean: one at an irrational point is kept until
    // the search has found none.
    irrational_refutation
}

fn irrational(v: &Verdict) -> bool {
    matches!(v, Verdict::Refuted { certified_by, .. } if *certified_by == REFUTED_IN_FIELD_BY)
}

/// The claim decided at `candidate` and at the points its equations force from there (each
/// variable but the located one may be solved for): a counterexample, if one of them is.
fn refute_near(s: &Statement, candidate: &Point, located: Option<&str>) -> Option<Verdict> {
    let movable: Vec<Var> = s
        .vars
        .iter()
        .filter(|v| Some(v.name.as_str()) != located && !v.ty.is_integral())
        .cloned()
        .collect();
    let moved = on_equations(&s.claim, candidate, &movable, EQUATION_POINTS);
    std::iter::once(candidate.clone())
        .chain(moved)
        .find(|p| truth(s, p) == Some(false))
        .map(|p| {
            if p.is_irrational() {
                Verdict::Refuted {
                    counterexample: p.texts(),
                    certified_by: REFUTED_IN_FIELD_BY,
                }
            } else {
                refuted(&p.rational_part(), REFUTED_BY)
            }
        })
}

/// Points on the claim's equations decided per located candidate.
const EQUATION_POINTS: usize = 4;

const REFUTED_IN_FIELD_BY: &str = "exact arithmetic in a real quadratic field, the minimum over the set located exactly (Sturm sequences)";

/// The exact truth of the claim at a point: every quantifier decided by Sturm sequences (over the
/// rational coordinates, once irrational subterms close to rational values), then the claim
/// exactly.
fn truth(s: &Statement, p: &Point) -> Option<bool> {
    if !p.is_irrational() {
        return truth_at(&s.claim, &p.rational_part());
    }
    let claim = p.resolve_quantifiers(&s.claim, &mut |q, rational| decide_single(q, rational));
    p.truth_plain(&claim)
}

/// Points that extend `point` by a value of `x`: the minimisers (maximisers) of each extremum
/// whose point is `x` — rational ones, and the irrational critical points where, its rational
/// roots divided out, `f'` leaves a quadratic (exactly, in ℚ(√d)) — and the rational solutions
/// in `x` of the claim's equations.
fn locate(
    s: &Statement,
    found: &[Extremum],
    x: &str,
    point: &BTreeMap<String, Rational>,
) -> Vec<Point> {
    let mut values: Vec<Rational> = Vec::new();
    let mut irrational: Vec<Point> = Vec::new();
    let nonneg = s.vars.iter().any(|v| v.name == x && v.nonneg);
    for e in found {
        if !matches!(&e.at, Some(Expr::Var(_, name)) if name == x) {
            continue;
        }
        if let Some(Infimum::Value { at, .. }) = bound_of(e, point) {
            values.extend(at);
        }
        let critical =
            upoly_of(&e.f, Some(&e.y), point).and_then(|f| quadratic_roots(&f.derivative()));
        if let Some((field, roots)) = critical {
            for root in roots {
                if nonneg && field.sign(&root) == std::cmp::Ordering::Less {
                    continue;
                }
                let mut p = Point::rational(point);
                p.values.insert(x.to_string(), root);
                p.field = Some(field.clone());
                irrational.push(p);
            }
        }
    }
    equation_roots(&s.claim, x, point, &mut values);
    // Where every point is a minimiser (a constant function) or none is (unbounded), the
    // claim's other side decides; a few plain values test it.
    values.extend([0, 1, -1, 2].map(Rational::from));
    // A norm takes only values ≥ 0.
    if nonneg {
        values.retain(|v| *v >= 0);
    }
    values.sort();
    values.dedup();
    values
        .into_iter()
        .map(|v| {
            let mut p = point.clone();
            p.insert(x.to_string(), v);
            Point::rational(&p)
        })
        .chain(irrational)
        .collect()
}

/// The rational roots of every equation `l = r` of `p` outside its quantifiers, as polynomials
/// in `x`.
fn equation_roots(p: &Prop, x: &str, point: &BTreeMap<String, Rational>, out: &mut Vec<Rational>) {
    match p {
        Prop::Cmp(Rel::Eq, l, r) => {
            if let (Some(l), Some(r)) = (upoly_of(l, Some(x), point), upoly_of(r, Some(x), point)) {
                let d = l.sub(&r);
                if d.degree().unwrap_or(0) > 0 {
                    out.extend(crate::sturm::rational_roots(&d));
                }
            }
        }
        Prop::Not(a) => equation_roots(a, x, point, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            equation_roots(a, x, point, out);
            equation_roots(b, x, point, out);
        }
        Prop::Const(_) | Prop::Cmp(..) | Prop::Forall(..) | Prop::Exists(..) => {}
    }
}
