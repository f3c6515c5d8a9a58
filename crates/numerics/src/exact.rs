//! Exact rational evaluation of the core at a rational point, with each type's semantics:
//! `ℕ` subtraction truncates, `ℕ`/`ℤ` division floors (Euclidean on `ℤ`), `x / 0 = 0`,
//! `0⁻¹ = 0`, `Real.sqrt` of a negative is 0 and of a perfect square its root, `Real.log 0 = 0`,
//! `log 1 = 0`, `exp 0 = 1`, and so on. `None` when the value leaves the rationals (π, √2,
//! `exp 1`, …) or grows beyond [`MAX_BITS`] (so `x ^ 1000000` at a random point gives up at
//! once instead of computing a number with millions of digits).

use std::collections::BTreeMap;

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::core::{Expr, Func, Prop, Rel, Ty};

/// The largest numerator or denominator (in bits) exact evaluation carries.
pub const MAX_BITS: u32 = 1 << 16;

/// A decimal numeral as an exact rational (`0.129` = 129/1000, `1.5e-3` = 3/2000).
pub fn rational_of_decimal(text: &str) -> Option<Rational> {
    crate::front::elab::decimal(text)
}

/// `"[a, b]"` with decimal bounds as exact rationals (the order is the caller's to check).
pub fn rational_range(text: &str) -> Option<(Rational, Rational)> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let (a, b) = inner.split_once(',')?;
    Some((
        rational_of_decimal(a.trim())?,
        rational_of_decimal(b.trim())?,
    ))
}

fn small(q: Rational) -> Option<Rational> {
    (q.numer().significant_bits() <= MAX_BITS && q.denom().significant_bits() <= MAX_BITS)
        .then_some(q)
}

fn integer(q: &Rational) -> Option<Integer> {
    (*q.denom() == 1).then(|| q.numer().clone())
}

/// `√q` when `q` is the square of a rational.
pub(crate) fn exact_sqrt(q: &Rational) -> Option<Rational> {
    if *q <= 0 {
        return Some(Rational::new());
    }
    let (n, d) = (q.numer(), q.denom());
    let (rn, rd) = (n.clone().sqrt(), d.clone().sqrt());
    (Integer::from(&rn * &rn) == *n && Integer::from(&rd * &rd) == *d)
        .then(|| Rational::from((rn, rd)))
}

/// `e` at the exact point `env`.
pub fn eval_exact(e: &Expr, env: &BTreeMap<String, Rational>) -> Option<Rational> {
    let rec = |e: &Expr| eval_exact(e, env);
    small(match e {
        Expr::Lit(_, q) => q.clone(),
        Expr::Var(_, name) => env.get(name)?.clone(),
        Expr::Pi | Expr::Ref(_) => return None,
        Expr::Neg(_, a) => -rec(a)?,
        Expr::Add(_, xs) => {
            let mut acc = Rational::new();
            for x in xs {
                acc += rec(x)?;
            }
            acc
        }
        Expr::Mul(_, xs) => {
            let mut acc = Rational::from(1);
            for x in xs {
                acc *= rec(x)?;
                small(acc.clone())?;
            }
            acc
        }
        Expr::Sub(_, a, b) => {
            let d = rec(a)? - rec(b)?;
            if d < 0 { Rational::new() } else { d }
        }
        Expr::Div(ty, a, b) => {
            let (x, y) = (rec(a)?, rec(b)?);
            if y == 0 {
                return Some(Rational::new());
            }
            match ty {
                Ty::Rat | Ty::Real => x / y,
                Ty::Nat => Rational::from(integer(&x)? / integer(&y)?),
                Ty::Int => Rational::from(integer(&x)?.div_rem_euc(integer(&y)?).0),
            }
        }
        Expr::Mod(_, a, b) => {
            let (x, y) = (integer(&rec(a)?)?, integer(&rec(b)?)?);
            if y == 0 {
                Rational::from(x)
            } else {
                Rational::from(x.div_rem_euc(y).1)
            }
        }
        Expr::Pow(_, a, n) => power(rec(a)?, *n)?,
        Expr::PowExpr(_, a, b) => {
            let base = rec(a)?;
            let k = integer(&rec(b)?)?;
            let n = k.clone().abs().to_u32()?;
            let p = power(base, n)?;
            if k < 0 {
                if p == 0 { Rational::new() } else { p.recip() }
            } else {
                p
            }
        }
        Expr::Rpow(a, b) => rpow_exact(rec(a)?, rec(b)?)?,
        Expr::Inv(_, a) => {
            let x = rec(a)?;
            if x == 0 { Rational::new() } else { x.recip() }
        }
        Expr::Cast(_, _, a) => rec(a)?,
        Expr::Abs(_, a) => rec(a)?.abs(),
        Expr::Min(_, a, b) => rec(a)?.min(rec(b)?),
        Expr::Max(_, a, b) => rec(a)?.max(rec(b)?),
        Expr::Floor(_, a) => Rational::from(rec(a)?.floor().numer().clone()),
        Expr::Ceil(_, a) => Rational::from(rec(a)?.ceil().numer().clone()),
        Expr::ToNat(a) => rec(a)?.max(Rational::new()),
        Expr::NatAbs(a) => rec(a)?.abs(),
        Expr::Ite(c, a, b) => {
            if truth_exact(c, env)? {
                rec(a)?
            } else {
                rec(b)?
            }
        }
        Expr::Call(f, a) => call_exact(*f, rec(a)?)?,
    })
}

/// `x ^ y` (real power) in the cases whose value is rational for sure.
fn rpow_exact(x: Rational, y: Rational) -> Option<Rational> {
    Some(if y == 0 {
        Rational::from(1)
    } else if x == 0 {
        Rational::new()
    } else if x > 0 && *y.denom() == 1 {
        let n = y.numer().clone().abs().to_u32()?;
        let p = power(x, n)?;
        if y < 0 { p.recip() } else { p }
    } else {
        return None;
    })
}

/// `f x` where it is rational: `√` of a perfect square (Lean's 0 for a negative), and the
/// functions' values at the points where they are exact.
pub(crate) fn call_exact(f: Func, x: Rational) -> Option<Rational> {
    Some(match f {
        Func::Sqrt => exact_sqrt(&x)?,
        Func::Exp | Func::Cosh if x == 0 => Rational::from(1),
        Func::Log if x == 0 || x == 1 || x == -1 => Rational::new(),
        Func::Sin | Func::Tan | Func::Arctan | Func::Sinh | Func::Tanh if x == 0 => Rational::new(),
        Func::Cos if x == 0 => Rational::from(1),
        _ => return None,
    })
}

fn power(base: Rational, n: u32) -> Option<Rational> {
    let bits = base
        .numer()
        .significant_bits()
        .max(base.denom().significant_bits()) as u64;
    if bits * n as u64 > MAX_BITS as u64 && base.clone().abs() != 1 && base != 0 {
        return None;
    }
    Some(base.pow(n))
}

fn compare_exact(a: &Rational, r: Rel, b: &Rational) -> bool {
    match r {
        Rel::Le => a <= b,
        Rel::Lt => a < b,
        Rel::Ge => a >= b,
        Rel::Gt => a > b,
        Rel::Eq => a == b,
        Rel::Ne => a != b,
    }
}

/// Exact truth at a rational point, when all the arithmetic is rational.
pub fn truth_exact(p: &Prop, env: &BTreeMap<String, Rational>) -> Option<bool> {
    Some(match p {
        Prop::Const(b) => *b,
        Prop::Cmp(r, a, b) => compare_exact(&eval_exact(a, env)?, *r, &eval_exact(b, env)?),
        Prop::Not(a) => !truth_exact(a, env)?,
        Prop::And(a, b) => truth_exact(a, env)? && truth_exact(b, env)?,
        Prop::Or(a, b) => truth_exact(a, env)? || truth_exact(b, env)?,
        Prop::Imp(a, b) => !truth_exact(a, env)? || truth_exact(b, env)?,
        Prop::Iff(a, b) => truth_exact(a, env)? == truth_exact(b, env)?,
        Prop::Forall(..) | Prop::Exists(..) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(
            rational_of_decimal("0.129").unwrap(),
            Rational::from((129, 1000))
        );
        assert_eq!(
            rational_of_decimal("1.5e-3").unwrap(),
            Rational::from((3, 2000))
        );
        assert_eq!(rational_of_decimal("12e2").unwrap(), Rational::from(1200));
        // Beyond the exponent limit: not expanded.
        assert!(rational_of_decimal("1e999999999").is_none());
    }

    #[test]
    fn integer_semantics_and_junk_values() {
        let at = |src: &str| {
            let e = crate::front::elab_expression(src, &[]).unwrap();
            eval_exact(&e, &BTreeMap::new())
        };
        assert_eq!(at("7 / 2"), Some(Rational::from(3)));
        assert_eq!(at("(7 : ℝ) / 2"), Some(Rational::from((7, 2))));
        assert_eq!(at("2 - 3"), Some(Rational::from(0)));
        assert_eq!(at("(2 : ℤ) - 3"), Some(Rational::from(-1)));
        assert_eq!(at("(-7 : ℤ) / 2"), Some(Rational::from(-4)));
        assert_eq!(at("(-7 : ℤ) % 2"), Some(Rational::from(1)));
        assert_eq!(at("(7 : ℤ) / -2"), Some(Rational::from(-3)));
        assert_eq!(at("(3 : ℝ) / 0"), Some(Rational::from(0)));
        assert_eq!(at("Real.sqrt (-1)"), Some(Rational::from(0)));
        assert_eq!(at("Real.sqrt (9 / 4 : ℝ)"), Some(Rational::from((3, 2))));
        assert_eq!(at("Real.sqrt 2"), None);
        assert_eq!(at("(3 : ℝ) ^ 1000000"), None);
    }
}
