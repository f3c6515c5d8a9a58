//! Points on a claim's equations, exactly: a hypothesis `v ^ 2 = 2 * ‖φ‖ ^ 2` holds only on a set
//! no sample hits, and where a quadratic's roots are irrational no rational point lies on it at
//! all. From a starting point, each equation `l = r` outside the claim's quantifiers that does
//! not hold yet is solved for the first movable real variable it is linear or quadratic in (the
//! others at their current values; read off `l - r` at five values of the variable, so a term
//! that only looks quadratic costs a useless sample, never a wrong verdict). A linear root is in
//! the point's field; a quadratic's roots are rational, or open the field ℚ(√Δ) when the point is
//! still rational, or lie in its field already — else the equation is left as it is. Each
//! variable is solved for at most once; both roots of a quadratic are followed, and the point
//! after each equation is kept (the hypotheses' equations come first; solving the conclusion's
//! too would make it hold). The points are samples: the caller decides the claim at each exactly. Neighbours: `quadratic` (the field),
//! `check` (samples) and `locate` (extrema) use the points.

use std::cmp::Ordering;

use rug::Rational;

use crate::core::{Expr, Prop, Rel, Ty, Var};
use crate::quadratic::{Field, Point, Surd};

/// Points extending `start` onto the claim's equations (at most `limit`): the variables in
/// `movable` may be solved for, each once.
pub(crate) fn on_equations(
    claim: &Prop,
    start: &Point,
    movable: &[Var],
    limit: usize,
) -> Vec<Point> {
    let mut eqs = Vec::new();
    equations(claim, &mut eqs);
    let mut out = Vec::new();
    if !eqs.is_empty() {
        let mut search = Search {
            eqs: &eqs,
            movable,
            limit,
            attempts: ATTEMPTS,
            out: &mut out,
        };
        search.extend(0, start.clone(), &mut Vec::new());
    }
    out.retain(|p| p != start);
    out
}

fn push_new(out: &mut Vec<Point>, point: Point) {
    if !out.contains(&point) {
        out.push(point);
    }
}

/// The equations outside the claim's quantifiers.
fn equations<'a>(p: &'a Prop, out: &mut Vec<(&'a Expr, &'a Expr)>) {
    match p {
        Prop::Cmp(Rel::Eq, l, r) => out.push((l, r)),
        Prop::Not(a) => equations(a, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            equations(a, out);
            equations(b, out);
        }
        Prop::Const(_) | Prop::Cmp(..) | Prop::Forall(..) | Prop::Exists(..) => {}
    }
}

/// Equation-variable pairs tried per call (each costs five exact evaluations): a claim with
/// many equations and variables gets a bounded share of the work.
const ATTEMPTS: usize = 64;

struct Search<'a, 'b> {
    eqs: &'a [(&'a Expr, &'a Expr)],
    movable: &'a [Var],
    limit: usize,
    attempts: usize,
    out: &'b mut Vec<Point>,
}

impl Search<'_, '_> {
    fn extend(&mut self, k: usize, point: Point, solved: &mut Vec<String>) {
        if self.out.len() >= self.limit {
            return;
        }
        let Some(&(l, r)) = self.eqs.get(k) else {
            return push_new(self.out, point);
        };
        if equal(&point, l, r) != Some(false) {
            return self.extend(k + 1, point, solved);
        }
        for v in self.movable {
            if solved.contains(&v.name) || !(l.mentions(&v.name) || r.mentions(&v.name)) {
                continue;
            }
            if self.attempts == 0 {
                return;
            }
            self.attempts -= 1;
            let roots = roots(l, r, v, &point);
            if roots.is_empty() {
                continue;
            }
            solved.push(v.name.clone());
            for next in roots {
                // Every prefix is a point of its own: solving a conclusion's equation as well
                // would make the conclusion hold.
                push_new(self.out, next.clone());
                self.extend(k + 1, next, solved);
            }
            solved.pop();
            return;
        }
        self.extend(k + 1, point, solved);
    }
}

/// Whether `l = r` at the point.
fn equal(point: &Point, l: &Expr, r: &Expr) -> Option<bool> {
    let (x, y) = (point.eval(l)?, point.eval(r)?);
    Some(x == y)
}

/// `point` with `v` at each real root of `l = r` read as a polynomial of degree ≤ 2 in `v`.
fn roots(l: &Expr, r: &Expr, v: &Var, point: &Point) -> Vec<Point> {
    if !matches!(v.ty, Ty::Real | Ty::Rat) {
        return Vec::new();
    }
    let f = point.field.clone().unwrap_or_else(Field::rationals);
    let at = |t: i64| -> Option<Surd> {
        let mut p = point.clone();
        p.values
            .insert(v.name.clone(), Surd::rational(Rational::from(t)));
        Some(f.sub(&p.eval(l)?, &p.eval(r)?))
    };
    let Some(values) = [0, 1, -1, 2, 3]
        .map(at)
        .into_iter()
        .collect::<Option<Vec<_>>>()
    else {
        return Vec::new();
    };
    let half = Surd::rational(Rational::from((1, 2)));
    let c0 = values[0].clone();
    let c1 = f.mul(&f.sub(&values[1], &values[2]), &half);
    let c2 = f.sub(&f.mul(&f.add(&values[1], &values[2]), &half), &c0);
    let predicted = |t: i64| {
        let t = Surd::rational(Rational::from(t));
        f.add(&c0, &f.mul(&t, &f.add(&c1, &f.mul(&t, &c2))))
    };
    if predicted(2) != values[3] || predicted(3) != values[4] {
        return Vec::new();
    }
    let Some((field, found)) = solve(&f, point.field.is_some(), &c0, &c1, &c2) else {
        return Vec::new();
    };
    found
        .into_iter()
        .filter(|x| in_domain(&field, v, x))
        .map(|x| {
            let mut p = point.clone();
            if x.b != 0 {
                p.field = Some(field.clone());
            }
            p.values.insert(v.name.clone(), x);
            p
        })
        .collect()
}

/// The real roots of `c2 t² + c1 t + c0` in the field (or a new one, when `fixed` is false and
/// the coefficients are rational), with that field.
fn solve(f: &Field, fixed: bool, c0: &Surd, c1: &Surd, c2: &Surd) -> Option<(Field, Vec<Surd>)> {
    let zero = Surd::rational(Rational::new());
    if *c2 == zero {
        if *c1 == zero {
            return None;
        }
        return Some((f.clone(), vec![f.div(&f.sub(&zero, c0), c1)]));
    }
    let four = Surd::rational(Rational::from(4));
    let disc = f.sub(&f.mul(c1, c1), &f.mul(&four, &f.mul(c2, c0)));
    if f.sign(&disc) == Ordering::Less {
        return None;
    }
    let (field, root) = match f.sqrt(&disc) {
        Some(root) => (f.clone(), root),
        None if !fixed => {
            let (field, k) = Field::of_root(disc.as_rational()?)?;
            (
                field,
                Surd {
                    a: Rational::new(),
                    b: k,
                },
            )
        }
        None => return None,
    };
    let two_c2 = field.add(c2, c2);
    let minus_c1 = field.sub(&zero, c1);
    let mut found = vec![field.div(&field.add(&minus_c1, &root), &two_c2)];
    if root != zero {
        found.push(field.div(&field.sub(&minus_c1, &root), &two_c2));
    }
    Some((field, found))
}

/// A value the variable may take: ≥ 0 for a norm, rational for a `ℚ` variable.
fn in_domain(f: &Field, v: &Var, x: &Surd) -> bool {
    (!v.nonneg || f.sign(x) != Ordering::Less) && (v.ty == Ty::Real || x.b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn claim(src: &str) -> crate::statement::Statement {
        crate::statement::translate(src, "t").expect("translates")
    }

    fn start(s: &crate::statement::Statement, values: &[(&str, i64)]) -> Point {
        let r: BTreeMap<String, Rational> = values
            .iter()
            .map(|(k, v)| (k.to_string(), Rational::from(*v)))
            .collect();
        assert_eq!(r.len(), s.vars.len());
        Point::rational(&r)
    }

    #[test]
    fn a_quadratic_hypothesis_puts_the_point_in_its_field() {
        let s = claim("theorem t (v r : ℝ) (h : v ^ 2 = 2 * r ^ 2) : v = r := by sorry");
        let points = on_equations(&s.claim, &start(&s, &[("v", 5), ("r", 1)]), &s.vars, 8);
        let texts: Vec<(String, String)> = points
            .iter()
            .map(|p| (p.texts()["v"].clone(), p.texts()["r"].clone()))
            .collect();
        // The conclusion `v = r` is an equation too: solved for `r` after `v`, the point after
        // each step kept.
        let pair = |v: &str, r: &str| (v.to_string(), r.to_string());
        assert_eq!(
            texts,
            [
                pair("Real.sqrt 2", "1"),
                pair("Real.sqrt 2", "Real.sqrt 2"),
                pair("-Real.sqrt 2", "1"),
                pair("-Real.sqrt 2", "-Real.sqrt 2"),
            ]
        );
        assert_eq!(points[0].truth_plain(&s.claim), Some(false));
        assert_eq!(points[1].truth_plain(&s.claim), Some(true));
    }

    #[test]
    fn rational_roots_stay_rational_and_domains_are_kept() {
        let s = claim("theorem t (x : ℝ) (h : x ^ 2 = 4) : x = 2 := by sorry");
        let points = on_equations(&s.claim, &start(&s, &[("x", 0)]), &s.vars, 8);
        let xs: Vec<String> = points.iter().map(|p| p.texts()["x"].clone()).collect();
        assert_eq!(xs, ["2", "-2"]);
        assert_eq!(points[1].truth_plain(&s.claim), Some(false));
        let s = claim("theorem t (q : ℚ) (h : q ^ 2 = 2) : q = 2 := by sorry");
        // A rational has no square 2: only the conclusion's equation is solved.
        assert_eq!(
            on_equations(&s.claim, &start(&s, &[("q", 0)]), &s.vars, 8),
            vec![start(&s, &[("q", 2)])],
        );
    }

    #[test]
    fn a_second_equation_is_solved_in_the_first_ones_field() {
        let s = claim("theorem t (x y : ℝ) (h : x ^ 2 = 3) (k : y * x = 1) : y < 1 := by sorry");
        let points = on_equations(&s.claim, &start(&s, &[("x", 0), ("y", 0)]), &s.vars, 8);
        let ys: Vec<String> = points.iter().map(|p| p.texts()["y"].clone()).collect();
        assert_eq!(ys, ["0", "1/3 * Real.sqrt 3", "0", "-1/3 * Real.sqrt 3"]);
        assert!(points.iter().all(|p| p.truth_plain(&s.claim) == Some(true)));
    }
}
