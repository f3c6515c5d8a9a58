//! Trigonometric and hyperbolic identities, decided exactly: the addition formulas and parity
//! (`sin (a + b)`, `cosh (-a)`, `sin 0`) expand every `sin`, `cos`, `sinh`, `cosh` into
//! functions of atomic arguments; those become polynomial variables `S`, `C` (`SH`, `CH`), any
//! other non-polynomial term an opaque variable; and the difference of the two sides is reduced
//! modulo `C² = 1 - S²` and `CH² = 1 + SH²` to a normal form (every power of `C` below 2), which
//! is zero exactly when the identity follows from those facts. So `cosh a cosh b + sinh a sinh
//! b = cosh (a + b)` and `cosh ζ ^ 2 - sinh ζ ^ 2 = 1` are proved for every real value.

use rug::Rational;

use crate::algebraic::{Algebraic, GLOBAL_SCOPE};
use crate::core::{Expr, Func, Prop, Rel, Ty};
use crate::poly::{Poly, Ring};
use crate::statement::Statement;

/// How many times an argument `k * a` is unfolded by the addition formula (`sin (3 a)`).
const MAX_MULTIPLE: i64 = 4;

fn real(k: i64) -> Expr {
    Expr::lit(Ty::Real, k)
}

fn call(f: Func, a: Expr) -> Expr {
    Expr::Call(f, Box::new(a))
}

fn mul(a: Expr, b: Expr) -> Expr {
    Expr::Mul(Ty::Real, vec![a, b])
}

fn add(a: Expr, b: Expr) -> Expr {
    Expr::Add(Ty::Real, vec![a, b])
}

fn sub(a: Expr, b: Expr) -> Expr {
    add(a, Expr::Neg(Ty::Real, Box::new(b)))
}

fn is_trig(f: Func) -> bool {
    matches!(f, Func::Sin | Func::Cos | Func::Sinh | Func::Cosh)
}

/// `f (x + y)` by the addition formula.
fn add_formula(f: Func, x: Expr, y: Expr) -> Expr {
    let (s, c) = match f {
        Func::Sin | Func::Cos => (Func::Sin, Func::Cos),
        _ => (Func::Sinh, Func::Cosh),
    };
    let (sx, cx) = (expand_call(s, x.clone()), expand_call(c, x));
    let (sy, cy) = (expand_call(s, y.clone()), expand_call(c, y));
    match f {
        Func::Sin | Func::Sinh => add(mul(sx, cy), mul(cx, sy)),
        Func::Cos => sub(mul(cx.clone(), cy.clone()), mul(sx, sy)),
        _ => add(mul(cx, cy), mul(sx, sy)),
    }
}

/// `f a` with `a` already expanded: addition formulas, parity, the values at 0.
fn expand_call(f: Func, a: Expr) -> Expr {
    match &a {
        Expr::Lit(_, q) if *q == 0 => {
            return real(match f {
                Func::Cos | Func::Cosh => 1,
                _ => 0,
            });
        }
        Expr::Neg(_, inner) => {
            let v = expand_call(f, (**inner).clone());
            return match f {
                Func::Cos | Func::Cosh => v,
                _ => Expr::Neg(Ty::Real, Box::new(v)),
            };
        }
        Expr::Add(_, xs) if xs.len() >= 2 => {
            let x = xs[0].clone();
            let y = if xs.len() == 2 {
                xs[1].clone()
            } else {
                Expr::Add(Ty::Real, xs[1..].to_vec())
            };
            return add_formula(f, x, y);
        }
        // `f (k * a)` for a small integer `k`: `a + (k - 1) a`.
        Expr::Mul(_, xs) if xs.len() == 2 => {
            if let Expr::Lit(_, q) = &xs[0] {
                if *q.denom() == 1 {
                    if let Some(k) = q
                        .numer()
                        .to_i64()
                        .filter(|k| (2..=MAX_MULTIPLE).contains(k))
                    {
                        let a = xs[1].clone();
                        let rest = if k == 2 {
                            a.clone()
                        } else {
                            Expr::Mul(Ty::Real, vec![real(k - 1), a.clone()])
                        };
                        return add_formula(f, a, rest);
                    }
                }
            }
        }
        _ => {}
    }
    call(f, a)
}

/// `e` with every trigonometric and hyperbolic call expanded.
fn expand(e: &Expr) -> Expr {
    match e {
        Expr::Call(f, a) if is_trig(*f) => expand_call(*f, expand(a)),
        other => other.map_children(expand),
    }
}

/// The atoms of an expanded term: non-polynomial subterms, each replaced by a variable.
struct Atoms {
    /// (term, variable name).
    seen: Vec<(Expr, String)>,
}

impl Atoms {
    fn name(&mut self, e: &Expr) -> String {
        if let Some((_, n)) = self.seen.iter().find(|(t, _)| t == e) {
            return n.clone();
        }
        let n = format!("atom✝{}", self.seen.len());
        self.seen.push((e.clone(), n.clone()));
        n
    }

    /// `e` over variables: every call (and π, a reference value) is an atom.
    fn replace(&mut self, e: &Expr) -> Expr {
        match e {
            Expr::Call(..) | Expr::Pi | Expr::Ref(_) => Expr::Var(Ty::Real, self.name(e)),
            other => other.map_children(|c| self.replace(c)),
        }
    }
}

/// `Π xᵢ^eᵢ` with coefficient `c`.
fn monomial(n: usize, exps: &[i32], c: &Rational) -> Poly {
    exps.iter()
        .enumerate()
        .fold(Poly::constant(n, c.clone()), |acc, (i, k)| {
            acc.mul(&Poly::var(n, i).pow(*k as u32))
        })
}

/// `p` reduced modulo `c² = 1 + sign · s²` (`sign` = -1 for sin/cos, +1 for sinh/cosh).
fn reduce(p: &Poly, n: usize, s: usize, c: usize, sign: i32) -> Poly {
    let square = Poly::constant(n, Rational::from(1))
        .add(&Poly::var(n, s).pow(2).scale(&Rational::from(sign)));
    let mut out = Poly::zero(n);
    for (exps, coef) in p.terms() {
        let k = exps[c];
        if k < 2 {
            out = out.add(&monomial(n, exps, coef));
            continue;
        }
        let mut rest = exps.clone();
        rest[c] = k % 2;
        out = out.add(&monomial(n, &rest, coef).mul(&square.pow((k / 2) as u32)));
    }
    out
}

/// The equations the conclusion states (a conjunction of them), after the hypotheses.
fn equations(p: &Prop) -> Option<Vec<(&Expr, &Expr)>> {
    match p {
        Prop::Imp(_, b) => equations(b),
        Prop::Cmp(Rel::Eq, l, r) => Some(vec![(l, r)]),
        Prop::And(a, b) => {
            let mut v = equations(a)?;
            v.extend(equations(b)?);
            Some(v)
        }
        _ => None,
    }
}

/// An exact proof that every equation of `s`'s conclusion is an identity of the trigonometric
/// and hyperbolic functions (so it holds whatever the hypotheses), if it is one.
pub fn prove(s: &Statement) -> Option<Algebraic> {
    let eqs = equations(&s.claim)?;
    let mut has_trig = false;
    for (l, r) in eqs {
        let d = expand(&Expr::Add(
            Ty::Real,
            vec![l.clone(), Expr::Neg(Ty::Real, Box::new(r.clone()))],
        ));
        let mut atoms = Atoms { seen: Vec::new() };
        let d = atoms.replace(&d);
        let mut names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
        names.extend(atoms.seen.iter().map(|(_, n)| n.clone()));
        let ring = Ring { names: &names };
        let mut p = ring.poly(&d, &ring.identity_env(), &|_| false)?;
        // The pairs: the same argument under sin and cos (sinh and cosh).
        let index = |t: &Expr| -> Option<usize> {
            let n = &atoms.seen.iter().find(|(e, _)| e == t)?.1;
            names.iter().position(|m| m == n)
        };
        has_trig |= atoms
            .seen
            .iter()
            .any(|(t, _)| matches!(t, Expr::Call(f, _) if is_trig(*f)));
        for (t, _) in &atoms.seen {
            let Expr::Call(f, a) = t else { continue };
            let (partner, sign) = match f {
                Func::Cos => (Func::Sin, -1),
                Func::Cosh => (Func::Sinh, 1),
                _ => continue,
            };
            let (Some(c), Some(s_i)) = (index(t), index(&call(partner, (**a).clone()))) else {
                continue;
            };
            p = reduce(&p, names.len(), s_i, c, sign);
        }
        if !p.is_zero() {
            return None;
        }
    }
    if !has_trig {
        return None;
    }
    Some(Algebraic {
        kind: "trigonometric identity".into(),
        scope: GLOBAL_SCOPE,
        identities: vec![format!(
            "{}  (both sides agree after the addition formulas, modulo sin² + cos² = 1 and cosh² - sinh² = 1)",
            s.claim_text()
        )],
        lean_hint: "simp only [Real.sin_add, Real.cos_add, Real.sinh_add, Real.cosh_add, Real.cos_sq', Real.cosh_sq]; ring".into(),
        extremum: None,
    })
}
