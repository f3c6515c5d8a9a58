//! Even symmetry before bisection: when every expression of a claim is an even function of a
//! variable `x` (it enters only through even powers, `|·|`, `cos`, `cosh`, or products of two odd
//! factors), the claim at `-x` is the claim at `x`, so on a symmetric range `[-a, a]` proving it
//! on `[0, a]` is enough — half the boxes in that direction. Decided syntactically, with the
//! file's definitions inlined, so the re-checker can repeat the argument without numerics.

use std::collections::BTreeMap;

use crate::expr::{Expr, Func};
use crate::prop::Prop;
use crate::statement::Def;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parity {
    Even,
    Odd,
    Neither,
}

use Parity::*;

fn sum(a: Parity, b: Parity) -> Parity {
    match (a, b) {
        (Even, Even) => Even,
        (Odd, Odd) => Odd,
        _ => Neither,
    }
}

fn product(a: Parity, b: Parity) -> Parity {
    match (a, b) {
        (Even, Even) | (Odd, Odd) => Even,
        (Even, Odd) | (Odd, Even) => Odd,
        _ => Neither,
    }
}

/// The parity of `e` in the variables that `env` marks odd (every other name is even: it does
/// not change when the variable's sign does).
fn parity(e: &Expr, env: &BTreeMap<String, Parity>, defs: &BTreeMap<String, Def>) -> Parity {
    let rec = |e: &Expr| parity(e, env, defs);
    match e {
        Expr::Num { .. } | Expr::Pi => Even,
        Expr::Var { name, .. } => env.get(name).copied().unwrap_or(Even),
        Expr::Neg(a) => rec(a),
        Expr::Add(a, b) | Expr::Sub(a, b) => sum(rec(a), rec(b)),
        Expr::Mul(a, b) | Expr::Div(a, b, _) => product(rec(a), rec(b)),
        Expr::Pow(a, k) => match rec(a) {
            Odd if k % 2 == 0 => Even,
            p => p,
        },
        Expr::Abs(a) => match rec(a) {
            Neither => Neither,
            _ => Even,
        },
        Expr::Min(a, b) | Expr::Max(a, b) => match (rec(a), rec(b)) {
            (Even, Even) => Even,
            _ => Neither,
        },
        Expr::Call(f, a, _) => match (rec(a), f) {
            (Even, _) => Even,
            (Odd, Func::Sin | Func::Sinh | Func::Tanh | Func::Arctan) => Odd,
            (Odd, Func::Cos | Func::Cosh) => Even,
            _ => Neither,
        },
        Expr::Apply { name, args, .. } => {
            let Some(def) = defs.get(name) else {
                return Neither;
            };
            let mut inner = BTreeMap::new();
            for (p, a) in def.params.iter().zip(args) {
                if let Expr::Var { name: v, .. } = a {
                    let norm = format!("‖{v}‖");
                    inner.insert(format!("‖{p}‖"), env.get(&norm).copied().unwrap_or(Even));
                }
                inner.insert(p.clone(), rec(a));
            }
            parity(&def.body, &inner, defs)
        }
    }
}

/// Whether every comparison of `p` is between even functions of `var`.
pub fn even_in(p: &Prop, var: &str, defs: &BTreeMap<String, Def>) -> bool {
    let env: BTreeMap<String, Parity> = [(var.to_string(), Odd)].into_iter().collect();
    fn walk(
        p: &Prop,
        var: &str,
        env: &BTreeMap<String, Parity>,
        defs: &BTreeMap<String, Def>,
    ) -> bool {
        match p {
            Prop::Const(_) => true,
            Prop::Cmp(es, _) => es.iter().all(|e| parity(e, env, defs) == Even),
            Prop::Not(a) => walk(a, var, env, defs),
            Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
                walk(a, var, env, defs) && walk(b, var, env, defs)
            }
            // A quantifier over the same name hides the variable.
            Prop::Forall(vs, body) | Prop::Exists(vs, body) => {
                vs.iter().any(|v| v == var) || walk(body, var, env, defs)
            }
            Prop::MinOn { .. } => false,
        }
    }
    walk(p, var, &env, defs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prop::parse_prop;

    fn even(src: &str, var: &str) -> bool {
        let p = parse_prop(src, &Default::default()).unwrap();
        even_in(&p, var, &BTreeMap::new())
    }

    #[test]
    fn even_and_odd_pieces() {
        assert!(even("0 < x ^ 4 - 2 * x ^ 2 + 1.5", "x"));
        assert!(even("Real.cos x * y ≤ |x| + x * Real.sin x", "x"));
        assert!(even("x / Real.sinh x > 0", "x"));
        assert!(!even("0 ≤ x ^ 3 + x ^ 2", "x"));
        assert!(!even("0 ≤ Real.exp x", "x"));
        // The sign change is harmless where `x` is rebound.
        assert!(even("∀ x, 0 ≤ x + y", "x"));
        assert!(!even("∀ y, 0 ≤ x + y", "x"));
    }
}
