//! TacRank, the tch ranker (feature `model`, libtorch 2.11.0 through tch 0.24): a small
//! byte-level encoder reads the normalised goal and ranks tactic *templates* mined from the
//! training corpus (`nlinarith [sq_nonneg (?0 - ?1)]`); a pointer head fills the slots with the
//! goal's own local names; literal tactics retrieved by nearest neighbour fill in after the
//! confident templates. GPU when present, CPU otherwise.
//!
//! Size and why: bytes (no tokenizer to ship or drift), 192-byte window (the end of the goal,
//! where the target is), d = 128, two residual convolution blocks (kernel 5, local syntax such
//! as `x ^ 2`, `≠ 0`) and one self-attention layer (which hypothesis matters for the target),
//! 0.37 M parameters: it trains in 16 minutes on two shared CPU cores, ranks 8 candidates in
//! about 4 ms (criterion, one thread), and the weights are 1.5 MB, far under the 25 MB cap. Bigger variants
//! (d 256, 4 layers) were measured at 5× the training cost on this CPU in
//! shared/reference/proof-step-models.md §3, too slow for the 30-minute reproduction budget.

mod steprank;
pub use steprank::{StepRank, train_steps};

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tch::nn::{self, Module, OptimizerConfig};
use tch::{Device, Kind, Tensor};

use crate::baseline::Retrieval;
use crate::corpus::Example;
use crate::generate::Rng;
use crate::goal::{Goal, identifiers};
use crate::normalise::normalise_goal;
use crate::scope::{Local, compatible};
use crate::template::{abstract_tactic, fill, slot_names, slots};
pub use crate::{ModelError, TrainConfig};
use crate::{Ranker, Suggestion, rank_dedup};

/// Whether this build carries the model.
pub const AVAILABLE: bool = true;

const MAX_LEN: usize = 192;
const MAX_NAMES: usize = 12;
const MAX_SLOTS: usize = 3;
const PAD: i64 = 256;
const BOS: i64 = 257;
const VOCAB: i64 = 258;
const IGNORE: i64 = -100;

/// Everything besides the tensors: shapes, the template vocabulary, and how it was trained.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    pub format: String,
    pub d_model: i64,
    pub conv_blocks: usize,
    pub heads: i64,
    pub max_len: usize,
    pub templates: Vec<String>,
    pub parameters: i64,
    pub seed: u64,
    pub epochs: usize,
    pub train_examples: usize,
    pub heldout_examples: usize,
    pub final_train_loss: f64,
    pub heldout_template_top1: f64,
    pub train_seconds: f64,
    pub command: String,
}

struct Net {
    emb: nn::Embedding,
    pos: nn::Embedding,
    convs: Vec<(nn::Conv1D, nn::LayerNorm)>,
    qkv: nn::Linear,
    attn_out: nn::Linear,
    attn_ln: nn::LayerNorm,
    hidden: nn::Linear,
    templates: nn::Linear,
    slot_query: nn::Linear,
    d: i64,
    heads: i64,
}

impl Net {
    fn new(p: &nn::Path, d: i64, blocks: usize, heads: i64, k: i64) -> Net {
        let convs = (0..blocks)
            .map(|i| {
                (
                    nn::conv1d(
                        p / format!("conv{i}"),
                        d,
                        d,
                        5,
                        nn::ConvConfig {
                            padding: 2,
                            ..Default::default()
                        },
                    ),
                    nn::layer_norm(p / format!("conv_ln{i}"), vec![d], Default::default()),
                )
            })
            .collect();
        Net {
            emb: nn::embedding(p / "emb", VOCAB, d, Default::default()),
            pos: nn::embedding(p / "pos", MAX_LEN as i64, d, Default::default()),
            convs,
            qkv: nn::linear(p / "qkv", d, 3 * d, Default::default()),
            attn_out: nn::linear(p / "attn_out", d, d, Default::default()),
            attn_ln: nn::layer_norm(p / "attn_ln", vec![d], Default::default()),
            hidden: nn::linear(p / "hidden", d, d, Default::default()),
            templates: nn::linear(p / "templates", d, k, Default::default()),
            slot_query: nn::linear(
                p / "slot_query",
                d,
                MAX_SLOTS as i64 * d,
                Default::default(),
            ),
            d,
            heads,
        }
    }

    /// Byte ids [B, L] and mask [B, L] (1 = byte) → states [B, L, d] and pooled [B, d].
    fn encode(&self, bytes: &Tensor, mask: &Tensor) -> (Tensor, Tensor) {
        let (b, l) = bytes.size2().expect("2-d input");
        let device = bytes.device();
        let positions = Tensor::arange(l, (Kind::Int64, device));
        let m = mask.unsqueeze(-1);
        let mut x = bytes.apply(&self.emb) + positions.apply(&self.pos).unsqueeze(0);
        for (conv, ln) in &self.convs {
            let y = x.transpose(1, 2).apply(conv).transpose(1, 2);
            x = (x + y.apply(ln).gelu("none")) * &m;
        }
        let dh = self.d / self.heads;
        let qkv = x
            .apply(&self.qkv)
            .view([b, l, 3, self.heads, dh])
            .permute([2, 0, 3, 1, 4]);
        let (q, k, v) = (qkv.get(0), qkv.get(1), qkv.get(2));
        let attend = mask.gt(0.5).view([b, 1, 1, l]);
        let a = Tensor::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            Some(&attend),
            0.0,
            false,
            None,
            false,
        );
        let a = a
            .transpose(1, 2)
            .contiguous()
            .view([b, l, self.d])
            .apply(&self.attn_out);
        let h = (x + a).apply(&self.attn_ln) * &m;
        let pooled = h.sum_dim_intlist(&[1i64][..], false, Kind::Float)
            / mask.sum_dim_intlist(&[1i64][..], true, Kind::Float);
        (h, pooled)
    }

    fn template_logits(&self, pooled: &Tensor) -> Tensor {
        pooled
            .apply(&self.hidden)
            .gelu("none")
            .apply(&self.templates)
    }

    /// Pointer logits [B, S, N]: each slot's query against each name's mean state.
    fn slot_logits(
        &self,
        h: &Tensor,
        pooled: &Tensor,
        name_pos: &Tensor,
        name_ok: &Tensor,
    ) -> Tensor {
        let b = pooled.size()[0];
        let names = name_pos.bmm(h); // [B, N, d]
        let q = self
            .slot_query
            .forward(pooled)
            .view([b, MAX_SLOTS as i64, self.d]);
        let logits = q.bmm(&names.transpose(1, 2)) / (self.d as f64).sqrt();
        logits.masked_fill(&name_ok.unsqueeze(1).logical_not(), -1e9)
    }
}

/// One goal as the network reads it.
struct Encoded {
    bytes: Vec<i64>,
    mask: Vec<f32>,
    names: Vec<Local>,
    /// Per name: byte positions of its occurrences in the window.
    occurrences: Vec<Vec<usize>>,
}

fn encode_goal(goal: &str) -> Encoded {
    let text = normalise_goal(goal);
    let names: Vec<Local> = Goal::parse(&text)
        .map(|g| slot_names(&g))
        .unwrap_or_default()
        .into_iter()
        .take(MAX_NAMES)
        .collect();
    // Keep the end of the goal (the target) when it is too long, cut at a char boundary.
    let room = MAX_LEN - 1;
    let mut start = text.len().saturating_sub(room);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let window = &text[start..];
    let mut bytes = vec![BOS];
    bytes.extend(window.bytes().map(i64::from));
    let mut mask = vec![1.0; bytes.len()];
    bytes.resize(MAX_LEN, PAD);
    mask.resize(MAX_LEN, 0.0);
    let mut occurrences = vec![Vec::new(); names.len()];
    let mut from = 0;
    for tok in identifiers(window) {
        let Some(rel) = window[from..].find(tok) else {
            continue;
        };
        let at = from + rel;
        from = at + tok.len();
        if let Some(i) = names.iter().position(|n| n.name == tok) {
            occurrences[i].push(at + 1); // +1 for BOS
        }
    }
    Encoded {
        bytes,
        mask,
        names,
        occurrences,
    }
}

struct Batch {
    bytes: Tensor,
    mask: Tensor,
    name_pos: Tensor,
    name_ok: Tensor,
}

fn batch(items: &[&Encoded], device: Device) -> Batch {
    let b = items.len() as i64;
    let mut bytes = Vec::with_capacity(items.len() * MAX_LEN);
    let mut mask = Vec::with_capacity(items.len() * MAX_LEN);
    let mut pos = vec![0f32; items.len() * MAX_NAMES * MAX_LEN];
    let mut ok = vec![false; items.len() * MAX_NAMES];
    for (i, e) in items.iter().enumerate() {
        bytes.extend_from_slice(&e.bytes);
        mask.extend_from_slice(&e.mask);
        for (n, occ) in e.occurrences.iter().enumerate() {
            if occ.is_empty() {
                continue;
            }
            ok[i * MAX_NAMES + n] = true;
            let w = 1.0 / occ.len() as f32;
            for p in occ {
                pos[(i * MAX_NAMES + n) * MAX_LEN + p] = w;
            }
        }
    }
    Batch {
        bytes: Tensor::from_slice(&bytes)
            .view([b, MAX_LEN as i64])
            .to_device(device),
        mask: Tensor::from_slice(&mask)
            .view([b, MAX_LEN as i64])
            .to_device(device),
        name_pos: Tensor::from_slice(&pos)
            .view([b, MAX_NAMES as i64, MAX_LEN as i64])
            .to_device(device),
        name_ok: Tensor::from_slice(&ok)
            .view([b, MAX_NAMES as i64])
            .to_device(device),
    }
}

/// The trained ranker.
pub struct TacticModel {
    _vs: nn::VarStore,
    net: Net,
    meta: Meta,
    retrieval: Retrieval,
    device: Device,
}

/// The net `build` makes, with the tensors of `weights`, on the GPU when libtorch sees one
/// (one thread for answering, [`set_inference_threads`]); the error says why not.
fn load_net<N>(
    weights: &Path,
    build: impl FnOnce(&nn::Path) -> N,
) -> Result<(nn::VarStore, N, Device), String> {
    let device = Device::cuda_if_available();
    set_inference_threads();
    let mut vs = nn::VarStore::new(device);
    let net = build(&vs.root());
    vs.load(weights)
        .map_err(|e| format!("corrupt or mismatched weights: {e}"))?;
    Ok((vs, net, device))
}

/// Threads for answering one goal: `THEORIST_TORCH_THREADS`, else 1. One goal at a time is
/// too small a job to share across threads: on a busy 2-core machine OpenMP's barrier waits
/// dominated (79 ms per suggestion with 2 threads).
fn set_inference_threads() {
    let threads = std::env::var("THEORIST_TORCH_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    tch::set_num_threads(threads);
}

/// A device as the CLI names it (`cpu`, `cuda:0`).
fn device_name(device: Device) -> String {
    match device {
        Device::Cpu => "cpu".into(),
        Device::Cuda(i) => format!("cuda:{i}"),
        other => format!("{other:?}"),
    }
}

const D_MODEL: i64 = 128;
const BLOCKS: usize = 2;
const HEADS: i64 = 4;
const FORMAT: &str = "theorist-tacrank/1";

fn meta_path(weights: &Path) -> std::path::PathBuf {
    weights.with_extension("json")
}

impl TacticModel {
    /// Loads `weights` (.safetensors) and its manifest (same name, `.json`).
    pub fn load(weights: &Path) -> Result<TacticModel, ModelError> {
        let bad = |detail: String| ModelError::Weights {
            path: weights.to_path_buf(),
            detail,
        };
        if !weights.exists() {
            return Err(bad("no such file".into()));
        }
        let meta_text = std::fs::read_to_string(meta_path(weights)).map_err(|e| {
            bad(format!(
                "its manifest {}: {e}",
                meta_path(weights).display()
            ))
        })?;
        let mut meta: Meta = serde_json::from_str(&meta_text)
            .map_err(|e| bad(format!("its manifest is not valid: {e}")))?;
        // Weights trained before slots had classes: their slots take any local.
        for t in &mut meta.templates {
            *t = crate::template::upgrade_legacy(t);
        }
        if meta.format != FORMAT {
            return Err(bad(format!(
                "format `{}`, expected `{FORMAT}`",
                meta.format
            )));
        }
        let (vs, net, device) = load_net(weights, |p| {
            Net::new(
                p,
                meta.d_model,
                meta.conv_blocks,
                meta.heads,
                meta.templates.len() as i64,
            )
        })
        .map_err(bad)?;
        let retrieval = Retrieval::train(&crate::baseline_examples());
        Ok(TacticModel {
            _vs: vs,
            net,
            meta,
            retrieval,
            device,
        })
    }

    pub fn device(&self) -> String {
        device_name(self.device)
    }

    pub fn meta(&self) -> &Meta {
        &self.meta
    }
}

impl Ranker for TacticModel {
    fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        let enc = encode_goal(goal);
        let (tprobs, sprobs) = tch::no_grad(|| {
            let b = batch(&[&enc], self.device);
            let (h, pooled) = self.net.encode(&b.bytes, &b.mask);
            let t = self.net.template_logits(&pooled).softmax(-1, Kind::Float);
            let s = self
                .net
                .slot_logits(&h, &pooled, &b.name_pos, &b.name_ok)
                .softmax(-1, Kind::Float);
            (
                Vec::<f32>::try_from(t.flatten(0, -1).to_device(Device::Cpu)).unwrap_or_default(),
                Vec::<f32>::try_from(s.flatten(0, -1).to_device(Device::Cpu)).unwrap_or_default(),
            )
        });
        let mut order: Vec<usize> = (0..tprobs.len()).collect();
        order.sort_by(|a, b| tprobs[*b].total_cmp(&tprobs[*a]));
        let mut out = Vec::new();
        for &t in order.iter().take((2 * k).max(16)) {
            let template = &self.meta.templates[t];
            let p = tprobs[t] as f64;
            let classes = slots(template);
            let slots = classes.len();
            if slots == 0 {
                out.push(Suggestion {
                    tactic: template.clone(),
                    score: p,
                    source: "model".into(),
                });
                continue;
            }
            if slots > MAX_SLOTS || enc.names.is_empty() {
                continue;
            }
            // Top three names per slot, then every distinct assignment.
            // Only names of the slot's class (type-compatible arguments).
            let per_slot: Vec<Vec<(usize, f64)>> = (0..slots)
                .map(|s| {
                    let row = &sprobs[s * MAX_NAMES..(s + 1) * MAX_NAMES];
                    let mut idx: Vec<usize> = (0..enc.names.len())
                        .filter(|i| compatible(classes[s], enc.names[*i].class))
                        .collect();
                    idx.sort_by(|a, b| row[*b].total_cmp(&row[*a]));
                    idx.into_iter()
                        .take(3)
                        .map(|i| (i, row[i] as f64))
                        .collect()
                })
                .collect();
            let mut combos: Vec<(Vec<usize>, f64)> = vec![(Vec::new(), p)];
            for options in &per_slot {
                let mut next = Vec::new();
                for (chosen, score) in &combos {
                    for (i, q) in options {
                        if !chosen.contains(i) {
                            let mut c = chosen.clone();
                            c.push(*i);
                            next.push((c, score * q));
                        }
                    }
                }
                combos = next;
            }
            for (chosen, score) in combos {
                let names: Vec<&str> = chosen.iter().map(|i| enc.names[*i].name.as_str()).collect();
                out.push(Suggestion {
                    tactic: fill(template, &names),
                    score,
                    source: "model".into(),
                });
            }
        }
        // Literal tactics of the nearest training goals, after the confident templates.
        for (row, sim) in self.retrieval.nearest(goal, None, k) {
            out.push(Suggestion {
                tactic: self.retrieval.tactic(row).to_string(),
                score: 0.02 * sim as f64,
                source: "model-retrieval".into(),
            });
        }
        rank_dedup(out, k)
    }

    fn name(&self) -> &str {
        "model"
    }
}

struct TrainItem {
    enc: Encoded,
    template: i64,
    slots: [i64; MAX_SLOTS],
}

fn items(examples: &[Example], vocab: &HashMap<String, usize>) -> Vec<TrainItem> {
    examples
        .iter()
        .map(|e| {
            let enc = encode_goal(&e.goal);
            let (template, slot_names) = abstract_tactic(&e.tactic, &enc.names);
            let template_id = vocab.get(&template).map(|i| *i as i64).unwrap_or(IGNORE);
            let mut slots = [IGNORE; MAX_SLOTS];
            for (s, name) in slot_names.iter().enumerate().take(MAX_SLOTS) {
                if let Some(i) = enc.names.iter().position(|n| &n.name == name)
                    && !enc.occurrences[i].is_empty()
                {
                    slots[s] = i as i64;
                }
            }
            TrainItem {
                enc,
                template: template_id,
                slots,
            }
        })
        .collect()
}

/// Trains on `train` (seeded), reports held-out template accuracy per epoch, writes the
/// weights to `out` (.safetensors) and the manifest beside it.
pub fn train(
    train: &[Example],
    heldout: &[Example],
    config: &TrainConfig,
    out: &Path,
) -> Result<Meta, ModelError> {
    let started = std::time::Instant::now();
    tch::manual_seed(config.seed as i64);
    tch::set_num_threads(config.threads);
    let device = Device::cuda_if_available();
    let templates = template_vocabulary(train);
    let vocab: HashMap<String, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i))
        .collect();
    let train_items = items(train, &vocab);
    let held_items = items(heldout, &vocab);

    let vs = nn::VarStore::new(device);
    let net = Net::new(&vs.root(), D_MODEL, BLOCKS, HEADS, templates.len() as i64);
    let fitted = fit(
        &vs,
        &net,
        &train_items,
        &held_items,
        config,
        device,
        started,
    )?;
    if let Some(dir) = out.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| ModelError::Torch(format!("{}: {e}", dir.display())))?;
    }
    vs.save(out).map_err(|e| ModelError::Torch(e.to_string()))?;
    let parameters: i64 = vs
        .trainable_variables()
        .iter()
        .map(|t| t.numel() as i64)
        .sum();
    let meta = Meta {
        format: FORMAT.into(),
        d_model: D_MODEL,
        conv_blocks: BLOCKS,
        heads: HEADS,
        max_len: MAX_LEN,
        templates,
        parameters,
        seed: config.seed,
        epochs: config.epochs,
        train_examples: train.len(),
        heldout_examples: heldout.len(),
        final_train_loss: fitted.last_loss,
        heldout_template_top1: fitted.held_top1,
        train_seconds: started.elapsed().as_secs_f64(),
        command: format!(
            "theorist model train --seed {} --epochs {} --threads {}",
            config.seed, config.epochs, config.threads
        ),
    };
    let text = serde_json::to_string_pretty(&meta).map_err(|e| ModelError::Torch(e.to_string()))?;
    std::fs::write(meta_path(out), text).map_err(|e| ModelError::Torch(e.to_string()))?;
    Ok(meta)
}

/// The template vocabulary: every abstracted training tactic, most frequent first (ties by
/// text, so it is deterministic), at most 2048.
fn template_vocabulary(train: &[Example]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for e in train {
        let names = Goal::parse(&e.goal)
            .map(|g| slot_names(&g))
            .unwrap_or_default();
        *counts
            .entry(abstract_tactic(&e.tactic, &names).0)
            .or_default() += 1;
    }
    let mut templates: Vec<(String, usize)> = counts.into_iter().collect();
    templates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    templates.truncate(2048);
    templates.into_iter().map(|(t, _)| t).collect()
}

/// Where training ended: the last epoch's mean loss and held-out template top-1.
struct Fitted {
    last_loss: f64,
    held_top1: f64,
}

/// `config.epochs` epochs of AdamW over seeded shuffles of `train_items`, the learning rate
/// warmed down linearly; each epoch's loss and held-out accuracy go to stderr.
fn fit(
    vs: &nn::VarStore,
    net: &Net,
    train_items: &[TrainItem],
    held_items: &[TrainItem],
    config: &TrainConfig,
    device: Device,
    started: std::time::Instant,
) -> Result<Fitted, ModelError> {
    let mut opt = nn::AdamW::default()
        .build(vs, config.lr)
        .map_err(|e| ModelError::Torch(e.to_string()))?;
    let mut rng = Rng::new(config.seed);
    let mut fitted = Fitted {
        last_loss: 0.0,
        held_top1: 0.0,
    };
    let steps_per_epoch = train_items.len().div_ceil(config.batch);
    let total_steps = (steps_per_epoch * config.epochs).max(1);
    let mut step = 0;
    for epoch in 0..config.epochs {
        let mut order: Vec<usize> = (0..train_items.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let mut sum = 0.0;
        let mut n = 0;
        for chunk in order.chunks(config.batch) {
            opt.set_lr(config.lr * (1.0 - step as f64 / total_steps as f64).max(0.05));
            step += 1;
            let its: Vec<&TrainItem> = chunk.iter().map(|i| &train_items[*i]).collect();
            let loss = batch_loss(net, &its, device);
            opt.backward_step(&loss);
            sum += loss.double_value(&[]);
            n += 1;
        }
        fitted.last_loss = sum / n.max(1) as f64;
        fitted.held_top1 = template_accuracy(net, held_items, device);
        eprintln!(
            "epoch {}/{}: train loss {:.4}, held-out template top-1 {:.1}% ({:.0}s)",
            epoch + 1,
            config.epochs,
            fitted.last_loss,
            100.0 * fitted.held_top1,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(fitted)
}

fn batch_loss(net: &Net, its: &[&TrainItem], device: Device) -> Tensor {
    let encs: Vec<&Encoded> = its.iter().map(|i| &i.enc).collect();
    let b = batch(&encs, device);
    let (h, pooled) = net.encode(&b.bytes, &b.mask);
    let t_target =
        Tensor::from_slice(&its.iter().map(|i| i.template).collect::<Vec<_>>()).to_device(device);
    let s_target: Vec<i64> = its.iter().flat_map(|i| i.slots).collect();
    let mut parts = Vec::new();
    if its.iter().any(|i| i.template != IGNORE) {
        parts.push(net.template_logits(&pooled).cross_entropy_loss::<Tensor>(
            &t_target,
            None,
            tch::Reduction::Mean,
            IGNORE,
            0.0,
        ));
    }
    if s_target.iter().any(|t| *t != IGNORE) {
        let s = net.slot_logits(&h, &pooled, &b.name_pos, &b.name_ok);
        let s_target = Tensor::from_slice(&s_target).to_device(device);
        parts.push(s.view([-1, MAX_NAMES as i64]).cross_entropy_loss::<Tensor>(
            &s_target,
            None,
            tch::Reduction::Mean,
            IGNORE,
            0.0,
        ));
    }
    parts
        .into_iter()
        .fold(Tensor::zeros([], (Kind::Float, device)), |a, b| a + b)
}

fn template_accuracy(net: &Net, items: &[TrainItem], device: Device) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    let mut right = 0usize;
    tch::no_grad(|| {
        for chunk in items.chunks(256) {
            let encs: Vec<&Encoded> = chunk.iter().map(|i| &i.enc).collect();
            let b = batch(&encs, device);
            let (_, pooled) = net.encode(&b.bytes, &b.mask);
            let best = Vec::<i64>::try_from(
                net.template_logits(&pooled)
                    .argmax(-1, false)
                    .to_device(Device::Cpu),
            )
            .unwrap_or_default();
            right += chunk
                .iter()
                .zip(best)
                .filter(|(i, b)| i.template == *b)
                .count();
        }
    });
    right as f64 / items.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Split, generated};

    #[test]
    fn trains_saves_loads_and_ranks_on_cpu() {
        let ex = generated(5, 150);
        let (tr, he): (Vec<_>, Vec<_>) = ex.into_iter().partition(|e| e.split == Split::Train);
        let dir = tempfile_dir();
        let out = dir.join("t.safetensors");
        let config = TrainConfig {
            epochs: 1,
            ..TrainConfig::default()
        };
        let meta = train(&tr, &he, &config, &out).unwrap();
        assert!(meta.parameters > 10_000);
        let m = TacticModel::load(&out).unwrap();
        let s = m.suggest("x y : ℝ\n⊢ 2 * x * y ≤ x ^ 2 + y ^ 2", 8);
        assert_eq!(s.len(), 8);
        assert!(s.windows(2).all(|w| w[0].score >= w[1].score));
        // Corrupt weights: a clear error, not a crash.
        std::fs::write(&out, b"not safetensors").unwrap();
        let err = TacticModel::load(&out)
            .err()
            .expect("corrupt weights must fail");
        assert!(err.to_string().contains("corrupt"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_shipped_weights_run_on_the_gpu_when_one_is_present() {
        let weights =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/tacrank.safetensors");
        let m = TacticModel::load(&weights).unwrap();
        if !tch::Cuda::is_available() {
            // The CPU path is what ran above; this machine has no GPU for libtorch to use.
            eprintln!(
                "skipped the GPU check: libtorch sees no CUDA device; ran on {}",
                m.device()
            );
            assert_eq!(m.device(), "cpu");
            return;
        }
        assert!(m.device().starts_with("cuda"), "{}", m.device());
        let s = m.suggest("x : ℝ\n⊢ 0 ≤ x ^ 2", 8);
        assert_eq!(s.len(), 8);
        assert!(s.windows(2).all(|w| w[0].score >= w[1].score));
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("tacrank-test-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
