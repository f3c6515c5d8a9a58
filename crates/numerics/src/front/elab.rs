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
mod closure;
mod complex;
mod deriv;
mod euclid;
mod matrix;
mod min_on;
mod quantifier;
mod real;
mod statement;
mod sums;
mod tree;
mod unitary;

use complex::Gram;

use super::env::{Body, DeclInfo, DeclKind, Env, ResolveError, Resolved, Scope, StructInfo};
use super::lex::Pos;
use super::prelude;
use super::syntax::{Arg, Binder, BinderKind, Kind, MatchArm, Op, Term};
use super::value::{Closure, ClosureBody, Locals, Param, TyVal, Val, VecRef};
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

    // ---- terms -----------------------------------------------------------------------

    /// Elaborates any term.
    pub fn elab(&mut self, t: &Term, cx: &Cx, expect: Option<&TyVal>) -> R<Val> {
        match &t.kind {
            Kind::Paren(e) => self.elab(e, cx, expect),
            Kind::Ident(n) if n.starts_with('.') => self.dot_constant(n, t.pos, cx, expect),
            Kind::Nat(k) => match self.numeral_of_expected(k, t.pos, cx, expect) {
                Some(v) => v,
                None => Ok(Val::Num(self.arith(t, cx, self.expected_number(expect))?)),
            },
            Kind::Neg(_) => self.arithmetic(t, cx, expect),
            Kind::Sci(_) | Kind::Abs(_) | Kind::Inv(_) | Kind::Coe(_) => {
                Ok(Val::Num(self.arith(t, cx, self.expected_number(expect))?))
            }
            Kind::Binop(op, a, b) => self.binop(*op, a, b, t, cx, expect),
            Kind::BigOp(op, b, body) => self.big_op(*op, b, body, cx, expect, t.pos),
            Kind::Match(m) => {
                let (scrutinees, arms) = &**m;
                let (body, inner) = self.match_arm(scrutinees, arms, cx, t.pos)?;
                self.elab(body, &inner, expect)
            }
            Kind::VecLit(items) => self.vector_literal(items, cx, expect, t.pos),
            Kind::Floor(a) | Kind::Ceil(a) => self.floor_or_ceil(t, a, cx),
            Kind::Not(a) => Ok(Val::Prop(Prop::Not(Box::new(self.elab_prop(a, cx)?)))),
            Kind::Norm(a) => {
                let v = self.elab(a, cx, None)?;
                Ok(Val::Num(self.norm(v, cx, a.pos)?))
            }
            Kind::Ident(_) | Kind::Explicit(_) => self.app(t, &[], cx, expect, t.pos),
            Kind::App(f, args) => self.app(f, args, cx, expect, t.pos),
            Kind::Ascribe(e, ty) => self.ascription(e, ty, cx),
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
            Kind::Anon(items) => self.anonymous_constructor(items, t.pos, cx, expect),
            Kind::StructInst(fields) => self.structure_instance(fields, t.pos, cx, expect),
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
            // A set used as a type is the subtype of its elements.
            Kind::SetOf(b, _) if b.ty.is_some() && !matches!(expect, Some(TyVal::Prop)) => {
                let base = self.elab_type(b.ty.as_ref().expect("checked"), cx)?;
                Ok(Val::Type(TyVal::Sub(Box::new(base))))
            }
            Kind::SetOf(..) => self.fail(cx, t.pos, "a set `{x | p}` outside `∈` or `IsMinOn`"),
            Kind::By
            | Kind::Sorry
            | Kind::Hole
            | Kind::Str(_)
            | Kind::Unsupported(_)
            | Kind::ExistsUnique(..) => self.outside_fragment(t, cx),
        }
    }

    /// `.c`: the constant `c` of the expected type's namespace.
    fn dot_constant(&mut self, n: &str, pos: Pos, cx: &Cx, expect: Option<&TyVal>) -> R<Val> {
        match expect {
            Some(TyVal::Struct(s)) => {
                let full = Term::new(Kind::Ident(format!("_root_.{s}{n}")), pos);
                self.elab(&full, cx, expect)
            }
            _ => self.fail(
                cx,
                pos,
                format!(
                    "`{n}` names a constant of its expected type, which theorist does not know here"
                ),
            ),
        }
    }

    /// A numeral whose expected type gives it a meaning of its own: an element of `Fin n`
    /// (modulo `n`, `Fin.ofNat`), a scalar matrix, the zero of a vector, field or structure
    /// type. `None` where it is an ordinary number.
    fn numeral_of_expected(
        &mut self,
        k: &str,
        pos: Pos,
        cx: &Cx,
        expect: Option<&TyVal>,
    ) -> Option<R<Val>> {
        Some(match expect {
            Some(TyVal::Fin(n)) => match (k.parse::<u64>(), *n) {
                (_, 0) => self.fail(cx, pos, "a numeral of `Fin 0`, which has no elements"),
                (Ok(k), n) => Ok(Val::Fin(k % n, n)),
                (Err(_), _) => self.fail(cx, pos, format!("the numeral `{k}` is too large")),
            },
            Some(TyVal::Matrix(m, n)) if m == n => {
                let Ok(k) = k.parse::<i64>() else {
                    return Some(self.fail(cx, pos, format!("the numeral `{k}` is too large")));
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
            Some(TyVal::Vector(v)) if k == "0" && v != "ℂ" => Ok(Val::Vector(VecRef::Zero)),
            Some(TyVal::Field { .. }) if k == "0" => Ok(Val::ZeroField),
            Some(TyVal::Struct(s)) if k == "0" => self.zero_instance(s, cx, pos),
            _ => return None,
        })
    }

    /// The number type arithmetic is read at where `expect` is expected: a number type, a
    /// meta's current type, or ℝ where ℂ is expected (a numeral, or arithmetic without
    /// complex leaves, is real there and cast).
    fn expected_number(&self, expect: Option<&TyVal>) -> Option<Ty> {
        match expect {
            Some(TyVal::Num(ty)) => Some(*ty),
            Some(TyVal::Vector(v)) if v == "ℂ" => Some(Ty::Real),
            Some(TyVal::Meta(m)) => Some(self.meta_ty(*m)),
            _ => None,
        }
    }

    /// An arithmetic term: matrix or complex arithmetic when one of its leaves is a matrix or
    /// a complex number, else a number tree at the expected number type.
    fn arithmetic(&mut self, t: &Term, cx: &Cx, expect: Option<&TyVal>) -> R<Val> {
        if self.is_matrix_tree(t, cx)? {
            return self.matrix_tree(t, cx);
        }
        if self.is_complex_tree(t, cx)? {
            return self.complex_tree(t, cx);
        }
        Ok(Val::Num(self.arith(t, cx, self.expected_number(expect))?))
    }

    /// `⌊a⌋` and `⌈a⌉`, of a field's element only.
    fn floor_or_ceil(&mut self, t: &Term, a: &Term, cx: &Cx) -> R<Val> {
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

    /// `(e : T)`: `e` read at type `T`.
    fn ascription(&mut self, e: &Term, ty: &Term, cx: &Cx) -> R<Val> {
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

    /// `⟨…⟩`: a subtype's value with its proof, or a structure from its fields in order.
    fn anonymous_constructor(
        &mut self,
        items: &[Term],
        pos: Pos,
        cx: &Cx,
        expect: Option<&TyVal>,
    ) -> R<Val> {
        match expect {
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
                self.construct(&s, items.iter().map(|i| (None, i)).collect(), cx, pos)
            }
            _ => self.fail(
                cx,
                pos,
                "an anonymous constructor `⟨…⟩` whose type theorist does not know here",
            ),
        }
    }

    /// `{ f := v, … }`: a structure value, or a section given by its function.
    fn structure_instance(
        &mut self,
        fields: &[(String, Term)],
        pos: Pos,
        cx: &Cx,
        expect: Option<&TyVal>,
    ) -> R<Val> {
        match expect {
            Some(TyVal::Struct(s)) => {
                let s = s.clone();
                self.construct(
                    &s,
                    fields.iter().map(|(n, v)| (Some(n.as_str()), v)).collect(),
                    cx,
                    pos,
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
                None => self.fail(cx, pos, "a section given without its `toFun`"),
            },
            _ => self.fail(
                cx,
                pos,
                "a structure instance whose type theorist does not know here",
            ),
        }
    }

    /// Terms outside theorist's fragment, named in the failure.
    fn outside_fragment(&self, t: &Term, cx: &Cx) -> R<Val> {
        match &t.kind {
            Kind::By => self.fail(cx, t.pos, "a tactic proof inside the statement"),
            Kind::Sorry => self.fail(cx, t.pos, "`sorry` inside the statement"),
            Kind::Hole => self.fail(cx, t.pos, "a hole `_` that Lean would have to infer"),
            Kind::Str(_) => self.fail(cx, t.pos, "a string"),
            Kind::Unsupported(what) => {
                self.fail(cx, t.pos, format!("{what} is not in theorist's fragment"))
            }
            Kind::ExistsUnique(..) => self.fail(cx, t.pos, "`∃!` is not in theorist's fragment"),
            _ => unreachable!("`elab` reads every other kind"),
        }
    }

    /// The exponent `n` of a power that is multiplied out (of a complex number, of a
    /// matrix: `what`): a numeral of at most `max`.
    fn numeral_exponent(&self, n: &Term, max: u32, what: &str, cx: &Cx) -> R<u32> {
        let k = match &n.unparen().kind {
            Kind::Nat(k) => k.parse::<u32>().ok().filter(|k| *k <= max),
            _ => None,
        };
        match k {
            Some(k) => Ok(k),
            None => self.fail(
                cx,
                n.pos,
                format!("a power of {what} whose exponent is not a numeral ≤ {max}"),
            ),
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
                self.arithmetic(t, cx, expect)
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

    // ---- names and application --------------------------------------------------------------

    /// `head args` (no arguments for a bare name): `(f a) b` is one application.
    fn app(
        &mut self,
        head: &Term,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        match &head.kind {
            Kind::Ident(name) => self.app_name(name, head.pos, args, cx, expect, pos),
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

    /// A name applied to arguments: a local (with trailing projections), `Sum.inl`/`Sum.inr`,
    /// `π` under `open Real`, or a global constant.
    fn app_name(
        &mut self,
        name: &str,
        head_pos: Pos,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
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
                    v = self.project(v, p, cx, head_pos)?;
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
        let resolved = self.resolve_global(name, head_pos, cx)?;
        if resolved.projections.is_empty() {
            return self.global(&resolved.full, args, cx, expect, pos);
        }
        let mut v = self.global(&resolved.full, &[], cx, None, head_pos)?;
        for p in &resolved.projections {
            v = self.project(v, p, cx, head_pos)?;
        }
        self.apply(v, args, cx, expect, pos)
    }

    /// The constant a name that is not a local stands for, or why there is none.
    fn resolve_global(&self, name: &str, pos: Pos, cx: &Cx) -> R<Resolved> {
        match self.env.resolve(name, &cx.scope) {
            Ok(Some(r)) => Ok(r),
            Ok(None) => {
                let hint = if name == "π" {
                    " (`π` is `Real.pi` only under `open Real`)"
                } else {
                    ""
                };
                self.fail(
                    cx,
                    pos,
                    format!(
                        "unknown identifier `{name}`{hint}: not a variable, a declaration of the sources read, or a Mathlib constant theorist knows"
                    ),
                )
            }
            Err(ResolveError::Ambiguous { name, candidates }) => self.fail(
                cx,
                pos,
                format!(
                    "ambiguous name `{name}`: it could be {} (Lean would report the ambiguity too)",
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ),
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

/// The positional arguments of an application (named ones are bound by name).
fn positional(args: &[Arg]) -> Vec<&Term> {
    args.iter()
        .filter_map(|a| match a {
            Arg::Pos(t) => Some(t),
            Arg::Named(..) => None,
        })
        .collect()
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
