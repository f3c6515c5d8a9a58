//! Tactic ranking for an open Lean goal. Backends: the libtorch model (feature `torch`), the
//! nearest-neighbour retrieval and frequency baselines (always built), and a remote
//! OpenAI-compatible completions endpoint (`remote`). The proof search in `theorist-prove`
//! consumes [`Suggestion`]s from any of them.
//!
//! Contract shared with `theorist-prove` (keep it stable): [`Suggestion`], [`Source`],
//! [`TacticRanker`].

pub mod remote;

use serde::{Deserialize, Serialize};

/// One ranked proof step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The tactic text, ready to put after `by` (may span lines).
    pub tactic: String,
    /// Higher is better; scores are comparable within one ranker's answer only.
    pub score: f64,
    /// Which backend proposed it.
    pub source: Source,
}

/// Where a suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The trained libtorch model.
    Model,
    /// Nearest-neighbour retrieval over the training corpus.
    Retrieval,
    /// The most-frequent-tactic baseline.
    Frequency,
    /// A remote completions endpoint.
    Remote,
}

/// Ranks tactics for a goal (the pretty-printed Lean goal state, hypotheses then `⊢ target`).
/// Synchronous and CPU/GPU bound: async callers run it on a blocking thread.
pub trait TacticRanker: Send + Sync {
    /// Up to `k` suggestions, best first.
    fn rank(&self, goal: &str, k: usize) -> Result<Vec<Suggestion>, ModelError>;
    /// A short description for reports ("torch model 3.1M params on cuda:0", …).
    fn describe(&self) -> String;
}

/// Errors at the model boundary. Extend as backends need; keep variants structured.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    #[error("the goal is empty")]
    EmptyGoal,
    #[error("this build of theorist has no libtorch model (rebuild with `--features model`)")]
    FeatureDisabled,
    #[error("cannot read model weights {path}: {reason}")]
    Weights { path: std::path::PathBuf, reason: String },
    #[error("remote backend {url}: {reason}")]
    Remote { url: String, reason: String },
    #[error("{0}")]
    Other(String),
}
