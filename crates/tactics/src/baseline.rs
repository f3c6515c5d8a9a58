//! The two baselines every evaluation runs beside the model: the most frequent tactics of the
//! training set (the same list for every goal), and nearest-neighbour retrieval (the literal
//! tactics of the most similar training goals by cosine over hashed character 3-grams). The
//! retrieval ranker is also what `theorist suggest` falls back to in a build without the
//! model, labelled as such.

use std::collections::HashMap;

use crate::corpus::Example;
use crate::normalise::{collapse_ws, normalise_goal};
use crate::{Ranker, Suggestion, rank_dedup};

/// The training set's tactics by frequency.
pub struct MostFrequent {
    ranked: Vec<(String, f64)>,
}

impl MostFrequent {
    pub fn train(examples: &[Example]) -> MostFrequent {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for e in examples {
            *counts.entry(collapse_ws(&e.tactic)).or_default() += 1;
        }
        let total = examples.len().max(1) as f64;
        let mut ranked: Vec<(String, f64)> = counts
            .into_iter()
            .map(|(t, c)| (t, c as f64 / total))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
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

const DIM: usize = 1 << 14;

/// A sparse, L2-normalised vector of hashed character 3-grams.
pub type Features = Vec<(u32, f32)>;

pub fn features(text: &str) -> Features {
    let chars: Vec<char> = format!("\u{2}{}\u{3}", text).chars().collect();
    let mut counts: HashMap<u32, f32> = HashMap::new();
    for w in chars.windows(3) {
        let mut h: u32 = 0x811c_9dc5;
        for c in w {
            h ^= *c as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
        *counts.entry(h % DIM as u32).or_default() += 1.0;
    }
    let norm = counts.values().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
    let mut v: Features = counts.into_iter().map(|(k, c)| (k, c / norm)).collect();
    v.sort_by_key(|(k, _)| *k);
    v
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

/// Nearest-neighbour retrieval of literal tactics.
pub struct Retrieval {
    memory: Vec<(Features, String)>,
    /// Inverted index: feature → memory rows, so a query touches only rows sharing a 3-gram.
    index: HashMap<u32, Vec<(u32, f32)>>,
    neighbours: usize,
}

impl Retrieval {
    pub fn train(examples: &[Example]) -> Retrieval {
        let mut memory = Vec::with_capacity(examples.len());
        let mut index: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (row, e) in examples.iter().enumerate() {
            let f = features(&e.goal);
            for (k, v) in &f {
                index.entry(*k).or_default().push((row as u32, *v));
            }
            memory.push((f, collapse_ws(&e.tactic)));
        }
        Retrieval {
            memory,
            index,
            neighbours: 32,
        }
    }

    /// The `n` most similar training goals: (row, similarity).
    pub fn nearest(&self, goal: &str, n: usize) -> Vec<(usize, f32)> {
        let q = features(&normalise_goal(goal));
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

    pub fn tactic(&self, row: usize) -> &str {
        &self.memory[row].1
    }
}

impl Ranker for Retrieval {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        let list = self
            .nearest(goal, self.neighbours.max(k * 3))
            .into_iter()
            .map(|(row, s)| Suggestion {
                tactic: self.memory[row].1.clone(),
                score: s as f64,
                source: "retrieval".into(),
            })
            .collect();
        rank_dedup(list, k)
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
    fn retrieval_finds_a_similar_goal() {
        let ex: Vec<_> = generated(1, 500)
            .into_iter()
            .filter(|e| e.split == Split::Train)
            .collect();
        let r = Retrieval::train(&ex);
        let s = r.suggest("x y : ℝ\n⊢ 2 * x * y ≤ x ^ 2 + y ^ 2", 5);
        assert!(!s.is_empty());
        assert!(s.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(s.iter().any(|s| s.tactic.starts_with("nlinarith")), "{s:?}");
        let m = MostFrequent::train(&ex).suggest("anything", 3);
        assert_eq!(m.len(), 3);
    }
}
