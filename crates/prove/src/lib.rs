//! theorist-prove: best-first search for a proof of a `sorry`. Candidates come from a tactic
//! ranker (`theorist-tactics`, or a remote backend); each is tried in a [`ProofEnv`] — the Lean
//! driver ([`lean_env::LeanEnv`]: edit the document in memory, wait for diagnostics, read the
//! new goals) or a scripted one in tests. Nodes are tactic prefixes ordered by the sum of
//! −log of their steps' normalised scores, as in ReProver/BFS-Prover; every attempt is
//! recorded. Budgets: per attempt (a hung Lean is cut off) and in total.

pub mod lean_env;
pub mod trace;
pub mod write;

use std::collections::{BinaryHeap, HashSet};
use std::time::Duration;

use serde::Serialize;
use theorist_tactics::Suggestion;
use tokio::time::Instant;

/// What one attempt (a whole tactic prefix) led to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// No goals left, no error.
    Proved,
    /// The tactics ran; these goals remain.
    Progress { goals: Vec<String> },
    /// Lean reported an error.
    Failed { message: String },
    /// Lean did not finish within the per-attempt budget.
    Timeout,
    /// The Lean worker crashed on it.
    Crashed { message: String },
}

/// Where the search runs its candidates.
pub trait ProofEnv {
    /// The goals at the `sorry` before any tactic.
    fn initial_goals(&mut self) -> impl Future<Output = Result<Vec<String>, EnvError>>;
    /// Runs `tactics` in place of the `sorry`; must come back within `budget`.
    fn attempt(
        &mut self,
        tactics: &[String],
        budget: Duration,
    ) -> impl Future<Output = Result<Outcome, EnvError>>;
}

/// The environment itself failed (not a tactic): the search stops.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnvError {
    #[error(transparent)]
    Lean(#[from] theorist_lean::LeanError),
    #[error("{0}")]
    Target(String),
}

#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// Candidates tried per expanded node.
    pub width: usize,
    /// Longest proof tried, in tactics.
    pub max_depth: usize,
    /// Attempts in total.
    pub max_attempts: usize,
    pub per_attempt: Duration,
    pub total: Duration,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            width: 8,
            max_depth: 6,
            max_attempts: 64,
            per_attempt: Duration::from_secs(60),
            total: Duration::from_secs(600),
        }
    }
}

/// One attempt, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptRecord {
    pub tactics: Vec<String>,
    pub source: String,
    pub score: f64,
    pub outcome: Outcome,
    pub ms: u128,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    Proved,
    /// Every node expanded, nothing left to try.
    Exhausted,
    AttemptBudget,
    TimeBudget,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchReport {
    pub proof: Option<Vec<String>>,
    pub stop: StopReason,
    pub initial_goals: Vec<String>,
    pub attempts: Vec<AttemptRecord>,
    pub expanded: usize,
    /// Nodes still in the queue when the search stopped.
    pub open: usize,
    pub elapsed_ms: u128,
}

struct Node {
    cost: f64,
    tactics: Vec<String>,
    goals: Vec<String>,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.cost == other.cost
    }
}
impl Eq for Node {}
impl PartialOrd for Node {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Node {
    // BinaryHeap is a max-heap: the cheapest node must compare greatest; ties go to the
    // shorter prefix.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.tactics.len().cmp(&self.tactics.len()))
    }
}

/// Per-step costs: −ln of each suggestion's share of the positive scores (a ranker's scores
/// need not be probabilities). Scores ≤ 0 count as a small share.
fn step_costs(list: &[Suggestion]) -> Vec<f64> {
    let floor = 1e-3;
    let total: f64 = list.iter().map(|s| s.score.max(floor)).sum();
    list.iter()
        .map(|s| -(s.score.max(floor) / total).ln())
        .collect()
}

/// Best-first search. `suggest` ranks tactics for a goal (it is called between attempts, so
/// a slow ranker counts against the total budget).
pub async fn search<E: ProofEnv>(
    env: &mut E,
    suggest: &mut dyn FnMut(&str, usize) -> Vec<Suggestion>,
    config: &SearchConfig,
) -> Result<SearchReport, EnvError> {
    let start = Instant::now();
    let initial_goals = env.initial_goals().await?;
    let mut report = SearchReport {
        proof: None,
        stop: StopReason::Exhausted,
        initial_goals: initial_goals.clone(),
        attempts: Vec::new(),
        expanded: 0,
        open: 0,
        elapsed_ms: 0,
    };
    let mut queue = BinaryHeap::new();
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    seen.insert(initial_goals.clone());
    queue.push(Node {
        cost: 0.0,
        tactics: Vec::new(),
        goals: initial_goals,
    });
    'search: while let Some(node) = queue.pop() {
        if node.tactics.len() >= config.max_depth {
            continue;
        }
        let Some(goal) = node.goals.first() else {
            continue;
        };
        report.expanded += 1;
        let list = suggest(goal, config.width);
        let costs = step_costs(&list);
        for (s, cost) in list.iter().zip(costs) {
            if report.attempts.len() >= config.max_attempts {
                report.stop = StopReason::AttemptBudget;
                queue.push(node);
                break 'search;
            }
            let left = config.total.saturating_sub(start.elapsed());
            if left.is_zero() {
                report.stop = StopReason::TimeBudget;
                queue.push(node);
                break 'search;
            }
            let mut tactics = node.tactics.clone();
            tactics.push(s.tactic.clone());
            let budget = config.per_attempt.min(left);
            let t0 = Instant::now();
            let outcome = match tokio::time::timeout(budget, env.attempt(&tactics, budget)).await {
                Ok(r) => r?,
                Err(_) => Outcome::Timeout,
            };
            tracing::debug!(?tactics, ?outcome, "attempt");
            report.attempts.push(AttemptRecord {
                tactics: tactics.clone(),
                source: s.source.clone(),
                score: s.score,
                outcome: outcome.clone(),
                ms: t0.elapsed().as_millis(),
            });
            match outcome {
                Outcome::Proved => {
                    report.proof = Some(tactics);
                    report.stop = StopReason::Proved;
                    break 'search;
                }
                Outcome::Progress { goals } if seen.insert(goals.clone()) => {
                    queue.push(Node {
                        cost: node.cost + cost,
                        tactics,
                        goals,
                    });
                }
                _ => {}
            }
        }
    }
    report.open = queue.len();
    report.elapsed_ms = start.elapsed().as_millis();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A scripted environment: tactic prefixes (joined by `; `) → outcomes; unknown ones fail.
    struct Scripted {
        table: HashMap<String, Outcome>,
        hang: Vec<String>,
    }

    impl ProofEnv for Scripted {
        async fn initial_goals(&mut self) -> Result<Vec<String>, EnvError> {
            Ok(vec!["⊢ ∀ (x : ℝ), 0 ≤ x ^ 2".into()])
        }
        async fn attempt(&mut self, t: &[String], _b: Duration) -> Result<Outcome, EnvError> {
            let key = t.join("; ");
            if self.hang.contains(&key) {
                std::future::pending::<()>().await;
            }
            Ok(self.table.get(&key).cloned().unwrap_or(Outcome::Failed {
                message: "no".into(),
            }))
        }
    }

    fn sugg(list: &[(&str, f64)]) -> Vec<Suggestion> {
        list.iter()
            .map(|(t, s)| Suggestion {
                tactic: t.to_string(),
                score: *s,
                source: "test".into(),
            })
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn finds_a_two_step_proof_past_a_hang() {
        let mut env = Scripted {
            table: HashMap::from([
                (
                    "intro x".to_string(),
                    Outcome::Progress {
                        goals: vec!["x : ℝ\n⊢ 0 ≤ x ^ 2".into()],
                    },
                ),
                ("intro x; positivity".to_string(), Outcome::Proved),
            ]),
            hang: vec!["simp".into()],
        };
        let mut suggest = |goal: &str, _k: usize| {
            if goal.starts_with("⊢ ∀") {
                sugg(&[("simp", 0.6), ("intro x", 0.3), ("linarith", 0.1)])
            } else {
                sugg(&[("linarith", 0.5), ("positivity", 0.4)])
            }
        };
        let config = SearchConfig {
            per_attempt: Duration::from_secs(5),
            ..SearchConfig::default()
        };
        let report = search(&mut env, &mut suggest, &config).await.unwrap();
        assert_eq!(report.stop, StopReason::Proved);
        assert_eq!(report.proof.unwrap(), ["intro x", "positivity"]);
        assert_eq!(report.attempts[0].outcome, Outcome::Timeout);
        assert_eq!(report.attempts.len(), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn stops_at_the_total_budget() {
        let mut env = Scripted {
            table: HashMap::new(),
            hang: vec!["simp".into(), "ring".into()],
        };
        let mut suggest = |_: &str, _k: usize| sugg(&[("simp", 0.5), ("ring", 0.5)]);
        let config = SearchConfig {
            per_attempt: Duration::from_secs(10),
            total: Duration::from_secs(15),
            ..SearchConfig::default()
        };
        let report = search(&mut env, &mut suggest, &config).await.unwrap();
        assert_eq!(report.proof, None);
        assert_eq!(report.attempts.len(), 2);
        assert!(report.elapsed_ms <= 15_000);
    }
}
