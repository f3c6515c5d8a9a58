import Mathlib.Analysis.SpecialFunctions.Trigonometric.Basic
import Mathlib.Tactic.LinearCombination

/-!
# The classical harmonic oscillator

For `m ẍ = -k x` with `ω² = k / m`, the solution `x(t) = A cos (ω t)` has velocity
`v(t) = -A ω sin (ω t)`; its energy `½ m v² + ½ k x²` is the constant `½ k A²`.

Written against Mathlib's API; checked by `theorist verify` where Lean is installed.
-/

namespace Theorist.Oscillator

noncomputable def energy (m k A ω t : ℝ) : ℝ :=
  1 / 2 * m * (-(A * ω * Real.sin (ω * t))) ^ 2 + 1 / 2 * k * (A * Real.cos (ω * t)) ^ 2

/-- Energy is conserved along the solution. -/
theorem energy_conserved (m k A ω t : ℝ) (hm : 0 < m) (hω : ω ^ 2 = k / m) :
    energy m k A ω t = 1 / 2 * k * A ^ 2 := by
  have hk : k = m * ω ^ 2 := by
    rw [hω, mul_div_cancel₀ k hm.ne']
  unfold energy
  rw [hk]
  linear_combination (1 / 2 * m * A ^ 2 * ω ^ 2) * Real.sin_sq_add_cos_sq (ω * t)

/-- The energy is never negative for positive mass and stiffness. -/
theorem energy_nonneg (m k A ω t : ℝ) (hm : 0 < m) (hk : 0 < k) : 0 ≤ energy m k A ω t := by
  unfold energy
  positivity

end Theorist.Oscillator
