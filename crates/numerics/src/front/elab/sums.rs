//! Finite sums and products, unrolled, and elements of `Fin n`: the index set of
//! `∑ i ∈ s, f i` (`Fin n`, `Finset.univ`, `Finset.range n`, `Finset.Icc a b` and friends) of
//! known size, its elements' type, and the index type of a sum that does not write it.

use super::{
    Cx, Elab, MAX_TERMS, R, add, euclid, int_value, max_ty, mul, nat_value, positional, term_text,
    visit_apps,
};
use crate::core::{Expr, Ty};
use crate::front::lex::Pos;
use crate::front::prelude::{self, Builtin};
use crate::front::syntax::{Arg, BigOp, Binder, Kind, Op, Term};
use crate::front::value::{TyVal, Val, VecRef};

impl Elab<'_> {
    /// A closed natural number (`Fin 3`, `Finset.range (2 + 1)`), if `t` is one.
    pub(super) fn closed_nat(&mut self, t: &Term, cx: &Cx) -> Option<u64> {
        let e = self.arith(t, cx, Some(Ty::Nat)).ok()?;
        nat_value(&e)
    }

    /// The element of `Fin n` that `a` denotes where a `Fin n` is expected: an element of
    /// `Fin n` itself, or a closed natural number cast by Lean's `NatCast (Fin n)` (modulo `n`).
    pub(super) fn fin_value(&mut self, a: &Term, n: u64, cx: &Cx) -> R<u64> {
        if self.probing(a, n, cx) {
            return Ok(0);
        }
        match self.elab(a, cx, Some(&TyVal::Fin(n)))? {
            Val::Fin(k, m) if m == n => Ok(k),
            Val::Fin(_, m) => self.fail(
                cx,
                a.pos,
                format!("an element of `Fin {m}` where Lean expects `Fin {n}`"),
            ),
            Val::Num(e) if e.ty() == Ty::Nat && n > 0 => match nat_value(&e) {
                Some(k) => Ok(k % n),
                None => self.fail(
                    cx,
                    a.pos,
                    format!("a natural number that is not a literal where a `Fin {n}` is expected (Lean casts it modulo {n})"),
                ),
            },
            other => self.fail(
                cx,
                a.pos,
                format!("{} where a `Fin {n}` is expected", other.describe()),
            ),
        }
    }

    /// `∑ i ∈ s, f i` and `∏ i ∈ s, f i` over a finite index set of known size, unrolled:
    /// `i : Fin n` (or `∈ Finset.univ`), `∈ Finset.range n`, `∈ Finset.Icc a b` and friends,
    /// with `n`, `a`, `b` closed. The body is elaborated at each index as Lean elaborates it
    /// once: at the expected type if there is one, else at its own.
    pub(super) fn big_op(
        &mut self,
        op: BigOp,
        b: &Binder,
        body: &Term,
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        if b.names.len() != 1 || b.tuple_pattern {
            return self.fail(cx, b.pos, "a sum or product over more than one index");
        }
        let name = b.names[0].0.clone();
        let written = match &b.ty {
            Some(t) => Some(self.elab_type(t, cx)?),
            None => None,
        };
        let values = self.index_values(op, b, &name, written.as_ref(), body, cx)?;
        let index_ty = values.first().map_or(
            match (&b.pred, &written) {
                (Some(_), Some(TyVal::Num(t))) => Some(*t),
                (Some((_, set)), None) => self.index_set_type(set, cx),
                _ => None,
            },
            |v| match v {
                Val::Num(e) => Some(e.ty()),
                _ => None,
            },
        );
        let want = match expect {
            Some(TyVal::Num(t)) => Some(*t),
            Some(TyVal::Meta(m)) => Some(self.meta_ty(*m)),
            _ => None,
        };
        if values.is_empty() && want.is_none() {
            return self.empty_big_op(op, &name, index_ty, body, cx, pos);
        }
        let mut terms = Vec::with_capacity(values.len());
        for v in values {
            let inner = Cx {
                locals: cx.locals.push(&name, v),
                ..cx.clone()
            };
            terms.push(self.arith(body, &inner, want)?);
        }
        self.combine_terms(op, terms, want, cx, pos)
    }

    /// The values the index of a sum or product takes: its set's, its `Fin n`'s, or (not
    /// written) those of the `Fin n` its uses in the body give it.
    fn index_values(
        &mut self,
        op: BigOp,
        b: &Binder,
        name: &str,
        written: Option<&TyVal>,
        body: &Term,
        cx: &Cx,
    ) -> R<Vec<Val>> {
        match (&b.pred, written) {
            (Some((Op::Mem, set)), _) => self.index_set(set, written, cx),
            (Some(_), _) => self.fail(cx, b.pos, "a sum over a binder predicate other than `∈`"),
            (None, Some(TyVal::Fin(n))) => self.fin_range(*n, cx, b.pos),
            (None, Some(other)) => self.fail(
                cx,
                b.pos,
                format!("a sum over all of {}: theorist unrolls sums over `Fin n` and finite sets of known size", other.describe()),
            ),
            (None, None) => match self
                .index_from_use(name, body, cx)
                .or_else(|| self.index_by_probe(name, body, cx))
            {
                Some(n) => self.fin_range(n, cx, b.pos),
                None => {
                    let sign = if op == BigOp::Sum { "∑" } else { "∏" };
                    self.fail(
                        cx,
                        b.pos,
                        format!("the index type of `{sign}` is not written and theorist does not infer it here: write `{sign} {name} : Fin n, …`"),
                    )
                }
            },
        }
    }

    /// An empty sum or product with no expected type has the type its body would have: the
    /// body is read at a sample index of the index type.
    fn empty_big_op(
        &mut self,
        op: BigOp,
        name: &str,
        index_ty: Option<Ty>,
        body: &Term,
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let sample = match &index_ty {
            Some(ty) => Val::Num(Expr::lit(*ty, 0)),
            None => {
                return self.fail(
                    cx,
                    pos,
                    "an empty sum or product over `Fin 0` whose type theorist cannot tell",
                );
            }
        };
        let inner = Cx {
            locals: cx.locals.push(name, sample),
            ..cx.clone()
        };
        let ty = self.arith(body, &inner, None)?.ty();
        Ok(Val::Num(Expr::lit(
            ty,
            if op == BigOp::Sum { 0 } else { 1 },
        )))
    }

    /// The sum or product of the unrolled terms, at their largest type (or the expected one
    /// when there are none).
    fn combine_terms(
        &mut self,
        op: BigOp,
        terms: Vec<Expr>,
        want: Option<Ty>,
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let ty = match terms.iter().map(|e| e.ty()).reduce(max_ty) {
            Some(t) => t,
            None => match want {
                Some(t) => t,
                None => {
                    return self.fail(
                        cx,
                        pos,
                        "an empty sum or product whose type theorist cannot tell",
                    );
                }
            },
        };
        let mut acc: Option<Expr> = None;
        for e in terms {
            let e = self.coerce(e, ty, cx, pos)?;
            acc = Some(match acc {
                None => e,
                Some(a) if op == BigOp::Sum => add(ty, a, e),
                Some(a) => mul(ty, a, e),
            });
        }
        Ok(Val::Num(acc.unwrap_or_else(|| {
            Expr::lit(ty, if op == BigOp::Sum { 0 } else { 1 })
        })))
    }

    /// The elements of `Fin n` as index values, within the unrolling limit.
    fn fin_range(&self, n: u64, cx: &Cx, pos: Pos) -> R<Vec<Val>> {
        if n > MAX_TERMS {
            return self.fail(
                cx,
                pos,
                format!("a sum of {n} terms: theorist unrolls at most {MAX_TERMS}"),
            );
        }
        Ok((0..n).map(|k| Val::Fin(k, n)).collect())
    }

    /// The values of `i ∈ s` for a finite set `s` of known size.
    fn index_set(&mut self, set: &Term, written: Option<&TyVal>, cx: &Cx) -> R<Vec<Val>> {
        let (head, args): (&Term, Vec<&Term>) = match &set.unparen().kind {
            Kind::App(f, args) => (f, positional(args)),
            _ => (set.unparen(), Vec::new()),
        };
        let builtin = head
            .ident()
            .and_then(|n| match self.env.resolve(n, &cx.scope) {
                Ok(Some(r))
                    if r.projections.is_empty() && !self.env.decls.contains_key(&r.full) =>
                {
                    prelude::lookup(&r.full).map(|i| i.builtin)
                }
                _ => None,
            });
        let (ty, lo, hi) = match (builtin, args.as_slice()) {
            (Some(Builtin::FinsetRange), [n]) => {
                (Ty::Nat, 0, self.closed_bound(n, Ty::Nat, cx)? - 1)
            }
            (Some(Builtin::FinsetUniv), []) => match written {
                Some(TyVal::Fin(n)) => return self.fin_range(*n, cx, set.pos),
                _ => {
                    return self.fail(
                        cx,
                        set.pos,
                        "`Finset.univ` of a type other than `Fin n`",
                    )
                }
            },
            (Some(Builtin::FinsetInterval { lower, upper }), [a, b]) => {
                self.interval_bounds((lower, upper), a, b, set, written, cx)?
            }
            _ => {
                return self.fail(
                    cx,
                    set.pos,
                    format!("a sum over `{}`: theorist unrolls `Fin n`, `Finset.range n` and `Finset.Icc a b` (and friends) of known size", term_text(set)),
                )
            }
        };
        if let Some(w) = written {
            if *w != TyVal::Num(ty) {
                return self.fail(
                    cx,
                    set.pos,
                    format!(
                        "an index of type {} over a set of {}",
                        w.describe(),
                        ty.symbol()
                    ),
                );
            }
        }
        let count = if hi < lo { 0 } else { (hi - lo + 1) as u64 };
        if count > MAX_TERMS {
            return self.fail(
                cx,
                set.pos,
                format!("a sum of {count} terms: theorist unrolls at most {MAX_TERMS}"),
            );
        }
        Ok((0..count)
            .map(|k| Val::Num(Expr::lit(ty, lo + k as i64)))
            .collect())
    }

    /// A bound of an index set, which must be a closed number of type `ty`.
    fn closed_bound(&mut self, t: &Term, ty: Ty, cx: &Cx) -> R<i64> {
        let e = self.arith(t, cx, Some(ty))?;
        match int_value(&e) {
            Some(v) => Ok(v),
            None => self.fail(
                cx,
                t.pos,
                "a bound that is not a closed number: theorist unrolls only sums of known length",
            ),
        }
    }

    /// The element type and the first and last elements of `Finset.Icc a b` and friends
    /// (`lower`, `upper`: whether each end is included).
    fn interval_bounds(
        &mut self,
        (lower, upper): (bool, bool),
        a: &Term,
        b: &Term,
        set: &Term,
        written: Option<&TyVal>,
        cx: &Cx,
    ) -> R<(Ty, i64, i64)> {
        let ty = match written {
            Some(TyVal::Num(t @ (Ty::Nat | Ty::Int))) => *t,
            None => {
                // The bounds' own type (numerals alone: ℕ).
                let e = self.arith(a, cx, None)?;
                let f = self.arith(b, cx, None)?;
                max_ty(e.ty(), f.ty())
            }
            Some(other) => {
                return self.fail(
                    cx,
                    set.pos,
                    format!("an interval of {} as an index set", other.describe()),
                );
            }
        };
        if !ty.is_integral() {
            return self.fail(cx, set.pos, "an interval of non-integers as an index set");
        }
        let (a, b) = (self.closed_bound(a, ty, cx)?, self.closed_bound(b, ty, cx)?);
        Ok((
            ty,
            if lower { a } else { a + 1 },
            if upper { b } else { b - 1 },
        ))
    }

    /// The number type of the elements of an index set (ℕ for `Finset.range`, the bounds'
    /// type for intervals), when it is one.
    fn index_set_type(&mut self, set: &Term, cx: &Cx) -> Option<Ty> {
        let Kind::App(f, args) = &set.unparen().kind else {
            return None;
        };
        let r = self.env.resolve(f.ident()?, &cx.scope).ok().flatten()?;
        match prelude::lookup(&r.full)?.builtin {
            Builtin::FinsetRange => Some(Ty::Nat),
            Builtin::FinsetInterval { .. } => {
                let mut ty = Ty::Nat;
                for a in args {
                    if let Arg::Pos(a) = a {
                        ty = max_ty(ty, self.arith(a, cx, None).ok()?.ty());
                    }
                }
                Some(ty)
            }
            _ => None,
        }
    }

    /// `∑ i, v i` for a family `v : Fin n → T`: `i : Fin n`, as Lean infers it.
    fn index_from_use(&self, name: &str, body: &Term, cx: &Cx) -> Option<u64> {
        let mut found = None;
        visit_apps(body, name, &mut |f, args| {
            if found.is_some() {
                return;
            }
            let uses_index = args.iter().any(|a| {
                matches!(a, Arg::Pos(t) if matches!(&t.unparen().kind, Kind::Ident(n) if n == name))
            });
            if !uses_index {
                return;
            }
            match f.ident().and_then(|n| cx.locals.get(n)) {
                Some(Val::Family(elems) | Val::Euclid(elems)) => found = Some(elems.len() as u64),
                Some(Val::Vector(VecRef::Var { ty, .. })) => found = euclid::real_dim(ty),
                _ => {}
            }
        });
        found
    }
}
