//! `IsMinOn f s a` and `IsMaxOn f s a`: a claim about every point `y` of `s`, read as a `∀`
//! over fresh points of `f`'s domain. A lift over one number variable is also recorded for
//! the minimiser report.

use std::rc::Rc;

use super::{Cx, Elab, Fail, MinOn, R, lambda_body, max_ty};
use crate::core::{Prop, Rel, Ty, Var};
use crate::front::lex::Pos;
use crate::front::syntax::{Arg, BinderKind, Kind, Term};
use crate::front::value::{Closure, Param, TyVal, Val};

impl Elab<'_> {
    /// `IsMinOn f s a` is `∀ y ∈ s, f a ≤ f y` (`isMinOn_iff`); `IsMaxOn` flips the
    /// comparison. The points `y` range over `f`'s domain type: over `ℕ` they are naturals.
    pub(super) fn is_min_on(
        &mut self,
        max: bool,
        f: &Term,
        s: &Term,
        a: &Term,
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let fv = self.elab(f, cx, None)?;
        let Val::Fun(c) = fv else {
            return self.fail(
                cx,
                f.pos,
                "the first argument of `IsMinOn` is not a function theorist reads",
            );
        };
        let explicit: Vec<&Param> = c
            .params
            .iter()
            .filter(|p| p.kind == BinderKind::Explicit)
            .collect();
        let [param] = explicit[..] else {
            return self.fail(
                cx,
                f.pos,
                "`IsMinOn` of a function of more than one argument",
            );
        };
        let (at, domain) = self.min_on_point(&c, param, a, cx)?;
        // Fresh points y of the domain, bound at a new quantifier level.
        let level = self.next_level;
        self.next_level += 1;
        let ycx = Cx {
            level,
            ..cx.clone()
        };
        let (y_val, mut yvars) = self.fresh_points(&domain, param, &ycx, pos)?;
        let f_at = self.call_value(&c, at.clone(), cx, pos)?;
        let f_y = self.call_value(&c, y_val.clone(), &ycx, pos)?;
        let (Val::Num(fa), Val::Num(fy)) = (f_at, f_y) else {
            return self.fail(
                cx,
                f.pos,
                "`IsMinOn` of a function that is not number-valued",
            );
        };
        let ty = max_ty(fa.ty(), fy.ty());
        let fa = self.coerce(fa, ty, cx, pos)?;
        let fy = self.coerce(fy, ty, cx, pos)?;
        let cmp = if max {
            Prop::Cmp(Rel::Le, fy.clone(), fa.clone())
        } else {
            Prop::Cmp(Rel::Le, fa.clone(), fy.clone())
        };
        let membership = self.min_on_membership(&y_val, &at, s, cx)?;
        let body = if membership == Prop::Const(true) {
            cmp
        } else {
            Prop::Imp(Box::new(membership), Box::new(cmp))
        };
        self.bind_fresh_points(level, cx, pos, &mut yvars)?;
        if let ([y], Val::Num(at_e), Some(_)) = (&yvars[..], &at, lambda_body(&c)) {
            self.minimisers.push(MinOn {
                param: y.name.clone(),
                body: fy.clone(),
                at: at_e.clone(),
                max,
                y: y.name.clone(),
            });
        }
        Ok(Val::Prop(Prop::Forall(yvars, Box::new(body))))
    }

    /// The point `a` of `IsMinOn f s a` and `f`'s domain: the parameter's type where it is
    /// written, else the point's (a numeral alone is ℕ, as in Lean; a tuple gives one type a
    /// component).
    fn min_on_point(
        &mut self,
        c: &Closure,
        param: &Param,
        a: &Term,
        cx: &Cx,
    ) -> R<(Val, Vec<TyVal>)> {
        let declared = match &param.ty {
            Some(t) => {
                let inner = Cx {
                    locals: c.locals.clone(),
                    scope: c.scope.clone(),
                    file: c.file,
                    level: cx.level,
                    owner: cx.owner.clone(),
                };
                Some(self.elab_type(t, &inner)?)
            }
            None => None,
        };
        let at = match &declared {
            Some(TyVal::Num(t)) => Val::Num(self.arith(a, cx, Some(*t))?),
            Some(t) => self.elab(a, cx, Some(t))?,
            None => match &a.unparen().kind {
                Kind::Tuple(_) => self.elab(a, cx, None)?,
                _ => Val::Num(self.arith(a, cx, None)?),
            },
        };
        let domain: Vec<TyVal> = match (&declared, &at, &param.pattern) {
            (Some(t), _, _) => vec![t.clone()],
            (None, Val::Num(e), None) => vec![TyVal::Num(e.ty())],
            (None, Val::Tuple(items), Some(names)) if items.len() == names.len() => items
                .iter()
                .map(|v| match v {
                    Val::Num(e) => Ok(TyVal::Num(e.ty())),
                    Val::Field(b) | Val::Point(b) => Ok(b.ty.clone()),
                    other => Err(Fail {
                        file: cx.file,
                        pos: a.pos,
                        what: format!("`IsMinOn` at {}", other.describe()),
                    }),
                })
                .collect::<R<Vec<_>>>()?,
            _ => {
                return self.fail(
                    cx,
                    a.pos,
                    "the point of `IsMinOn` does not match the function's argument",
                );
            }
        };
        Ok((at, domain))
    }

    /// Fresh points `y` of the domain (one a component for a tuple parameter), introduced in
    /// `ycx`: the value `f` is applied to and the claim's new variables.
    fn fresh_points(
        &mut self,
        domain: &[TyVal],
        param: &Param,
        ycx: &Cx,
        pos: Pos,
    ) -> R<(Val, Vec<Var>)> {
        self.fresh_y += 1;
        let mut ys: Vec<Val> = Vec::new();
        let mut yvars: Vec<Var> = Vec::new();
        for (k, t) in domain.iter().enumerate() {
            let base = match &param.pattern {
                Some(names) => names[k].clone(),
                None => format!("y{}", self.fresh_y),
            };
            let base = format!("{base}✝");
            let (v, mut vs, _) = self.intro(&base, pos, t, ycx)?;
            yvars.append(&mut vs);
            ys.push(v);
        }
        let y_val = if ys.len() == 1 && param.pattern.is_none() {
            ys[0].clone()
        } else {
            Val::Tuple(ys.clone())
        };
        Ok((y_val, yvars))
    }

    /// `y ∈ s` for the fresh point: any set theorist reads over numbers, only `Set.univ` over
    /// a product.
    fn min_on_membership(&mut self, y_val: &Val, at: &Val, s: &Term, cx: &Cx) -> R<Prop> {
        match (y_val, at) {
            (Val::Num(ye), Val::Num(_)) => self.member(ye.clone(), s, cx),
            _ => {
                let full = s
                    .unparen()
                    .ident()
                    .and_then(|n| self.env.resolve(n, &cx.scope).ok().flatten());
                if !matches!(full, Some(r) if r.full == "Set.univ") {
                    return self.fail(
                        cx,
                        s.pos,
                        "`IsMinOn` over a product set other than `Set.univ`",
                    );
                }
                Ok(Prop::Const(true))
            }
        }
    }

    /// Norm variables of the fresh points (bound at `level`) are bound by the claim's `∀` too;
    /// vectors related by an inner product are not read here.
    fn bind_fresh_points(
        &mut self,
        level: usize,
        cx: &Cx,
        pos: Pos,
        yvars: &mut Vec<Var>,
    ) -> R<()> {
        let ids = self.binders_at(level);
        if let Some(g) = self
            .grams
            .iter()
            .find(|g| !g.bound && (ids.contains(&g.first) || ids.contains(&g.second)))
        {
            return self.fail(
                cx,
                pos,
                format!(
                    "`IsMinOn`/`IsMaxOn` over vectors related by an inner product ({})",
                    g.what
                ),
            );
        }
        for n in &self.norms {
            if n.binders.iter().any(|b| ids.contains(b)) {
                yvars.push(Var {
                    name: n.name.clone(),
                    ty: Ty::Real,
                    nonneg: true,
                });
            }
        }
        Ok(())
    }

    /// Applies a one-parameter closure to a value.
    pub(super) fn call_value(&mut self, c: &Rc<Closure>, v: Val, cx: &Cx, pos: Pos) -> R<Val> {
        let tmp = format!("arg✝{}", self.next_id);
        self.next_id += 1;
        let inner = Cx {
            locals: cx.locals.push(&tmp, v),
            ..cx.clone()
        };
        let arg = Arg::Pos(Term::new(Kind::Ident(tmp), pos));
        self.call(c, &[arg], &inner, None, pos)
    }
}
