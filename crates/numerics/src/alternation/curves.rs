//! Curves to infinity along which a polynomial goes to `-∞` while the hypotheses hold: the
//! refutation of "bounded below". A curve is `ys(t) = (t^w₁ d₁, …, t^wₙ dₙ)` with integer weights
//! `w` and a rational direction `d`; along it every polynomial is a polynomial in `t`, computed
//! exactly, and "for all large `t`" is read off its leading coefficient. Weights other than all
//! ones come from hypotheses that bound squares by a product (`re² + im² ≤ ‖Φ₁‖² ‖Φ₂‖²`, what the
//! inner product of two vectors obeys): the bounded variables then grow as fast as the product
//! allows, and directions that meet the bound with equality are tried (the flat directions of a
//! potential often lie there).

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
const BASES: usize = 40;

/// Whether some curve keeps every `h ⋈ 0` true for all large `t` (and the variables in their
/// domains) while `f` goes to `-∞` along it. `true` is a proof that `f` is unbounded below
/// where the hypotheses hold.
pub(crate) fn unbounded_below(domains: &[Domain], hyps: &[(Poly, Rel)], f: &Poly) -> bool {
    if f.terms().any(|(e, _)| e.iter().any(|k| *k < 0)) || domains.is_empty() {
        return false;
    }
    let bounds: Vec<SquareBound> = hyps.iter().filter_map(SquareBound::of).collect();
    let mut weightings = vec![vec![1i64; domains.len()]];
    if let Some(w) = weights_from(&bounds, domains.len()) {
        if !weightings.contains(&w) {
            weightings.push(w);
        }
    }
    // Seeded, so that every run tries the same curves.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for w in &weightings {
        for k in 0..BASES {
            let base = base_direction(k, domains, &mut rng);
            for choice in 0..PLACEMENTS {
                let Some(d) = place_bounded(base.clone(), &bounds, w, choice, &mut rng) else {
                    continue;
                };
                let in_domain = d.iter().zip(domains).all(|(x, dom)| !dom.nonneg || *x >= 0);
                if in_domain
                    && leading_f64(f, w, &d).is_some_and(|(deg, v)| deg > 0 && v < 0.0)
                    && escapes(f, hyps, w, &d)
                {
                    return true;
                }
                if bounds.is_empty() {
                    break;
                }
            }
        }
    }
    false
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

/// A hypothesis `Σ cᵢ yᵢ² ≤ P` (`P` free of those `yᵢ`, all `cᵢ` equal): the squares it bounds.
struct SquareBound {
    squared: Vec<usize>,
    /// `P`'s terms.
    bound: Poly,
    c: Rational,
}

impl SquareBound {
    fn of((h, rel): &(Poly, Rel)) -> Option<SquareBound> {
        // `h ⋈ 0` with `h = a - b`: `Σ c y² - P ≤ 0`, or the same negated with `≥`.
        let h = match rel {
            Rel::Le | Rel::Lt => h.clone(),
            Rel::Ge | Rel::Gt => h.neg(),
            _ => return None,
        };
        let mut squared = Vec::new();
        let mut c: Option<Rational> = None;
        let mut bound = Poly::zero(h.n());
        for (exps, q) in h.terms() {
            let nonzero: Vec<usize> = (0..exps.len()).filter(|&i| exps[i] != 0).collect();
            if let [i] = nonzero[..] {
                if exps[i] == 2 && *q > 0 && c.as_ref().is_none_or(|c| c == q) {
                    squared.push(i);
                    c = Some(q.clone());
                    continue;
                }
            }
            bound = bound.sub(&Poly::term(exps.clone(), q.clone()));
        }
        let c = c?;
        let free_of_squared = bound
            .terms()
            .all(|(e, _)| squared.iter().all(|&i| e[i] == 0));
        free_of_squared.then_some(SquareBound { squared, bound, c })
    }
}

/// Weights under which each square bound is homogeneous: the bounded variables get half the
/// bound's degree (everything doubled when that is not an integer).
fn weights_from(bounds: &[SquareBound], n: usize) -> Option<Vec<i64>> {
    let mut w = vec![2i64; n];
    for b in bounds {
        // The bound's degree with every variable of weight 2: always even.
        let degree = b
            .bound
            .terms()
            .map(|(e, _)| e.iter().map(|k| 2 * i64::from(*k)).sum::<i64>())
            .max()?;
        for &i in &b.squared {
            w[i] = degree / 2;
        }
    }
    (!bounds.is_empty()).then_some(w)
}

/// The `k`-th direction of the variables: all ones first, then seeded choices of small
/// rationals (non-negative where the domain is).
fn base_direction(k: usize, domains: &[Domain], rng: &mut Rng) -> Vec<Rational> {
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
/// bound) times sixteen points of the circle.
const PLACEMENTS: usize = 48;

/// The base direction with each square bound's variables placed: for the only bound, the
/// `choice`-th placement (so every one is tried); for several, seeded ones. `None` when a bound
/// is negative there.
fn place_bounded(
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
        // The bound's leading part at `d`, in the weights' degree of the squares.
        let target = 2 * w[b.squared[0]];
        let mut value = Rational::new();
        for (exps, q) in b.bound.terms() {
            let deg: i64 = exps.iter().zip(w).map(|(e, wi)| wi * i64::from(*e)).sum();
            if deg == target {
                let mut v = q.clone();
                for (e, di) in exps.iter().zip(&d) {
                    if *e != 0 {
                        v *= Rational::from(di.pow(*e));
                    }
                }
                value += v;
            }
        }
        if value < 0 {
            return None;
        }
        let full = rational_sqrt(&(value / &b.c)).unwrap_or_default();
        let radius = match pick % 3 {
            0 => Rational::new(),
            1 => full / 2u32,
            _ => full,
        };
        let unit = sphere_point(b.squared.len(), pick / 3);
        for (&i, u) in b.squared.iter().zip(unit) {
            d[i] = Rational::from(&radius * &u);
        }
    }
    Some(d)
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
mod tests {
    use super::*;

    /// `Σ (p/q) · Π xᵢ^eᵢ` from `(p, q, exponents)`.
    fn poly(terms: &[(i32, i32, &[i32])]) -> Poly {
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
    fn rational_square_roots_are_exact() {
        assert_eq!(
            rational_sqrt(&Rational::from((9, 4))),
            Some(Rational::from((3, 2)))
        );
        assert_eq!(rational_sqrt(&Rational::from(2)), None);
    }
}
