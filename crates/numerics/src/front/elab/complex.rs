//! Complex numbers, vector combinations and inner products. A complex value is its real and
//! imaginary parts; a vector expression (`Complex.I • Φ`, `Φ₁ - Φ₂`) is a combination of
//! vector variables; `inner 𝕜 x y` (`⟪x, y⟫_𝕜`) expands, by sesquilinearity, into the
//! variables' Gram entries: `‖v‖²` on the diagonal and, for two variables related by an inner
//! product, new real variables for `re ⟪v₁, v₂⟫` (and `im`) constrained by Cauchy–Schwarz.
//! That constraint is exactly the set of values the pair takes (see [`Gram::why`]), so the
//! reduction keeps the statement's truth; where it would not (three variables related
//! pairwise, fields at points, different spaces), elaboration fails with the reason.

use std::rc::Rc;

use super::real::{add, is_lit, lit, mul, neg, sq, sub};
use super::tree::Leaf;
use super::{Cx, Elab, R};
use crate::core::{Expr, Func, Prop, Rel, Ty};
use crate::front::lex::Pos;
use crate::front::syntax::{Kind, Op, Term};
use crate::front::value::{CombTerm, TyVal, Val, VecRef};

/// The most a complex tree may nest (its recursion is bounded).
const MAX_DEPTH: usize = 200;
/// The largest literal exponent of a complex power (expanded by multiplication).
const MAX_POW: u32 = 16;

/// The value of a node of a complex tree.
enum CVal {
    Real(Expr),
    Complex(Expr, Expr),
    Vector(Vec<CombTerm>),
}

/// The Gram entries `re ⟪v₁, v₂⟫`, `im ⟪v₁, v₂⟫` of two vector variables.
#[derive(Debug, Clone)]
pub struct Gram {
    pub re: String,
    /// `None` in a real space.
    pub im: Option<String>,
    /// The binder ids of `v₁` and `v₂`.
    pub first: usize,
    pub second: usize,
    norms: (String, String),
    /// In a space of dimension 1, `|⟪v₁, v₂⟫| = ‖v₁‖‖v₂‖` exactly.
    dim_one: bool,
    pub what: String,
    pub why: String,
    /// Bound by a quantifier (or the statement) already.
    pub bound: bool,
}

impl Gram {
    /// The variables, each real and of any sign.
    pub fn vars(&self) -> Vec<crate::core::Var> {
        let mut v = vec![crate::core::Var::real(self.re.clone())];
        if let Some(im) = &self.im {
            v.push(crate::core::Var::real(im.clone()));
        }
        v
    }

    /// Cauchy–Schwarz: `re² + im² ≤ ‖v₁‖² ‖v₂‖²` (`=` in dimension 1).
    pub fn constraint(&self) -> Prop {
        let sq = |n: &str| Expr::Pow(Ty::Real, Box::new(Expr::Var(Ty::Real, n.into())), 2);
        let mut lhs = vec![sq(&self.re)];
        if let Some(im) = &self.im {
            lhs.push(sq(im));
        }
        let lhs = if lhs.len() == 1 {
            lhs.remove(0)
        } else {
            Expr::Add(Ty::Real, lhs)
        };
        let rhs = Expr::Mul(Ty::Real, vec![sq(&self.norms.0), sq(&self.norms.1)]);
        let rel = if self.dim_one { Rel::Eq } else { Rel::Le };
        Prop::Cmp(rel, lhs, rhs)
    }
}

/// The scalar field (complex?) and dimension of a vector type theorist knows as an inner
/// product space.
pub(super) fn space_of(ty: &str) -> Option<(bool, u64)> {
    if ty == "ℂ" {
        return Some((true, 1));
    }
    let rest = ty.strip_prefix("EuclideanSpace ")?;
    let (field, fin) = rest.split_once(' ')?;
    let complex = match field {
        "ℂ" | "Complex" => true,
        "ℝ" | "Real" => false,
        _ => return None,
    };
    let n = fin
        .trim_start_matches('(')
        .trim_end_matches(')')
        .strip_prefix("Fin ")?
        .trim()
        .parse()
        .ok()?;
    Some((complex, n))
}

fn zero() -> Expr {
    lit(0)
}

/// `(a + bi)(c + di)`.
fn cmul(a: (Expr, Expr), b: (Expr, Expr)) -> (Expr, Expr) {
    let (ar, ai) = a;
    let (br, bi) = b;
    (
        sub(mul(ar.clone(), br.clone()), mul(ai.clone(), bi.clone())),
        add(mul(ar, bi), mul(ai, br)),
    )
}

/// `z / w` as Lean computes it: `z * w⁻¹` with `0⁻¹ = 0` (so `z / 0 = 0`, which real
/// division by `|w|² = 0` also gives).
fn cdiv(z: (Expr, Expr), w: (Expr, Expr)) -> (Expr, Expr) {
    let (zr, zi) = z;
    let (wr, wi) = w;
    let den = add(sq(wr.clone()), sq(wi.clone()));
    let re = add(mul(zr.clone(), wr.clone()), mul(zi.clone(), wi.clone()));
    let im = sub(mul(zi, wr), mul(zr, wi));
    (
        Expr::Div(Ty::Real, Box::new(re), Box::new(den.clone())),
        Expr::Div(Ty::Real, Box::new(im), Box::new(den)),
    )
}

/// `|a + bi|`.
fn modulus(re: Expr, im: Expr) -> Expr {
    if is_lit(&im, 0) {
        return Expr::Abs(Ty::Real, Box::new(re));
    }
    if is_lit(&re, 0) {
        return Expr::Abs(Ty::Real, Box::new(im));
    }
    Expr::Call(Func::Sqrt, Box::new(add(sq(re), sq(im))))
}

/// The binder id of a vector variable.
fn base_id(v: &VecRef) -> Option<usize> {
    match v {
        VecRef::Var { id, .. } => Some(*id),
        _ => None,
    }
}

impl Elab<'_> {
    /// Whether an arithmetic tree has a complex or vector leaf (so it is not a real tree).
    pub(super) fn is_complex_tree(&mut self, t: &Term, cx: &Cx) -> R<bool> {
        let mut leaves = Vec::new();
        self.collect(t, cx, &mut leaves)?;
        Ok(leaves
            .iter()
            .any(|l| matches!(l, Leaf::Complex | Leaf::Vector(_))))
    }

    /// A tree of complex numbers or vectors (`2 * ⟪Φ₁, Φ₂⟫_ℂ`, `Complex.I • Φ`, `Φ₁ - Φ₂`).
    pub(super) fn complex_tree(&mut self, t: &Term, cx: &Cx) -> R<Val> {
        Ok(match self.cval(t, cx, 0)? {
            CVal::Real(e) => Val::Num(e),
            CVal::Complex(re, im) => Val::Complex(re, im),
            CVal::Vector(terms) if terms.is_empty() => Val::Vector(VecRef::Zero),
            CVal::Vector(terms) => Val::Vector(VecRef::Comb(Rc::new(terms))),
        })
    }

    /// A term of a complex or vector tree: its real, complex or vector value.
    fn cval(&mut self, t: &Term, cx: &Cx, depth: usize) -> R<CVal> {
        if depth > MAX_DEPTH {
            return self.fail(cx, t.pos, "a complex expression nested too deeply");
        }
        let op = |e: &mut Self, a: &Term, b: &Term| -> R<(CVal, CVal)> {
            Ok((e.cval(a, cx, depth + 1)?, e.cval(b, cx, depth + 1)?))
        };
        match &t.kind {
            Kind::Paren(e) => self.cval(e, cx, depth + 1),
            Kind::Neg(a) => match self.cval(a, cx, depth + 1)? {
                CVal::Real(e) => Ok(CVal::Real(neg(e))),
                CVal::Complex(re, im) => Ok(CVal::Complex(neg(re), neg(im))),
                CVal::Vector(v) => Ok(CVal::Vector(scale(v, (Expr::lit(Ty::Real, -1), zero())))),
            },
            Kind::Binop(o @ (Op::Add | Op::Sub), a, b) => {
                let (x, y) = op(self, a, b)?;
                self.csum(x, y, *o == Op::Sub, t, cx)
            }
            Kind::Binop(o @ (Op::Mul | Op::Div), a, b) => match op(self, a, b)? {
                (CVal::Vector(_), _) | (_, CVal::Vector(_)) => self.fail(
                    cx,
                    t.pos,
                    "`*` or `/` with a vector (scalar multiplication is `•`)",
                ),
                (x, y) => {
                    let (x, y) = (complex_parts(x), complex_parts(y));
                    let (re, im) = if *o == Op::Mul {
                        cmul(x, y)
                    } else {
                        cdiv(x, y)
                    };
                    Ok(CVal::Complex(re, im))
                }
            },
            Kind::Binop(Op::SMul, a, b) => match op(self, a, b)? {
                (CVal::Vector(_), _) => self.fail(cx, t.pos, "a vector as a scalar in `•`"),
                (c, CVal::Vector(v)) => Ok(CVal::Vector(scale(v, complex_parts(c)))),
                (x, y) => {
                    let (re, im) = cmul(complex_parts(x), complex_parts(y));
                    Ok(CVal::Complex(re, im))
                }
            },
            Kind::Binop(Op::Pow, a, n) => self.cpow(a, n, t, cx, depth),
            Kind::Binop(o, ..) => self.fail(
                cx,
                t.pos,
                format!("`{}` in complex or vector arithmetic", o.text()),
            ),
            _ => self.cleaf(t, cx),
        }
    }

    /// `x + y` or `x - y` (`minus`) in a complex tree: vectors with vectors, numbers with
    /// numbers.
    fn csum(&self, x: CVal, y: CVal, minus: bool, t: &Term, cx: &Cx) -> R<CVal> {
        match (x, y) {
            (CVal::Vector(u), CVal::Vector(v)) => {
                let v = if minus {
                    scale(v, (Expr::lit(Ty::Real, -1), zero()))
                } else {
                    v
                };
                Ok(CVal::Vector(combine(u, v)))
            }
            (CVal::Vector(_), _) | (_, CVal::Vector(_)) => {
                self.fail(cx, t.pos, "a number added to a vector")
            }
            (x, y) => {
                let (xr, xi) = complex_parts(x);
                let (yr, yi) = complex_parts(y);
                Ok(if minus {
                    CVal::Complex(sub(xr, yr), sub(xi, yi))
                } else {
                    CVal::Complex(add(xr, yr), add(xi, yi))
                })
            }
        }
    }

    /// `a ^ n` of a complex number, multiplied out, for a numeral `n ≤ MAX_POW`.
    fn cpow(&mut self, a: &Term, n: &Term, t: &Term, cx: &Cx, depth: usize) -> R<CVal> {
        let k = self.numeral_exponent(n, MAX_POW, "a complex number", cx)?;
        match self.cval(a, cx, depth + 1)? {
            CVal::Vector(_) => self.fail(cx, t.pos, "a power of a vector"),
            x => {
                let base = complex_parts(x);
                let mut acc = (Expr::lit(Ty::Real, 1), zero());
                for _ in 0..k {
                    acc = cmul(acc, base.clone());
                }
                Ok(CVal::Complex(acc.0, acc.1))
            }
        }
    }

    /// A leaf of a complex tree: a number, a complex number or a vector.
    fn cleaf(&mut self, t: &Term, cx: &Cx) -> R<CVal> {
        // A numeric leaf without complex parts is real: Lean casts the leaves of the tree to
        // ℂ, which commutes with its arithmetic, so it is elaborated in ℝ.
        let numeric = matches!(
            t.kind,
            Kind::Nat(_) | Kind::Sci(_) | Kind::Coe(_) | Kind::Abs(_) | Kind::Inv(_) | Kind::If(..)
        );
        if numeric && !self.is_complex_tree(t, cx)? {
            return Ok(CVal::Real(self.arith(t, cx, Some(Ty::Real))?));
        }
        match self.elab(t, cx, None)? {
            Val::Num(e) => {
                let e = self.coerce(e, Ty::Real, cx, t.pos)?;
                Ok(CVal::Real(e))
            }
            Val::Complex(re, im) => Ok(CVal::Complex(re, im)),
            Val::Vector(r) => Ok(CVal::Vector(terms_of(&r))),
            other => self.fail(
                cx,
                t.pos,
                format!("{} inside complex arithmetic", other.describe()),
            ),
        }
    }

    /// `a = b`, `a ≠ b` between complex numbers (both parts equal), or between vectors
    /// (`‖a - b‖ = 0`, `norm_sub_eq_zero_iff`).
    pub(super) fn complex_relation(
        &mut self,
        rel: Rel,
        a: &Term,
        b: &Term,
        cx: &Cx,
        pos: Pos,
    ) -> R<Prop> {
        if !matches!(rel, Rel::Eq | Rel::Ne) {
            return self.fail(cx, pos, "an order on complex numbers or vectors");
        }
        let x = self.cval(a, cx, 0)?;
        let y = self.cval(b, cx, 0)?;
        let eq = match (x, y) {
            (CVal::Vector(u), CVal::Vector(v)) => {
                let diff = combine(u, scale(v, (Expr::lit(Ty::Real, -1), zero())));
                let n = self.norm_terms(&diff, cx, pos)?;
                Prop::Cmp(Rel::Eq, n, zero())
            }
            (CVal::Vector(_), _) | (_, CVal::Vector(_)) => {
                return self.fail(cx, pos, "a vector compared with a number");
            }
            (x, y) => {
                let (xr, xi) = complex_parts(x);
                let (yr, yi) = complex_parts(y);
                Prop::And(
                    Box::new(Prop::Cmp(Rel::Eq, xr, yr)),
                    Box::new(Prop::Cmp(Rel::Eq, xi, yi)),
                )
            }
        };
        Ok(if rel == Rel::Eq {
            eq
        } else {
            Prop::Not(Box::new(eq))
        })
    }

    /// `‖z‖` of a complex number.
    pub(super) fn complex_norm(&mut self, re: Expr, im: Expr) -> Expr {
        modulus(re, im)
    }

    /// `‖Σ cₖ • vₖ‖`: `|c| ‖v‖` for one term, else `√(re ⟪w, w⟫)`.
    pub(super) fn norm_terms(&mut self, terms: &[CombTerm], cx: &Cx, pos: Pos) -> R<Expr> {
        match terms {
            [] => Ok(zero()),
            [t] => {
                let n = self.norm_of(&t.base, cx, pos)?;
                let c = modulus(t.re.clone(), t.im.clone());
                Ok(match &c {
                    Expr::Abs(_, inner) if is_lit(inner, 1) || is_lit(inner, -1) => n,
                    _ => mul(c, n),
                })
            }
            _ => {
                let (re, _) = self.inner_terms(terms, terms, cx, pos)?;
                Ok(Expr::Call(Func::Sqrt, Box::new(re)))
            }
        }
    }

    /// `inner 𝕜 x y` (`⟪x, y⟫_𝕜`); `scalar` is `𝕜` when written.
    pub(super) fn inner_product(
        &mut self,
        scalar: Option<&Term>,
        x: &Term,
        y: &Term,
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let complex = match scalar {
            None => None,
            Some(s) => match self.elab_type(s, cx)? {
                TyVal::Vector(t) if t == "ℂ" => Some(true),
                TyVal::Num(Ty::Real) => Some(false),
                other => {
                    return self.fail(
                        cx,
                        s.pos,
                        format!("an inner product over {}", other.describe()),
                    );
                }
            },
        };
        let xv = self.elab(x, cx, None)?;
        let yv = self.elab(y, cx, None)?;
        // Numbers: `⟪z, w⟫ = conj z * w` (ℂ as a space over itself; `x * y` on ℝ).
        if let (Some(z), Some(w)) = (number_parts(&xv), number_parts(&yv)) {
            let (re, im) = cmul((z.0, neg(z.1)), w);
            return match complex {
                Some(false) if !is_lit(&im, 0) => self.fail(
                    cx,
                    pos,
                    "a real inner product of complex numbers: theorist reads the space's own inner product only",
                ),
                Some(false) => Ok(Val::Num(re)),
                _ => Ok(Val::Complex(re, im)),
            };
        }
        if let Some(v) = self.euclid_inner(complex, &xv, &yv, cx, pos) {
            return v;
        }
        let mut sides = Vec::new();
        for (side, v) in [(x, xv), (y, yv)] {
            match v {
                Val::Vector(r) => sides.push(terms_of(&r)),
                other => {
                    return self.fail(cx, side.pos, format!("`inner` of {}", other.describe()));
                }
            }
        }
        let space = self.inner_space(&sides, cx, pos)?;
        let Some((_, space_complex, _)) = space else {
            // Only zero vectors: `⟪0, y⟫ = 0`.
            return Ok(match complex {
                Some(false) => Val::Num(zero()),
                _ => Val::Complex(zero(), zero()),
            });
        };
        let complex = complex.unwrap_or(space_complex);
        if complex != space_complex {
            return self.fail(
                cx,
                pos,
                "a real inner product on a complex space (or the other way round): theorist reads the space's own inner product only",
            );
        }
        let (re, im) = self.inner_terms(&sides[0], &sides[1], cx, pos)?;
        Ok(if complex {
            Val::Complex(re, im)
        } else {
            Val::Num(re)
        })
    }

    /// The space an inner product is taken in: every vector variable of both sides in one
    /// space theorist knows (`None` when both sides are zero vectors).
    fn inner_space(
        &self,
        sides: &[Vec<CombTerm>],
        cx: &Cx,
        pos: Pos,
    ) -> R<Option<(String, bool, u64)>> {
        let mut space: Option<(String, bool, u64)> = None;
        for t in sides.iter().flatten() {
            let VecRef::Var { ty, display, .. } = &t.base else {
                return self.fail(
                    cx,
                    pos,
                    "an inner product of a field at a point: theorist reads fields only through their norms",
                );
            };
            let Some((c, n)) = space_of(ty) else {
                return self.fail(
                    cx,
                    pos,
                    format!("an inner product on `{ty}`, whose dimension and scalars theorist does not know (`{display}`)"),
                );
            };
            match &space {
                Some((s, ..)) if s != ty => {
                    return self.fail(
                        cx,
                        pos,
                        format!("an inner product between vectors of `{s}` and `{ty}`"),
                    );
                }
                _ => space = Some((ty.clone(), c, n)),
            }
        }
        Ok(space)
    }

    /// `⟪Σ aᵢ uᵢ, Σ bⱼ vⱼ⟫ = Σ conj(aᵢ) bⱼ ⟪uᵢ, vⱼ⟫` (Mathlib's inner product is
    /// conjugate-linear in its first argument).
    fn inner_terms(
        &mut self,
        xs: &[CombTerm],
        ys: &[CombTerm],
        cx: &Cx,
        pos: Pos,
    ) -> R<(Expr, Expr)> {
        let mut re = zero();
        let mut im = zero();
        for a in xs {
            for b in ys {
                let g = self.gram_entry(&a.base, &b.base, cx, pos)?;
                let coef = cmul(
                    (a.re.clone(), neg(a.im.clone())),
                    (b.re.clone(), b.im.clone()),
                );
                let (r, i) = cmul(coef, g);
                re = add(re, r);
                im = add(im, i);
            }
        }
        Ok((re, im))
    }

    /// `⟪u, v⟫` for two vector variables: `‖u‖²` when they are the same, else the pair's Gram
    /// variables (created on first use).
    fn gram_entry(&mut self, u: &VecRef, v: &VecRef, cx: &Cx, pos: Pos) -> R<(Expr, Expr)> {
        let (Some(iu), Some(iv)) = (base_id(u), base_id(v)) else {
            return self.fail(cx, pos, "an inner product of a field at a point");
        };
        if iu == iv {
            let n = self.norm_of(u, cx, pos)?;
            return Ok((sq(n), zero()));
        }
        let (first, second, flip) = if iu < iv { (u, v, false) } else { (v, u, true) };
        let (f, s) = (iu.min(iv), iu.max(iv));
        let g = match self.grams.iter().find(|g| g.first == f && g.second == s) {
            Some(g) => g.clone(),
            None => self.new_gram(first, second, cx, pos)?,
        };
        let re = Expr::Var(Ty::Real, g.re.clone());
        let im = match &g.im {
            Some(n) => Expr::Var(Ty::Real, n.clone()),
            None => zero(),
        };
        Ok((re, if flip { neg(im) } else { im }))
    }

    fn new_gram(&mut self, u: &VecRef, v: &VecRef, cx: &Cx, pos: Pos) -> R<Gram> {
        let (
            VecRef::Var {
                id: f,
                display: du,
                ty,
            },
            VecRef::Var {
                id: s, display: dv, ..
            },
        ) = (u, v)
        else {
            return self.fail(cx, pos, "an inner product of a field at a point");
        };
        // Two vectors' Gram entries range over exactly the Cauchy–Schwarz set; with a third
        // related to either, the set is a 3×3 positive semidefinite condition theorist does
        // not model.
        for g in &self.grams {
            let shares = [g.first, g.second].iter().any(|b| b == f || b == s);
            if shares {
                return self.fail(
                    cx,
                    pos,
                    format!(
                        "inner products among three vectors ({} and `{du}`, `{dv}`): theorist reduces at most one pair of related vectors at a time",
                        g.what
                    ),
                );
            }
        }
        let (complex, dim) = space_of(ty).expect("checked by the caller");
        let nu = match self.norm_of(u, cx, pos)? {
            Expr::Var(_, n) => n,
            _ => unreachable!("a variable's norm is a variable"),
        };
        let nv = match self.norm_of(v, cx, pos)? {
            Expr::Var(_, n) => n,
            _ => unreachable!("a variable's norm is a variable"),
        };
        let re = self.unique(&format!("re⟪{du}, {dv}⟫"));
        let im = complex.then(|| self.unique(&format!("im⟪{du}, {dv}⟫")));
        let what = format!("⟪{du}, {dv}⟫");
        let parts = if complex {
            format!("`{re}`, `{}`", im.as_deref().unwrap_or_default())
        } else {
            format!("`{re}`")
        };
        let set = match (complex, dim == 1) {
            (true, false) => format!(
                "re² + im² ≤ ‖{du}‖²‖{dv}‖² (Cauchy–Schwarz); every such value is reached in dimension {dim} ≥ 2 ({du} = a e₁, {dv} = (z / a) e₁ + t e₂)"
            ),
            (false, false) => format!(
                "re² ≤ ‖{du}‖²‖{dv}‖² (Cauchy–Schwarz); every such value is reached in dimension {dim} ≥ 2 ({du} = a e₁, {dv} = (x / a) e₁ + t e₂)"
            ),
            (_, true) => format!("|⟪{du}, {dv}⟫| = ‖{du}‖‖{dv}‖ exactly, in dimension 1"),
        };
        let why = format!(
            "`{du}, {dv} : {ty}` are used only through their norms and {what} (read by sesquilinearity); as they range over the space, (‖{du}‖, ‖{dv}‖, {what}) takes exactly the values with norms ≥ 0 and {set}, so quantifying over `{du}`, `{dv}` is quantifying over the norms and {parts} under that constraint"
        );
        let g = Gram {
            re,
            im,
            first: *f,
            second: *s,
            norms: (nu, nv),
            dim_one: dim == 1,
            what,
            why,
            bound: false,
        };
        self.grams.push(g.clone());
        Ok(g)
    }
}

/// A complex-tree value as complex parts (a real `x` is `x + 0i`).
fn complex_parts(v: CVal) -> (Expr, Expr) {
    match v {
        CVal::Real(e) => (e, zero()),
        CVal::Complex(re, im) => (re, im),
        CVal::Vector(_) => unreachable!("vectors are handled by the caller"),
    }
}

/// A number's complex parts (a real `x` is `x + 0i`); `None` for anything else.
fn number_parts(v: &Val) -> Option<(Expr, Expr)> {
    match v {
        Val::Complex(re, im) => Some((re.clone(), im.clone())),
        Val::Num(e) if e.ty() == Ty::Real => Some((e.clone(), zero())),
        _ => None,
    }
}

/// A vector value as a combination of vector variables.
fn terms_of(r: &VecRef) -> Vec<CombTerm> {
    match r {
        VecRef::Zero => Vec::new(),
        VecRef::Comb(ts) => ts.as_ref().clone(),
        other => vec![CombTerm {
            re: Expr::lit(Ty::Real, 1),
            im: zero(),
            base: other.clone(),
        }],
    }
}

/// `c • Σ aₖ vₖ`.
fn scale(v: Vec<CombTerm>, c: (Expr, Expr)) -> Vec<CombTerm> {
    v.into_iter()
        .map(|t| {
            let (re, im) = cmul(c.clone(), (t.re, t.im));
            CombTerm {
                re,
                im,
                base: t.base,
            }
        })
        .collect()
}

/// `u + v`, each base once; a base whose coefficient folds to `0` is gone (`Φ - Φ = 0`).
fn combine(mut u: Vec<CombTerm>, v: Vec<CombTerm>) -> Vec<CombTerm> {
    for t in v {
        match u.iter_mut().find(|s| s.base == t.base) {
            Some(s) => {
                s.re = add(s.re.clone(), t.re);
                s.im = add(s.im.clone(), t.im);
            }
            None => u.push(t),
        }
    }
    u.retain(|t| !(is_lit(&t.re, 0) && is_lit(&t.im, 0)));
    u
}
