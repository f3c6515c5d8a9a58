//! `theorist suggest FILE:LINE:COL` or `--goal TEXT`: ranked tactic suggestions for a goal.
//! The goal comes from Lean (`$/lean/plainGoal`) or from the command line; the ranker is the
//! model when this build has it, else the retrieval baseline, said so plainly.

use std::path::PathBuf;

use anyhow::{Context, bail};
use theorist_lean::{LeanPos, LeanServer, ServerConfig};
use theorist_tactics::{Ranker, Suggestion, rank_dedup};

use super::leanenv::{parse_position_target, project_of, read_lean_file, toolchain};
use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// FILE:LINE:COL (line 1-based, column 0-based): ask Lean for the goal there.
    #[arg(required_unless_present = "goal", conflicts_with = "goal")]
    pub position: Option<String>,
    /// The goal text itself, as Lean prints it (`\n` separates lines):
    /// "x : ℝ\n⊢ 0 ≤ x ^ 2".
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    /// How many suggestions.
    #[arg(long, default_value_t = 8, value_name = "K")]
    pub top: usize,
    #[command(flatten)]
    pub ranking: RankingArgs,
    /// Wall-clock limit for Lean to elaborate the file, in seconds.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    pub timeout: u64,
}

/// Where suggestions come from (shared with `prove`).
#[derive(Debug, Clone, clap::Args)]
pub struct RankingArgs {
    /// Model weights (.safetensors); default: the shipped models/tacrank.safetensors.
    #[arg(long, value_name = "PATH", env = "THEORIST_MODEL_WEIGHTS")]
    pub weights: Option<PathBuf>,
    /// Use the retrieval baseline even when the build has the model.
    #[arg(long)]
    pub baseline: bool,
    /// Extra candidates from a remote model: `openai=URL` (an OpenAI-compatible
    /// completions endpoint, e.g. http://localhost:8000/v1).
    #[arg(long, value_name = "KIND=URL")]
    pub backend: Option<String>,
    /// Remote backend: seconds per request.
    #[arg(long, default_value_t = 20, value_name = "SECS")]
    pub backend_timeout: u64,
}

/// The ranker chosen, and what to tell the user about it.
pub struct Rankers {
    pub local: Box<dyn Ranker>,
    /// `model`, or `retrieval baseline`.
    pub label: String,
    pub note: Option<String>,
    pub remote: Option<super::remote::Remote>,
}

impl Rankers {
    pub fn build(args: &RankingArgs) -> anyhow::Result<Rankers> {
        let remote = match &args.backend {
            Some(spec) => Some(super::remote::Remote::parse(spec, args.backend_timeout)?),
            None => None,
        };
        if theorist_tactics::model::AVAILABLE && !args.baseline {
            let path = args.weights.clone().unwrap_or_else(default_weights);
            let model = theorist_tactics::model::TacticModel::load(&path)
                .with_context(|| format!("loading the tactic model from {}", path.display()))?;
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
            if args.weights.is_some() {
                bail!(
                    "--weights needs the model, and {}",
                    theorist_tactics::ModelError::Disabled
                );
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
}

pub fn default_weights() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/tacrank.safetensors"
    ))
}

/// `\n` (backslash n) in a command-line goal means a line break.
pub fn goal_from_arg(s: &str) -> anyhow::Result<String> {
    let g = s.replace("\\n", "\n");
    if g.trim().is_empty() {
        bail!(
            "the goal is empty: give the goal as Lean prints it, e.g. --goal \"x : ℝ\\n⊢ 0 ≤ x ^ 2\""
        );
    }
    Ok(if g.contains('⊢') {
        g
    } else {
        format!("⊢ {}", g.trim())
    })
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    if args.top == 0 {
        bail!("--top must be at least 1");
    }
    let goal = match (&args.goal, &args.position) {
        (Some(g), _) => goal_from_arg(g)?,
        (None, Some(p)) => match goal_at(p, args.timeout, global)? {
            Ok(g) => g,
            Err(exit) => return Ok(exit),
        },
        (None, None) => bail!("give FILE:LINE:COL or --goal TEXT"),
    };
    let rankers = Rankers::build(&args.ranking)?;
    let list = rankers.suggest(&goal, args.top);
    let backend_errors = rankers
        .remote
        .as_ref()
        .map(|r| r.errors())
        .unwrap_or_default();
    for e in backend_errors.iter().take(3) {
        eprintln!("theorist: warning: openai backend: {e}");
    }
    if global.json {
        let value = serde_json::json!({
            "goal": goal,
            "ranker": rankers.label,
            "model_available": theorist_tactics::model::AVAILABLE,
            "note": rankers.note,
            "backend_errors": backend_errors,
            "suggestions": list,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        if let Some(note) = &rankers.note {
            eprintln!("theorist: {note}");
        }
        println!("suggestions from the {} for:\n{goal}\n", rankers.label);
        let width = list
            .iter()
            .map(|s| s.tactic.chars().count())
            .max()
            .unwrap_or(0);
        for (i, s) in list.iter().enumerate() {
            println!(
                "{:>2}. {:<width$}  {:>7.4}  {}",
                i + 1,
                s.tactic,
                s.score,
                s.source
            );
        }
    }
    Ok(Exit::Passed)
}

/// The first goal Lean reports at `FILE:LINE:COL`; `Err(exit)` when there is no toolchain.
fn goal_at(
    position: &str,
    timeout: u64,
    global: &GlobalArgs,
) -> anyhow::Result<Result<String, Exit>> {
    let (file, line, column) = parse_position_target(position)?;
    let text = read_lean_file(&file)?;
    let lines = text.split('\n').count() as u32;
    if line > lines {
        bail!(
            "{}: line {line} is past the end of the file ({lines} lines)",
            file.display()
        );
    }
    let project = project_of(&file)?;
    super::runtime()?.block_on(async {
        let timeout = std::time::Duration::from_secs(timeout);
        let toolchain = match toolchain(project, global, timeout).await? {
            Ok(t) => t,
            Err(exit) => return Ok(Err(exit)),
        };
        let server = LeanServer::start(
            &toolchain,
            ServerConfig {
                file_timeout: timeout,
                request_timeout: timeout,
                ..ServerConfig::default()
            },
        )
        .await?;
        let mut doc = server.open(&file, text).await?;
        server.wait_for_diagnostics(&mut doc).await?;
        let goal = server.plain_goal(&doc, LeanPos { line, column }).await?;
        server.close(&doc).await?;
        server.shutdown().await;
        match goal {
            Some(g) if !g.goals.is_empty() => Ok(Ok(g.goals[0].clone())),
            Some(_) => bail!(
                "{}:{line}:{column}: no goals there (the proof is already complete)",
                file.display()
            ),
            None => bail!(
                "{}:{line}:{column}: Lean reports no tactic goal there (not inside a `by` block?)",
                file.display()
            ),
        }
    })
}
