//! Exact arithmetic in a real quadratic field ℚ(√d), for points that equations force off the
//! rationals: `v ^ 2 = 2 * ‖φ‖ ^ 2` with `‖φ‖` rational puts `v` at `±√2 ‖φ‖`, which no sample
//! ever hits. A number is `a + b√d` with rational `a`, `b` and one `d > 0` per point that is not
//! a rational square, so `a + b√d = 0` only when `a = b = 0`, and its sign is decided exactly
//! (compare `a²` with `b²d`). The claim is evaluated with Lean's semantics: a subterm that
//! involves no irrational coordinate goes to `exact` (integer types, junk values and all), the
//! others are real field arithmetic (`x / 0 = 0`, `√` of a non-positive number is 0, `√` of a
//! square of the field its root); anything else (π, `exp` of an irrational, floors) is `None`,
//! and the caller may then enclose the point in intervals instead. Neighbours: `equations` finds
//! the points; `check` and `locate` decide claims at them.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rug::{Integer, Rational};

use crate::certificate::rational_text;
use crate::core::{Expr, Func, Prop, Rel, Ty};
use crate::exact::{call_exact, eval_exact, exact_sqrt, truth_exact};
use crate::interval::Interval;
use crate::sturm::{UPoly, rational_roots};

/// `a + b√d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Surd {
    pub a: Rational,
    pub b: Rational,
}

impl Surd {
    pub(crate) fn rational(a: Rational) -> Surd {
        Surd {
            a,
            b: Rational::new(),
        }
    }

    pub(crate) fn as_rational(&self) -> Option<&Rational> {
        (self.b == 0).then_some(&self.a)
    }
}

/// The field ℚ(√d): `d` a positive integer that is not a square, small square factors removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    d: Integer,
}

/// Square factors up to this are taken out of `d` (for shorter numbers; any `d` is correct).
const SMALL_FACTORS: u32 = 1000;
/// The largest numerator or denominator (in bits) carried, as in `exact`.
const MAX_BITS: u32 = crate::exact::MAX_BITS;

impl Field {
    /// `√q` as `k√d` in its field: `None` when `q ≤ 0` or `q` is a rational square.
    pub(crate) fn of_root(q: &Rational) -> Option<(Field, Rational)> {
        if *q <= 0 || exact_sqrt(q).is_some() {
            return None;
        }
        // √(n/m) = √(n m) / m.
        let mut d = Integer::from(q.numer() * q.denom());
        let mut k = Rational::from((1, q.denom().clone()));
        for f in 2..SMALL_FACTORS {
            let square = Integer::from(f * f);
            if square > d {
                break;
            }
            while d.is_divisible(&square) {
                d /= &square;
                k *= f;
            }
        }
        Some((Field { d }, k))
    }

    /// Arithmetic on rational values (`b = 0`), which never reads `d`.
    pub(crate) fn rationals() -> Field {
        Field {
            d: Integer::from(2),
        }
    }

    /// `√q` within this field (`q = k² d` or `q = k²`), `None` otherwise.
    pub(crate) fn root_of_rational(&self, q: &Rational) -> Option<Surd> {
        if let Some(r) = exact_sqrt(q) {
            return Some(Surd::rational(r));
        }
        let k = exact_sqrt(&Rational::from(q / &self.d))?;
        Some(Surd {
            a: Rational::new(),
            b: k,
        })
    }

    /// The exact sign of `x`.
    pub(crate) fn sign(&self, x: &Surd) -> Ordering {
        let (sa, sb) = (x.a.cmp0(), x.b.cmp0());
        if sb == Ordering::Equal || sa == sb {
            return if sa == Ordering::Equal { sb } else { sa };
        }
        if sa == Ordering::Equal {
            return sb;
        }
        // Opposite signs: the larger of a² and b²d wins.
        let a2 = Rational::from(x.a.square_ref());
        let b2d = Rational::from(x.b.square_ref()) * &self.d;
        match a2.cmp(&b2d) {
            Ordering::Greater => sa,
            _ => sb,
        }
    }

    pub(crate) fn add(&self, x: &Surd, y: &Surd) -> Surd {
        Surd {
            a: Rational::from(&x.a + &y.a),
            b: Rational::from(&x.b + &y.b),
        }
    }

    pub(crate) fn sub(&self, x: &Surd, y: &Surd) -> Surd {
        Surd {
            a: Rational::from(&x.a - &y.a),
            b: Rational::from(&x.b - &y.b),
        }
    }

    pub(crate) fn mul(&self, x: &Surd, y: &Surd) -> Surd {
        let bb = Rational::from(&x.b * &y.b) * &self.d;
        Surd {
            a: Rational::from(&x.a * &y.a) + bb,
            b: Rational::from(&x.a * &y.b) + Rational::from(&x.b * &y.a),
        }
    }

    /// `x / y`, with Lean's `x / 0 = 0`.
    pub(crate) fn div(&self, x: &Surd, y: &Surd) -> Surd {
        // (a + b√d)(c - e√d) / (c² - e²d); the norm is 0 only at y = 0 (d is not a square).
        let norm = Rational::from(y.a.square_ref()) - Rational::from(y.b.square_ref()) * &self.d;
        if norm == 0 {
            return Surd::rational(Rational::new());
        }
        let conj = Surd {
            a: y.a.clone(),
            b: Rational::from(-&y.b),
        };
        let p = self.mul(x, &conj);
        Surd {
            a: p.a / &norm,
            b: p.b / norm,
        }
    }

    /// `√x` when it lies in the field: Lean's 0 for `x ≤ 0`, else `p + q√d` with
    /// `p² + q²d = a` and `2pq = b`.
    pub(crate) fn sqrt(&self, x: &Surd) -> Option<Surd> {
        if self.sign(x) != Ordering::Greater {
            return Some(Surd::rational(Rational::new()));
        }
        if x.b == 0 {
            return self.root_of_rational(&x.a);
        }
        // p² is a root of z² - a z + b² d / 4.
        let disc = Rational::from(x.a.square_ref()) - Rational::from(x.b.square_ref()) * &self.d;
        let r = exact_sqrt(&disc).filter(|_| disc >= 0)?;
        for p2 in [(&x.a + r.clone()) / 2u32, (&x.a - r) / 2u32] {
            if let Some(p) = exact_sqrt(&p2).filter(|p| *p != 0 && p2 > 0) {
                let q = Rational::from(&x.b / &p) / 2u32;
                let root = Surd { a: p.abs(), b: q };
                let root = if self.sign(&root) == Ordering::Less {
                    Surd {
                        a: -root.a,
                        b: -root.b,
                    }
                } else {
                    root
                };
                return Some(root);
            }
        }
        None
    }

    /// `x` as Lean text: `1/2 + 3 * Real.sqrt 2`.
    pub(crate) fn text(&self, x: &Surd) -> String {
        if x.b == 0 {
            return rational_text(&x.a);
        }
        let root = format!("Real.sqrt {}", self.d);
        let scaled = |b: &Rational| {
            if *b == 1 {
                root.clone()
            } else {
                format!("{} * {root}", rational_text(b))
            }
        };
        match (x.a == 0, x.b.cmp0()) {
            (true, Ordering::Less) => format!("-{}", scaled(&Rational::from(-&x.b))),
            (true, _) => scaled(&x.b),
            (false, Ordering::Less) => {
                format!(
                    "{} - {}",
                    rational_text(&x.a),
                    scaled(&Rational::from(-&x.b))
                )
            }
            (false, _) => format!("{} + {}", rational_text(&x.a), scaled(&x.b)),
        }
    }

    /// An interval enclosing `x` at `prec` bits (outward rounding throughout).
    pub(crate) fn enclosure(&self, x: &Surd, prec: u32) -> Interval {
        let q = |r: &Rational| crate::check::rational_interval(r, r, prec);
        let root = q(&Rational::from(self.d.clone())).sqrt_lean();
        q(&x.a).add(&q(&x.b).mul(&root))
    }
}

/// Decides a quantified proposition at a rational point (`None`: undecided).
pub(crate) type QuantifierDecision<'a> =
    dyn FnMut(&Prop, &BTreeMap<String, Rational>) -> Option<bool> + 'a;

/// A point some of whose coordinates lie in ℚ(√d) (`field` is `None` when all are rational).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Point {
    pub field: Option<Field>,
    pub values: BTreeMap<String, Surd>,
}

impl Point {
    pub(crate) fn rational(values: &BTreeMap<String, Rational>) -> Point {
        Point {
            field: None,
            values: values
                .iter()
                .map(|(k, v)| (k.clone(), Surd::rational(v.clone())))
                .collect(),
        }
    }

    /// The rational coordinates.
    pub(crate) fn rational_part(&self) -> BTreeMap<String, Rational> {
        self.values
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_rational()?.clone())))
            .collect()
    }

    /// Whether some coordinate is irrational.
    pub(crate) fn is_irrational(&self) -> bool {
        self.values.values().any(|v| v.b != 0)
    }

    /// Every coordinate as Lean text.
    pub(crate) fn texts(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(k, v)| {
                let t = match &self.field {
                    Some(f) => f.text(v),
                    None => rational_text(&v.a),
                };
                (k.clone(), t)
            })
            .collect()
    }

    fn irrational(&self, e: &Expr) -> bool {
        self.values.iter().any(|(k, v)| v.b != 0 && e.mentions(k))
    }

    fn bits_ok(x: &Surd) -> bool {
        [&x.a, &x.b].iter().all(|q| {
            q.numer().significant_bits() <= MAX_BITS && q.denom().significant_bits() <= MAX_BITS
        })
    }

    /// `e` at the point, exactly.
    pub(crate) fn eval(&self, e: &Expr) -> Option<Surd> {
        if !self.irrational(e) {
            if let Some(q) = eval_exact(e, &self.rational_part()) {
                return Some(Surd::rational(q));
            }
            // Irrational without irrational coordinates (`Real.sqrt 2`): maybe in the field.
        }
        let f = self.field.as_ref()?;
        let rec = |e: &Expr| self.eval(e);
        let v = match e {
            Expr::Var(_, name) => self.values.get(name)?.clone(),
            Expr::Neg(_, a) => f.sub(&Surd::rational(Rational::new()), &rec(a)?),
            Expr::Add(_, xs) => {
                let mut acc = Surd::rational(Rational::new());
                for x in xs {
                    acc = f.add(&acc, &rec(x)?);
                }
                acc
            }
            Expr::Mul(_, xs) => {
                let mut acc = Surd::rational(Rational::from(1));
                for x in xs {
                    acc = f.mul(&acc, &rec(x)?);
                    Point::bits_ok(&acc).then_some(())?;
                }
                acc
            }
            Expr::Div(ty, a, b) if ty.is_field() => f.div(&rec(a)?, &rec(b)?),
            Expr::Inv(_, a) => f.div(&Surd::rational(Rational::from(1)), &rec(a)?),
            Expr::Pow(_, a, n) => self.power(f, rec(a)?, *n)?,
            Expr::PowExpr(ty, a, b) if ty.is_field() => {
                let k = rec(b)?.as_rational()?.clone();
                let n = k
                    .numer()
                    .clone()
                    .abs()
                    .to_u32()
                    .filter(|_| *k.denom() == 1)?;
                let p = self.power(f, rec(a)?, n)?;
                if k < 0 {
                    f.div(&Surd::rational(Rational::from(1)), &p)
                } else {
                    p
                }
            }
            Expr::Cast(_, Ty::Real, a) => rec(a)?,
            Expr::Abs(_, a) => {
                let x = rec(a)?;
                if f.sign(&x) == Ordering::Less {
                    f.sub(&Surd::rational(Rational::new()), &x)
                } else {
                    x
                }
            }
            Expr::Min(_, a, b) | Expr::Max(_, a, b) => {
                let (x, y) = (rec(a)?, rec(b)?);
                let x_below = f.sign(&f.sub(&x, &y)) != Ordering::Greater;
                if x_below == matches!(e, Expr::Min(..)) {
                    x
                } else {
                    y
                }
            }
            Expr::Call(Func::Sqrt, a) => f.sqrt(&rec(a)?)?,
            Expr::Call(g, a) => Surd::rational(call_exact(*g, rec(a)?.as_rational()?.clone())?),
            Expr::Ite(c, a, b) => {
                if self.truth_plain(c)? {
                    rec(a)?
                } else {
                    rec(b)?
                }
            }
            _ => return None,
        };
        Point::bits_ok(&v).then_some(v)
    }

    fn power(&self, f: &Field, x: Surd, n: u32) -> Option<Surd> {
        let mut acc = Surd::rational(Rational::from(1));
        for _ in 0..n {
            acc = f.mul(&acc, &x);
            Point::bits_ok(&acc).then_some(())?;
        }
        Some(acc)
    }

    /// `a ⋈ b` at the point, exactly.
    pub(crate) fn compare(&self, r: Rel, a: &Expr, b: &Expr) -> Option<bool> {
        let (x, y) = (self.eval(a)?, self.eval(b)?);
        let sign = match &self.field {
            Some(f) => f.sign(&f.sub(&x, &y)),
            None => x.a.cmp(&y.a),
        };
        Some(match r {
            Rel::Le => sign != Ordering::Greater,
            Rel::Lt => sign == Ordering::Less,
            Rel::Ge => sign != Ordering::Less,
            Rel::Gt => sign == Ordering::Greater,
            Rel::Eq => sign == Ordering::Equal,
            Rel::Ne => sign != Ordering::Equal,
        })
    }

    /// The exact truth of a proposition without quantifiers (`None` at one).
    pub(crate) fn truth_plain(&self, p: &Prop) -> Option<bool> {
        if !self.is_irrational() {
            return truth_exact(p, &self.rational_part());
        }
        Some(match p {
            Prop::Const(b) => *b,
            Prop::Cmp(r, a, b) => self.compare(*r, a, b)?,
            Prop::Not(a) => !self.truth_plain(a)?,
            Prop::And(a, b) => self.truth_plain(a)? && self.truth_plain(b)?,
            Prop::Or(a, b) => self.truth_plain(a)? || self.truth_plain(b)?,
            Prop::Imp(a, b) => !self.truth_plain(a)? || self.truth_plain(b)?,
            Prop::Iff(a, b) => self.truth_plain(a)? == self.truth_plain(b)?,
            Prop::Forall(..) | Prop::Exists(..) => return None,
        })
    }

    /// `p` with each quantified part decided by `decide` (over the rational coordinates, once
    /// closed) replaced by its truth; parts that do not close or that `decide` leaves open stay.
    pub(crate) fn resolve_quantifiers(&self, p: &Prop, decide: &mut QuantifierDecision) -> Prop {
        let rational = self.rational_part();
        crate::alternation::replace_quantified(p, &mut |q| decide(&self.close(q)?, &rational))
    }

    /// `q` (a quantified proposition) with every subterm that involves an irrational coordinate
    /// but none of the bound variables replaced by its value, which must be rational: the same
    /// proposition over the rational coordinates only. `None` when an irrational value remains.
    pub(crate) fn close(&self, q: &Prop) -> Option<Prop> {
        self.close_prop(q, &mut Vec::new())
    }

    fn close_prop(&self, p: &Prop, bound: &mut Vec<String>) -> Option<Prop> {
        let mut rec = |q: &Prop| self.close_prop(q, bound).map(Box::new);
        Some(match p {
            Prop::Const(_) => p.clone(),
            Prop::Cmp(r, a, b) => {
                Prop::Cmp(*r, self.close_expr(a, bound)?, self.close_expr(b, bound)?)
            }
            Prop::Not(a) => Prop::Not(rec(a)?),
            Prop::And(a, b) => Prop::And(rec(a)?, rec(b)?),
            Prop::Or(a, b) => Prop::Or(rec(a)?, rec(b)?),
            Prop::Imp(a, b) => Prop::Imp(rec(a)?, rec(b)?),
            Prop::Iff(a, b) => Prop::Iff(rec(a)?, rec(b)?),
            Prop::Forall(vs, body) | Prop::Exists(vs, body) => {
                let depth = bound.len();
                bound.extend(vs.iter().map(|v| v.name.clone()));
                let inner = self.close_prop(body, bound);
                bound.truncate(depth);
                let inner = Box::new(inner?);
                match p {
                    Prop::Forall(..) => Prop::Forall(vs.clone(), inner),
                    _ => Prop::Exists(vs.clone(), inner),
                }
            }
        })
    }

    fn close_expr(&self, e: &Expr, bound: &[String]) -> Option<Expr> {
        if !self.irrational(e) {
            return Some(e.clone());
        }
        if !bound.iter().any(|b| e.mentions(b)) {
            return Some(Expr::Lit(e.ty(), self.eval(e)?.as_rational()?.clone()));
        }
        if let Expr::Ite(..) = e {
            return None;
        }
        let mut failed = false;
        let closed = e.map_children(|c| {
            self.close_expr(c, bound).unwrap_or_else(|| {
                failed = true;
                c.clone()
            })
        });
        (!failed).then_some(closed)
    }
}

/// The two irrational real roots of `p` when, its rational roots divided out, a quadratic with
/// a positive non-square discriminant remains (the critical points `±√(μ/2λ)` of `-μy² + λy⁴`).
pub(crate) fn quadratic_roots(p: &UPoly) -> Option<(Field, [Surd; 2])> {
    if p.degree().unwrap_or(0) < 2 {
        return None;
    }
    let mut g = p.squarefree();
    for r in rational_roots(&g) {
        g = g
            .div_rem(&UPoly::from_coeffs(vec![-r, Rational::from(1)]))
            .0;
    }
    let [c0, c1, c2] = g.coeffs() else {
        return None;
    };
    let disc = Rational::from(c1.square_ref()) - Rational::from(c2 * c0) * 4u32;
    let (field, k) = Field::of_root(&disc)?;
    let two_c2 = Rational::from(c2 * 2u32);
    let a = Rational::from(-c1) / &two_c2;
    let b = k / two_c2;
    let roots = [
        Surd {
            a: a.clone(),
            b: b.clone(),
        },
        Surd { a, b: -b },
    ];
    Some((field, roots))
}

/// Bits of the approximation [`counterexample_value`] gives an irrational coordinate (a dyadic
/// that a plot's 128-bit intervals hold exactly).
const APPROXIMATION_BITS: u32 = 64;

/// A counterexample's coordinate as a rational: exactly for a rational (`p/q`), and for a number
/// of a real quadratic field as printed (`a + b * Real.sqrt d`, `-Real.sqrt d`, …) the nearest
/// 64-bit dyadic — for drawing, never for deciding. `None` for other text.
pub fn counterexample_value(text: &str) -> Option<Rational> {
    if let Some(q) = crate::certificate::parse_rational(text) {
        return Some(q);
    }
    let (head, d) = text.rsplit_once("Real.sqrt ")?;
    let d: Integer = d.trim().parse().ok()?;
    let head = head.trim_end();
    let (rest, coefficient) = match head.strip_suffix('*') {
        Some(h) => match h.trim_end().rsplit_once(' ') {
            Some((rest, c)) => (rest.trim_end(), crate::certificate::parse_rational(c)?),
            None => ("", crate::certificate::parse_rational(h.trim_end())?),
        },
        None => (head, Rational::from(1)),
    };
    let (a, b) = match rest {
        "" => (Rational::new(), coefficient),
        "-" => (Rational::new(), -coefficient),
        _ => {
            let (a, sign) = match (rest.strip_suffix(" +"), rest.strip_suffix(" -")) {
                (Some(a), _) => (a, 1),
                (_, Some(a)) => (a, -1),
                _ => return None,
            };
            (crate::certificate::parse_rational(a)?, coefficient * sign)
        }
    };
    if d <= 0 {
        return None;
    }
    let wide = rug::Float::with_val(4 * APPROXIMATION_BITS, d).sqrt() * b + a;
    rug::Float::with_val(APPROXIMATION_BITS, wide).to_rational()
}

/// The enclosure of a point at `prec` bits, for the interval evaluator.
pub(crate) fn enclosures(point: &Point, prec: u32) -> crate::eval::Params {
    point
        .values
        .iter()
        .map(|(k, v)| {
            let i = match &point.field {
                Some(f) => f.enclosure(v, prec),
                None => crate::check::rational_interval(&v.a, &v.a, prec),
            };
            (k.clone(), i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    fn s(a: Rational, b: Rational) -> Surd {
        Surd { a, b }
    }

    #[test]
    fn roots_are_normalised_into_their_field() {
        let root = Surd {
            a: q(0, 1),
            b: q(1, 1),
        };
        let (f, k) = Field::of_root(&q(8, 1)).unwrap();
        assert_eq!((f.text(&root), k), ("Real.sqrt 2".to_string(), q(2, 1)));
        let (f, k) = Field::of_root(&q(1, 2)).unwrap();
        assert_eq!((f.text(&root), k), ("Real.sqrt 2".to_string(), q(1, 2)));
        assert!(Field::of_root(&q(9, 4)).is_none());
        assert!(Field::of_root(&q(-2, 1)).is_none());
        assert_eq!(f.root_of_rational(&q(18, 1)), Some(s(q(0, 1), q(3, 1))));
        assert_eq!(f.root_of_rational(&q(3, 1)), None);
    }

    #[test]
    fn irrational_critical_points_are_found_beside_rational_ones() {
        // (-y² + y⁴)' = 4y³ - 2y = 2y (2y² - 1): 0 and ±√2 / 2.
        let p = UPoly::from_coeffs(vec![q(0, 1), q(-2, 1), q(0, 1), q(4, 1)]);
        let (f, roots) = quadratic_roots(&p).unwrap();
        let texts: Vec<String> = roots.iter().map(|r| f.text(r)).collect();
        assert_eq!(texts, ["1/2 * Real.sqrt 2", "-1/2 * Real.sqrt 2"]);
        // Rational roots only: none.
        let p = UPoly::from_coeffs(vec![q(-1, 1), q(0, 1), q(1, 1)]);
        assert!(quadratic_roots(&p).is_none());
    }

    #[test]
    fn printed_points_read_back_approximately() {
        let (f, _) = Field::of_root(&q(2, 1)).unwrap();
        for x in [
            s(q(1, 2), q(-3, 1)),
            s(q(-1, 3), q(1, 1)),
            s(q(0, 1), q(-1, 1)),
            s(q(0, 1), q(5, 7)),
            s(q(7, 1), q(0, 1)),
        ] {
            let back = counterexample_value(&f.text(&x)).unwrap();
            let exact = f.enclosure(&x, 512);
            let err = (&back - exact.lo.to_rational().unwrap()).abs();
            let scale = exact.lo.to_rational().unwrap().abs() + 1u32;
            assert!(err < scale / Rational::from(1u128 << 62), "{}", f.text(&x));
        }
        assert_eq!(counterexample_value("3/4"), Some(q(3, 4)));
        assert_eq!(counterexample_value("Real.sqrt x"), None);
    }

    #[test]
    fn signs_are_exact_near_cancellation() {
        let (f, _) = Field::of_root(&q(2, 1)).unwrap();
        // 99/70 is just above √2, 140/99 just below.
        assert_eq!(f.sign(&s(q(99, 70), q(-1, 1))), Ordering::Greater);
        assert_eq!(f.sign(&s(q(140, 99), q(-1, 1))), Ordering::Less);
        assert_eq!(f.sign(&s(q(-3, 1), q(2, 1))), Ordering::Less);
        assert_eq!(f.sign(&s(q(0, 1), q(0, 1))), Ordering::Equal);
    }

    #[test]
    fn field_operations_and_square_roots() {
        let (f, _) = Field::of_root(&q(2, 1)).unwrap();
        let x = s(q(1, 1), q(1, 1)); // 1 + √2
        let sq = f.mul(&x, &x); // 3 + 2√2
        assert_eq!(sq, s(q(3, 1), q(2, 1)));
        assert_eq!(f.sqrt(&sq), Some(x.clone()));
        assert_eq!(f.div(&sq, &x), x);
        assert_eq!(f.div(&x, &s(q(0, 1), q(0, 1))), s(q(0, 1), q(0, 1)));
        // √(1 - √2) is Lean's 0: the argument is negative.
        assert_eq!(f.sqrt(&s(q(1, 1), q(-1, 1))), Some(s(q(0, 1), q(0, 1))));
        assert_eq!(f.sqrt(&s(q(1, 1), q(1, 1))), None);
        assert_eq!(f.text(&s(q(1, 2), q(-3, 1))), "1/2 - 3 * Real.sqrt 2");
        assert_eq!(f.text(&s(q(0, 1), q(1, 1))), "Real.sqrt 2");
        let i = f.enclosure(&x, 128);
        assert!(i.lo < 2.4143 && i.hi > 2.4142);
    }

    #[test]
    fn claims_are_decided_at_irrational_points() {
        let s = crate::statement::translate(
            "theorem t (x y : ℝ) (h : x ^ 2 = 2) : x ^ 3 = 2 * x ∧ |x| * y ≤ Real.sqrt 2 * y := by sorry",
            "t",
        )
        .unwrap();
        let (f, k) = Field::of_root(&q(2, 1)).unwrap();
        let mut point = Point {
            field: Some(f),
            values: BTreeMap::from([
                ("x".to_string(), Surd { a: q(0, 1), b: -k }),
                ("y".to_string(), Surd::rational(q(3, 1))),
            ]),
        };
        assert_eq!(point.truth_plain(&s.claim), Some(true));
        point.values.insert("y".into(), Surd::rational(q(-3, 1)));
        assert_eq!(point.truth_plain(&s.claim), Some(true));
        let false_claim = crate::statement::translate(
            "theorem t (x : ℝ) (h : x ^ 2 = 2) : x ^ 3 = 2 := by sorry",
            "t",
        )
        .unwrap();
        assert_eq!(point.truth_plain(&false_claim.claim), Some(false));
    }

    #[test]
    fn quantifiers_are_closed_over_rational_values_only() {
        let names = ["r".to_string(), "c".to_string()];
        let prop = |src: &str| crate::front::elab_proposition(src, &names).unwrap();
        let (f, k) = Field::of_root(&q(1, 2)).unwrap();
        // r = √2 / 2, c = 2: `r² c = 1` is rational, `r c = √2` is not.
        let point = Point {
            field: Some(f),
            values: BTreeMap::from([
                ("r".to_string(), Surd { a: q(0, 1), b: k }),
                ("c".to_string(), Surd::rational(q(2, 1))),
            ]),
        };
        let closed = point
            .close(&prop("∀ y : ℝ, r ^ 2 * c ≤ y ^ 2 + c"))
            .expect("closes");
        assert_eq!(closed.to_string(), "∀ (y : ℝ), 1 ≤ y ^ 2 + c");
        assert!(point.close(&prop("∀ y : ℝ, r * c ≤ y ^ 2")).is_none());
        // `y` and `r` in one subterm: no value to close it with.
        assert!(point.close(&prop("∀ y : ℝ, 0 ≤ (y + r) ^ 2")).is_none());
    }
}
