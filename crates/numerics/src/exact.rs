//! Exact rational evaluation, for statements whose arithmetic is rational (anomaly
//! cancellation, polynomial identities at rational points): `+ - * /`, natural powers, `|x|`,
//! definitions inlined. `None` when the expression leaves the rationals (π, √, exp, …) or
//! divides by zero.

use std::collections::BTreeMap;

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::expr::Expr;
use crate::statement::Def;

/// A decimal numeral as an exact rational (`0.129` = 129/1000, `1.5e-3` = 3/2000).
pub fn rational_of_decimal(text: &str) -> Option<Rational> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Integer = format!("{int}{frac}").parse().ok()?;
    let scale = exponent - frac.len() as i32;
    let ten = Integer::from(10);
    Some(if scale >= 0 {
        Rational::from(digits * ten.pow(scale as u32))
    } else {
        Rational::from((digits, ten.pow((-scale) as u32)))
    })
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

pub fn eval_exact(
    e: &Expr,
    env: &BTreeMap<String, Rational>,
    defs: &BTreeMap<String, Def>,
) -> Option<Rational> {
    Some(match e {
        Expr::Num { text, .. } => rational_of_decimal(text)?,
        Expr::Var { name, .. } => match env.get(name) {
            Some(v) => v.clone(),
            None => {
                let def = defs.get(name).filter(|d| d.params.is_empty())?;
                eval_exact(&def.body, &BTreeMap::new(), defs)?
            }
        },
        Expr::Pi | Expr::Call(..) => return None,
        Expr::Neg(a) => -eval_exact(a, env, defs)?,
        Expr::Add(a, b) => eval_exact(a, env, defs)? + eval_exact(b, env, defs)?,
        Expr::Sub(a, b) => eval_exact(a, env, defs)? - eval_exact(b, env, defs)?,
        Expr::Mul(a, b) => eval_exact(a, env, defs)? * eval_exact(b, env, defs)?,
        Expr::Div(a, b, _) => {
            let d = eval_exact(b, env, defs)?;
            if d == 0 {
                return None;
            }
            eval_exact(a, env, defs)? / d
        }
        Expr::Pow(a, n) => {
            let base = eval_exact(a, env, defs)?;
            let mut acc = Rational::from(1);
            for _ in 0..*n {
                acc *= &base;
            }
            acc
        }
        Expr::Abs(a) => eval_exact(a, env, defs)?.abs(),
        Expr::Min(a, b) => eval_exact(a, env, defs)?.min(eval_exact(b, env, defs)?),
        Expr::Max(a, b) => eval_exact(a, env, defs)?.max(eval_exact(b, env, defs)?),
        Expr::Apply { name, args, .. } => {
            let def = defs.get(name)?;
            if def.params.len() != args.len() {
                return None;
            }
            let mut inner = BTreeMap::new();
            for (p, a) in def.params.iter().zip(args) {
                inner.insert(p.clone(), eval_exact(a, env, defs)?);
                if let Expr::Var { name: v, .. } = a {
                    if let Some(n) = env.get(&format!("‖{v}‖")) {
                        inner.insert(format!("‖{p}‖"), n.clone());
                    }
                }
            }
            eval_exact(&def.body, &inner, defs)?
        }
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
    }
}
