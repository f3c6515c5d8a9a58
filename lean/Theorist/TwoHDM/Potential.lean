import Theorist.Higgs.Potential

/-!
# The two-Higgs-doublet potential and its stability

The CP-conserving two-Higgs-doublet model with a softly broken `Z₂` (`λ₆ = λ₇ = 0`, real
`m₁₂²` and `λ₅`), in the conventions of Gunion and Haber (hep-ph/0207010):

`V = m₁₁² Φ₁†Φ₁ + m₂₂² Φ₂†Φ₂ - m₁₂² (Φ₁†Φ₂ + Φ₂†Φ₁) + ½ λ₁ (Φ₁†Φ₁)² + ½ λ₂ (Φ₂†Φ₂)²`
`  + λ₃ (Φ₁†Φ₁)(Φ₂†Φ₂) + λ₄ (Φ₁†Φ₂)(Φ₂†Φ₁) + ½ λ₅ [(Φ₁†Φ₂)² + (Φ₂†Φ₁)²]`.

With `Φ₁†Φ₂ = x + i y` the quartic part is
`½ λ₁ ‖Φ₁‖⁴ + ½ λ₂ ‖Φ₂‖⁴ + λ₃ ‖Φ₁‖²‖Φ₂‖² + λ₄ (x² + y²) + λ₅ (x² - y²)`, and Cauchy–Schwarz
bounds `x² + y² ≤ ‖Φ₁‖²‖Φ₂‖²`. The standard sufficient conditions for the quartic part to be
non-negative at every field value are `λ₁ > 0`, `λ₂ > 0`, `λ₃ ≥ -√(λ₁λ₂)` and
`λ₃ + λ₄ - |λ₅| ≥ -√(λ₁λ₂)` (`quarticTerm_nonneg`); with strict inequalities the whole
potential, mass terms included, is bounded below (`isStable_of_strict`). A stable potential has
`λ₁ ≥ 0` and `λ₂ ≥ 0` (`isStable_𝓵₁_nonneg`), and an explicit unstable potential shows that the
sign-blind `λ₃ + λ₄ + λ₅ > -√(λ₁λ₂)` cannot replace the last condition
(`counterExample_not_isStable`). The combination `½ λ₁ a² + ½ λ₂ b² + λ₃ a b`
(`a = ‖Φ₁‖²`, `b = ‖Φ₂‖²`) is the quartic in the directions with `Φ₁†Φ₂ = 0`.

Parameters in a structure and the potential as a function of the field values, as in
PhysLean's `PhysLean/Particles/BeyondTheStandardModel/TwoHDM/Potential.lean` (whose potential
is more general: complex `m₁₂²`, `λ₅`, `λ₆`, `λ₇`). Not compiled where it was written; every
Mathlib name it uses is recorded in `lean/MATHLIB_NAMES.tsv`.
-/

noncomputable section

namespace Theorist.TwoHDM

open Theorist.Higgs (HiggsVec exists_normSq_eq)

/-- AM–GM behind the stability conditions: for `λ₁, λ₂ > 0` and `c ≥ -√(λ₁λ₂)`,
`½ λ₁ a² + ½ λ₂ b² + c a b ≥ 0` for all `a, b ≥ 0`. -/
theorem quad_nonneg (l₁ l₂ c a b : ℝ) (h₁ : 0 < l₁) (h₂ : 0 < l₂)
    (hc : -Real.sqrt (l₁ * l₂) ≤ c) (ha : 0 ≤ a) (hb : 0 ≤ b) :
    0 ≤ l₁ / 2 * a ^ 2 + l₂ / 2 * b ^ 2 + c * (a * b) := by
  obtain ⟨p, hp, rfl⟩ : ∃ p : ℝ, 0 ≤ p ∧ l₁ = p ^ 2 :=
    ⟨Real.sqrt l₁, Real.sqrt_nonneg _, (Real.sq_sqrt h₁.le).symm⟩
  obtain ⟨q, hq, rfl⟩ : ∃ q : ℝ, 0 ≤ q ∧ l₂ = q ^ 2 :=
    ⟨Real.sqrt l₂, Real.sqrt_nonneg _, (Real.sq_sqrt h₂.le).symm⟩
  rw [← mul_pow, Real.sqrt_sq (mul_nonneg hp hq)] at hc
  nlinarith [sq_nonneg (p * a - q * b),
    mul_nonneg (by linarith : (0 : ℝ) ≤ c + p * q) (mul_nonneg ha hb)]

/-- The bound is sharp: for `c < -√(λ₁λ₂)` the form is negative at `a = √λ₂`, `b = √λ₁`. -/
theorem quad_neg_of_lt (l₁ l₂ c : ℝ) (h₁ : 0 < l₁) (h₂ : 0 < l₂)
    (hc : c < -Real.sqrt (l₁ * l₂)) :
    l₁ / 2 * Real.sqrt l₂ ^ 2 + l₂ / 2 * Real.sqrt l₁ ^ 2
      + c * (Real.sqrt l₂ * Real.sqrt l₁) < 0 := by
  have hs : Real.sqrt l₂ * Real.sqrt l₁ = Real.sqrt (l₁ * l₂) := by
    rw [Real.sqrt_mul h₁.le]
    ring
  rw [Real.sq_sqrt h₂.le, Real.sq_sqrt h₁.le, hs]
  have hpos : 0 < Real.sqrt (l₁ * l₂) := Real.sqrt_pos.mpr (mul_pos h₁ h₂)
  have hsq : Real.sqrt (l₁ * l₂) ^ 2 = l₁ * l₂ := Real.sq_sqrt (mul_pos h₁ h₂).le
  nlinarith [mul_pos hpos (by linarith : (0 : ℝ) < -Real.sqrt (l₁ * l₂) - c)]

/-- The quartic in real variables, `a = ‖Φ₁‖`, `b = ‖Φ₂‖`, `Φ₁†Φ₂ = x + i y` with
`x² + y² ≤ a² b²`: non-negative under the standard conditions (non-strict form). -/
theorem quartic_real_nonneg (l₁ l₂ l₃ l₄ l₅ a b x y : ℝ) (h₁ : 0 < l₁) (h₂ : 0 < l₂)
    (h₃ : -Real.sqrt (l₁ * l₂) ≤ l₃) (h₃₄₅ : -Real.sqrt (l₁ * l₂) ≤ l₃ + l₄ - |l₅|)
    (hCS : x ^ 2 + y ^ 2 ≤ a ^ 2 * b ^ 2) :
    0 ≤ l₁ / 2 * a ^ 4 + l₂ / 2 * b ^ 4 + l₃ * a ^ 2 * b ^ 2 + l₄ * (x ^ 2 + y ^ 2)
      + l₅ * (x ^ 2 - y ^ 2) := by
  have h5 : -|l₅| * (x ^ 2 + y ^ 2) ≤ l₅ * (x ^ 2 - y ^ 2) := by
    rcases le_or_gt 0 l₅ with h | h
    · rw [abs_of_nonneg h]
      nlinarith [mul_nonneg h (sq_nonneg x)]
    · rw [abs_of_neg h]
      nlinarith [mul_nonneg (neg_nonneg.mpr h.le) (sq_nonneg y)]
  rcases le_or_gt 0 (l₄ - |l₅|) with hk | hk
  · have hq := quad_nonneg l₁ l₂ l₃ (a ^ 2) (b ^ 2) h₁ h₂ h₃ (sq_nonneg a) (sq_nonneg b)
    nlinarith [mul_nonneg hk (add_nonneg (sq_nonneg x) (sq_nonneg y))]
  · have hq := quad_nonneg l₁ l₂ (l₃ + l₄ - |l₅|) (a ^ 2) (b ^ 2) h₁ h₂ h₃₄₅ (sq_nonneg a)
      (sq_nonneg b)
    nlinarith [mul_le_mul_of_nonpos_left hCS hk.le]

/-- The quartic in real variables is at least `½ λ₁ a⁴ + ½ λ₂ b⁴ + c a² b²` for any
`c ≤ λ₃` with `c ≤ λ₃ + λ₄ - |λ₅|` (it is linear in `x² + y² ∈ [0, a² b²]`). -/
theorem quartic_real_ge (l₁ l₂ l₃ l₄ l₅ c a b x y : ℝ) (hc₃ : c ≤ l₃)
    (hc₃₄₅ : c ≤ l₃ + l₄ - |l₅|) (hCS : x ^ 2 + y ^ 2 ≤ a ^ 2 * b ^ 2) :
    l₁ / 2 * (a ^ 2) ^ 2 + l₂ / 2 * (b ^ 2) ^ 2 + c * (a ^ 2 * b ^ 2) ≤
      l₁ / 2 * a ^ 4 + l₂ / 2 * b ^ 4 + l₃ * a ^ 2 * b ^ 2 + l₄ * (x ^ 2 + y ^ 2)
        + l₅ * (x ^ 2 - y ^ 2) := by
  have h5 : -|l₅| * (x ^ 2 + y ^ 2) ≤ l₅ * (x ^ 2 - y ^ 2) := by
    rcases le_or_gt 0 l₅ with h | h
    · rw [abs_of_nonneg h]
      nlinarith [mul_nonneg h (sq_nonneg x)]
    · rw [abs_of_neg h]
      nlinarith [mul_nonneg (neg_nonneg.mpr h.le) (sq_nonneg y)]
  have hab : 0 ≤ a ^ 2 * b ^ 2 := mul_nonneg (sq_nonneg a) (sq_nonneg b)
  rcases le_or_gt 0 (l₄ - |l₅|) with hk | hk
  · linarith [mul_nonneg hk (add_nonneg (sq_nonneg x) (sq_nonneg y)),
      mul_le_mul_of_nonneg_right hc₃ hab]
  · linarith [mul_le_mul_of_nonpos_left hCS hk.le, mul_le_mul_of_nonneg_right hc₃₄₅ hab]

/-- With a strict `c > -√(λ₁λ₂)` the form is coercive on `A, B ≥ 0`: it is at least
`ε (A + B)²` for some `ε > 0` (explicitly `ε = d m / (4 (d + √(λ₁λ₂)))` with
`d = c + √(λ₁λ₂)`, `m = min λ₁ λ₂`). -/
theorem quad_coercive (l₁ l₂ c : ℝ) (h₁ : 0 < l₁) (h₂ : 0 < l₂)
    (hc : -Real.sqrt (l₁ * l₂) < c) :
    ∃ ε : ℝ, 0 < ε ∧ ∀ A B : ℝ, 0 ≤ A → 0 ≤ B →
      ε * (A + B) ^ 2 ≤ l₁ / 2 * A ^ 2 + l₂ / 2 * B ^ 2 + c * (A * B) := by
  obtain ⟨m, hm₁, hm₂, hm⟩ : ∃ m : ℝ, m ≤ l₁ ∧ m ≤ l₂ ∧ 0 < m :=
    ⟨min l₁ l₂, min_le_left _ _, min_le_right _ _, lt_min h₁ h₂⟩
  obtain ⟨p, hp, rfl⟩ : ∃ p : ℝ, 0 ≤ p ∧ l₁ = p ^ 2 :=
    ⟨Real.sqrt l₁, Real.sqrt_nonneg _, (Real.sq_sqrt h₁.le).symm⟩
  obtain ⟨q, hq, rfl⟩ : ∃ q : ℝ, 0 ≤ q ∧ l₂ = q ^ 2 :=
    ⟨Real.sqrt l₂, Real.sqrt_nonneg _, (Real.sq_sqrt h₂.le).symm⟩
  rw [← mul_pow, Real.sqrt_sq (mul_nonneg hp hq)] at hc
  have hs : 0 ≤ p * q := mul_nonneg hp hq
  have hd : 0 < c + p * q := by linarith
  have hpos : (0 : ℝ) < 4 * (c + p * q + p * q) := by linarith
  obtain ⟨ε, hε, hεd⟩ : ∃ ε : ℝ, 0 < ε ∧ 4 * (c + p * q + p * q) * ε = (c + p * q) * m :=
    ⟨_, div_pos (mul_pos hd hm) hpos, mul_div_cancel₀ _ hpos.ne'⟩
  refine ⟨ε, hε, fun A B hA hB => ?_⟩
  have hεAB : 4 * (c + p * q + p * q) * ε * (A + B) ^ 2 = (c + p * q) * m * (A + B) ^ 2 := by
    rw [hεd]
  have key : 4 * (c + p * q + p * q) * (ε * (A + B) ^ 2) ≤
      4 * (c + p * q + p * q) * (p ^ 2 / 2 * A ^ 2 + q ^ 2 / 2 * B ^ 2 + c * (A * B)) := by
    linarith [mul_nonneg (mul_nonneg hd.le (sub_nonneg.mpr hm₁)) (sq_nonneg A),
      mul_nonneg (mul_nonneg hd.le (sub_nonneg.mpr hm₂)) (sq_nonneg B),
      mul_nonneg (mul_nonneg hd.le hm.le) (sq_nonneg (A - B)),
      mul_nonneg hs (sq_nonneg (p * A - q * B)),
      mul_nonneg (sq_nonneg (c + p * q)) (mul_nonneg hA hB)]
  exact le_of_mul_le_mul_left key hpos

/-- `Φ₁†Φ₁` has real part `‖Φ₁‖²` (Mathlib's `RCLike.re` is `Complex.re` on `ℂ` by `rfl`). -/
theorem re_inner_self (Φ : HiggsVec) : (inner ℂ Φ Φ).re = ‖Φ‖ ^ 2 :=
  inner_self_eq_norm_sq (𝕜 := ℂ) Φ

/-- `Φ₁†Φ₁` is real. -/
theorem im_inner_self (Φ : HiggsVec) : (inner ℂ Φ Φ).im = 0 :=
  inner_self_im (𝕜 := ℂ) Φ

/-- Cauchy–Schwarz for the doublets: `x² + y² ≤ ‖Φ₁‖² ‖Φ₂‖²` for `Φ₁†Φ₂ = x + i y`. -/
theorem inner_re_sq_add_im_sq_le (Φ₁ Φ₂ : HiggsVec) :
    (inner ℂ Φ₁ Φ₂).re ^ 2 + (inner ℂ Φ₁ Φ₂).im ^ 2 ≤ ‖Φ₁‖ ^ 2 * ‖Φ₂‖ ^ 2 := by
  have h := norm_inner_le_norm (𝕜 := ℂ) Φ₁ Φ₂
  have h2 := pow_le_pow_left₀ (norm_nonneg (inner ℂ Φ₁ Φ₂)) h 2
  rw [Complex.sq_norm, Complex.normSq_apply] at h2
  nlinarith [h2]

/-- The parameters of the potential. -/
structure Potential where
  /-- `m₁₁²`. -/
  m₁₁2 : ℝ
  /-- `m₂₂²`. -/
  m₂₂2 : ℝ
  /-- `m₁₂²` (real: CP conserving). -/
  m₁₂2 : ℝ
  /-- `λ₁`. -/
  𝓵₁ : ℝ
  /-- `λ₂`. -/
  𝓵₂ : ℝ
  /-- `λ₃`. -/
  𝓵₃ : ℝ
  /-- `λ₄`. -/
  𝓵₄ : ℝ
  /-- `λ₅` (real: CP conserving). -/
  𝓵₅ : ℝ

namespace Potential

variable (P : Potential)

/-- The mass term `m₁₁² ‖Φ₁‖² + m₂₂² ‖Φ₂‖² - 2 m₁₂² Re(Φ₁†Φ₂)`. -/
def massTerm (Φ₁ Φ₂ : HiggsVec) : ℝ :=
  P.m₁₁2 * ‖Φ₁‖ ^ 2 + P.m₂₂2 * ‖Φ₂‖ ^ 2 - 2 * P.m₁₂2 * (inner ℂ Φ₁ Φ₂).re

/-- The quartic term `½ λ₁ ‖Φ₁‖⁴ + ½ λ₂ ‖Φ₂‖⁴ + λ₃ ‖Φ₁‖²‖Φ₂‖² + λ₄ |Φ₁†Φ₂|²
+ λ₅ Re((Φ₁†Φ₂)²)`. -/
def quarticTerm (Φ₁ Φ₂ : HiggsVec) : ℝ :=
  P.𝓵₁ / 2 * ‖Φ₁‖ ^ 4 + P.𝓵₂ / 2 * ‖Φ₂‖ ^ 4 + P.𝓵₃ * ‖Φ₁‖ ^ 2 * ‖Φ₂‖ ^ 2
    + P.𝓵₄ * ‖inner ℂ Φ₁ Φ₂‖ ^ 2 + P.𝓵₅ * (inner ℂ Φ₁ Φ₂ ^ 2).re

/-- The potential at the field values `Φ₁`, `Φ₂`. -/
def toFun (Φ₁ Φ₂ : HiggsVec) : ℝ := P.massTerm Φ₁ Φ₂ + P.quarticTerm Φ₁ Φ₂

/-- The potential is bounded below: `∃ c, ∀ Φ₁ Φ₂, c ≤ V(Φ₁, Φ₂)`. -/
def IsStable : Prop := ∃ c, ∀ Φ₁ Φ₂ : HiggsVec, c ≤ P.toFun Φ₁ Φ₂

/-- The quartic term in terms of `x = Re(Φ₁†Φ₂)` and `y = Im(Φ₁†Φ₂)`. -/
theorem quarticTerm_eq (Φ₁ Φ₂ : HiggsVec) :
    P.quarticTerm Φ₁ Φ₂ =
      P.𝓵₁ / 2 * ‖Φ₁‖ ^ 4 + P.𝓵₂ / 2 * ‖Φ₂‖ ^ 4 + P.𝓵₃ * ‖Φ₁‖ ^ 2 * ‖Φ₂‖ ^ 2
        + P.𝓵₄ * ((inner ℂ Φ₁ Φ₂).re ^ 2 + (inner ℂ Φ₁ Φ₂).im ^ 2)
        + P.𝓵₅ * ((inner ℂ Φ₁ Φ₂).re ^ 2 - (inner ℂ Φ₁ Φ₂).im ^ 2) := by
  unfold quarticTerm
  rw [Complex.sq_norm, Complex.normSq_apply, pow_two (inner ℂ Φ₁ Φ₂), Complex.mul_re]
  ring

/-- In the directions with `Φ₁†Φ₂ = 0` only `λ₁`, `λ₂`, `λ₃` enter the quartic term. -/
theorem quarticTerm_of_inner_eq_zero (Φ₁ Φ₂ : HiggsVec) (h : inner ℂ Φ₁ Φ₂ = 0) :
    P.quarticTerm Φ₁ Φ₂ =
      P.𝓵₁ / 2 * ‖Φ₁‖ ^ 4 + P.𝓵₂ / 2 * ‖Φ₂‖ ^ 4 + P.𝓵₃ * ‖Φ₁‖ ^ 2 * ‖Φ₂‖ ^ 2 := by
  rw [quarticTerm_eq, h, Complex.zero_re, Complex.zero_im]
  ring

/-- The standard conditions make the quartic term non-negative at all field values:
`λ₁ > 0`, `λ₂ > 0`, `λ₃ ≥ -√(λ₁λ₂)`, `λ₃ + λ₄ - |λ₅| ≥ -√(λ₁λ₂)`. -/
theorem quarticTerm_nonneg (h₁ : 0 < P.𝓵₁) (h₂ : 0 < P.𝓵₂)
    (h₃ : -Real.sqrt (P.𝓵₁ * P.𝓵₂) ≤ P.𝓵₃)
    (h₃₄₅ : -Real.sqrt (P.𝓵₁ * P.𝓵₂) ≤ P.𝓵₃ + P.𝓵₄ - |P.𝓵₅|) (Φ₁ Φ₂ : HiggsVec) :
    0 ≤ P.quarticTerm Φ₁ Φ₂ := by
  rw [quarticTerm_eq]
  have h := quartic_real_nonneg P.𝓵₁ P.𝓵₂ P.𝓵₃ P.𝓵₄ P.𝓵₅ ‖Φ₁‖ ‖Φ₂‖ (inner ℂ Φ₁ Φ₂).re
    (inner ℂ Φ₁ Φ₂).im h₁ h₂ h₃ h₃₄₅ (inner_re_sq_add_im_sq_le Φ₁ Φ₂)
  linarith

/-- The mass term grows at most linearly in `‖Φ₁‖² + ‖Φ₂‖²`. -/
theorem massTerm_ge (Φ₁ Φ₂ : HiggsVec) :
    -(|P.m₁₁2| + |P.m₂₂2| + |P.m₁₂2|) * (‖Φ₁‖ ^ 2 + ‖Φ₂‖ ^ 2) ≤ P.massTerm Φ₁ Φ₂ := by
  unfold massTerm
  have hx : |(inner ℂ Φ₁ Φ₂).re| ≤ ‖Φ₁‖ * ‖Φ₂‖ :=
    (Complex.abs_re_le_norm _).trans (norm_inner_le_norm (𝕜 := ℂ) Φ₁ Φ₂)
  have h3 : P.m₁₂2 * (inner ℂ Φ₁ Φ₂).re ≤ |P.m₁₂2| * (‖Φ₁‖ * ‖Φ₂‖) :=
    calc P.m₁₂2 * (inner ℂ Φ₁ Φ₂).re ≤ |P.m₁₂2 * (inner ℂ Φ₁ Φ₂).re| := le_abs_self _
      _ = |P.m₁₂2| * |(inner ℂ Φ₁ Φ₂).re| := abs_mul _ _
      _ ≤ |P.m₁₂2| * (‖Φ₁‖ * ‖Φ₂‖) := mul_le_mul_of_nonneg_left hx (abs_nonneg _)
  linarith [mul_le_mul_of_nonneg_right (neg_abs_le P.m₁₁2) (sq_nonneg ‖Φ₁‖),
    mul_le_mul_of_nonneg_right (neg_abs_le P.m₂₂2) (sq_nonneg ‖Φ₂‖),
    mul_nonneg (abs_nonneg P.m₁₂2) (sq_nonneg (‖Φ₁‖ - ‖Φ₂‖)),
    mul_nonneg (abs_nonneg P.m₁₁2) (sq_nonneg ‖Φ₂‖),
    mul_nonneg (abs_nonneg P.m₂₂2) (sq_nonneg ‖Φ₁‖)]

/-- A quartic term that grows like `ε (‖Φ₁‖² + ‖Φ₂‖²)²` (strong stability) makes the potential
bounded below, whatever the mass terms. -/
theorem isStable_of_coercive (ε : ℝ) (hε : 0 < ε)
    (hq : ∀ Φ₁ Φ₂ : HiggsVec, ε * (‖Φ₁‖ ^ 2 + ‖Φ₂‖ ^ 2) ^ 2 ≤ P.quarticTerm Φ₁ Φ₂) :
    P.IsStable := by
  unfold IsStable
  refine ⟨-(|P.m₁₁2| + |P.m₂₂2| + |P.m₁₂2|) ^ 2 / (4 * ε), fun Φ₁ Φ₂ => ?_⟩
  have hm := P.massTerm_ge Φ₁ Φ₂
  have hqq := hq Φ₁ Φ₂
  unfold toFun
  rw [div_le_iff₀ (by linarith : (0 : ℝ) < 4 * ε)]
  linarith [sq_nonneg (2 * ε * (‖Φ₁‖ ^ 2 + ‖Φ₂‖ ^ 2) - (|P.m₁₁2| + |P.m₂₂2| + |P.m₁₂2|)),
    mul_le_mul_of_nonneg_left hm (by linarith : (0 : ℝ) ≤ 4 * ε),
    mul_le_mul_of_nonneg_left hqq (by linarith : (0 : ℝ) ≤ 4 * ε)]

/-- The standard conditions in their strict form make the potential bounded below, whatever
the mass terms (strong stability): the quartic term is then at least
`ε (‖Φ₁‖² + ‖Φ₂‖²)²` for some `ε > 0`. -/
theorem isStable_of_strict (h₁ : 0 < P.𝓵₁) (h₂ : 0 < P.𝓵₂)
    (h₃ : -Real.sqrt (P.𝓵₁ * P.𝓵₂) < P.𝓵₃)
    (h₃₄₅ : -Real.sqrt (P.𝓵₁ * P.𝓵₂) < P.𝓵₃ + P.𝓵₄ - |P.𝓵₅|) : P.IsStable := by
  obtain ⟨ε, hε, hq⟩ :=
    quad_coercive P.𝓵₁ P.𝓵₂ (min P.𝓵₃ (P.𝓵₃ + P.𝓵₄ - |P.𝓵₅|)) h₁ h₂ (lt_min h₃ h₃₄₅)
  refine P.isStable_of_coercive ε hε (fun Φ₁ Φ₂ => ?_)
  have h1 := hq (‖Φ₁‖ ^ 2) (‖Φ₂‖ ^ 2) (sq_nonneg _) (sq_nonneg _)
  have h2 := quartic_real_ge P.𝓵₁ P.𝓵₂ P.𝓵₃ P.𝓵₄ P.𝓵₅ (min P.𝓵₃ (P.𝓵₃ + P.𝓵₄ - |P.𝓵₅|))
    ‖Φ₁‖ ‖Φ₂‖ (inner ℂ Φ₁ Φ₂).re (inner ℂ Φ₁ Φ₂).im (min_le_left _ _) (min_le_right _ _)
    (inner_re_sq_add_im_sq_le Φ₁ Φ₂)
  rw [quarticTerm_eq]
  linarith

/-- Along `Φ₂ = 0` the potential is a Standard-Model-like one in `Φ₁`. -/
theorem toFun_zero_right (Φ : HiggsVec) :
    P.toFun Φ 0 = P.m₁₁2 * ‖Φ‖ ^ 2 + P.𝓵₁ / 2 * ‖Φ‖ ^ 4 := by
  unfold toFun massTerm
  rw [quarticTerm_eq, inner_zero_right, Complex.zero_re, Complex.zero_im, norm_zero]
  ring

/-- Along `Φ₁ = 0` the potential is a Standard-Model-like one in `Φ₂`. -/
theorem toFun_zero_left (Φ : HiggsVec) :
    P.toFun 0 Φ = P.m₂₂2 * ‖Φ‖ ^ 2 + P.𝓵₂ / 2 * ‖Φ‖ ^ 4 := by
  unfold toFun massTerm
  rw [quarticTerm_eq, inner_zero_left, Complex.zero_re, Complex.zero_im, norm_zero]
  ring

/-- A stable potential has `λ₁ ≥ 0`: along `Φ₂ = 0` it is the Higgs potential with
`μ² = -m₁₁²` and `λ = λ₁/2`, which is bounded below only for `λ ≥ 0`. -/
theorem isStable_𝓵₁_nonneg (h : P.IsStable) : 0 ≤ P.𝓵₁ := by
  unfold IsStable at h
  obtain ⟨c, hc⟩ := h
  have hb : (Higgs.Potential.mk (-P.m₁₁2) (P.𝓵₁ / 2)).IsBounded := by
    unfold Higgs.Potential.IsBounded
    refine ⟨c, fun φ => ?_⟩
    have h1 := hc φ 0
    rw [toFun_zero_right] at h1
    unfold Higgs.Potential.toFun
    show c ≤ -(-P.m₁₁2) * ‖φ‖ ^ 2 + P.𝓵₁ / 2 * ‖φ‖ ^ 2 * ‖φ‖ ^ 2
    nlinarith [h1]
  have h2 : 0 ≤ P.𝓵₁ / 2 := Higgs.Potential.isBounded_𝓵_nonneg _ hb
  linarith

/-- A stable potential has `λ₂ ≥ 0` (along `Φ₁ = 0`). -/
theorem isStable_𝓵₂_nonneg (h : P.IsStable) : 0 ≤ P.𝓵₂ := by
  unfold IsStable at h
  obtain ⟨c, hc⟩ := h
  have hb : (Higgs.Potential.mk (-P.m₂₂2) (P.𝓵₂ / 2)).IsBounded := by
    unfold Higgs.Potential.IsBounded
    refine ⟨c, fun φ => ?_⟩
    have h1 := hc 0 φ
    rw [toFun_zero_left] at h1
    unfold Higgs.Potential.toFun
    show c ≤ -(-P.m₂₂2) * ‖φ‖ ^ 2 + P.𝓵₂ / 2 * ‖φ‖ ^ 2 * ‖φ‖ ^ 2
    nlinarith [h1]
  have h2 : 0 ≤ P.𝓵₂ / 2 := Higgs.Potential.isBounded_𝓵_nonneg _ hb
  linarith

/-- Along `Φ₂ = i Φ₁` (so `Φ₁†Φ₂ = i ‖Φ₁‖²`) the quartic term is
`(½ λ₁ + ½ λ₂ + λ₃ + λ₄ - λ₅) ‖Φ₁‖⁴`: this is where the sign of `λ₅` matters. -/
theorem quarticTerm_I_smul (Φ : HiggsVec) :
    P.quarticTerm Φ (Complex.I • Φ) =
      (P.𝓵₁ / 2 + P.𝓵₂ / 2 + P.𝓵₃ + P.𝓵₄ - P.𝓵₅) * ‖Φ‖ ^ 4 := by
  rw [quarticTerm_eq, inner_smul_right, Complex.mul_re, Complex.mul_im, Complex.I_re,
    Complex.I_im, re_inner_self, im_inner_self, norm_smul, Complex.norm_I]
  ring

/-- An explicit unstable potential: no mass terms, `λ₁ = λ₂ = 1`, `λ₃ = λ₄ = 0`, `λ₅ = 2`. -/
def counterExample : Potential where
  m₁₁2 := 0
  m₂₂2 := 0
  m₁₂2 := 0
  𝓵₁ := 1
  𝓵₂ := 1
  𝓵₃ := 0
  𝓵₄ := 0
  𝓵₅ := 2

/-- The counterexample meets `λ₁ > 0`, `λ₂ > 0`, `λ₃ > -√(λ₁λ₂)` and the sign-blind
`λ₃ + λ₄ + λ₅ > -√(λ₁λ₂)`, and violates `λ₃ + λ₄ - |λ₅| > -√(λ₁λ₂)`. -/
theorem counterExample_conditions :
    0 < counterExample.𝓵₁ ∧ 0 < counterExample.𝓵₂ ∧
      -Real.sqrt (counterExample.𝓵₁ * counterExample.𝓵₂) < counterExample.𝓵₃ ∧
      -Real.sqrt (counterExample.𝓵₁ * counterExample.𝓵₂) <
        counterExample.𝓵₃ + counterExample.𝓵₄ + counterExample.𝓵₅ ∧
      counterExample.𝓵₃ + counterExample.𝓵₄ - |counterExample.𝓵₅| <
        -Real.sqrt (counterExample.𝓵₁ * counterExample.𝓵₂) := by
  have e₁ : counterExample.𝓵₁ = 1 := rfl
  have e₂ : counterExample.𝓵₂ = 1 := rfl
  have e₃ : counterExample.𝓵₃ = 0 := rfl
  have e₄ : counterExample.𝓵₄ = 0 := rfl
  have e₅ : counterExample.𝓵₅ = 2 := rfl
  have hs : Real.sqrt (1 * 1 : ℝ) = 1 := by rw [mul_one, Real.sqrt_one]
  have ha : |(2 : ℝ)| = 2 := abs_of_pos (by norm_num)
  rw [e₁, e₂, e₃, e₄, e₅, hs, ha]
  norm_num

/-- On the counterexample, `V(Φ, i Φ) = -‖Φ‖⁴`. -/
theorem counterExample_toFun (Φ : HiggsVec) :
    counterExample.toFun Φ (Complex.I • Φ) = -‖Φ‖ ^ 4 := by
  unfold toFun massTerm
  rw [quarticTerm_I_smul]
  have e₁ : counterExample.m₁₁2 = 0 := rfl
  have e₂ : counterExample.m₂₂2 = 0 := rfl
  have e₃ : counterExample.m₁₂2 = 0 := rfl
  have e₄ : counterExample.𝓵₁ = 1 := rfl
  have e₅ : counterExample.𝓵₂ = 1 := rfl
  have e₆ : counterExample.𝓵₃ = 0 := rfl
  have e₇ : counterExample.𝓵₄ = 0 := rfl
  have e₈ : counterExample.𝓵₅ = 2 := rfl
  rw [e₁, e₂, e₃, e₄, e₅, e₆, e₇, e₈]
  ring

/-- The counterexample is not bounded below: along `Φ₂ = i Φ₁` the potential is `-‖Φ₁‖⁴`. -/
theorem counterExample_not_isStable : ¬counterExample.IsStable := by
  intro h
  unfold IsStable at h
  obtain ⟨c, hc⟩ := h
  obtain ⟨Φ, hΦ⟩ := exists_normSq_eq (|c| + 1) (by positivity)
  have hV := hc Φ (Complex.I • Φ)
  rw [counterExample_toFun] at hV
  have h4 : ‖Φ‖ ^ 4 = (|c| + 1) ^ 2 := by
    rw [← hΦ]
    ring
  nlinarith [neg_abs_le c, abs_nonneg c, sq_nonneg |c|]

end Potential

end Theorist.TwoHDM
