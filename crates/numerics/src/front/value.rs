//! What terms elaborate to before they become core: numbers (core expressions), propositions,
//! structure values with their fields, vectors and fields known only through their norms,
//! functions (lambdas and partially applied definitions, closed over their scope), types.

use std::rc::Rc;
use std::sync::Arc;

use super::env::Scope;
use super::lex::Pos;
use super::prelude::Builtin;
use super::syntax::{BinderKind, Term};
use crate::core::{Expr, Prop, Ty};

/// A type, as far as theorist models it.
#[derive(Debug, Clone, PartialEq)]
pub enum TyVal {
    Num(Ty),
    Prop,
    /// A structure of the sources, by full name.
    Struct(String),
    /// A normed space whose norm takes every value in `[0, ∞)` (`ℂ`, `EuclideanSpace 𝕜 (Fin n)`
    /// with `n ≥ 1`): the text says which.
    Vector(String),
    /// Smooth sections of a trivial bundle (PhysLean's `HiggsField`): `point` the base,
    /// `value` the fiber; `name` the type's full name (for dot notation).
    Field {
        name: String,
        point: Box<TyVal>,
        value: Box<TyVal>,
    },
    /// `Bundle.Trivial B F`.
    Bundle(Box<TyVal>, Box<TyVal>),
    /// An inhabited type whose elements are only ever arguments of fields (spacetime points).
    Point(String),
    Prod(Vec<TyVal>),
    /// `{x : T // p x}` (and a set `{x : T | p x}` used as a type): its values are values of
    /// `T` (the proof is not needed to compute with them).
    Sub(Box<TyVal>),
    /// `Fin n` for a literal `n`.
    Fin(u64),
    /// `Fin m ⊕ Fin n` for literal `m`, `n` (PhysLean indexes the Gram vector by
    /// `Fin 1 ⊕ Fin 3`).
    FinSum(u64, u64),
    /// `Fin n → T` for a number type `T`: a finite family of numbers.
    FinFun(u64, Ty),
    /// `Matrix (Fin m) (Fin n) ℝ`: rows, columns.
    Matrix(u64, u64),
    /// `Matrix.unitaryGroup (Fin n) ℂ`.
    Unitary(u64),
    /// `Quotient s` for a setoid on the given type: its elements are read as representatives.
    Quot(Box<TyVal>),
    /// An untyped binder's number type, inferred from its uses.
    Meta(usize),
    Sort,
    /// A type theorist does not model, by its text.
    Other(String),
}

impl TyVal {
    pub fn describe(&self) -> String {
        match self {
            TyVal::Num(t) => t.symbol().to_string(),
            TyVal::Prop => "Prop".into(),
            TyVal::Struct(s) => s.clone(),
            TyVal::Vector(s) | TyVal::Point(s) => s.clone(),
            TyVal::Field { name, .. } => name.clone(),
            TyVal::Bundle(b, f) => format!("Bundle.Trivial {} {}", b.describe(), f.describe()),
            TyVal::Prod(ts) => ts
                .iter()
                .map(|t| t.describe())
                .collect::<Vec<_>>()
                .join(" × "),
            TyVal::Sub(t) => format!("a subtype of {}", t.describe()),
            TyVal::Fin(n) => format!("Fin {n}"),
            TyVal::FinSum(m, n) => format!("Fin {m} ⊕ Fin {n}"),
            TyVal::FinFun(n, t) => format!("Fin {n} → {}", t.symbol()),
            TyVal::Matrix(m, n) => format!("Matrix (Fin {m}) (Fin {n}) ℝ"),
            TyVal::Unitary(n) => format!("Matrix.unitaryGroup (Fin {n}) ℂ"),
            TyVal::Quot(t) => format!("a quotient of {}", t.describe()),
            TyVal::Meta(_) => "_".into(),
            TyVal::Sort => "Type".into(),
            TyVal::Other(s) => s.clone(),
        }
    }
}

/// A vector whose only observable is its norm.
#[derive(Debug, Clone, PartialEq)]
pub enum VecRef {
    /// A bound vector variable (`id` unique per binder).
    Var {
        id: usize,
        display: String,
        ty: String,
    },
    Zero,
    /// A field's value at a point.
    At {
        field: Rc<Bound>,
        point: Rc<Bound>,
    },
    /// A linear combination `Σ cₖ • vₖ` of vector variables with complex coefficients
    /// (`Complex.I • Φ`, `Φ₁ - Φ₂`): read through norms and inner products, which expand into
    /// the variables' Gram entries. The bases are `Var`s, each at most once.
    Comb(Rc<Vec<CombTerm>>),
}

/// One term `c • v` of a [`VecRef::Comb`]: the coefficient's real and imaginary parts (real
/// expressions) and the vector variable.
#[derive(Debug, Clone, PartialEq)]
pub struct CombTerm {
    pub re: Expr,
    pub im: Expr,
    pub base: VecRef,
}

/// A bound field or point variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub id: usize,
    pub display: String,
    pub ty: TyVal,
}

#[derive(Debug, Clone)]
pub struct StructVal {
    pub ty: String,
    pub fields: Vec<(String, Val)>,
}

/// A parameter still to be given.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub ty: Option<Term>,
    /// `fun (φ, x) => …`.
    pub pattern: Option<Vec<String>>,
    pub kind: BinderKind,
    pub default: Option<Term>,
}

#[derive(Debug, Clone)]
pub enum ClosureBody {
    Term(Term),
    Fields(Vec<(String, Term)>),
    /// A definition whose body is not read: applying it fails with this reason.
    Unreadable(String, Pos),
    Builtin(Builtin, String),
}

/// A function: remaining parameters, body, and the environment it closes over.
#[derive(Debug, Clone)]
pub struct Closure {
    pub name: String,
    pub params: Vec<Param>,
    pub body: ClosureBody,
    pub locals: Locals,
    pub scope: Arc<Scope>,
    /// The declared result type.
    pub ret: Option<Term>,
    pub file: usize,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Val {
    Num(Expr),
    Prop(Prop),
    Struct(Rc<StructVal>),
    Vector(VecRef),
    Field(Rc<Bound>),
    /// The zero field (`0 : HiggsField`): zero at every point.
    ZeroField,
    Point(Rc<Bound>),
    Fun(Rc<Closure>),
    Type(TyVal),
    Tuple(Vec<Val>),
    /// The element `k` of `Fin n`: `Fin(k, n)`.
    Fin(u64, u64),
    /// `Sum.inl k` (`right` false) or `Sum.inr k` of `Fin m ⊕ Fin n`.
    Inj {
        right: bool,
        k: u64,
        m: u64,
        n: u64,
    },
    /// A vector of `EuclideanSpace ℝ (Fin n)` read through its components (it is applied to
    /// an index somewhere): `‖v‖ = √(Σ vᵢ²)`.
    Euclid(Rc<Vec<Expr>>),
    /// A vector of `EuclideanSpace ℂ (Fin n)` written by its components (`!₂[√a, 0]`), each as
    /// its real and imaginary parts: read through its norm.
    CEuclid(Rc<Vec<(Expr, Expr)>>),
    /// A family `Fin n → T` of numbers (a binder `v : Fin 3 → ℝ` is three variables).
    Family(Rc<Vec<Expr>>),
    /// A value theorist does not model; using it fails with this reason.
    Opaque(Rc<str>),
    /// A complex number, as its real and imaginary parts (real expressions).
    Complex(Expr, Expr),
    /// A real matrix, row by row.
    Matrix(Rc<Vec<Vec<Expr>>>),
    /// A complex matrix, row by row, each entry its real and imaginary parts.
    CMatrix(Rc<Vec<Vec<(Expr, Expr)>>>),
}

impl Val {
    pub fn describe(&self) -> &'static str {
        match self {
            Val::Num(_) => "a number",
            Val::Prop(_) => "a proposition",
            Val::Struct(_) => "a structure value",
            Val::Vector(_) => "a vector",
            Val::Field(_) | Val::ZeroField => "a field",
            Val::Point(_) => "a point",
            Val::Fun(_) => "a function",
            Val::Type(_) => "a type",
            Val::Tuple(_) => "a tuple",
            Val::Fin(..) => "an element of a `Fin n`",
            Val::Family(_) => "a finite family of numbers",
            Val::Inj { .. } => "an element of a `Fin m ⊕ Fin n`",
            Val::Euclid(_) => "a vector of a real Euclidean space",
            Val::CEuclid(_) => "a vector of a complex Euclidean space written by components",
            Val::Opaque(_) => "a value theorist does not model",
            Val::Complex(..) => "a complex number",
            Val::Matrix(_) => "a matrix",
            Val::CMatrix(_) => "a complex matrix",
        }
    }
}

/// Local variables: a persistent list, innermost first, cheap to capture in closures.
#[derive(Debug, Clone, Default)]
pub struct Locals(Option<Rc<LocalNode>>);

#[derive(Debug)]
pub struct LocalNode {
    name: String,
    val: Val,
    next: Locals,
}

impl Locals {
    pub fn push(&self, name: &str, val: Val) -> Locals {
        Locals(Some(Rc::new(LocalNode {
            name: name.to_string(),
            val,
            next: self.clone(),
        })))
    }

    /// An identity for this list (equal lists share it), for caches.
    pub fn id(&self) -> usize {
        self.0.as_ref().map_or(0, |n| Rc::as_ptr(n) as usize)
    }

    pub fn get(&self, name: &str) -> Option<&Val> {
        let mut cur = self;
        while let Some(node) = &cur.0 {
            if node.name == name {
                return Some(&node.val);
            }
            cur = &node.next;
        }
        None
    }
}
