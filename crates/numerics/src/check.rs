//! Deciding a translated [`Statement`] on a box: first a search for a counterexample at exact
//! points (random and structured samples, integers for `ℕ`/`ℤ` variables, screened in f64 by
//! `fast`, then each candidate decided by exact rational arithmetic where the claim is
//! rational, else by interval evaluation at that point); then an exact algebraic certificate
//! (`algebraic`) for polynomial claims; then branch and bound: a sub-box where interval
//! evaluation (the claim compiled once into a `tape`, tried in f64 intervals first, then in
//! MPFR at the check's precision; plain, else the mean-value form of `jet`) proves the claim
//! is done, a sub-box
//! where it is unknown is bisected along its widest side (even variables on their
//! non-negative half only, integer variables at integers), up to the budgets, and its centre is
//! screened for a counterexample on the way. Three-valued logic throughout, so an undecided
//! comparison is never taken as true or false.
//!
//! A proof on the box is only a proof of the statement when the hypotheses confine every
//! variable to the box (`hx : x ∈ Set.Icc 0 1` with the box `[0, 1]`); otherwise the verdict
//! says `proved_on_box`. Every search has a time budget, and a verdict that stops on a budget
//! says which one.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rug::{Float, Rational};
use serde::Serialize;

use crate::algebraic::Algebraic;
use crate::certificate::{Tree, rational_text};
use crate::core::{Expr, Prop, Rel, Ty, Var};
use crate::eval::{Params, Tv, compare, eval_in};
use crate::exact::{eval_exact, truth_exact};
use crate::interval::Interval;
use crate::interval64::{Interval64, rational_bounds};
use crate::statement::Statement;
use crate::tape::{F64Workspace, MpfrWorkspace, Tape};

/// Search limits.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Per variable; unlisted variables get a range from the hypotheses where they give one,
    /// else `[-10, 10]` (`[0, 10]` for norms and natural numbers).
    pub boxes: BTreeMap<String, (Rational, Rational)>,
    pub samples: usize,
    pub max_boxes: usize,
    pub prec: u32,
    pub seed: u64,
    /// Try an exact algebraic certificate (completed squares, identities) before bisection.
    pub algebraic: bool,
    /// Wall-clock budget of the whole check.
    pub time_limit: Duration,
    /// Decide the branch and bound's boxes through the claim's compiled tape (f64 first, then
    /// MPFR); off, every box goes through the tree evaluator (the reference the tape is tested
    /// and benchmarked against). Verdicts are the same either way.
    pub tape: bool,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            boxes: BTreeMap::new(),
            samples: 2000,
            max_boxes: 20_000,
            prec: 128,
            seed: 0x5eed,
            algebraic: true,
            time_limit: Duration::from_secs(60),
            tape: true,
        }
    }
}

/// Which budget stopped a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Budget {
    /// `--max-boxes` sub-boxes visited.
    Boxes,
    /// Bisection reached its depth (precision) limit on some sub-box.
    Depth,
    /// `--time-limit` ran out.
    Time,
    /// Nothing to bisect: the claim is undecided at its exact points (a quantifier, an
    /// irrational value compared for equality).
    Undecidable,
}

impl Budget {
    pub fn describe(self) -> &'static str {
        match self {
            Budget::Boxes => "the sub-box budget (--max-boxes) ran out",
            Budget::Depth => "bisection reached its depth limit (about 2⁻²⁴ of each side)",
            Budget::Time => "the time budget (--time-limit) ran out",
            Budget::Undecidable => {
                "the claim cannot be decided on a bounded box (an ∃, or a quantifier theorist only searches)"
            }
        }
    }
}

/// The outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// A point of the box where the hypotheses hold and the conclusion fails, decided exactly
    /// (rational claims) or by interval evaluation at that exact point.
    Refuted {
        counterexample: BTreeMap<String, String>,
        certified_by: &'static str,
    },
    /// The statement holds: a claim without variables decided exactly, a witness for `∃`, an
    /// algebraic certificate valid wherever the hypotheses hold, or branch and bound on a box
    /// that the hypotheses confine the variables to.
    Proved {
        boxes: usize,
        method: &'static str,
        /// For `∃` claims: the exact point that satisfies the body.
        #[serde(skip_serializing_if = "Option::is_none")]
        witness: Option<BTreeMap<String, String>>,
        #[serde(skip)]
        tree: Option<Tree>,
        /// For polynomial claims proved without bisection: the exact decomposition.
        #[serde(skip_serializing_if = "Option::is_none")]
        algebraic: Option<Algebraic>,
        /// Variables the claim is even in: bisected on their non-negative half only.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        even: Vec<String>,
    },
    /// Proved on the box only: the statement's variables range beyond it (no hypothesis
    /// confines them), so points outside were not checked.
    ProvedOnBox {
        boxes: usize,
        method: &'static str,
        #[serde(skip)]
        tree: Option<Tree>,
        #[serde(skip_serializing_if = "Option::is_none")]
        algebraic: Option<Algebraic>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        even: Vec<String>,
        /// The variables whose range the box cuts short.
        unconfined: Vec<String>,
    },
    /// No counterexample found, not proved within the budgets.
    Consistent {
        samples: usize,
        boxes: usize,
        unresolved: usize,
        /// What stopped the search.
        budget: Budget,
        /// Centres of sub-boxes where bisection reached its depth limit undecided (at most
        /// three): typically where a bound is attained.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        stalled_near: Vec<Stall>,
    },
}

impl Verdict {
    /// The verdict in one line: `refuted: counterexample x := 1/2`, `proved (method)`, …
    pub fn summary(&self) -> String {
        match self {
            Verdict::Refuted { counterexample, .. } => {
                let values: Vec<String> = counterexample
                    .iter()
                    .map(|(k, v)| format!("{k} := {v}"))
                    .collect();
                format!("refuted: counterexample {}", values.join(", "))
            }
            Verdict::Proved { method, .. } => format!("proved ({method})"),
            Verdict::ProvedOnBox {
                method, unconfined, ..
            } => format!(
                "proved on the box only ({method}); {} range beyond it",
                unconfined.join(", ")
            ),
            Verdict::Consistent {
                unresolved,
                boxes,
                budget,
                ..
            } => format!(
                "consistent: no counterexample; {unresolved} of {boxes} sub-boxes undecided ({})",
                budget.describe()
            ),
        }
    }
}

/// Where bisection stalled: the sub-box's centre (decimal approximations) and, in f64, the
/// difference `rhs - lhs` of the conclusion's first comparison there — about 0 where a bound is
/// attained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stall {
    pub at: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<f64>,
}

/// `rhs - lhs` of the first comparison in the conclusion (right of the hypotheses' `→`s).
fn conclusion_gap(p: &Prop, env: &BTreeMap<String, crate::fast::Approx>) -> Option<f64> {
    match p {
        Prop::Imp(_, b) => conclusion_gap(b, env),
        Prop::And(a, b) => conclusion_gap(a, env).or_else(|| conclusion_gap(b, env)),
        Prop::Cmp(_, a, b) => {
            let a = crate::fast::eval(a, env)?;
            let b = crate::fast::eval(b, env)?;
            Some(b.v - a.v)
        }
        _ => None,
    }
}

/// Three-valued truth of `p` on a box; with `centred` an open comparison is retried in the
/// mean-value form (worth its cost on the branch and bound's boxes, not in the many small
/// boxes of a nested `∀`). Domain errors leave a comparison unknown.
pub(crate) fn truth_in(p: &Prop, env: &Params, prec: u32, centred: bool, clock: &Clock) -> Tv {
    let rec = |p: &Prop| truth_in(p, env, prec, centred, clock);
    match p {
        Prop::Const(b) => Tv::of(*b),
        Prop::Cmp(r, a, b) => match (eval_in(a, env, prec), eval_in(b, env, prec)) {
            (Ok(x), Ok(y)) => {
                let t = compare(&x, *r, &y);
                if t == Tv::Unknown && centred {
                    centred_compare(a, *r, b, env, prec)
                } else {
                    t
                }
            }
            _ => Tv::Unknown,
        },
        Prop::Forall(vars, body) => nested_forall(vars, body, env, prec, clock),
        Prop::Exists(..) => Tv::Unknown,
        _ => connective(p, rec).unwrap_or(Tv::Unknown),
    }
}

/// The three-valued truth of a connective from its parts' (`rec`); `None` for anything else.
pub(crate) fn connective(p: &Prop, mut rec: impl FnMut(&Prop) -> Tv) -> Option<Tv> {
    Some(match p {
        Prop::Not(a) => rec(a).not(),
        Prop::And(a, b) => rec(a).and(rec(b)),
        Prop::Or(a, b) => rec(a).or(rec(b)),
        Prop::Imp(a, b) => rec(a).not().or(rec(b)),
        Prop::Iff(a, b) => {
            let (x, y) = (rec(a), rec(b));
            x.not().or(y).and(y.not().or(x))
        }
        _ => return None,
    })
}

/// A comparison the plain enclosures left open, retried with the mean-value form of the
/// difference `b - a` (it converges quadratically as boxes shrink, the plain form linearly).
fn centred_compare(a: &Expr, r: Rel, b: &Expr, env: &Params, prec: u32) -> Tv {
    if matches!(r, Rel::Eq | Rel::Ne) {
        return Tv::Unknown;
    }
    let ty = a.ty();
    if ty != Ty::Real && ty != Ty::Rat {
        return Tv::Unknown;
    }
    let difference = Expr::Add(ty, vec![b.clone(), Expr::Neg(ty, Box::new(a.clone()))]);
    let Some(d) = crate::jet::centred(&difference, env, prec) else {
        return Tv::Unknown;
    };
    let zero = Interval::point(Float::with_val(prec, 0));
    compare(&zero, r, &d)
}

/// The default range of a variable of this type.
fn default_range(v: &Var) -> (Rational, Rational) {
    if v.nonneg || v.ty == Ty::Nat {
        (Rational::from(0), Rational::from(10))
    } else {
        (Rational::from(-10), Rational::from(10))
    }
}

/// A nested `∀ vars, body` under the outer enclosure `env`: a small bisection over default
/// ranges looks for a sub-box where `body` is false everywhere (then the `∀` is false for
/// every outer point). It never answers true: a bounded box cannot establish `∀` over ℝ.
fn nested_forall(vars: &[Var], body: &Prop, env: &Params, prec: u32, clock: &Clock) -> Tv {
    const BUDGET: usize = 256;
    let mut stack: Vec<Vec<(Rational, Rational)>> = vec![vars.iter().map(default_range).collect()];
    let mut visited = 0;
    while let Some(b) = stack.pop() {
        if clock.out() {
            return Tv::Unknown;
        }
        visited += 1;
        let mut inner = env.clone();
        for (v, (lo, hi)) in vars.iter().zip(&b) {
            inner.insert(v.name.clone(), rational_interval(lo, hi, prec));
        }
        let t = truth_in(body, &inner, prec, false, clock);
        if t == Tv::False {
            return Tv::False;
        }
        if t == Tv::Unknown && visited + stack.len() < BUDGET {
            if let Some((w, left, right)) = split(&b, vars) {
                let mut l = b.clone();
                l[w] = left;
                let mut r = b;
                r[w] = right;
                stack.push(r);
                stack.push(l);
            }
        }
    }
    Tv::Unknown
}

/// Where to bisect a box: its widest side, split at the midpoint (an integer variable at
/// the integer below it, so the parts are `[lo, m]` and `[m + 1, hi]`); `None` when the box is
/// a single point.
#[allow(clippy::type_complexity)]
fn split(
    b: &[(Rational, Rational)],
    vars: &[Var],
) -> Option<(usize, (Rational, Rational), (Rational, Rational))> {
    let widest = (0..b.len()).max_by(|&i, &j| {
        Rational::from(&b[i].1 - &b[i].0).cmp(&Rational::from(&b[j].1 - &b[j].0))
    })?;
    let (lo, hi) = &b[widest];
    if lo == hi {
        return None;
    }
    let mid: Rational = Rational::from(lo + hi) / 2;
    if vars.get(widest).is_some_and(|v| v.ty.is_integral()) {
        let m = Rational::from(mid.floor_ref());
        return Some((widest, (lo.clone(), m.clone()), (m + 1u32, hi.clone())));
    }
    Some((widest, (lo.clone(), mid.clone()), (mid, hi.clone())))
}

/// Points that satisfy the claim's equations `v = e` exactly (`v := e` evaluated at the rest of
/// the point), so that claims about a specific value are tested at that value.
fn solve_equations(
    p: &Prop,
    point: &mut BTreeMap<String, Rational>,
    bx: &[(String, Rational, Rational)],
    vars: &[Var],
) {
    match p {
        Prop::Cmp(Rel::Eq, l, r) => {
            for (lhs, rhs) in [(l, r), (r, l)] {
                if let Expr::Var(_, name) = lhs {
                    if let Some(k) = bx.iter().position(|(n, _, _)| n == name) {
                        let (_, lo, hi) = &bx[k];
                        let mut rest = point.clone();
                        rest.remove(name);
                        if let Some(v) = eval_exact(rhs, &rest) {
                            let integral = vars[k].ty.is_integral();
                            if lo <= &v && &v <= hi && (!integral || *v.denom() == 1) {
                                point.insert(name.clone(), v);
                                return;
                            }
                        }
                    }
                }
            }
            solve_affine(l, r, point, bx, vars);
        }
        Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => {
            solve_equations(a, point, bx, vars)
        }
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            solve_equations(a, point, bx, vars);
            solve_equations(b, point, bx, vars);
        }
        _ => {}
    }
}

/// `l = r` solved for the first real variable it looks affine in (the difference at `v = 0, 1,
/// 2` on a line), so that `‖φ‖ ^ 2 = μ / (2 * 𝓵)` is sampled where it holds (`μ := 2 𝓵 ‖φ‖²`).
/// Only a sample: the point is then decided exactly like any other, so a variable that is not
/// really affine costs nothing but the sample.
fn solve_affine(
    l: &Expr,
    r: &Expr,
    point: &mut BTreeMap<String, Rational>,
    bx: &[(String, Rational, Rational)],
    vars: &[Var],
) {
    for ((name, lo, hi), var) in bx.iter().zip(vars) {
        if var.ty.is_integral() || !(l.mentions(name) || r.mentions(name)) {
            continue;
        }
        let difference = |x: u32| -> Option<Rational> {
            let mut at = point.clone();
            at.insert(name.clone(), Rational::from(x));
            Some(eval_exact(l, &at)? - eval_exact(r, &at)?)
        };
        let (Some(d0), Some(d1), Some(d2)) = (difference(0), difference(1), difference(2)) else {
            continue;
        };
        let slope = Rational::from(&d1 - &d0);
        if slope == 0 || Rational::from(&d2 - &d1) != slope {
            continue;
        }
        let v = -d0 / slope;
        if *lo <= v && v <= *hi {
            point.insert(name.clone(), v);
            return;
        }
    }
}

/// The sides of the statement's hypotheses `a ≤ b` / `a ≥ b` (conjunctions opened).
fn non_strict_hypotheses(s: &Statement) -> Vec<(&Expr, &Expr)> {
    fn walk<'a>(h: &'a Prop, out: &mut Vec<(&'a Expr, &'a Expr)>) {
        match h {
            Prop::And(a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Prop::Cmp(Rel::Le | Rel::Ge, a, b) => out.push((a, b)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut p = &s.claim;
    for _ in &s.hypotheses {
        let Prop::Imp(h, rest) = p else { break };
        walk(h, &mut out);
        p = rest;
    }
    out
}

/// Whether the claim states an equation `v = e` that samples should solve.
fn has_equation(p: &Prop) -> bool {
    match p {
        Prop::Cmp(r, ..) => *r == Rel::Eq,
        Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => has_equation(a),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            has_equation(a) || has_equation(b)
        }
        Prop::Const(_) => false,
    }
}

/// The truth of the claim at an exact point: exact where possible, else by intervals.
fn at_point(
    s: &Statement,
    point: &BTreeMap<String, Rational>,
    prec: u32,
    clock: &Clock,
) -> (Tv, &'static str) {
    let resolved = clock.resolve(&s.claim, point);
    let (claim, exactly, by_intervals) = match &resolved {
        Some(claim) => (
            claim,
            "exact rational arithmetic, the quantifiers decided exactly at the point",
            "interval arithmetic at the exact point, the quantifiers decided exactly there",
        ),
        None => (
            &s.claim,
            "exact rational arithmetic",
            "interval arithmetic at the exact point",
        ),
    };
    if let Some(b) = truth_exact(claim, point) {
        return (Tv::of(b), exactly);
    }
    let env: Params = point
        .iter()
        .map(|(k, v)| (k.clone(), rational_interval(v, v, prec)))
        .collect();
    (truth_in(claim, &env, prec, false, clock), by_intervals)
}

pub(crate) fn rational_interval(lo: &Rational, hi: &Rational, prec: u32) -> Interval {
    use rug::float::Round;
    Interval::fixed(
        Float::with_val_round(prec, lo, Round::Down).0,
        Float::with_val_round(prec, hi, Round::Up).0,
    )
}

/// A small deterministic generator (xorshift64*), so runs are reproducible.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A dyadic rational in `[lo, hi]` with 1/1024 steps of the width.
    pub(crate) fn dyadic(&mut self, lo: &Rational, hi: &Rational) -> Rational {
        let k = (self.next() % 1025) as i64;
        lo + Rational::from((k, 1024)) * Rational::from(hi - lo)
    }
}

/// The wall-clock budget.
pub(crate) struct Clock {
    deadline: Instant,
    /// How many more points may have their quantifiers decided (each may try a few hundred
    /// curves in exact arithmetic).
    resolutions: std::cell::Cell<usize>,
}

mod field_points;
mod square_roots;

use field_points::refute_on_equations;
use square_roots::rational_square_roots;

/// Points per check whose nested quantifiers are decided exactly.
const RESOLUTIONS: usize = 400;

impl Clock {
    pub(crate) fn new(limit: Duration) -> Clock {
        Clock {
            deadline: Instant::now() + limit,
            resolutions: std::cell::Cell::new(RESOLUTIONS),
        }
    }
    pub(crate) fn out(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// `claim` with its nested quantifiers decided exactly at `point` where they can be, while
    /// the budget lasts; `None` when nothing was decided.
    pub(crate) fn resolve(&self, claim: &Prop, point: &BTreeMap<String, Rational>) -> Option<Prop> {
        let left = self.resolutions.get();
        if left == 0 || !crate::alternation::has_nested_quantifier(claim) {
            return None;
        }
        self.resolutions.set(left - 1);
        crate::alternation::resolve(claim, point)
    }
}

/// Bounds on a variable that the statement's leading hypotheses state with constants
/// (`0 ≤ x`, `x < 1`, `x ∈ Set.Icc 0 1`), and those its type gives (norms and `ℕ` are
/// `≥ 0`): `(lower, upper)`, `None` where unbounded.
fn implied_range(s: &Statement, v: &Var) -> (Option<Rational>, Option<Rational>) {
    let mut lo: Option<Rational> = (v.nonneg || v.ty == Ty::Nat).then(|| Rational::from(0));
    let mut hi: Option<Rational> = None;
    fn walk(p: &Prop, name: &str, lo: &mut Option<Rational>, hi: &mut Option<Rational>) {
        match p {
            Prop::And(a, b) => {
                walk(a, name, lo, hi);
                walk(b, name, lo, hi);
            }
            Prop::Cmp(r, a, b) => {
                let empty = BTreeMap::new();
                let is_var = |e: &Expr| matches!(e, Expr::Var(_, n) if n == name);
                let (rel, c) = if is_var(a) {
                    match eval_exact(b, &empty) {
                        Some(c) => (*r, c),
                        None => return,
                    }
                } else if is_var(b) {
                    let flipped = match r {
                        Rel::Le => Rel::Ge,
                        Rel::Lt => Rel::Gt,
                        Rel::Ge => Rel::Le,
                        Rel::Gt => Rel::Lt,
                        other => *other,
                    };
                    match eval_exact(a, &empty) {
                        Some(c) => (flipped, c),
                        None => return,
                    }
                } else {
                    return;
                };
                // `x < c` bounds x by c too (the box is closed; it still contains every point).
                match rel {
                    Rel::Le | Rel::Lt => {
                        if hi.as_ref().is_none_or(|h| c < *h) {
                            *hi = Some(c);
                        }
                    }
                    Rel::Ge | Rel::Gt => {
                        if lo.as_ref().is_none_or(|l| c > *l) {
                            *lo = Some(c);
                        }
                    }
                    Rel::Eq => {
                        *lo = Some(c.clone());
                        *hi = Some(c);
                    }
                    Rel::Ne => {}
                }
            }
            _ => {}
        }
    }
    let mut p = &s.claim;
    for _ in &s.hypotheses {
        let Prop::Imp(h, rest) = p else { break };
        walk(h, &v.name, &mut lo, &mut hi);
        p = rest;
    }
    (lo, hi)
}

/// The box the check runs on: given ranges, else the hypotheses' bounds (closed up with the
/// default width where only one side is bounded), else the defaults.
pub fn box_of(s: &Statement, config: &CheckConfig) -> Vec<(String, Rational, Rational)> {
    s.vars
        .iter()
        .map(|v| {
            let (lo, hi) = config.boxes.get(&v.name).cloned().unwrap_or_else(|| {
                let (dlo, dhi) = default_range(v);
                match implied_range(s, v) {
                    (Some(l), Some(h)) if l <= h => (l, h),
                    (Some(l), None) => {
                        let h = if l < dhi {
                            dhi
                        } else {
                            Rational::from(&l + 20u32)
                        };
                        (l, h)
                    }
                    (None, Some(h)) => {
                        let l = if h > dlo {
                            dlo
                        } else {
                            Rational::from(&h - 20u32)
                        };
                        (l, h)
                    }
                    _ => (dlo, dhi),
                }
            });
            // Integer variables range over the integers of the box.
            let (lo, hi) = if v.ty.is_integral() {
                (
                    Rational::from(lo.ceil_ref()),
                    Rational::from(hi.floor_ref()),
                )
            } else {
                (lo, hi)
            };
            (v.name.clone(), lo, hi)
        })
        .collect()
}

/// The variables whose box does not contain every value the hypotheses allow.
fn unconfined(s: &Statement, bx: &[(String, Rational, Rational)]) -> Vec<String> {
    s.vars
        .iter()
        .zip(bx)
        .filter(|(v, (_, lo, hi))| {
            let (l, h) = implied_range(s, v);
            !(l.is_some_and(|l| l >= *lo) && h.is_some_and(|h| h <= *hi))
        })
        .map(|(v, _)| v.name.clone())
        .collect()
}

/// A point of the box for each variable: integers for integer variables.
pub(crate) fn snap(v: &Var, x: Rational, lo: &Rational, hi: &Rational) -> Rational {
    if v.ty.is_integral() {
        let r = Rational::from(x.round_ref());
        r.clamp(lo, hi)
    } else {
        x
    }
}

/// Decides `s` on its box: exact decisions first (closed claims, `∃` witnesses, extrema), then
/// samples at exact points, then an exact certificate, then branch and bound.
pub fn check(s: &Statement, config: &CheckConfig) -> Verdict {
    let clock = Clock::new(config.time_limit);
    let bx = box_of(s, config);
    if bx.iter().any(|(_, lo, hi)| lo > hi) {
        // An integer variable's box holds no integer: nothing to check, nothing proved.
        return consistent(0, 0, Budget::Undecidable);
    }
    if let Some(v) = decide_closed(s, config, &clock) {
        return v;
    }
    if let Some(v) = decide_exists(s, config, &clock) {
        return v;
    }
    // `IsMinOn`/`IsMaxOn` under `↔`, `¬` or as a hypothesis: located and decided exactly where
    // the algebra allows.
    if let Some(v) = crate::extremum::decide(s, config) {
        return v;
    }
    let tried = match sample(s, config, &clock, &bx) {
        Ok(tried) => tried,
        Err(decided) => return *decided,
    };
    if exists_claim(&s.claim).is_some() {
        // A bounded box can never prove `∀ vars, ∃ …`.
        return consistent(tried, 1, Budget::Undecidable);
    }
    let loose = unconfined(s, &bx);
    if config.algebraic {
        if let Some(v) = certify(s, &bx, &loose) {
            return v;
        }
    }
    if let Some(v) = refine_near_misses(s, config, &clock, &bx) {
        return v;
    }
    branch_and_bound(s, config, &clock, &bx, tried, loose)
}

/// A counterexample in a thin region, reached by descending the claim's margin (`descent`) and
/// decided exactly like every sample.
fn refine_near_misses(
    s: &Statement,
    config: &CheckConfig,
    clock: &Clock,
    bx: &[(String, Rational, Rational)],
) -> Option<Verdict> {
    let mut by = "";
    let found = crate::descent::refine(&s.claim, &s.vars, bx, config.seed, clock, &mut |p| {
        let (truth, how) = at_point(s, p, config.prec, clock);
        by = how;
        truth == Tv::False
    })?;
    Some(refuted(&found, by))
}

/// Nothing decided: `samples` points tried, `unresolved` open, stopped by `budget`.
fn consistent(samples: usize, unresolved: usize, budget: Budget) -> Verdict {
    Verdict::Consistent {
        samples,
        boxes: 0,
        unresolved,
        budget,
        stalled_near: Vec::new(),
    }
}

/// Refuted at `point`, decided by `by`.
fn refuted(point: &BTreeMap<String, Rational>, by: &'static str) -> Verdict {
    Verdict::Refuted {
        counterexample: point
            .iter()
            .map(|(k, v)| (k.clone(), rational_text(v)))
            .collect(),
        certified_by: by,
    }
}

/// Proved without boxes, by `method`.
fn proved_outright(method: &'static str) -> Verdict {
    Verdict::Proved {
        boxes: 0,
        method,
        witness: None,
        tree: None,
        algebraic: None,
        even: Vec::new(),
    }
}

/// A closed claim with quantifiers inside (`counterExample.IsStable`): decided exactly where
/// `alternation` can, before any witness search.
fn decide_closed(s: &Statement, config: &CheckConfig, clock: &Clock) -> Option<Verdict> {
    if !s.vars.is_empty() || !crate::alternation::has_nested_quantifier(&s.claim) {
        return None;
    }
    match at_point(s, &BTreeMap::new(), config.prec, clock) {
        (Tv::False, by) => Some(refuted(&BTreeMap::new(), by)),
        (Tv::True, by) => {
            // An `∃` that holds: a witness, when the search finds one, says more.
            if exists_claim(&s.claim).is_some() {
                if let Some(v @ Verdict::Proved { .. }) = decide_exists(s, config, clock) {
                    return Some(v);
                }
            }
            Some(proved_outright(by))
        }
        _ => None,
    }
}

/// Structured and random samples at exact points: `Err` with the verdict they reach (a
/// counterexample; for a claim without variables, its one point decided), else `Ok` with how
/// many were tried.
fn sample(
    s: &Statement,
    config: &CheckConfig,
    clock: &Clock,
    bx: &[(String, Rational, Rational)],
) -> Result<usize, Box<Verdict>> {
    let sampler = Sampler::new(s, bx);
    let mut rng = Rng(config.seed | 1);
    let mut approx: BTreeMap<String, crate::fast::Approx> = bx
        .iter()
        .map(|(n, _, _)| (n.clone(), crate::fast::point(0.0)))
        .collect();
    let mut tried = 0;
    // A refutation at a point in ℚ(√d) is kept while rational points are still tried: a
    // rational counterexample reads better in Lean.
    let mut irrational: Option<Verdict> = None;
    for i in 0..config.samples + sampler.nice.len() + 3 {
        if clock.out() {
            return Err(Box::new(
                irrational.unwrap_or_else(|| consistent(tried, 1, Budget::Time)),
            ));
        }
        let ks: Vec<u64> = bx
            .iter()
            .map(|_| {
                if sampler.random(i) {
                    rng.next() % 1025
                } else {
                    0
                }
            })
            .collect();
        tried += 1;
        if sampler.equations && i % 2 == 1 && irrational.is_none() {
            // Equations no rational sample satisfies (`v ^ 2 = 2 * r ^ 2`): solved exactly.
            let start = sampler.exact_point(i, &ks);
            match refute_on_equations(s, &start, config, clock) {
                Some((v, false)) => return Err(Box::new(v)),
                Some((v, true)) => irrational = Some(v),
                None => {}
            }
        }
        let Some(point) = sampler.candidate(i, &ks, &mut approx) else {
            continue;
        };
        match at_point(s, &point, config.prec, clock) {
            (Tv::False, by) => return Err(Box::new(refuted(&point, by))),
            // Without variables the single point is the whole claim.
            (Tv::True, by) if bx.is_empty() => return Err(Box::new(proved_outright(by))),
            _ if bx.is_empty() => {
                return Err(Box::new(consistent(tried, 1, Budget::Undecidable)));
            }
            _ => {}
        }
    }
    if let Some(v) = irrational {
        return Err(Box::new(v));
    }
    Ok(tried)
}

/// Where the `i`-th sample lies.
struct Sampler<'a> {
    s: &'a Statement,
    bx: &'a [(String, Rational, Rational)],
    nice: [Rational; 6],
    /// The claim states equations the samples should solve.
    equations: bool,
    /// The sides of the non-strict hypotheses, whose boundaries are sampled.
    boundaries: Vec<(&'a Expr, &'a Expr)>,
    /// The box in f64, for screening random points.
    bounds: Vec<(f64, f64)>,
    any_integral: bool,
    /// The claim has quantifiers inside: some points mix zeros and nice values.
    mixed: bool,
}

impl<'a> Sampler<'a> {
    fn new(s: &'a Statement, bx: &'a [(String, Rational, Rational)]) -> Sampler<'a> {
        Sampler {
            s,
            bx,
            nice: [
                Rational::from(0),
                Rational::from(1),
                Rational::from(-1),
                Rational::from((1, 2)),
                Rational::from(2),
                Rational::from(-2),
            ],
            equations: has_equation(&s.claim),
            boundaries: non_strict_hypotheses(s),
            bounds: bx
                .iter()
                .map(|(_, lo, hi)| (lo.to_f64(), hi.to_f64()))
                .collect(),
            any_integral: s.vars.iter().any(|v| v.ty.is_integral()),
            mixed: crate::alternation::has_nested_quantifier(&s.claim),
        }
    }

    /// Whether the `i`-th point is drawn at random (the first ones are the box's corners, its
    /// centre and the nice values).
    fn random(&self, i: usize) -> bool {
        i >= 3 + self.nice.len()
    }

    /// The `i`-th point from its draws `ks` (each in `0..=1024`).
    fn exact_point(&self, i: usize, ks: &[u64]) -> BTreeMap<String, Rational> {
        let nice = &self.nice;
        self.bx
            .iter()
            .zip(ks)
            .zip(&self.s.vars)
            .map(|(((name, lo, hi), k), var)| {
                let v = match i {
                    0 => lo.clone(),
                    1 => hi.clone(),
                    2 => Rational::from(lo + hi) / 2,
                    j if j < 3 + nice.len() => nice[j - 3].clone().clamp(lo, hi),
                    // Quantified claims turn on special parameter values (a coupling
                    // exactly 0): a third of their points mix zeros and nice values.
                    _ if self.mixed && i % 3 == 0 => match k % 4 {
                        0 | 1 => Rational::new().clamp(lo, hi),
                        2 => nice[(*k as usize / 4) % nice.len()].clone().clamp(lo, hi),
                        _ => lo + Rational::from((*k as i64, 1024)) * Rational::from(hi - lo),
                    },
                    _ => lo + Rational::from((*k as i64, 1024)) * Rational::from(hi - lo),
                };
                (name.clone(), snap(var, v, lo, hi))
            })
            .collect()
    }

    /// The `i`-th point to decide, or `None` when f64 already shows the claim true there.
    fn candidate(
        &self,
        i: usize,
        ks: &[u64],
        approx: &mut BTreeMap<String, crate::fast::Approx>,
    ) -> Option<BTreeMap<String, Rational>> {
        let (s, bx) = (self.s, self.bx);
        let mut point = None;
        if i % 2 == 1 && self.equations {
            let mut p = self.exact_point(i, ks);
            solve_equations(&s.claim, &mut p, bx, &s.vars);
            point = Some(p);
        } else if i % 4 == 2 && self.random(i) && !self.boundaries.is_empty() {
            // A non-strict hypothesis `a ≤ b` allows `a = b`, where a false claim often fails
            // (a `<` weakened to `≤`): a quarter of the points are put there.
            let mut p = self.exact_point(i, ks);
            let (l, r) = self.boundaries[(i / 4) % self.boundaries.len()];
            rational_square_roots(l, r, &mut p, bx, &s.vars);
            solve_affine(l, r, &mut p, bx, &s.vars);
            point = Some(p);
        }
        if !bx.is_empty() {
            match &point {
                Some(p) => {
                    for (k, v) in p {
                        approx.insert(k.clone(), crate::fast::point(v.to_f64()));
                    }
                }
                // Random points are seen in f64 first (not for integer variables, whose
                // points are rounded exactly).
                None if self.random(i) && !self.any_integral && !(self.mixed && i % 3 == 0) => {
                    for (((name, _, _), (lo, hi)), k) in bx.iter().zip(&self.bounds).zip(ks) {
                        let v = lo + (*k as f64 / 1024.0) * (hi - lo);
                        let a = approx.get_mut(name).expect("every variable");
                        *a = crate::fast::Approx {
                            v,
                            err: 4.0 * f64::EPSILON * (lo.abs() + hi.abs()),
                        };
                    }
                }
                None => {
                    let p = self.exact_point(i, ks);
                    for (k, v) in &p {
                        approx.insert(k.clone(), crate::fast::point(v.to_f64()));
                    }
                    point = Some(p);
                }
            }
            if crate::fast::truth(&s.claim, approx) == Some(true) {
                return None;
            }
        }
        Some(point.unwrap_or_else(|| self.exact_point(i, ks)))
    }
}

/// An exact algebraic certificate (or a trigonometric identity): closes attained bounds, which
/// bisection cannot.
fn certify(
    s: &Statement,
    bx: &[(String, Rational, Rational)],
    loose: &[String],
) -> Option<Verdict> {
    let (cert, method) = crate::algebraic::prove(s, bx)
        .map(|c| (c, "algebraic certificate (exact rational polynomial arithmetic)"))
        .or_else(|| {
            crate::trig::prove(s).map(|c| {
                (c, "trigonometric identity (addition formulas, exact rational polynomial arithmetic)")
            })
        })?;
    if cert.scope == crate::algebraic::BOX_SCOPE && !loose.is_empty() {
        return Some(Verdict::ProvedOnBox {
            boxes: 0,
            method,
            tree: None,
            algebraic: Some(cert),
            even: Vec::new(),
            unconfined: loose.to_vec(),
        });
    }
    Some(Verdict::Proved {
        boxes: 0,
        method,
        witness: None,
        tree: None,
        algebraic: Some(cert),
        even: Vec::new(),
    })
}

/// Branch and bound over the box (an even claim on `[-a, a]` on `[0, a]` only).
fn branch_and_bound(
    s: &Statement,
    config: &CheckConfig,
    clock: &Clock,
    bx: &[(String, Rational, Rational)],
    tried: usize,
    loose: Vec<String>,
) -> Verdict {
    let mut search = Search {
        s,
        names: bx.iter().map(|(n, _, _)| n.clone()).collect(),
        config,
        clock,
        proved: 0,
        unresolved: 0,
        stalled: Vec::new(),
        visited: 0,
        refutation: None,
        budget: None,
        tiers: if config.tape {
            Tiers::compile(s, bx, config.prec)
        } else {
            None
        },
    };
    let mut whole: Vec<(Rational, Rational)> = bx
        .iter()
        .map(|(_, lo, hi)| (lo.clone(), hi.clone()))
        .collect();
    // Symmetry first: an even claim on [-a, a] needs only [0, a].
    let mut even = Vec::new();
    for ((range, (name, lo, hi)), v) in whole.iter_mut().zip(bx).zip(&s.vars) {
        if *hi > 0
            && Rational::from(-hi) == *lo
            && !v.ty.is_integral()
            && crate::symmetry::even_in(&s.claim, name)
        {
            range.0 = Rational::from(0);
            even.push(name.clone());
        }
    }
    let tree = search.prove(&mut whole, 0);
    if let Some(r) = search.refutation {
        return r;
    }
    match tree {
        Some(tree) if loose.is_empty() => Verdict::Proved {
            boxes: search.proved,
            method: "interval branch and bound",
            witness: None,
            tree: Some(tree),
            algebraic: None,
            even,
        },
        Some(tree) => Verdict::ProvedOnBox {
            boxes: search.proved,
            method: "interval branch and bound",
            tree: Some(tree),
            algebraic: None,
            even,
            unconfined: loose,
        },
        None => Verdict::Consistent {
            samples: tried,
            boxes: search.visited,
            unresolved: search.unresolved,
            budget: search.budget.unwrap_or(Budget::Depth),
            stalled_near: search.stalled,
        },
    }
}

/// `hyps → ∃ xs, body` without other variables: a witness proves it (an exact point where the
/// hypotheses and the body hold); false hypotheses make it vacuous. Bounded boxes can never
/// refute an `∃`, so without a witness the answer is "consistent".
fn decide_exists(s: &Statement, config: &CheckConfig, clock: &Clock) -> Option<Verdict> {
    let (hyps, xs, body) = exists_claim(&s.claim)?;
    let undecided = |samples| Verdict::Consistent {
        samples,
        boxes: 0,
        unresolved: 1,
        budget: Budget::Undecidable,
        stalled_near: Vec::new(),
    };
    if !s.vars.is_empty() {
        // Sampled for a point where the `∃` is decided false; never proved on a box.
        return None;
    }
    let empty = BTreeMap::new();
    let hyp_truth = hyps
        .iter()
        .map(|h| truth_exact(h, &empty))
        .collect::<Option<Vec<bool>>>();
    if hyp_truth.as_ref().is_some_and(|t| t.iter().any(|b| !b)) {
        return Some(Verdict::Proved {
            boxes: 0,
            method: "the hypotheses are false",
            witness: None,
            tree: None,
            algebraic: None,
            even: Vec::new(),
        });
    }
    let range = |x: &Var| {
        let (lo, hi) = config
            .boxes
            .get(&x.name)
            .cloned()
            .unwrap_or_else(|| default_range(x));
        if x.nonneg && lo < 0 {
            (Rational::from(0), hi.max(Rational::from(0)))
        } else {
            (lo, hi)
        }
    };
    let mut rng = Rng(config.seed | 1);
    for i in 0..config.samples.max(1) {
        if clock.out() {
            return Some(Verdict::Consistent {
                samples: i,
                boxes: 0,
                unresolved: 1,
                budget: Budget::Time,
                stalled_near: Vec::new(),
            });
        }
        let point: BTreeMap<String, Rational> = xs
            .iter()
            .map(|x| {
                let (lo, hi) = range(x);
                let v = if i == 0 {
                    Rational::from(&lo + &hi) / 2
                } else {
                    rng.dyadic(&lo, &hi)
                };
                (x.name.clone(), snap(x, v, &lo, &hi))
            })
            .collect();
        let holds = match truth_exact(body, &point) {
            Some(b) => b,
            None => {
                let env: Params = point
                    .iter()
                    .map(|(k, v)| (k.clone(), rational_interval(v, v, config.prec)))
                    .collect();
                truth_in(body, &env, config.prec, false, clock) == Tv::True
            }
        };
        if holds && hyp_truth.is_some() {
            return Some(Verdict::Proved {
                boxes: 0,
                method: "a witness",
                witness: Some(
                    point
                        .iter()
                        .map(|(k, v)| (k.clone(), rational_text(v)))
                        .collect(),
                ),
                tree: None,
                algebraic: None,
                even: Vec::new(),
            });
        }
    }
    Some(undecided(config.samples))
}

/// `hyps → ∃ xs, body`: the hypotheses, `xs` and `body`.
fn exists_claim(p: &Prop) -> Option<(Vec<&Prop>, &Vec<Var>, &Prop)> {
    match p {
        Prop::Exists(xs, body) => Some((Vec::new(), xs, body)),
        Prop::Imp(h, rest) => exists_claim(rest).map(|(mut hs, xs, body)| {
            hs.insert(0, &**h);
            (hs, xs, body)
        }),
        _ => None,
    }
}

struct Search<'a> {
    s: &'a Statement,
    names: Vec<String>,
    config: &'a CheckConfig,
    clock: &'a Clock,
    proved: usize,
    unresolved: usize,
    stalled: Vec<Stall>,
    visited: usize,
    refutation: Option<Verdict>,
    budget: Option<Budget>,
    /// The claim compiled for the tiered evaluation of boxes; `None` when the tape does not
    /// model it (then every box goes through the tree evaluator).
    tiers: Option<Tiers>,
}

/// The claim's tape with its registers: the f64 tier (absent when the claim uses a function
/// that tier lacks) and the MPFR tier at the check's precision.
struct Tiers {
    tape: Tape,
    f64: Option<(F64Workspace, Vec<Interval64>)>,
    mpfr: MpfrWorkspace,
}

impl Tiers {
    fn compile(s: &Statement, bx: &[(String, Rational, Rational)], prec: u32) -> Option<Tiers> {
        let names: Vec<String> = bx.iter().map(|(n, _, _)| n.clone()).collect();
        let tape = Tape::claim(&s.claim, &names).ok()?;
        let f64 = tape
            .f64_workspace()
            .map(|ws| (ws, vec![Interval64::point(0.0); names.len()]));
        let mpfr = tape.mpfr_workspace(prec);
        Some(Tiers { tape, f64, mpfr })
    }

    /// The claim's truth on box `b`: the f64 tier first; where it leaves the claim open, the
    /// MPFR tier, retrying each comparison its plain enclosures leave open in the mean-value
    /// form. This is `truth_in(claim, box, prec, centred)` computed cheaper: the tape's MPFR
    /// comparisons are the tree evaluator's, and a truth value the f64 tier decides is one
    /// MPFR's narrower enclosures decide alike (three-valued logic is monotone: deciding
    /// more comparisons never flips a decided claim).
    fn truth(&mut self, b: &[(Rational, Rational)], names: &[String], prec: u32) -> Tv {
        if let Some((ws, inputs)) = &mut self.f64 {
            for (x, (lo, hi)) in inputs.iter_mut().zip(b) {
                *x = Interval64 {
                    lo: rational_bounds(lo).0,
                    hi: rational_bounds(hi).1,
                };
            }
            let t = self.tape.truth_f64(ws, inputs);
            if t != Tv::Unknown {
                return t;
            }
        }
        for (i, (lo, hi)) in b.iter().enumerate() {
            Tape::set_input_rational(&mut self.mpfr, i, lo, hi);
        }
        let tape = &self.tape;
        let mut env: Option<Params> = None;
        tape.truth_mpfr(&mut self.mpfr, &mut |index| {
            let env = env.get_or_insert_with(|| box_params(names, b, prec));
            let (l, r, rhs) = tape.comparison(index);
            centred_compare(l, *r, rhs, env, prec)
        })
    }
}

/// The enclosures of box `b`'s sides, by variable name.
fn box_params(names: &[String], b: &[(Rational, Rational)], prec: u32) -> Params {
    names
        .iter()
        .zip(b)
        .map(|(n, (lo, hi))| (n.clone(), rational_interval(lo, hi, prec)))
        .collect()
}

impl Search<'_> {
    fn centre(&self, b: &[(Rational, Rational)]) -> BTreeMap<String, Rational> {
        self.names
            .iter()
            .zip(b.iter())
            .zip(&self.s.vars)
            .map(|((n, (lo, hi)), v)| (n.clone(), snap(v, Rational::from(lo + hi) / 2u32, lo, hi)))
            .collect()
    }

    /// Depth-first bisection; `Some(tree)` when the claim holds on all of `b`.
    fn prove(&mut self, b: &mut [(Rational, Rational)], depth: usize) -> Option<Tree> {
        if self.refutation.is_some() {
            return None;
        }
        if self.clock.out() {
            self.budget = Some(Budget::Time);
            self.unresolved += 1;
            return None;
        }
        self.visited += 1;
        let prec = self.config.prec;
        let truth = match &mut self.tiers {
            Some(tiers) => tiers.truth(b, &self.names, prec),
            None => {
                let env = box_params(&self.names, b, prec);
                truth_in(&self.s.claim, &env, prec, true, self.clock)
            }
        };
        match truth {
            Tv::True => {
                self.proved += 1;
                Some(Tree::Leaf { leaf: true })
            }
            Tv::False => {
                // Every point of this box is a counterexample; certify its centre.
                let point = self.centre(b);
                if let (Tv::False, by) = at_point(self.s, &point, prec, self.clock) {
                    self.refutation = Some(refuted(&point, by));
                } else {
                    self.unresolved += 1;
                }
                None
            }
            Tv::Unknown => self.bisect(b, depth),
        }
    }

    /// A box where the claim is undecided: its centre screened for a counterexample, then
    /// bisected along its widest side, within the budgets.
    fn bisect(&mut self, b: &mut [(Rational, Rational)], depth: usize) -> Option<Tree> {
        // A counterexample inside the box: seen first in f64 at the centre, certified by exact
        // or MPFR arithmetic before it counts.
        let centre = self.centre(b);
        let approx: BTreeMap<String, crate::fast::Approx> = centre
            .iter()
            .map(|(k, v)| (k.clone(), crate::fast::point(v.to_f64())))
            .collect();
        if crate::fast::truth(&self.s.claim, &approx) != Some(true) {
            if let (Tv::False, by) = at_point(self.s, &centre, self.config.prec, self.clock) {
                self.refutation = Some(refuted(&centre, by));
                return None;
            }
        }
        let limit = 24 * b.len();
        // Bisection cannot close an attained bound: stop at ~2^-24 of each side, and say
        // where, since that is where an algebraic argument is needed.
        if depth >= limit {
            self.note_stall(&approx);
        }
        if self.visited >= self.config.max_boxes {
            return self.give_up(Budget::Boxes);
        }
        if b.is_empty() {
            return self.give_up(Budget::Undecidable);
        }
        if depth >= limit {
            return self.give_up(Budget::Depth);
        }
        let Some((widest, left, right)) = split(b, &self.s.vars) else {
            return self.give_up(Budget::Undecidable);
        };
        let saved = b[widest].clone();
        let at = left.1.clone();
        b[widest] = left;
        let l = self.prove(b, depth + 1);
        b[widest] = right;
        let r = self.prove(b, depth + 1);
        b[widest] = saved;
        Some(Tree::Split {
            var: widest,
            at: rational_text(&at),
            left: Box::new(l?),
            right: Box::new(r?),
        })
    }

    /// A box left open: the first budget that stopped the search is the one reported.
    fn give_up(&mut self, budget: Budget) -> Option<Tree> {
        self.budget.get_or_insert(budget);
        self.unresolved += 1;
        None
    }

    /// Where bisection stalled (at most three places; neighbouring sub-boxes of one stall print
    /// alike, so one is kept).
    fn note_stall(&mut self, approx: &BTreeMap<String, crate::fast::Approx>) {
        if self.stalled.len() >= 3 {
            return;
        }
        let stall = Stall {
            at: approx
                .iter()
                .map(|(n, a)| (n.clone(), format!("{:.9}", a.v)))
                .collect(),
            difference: conclusion_gap(&self.s.claim, approx),
        };
        if !self.stalled.iter().any(|s| s.at == stall.at) {
            self.stalled.push(stall);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thin_counterexample_between_the_samples_is_found_by_bisection() {
        // False only for |x - 0.3| < 10⁻⁵, between the samples' 1/1024 grid.
        let s = crate::statement::translate(
            "theorem thin (x : ℝ) : 1e-10 ≤ (x - 0.3) ^ 2 := by sorry",
            "thin",
        )
        .unwrap();
        let Verdict::Refuted { counterexample, .. } = check(&s, &CheckConfig::default()) else {
            panic!("not refuted");
        };
        let x = crate::certificate::parse_rational(&counterexample["x"]).unwrap();
        let d = x - Rational::from((3, 10));
        assert!(d.clone().abs() < Rational::from((1, 100_000)), "{d}");
    }
}
