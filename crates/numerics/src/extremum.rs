//! `IsMinOn`/`IsMaxOn` claims decided exactly where the algebra allows. Under `↔`, `¬` or left
//! of `→`, `translate` leaves `IsMinOn f S a` as a nested `∀ y, y ∈ S → f a ≤ f y` (`IsMaxOn`:
//! `f y ≤ f a`), which `check`'s bounded search can only ever refute on its `IsMinOn` side. This
//! module reads such a quantifier back through a small adapter ([`Extremum`]: the set, `f` as a
//! function of `y`, the point `a`) and decides it:
//!
//! * at a rational point (every variable fixed), `∀ y` is a formula of polynomial sign
//!   conditions in `y` that `sturm` decides for every real `y`; so the minimiser is located
//!   exactly (the vertex of a quadratic, the rational roots of `f'`, the ends of `S`, also the
//!   rational solutions of the claim's own equations), the claim is evaluated there, and a wrong
//!   minimum value is refuted with exact parameters and point ([`refute`]);
//! * with a single free variable and numeric coefficients, the infimum `m` of `f` on `S` is
//!   found exactly, the quantifier becomes `f a ≤ m`, and the claim is decided for every real
//!   value of that variable: proved on all of ℝ, or refuted ([`decide_univariate`]);
//! * with symbolic parameters, `vertex` proves the `↔` forms for quadratics (completed square,
//!   uniqueness from strict convexity).
//!
//! Anything else is left to `check`'s search (`None`): never a verdict this module cannot back.

use std::cell::RefCell;
use std::collections::BTreeMap;

use rug::Rational;
use serde::{Deserialize, Serialize};

use crate::certificate::{RecheckError, rational_text};
use crate::check::{CheckConfig, Rng, Verdict, box_of};
use crate::expr::{Expr, Func};
use crate::prop::{Prop, Rel};
use crate::statement::{Def, Statement};
use crate::sturm::{Decision, Formula, Infimum, Span, UPoly, decide_forall, infimum};

/// The set an extremum ranges over, as `translate` writes its membership.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Set {
    Univ,
    /// `a ≤ y` (`a < y` when strict).
    From(Expr, bool),
    /// `a ≤ y ≤ b`.
    Between(Expr, Expr),
}

/// A nested `∀ y, y ∈ S → value ≤ f` (a minimum; `f ≤ value` for a maximum) where `value`
/// does not depend on `y`: `IsMinOn (fun y => f) S at` with `value = f[y := at]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Extremum {
    pub y: String,
    pub set: Set,
    /// `f` at the claimed point (the side without `y`).
    pub value: Expr,
    /// `f` as an expression in `y`.
    pub f: Expr,
    pub max: bool,
    /// The claimed point, when `value` is `f` with one expression in place of `y` (`None`
    /// when `f` does not depend on `y`, or the two sides do not line up).
    pub at: Option<Expr>,
}

/// Whether `e` depends on `name` (a vector argument `φ` counts for its norm `‖φ‖`).
pub(crate) fn mentions(e: &Expr, name: &str) -> bool {
    let rec = |a: &Expr| mentions(a, name);
    match e {
        Expr::Var { name: n, .. } => n == name || format!("‖{n}‖") == name,
        Expr::Num { .. } | Expr::Pi => false,
        Expr::Neg(a) | Expr::Pow(a, _) | Expr::Abs(a) | Expr::Call(_, a, _) => rec(a),
        Expr::Add(a, b)
        | Expr::Sub(a, b)
        | Expr::Mul(a, b)
        | Expr::Div(a, b, _)
        | Expr::Min(a, b)
        | Expr::Max(a, b) => rec(a) || rec(b),
        Expr::Apply { args, .. } => args.iter().any(rec),
    }
}

fn set_mentions(set: &Set, name: &str) -> bool {
    match set {
        Set::Univ => false,
        Set::From(a, _) => mentions(a, name),
        Set::Between(a, b) => mentions(a, name) || mentions(b, name),
    }
}

/// Where `fy` has the variable `y`, `fa` must have one and the same expression, the point;
/// everywhere else the two must agree.
fn recover_at(fy: &Expr, y: &str, fa: &Expr, found: &mut Option<Expr>) -> bool {
    let mut rec = |a: &Expr, b: &Expr| recover_at(a, y, b, found);
    match (fy, fa) {
        (Expr::Var { name, .. }, _) if name == y => match found {
            Some(a) => a == fa,
            None => {
                *found = Some(fa.clone());
                true
            }
        },
        (Expr::Num { text: a, .. }, Expr::Num { text: b, .. }) => a == b,
        (Expr::Var { name: a, .. }, Expr::Var { name: b, .. }) => a == b,
        (Expr::Pi, Expr::Pi) => true,
        (Expr::Neg(a), Expr::Neg(b)) | (Expr::Abs(a), Expr::Abs(b)) => rec(a, b),
        (Expr::Pow(a, k), Expr::Pow(b, l)) => k == l && rec(a, b),
        (Expr::Call(f, a, _), Expr::Call(g, b, _)) => f == g && rec(a, b),
        (Expr::Add(a1, b1), Expr::Add(a2, b2))
        | (Expr::Sub(a1, b1), Expr::Sub(a2, b2))
        | (Expr::Mul(a1, b1), Expr::Mul(a2, b2))
        | (Expr::Div(a1, b1, _), Expr::Div(a2, b2, _))
        | (Expr::Min(a1, b1), Expr::Min(a2, b2))
        | (Expr::Max(a1, b1), Expr::Max(a2, b2)) => rec(a1, a2) && rec(b1, b2),
        (
            Expr::Apply {
                name: n1, args: a1, ..
            },
            Expr::Apply {
                name: n2, args: a2, ..
            },
        ) => n1 == n2 && a1.len() == a2.len() && a1.iter().zip(a2).all(|(a, b)| rec(a, b)),
        _ => false,
    }
}

fn read_set(member: &Prop, y: &str) -> Option<Set> {
    let Prop::Cmp(es, rels) = member else {
        return None;
    };
    let is_y = |e: &Expr| matches!(e, Expr::Var { name, .. } if name == y);
    match (&es[..], &rels[..]) {
        ([a, v], [r @ (Rel::Le | Rel::Lt)]) if is_y(v) && !mentions(a, y) => {
            Some(Set::From(a.clone(), *r == Rel::Lt))
        }
        ([a, v, b], [Rel::Le, Rel::Le]) if is_y(v) && !mentions(a, y) && !mentions(b, y) => {
            Some(Set::Between(a.clone(), b.clone()))
        }
        _ => None,
    }
}

/// Reads `p` as an extremum quantifier, if it is one.
pub(crate) fn read_extremum(p: &Prop) -> Option<Extremum> {
    let Prop::Forall(vars, body) = p else {
        return None;
    };
    let [y] = &vars[..] else { return None };
    let (set, cmp) = match &**body {
        Prop::Imp(member, cmp) => (read_set(member, y)?, &**cmp),
        cmp => (Set::Univ, cmp),
    };
    let Prop::Cmp(es, rels) = cmp else {
        return None;
    };
    let (lhs, rhs) = match &rels[..] {
        [Rel::Le] => (&es[0], &es[1]),
        [Rel::Ge] => (&es[1], &es[0]),
        _ => return None,
    };
    let (max, f, value) = match (mentions(lhs, y), mentions(rhs, y)) {
        (false, true) => (false, rhs, lhs),
        (true, false) => (true, lhs, rhs),
        _ => return None,
    };
    let mut at = None;
    let at = if recover_at(f, y, value, &mut at) {
        at
    } else {
        None
    };
    Some(Extremum {
        y: y.clone(),
        set,
        value: value.clone(),
        f: f.clone(),
        max,
        at,
    })
}

/// Every extremum quantifier of `p`, outermost first.
fn extrema(p: &Prop, out: &mut Vec<Extremum>) {
    if let Some(e) = read_extremum(p) {
        out.push(e);
        return;
    }
    match p {
        Prop::Not(a) | Prop::Forall(_, a) | Prop::Exists(_, a) => extrema(a, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            extrema(a, out);
            extrema(b, out);
        }
        Prop::Const(_) | Prop::Cmp(..) | Prop::MinOn { .. } => {}
    }
}

/// The claim's leading hypotheses and what they imply.
pub(crate) fn split_hypotheses(s: &Statement) -> (Vec<&Prop>, &Prop) {
    let mut hyps = Vec::new();
    let mut p = &s.claim;
    for _ in &s.hypotheses {
        let Prop::Imp(h, rest) = p else { break };
        hyps.push(&**h);
        p = rest;
    }
    (hyps, p)
}

/// Polynomials of more than this degree are not worth exact root isolation here.
const MAX_DEGREE: usize = 64;

/// `e` as a polynomial in one variable: `env` binds every name (to a number, or the variable to
/// `x`); constant definitions of the file are inlined; a division by 0 is 0, as in Lean. `None`
/// outside the polynomial fragment (π, √ and other functions, `|·|`/`min`/`max` of the
/// variable, a divisor that depends on the variable).
pub(crate) fn upoly_of(
    e: &Expr,
    env: &BTreeMap<String, UPoly>,
    defs: &BTreeMap<String, Def>,
) -> Option<UPoly> {
    let rec = |a: &Expr| upoly_of(a, env, defs);
    Some(match e {
        Expr::Num { text, .. } => UPoly::constant(crate::exact::rational_of_decimal(text)?),
        Expr::Var { name, .. } => match env.get(name) {
            Some(p) => p.clone(),
            None => {
                let d = defs.get(name).filter(|d| d.params.is_empty())?;
                upoly_of(&d.body, &BTreeMap::new(), defs)?
            }
        },
        Expr::Pi | Expr::Call(..) => return None,
        Expr::Neg(a) => rec(a)?.neg(),
        Expr::Add(a, b) => rec(a)?.add(&rec(b)?),
        Expr::Sub(a, b) => rec(a)?.sub(&rec(b)?),
        Expr::Mul(a, b) => {
            let p = rec(a)?.mul(&rec(b)?);
            if p.degree().unwrap_or(0) > MAX_DEGREE {
                return None;
            }
            p
        }
        Expr::Div(a, b, _) => {
            let d = rec(b)?.as_constant()?;
            if d == 0 {
                // Lean's real division: `a / 0 = 0` (`div_zero`).
                return Some(UPoly::zero());
            }
            rec(a)?.scale(&d.recip())
        }
        Expr::Pow(a, k) => {
            let p = rec(a)?;
            let degree = p.degree().unwrap_or(0) as u64 * u64::from(*k);
            if degree > MAX_DEGREE as u64 || (degree == 0 && *k > 256) {
                return None;
            }
            p.pow(*k)
        }
        Expr::Abs(a) => UPoly::constant(rec(a)?.as_constant()?.abs()),
        Expr::Min(a, b) | Expr::Max(a, b) => {
            let (x, y) = (rec(a)?.as_constant()?, rec(b)?.as_constant()?);
            UPoly::constant(if matches!(e, Expr::Min(..)) {
                x.min(y)
            } else {
                x.max(y)
            })
        }
        Expr::Apply { name, args, .. } => {
            let d = defs.get(name)?;
            if d.params.len() != args.len() {
                return None;
            }
            let inner = crate::expr::bind_call(&d.params, args, env, |a| rec(a).ok_or(())).ok()?;
            upoly_of(&d.body, &inner, defs)?
        }
    })
}

/// `p` as a formula in the variable `env` binds to `x`; `nested` translates the quantifiers
/// (`None`: not translatable).
fn formula_of(
    p: &Prop,
    env: &BTreeMap<String, UPoly>,
    defs: &BTreeMap<String, Def>,
    nested: &dyn Fn(&Prop) -> Option<Formula>,
) -> Option<Formula> {
    let rec = |q: &Prop| formula_of(q, env, defs, nested).map(Box::new);
    Some(match p {
        Prop::Const(b) => Formula::Const(*b),
        Prop::Cmp(es, rels) => {
            let polys = es
                .iter()
                .map(|e| upoly_of(e, env, defs))
                .collect::<Option<Vec<_>>>()?;
            rels.iter()
                .enumerate()
                .map(|(i, r)| Formula::Sign(polys[i].sub(&polys[i + 1]), *r))
                .reduce(Formula::and)?
        }
        Prop::Not(a) => Formula::Not(rec(a)?),
        Prop::And(a, b) => Formula::And(rec(a)?, rec(b)?),
        Prop::Or(a, b) => Formula::Or(rec(a)?, rec(b)?),
        Prop::Imp(a, b) => Formula::Imp(rec(a)?, rec(b)?),
        Prop::Iff(a, b) => Formula::Iff(rec(a)?, rec(b)?),
        Prop::Forall(..) | Prop::Exists(..) | Prop::MinOn { .. } => nested(p)?,
    })
}

fn constants(point: &BTreeMap<String, Rational>) -> BTreeMap<String, UPoly> {
    point
        .iter()
        .map(|(k, v)| (k.clone(), UPoly::constant(v.clone())))
        .collect()
}

/// The exact truth of `p` at a rational point: arithmetic exactly, and each `∀ y`/`∃ y` over
/// one real variable decided for every real `y` by `sturm` (`None`: outside the polynomial
/// fragment).
pub(crate) fn truth_at(
    p: &Prop,
    point: &BTreeMap<String, Rational>,
    defs: &BTreeMap<String, Def>,
) -> Option<bool> {
    let env = constants(point);
    let no_nesting = |_: &Prop| None;
    let nested = |q: &Prop| -> Option<Formula> {
        let (Prop::Forall(vars, body) | Prop::Exists(vars, body)) = q else {
            return None;
        };
        let [y] = &vars[..] else { return None };
        // The bound variable shadows any outer one of its name.
        let mut inner = env.clone();
        inner.insert(y.clone(), UPoly::x());
        let body = formula_of(body, &inner, defs, &no_nesting)?;
        Some(Formula::Const(match q {
            Prop::Forall(..) => decide_forall(&body)? == Decision::Holds,
            _ => decide_forall(&Formula::Not(Box::new(body)))? != Decision::Holds,
        }))
    };
    let f = formula_of(p, &env, defs, &nested)?;
    // Every polynomial left is a constant: its sign anywhere is its value's.
    Some(f.eval(&mut |q| q.sign_at(&Rational::new())))
}

/// The set at a point, as a span.
fn span_of(set: &Set, env: &BTreeMap<String, UPoly>, defs: &BTreeMap<String, Def>) -> Option<Span> {
    let value = |e: &Expr| upoly_of(e, env, defs)?.as_constant();
    Some(match set {
        Set::Univ => Span::ALL,
        Set::From(a, strict) => Span {
            lo: Some((value(a)?, *strict)),
            hi: None,
        },
        Set::Between(a, b) => Span {
            lo: Some((value(a)?, false)),
            hi: Some((value(b)?, false)),
        },
    })
}

/// The infimum of `f` (the supremum, negated, for a maximum) on the extremum's set, with every
/// outer variable bound in `env`.
fn bound_of(
    e: &Extremum,
    env: &BTreeMap<String, UPoly>,
    defs: &BTreeMap<String, Def>,
) -> Option<Infimum> {
    let mut inner = env.clone();
    inner.insert(e.y.clone(), UPoly::x());
    let f = upoly_of(&e.f, &inner, defs)?;
    let span = span_of(&e.set, env, defs)?;
    Some(infimum(&if e.max { f.neg() } else { f }, &span))
}

/// Decides `s` when its nested quantifiers are extrema: `None` when this module cannot.
pub(crate) fn decide(s: &Statement, config: &CheckConfig) -> Option<Verdict> {
    let mut found = Vec::new();
    extrema(&s.claim, &mut found);
    if found.is_empty() {
        return None;
    }
    decide_univariate(s)
        .or_else(|| crate::vertex::prove(s))
        .or_else(|| refute(s, &found, config))
}

fn refuted(point: &BTreeMap<String, Rational>, by: &'static str) -> Verdict {
    Verdict::Refuted {
        counterexample: point
            .iter()
            .map(|(k, v)| (k.clone(), rational_text(v)))
            .collect(),
        certified_by: by,
    }
}

const REFUTED_BY: &str =
    "exact rational arithmetic, the minimum over the set located exactly (Sturm sequences)";

/// With at most one free variable and numeric coefficients: each extremum's bound is found
/// exactly, the quantifier becomes a comparison with it, and the claim is decided for every
/// real value of the variable.
fn decide_univariate(s: &Statement) -> Option<Verdict> {
    let x = match &s.vars[..] {
        [] => {
            let holds = truth_at(&s.claim, &BTreeMap::new(), &s.defs)?;
            return Some(if holds {
                proved(None, "exact: every quantifier decided by Sturm sequences")
            } else {
                refuted(&BTreeMap::new(), REFUTED_BY)
            });
        }
        [v] => v.name.clone(),
        _ => return None,
    };
    let bounds = RefCell::new(Vec::new());
    let f = univariate_formula(s, &x, &bounds)?;
    match decide_forall(&f)? {
        Decision::Holds => {
            let proof = crate::vertex::ExtremumProof::Univariate {
                variable: x.clone(),
                bounds: bounds.into_inner(),
            };
            Some(proved(
                Some(univariate_report(s, proof)),
                "exact real-root reasoning: every extremum located by Sturm sequences, the claim decided for every real value",
            ))
        }
        Decision::Fails(crate::sturm::Witness::Rational(q)) => {
            let point = BTreeMap::from([(x.clone(), q)]);
            // The direct evaluation at the point must agree: it decides the quantifier itself.
            (truth_at(&s.claim, &point, &s.defs) == Some(false))
                .then(|| refuted(&point, REFUTED_BY))
        }
        Decision::Fails(w) => Some(Verdict::Refuted {
            counterexample: BTreeMap::from([(x.clone(), w.text(&x))]),
            certified_by: "exact real-root reasoning (the counterexample is an isolated irrational root)",
        }),
    }
}

/// The claim as a formula in `x`, each extremum replaced by the comparison with its exact
/// bound (whose text is pushed to `bounds`, in the order the claim mentions them).
fn univariate_formula(s: &Statement, x: &str, bounds: &RefCell<Vec<String>>) -> Option<Formula> {
    let env = BTreeMap::from([(x.to_string(), UPoly::x())]);
    let consts = BTreeMap::new();
    let nested = |p: &Prop| -> Option<Formula> {
        let e = read_extremum(p)?;
        if mentions(&e.f, x) || set_mentions(&e.set, x) || e.y == x {
            return None;
        }
        let value = upoly_of(&e.value, &env, &s.defs)?;
        let value = if e.max { value.neg() } else { value };
        let (text, formula) = match bound_of(&e, &consts, &s.defs)? {
            Infimum::Empty => ("empty".to_string(), Formula::Const(true)),
            Infimum::Unbounded => ("unbounded".to_string(), Formula::Const(false)),
            Infimum::Value { value: m, .. } => {
                let shown = if e.max {
                    Rational::from(-&m)
                } else {
                    m.clone()
                };
                (
                    rational_text(&shown),
                    Formula::Sign(value.sub(&UPoly::constant(m)), Rel::Le),
                )
            }
            Infimum::NotRational => return None,
        };
        bounds.borrow_mut().push(text);
        Some(formula)
    };
    formula_of(&s.claim, &env, &s.defs, &nested)
}

/// Re-checks a univariate proof: each stated bound is a bound of its function on its set and
/// is approached there (or the set is empty, or the function unbounded), and with the
/// quantifiers replaced by those bounds the claim holds for every real value.
pub(crate) fn recheck_univariate(
    s: &Statement,
    variable: &str,
    stated: &[String],
) -> Result<usize, RecheckError> {
    if s.vars.len() != 1 || s.vars[0].name != variable {
        return Err(RecheckError::Variables {
            expected: variable.to_string(),
            found: s
                .vars
                .iter()
                .map(|v| v.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let mut found = Vec::new();
    extrema(&s.claim, &mut found);
    if found.len() != stated.len() {
        return Err(RecheckError::Malformed(format!(
            "{} bounds for {} extrema",
            stated.len(),
            found.len()
        )));
    }
    let consts = BTreeMap::new();
    for (e, text) in found.iter().zip(stated) {
        let mut inner = consts.clone();
        inner.insert(e.y.clone(), UPoly::x());
        let (Some(f), Some(span)) = (
            upoly_of(&e.f, &inner, &s.defs),
            span_of(&e.set, &consts, &s.defs),
        ) else {
            return Err(RecheckError::Malformed(
                "an extremum outside the polynomial fragment".into(),
            ));
        };
        let f = if e.max { f.neg() } else { f };
        let ok = match text.as_str() {
            "empty" => span.is_empty(),
            "unbounded" => !span.is_empty() && crate::sturm::unbounded_below(&f, &span),
            q => {
                let m = crate::certificate::parse_rational(q)
                    .ok_or_else(|| RecheckError::Malformed(format!("bound {q}")))?;
                let m = if e.max { -m } else { m };
                crate::sturm::is_infimum(&f, &span, &m)
            }
        };
        if !ok {
            return Err(RecheckError::Fails(format!(
                "{text} is not the {} of {} on its set",
                if e.max { "supremum" } else { "infimum" },
                lean_text(&e.f)
            )));
        }
    }
    let bounds = RefCell::new(Vec::new());
    let f = univariate_formula(s, variable, &bounds).ok_or_else(|| {
        RecheckError::Malformed("the claim is outside the polynomial fragment".into())
    })?;
    if bounds.into_inner() != stated {
        return Err(RecheckError::Fails(
            "the bounds differ from the claim's".into(),
        ));
    }
    match decide_forall(&f).ok_or_else(|| {
        RecheckError::Malformed("the claim's polynomials are too large to decide".into())
    })? {
        Decision::Holds => Ok(found.len() + 1),
        Decision::Fails(w) => Err(RecheckError::Fails(format!(
            "the claim fails at {variable} = {}",
            w.text(variable)
        ))),
    }
}

fn proved(algebraic: Option<crate::Algebraic>, method: &'static str) -> Verdict {
    Verdict::Proved {
        boxes: 0,
        method,
        witness: None,
        tree: None,
        algebraic,
        even: Vec::new(),
    }
}

pub(crate) fn proved_with(algebraic: crate::Algebraic, method: &'static str) -> Verdict {
    proved(Some(algebraic), method)
}

fn univariate_report(s: &Statement, proof: crate::vertex::ExtremumProof) -> crate::Algebraic {
    let mut found = Vec::new();
    extrema(&s.claim, &mut found);
    let crate::vertex::ExtremumProof::Univariate { bounds, .. } = &proof else {
        unreachable!("built above")
    };
    let mut identities = Vec::new();
    let mut lines = Vec::new();
    let mut minimisers = Vec::new();
    let consts = BTreeMap::new();
    for (e, bound) in found.iter().zip(bounds) {
        let y = crate::algebraic::display_names(std::slice::from_ref(&e.y))
            .pop()
            .unwrap_or_else(|| e.y.clone());
        let f = lean_text(&substitute_name(&e.f, &e.y, &y));
        let word = if e.max { "supremum" } else { "infimum" };
        let set = set_text(&e.set);
        let (Some(Infimum::Value { value, at, .. }), Some(m)) = (
            bound_of(e, &consts, &s.defs),
            crate::certificate::parse_rational(bound),
        ) else {
            identities.push(format!("{word} of {f} over {set}: {bound}"));
            continue;
        };
        let shown_at: Vec<String> = at.iter().map(rational_text).collect();
        identities.push(if shown_at.is_empty() {
            format!("{word} of {f} over {set} is {bound}")
        } else {
            format!(
                "{word} of {f} over {set} is {bound}, attained at {y} = {}",
                shown_at.join(", ")
            )
        });
        minimisers.push(at.first().cloned());
        // f - m (or M - f) ≥ 0 on the set: its repeated factor is what nlinarith needs.
        let mut inner = consts.clone();
        inner.insert(e.y.clone(), UPoly::x());
        let Some(fp) = upoly_of(&e.f, &inner, &s.defs) else {
            continue;
        };
        let gap = if e.max {
            UPoly::constant(m.clone()).sub(&fp)
        } else {
            fp.sub(&UPoly::constant(value))
        };
        let mut facts = Vec::new();
        if let Some((c, root)) = crate::sturm::square_root(&gap) {
            let c = if c == 1 {
                String::new()
            } else {
                format!("{} * ", rational_text(&c))
            };
            identities.push(format!("{} = {c}({}) ^ 2", gap.lean(&y), root.lean(&y)));
        }
        let repeated = UPoly::gcd(&gap, &gap.derivative());
        if repeated.degree().unwrap_or(0) > 0 {
            facts.push(format!("sq_nonneg ({})", repeated.lean(&y)));
        }
        let (binder, hy) = match &e.set {
            Set::Univ => (String::new(), Vec::new()),
            Set::From(_, false) => (format!(" ∈ {set}"), vec!["Set.mem_Ici.mp hy".to_string()]),
            Set::From(_, true) => (format!(" ∈ {set}"), vec!["Set.mem_Ioi.mp hy".to_string()]),
            Set::Between(..) => (
                format!(" ∈ {set}"),
                vec![
                    "(Set.mem_Icc.mp hy).1".to_string(),
                    "(Set.mem_Icc.mp hy).2".to_string(),
                ],
            ),
        };
        let args = if hy.is_empty() {
            y.clone()
        } else {
            format!("{y} hy")
        };
        facts.extend(hy);
        let bound_text = bound.replace('/', " / ");
        let claim = if e.max {
            format!("{f} ≤ {bound_text}")
        } else {
            format!("{bound_text} ≤ {f}")
        };
        let name = if found.len() == 1 {
            "key".to_string()
        } else {
            format!("key{}", lines.len() + 1)
        };
        lines.push(format!(
            "have {name} : ∀ {y}{binder}, {claim} := fun {args} => by nlinarith [{}]",
            facts.join(", ")
        ));
    }
    let lemma = if found.iter().any(|e| e.max) {
        "isMaxOn_iff"
    } else {
        "isMinOn_iff"
    };
    lines.push(format!("rw [{lemma}]"));
    // One extremum under `↔`: both directions from `key`.
    if let ([e], [Some(r)], Prop::Iff(..)) = (&found[..], &minimisers[..], split_hypotheses(s).1) {
        if let Some(at) = &e.at {
            let at = lean_text_at(at, 1024);
            let r = rational_text(r);
            let r = if r.contains('/') || r.starts_with('-') {
                format!("({})", r.replace('/', " / "))
            } else {
                r
            };
            let membership = match &e.set {
                Set::Univ => "(Set.mem_univ _)",
                Set::From(_, false) => "(Set.mem_Ici.mpr (by norm_num))",
                Set::From(_, true) => "(Set.mem_Ioi.mpr (by norm_num))",
                Set::Between(..) => "⟨by norm_num, by norm_num⟩",
            };
            let key_at = match &e.set {
                Set::Univ => format!("key {at}"),
                Set::From(_, false) => format!("key {at} (Set.mem_Ici.mpr (by linarith))"),
                Set::From(_, true) => format!("key {at} (Set.mem_Ioi.mpr (by linarith))"),
                Set::Between(..) => {
                    format!("key {at} (Set.mem_Icc.mpr ⟨by linarith, by linarith⟩)")
                }
            };
            lines.push("constructor".into());
            lines.push(format!(
                "· intro h; nlinarith [{key_at}, h {r} {membership}]"
            ));
            let key_y = if matches!(e.set, Set::Univ) {
                "key y"
            } else {
                "key y hy"
            };
            lines.push(if matches!(split_hypotheses(s).1, Prop::Iff(_, q) | Prop::Iff(q, _) if matches!(**q, Prop::Or(..))) {
                format!("· rintro (rfl | rfl) y hy <;> nlinarith [{key_y}]")
            } else {
                format!("· intro hq y hy; nlinarith [{key_y}, hq]")
            });
        }
    }
    crate::Algebraic {
        kind: "exact extremum (Sturm sequences)".into(),
        scope: "every real value of the variable",
        identities,
        lean_hint: lines.join("\n"),
        extremum: Some(Box::new(proof)),
    }
}

/// `e` with the variable `from` renamed `to` (for display).
fn substitute_name(e: &Expr, from: &str, to: &str) -> Expr {
    crate::statement::substitute(
        e,
        from,
        &Expr::Var {
            name: to.to_string(),
            pos: 0,
        },
    )
}

pub(crate) fn set_text(set: &Set) -> String {
    match set {
        Set::Univ => "Set.univ".into(),
        Set::From(a, false) => format!("Set.Ici {}", lean_text_at(a, 1024)),
        Set::From(a, true) => format!("Set.Ioi {}", lean_text_at(a, 1024)),
        Set::Between(a, b) => format!(
            "Set.Icc {} {}",
            lean_text_at(a, 1024),
            lean_text_at(b, 1024)
        ),
    }
}

fn func_name(f: Func) -> &'static str {
    match f {
        Func::Sqrt => "Real.sqrt",
        Func::Exp => "Real.exp",
        Func::Log => "Real.log",
        Func::Sin => "Real.sin",
        Func::Cos => "Real.cos",
        Func::Arctan => "Real.arctan",
        Func::Sinh => "Real.sinh",
        Func::Cosh => "Real.cosh",
        Func::Tanh => "Real.tanh",
    }
}

/// Lean 4 text of an expression, parenthesised as Lean's precedences need.
pub(crate) fn lean_text(e: &Expr) -> String {
    lean_text_at(e, 0)
}

/// Text for a context that binds with precedence `context` (application arguments: 1024).
fn lean_text_at(e: &Expr, context: u32) -> String {
    let t = lean_text_at;
    let (text, prec) = match e {
        Expr::Num { text, .. } => (text.clone(), 1024),
        Expr::Var { name, .. } => (name.clone(), 1024),
        Expr::Pi => ("Real.pi".to_string(), 1024),
        // `-x ^ 2` is `-(x ^ 2)` in Lean; `--` would start a comment.
        Expr::Neg(a) if matches!(**a, Expr::Neg(_)) => (format!("-({})", t(a, 0)), 75),
        Expr::Neg(a) => (format!("-{}", t(a, 75)), 75),
        Expr::Add(a, b) => (format!("{} + {}", t(a, 65), t(b, 66)), 65),
        Expr::Sub(a, b) => (format!("{} - {}", t(a, 65), t(b, 66)), 65),
        Expr::Mul(a, b) => (format!("{} * {}", t(a, 70), t(b, 71)), 70),
        Expr::Div(a, b, _) => (format!("{} / {}", t(a, 70), t(b, 71)), 70),
        Expr::Pow(a, k) => (format!("{} ^ {k}", t(a, 76)), 75),
        Expr::Abs(a) => (format!("|{}|", t(a, 0)), 1024),
        Expr::Call(f, a, _) => (format!("{} {}", func_name(*f), t(a, 1024)), 1023),
        Expr::Min(a, b) => (format!("min {} {}", t(a, 1024), t(b, 1024)), 1023),
        Expr::Max(a, b) => (format!("max {} {}", t(a, 1024), t(b, 1024)), 1023),
        Expr::Apply { name, args, .. } => {
            let args: Vec<String> = args.iter().map(|a| t(a, 1024)).collect();
            (format!("{name} {}", args.join(" ")), 1023)
        }
    };
    if prec < context {
        format!("({text})")
    } else {
        text
    }
}

/// Searches rational parameter points (nice values first, then random ones from the box) for a
/// counterexample, putting the claimed point of each extremum exactly where the claim is most
/// likely wrong: at the located minimisers and at the rational solutions of the claim's
/// equations. Every candidate is decided exactly by [`truth_at`].
fn refute(s: &Statement, found: &[Extremum], config: &CheckConfig) -> Option<Verdict> {
    // The variable the claim's point is (`IsMinOn f S x`): located, not sampled.
    let located = found.iter().find_map(|e| match &e.at {
        Some(Expr::Var { name, .. })
            if s.vars.iter().any(|v| &v.name == name)
                && !mentions(&e.f, name)
                && !set_mentions(&e.set, name)
                && e.y != *name =>
        {
            Some(name.clone())
        }
        _ => None,
    });
    let params: Vec<(String, Rational, Rational)> = box_of(s, config)
        .into_iter()
        .filter(|(n, _, _)| Some(n) != located.as_ref())
        .collect();
    let nice: Vec<Rational> = [
        (1, 1),
        (2, 1),
        (1, 2),
        (0, 1),
        (-1, 1),
        (3, 1),
        (-2, 1),
        (1, 3),
    ]
    .iter()
    .map(|&(n, d)| Rational::from((n, d)))
    .collect();
    let combinations = nice
        .len()
        .checked_pow(params.len() as u32)
        .unwrap_or(usize::MAX)
        .min(64);
    let budget = config.samples.clamp(1, 160);
    let mut rng = Rng(config.seed | 1);
    for i in 0..budget {
        let mut digits = i;
        let point: BTreeMap<String, Rational> = params
            .iter()
            .map(|(n, lo, hi)| {
                let v = if i < combinations {
                    let v = nice[digits % nice.len()].clone().clamp(lo, hi);
                    digits /= nice.len();
                    v
                } else {
                    rng.dyadic(lo, hi)
                };
                (n.clone(), v)
            })
            .collect();
        let candidates = match &located {
            Some(x) => locate(s, found, x, &point),
            None => vec![point.clone()],
        };
        for candidate in candidates {
            if truth_at(&s.claim, &candidate, &s.defs) == Some(false) {
                return Some(refuted(&candidate, REFUTED_BY));
            }
        }
    }
    None
}

/// Points that extend `point` by a value of `x`: the rational minimisers (maximisers) of each
/// extremum whose point is `x`, and the rational solutions in `x` of the claim's equations.
fn locate(
    s: &Statement,
    found: &[Extremum],
    x: &str,
    point: &BTreeMap<String, Rational>,
) -> Vec<BTreeMap<String, Rational>> {
    let env = constants(point);
    let mut values: Vec<Rational> = Vec::new();
    for e in found {
        if !matches!(&e.at, Some(Expr::Var { name, .. }) if name == x) {
            continue;
        }
        if let Some(Infimum::Value { at, .. }) = bound_of(e, &env, &s.defs) {
            values.extend(at);
        }
    }
    let mut with_x = env.clone();
    with_x.insert(x.to_string(), UPoly::x());
    equation_roots(&s.claim, &with_x, &s.defs, &mut values);
    // Where every point is a minimiser (a constant function) or none is (unbounded), the
    // claim's other side decides; a few plain values test it.
    values.extend([0, 1, -1, 2].map(Rational::from));
    values.sort();
    values.dedup();
    values
        .into_iter()
        .map(|v| {
            let mut p = point.clone();
            p.insert(x.to_string(), v);
            p
        })
        .collect()
}

/// The rational roots of every equation `l = r` of `p` outside its quantifiers, as polynomials
/// in the variable `env` binds to `x`.
fn equation_roots(
    p: &Prop,
    env: &BTreeMap<String, UPoly>,
    defs: &BTreeMap<String, Def>,
    out: &mut Vec<Rational>,
) {
    match p {
        Prop::Cmp(es, rels) => {
            for (i, r) in rels.iter().enumerate() {
                if *r != Rel::Eq {
                    continue;
                }
                if let (Some(l), Some(r)) =
                    (upoly_of(&es[i], env, defs), upoly_of(&es[i + 1], env, defs))
                {
                    let d = l.sub(&r);
                    if d.degree().unwrap_or(0) > 0 {
                        out.extend(crate::sturm::rational_roots(&d));
                    }
                }
            }
        }
        Prop::Not(a) => equation_roots(a, env, defs, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            equation_roots(a, env, defs, out);
            equation_roots(b, env, defs, out);
        }
        Prop::Const(_) | Prop::Forall(..) | Prop::Exists(..) | Prop::MinOn { .. } => {}
    }
}

/// Data for `numerics recheck`: the proof of an extremum claim, bound to its statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtremumCertificate {
    pub schema: String,
    /// The Lean file, as given to `check`.
    pub file: String,
    pub declaration: String,
    pub proof: crate::vertex::ExtremumProof,
}

pub const EXTREMUM_SCHEMA: &str = "theorist.numerics.extremum-certificate/1";

/// Re-checks an extremum certificate against the statement, exactly; the number of facts
/// checked.
pub fn recheck_extremum(s: &Statement, cert: &ExtremumCertificate) -> Result<usize, RecheckError> {
    if cert.declaration != s.decl {
        return Err(RecheckError::Malformed(format!(
            "the certificate is for `{}`, not `{}`",
            cert.declaration, s.decl
        )));
    }
    match &cert.proof {
        crate::vertex::ExtremumProof::Univariate { variable, bounds } => {
            recheck_univariate(s, variable, bounds)
        }
        proof @ crate::vertex::ExtremumProof::Quadratic { .. } => crate::vertex::verify(s, proof),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem iff (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ x = μSq / (2 * 𝓵) := by sorry
theorem value_wrong (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ radial μSq 𝓵 x = -μSq ^ 2 / (2 * 𝓵) := by sorry
theorem quartic (x : ℝ) : IsMinOn (fun y => y ^ 4 - 2 * y ^ 2) Set.univ x ↔ x ^ 2 = 1 := by sorry
theorem quartic_wrong (x : ℝ) : IsMinOn (fun y => y ^ 4 - 2 * y ^ 2) Set.univ x ↔ x = 1 := by sorry
theorem closed : ¬ IsMinOn (fun y => y ^ 2 - y) Set.univ 1 := by sorry
"#;

    fn statement(decl: &str) -> Statement {
        crate::statement::translate(SRC, decl).unwrap()
    }

    #[test]
    fn the_point_of_an_is_min_on_is_read_back() {
        let s = statement("iff");
        let mut found = Vec::new();
        extrema(&s.claim, &mut found);
        let [e] = &found[..] else { panic!("{found:?}") };
        assert!(!e.max);
        assert!(matches!(e.set, Set::From(_, false)));
        assert_eq!(e.at.as_ref().map(lean_text).as_deref(), Some("x"));
        assert_eq!(lean_text(&e.f), format!("radial μSq 𝓵 {}", e.y));
    }

    #[test]
    fn nested_quantifiers_are_decided_exactly_at_a_point() {
        let s = statement("iff");
        let q = |n: i64, d: i64| Rational::from((n, d));
        let at = |x: Rational| {
            BTreeMap::from([
                ("μSq".to_string(), q(1, 1)),
                ("𝓵".to_string(), q(1, 1)),
                ("x".to_string(), x),
            ])
        };
        assert_eq!(truth_at(&s.claim, &at(q(1, 2)), &s.defs), Some(true));
        assert_eq!(truth_at(&s.claim, &at(q(1, 3)), &s.defs), Some(true));
        let wrong = statement("value_wrong");
        assert_eq!(
            truth_at(&wrong.claim, &at(q(1, 2)), &wrong.defs),
            Some(false)
        );
        assert_eq!(
            truth_at(&statement("closed").claim, &BTreeMap::new(), &s.defs),
            Some(true)
        );
    }

    #[test]
    fn numeric_claims_in_one_variable_are_decided_everywhere() {
        let v = decide(&statement("quartic"), &CheckConfig::default()).unwrap();
        assert!(matches!(v, Verdict::Proved { .. }), "{v:?}");
        let Some(Verdict::Refuted { counterexample, .. }) =
            decide(&statement("quartic_wrong"), &CheckConfig::default())
        else {
            panic!("not refuted");
        };
        // x = -1 is a minimiser too.
        assert_eq!(counterexample["x"], "-1");
    }

    #[test]
    fn a_wrong_minimum_value_is_refuted_at_the_located_minimiser() {
        let Some(Verdict::Refuted { counterexample, .. }) =
            decide(&statement("value_wrong"), &CheckConfig::default())
        else {
            panic!("not refuted");
        };
        assert_eq!(counterexample["μSq"], "1");
        assert_eq!(counterexample["𝓵"], "1");
        assert_eq!(counterexample["x"], "1/2");
    }

    /// Every combination of sign hypotheses on `p y² + q y` over `y ≥ 0`: the claim that the
    /// minimiser is the vertex `-q/(2p)` is true exactly when `p > 0` and `q ≤ 0` are assumed,
    /// and then proved; otherwise it is refuted (at `p ≤ 0` through Lean's `x / 0 = 0`).
    #[test]
    fn sign_hypotheses_decide_the_vertex_claim_both_ways() {
        for hp in ["(hp : 0 < p)", "(hp : 0 ≤ p)", ""] {
            for hq in ["(hq : q ≤ 0)", "(hq : q < 0)", "(hq : 0 ≤ q)", ""] {
                for hx in ["(hx : 0 ≤ x)", ""] {
                    let src = format!(
                        "theorem t (p q x : ℝ) {hp} {hq} {hx} : IsMinOn (fun y => p * y ^ 2 + q * y) (Set.Ici 0) x ↔ x = -q / (2 * p) := by sorry"
                    );
                    let s = crate::statement::translate(&src, "t").unwrap();
                    let truth =
                        hp == "(hp : 0 < p)" && (hq.contains("q ≤ 0)") || hq.contains("q < 0)"));
                    let v = decide(&s, &CheckConfig::default());
                    match v {
                        Some(Verdict::Proved { .. }) => assert!(truth, "{src}"),
                        Some(Verdict::Refuted { .. }) => assert!(!truth, "{src}"),
                        _ => panic!("undecided: {src}: {v:?}"),
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// One-variable quadratics `a y² + b y + c` on `[lo, hi]` (or ℝ), claimed minimal exactly
        /// at `r`: true iff `a > 0`, the vertex lies in the set and `r` is it. Always decided,
        /// and decided right.
        #[test]
        fn numeric_quadratic_claims_are_decided_right(
            a in -3i64..4, b in -4i64..5, c in -2i64..3, lo in -3i64..3, width in 0i64..4,
            univ in proptest::bool::ANY, r_vertex in proptest::bool::ANY, r in -3i64..4,
        ) {
            let set = if univ { "Set.univ".to_string() } else { format!("(Set.Icc ({lo}) ({}))", lo + width) };
            let r = if r_vertex && a != 0 { format!("({}) / ({})", -b, 2 * a) } else { format!("({r})") };
            let src = format!(
                "theorem t (x : ℝ) : IsMinOn (fun y => ({a}) * y ^ 2 + ({b}) * y + ({c})) {set} x ↔ x = {r} := by sorry"
            );
            let s = crate::statement::translate(&src, "t").unwrap();
            let vertex = (a > 0).then(|| Rational::from((-b, 2 * a)));
            let r_value = crate::statement::translate(&format!("theorem u : {r} = 0 := by sorry"), "u")
                .ok()
                .and_then(|u| match &u.claim {
                    Prop::Cmp(es, _) => upoly_of(&es[0], &BTreeMap::new(), &u.defs)?.as_constant(),
                    _ => None,
                })
                .unwrap();
            let truth = vertex.is_some_and(|v| {
                (univ || (v >= lo && v <= lo + width)) && v == r_value
            });
            match decide(&s, &CheckConfig::default()) {
                Some(Verdict::Proved { .. }) => proptest::prop_assert!(truth, "{}", src),
                Some(Verdict::Refuted { .. }) => proptest::prop_assert!(!truth, "{}", src),
                v => proptest::prop_assert!(false, "undecided: {}: {:?}", src, v),
            }
        }
    }

    #[test]
    fn lean_text_parenthesises_as_lean_reads() {
        for src in [
            "-x ^ 2",
            "(a + b) * c",
            "a - (b - c)",
            "a / (2 * b)",
            "radial a b (x + 1)",
            "(-x) ^ 2",
        ] {
            let e = crate::expr::parse_with(src, &["radial".to_string()].into()).unwrap();
            assert_eq!(lean_text(&e), src);
        }
    }
}
