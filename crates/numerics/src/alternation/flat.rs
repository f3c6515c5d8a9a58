//! Flat directions: where a polynomial's leading form vanishes along a curve `t^w d`, the next
//! terms decide whether it falls (a potential on the boundary of its stability conditions is
//! non-negative in its quartic part but flat along one direction, and its mass terms then win
//! there). Such a direction is rarely a small rational by chance, but it is found exactly: one
//! coordinate of a base direction becomes the unknown `x`, the variables a bound hypothesis
//! controls linearly are placed on the bound (polynomials in `x` too), and the rational roots of
//! the leading coefficient — a polynomial in `x` — are the directions to try. A bounded variable
//! that enters squared would need a square root of a polynomial in `x`: it stays 0 here. The
//! directions are only candidates: `curves` tests each exactly. Neighbours: `curves` (the search
//! and the tests along a curve).

use std::collections::BTreeMap;

use rug::Rational;

use super::curves::{Domain, SquareBound, base_direction};
use crate::check::Rng;
use crate::poly::Poly;
use crate::sturm::{UPoly, rational_roots};

/// Base directions per weighting whose coordinates are each solved for.
const BASES: usize = 4;
/// The largest degree in `x` worth a root search.
const MAX_DEGREE: usize = 24;

/// Directions (under the weights `w`) along which `shape`'s leading form vanishes, found as the
/// rational roots of its leading coefficient along `base` with one coordinate free.
pub(super) fn directions(
    domains: &[Domain],
    bounds: &[SquareBound],
    w: &[i64],
    shape: &Poly,
    rng: &mut Rng,
) -> Vec<Vec<Rational>> {
    let bounded: Vec<usize> = bounds
        .iter()
        .flat_map(|b| b.bounded.iter().map(|(i, _, _)| *i))
        .collect();
    let free: Vec<usize> = (0..domains.len())
        .filter(|i| !bounded.contains(i))
        .collect();
    let mut out: Vec<Vec<Rational>> = Vec::new();
    for k in 0..BASES {
        let base = base_direction(k, domains, rng);
        for shares in placements(bounds) {
            for &i in &free {
                let mut coords: Vec<UPoly> = base.iter().cloned().map(UPoly::constant).collect();
                coords[i] = UPoly::x();
                place(&mut coords, bounds, &shares, w);
                let Some(top) = leading_coefficient(shape, w, &coords)
                    .filter(|top| top.degree().unwrap_or(0) > 0)
                else {
                    continue;
                };
                for x in rational_roots(&top) {
                    if domains[i].nonneg && x < 0 {
                        continue;
                    }
                    let d: Vec<Rational> = coords.iter().map(|c| c.eval(&x)).collect();
                    if !out.contains(&d) {
                        out.push(d);
                    }
                }
            }
        }
    }
    out
}

/// The shares of each bound given to its linearly bounded variables: none, or a quarter or all of
/// it to one of them (every bound at once gets the same choice index).
fn placements(bounds: &[SquareBound]) -> Vec<Vec<Vec<Rational>>> {
    let options = |b: &SquareBound| -> Vec<Vec<Rational>> {
        let m = b.bounded.len();
        let mut out = vec![vec![Rational::new(); m]];
        for (j, (_, k, _)) in b.bounded.iter().enumerate() {
            if *k == 1 {
                for share in [Rational::from((1, 4)), Rational::from(1)] {
                    let mut s = vec![Rational::new(); m];
                    s[j] = share;
                    out.push(s);
                }
            }
        }
        out
    };
    let per_bound: Vec<Vec<Vec<Rational>>> = bounds.iter().map(options).collect();
    let count = per_bound.iter().map(Vec::len).max().unwrap_or(1);
    (0..count)
        .map(|c| {
            per_bound
                .iter()
                .map(|o| o[c.min(o.len() - 1)].clone())
                .collect()
        })
        .collect()
}

/// Puts each bound's linearly bounded variables on their shares of the bound (`cᵢ yᵢ = share ·
/// P`, with `P`'s leading part in `x`); squared ones (and all, where that part is out of reach)
/// at 0.
fn place(coords: &mut [UPoly], bounds: &[SquareBound], shares: &[Vec<Rational>], w: &[i64]) {
    for (b, share) in bounds.iter().zip(shares) {
        let Some(value) = leading_coefficient(&b.bound, w, coords) else {
            for (i, _, _) in &b.bounded {
                coords[*i] = UPoly::zero();
            }
            continue;
        };
        for ((i, k, c), s) in b.bounded.iter().zip(share) {
            coords[*i] = if *k == 1 && *s != 0 {
                value.scale(&Rational::from(s / c))
            } else {
                UPoly::zero()
            };
        }
    }
}

/// The coefficient of the highest power of `t` in `p(t^w₁ c₁(x), …)`, a polynomial in `x`
/// (`None` when `p` vanishes identically there, or the degree in `x` grows too large).
fn leading_coefficient(p: &Poly, w: &[i64], coords: &[UPoly]) -> Option<UPoly> {
    let mut by_degree: BTreeMap<i64, UPoly> = BTreeMap::new();
    for (exps, c) in p.terms() {
        let mut v = UPoly::constant(c.clone());
        let mut deg = 0i64;
        for ((e, wi), ci) in exps.iter().zip(w).zip(coords) {
            if *e != 0 {
                deg += wi * i64::from(*e);
                v = v.mul(&ci.pow(u32::try_from(*e).ok()?));
                if v.degree().unwrap_or(0) > MAX_DEGREE {
                    return None;
                }
            }
        }
        let slot = by_degree.entry(deg).or_default();
        *slot = slot.add(&v);
    }
    by_degree
        .into_iter()
        .rev()
        .map(|(_, v)| v)
        .find(|v| !v.is_zero())
}

#[cfg(test)]
mod tests {
    use super::super::curves::tests::poly;
    use super::*;

    #[test]
    fn the_double_root_of_a_degenerate_form_is_found() {
        // 2A² - 2AB + B²/2 = 2 (A - B/2)²: flat along A = B/2, which no small direction is after
        // scaling by the base.
        let f = poly(&[(2, 1, &[2, 0]), (-2, 1, &[1, 1]), (1, 2, &[0, 2])]);
        let doms = [Domain { nonneg: true }; 2];
        let mut rng = Rng(1);
        let found = directions(&doms, &[], &[1, 1], &f, &mut rng);
        assert!(
            found
                .iter()
                .any(|d| Rational::from(&d[0] * 2u32) == d[1] && d[1] != 0),
            "{found:?}"
        );
    }

    #[test]
    fn a_linearly_bounded_variable_follows_the_bound() {
        // A² + B² - 2I with I ≤ AB (I ≥ 0): at I = AB the form is (A - B)², flat along A = B.
        let f = poly(&[(1, 1, &[2, 0, 0]), (1, 1, &[0, 2, 0]), (-2, 1, &[0, 0, 1])]);
        let h = poly(&[(1, 1, &[0, 0, 1]), (-1, 1, &[1, 1, 0])]);
        let doms = [Domain { nonneg: true }; 3];
        let bounds: Vec<SquareBound> = [(h, crate::core::Rel::Le)]
            .iter()
            .filter_map(|h| SquareBound::of(h, &doms))
            .collect();
        let mut rng = Rng(1);
        let found = directions(&doms, &bounds, &[2, 2, 4], &f, &mut rng);
        assert!(
            found
                .iter()
                .any(|d| d[0] == d[1] && d[2] == Rational::from(&d[0] * &d[1]) && d[0] != 0),
            "{found:?}"
        );
    }
}
