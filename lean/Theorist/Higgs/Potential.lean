import Mathlib.Analysis.InnerProductSpace.PiL2
import Mathlib.Order.Filter.Extr
import Mathlib.Tactic.LinearCombination
import Mathlib.Tactic.Linarith
import Mathlib.Tactic.Positivity
import Mathlib.Tactic.Ring

/-!
# The Standard-Model Higgs potential

`V(φ) = -μ² ‖φ‖² + λ ‖φ‖⁴` for the Higgs doublet `φ ∈ ℂ²`. Conventions: `μSq` stands for
`μ²` (a real parameter of either sign), `𝓵` for the quartic coupling `λ`. With `x = ‖φ‖²`
the potential is the quadratic `-μ² x + λ x²`, which is what the lemmas below are about.

These proofs are written against Mathlib's API but were not compiled where they were written
(no Lean toolchain there); `theorist verify` checks them wherever Lean is installed.
-/

namespace Theorist.Higgs

/-- The Higgs doublet: two complex components with the Euclidean norm. -/
abbrev HiggsField := EuclideanSpace ℂ (Fin 2)

/-- The potential as a function of `x = ‖φ‖²`. -/
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2

/-- `V(φ) = -μ² ‖φ‖² + λ ‖φ‖⁴`. -/
noncomputable def potential (μSq 𝓵 : ℝ) (φ : HiggsField) : ℝ :=
  -μSq * ‖φ‖ ^ 2 + 𝓵 * ‖φ‖ ^ 4

theorem potential_eq_radial (μSq 𝓵 : ℝ) (φ : HiggsField) :
    potential μSq 𝓵 φ = radial μSq 𝓵 (‖φ‖ ^ 2) := by
  unfold potential radial
  ring

/-- Completing the square: `4λ V(x) = (2λx - μ²)² - μ⁴`. -/
theorem radial_complete_square (μSq 𝓵 x : ℝ) :
    4 * 𝓵 * radial μSq 𝓵 x = (2 * 𝓵 * x - μSq) ^ 2 - μSq ^ 2 := by
  unfold radial
  ring

/-- For `λ > 0` the potential is bounded below by `-μ⁴/(4λ)`. -/
theorem radial_bounded_below (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) :
    -μSq ^ 2 / (4 * 𝓵) ≤ radial μSq 𝓵 x := by
  have h4 : (0 : ℝ) < 4 * 𝓵 := by positivity
  rw [div_le_iff₀ h4]
  nlinarith [sq_nonneg (2 * 𝓵 * x - μSq), radial_complete_square μSq 𝓵 x]

/-- On `x = ‖φ‖² ≥ 0` the potential is bounded below exactly when `λ > 0`, or `λ = 0` and
`μ² ≤ 0`. -/
theorem radial_bounded_below_iff (μSq 𝓵 : ℝ) :
    (∃ c : ℝ, ∀ x : ℝ, 0 ≤ x → c ≤ radial μSq 𝓵 x) ↔ (0 < 𝓵 ∨ (𝓵 = 0 ∧ μSq ≤ 0)) := by
  sorry

/-- For `λ > 0` the minimum over all `x` sits at `x = μ²/(2λ)`. -/
theorem radial_isMinOn (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) :
    IsMinOn (radial μSq 𝓵) Set.univ (μSq / (2 * 𝓵)) := by
  rw [isMinOn_iff]
  intro x _
  have h𝓵' : 𝓵 ≠ 0 := h𝓵.ne'
  have key : radial μSq 𝓵 x - radial μSq 𝓵 (μSq / (2 * 𝓵)) = 𝓵 * (x - μSq / (2 * 𝓵)) ^ 2 := by
    unfold radial
    linear_combination (μSq * x - μSq ^ 2 / (2 * 𝓵)) * mul_inv_cancel₀ h𝓵'
  rw [← sub_nonneg, key]
  exact mul_nonneg h𝓵.le (sq_nonneg _)

/-- For `μ² ≥ 0`, `λ > 0` the minimum over `x = ‖φ‖² ≥ 0` is exactly at `x = μ²/(2λ)`. -/
theorem radial_isMinOn_iff (μSq 𝓵 x : ℝ) (hμ : 0 ≤ μSq) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) :
    IsMinOn (radial μSq 𝓵) (Set.Ici 0) x ↔ x = μSq / (2 * 𝓵) := by
  sorry

/-- For `μ² ≤ 0` and `λ ≥ 0` the field vanishes at the minimum: `V(φ) ≥ V(0) = 0`. -/
theorem potential_nonneg_of_nonpos (μSq 𝓵 : ℝ) (hμ : μSq ≤ 0) (h𝓵 : 0 ≤ 𝓵) (φ : HiggsField) :
    0 ≤ potential μSq 𝓵 φ := by
  unfold potential
  have h2 : 0 ≤ ‖φ‖ ^ 2 := by positivity
  have h4 : 0 ≤ ‖φ‖ ^ 4 := by positivity
  nlinarith [mul_nonneg (neg_nonneg.mpr hμ) h2, mul_nonneg h𝓵 h4]

/-- The vacuum expectation value in the convention `⟨‖φ‖²⟩ = v²/2`: `v² = μ²/λ`. -/
theorem vev_sq (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) :
    2 * (μSq / (2 * 𝓵)) = μSq / 𝓵 := by
  ring

/-- The Higgs mass in the same convention: `m_H² = 2 λ v² = 2 μ²` (with `v² = μ²/λ`). -/
theorem mass_sq (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) :
    2 * 𝓵 * (μSq / 𝓵) = 2 * μSq := by
  have h := mul_div_cancel₀ μSq h𝓵.ne'
  linear_combination 2 * h

end Theorist.Higgs
