//! Arithmetic trees, Lean's `binop%`/`binrel%` way (`Lean/Elab/Extra.lean`): the leaves of an
//! operator tree are elaborated first, the maximal type among them (and the expected type)
//! wins, coercions go on the leaves, numerals take the tree's type, and a tree of numerals
//! alone defaults to `ℕ`. `^`'s exponent is elaborated apart (`rightact%`).

use std::sync::Arc;

use super::{
    COMPLEX_IN_REAL, Cx, Elab, Fail, MATRIX_IN_REAL, MAX_CHAIN, MAX_EXPONENT, R, add, decimal,
    max_ty, mul, negate, positional, term_text, ty_rank,
};
use crate::core::{Expr, Prop, Rel, Ty};
use crate::front::lex::Pos;
use crate::front::prelude::{self, Builtin};
use crate::front::syntax::{Kind, Op, Term};
use crate::front::value::{TyVal, Val, VecRef};

impl Elab<'_> {
    /// Elaborates an arithmetic tree at the expected type (if any), Lean's `binop%` way.
    pub fn arith(&mut self, t: &Term, cx: &Cx, expect: Option<Ty>) -> R<Expr> {
        // A whole term that is a `∑`/`∏` is elaborated at the expected type (`(∑ i ∈ s, (i - 1)
        // : ℝ)` sums in ℝ); as a leaf of a larger tree it has its own type, as in Lean.
        if let Kind::BigOp(op, b, body) = &t.unparen().kind {
            let want = expect.map(TyVal::Num);
            return match self.big_op(*op, b, body, cx, want.as_ref(), t.pos)? {
                Val::Num(e) => match expect {
                    Some(ty) => self.coerce(e, ty, cx, t.pos),
                    None => Ok(e),
                },
                other => self.fail(
                    cx,
                    t.pos,
                    format!("{} where a number is expected", other.describe()),
                ),
            };
        }
        let mut leaves = Vec::new();
        self.collect(t, cx, &mut leaves)?;
        if leaves.iter().any(|l| matches!(l, Leaf::Vector(_))) {
            return self.fail(
                cx,
                t.pos,
                "vector arithmetic where a number is expected: theorist reads vectors through their norms and inner products",
            );
        }
        if leaves.iter().any(|l| matches!(l, Leaf::Complex)) {
            return self.fail(cx, t.pos, COMPLEX_IN_REAL);
        }
        if leaves.iter().any(|l| matches!(l, Leaf::Matrix)) {
            return self.fail(cx, t.pos, MATRIX_IN_REAL);
        }
        if leaves.iter().any(|l| matches!(l, Leaf::Fin(_))) {
            // Lean computes in the largest type of the tree: with `Fin n` leaves and no
            // expected type, no ℚ or ℝ leaf, that is `Fin n` (or ℕ, ℤ, depending on the
            // order): modular arithmetic theorist does not model.
            let field = |t: Option<Ty>| t.is_some_and(|t| t.is_field());
            let decided = expect.is_some()
                || leaves.iter().any(|l| match l {
                    Leaf::Typed(e) => field(Some(e.ty())),
                    Leaf::Deferred(h) => field(*h),
                    _ => false,
                });
            if !decided {
                return self.fail(
                    cx,
                    t.pos,
                    "arithmetic in `Fin n` (modular) is not in theorist's fragment: cast the index first, e.g. `(i : ℝ)`",
                );
            }
        }
        let ty = self.tree_type(&leaves, expect);
        let mut it = leaves.into_iter();
        let e = self.build(t, cx, ty, &mut it)?;
        Ok(e)
    }

    /// The type of a tree: the maximal leaf type (starting from the expected type); metas
    /// take it; a tree of numerals alone is `ℕ`.
    pub(super) fn tree_type(&mut self, leaves: &[Leaf], expect: Option<Ty>) -> Ty {
        let mut max = expect;
        for l in leaves {
            let t = match l {
                Leaf::Typed(e) => Some(e.ty()),
                Leaf::Deferred(hint) => *hint,
                _ => None,
            };
            if let Some(t) = t {
                max = Some(max.map_or(t, |m| max_ty(m, t)));
            }
        }
        let metas: Vec<usize> = leaves
            .iter()
            .filter_map(|l| match l {
                Leaf::Meta(m) => Some(*m),
                _ => None,
            })
            .collect();
        match max {
            Some(t) => {
                for m in metas {
                    self.assign(m, t);
                }
                t
            }
            None => {
                // Only metas and numerals: they share one type; an assigned meta decides it.
                let known = metas
                    .iter()
                    .find_map(|m| self.metas.get(*m).copied().flatten());
                match known {
                    Some(t) => {
                        for m in metas {
                            self.assign(m, t);
                        }
                        t
                    }
                    None => metas.first().map_or(Ty::Nat, |m| self.meta_ty(*m)),
                }
            }
        }
    }

    /// The leaves of the arithmetic tree `t`, in order, each elaborated without the tree's
    /// type (numerals and polymorphic functions wait for it).
    pub(super) fn collect(&mut self, t: &Term, cx: &Cx, out: &mut Vec<Leaf>) -> R<()> {
        match &t.kind {
            Kind::Paren(e) => self.collect(e, cx, out),
            Kind::Binop(Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod, _, _) => {
                // A left-nested chain `a + b + c + …` is walked along its spine without
                // recursion, so thousands of terms do not exhaust the stack.
                let (base, rest) = spine(t);
                self.collect(base, cx, out)?;
                for (_, rhs) in rest {
                    self.collect(rhs, cx, out)?;
                }
                Ok(())
            }
            // `rightact%`: only the base is part of the tree.
            Kind::Binop(Op::Pow, a, _) => self.collect(a, cx, out),
            Kind::Neg(a) => self.collect(a, cx, out),
            Kind::Nat(_) | Kind::Sci(_) | Kind::Coe(_) => {
                out.push(Leaf::Deferred(None));
                Ok(())
            }
            // Typed by the tree it is in (`A = !![1, 0; 0, 1]`).
            Kind::MatrixLit(_) => {
                out.push(Leaf::Matrix);
                Ok(())
            }
            Kind::Abs(a) | Kind::Inv(a) => {
                let hint = self.hint(a, cx)?;
                out.push(Leaf::Deferred(hint));
                Ok(())
            }
            Kind::If(_, a, b) => {
                let h = self.hint_joint(&[a, b], cx)?;
                out.push(Leaf::Deferred(h));
                Ok(())
            }
            Kind::Match(m) => {
                let (scrutinees, arms) = &**m;
                let (body, inner) = self.match_arm(scrutinees, arms, cx, t.pos)?;
                let h = self.hint(body, &inner)?;
                out.push(Leaf::Deferred(h));
                Ok(())
            }
            Kind::App(f, args) if self.polymorphic(f, cx) => {
                let terms: Vec<&Term> = positional(args);
                let h = self.hint_joint(&terms, cx)?;
                out.push(Leaf::Deferred(h));
                Ok(())
            }
            Kind::Ident(n) => {
                if let Some(m) = self.local_meta(n, cx) {
                    out.push(Leaf::Meta(m));
                    return Ok(());
                }
                let v = self.leaf(t, cx)?;
                self.push_leaf(v, t, cx, out)
            }
            _ => {
                let v = self.leaf(t, cx)?;
                self.push_leaf(v, t, cx, out)
            }
        }
    }

    /// A leaf elaborated without an expected type, once per term and context.
    fn leaf(&mut self, t: &Term, cx: &Cx) -> R<Val> {
        let key = (
            t as *const Term as usize,
            cx.locals.id(),
            Arc::as_ptr(&cx.scope) as usize,
        );
        if let Some((v, ..)) = self.leaf_cache.get(&key) {
            return Ok(v.clone());
        }
        let v = self.elab(t, cx, None)?;
        self.leaf_cache.insert(
            key,
            (
                v.clone(),
                cx.locals.clone(),
                cx.scope.clone(),
                cx.owner.clone(),
            ),
        );
        Ok(v)
    }

    /// A leaf's value as a tree leaf, or why it cannot be one.
    fn push_leaf(&mut self, v: Val, t: &Term, cx: &Cx, out: &mut Vec<Leaf>) -> R<()> {
        match v {
            Val::Num(e) => {
                out.push(Leaf::Typed(e));
                Ok(())
            }
            Val::Vector(r) => {
                out.push(Leaf::Vector(r));
                Ok(())
            }
            Val::Complex(..) => {
                out.push(Leaf::Complex);
                Ok(())
            }
            Val::Matrix(_) => {
                out.push(Leaf::Matrix);
                Ok(())
            }
            Val::Fin(k, _) => {
                out.push(Leaf::Fin(k));
                Ok(())
            }
            Val::Opaque(why) => self.fail(cx, t.pos, why.to_string()),
            other => self.fail(
                cx,
                t.pos,
                format!("`{}` is {}, not a number", term_text(t), other.describe()),
            ),
        }
    }

    /// Whether a local of this name is a number variable whose type is still a meta.
    pub(super) fn local_meta(&self, n: &str, cx: &Cx) -> Option<usize> {
        match cx.locals.get(n) {
            Some(Val::Type(TyVal::Meta(m))) => Some(*m),
            _ => None,
        }
    }

    /// The type the arguments of a polymorphic function suggest, if any.
    fn hint(&mut self, t: &Term, cx: &Cx) -> R<Option<Ty>> {
        let mut leaves = Vec::new();
        self.collect(t, cx, &mut leaves)?;
        Ok(self.leaf_hint(&leaves))
    }

    /// The type the arguments of a polymorphic function suggest together.
    fn hint_joint(&mut self, ts: &[&Term], cx: &Cx) -> R<Option<Ty>> {
        let mut leaves = Vec::new();
        for t in ts {
            self.collect(t, cx, &mut leaves)?;
        }
        Ok(self.leaf_hint(&leaves))
    }

    /// The maximal type among the leaves whose type is known already.
    fn leaf_hint(&self, leaves: &[Leaf]) -> Option<Ty> {
        let mut max: Option<Ty> = None;
        for l in leaves {
            let t = match l {
                Leaf::Typed(e) => Some(e.ty()),
                Leaf::Deferred(h) => *h,
                Leaf::Meta(m) => self.metas.get(*m).copied().flatten(),
                Leaf::Vector(_) | Leaf::Fin(_) | Leaf::Complex | Leaf::Matrix => None,
            };
            if let Some(t) = t {
                max = Some(max.map_or(t, |m| max_ty(m, t)));
            }
        }
        max
    }

    /// `abs`, `min`, `max`: functions whose type is their arguments'.
    fn polymorphic(&self, f: &Term, cx: &Cx) -> bool {
        let Some(n) = f.ident() else { return false };
        if cx.locals.get(n).is_some() {
            return false;
        }
        matches!(
            self.env.resolve(n, &cx.scope),
            Ok(Some(r)) if r.projections.is_empty()
                && matches!(
                    prelude::lookup(&r.full).map(|i| i.builtin),
                    Some(Builtin::Abs | Builtin::Min | Builtin::Max | Builtin::Discrim)
                )
        )
    }

    /// Builds the tree at type `ty`, consuming the leaves `collect` found, in order.
    fn build(
        &mut self,
        t: &Term,
        cx: &Cx,
        ty: Ty,
        leaves: &mut std::vec::IntoIter<Leaf>,
    ) -> R<Expr> {
        match &t.kind {
            Kind::Paren(e) => self.build(e, cx, ty, leaves),
            Kind::Binop(Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod, _, _) => {
                let (base, rest) = spine(t);
                let mut x = self.build(base, cx, ty, leaves)?;
                // Sums and products are n-ary in the core; the binary operations that are
                // not associative (ℕ subtraction, division, remainder) nest, so a long chain
                // of them would nest deeply: refuse it rather than risk the stack.
                let mut binary = 0;
                for (op, rhs) in rest {
                    let y = self.build(rhs, cx, ty, leaves)?;
                    if matches!(op, Op::Div | Op::Mod) || (op == Op::Sub && ty == Ty::Nat) {
                        binary += 1;
                        if binary > MAX_CHAIN {
                            return self.fail(
                                cx,
                                t.pos,
                                format!(
                                    "more than {MAX_CHAIN} divisions or natural subtractions in one chain: theorist does not read it"
                                ),
                            );
                        }
                    }
                    x = match op {
                        Op::Add => add(ty, x, y),
                        Op::Sub if ty == Ty::Nat => Expr::Sub(ty, Box::new(x), Box::new(y)),
                        Op::Sub => add(ty, x, negate(ty, y)),
                        Op::Mul => mul(ty, x, y),
                        Op::Div => Expr::Div(ty, Box::new(x), Box::new(y)),
                        _ => {
                            if !ty.is_integral() {
                                return self.fail(
                                    cx,
                                    t.pos,
                                    format!("`%` on {}: Lean has no such operation", ty.symbol()),
                                );
                            }
                            Expr::Mod(ty, Box::new(x), Box::new(y))
                        }
                    };
                }
                Ok(x)
            }
            Kind::Binop(Op::Pow, a, b) => {
                let base = self.build(a, cx, ty, leaves)?;
                self.power(base, ty, b, cx, t.pos)
            }
            Kind::Neg(a) => {
                if ty == Ty::Nat {
                    return self.fail(
                        cx,
                        t.pos,
                        "`-` on ℕ: Lean has no negation of natural numbers (this does not elaborate)",
                    );
                }
                let x = self.build(a, cx, ty, leaves)?;
                Ok(negate(ty, x))
            }
            _ => {
                let leaf = leaves.next().expect("one leaf per tree leaf");
                match leaf {
                    Leaf::Typed(e) => self.coerce(e, ty, cx, t.pos),
                    // (A cached leaf's term address is only a key while the term lives.)
                    Leaf::Meta(m) => {
                        let Kind::Ident(n) = &t.kind else {
                            unreachable!("metas come from names")
                        };
                        let mt = self.meta_ty(m);
                        let _ = n;
                        let e = Expr::Var(mt, self.meta_var_name(t, cx));
                        self.coerce(e, ty, cx, t.pos)
                    }
                    Leaf::Deferred(_) => self.deferred(t, cx, ty),
                    Leaf::Fin(k) => Ok(Expr::lit(ty, k)),
                    Leaf::Vector(_) => self.fail(cx, t.pos, "a vector inside arithmetic"),
                    Leaf::Complex => self.fail(cx, t.pos, COMPLEX_IN_REAL),
                    Leaf::Matrix => self.fail(cx, t.pos, MATRIX_IN_REAL),
                }
            }
        }
    }

    /// The core name of a meta-typed local (its unique name was recorded with it).
    fn meta_var_name(&self, t: &Term, cx: &Cx) -> String {
        let n = t.ident().unwrap_or("_");
        match cx.locals.get(&format!("{n}\u{0}name")) {
            Some(Val::Num(Expr::Var(_, u))) => u.clone(),
            _ => n.to_string(),
        }
    }

    /// A leaf of type `from` in a tree of type `to`: a cast when `to` is larger.
    pub(super) fn coerce(&self, e: Expr, to: Ty, cx: &Cx, pos: Pos) -> R<Expr> {
        let from = e.ty();
        if from == to {
            Ok(e)
        } else if ty_rank(from) < ty_rank(to) {
            Ok(Expr::Cast(from, to, Box::new(e)))
        } else {
            self.fail(
                cx,
                pos,
                format!(
                    "type mismatch: a value of type {} where Lean needs {} (there is no coercion {} → {})",
                    from.symbol(),
                    to.symbol(),
                    from.symbol(),
                    to.symbol()
                ),
            )
        }
    }

    /// Numerals, `↑e` and polymorphic functions, at the tree's type.
    fn deferred(&mut self, t: &Term, cx: &Cx, ty: Ty) -> R<Expr> {
        match &t.kind {
            Kind::Nat(n) => {
                let q = decimal(n).ok_or_else(|| Fail {
                    file: cx.file,
                    pos: t.pos,
                    what: format!("the numeral `{n}` is too large"),
                })?;
                Ok(Expr::Lit(ty, q))
            }
            Kind::Sci(n) => {
                if !ty.is_field() {
                    return self.fail(
                        cx,
                        t.pos,
                        format!(
                            "the literal `{n}` at type {}: Lean has no `OfScientific {}` (with no other type in sight Lean reads it as a `Float`, which theorist does not model)",
                            ty.symbol(),
                            ty.symbol()
                        ),
                    );
                }
                let q = decimal(n).ok_or_else(|| Fail {
                    file: cx.file,
                    pos: t.pos,
                    what: format!(
                        "the literal `{n}` has an exponent beyond ±{MAX_EXPONENT}: theorist does not expand it exactly"
                    ),
                })?;
                Ok(Expr::Lit(ty, q))
            }
            Kind::Coe(e) => {
                // `↑i` for an element of `Fin n`: its natural number, cast.
                if let Some(Val::Fin(k, _)) = e.ident().and_then(|n| cx.locals.get(n)) {
                    return Ok(Expr::lit(ty, *k));
                }
                let inner = self.arith(e, cx, None)?;
                self.coerce(inner, ty, cx, t.pos)
            }
            Kind::Abs(a) => {
                if ty == Ty::Nat {
                    return self.fail(cx, t.pos, "`|·|` on ℕ: Lean has no such instance");
                }
                let x = self.arith(a, cx, Some(ty))?;
                Ok(Expr::Abs(ty, Box::new(x)))
            }
            Kind::Inv(a) => {
                if !ty.is_field() {
                    return self.fail(
                        cx,
                        t.pos,
                        format!("`⁻¹` on {}: Lean has no such instance", ty.symbol()),
                    );
                }
                let x = self.arith(a, cx, Some(ty))?;
                Ok(Expr::Inv(ty, Box::new(x)))
            }
            Kind::If(c, a, b) => {
                let c = self.elab_prop(c, cx)?;
                let (a, b) = self.joint(&[a, b], cx, Some(ty))?;
                Ok(Expr::Ite(Box::new(c), Box::new(a), Box::new(b)))
            }
            Kind::Match(m) => {
                let (scrutinees, arms) = &**m;
                let (body, inner) = self.match_arm(scrutinees, arms, cx, t.pos)?;
                self.arith(body, &inner, Some(ty))
            }
            Kind::App(f, args) => {
                let v = self.app(f, args, cx, Some(&TyVal::Num(ty)), t.pos)?;
                match v {
                    Val::Num(e) => self.coerce(e, ty, cx, t.pos),
                    other => self.fail(
                        cx,
                        t.pos,
                        format!("expected a number, found {}", other.describe()),
                    ),
                }
            }
            _ => self.fail(cx, t.pos, "an unexpected leaf"),
        }
    }

    /// Two or more terms at one type (branches of `if`, arguments of `min`).
    pub(super) fn joint(&mut self, ts: &[&Term], cx: &Cx, expect: Option<Ty>) -> R<(Expr, Expr)> {
        let mut leaves = Vec::new();
        for t in ts {
            self.collect(t, cx, &mut leaves)?;
        }
        let ty = self.tree_type(&leaves, expect);
        let a = self.arith(ts[0], cx, Some(ty))?;
        let b = self.arith(ts[1], cx, Some(ty))?;
        Ok((a, b))
    }

    /// `base ^ e`: the exponent is elaborated on its own (numerals default to `ℕ`).
    fn power(&mut self, base: Expr, ty: Ty, e: &Term, cx: &Cx, pos: Pos) -> R<Expr> {
        let ex = self.arith(e, cx, None)?;
        match ex.ty() {
            Ty::Nat => match &ex {
                Expr::Lit(_, q) if q.denom() == &1 && *q >= 0 && q.numer().to_u32().is_some() => {
                    Ok(Expr::Pow(
                        ty,
                        Box::new(base),
                        q.numer().to_u32().expect("checked"),
                    ))
                }
                _ => Ok(Expr::PowExpr(ty, Box::new(base), Box::new(ex))),
            },
            Ty::Int => {
                if !ty.is_field() {
                    return self.fail(
                        cx,
                        pos,
                        format!("a ℤ exponent on {}: Lean has no such power", ty.symbol()),
                    );
                }
                Ok(Expr::PowExpr(ty, Box::new(base), Box::new(ex)))
            }
            Ty::Real => {
                if ty != Ty::Real {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "a real exponent on {}: write the base as `({} : ℝ)` for `Real.rpow`",
                            ty.symbol(),
                            "…"
                        ),
                    );
                }
                Ok(Expr::Rpow(Box::new(base), Box::new(ex)))
            }
            Ty::Rat => self.fail(cx, pos, "a ℚ exponent: theorist does not model it"),
        }
    }

    /// `a r b`, Lean's `binrel%`: both sides one tree, without an expected type.
    pub(super) fn relation(&mut self, rel: Rel, a: &Term, b: &Term, cx: &Cx, pos: Pos) -> R<Prop> {
        let mut la = Vec::new();
        self.collect(a, cx, &mut la)?;
        let mut lb = Vec::new();
        self.collect(b, cx, &mut lb)?;
        if la.iter().chain(&lb).any(|l| matches!(l, Leaf::Matrix)) {
            return self.matrix_relation(rel, a, b, cx, pos);
        }
        if la.iter().chain(&lb).any(|l| matches!(l, Leaf::Complex)) {
            return self.complex_relation(rel, a, b, cx, pos);
        }
        // Vectors: `v = 0` is `‖v‖ = 0` (`norm_eq_zero`).
        let va = la.iter().find_map(|l| match l {
            Leaf::Vector(v) => Some(v.clone()),
            _ => None,
        });
        let vb = lb.iter().find_map(|l| match l {
            Leaf::Vector(v) => Some(v.clone()),
            _ => None,
        });
        if va.is_some() || vb.is_some() {
            let is_zero = |t: &Term| matches!(&t.unparen().kind, Kind::Nat(n) if n == "0");
            let (v, other) = match (va, vb) {
                (Some(v), None) if la.len() == 1 && is_zero(b) => (v, b),
                (None, Some(v)) if lb.len() == 1 && is_zero(a) => (v, a),
                _ => return self.complex_relation(rel, a, b, cx, pos),
            };
            let _ = other;
            if !matches!(rel, Rel::Eq | Rel::Ne) {
                return self.fail(cx, pos, "an order on vectors");
            }
            let n = self.norm_of(&v, cx, pos)?;
            return Ok(Prop::Cmp(rel, n, Expr::lit(Ty::Real, 0)));
        }
        let mut all = la;
        let na = all.len();
        all.append(&mut lb);
        let ty = self.tree_type(&all, None);
        let mut it = all.into_iter();
        let mut first: Vec<Leaf> = Vec::new();
        for _ in 0..na {
            first.push(it.next().expect("counted"));
        }
        let mut it1 = first.into_iter();
        let x = self.build(a, cx, ty, &mut it1)?;
        let y = self.build(b, cx, ty, &mut it)?;
        Ok(Prop::Cmp(rel, x, y))
    }
}

/// A leaf of an operator tree: typed already, or waiting for the tree's type.
pub(super) enum Leaf {
    Typed(Expr),
    Vector(VecRef),
    /// A numeral, `↑e`, or a polymorphic function: elaborated at the tree's type, with the type
    /// its arguments suggest, if any.
    Deferred(Option<Ty>),
    Meta(usize),
    /// An element `k` of a `Fin n`: cast to the tree's type when that is a number type.
    Fin(u64),
    /// A complex number: the tree is complex arithmetic.
    Complex,
    /// A matrix: the tree is matrix arithmetic.
    Matrix,
}

/// A left-nested chain of `+ - * / %` (through parentheses Lean's tree elaborator also looks
/// through): its leftmost operand and the `(operator, right operand)` pairs in order.
fn spine(t: &Term) -> (&Term, Vec<(Op, &Term)>) {
    let mut rest = Vec::new();
    let mut cur = t;
    loop {
        match &cur.kind {
            Kind::Binop(op @ (Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod), a, b) => {
                rest.push((*op, b.as_ref()));
                cur = a;
            }
            Kind::Paren(e)
                if matches!(
                    e.kind,
                    Kind::Binop(Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod, ..)
                ) =>
            {
                cur = e;
            }
            _ => break,
        }
    }
    rest.reverse();
    (cur, rest)
}
