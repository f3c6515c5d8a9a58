//! Mined proofs as training and evaluation data, split honestly: whole repositories are held
//! out, and for physics whole PhysLean files (the Higgs and two-Higgs-doublet files always
//! among them); machine-generated sources are left out. No near-duplicate crosses the split:
//! a training proof whose goal equals a held-out proof's goal once local names are renamed
//! by position and numerals abstracted is dropped (and counted).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::goal::Goal;
use crate::mine::MinedProof;
use crate::normalise::{collapse_ws, normalise_goal};
use crate::template::slot_names;

/// Where a proof goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Train,
    /// A repository held out whole.
    HeldoutRepo,
    /// A held-out file of the physics library.
    HeldoutPhysics,
    /// Machine-generated sources: neither trained on nor evaluated.
    Excluded,
}

/// The split's rules (the defaults are the ones the README's figures use).
#[derive(Debug, Clone, Serialize)]
pub struct SplitPlan {
    pub heldout_repos: Vec<String>,
    pub physics_repo: String,
    /// 1 in this many physics files is held out (by a hash of its path)…
    pub physics_every: u64,
    /// … and every file under these folders.
    pub physics_always: Vec<String>,
    pub excluded_repos: Vec<String>,
    /// Files whose path contains one of these are generated, not written.
    pub excluded_paths: Vec<String>,
}

impl Default for SplitPlan {
    fn default() -> Self {
        SplitPlan {
            heldout_repos: vec![
                "teorth/pfr".into(),
                "fpvandoorn/carleson".into(),
                "BhorisDhanjal/KeplersLawsLean".into(),
            ],
            physics_repo: "leanprover-community/physlib".into(),
            physics_every: 6,
            physics_always: vec![
                "PhysLean/Particles/StandardModel/HiggsBoson/".into(),
                "PhysLean/Particles/BeyondTheStandardModel/TwoHDM/".into(),
            ],
            excluded_repos: vec!["jcreedcmu/Noperthedron".into()],
            excluded_paths: vec!["/Generated/".into()],
        }
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl SplitPlan {
    pub fn part_of(&self, repo: &str, file: &str) -> Part {
        if self.excluded_repos.iter().any(|r| r == repo)
            || self
                .excluded_paths
                .iter()
                .any(|p| file.contains(p.as_str()))
        {
            return Part::Excluded;
        }
        if self.heldout_repos.iter().any(|r| r == repo) {
            return Part::HeldoutRepo;
        }
        if repo == self.physics_repo
            && (self
                .physics_always
                .iter()
                .any(|p| file.starts_with(p.as_str()))
                || fnv(file) % self.physics_every == 0)
        {
            return Part::HeldoutPhysics;
        }
        Part::Train
    }
}

/// A goal with its local names renamed by position (`v0`, `v1`, …) and numerals replaced by
/// `N`: two goals that differ only there are near-duplicates.
pub fn canonical_goal(goal: &str) -> String {
    let text = normalise_goal(goal);
    let locals: Vec<String> = Goal::parse(&text)
        .map(|g| slot_names(&g).into_iter().map(|l| l.name).collect())
        .unwrap_or_default();
    let mut order: Vec<String> = Vec::new();
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            out.push('N');
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && crate::normalise::is_ident_char(chars[i]) && chars[i] != '.' {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if locals.contains(&word) {
                let k = match order.iter().position(|w| *w == word) {
                    Some(k) => k,
                    None => {
                        order.push(word);
                        order.len() - 1
                    }
                };
                out.push_str(&format!("v{k}"));
            } else {
                out.push_str(&word);
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    collapse_ws(&out)
}

/// What [`split`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SplitReport {
    /// Proofs per part.
    pub proofs: Vec<(Part, usize)>,
    /// Training proofs dropped as near-duplicates of held-out ones.
    pub near_duplicates_dropped: usize,
    /// Proofs without a goal (statement not turned into one), left out.
    pub without_goal: usize,
}

/// Proofs by part, near-duplicates of held-out goals removed from training.
pub fn split(
    proofs: Vec<MinedProof>,
    plan: &SplitPlan,
) -> (HashMap<Part, Vec<MinedProof>>, SplitReport) {
    let mut parts: HashMap<Part, Vec<MinedProof>> = HashMap::new();
    let mut report = SplitReport::default();
    for p in proofs {
        if p.goal.is_none() || p.steps.is_empty() {
            report.without_goal += 1;
            continue;
        }
        parts
            .entry(plan.part_of(&p.repo, &p.file))
            .or_default()
            .push(p);
    }
    let held: HashSet<String> = parts
        .iter()
        .filter(|(k, _)| matches!(k, Part::HeldoutRepo | Part::HeldoutPhysics))
        .flat_map(|(_, v)| v.iter())
        .filter_map(|p| p.goal.as_deref().map(canonical_goal))
        .collect();
    if let Some(train) = parts.get_mut(&Part::Train) {
        let before = train.len();
        train.retain(|p| {
            p.goal
                .as_deref()
                .is_none_or(|g| !held.contains(&canonical_goal(g)))
        });
        report.near_duplicates_dropped = before - train.len();
    }
    let mut counts: Vec<(Part, usize)> = parts.iter().map(|(k, v)| (*k, v.len())).collect();
    counts.sort();
    report.proofs = counts;
    (parts, report)
}

/// One (state, tactic) example of a mined proof.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepItem {
    pub repo: String,
    pub file: String,
    pub decl: String,
    /// The proof's line (its declaration's, or its `have`'s).
    pub line: u32,
    /// Index of the step in its proof: 0 is the first tactic.
    pub index: usize,
    /// Lean's goal before the step when traced, else the proof's starting goal.
    pub goal: String,
    /// The proof's earlier steps, in order.
    pub previous: Vec<String>,
    /// Names earlier steps (and an enclosing proof, for a `have`) introduced.
    pub introduced: Vec<String>,
    pub tactic: String,
}

impl StepItem {
    pub fn is_first(&self) -> bool {
        self.index == 0
    }
}

/// Every step of every proof, as items.
pub fn step_items(proofs: &[MinedProof]) -> Vec<StepItem> {
    let mut out = Vec::new();
    for p in proofs {
        let Some(goal) = p.goal.as_deref() else {
            continue;
        };
        let mut introduced = p.context_names.clone();
        for (i, s) in p.steps.iter().enumerate() {
            out.push(StepItem {
                repo: p.repo.clone(),
                file: p.file.clone(),
                decl: p.decl.clone(),
                line: p.line,
                index: i,
                goal: s.goal.clone().unwrap_or_else(|| goal.to_string()),
                previous: p.steps[..i].iter().map(|s| s.tactic.clone()).collect(),
                introduced: introduced.clone(),
                tactic: s.tactic.clone(),
            });
            for n in crate::tactic_names::names(&s.tactic).bound {
                if !introduced.contains(&n) {
                    introduced.push(n);
                }
            }
        }
    }
    out
}

/// At most `cap` items, chosen by a hash of their identity (the same every run).
pub fn sample(items: Vec<StepItem>, cap: usize) -> Vec<StepItem> {
    if items.len() <= cap {
        return items;
    }
    let mut keyed: Vec<(u64, StepItem)> = items
        .into_iter()
        .map(|it| {
            (
                fnv(&format!("{}|{}|{}|{}", it.repo, it.file, it.decl, it.index)),
                it,
            )
        })
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    keyed.truncate(cap);
    keyed.into_iter().map(|(_, it)| it).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mine::{MinedStep, ProofKind};

    fn proof(repo: &str, file: &str, goal: &str) -> MinedProof {
        MinedProof {
            repo: repo.into(),
            file: file.into(),
            decl: "d".into(),
            kind: ProofKind::Declaration,
            line: 1,
            goal: Some(goal.into()),
            context_names: Vec::new(),
            steps: vec![MinedStep {
                tactic: "ring".into(),
                line: 2,
                column: 2,
                depth: 0,
                goal: None,
            }],
        }
    }

    #[test]
    fn items_carry_history_and_introduced_names() {
        let mut p = proof("r", "F.lean", "x : ℝ\n⊢ ∀ y, x ≤ x + y ^ 2");
        p.steps.insert(
            0,
            MinedStep {
                tactic: "intro y".into(),
                line: 2,
                column: 2,
                depth: 0,
                goal: None,
            },
        );
        let items = step_items(&[p]);
        assert_eq!(items.len(), 2);
        assert!(items[0].is_first() && items[0].introduced.is_empty());
        assert_eq!(items[1].previous, ["intro y"]);
        assert_eq!(items[1].introduced, ["y"]);
        assert_eq!(sample(items.clone(), 1).len(), 1);
        assert_eq!(sample(items.clone(), 1), sample(items, 1));
    }

    #[test]
    fn canonical_goals_ignore_names_and_numerals() {
        assert_eq!(
            canonical_goal("x y : ℝ\nh : 0 < x\n⊢ 2 * x ≤ y + 3"),
            canonical_goal("a b : ℝ\nha : 0 < a\n⊢ 5 * a ≤ b + 1")
        );
        assert_ne!(
            canonical_goal("x y : ℝ\n⊢ x ≤ y"),
            canonical_goal("x y : ℝ\n⊢ y ≤ x")
        );
        // Library names are not renamed.
        assert_ne!(
            canonical_goal("x : ℝ\n⊢ Real.sqrt x ≥ 0"),
            canonical_goal("x : ℝ\n⊢ Real.exp x ≥ 0")
        );
    }

    #[test]
    fn whole_repositories_and_physics_files_are_held_out_without_near_duplicates() {
        let plan = SplitPlan::default();
        assert_eq!(plan.part_of("teorth/pfr", "PFR/A.lean"), Part::HeldoutRepo);
        assert_eq!(
            plan.part_of(
                "leanprover-community/physlib",
                "PhysLean/Particles/StandardModel/HiggsBoson/Potential.lean"
            ),
            Part::HeldoutPhysics
        );
        assert_eq!(
            plan.part_of("teorth/equational_theories", "x/Generated/y.lean"),
            Part::Excluded
        );
        let proofs = vec![
            proof(
                "leanprover-community/mathlib4",
                "Mathlib/A.lean",
                "a b : ℝ\n⊢ a * b = b * a",
            ),
            proof(
                "leanprover-community/mathlib4",
                "Mathlib/B.lean",
                "n : ℕ\n⊢ n + 0 = n",
            ),
            proof("teorth/pfr", "PFR/A.lean", "x y : ℝ\n⊢ x * y = y * x"),
        ];
        let (parts, report) = split(proofs, &plan);
        assert_eq!(report.near_duplicates_dropped, 1);
        let train = &parts[&Part::Train];
        assert_eq!(train.len(), 1);
        assert_eq!(train[0].file, "Mathlib/B.lean");
        // Disjoint: no training goal is a held-out goal up to names and numerals.
        let held: HashSet<String> = parts[&Part::HeldoutRepo]
            .iter()
            .map(|p| canonical_goal(p.goal.as_deref().unwrap()))
            .collect();
        assert!(
            train
                .iter()
                .all(|p| !held.contains(&canonical_goal(p.goal.as_deref().unwrap())))
        );
    }
}
