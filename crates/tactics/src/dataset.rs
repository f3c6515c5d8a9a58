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

/// The repositories mined for the README's figures that may be held out: all but the
/// libraries every other one builds on (Mathlib, Batteries), the physics library (split by
/// file instead), and the machine-generated Noperthedron. Sorted.
pub const DRAWN_FROM: &[&str] = &[
    "AlexKontorovich/PrimeNumberTheoremAnd",
    "BarinderBanwait/ramanujan_nagell",
    "Bergschaf/lean-banach-tarski",
    "BoltonBailey/FRISoundness",
    "CBirkbeck/LeanModularForms",
    "CBirkbeck/WeilConverse",
    "CBirkbeck/chebotarev-density",
    "Command-Master/lean-bourgain",
    "FLDutchmann/lean-bombieri-vinogradov",
    "FormalizedFormalLogic/Foundation",
    "FormalizedFormalLogic/goodstein-independence",
    "FrankieeW/QuadraticNumberFields",
    "FredRaj3/SemicircleLaw",
    "Hagb/groebner_proj",
    "ImperialCollegeLondon/FLT",
    "Ivan-Sergeyev/seymour",
    "JobPetrovcic/ArtinWedderburn",
    "RemyDegenne/brownian-motion",
    "RemyDegenne/testing-lower-bounds",
    "Verified-zkEVM/ArkLib",
    "YaelDillies/LeanAPAP",
    "YaelDillies/LeanCamCombi",
    "b-mehta/exponential-ramsey",
    "emilyriehl/infinity-cosmos",
    "fpvandoorn/carleson",
    "google-deepmind/formal-conjectures",
    "kbuzzard/ClassFieldTheory",
    "leanprover-community/con-nf",
    "leanprover-community/flt-regular",
    "leanprover-community/sphere-eversion",
    "mo271/FormalBook",
    "teorth/equational_theories",
    "teorth/pfr",
    "thefundamentaltheor3m/Sphere-Packing-Lean",
];

/// How many of [`DRAWN_FROM`] are held out (with `seed` = [`crate::DEFAULT_SEED`]).
pub const DRAWN: usize = 6;

impl Default for SplitPlan {
    /// Held out: the six repositories [`draw_repos`] picks from [`DRAWN_FROM`] with the
    /// default seed (Foundation, seymour, equational_theories, LeanAPAP, Sphere-Packing-Lean,
    /// con-nf), goodstein-independence with Foundation (the same authors, built on it), and
    /// KeplersLawsLean, the one physics project besides PhysLean; one PhysLean file in six
    /// and its Higgs and two-Higgs-doublet folders.
    fn default() -> Self {
        SplitPlan {
            heldout_repos: vec![
                "FormalizedFormalLogic/Foundation".into(),
                "Ivan-Sergeyev/seymour".into(),
                "teorth/equational_theories".into(),
                "YaelDillies/LeanAPAP".into(),
                "thefundamentaltheor3m/Sphere-Packing-Lean".into(),
                "leanprover-community/con-nf".into(),
                "FormalizedFormalLogic/goodstein-independence".into(),
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

/// One file in this many of the training repositories is a development file: kept out of
/// training when settings are chosen (`model eval --dev`), never a held-out figure.
pub const DEV_EVERY: u64 = 20;

/// Whether `file` of `repo` is a development file (by a hash of both).
pub fn is_dev_file(repo: &str, file: &str) -> bool {
    fnv(&format!("{repo}|{file}")) % DEV_EVERY == 0
}

/// Which of two halves a held-out repository's `file` falls in (by a hash of both, salted
/// apart from [`is_dev_file`]): the project-memory rows of `model eval --mined` evaluate each
/// half with the other half's proofs remembered, as `suggest` remembers a project's own.
pub fn project_half(repo: &str, file: &str) -> u8 {
    (fnv(&format!("half|{repo}|{file}")) % 2) as u8
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
    let held = held_out_goals(&parts);
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

/// The canonical goals (locals renamed, numerals abstracted) of every held-out proof.
fn held_out_goals(parts: &HashMap<Part, Vec<MinedProof>>) -> HashSet<String> {
    parts
        .iter()
        .filter(|(k, _)| matches!(k, Part::HeldoutRepo | Part::HeldoutPhysics))
        .flat_map(|(_, v)| v.iter())
        .filter_map(|p| p.goal.as_deref().map(canonical_goal))
        .collect()
}

/// Training proofs whose goal equals a held-out proof's goal up to renamed locals and
/// abstracted numerals: 0 after [`split`], by construction; the report states it.
pub fn cross_split_near_duplicates(parts: &HashMap<Part, Vec<MinedProof>>) -> usize {
    let held = held_out_goals(parts);
    parts
        .get(&Part::Train)
        .map(|train| {
            train
                .iter()
                .filter(|p| {
                    p.goal
                        .as_deref()
                        .is_some_and(|g| held.contains(&canonical_goal(g)))
                })
                .count()
        })
        .unwrap_or(0)
}

/// `count` of `candidates` drawn by a hash of `seed` and each name: the same draw every
/// run and no hand-picking ([`SplitPlan::default`]'s repositories were drawn this way).
pub fn draw_repos(candidates: &[&str], seed: u64, count: usize) -> Vec<String> {
    let mut keyed: Vec<(u64, &str)> = candidates
        .iter()
        .map(|c| (fnv(&format!("{seed}|{c}")), *c))
        .collect();
    keyed.sort();
    keyed
        .into_iter()
        .take(count)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// One (state, tactic) example of a mined proof.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
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

    /// A step of a one-file test repository, after `previous`.
    #[cfg(test)]
    pub(crate) fn for_test(goal: &str, previous: &[&str], tactic: &str) -> StepItem {
        StepItem {
            repo: "r".into(),
            file: "F.lean".into(),
            decl: format!("d{}", goal.len()),
            line: 1,
            index: previous.len(),
            goal: goal.into(),
            previous: previous.iter().map(|s| s.to_string()).collect(),
            introduced: Vec::new(),
            tactic: tactic.into(),
        }
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
    sample_seeded(items, cap, None)
}

/// At most `cap` items, chosen by a hash of their identity and `seed` (another seed draws
/// another sample; the same seed, the same sample).
pub fn sample_seeded(items: Vec<StepItem>, cap: usize, seed: Option<u64>) -> Vec<StepItem> {
    if items.len() <= cap {
        return items;
    }
    let salt = seed.map(|s| format!("{s}|")).unwrap_or_default();
    let mut keyed: Vec<(u64, StepItem)> = items
        .into_iter()
        .map(|it| {
            (
                fnv(&format!(
                    "{salt}{}|{}|{}|{}",
                    it.repo, it.file, it.decl, it.index
                )),
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
    fn the_default_held_out_repositories_are_the_seeded_draw() {
        let drawn = draw_repos(DRAWN_FROM, crate::DEFAULT_SEED, DRAWN);
        let plan = SplitPlan::default();
        assert_eq!(plan.heldout_repos[..DRAWN], drawn[..]);
        assert!(DRAWN_FROM.windows(2).all(|w| w[0] < w[1]));
        // Another seed draws others; the draw never depends on the order given.
        assert_ne!(draw_repos(DRAWN_FROM, 1, DRAWN), drawn);
        let mut reversed = DRAWN_FROM.to_vec();
        reversed.reverse();
        assert_eq!(draw_repos(&reversed, crate::DEFAULT_SEED, DRAWN), drawn);
    }

    #[test]
    fn whole_repositories_and_physics_files_are_held_out_without_near_duplicates() {
        let plan = SplitPlan::default();
        assert_eq!(
            plan.part_of("leanprover-community/con-nf", "ConNF/A.lean"),
            Part::HeldoutRepo
        );
        assert_eq!(plan.part_of("teorth/pfr", "PFR/A.lean"), Part::Train);
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
            proof(
                "leanprover-community/con-nf",
                "ConNF/A.lean",
                "x y : ℝ\n⊢ x * y = y * x",
            ),
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
        assert_eq!(cross_split_near_duplicates(&parts), 0);
    }

    /// Real-looking near-duplicates across repositories: renamed locals and hypotheses,
    /// other numerals (decimals too), a PhysLean-style held-out file; each dropped from
    /// training, and a goal that differs in a library name or the order kept.
    #[test]
    fn near_duplicates_across_the_split_are_dropped() {
        let plan = SplitPlan::default();
        let held_file = "PhysLean/Particles/StandardModel/HiggsBoson/Potential.lean";
        let held = [
            (
                "leanprover-community/physlib",
                held_file,
                "μ2 𝓵 : ℝ\nh𝓵 : 0 < 𝓵\nφ : ℝ\n⊢ -μ2 ^ 2 / (4 * 𝓵) ≤ -μ2 * φ + 𝓵 * φ ^ 2",
            ),
            (
                "Ivan-Sergeyev/seymour",
                "Seymour/A.lean",
                "n : ℕ\nhn : 2 ≤ n\n⊢ n ^ 2 ≥ 2 * n",
            ),
        ];
        let train = [
            // The same goals, names and numerals changed: dropped.
            (
                "leegahuyn/mathlib4",
                "Mathlib/A.lean",
                "a b : ℝ\nhb : 0 < b\nx : ℝ\n⊢ -a ^ 3 / (2 * b) ≤ -a * x + b * x ^ 2",
            ),
            (
                "teorth/pfr",
                "PFR/B.lean",
                "m : ℕ\nh : 3 ≤ m\n⊢ m ^ 2 ≥ 3 * m",
            ),
            (
                "teorth/pfr",
                "PFR/C.lean",
                "m : ℕ\nh : 0.5 ≤ m\n⊢ m ^ 2 ≥ 1.5 * m",
            ),
            // Different goals: kept.
            (
                "teorth/pfr",
                "PFR/D.lean",
                "m : ℕ\nh : 3 ≤ m\n⊢ 3 * m ≤ m ^ 2",
            ),
            (
                "teorth/pfr",
                "PFR/E.lean",
                "m : ℕ\nh : 3 ≤ m\n⊢ Nat.succ m ^ 2 ≥ 3 * m",
            ),
        ];
        let proofs: Vec<MinedProof> = held
            .iter()
            .chain(train.iter())
            .map(|(r, f, g)| proof(r, f, g))
            .collect();
        let (parts, report) = split(proofs, &plan);
        assert_eq!(report.near_duplicates_dropped, 3);
        let kept: Vec<&str> = parts[&Part::Train]
            .iter()
            .map(|p| p.file.as_str())
            .collect();
        assert_eq!(kept, ["PFR/D.lean", "PFR/E.lean"]);
        assert_eq!(parts[&Part::HeldoutPhysics].len(), 1);
        assert_eq!(cross_split_near_duplicates(&parts), 0);
    }
}
