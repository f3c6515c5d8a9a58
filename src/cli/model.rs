//! `theorist model mine|eval|train`: mine tactic proofs from Lean sources, evaluate the tactic
//! ranker against its baselines (most frequent tactic, the fixed closer list, retrieval), and
//! train it. The work is `engine::model`'s; this parses and prints.

use std::path::PathBuf;

use theorist_tactics::benchmark::BenchReport;
use theorist_tactics::eval::{Metrics, Rate};
use theorist_tactics::{DEFAULT_SEED, DEFAULT_THEOREMS, StepTrainConfig};

use super::{Exit, GlobalArgs};
use crate::engine::model::{
    DataOptions, EvalReport, EvalRequest, MineReport, MineRequest, MinedEvalRequest,
    MinedTrainRequest, SourceSpec, TrainRequest, eval, eval_mined, mine,
};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Mine the tactic proofs of Lean sources (a Lake project and its `.lake/packages`).
    Mine(MineArgs),
    /// Evaluate the model and the baselines: on the held-out generated split and
    /// miniF2F-valid, or on mined proofs (`--mined`).
    Eval(EvalArgs),
    /// Train a model (feature `model`): StepRank on mined proofs (`--mined`), else TacRank on
    /// the generated corpus; seeded, writes .safetensors and a manifest.
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

impl DataArgs {
    fn options(&self) -> DataOptions {
        DataOptions {
            model_data: self.model_data.clone(),
            library: self.library.clone(),
            seed: self.seed,
            theorems: self.theorems,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Model weights (default: the shipped models/steprank.safetensors with --mined,
    /// models/tacrank.safetensors without).
    #[arg(long, value_name = "PATH")]
    pub weights: Option<PathBuf>,
    /// A folder of the Lake project whose sources (its files and `.lake/packages`) confirm
    /// library names for the scope check; default: the current folder's project.
    #[arg(long, value_name = "DIR")]
    pub names_from: Option<PathBuf>,
    /// Evaluate on mined real proofs (`model mine` outputs, read as one set) instead:
    /// held-out repositories and PhysLean files, first tactic and later steps, 95% intervals.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub mined: Vec<PathBuf>,
    /// With --mined: at most this many steps per set and kind (drawn with --seed).
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub cap: usize,
    /// With --mined: hold out these repositories (OWNER/NAME, repeatable) instead of the
    /// default draw.
    #[arg(long = "heldout", value_name = "OWNER/NAME")]
    pub heldout: Vec<String>,
    /// With --mined: evaluate on development files of the training repositories (one file
    /// in 20) instead of the held-out sets, to choose settings without seeing those.
    #[arg(long)]
    pub dev: bool,
    /// With --mined: share of the model's scores that comes from its learned prior (the
    /// rest from retrieval's neighbours); several (`0.3,0.5`) evaluate the model once per
    /// share, to choose one with --dev.
    #[arg(long, value_delimiter = ',', value_name = "W[,W…]")]
    pub mix: Vec<f64>,
    /// With --mined: how many pseudo-steps of the libraries' style the project's own style
    /// is smoothed with before it reweighs the model's heads (`inf`: not at all); several
    /// evaluate the model once per strength, to choose one with --dev.
    #[arg(long = "style-strength", value_delimiter = ',', value_name = "A[,A…]")]
    pub style_strength: Vec<f64>,
    /// With --mined: the similarity (0 to 1, or `inf`: never) at or above which the nearest
    /// remembered step's tactic is shown first; several evaluate the model once per value.
    #[arg(long = "copy-above", value_delimiter = ',', value_name = "S[,S…]")]
    pub copy_above: Vec<f64>,
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Train StepRank on mined proofs (`model mine` outputs, read as one set), on the
    /// training part of the split `model eval --mined` uses.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub mined: Vec<PathBuf>,
    /// With --mined: hold out these repositories (OWNER/NAME, repeatable) instead of the
    /// default draw.
    #[arg(long = "heldout", value_name = "OWNER/NAME")]
    pub heldout: Vec<String>,
    /// Where to write the weights (default: models/steprank.safetensors with --mined,
    /// models/tacrank.safetensors without).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Passes over the training data (default: 4 with --mined, 6 without).
    #[arg(long)]
    pub epochs: Option<usize>,
    /// CPU threads for libtorch.
    #[arg(long, default_value_t = 2)]
    pub threads: i32,
}

#[derive(Debug, clap::Args)]
pub struct MineArgs {
    /// Folders of Lean sources: a Lake project (its `.lake/packages` are mined too, each as a
    /// repository of its own) or any folder. `DIR=OWNER/NAME@COMMIT` labels a folder that is
    /// not a git checkout.
    #[arg(required = true, value_name = "DIR[=OWNER/NAME[@COMMIT]]")]
    pub dirs: Vec<String>,
    /// Where to write the proofs (JSON lines); the sources' manifest goes beside it
    /// (`NAME.sources.json`).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Do not mine `.lake/packages`.
    #[arg(long)]
    pub no_packages: bool,
    /// Record Lean's goal before every step (`$/lean/plainGoal`; needs a Lean toolchain).
    #[arg(long)]
    pub trace: bool,
    /// With `--trace`: seconds Lean may take to elaborate one file.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    pub timeout: u64,
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    match cmd {
        Command::Mine(args) => run_mine(args, global),
        Command::Eval(args) if !args.mined.is_empty() => run_eval_mined(args, global),
        Command::Eval(args) => run_eval(args, global),
        Command::Train(args) => train(args, global),
    }
}

fn run_mine(args: MineArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let request = MineRequest {
        sources: args.dirs.iter().map(|d| SourceSpec::parse(d)).collect(),
        out: args.out,
        packages: !args.no_packages,
        trace: args.trace,
        file_timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        lean: super::leanenv::lean_setup(global),
    };
    let report = super::runtime()?.block_on(mine(&request))?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print_mined(&report);
    }
    Ok(Exit::Passed)
}

fn print_mined(report: &MineReport) {
    println!(
        "{:<44} {:>6} {:>8} {:>8} {:>7} {:>8} {:>8}",
        "repository", "files", "tactic", "term", "have", "steps", "traced"
    );
    for r in &report.sources {
        println!(
            "{:<44} {:>6} {:>8} {:>8} {:>7} {:>8} {:>8}",
            r.source.repo,
            r.stats.files,
            r.stats.tactic_proofs,
            r.stats.term_proofs,
            r.stats.have_proofs,
            r.stats.steps,
            r.traced_steps
        );
    }
    for (file, why) in report.untraced_files.iter().take(5) {
        eprintln!("theorist: not traced: {}: {why}", file.display());
    }
    println!(
        "{} proofs written to {} (sources: {})",
        report.proofs,
        report.out.display(),
        report.manifest.display()
    );
}

fn run_eval(args: EvalArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let request = EvalRequest {
        data: args.data.options(),
        weights: args.weights,
        names_from: args.names_from.or_else(|| std::env::current_dir().ok()),
    };
    let report = eval(&request)?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print_eval(&report);
    }
    Ok(match report.model_beats_baselines {
        Some(true) => Exit::Passed,
        Some(false) => Exit::CheckFailed,
        None => Exit::Usage,
    })
}

fn print_eval(report: &EvalReport) {
    println!(
        "corpus: {} train / {} held-out examples (split by theorem); seed {}",
        report.train_examples, report.heldout_examples, report.seed
    );
    print_table("held-out split", &report.heldout);
    print_table("miniF2F-valid first tactics (real proofs)", &report.minif2f);
    let names = match &report.names {
        Some(i) if i.mathlib => {
            format!("{} names of {} and its packages", i.names, i.root.display())
        }
        Some(i) => format!(
            "{} names of {} (no Mathlib sources: no Mathlib lemma is confirmed)",
            i.names,
            i.root.display()
        ),
        None => "Lean core's names only (no Lake project)".to_string(),
    };
    println!(
        "\nscope check ({names}): the authors' own tactics pass it on {:.1}% (held-out) and {:.1}% (miniF2F-valid) of goals",
        100.0 * report.gold_in_scope.0,
        100.0 * report.gold_in_scope.1
    );
    let (ours, naive, pairs) = report.normaliser;
    println!(
        "\nnormaliser: statement→goal exact on {ours}/{pairs} real pairs (naive rewrite: {naive}/{pairs})"
    );
    match report.model_beats_baselines {
        Some(true) => println!("the model beats every baseline (MRR and exact top-1, held-out)"),
        Some(false) => println!("the model does NOT beat every baseline on the held-out split"),
        None => eprintln!(
            "theorist: {}; only the baselines were evaluated",
            theorist_tactics::ModelError::Disabled
        ),
    }
}

fn print_table(title: &str, rows: &[Metrics]) {
    println!("\n{title}:");
    println!(
        "  {:<14} {:>6} {:>9} {:>9} {:>9} {:>10} {:>7} {:>13} {:>8} {:>18}",
        "ranker",
        "n",
        "head@1",
        "head@5",
        "exact@1",
        "exact@10",
        "MRR",
        "closes@1",
        "ms/goal",
        "in scope raw/shown"
    );
    for m in rows {
        println!(
            "  {:<14} {:>6} {:>8.1}% {:>8.1}% {:>8.1}% {:>9.1}% {:>7.3} {:>6.1}% (n={:<3}) {:>7.2} {:>9.1}%/{:.1}%",
            m.ranker,
            m.n,
            100.0 * m.head_top1,
            100.0 * m.head_top5,
            100.0 * m.exact_top1,
            100.0 * m.exact_top10,
            m.mrr,
            100.0 * m.closes_top1,
            m.closes_n,
            m.ms_per_goal,
            100.0 * m.in_scope_raw,
            100.0 * m.in_scope_shown
        );
    }
}

fn run_eval_mined(args: EvalArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let request = MinedEvalRequest {
        mined: args.mined,
        weights: args.weights,
        cap: args.cap,
        seed: args.data.seed,
        heldout_repos: (!args.heldout.is_empty()).then_some(args.heldout),
        dev: args.dev,
        mix: if args.mix.is_empty() {
            vec![theorist_tactics::guided::DEFAULT_WEIGHT]
        } else {
            args.mix.clone()
        },
        style_strength: if args.style_strength.is_empty() {
            vec![theorist_tactics::style::STRENGTH]
        } else {
            args.style_strength.clone()
        },
        copy_above: if args.copy_above.is_empty() {
            vec![theorist_tactics::guided::COPY_ABOVE]
        } else {
            args.copy_above.clone()
        },
    };
    if let Some(s) = args.copy_above.iter().find(|s| s.is_nan() || **s < 0.0) {
        anyhow::bail!(crate::engine::EngineError::bad_input(format!(
            "--copy-above {s} is not a similarity (0 to 1, or inf for never)"
        )));
    }
    if let Some(a) = args.style_strength.iter().find(|a| a.is_nan() || **a < 0.0) {
        anyhow::bail!(crate::engine::EngineError::bad_input(format!(
            "--style-strength {a} is not a number of steps (0 or more, or inf)"
        )));
    }
    if let Some(w) = args.mix.iter().find(|w| !(0.0..=1.0).contains(*w)) {
        anyhow::bail!(crate::engine::EngineError::bad_input(format!(
            "--mix {w} is not between 0 and 1"
        )));
    }
    if !global.json {
        eprintln!(
            "theorist: indexing the names of the mined sources (cached beside the first file)"
        );
    }
    let report = eval_mined(&request)?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_bench(&report);
    }
    Ok(Exit::Passed)
}

fn print_bench(report: &BenchReport) {
    println!(
        "split: {:?}; {} training proofs dropped as near-duplicates of held-out ones ({} left across the split); {} training steps, {} remembered by retrieval; seed {}",
        report.split.proofs,
        report.split.near_duplicates_dropped,
        report.cross_split_near_duplicates,
        report.train_steps,
        report.retrieval_memory,
        report.seed
    );
    println!("held out (proofs, first tactics, later steps):");
    for h in &report.heldout {
        println!(
            "  {} @ {}: {} proofs, {} first, {} later",
            h.repo,
            h.commit.as_deref().map_or("?", |c| &c[..c.len().min(8)]),
            h.proofs,
            h.first_steps,
            h.later_steps
        );
    }
    let rate = |x: &Rate| {
        format!(
            "{:>5.1}% [{:>4.1}–{:>4.1}]",
            100.0 * x.rate,
            100.0 * x.low,
            100.0 * x.high
        )
    };
    for set in report.sets.iter().filter(|s| s.available > 0) {
        println!(
            "\n{} — {} (n = {} of {}; the authors' own steps pass the scope check on {:.1}%; \
             their template was seen in training on {:.1}%, which bounds exact@k)",
            set.set,
            set.kind,
            set.rankers.first().map_or(0, |r| r.n),
            set.available,
            100.0 * set.gold_in_scope,
            100.0 * set.gold_template_seen
        );
        println!(
            "  {:<14} {:>19} {:>19} {:>19} {:>19} {:>18}",
            "ranker", "exact@1", "exact@8", "head@1", "head@5", "in scope raw/shown"
        );
        for m in &set.rankers {
            println!(
                "  {:<14} {:>19} {:>19} {:>19} {:>19} {:>9.1}%/{:.1}%",
                m.ranker,
                rate(&m.exact_top1),
                rate(&m.exact_top8),
                rate(&m.head_top1),
                rate(&m.head_top5),
                100.0 * m.in_scope_raw,
                100.0 * m.in_scope_shown
            );
        }
    }
}

fn train(args: TrainArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    if !args.mined.is_empty() {
        return train_mined(args, global);
    }
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("models/tacrank.safetensors"));
    let summary = crate::engine::model::train(&TrainRequest {
        data: args.data.options(),
        out: out.clone(),
        epochs: args.epochs.unwrap_or(6),
        threads: args.threads,
    })?;
    println!("{}", serde_json::to_string_pretty(&summary)?);
    if !global.json {
        println!("weights written to {}", out.display());
    }
    Ok(Exit::Passed)
}

fn train_mined(args: TrainArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from("models/steprank.safetensors"));
    let defaults = StepTrainConfig::default();
    let manifest = crate::engine::model::train_mined(&MinedTrainRequest {
        mined: args.mined,
        out: out.clone(),
        heldout_repos: (!args.heldout.is_empty()).then_some(args.heldout),
        config: StepTrainConfig {
            seed: args.data.seed,
            epochs: args.epochs.unwrap_or(defaults.epochs),
            threads: args.threads,
            ..defaults
        },
    })?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&manifest)?);
    } else {
        println!(
            "StepRank: {} parameters, {} classes, {} training steps from {} repositories \
             ({} held out); development steps: head top-1 {:.1}%, top-5 {:.1}%; {:.0} s on {}",
            manifest.parameters,
            manifest.classes.len(),
            manifest.train_steps,
            manifest
                .provenance
                .sources
                .iter()
                .filter(|s| s.steps > 0)
                .count(),
            manifest.provenance.heldout_repos.len(),
            100.0 * manifest.dev_head_top1,
            100.0 * manifest.dev_head_top5,
            manifest.train_seconds,
            manifest.device
        );
        println!("weights written to {} (manifest beside it)", out.display());
    }
    Ok(Exit::Passed)
}
