import Mathlib.Tactic.NormNum

/-!
# Anomaly cancellation in one Standard-Model generation

Left-handed Weyl fields with hypercharge `Y = Q - T₃` (conjugates of the right-handed ones
enter with the opposite sign): the quark doublet `Q` (3 colours × 2), the conjugates of `u` and
`d` (3 colours each), the lepton doublet `L` (2), the conjugates of `e` and a right-handed `ν`.
The hypercharges are rationals, so every condition is an exact identity.

Written against Mathlib's API; checked by `theorist verify` where Lean is installed.
-/

namespace Theorist.Anomaly

def Y_Q : ℚ := 1 / 6
def Y_u : ℚ := 2 / 3
def Y_d : ℚ := -1 / 3
def Y_L : ℚ := -1 / 2
def Y_e : ℚ := -1
def Y_ν : ℚ := 0

/-- Mixed gravitational anomaly: the sum of all hypercharges vanishes. -/
theorem gravitational : 6 * Y_Q - 3 * Y_u - 3 * Y_d + 2 * Y_L - Y_e - Y_ν = 0 := by
  norm_num [Y_Q, Y_u, Y_d, Y_L, Y_e, Y_ν]

/-- `U(1)_Y³`: the sum of cubes vanishes. -/
theorem cubic : 6 * Y_Q ^ 3 - 3 * Y_u ^ 3 - 3 * Y_d ^ 3 + 2 * Y_L ^ 3 - Y_e ^ 3 - Y_ν ^ 3 = 0 := by
  norm_num [Y_Q, Y_u, Y_d, Y_L, Y_e, Y_ν]

/-- `SU(3)² U(1)_Y`: coloured fields only. -/
theorem su3_su3_y : 2 * Y_Q - Y_u - Y_d = 0 := by
  norm_num [Y_Q, Y_u, Y_d]

/-- `SU(2)² U(1)_Y`: doublets only. -/
theorem su2_su2_y : 3 * Y_Q + Y_L = 0 := by
  norm_num [Y_Q, Y_L]

/-- `B - L` charges of the same fields. -/
def BL_Q : ℚ := 1 / 3
def BL_u : ℚ := 1 / 3
def BL_d : ℚ := 1 / 3
def BL_L : ℚ := -1
def BL_e : ℚ := -1
def BL_ν : ℚ := -1

/-- `B - L` is free of the gravitational anomaly once `ν_R` is included. -/
theorem bl_gravitational : 6 * BL_Q - 3 * BL_u - 3 * BL_d + 2 * BL_L - BL_e - BL_ν = 0 := by
  norm_num [BL_Q, BL_u, BL_d, BL_L, BL_e, BL_ν]

/-- `(B - L)³` vanishes too. -/
theorem bl_cubic :
    6 * BL_Q ^ 3 - 3 * BL_u ^ 3 - 3 * BL_d ^ 3 + 2 * BL_L ^ 3 - BL_e ^ 3 - BL_ν ^ 3 = 0 := by
  norm_num [BL_Q, BL_u, BL_d, BL_L, BL_e, BL_ν]

end Theorist.Anomaly
