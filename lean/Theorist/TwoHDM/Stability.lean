import Mathlib.Analysis.SpecialFunctions.Pow.Real
import Mathlib.Tactic.Linarith
import Mathlib.Tactic.Positivity

/-!
# Stability of the two-Higgs-doublet potential

In the neutral directions the quartic part of the Z₂-symmetric 2HDM potential is
`V₄ = l₁/2 a² + l₂/2 b² + l₃ a b` with `a = |Φ₁|² ≥ 0`, `b = |Φ₂|² ≥ 0` (conventions of the
reference notes: `l₁ … l₃` are λ₁ … λ₃; `λ` itself is a Lean keyword). The standard
sufficient conditions for boundedness from below are `l₁ > 0`, `l₂ > 0` and
`l₃ > -√(l₁ l₂)`. The subtlety: `l₃ ≥ 0` is not needed, but `l₃ ≥ -(l₁ + l₂)/2` alone is not
enough either.

Written against Mathlib's API; checked by `theorist verify` where Lean is installed.
-/

namespace Theorist.TwoHDM

/-- The quartic potential in the neutral directions. -/
noncomputable def quartic (l₁ l₂ l₃ a b : ℝ) : ℝ := l₁ / 2 * a ^ 2 + l₂ / 2 * b ^ 2 + l₃ * a * b

/-- With `l₃ ≥ 0` the quartic is non-negative on the physical region. -/
theorem quartic_nonneg_of_nonneg (l₁ l₂ l₃ a b : ℝ) (h₁ : 0 < l₁) (h₂ : 0 < l₂) (h₃ : 0 ≤ l₃)
    (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ quartic l₁ l₂ l₃ a b := by
  unfold quartic
  have : 0 ≤ l₃ * a * b := by positivity
  positivity

/-- The standard sufficient condition: `l₃ > -√(l₁ l₂)`. -/
theorem quartic_nonneg (l₁ l₂ l₃ a b : ℝ) (h₁ : 0 < l₁) (h₂ : 0 < l₂)
    (h₃ : -Real.sqrt (l₁ * l₂) < l₃) (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ quartic l₁ l₂ l₃ a b := by
  sorry

/-- Along `a = b` the quartic is `(l₁ + l₂ + 2 l₃)/2 · a²`. -/
theorem quartic_diagonal (l₁ l₂ l₃ a : ℝ) :
    quartic l₁ l₂ l₃ a a = (l₁ + l₂ + 2 * l₃) / 2 * a ^ 2 := by
  unfold quartic
  ring

/-- The subtlety, necessity side: if `l₁ + l₂ + 2 l₃ < 0` the quartic is negative along the
diagonal `a = b = 1`, whatever the signs of `l₁`, `l₂` — positivity of `l₁`, `l₂` alone does not
give stability. -/
theorem quartic_neg_of_diagonal (l₁ l₂ l₃ : ℝ) (h : l₁ + l₂ + 2 * l₃ < 0) :
    quartic l₁ l₂ l₃ 1 1 < 0 := by
  unfold quartic
  linarith

end Theorist.TwoHDM
