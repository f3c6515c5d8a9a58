//! The f64 fast path for points: a claim evaluated in hardware floats with a running bound on
//! the accumulated rounding error (forward error analysis, one ulp per operation plus the
//! propagated input errors). It only *filters*: a comparison is decided when the two sides are
//! further apart than twice their error bounds, otherwise it is left to MPFR or exact
//! arithmetic. A point the fast path finds false is re-decided rigorously before it may become
//! a counterexample, and a point it finds true is only a point without a counterexample, so the
//! fast path can save time but never change a verdict.

use std::collections::BTreeMap;

use crate::expr::{Expr, Func};
use crate::prop::{Prop, Rel};
use crate::statement::Def;

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

/// `e` at a point; `None` outside the fragment the fast path covers (reference values,
/// domain errors, overflow), which sends the point to the rigorous evaluation.
pub fn eval(
    e: &Expr,
    env: &BTreeMap<String, Approx>,
    defs: &BTreeMap<String, Def>,
) -> Option<Approx> {
    let rec = |e: &Expr| eval(e, env, defs);
    match e {
        Expr::Num { text, .. } => rounded(text.parse().ok()?, 0.0),
        Expr::Var { name, .. } => match env.get(name) {
            Some(a) => Some(*a),
            None => {
                let def = defs.get(name).filter(|d| d.params.is_empty())?;
                eval(&def.body, &BTreeMap::new(), defs)
            }
        },
        Expr::Pi => rounded(std::f64::consts::PI, 0.0),
        Expr::Neg(a) => rec(a).map(|a| Approx {
            v: -a.v,
            err: a.err,
        }),
        Expr::Add(a, b) | Expr::Sub(a, b) => {
            let (a, b) = (rec(a)?, rec(b)?);
            let v = if matches!(e, Expr::Add(..)) {
                a.v + b.v
            } else {
                a.v - b.v
            };
            rounded(v, a.err + b.err)
        }
        Expr::Mul(a, b) => {
            let (a, b) = (rec(a)?, rec(b)?);
            rounded(
                a.v * b.v,
                a.v.abs() * b.err + b.v.abs() * a.err + a.err * b.err,
            )
        }
        Expr::Div(a, b, _) => {
            let (a, b) = (rec(a)?, rec(b)?);
            if b.v.abs() <= 2.0 * b.err {
                return None;
            }
            let q = a.v / b.v;
            rounded(q, (a.err + q.abs() * b.err) / (b.v.abs() - b.err))
        }
        Expr::Pow(a, k) => {
            let a = rec(a)?;
            let mut acc = Approx { v: 1.0, err: 0.0 };
            for _ in 0..*k {
                acc = rounded(
                    acc.v * a.v,
                    acc.v.abs() * a.err + a.v.abs() * acc.err + acc.err * a.err,
                )?;
            }
            Some(acc)
        }
        Expr::Abs(a) => rec(a).map(|a| Approx {
            v: a.v.abs(),
            err: a.err,
        }),
        Expr::Min(a, b) | Expr::Max(a, b) => {
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
        Expr::Call(f, a, _) => {
            let a = rec(a)?;
            // The error of f(a ± err): err times the largest |f'| on that range (bounded
            // crudely from above), plus one ulp for the libm call.
            let (lo, hi) = (a.v - a.err, a.v + a.err);
            let far = lo.abs().max(hi.abs());
            let (v, slope) = match f {
                Func::Sqrt => {
                    if lo <= 0.0 {
                        return None;
                    }
                    (a.v.sqrt(), 0.5 / lo.sqrt())
                }
                Func::Exp => (a.v.exp(), hi.exp()),
                Func::Log => {
                    if lo <= 0.0 {
                        return None;
                    }
                    (a.v.ln(), 1.0 / lo)
                }
                Func::Sin => (a.v.sin(), 1.0),
                Func::Cos => (a.v.cos(), 1.0),
                Func::Arctan => (a.v.atan(), 1.0),
                Func::Sinh => (a.v.sinh(), far.cosh()),
                Func::Cosh => (a.v.cosh(), far.cosh()),
                Func::Tanh => (a.v.tanh(), 1.0),
            };
            rounded(v, slope * a.err + 2.0 * v.abs() * EPS)
        }
        Expr::Apply { name, args, .. } => {
            let def = defs.get(name)?;
            if def.params.len() != args.len() {
                return None;
            }
            let mut inner = BTreeMap::new();
            // Norms are rare: look them up only when the point has any.
            let norms = env.keys().any(|k| k.starts_with('‖'));
            for (p, a) in def.params.iter().zip(args) {
                if let (Expr::Var { name: v, .. }, true) = (a, norms) {
                    if let Some(n) = env.get(&format!("‖{v}‖")) {
                        inner.insert(format!("‖{p}‖"), *n);
                        if !env.contains_key(v) {
                            continue;
                        }
                    }
                }
                inner.insert(p.clone(), rec(a)?);
            }
            eval(&def.body, &inner, defs)
        }
    }
}

/// The truth of `p` at a point when f64 can tell, `None` when the rigorous path must decide.
pub fn truth(
    p: &Prop,
    env: &BTreeMap<String, Approx>,
    defs: &BTreeMap<String, Def>,
) -> Option<bool> {
    let and = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    match p {
        Prop::Const(b) => Some(*b),
        Prop::Cmp(es, rels) => {
            let vals: Option<Vec<Approx>> = es.iter().map(|e| eval(e, env, defs)).collect();
            let vals = vals?;
            let mut acc = Some(true);
            for (k, r) in rels.iter().enumerate() {
                let (a, b) = (vals[k], vals[k + 1]);
                let d = b.v - a.v;
                let margin = 2.0 * (a.err + b.err) + (a.v.abs() + b.v.abs()) * EPS;
                let t = match r {
                    Rel::Le | Rel::Lt => decided(d > margin, d < -margin),
                    Rel::Ge | Rel::Gt => decided(d < -margin, d > margin),
                    Rel::Eq => decided(false, d.abs() > margin),
                    Rel::Ne => decided(d.abs() > margin, false),
                };
                acc = and(acc, t);
            }
            acc
        }
        Prop::Not(a) => truth(a, env, defs).map(|x| !x),
        Prop::And(a, b) => and(truth(a, env, defs), truth(b, env, defs)),
        Prop::Or(a, b) => and(
            truth(a, env, defs).map(|x| !x),
            truth(b, env, defs).map(|x| !x),
        )
        .map(|x| !x),
        Prop::Imp(a, b) => and(truth(a, env, defs), truth(b, env, defs).map(|x| !x)).map(|x| !x),
        Prop::Iff(a, b) => match (truth(a, env, defs), truth(b, env, defs)) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
        Prop::Forall(..) | Prop::Exists(..) | Prop::MinOn { .. } => None,
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
    use crate::expr::parse;
    use proptest::prelude::*;
    use rug::Float;

    #[test]
    fn cancellation_is_left_undecided() {
        let env: BTreeMap<String, Approx> = [("x".to_string(), point(1e20))].into_iter().collect();
        let defs = BTreeMap::new();
        // (x + 1) - x = 1 exactly, but f64 computes 0: the error bound must cover it.
        let p = crate::prop::parse_prop("(x + 1) - x > 0.5", &Default::default()).unwrap();
        assert_eq!(truth(&p, &env, &defs), None);
        let p = crate::prop::parse_prop("x ^ 2 > 1", &Default::default()).unwrap();
        assert_eq!(truth(&p, &env, &defs), Some(true));
    }

    proptest! {
        /// The f64 value with its error bound encloses the 512-bit MPFR enclosure's midpoint.
        #[test]
        fn error_bounds_cover_the_mpfr_value(x in -30.0f64..30.0, k in 0usize..6) {
            let src = ["(x + 3) * (x - 2) / (x ^ 2 + 1)", "Real.exp (Real.sin x) - x ^ 3", "Real.sqrt (x ^ 2 + 1) - |x|", "Real.cosh (x / 10) * Real.tanh x", "Real.log (x ^ 2 + 2) * Real.arctan x", "(x ^ 2 - 1) ^ 3 - x ^ 6"][k];
            let e = parse(src).unwrap();
            let env: BTreeMap<String, Approx> = [("x".to_string(), point(x))].into_iter().collect();
            let a = eval(&e, &env, &BTreeMap::new()).unwrap();
            let params: Params = [("x".to_string(), crate::interval::Interval::point(Float::with_val(53, x)))].into_iter().collect();
            let exact = eval_in(&e, &params, &BTreeMap::new(), 512).unwrap();
            let mid = (exact.lo.to_f64() + exact.hi.to_f64()) / 2.0;
            prop_assert!((a.v - mid).abs() <= a.err + mid.abs() * 1e-15, "{src} at {x}: {} ± {} vs {mid}", a.v, a.err);
        }
    }
}
