//! `theorist model eval` and `theorist model train`: the tactic ranker against its two
//! baselines (most frequent tactic, nearest-neighbour retrieval) on the held-out split of the
//! generated corpus and library (split by theorem), and on the first tactics of the real
//! miniF2F-valid proofs; plus the normaliser's agreement on the real statement/goal pairs.

use std::path::PathBuf;

use anyhow::Context;
use theorist_tactics::baseline::{MostFrequent, Retrieval};
use theorist_tactics::corpus::{self, Example, Split};
use theorist_tactics::eval::{Metrics, evaluate};
use theorist_tactics::{DEFAULT_SEED, DEFAULT_THEOREMS, Ranker};

use super::suggest::default_weights;
use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Evaluate the model and both baselines on the held-out split and on miniF2F-valid.
    Eval(EvalArgs),
    /// Train the model (feature `model`): seeded, writes .safetensors and a manifest.
    Train(TrainArgs),
}

#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// The real data folder (deepseek-prover-v1.5/*.jsonl).
    #[arg(
        long,
        value_name = "DIR",
        env = "THEORIST_MODEL_DATA",
        default_value = "../shared/model-data"
    )]
    pub model_data: PathBuf,
    /// Our Lean library, whose first proof steps join the corpus.
    #[arg(long, value_name = "DIR", default_value = "lean")]
    pub library: PathBuf,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Generated theorems.
    #[arg(long, default_value_t = DEFAULT_THEOREMS)]
    pub theorems: usize,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Model weights (default: the shipped models/tacrank.safetensors).
    #[arg(long, value_name = "PATH")]
    pub weights: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write the weights.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "models/tacrank.safetensors"
    )]
    pub out: PathBuf,
    #[arg(long, default_value_t = 6)]
    pub epochs: usize,
    /// CPU threads for libtorch.
    #[arg(long, default_value_t = 2)]
    pub threads: i32,
}

/// The corpus: (train, held out).
pub fn corpus(data: &DataArgs) -> (Vec<Example>, Vec<Example>) {
    let mut all = corpus::generated(data.seed, data.theorems);
    all.extend(corpus::library(&data.library));
    all.into_iter().partition(|e| e.split == Split::Train)
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    match cmd {
        Command::Eval(args) => eval(args, global),
        Command::Train(args) => train(args, global),
    }
}

fn eval(args: EvalArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (train, heldout) = corpus(&args.data);
    let minif2f = corpus::minif2f_valid(&args.data.model_data).with_context(|| {
        format!(
            "reading miniF2F-valid from {} (set --model-data)",
            args.data.model_data.display()
        )
    })?;
    let pairs = corpus::statement_goal_pairs(&args.data.model_data)?;
    let (ours, naive, n_pairs) = corpus::normaliser_agreement(&pairs);
    let most = MostFrequent::train(&train);
    let retrieval = Retrieval::train(&train);
    let model = if theorist_tactics::model::AVAILABLE {
        let path = args.weights.clone().unwrap_or_else(default_weights);
        Some(
            theorist_tactics::model::TacticModel::load(&path)
                .with_context(|| format!("loading the tactic model from {}", path.display()))?,
        )
    } else {
        None
    };
    let mut rankers: Vec<&dyn Ranker> = vec![&most, &retrieval];
    if let Some(m) = &model {
        rankers.push(m);
    }
    let names = theorist_tactics::index::NameIndex::new();
    let held: Vec<Metrics> = rankers
        .iter()
        .map(|r| evaluate(*r, &heldout, &names))
        .collect();
    let real: Vec<Metrics> = rankers
        .iter()
        .map(|r| evaluate(*r, &minif2f, &names))
        .collect();
    let beats = model.as_ref().map(|_| {
        let m = &held[2];
        let better = |b: &Metrics| m.mrr > b.mrr && m.exact_top1 > b.exact_top1;
        better(&held[0]) && better(&held[1])
    });
    if global.json {
        let value = serde_json::json!({
            "schema": "theorist.model-eval/1",
            "train_examples": train.len(),
            "heldout_examples": heldout.len(),
            "heldout": held,
            "minif2f_valid_first_tactic": real,
            "normaliser": {"pairs": n_pairs, "exact_ours": ours, "exact_naive": naive},
            "model_available": model.is_some(),
            "model_beats_baselines": beats,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!(
            "corpus: {} train / {} held-out examples (split by theorem); seed {}",
            train.len(),
            heldout.len(),
            args.data.seed
        );
        print_table("held-out split", &held);
        print_table("miniF2F-valid first tactics (real proofs)", &real);
        println!(
            "\nnormaliser: statement→goal exact on {ours}/{n_pairs} real pairs (naive rewrite: {naive}/{n_pairs})"
        );
        match beats {
            Some(true) => {
                println!("the model beats both baselines (MRR and exact top-1, held-out)")
            }
            Some(false) => println!("the model does NOT beat both baselines on the held-out split"),
            None => eprintln!(
                "theorist: {}; only the baselines were evaluated",
                theorist_tactics::ModelError::Disabled
            ),
        }
    }
    Ok(match beats {
        Some(true) => Exit::Passed,
        Some(false) => Exit::CheckFailed,
        None => Exit::Usage,
    })
}

fn print_table(title: &str, rows: &[Metrics]) {
    println!("\n{title}:");
    println!(
        "  {:<14} {:>6} {:>9} {:>9} {:>9} {:>10} {:>7} {:>13} {:>8}",
        "ranker", "n", "head@1", "head@5", "exact@1", "exact@10", "MRR", "closes@1", "ms/goal"
    );
    for m in rows {
        println!(
            "  {:<14} {:>6} {:>8.1}% {:>8.1}% {:>8.1}% {:>9.1}% {:>7.3} {:>6.1}% (n={:<3}) {:>7.2}",
            m.ranker,
            m.n,
            100.0 * m.head_top1,
            100.0 * m.head_top5,
            100.0 * m.exact_top1,
            100.0 * m.exact_top10,
            m.mrr,
            100.0 * m.closes_top1,
            m.closes_n,
            m.ms_per_goal
        );
    }
}

#[cfg(feature = "model")]
fn train(args: TrainArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (train, heldout) = corpus(&args.data);
    let config = theorist_tactics::model::TrainConfig {
        seed: args.data.seed,
        epochs: args.epochs,
        threads: args.threads,
        ..Default::default()
    };
    let summary = theorist_tactics::model::train(&train, &heldout, &config, &args.out)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        println!("weights written to {}", args.out.display());
    }
    Ok(Exit::Passed)
}

#[cfg(not(feature = "model"))]
fn train(_args: TrainArgs, _global: &GlobalArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("{}", theorist_tactics::ModelError::Disabled)
}
