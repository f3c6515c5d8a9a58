import Mathlib.Analysis.SpecialFunctions.Trigonometric.Deriv
import Mathlib.Tactic.LinearCombination
import Mathlib.Tactic.Positivity
import Mathlib.Tactic.Ring

/-!
# The classical harmonic oscillator

A mass `m > 0` on a spring of stiffness `k > 0` (parameters in a structure with positivity as
`Prop` fields, as PhysLean's `HarmonicOscillator`), angular frequency `ω = √(k/m)`. The
trajectory with initial position `x₀` and velocity `v₀` is
`x(t) = x₀ cos(ω t) + (v₀/ω) sin(ω t)`, its velocity `v(t) = -x₀ ω sin(ω t) + v₀ cos(ω t)`.
Proved here: `x(0) = x₀`, `v(0) = v₀`, `v` is the derivative of `x` and `-ω² x` that of `v`,
so `m ẍ = -k x` (the equation of motion); the energy `½ m v² + ½ k x²` along the trajectory
equals its initial value `½ m v₀² + ½ k x₀²` at every time; and `x` has period `2π/ω`.

Not compiled where it was written; every Mathlib name it uses is recorded in
`lean/MATHLIB_NAMES.tsv`.
-/

noncomputable section

namespace Theorist.Oscillator

/-- A harmonic oscillator: mass and spring constant, both positive. -/
structure Oscillator where
  /-- The mass. -/
  m : ℝ
  /-- The spring constant. -/
  k : ℝ
  m_pos : 0 < m
  k_pos : 0 < k

namespace Oscillator

variable (S : Oscillator)

/-- The angular frequency `ω = √(k/m)`. -/
def ω : ℝ := Real.sqrt (S.k / S.m)

/-- The trajectory with initial position `x₀` and initial velocity `v₀`. -/
def trajectory (x₀ v₀ t : ℝ) : ℝ := x₀ * Real.cos (S.ω * t) + v₀ / S.ω * Real.sin (S.ω * t)

/-- The velocity along that trajectory. -/
def velocity (x₀ v₀ t : ℝ) : ℝ := -x₀ * S.ω * Real.sin (S.ω * t) + v₀ * Real.cos (S.ω * t)

/-- The energy at position `x` and velocity `v`: `½ m v² + ½ k x²`. -/
def energy (x v : ℝ) : ℝ := 1 / 2 * S.m * v ^ 2 + 1 / 2 * S.k * x ^ 2

/-- `ω² = k/m`. -/
theorem ω_sq : S.ω ^ 2 = S.k / S.m :=
  Real.sq_sqrt (div_nonneg S.k_pos.le S.m_pos.le)

/-- `ω > 0`. -/
theorem ω_pos : 0 < S.ω :=
  Real.sqrt_pos.mpr (div_pos S.k_pos S.m_pos)

/-- `k = m ω²`. -/
theorem k_eq : S.k = S.m * S.ω ^ 2 := by
  rw [ω_sq, mul_div_cancel₀ _ S.m_pos.ne']

/-- The trajectory starts at `x₀`. -/
theorem trajectory_zero (x₀ v₀ : ℝ) : S.trajectory x₀ v₀ 0 = x₀ := by
  unfold trajectory
  rw [mul_zero, Real.cos_zero, Real.sin_zero]
  ring

/-- The trajectory starts with velocity `v₀`. -/
theorem velocity_zero (x₀ v₀ : ℝ) : S.velocity x₀ v₀ 0 = v₀ := by
  unfold velocity
  rw [mul_zero, Real.cos_zero, Real.sin_zero]
  ring

/-- The velocity is the time derivative of the trajectory. -/
theorem hasDerivAt_trajectory (x₀ v₀ t : ℝ) :
    HasDerivAt (S.trajectory x₀ v₀) (S.velocity x₀ v₀ t) t := by
  have h1 : HasDerivAt (fun s => S.ω * s) (S.ω * 1) t := (hasDerivAt_id' t).const_mul S.ω
  have h2 := (h1.cos.const_mul x₀).fun_add (h1.sin.const_mul (v₀ / S.ω))
  have e : x₀ * (-Real.sin (S.ω * t) * (S.ω * 1)) + v₀ / S.ω * (Real.cos (S.ω * t) * (S.ω * 1))
      = S.velocity x₀ v₀ t := by
    unfold velocity
    linear_combination (v₀ * Real.cos (S.ω * t)) * mul_inv_cancel₀ S.ω_pos.ne'
  exact h2.congr_deriv e

/-- The acceleration is `-ω² x`: the time derivative of the velocity. -/
theorem hasDerivAt_velocity (x₀ v₀ t : ℝ) :
    HasDerivAt (S.velocity x₀ v₀) (-S.ω ^ 2 * S.trajectory x₀ v₀ t) t := by
  have h1 : HasDerivAt (fun s => S.ω * s) (S.ω * 1) t := (hasDerivAt_id' t).const_mul S.ω
  have h2 := (h1.sin.const_mul (-x₀ * S.ω)).fun_add (h1.cos.const_mul v₀)
  have e : -x₀ * S.ω * (Real.cos (S.ω * t) * (S.ω * 1)) + v₀ * (-Real.sin (S.ω * t) * (S.ω * 1))
      = -S.ω ^ 2 * S.trajectory x₀ v₀ t := by
    unfold trajectory
    linear_combination (v₀ * S.ω * Real.sin (S.ω * t)) * mul_inv_cancel₀ S.ω_pos.ne'
  exact h2.congr_deriv e

/-- Newton's equation along the trajectory: `m ẍ = -k x` with `ẍ = -ω² x`. -/
theorem equationOfMotion (x₀ v₀ t : ℝ) :
    S.m * (-S.ω ^ 2 * S.trajectory x₀ v₀ t) = -S.k * S.trajectory x₀ v₀ t := by
  rw [S.k_eq]
  ring

/-- Energy conservation along the actual trajectory: at every time the energy equals its
initial value `½ m v₀² + ½ k x₀²`. -/
theorem energy_conservation (x₀ v₀ t : ℝ) :
    S.energy (S.trajectory x₀ v₀ t) (S.velocity x₀ v₀ t) = S.energy x₀ v₀ := by
  unfold energy trajectory velocity
  rw [S.k_eq]
  linear_combination
    (1 / 2 * S.m * (S.ω⁻¹ ^ 2 * S.ω ^ 2 * v₀ ^ 2 + S.ω ^ 2 * x₀ ^ 2))
        * Real.sin_sq_add_cos_sq (S.ω * t)
      + (1 / 2 * S.m * v₀ ^ 2 * (1 - Real.cos (S.ω * t) ^ 2) * (S.ω⁻¹ * S.ω + 1)
        + S.m * x₀ * v₀ * S.ω * Real.sin (S.ω * t) * Real.cos (S.ω * t))
        * mul_inv_cancel₀ S.ω_pos.ne'

/-- The energy is never negative. -/
theorem energy_nonneg (x v : ℝ) : 0 ≤ S.energy x v := by
  unfold energy
  have hm := S.m_pos
  have hk := S.k_pos
  positivity

/-- The motion is periodic with period `2π/ω`. -/
theorem trajectory_periodic (x₀ v₀ t : ℝ) :
    S.trajectory x₀ v₀ (t + 2 * Real.pi / S.ω) = S.trajectory x₀ v₀ t := by
  unfold trajectory
  have h : S.ω * (t + 2 * Real.pi / S.ω) = S.ω * t + 2 * Real.pi := by
    rw [mul_add, mul_div_cancel₀ _ S.ω_pos.ne']
  rw [h, Real.cos_add_two_pi, Real.sin_add_two_pi]

end Oscillator

end Theorist.Oscillator
