//! The minimiser report for `IsMinOn f s x₀` (and `IsMaxOn`): beside the bound `f x₀ ≤ f y`
//! that `check` decides, is `x₀` a stationary point and does the second-order condition hold
//! there? Two views: exactly, when `f` and `x₀` are polynomial — `f'(x₀)` and `f''(x₀)` as
//! Laurent polynomials in the parameters, with the sign of `f''(x₀)` from the hypotheses — and
//! numerically at one parameter point where the hypotheses hold: the interval enclosure of the
//! gradient at `x₀` (does it contain 0?) and the eigenvalues of the Hessian (nalgebra), with a
//! rigorous lower bound on the smallest one (Weyl: the midpoint matrix's eigenvalue minus the
//! norm of the radius matrix). A boundary minimiser of a half-line need not be stationary; the
//! report says where `x₀` lies so the reader can tell.

use std::collections::BTreeMap;

use rug::{Float, Rational};
use serde::Serialize;

use crate::algebraic::{Facts, display_names, sign_of};
use crate::certificate::rational_text;
use crate::check::{CheckConfig, Rng, box_of, rational_interval};
use crate::core::Prop;
use crate::eval::{Params, eval_in};
use crate::exact::truth_exact;
use crate::jet::{Jet, eval_jet};
use crate::poly::Ring;
use crate::statement::{Minimiser, Statement};

/// What is known about one claimed minimiser (or maximiser).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MinimiserReport {
    /// `minimiser` or `maximiser`.
    pub kind: &'static str,
    /// `x₀` in Lean syntax, when it is polynomial in the parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// `f'(x₀) = 0` as an exact identity in the parameters (`None`: not polynomial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stationary_exactly: Option<bool>,
    /// `f''(x₀)` in Lean syntax, with its sign as far as the hypotheses tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_derivative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_derivative_sign: Option<&'static str>,
    /// The numeric check at one parameter point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<Sample>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// The parameter point (exact rationals).
    pub parameters: BTreeMap<String, String>,
    /// Enclosures, as `[lo, hi]` decimals.
    pub x0: String,
    pub gradient: String,
    /// The gradient enclosure contains 0.
    pub stationary: bool,
    pub hessian_eigenvalues: Vec<f64>,
    /// A rigorous lower bound on the smallest eigenvalue.
    pub smallest_eigenvalue_at_least: f64,
    /// `positive definite`, `positive semidefinite`, `negative definite`, … (for a maximiser
    /// the conditions flip).
    pub second_order: &'static str,
}

/// Reports for every `IsMinOn`/`IsMaxOn` the statement concludes.
pub fn minimisers(s: &Statement, config: &CheckConfig) -> Vec<MinimiserReport> {
    s.minimisers.iter().map(|m| report(s, m, config)).collect()
}

fn report(s: &Statement, m: &Minimiser, config: &CheckConfig) -> MinimiserReport {
    let mut r = MinimiserReport {
        kind: if m.max { "maximiser" } else { "minimiser" },
        at: None,
        stationary_exactly: None,
        second_derivative: None,
        second_derivative_sign: None,
        sample: None,
    };
    exact(s, m, &mut r);
    r.sample = sample(s, m, config);
    r
}

/// `f'(x₀)` and `f''(x₀)` as exact Laurent polynomials.
fn exact(s: &Statement, m: &Minimiser, r: &mut MinimiserReport) {
    let names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
    let Some(x) = names.iter().position(|n| n == &m.y) else {
        return;
    };
    let facts = Facts::of_hypotheses(s, &names);
    let ring = Ring { names: &names };
    let env = ring.identity_env();
    let nonzero = |i: usize| facts.nonzero(i);
    let (Some(f), Some(at)) = (
        ring.poly(&m.f_y, &env, &nonzero),
        ring.poly(&m.at, &env, &nonzero),
    ) else {
        return;
    };
    let shown = display_names(&names);
    r.at = Some(at.lean(&shown));
    let (Some(d1), Some(d2)) = (
        f.derivative(x).substitute(x, &at),
        f.derivative(x).derivative(x).substitute(x, &at),
    ) else {
        return;
    };
    r.stationary_exactly = Some(d1.is_zero());
    r.second_derivative = Some(d2.lean(&shown));
    let (pos, neg) = (sign_of(&d2, &facts), sign_of(&d2.neg(), &facts));
    r.second_derivative_sign = Some(match (pos, neg) {
        _ if d2.is_zero() => "zero",
        (Some(true), _) => "positive",
        (Some(false), _) => "non-negative",
        (_, Some(true)) => "negative",
        (_, Some(false)) => "non-positive",
        _ => "undetermined",
    });
}

/// The statement's leading hypotheses.
pub(crate) fn hypotheses(s: &Statement) -> Vec<&Prop> {
    let mut out = Vec::new();
    let mut p = &s.claim;
    for _ in &s.hypotheses {
        let Prop::Imp(h, rest) = p else { break };
        out.push(&**h);
        p = rest;
    }
    out
}

/// Gradient and Hessian at `x₀` for one parameter point where the hypotheses hold exactly.
fn sample(s: &Statement, m: &Minimiser, config: &CheckConfig) -> Option<Sample> {
    let prec = config.prec;
    let bx: Vec<_> = box_of(s, config)
        .into_iter()
        .filter(|(n, _, _)| n != &m.y)
        .collect();
    let hyps = hypotheses(s);
    let mut rng = Rng(config.seed | 1);
    let candidates = (0..200).map(|i| -> BTreeMap<String, Rational> {
        bx.iter()
            .map(|(n, lo, hi)| {
                let v = match i {
                    0 => Rational::from(1).clamp(lo, hi),
                    1 => Rational::from(lo + hi) / 2,
                    _ => rng.dyadic(lo, hi),
                };
                (n.clone(), v)
            })
            .collect()
    });
    for point in candidates {
        let holds = hyps.iter().all(|h| truth_exact(h, &point) == Some(true));
        if !holds {
            continue;
        }
        let params: Params = point
            .iter()
            .map(|(k, v)| (k.clone(), rational_interval(v, v, prec)))
            .collect();
        let Ok(x0) = eval_in(&m.at, &params, prec) else {
            continue;
        };
        let mut jets: BTreeMap<String, Jet> = params
            .iter()
            .map(|(k, v)| (k.clone(), Jet::constant(v.clone(), 1, true)))
            .collect();
        jets.insert(m.y.clone(), Jet::variable(x0.clone(), 0, 1, true));
        let jet = eval_jet(&m.f_y, &jets, prec, 1, true)?;
        let (eigenvalues, lower) = eigen(&jet.h, 1);
        let sign = if m.max { -1.0 } else { 1.0 };
        let upper_neg = -eigen(&jet.h.iter().map(|h| h.neg()).collect::<Vec<_>>(), 1).1;
        let second_order = if lower > 0.0 {
            "positive definite"
        } else if upper_neg < 0.0 {
            "negative definite"
        } else if eigenvalues.iter().all(|e| sign * e >= -1e-12) {
            if m.max {
                "negative semidefinite"
            } else {
                "positive semidefinite"
            }
        } else {
            "indefinite"
        };
        return Some(Sample {
            parameters: point
                .iter()
                .map(|(k, v)| (k.clone(), rational_text(v)))
                .collect(),
            x0: x0.to_string(),
            gradient: jet.g[0].to_string(),
            stationary: jet.g[0].contains_zero(),
            hessian_eigenvalues: eigenvalues,
            smallest_eigenvalue_at_least: lower,
            second_order,
        });
    }
    None
}

/// Eigenvalues of the midpoint of an interval Hessian (`n × n`, row-major), and a lower bound on
/// the smallest eigenvalue of every matrix in it: `λ_min(mid) - ‖rad‖_F`, less a margin for
/// the f64 eigen-solver's own error.
fn eigen(h: &[crate::interval::Interval], n: usize) -> (Vec<f64>, f64) {
    let mid: Vec<f64> = h
        .iter()
        .map(|x| ((Float::with_val(x.prec(), &x.lo + &x.hi)) / 2u32).to_f64())
        .collect();
    let rad: f64 = h
        .iter()
        .map(|x| {
            let r = x.width().to_f64() / 2.0;
            r * r
        })
        .sum::<f64>()
        .sqrt();
    let m = nalgebra::DMatrix::from_row_slice(n, n, &mid);
    let sym = (&m + m.transpose()) / 2.0;
    let eig = nalgebra::SymmetricEigen::new(sym.clone());
    let mut values: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let scale = sym.norm();
    let smallest = values.first().copied().unwrap_or(0.0);
    let margin = 4.0 * f64::EPSILON * n as f64 * scale * 16.0 + f64::MIN_POSITIVE;
    (
        values,
        (smallest - rad - margin) * (1.0 - 8.0 * f64::EPSILON),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem minimum (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) : IsMinOn (radial μSq 𝓵) Set.univ (μSq / (2 * 𝓵)) := by sorry
theorem off (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) : IsMinOn (radial μSq 𝓵) Set.univ (μSq / 𝓵) := by sorry
theorem max (a : ℝ) (ha : 0 < a) : IsMaxOn (fun x => a - x ^ 2) Set.univ 0 := by sorry
"#;

    fn one(decl: &str) -> MinimiserReport {
        let s = crate::statement::translate(SRC, decl).unwrap();
        let mut r = minimisers(&s, &CheckConfig::default());
        assert_eq!(r.len(), 1);
        r.remove(0)
    }

    #[test]
    fn the_higgs_minimum_is_stationary_with_positive_curvature() {
        let r = one("minimum");
        assert_eq!(r.at.as_deref(), Some("μSq / (2 * 𝓵)"));
        assert_eq!(r.stationary_exactly, Some(true));
        assert_eq!(r.second_derivative.as_deref(), Some("2 * 𝓵"));
        assert_eq!(r.second_derivative_sign, Some("positive"));
        let s = r.sample.unwrap();
        assert!(s.stationary, "{s:?}");
        assert_eq!(s.second_order, "positive definite");
        assert!(s.smallest_eigenvalue_at_least > 0.0);
        // At 𝓵 = 1 the Hessian is 2𝓵 = 2.
        assert_eq!(s.parameters["𝓵"], "1");
        assert!((s.hessian_eigenvalues[0] - 2.0).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn a_wrong_point_is_not_stationary_and_maxima_flip() {
        let r = one("off");
        assert_eq!(r.stationary_exactly, Some(false));
        assert!(!r.sample.unwrap().stationary);
        let r = one("max");
        assert_eq!(r.kind, "maximiser");
        assert_eq!(r.stationary_exactly, Some(true));
        assert_eq!(r.second_derivative_sign, Some("negative"));
        assert_eq!(r.sample.unwrap().second_order, "negative definite");
    }
}
