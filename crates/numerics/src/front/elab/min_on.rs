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
        // The domain: the parameter's type, else the point's.
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
            None => {
                // An untyped parameter: the point decides (a numeral alone is ℕ, as in Lean).
                match &a.unparen().kind {
                    Kind::Tuple(_) => self.elab(a, cx, None)?,
                    _ => Val::Num(self.arith(a, cx, None)?),
                }
            }
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
        // Fresh points y of the domain, bound at a new quantifier level.
        let level = self.next_level;
        self.next_level += 1;
        let ycx = Cx {
            level,
            ..cx.clone()
        };
        self.fresh_y += 1;
        let mut ys: Vec<Val> = Vec::new();
        let mut yvars: Vec<Var> = Vec::new();
        for (k, t) in domain.iter().enumerate() {
            let base = match &param.pattern {
                Some(names) => names[k].clone(),
                None => format!("y{}", self.fresh_y),
            };
            let base = format!("{base}✝");
            let (v, mut vs, _) = self.intro(&base, pos, t, &ycx)?;
            yvars.append(&mut vs);
            ys.push(v);
        }
        let y_val = if ys.len() == 1 && param.pattern.is_none() {
            ys[0].clone()
        } else {
            Val::Tuple(ys.clone())
        };
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
        let membership = match (&y_val, &at) {
            (Val::Num(ye), Val::Num(_)) => self.member(ye.clone(), s, cx)?,
            _ => {
                // Over a product only `Set.univ` is read.
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
                Prop::Const(true)
            }
        };
        let body = if membership == Prop::Const(true) {
            cmp
        } else {
            Prop::Imp(Box::new(membership), Box::new(cmp))
        };
        // Norm variables of the fresh points are bound here too.
        let ids: Vec<usize> = self
            .levels
            .iter()
            .filter(|(_, l)| **l == level)
            .map(|(id, _)| *id)
            .collect();
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
        if let ([y], Val::Num(at_e), Some(body_e)) = (&yvars[..], &at, lambda_body(&c)) {
            let _ = body_e;
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
