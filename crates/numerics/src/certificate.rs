//! Proof certificates and their independent re-check. A branch-and-bound proof is stored as
//! its bisection tree (which variable was split where) over the stated box; the re-checker
//! walks the tree — so the leaves cover the box by construction — and decides the claim on
//! every leaf with interval arithmetic over exact rationals, sharing no code with the MPFR
//! evaluation that found the proof. Transcendental functions have no exact rational
//! enclosure, so claims that use them cannot be re-checked this way (said plainly). A
//! certificate names the claim it proves (the core claim's text, binders included): checked
//! against another statement, or a statement edited since, it is rejected.

use std::collections::BTreeMap;

use rug::Rational;
use serde::{Deserialize, Serialize};

use crate::core::{Expr, Prop, Rel, Ty};
use crate::statement::Statement;

/// The bisection tree of a proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Tree {
    /// Split variable `var` at `at` (a rational `p/q`), left part first. An integer
    /// variable (`ℕ`, `ℤ`) splits at an integer `at` into `[lo, at]` and `[at + 1, hi]`.
    Split {
        var: usize,
        at: String,
        left: Box<Tree>,
        right: Box<Tree>,
    },
    /// The claim holds on this whole sub-box.
    Leaf { leaf: bool },
}

/// A certificate file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub schema: String,
    /// The Lean file, as given to `check`.
    pub file: String,
    pub declaration: String,
    /// The claim proved, as theorist read it (binders, hypotheses, conclusion): the
    /// certificate is about this claim and no other.
    pub claim: String,
    /// Variables in order with their ranges, rationals as `p/q`.
    pub r#box: Vec<(String, String, String)>,
    pub tree: Tree,
    /// Variables the claim is even in, whose range in `box` is the non-negative half of the
    /// checked one; the re-checker confirms the evenness itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub even: Vec<String>,
}

pub const SCHEMA: &str = "theorist.numerics.certificate/2";

pub fn rational_text(q: &Rational) -> String {
    if *q.denom() == 1 {
        q.numer().to_string()
    } else {
        format!("{}/{}", q.numer(), q.denom())
    }
}

pub fn parse_rational(s: &str) -> Option<Rational> {
    match s.split_once('/') {
        Some((n, d)) => {
            let d: rug::Integer = d.trim().parse().ok()?;
            if d == 0 {
                return None;
            }
            Some(Rational::from((n.trim().parse::<rug::Integer>().ok()?, d)))
        }
        None => Some(Rational::from(s.trim().parse::<rug::Integer>().ok()?)),
    }
}

/// Why a certificate is rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecheckError {
    #[error("the certificate is for the claim `{expected}`, but the statement now reads `{found}`")]
    Claim { expected: String, found: String },
    #[error("the certificate is for {expected}, but the statement has variables {found}")]
    Variables { expected: String, found: String },
    #[error("malformed certificate: {0}")]
    Malformed(String),
    #[error(
        "the claim uses {0}, which has no exact rational enclosure: this certificate cannot be re-checked exactly"
    )]
    NotRational(&'static str),
    #[error("the claim is not established on the sub-box {0}")]
    Fails(String),
    /// An extremum certificate's proof does not hold for the statement.
    #[error("the extremum proof does not hold: {0}")]
    Extremum(String),
}

/// `[lo, hi]` with exact rational endpoints.
#[derive(Debug, Clone, PartialEq)]
struct Q {
    lo: Rational,
    hi: Rational,
}

impl Q {
    fn point(v: Rational) -> Q {
        Q {
            lo: v.clone(),
            hi: v,
        }
    }
    fn add(&self, o: &Q) -> Q {
        Q {
            lo: Rational::from(&self.lo + &o.lo),
            hi: Rational::from(&self.hi + &o.hi),
        }
    }
    fn neg(&self) -> Q {
        Q {
            lo: Rational::from(-&self.hi),
            hi: Rational::from(-&self.lo),
        }
    }
    fn mul(&self, o: &Q) -> Q {
        let p = [
            Rational::from(&self.lo * &o.lo),
            Rational::from(&self.lo * &o.hi),
            Rational::from(&self.hi * &o.lo),
            Rational::from(&self.hi * &o.hi),
        ];
        Q {
            lo: p.iter().min().cloned().expect("four"),
            hi: p.iter().max().cloned().expect("four"),
        }
    }
    fn inv(&self) -> Option<Q> {
        if self.lo <= 0 && self.hi >= 0 {
            return None;
        }
        Some(Q {
            lo: Rational::from(1) / self.hi.clone(),
            hi: Rational::from(1) / self.lo.clone(),
        })
    }
    fn pow(&self, n: u32) -> Q {
        let mut acc = Q::point(Rational::from(1));
        for _ in 0..n {
            acc = acc.mul(self);
        }
        // Even powers are non-negative: the product bound above can dip below 0.
        if n % 2 == 0 && acc.lo < 0 {
            acc.lo = Rational::from(0);
        }
        acc
    }
}

fn exact_int(q: &Q) -> Option<rug::Integer> {
    (q.lo == q.hi && *q.lo.denom() == 1).then(|| q.lo.numer().clone())
}

fn hull(a: &Q, b: &Q) -> Q {
    Q {
        lo: a.lo.clone().min(b.lo.clone()),
        hi: a.hi.clone().max(b.hi.clone()),
    }
}

/// The value of an `eval_q` result, or `Ok(None)` from the enclosing function when it is
/// undecided.
macro_rules! known {
    ($x:expr) => {
        match $x? {
            Some(v) => v,
            None => return Ok(None),
        }
    };
}

/// The exact rational enclosure of `e` on the box `env`; `Ok(None)` when undecided here (a
/// divisor that may vanish, integer division of ranges).
fn eval_q(e: &Expr, env: &BTreeMap<String, Q>) -> Result<Option<Q>, RecheckError> {
    let rec = |e: &Expr| eval_q(e, env);
    Ok(Some(match e {
        Expr::Lit(_, q) => Q::point(q.clone()),
        Expr::Var(_, name) => env
            .get(name)
            .cloned()
            .ok_or_else(|| RecheckError::Malformed(format!("unknown `{name}`")))?,
        Expr::Pi => return Err(RecheckError::NotRational("π")),
        Expr::Ref(_) => return Err(RecheckError::NotRational("a reference value")),
        Expr::Call(..) | Expr::Rpow(..) => {
            return Err(RecheckError::NotRational("a transcendental function or √"));
        }
        Expr::Neg(_, a) => known!(rec(a)).neg(),
        Expr::Add(_, xs) => {
            let mut acc = Q::point(Rational::new());
            for x in xs {
                acc = acc.add(&known!(rec(x)));
            }
            acc
        }
        Expr::Mul(_, xs) => {
            if xs.len() == 2 && xs[0] == xs[1] {
                return Ok(Some(known!(rec(&xs[0])).pow(2)));
            }
            let mut acc = Q::point(Rational::from(1));
            for x in xs {
                acc = acc.mul(&known!(rec(x)));
            }
            acc
        }
        Expr::Sub(_, a, b) => {
            // ℕ: truncated at 0.
            let d = known!(rec(a)).add(&known!(rec(b)).neg());
            Q {
                lo: d.lo.max(Rational::new()),
                hi: d.hi.max(Rational::new()),
            }
        }
        Expr::Pow(_, a, n) => known!(rec(a)).pow(*n),
        Expr::Cast(_, _, a) => known!(rec(a)),
        Expr::Div(..) | Expr::Mod(..) | Expr::PowExpr(..) | Expr::Inv(..) => {
            return eval_q_division(e, env);
        }
        Expr::Min(..)
        | Expr::Max(..)
        | Expr::Abs(..)
        | Expr::NatAbs(_)
        | Expr::ToNat(_)
        | Expr::Floor(..)
        | Expr::Ceil(..) => return eval_q_piecewise(e, env),
        Expr::Ite(c, a, b) => match holds(c, env)? {
            Some(true) => known!(rec(a)),
            Some(false) => known!(rec(b)),
            None => hull(&known!(rec(a)), &known!(rec(b))),
        },
    }))
}

/// `eval_q` of division, remainder, integer powers and inverses: undecided where a divisor
/// may vanish or an integer operation meets a range; Lean's `x / 0 = 0` and `0⁻¹ = 0`.
fn eval_q_division(e: &Expr, env: &BTreeMap<String, Q>) -> Result<Option<Q>, RecheckError> {
    let rec = |e: &Expr| eval_q(e, env);
    Ok(Some(match e {
        Expr::Div(ty, a, b) => {
            let (x, y) = (known!(rec(a)), known!(rec(b)));
            if y.lo == 0 && y.hi == 0 {
                return Ok(Some(Q::point(Rational::new())));
            }
            match ty {
                Ty::Rat | Ty::Real => match y.inv() {
                    Some(inv) => x.mul(&inv),
                    None => return Ok(None),
                },
                _ => {
                    let (Some(p), Some(q)) = (exact_int(&x), exact_int(&y)) else {
                        return Ok(None);
                    };
                    let r = if *ty == Ty::Nat {
                        p / q
                    } else {
                        p.div_rem_euc(q).0
                    };
                    Q::point(Rational::from(r))
                }
            }
        }
        Expr::Mod(_, a, b) => {
            let (Some(p), Some(q)) = (exact_int(&known!(rec(a))), exact_int(&known!(rec(b))))
            else {
                return Ok(None);
            };
            Q::point(Rational::from(if q == 0 { p } else { p.div_rem_euc(q).1 }))
        }
        Expr::PowExpr(_, a, b) => {
            let x = known!(rec(a));
            let Some(k) = exact_int(&known!(rec(b))) else {
                return Ok(None);
            };
            let Some(n) = k.clone().abs().to_u32().filter(|n| *n <= 4096) else {
                return Ok(None);
            };
            let p = x.pow(n);
            if k < 0 {
                if p.lo == 0 && p.hi == 0 {
                    Q::point(Rational::new())
                } else {
                    match p.inv() {
                        Some(v) => v,
                        None => return Ok(None),
                    }
                }
            } else {
                p
            }
        }
        Expr::Inv(_, a) => {
            let x = known!(rec(a));
            if x.lo == 0 && x.hi == 0 {
                x
            } else {
                match x.inv() {
                    Some(v) => v,
                    None => return Ok(None),
                }
            }
        }
        _ => unreachable!("eval_q hands only division-like terms here"),
    }))
}

/// `eval_q` of the monotone piecewise functions (`min`, `max`, `|·|`, `toNat`, `⌊·⌋`,
/// `⌈·⌉`): their values at the ends, split at the kink.
fn eval_q_piecewise(e: &Expr, env: &BTreeMap<String, Q>) -> Result<Option<Q>, RecheckError> {
    let rec = |e: &Expr| eval_q(e, env);
    Ok(Some(match e {
        Expr::Min(_, a, b) => {
            let (x, y) = (known!(rec(a)), known!(rec(b)));
            Q {
                lo: x.lo.min(y.lo),
                hi: x.hi.min(y.hi),
            }
        }
        Expr::Max(_, a, b) => {
            let (x, y) = (known!(rec(a)), known!(rec(b)));
            Q {
                lo: x.lo.max(y.lo),
                hi: x.hi.max(y.hi),
            }
        }
        Expr::Abs(_, a) | Expr::NatAbs(a) => {
            let v = known!(rec(a));
            if v.lo >= 0 {
                v
            } else if v.hi <= 0 {
                v.neg()
            } else {
                Q {
                    lo: Rational::from(0),
                    hi: v.hi.max(-v.lo),
                }
            }
        }
        Expr::ToNat(a) => {
            let v = known!(rec(a));
            Q {
                lo: v.lo.max(Rational::new()),
                hi: v.hi.max(Rational::new()),
            }
        }
        Expr::Floor(_, a) => {
            let v = known!(rec(a));
            Q {
                lo: v.lo.floor(),
                hi: v.hi.floor(),
            }
        }
        Expr::Ceil(_, a) => {
            let v = known!(rec(a));
            Q {
                lo: v.lo.ceil(),
                hi: v.hi.ceil(),
            }
        }
        _ => unreachable!("eval_q hands only piecewise functions here"),
    }))
}

/// `a r b` over exact rational intervals: `Some` only when certain.
fn decide(a: &Q, r: &Rel, b: &Q) -> Option<bool> {
    match r {
        Rel::Le => {
            if a.hi <= b.lo {
                Some(true)
            } else if a.lo > b.hi {
                Some(false)
            } else {
                None
            }
        }
        Rel::Lt => {
            if a.hi < b.lo {
                Some(true)
            } else if a.lo >= b.hi {
                Some(false)
            } else {
                None
            }
        }
        Rel::Ge => decide(b, &Rel::Le, a),
        Rel::Gt => decide(b, &Rel::Lt, a),
        Rel::Eq | Rel::Ne => {
            let eq = if a.lo == a.hi && b.lo == b.hi && a.lo == b.lo {
                Some(true)
            } else if a.hi < b.lo || b.hi < a.lo {
                Some(false)
            } else {
                None
            };
            if *r == Rel::Eq { eq } else { eq.map(|x| !x) }
        }
    }
}

/// A value with exact rational interval enclosures of its gradient (forward-mode AD over `Q`),
/// for the mean-value form; independent of the MPFR jets of the search.
#[derive(Debug, Clone)]
struct QJet {
    v: Q,
    g: Vec<Q>,
}

impl QJet {
    fn constant(v: Q, n: usize) -> QJet {
        QJet {
            v,
            g: vec![Q::point(Rational::from(0)); n],
        }
    }
    fn add(&self, o: &QJet) -> QJet {
        QJet {
            v: self.v.add(&o.v),
            g: self.g.iter().zip(&o.g).map(|(a, b)| a.add(b)).collect(),
        }
    }
    fn neg(&self) -> QJet {
        QJet {
            v: self.v.neg(),
            g: self.g.iter().map(Q::neg).collect(),
        }
    }
    fn mul(&self, o: &QJet) -> QJet {
        QJet {
            v: self.v.mul(&o.v),
            g: self
                .g
                .iter()
                .zip(&o.g)
                .map(|(a, b)| a.mul(&o.v).add(&self.v.mul(b)))
                .collect(),
        }
    }
    /// `1/u`: derivative `-1/u²` (`None` when `u` may vanish).
    fn recip(&self) -> Option<QJet> {
        let inv = self.v.inv()?;
        let d = inv.pow(2).neg();
        Some(QJet {
            g: self.g.iter().map(|gi| d.mul(gi)).collect(),
            v: inv,
        })
    }
    fn pow(&self, k: u32) -> QJet {
        if k == 0 {
            return QJet::constant(Q::point(Rational::from(1)), self.g.len());
        }
        let d = Q::point(Rational::from(k)).mul(&self.v.pow(k - 1));
        QJet {
            v: self.v.pow(k),
            g: self.g.iter().map(|gi| d.mul(gi)).collect(),
        }
    }
}

fn eval_qjet(
    e: &Expr,
    env: &BTreeMap<String, QJet>,
    n: usize,
) -> Result<Option<QJet>, RecheckError> {
    let rec = |e: &Expr| eval_qjet(e, env, n);
    macro_rules! get {
        ($x:expr) => {
            match $x? {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    Ok(match e {
        Expr::Lit(_, q) => Some(QJet::constant(Q::point(q.clone()), n)),
        Expr::Var(_, name) => env.get(name).cloned(),
        Expr::Pi => return Err(RecheckError::NotRational("π")),
        Expr::Ref(_) => return Err(RecheckError::NotRational("a reference value")),
        Expr::Call(..) | Expr::Rpow(..) => {
            return Err(RecheckError::NotRational("a transcendental function or √"));
        }
        Expr::Neg(_, a) => Some(get!(rec(a)).neg()),
        Expr::Add(_, xs) => {
            let mut acc = get!(rec(&xs[0]));
            for x in &xs[1..] {
                acc = acc.add(&get!(rec(x)));
            }
            Some(acc)
        }
        Expr::Mul(_, xs) if xs.len() == 2 && xs[0] == xs[1] => Some(get!(rec(&xs[0])).pow(2)),
        Expr::Mul(_, xs) => {
            let mut acc = get!(rec(&xs[0]));
            for x in &xs[1..] {
                acc = acc.mul(&get!(rec(x)));
            }
            Some(acc)
        }
        Expr::Div(ty, a, b) if ty.is_field() => {
            let (x, y) = (get!(rec(a)), get!(rec(b)));
            y.recip().map(|r| x.mul(&r))
        }
        Expr::Inv(_, a) => get!(rec(a)).recip(),
        Expr::Pow(_, a, k) => Some(get!(rec(a)).pow(*k)),
        Expr::Cast(_, Ty::Rat | Ty::Real, a) => rec(a)?,
        _ => None,
    })
}

/// The exact mean-value enclosure of `b - a` on the box `env`: `D(c) + Σ ∂ᵢD(X)·(Xᵢ - cᵢ)` at
/// the box's centre `c`.
fn centred_q(a: &Expr, b: &Expr, env: &BTreeMap<String, Q>) -> Result<Option<Q>, RecheckError> {
    let wide: Vec<&String> = env
        .iter()
        .filter(|(_, q)| q.lo < q.hi)
        .map(|(k, _)| k)
        .collect();
    let n = wide.len();
    if n == 0 {
        return Ok(None);
    }
    let mut jets = BTreeMap::new();
    let mut centre = BTreeMap::new();
    let mut offsets = Vec::new();
    for (k, q) in env {
        match wide.iter().position(|w| *w == k) {
            Some(i) => {
                let mut j = QJet::constant(q.clone(), n);
                j.g[i] = Q::point(Rational::from(1));
                jets.insert(k.clone(), j);
                let c: Rational = Rational::from(&q.lo + &q.hi) / 2u32;
                offsets.push(q.add(&Q::point(c.clone()).neg()));
                centre.insert(k.clone(), Q::point(c));
            }
            None => {
                jets.insert(k.clone(), QJet::constant(q.clone(), n));
                centre.insert(k.clone(), q.clone());
            }
        }
    }
    let (Some(ja), Some(jb)) = (eval_qjet(a, &jets, n)?, eval_qjet(b, &jets, n)?) else {
        return Ok(None);
    };
    let (Some(ca), Some(cb)) = (eval_q(a, &centre)?, eval_q(b, &centre)?) else {
        return Ok(None);
    };
    let d = jb.add(&ja.neg());
    let mut acc = cb.add(&ca.neg());
    for (g, off) in d.g.iter().zip(&offsets) {
        acc = acc.add(&g.mul(off));
    }
    Ok(Some(acc))
}

/// Three-valued truth over exact rational boxes: `Some(true)` only when certain.
fn holds(p: &Prop, env: &BTreeMap<String, Q>) -> Result<Option<bool>, RecheckError> {
    let and = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    Ok(match p {
        Prop::Const(b) => Some(*b),
        Prop::Cmp(r, a, b) => {
            let (Some(x), Some(y)) = (eval_q(a, env)?, eval_q(b, env)?) else {
                return Ok(None);
            };
            let mut t = decide(&x, r, &y);
            // An open comparison is retried in the exact mean-value form of `b - a`, the
            // form the branch and bound may have closed the leaf with.
            if t.is_none() && !matches!(r, Rel::Eq | Rel::Ne) {
                if let Some(d) = centred_q(a, b, env)? {
                    t = decide(&Q::point(Rational::from(0)), r, &d);
                }
            }
            t
        }
        Prop::Not(a) => holds(a, env)?.map(|x| !x),
        Prop::And(a, b) => and(holds(a, env)?, holds(b, env)?),
        Prop::Or(a, b) => and(holds(a, env)?.map(|x| !x), holds(b, env)?.map(|x| !x)).map(|x| !x),
        Prop::Imp(a, b) => and(holds(a, env)?, holds(b, env)?.map(|x| !x)).map(|x| !x),
        Prop::Iff(a, b) => match (holds(a, env)?, holds(b, env)?) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
        Prop::Forall(..) | Prop::Exists(..) => None,
    })
}

/// Re-checks `cert` against the statement translated from the Lean source.
pub fn recheck(statement: &Statement, cert: &Certificate) -> Result<usize, RecheckError> {
    let found = statement.claim_text();
    if cert.claim != found {
        return Err(RecheckError::Claim {
            expected: cert.claim.clone(),
            found,
        });
    }
    let names: Vec<&str> = statement.vars.iter().map(|v| v.name.as_str()).collect();
    let cert_names: Vec<&str> = cert.r#box.iter().map(|(n, _, _)| n.as_str()).collect();
    if names != cert_names {
        return Err(RecheckError::Variables {
            expected: cert_names.join(", "),
            found: names.join(", "),
        });
    }
    let mut bx = Vec::new();
    for (n, lo, hi) in &cert.r#box {
        let lo = parse_rational(lo)
            .ok_or_else(|| RecheckError::Malformed(format!("bound {lo} of {n}")))?;
        let hi = parse_rational(hi)
            .ok_or_else(|| RecheckError::Malformed(format!("bound {hi} of {n}")))?;
        if lo > hi {
            return Err(RecheckError::Malformed(format!("empty range for {n}")));
        }
        if let Some(v) = statement.vars.iter().find(|v| &v.name == n) {
            if v.nonneg && lo < 0 {
                return Err(RecheckError::Malformed(format!(
                    "{n} is a norm but its range reaches below 0"
                )));
            }
        }
        bx.push(Q { lo, hi });
    }
    for name in &cert.even {
        let Some(i) = cert_names.iter().position(|n| n == name) else {
            return Err(RecheckError::Malformed(format!(
                "`{name}` is declared even but is not a variable"
            )));
        };
        if bx[i].lo != 0 {
            return Err(RecheckError::Malformed(format!(
                "`{name}` is declared even but its range does not start at 0"
            )));
        }
        if !crate::symmetry::even_in(&statement.claim, name) {
            return Err(RecheckError::Malformed(format!(
                "the claim is not even in `{name}`"
            )));
        }
    }
    let mut leaves = 0;
    walk(statement, &cert.tree, &mut bx, &mut leaves)?;
    Ok(leaves)
}

fn walk(
    statement: &Statement,
    tree: &Tree,
    bx: &mut Vec<Q>,
    leaves: &mut usize,
) -> Result<(), RecheckError> {
    match tree {
        Tree::Leaf { .. } => {
            *leaves += 1;
            let env: BTreeMap<String, Q> = statement
                .vars
                .iter()
                .zip(bx.iter())
                .map(|(v, q)| (v.name.clone(), q.clone()))
                .collect();
            if holds(&statement.claim, &env)? == Some(true) {
                Ok(())
            } else {
                let shown: Vec<String> = statement
                    .vars
                    .iter()
                    .zip(bx.iter())
                    .map(|(v, q)| {
                        format!(
                            "{} ∈ [{}, {}]",
                            v.name,
                            rational_text(&q.lo),
                            rational_text(&q.hi)
                        )
                    })
                    .collect();
                Err(RecheckError::Fails(shown.join(", ")))
            }
        }
        Tree::Split {
            var,
            at,
            left,
            right,
        } => {
            let at = parse_rational(at)
                .ok_or_else(|| RecheckError::Malformed(format!("split point {at}")))?;
            let q = bx
                .get(*var)
                .cloned()
                .ok_or_else(|| RecheckError::Malformed(format!("variable index {var}")))?;
            let integral = statement.vars[*var].ty.is_integral();
            let inside = if integral {
                *at.denom() == 1 && q.lo <= at && at < q.hi
            } else {
                q.lo < at && at < q.hi
            };
            if !inside {
                return Err(RecheckError::Malformed(
                    "a split point outside its range".into(),
                ));
            }
            bx[*var] = Q {
                lo: q.lo.clone(),
                hi: at.clone(),
            };
            walk(statement, left, bx, leaves)?;
            // An integer variable's right part starts at the next integer.
            let right_lo = if integral { at + 1u32 } else { at };
            bx[*var] = Q {
                lo: right_lo,
                hi: q.hi.clone(),
            };
            walk(statement, right, bx, leaves)?;
            bx[*var] = q;
            Ok(())
        }
    }
}
