//! What the learned step ranker predicts: one class per frequent tactic *template* of the
//! training steps (local names abstracted into typed slots: `exact ?h0`, `simp [foo]`), one per
//! frequent tactic *head* for the rest of that head's steps (`⟨head⟩ rw`: the head is known,
//! its arguments come from retrieval), and one for everything rarer. A prediction is read back
//! as a distribution over heads and a ranked list of templates.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dataset::StepItem;
use crate::goal::Goal;
use crate::normalise::collapse_ws;
use crate::tactic_head;
use crate::template::{abstract_tactic, template_names};

const HEAD_MARK: &str = "⟨head⟩ ";
const OTHER: &str = "⟨other⟩";

/// How many steps a template or head needs to get a class of its own, and how many classes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ClassLimits {
    pub template_min: usize,
    pub templates_max: usize,
    pub head_min: usize,
    pub heads_max: usize,
}

impl Default for ClassLimits {
    fn default() -> Self {
        ClassLimits {
            template_min: 25,
            templates_max: 2500,
            head_min: 10,
            heads_max: 800,
        }
    }
}

/// The classes, in order (the model's output units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepClasses {
    pub labels: Vec<String>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// The template of `tactic` at `goal`: whitespace collapsed, local names and the target's
/// definitions as typed slots.
pub fn template_of(goal: &Goal, tactic: &str) -> String {
    abstract_tactic(&collapse_ws(tactic), &template_names(goal)).0
}

/// Each item's template, parsing each distinct goal once.
pub fn templates_of<'a>(items: impl IntoIterator<Item = &'a StepItem>) -> Vec<String> {
    let mut goals: HashMap<&str, Goal> = HashMap::new();
    items
        .into_iter()
        .map(|it| {
            let goal = goals
                .entry(it.goal.as_str())
                .or_insert_with(|| Goal::parse(&it.goal).unwrap_or_default());
            template_of(goal, &it.tactic)
        })
        .collect()
}

fn ranked(counts: HashMap<String, usize>, min: usize, max: usize) -> Vec<String> {
    let mut v: Vec<(String, usize)> = counts.into_iter().filter(|(_, c)| *c >= min).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(max);
    v.into_iter().map(|(t, _)| t).collect()
}

impl StepClasses {
    /// The classes of `templates` (the training steps'), most frequent first within each
    /// kind; deterministic.
    pub fn build(templates: &[String], limits: ClassLimits) -> StepClasses {
        let mut by_template: HashMap<String, usize> = HashMap::new();
        let mut by_head: HashMap<String, usize> = HashMap::new();
        for t in templates {
            *by_template.entry(t.clone()).or_default() += 1;
            *by_head.entry(tactic_head(t).to_string()).or_default() += 1;
        }
        let mut labels = ranked(by_template, limits.template_min, limits.templates_max);
        labels.extend(
            ranked(by_head, limits.head_min, limits.heads_max)
                .into_iter()
                .map(|h| format!("{HEAD_MARK}{h}")),
        );
        labels.push(OTHER.to_string());
        StepClasses::from_labels(labels)
    }

    pub fn from_labels(labels: Vec<String>) -> StepClasses {
        let index = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        StepClasses { labels, index }
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The class of a step whose template is `template`.
    pub fn class_of(&self, template: &str) -> usize {
        if let Some(i) = self.index.get(template) {
            return *i;
        }
        let head = format!("{HEAD_MARK}{}", tactic_head(template));
        self.index
            .get(&head)
            .or_else(|| self.index.get(OTHER))
            .copied()
            .unwrap_or(self.labels.len().saturating_sub(1))
    }

    /// Class probabilities read back: heads (a template's mass goes to its head), best first,
    /// and templates, best first (head-only classes and the rest give none).
    pub fn read(&self, probs: &[f32]) -> Prediction {
        let mut heads: HashMap<&str, f64> = HashMap::new();
        let mut templates = Vec::new();
        for (label, p) in self.labels.iter().zip(probs) {
            let p = *p as f64;
            if label == OTHER {
                continue;
            }
            match label.strip_prefix(HEAD_MARK) {
                Some(head) => *heads.entry(head).or_default() += p,
                None => {
                    *heads.entry(tactic_head(label)).or_default() += p;
                    templates.push((label.clone(), p));
                }
            }
        }
        let mut heads: Vec<(String, f64)> =
            heads.into_iter().map(|(h, p)| (h.to_string(), p)).collect();
        let order = |a: &(String, f64), b: &(String, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        heads.sort_by(order);
        templates.sort_by(order);
        Prediction { heads, templates }
    }
}

/// A learned ranker's view of the next step: how likely each tactic head is, and its best
/// templates (slots unfilled), each best first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prediction {
    pub heads: Vec<(String, f64)>,
    pub templates: Vec<(String, f64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_templates_and_heads_get_classes_and_read_back_as_heads() {
        let mut templates: Vec<String> = Vec::new();
        templates.extend(std::iter::repeat_n("simp".to_string(), 30));
        templates.extend(std::iter::repeat_n("exact ?h0".to_string(), 26));
        templates.extend((0..12).map(|i| format!("rw [lemma{i}]")));
        templates.push("decide".into());
        let c = StepClasses::build(&templates, ClassLimits::default());
        assert_eq!(
            c.labels,
            [
                "simp",
                "exact ?h0",
                "⟨head⟩ simp",
                "⟨head⟩ exact",
                "⟨head⟩ rw",
                "⟨other⟩"
            ]
        );
        assert_eq!(c.class_of("simp"), 0);
        assert_eq!(
            c.class_of("rw [lemma3]"),
            4,
            "a rare template falls to its head"
        );
        assert_eq!(c.class_of("decide"), 5, "a rare head falls to the rest");
        let p = c.read(&[0.1, 0.2, 0.05, 0.05, 0.5, 0.1]);
        assert_eq!(p.heads[0], ("rw".to_string(), 0.5));
        assert_eq!(p.heads[1].0, "exact");
        assert!((p.heads[1].1 - 0.25).abs() < 1e-6);
        assert_eq!(p.templates[0].0, "exact ?h0");
        assert_eq!(p.templates.len(), 2);
        // The labels alone rebuild the same classes (what a manifest stores).
        assert_eq!(StepClasses::from_labels(c.labels.clone()), c);
    }
}
