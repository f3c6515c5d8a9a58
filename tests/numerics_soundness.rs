//! Statements whose meaning depends on reading Lean as Lean does (numerals' types, ℕ and ℤ
//! arithmetic, casts, junk values, hypotheses in every form, shadowing, scoping, domains):
//! each must get the verdict its Lean meaning deserves, through the real binary.

use serde_json::Value;

mod support;

const FILE: &str = "tests/fixtures/numerics/Soundness.lean";

/// `theorist --json numerics check` of `file:decl` with the budgets every case here uses.
fn numerics_check(file: &str, decl: &str) -> assert_cmd::assert::Assert {
    support::theorist()
        .args(["--json", "numerics", "check", &format!("{file}:{decl}")])
        .args([
            "--samples",
            "300",
            "--max-boxes",
            "1000",
            "--time-limit",
            "30",
        ])
        .assert()
}

fn parsed(decl: &str, out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("{decl}: {e}: {}", String::from_utf8_lossy(out)))
}

fn check_in(file: &str, decl: &str, code: i32) -> Value {
    parsed(
        decl,
        &numerics_check(file, decl).code(code).get_output().stdout,
    )
}

fn verdict(decl: &str, code: i32, expected: &str) -> Value {
    verdict_in(FILE, decl, code, expected)
}

fn reason(decl: &str) -> String {
    let v = verdict(decl, 4, "untranslatable");
    v["reason"].as_str().unwrap().to_string()
}

#[test]
fn numerals_have_the_types_lean_gives_them() {
    let v = verdict("nat_div_untyped", 0, "proved");
    assert_eq!(v["claim"], "(7 / 2 : ℕ) = 3");
    verdict("real_div_typed", 1, "refuted");
    verdict("nat_sub_truncates", 0, "proved");
    verdict("int_sub", 1, "refuted");
    // A hypothesis true in ℕ does not make the statement vacuous.
    verdict("nat_hypothesis", 1, "refuted");
    // `x ^ (1 / 2)` is `x ^ 0`.
    verdict("exponent_is_nat", 1, "refuted");
    assert!(reason("float_literal").contains("Float"));
}

#[test]
fn natural_and_integer_arithmetic() {
    verdict("int_ediv", 0, "proved");
    verdict("nat_div_zero", 0, "proved");
    let v = verdict("nat_sub_add", 1, "refuted");
    assert_eq!(v["counterexample"]["n"], "0");
    // An identity's certificate shows the identity.
    let v = verdict("int_sub_add", 0, "proved");
    assert_eq!(v["algebraic"]["kind"], "polynomial identity");
    assert_eq!(
        v["algebraic"]["identities"][0],
        "n - 1 + 1 = n  (both sides expand to n)"
    );
    verdict("half_three", 0, "proved");
    verdict("half_cast", 0, "proved");
}

#[test]
fn casts_go_where_lean_puts_them() {
    // `x = a - b` with `a b : ℕ` is real subtraction of the casts: `x` can be negative.
    verdict("cast_at_leaves", 1, "refuted");
    let v = verdict("cast_of_nat_sub", 1, "refuted");
    assert_eq!(v["counterexample"]["n"], "0");
    assert_eq!(
        v["claim"],
        "∀ (n : ℕ), (↑(n - 1 : ℕ) : ℝ) = (↑(n : ℕ) : ℝ) - 1"
    );
}

#[test]
fn junk_values_are_leans() {
    verdict("junk_values", 0, "proved");
    verdict("sqrt_negative", 1, "refuted");
    verdict("log_negative_one", 1, "refuted");
    verdict("rpow_negative_base", 1, "refuted");
}

#[test]
fn no_hypothesis_is_dropped() {
    // `x ∈ Set.Icc 0 1` bounds the box, so the bisection proof is a proof.
    let v = verdict("icc_hypothesis", 0, "proved");
    assert_eq!(v["box"]["x"], serde_json::json!(["0", "1"]));
    verdict("fact_hypothesis", 0, "proved");
    verdict("comment_in_binder", 0, "proved");
    let r = reason("unmodelled_hypothesis");
    assert!(r.contains("Soundness.lean:69:"), "{r}");
    let r = reason("unmodelled_instance");
    assert!(
        r.contains("Soundness.lean:72:") && r.contains("[Nonempty ℝ]"),
        "{r}"
    );
}

#[test]
fn shadowing_makes_a_new_variable() {
    let v = verdict("shadowing", 1, "refuted");
    let cx = v["counterexample"].as_object().unwrap();
    assert!(cx.contains_key("x") && cx.contains_key("x✝1"), "{v}");
}

#[test]
fn names_resolve_as_in_lean() {
    // A file is read top to bottom: a `def` further down does not capture an earlier name.
    verdict("cosh_before_def", 0, "proved");
    verdict("cosh_after_def", 0, "proved");
    let r = reason("pi_not_open");
    assert!(
        r.contains("unknown identifier `π`") && r.contains("open Real"),
        "{r}"
    );
    verdict("pi_bound", 0, "proved");
    verdict("pi_open", 0, "proved");
    // The file's own `exp` is not `Real.exp`.
    let v = verdict("own_exp", 0, "proved");
    assert_eq!(v["claim"], "1 + 1 = 2");
    let r = reason("ambiguous_exp");
    assert!(r.contains("`exp`") && r.contains("`Real.exp`"), "{r}");
    verdict("inner_namespace_wins", 0, "proved");
    // `(0 : Pt)` is the `OfNat Pt 0` instance, not the `Zero Pt` one; `.origin` is `Pt.origin`.
    verdict("ofNat_zero", 0, "proved");
    verdict("zero_instance_value", 1, "refuted");
    verdict("leading_dot", 0, "proved");
    let r = reason("ambiguous_open");
    assert!(
        r.contains("Soundness.A.c") && r.contains("Soundness.B.c"),
        "{r}"
    );
}

#[test]
fn domains_are_the_functions_own() {
    // True over ℕ, false at n = 1/2: never refuted, and its points are naturals.
    let v = verdict("nat_domain", 5, "proved_on_box");
    assert_eq!(v["box"]["y1✝"], serde_json::json!(["0", "10"]));
    verdict("untyped_domain", 0, "proved");
    // An untyped binder's type is decided by a use after `‖k‖`: real, not ℕ.
    let v = verdict("binder_typed_by_later_use", 1, "refuted");
    assert!(v["claim"].as_str().unwrap().starts_with("∀ (k : ℝ)"), "{v}");
    verdict("binder_predicate_nat", 5, "proved_on_box");
}

#[test]
fn definitions_unfolded_many_times_mean_the_same_each_time() {
    for _ in 0..5 {
        verdict("repeated_unfolding", 0, "proved");
    }
}

#[test]
fn nan_never_proves_a_bound() {
    // `sin` of a huge number is somewhere in [-1, 1]: never proved ≤ -1.
    let v = verdict("nan_in_max", 6, "consistent");
    assert!(v["budget"].is_string());
}

#[test]
fn finite_sums_are_unrolled_as_lean_types_them() {
    verdict("sum_nat_truncates", 0, "proved");
    verdict("sum_at_expected_type", 0, "proved");
    verdict("sum_leaf_is_nat", 1, "refuted");
    verdict("sum_fin_powers", 0, "proved");
    let v = verdict("sum_squares_nonneg", 0, "proved");
    assert_eq!(
        v["claim"], "∀ (v 0 : ℝ) (v 1 : ℝ) (v 2 : ℝ), 0 ≤ v 0 ^ 2 + v 1 ^ 2 + v 2 ^ 2",
        "{v}"
    );
    verdict("sum_le_first", 1, "refuted");
    verdict("fin_numeral_wraps", 0, "proved");
    assert!(reason("fin_arithmetic").contains("`Fin n`"));
    assert!(reason("sum_symbolic_length").contains("known length"));
    verdict("int_interval_and_product", 0, "proved");
    verdict("nested_sums", 0, "proved");
    verdict("nat_index_into_fin", 0, "proved");
}

const INNER: &str = "tests/fixtures/numerics/InnerProducts.lean";

fn verdict_in(file: &str, decl: &str, code: i32, expected: &str) -> Value {
    let v = check_in(file, decl, code);
    assert_eq!(v["verdict"], expected, "{decl}: {v}");
    v
}

fn inner(decl: &str, code: i32, expected: &str) -> Value {
    verdict_in(INNER, decl, code, expected)
}

#[test]
fn inner_products_expand_by_sesquilinearity_into_gram_entries() {
    let v = inner("cs_sq", 0, "proved");
    // The reduction is reported with the constraint that makes it exact.
    let why = v["reductions"].to_string();
    assert!(why.contains("Cauchy–Schwarz"), "{why}");
    assert!(
        v["claim"]
            .as_str()
            .unwrap()
            .contains("re⟪Φ₁, Φ₂⟫ ^ 2 + im⟪Φ₁, Φ₂⟫ ^ 2 ≤ ‖Φ₁‖ ^ 2 * ‖Φ₂‖ ^ 2"),
        "{v}"
    );
    inner("cs_sq_half", 1, "refuted");
    // Mathlib's inner product is conjugate-linear in its first argument.
    inner("smul_left", 0, "proved");
    inner("smul_left_linear", 1, "refuted");
    inner("smul_right", 0, "proved");
    inner("inner_self", 0, "proved");
    inner("real_cs", 0, "proved");
    // Combinations of vectors.
    let v = check_in(INNER, "norm_sub_sq", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    inner("norm_sub_sq_wrong", 1, "refuted");
    inner("sub_self_norm", 0, "proved");
    let v = check_in(INNER, "add_I_smul_sq", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    inner("add_I_smul_sq_wrong", 1, "refuted");
    // A complex hypothesis is both of its parts, never dropped.
    let v = check_in(INNER, "pythagoras", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    inner("pythagoras_unconditional", 1, "refuted");
    // `‖Φ₁‖ + ⟪Φ₁, Φ₂⟫_ℂ = 0` is an equation in ℂ (Lean casts the norm), false.
    inner("complex_sum_is_complex", 1, "refuted");
    // ℂ is its parts (`⟪z, w⟫ = conj z * w`): equality in Cauchy–Schwarz; dimension 2 has none.
    inner("dim_one", 0, "proved");
    inner("dim_two", 1, "refuted");
    // A witness at an inner quantifier: never refuted.
    let v = check_in(INNER, "exists_inner", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
}

#[test]
fn complex_numbers_are_their_parts() {
    inner("complex_numeral", 0, "proved");
    inner("conj_mul_im", 0, "proved");
    inner("mul_self_im", 1, "refuted");
    inner("norm_sq_parts", 0, "proved");
    inner("cast_im", 0, "proved");
    // Structure updates keep the fields they do not name.
    inner("tilted_c_im", 0, "proved");
    inner("tilted_c_re", 1, "refuted");
}

#[test]
fn inner_products_theorist_cannot_reduce_exactly_are_not_checked() {
    for (decl, why) in [
        ("three", "three vectors"),
        ("real_on_complex", "real inner product on a complex space"),
        ("complex_order", "order on complex numbers"),
    ] {
        let v = inner(decl, 4, "untranslatable");
        let reason = v["reason"].as_str().unwrap();
        assert!(reason.contains(why), "{decl}: {reason}");
        assert!(
            reason.starts_with(INNER),
            "{decl}: names file:line:col: {reason}"
        );
    }
}

const CALCULUS: &str = "tests/fixtures/numerics/Calculus.lean";

fn calculus(decl: &str, code: i32, expected: &str) -> Value {
    verdict_in(CALCULUS, decl, code, expected)
}

#[test]
fn derivatives_of_functions_smooth_everywhere_are_read() {
    calculus("deriv_poly", 0, "proved");
    calculus("deriv_poly_wrong", 1, "refuted");
    let v = check_in(CALCULUS, "deriv_exp", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    calculus("deriv_exp_wrong", 1, "refuted");
    // Where the function may not be differentiable, nothing is checked.
    for (decl, why) in [
        ("deriv_abs", "`|·|` of the variable"),
        ("deriv_inv", "a divisor that depends on the variable"),
    ] {
        let v = calculus(decl, 4, "untranslatable");
        assert!(v["reason"].as_str().unwrap().contains(why), "{decl}: {v}");
    }
}

#[test]
fn trigonometric_identities_are_proved_exactly() {
    for decl in ["cos_double", "cosh_add_id", "deriv_sin_pythagoras"] {
        let v = calculus(decl, 0, "proved");
        assert_eq!(
            v["algebraic"]["kind"], "trigonometric identity",
            "{decl}: {v}"
        );
    }
    calculus("cos_double_wrong", 1, "refuted");
}

#[test]
fn small_matrices_are_their_entries() {
    calculus("det_two", 0, "proved");
    calculus("det_two_wrong", 1, "refuted");
    // Numerals of a matrix type are multiples of the identity.
    calculus("mul_one'", 0, "proved");
    calculus("two_diag", 0, "proved");
    calculus("mul_comm'", 1, "refuted");
    calculus("transpose_mul", 0, "proved");
    calculus("det_smul", 0, "proved");
    let v = calculus("matrix_order", 4, "untranslatable");
    assert!(
        v["reason"].as_str().unwrap().contains("order on matrices"),
        "{v}"
    );
}

const SUMS: &str = "tests/fixtures/numerics/SumTypes.lean";

fn sums(decl: &str, code: i32, expected: &str) -> Value {
    verdict_in(SUMS, decl, code, expected)
}

#[test]
fn sum_types_matches_and_components_are_read_as_lean_means_them() {
    // `match` and definitions by equations pick the arm of the index.
    sums("xi_inr", 0, "proved");
    sums("xi_inr_wrong", 1, "refuted");
    // A real Euclidean vector applied to an index is its components; the unwritten index
    // type of `∑ a, |P.ξ (Sum.inr a)| ^ 2` is the `Fin 3` of its use.
    let v = check_in(SUMS, "red_lower_bound", 6);
    assert!(
        v["claim"]
            .as_str()
            .unwrap()
            .contains("Real.sqrt (k 0 * k 0 + k 1 * k 1 + k 2 * k 2) ^ 2 ≤ 1"),
        "{v}"
    );
    sums("red_wrong", 1, "refuted");
    let v = check_in(SUMS, "quartic_nonneg", 5);
    assert_eq!(v["verdict"], "proved_on_box", "{v}");
    sums("quartic_wrong", 1, "refuted");
    sums("component_le_norm", 0, "proved");
    sums("norm_le_component", 1, "refuted");
    sums("inner_components", 0, "proved");
    // `!₂[…]` literals, real and complex (`Real.sqrt` of a negative is `0`).
    sums("literal_norm", 0, "proved");
    sums("literal_norm_wrong", 1, "refuted");
    let v = check_in(SUMS, "complex_literal", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    sums("complex_literal_wrong", 1, "refuted");
    let v = check_in(SUMS, "ofReal_norm", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    sums("ofReal_norm_any", 1, "refuted");
    // A bundled linear map is applied as its `toFun`.
    sums("double_apply", 0, "proved");
    sums("double_apply_wrong", 1, "refuted");
    sums("pick_literal", 0, "proved");
}

#[test]
fn a_match_theorist_cannot_decide_is_not_checked() {
    let v = verdict_in(SUMS, "pick_symbolic", 4, "untranslatable");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("SumTypes.lean:108:5")
            && v["reason"].as_str().unwrap().contains("`match`"),
        "{v}"
    );
    let v = verdict_in(SUMS, "partial_pick_two", 4, "untranslatable");
    assert!(v["reason"].as_str().unwrap().contains("no arm"), "{v}");
    // A pattern name binds, shadowing a definition of that name, as in Lean; a name that may
    // be a constructor opened into scope is matched by Lean, so it is not read.
    verdict_in(SUMS, "Shadow.pickc_three", 0, "proved");
    let v = verdict_in(SUMS, "Shadow.pickz_three", 4, "untranslatable");
    assert!(v["reason"].as_str().unwrap().contains("`zero`"), "{v}");
}

const UNITARY: &str = "tests/fixtures/numerics/Unitary.lean";

#[test]
fn unitary_matrices_keep_their_equations_and_quotients_are_representatives() {
    // `‖V 0 1‖ ≤ 1` holds only because V is unitary: the equations are hypotheses (without
    // them the claim is false at V 0 1 = 2).
    let v = check_in(UNITARY, "entry_le_one", 6);
    assert_eq!(v["verdict"], "consistent", "{v}");
    let claim = v["claim"].as_str().unwrap();
    assert!(
        claim.contains("V 0 0.re * V 0 0.re + V 0 0.im * V 0 0.im + (V 1 0.re * V 1 0.re + V 1 0.im * V 1 0.im) = 1 →"),
        "{claim}"
    );
    assert!(
        claim.ends_with("Real.sqrt (V 0 1.re ^ 2 + V 0 1.im ^ 2) ≤ 1"),
        "{claim}"
    );
    let v = check_in(UNITARY, "column_unit", 6);
    assert_ne!(v["verdict"], "refuted", "{v}");
    let v = check_in(UNITARY, "entry_nonneg", 5);
    assert_eq!(v["verdict"], "proved_on_box", "{v}");
    let v = check_in(UNITARY, "by_first", 5);
    assert_eq!(v["verdict"], "proved_on_box", "{v}");
    verdict_in(UNITARY, "variable_setoid", 4, "untranslatable");
}

const ALTERNATION: &str = "tests/fixtures/numerics/Alternation.lean";

#[test]
fn alternating_quantifiers_are_decided_exactly_or_left_open() {
    // False: refuted at a point where the inner quantifier is decided exactly.
    for (decl, at) in [
        ("bounded_of_nonneg", Some(("b", "0"))),
        ("pos_of_bounded", Some(("b", "0"))),
        ("bounded_above_any", None),
        ("bounded_where_not_confined", None),
        ("bounded_two_any", None),
        ("of_forall_strict", Some(("a", "0"))),
        ("norm_sq_onto", None),
        ("boundary", None),
    ] {
        let v = check_in(ALTERNATION, &format!("Alternation.{decl}"), 1);
        assert_eq!(v["verdict"], "refuted", "{decl}: {v}");
        if let Some((var, value)) = at {
            assert_eq!(v["counterexample"][var], value, "{decl}: {v}");
        }
    }
    let v = check_in(ALTERNATION, "Alternation.boundary", 1);
    let x: f64 = parse_q(&v["counterexample"]["x"]);
    let y: f64 = parse_q(&v["counterexample"]["y"]);
    assert_eq!(x, 2.0 * y + 3.0, "refuted on the boundary: {v}");
    // True: never refuted; what the engines cannot settle stays consistent.
    for decl in [
        "bounded_of_pos",
        "nonneg_of_bounded",
        "bounded_above",
        "bounded_where_confined",
        "bounded_two",
        "nat_bound",
        "of_forall",
        "shadowed",
    ] {
        let v = check_in(ALTERNATION, &format!("Alternation.{decl}"), 6);
        assert_eq!(v["verdict"], "consistent", "{decl}: {v}");
    }
    // A closed claim decided exactly: the norm's domain keeps `‖φ‖² - 2‖φ‖` bounded below.
    let v = check_in(ALTERNATION, "Alternation.bounded_norm", 0);
    assert_eq!(v["verdict"], "proved", "{v}");
}

/// A true claim of the fixture `file`: whatever its verdict, it is translated and never refuted.
fn never_refuted(file: &str, decl: &str) {
    let v = parsed(decl, &numerics_check(file, decl).get_output().stdout);
    assert_ne!(v["verdict"], "refuted", "{decl}: {v}");
    assert_ne!(v["verdict"], "untranslatable", "{decl}: {v}");
}

const THIN: &str = "tests/fixtures/numerics/Thin.lean";

#[test]
fn thin_regions_are_reached_by_descending_the_margin() {
    // False only on a sliver of a many-variable box: refuted at an exact point, decided exactly.
    let v = check_in(THIN, "Thin.ball", 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    let at = |n: &str| parse_q(&v["counterexample"][n]);
    let centre = [
        ("a", 1.0 / 3.0),
        ("b", -2.0 / 7.0),
        ("c", 5.0 / 9.0),
        ("d", -1.0 / 11.0),
        ("e", 3.0 / 13.0),
        ("f", -4.0 / 17.0),
    ];
    let distance: f64 = centre.iter().map(|(n, c)| (at(n) - c).powi(2)).sum();
    assert!(distance < 1e-6, "{v}");
    let v = check_in(THIN, "Thin.quartic_sign_blind", 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    // True: the margin reaches 0 (on the grid, along flat directions) or looks negative in f64
    // only; never refuted.
    for decl in ["ball_nonneg", "quartic_standard", "cancellation"] {
        never_refuted(THIN, &format!("Thin.{decl}"));
    }
}

const QUADRATIC: &str = "tests/fixtures/numerics/QuadraticPoints.lean";

#[test]
fn points_equations_force_off_the_rationals_are_decided_in_their_field() {
    // False only where a quadratic equation has irrational roots: refuted exactly in ℚ(√2),
    // the point printed as Lean reads it.
    for (decl, var, value) in [
        ("cube", "x", "Real.sqrt 2"),
        ("exp_bound", "x", "Real.sqrt 2"),
        ("two_vars", "v", "10 * Real.sqrt 2"),
        ("vev_wrong", "r", "1/2 * Real.sqrt 2"),
    ] {
        let v = check_in(QUADRATIC, &format!("QuadraticPoints.{decl}"), 1);
        assert_eq!(v["verdict"], "refuted", "{decl}: {v}");
        assert_eq!(v["counterexample"][var], value, "{decl}: {v}");
        let by = v["certified_by"].as_str().unwrap();
        assert!(by.contains("real quadratic field"), "{decl}: {by}");
    }
    // True at those points, or the hypothesis cannot hold (`q : ℚ`, a norm is never `-√2`).
    for decl in ["cube_ok", "two_vars_ok", "rat_root", "norm_root", "vev"] {
        never_refuted(QUADRATIC, &format!("QuadraticPoints.{decl}"));
    }
}

const BOUNDARIES: &str = "tests/fixtures/numerics/Boundaries.lean";

#[test]
fn boundaries_with_square_roots_and_missing_epsilons_are_refuted_exactly() {
    // False only where a non-strict condition with a square root holds with equality: refuted
    // at a point where the root is rational and the point on the boundary.
    let v = check_in(BOUNDARIES, "Boundaries.coercive_boundary", 1);
    let (a, b, k) = (
        parse_q(&v["counterexample"]["a"]),
        parse_q(&v["counterexample"]["b"]),
        parse_q(&v["counterexample"]["k"]),
    );
    assert!(((k / 2.0).powi(2) - a * b).abs() < 1e-12 && k < 0.0, "{v}");
    let v = check_in(BOUNDARIES, "Boundaries.stable_boundary", 1);
    assert_eq!(v["verdict"], "refuted", "{v}");
    // No ε > 0 works: along a falling direction, towards the origin, or for every small x.
    for decl in ["coercive_plane", "coercive_origin", "positive_floor"] {
        let v = check_in(BOUNDARIES, &format!("Boundaries.{decl}"), 1);
        assert_eq!(v["verdict"], "refuted", "{decl}: {v}");
    }
    // True, some degenerate in the same way: never refuted.
    for decl in [
        "coercive_strict",
        "coercive_plane_ok",
        "coercive_origin_ok",
        "coercive_degenerate",
        "stable_strict",
        "flat_but_bounded",
    ] {
        let v = check_in(BOUNDARIES, &format!("Boundaries.{decl}"), 6);
        assert_eq!(v["verdict"], "consistent", "{decl}: {v}");
    }
}

/// A rational `p/q` or integer from a counterexample, as f64 (exact for the dyadics sampled).
fn parse_q(v: &Value) -> f64 {
    let s = v.as_str().unwrap();
    match s.split_once('/') {
        Some((p, q)) => p.trim().parse::<f64>().unwrap() / q.trim().parse::<f64>().unwrap(),
        None => s.parse().unwrap(),
    }
}
