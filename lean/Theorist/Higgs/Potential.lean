import Mathlib.Analysis.InnerProductSpace.PiL2
import Mathlib.Order.Filter.Extr
import Mathlib.Tactic.LinearCombination
import Mathlib.Tactic.Linarith
import Mathlib.Tactic.Positivity
import Mathlib.Tactic.Ring

/-!
# The Standard-Model Higgs potential

In PhysLean's shape (`PhysLean/Particles/StandardModel/HiggsBoson/Potential.lean`): the
parameters are a structure `Potential` (`μ2` for `μ²`, of either sign; `𝓵` for the quartic
coupling `λ`, a Lean keyword), and the potential is a function of the value `φ` of the Higgs
doublet at a point, `P.toFun φ = -μ² ‖φ‖² + λ ‖φ‖⁴`. Every statement about its shape is over
all field values: bounds, minima and maxima (`IsMinOn`/`IsMaxOn` on `Set.univ`), boundedness
from below as `∃ c, ∀ φ, c ≤ P.toFun φ` (both signs of `λ`, and `λ = 0`). The vacuum
expectation value and the Higgs mass are read off the potential at its minimum.

Not compiled where it was written (no Lean toolchain there). Every Mathlib name it uses is
recorded with its file at Mathlib v4.22.0 in `lean/MATHLIB_NAMES.tsv`.
-/

noncomputable section

namespace Theorist.Higgs

/-- The value of the Higgs doublet at a point: two complex components, Euclidean norm. -/
abbrev HiggsVec := EuclideanSpace ℂ (Fin 2)

/-- Every non-negative real is `‖φ‖²` of some Higgs vector, namely `(√r, 0)`. -/
theorem exists_normSq_eq (r : ℝ) (hr : 0 ≤ r) : ∃ φ : HiggsVec, ‖φ‖ ^ 2 = r :=
  ⟨EuclideanSpace.single 0 (Real.sqrt r : ℂ), by
    rw [EuclideanSpace.norm_single, Complex.norm_of_nonneg (Real.sqrt_nonneg r),
      Real.sq_sqrt hr]⟩

/-- The parameters of the Higgs potential `V(φ) = -μ² ‖φ‖² + λ ‖φ‖⁴`. -/
structure Potential where
  /-- The mass parameter `μ²` (either sign). -/
  μ2 : ℝ
  /-- The quartic coupling `λ`. -/
  𝓵 : ℝ

namespace Potential

variable (P : Potential)

/-- The potential at the field value `φ`: `-μ² ‖φ‖² + λ ‖φ‖² ‖φ‖²`. -/
def toFun (φ : HiggsVec) : ℝ := -P.μ2 * ‖φ‖ ^ 2 + P.𝓵 * ‖φ‖ ^ 2 * ‖φ‖ ^ 2

/-- The potential as a function of `x = ‖φ‖²`: `-μ² x + λ x x`. -/
def radial (x : ℝ) : ℝ := -P.μ2 * x + P.𝓵 * x * x

/-- The potential with both parameters negated, which is `-V`. -/
def neg : Potential where
  μ2 := -P.μ2
  𝓵 := -P.𝓵

/-- The potential is bounded below over all field values. -/
def IsBounded : Prop := ∃ c, ∀ φ : HiggsVec, c ≤ P.toFun φ

/-- The potential along a radial excitation `h` of a vacuum `v`: `V` where
`‖φ‖² = (v + h)² / 2` (unitary gauge, `φ = (0, (v + h)/√2)`). -/
def radialFluctuation (v h : ℝ) : ℝ := P.radial ((v + h) ^ 2 / 2)

theorem neg_μ2 : P.neg.μ2 = -P.μ2 := rfl

theorem neg_𝓵 : P.neg.𝓵 = -P.𝓵 := rfl

/-- `V(φ)` depends on `φ` only through `‖φ‖²`. -/
theorem toFun_eq_radial (φ : HiggsVec) : P.toFun φ = P.radial (‖φ‖ ^ 2) := rfl

/-- `V(0) = 0`. -/
theorem toFun_zero : P.toFun 0 = 0 := by
  unfold toFun
  rw [norm_zero]
  ring

/-- Negating both parameters negates the potential. -/
theorem neg_toFun (φ : HiggsVec) : P.neg.toFun φ = -P.toFun φ := by
  unfold toFun
  rw [neg_μ2, neg_𝓵]
  ring

/-- Completing the square in `x`: `4 λ V(x) = (2 λ x - μ²)² - μ⁴`. -/
theorem radial_complete_square (x : ℝ) :
    4 * P.𝓵 * P.radial x = (2 * P.𝓵 * x - P.μ2) ^ 2 - P.μ2 ^ 2 := by
  unfold radial
  ring

/-- For `λ ≠ 0`: `V(φ) = λ (‖φ‖² - μ²/(2λ))² - μ⁴/(4λ)`. -/
theorem toFun_complete_square (h𝓵 : P.𝓵 ≠ 0) (φ : HiggsVec) :
    P.toFun φ = P.𝓵 * (‖φ‖ ^ 2 - P.μ2 / (2 * P.𝓵)) ^ 2 - P.μ2 ^ 2 / (4 * P.𝓵) := by
  unfold toFun
  linear_combination (P.μ2 * ‖φ‖ ^ 2 - P.μ2 ^ 2 / (4 * P.𝓵)) * mul_inv_cancel₀ h𝓵

/-- For `λ > 0` the potential is bounded below by `-μ⁴/(4λ)` at every field value. -/
theorem bound_of_𝓵_pos (h𝓵 : 0 < P.𝓵) (φ : HiggsVec) :
    -P.μ2 ^ 2 / (4 * P.𝓵) ≤ P.toFun φ := by
  rw [div_le_iff₀ (by linarith : (0 : ℝ) < 4 * P.𝓵), toFun_eq_radial]
  nlinarith [P.radial_complete_square (‖φ‖ ^ 2), sq_nonneg (2 * P.𝓵 * ‖φ‖ ^ 2 - P.μ2)]

/-- For `λ < 0` the potential is bounded above by `-μ⁴/(4λ)` at every field value. -/
theorem bound_of_𝓵_neg (h𝓵 : P.𝓵 < 0) (φ : HiggsVec) :
    P.toFun φ ≤ -P.μ2 ^ 2 / (4 * P.𝓵) := by
  rw [le_div_iff_of_neg (by linarith : 4 * P.𝓵 < 0), toFun_eq_radial]
  nlinarith [P.radial_complete_square (‖φ‖ ^ 2), sq_nonneg (2 * P.𝓵 * ‖φ‖ ^ 2 - P.μ2)]

/-- For `λ > 0` the potential is bounded below. -/
theorem isBounded_of_𝓵_pos (h𝓵 : 0 < P.𝓵) : P.IsBounded := by
  unfold IsBounded
  exact ⟨-P.μ2 ^ 2 / (4 * P.𝓵), fun φ => P.bound_of_𝓵_pos h𝓵 φ⟩

/-- A potential bounded below has `λ ≥ 0`: for `λ < 0` a field of large enough norm takes it
below any given `c`. -/
theorem isBounded_𝓵_nonneg (h : P.IsBounded) : 0 ≤ P.𝓵 := by
  unfold IsBounded at h
  obtain ⟨c, hc⟩ := h
  rcases le_or_gt 0 P.𝓵 with h𝓵 | h𝓵
  · exact h𝓵
  exfalso
  have hk : 0 < -P.𝓵 := by linarith
  -- `t = ‖φ‖²` with `-λ t = |μ²| + |c| + 1 - λ`, so that `V(φ) ≤ -(|c| + 1) < c`.
  obtain ⟨t, ht1, hkt⟩ : ∃ t : ℝ, 1 ≤ t ∧ -P.𝓵 * t = |P.μ2| + |c| + 1 + -P.𝓵 := by
    refine ⟨(|P.μ2| + |c| + 1) / -P.𝓵 + 1, ?_, ?_⟩
    · have hq : 0 ≤ (|P.μ2| + |c| + 1) / -P.𝓵 := div_nonneg (by positivity) hk.le
      linarith
    · rw [mul_add, mul_div_cancel₀ _ hk.ne', mul_one]
  obtain ⟨φ, hφ⟩ := exists_normSq_eq t (by linarith)
  have hV := hc φ
  rw [toFun_eq_radial, hφ] at hV
  unfold radial at hV
  have htt : P.𝓵 * t * t = -(|P.μ2| + |c| + 1 + -P.𝓵) * t := by
    linear_combination (-t) * hkt
  have hμ : 0 ≤ t * (P.μ2 + |P.μ2|) :=
    mul_nonneg (by linarith) (by linarith [neg_abs_le P.μ2])
  have hc1 : 1 * (|c| + 1) ≤ t * (|c| + 1) :=
    mul_le_mul_of_nonneg_right ht1 (by positivity)
  have h𝓵t : 0 ≤ -P.𝓵 * t := mul_nonneg hk.le (by linarith)
  linarith [neg_abs_le c]

/-- For `λ = 0` and `μ² ≤ 0` the potential `-μ² ‖φ‖²` is bounded below (by `0`). -/
theorem isBounded_of_𝓵_zero (h𝓵 : P.𝓵 = 0) (hμ : P.μ2 ≤ 0) : P.IsBounded := by
  unfold IsBounded
  refine ⟨0, fun φ => ?_⟩
  unfold toFun
  rw [h𝓵]
  nlinarith [mul_nonneg (neg_nonneg.mpr hμ) (sq_nonneg ‖φ‖)]

/-- For `λ = 0` and `μ² > 0` the potential `-μ² ‖φ‖²` is not bounded below. -/
theorem not_isBounded_of_𝓵_zero (h𝓵 : P.𝓵 = 0) (hμ : 0 < P.μ2) : ¬P.IsBounded := by
  intro h
  unfold IsBounded at h
  obtain ⟨c, hc⟩ := h
  -- `q = |c|/μ²`, so that at `‖φ‖² = q + 1`, `V(φ) = -|c| - μ² < c`.
  obtain ⟨q, hq0, hq⟩ : ∃ q : ℝ, 0 ≤ q ∧ P.μ2 * q = |c| :=
    ⟨|c| / P.μ2, div_nonneg (abs_nonneg c) hμ.le, mul_div_cancel₀ _ hμ.ne'⟩
  obtain ⟨φ, hφ⟩ := exists_normSq_eq (q + 1) (by linarith)
  have hV := hc φ
  rw [toFun_eq_radial, hφ] at hV
  unfold radial at hV
  rw [h𝓵] at hV
  linarith [neg_abs_le c]

/-- For `λ = 0`: bounded below exactly when `μ² ≤ 0` (an `informal_lemma` in PhysLean). -/
theorem isBounded_iff_of_𝓵_zero (h𝓵 : P.𝓵 = 0) : P.IsBounded ↔ P.μ2 ≤ 0 := by
  constructor
  · intro h
    rcases le_or_gt P.μ2 0 with hμ | hμ
    · exact hμ
    · exact absurd h (P.not_isBounded_of_𝓵_zero h𝓵 hμ)
  · exact P.isBounded_of_𝓵_zero h𝓵

/-- The potential is bounded below exactly when `λ > 0`, or `λ = 0` and `μ² ≤ 0`. -/
theorem isBounded_iff : P.IsBounded ↔ 0 < P.𝓵 ∨ (P.𝓵 = 0 ∧ P.μ2 ≤ 0) := by
  constructor
  · intro h
    rcases lt_or_eq_of_le (P.isBounded_𝓵_nonneg h) with h𝓵 | h𝓵
    · exact Or.inl h𝓵
    · exact Or.inr ⟨h𝓵.symm, (P.isBounded_iff_of_𝓵_zero h𝓵.symm).mp h⟩
  · rintro (h𝓵 | ⟨h𝓵, hμ⟩)
    · exact P.isBounded_of_𝓵_pos h𝓵
    · exact P.isBounded_of_𝓵_zero h𝓵 hμ

/-- For `λ ≥ 0` and `μ² ≤ 0` the potential is non-negative everywhere. -/
theorem toFun_nonneg_of_μ2_nonpos (h𝓵 : 0 ≤ P.𝓵) (hμ : P.μ2 ≤ 0) (φ : HiggsVec) :
    0 ≤ P.toFun φ := by
  unfold toFun
  nlinarith [mul_nonneg (neg_nonneg.mpr hμ) (sq_nonneg ‖φ‖),
    mul_nonneg (mul_nonneg h𝓵 (sq_nonneg ‖φ‖)) (sq_nonneg ‖φ‖)]

/-- For `λ ≥ 0` and `μ² ≤ 0` the field `φ = 0` minimises the potential. -/
theorem isMinOn_zero_of_μ2_nonpos (h𝓵 : 0 ≤ P.𝓵) (hμ : P.μ2 ≤ 0) :
    IsMinOn P.toFun Set.univ 0 := by
  rw [isMinOn_univ_iff]
  intro φ
  rw [toFun_zero]
  exact P.toFun_nonneg_of_μ2_nonpos h𝓵 hμ φ

/-- For `λ > 0`, at a field with `‖φ‖² = μ²/(2λ)` the potential takes the value `-μ⁴/(4λ)`. -/
theorem minimum_value (h𝓵 : 0 < P.𝓵) (φ : HiggsVec) (hφ : ‖φ‖ ^ 2 = P.μ2 / (2 * P.𝓵)) :
    P.toFun φ = -P.μ2 ^ 2 / (4 * P.𝓵) := by
  rw [toFun_eq_radial, hφ]
  unfold radial
  linear_combination (P.μ2 ^ 2 / (4 * P.𝓵)) * mul_inv_cancel₀ h𝓵.ne'

/-- For `λ > 0`, every field with `‖φ‖² = μ²/(2λ)` minimises the potential. -/
theorem isMinOn_of_normSq_eq (h𝓵 : 0 < P.𝓵) (φ : HiggsVec)
    (hφ : ‖φ‖ ^ 2 = P.μ2 / (2 * P.𝓵)) : IsMinOn P.toFun Set.univ φ := by
  rw [isMinOn_univ_iff]
  intro ψ
  rw [P.minimum_value h𝓵 φ hφ]
  exact P.bound_of_𝓵_pos h𝓵 ψ

/-- For `λ > 0` and `μ² ≥ 0`, a field that minimises the potential has `‖φ‖² = μ²/(2λ)`. -/
theorem normSq_eq_of_isMinOn (h𝓵 : 0 < P.𝓵) (hμ : 0 ≤ P.μ2) (φ : HiggsVec)
    (hmin : IsMinOn P.toFun Set.univ φ) : ‖φ‖ ^ 2 = P.μ2 / (2 * P.𝓵) := by
  obtain ⟨ψ, hψ⟩ := exists_normSq_eq (P.μ2 / (2 * P.𝓵)) (div_nonneg hμ (by linarith))
  have hle := (isMinOn_univ_iff.mp hmin) ψ
  rw [P.minimum_value h𝓵 ψ hψ, toFun_eq_radial] at hle
  rw [le_div_iff₀ (by linarith : (0 : ℝ) < 4 * P.𝓵)] at hle
  have hsq := P.radial_complete_square (‖φ‖ ^ 2)
  have h0 : (2 * P.𝓵 * ‖φ‖ ^ 2 - P.μ2) ^ 2 = 0 :=
    le_antisymm (by nlinarith) (sq_nonneg _)
  have h1 : 2 * P.𝓵 * ‖φ‖ ^ 2 - P.μ2 = 0 := (pow_eq_zero_iff two_ne_zero).mp h0
  rw [eq_div_iff (by positivity : (2 : ℝ) * P.𝓵 ≠ 0)]
  linarith

/-- For `λ > 0` and `μ² ≥ 0`: `φ` minimises the potential over all field values exactly when
`‖φ‖² = μ²/(2λ)`. -/
theorem isMinOn_iff_field_of_μ2_nonneg (h𝓵 : 0 < P.𝓵) (hμ : 0 ≤ P.μ2) (φ : HiggsVec) :
    IsMinOn P.toFun Set.univ φ ↔ ‖φ‖ ^ 2 = P.μ2 / (2 * P.𝓵) :=
  ⟨P.normSq_eq_of_isMinOn h𝓵 hμ φ, P.isMinOn_of_normSq_eq h𝓵 φ⟩

/-- For `λ > 0` and `μ² < 0`: `φ` minimises the potential exactly when `φ = 0`. -/
theorem isMinOn_iff_field_of_μ2_neg (h𝓵 : 0 < P.𝓵) (hμ : P.μ2 < 0) (φ : HiggsVec) :
    IsMinOn P.toFun Set.univ φ ↔ φ = 0 := by
  constructor
  · intro hmin
    have hle := (isMinOn_univ_iff.mp hmin) 0
    rw [toFun_zero] at hle
    unfold toFun at hle
    have h4 : 0 ≤ P.𝓵 * ‖φ‖ ^ 2 * ‖φ‖ ^ 2 := by positivity
    have h3 : -P.μ2 * ‖φ‖ ^ 2 ≤ -P.μ2 * 0 := by linarith
    have h2 : ‖φ‖ ^ 2 ≤ 0 := le_of_mul_le_mul_left h3 (by linarith)
    have h0 : ‖φ‖ ^ 2 = 0 := le_antisymm h2 (sq_nonneg _)
    exact norm_eq_zero.mp ((pow_eq_zero_iff two_ne_zero).mp h0)
  · rintro rfl
    exact P.isMinOn_zero_of_μ2_nonpos h𝓵.le hμ.le

/-- For `λ > 0`: `φ` minimises the potential exactly when `μ² ≥ 0` and `‖φ‖² = μ²/(2λ)`, or
`μ² < 0` and `φ = 0` (PhysLean's `isMinOn_iff_field_of_𝓵_pos`). -/
theorem isMinOn_iff_field_of_𝓵_pos (h𝓵 : 0 < P.𝓵) (φ : HiggsVec) :
    IsMinOn P.toFun Set.univ φ ↔
      (0 ≤ P.μ2 ∧ ‖φ‖ ^ 2 = P.μ2 / (2 * P.𝓵)) ∨ (P.μ2 < 0 ∧ φ = 0) := by
  rcases le_or_gt 0 P.μ2 with hμ | hμ
  · rw [P.isMinOn_iff_field_of_μ2_nonneg h𝓵 hμ φ]
    constructor
    · intro h
      exact Or.inl ⟨hμ, h⟩
    · rintro (⟨_, h⟩ | ⟨h, _⟩)
      · exact h
      · exact absurd hμ (not_le.mpr h)
  · rw [P.isMinOn_iff_field_of_μ2_neg h𝓵 hμ φ]
    constructor
    · intro h
      exact Or.inr ⟨hμ, h⟩
    · rintro (⟨h, _⟩ | ⟨_, h⟩)
      · exact absurd h (not_le.mpr hμ)
      · exact h

/-- `φ` maximises `V` exactly when it minimises `-V`. -/
theorem isMaxOn_iff_isMinOn_neg (φ : HiggsVec) :
    IsMaxOn P.toFun Set.univ φ ↔ IsMinOn P.neg.toFun Set.univ φ := by
  rw [isMaxOn_univ_iff, isMinOn_univ_iff]
  constructor
  · intro h ψ
    have h1 := h ψ
    rw [P.neg_toFun, P.neg_toFun]
    linarith
  · intro h ψ
    have h1 := h ψ
    rw [P.neg_toFun, P.neg_toFun] at h1
    linarith

/-- For `λ < 0`: `φ` maximises the potential exactly when `μ² ≤ 0` and `‖φ‖² = μ²/(2λ)`, or
`μ² > 0` and `φ = 0` (PhysLean's `isMaxOn_iff_field_of_𝓵_neg`). -/
theorem isMaxOn_iff_field_of_𝓵_neg (h𝓵 : P.𝓵 < 0) (φ : HiggsVec) :
    IsMaxOn P.toFun Set.univ φ ↔
      (P.μ2 ≤ 0 ∧ ‖φ‖ ^ 2 = P.μ2 / (2 * P.𝓵)) ∨ (0 < P.μ2 ∧ φ = 0) := by
  have hneg : 0 < P.neg.𝓵 := by
    rw [neg_𝓵]
    linarith
  have e : -P.μ2 / (2 * -P.𝓵) = P.μ2 / (2 * P.𝓵) := by ring
  rw [P.isMaxOn_iff_isMinOn_neg, P.neg.isMinOn_iff_field_of_𝓵_pos hneg φ, neg_μ2, neg_𝓵, e]
  constructor
  · rintro (⟨h1, h2⟩ | ⟨h1, h2⟩)
    · exact Or.inl ⟨by linarith, h2⟩
    · exact Or.inr ⟨by linarith, h2⟩
  · rintro (⟨h1, h2⟩ | ⟨h1, h2⟩)
    · exact Or.inl ⟨by linarith, h2⟩
    · exact Or.inr ⟨by linarith, h2⟩

/-- The vacuum expectation value from the potential: for `λ > 0`, `μ² ≥ 0`, at any minimum
`φ` of `V`, `v² = 2 ‖φ‖²` (the convention `‖φ‖² = v²/2`) equals `μ²/λ`. -/
theorem vev_sq_of_isMinOn (h𝓵 : 0 < P.𝓵) (hμ : 0 ≤ P.μ2) (φ : HiggsVec)
    (hmin : IsMinOn P.toFun Set.univ φ) : 2 * ‖φ‖ ^ 2 = P.μ2 / P.𝓵 := by
  rw [P.normSq_eq_of_isMinOn h𝓵 hμ φ hmin]
  ring

/-- Symmetry breaking: for `λ > 0` and `μ² > 0` no minimum of the potential is at `φ = 0`. -/
theorem vacuum_ne_zero (h𝓵 : 0 < P.𝓵) (hμ : 0 < P.μ2) (φ : HiggsVec)
    (hmin : IsMinOn P.toFun Set.univ φ) : φ ≠ 0 := by
  intro hφ
  have h := P.normSq_eq_of_isMinOn h𝓵 hμ.le φ hmin
  rw [hφ, norm_zero] at h
  have hpos : 0 < P.μ2 / (2 * P.𝓵) := div_pos hμ (by linarith)
  rw [← h] at hpos
  norm_num at hpos

/-- Expansion about a vacuum `v` with `v² = μ²/λ`: along the radial excitation `h`,
`V = -μ⁴/(4λ) + μ² h² + λ v h³ + (λ/4) h⁴`. No term is linear in `h` (the vacuum is
stationary) and the quadratic term is `½ m_H² h²` with `m_H² = 2 μ²`. -/
theorem radialFluctuation_expand (h𝓵 : P.𝓵 ≠ 0) (v : ℝ) (hv : v ^ 2 = P.μ2 / P.𝓵) (h : ℝ) :
    P.radialFluctuation v h =
      -P.μ2 ^ 2 / (4 * P.𝓵) + P.μ2 * h ^ 2 + P.𝓵 * v * h ^ 3 + P.𝓵 / 4 * h ^ 4 := by
  unfold radialFluctuation radial
  linear_combination
    (P.μ2 * P.𝓵 / (4 * P.𝓵) + 3 * h ^ 2 * P.𝓵 / 2 + h * P.𝓵 * v + P.𝓵 * v ^ 2 / 4 - P.μ2 / 2) * hv
      + (P.μ2 ^ 2 / (4 * P.𝓵) + 3 * h ^ 2 * P.μ2 / 2 + h * P.μ2 * v) * mul_inv_cancel₀ h𝓵

/-- The Higgs mass from the potential: for `λ > 0`, `μ² ≥ 0`, a minimum `φ` and
`v² = 2 ‖φ‖²`, the potential along the radial excitation `h` is
`V(φ) + ½ (2 μ²) h² + λ v h³ + (λ/4) h⁴`, so `m_H² = 2 μ²`. -/
theorem radialFluctuation_of_isMinOn (h𝓵 : 0 < P.𝓵) (hμ : 0 ≤ P.μ2) (φ : HiggsVec)
    (hmin : IsMinOn P.toFun Set.univ φ) (v : ℝ) (hv : v ^ 2 = 2 * ‖φ‖ ^ 2) (h : ℝ) :
    P.radialFluctuation v h =
      P.toFun φ + 2 * P.μ2 / 2 * h ^ 2 + P.𝓵 * v * h ^ 3 + P.𝓵 / 4 * h ^ 4 := by
  have hn := P.normSq_eq_of_isMinOn h𝓵 hμ φ hmin
  have hv' : v ^ 2 = P.μ2 / P.𝓵 := by
    rw [hv, hn]
    ring
  rw [P.minimum_value h𝓵 φ hn, P.radialFluctuation_expand h𝓵.ne' v hv' h]
  ring

/-- In terms of the vev: `m_H² = 2 μ² = 2 λ v²` when `v² = μ²/λ`. -/
theorem massSq_eq (h𝓵 : P.𝓵 ≠ 0) (v : ℝ) (hv : v ^ 2 = P.μ2 / P.𝓵) :
    2 * P.μ2 = 2 * P.𝓵 * v ^ 2 := by
  linear_combination (-2 * P.𝓵) * hv - 2 * P.μ2 * mul_inv_cancel₀ h𝓵

end Potential

end Theorist.Higgs
