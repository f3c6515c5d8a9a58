import Mathlib.Tactic.Linarith
import Mathlib.Tactic.NormNum
import Mathlib.Tactic.Ring

/-!
# Anomaly cancellation in one Standard-Model generation with a right-handed neutrino

All fields are written as left-handed Weyl fermions (right-handed ones through their
conjugates, whose charges flip sign): the quark doublet `Q` (3 colours × 2 isospin
components), the conjugate up and down quarks `U`, `D` (3 colours each), the lepton doublet
`L` (2 components), the conjugate electron `E` and the conjugate neutrino `N`. A `U(1)` acts
with one charge per multiplet (`Charges`, as PhysLean's `SMνCharges` for one family). The
conditions for gauging it alongside `SU(3) × SU(2)`: the mixed gravitational anomaly
(`accGrav`), `SU(2)² U(1)` (`accSU2`), `SU(3)² U(1)` (`accSU3`) and `U(1)³` (`accCube`); for two
`U(1)`s also the mixed cubic ones, given by the symmetric trilinear form `cubeTriLin`.

Hypercharge (`Q_em = T₃ + Y`) and `B − L` each satisfy all their conditions, and so do all
four mixed conditions between them (`SU(3)²(B−L)`, `SU(2)²(B−L)`, `Y²(B−L)`, `Y(B−L)²`), so
`B − L` can be gauged, and so can every combination `a Y + b (B−L)`. Without the
right-handed neutrino `B − L` is anomalous (gravitational and cubic anomalies `-1`), and the
gravitational condition fixes the neutrino's `B − L` charge to `1`.

Charges are rationals, so every condition is an exact identity. Not compiled where it was
written; every Mathlib name it uses is recorded in `lean/MATHLIB_NAMES.tsv`.
-/

namespace Theorist.Anomaly

/-- The charges of one generation under a `U(1)`, one per multiplet. -/
structure Charges where
  /-- The quark doublet. -/
  Q : ℚ
  /-- The conjugate up quark. -/
  U : ℚ
  /-- The conjugate down quark. -/
  D : ℚ
  /-- The lepton doublet. -/
  L : ℚ
  /-- The conjugate electron. -/
  E : ℚ
  /-- The conjugate neutrino. -/
  N : ℚ

namespace Charges

/-- Mixed gravitational anomaly: the sum of the charges of all 16 Weyl components. -/
def accGrav (S : Charges) : ℚ := 6 * S.Q + 3 * S.U + 3 * S.D + 2 * S.L + S.E + S.N

/-- `SU(2)² U(1)`: doublets only (three colours of `Q`, one `L`). -/
def accSU2 (S : Charges) : ℚ := 3 * S.Q + S.L

/-- `SU(3)² U(1)`: (anti-)triplets only (two isospin components of `Q`, `U`, `D`). -/
def accSU3 (S : Charges) : ℚ := 2 * S.Q + S.U + S.D

/-- The symmetric trilinear form of the cubic anomalies, summed over all Weyl components. -/
def cubeTriLin (R S T : Charges) : ℚ :=
  6 * (R.Q * S.Q * T.Q) + 3 * (R.U * S.U * T.U) + 3 * (R.D * S.D * T.D)
    + 2 * (R.L * S.L * T.L) + R.E * S.E * T.E + R.N * S.N * T.N

/-- `U(1)³`. -/
def accCube (S : Charges) : ℚ := cubeTriLin S S S

/-- The charges `a S + b T` of the combination of two `U(1)`s. -/
def linComb (a : ℚ) (S : Charges) (b : ℚ) (T : Charges) : Charges :=
  ⟨a * S.Q + b * T.Q, a * S.U + b * T.U, a * S.D + b * T.D, a * S.L + b * T.L,
    a * S.E + b * T.E, a * S.N + b * T.N⟩

end Charges

open Charges

/-- Hypercharge in the convention `Q_em = T₃ + Y`. -/
def hypercharge : Charges := ⟨1 / 6, -2 / 3, 1 / 3, -1 / 2, 1, 0⟩

/-- `B − L`: `1/3` for quarks, `-1` for leptons (conjugates flip the sign). -/
def bMinusL : Charges := ⟨1 / 3, -1 / 3, -1 / 3, -1, 1, 1⟩

/-- `B − L` on the Standard Model without a right-handed neutrino. -/
def bMinusLNoNuR : Charges := ⟨1 / 3, -1 / 3, -1 / 3, -1, 1, 0⟩

theorem hypercharge_accGrav : accGrav hypercharge = 0 := by
  norm_num [accGrav, hypercharge]

theorem hypercharge_accSU2 : accSU2 hypercharge = 0 := by
  norm_num [accSU2, hypercharge]

theorem hypercharge_accSU3 : accSU3 hypercharge = 0 := by
  norm_num [accSU3, hypercharge]

theorem hypercharge_accCube : accCube hypercharge = 0 := by
  norm_num [accCube, cubeTriLin, hypercharge]

theorem bMinusL_accGrav : accGrav bMinusL = 0 := by
  norm_num [accGrav, bMinusL]

/-- `SU(2)² (B−L)`. -/
theorem bMinusL_accSU2 : accSU2 bMinusL = 0 := by
  norm_num [accSU2, bMinusL]

/-- `SU(3)² (B−L)`. -/
theorem bMinusL_accSU3 : accSU3 bMinusL = 0 := by
  norm_num [accSU3, bMinusL]

/-- `(B−L)³`. -/
theorem bMinusL_accCube : accCube bMinusL = 0 := by
  norm_num [accCube, cubeTriLin, bMinusL]

/-- `Y² (B−L)`. -/
theorem hypercharge_sq_bMinusL : cubeTriLin hypercharge hypercharge bMinusL = 0 := by
  norm_num [cubeTriLin, hypercharge, bMinusL]

/-- `Y (B−L)²`. -/
theorem hypercharge_bMinusL_sq : cubeTriLin hypercharge bMinusL bMinusL = 0 := by
  norm_num [cubeTriLin, hypercharge, bMinusL]

/-- Every combination `a Y + b (B−L)` satisfies all four conditions. -/
theorem linComb_anomalyFree (a b : ℚ) :
    accGrav (linComb a hypercharge b bMinusL) = 0 ∧ accSU2 (linComb a hypercharge b bMinusL) = 0 ∧
      accSU3 (linComb a hypercharge b bMinusL) = 0 ∧
      accCube (linComb a hypercharge b bMinusL) = 0 := by
  refine ⟨?_, ?_, ?_, ?_⟩
  · simp only [accGrav, linComb, hypercharge, bMinusL]
    ring
  · simp only [accSU2, linComb, hypercharge, bMinusL]
    ring
  · simp only [accSU3, linComb, hypercharge, bMinusL]
    ring
  · simp only [accCube, cubeTriLin, linComb, hypercharge, bMinusL]
    ring

/-- Without `ν_R`, `B − L` has a gravitational anomaly. -/
theorem bMinusLNoNuR_accGrav : accGrav bMinusLNoNuR = -1 := by
  norm_num [accGrav, bMinusLNoNuR]

/-- Without `ν_R`, `B − L` has a cubic anomaly. -/
theorem bMinusLNoNuR_accCube : accCube bMinusLNoNuR = -1 := by
  norm_num [accCube, cubeTriLin, bMinusLNoNuR]

/-- With the other `B − L` charges fixed, the gravitational condition forces the conjugate
neutrino's charge to be `1`. -/
theorem bMinusL_neutrino_charge (n : ℚ) (h : accGrav ⟨1 / 3, -1 / 3, -1 / 3, -1, 1, n⟩ = 0) :
    n = 1 := by
  simp only [accGrav] at h
  linarith

end Theorist.Anomaly
