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

use std::collections::BTreeSet;

use rug::Rational;
use serde::{Deserialize, Serialize};

use crate::algebraic::{Facts, display_names, sign_of};
use crate::certificate::RecheckError;
use crate::check::Verdict;
use crate::expr::Expr;
use crate::extremum::{Extremum, Set, lean_text, read_extremum, split_hypotheses};
use crate::poly::{Poly, Ring};
use crate::prop::{Prop, Rel};
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
    /// maximum, `-f`), its unique extremum on the set at `minimiser`, and the claim's other side
    /// `l = r` with `(l - r) ^ side_power = factor · (point - minimiser) ^ power`.
    Quadratic {
        maximum: bool,
        case: Case,
        leading: String,
        vertex: String,
        minimiser: String,
        side_power: u32,
        factor: String,
        power: u32,
    },
    /// One free variable, numeric coefficients: each extremum's exact infimum (supremum for
    /// `IsMaxOn`; `empty`, `unbounded`) on its set, in the order the claim mentions them.
    Univariate {
        variable: String,
        bounds: Vec<String>,
    },
}

/// How the extremum enters the claim's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Iff,
    /// `IsMinOn … → Q`.
    Implies,
    /// `Q → IsMinOn …`.
    ImpliedBy,
}

fn quantifier_free(p: &Prop) -> bool {
    match p {
        Prop::Const(_) | Prop::Cmp(..) => true,
        Prop::Not(a) => quantifier_free(a),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            quantifier_free(a) && quantifier_free(b)
        }
        Prop::Forall(..) | Prop::Exists(..) | Prop::MinOn { .. } => false,
    }
}

/// The claim's body as `P ↔ Q`, `P → Q` or `Q → P` with `P` an extremum and `Q` an equation.
fn shape(s: &Statement) -> Option<(Extremum, &Prop, Form)> {
    let (_, body) = split_hypotheses(s);
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

/// The claim's polynomials over the statement's variables and `y`.
struct Setting<'a> {
    s: &'a Statement,
    names: Vec<String>,
    y: usize,
    facts: Facts,
    e: Extremum,
    other: &'a Prop,
    form: Form,
    /// `f` (negated for a maximum), the value at the point (likewise), and the point.
    f: Poly,
    value: Poly,
    at: Poly,
}

impl<'a> Setting<'a> {
    fn new(s: &'a Statement) -> Option<Setting<'a>> {
        let (e, other, form) = shape(s)?;
        let at = e.at.clone()?;
        let mut names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
        if names.contains(&e.y) {
            return None;
        }
        names.push(e.y.clone());
        let y = names.len() - 1;
        let facts = Facts::with_hypothesis_atoms(s, &names);
        let mut setting = Setting {
            s,
            y,
            facts,
            e,
            other,
            form,
            f: Poly::zero(names.len()),
            value: Poly::zero(names.len()),
            at: Poly::zero(names.len()),
            names,
        };
        let f = setting.poly(&setting.e.f)?;
        let value = setting.poly(&setting.e.value)?;
        setting.at = setting.poly(&at)?;
        let sign = if setting.e.max { -1 } else { 1 };
        setting.f = f.scale(&Rational::from(sign));
        setting.value = value.scale(&Rational::from(sign));
        Some(setting)
    }

    fn poly(&self, e: &Expr) -> Option<Poly> {
        let ring = Ring {
            names: &self.names,
            defs: &self.s.defs,
        };
        ring.poly(e, &ring.identity_env(), &|i| self.facts.nonzero(i))
    }

    /// A polynomial written in Lean syntax (a certificate's data).
    fn parse(&self, text: &str) -> Option<Poly> {
        let defs: BTreeSet<String> = self.s.defs.keys().cloned().collect();
        self.poly(&crate::expr::parse_with(text, &defs).ok()?)
    }

    fn lean(&self, p: &Poly) -> String {
        p.lean(&self.names)
    }

    fn nonneg(&self, p: &Poly) -> bool {
        sign_of(p, &self.facts).is_some()
    }

    fn positive(&self, p: &Poly) -> bool {
        sign_of(p, &self.facts) == Some(true)
    }

    /// The set's ends as polynomials.
    fn ends(&self) -> Option<(Option<Poly>, Option<Poly>)> {
        Some(match &self.e.set {
            Set::Univ => (None, None),
            Set::From(a, _) => (Some(self.poly(a)?), None),
            Set::Between(a, b) => (Some(self.poly(a)?), Some(self.poly(b)?)),
        })
    }

    /// Where the unique extremum lies, if the hypotheses settle it.
    fn case(&self, vertex: &Poly) -> Option<(Case, Poly)> {
        let (lo, hi) = self.ends()?;
        let strict = matches!(self.e.set, Set::From(_, true));
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
        let nonempty = match (&lo, &hi) {
            (Some(l), Some(u)) => self.nonneg(&u.sub(l)),
            _ => true,
        };
        if strict || !nonempty {
            return None;
        }
        if let Some(l) = &lo {
            if self.nonneg(&l.sub(vertex)) && self.nonneg(&self.at.sub(l)) {
                return Some((Case::LowerEnd, l.clone()));
            }
        }
        if let Some(u) = &hi {
            if self.nonneg(&vertex.sub(u)) && self.nonneg(&u.sub(&self.at)) {
                return Some((Case::UpperEnd, u.clone()));
            }
        }
        None
    }

    /// The claim's other side `l = r` as `l - r`.
    fn equation(&self) -> Option<(Poly, &Expr, &Expr)> {
        let Prop::Cmp(es, rels) = self.other else {
            return None;
        };
        let ([l, r], [Rel::Eq]) = (&es[..], &rels[..]) else {
            return None;
        };
        Some((self.poly(l)?.sub(&self.poly(r)?), l, r))
    }

    /// Whether a single term is non-zero under the hypotheses.
    fn nonzero_term(&self, p: &Poly) -> bool {
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

fn search(s: &Statement) -> Option<ExtremumProof> {
    let setting = Setting::new(s)?;
    let y = setting.y;
    let (lo, hi) = setting.f.degree_range(y);
    if lo < 0 || hi != 2 {
        return None;
    }
    let a = setting.f.coefficient(y, 2);
    let b = setting.f.coefficient(y, 1);
    if !setting.positive(&a) || !setting.nonzero_term(&a) {
        return None;
    }
    let vertex = b.mul(&a.inverse_term()?).scale(&Rational::from((-1, 2)));
    let (case, minimiser) = setting.case(&vertex)?;
    let (d, _, _) = setting.equation()?;
    let (side_power, kappa, power) = factor(&setting, &d, &setting.at.sub(&minimiser))?;
    Some(ExtremumProof::Quadratic {
        maximum: setting.e.max,
        case,
        leading: setting.lean(&a),
        vertex: setting.lean(&vertex),
        minimiser: setting.lean(&minimiser),
        side_power,
        factor: setting.lean(&kappa),
        power,
    })
}

/// Checks a quadratic extremum proof against the statement exactly; the number of facts
/// checked.
pub fn verify(s: &Statement, proof: &ExtremumProof) -> Result<usize, RecheckError> {
    let ExtremumProof::Quadratic {
        maximum,
        case,
        leading,
        vertex,
        minimiser,
        side_power,
        factor,
        power,
    } = proof
    else {
        return Err(RecheckError::Malformed("not a quadratic proof".into()));
    };
    let setting = Setting::new(s).ok_or_else(|| {
        RecheckError::Malformed(
            "the statement is not `IsMinOn`/`IsMaxOn f S a` ↔ (or →) an equation with polynomial f"
                .into(),
        )
    })?;
    let fails = |what: &str| Err(RecheckError::Fails(what.to_string()));
    let parse = |what: &str, text: &str| {
        setting
            .parse(text)
            .ok_or_else(|| RecheckError::Malformed(format!("{what} `{text}`")))
    };
    let (a, v, m, kappa) = (
        parse("leading coefficient", leading)?,
        parse("vertex", vertex)?,
        parse("minimiser", minimiser)?,
        parse("factor", factor)?,
    );
    let y = setting.y;
    if *maximum != setting.e.max {
        return fails("the certificate is for the other kind of extremum");
    }
    let free_of_y = |p: &Poly| p.degree_range(y) == (0, 0);
    if ![&a, &v, &m, &kappa].into_iter().all(free_of_y) {
        return Err(RecheckError::Malformed(
            "a coefficient depends on the bound variable".into(),
        ));
    }
    // 1. f y = A (y - v)² + const, with A > 0.
    let n = setting.names.len();
    let square = Poly::var(n, y).sub(&v).pow(2);
    if !free_of_y(&setting.f.sub(&a.mul(&square))) {
        return fails("f is not the completed square A (y - v)² + const");
    }
    if !setting.positive(&a) {
        return fails("the leading coefficient is not positive under the hypotheses");
    }
    // 2. The value compared is f at the point.
    let at_point = setting
        .f
        .substitute(y, &setting.at)
        .ok_or_else(|| RecheckError::Malformed("f has a negative power of y".into()))?;
    if at_point != setting.value {
        return fails("the compared value is not f at the point");
    }
    // 3. Where the unique extremum lies.
    match setting.case(&v) {
        Some((c, place)) if c == *case && place == m => {}
        _ => return fails("the hypotheses do not place the extremum where the certificate says"),
    }
    // 4. The other side holds exactly at the extremum.
    let (d, _, _) = setting
        .equation()
        .ok_or_else(|| RecheckError::Malformed("the other side is not an equation".into()))?;
    let e = setting.at.sub(&m);
    if *side_power == 0
        || *power == 0
        || e.is_zero()
        || !setting.nonzero_term(&kappa)
        || d.pow(*side_power) != kappa.mul(&e.pow(*power))
    {
        return fails("the equation is not a non-zero multiple of a power of (point - minimiser)");
    }
    Ok(4)
}

const METHOD: &str = "exact extremum argument: completed square, uniqueness from strict convexity";

/// Proves `s` when it is one of the quadratic forms above.
pub(crate) fn prove(s: &Statement) -> Option<Verdict> {
    let proof = search(s)?;
    verify(s, &proof).ok()?;
    let report = report(s, proof)?;
    Some(crate::extremum::proved_with(report, METHOD))
}

/// `name - p` as Lean text.
fn minus(name: &str, p: &str) -> String {
    match p {
        "0" => name.to_string(),
        _ => match p.strip_prefix('-') {
            Some(rest) => format!("{name} + {rest}"),
            None => format!("{name} - {p}"),
        },
    }
}

/// `(t)` unless `t` is a single name or number.
fn parenthesised(t: &str) -> String {
    if t.contains(' ') {
        format!("({t})")
    } else {
        t.to_string()
    }
}

/// A named hypothesis `0 < v`, for the variable `v` a coefficient is.
fn positive_hypothesis(s: &Statement, p: &Poly, names: &[String]) -> Option<String> {
    let (e, c) = p.as_term()?;
    if *c != 1 {
        return None;
    }
    let vars: Vec<usize> = (0..e.len()).filter(|&i| e[i] != 0).collect();
    let [v] = vars[..] else { return None };
    if e[v] != 1 {
        return None;
    }
    let (hyps, _) = split_hypotheses(s);
    let is_zero = |x: &Expr| matches!(x, Expr::Num { text, .. } if text == "0");
    let is_v = |x: &Expr| matches!(x, Expr::Var { name, .. } if *name == names[v]);
    s.hypotheses.iter().zip(hyps).find_map(|(name, h)| match h {
        Prop::Cmp(es, rels) => match (&es[..], &rels[..]) {
            ([z, x], [Rel::Lt]) | ([x, z], [Rel::Gt]) if is_zero(z) && is_v(x) => {
                Some(name.clone())
            }
            _ => None,
        },
        _ => None,
    })
}

fn report(s: &Statement, proof: ExtremumProof) -> Option<crate::Algebraic> {
    let ExtremumProof::Quadratic {
        maximum,
        case,
        leading,
        vertex,
        minimiser,
        side_power,
        factor,
        power,
    } = &proof
    else {
        return None;
    };
    let setting = Setting::new(s)?;
    let shown = display_names(&setting.names);
    let y_name = shown[setting.y].clone();
    let (a, v, m, kappa) = (
        setting.parse(leading)?,
        setting.parse(vertex)?,
        setting.parse(minimiser)?,
        setting.parse(factor)?,
    );
    let y = setting.y;
    let text = |p: &Poly| p.lean(&shown);
    let coefficient = |p: &Poly| {
        let t = text(p);
        if t == "1" {
            String::new()
        } else if p.as_term().is_some() && !t.contains(['+', ' ']) {
            format!("{t} * ")
        } else {
            format!("({t}) * ")
        }
    };
    // f y - f m as the decomposition that proves the extremum.
    let difference = setting.f.sub(&setting.f.substitute(y, &m)?);
    let decomposition = match case {
        Case::Vertex => format!(
            "{}{} ^ 2",
            coefficient(&a),
            parenthesised(&minus(&y_name, &text(&m)))
        ),
        _ => {
            let other = v.scale(&Rational::from(2)).sub(&m);
            format!(
                "{}{} * {}",
                coefficient(&a),
                parenthesised(&minus(&y_name, &text(&m))),
                parenthesised(&minus(&y_name, &text(&other)))
            )
        }
    };
    let mut identities = vec![format!("{} = {decomposition}", text(&difference))];
    let m_expr =
        crate::expr::parse_with(minimiser, &s.defs.keys().cloned().collect::<BTreeSet<_>>())
            .ok()?;
    identities.push(format!(
        "{} ∈ {}",
        lean_text(&m_expr),
        crate::extremum::set_text(&setting.e.set)
    ));
    let (d, _, _) = setting.equation()?;
    let at_text = lean_text(setting.e.at.as_ref()?);
    let e = setting.at.sub(&m);
    let trivial = d == e || d == e.neg();
    if !trivial {
        let lhs = if *side_power == 1 {
            text(&d)
        } else {
            format!("({}) ^ {side_power}", text(&d))
        };
        let rhs_e = if *power == 1 {
            format!("({})", text(&e))
        } else {
            format!("({}) ^ {power}", text(&e))
        };
        identities.push(format!("{lhs} = {}{rhs_e}", coefficient(&kappa)));
    }
    // The Lean hint: a proof skeleton (printed, not compiled here).
    let y_var = Expr::Var {
        name: y_name.clone(),
        pos: 0,
    };
    let f_at = |p: &Expr| crate::statement::substitute(&setting.e.f, &setting.e.y, p);
    let (fy, fm) = (f_at(&y_var), f_at(&m_expr));
    let m_text = lean_text(&m_expr);
    let mut defs_used = BTreeSet::new();
    collect_applies(&setting.e.f, &mut defs_used);
    let unfold = if defs_used.is_empty() {
        String::new()
    } else {
        format!(
            "unfold {}; ",
            defs_used.into_iter().collect::<Vec<_>>().join(" ")
        )
    };
    let divides = [&a, &v, &m]
        .iter()
        .any(|p| p.terms().any(|(e, _)| e.iter().any(|k| *k < 0)));
    let close_identity = if divides { "field_simp; ring" } else { "ring" };
    let key_lhs = lean_text(&if *maximum {
        Expr::Sub(Box::new(fm), Box::new(fy))
    } else {
        Expr::Sub(Box::new(fy), Box::new(fm))
    });
    let lemma = if *maximum {
        "isMaxOn_iff"
    } else {
        "isMinOn_iff"
    };
    let a_nonneg = match positive_hypothesis(s, &a, &setting.names) {
        Some(h) => format!("{h}.le"),
        None if a.as_term().is_some_and(|(e, _)| e.iter().all(|k| *k == 0)) => {
            format!("(by norm_num : (0 : ℝ) ≤ {})", text(&a))
        }
        None => format!("(by positivity : (0 : ℝ) ≤ {})", text(&a)),
    };
    let membership = match (&setting.e.set, case) {
        (Set::Univ, _) => "(Set.mem_univ _)".to_string(),
        (Set::From(lo, strict), Case::Vertex) => {
            let lemma = if *strict {
                "Set.mem_Ioi"
            } else {
                "Set.mem_Ici"
            };
            let by = if matches!(lo, Expr::Num { text, .. } if text == "0") {
                "positivity"
            } else {
                "nlinarith"
            };
            format!("({lemma}.mpr (by {by}))")
        }
        (Set::Between(..), Case::Vertex) => "⟨by nlinarith, by nlinarith⟩".to_string(),
        (Set::From(..), _) => "Set.left_mem_Ici".to_string(),
        (Set::Between(..), Case::LowerEnd) => "(Set.left_mem_Icc.mpr (by nlinarith))".to_string(),
        (Set::Between(..), _) => "(Set.right_mem_Icc.mpr (by nlinarith))".to_string(),
    };
    let at_is_var = matches!(setting.e.at, Some(Expr::Var { .. }));
    let conclude = if d == e {
        "exact hx".to_string()
    } else if d == e.neg() {
        "exact hx.symm".to_string()
    } else if at_is_var {
        format!("subst hx; {unfold}{close_identity}")
    } else {
        format!("rw [hx]; {unfold}{close_identity}")
    };
    let from_q = if d == e {
        "hq".to_string()
    } else if d == e.neg() {
        "hq.symm".to_string()
    } else {
        let unfold_hq = unfold.replace("; ", " at hq; ");
        format!("by {unfold_hq}field_simp at hq; nlinarith [hq, sq_nonneg ({at_text} - {m_text})]")
    };
    let use_point = if at_is_var { "subst hx" } else { "rw [hx]" };
    let mut lines = vec![
        format!("rw [{lemma}]"),
        format!(
            "have key : ∀ {y_name}, {key_lhs} = {decomposition} := by intro {y_name}; {unfold}{close_identity}"
        ),
    ];
    let forward = match case {
        Case::Vertex => format!(
            "  have hx : {at_text} = {m_text} := sub_eq_zero.mp (pow_eq_zero (by nlinarith [key ({at_text}), sq_nonneg ({at_text} - {m_text}), {a_nonneg}] : ({at_text} - {m_text}) ^ 2 = 0))"
        ),
        _ => format!("  have hx : {at_text} = {m_text} := by nlinarith [key ({at_text}), h₀]"),
    };
    let backward_facts = match case {
        Case::Vertex => format!(
            "mul_nonneg {a_nonneg} (sq_nonneg ({}))",
            minus(&y_name, &m_text)
        ),
        _ => format!("hy, {a_nonneg}"),
    };
    match setting.form {
        Form::Iff => lines.push("constructor".into()),
        Form::Implies | Form::ImpliedBy => {}
    }
    if matches!(setting.form, Form::Iff | Form::Implies) {
        lines.push(format!(
            "· intro h\n  have h₀ := h ({m_text}) {membership}\n{forward}\n  {conclude}"
        ));
    }
    if matches!(setting.form, Form::Iff | Form::ImpliedBy) {
        lines.push(format!(
            "· intro hq {y_name} hy\n  have hx : {at_text} = {m_text} := {from_q}\n  {use_point}\n  nlinarith [key {y_name}, {backward_facts}]"
        ));
    }
    Some(crate::Algebraic {
        kind: match (maximum, case) {
            (false, Case::Vertex) => "unique minimiser (completed square, strictly convex)",
            (true, Case::Vertex) => "unique maximiser (completed square, strictly concave)",
            (false, _) => "unique minimiser at an end of the set (completed square)",
            (true, _) => "unique maximiser at an end of the set (completed square)",
        }
        .to_string(),
        scope: "every real point where the hypotheses hold",
        identities,
        lean_hint: lines.join("\n"),
        extremum: Some(Box::new(proof)),
    })
}

fn collect_applies(e: &Expr, out: &mut BTreeSet<String>) {
    match e {
        Expr::Apply { name, args, .. } => {
            out.insert(name.clone());
            for a in args {
                collect_applies(a, out);
            }
        }
        Expr::Num { .. } | Expr::Var { .. } | Expr::Pi => {}
        Expr::Neg(a) | Expr::Pow(a, _) | Expr::Abs(a) | Expr::Call(_, a, _) => {
            collect_applies(a, out)
        }
        Expr::Add(a, b)
        | Expr::Sub(a, b)
        | Expr::Mul(a, b)
        | Expr::Div(a, b, _)
        | Expr::Min(a, b)
        | Expr::Max(a, b) => {
            collect_applies(a, out);
            collect_applies(b, out);
        }
    }
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
"#;

    fn statement(decl: &str) -> Statement {
        crate::statement::translate(SRC, decl).unwrap()
    }

    #[test]
    fn the_seed_lemma_is_a_unique_vertex_in_the_set() {
        let s = statement("seed");
        let proof = search(&s).expect("a proof");
        assert_eq!(
            proof,
            ExtremumProof::Quadratic {
                maximum: false,
                case: Case::Vertex,
                leading: "𝓵".into(),
                vertex: "μSq / (2 * 𝓵)".into(),
                minimiser: "μSq / (2 * 𝓵)".into(),
                side_power: 1,
                factor: "1".into(),
                power: 1,
            }
        );
        assert_eq!(verify(&s, &proof), Ok(4));
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
        assert!(a.lean_hint.starts_with("rw [isMinOn_iff]\nhave key : ∀ y, radial μSq 𝓵 y - radial μSq 𝓵 (μSq / (2 * 𝓵)) = 𝓵 * (y - μSq / (2 * 𝓵)) ^ 2"), "{}", a.lean_hint);
        assert!(
            a.lean_hint
                .contains("mul_nonneg h𝓵.le (sq_nonneg (y - μSq / (2 * 𝓵)))")
        );
    }

    #[test]
    fn the_minimum_value_form_and_the_end_of_the_set() {
        let s = statement("value");
        let Some(ExtremumProof::Quadratic { factor, power, .. }) = search(&s) else {
            panic!("no proof");
        };
        // f x - f m = 𝓵 (x - m)².
        assert_eq!((factor.as_str(), power), ("𝓵", 2));
        // Without a sign for μ² the vertex may lie left of 0: not decided here.
        assert!(search(&statement("no_sign")).is_none());
        let Some(ExtremumProof::Quadratic {
            case, minimiser, ..
        }) = search(&statement("at_zero"))
        else {
            panic!("no proof");
        };
        assert_eq!((case, minimiser.as_str()), (Case::LowerEnd, "0"));
        let Some(ExtremumProof::Quadratic {
            maximum, factor, ..
        }) = search(&statement("cap"))
        else {
            panic!("no proof");
        };
        assert!(maximum);
        assert_eq!(factor, "2");
    }

    #[test]
    fn tampered_proofs_are_rejected() {
        let s = statement("seed");
        let Some(ExtremumProof::Quadratic {
            maximum,
            case,
            leading,
            vertex,
            side_power,
            factor,
            power,
            ..
        }) = search(&s)
        else {
            panic!("no proof");
        };
        let wrong = ExtremumProof::Quadratic {
            maximum,
            case,
            leading: leading.clone(),
            vertex: vertex.clone(),
            minimiser: "μSq / 𝓵".into(),
            side_power,
            factor: factor.clone(),
            power,
        };
        assert!(verify(&s, &wrong).is_err());
        let wrong = ExtremumProof::Quadratic {
            maximum,
            case,
            leading: "2 * 𝓵".into(),
            vertex,
            minimiser: "μSq / (2 * 𝓵)".into(),
            side_power,
            factor,
            power,
        };
        assert!(verify(&s, &wrong).is_err());
    }
}
