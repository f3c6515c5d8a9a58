//! Evaluating an [`Expr`] to an [`Interval`] under parameter enclosures. Errors carry the
//! column of the subexpression that failed.

use std::collections::BTreeMap;

use crate::expr::{Expr, Func};
use crate::interval::{DomainError, Interval};
use crate::statement::Def;

/// Parameter names and their enclosures.
pub type Params = BTreeMap<String, Interval>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("column {}: unknown identifier `{name}` (give it with --param {name}=VALUE)", column + 1)]
    UnknownIdentifier { name: String, column: usize },
    #[error("column {}: `{text}` is not a number", column + 1)]
    BadNumber { text: String, column: usize },
    #[error("column {}: `{name}` takes {expected} arguments, not {got}", column + 1)]
    Arity {
        name: String,
        column: usize,
        expected: usize,
        got: usize,
    },
    #[error("column {}: {source}", column + 1)]
    Domain {
        column: usize,
        #[source]
        source: DomainError,
    },
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
    Ok((name.to_string(), interval))
}

thread_local! {
    /// Enclosures of the decimal literals seen so far, per precision. Branch and bound
    /// evaluates the same few literals on every box, and reading a decimal into MPFR twice
    /// (rounded down and up) cost more than the arithmetic; the map only grows with the
    /// distinct literals of the statements checked.
    static DECIMALS: std::cell::RefCell<std::collections::HashMap<u32, std::collections::HashMap<String, Interval>>> =
        Default::default();
}

/// [`Interval::from_decimal`], remembered.
fn decimal(text: &str, prec: u32) -> Option<Interval> {
    DECIMALS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let per_prec = cache.entry(prec).or_default();
        if let Some(v) = per_prec.get(text) {
            return Some(v.clone());
        }
        let v = Interval::from_decimal(text, prec)?;
        per_prec.insert(text.to_string(), v.clone());
        Some(v)
    })
}

/// The enclosure of `e` at `prec` bits.
pub fn eval(e: &Expr, params: &Params, prec: u32) -> Result<Interval, EvalError> {
    eval_in(e, params, &BTreeMap::new(), prec)
}

/// The enclosure of `e`, with the file's definitions inlined where applied.
pub fn eval_in(
    e: &Expr,
    params: &Params,
    defs: &BTreeMap<String, Def>,
    prec: u32,
) -> Result<Interval, EvalError> {
    let eval = |e: &Expr, params: &Params, prec: u32| eval_in(e, params, defs, prec);
    let at = |column: usize| move |source: DomainError| EvalError::Domain { column, source };
    Ok(match e {
        Expr::Num { text, pos } => decimal(text, prec).ok_or_else(|| EvalError::BadNumber {
            text: text.clone(),
            column: *pos,
        })?,
        Expr::Var { name, pos } => match params.get(name) {
            Some(v) => v.clone(),
            // A constant definition of the file, else a reference value (`pdg.m_H`).
            None => match defs.get(name).filter(|d| d.params.is_empty()) {
                Some(def) => eval(&def.body, &Params::new(), prec)?,
                None => crate::reference::reference(name, prec).ok_or_else(|| {
                    EvalError::UnknownIdentifier {
                        name: name.clone(),
                        column: *pos,
                    }
                })?,
            },
        },
        Expr::Pi => Interval::pi(prec),
        Expr::Neg(a) => eval(a, params, prec)?.neg(),
        Expr::Add(a, b) => eval(a, params, prec)?.add(&eval(b, params, prec)?),
        Expr::Sub(a, b) => eval(a, params, prec)?.sub(&eval(b, params, prec)?),
        Expr::Mul(a, b) => {
            // x * x is a square: tighter than the product of two independent copies.
            if a == b {
                eval(a, params, prec)?.pow(2)
            } else {
                eval(a, params, prec)?.mul(&eval(b, params, prec)?)
            }
        }
        Expr::Div(a, b, pos) => eval(a, params, prec)?
            .div(&eval(b, params, prec)?)
            .map_err(at(*pos))?,
        Expr::Pow(a, n) => eval(a, params, prec)?.pow(*n),
        Expr::Abs(a) => eval(a, params, prec)?.abs(),
        Expr::Min(a, b) => eval(a, params, prec)?.min(&eval(b, params, prec)?),
        Expr::Max(a, b) => eval(a, params, prec)?.max(&eval(b, params, prec)?),
        Expr::Apply { name, args, pos } => {
            let def = defs.get(name).ok_or_else(|| EvalError::UnknownIdentifier {
                name: name.clone(),
                column: *pos,
            })?;
            if def.params.len() != args.len() {
                return Err(EvalError::Arity {
                    name: name.clone(),
                    column: *pos,
                    expected: def.params.len(),
                    got: args.len(),
                });
            }
            let inner =
                crate::expr::bind_call(&def.params, args, params, |a| eval(a, params, prec))?;
            eval(&def.body, &inner, prec)?
        }
        Expr::Call(f, a, pos) => {
            // Functions work at their argument's precision: lift a coarser parameter (exact).
            let mut x = eval(a, params, prec)?;
            if x.prec() < prec {
                x.lo.set_prec_round(prec, rug::float::Round::Down);
                x.hi.set_prec_round(prec, rug::float::Round::Up);
            }
            match f {
                Func::Sqrt => x.sqrt().map_err(at(*pos))?,
                Func::Exp => x.exp(),
                Func::Log => x.log().map_err(at(*pos))?,
                Func::Sin => x.sin(),
                Func::Cos => x.cos(),
                Func::Arctan => x.atan(),
                Func::Sinh => x.sinh(),
                Func::Cosh => x.cosh(),
                Func::Tanh => x.tanh(),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;
    use proptest::prelude::*;
    use rug::Float;
    use rug::float::Constant;

    fn run(src: &str, params: &[(&str, &str)], prec: u32) -> Result<Interval, EvalError> {
        let p: Params = params
            .iter()
            .map(|(k, v)| parse_param(&format!("{k}={v}"), prec).unwrap())
            .collect();
        eval(&parse(src).unwrap(), &p, prec)
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
    fn errors_have_columns() {
        assert_eq!(
            run("1 / (x - x)", &[("x", "[1, 2]")], 64)
                .unwrap_err()
                .to_string(),
            "column 3: division by an interval that contains 0 ([-1.0000000000000000, 1.0000000000000000])"
        );
        assert!(matches!(
            run("Real.log (0 - 1)", &[], 64),
            Err(EvalError::Domain { column: 0, .. })
        ));
        assert!(matches!(
            run("y + 1", &[], 64),
            Err(EvalError::UnknownIdentifier { column: 0, .. })
        ));
        assert!(parse_param("x=nan", 64).is_err());
        assert!(parse_param("x=[2, 1]", 64).is_err());
    }

    /// A small random expression over x and y, built from operations defined everywhere.
    fn arb_expr() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("x".to_string()),
            Just("y".to_string()),
            (1u32..50).prop_map(|n| format!("{n}")),
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
                inner.prop_map(|a| format!("|{a}|")),
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
