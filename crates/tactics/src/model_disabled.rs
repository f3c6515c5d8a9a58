//! The twin of the tch ranker in a build without feature `model`: same names, every load
//! fails with a clear "rebuilt without feature `model`" error, so call sites never need `cfg`.

use std::path::Path;

use crate::corpus::Example;
use crate::{Ranker, Suggestion};

pub use crate::{ModelError, TrainConfig};

/// Whether this build carries the model.
pub const AVAILABLE: bool = false;

/// Never constructed in this build.
pub struct TacticModel {
    _never: (),
}

impl TacticModel {
    pub fn load(_weights: &Path) -> Result<TacticModel, ModelError> {
        Err(ModelError::Disabled)
    }

    pub fn device(&self) -> String {
        String::new()
    }
}

impl Ranker for TacticModel {
    fn suggest(&self, _goal: &str, _k: usize) -> Vec<Suggestion> {
        Vec::new()
    }
    fn name(&self) -> &str {
        "model"
    }
}

/// A trained model's manifest; none is ever made in this build.
#[derive(Debug, Clone)]
pub enum Meta {}

impl serde::Serialize for Meta {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

/// Training needs libtorch: always the "rebuilt without feature `model`" error here.
pub fn train(
    _train: &[Example],
    _heldout: &[Example],
    _config: &TrainConfig,
    _out: &Path,
) -> Result<Meta, ModelError> {
    Err(ModelError::Disabled)
}

/// Never constructed in this build.
pub struct StepRank {
    _never: (),
}

impl StepRank {
    pub fn load(_weights: &Path) -> Result<StepRank, ModelError> {
        Err(ModelError::Disabled)
    }

    pub fn device(&self) -> String {
        String::new()
    }

    pub fn manifest(&self) -> &crate::step_manifest::StepManifest {
        unreachable!("StepRank is never constructed without feature `model`")
    }
}

impl crate::guided::StepPrior for StepRank {
    fn predict(&self, _goal: &str, _previous: &[String]) -> crate::guided::Prediction {
        crate::guided::Prediction::default()
    }
}

/// Training needs libtorch: always the "rebuilt without feature `model`" error here.
pub fn train_steps(
    _train: &[crate::dataset::StepItem],
    _dev: &[crate::dataset::StepItem],
    _config: &crate::StepTrainConfig,
    _provenance: crate::step_manifest::Provenance,
    _out: &Path,
) -> Result<crate::step_manifest::StepManifest, ModelError> {
    Err(ModelError::Disabled)
}
