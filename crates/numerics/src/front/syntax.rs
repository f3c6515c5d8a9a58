//! Lean's surface syntax, as the term parser reads it: what was written, with positions, before
//! any name is resolved or any type is known. Notations are already expanded (their
//! right-hand sides carry identifiers pre-resolved where the notation was declared).

use super::lex::Pos;

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub kind: Kind,
    pub pos: Pos,
}

/// Binary operators of the term grammar (arithmetic, relations, connectives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    SMul,
    Comp,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Mem,
    NotMem,
    Subset,
    Dvd,
    And,
    Or,
    Imp,
    Iff,
    Prod,
    /// `α ⊕ β` (a sum type).
    SumType,
}

impl Op {
    pub fn text(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Mod => "%",
            Op::Pow => "^",
            Op::SMul => "•",
            Op::Comp => "∘",
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Mem => "∈",
            Op::NotMem => "∉",
            Op::Subset => "⊆",
            Op::Dvd => "∣",
            Op::And => "∧",
            Op::Or => "∨",
            Op::Imp => "→",
            Op::Iff => "↔",
            Op::Prod => "×",
            Op::SumType => "⊕",
        }
    }

    pub fn is_relation(self) -> bool {
        matches!(self, Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BigOp {
    Sum,
    Prod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinderKind {
    Explicit,
    Implicit,
    StrictImplicit,
    Instance,
}

/// One binder group: `(x y : ℝ)`, `{x}`, `[Fact p]`, `x > 0` (a binder predicate), or a
/// pattern `(φ, x)` of `fun`.
#[derive(Debug, Clone, PartialEq)]
pub struct Binder {
    pub names: Vec<(String, Pos)>,
    pub ty: Option<Term>,
    pub kind: BinderKind,
    /// `∀ x > 0, …`, `∃ x ∈ s, …`: the relation and its right-hand side.
    pub pred: Option<(Op, Term)>,
    /// `fun (φ, x) => …`: the names are the pattern's variables in order.
    pub tuple_pattern: bool,
    /// `(x : ℝ := 0)`: a default value (an optional parameter).
    pub default: Option<Term>,
    pub pos: Pos,
}

/// One arm of a `match`: a pattern per scrutinee, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchArm {
    pub patterns: Vec<Term>,
    pub body: Term,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Pos(Term),
    Named(String, Term),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A name as written (dotted), or pre-resolved by a notation (`_root_.` prefix).
    Ident(String),
    /// `@f`: explicit mode.
    Explicit(String),
    Nat(String),
    Sci(String),
    Str(String),
    Hole,
    /// `f a b`.
    App(Box<Term>, Vec<Arg>),
    Binop(Op, Box<Term>, Box<Term>),
    Neg(Box<Term>),
    Not(Box<Term>),
    /// `↑e` (and `⇑e`).
    Coe(Box<Term>),
    /// `e⁻¹`.
    Inv(Box<Term>),
    Paren(Box<Term>),
    Tuple(Vec<Term>),
    /// `(e : T)`.
    Ascribe(Box<Term>, Box<Term>),
    /// `⟨a, b⟩`.
    Anon(Vec<Term>),
    /// `{ x := 1, y := 2 }` (and `where` bodies).
    StructInst(Vec<(String, Term)>),
    /// `!![a, b; c, d]`: a matrix, row by row.
    MatrixLit(Vec<Vec<Term>>),
    /// `!₂[a, b]`: a vector of `EuclideanSpace 𝕜 (Fin n)` by its components.
    VecLit(Vec<Term>),
    /// `{ s with x := 1 }`.
    StructUpdate(Box<Term>, Vec<(String, Term)>),
    Fun(Vec<Binder>, Box<Term>),
    Forall(Vec<Binder>, Box<Term>),
    Exists(Vec<Binder>, Box<Term>),
    ExistsUnique(Vec<Binder>, Box<Term>),
    Abs(Box<Term>),
    Norm(Box<Term>),
    Floor(Box<Term>),
    Ceil(Box<Term>),
    /// `{x | p}`, `{x : T | p}`.
    SetOf(Box<Binder>, Box<Term>),
    /// `∑ i, f i`, `∑ i ∈ s, f i`, `∑ i : Fin n, f i`.
    BigOp(BigOp, Box<Binder>, Box<Term>),
    If(Box<Term>, Box<Term>, Box<Term>),
    /// `match a, b with | p, q => e | …` (and a definition by equations, read as a `fun`
    /// whose body is one).
    /// (Boxed: a `Term` stays small, so deep nesting stays within the stack.)
    Match(Box<(Vec<Term>, Vec<MatchArm>)>),
    /// `e.f` for a term `e` that is not a name (`(f x).val`, `p.1`).
    Proj(Box<Term>, String),
    /// A tactic block or other proof term theorist does not read.
    By,
    /// `sorry`.
    Sorry,
    /// `Type`, `Prop`, `Sort u`.
    Sort(String),
    /// A `notation` use whose right-hand side is not a term theorist reads.
    Unsupported(String),
}

impl Term {
    pub fn new(kind: Kind, pos: Pos) -> Term {
        Term { kind, pos }
    }

    /// The name, when the term is an identifier.
    pub fn ident(&self) -> Option<&str> {
        match &self.kind {
            Kind::Ident(s) => Some(s),
            _ => None,
        }
    }

    /// Strips parentheses.
    pub fn unparen(&self) -> &Term {
        let mut t = self;
        while let Kind::Paren(inner) = &t.kind {
            t = inner;
        }
        t
    }
}
