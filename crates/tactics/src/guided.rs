//! Retrieval guided by a learned prior: the nearest remembered steps propose tactics fitted
//! to the goal (as [`Retrieval`] does), a learned [`StepPrior`] says how likely each tactic
//! head and template is after this proof's previous steps at this goal, and the two are mixed:
//! a head's score is `(1 − w) ·` its share of the neighbours' votes `+ w ·` its learned
//! probability, a tactic's share of its head likewise (the prior's templates filled with the
//! goal's names of the same kind). The list shows the best tactic of each of the likeliest
//! heads first, as retrieval's does. With `w = 0` this is retrieval's vote without its n-gram.

use std::collections::HashMap;
use std::sync::Arc;

use crate::ngram::goal_names;
use crate::retrieval::{Retrieval, Votes, diversified, votes};
pub use crate::step_classes::Prediction;
use crate::template::{binder_canonical, fillings};
use crate::{Ranker, Suggestion, tactic_head};

/// A learned distribution over the next step.
pub trait StepPrior {
    fn predict(&self, goal: &str, previous: &[String]) -> Prediction;
}

impl<T: StepPrior + ?Sized> StepPrior for &T {
    fn predict(&self, goal: &str, previous: &[String]) -> Prediction {
        (**self).predict(goal, previous)
    }
}

impl<T: StepPrior + ?Sized> StepPrior for Arc<T> {
    fn predict(&self, goal: &str, previous: &[String]) -> Prediction {
        (**self).predict(goal, previous)
    }
}

/// The prior's templates considered per goal.
const TEMPLATES: usize = 48;

/// Share of the scores that comes from the prior; chosen on development files of the
/// training repositories (`model eval --mined --dev`: 0.3, 0.5, 0.7, 1; the learned heads
/// were best, the differences in exact matches within the intervals), never on the held-out
/// sets. At 1 the neighbours still give the arguments: a head the prior likes is shown with
/// its learned template or, without one, with the neighbours' best-voted tactic.
pub const DEFAULT_WEIGHT: f64 = 1.0;

/// A vote's weight in breaking ties between tactics of equal score.
const TIE: f64 = 1e-9;

/// A ranker: `retrieval`'s neighbours mixed with `prior`.
pub struct Guided<R, P> {
    pub retrieval: R,
    pub prior: P,
    pub weight: f64,
    pub name: String,
}

impl<R: std::borrow::Borrow<Retrieval>, P: StepPrior> Guided<R, P> {
    pub fn new(retrieval: R, prior: P) -> Self {
        Guided {
            retrieval,
            prior,
            weight: DEFAULT_WEIGHT,
            name: "model".into(),
        }
    }
}

impl<R: std::borrow::Borrow<Retrieval>, P: StepPrior> Ranker for Guided<R, P> {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        self.suggest_after(goal, &[], k)
    }

    fn suggest_after(&self, goal: &str, previous: &[String], k: usize) -> Vec<Suggestion> {
        let fitted = self.retrieval.borrow().neighbours_fitted(goal, previous, k);
        let prediction = self.prior.predict(goal, previous);
        mix(goal, fitted, &prediction, self.weight, k)
    }

    fn name(&self) -> &str {
        &self.name
    }
}

/// The neighbours' `fitted` tactics mixed with `prediction` at weight `w`.
pub fn mix(
    goal: &str,
    fitted: Vec<(String, f32)>,
    prediction: &Prediction,
    w: f64,
    k: usize,
) -> Vec<Suggestion> {
    let settings = Votes::default();
    // (tactic, share of the votes, learned probability), one per tactic up to bound names.
    let mut tactics: Vec<(String, String, f64, f64)> = Vec::new();
    let voted = votes(fitted, settings.sharpness);
    let total: f64 = voted.iter().map(|t| t.2).sum::<f64>().max(1e-12);
    for (key, tactic, vote) in voted {
        tactics.push((key, tactic, vote / total, 0.0));
    }
    let names = goal_names(goal);
    for (template, p) in prediction.templates.iter().take(TEMPLATES) {
        let Some(tactic) = fillings(template, &names, 1).into_iter().next() else {
            continue;
        };
        let key = binder_canonical(&tactic);
        match tactics.iter_mut().find(|t| t.0 == key) {
            Some(t) => t.3 += p,
            None => tactics.push((key, tactic, 0.0, *p)),
        }
    }
    let mut heads: HashMap<String, f64> = HashMap::new();
    for (_, t, share, _) in &tactics {
        *heads.entry(tactic_head(t).to_string()).or_default() += (1.0 - w) * share;
    }
    for (h, p) in &prediction.heads {
        if let Some(s) = heads.get_mut(h.as_str()) {
            *s += w * p;
        }
    }
    let mut ranked_heads: Vec<(String, f64)> = heads.into_iter().collect();
    ranked_heads.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let weight_of = |t: &(String, String, f64, f64)| (1.0 - w) * t.2 + w * t.3;
    let mut of_head: HashMap<&str, f64> = HashMap::new();
    for t in &tactics {
        *of_head.entry(tactic_head(&t.1)).or_default() += weight_of(t);
    }
    let scored: Vec<(String, f64)> = tactics
        .iter()
        .map(|t| {
            let head = tactic_head(&t.1);
            let head_score = ranked_heads
                .iter()
                .find(|(h, _)| h == head)
                .map_or(0.0, |(_, s)| *s);
            let share = weight_of(t) / of_head[head].max(1e-12);
            // Ties (tactics the prior has no template for, at `w = 1`) go by the votes.
            (t.1.clone(), head_score * share + TIE * t.2)
        })
        .collect();
    diversified(scored, &ranked_heads, k, settings, "model")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(heads: &[(&str, f64)], templates: &[(&str, f64)]) -> Prediction {
        let own = |v: &[(&str, f64)]| v.iter().map(|(s, p)| (s.to_string(), *p)).collect();
        Prediction {
            heads: own(heads),
            templates: own(templates),
        }
    }

    #[test]
    fn the_prior_reorders_heads_and_fills_its_templates() {
        let goal = "x : ℝ\nhx : 0 < x\n⊢ 0 < x ^ 2";
        let fitted = vec![
            ("simp".to_string(), 0.9),
            ("simp [pow_pos]".to_string(), 0.8),
            ("positivity".to_string(), 0.5),
        ];
        // Without the prior the neighbours' favourite head leads.
        let none = mix(goal, fitted.clone(), &Prediction::default(), 0.0, 8);
        assert_eq!(tactic_head(&none[0].tactic), "simp");
        // A confident prior puts its head first and adds its filled template.
        let p = prediction(
            &[("positivity", 0.7), ("exact", 0.2), ("simp", 0.1)],
            &[("positivity", 0.6), ("exact pow_pos ?h0 2", 0.2)],
        );
        let list = mix(goal, fitted, &p, 0.8, 8);
        let shown: Vec<&str> = list.iter().map(|s| s.tactic.as_str()).collect();
        assert_eq!(shown[0], "positivity", "{shown:?}");
        assert!(shown.contains(&"exact pow_pos hx 2"), "{shown:?}");
        assert!(list.iter().all(|s| s.source == "model"));
        assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
        // Distinct heads come before any second tactic of a head.
        let heads: Vec<&str> = shown.iter().take(3).map(|t| tactic_head(t)).collect();
        assert_eq!(heads.len(), 3);
        assert!(heads.contains(&"simp") && heads.contains(&"exact"));
    }
}
