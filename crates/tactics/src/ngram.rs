//! The tactic-head n-gram: how likely each tactic head (`simp`, `rw`, `intro`, …) is as the
//! next step given the proof's previous two heads (`⟨start⟩` before the first step), from the
//! training steps' counts, interpolated with the bigram and the heads' frequencies so an
//! unseen context still gets the overall prior — the published n-gram baseline on mined
//! steps. Each head also keeps its most frequent tactics in training as templates (the
//! goal's local names abstracted into typed slots: `exact ?h0`, `intro ?t0`), filled with a
//! new goal's names. As a [`Ranker`] it shows each likely head as its favourite template
//! filled; [`crate::retrieval::Retrieval`] mixes its distribution into the neighbours'
//! votes.

use std::collections::HashMap;

use crate::dataset::StepItem;
use crate::goal::Goal;
use crate::normalise::collapse_ws;
use crate::scope::Local;
use crate::template::{abstract_tactic, fillings, template_names};
use crate::{Ranker, Suggestion, tactic_head};

/// The context token before a proof's first step.
const START: &str = "⟨start⟩";
/// Interpolation weights of the trigram, bigram and unigram estimates.
const WEIGHTS: [f64; 3] = [0.5, 0.3, 0.2];
/// Full tactics remembered per head.
const PER_HEAD: usize = 6;

/// Head counts by context.
#[derive(Default, Clone)]
pub struct HeadNGram {
    trigram: HashMap<(String, String), Counts>,
    bigram: HashMap<String, Counts>,
    unigram: Counts,
    /// Per head, its most frequent templates with their share of the head's steps.
    tactics: HashMap<String, Vec<(String, f64)>>,
}

#[derive(Default, Clone)]
pub(crate) struct Counts {
    pub(crate) by_head: HashMap<String, f64>,
    pub(crate) total: f64,
}

impl Counts {
    fn add(&mut self, head: &str) {
        *self.by_head.entry(head.to_string()).or_default() += 1.0;
        self.total += 1.0;
    }

    fn prob(&self, head: &str) -> f64 {
        if self.total == 0.0 {
            return 0.0;
        }
        self.by_head.get(head).copied().unwrap_or(0.0) / self.total
    }
}

/// The previous two heads of a step (`⟨start⟩` where there are none).
fn context(previous: &[String]) -> (String, String) {
    let head = |k: usize| {
        previous
            .len()
            .checked_sub(k)
            .and_then(|i| previous.get(i))
            .map_or(START.to_string(), |t| tactic_head(t).to_string())
    };
    (head(2), head(1))
}

impl HeadNGram {
    /// Counts the heads of `items` in their contexts.
    pub fn from_items(items: &[StepItem]) -> HeadNGram {
        let mut model = HeadNGram::default();
        let mut full: HashMap<String, HashMap<String, usize>> = HashMap::new();
        // Steps of one proof share its goal: parse each goal once.
        let mut names: HashMap<&str, Vec<Local>> = HashMap::new();
        for it in items.iter().filter(|it| !is_placeholder(&it.tactic)) {
            let tactic = collapse_ws(&it.tactic);
            let head = tactic_head(&tactic).to_string();
            let locals = names.entry(it.goal.as_str()).or_insert_with(|| {
                Goal::parse(&it.goal)
                    .map(|g| template_names(&g))
                    .unwrap_or_default()
            });
            let template = abstract_tactic(&tactic, locals).0;
            let (two, one) = context(&it.previous);
            model
                .trigram
                .entry((two, one.clone()))
                .or_default()
                .add(&head);
            model.bigram.entry(one).or_default().add(&head);
            model.unigram.add(&head);
            *full.entry(head).or_default().entry(template).or_default() += 1;
        }
        for (head, counts) in full {
            let total: usize = counts.values().sum();
            let mut ranked: Vec<(String, usize)> = counts.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ranked.truncate(PER_HEAD);
            model.tactics.insert(
                head,
                ranked
                    .into_iter()
                    .map(|(t, c)| (t, c as f64 / total as f64))
                    .collect(),
            );
        }
        model
    }

    pub fn is_empty(&self) -> bool {
        self.unigram.total == 0.0
    }

    /// Every head seen in training with its probability after `previous`, best first.
    pub fn distribution(&self, previous: &[String]) -> Vec<(String, f64)> {
        let [tri, bi] = self.context_counts(previous);
        let mut out: Vec<(String, f64)> = self
            .unigram
            .by_head
            .keys()
            .map(|h| (h.clone(), self.interpolated(tri, bi, h)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// One head's probability after `previous`, as [`HeadNGram::distribution`] gives it.
    pub fn probability(&self, previous: &[String], head: &str) -> f64 {
        let [tri, bi] = self.context_counts(previous);
        self.interpolated(tri, bi, head)
    }

    fn interpolated(&self, tri: Option<&Counts>, bi: Option<&Counts>, h: &str) -> f64 {
        WEIGHTS[0] * tri.map_or(0.0, |c| c.prob(h))
            + WEIGHTS[1] * bi.map_or(0.0, |c| c.prob(h))
            + WEIGHTS[2] * self.unigram.prob(h)
    }

    /// The heads counted after the previous two heads of `previous`, and after its last head
    /// alone (absent where that context was never seen).
    pub(crate) fn context_counts(&self, previous: &[String]) -> [Option<&Counts>; 2] {
        let (two, one) = context(previous);
        [self.trigram.get(&(two, one.clone())), self.bigram.get(&one)]
    }

    /// The head's most frequent templates in training, with their share of its steps.
    pub fn templates_of(&self, head: &str) -> &[(String, f64)] {
        self.tactics.get(head).map_or(&[], Vec::as_slice)
    }

    /// The head's most frequent templates filled with `names` (a new goal's), with their
    /// shares; a template whose slots the goal cannot fill is left out.
    pub fn tactics_of(&self, head: &str, names: &[Local]) -> Vec<(String, f64)> {
        self.templates_of(head)
            .iter()
            .filter_map(|(t, share)| Some((fillings(t, names, 1).into_iter().next()?, *share)))
            .collect()
    }
}

/// A step that proves nothing (`sorry`, `admit`, or one with a `sorry` inside): counted
/// as an author's step, never learnt as a suggestion.
pub fn is_placeholder(tactic: &str) -> bool {
    crate::tactic_names::tokenize(tactic)
        .iter()
        .any(|t| matches!(t, crate::tactic_names::Tok::Ident(w) if w == "sorry" || w == "admit"))
}

/// The names a template may be filled with at `goal`.
pub fn goal_names(goal: &str) -> Vec<Local> {
    Goal::parse(goal)
        .map(|g| template_names(&g))
        .unwrap_or_default()
}

impl Ranker for HeadNGram {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        self.suggest_after(goal, &[], k)
    }

    /// The likeliest heads first, each as its most frequent tactic; then their other
    /// tactics by probability.
    fn suggest_after(&self, goal: &str, previous: &[String], k: usize) -> Vec<Suggestion> {
        let names = goal_names(goal);
        let mut list: Vec<Suggestion> = Vec::new();
        for (head, p) in self.distribution(previous) {
            for (i, (tactic, share)) in self.tactics_of(&head, &names).into_iter().enumerate() {
                // Each head's favourite (scores above 1, in the heads' order), then the other
                // tactics by probability (below 1).
                let score = if i == 0 { 1.0 + p } else { p * share };
                list.push(Suggestion {
                    tactic,
                    score,
                    source: "n-gram".into(),
                });
            }
            if list.len() >= k * 4 {
                break;
            }
        }
        crate::rank_dedup(list, k)
    }

    fn name(&self) -> &str {
        "n-gram"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(previous: &[&str], tactic: &str) -> StepItem {
        let bound = tactic.strip_prefix("intro ").unwrap_or("x");
        let goal = format!("⊢ ∀ ({bound} : ℕ), {bound} = {bound}");
        StepItem::for_test(&goal, previous, tactic)
    }

    #[test]
    fn the_context_decides_the_next_head() {
        let items = [
            item(&[], "intro x"),
            item(&[], "intro y"),
            item(&["intro x"], "simp"),
            item(&["intro y"], "simp [foo]"),
            item(&["intro y"], "simp"),
            item(&[], "ext i"),
            item(&["ext i"], "ring"),
            item(&["ext i"], "ring"),
            item(&["ext i"], "sorry"),
            item(&["ext i"], "· simp; sorry"),
        ];
        let m = HeadNGram::from_items(&items);
        assert_eq!(m.distribution(&[])[0].0, "intro");
        assert_eq!(m.distribution(&["intro z".into()])[0].0, "simp");
        assert_eq!(m.distribution(&["ext j".into()])[0].0, "ring");
        // An unseen context falls back on the heads' frequencies: every head keeps a chance.
        assert!(
            m.distribution(&[])
                .iter()
                .all(|(h, _)| h != "sorry" && h != "·")
        );
        let unseen = m.distribution(&["omega".into()]);
        assert_eq!(unseen.len(), 4);
        assert!(unseen.iter().all(|(_, p)| *p > 0.0));
        let sum: f64 = m
            .distribution(&["intro x".into()])
            .iter()
            .map(|(_, p)| p)
            .sum();
        assert!((sum - 1.0).abs() < 1e-9, "{sum}");
        // As a ranker: each head's favourite (`simp` first), then the heads' other tactics.
        let s = m.suggest_after("⊢ ∀ (w : ℕ), w = w", &["intro x".into()], 5);
        let shown: Vec<&str> = s.iter().map(|s| s.tactic.as_str()).collect();
        assert_eq!(shown[0], "simp");
        assert_eq!(shown[4], "simp [foo]", "{shown:?}");
        let heads: std::collections::HashSet<&str> =
            shown[..4].iter().map(|t| tactic_head(t)).collect();
        assert_eq!(heads.len(), 4);
        // Templates carry over to a new goal's names: `intro x` was `intro ?t0` on `∀ x`.
        let fresh = m.suggest("⊢ ∀ (z : ℕ), z = z", 1);
        assert_eq!(fresh[0].tactic, "intro z");
    }
}
