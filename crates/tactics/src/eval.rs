//! Offline metrics of a [`Ranker`] on held-out examples: tactic-head top-1/top-5, exact-match
//! top-1/top-10 (whitespace-normalised, against every tactic known right for the goal), MRR
//! (first right tactic within the top 10), and "closes by construction": on steps whose right
//! tactics close the goal, whether the top-1 suggestion is one of them. Lists are scored as
//! users see them: after the scope check; the share of the ranker's raw candidates that were
//! in scope is reported beside them.

use serde::Serialize;

use crate::corpus::Example;
use crate::index::NameIndex;
use crate::normalise::collapse_ws;
use crate::scope::Scope;
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
    /// Share of the ranker's raw top-10 candidates that were in scope.
    pub in_scope_raw: f64,
    /// Share of the suggestions shown (after the scope check) that are in scope.
    pub in_scope_shown: f64,
}

pub fn evaluate(ranker: &dyn Ranker, examples: &[Example], names: &NameIndex) -> Metrics {
    let mut m = Metrics {
        ranker: ranker.name().to_string(),
        ..Metrics::default()
    };
    let start = std::time::Instant::now();
    let (mut raw, mut raw_in, mut shown, mut shown_in) = (0usize, 0usize, 0usize, 0usize);
    for e in examples {
        let scope = scope_of(e, names);
        let mut list = ranker.suggest(&e.goal, 40);
        raw += list.len().min(10);
        raw_in += list
            .iter()
            .take(10)
            .filter(|s| scope.admits(&s.tactic))
            .count();
        scope.retain(&mut list);
        list.truncate(10);
        shown += list.len();
        shown_in += list.iter().filter(|s| scope.admits(&s.tactic)).count();
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
    m.in_scope_raw = raw_in as f64 / raw.max(1) as f64;
    m.in_scope_shown = shown_in as f64 / shown.max(1) as f64;
    m
}

/// The scope of an example's goal: its file's `open`s, then the root; every indexed name
/// visible (the examples carry no imports; miniF2F's files import all of Mathlib).
fn scope_of<'a>(e: &Example, names: &'a NameIndex) -> Scope<'a> {
    let mut scope = Scope::of_goal(&e.goal, names);
    scope.prefixes = e.opens.iter().cloned().chain([String::new()]).collect();
    scope
}

/// Share of the examples whose own (gold) tactic passes the scope check: how often the check
/// would wrongly hide the author's step (its false-rejection rate is one minus this).
pub fn gold_in_scope(examples: &[Example], names: &NameIndex) -> f64 {
    let ok = examples
        .iter()
        .filter(|e| scope_of(e, names).admits(&e.tactic))
        .count();
    ok as f64 / examples.len().max(1) as f64
}

/// A proportion with its 95% Wilson score interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rate {
    pub hits: usize,
    pub n: usize,
    pub rate: f64,
    pub low: f64,
    pub high: f64,
}

/// `hits` of `n` with the Wilson interval (z = 1.96), which stays inside [0, 1] and behaves
/// at rates near 0 and 1, unlike the normal approximation.
pub fn wilson(hits: usize, n: usize) -> Rate {
    if n == 0 {
        return Rate::default();
    }
    let z = 1.96f64;
    let nf = n as f64;
    let p = hits as f64 / nf;
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    Rate {
        hits,
        n,
        rate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

impl Rate {
    /// Whether this interval lies wholly above `other`'s.
    pub fn beats(&self, other: &Rate) -> bool {
        self.low > other.high
    }
}

/// A ranker on mined steps, as users see its lists (after the scope check).
#[derive(Debug, Clone, Default, Serialize)]
pub struct StepMetrics {
    pub ranker: String,
    pub n: usize,
    /// Whitespace-normalised exact match of the author's step.
    pub exact_top1: Rate,
    pub exact_top8: Rate,
    /// The author's tactic head (`nlinarith`, `rw`, …) among the first distinct heads.
    pub head_top1: Rate,
    pub head_top5: Rate,
    /// Share of the ranker's top 8 in scope when it is not told the scope, and of the shown
    /// ones (it is told, and ranks what passes).
    pub in_scope_raw: f64,
    pub in_scope_shown: f64,
    pub ms_per_goal: f64,
    /// Candidates in the raw top 8, of them in scope, shown, of them in scope.
    #[serde(skip)]
    pub(crate) scope_counts: [usize; 4],
}

impl StepMetrics {
    /// One ranker's metrics over several disjoint groups of items: `runs` holds each
    /// group's metrics, rankers in the same order in every group.
    pub fn merged(runs: &[Vec<StepMetrics>]) -> Vec<StepMetrics> {
        let Some(first) = runs.first() else {
            return Vec::new();
        };
        (0..first.len())
            .map(|r| {
                let parts: Vec<&StepMetrics> = runs.iter().map(|run| &run[r]).collect();
                let n: usize = parts.iter().map(|m| m.n).sum();
                let sum = |rate: fn(&StepMetrics) -> &Rate| {
                    wilson(parts.iter().map(|m| rate(m).hits).sum(), n)
                };
                let mut counts = [0usize; 4];
                for m in &parts {
                    for (c, x) in counts.iter_mut().zip(m.scope_counts) {
                        *c += x;
                    }
                }
                let time: f64 = parts.iter().map(|m| m.ms_per_goal * m.n as f64).sum();
                StepMetrics {
                    ranker: first[r].ranker.clone(),
                    n,
                    exact_top1: sum(|m| &m.exact_top1),
                    exact_top8: sum(|m| &m.exact_top8),
                    head_top1: sum(|m| &m.head_top1),
                    head_top5: sum(|m| &m.head_top5),
                    in_scope_raw: counts[1] as f64 / counts[0].max(1) as f64,
                    in_scope_shown: counts[3] as f64 / counts[2].max(1) as f64,
                    ms_per_goal: time / n.max(1) as f64,
                    scope_counts: counts,
                }
            })
            .collect()
    }
}

/// Evaluates `ranker` on `items`; `scope_of` gives each item's scope.
pub fn evaluate_steps<'a>(
    ranker: &dyn Ranker,
    items: &[crate::dataset::StepItem],
    scope_of: &dyn Fn(&crate::dataset::StepItem) -> Scope<'a>,
) -> StepMetrics {
    let start = std::time::Instant::now();
    let (mut e1, mut e8, mut h1, mut h5) = (0, 0, 0, 0);
    let (mut raw, mut raw_in, mut shown, mut shown_in) = (0usize, 0usize, 0usize, 0usize);
    for it in items {
        let scope = scope_of(it);
        let unchecked = ranker.suggest_after(&it.goal, &it.previous, 8);
        raw += unchecked.len();
        raw_in += unchecked.iter().filter(|s| scope.admits(&s.tactic)).count();
        let list = ranker.suggest_in(&it.goal, &it.previous, 8, &scope.memoised());
        shown += list.len();
        shown_in += list.iter().filter(|s| scope.admits(&s.tactic)).count();
        let gold = collapse_ws(&it.tactic);
        let gold_head = tactic_head(&gold);
        if list.first().is_some_and(|s| collapse_ws(&s.tactic) == gold) {
            e1 += 1;
        }
        if list.iter().any(|s| collapse_ws(&s.tactic) == gold) {
            e8 += 1;
        }
        let mut heads: Vec<&str> = Vec::new();
        for s in &list {
            let h = tactic_head(&s.tactic);
            if !heads.contains(&h) {
                heads.push(h);
            }
        }
        if heads.first() == Some(&gold_head) {
            h1 += 1;
        }
        if heads.iter().take(5).any(|h| *h == gold_head) {
            h5 += 1;
        }
    }
    let n = items.len();
    StepMetrics {
        ranker: ranker.name().to_string(),
        n,
        exact_top1: wilson(e1, n),
        exact_top8: wilson(e8, n),
        head_top1: wilson(h1, n),
        head_top5: wilson(h5, n),
        in_scope_raw: raw_in as f64 / raw.max(1) as f64,
        in_scope_shown: shown_in as f64 / shown.max(1) as f64,
        ms_per_goal: start.elapsed().as_secs_f64() * 1e3 / n.max(1) as f64,
        scope_counts: [raw, raw_in, shown, shown_in],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals() {
        let r = wilson(50, 100);
        assert!((r.rate - 0.5).abs() < 1e-12);
        assert!(
            (r.low - 0.4038).abs() < 1e-3 && (r.high - 0.5962).abs() < 1e-3,
            "{r:?}"
        );
        let zero = wilson(0, 20);
        assert_eq!(zero.low, 0.0);
        assert!(zero.high > 0.1 && zero.high < 0.2);
        assert!(wilson(90, 100).beats(&wilson(50, 100)));
        assert!(!wilson(55, 100).beats(&wilson(50, 100)));
    }
}
