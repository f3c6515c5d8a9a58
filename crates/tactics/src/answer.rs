//! What `suggest` (and each node of `prove`) answers for a goal: the numerics engine first —
//! a refuted goal is reported false at its exact point instead of getting tactics, a proved
//! one gets its certificate's Lean hint ranked first (source `numerics`) — then the rankers'
//! candidates, and everything through the scope check ([`Scope::retain`]) so that nothing
//! out of scope is ever shown.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::normalise::collapse_ws;
use crate::numeric::{GoalFile, NumericOutcome, check_goal};
use crate::scope::Scope;
use crate::{Admits, Suggestion};

/// The answer for one goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    Suggestions {
        suggestions: Vec<Suggestion>,
        /// Candidates dropped because they named something out of scope.
        out_of_scope_dropped: usize,
        /// Why the numerics engine gave no hint (absent when it gave one).
        #[serde(skip_serializing_if = "Option::is_none")]
        numerics: Option<String>,
    },
    /// The goal is false: the hypotheses hold and the target fails here.
    False {
        counterexample: BTreeMap<String, String>,
        certified_by: String,
    },
}

/// Settings of [`answer`].
#[derive(Debug, Clone, Copy)]
pub struct AnswerConfig<'a> {
    /// How many suggestions.
    pub k: usize,
    /// Ask the numerics engine first.
    pub numerics: bool,
    /// The goal's file, when it comes from one (its definitions, scopes and imports).
    pub file: Option<GoalFile<'a>>,
}

/// Numerics first, then `candidates(goal, n, admits)` (told the scope check, so that a ranker
/// ranks what can be shown; what it returns is checked again), in scope only, best first, at
/// most `k`.
pub fn answer(
    goal: &str,
    scope: &Scope,
    config: &AnswerConfig,
    candidates: &mut dyn FnMut(&str, usize, Admits) -> Vec<Suggestion>,
) -> Answer {
    let mut first = Vec::new();
    let mut numerics_note = None;
    let mut dropped = 0;
    if config.numerics {
        match check_goal(goal, config.file) {
            NumericOutcome::False {
                counterexample,
                certified_by,
            } => {
                return Answer::False {
                    counterexample,
                    certified_by,
                };
            }
            NumericOutcome::Hint { tactic, kind } => {
                if scope.admits(&tactic) {
                    first.push(Suggestion {
                        tactic,
                        score: 1.0,
                        source: "numerics".into(),
                    });
                } else {
                    dropped += 1;
                    numerics_note = Some(format!(
                        "the numerics engine proved the goal ({kind}), but its hint names \
                         library lemmas the sources at hand do not confirm in scope, so it is \
                         not shown"
                    ));
                }
            }
            NumericOutcome::Undecided { why } => numerics_note = Some(why),
        }
    }
    // The candidates come best first (in the order the caller merged them); duplicates of
    // an earlier one, the numerics hint included, are left out (so one more is asked for).
    // Every distinct candidate the check turned away counts as dropped.
    let rejected: RefCell<HashSet<String>> = RefCell::default();
    let checked = scope.memoised();
    let admits = |t: &str| {
        let ok = checked(t);
        if !ok {
            rejected.borrow_mut().insert(collapse_ws(t));
        }
        ok
    };
    let mut rest = candidates(goal, config.k + 1, &admits);
    rest.retain(|s| admits(&s.tactic));
    dropped += rejected.borrow().len();
    let mut seen: HashSet<String> = first.iter().map(|s| collapse_ws(&s.tactic)).collect();
    let mut list = first;
    list.extend(
        rest.into_iter()
            .filter(|s| seen.insert(collapse_ws(&s.tactic))),
    );
    list.truncate(config.k);
    Answer::Suggestions {
        suggestions: list,
        out_of_scope_dropped: dropped,
        numerics: numerics_note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{Builder, NameIndex};

    fn fixed<'a>(
        list: &'a [(&'a str, f64)],
    ) -> impl FnMut(&str, usize, Admits) -> Vec<Suggestion> + 'a {
        move |_, _, _| {
            list.iter()
                .map(|(t, s)| Suggestion {
                    tactic: t.to_string(),
                    score: *s,
                    source: "test".into(),
                })
                .collect()
        }
    }

    /// A library with the lemmas the numerics hint names (as a Mathlib checkout would have).
    fn library() -> NameIndex {
        let mut b = Builder::default();
        b.add_file(
            "mathlib",
            "Mathlib.Basic",
            "theorem sq_nonneg : True := trivial\ntheorem mul_nonneg : True := trivial\n\
             theorem mul_pos : True := trivial\n",
        );
        b.finish()
    }

    #[test]
    fn numerics_hint_first_and_out_of_scope_dropped() {
        let index = library();
        let goal = "μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2";
        let scope = Scope::of_goal(goal, &index);
        let config = AnswerConfig {
            k: 3,
            numerics: true,
            file: None,
        };
        let mut c = fixed(&[
            ("positivity", 0.5),
            ("unfold quartic", 0.9),
            ("nlinarith [sq_nonneg (c - x)]", 0.8),
            ("linarith", 0.1),
        ]);
        match answer(goal, &scope, &config, &mut c) {
            Answer::Suggestions {
                suggestions,
                out_of_scope_dropped,
                ..
            } => {
                assert_eq!(suggestions[0].source, "numerics");
                let rest: Vec<&str> = suggestions[1..].iter().map(|s| s.tactic.as_str()).collect();
                assert_eq!(rest, ["positivity", "linarith"]);
                assert_eq!(out_of_scope_dropped, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn without_library_sources_a_lemma_is_not_confirmed_and_not_shown() {
        // No Mathlib sources: `sq_nonneg` cannot be confirmed, so the hint and every
        // candidate naming a library lemma stay out; what names only the goal's own locals
        // and tactics is shown.
        let index = NameIndex::new();
        let goal = "μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2";
        let scope = Scope::of_goal(goal, &index);
        let config = AnswerConfig {
            k: 8,
            numerics: true,
            file: None,
        };
        let mut c = fixed(&[
            ("nlinarith [sq_nonneg (x - μSq / (2 * 𝓵)), h]", 0.9),
            ("nlinarith [h, h.le]", 0.5),
            ("positivity", 0.4),
        ]);
        match answer(goal, &scope, &config, &mut c) {
            Answer::Suggestions {
                suggestions,
                out_of_scope_dropped,
                numerics,
            } => {
                let shown: Vec<&str> = suggestions.iter().map(|s| s.tactic.as_str()).collect();
                assert_eq!(shown, ["nlinarith [h, h.le]", "positivity"]);
                assert_eq!(out_of_scope_dropped, 2);
                let note = numerics.unwrap();
                assert!(
                    note.contains("not shown") && !note.contains("sq_nonneg"),
                    "{note}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_false_goal_is_said_false() {
        let index = NameIndex::new();
        let goal = "x : ℝ\n⊢ x ≤ x ^ 2 - 1";
        let scope = Scope::of_goal(goal, &index);
        let config = AnswerConfig {
            k: 3,
            numerics: true,
            file: None,
        };
        let mut c = fixed(&[("nlinarith", 0.5)]);
        assert!(matches!(
            answer(goal, &scope, &config, &mut c),
            Answer::False { .. }
        ));
    }
}
