//! What the learned step ranker sees of a proof step, as hashed feature ids: the goal's
//! tokens (target and hypotheses apart; a local name stands for its kind, so `hx` and `h₁`
//! look alike), pairs of neighbouring target tokens, the target's first and relation tokens,
//! how many hypotheses there are, and the proof so far (the previous two tactic heads, the
//! library names the previous step used, every head used so far, how many steps came
//! before). Pure, so training (feature `model`) and every build's tests see the same
//! features.

use std::collections::HashMap;

use crate::goal::Goal;
use crate::scope::SlotClass;
use crate::tactic_head;
use crate::template::slot_names;

/// What these features are; weights trained on others are refused (a change here, in the
/// tokens or the hashing, must change it).
pub const FEATURES: &str = "steprank-features/2";

/// Feature ids are in `1..BUCKETS`; 0 pads a batch.
pub const BUCKETS: u32 = 1 << 17;
/// At most this many features per step (the first ones: proof context, then the target).
pub const MAX_FEATURES: usize = 160;

fn bucket(kind: &str, token: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in kind.bytes().chain([0xff]).chain(token.bytes()) {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    1 + h % (BUCKETS - 1)
}

/// The tokens of an expression: identifiers (dotted names whole, and each component), and
/// every other non-space character (`≤`, `∀`, `↑`, `(`).
fn tokens(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            let w = word.trim_end_matches('.').to_string();
            if w.contains('.') {
                out.extend(w.split('.').filter(|p| !p.is_empty()).map(str::to_string));
            }
            out.push(w);
            word.clear();
        }
    };
    for c in expr.chars() {
        if crate::normalise::is_ident_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

fn class_token(class: SlotClass) -> &'static str {
    match class {
        SlotClass::Hyp => "⟨hyp⟩",
        SlotClass::Discrete => "⟨nat⟩",
        SlotClass::Field => "⟨real⟩",
        SlotClass::Function => "⟨fun⟩",
        SlotClass::Type => "⟨type⟩",
        SlotClass::Term | SlotClass::Const | SlotClass::Any => "⟨term⟩",
    }
}

fn count_bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2..=3 => "2-3",
        4..=7 => "4-7",
        _ => "8+",
    }
}

/// The feature ids of the step after `previous` at `goal` (as Lean prints it), without
/// repeats, at most [`MAX_FEATURES`].
pub fn step_features(goal: &str, previous: &[String]) -> Vec<u32> {
    let parsed = Goal::parse(goal).unwrap_or_default();
    let kinds: HashMap<String, &'static str> = slot_names(&parsed)
        .into_iter()
        .map(|l| (l.name, class_token(l.class)))
        .collect();
    let local = |t: String| kinds.get(&t).map_or(t, |k| k.to_string());
    let mut out: Vec<u32> = Vec::new();
    // Only the first MAX_FEATURES distinct ids are kept: later ones are not even hashed.
    let mut push = |kind: &str, token: &str| {
        if out.len() >= MAX_FEATURES {
            return;
        }
        let b = bucket(kind, token);
        if !out.contains(&b) {
            out.push(b);
        }
    };
    // The proof so far.
    let head = |k: usize| {
        previous
            .len()
            .checked_sub(k)
            .and_then(|i| previous.get(i))
            .map_or("⟨start⟩", |t| tactic_head(t))
    };
    push("p1", head(1));
    push("p2", &format!("{} {}", head(2), head(1)));
    push("n", count_bucket(previous.len()));
    if let Some(last) = previous.last() {
        for t in tokens(last).into_iter().filter(|t| t.len() > 1) {
            if !kinds.contains_key(&t) {
                push("pt", &t);
            }
        }
    }
    // Every head the proof used so far (an `intro` already done, a `constructor` splitting).
    for p in previous {
        push("ph", tactic_head(p));
    }
    // The goal's shape.
    push("hyps", count_bucket(parsed.hyps.len()));
    let target: Vec<String> = tokens(&parsed.target).into_iter().map(local).collect();
    push("first", target.first().map_or("", String::as_str));
    if let Some(rel) = target
        .iter()
        .find(|t| ["=", "≤", "<", "≠", "↔", "∈", "⊆", "∣", "≥", ">"].contains(&t.as_str()))
    {
        push("rel", rel);
    }
    for t in &target {
        push("t", t);
    }
    for w in target.windows(2) {
        push("tt", &format!("{} {}", w[0], w[1]));
    }
    for (_, ty) in parsed.hyps.iter().rev().take(12) {
        for t in tokens(ty) {
            push("h", &local(t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locals_stand_for_their_kind_and_the_proof_so_far_counts() {
        let a = step_features("x : ℝ\nhx : 0 < x\n⊢ 0 < x ^ 2", &[]);
        let b = step_features("y : ℝ\nh₁ : 0 < y\n⊢ 0 < y ^ 2", &[]);
        assert_eq!(a, b, "renamed locals give the same features");
        assert!(a.iter().all(|f| (1..BUCKETS).contains(f)));
        let after = step_features("x : ℝ\nhx : 0 < x\n⊢ 0 < x ^ 2", &["intro h".to_string()]);
        assert_ne!(a, after, "the previous step is seen");
        // A library name in the target is its own feature, not a local's kind.
        let exp = step_features("s : Finset ℕ\n⊢ 0 ≤ Finset.card s", &[]);
        assert!(exp.contains(&bucket("t", "Finset.card")) && exp.contains(&bucket("t", "card")));
        assert!(!a.contains(&bucket("t", "x")) && a.contains(&bucket("t", "⟨real⟩")));
        let terms: Vec<String> = (0..400).map(|i| format!("a{i}")).collect();
        let long = format!("⊢ {}", terms.join(" + "));
        assert!(step_features(&long, &[]).len() <= MAX_FEATURES);
    }
}
