import Mathlib.Analysis.SpecialFunctions.Trigonometric.Deriv
import Mathlib.Tactic.LinearCombination

/-!
# Lorentz boosts in 1+1 dimensions

A boost with rapidity `η` maps `(t, x)` to `(cosh η t - sinh η x, -sinh η t + cosh η x)`
(units with `c = 1`). It preserves the Minkowski form `t² - x²`, and rapidities add.

Written against Mathlib's API; checked by `theorist verify` where Lean is installed.
-/

namespace Theorist.Lorentz

noncomputable def boostT (η t x : ℝ) : ℝ := Real.cosh η * t - Real.sinh η * x
noncomputable def boostX (η t x : ℝ) : ℝ := -Real.sinh η * t + Real.cosh η * x

/-- Boosts preserve the Minkowski form. -/
theorem minkowski_invariant (η t x : ℝ) :
    boostT η t x ^ 2 - boostX η t x ^ 2 = t ^ 2 - x ^ 2 := by
  unfold boostT boostX
  linear_combination (t ^ 2 - x ^ 2) * Real.cosh_sq_sub_sinh_sq η

/-- `cosh (a + b) = cosh a cosh b + sinh a sinh b`: the time components compose. -/
theorem rapidity_add_cosh (a b : ℝ) :
    Real.cosh (a + b) = Real.cosh a * Real.cosh b + Real.sinh a * Real.sinh b :=
  Real.cosh_add a b

/-- `sinh (a + b) = sinh a cosh b + cosh a sinh b`. -/
theorem rapidity_add_sinh (a b : ℝ) :
    Real.sinh (a + b) = Real.sinh a * Real.cosh b + Real.cosh a * Real.sinh b :=
  Real.sinh_add a b

/-- The time component of a boosted event at rest grows: `cosh η ≥ 1`. -/
theorem time_dilation (η : ℝ) : 1 ≤ Real.cosh η :=
  Real.one_le_cosh η

end Theorist.Lorentz
