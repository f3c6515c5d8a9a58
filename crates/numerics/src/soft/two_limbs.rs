//! Two-limb significands (`u128`, soft floats of 65 to 128 bits) and the 64-bit-digit
//! arithmetic both widths are built of: widening products, Knuth's quotient digits and
//! Zimmermann's Karatsuba square root (`four_limbs` runs the same digits over four limbs).

use super::Significand;

impl Significand for u128 {
    const BITS: u32 = u128::BITS;
    const ZERO: u128 = 0;
    const ONE: u128 = 1;
    const TOP: u128 = 1 << 127;
    const INLINE: bool = true;
    const MAX: u128 = u128::MAX;

    #[inline(always)]
    fn is_zero(self) -> bool {
        self == 0
    }

    #[inline(always)]
    fn top_bit(self) -> bool {
        self >> 127 == 1
    }

    #[inline(always)]
    fn low_bit(self) -> bool {
        self & 1 == 1
    }

    #[inline(always)]
    fn leading_zeros(self) -> u32 {
        u128::leading_zeros(self)
    }

    #[inline(always)]
    fn shl(self, d: u32) -> u128 {
        self << d
    }

    #[inline(always)]
    fn shr(self, d: u32) -> u128 {
        self >> d
    }

    #[inline(always)]
    fn or(self, other: u128) -> u128 {
        self | other
    }

    #[inline(always)]
    fn overflowing_add(self, other: u128) -> (u128, bool) {
        u128::overflowing_add(self, other)
    }

    #[inline(always)]
    fn overflowing_sub(self, other: u128) -> (u128, bool) {
        u128::overflowing_sub(self, other)
    }

    #[inline(always)]
    fn from_u64(v: u64) -> u128 {
        u128::from(v)
    }

    #[inline(always)]
    fn truncate(self, prec: u32) -> (u128, bool) {
        // At 128 bits (the common case) nothing is cut.
        if prec == 128 {
            return (self, false);
        }
        let kept = self & !((1u128 << (128 - prec)) - 1);
        (kept, kept != self)
    }

    #[inline(always)]
    fn step_up(self, prec: u32) -> Option<u128> {
        self.checked_add(1 << (128 - prec))
    }

    #[inline(always)]
    fn widening_mul(self, other: u128) -> (u128, u128) {
        if (self | other) as u64 == 0 {
            // Significands of at most 64 bits: one machine product.
            ((self >> 64) * (other >> 64), 0)
        } else {
            mul_wide(self, other)
        }
    }

    #[inline(always)]
    fn div_fraction(n: u128, d: u128, prec: u32) -> (u128, bool) {
        // At most 64 bits of result need the quotient's top 64 bits only: rounding reads the
        // leading one and 63 bits more at most, and any nonzero remainder makes it inexact.
        let (q1, r) = div_3by2((n >> 64) as u64, n as u64, 0, d);
        if prec <= 64 {
            return (u128::from(q1) << 64, r != 0);
        }
        let (q0, r) = div_3by2((r >> 64) as u64, r as u64, 0, d);
        ((u128::from(q1) << 64) | u128::from(q0), r != 0)
    }

    #[inline(always)]
    fn sqrt_wide(xh: u128, xl: u128, prec: u32) -> (u128, bool) {
        debug_assert!(xh >> 126 != 0);
        // At most 64 bits of result need the root's top 64 bits only
        // (`⌊√⌊X/2¹²⁸⌋⌋ = ⌊⌊√X⌋/2⁶⁴⌋`).
        if prec <= 64 {
            let s1 = sqrt_u128(xh);
            let r1 = xh - u128::from(s1) * u128::from(s1);
            return (u128::from(s1) << 64, r1 != 0 || xl != 0);
        }
        let (s, square) = Self::sqrt_wide_exact(xh, xl);
        (s, square != (xh, xl))
    }

    /// The Karatsuba step of `sqrt_u128` again, one level up, over `s₁ = ⌊√xh⌋` and
    /// `r₁ = xh - s₁²`, corrected against the exact 256-bit square.
    #[inline(always)]
    fn sqrt_wide_exact(xh: u128, xl: u128) -> (u128, (u128, u128)) {
        let s1 = u128::from(sqrt_u128(xh));
        let r1 = xh - s1 * s1;
        // ⌊(r₁·2⁶⁴ + x₁) / (2s₁)⌋ = ⌊⌊(r₁·2⁶⁴ + x₁)/2⌋ / s₁⌋, whose numerator fits 128 bits
        // (r₁ ≤ 2s₁ < 2⁶⁵).
        let half = (r1 << 63) | (xl >> 65);
        // q ≤ 2⁶⁴, and it is 2⁶⁴ exactly when the numerator's top half reaches s₁. The
        // candidate can then be 2¹²⁸ (for X just below 2²⁵⁶), one above the root 2¹²⁸ - 1,
        // which saturating gives.
        let q = if (half >> 64) as u64 >= s1 as u64 {
            1 << 64
        } else {
            u128::from(div_2by1((half >> 64) as u64, half as u64, s1 as u64).0)
        };
        let s = (s1 << 64).saturating_add(q);
        Self::correct_root(s, (xh, xl))
    }

    #[inline(always)]
    fn from_limbs(limbs: &[u64]) -> Option<u128> {
        // One limb (at most 64 bits) or two, most significant last.
        match *limbs {
            [top] => Some(u128::from(top) << 64),
            [low, top] => Some((u128::from(top) << 64) | u128::from(low)),
            _ => None,
        }
    }

    #[inline(always)]
    fn to_limbs(self, limbs: &mut [u64]) {
        match limbs {
            [top] => *top = (self >> 64) as u64,
            [low, top] => (*low, *top) = (self as u64, (self >> 64) as u64),
            _ => unreachable!("at most 128 bits"),
        }
    }
}

/// The exact 256-bit product `a · b` as (high, low) halves.
#[inline(always)]
pub(super) fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0) = (a >> 64, a & u128::from(u64::MAX));
    let (b1, b0) = (b >> 64, b & u128::from(u64::MAX));
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // Three 64-bit values: no overflow.
    let mid = (p00 >> 64) + (p01 & u128::from(u64::MAX)) + (p10 & u128::from(u64::MAX));
    let low = (mid << 64) | (p00 & u128::from(u64::MAX));
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

/// `((u1·2⁶⁴ + u0) / d, (u1·2⁶⁴ + u0) mod d)` for `u1 < d` (the quotient fits 64 bits).
/// On x86-64 that is one `div` instruction, which Rust's 128-bit division reaches only
/// through a library call that first checks what this precondition already says.
#[inline(always)]
pub(super) fn div_2by1(u1: u64, u0: u64, d: u64) -> (u64, u64) {
    debug_assert!(u1 < d);
    #[cfg(target_arch = "x86_64")]
    {
        let (q, r): (u64, u64);
        // SAFETY: `div` divides rdx:rax by `d`, leaving the quotient in rax and the remainder
        // in rdx; it faults only for a quotient of 2⁶⁴ or more, which `u1 < d` excludes (and
        // so `d ≠ 0`). It touches no memory and no flags the compiler relies on.
        unsafe {
            std::arch::asm!(
                "div {d}",
                d = in(reg) d,
                inout("rax") u0 => q,
                inout("rdx") u1 => r,
                options(pure, nomem, nostack),
            );
        }
        (q, r)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let n = (u128::from(u1) << 64) | u128::from(u0);
        let d = u128::from(d);
        ((n / d) as u64, (n % d) as u64)
    }
}

/// One quotient digit of Knuth's algorithm D (TAOCP 4.3.1) in base β = 2⁶⁴:
/// `(⌊U / d⌋, U mod d)` for `U = u2·β² + u1·β + u0` and `d = d1·β + d0` with `d1`'s top bit
/// set and `u2·β + u1 < d` (so the quotient is below β). The estimate `q̂ = ⌊(u2·β + u1)/d1⌋`
/// (at most β - 1) is never below the true digit, and the loop's test, `q̂·d0 > r̂·β + u0`
/// with `r̂ = u2·β + u1 - q̂·d1`, is exactly `q̂·d > U` for a two-digit divisor: it stops at
/// the true digit (after at most two steps, Theorem B).
#[inline(always)]
pub(super) fn div_3by2(u2: u64, u1: u64, u0: u64, d: u128) -> (u64, u128) {
    let (d1, d0) = ((d >> 64) as u64, d as u64);
    let top = (u128::from(u2) << 64) | u128::from(u1);
    let (mut q, mut r) = if u2 >= d1 {
        // u2 = d1: the estimate is capped at β - 1, and r̂ may reach β.
        (u64::MAX, top - u128::from(u64::MAX) * u128::from(d1))
    } else {
        let (q, r) = div_2by1(u2, u1, d1);
        (q, u128::from(r))
    };
    // While r̂ < β (otherwise r̂·β + u0 ≥ β² > q̂·d0 and the test fails).
    while r >> 64 == 0 && u128::from(q) * u128::from(d0) > ((r << 64) | u128::from(u0)) {
        q -= 1;
        r += u128::from(d1);
    }
    // U - q·d = r̂·β + u0 - q·d0 lies in [0, d): computing it modulo 2¹²⁸ is exact.
    let rem = (r << 64 | u128::from(u0)).wrapping_sub(u128::from(q) * u128::from(d0));
    (q, rem)
}

/// `⌊√x⌋` for `x ≥ 2⁶²`: the double's square root of `x` rounded to a double is within
/// 2⁻²⁰ of `√x < 2³²`, so truncating it is the root or one off, which exact squares correct.
#[inline(always)]
fn sqrt_u64(x: u64) -> u64 {
    let mut s = (x as f64).sqrt() as u64;
    while u128::from(s) * u128::from(s) > u128::from(x) {
        s -= 1;
    }
    while u128::from(s + 1) * u128::from(s + 1) <= u128::from(x) {
        s += 1;
    }
    s
}

/// `⌊√x⌋` for `x ≥ 2¹²⁶`: one step of Zimmermann's Karatsuba square root ("Karatsuba Square
/// Root", INRIA RR-3805, 1999) over the root `s' = ⌊√t⌋` of the top 64 bits `t` and its
/// remainder `r' = t - s'²`: the candidate `s'·2³² + ⌊(r'·2³² + x₁)/(2s')⌋` (`x₁` the next 32
/// bits) is the root or one above it; exact squares correct it, so the result does not rest
/// on that bound.
#[inline(always)]
fn sqrt_u128(x: u128) -> u64 {
    let t = (x >> 64) as u64;
    let s = sqrt_u64(t);
    let r = t - s * s;
    // ⌊(r'·2³² + x₁)/(2s')⌋ = ⌊⌊(r'·2³² + x₁)/2⌋ / s'⌋, whose numerator fits 64 bits (r' ≤ 2s'
    // < 2³³).
    let half = (r << 31) | ((x >> 33) as u64 & 0x7fff_ffff);
    let mut root = (s << 32).saturating_add(half / s);
    while u128::from(root) * u128::from(root) > x {
        root -= 1;
    }
    while let Some(next) = root.checked_add(1) {
        if u128::from(next) * u128::from(next) > x {
            break;
        }
        root = next;
    }
    root
}
