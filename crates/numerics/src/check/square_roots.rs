//! Samples on a boundary with a square root: `-√(λ₁λ₂) ≤ λ₃` has no rational point with
//! equality unless `λ₁λ₂` is a rational square, so each `Real.sqrt` argument of the hypothesis is
//! first made the square of a nearby simple rational. Neighbours: the parent `check`'s sampler
//! calls [`rational_square_roots`] before it solves the boundary (`solve_affine`).

use std::collections::BTreeMap;

use rug::Rational;

use super::solve_affine;
use crate::core::{Expr, Ty, Var};
use crate::exact::eval_exact;

/// Every `Real.sqrt e` in `l` and `r` made rational at the point where a variable allows it: `e`
/// is set to the square of a nearby simple rational by solving for a real variable `e` is affine
/// in (within the box), so that a boundary `-√(λ₁λ₂) = λ₃` can then be solved exactly. Only a
/// sample: the point is decided exactly like any other.
pub(super) fn rational_square_roots(
    l: &Expr,
    r: &Expr,
    point: &mut BTreeMap<String, Rational>,
    bx: &[(String, Rational, Rational)],
    vars: &[Var],
) {
    let mut roots = Vec::new();
    square_root_arguments(l, &mut roots);
    square_root_arguments(r, &mut roots);
    for e in roots {
        let Some(q) = eval_exact(e, point) else {
            continue;
        };
        if q <= 0 || crate::exact::exact_sqrt(&q).is_some() {
            continue;
        }
        // The nearest quarter (at least 1/4) to √q.
        let quarters = (q.to_f64().sqrt() * 4.0).round().max(1.0) as i64;
        let target = Rational::from((quarters * quarters, 16));
        let target_expr = Expr::Lit(Ty::Real, target);
        let mut moved = point.clone();
        solve_affine(e, &target_expr, &mut moved, bx, vars);
        if eval_exact(e, &moved).is_some_and(|v| crate::exact::exact_sqrt(&v).is_some()) {
            *point = moved;
        }
    }
}

/// The arguments of `Real.sqrt` in `e`, outermost first.
fn square_root_arguments<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    if let Expr::Call(crate::core::Func::Sqrt, a) = e {
        out.push(a);
    }
    for c in e.children() {
        square_root_arguments(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckConfig, box_of, non_strict_hypotheses};

    #[test]
    fn square_roots_on_a_boundary_are_made_rational_before_it_is_solved() {
        let s = crate::statement::translate(
            "theorem t (a b k : ℝ) (h : -Real.sqrt (a * b) ≤ k) : 0 ≤ k := by sorry",
            "t",
        )
        .unwrap();
        let bx = box_of(&s, &CheckConfig::default());
        let q = |n: i64, d: i64| Rational::from((n, d));
        let mut point: BTreeMap<String, Rational> =
            [("a", q(3, 1)), ("b", q(5, 7)), ("k", q(9, 1))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
        let [(l, r)] = non_strict_hypotheses(&s)[..] else {
            panic!("one boundary")
        };
        rational_square_roots(l, r, &mut point, &bx, &s.vars);
        solve_affine(l, r, &mut point, &bx, &s.vars);
        // √(3 · 5/7) ≈ 1.46 becomes 3/2 (a := 63/20), and k sits on the boundary.
        assert_eq!(point["a"], q(63, 20));
        assert_eq!(point["k"], q(-3, 2));
    }
}
