//! Thin operands at high precision (above the soft floats' 256 bits): the upper endpoint
//! derived from the lower one. For an interval a few ulps wide, the product, quotient or
//! square root of its endpoints are nearly the same number, and at 256 bits and more one MPFR
//! operation per endpoint is most of the cost (at 1024 bits a square root costs what ten additions do). Arb's balls pay for one
//! operation per result; so do these forms, keeping theorist's two endpoints: the lower
//! endpoint is computed by MPFR rounded down, and the upper one is the lower one stepped up
//! by a count of ulps that bounds the exact spread, from the operands' relative widths.
//! [`Interval`]'s in-place operations (`interval`) try these first and fall back to computing
//! both endpoints wherever an operand is not thin, not positive, or the count is large.
//!
//! The bound. Let `x = [x₀, x₀(1 + ρ)]` with `ρ` the relative width (computed exactly from
//! the significands' limbs and rounded up), and `ℓ = ▽(f(x₀, …))` the lower endpoint, `u = ℓ`
//! when that was exact and `ℓ⁺` (the next float) otherwise, so the exact `f(x₀, …) ≤ u`.
//! - product and quotient of positive thin `a` and `b`: the upper endpoint's exact value is
//!   `f(a₀, b₀)·(1 + ρa)(1 + ρb) ≤ u + u·s` with `s = ρa + ρb + ρaρb`;
//! - square root: `√(a₀(1 + ρ)) ≤ √a₀·(1 + ρ/2) ≤ u + u·ρ/2`.
//!
//! Each step up from `u` adds at least `ulp(ℓ)` (floats above `ℓ` have ulps at least as
//! large), and `u ≤ ℓ + ulp(ℓ)` with `ℓ = m·2^p·ulp(ℓ)`, `m ∈ [½, 1)` its significand at `p`
//! bits; so `k ≥ (m·2^p + 1)·s` steps reach past the exact value. With `ρ ≤ 2⁻⁶⁰`,
//! `s·1 < 2⁻⁵⁸`, and `k` is computed in f64 rounded up at every operation. The upper endpoint
//! is at most two ulps above the exact one rounded up (property-tested below); it is exactly
//! that for a point operand of a square root.

use rug::float::Round;
use rug::ops::AssignRound;
use rug::{Assign, Float};

use crate::interval::Interval;
use crate::interval64::next_up;
use crate::mpfr_raw;

/// Destination precisions from which a derived endpoint pays: it costs a thinness test, a
/// few f64 operations and a step per ulp of spread (5-10 steps in a chain of operations,
/// each an `mpfr_nextabove`). Measured A/B with MPFR 4.2 on x86-64 (median thread CPU time,
/// interleaved runs): square roots gain from 128 bits (255 → 208 ns), quotients from 256
/// (but lose at 128: 147 → 215), products only at 1024 (655 → 511; 512 bits: 243 → 258).
/// From 65 to 256 bits soft floats (`soft`) compute both endpoints correctly rounded faster
/// still (at 256 bits a soft quotient costs about a third of MPFR's), so square roots and
/// quotients derive their upper endpoint only above 256 bits.
pub(crate) const SQRT_FROM: u32 = crate::soft::MAX_PREC + 1;
pub(crate) const DIV_FROM: u32 = crate::soft::MAX_PREC + 1;
pub(crate) const MUL_FROM: u32 = 1024;

/// The most ulps stepped from the lower endpoint; wider spreads compute the upper endpoint.
const MAX_STEPS: f64 = 24.0;

/// Relative widths above this are not thin (the bound's `s < 2⁻⁵⁸` needs it).
const THIN: f64 = 1.0 / (1u64 << 60) as f64;

/// `2^e` rounded up to a double (`f64::MIN_POSITIVE` below the normal range, `∞` above),
/// built from its exponent bits (`powi` is a library call).
fn pow2_up(e: i32) -> f64 {
    if e < -1022 {
        f64::MIN_POSITIVE
    } else if e > 1023 {
        f64::INFINITY
    } else {
        f64::from_bits(((e + 1023) as u64) << 52)
    }
}

/// `x` rounded up to a double.
fn u128_up(x: u128) -> f64 {
    if x >> 53 == 0 {
        // Exact.
        x as u64 as f64
    } else {
        next_up(x as f64)
    }
}

/// The value of the lowest `count` limbs, most significant last, as an integer.
fn low_limbs<T: Copy + Into<u128>>(limbs: &[T], count: usize, bits: u32) -> u128 {
    limbs[..count]
        .iter()
        .rev()
        .fold(0u128, |acc, &x| (acc << bits) | x.into())
}

/// Bounds `(m₋, m₊)` of the significand `m ∈ [½, 1)` of a normal float (`x = m·2^exp`), from
/// its top limb.
fn significand_bounds<T: Copy + Into<u128>>(limbs: &[T], bits: u32) -> (f64, f64) {
    let top: u128 = limbs[limbs.len() - 1].into();
    // 53 top bits convert to f64 exactly.
    let shift = bits.saturating_sub(53);
    let head = (top >> shift) as f64;
    let scale = pow2_up(shift as i32 - bits as i32);
    (head * scale, (head + 1.0) * scale)
}

/// An upper bound `r·2^e` of the relative width `(hi - lo)/lo` of an interval of positive
/// normal endpoints with one precision and one exponent whose significands differ in their
/// two lowest limbs only, and at most [`THIN`]; `None` otherwise.
fn relative_width(x: &Interval) -> Option<(f64, i32)> {
    let (lo, hi) = (&x.lo, &x.hi);
    if lo.prec() != hi.prec() {
        return None;
    }
    // The fields in place (`mpfr_raw`): rug's significand views cost more than the rest.
    let (l, h) = (mpfr_raw::parts(lo)?, mpfr_raw::parts(hi)?);
    if l.neg || l.exp != h.exp {
        return None;
    }
    let (l, h) = (l.limbs, h.limbs);
    let n = l.len();
    let bits = 64;
    let low = n.min(2);
    if h.len() != n || l[low..] != h[low..] {
        return None;
    }
    // Both are `M·2^(exp - bits·n)` with integer significands M; `hi ≥ lo`.
    let d = low_limbs(h, low, bits).checked_sub(low_limbs(l, low, bits))?;
    let e = -(bits as i32) * n as i32;
    if d == 0 {
        return Some((0.0, e));
    }
    // (hi - lo)/lo = d / M_lo ≤ d / (m₋·2^(bits·n)).
    let (m_down, _) = significand_bounds(l, bits);
    let r = next_up(u128_up(d) / m_down);
    (r * pow2_up(e) <= THIN).then_some((r, e))
}

/// The number of ulps of `lo` (the lower endpoint just computed, at precision `p`) to step up
/// from `u` to pass `u·(1 + s)`, given `s·2^p ≤ scaled_s`: `(m₊·2^p + 1)·s` rounded up, `None`
/// beyond [`MAX_STEPS`].
fn steps(lo: &Float, scaled_s: f64) -> Option<u32> {
    let limbs = mpfr_raw::parts(lo)?.limbs;
    let bits = 64;
    // The significand at precision p is `lo/ulp(lo) = m·2^p`; m's bounds are the same
    // whatever the limb padding.
    let (_, m_up) = significand_bounds(limbs, bits);
    // (m·2^p + 1)·s ≤ m₊·(s·2^p) + s, and s < 2⁻⁵⁸.
    let k = next_up(next_up(m_up * scaled_s) + 1.0 / (1u64 << 58) as f64);
    (k <= MAX_STEPS).then(|| k.ceil() as u32)
}

/// `s·2^p` for `s = ρa + ρb + ρaρb`, rounded up, with `ρ ≤ 2⁻⁶⁰` each.
fn scaled_spread(p: u32, (ra, ea): (f64, i32), (rb, eb): (f64, i32)) -> f64 {
    let a = next_up(ra * pow2_up(p as i32 + ea));
    let b = next_up(rb * pow2_up(p as i32 + eb));
    // ρaρb·2^p ≤ ρa·2^p·2⁻⁶⁰: a factor 1 + 2⁻⁵², rounded up, covers it.
    next_up(next_up(a * (1.0 + f64::EPSILON)) + b)
}

/// `to := u` stepped `k` ulps up, where `u` is `to` (when `exact`) or the float above it.
fn step_up(to: &mut Float, exact: bool, k: u32) {
    let k = k + u32::from(!exact);
    // By limb arithmetic, but where the steps cross into the next binade.
    if mpfr_raw::step_up(to, u64::from(k)) {
        return;
    }
    for _ in 0..k {
        to.next_up();
    }
}

impl Interval {
    /// `self := a · b` for positive thin `a`, `b` at a destination precision of at least
    /// [`MUL_FROM`]; `false` (and `self` to be overwritten) otherwise.
    pub(crate) fn mul_thin(&mut self, a: &Interval, b: &Interval) -> bool {
        self.derive(MUL_FROM, a, b, |to, a, b| {
            to.assign_round(&a.lo * &b.lo, Round::Down)
        })
    }

    /// `self := a / b` for positive thin `a`, `b` at a destination precision of at least
    /// [`DIV_FROM`]: the lower endpoint is `a₀ / b₁`, the upper `a₁ / b₀ = (a₀/b₁)·(1 +
    /// ρa)·(1 + ρb)`.
    pub(crate) fn div_thin(&mut self, a: &Interval, b: &Interval) -> bool {
        self.derive(DIV_FROM, a, b, |to, a, b| {
            to.assign_round(&a.lo / &b.hi, Round::Down)
        })
    }

    /// The lower endpoint by `lower` (rounded down, returning its direction), the upper one
    /// stepped from it by the bound of the module's comment.
    fn derive(
        &mut self,
        from: u32,
        a: &Interval,
        b: &Interval,
        lower: impl Fn(&mut Float, &Interval, &Interval) -> std::cmp::Ordering,
    ) -> bool {
        let p = self.lo.prec();
        if p < from || self.hi.prec() != p {
            return false;
        }
        let (Some(ra), Some(rb)) = (relative_width(a), relative_width(b)) else {
            return false;
        };
        let exact = lower(&mut self.lo, a, b) == std::cmp::Ordering::Equal;
        if !self.lo.is_normal() {
            return false;
        }
        // Points: the exact value is at most u.
        let spread = if ra.0 == 0.0 && rb.0 == 0.0 {
            Some(0)
        } else {
            steps(&self.lo, scaled_spread(p, ra, rb))
        };
        let Some(k) = spread else {
            return false;
        };
        self.hi.assign(&self.lo);
        step_up(&mut self.hi, exact, k);
        true
    }

    /// `self := √a` for a positive thin `a` at a destination precision of at least
    /// [`SQRT_FROM`].
    pub(crate) fn sqrt_thin(&mut self, a: &Interval) -> bool {
        let p = self.lo.prec();
        if p < SQRT_FROM || self.hi.prec() != p {
            return false;
        }
        let Some((r, e)) = relative_width(a) else {
            return false;
        };
        let exact = self.lo.assign_round(a.lo.sqrt_ref(), Round::Down) == std::cmp::Ordering::Equal;
        // A point: √a₀ ≤ u. Otherwise ρ/2 · 2^p.
        let spread = if r == 0.0 {
            Some(0)
        } else {
            steps(&self.lo, next_up(r * pow2_up(p as i32 + e)) / 2.0)
        };
        let Some(k) = spread else {
            return false;
        };
        self.hi.assign(&self.lo);
        step_up(&mut self.hi, exact, k);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `[x, x stepped up w ulps]` at `p` bits.
    fn thin(x: &Float, w: u32) -> Interval {
        let mut hi = x.clone();
        for _ in 0..w {
            hi.next_up();
        }
        Interval::new(x.clone(), hi).unwrap()
    }

    /// A positive float of `p` bits: mantissa from `bits`, exponent `e`; `near_binade` puts
    /// it just below a power of two, where stepping up crosses into the next binade.
    fn positive(p: u32, bits: u64, e: i32, near_binade: bool) -> Float {
        let mut x = if near_binade {
            let mut one = Float::with_val(p, 1);
            one.next_down();
            one
        } else {
            Float::with_val(p, 0.5) + Float::with_val(p, bits) / Float::with_val(p, u64::MAX) / 2u32
        };
        x <<= e;
        x
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        /// Whatever form an operation takes, its lower endpoint is the exact one rounded
        /// down, its upper endpoint at least the exact one rounded up and at most two ulps
        /// above it; and the thin forms are taken where they should be.
        #[test]
        fn derived_endpoints_enclose_and_stay_within_two_ulps(
            p in prop_oneof![Just(128u32), Just(256), Just(512), Just(1024), 100u32..1200],
            (xa, xb) in (any::<u64>(), any::<u64>()),
            (ea, eb) in (-300i32..300, -300i32..300),
            (wa, wb) in (0u32..6, 0u32..6),
            (na, nb) in (any::<bool>(), any::<bool>()),
        ) {
            let a = thin(&positive(p, xa, ea, na), wa);
            let b = thin(&positive(p, xb, eb, nb), wb);
            let exact = 4 * p + 64;
            let check = |what: &str, got: &Interval, lo: Float, hi: Float| -> Result<(), TestCaseError> {
                let lo_d = Float::with_val_round(p, &lo, Round::Down).0;
                let hi_u = Float::with_val_round(p, &hi, Round::Up).0;
                prop_assert_eq!(&got.lo, &lo_d, "{}: lower endpoint", what);
                prop_assert!(got.hi >= hi_u, "{what}: {} below the exact {}", got.hi, hi);
                let mut two_above = hi_u.clone();
                two_above.next_up();
                two_above.next_up();
                prop_assert!(got.hi <= two_above, "{what}: {} more than two ulps above {}", got.hi, hi_u);
                Ok(())
            };
            let mut out = Interval::zero(p);
            out.set_mul(&a, &b);
            check("product", &out, Float::with_val(exact, &a.lo * &b.lo), Float::with_val(exact, &a.hi * &b.hi))?;
            prop_assert!(out.set_div(&a, &b));
            check("quotient", &out, Float::with_val(exact, &a.lo / &b.hi), Float::with_val(exact, &a.hi / &b.lo))?;
            out.set_sqrt_lean(&a);
            check("square root", &out, Float::with_val(exact, a.lo.sqrt_ref()), Float::with_val(exact, a.hi.sqrt_ref()))?;
            // The thin forms apply here (one precision, one binade unless stepping crossed
            // it, a spread of a few ulps).
            if a.lo.get_exp() == a.hi.get_exp() && b.lo.get_exp() == b.hi.get_exp() {
                prop_assert!(out.clone().sqrt_thin(&a) || p < SQRT_FROM);
                prop_assert!(out.clone().div_thin(&a, &b) || p < DIV_FROM || wa + wb > 4);
            }
        }

        /// Point operands of a square root give exactly the two-endpoint result.
        #[test]
        fn a_point_square_root_is_exact(p in SQRT_FROM..1200, x in any::<u64>(), e in -300i32..300) {
            let a = thin(&positive(p, x, e, false), 0);
            let mut out = Interval::zero(p);
            prop_assert!(out.sqrt_thin(&a));
            let lo = Float::with_val_round(p, a.lo.sqrt_ref(), Round::Down).0;
            let hi = Float::with_val_round(p, a.hi.sqrt_ref(), Round::Up).0;
            prop_assert_eq!((&out.lo, &out.hi), (&lo, &hi));
        }
    }

    #[test]
    fn wide_or_signed_operands_take_the_two_endpoint_path() {
        let p = 1024;
        let iv = |lo: f64, hi: f64| {
            Interval::new(Float::with_val(p, lo), Float::with_val(p, hi)).unwrap()
        };
        let mut out = Interval::zero(p);
        assert!(!out.mul_thin(&iv(1.0, 1.5), &iv(2.0, 2.0)), "not thin");
        assert!(!out.mul_thin(&iv(-2.0, -2.0), &iv(2.0, 2.0)), "negative");
        assert!(
            !out.div_thin(&iv(1.0, 1.0), &iv(0.0, 0.0)),
            "zero is not normal"
        );
        assert!(out.mul_thin(&iv(3.0, 3.0), &iv(5.0, 5.0)));
        assert_eq!((out.lo.to_f64(), out.hi.to_f64()), (15.0, 15.0));
        let mut low = Interval::zero(64);
        assert!(
            !low.sqrt_thin(&iv(2.0, 2.0)),
            "below the precision it pays from"
        );
    }
}
