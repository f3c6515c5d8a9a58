//! Exact one-variable reasoning on a claim: an expression as a polynomial in one real variable
//! over ℚ (every other name bound to a number, constant subterms evaluated exactly with Lean's
//! semantics: `x / 0 = 0`, truncated `ℕ` subtraction, floor division), a proposition as a formula
//! of sign conditions ([`crate::sturm::Formula`]); the exact truth of a claim at a rational point,
//! each nested `∀ y`/`∃ y` over the reals decided for every real `y` ([`truth_at`]); and claims
//! with one free real variable and numeric coefficients decided for every real value of it, each
//! extremum replaced by the comparison with its exact infimum ([`decide_univariate`]), with the
//! re-check of such a proof. Neighbours: `extremum` (the adapter and the entry point), `sturm`
//! (the mathematics).

use std::cell::RefCell;
use std::collections::BTreeMap;

use rug::Rational;

use crate::certificate::{RecheckError, parse_rational, rational_text};
use crate::check::Verdict;
use crate::core::{Expr, Prop, Rel, Ty};
use crate::exact::eval_exact;
use crate::extremum::{
    Extremum, REFUTED_BY, Set, atom, extrema, proved, read_extremum, refuted, shown_as,
    split_hypotheses, unfolding_lemma,
};
use crate::statement::Statement;
use crate::sturm::{Decision, Formula, Infimum, Span, UPoly, decide_forall, infimum};

/// Polynomials of more than this degree are not worth exact root isolation here.
const MAX_DEGREE: usize = 64;

/// `e` as a polynomial in the real variable `x` (a constant when `x` is `None` or absent), every
/// other name bound by `point`. A subterm without `x` is evaluated exactly as Lean defines it; a
/// subterm with `x` must be real polynomial arithmetic (`+`, `-`, `*`, `^` with a constant natural
/// exponent, `/` by a constant, where `/ 0` is `0`). `None` outside that fragment (π, √ and other
/// functions of `x`, `|x|`, a divisor that depends on `x`, a degree above 64).
pub(crate) fn upoly_of(
    e: &Expr,
    x: Option<&str>,
    point: &BTreeMap<String, Rational>,
) -> Option<UPoly> {
    let Some(x) = x.filter(|x| e.mentions(x)) else {
        return eval_exact(e, point).map(UPoly::constant);
    };
    if e.ty() != Ty::Real {
        return None;
    }
    let rec = |a: &Expr| upoly_of(a, Some(x), point);
    let capped = |p: UPoly| (p.degree().unwrap_or(0) <= MAX_DEGREE).then_some(p);
    Some(match e {
        Expr::Var(..) => UPoly::x(),
        Expr::Neg(_, a) => rec(a)?.neg(),
        Expr::Add(_, xs) => {
            let mut acc = UPoly::zero();
            for t in xs {
                acc = acc.add(&rec(t)?);
            }
            acc
        }
        Expr::Mul(_, xs) => {
            let mut acc = UPoly::constant(Rational::from(1));
            for t in xs {
                acc = capped(acc.mul(&rec(t)?))?;
            }
            acc
        }
        Expr::Div(_, a, b) if !b.mentions(x) => {
            let d = eval_exact(b, point)?;
            if d == 0 {
                // Lean's real division: `a / 0 = 0` (`div_zero`).
                return Some(UPoly::zero());
            }
            rec(a)?.scale(&d.recip())
        }
        Expr::Pow(_, a, k) => pow(rec(a)?, u64::from(*k))?,
        // `a ^ n` with a natural (or non-negative integer) exponent that is a constant.
        Expr::PowExpr(_, a, b) if !b.mentions(x) => {
            let k = eval_exact(b, point)?;
            if *k.denom() != 1 || k < 0 {
                return None;
            }
            pow(rec(a)?, k.numer().to_u64()?)?
        }
        _ => return None,
    })
}

fn pow(p: UPoly, k: u64) -> Option<UPoly> {
    let degree = p.degree().unwrap_or(0) as u64 * k;
    if degree > MAX_DEGREE as u64 || k > u64::from(u32::MAX) {
        return None;
    }
    Some(p.pow(k as u32))
}

/// `p` as a formula in the variable `x`; `nested` translates the quantifiers (`None`: not
/// translatable).
fn formula_of(
    p: &Prop,
    x: Option<&str>,
    point: &BTreeMap<String, Rational>,
    nested: &dyn Fn(&Prop) -> Option<Formula>,
) -> Option<Formula> {
    let rec = |q: &Prop| formula_of(q, x, point, nested).map(Box::new);
    Some(match p {
        Prop::Const(b) => Formula::Const(*b),
        Prop::Cmp(r, a, b) => {
            let (a, b) = (upoly_of(a, x, point)?, upoly_of(b, x, point)?);
            Formula::Sign(a.sub(&b), *r)
        }
        Prop::Not(a) => Formula::Not(rec(a)?),
        Prop::And(a, b) => Formula::And(rec(a)?, rec(b)?),
        Prop::Or(a, b) => Formula::Or(rec(a)?, rec(b)?),
        Prop::Imp(a, b) => Formula::Imp(rec(a)?, rec(b)?),
        Prop::Iff(a, b) => Formula::Iff(rec(a)?, rec(b)?),
        Prop::Forall(..) | Prop::Exists(..) => nested(p)?,
    })
}

/// The exact truth of `p` at a rational point (which must bind every free variable, with values
/// of their types): arithmetic exactly, and each `∀ y`/`∃ y` over one real variable decided for
/// every real `y` (a norm's for every `y ≥ 0`) by `sturm` (`None`: outside the polynomial
/// fragment, or a quantifier over `ℕ`, `ℤ`, `ℚ` or several variables).
pub(crate) fn truth_at(p: &Prop, point: &BTreeMap<String, Rational>) -> Option<bool> {
    let f = formula_of(p, None, point, &|q: &Prop| {
        decide_single(q, point).map(Formula::Const)
    })?;
    // Every polynomial left is a constant: its sign anywhere is its value's.
    Some(f.eval(&mut |q| q.sign_at(&Rational::new())))
}

/// `∀ y, body` or `∃ y, body` over one real variable `y` (a norm's `y ≥ 0`), every other name
/// bound by `point`, decided for every real `y` by `sturm`; `None` outside the polynomial
/// fragment, for a quantifier over `ℕ`, `ℤ`, `ℚ` or several variables, or one nested inside.
pub(crate) fn decide_single(q: &Prop, point: &BTreeMap<String, Rational>) -> Option<bool> {
    let no_nesting = |_: &Prop| None;
    let (Prop::Forall(vars, body) | Prop::Exists(vars, body)) = q else {
        return None;
    };
    let [y] = &vars[..] else { return None };
    if y.ty != Ty::Real {
        return None;
    }
    let body = formula_of(body, Some(&y.name), point, &no_nesting)?;
    let range = if y.nonneg {
        Formula::Sign(UPoly::x(), Rel::Ge)
    } else {
        Formula::Const(true)
    };
    Some(match q {
        Prop::Forall(..) => decide_forall(&Formula::imp(range, body))? == Decision::Holds,
        _ => {
            let none = Formula::imp(range, Formula::Not(Box::new(body)));
            decide_forall(&none)? != Decision::Holds
        }
    })
}

/// The set at a point, as a span.
pub(crate) fn span_of(set: &Set, point: &BTreeMap<String, Rational>) -> Option<Span> {
    let end = |b: &Option<(Expr, bool)>| -> Option<Option<(Rational, bool)>> {
        match b {
            None => Some(None),
            Some((e, open)) => Some(Some((eval_exact(e, point)?, *open))),
        }
    };
    Some(Span {
        lo: end(&set.lo)?,
        hi: end(&set.hi)?,
    })
}

/// The infimum of `f` (the supremum, negated, for a maximum) on the extremum's set, with every
/// outer variable bound in `point`.
pub(crate) fn bound_of(e: &Extremum, point: &BTreeMap<String, Rational>) -> Option<Infimum> {
    let f = upoly_of(&e.f, Some(&e.y), point)?;
    let span = span_of(&e.set, point)?;
    Some(infimum(&if e.max { f.neg() } else { f }, &span))
}

/// With at most one free variable, a real one, and numeric coefficients: each extremum's bound is
/// found exactly, the quantifier becomes a comparison with it, and the claim is decided for every
/// real value of the variable (every value `≥ 0` for a norm).
pub(crate) fn decide_univariate(s: &Statement) -> Option<Verdict> {
    let x = match &s.vars[..] {
        [] => {
            let holds = truth_at(&s.claim, &BTreeMap::new())?;
            return Some(if holds {
                proved(None, "exact: every quantifier decided by Sturm sequences")
            } else {
                refuted(&BTreeMap::new(), REFUTED_BY)
            });
        }
        [v] if v.ty == Ty::Real => v.name.clone(),
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
            (truth_at(&s.claim, &point) == Some(false)).then(|| refuted(&point, REFUTED_BY))
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
    let consts = BTreeMap::new();
    let nested = |p: &Prop| -> Option<Formula> {
        let e = read_extremum(p)?;
        if e.f.mentions(x) || e.set.mentions(x) || e.y == x {
            return None;
        }
        let value = upoly_of(&e.value, Some(x), &consts)?;
        let value = if e.max { value.neg() } else { value };
        let (text, formula) = match bound_of(&e, &consts)? {
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
    let claim = formula_of(&s.claim, Some(x), &consts, &nested)?;
    // A norm takes only values ≥ 0: the claim is about those.
    Some(if s.vars.iter().any(|v| v.name == x && v.nonneg) {
        Formula::imp(Formula::Sign(UPoly::x(), Rel::Ge), claim)
    } else {
        claim
    })
}

/// Re-checks a univariate proof: each stated bound is a bound of its function on its set and
/// is approached there (or the set is empty, or the function unbounded), and with the
/// quantifiers replaced by those bounds the claim holds for every real value.
pub(crate) fn recheck_univariate(
    s: &Statement,
    variable: &str,
    stated: &[String],
) -> Result<usize, RecheckError> {
    if s.vars.len() != 1 || s.vars[0].name != variable || s.vars[0].ty != Ty::Real {
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
        let (Some(f), Some(span)) = (
            upoly_of(&e.f, Some(&e.y), &consts),
            span_of(&e.set, &consts),
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
                let m = parse_rational(q)
                    .ok_or_else(|| RecheckError::Malformed(format!("bound {q}")))?;
                let m = if e.max { -m } else { m };
                crate::sturm::is_infimum(&f, &span, &m)
            }
        };
        if !ok {
            return Err(RecheckError::Extremum(format!(
                "{text} is not the {} of {} on its set",
                if e.max { "supremum" } else { "infimum" },
                shown_as(&e.f, &e.y, "y")
            )));
        }
    }
    let bounds = RefCell::new(Vec::new());
    let f = univariate_formula(s, variable, &bounds).ok_or_else(|| {
        RecheckError::Malformed("the claim is outside the polynomial fragment".into())
    })?;
    if bounds.into_inner() != stated {
        return Err(RecheckError::Extremum(
            "the bounds differ from the claim's".into(),
        ));
    }
    match decide_forall(&f).ok_or_else(|| {
        RecheckError::Malformed("the claim's polynomials are too large to decide".into())
    })? {
        Decision::Holds => Ok(found.len() + 1),
        Decision::Fails(w) => Err(RecheckError::Extremum(format!(
            "the claim fails at {variable} = {}",
            w.text(variable)
        ))),
    }
}

/// `simp only [defs] at *` when the statement unfolded definitions: the hint's identities are
/// about the unfolded bodies.
pub(crate) fn unfold_line(s: &Statement, at: &str) -> Option<String> {
    (!s.unfolded.is_empty()).then(|| format!("simp only [{}] at {at}", s.unfolded.join(", ")))
}

/// The membership lemma of a set kind (`Set.mem_Ici`).
fn mem_lemma(set: &Set) -> Option<String> {
    set.kind().map(|k| format!("Set.mem_{k}"))
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
    for (e, bound) in found.iter().zip(bounds) {
        let key = if found.len() == 1 {
            "key".to_string()
        } else {
            format!("key{}", lines.len() + 1)
        };
        let hint = extremum_hint(s, e, bound, &key);
        identities.extend(hint.identities);
        minimisers.extend(hint.minimiser);
        lines.extend(hint.have);
    }
    let lemma = unfolding_lemma(found.iter().any(|e| e.max));
    lines.push(format!("rw [{lemma}]"));
    lines.extend(unfold_line(s, "*"));
    // One extremum under `↔`: both directions from `key`.
    let body = split_hypotheses(s).1;
    if let ([e], [Some(r)], Prop::Iff(..)) = (&found[..], &minimisers[..], body) {
        if let Some(at) = &e.at {
            lines.extend(iff_lines(e, at, r, body));
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

/// What one extremum brings to the hint.
struct ExtremumHint {
    /// The bound and, where it is a value, its square-completing identity.
    identities: Vec<String>,
    /// The first point it is attained at (`Some(None)` where it is attained nowhere), when
    /// the bound is a value.
    minimiser: Option<Option<Rational>>,
    /// `have key : ∀ y ∈ s, m ≤ f y := … nlinarith [facts]`, when `f` is a polynomial.
    have: Option<String>,
}

/// The identities and the `have` line (named `key`) for extremum `e` whose certified bound is
/// `bound`: `f - m ≥ 0` on the set, with the repeated factor of `f - m` as the fact
/// `nlinarith` needs.
fn extremum_hint(s: &Statement, e: &Extremum, bound: &str, key: &str) -> ExtremumHint {
    let consts = BTreeMap::new();
    let mut names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
    names.push(e.y.clone());
    let y = crate::extremum::shown_names(&names, names.len() - 1)
        .pop()
        .unwrap_or_else(|| e.y.clone());
    let f = shown_as(&e.f, &e.y, &y).to_string();
    let word = if e.max { "supremum" } else { "infimum" };
    let set = e.set.text();
    let mut hint = ExtremumHint {
        identities: Vec::new(),
        minimiser: None,
        have: None,
    };
    let (Some(Infimum::Value { value, at, .. }), Some(m)) =
        (bound_of(e, &consts), parse_rational(bound))
    else {
        hint.identities
            .push(format!("{word} of {f} over {set}: {bound}"));
        return hint;
    };
    let shown_at: Vec<String> = at.iter().map(rational_text).collect();
    hint.identities.push(if shown_at.is_empty() {
        format!("{word} of {f} over {set} is {bound}")
    } else {
        format!(
            "{word} of {f} over {set} is {bound}, attained at {y} = {}",
            shown_at.join(", ")
        )
    });
    hint.minimiser = Some(at.first().cloned());
    // f - m (or M - f) ≥ 0 on the set: its repeated factor is what nlinarith needs.
    let Some(fp) = upoly_of(&e.f, Some(&e.y), &consts) else {
        return hint;
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
        hint.identities
            .push(format!("{} = {c}({}) ^ 2", gap.lean(&y), root.lean(&y)));
    }
    let repeated = UPoly::gcd(&gap, &gap.derivative());
    if repeated.degree().unwrap_or(0) > 0 {
        facts.push(format!("sq_nonneg ({})", repeated.lean(&y)));
    }
    let (binder, hy) = match (mem_lemma(&e.set), e.set.lo.is_some() && e.set.hi.is_some()) {
        (None, _) => (String::new(), Vec::new()),
        (Some(lemma), false) => (format!(" ∈ {set}"), vec![format!("{lemma}.mp hy")]),
        (Some(lemma), true) => (
            format!(" ∈ {set}"),
            vec![format!("({lemma}.mp hy).1"), format!("({lemma}.mp hy).2")],
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
    hint.have = Some(format!(
        "have {key} : ∀ {y}{binder}, {claim} := fun {args} => by nlinarith [{}]",
        facts.join(", ")
    ));
    hint
}

/// Both directions of `IsMinOn f s a ↔ a = r` (or `a = r₁ ∨ a = r₂`) from `key`, for the one
/// extremum `e` at point `at` attained at `r`.
fn iff_lines(e: &Extremum, at: &Expr, r: &Rational, body: &Prop) -> Vec<String> {
    let at = atom(&at.to_string());
    let r = rational_text(r);
    let r = if r.contains('/') || r.starts_with('-') {
        format!("({})", r.replace('/', " / "))
    } else {
        r
    };
    let two_sided = e.set.lo.is_some() && e.set.hi.is_some();
    let (membership, key_at) = match mem_lemma(&e.set) {
        None => ("(Set.mem_univ _)".to_string(), format!("key {at}")),
        Some(lemma) if two_sided => (
            "⟨by norm_num, by norm_num⟩".to_string(),
            format!("key {at} ({lemma}.mpr ⟨by linarith, by linarith⟩)"),
        ),
        Some(lemma) => (
            format!("({lemma}.mpr (by norm_num))"),
            format!("key {at} ({lemma}.mpr (by linarith))"),
        ),
    };
    let key_y = if e.set.is_univ() { "key y" } else { "key y hy" };
    let cases = matches!(body, Prop::Iff(_, q) | Prop::Iff(q, _) if matches!(**q, Prop::Or(..)));
    vec![
        "constructor".into(),
        format!("· intro h; nlinarith [{key_at}, h {r} {membership}]"),
        if cases {
            format!("· rintro (rfl | rfl) y hy <;> nlinarith [{key_y}]")
        } else {
            format!("· intro hq y hy; nlinarith [{key_y}, hq]")
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str, reals: &[&str]) -> Expr {
        let reals: Vec<String> = reals.iter().map(|s| s.to_string()).collect();
        crate::front::elab_expression(src, &reals).unwrap()
    }

    #[test]
    fn constant_subterms_keep_leans_junk_values() {
        let none = BTreeMap::new();
        let at = |src: &str| upoly_of(&expr(src, &["x"]), Some("x"), &none);
        let c = |q: i64| Some(UPoly::constant(Rational::from(q)));
        // `x / 0 = 0` on ℝ, whatever x is.
        assert_eq!(at("x / 0"), Some(UPoly::zero()));
        // `(2 - 3 : ℕ) = 0` cast to ℝ: x * 0.
        assert_eq!(at("x * ((2 - 3 : ℕ) : ℝ)"), Some(UPoly::zero()));
        assert_eq!(at("(7 / 2 : ℕ) + x - x"), c(3));
        assert_eq!(at("x ^ 2 - x ^ 2 + 1 / 2 * 2"), c(1));
        // Outside the fragment: a function of x, a divisor with x, |x|.
        assert_eq!(at("Real.sqrt x"), None);
        assert_eq!(at("1 / x"), None);
        assert_eq!(at("|x|"), None);
    }
}
