//! The typed core: what a Lean statement means, once, for every engine. Every number carries
//! the type Lean elaborated it at (`ℕ`, `ℤ`, `ℚ`, `ℝ`), and every operation the semantics of
//! that type: truncated subtraction and floor division on `ℕ`, Euclidean division on `ℤ`,
//! `x / 0 = 0` on fields, `Real.sqrt` of a negative `= 0`, `Real.log x = Real.log |x|` with
//! `log 0 = 0`, `rpow` of a negative base `= exp (log |x| * y) * cos (y * π)`. Casts are explicit
//! nodes. Sums and products are n-ary so a flat sum of thousands of terms is shallow.
//! Definitions are already unfolded and names already resolved: an engine never looks
//! anything up. The core prints back as Lean syntax (with the types that matter), which is
//! also what binds a certificate to its statement.

use std::fmt;

use rug::Rational;

/// Number types, ordered by Lean's coercions `ℕ → ℤ → ℚ → ℝ`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Ty {
    Nat,
    Int,
    Rat,
    Real,
}

impl Ty {
    pub fn symbol(self) -> &'static str {
        match self {
            Ty::Nat => "ℕ",
            Ty::Int => "ℤ",
            Ty::Rat => "ℚ",
            Ty::Real => "ℝ",
        }
    }

    /// `ℕ` and `ℤ`: values are integers and `/`, `%` are integer operations.
    pub fn is_integral(self) -> bool {
        matches!(self, Ty::Nat | Ty::Int)
    }

    /// `ℚ` and `ℝ`: fields, with `x / 0 = 0`.
    pub fn is_field(self) -> bool {
        matches!(self, Ty::Rat | Ty::Real)
    }
}

/// Real functions, with Lean's total (junk-value) definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Func {
    /// `Real.sqrt x = 0` for `x ≤ 0`.
    Sqrt,
    Exp,
    /// `Real.log x = Real.log |x|`, `Real.log 0 = 0`.
    Log,
    Sin,
    Cos,
    /// `Real.tan x = sin x / cos x` (so `0` where `cos x = 0`).
    Tan,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
}

impl Func {
    pub fn lean_name(self) -> &'static str {
        match self {
            Func::Sqrt => "Real.sqrt",
            Func::Exp => "Real.exp",
            Func::Log => "Real.log",
            Func::Sin => "Real.sin",
            Func::Cos => "Real.cos",
            Func::Tan => "Real.tan",
            Func::Arctan => "Real.arctan",
            Func::Sinh => "Real.sinh",
            Func::Cosh => "Real.cosh",
            Func::Tanh => "Real.tanh",
        }
    }
}

/// A number-valued term of the core.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal of its type (an integer for `ℕ`/`ℤ`, a rational for `ℚ`/`ℝ`).
    Lit(Ty, Rational),
    /// A variable of the statement (names are unique within a statement).
    Var(Ty, String),
    /// `Real.pi`.
    Pi,
    /// A reference value (`pdg.m_H`): known only as an interval.
    Ref(String),
    /// `-a` (`ℤ`, `ℚ`, `ℝ`).
    Neg(Ty, Box<Expr>),
    /// `a₁ + a₂ + …`.
    Add(Ty, Vec<Expr>),
    /// `a - b` on `ℕ` (truncated: `0` when `b ≥ a`); other types use `Add` and `Neg`.
    Sub(Ty, Box<Expr>, Box<Expr>),
    /// `a₁ * a₂ * …`.
    Mul(Ty, Vec<Expr>),
    /// `a / b`: floor division on `ℕ`, Euclidean on `ℤ`, field division on `ℚ`/`ℝ`; `_ / 0 = 0`.
    Div(Ty, Box<Expr>, Box<Expr>),
    /// `a % b` on `ℕ`/`ℤ` (`a % 0 = a`; on `ℤ` never negative).
    Mod(Ty, Box<Expr>, Box<Expr>),
    /// `a ^ n` with a literal natural exponent (`Monoid.npow`, `0 ^ 0 = 1`).
    Pow(Ty, Box<Expr>, u32),
    /// `a ^ e` with a computed exponent: `e : ℕ` is `Monoid.npow`, `e : ℤ` is `zpow`
    /// (`a ^ (-n) = (a ^ n)⁻¹`, so `0 ^ (-1) = 0`).
    PowExpr(Ty, Box<Expr>, Box<Expr>),
    /// `Real.rpow x y`.
    Rpow(Box<Expr>, Box<Expr>),
    /// `a⁻¹` (`ℚ`/`ℝ`, `0⁻¹ = 0`).
    Inv(Ty, Box<Expr>),
    /// A coercion `↑a : to` from `from`.
    Cast(Ty, Ty, Box<Expr>),
    Abs(Ty, Box<Expr>),
    Min(Ty, Box<Expr>, Box<Expr>),
    Max(Ty, Box<Expr>, Box<Expr>),
    Call(Func, Box<Expr>),
    /// `⌊x⌋ : ℤ` and `⌈x⌉ : ℤ` of an `ℝ`/`ℚ`.
    Floor(Ty, Box<Expr>),
    Ceil(Ty, Box<Expr>),
    /// `Int.toNat` (negatives to 0) and `Int.natAbs`.
    ToNat(Box<Expr>),
    NatAbs(Box<Expr>),
    /// `if c then a else b`.
    Ite(Box<Prop>, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Rel {
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
    Ne,
}

impl Rel {
    pub fn symbol(self) -> &'static str {
        match self {
            Rel::Le => "≤",
            Rel::Lt => "<",
            Rel::Ge => "≥",
            Rel::Gt => ">",
            Rel::Eq => "=",
            Rel::Ne => "≠",
        }
    }
}

/// A variable: its unique name, its type, and whether it ranges over `[0, ∞)` only (a norm
/// that a vector-valued binder was reduced to).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Var {
    pub name: String,
    pub ty: Ty,
    pub nonneg: bool,
}

impl Var {
    pub fn real(name: impl Into<String>) -> Var {
        Var {
            name: name.into(),
            ty: Ty::Real,
            nonneg: false,
        }
    }

    pub fn expr(&self) -> Expr {
        Expr::Var(self.ty, self.name.clone())
    }
}

// A statement's proposition is built once and walked a few times; boxing the large variants
// would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    Const(bool),
    /// `a r b`, both sides of one type.
    Cmp(Rel, Expr, Expr),
    Not(Box<Prop>),
    And(Box<Prop>, Box<Prop>),
    Or(Box<Prop>, Box<Prop>),
    Imp(Box<Prop>, Box<Prop>),
    Iff(Box<Prop>, Box<Prop>),
    Forall(Vec<Var>, Box<Prop>),
    Exists(Vec<Var>, Box<Prop>),
}

impl Expr {
    /// The type of the value.
    pub fn ty(&self) -> Ty {
        match self {
            Expr::Lit(t, _)
            | Expr::Var(t, _)
            | Expr::Neg(t, _)
            | Expr::Add(t, _)
            | Expr::Sub(t, _, _)
            | Expr::Mul(t, _)
            | Expr::Div(t, _, _)
            | Expr::Mod(t, _, _)
            | Expr::Pow(t, _, _)
            | Expr::PowExpr(t, _, _)
            | Expr::Inv(t, _)
            | Expr::Abs(t, _)
            | Expr::Min(t, _, _)
            | Expr::Max(t, _, _) => *t,
            Expr::Cast(_, to, _) => *to,
            Expr::Pi | Expr::Ref(_) | Expr::Rpow(..) | Expr::Call(..) => Ty::Real,
            Expr::Floor(..) | Expr::Ceil(..) => Ty::Int,
            Expr::ToNat(_) | Expr::NatAbs(_) => Ty::Nat,
            Expr::Ite(_, a, _) => a.ty(),
        }
    }

    pub fn lit(ty: Ty, q: impl Into<Rational>) -> Expr {
        Expr::Lit(ty, q.into())
    }

    /// The direct sub-expressions.
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Lit(..) | Expr::Var(..) | Expr::Pi | Expr::Ref(_) => Vec::new(),
            Expr::Add(_, xs) | Expr::Mul(_, xs) => xs.iter().collect(),
            Expr::Neg(_, a)
            | Expr::Pow(_, a, _)
            | Expr::Inv(_, a)
            | Expr::Cast(_, _, a)
            | Expr::Abs(_, a)
            | Expr::Call(_, a)
            | Expr::Floor(_, a)
            | Expr::Ceil(_, a)
            | Expr::ToNat(a)
            | Expr::NatAbs(a) => vec![a],
            Expr::Sub(_, a, b)
            | Expr::Div(_, a, b)
            | Expr::Mod(_, a, b)
            | Expr::PowExpr(_, a, b)
            | Expr::Rpow(a, b)
            | Expr::Min(_, a, b)
            | Expr::Max(_, a, b) => vec![a, b],
            Expr::Ite(_, a, b) => vec![a, b],
        }
    }

    /// The same node with each direct sub-expression replaced by `f` of it.
    pub fn map_children(&self, mut f: impl FnMut(&Expr) -> Expr) -> Expr {
        let mut b = |x: &Expr| Box::new(f(x));
        match self {
            Expr::Lit(..) | Expr::Var(..) | Expr::Pi | Expr::Ref(_) => self.clone(),
            Expr::Neg(t, a) => Expr::Neg(*t, b(a)),
            Expr::Add(t, xs) => Expr::Add(*t, xs.iter().map(|x| *b(x)).collect()),
            Expr::Mul(t, xs) => Expr::Mul(*t, xs.iter().map(|x| *b(x)).collect()),
            Expr::Sub(t, x, y) => Expr::Sub(*t, b(x), b(y)),
            Expr::Div(t, x, y) => Expr::Div(*t, b(x), b(y)),
            Expr::Mod(t, x, y) => Expr::Mod(*t, b(x), b(y)),
            Expr::Pow(t, a, n) => Expr::Pow(*t, b(a), *n),
            Expr::PowExpr(t, x, y) => Expr::PowExpr(*t, b(x), b(y)),
            Expr::Rpow(x, y) => Expr::Rpow(b(x), b(y)),
            Expr::Inv(t, a) => Expr::Inv(*t, b(a)),
            Expr::Cast(f0, t, a) => Expr::Cast(*f0, *t, b(a)),
            Expr::Abs(t, a) => Expr::Abs(*t, b(a)),
            Expr::Min(t, x, y) => Expr::Min(*t, b(x), b(y)),
            Expr::Max(t, x, y) => Expr::Max(*t, b(x), b(y)),
            Expr::Call(g, a) => Expr::Call(*g, b(a)),
            Expr::Floor(t, a) => Expr::Floor(*t, b(a)),
            Expr::Ceil(t, a) => Expr::Ceil(*t, b(a)),
            Expr::ToNat(a) => Expr::ToNat(b(a)),
            Expr::NatAbs(a) => Expr::NatAbs(b(a)),
            Expr::Ite(c, x, y) => Expr::Ite(c.clone(), b(x), b(y)),
        }
    }

    /// Whether any variable of `names` occurs (conditions of `if` included).
    pub fn mentions(&self, name: &str) -> bool {
        match self {
            Expr::Var(_, n) => n == name,
            Expr::Ite(c, a, b) => c.mentions(name) || a.mentions(name) || b.mentions(name),
            _ => self.children().iter().any(|c| c.mentions(name)),
        }
    }

    /// `self[name := by]`.
    pub fn substitute(&self, name: &str, by: &Expr) -> Expr {
        let s = |x: &Expr| Box::new(x.substitute(name, by));
        let v = |xs: &[Expr]| xs.iter().map(|x| x.substitute(name, by)).collect();
        match self {
            Expr::Var(_, n) if n == name => by.clone(),
            Expr::Lit(..) | Expr::Var(..) | Expr::Pi | Expr::Ref(_) => self.clone(),
            Expr::Neg(t, a) => Expr::Neg(*t, s(a)),
            Expr::Add(t, xs) => Expr::Add(*t, v(xs)),
            Expr::Mul(t, xs) => Expr::Mul(*t, v(xs)),
            Expr::Sub(t, a, b) => Expr::Sub(*t, s(a), s(b)),
            Expr::Div(t, a, b) => Expr::Div(*t, s(a), s(b)),
            Expr::Mod(t, a, b) => Expr::Mod(*t, s(a), s(b)),
            Expr::Pow(t, a, n) => Expr::Pow(*t, s(a), *n),
            Expr::PowExpr(t, a, b) => Expr::PowExpr(*t, s(a), s(b)),
            Expr::Rpow(a, b) => Expr::Rpow(s(a), s(b)),
            Expr::Inv(t, a) => Expr::Inv(*t, s(a)),
            Expr::Cast(f, t, a) => Expr::Cast(*f, *t, s(a)),
            Expr::Abs(t, a) => Expr::Abs(*t, s(a)),
            Expr::Min(t, a, b) => Expr::Min(*t, s(a), s(b)),
            Expr::Max(t, a, b) => Expr::Max(*t, s(a), s(b)),
            Expr::Call(f, a) => Expr::Call(*f, s(a)),
            Expr::Floor(t, a) => Expr::Floor(*t, s(a)),
            Expr::Ceil(t, a) => Expr::Ceil(*t, s(a)),
            Expr::ToNat(a) => Expr::ToNat(s(a)),
            Expr::NatAbs(a) => Expr::NatAbs(s(a)),
            Expr::Ite(c, a, b) => Expr::Ite(Box::new(c.substitute(name, by)), s(a), s(b)),
        }
    }

    /// The number of nodes, for size budgets.
    pub fn size(&self) -> usize {
        1 + match self {
            Expr::Ite(c, a, b) => c.size() + a.size() + b.size(),
            _ => self.children().iter().map(|c| c.size()).sum(),
        }
    }

    /// Whether the term has at most `cap` nodes (counting stops there).
    pub fn size_at_most(&self, cap: usize) -> bool {
        let mut stack = vec![self];
        let mut n = 0;
        while let Some(e) = stack.pop() {
            n += 1;
            if n > cap {
                return false;
            }
            if let Expr::Ite(c, _, _) = e {
                n += c.size().min(cap);
            }
            stack.extend(e.children());
        }
        true
    }

    /// The nesting depth.
    pub fn depth(&self) -> usize {
        1 + match self {
            Expr::Ite(c, a, b) => c.size().min(64).max(a.depth()).max(b.depth()),
            _ => self.children().iter().map(|c| c.depth()).max().unwrap_or(0),
        }
    }
}

impl Prop {
    pub fn mentions(&self, name: &str) -> bool {
        match self {
            Prop::Const(_) => false,
            Prop::Cmp(_, a, b) => a.mentions(name) || b.mentions(name),
            Prop::Not(a) => a.mentions(name),
            Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
                a.mentions(name) || b.mentions(name)
            }
            Prop::Forall(vs, body) | Prop::Exists(vs, body) => {
                !vs.iter().any(|v| v.name == name) && body.mentions(name)
            }
        }
    }

    /// `self[name := by]` (bound variables have unique names, so nothing is captured).
    pub fn substitute(&self, name: &str, by: &Expr) -> Prop {
        let s = |p: &Prop| Box::new(p.substitute(name, by));
        match self {
            Prop::Const(_) => self.clone(),
            Prop::Cmp(r, a, b) => Prop::Cmp(*r, a.substitute(name, by), b.substitute(name, by)),
            Prop::Not(a) => Prop::Not(s(a)),
            Prop::And(a, b) => Prop::And(s(a), s(b)),
            Prop::Or(a, b) => Prop::Or(s(a), s(b)),
            Prop::Imp(a, b) => Prop::Imp(s(a), s(b)),
            Prop::Iff(a, b) => Prop::Iff(s(a), s(b)),
            Prop::Forall(vs, body) if vs.iter().any(|v| v.name == name) => {
                Prop::Forall(vs.clone(), body.clone())
            }
            Prop::Exists(vs, body) if vs.iter().any(|v| v.name == name) => {
                Prop::Exists(vs.clone(), body.clone())
            }
            Prop::Forall(vs, body) => Prop::Forall(vs.clone(), s(body)),
            Prop::Exists(vs, body) => Prop::Exists(vs.clone(), s(body)),
        }
    }

    pub fn size(&self) -> usize {
        1 + match self {
            Prop::Const(_) => 0,
            Prop::Cmp(_, a, b) => a.size() + b.size(),
            Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => a.size(),
            Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
                a.size() + b.size()
            }
        }
    }
}

/// Lean-style text of a rational literal (its type shows where the context does not: casts
/// and comparisons print theirs).
fn lit_text(q: &Rational) -> String {
    if *q.denom() == 1 {
        q.numer().to_string()
    } else {
        format!("{} / {}", q.numer(), q.denom())
    }
}

/// Precedence of a printed node (Lean's), for parentheses.
fn prec(e: &Expr) -> u32 {
    match e {
        Expr::Add(..) | Expr::Sub(..) => 65,
        Expr::Mul(..) | Expr::Div(..) | Expr::Mod(..) => 70,
        Expr::Neg(..) => 75,
        Expr::Pow(..) | Expr::PowExpr(..) => 80,
        Expr::Lit(_, q) if *q.denom() != 1 => 70,
        Expr::Lit(_, q) if *q < 0 => 75,
        Expr::Cast(..)
        | Expr::Call(..)
        | Expr::Rpow(..)
        | Expr::Min(..)
        | Expr::Max(..)
        | Expr::ToNat(_)
        | Expr::NatAbs(_)
        | Expr::Ite(..) => 1022,
        _ => 1024,
    }
}

fn paren(e: &Expr, min: u32) -> String {
    if prec(e) < min {
        format!("({e})")
    } else {
        e.to_string()
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Lit(_, q) => write!(f, "{}", lit_text(q)),
            Expr::Var(_, n) => write!(f, "{n}"),
            Expr::Pi => write!(f, "Real.pi"),
            Expr::Ref(n) => write!(f, "{n}"),
            Expr::Neg(_, a) => {
                // `--` would start a Lean comment: `-(-x)`, `-(-3)`.
                let inner = paren(a, 75);
                if inner.starts_with('-') {
                    write!(f, "-({inner})")
                } else {
                    write!(f, "-{inner}")
                }
            }
            Expr::Add(_, xs) => {
                for (i, x) in xs.iter().enumerate() {
                    match (i, x) {
                        (0, _) => write!(f, "{}", paren(x, 65))?,
                        (_, Expr::Neg(_, a)) => write!(f, " - {}", paren(a, 66))?,
                        (_, Expr::Lit(t, q)) if *q < 0 => {
                            write!(f, " - {}", paren(&Expr::Lit(*t, -q.clone()), 66))?
                        }
                        _ => write!(f, " + {}", paren(x, 66))?,
                    }
                }
                Ok(())
            }
            Expr::Sub(_, a, b) => write!(f, "{} - {}", paren(a, 65), paren(b, 66)),
            Expr::Mul(_, xs) => {
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        write!(f, " * ")?;
                    }
                    write!(f, "{}", paren(x, if i == 0 { 70 } else { 71 }))?;
                }
                Ok(())
            }
            Expr::Div(_, a, b) => write!(f, "{} / {}", paren(a, 70), paren(b, 71)),
            Expr::Mod(_, a, b) => write!(f, "{} % {}", paren(a, 70), paren(b, 71)),
            Expr::Pow(_, a, n) => write!(f, "{} ^ {n}", paren(a, 81)),
            Expr::PowExpr(_, a, b) => write!(f, "{} ^ {}", paren(a, 81), paren(b, 80)),
            Expr::Rpow(a, b) => write!(f, "Real.rpow {} {}", paren(a, 1024), paren(b, 1024)),
            Expr::Inv(_, a) => write!(f, "{}⁻¹", paren(a, 1024)),
            Expr::Cast(from, to, a) => {
                write!(f, "(↑({a} : {}) : {})", from.symbol(), to.symbol())
            }
            Expr::Abs(_, a) => write!(f, "|{a}|"),
            Expr::Min(_, a, b) => write!(f, "min {} {}", paren(a, 1024), paren(b, 1024)),
            Expr::Max(_, a, b) => write!(f, "max {} {}", paren(a, 1024), paren(b, 1024)),
            Expr::Call(g, a) => write!(f, "{} {}", g.lean_name(), paren(a, 1024)),
            Expr::Floor(_, a) => write!(f, "⌊{a}⌋"),
            Expr::Ceil(_, a) => write!(f, "⌈{a}⌉"),
            Expr::ToNat(a) => write!(f, "Int.toNat {}", paren(a, 1024)),
            Expr::NatAbs(a) => write!(f, "Int.natAbs {}", paren(a, 1024)),
            Expr::Ite(c, a, b) => write!(f, "if {c} then {a} else {b}"),
        }
    }
}

fn binders_text(vs: &[Var]) -> String {
    let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
    for v in vs {
        let ty = if v.nonneg {
            format!("{} (≥ 0)", v.ty.symbol())
        } else {
            v.ty.symbol().to_string()
        };
        // A name with a space (`v 0`, a family's member) stands alone: `(v 0 : ℝ) (v 1 : ℝ)`.
        let alone = |n: &str| n.contains(' ') && !n.starts_with('‖');
        match groups.last_mut() {
            Some((names, t)) if *t == ty && !alone(&v.name) && !names.iter().any(|n| alone(n)) => {
                names.push(&v.name)
            }
            _ => groups.push((vec![&v.name], ty)),
        }
    }
    groups
        .iter()
        .map(|(names, ty)| format!("({} : {ty})", names.join(" ")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn prop_prec(p: &Prop) -> u32 {
    match p {
        Prop::Iff(..) => 20,
        Prop::Imp(..) => 25,
        Prop::Or(..) => 30,
        Prop::And(..) => 35,
        Prop::Cmp(..) => 50,
        Prop::Forall(..) | Prop::Exists(..) => 0,
        Prop::Not(_) | Prop::Const(_) => 1024,
    }
}

fn prop_paren(p: &Prop, min: u32) -> String {
    if prop_prec(p) < min {
        format!("({p})")
    } else {
        p.to_string()
    }
}

impl fmt::Display for Prop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Prop::Const(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Prop::Cmp(r, a, b) => {
                // The comparison's type, unless it is ℝ.
                let ty = a.ty();
                if ty != Ty::Real {
                    write!(f, "({a} : {}) {} {}", ty.symbol(), r.symbol(), b)
                } else {
                    write!(f, "{a} {} {b}", r.symbol())
                }
            }
            Prop::Not(a) => write!(f, "¬{}", prop_paren(a, 1024)),
            Prop::And(a, b) => write!(f, "{} ∧ {}", prop_paren(a, 36), prop_paren(b, 35)),
            Prop::Or(a, b) => write!(f, "{} ∨ {}", prop_paren(a, 31), prop_paren(b, 30)),
            Prop::Imp(a, b) => write!(f, "{} → {}", prop_paren(a, 26), prop_paren(b, 25)),
            Prop::Iff(a, b) => write!(f, "{} ↔ {}", prop_paren(a, 21), prop_paren(b, 21)),
            Prop::Forall(vs, body) => write!(f, "∀ {}, {body}", binders_text(vs)),
            Prop::Exists(vs, body) => write!(f, "∃ {}, {body}", binders_text(vs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_shows_the_types_that_matter() {
        let a = Expr::Var(Ty::Nat, "a".into());
        let b = Expr::Var(Ty::Nat, "b".into());
        let sub = Expr::Sub(Ty::Nat, Box::new(a), Box::new(b));
        let cast = Expr::Cast(Ty::Nat, Ty::Real, Box::new(sub));
        let x = Expr::Var(Ty::Real, "x".into());
        let p = Prop::Cmp(Rel::Eq, x, cast);
        assert_eq!(p.to_string(), "x = (↑(a - b : ℕ) : ℝ)");
        let seven = Expr::lit(Ty::Nat, 7);
        let q = Prop::Cmp(
            Rel::Eq,
            Expr::Div(Ty::Nat, Box::new(seven), Box::new(Expr::lit(Ty::Nat, 2))),
            Expr::lit(Ty::Nat, 3),
        );
        assert_eq!(q.to_string(), "(7 / 2 : ℕ) = 3");
        // Never `--`, which Lean reads as a comment.
        let y = Expr::Var(Ty::Real, "y".into());
        let twice = Expr::Neg(Ty::Real, Box::new(Expr::Neg(Ty::Real, Box::new(y))));
        assert_eq!(twice.to_string(), "-(-y)");
        let minus_three = Expr::Neg(Ty::Int, Box::new(Expr::lit(Ty::Int, -3)));
        assert_eq!(minus_three.to_string(), "-(-3)");
    }
}
