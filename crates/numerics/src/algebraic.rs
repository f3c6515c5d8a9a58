//! Algebraic certificates for polynomial claims, where interval bisection cannot close: a bound
//! attained at a point (`-μ⁴/(4λ) ≤ V(x)`, equality at `x = μ²/(2λ)`) leaves every box around
//! that point undecided. Here the difference `rhs - lhs` becomes an exact Laurent polynomial
//! ([`crate::poly`]) and is written as a sum of parts that are non-negative by construction:
//! `A · (x + B/(2A))²` with a monomial `A > 0` (completing the square in one variable, then
//! recursing on the remainder `C - B²/(4A)`), and monomials whose sign follows from the signs of
//! their variables. The signs come from the hypotheses (`0 < 𝓵`, `μSq ≤ 0`), from norms, and —
//! only if that is not enough — from the box. The decomposition is then expanded again and
//! compared with the difference coefficient by coefficient, so nothing rests on floating point.
//! Equalities are proved when the difference is the zero polynomial.

use std::collections::BTreeMap;

use rug::Rational;
use serde::Serialize;

use crate::core::{Expr, Prop, Rel, Ty};
use crate::poly::{Poly, Ring};
use crate::statement::Statement;

/// An algebraic proof, for the report and for Lean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Algebraic {
    /// `completed square`, `sum of non-negative terms` or `polynomial identity`.
    pub kind: String,
    /// Where the proof holds: wherever the hypotheses hold, or on the checked box.
    pub scope: &'static str,
    /// Each proved comparison as `rhs - lhs = decomposition`, exact, in Lean syntax.
    pub identities: Vec<String>,
    /// A tactic call to try in Lean.
    pub lean_hint: String,
    /// For `IsMinOn`/`IsMaxOn` claims proved by `vertex` or `univariate`: the proof's data,
    /// which `numerics recheck` re-checks from a certificate.
    #[serde(skip)]
    pub extremum: Option<Box<crate::vertex::ExtremumProof>>,
}

// Sign sets as bit masks: which of negative, zero, positive a quantity may be.
const NEG: u8 = 1;
const ZERO: u8 = 2;
const POS: u8 = 4;
const ANY: u8 = NEG | ZERO | POS;

fn sign_product(a: u8, b: u8) -> u8 {
    let mut out = 0;
    for x in [NEG, ZERO, POS] {
        for y in [NEG, ZERO, POS] {
            if a & x != 0 && b & y != 0 {
                out |= if x == ZERO || y == ZERO {
                    ZERO
                } else if x == y {
                    POS
                } else {
                    NEG
                };
            }
        }
    }
    out
}

/// The signs of `v^k` (and of `v^-k`, for a non-zero `v`): an even power of the same number is
/// never negative, which a product of independent signs would not know.
fn sign_power(a: u8, k: i32) -> u8 {
    if k == 0 {
        POS
    } else if k % 2 != 0 {
        a
    } else {
        (if a & ZERO != 0 { ZERO } else { 0 }) | (if a & (NEG | POS) != 0 { POS } else { 0 })
    }
}

/// What is known about each variable's sign, and which hypotheses say so.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    masks: Vec<u8>,
    names: Vec<Vec<String>>,
    /// Hypotheses `a ≤ b` (or `<`) as `b - a ≥ 0` (`> 0` when strict), with their names.
    atoms: Vec<(Poly, bool, Option<String>)>,
}

impl Facts {
    /// The facts of norms (non-negative) and of the statement's leading hypotheses, over the
    /// variables `names`.
    pub(crate) fn of_hypotheses(s: &Statement, names: &[String]) -> Facts {
        let mut facts = base_facts(s, names);
        let index: BTreeMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut p = &s.claim;
        for name in &s.hypotheses {
            let Prop::Imp(h, rest) = p else { break };
            facts.assume(h, &index, Some(name));
            p = rest;
        }
        facts
    }

    /// [`Facts::of_hypotheses`] with the hypotheses' inequalities as atoms too (`a ≤ 2`,
    /// `μSq / (2 * 𝓵) ≤ 1`), which [`sign_of`] combines linearly.
    pub(crate) fn with_hypothesis_atoms(s: &Statement, names: &[String]) -> Facts {
        let mut facts = Facts::of_hypotheses(s, names);
        let prover = Prover::new(names, &s.hypotheses);
        let mut p = &s.claim;
        for name in &s.hypotheses {
            let Prop::Imp(h, rest) = p else { break };
            prover.atoms(h, &mut facts, Some(name));
            p = rest;
        }
        facts
    }

    /// From a single-term atom `c · Π vⱼ^eⱼ ≥ 0` (`> 0` when `strict`) whose factors all have
    /// one known sign but one variable of odd exponent, that variable's sign.
    fn sign_from_term(&mut self, h: &Poly, strict: bool) {
        let Some((e, c)) = h.as_term() else { return };
        let unknown: Vec<usize> = (0..e.len())
            .filter(|&i| e[i] % 2 != 0 && !matches!(self.masks[i], NEG | POS))
            .collect();
        let [v] = unknown[..] else { return };
        let mut known = if *c > 0 { POS } else { NEG };
        for (i, &k) in e.iter().enumerate() {
            if i != v {
                if k < 0 && !self.nonzero(i) {
                    return;
                }
                known = sign_product(known, sign_power(self.masks[i], k));
            }
        }
        if k_is_negative_and_zero_possible(e[v], self.masks[v]) {
            return;
        }
        let atom = if strict { POS } else { POS | ZERO };
        let mask = match known {
            POS => atom,
            NEG => sign_product(atom, NEG),
            _ => return,
        };
        self.masks[v] &= mask;
    }

    pub(crate) fn nonzero(&self, i: usize) -> bool {
        self.masks[i] & ZERO == 0
    }

    /// The possible signs of one term (`None` for a divisor that may be 0).
    fn term_sign(&self, e: &[i32], c: &Rational) -> Option<u8> {
        let mut s = if *c > 0 { POS } else { NEG };
        for (i, &k) in e.iter().enumerate() {
            if k < 0 && !self.nonzero(i) {
                return None;
            }
            s = sign_product(s, sign_power(self.masks[i], k));
        }
        Some(s)
    }

    /// Refines the facts by a hypothesis of the form `v ⋈ 0` or `0 ⋈ v` (others are dropped:
    /// proving the conclusion without a hypothesis proves the implication).
    fn assume(&mut self, h: &Prop, index: &BTreeMap<&str, usize>, name: Option<&String>) {
        match h {
            Prop::And(a, b) => {
                self.assume(a, index, name);
                self.assume(b, index, name);
            }
            Prop::Cmp(rel, l, r) => {
                let (var, rel, c) = match (variable(l, index), variable(r, index)) {
                    (Some(i), None) => match literal(r) {
                        Some(c) => (i, *rel, c),
                        None => return,
                    },
                    (None, Some(i)) => match literal(l) {
                        Some(c) => (i, flip(*rel), c),
                        None => return,
                    },
                    _ => return,
                };
                let mask = sign_of_bound(rel, &c);
                if mask == ANY {
                    return;
                }
                self.masks[var] &= mask;
                if let Some(n) = name {
                    self.names[var].push(n.clone());
                }
            }
            _ => {}
        }
    }
}

fn variable(e: &Expr, index: &BTreeMap<&str, usize>) -> Option<usize> {
    match e {
        Expr::Var(_, name) => index.get(name.as_str()).copied(),
        Expr::Cast(_, _, a) => variable(a, index),
        _ => None,
    }
}

/// `v^k` with `k < 0` is only defined (as a Laurent term) for `v ≠ 0`.
fn k_is_negative_and_zero_possible(k: i32, mask: u8) -> bool {
    k < 0 && mask & ZERO != 0
}

/// The first `max a b` / `min a b` of `e`, as the two cases Lean's definition splits into:
/// `(e with a, b ≤ a)` and `(e with b, a < b)` for `max`; `(e with a, a ≤ b)` and
/// `(e with b, b < a)` for `min`. Each condition is `(lhs, rel, rhs)`.
#[allow(clippy::type_complexity)]
fn split_extremum(e: &Expr) -> Option<[(Expr, (Expr, Rel, Expr)); 2]> {
    fn first(e: &Expr) -> Option<&Expr> {
        match e {
            Expr::Min(..) | Expr::Max(..) => Some(e),
            // The branches of `if` are not both evaluated: not split through.
            Expr::Ite(..) => None,
            _ => e.children().into_iter().find_map(first),
        }
    }
    // Every occurrence of the same `max a b` is the same value: all are replaced together
    // (a definition unfolded at a `max` argument repeats it).
    fn replace(e: &Expr, target: &Expr, with: &Expr) -> Expr {
        if e == target {
            return with.clone();
        }
        e.map_children(|c| replace(c, target, with))
    }
    let target = first(e)?;
    let (a, b, max) = match target {
        Expr::Max(_, a, b) => (a.as_ref(), b.as_ref(), true),
        Expr::Min(_, a, b) => (a.as_ref(), b.as_ref(), false),
        _ => unreachable!("found above"),
    };
    Some(if max {
        [
            (replace(e, target, a), (b.clone(), Rel::Le, a.clone())),
            (replace(e, target, b), (a.clone(), Rel::Lt, b.clone())),
        ]
    } else {
        [
            (replace(e, target, a), (a.clone(), Rel::Le, b.clone())),
            (replace(e, target, b), (b.clone(), Rel::Lt, a.clone())),
        ]
    })
}

/// A numeral, possibly negated.
fn literal(e: &Expr) -> Option<Rational> {
    match e {
        Expr::Lit(_, q) => Some(q.clone()),
        Expr::Neg(_, a) => literal(a).map(|q| -q),
        Expr::Cast(_, _, a) => literal(a),
        _ => None,
    }
}

/// The signs `v` may have when `v ⋈ c`.
fn sign_of_bound(rel: Rel, c: &Rational) -> u8 {
    let zero = Rational::from(0);
    match rel {
        Rel::Lt if *c <= zero => NEG,
        Rel::Le if *c < zero => NEG,
        Rel::Le if *c == zero => NEG | ZERO,
        Rel::Gt if *c >= zero => POS,
        Rel::Ge if *c > zero => POS,
        Rel::Ge if *c == zero => POS | ZERO,
        Rel::Eq if *c > zero => POS,
        Rel::Eq if *c < zero => NEG,
        Rel::Eq => ZERO,
        Rel::Ne if *c == zero => NEG | POS,
        _ => ANY,
    }
}

fn flip(r: Rel) -> Rel {
    match r {
        Rel::Lt => Rel::Gt,
        Rel::Le => Rel::Ge,
        Rel::Gt => Rel::Lt,
        Rel::Ge => Rel::Le,
        other => other,
    }
}

/// One non-negative part of a decomposition.
#[derive(Debug, Clone)]
enum Part {
    /// `coef · (xᵥ + shift)²` with `coef` a positive monomial.
    Square { coef: Poly, var: usize, shift: Poly },
    /// A monomial that is non-negative by the signs of its variables.
    Term(Poly),
    /// `λ · H` for a hypothesis `H ≥ 0` (atom `index`) and a rational `λ > 0`.
    Hypothesis { lambda: Rational, index: usize },
}

impl Part {
    fn expand(&self, n: usize, facts: &Facts) -> Poly {
        match self {
            Part::Square { coef, var, shift } => coef.mul(&Poly::var(n, *var).add(shift).pow(2)),
            Part::Term(t) => t.clone(),
            Part::Hypothesis { lambda, index } => facts.atoms[*index].0.scale(lambda),
        }
    }
}

/// `p = Σ parts` with every part non-negative; `true` when one part is strictly positive.
fn decompose(p: &Poly, facts: &Facts, depth: usize) -> Option<(Vec<Part>, bool)> {
    if p.is_zero() {
        return Some((Vec::new(), false));
    }
    let signs: Option<Vec<u8>> = p.terms().map(|(e, c)| facts.term_sign(e, c)).collect();
    if let Some(signs) = signs {
        if signs.iter().all(|s| s & NEG == 0) {
            let strict = signs.contains(&POS);
            return Some((
                p.split_terms().into_iter().map(Part::Term).collect(),
                strict,
            ));
        }
    }
    if depth == 0 {
        return None;
    }
    // The last variables first: a statement's own variable (`x`, or the `y` of an `IsMinOn`)
    // comes after its parameters, and completing the square in it reads as physics does.
    let n = facts.masks.len();
    for var in (0..n).rev() {
        if p.degree_range(var) != (0, 2) && p.degree_range(var) != (1, 2) {
            continue;
        }
        let a = p.coefficient(var, 2);
        let Some((e, c)) = a.as_term() else { continue };
        if facts.term_sign(e, c) != Some(POS) {
            continue;
        }
        let inverse = a.inverse_term()?;
        let b = p.coefficient(var, 1);
        let shift = b.mul(&inverse).scale(&Rational::from((1, 2)));
        let rest = p
            .coefficient(var, 0)
            .sub(&b.mul(&b).mul(&inverse).scale(&Rational::from((1, 4))));
        if let Some((mut parts, strict)) = decompose(&rest, facts, depth - 1) {
            parts.insert(
                0,
                Part::Square {
                    coef: a.clone(),
                    var,
                    shift,
                },
            );
            return Some((parts, strict));
        }
    }
    // A positive multiple of a hypothesis `H ≥ 0` that cancels one of `p`'s terms (linear
    // consequences of the hypotheses, as `linarith` finds them).
    for (index, (h, strict_h, _)) in facts.atoms.iter().enumerate() {
        for (e, ch) in h.terms() {
            let Some(cp) = p.terms().find(|(ep, _)| *ep == e).map(|(_, c)| c.clone()) else {
                continue;
            };
            let lambda = cp / ch.clone();
            if lambda <= 0 {
                continue;
            }
            let rest = p.sub(&h.scale(&lambda));
            if let Some((mut parts, strict)) = decompose(&rest, facts, depth - 1) {
                parts.push(Part::Hypothesis { lambda, index });
                return Some((parts, strict || *strict_h));
            }
        }
    }
    None
}

/// One proved comparison.
struct Link {
    /// For an identity: the two sides as written.
    sides: Option<(String, String)>,
    difference: Poly,
    parts: Vec<Part>,
    identity: bool,
    /// The facts in force where it was proved (for the hypotheses' names).
    facts: Facts,
}

struct Prover<'a> {
    ring: Ring<'a>,
    index: BTreeMap<&'a str, usize>,
    hypotheses: &'a [String],
    links: Vec<Link>,
}

impl<'a> Prover<'a> {
    fn new(names: &'a [String], hypotheses: &'a [String]) -> Prover<'a> {
        Prover {
            ring: Ring { names },
            index: names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect(),
            hypotheses,
            links: Vec::new(),
        }
    }

    /// Whether `p` holds at every point where `facts` hold; `hyp` counts the statement's own
    /// hypotheses along the top-level chain of `→`, so their names reach the Lean hint.
    fn prop(&mut self, p: &Prop, facts: &Facts, hyp: Option<usize>) -> bool {
        match p {
            Prop::Const(b) => *b,
            Prop::Imp(h, rest) => {
                let mut inner = facts.clone();
                let name = hyp.and_then(|k| self.hypotheses.get(k));
                inner.assume(h, &self.index, name);
                self.atoms(h, &mut inner, name);
                self.prop(rest, &inner, hyp.map(|k| k + 1))
            }
            Prop::And(a, b) => self.prop(a, facts, None) && self.prop(b, facts, None),
            Prop::Or(a, b) => {
                let saved = self.links.len();
                if self.prop(a, facts, None) {
                    return true;
                }
                self.links.truncate(saved);
                self.prop(b, facts, None)
            }
            // Proving the body for all values of its variables proves the `∀`; an outer fact
            // about a shadowed name must not leak in.
            Prop::Forall(vars, body) => {
                let mut inner = facts.clone();
                for v in vars {
                    if let Some(&i) = self.index.get(v.name.as_str()) {
                        inner.masks[i] = base_mask(v);
                        inner.names[i].clear();
                    }
                }
                self.prop(body, &inner, None)
            }
            Prop::Cmp(rel, l, r) => self.link(l, *rel, r, facts),
            Prop::Not(_) | Prop::Iff(..) | Prop::Exists(..) => false,
        }
    }

    /// The inequalities of hypothesis `h` as polynomial atoms `H ≥ 0` / `H > 0`.
    fn atoms(&self, h: &Prop, facts: &mut Facts, name: Option<&String>) {
        match h {
            Prop::And(a, b) => {
                self.atoms(a, facts, name);
                self.atoms(b, facts, name);
            }
            Prop::Cmp(rel, l, r) => {
                let env = self.ring.identity_env();
                let snapshot = facts.clone();
                let nonzero = |i: usize| snapshot.nonzero(i);
                let (Some(l), Some(r)) = (
                    self.ring.poly(l, &env, &nonzero),
                    self.ring.poly(r, &env, &nonzero),
                ) else {
                    return;
                };
                let atom = match rel {
                    Rel::Le => (r.sub(&l), false),
                    Rel::Lt => (r.sub(&l), true),
                    Rel::Ge => (l.sub(&r), false),
                    Rel::Gt => (l.sub(&r), true),
                    Rel::Eq | Rel::Ne => return,
                };
                if !atom.0.is_zero() {
                    facts.sign_from_term(&atom.0, atom.1);
                    facts.atoms.push((atom.0, atom.1, name.cloned()));
                }
            }
            _ => {}
        }
    }

    fn link(&mut self, l: &Expr, rel: Rel, r: &Expr, facts: &Facts) -> bool {
        // `max`/`min`: prove the comparison in both of Lean's cases.
        let split = split_extremum(l)
            .map(|cases| cases.map(|(x, c)| (x, r.clone(), c)))
            .or_else(|| split_extremum(r).map(|cases| cases.map(|(x, c)| (l.clone(), x, c))));
        if let Some(cases) = split {
            return cases.into_iter().all(|(l, r, (a, cond, b))| {
                let condition = Prop::Cmp(cond, a, b);
                let mut inner = facts.clone();
                inner.assume(&condition, &self.index, None);
                self.atoms(&condition, &mut inner, None);
                self.link(&l, rel, &r, &inner)
            });
        }
        let env = self.ring.identity_env();
        let nonzero = |i: usize| facts.nonzero(i);
        let (Some(lp), Some(rp)) = (
            self.ring.poly(l, &env, &nonzero),
            self.ring.poly(r, &env, &nonzero),
        ) else {
            return false;
        };
        let (difference, strict) = match rel {
            Rel::Le => (rp.sub(&lp), false),
            Rel::Lt => (rp.sub(&lp), true),
            Rel::Ge => (lp.sub(&rp), false),
            Rel::Gt => (lp.sub(&rp), true),
            Rel::Eq => {
                let ok = lp == rp;
                if ok {
                    self.links.push(Link {
                        sides: Some((l.to_string(), r.to_string())),
                        difference: lp.clone(),
                        parts: Vec::new(),
                        identity: true,
                        facts: facts.clone(),
                    });
                }
                return ok;
            }
            Rel::Ne => return false,
        };
        let Some((parts, positive)) = decompose(&difference, facts, self.ring.n()) else {
            return false;
        };
        if strict && !positive {
            return false;
        }
        // The decomposition is re-expanded and compared exactly: the proof is the identity.
        let n = self.ring.n();
        let expanded = parts
            .iter()
            .fold(Poly::zero(n), |acc, part| acc.add(&part.expand(n, facts)));
        if expanded != difference {
            return false;
        }
        self.links.push(Link {
            sides: None,
            difference,
            parts,
            identity: false,
            facts: facts.clone(),
        });
        true
    }
}

/// Names as Lean can write them: the checker's fresh `y1✝` becomes `y`.
pub(crate) fn display_names(names: &[String]) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            if let Some(stem) = n.strip_suffix('✝') {
                let base = stem.trim_end_matches(|c: char| c.is_ascii_digit());
                if !names.iter().any(|m| m == base) {
                    return base.to_string();
                }
                return stem.to_string();
            }
            n.clone()
        })
        .collect()
}

/// The scope of a certificate that only uses the hypotheses.
pub(crate) const GLOBAL_SCOPE: &str = "every real point where the hypotheses hold";
/// The scope of one that also used the signs the box gives the variables.
pub(crate) const BOX_SCOPE: &str = "the box";

/// Tries to prove `s` algebraically; `bx` supplies signs when the hypotheses do not.
pub fn prove(s: &Statement, bx: &[(String, Rational, Rational)]) -> Option<Algebraic> {
    let mut names: Vec<String> = s.vars.iter().map(|v| v.name.clone()).collect();
    collect_bound(&s.claim, &mut names);
    let base = base_facts(s, &names);
    let mut boxed = base.clone();
    for (name, lo, hi) in bx {
        if let Some(i) = names.iter().position(|n| n == name) {
            let mut m = ANY;
            if *lo > 0 {
                m &= POS;
            } else if *lo == 0 {
                m &= POS | ZERO;
            }
            if *hi < 0 {
                m &= NEG;
            } else if *hi == 0 {
                m &= NEG | ZERO;
            }
            boxed.masks[i] &= m;
        }
    }
    for (facts, scope) in [(base, GLOBAL_SCOPE), (boxed, BOX_SCOPE)] {
        let mut prover = Prover::new(&names, &s.hypotheses);
        if prover.prop(&s.claim, &facts, Some(0)) && !prover.links.is_empty() {
            return Some(report(&prover.links, &names, scope));
        }
    }
    None
}

/// What a variable's type says about its sign: norms and natural numbers are `≥ 0`.
fn base_mask(v: &crate::core::Var) -> u8 {
    if v.nonneg || v.ty == Ty::Nat {
        POS | ZERO
    } else {
        ANY
    }
}

fn base_facts(s: &Statement, names: &[String]) -> Facts {
    let mut bound = Vec::new();
    collect_bound_vars(&s.claim, &mut bound);
    Facts {
        masks: names
            .iter()
            .map(|n| {
                s.vars
                    .iter()
                    .chain(bound.iter())
                    .find(|v| &v.name == n)
                    .map_or(ANY, base_mask)
            })
            .collect(),
        names: vec![Vec::new(); names.len()],
        atoms: Vec::new(),
    }
}

/// Whether `p ≥ 0` follows from `facts` (`Some(true)`: `p > 0`), by the decomposition above.
pub(crate) fn sign_of(p: &Poly, facts: &Facts) -> Option<bool> {
    decompose(p, facts, facts.masks.len()).map(|(_, strict)| strict)
}

/// `Π xᵢ^eᵢ` with coefficient 1.
fn monomial_of(e: &[i32]) -> Poly {
    let n = e.len();
    e.iter()
        .enumerate()
        .fold(Poly::constant(n, Rational::from(1)), |acc, (i, k)| {
            acc.mul(&Poly::var(n, i).pow(*k as u32))
        })
}

/// Variables bound by nested quantifiers, with their types.
fn collect_bound_vars(p: &Prop, out: &mut Vec<crate::core::Var>) {
    match p {
        Prop::Forall(vs, body) | Prop::Exists(vs, body) => {
            out.extend(vs.iter().cloned());
            collect_bound_vars(body, out);
        }
        Prop::Not(a) => collect_bound_vars(a, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            collect_bound_vars(a, out);
            collect_bound_vars(b, out);
        }
        Prop::Const(_) | Prop::Cmp(..) => {}
    }
}

/// Variables bound by nested `∀` (they become polynomial variables too).
fn collect_bound(p: &Prop, out: &mut Vec<String>) {
    match p {
        Prop::Forall(vs, body) => {
            for v in vs {
                if !out.contains(&v.name) {
                    out.push(v.name.clone());
                }
            }
            collect_bound(body, out);
        }
        Prop::Not(a) | Prop::Exists(_, a) => collect_bound(a, out),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            collect_bound(a, out);
            collect_bound(b, out);
        }
        _ => {}
    }
}

/// What kinds of fact a certificate's links use: they name it, and all but plain identities
/// need `nlinarith`.
#[derive(Default)]
struct Uses {
    squares: bool,
    terms: bool,
    combination: bool,
}

/// Adds a fact for `nlinarith` unless it is there already.
fn push_hint(hints: &mut Vec<String>, h: String) {
    if !hints.contains(&h) {
        hints.push(h);
    }
}

fn report(links: &[Link], names: &[String], scope: &'static str) -> Algebraic {
    let shown = display_names(names);
    let mut identities = Vec::new();
    let mut hints: Vec<String> = Vec::new();
    let mut uses = Uses::default();
    for link in links {
        if link.identity {
            // An identity is its own certificate: both sides expand to one polynomial.
            if let Some((l, r)) = &link.sides {
                identities.push(format!(
                    "{l} = {r}  (both sides expand to {})",
                    link.difference.lean(&shown)
                ));
            }
            continue;
        }
        let mut parts_text = Vec::new();
        for part in &link.parts {
            parts_text.push(part_text(part, &link.facts, &shown, &mut uses, &mut hints));
        }
        let rhs = if parts_text.is_empty() {
            "0".to_string()
        } else {
            let mut out = String::new();
            for (k, part) in parts_text.iter().enumerate() {
                match (k, part.strip_prefix('-')) {
                    (0, _) => out.push_str(part),
                    (_, Some(rest)) => out.push_str(&format!(" - {rest}")),
                    (_, None) => out.push_str(&format!(" + {part}")),
                }
            }
            out
        };
        identities.push(format!("{} = {rhs}", link.difference.lean(&shown)));
    }
    let kind = match (uses.squares, uses.combination, uses.terms) {
        (true, _, _) => "completed square",
        (false, true, _) => "non-negative combination of the hypotheses",
        (false, false, true) => "sum of non-negative terms",
        (false, false, false) => "polynomial identity",
    };
    let lean_hint = if uses.squares || uses.terms || uses.combination {
        format!("nlinarith [{}]", hints.join(", "))
    } else {
        "field_simp; ring".to_string()
    };
    Algebraic {
        kind: kind.to_string(),
        scope,
        identities,
        lean_hint,
        extremum: None,
    }
}

/// One non-negative part of a decomposition as Lean text, with the facts `nlinarith` needs
/// for it added to `hints`.
fn part_text(
    part: &Part,
    facts: &Facts,
    shown: &[String],
    uses: &mut Uses,
    hints: &mut Vec<String>,
) -> String {
    let n = shown.len();
    match part {
        Part::Square { coef, var, shift } => {
            uses.squares = true;
            square_text(coef, *var, shift, facts, shown, hints)
        }
        Part::Hypothesis { lambda, index } => {
            uses.combination = true;
            let (h, _, name) = &facts.atoms[*index];
            let one = Rational::from(1);
            let text = if *lambda == one {
                format!("({})", h.lean(shown))
            } else {
                let lambda = Poly::constant(n, lambda.clone()).lean(shown);
                format!("{lambda} * ({})", h.lean(shown))
            };
            if let Some(name) = name {
                push_hint(hints, name.clone());
            }
            text
        }
        Part::Term(t) => {
            uses.terms = true;
            let text = t.lean(shown);
            // An even monomial is a square: `sq_nonneg (a * b ^ 2)` for `a² b⁴`.
            if let Some((e, _)) = t.as_term() {
                if e.iter().all(|k| *k >= 0 && k % 2 == 0) && e.iter().any(|k| *k > 0) {
                    let half: Vec<i32> = e.iter().map(|k| k / 2).collect();
                    let root = monomial_of(&half);
                    push_hint(hints, format!("sq_nonneg ({})", root.lean(shown)));
                }
            }
            if let Some((e, _)) = t.as_term() {
                for (i, k) in e.iter().enumerate() {
                    if k % 2 != 0 {
                        for h in &facts.names[i] {
                            push_hint(hints, h.clone());
                        }
                    }
                }
            }
            text
        }
    }
}

/// `A · (x + c)²` as Lean text, with `sq_nonneg (x + c)` (and `mul_nonneg` with the named
/// hypothesis `0 < v` or `0 ≤ v` when `A = v`) added to `hints`.
fn square_text(
    coef: &Poly,
    var: usize,
    shift: &Poly,
    facts: &Facts,
    shown: &[String],
    hints: &mut Vec<String>,
) -> String {
    let s = match shift.lean(shown) {
        t if t == "0" => shown[var].clone(),
        t => match t.strip_prefix('-') {
            Some(rest) => format!("{} - {rest}", shown[var]),
            None => format!("{} + {t}", shown[var]),
        },
    };
    let sq = format!("sq_nonneg ({s})");
    let one = Poly::constant(shown.len(), Rational::from(1));
    let text = if *coef == one {
        format!("({s}) ^ 2")
    } else {
        format!("{} * ({s}) ^ 2", coef.lean(shown))
    };
    push_hint(hints, sq.clone());
    // `A = c · v` with `0 < v` (or `0 ≤ v`) from a named hypothesis.
    if let Some((e, _)) = coef.as_term() {
        let vars: Vec<usize> = (0..e.len()).filter(|&i| e[i] != 0).collect();
        if let [v] = vars[..] {
            if e[v] == 1 {
                if let Some(h) = facts.names[v].first() {
                    let proof = if facts.masks[v] == POS {
                        format!("{h}.le")
                    } else {
                        h.clone()
                    };
                    push_hint(hints, format!("mul_nonneg {proof} ({sq})"));
                }
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIGGS: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem bound (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) : -μSq ^ 2 / (4 * 𝓵) ≤ radial μSq 𝓵 x := by sorry
theorem no_hyp (μSq 𝓵 x : ℝ) (h𝓵 : 𝓵 ≠ 0) : -μSq ^ 2 / (4 * 𝓵) ≤ radial μSq 𝓵 x := by sorry
theorem minimum (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) : IsMinOn (radial μSq 𝓵) Set.univ (μSq / (2 * 𝓵)) := by sorry
theorem ident (μSq 𝓵 x : ℝ) : 4 * 𝓵 * radial μSq 𝓵 x = (2 * 𝓵 * x - μSq) ^ 2 - μSq ^ 2 := by sorry
theorem pos (x : ℝ) : 0 < x ^ 2 + 1 := by sorry
theorem cross (a b : ℝ) : 2 * a * b ≤ a ^ 2 + b ^ 2 := by sorry
theorem wrong (a b : ℝ) : 3 * a * b ≤ a ^ 2 + b ^ 2 := by sorry
theorem diag (l₁ l₂ l₃ : ℝ) (h : l₁ + l₂ + 2 * l₃ < 0) : l₁ / 2 * 1 ^ 2 + l₂ / 2 * 1 ^ 2 + l₃ * 1 * 1 < 0 := by sorry
theorem diag_weak (l₁ l₂ l₃ : ℝ) (h : l₁ + l₂ + l₃ < 0) : l₁ / 2 + l₂ / 2 + l₃ < 0 := by sorry
theorem recip (x : ℝ) (hx : 1 ≤ x) : 0 < x ^ 2 + 1 / x := by sorry
theorem on_ici (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) : IsMinOn (radial μSq 𝓵) (Set.Ici 0) (max (μSq / (2 * 𝓵)) 0) := by sorry
theorem on_ici_wrong (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) : IsMinOn (radial μSq 𝓵) (Set.Ici 0) (min (μSq / (2 * 𝓵)) 0) := by sorry
"#;

    fn run(decl: &str) -> Option<Algebraic> {
        let s = crate::statement::translate(HIGGS, decl).unwrap();
        prove(&s, &[])
    }

    #[test]
    fn the_higgs_bound_is_a_completed_square() {
        let a = run("bound").unwrap();
        assert_eq!(a.kind, "completed square");
        assert_eq!(a.scope, "every real point where the hypotheses hold");
        assert_eq!(
            a.identities,
            ["𝓵 * x ^ 2 - μSq * x + μSq ^ 2 / (4 * 𝓵) = 𝓵 * (x - μSq / (2 * 𝓵)) ^ 2"]
        );
        assert_eq!(
            a.lean_hint,
            "nlinarith [sq_nonneg (x - μSq / (2 * 𝓵)), mul_nonneg h𝓵.le (sq_nonneg (x - μSq / (2 * 𝓵)))]"
        );
        let m = run("minimum").unwrap();
        assert_eq!(m.kind, "completed square");
        assert!(
            m.identities[0].ends_with("= 𝓵 * (y - μSq / (2 * 𝓵)) ^ 2"),
            "{m:?}"
        );
    }

    proptest::proptest! {
        /// Sound and complete on binary quadratic forms: `0 ≤ a x² + b x y + c y²` gets a
        /// certificate exactly when the form is positive semidefinite.
        #[test]
        fn binary_quadratic_forms_are_decided_exactly(a in -4i64..5, b in -6i64..7, c in -4i64..5) {
            let src = format!("theorem q (x y : ℝ) : 0 ≤ ({a}) * x ^ 2 + ({b}) * x * y + ({c}) * y ^ 2 := by sorry");
            let s = crate::statement::translate(&src, "q").unwrap();
            let psd = a >= 0 && c >= 0 && b * b <= 4 * a * c;
            proptest::prop_assert_eq!(prove(&s, &[]).is_some(), psd, "{}", src);
        }
    }

    #[test]
    fn false_or_unsupported_claims_get_no_certificate() {
        // 𝓵 ≠ 0 gives no sign for the leading coefficient.
        assert!(run("no_hyp").is_none());
        assert!(run("wrong").is_none());
        assert_eq!(run("ident").unwrap().kind, "polynomial identity");
        assert_eq!(run("pos").unwrap().kind, "sum of non-negative terms");
        assert_eq!(run("cross").unwrap().kind, "completed square");
    }

    #[test]
    fn hypotheses_enter_as_signs_and_as_linear_combinations() {
        let d = run("diag").unwrap();
        assert_eq!(d.kind, "non-negative combination of the hypotheses");
        assert_eq!(
            d.identities,
            ["-l₁ / 2 - l₂ / 2 - l₃ = 1 / 2 * (-l₁ - l₂ - 2 * l₃)"]
        );
        assert_eq!(d.lean_hint, "nlinarith [h]");
        // `l₁ + l₂ + l₃ < 0` does not imply it (l₁ = l₂ = 2, l₃ = -3).
        assert!(run("diag_weak").is_none());
        // `1 ≤ x` makes `x` positive, so `1 / x` is allowed and positive.
        assert_eq!(run("recip").unwrap().kind, "sum of non-negative terms");
    }

    #[test]
    fn max_and_min_split_into_leans_two_cases() {
        // Over ‖φ‖² ≥ 0 the minimum is at max(μ²/(2λ), 0): a completed square when μ² ≥ 0,
        // signed terms when μ² < 0 (the sign of μ² follows from μ²/(2λ) < 0 and λ > 0).
        let a = run("on_ici").unwrap();
        assert_eq!(a.identities.len(), 2, "{a:?}");
        assert!(
            a.identities[0].ends_with("= 𝓵 * (y - μSq / (2 * 𝓵)) ^ 2"),
            "{a:?}"
        );
        assert_eq!(a.identities[1], "𝓵 * y ^ 2 - μSq * y = 𝓵 * y ^ 2 - μSq * y");
        assert!(run("on_ici_wrong").is_none());
    }
}
