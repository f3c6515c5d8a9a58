import Mathlib.Analysis.SpecialFunctions.Pow.Real

/-! Module doc with `theorem fake : False := sorry` inside. -/

namespace Phys
open Real in
theorem higgs_min (μ l : ℝ) (hl : 0 < l) : 0 ≤ μ ^ 2 / (2 * l) := by
  positivity

set_option maxHeartbeats 400000 in
/-- doc -/ @[simp] lemma «odd name» : (1 : ℕ) + 1 = 2 := rfl

  private theorem indented : True := by
    sorry

instance : Inhabited ℕ := ⟨0⟩
example : 2 = 2 := by decide
irreducible_def c : ℝ := 3
noncomputable def V (φ : ℝ) : ℝ := -φ ^ 2 + φ ^ 4
structure S where
  x : ℕ
  y : ℕ := "/- not a comment -/".length
end Phys
