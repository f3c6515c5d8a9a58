//! StepRank, the learned step ranker trained on mined proofs (tch, libtorch 2.11.0): the
//! step's hashed features ([`crate::step_features`]) are embedded and averaged, one hidden
//! layer reads them, and a softmax ranks the [`StepClasses`] (frequent tactic templates, and
//! heads for the rest). It is a prior over what comes next; [`crate::guided::Guided`] mixes it
//! with retrieval's neighbours, which give the arguments.
//!
//! Why this shape: averaged embeddings of sparse features (fastText's classifier) train on
//! 700,000 steps in minutes on two CPU cores and answer in about a millisecond; the hidden
//! layer lets features combine (a `⊢ … ↔ …` target after `constructor`). 2^17 buckets × 48
//! dimensions keep the weights near 25 MB, under the 50 MB cap.

use std::path::Path;

use tch::nn::{self, Module, OptimizerConfig};
use tch::{Device, Kind, Tensor};

use super::{device_name, load_net};
use crate::dataset::StepItem;
use crate::generate::Rng;
use crate::guided::StepPrior;
use crate::step_classes::{Prediction, StepClasses, templates_of};
use crate::step_features::{BUCKETS, FEATURES, step_features};
use crate::step_manifest::{FORMAT, Provenance, StepManifest, manifest_path, read_manifest};
use crate::{ModelError, StepTrainConfig};

struct Net {
    emb: nn::Embedding,
    hidden: nn::Linear,
    out: nn::Linear,
}

impl Net {
    fn new(p: &nn::Path, buckets: u32, dim: i64, hidden: i64, classes: i64) -> Net {
        let config = nn::EmbeddingConfig {
            padding_idx: 0,
            ..Default::default()
        };
        Net {
            emb: nn::embedding(p / "emb", buckets as i64, dim, config),
            hidden: nn::linear(p / "hidden", dim, hidden, Default::default()),
            out: nn::linear(p / "out", hidden, classes, Default::default()),
        }
    }

    /// Class logits for padded feature ids `[batch, len]` (0 pads).
    fn logits(&self, ids: &Tensor) -> Tensor {
        let mask = ids.ne(0).unsqueeze(-1).to_kind(Kind::Float);
        let sum = (self.emb.forward(ids) * &mask).sum_dim_intlist([1i64].as_slice(), false, None);
        let count = mask
            .sum_dim_intlist([1i64].as_slice(), false, None)
            .clamp_min(1.0);
        (sum / count).apply(&self.hidden).relu().apply(&self.out)
    }
}

/// Feature ids padded to the longest row: `[rows, len]`.
fn padded(rows: &[&[u32]], device: Device) -> Tensor {
    let len = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(1);
    let mut flat = vec![0i64; rows.len() * len];
    for (i, r) in rows.iter().enumerate() {
        for (j, f) in r.iter().enumerate() {
            flat[i * len + j] = *f as i64;
        }
    }
    Tensor::from_slice(&flat)
        .view([rows.len() as i64, len as i64])
        .to_device(device)
}

/// The trained ranker.
pub struct StepRank {
    _vs: nn::VarStore,
    net: Net,
    classes: StepClasses,
    manifest: StepManifest,
    device: Device,
}

impl StepRank {
    /// Loads `weights` (.safetensors) and its manifest (same name, `.json`).
    pub fn load(weights: &Path) -> Result<StepRank, ModelError> {
        let bad = |detail: String| ModelError::Weights {
            path: weights.to_path_buf(),
            detail,
        };
        if !weights.exists() {
            return Err(bad("no such file".into()));
        }
        let manifest = read_manifest(weights).map_err(bad)?;
        let (vs, net, device) = load_net(weights, |p| {
            Net::new(
                p,
                manifest.buckets,
                manifest.dim,
                manifest.hidden,
                manifest.classes.len() as i64,
            )
        })
        .map_err(bad)?;
        let classes = StepClasses::from_labels(manifest.classes.clone());
        Ok(StepRank {
            _vs: vs,
            net,
            classes,
            manifest,
            device,
        })
    }

    pub fn device(&self) -> String {
        device_name(self.device)
    }

    pub fn manifest(&self) -> &StepManifest {
        &self.manifest
    }
}

impl StepPrior for StepRank {
    fn predict(&self, goal: &str, previous: &[String]) -> Prediction {
        let features = step_features(goal, previous);
        let probs = tch::no_grad(|| {
            let ids = padded(&[features.as_slice()], self.device);
            let p = self.net.logits(&ids).softmax(-1, Kind::Float);
            Vec::<f32>::try_from(p.flatten(0, -1).to_device(Device::Cpu)).unwrap_or_default()
        });
        self.classes.read(&probs)
    }
}

/// A step as training sees it.
struct Encoded {
    features: Vec<u32>,
    class: i64,
}

fn encode<'a>(
    items: impl IntoIterator<Item = &'a StepItem>,
    classes: &StepClasses,
    templates: &[String],
) -> Vec<Encoded> {
    items
        .into_iter()
        .zip(templates)
        .map(|(it, t)| Encoded {
            features: step_features(&it.goal, &it.previous),
            class: classes.class_of(t) as i64,
        })
        .collect()
}

/// How the development steps score after an epoch.
#[derive(Default)]
struct DevScore {
    class_top1: f64,
    head_top1: f64,
    head_top5: f64,
}

/// Trains on `train` (seeded), scores `dev` after each epoch (stderr), writes the weights to
/// `out` (.safetensors) and the manifest beside it.
pub fn train_steps(
    train: &[StepItem],
    dev: &[StepItem],
    config: &StepTrainConfig,
    provenance: Provenance,
    out: &Path,
) -> Result<StepManifest, ModelError> {
    let started = std::time::Instant::now();
    let torch = |e: tch::TchError| ModelError::Torch(e.to_string());
    let train: Vec<&StepItem> = train
        .iter()
        .filter(|it| !crate::ngram::is_placeholder(&it.tactic))
        .collect();
    if train.is_empty() {
        return Err(ModelError::Torch("no training steps".into()));
    }
    tch::manual_seed(config.seed as i64);
    tch::set_num_threads(config.threads);
    let device = Device::cuda_if_available();
    let train_templates = templates_of(train.iter().copied());
    let classes = StepClasses::build(&train_templates, config.limits);
    let encoded = encode(train.iter().copied(), &classes, &train_templates);
    let dev_templates = templates_of(dev);
    let dev_encoded = encode(dev, &classes, &dev_templates);
    eprintln!(
        "steprank: {} training steps, {} development steps, {} classes ({:.0}s)",
        encoded.len(),
        dev_encoded.len(),
        classes.len(),
        started.elapsed().as_secs_f64()
    );
    let vs = nn::VarStore::new(device);
    let net = Net::new(
        &vs.root(),
        BUCKETS,
        config.dim,
        config.hidden,
        classes.len() as i64,
    );
    let mut opt = nn::Adam::default().build(&vs, config.lr).map_err(torch)?;
    let mut rng = Rng::new(config.seed);
    let steps_per_epoch = encoded.len().div_ceil(config.batch);
    let total = (steps_per_epoch * config.epochs).max(1);
    let mut step = 0;
    let mut last_loss = 0.0;
    let mut score = DevScore::default();
    for epoch in 0..config.epochs {
        let mut order: Vec<usize> = (0..encoded.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let (mut sum, mut n) = (0.0, 0);
        for chunk in order.chunks(config.batch) {
            opt.set_lr(config.lr * (1.0 - step as f64 / total as f64).max(0.05));
            step += 1;
            let rows: Vec<&[u32]> = chunk
                .iter()
                .map(|i| encoded[*i].features.as_slice())
                .collect();
            let labels: Vec<i64> = chunk.iter().map(|i| encoded[*i].class).collect();
            let target = Tensor::from_slice(&labels).to_device(device);
            let loss = net
                .logits(&padded(&rows, device))
                .cross_entropy_for_logits(&target);
            opt.backward_step(&loss);
            sum += loss.double_value(&[]);
            n += 1;
        }
        last_loss = sum / n.max(1) as f64;
        score = dev_score(&net, &classes, &dev_encoded, &dev_templates, device);
        eprintln!(
            "epoch {}/{}: train loss {:.4}; development steps: class top-1 {:.1}%, head top-1 \
             {:.1}%, head top-5 {:.1}% ({:.0}s)",
            epoch + 1,
            config.epochs,
            last_loss,
            100.0 * score.class_top1,
            100.0 * score.head_top1,
            100.0 * score.head_top5,
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(dir) = out.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| ModelError::Torch(format!("{}: {e}", dir.display())))?;
    }
    vs.save(out).map_err(torch)?;
    let parameters: i64 = vs
        .trainable_variables()
        .iter()
        .map(|t| t.numel() as i64)
        .sum();
    let manifest = StepManifest {
        format: FORMAT.into(),
        features: FEATURES.into(),
        buckets: BUCKETS,
        dim: config.dim,
        hidden: config.hidden,
        classes: classes.labels.clone(),
        parameters,
        seed: config.seed,
        epochs: config.epochs,
        batch: config.batch,
        lr: config.lr,
        train_steps: encoded.len(),
        dev_steps: dev_encoded.len(),
        dev_class_top1: score.class_top1,
        dev_head_top1: score.head_top1,
        dev_head_top5: score.head_top5,
        final_train_loss: last_loss,
        train_seconds: started.elapsed().as_secs_f64(),
        device: device_name(device),
        threads: config.threads,
        provenance,
        command: format!(
            "theorist model train --mined … --seed {} --epochs {} --threads {}",
            config.seed, config.epochs, config.threads
        ),
    };
    let text =
        serde_json::to_string_pretty(&manifest).map_err(|e| ModelError::Torch(e.to_string()))?;
    std::fs::write(manifest_path(out), text + "\n")
        .map_err(|e| ModelError::Torch(e.to_string()))?;
    Ok(manifest)
}

/// Class top-1 and head top-1/top-5 on (at most 5,000 of) the development steps.
fn dev_score(
    net: &Net,
    classes: &StepClasses,
    dev: &[Encoded],
    templates: &[String],
    device: Device,
) -> DevScore {
    let n = dev.len().min(5000);
    if n == 0 {
        return DevScore::default();
    }
    let mut score = DevScore::default();
    tch::no_grad(|| {
        for (chunk, heads) in dev[..n].chunks(256).zip(templates[..n].chunks(256)) {
            let rows: Vec<&[u32]> = chunk.iter().map(|e| e.features.as_slice()).collect();
            let probs = net.logits(&padded(&rows, device)).softmax(-1, Kind::Float);
            let probs = Vec::<f32>::try_from(probs.flatten(0, -1).to_device(Device::Cpu))
                .unwrap_or_default();
            for (i, (e, template)) in chunk.iter().zip(heads).enumerate() {
                let row = &probs[i * classes.len()..(i + 1) * classes.len()];
                let best = (0..row.len())
                    .max_by(|a, b| row[*a].total_cmp(&row[*b]))
                    .unwrap_or(0);
                score.class_top1 += (best as i64 == e.class) as u8 as f64;
                let head = crate::tactic_head(template);
                let predicted = classes.read(row);
                let rank = predicted.heads.iter().position(|(h, _)| h == head);
                score.head_top1 += (rank == Some(0)) as u8 as f64;
                score.head_top5 += rank.is_some_and(|r| r < 5) as u8 as f64;
            }
        }
    });
    score.class_top1 /= n as f64;
    score.head_top1 /= n as f64;
    score.head_top5 /= n as f64;
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::step_classes::ClassLimits;

    fn item(goal: &str, previous: &[&str], tactic: &str) -> StepItem {
        StepItem::for_test(goal, previous, tactic)
    }

    #[test]
    fn learns_which_head_a_goal_wants_saves_loads_and_refuses_corrupt_weights() {
        // Iff targets are split, order targets closed by positivity, equations by ring.
        let mut train = Vec::new();
        for i in 0..120 {
            train.push(item(&format!("p q : Prop\n⊢ p{i} ↔ q"), &[], "constructor"));
            train.push(item(
                &format!("x : ℝ\n⊢ 0 < x ^ 2 + {i}"),
                &[],
                "positivity",
            ));
            train.push(item(
                &format!("x : ℝ\n⊢ (x + {i}) * 2 = 2 * x + {i} * 2"),
                &[],
                "ring",
            ));
        }
        let config = StepTrainConfig {
            epochs: 12,
            batch: 32,
            lr: 0.02,
            dim: 8,
            hidden: 16,
            limits: ClassLimits {
                template_min: 5,
                ..ClassLimits::default()
            },
            ..StepTrainConfig::default()
        };
        let dir = std::env::temp_dir().join(format!("steprank-test-{}", std::process::id()));
        let out = dir.join("s.safetensors");
        let manifest = train_steps(&train, &train[..30], &config, Provenance::default(), &out)
            .expect("trains");
        assert_eq!(manifest.train_steps, 360);
        assert!(manifest.dev_head_top1 > 0.9, "{manifest:?}");
        let m = StepRank::load(&out).expect("loads");
        let best = |goal: &str| m.predict(goal, &[]).heads[0].0.clone();
        assert_eq!(best("a b : Prop\n⊢ a ↔ b"), "constructor");
        assert_eq!(best("y : ℝ\n⊢ 0 < y ^ 2 + 7"), "positivity");
        assert_eq!(best("y : ℝ\n⊢ (y + 3) * 2 = 2 * y + 3 * 2"), "ring");
        std::fs::write(&out, b"not safetensors").unwrap();
        let err = StepRank::load(&out)
            .err()
            .expect("corrupt weights must fail");
        assert!(err.to_string().contains("corrupt"), "{err}");
        std::fs::remove_file(manifest_path(&out)).unwrap();
        let err = StepRank::load(&out).err().expect("no manifest must fail");
        assert!(err.to_string().contains("manifest"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
