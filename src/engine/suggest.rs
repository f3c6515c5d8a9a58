//! Ranked tactic suggestions for a goal. The goal comes from Lean (`$/lean/plainGoal` at a
//! position) or is given as text; the ranker is the model when this build has it, else the
//! retrieval baseline, said so plainly; a remote OpenAI-compatible backend can add
//! candidates.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use theorist_tactics::{Ranker, Suggestion, rank_dedup};

use super::EngineError;
use super::goals::{GoalsRequest, ask_at};
use super::lean::{LeanSetup, PositionTarget};
use super::remote::Remote;

/// Where suggestions come from (shared by `suggest` and `prove`).
#[derive(Debug, Clone, Default)]
pub struct RankingOptions {
    /// Model weights (.safetensors); default: the shipped models/tacrank.safetensors.
    pub weights: Option<PathBuf>,
    /// Use the retrieval baseline even when the build has the model.
    pub baseline: bool,
    /// Extra candidates from a remote model: `openai=URL`.
    pub backend: Option<String>,
    /// Remote backend: seconds per request.
    pub backend_timeout_secs: u64,
}

/// The ranker chosen, and what to tell the user about it.
pub struct Rankers {
    pub local: Box<dyn Ranker>,
    /// `model (…)`, or `retrieval baseline`.
    pub label: String,
    pub note: Option<String>,
    pub remote: Option<Remote>,
}

impl Rankers {
    pub fn build(options: &RankingOptions) -> Result<Rankers, EngineError> {
        let remote = match &options.backend {
            Some(spec) => Some(Remote::parse(spec, options.backend_timeout_secs)?),
            None => None,
        };
        if theorist_tactics::model::AVAILABLE && !options.baseline {
            let path = options.weights.clone().unwrap_or_else(default_weights);
            let model = theorist_tactics::model::TacticModel::load(&path).map_err(|source| {
                EngineError::Model {
                    doing: format!("loading the tactic model from {}", path.display()),
                    source,
                }
            })?;
            let label = format!("model ({})", model.device());
            return Ok(Rankers {
                local: Box::new(model),
                label,
                note: None,
                remote,
            });
        }
        let note = if theorist_tactics::model::AVAILABLE {
            "the retrieval baseline (nearest neighbour), as asked with --baseline".to_string()
        } else {
            if options.weights.is_some() {
                return Err(EngineError::bad_input(format!(
                    "--weights needs the model, and {}",
                    theorist_tactics::ModelError::Disabled
                )));
            }
            "this build has no tactic model (rebuild with `--features model`); these come from \
             the retrieval baseline (nearest neighbour over generated goals), not from a model"
                .to_string()
        };
        let examples = theorist_tactics::baseline_examples();
        Ok(Rankers {
            local: Box::new(theorist_tactics::baseline::Retrieval::train(&examples)),
            label: "retrieval baseline".into(),
            note: Some(note),
            remote,
        })
    }

    /// Local suggestions, then the remote ones merged in (best first, deduplicated).
    pub fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        let mut list = self.local.suggest(goal, k);
        if let Some(remote) = &self.remote {
            list.extend(remote.suggest(goal, k));
        }
        rank_dedup(list, k)
    }

    /// The remote backend's errors so far (for the user).
    pub fn backend_errors(&self) -> Vec<String> {
        self.remote.as_ref().map(|r| r.errors()).unwrap_or_default()
    }
}

/// The shipped weights.
pub fn default_weights() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/tacrank.safetensors"
    ))
}

/// A goal as Lean prints it; `\n` (backslash n) means a line break, and a goal without `⊢`
/// is the target alone.
pub fn goal_from_text(s: &str) -> Result<String, EngineError> {
    let g = s.replace("\\n", "\n");
    if g.trim().is_empty() {
        return Err(EngineError::bad_input(
            "the goal is empty: give the goal as Lean prints it, e.g. --goal \"x : ℝ\\n⊢ 0 ≤ x ^ 2\"",
        ));
    }
    Ok(if g.contains('⊢') {
        g
    } else {
        format!("⊢ {}", g.trim())
    })
}

/// Where the goal comes from.
#[derive(Debug, Clone)]
pub enum GoalSource {
    /// The goal text itself.
    Text(String),
    /// Ask Lean for the first goal at a position.
    At(PositionTarget),
}

#[derive(Debug, Clone)]
pub struct SuggestRequest {
    pub goal: GoalSource,
    /// How many suggestions.
    pub top: usize,
    pub ranking: RankingOptions,
    /// Wall-clock limit for every wait on Lean: the toolchain probe, the server's start, its
    /// requests and its elaboration of the file.
    pub timeout: Duration,
    /// Which Lean, and how it is confined.
    pub lean: LeanSetup,
}

/// Ranked tactics for one goal.
#[derive(Debug, Clone)]
pub struct SuggestReport {
    pub goal: String,
    pub ranker: String,
    pub note: Option<String>,
    pub backend_errors: Vec<String>,
    pub suggestions: Vec<Suggestion>,
}

impl SuggestReport {
    /// The `suggest --json` document.
    pub fn to_json(&self) -> Value {
        json!({
            "goal": self.goal,
            "ranker": self.ranker,
            "model_available": theorist_tactics::model::AVAILABLE,
            "note": self.note,
            "backend_errors": self.backend_errors,
            "suggestions": self.suggestions,
        })
    }
}

/// Runs on a multi-threaded runtime (the ranker blocks its thread with `block_in_place`).
pub async fn suggest(request: &SuggestRequest) -> Result<SuggestReport, EngineError> {
    if request.top == 0 {
        return Err(EngineError::bad_input("--top must be at least 1"));
    }
    let goal = match &request.goal {
        GoalSource::Text(text) => goal_from_text(text)?,
        GoalSource::At(at) => goal_at(at, request).await?,
    };
    let ranking = request.ranking.clone();
    let top = request.top;
    tokio::task::block_in_place(move || {
        let rankers = Rankers::build(&ranking)?;
        let suggestions = rankers.suggest(&goal, top);
        Ok(SuggestReport {
            goal,
            backend_errors: rankers.backend_errors(),
            ranker: rankers.label,
            note: rankers.note,
            suggestions,
        })
    })
}

/// The first goal Lean reports at the position.
async fn goal_at(at: &PositionTarget, request: &SuggestRequest) -> Result<String, EngineError> {
    let (_, goal, _) = ask_at(&GoalsRequest {
        at: at.clone(),
        memory_mb: None,
        timeout: request.timeout,
        lean: request.lean.clone(),
    })
    .await?;
    let (file, line, column) = (at.file.display(), at.line, at.column);
    match goal {
        Some(g) if !g.goals.is_empty() => Ok(g.goals[0].clone()),
        Some(_) => Err(EngineError::bad_input(format!(
            "{file}:{line}:{column}: no goals there (the proof is already complete)"
        ))),
        None => Err(EngineError::bad_input(format!(
            "{file}:{line}:{column}: Lean reports no tactic goal there (not inside a `by` block?)"
        ))),
    }
}
