//! A theorem's statement: the passes that infer untyped binders' types, the section
//! variables it includes (Lean ≥ 4.11), and the binders it introduces: number variables,
//! structures (their fields), families, matrices, complex numbers, vectors, fields, points.

use std::collections::{BTreeSet, HashSet};
use std::rc::Rc;

use super::{
    Cx, Elab, Elaborated, Introduced, MAX_FAMILY, MAX_SIZE, NormVar, R, euclid, idents, term_text,
};
use crate::core::{Prop, Ty, Var};
use crate::front::env::{Body, DeclInfo, DeclKind, Env, FieldInfo, StructInfo};
use crate::front::lex::Pos;
use crate::front::syntax::{Binder, BinderKind, Term};
use crate::front::value::{Bound, Locals, StructVal, TyVal, Val, VecRef};

impl<'e> Elab<'e> {
    /// Elaborates theorem `decl` (two passes: the first infers the types of untyped binders,
    /// the second builds the core with them).
    pub fn statement(env: &'e Env, decl: &DeclInfo) -> R<Elaborated> {
        // Passes until the binder types stop changing: a pass that learns a binder is a
        // field gets further, and may then learn another binder's number type.
        let mut fixed: Vec<Option<Ty>> = Vec::new();
        let mut shapes: Vec<Option<TyVal>> = Vec::new();
        let mut components: BTreeSet<(String, Pos)> = BTreeSet::new();
        for _ in 0..4 {
            let mut pass = Elab::new(env);
            pass.fixed = fixed.clone();
            pass.fixed_shapes = shapes.clone();
            pass.fixed_components = components.clone();
            let result = pass.statement_pass(decl);
            let more_components = !pass.want_components.is_subset(&components);
            components.extend(std::mem::take(&mut pass.want_components));
            let merged = |new: &[Option<Ty>], old: &[Option<Ty>]| -> Vec<Option<Ty>> {
                (0..new.len().max(old.len()))
                    .map(|k| {
                        new.get(k)
                            .copied()
                            .flatten()
                            .or(old.get(k).copied().flatten())
                    })
                    .collect()
            };
            let next_fixed = merged(&pass.metas, &fixed);
            let next_shapes: Vec<Option<TyVal>> = (0..pass.shapes.len().max(shapes.len()))
                .map(|k| {
                    pass.shapes
                        .get(k)
                        .cloned()
                        .flatten()
                        .or(shapes.get(k).cloned().flatten())
                })
                .collect();
            if next_fixed == fixed && next_shapes == shapes && !more_components {
                return result;
            }
            fixed = next_fixed;
            shapes = next_shapes;
        }
        let mut last = Elab::new(env);
        last.fixed = fixed;
        last.fixed_shapes = shapes;
        last.fixed_components = components;
        last.statement_pass(decl)
    }

    /// One pass over the statement, with the binder types earlier passes learned fixed.
    fn statement_pass(&mut self, decl: &DeclInfo) -> R<Elaborated> {
        let cx0 = Cx {
            locals: Locals::default(),
            scope: decl.scope.clone(),
            file: decl.scope.file,
            level: 0,
            owner: None,
        };
        if let Some(e) = &decl.error {
            return self.fail(
                &cx0,
                e.pos,
                format!("cannot parse the statement: {}", e.message),
            );
        }
        if decl.kind != DeclKind::Theorem {
            return self.fail(
                &cx0,
                decl.pos,
                format!("`{}` is a definition, not a statement", decl.name),
            );
        }
        let Some(ty) = &decl.ty else {
            return self.fail(&cx0, decl.pos, "the statement has no type");
        };
        self.in_statement = true;
        let r = self.statement_body(decl, ty, cx0);
        match self.deferred.take() {
            Some(f) if r.is_ok() => Err(f),
            _ => r,
        }
    }

    /// The statement's binders and conclusion, with the norm variables and Gram entries of its
    /// own binders as variables, within the size limit.
    fn statement_body(&mut self, decl: &DeclInfo, ty: &Term, cx0: Cx) -> R<Elaborated> {
        let binders = self.included_binders(decl, &[ty]);
        let mut cx = cx0;
        let mut vars = Vec::new();
        let mut hyps = Vec::new();
        for b in &binders {
            self.intro_statement_binder(b, &mut cx, &mut vars, &mut hyps)?;
        }
        let conclusion = self.elab_prop(ty, &cx)?;
        // Norm variables of the statement's own binders are variables of the claim.
        for n in &self.norms {
            if n.binders.iter().all(|b| self.levels.get(b) == Some(&0)) {
                vars.push(Var {
                    name: n.name.clone(),
                    ty: Ty::Real,
                    nonneg: true,
                });
            }
        }
        // So are the Gram entries of two of them, under Cauchy–Schwarz.
        for g in self.grams.iter_mut() {
            if !g.bound {
                g.bound = true;
                vars.extend(g.vars());
                hyps.push((format!("Cauchy–Schwarz for {}", g.what), g.constraint()));
            }
        }
        let size: usize = conclusion.size()
            + hyps
                .iter()
                .map(|(_, h): &(String, Prop)| h.size())
                .sum::<usize>();
        if size > MAX_SIZE {
            return self.fail(
                &cx,
                ty.pos,
                format!("the statement unfolds to more than {MAX_SIZE} terms"),
            );
        }
        Ok(Elaborated {
            vars,
            hyps,
            conclusion,
            // A vector in a Gram pair is explained by the pair's reduction.
            norms: self
                .norms
                .iter()
                .filter(|n| {
                    !self
                        .grams
                        .iter()
                        .any(|g| n.binders == [g.first] || n.binders == [g.second])
                })
                .cloned()
                .chain(self.grams.iter().map(|g| {
                    NormVar {
                        name: g
                            .vars()
                            .iter()
                            .map(|v| v.name.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                        binders: vec![g.first, g.second],
                        what: g.what.clone(),
                        why: g.why.clone(),
                    }
                }))
                .collect(),
            minimisers: self.minimisers.clone(),
            unfolded: self.unfolded.clone(),
        })
    }

    /// The section variables a theorem includes (Lean ≥ 4.11: those its statement mentions,
    /// transitively, those named by `include`, and instance arguments about included ones),
    /// followed by its own binders.
    pub(super) fn included_binders(&self, decl: &DeclInfo, extra: &[&Term]) -> Vec<Binder> {
        let mut mentioned: HashSet<String> = HashSet::new();
        for b in &decl.binders {
            if let Some(t) = &b.ty {
                idents(t, &mut mentioned);
            }
        }
        for t in extra {
            idents(t, &mut mentioned);
        }
        if let Body::Term(t) = &decl.body {
            idents(t, &mut mentioned);
        }
        if let Body::Fields(fs) = &decl.body {
            for (_, t) in fs {
                idents(t, &mut mentioned);
            }
        }
        for n in &decl.scope.includes {
            mentioned.insert(n.clone());
        }
        let vars = &decl.scope.variables;
        let mut included = vec![false; vars.len()];
        // Transitively: a variable's type may mention earlier ones.
        loop {
            let mut changed = false;
            for (k, v) in vars.iter().enumerate().rev() {
                if included[k] || v.binder.kind == BinderKind::Instance {
                    continue;
                }
                if v.binder.names.iter().any(|(n, _)| mentioned.contains(n)) {
                    included[k] = true;
                    changed = true;
                    if let Some(t) = &v.binder.ty {
                        idents(t, &mut mentioned);
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let included_names: HashSet<String> = vars
            .iter()
            .zip(&included)
            .filter(|(_, i)| **i)
            .flat_map(|(v, _)| v.binder.names.iter().map(|(n, _)| n.clone()))
            .collect();
        let all_names: HashSet<String> = vars
            .iter()
            .flat_map(|v| v.binder.names.iter().map(|(n, _)| n.clone()))
            .collect();
        for (k, v) in vars.iter().enumerate() {
            if v.binder.kind == BinderKind::Instance {
                let mut deps = HashSet::new();
                if let Some(t) = &v.binder.ty {
                    idents(t, &mut deps);
                }
                let var_deps: Vec<&String> =
                    deps.iter().filter(|d| all_names.contains(*d)).collect();
                included[k] = var_deps.iter().all(|d| included_names.contains(*d));
            }
        }
        let mut out: Vec<Binder> = vars
            .iter()
            .zip(&included)
            .filter(|(_, i)| **i)
            .map(|(v, _)| v.binder.clone())
            .collect();
        out.extend(decl.binders.iter().cloned());
        out
    }

    /// A binder of the statement: a variable, a hypothesis, a structure's fields, a vector.
    fn intro_statement_binder(
        &mut self,
        b: &Binder,
        cx: &mut Cx,
        vars: &mut Vec<Var>,
        hyps: &mut Vec<(String, Prop)>,
    ) -> R<()> {
        let Some(ty) = &b.ty else {
            return self.fail(cx, b.pos, "a binder without a type");
        };
        if b.kind == BinderKind::Instance {
            let p = self.instance_hypothesis(ty, cx)?;
            let name = b.names.first().map_or("inst", |n| n.0.as_str()).to_string();
            hyps.push((name, p));
            return Ok(());
        }
        let tv = self.elab(ty, cx, None)?;
        match tv {
            Val::Prop(p) => {
                for (n, _) in &b.names {
                    hyps.push((n.clone(), p.clone()));
                    cx.locals = cx.locals.push(n, Val::Opaque("a proof".into()));
                }
                Ok(())
            }
            Val::Type(t) => {
                for (n, pos) in &b.names {
                    let (val, mut new_vars, mut new_hyps) = self.intro(n, *pos, &t, cx)?;
                    vars.append(&mut new_vars);
                    hyps.append(&mut new_hyps);
                    cx.locals = cx.locals.push(n, val);
                }
                Ok(())
            }
            other => self.fail(
                cx,
                ty.pos,
                format!(
                    "the binder's type is {}, not a type or a proposition",
                    other.describe()
                ),
            ),
        }
    }

    /// `[Fact p]` is `p`, `[NeZero n]` is `n ≠ 0`; any other instance argument is not modelled.
    fn instance_hypothesis(&mut self, ty: &Term, cx: &Cx) -> R<Prop> {
        let v = self.elab(ty, cx, None);
        match v {
            Ok(Val::Prop(p)) => Ok(p),
            _ => self.fail(
                cx,
                ty.pos,
                format!(
                    "the instance argument `[{}]` is not one theorist models (only `Fact p` and `NeZero n`); it is not dropped, so the statement is not checked",
                    term_text(ty)
                ),
            ),
        }
    }

    /// A new bound variable of type `t`: its value, the claim variables and hypotheses it
    /// brings (a structure brings its fields and their `Prop` fields).
    pub(super) fn intro(&mut self, name: &str, pos: Pos, t: &TyVal, cx: &Cx) -> R<Introduced> {
        match t {
            TyVal::Num(ty) => Ok(self.intro_number(name, *ty)),
            TyVal::Meta(m) => {
                let ty = self.meta_ty(*m);
                Ok(self.intro_number(name, ty))
            }
            TyVal::Struct(s) => self.intro_struct(name, pos, s, cx),
            TyVal::FinFun(n, ty) if *n <= MAX_FAMILY => Ok(self.intro_family(name, *n, *ty)),
            TyVal::Matrix(m, n) if m * n <= MAX_FAMILY => Ok(self.intro_matrix(name, *m, *n)),
            TyVal::Unitary(n) => Ok(self.intro_unitary(name, *n)),
            // An element of a quotient is read as a representative of its class.
            TyVal::Quot(t) => self.intro(name, pos, t, cx),
            // A complex number is its real and imaginary parts.
            TyVal::Vector(ty) if ty == "ℂ" => {
                let re = Var::real(self.unique(&format!("{name}.re")));
                let im = Var::real(self.unique(&format!("{name}.im")));
                Ok((
                    Val::Complex(re.expr(), im.expr()),
                    vec![re, im],
                    Vec::new(),
                ))
            }
            TyVal::Vector(ty) => Ok(self.intro_vector(name, pos, ty, cx)),
            // Fields and points are bound variables, read through norms at a point.
            TyVal::Field { .. } | TyVal::Point(_) => {
                let bound = Rc::new(Bound {
                    id: self.new_id(cx.level),
                    display: name.to_string(),
                    ty: t.clone(),
                });
                let v = if matches!(t, TyVal::Field { .. }) {
                    Val::Field(bound)
                } else {
                    Val::Point(bound)
                };
                Ok((v, Vec::new(), Vec::new()))
            }
            other => self.fail(
                cx,
                pos,
                format!(
                    "`{name} : {}`: theorist does not model values of this type (only ℕ, ℤ, ℚ, ℝ, structures of them, and vectors or fields used through their norms)",
                    other.describe()
                ),
            ),
        }
    }

    /// A number variable of type `ty`.
    fn intro_number(&mut self, name: &str, ty: Ty) -> Introduced {
        let v = Var {
            name: self.unique(name),
            ty,
            nonneg: false,
        };
        (Val::Num(v.expr()), vec![v], Vec::new())
    }

    /// A family `v : Fin n → T` is `n` variables `v 0`, …, `v (n-1)`.
    fn intro_family(&mut self, name: &str, n: u64, ty: Ty) -> Introduced {
        let mut vars = Vec::new();
        for k in 0..n {
            vars.push(Var {
                name: self.unique(&format!("{name} {k}")),
                ty,
                nonneg: false,
            });
        }
        let elems = vars.iter().map(|v| v.expr()).collect();
        (Val::Family(Rc::new(elems)), vars, Vec::new())
    }

    /// A real `m × n` matrix is its entries, one variable each.
    fn intro_matrix(&mut self, name: &str, m: u64, n: u64) -> Introduced {
        let mut vars = Vec::new();
        let mut rows = Vec::new();
        for i in 0..m {
            let mut row = Vec::new();
            for j in 0..n {
                let v = Var::real(self.unique(&format!("{name} {i} {j}")));
                row.push(v.expr());
                vars.push(v);
            }
            rows.push(row);
        }
        (Val::Matrix(Rc::new(rows)), vars, Vec::new())
    }

    /// A vector: its components where an earlier pass found it read by components, else a
    /// vector variable (read through its norm).
    fn intro_vector(&mut self, name: &str, pos: Pos, ty: &str, cx: &Cx) -> Introduced {
        if let Some(n) = euclid::real_dim(ty) {
            if self.fixed_components.contains(&(name.to_string(), pos)) {
                return self.euclid_components(name, n);
            }
        }
        let id = self.new_id(cx.level);
        self.vector_binders.insert(id, (name.to_string(), pos));
        (
            Val::Vector(VecRef::Var {
                id,
                display: name.to_string(),
                ty: ty.to_string(),
            }),
            Vec::new(),
            Vec::new(),
        )
    }

    /// A structure binder: each number field a variable `P.f`, each `Prop` field a hypothesis.
    fn intro_struct(&mut self, name: &str, pos: Pos, s: &str, cx: &Cx) -> R<Introduced> {
        let Some(info) = self.env.structures.get(s).cloned() else {
            return self.fail(cx, pos, format!("no structure `{s}`"));
        };
        self.check_structure(&info, cx, pos)?;
        let mut fields: Vec<(String, Val)> = Vec::new();
        let mut vars = Vec::new();
        let mut hyps = Vec::new();
        let mut inner = Cx {
            locals: Locals::default(),
            scope: info.scope.clone(),
            file: info.scope.file,
            level: cx.level,
            owner: cx.owner.clone(),
        };
        let file = self.env.file_name(info.scope.file).to_string();
        let field_at =
            |f: &FieldInfo| format!("`{name} : {s}`: its field `{}` ({file}:{})", f.name, f.pos);
        for f in &info.fields {
            let tv = self.elab(&f.ty, &inner, None);
            let val = match tv {
                Ok(Val::Prop(p)) => {
                    hyps.push((format!("{name}.{}", f.name), p));
                    Val::Opaque("a proof".into())
                }
                Ok(Val::Type(TyVal::Num(ty))) => {
                    let v = Var {
                        name: self.unique(&format!("{name}.{}", f.name)),
                        ty,
                        nonneg: false,
                    };
                    let e = v.expr();
                    vars.push(v);
                    Val::Num(e)
                }
                Ok(Val::Type(t @ (TyVal::Vector(_) | TyVal::Struct(_) | TyVal::FinFun(..)))) => {
                    let (v, mut nv, mut nh) =
                        self.intro(&format!("{name}.{}", f.name), f.pos, &t, &inner)?;
                    vars.append(&mut nv);
                    hyps.append(&mut nh);
                    v
                }
                // A field theorist cannot model is never dropped: a proposition field is a
                // hypothesis of every statement about the structure, and a data field of an
                // unknown type might make the structure empty (and every `∀` over it true).
                Ok(Val::Type(t)) => {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "{} has type {}, which theorist does not model",
                            field_at(f),
                            t.describe()
                        ),
                    );
                }
                Ok(other) => {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "{} is {}, not a type theorist models",
                            field_at(f),
                            other.describe()
                        ),
                    );
                }
                Err(e) => {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "{} cannot be read, and a field (a hypothesis, if it is a proposition) is never dropped: {}",
                            field_at(f),
                            e.what
                        ),
                    );
                }
            };
            inner.locals = inner.locals.push(&f.name, val.clone());
            fields.push((f.name.clone(), val));
        }
        Ok((
            Val::Struct(Rc::new(StructVal {
                ty: s.to_string(),
                fields,
            })),
            vars,
            hyps,
        ))
    }

    /// Fails for a structure theorist does not model: unreadable, extending another, or with
    /// parameters.
    pub(super) fn check_structure(&self, info: &StructInfo, cx: &Cx, pos: Pos) -> R<()> {
        if let Some(e) = &info.error {
            return self.fail(
                cx,
                pos,
                format!(
                    "the structure `{}` ({}:{}) cannot be read: {}",
                    info.name,
                    self.env.file_name(info.scope.file),
                    e.pos,
                    e.message
                ),
            );
        }
        if info.extends {
            return self.fail(
                cx,
                pos,
                format!(
                    "the structure `{}` extends another; theorist does not model that",
                    info.name
                ),
            );
        }
        if !info.params.is_empty() {
            return self.fail(
                cx,
                pos,
                format!(
                    "the structure `{}` has parameters; theorist does not model that",
                    info.name
                ),
            );
        }
        Ok(())
    }
}
