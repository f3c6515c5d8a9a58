//! Smart constructors for real expressions built by the complex and matrix expansions: they
//! fold the zeros and ones those expansions produce (`0 * x`, `1 * x`, `x + 0`), so the core
//! terms stay the size a person would write.

use rug::Rational;

use crate::core::{Expr, Ty};

pub(super) fn lit(k: i64) -> Expr {
    Expr::lit(Ty::Real, k)
}

pub(super) fn is_lit(e: &Expr, k: i32) -> bool {
    matches!(e, Expr::Lit(_, q) if *q == k)
}

pub(super) fn add(a: Expr, b: Expr) -> Expr {
    if let (Expr::Lit(_, p), Expr::Lit(_, q)) = (&a, &b) {
        return Expr::Lit(Ty::Real, Rational::from(p + q));
    }
    if is_lit(&a, 0) {
        return b;
    }
    if is_lit(&b, 0) {
        return a;
    }
    Expr::Add(Ty::Real, vec![a, b])
}

pub(super) fn neg(a: Expr) -> Expr {
    if let Expr::Lit(_, p) = &a {
        return Expr::Lit(Ty::Real, Rational::from(-p));
    }
    Expr::Neg(Ty::Real, Box::new(a))
}

pub(super) fn sub(a: Expr, b: Expr) -> Expr {
    add(a, neg(b))
}

pub(super) fn mul(a: Expr, b: Expr) -> Expr {
    if let (Expr::Lit(_, p), Expr::Lit(_, q)) = (&a, &b) {
        return Expr::Lit(Ty::Real, Rational::from(p * q));
    }
    if is_lit(&a, 0) || is_lit(&b, 0) {
        return lit(0);
    }
    if is_lit(&a, 1) {
        return b;
    }
    if is_lit(&b, 1) {
        return a;
    }
    Expr::Mul(Ty::Real, vec![a, b])
}

pub(super) fn sq(a: Expr) -> Expr {
    Expr::Pow(Ty::Real, Box::new(a), 2)
}
