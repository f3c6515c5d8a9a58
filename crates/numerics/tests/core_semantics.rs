//! The typed core's ℕ/ℤ/ℝ evaluation against an independent evaluator: random closed terms
//! are rendered as Lean source (a type ascription at the root and at every cast), read by the
//! front end, and evaluated exactly and by intervals; a reference evaluator written here from
//! Lean's definitions (truncated ℕ subtraction, floor division, `Int.ediv`/`Int.emod`,
//! `x / 0 = 0`, `a % 0 = a`) must agree with both.

use proptest::prelude::*;
use rug::{Float, Integer, Rational};
use theorist_numerics::{Params, elab_expression, eval, eval_exact};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Nat,
    Int,
    Real,
}

impl Ty {
    fn lean(self) -> &'static str {
        match self {
            Ty::Nat => "ℕ",
            Ty::Int => "ℤ",
            Ty::Real => "ℝ",
        }
    }
}

#[derive(Debug, Clone)]
enum T {
    Lit(u32),
    Bin(char, Box<T>, Box<T>),
    Neg(Box<T>),
    Pow(Box<T>, u32),
    /// A subterm of another (smaller) type, cast up.
    Cast(Ty, Box<T>),
}

fn term(ty: Ty) -> impl Strategy<Value = T> {
    let leaf = (0u32..13).prop_map(T::Lit);
    leaf.prop_recursive(5, 40, 2, move |inner| {
        let mut ops = vec!['+', '-', '*', '/'];
        if ty != Ty::Real {
            ops.push('%');
        }
        let bin = (prop::sample::select(ops), inner.clone(), inner.clone())
            .prop_map(|(op, a, b)| T::Bin(op, Box::new(a), Box::new(b)));
        let pow = (inner.clone(), 0u32..4).prop_map(|(a, k)| T::Pow(Box::new(a), k));
        let smaller: Vec<Ty> = match ty {
            Ty::Nat => vec![],
            Ty::Int => vec![Ty::Nat],
            Ty::Real => vec![Ty::Nat, Ty::Int],
        };
        if smaller.is_empty() {
            prop_oneof![3 => bin, 1 => pow].boxed()
        } else {
            let neg = inner.prop_map(|a| T::Neg(Box::new(a)));
            let cast = (prop::sample::select(smaller), (0u32..13)).prop_flat_map(|(from, seed)| {
                term_small(from, seed).prop_map(move |t| T::Cast(from, Box::new(t)))
            });
            prop_oneof![3 => bin, 1 => pow, 1 => neg, 1 => cast].boxed()
        }
    })
}

/// A small term of a smaller type for casts (not recursive into `term`, to keep types finite).
fn term_small(ty: Ty, _seed: u32) -> impl Strategy<Value = T> {
    let leaf = (0u32..13).prop_map(T::Lit);
    leaf.prop_recursive(3, 10, 2, move |inner| {
        let mut ops = vec!['+', '-', '*', '/', '%'];
        if ty == Ty::Real {
            ops.pop();
        }
        let bin = (prop::sample::select(ops), inner.clone(), inner.clone())
            .prop_map(|(op, a, b)| T::Bin(op, Box::new(a), Box::new(b)));
        if ty == Ty::Nat {
            bin.boxed()
        } else {
            prop_oneof![3 => bin, 1 => inner.prop_map(|a| T::Neg(Box::new(a)))].boxed()
        }
    })
}

/// Lean source: the tree's own operators are bare (its type comes from the ascription around
/// it); a cast is `((e : from) : to)`.
fn render(t: &T) -> String {
    match t {
        T::Lit(n) => n.to_string(),
        T::Bin(op, a, b) => format!("({} {op} {})", render(a), render(b)),
        T::Neg(a) => format!("(-{})", render(a)),
        T::Pow(a, k) => format!("({} ^ {k})", render(a)),
        T::Cast(from, a) => format!("(({} : {}))", render(a), from.lean()),
    }
}

fn nat(q: &Rational) -> Integer {
    q.numer().clone()
}

/// Lean's meaning, written from the definitions.
fn reference(t: &T, ty: Ty) -> Rational {
    match t {
        T::Lit(n) => Rational::from(*n),
        T::Neg(a) => -reference(a, ty),
        T::Pow(a, k) => {
            let b = reference(a, ty);
            let mut acc = Rational::from(1);
            for _ in 0..*k {
                acc *= &b;
            }
            acc
        }
        T::Cast(from, a) => reference(a, *from),
        T::Bin(op, a, b) => {
            let (x, y) = (reference(a, ty), reference(b, ty));
            match (op, ty) {
                ('+', _) => x + y,
                ('*', _) => x * y,
                ('-', Ty::Nat) => {
                    let d = x - y;
                    if d < 0 { Rational::new() } else { d }
                }
                ('-', _) => x - y,
                ('/', Ty::Real) => {
                    if y == 0 {
                        Rational::new()
                    } else {
                        x / y
                    }
                }
                ('/', _) => {
                    let (p, q) = (nat(&x), nat(&y));
                    if q == 0 {
                        return Rational::new();
                    }
                    // ℕ: floor; ℤ: Euclidean (`q * b + r = a`, `0 ≤ r < |b|`).
                    let r = Integer::from(&p % &q);
                    let r = if r < 0 { r + q.clone().abs() } else { r };
                    Rational::from((p - r) / q)
                }
                ('%', _) => {
                    let (p, q) = (nat(&x), nat(&y));
                    if q == 0 {
                        return Rational::from(p);
                    }
                    let r = Integer::from(&p % &q);
                    Rational::from(if r < 0 { r + q.abs() } else { r })
                }
                _ => unreachable!("generated operators"),
            }
        }
    }
}

fn typed() -> impl Strategy<Value = (Ty, T)> {
    prop_oneof![
        term(Ty::Nat).prop_map(|t| (Ty::Nat, t)),
        term(Ty::Int).prop_map(|t| (Ty::Int, t)),
        term(Ty::Real).prop_map(|t| (Ty::Real, t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_core_evaluates_as_lean_defines(case in typed()) {
        let (ty, t) = case;
        let src = format!("({} : {})", render(&t), ty.lean());
        let e = elab_expression(&src, &[]).map_err(|e| TestCaseError::fail(format!("{src}: {e}")))?;
        let want = reference(&t, ty);
        let exact = eval_exact(&e, &Default::default());
        prop_assert_eq!(exact.as_ref(), Some(&want), "{} read as {}", src, e);
        let iv = eval(&e, &Params::new(), 256).map_err(|err| TestCaseError::fail(format!("{src}: {err}")))?;
        let w = Float::with_val(4096, &want);
        prop_assert!(iv.lo <= w && w <= iv.hi, "{} encloses {} as {}", src, want, iv);
    }
}
