//! The baselines every evaluation runs beside the model:
//! - [`MostFrequent`]: the training set's most frequent tactics, the same list for every goal;
//! - [`Closers`]: a fixed list of closing tactics (`ring`, `linarith`, `positivity`,
//!   `norm_num`, `field_simp`, `nlinarith`), what a user would try by hand;
//! - [`Retrieval`] ([`crate::retrieval`]): the tactics of the most similar training goals,
//!   re-fitted to the new goal's names; [`HeadNGram`] ([`crate::ngram`]): the next tactic
//!   head from the previous two.
//!
//! The retrieval ranker is also what `theorist suggest` falls back to in a build without the
//! model, labelled as such.

use std::collections::HashMap;

use crate::corpus::Example;
use crate::dataset::StepItem;
use crate::normalise::collapse_ws;
use crate::{Ranker, Suggestion};

pub use crate::ngram::HeadNGram;
pub use crate::retrieval::Retrieval;

/// The training set's tactics by frequency.
pub struct MostFrequent {
    ranked: Vec<(String, f64)>,
}

impl MostFrequent {
    pub fn train(examples: &[Example]) -> MostFrequent {
        Self::from_tactics(examples.iter().map(|e| e.tactic.as_str()))
    }

    pub fn from_items(items: &[StepItem]) -> MostFrequent {
        Self::from_tactics(items.iter().map(|e| e.tactic.as_str()))
    }

    fn from_tactics<'a>(tactics: impl Iterator<Item = &'a str>) -> MostFrequent {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut total = 0usize;
        for t in tactics {
            *counts.entry(collapse_ws(t)).or_default() += 1;
            total += 1;
        }
        let total = total.max(1) as f64;
        let mut ranked: Vec<(String, f64)> = counts
            .into_iter()
            .map(|(t, c)| (t, c as f64 / total))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.truncate(256);
        MostFrequent { ranked }
    }
}

impl Ranker for MostFrequent {
    fn suggest(&self, _goal: &str, k: usize) -> Vec<Suggestion> {
        self.ranked
            .iter()
            .take(k)
            .map(|(t, s)| Suggestion {
                tactic: t.clone(),
                score: *s,
                source: "most-frequent".into(),
            })
            .collect()
    }
    fn name(&self) -> &str {
        "most-frequent"
    }
}

/// The closers a user tries first, in this order.
pub const CLOSERS: &[&str] = &[
    "ring",
    "linarith",
    "positivity",
    "norm_num",
    "field_simp",
    "nlinarith",
];

/// The fixed closer list.
pub struct Closers;

impl Ranker for Closers {
    fn suggest(&self, _goal: &str, k: usize) -> Vec<Suggestion> {
        CLOSERS
            .iter()
            .enumerate()
            .take(k)
            .map(|(i, t)| Suggestion {
                tactic: t.to_string(),
                score: 1.0 / (i + 1) as f64,
                source: "closers".into(),
            })
            .collect()
    }
    fn name(&self) -> &str {
        "closers"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Split, generated};

    #[test]
    fn retrieval_finds_a_similar_goal_and_fits_its_names() {
        let ex: Vec<_> = generated(1, 500)
            .into_iter()
            .filter(|e| e.split == Split::Train)
            .collect();
        let r = Retrieval::train(&ex);
        let s = r.suggest("p q : ℝ\n⊢ 2 * p * q ≤ p ^ 2 + q ^ 2", 5);
        assert!(!s.is_empty());
        assert!(s.windows(2).all(|w| w[0].score >= w[1].score));
        // The neighbours' `x`, `y` became this goal's `p`, `q`.
        assert!(
            s.iter()
                .any(|s| s.tactic.starts_with("nlinarith [sq_nonneg (p") && !s.tactic.contains('x')),
            "{s:?}"
        );
        let m = MostFrequent::train(&ex).suggest("anything", 3);
        assert_eq!(m.len(), 3);
        let c = Closers.suggest("anything", 8);
        assert_eq!(c.len(), 6);
        assert_eq!(c[0].tactic, "ring");
    }
}
