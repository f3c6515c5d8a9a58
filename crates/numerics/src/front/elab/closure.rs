//! Definitions and structures as values: calling a closure (binding its parameters, unfolding
//! its body in its own scope), structure values (constructors, `{ s with … }`, `(0 : S)`
//! through the instance Lean would pick), and projections with dot notation.

use std::rc::Rc;

use super::{Cx, Elab, MAX_SIZE, MAX_UNFOLD, R, fields_cx, head_name, positional};
use crate::core::{Expr, Ty};
use crate::front::env::{Body, DeclKind};
use crate::front::lex::Pos;
use crate::front::prelude;
use crate::front::syntax::{Arg, BinderKind, Kind, Term};
use crate::front::value::{Closure, ClosureBody, Locals, Param, StructVal, TyVal, Val};

/// What binding a closure's arguments gives: the context its body is read in with the
/// arguments left over, or (explicit parameters left without arguments) a function.
enum Binding {
    Complete(Cx, Vec<Arg>),
    Partial(Val),
}

impl Elab<'_> {
    /// `(0 : S)`: Lean's instance search tries the most recent instance first, so an
    /// `OfNat S 0` instance of the sources wins over Mathlib's `Zero.toOfNat0` (which reads
    /// a `Zero S` instance).
    pub(super) fn zero_instance(&mut self, s: &str, cx: &Cx, pos: Pos) -> R<Val> {
        let instances = self.env.instances.clone();
        for (class, field) in [("OfNat", "ofNat"), ("Zero", "zero")] {
            for inst in instances.iter().rev() {
                let Kind::App(f, args) = &inst.class.unparen().kind else {
                    continue;
                };
                let shape_ok = match class {
                    "OfNat" => {
                        args.len() == 2
                            && matches!(&args[1], Arg::Pos(n) if matches!(&n.unparen().kind, Kind::Nat(z) if z == "0"))
                    }
                    _ => args.len() == 1,
                };
                if f.ident() != Some(class) || !shape_ok {
                    continue;
                }
                let Arg::Pos(ty) = &args[0] else { continue };
                let icx = Cx {
                    locals: Locals::default(),
                    scope: inst.scope.clone(),
                    file: inst.scope.file,
                    level: cx.level,
                    owner: cx.owner.clone(),
                };
                if !matches!(self.elab(ty, &icx, None), Ok(Val::Type(TyVal::Struct(ref t))) if t == s)
                {
                    continue;
                }
                let expect = TyVal::Struct(s.to_string());
                return match &inst.body {
                    Body::Fields(fields) => match fields.iter().find(|(n, _)| n == field) {
                        Some((_, v)) => self.elab(v, &icx, Some(&expect)),
                        None => self.construct(
                            s,
                            fields.iter().map(|(n, v)| (Some(n.as_str()), v)).collect(),
                            &icx,
                            pos,
                        ),
                    },
                    Body::Term(t) => match &t.unparen().kind {
                        // `⟨⟨0, 0⟩⟩`: the class's structure around the value.
                        Kind::Anon(items) if items.len() == 1 => {
                            self.elab(&items[0], &icx, Some(&expect))
                        }
                        // `{ zero := ⟨0⟩ }`.
                        Kind::StructInst(fs) if fs.len() == 1 && fs[0].0 == field => {
                            self.elab(&fs[0].1, &icx, Some(&expect))
                        }
                        _ => self.elab(t, &icx, Some(&expect)),
                    },
                    _ => self.fail(cx, pos, format!("the `{class} {s}` instance is not read")),
                };
            }
        }
        self.fail(
            cx,
            pos,
            format!("`(0 : {s})`: no `Zero {s}` or `OfNat {s} 0` instance theorist reads"),
        )
    }

    /// Calls a closure: binds its parameters to the arguments (explicit ones positionally,
    /// named ones by name), then elaborates its body in its own scope.
    pub(super) fn call(
        &mut self,
        c: &Rc<Closure>,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        if let ClosureBody::Builtin(b, name) = &c.body {
            let name = name.clone();
            return self.builtin(*b, &name, args, cx, expect, pos);
        }
        match self.bind_arguments(c, args, cx)? {
            Binding::Partial(v) => Ok(v),
            Binding::Complete(inner, rest) => self.unfold(c, &inner, &rest, cx, expect, pos),
        }
    }

    /// Binds each parameter of `c` to its argument (by name, else the next positional one
    /// for an explicit parameter), its default, or a value that fails when used (implicit
    /// arguments theorist cannot infer).
    fn bind_arguments(&mut self, c: &Rc<Closure>, args: &[Arg], cx: &Cx) -> R<Binding> {
        let mut inner = Cx {
            locals: c.locals.clone(),
            scope: c.scope.clone(),
            file: c.file,
            level: cx.level,
            owner: Some(c.clone()),
        };
        let mut by_position = positional(args).into_iter();
        let named: Vec<(&String, &Term)> = args
            .iter()
            .filter_map(|a| match a {
                Arg::Named(n, t) => Some((n, t)),
                Arg::Pos(_) => None,
            })
            .collect();
        for (k, p) in c.params.iter().enumerate() {
            let explicit = p.kind == BinderKind::Explicit;
            let given = named
                .iter()
                .find(|(n, _)| **n == p.name)
                .map(|(_, t)| *t)
                .or_else(|| if explicit { by_position.next() } else { None });
            let given_default = if given.is_none() && explicit && by_position.len() == 0 {
                p.default.as_ref()
            } else {
                None
            };
            if let Some(d) = given_default {
                let v = self.default_argument(p, d, &inner)?;
                inner.locals = inner.locals.push(&p.name, v);
                continue;
            }
            let Some(arg) = given else {
                if explicit {
                    // Partial application: the rest is a function.
                    let rest = Closure {
                        params: c.params[k..].to_vec(),
                        locals: inner.locals.clone(),
                        ..Closure::clone(c)
                    };
                    return Ok(Binding::Partial(Val::Fun(Rc::new(rest))));
                }
                // Implicit and instance arguments: types and proofs, never numbers theorist
                // can infer; using one as a value fails.
                inner.locals = inner.locals.push(
                    &p.name,
                    Val::Opaque(
                        format!(
                            "the implicit argument `{}` of `{}` would have to be inferred",
                            p.name, c.name
                        )
                        .into(),
                    ),
                );
                continue;
            };
            let v = self.argument_value(p, arg, &inner, cx)?;
            inner.locals = self.bind_param(p, v, inner.locals.clone(), cx, arg.pos)?;
        }
        let rest: Vec<Arg> = by_position.cloned().map(Arg::Pos).collect();
        Ok(Binding::Complete(inner, rest))
    }

    /// An optional parameter (`(d : ℕ := 3)`) left out: its default, read where it was
    /// declared.
    fn default_argument(&mut self, p: &Param, d: &Term, inner: &Cx) -> R<Val> {
        let ty = match &p.ty {
            Some(t) => Some(self.elab(t, inner, None)?),
            None => None,
        };
        match &ty {
            Some(Val::Type(TyVal::Num(n))) => Ok(Val::Num(self.arith(d, inner, Some(*n))?)),
            _ => self.elab(d, inner, None),
        }
    }

    /// The value of argument `arg` (read in the caller's `cx`) for parameter `p`, at the
    /// parameter's type (read in the closure's `inner` context).
    fn argument_value(&mut self, p: &Param, arg: &Term, inner: &Cx, cx: &Cx) -> R<Val> {
        let ty = match &p.ty {
            Some(t) => Some(self.elab(t, inner, None)?),
            None => None,
        };
        // An untyped binder passed where a vector, field or point is expected has that type
        // (recorded in the first pass, used in the second).
        if let (Some(Val::Type(t)), Kind::Ident(n)) = (&ty, &arg.unparen().kind) {
            if !matches!(t, TyVal::Num(_)) {
                if let Some(m) = self.local_meta(n, cx) {
                    if let Some(slot) = self.shapes.get_mut(m) {
                        slot.get_or_insert_with(|| t.clone());
                    }
                }
            }
        }
        Ok(match (&ty, &p.pattern) {
            (Some(Val::Type(TyVal::Num(n))), _) => Val::Num(self.arith(arg, cx, Some(*n))?),
            (Some(Val::Type(TyVal::Fin(n))), _) => Val::Fin(self.fin_value(arg, *n, cx)?, *n),
            (Some(Val::Type(t)), _) => self.elab_at(arg, cx, t)?,
            (Some(Val::Prop(_)), _) => Val::Opaque("a proof".into()),
            _ => self.elab(arg, cx, None)?,
        })
    }

    /// Unfolds `c`'s body with its parameters bound in `inner`, within the unfolding depth and
    /// size limits, and applies the result to the arguments left over.
    fn unfold(
        &mut self,
        c: &Closure,
        inner: &Cx,
        rest: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        self.unfold_depth += 1;
        if self.unfold_depth > MAX_UNFOLD {
            self.unfold_depth -= 1;
            return self.fail(
                cx,
                pos,
                format!("definitions unfold deeper than {MAX_UNFOLD} levels"),
            );
        }
        if !self.unfolded.contains(&c.name) && !c.name.starts_with("fun") {
            self.unfolded.push(c.name.clone());
        }
        let result = self.body(c, inner, if rest.is_empty() { expect } else { None });
        self.unfold_depth -= 1;
        let v = result?;
        // Definitions that use a parameter several times multiply the term at each level:
        // stop before memory does.
        if let Val::Num(e) = &v {
            if !e.size_at_most(MAX_SIZE) {
                return self.fail(
                    cx,
                    pos,
                    format!("`{}` unfolds to more than {MAX_SIZE} terms", c.name),
                );
            }
        }
        if rest.is_empty() {
            Ok(v)
        } else {
            self.apply(v, rest, cx, expect, pos)
        }
    }

    /// Binds a parameter (a tuple pattern binds its components).
    fn bind_param(&mut self, p: &Param, v: Val, locals: Locals, cx: &Cx, pos: Pos) -> R<Locals> {
        match &p.pattern {
            None => Ok(locals.push(&p.name, v)),
            Some(names) => match v {
                Val::Tuple(items) if items.len() == names.len() => {
                    let mut l = locals;
                    for (n, i) in names.iter().zip(items) {
                        l = l.push(n, i);
                    }
                    Ok(l)
                }
                other => self.fail(
                    cx,
                    pos,
                    format!(
                        "a pattern `({})` matched against {}",
                        names.join(", "),
                        other.describe()
                    ),
                ),
            },
        }
    }

    /// The value of `c`'s body read in `inner` (its parameters bound), at its declared return
    /// type where it has one, else at the expected type.
    fn body(&mut self, c: &Closure, inner: &Cx, expect: Option<&TyVal>) -> R<Val> {
        let ret = match &c.ret {
            Some(t) => Some(self.elab(t, inner, None)?),
            None => None,
        };
        let ret_ty = match &ret {
            Some(Val::Type(t)) => Some(t.clone()),
            Some(Val::Prop(_)) => None,
            _ => expect.cloned(),
        };
        match &c.body {
            ClosureBody::Term(t) => {
                let v = match &ret_ty {
                    Some(TyVal::Num(n)) => Val::Num(self.arith(t, inner, Some(*n))?),
                    Some(TyVal::Sub(base))
                        if matches!(**base, TyVal::Num(_))
                            && !matches!(t.unparen().kind, Kind::Anon(_)) =>
                    {
                        let TyVal::Num(n) = **base else {
                            unreachable!("matched")
                        };
                        Val::Num(self.arith(t, inner, Some(n))?)
                    }
                    Some(TyVal::Prop) => Val::Prop(self.elab_prop(t, inner)?),
                    Some(other) => self.elab(t, inner, Some(other))?,
                    None => self.elab(t, inner, None)?,
                };
                Ok(v)
            }
            ClosureBody::Fields(fields) => {
                let Some(TyVal::Struct(s)) = &ret_ty else {
                    return self.fail(
                        inner,
                        c.pos,
                        format!("`{}` is defined by fields, but its type is not a structure theorist reads", c.name),
                    );
                };
                let s = s.clone();
                self.construct(
                    &s,
                    fields.iter().map(|(n, v)| (Some(n.as_str()), v)).collect(),
                    inner,
                    c.pos,
                )
            }
            ClosureBody::Unreadable(why, pos) => self.fail(
                inner,
                *pos,
                format!(
                    "the definition `{}` ({}:{}) is not read: {why}",
                    c.name,
                    self.env.file_name(c.file),
                    c.pos
                ),
            ),
            ClosureBody::Builtin(..) => unreachable!("handled in call"),
        }
    }

    /// A structure value from positional or named field values.
    pub(super) fn construct(
        &mut self,
        s: &str,
        items: Vec<(Option<&str>, &Term)>,
        cx: &Cx,
        pos: Pos,
    ) -> R<Val> {
        let Some(info) = self.env.structures.get(s).cloned() else {
            return self.fail(cx, pos, format!("`{s}` is not a structure theorist reads"));
        };
        self.check_structure(&info, cx, pos)?;
        let mut fields: Vec<(String, Val)> = Vec::new();
        let mut field_cx = fields_cx(&info, cx);
        let named = items.iter().any(|(n, _)| n.is_some());
        let mut positional = items.iter().filter(|(n, _)| n.is_none()).map(|(_, t)| *t);
        for f in &info.fields {
            let given = if named {
                items
                    .iter()
                    .find(|(n, _)| *n == Some(f.name.as_str()))
                    .map(|(_, t)| *t)
            } else {
                positional.next()
            };
            let fty = self.elab(&f.ty, &field_cx, None);
            let v = match (given, fty) {
                (_, Ok(Val::Prop(_))) => Val::Opaque("a proof".into()),
                (Some(t), Ok(Val::Type(TyVal::Num(n)))) => Val::Num(self.arith(t, cx, Some(n))?),
                (Some(t), Ok(Val::Type(ty))) => match self.elab_at(t, cx, &ty) {
                    Ok(v) => v,
                    Err(e) => Val::Opaque(e.what.into()),
                },
                (Some(_), _) => Val::Opaque(format!("the field `{}` of `{s}`", f.name).into()),
                (None, _) => match &f.default {
                    Some(d) => match self.elab(d, &field_cx, None) {
                        Ok(v) => v,
                        Err(e) => Val::Opaque(e.what.into()),
                    },
                    None => {
                        Val::Opaque(format!("the field `{}` of `{s}` is not given", f.name).into())
                    }
                },
            };
            field_cx.locals = field_cx.locals.push(&f.name, v.clone());
            fields.push((f.name.clone(), v));
        }
        Ok(Val::Struct(Rc::new(StructVal {
            ty: s.to_string(),
            fields,
        })))
    }

    /// `{ base with f := v, … }`: the base's fields, the named ones replaced.
    pub(super) fn update(
        &mut self,
        base: &Term,
        updates: &[(String, Term)],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        let sv = match self.elab(base, cx, expect)? {
            Val::Struct(sv) => sv,
            other => {
                return self.fail(
                    cx,
                    base.pos,
                    format!("`{{ … with … }}` of {}", other.describe()),
                );
            }
        };
        let Some(info) = self.env.structures.get(&sv.ty).cloned() else {
            return self.fail(
                cx,
                pos,
                format!("`{}` is not a structure theorist reads", sv.ty),
            );
        };
        for (name, t) in updates {
            if !info.fields.iter().any(|f| &f.name == name) {
                return self.fail(cx, t.pos, format!("`{}` has no field `{name}`", sv.ty));
            }
        }
        let mut field_cx = fields_cx(&info, cx);
        let mut fields = Vec::new();
        for f in &info.fields {
            let old = sv
                .fields
                .iter()
                .find(|(n, _)| n == &f.name)
                .map(|(_, v)| v.clone());
            let v = match updates.iter().find(|(n, _)| n == &f.name) {
                None => old.unwrap_or_else(|| {
                    Val::Opaque(format!("the field `{}` of `{}`", f.name, sv.ty).into())
                }),
                Some((_, t)) => match self.elab(&f.ty, &field_cx, None) {
                    Ok(Val::Prop(_)) => Val::Opaque("a proof".into()),
                    Ok(Val::Type(TyVal::Num(n))) => Val::Num(self.arith(t, cx, Some(n))?),
                    Ok(Val::Type(ty)) => self.elab_at(t, cx, &ty)?,
                    _ => Val::Opaque(format!("the field `{}` of `{}`", f.name, sv.ty).into()),
                },
            };
            field_cx.locals = field_cx.locals.push(&f.name, v.clone());
            fields.push((f.name.clone(), v));
        }
        Ok(Val::Struct(Rc::new(StructVal {
            ty: sv.ty.clone(),
            fields,
        })))
    }

    /// `v.f`: a structure's field, else dot notation (`P.toFun` is `Potential.toFun P`).
    pub(super) fn project(&mut self, v: Val, f: &str, cx: &Cx, pos: Pos) -> R<Val> {
        // An element of the unitary group is its matrix (`U.1`, `U.val`).
        if matches!(v, Val::CMatrix(_)) && matches!(f, "1" | "val") {
            return Ok(v);
        }
        if let Val::Struct(s) = &v {
            if let Some((_, val)) = s.fields.iter().find(|(n, _)| n == f) {
                return Ok(val.clone());
            }
        }
        if let Val::Tuple(items) = &v {
            if let Ok(k) = f.parse::<usize>() {
                if k >= 1 && k <= items.len() {
                    return Ok(items[k - 1].clone());
                }
            }
        }
        if let (Val::Matrix(m), "det" | "transpose") = (&v, f) {
            return self.matrix_op(m, f == "det", cx, pos);
        }
        if let (Val::Complex(re, im), "re" | "im") = (&v, f) {
            return Ok(Val::Num(if f == "re" { re.clone() } else { im.clone() }));
        }
        // `i.val`, `i.1`: the natural number of an element of `Fin n`.
        if let (Val::Fin(k, _), "val" | "1") = (&v, f) {
            return Ok(Val::Num(Expr::lit(Ty::Nat, *k)));
        }
        // A subtype's value is held as the value itself: `.1`/`.val` give it back.
        if matches!(v, Val::Num(_)) && (f == "1" || f == "val") {
            return Ok(v);
        }
        let namespace = match &v {
            Val::Struct(s) => Some(s.ty.clone()),
            Val::Num(e) => Some(
                match e.ty() {
                    Ty::Nat => "Nat",
                    Ty::Int => "Int",
                    Ty::Rat => "Rat",
                    Ty::Real => "Real",
                }
                .to_string(),
            ),
            Val::Field(b) => match &b.ty {
                TyVal::Field { name, .. } => Some(name.clone()),
                _ => None,
            },
            _ => None,
        };
        let Some(ns) = namespace else {
            return self.fail(cx, pos, format!("`.{f}` on {}", v.describe()));
        };
        let full = format!("{ns}.{f}");
        if let Some(d) = self.env.decls.get(&full).cloned() {
            if matches!(d.kind, DeclKind::Def | DeclKind::Abbrev) {
                let closure = self.decl_closure(&d, cx)?;
                return self.insert_self(closure, v, &ns, cx, pos);
            }
            return self.fail(
                cx,
                pos,
                format!("`{full}` is not a definition theorist unfolds"),
            );
        }
        if let Some(item) = prelude::lookup(&full) {
            // `x.sqrt` is `Real.sqrt x`.
            let tmp = Locals::default().push("self✝", v);
            let arg = Arg::Pos(Term::new(Kind::Ident("self✝".into()), pos));
            let inner = Cx {
                locals: tmp,
                ..cx.clone()
            };
            return self.builtin(item.builtin, &full, &[arg], &inner, None, pos);
        }
        self.fail(
            cx,
            pos,
            format!("no field or function `{f}` of `{ns}` (looked for `{full}`)"),
        )
    }

    /// Dot notation: `v` becomes the first explicit argument whose type is `ns`.
    fn insert_self(&mut self, mut c: Closure, v: Val, ns: &str, cx: &Cx, pos: Pos) -> R<Val> {
        let mut at = None;
        for (k, p) in c.params.iter().enumerate() {
            if p.kind != BinderKind::Explicit {
                continue;
            }
            let head = p.ty.as_ref().and_then(head_name);
            let matches = head.is_some_and(|h| {
                let r = self
                    .env
                    .resolve(&h, &c.scope)
                    .ok()
                    .flatten()
                    .map(|r| r.full);
                r.as_deref() == Some(ns) || h == ns
            });
            if matches {
                at = Some(k);
                break;
            }
        }
        let Some(k) = at.or_else(|| c.params.iter().position(|p| p.kind == BinderKind::Explicit))
        else {
            return self.fail(
                cx,
                pos,
                format!("`{}` takes no argument for dot notation", c.name),
            );
        };
        // Bind parameter k to `v`; earlier explicit parameters stay to be given.
        let p = c.params.remove(k);
        if c.params[..k].iter().any(|q| q.kind == BinderKind::Explicit) {
            return self.fail(
                cx,
                pos,
                format!("dot notation into a later argument of `{}`", c.name),
            );
        }
        // Earlier implicit parameters are bound as not inferable.
        let mut locals = c.locals.clone();
        let before: Vec<Param> = c.params.drain(..k).collect();
        for q in before {
            locals = locals.push(
                &q.name,
                Val::Opaque(
                    format!(
                        "the implicit argument `{}` of `{}` would have to be inferred",
                        q.name, c.name
                    )
                    .into(),
                ),
            );
        }
        locals = locals.push(&p.name, v);
        c.locals = locals;
        // A definition whose only explicit argument was `v` is a value (`P.neg`).
        self.apply(Val::Fun(Rc::new(c)), &[], cx, None, pos)
    }
}
