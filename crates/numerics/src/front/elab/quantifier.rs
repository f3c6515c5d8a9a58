//! Binders inside a statement: `∀`/`∃` (typed, untyped with inferred types, binder
//! predicates), `fun`, and membership `x ∈ s` in the sets theorist reads (`Set.univ`,
//! intervals, `{x | p x}`). A quantifier binds the norm variables and Gram entries of its own
//! binders.

use super::{Cx, Elab, R, positional, rel_of, term_text};
use crate::core::{Expr, Prop, Rel, Ty, Var};
use crate::front::lex::Pos;
use crate::front::prelude::{self, Builtin};
use crate::front::syntax::{Binder, BinderKind, Kind, Op, Term};
use crate::front::value::{Closure, ClosureBody, Param, TyVal, Val};

impl Elab<'_> {
    /// `x ∈ s` for the sets theorist reads.
    pub(super) fn membership(&mut self, x: &Term, s: &Term, cx: &Cx) -> R<Prop> {
        let xv = self.elab(x, cx, None)?;
        match xv {
            Val::Num(e) => self.member(e, s, cx),
            other => self.fail(cx, x.pos, format!("`∈` for {}", other.describe())),
        }
    }

    /// The proposition `e ∈ s`.
    pub(super) fn member(&mut self, e: Expr, s: &Term, cx: &Cx) -> R<Prop> {
        let ty = e.ty();
        let s = s.unparen();
        let (head, args): (&Term, Vec<&Term>) = match &s.kind {
            Kind::App(f, args) => (f, positional(args)),
            Kind::SetOf(b, p) => {
                let (n, _) = &b.names[0];
                let inner = Cx {
                    locals: cx.locals.push(n, Val::Num(e)),
                    ..cx.clone()
                };
                return self.elab_prop(p, &inner);
            }
            _ => (s, Vec::new()),
        };
        let Some(name) = head.ident() else {
            return self.fail(cx, s.pos, "a set theorist does not read");
        };
        let full = match self.env.resolve(name, &cx.scope) {
            Ok(Some(r)) if r.projections.is_empty() => r.full,
            _ => {
                return self.fail(
                    cx,
                    s.pos,
                    format!("the set `{}` is not one theorist reads", term_text(s)),
                );
            }
        };
        match prelude::lookup(&full).map(|i| i.builtin) {
            Some(Builtin::SetUniv) if !self.env.decls.contains_key(&full) => Ok(Prop::Const(true)),
            Some(Builtin::Interval { lower, upper }) if !self.env.decls.contains_key(&full) => {
                let need = lower.is_some() as usize + upper.is_some() as usize;
                if args.len() != need {
                    return self.fail(cx, s.pos, format!("`{full}` takes {need} arguments"));
                }
                let mut parts = Vec::new();
                let mut k = 0;
                if let Some(closed) = lower {
                    let a = self.arith(args[k], cx, Some(ty))?;
                    k += 1;
                    parts.push(Prop::Cmp(
                        if closed { Rel::Le } else { Rel::Lt },
                        a,
                        e.clone(),
                    ));
                }
                if let Some(closed) = upper {
                    let b = self.arith(args[k], cx, Some(ty))?;
                    parts.push(Prop::Cmp(
                        if closed { Rel::Le } else { Rel::Lt },
                        e.clone(),
                        b,
                    ));
                }
                Ok(parts
                    .into_iter()
                    .reduce(|a, b| Prop::And(Box::new(a), Box::new(b)))
                    .unwrap_or(Prop::Const(true)))
            }
            _ => self.fail(
                cx,
                s.pos,
                format!("the set `{}` is not one theorist reads", term_text(s)),
            ),
        }
    }

    /// `∀`/`∃` with their binders (typed, untyped with inferred types, binder predicates).
    pub(super) fn quantifier(
        &mut self,
        forall: bool,
        bs: &[Binder],
        body: &Term,
        cx: &Cx,
        pos: Pos,
    ) -> R<Prop> {
        let level = self.next_level;
        self.next_level += 1;
        let mut inner = Cx {
            level,
            ..cx.clone()
        };
        let mut vars: Vec<Var> = Vec::new();
        let mut premises: Vec<Prop> = Vec::new();
        for b in bs {
            self.quantifier_binder(b, cx, &mut inner, &mut vars, &mut premises)?;
        }
        let body = self.elab_prop(body, &inner)?;
        self.close_level(level, cx, pos, &mut vars, &mut premises)?;
        let body = premises.into_iter().rev().fold(body, |acc, p| {
            if forall {
                Prop::Imp(Box::new(p), Box::new(acc))
            } else {
                Prop::And(Box::new(p), Box::new(acc))
            }
        });
        if vars.is_empty() {
            return Ok(body);
        }
        Ok(if forall {
            Prop::Forall(vars, Box::new(body))
        } else {
            Prop::Exists(vars, Box::new(body))
        })
    }

    /// One binder of a quantifier, into `inner`: a proof binder is a premise; each name of a
    /// typed or untyped binder a new variable (untyped ones get a meta type), with its binder
    /// predicate as a premise.
    fn quantifier_binder(
        &mut self,
        b: &Binder,
        cx: &Cx,
        inner: &mut Cx,
        vars: &mut Vec<Var>,
        premises: &mut Vec<Prop>,
    ) -> R<()> {
        if b.tuple_pattern {
            return self.fail(cx, b.pos, "a pattern in a quantifier");
        }
        let ty = match &b.ty {
            Some(t) => match self.elab(t, inner, None)? {
                Val::Type(t) => Some(t),
                Val::Prop(p) => {
                    // `∀ (h : P), Q` is `P → Q`; `∃ (h : P), Q` is `P ∧ Q`.
                    for (n, _) in &b.names {
                        premises.push(p.clone());
                        inner.locals = inner.locals.push(n, Val::Opaque("a proof".into()));
                    }
                    return Ok(());
                }
                other => {
                    return self.fail(cx, t.pos, format!("a binder of type {}", other.describe()));
                }
            },
            None => None,
        };
        for (n, npos) in &b.names {
            let t = match &ty {
                Some(t) => t.clone(),
                None => {
                    let m = self.new_meta();
                    self.meta_shape(m).unwrap_or(TyVal::Meta(m))
                }
            };
            let (val, mut new_vars, mut new_hyps) = self.intro(n, *npos, &t, inner)?;
            if let TyVal::Meta(m) = t {
                inner.locals = inner.locals.push(n, Val::Type(TyVal::Meta(m)));
                inner.locals = inner.locals.push(&format!("{n}\u{0}name"), val.clone());
            } else {
                inner.locals = inner.locals.push(n, val.clone());
            }
            vars.append(&mut new_vars);
            premises.extend(new_hyps.drain(..).map(|(_, p)| p));
            if let Some((op, rhs)) = &b.pred {
                let lhs = Term::new(Kind::Ident(n.clone()), *npos);
                let p = self.binder_predicate(*op, &lhs, rhs, val, cx, inner)?;
                premises.push(p);
            }
        }
        Ok(())
    }

    /// The premise `lhs op rhs` of a binder predicate (`∀ x ∈ s`, `∃ ε > 0`), `lhs` the bound
    /// name and `val` its value.
    fn binder_predicate(
        &mut self,
        op: Op,
        lhs: &Term,
        rhs: &Term,
        val: Val,
        cx: &Cx,
        inner: &Cx,
    ) -> R<Prop> {
        match op {
            Op::Mem | Op::NotMem => {
                let Val::Num(e) = val else {
                    return self.fail(cx, lhs.pos, "`∈` for a non-number binder");
                };
                let m = self.member(e, rhs, inner)?;
                Ok(if op == Op::Mem {
                    m
                } else {
                    Prop::Not(Box::new(m))
                })
            }
            _ => {
                let Some(rel) = rel_of(op) else {
                    return self.fail(cx, lhs.pos, "a binder predicate theorist does not read");
                };
                self.relation(rel, lhs, rhs, inner, lhs.pos)
            }
        }
    }

    /// The ids of the binders introduced at quantifier level `level`.
    pub(super) fn binders_at(&self, level: usize) -> Vec<usize> {
        self.levels
            .iter()
            .filter(|(_, l)| **l == level)
            .map(|(id, _)| *id)
            .collect()
    }

    /// Binds what a quantifier's binders brought once its body is read: the norm variables
    /// of its binders, and the Gram entries of vectors whose innermost quantifier it is
    /// (the first to close), with Cauchy–Schwarz as a premise.
    fn close_level(
        &mut self,
        level: usize,
        cx: &Cx,
        pos: Pos,
        vars: &mut Vec<Var>,
        premises: &mut Vec<Prop>,
    ) -> R<()> {
        let ids = self.binders_at(level);
        for n in &self.norms {
            if n.binders.iter().any(|b| ids.contains(b)) {
                if !n.binders.iter().all(|b| ids.contains(b)) {
                    return self.fail(
                        cx,
                        pos,
                        format!("`{}` mixes binders of different quantifiers", n.what),
                    );
                }
                vars.push(Var {
                    name: n.name.clone(),
                    ty: Ty::Real,
                    nonneg: true,
                });
            }
        }
        for g in self.grams.iter_mut() {
            if !g.bound && (ids.contains(&g.first) || ids.contains(&g.second)) {
                g.bound = true;
                vars.extend(g.vars());
                premises.insert(0, g.constraint());
            }
        }
        Ok(())
    }

    /// `fun x => e`, `fun (x : ℝ) => e`, `fun (φ, x) => e`.
    pub(super) fn lambda(&mut self, binders: &[Binder], body: &Term, cx: &Cx) -> R<Closure> {
        let mut params = Vec::new();
        for b in binders {
            if b.tuple_pattern {
                params.push(Param {
                    name: "pair✝".into(),
                    ty: None,
                    pattern: Some(b.names.iter().map(|(n, _)| n.clone()).collect()),
                    kind: BinderKind::Explicit,
                    default: None,
                });
                continue;
            }
            for (n, _) in &b.names {
                params.push(Param {
                    name: n.clone(),
                    ty: b.ty.clone(),
                    pattern: None,
                    kind: BinderKind::Explicit,
                    default: None,
                });
            }
        }
        Ok(Closure {
            name: "fun".into(),
            params,
            body: ClosureBody::Term(body.clone()),
            locals: cx.locals.clone(),
            scope: cx.scope.clone(),
            ret: None,
            file: cx.file,
            pos: body.pos,
        })
    }
}
