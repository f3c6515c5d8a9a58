//! `IsMinOn`/`IsMaxOn` claims decided exactly where the algebra allows. The front end lowers
//! `IsMinOn f S a` to the quantifier it means, `∀ y, y ∈ S → f a ≤ f y` (`IsMaxOn`: `f y ≤ f a`),
//! with `S`'s membership already a conjunction of comparisons. Under `↔`, `¬` or left of `→` (and
//! as a hypothesis `(h : IsMinOn f S x)`) it stays a nested quantifier, which `check`'s bounded
//! search can only ever refute on its `IsMinOn` side. This module reads such a quantifier back
//! through a small adapter ([`Extremum`]: the set's ends, `f` as a function of `y`, the point
//! `a`) and decides it, in this order:
//!
//! * with a single free variable and numeric coefficients, the infimum `m` of `f` on `S` is
//!   found exactly, the quantifier becomes `f a ≤ m`, and the claim is decided for every real
//!   value of that variable: proved on all of ℝ, or refuted (`univariate`);
//! * with symbolic parameters, `vertex` proves the `↔` forms for quadratics (completed square,
//!   uniqueness from strict convexity);
//! * else `locate` tries rational parameter points with the minimiser located exactly (the
//!   vertex, the rational roots of `f'`, the ends of `S`, the rational solutions of the claim's
//!   own equations) and evaluates the claim there exactly: a wrong minimum value is refuted with
//!   exact parameters and point.
//!
//! Only real points `y` are read (an `IsMinOn` over `ℕ`, `ℤ` or `ℚ` is left to the general
//! engines), and only polynomial arithmetic over the reals in `y` and the claim's variable (Lean's
//! junk values of constant subterms, `x / 0 = 0`, `ℕ` subtraction, are evaluated exactly as Lean
//! defines them). Anything else is left to `check`'s search (`None`): never a verdict this module
//! cannot back. Also here: the certificate of these proofs and its re-check.

use std::collections::BTreeMap;

use rug::Rational;
use serde::{Deserialize, Serialize};

use crate::certificate::{RecheckError, rational_text};
use crate::check::{CheckConfig, Verdict};
use crate::core::{Expr, Prop, Rel, Ty};
use crate::statement::Statement;

/// The set an extremum ranges over: an interval, each end with whether it is open.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Set {
    pub lo: Option<(Expr, bool)>,
    pub hi: Option<(Expr, bool)>,
}

impl Set {
    pub(crate) const UNIV: Set = Set { lo: None, hi: None };

    pub(crate) fn is_univ(&self) -> bool {
        self.lo.is_none() && self.hi.is_none()
    }

    pub(crate) fn mentions(&self, name: &str) -> bool {
        [&self.lo, &self.hi]
            .into_iter()
            .flatten()
            .any(|(e, _)| e.mentions(name))
    }

    /// Mathlib's name of the interval: `Ici`, `Ioo`, … (`None` for `Set.univ`).
    pub(crate) fn kind(&self) -> Option<&'static str> {
        let open = |b: &Option<(Expr, bool)>| b.as_ref().map(|(_, o)| *o);
        Some(match (open(&self.lo), open(&self.hi)) {
            (None, None) => return None,
            (Some(false), None) => "Ici",
            (Some(true), None) => "Ioi",
            (None, Some(false)) => "Iic",
            (None, Some(true)) => "Iio",
            (Some(false), Some(false)) => "Icc",
            (Some(false), Some(true)) => "Ico",
            (Some(true), Some(false)) => "Ioc",
            (Some(true), Some(true)) => "Ioo",
        })
    }

    /// `Set.Ici 0`, `Set.Icc a b`, `Set.univ`: Lean text.
    pub(crate) fn text(&self) -> String {
        match self.kind() {
            None => "Set.univ".into(),
            Some(k) => {
                let ends: Vec<String> = [&self.lo, &self.hi]
                    .into_iter()
                    .flatten()
                    .map(|(e, _)| atom(&e.to_string()))
                    .collect();
                format!("Set.{k} {}", ends.join(" "))
            }
        }
    }
}

/// `t`, parenthesised unless it is a single name or a non-negative number.
pub(crate) fn atom(t: &str) -> String {
    let plain = !t.is_empty()
        && !t.starts_with('-')
        && !t.contains(|c: char| c.is_whitespace() || "+-*/^()|,".contains(c));
    if plain {
        t.to_string()
    } else {
        format!("({t})")
    }
}

/// Names as Lean can write them (`y1✝` as `y`), the bound variable `names[y]` a plain
/// identifier for the hint's binders (a norm's `‖y1✝‖` becomes `y`, or another free name).
pub(crate) fn shown_names(names: &[String], y: usize) -> Vec<String> {
    let mut shown = crate::algebraic::display_names(names);
    let identifier = |t: &str| {
        t.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '\'')
    };
    if !identifier(&shown[y]) {
        if let Some(free) = ["y", "y'", "y₁", "y₂", "s", "s'"]
            .into_iter()
            .find(|c| !shown.iter().any(|n| n == c))
        {
            shown[y] = free.to_string();
        }
    }
    shown
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

/// Where `fy` has the variable `y`, `fa` must have one and the same expression, the point;
/// everywhere else the two must agree node for node.
fn recover_at(fy: &Expr, y: &str, fa: &Expr, found: &mut Option<Expr>) -> bool {
    if matches!(fy, Expr::Var(_, n) if n == y) {
        return match found {
            Some(a) => a == fa,
            None => {
                *found = Some(fa.clone());
                true
            }
        };
    }
    // The same node with the same data (types, exponents, functions, number of operands).
    if fy.map_children(|_| Expr::Pi) != fa.map_children(|_| Expr::Pi) {
        return false;
    }
    fy.children()
        .into_iter()
        .zip(fa.children())
        .all(|(a, b)| recover_at(a, y, b, found))
}

fn is_var(e: &Expr, y: &str) -> bool {
    matches!(e, Expr::Var(Ty::Real, n) if n == y)
}

/// One end of the set from a comparison of `y` with an expression free of it.
fn read_end(p: &Prop, y: &str, set: &mut Set) -> Option<()> {
    match p {
        Prop::Const(true) => Some(()),
        Prop::And(a, b) => {
            read_end(a, y, set)?;
            read_end(b, y, set)
        }
        Prop::Cmp(r, a, b) => {
            // As `y ⋈ e`.
            let (r, e) = if is_var(a, y) && !b.mentions(y) {
                (*r, b)
            } else if is_var(b, y) && !a.mentions(y) {
                (flip(*r), a)
            } else {
                return None;
            };
            let put = |end: &mut Option<(Expr, bool)>, strict: bool| {
                if end.is_some() {
                    return None;
                }
                *end = Some((e.clone(), strict));
                Some(())
            };
            match r {
                Rel::Ge => put(&mut set.lo, false),
                Rel::Gt => put(&mut set.lo, true),
                Rel::Le => put(&mut set.hi, false),
                Rel::Lt => put(&mut set.hi, true),
                Rel::Eq => {
                    put(&mut set.lo, false)?;
                    put(&mut set.hi, false)
                }
                Rel::Ne => None,
            }
        }
        _ => None,
    }
}

pub(crate) fn flip(r: Rel) -> Rel {
    match r {
        Rel::Le => Rel::Ge,
        Rel::Lt => Rel::Gt,
        Rel::Ge => Rel::Le,
        Rel::Gt => Rel::Lt,
        other => other,
    }
}

fn read_set(member: &Prop, y: &str) -> Option<Set> {
    let mut set = Set::UNIV;
    read_end(member, y, &mut set)?;
    Some(set)
}

/// Reads `p` as an extremum quantifier, if it is one: one real `y` (a norm's `y` ranges over
/// `[0, ∞)`, which becomes the set's lower end).
pub(crate) fn read_extremum(p: &Prop) -> Option<Extremum> {
    let Prop::Forall(vars, body) = p else {
        return None;
    };
    let [v] = &vars[..] else { return None };
    if v.ty != Ty::Real {
        return None;
    }
    let y = &v.name;
    let (mut set, cmp) = match &**body {
        Prop::Imp(member, cmp) => (read_set(member, y)?, &**cmp),
        cmp => (Set::UNIV, cmp),
    };
    if v.nonneg {
        let zero = Expr::lit(Ty::Real, 0);
        match &set.lo {
            None => set.lo = Some((zero, false)),
            // An end at a number ≥ 0 already lies in `[0, ∞)`.
            Some((Expr::Lit(_, q), _)) if *q >= 0 => {}
            Some(_) => return None,
        }
    }
    let (lhs, rhs) = match cmp {
        Prop::Cmp(Rel::Le, l, r) => (l, r),
        Prop::Cmp(Rel::Ge, l, r) => (r, l),
        _ => return None,
    };
    if lhs.ty() != Ty::Real || rhs.ty() != Ty::Real {
        return None;
    }
    let (max, f, value) = match (lhs.mentions(y), rhs.mentions(y)) {
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

/// Mathlib's lemma that states `IsMinOn f s a` as a `∀` (`IsMaxOn` for a maximum): the first
/// step of every extremum hint.
pub(crate) fn unfolding_lemma(max: bool) -> &'static str {
    if max { "isMaxOn_iff" } else { "isMinOn_iff" }
}

/// Every extremum quantifier of `p`, outermost first.
pub(crate) fn extrema(p: &Prop, out: &mut Vec<Extremum>) {
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
        Prop::Const(_) | Prop::Cmp(..) => {}
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

/// Decides `s` when its nested quantifiers are extrema: `None` when this module cannot.
pub(crate) fn decide(s: &Statement, config: &CheckConfig) -> Option<Verdict> {
    let mut found = Vec::new();
    extrema(&s.claim, &mut found);
    if found.is_empty() {
        return None;
    }
    crate::univariate::decide_univariate(s)
        .or_else(|| crate::vertex::prove(s))
        .or_else(|| crate::locate::refute(s, &found, config))
}

pub(crate) fn refuted(point: &BTreeMap<String, Rational>, by: &'static str) -> Verdict {
    Verdict::Refuted {
        counterexample: point
            .iter()
            .map(|(k, v)| (k.clone(), rational_text(v)))
            .collect(),
        certified_by: by,
    }
}

pub(crate) const REFUTED_BY: &str =
    "exact rational arithmetic, the minimum over the set located exactly (Sturm sequences)";

pub(crate) fn proved(algebraic: Option<crate::Algebraic>, method: &'static str) -> Verdict {
    Verdict::Proved {
        boxes: 0,
        method,
        witness: None,
        tree: None,
        algebraic,
        even: Vec::new(),
    }
}

/// `e` with the variable `from` shown as `to` (for display: `y1✝` as `y`, a point as its text).
pub(crate) fn shown_as(e: &Expr, from: &str, to: &str) -> Expr {
    e.substitute(from, &Expr::Var(Ty::Real, to.to_string()))
}

/// Data for `numerics recheck`: the proof of an extremum claim, bound to its statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtremumCertificate {
    pub schema: String,
    /// The Lean file, as given to `check`.
    pub file: String,
    pub declaration: String,
    /// The claim proved, as theorist read it: the certificate is about this claim and no other.
    pub claim: String,
    pub proof: crate::vertex::ExtremumProof,
}

pub const EXTREMUM_SCHEMA: &str = "theorist.numerics.extremum-certificate/1";

/// The certificate of a proved extremum claim (`None` when the proof is not one).
pub fn extremum_certificate(
    s: &Statement,
    file: &str,
    verdict: &Verdict,
) -> Option<ExtremumCertificate> {
    let Verdict::Proved {
        algebraic: Some(a), ..
    } = verdict
    else {
        return None;
    };
    Some(ExtremumCertificate {
        schema: EXTREMUM_SCHEMA.into(),
        file: file.to_string(),
        declaration: s.decl.clone(),
        claim: s.claim_text(),
        proof: (**a.extremum.as_ref()?).clone(),
    })
}

/// Re-checks an extremum certificate against the statement, exactly; the number of facts
/// checked.
pub fn recheck_extremum(s: &Statement, cert: &ExtremumCertificate) -> Result<usize, RecheckError> {
    if cert.schema != EXTREMUM_SCHEMA {
        return Err(RecheckError::Malformed(format!(
            "unknown schema `{}`",
            cert.schema
        )));
    }
    if cert.declaration != s.decl {
        return Err(RecheckError::Malformed(format!(
            "the certificate is for `{}`, not `{}`",
            cert.declaration, s.decl
        )));
    }
    let found = s.claim_text();
    if cert.claim != found {
        return Err(RecheckError::Claim {
            expected: cert.claim.clone(),
            found,
        });
    }
    match &cert.proof {
        crate::vertex::ExtremumProof::Univariate { variable, bounds } => {
            crate::univariate::recheck_univariate(s, variable, bounds)
        }
        proof @ crate::vertex::ExtremumProof::Quadratic { .. } => crate::vertex::verify(s, proof),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::univariate::truth_at;

    const SRC: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem iff (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ x = μSq / (2 * 𝓵) := by sorry
theorem value_wrong (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ radial μSq 𝓵 x = -μSq ^ 2 / (2 * 𝓵) := by sorry
theorem quartic (x : ℝ) : IsMinOn (fun y => y ^ 4 - 2 * y ^ 2) Set.univ x ↔ x ^ 2 = 1 := by sorry
theorem quartic_wrong (x : ℝ) : IsMinOn (fun y => y ^ 4 - 2 * y ^ 2) Set.univ x ↔ x = 1 := by sorry
theorem closed : ¬ IsMinOn (fun y : ℝ => y ^ 2 - y) Set.univ 1 := by sorry
theorem closed_nat : ¬ IsMinOn (fun y => y ^ 2 - y) Set.univ 1 := by sorry
theorem intervals (x : ℝ) : IsMaxOn (fun y => y) (Set.Ioc 0 1) x ↔ x = 1 := by sorry
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
        assert_eq!(e.set.text(), "Set.Ici 0");
        assert_eq!(e.at.as_ref().map(|a| a.to_string()).as_deref(), Some("x"));
        assert_eq!(
            shown_as(&e.f, &e.y, "y").to_string(),
            "-μSq * y + 𝓵 * y ^ 2"
        );
        let s = statement("intervals");
        let mut found = Vec::new();
        extrema(&s.claim, &mut found);
        assert_eq!(found[0].set.text(), "Set.Ioc 0 1");
        assert!(found[0].max);
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
        assert_eq!(truth_at(&s.claim, &at(q(1, 2))), Some(true));
        assert_eq!(truth_at(&s.claim, &at(q(1, 3))), Some(true));
        let wrong = statement("value_wrong");
        assert_eq!(truth_at(&wrong.claim, &at(q(1, 2))), Some(false));
        assert_eq!(
            truth_at(&statement("closed").claim, &BTreeMap::new()),
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
        // Over ℝ, 1 is no minimiser of y² - y; over ℕ (an untyped `fun y` at the numeral 1) the
        // truncated `y ^ 2 - y` is 0 everywhere: not read here, left to the general engines.
        let v = decide(&statement("closed"), &CheckConfig::default());
        assert!(matches!(v, Some(Verdict::Proved { .. })), "{v:?}");
        assert_eq!(
            decide(&statement("closed_nat"), &CheckConfig::default()),
            None
        );
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

    /// Lean's types are kept: an `IsMinOn` over ℕ or ℤ points, or with a point of such a type,
    /// is never read as one over the reals (the general engines decide it, or say they cannot).
    #[test]
    fn integer_points_are_not_read_as_real_ones() {
        for src in [
            "theorem t (x : ℕ) : IsMinOn (fun y : ℕ => y ^ 2 - 4 * y) Set.univ x ↔ x = 2 := by sorry",
            "theorem t (x : ℤ) : IsMinOn (fun y : ℤ => 2 * y ^ 2 - 2 * y) Set.univ x ↔ x = 0 ∨ x = 1 := by sorry",
            "theorem t (x : ℚ) : IsMinOn (fun y : ℚ => y ^ 2 - y) Set.univ x ↔ x = 1 / 2 := by sorry",
        ] {
            let s = crate::statement::translate(src, "t").unwrap();
            assert_eq!(decide(&s, &CheckConfig::default()), None, "{src}");
        }
        // An ℕ parameter is cast into a real problem: decided, at natural values only.
        let src = "theorem t (n : ℕ) (x : ℝ) (hn : 1 ≤ n) : IsMinOn (fun y : ℝ => y ^ 2 - n * y) Set.univ x ↔ x = n / 3 := by sorry";
        let s = crate::statement::translate(src, "t").unwrap();
        let Some(Verdict::Refuted { counterexample, .. }) = decide(&s, &CheckConfig::default())
        else {
            panic!("not refuted");
        };
        let n = crate::certificate::parse_rational(&counterexample["n"]).unwrap();
        assert!(n.is_integer() && n >= 1, "{counterexample:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

        /// Every verdict on a grammar of `IsMinOn`/`IsMaxOn … ↔ …` claims with parameters agrees
        /// with the exact evaluation at rational points (Sturm sequences, an independent path):
        /// a proof is never contradicted at any point, a refutation's point is a counterexample.
        #[test]
        fn verdicts_agree_with_exact_evaluation_at_points(
            f in proptest::sample::select(vec![
                "p * y ^ 2 + q * y", "p * y ^ 2 + q * y + 1", "q * y - p * y ^ 2",
                "p * (y - q) ^ 2", "p * y ^ 4 - q * y ^ 2",
            ]),
            max in proptest::bool::ANY,
            set in proptest::sample::select(vec![
                "Set.univ", "(Set.Ici 0)", "(Set.Ioi 0)", "(Set.Icc 0 1)", "(Set.Ici q)",
                "(Set.Iic 1)", "(Set.Ioo 0 1)",
            ]),
            q_side in proptest::sample::select(vec![
                "x = -q / (2 * p)", "x = q / (2 * p)", "x = 0", "x = q", "2 * p * x + q = 0",
                "x ^ 2 = q / (2 * p)", "(0 ≤ q ∧ x = q) ∨ (q < 0 ∧ x = 0)",
                "(0 ≤ q ∧ x = -q / (2 * p)) ∨ (q < 0 ∧ x = 0)",
            ]),
            hyps in proptest::sample::subsequence(vec![
                "(hp : 0 < p)", "(hp' : p < 0)", "(hq : 0 ≤ q)", "(hq' : q ≤ 0)", "(hx : 0 ≤ x)",
                "(hx' : x ≤ 1)",
            ], 0..4),
            points in proptest::collection::vec((-8i64..9, 1i64..4, -8i64..9, 1i64..4, -8i64..9, 1i64..4), 24),
        ) {
            let kind = if max { "IsMaxOn" } else { "IsMinOn" };
            let src = format!(
                "theorem t (p q x : ℝ) {} : {kind} (fun y => {f}) {set} x ↔ {q_side} := by sorry",
                hyps.join(" ")
            );
            let s = crate::statement::translate(&src, "t").unwrap();
            let q = |n: i64, d: i64| Rational::from((n, d));
            match decide(&s, &CheckConfig { samples: 40, ..CheckConfig::default() }) {
                Some(Verdict::Proved { .. }) => {
                    for (pn, pd, qn, qd, xn, xd) in &points {
                        let (pv, qv) = (q(*pn, *pd), q(*qn, *qd));
                        // The claimed points too: the vertex, the ends, q itself.
                        let mut xs = vec![q(*xn, *xd), q(0, 1), q(1, 1), qv.clone()];
                        if pv != 0 {
                            xs.push(Rational::from(-&qv) / Rational::from(2 * &pv));
                        }
                        for x in xs {
                            let point = BTreeMap::from([
                                ("p".to_string(), pv.clone()),
                                ("q".to_string(), qv.clone()),
                                ("x".to_string(), x.clone()),
                            ]);
                            proptest::prop_assert_ne!(
                                truth_at(&s.claim, &point), Some(false),
                                "proved, but false at p = {}, q = {}, x = {}: {}", pv, qv, x, src
                            );
                        }
                    }
                }
                Some(Verdict::Refuted { counterexample, .. }) => {
                    let point: Option<BTreeMap<String, Rational>> = counterexample
                        .iter()
                        .map(|(k, v)| crate::certificate::parse_rational(v).map(|v| (k.clone(), v)))
                        .collect();
                    if let Some(point) = point {
                        proptest::prop_assert_eq!(truth_at(&s.claim, &point), Some(false), "{}", src);
                    }
                }
                _ => {}
            }
        }

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
            // `r` as the claim reads it: a real number (beside `x : ℝ`), not a natural one.
            let r_value = crate::statement::translate(&format!("theorem u (x : ℝ) : x = {r} := by sorry"), "u")
                .ok()
                .and_then(|u| match &u.claim {
                    Prop::Cmp(_, _, e) => crate::exact::eval_exact(e, &BTreeMap::new()),
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
    fn atoms_are_parenthesised_as_lean_needs() {
        assert_eq!(atom("x"), "x");
        assert_eq!(atom("‖φ‖"), "‖φ‖");
        assert_eq!(atom("12"), "12");
        assert_eq!(atom("-a"), "(-a)");
        assert_eq!(atom("a / 2"), "(a / 2)");
        assert_eq!(atom("x^2"), "(x^2)");
    }
}
