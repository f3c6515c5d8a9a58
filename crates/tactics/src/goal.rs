//! A goal state as Lean prints it, parsed: hypotheses (`names : type`), target (`⊢ …`), and
//! the local names a tactic may mention (hypothesis names and variables bound in the target).
//! Only the first goal of a multi-goal state is parsed: tactics act on it.

use crate::normalise::{is_ident_char, normalise_goal, split_hyp};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Goal {
    /// `(name, type)`, one per name (`x y : ℝ` gives two).
    pub hyps: Vec<(String, String)>,
    pub target: String,
}

impl Goal {
    /// Parses the first goal of `text` (normalised first). `None` when there is no `⊢`.
    pub fn parse(text: &str) -> Option<Goal> {
        let text = normalise_goal(text);
        let first = text.split("\n\n").next().unwrap_or_default();
        let mut goal = Goal::default();
        let mut found = false;
        for line in first.lines() {
            if let Some(t) = line.strip_prefix('⊢') {
                goal.target = t.trim().to_string();
                found = true;
            } else if let Some((names, ty)) = split_hyp(line) {
                for n in names.split_whitespace() {
                    goal.hyps.push((n.to_string(), ty.to_string()));
                }
            }
        }
        found.then_some(goal)
    }

    /// Names a tactic may refer to, in order of appearance: hypotheses (last first, as the
    /// most recent are most often used), then variables bound by ∀/∃/fun in the target.
    pub fn local_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .hyps
            .iter()
            .rev()
            .map(|(n, _)| n.clone())
            .filter(|n| !n.contains('✝'))
            .collect();
        for n in bound_names(&self.target) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }
}

/// Variables bound by `∀ (x y : T),`, `∀ x,`, `∃ x,`, `fun x =>`, `∀ x ∈ s,` in `expr`.
pub fn bound_names(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    for q in ["∀", "∃", "fun"] {
        let mut rest = expr;
        while let Some(at) = rest.find(q) {
            let after = &rest[at + q.len()..];
            let stop = after.find([',', '=']).unwrap_or(after.len());
            let binder = &after[..stop];
            let names_part = binder
                .trim()
                .trim_start_matches('(')
                .split([':', '∈', '>', '<', '≤', '≥', ')'])
                .next()
                .unwrap_or_default();
            for n in names_part.split_whitespace() {
                if n.chars().all(is_ident_char) && !out.iter().any(|o| o == n) {
                    out.push(n.to_string());
                }
            }
            rest = after;
        }
    }
    out
}

/// Identifier tokens of `s` (maximal runs of identifier characters), in order.
pub fn identifiers(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if is_ident_char(c) && c != '.' || (c == '.' && start.is_some()) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push(s[st..i].trim_end_matches('.'));
        }
    }
    if let Some(st) = start {
        out.push(s[st..].trim_end_matches('.'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hypotheses_and_binders() {
        let g = Goal::parse("x y : ℝ\nh : 0 < x\n⊢ ∀ (z : ℝ), 0 ≤ x * z").unwrap();
        assert_eq!(g.hyps.len(), 3);
        assert_eq!(g.target, "∀ (z : ℝ), 0 ≤ x * z");
        assert_eq!(g.local_names(), ["h", "y", "x", "z"]);
        assert!(Goal::parse("x : ℝ").is_none());
        assert_eq!(identifiers("sq_nonneg (x - y₁)"), ["sq_nonneg", "x", "y₁"]);
    }
}
