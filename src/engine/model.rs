//! The tactic ranker's data and its evaluation: `model mine` (every tactic proof of Lean
//! sources, as data; with `trace`, Lean's own goal before each step through the language
//! server), `model eval` (the rankers against their baselines: on the generated corpus and
//! miniF2F-valid, or on mined proofs split honestly), and `model train`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::{LeanServer, ServerConfig};
use theorist_tactics::baseline::{MostFrequent, Retrieval};
use theorist_tactics::benchmark::{BenchOptions, BenchReport};
use theorist_tactics::corpus::{self, Example, Split};
use theorist_tactics::dataset::{SplitPlan, StepItem, is_dev_file};
use theorist_tactics::eval::{Metrics, evaluate, gold_in_scope};
use theorist_tactics::guided::StepPrior;
use theorist_tactics::index::{NameIndex, Package};
use theorist_tactics::mine::{MinedProof, Source, SourceRecord, mine_source, save};
use theorist_tactics::model::StepRank;
use theorist_tactics::project::IndexInfo;
use theorist_tactics::step_manifest::{Provenance, StepManifest, TrainedSource};
use theorist_tactics::{DEFAULT_SEED, DEFAULT_THEOREMS, Ranker, StepTrainConfig};

use super::EngineError;
use super::lean::{LeanSetup, project_of, resolve_toolchain};
use super::suggest::{default_step_weights, default_weights, library_names};

/// A folder to mine: `DIR`, labelled `OWNER/NAME` at `COMMIT` when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpec {
    pub dir: PathBuf,
    pub label: Option<String>,
    pub commit: Option<String>,
}

impl SourceSpec {
    /// `DIR`, `DIR=OWNER/NAME`, `DIR=OWNER/NAME@COMMIT`.
    pub fn parse(spec: &str) -> SourceSpec {
        let (dir, label) = match spec.split_once('=') {
            Some((dir, label)) => (dir, Some(label)),
            None => (spec, None),
        };
        let (label, commit) = match label.map(|l| l.split_once('@')) {
            Some(Some((name, commit))) => (Some(name), Some(commit)),
            Some(None) => (label, None),
            None => (None, None),
        };
        SourceSpec {
            dir: PathBuf::from(dir),
            label: label.map(str::to_string),
            commit: commit.map(str::to_string),
        }
    }
}

#[derive(Debug, Clone)]
pub struct MineRequest {
    pub sources: Vec<SourceSpec>,
    /// Where the proofs go (JSON lines); the sources' manifest beside it.
    pub out: PathBuf,
    /// Mine each project's `.lake/packages` too, each as a source of its own.
    pub packages: bool,
    /// Record Lean's goal before every step.
    pub trace: bool,
    /// With `trace`: how long Lean may take on one file.
    pub file_timeout: Duration,
    pub lean: LeanSetup,
}

/// What was mined, per source.
#[derive(Debug, Clone)]
pub struct MineReport {
    pub sources: Vec<SourceRecord>,
    pub proofs: usize,
    pub out: PathBuf,
    pub manifest: PathBuf,
    /// Files Lean could not elaborate while tracing (their steps stay untraced), with why.
    pub untraced_files: Vec<(PathBuf, String)>,
}

impl MineReport {
    pub fn to_json(&self) -> Value {
        json!({
            "schema": "theorist.model-mine/1",
            "out": self.out,
            "manifest": self.manifest,
            "proofs": self.proofs,
            "sources": self.sources,
            "untraced_files": self.untraced_files.iter().map(|(f, why)| json!({"file": f, "why": why})).collect::<Vec<_>>(),
        })
    }
}

/// Mines every source; with `trace`, asks Lean for the goal before each step (no toolchain is
/// [`EngineError::NoToolchain`], and nothing is written). Runs on a multi-threaded runtime.
pub async fn mine(request: &MineRequest) -> Result<MineReport, EngineError> {
    let mut sources = Vec::new();
    for spec in &request.sources {
        if !spec.dir.is_dir() {
            return Err(EngineError::bad_input(format!(
                "{}: no such folder",
                spec.dir.display()
            )));
        }
        let mut found = Source::project(&spec.dir, spec.label.as_deref(), spec.commit.as_deref());
        if !request.packages {
            found.truncate(1);
        }
        // A package is traced through the project that holds it.
        sources.extend(found.into_iter().map(|s| (s, spec.dir.clone())));
    }
    let mut all: Vec<MinedProof> = Vec::new();
    let mut records = Vec::new();
    let mut untraced_files = Vec::new();
    for (source, project_dir) in sources {
        let (mut proofs, stats) = tokio::task::block_in_place(|| mine_source(&source));
        let mut traced_steps = 0;
        if request.trace && !proofs.is_empty() {
            let stats = trace(request, &source, &project_dir, &mut proofs).await?;
            traced_steps = stats.traced;
            untraced_files.extend(stats.failed_files);
        }
        records.push(SourceRecord {
            source,
            stats,
            traced_steps,
        });
        all.extend(proofs);
    }
    save(&request.out, &all, &records)
        .map_err(|e| EngineError::bad_input(format!("writing {}: {e}", request.out.display())))?;
    Ok(MineReport {
        sources: records,
        proofs: all.len(),
        out: request.out.clone(),
        manifest: theorist_tactics::mine::manifest_path(&request.out),
        untraced_files,
    })
}

/// Lean's goal before each step of `proofs`, from one language server for the source.
async fn trace(
    request: &MineRequest,
    source: &Source,
    project_dir: &Path,
    proofs: &mut [MinedProof],
) -> Result<theorist_prove::trace::TraceStats, EngineError> {
    let project = project_of(project_dir)?;
    let toolchain = resolve_toolchain(project, &request.lean, request.file_timeout).await?;
    let server = LeanServer::start(
        &toolchain,
        ServerConfig {
            file_timeout: request.file_timeout,
            request_timeout: request.file_timeout,
            ..ServerConfig::default()
        },
    )
    .await
    .map_err(EngineError::lean(format!(
        "starting Lean's server for {}",
        project_dir.display()
    )))?;
    let stats = theorist_prove::trace::trace(&server, &source.root, proofs).await;
    server.shutdown().await;
    Ok(stats)
}

/// The generated corpus, our library and the real data (`model eval`, `model train`).
#[derive(Debug, Clone)]
pub struct DataOptions {
    /// The real data folder (deepseek-prover-v1.5/*.jsonl).
    pub model_data: PathBuf,
    /// Our Lean library, whose first proof steps join the corpus.
    pub library: PathBuf,
    pub seed: u64,
    /// Generated theorems.
    pub theorems: usize,
}

impl Default for DataOptions {
    fn default() -> Self {
        DataOptions {
            model_data: PathBuf::from("../shared/model-data"),
            library: PathBuf::from("lean"),
            seed: DEFAULT_SEED,
            theorems: DEFAULT_THEOREMS,
        }
    }
}

/// The corpus: (train, held out).
pub fn corpus(data: &DataOptions) -> (Vec<Example>, Vec<Example>) {
    let mut all = corpus::generated(data.seed, data.theorems);
    all.extend(corpus::library(&data.library));
    all.into_iter().partition(|e| e.split == Split::Train)
}

/// What to train the tactic model on, and where its weights go.
#[derive(Debug, Clone)]
pub struct TrainRequest {
    pub data: DataOptions,
    /// The weights (.safetensors); the manifest goes beside them.
    pub out: PathBuf,
    pub epochs: usize,
    /// CPU threads for libtorch.
    pub threads: i32,
}

/// Trains the model on the corpus's train split (seeded by `data.seed`), writes its weights
/// and manifest, and returns the manifest. In a build without feature `model` this is the
/// "rebuilt without feature `model`" error.
pub fn train(request: &TrainRequest) -> Result<theorist_tactics::model::Meta, EngineError> {
    let (train, heldout) = corpus(&request.data);
    let config = theorist_tactics::TrainConfig {
        seed: request.data.seed,
        epochs: request.epochs,
        threads: request.threads,
        ..Default::default()
    };
    theorist_tactics::model::train(&train, &heldout, &config, &request.out).map_err(|source| {
        EngineError::Model {
            doing: "training the tactic model".into(),
            source,
        }
    })
}

#[derive(Debug, Clone)]
pub struct EvalRequest {
    pub data: DataOptions,
    /// Model weights (default: the shipped ones), when this build has the model.
    pub weights: Option<PathBuf>,
    /// A folder of the Lake project whose sources name the library (for the scope check).
    pub names_from: Option<PathBuf>,
}

/// The rankers on the held-out split of the generated corpus and on miniF2F-valid.
#[derive(Debug, Clone)]
pub struct EvalReport {
    pub train_examples: usize,
    pub heldout_examples: usize,
    pub seed: u64,
    pub heldout: Vec<Metrics>,
    pub minif2f: Vec<Metrics>,
    /// The normaliser on real statement/goal pairs: (ours exact, naive exact, pairs).
    pub normaliser: (usize, usize, usize),
    /// Share of the authors' own tactics that pass the scope check: (held-out, miniF2F).
    pub gold_in_scope: (f64, f64),
    pub names: Option<IndexInfo>,
    pub model_available: bool,
    /// Whether the model beats both baselines (MRR and exact top-1, held out); `None`
    /// without the model.
    pub model_beats_baselines: Option<bool>,
}

impl EvalReport {
    pub fn to_json(&self) -> Value {
        let (ours, naive, pairs) = self.normaliser;
        json!({
            "schema": "theorist.model-eval/1",
            "train_examples": self.train_examples,
            "heldout_examples": self.heldout_examples,
            "heldout": self.heldout,
            "minif2f_valid_first_tactic": self.minif2f,
            "normaliser": {"pairs": pairs, "exact_ours": ours, "exact_naive": naive},
            "gold_in_scope": {"heldout": self.gold_in_scope.0, "minif2f_valid": self.gold_in_scope.1},
            "names": self.names,
            "model_available": self.model_available,
            "model_beats_baselines": self.model_beats_baselines,
        })
    }
}

fn load_model(
    weights: Option<&PathBuf>,
) -> Result<Option<theorist_tactics::model::TacticModel>, EngineError> {
    if !theorist_tactics::model::AVAILABLE {
        return Ok(None);
    }
    let path = weights.cloned().unwrap_or_else(default_weights);
    theorist_tactics::model::TacticModel::load(&path)
        .map(Some)
        .map_err(|source| EngineError::Model {
            doing: format!("loading the tactic model from {}", path.display()),
            source,
        })
}

/// The names the scope check confirms: the project around `names_from` (or none).
fn names_of(names_from: Option<&PathBuf>) -> Result<(NameIndex, Option<IndexInfo>), EngineError> {
    let root = match names_from {
        Some(dir) => Some(
            theorist_lean::Project::containing(dir)
                .map_err(|e| EngineError::BadInput(e.to_string()))?
                .root,
        ),
        None => None,
    };
    Ok(library_names(root.as_deref()))
}

/// `model eval` on the generated corpus and miniF2F-valid. Blocks its thread.
pub fn eval(request: &EvalRequest) -> Result<EvalReport, EngineError> {
    let data = &request.data;
    let (train, heldout) = corpus(data);
    let minif2f = corpus::minif2f_valid(&data.model_data).map_err(|e| {
        EngineError::bad_input(format!(
            "reading miniF2F-valid from {} (set --model-data): {e}",
            data.model_data.display()
        ))
    })?;
    let pairs = corpus::statement_goal_pairs(&data.model_data).map_err(|e| {
        EngineError::bad_input(format!(
            "reading {} (set --model-data): {e}",
            data.model_data.display()
        ))
    })?;
    let normaliser = corpus::normaliser_agreement(&pairs);
    let (names, info) = names_of(request.names_from.as_ref())?;
    let most = MostFrequent::train(&train);
    let retrieval = Retrieval::train(&train);
    let model = load_model(request.weights.as_ref())?;
    let mut rankers: Vec<&dyn Ranker> =
        vec![&most, &theorist_tactics::baseline::Closers, &retrieval];
    if let Some(m) = &model {
        rankers.push(m);
    }
    let heldout_metrics: Vec<Metrics> = rankers
        .iter()
        .map(|r| evaluate(*r, &heldout, &names))
        .collect();
    let minif2f_metrics: Vec<Metrics> = rankers
        .iter()
        .map(|r| evaluate(*r, &minif2f, &names))
        .collect();
    let beats = model.as_ref().map(|_| {
        let m = &heldout_metrics[3];
        let better = |b: &Metrics| m.mrr > b.mrr && m.exact_top1 > b.exact_top1;
        heldout_metrics[..3].iter().all(better)
    });
    Ok(EvalReport {
        train_examples: train.len(),
        heldout_examples: heldout.len(),
        seed: data.seed,
        heldout: heldout_metrics,
        minif2f: minif2f_metrics,
        normaliser,
        gold_in_scope: (
            gold_in_scope(&heldout, &names),
            gold_in_scope(&minif2f, &names),
        ),
        names: info,
        model_available: model.is_some(),
        model_beats_baselines: beats,
    })
}

#[derive(Debug, Clone)]
pub struct MinedEvalRequest {
    /// `model mine` outputs (each with its manifest beside it), read as one data set.
    pub mined: Vec<PathBuf>,
    pub weights: Option<PathBuf>,
    /// At most this many steps per set and kind (drawn by a hash seeded with `seed`).
    pub cap: usize,
    pub seed: u64,
    /// Repositories to hold out instead of the default draw.
    pub heldout_repos: Option<Vec<String>>,
    /// Evaluate on development files of the training repositories instead.
    pub dev: bool,
    /// Shares of the model's scores that come from its prior (the rest from retrieval); the
    /// model is evaluated once per share.
    pub mix: Vec<f64>,
    /// Strengths of the project's style (`theorist_tactics::style`); once per strength too.
    pub style_strength: Vec<f64>,
    /// Similarities above which the nearest neighbour's tactic leads; once per value too.
    pub copy_above: Vec<f64>,
}

/// Where the names of `sources` are cached: beside the first mined file, keyed by the
/// sources' repositories, commits and folders (another set of sources, another cache).
pub fn names_cache(mined: &[PathBuf], sources: &[SourceRecord]) -> Option<PathBuf> {
    let first = mined.first()?;
    let mut key: Vec<String> = sources
        .iter()
        .map(|s| {
            format!(
                "{}@{}:{}",
                s.source.repo,
                s.source.commit.as_deref().unwrap_or(""),
                s.source.root.display()
            )
        })
        .collect();
    key.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.join("\n").bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Some(first.with_file_name(format!("names-{h:016x}.idx")))
}

/// `model eval --mined`: the rankers on mined proofs, split honestly; library names from the
/// mined sources and their projects' packages (cached beside the first file). Blocks its
/// thread.
pub fn eval_mined(request: &MinedEvalRequest) -> Result<BenchReport, EngineError> {
    let (proofs, sources) = theorist_tactics::mine::load_all(&request.mined)
        .map_err(|e| EngineError::bad_input(e.to_string()))?;
    // The mined sources and the packages of each (a project mined without its packages
    // still sees Mathlib's names when its `.lake/packages` holds them).
    let mut packages: Vec<Package> = Vec::new();
    for s in &sources {
        let candidates = std::iter::once(Package {
            name: s.source.repo.clone(),
            root: s.source.root.clone(),
        })
        .chain(theorist_tactics::project::packages_of(&s.source.root));
        for p in candidates {
            if !packages.iter().any(|q| q.root == p.root) {
                packages.push(p);
            }
        }
    }
    let mut options = BenchOptions {
        cap: request.cap,
        seed: request.seed,
        dev: request.dev,
        mix: request.mix.clone(),
        style: request.style_strength.clone(),
        copy_above: request.copy_above.clone(),
        ..BenchOptions::default()
    };
    if let Some(repos) = &request.heldout_repos {
        options.plan.heldout_repos = repos.clone();
    }
    let model = load_step_model(request.weights.as_ref())?;
    if let Some(m) = &model {
        let plan = &options.plan;
        let physics = (
            plan.physics_repo.as_str(),
            plan.physics_every,
            plan.physics_always.as_slice(),
        );
        if let Some(why) = m
            .manifest()
            .trained_on_heldout(&plan.heldout_repos, physics)
        {
            return Err(EngineError::bad_input(format!(
                "{why}: its figures would not be held out (train it with the same --heldout)"
            )));
        }
    }
    let cache = names_cache(&request.mined, &sources);
    let (index, _) = theorist_tactics::project::packages_index(&packages, cache.as_deref());
    Ok(theorist_tactics::benchmark::run(
        proofs,
        &sources,
        &index,
        model.as_ref().map(|m| m as &dyn StepPrior),
        &options,
    ))
}

/// The step ranker (StepRank) at `weights`, default the shipped `models/steprank.safetensors`,
/// when this build has the model.
pub fn load_step_model(weights: Option<&PathBuf>) -> Result<Option<StepRank>, EngineError> {
    if !theorist_tactics::model::AVAILABLE {
        return Ok(None);
    }
    let path = weights.cloned().unwrap_or_else(default_step_weights);
    StepRank::load(&path)
        .map(Some)
        .map_err(|source| EngineError::Model {
            doing: format!("loading the step model from {}", path.display()),
            source,
        })
}

#[derive(Debug, Clone)]
pub struct MinedTrainRequest {
    /// `model mine` outputs, read as one data set.
    pub mined: Vec<PathBuf>,
    /// The weights (.safetensors); the manifest goes beside them.
    pub out: PathBuf,
    /// Repositories to hold out instead of the default draw.
    pub heldout_repos: Option<Vec<String>>,
    pub config: StepTrainConfig,
}

/// `model train --mined`: StepRank on the training part of the honest split (the same one
/// `model eval --mined` evaluates on), development files kept out and scored per epoch;
/// writes the weights and their manifest (every repository, its commit and step count).
/// Blocks its thread.
pub fn train_mined(request: &MinedTrainRequest) -> Result<StepManifest, EngineError> {
    if !theorist_tactics::model::AVAILABLE {
        return Err(EngineError::Model {
            doing: "training the step model".into(),
            source: theorist_tactics::ModelError::Disabled,
        });
    }
    let (proofs, sources) = theorist_tactics::mine::load_all(&request.mined)
        .map_err(|e| EngineError::bad_input(e.to_string()))?;
    let mut plan = SplitPlan::default();
    if let Some(repos) = &request.heldout_repos {
        plan.heldout_repos = repos.clone();
    }
    let (items, report) = theorist_tactics::benchmark::training_items(proofs, &plan);
    let (dev, train): (Vec<StepItem>, Vec<StepItem>) = items
        .into_iter()
        .partition(|it| is_dev_file(&it.repo, &it.file));
    if train.is_empty() {
        return Err(EngineError::bad_input(format!(
            "no training steps in {} proofs: every mined proof is held out, a near-duplicate \
             of a held-out one, or without a goal",
            report.proofs.iter().map(|(_, n)| n).sum::<usize>() + report.without_goal
        )));
    }
    let mut trained: Vec<TrainedSource> = sources
        .iter()
        .map(|s| TrainedSource {
            repo: s.source.repo.clone(),
            commit: s.source.commit.clone(),
            steps: 0,
        })
        .collect();
    for it in &train {
        if let Some(s) = trained.iter_mut().find(|s| s.repo == it.repo) {
            s.steps += 1;
        }
    }
    let provenance = Provenance {
        sources: trained,
        heldout_repos: plan.heldout_repos.clone(),
        physics_repo: plan.physics_repo.clone(),
        physics_every: plan.physics_every,
        physics_always: plan.physics_always.clone(),
        near_duplicates_dropped: report.near_duplicates_dropped,
    };
    theorist_tactics::model::train_steps(&train, &dev, &request.config, provenance, &request.out)
        .map_err(|source| EngineError::Model {
            doing: "training the step model".into(),
            source,
        })
}
