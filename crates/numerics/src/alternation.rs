//! Quantified subformulas decided exactly at a rational point of the claim's variables, so that
//! a claim whose hypotheses or conclusion alternate quantifiers (`IsBounded := ∃ c, ∀ φ, c ≤ V
//! φ`, `(∀ φ, 0 ≤ V φ) → …`) can be refuted at that point like any other.
//!
//! What is decided, and why each answer is a proof:
//! - one real variable, one level (`∀ y, …`, `∃ y, …`): exactly by Sturm sequences
//!   ([`crate::univariate::decide_single`]);
//! - `∃ c, ∀ ys, H → c ≤ f` ("f is bounded below where H holds"; `f ≤ c` bounded above):
//!   *false* when a curve `ys(t) = (t^w₁ d₁, …)` stays in the domain and makes every hypothesis
//!   true for all large `t` (each is a polynomial in `t`; its leading coefficient has the right
//!   sign, or it vanishes identically where equality is allowed) while `f(ys(t))` is a polynomial
//!   in `t` of positive degree with a negative leading coefficient: then `f` passes below every
//!   `c`; *true* when `f` minus its constant term is manifestly non-negative on the domain (every
//!   other term has a positive coefficient and is a square or a product of non-negative
//!   variables), or, over one real variable without hypotheses, when Sturm's test says the
//!   polynomial does not go to `-∞`;
//! - `∃ ε, 0 < ε ∧ ∀ ys, H → ε·g ≤ f` (`ε` affine in the goal): *false* when a curve keeps `H`
//!   while `ε·g - f` is eventually positive for every `ε > 0` (`f` falls, or vanishes along a
//!   flat direction where `g` grows, or vanishes faster than `g` towards the origin);
//! - `∀ ys, H → a ≤ b` with `b - a` manifestly non-negative (`<`: manifestly positive): *true*.
//!
//! A variable that occurs only in even powers stands for its square (`≥ 0`), so a direction with
//! an irrational `y` but a rational `y²` is a rational one; curves also try the directions where
//! the leading form vanishes (`flat`).
//!
//! Anything else stays undecided (`None`), never guessed: the caller's three-valued logic then
//! leaves the claim open at that point.

use std::collections::BTreeMap;

use rug::Rational;

use crate::core::{Expr, Prop, Rel, Ty, Var};
use crate::poly::{Poly, Ring};

/// The claim with every quantified subformula decided at `point` replaced by its truth; `None`
/// when none was decided.
pub(crate) fn resolve(p: &Prop, point: &BTreeMap<String, Rational>) -> Option<Prop> {
    let mut changed = false;
    let out = replace_quantified(p, &mut |q| {
        let b = decide(q, point)?;
        changed = true;
        Some(b)
    });
    changed.then_some(out)
}

/// `p` with each quantified subformula outside the others replaced by its truth where `decide`
/// gives one.
pub(crate) fn replace_quantified(p: &Prop, decide: &mut dyn FnMut(&Prop) -> Option<bool>) -> Prop {
    let mut rec = |q: &Prop| Box::new(replace_quantified(q, decide));
    match p {
        Prop::Forall(..) | Prop::Exists(..) => decide(p).map_or_else(|| p.clone(), Prop::Const),
        Prop::Not(a) => Prop::Not(rec(a)),
        Prop::And(a, b) => Prop::And(rec(a), rec(b)),
        Prop::Or(a, b) => Prop::Or(rec(a), rec(b)),
        Prop::Imp(a, b) => Prop::Imp(rec(a), rec(b)),
        Prop::Iff(a, b) => Prop::Iff(rec(a), rec(b)),
        Prop::Const(_) | Prop::Cmp(..) => p.clone(),
    }
}

/// Whether the claim has a quantifier below its top level (where `resolve` can help).
pub(crate) fn has_nested_quantifier(p: &Prop) -> bool {
    match p {
        Prop::Forall(..) | Prop::Exists(..) => true,
        Prop::Not(a) => has_nested_quantifier(a),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            has_nested_quantifier(a) || has_nested_quantifier(b)
        }
        Prop::Const(_) | Prop::Cmp(..) => false,
    }
}

/// One quantified subformula at the point.
fn decide(q: &Prop, point: &BTreeMap<String, Rational>) -> Option<bool> {
    if let Some(b) = crate::univariate::decide_single(q, point) {
        return Some(b);
    }
    match q {
        Prop::Exists(cs, body) => {
            let [c] = &cs[..] else { return None };
            bounded(c, body, point).or_else(|| coercive(c, body, point))
        }
        Prop::Forall(ys, body) => {
            let (problem, _) = Problem::of(ys, body, point, None)?;
            let (rel, a, b) = &problem.goal;
            // `a ≤ b` holds everywhere when `b - a` is manifestly non-negative.
            let (d, strict) = match *rel {
                Rel::Le => (b.sub(a), false),
                Rel::Lt => (b.sub(a), true),
                Rel::Ge => (a.sub(b), false),
                Rel::Gt => (a.sub(b), true),
                Rel::Eq | Rel::Ne => return None,
            };
            problem.manifestly_nonneg(&d, strict).then_some(true)
        }
        _ => None,
    }
}

/// A `∀ ys, H₁ → … → goal` at a point: the hypotheses and the goal's sides as polynomials in
/// `ys`.
struct Problem {
    ys: Vec<Var>,
    /// `h ⋈ 0` for each hypothesis (conjunctions flattened).
    hyps: Vec<(Poly, Rel)>,
    /// `a ⋈ b`.
    goal: (Rel, Poly, Poly),
}

impl Problem {
    /// The problem, and the goal's sides as expressions (to find a bound variable in them).
    /// Quantifiers further in join `ys` (`H → ∀ z, B` is `∀ z, H → B`: `z` is not free in `H`).
    /// `bound` (the `c` of `∃ c, ∀ ys, … c ≤ f`, the `ε` of `∃ ε > 0, …`) reads as the value
    /// given. A variable that occurs only in even powers stands for its square
    /// ([`Problem::squares_substituted`]).
    fn of(
        ys: &[Var],
        body: &Prop,
        point: &BTreeMap<String, Rational>,
        bound: Option<(&str, Rational)>,
    ) -> Option<(Problem, (Expr, Expr))> {
        let mut ys = ys.to_vec();
        let mut raw_hyps = Vec::new();
        let mut rest = body;
        loop {
            match rest {
                Prop::Imp(h, then) => {
                    raw_hyps.push(&**h);
                    rest = then;
                }
                Prop::Forall(more, then) => {
                    ys.extend(more.iter().cloned());
                    rest = then;
                }
                _ => break,
            }
        }
        let Prop::Cmp(rel, a, b) = rest else {
            return None;
        };
        if ys.iter().any(|y| !matches!(y.ty, Ty::Real | Ty::Rat)) {
            return None;
        }
        let names: Vec<String> = ys.iter().map(|y| y.name.clone()).collect();
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        if distinct.len() != names.len() || names.iter().any(|n| point.contains_key(n)) {
            // A shadowed name: which one a use means depends on where it is.
            return None;
        }
        let ring = Ring { names: &names };
        let mut env = ring.identity_env();
        for (k, v) in point {
            env.insert(k.clone(), Poly::constant(ring.n(), v.clone()));
        }
        if let Some((c, value)) = bound {
            env.insert(c.to_string(), Poly::constant(ring.n(), value));
        }
        let poly = |e: &Expr| ring.poly(e, &env, &|_| false);
        let mut hyps = Vec::new();
        for h in raw_hyps {
            push_hypothesis(h, &poly, &mut hyps)?;
        }
        let problem = Problem {
            ys,
            hyps,
            goal: (*rel, poly(a)?, poly(b)?),
        };
        Some((
            problem.signs_absorbed().squares_substituted(),
            (a.clone(), b.clone()),
        ))
    }

    /// Hypotheses `0 ≤ y` on a single variable made part of its domain (`∀ y, 0 ≤ y → P` is
    /// `∀ y ≥ 0, P`); strict ones stay hypotheses (`y > 0` is not the domain `y ≥ 0`).
    fn signs_absorbed(mut self) -> Problem {
        let n = self.ys.len();
        let ys = &mut self.ys;
        self.hyps.retain(|(h, rel)| {
            let sign = match rel {
                Rel::Le => Rational::from(-1),
                Rel::Ge => Rational::from(1),
                _ => return true,
            };
            let Some((e, c)) = h.as_term() else {
                return true;
            };
            let single = (0..n).find(|&i| e[i] == 1 && e.iter().filter(|k| **k != 0).count() == 1);
            match single {
                Some(i) if *c == sign => {
                    ys[i].nonneg = true;
                    false
                }
                _ => true,
            }
        });
        self
    }

    /// Each real variable that occurs only in even powers (in every hypothesis and the goal)
    /// replaced by its square, a variable `≥ 0`: `y ↦ y²` maps ℝ (and `[0, ∞)`) onto `[0, ∞)`, so the
    /// problem means the same, and a flat direction along which `y²` is rational but `y` is not
    /// becomes a rational one.
    fn squares_substituted(mut self) -> Problem {
        for i in 0..self.ys.len() {
            if self.ys[i].ty != Ty::Real {
                // A rational's square is not every rational `≥ 0`.
                continue;
            }
            let polys = self
                .hyps
                .iter()
                .map(|(h, _)| h)
                .chain([&self.goal.1, &self.goal.2]);
            let mut seen = false;
            let mut even = true;
            for p in polys {
                for (e, _) in p.terms() {
                    seen |= e[i] != 0;
                    even &= e[i] >= 0 && e[i] % 2 == 0;
                }
            }
            if !seen || !even {
                continue;
            }
            for (h, _) in &mut self.hyps {
                *h = halved(h, i);
            }
            self.goal.1 = halved(&self.goal.1, i);
            self.goal.2 = halved(&self.goal.2, i);
            self.ys[i].nonneg = true;
        }
        self
    }

    /// Whether `p ≥ 0` (`strict`: `p > 0`) at every point of the variables' domain: the constant
    /// term is `≥ 0` (`> 0`) and every other term has a positive coefficient and is non-negative
    /// wherever the variables may be (even powers, or powers of non-negative variables).
    fn manifestly_nonneg(&self, p: &Poly, strict: bool) -> bool {
        let mut constant = Rational::new();
        for (exps, c) in p.terms() {
            if exps.iter().all(|e| *e == 0) {
                constant = c.clone();
                continue;
            }
            let nonneg_monomial = exps
                .iter()
                .zip(&self.ys)
                .all(|(e, y)| *e >= 0 && (e % 2 == 0 || y.nonneg));
            if *c < 0 || !nonneg_monomial {
                return false;
            }
        }
        if strict { constant > 0 } else { constant >= 0 }
    }
}

/// `p` with the exponents of variable `i` halved (all even).
fn halved(p: &Poly, i: usize) -> Poly {
    let mut out = Poly::zero(p.n());
    for (e, c) in p.terms() {
        let mut e = e.clone();
        e[i] /= 2;
        out = out.add(&Poly::term(e, c.clone()));
    }
    out
}

/// A hypothesis `a ⋈ b` (or a conjunction of them) as `b - a ⋈' 0` entries.
fn push_hypothesis(
    h: &Prop,
    poly: &dyn Fn(&Expr) -> Option<Poly>,
    out: &mut Vec<(Poly, Rel)>,
) -> Option<()> {
    match h {
        Prop::And(a, b) => {
            push_hypothesis(a, poly, out)?;
            push_hypothesis(b, poly, out)
        }
        Prop::Const(true) => Some(()),
        Prop::Cmp(rel, a, b) => {
            // `a ⋈ b` is `a - b ⋈ 0`.
            out.push((poly(a)?.sub(&poly(b)?), *rel));
            Some(())
        }
        _ => None,
    }
}

/// `∃ c, ∀ ys, H → c ≤ f` (or `f ≥ c`, strict or not; `f ≤ c` for bounded above).
fn bounded(c: &Var, body: &Prop, point: &BTreeMap<String, Rational>) -> Option<bool> {
    if c.ty == Ty::Nat {
        // `∃ c : ℕ, c ≤ f` says `f ≥ 0`, not boundedness.
        return None;
    }
    let Prop::Forall(ys, inner) = body else {
        return None;
    };
    let (problem, (a, b)) = Problem::of(ys, inner, point, Some((&c.name, Rational::new())))?;
    let (rel, pa, pb) = &problem.goal;
    let is_c = |e: &Expr| matches!(e, Expr::Var(_, n) if *n == c.name);
    // The bound variable must be one side, alone, and nowhere else.
    let (below, f) = match (is_c(&a), is_c(&b), rel) {
        (true, false, Rel::Le | Rel::Lt) | (false, true, Rel::Ge | Rel::Gt) => {
            (true, if is_c(&a) { pb } else { pa })
        }
        (true, false, Rel::Ge | Rel::Gt) | (false, true, Rel::Le | Rel::Lt) => {
            (false, if is_c(&a) { pb } else { pa })
        }
        _ => return None,
    };
    if mentions(inner, &c.name, &a, &b) {
        return None;
    }
    let f = if below { f.clone() } else { f.neg() };
    if problem.manifestly_nonneg(&without_constant(&f), false) {
        return Some(true);
    }
    if let Some(answer) = univariate_bounded(&problem, &f) {
        return Some(answer);
    }
    crate::alternation::curves::unbounded_below(&problem.ys_info(), &problem.hyps, &f)
        .then_some(false)
}

/// `∃ ε, 0 < ε ∧ ∀ ys, H → ε·g ≤ f` (the goal affine in `ε`, in either direction, strict or not;
/// `H` free of `ε`): *false* when a curve keeps `H` while `ε·g - f` is eventually positive along it
/// for every `ε > 0` (`curves::not_coercive`), so that no `ε` works. Nothing else is decided.
fn coercive(e: &Var, body: &Prop, point: &BTreeMap<String, Rational>) -> Option<bool> {
    if !matches!(e.ty, Ty::Real | Ty::Rat) {
        return None;
    }
    let positive = |p: &Prop| match p {
        Prop::Cmp(Rel::Lt, Expr::Lit(_, z), Expr::Var(_, n))
        | Prop::Cmp(Rel::Gt, Expr::Var(_, n), Expr::Lit(_, z)) => *z == 0 && *n == e.name,
        _ => false,
    };
    let forall = match body {
        Prop::And(a, b) if positive(a) => b,
        Prop::And(a, b) if positive(b) => a,
        _ => return None,
    };
    let Prop::Forall(ys, inner) = &**forall else {
        return None;
    };
    if ys.iter().any(|y| y.name == e.name) {
        // A binder of the same name shadows `ε`.
        return None;
    }
    let at = |v: i64| Problem::of(ys, inner, point, Some((&e.name, Rational::from(v))));
    let (p0, p1, p2) = (at(0)?.0, at(1)?.0, at(2)?.0);
    if p0.hyps != p1.hyps || p0.ys != p1.ys || p1.ys != p2.ys {
        // `ε` in a hypothesis (or a different substitution): not this shape.
        return None;
    }
    let (d0, d1, d2) = (margin(&p0)?, margin(&p1)?, margin(&p2)?);
    // The goal is `D(ε) ≥ 0` (or `> 0`) with `D(ε) = f - ε g`, affine in `ε`.
    if d2.sub(&d1) != d1.sub(&d0) {
        return None;
    }
    let g = d0.sub(&d1);
    if g.is_zero() {
        return None;
    }
    curves::not_coercive(&p0.ys_info(), &p0.hyps, &d0, &g).then_some(false)
}

/// The goal `a ⋈ b` as the polynomial that must be non-negative (or positive): `b - a` for `≤`
/// and `<`, `a - b` for `≥` and `>`.
fn margin(p: &Problem) -> Option<Poly> {
    let (rel, a, b) = &p.goal;
    match rel {
        Rel::Le | Rel::Lt => Some(b.sub(a)),
        Rel::Ge | Rel::Gt => Some(a.sub(b)),
        Rel::Eq | Rel::Ne => None,
    }
}

/// Whether `c` appears anywhere but as the goal's bare side.
fn mentions(inner: &Prop, c: &str, a: &Expr, b: &Expr) -> bool {
    let mut p = inner;
    loop {
        match p {
            Prop::Imp(h, then) if !h.mentions(c) => p = then,
            // A binder of the same name shadows it: not the pattern.
            Prop::Forall(vs, then) if vs.iter().all(|v| v.name != c) => p = then,
            Prop::Imp(..) | Prop::Forall(..) => return true,
            _ => break,
        }
    }
    let bare = |e: &Expr| matches!(e, Expr::Var(_, n) if n == c);
    (!bare(a) && a.mentions(c)) || (!bare(b) && b.mentions(c))
}

/// `p` less its constant term.
fn without_constant(p: &Poly) -> Poly {
    let mut rest = Poly::zero(p.n());
    for (exps, c) in p.terms() {
        if exps.iter().any(|e| *e != 0) {
            rest = rest.add(&Poly::term(exps.clone(), c.clone()));
        }
    }
    rest
}

/// A polynomial in one variable as its coefficients, lowest degree first (`None` for a
/// negative power).
fn univariate_coefficients(p: &Poly) -> Option<Vec<Rational>> {
    let mut c = Vec::new();
    for (exps, q) in p.terms() {
        let k = usize::try_from(exps[0]).ok()?;
        if c.len() <= k {
            c.resize(k + 1, Rational::new());
        }
        c[k] = q.clone();
    }
    Some(c)
}

/// One real variable and no hypotheses: bounded below exactly when the polynomial does not go
/// to `-∞` at an end of its domain (a constant is bounded).
fn univariate_bounded(problem: &Problem, f: &Poly) -> Option<bool> {
    let [y] = &problem.ys[..] else { return None };
    if !problem.hyps.is_empty() {
        return None;
    }
    let u = crate::sturm::UPoly::from_coeffs(univariate_coefficients(f)?);
    if u.degree().unwrap_or(0) == 0 {
        return Some(true);
    }
    let span = crate::sturm::Span {
        lo: y.nonneg.then(|| (Rational::new(), false)),
        hi: None,
    };
    Some(!crate::sturm::unbounded_below(&u, &span))
}

impl Problem {
    fn ys_info(&self) -> Vec<curves::Domain> {
        self.ys
            .iter()
            .map(|y| curves::Domain { nonneg: y.nonneg })
            .collect()
    }
}

pub(crate) mod curves;
mod flat;

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(src: &str, decl: &str) -> Prop {
        crate::statement::translate(src, decl)
            .expect("translates")
            .claim
    }

    #[test]
    fn an_unstable_two_doublet_potential_is_unbounded() {
        let src = "import Mathlib\ntheorem t : ∃ c : ℝ, ∀ a b : ℝ, ∀ re im : ℝ, 0 ≤ a → 0 ≤ b → \
                   re ^ 2 + im ^ 2 ≤ a ^ 2 * b ^ 2 → \
                   c ≤ 1 / 2 * a ^ 4 + 1 / 2 * b ^ 4 + 2 * (re * re - im * im) := by sorry\n";
        let p = claim(src, "t");
        eprintln!("{p}");
        assert_eq!(resolve(&p, &BTreeMap::new()), Some(Prop::Const(false)));
    }

    fn decided(src: &str) -> Option<bool> {
        let p = claim(
            &format!("import Mathlib\ntheorem t : {src} := by sorry\n"),
            "t",
        );
        match resolve(&p, &BTreeMap::new()) {
            Some(Prop::Const(b)) => Some(b),
            _ => None,
        }
    }

    #[test]
    fn a_flat_direction_with_an_irrational_field_ratio_is_found_through_squares() {
        // 2a⁴ + b⁴/2 - 2a²b² = 2(a² - b²/2)² vanishes where b = √2 a; the mass term -a² falls
        // there. `a`, `b` occur only squared: in `A = a²`, `B = b²` the direction is rational.
        assert_eq!(
            decided("∃ c : ℝ, ∀ a b : ℝ, c ≤ -a ^ 2 + 2 * a ^ 4 + b ^ 4 / 2 - 2 * a ^ 2 * b ^ 2"),
            Some(false)
        );
        // `+a²` rises along the same direction: not refuted (and not decided true either).
        assert_eq!(
            decided("∃ c : ℝ, ∀ a b : ℝ, c ≤ a ^ 2 + 2 * a ^ 4 + b ^ 4 / 2 - 2 * a ^ 2 * b ^ 2"),
            None
        );
        // Over ℚ a square is not every rational ≥ 0: the direction needs √2, so not decided.
        assert_eq!(
            decided("∃ c : ℚ, ∀ a b : ℚ, c ≤ -a ^ 2 + 2 * a ^ 4 + b ^ 4 / 2 - 2 * a ^ 2 * b ^ 2"),
            None
        );
        // A sign hypothesis is the variable's domain: `0 ≤ a → …` is over `a ≥ 0`.
        assert_eq!(
            decided(
                "∃ c : ℝ, ∀ a b : ℝ, 0 ≤ a → 0 ≤ b → c ≤ -a ^ 2 + 2 * a ^ 4 + b ^ 4 / 2 - 2 * a ^ 2 * b ^ 2"
            ),
            Some(false)
        );
    }

    #[test]
    fn no_positive_epsilon_is_shown_along_curves() {
        // (x - y)² on the quadrant vanishes along x = y, where (x + y)² grows.
        let flat =
            "∃ ε > 0, ∀ x y : ℝ, 0 ≤ x → 0 ≤ y → ε * (x + y) ^ 2 ≤ x ^ 2 - 2 * (x * y) + y ^ 2";
        assert_eq!(decided(flat), Some(false));
        // Near 0, x⁴ falls below every ε x²; `ε ≤ x` fails for small x > 0.
        assert_eq!(decided("∃ ε > 0, ∀ x : ℝ, ε * x ^ 2 ≤ x ^ 4"), Some(false));
        assert_eq!(
            decided("∃ ε : ℝ, 0 < ε ∧ ∀ x : ℝ, 0 < x → ε ≤ x"),
            Some(false)
        );
        // True ones are left undecided, never refuted.
        for src in [
            "∃ ε > 0, ∀ x y : ℝ, 0 ≤ x → 0 ≤ y → ε * (x + y) ^ 2 ≤ x ^ 2 - x * y + y ^ 2",
            "∃ ε > 0, ∀ x : ℝ, ε * x ^ 2 ≤ x ^ 2 + x ^ 4",
            "∃ ε > 0, ∀ x y : ℝ, ε * (x - y) ^ 2 ≤ (x - y) ^ 2 + (x - y) ^ 4",
            "∃ ε > 0, ∀ x : ℝ, ε ≤ x ^ 2 + 1",
        ] {
            assert_eq!(decided(src), None, "{src}");
        }
    }
}
