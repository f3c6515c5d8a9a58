//! The learned step ranker's manifest (`models/steprank.json`, beside the weights): its
//! shapes and classes, how it was trained, and where every training step came from (each
//! repository with its commit and step count; which were held out). Shared by every build, so
//! a build without feature `model` can still say what the shipped weights are.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The manifest's `format`.
pub const FORMAT: &str = "theorist-steprank/1";

/// One repository the training steps came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedSource {
    pub repo: String,
    pub commit: Option<String>,
    /// Training steps taken from it.
    pub steps: usize,
}

/// Where the training data came from and what was kept out of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub sources: Vec<TrainedSource>,
    /// Repositories held out whole (never trained on).
    pub heldout_repos: Vec<String>,
    /// The physics library split by file, and how (one file in `physics_every`, and every
    /// file under `physics_always`).
    pub physics_repo: String,
    pub physics_every: u64,
    pub physics_always: Vec<String>,
    /// Training proofs dropped as near-duplicates of held-out goals.
    pub near_duplicates_dropped: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepManifest {
    pub format: String,
    /// Hashed feature buckets, embedding width, hidden width.
    pub buckets: u32,
    pub dim: i64,
    pub hidden: i64,
    /// The output classes in order ([`crate::step_classes::StepClasses`]).
    pub classes: Vec<String>,
    pub parameters: i64,
    pub seed: u64,
    pub epochs: usize,
    pub batch: usize,
    pub lr: f64,
    pub train_steps: usize,
    /// Steps of development files (1 in 20 of the training repositories' files), kept out
    /// of training and scored after each epoch.
    pub dev_steps: usize,
    pub dev_class_top1: f64,
    pub dev_head_top1: f64,
    pub dev_head_top5: f64,
    pub final_train_loss: f64,
    pub train_seconds: f64,
    pub device: String,
    pub threads: i32,
    pub provenance: Provenance,
    pub command: String,
}

/// The manifest of the weights at `weights` (same name, `.json`).
pub fn manifest_path(weights: &Path) -> PathBuf {
    weights.with_extension("json")
}

/// Reads and checks the manifest of `weights`.
pub fn read_manifest(weights: &Path) -> Result<StepManifest, String> {
    let path = manifest_path(weights);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("its manifest {}: {e}", path.display()))?;
    let m: StepManifest = serde_json::from_str(&text)
        .map_err(|e| format!("its manifest {} is not valid: {e}", path.display()))?;
    if m.format != FORMAT {
        return Err(format!("format `{}`, expected `{FORMAT}`", m.format));
    }
    if m.classes.is_empty() || m.buckets < 2 || m.dim < 1 || m.hidden < 1 {
        return Err("its manifest has no classes or an empty shape".into());
    }
    Ok(m)
}

impl StepManifest {
    /// Why this model cannot be evaluated on a split holding out `heldout_repos` and the
    /// physics files of (`repo`, `every`, `always`): a held-out repository it was trained on,
    /// or another physics split. `None` when the evaluation is honest.
    pub fn trained_on_heldout(
        &self,
        heldout_repos: &[String],
        physics: (&str, u64, &[String]),
    ) -> Option<String> {
        let p = &self.provenance;
        if let Some(r) = heldout_repos.iter().find(|r| !p.heldout_repos.contains(r)) {
            let trained = p.sources.iter().any(|s| &s.repo == r && s.steps > 0);
            if trained {
                return Some(format!(
                    "the model was trained on {r}, which this evaluation holds out"
                ));
            }
        }
        let (repo, every, always) = physics;
        let trained_physics = p.sources.iter().any(|s| s.repo == repo && s.steps > 0);
        if trained_physics
            && (p.physics_repo != repo || p.physics_every != every || p.physics_always != always)
        {
            return Some(format!(
                "the model was trained with another split of {repo}'s files than this evaluation's"
            ));
        }
        None
    }
}
