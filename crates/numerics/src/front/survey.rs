//! Which theorems are scalar statements over ℝ/ℚ: the denominator of a coverage figure,
//! decided without elaborating (so it does not depend on what the elaborator can read). A
//! statement is scalar when its conclusion and its hypotheses are built from `∧ ∨ ¬ → ↔ ∀ ∃`
//! over comparisons (and `∈` intervals, `IsMinOn`/`IsMaxOn`, propositions defined as such)
//! whose sides are numbers, and some side is real or rational. The type of a side is read
//! shallowly from the syntax: binder types, declared result types of the definitions applied
//! (arrows peeled for extra arguments, dot notation through structure types), structure field
//! types, the real functions; anything else counts as "not a number".

use std::collections::HashMap;

use super::env::{Body, DeclInfo, DeclKind, Env, Scope};
use super::prelude::{self, Builtin};
use super::syntax::{Arg, Kind, Op, Term};

/// The shallow type of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sh {
    /// ℝ or ℚ.
    Real,
    /// ℕ or ℤ.
    Int,
    /// A numeral or a term whose number type is not known here (a cast, a hole).
    Num,
    /// Not a number.
    Other,
}

fn join(a: Sh, b: Sh) -> Sh {
    match (a, b) {
        (Sh::Other, _) | (_, Sh::Other) => Sh::Other,
        (Sh::Real, _) | (_, Sh::Real) => Sh::Real,
        (Sh::Int, _) | (_, Sh::Int) => Sh::Int,
        _ => Sh::Num,
    }
}

/// A proposition's shape: numeric throughout, and real somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    numeric: bool,
    real: bool,
}

impl Shape {
    fn and(self, o: Shape) -> Shape {
        Shape {
            numeric: self.numeric && o.numeric,
            real: self.real || o.real,
        }
    }
    const NOT: Shape = Shape {
        numeric: false,
        real: false,
    };
}

struct Cx<'a> {
    env: &'a Env,
    scope: &'a Scope,
    /// Local names and their type terms.
    locals: HashMap<String, Term>,
    depth: usize,
}

/// Whether theorem `d` is a scalar statement over ℝ/ℚ.
pub fn is_scalar(env: &Env, d: &DeclInfo) -> bool {
    if d.kind != DeclKind::Theorem {
        return false;
    }
    let Some(ty) = &d.ty else { return false };
    let mut cx = Cx {
        env,
        scope: &d.scope,
        locals: HashMap::new(),
        depth: 0,
    };
    let mut shape = Shape {
        numeric: true,
        real: false,
    };
    let binders = d
        .scope
        .variables
        .iter()
        .map(|v| &v.binder)
        .chain(d.binders.iter());
    for b in binders {
        let Some(t) = &b.ty else { continue };
        if looks_like_prop(t) {
            shape = shape.and(cx.prop(t));
        }
        for (n, _) in &b.names {
            cx.locals.insert(n.clone(), t.clone());
        }
    }
    let s = shape.and(cx.prop(ty));
    s.numeric && s.real
}

/// A binder type that is a proposition rather than a type (`0 < x`, `x ∈ s`, `P.IsBounded`).
fn looks_like_prop(t: &Term) -> bool {
    match &t.unparen().kind {
        Kind::Binop(op, ..) => {
            !matches!(op, Op::Imp | Op::Prod) || {
                // `A → B` between propositions.
                matches!(&t.unparen().kind, Kind::Binop(Op::Imp, a, _) if looks_like_prop(a))
            }
        }
        Kind::Not(_) | Kind::Forall(..) | Kind::Exists(..) => true,
        Kind::App(f, _) => f.ident().is_some_and(|n| {
            matches!(n, "IsMinOn" | "IsMaxOn" | "Fact" | "NeZero") || n.starts_with("Is")
        }),
        Kind::Ident(n) => n.rsplit('.').next().is_some_and(|s| s.starts_with("Is")),
        _ => false,
    }
}

impl Cx<'_> {
    fn prop(&mut self, t: &Term) -> Shape {
        self.depth += 1;
        let r = if self.depth > 40 {
            Shape::NOT
        } else {
            self.prop_inner(t)
        };
        self.depth -= 1;
        r
    }

    fn prop_inner(&mut self, t: &Term) -> Shape {
        match &t.unparen().kind {
            Kind::Binop(Op::And | Op::Or | Op::Imp | Op::Iff, a, b) => {
                self.prop(a).and(self.prop(b))
            }
            Kind::Not(a) => self.prop(a),
            Kind::Forall(bs, body) | Kind::Exists(bs, body) => {
                let saved = self.locals.clone();
                let mut shape = Shape {
                    numeric: true,
                    real: false,
                };
                for b in bs {
                    if let Some(ty) = &b.ty {
                        if looks_like_prop(ty) {
                            shape = shape.and(self.prop(ty));
                        }
                    }
                    for (n, pos) in &b.names {
                        // An untyped binder's type is whatever its uses make it: neutral.
                        let ty = b.ty.clone().unwrap_or_else(|| Term::new(Kind::Hole, *pos));
                        self.locals.insert(n.clone(), ty);
                    }
                    if let Some((_, rhs)) = &b.pred {
                        shape = shape.and(self.atom(self.sh(rhs), Sh::Num));
                    }
                }
                let r = shape.and(self.prop(body));
                self.locals = saved;
                r
            }
            Kind::Binop(op, a, b) if op.is_relation() => {
                let (x, y) = (self.sh(a), self.sh(b));
                // `v = 0` for a vector is a statement about its norm: neutral.
                let zero = |t: &Term| matches!(&t.unparen().kind, Kind::Nat(n) if n == "0");
                if matches!(op, Op::Eq | Op::Ne)
                    && ((x == Sh::Other && zero(b)) || (y == Sh::Other && zero(a)))
                {
                    return Shape {
                        numeric: true,
                        real: false,
                    };
                }
                self.atom(x, y)
            }
            Kind::Binop(Op::Mem | Op::NotMem, a, _) => {
                let x = self.sh(a);
                self.atom(x, Sh::Num)
            }
            Kind::Ident(n) if n == "True" || n == "False" => Shape {
                numeric: true,
                real: false,
            },
            Kind::App(f, args) => {
                let Some(name) = f.ident() else {
                    return Shape::NOT;
                };
                match self.global(name) {
                    Some(Global::Builtin(Builtin::IsMinOn | Builtin::IsMaxOn)) => {
                        // The function's values decide.
                        let Some(Arg::Pos(func)) = args.first() else {
                            return Shape::NOT;
                        };
                        let v = match &func.unparen().kind {
                            Kind::Fun(_, body) => self.sh(body),
                            _ => self.sh(func),
                        };
                        self.atom(v, Sh::Num)
                    }
                    Some(Global::Builtin(Builtin::Fact)) => match args.first() {
                        Some(Arg::Pos(p)) => self.prop(p),
                        _ => Shape::NOT,
                    },
                    _ => self.prop_def(name),
                }
            }
            Kind::Ident(n) => self.prop_def(n),
            _ => Shape::NOT,
        }
    }

    /// A proposition defined in the sources (`P.IsBounded`): its body's shape.
    fn prop_def(&mut self, name: &str) -> Shape {
        let dotted = name.split_once('.').and_then(|(h, r)| {
            let ty = self.locals.get(h)?.clone();
            let comps: Vec<&str> = r.split('.').collect();
            match self.chain_step(&ty, &comps) {
                Some((Step::Decl(d, _), [])) => Some(d),
                _ => None,
            }
        });
        let d = match dotted.or_else(|| self.resolve_decl(name)) {
            Some(d) => d,
            None => return Shape::NOT,
        };
        let is_prop =
            d.ty.as_ref()
                .is_some_and(|t| matches!(t.kind, Kind::Sort(ref s) if s == "Prop"));
        match (&d.body, is_prop) {
            (Body::Term(body), true) => {
                let saved = self.locals.clone();
                for b in d
                    .scope
                    .variables
                    .iter()
                    .map(|v| &v.binder)
                    .chain(d.binders.iter())
                {
                    if let Some(t) = &b.ty {
                        for (n, _) in &b.names {
                            self.locals.insert(n.clone(), t.clone());
                        }
                    }
                }
                let r = self.prop(body);
                self.locals = saved;
                r
            }
            _ => Shape::NOT,
        }
    }

    fn atom(&self, x: Sh, y: Sh) -> Shape {
        let numeric = x != Sh::Other && y != Sh::Other;
        Shape {
            numeric,
            real: numeric && (x == Sh::Real || y == Sh::Real),
        }
    }

    /// The shallow type a type term denotes.
    fn of_type(&self, t: &Term) -> Sh {
        match &t.unparen().kind {
            Kind::Ident(n) => match n.as_str() {
                "ℝ" | "Real" | "ℚ" | "Rat" => Sh::Real,
                "ℕ" | "Nat" | "ℤ" | "Int" => Sh::Int,
                _ => match self.resolve_decl(n) {
                    // An abbreviation of a number type.
                    Some(d)
                        if matches!(d.kind, DeclKind::Abbrev | DeclKind::Def)
                            && d.binders.is_empty() =>
                    {
                        match &d.body {
                            Body::Term(b) if self.depth < 30 => self.of_type(b),
                            _ => Sh::Other,
                        }
                    }
                    _ => Sh::Other,
                },
            },
            // A subtype of a number type (`{x : ℝ // 0 < x}`, `Subtype fun x : ℝ => …`) is used
            // through its coercion to that type.
            Kind::SetOf(b, _) => b.ty.as_ref().map_or(Sh::Other, |t| self.of_type(t)),
            Kind::App(h, args) if matches!(&h.unparen().kind, Kind::Ident(n) if n == "Subtype") => {
                match args.as_slice() {
                    [Arg::Pos(f)] => match &f.unparen().kind {
                        Kind::Fun(bs, _) if bs.len() == 1 => {
                            bs[0].ty.as_ref().map_or(Sh::Other, |t| self.of_type(t))
                        }
                        _ => Sh::Other,
                    },
                    _ => Sh::Other,
                }
            }
            _ => Sh::Other,
        }
    }

    /// The type after applying `extra` more arguments than the binders take: `A → B` peeled.
    fn result(&self, ty: &Term, extra: usize) -> Sh {
        let mut t = ty.unparen();
        for _ in 0..extra {
            match &t.kind {
                Kind::Binop(Op::Imp, _, b) => t = b.unparen(),
                _ => return Sh::Other,
            }
        }
        if matches!(t.kind, Kind::Binop(Op::Imp, ..)) {
            return Sh::Other;
        }
        self.of_type(t)
    }

    fn sh(&self, t: &Term) -> Sh {
        match &t.unparen().kind {
            Kind::Nat(_) | Kind::Sci(_) | Kind::Coe(_) | Kind::Hole => Sh::Num,
            Kind::Binop(Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod, a, b) => {
                join(self.sh(a), self.sh(b))
            }
            Kind::Binop(Op::Pow, a, _) => self.sh(a),
            Kind::Neg(a) | Kind::Abs(a) | Kind::Inv(a) => self.sh(a),
            Kind::Norm(_) => Sh::Real,
            Kind::Floor(_) | Kind::Ceil(_) => Sh::Int,
            Kind::Ascribe(_, ty) => self.of_type(ty),
            // `(0 : P).f`: a field (or dot-notation definition) of a written structure type.
            Kind::Proj(e, f) => match &e.unparen().kind {
                Kind::Ascribe(_, ty) => {
                    let comps: Vec<&str> = f.split('.').collect();
                    self.chain(ty, &comps, 0)
                }
                _ => Sh::Other,
            },
            Kind::If(_, a, b) => join(self.sh(a), self.sh(b)),
            // A finite sum or product has its terms' type.
            Kind::BigOp(_, b, body) if self.depth < 40 => {
                let mut locals = self.locals.clone();
                for (n, pos) in &b.names {
                    let ty = b.ty.clone().unwrap_or_else(|| Term::new(Kind::Hole, *pos));
                    locals.insert(n.clone(), ty);
                }
                let inner = Cx {
                    env: self.env,
                    scope: self.scope,
                    locals,
                    depth: self.depth + 1,
                };
                inner.sh(body)
            }
            Kind::Ident(n) => self.apply(n, 0),
            Kind::App(f, args) => match f.ident() {
                Some(n) => {
                    let explicit = args.iter().filter(|a| matches!(a, Arg::Pos(_))).count();
                    match self.global(n) {
                        Some(Global::Builtin(Builtin::Abs | Builtin::Min | Builtin::Max)) => args
                            .iter()
                            .filter_map(|a| match a {
                                Arg::Pos(x) => Some(self.sh(x)),
                                Arg::Named(..) => None,
                            })
                            .fold(Sh::Num, join),
                        _ => self.apply(n, explicit),
                    }
                }
                None => match &f.unparen().kind {
                    // `(‖φ‖_H^2) x` style: the notation's head applied further.
                    Kind::App(g, inner) => {
                        let Some(n) = g.ident() else { return Sh::Other };
                        let k = inner
                            .iter()
                            .chain(args)
                            .filter(|a| matches!(a, Arg::Pos(_)))
                            .count();
                        self.apply(n, k)
                    }
                    _ => Sh::Other,
                },
            },
            _ => Sh::Other,
        }
    }

    /// The shallow type of `name` applied to `args` explicit arguments.
    fn apply(&self, name: &str, args: usize) -> Sh {
        // A local, possibly with a field or dot notation after it.
        let (head, rest) = match name.split_once('.') {
            Some((h, r)) if self.locals.contains_key(h) => (h, Some(r)),
            _ => (name, None),
        };
        if let Some(ty) = self.locals.get(head) {
            if matches!(ty.kind, Kind::Hole) {
                return if args == 0 && rest.is_none() {
                    Sh::Num
                } else {
                    Sh::Other
                };
            }
            let Some(rest) = rest else {
                return self.result(ty, args);
            };
            let comps: Vec<&str> = rest.split('.').collect();
            return self.chain(ty, &comps, args);
        }
        match self.global(name) {
            Some(Global::Builtin(b)) => match b {
                Builtin::RealFn(_) | Builtin::Pi | Builtin::Rpow | Builtin::Reference => Sh::Real,
                Builtin::Discrim | Builtin::Cast => Sh::Num,
                Builtin::IntFloor | Builtin::IntCeil | Builtin::IntToNat | Builtin::IntNatAbs => {
                    Sh::Int
                }
                _ => Sh::Other,
            },
            Some(Global::Decl(d)) => self.decl_result(&d, args),
            None => Sh::Other,
        }
    }

    /// The structure a type term names.
    fn structure_of(&self, ty: &Term) -> Option<String> {
        let n = match &ty.unparen().kind {
            Kind::Ident(n) => n.clone(),
            Kind::App(f, _) => f.ident()?.to_string(),
            _ => return None,
        };
        let r = self.env.resolve(&n, self.scope).ok().flatten()?;
        self.env.structures.contains_key(&r.full).then_some(r.full)
    }

    /// `v.c₁.c₂…` for a value `v` of type `ty`, applied to `args` more explicit arguments:
    /// fields, and definitions of the structure's namespace (dot notation).
    fn chain(&self, ty: &Term, comps: &[&str], args: usize) -> Sh {
        match self.chain_step(ty, comps) {
            Some((Step::Field(t), [])) => self.result(&t, args),
            Some((Step::Decl(d, own), [])) => {
                self.decl_result(&d, if own { args + 1 } else { args })
            }
            Some((Step::Field(t), rest)) => self.chain(&t, rest, args),
            Some((Step::Decl(d, _), rest)) => match &d.ty {
                Some(t) if self.depth < 30 => self.chain(t, rest, args),
                _ => Sh::Other,
            },
            None => Sh::Other,
        }
    }

    /// One component of a chain: the field or the dot-notation definition it names.
    fn chain_step<'c>(&self, ty: &Term, comps: &'c [&'c str]) -> Option<(Step, &'c [&'c str])> {
        let (c, rest) = comps.split_first()?;
        let s = self.structure_of(ty)?;
        if let Some(st) = self.env.structures.get(&s) {
            if let Some(f) = st.fields.iter().find(|f| f.name == *c) {
                return Some((Step::Field(f.ty.clone()), rest));
            }
        }
        let d = self.env.decls.get(&format!("{s}.{c}"))?.clone();
        // The structure is one more argument: one of the binders, or a section variable in
        // front of them.
        let short = s.rsplit('.').next().unwrap_or(&s).to_string();
        let own = d.binders.iter().any(|b| {
            b.ty.as_ref()
                .and_then(|t| t.ident())
                .is_some_and(|n| n == short || n == s)
        });
        Some((Step::Decl(d, own), rest))
    }

    fn decl_result(&self, d: &DeclInfo, args: usize) -> Sh {
        let Some(ty) = &d.ty else { return Sh::Other };
        let explicit = d
            .binders
            .iter()
            .filter(|b| b.kind == super::syntax::BinderKind::Explicit)
            .map(|b| b.names.len())
            .sum::<usize>();
        if args < explicit {
            // Partially applied: a function.
            return Sh::Other;
        }
        self.result(ty, args - explicit)
    }

    fn resolve_decl(&self, name: &str) -> Option<std::sync::Arc<DeclInfo>> {
        let r = self.env.resolve(name, self.scope).ok().flatten()?;
        if !r.projections.is_empty() {
            return None;
        }
        self.env.decls.get(&r.full).cloned()
    }

    fn global(&self, name: &str) -> Option<Global> {
        let r = self.env.resolve(name, self.scope).ok().flatten()?;
        if !r.projections.is_empty() {
            return None;
        }
        if let Some(d) = self.env.decls.get(&r.full) {
            return Some(Global::Decl(d.clone()));
        }
        prelude::lookup(&r.full).map(|i| Global::Builtin(i.builtin))
    }
}

enum Step {
    Field(Term),
    /// A definition, and whether the structure value is one of its own binders.
    Decl(std::sync::Arc<DeclInfo>, bool),
}

enum Global {
    Builtin(Builtin),
    Decl(std::sync::Arc<DeclInfo>),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::project::load_text;

    fn scalar(src: &str, decl: &str) -> bool {
        let l = load_text(src).unwrap();
        let d = l
            .env
            .decls
            .values()
            .find(|d| d.name.ends_with(decl))
            .unwrap()
            .clone();
        is_scalar(&l.env, &d)
    }

    #[test]
    fn scalar_real_statements_are_recognised() {
        let src = "structure P where\n  m : ℝ\n  k : ℝ\n\
                   namespace P\n\
                   def e (S : P) (t : ℝ) : ℝ := S.m * t\n\
                   def f (S : P) : ℝ → ℝ := fun t => t\n\
                   theorem a (S : P) (t : ℝ) (h : 0 < t) : 0 ≤ S.e t := sorry\n\
                   theorem b (S : P) : S.m ≠ 0 := sorry\n\
                   theorem c (S : P) : S.f = fun t => t := sorry\n\
                   theorem d (n : ℕ) : n + 0 = n := sorry\n\
                   theorem g (S : P) (t : ℝ) : S.f t = t := sorry\n\
                   end P\n";
        assert!(scalar(src, ".a"));
        assert!(scalar(src, ".b"));
        assert!(!scalar(src, ".c"), "an equation between functions");
        assert!(!scalar(src, ".d"), "ℕ only");
        assert!(scalar(src, ".g"), "a function's value");
    }
}
