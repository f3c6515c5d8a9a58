//! A stand-in for Mathlib's sources in a test project's `.lake/packages`: `Mathlib.Tactic`
//! declaring, as statements only (our own text), the lemmas the tests' candidates name.
//! Suggestions may only name library lemmas the project's sources declare, so a project
//! without it gets none.

use std::path::Path;

/// The lemmas declared.
pub const LEMMAS: &[&str] = &["sq_nonneg", "pow_two_nonneg", "mul_nonneg", "mul_pos"];

/// Writes `root/.lake/packages/mathlib/Mathlib/Tactic.lean`.
pub fn stand_in_mathlib(root: &Path) {
    let dir = root.join(".lake/packages/mathlib/Mathlib");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Tactic.lean"),
        "theorem sq_nonneg {α : Type*} (a : α) : 0 ≤ a ^ 2 := sorry\n\
         theorem pow_two_nonneg {α : Type*} (a : α) : 0 ≤ a ^ 2 := sorry\n\
         theorem mul_nonneg {a b : α} (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ a * b := sorry\n\
         theorem mul_pos {a b : α} (ha : 0 < a) (hb : 0 < b) : 0 < a * b := sorry\n",
    )
    .unwrap();
}

/// A Lake project (the fixture's lakefile and toolchain) with the stand-in, at `root`.
pub fn project_with_stand_in(root: &Path) {
    std::fs::create_dir_all(root).unwrap();
    for f in ["lakefile.lean", "lean-toolchain"] {
        std::fs::copy(
            Path::new("tests/fixtures/lean-project").join(f),
            root.join(f),
        )
        .unwrap();
    }
    stand_in_mathlib(root);
}
