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
    /// The features the weights were trained on ([`crate::step_features::FEATURES`]).
    pub features: String,
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
    if m.features != crate::step_features::FEATURES {
        return Err(format!(
            "trained on features `{}`, this build computes `{}` (train it again)",
            m.features,
            crate::step_features::FEATURES
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> StepManifest {
        let text = include_str!("../../../models/steprank.json");
        serde_json::from_str(text).expect("the shipped manifest reads")
    }

    #[test]
    fn the_shipped_manifest_names_its_sources_and_refuses_dishonest_evaluations() {
        let m = manifest();
        assert_eq!(m.features, crate::step_features::FEATURES);
        let p = &m.provenance;
        let steps = |repo: &str| p.sources.iter().find(|s| s.repo == repo).map(|s| s.steps);
        assert!(steps("leegahuyn/mathlib4").is_some_and(|n| n > 100_000));
        assert_eq!(
            steps("FormalizedFormalLogic/Foundation"),
            Some(0),
            "held out"
        );
        let always = p.physics_always.clone();
        let physics = (p.physics_repo.as_str(), p.physics_every, always.as_slice());
        assert_eq!(m.trained_on_heldout(&p.heldout_repos, physics), None);
        let mathlib = ["leegahuyn/mathlib4".to_string()];
        let why = m.trained_on_heldout(&mathlib, physics).unwrap();
        assert!(why.contains("trained on leegahuyn/mathlib4"), "{why}");
        let other = (p.physics_repo.as_str(), 3, always.as_slice());
        assert!(m.trained_on_heldout(&p.heldout_repos, other).is_some());
    }

    #[test]
    fn weights_of_other_features_or_formats_are_refused() {
        let dir = std::env::temp_dir().join(format!("step-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let weights = dir.join("w.safetensors");
        let write = |m: &StepManifest| {
            std::fs::write(manifest_path(&weights), serde_json::to_string(m).unwrap()).unwrap()
        };
        let mut m = manifest();
        write(&m);
        assert!(read_manifest(&weights).is_ok());
        m.features = "steprank-features/0".into();
        write(&m);
        let err = read_manifest(&weights).unwrap_err();
        assert!(err.contains("train it again"), "{err}");
        m = manifest();
        m.format = "theorist-tacrank/1".into();
        write(&m);
        assert!(read_manifest(&weights).unwrap_err().contains("format"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
