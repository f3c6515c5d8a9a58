//! Tactics with their local names abstracted into typed slots: `nlinarith [sq_nonneg (x - y),
//! h.le]` on a goal with `x y : ℝ` and `h : 0 < x` becomes `nlinarith [sq_nonneg (?r0 - ?r1),
//! ?h2.le]`: a slot is `?` + the class letter of the name it replaced ([`SlotClass`]) + its
//! number in order of first use. A ranker scores templates and fills the slots with names of
//! the new goal *of the same class* — the "base tactic + arguments" split of Graph2Tac, with
//! type-compatible arguments.

use crate::goal::{Goal, bound_names};
use crate::scope::{Local, SlotClass, compatible, locals};

/// The names a template may abstract or fill at `goal`: its locals (most recent first), then
/// the variables bound in the target (`∀ x,`), which only binding tactics (`intro x`) name.
pub fn slot_names(goal: &Goal) -> Vec<Local> {
    // Hypotheses most recent first (the last one is most often used); variables in the order
    // they were declared (`sq_nonneg (x - y)` for `x y : ℝ`).
    let all = locals(goal);
    let mut out: Vec<Local> = all
        .iter()
        .filter(|l| l.class == SlotClass::Hyp)
        .cloned()
        .collect();
    out.extend(
        all.iter()
            .rev()
            .filter(|l| l.class != SlotClass::Hyp)
            .cloned(),
    );
    for n in bound_names(&goal.target) {
        if !out.iter().any(|l| l.name == n) {
            out.push(Local {
                name: n,
                ty: String::new(),
                class: SlotClass::Term,
            });
        }
    }
    out
}

/// Byte ranges of identifier tokens (dotted ones whole) in `s`.
fn ident_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let prev = if i > 0 { Some(chars[i - 1].1) } else { None };
        let starts = (c.is_alphabetic() || c == '_')
            && !matches!(c, 'λ' | 'Π' | 'Σ')
            && !prev.is_some_and(|p| p == '.' || p == '?' || crate::normalise::is_ident_char(p));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (crate::normalise::is_ident_char(chars[j].1) && chars[j].1 != '.'
                || chars[j].1 == '.'
                    && chars
                        .get(j + 1)
                        .is_some_and(|(_, n)| n.is_alphanumeric() || *n == '_'))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(s.len(), |(b, _)| *b);
        out.push((at, end));
        i = j.max(i + 1);
    }
    out
}

/// `tactic` with every identifier whose first component is one of `names` replaced by a
/// slot; the names in slot order.
pub fn abstract_tactic(tactic: &str, names: &[Local]) -> (String, Vec<String>) {
    let mut slots: Vec<String> = Vec::new();
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in ident_spans(tactic) {
        let tok = &tactic[start..end];
        let first_len = tok.find('.').unwrap_or(tok.len());
        let first = &tok[..first_len];
        let Some(local) = names.iter().find(|l| l.name == first) else {
            continue;
        };
        let idx = match slots.iter().position(|s| s == first) {
            Some(i) => i,
            None => {
                slots.push(first.to_string());
                slots.len() - 1
            }
        };
        out.push_str(&tactic[last..start]);
        out.push_str(&format!("?{}{idx}", local.class.letter()));
        last = start + first_len;
    }
    out.push_str(&tactic[last..]);
    (out, slots)
}

/// `tactic` with the names it binds itself renamed by position (`intro L _` and `intro u _`
/// both become `intro ·0 _`): two tactics that differ only there do the same thing.
pub fn binder_canonical(tactic: &str) -> String {
    let bound = crate::tactic_names::names(tactic).bound;
    if bound.is_empty() {
        return crate::normalise::collapse_ws(tactic);
    }
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in ident_spans(tactic) {
        if let Some(i) = bound.iter().position(|b| *b == tactic[start..end]) {
            out.push_str(&tactic[last..start]);
            out.push_str(&format!("·{i}"));
            last = end;
        }
    }
    out.push_str(&tactic[last..]);
    crate::normalise::collapse_ws(&out)
}

/// A template written before slots had classes (`nlinarith [sq_nonneg (?0 - ?1)]`, as the
/// weights trained then carry them) with its slots typed `?a0`: any local may fill them.
pub fn upgrade_legacy(template: &str) -> String {
    let chars: Vec<char> = template.chars().collect();
    let mut out = String::with_capacity(template.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        out.push(*c);
        if *c == '?' && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            out.push('a');
        }
    }
    out
}

/// The classes of a template's slots, by slot number.
pub fn slots(template: &str) -> Vec<SlotClass> {
    let mut out: Vec<Option<SlotClass>> = Vec::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i + 2 < chars.len() + 1 {
        if chars[i] == '?'
            && let Some(class) = chars.get(i + 1).and_then(|c| SlotClass::from_letter(*c))
        {
            let digits: String = chars[i + 2..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let after = chars.get(i + 2 + digits.len());
            if !digits.is_empty() && !after.is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                let k: usize = digits.parse().unwrap_or(0);
                if out.len() <= k {
                    out.resize(k + 1, None);
                }
                out[k] = Some(class);
                i += 2 + digits.len();
                continue;
            }
        }
        i += 1;
    }
    out.into_iter()
        .map(|c| c.unwrap_or(SlotClass::Term))
        .collect()
}

/// How many slots a template has.
pub fn slot_count(template: &str) -> usize {
    slots(template).len()
}

/// Fills slot `i` with `names[i]`.
pub fn fill(template: &str, names: &[&str]) -> String {
    let classes = slots(template);
    let mut out = template.to_string();
    // Highest number first, so `?r1` is not a prefix problem for `?r10`.
    for (i, n) in names.iter().enumerate().rev() {
        if let Some(c) = classes.get(i) {
            out = out.replace(&format!("?{}{i}", c.letter()), n);
        }
    }
    out
}

/// Type-compatible ways to fill `template` from `names` (distinct names, each of its slot's
/// class), in order of the names' positions, at most `limit`.
pub fn fillings(template: &str, names: &[Local], limit: usize) -> Vec<String> {
    let classes = slots(template);
    if classes.is_empty() {
        return vec![template.to_string()];
    }
    let mut out = Vec::new();
    let mut chosen: Vec<usize> = Vec::new();
    fn go(
        template: &str,
        classes: &[SlotClass],
        names: &[Local],
        chosen: &mut Vec<usize>,
        out: &mut Vec<String>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        let k = chosen.len();
        if k == classes.len() {
            let picked: Vec<&str> = chosen.iter().map(|i| names[*i].name.as_str()).collect();
            out.push(fill(template, &picked));
            return;
        }
        for (i, l) in names.iter().enumerate() {
            if compatible(classes[k], l.class) && !chosen.contains(&i) {
                chosen.push(i);
                go(template, classes, names, chosen, out, limit);
                chosen.pop();
            }
        }
    }
    go(template, &classes, names, &mut chosen, &mut out, limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal() -> Goal {
        Goal::parse("x y : ℝ\nh : 0 < x\n⊢ x * y ≤ x ^ 2 + y ^ 2").unwrap()
    }

    #[test]
    fn round_trip_with_classes() {
        let names = slot_names(&goal());
        let (t, s) = abstract_tactic("nlinarith [sq_nonneg (x - y), h.le, sq_nonneg x]", &names);
        assert_eq!(
            t,
            "nlinarith [sq_nonneg (?r0 - ?r1), ?h2.le, sq_nonneg ?r0]"
        );
        assert_eq!(s, ["x", "y", "h"]);
        assert_eq!(
            slots(&t),
            [SlotClass::Field, SlotClass::Field, SlotClass::Hyp]
        );
        let back = fill(&t, &["x", "y", "h"]);
        assert_eq!(back, "nlinarith [sq_nonneg (x - y), h.le, sq_nonneg x]");
        let (t, _) = abstract_tactic("exact hxy", &names);
        assert_eq!(t, "exact hxy");
        // Holes and named arguments are not slots.
        assert!(slots("refine ⟨?_, ?a⟩").is_empty());
        // Legacy slots take any local.
        let legacy = upgrade_legacy("nlinarith [sq_nonneg (?0 - ?1)]");
        assert_eq!(legacy, "nlinarith [sq_nonneg (?a0 - ?a1)]");
        assert_eq!(slots(&legacy), [SlotClass::Any, SlotClass::Any]);
        assert_eq!(
            fillings(&legacy, &names, 1),
            ["nlinarith [sq_nonneg (h - x)]"]
        );
    }

    #[test]
    fn tactics_that_differ_in_their_own_binders_only_are_one() {
        assert_eq!(binder_canonical("intro L _"), binder_canonical("intro u _"));
        assert_eq!(
            binder_canonical("obtain ⟨x, hx⟩ := h"),
            binder_canonical("obtain ⟨y, hy⟩ := h")
        );
        assert_ne!(
            binder_canonical("obtain ⟨x, hx⟩ := h"),
            binder_canonical("obtain ⟨x, hx⟩ := g")
        );
    }

    #[test]
    fn fillings_respect_classes() {
        let g = Goal::parse("a b : ℝ\nn : ℕ\nha : 0 ≤ a\n⊢ 0 ≤ a * b").unwrap();
        let names = slot_names(&g);
        let f = fillings("exact mul_nonneg ?h0 (sq_nonneg ?r1)", &names, 10);
        assert_eq!(
            f,
            [
                "exact mul_nonneg ha (sq_nonneg a)",
                "exact mul_nonneg ha (sq_nonneg b)"
            ]
        );
        assert!(fillings("induction ?n0 with", &names, 10) == ["induction n with"]);
        assert!(fillings("exact ?f0", &names, 10).is_empty());
    }
}
