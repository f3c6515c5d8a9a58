//! `theorist suggest FILE:LINE:COL` or `--goal TEXT`: ranked tactic suggestions for a goal,
//! numerics first (a certificate's hint, or "false at this point"), every one in scope.

use std::path::PathBuf;

use anyhow::bail;
use theorist_tactics::Suggestion;
use theorist_tactics::answer::Answer;

use super::{Exit, GlobalArgs};
use crate::engine::lean::parse_position_target;
use crate::engine::suggest::{GoalSource, RankingOptions, SuggestRequest, suggest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// FILE:LINE:COL (line 1-based, column 0-based): ask Lean for the goal there.
    #[arg(required_unless_present = "goal", conflicts_with = "goal")]
    pub position: Option<String>,
    /// The goal text itself, as Lean prints it (`\n` separates lines):
    /// "x : ℝ\n⊢ 0 ≤ x ^ 2".
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    /// With --goal: a folder of the Lake project whose names the suggestions may use (its
    /// files and `.lake/packages`); default: the current folder's project, if any.
    #[arg(long, value_name = "DIR", requires = "goal")]
    pub project: Option<PathBuf>,
    /// How many suggestions.
    #[arg(long, default_value_t = 8, value_name = "K")]
    pub top: usize,
    #[command(flatten)]
    pub ranking: RankingArgs,
    /// Wall-clock limit, in seconds, for every wait on Lean (the toolchain probe, the
    /// server's start, its requests and its elaboration of the file).
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    pub timeout: u64,
}

/// Where suggestions come from (shared with `prove`).
#[derive(Debug, Clone, clap::Args)]
pub struct RankingArgs {
    /// Model weights (.safetensors); default: the shipped models/steprank.safetensors.
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
    /// Do not ask the numerics engine first (certificate hints, counterexamples).
    #[arg(long)]
    pub no_numerics: bool,
}

impl RankingArgs {
    pub fn options(&self) -> RankingOptions {
        RankingOptions {
            weights: self.weights.clone(),
            baseline: self.baseline,
            backend: self.backend.clone(),
            backend_timeout_secs: self.backend_timeout,
            no_numerics: self.no_numerics,
        }
    }
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let goal = match (args.goal, &args.position) {
        (Some(g), _) => GoalSource::Text(g),
        (None, Some(p)) => GoalSource::At(parse_position_target(p)?),
        (None, None) => bail!("give FILE:LINE:COL or --goal TEXT"),
    };
    let request = SuggestRequest {
        goal,
        project: args.project.or_else(|| std::env::current_dir().ok()),
        top: args.top,
        ranking: args.ranking.options(),
        timeout: std::time::Duration::from_secs(args.timeout),
        lean: super::leanenv::lean_setup(global),
    };
    let report = super::runtime()?.block_on(suggest(&request))?;
    for e in report.backend_errors.iter().take(3) {
        eprintln!("theorist: warning: openai backend: {e}");
    }
    let exit = if report.is_false() {
        Exit::CheckFailed
    } else {
        Exit::Passed
    };
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
        return Ok(exit);
    }
    match &report.answer {
        Answer::False {
            counterexample,
            certified_by,
        } => {
            println!("the goal is false: its hypotheses hold and its target fails at");
            for (name, value) in counterexample {
                println!("  {name} := {value}");
            }
            println!(
                "(certified by {certified_by}; no tactic can prove it)\n{}",
                report.goal
            );
        }
        Answer::Suggestions {
            suggestions,
            out_of_scope_dropped,
            numerics,
        } => {
            for note in [&report.note, &report.names_note].into_iter().flatten() {
                eprintln!("theorist: {note}");
            }
            println!(
                "suggestions from the {} for:\n{}\n",
                report.ranker, report.goal
            );
            print_list(suggestions);
            if suggestions.is_empty() {
                println!("(no suggestion in scope)");
            }
            if let Some(why) = numerics {
                eprintln!("theorist: numerics: {why}");
            }
            if *out_of_scope_dropped > 0 {
                eprintln!(
                    "theorist: {out_of_scope_dropped} candidate(s) naming something out of scope were not shown"
                );
            }
        }
    }
    Ok(exit)
}

fn print_list(list: &[Suggestion]) {
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
