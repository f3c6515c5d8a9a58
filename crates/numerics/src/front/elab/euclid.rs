//! Vectors of `EuclideanSpace ℝ (Fin n)` read through their components (`k μ`, PhysLean's
//! reduced 2HDM terms): `n` real variables, `‖k‖ = √(Σ kᵢ²)`, `⟪k, l⟫_ℝ = Σ kᵢ lᵢ`. This is
//! the space itself, not a reduction. A vector used only through its norm stays one norm
//! variable (fewer variables to search); one applied to an index anywhere is read by
//! components, which a pass finds out and the next pass does from the binder on.
//!
//! Also the index type of a sum whose index is not written (`∑ a, |P.ξ (Sum.inr a)| ^ 2`):
//! the body is read once with the index as a probe, and the `Fin n` it is first used as is
//! its type, as Lean's unifier would find it.

use std::rc::Rc;

use super::super::lex::Pos;
use super::super::syntax::{Arg, Term};
use super::super::value::{TyVal, Val, VecRef};
use super::complex::space_of;
use super::real::{add, mul};
use super::{Cx, Elab, R};
use crate::core::{Expr, Func, Ty, Var};

/// The marker a probed index is bound to.
const PROBE: &str = "\u{0}index probe";

/// `n` when `ty` is `EuclideanSpace ℝ (Fin n)`.
pub(super) fn real_dim(ty: &str) -> Option<u64> {
    match space_of(ty) {
        Some((false, n)) if ty != "ℂ" => Some(n),
        _ => None,
    }
}

/// `‖v‖ = √(Σ vᵢ²)`.
pub(super) fn norm(elems: &[Expr]) -> Expr {
    Expr::Call(Func::Sqrt, Box::new(dot(elems, elems)))
}

/// `‖v‖ = √(Σ |vᵢ|²)` for complex components: the norm of their real and imaginary parts.
pub(super) fn complex_norm(elems: &[(Expr, Expr)]) -> Expr {
    let parts: Vec<Expr> = elems
        .iter()
        .flat_map(|(re, im)| [re.clone(), im.clone()])
        .collect();
    norm(&parts)
}

/// `Σ xᵢ yᵢ`.
pub(super) fn dot(x: &[Expr], y: &[Expr]) -> Expr {
    x.iter()
        .zip(y)
        .map(|(a, b)| mul(a.clone(), b.clone()))
        .reduce(add)
        .unwrap_or_else(|| Expr::lit(Ty::Real, 0))
}

impl Elab<'_> {
    /// `⟪x, y⟫_ℝ` when a side is read through its components: both are (a side still bound as
    /// a norm variable is asked for by components), and the product is `Σ xᵢ yᵢ`. `None` when
    /// neither side is.
    pub(super) fn euclid_inner(
        &mut self,
        complex: Option<bool>,
        x: &Val,
        y: &Val,
        cx: &Cx,
        pos: Pos,
    ) -> Option<R<Val>> {
        if !matches!(x, Val::Euclid(_)) && !matches!(y, Val::Euclid(_)) {
            return None;
        }
        if complex == Some(true) {
            return Some(self.fail(cx, pos, "a complex inner product on a real Euclidean space"));
        }
        Some(match (x, y) {
            (Val::Euclid(a), Val::Euclid(b)) if a.len() == b.len() => Ok(Val::Num(dot(a, b))),
            (Val::Euclid(_), Val::Vector(VecRef::Var { id, .. }))
            | (Val::Vector(VecRef::Var { id, .. }), Val::Euclid(_)) => {
                self.components_wanted(*id, cx, pos)
            }
            _ => self.fail(
                cx,
                pos,
                "an inner product of a vector read through its components with something else",
            ),
        })
    }

    /// A new vector `name : EuclideanSpace ℝ (Fin n)` as its `n` components.
    pub(super) fn euclid_components(
        &mut self,
        name: &str,
        n: u64,
    ) -> (Val, Vec<Var>, Vec<(String, crate::core::Prop)>) {
        let vars: Vec<Var> = (0..n)
            .map(|k| Var::real(self.unique(&format!("{name} {k}"))))
            .collect();
        let elems = vars.iter().map(|v| v.expr()).collect();
        (Val::Euclid(Rc::new(elems)), vars, Vec::new())
    }

    /// `!₂[a, b, …]` where a vector of `EuclideanSpace 𝕜 (Fin n)` is expected.
    pub(super) fn vector_literal(
        &mut self,
        items: &[Term],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        let space = match expect {
            Some(TyVal::Vector(ty)) => space_of(ty).filter(|_| ty != "ℂ"),
            _ => None,
        };
        let Some((complex, n)) = space else {
            return self.fail(
                cx,
                pos,
                "`!₂[…]` where theorist does not know the Euclidean space (it reads it where a `EuclideanSpace 𝕜 (Fin n)` is expected)",
            );
        };
        if items.len() as u64 != n {
            return self.fail(
                cx,
                pos,
                format!(
                    "`!₂[…]` with {} components for a space of dimension {n}",
                    items.len()
                ),
            );
        }
        if !complex {
            let mut elems = Vec::with_capacity(items.len());
            for t in items {
                elems.push(self.arith(t, cx, Some(Ty::Real))?);
            }
            return Ok(Val::Euclid(Rc::new(elems)));
        }
        let scalar = TyVal::Vector("ℂ".into());
        let mut elems = Vec::with_capacity(items.len());
        for t in items {
            match self.elab_at(t, cx, &scalar)? {
                Val::Complex(re, im) => elems.push((re, im)),
                other => {
                    return self.fail(
                        cx,
                        t.pos,
                        format!("a component of `!₂[…]` that is {}", other.describe()),
                    );
                }
            }
        }
        Ok(Val::CEuclid(Rc::new(elems)))
    }

    /// `k i`: the `i`-th component.
    pub(super) fn euclid_component(
        &mut self,
        elems: &[Expr],
        args: &[Arg],
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let [Arg::Pos(a)] = args else {
            return self.fail(cx, pos, "a vector applied to more than one index");
        };
        let k = self.fin_value(a, elems.len() as u64, cx)?;
        match elems.get(k as usize) {
            Some(e) => Ok(Val::Num(e.clone())),
            None => self.fail(cx, a.pos, "an index beyond the vector's dimension"),
        }
    }

    /// A vector bound as a norm variable is read through a component: the next pass binds it
    /// as components (this pass stops here).
    pub(super) fn components_wanted(&mut self, id: usize, cx: &Cx, pos: Pos) -> R<Val> {
        match self.vector_binders.get(&id).cloned() {
            Some(binder) => {
                let display = binder.0.clone();
                self.want_components.insert(binder);
                self.fail(
                    cx,
                    pos,
                    format!("`{display}` is read through its components, and theorist could not bind it so (it is bound where theorist reads vectors through their norms)"),
                )
            }
            None => self.fail(
                cx,
                pos,
                "a component of a vector theorist reads only through its norm",
            ),
        }
    }

    /// While probing: whether `a` is the probed index (used where a `Fin n` is expected: its
    /// type is recorded).
    pub(super) fn probing(&mut self, a: &Term, n: u64, cx: &Cx) -> bool {
        let Some((name, found)) = &mut self.probe else {
            return false;
        };
        let is_probe = a.unparen().ident() == Some(name.as_str())
            && matches!(cx.locals.get(name), Some(Val::Opaque(w)) if &**w == PROBE);
        if !is_probe {
            return false;
        }
        found.get_or_insert(n);
        true
    }

    /// The index type of `∑ name, body` from the body's first use of `name` as a `Fin n`;
    /// none when it is not used so. What reading the body adds (norm variables, unfolded
    /// definitions) is the real reading's to add, so it is undone.
    pub(super) fn index_by_probe(&mut self, name: &str, body: &Term, cx: &Cx) -> Option<u64> {
        if self.probe.is_some() {
            return None;
        }
        let saved = (
            self.norms.len(),
            self.grams.len(),
            self.minimisers.len(),
            self.unfolded.len(),
            self.deferred.clone(),
        );
        self.probe = Some((name.to_string(), None));
        let inner = Cx {
            locals: cx.locals.push(name, Val::Opaque(PROBE.into())),
            ..cx.clone()
        };
        let _ = self.elab(body, &inner, None);
        let found = self.probe.take().and_then(|(_, n)| n);
        self.norms.truncate(saved.0);
        self.grams.truncate(saved.1);
        self.minimisers.truncate(saved.2);
        self.unfolded.truncate(saved.3);
        self.deferred = saved.4;
        found
    }
}
