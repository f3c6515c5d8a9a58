//! Evaluating a core [`Expr`] to an [`Interval`] under variable enclosures, with each type's
//! semantics: `ℕ`/`ℤ` values are integers (exact integer arithmetic at points, sound integer
//! enclosures on ranges: truncated subtraction, floor and Euclidean division, remainders),
//! fields divide with `x / 0 = 0`, and the real functions take Lean's junk values. An error
//! means "no enclosure here" (a divisor that may vanish among other values, a logarithm near
//! 0): callers leave the comparison undecided.

use std::collections::BTreeMap;

use rug::float::Round;
use rug::ops::Pow;
use rug::{Float, Integer};

use crate::core::{Expr, Func, Prop, Rel, Ty};
use crate::interval::{DomainError, Interval};

/// Variable names and their enclosures.
pub type Params = BTreeMap<String, Interval>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("unknown variable `{name}`")]
    UnknownVariable { name: String },
    #[error("{0}")]
    Domain(#[from] DomainError),
    #[error("{0}")]
    Unsupported(String),
}

/// `NAME=VALUE` with VALUE a decimal (`7837.52`, `1e-3`) or an interval `[a, b]`.
pub fn parse_param(spec: &str, prec: u32) -> Result<(String, Interval), String> {
    let (name, value) = spec
        .split_once('=')
        .ok_or_else(|| format!("`{spec}` is not NAME=VALUE"))?;
    let name = name.trim();
    let value = value.trim();
    if name.is_empty() {
        return Err(format!("`{spec}` has no name"));
    }
    let bad = || format!("`{value}` (for {name}) is not a decimal number or an interval [a, b]");
    let interval = if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let (a, b) = inner.split_once(',').ok_or_else(bad)?;
        let a = Interval::from_decimal(a.trim(), prec).ok_or_else(bad)?;
        let b = Interval::from_decimal(b.trim(), prec).ok_or_else(bad)?;
        Interval::new(a.lo, b.hi)
            .map_err(|_| format!("the interval {value} (for {name}) is empty"))?
    } else {
        Interval::from_decimal(value, prec).ok_or_else(bad)?
    };
    if !interval.is_bounded() {
        return Err(format!(
            "`{value}` (for {name}) is beyond the floating-point range"
        ));
    }
    Ok((name.to_string(), interval))
}

/// The enclosure of `e` at `prec` bits.
pub fn eval(e: &Expr, params: &Params, prec: u32) -> Result<Interval, EvalError> {
    let mut x = eval_in(e, params, prec)?;
    lift_prec(&mut x, prec);
    Ok(x)
}

fn lift_prec(x: &mut Interval, prec: u32) {
    if x.prec() < prec {
        x.lo.set_prec_round(prec, Round::Down);
        x.hi.set_prec_round(prec, Round::Up);
    }
}

fn point(prec: u32, v: impl Into<Integer>) -> Interval {
    Interval::point(Float::with_val(prec, v.into()))
}

/// The integer an interval holds exactly, if it is one point with an integral value.
fn exact_integer(x: &Interval) -> Option<Integer> {
    if x.lo == x.hi && x.lo.is_finite() && x.lo.is_integer() {
        x.lo.to_integer()
    } else {
        None
    }
}

/// An integer as an interval (outward rounded when it has more bits than `prec`).
fn integer_interval(v: &Integer, prec: u32) -> Interval {
    Interval {
        lo: Float::with_val_round(prec, v, Round::Down).0,
        hi: Float::with_val_round(prec, v, Round::Up).0,
    }
}

fn floor_iv(x: &Interval) -> Interval {
    Interval::fixed(x.lo.clone().floor(), x.hi.clone().floor())
}

fn ceil_iv(x: &Interval) -> Interval {
    Interval::fixed(x.lo.clone().ceil(), x.hi.clone().ceil())
}

/// The enclosure of `e`.
pub fn eval_in(e: &Expr, params: &Params, prec: u32) -> Result<Interval, EvalError> {
    let rec = |e: &Expr| eval_in(e, params, prec);
    Ok(match e {
        Expr::Lit(_, q) => crate::check::rational_interval(q, q, prec),
        Expr::Var(_, name) => params
            .get(name)
            .cloned()
            .ok_or_else(|| EvalError::UnknownVariable { name: name.clone() })?,
        Expr::Pi => Interval::pi(prec),
        Expr::Ref(name) => crate::reference::reference(name, prec)
            .ok_or_else(|| EvalError::UnknownVariable { name: name.clone() })?,
        Expr::Neg(_, a) => rec(a)?.neg(),
        Expr::Add(_, xs) => {
            let mut acc = point(prec, 0);
            for x in xs {
                acc = acc.add(&rec(x)?);
            }
            acc
        }
        Expr::Mul(_, xs) => {
            // `x * x` is a square: tighter than the product of two independent copies.
            if xs.len() == 2 && xs[0] == xs[1] {
                return Ok(rec(&xs[0])?.pow(2));
            }
            let mut acc = point(prec, 1);
            for x in xs {
                acc = acc.mul(&rec(x)?);
            }
            acc
        }
        Expr::Sub(_, a, b) => {
            // ℕ: `a - b = max (a - b) 0`, non-decreasing in `a`, non-increasing in `b`.
            let (x, y) = (rec(a)?, rec(b)?);
            let d = x.sub(&y);
            let zero = Float::with_val(prec, 0);
            Interval::fixed(d.lo.max(&zero), d.hi.max(&zero))
        }
        Expr::Div(ty, a, b) => {
            let (x, y) = (rec(a)?, rec(b)?);
            match ty {
                Ty::Rat | Ty::Real => x.div_lean(&y)?,
                Ty::Nat => nat_div(&x, &y, prec),
                Ty::Int => int_div(&x, &y, prec),
            }
        }
        Expr::Mod(ty, a, b) => mod_iv(*ty, &rec(a)?, &rec(b)?, prec),
        Expr::Pow(_, a, n) => pow_iv(&rec(a)?, *n, prec)?,
        Expr::PowExpr(_, a, b) => pow_expr_iv(&rec(a)?, &rec(b)?)?,
        Expr::Rpow(a, b) => rpow(&rec(a)?, &rec(b)?, prec)?,
        Expr::Inv(_, a) => rec(a)?.inv_lean()?,
        Expr::Cast(_, _, a) => rec(a)?,
        Expr::Abs(_, a) => rec(a)?.abs(),
        Expr::Min(_, a, b) => rec(a)?.min(&rec(b)?),
        Expr::Max(_, a, b) => rec(a)?.max(&rec(b)?),
        Expr::Floor(_, a) => floor_iv(&rec(a)?),
        Expr::Ceil(_, a) => ceil_iv(&rec(a)?),
        Expr::ToNat(a) => {
            let x = rec(a)?;
            let zero = Float::with_val(prec, 0);
            Interval::fixed(x.lo.max(&zero), x.hi.max(&zero))
        }
        Expr::NatAbs(a) => rec(a)?.abs(),
        Expr::Ite(c, a, b) => match truth(c, params, prec) {
            Tv::True => rec(a)?,
            Tv::False => rec(b)?,
            Tv::Unknown => rec(a)?.hull(&rec(b)?),
        },
        Expr::Call(f, a) => {
            // Functions work at their argument's precision: lift a coarser one (exact).
            let mut x = rec(a)?;
            lift_prec(&mut x, prec);
            call_iv(*f, &x)?
        }
    })
}

/// `f x` for the core's functions, with Lean's junk values (`√` of a negative is 0, `log 0 = 0`).
fn call_iv(f: Func, x: &Interval) -> Result<Interval, EvalError> {
    Ok(match f {
        Func::Sqrt => x.sqrt_lean(),
        Func::Exp => x.exp(),
        Func::Log => x.log_lean()?,
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Tan => x.sin().div_lean(&x.cos())?,
        Func::Arctan => x.atan(),
        Func::Sinh => x.sinh(),
        Func::Cosh => x.cosh(),
        Func::Tanh => x.tanh(),
    })
}

/// `a % b` on ℕ or ℤ (Euclidean: never negative), `a % 0 = a`.
fn mod_iv(ty: Ty, x: &Interval, y: &Interval, prec: u32) -> Interval {
    if let (Some(p), Some(q)) = (exact_integer(x), exact_integer(y)) {
        let r = if q == 0 {
            p
        } else if ty == Ty::Nat {
            p % q
        } else {
            let r = p % &q;
            if r < 0 { r + q.abs() } else { r }
        };
        return integer_interval(&r, prec);
    }
    // `0 ≤ r < |b|` for `b ≠ 0`, `r = a` for `b = 0`.
    let bmax = y.abs().hi;
    let zero = Float::with_val(prec, 0);
    let below = Interval::fixed(zero, Float::with_val_round(prec, &bmax - 1u32, Round::Up).0);
    if y.contains_zero() {
        below.hull(x)
    } else {
        below
    }
}

/// `x ^ n` for a natural `n`: exact for small integer powers.
fn pow_iv(x: &Interval, n: u32, prec: u32) -> Result<Interval, EvalError> {
    if let Some(v) = exact_integer(x) {
        if v.significant_bits() as u64 * n as u64 <= 4096 {
            return Ok(integer_interval(&v.pow(n), prec));
        }
    }
    Ok(x.pow(n))
}

/// `x ^ k` for an exponent known exactly (zpow: `x ^ (-n) = (x ^ n)⁻¹`, `0⁻¹ = 0`).
fn pow_expr_iv(x: &Interval, k: &Interval) -> Result<Interval, EvalError> {
    let Some(k) = exact_integer(k) else {
        return Err(EvalError::Unsupported(
            "a power whose exponent is not known exactly".into(),
        ));
    };
    let n = k
        .clone()
        .abs()
        .to_u32()
        .ok_or_else(|| EvalError::Unsupported("an exponent beyond 2³²".into()))?;
    let p = x.pow(n);
    if k < 0 { Ok(p.inv_lean()?) } else { Ok(p) }
}

/// `a / b` on ℕ/// `a / b` on ℕ: `⌊a / b⌋`, `a / 0 = 0`.
fn nat_div(x: &Interval, y: &Interval, prec: u32) -> Interval {
    if let (Some(p), Some(q)) = (exact_integer(x), exact_integer(y)) {
        let r = if q == 0 { Integer::new() } else { p / q };
        return integer_interval(&r, prec);
    }
    if y.lo >= 1 {
        let lo = Float::with_val_round(prec, &x.lo / &y.hi, Round::Down)
            .0
            .floor();
        let hi = Float::with_val_round(prec, &x.hi / &y.lo, Round::Up)
            .0
            .floor();
        return Interval::fixed(lo, hi);
    }
    // A divisor that may be 0: the quotient is 0 or at most the dividend.
    Interval::fixed(
        Float::with_val(prec, 0),
        x.hi.clone().max(&Float::with_val(prec, 0)),
    )
}

/// `a / b` on ℤ (`Int.ediv`): `b * q + r = a` with `0 ≤ r < |b|`; `a / 0 = 0`.
fn int_div(x: &Interval, y: &Interval, prec: u32) -> Interval {
    if let (Some(p), Some(q)) = (exact_integer(x), exact_integer(y)) {
        let r = if q == 0 {
            Integer::new()
        } else {
            let (quot, _) = p.div_rem_euc(q);
            quot
        };
        return integer_interval(&r, prec);
    }
    if y.lo > 0 || y.hi < 0 {
        // `q = ⌊a / b⌋` for `b > 0` and `⌈a / b⌉` for `b < 0`; `a / b` is extremal at corners.
        let quotient = x.div(y).expect("the divisor excludes 0");
        return if y.lo > 0 {
            floor_iv(&quotient)
        } else {
            ceil_iv(&quotient)
        };
    }
    // `|q| ≤ |a|` whenever `|b| ≥ 1`, and `q = 0` for `b = 0`.
    let a = x.abs().hi;
    Interval::fixed(Float::with_val(prec, -&a), a)
}

/// Lean's `Real.rpow`: `exp (log x * y)` for `x > 0`; `0 ^ 0 = 1`, `0 ^ y = 0` otherwise;
/// `exp (log |x| * y) * cos (y * π)` for `x < 0` (`Real.rpow_def_of_neg`).
fn rpow(x: &Interval, y: &Interval, prec: u32) -> Result<Interval, EvalError> {
    if x.lo > 0 {
        return Ok(x.log()?.mul(y).exp());
    }
    if x.hi < 0 {
        let m = x.neg().log()?.mul(y).exp();
        let c = y.mul(&Interval::pi(prec)).cos();
        return Ok(m.mul(&c));
    }
    if x.lo == 0 && x.hi == 0 {
        let one = point(prec, 1);
        let zero = point(prec, 0);
        return Ok(if y.lo == 0 && y.hi == 0 {
            one
        } else if y.contains_zero() {
            zero.hull(&one)
        } else {
            zero
        });
    }
    // A base around 0 with a positive exponent: `|x ^ y| ≤ A ^ y` with `A = max |x|`.
    if y.lo > 0 {
        let a = x.abs();
        if a.hi <= 0 {
            return Ok(point(prec, 0));
        }
        let top = Interval::point(a.hi.clone());
        let l = top.log()?;
        let m = l
            .mul(&Interval::point(y.lo.clone()))
            .exp()
            .hull(&l.mul(&Interval::point(y.hi.clone())).exp());
        return Ok(Interval::fixed(Float::with_val(prec, -&m.hi), m.hi));
    }
    Err(EvalError::Unsupported(
        "`Real.rpow` of a base around 0 with an exponent that may be ≤ 0".into(),
    ))
}

/// Three-valued truth.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tv {
    True,
    False,
    Unknown,
}

impl Tv {
    pub fn of(b: bool) -> Tv {
        if b { Tv::True } else { Tv::False }
    }
    pub fn not(self) -> Tv {
        match self {
            Tv::True => Tv::False,
            Tv::False => Tv::True,
            Tv::Unknown => Tv::Unknown,
        }
    }
    pub fn and(self, o: Tv) -> Tv {
        match (self, o) {
            (Tv::False, _) | (_, Tv::False) => Tv::False,
            (Tv::True, Tv::True) => Tv::True,
            _ => Tv::Unknown,
        }
    }
    pub fn or(self, o: Tv) -> Tv {
        self.not().and(o.not()).not()
    }
}

/// `a r b` on enclosures: decided only when certain.
pub fn compare(a: &Interval, r: Rel, b: &Interval) -> Tv {
    compare_bounds((&a.lo, &a.hi), r, (&b.lo, &b.hi))
}

/// `a r b` on enclosures given by their bounds `(lo, hi)` (MPFR floats or doubles).
pub fn compare_bounds<T: PartialOrd>(a: (T, T), r: Rel, b: (T, T)) -> Tv {
    let decided = |t: bool, f: bool| {
        if t {
            Tv::True
        } else if f {
            Tv::False
        } else {
            Tv::Unknown
        }
    };
    match r {
        Rel::Le => decided(a.1 <= b.0, a.0 > b.1),
        Rel::Lt => decided(a.1 < b.0, a.0 >= b.1),
        Rel::Ge => compare_bounds(b, Rel::Le, a),
        Rel::Gt => compare_bounds(b, Rel::Lt, a),
        Rel::Eq => decided(
            a.0 == a.1 && b.0 == b.1 && a.0 == b.0,
            a.1 < b.0 || b.1 < a.0,
        ),
        Rel::Ne => compare_bounds(a, Rel::Eq, b).not(),
    }
}

/// Three-valued truth of a quantifier-free proposition on enclosures (quantifiers are
/// undecided here; the checker searches them).
pub fn truth(p: &Prop, env: &Params, prec: u32) -> Tv {
    match p {
        Prop::Const(b) => Tv::of(*b),
        Prop::Cmp(r, a, b) => match (eval_in(a, env, prec), eval_in(b, env, prec)) {
            (Ok(x), Ok(y)) => compare(&x, *r, &y),
            _ => Tv::Unknown,
        },
        Prop::Not(a) => truth(a, env, prec).not(),
        Prop::And(a, b) => truth(a, env, prec).and(truth(b, env, prec)),
        Prop::Or(a, b) => truth(a, env, prec).or(truth(b, env, prec)),
        Prop::Imp(a, b) => truth(a, env, prec).not().or(truth(b, env, prec)),
        Prop::Iff(a, b) => {
            let (x, y) = (truth(a, env, prec), truth(b, env, prec));
            x.not().or(y).and(y.not().or(x))
        }
        Prop::Forall(..) | Prop::Exists(..) => Tv::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::elab_expression;
    use proptest::prelude::*;
    use rug::float::Constant;

    fn run(src: &str, params: &[(&str, &str)], prec: u32) -> Result<Interval, EvalError> {
        let p: Params = params
            .iter()
            .map(|(k, v)| parse_param(&format!("{k}={v}"), prec).unwrap())
            .collect();
        let names: Vec<String> = p.keys().cloned().collect();
        let e = elab_expression(src, &names).unwrap();
        eval(&e, &p, prec)
    }

    #[test]
    fn the_readme_examples() {
        let x = run("Real.sqrt 2 * Real.pi", &[], 256).unwrap();
        let truth = Float::with_val(
            4096,
            Float::with_val(4096, 2).sqrt() * Float::with_val(4096, Constant::Pi),
        );
        assert!(x.contains(&truth));
        // The Higgs minimum -μ⁴/(4λ) with μ² = 7837.52 GeV², λ = 0.129.
        let v = run(
            "-mu2 ^ 2 / (4 * lam)",
            &[("mu2", "7837.52"), ("lam", "0.129")],
            128,
        )
        .unwrap();
        let exact = -(7837.52f64 * 7837.52) / (4.0 * 0.129);
        assert!((v.lo.to_f64() - exact).abs() < 1e-6 * exact.abs());
    }

    #[test]
    fn leans_junk_values() {
        let one = |src: &str| {
            let v = run(src, &[], 64).unwrap();
            assert_eq!(v.lo, v.hi, "{src}: {v}");
            v.lo.to_f64()
        };
        assert_eq!(one("(1 : ℝ) / 0"), 0.0);
        assert_eq!(one("Real.sqrt (-4)"), 0.0);
        assert_eq!(one("Real.log 0"), 0.0);
        assert_eq!(one("(7 : ℕ) / 2"), 3.0);
        assert_eq!(one("(2 : ℕ) - 3"), 0.0);
        assert_eq!(one("(-7 : ℤ) / 2"), -4.0);
        assert_eq!(one("(-7 : ℤ) % 2"), 1.0);
        assert_eq!(one("(7 : ℤ) / -2"), -3.0);
        assert_eq!(one("(5 : ℕ) % 0"), 5.0);
        assert_eq!(one("(0 : ℝ)⁻¹"), 0.0);
        assert_eq!(one("(0 : ℝ) ^ (0 : ℝ)"), 1.0);
        assert_eq!(one("(2 : ℝ) ^ (-1 : ℤ)"), 0.5);
        let l = run("Real.log (-Real.exp 1)", &[], 64).unwrap();
        assert!(l.contains(&Float::with_val(64, 1)));
    }

    #[test]
    fn no_nan_and_huge_arguments_end_quickly() {
        let v = run("Real.sin (Real.exp 1e10)", &[], 128).unwrap();
        assert!(v.lo == -1 && v.hi == 1, "{v}");
        let v = run("max x (x * 0)", &[("x", "[0, 1]")], 64).unwrap();
        assert!(!v.lo.is_nan() && !v.hi.is_nan() && v.lo <= v.hi);
    }

    /// A small random expression over x and y, built from operations defined everywhere.
    fn arb_expr() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("x".to_string()),
            Just("y".to_string()),
            (1u32..50).prop_map(|n| format!("({n} : ℝ)")),
            Just("Real.pi".to_string()),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} - {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} * {b})")),
                inner.clone().prop_map(|a| format!("({a}) ^ 2")),
                inner.clone().prop_map(|a| format!("Real.sin ({a})")),
                inner.clone().prop_map(|a| format!("Real.cos ({a})")),
                inner.clone().prop_map(|a| format!("Real.arctan ({a})")),
                inner
                    .clone()
                    .prop_map(|a| format!("Real.exp (Real.sin ({a}))")),
                inner
                    .clone()
                    .prop_map(|a| format!("Real.sqrt (({a}) ^ 2 + 1)")),
                inner.prop_map(|a| format!("|({a})|")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Every enclosure at 53..256 bits contains the value computed at 1024 bits (itself an
        /// enclosure; they must overlap, and the tight one must sit inside the wide one).
        #[test]
        fn enclosures_contain_a_high_precision_value(src in arb_expr(), x in -20.0f64..20.0, y in -5.0f64..5.0, prec in 53u32..256) {
            let xs = format!("{x}");
            let ys = format!("{y}");
            let low = run(&src, &[("x", &xs), ("y", &ys)], prec).unwrap();
            let high = run(&src, &[("x", &xs), ("y", &ys)], 1024).unwrap();
            prop_assert!(low.lo <= high.lo && high.hi <= low.hi, "{src} at x={x}, y={y}: {low} does not contain {high}");
        }
    }
}
