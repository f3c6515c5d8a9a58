//! Elaboration: surface syntax → the typed core, with Lean's meaning. Arithmetic and
//! relations follow Lean's `binop%`/`binrel%` elaborator (`Lean/Elab/Extra.lean`): the leaves
//! of an operator tree are elaborated first, the "maximal" type among them (and the expected
//! type) wins, coercions go on the leaves, numerals take the tree's type, and a tree of
//! numerals alone defaults to `ℕ`. `^`'s exponent is elaborated apart (`rightact%`), so
//! `x ^ (1 / 2)` is `x ^ 0`. Definitions are unfolded where applied, in their own scope;
//! structures become their fields; vectors and fields become norm variables when they are
//! only used through a norm. Anything else fails with its position: it is never dropped.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use rug::ops::Pow;
use rug::{Integer, Rational};

mod builtin;
mod complex;
mod deriv;
mod euclid;
mod matrix;
mod real;
mod unitary;

use complex::Gram;

use super::env::{Body, DeclInfo, DeclKind, Env, ResolveError, Scope, StructInfo};
use super::lex::Pos;
use super::prelude::{self, Builtin};
use super::syntax::{Arg, BigOp, Binder, BinderKind, Kind, MatchArm, Op, Term};
use super::value::{Bound, Closure, ClosureBody, Locals, Param, StructVal, TyVal, Val, VecRef};
use crate::core::{Expr, Prop, Rel, Ty, Var};

/// Types known to be inhabited (vector spaces): a field over one of them takes every value of
/// its fiber at some point. PhysLean's spacetime and space types, Mathlib's Euclidean spaces.
const POINT_TYPES: &[&str] = &[
    "SpaceTime",
    "Lorentz.Vector",
    "Space",
    "Time",
    "EuclideanSpace",
];

/// How many definitions may be unfolded inside each other.
const MAX_UNFOLD: usize = 64;
/// The largest core term a statement may elaborate to.
const MAX_SIZE: usize = 200_000;
/// The most non-associative binary operations (`/`, `%`, ℕ's `-`) one chain may nest.
const MAX_CHAIN: usize = 400;
/// The most variables a family binder `v : Fin n → ℝ` becomes.
const MAX_FAMILY: u64 = 64;
/// The most terms a finite sum or product unrolls to.
const MAX_TERMS: u64 = 1000;
/// Decimal exponents beyond this are not expanded into exact rationals.
const MAX_EXPONENT: i64 = 100_000;

const MATRIX_IN_REAL: &str =
    "a matrix where a number is expected (take `.det` or an equation between matrices)";

const COMPLEX_IN_REAL: &str =
    "a complex number where a real one is expected (take `.re`, `.im` or `‖·‖`)";

/// A cached leaf: its value, and the locals and scope it was read in (kept alive so their
/// addresses stay unique while they are part of a key).
type CachedLeaf = (Val, Locals, Arc<Scope>, Option<Rc<Closure>>);

/// What a new binder brings: its value, the claim's new variables, and new hypotheses.
type Introduced = (Val, Vec<Var>, Vec<(String, Prop)>);

/// Why elaboration stopped: what, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fail {
    pub file: usize,
    pub pos: Pos,
    pub what: String,
}

type R<T> = Result<T, Fail>;

/// A norm variable that a vector, or a field at a point, was reduced to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormVar {
    pub name: String,
    /// The binders it depends on (ids).
    pub binders: Vec<usize>,
    /// What it stands for and why the reduction keeps the statement's truth.
    pub what: String,
    pub why: String,
}

/// A lifted `IsMinOn f s a` over one number variable, for the minimiser report.
#[derive(Debug, Clone, PartialEq)]
pub struct MinOn {
    pub param: String,
    pub body: Expr,
    pub at: Expr,
    pub max: bool,
    pub y: String,
}

/// The elaborated statement, before positive `∀`s are lifted.
#[derive(Debug, Clone)]
pub struct Elaborated {
    pub vars: Vec<Var>,
    /// Hypotheses in order, with their binder names.
    pub hyps: Vec<(String, Prop)>,
    pub conclusion: Prop,
    pub norms: Vec<NormVar>,
    pub minimisers: Vec<MinOn>,
    /// Definitions unfolded (full names), for the report.
    pub unfolded: Vec<String>,
}

/// The local context and scope a term is read in.
#[derive(Clone)]
pub struct Cx {
    pub locals: Locals,
    pub scope: Arc<Scope>,
    pub file: usize,
    /// The quantifier level binders are introduced at (norm reductions stay within one).
    pub level: usize,
    /// The closure whose (cloned) body is being read: the leaf cache keeps it alive, so the
    /// addresses of its terms stay unique while they are part of a key.
    pub owner: Option<Rc<Closure>>,
}

pub struct Elab<'e> {
    env: &'e Env,
    metas: Vec<Option<Ty>>,
    /// Untyped binders used where a non-number type is expected (`∃ φ x, P.toFun φ x = c`
    /// makes `φ` a field): that type.
    shapes: Vec<Option<TyVal>>,
    fixed_shapes: Vec<Option<TyVal>>,
    /// Fixed meta types from the first pass.
    fixed: Vec<Option<Ty>>,
    names: HashSet<String>,
    next_id: usize,
    next_level: usize,
    fresh_y: usize,
    norms: Vec<NormVar>,
    /// Gram entries of pairs of vectors related by an inner product.
    grams: Vec<Gram>,
    /// Binder ids and the level they were introduced at.
    levels: BTreeMap<usize, usize>,
    minimisers: Vec<MinOn>,
    unfolded: Vec<String>,
    unfold_depth: usize,
    /// Leaves already elaborated (by term, locals and scope): an operator tree is analysed
    /// before it is built, and nested `|·|`, `min`, `max` must not multiply that work. The
    /// entry keeps its locals alive, so their address cannot be reused by another list while
    /// it is a key.
    leaf_cache: std::collections::HashMap<(usize, usize, usize), CachedLeaf>,
    /// In a statement pass, a failure that a later pass may undo once an untyped binder's
    /// type is known (`∀ k, ‖k‖ ≤ 1 → 0 < f k`: `k`'s type comes from `f`): the pass goes on
    /// to learn it, and this failure is its result unless the pass fails earlier.
    deferred: Option<Fail>,
    in_statement: bool,
    /// Real Euclidean vectors (binder name and place) read through their components: those a
    /// pass found applied to an index (it asks for another pass), and those this pass reads so.
    want_components: BTreeSet<(String, Pos)>,
    fixed_components: BTreeSet<(String, Pos)>,
    /// The binder of each vector variable of this pass.
    vector_binders: BTreeMap<usize, (String, Pos)>,
    /// While inferring a sum's index type: the index's name, and the `Fin n` it was used as.
    probe: Option<(String, Option<u64>)>,
}

/// A leaf of an operator tree: typed already, or waiting for the tree's type.
enum Leaf {
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

fn ty_rank(t: Ty) -> u8 {
    match t {
        Ty::Nat => 0,
        Ty::Int => 1,
        Ty::Rat => 2,
        Ty::Real => 3,
    }
}

fn max_ty(a: Ty, b: Ty) -> Ty {
    if ty_rank(a) >= ty_rank(b) { a } else { b }
}

fn rel_of(op: Op) -> Option<Rel> {
    Some(match op {
        Op::Le => Rel::Le,
        Op::Lt => Rel::Lt,
        Op::Ge => Rel::Ge,
        Op::Gt => Rel::Gt,
        Op::Eq => Rel::Eq,
        Op::Ne => Rel::Ne,
        _ => return None,
    })
}

/// A decimal or scientific literal as an exact rational (`1.5e-3` = 3/2000); `None` when its
/// exponent is beyond [`MAX_EXPONENT`].
pub fn decimal(text: &str) -> Option<Rational> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return Integer::from_str_radix(hex, 16).ok().map(Rational::from);
    }
    if let Some(b) = text.strip_prefix("0b").or_else(|| text.strip_prefix("0B")) {
        return Integer::from_str_radix(b, 2).ok().map(Rational::from);
    }
    if let Some(o) = text.strip_prefix("0o").or_else(|| text.strip_prefix("0O")) {
        return Integer::from_str_radix(o, 8).ok().map(Rational::from);
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Integer = format!("{int}{frac}").parse().ok()?;
    let scale = exponent - frac.len() as i64;
    if scale.abs() > MAX_EXPONENT {
        return None;
    }
    let ten = Integer::from(10);
    Some(if scale >= 0 {
        Rational::from(digits * ten.pow(scale as u32))
    } else {
        Rational::from((digits, ten.pow((-scale) as u32)))
    })
}

impl<'e> Elab<'e> {
    pub fn new(env: &'e Env) -> Elab<'e> {
        Elab {
            env,
            metas: Vec::new(),
            shapes: Vec::new(),
            fixed_shapes: Vec::new(),
            fixed: Vec::new(),
            names: HashSet::new(),
            next_id: 0,
            next_level: 1,
            fresh_y: 0,
            norms: Vec::new(),
            grams: Vec::new(),
            levels: BTreeMap::new(),
            minimisers: Vec::new(),
            unfolded: Vec::new(),
            unfold_depth: 0,
            leaf_cache: std::collections::HashMap::new(),
            deferred: None,
            in_statement: false,
            want_components: BTreeSet::new(),
            fixed_components: BTreeSet::new(),
            vector_binders: BTreeMap::new(),
            probe: None,
        }
    }

    fn fail<T>(&self, cx: &Cx, pos: Pos, what: impl Into<String>) -> R<T> {
        Err(Fail {
            file: cx.file,
            pos,
            what: what.into(),
        })
    }

    /// Marks names as taken (free variables of a standalone expression).
    pub fn reserve(&mut self, names: &[String]) {
        for n in names {
            self.names.insert(n.clone());
        }
    }

    // ---- metas -----------------------------------------------------------------------

    fn new_meta(&mut self) -> usize {
        self.metas.push(None);
        self.shapes.push(None);
        self.metas.len() - 1
    }

    /// The non-number type the first pass found for meta `m`.
    fn meta_shape(&self, m: usize) -> Option<TyVal> {
        self.fixed_shapes.get(m).cloned().flatten()
    }

    /// The type of meta `m`: what the first pass inferred, what this pass assigned, else `ℕ`
    /// (Lean's default instance for numerals).
    fn meta_ty(&self, m: usize) -> Ty {
        self.metas
            .get(m)
            .copied()
            .flatten()
            .or_else(|| self.fixed.get(m).copied().flatten())
            .unwrap_or(Ty::Nat)
    }

    fn assign(&mut self, m: usize, t: Ty) {
        if let Some(slot) = self.metas.get_mut(m) {
            if slot.is_none() {
                *slot = Some(t);
            }
        }
    }

    // ---- names -----------------------------------------------------------------------

    /// A name for a new variable that no other variable of the statement has (a shadowing
    /// binder gets `x✝1`, never the outer `x`).
    fn unique(&mut self, base: &str) -> String {
        if self.names.insert(base.to_string()) {
            return base.to_string();
        }
        for k in 1.. {
            let n = format!("{base}✝{k}");
            if self.names.insert(n.clone()) {
                return n;
            }
        }
        unreachable!("some name is free")
    }

    fn new_id(&mut self, level: usize) -> usize {
        self.next_id += 1;
        self.levels.insert(self.next_id, level);
        self.next_id
    }

    // ---- entry -----------------------------------------------------------------------

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
    fn included_binders(&self, decl: &DeclInfo, extra: &[&Term]) -> Vec<Binder> {
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
    fn intro(&mut self, name: &str, pos: Pos, t: &TyVal, cx: &Cx) -> R<Introduced> {
        match t {
            TyVal::Num(ty) => {
                let v = Var {
                    name: self.unique(name),
                    ty: *ty,
                    nonneg: false,
                };
                Ok((Val::Num(v.expr()), vec![v], Vec::new()))
            }
            TyVal::Meta(m) => {
                let ty = self.meta_ty(*m);
                let v = Var {
                    name: self.unique(name),
                    ty,
                    nonneg: false,
                };
                Ok((Val::Num(v.expr()), vec![v], Vec::new()))
            }
            TyVal::Struct(s) => self.intro_struct(name, pos, s, cx),
            TyVal::FinFun(n, ty) if *n <= MAX_FAMILY => {
                let mut vars = Vec::new();
                for k in 0..*n {
                    vars.push(Var {
                        name: self.unique(&format!("{name} {k}")),
                        ty: *ty,
                        nonneg: false,
                    });
                }
                let elems = vars.iter().map(|v| v.expr()).collect();
                Ok((Val::Family(Rc::new(elems)), vars, Vec::new()))
            }
            // A matrix is its entries.
            TyVal::Matrix(m, n) if m * n <= MAX_FAMILY => {
                let mut vars = Vec::new();
                let mut rows = Vec::new();
                for i in 0..*m {
                    let mut row = Vec::new();
                    for j in 0..*n {
                        let v = Var::real(self.unique(&format!("{name} {i} {j}")));
                        row.push(v.expr());
                        vars.push(v);
                    }
                    rows.push(row);
                }
                Ok((Val::Matrix(Rc::new(rows)), vars, Vec::new()))
            }
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
            TyVal::Vector(ty) => {
                if let Some(n) = euclid::real_dim(ty) {
                    if self.fixed_components.contains(&(name.to_string(), pos)) {
                        return Ok(self.euclid_components(name, n));
                    }
                }
                let id = self.new_id(cx.level);
                self.vector_binders.insert(id, (name.to_string(), pos));
                Ok((
                    Val::Vector(VecRef::Var {
                        id,
                        display: name.to_string(),
                        ty: ty.clone(),
                    }),
                    Vec::new(),
                    Vec::new(),
                ))
            }
            TyVal::Field { .. } => {
                let id = self.new_id(cx.level);
                Ok((
                    Val::Field(Rc::new(Bound {
                        id,
                        display: name.to_string(),
                        ty: t.clone(),
                    })),
                    Vec::new(),
                    Vec::new(),
                ))
            }
            TyVal::Point(_) => {
                let id = self.new_id(cx.level);
                Ok((
                    Val::Point(Rc::new(Bound {
                        id,
                        display: name.to_string(),
                        ty: t.clone(),
                    })),
                    Vec::new(),
                    Vec::new(),
                ))
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
                            "`{name} : {s}`: its field `{}` ({}:{}) has type {}, which theorist does not model",
                            f.name,
                            self.env.file_name(info.scope.file),
                            f.pos,
                            t.describe()
                        ),
                    )
                }
                Ok(other) => {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "`{name} : {s}`: its field `{}` ({}:{}) is {}, not a type theorist models",
                            f.name,
                            self.env.file_name(info.scope.file),
                            f.pos,
                            other.describe()
                        ),
                    )
                }
                Err(e) => {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "`{name} : {s}`: its field `{}` ({}:{}) cannot be read, and a field (a hypothesis, if it is a proposition) is never dropped: {}",
                            f.name,
                            self.env.file_name(info.scope.file),
                            f.pos,
                            e.what
                        ),
                    )
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

    fn check_structure(&self, info: &StructInfo, cx: &Cx, pos: Pos) -> R<()> {
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

    // ---- terms -----------------------------------------------------------------------

    /// Elaborates any term.
    pub fn elab(&mut self, t: &Term, cx: &Cx, expect: Option<&TyVal>) -> R<Val> {
        match &t.kind {
            Kind::Paren(e) => self.elab(e, cx, expect),
            // `.c`: the constant `c` of the expected type's namespace.
            Kind::Ident(n) if n.starts_with('.') => match expect {
                Some(TyVal::Struct(s)) => {
                    let full = Term::new(Kind::Ident(format!("_root_.{s}{n}")), t.pos);
                    self.elab(&full, cx, expect)
                }
                _ => self.fail(
                    cx,
                    t.pos,
                    format!("`{n}` names a constant of its expected type, which theorist does not know here"),
                ),
            },
            // A numeral of `Fin n` is taken modulo `n` (`Fin.ofNat`).
            Kind::Nat(k) if matches!(expect, Some(TyVal::Fin(_))) => {
                let Some(TyVal::Fin(n)) = expect else {
                    unreachable!("matched")
                };
                match (k.parse::<u64>(), *n) {
                    (_, 0) => self.fail(cx, t.pos, "a numeral of `Fin 0`, which has no elements"),
                    (Ok(k), n) => Ok(Val::Fin(k % n, n)),
                    (Err(_), _) => self.fail(cx, t.pos, format!("the numeral `{k}` is too large")),
                }
            }
            Kind::BigOp(op, b, body) => self.big_op(*op, b, body, cx, expect, t.pos),
            Kind::Match(m) => {
                let (scrutinees, arms) = &**m;
                let (body, inner) = self.match_arm(scrutinees, arms, cx, t.pos)?;
                self.elab(body, &inner, expect)
            }
            Kind::VecLit(items) => self.vector_literal(items, cx, expect, t.pos),
            // `0` of a vector or field type.
            Kind::Nat(k) if matches!(expect, Some(TyVal::Matrix(m, n)) if m == n) => {
                let Some(TyVal::Matrix(n, _)) = expect else {
                    unreachable!("matched")
                };
                let Ok(k) = k.parse::<i64>() else {
                    return self.fail(cx, t.pos, format!("the numeral `{k}` is too large"));
                };
                let n = *n as usize;
                Ok(Val::Matrix(Rc::new(
                    (0..n)
                        .map(|i| {
                            (0..n)
                                .map(|j| Expr::lit(Ty::Real, if i == j { k } else { 0 }))
                                .collect()
                        })
                        .collect(),
                )))
            }
            Kind::Nat(n)
                if n == "0" && matches!(expect, Some(TyVal::Vector(v)) if v != "ℂ") =>
            {
                Ok(Val::Vector(VecRef::Zero))
            }
            Kind::Nat(n) if n == "0" && matches!(expect, Some(TyVal::Field { .. })) => {
                Ok(Val::ZeroField)
            }
            Kind::Nat(n) if n == "0" && matches!(expect, Some(TyVal::Struct(_))) => {
                let Some(TyVal::Struct(s)) = expect else {
                    unreachable!("matched")
                };
                self.zero_instance(s, cx, t.pos)
            }
            Kind::Nat(_)
            | Kind::Sci(_)
            | Kind::Neg(_)
            | Kind::Abs(_)
            | Kind::Inv(_)
            | Kind::Coe(_) => {
                if matches!(t.kind, Kind::Neg(_)) && self.is_matrix_tree(t, cx)? {
                    return self.matrix_tree(t, cx);
                }
                if matches!(t.kind, Kind::Neg(_)) && self.is_complex_tree(t, cx)? {
                    return self.complex_tree(t, cx);
                }
                let ty = match expect {
                    Some(TyVal::Num(ty)) => Some(*ty),
                    // A numeral of ℂ is a real one (its imaginary part is 0).
                    Some(TyVal::Vector(v)) if v == "ℂ" => Some(Ty::Real),
                    Some(TyVal::Meta(m)) => Some(self.meta_ty(*m)),
                    _ => None,
                };
                Ok(Val::Num(self.arith(t, cx, ty)?))
            }
            Kind::Binop(op, a, b) => self.binop(*op, a, b, t, cx, expect),
            Kind::Floor(a) | Kind::Ceil(a) => {
                let x = self.arith(a, cx, None)?;
                let ty = x.ty();
                if !ty.is_field() {
                    return self.fail(cx, t.pos, format!("`⌊·⌋`/`⌈·⌉` of a {}", ty.symbol()));
                }
                Ok(Val::Num(if matches!(t.kind, Kind::Floor(_)) {
                    Expr::Floor(ty, Box::new(x))
                } else {
                    Expr::Ceil(ty, Box::new(x))
                }))
            }
            Kind::Not(a) => Ok(Val::Prop(Prop::Not(Box::new(self.elab_prop(a, cx)?)))),
            Kind::Norm(a) => {
                let v = self.elab(a, cx, None)?;
                Ok(Val::Num(self.norm(v, cx, a.pos)?))
            }
            Kind::Ident(_) | Kind::App(..) | Kind::Explicit(_) => {
                let (head, args): (&Term, &[Arg]) = match &t.kind {
                    Kind::App(f, args) => (f, args),
                    _ => (t, &[]),
                };
                self.app(head, args, cx, expect, t.pos)
            }
            Kind::Ascribe(e, ty) => {
                let tv = self.elab_type(ty, cx)?;
                match &tv {
                    TyVal::Num(n) => Ok(Val::Num(self.arith(e, cx, Some(*n))?)),
                    TyVal::Prop => Ok(Val::Prop(self.elab_prop(e, cx)?)),
                    // `(x : ℂ)` of a real `x` is the complex number `x + 0i`.
                    TyVal::Vector(c) if c == "ℂ" => match self.elab(e, cx, Some(&tv))? {
                        Val::Num(x) => Ok(Val::Complex(
                            self.coerce(x, Ty::Real, cx, e.pos)?,
                            Expr::lit(Ty::Real, 0),
                        )),
                        other => Ok(other),
                    },
                    _ => self.elab(e, cx, Some(&tv)),
                }
            }
            Kind::Tuple(items) => {
                let mut out = Vec::new();
                for (k, i) in items.iter().enumerate() {
                    let sub = match expect {
                        Some(TyVal::Prod(ts)) => ts.get(k),
                        _ => None,
                    };
                    out.push(self.elab(i, cx, sub)?);
                }
                Ok(Val::Tuple(out))
            }
            Kind::Anon(items) => match expect {
                // `⟨v, proof⟩ : {x : T // p x}` is `v`.
                Some(TyVal::Sub(base)) if !items.is_empty() => {
                    let base = (**base).clone();
                    match base {
                        TyVal::Num(n) => Ok(Val::Num(self.arith(&items[0], cx, Some(n))?)),
                        other => self.elab(&items[0], cx, Some(&other)),
                    }
                }
                Some(TyVal::Struct(s)) => {
                    let s = s.clone();
                    self.construct(&s, items.iter().map(|i| (None, i)).collect(), cx, t.pos)
                }
                _ => self.fail(
                    cx,
                    t.pos,
                    "an anonymous constructor `⟨…⟩` whose type theorist does not know here",
                ),
            },
            Kind::StructInst(fields) => match expect {
                Some(TyVal::Struct(s)) => {
                    let s = s.clone();
                    self.construct(
                        &s,
                        fields.iter().map(|(n, v)| (Some(n.as_str()), v)).collect(),
                        cx,
                        t.pos,
                    )
                }
                // A section built from its function (`{ toFun := fun _ ↦ φ, … }`): applied to a
                // point it is that function's value there.
                Some(TyVal::Field { .. }) => match fields.iter().find(|(n, _)| n == "toFun") {
                    Some((_, f)) => match self.elab(f, cx, None)? {
                        v @ Val::Fun(_) => Ok(v),
                        other => self.fail(
                            cx,
                            f.pos,
                            format!("a section whose `toFun` is {}", other.describe()),
                        ),
                    },
                    None => self.fail(cx, t.pos, "a section given without its `toFun`"),
                },
                _ => self.fail(
                    cx,
                    t.pos,
                    "a structure instance whose type theorist does not know here",
                ),
            },
            Kind::StructUpdate(base, updates) => self.update(base, updates, cx, expect, t.pos),
            Kind::MatrixLit(rows) => self.matrix_literal(rows, cx, expect, t.pos),
            Kind::Fun(binders, body) => Ok(Val::Fun(Rc::new(self.lambda(binders, body, cx)?))),
            Kind::Forall(bs, body) => Ok(Val::Prop(self.quantifier(true, bs, body, cx, t.pos)?)),
            Kind::Exists(bs, body) => Ok(Val::Prop(self.quantifier(false, bs, body, cx, t.pos)?)),
            Kind::If(c, a, b) => {
                let c = self.elab_prop(c, cx)?;
                let ty = match expect {
                    Some(TyVal::Num(ty)) => Some(*ty),
                    _ => None,
                };
                let (a, b) = self.joint(&[a, b], cx, ty)?;
                Ok(Val::Num(Expr::Ite(Box::new(c), Box::new(a), Box::new(b))))
            }
            Kind::Proj(e, f) => {
                let v = self.elab(e, cx, None)?;
                self.project(v, f, cx, t.pos)
            }
            Kind::Sort(s) => Ok(Val::Type(if s == "Prop" {
                TyVal::Prop
            } else {
                TyVal::Sort
            })),
            Kind::By => self.fail(cx, t.pos, "a tactic proof inside the statement"),
            Kind::Sorry => self.fail(cx, t.pos, "`sorry` inside the statement"),
            Kind::Hole => self.fail(cx, t.pos, "a hole `_` that Lean would have to infer"),
            Kind::Str(_) => self.fail(cx, t.pos, "a string"),
            Kind::Unsupported(what) => {
                self.fail(cx, t.pos, format!("{what} is not in theorist's fragment"))
            }
            Kind::ExistsUnique(..) => self.fail(cx, t.pos, "`∃!` is not in theorist's fragment"),
            // A set used as a type is the subtype of its elements.
            Kind::SetOf(b, _) if b.ty.is_some() && !matches!(expect, Some(TyVal::Prop)) => {
                let base = self.elab_type(b.ty.as_ref().expect("checked"), cx)?;
                Ok(Val::Type(TyVal::Sub(Box::new(base))))
            }
            Kind::SetOf(..) => self.fail(cx, t.pos, "a set `{x | p}` outside `∈` or `IsMinOn`"),
        }
    }

    /// `t` where a value of type `ty` is expected: a real number where `ℂ` is expected (a
    /// numeral, a cast) is the complex number `x + 0i`, as Lean's coercion makes it.
    fn elab_at(&mut self, t: &Term, cx: &Cx, ty: &TyVal) -> R<Val> {
        match (self.elab(t, cx, Some(ty))?, ty) {
            (Val::Num(x), TyVal::Vector(c)) if c == "ℂ" => Ok(Val::Complex(
                self.coerce(x, Ty::Real, cx, t.pos)?,
                Expr::lit(Ty::Real, 0),
            )),
            (v, _) => Ok(v),
        }
    }

    /// A term that must be a proposition.
    pub fn elab_prop(&mut self, t: &Term, cx: &Cx) -> R<Prop> {
        match self.elab(t, cx, Some(&TyVal::Prop))? {
            Val::Prop(p) => Ok(p),
            other => self.fail(
                cx,
                t.pos,
                format!("expected a proposition, found {}", other.describe()),
            ),
        }
    }

    /// A term that must be a type.
    pub fn elab_type(&mut self, t: &Term, cx: &Cx) -> R<TyVal> {
        match self.elab(t, cx, None)? {
            Val::Type(ty) => Ok(ty),
            Val::Prop(_) => Ok(TyVal::Prop),
            other => self.fail(
                cx,
                t.pos,
                format!("expected a type, found {}", other.describe()),
            ),
        }
    }

    fn binop(
        &mut self,
        op: Op,
        a: &Term,
        b: &Term,
        t: &Term,
        cx: &Cx,
        expect: Option<&TyVal>,
    ) -> R<Val> {
        match op {
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod | Op::Pow => {
                if self.is_matrix_tree(t, cx)? {
                    return self.matrix_tree(t, cx);
                }
                if self.is_complex_tree(t, cx)? {
                    return self.complex_tree(t, cx);
                }
                let ty = match expect {
                    Some(TyVal::Num(ty)) => Some(*ty),
                    // Arithmetic of ℂ without complex leaves is real arithmetic, cast.
                    Some(TyVal::Vector(v)) if v == "ℂ" => Some(Ty::Real),
                    Some(TyVal::Meta(m)) => Some(self.meta_ty(*m)),
                    _ => None,
                };
                Ok(Val::Num(self.arith(t, cx, ty)?))
            }
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let rel = rel_of(op).expect("a relation");
                Ok(Val::Prop(self.relation(rel, a, b, cx, t.pos)?))
            }
            Op::And | Op::Or | Op::Iff => {
                let (x, y) = (self.elab_prop(a, cx)?, self.elab_prop(b, cx)?);
                Ok(Val::Prop(match op {
                    Op::And => Prop::And(Box::new(x), Box::new(y)),
                    Op::Or => Prop::Or(Box::new(x), Box::new(y)),
                    _ => Prop::Iff(Box::new(x), Box::new(y)),
                }))
            }
            Op::Imp => {
                let x = self.elab(a, cx, None)?;
                match x {
                    Val::Prop(x) => {
                        let y = self.elab_prop(b, cx)?;
                        Ok(Val::Prop(Prop::Imp(Box::new(x), Box::new(y))))
                    }
                    Val::Type(from) => {
                        let to = self.elab_type(b, cx)?;
                        if let (TyVal::Fin(n), TyVal::Num(t)) = (&from, &to) {
                            return Ok(Val::Type(TyVal::FinFun(*n, *t)));
                        }
                        Ok(Val::Type(TyVal::Other(format!(
                            "{} → {}",
                            from.describe(),
                            to.describe()
                        ))))
                    }
                    other => self.fail(cx, a.pos, format!("`→` after {}", other.describe())),
                }
            }
            Op::Prod => {
                let x = self.elab_type(a, cx)?;
                let y = self.elab_type(b, cx)?;
                Ok(Val::Type(TyVal::Prod(vec![x, y])))
            }
            Op::Mem | Op::NotMem => {
                let p = self.membership(a, b, cx)?;
                Ok(Val::Prop(if op == Op::Mem {
                    p
                } else {
                    Prop::Not(Box::new(p))
                }))
            }
            Op::SMul if self.is_matrix_tree(b, cx)? => self.matrix_tree(t, cx),
            Op::SMul => self.complex_tree(t, cx),
            Op::SumType => {
                let x = self.elab_type(a, cx)?;
                let y = self.elab_type(b, cx)?;
                Ok(Val::Type(match (x, y) {
                    (TyVal::Fin(m), TyVal::Fin(n)) => TyVal::FinSum(m, n),
                    (x, y) => TyVal::Other(format!("{} ⊕ {}", x.describe(), y.describe())),
                }))
            }
            Op::Comp | Op::Subset | Op::Dvd => self.fail(
                cx,
                t.pos,
                format!("`{}` is not in theorist's fragment", op.text()),
            ),
        }
    }

    // ---- arithmetic trees ---------------------------------------------------------------

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
    fn tree_type(&mut self, leaves: &[Leaf], expect: Option<Ty>) -> Ty {
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

    fn collect(&mut self, t: &Term, cx: &Cx, out: &mut Vec<Leaf>) -> R<()> {
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
                let terms: Vec<&Term> = args
                    .iter()
                    .filter_map(|a| match a {
                        Arg::Pos(t) => Some(t),
                        Arg::Named(..) => None,
                    })
                    .collect();
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
    fn local_meta(&self, n: &str, cx: &Cx) -> Option<usize> {
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

    fn hint_joint(&mut self, ts: &[&Term], cx: &Cx) -> R<Option<Ty>> {
        let mut leaves = Vec::new();
        for t in ts {
            self.collect(t, cx, &mut leaves)?;
        }
        Ok(self.leaf_hint(&leaves))
    }

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
    fn coerce(&self, e: Expr, to: Ty, cx: &Cx, pos: Pos) -> R<Expr> {
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
    fn joint(&mut self, ts: &[&Term], cx: &Cx, expect: Option<Ty>) -> R<(Expr, Expr)> {
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
    fn relation(&mut self, rel: Rel, a: &Term, b: &Term, cx: &Cx, pos: Pos) -> R<Prop> {
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

    // ---- names and application --------------------------------------------------------------

    fn app(
        &mut self,
        head: &Term,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        match &head.kind {
            Kind::Ident(name) => {
                // Locals (with trailing projections).
                let parts: Vec<&str> = name.split('.').collect();
                for cut in (1..=parts.len()).rev() {
                    let local = parts[..cut].join(".");
                    if let Some(v) = cx.locals.get(&local).cloned() {
                        let v = match v {
                            Val::Type(TyVal::Meta(_)) => {
                                match cx.locals.get(&format!("{local}\u{0}name")) {
                                    Some(v) => v.clone(),
                                    None => v,
                                }
                            }
                            v => v,
                        };
                        let mut v = v;
                        for p in &parts[cut..] {
                            v = self.project(v, p, cx, head.pos)?;
                        }
                        return self.apply(v, args, cx, expect, pos);
                    }
                }
                if let Some(right) = injection_side(name) {
                    return self.injection(right, args, cx, expect, pos);
                }
                // `π` is `Real.pi` only where its notation is open.
                if name == "π" && real_open(&cx.scope) {
                    return self.apply(Val::Num(Expr::Pi), args, cx, expect, pos);
                }
                let resolved = match self.env.resolve(name, &cx.scope) {
                    Ok(Some(r)) => r,
                    Ok(None) => {
                        let hint = if name == "π" {
                            " (`π` is `Real.pi` only under `open Real`)"
                        } else {
                            ""
                        };
                        return self.fail(
                            cx,
                            head.pos,
                            format!(
                                "unknown identifier `{name}`{hint}: not a variable, a declaration of the sources read, or a Mathlib constant theorist knows"
                            ),
                        );
                    }
                    Err(ResolveError::Ambiguous { name, candidates }) => {
                        return self.fail(
                            cx,
                            head.pos,
                            format!(
                                "ambiguous name `{name}`: it could be {} (Lean would report the ambiguity too)",
                                candidates
                                    .iter()
                                    .map(|c| format!("`{c}`"))
                                    .collect::<Vec<_>>()
                                    .join(" or ")
                            ),
                        );
                    }
                };
                if resolved.projections.is_empty() {
                    return self.global(&resolved.full, args, cx, expect, pos);
                }
                let mut v = self.global(&resolved.full, &[], cx, None, head.pos)?;
                for p in &resolved.projections {
                    v = self.project(v, p, cx, head.pos)?;
                }
                self.apply(v, args, cx, expect, pos)
            }
            Kind::Explicit(n) => self.fail(
                cx,
                head.pos,
                format!("`@{n}`: explicit mode is not in theorist's fragment"),
            ),
            Kind::App(f, inner) => {
                // `(f a) b`: one application.
                let mut all: Vec<Arg> = inner.clone();
                all.extend(args.iter().cloned());
                self.app(f, &all, cx, expect, pos)
            }
            _ => {
                let f = self.elab(head, cx, None)?;
                self.apply(f, args, cx, expect, pos)
            }
        }
    }

    /// `Sum.inl a` / `Sum.inr a` (or `.inl a`) where a `Fin m ⊕ Fin n` is expected.
    fn injection(
        &mut self,
        right: bool,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        let Some(TyVal::FinSum(m, n)) = expect else {
            return self.fail(
                cx,
                pos,
                "`Sum.inl`/`Sum.inr` where theorist does not know the sum type (it reads them where a `Fin m ⊕ Fin n` is expected)",
            );
        };
        let [Arg::Pos(a)] = args else {
            return self.fail(cx, pos, "`Sum.inl`/`Sum.inr` takes one argument");
        };
        let k = self.fin_value(a, if right { *n } else { *m }, cx)?;
        Ok(Val::Inj {
            right,
            k,
            m: *m,
            n: *n,
        })
    }

    // ---- match ----------------------------------------------------------------------------

    /// The arm of `match` that the scrutinees' values select, and the context with its pattern
    /// variables bound. Only values theorist knows exactly (elements of `Fin n` and
    /// `Fin m ⊕ Fin n`, natural-number literals) are matched; anything else is untranslatable.
    fn match_arm<'t>(
        &mut self,
        scrutinees: &[Term],
        arms: &'t [MatchArm],
        cx: &Cx,
        pos: Pos,
    ) -> R<(&'t Term, Cx)> {
        let mut values = Vec::with_capacity(scrutinees.len());
        for s in scrutinees {
            values.push(self.elab(s, cx, None)?);
        }
        for arm in arms {
            let mut locals = cx.locals.clone();
            let mut fits = true;
            for (p, v) in arm.patterns.iter().zip(&values) {
                if !self.pattern_fits(p, v, &mut locals, cx)? {
                    fits = false;
                    break;
                }
            }
            if fits {
                let inner = Cx {
                    locals,
                    ..cx.clone()
                };
                return Ok((&arm.body, inner));
            }
        }
        self.fail(cx, pos, "no arm of the `match` fits the value")
    }

    /// Whether pattern `p` fits value `v`, binding its variables into `locals`.
    fn pattern_fits(&mut self, p: &Term, v: &Val, locals: &mut Locals, cx: &Cx) -> R<bool> {
        let unknown = |s: &mut Self| {
            s.fail(
                cx,
                p.pos,
                format!(
                    "a `match` on {} theorist does not know exactly, against the pattern `{}`",
                    v.describe(),
                    term_text(p)
                ),
            )
        };
        match (&p.kind, v) {
            (Kind::Paren(q), _) | (Kind::Ascribe(q, _), _) => self.pattern_fits(q, v, locals, cx),
            (Kind::Hole, _) => Ok(true),
            // A name binds (Lean binds any name that is not a constructor, shadowing a
            // definition of that name); a name that may be a constructor opened into scope
            // (`zero`, `succ`, `some`, …: matched, not bound, by Lean) is not read.
            (Kind::Ident(n), _) if injection_side(n).is_none() && !n.contains('.') => {
                if MAYBE_CONSTRUCTORS.contains(&n.as_str()) {
                    return unknown(self);
                }
                *locals = locals.push(n, v.clone());
                Ok(true)
            }
            (Kind::Nat(lit), Val::Fin(k, n)) => match lit.parse::<u64>() {
                Ok(l) if *n > 0 => Ok(l % n == *k),
                _ => unknown(self),
            },
            (Kind::Nat(lit), Val::Num(e)) => match (lit.parse::<u64>(), nat_value(e)) {
                (Ok(l), Some(k)) if e.ty() == Ty::Nat => Ok(l == k),
                _ => unknown(self),
            },
            (Kind::App(f, args), Val::Inj { right, k, m, n }) => {
                let side = f.ident().and_then(injection_side);
                match (side, args.as_slice()) {
                    (Some(s), [Arg::Pos(q)]) => {
                        if s != *right {
                            return Ok(false);
                        }
                        let size = if *right { *n } else { *m };
                        self.pattern_fits(q, &Val::Fin(*k, size), locals, cx)
                    }
                    _ => unknown(self),
                }
            }
            _ => unknown(self),
        }
    }

    /// A global constant applied to arguments.
    fn global(
        &mut self,
        full: &str,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        if let Some(item) = prelude::lookup(full) {
            if !self.env.decls.contains_key(full) {
                return self.builtin(item.builtin, full, args, cx, expect, pos);
            }
        }
        if POINT_TYPES.contains(&full) {
            // Inhabited types whose elements theorist only passes to fields.
            return Ok(Val::Type(TyVal::Point(full.to_string())));
        }
        if self.env.structures.contains_key(full) {
            if !args.is_empty() {
                return self.fail(
                    cx,
                    pos,
                    format!("the structure `{full}` applied to arguments"),
                );
            }
            return Ok(Val::Type(TyVal::Struct(full.to_string())));
        }
        let Some(d) = self.env.decls.get(full).cloned() else {
            return self.fail(cx, pos, format!("unknown constant `{full}`"));
        };
        match d.kind {
            DeclKind::Projection => {
                let (s, f) = full.rsplit_once('.').expect("a projection has a dot");
                let Some(Arg::Pos(first)) = args.first() else {
                    return self.fail(cx, pos, format!("`{full}` needs its structure argument"));
                };
                let v = self.elab(first, cx, Some(&TyVal::Struct(s.to_string())))?;
                let v = self.project(v, f, cx, pos)?;
                self.apply(v, &args[1..], cx, expect, pos)
            }
            DeclKind::Constructor => {
                let s = full.strip_suffix(".mk").expect("a constructor").to_string();
                let items: Vec<(Option<&str>, &Term)> = args
                    .iter()
                    .filter_map(|a| match a {
                        Arg::Pos(t) => Some((None, t)),
                        Arg::Named(..) => None,
                    })
                    .collect();
                self.construct(&s, items, cx, pos)
            }
            DeclKind::Theorem => self.fail(
                cx,
                pos,
                format!("`{full}` is a theorem (a proof), not a value"),
            ),
            DeclKind::Def | DeclKind::Abbrev | DeclKind::Instance => {
                let closure = self.decl_closure(&d, cx)?;
                self.apply(Val::Fun(Rc::new(closure)), args, cx, expect, pos)
            }
            DeclKind::Axiom | DeclKind::Opaque | DeclKind::Other => self.fail(
                cx,
                pos,
                format!(
                    "`{full}` ({}:{}) is not a definition theorist can unfold",
                    self.env.file_name(d.scope.file),
                    d.pos
                ),
            ),
        }
    }

    /// A definition as a function of its (included variables and) parameters.
    fn decl_closure(&mut self, d: &DeclInfo, cx: &Cx) -> R<Closure> {
        if let Some(e) = &d.error {
            return self.fail(
                cx,
                e.pos,
                format!(
                    "the definition `{}` cannot be parsed: {}",
                    d.name, e.message
                ),
            );
        }
        let ty_terms: Vec<&Term> = d.ty.iter().collect();
        let binders = self.included_binders(d, &ty_terms);
        let mut params = Vec::new();
        for b in &binders {
            for (n, _) in &b.names {
                params.push(Param {
                    name: n.clone(),
                    ty: b.ty.clone(),
                    pattern: None,
                    kind: b.kind,
                    default: b.default.clone(),
                });
            }
            if b.kind == BinderKind::Instance && b.names.is_empty() {
                params.push(Param {
                    name: "inst✝".into(),
                    ty: b.ty.clone(),
                    pattern: None,
                    kind: b.kind,
                    default: None,
                });
            }
        }
        let body = match &d.body {
            Body::Term(t) => ClosureBody::Term(t.clone()),
            Body::Fields(f) => ClosureBody::Fields(f.clone()),
            Body::None => ClosureBody::Unreadable("it has no body".into(), d.pos),
            Body::Unreadable(why, pos) => ClosureBody::Unreadable(why.clone(), *pos),
        };
        Ok(Closure {
            name: d.name.clone(),
            params,
            body,
            locals: Locals::default(),
            scope: d.scope.clone(),
            ret: d.ty.clone(),
            file: d.scope.file,
            pos: d.pos,
        })
    }

    /// Applies a value to arguments.
    fn apply(&mut self, f: Val, args: &[Arg], cx: &Cx, expect: Option<&TyVal>, pos: Pos) -> R<Val> {
        if args.is_empty() {
            return match f {
                // A definition whose explicit parameters all have defaults is its value.
                Val::Fun(c)
                    if c.params
                        .iter()
                        .all(|p| p.kind != BinderKind::Explicit || p.default.is_some())
                        && !matches!(c.body, ClosureBody::Builtin(..)) =>
                {
                    self.call(&c, &[], cx, expect, pos)
                }
                v => Ok(v),
            };
        }
        match f {
            Val::Fun(c) => self.call(&c, args, cx, expect, pos),
            Val::Field(field) => {
                // `φ x`: the field's value at a point.
                let [Arg::Pos(a)] = args else {
                    return self.fail(cx, pos, "a field applied to more than one argument");
                };
                let p = self.elab(a, cx, None)?;
                let Val::Point(point) = p else {
                    return self.fail(
                        cx,
                        a.pos,
                        "a field applied to something that is not a point variable",
                    );
                };
                Ok(Val::Vector(VecRef::At { field, point }))
            }
            Val::ZeroField => {
                let [Arg::Pos(a)] = args else {
                    return self.fail(cx, pos, "a field applied to more than one argument");
                };
                match self.elab(a, cx, None)? {
                    Val::Point(_) => Ok(Val::Vector(VecRef::Zero)),
                    _ => self.fail(
                        cx,
                        a.pos,
                        "a field applied to something that is not a point",
                    ),
                }
            }
            Val::Euclid(elems) => self.euclid_component(&elems, args, cx, pos),
            Val::CMatrix(rows) => self.cmatrix_entry(&rows, args, cx, pos),
            Val::Vector(VecRef::Var { id, ty, .. }) if euclid::real_dim(&ty).is_some() => {
                self.components_wanted(id, cx, pos)
            }
            Val::Family(elems) => {
                let [Arg::Pos(a)] = args else {
                    return self.fail(
                        cx,
                        pos,
                        "a family `Fin n → T` applied to more than one argument",
                    );
                };
                let k = self.fin_value(a, elems.len() as u64, cx)?;
                match elems.get(k as usize) {
                    Some(e) => Ok(Val::Num(e.clone())),
                    None => self.fail(cx, a.pos, "an index beyond the family"),
                }
            }
            Val::Opaque(why) => self.fail(cx, pos, why.to_string()),
            other => self.fail(
                cx,
                pos,
                format!("{} applied to arguments", other.describe()),
            ),
        }
    }

    // ---- finite sums, `Fin n` ---------------------------------------------------------------

    /// A closed natural number (`Fin 3`, `Finset.range (2 + 1)`), if `t` is one.
    fn closed_nat(&mut self, t: &Term, cx: &Cx) -> Option<u64> {
        let e = self.arith(t, cx, Some(Ty::Nat)).ok()?;
        nat_value(&e)
    }

    /// The element of `Fin n` that `a` denotes where a `Fin n` is expected: an element of
    /// `Fin n` itself, or a closed natural number cast by Lean's `NatCast (Fin n)` (modulo `n`).
    fn fin_value(&mut self, a: &Term, n: u64, cx: &Cx) -> R<u64> {
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
    fn big_op(
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
        // The index values.
        let values: Vec<Val> = match (&b.pred, &written) {
            (Some((Op::Mem, set)), _) => self.index_set(set, written.as_ref(), cx)?,
            (Some(_), _) => return self.fail(cx, b.pos, "a sum over a binder predicate other than `∈`"),
            (None, Some(TyVal::Fin(n))) => self.fin_range(*n, cx, b.pos)?,
            (None, Some(other)) => {
                return self.fail(
                    cx,
                    b.pos,
                    format!("a sum over all of {}: theorist unrolls sums over `Fin n` and finite sets of known size", other.describe()),
                )
            }
            (None, None) => match self
                .index_from_use(&name, body, cx)
                .or_else(|| self.index_by_probe(&name, body, cx))
            {
                Some(n) => self.fin_range(n, cx, b.pos)?,
                None => {
                    return self.fail(
                        cx,
                        b.pos,
                        format!("the index type of `{}` is not written and theorist does not infer it here: write `{} {name} : Fin n, …`", if op == BigOp::Sum { "∑" } else { "∏" }, if op == BigOp::Sum { "∑" } else { "∏" }),
                    )
                }
            },
        };
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
        // An empty sum has the type its body would have: read it at a sample index.
        if values.is_empty() && want.is_none() {
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
                locals: cx.locals.push(&name, sample),
                ..cx.clone()
            };
            let ty = self.arith(body, &inner, None)?.ty();
            return Ok(Val::Num(Expr::lit(
                ty,
                if op == BigOp::Sum { 0 } else { 1 },
            )));
        }
        let mut terms = Vec::with_capacity(values.len());
        for v in values {
            let inner = Cx {
                locals: cx.locals.push(&name, v),
                ..cx.clone()
            };
            terms.push(self.arith(body, &inner, want)?);
        }
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
            Kind::App(f, args) => (
                f,
                args.iter()
                    .filter_map(|a| match a {
                        Arg::Pos(t) => Some(t),
                        Arg::Named(..) => None,
                    })
                    .collect(),
            ),
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
        let closed = |this: &mut Self, t: &Term, ty: Ty| -> R<i64> {
            let e = this.arith(t, cx, Some(ty))?;
            match int_value(&e) {
                Some(v) => Ok(v),
                None => this.fail(
                    cx,
                    t.pos,
                    "a bound that is not a closed number: theorist unrolls only sums of known length",
                ),
            }
        };
        let (ty, lo, hi) = match (builtin, args.as_slice()) {
            (Some(Builtin::FinsetRange), [n]) => (Ty::Nat, 0, closed(self, n, Ty::Nat)? - 1),
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
                        )
                    }
                };
                if !ty.is_integral() {
                    return self.fail(cx, set.pos, "an interval of non-integers as an index set");
                }
                let (a, b) = (closed(self, a, ty)?, closed(self, b, ty)?);
                (ty, if lower { a } else { a + 1 }, if upper { b } else { b - 1 })
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

    /// `(0 : S)`: Lean's instance search tries the most recent instance first, so an
    /// `OfNat S 0` instance of the sources wins over Mathlib's `Zero.toOfNat0` (which reads
    /// a `Zero S` instance).
    fn zero_instance(&mut self, s: &str, cx: &Cx, pos: Pos) -> R<Val> {
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
    fn call(
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
        let mut inner = Cx {
            locals: c.locals.clone(),
            scope: c.scope.clone(),
            file: c.file,
            level: cx.level,
            owner: Some(c.clone()),
        };
        let mut positional = args
            .iter()
            .filter_map(|a| match a {
                Arg::Pos(t) => Some(t),
                Arg::Named(..) => None,
            })
            .collect::<Vec<_>>()
            .into_iter();
        let named: Vec<(&String, &Term)> = args
            .iter()
            .filter_map(|a| match a {
                Arg::Named(n, t) => Some((n, t)),
                Arg::Pos(_) => None,
            })
            .collect();
        let mut k = 0;
        while k < c.params.len() {
            let p = &c.params[k];
            let given = named
                .iter()
                .find(|(n, _)| **n == p.name)
                .map(|(_, t)| *t)
                .or_else(|| {
                    if p.kind == BinderKind::Explicit {
                        positional.next()
                    } else {
                        None
                    }
                });
            let given_default =
                if given.is_none() && p.kind == BinderKind::Explicit && positional.len() == 0 {
                    p.default.as_ref()
                } else {
                    None
                };
            if let Some(d) = given_default {
                // An optional parameter (`(d : ℕ := 3)`): its default, read where it was declared.
                let ty = match &p.ty {
                    Some(t) => Some(self.elab(t, &inner, None)?),
                    None => None,
                };
                let v = match &ty {
                    Some(Val::Type(TyVal::Num(n))) => Val::Num(self.arith(d, &inner, Some(*n))?),
                    _ => self.elab(d, &inner, None)?,
                };
                inner.locals = inner.locals.push(&p.name, v);
                k += 1;
                continue;
            }
            let Some(arg) = given else {
                if p.kind == BinderKind::Explicit {
                    // Partial application: the rest is a function.
                    let rest = Closure {
                        params: c.params[k..].to_vec(),
                        locals: inner.locals.clone(),
                        ..Closure::clone(c)
                    };
                    return Ok(Val::Fun(Rc::new(rest)));
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
                k += 1;
                continue;
            };
            let ty = match &p.ty {
                Some(t) => Some(self.elab(t, &inner, None)?),
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
            let v = match (&ty, &p.pattern) {
                (Some(Val::Type(TyVal::Num(n))), _) => Val::Num(self.arith(arg, cx, Some(*n))?),
                (Some(Val::Type(TyVal::Fin(n))), _) => Val::Fin(self.fin_value(arg, *n, cx)?, *n),
                (Some(Val::Type(t)), _) => self.elab_at(arg, cx, t)?,
                (Some(Val::Prop(_)), _) => Val::Opaque("a proof".into()),
                _ => self.elab(arg, cx, None)?,
            };
            inner.locals = self.bind_param(p, v, inner.locals.clone(), cx, arg.pos)?;
            k += 1;
        }
        let rest: Vec<Arg> = positional.cloned().map(Arg::Pos).collect();
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
        let result = self.body(c, &inner, if rest.is_empty() { expect } else { None });
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
            self.apply(v, &rest, cx, expect, pos)
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
    fn construct(
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
    fn update(
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
    fn project(&mut self, v: Val, f: &str, cx: &Cx, pos: Pos) -> R<Val> {
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
            let c = Closure {
                name: full.clone(),
                params: Vec::new(),
                body: ClosureBody::Builtin(item.builtin, full.clone()),
                locals: Locals::default(),
                scope: cx.scope.clone(),
                ret: None,
                file: cx.file,
                pos,
            };
            let _ = c;
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

    // ---- norms, vectors and fields --------------------------------------------------------

    fn norm(&mut self, v: Val, cx: &Cx, pos: Pos) -> R<Expr> {
        match v {
            Val::Vector(r) => self.norm_of(&r, cx, pos),
            Val::Complex(re, im) => Ok(self.complex_norm(re, im)),
            Val::Euclid(elems) => Ok(euclid::norm(&elems)),
            Val::CEuclid(elems) => Ok(euclid::complex_norm(&elems)),
            Val::Num(e) => {
                let ty = e.ty();
                if ty == Ty::Nat {
                    let what = "`‖·‖` of a natural number";
                    if !self.in_statement {
                        return self.fail(cx, pos, what);
                    }
                    // Perhaps an untyped binder whose type a later use decides.
                    self.deferred.get_or_insert(Fail {
                        file: cx.file,
                        pos,
                        what: what.into(),
                    });
                    return Ok(Expr::Cast(Ty::Nat, Ty::Real, Box::new(e)));
                }
                // `‖x‖ = |x|` on ℤ, ℚ, ℝ (`Real.norm_eq_abs`); the result is real.
                let a = Expr::Abs(ty, Box::new(e));
                Ok(if ty == Ty::Real {
                    a
                } else {
                    Expr::Cast(ty, Ty::Real, Box::new(a))
                })
            }
            other => self.fail(cx, pos, format!("`‖·‖` of {}", other.describe())),
        }
    }

    /// The norm variable of a vector (created on first use).
    fn norm_of(&mut self, r: &VecRef, cx: &Cx, pos: Pos) -> R<Expr> {
        let (display, binders, why) = match r {
            VecRef::Zero => return Ok(Expr::lit(Ty::Real, 0)),
            VecRef::Comb(terms) => return self.norm_terms(terms, cx, pos),
            VecRef::Var { id, display, ty } => (
                format!("‖{display}‖"),
                vec![*id],
                format!(
                    "`{display} : {ty}` is used only through `‖{display}‖`, and the norm of {ty} takes every value in [0, ∞) (scale any unit vector), so quantifying over `{display}` is quantifying over `‖{display}‖ ≥ 0`"
                ),
            ),
            VecRef::At { field, point } => {
                if self.levels.get(&field.id) != self.levels.get(&point.id) {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "`{} {}`: the field and the point are bound by different quantifiers, so `‖{} {}‖` does not range over all of [0, ∞) independently",
                            field.display, point.display, field.display, point.display
                        ),
                    );
                }
                if let Some(other) = self.norms.iter().find(|n| {
                    n.binders.first() == Some(&field.id) && n.binders.get(1) != Some(&point.id)
                }) {
                    return self.fail(
                        cx,
                        pos,
                        format!(
                            "the field `{}` is used at two points (`{}` and `{} {}`): theorist reduces a field only when it is used at one point",
                            field.display, other.what, field.display, point.display
                        ),
                    );
                }
                let value = match &field.ty {
                    TyVal::Field { value, .. } => value.describe(),
                    _ => "its fiber".into(),
                };
                (
                    format!("‖{} {}‖", field.display, point.display),
                    vec![field.id, point.id],
                    format!(
                        "`{f}` (a smooth section of a trivial bundle with fiber {value}) and `{p}` are used only through `‖{f} {p}‖`; constant sections take every value of {value}, whose norm takes every value in [0, ∞), so quantifying over `{f}` and `{p}` is quantifying over `‖{f} {p}‖ ≥ 0`",
                        f = field.display,
                        p = point.display
                    ),
                )
            }
        };
        if let Some(n) = self.norms.iter().find(|n| n.binders == binders) {
            return Ok(Expr::Var(Ty::Real, n.name.clone()));
        }
        let name = self.unique(&display);
        self.norms.push(NormVar {
            name: name.clone(),
            binders,
            what: display,
            why,
        });
        Ok(Expr::Var(Ty::Real, name))
    }

    // ---- sets, quantifiers, functions -----------------------------------------------------

    /// `x ∈ s` for the sets theorist reads.
    fn membership(&mut self, x: &Term, s: &Term, cx: &Cx) -> R<Prop> {
        let xv = self.elab(x, cx, None)?;
        match xv {
            Val::Num(e) => self.member(e, s, cx),
            other => self.fail(cx, x.pos, format!("`∈` for {}", other.describe())),
        }
    }

    /// The proposition `e ∈ s`.
    fn member(&mut self, e: Expr, s: &Term, cx: &Cx) -> R<Prop> {
        let ty = e.ty();
        let s = s.unparen();
        let (head, args): (&Term, Vec<&Term>) = match &s.kind {
            Kind::App(f, args) => (
                f,
                args.iter()
                    .filter_map(|a| match a {
                        Arg::Pos(t) => Some(t),
                        Arg::Named(..) => None,
                    })
                    .collect(),
            ),
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
    fn quantifier(
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
            if b.tuple_pattern {
                return self.fail(cx, b.pos, "a pattern in a quantifier");
            }
            let ty = match &b.ty {
                Some(t) => match self.elab(t, &inner, None)? {
                    Val::Type(t) => Some(t),
                    Val::Prop(p) => {
                        // `∀ (h : P), Q` is `P → Q`; `∃ (h : P), Q` is `P ∧ Q`.
                        for (n, _) in &b.names {
                            premises.push(p.clone());
                            inner.locals = inner.locals.push(n, Val::Opaque("a proof".into()));
                        }
                        continue;
                    }
                    other => {
                        return self.fail(
                            cx,
                            t.pos,
                            format!("a binder of type {}", other.describe()),
                        );
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
                let (val, mut new_vars, mut new_hyps) = self.intro(n, *npos, &t, &inner)?;
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
                    let p = match op {
                        Op::Mem | Op::NotMem => {
                            let Val::Num(e) = val.clone() else {
                                return self.fail(cx, *npos, "`∈` for a non-number binder");
                            };
                            let m = self.member(e, rhs, &inner)?;
                            if *op == Op::Mem {
                                m
                            } else {
                                Prop::Not(Box::new(m))
                            }
                        }
                        _ => {
                            let Some(rel) = rel_of(*op) else {
                                return self.fail(
                                    cx,
                                    *npos,
                                    "a binder predicate theorist does not read",
                                );
                            };
                            self.relation(rel, &lhs, rhs, &inner, *npos)?
                        }
                    };
                    premises.push(p);
                }
            }
        }
        let body = self.elab_prop(body, &inner)?;
        // Norm variables of this quantifier's binders are bound here.
        let ids: Vec<usize> = self
            .levels
            .iter()
            .filter(|(_, l)| **l == level)
            .map(|(id, _)| *id)
            .collect();
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
        // Gram entries are bound by the innermost quantifier of their two vectors (the first
        // to close), with Cauchy–Schwarz as a premise.
        for g in self.grams.iter_mut() {
            if !g.bound && (ids.contains(&g.first) || ids.contains(&g.second)) {
                g.bound = true;
                vars.extend(g.vars());
                premises.insert(0, g.constraint());
            }
        }
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

    /// `fun x => e`, `fun (x : ℝ) => e`, `fun (φ, x) => e`.
    fn lambda(&mut self, binders: &[Binder], body: &Term, cx: &Cx) -> R<Closure> {
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

    /// `IsMinOn f s a` is `∀ y ∈ s, f a ≤ f y` (`isMinOn_iff`); `IsMaxOn` flips the
    /// comparison. The points `y` range over `f`'s domain type: over `ℕ` they are naturals.
    fn is_min_on(&mut self, max: bool, f: &Term, s: &Term, a: &Term, cx: &Cx, pos: Pos) -> R<Val> {
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
    fn call_value(&mut self, c: &Rc<Closure>, v: Val, cx: &Cx, pos: Pos) -> R<Val> {
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

/// Where a structure's field types are read: the structure's own scope, no locals yet (the
/// fields are added as they are given).
fn fields_cx(info: &StructInfo, cx: &Cx) -> Cx {
    Cx {
        locals: Locals::default(),
        scope: info.scope.clone(),
        file: info.scope.file,
        level: cx.level,
        owner: cx.owner.clone(),
    }
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

fn lambda_body(c: &Closure) -> Option<&Term> {
    match &c.body {
        ClosureBody::Term(t) => Some(t),
        _ => None,
    }
}

/// The value of a closed ℕ expression (literals, `+`, `*`, truncated `-`, `/`, `%`, powers).
fn nat_value(e: &Expr) -> Option<u64> {
    if e.ty() != Ty::Nat {
        return None;
    }
    let v = int_value(e)?;
    u64::try_from(v).ok()
}

/// The value of a closed ℕ or ℤ expression, if small.
fn int_value(e: &Expr) -> Option<i64> {
    let ty = e.ty();
    if !ty.is_integral() {
        return None;
    }
    let v = match e {
        Expr::Lit(_, q) => {
            if !q.is_integer() {
                return None;
            }
            q.numer().to_i64()?
        }
        Expr::Neg(_, a) => int_value(a)?.checked_neg()?,
        Expr::Add(_, xs) => xs
            .iter()
            .try_fold(0i64, |acc, x| acc.checked_add(int_value(x)?))?,
        Expr::Mul(_, xs) => xs
            .iter()
            .try_fold(1i64, |acc, x| acc.checked_mul(int_value(x)?))?,
        Expr::Sub(_, a, b) => (int_value(a)? - int_value(b)?).max(0),
        Expr::Div(_, a, b) => {
            let (a, b) = (int_value(a)?, int_value(b)?);
            if b == 0 { 0 } else { a.div_euclid(b) }
        }
        Expr::Mod(_, a, b) => {
            let (a, b) = (int_value(a)?, int_value(b)?);
            if b == 0 { a } else { a.rem_euclid(b) }
        }
        Expr::Pow(_, a, n) => int_value(a)?.checked_pow(*n)?,
        Expr::Cast(from, _, a) if from.is_integral() => int_value(a)?,
        _ => return None,
    };
    // ℕ values are never negative.
    if ty == Ty::Nat && v < 0 {
        return None;
    }
    Some(v)
}

/// Calls `f` on every application `f args` in `t`, except under binders that rebind `name`.
fn visit_apps(t: &Term, name: &str, f: &mut dyn FnMut(&Term, &[Arg])) {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if let Kind::App(h, args) = &t.kind {
            f(h, args);
        }
        if !binds(t, name) {
            stack.extend(term_children(t));
        }
    }
}

/// `n` of `Fin n`, when a literal.
fn fin_size(t: &Term) -> Option<u64> {
    match &t.unparen().kind {
        Kind::App(f, args) if f.ident() == Some("Fin") && args.len() == 1 => match &args[0] {
            Arg::Pos(Term {
                kind: Kind::Nat(n), ..
            }) => n.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `Real`'s scoped notation (`π`) is in force.
fn real_open(scope: &Scope) -> bool {
    scope.opens.iter().any(|o| o == "Real")
        || scope.scoped_opens.iter().any(|o| o == "Real")
        || scope.namespace.first().is_some_and(|n| n == "Real")
}

/// `a + b` flattened.
fn add(ty: Ty, a: Expr, b: Expr) -> Expr {
    let mut items = match a {
        Expr::Add(t, xs) if t == ty => xs,
        other => vec![other],
    };
    match b {
        Expr::Add(t, xs) if t == ty => items.extend(xs),
        other => items.push(other),
    }
    Expr::Add(ty, items)
}

fn mul(ty: Ty, a: Expr, b: Expr) -> Expr {
    let mut items = match a {
        Expr::Mul(t, xs) if t == ty => xs,
        other => vec![other],
    };
    items.push(b);
    Expr::Mul(ty, items)
}

/// `-a`, with literals folded (`-3` is the literal `-3`).
fn negate(ty: Ty, a: Expr) -> Expr {
    match a {
        Expr::Lit(t, q) if t != Ty::Nat => Expr::Lit(t, -q),
        other => Expr::Neg(ty, Box::new(other)),
    }
}

/// The head constant of a type term (`Potential` in `Potential`, `Foo` in `Foo n`).
fn head_name(t: &Term) -> Option<String> {
    match &t.unparen().kind {
        Kind::Ident(n) => Some(n.clone()),
        Kind::App(f, _) => head_name(f),
        _ => None,
    }
}

/// Every identifier (and each dotted name's first component) in a term.
pub fn idents(t: &Term, out: &mut HashSet<String>) {
    let mut stack = vec![t];
    while let Some(t) = stack.pop() {
        if let Kind::Ident(n) | Kind::Explicit(n) = &t.kind {
            out.insert(n.clone());
            if let Some((first, _)) = n.split_once('.') {
                out.insert(first.to_string());
            }
        }
        stack.extend(term_children(t));
    }
}

/// The direct sub-terms of a term (binder types and predicates included).
fn term_children(t: &Term) -> Vec<&Term> {
    let mut out = Vec::new();
    match &t.kind {
        Kind::App(f, args) => {
            out.push(&**f);
            for a in args {
                match a {
                    Arg::Pos(x) | Arg::Named(_, x) => out.push(x),
                }
            }
        }
        Kind::Binop(_, a, b) | Kind::Ascribe(a, b) => {
            out.push(&**a);
            out.push(&**b);
        }
        Kind::Neg(a)
        | Kind::Not(a)
        | Kind::Coe(a)
        | Kind::Inv(a)
        | Kind::Paren(a)
        | Kind::Abs(a)
        | Kind::Norm(a)
        | Kind::Floor(a)
        | Kind::Ceil(a)
        | Kind::Proj(a, _) => out.push(&**a),
        Kind::Tuple(xs) | Kind::Anon(xs) | Kind::VecLit(xs) => out.extend(xs.iter()),
        Kind::StructInst(fs) => out.extend(fs.iter().map(|(_, t)| t)),
        Kind::MatrixLit(rows) => out.extend(rows.iter().flatten()),
        Kind::StructUpdate(base, fs) => {
            out.push(&**base);
            out.extend(fs.iter().map(|(_, t)| t));
        }
        Kind::Fun(bs, body)
        | Kind::Forall(bs, body)
        | Kind::Exists(bs, body)
        | Kind::ExistsUnique(bs, body) => {
            for b in bs {
                out.extend(b.ty.iter());
                out.extend(b.pred.iter().map(|(_, t)| t));
            }
            out.push(&**body);
        }
        Kind::SetOf(b, body) | Kind::BigOp(_, b, body) => {
            out.extend(b.ty.iter());
            out.extend(b.pred.iter().map(|(_, t)| t));
            out.push(&**body);
        }
        Kind::If(a, b, c) => {
            out.push(&**a);
            out.push(&**b);
            out.push(&**c);
        }
        Kind::Match(m) => {
            let (scrutinees, arms) = &**m;
            out.extend(scrutinees.iter());
            out.extend(arms.iter().map(|a| &a.body));
        }
        _ => {}
    }
    out
}

/// Whether `t` binds `name` for its body.
fn binds(t: &Term, name: &str) -> bool {
    let has = |b: &Binder| b.names.iter().any(|(n, _)| n == name);
    match &t.kind {
        Kind::Fun(bs, _)
        | Kind::Forall(bs, _)
        | Kind::Exists(bs, _)
        | Kind::ExistsUnique(bs, _) => bs.iter().any(has),
        Kind::SetOf(b, _) | Kind::BigOp(_, b, _) => has(b),
        _ => false,
    }
}

/// Constructors of core types that `open` brings into scope under a bare name: a pattern
/// with one of these names may match rather than bind.
const MAYBE_CONSTRUCTORS: &[&str] = &[
    "zero", "succ", "none", "some", "true", "false", "nil", "cons", "inl", "inr", "unit", "mk",
    "ofNat", "negSucc", "refl", "intro",
];

/// Whether `name` is `Sum.inl` (false) or `Sum.inr` (true), written in full or as `.inl`.
fn injection_side(name: &str) -> Option<bool> {
    match name.strip_prefix("_root_.").unwrap_or(name) {
        "Sum.inl" | ".inl" => Some(false),
        "Sum.inr" | ".inr" => Some(true),
        _ => None,
    }
}

/// A short text of a term, for messages.
pub fn term_text(t: &Term) -> String {
    match &t.kind {
        Kind::Ident(n) => n.strip_prefix("_root_.").unwrap_or(n).to_string(),
        Kind::Nat(n) | Kind::Sci(n) => n.clone(),
        Kind::App(f, args) => {
            let mut s = term_text(f);
            for a in args {
                match a {
                    Arg::Pos(x) => {
                        let inner = term_text(x);
                        if matches!(x.kind, Kind::App(..) | Kind::Binop(..)) {
                            s.push_str(&format!(" ({inner})"));
                        } else {
                            s.push_str(&format!(" {inner}"));
                        }
                    }
                    Arg::Named(n, x) => s.push_str(&format!(" ({n} := {})", term_text(x))),
                }
            }
            s
        }
        Kind::Binop(op, a, b) => format!("{} {} {}", term_text(a), op.text(), term_text(b)),
        Kind::Paren(a) => format!("({})", term_text(a)),
        Kind::Neg(a) => format!("-{}", term_text(a)),
        Kind::Norm(a) => format!("‖{}‖", term_text(a)),
        Kind::Abs(a) => format!("|{}|", term_text(a)),
        _ => "…".into(),
    }
}
