//! A claim or expression of the core compiled once into a straight-line program (a tape):
//! one instruction per distinct sub-expression (identical subtrees share a register), over
//! registers laid out as `[inputs | constants | results]`. Two tiers run the same tape with
//! buffers allocated once per check: the f64 tier ([`Interval64`], cheap, for every
//! operation it rounds soundly) and the MPFR tier ([`Interval`]'s in-place operations at the
//! check's precision, the same code the tree evaluator `eval` runs, so the same enclosures).
//! The branch and bound (`check`) asks the f64 tier first and MPFR only where f64 leaves a
//! box undecided.
//!
//! The tape mirrors `eval::eval_in` node for node (sums and products folded left from the
//! first term, `x * x` as a square, `x⁻¹` as `1 / x`), so MPFR tape enclosures equal the tree
//! evaluator's bit for bit; sharing a register between identical subtrees changes nothing,
//! since evaluation is deterministic. What the tape does not model — integer division and
//! remainders, computed exponents, `rpow`, `if … then … else`, nested quantifiers — makes
//! compilation fail, and the caller keeps the tree evaluator. Errors are per register: an
//! operation without an enclosure (a divisor around 0, a logarithm near 0) leaves its result
//! and everything computed from it invalid, and a comparison with an invalid side is unknown,
//! exactly as the tree evaluator's `Err` makes it.

use std::collections::HashMap;

use rug::Rational;
use rug::float::Round;
use rug::ops::AssignRound;

use crate::core::{Expr, Func, Prop, Rel};
use crate::eval::{Tv, compare_bounds};
use crate::interval::Interval;
use crate::interval64::Interval64;

mod soft_tier;

/// Why an expression has no tape (the caller evaluates it with the tree evaluator instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TapeError {
    #[error("the tape does not model {0}")]
    Unsupported(&'static str),
    #[error("unknown variable `{0}`")]
    UnknownVariable(String),
}

type Reg = usize;

/// One instruction over operands `R` (compilation's nodes, then registers); its result goes
/// to the next register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Op<R = Reg> {
    Neg(R),
    Add(R, R),
    Sub(R, R),
    Mul(R, R),
    /// `x · 2^k` for a constant factor `2^k` (`|k| ≤ 64`): exact but for overflow and
    /// underflow, so one cheap operation per endpoint where a product rounds.
    Scale(R, i32),
    Pow(R, u32),
    /// Field division with `x / 0 = 0`.
    Div(R, R),
    Abs(R),
    Min(R, R),
    Max(R, R),
    Floor(R),
    Ceil(R),
    /// `max x 0` endpoint-wise (ℕ's truncated subtraction, `Int.toNat`).
    ClampNonneg(R),
    Call(Func, R),
}

impl<R: Copy> Op<R> {
    fn map<S>(self, f: impl Fn(R) -> S) -> Op<S> {
        match self {
            Op::Neg(a) => Op::Neg(f(a)),
            Op::Add(a, b) => Op::Add(f(a), f(b)),
            Op::Sub(a, b) => Op::Sub(f(a), f(b)),
            Op::Mul(a, b) => Op::Mul(f(a), f(b)),
            Op::Scale(a, k) => Op::Scale(f(a), k),
            Op::Pow(a, n) => Op::Pow(f(a), n),
            Op::Div(a, b) => Op::Div(f(a), f(b)),
            Op::Abs(a) => Op::Abs(f(a)),
            Op::Min(a, b) => Op::Min(f(a), f(b)),
            Op::Max(a, b) => Op::Max(f(a), f(b)),
            Op::Floor(a) => Op::Floor(f(a)),
            Op::Ceil(a) => Op::Ceil(f(a)),
            Op::ClampNonneg(a) => Op::ClampNonneg(f(a)),
            Op::Call(g, a) => Op::Call(g, f(a)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Constant {
    Rational(Rational),
    Pi,
    Reference(String),
}

/// The propositional skeleton of a claim over operands `R` (nodes, then registers).
#[derive(Debug, Clone)]
enum Cond<R = Reg> {
    Const(bool),
    /// Undecided on enclosures (an `∃`, as in the tree evaluator).
    Unknown,
    /// `a r b`; `index` into [`Tape::comparisons`] for the caller's retry.
    Cmp {
        rel: Rel,
        a: R,
        b: R,
        index: usize,
    },
    Not(Box<Cond<R>>),
    And(Box<Cond<R>>, Box<Cond<R>>),
    Or(Box<Cond<R>>, Box<Cond<R>>),
    Imp(Box<Cond<R>>, Box<Cond<R>>),
    Iff(Box<Cond<R>>, Box<Cond<R>>),
}

impl<R: Copy> Cond<R> {
    fn map<S>(self, f: &dyn Fn(R) -> S) -> Cond<S> {
        let m = |c: Box<Cond<R>>| Box::new(c.map(f));
        match self {
            Cond::Const(b) => Cond::Const(b),
            Cond::Unknown => Cond::Unknown,
            Cond::Cmp { rel, a, b, index } => Cond::Cmp {
                rel,
                a: f(a),
                b: f(b),
                index,
            },
            Cond::Not(a) => Cond::Not(m(a)),
            Cond::And(x, y) => Cond::And(m(x), m(y)),
            Cond::Or(x, y) => Cond::Or(m(x), m(y)),
            Cond::Imp(x, y) => Cond::Imp(m(x), m(y)),
            Cond::Iff(x, y) => Cond::Iff(m(x), m(y)),
        }
    }
}

/// A compiled expression or claim.
#[derive(Debug, Clone)]
pub struct Tape {
    inputs: Vec<String>,
    constants: Vec<Constant>,
    ops: Vec<Op>,
    /// The expression's value (for [`Tape::expression`]).
    root: Option<Reg>,
    /// The claim (for [`Tape::claim`]).
    cond: Option<Cond>,
    /// The comparisons of the claim as written, in [`Cond::Cmp`]'s `index` order: what a
    /// caller retries another way (the mean-value form) when both tiers leave one open.
    comparisons: Vec<(Expr, Rel, Expr)>,
    /// Whether every operation has an f64 form (no transcendental function).
    f64_tier: bool,
    /// Whether every operation has a soft form (`soft_tier`).
    soft_tier: bool,
    /// The registers a caller reads after a run: the root and both sides of every
    /// comparison (the soft tier writes only these back to MPFR).
    exported: Vec<Reg>,
}

/// Node ids during compilation, before the registers are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    Input(usize),
    Constant(usize),
    Op(usize),
}

#[derive(Default)]
struct Compiler {
    inputs: Vec<String>,
    constants: Vec<Constant>,
    constant_ids: HashMap<Constant, usize>,
    ops: Vec<Op<Node>>,
    op_ids: HashMap<Op<Node>, usize>,
    comparisons: Vec<(Expr, Rel, Expr)>,
}

impl Compiler {
    fn constant(&mut self, c: Constant) -> Node {
        let next = self.constants.len();
        let id = *self.constant_ids.entry(c.clone()).or_insert(next);
        if id == next {
            self.constants.push(c);
        }
        Node::Constant(id)
    }

    /// The node of `op`, shared with an identical earlier one.
    fn op(&mut self, op: Op<Node>) -> Node {
        let next = self.ops.len();
        let id = *self.op_ids.entry(op).or_insert(next);
        if id == next {
            self.ops.push(op);
        }
        Node::Op(id)
    }

    fn unary(&mut self, f: fn(Node) -> Op<Node>, a: &Expr) -> Result<Node, TapeError> {
        let a = self.expr(a)?;
        Ok(self.op(f(a)))
    }

    fn binary(
        &mut self,
        f: fn(Node, Node) -> Op<Node>,
        a: &Expr,
        b: &Expr,
    ) -> Result<Node, TapeError> {
        let (a, b) = (self.expr(a)?, self.expr(b)?);
        Ok(self.op(f(a, b)))
    }

    fn expr(&mut self, e: &Expr) -> Result<Node, TapeError> {
        Ok(match e {
            Expr::Lit(_, q) => self.constant(Constant::Rational(q.clone())),
            Expr::Var(_, name) => match self.inputs.iter().position(|n| n == name) {
                Some(i) => Node::Input(i),
                None => return Err(TapeError::UnknownVariable(name.clone())),
            },
            Expr::Pi => self.constant(Constant::Pi),
            Expr::Ref(name) => {
                if crate::reference::reference(name, 53).is_none() {
                    return Err(TapeError::UnknownVariable(name.clone()));
                }
                self.constant(Constant::Reference(name.clone()))
            }
            Expr::Neg(_, a) => self.unary(Op::Neg, a)?,
            Expr::Add(_, xs) => self.sum(xs)?,
            // `x * x` is a square, as in the tree evaluator.
            Expr::Mul(_, xs) if xs.len() == 2 && xs[0] == xs[1] => {
                let a = self.expr(&xs[0])?;
                self.op(Op::Pow(a, 2))
            }
            Expr::Mul(_, xs) => self.product(xs)?,
            Expr::Sub(_, a, b) => {
                let d = self.binary(Op::Sub, a, b)?;
                self.op(Op::ClampNonneg(d))
            }
            Expr::Div(ty, a, b) if ty.is_field() => self.binary(Op::Div, a, b)?,
            Expr::Div(..) => return Err(TapeError::Unsupported("integer division")),
            Expr::Mod(..) => return Err(TapeError::Unsupported("`%`")),
            Expr::Pow(_, a, n) => {
                let a = self.expr(a)?;
                self.op(Op::Pow(a, *n))
            }
            Expr::PowExpr(..) => return Err(TapeError::Unsupported("a computed exponent")),
            Expr::Rpow(..) => return Err(TapeError::Unsupported("`Real.rpow`")),
            Expr::Inv(_, a) => {
                // `x⁻¹ = 1 / x` (`Interval::inv_lean` is exactly that).
                let one = self.constant(Constant::Rational(Rational::from(1)));
                let a = self.expr(a)?;
                self.op(Op::Div(one, a))
            }
            Expr::Cast(_, _, a) => self.expr(a)?,
            Expr::Abs(_, a) | Expr::NatAbs(a) => self.unary(Op::Abs, a)?,
            Expr::Min(_, a, b) => self.binary(Op::Min, a, b)?,
            Expr::Max(_, a, b) => self.binary(Op::Max, a, b)?,
            Expr::Floor(_, a) => self.unary(Op::Floor, a)?,
            Expr::Ceil(_, a) => self.unary(Op::Ceil, a)?,
            Expr::ToNat(a) => self.unary(Op::ClampNonneg, a)?,
            Expr::Call(f, a) => {
                let a = self.expr(a)?;
                self.op(Op::Call(*f, a))
            }
            Expr::Ite(..) => return Err(TapeError::Unsupported("`if … then … else`")),
        })
    }

    /// `x₀ + x₁ + …` folded from the left. The tree evaluator starts from `0 + x₀`, which is
    /// exact, so starting from `x₀` is the same; a term `-y` is subtracted (`a + (-y)` and
    /// `a - y` round alike, negation being exact), one operation fewer.
    fn sum(&mut self, xs: &[Expr]) -> Result<Node, TapeError> {
        let Some((first, rest)) = xs.split_first() else {
            return Ok(self.constant(Constant::Rational(Rational::from(0))));
        };
        let mut acc = self.expr(first)?;
        for x in rest {
            acc = match x {
                Expr::Neg(_, y) => {
                    let y = self.expr(y)?;
                    self.op(Op::Sub(acc, y))
                }
                _ => {
                    let x = self.expr(x)?;
                    self.op(Op::Add(acc, x))
                }
            };
        }
        Ok(acc)
    }

    /// `x₀ · x₁ · …` folded from the left (the tree evaluator's `1 · x₀` is exact); a
    /// constant factor `2^k` scales instead of multiplying. The scaled enclosure is the
    /// product's bit for bit: for `c > 0` the product's sign cases all reduce to
    /// `[c·lo rounded down, c·hi rounded up]`, and `c·x` is exact whenever it is in range.
    fn product(&mut self, xs: &[Expr]) -> Result<Node, TapeError> {
        let Some((first, rest)) = xs.split_first() else {
            return Ok(self.constant(Constant::Rational(Rational::from(1))));
        };
        let mut acc = self.expr(first)?;
        for x in rest {
            let x = self.expr(x)?;
            acc = match (self.power_of_two(acc), self.power_of_two(x)) {
                (Some(k), _) => self.op(Op::Scale(x, k)),
                (_, Some(k)) => self.op(Op::Scale(acc, k)),
                _ => self.op(Op::Mul(acc, x)),
            };
        }
        Ok(acc)
    }

    /// `k` when `n` is the constant `2^k` with `|k| ≤ 64`.
    fn power_of_two(&self, n: Node) -> Option<i32> {
        let Node::Constant(id) = n else {
            return None;
        };
        let Constant::Rational(q) = &self.constants[id] else {
            return None;
        };
        let (num, den) = (q.numer(), q.denom());
        if *num <= 0 || !num.is_power_of_two() || !den.is_power_of_two() {
            return None;
        }
        let k = num.significant_bits() as i64 - den.significant_bits() as i64;
        (k.abs() <= 64).then_some(k as i32)
    }

    fn prop(&mut self, p: &Prop) -> Result<Cond<Node>, TapeError> {
        type Pair = (Box<Cond<Node>>, Box<Cond<Node>>);
        let mut two = |a: &Prop, b: &Prop| -> Result<Pair, TapeError> {
            Ok((Box::new(self.prop(a)?), Box::new(self.prop(b)?)))
        };
        Ok(match p {
            Prop::Const(b) => Cond::Const(*b),
            Prop::Cmp(rel, a, b) => {
                let (na, nb) = (self.expr(a)?, self.expr(b)?);
                let index = self.comparisons.len();
                self.comparisons.push((a.clone(), *rel, b.clone()));
                Cond::Cmp {
                    rel: *rel,
                    a: na,
                    b: nb,
                    index,
                }
            }
            Prop::Not(a) => Cond::Not(Box::new(self.prop(a)?)),
            Prop::And(a, b) => {
                let (a, b) = two(a, b)?;
                Cond::And(a, b)
            }
            Prop::Or(a, b) => {
                let (a, b) = two(a, b)?;
                Cond::Or(a, b)
            }
            Prop::Imp(a, b) => {
                let (a, b) = two(a, b)?;
                Cond::Imp(a, b)
            }
            Prop::Iff(a, b) => {
                let (a, b) = two(a, b)?;
                Cond::Iff(a, b)
            }
            Prop::Exists(..) => Cond::Unknown,
            Prop::Forall(..) => return Err(TapeError::Unsupported("a nested `∀`")),
        })
    }

    /// Registers: inputs, then constants, then the ops in order (each op's operands come
    /// before it, so one forward pass evaluates the tape).
    fn layout(self, root: Option<Node>, cond: Option<Cond<Node>>) -> Tape {
        let (ni, nc) = (self.inputs.len(), self.constants.len());
        let reg = |n: Node| match n {
            Node::Input(i) => i,
            Node::Constant(c) => ni + c,
            Node::Op(k) => ni + nc + k,
        };
        let ops: Vec<Op> = self.ops.iter().map(|op| op.map(reg)).collect();
        let f64_tier = ops
            .iter()
            .all(|op| !matches!(op, Op::Call(f, _) if *f != Func::Sqrt));
        let soft_tier = soft_tier::supports(&ops);
        let cond = cond.map(|c| c.map(&reg));
        let root = root.map(reg);
        let mut exported: Vec<Reg> = root.into_iter().collect();
        if let Some(c) = &cond {
            compared(c, &mut exported);
        }
        Tape {
            inputs: self.inputs,
            constants: self.constants,
            ops,
            root,
            cond,
            comparisons: self.comparisons,
            f64_tier,
            soft_tier,
            exported,
        }
    }
}

/// Both sides of every comparison of `c`.
fn compared(c: &Cond, out: &mut Vec<Reg>) {
    match c {
        Cond::Const(_) | Cond::Unknown => {}
        Cond::Cmp { a, b, .. } => out.extend([*a, *b]),
        Cond::Not(x) => compared(x, out),
        Cond::And(x, y) | Cond::Or(x, y) | Cond::Imp(x, y) | Cond::Iff(x, y) => {
            compared(x, out);
            compared(y, out);
        }
    }
}

/// Registers of the f64 tier for one tape (allocated once, reused for every evaluation). A
/// register without an enclosure holds [`INVALID`]: valid registers are never NaN, so one
/// comparison tells them apart, with no second array to read and write.
#[derive(Debug, Clone)]
pub struct F64Workspace {
    regs: Vec<Interval64>,
}

/// The f64 register of an operation without an enclosure.
const INVALID: Interval64 = Interval64 {
    lo: f64::NAN,
    hi: f64::NAN,
};

/// The register's enclosure, `None` for [`INVALID`].
#[inline]
fn enclosure(x: Interval64) -> Option<Interval64> {
    (!x.lo.is_nan()).then_some(x)
}

/// Registers of the MPFR tier at one precision (allocated once; evaluation writes the floats
/// in place, so it allocates nothing but the temporaries of `sin`, `cos`, the hyperbolic
/// functions and a product of two intervals that both straddle 0). At 65 to 256 bits, for a
/// tape whose every operation has a soft form, the same registers as soft intervals
/// (`soft_tier`), which runs try first.
#[derive(Debug, Clone)]
pub struct MpfrWorkspace {
    prec: u32,
    regs: Vec<Interval>,
    valid: Vec<bool>,
    soft: Option<soft_tier::SoftRegisters>,
    /// Per input: set in the soft registers only, its MPFR register not yet written.
    soft_input: Vec<bool>,
}

impl Tape {
    /// `e` over the variables `inputs` (in the order inputs are given at evaluation).
    pub fn expression(e: &Expr, inputs: &[String]) -> Result<Tape, TapeError> {
        let mut c = Compiler {
            inputs: inputs.to_vec(),
            ..Compiler::default()
        };
        let root = c.expr(e)?;
        Ok(c.layout(Some(root), None))
    }

    /// A quantifier-free claim (an `∃` inside is unknown, as on enclosures; a nested `∀` is
    /// not compiled).
    pub fn claim(p: &Prop, inputs: &[String]) -> Result<Tape, TapeError> {
        let mut c = Compiler {
            inputs: inputs.to_vec(),
            ..Compiler::default()
        };
        let cond = c.prop(p)?;
        Ok(c.layout(None, Some(cond)))
    }

    /// The number of instructions (sub-expressions after sharing).
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    fn first_op(&self) -> Reg {
        self.inputs.len() + self.constants.len()
    }

    fn registers(&self) -> usize {
        self.first_op() + self.ops.len()
    }

    /// The comparison `index` of the claim, as written.
    pub(crate) fn comparison(&self, index: usize) -> &(Expr, Rel, Expr) {
        &self.comparisons[index]
    }

    /// Registers for the f64 tier, constants filled in; `None` when the tape uses a function
    /// the f64 tier does not have (anything transcendental: MPFR decides those).
    pub fn f64_workspace(&self) -> Option<F64Workspace> {
        if !self.f64_tier {
            return None;
        }
        let mut regs = vec![Interval64::point(0.0); self.registers()];
        for (i, c) in self.constants.iter().enumerate() {
            regs[self.inputs.len() + i] = match c {
                Constant::Rational(q) => Interval64::of_rational(q),
                Constant::Pi => Interval64::of_interval(&Interval::pi(64)),
                Constant::Reference(name) => Interval64::of_interval(
                    &crate::reference::reference(name, 64).expect("checked at compilation"),
                ),
            };
        }
        // A constant beyond the double range is still a sound (infinite) bound; rational
        // bounds are never NaN, so every constant is valid.
        debug_assert!(regs.iter().all(|r| !r.lo.is_nan() && !r.hi.is_nan()));
        Some(F64Workspace { regs })
    }

    /// Registers for the MPFR tier at `prec` bits, constants filled in.
    pub fn mpfr_workspace(&self, prec: u32) -> MpfrWorkspace {
        let mut regs = vec![Interval::zero(prec); self.registers()];
        for (i, c) in self.constants.iter().enumerate() {
            regs[self.inputs.len() + i] = match c {
                Constant::Rational(q) => crate::check::rational_interval(q, q, prec),
                Constant::Pi => Interval::pi(prec),
                Constant::Reference(name) => {
                    crate::reference::reference(name, prec).expect("checked at compilation")
                }
            };
        }
        let soft = self.soft_registers(prec, &regs);
        MpfrWorkspace {
            prec,
            regs,
            valid: vec![true; self.registers()],
            soft,
            soft_input: vec![false; self.inputs.len()],
        }
    }

    /// Runs the f64 tier on `inputs` (one per variable, in order).
    pub fn run_f64(&self, ws: &mut F64Workspace, inputs: &[Interval64]) {
        debug_assert_eq!(ws.regs.len(), self.registers());
        for (to, x) in ws
            .regs
            .iter_mut()
            .zip(inputs.iter().take(self.inputs.len()))
        {
            // `lo <= hi` is false for NaN too.
            *to = if x.lo <= x.hi { *x } else { INVALID };
        }
        let base = self.first_op();
        for (k, op) in self.ops.iter().enumerate() {
            let r = &ws.regs;
            let x = |a: usize| enclosure(r[a]);
            let out = match *op {
                Op::Neg(a) => x(a).map(Interval64::neg),
                Op::Add(a, b) => x(a).zip(x(b)).and_then(|(p, q)| p.add(q)),
                Op::Sub(a, b) => x(a).zip(x(b)).and_then(|(p, q)| p.sub(q)),
                Op::Mul(a, b) => x(a).zip(x(b)).and_then(|(p, q)| p.mul(q)),
                Op::Scale(a, k) => x(a).map(|p| p.scale(k)),
                Op::Pow(a, n) => x(a).and_then(|p| p.pow(n)),
                Op::Div(a, b) => x(a).zip(x(b)).and_then(|(p, q)| p.div_lean(q)),
                Op::Abs(a) => x(a).map(Interval64::abs),
                Op::Min(a, b) => x(a).zip(x(b)).map(|(p, q)| p.min(q)),
                Op::Max(a, b) => x(a).zip(x(b)).map(|(p, q)| p.max(q)),
                Op::Floor(a) => x(a).map(Interval64::floor),
                Op::Ceil(a) => x(a).map(Interval64::ceil),
                Op::ClampNonneg(a) => x(a).map(Interval64::clamp_nonneg),
                Op::Call(Func::Sqrt, a) => x(a).map(Interval64::sqrt_lean),
                // Never compiled for this tier (`f64_workspace` refuses such tapes).
                Op::Call(..) => None,
            };
            ws.regs[base + k] = out.unwrap_or(INVALID);
        }
    }

    /// The expression's f64 enclosure on `inputs`; `None` when the tier cannot give one.
    pub fn eval_f64(&self, ws: &mut F64Workspace, inputs: &[Interval64]) -> Option<Interval64> {
        self.run_f64(ws, inputs);
        enclosure(ws.regs[self.root?])
    }

    /// The claim's truth by the f64 tier (unknown where an enclosure is missing or too wide).
    pub fn truth_f64(&self, ws: &mut F64Workspace, inputs: &[Interval64]) -> Tv {
        self.run_f64(ws, inputs);
        let Some(cond) = &self.cond else {
            return Tv::Unknown;
        };
        truth(
            cond,
            &mut |rel, a, b, _| match (enclosure(ws.regs[a]), enclosure(ws.regs[b])) {
                (Some(x), Some(y)) => compare_bounds((x.lo, x.hi), rel, (y.lo, y.hi)),
                _ => Tv::Unknown,
            },
        )
    }

    /// Sets MPFR input `i` to `[lo, hi]` (rounded outward to the workspace's precision).
    pub fn set_input_rational(ws: &mut MpfrWorkspace, i: usize, lo: &Rational, hi: &Rational) {
        ws.soft_input[i] = false;
        let x = &mut ws.regs[i];
        x.lo.assign_round(lo, Round::Down);
        x.hi.assign_round(hi, Round::Up);
        ws.valid[i] = true;
    }

    /// Sets MPFR input `i` to `x` (rounded outward to the workspace's precision): in the soft
    /// registers alone where they apply (`soft_tier`).
    pub fn set_input(ws: &mut MpfrWorkspace, i: usize, x: &Interval) {
        if ws.set_soft_input(i, x) {
            return;
        }
        ws.soft_input[i] = false;
        let to = &mut ws.regs[i];
        to.lo.assign_round(&x.lo, Round::Down);
        to.hi.assign_round(&x.hi, Round::Up);
        ws.valid[i] = !to.lo.is_nan() && !to.hi.is_nan() && to.lo <= to.hi;
    }

    /// Runs the MPFR tier on the inputs already set: in soft registers where they apply and
    /// every operation stays in the soft range (the same enclosures), otherwise with MPFR.
    pub fn run_mpfr(&self, ws: &mut MpfrWorkspace) {
        debug_assert_eq!(ws.regs.len(), self.registers());
        if self.run_soft(ws) {
            return;
        }
        ws.write_soft_inputs();
        let base = self.first_op();
        for (k, op) in self.ops.iter().enumerate() {
            let d = base + k;
            let (src, rest) = ws.regs.split_at_mut(d);
            let out = &mut rest[0];
            let v = &ws.valid;
            let ok = match *op {
                Op::Neg(a) => {
                    v[a] && {
                        out.set_neg(&src[a]);
                        true
                    }
                }
                Op::Add(a, b) => {
                    v[a] && v[b] && {
                        out.set_add(&src[a], &src[b]);
                        true
                    }
                }
                Op::Sub(a, b) => {
                    v[a] && v[b] && {
                        out.set_sub(&src[a], &src[b]);
                        true
                    }
                }
                Op::Mul(a, b) => {
                    v[a] && v[b] && {
                        out.set_mul(&src[a], &src[b]);
                        true
                    }
                }
                Op::Scale(a, k) => {
                    v[a] && {
                        out.set_scale(&src[a], k);
                        true
                    }
                }
                Op::Pow(a, n) => {
                    v[a] && {
                        out.set_pow(&src[a], n);
                        true
                    }
                }
                Op::Div(a, b) => v[a] && v[b] && out.set_div_lean(&src[a], &src[b]),
                Op::Abs(a) => {
                    v[a] && {
                        out.set_abs(&src[a]);
                        true
                    }
                }
                Op::Min(a, b) => {
                    v[a] && v[b] && {
                        out.set_min(&src[a], &src[b]);
                        true
                    }
                }
                Op::Max(a, b) => {
                    v[a] && v[b] && {
                        out.set_max(&src[a], &src[b]);
                        true
                    }
                }
                Op::Floor(a) => {
                    v[a] && {
                        out.set_floor(&src[a]);
                        true
                    }
                }
                Op::Ceil(a) => {
                    v[a] && {
                        out.set_ceil(&src[a]);
                        true
                    }
                }
                Op::ClampNonneg(a) => {
                    v[a] && {
                        out.set_clamp_nonneg(&src[a]);
                        true
                    }
                }
                Op::Call(f, a) => v[a] && call_mpfr(f, &src[a], out),
            };
            ws.valid[d] = ok;
        }
    }

    /// The expression's MPFR enclosure on `inputs` (one per variable, in order); `None`
    /// where the tree evaluator would fail (a domain error).
    pub fn eval_mpfr<'w>(
        &self,
        ws: &'w mut MpfrWorkspace,
        inputs: &[Interval],
    ) -> Option<&'w Interval> {
        for (i, x) in inputs.iter().enumerate().take(self.inputs.len()) {
            Tape::set_input(ws, i, x);
        }
        self.run_mpfr(ws);
        let root = self.root?;
        ws.valid[root].then_some(&ws.regs[root])
    }

    /// The claim's truth by the MPFR tier on the inputs already set; `retry(index)` is asked
    /// for each comparison whose two sides have enclosures that do not decide it.
    pub fn truth_mpfr(&self, ws: &mut MpfrWorkspace, retry: &mut dyn FnMut(usize) -> Tv) -> Tv {
        self.run_mpfr(ws);
        let Some(cond) = &self.cond else {
            return Tv::Unknown;
        };
        truth(cond, &mut |rel, a, b, index| {
            if !(ws.valid[a] && ws.valid[b]) {
                return Tv::Unknown;
            }
            match crate::eval::compare(&ws.regs[a], rel, &ws.regs[b]) {
                Tv::Unknown => retry(index),
                t => t,
            }
        })
    }
}

/// `f(x)` into `out` at `out`'s precision, as `eval_in` computes it; `false` where it has no
/// enclosure.
fn call_mpfr(f: Func, x: &Interval, out: &mut Interval) -> bool {
    match f {
        Func::Sqrt => out.set_sqrt_lean(x),
        Func::Exp => out.set_exp(x),
        Func::Log => return out.set_log_lean(x),
        Func::Arctan => out.set_atan(x),
        Func::Sin => out.set(&x.sin()),
        Func::Cos => out.set(&x.cos()),
        Func::Tan => match x.sin().div_lean(&x.cos()) {
            Ok(t) => out.set(&t),
            Err(_) => return false,
        },
        Func::Sinh => out.set(&x.sinh()),
        Func::Cosh => out.set(&x.cosh()),
        Func::Tanh => out.set(&x.tanh()),
    }
    true
}

/// Three-valued truth of the skeleton, with `cmp` deciding each comparison. Both sides of
/// every connective are evaluated, as the tree evaluator does.
fn truth(c: &Cond, cmp: &mut dyn FnMut(Rel, Reg, Reg, usize) -> Tv) -> Tv {
    match c {
        Cond::Const(b) => Tv::of(*b),
        Cond::Unknown => Tv::Unknown,
        Cond::Cmp { rel, a, b, index } => cmp(*rel, *a, *b, *index),
        Cond::Not(a) => truth(a, cmp).not(),
        Cond::And(a, b) => {
            let x = truth(a, cmp);
            x.and(truth(b, cmp))
        }
        Cond::Or(a, b) => {
            let x = truth(a, cmp);
            x.or(truth(b, cmp))
        }
        Cond::Imp(a, b) => {
            let x = truth(a, cmp);
            x.not().or(truth(b, cmp))
        }
        Cond::Iff(a, b) => {
            let (x, y) = (truth(a, cmp), truth(b, cmp));
            x.not().or(y).and(y.not().or(x))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Params, eval_in};
    use crate::front::{elab_expression, elab_proposition};
    use proptest::prelude::*;
    use rug::Float;

    fn names() -> Vec<String> {
        vec!["x".to_string(), "y".to_string()]
    }

    #[test]
    fn identical_subtrees_share_a_register() {
        let names = ["μSq".to_string(), "𝓵".to_string(), "x".to_string()];
        let e = elab_expression(
            "-μSq ^ 2 / (4 * 𝓵) + (2 * 𝓵 * x - μSq) ^ 2 / (4 * 𝓵)",
            &names,
        )
        .unwrap();
        let tape = Tape::expression(&e, &names).unwrap();
        // μSq², −μSq², 4𝓵 (once, scaled), ÷, 2𝓵 (scaled), 2𝓵x, 2𝓵x − μSq (a subtraction,
        // not a negation and a sum), (…)², ÷, +.
        assert_eq!(tape.len(), 10, "{tape:?}");
        assert_eq!(
            tape.ops
                .iter()
                .filter(|op| matches!(op, Op::Scale(_, 2) | Op::Scale(_, 1) | Op::Sub(..)))
                .count(),
            3,
            "{tape:?}"
        );
        assert!(tape.f64_workspace().is_some());
        let mut ws = tape.mpfr_workspace(128);
        assert!(ws.soft.is_some(), "soft registers at 65 to 256 bits");
        for (i, v) in ["7837.52", "0.129", "[0, 100000]"].iter().enumerate() {
            let x = crate::eval::parse_param(&format!("x={v}"), 128).unwrap().1;
            Tape::set_input(&mut ws, i, &x);
        }
        assert!(
            tape.run_soft(&mut ws),
            "the Higgs radial enclosure in soft registers"
        );
        assert!(tape.mpfr_workspace(256).soft.is_some());
        assert!(tape.mpfr_workspace(257).soft.is_none());
        assert!(tape.mpfr_workspace(64).soft.is_none());
        let exp = elab_expression("Real.exp x", &names).unwrap();
        let tape = Tape::expression(&exp, &names).unwrap();
        assert!(
            tape.f64_workspace().is_none(),
            "libm's exp has no error bound: MPFR only"
        );
    }

    #[test]
    fn what_the_tape_does_not_model_is_refused() {
        let n = names();
        for src in ["if x < 1 then x else y", "Real.rpow x y"] {
            let e = elab_expression(src, &n).unwrap();
            assert!(Tape::expression(&e, &n).is_err(), "{src}");
        }
        let p = elab_proposition("∀ z : ℝ, z ^ 2 ≥ x", &n).unwrap();
        assert!(Tape::claim(&p, &n).is_err());
        let e = elab_expression("x + z", &n);
        if let Ok(e) = e {
            assert!(Tape::expression(&e, &n).is_err());
        }
    }

    #[test]
    fn natural_subtraction_and_integer_rounding_match_the_tree() {
        use crate::core::Ty;
        let var = |n: &str| Box::new(Expr::Var(Ty::Nat, n.to_string()));
        let real = |e: Box<Expr>| Box::new(Expr::Cast(Ty::Nat, Ty::Real, e));
        // ((a - b : ℕ) : ℝ) + ⌊(a : ℝ) / 3⌋
        let first = Expr::Add(
            Ty::Real,
            vec![
                *real(Box::new(Expr::Sub(Ty::Nat, var("a"), var("b")))),
                Expr::Cast(
                    Ty::Int,
                    Ty::Real,
                    Box::new(Expr::Floor(
                        Ty::Real,
                        Box::new(Expr::Div(
                            Ty::Real,
                            real(var("a")),
                            Box::new(Expr::lit(Ty::Real, 3)),
                        )),
                    )),
                ),
            ],
        );
        // (Int.toNat (⌈(b : ℝ) / 2⌉ - 4) : ℝ)
        let second = *real(Box::new(Expr::ToNat(Box::new(Expr::Add(
            Ty::Int,
            vec![
                Expr::Ceil(
                    Ty::Real,
                    Box::new(Expr::Div(
                        Ty::Real,
                        real(var("b")),
                        Box::new(Expr::lit(Ty::Real, 2)),
                    )),
                ),
                Expr::lit(Ty::Int, -4),
            ],
        )))));
        let n = ["a".to_string(), "b".to_string()];
        for e in [first, second] {
            let tape = Tape::expression(&e, &n).unwrap();
            for (a, b) in [((0, 3), (1, 2)), ((5, 9), (0, 1)), ((2, 2), (7, 30))] {
                let iv = |(l, h): (i32, i32)| {
                    Interval::new(Float::with_val(64, l), Float::with_val(64, h)).unwrap()
                };
                let params: Params = [("a".to_string(), iv(a)), ("b".to_string(), iv(b))]
                    .into_iter()
                    .collect();
                let tree = eval_in(&e, &params, 64).unwrap();
                let mut ws = tape.mpfr_workspace(64);
                let got = tape.eval_mpfr(&mut ws, &[iv(a), iv(b)]).unwrap();
                assert_eq!(*got, tree, "{e}");
                let mut ws = tape.f64_workspace().unwrap();
                let fast = tape
                    .eval_f64(
                        &mut ws,
                        &[
                            Interval64::new(a.0.into(), a.1.into()).unwrap(),
                            Interval64::new(b.0.into(), b.1.into()).unwrap(),
                        ],
                    )
                    .unwrap();
                assert!(
                    fast.lo <= tree.lo.to_f64() && tree.hi.to_f64() <= fast.hi,
                    "{e}"
                );
            }
        }
    }

    /// Random real expressions in x and y: everything the tape compiles, with the
    /// transcendental functions only when `transcendental`.
    fn arb_expr(transcendental: bool) -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            4 => Just("x".to_string()),
            4 => Just("y".to_string()),
            3 => (0u32..20).prop_map(|n| format!("({n} : ℝ)")),
            1 => Just("(1 / 3 : ℝ)".to_string()),
            1 => Just("(1e300 : ℝ)".to_string()),
            1 => Just("(1e-300 : ℝ)".to_string()),
            // Powers of two scale instead of multiplying (2⁶⁴ still does, 2⁶⁵ does not).
            1 => Just("(0.5 : ℝ)".to_string()),
            1 => Just("(0.0078125 : ℝ)".to_string()),
            1 => Just("(18446744073709551616 : ℝ)".to_string()),
            1 => Just("(36893488147419103232 : ℝ)".to_string()),
            1 => Just("Real.pi".to_string()),
        ];
        leaf.prop_recursive(5, 40, 2, move |inner| {
            let mut ops: Vec<BoxedStrategy<String>> = vec![
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("({a} + {b})"))
                    .boxed(),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("({a} - {b})"))
                    .boxed(),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("({a} * {b})"))
                    .boxed(),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("({a} / {b})"))
                    .boxed(),
                inner.clone().prop_map(|a| format!("({a} * {a})")).boxed(),
                inner.clone().prop_map(|a| format!("({a})⁻¹")).boxed(),
                (inner.clone(), 0u32..7)
                    .prop_map(|(a, n)| format!("({a}) ^ {n}"))
                    .boxed(),
                inner
                    .clone()
                    .prop_map(|a| format!("Real.sqrt ({a})"))
                    .boxed(),
                inner.clone().prop_map(|a| format!("|({a})|")).boxed(),
                inner.clone().prop_map(|a| format!("(-{a})")).boxed(),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("(min ({a}) ({b}))"))
                    .boxed(),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("(max ({a}) ({b}))"))
                    .boxed(),
            ];
            if transcendental {
                for f in [
                    "Real.exp",
                    "Real.log",
                    "Real.sin",
                    "Real.cos",
                    "Real.tan",
                    "Real.arctan",
                    "Real.sinh",
                    "Real.cosh",
                    "Real.tanh",
                ] {
                    ops.push(
                        inner
                            .clone()
                            .prop_map(move |a| format!("{f} ({a})"))
                            .boxed(),
                    );
                }
            }
            proptest::strategy::Union::new(ops)
        })
    }

    /// A double of any magnitude class: zero, subnormal, tiny, ordinary, huge, near overflow.
    fn any_double() -> impl Strategy<Value = f64> {
        prop_oneof![
            6 => -50.0f64..50.0,
            2 => (-3i32..=3).prop_map(f64::from),
            1 => (1u64..1 << 30).prop_map(f64::from_bits),
            1 => (-300.0f64..300.0).prop_map(|e| 10f64.powf(e)),
            1 => (-300.0f64..300.0).prop_map(|e| -(10f64.powf(e))),
            1 => (0.5f64..1.0).prop_map(|m| m * f64::MAX),
            1 => (0.5f64..1.0).prop_map(|m| -m * f64::MAX),
        ]
    }

    /// A box side: a point, or the two doubles in order.
    fn any_side() -> impl Strategy<Value = (f64, f64)> {
        (any_double(), any_double(), any::<bool>())
            .prop_map(|(a, b, point)| if point { (a, a) } else { (a.min(b), a.max(b)) })
    }

    fn mpfr(side: (f64, f64), prec: u32) -> Interval {
        // Doubles are exact at 53 bits and more.
        Interval::new(Float::with_val(prec, side.0), Float::with_val(prec, side.1)).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The MPFR tape's enclosure is the tree evaluator's, bit for bit, and it fails
        /// exactly where the tree evaluator fails.
        #[test]
        fn mpfr_tape_equals_the_tree_evaluator(src in arb_expr(true), x in any_side(), y in any_side(), prec in 53u32..300) {
            let e = elab_expression(&src, &names()).unwrap();
            let tape = Tape::expression(&e, &names()).unwrap();
            let params: Params = [("x".to_string(), mpfr(x, prec)), ("y".to_string(), mpfr(y, prec))].into_iter().collect();
            let tree = eval_in(&e, &params, prec).ok();
            let mut ws = tape.mpfr_workspace(prec);
            let got = tape.eval_mpfr(&mut ws, &[mpfr(x, prec), mpfr(y, prec)]).cloned();
            match (&tree, &got) {
                (Some(t), Some(g)) => prop_assert!(t.lo == g.lo && t.hi == g.hi, "{src} on x={x:?}, y={y:?}: tree {t}, tape {g}"),
                (None, None) => {}
                _ => prop_assert!(false, "{src} on x={x:?}, y={y:?}: tree {tree:?}, tape {got:?}"),
            }
        }

        /// At random points of random boxes — magnitudes from subnormal to near overflow,
        /// sides at 0 and around the branch points of `√`, `/` and `⁻¹` — the f64 tape's
        /// enclosure of the box contains the 1024-bit value at the point.
        #[test]
        fn f64_tape_encloses_the_1024_bit_value(src in arb_expr(false), x in any_side(), y in any_side(), s in 0.0f64..=1.0, t in 0.0f64..=1.0) {
            let e = elab_expression(&src, &names()).unwrap();
            let tape = Tape::expression(&e, &names()).unwrap();
            let mut ws = tape.f64_workspace().expect("no transcendental function");
            let boxed = tape.eval_f64(&mut ws, &[Interval64::new(x.0, x.1).unwrap(), Interval64::new(y.0, y.1).unwrap()]);
            let Some(enclosure) = boxed else { return Ok(()); };
            prop_assert!(enclosure.lo <= enclosure.hi);
            let at = |(lo, hi): (f64, f64), u: f64| {
                let v = lo + u * (hi - lo);
                if v.is_finite() { v.clamp(lo, hi) } else { lo }
            };
            let (px, py) = (at(x, s), at(y, t));
            let params: Params = [("x".to_string(), mpfr((px, px), 1024)), ("y".to_string(), mpfr((py, py), 1024))].into_iter().collect();
            // The point's value (an enclosure of width ~2⁻¹⁰²⁴ relative); where the tree has
            // none (an unbounded intermediate), there is nothing to contain.
            let Ok(v) = eval_in(&e, &params, 1024) else { return Ok(()); };
            let lo = Float::with_val(1024, enclosure.lo);
            let hi = Float::with_val(1024, enclosure.hi);
            prop_assert!(lo <= v.lo && v.hi <= hi, "{src} at x={px:e}, y={py:e}: f64 {enclosure:?} does not contain {v}");
        }

        /// From 65 to 256 bits (both widths) the soft tier gives the MPFR tier's enclosure bit
        /// for bit (signs of zero included) and fails exactly where it fails; on finite inputs
        /// it completes whenever the tape has soft forms for all its operations.
        #[test]
        fn soft_tier_equals_the_mpfr_tier(src in arb_expr(false), x in any_side(), y in any_side(), prec in prop_oneof![Just(128u32), Just(65), 65u32..=128, 1u32..=64, Just(256u32), 129u32..=256, Just(300u32)]) {
            let e = elab_expression(&src, &names()).unwrap();
            let tape = Tape::expression(&e, &names()).unwrap();
            let inputs = [mpfr(x, 53), mpfr(y, 53)];
            let run = |soft: bool| {
                let mut ws = tape.mpfr_workspace(prec);
                for (i, v) in inputs.iter().enumerate() {
                    Tape::set_input(&mut ws, i, v);
                }
                let completed = if soft {
                    tape.run_soft(&mut ws)
                } else {
                    crate::soft::mpfr_only(|| tape.run_mpfr(&mut ws));
                    false
                };
                let root = tape.root.unwrap();
                (completed, ws.valid[root].then(|| ws.regs[root].clone()))
            };
            let (completed, soft) = run(true);
            let (_, mpfr) = run(false);
            prop_assert_eq!(completed, tape.soft_tier && crate::soft::applies(prec), "{}", src);
            if completed {
                let same = |a: &Float, b: &Float| a.is_sign_negative() == b.is_sign_negative() && a == b;
                match (&soft, &mpfr) {
                    (Some(s), Some(m)) => prop_assert!(same(&s.lo, &m.lo) && same(&s.hi, &m.hi), "{src} on x={x:?}, y={y:?} at {prec}: soft {s:?}, MPFR {m:?}"),
                    (None, None) => {}
                    _ => prop_assert!(false, "{src} on x={x:?}, y={y:?} at {prec}: soft {soft:?}, MPFR {mpfr:?}"),
                }
            }
        }

        /// Claims: the soft tier's truth is the MPFR tier's.
        #[test]
        fn soft_tier_truth_equals_the_mpfr_tiers(a in arb_expr(false), b in arb_expr(false), rel in 0usize..6, x in any_side(), y in any_side(), prec in prop_oneof![Just(128u32), Just(256u32), 129u32..=256]) {
            let r = ["≤", "<", "≥", ">", "=", "≠"][rel];
            let p = elab_proposition(&format!("{a} {r} {b}"), &names()).unwrap();
            let tape = Tape::claim(&p, &names()).unwrap();
            let truth = |soft: bool| {
                let mut ws = tape.mpfr_workspace(prec);
                Tape::set_input(&mut ws, 0, &mpfr(x, prec));
                Tape::set_input(&mut ws, 1, &mpfr(y, prec));
                if soft {
                    tape.truth_mpfr(&mut ws, &mut |_| Tv::Unknown)
                } else {
                    crate::soft::mpfr_only(|| tape.truth_mpfr(&mut ws, &mut |_| Tv::Unknown))
                }
            };
            prop_assert_eq!(truth(true), truth(false), "{} {} {}", a, r, b);
        }

        /// A claim the f64 tier decides is decided alike by the MPFR tier and the tree
        /// evaluator (never the opposite way).
        #[test]
        fn tiers_never_disagree(a in arb_expr(false), b in arb_expr(false), rel in 0usize..6, x in any_side(), y in any_side()) {
            let r = ["≤", "<", "≥", ">", "=", "≠"][rel];
            let p = elab_proposition(&format!("{a} {r} {b}"), &names()).unwrap();
            let tape = Tape::claim(&p, &names()).unwrap();
            let mut ws = tape.f64_workspace().unwrap();
            let fast = tape.truth_f64(&mut ws, &[Interval64::new(x.0, x.1).unwrap(), Interval64::new(y.0, y.1).unwrap()]);
            let mut ws = tape.mpfr_workspace(128);
            Tape::set_input(&mut ws, 0, &mpfr(x, 128));
            Tape::set_input(&mut ws, 1, &mpfr(y, 128));
            let slow = tape.truth_mpfr(&mut ws, &mut |_| Tv::Unknown);
            let params: Params = [("x".to_string(), mpfr(x, 128)), ("y".to_string(), mpfr(y, 128))].into_iter().collect();
            let tree = crate::eval::truth(&p, &params, 128);
            prop_assert_eq!(slow, tree);
            if fast != Tv::Unknown {
                prop_assert!(slow == fast || slow == Tv::Unknown, "{a} {r} {b}: f64 {fast:?}, MPFR {slow:?}");
            }
        }
    }
}
