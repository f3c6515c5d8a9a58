//! Proof certificates and their independent re-check. A branch-and-bound proof is stored as
//! its bisection tree (which variable was split where) over the stated box; the re-checker
//! walks the tree — so the leaves cover the box by construction — and decides the claim on
//! every leaf with interval arithmetic over exact rationals, sharing no code with the MPFR
//! evaluation that found the proof. Transcendental functions have no exact rational
//! enclosure, so claims that use them cannot be re-checked this way (said plainly).

use std::collections::BTreeMap;

use rug::Rational;
use serde::{Deserialize, Serialize};

use crate::expr::Expr;
use crate::prop::{Prop, Rel};
use crate::statement::{Def, Statement};

/// The bisection tree of a proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Tree {
    /// Split variable `var` at `at` (a rational `p/q`), left part first.
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
    /// Variables in order with their ranges, rationals as `p/q`.
    pub r#box: Vec<(String, String, String)>,
    pub tree: Tree,
    /// Variables the claim is even in, whose range in `box` is the non-negative half of the
    /// checked one; the re-checker confirms the evenness itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub even: Vec<String>,
}

pub const SCHEMA: &str = "theorist.numerics.certificate/1";

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

/// A definition's parameters bound at a call ([`crate::expr::bind_call`]) by an evaluator that
/// may fail (`Err`) or be undecided (`Ok(None)`, then the whole binding is).
fn bind<T: Clone>(
    params: &[String],
    args: &[Expr],
    env: &BTreeMap<String, T>,
    mut value: impl FnMut(&Expr) -> Result<Option<T>, RecheckError>,
) -> Result<Option<BTreeMap<String, T>>, RecheckError> {
    let bound = crate::expr::bind_call(params, args, env, |a| match value(a) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(None),
        Err(e) => Err(Some(e)),
    });
    match bound {
        Ok(inner) => Ok(Some(inner)),
        Err(None) => Ok(None),
        Err(Some(e)) => Err(e),
    }
}

fn eval_q(
    e: &Expr,
    env: &BTreeMap<String, Q>,
    defs: &BTreeMap<String, Def>,
) -> Result<Option<Q>, RecheckError> {
    Ok(Some(match e {
        Expr::Num { text, .. } => Q::point(
            crate::exact::rational_of_decimal(text)
                .ok_or(RecheckError::Malformed(format!("number {text}")))?,
        ),
        Expr::Var { name, .. } => match env.get(name) {
            Some(v) => v.clone(),
            None => match defs.get(name).filter(|d| d.params.is_empty()) {
                Some(d) => match eval_q(&d.body, &BTreeMap::new(), defs)? {
                    Some(v) => v,
                    None => return Ok(None),
                },
                None => return Err(RecheckError::Malformed(format!("unknown `{name}`"))),
            },
        },
        Expr::Pi => return Err(RecheckError::NotRational("π")),
        Expr::Call(..) => return Err(RecheckError::NotRational("a transcendental function or √")),
        Expr::Neg(a) => match eval_q(a, env, defs)? {
            Some(v) => v.neg(),
            None => return Ok(None),
        },
        Expr::Add(a, b)
        | Expr::Sub(a, b)
        | Expr::Mul(a, b)
        | Expr::Min(a, b)
        | Expr::Max(a, b)
        | Expr::Div(a, b, _) => {
            let (Some(x), Some(y)) = (eval_q(a, env, defs)?, eval_q(b, env, defs)?) else {
                return Ok(None);
            };
            match e {
                Expr::Add(..) => x.add(&y),
                Expr::Sub(..) => x.add(&y.neg()),
                Expr::Mul(..) if a == b => x.pow(2),
                Expr::Mul(..) => x.mul(&y),
                Expr::Min(..) => Q {
                    lo: x.lo.min(y.lo),
                    hi: x.hi.min(y.hi),
                },
                Expr::Max(..) => Q {
                    lo: x.lo.max(y.lo),
                    hi: x.hi.max(y.hi),
                },
                _ => match y.inv() {
                    Some(inv) => x.mul(&inv),
                    None => return Ok(None),
                },
            }
        }
        Expr::Pow(a, n) => match eval_q(a, env, defs)? {
            Some(v) => v.pow(*n),
            None => return Ok(None),
        },
        Expr::Abs(a) => match eval_q(a, env, defs)? {
            Some(v) if v.lo >= 0 => v,
            Some(v) if v.hi <= 0 => v.neg(),
            Some(v) => Q {
                lo: Rational::from(0),
                hi: v.hi.max(-v.lo),
            },
            None => return Ok(None),
        },
        Expr::Apply { name, args, .. } => {
            let d = defs
                .get(name)
                .ok_or_else(|| RecheckError::Malformed(format!("unknown definition `{name}`")))?;
            let Some(inner) = bind(&d.params, args, env, |a| eval_q(a, env, defs))? else {
                return Ok(None);
            };
            match eval_q(&d.body, &inner, defs)? {
                Some(v) => v,
                None => return Ok(None),
            }
        }
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
    defs: &BTreeMap<String, Def>,
    n: usize,
) -> Result<Option<QJet>, RecheckError> {
    let rec = |e: &Expr| eval_qjet(e, env, defs, n);
    let constant = |e: &Expr| -> Result<Option<QJet>, RecheckError> {
        Ok(eval_q(e, &BTreeMap::new(), defs)?.map(|v| QJet::constant(v, n)))
    };
    Ok(match e {
        Expr::Num { .. } => constant(e)?,
        Expr::Var { name, .. } => match env.get(name) {
            Some(j) => Some(j.clone()),
            None => constant(e)?,
        },
        Expr::Pi => return Err(RecheckError::NotRational("π")),
        Expr::Call(..) => return Err(RecheckError::NotRational("a transcendental function or √")),
        Expr::Abs(_) | Expr::Min(..) | Expr::Max(..) => None,
        Expr::Neg(a) => rec(a)?.map(|a| a.neg()),
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b, _) => {
            let (Some(x), Some(y)) = (rec(a)?, rec(b)?) else {
                return Ok(None);
            };
            match e {
                Expr::Add(..) => Some(x.add(&y)),
                Expr::Sub(..) => Some(x.add(&y.neg())),
                Expr::Mul(..) if a == b => Some(x.pow(2)),
                Expr::Mul(..) => Some(x.mul(&y)),
                _ => y.recip().map(|r| x.mul(&r)),
            }
        }
        Expr::Pow(a, k) => rec(a)?.map(|a| a.pow(*k)),
        Expr::Apply { name, args, .. } => {
            let d = defs
                .get(name)
                .ok_or_else(|| RecheckError::Malformed(format!("unknown definition `{name}`")))?;
            let Some(inner) = bind(&d.params, args, env, rec)? else {
                return Ok(None);
            };
            eval_qjet(&d.body, &inner, defs, n)?
        }
    })
}

/// The exact mean-value enclosure of `b - a` on the box `env`: `D(c) + Σ ∂ᵢD(X)·(Xᵢ - cᵢ)` at
/// the box's centre `c`.
fn centred_q(
    a: &Expr,
    b: &Expr,
    env: &BTreeMap<String, Q>,
    defs: &BTreeMap<String, Def>,
) -> Result<Option<Q>, RecheckError> {
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
    let (Some(ja), Some(jb)) = (eval_qjet(a, &jets, defs, n)?, eval_qjet(b, &jets, defs, n)?)
    else {
        return Ok(None);
    };
    let (Some(ca), Some(cb)) = (eval_q(a, &centre, defs)?, eval_q(b, &centre, defs)?) else {
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
fn holds(
    p: &Prop,
    env: &BTreeMap<String, Q>,
    defs: &BTreeMap<String, Def>,
) -> Result<Option<bool>, RecheckError> {
    let and = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    Ok(match p {
        Prop::Const(b) => Some(*b),
        Prop::Cmp(es, rels) => {
            let mut vals = Vec::new();
            for e in es {
                match eval_q(e, env, defs)? {
                    Some(v) => vals.push(v),
                    None => return Ok(None),
                }
            }
            let mut acc = Some(true);
            for (i, r) in rels.iter().enumerate() {
                let (a, b) = (&vals[i], &vals[i + 1]);
                let mut t = decide(a, r, b);
                // An open comparison is retried in the exact mean-value form of `b - a`, the
                // form the branch and bound may have closed the leaf with.
                if t.is_none() && !matches!(r, Rel::Eq | Rel::Ne) {
                    if let Some(d) = centred_q(&es[i], &es[i + 1], env, defs)? {
                        t = decide(&Q::point(Rational::from(0)), r, &d);
                    }
                }
                acc = and(acc, t);
            }
            acc
        }
        Prop::Not(a) => holds(a, env, defs)?.map(|x| !x),
        Prop::And(a, b) => and(holds(a, env, defs)?, holds(b, env, defs)?),
        Prop::Or(a, b) => and(
            holds(a, env, defs)?.map(|x| !x),
            holds(b, env, defs)?.map(|x| !x),
        )
        .map(|x| !x),
        Prop::Imp(a, b) => and(holds(a, env, defs)?, holds(b, env, defs)?.map(|x| !x)).map(|x| !x),
        Prop::Iff(a, b) => {
            let (x, y) = (holds(a, env, defs)?, holds(b, env, defs)?);
            match (x, y) {
                (Some(x), Some(y)) => Some(x == y),
                _ => None,
            }
        }
        Prop::Forall(..) | Prop::MinOn { .. } | Prop::Exists(..) => None,
    })
}

/// Re-checks `cert` against the statement translated from the Lean source.
pub fn recheck(statement: &Statement, cert: &Certificate) -> Result<usize, RecheckError> {
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
        if !crate::symmetry::even_in(&statement.claim, name, &statement.defs) {
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
            if holds(&statement.claim, &env, &statement.defs)? == Some(true) {
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
            if !(q.lo < at && at < q.hi) {
                return Err(RecheckError::Malformed(
                    "a split point outside its range".into(),
                ));
            }
            bx[*var] = Q {
                lo: q.lo.clone(),
                hi: at.clone(),
            };
            walk(statement, left, bx, leaves)?;
            bx[*var] = Q {
                lo: at,
                hi: q.hi.clone(),
            };
            walk(statement, right, bx, leaves)?;
            bx[*var] = q;
            Ok(())
        }
    }
}
