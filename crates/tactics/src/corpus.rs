//! The training and evaluation examples: (goal, tactic) pairs from the generator, from the
//! goals of our own `lean/` library, and the real miniF2F-valid proofs (evaluation only: no
//! real pair here comes from a train split, so none is trained on). Splits are by theorem,
//! never by line: every step of one theorem lands on the same side.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::generate;
use crate::normalise::{collapse_ws, normalise_goal, statement_to_goal};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    Train,
    Heldout,
}

/// One (goal, tactic) example.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// The theorem it comes from (the unit of the split).
    pub theorem: String,
    /// Normalised goal text.
    pub goal: String,
    /// The canonical tactic.
    pub tactic: String,
    /// Every tactic known right here (includes `tactic`).
    pub right: Vec<String>,
    /// Whether the right tactics close the goal.
    pub closes: bool,
    /// `generated:<family>`, `library`, `minif2f-valid`.
    pub source: String,
    pub split: Split,
    /// Namespaces the goal's file opens (`open Real Nat` in miniF2F's header): short names
    /// resolve under them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opens: Vec<String>,
}

/// 1 in `HELDOUT_EVERY` theorems is held out, chosen by a hash of the theorem's name.
pub const HELDOUT_EVERY: u64 = 10;

pub fn split_of(theorem: &str) -> Split {
    // FNV-1a: stable across platforms and Rust versions (unlike DefaultHasher).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in theorem.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    if h % HELDOUT_EVERY == 0 {
        Split::Heldout
    } else {
        Split::Train
    }
}

/// Examples of `n` generated theorems from `seed`.
pub fn generated(seed: u64, n: usize) -> Vec<Example> {
    let mut out = Vec::new();
    for t in generate::corpus(seed, n) {
        let split = split_of(&t.id);
        for s in &t.steps {
            out.push(Example {
                theorem: t.id.clone(),
                goal: normalise_goal(&s.goal),
                tactic: s.tactics[0].clone(),
                right: s.tactics.clone(),
                closes: s.closes,
                source: format!("generated:{}", t.family),
                opens: Vec::new(),
                split,
            });
        }
    }
    out
}

/// First steps of the tactic proofs in the `.lean` files under `dir` (our library): the goal
/// from the statement, the tactic from the proof's first line.
pub fn library(dir: &Path) -> Vec<Example> {
    let mut files = Vec::new();
    collect_lean(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let src = theorist_leansrc::parse(&text);
        for d in &src.decls {
            let Some(body) = d.body.as_deref() else {
                continue;
            };
            let Some(script) = body.strip_prefix("by") else {
                continue;
            };
            let Some(first) = first_tactic(script) else {
                continue;
            };
            if first == "sorry" {
                continue;
            }
            let Some(goal) = statement_to_goal(&format!("theorem X {} :=", d.signature)) else {
                continue;
            };
            let theorem = format!("library:{}", d.name);
            out.push(Example {
                split: split_of(&theorem),
                theorem,
                goal,
                tactic: first.clone(),
                right: vec![first],
                closes: script.trim().lines().count() == 1,
                source: "library".into(),
                opens: Vec::new(),
            });
        }
    }
    out
}

fn collect_lean(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_lean(&p, out);
        } else if p.extension().is_some_and(|x| x == "lean") {
            out.push(p);
        }
    }
}

/// The first tactic of a proof script: comments (`--`, `/- … -/`) skipped, one line.
pub fn first_tactic(script: &str) -> Option<String> {
    let masked = theorist_leansrc::mask_comments_and_strings(script);
    for (line, orig) in masked.lines().zip(script.lines()) {
        if line.trim().is_empty() {
            continue;
        }
        let start = line.len() - line.trim_start().len();
        let end = start + line.trim().len();
        let t = collapse_ws(&orig[start..end.min(orig.len())]);
        if !t.is_empty() {
            return Some(t);
        }
    }
    None
}

#[derive(Deserialize)]
struct MiniF2fRow {
    name: String,
    split: String,
    #[serde(default)]
    goal: Option<String>,
    #[serde(default)]
    formal_statement: Option<String>,
    #[serde(default)]
    formal_proof: Option<String>,
    #[serde(default)]
    header: Option<String>,
}

/// The real miniF2F-valid proofs (DeepSeek-Prover-V1.5's few-shot file) as first-step
/// examples: Lean's own printed goal (from `minif2f.jsonl`) and the proof's first tactic.
/// Always held out: these are for evaluation only, and test rows are never read.
pub fn minif2f_valid(model_data: &Path) -> std::io::Result<Vec<Example>> {
    let dir = model_data.join("deepseek-prover-v1.5");
    let goals_text = std::fs::read_to_string(dir.join("minif2f.jsonl"))?;
    let mut goals = std::collections::HashMap::new();
    for line in goals_text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(row) = serde_json::from_str::<MiniF2fRow>(line) else {
            continue;
        };
        if row.split == "valid"
            && let Some(g) = row.goal
        {
            // The context after the header: a declaration placed right after it.
            let header = format!(
                "{}\nexample : True := trivial\n",
                row.header.as_deref().unwrap_or("")
            );
            let opens = crate::context::context_at(&header, u32::MAX).opens;
            goals.insert(row.name, (g, opens));
        }
    }
    let proofs = std::fs::read_to_string(dir.join("minif2f_valid_few_shot.jsonl"))?;
    let mut out = Vec::new();
    for line in proofs.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(row) = serde_json::from_str::<MiniF2fRow>(line) else {
            continue;
        };
        if row.split != "valid" {
            continue;
        }
        let (Some(proof), Some((goal, opens))) = (row.formal_proof, goals.get(&row.name)) else {
            continue;
        };
        let Some(first) = first_tactic(&proof) else {
            continue;
        };
        out.push(Example {
            theorem: format!("minif2f:{}", row.name),
            goal: normalise_goal(goal),
            tactic: first.clone(),
            right: vec![first],
            closes: proof.trim().lines().count() == 1,
            source: "minif2f-valid".into(),
            split: Split::Heldout,
            opens: opens.clone(),
        });
    }
    Ok(out)
}

/// The real (statement, printed goal) pairs of miniF2F and ProofNet, all splits: they test the
/// normaliser only (nothing is trained on them).
pub fn statement_goal_pairs(model_data: &Path) -> std::io::Result<Vec<(String, String)>> {
    let dir = model_data.join("deepseek-prover-v1.5");
    let mut out = Vec::new();
    for f in ["minif2f.jsonl", "proofnet.jsonl"] {
        let text = std::fs::read_to_string(dir.join(f))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(row) = serde_json::from_str::<MiniF2fRow>(line) else {
                continue;
            };
            if let (Some(s), Some(g)) = (row.formal_statement, row.goal) {
                out.push((s, g));
            }
        }
    }
    Ok(out)
}

/// How often `statement_to_goal(statement)` equals `normalise_goal(goal)`, and the naive
/// baseline (binders as hypotheses with no printer rewriting).
pub fn normaliser_agreement(pairs: &[(String, String)]) -> (usize, usize, usize) {
    let mut ours = 0;
    let mut naive = 0;
    for (s, g) in pairs {
        let want = normalise_goal(g);
        if statement_to_goal(s).as_deref() == Some(want.as_str()) {
            ours += 1;
        }
        if naive_goal(s).as_deref() == Some(collapse_lines(g).as_str()) {
            naive += 1;
        }
    }
    (ours, naive, pairs.len())
}

fn collapse_lines(g: &str) -> String {
    g.lines().map(collapse_ws).collect::<Vec<_>>().join("\n")
}

/// The naive rewrite: binders to hypotheses, the type after `⊢`, whitespace collapsed.
fn naive_goal(statement: &str) -> Option<String> {
    let s = statement.trim();
    let body = s.rfind(":=").map(|i| &s[..i]).unwrap_or(s);
    let src = theorist_leansrc::parse(&format!("{body} := sorry"));
    let d = src.decls.first()?;
    let sig = collapse_ws(&d.signature);
    let mut hyps = Vec::new();
    let mut rest = sig.as_str();
    while rest.starts_with(['(', '{', '[']) {
        let close = match rest.as_bytes()[0] {
            b'(' => ')',
            b'{' => '}',
            _ => ']',
        };
        let end = rest.find(close)?;
        let inner = &rest[1..end];
        match inner.split_once(" : ") {
            Some((n, t)) => hyps.push(format!("{} : {}", n.trim(), t.trim())),
            None => hyps.push(format!("inst✝ : {}", inner.trim())),
        }
        rest = rest[end + 1..].trim_start();
    }
    let target = rest.strip_prefix(':')?.trim();
    hyps.push(format!("⊢ {target}"));
    Some(hyps.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_by_theorem() {
        let ex = generated(3, 300);
        let held = ex.iter().filter(|e| e.split == Split::Heldout).count();
        assert!(held > 0 && held < ex.len() / 4);
        for e in &ex {
            assert_eq!(e.split, split_of(&e.theorem));
        }
    }

    #[test]
    fn first_tactic_skips_comments() {
        assert_eq!(
            first_tactic("  /- a\n comment -/\n  -- hi\n  nlinarith [sq_nonneg (x - y)]\n  ring")
                .as_deref(),
            Some("nlinarith [sq_nonneg (x - y)]")
        );
    }
}
