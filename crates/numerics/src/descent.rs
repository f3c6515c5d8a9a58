//! Local refinement for counterexamples in thin regions: where a claim fails only on a sliver of
//! its box (a few variables nearly on a constraint's boundary at once), random samples miss it
//! and bisection may spend its budget elsewhere. The claim's *margin* — how far it is from false,
//! read off its comparisons in f64 (`b - a` for `a ≤ b`, the minimum over `∧`, the maximum over
//! `∨`, `max(-margin(h), margin(c))` for `h → c`) — is descended by a compass search on a dyadic
//! grid of the box from the most promising of a few hundred probes, and every grid point where the
//! margin reaches 0 is handed back to be decided exactly. f64 only steers: a point counts as a
//! counterexample only once the caller has decided it rigorously (exact rationals, or intervals
//! at the exact point), so the search can waste time but never produce a wrong verdict.
//! Neighbours: `check` calls [`refine`] after its samples and before branch and bound; `fast`
//! evaluates.

use std::collections::BTreeMap;

use rug::Rational;

use crate::check::{Clock, Rng, snap};
use crate::core::{Prop, Rel, Var};
use crate::fast::{Approx, eval, point};

/// Grid positions are `k / 2^GRID_BITS` of each side of the box.
const GRID_BITS: u32 = 24;
/// Random probes of the box, of which the lowest-margin ones start a descent.
const PROBES: usize = 256;
/// Descents per check, each from one of the best probes.
const STARTS: usize = 4;
/// Margin evaluations per descent.
const EVALUATIONS: usize = 2000;
/// Node evaluations a whole refinement may spend (a claim of a thousand terms gets fewer probes
/// and steps, so its cost stays that of a small claim's).
const WORK: usize = 4_000_000;
/// Points handed back for an exact decision per descent (the margin may sit at exactly 0 where
/// a non-strict comparison still holds).
const DECISIONS: usize = 6;

/// How far `p` is from false at a point: positive where it holds with room, at most 0 where it
/// may fail; `None` outside the f64 fast path (quantifiers, junk values' boundaries, overflow).
pub(crate) fn margin(p: &Prop, env: &BTreeMap<String, Approx>) -> Option<f64> {
    Some(match p {
        Prop::Const(true) => f64::INFINITY,
        Prop::Const(false) => f64::NEG_INFINITY,
        Prop::Cmp(r, a, b) => {
            let (a, b) = (eval(a, env)?.v, eval(b, env)?.v);
            match r {
                Rel::Le | Rel::Lt => b - a,
                Rel::Ge | Rel::Gt => a - b,
                Rel::Eq => -(a - b).abs(),
                Rel::Ne => (a - b).abs(),
            }
        }
        Prop::Not(a) => -margin(a, env)?,
        Prop::And(a, b) => margin(a, env)?.min(margin(b, env)?),
        Prop::Or(a, b) => margin(a, env)?.max(margin(b, env)?),
        Prop::Imp(a, b) => (-margin(a, env)?).max(margin(b, env)?),
        Prop::Iff(a, b) => {
            let (x, y) = (margin(a, env)?, margin(b, env)?);
            (-x).max(y).min((-y).max(x))
        }
        Prop::Forall(..) | Prop::Exists(..) => return None,
    })
    .filter(|m| !m.is_nan())
}

/// The box as grid coordinates.
struct Grid<'a> {
    claim: &'a Prop,
    vars: &'a [Var],
    bx: &'a [(String, Rational, Rational)],
    bounds: Vec<(f64, f64)>,
    evaluations: usize,
    /// Evaluations per descent, after the budget for the claim's size.
    per_descent: usize,
}

type Position = Vec<u64>;

const TOP: u64 = 1 << GRID_BITS;

impl Grid<'_> {
    /// The coordinate of variable `i` at grid position `k`, in f64 (integers rounded).
    fn value(&self, i: usize, k: u64) -> f64 {
        let (lo, hi) = self.bounds[i];
        let v = lo + (hi - lo) * (k as f64 / TOP as f64);
        if self.vars[i].ty.is_integral() {
            v.round()
        } else {
            v
        }
    }

    fn margin_at(&mut self, at: &[u64]) -> Option<f64> {
        self.evaluations += 1;
        let env: BTreeMap<String, Approx> = self
            .bx
            .iter()
            .enumerate()
            .map(|(i, (n, _, _))| (n.clone(), point(self.value(i, at[i]))))
            .collect();
        margin(self.claim, &env)
    }

    /// The exact point at a grid position.
    fn exact(&self, at: &[u64]) -> BTreeMap<String, Rational> {
        self.bx
            .iter()
            .zip(self.vars)
            .zip(at)
            .map(|(((n, lo, hi), v), k)| {
                let x = lo + Rational::from((*k, TOP)) * Rational::from(hi - lo);
                (n.clone(), snap(v, x, lo, hi))
            })
            .collect()
    }

    /// `at` moved by `delta · step` along each axis, kept in the box.
    fn moved(at: &[u64], delta: &[i8], step: u64) -> Position {
        at.iter()
            .zip(delta)
            .map(|(k, d)| match d.signum() {
                1 => (k + step).min(TOP),
                -1 => k.saturating_sub(step),
                _ => *k,
            })
            .collect()
    }
}

/// Descends the claim's margin from the best of [`PROBES`] random grid points (fewer, with
/// shorter descents, for a large claim) and hands every
/// point where it reaches 0 to `decide` (an exact decision; `true` means a certified
/// counterexample, which ends the search). The counterexample found, if any.
pub(crate) fn refine(
    claim: &Prop,
    vars: &[Var],
    bx: &[(String, Rational, Rational)],
    seed: u64,
    clock: &Clock,
    decide: &mut dyn FnMut(&BTreeMap<String, Rational>) -> bool,
) -> Option<BTreeMap<String, Rational>> {
    if bx.is_empty() || crate::alternation::has_nested_quantifier(claim) {
        return None;
    }
    let mut grid = Grid {
        claim,
        vars,
        bx,
        bounds: bx
            .iter()
            .map(|(_, lo, hi)| (lo.to_f64(), hi.to_f64()))
            .collect(),
        evaluations: 0,
        per_descent: EVALUATIONS,
    };
    let affordable = WORK / claim.size().max(1);
    let probe_count = PROBES.min(affordable / 8).max(8);
    grid.per_descent = EVALUATIONS.min(affordable.saturating_sub(probe_count) / STARTS);
    let mut rng = Rng(seed.rotate_left(17) | 1);
    let mut probes: Vec<(f64, Position)> = (0..probe_count)
        .filter_map(|_| {
            let at: Position = (0..bx.len()).map(|_| rng.next() % (TOP + 1)).collect();
            Some((grid.margin_at(&at)?, at))
        })
        .collect();
    probes.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (m, start) in probes.into_iter().take(STARTS) {
        if let Some(found) = descend(&mut grid, start, m, &mut rng, clock, decide) {
            return Some(found);
        }
    }
    None
}

/// One compass search: each axis both ways, then as many random diagonal moves, at the current
/// step; the step halves when nothing improves.
fn descend(
    grid: &mut Grid,
    mut at: Position,
    mut best: f64,
    rng: &mut Rng,
    clock: &Clock,
    decide: &mut dyn FnMut(&BTreeMap<String, Rational>) -> bool,
) -> Option<BTreeMap<String, Rational>> {
    let n = at.len();
    let budget = grid.evaluations + grid.per_descent;
    let mut step = TOP / 8;
    let mut decisions = 0;
    let mut decided_at: Option<Position> = None;
    while step > 0 && grid.evaluations < budget && !clock.out() {
        if best <= 0.0 && decided_at.as_ref() != Some(&at) && decisions < DECISIONS {
            decisions += 1;
            decided_at = Some(at.clone());
            if decide(&grid.exact(&at)) {
                return Some(grid.exact(&coarsest(&at, decide, grid)));
            }
        }
        let mut improved = false;
        for delta in moves(n, rng) {
            let next = Grid::moved(&at, &delta, step);
            if next == at {
                continue;
            }
            if let Some(m) = grid.margin_at(&next) {
                if m < best {
                    (at, best, improved) = (next, m, true);
                }
            }
        }
        if !improved {
            step /= 2;
        }
    }
    None
}

/// A counterexample's coordinates rounded, one at a time, to the coarsest grid (halves, then
/// 1/16ths, …) at which the point is still decided false: the same certified verdict with shorter
/// numbers.
fn coarsest(
    at: &[u64],
    decide: &mut dyn FnMut(&BTreeMap<String, Rational>) -> bool,
    grid: &Grid,
) -> Position {
    let mut at = at.to_vec();
    for i in 0..at.len() {
        for bits in [1, 4, 8, 12, 16, 20] {
            let unit = 1u64 << (GRID_BITS - bits);
            let rounded = (at[i] + unit / 2) / unit * unit;
            if rounded == at[i] {
                break;
            }
            let mut next = at.clone();
            next[i] = rounded.min(TOP);
            if decide(&grid.exact(&next)) {
                at = next;
                break;
            }
        }
    }
    at
}

/// The moves tried at one step: `±` each axis, then `n` random diagonals.
fn moves(n: usize, rng: &mut Rng) -> Vec<Vec<i8>> {
    let mut out = Vec::with_capacity(3 * n);
    for i in 0..n {
        for sign in [1i8, -1] {
            let mut d = vec![0i8; n];
            d[i] = sign;
            out.push(d);
        }
    }
    for _ in 0..n {
        out.push((0..n).map(|_| (rng.below(3) as i8) - 1).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn statement(src: &str, decl: &str) -> crate::statement::Statement {
        crate::statement::translate(src, decl).expect("translates")
    }

    fn refined(s: &crate::statement::Statement) -> Option<BTreeMap<String, Rational>> {
        let bx = crate::check::box_of(s, &crate::check::CheckConfig::default());
        let clock = Clock::new(Duration::from_secs(60));
        refine(&s.claim, &s.vars, &bx, 7, &clock, &mut |p| {
            crate::exact::truth_exact(&s.claim, p) == Some(false)
        })
    }

    #[test]
    fn the_margin_reads_the_claim() {
        let s = statement(
            "theorem t (x y : ℝ) (h : 0 ≤ x) : x ≤ y ∨ y = 2 := by sorry",
            "t",
        );
        let env = |x: f64, y: f64| BTreeMap::from([("x".into(), point(x)), ("y".into(), point(y))]);
        // The hypothesis fails by 1: the claim holds with room 1.
        assert_eq!(margin(&s.claim, &env(-1.0, -5.0)), Some(1.0));
        // `x ≤ y` fails by 3 and `y = 2` by 1: the better of the two.
        assert_eq!(margin(&s.claim, &env(4.0, 1.0)), Some(-1.0));
        assert_eq!(margin(&s.claim, &env(4.0, 2.0)), Some(0.0));
    }

    #[test]
    fn a_thin_region_in_many_variables_is_reached() {
        // False only within 10⁻³ of a point of a six-dimensional box: no sample lands there.
        let s = statement(
            "theorem t (a b c d e f : ℝ) : 1 / 1000000 ≤ (a - 1/3) ^ 2 + (b + 2/7) ^ 2 + \
             (c - 5/9) ^ 2 + (d + 1/11) ^ 2 + (e - 3/13) ^ 2 + (f + 4/17) ^ 2 := by sorry",
            "t",
        );
        let found = refined(&s).expect("refined to a counterexample");
        assert_eq!(crate::exact::truth_exact(&s.claim, &found), Some(false));
    }

    #[test]
    fn what_f64_sees_fail_is_only_handed_to_the_exact_decision() {
        // f64 loses `exp x` beside 10²⁰, so the margin looks negative for x > 0; the claim is
        // true, and the exact decision (here: none without `exp`) has the last word.
        let s = statement(
            "theorem t (x : ℝ) (hx : x ∈ Set.Icc 0 5) : \
             Real.exp x - 1 ≤ (Real.exp x + 10 ^ 20) - 10 ^ 20 := by sorry",
            "t",
        );
        let bx = crate::check::box_of(&s, &crate::check::CheckConfig::default());
        let clock = Clock::new(Duration::from_secs(60));
        let mut handed = 0;
        let found = refine(&s.claim, &s.vars, &bx, 7, &clock, &mut |_| {
            handed += 1;
            false
        });
        assert_eq!(found, None);
        assert!(handed > 0, "the f64 margin should have reached 0");
    }

    #[test]
    fn a_true_claim_is_never_handed_back_as_false() {
        let s = statement(
            "theorem t (a b : ℝ) (h : 0 ≤ a) : 0 ≤ a * b ^ 2 := by sorry",
            "t",
        );
        assert_eq!(refined(&s), None);
    }
}
