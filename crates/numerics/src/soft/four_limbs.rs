//! Four-limb significands ([`U256`], soft floats of 129 to 256 bits): two `u128` halves,
//! with schoolbook products, Knuth's division over four quotient digits and one Karatsuba
//! step of square root over the two-limb root (`two_limbs`'s digits and root, one level up).

use super::Significand;
use super::two_limbs::{div_3by2, mul_wide};

/// An unsigned 256-bit integer `hi·2¹²⁸ + lo`; the derived order (by `hi`, then `lo`) is the
/// numbers' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct U256 {
    hi: u128,
    lo: u128,
}

impl U256 {
    pub(crate) const BITS: u32 = 256;

    #[inline(always)]
    const fn new(hi: u128, lo: u128) -> U256 {
        U256 { hi, lo }
    }

    /// The four limbs, least significant first.
    #[inline(always)]
    fn limbs(self) -> [u64; 4] {
        [
            self.lo as u64,
            (self.lo >> 64) as u64,
            self.hi as u64,
            (self.hi >> 64) as u64,
        ]
    }

    #[inline(always)]
    fn of_limbs(l: [u64; 4]) -> U256 {
        let pair = |low: u64, high: u64| (u128::from(high) << 64) | u128::from(low);
        U256::new(pair(l[2], l[3]), pair(l[0], l[1]))
    }

    /// `(self · q mod 2²⁵⁶, ⌊self · q / 2²⁵⁶⌋)`: the 320-bit product as its low 256 bits and
    /// its top limb.
    #[inline(always)]
    fn mul_limb(self, q: u64) -> (U256, u64) {
        let mut out = [0u64; 4];
        let mut carry = 0u64;
        for (o, &a) in out.iter_mut().zip(self.limbs().iter()) {
            let t = u128::from(a) * u128::from(q) + u128::from(carry);
            *o = t as u64;
            carry = (t >> 64) as u64;
        }
        (U256::of_limbs(out), carry)
    }
}

impl Significand for U256 {
    const BITS: u32 = 256;
    const ZERO: U256 = U256::new(0, 0);
    const ONE: U256 = U256::new(0, 1);
    const TOP: U256 = U256::new(1 << 127, 0);
    const INLINE: bool = false;
    const MAX: U256 = U256::new(u128::MAX, u128::MAX);

    #[inline(always)]
    fn is_zero(self) -> bool {
        self.hi | self.lo == 0
    }

    #[inline(always)]
    fn top_bit(self) -> bool {
        self.hi >> 127 == 1
    }

    #[inline(always)]
    fn low_bit(self) -> bool {
        self.lo & 1 == 1
    }

    #[inline(always)]
    fn leading_zeros(self) -> u32 {
        if self.hi != 0 {
            self.hi.leading_zeros()
        } else {
            128 + self.lo.leading_zeros()
        }
    }

    #[inline(always)]
    fn shl(self, d: u32) -> U256 {
        debug_assert!(d < 256);
        match d {
            0 => self,
            1..=127 => U256::new((self.hi << d) | (self.lo >> (128 - d)), self.lo << d),
            _ => U256::new(self.lo << (d - 128), 0),
        }
    }

    #[inline(always)]
    fn shr(self, d: u32) -> U256 {
        debug_assert!(d < 256);
        match d {
            0 => self,
            1..=127 => U256::new(self.hi >> d, (self.lo >> d) | (self.hi << (128 - d))),
            _ => U256::new(0, self.hi >> (d - 128)),
        }
    }

    #[inline(always)]
    fn or(self, other: U256) -> U256 {
        U256::new(self.hi | other.hi, self.lo | other.lo)
    }

    #[inline(always)]
    fn overflowing_add(self, other: U256) -> (U256, bool) {
        let (lo, c1) = self.lo.overflowing_add(other.lo);
        let (hi, c2) = self.hi.overflowing_add(other.hi);
        let (hi, c3) = hi.overflowing_add(u128::from(c1));
        (U256::new(hi, lo), c2 | c3)
    }

    #[inline(always)]
    fn overflowing_sub(self, other: U256) -> (U256, bool) {
        let (lo, b1) = self.lo.overflowing_sub(other.lo);
        let (hi, b2) = self.hi.overflowing_sub(other.hi);
        let (hi, b3) = hi.overflowing_sub(u128::from(b1));
        (U256::new(hi, lo), b2 | b3)
    }

    #[inline(always)]
    fn from_u64(v: u64) -> U256 {
        U256::new(0, u128::from(v))
    }

    #[inline(always)]
    fn truncate(self, prec: u32) -> (U256, bool) {
        let cut = 256 - prec;
        let kept = match cut {
            // At 256 bits nothing is cut.
            0 => return (self, false),
            1..=127 => U256::new(self.hi, self.lo & !((1u128 << cut) - 1)),
            _ => U256::new(self.hi & !((1u128 << (cut - 128)) - 1), 0),
        };
        (kept, kept != self)
    }

    #[inline(always)]
    fn step_up(self, prec: u32) -> Option<U256> {
        let cut = 256 - prec;
        let ulp = if cut < 128 {
            U256::new(0, 1 << cut)
        } else {
            U256::new(1 << (cut - 128), 0)
        };
        match self.overflowing_add(ulp) {
            (sum, false) => Some(sum),
            (_, true) => None,
        }
    }

    /// Schoolbook, 64-bit digits (sixteen products; one when both significands have at
    /// most 128 bits, as small constants and box endpoints do).
    #[inline(always)]
    fn widening_mul(self, other: U256) -> (U256, U256) {
        if self.lo | other.lo == 0 {
            let (hi, lo) = mul_wide(self.hi, other.hi);
            return (U256::new(hi, lo), U256::ZERO);
        }
        let (a, b) = (self.limbs(), other.limbs());
        let mut r = [0u64; 8];
        for (i, &ai) in a.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &bj) in b.iter().enumerate() {
                let t = u128::from(ai) * u128::from(bj) + u128::from(r[i + j]) + u128::from(carry);
                r[i + j] = t as u64;
                carry = (t >> 64) as u64;
            }
            r[i + 4] = carry;
        }
        (
            U256::of_limbs([r[4], r[5], r[6], r[7]]),
            U256::of_limbs([r[0], r[1], r[2], r[3]]),
        )
    }

    /// Knuth's algorithm D over four digits of base β = 2⁶⁴ (TAOCP 4.3.1). Each digit's
    /// estimate comes from the remainder's top three digits and the divisor's top two
    /// (`div_3by2`): never below the true digit and at most one above it (the divisor's lower
    /// digits move the quotient by less than one), so one subtraction of `q̂·d` and at most
    /// one addition back give the digit and the next remainder.
    #[inline(always)]
    fn div_fraction(n: U256, d: U256, prec: u32) -> (U256, bool) {
        debug_assert!(n < d && d.top_bit());
        let digits = prec.div_ceil(64).clamp(1, 4) as usize;
        let mut q = [0u64; 4];
        let mut r = n;
        for digit in q.iter_mut().rev().take(digits) {
            let [_, r1, r2, r3] = r.limbs();
            // The remainder's top two digits are at most the divisor's; where equal the
            // estimate is capped at β - 1 (which then is the digit).
            let mut qhat = if r.hi == d.hi {
                u64::MAX
            } else {
                div_3by2(r3, r2, r1, d.hi).0
            };
            // r·β - q̂·d, as a top digit and 256 bits below it.
            let (product, product_top) = d.mul_limb(qhat);
            let (low, borrow) = r.shl(64).overflowing_sub(product);
            let top = r3.wrapping_sub(product_top).wrapping_sub(u64::from(borrow));
            r = if top == 0 {
                low
            } else {
                // Negative: q̂ was one too large.
                qhat -= 1;
                low.overflowing_add(d).0
            };
            *digit = qhat;
        }
        (U256::of_limbs(q), !r.is_zero())
    }

    #[inline(always)]
    fn sqrt_wide(xh: U256, xl: U256, prec: u32) -> (U256, bool) {
        debug_assert!(xh.hi >> 126 != 0);
        // At most 128 bits of result need the root's top 128 bits only
        // (`⌊√⌊X/2²⁵⁶⌋⌋ = ⌊⌊√X⌋/2¹²⁸⌋`).
        if prec <= 128 {
            let (s1, square) = u128::sqrt_wide_exact(xh.hi, xh.lo);
            let inexact = U256::new(square.0, square.1) != xh || !xl.is_zero();
            return (U256::new(s1, 0), inexact);
        }
        let (s, square) = U256::sqrt_wide_exact(xh, xl);
        (s, square != (xh, xl))
    }

    /// One Karatsuba step (Zimmermann, INRIA RR-3805) over the two-limb root `s₁ = ⌊√xh⌋`
    /// and its remainder `r₁ = xh - s₁²`: the candidate `s₁·2¹²⁸ + ⌊(r₁·2¹²⁸ + x₁)/(2s₁)⌋`
    /// (`x₁` the next 128 bits) is the root or one above it; exact squares correct it.
    #[inline(always)]
    fn sqrt_wide_exact(xh: U256, xl: U256) -> (U256, (U256, U256)) {
        let (s1, square) = u128::sqrt_wide_exact(xh.hi, xh.lo);
        let r1 = xh.wrapping_sub(U256::new(square.0, square.1));
        // ⌊(r₁·2¹²⁸ + x₁)/(2s₁)⌋ = ⌊⌊(r₁·2¹²⁸ + x₁)/2⌋ / s₁⌋, whose numerator fits 256 bits
        // (r₁ ≤ 2s₁ < 2¹²⁹).
        let half = r1.shl(127).or(U256::new(0, xl.hi >> 1));
        // q ≤ 2¹²⁸, and it is 2¹²⁸ exactly when the numerator's top half reaches s₁.
        let q = if half.hi >= s1 {
            U256::new(1, 0)
        } else {
            let [h0, h1, h2, h3] = half.limbs();
            let (q1, r) = div_3by2(h3, h2, h1, s1);
            let (q0, _) = div_3by2((r >> 64) as u64, r as u64, h0, s1);
            U256::new(0, (u128::from(q1) << 64) | u128::from(q0))
        };
        // The candidate can be 2²⁵⁶ (for X just below 2⁵¹²), one above the root 2²⁵⁶ - 1.
        let s = match U256::new(s1, 0).overflowing_add(q) {
            (s, false) => s,
            (_, true) => U256::MAX,
        };
        U256::correct_root(s, (xh, xl))
    }

    /// By cases of the limb count: a copy of a length known only at run time is a call of
    /// `memcpy`.
    #[inline(always)]
    fn from_limbs(limbs: &[u64]) -> Option<U256> {
        Some(U256::of_limbs(match *limbs {
            [l3] => [0, 0, 0, l3],
            [l2, l3] => [0, 0, l2, l3],
            [l1, l2, l3] => [0, l1, l2, l3],
            [l0, l1, l2, l3] => [l0, l1, l2, l3],
            _ => return None,
        }))
    }

    #[inline(always)]
    fn to_limbs(self, limbs: &mut [u64]) {
        let [l0, l1, l2, l3] = self.limbs();
        match limbs {
            [t3] => *t3 = l3,
            [t2, t3] => (*t2, *t3) = (l2, l3),
            [t1, t2, t3] => (*t1, *t2, *t3) = (l1, l2, l3),
            [t0, t1, t2, t3] => (*t0, *t1, *t2, *t3) = (l0, l1, l2, l3),
            _ => unreachable!("at most 256 bits"),
        }
    }
}
