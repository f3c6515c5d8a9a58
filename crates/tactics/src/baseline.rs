//! The baselines every evaluation runs beside the model:
//! - [`MostFrequent`]: the training set's most frequent tactics, the same list for every goal;
//! - [`Closers`]: a fixed list of closing tactics (`ring`, `linarith`, `positivity`,
//!   `norm_num`, `field_simp`, `nlinarith`), what a user would try by hand;
//! - [`Retrieval`]: the tactics of the most similar training goals (cosine over hashed
//!   character 3-grams with rare-feature weighting, the previous step's head as a feature),
//!   each re-fitted to the new goal: a neighbour's local names become typed slots and are
//!   filled with the new goal's names of the same kind.
//!
//! The retrieval ranker is also what `theorist suggest` falls back to in a build without the
//! model, labelled as such.

use std::collections::HashMap;

use crate::corpus::Example;
use crate::dataset::StepItem;
use crate::goal::Goal;
use crate::normalise::{collapse_ws, normalise_goal};
use crate::template::{abstract_tactic, binder_canonical, fillings, slot_names};
use crate::{Ranker, Suggestion, rank_dedup, tactic_head};

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

const DIM: u32 = 1 << 20;

/// A sparse, L2-normalised vector of hashed features.
pub type Features = Vec<(u32, f32)>;

fn hash(parts: &[char]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in parts {
        h ^= *c as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % DIM
}

/// Character 3-grams of the normalised goal, and the previous step's head word.
pub fn features(goal: &str, previous: Option<&str>) -> Features {
    let chars: Vec<char> = format!("\u{2}{}\u{3}", goal).chars().collect();
    let mut counts: HashMap<u32, f32> = HashMap::new();
    for w in chars.windows(3) {
        *counts.entry(hash(w)).or_default() += 1.0;
    }
    if let Some(p) = previous {
        let head: Vec<char> = format!("\u{1}prev:{}", tactic_head(p)).chars().collect();
        *counts.entry(hash(&head)).or_default() += 4.0;
    }
    let mut v: Features = counts.into_iter().collect();
    v.sort_by_key(|(k, _)| *k);
    v
}

fn l2_normalise(v: &mut Features) {
    let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt().max(1e-6);
    for (_, x) in v.iter_mut() {
        *x /= norm;
    }
}

pub fn cosine(a: &Features, b: &Features) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// A remembered step: its tactic and its goal (normalised). The tactic is abstracted over the
/// goal's names only when the row is retrieved: most rows never are.
struct Row {
    tactic: String,
    goal: String,
}

/// Nearest-neighbour retrieval of tactics, re-fitted to the new goal's names.
pub struct Retrieval {
    rows: Vec<Row>,
    /// Inverted index: feature → (row, weight).
    index: HashMap<u32, Vec<(u32, f32)>>,
    /// Inverse document frequency per feature.
    idf: HashMap<u32, f32>,
    neighbours: usize,
}

/// Features in more than this share of the rows carry no information and are not looked up.
const MAX_DF: f64 = 0.05;

impl Retrieval {
    /// Remembers `examples` (the generated corpus: goals without history).
    pub fn train(examples: &[Example]) -> Retrieval {
        Self::build(
            examples
                .iter()
                .map(|e| (e.goal.as_str(), None, e.tactic.as_str())),
        )
    }

    /// Remembers mined steps (with their previous step).
    pub fn from_items(items: &[StepItem]) -> Retrieval {
        Self::build(items.iter().map(|it| {
            (
                it.goal.as_str(),
                it.previous.last().map(String::as_str),
                it.tactic.as_str(),
            )
        }))
    }

    fn build<'a>(rows: impl Iterator<Item = (&'a str, Option<&'a str>, &'a str)>) -> Retrieval {
        let mut memory = Vec::new();
        let mut vectors = Vec::new();
        let mut df: HashMap<u32, u32> = HashMap::new();
        for (goal, previous, tactic) in rows {
            let g = normalise_goal(goal);
            let f = features(&g, previous);
            for (k, _) in &f {
                *df.entry(*k).or_default() += 1;
            }
            memory.push(Row {
                tactic: collapse_ws(tactic),
                goal: g,
            });
            vectors.push(f);
        }
        let n = memory.len().max(1) as f64;
        let idf: HashMap<u32, f32> = df
            .iter()
            .map(|(k, d)| (*k, ((n + 1.0) / (*d as f64 + 1.0)).ln() as f32 + 1.0))
            .collect();
        let mut index: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (row, mut f) in vectors.into_iter().enumerate() {
            for (k, x) in f.iter_mut() {
                *x *= idf[k];
            }
            l2_normalise(&mut f);
            for (k, x) in f {
                if (df[&k] as f64) <= MAX_DF * n || n < 200.0 {
                    index.entry(k).or_default().push((row as u32, x));
                }
            }
        }
        Retrieval {
            rows: memory,
            index,
            idf,
            neighbours: 48,
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The `n` most similar remembered steps: (row, similarity).
    pub fn nearest(&self, goal: &str, previous: Option<&str>, n: usize) -> Vec<(usize, f32)> {
        let mut q = features(&normalise_goal(goal), previous);
        for (k, x) in q.iter_mut() {
            *x *= self.idf.get(k).copied().unwrap_or(1.0);
        }
        l2_normalise(&mut q);
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for (k, v) in &q {
            if let Some(rows) = self.index.get(k) {
                for (row, w) in rows {
                    *scores.entry(*row).or_default() += v * w;
                }
            }
        }
        let mut best: Vec<(usize, f32)> =
            scores.into_iter().map(|(r, s)| (r as usize, s)).collect();
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(n);
        best
    }

    /// The literal tactic of a remembered row.
    pub fn tactic(&self, row: usize) -> &str {
        &self.rows[row].tactic
    }

    /// The row's tactic fitted to `goal`: its typed slots filled with `goal`'s names of the
    /// same kind (the literal tactic when it names no local).
    pub fn fitted(&self, row: usize, goal: &str) -> Option<String> {
        let r = &self.rows[row];
        let own = Goal::parse(&r.goal)
            .map(|g| slot_names(&g))
            .unwrap_or_default();
        let template = abstract_tactic(&r.tactic, &own).0;
        if template == r.tactic {
            return Some(r.tactic.clone());
        }
        let names = Goal::parse(goal)
            .map(|g| slot_names(&g))
            .unwrap_or_default();
        fillings(&template, &names, 1).into_iter().next()
    }
}

impl Ranker for Retrieval {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        self.suggest_after(goal, &[], k)
    }

    fn suggest_after(&self, goal: &str, previous: &[String], k: usize) -> Vec<Suggestion> {
        let list = self
            .nearest(
                goal,
                previous.last().map(String::as_str),
                self.neighbours.max(k * 4),
            )
            .into_iter()
            .filter_map(|(row, s)| {
                Some(Suggestion {
                    tactic: self.fitted(row, goal)?,
                    score: s as f64,
                    source: "retrieval".into(),
                })
            })
            .collect::<Vec<_>>();
        // One of each tactic up to the names it binds itself (`intro L _`, `intro u _`).
        let mut seen = std::collections::HashSet::new();
        rank_dedup(list, usize::MAX)
            .into_iter()
            .filter(|s| seen.insert(binder_canonical(&s.tactic)))
            .take(k)
            .collect()
    }

    fn name(&self) -> &str {
        "retrieval"
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
