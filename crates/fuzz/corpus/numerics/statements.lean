noncomputable def V (μ l φ : ℝ) : ℝ := -μ ^ 2 * φ ^ 2 + l * φ ^ 4

theorem radial_bounded_below (μ l φ : ℝ) (hl : 0 < l) : -μ ^ 4 / (4 * l) ≤ V μ l φ := by
  sorry

theorem sqrt_bound (x : ℝ) (hx : 0 ≤ x) : Real.sqrt x ≤ x / 2 + 1 / 2 := by sorry

theorem exists_min : ∃ x : ℝ, ∀ y ∈ Set.Icc (0 : ℝ) 1, x ≤ Real.exp y - y := by sorry
