//! Numerics-guided candidates: a goal is written back as a Lean theorem (its locals as
//! binders, its target as the type) and read by `theorist-numerics`' front end — inside the
//! goal's own file when there is one, just before the declaration being proved, so the file's
//! definitions, namespaces, `open`s and imports read as Lean reads them there — then decided
//! by its check. An algebraic certificate valid wherever the hypotheses hold gives its Lean
//! hint as a candidate; a certified counterexample means the goal is false.
//!
//! Fail closed: a binder the front end cannot read is left out of the theorem (each binder
//! sits on a line of its own, so the error's line names it). That is harmless for a *hint* (a
//! proof from fewer hypotheses is still a proof, and Lean checks the hint anyway) but would
//! make a counterexample meaningless, so a refutation counts only when every binder was read.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use theorist_numerics::core::Prop;
use theorist_numerics::{
    CheckConfig, Statement, Untranslatable, Verdict, check, load, load_text, translate_loaded,
};

use crate::goal::Goal;

/// What the numerics engine says about a goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum NumericOutcome {
    /// Proved by an exact certificate; `tactic` is its Lean hint.
    Hint { tactic: String, kind: String },
    /// The hypotheses hold and the target fails at this exact point.
    False {
        counterexample: BTreeMap<String, String>,
        certified_by: String,
    },
    /// Not decided, or not an arithmetic goal the engine reads.
    Undecided { why: String },
}

/// The file a goal comes from: its path (for the project's imports), its text, and the byte
/// offset of the declaration being proved (the goal is read where that declaration stands).
#[derive(Debug, Clone, Copy)]
pub struct GoalFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub decl_start: usize,
}

/// The synthetic theorem's name (not a name a user's file declares).
const GOAL_DECL: &str = "theorist_goal__";

/// How long one goal may take: suggestions are interactive, and `prove` asks at every node.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// Instance classes that say nothing about the numbers (vector-space structure): leaving one
/// out cannot make a false claim of a true goal.
const STRUCTURE_CLASSES: &[&str] = &[
    "NormedAddCommGroup",
    "InnerProductSpace",
    "NormedSpace",
    "SeminormedAddCommGroup",
    "Module",
    "AddCommGroup",
    "FiniteDimensional",
];

/// One local of the goal as a binder of the synthetic theorem.
struct Binder {
    text: String,
    /// Leaving it out keeps a refutation meaningful (a type, a structure instance).
    droppable: bool,
}

/// Decides `goal` (as Lean prints it), read in `file` when it comes from one.
pub fn check_goal(goal: &str, file: Option<GoalFile<'_>>) -> NumericOutcome {
    let Some(g) = Goal::parse(goal) else {
        return undecided("no `⊢` in the goal".into());
    };
    // Inaccessible names (`x✝`, `inst✝¹`) are renamed everywhere they occur.
    let renames = inaccessible_renames(&g);
    let rename = |s: &str| {
        renames
            .iter()
            .fold(s.to_string(), |acc, (from, to)| acc.replace(from, to))
    };
    let (mut binders, mut complete) = binders(&g, &rename);
    let target = rename(&g.target);
    let statement = match read_goal(file, &mut binders, &mut complete, &target) {
        Ok(statement) => statement,
        Err(why) => return undecided(why),
    };
    let config = CheckConfig {
        time_limit: TIME_LIMIT,
        ..CheckConfig::default()
    };
    outcome(
        check(&statement, &config),
        &statement,
        &g,
        &renames,
        complete,
    )
}

fn undecided(why: String) -> NumericOutcome {
    NumericOutcome::Undecided { why }
}

/// The goal's locals as binders (renamed), and whether all of them are there: a local
/// definition (`f : ℝ → ℝ := fun x => …`), whose value matters, is left out.
fn binders(g: &Goal, rename: &dyn Fn(&str) -> String) -> (Vec<Binder>, bool) {
    let mut complete = true;
    let mut binders = Vec::new();
    for (name, ty) in &g.hyps {
        let (name, ty) = (rename(name), rename(ty));
        if is_local_definition(&ty) {
            complete = false;
            continue;
        }
        let head = ty.split_whitespace().next().unwrap_or_default();
        let binder = if name.starts_with("inst") {
            Binder {
                text: format!("[{ty}]"),
                droppable: STRUCTURE_CLASSES.contains(&head),
            }
        } else {
            Binder {
                text: format!("({name} : {ty})"),
                droppable: ty.starts_with("Type") || ty.starts_with("Sort"),
            }
        };
        binders.push(binder);
    }
    (binders, complete)
}

/// The goal as a statement of the numerics front end. Each round reads the theorem; a binder
/// the front end cannot read is dropped (`complete` turns false unless it was droppable), and
/// anything else it cannot read leaves the goal undecided, with the reason.
fn read_goal(
    file: Option<GoalFile<'_>>,
    binders: &mut Vec<Binder>,
    complete: &mut bool,
    target: &str,
) -> Result<Statement, String> {
    loop {
        let (text, first_binder_line) = theorem_text(file, binders, target);
        let loaded = match file {
            Some(f) => load(f.path, &text),
            None => load_text(&text),
        }
        .map_err(|e| e.to_string())?;
        let main = loaded.env.file_name(loaded.main).to_string();
        match translate_loaded(&loaded, GOAL_DECL) {
            Ok(s) => return Ok(s),
            Err(Untranslatable::Construct {
                file: at_file,
                line,
                ..
            }) if at_file == main
                && line >= first_binder_line
                && ((line - first_binder_line) as usize) < binders.len() =>
            {
                let dropped = binders.remove((line - first_binder_line) as usize);
                *complete &= dropped.droppable;
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// What the verdict means for the goal: a certified counterexample (only when every binder
/// was read), a one-step hint from an exact certificate, or undecided with the reason.
fn outcome(
    verdict: Verdict,
    statement: &Statement,
    g: &Goal,
    renames: &[(String, String)],
    complete: bool,
) -> NumericOutcome {
    match verdict {
        Verdict::Refuted {
            counterexample,
            certified_by,
        } if complete => NumericOutcome::False {
            counterexample: counterexample
                .into_iter()
                .map(|(k, v)| (restore(renames, &k), v))
                .collect(),
            certified_by: certified_by.to_string(),
        },
        Verdict::Refuted { .. } => undecided(
            "refuted without some hypotheses (the engine could not read them), so nothing is \
             claimed"
                .into(),
        ),
        Verdict::Proved {
            algebraic: Some(a), ..
        } if a.scope.starts_with("every") => match fitted_hint(statement, g, &a.lean_hint) {
            Some(tactic) => NumericOutcome::Hint {
                tactic,
                kind: a.kind,
            },
            None => undecided(format!(
                "proved ({}), but the target is not a comparison or a conjunction of \
                 comparisons, so there is no one-step hint",
                a.kind
            )),
        },
        Verdict::Proved {
            boxes: 0,
            method,
            algebraic: None,
            witness: None,
            ..
        } if statement.vars.is_empty() && method == "exact rational arithmetic" => {
            NumericOutcome::Hint {
                tactic: "norm_num".into(),
                kind: "closed arithmetic, decided exactly".into(),
            }
        }
        Verdict::Proved { method, .. } => {
            undecided(format!("proved by {method}, with no tactic hint to give"))
        }
        Verdict::ProvedOnBox { .. } => {
            undecided("proved on the checked box only; no certificate for all values".into())
        }
        Verdict::Consistent { .. } => undecided("no counterexample found, not proved".into()),
    }
}

/// The certificate's hint as a step for this goal: as it is for one comparison, after
/// `refine ⟨?_, ?_⟩ <;>` for a conjunction of comparisons; `None` for any other target (an
/// implication or `∀` to introduce first, a disjunction, an existential), or when the claim's
/// variables are not all the goal's own.
fn fitted_hint(statement: &Statement, goal: &Goal, hint: &str) -> Option<String> {
    if !statement
        .vars
        .iter()
        .all(|v| goal.hyps.iter().any(|(n, _)| *n == v.name))
    {
        return None;
    }
    let mut conclusion = &statement.claim;
    for _ in &statement.hypotheses {
        match conclusion {
            Prop::Imp(_, rest) => conclusion = rest,
            _ => return None,
        }
    }
    fn pattern(p: &Prop) -> Option<String> {
        match p {
            Prop::Cmp(..) => Some("?_".into()),
            Prop::And(a, b) => Some(format!("⟨{}, {}⟩", pattern(a)?, pattern(b)?)),
            _ => None,
        }
    }
    match conclusion {
        Prop::Cmp(..) => Some(hint.to_string()),
        Prop::And(..) => Some(format!("refine {} <;> {hint}", pattern(conclusion)?)),
        _ => None,
    }
}

/// `T := v` (a local definition as Lean prints it): a `:=` outside brackets.
fn is_local_definition(ty: &str) -> bool {
    let mut depth = 0i32;
    let mut prev = ' ';
    for c in ty.chars() {
        match c {
            '(' | '[' | '{' | '⟨' | '⦃' => depth += 1,
            ')' | ']' | '}' | '⟩' | '⦄' => depth -= 1,
            '=' if prev == ':' && depth == 0 => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

/// The text to read: the goal as a theorem, one binder a line, inserted before the
/// declaration it comes from (or alone); and the line of its first binder.
fn theorem_text(file: Option<GoalFile<'_>>, binders: &[Binder], target: &str) -> (String, u32) {
    let (before, after) = match file {
        Some(f) => {
            let at = f.decl_start.min(f.text.len());
            let at = if f.text.is_char_boundary(at) { at } else { 0 };
            (&f.text[..at], &f.text[at..])
        }
        None => ("", ""),
    };
    let mut text = String::with_capacity(before.len() + after.len() + 256);
    text.push_str(before);
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let first_binder_line = text.matches('\n').count() as u32 + 2;
    text.push_str(&format!("theorem {GOAL_DECL}\n"));
    for b in binders {
        text.push_str("    ");
        text.push_str(&b.text);
        text.push('\n');
    }
    text.push_str(&format!("    : {target} := by\n  sorry\n\n"));
    text.push_str(after);
    (text, first_binder_line)
}

/// `x✝` → `inaccessible_1`, …: longest names first, so `x✝¹` is not cut by `x✝`.
fn inaccessible_renames(g: &Goal) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, _) in &g.hyps {
        if name.contains('✝') && !out.iter().any(|(n, _)| n == name) {
            out.push((name.clone(), format!("inaccessible_{}", out.len() + 1)));
        }
    }
    out.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    out
}

fn restore(renames: &[(String, String)], name: &str) -> String {
    renames
        .iter()
        .find(|(_, to)| to == name)
        .map_or_else(|| name.to_string(), |(from, _)| from.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_higgs_bound_gets_its_certificate_hint() {
        let goal = "μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2";
        match check_goal(goal, None) {
            NumericOutcome::Hint { tactic, .. } => {
                assert!(tactic.starts_with("nlinarith ["), "{tactic}");
                assert!(tactic.contains("sq_nonneg"), "{tactic}");
            }
            other => panic!("{other:?}"),
        }
    }

    fn as_f64(v: &str) -> f64 {
        match v.split_once('/') {
            Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
            None => v.parse().unwrap(),
        }
    }

    #[test]
    fn a_conjunction_is_split_before_the_hint_and_other_shapes_get_none() {
        match check_goal("x : ℝ\n⊢ 0 ≤ x ^ 2 ∧ 0 < x ^ 2 + 1", None) {
            NumericOutcome::Hint { tactic, .. } => {
                assert!(
                    tactic.starts_with("refine ⟨?_, ?_⟩ <;> nlinarith ["),
                    "{tactic}"
                )
            }
            other => panic!("{other:?}"),
        }
        // `∀ y, …` would need `intro y` first: no one-step hint.
        assert!(matches!(
            check_goal("x : ℝ\n⊢ ∀ y : ℝ, 0 ≤ (x - y) ^ 2", None),
            NumericOutcome::Undecided { .. }
        ));
    }

    #[test]
    fn a_false_goal_gets_its_counterexample() {
        let goal = "x : ℝ\nh : 0 ≤ x\n⊢ x ^ 2 ≤ x";
        match check_goal(goal, None) {
            NumericOutcome::False { counterexample, .. } => {
                assert!(as_f64(&counterexample["x"]) > 1.0, "{counterexample:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn natural_numbers_are_read_as_lean_reads_them() {
        // `n - 1 + 1 = n` fails at n = 0 in ℕ (truncated subtraction), holds in ℝ.
        match check_goal("n : ℕ\n⊢ n - 1 + 1 = n", None) {
            NumericOutcome::False { counterexample, .. } => {
                assert_eq!(counterexample["n"], "0", "{counterexample:?}")
            }
            other => panic!("{other:?}"),
        }
        assert!(!matches!(
            check_goal("n : ℕ\nh : 1 ≤ n\n⊢ n - 1 + 1 = n", None),
            NumericOutcome::False { .. }
        ));
    }

    #[test]
    fn an_unread_hypothesis_blocks_a_refutation() {
        // Without `h` the claim is false at x = 0; with it, it holds. The engine cannot read
        // `h`, so nothing may be claimed.
        let goal = "x : ℝ\nf : ℝ → ℝ\nh : x ≠ 0 ∧ Continuous f\n⊢ 0 < x ^ 2";
        assert!(matches!(
            check_goal(goal, None),
            NumericOutcome::Undecided { .. }
        ));
        // A local definition is never dropped silently either.
        let goal = "x : ℝ\ny : ℝ := x ^ 2 + 1\n⊢ 0 < x ^ 2";
        assert!(matches!(
            check_goal(goal, None),
            NumericOutcome::Undecided { .. }
        ));
    }

    #[test]
    fn inaccessible_names_are_renamed_and_restored() {
        let goal = "x✝ : ℝ\nh : 0 ≤ x✝\n⊢ x✝ ^ 2 ≤ x✝";
        match check_goal(goal, None) {
            NumericOutcome::False { counterexample, .. } => {
                assert!(counterexample.contains_key("x✝"), "{counterexample:?}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn definitions_of_the_file_are_used_where_the_goal_stands() {
        let text = "namespace Demo\n\ndef V (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2\n\n\
                    theorem bounded (μSq 𝓵 x : ℝ) (h : 0 < 𝓵) : -μSq ^ 2 / (4 * 𝓵) ≤ V μSq 𝓵 x := by\n  \
                    sorry\n\nend Demo\n";
        let decl_start = text.find("theorem bounded").unwrap();
        let file = GoalFile {
            path: Path::new("Demo.lean"),
            text,
            decl_start,
        };
        let goal = "μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ V μSq 𝓵 x";
        assert!(
            matches!(check_goal(goal, Some(file)), NumericOutcome::Hint { .. }),
            "{:?}",
            check_goal(goal, Some(file))
        );
        // Without the file `V` means nothing.
        assert!(matches!(
            check_goal(goal, None),
            NumericOutcome::Undecided { .. }
        ));
    }
}
