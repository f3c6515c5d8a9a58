//! The report of a `vertex` proof: the identities it rests on, in Lean syntax, and a Lean proof
//! skeleton as the hint (printed, not compiled here: no Lean on these machines). The statement's
//! definitions are unfolded in the core, so the hint unfolds them too (`simp only [radial]`) and
//! states its identities about the bodies. Neighbours: `vertex` (the proof and its data),
//! `extremum` (the adapter), `core` (Lean text of expressions).

use rug::Rational;

use crate::core::{Expr, Prop, Rel, Ty};
use crate::extremum::{Set, atom, shown_as, shown_names, split_hypotheses, unfolding_lemma};
use crate::poly::Poly;
use crate::statement::Statement;
use crate::univariate::unfold_line;
use crate::vertex::{Branch, Case, ExtremumProof, Form, Setting, checked_cases};

/// `name - p` as Lean text.
fn minus(name: &str, p: &str) -> String {
    if p == "0" {
        name.to_string()
    } else if p.contains(" + ") || p.contains(" - ") {
        // A sum (or something that may be one): subtracted whole.
        format!("{name} - ({p})")
    } else {
        match p.strip_prefix('-') {
            Some(rest) => format!("{name} + {rest}"),
            None => format!("{name} - {p}"),
        }
    }
}

/// `(t)` unless `t` is a single name or number.
fn parenthesised(t: &str) -> String {
    if t.contains(' ') {
        format!("({t})")
    } else {
        t.to_string()
    }
}

/// A named hypothesis `0 < v`, for the variable `v` a coefficient is.
fn positive_hypothesis(s: &Statement, p: &Poly, names: &[String]) -> Option<String> {
    let (e, c) = p.as_term()?;
    if *c != 1 {
        return None;
    }
    let vars: Vec<usize> = (0..e.len()).filter(|&i| e[i] != 0).collect();
    let [v] = vars[..] else { return None };
    if e[v] != 1 {
        return None;
    }
    let (hyps, _) = split_hypotheses(s);
    let is_zero = |x: &Expr| matches!(x, Expr::Lit(_, q) if *q == 0);
    let is_v = |x: &Expr| matches!(x, Expr::Var(Ty::Real, name) if *name == names[v]);
    s.hypotheses.iter().zip(hyps).find_map(|(name, h)| match h {
        Prop::Cmp(Rel::Lt, z, x) | Prop::Cmp(Rel::Gt, x, z) if is_zero(z) && is_v(x) => {
            Some(name.clone())
        }
        _ => None,
    })
}

/// `c * ` before a factor `x`, as Lean text for coefficient `p` (shown with `names`): nothing
/// for 1, parentheses around anything but a single term.
fn coefficient(p: &Poly, names: &[String]) -> String {
    let t = p.lean(names);
    if t == "1" {
        String::new()
    } else if p.as_term().is_some() && !t.contains(['+', ' ']) {
        format!("{t} * ")
    } else {
        format!("({t}) * ")
    }
}

pub(crate) fn report(s: &Statement, proof: ExtremumProof) -> Option<crate::Algebraic> {
    let ExtremumProof::Quadratic {
        maximum,
        squared,
        leading,
        vertex,
        branches,
    } = &proof
    else {
        return None;
    };
    let base = Setting::new(s, *squared, None)?;
    let shown = shown_names(&base.names, base.y);
    let y_name = shown[base.y].clone();
    // The quadratic's variable: `y`, or `t = y²`.
    let var = if *squared {
        ["t", "t₁", "t₂"]
            .into_iter()
            .find(|t| !shown.iter().any(|n| n == t))?
            .to_string()
    } else {
        y_name.clone()
    };
    let mut names = shown.clone();
    names[base.y] = var.clone();
    let quadratic = Quadratic {
        s,
        squared: *squared,
        a: base.parse(leading)?,
        v: base.parse(vertex)?,
        var,
        y_name,
        y: base.y,
        names,
    };
    let mut identities = Vec::new();
    if *squared {
        identities.push(quadratic.squared_range(&base)?);
    }
    let cases = checked_cases(&base)?;
    let mut decompositions = Vec::new();
    for ((condition, equation), branch) in cases.iter().zip(branches) {
        decompositions.push(quadratic.branch_identities(
            *condition,
            equation,
            branch,
            &mut identities,
        )?);
    }
    let (a, v, y_name) = (&quadratic.a, &quadratic.v, &quadratic.y_name);
    let lean_hint = match (&branches[..], squared) {
        ([branch], false) => detailed_hint(s, &base, a, v, branch, &decompositions[0])?,
        _ => outline_hint(s, &base, a, v, branches, y_name, *squared),
    };
    let end = if branches.iter().any(|b| b.case != Case::Vertex) {
        "; at the end of the set nearest the vertex"
    } else {
        ""
    };
    Some(crate::Algebraic {
        kind: if *maximum {
            format!("unique maximiser (completed square, strictly concave{end})")
        } else {
            format!("unique minimiser (completed square, strictly convex{end})")
        },
        scope: "every real point where the hypotheses hold",
        identities,
        lean_hint,
        extremum: Some(Box::new(proof)),
    })
}

/// What every branch of a quadratic's report shares: the statement, the leading coefficient
/// `a` and the vertex `v`, and how the variables are shown.
struct Quadratic<'a> {
    s: &'a Statement,
    /// A quadratic in `t = y²` rather than in `y`.
    squared: bool,
    a: Poly,
    v: Poly,
    /// The quadratic's variable: `y`, or `t`.
    var: String,
    y_name: String,
    /// The quadratic's variable's index.
    y: usize,
    /// The variables as shown, the quadratic's variable in `y`'s place.
    names: Vec<String>,
}

impl Quadratic<'_> {
    /// `p` as Lean text, in the names as shown.
    fn text(&self, p: &Poly) -> String {
        p.lean(&self.names)
    }

    /// `t = y ^ 2 ranges over Set.Ici l` (or `Ioi`, `Icc`): the set `t` ranges over.
    fn squared_range(&self, base: &Setting) -> Option<String> {
        let set = match (&base.lo, &base.hi, base.strict) {
            (Some(l), None, false) => format!("Set.Ici {}", parenthesised(&self.text(l))),
            (Some(l), None, true) => format!("Set.Ioi {}", parenthesised(&self.text(l))),
            (Some(l), Some(u), _) => format!(
                "Set.Icc {} {}",
                parenthesised(&self.text(l)),
                parenthesised(&self.text(u))
            ),
            _ => return None,
        };
        Some(format!(
            "{} = {} ^ 2 ranges over {set}",
            self.var, self.y_name
        ))
    }

    /// The identities of one branch (under its condition): `f y - f m` as the square (or
    /// product) that proves the extremum, where the extremum is, and how the claimed point's
    /// equation relates to `at - m`. Returns the decomposition.
    fn branch_identities(
        &self,
        condition: Option<&Prop>,
        equation: &Prop,
        branch: &Branch,
        identities: &mut Vec<String>,
    ) -> Option<String> {
        let (var, a) = (&self.var, &self.a);
        let setting = Setting::new(self.s, self.squared, condition)?;
        let (m, kappa) = (
            setting.parse(&branch.minimiser)?,
            setting.parse(&branch.factor)?,
        );
        let prefix = branch
            .condition
            .as_ref()
            .map(|c| format!("if {c}: "))
            .unwrap_or_default();
        // f y - f m as the decomposition that proves the extremum.
        let difference = setting.f.sub(&setting.f.substitute(self.y, &m)?);
        let decomposition = match branch.case {
            Case::Vertex => format!(
                "{}{} ^ 2",
                coefficient(a, &self.names),
                parenthesised(&minus(var, &self.text(&m)))
            ),
            _ => {
                let other = self.v.scale(&Rational::from(2)).sub(&m);
                format!(
                    "{}{} * {}",
                    coefficient(a, &self.names),
                    parenthesised(&minus(var, &self.text(&m))),
                    parenthesised(&minus(var, &self.text(&other)))
                )
            }
        };
        identities.push(format!(
            "{prefix}{} = {decomposition}",
            self.text(&difference)
        ));
        identities.push(if self.squared {
            format!(
                "{prefix}the extremum is at {} ^ 2 = {}",
                self.y_name,
                self.text(&m)
            )
        } else {
            format!("{prefix}{} ∈ {}", self.text(&m), setting.e.set.text())
        });
        let d = setting.equation(equation)?;
        let e = setting.at.sub(&m);
        if d != e && d != e.neg() {
            let lhs = if branch.side_power == 1 {
                self.text(&d)
            } else {
                format!("{} ^ {}", parenthesised(&self.text(&d)), branch.side_power)
            };
            let factor = coefficient(&kappa, &self.names);
            let rhs_e = match branch.power {
                1 if factor.is_empty() => self.text(&e),
                1 => parenthesised(&self.text(&e)),
                k => format!("{} ^ {k}", parenthesised(&self.text(&e))),
            };
            identities.push(format!("{prefix}{lhs} = {factor}{rhs_e}"));
        }
        Some(decomposition)
    }
}

/// A proof outline for the case split and the `y²` forms: the key identity and one line per
/// case (printed, not compiled here).
fn outline_hint(
    s: &Statement,
    base: &Setting,
    a: &Poly,
    v: &Poly,
    branches: &[Branch],
    y_name: &str,
    squared: bool,
) -> String {
    let shown = shown_names(&base.names, base.y);
    let text = |p: &Poly| p.lean(&shown);
    let lemma = unfolding_lemma(base.e.max);
    let fy = shown_as(&base.e.f, &base.e.y, y_name).to_string();
    let power = if squared {
        format!("{y_name} ^ 2")
    } else {
        y_name.to_string()
    };
    let constant = base
        .f
        .substitute(base.y, v)
        .map(|c| text(&c))
        .unwrap_or_default();
    let (lhs, c) = if base.e.max {
        (format!("-({fy})"), constant)
    } else {
        (fy, constant)
    };
    let mut lines = vec![format!("rw [{lemma}]")];
    lines.extend(unfold_line(s, "*"));
    lines.push(format!(
        "have key : ∀ {y_name}, {lhs} = {} * ({}) ^ 2 + ({c}) := by intro {y_name}; field_simp; ring",
        text(a),
        minus(&power, &text(v))
    ));
    match branches {
        [first, second] => {
            let condition = first.condition.clone().unwrap_or_default();
            lines.push(format!("by_cases hc : {condition}"));
            for b in [first, second] {
                lines.push(format!(
                    "· -- {}: the only extremum is at {power} = {}; nlinarith [key, hc] in each direction",
                    b.condition.clone().unwrap_or_default(),
                    b.minimiser
                ));
            }
        }
        [b] => lines.push(format!(
            "-- the only extremum is at {power} = {}; nlinarith [key] in each direction",
            b.minimiser
        )),
        _ => {}
    }
    lines.join("\n")
}

/// A proof skeleton for one quadratic case (printed, not compiled here).
fn detailed_hint(
    s: &Statement,
    setting: &Setting,
    a: &Poly,
    v: &Poly,
    branch: &Branch,
    decomposition: &str,
) -> Option<String> {
    let shown = shown_names(&setting.names, setting.y);
    let y_name = shown[setting.y].clone();
    let m = setting.parse(&branch.minimiser)?;
    let (_, equation) = checked_cases(setting)?.pop()?;
    let d = setting.equation(equation)?;
    let e = setting.at.sub(&m);
    let at_text = setting.e.at.as_ref()?.to_string();
    let m_text = branch.minimiser.clone();
    // `at - m` (a sum as the left operand needs no parentheses: `-` is left-associative).
    let gap = minus(&at_text, &m_text);
    let divides = [a, v, &m]
        .iter()
        .any(|p| p.terms().any(|(e, _)| e.iter().any(|k| *k < 0)));
    let close_identity = if divides { "field_simp; ring" } else { "ring" };
    let key_lhs = key_lhs(setting, &y_name, &m_text);
    let lemma = unfolding_lemma(setting.e.max);
    let a_nonneg = nonneg_proof(s, a, &setting.names, &shown);
    let membership = membership_proof(&setting.e.set, branch.case);
    let at_is_var = matches!(setting.e.at, Some(Expr::Var(..)));
    // How `hx : at = m` closes the forward goal, how `hq` gives it back, how it is used.
    let (conclude, from_q) = if d == e {
        ("exact hx".to_string(), "hq".to_string())
    } else if d == e.neg() {
        ("exact hx.symm".to_string(), "hq.symm".to_string())
    } else {
        let by = if at_is_var { "subst hx" } else { "rw [hx]" };
        (
            format!("{by}; {close_identity}"),
            format!("by field_simp at hq; nlinarith [hq, sq_nonneg ({gap})]"),
        )
    };
    let use_point = if at_is_var { "subst hx" } else { "rw [hx]" };
    // Definitions are unfolded where the extremum is: the goal, or the hypothesis.
    let unfold_at = match setting.form {
        Form::Hypothesis(i) => format!("{} ⊢", s.hypotheses.get(i)?),
        _ => "*".to_string(),
    };
    let mut lines = vec![format!("rw [{lemma}]")];
    lines.extend(unfold_line(s, &unfold_at));
    lines.push(format!(
        "have key : ∀ {y_name}, {key_lhs} = {decomposition} := by intro {y_name}; {close_identity}"
    ));
    let (forward, backward_facts) = match branch.case {
        Case::Vertex => (
            format!(
                "  have hx : {at_text} = {m_text} := sub_eq_zero.mp (pow_eq_zero (by nlinarith [key ({at_text}), sq_nonneg ({gap}), {a_nonneg}] : ({gap}) ^ 2 = 0))"
            ),
            format!(
                "mul_nonneg {a_nonneg} (sq_nonneg ({}))",
                minus(&y_name, &m_text)
            ),
        ),
        _ => (
            format!("  have hx : {at_text} = {m_text} := by nlinarith [key ({at_text}), h₀]"),
            format!("hy, {a_nonneg}"),
        ),
    };
    if let Form::Hypothesis(i) = setting.form {
        let h = s.hypotheses.get(i)?;
        lines[0] = format!("rw [{lemma}] at {h}");
        lines.push(format!(
            "have h₀ := {h} ({m_text}) {membership}\n{}\n{conclude}",
            forward.trim_start()
        ));
        return Some(lines.join("\n"));
    }
    if setting.form == Form::Iff {
        lines.push("constructor".into());
    }
    if matches!(setting.form, Form::Iff | Form::Implies) {
        lines.push(format!(
            "· intro h\n  have h₀ := h ({m_text}) {membership}\n{forward}\n  {conclude}"
        ));
    }
    if matches!(setting.form, Form::Iff | Form::ImpliedBy) {
        lines.push(format!(
            "· intro hq {y_name} hy\n  have hx : {at_text} = {m_text} := {from_q}\n  {use_point}\n  nlinarith [key {y_name}, {backward_facts}]"
        ));
    }
    Some(lines.join("\n"))
}

/// The left side of `key`: `f y - f m` (`f m - f y` for a maximum), the minimiser's text
/// standing in for the variable.
fn key_lhs(setting: &Setting, y_name: &str, m_text: &str) -> String {
    let f_at = |p: &str| shown_as(&setting.e.f, &setting.e.y, &atom(p));
    let (fy, fm) = (f_at(y_name), f_at(m_text));
    let difference =
        |p: Expr, q: Expr| Expr::Add(Ty::Real, vec![p, Expr::Neg(Ty::Real, Box::new(q))]);
    if setting.e.max {
        difference(fm, fy)
    } else {
        difference(fy, fm)
    }
    .to_string()
}

/// A proof of `0 ≤ a` for the leading coefficient: the hypothesis `0 < a` where there is
/// one, else `norm_num` for a number, else `positivity`.
fn nonneg_proof(s: &Statement, a: &Poly, names: &[String], shown: &[String]) -> String {
    match positive_hypothesis(s, a, names) {
        Some(h) => format!("{h}.le"),
        None if a.as_term().is_some_and(|(e, _)| e.iter().all(|k| *k == 0)) => {
            format!("(by norm_num : (0 : ℝ) ≤ {})", a.lean(shown))
        }
        None => format!("(by positivity : (0 : ℝ) ≤ {})", a.lean(shown)),
    }
}

/// A proof that the extremum's point (the vertex, or the set's end nearest it) is in the set.
fn membership_proof(set: &Set, case: Case) -> String {
    match (&set.lo, &set.hi, case) {
        (None, _, _) => "(Set.mem_univ _)".to_string(),
        (Some((lo, strict)), None, Case::Vertex) => {
            let lemma = if *strict {
                "Set.mem_Ioi"
            } else {
                "Set.mem_Ici"
            };
            let by = if matches!(lo, Expr::Lit(_, q) if *q == 0) {
                "positivity"
            } else {
                "nlinarith"
            };
            format!("({lemma}.mpr (by {by}))")
        }
        (Some(_), Some(_), Case::Vertex) => "⟨by nlinarith, by nlinarith⟩".to_string(),
        (Some(_), None, _) => "Set.left_mem_Ici".to_string(),
        (Some(_), Some(_), Case::LowerEnd) => "(Set.left_mem_Icc.mpr (by nlinarith))".to_string(),
        (Some(_), Some(_), _) => "(Set.right_mem_Icc.mpr (by nlinarith))".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every identity a report prints is an exact identity of Laurent polynomials (read back
    /// with the front end's expression reader), for every proved statement of the extremum
    /// fixture.
    #[test]
    fn printed_identities_are_identities() {
        let src = include_str!("../../../tests/fixtures/numerics/Extremum.lean");
        let loaded = crate::front::project::load_text(src).unwrap();
        let mut checked = 0;
        for decl in crate::statement::theorems(&loaded) {
            let s = crate::statement::translate_loaded(&loaded, &decl).unwrap();
            let config = crate::check::CheckConfig {
                samples: 40,
                ..Default::default()
            };
            let Some(crate::check::Verdict::Proved {
                algebraic: Some(a), ..
            }) = crate::extremum::decide(&s, &config)
            else {
                continue;
            };
            // Names as the reader takes them (a norm `‖φ‖` is not a plain identifier).
            let mut names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
            names.extend(["y".to_string(), "t".to_string()]);
            let plain: Vec<String> = (0..names.len()).map(|i| format!("ξ{i}")).collect();
            let mut by_length: Vec<usize> = (0..names.len()).collect();
            by_length.sort_by_key(|&i| std::cmp::Reverse(names[i].len()));
            let ring = crate::poly::Ring { names: &plain };
            let poly = |text: &str| {
                let mut text = text.trim().to_string();
                for &i in &by_length {
                    text = text.replace(&names[i], &plain[i]);
                }
                let e = crate::front::elab_expression(&text, &plain)
                    .unwrap_or_else(|e| panic!("{decl}: `{text}`: {e}"));
                ring.poly(&e, &ring.identity_env(), &|_| true)
                    .unwrap_or_else(|| panic!("{decl}: `{text}` is not polynomial"))
            };
            for line in &a.identities {
                let body = line.split_once(": ").map_or(line.as_str(), |(c, rest)| {
                    if c.starts_with("if ") || c.contains(" ≥ ") || c.contains(" ≤ ") {
                        rest
                    } else {
                        line
                    }
                });
                if ["∈", "ranges", "extremum is at", "infimum", "supremum"]
                    .iter()
                    .any(|w| body.contains(w))
                {
                    continue;
                }
                let (l, r) = body.split_once(" = ").unwrap();
                assert_eq!(poly(l), poly(r), "{decl}: {line}");
                checked += 1;
            }
        }
        assert!(checked >= 15, "only {checked} identities checked");
    }

    #[test]
    fn subtracting_a_sum_keeps_its_sign() {
        assert_eq!(minus("y", "a - 1"), "y - (a - 1)");
        assert_eq!(minus("y", "-a + 1"), "y - (-a + 1)");
        assert_eq!(minus("y", "-μSq / (2 * 𝓵)"), "y + μSq / (2 * 𝓵)");
        assert_eq!(minus("y", "μSq / (2 * 𝓵)"), "y - μSq / (2 * 𝓵)");
        assert_eq!(minus("y", "0"), "y");
    }
}
