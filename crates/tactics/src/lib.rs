//! theorist-tactics: what to try next in a Lean proof. Pure and synchronous; the proof search
//! (`theorist-prove`) and the CLI call it, it never talks to Lean itself.
//!
//! - [`normalise`]: goal text the way Lean's pretty-printer writes it (`√2`, `∑ x ∈`, `↑n`,
//!   binders turned into hypotheses), so training text and live goals agree.
//! - [`goal`]: a goal state parsed into hypotheses and target, and the local names in it.
//! - [`generate`]: a seeded generator of goals in our domain (real polynomial identities and
//!   inequalities, field simplifications, ∀/→/∧/IsMinOn structure, norms) with tactics right
//!   by construction; [`corpus`] adds the goals of our `lean/` library and the real miniF2F
//!   pairs, split by theorem.
//! - [`template`]: tactics with local names abstracted into typed slots, and back.
//! - [`tactic_names`], [`context`], [`index`], [`scope`]: what a tactic binds and refers to,
//!   a file's namespaces/opens/variables, the library names visible from a file, and the
//!   check that drops every suggestion naming something out of scope.
//! - [`baseline`]: the most-frequent-tactic and fixed-closer-list rankers; [`retrieval`]
//!   (nearest neighbours' tactics, voted and mixed with the [`ngram`] of tactic heads).
//! - [`model`]: the byte-level encoder ranking templates on generated goals, and StepRank,
//!   the ranker learned from mined proofs ([`step_features`] in, [`step_classes`] out, its
//!   [`step_manifest`] beside the weights) that [`guided`] mixes with retrieval (feature
//!   `model`, tch); without the feature a twin that says so.
//! - [`eval`]: top-k, MRR and "closes by construction" metrics of any [`Ranker`], with 95%
//!   intervals on mined steps; [`dataset`] splits mined proofs honestly (whole repositories
//!   and PhysLean files held out, near-duplicates dropped) and [`benchmark`] runs the rankers
//!   on the held-out sets.
//! - [`numeric`], [`answer`]: the numerics engine's hint or counterexample for a goal, ahead
//!   of the rankers' candidates, all through the scope check.
//! - [`mine`], [`project`], [`memory`]: tactic proofs mined from Lean sources (`steps` splits
//!   a tactic block as Lean's parser does); a Lake project's names, and its proofs' steps
//!   for retrieval.

pub mod answer;
pub mod baseline;
pub mod benchmark;
pub mod context;
pub mod corpus;
pub mod dataset;
pub mod eval;
pub mod generate;
pub mod goal;
pub mod guided;
pub mod index;
pub mod memory;
pub mod mine;
pub mod ngram;
pub mod normalise;
pub mod numeric;
pub mod project;
pub mod retrieval;
pub mod scope;
pub mod step_classes;
pub mod step_features;
pub mod step_manifest;
mod steps;
pub mod style;
pub mod tactic_names;
pub mod template;

#[cfg(feature = "model")]
#[path = "model/mod.rs"]
pub mod model;
#[cfg(not(feature = "model"))]
#[path = "model_disabled.rs"]
pub mod model;

use serde::{Deserialize, Serialize};

/// One ranked tactic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub tactic: String,
    /// Higher is better; comparable only within one ranker's answer.
    pub score: f64,
    /// Which ranker proposed it (`model`, `retrieval`, `most-frequent`, `openai`).
    pub source: String,
}

/// Anything that ranks tactics for a goal (the goal text as Lean prints it).
pub trait Ranker {
    /// Best first, at most `k`, no duplicates.
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion>;
    /// The same, knowing the proof's earlier steps (a ranker that ignores them need not
    /// implement this).
    fn suggest_after(&self, goal: &str, previous: &[String], k: usize) -> Vec<Suggestion> {
        let _ = previous;
        self.suggest(goal, k)
    }
    /// At most `k` suggestions that `admits` lets through (the goal's scope check), best
    /// first. A ranker that knows the check ranks only what can be shown, so that a likely
    /// head whose best tactic names something out of scope is shown with one that does not;
    /// the default asks [`Ranker::suggest_after`] for [`SCOPE_HEADROOM`] times more and
    /// filters.
    fn suggest_in(
        &self,
        goal: &str,
        previous: &[String],
        k: usize,
        admits: Admits,
    ) -> Vec<Suggestion> {
        let mut list = self.suggest_after(goal, previous, k * SCOPE_HEADROOM);
        list.retain(|s| admits(&s.tactic));
        list.truncate(k);
        list
    }
    fn name(&self) -> &str;
}

/// A ranker told the scope check draws on this many times the candidates it shows (the
/// check turns some away), as a list filtered afterwards was asked for this many more.
pub const SCOPE_HEADROOM: usize = 6;

/// Whether a tactic may be shown at the goal at hand (its scope check).
pub type Admits<'a> = &'a dyn Fn(&str) -> bool;

/// Admits everything: for lists that are checked later, or goals without a scope.
pub fn admit_all(_: &str) -> bool {
    true
}

/// Sorts best first and drops later duplicates (by whitespace-normalised text).
pub fn rank_dedup(mut list: Vec<Suggestion>, k: usize) -> Vec<Suggestion> {
    list.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut seen = std::collections::HashSet::new();
    list.retain(|s| seen.insert(normalise::collapse_ws(&s.tactic)));
    list.truncate(k);
    list
}

/// The head word of a tactic (`nlinarith [sq_nonneg x]` → `nlinarith`).
pub fn tactic_head(tactic: &str) -> &str {
    let t = tactic.trim();
    let end = t
        .find(|c: char| c.is_whitespace() || c == '[' || c == '(' || c == ';' || c == '<')
        .unwrap_or(t.len());
    &t[..end]
}

/// Why the model could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    #[error(
        "this build of theorist has no tactic model (rebuild with `--features model`, libtorch 2.11.0)"
    )]
    Disabled,
    #[error("cannot read the model weights {path}: {detail}")]
    Weights {
        path: std::path::PathBuf,
        detail: String,
    },
    #[error("{0}")]
    Torch(String),
}

/// The seed and size of the generated corpus the shipped ranker and the runtime retrieval
/// baseline are built from (`theorist model train` defaults).
pub const DEFAULT_SEED: u64 = 20261201;
pub const DEFAULT_THEOREMS: usize = 6000;

/// The training examples the retrieval baseline remembers at run time: the generated corpus's
/// train split (a few milliseconds to rebuild, so nothing is shipped for it).
pub fn baseline_examples() -> Vec<corpus::Example> {
    corpus::generated(DEFAULT_SEED, DEFAULT_THEOREMS)
        .into_iter()
        .filter(|e| e.split == corpus::Split::Train)
        .collect()
}

/// Training settings; the defaults are the shipped model's.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub seed: u64,
    pub epochs: usize,
    pub batch: usize,
    pub lr: f64,
    pub threads: i32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: crate::DEFAULT_SEED,
            epochs: 6,
            batch: 64,
            lr: 2e-3,
            threads: 2,
        }
    }
}

/// The step ranker's training settings (`model train --mined`); the defaults are the shipped
/// weights'.
#[derive(Debug, Clone)]
pub struct StepTrainConfig {
    pub seed: u64,
    pub epochs: usize,
    pub batch: usize,
    pub lr: f64,
    pub threads: i32,
    pub dim: i64,
    pub hidden: i64,
    pub limits: step_classes::ClassLimits,
}

impl Default for StepTrainConfig {
    fn default() -> Self {
        StepTrainConfig {
            seed: crate::DEFAULT_SEED,
            epochs: 4,
            batch: 512,
            lr: 3e-3,
            threads: 2,
            dim: 48,
            hidden: 256,
            limits: step_classes::ClassLimits::default(),
        }
    }
}
