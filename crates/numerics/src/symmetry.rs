//! Even symmetry before bisection: when every expression of a claim is an even function of a
//! variable `x` (it enters only through even powers, `|·|`, `cos`, `cosh`, or products of two odd
//! factors), the claim at `-x` is the claim at `x`, so on a symmetric range `[-a, a]` proving it
//! on `[0, a]` is enough — half the boxes in that direction. Decided syntactically, with the
//! file's definitions inlined, so the re-checker can repeat the argument without numerics.

use std::collections::BTreeMap;

use crate::core::{Expr, Func, Prop};

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
/// not change when the variable's sign does). Only operations that commute with negation in
/// the way their parity says are read: ring operations, field division and inverse (with
/// `x / 0 = 0`, `(-a) / b = -(a / b)` and `a / (-b) = -(a / b)` still hold), `|·|`, and the
/// odd or even real functions; integer division, `⌊·⌋`, `√`, `log` and the rest are `Neither`.
fn parity(e: &Expr, env: &BTreeMap<String, Parity>) -> Parity {
    let rec = |e: &Expr| parity(e, env);
    let mentions_odd = |e: &Expr| env.keys().any(|k| e.mentions(k));
    if !mentions_odd(e) {
        return Even;
    }
    match e {
        Expr::Lit(..) | Expr::Pi | Expr::Ref(_) => Even,
        Expr::Var(_, name) => env.get(name).copied().unwrap_or(Even),
        Expr::Neg(_, a) => rec(a),
        Expr::Add(_, xs) => xs.iter().map(rec).reduce(sum).unwrap_or(Even),
        Expr::Mul(_, xs) => xs.iter().map(rec).reduce(product).unwrap_or(Even),
        Expr::Div(ty, a, b) if ty.is_field() => product(rec(a), rec(b)),
        Expr::Inv(ty, a) if ty.is_field() => rec(a),
        Expr::Pow(_, a, k) => match rec(a) {
            Odd if k % 2 == 0 => Even,
            p => p,
        },
        Expr::Cast(_, _, a) => rec(a),
        Expr::Abs(_, a) => match rec(a) {
            Neither => Neither,
            _ => Even,
        },
        Expr::Min(_, a, b) | Expr::Max(_, a, b) => match (rec(a), rec(b)) {
            (Even, Even) => Even,
            _ => Neither,
        },
        Expr::Call(f, a) => match (rec(a), f) {
            (Even, _) => Even,
            (Odd, Func::Sin | Func::Sinh | Func::Tanh | Func::Arctan | Func::Tan) => Odd,
            (Odd, Func::Cos | Func::Cosh) => Even,
            _ => Neither,
        },
        _ => Neither,
    }
}

/// Whether every comparison of `p` is between even functions of `var`.
pub fn even_in(p: &Prop, var: &str) -> bool {
    let env: BTreeMap<String, Parity> = [(var.to_string(), Odd)].into_iter().collect();
    fn walk(p: &Prop, env: &BTreeMap<String, Parity>) -> bool {
        match p {
            Prop::Const(_) => true,
            Prop::Cmp(_, a, b) => parity(a, env) == Even && parity(b, env) == Even,
            Prop::Not(a) => walk(a, env),
            Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
                walk(a, env) && walk(b, env)
            }
            Prop::Forall(_, body) | Prop::Exists(_, body) => walk(body, env),
        }
    }
    walk(p, &env)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn even(src: &str, var: &str) -> bool {
        let p = crate::front::elab_proposition(src, &["x".to_string(), "y".to_string()]).unwrap();
        even_in(&p, var)
    }

    #[test]
    fn even_and_odd_pieces() {
        assert!(even("0 < x ^ 4 - 2 * x ^ 2 + 1.5", "x"));
        assert!(even("Real.cos x * y ≤ |x| + x * Real.sin x", "x"));
        assert!(even("x / Real.sinh x > 0", "x"));
        assert!(!even("0 ≤ x ^ 3 + x ^ 2", "x"));
        assert!(!even("0 ≤ Real.exp x", "x"));
        // A bound `x` is another variable (names are unique in the core).
        assert!(even("∀ x : ℝ, 0 ≤ x + y", "x"));
        assert!(!even("∀ y : ℝ, 0 ≤ x + y", "x"));
        // Integer division does not commute with negation: not read as even or odd.
        assert!(!even("0 ≤ ⌊x⌋ ^ 2", "x"));
    }
}
