//! Tactics with their local names abstracted: `nlinarith [sq_nonneg (x - y)]` on a goal whose
//! locals are `x, y` becomes `nlinarith [sq_nonneg (?0 - ?1)]` with slots numbered in order of
//! first use. A ranker scores templates and fills slots with names of the new goal — the
//! "base tactic + arguments" split of Graph2Tac, which lets one template serve every
//! renaming of a goal.

use crate::goal::identifiers;

/// `tactic` with every token that is one of `locals` replaced by `?i`; the names in slot
/// order.
pub fn abstract_tactic(tactic: &str, locals: &[String]) -> (String, Vec<String>) {
    let mut slots: Vec<String> = Vec::new();
    let mut out = String::new();
    let mut last = 0;
    let mut offset_search = 0;
    for tok in identifiers(tactic) {
        let Some(rel) = tactic[offset_search..].find(tok) else {
            continue;
        };
        let at = offset_search + rel;
        offset_search = at + tok.len();
        if !locals.iter().any(|l| l == tok) {
            continue;
        }
        let idx = match slots.iter().position(|s| s == tok) {
            Some(i) => i,
            None => {
                slots.push(tok.to_string());
                slots.len() - 1
            }
        };
        out.push_str(&tactic[last..at]);
        out.push_str(&format!("?{idx}"));
        last = at + tok.len();
    }
    out.push_str(&tactic[last..]);
    (out, slots)
}

/// How many slots a template has.
pub fn slot_count(template: &str) -> usize {
    (0..10)
        .take_while(|i| template.contains(&format!("?{i}")))
        .count()
}

/// Fills `?i` with `names[i]`.
pub fn fill(template: &str, names: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, n) in names.iter().enumerate().rev() {
        out = out.replace(&format!("?{i}"), n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let locals = vec!["h".to_string(), "x".to_string(), "y".to_string()];
        let (t, s) = abstract_tactic("nlinarith [sq_nonneg (x - y), h, sq_nonneg x]", &locals);
        assert_eq!(t, "nlinarith [sq_nonneg (?0 - ?1), ?2, sq_nonneg ?0]");
        assert_eq!(s, ["x", "y", "h"]);
        assert_eq!(slot_count(&t), 3);
        let back = fill(&t, &["x", "y", "h"]);
        assert_eq!(back, "nlinarith [sq_nonneg (x - y), h, sq_nonneg x]");
        let (t, _) = abstract_tactic("exact hxy", &locals);
        assert_eq!(t, "exact hxy");
    }
}
