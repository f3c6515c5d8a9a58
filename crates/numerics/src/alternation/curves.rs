//! Curves to infinity along which a polynomial goes to `-∞` while the hypotheses hold: the
//! refutation of "bounded below". A curve is `ys(t) = (t^w₁ d₁, …, t^wₙ dₙ)` with integer weights
//! `w` and a rational direction `d`; along it every polynomial is a polynomial in `t`, computed
//! exactly, and "for all large `t`" is read off its leading coefficient. Weights other than all
//! ones come from hypotheses that bound squares by a product (`re² + im² ≤ ‖Φ₁‖² ‖Φ₂‖²`, what the
//! inner product of two vectors obeys): the bounded variables then grow as fast as the product
//! allows, and directions that meet the bound with equality are tried (the flat directions of a
//! potential often lie there); so are the directions where the polynomial's leading form
//! vanishes (`flat`), along which the next terms decide. Besides "unbounded below", curves refute
//! "coercive": `∃ ε > 0, ε·g ≤ f` where the hypotheses hold.

use std::collections::BTreeMap;

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::check::Rng;
use crate::core::Rel;
use crate::poly::Poly;

/// Where a variable may be.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Domain {
    pub nonneg: bool,
}

/// How many directions of the free variables are tried per weighting (the first is all ones).
pub(super) const BASES: usize = 40;

/// Whether some curve keeps every `h ⋈ 0` true for all large `t` (and the variables in their
/// domains) while `f` goes to `-∞` along it. `true` is a proof that `f` is unbounded below
/// where the hypotheses hold.
pub(crate) fn unbounded_below(domains: &[Domain], hyps: &[(Poly, Rel)], f: &Poly) -> bool {
    if has_negative_power(f) || domains.is_empty() {
        return false;
    }
    let bounds = SquareBound::all(hyps, domains);
    let mut weightings = vec![vec![1i64; domains.len()]];
    if let Some(w) = weights_from(&bounds, domains.len()) {
        if !weightings.contains(&w) {
            weightings.push(w);
        }
    }
    search(domains, &bounds, &weightings, f, &mut |w, d| {
        leading_f64(f, w, d).is_some_and(|(deg, v)| deg > 0 && v < 0.0) && escapes(f, hyps, w, d)
    })
}

/// Whether some curve keeps every `h ⋈ 0` true for all large `t` while `ε·g - f` is eventually
/// positive along it for every `ε > 0` (`f`'s leading coefficient negative, or `g` outgrowing a
/// non-negative `f`): then no `ε > 0` has `ε·g ≤ f` wherever the hypotheses hold. Curves to the
/// origin (weights `-1`) are tried too, where `f` may vanish faster than `g`.
pub(crate) fn not_coercive(domains: &[Domain], hyps: &[(Poly, Rel)], f: &Poly, g: &Poly) -> bool {
    if has_negative_power(f) || has_negative_power(g) || domains.is_empty() {
        return false;
    }
    let bounds = SquareBound::all(hyps, domains);
    let n = domains.len();
    let mut weightings = vec![vec![1i64; n], vec![-1i64; n]];
    if let Some(w) = weights_from(&bounds, n) {
        if !weightings.contains(&w) {
            weightings.push(w);
        }
    }
    search(domains, &bounds, &weightings, f, &mut |w, d| {
        outgrown(f, g, w, d) && hyps.iter().all(|(h, rel)| eventually(h, *rel, w, d))
    })
}

fn has_negative_power(p: &Poly) -> bool {
    p.terms().any(|(e, _)| e.iter().any(|k| *k < 0))
}

/// Tries curves until `test` accepts one: per weighting, seeded directions with the bounded
/// variables placed on their bounds, then the directions where `shape`'s leading form vanishes
/// (`flat`).
fn search(
    domains: &[Domain],
    bounds: &[SquareBound],
    weightings: &[Vec<i64>],
    shape: &Poly,
    test: &mut dyn FnMut(&[i64], &[Rational]) -> bool,
) -> bool {
    // Seeded, so that every run tries the same curves.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let in_domain = |d: &[Rational]| d.iter().zip(domains).all(|(x, dom)| !dom.nonneg || *x >= 0);
    for w in weightings {
        for k in 0..BASES {
            let base = base_direction(k, domains, &mut rng);
            for choice in 0..PLACEMENTS {
                let Some(d) = place_bounded(base.clone(), bounds, w, choice, &mut rng) else {
                    continue;
                };
                if in_domain(&d) && test(w, &d) {
                    return true;
                }
                if bounds.is_empty() {
                    break;
                }
            }
        }
        for d in super::flat::directions(domains, bounds, w, shape, &mut rng) {
            if in_domain(&d) && test(w, &d) {
                return true;
            }
        }
    }
    false
}

/// Whether `ε·g - f` along the curve has a positive leading coefficient for every `ε > 0`.
fn outgrown(f: &Poly, g: &Poly, w: &[i64], d: &[Rational]) -> bool {
    let (lf, lg) = (leading(f, w, d), leading(g, w, d));
    let g_wins =
        |df: Option<i64>| matches!(&lg, Some((dg, c)) if *c > 0 && df.is_none_or(|df| *dg > df));
    match &lf {
        None => g_wins(None),
        Some((df, c)) if *c < 0 => match &lg {
            None => true,
            Some((dg, cg)) => *dg < *df || (*dg == *df && *cg >= 0) || *cg > 0,
        },
        Some((df, _)) => g_wins(Some(*df)),
    }
}

/// The exact test along one curve.
fn escapes(f: &Poly, hyps: &[(Poly, Rel)], w: &[i64], d: &[Rational]) -> bool {
    let Some((deg, lead)) = leading(f, w, d) else {
        return false;
    };
    if deg <= 0 || lead >= 0 {
        return false;
    }
    hyps.iter().all(|(h, rel)| eventually(h, *rel, w, d))
}

/// Whether `h(ys(t)) ⋈ 0` for all large `t`.
fn eventually(h: &Poly, rel: Rel, w: &[i64], d: &[Rational]) -> bool {
    if h.terms().any(|(e, _)| e.iter().any(|k| *k < 0)) {
        return false;
    }
    match leading(h, w, d) {
        // Identically zero along the curve.
        None => matches!(rel, Rel::Le | Rel::Ge | Rel::Eq),
        Some((_, lead)) => match rel {
            Rel::Le | Rel::Lt => lead < 0,
            Rel::Ge | Rel::Gt => lead > 0,
            Rel::Ne => true,
            Rel::Eq => false,
        },
    }
}

/// `p(ys(t))` grouped by powers of `t`: the highest power with a non-zero coefficient, exactly.
fn leading(p: &Poly, w: &[i64], d: &[Rational]) -> Option<(i64, Rational)> {
    let mut by_degree: BTreeMap<i64, Rational> = BTreeMap::new();
    for (exps, c) in p.terms() {
        let mut v = c.clone();
        let mut deg = 0i64;
        for ((e, wi), di) in exps.iter().zip(w).zip(d) {
            if *e != 0 {
                deg += wi * i64::from(*e);
                v *= Rational::from(di.pow(*e));
            }
        }
        *by_degree.entry(deg).or_default() += v;
    }
    by_degree.into_iter().rev().find(|(_, v)| *v != 0)
}

/// The same in floating point, as a cheap screen (a coefficient within rounding of zero counts as
/// zero, so the exact test decides every close call).
fn leading_f64(p: &Poly, w: &[i64], d: &[Rational]) -> Option<(i64, f64)> {
    let df: Vec<f64> = d.iter().map(Rational::to_f64).collect();
    let mut by_degree: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for (exps, c) in p.terms() {
        let mut v = c.to_f64();
        let mut deg = 0i64;
        for ((e, wi), di) in exps.iter().zip(w).zip(&df) {
            if *e != 0 {
                deg += wi * i64::from(*e);
                v *= di.powi(*e);
            }
        }
        let slot = by_degree.entry(deg).or_default();
        slot.0 += v;
        slot.1 += v.abs();
    }
    by_degree
        .into_iter()
        .rev()
        .find(|(_, (v, scale))| v.abs() > 1e-9 * scale)
        .map(|(deg, (v, _))| (deg, v))
}

/// A hypothesis `Σ cᵢ yᵢ^kᵢ ≤ P` (`cᵢ > 0`; `kᵢ = 2`, or `kᵢ = 1` for a variable `≥ 0`, such as
/// the square of a variable that occurs only squared; `P` free of those `yᵢ`): the variables it
/// bounds.
pub(super) struct SquareBound {
    /// `(i, kᵢ, cᵢ)` for each bounded variable.
    pub(super) bounded: Vec<(usize, u32, Rational)>,
    /// `P`'s terms.
    pub(super) bound: Poly,
}

impl SquareBound {
    fn all(hyps: &[(Poly, Rel)], domains: &[Domain]) -> Vec<SquareBound> {
        hyps.iter()
            .filter_map(|h| SquareBound::of(h, domains))
            .collect()
    }

    pub(super) fn of((h, rel): &(Poly, Rel), domains: &[Domain]) -> Option<SquareBound> {
        // `h ⋈ 0` with `h = a - b`: `Σ c y^k - P ≤ 0`, or the same negated with `≥`.
        let h = match rel {
            Rel::Le | Rel::Lt => h.clone(),
            Rel::Ge | Rel::Gt => h.neg(),
            _ => return None,
        };
        let mut bounded = Vec::new();
        let mut bound = Poly::zero(h.n());
        for (exps, q) in h.terms() {
            let nonzero: Vec<usize> = (0..exps.len()).filter(|&i| exps[i] != 0).collect();
            if let [i] = nonzero[..] {
                let power_ok = exps[i] == 2 || (exps[i] == 1 && domains[i].nonneg);
                if power_ok && *q > 0 && bounded.iter().all(|(j, _, _)| *j != i) {
                    bounded.push((i, exps[i] as u32, q.clone()));
                    continue;
                }
            }
            bound = bound.sub(&Poly::term(exps.clone(), q.clone()));
        }
        let free_of_bounded = bound
            .terms()
            .all(|(e, _)| bounded.iter().all(|(i, _, _)| e[*i] == 0));
        (!bounded.is_empty() && free_of_bounded).then_some(SquareBound { bounded, bound })
    }
}

/// Weights under which each bound is homogeneous: a bounded `yᵢ^kᵢ` gets the bound's degree
/// (every other variable of weight 2, so that the degree is even).
fn weights_from(bounds: &[SquareBound], n: usize) -> Option<Vec<i64>> {
    let mut w = vec![2i64; n];
    for b in bounds {
        let degree = b
            .bound
            .terms()
            .map(|(e, _)| e.iter().map(|k| 2 * i64::from(*k)).sum::<i64>())
            .max()?;
        for (i, k, _) in &b.bounded {
            w[*i] = degree / i64::from(*k);
        }
    }
    (!bounds.is_empty()).then_some(w)
}

/// The `k`-th direction of the variables: all ones first, then seeded choices of small
/// rationals (non-negative where the domain is).
pub(super) fn base_direction(k: usize, domains: &[Domain], rng: &mut Rng) -> Vec<Rational> {
    const SIGNED: [(i32, i32); 8] = [
        (0, 1),
        (1, 1),
        (-1, 1),
        (2, 1),
        (-2, 1),
        (1, 2),
        (-1, 2),
        (3, 1),
    ];
    const NONNEG: [(i32, i32); 5] = [(0, 1), (1, 1), (2, 1), (1, 2), (3, 1)];
    domains
        .iter()
        .map(|dom| {
            if k == 0 {
                Rational::from(1)
            } else if dom.nonneg {
                Rational::from(NONNEG[rng.below(NONNEG.len())])
            } else {
                Rational::from(SIGNED[rng.below(SIGNED.len())])
            }
        })
        .collect()
}

/// Placements of a bounded group per base direction: three radii (0, half and all of the
/// bound) times sixteen points of the unit sphere of its variables.
const PLACEMENTS: usize = 48;

/// The base direction with each bound's variables placed: for the only bound, the `choice`-th
/// placement (so every one is tried); for several, seeded ones. A placement puts the share
/// `r² uᵢ²` of the bound's leading part on `cᵢ yᵢ^kᵢ` (`r` the radius, `u` the sphere point); a
/// squared variable whose share has no rational root stays 0. `None` when a bound is negative
/// there.
pub(super) fn place_bounded(
    mut d: Vec<Rational>,
    bounds: &[SquareBound],
    w: &[i64],
    choice: usize,
    rng: &mut Rng,
) -> Option<Vec<Rational>> {
    for b in bounds {
        let pick = if bounds.len() == 1 {
            choice
        } else {
            rng.below(PLACEMENTS)
        };
        let value = leading_value(&b.bound, w, &d);
        if value < 0 {
            return None;
        }
        let radius = Rational::from((pick % 3, 2)); // 0, 1/2, 1
        let unit = sphere_point(b.bounded.len(), pick / 3);
        for ((i, k, c), u) in b.bounded.iter().zip(unit) {
            let share = Rational::from(&value / c);
            d[*i] = if *k == 1 {
                share * Rational::from(radius.square_ref()) * Rational::from(u.square_ref())
            } else {
                rational_sqrt(&share).map_or_else(Rational::new, |r| r * &radius * u)
            };
        }
    }
    Some(d)
}

/// The bound's leading part at `d` under the weights `w` (its terms of the largest weighted
/// degree).
fn leading_value(bound: &Poly, w: &[i64], d: &[Rational]) -> Rational {
    let degree = |e: &[i32]| -> i64 { e.iter().zip(w).map(|(k, wi)| wi * i64::from(*k)).sum() };
    let Some(top) = bound.terms().map(|(e, _)| degree(e)).max() else {
        return Rational::new();
    };
    let mut value = Rational::new();
    for (exps, q) in bound.terms().filter(|(e, _)| degree(e) == top) {
        let mut v = q.clone();
        for (e, di) in exps.iter().zip(d) {
            if *e != 0 {
                v *= Rational::from(di.pow(*e));
            }
        }
        value += v;
    }
    value
}

/// The `k`-th of sixteen rational points of the unit sphere in `n` dimensions (the circle's
/// axes and 3-4-5 points with every sign; axes in other dimensions).
fn sphere_point(n: usize, k: usize) -> Vec<Rational> {
    const CIRCLE: [(i32, i32, i32); 4] = [(1, 0, 1), (0, 1, 1), (3, 4, 5), (4, 3, 5)];
    let mut u = vec![Rational::new(); n];
    let sign = |bit: usize| if k & bit == 0 { 1 } else { -1 };
    if n == 2 {
        let (a, b, norm) = CIRCLE[(k / 4) % 4];
        u[0] = Rational::from((sign(1) * a, norm));
        u[1] = Rational::from((sign(2) * b, norm));
    } else if n > 0 {
        u[(k / 2) % n] = Rational::from(sign(1));
    }
    u
}

/// `√q` when it is rational.
fn rational_sqrt(q: &Rational) -> Option<Rational> {
    if *q < 0 {
        return None;
    }
    let root = |z: &Integer| -> Option<Integer> {
        let r = Integer::from(z.sqrt_ref());
        (Integer::from(&r * &r) == *z).then_some(r)
    };
    Some(Rational::from((root(q.numer())?, root(q.denom())?)))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// `Σ (p/q) · Π xᵢ^eᵢ` from `(p, q, exponents)`.
    pub(in crate::alternation) fn poly(terms: &[(i32, i32, &[i32])]) -> Poly {
        let n = terms[0].2.len();
        let mut acc = Poly::zero(n);
        for (p, q, e) in terms {
            acc = acc.add(&Poly::term(e.to_vec(), Rational::from((*p, *q))));
        }
        acc
    }

    #[test]
    fn a_negative_leading_term_escapes() {
        let f = poly(&[(-1, 1, &[2]), (3, 1, &[1])]);
        assert!(unbounded_below(&[Domain { nonneg: true }], &[], &f));
        let g = poly(&[(1, 1, &[4]), (-100, 1, &[2])]);
        assert!(!unbounded_below(&[Domain { nonneg: false }], &[], &g));
    }

    #[test]
    fn the_domain_and_the_hypotheses_are_respected() {
        // `x` escapes on ℝ but not on `x ≥ 0`.
        let f = poly(&[(1, 1, &[1])]);
        assert!(unbounded_below(&[Domain { nonneg: false }], &[], &f));
        assert!(!unbounded_below(&[Domain { nonneg: true }], &[], &f));
        // `x - y` with `x ≥ y` (`y - x ≤ 0`) never escapes.
        let g = poly(&[(1, 1, &[1, 0]), (-1, 1, &[0, 1])]);
        let h = (poly(&[(-1, 1, &[1, 0]), (1, 1, &[0, 1])]), Rel::Le);
        let free = [Domain { nonneg: false }; 2];
        assert!(!unbounded_below(&free, &[h], &g));
    }

    #[test]
    fn flat_directions_on_a_square_bound_are_found() {
        // The two-doublet counterexample: ½a⁴ + ½b⁴ + 2(re² - im²) with re² + im² ≤ a²b²
        // goes to -∞ along b = a, im = a² (Φ₂ = iΦ₁).
        let f = poly(&[
            (1, 2, &[4, 0, 0, 0]),
            (1, 2, &[0, 4, 0, 0]),
            (2, 1, &[0, 0, 2, 0]),
            (-2, 1, &[0, 0, 0, 2]),
        ]);
        let h = (
            poly(&[
                (1, 1, &[0, 0, 2, 0]),
                (1, 1, &[0, 0, 0, 2]),
                (-1, 1, &[2, 2, 0, 0]),
            ]),
            Rel::Le,
        );
        let doms = [
            Domain { nonneg: true },
            Domain { nonneg: true },
            Domain { nonneg: false },
            Domain { nonneg: false },
        ];
        assert!(unbounded_below(&doms, std::slice::from_ref(&h), &f));
        // With λ₅ = 1 the quartic is ½(a² - b²)² + a²b² - ... ≥ 0: bounded, never escapes.
        let g = poly(&[
            (1, 2, &[4, 0, 0, 0]),
            (1, 2, &[0, 4, 0, 0]),
            (1, 1, &[0, 0, 2, 0]),
            (-1, 1, &[0, 0, 0, 2]),
        ]);
        assert!(!unbounded_below(&doms, &[h], &g));
    }

    #[test]
    fn coercivity_fails_where_g_outgrows_f_for_every_epsilon() {
        let x = |k: i32| poly(&[(1, 1, &[k])]);
        let one = [Domain { nonneg: false }];
        // ε x² ≤ x⁴ fails towards 0; ε x² ≤ x² + x⁴ never does.
        assert!(not_coercive(&one, &[], &x(4), &x(2)));
        assert!(!not_coercive(&one, &[], &x(2).add(&x(4)), &x(2)));
        // A falling f beats any ε g, whatever g does.
        assert!(not_coercive(&one, &[], &x(2).neg(), &x(4)));
        // Equal degrees: ε x² ≤ 2 x² holds for ε ≤ 2.
        assert!(!not_coercive(
            &one,
            &[],
            &x(2).scale(&Rational::from(2)),
            &x(2)
        ));
    }

    #[test]
    fn rational_square_roots_are_exact() {
        assert_eq!(
            rational_sqrt(&Rational::from((9, 4))),
            Some(Rational::from((3, 2)))
        );
        assert_eq!(rational_sqrt(&Rational::from(2)), None);
    }
}
