//! Software floats of at most 256 bits: a sign, an exponent and a significand of two 64-bit
//! limbs (`u128`, for 65 to 128 bits) or four (`U256`, for 129 to 256 bits), with addition,
//! subtraction, multiplication, division, square roots and scaling by `2^k` correctly
//! rounded in the directed mode asked for (`Round::Down`, `Round::Up`). A correctly rounded
//! result is unique, so each equals MPFR's at the same precision and direction bit for bit,
//! its sign of zero and ternary value included (property-tested against MPFR in
//! `soft/tests.rs`). They run in registers, with no call into MPFR: at two to four limbs MPFR
//! pays its general entry points (argument checks, precision dispatch, `mpn` calls) on every
//! operation, for products, quotients and square roots several times these floats' cost.
//! Intervals of them (`soft_interval`) carry [`Interval`](crate::interval::Interval)'s
//! operations and the compiled tape's registers (`tape`) at 65 to 256 bits ([`width`]);
//! below, MPFR's one-limb routines are as fast.
//!
//! One float (`float`) over two significands (the [`Significand`] trait): `two_limbs` and
//! `four_limbs` hold the integer arithmetic of each width (widening products, Knuth's
//! quotient digits, Karatsuba square roots), `float` the rounding and the operations' cases
//! once for both.
//!
//! What they do not do, MPFR does: precisions above 256 bits, NaN and infinite operands,
//! division by zero, square roots of negative numbers, round-to-nearest, and results whose
//! exponent leaves [`EXP_LIMIT`] (MPFR overflows, underflows and rounds those itself): each
//! operation returns `None` there.
//!
//! The MPFR side is read and written in place (`mpfr_raw`), with 64-bit limbs only.

use std::fmt::Debug;

use crate::mpfr_raw;

mod float;
mod four_limbs;
mod two_limbs;

pub(crate) use float::{Soft, add, div, mul, read, scale, set, sqrt, sqrt_pair, sub, write};
pub(crate) use four_limbs::U256;

// Unit tests compare every soft path with MPFR alone by turning soft floats off on their
// thread (`mpfr_only`), and run them below 65 bits too (`every_precision`); other builds
// have no switch.
#[cfg(test)]
thread_local! {
    static MPFR_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static EVERY_PRECISION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether soft floats may be used (always, but inside [`mpfr_only`] in unit tests).
#[inline(always)]
pub(crate) fn enabled() -> bool {
    #[cfg(test)]
    {
        !MPFR_ONLY.with(|c| c.get())
    }
    #[cfg(not(test))]
    {
        true
    }
}

/// `f()` with a switch of this thread set, reset afterwards (even if `f` panics).
#[cfg(test)]
fn with_switch<R>(
    switch: &'static std::thread::LocalKey<std::cell::Cell<bool>>,
    f: impl FnOnce() -> R,
) -> R {
    struct Restore(&'static std::thread::LocalKey<std::cell::Cell<bool>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            self.0.with(|c| c.set(false));
        }
    }
    switch.with(|c| c.set(true));
    let _restore = Restore(switch);
    f()
}

/// `f()` computed with MPFR alone: the reference soft results are compared with. (At the
/// soft floats' precisions MPFR rounds each endpoint correctly too: `thin`'s derived
/// endpoints start above them.)
#[cfg(test)]
pub(crate) fn mpfr_only<R>(f: impl FnOnce() -> R) -> R {
    with_switch(&MPFR_ONLY, f)
}

/// `f()` with two-limb soft floats used from 1 bit up, so tests cover their every precision.
#[cfg(test)]
pub(crate) fn every_precision<R>(f: impl FnOnce() -> R) -> R {
    with_switch(&EVERY_PRECISION, f)
}

/// The most bits a soft float holds.
pub(crate) const MAX_PREC: u32 = U256::BITS;

/// The fewest bits of a destination soft floats are used for. Up to one 64-bit limb MPFR
/// has dedicated routines (`mpfr_add1sp1`, `mpfr_div_1`, `mpfr_sqrt1`, …) that these match
/// or beat only for products (measured on x86-64, 53 bits: add 11 ns MPFR against 14 soft,
/// square root 11 against 21); at two limbs they do not (128 bits: product 25 against 15,
/// quotient 60 against 26, square root 142 against 49).
pub(crate) const MIN_PREC: u32 = 65;

/// Soft results keep their exponent within `±EXP_LIMIT`, well inside MPFR's default exponent
/// range `±(2³⁰ - 1)`, which nothing in theorist narrows (a test checks it): beyond, MPFR
/// computes the result, overflowing or underflowing as it does.
pub(crate) const EXP_LIMIT: i64 = 1 << 29;

/// The significand a soft float of a given precision carries: two limbs to 128 bits, four
/// to [`MAX_PREC`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Width {
    Two,
    Four,
}

/// The soft floats that compute results of `prec` bits, where any do.
#[inline(always)]
pub(crate) fn width(prec: u32) -> Option<Width> {
    if !mpfr_raw::LIMBS_64 || prec > MAX_PREC {
        return None;
    }
    let from = {
        #[cfg(test)]
        if EVERY_PRECISION.with(|c| c.get()) {
            1
        } else {
            MIN_PREC
        }
        #[cfg(not(test))]
        MIN_PREC
    };
    if prec < from || !enabled() {
        return None;
    }
    Some(if prec <= u128::BITS {
        Width::Two
    } else {
        Width::Four
    })
}

/// Whether results of `prec` bits are computed by soft floats.
#[inline(always)]
#[cfg(test)]
pub(crate) fn applies(prec: u32) -> bool {
    width(prec).is_some()
}

/// An unsigned integer of `BITS` bits holding a soft float's significand, and the integer
/// arithmetic the float's operations are built of. Every operation is exact; the float
/// (`float`) rounds.
pub(crate) trait Significand: Copy + Ord + Debug {
    const BITS: u32;
    const ZERO: Self;
    const ONE: Self;
    /// `2^(BITS - 1)`: the significand of a power of two.
    const TOP: Self;
    const MAX: Self;
    /// Whether the float's operations are inlined into their callers (else each is one
    /// function all callers share: four-limb operations are kilobytes of code, and an
    /// interval operation inlines several).
    const INLINE: bool;

    fn is_zero(self) -> bool;
    /// Whether the top bit is set (a normalised significand).
    fn top_bit(self) -> bool;
    fn low_bit(self) -> bool;
    fn leading_zeros(self) -> u32;
    /// `self << d` for `d < BITS`.
    fn shl(self, d: u32) -> Self;
    /// `self >> d` for `d < BITS`.
    fn shr(self, d: u32) -> Self;
    fn or(self, other: Self) -> Self;
    fn overflowing_add(self, other: Self) -> (Self, bool);
    fn overflowing_sub(self, other: Self) -> (Self, bool);
    fn wrapping_sub(self, other: Self) -> Self {
        self.overflowing_sub(other).0
    }

    /// `(self cut to its top `prec` bits, whether a cut bit was set)`, `prec ≤ BITS`.
    fn truncate(self, prec: u32) -> (Self, bool);
    /// `self + 2^(BITS - prec)` (one unit in the last of `prec` places); `None` past `MAX`.
    fn step_up(self, prec: u32) -> Option<Self>;
    fn from_u64(v: u64) -> Self;

    /// The exact `2·BITS`-bit product as (high, low) halves.
    fn widening_mul(self, other: Self) -> (Self, Self);
    /// `(⌊n·2^BITS / d⌋, whether it is inexact)` for `n < d` and `d`'s top bit set; only the
    /// quotient's top 64-bit digits that `prec` bits need are computed (the rest zero, their
    /// value joining the inexact flag).
    fn div_fraction(n: Self, d: Self, prec: u32) -> (Self, bool);
    /// `(⌊√X⌋, whether X is not its square)` for `X = xh·2^BITS + xl ≥ 2^(2·BITS - 2)`, only
    /// the root's top digits that `prec` bits need computed (the rest zero, flagged inexact).
    fn sqrt_wide(xh: Self, xl: Self, prec: u32) -> (Self, bool);
    /// `(⌊√X⌋, its square)` for `X` as in `sqrt_wide`.
    fn sqrt_wide_exact(xh: Self, xl: Self) -> (Self, (Self, Self));

    /// `(s + 1)²` from `s²`: `s² + 2s + 1`, exact in `2·BITS` bits for `s < MAX`.
    #[inline(always)]
    fn next_square(s: Self, square: (Self, Self)) -> (Self, Self) {
        let (lo, carry) = square.1.overflowing_add(s.shl(1).or(Self::ONE));
        // 2s's top bit and the carry out of the low half.
        let up = u64::from(s.top_bit()) + u64::from(carry);
        (square.0.overflowing_add(Self::from_u64(up)).0, lo)
    }

    /// `(⌊√X⌋, its square)` from a candidate `s` near the root: stepped down while `s² > X`,
    /// then up while `(s + 1)² ≤ X`, on exact squares (so the result does not rest on how
    /// near the candidate was).
    #[inline(always)]
    fn correct_root(mut s: Self, x: (Self, Self)) -> (Self, (Self, Self)) {
        let mut square = s.widening_mul(s);
        while square > x {
            s = s.wrapping_sub(Self::ONE);
            square = s.widening_mul(s);
        }
        while s < Self::MAX {
            let next = Self::next_square(s, square);
            if next > x {
                break;
            }
            s = s.overflowing_add(Self::ONE).0;
            square = next;
        }
        (s, square)
    }

    /// The significand in `limbs` (most significant last, at most `BITS / 64` of them),
    /// placed at the top.
    fn from_limbs(limbs: &[u64]) -> Option<Self>;
    /// The top `limbs.len()` limbs of `self` into `limbs` (most significant last).
    fn to_limbs(self, limbs: &mut [u64]);
}

#[cfg(test)]
pub(crate) mod tests;
