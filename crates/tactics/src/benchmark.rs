//! `theorist model eval --mined FILE`: the rankers on mined real proofs, split honestly
//! ([`crate::dataset`]): for each held-out set (whole repositories; PhysLean files) and for
//! the first tactic and the later steps separately, exact top-1/top-8 and tactic-head
//! top-1/top-5 with 95% intervals, for the most-frequent list, the fixed closer list,
//! retrieval, and the model when there is one; each list as users see it, after the scope
//! check, with the share of raw candidates that were in scope.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::Ranker;
use crate::baseline::{Closers, HeadNGram, MostFrequent, Retrieval};
use crate::dataset::{
    Part, SplitPlan, SplitReport, StepItem, cross_split_near_duplicates, is_dev_file, sample,
    sample_seeded, split, step_items,
};
use crate::eval::{StepMetrics, evaluate_steps};
use crate::guided::{Guided, StepPrior};
use crate::index::NameIndex;
use crate::mine::{MinedProof, SourceRecord};
use crate::retrieval::Votes;
use crate::scope::FileSites;

/// Settings; the defaults are the README's.
#[derive(Debug, Clone, Serialize)]
pub struct BenchOptions {
    /// At most this many items per (set, first/later), drawn by a hash seeded with `seed`.
    pub cap: usize,
    /// At most this many training steps remembered by retrieval (the physics library's
    /// first, as a user's own project's are).
    pub memory_cap: usize,
    pub seed: u64,
    pub plan: SplitPlan,
    /// Evaluate on development files of the training repositories instead of the held-out
    /// sets (for choosing settings without looking at the held-out figures).
    pub dev: bool,
    /// Share of the model's scores that comes from its prior ([`crate::guided`]); several
    /// evaluate the model once per share (`model (mix W)`), to choose one on `dev` files.
    pub mix: Vec<f64>,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            cap: 1000,
            memory_cap: 250_000,
            seed: crate::DEFAULT_SEED,
            plan: SplitPlan::default(),
            dev: false,
            mix: vec![crate::guided::DEFAULT_WEIGHT],
        }
    }
}

/// One held-out repository (or the physics library's held-out files) and what it gave.
#[derive(Debug, Clone, Serialize)]
pub struct HeldoutSource {
    pub repo: String,
    pub commit: Option<String>,
    pub part: Part,
    pub proofs: usize,
    pub first_steps: usize,
    pub later_steps: usize,
}

/// One evaluation set and step kind.
#[derive(Debug, Clone, Serialize)]
pub struct SetReport {
    /// `held-out repositories`, `held-out PhysLean files`.
    pub set: String,
    /// `first tactic` or `later steps`.
    pub kind: String,
    /// Items available before the cap.
    pub available: usize,
    pub rankers: Vec<StepMetrics>,
    /// Share of the authors' own steps that pass the scope check.
    pub gold_in_scope: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub split: SplitReport,
    /// Training proofs still equal to a held-out goal up to names and numerals (always 0:
    /// the split drops them; checked again on the result).
    pub cross_split_near_duplicates: usize,
    pub train_steps: usize,
    pub retrieval_memory: usize,
    pub seed: u64,
    pub heldout_repos: Vec<String>,
    /// What each held-out source gave (repositories not among the mined ones are absent).
    pub heldout: Vec<HeldoutSource>,
    pub sets: Vec<SetReport>,
}

/// The training steps of `proofs` under `plan` (what retrieval and the model learn from).
pub fn training_items(proofs: Vec<MinedProof>, plan: &SplitPlan) -> (Vec<StepItem>, SplitReport) {
    let (mut parts, report) = split(proofs, plan);
    let train = parts.remove(&Part::Train).unwrap_or_default();
    (step_items(&train), report)
}

/// Runs the benchmark. `model`, when given, is evaluated beside the baselines, guiding
/// retrieval's memory (as `suggest` uses it).
pub fn run(
    proofs: Vec<MinedProof>,
    sources: &[SourceRecord],
    index: &NameIndex,
    model: Option<&dyn StepPrior>,
    options: &BenchOptions,
) -> BenchReport {
    let (mut parts, split_report) = split(proofs, &options.plan);
    let cross = cross_split_near_duplicates(&parts);
    let mut train_proofs = parts.remove(&Part::Train).unwrap_or_default();
    let evaluated: Vec<(&str, Vec<MinedProof>)> = if options.dev {
        let (dev, rest) = train_proofs
            .into_iter()
            .partition(|p| is_dev_file(&p.repo, &p.file));
        train_proofs = rest;
        vec![("development files of the training repositories", dev)]
    } else {
        vec![
            (
                "held-out repositories",
                parts.remove(&Part::HeldoutRepo).unwrap_or_default(),
            ),
            (
                "held-out PhysLean files",
                parts.remove(&Part::HeldoutPhysics).unwrap_or_default(),
            ),
        ]
    };
    let train = step_items(&train_proofs);
    // As `suggest` remembers a user's project: the physics library's own training steps
    // all, then a sample of the others (Mathlib's among them) up to the cap.
    let (own, others): (Vec<StepItem>, Vec<StepItem>) = train
        .iter()
        .cloned()
        .partition(|it| it.repo == options.plan.physics_repo);
    let room = options.memory_cap.saturating_sub(own.len());
    let mut memory = sample(own, options.memory_cap);
    memory.extend(sample(others, room));
    let most = MostFrequent::from_items(&train);
    let ngram = HeadNGram::from_items(&train);
    let retrieval = Retrieval::from_items(&memory);
    let nearest = retrieval.view(
        Votes {
            vote: false,
            ..Votes::default()
        },
        "nearest-neighbour",
    );
    let roots: HashMap<String, PathBuf> = sources
        .iter()
        .map(|s| (s.source.repo.clone(), s.source.root.clone()))
        .collect();
    let sites = FileSites::new(roots, index);
    let scope_of = |it: &StepItem| {
        sites.scope(
            &it.repo,
            &it.file,
            it.line,
            &it.decl,
            &it.goal,
            &it.introduced,
        )
    };
    let guided: Vec<_> = model
        .into_iter()
        .flat_map(|prior| options.mix.iter().map(move |w| (prior, *w)))
        .map(|(prior, w)| Guided {
            weight: w,
            name: if options.mix.len() == 1 {
                "model".into()
            } else {
                format!("model (mix {w})")
            },
            ..Guided::new(&retrieval, prior)
        })
        .collect();
    let mut rankers: Vec<&dyn Ranker> = vec![&most, &Closers, &ngram, &nearest, &retrieval];
    rankers.extend(guided.iter().map(|g| g as &dyn Ranker));
    let mut sets = Vec::new();
    let mut heldout = Vec::new();
    for (label, proofs) in evaluated {
        let items = step_items(&proofs);
        if !options.dev {
            heldout.extend(heldout_sources(&proofs, &items, sources, &options.plan));
        }
        let (first, later): (Vec<StepItem>, Vec<StepItem>) =
            items.into_iter().partition(StepItem::is_first);
        for (kind, group) in [("first tactic", first), ("later steps", later)] {
            let available = group.len();
            let group = sample_seeded(group, options.cap, Some(options.seed));
            let gold = group
                .iter()
                .filter(|it| scope_of(it).admits(&it.tactic))
                .count();
            sets.push(SetReport {
                set: label.into(),
                kind: kind.into(),
                available,
                rankers: rankers
                    .iter()
                    .map(|r| evaluate_steps(*r, &group, &scope_of))
                    .collect(),
                gold_in_scope: gold as f64 / group.len().max(1) as f64,
            });
        }
    }
    BenchReport {
        split: split_report,
        cross_split_near_duplicates: cross,
        train_steps: train.len(),
        retrieval_memory: memory.len(),
        seed: options.seed,
        heldout_repos: options.plan.heldout_repos.clone(),
        heldout,
        sets,
    }
}

/// Per repository of a held-out set: its proofs and first/later steps.
fn heldout_sources(
    proofs: &[MinedProof],
    items: &[StepItem],
    sources: &[SourceRecord],
    plan: &SplitPlan,
) -> Vec<HeldoutSource> {
    let mut out: Vec<HeldoutSource> = Vec::new();
    for p in proofs {
        match out.iter_mut().find(|h| h.repo == p.repo) {
            Some(h) => h.proofs += 1,
            None => out.push(HeldoutSource {
                repo: p.repo.clone(),
                commit: sources
                    .iter()
                    .find(|s| s.source.repo == p.repo)
                    .and_then(|s| s.source.commit.clone()),
                part: plan.part_of(&p.repo, &p.file),
                proofs: 1,
                first_steps: 0,
                later_steps: 0,
            }),
        }
    }
    for it in items {
        if let Some(h) = out.iter_mut().find(|h| h.repo == it.repo) {
            if it.is_first() {
                h.first_steps += 1;
            } else {
                h.later_steps += 1;
            }
        }
    }
    out.sort_by(|a, b| a.repo.cmp(&b.repo));
    out
}
