//! The f64 fast path for points: a claim evaluated in hardware floats with a running bound on
//! the accumulated rounding error (forward error analysis, one ulp per operation plus the
//! propagated input errors). It only *filters*: a comparison is decided when the two sides are
//! further apart than twice their error bounds, otherwise it is left to MPFR or exact
//! arithmetic. A point the fast path finds false is re-decided rigorously before it may become
//! a counterexample, and a point it finds true is only a point without a counterexample, so the
//! fast path can save time but never change a verdict.

use std::collections::BTreeMap;

use crate::core::{Expr, Func, Prop, Rel};

/// A value and a bound on its absolute error.
#[derive(Debug, Clone, Copy)]
pub struct Approx {
    pub v: f64,
    pub err: f64,
}

const EPS: f64 = f64::EPSILON;

fn rounded(v: f64, err: f64) -> Option<Approx> {
    if !v.is_finite() || !err.is_finite() {
        return None;
    }
    Some(Approx {
        v,
        err: err + v.abs() * EPS + f64::MIN_POSITIVE,
    })
}

/// The point's coordinates as f64 with their conversion error.
pub fn point(v: f64) -> Approx {
    Approx {
        v,
        err: v.abs() * EPS,
    }
}

/// Clearly away from 0 (the error bound cannot reach it).
fn clear(a: Approx) -> bool {
    a.v.abs() > 2.0 * a.err
}

/// `e` at a point; `None` outside what the fast path covers (integer division, a junk value's
/// boundary such as a divisor near 0, reference values, overflow), which sends the point to
/// the rigorous evaluation.
pub fn eval(e: &Expr, env: &BTreeMap<String, Approx>) -> Option<Approx> {
    let rec = |e: &Expr| eval(e, env);
    match e {
        Expr::Lit(_, q) => rounded(q.to_f64(), 0.0),
        Expr::Var(_, name) => env.get(name).copied(),
        Expr::Pi => rounded(std::f64::consts::PI, 0.0),
        Expr::Ref(_) => None,
        Expr::Neg(_, a) => rec(a).map(|a| Approx {
            v: -a.v,
            err: a.err,
        }),
        Expr::Add(_, xs) => {
            let mut acc = Approx { v: 0.0, err: 0.0 };
            for x in xs {
                let a = rec(x)?;
                acc = rounded(acc.v + a.v, acc.err + a.err)?;
            }
            Some(acc)
        }
        Expr::Mul(_, xs) => {
            let mut acc = Approx { v: 1.0, err: 0.0 };
            for x in xs {
                acc = product(acc, rec(x)?)?;
            }
            Some(acc)
        }
        Expr::Sub(_, a, b) => truncated_sub(rec(a)?, rec(b)?),
        Expr::Div(ty, a, b) => {
            if !ty.is_field() {
                return None;
            }
            let (a, b) = (rec(a)?, rec(b)?);
            if !clear(b) {
                return None;
            }
            let q = a.v / b.v;
            rounded(q, (a.err + q.abs() * b.err) / (b.v.abs() - b.err))
        }
        Expr::Pow(_, a, k) => {
            let a = rec(a)?;
            // Beyond a few hundred factors the error bound is meaningless: let MPFR decide.
            if *k > 256 {
                return None;
            }
            let mut acc = Approx { v: 1.0, err: 0.0 };
            for _ in 0..*k {
                acc = product(acc, a)?;
            }
            Some(acc)
        }
        Expr::Inv(_, a) => {
            let a = rec(a)?;
            if !clear(a) {
                return None;
            }
            let q = 1.0 / a.v;
            rounded(q, q.abs() * a.err / (a.v.abs() - a.err))
        }
        Expr::Cast(_, _, a) => rec(a),
        Expr::Abs(_, a) => rec(a).map(|a| Approx {
            v: a.v.abs(),
            err: a.err,
        }),
        Expr::Min(_, a, b) | Expr::Max(_, a, b) => {
            let (a, b) = (rec(a)?, rec(b)?);
            let v = if matches!(e, Expr::Min(..)) {
                a.v.min(b.v)
            } else {
                a.v.max(b.v)
            };
            Some(Approx {
                v,
                err: a.err.max(b.err),
            })
        }
        Expr::Mod(..)
        | Expr::PowExpr(..)
        | Expr::Rpow(..)
        | Expr::Floor(..)
        | Expr::Ceil(..)
        | Expr::ToNat(_)
        | Expr::NatAbs(_)
        | Expr::Ite(..) => None,
        Expr::Call(f, a) => call(*f, rec(a)?),
    }
}

/// `acc · a` with the product's error: `|acc| err_a + |a| err_acc + err_acc err_a`, plus
/// rounding.
fn product(acc: Approx, a: Approx) -> Option<Approx> {
    rounded(
        acc.v * a.v,
        acc.v.abs() * a.err + a.v.abs() * acc.err + acc.err * a.err,
    )
}

/// ℕ's truncated subtraction `a - b`, decided only away from the kink at 0.
fn truncated_sub(a: Approx, b: Approx) -> Option<Approx> {
    let d = rounded(a.v - b.v, a.err + b.err)?;
    if d.v > 2.0 * d.err {
        Some(d)
    } else if d.v < -2.0 * d.err {
        Some(Approx { v: 0.0, err: 0.0 })
    } else {
        None
    }
}

/// A real function at `a`: its error is `a`'s error times the largest `|f'|` on
/// `a ± err` (bounded crudely from above), plus one ulp for the libm call; `None` near a
/// boundary of its domain (Lean's junk values) or for huge arguments of periodic functions.
fn call(f: Func, a: Approx) -> Option<Approx> {
    let (lo, hi) = (a.v - a.err, a.v + a.err);
    let far = lo.abs().max(hi.abs());
    let near = lo.abs().min(hi.abs());
    let (v, slope) = match f {
        Func::Sqrt => {
            // Lean's √ is 0 below 0: only clearly positive arguments here.
            if lo <= 0.0 {
                return None;
            }
            (a.v.sqrt(), 0.5 / lo.sqrt())
        }
        Func::Exp => (a.v.exp(), hi.exp()),
        Func::Log => {
            // `log x = log |x|`: fine away from 0 on either side.
            if !clear(a) {
                return None;
            }
            (a.v.abs().ln(), 1.0 / near)
        }
        Func::Sin => (a.v.sin(), 1.0),
        Func::Cos => (a.v.cos(), 1.0),
        Func::Tan => {
            let c = a.v.cos();
            if c.abs() < 1e-6 + 4.0 * a.err {
                return None;
            }
            (a.v.tan(), 1.0 / (c.abs() - a.err).powi(2))
        }
        Func::Arctan => (a.v.atan(), 1.0),
        Func::Sinh => (a.v.sinh(), far.cosh()),
        Func::Cosh => (a.v.cosh(), far.cosh()),
        Func::Tanh => (a.v.tanh(), 1.0),
    };
    if matches!(f, Func::Sin | Func::Cos | Func::Tan) && far > 1e15 {
        return None;
    }
    rounded(v, slope * a.err + 2.0 * v.abs() * EPS)
}

/// The truth of `p` at a point when f64 can tell, `None` when the rigorous path must decide.
pub fn truth(p: &Prop, env: &BTreeMap<String, Approx>) -> Option<bool> {
    let and = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    match p {
        Prop::Const(b) => Some(*b),
        Prop::Cmp(r, a, b) => {
            let (a, b) = (eval(a, env)?, eval(b, env)?);
            let d = b.v - a.v;
            let margin = 2.0 * (a.err + b.err) + (a.v.abs() + b.v.abs()) * EPS;
            match r {
                Rel::Le | Rel::Lt => decided(d > margin, d < -margin),
                Rel::Ge | Rel::Gt => decided(d < -margin, d > margin),
                Rel::Eq => decided(false, d.abs() > margin),
                Rel::Ne => decided(d.abs() > margin, false),
            }
        }
        Prop::Not(a) => truth(a, env).map(|x| !x),
        Prop::And(a, b) => and(truth(a, env), truth(b, env)),
        Prop::Or(a, b) => and(truth(a, env).map(|x| !x), truth(b, env).map(|x| !x)).map(|x| !x),
        Prop::Imp(a, b) => and(truth(a, env), truth(b, env).map(|x| !x)).map(|x| !x),
        Prop::Iff(a, b) => match (truth(a, env), truth(b, env)) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
        Prop::Forall(..) | Prop::Exists(..) => None,
    }
}

fn decided(t: bool, f: bool) -> Option<bool> {
    if t {
        Some(true)
    } else if f {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Params, eval_in};
    use crate::front::{elab_expression, elab_proposition};
    use proptest::prelude::*;
    use rug::Float;

    #[test]
    fn cancellation_is_left_undecided() {
        let env: BTreeMap<String, Approx> = [("x".to_string(), point(1e20))].into_iter().collect();
        let x = ["x".to_string()];
        // (x + 1) - x = 1 exactly, but f64 computes 0: the error bound must cover it.
        let p = elab_proposition("(x + 1) - x > 0.5", &x).unwrap();
        assert_eq!(truth(&p, &env), None);
        let p = elab_proposition("x ^ 2 > 1", &x).unwrap();
        assert_eq!(truth(&p, &env), Some(true));
    }

    proptest! {
        /// The f64 value with its error bound encloses the 512-bit MPFR enclosure's midpoint.
        #[test]
        fn error_bounds_cover_the_mpfr_value(x in -30.0f64..30.0, k in 0usize..6) {
            let src = ["(x + 3) * (x - 2) / (x ^ 2 + 1)", "Real.exp (Real.sin x) - x ^ 3", "Real.sqrt (x ^ 2 + 1) - |x|", "Real.cosh (x / 10) * Real.tanh x", "Real.log (x ^ 2 + 2) * Real.arctan x", "(x ^ 2 - 1) ^ 3 - x ^ 6"][k];
            let e = elab_expression(src, &["x".to_string()]).unwrap();
            let env: BTreeMap<String, Approx> = [("x".to_string(), point(x))].into_iter().collect();
            let a = eval(&e, &env).unwrap();
            let params: Params = [("x".to_string(), crate::interval::Interval::point(Float::with_val(53, x)))].into_iter().collect();
            let exact = eval_in(&e, &params, 512).unwrap();
            let mid = (exact.lo.to_f64() + exact.hi.to_f64()) / 2.0;
            prop_assert!((a.v - mid).abs() <= a.err + mid.abs() * 1e-15, "{src} at {x}: {} ± {} vs {mid}", a.v, a.err);
        }
    }
}
