//! Offline metrics of a [`Ranker`] on held-out examples: tactic-head top-1/top-5, exact-match
//! top-1/top-10 (whitespace-normalised, against every tactic known right for the goal), MRR
//! (first right tactic within the top 10), and "closes by construction": on steps whose right
//! tactics close the goal, whether the top-1 suggestion is one of them.

use serde::Serialize;

use crate::corpus::Example;
use crate::normalise::collapse_ws;
use crate::{Ranker, tactic_head};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Metrics {
    pub ranker: String,
    pub n: usize,
    pub head_top1: f64,
    pub head_top5: f64,
    pub exact_top1: f64,
    pub exact_top10: f64,
    pub mrr: f64,
    /// Among examples whose right tactics close the goal.
    pub closes_n: usize,
    pub closes_top1: f64,
    /// Mean milliseconds per `suggest` call.
    pub ms_per_goal: f64,
}

pub fn evaluate(ranker: &dyn Ranker, examples: &[Example]) -> Metrics {
    let mut m = Metrics {
        ranker: ranker.name().to_string(),
        ..Metrics::default()
    };
    let start = std::time::Instant::now();
    for e in examples {
        let list = ranker.suggest(&e.goal, 10);
        let right: Vec<String> = e.right.iter().map(|t| collapse_ws(t)).collect();
        let gold_head = tactic_head(&e.tactic);
        let heads: Vec<&str> = {
            let mut seen = Vec::new();
            for s in &list {
                let h = tactic_head(&s.tactic);
                if !seen.contains(&h) {
                    seen.push(h);
                }
            }
            seen
        };
        let is_right = |t: &str| right.contains(&collapse_ws(t));
        m.n += 1;
        if heads.first() == Some(&gold_head) {
            m.head_top1 += 1.0;
        }
        if heads.iter().take(5).any(|h| *h == gold_head) {
            m.head_top5 += 1.0;
        }
        if list.first().is_some_and(|s| is_right(&s.tactic)) {
            m.exact_top1 += 1.0;
        }
        if list.iter().take(10).any(|s| is_right(&s.tactic)) {
            m.exact_top10 += 1.0;
        }
        if let Some(rank) = list.iter().take(10).position(|s| is_right(&s.tactic)) {
            m.mrr += 1.0 / (rank as f64 + 1.0);
        }
        if e.closes {
            m.closes_n += 1;
            if list.first().is_some_and(|s| is_right(&s.tactic)) {
                m.closes_top1 += 1.0;
            }
        }
    }
    let n = m.n.max(1) as f64;
    m.head_top1 /= n;
    m.head_top5 /= n;
    m.exact_top1 /= n;
    m.exact_top10 /= n;
    m.mrr /= n;
    m.closes_top1 /= m.closes_n.max(1) as f64;
    m.ms_per_goal = start.elapsed().as_secs_f64() * 1e3 / n;
    m
}
