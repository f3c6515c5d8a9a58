//! Unitary matrices and quotients (PhysLean's CKM matrices: `Quotient CKMMatrixSetoid` over
//! `unitaryGroup (Fin 3) ℂ`). A unitary `n × n` matrix is its `2n²` real parts under the
//! equations `star U * U = 1` (hypotheses, never dropped; for square matrices this is the
//! same as `U * star U = 1`). An element of `Quotient s` is read as a representative of its
//! class: every class has one, and `Quotient.lift f h` is `f` on representatives (`h` is
//! Lean's proof that the class does not matter), so quantifying over the quotient is
//! quantifying over the representatives.

use std::rc::Rc;

use super::super::env::Body;
use super::super::lex::Pos;
use super::super::syntax::{Arg, Kind, Term};
use super::super::value::{TyVal, Val};
use super::real::{add, lit, mul};
use super::{Cx, Elab, R};
use crate::core::{Expr, Prop, Rel, Var};

/// The largest unitary group read (its matrices are `2n²` variables).
const MAX_UNITARY: u64 = 4;

impl Elab<'_> {
    /// `Matrix.unitaryGroup (Fin n) ℂ`.
    pub(super) fn unitary_group(&mut self, index: &Term, scalar: &Term, cx: &Cx) -> R<Val> {
        let index_ty = self.elab_type(index, cx)?;
        let scalar_ty = self.elab_type(scalar, cx)?;
        Ok(Val::Type(match (index_ty, scalar_ty) {
            (TyVal::Fin(n), TyVal::Vector(c)) if c == "ℂ" && (1..=MAX_UNITARY).contains(&n) => {
                TyVal::Unitary(n)
            }
            (i, k) => TyVal::Other(format!(
                "Matrix.unitaryGroup ({}) ({})",
                i.describe(),
                k.describe()
            )),
        }))
    }

    /// A new unitary matrix `name`: its entries' parts, and `star U * U = 1` entry by entry
    /// (the diagonal's real parts are `1`; above it both parts are `0`; the rest are those
    /// equations conjugated).
    pub(super) fn intro_unitary(
        &mut self,
        name: &str,
        n: u64,
    ) -> (Val, Vec<Var>, Vec<(String, Prop)>) {
        let mut vars = Vec::new();
        let mut rows = Vec::new();
        for i in 0..n {
            let mut row = Vec::new();
            for j in 0..n {
                let re = Var::real(self.unique(&format!("{name} {i} {j}.re")));
                let im = Var::real(self.unique(&format!("{name} {i} {j}.im")));
                row.push((re.expr(), im.expr()));
                vars.push(re);
                vars.push(im);
            }
            rows.push(row);
        }
        let mut hyps = Vec::new();
        for i in 0..n as usize {
            for j in i..n as usize {
                // (star U * U) i j = Σₖ conj (U k i) * U k j.
                let (mut re, mut im) = (lit(0), lit(0));
                for row in &rows {
                    let (a, b) = row[i].clone();
                    let (c, d) = row[j].clone();
                    // (a - bi)(c + di) = (ac + bd) + (ad - bc)i
                    re = add(
                        re,
                        add(mul(a.clone(), c.clone()), mul(b.clone(), d.clone())),
                    );
                    im = add(im, add(mul(a, d), mul(lit(-1), mul(b, c))));
                }
                let what = format!("{name} is unitary: (star {name} * {name}) {i} {j}");
                hyps.push((what.clone(), Prop::Cmp(Rel::Eq, re, lit(i64::from(i == j)))));
                if i != j {
                    hyps.push((what, Prop::Cmp(Rel::Eq, im, lit(0))));
                }
            }
        }
        (Val::CMatrix(Rc::new(rows)), vars, hyps)
    }

    /// `U i j`: an entry, a complex number.
    pub(super) fn cmatrix_entry(
        &mut self,
        rows: &[Vec<(Expr, Expr)>],
        args: &[Arg],
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let [Arg::Pos(i), Arg::Pos(j)] = args else {
            return self.fail(cx, pos, "a matrix applied to other than a row and a column");
        };
        let n = rows.len() as u64;
        let i = self.fin_value(i, n, cx)?;
        let j = self.fin_value(j, n, cx)?;
        let (re, im) = rows[i as usize][j as usize].clone();
        Ok(Val::Complex(re, im))
    }

    /// `Quotient s`: the type `s` is a setoid on, its elements read as representatives.
    pub(super) fn quotient_type(&mut self, setoid: &Term, cx: &Cx, pos: Pos) -> R<Val> {
        let unknown = |s: &Self| {
            s.fail(
                cx,
                pos,
                "a `Quotient` by a setoid whose type theorist does not know (it reads `Quotient s` for an `instance s : Setoid T` of the sources)",
            )
        };
        let Some(name) = setoid.unparen().ident() else {
            return unknown(self);
        };
        let Ok(Some(resolved)) = self.env.resolve(name, &cx.scope) else {
            return unknown(self);
        };
        let Some(decl) = self.env.decls.get(&resolved.full).cloned() else {
            return unknown(self);
        };
        let class = match (&decl.ty, &decl.body) {
            (Some(ty), Body::Term(_) | Body::Fields(_)) => ty.clone(),
            _ => return unknown(self),
        };
        let Kind::App(head, args) = &class.unparen().kind else {
            return unknown(self);
        };
        let (Some("Setoid"), [Arg::Pos(base)]) = (head.ident(), args.as_slice()) else {
            return unknown(self);
        };
        let dcx = Cx {
            locals: Default::default(),
            scope: decl.scope.clone(),
            file: decl.scope.file,
            level: cx.level,
            owner: cx.owner.clone(),
        };
        let base = self.elab_type(base, &dcx)?;
        Ok(Val::Type(TyVal::Quot(Box::new(base))))
    }

    /// `Quotient.lift f h q` is `f q` for a representative `q`; `Quotient.lift f h` is `f`.
    pub(super) fn quotient_lift(
        &mut self,
        args: &[&Term],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        match args {
            [f, _proof] => self.elab(f, cx, None),
            [f, _proof, q] => {
                let fv = self.elab(f, cx, None)?;
                self.apply(fv, &[Arg::Pos((*q).clone())], cx, expect, pos)
            }
            _ => self.fail(
                cx,
                pos,
                "`Quotient.lift` with other than a function and its proof",
            ),
        }
    }
}
