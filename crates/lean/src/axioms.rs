//! `#print axioms` output and the axiom policy. Lean prints
//! `'foo' depends on axioms: [propext, Classical.choice, Quot.sound]` or
//! `'foo' does not depend on any axioms`; long lists wrap onto indented lines and the order is
//! Lean's, not alphabetical, so the list is read as a set after normalising whitespace.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// The axioms of one declaration, as `#print axioms` reported them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AxiomsOf {
    pub decl: String,
    pub axioms: Vec<String>,
}

/// Reads an `#print axioms` message; `None` if the text is not one.
pub fn parse_axioms_message(text: &str) -> Option<AxiomsOf> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.trim();
    let (decl, rest) = quoted_name(flat)?;
    if rest.trim() == "does not depend on any axioms" {
        return Some(AxiomsOf {
            decl,
            axioms: Vec::new(),
        });
    }
    let list = rest.trim().strip_prefix("depends on axioms:")?.trim();
    let inner = list.strip_prefix('[')?.strip_suffix(']')?;
    let axioms = inner
        .split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect();
    Some(AxiomsOf { decl, axioms })
}

/// `'name' rest` → (name, rest). Names may contain `'` (primes), so the closing quote is the
/// one followed by a space and the verb.
fn quoted_name(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('\'')?;
    for marker in ["' depends on axioms:", "' does not depend on any axioms"] {
        if let Some(at) = body.find(marker) {
            return Some((body[..at].to_string(), &body[at + 1..]));
        }
    }
    None
}

/// Which axioms a proof may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AxiomPolicy {
    pub allowed: BTreeSet<String>,
}

impl Default for AxiomPolicy {
    /// Lean's three standard axioms. `sorryAx` (a `sorry`), `Lean.ofReduceBool` /
    /// `Lean.trustCompiler` (`native_decide`) and user axioms are flagged.
    fn default() -> Self {
        AxiomPolicy {
            allowed: ["propext", "Classical.choice", "Quot.sound"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl AxiomPolicy {
    /// The axioms outside the allow-list, in the order given.
    pub fn forbidden(&self, axioms: &[String]) -> Vec<String> {
        axioms
            .iter()
            .filter(|a| !self.allowed.contains(*a))
            .cloned()
            .collect()
    }

    pub fn allow(&mut self, name: impl Into<String>) {
        self.allowed.insert(name.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_forms_and_wrapped_lists() {
        let a = parse_axioms_message(
            "'foo' depends on axioms: [propext, Classical.choice, Quot.sound]",
        )
        .unwrap();
        assert_eq!(a.decl, "foo");
        assert_eq!(a.axioms, ["propext", "Classical.choice", "Quot.sound"]);
        let wrapped = parse_axioms_message("'Theorist.Higgs.minimum_iff' depends on axioms: [propext,\n  sorryAx,\n  Classical.choice,\n  Quot.sound]").unwrap();
        assert_eq!(
            wrapped.axioms,
            ["propext", "sorryAx", "Classical.choice", "Quot.sound"]
        );
        let none = parse_axioms_message("'x'' does not depend on any axioms").unwrap();
        assert_eq!(none.decl, "x'");
        assert!(none.axioms.is_empty());
        assert!(parse_axioms_message("declaration uses `sorry`").is_none());
    }

    #[test]
    fn policy_flags_sorry_native_decide_and_user_axioms() {
        let p = AxiomPolicy::default();
        let used: Vec<String> = [
            "propext",
            "sorryAx",
            "Lean.ofReduceBool",
            "MyAxiom",
            "Quot.sound",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            p.forbidden(&used),
            ["sorryAx", "Lean.ofReduceBool", "MyAxiom"]
        );
    }
}
