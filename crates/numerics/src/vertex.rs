//! Symbolic proofs of the `IsMinOn`/`IsMaxOn` `↔` forms for quadratics, such as the Higgs
//! potential's `IsMinOn (radial μ² λ) (Set.Ici 0) x ↔ x = μ²/(2λ)` under `0 ≤ μ²`, `0 < λ`.
//! With `f y = A y² + B y + C` and `A > 0` under the hypotheses (for `IsMaxOn`, the same for
//! `-f`), completing the square gives `f y - f v = A (y - v)²` at the vertex `v = -B/(2A)`. Then:
//!
//! * `v ∈ S` (the hypotheses show it): `v` is the only point where `f` is least on `S`, and
//!   `IsMinOn f S a ↔ a = v` — `⇐` by the square, `⇒` by taking `y = v` (`A (a - v)² ≤ 0`);
//! * `v` below the lower end `L` of a closed `S` and `a ∈ S` (from the hypotheses): on `S`
//!   `f y - f L = A (y - L)(y + L - 2v)` with both factors `≥ 0`, so `IsMinOn f S a ↔ a = L`
//!   (and symmetrically above the upper end of `Set.Icc`).
//!
//! The claim's other side must be an equation `l = r` with `(l - r)^i = κ (a - m)^j` exactly for
//! a monomial `κ ≠ 0` (`x = μ²/(2λ)`, `2λx = μ²`, `f x = -μ⁴/(4λ)`, …), so it too holds exactly
//! when `a = m`. The signs come from the hypotheses and norms (`algebraic`'s sign facts), the
//! identities are checked coefficient by coefficient over exact Laurent polynomials (`poly`).
//! [`verify`] re-derives every fact from the proof's data alone; `numerics recheck` runs it on a
//! certificate, and [`prove`] only returns proofs that pass it.

use rug::Rational;
use serde::{Deserialize, Serialize};

use crate::algebraic::{Facts, sign_of};
use crate::certificate::RecheckError;
use crate::check::Verdict;
use crate::core::{Expr, Prop, Rel};
use crate::extremum::{Extremum, read_extremum, split_hypotheses};
use crate::poly::{Poly, Ring};
use crate::statement::Statement;

/// Where the unique extremum of a quadratic on its set lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Case {
    /// At the vertex, inside the set.
    Vertex,
    /// At the set's lower end, the vertex below it.
    LowerEnd,
    /// At `Set.Icc`'s upper end, the vertex above it.
    UpperEnd,
}

/// The proof of an extremum claim, as a certificate stores it (polynomials in Lean syntax).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum ExtremumProof {
    /// A quadratic with symbolic coefficients: `f y = leading · (y - vertex)² + const` (for a
    /// maximum, `-f`; with `squared`, `f` is a polynomial in `t = y²` on a set of non-negative
    /// numbers and all of this is about `t`), and one branch per case of the claim's other side.
    Quadratic {
        maximum: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        squared: bool,
        leading: String,
        vertex: String,
        branches: Vec<Branch>,
    },
    /// One free variable, numeric coefficients: each extremum's exact infimum (supremum for
    /// `IsMaxOn`; `empty`, `unbounded`) on its set, in the order the claim mentions them.
    Univariate {
        variable: String,
        bounds: Vec<String>,
    },
}

/// One case of a quadratic proof: under `condition` (when the other side is split into
/// complementary cases, `0 ≤ μSq` / `μSq < 0`), the unique extremum is at `minimiser`, and the
/// case's equation `l = r` has `(l - r) ^ side_power = factor · (point - minimiser) ^ power`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub case: Case,
    pub minimiser: String,
    pub side_power: u32,
    pub factor: String,
    pub power: u32,
}

/// How the extremum enters the claim's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Iff,
    /// `IsMinOn … → Q`.
    Implies,
    /// `Q → IsMinOn …`.
    ImpliedBy,
    /// `(h : IsMinOn …) : Q`, the hypothesis with this index.
    Hypothesis(usize),
}

fn quantifier_free(p: &Prop) -> bool {
    match p {
        Prop::Const(_) | Prop::Cmp(..) => true,
        Prop::Not(a) => quantifier_free(a),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            quantifier_free(a) && quantifier_free(b)
        }
        Prop::Forall(..) | Prop::Exists(..) => false,
    }
}

/// The claim's body as `P ↔ Q`, `P → Q` or `Q → P` with `P` an extremum and `Q` free of
/// quantifiers.
fn shape(s: &Statement) -> Option<(Extremum, &Prop, Form)> {
    let (hyps, body) = split_hypotheses(s);
    // `(h : IsMinOn f S x) : Q`: the extremum is one of the hypotheses.
    if quantifier_free(body) {
        let mut found = hyps
            .iter()
            .enumerate()
            .filter_map(|(i, h)| read_extremum(h).map(|e| (i, e)));
        let (i, e) = found.next()?;
        return found
            .next()
            .is_none()
            .then_some((e, body, Form::Hypothesis(i)));
    }
    let (a, b, both) = match body {
        Prop::Iff(a, b) => (&**a, &**b, true),
        Prop::Imp(a, b) => (&**a, &**b, false),
        _ => return None,
    };
    if let Some(e) = read_extremum(a).filter(|_| quantifier_free(b)) {
        return Some((e, b, if both { Form::Iff } else { Form::Implies }));
    }
    let e = read_extremum(b).filter(|_| quantifier_free(a))?;
    Some((e, a, if both { Form::Iff } else { Form::ImpliedBy }))
}

fn is_equation(p: &Prop) -> bool {
    matches!(p, Prop::Cmp(Rel::Eq, ..))
}

fn is_condition(p: &Prop) -> bool {
    matches!(p, Prop::Cmp(Rel::Le | Rel::Lt | Rel::Ge | Rel::Gt, ..))
}

/// The other side as cases: one equation, or `(c₁ ∧ l₁ = r₁) ∨ (c₂ ∧ l₂ = r₂)` (conjuncts in
/// either order) with conditions `cᵢ`.
fn cases_of(q: &Prop) -> Option<Vec<(Option<&Prop>, &Prop)>> {
    if is_equation(q) {
        return Some(vec![(None, q)]);
    }
    let Prop::Or(a, b) = q else { return None };
    [&**a, &**b]
        .into_iter()
        .map(|d| match d {
            Prop::And(x, y) if is_condition(x) && is_equation(y) => Some((Some(&**x), &**y)),
            Prop::And(x, y) if is_equation(x) && is_condition(y) => Some((Some(&**y), &**x)),
            _ => None,
        })
        .collect()
}

/// A condition `l ⋈ r` of the cases as Lean text.
fn condition_text(p: &Prop) -> String {
    p.to_string()
}

/// The claim's polynomials over the statement's variables and `y`, under the hypotheses and one
/// case's condition.
pub(crate) struct Setting<'a> {
    pub(crate) names: Vec<String>,
    pub(crate) y: usize,
    pub(crate) facts: Facts,
    pub(crate) e: Extremum,
    pub(crate) other: &'a Prop,
    pub(crate) form: Form,
    /// `f` (negated for a maximum; in `t = y²` when squared), the value compared (likewise),
    /// and the point (squared when squared).
    pub(crate) f: Poly,
    pub(crate) value: Poly,
    pub(crate) at: Poly,
    /// The set's ends (squared when squared) and whether the lower one is open.
    pub(crate) lo: Option<Poly>,
    pub(crate) hi: Option<Poly>,
    pub(crate) strict: bool,
}

impl<'a> Setting<'a> {
    pub(crate) fn new(
        s: &'a Statement,
        squared: bool,
        condition: Option<&Prop>,
    ) -> Option<Setting<'a>> {
        let (e, other, form) = shape(s)?;
        let at = e.at.clone()?;
        // The sets proved here: ℝ, `Set.Ici`, `Set.Ioi` and `Set.Icc`.
        match (&e.set.lo, &e.set.hi) {
            (_, None) | (Some((_, false)), Some((_, false))) => {}
            _ => return None,
        }
        let mut names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
        if names.contains(&e.y) {
            return None;
        }
        names.push(e.y.clone());
        let y = names.len() - 1;
        // A case's condition is one more hypothesis.
        let facts = match condition {
            None => Facts::with_hypothesis_atoms(s, &names),
            Some(c) => {
                let mut with = s.clone();
                with.claim = Prop::Imp(Box::new(c.clone()), Box::new(s.claim.clone()));
                with.hypotheses.insert(0, "hc".into());
                Facts::with_hypothesis_atoms(&with, &names)
            }
        };
        let n = names.len();
        let mut setting = Setting {
            y,
            facts,
            e,
            other,
            form,
            f: Poly::zero(n),
            value: Poly::zero(n),
            at: Poly::zero(n),
            lo: None,
            hi: None,
            strict: false,
            names,
        };
        let sign = Rational::from(if setting.e.max { -1 } else { 1 });
        let f = setting.poly(&setting.e.f)?.scale(&sign);
        setting.value = setting.poly(&setting.e.value)?.scale(&sign);
        let at = setting.poly(&at)?;
        (setting.lo, setting.hi, setting.strict) = match (&setting.e.set.lo, &setting.e.set.hi) {
            (None, _) => (None, None, false),
            (Some((a, strict)), None) => (Some(setting.poly(a)?), None, *strict),
            (Some((a, _)), Some((b, _))) => (Some(setting.poly(a)?), Some(setting.poly(b)?), false),
        };
        if !squared {
            setting.f = f;
            setting.at = at;
            return Some(setting);
        }
        // f y = g (y²): on ℝ, y² takes every value ≥ 0; on a set of non-negative numbers,
        // y ↦ y² maps it onto the set with squared ends (open stays open).
        let (lo, hi) = f.degree_range(y);
        if lo < 0 || hi % 2 != 0 || f.terms().any(|(e, _)| e[y] % 2 != 0) {
            return None;
        }
        let t = Poly::var(n, y);
        setting.f = (0..=hi / 2).fold(Poly::zero(n), |acc, k| {
            acc.add(&f.coefficient(y, 2 * k).mul(&t.pow(k as u32)))
        });
        setting.at = at.pow(2);
        match (&setting.lo, &setting.hi) {
            (None, None) => setting.lo = Some(Poly::zero(n)),
            (Some(l), hi) => {
                let ordered = hi.as_ref().is_none_or(|u| setting.nonneg(&u.sub(l)));
                if !setting.nonneg(l) || !ordered {
                    return None;
                }
                setting.lo = Some(l.pow(2));
                setting.hi = hi.as_ref().map(|u| u.pow(2));
            }
            (None, Some(_)) => return None,
        }
        Some(setting)
    }

    pub(crate) fn poly(&self, e: &Expr) -> Option<Poly> {
        let ring = Ring { names: &self.names };
        ring.poly(e, &ring.identity_env(), &|i| self.facts.nonzero(i))
    }

    /// A polynomial as [`Poly::lean`] writes it (a certificate's data): divisors only by
    /// variables the hypotheses make non-zero, as [`Setting::poly`] allows.
    pub(crate) fn parse(&self, text: &str) -> Option<Poly> {
        let p = Poly::from_lean(text, &self.names)?;
        let divides_by_zero = p.terms().any(|(e, _)| {
            e.iter()
                .enumerate()
                .any(|(i, k)| *k < 0 && !self.facts.nonzero(i))
        });
        (!divides_by_zero).then_some(p)
    }

    pub(crate) fn lean(&self, p: &Poly) -> String {
        p.lean(&self.names)
    }

    pub(crate) fn nonneg(&self, p: &Poly) -> bool {
        sign_of(p, &self.facts).is_some()
    }

    pub(crate) fn positive(&self, p: &Poly) -> bool {
        sign_of(p, &self.facts) == Some(true)
    }

    /// Where the unique extremum lies, if the hypotheses settle it.
    pub(crate) fn case(&self, vertex: &Poly) -> Option<(Case, Poly)> {
        let (lo, hi, strict) = (&self.lo, &self.hi, self.strict);
        let above_lo = lo.as_ref().is_none_or(|l| {
            let d = vertex.sub(l);
            if strict {
                self.positive(&d)
            } else {
                self.nonneg(&d)
            }
        });
        let below_hi = hi.as_ref().is_none_or(|u| self.nonneg(&u.sub(vertex)));
        if above_lo && below_hi {
            return Some((Case::Vertex, vertex.clone()));
        }
        let nonempty = match (lo, hi) {
            (Some(l), Some(u)) => self.nonneg(&u.sub(l)),
            _ => true,
        };
        if strict || !nonempty {
            return None;
        }
        if let Some(l) = lo {
            if self.nonneg(&l.sub(vertex)) && self.nonneg(&self.at.sub(l)) {
                return Some((Case::LowerEnd, l.clone()));
            }
        }
        if let Some(u) = hi {
            if self.nonneg(&vertex.sub(u)) && self.nonneg(&u.sub(&self.at)) {
                return Some((Case::UpperEnd, u.clone()));
            }
        }
        None
    }

    /// An equation `l = r` as `l - r`.
    pub(crate) fn equation(&self, p: &Prop) -> Option<Poly> {
        let Prop::Cmp(Rel::Eq, l, r) = p else {
            return None;
        };
        Some(self.poly(l)?.sub(&self.poly(r)?))
    }

    /// A condition as `(P, strict)` meaning `P ≥ 0` (`P > 0`).
    pub(crate) fn condition(&self, p: &Prop) -> Option<(Poly, bool)> {
        let Prop::Cmp(rel, l, r) = p else {
            return None;
        };
        let (l, r) = (self.poly(l)?, self.poly(r)?);
        Some(match rel {
            Rel::Le => (r.sub(&l), false),
            Rel::Lt => (r.sub(&l), true),
            Rel::Ge => (l.sub(&r), false),
            Rel::Gt => (l.sub(&r), true),
            _ => return None,
        })
    }

    /// Whether a single term is non-zero under the hypotheses.
    pub(crate) fn nonzero_term(&self, p: &Poly) -> bool {
        p.as_term().is_some_and(|(e, _)| {
            e.iter()
                .enumerate()
                .all(|(i, k)| *k == 0 || self.facts.nonzero(i))
        })
    }
}

/// `d ^ i = κ · e ^ j` with a non-zero monomial `κ`, for the smallest such `i`, `j`.
fn factor(setting: &Setting, d: &Poly, e: &Poly) -> Option<(u32, Poly, u32)> {
    if e.is_zero() || d.is_zero() {
        return None;
    }
    let lead = |p: &Poly| p.split_terms().pop();
    for i in 1..=2u32 {
        let di = d.pow(i);
        for j in 1..=4u32 {
            let ej = e.pow(j);
            // Multiplying by a monomial shifts every exponent alike, so the largest terms match.
            let kappa = lead(&di)?.mul(&lead(&ej)?.inverse_term()?);
            if setting.nonzero_term(&kappa) && kappa.mul(&ej) == di {
                return Some((i, kappa, j));
            }
        }
    }
    None
}

/// The cases of the other side, with complementary conditions when there are two (the cases
/// then cover every point where the hypotheses hold, one at a time).
pub(crate) fn checked_cases<'a>(base: &Setting<'a>) -> Option<Vec<(Option<&'a Prop>, &'a Prop)>> {
    let cases = cases_of(base.other)?;
    if let [(Some(c1), _), (Some(c2), _)] = &cases[..] {
        let ((p1, s1), (p2, s2)) = (base.condition(c1)?, base.condition(c2)?);
        if p2 != p1.neg() || s1 == s2 {
            return None;
        }
    }
    Some(cases)
}

fn search(s: &Statement) -> Option<ExtremumProof> {
    [false, true]
        .into_iter()
        .find_map(|squared| search_in(s, squared))
}

fn search_in(s: &Statement, squared: bool) -> Option<ExtremumProof> {
    let base = Setting::new(s, squared, None)?;
    let y = base.y;
    let (lo, hi) = base.f.degree_range(y);
    if lo < 0 || hi != 2 {
        return None;
    }
    let a = base.f.coefficient(y, 2);
    let b = base.f.coefficient(y, 1);
    let vertex = b.mul(&a.inverse_term()?).scale(&Rational::from((-1, 2)));
    let mut branches = Vec::new();
    for (condition, equation) in checked_cases(&base)? {
        let setting = Setting::new(s, squared, condition)?;
        if !setting.positive(&a) || !setting.nonzero_term(&a) {
            return None;
        }
        let (case, minimiser) = setting.case(&vertex)?;
        let d = setting.equation(equation)?;
        let (side_power, kappa, power) = factor(&setting, &d, &setting.at.sub(&minimiser))?;
        branches.push(Branch {
            condition: condition.map(condition_text),
            case,
            minimiser: setting.lean(&minimiser),
            side_power,
            factor: setting.lean(&kappa),
            power,
        });
    }
    Some(ExtremumProof::Quadratic {
        maximum: base.e.max,
        squared,
        leading: base.lean(&a),
        vertex: base.lean(&vertex),
        branches,
    })
}

/// Checks a quadratic extremum proof against the statement exactly; the number of facts
/// checked.
pub fn verify(s: &Statement, proof: &ExtremumProof) -> Result<usize, RecheckError> {
    let ExtremumProof::Quadratic {
        maximum,
        squared,
        leading,
        vertex,
        branches,
    } = proof
    else {
        return Err(RecheckError::Malformed("not a quadratic proof".into()));
    };
    let malformed = |what: &str| RecheckError::Malformed(what.to_string());
    let base = Setting::new(s, *squared, None).ok_or_else(|| {
        malformed(
            "the statement is not `IsMinOn`/`IsMaxOn f S a` ↔ (or →) equations with a polynomial f",
        )
    })?;
    let fails = |what: &str| Err(RecheckError::Extremum(what.to_string()));
    let parse = |setting: &Setting, what: &str, text: &str| {
        setting
            .parse(text)
            .ok_or_else(|| RecheckError::Malformed(format!("{what} `{text}`")))
    };
    let (a, v) = (
        parse(&base, "leading coefficient", leading)?,
        parse(&base, "vertex", vertex)?,
    );
    let y = base.y;
    if *maximum != base.e.max {
        return fails("the certificate is for the other kind of extremum");
    }
    let free_of_y = |p: &Poly| p.degree_range(y) == (0, 0);
    if !free_of_y(&a) || !free_of_y(&v) {
        return Err(malformed("a coefficient depends on the bound variable"));
    }
    // 1. f y = A (y - v)² + const.
    let n = base.names.len();
    let square = Poly::var(n, y).sub(&v).pow(2);
    if !free_of_y(&base.f.sub(&a.mul(&square))) {
        return fails("f is not the completed square A (y - v)² + const");
    }
    // 2. The value compared is f at the point.
    let at_point = base
        .f
        .substitute(y, &base.at)
        .ok_or_else(|| malformed("f has a negative power of y"))?;
    if at_point != base.value {
        return fails("the compared value is not f at the point");
    }
    // 3. The cases cover the other side, each with its unique extremum and equation.
    let cases = checked_cases(&base)
        .ok_or_else(|| malformed("the other side is not an equation or two complementary cases"))?;
    if cases.len() != branches.len() {
        return Err(malformed("one branch per case of the other side"));
    }
    for ((condition, equation), branch) in cases.into_iter().zip(branches) {
        if condition.map(condition_text) != branch.condition {
            return fails("a branch's condition is not the claim's");
        }
        let setting = Setting::new(s, *squared, condition)
            .ok_or_else(|| malformed("the case does not translate"))?;
        let (m, kappa) = (
            parse(&setting, "minimiser", &branch.minimiser)?,
            parse(&setting, "factor", &branch.factor)?,
        );
        if !free_of_y(&m) || !free_of_y(&kappa) {
            return Err(malformed("a coefficient depends on the bound variable"));
        }
        if !setting.positive(&a) {
            return fails("the leading coefficient is not positive under the hypotheses");
        }
        match setting.case(&v) {
            Some((c, place)) if c == branch.case && place == m => {}
            _ => {
                return fails(
                    "the hypotheses do not place the extremum where the certificate says",
                );
            }
        }
        let d = setting
            .equation(equation)
            .ok_or_else(|| malformed("the case's equation is not polynomial"))?;
        let e = setting.at.sub(&m);
        if branch.side_power == 0
            || branch.power == 0
            || e.is_zero()
            || !setting.nonzero_term(&kappa)
            || d.pow(branch.side_power) != kappa.mul(&e.pow(branch.power))
        {
            return fails(
                "the equation is not a non-zero multiple of a power of (point - minimiser)",
            );
        }
    }
    Ok(2 + 3 * branches.len())
}

const METHOD: &str = "exact extremum argument: completed square, uniqueness from strict convexity";

/// Proves `s` when it is one of the quadratic forms above.
pub(crate) fn prove(s: &Statement) -> Option<Verdict> {
    let proof = search(s)?;
    verify(s, &proof).ok()?;
    let report = crate::vertex_report::report(s, proof)?;
    Some(crate::extremum::proved(Some(report), METHOD))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem seed (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ x = μSq / (2 * 𝓵) := by sorry
theorem value (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ radial μSq 𝓵 x = -μSq ^ 2 / (4 * 𝓵) := by sorry
theorem no_sign (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ x = μSq / (2 * 𝓵) := by sorry
theorem at_zero (μSq 𝓵 x : ℝ) (hμ : μSq ≤ 0) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ x = 0 := by sorry
theorem cap (a x : ℝ) (ha : 0 < a) : IsMaxOn (fun t => a * t - t ^ 2) Set.univ x ↔ 2 * x = a := by sorry
theorem cases (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ (0 ≤ μSq ∧ x = μSq / (2 * 𝓵)) ∨ (μSq < 0 ∧ x = 0) := by sorry
theorem cases_overlap (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ (0 ≤ μSq ∧ x = μSq / (2 * 𝓵)) ∨ (μSq ≤ 0 ∧ x = 0) := by sorry
theorem from_min (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵)
    (h : IsMinOn (radial μSq 𝓵) (Set.Ici 0) x) : x = μSq / (2 * 𝓵) := by sorry
theorem norm_form (μSq 𝓵 r : ℝ) (h𝓵 : 0 < 𝓵) (hr : 0 ≤ r) :
    IsMinOn (fun s => -μSq * s ^ 2 + 𝓵 * s ^ 4) (Set.Ici 0) r ↔
      (0 ≤ μSq ∧ r ^ 2 = μSq / (2 * 𝓵)) ∨ (μSq < 0 ∧ r = 0) := by sorry
"#;

    fn statement(decl: &str) -> Statement {
        crate::statement::translate(SRC, decl).unwrap()
    }

    fn branch(case: Case, minimiser: &str, factor: &str, power: u32) -> Branch {
        Branch {
            condition: None,
            case,
            minimiser: minimiser.into(),
            side_power: 1,
            factor: factor.into(),
            power,
        }
    }

    #[test]
    fn the_seed_lemma_is_a_unique_vertex_in_the_set() {
        let s = statement("seed");
        let proof = search(&s).expect("a proof");
        assert_eq!(
            proof,
            ExtremumProof::Quadratic {
                maximum: false,
                squared: false,
                leading: "𝓵".into(),
                vertex: "μSq / (2 * 𝓵)".into(),
                branches: vec![branch(Case::Vertex, "μSq / (2 * 𝓵)", "1", 1)],
            }
        );
        assert_eq!(verify(&s, &proof), Ok(5));
        let Some(Verdict::Proved {
            algebraic: Some(a), ..
        }) = prove(&s)
        else {
            panic!("not proved");
        };
        assert_eq!(
            a.identities[0],
            "𝓵 * y ^ 2 - μSq * y + μSq ^ 2 / (4 * 𝓵) = 𝓵 * (y - μSq / (2 * 𝓵)) ^ 2"
        );
        assert_eq!(a.identities[1], "μSq / (2 * 𝓵) ∈ Set.Ici 0");
        // The core unfolds `radial`: so does the hint, and its identity is about the body.
        assert!(
            a.lean_hint.starts_with(
                "rw [isMinOn_iff]\nsimp only [radial] at *\nhave key : ∀ y, -μSq * y + 𝓵 * y ^ 2 - (-μSq * (μSq / (2 * 𝓵)) + 𝓵 * (μSq / (2 * 𝓵)) ^ 2) = 𝓵 * (y - μSq / (2 * 𝓵)) ^ 2"
            ),
            "{}",
            a.lean_hint
        );
        assert!(
            a.lean_hint
                .contains("mul_nonneg h𝓵.le (sq_nonneg (y - μSq / (2 * 𝓵)))")
        );
    }

    #[test]
    fn the_minimum_value_form_and_the_end_of_the_set() {
        let quadratic = |decl: &str| match search(&statement(decl)) {
            Some(ExtremumProof::Quadratic {
                maximum, branches, ..
            }) => (maximum, branches),
            other => panic!("{decl}: {other:?}"),
        };
        // f x - f m = 𝓵 (x - m)².
        let (_, b) = quadratic("value");
        assert_eq!((b[0].factor.as_str(), b[0].power), ("𝓵", 2));
        // Without a sign for μ² the vertex may lie left of 0: not decided here.
        assert!(search(&statement("no_sign")).is_none());
        let (_, b) = quadratic("at_zero");
        assert_eq!((b[0].case, b[0].minimiser.as_str()), (Case::LowerEnd, "0"));
        let (maximum, b) = quadratic("cap");
        assert!(maximum);
        assert_eq!(b[0].factor, "2");
    }

    #[test]
    fn complementary_cases_and_the_norm_form() {
        // PhysLean's shape: the minimiser depends on the sign of μ².
        let s = statement("cases");
        let Some(proof @ ExtremumProof::Quadratic { .. }) = search(&s) else {
            panic!("no proof");
        };
        let ExtremumProof::Quadratic { branches, .. } = &proof else {
            unreachable!()
        };
        assert_eq!(branches[0].condition.as_deref(), Some("0 ≤ μSq"));
        assert_eq!(branches[0].case, Case::Vertex);
        assert_eq!(branches[1].condition.as_deref(), Some("μSq < 0"));
        assert_eq!(
            (branches[1].case, branches[1].minimiser.as_str()),
            (Case::LowerEnd, "0")
        );
        assert_eq!(verify(&s, &proof), Ok(8));
        // Overlapping conditions (both hold at μ² = 0) are not a case split.
        assert!(search(&statement("cases_overlap")).is_none());
        // In r = ‖φ‖ the potential is a quadratic in r²: r² = μ²/(2λ), or r = 0 (r² = 0).
        let s = statement("norm_form");
        let Some(proof @ ExtremumProof::Quadratic { squared: true, .. }) = search(&s) else {
            panic!("no proof in r²");
        };
        assert!(verify(&s, &proof).is_ok());
        let ExtremumProof::Quadratic { branches, .. } = &proof else {
            unreachable!()
        };
        assert_eq!((branches[1].side_power, branches[1].power), (2, 1));
    }

    #[test]
    fn an_is_min_on_hypothesis_gives_the_minimiser() {
        let s = statement("from_min");
        let proof = search(&s).expect("a proof");
        assert_eq!(verify(&s, &proof), Ok(5));
        let Some(Verdict::Proved {
            algebraic: Some(a), ..
        }) = prove(&s)
        else {
            panic!("not proved");
        };
        assert!(
            a.lean_hint
                .starts_with("rw [isMinOn_iff] at h\nsimp only [radial] at h ⊢\n"),
            "{}",
            a.lean_hint
        );
    }

    #[test]
    fn tampered_proofs_are_rejected() {
        let s = statement("seed");
        let Some(ExtremumProof::Quadratic {
            maximum,
            squared,
            leading,
            vertex,
            branches,
        }) = search(&s)
        else {
            panic!("no proof");
        };
        let with = |leading: &str, branch: Branch| ExtremumProof::Quadratic {
            maximum,
            squared,
            leading: leading.into(),
            vertex: vertex.clone(),
            branches: vec![branch],
        };
        let mut b = branches[0].clone();
        b.minimiser = "μSq / 𝓵".into();
        assert!(verify(&s, &with(&leading, b)).is_err());
        assert!(verify(&s, &with("2 * 𝓵", branches[0].clone())).is_err());
        let mut b = branches[0].clone();
        b.condition = Some("0 ≤ μSq".into());
        assert!(verify(&s, &with(&leading, b)).is_err());
        let mut b = branches[0].clone();
        b.factor = "0".into();
        assert!(verify(&s, &with(&leading, b)).is_err());
        // A proof for another statement.
        let other = statement("at_zero");
        assert!(verify(&other, &with(&leading, branches[0].clone())).is_err());
    }
}
