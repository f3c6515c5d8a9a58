//! Tactics with their local names abstracted into typed slots: `nlinarith [sq_nonneg (x - y),
//! h.le]` on a goal with `x y : ℝ` and `h : 0 < x` becomes `nlinarith [sq_nonneg (?r0 - ?r1),
//! ?h2.le]`: a slot is `?` + the class letter of the name it replaced ([`SlotClass`]) + its
//! number in order of first use. A ranker scores templates and fills the slots with names of
//! the new goal *of the same class* — the "base tactic + arguments" split of Graph2Tac, with
//! type-compatible arguments. A definition the target names is a slot too (`unfold energy` on
//! `⊢ energy S = …` is `unfold ?c0`), filled with the new target's definitions.

use crate::goal::{Goal, bound_names};
use crate::scope::{Local, SlotClass, compatible, locals};
use crate::tactic_names::is_tactic_word;

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

/// At most this many of the target's definitions are slot names.
const MAX_CONSTANTS: usize = 6;

/// [`slot_names`], then the definitions the target names ([`SlotClass::Const`]): its free
/// identifiers whose last component starts in lower case (`energy`, `MyLib.kinetic`; Lean's
/// convention for functions and definitions, not types or theorems), in order of first
/// appearance. A letter with only digits, subscripts or primes after it (`x`, `i₁`, `n'`) is
/// left out: the variable of a binder notation (`∑ i ∈ s, f i`, `{x | p x}`) more often than a
/// definition. What templates are abstracted from and filled with.
pub fn template_names(goal: &Goal) -> Vec<Local> {
    let mut out = slot_names(goal);
    let found = crate::tactic_names::names(&goal.target);
    let mut constants: Vec<String> = Vec::new();
    for r in found.references {
        let first = r.split('.').next().unwrap_or_default();
        let last = r.rsplit('.').next().unwrap_or_default();
        let mut chars = last.chars();
        let definition = chars.next().is_some_and(char::is_lowercase)
            && !chars.all(|c| c.is_ascii_digit() || ('₀'..='₉').contains(&c) || c == '\'');
        if definition
            && !r.contains('✝')
            && !found.bound.iter().any(|b| b == first)
            && !out.iter().any(|l| l.name == first)
            && !constants.contains(&r)
        {
            constants.push(r);
        }
    }
    out.extend(constants.into_iter().take(MAX_CONSTANTS).map(|name| Local {
        name,
        ty: String::new(),
        class: SlotClass::Const,
    }));
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
/// slot (a definition's name only where it stands whole); the names in slot order.
pub fn abstract_tactic(tactic: &str, names: &[Local]) -> (String, Vec<String>) {
    let mut slots: Vec<String> = Vec::new();
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in ident_spans(tactic) {
        let tok = &tactic[start..end];
        let dot = tok.find('.').unwrap_or(tok.len());
        // A definition stands whole, and never for the tactic itself (`ring` is not a slot
        // even where the target has a `ring`).
        let Some(local) = names.iter().find(|l| match l.class {
            SlotClass::Const => l.name == tok && !is_tactic_word(tok),
            _ => l.name == tok[..dot],
        }) else {
            continue;
        };
        let first_len = if local.class == SlotClass::Const {
            tok.len()
        } else {
            dot
        };
        let first = &tok[..first_len];
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
    fillings_searched(template, names, limit).0
}

/// [`fillings`], with how many partial fillings the search visited. A name is only tried
/// where the slots after it can still be filled ([`can_complete`]), so the search never
/// walks into a dead end: it visits at most `limit × slots × names` partial fillings, where
/// a blind search of a long mined template (16 hypothesis slots, 15 hypotheses) would try
/// every ordering of the names before giving up.
fn fillings_searched(template: &str, names: &[Local], limit: usize) -> (Vec<String>, usize) {
    let classes = slots(template);
    if classes.is_empty() {
        return (vec![template.to_string()], 0);
    }
    let mut search = Search {
        template,
        classes: &classes,
        names,
        chosen: Vec::new(),
        out: Vec::new(),
        limit,
        visited: 0,
    };
    if can_complete(&classes, names, &search.chosen) {
        search.extend();
    }
    (search.out, search.visited)
}

struct Search<'a> {
    template: &'a str,
    classes: &'a [SlotClass],
    names: &'a [Local],
    chosen: Vec<usize>,
    out: Vec<String>,
    limit: usize,
    visited: usize,
}

impl Search<'_> {
    fn extend(&mut self) {
        self.visited += 1;
        if self.out.len() >= self.limit {
            return;
        }
        let k = self.chosen.len();
        if k == self.classes.len() {
            let picked: Vec<&str> = self
                .chosen
                .iter()
                .map(|i| self.names[*i].name.as_str())
                .collect();
            self.out.push(fill(self.template, &picked));
            return;
        }
        for (i, l) in self.names.iter().enumerate() {
            if !compatible(self.classes[k], l.class) || self.chosen.contains(&i) {
                continue;
            }
            self.chosen.push(i);
            if can_complete(&self.classes[k + 1..], self.names, &self.chosen) {
                self.extend();
            }
            self.chosen.pop();
        }
    }
}

/// Whether `slots` can be filled with distinct names of `names` not in `chosen`. A slot of
/// a definite class takes a name of exactly that class and an `Any` slot any name but a
/// definition ([`compatible`]), so Hall's condition comes down to counting: each class has
/// names enough for its own slots, and what non-definitions are left cover the `Any` slots.
fn can_complete(slots: &[SlotClass], names: &[Local], chosen: &[usize]) -> bool {
    const CLASSES: usize = SlotClass::Any as usize + 1;
    let mut need = [0usize; CLASSES];
    let mut free = [0usize; CLASSES];
    for c in slots {
        need[*c as usize] += 1;
    }
    for (i, l) in names.iter().enumerate() {
        if !chosen.contains(&i) {
            free[l.class as usize] += 1;
        }
    }
    let (any, konst) = (SlotClass::Any as usize, SlotClass::Const as usize);
    if (0..CLASSES).any(|c| c != any && need[c] > free[c]) {
        return false;
    }
    let left_for_any: usize = (0..CLASSES)
        .filter(|c| *c != konst)
        .map(|c| if c == any { free[c] } else { free[c] - need[c] })
        .sum();
    need[any] <= left_for_any
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

    #[test]
    fn a_long_template_that_cannot_be_filled_is_given_up_at_once() {
        // Mined templates can be long: 16 hypothesis slots against 15 hypotheses and a few
        // variables. Before the search looked ahead, it tried every ordering of the names.
        let mut context: String = (0..15).map(|i| format!("h{i} : 0 < x\n")).collect();
        context.push_str("x y z : ℝ\nn : ℕ\n");
        let g = Goal::parse(&format!("{context}⊢ 0 < x")).unwrap();
        let names = slot_names(&g);
        let long: String = (0..16).map(|i| format!(" ?h{i}")).collect();
        let (none, visited) = fillings_searched(&format!("simp only [{long} ]"), &names, 4);
        assert!(none.is_empty());
        assert_eq!(visited, 0, "seen to be unfillable before any name is tried");
        // One slot fewer fits: found without a dead end, within limit × slots × names.
        let fits: String = (0..15).map(|i| format!(" ?h{i}")).collect();
        let (four, visited) = fillings_searched(&format!("simp only [{fits} ] at ?r15"), &names, 4);
        assert_eq!(four.len(), 4);
        assert!(visited <= 4 * 17 * names.len(), "visited {visited}");
        // Definite classes are counted apart: an `Any` slot takes what they leave, never a
        // definition.
        let g = Goal::parse("a : ℝ\nh : 0 < a\n⊢ energy a = 0").unwrap();
        let names = template_names(&g);
        assert_eq!(
            fillings("exact ?c0 ?a1 ?a2", &names, 4),
            ["exact energy h a", "exact energy a h"]
        );
        assert!(fillings("exact ?a0 ?a1 ?a2", &names, 4).is_empty());
        assert!(fillings("exact ?h0 ?a1 ?r2", &names, 4).is_empty());
    }

    #[test]
    fn the_targets_definitions_are_slots_where_they_stand_whole() {
        let g = Goal::parse(
            "S : System\nh : 0 < S.mass\n⊢ energy S = MyLib.kinetic (S.mass * S.v) ∧ IsUnit S",
        )
        .unwrap();
        let constants = |names: &[Local]| -> Vec<String> {
            let consts = names.iter().filter(|l| l.class == SlotClass::Const);
            consts.map(|l| l.name.clone()).collect()
        };
        let names = template_names(&g);
        // Lower-case last components only (not the type `IsUnit`, not the local `S.mass`).
        assert_eq!(constants(&names), ["energy", "MyLib.kinetic"]);
        let (t, used) =
            abstract_tactic("simp only [energy, MyLib.kinetic, energy_def] at h", &names);
        assert_eq!(t, "simp only [?c0, ?c1, energy_def] at ?h2");
        assert_eq!(used, ["energy", "MyLib.kinetic", "h"]);
        assert_eq!(
            abstract_tactic("rw [MyLib.kinetic_mul]", &names).0,
            "rw [MyLib.kinetic_mul]"
        );
        assert_eq!(
            abstract_tactic("unfold MyLib.kinetic", &names).0,
            "unfold ?c0"
        );
        // Filled at another goal with its own definitions, in order; never with a local.
        let other = Goal::parse("x : ℝ\n⊢ potential x ≤ bound").unwrap();
        let there = template_names(&other);
        assert_eq!(
            fillings("unfold ?c0", &there, 4),
            ["unfold potential", "unfold bound"]
        );
        assert!(fillings("unfold ?c0", &slot_names(&other), 4).is_empty());
        assert!(
            fillings("exact ?a0", &there, 4) == ["exact x"],
            "legacy slots take locals only"
        );
        // A binder notation's variable is not a definition; a tactic is never a slot.
        let sum =
            Goal::parse("s : Finset ℕ\n⊢ ∑ i ∈ s, weight i = {x | x ∈ s}.ncard + ring").unwrap();
        let names = template_names(&sum);
        assert_eq!(constants(&names), ["weight", "ring"]);
        assert_eq!(abstract_tactic("ring", &names).0, "ring");
        assert_eq!(abstract_tactic("simp [weight]", &names).0, "simp [?c0]");
    }
}
