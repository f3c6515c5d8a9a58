//! A project's own style of proof, for a learned prior trained on other repositories: each
//! project favours its own tactics (one `simp_all`s where another `rw`s, one opens every proof
//! with `intro`). The prior's head probabilities are reweighed by how much more (or less)
//! often the project's own proofs use each head after the same previous heads than the
//! libraries' proofs do (a prior-shift correction, as Saerens, Latinne and Decaestecker
//! 2002 adjust a classifier to new class frequencies). The project's counts are smoothed
//! towards the libraries' distribution, so a small project changes little, and a context the
//! project never shows changes nothing.

use crate::dataset::StepItem;
use crate::ngram::HeadNGram;

/// Pseudo-steps of the libraries' distribution the project's counts in a context are
/// smoothed with, unless measuring another: infinite, the style left out. On a validation
/// split (three repositories held out of a model's training, each ranked with its other
/// files remembered) no strength helped: 20 and 100 pseudo-steps left the first tactic level
/// and cost later steps 4–5 points of head@1 and head@5, so `suggest` does not reweigh.
pub const STRENGTH: f64 = f64::INFINITY;

/// Below this probability a head counts as this probable (a head the libraries never use
/// after these heads, and the project does, gains at most so much).
const FLOOR: f64 = 1e-3;

/// A project's head counts against the libraries'.
#[derive(Clone)]
pub struct ProjectStyle {
    project: HeadNGram,
    library: HeadNGram,
    /// [`STRENGTH`] unless measuring another; infinite leaves the prior unchanged.
    pub strength: f64,
}

impl ProjectStyle {
    /// The style of `project`'s steps against `library`'s counts; none when either has no
    /// steps (nothing to compare).
    pub fn new(project: &[StepItem], library: HeadNGram) -> Option<ProjectStyle> {
        let project = HeadNGram::from_items(project);
        (!project.is_empty() && !library.is_empty()).then_some(ProjectStyle {
            project,
            library,
            strength: STRENGTH,
        })
    }

    /// The same style smoothed with `strength` pseudo-steps instead.
    pub fn with_strength(&self, strength: f64) -> ProjectStyle {
        ProjectStyle {
            strength,
            ..self.clone()
        }
    }

    /// `heads` (a prior's distribution after `previous`) reweighed towards the project's
    /// style, summing to what they summed to, best first.
    pub fn reweigh(&self, heads: &[(String, f64)], previous: &[String]) -> Vec<(String, f64)> {
        let a = self.strength;
        if !a.is_finite() {
            // No style: the prior as it was, not re-sorted nor renormalised.
            return heads.to_vec();
        }
        let [after_two, after_one] = self.project.context_counts(previous);
        let count = |c: Option<&crate::ngram::Counts>, h: &str| {
            c.map_or((0.0, 0.0), |c| {
                (c.by_head.get(h).copied().unwrap_or(0.0), c.total)
            })
        };
        // The project's estimate after the last head from the steps after it that followed
        // other heads before (the two-head context's own steps are not counted twice), then
        // the two-head estimate smoothed towards it; each towards the libraries' first.
        let own = |h: &str, base: f64| {
            let (c2, n2) = count(after_two, h);
            let (c1, n1) = count(after_one, h);
            let one = ((c1 - c2).max(0.0) + a * base) / ((n1 - n2).max(0.0) + a);
            (c2 + a * one) / (n2 + a)
        };
        let total: f64 = heads.iter().map(|(_, p)| p).sum();
        let mut out: Vec<(String, f64)> = heads
            .iter()
            .map(|(h, p)| {
                let base = self.library.probability(previous, h);
                (h.clone(), p * own(h, base).max(FLOOR) / base.max(FLOOR))
            })
            .collect();
        let sum: f64 = out.iter().map(|(_, p)| p).sum();
        if sum > 0.0 {
            for (_, p) in &mut out {
                *p *= total / sum;
            }
        }
        out.sort_by(|x, y| y.1.total_cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(proofs: &[&[&str]]) -> Vec<StepItem> {
        let mut out = Vec::new();
        for p in proofs {
            for (i, t) in p.iter().enumerate() {
                out.push(StepItem::for_test("x : ℕ\n⊢ x = x", &p[..i], t));
            }
        }
        out
    }

    #[test]
    fn a_projects_favourite_head_rises_and_a_small_project_changes_little() {
        let library =
            HeadNGram::from_items(&steps(&[&["simp"], &["simp"], &["rw [h]"], &["intro x"]]));
        let prior = vec![
            ("simp".to_string(), 0.5),
            ("intro".to_string(), 0.3),
            ("rw".to_string(), 0.2),
        ];
        // A project that opens its proofs with `intro` far more often than the libraries do.
        let many: Vec<&[&str]> = vec![&["intro x", "simp"]; 60];
        // (Measured at 20 pseudo-steps: the default leaves the style out.)
        let style = ProjectStyle::new(&steps(&many), library.clone())
            .unwrap()
            .with_strength(20.0);
        let first = style.reweigh(&prior, &[]);
        assert_eq!(first[0].0, "intro", "{first:?}");
        let sum: f64 = first.iter().map(|(_, p)| p).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        // After `intro` the project always `simp`s: `simp` leads there.
        let after = style.reweigh(&prior, &["intro x".to_string()]);
        assert_eq!(after[0].0, "simp", "{after:?}");
        // Two proofs barely move the prior; infinite strength does not move it at all.
        let few: Vec<&[&str]> = vec![&["intro x"]; 2];
        let small = ProjectStyle::new(&steps(&few), library.clone())
            .unwrap()
            .with_strength(20.0);
        assert_eq!(small.reweigh(&prior, &[])[0].0, "simp");
        let off = ProjectStyle::new(&steps(&many), library.clone()).unwrap();
        assert_eq!(off.strength, STRENGTH, "the default");
        let same = off.reweigh(&prior, &[]);
        for ((h, p), (g, q)) in prior.iter().zip(&same) {
            assert_eq!((h, *p), (g, *q));
        }
        // Nothing to compare with: no style.
        assert!(ProjectStyle::new(&[], library).is_none());
    }
}
