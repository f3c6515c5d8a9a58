//! Deciding a translated [`Statement`] on a box: first a search for a counterexample at exact
//! rational points (random and structured samples, screened in f64 by `fast`, then each
//! candidate decided by exact rational arithmetic where the claim is rational, else by interval
//! evaluation at that point); then an exact algebraic certificate (`algebraic`) for polynomial
//! claims; then branch and bound: a sub-box where interval evaluation (plain, else the
//! mean-value form of `jet`) proves the claim is done, a sub-box where it is unknown is
//! bisected along its widest side (even variables on their non-negative half only), up to a
//! budget, and its centre is screened in f64 for a counterexample on the way. Three-valued
//! logic throughout, so an undecided comparison is never taken as true or false.

use std::collections::BTreeMap;

use rug::{Float, Rational};
use serde::Serialize;

use crate::algebraic::Algebraic;
use crate::certificate::{Tree, rational_text};
use crate::eval::{Params, eval_in};
use crate::exact::eval_exact;
use crate::interval::Interval;
use crate::prop::{Prop, Rel};
use crate::statement::{Def, Statement};

/// Search limits.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Per variable; unlisted variables get `[-10, 10]` (`[0, 10]` for norms).
    pub boxes: BTreeMap<String, (Rational, Rational)>,
    pub samples: usize,
    pub max_boxes: usize,
    pub prec: u32,
    pub seed: u64,
    /// Try an exact algebraic certificate (completed squares, identities) before bisection.
    pub algebraic: bool,
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
    /// Every sub-box of the box proved by interval evaluation, or (`boxes == 0`) a claim
    /// without variables decided exactly. `tree` is the bisection, for a certificate.
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
        /// Variables the claim is even in: bisected on their non-negative half only (the tree
        /// covers the box with these ranges starting at 0).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        even: Vec<String>,
    },
    /// No counterexample found, not proved within the budget.
    Consistent {
        samples: usize,
        boxes: usize,
        unresolved: usize,
        /// Centres of sub-boxes where bisection reached its depth limit undecided (at most
        /// three): typically where a bound is attained.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        stalled_near: Vec<Stall>,
    },
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
fn conclusion_gap(
    p: &Prop,
    env: &BTreeMap<String, crate::fast::Approx>,
    defs: &BTreeMap<String, Def>,
) -> Option<f64> {
    match p {
        Prop::Imp(_, b) => conclusion_gap(b, env, defs),
        Prop::And(a, b) => conclusion_gap(a, env, defs).or_else(|| conclusion_gap(b, env, defs)),
        Prop::Cmp(es, _) => {
            let a = crate::fast::eval(&es[0], env, defs)?;
            let b = crate::fast::eval(&es[1], env, defs)?;
            Some(b.v - a.v)
        }
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tv {
    True,
    False,
    Unknown,
}

impl Tv {
    fn not(self) -> Tv {
        match self {
            Tv::True => Tv::False,
            Tv::False => Tv::True,
            Tv::Unknown => Tv::Unknown,
        }
    }
    fn and(self, o: Tv) -> Tv {
        match (self, o) {
            (Tv::False, _) | (_, Tv::False) => Tv::False,
            (Tv::True, Tv::True) => Tv::True,
            _ => Tv::Unknown,
        }
    }
    fn or(self, o: Tv) -> Tv {
        self.not().and(o.not()).not()
    }
}

fn compare(a: &Interval, r: Rel, b: &Interval) -> Tv {
    let decided = |t: bool, f: bool| {
        if t {
            Tv::True
        } else if f {
            Tv::False
        } else {
            Tv::Unknown
        }
    };
    match r {
        Rel::Le => decided(a.hi <= b.lo, a.lo > b.hi),
        Rel::Lt => decided(a.hi < b.lo, a.lo >= b.hi),
        Rel::Ge => compare(b, Rel::Le, a),
        Rel::Gt => compare(b, Rel::Lt, a),
        Rel::Eq => decided(
            a.lo == a.hi && b.lo == b.hi && a.lo == b.lo,
            a.hi < b.lo || b.hi < a.lo,
        ),
        Rel::Ne => compare(a, Rel::Eq, b).not(),
    }
}

fn compare_exact(a: &Rational, r: Rel, b: &Rational) -> bool {
    match r {
        Rel::Le => a <= b,
        Rel::Lt => a < b,
        Rel::Ge => a >= b,
        Rel::Gt => a > b,
        Rel::Eq => a == b,
        Rel::Ne => a != b,
    }
}

/// Three-valued truth of `p` on a box (interval evaluation). Domain errors (a divisor that
/// may be 0) leave the comparison unknown.
fn truth(p: &Prop, env: &Params, defs: &BTreeMap<String, Def>, prec: u32) -> Tv {
    truth_in(p, env, defs, prec, false)
}

/// [`truth`], and with `centred` an open comparison is retried in the mean-value form (worth
/// its cost on the branch and bound's boxes, not in the many small boxes of a nested `∀`).
fn truth_in(p: &Prop, env: &Params, defs: &BTreeMap<String, Def>, prec: u32, centred: bool) -> Tv {
    let truth = |p: &Prop, env: &Params, defs: &BTreeMap<String, Def>, prec: u32| {
        truth_in(p, env, defs, prec, centred)
    };
    match p {
        Prop::Const(b) => {
            if *b {
                Tv::True
            } else {
                Tv::False
            }
        }
        Prop::Cmp(es, rels) => {
            let values: Result<Vec<Interval>, _> =
                es.iter().map(|e| eval_in(e, env, defs, prec)).collect();
            match values {
                Ok(v) => rels.iter().enumerate().fold(Tv::True, |acc, (i, r)| {
                    let t = compare(&v[i], *r, &v[i + 1]);
                    acc.and(if t == Tv::Unknown && centred {
                        centred_compare(&es[i], *r, &es[i + 1], env, defs, prec)
                    } else {
                        t
                    })
                }),
                Err(_) => Tv::Unknown,
            }
        }
        Prop::Not(a) => truth(a, env, defs, prec).not(),
        Prop::And(a, b) => truth(a, env, defs, prec).and(truth(b, env, defs, prec)),
        Prop::Or(a, b) => truth(a, env, defs, prec).or(truth(b, env, defs, prec)),
        Prop::Imp(a, b) => truth(a, env, defs, prec)
            .not()
            .or(truth(b, env, defs, prec)),
        Prop::Iff(a, b) => {
            let (x, y) = (truth(a, env, defs, prec), truth(b, env, defs, prec));
            x.not().or(y).and(y.not().or(x))
        }
        Prop::Forall(vars, body) => nested_forall(vars, body, env, defs, prec),
        Prop::MinOn { .. } | Prop::Exists(..) => Tv::Unknown,
    }
}

/// A comparison the plain enclosures left open, retried with the mean-value form of the
/// difference `b - a` (it converges quadratically as boxes shrink, the plain form linearly).
fn centred_compare(
    a: &crate::expr::Expr,
    r: Rel,
    b: &crate::expr::Expr,
    env: &Params,
    defs: &BTreeMap<String, Def>,
    prec: u32,
) -> Tv {
    if matches!(r, Rel::Eq | Rel::Ne) {
        return Tv::Unknown;
    }
    let difference = crate::expr::Expr::Sub(Box::new(b.clone()), Box::new(a.clone()));
    let Some(d) = crate::jet::centred(&difference, env, defs, prec) else {
        return Tv::Unknown;
    };
    let zero = Interval::point(Float::with_val(prec, 0));
    compare(&zero, r, &d)
}

/// A nested `∀ vars, body` under the outer enclosure `env`: a small bisection over the
/// default box looks for a sub-box where `body` is false everywhere (then the `∀` is false
/// for every outer point). It never answers true: a bounded box cannot establish `∀` over ℝ.
fn nested_forall(
    vars: &[String],
    body: &Prop,
    env: &Params,
    defs: &BTreeMap<String, Def>,
    prec: u32,
) -> Tv {
    const BUDGET: usize = 256;
    let mut stack: Vec<Vec<(Rational, Rational)>> = vec![
        vars.iter()
            .map(|_| (Rational::from(-10), Rational::from(10)))
            .collect(),
    ];
    let mut visited = 0;
    while let Some(b) = stack.pop() {
        visited += 1;
        let mut inner = env.clone();
        for (v, (lo, hi)) in vars.iter().zip(&b) {
            inner.insert(v.clone(), rational_interval(lo, hi, prec));
        }
        let t = truth(body, &inner, defs, prec);
        if t == Tv::False {
            return Tv::False;
        }
        if t == Tv::Unknown && visited + stack.len() < BUDGET {
            if let Some((w, mid)) = split_point(&b) {
                let mut left = b.clone();
                left[w].1 = mid.clone();
                let mut right = b;
                right[w].0 = mid;
                stack.push(right);
                stack.push(left);
            }
        }
    }
    Tv::Unknown
}

/// Where to bisect a box: its widest side and that side's midpoint; `None` when the box is a
/// single point.
fn split_point(b: &[(Rational, Rational)]) -> Option<(usize, Rational)> {
    let widest = (0..b.len()).max_by(|&i, &j| {
        Rational::from(&b[i].1 - &b[i].0).cmp(&Rational::from(&b[j].1 - &b[j].0))
    })?;
    let (lo, hi) = &b[widest];
    (lo != hi).then(|| (widest, Rational::from(lo + hi) / 2))
}

/// Points that satisfy the claim's equations `v = e` exactly (`v := e` evaluated at the rest of
/// the point), so that claims about a specific value are tested at that value.
fn solve_equations(
    p: &Prop,
    point: &mut BTreeMap<String, Rational>,
    defs: &BTreeMap<String, Def>,
    bx: &[(String, Rational, Rational)],
) {
    match p {
        Prop::Cmp(es, rels) if rels.len() == 1 && rels[0] == Rel::Eq => {
            for (lhs, rhs) in [(&es[0], &es[1]), (&es[1], &es[0])] {
                if let crate::expr::Expr::Var { name, .. } = lhs {
                    if let Some((_, lo, hi)) = bx.iter().find(|(n, _, _)| n == name) {
                        let mut rest = point.clone();
                        rest.remove(name);
                        if let Some(v) = eval_exact(rhs, &rest, defs) {
                            if lo <= &v && &v <= hi {
                                point.insert(name.clone(), v);
                                return;
                            }
                        }
                    }
                }
            }
        }
        Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => {
            solve_equations(a, point, defs, bx)
        }
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            solve_equations(a, point, defs, bx);
            solve_equations(b, point, defs, bx);
        }
        _ => {}
    }
}

/// Whether the claim states an equation `v = e` that samples should solve.
fn has_equation(p: &Prop) -> bool {
    match p {
        Prop::Cmp(_, rels) => rels.contains(&Rel::Eq),
        Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => has_equation(a),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            has_equation(a) || has_equation(b)
        }
        Prop::Const(_) | Prop::MinOn { .. } => false,
    }
}

/// Exact truth at a rational point, when all the arithmetic is rational.
pub(crate) fn truth_exact(
    p: &Prop,
    env: &BTreeMap<String, Rational>,
    defs: &BTreeMap<String, Def>,
) -> Option<bool> {
    Some(match p {
        Prop::Const(b) => *b,
        Prop::Cmp(es, rels) => {
            let v: Option<Vec<Rational>> = es.iter().map(|e| eval_exact(e, env, defs)).collect();
            let v = v?;
            rels.iter()
                .enumerate()
                .all(|(i, r)| compare_exact(&v[i], *r, &v[i + 1]))
        }
        Prop::Not(a) => !truth_exact(a, env, defs)?,
        Prop::And(a, b) => truth_exact(a, env, defs)? && truth_exact(b, env, defs)?,
        Prop::Or(a, b) => truth_exact(a, env, defs)? || truth_exact(b, env, defs)?,
        Prop::Imp(a, b) => !truth_exact(a, env, defs)? || truth_exact(b, env, defs)?,
        Prop::Iff(a, b) => truth_exact(a, env, defs)? == truth_exact(b, env, defs)?,
        Prop::Forall(..) | Prop::MinOn { .. } | Prop::Exists(..) => return None,
    })
}

/// The truth of the claim at an exact point: exact where possible, else by intervals.
fn at_point(s: &Statement, point: &BTreeMap<String, Rational>, prec: u32) -> (Tv, &'static str) {
    if let Some(b) = truth_exact(&s.claim, point, &s.defs) {
        return (
            if b { Tv::True } else { Tv::False },
            "exact rational arithmetic",
        );
    }
    let env: Params = point
        .iter()
        .map(|(k, v)| (k.clone(), rational_interval(v, v, prec)))
        .collect();
    (
        truth(&s.claim, &env, &s.defs, prec),
        "interval arithmetic at the exact point",
    )
}

pub(crate) fn rational_interval(lo: &Rational, hi: &Rational, prec: u32) -> Interval {
    use rug::float::Round;
    Interval {
        lo: Float::with_val_round(prec, lo, Round::Down).0,
        hi: Float::with_val_round(prec, hi, Round::Up).0,
    }
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

    /// A dyadic rational in `[lo, hi]` with 1/1024 steps of the width.
    pub(crate) fn dyadic(&mut self, lo: &Rational, hi: &Rational) -> Rational {
        let k = (self.next() % 1025) as i64;
        lo + Rational::from((k, 1024)) * Rational::from(hi - lo)
    }
}

/// The box the check runs on.
pub fn box_of(s: &Statement, config: &CheckConfig) -> Vec<(String, Rational, Rational)> {
    s.vars
        .iter()
        .map(|v| {
            let (lo, hi) = config.boxes.get(&v.name).cloned().unwrap_or_else(|| {
                if v.nonneg {
                    (Rational::from(0), Rational::from(10))
                } else {
                    (Rational::from(-10), Rational::from(10))
                }
            });
            (v.name.clone(), lo, hi)
        })
        .collect()
}

/// Decides `s` on its box.
pub fn check(s: &Statement, config: &CheckConfig) -> Verdict {
    let bx = box_of(s, config);
    let refuted = |point: &BTreeMap<String, Rational>, by: &'static str| Verdict::Refuted {
        counterexample: point
            .iter()
            .map(|(k, v)| (k.clone(), rational_text(v)))
            .collect(),
        certified_by: by,
    };
    if let Some(v) = decide_exists(s, config) {
        return v;
    }
    // 1. Structured and random samples at exact points.
    let mut rng = Rng(config.seed | 1);
    let nice = [
        Rational::from(0),
        Rational::from(1),
        Rational::from(-1),
        Rational::from((1, 2)),
        Rational::from(2),
        Rational::from(-2),
    ];
    let mut tried = 0;
    // Random coordinates are `lo + k/1024 (hi - lo)`: drawn as `k`, seen first by the f64 fast
    // path (a point it shows true holds no counterexample), and only built as exact rationals
    // when MPFR or exact arithmetic must decide (a claim without variables always is).
    let equations = has_equation(&s.claim);
    let bounds: Vec<(f64, f64)> = bx
        .iter()
        .map(|(_, lo, hi)| (lo.to_f64(), hi.to_f64()))
        .collect();
    let mut approx: BTreeMap<String, crate::fast::Approx> = bx
        .iter()
        .map(|(n, _, _)| (n.clone(), crate::fast::point(0.0)))
        .collect();
    for i in 0..config.samples + nice.len() + 3 {
        let ks: Vec<u64> = bx
            .iter()
            .map(|_| {
                if i >= 3 + nice.len() {
                    rng.next() % 1025
                } else {
                    0
                }
            })
            .collect();
        let exact_point = |ks: &[u64]| -> BTreeMap<String, Rational> {
            bx.iter()
                .zip(ks)
                .map(|((name, lo, hi), k)| {
                    let v = match i {
                        0 => lo.clone(),
                        1 => hi.clone(),
                        2 => Rational::from(lo + hi) / 2,
                        j if j < 3 + nice.len() => nice[j - 3].clone().clamp(lo, hi),
                        _ => lo + Rational::from((*k as i64, 1024)) * Rational::from(hi - lo),
                    };
                    (name.clone(), v)
                })
                .collect()
        };
        tried += 1;
        let mut point = None;
        if i % 2 == 1 && equations {
            let mut p = exact_point(&ks);
            solve_equations(&s.claim, &mut p, &s.defs, &bx);
            point = Some(p);
        }
        if !bx.is_empty() {
            match &point {
                Some(p) => {
                    for (k, v) in p {
                        approx.insert(k.clone(), crate::fast::point(v.to_f64()));
                    }
                }
                None if i >= 3 + nice.len() => {
                    for (((name, _, _), (lo, hi)), k) in bx.iter().zip(&bounds).zip(&ks) {
                        let v = lo + (*k as f64 / 1024.0) * (hi - lo);
                        let a = approx.get_mut(name).expect("every variable");
                        *a = crate::fast::Approx {
                            v,
                            err: 4.0 * f64::EPSILON * (lo.abs() + hi.abs()),
                        };
                    }
                }
                None => {
                    let p = exact_point(&ks);
                    for (k, v) in &p {
                        approx.insert(k.clone(), crate::fast::point(v.to_f64()));
                    }
                    point = Some(p);
                }
            }
            if crate::fast::truth(&s.claim, &approx, &s.defs) == Some(true) {
                continue;
            }
        }
        let point = point.unwrap_or_else(|| exact_point(&ks));
        match at_point(s, &point, config.prec) {
            (Tv::False, by) => return refuted(&point, by),
            // Without variables the single point is the whole claim.
            (Tv::True, by) if bx.is_empty() => {
                return Verdict::Proved {
                    boxes: 0,
                    method: by,
                    witness: None,
                    tree: None,
                    algebraic: None,
                    even: Vec::new(),
                };
            }
            _ if bx.is_empty() => break,
            _ => {}
        }
    }
    // 2. An exact algebraic certificate: closes attained bounds, which bisection cannot.
    if config.algebraic {
        if let Some(cert) = crate::algebraic::prove(s, &bx) {
            return Verdict::Proved {
                boxes: 0,
                method: "algebraic certificate (exact rational polynomial arithmetic)",
                witness: None,
                tree: None,
                algebraic: Some(cert),
                even: Vec::new(),
            };
        }
    }
    // 3. Branch and bound.
    let mut search = Search {
        s,
        names: bx.iter().map(|(n, _, _)| n.clone()).collect(),
        config,
        proved: 0,
        unresolved: 0,
        stalled: Vec::new(),
        visited: 0,
        refutation: None,
    };
    let mut whole: Vec<(Rational, Rational)> = bx
        .iter()
        .map(|(_, lo, hi)| (lo.clone(), hi.clone()))
        .collect();
    // Symmetry first: an even claim on [-a, a] needs only [0, a].
    let mut even = Vec::new();
    for (range, (name, lo, hi)) in whole.iter_mut().zip(&bx) {
        if *hi > 0
            && Rational::from(-hi) == *lo
            && crate::symmetry::even_in(&s.claim, name, &s.defs)
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
        Some(tree) => Verdict::Proved {
            boxes: search.proved,
            method: "interval branch and bound",
            witness: None,
            tree: Some(tree),
            algebraic: None,
            even,
        },
        None => Verdict::Consistent {
            samples: tried,
            boxes: search.visited,
            unresolved: search.unresolved,
            stalled_near: search.stalled,
        },
    }
}

/// `hyps → ∃ xs, body` without other variables: a witness proves it (an exact point where the
/// hypotheses and the body hold); false hypotheses make it vacuous. Bounded boxes can never
/// refute an `∃`, so without a witness the answer is "consistent".
fn decide_exists(s: &Statement, config: &CheckConfig) -> Option<Verdict> {
    fn split(p: &Prop) -> Option<(Vec<&Prop>, &Vec<String>, &Prop)> {
        match p {
            Prop::Exists(xs, body) => Some((Vec::new(), xs, body)),
            Prop::Imp(h, rest) => split(rest).map(|(mut hs, xs, body)| {
                hs.insert(0, &**h);
                (hs, xs, body)
            }),
            _ => None,
        }
    }
    let (hyps, xs, body) = split(&s.claim)?;
    if !s.vars.is_empty() {
        return Some(Verdict::Consistent {
            samples: 0,
            boxes: 0,
            unresolved: 1,
            stalled_near: Vec::new(),
        });
    }
    let empty = BTreeMap::new();
    let hyp_truth = hyps
        .iter()
        .map(|h| truth_exact(h, &empty, &s.defs))
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
    let range = |x: &String| {
        config
            .boxes
            .get(x)
            .cloned()
            .unwrap_or((Rational::from(-10), Rational::from(10)))
    };
    let mut rng = Rng(config.seed | 1);
    for i in 0..config.samples.max(1) {
        let point: BTreeMap<String, Rational> = xs
            .iter()
            .map(|x| {
                let (lo, hi) = range(x);
                let v = if i == 0 {
                    Rational::from(&lo + &hi) / 2
                } else {
                    rng.dyadic(&lo, &hi)
                };
                (x.clone(), v)
            })
            .collect();
        let holds = match truth_exact(body, &point, &s.defs) {
            Some(b) => b,
            None => {
                let env: Params = point
                    .iter()
                    .map(|(k, v)| (k.clone(), rational_interval(v, v, config.prec)))
                    .collect();
                truth(body, &env, &s.defs, config.prec) == Tv::True
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
    Some(Verdict::Consistent {
        samples: config.samples,
        boxes: 0,
        unresolved: 1,
        stalled_near: Vec::new(),
    })
}

struct Search<'a> {
    s: &'a Statement,
    names: Vec<String>,
    config: &'a CheckConfig,
    proved: usize,
    unresolved: usize,
    stalled: Vec<Stall>,
    visited: usize,
    refutation: Option<Verdict>,
}

impl Search<'_> {
    /// Depth-first bisection; `Some(tree)` when the claim holds on all of `b`.
    fn prove(&mut self, b: &mut [(Rational, Rational)], depth: usize) -> Option<Tree> {
        if self.refutation.is_some() {
            return None;
        }
        self.visited += 1;
        let prec = self.config.prec;
        let env: Params = self
            .names
            .iter()
            .zip(b.iter())
            .map(|(n, (lo, hi))| (n.clone(), rational_interval(lo, hi, prec)))
            .collect();
        match truth_in(&self.s.claim, &env, &self.s.defs, prec, true) {
            Tv::True => {
                self.proved += 1;
                Some(Tree::Leaf { leaf: true })
            }
            Tv::False => {
                // Every point of this box is a counterexample; certify its midpoint.
                let point: BTreeMap<String, Rational> = self
                    .names
                    .iter()
                    .zip(b.iter())
                    .map(|(n, (lo, hi))| (n.clone(), Rational::from(lo + hi) / 2))
                    .collect();
                if let (Tv::False, by) = at_point(self.s, &point, prec) {
                    self.refutation = Some(Verdict::Refuted {
                        counterexample: point
                            .iter()
                            .map(|(k, v)| (k.clone(), rational_text(v)))
                            .collect(),
                        certified_by: by,
                    });
                } else {
                    self.unresolved += 1;
                }
                None
            }
            Tv::Unknown => {
                // A counterexample inside the box: seen first in f64 at the centre, certified
                // by exact or MPFR arithmetic before it counts.
                let centre: BTreeMap<String, Rational> = self
                    .names
                    .iter()
                    .zip(b.iter())
                    .map(|(n, (lo, hi))| (n.clone(), Rational::from(lo + hi) / 2u32))
                    .collect();
                let approx: BTreeMap<String, crate::fast::Approx> = centre
                    .iter()
                    .map(|(k, v)| (k.clone(), crate::fast::point(v.to_f64())))
                    .collect();
                if crate::fast::truth(&self.s.claim, &approx, &self.s.defs) == Some(false) {
                    if let (Tv::False, by) = at_point(self.s, &centre, prec) {
                        self.refutation = Some(Verdict::Refuted {
                            counterexample: centre
                                .iter()
                                .map(|(k, v)| (k.clone(), rational_text(v)))
                                .collect(),
                            certified_by: by,
                        });
                        return None;
                    }
                }
                // Bisection cannot close an attained bound: stop at ~2^-24 of each side, and
                // say where, since that is where an algebraic argument is needed.
                if depth >= 24 * b.len() && self.stalled.len() < 3 {
                    let stall = Stall {
                        at: approx
                            .iter()
                            .map(|(n, a)| (n.clone(), format!("{:.9}", a.v)))
                            .collect(),
                        difference: conclusion_gap(&self.s.claim, &approx, &self.s.defs),
                    };
                    // Neighbouring sub-boxes of one stall print alike: keep one.
                    if !self.stalled.iter().any(|s| s.at == stall.at) {
                        self.stalled.push(stall);
                    }
                }
                if self.visited >= self.config.max_boxes || b.is_empty() || depth >= 24 * b.len() {
                    self.unresolved += 1;
                    return None;
                }
                let Some((widest, mid)) = split_point(b) else {
                    self.unresolved += 1;
                    return None;
                };
                let (lo, hi) = b[widest].clone();
                b[widest] = (lo.clone(), mid.clone());
                let left = self.prove(b, depth + 1);
                b[widest] = (mid.clone(), hi.clone());
                let right = self.prove(b, depth + 1);
                b[widest] = (lo, hi);
                Some(Tree::Split {
                    var: widest,
                    at: rational_text(&mid),
                    left: Box::new(left?),
                    right: Box::new(right?),
                })
            }
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
