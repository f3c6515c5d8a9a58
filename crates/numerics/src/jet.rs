//! Forward-mode automatic differentiation over intervals: each value carries enclosures of its
//! gradient (and, when asked, its Hessian) with respect to chosen variables, propagated by the
//! product and chain rules with the same outward rounding as [`Interval`]. Evaluated on a box,
//! the gradient encloses every derivative on the box, which gives the mean-value form
//! `f(X) ⊆ f(c) + Σ ∂ᵢf(X)·(Xᵢ - cᵢ)` used by the branch and bound (`check`), and at a point it
//! gives the stationarity and second-order data of a minimiser (`minimiser`). Functions that are
//! not differentiable (`|·|`, `min`, `max`) or a derivative that is unbounded on the box (`√` at
//! 0) give `None`: the caller then keeps the plain enclosure.

use std::collections::BTreeMap;

use rug::Float;

use crate::core::{Expr, Func, Ty};
use crate::eval::{Params, eval_in};
use crate::interval::Interval;

/// A value with its gradient and (if `second`) row-major Hessian.
#[derive(Debug, Clone)]
pub struct Jet {
    pub v: Interval,
    pub g: Vec<Interval>,
    pub h: Vec<Interval>,
}

fn zero(prec: u32) -> Interval {
    Interval::point(Float::with_val(prec, 0))
}

fn num(prec: u32, x: i64) -> Interval {
    Interval::point(Float::with_val(prec, x))
}

impl Jet {
    pub fn constant(v: Interval, n: usize, second: bool) -> Jet {
        let p = v.prec();
        Jet {
            g: vec![zero(p); n],
            h: if second {
                vec![zero(p); n * n]
            } else {
                Vec::new()
            },
            v,
        }
    }

    /// The `i`-th variable, with value `v`.
    pub fn variable(v: Interval, i: usize, n: usize, second: bool) -> Jet {
        let mut j = Jet::constant(v, n, second);
        j.g[i] = num(j.v.prec(), 1);
        j
    }

    fn n(&self) -> usize {
        self.g.len()
    }

    fn zip(&self, o: &Jet, f: impl Fn(&Interval, &Interval) -> Interval) -> Jet {
        Jet {
            v: f(&self.v, &o.v),
            g: self.g.iter().zip(&o.g).map(|(a, b)| f(a, b)).collect(),
            h: self.h.iter().zip(&o.h).map(|(a, b)| f(a, b)).collect(),
        }
    }

    pub fn add(&self, o: &Jet) -> Jet {
        self.zip(o, Interval::add)
    }

    pub fn neg(&self) -> Jet {
        Jet {
            v: self.v.neg(),
            g: self.g.iter().map(Interval::neg).collect(),
            h: self.h.iter().map(Interval::neg).collect(),
        }
    }

    /// `(ab)ᵢ = aᵢb + abᵢ`, `(ab)ᵢⱼ = aᵢⱼb + aᵢbⱼ + aⱼbᵢ + abᵢⱼ`.
    pub fn mul(&self, o: &Jet) -> Jet {
        let n = self.n();
        let g = (0..n)
            .map(|i| self.g[i].mul(&o.v).add(&self.v.mul(&o.g[i])))
            .collect();
        let h = if self.h.is_empty() {
            Vec::new()
        } else {
            (0..n * n)
                .map(|k| {
                    let (i, j) = (k / n, k % n);
                    self.h[k]
                        .mul(&o.v)
                        .add(&self.g[i].mul(&o.g[j]))
                        .add(&self.g[j].mul(&o.g[i]))
                        .add(&self.v.mul(&o.h[k]))
                })
                .collect()
        };
        Jet {
            v: self.v.mul(&o.v),
            g,
            h,
        }
    }

    /// `φ(u)` from enclosures of `φ(u)`, `φ'(u)`, `φ''(u)`: `gᵢ = φ' uᵢ`,
    /// `hᵢⱼ = φ' uᵢⱼ + φ'' uᵢ uⱼ`.
    fn chain(
        &self,
        f: Interval,
        d1: Interval,
        d2: impl FnOnce() -> Option<Interval>,
    ) -> Option<Jet> {
        let n = self.n();
        let g = self.g.iter().map(|gi| d1.mul(gi)).collect();
        let h = if self.h.is_empty() {
            Vec::new()
        } else {
            let d2 = d2()?;
            (0..n * n)
                .map(|k| {
                    let (i, j) = (k / n, k % n);
                    d1.mul(&self.h[k]).add(&d2.mul(&self.g[i].mul(&self.g[j])))
                })
                .collect()
        };
        Some(Jet { v: f, g, h })
    }

    fn pow(&self, k: u32) -> Option<Jet> {
        let p = self.v.prec();
        if k == 0 {
            return Some(Jet::constant(num(p, 1), self.n(), !self.h.is_empty()));
        }
        let u = &self.v;
        let d1 = num(p, k as i64).mul(&u.pow(k - 1));
        let d2 = || {
            Some(if k >= 2 {
                num(p, (k * (k - 1)) as i64).mul(&u.pow(k - 2))
            } else {
                zero(p)
            })
        };
        self.chain(u.pow(k), d1, d2)
    }

    fn recip(&self) -> Option<Jet> {
        let p = self.v.prec();
        let f = num(p, 1).div(&self.v).ok()?;
        let d1 = f.pow(2).neg();
        let d2 = || Some(num(p, 2).mul(&f.pow(3)));
        self.chain(f.clone(), d1, d2)
    }

    fn call(&self, func: Func) -> Option<Jet> {
        let p = self.v.prec();
        let u = &self.v;
        match func {
            Func::Sqrt => {
                // Lean's √ is 0 (flat) below 0 and not differentiable at 0.
                if u.hi < 0 {
                    return Some(Jet::constant(num(p, 0), self.n(), !self.h.is_empty()));
                }
                if u.lo <= 0 {
                    return None;
                }
                let f = u.sqrt().ok()?;
                let d1 = num(p, 1).div(&num(p, 2).mul(&f)).ok()?;
                let d2 = || d1.neg().div(&num(p, 2).mul(u)).ok();
                self.chain(f.clone(), d1.clone(), d2)
            }
            Func::Exp => {
                let f = u.exp();
                self.chain(f.clone(), f.clone(), || Some(f.clone()))
            }
            Func::Log => {
                // `log |u|`: derivative `1 / u` on either side of 0.
                let f = u.log_lean().ok()?;
                if u.contains_zero() {
                    return None;
                }
                let d1 = num(p, 1).div(u).ok()?;
                self.chain(f, d1.clone(), || Some(d1.pow(2).neg()))
            }
            Func::Tan => {
                let c = self.call(Func::Cos)?;
                let s = self.call(Func::Sin)?;
                Some(s.mul(&c.recip()?))
            }
            Func::Sin => self.chain(u.sin(), u.cos(), || Some(u.sin().neg())),
            Func::Cos => self.chain(u.cos(), u.sin().neg(), || Some(u.cos().neg())),
            Func::Arctan => {
                let d1 = num(p, 1).div(&num(p, 1).add(&u.pow(2))).ok()?;
                let d2 = || Some(num(p, -2).mul(u).mul(&d1.pow(2)));
                self.chain(u.atan(), d1.clone(), d2)
            }
            Func::Sinh => self.chain(u.sinh(), u.cosh(), || Some(u.sinh())),
            Func::Cosh => self.chain(u.cosh(), u.sinh(), || Some(u.cosh())),
            Func::Tanh => {
                let t = u.tanh();
                let d1 = num(p, 1).sub(&t.pow(2));
                let d2 = || Some(num(p, -2).mul(&t).mul(&d1));
                self.chain(t.clone(), d1.clone(), d2)
            }
        }
    }
}

/// The jet of `e`; `env` gives the jets of every variable (constants with zero derivatives).
/// `None` where `e` is not differentiable (ℕ/ℤ operations, `|·|` at 0, a junk value's
/// boundary) unless that part does not depend on the variables.
pub fn eval_jet(
    e: &Expr,
    env: &BTreeMap<String, Jet>,
    prec: u32,
    n: usize,
    second: bool,
) -> Option<Jet> {
    let rec = |e: &Expr| eval_jet(e, env, prec, n, second);
    let constant = |e: &Expr| {
        let params: Params = env.iter().map(|(k, j)| (k.clone(), j.v.clone())).collect();
        eval_in(e, &params, prec)
            .ok()
            .map(|v| Jet::constant(v, n, second))
    };
    if !depends(e, env) {
        return constant(e);
    }
    match e {
        Expr::Lit(..) | Expr::Pi | Expr::Ref(_) => constant(e),
        Expr::Var(_, name) => env.get(name).cloned(),
        Expr::Neg(_, a) => Some(rec(a)?.neg()),
        Expr::Add(_, xs) => {
            let mut acc = rec(&xs[0])?;
            for x in &xs[1..] {
                acc = acc.add(&rec(x)?);
            }
            Some(acc)
        }
        Expr::Mul(_, xs) if xs.len() == 2 && xs[0] == xs[1] => rec(&xs[0])?.pow(2),
        Expr::Mul(_, xs) => {
            let mut acc = rec(&xs[0])?;
            for x in &xs[1..] {
                acc = acc.mul(&rec(x)?);
            }
            Some(acc)
        }
        Expr::Div(ty, a, b) if ty.is_field() => Some(rec(a)?.mul(&rec(b)?.recip()?)),
        Expr::Inv(_, a) => rec(a)?.recip(),
        Expr::Pow(_, a, k) => rec(a)?.pow(*k),
        Expr::Cast(_, Ty::Rat | Ty::Real, a) => rec(a),
        Expr::Abs(_, a) => {
            let j = rec(a)?;
            if j.v.lo > 0 {
                Some(j)
            } else if j.v.hi < 0 {
                Some(j.neg())
            } else {
                None
            }
        }
        Expr::Rpow(a, b) => {
            // `x ^ y = exp (y log x)` for `x > 0`.
            let x = rec(a)?;
            if x.v.lo <= 0 {
                return None;
            }
            let l = x.call(Func::Log)?;
            l.mul(&rec(b)?).call(Func::Exp)
        }
        Expr::Call(f, a) => rec(a)?.call(*f),
        _ => None,
    }
}

/// Whether `e` depends on a variable with a non-zero derivative.
fn depends(e: &Expr, env: &BTreeMap<String, Jet>) -> bool {
    match e {
        Expr::Var(_, name) => env
            .get(name)
            .is_some_and(|j| j.g.iter().any(|g| !(g.lo == 0 && g.hi == 0))),
        Expr::Ite(c, a, b) => {
            depends(a, env) || depends(b, env) || {
                let mut names = Vec::new();
                prop_vars(c, &mut names);
                names.iter().any(|n| {
                    env.get(n)
                        .is_some_and(|j| j.g.iter().any(|g| !(g.lo == 0 && g.hi == 0)))
                })
            }
        }
        _ => e.children().iter().any(|c| depends(c, env)),
    }
}

fn prop_vars(p: &crate::core::Prop, out: &mut Vec<String>) {
    use crate::core::Prop;
    fn expr_vars(e: &Expr, out: &mut Vec<String>) {
        if let Expr::Var(_, n) = e {
            out.push(n.clone());
        }
        for c in e.children() {
            expr_vars(c, out);
        }
    }
    match p {
        Prop::Const(_) => {}
        Prop::Cmp(_, a, b) => {
            expr_vars(a, out);
            expr_vars(b, out);
        }
        Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => prop_vars(a, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            prop_vars(a, out);
            prop_vars(b, out);
        }
    }
}

/// The mean-value (centred) enclosure of `e` on the box `env`: `e(c) + Σ ∂ᵢe(X)·(Xᵢ - cᵢ)` with
/// `c` the box's midpoint, intersected with the plain enclosure. `None` when `e` is not
/// differentiable on the box.
pub fn centred(e: &Expr, env: &Params, prec: u32) -> Option<Interval> {
    let wide: Vec<&String> = env
        .iter()
        .filter(|(_, x)| x.lo < x.hi)
        .map(|(k, _)| k)
        .collect();
    if wide.is_empty() {
        return None;
    }
    let n = wide.len();
    let jets: BTreeMap<String, Jet> = env
        .iter()
        .map(|(k, x)| {
            let j = match wide.iter().position(|w| *w == k) {
                Some(i) => Jet::variable(x.clone(), i, n, false),
                None => Jet::constant(x.clone(), n, false),
            };
            (k.clone(), j)
        })
        .collect();
    let jet = eval_jet(e, &jets, prec, n, false)?;
    let mut centre = env.clone();
    let mut offsets = Vec::with_capacity(n);
    for name in &wide {
        let x = &env[*name];
        let c = Float::with_val(prec, &x.lo + &x.hi) / 2u32;
        offsets.push(x.sub(&Interval::point(c.clone())));
        centre.insert((*name).clone(), Interval::point(c));
    }
    let mut acc = eval_in(e, &centre, prec).ok()?;
    for (g, off) in jet.g.iter().zip(&offsets) {
        acc = acc.add(&g.mul(off));
    }
    let lo = acc.lo.max(&jet.v.lo);
    let hi = acc.hi.min(&jet.v.hi);
    Interval::new(lo, hi).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::elab_expression;
    use proptest::prelude::*;

    fn parse(src: &str) -> Result<Expr, String> {
        Ok(elab_expression(src, &["x".to_string(), "y".to_string()])?)
    }

    fn at(x: f64) -> Interval {
        Interval::point(Float::with_val(256, x))
    }

    proptest! {
        /// At a point, the jet's derivatives enclose central differences of 1024-bit values to
        /// within the step's truncation error.
        #[test]
        fn derivatives_match_finite_differences(x in -3.0f64..3.0, k in 0usize..5) {
            let src = ["x ^ 3 - 2 * x / (x ^ 2 + 1)", "Real.exp (Real.sin x) * Real.cos x", "Real.sqrt (x ^ 2 + 1) * Real.arctan x", "Real.log (x ^ 2 + 2) - Real.tanh x", "Real.sinh x * Real.cosh (x / 2)"][k];
            let e = parse(src).unwrap();
            let env: BTreeMap<String, Jet> = [("x".to_string(), Jet::variable(at(x), 0, 1, true))].into_iter().collect();
            let j = eval_jet(&e, &env, 256, 1, true).unwrap();
            let f = |t: f64| {
                let p: Params = [("x".to_string(), Interval::point(Float::with_val(1024, t)))].into_iter().collect();
                let v = eval_in(&e, &p, 1024).unwrap();
                v.lo.to_f64()
            };
            let h = 1e-4;
            let d1 = (f(x + h) - f(x - h)) / (2.0 * h);
            let d2 = (f(x + h) - 2.0 * f(x) + f(x - h)) / (h * h);
            let mid = |i: &Interval| (i.lo.to_f64() + i.hi.to_f64()) / 2.0;
            prop_assert!((mid(&j.g[0]) - d1).abs() < 1e-5 * (1.0 + d1.abs()), "{src}: {} vs {d1}", j.g[0]);
            prop_assert!((mid(&j.h[0]) - d2).abs() < 1e-3 * (1.0 + d2.abs()), "{src}: {} vs {d2}", j.h[0]);
        }
    }

    proptest! {
        /// The centred enclosure over a box contains the 1024-bit value at points of the box.
        #[test]
        fn centred_enclosures_contain_high_precision_values(
            k in 0usize..6, x0 in -3.0f64..3.0, w in 1e-6f64..2.0, y0 in -2.0f64..2.0, t in 0.0f64..1.0, u in 0.0f64..1.0
        ) {
            let src = ["x ^ 3 - 2 * x * y + y ^ 2", "Real.exp (Real.sin x) * Real.cos y", "Real.sqrt (x ^ 2 + y ^ 2 + 1) - x / (y ^ 2 + 1)", "Real.log (x ^ 2 + 2) * Real.tanh y", "Real.sinh x * Real.cosh (y / 2) - Real.arctan (x * y)", "(x - y) ^ 4 - x ^ 2 * y"][k];
            let e = parse(src).unwrap();
            let iv = |lo: f64, hi: f64| Interval::new(Float::with_val(128, lo), Float::with_val(128, hi)).unwrap();
            let bx: Params = [("x".to_string(), iv(x0, x0 + w)), ("y".to_string(), iv(y0, y0 + w / 2.0))].into_iter().collect();
            let c = centred(&e, &bx, 128).unwrap();
            let p: Params = [("x".to_string(), Interval::point(Float::with_val(1024, x0 + t * w))), ("y".to_string(), Interval::point(Float::with_val(1024, y0 + u * w / 2.0)))].into_iter().collect();
            let v = eval_in(&e, &p, 1024).unwrap();
            prop_assert!(c.lo <= v.lo && v.hi <= c.hi, "{src}: {c} does not contain {v}");
        }
    }

    #[test]
    fn the_centred_form_is_tighter_near_a_minimum() {
        // x² - 2x on [0.9, 1.1]: the true range is [-1, -0.99]; the plain form gives
        // [-1.39, -0.59], the centred one [-1.03, -0.97] or better.
        let e = parse("x ^ 2 - 2 * x").unwrap();
        let p: Params = [(
            "x".to_string(),
            Interval::new(Float::with_val(128, 0.9), Float::with_val(128, 1.1)).unwrap(),
        )]
        .into_iter()
        .collect();
        let c = centred(&e, &p, 128).unwrap();
        assert!(c.lo.to_f64() > -1.05 && c.lo.to_f64() <= -1.0, "{c}");
        let plain = eval_in(&e, &p, 128).unwrap();
        assert!(c.width() < plain.width());
    }
}
