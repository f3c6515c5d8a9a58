//! The f64 interval tier: closed intervals of hardware doubles with sound outward rounding,
//! the cheap first try of the branch and bound (`check`) through the compiled tape (`tape`);
//! whatever it cannot decide goes to the MPFR [`Interval`](crate::Interval)s.
//!
//! Rounding without touching the FPU's mode. IEEE 754 rounds `+`, `−`, `×`, `÷` and `√` to
//! nearest, correctly: the computed `r = fl(x ∘ y)` is the double nearest the exact value `v`.
//! Every finite `v` lies strictly between `r`'s neighbours, so `next_down(r) ≤ v ≤ next_up(r)`
//! — also for a result in the subnormal range, for a result that underflowed to 0 (then
//! `|v| ≤ 2⁻¹⁰⁷⁵` and the neighbours of 0 are `±2⁻¹⁰⁷⁴`), and for one that overflowed (`r = ∞`
//! means `v > f64::MAX` and `next_down(∞) = f64::MAX`). So a lower bound is `next_down` of
//! the computed value and an upper bound `next_up` of it: one ulp outward per operation,
//! whatever mode the FPU is in, as long as it rounds to nearest or towards either side of
//! `v` (every IEEE mode does). Negation, `|·|`, `min`, `max`, `⌊·⌋` and `⌈·⌉` are exact.
//!
//! What this tier does not do. The elementary functions of libm (`exp`, `log`, `sin`, …) are
//! not correctly rounded and carry no guaranteed error bound, so the tier has none of them:
//! the tape leaves a claim that uses one to MPFR. An operation whose IEEE result would be NaN
//! (`∞ − ∞`, `0 · ∞`, `∞ / ∞`) or that has no bounded enclosure (a divisor that contains 0
//! among other values) answers `None`: "cannot decide here", never a guess. Lean's junk values
//! are modelled exactly as the MPFR evaluator (`eval`) models them: `x / 0 = 0`, `0⁻¹ = 0`,
//! `Real.sqrt x = 0` for `x ≤ 0`.

use rug::float::Round;
use rug::{Float, Rational};

/// A closed interval `[lo, hi]` of doubles (`lo ≤ hi`, neither NaN; infinite endpoints mean
/// "unbounded on that side").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval64 {
    pub lo: f64,
    pub hi: f64,
}

/// The least double above `x` (`∞` stays `∞`, `-∞` goes to `-f64::MAX`, NaN stays NaN):
/// `f64::next_up`, written out because the crate supports Rust 1.85, before it was stable.
pub fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == 0.0 {
        // Either zero: the least positive subnormal.
        return f64::from_bits(1);
    }
    let bits = x.to_bits();
    // The encoding is monotone in the magnitude: one more for positives, one less for
    // negatives (whose sign bit is set).
    f64::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

/// The greatest double below `x` (`next_down(x) = -next_up(-x)`).
pub fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

/// The largest double `≤ q` and the least double `≥ q` (equal when `q` is a double). A
/// rational beyond the range of doubles gets an infinite endpoint on its side.
pub fn rational_bounds(q: &Rational) -> (f64, f64) {
    // Dyadic rationals with a short numerator (bisection midpoints of dyadic boxes, integers)
    // are doubles exactly: no MPFR needed.
    if q.denom().is_power_of_two() && q.numer().significant_bits() <= 53 {
        let v = q.to_f64();
        // `to_f64` truncates; a value in the subnormal range may not be exact.
        if v.abs() >= f64::MIN_POSITIVE || *q == 0 {
            return (v, v);
        }
    }
    // Round down then down again (to 64 bits, then to a double) is still a lower bound.
    let lo = Float::with_val_round(64, q, Round::Down)
        .0
        .to_f64_round(Round::Down);
    let hi = Float::with_val_round(64, q, Round::Up)
        .0
        .to_f64_round(Round::Up);
    (lo, hi)
}

/// A lower bound of the exact value whose correctly rounded result is `r` (NaN stays NaN).
fn down(r: f64) -> f64 {
    next_down(r)
}

/// An upper bound of the exact value whose correctly rounded result is `r`.
fn up(r: f64) -> f64 {
    next_up(r)
}

// Exact zeros are kept: a sum that rounds to 0 is exactly 0 (IEEE addition never underflows
// inexactly: a result below the normal range is exact), and so is a product with a zero
// factor or a quotient with a zero dividend. A product or quotient of non-zero values that
// rounds to 0 underflowed and is widened like any other. Keeping these zeros lets the tier
// decide `0 ≤ λ x²` on a box that starts at `x = 0`.

fn sum_down(s: f64) -> f64 {
    if s == 0.0 { 0.0 } else { down(s) }
}

fn sum_up(s: f64) -> f64 {
    if s == 0.0 { 0.0 } else { up(s) }
}

/// `a · b` rounded down.
fn mul_down(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        // `0 · ∞` stays NaN, for the caller to refuse.
        a * b
    } else {
        down(a * b)
    }
}

fn mul_up(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 {
        a * b
    } else {
        up(a * b)
    }
}

/// `a / b` (`b ≠ 0`) rounded down.
fn div_down(a: f64, b: f64) -> f64 {
    if a == 0.0 { a / b } else { down(a / b) }
}

fn div_up(a: f64, b: f64) -> f64 {
    if a == 0.0 { a / b } else { up(a / b) }
}

// `add`, `sub` and `mul` answer `None` where IEEE would give NaN, so they are not `std::ops`
// implementations; the names match the MPFR `Interval`'s.
#[allow(clippy::should_implement_trait)]
impl Interval64 {
    /// `[lo, hi]`, `None` when either is NaN or `lo > hi`.
    pub fn new(lo: f64, hi: f64) -> Option<Interval64> {
        (lo <= hi).then_some(Interval64 { lo, hi })
    }

    pub fn point(v: f64) -> Interval64 {
        Interval64 { lo: v, hi: v }
    }

    /// The enclosure of a rational (a point when it is a double).
    pub fn of_rational(q: &Rational) -> Interval64 {
        let (lo, hi) = rational_bounds(q);
        Interval64 { lo, hi }
    }

    /// The enclosure of an MPFR interval (each endpoint rounded outward).
    pub fn of_interval(x: &crate::Interval) -> Interval64 {
        Interval64 {
            lo: x.lo.to_f64_round(Round::Down),
            hi: x.hi.to_f64_round(Round::Up),
        }
    }

    pub fn contains_zero(self) -> bool {
        self.lo <= 0.0 && self.hi >= 0.0
    }

    fn is_zero(self) -> bool {
        self.lo == 0.0 && self.hi == 0.0
    }

    /// An interval from computed endpoints: `None` if either is NaN (`∞ − ∞`, `0 · ∞`).
    fn checked(lo: f64, hi: f64) -> Option<Interval64> {
        if lo.is_nan() || hi.is_nan() {
            None
        } else {
            Some(Interval64 { lo, hi })
        }
    }

    pub fn neg(self) -> Interval64 {
        Interval64 {
            lo: -self.hi,
            hi: -self.lo,
        }
    }

    #[inline]
    pub fn add(self, o: Interval64) -> Option<Interval64> {
        Interval64::checked(sum_down(self.lo + o.lo), sum_up(self.hi + o.hi))
    }

    #[inline]
    pub fn sub(self, o: Interval64) -> Option<Interval64> {
        Interval64::checked(sum_down(self.lo - o.hi), sum_up(self.hi - o.lo))
    }

    /// The product, by the endpoints' signs as the MPFR [`Interval::mul`](crate::Interval):
    /// two products, four when both factors straddle 0.
    #[inline]
    pub fn mul(self, o: Interval64) -> Option<Interval64> {
        let (a1, a2, b1, b2) = (self.lo, self.hi, o.lo, o.hi);
        // (factors of the lower bound, factors of the upper bound)
        let ((l1, l2), (h1, h2)) = if a1 >= 0.0 {
            if b1 >= 0.0 {
                ((a1, b1), (a2, b2))
            } else if b2 <= 0.0 {
                ((a2, b1), (a1, b2))
            } else {
                ((a2, b1), (a2, b2))
            }
        } else if a2 <= 0.0 {
            if b1 >= 0.0 {
                ((a1, b2), (a2, b1))
            } else if b2 <= 0.0 {
                ((a2, b2), (a1, b1))
            } else {
                ((a1, b2), (a1, b1))
            }
        } else if b1 >= 0.0 {
            ((a1, b2), (a2, b2))
        } else if b2 <= 0.0 {
            ((a2, b1), (a1, b1))
        } else {
            // Both straddle 0: four products, none of them NaN (the endpoints are non-zero).
            let lo = mul_down(a1, b2).min(mul_down(a2, b1));
            let hi = mul_up(a1, b1).max(mul_up(a2, b2));
            return Interval64::checked(lo, hi);
        };
        Interval64::checked(mul_down(l1, l2), mul_up(h1, h2))
    }

    /// `self / o` for a divisor without 0 (`None` otherwise).
    #[inline]
    fn div_nonzero(self, o: Interval64) -> Option<Interval64> {
        if o.contains_zero() {
            return None;
        }
        let (a1, a2, b1, b2) = (self.lo, self.hi, o.lo, o.hi);
        let ((l1, l2), (h1, h2)) = if b1 > 0.0 {
            if a1 >= 0.0 {
                ((a1, b2), (a2, b1))
            } else if a2 <= 0.0 {
                ((a1, b1), (a2, b2))
            } else {
                ((a1, b1), (a2, b1))
            }
        } else if a1 >= 0.0 {
            ((a2, b2), (a1, b1))
        } else if a2 <= 0.0 {
            ((a2, b1), (a1, b2))
        } else {
            ((a2, b2), (a1, b2))
        };
        Interval64::checked(div_down(l1, l2), div_up(h1, h2))
    }

    /// Lean's field division, `x / 0 = 0`: a divisor exactly 0 gives 0, a dividend exactly 0
    /// gives 0, a divisor containing 0 among other values has no bounded enclosure (`None`,
    /// as the MPFR evaluator's domain error).
    #[inline]
    pub fn div_lean(self, o: Interval64) -> Option<Interval64> {
        if o.is_zero() || (self.is_zero() && o.contains_zero()) {
            return Some(Interval64::point(0.0));
        }
        self.div_nonzero(o)
    }

    /// `x⁻¹` with `0⁻¹ = 0`.
    pub fn inv_lean(self) -> Option<Interval64> {
        Interval64::point(1.0).div_lean(self)
    }

    /// `x ^ n` for a natural `n` (`x ^ 0 = 1`), by the endpoints' magnitudes and signs as the
    /// MPFR [`Interval::pow`](crate::Interval): odd powers are increasing, even powers
    /// decrease then increase and start at 0 on an interval around 0.
    #[inline]
    pub fn pow(self, n: u32) -> Option<Interval64> {
        if n == 0 {
            return Some(Interval64::point(1.0));
        }
        if n == 2 {
            return Some(self.square());
        }
        let (lo, hi) = if n % 2 == 1 {
            (signed_pow(self.lo, n, false), signed_pow(self.hi, n, true))
        } else if self.lo >= 0.0 {
            (
                magnitude_pow(self.lo, n, false),
                magnitude_pow(self.hi, n, true),
            )
        } else if self.hi <= 0.0 {
            (
                magnitude_pow(-self.hi, n, false),
                magnitude_pow(-self.lo, n, true),
            )
        } else {
            (0.0, magnitude_pow(self.lo.abs().max(self.hi), n, true))
        };
        Interval64::checked(lo, hi)
    }

    /// `x · 2^k` for `|k| ≤ 64`. Scaling by a power of two is exact unless the result
    /// overflows or falls below the normal range (where bits are lost), so only those
    /// results are widened by an ulp; a zero stays an exact zero.
    #[inline]
    pub fn scale(self, k: i32) -> Interval64 {
        debug_assert!(k.abs() <= 64);
        // 2^k built from its exponent bits (a double for |k| ≤ 1022).
        let factor = f64::from_bits(((1023 + k) as u64) << 52);
        // (A non-zero value that underflows to 0 is not exact: only 0 · 2^k is.)
        let exact = |x: f64, r: f64| x == 0.0 || (r.is_finite() && r.abs() >= f64::MIN_POSITIVE);
        let (lo, hi) = (self.lo * factor, self.hi * factor);
        Interval64 {
            lo: if exact(self.lo, lo) { lo } else { down(lo) },
            hi: if exact(self.hi, hi) { hi } else { up(hi) },
        }
    }

    /// `x²`, the commonest power, without the loop of `magnitude_pow`: the squares of the
    /// endpoints' magnitudes, from 0 on an interval around 0. Never NaN (`∞ · ∞ = ∞`, and a
    /// zero endpoint squares to an exact 0), so always an enclosure.
    #[inline]
    fn square(self) -> Interval64 {
        let (near, far) = if self.lo >= 0.0 {
            (self.lo, self.hi)
        } else if self.hi <= 0.0 {
            (-self.hi, -self.lo)
        } else {
            (0.0, (-self.lo).max(self.hi))
        };
        // A square that underflows to 0 is rounded down to the negative subnormal: 0 is the
        // better (still sound) lower bound.
        Interval64 {
            lo: mul_down(near, near).max(0.0),
            hi: mul_up(far, far),
        }
    }

    pub fn abs(self) -> Interval64 {
        if self.lo >= 0.0 {
            self
        } else if self.hi <= 0.0 {
            self.neg()
        } else {
            Interval64 {
                lo: 0.0,
                hi: (-self.lo).max(self.hi),
            }
        }
    }

    pub fn min(self, o: Interval64) -> Interval64 {
        Interval64 {
            lo: self.lo.min(o.lo),
            hi: self.hi.min(o.hi),
        }
    }

    pub fn max(self, o: Interval64) -> Interval64 {
        Interval64 {
            lo: self.lo.max(o.lo),
            hi: self.hi.max(o.hi),
        }
    }

    /// `max x 0` endpoint-wise (`Int.toNat`, ℕ's truncated subtraction).
    pub fn clamp_nonneg(self) -> Interval64 {
        Interval64 {
            lo: self.lo.max(0.0),
            hi: self.hi.max(0.0),
        }
    }

    pub fn floor(self) -> Interval64 {
        Interval64 {
            lo: self.lo.floor(),
            hi: self.hi.floor(),
        }
    }

    pub fn ceil(self) -> Interval64 {
        Interval64 {
            lo: self.lo.ceil(),
            hi: self.hi.ceil(),
        }
    }

    /// Lean's `Real.sqrt`, `√(max x 0)` (non-decreasing). IEEE `√` is correctly rounded; a
    /// lower bound below 0 is raised to 0, which `√` never goes under.
    #[inline]
    pub fn sqrt_lean(self) -> Interval64 {
        // `√` of a non-positive bound is exactly 0: nothing rounded, nothing to widen.
        let root = |x: f64, round: fn(f64) -> f64| if x > 0.0 { round(x.sqrt()) } else { 0.0 };
        Interval64 {
            lo: root(self.lo, down).max(0.0),
            hi: root(self.hi, up),
        }
    }
}

/// `|x| ^ n` rounded towards `+∞` (`upper`) or `0`, by binary powering: every factor is a
/// non-negative bound on its side, so each product rounded on that side keeps the bound
/// (at most `2·log₂ n` operations, each one ulp outward).
fn magnitude_pow(x: f64, n: u32, upper: bool) -> f64 {
    let step = |a: f64, b: f64| {
        if upper {
            mul_up(a, b)
        } else {
            mul_down(a, b).max(0.0)
        }
    };
    let mut base = x.abs();
    let mut acc = 1.0;
    let mut k = n;
    while k > 0 {
        if k & 1 == 1 {
            acc = step(acc, base);
        }
        k >>= 1;
        if k > 0 {
            base = step(base, base);
        }
    }
    acc
}

/// `x ^ n` for odd `n`, rounded up (`upper`) or down: the sign of `x`, times `|x| ^ n`
/// rounded away from 0 for an upper bound of a negative value, and so on.
fn signed_pow(x: f64, n: u32, upper: bool) -> f64 {
    if x >= 0.0 {
        magnitude_pow(x, n, upper)
    } else {
        -magnitude_pow(x, n, !upper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rug::ops::Pow;

    #[test]
    fn neighbours_of_special_values() {
        assert_eq!(next_up(0.0), f64::from_bits(1));
        assert_eq!(next_up(-0.0), f64::from_bits(1));
        assert_eq!(next_down(0.0), -f64::from_bits(1));
        assert_eq!(next_up(f64::MAX), f64::INFINITY);
        assert_eq!(next_down(f64::INFINITY), f64::MAX);
        assert_eq!(next_up(f64::INFINITY), f64::INFINITY);
        assert_eq!(next_up(f64::NEG_INFINITY), -f64::MAX);
        assert_eq!(next_down(f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert_eq!(next_up(-f64::from_bits(1)), -0.0);
        assert_eq!(next_up(1.0), 1.0 + f64::EPSILON);
        assert_eq!(next_down(1.0), 1.0 - f64::EPSILON / 2.0);
        assert!(next_up(f64::NAN).is_nan());
    }

    #[test]
    fn rationals_are_enclosed_exactly_or_by_neighbours() {
        let tenth = Rational::from((1, 10));
        let (lo, hi) = rational_bounds(&tenth);
        assert_eq!(hi, next_up(lo));
        assert!(Rational::from_f64(lo).unwrap() < tenth && tenth < Rational::from_f64(hi).unwrap());
        assert_eq!(rational_bounds(&Rational::from(100_000)), (1e5, 1e5));
        assert_eq!(rational_bounds(&Rational::from((3, 8))), (0.375, 0.375));
        let huge = Rational::from(rug::Integer::from(10).pow(400u32));
        assert_eq!(rational_bounds(&huge), (f64::MAX, f64::INFINITY));
        let tiny = Rational::from((1, rug::Integer::from(10).pow(400u32)));
        assert_eq!(rational_bounds(&tiny), (0.0, f64::from_bits(1)));
        // Subnormal dyadic: 3·2⁻¹⁰⁷⁵ is not a double.
        let sub = Rational::from((3, rug::Integer::from(2).pow(1075u32)));
        let (lo, hi) = rational_bounds(&sub);
        assert_eq!((lo, hi), (f64::from_bits(1), f64::from_bits(2)));
    }

    #[test]
    fn lean_junk_values_and_undecidable_cases() {
        let iv = |lo, hi| Interval64::new(lo, hi).unwrap();
        assert_eq!(iv(1.0, 2.0).div_lean(iv(0.0, 0.0)), Some(iv(0.0, 0.0)));
        assert_eq!(iv(0.0, 0.0).div_lean(iv(-1.0, 1.0)), Some(iv(0.0, 0.0)));
        assert_eq!(iv(1.0, 2.0).div_lean(iv(-1.0, 1.0)), None);
        assert_eq!(iv(1.0, 2.0).div_lean(iv(0.0, 1.0)), None);
        assert_eq!(iv(0.0, 0.0).inv_lean(), Some(iv(0.0, 0.0)));
        assert_eq!(iv(-4.0, -1.0).sqrt_lean(), iv(0.0, 0.0));
        let s = iv(-1.0, 4.0).sqrt_lean();
        assert!(s.lo == 0.0 && s.hi >= 2.0 && s.hi == next_up(2.0));
        // 0 · ∞ has no IEEE value: the tier declines.
        assert_eq!(iv(0.0, 0.0).mul(iv(1.0, f64::INFINITY)), None);
        assert_eq!(iv(0.0, 0.0).mul(iv(f64::NEG_INFINITY, 1.0)), None);
        assert_eq!(
            iv(0.0, 1.0).mul(iv(1.0, f64::INFINITY)),
            Some(iv(0.0, f64::INFINITY))
        );
        // Exact zeros stay exact: 0 ≤ x · y on x ∈ [0, 1] is decided.
        assert_eq!(iv(0.0, 1.0).mul(iv(0.0, 3.0)).unwrap().lo, 0.0);
        assert_eq!(iv(-1.0, 1.0).add(iv(1.0, 2.0)).unwrap().lo, 0.0);
        assert_eq!(
            iv(f64::NEG_INFINITY, 0.0).add(iv(f64::INFINITY, f64::INFINITY)),
            None
        );
        // Overflow is an infinite (sound) endpoint.
        let big = iv(f64::MAX, f64::MAX).mul(iv(2.0, 2.0)).unwrap();
        assert_eq!((big.lo, big.hi), (f64::MAX, f64::INFINITY));
        let sq = iv(-3.0, 2.0).pow(2).unwrap();
        assert!(sq.lo == 0.0 && sq.hi >= 9.0);
        // Scaling is exact in the normal range; below it, and to 0, it is widened.
        assert_eq!(iv(3.0, 5.0).scale(2), iv(12.0, 20.0));
        assert_eq!(iv(0.0, 0.0).scale(-64), iv(0.0, 0.0));
        let tiny = f64::from_bits(1);
        let half = iv(tiny, tiny).scale(-1);
        assert!(
            half.lo <= 0.0 && half.hi >= tiny,
            "2⁻¹⁰⁷⁵ is not 0: {half:?}"
        );
        let big = iv(f64::MAX, f64::MAX).scale(1);
        assert_eq!((big.lo, big.hi), (f64::MAX, f64::INFINITY));
    }

    /// An f64 in every magnitude class: ±0, subnormals, tiny, ordinary, huge, near overflow,
    /// infinite; and exact small integers so that boxes hit 0 and branch points.
    fn any_double() -> impl Strategy<Value = f64> {
        prop_oneof![
            3 => -1e3f64..1e3,
            1 => (-3i32..=3).prop_map(f64::from),
            1 => Just(0.0),
            1 => (1u64..1 << 20).prop_map(f64::from_bits),
            1 => (-1074i32..-1000, any::<bool>()).prop_map(|(e, s)| if s { 2f64.powi(e) } else { -(2f64.powi(e)) }),
            1 => (-300.0f64..300.0, any::<bool>()).prop_map(|(e, s)| if s { 10f64.powf(e) } else { -(10f64.powf(e)) }),
            1 => (0.5f64..1.0, any::<bool>()).prop_map(|(m, s)| if s { m * f64::MAX } else { -(m * f64::MAX) }),
            1 => prop_oneof![Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(f64::MAX), Just(-f64::MAX)],
        ]
    }

    fn any_interval() -> impl Strategy<Value = Interval64> {
        (any_double(), any_double(), 0u8..4).prop_map(|(a, b, shape)| match shape {
            0 => Interval64::point(a),
            _ => Interval64 {
                lo: a.min(b),
                hi: a.max(b),
            },
        })
    }

    /// A point of the interval (an endpoint, or between them) as an exact MPFR value.
    fn pick(x: Interval64, t: f64) -> Float {
        let (lo, hi) = (x.lo, x.hi);
        let v = if !lo.is_finite() || !hi.is_finite() {
            if t < 0.5 { lo } else { hi }
        } else {
            let v = lo + t * (hi - lo);
            if v.is_finite() { v.clamp(lo, hi) } else { lo }
        };
        Float::with_val(1024, v)
    }

    fn contains(x: Interval64, v: &Float) -> bool {
        !v.is_nan() && Float::with_val(1024, x.lo) <= *v && *v <= Float::with_val(1024, x.hi)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// At random points of random intervals (magnitudes from subnormal to overflow, zero
        /// and infinite endpoints), every f64 enclosure contains the 1024-bit value of the
        /// operation, with Lean's junk values (`x / 0 = 0`, `√` of a negative `= 0`).
        #[test]
        fn every_enclosure_contains_the_1024_bit_value(a in any_interval(), b in any_interval(), s in 0.0f64..1.0, t in 0.0f64..1.0, n in 0u32..12, k in -64i32..=64) {
            let (x, y) = (pick(a, s), pick(b, t));
            let p = 1024;
            // A NaN value (`∞ - ∞` at infinite endpoints) is no real number: nothing to contain.
            if let Some(r) = a.add(b) {
                let v = Float::with_val(p, &x + &y);
                prop_assert!(v.is_nan() || contains(r, &v), "{a:?} + {b:?} = {r:?}");
            }
            if let Some(r) = a.sub(b) {
                let v = Float::with_val(p, &x - &y);
                prop_assert!(v.is_nan() || contains(r, &v), "{a:?} - {b:?} = {r:?}");
            }
            if let Some(r) = a.mul(b) {
                let v = Float::with_val(p, &x * &y);
                prop_assert!(v.is_nan() || contains(r, &v), "{a:?} * {b:?} = {r:?} ∌ {v}");
            }
            let r = a.scale(k);
            let v = Float::with_val(p, &x << k);
            prop_assert!(contains(r, &v), "{a:?} · 2^{k} = {r:?} ∌ {v}");
            if let Some(r) = a.div_lean(b) {
                let v = if y == 0 { Float::with_val(p, 0) } else { Float::with_val(p, &x / &y) };
                prop_assert!(v.is_nan() || contains(r, &v), "{a:?} / {b:?} = {r:?} ∌ {v}");
            }
            if let Some(r) = a.pow(n) {
                let v = Float::with_val(p, (&x).pow(n));
                prop_assert!(v.is_nan() || contains(r, &v), "{a:?} ^ {n} = {r:?} ∌ {v}");
            }
            let r = a.sqrt_lean();
            let v = if x > 0 { Float::with_val(p, x.sqrt_ref()) } else { Float::with_val(p, 0) };
            prop_assert!(contains(r, &v), "sqrt {a:?} = {r:?} ∌ {v}");
            prop_assert!(contains(a.neg(), &Float::with_val(p, -&x)));
            prop_assert!(contains(a.abs(), &Float::with_val(p, x.abs_ref())));
            let (lo_min, lo_max) = (a.min(b), a.max(b));
            let m = if x < y { (x.clone(), y.clone()) } else { (y.clone(), x.clone()) };
            prop_assert!(contains(lo_min, &m.0) && contains(lo_max, &m.1));
        }

        /// Huge integer powers stay sound (overflow to ∞, underflow to 0 from the right side).
        #[test]
        fn high_powers_are_sound(m in 0.5f64..2.0, e in -40i32..40, n in 1u32..400) {
            let x = m * 2f64.powi(e);
            let r = Interval64::point(x).pow(n).unwrap();
            let v = Float::with_val(1 << 16, x).pow(n);
            prop_assert!(Float::with_val(64, r.lo) <= v && v <= Float::with_val(64, r.hi), "{x} ^ {n}: {r:?}");
            let r = Interval64::point(-x).pow(n).unwrap();
            let v = Float::with_val(1 << 16, -x).pow(n);
            prop_assert!(Float::with_val(64, r.lo) <= v && v <= Float::with_val(64, r.hi), "-{x} ^ {n}: {r:?}");
        }

        /// `next_up`/`next_down` are the neighbours in the total order of the encodings.
        #[test]
        fn neighbours_are_adjacent(x in any_double()) {
            prop_assume!(x.is_finite());
            let u = next_up(x);
            prop_assert!(u > x);
            let d = next_down(x);
            prop_assert!(d < x);
            // Nothing in between: the midpoint in exact arithmetic is not a double.
            let mid = (Float::with_val(1100, x) + Float::with_val(1100, u)) / 2u32;
            prop_assert!(mid.to_f64() == x || mid.to_f64() == u || !mid.to_f64().is_finite());
        }

        #[test]
        fn rational_bounds_bracket_the_rational(n in any::<i64>(), d in 1u64.., shift in 0u32..1200) {
            let q = Rational::from((n, rug::Integer::from(d) << shift));
            let (lo, hi) = rational_bounds(&q);
            prop_assert!(lo <= hi);
            prop_assert!(lo == f64::NEG_INFINITY || Rational::from_f64(lo).unwrap() <= q);
            prop_assert!(hi == f64::INFINITY || q <= Rational::from_f64(hi).unwrap());
            prop_assert!(hi == lo || hi == next_up(lo), "{q}: [{lo:e}, {hi:e}]");
        }
    }
}
