//! Exact Laurent polynomials over ℚ in a claim's variables, and the translation of an [`Expr`]
//! into one. Division is allowed only by a single term whose variables are known to be non-zero
//! (Lean's `x / 0 = 0` would make `x * x⁻¹ = 1` false otherwise), so every rational function
//! this module builds is a Laurent polynomial and equality is plain coefficient comparison: no
//! GCDs, no floating point. Used by `algebraic` (completed squares, identities) and `minimiser`
//! (exact derivatives).

use std::collections::BTreeMap;

use rug::Rational;

use crate::core::{Expr, Func, Ty};

/// `Σ c · Π xᵢ^eᵢ` with integer exponents; `n` variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poly {
    n: usize,
    terms: BTreeMap<Vec<i32>, Rational>,
}

impl Poly {
    pub fn zero(n: usize) -> Poly {
        Poly {
            n,
            terms: BTreeMap::new(),
        }
    }

    pub fn constant(n: usize, c: Rational) -> Poly {
        Poly::monomial(n, vec![0; n], c)
    }

    pub fn var(n: usize, i: usize) -> Poly {
        let mut e = vec![0; n];
        e[i] = 1;
        Poly::monomial(n, e, Rational::from(1))
    }

    /// The number of variables.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `c · Π xᵢ^eᵢ`.
    pub fn term(e: Vec<i32>, c: Rational) -> Poly {
        Poly::monomial(e.len(), e, c)
    }

    fn monomial(n: usize, e: Vec<i32>, c: Rational) -> Poly {
        let mut terms = BTreeMap::new();
        if c != 0 {
            terms.insert(e, c);
        }
        Poly { n, terms }
    }

    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms as `(exponents, coefficient)`.
    pub fn terms(&self) -> impl Iterator<Item = (&Vec<i32>, &Rational)> {
        self.terms.iter()
    }

    /// The single term, if there is exactly one.
    pub fn as_term(&self) -> Option<(&Vec<i32>, &Rational)> {
        if self.terms.len() == 1 {
            self.terms.iter().next()
        } else {
            None
        }
    }

    /// Each term on its own.
    pub fn split_terms(&self) -> Vec<Poly> {
        self.terms
            .iter()
            .map(|(e, c)| Poly::monomial(self.n, e.clone(), c.clone()))
            .collect()
    }

    pub fn add(&self, o: &Poly) -> Poly {
        let mut terms = self.terms.clone();
        for (e, c) in &o.terms {
            let entry = terms.entry(e.clone()).or_insert_with(|| Rational::from(0));
            *entry += c;
            if *entry == 0 {
                terms.remove(e);
            }
        }
        Poly { n: self.n, terms }
    }

    pub fn neg(&self) -> Poly {
        self.scale(&Rational::from(-1))
    }

    pub fn sub(&self, o: &Poly) -> Poly {
        self.add(&o.neg())
    }

    pub fn scale(&self, q: &Rational) -> Poly {
        if *q == 0 {
            return Poly::zero(self.n);
        }
        Poly {
            n: self.n,
            terms: self
                .terms
                .iter()
                .map(|(e, c)| (e.clone(), Rational::from(c * q)))
                .collect(),
        }
    }

    pub fn mul(&self, o: &Poly) -> Poly {
        let mut acc = Poly::zero(self.n);
        for (e1, c1) in &self.terms {
            let mut part = BTreeMap::new();
            for (e2, c2) in &o.terms {
                let e: Vec<i32> = e1.iter().zip(e2).map(|(a, b)| a + b).collect();
                part.insert(e, Rational::from(c1 * c2));
            }
            acc = acc.add(&Poly {
                n: self.n,
                terms: part,
            });
        }
        acc
    }

    pub fn pow(&self, k: u32) -> Poly {
        let mut acc = Poly::constant(self.n, Rational::from(1));
        for _ in 0..k {
            acc = acc.mul(self);
        }
        acc
    }

    /// `1 / self` for a single non-zero term (the caller checks its variables are non-zero).
    pub fn inverse_term(&self) -> Option<Poly> {
        let (e, c) = self.as_term()?;
        Some(Poly::monomial(
            self.n,
            e.iter().map(|x| -x).collect(),
            Rational::from(1) / c.clone(),
        ))
    }

    /// The smallest and largest exponent of variable `i` (`(0, 0)` for the zero polynomial).
    pub fn degree_range(&self, i: usize) -> (i32, i32) {
        let lo = self.terms.keys().map(|e| e[i]).min().unwrap_or(0);
        let hi = self.terms.keys().map(|e| e[i]).max().unwrap_or(0);
        (lo, hi)
    }

    /// The coefficient of `xᵢ^k`, a polynomial in the other variables.
    pub fn coefficient(&self, i: usize, k: i32) -> Poly {
        Poly {
            n: self.n,
            terms: self
                .terms
                .iter()
                .filter(|(e, _)| e[i] == k)
                .map(|(e, c)| {
                    let mut e = e.clone();
                    e[i] = 0;
                    (e, c.clone())
                })
                .collect(),
        }
    }

    /// `∂/∂xᵢ`.
    pub fn derivative(&self, i: usize) -> Poly {
        let mut acc = Poly::zero(self.n);
        for (e, c) in &self.terms {
            if e[i] != 0 {
                let mut e2 = e.clone();
                e2[i] -= 1;
                acc = acc.add(&Poly::monomial(self.n, e2, Rational::from(c * e[i])));
            }
        }
        acc
    }

    /// `self[xᵢ := by]`; `None` when `xᵢ` appears with a negative exponent.
    pub fn substitute(&self, i: usize, by: &Poly) -> Option<Poly> {
        let (lo, hi) = self.degree_range(i);
        if lo < 0 {
            return None;
        }
        let mut acc = Poly::zero(self.n);
        for k in 0..=hi {
            acc = acc.add(&self.coefficient(i, k).mul(&by.pow(k as u32)));
        }
        Some(acc)
    }

    /// Lean 4 syntax, e.g. `𝓵 * x ^ 2 - μSq * x + μSq ^ 2 / (4 * 𝓵)`.
    pub fn lean(&self, names: &[String]) -> String {
        if self.terms.is_empty() {
            return "0".into();
        }
        // Highest degree first, as one writes polynomials; then terms without denominators;
        // then the earlier variables first.
        let mut terms: Vec<(&Vec<i32>, &Rational)> = self.terms.iter().collect();
        terms.sort_by_key(|(e, _)| {
            (
                std::cmp::Reverse(e.iter().map(|x| x.max(&0)).sum::<i32>()),
                e.iter().filter(|x| **x < 0).count(),
                std::cmp::Reverse((*e).clone()),
            )
        });
        let mut out = String::new();
        for (k, (e, c)) in terms.into_iter().enumerate() {
            let negative = *c < 0;
            let body = term_text(e, &Rational::from(c.abs_ref()), names);
            match (k, negative) {
                (0, true) => out.push_str(&format!("-{body}")),
                (0, false) => out.push_str(&body),
                (_, true) => out.push_str(&format!(" - {body}")),
                (_, false) => out.push_str(&format!(" + {body}")),
            }
        }
        out
    }
}

impl Poly {
    /// Reads back the text [`Poly::lean`] writes over the same `names` (a certificate's data):
    /// `None` for any other text. Names are matched whole, so they may hold any character but
    /// the separators ` + `, ` - `, ` * `, ` / `, ` ^ `.
    pub fn from_lean(text: &str, names: &[String]) -> Option<Poly> {
        let n = names.len();
        let text = text.trim();
        if text == "0" {
            return Some(Poly::zero(n));
        }
        let mut acc = Poly::zero(n);
        let (mut negative, mut rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        loop {
            let next = [(" + ", false), (" - ", true)]
                .into_iter()
                .filter_map(|(sep, neg)| rest.find(sep).map(|i| (i, neg)))
                .min();
            let (body, tail) = match next {
                Some((i, neg)) => (&rest[..i], Some((neg, &rest[i + 3..]))),
                None => (rest, None),
            };
            let (e, c) = term_of_text(body, names)?;
            let c = if negative { -c } else { c };
            acc = acc.add(&Poly::monomial(n, e, c));
            match tail {
                Some((neg, r)) => (negative, rest) = (neg, r),
                None => return Some(acc),
            }
        }
    }
}

/// One term [`term_text`] wrote: its exponents and positive coefficient.
fn term_of_text(body: &str, names: &[String]) -> Option<(Vec<i32>, Rational)> {
    let (num, den) = match body.split_once(" / ") {
        Some((num, den)) => {
            let den = match den.strip_prefix('(') {
                Some(inner) => inner.strip_suffix(')')?,
                None => den,
            };
            (num, Some(den))
        }
        None => (body, None),
    };
    let mut e = vec![0; names.len()];
    let mut c = Rational::from(1);
    for (part, sign) in [(Some(num), 1), (den, -1)] {
        let Some(part) = part else { continue };
        for factor in part.split(" * ") {
            if let Ok(k) = factor.parse::<rug::Integer>() {
                if k <= 0 {
                    return None;
                }
                if sign > 0 {
                    c *= k;
                } else {
                    c /= k;
                }
                continue;
            }
            let (name, k) = match factor.rsplit_once(" ^ ") {
                Some((name, k)) => (name, k.parse::<i32>().ok().filter(|k| *k > 0)?),
                None => (factor, 1),
            };
            let i = names.iter().position(|m| m == name)?;
            e[i] += sign * k;
        }
    }
    Some((e, c))
}

/// One term with a positive coefficient: `3 * x ^ 2 / (4 * y)`.
fn term_text(e: &[i32], c: &Rational, names: &[String]) -> String {
    let power = |name: &str, k: i32| {
        if k == 1 {
            name.to_string()
        } else {
            format!("{name} ^ {k}")
        }
    };
    let mut num = Vec::new();
    let mut den = Vec::new();
    if *c.numer() != 1 {
        num.push(c.numer().to_string());
    }
    if *c.denom() != 1 {
        den.push(c.denom().to_string());
    }
    for (i, &k) in e.iter().enumerate() {
        if k > 0 {
            num.push(power(&names[i], k));
        } else if k < 0 {
            den.push(power(&names[i], -k));
        }
    }
    let num = if num.is_empty() {
        "1".to_string()
    } else {
        num.join(" * ")
    };
    match den.len() {
        0 => num,
        1 => format!("{num} / {}", den[0]),
        _ => format!("{num} / ({})", den.join(" * ")),
    }
}

/// Translates expressions over the variables `names` into polynomials. `nonzero` says whether a
/// variable is known to be non-zero (a divisor's variables must be).
pub struct Ring<'a> {
    pub names: &'a [String],
}

/// The largest degree a power may give (beyond it the polynomial is not built).
const MAX_DEGREE: u32 = 64;

impl Ring<'_> {
    pub fn n(&self) -> usize {
        self.names.len()
    }

    /// Every variable bound to itself.
    pub fn identity_env(&self) -> BTreeMap<String, Poly> {
        self.names
            .iter()
            .enumerate()
            .map(|(i, v)| (v.clone(), Poly::var(self.n(), i)))
            .collect()
    }

    /// `e` as a Laurent polynomial, or `None` when it leaves them (π, √, |·|, ℕ subtraction,
    /// integer division, a divisor that is not a single non-zero term, …). Integer types'
    /// `+`, `*`, `^` agree with the reals' (the casts are ring maps), so they are kept.
    pub fn poly(
        &self,
        e: &Expr,
        env: &BTreeMap<String, Poly>,
        nonzero: &dyn Fn(usize) -> bool,
    ) -> Option<Poly> {
        let n = self.n();
        let rec = |e: &Expr| self.poly(e, env, nonzero);
        let inverse = |d: Poly| -> Option<Poly> {
            let (exps, _) = d.as_term()?;
            if exps.iter().enumerate().any(|(i, k)| *k != 0 && !nonzero(i)) {
                return None;
            }
            d.inverse_term()
        };
        Some(match e {
            Expr::Lit(_, q) => Poly::constant(n, q.clone()),
            Expr::Var(_, name) => env.get(name)?.clone(),
            Expr::Neg(_, a) => rec(a)?.neg(),
            Expr::Add(_, xs) => {
                let mut acc = Poly::zero(n);
                for x in xs {
                    acc = acc.add(&rec(x)?);
                }
                acc
            }
            Expr::Mul(_, xs) => {
                let mut acc = Poly::constant(n, Rational::from(1));
                for x in xs {
                    acc = acc.mul(&rec(x)?);
                }
                acc
            }
            Expr::Div(ty, a, b) if ty.is_field() => rec(a)?.mul(&inverse(rec(b)?)?),
            Expr::Inv(_, a) => inverse(rec(a)?)?,
            Expr::Pow(_, a, k) => {
                if *k > MAX_DEGREE {
                    return None;
                }
                match a.as_ref() {
                    // `|a| ^ 2k = a ^ 2k`.
                    Expr::Abs(_, b) if k % 2 == 0 => rec(b)?.pow(*k),
                    // `√p ^ 2k = p ^ k` where `p ≥ 0` everywhere, which a sum of even
                    // monomials with positive coefficients is (`‖z‖ ^ 2 = re² + im²`).
                    Expr::Call(Func::Sqrt, b) if k % 2 == 0 => {
                        let p = rec(b)?;
                        let manifestly_nonneg = p
                            .terms()
                            .all(|(exps, c)| *c > 0 && exps.iter().all(|e| *e >= 0 && e % 2 == 0));
                        if !manifestly_nonneg {
                            return None;
                        }
                        p.pow(k / 2)
                    }
                    _ => rec(a)?.pow(*k),
                }
            }
            Expr::PowExpr(ty, a, b) => {
                let Expr::Lit(_, q) = b.as_ref() else {
                    return None;
                };
                let k = q.numer().to_i32().filter(|_| *q.denom() == 1)?;
                if k.unsigned_abs() > MAX_DEGREE {
                    return None;
                }
                let p = rec(a)?.pow(k.unsigned_abs());
                if k < 0 {
                    if !ty.is_field() {
                        return None;
                    }
                    inverse(p)?
                } else {
                    p
                }
            }
            Expr::Cast(_, Ty::Int | Ty::Rat | Ty::Real, a) => rec(a)?,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn parse(src: &str) -> Result<Expr, String> {
        Ok(crate::front::elab_expression(
            src,
            &["μSq".to_string(), "𝓵".to_string(), "x".to_string()],
        )?)
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn completing_the_square_is_an_identity() {
        let vars = names(&["μSq", "𝓵", "x"]);
        let ring = Ring { names: &vars };
        let env = ring.identity_env();
        let p = |s: &str| ring.poly(&parse(s).unwrap(), &env, &|_| true).unwrap();
        let lhs = p("-μSq * x + 𝓵 * x ^ 2 + μSq ^ 2 / (4 * 𝓵)");
        let rhs = p("𝓵 * (x - μSq / (2 * 𝓵)) ^ 2");
        assert_eq!(lhs, rhs);
        assert_eq!(rhs.lean(&vars), "𝓵 * x ^ 2 - μSq * x + μSq ^ 2 / (4 * 𝓵)");
        // Division by a variable not known to be non-zero is refused.
        assert!(
            ring.poly(&parse("x / 𝓵").unwrap(), &env, &|i| i != 1)
                .is_none()
        );
        assert!(
            ring.poly(&parse("x / (𝓵 + 1)").unwrap(), &env, &|_| true)
                .is_none()
        );
        let d = p("𝓵 * x ^ 2 - μSq * x").derivative(2);
        assert_eq!(d, p("2 * 𝓵 * x - μSq"));
        let at = d.substitute(2, &p("μSq / (2 * 𝓵)")).unwrap();
        assert!(at.is_zero());
    }

    proptest::proptest! {
        /// What `lean` writes, `from_lean` reads back, over names with spaces and norms too.
        #[test]
        fn lean_text_reads_back(
            terms in proptest::collection::vec(
                (proptest::collection::vec(-3i32..4, 3), -20i64..21, 1i64..7), 0..5),
        ) {
            let vars = names(&["μSq", "‖φ‖", "v 0"]);
            let p = terms.iter().fold(Poly::zero(3), |acc, (e, n, d)| {
                acc.add(&Poly::monomial(3, e.clone(), Rational::from((*n, *d))))
            });
            let text = p.lean(&vars);
            proptest::prop_assert_eq!(Poly::from_lean(&text, &vars), Some(p), "{}", text);
        }
    }

    #[test]
    fn other_text_is_not_read() {
        let vars = names(&["a", "b"]);
        assert_eq!(Poly::from_lean("a + c", &vars), None);
        assert_eq!(Poly::from_lean("a ^ -1", &vars), None);
        assert_eq!(Poly::from_lean("a / 0", &vars), None);
        assert_eq!(
            Poly::from_lean("a / (2 * b)", &vars),
            Some(
                Poly::var(2, 0)
                    .mul(&Poly::var(2, 1).inverse_term().unwrap())
                    .scale(&Rational::from((1, 2)))
            )
        );
    }
}
