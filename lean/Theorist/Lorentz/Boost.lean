import Mathlib.Analysis.SpecialFunctions.Trigonometric.Deriv
import Mathlib.LinearAlgebra.Matrix.Determinant.Basic
import Mathlib.Tactic.CongrM
import Mathlib.Tactic.FinCases
import Mathlib.Tactic.Linarith
import Mathlib.Tactic.LinearCombination
import Mathlib.Tactic.Ring

/-!
# Lorentz boosts in 1+1 dimensions

Units with `c = 1`, coordinates `(t, x)`, metric `η = diag(1, -1)`. The boost with rapidity
`ζ` along the x-axis is the matrix `Λ(ζ) = [[cosh ζ, -sinh ζ], [-sinh ζ, cosh ζ]]`, so
`t' = cosh ζ t - sinh ζ x` and `x' = -sinh ζ t + cosh ζ x`. Proved here: `Λ(a) Λ(b) = Λ(a + b)`
as matrices (rapidities add under composition of boosts along one axis), `Λ(0) = 1`,
`Λ(-ζ) Λ(ζ) = 1`, `det Λ = 1`, `Λᵀ = Λ` and `Λ η Λ = η` (so `Λᵀ η Λ = η`: boosts are Lorentz
transformations); on coordinates, composition and the invariance of `t² - x²`; `cosh ζ ≥ 1`.

Not compiled where it was written; every Mathlib name it uses is recorded in
`lean/MATHLIB_NAMES.tsv` (at Mathlib v4.22.0 `Real.one_le_cosh` lives in
`Trigonometric/Deriv.lean`; `Trigonometric/DerivHyp.lean` was created later).
-/

noncomputable section

namespace Theorist.Lorentz

/-- The boost with rapidity `ζ` along the x-axis, acting on `(t, x)`. -/
def boost (ζ : ℝ) : Matrix (Fin 2) (Fin 2) ℝ :=
  !![Real.cosh ζ, -Real.sinh ζ; -Real.sinh ζ, Real.cosh ζ]

/-- The Minkowski metric `diag(1, -1)`. -/
def minkowski : Matrix (Fin 2) (Fin 2) ℝ := !![1, 0; 0, -1]

/-- Two boosts along one axis compose to the boost with the summed rapidity. -/
theorem boost_mul (a b : ℝ) : boost a * boost b = boost (a + b) := by
  unfold boost
  rw [Matrix.mul_fin_two, Real.cosh_add, Real.sinh_add]
  congrm !![?_, ?_; ?_, ?_] <;> ring

/-- The boost with rapidity `0` is the identity. -/
theorem boost_zero : boost 0 = 1 := by
  unfold boost
  rw [Real.cosh_zero, Real.sinh_zero, neg_zero, Matrix.one_fin_two]

/-- The inverse boost has the opposite rapidity. -/
theorem boost_neg_mul (ζ : ℝ) : boost (-ζ) * boost ζ = 1 := by
  rw [boost_mul, neg_add_cancel, boost_zero]

/-- Boosts are proper: `det Λ = cosh² ζ - sinh² ζ = 1`. -/
theorem boost_det (ζ : ℝ) : (boost ζ).det = 1 := by
  unfold boost
  rw [Matrix.det_fin_two_of]
  linear_combination Real.cosh_sq_sub_sinh_sq ζ

/-- Boosts are symmetric matrices. -/
theorem boost_transpose (ζ : ℝ) : (boost ζ).transpose = boost ζ := by
  ext i j
  fin_cases i <;> fin_cases j <;> rfl

/-- Boosts preserve the Minkowski metric: `Λ η Λ = η` (and `Λᵀ = Λ`), so `Λᵀ η Λ = η`. -/
theorem boost_mul_minkowski_mul (ζ : ℝ) : boost ζ * minkowski * boost ζ = minkowski := by
  unfold boost minkowski
  rw [Matrix.mul_fin_two, Matrix.mul_fin_two]
  congrm !![?_, ?_; ?_, ?_] <;> linarith [Real.cosh_sq_sub_sinh_sq ζ]

/-- The time coordinate of the boosted event. -/
def boostT (ζ t x : ℝ) : ℝ := Real.cosh ζ * t - Real.sinh ζ * x

/-- The space coordinate of the boosted event. -/
def boostX (ζ t x : ℝ) : ℝ := -Real.sinh ζ * t + Real.cosh ζ * x

/-- Boosts preserve the Minkowski interval `t² - x²`. -/
theorem minkowski_invariant (ζ t x : ℝ) :
    boostT ζ t x ^ 2 - boostX ζ t x ^ 2 = t ^ 2 - x ^ 2 := by
  unfold boostT boostX
  linear_combination (t ^ 2 - x ^ 2) * Real.cosh_sq_sub_sinh_sq ζ

/-- Composing boosts on coordinates: the time coordinate after `a` then `b` is that of the
boost by `a + b`. -/
theorem boostT_compose (a b t x : ℝ) :
    boostT b (boostT a t x) (boostX a t x) = boostT (a + b) t x := by
  unfold boostT boostX
  rw [Real.cosh_add, Real.sinh_add]
  ring

/-- Composing boosts on coordinates: the space coordinate. -/
theorem boostX_compose (a b t x : ℝ) :
    boostX b (boostT a t x) (boostX a t x) = boostX (a + b) t x := by
  unfold boostT boostX
  rw [Real.cosh_add, Real.sinh_add]
  ring

/-- The time-dilation factor `γ = cosh ζ` of a boost is at least `1`. -/
theorem time_dilation (ζ : ℝ) : 1 ≤ Real.cosh ζ :=
  Real.one_le_cosh ζ

end Theorist.Lorentz
