//! Software floats of at most 128 bits: sign, exponent and a 128-bit significand, with
//! addition, subtraction, multiplication, division, square roots and scaling by `2^k`
//! correctly rounded in the directed mode asked for (`Round::Down`, `Round::Up`). A correctly
//! rounded result is unique, so each equals MPFR's at the same precision and direction bit for
//! bit, its sign of zero and ternary value included (property-tested against MPFR in
//! `soft/tests.rs`). They run in registers, with no call into MPFR: at two limbs MPFR pays its
//! general entry points (argument checks, precision dispatch, `mpn` calls) on every
//! operation, for products, quotients and square roots several times this module's cost.
//! Intervals of them (`soft_interval`) carry [`Interval`](crate::interval::Interval)'s
//! operations and the compiled tape's registers (`tape`) at 65 to 128 bits ([`MIN_PREC`]);
//! below, MPFR's one-limb routines are as fast.
//!
//! What they do not do, MPFR does: precisions above 128 bits, NaN and infinite operands,
//! division by zero, square roots of negative numbers, round-to-nearest, and results whose
//! exponent leaves [`EXP_LIMIT`] (MPFR overflows, underflows and rounds those itself): each
//! operation returns `None` there.
//!
//! The MPFR side is read and written in place (`mpfr_raw`), with 64-bit limbs only.

use std::cmp::Ordering;

use rug::Assign;
use rug::Float;
use rug::float::{Round, Special};

use crate::mpfr_raw;

// Unit tests compare every soft path with MPFR alone by turning soft floats off on their
// thread (`mpfr_only`), and run them below `MIN_PREC` too (`every_precision`); other builds
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

/// `f()` computed with MPFR alone: the reference soft results are compared with.
#[cfg(test)]
pub(crate) fn mpfr_only<R>(f: impl FnOnce() -> R) -> R {
    with_switch(&MPFR_ONLY, f)
}

/// `f()` with soft floats used from 1 bit up, so tests cover their every precision.
#[cfg(test)]
pub(crate) fn every_precision<R>(f: impl FnOnce() -> R) -> R {
    with_switch(&EVERY_PRECISION, f)
}

/// The most bits a soft float holds.
pub(crate) const MAX_PREC: u32 = 128;

/// The fewest bits of a destination soft floats are used for. Up to one 64-bit limb MPFR
/// has dedicated routines (`mpfr_add1sp1`, `mpfr_div_1`, `mpfr_sqrt1`, …) that these match
/// or beat only for products (measured on x86-64, 53 bits: add 11 ns MPFR against 14 soft,
/// square root 11 against 21); at two limbs they do not (128 bits: product 25 against 15,
/// quotient 60 against 26, square root 142 against 49).
pub(crate) const MIN_PREC: u32 = 65;

/// Whether results of `prec` bits are computed by soft floats.
#[inline(always)]
pub(crate) fn applies(prec: u32) -> bool {
    if !mpfr_raw::LIMBS_64 {
        return false;
    }
    #[cfg(test)]
    if EVERY_PRECISION.with(|c| c.get()) {
        return (1..=MAX_PREC).contains(&prec) && enabled();
    }
    (MIN_PREC..=MAX_PREC).contains(&prec) && enabled()
}

/// Soft results keep their exponent within `±EXP_LIMIT`, well inside MPFR's default exponent
/// range `±(2³⁰ - 1)`, which nothing in theorist narrows (a test checks it): beyond, MPFR
/// computes the result, overflowing or underflowing as it does.
pub(crate) const EXP_LIMIT: i64 = 1 << 29;

/// `(-1)^neg · 0.mant · 2^exp` (MPFR's convention: the significand in `[½, 1)`), with `mant`'s
/// top bit set; `mant == 0` is a zero of sign `neg`. Equality and order are the values' (zeros
/// of either sign are equal), as MPFR compares.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Soft {
    neg: bool,
    exp: i64,
    mant: u128,
}

/// A result and its ternary value (the rounded result against the exact one), as MPFR
/// returns them.
type Rounded = (Soft, Ordering);

impl Soft {
    /// `+0`, what MPFR's `set_si(0)` gives.
    pub(crate) const ZERO: Soft = Soft::zero(false);

    /// `1` (`0.1₂ · 2¹`).
    pub(crate) const ONE: Soft = Soft {
        neg: false,
        exp: 1,
        mant: 1 << 127,
    };

    #[inline(always)]
    const fn zero(neg: bool) -> Soft {
        Soft {
            neg,
            exp: 0,
            mant: 0,
        }
    }

    #[inline(always)]
    pub(crate) fn is_zero(self) -> bool {
        self.mant == 0
    }

    /// `-self` (exact; the sign of a zero flips too).
    #[inline(always)]
    pub(crate) fn negated(self) -> Soft {
        Soft {
            neg: !self.neg,
            ..self
        }
    }

    /// Whether the sign bit is set (a negative number, or `-0`).
    #[inline(always)]
    pub(crate) fn is_sign_negative(self) -> bool {
        self.neg
    }

    /// The sign: `Equal` for zeros of either sign.
    #[inline(always)]
    pub(crate) fn sign(self) -> Ordering {
        match (self.is_zero(), self.neg) {
            (true, _) => Ordering::Equal,
            (false, true) => Ordering::Less,
            (false, false) => Ordering::Greater,
        }
    }

    /// `|self|` against `|other|`.
    #[inline(always)]
    pub(crate) fn cmp_abs(self, other: Soft) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => (self.exp, self.mant).cmp(&(other.exp, other.mant)),
        }
    }
}

impl PartialEq for Soft {
    #[inline(always)]
    fn eq(&self, other: &Soft) -> bool {
        cmp(*self, *other) == Ordering::Equal
    }
}

impl PartialOrd for Soft {
    #[inline(always)]
    fn partial_cmp(&self, other: &Soft) -> Option<Ordering> {
        Some(cmp(*self, *other))
    }
}

/// `x` as a soft float: `None` for NaN, infinities and more than [`MAX_PREC`] bits.
#[inline(always)]
pub(crate) fn read(x: &Float) -> Option<Soft> {
    let prec = x.prec();
    if prec > MAX_PREC {
        return None;
    }
    if x.is_zero() {
        return Some(Soft::zero(x.is_sign_negative()));
    }
    let p = mpfr_raw::parts(x)?;
    // One limb (at most 64 bits) or two, most significant last.
    let (top, low) = match *p.limbs {
        [top] => (top, 0),
        [low, top] => (top, low),
        _ => return None,
    };
    Some(Soft {
        neg: p.neg,
        exp: p.exp,
        mant: (u128::from(top) << 64) | u128::from(low),
    })
}

/// `to := v`, for `v` exact at `to`'s precision (at most [`MAX_PREC`] bits: its significand's
/// bits below that precision are zero) and its exponent within [`EXP_LIMIT`].
#[inline(always)]
pub(crate) fn write(to: &mut Float, v: Soft) {
    if v.is_zero() {
        to.assign(if v.neg {
            Special::NegZero
        } else {
            Special::Zero
        });
        return;
    }
    let prec = to.prec();
    debug_assert!(prec <= MAX_PREC && v.mant >> 127 == 1 && v.exp.abs() <= EXP_LIMIT);
    debug_assert_eq!(
        v.mant & ((1u128 << (128 - prec)) - 1),
        0,
        "not exact at {prec} bits"
    );
    let written = mpfr_raw::set_regular(to, v.neg, v.exp, |limbs| match limbs {
        [top] => *top = (v.mant >> 64) as u64,
        [low, top] => (*low, *top) = (v.mant as u64, (v.mant >> 64) as u64),
        _ => unreachable!("at most 128 bits"),
    });
    // Soft floats apply only with 64-bit limbs (`applies`).
    debug_assert!(written);
}

/// `(-1)^neg · 0.hi… · 2^exp` rounded to `prec` bits in direction `dir`, where `hi` holds the
/// exact value's top 128 bits (its top bit set) and `rest` says whether any bit below them is
/// nonzero. Directed rounding needs no round bit: it truncates the magnitude, then steps one
/// ulp away from zero when the result was inexact and the direction points away from zero
/// (up for a positive value, down for a negative one). `None` for a direction other than
/// down or up, or an exponent beyond [`EXP_LIMIT`].
#[inline(always)]
fn round(neg: bool, exp: i64, hi: u128, rest: bool, prec: u32, dir: Round) -> Option<Rounded> {
    debug_assert!(hi >> 127 == 1 && prec >= 1);
    if prec > MAX_PREC {
        return None;
    }
    let away = match dir {
        Round::Down => neg,
        Round::Up => !neg,
        _ => return None,
    };
    // At 128 bits (the common case) nothing below the precision is cut.
    let (ulp, kept) = if prec == MAX_PREC {
        (1, hi)
    } else {
        let ulp = 1u128 << (MAX_PREC - prec);
        (ulp, hi & !(ulp - 1))
    };
    let inexact = rest || kept != hi;
    let (mant, exp) = match (inexact && away).then(|| kept.checked_add(ulp)) {
        None => (kept, exp),
        Some(Some(up)) => (up, exp),
        // All ones stepped up: the next power of two.
        Some(None) => (1 << 127, exp + 1),
    };
    // |exp| ≤ EXP_LIMIT, as one unsigned comparison.
    // (Exponents read from MPFR are below 2⁶², so sums of two never wrap; `wrapping_add`
    // only keeps the shifted comparison from overflowing near the top of that range.)
    if exp.wrapping_add(EXP_LIMIT) as u64 > 2 * EXP_LIMIT as u64 {
        return None;
    }
    let ternary = match (inexact, dir) {
        (false, _) => Ordering::Equal,
        (true, Round::Down) => Ordering::Less,
        (true, _) => Ordering::Greater,
    };
    Some((Soft { neg, exp, mant }, ternary))
}

/// The exact 256-bit product `a · b` as (high, low) halves.
#[inline(always)]
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let (a1, a0) = (a >> 64, a & u128::from(u64::MAX));
    let (b1, b0) = (b >> 64, b & u128::from(u64::MAX));
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // Three 64-bit values: no overflow.
    let mid = (p00 >> 64) + (p01 & u128::from(u64::MAX)) + (p10 & u128::from(u64::MAX));
    let low = (mid << 64) | (p00 & u128::from(u64::MAX));
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

/// `a + b`. Zeros follow IEEE 754 and MPFR: an exact zero sum of nonzero terms, or the sum of
/// zeros of opposite signs, is `+0`, and `-0` when rounding down.
#[inline(always)]
pub(crate) fn add(a: Soft, b: Soft, prec: u32, dir: Round) -> Option<Rounded> {
    match (a.is_zero(), b.is_zero()) {
        (true, true) => {
            let neg = if a.neg == b.neg {
                a.neg
            } else {
                dir == Round::Down
            };
            return Some((Soft::zero(neg), Ordering::Equal));
        }
        (true, false) => return round(b.neg, b.exp, b.mant, false, prec, dir),
        (false, true) => return round(a.neg, a.exp, a.mant, false, prec, dir),
        (false, false) => {}
    }
    // x the larger magnitude, y the other, shifted right by d into a 256-bit window below x.
    let (x, y) = if (a.exp, a.mant) >= (b.exp, b.mant) {
        (a, b)
    } else {
        (b, a)
    };
    // Both exponents are MPFR's (|exp| < 2⁶²): no overflow.
    let d = x.exp - y.exp;
    // For d ≤ 128 y's bits stay in the window, the sum or difference is exact. For d > 128,
    // y < 2^127 in window units (its top bit at 255 - d ≤ 126), while x is a multiple of 2^128
    // and the result's precision (at most 128 bits, normalised by at most one place after
    // subtracting) rounds at a multiple of 2^127 at least: the exact x ± y lies strictly
    // between the same two neighbours of x as x ± 1 does, so y is replaced by 1 (a sticky
    // bit), which truncates alike and keeps the result inexact.
    let (yh, yl) = match d {
        0 => (y.mant, 0),
        1..=127 => (y.mant >> d, y.mant << (128 - d)),
        128 => (0, y.mant),
        _ => (0, 1),
    };
    if x.neg == y.neg {
        let (hi, carry) = x.mant.overflowing_add(yh);
        if carry {
            // 257 bits: the lowest one joins the sticky bits.
            let rest = yl != 0 || hi & 1 != 0;
            return round(x.neg, x.exp + 1, (hi >> 1) | (1 << 127), rest, prec, dir);
        }
        return round(x.neg, x.exp, hi, yl != 0, prec, dir);
    }
    let (lo, borrow) = 0u128.overflowing_sub(yl);
    let hi = x.mant - yh - u128::from(borrow);
    if hi == 0 && lo == 0 {
        return Some((Soft::zero(dir == Round::Down), Ordering::Equal));
    }
    // Normalise: shift the 256-bit difference left until its top bit is set.
    let (hi, lo, shift) = if hi == 0 {
        let z = lo.leading_zeros();
        (lo << z, 0, 128 + i64::from(z))
    } else {
        let z = hi.leading_zeros();
        let hi = if z == 0 {
            hi
        } else {
            (hi << z) | (lo >> (128 - z))
        };
        (hi, lo << z, i64::from(z))
    };
    round(x.neg, x.exp - shift, hi, lo != 0, prec, dir)
}

/// `a - b`.
#[inline(always)]
pub(crate) fn sub(a: Soft, b: Soft, prec: u32, dir: Round) -> Option<Rounded> {
    add(a, b.negated(), prec, dir)
}

/// `a · b`: the 256-bit product of the significands, exact, then rounded.
#[inline(always)]
pub(crate) fn mul(a: Soft, b: Soft, prec: u32, dir: Round) -> Option<Rounded> {
    let neg = a.neg != b.neg;
    if a.is_zero() || b.is_zero() {
        return Some((Soft::zero(neg), Ordering::Equal));
    }
    // 0.a · 0.b ∈ [¼, 1): one place to normalise at most.
    let (hi, lo) = if (a.mant | b.mant) as u64 == 0 {
        // Significands of at most 64 bits: one machine product.
        ((a.mant >> 64) * (b.mant >> 64), 0)
    } else {
        mul_wide(a.mant, b.mant)
    };
    if hi >> 127 == 1 {
        round(neg, a.exp + b.exp, hi, lo != 0, prec, dir)
    } else {
        let hi = (hi << 1) | (lo >> 127);
        round(neg, a.exp + b.exp - 1, hi, lo << 1 != 0, prec, dir)
    }
}

/// `((u1·2⁶⁴ + u0) / d, (u1·2⁶⁴ + u0) mod d)` for `u1 < d` (the quotient fits 64 bits).
/// On x86-64 that is one `div` instruction, which Rust's 128-bit division reaches only
/// through a library call that first checks what this precondition already says.
#[inline(always)]
fn div_2by1(u1: u64, u0: u64, d: u64) -> (u64, u64) {
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
fn div_3by2(u2: u64, u1: u64, u0: u64, d: u128) -> (u64, u128) {
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

/// `(⌊n·2¹²⁸ / d⌋, n·2¹²⁸ mod d ≠ 0)` for `n < d` and `d`'s top bit set: a 128-bit
/// quotient and whether it is inexact; with `digits == 1` only the quotient's top 64 bits are
/// computed (the rest zero), the remainder then that of `⌊n·2⁶⁴ / d⌋`.
#[inline(always)]
fn div_wide(n: u128, d: u128, digits: u32) -> (u128, bool) {
    let (q1, r) = div_3by2((n >> 64) as u64, n as u64, 0, d);
    if digits == 1 {
        return (u128::from(q1) << 64, r != 0);
    }
    let (q0, r) = div_3by2((r >> 64) as u64, r as u64, 0, d);
    ((u128::from(q1) << 64) | u128::from(q0), r != 0)
}

/// `a / b`; `None` for a zero divisor (MPFR's infinities and NaN).
#[inline(always)]
pub(crate) fn div(a: Soft, b: Soft, prec: u32, dir: Round) -> Option<Rounded> {
    if b.is_zero() {
        return None;
    }
    let neg = a.neg != b.neg;
    if a.is_zero() {
        return Some((Soft::zero(neg), Ordering::Equal));
    }
    // At most 64 bits of result need the quotient's top 64 bits only: rounding reads the
    // leading one and 63 bits more at most, and any nonzero remainder makes it inexact.
    let digits = if prec <= 64 { 1 } else { 2 };
    // 0.a / 0.b ∈ (½, 2). At or above 1 the quotient is 1 + (a - b)/b: a leading one, then
    // the 128 bits of ⌊(a - b)·2¹²⁸ / b⌋, the last of which joins the sticky bits.
    if a.mant >= b.mant {
        let (q, inexact) = div_wide(a.mant - b.mant, b.mant, digits);
        let hi = (1 << 127) | (q >> 1);
        round(neg, a.exp - b.exp + 1, hi, q & 1 != 0 || inexact, prec, dir)
    } else {
        // Below 1 (and above ½): ⌊a·2¹²⁸ / b⌋ has its top bit set.
        let (q, inexact) = div_wide(a.mant, b.mant, digits);
        round(neg, a.exp - b.exp, q, inexact, prec, dir)
    }
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

/// `(⌊√X⌋, whether X is not its square)` for `X = xh·2¹²⁸ + xl ≥ 2²⁵⁴`, the root's top
/// `64·digits` bits (the rest zero; `⌊√⌊X/2¹²⁸⌋⌋ = ⌊⌊√X⌋/2⁶⁴⌋`) and whether any bit below
/// them is nonzero.
#[inline(always)]
fn sqrt_wide(xh: u128, xl: u128, digits: u32) -> (u128, bool) {
    debug_assert!(xh >> 126 != 0);
    if digits == 1 {
        let s1 = sqrt_u128(xh);
        let r1 = xh - u128::from(s1) * u128::from(s1);
        return (u128::from(s1) << 64, r1 != 0 || xl != 0);
    }
    let (s, square) = sqrt_wide_exact(xh, xl);
    (s, square != (xh, xl))
}

/// `(⌊√X⌋, its square)` for `X = xh·2¹²⁸ + xl ≥ 2²⁵⁴`: the Karatsuba step of `sqrt_u128`
/// again, one level up, over `s₁ = ⌊√xh⌋` and `r₁ = xh - s₁²`, corrected against the exact
/// 256-bit square.
#[inline(always)]
fn sqrt_wide_exact(xh: u128, xl: u128) -> (u128, (u128, u128)) {
    let s1 = u128::from(sqrt_u128(xh));
    let r1 = xh - s1 * s1;
    // ⌊(r₁·2⁶⁴ + x₁) / (2s₁)⌋ = ⌊⌊(r₁·2⁶⁴ + x₁)/2⌋ / s₁⌋, whose numerator fits 128 bits
    // (r₁ ≤ 2s₁ < 2⁶⁵).
    let half = (r1 << 63) | (xl >> 65);
    // The candidate can be 2¹²⁸ (for X just below 2²⁵⁶), one above the root 2¹²⁸ - 1, which
    // saturating gives.
    // q ≤ 2⁶⁴, and it is 2⁶⁴ exactly when the numerator's top half reaches s₁.
    let q = if (half >> 64) as u64 >= s1 as u64 {
        1 << 64
    } else {
        u128::from(div_2by1((half >> 64) as u64, half as u64, s1 as u64).0)
    };
    let s = (s1 << 64).saturating_add(q);
    correct_root(s, (xh, xl))
}

/// `(s + 1)²` from `s²` (`s² + 2s + 1`, exact in 256 bits for `s < 2¹²⁸ - 1`).
#[inline(always)]
fn next_square(s: u128, square: (u128, u128)) -> (u128, u128) {
    let (lo, carry) = square.1.overflowing_add((s << 1) | 1);
    (square.0 + (s >> 127) + u128::from(carry), lo)
}

/// `(⌊√X⌋, its square)` from a candidate `s` near the root: stepped down while `s² > X`,
/// then up while `(s + 1)² ≤ X`, on exact 256-bit squares.
#[inline(always)]
fn correct_root(mut s: u128, x: (u128, u128)) -> (u128, (u128, u128)) {
    let mut square = mul_wide(s, s);
    while square > x {
        s -= 1;
        square = mul_wide(s, s);
    }
    while s < u128::MAX {
        let next = next_square(s, square);
        if next > x {
            break;
        }
        s += 1;
        square = next;
    }
    (s, square)
}

/// `√a`; `None` for a negative `a` (MPFR's NaN). `√±0 = ±0`, as in IEEE 754 and MPFR.
#[inline(always)]
pub(crate) fn sqrt(a: Soft, prec: u32, dir: Round) -> Option<Rounded> {
    if a.is_zero() {
        return Some((a, Ordering::Equal));
    }
    if a.neg {
        return None;
    }
    let (xh, xl, exp) = radicand(a);
    // At most 64 bits of result need the root's top 64 bits only.
    let digits = if prec <= 64 { 1 } else { 2 };
    let (s, inexact) = sqrt_wide(xh, xl, digits);
    round(false, exp, s, inexact, prec, dir)
}

/// The radicand `X = xh·2¹²⁸ + xl` and exponent `f` of a positive `a` with
/// `√a = ⌊…⌋√X · 2^(f - 128)`: for `a = 0.m · 2^e` with even `e`, `X = m·2¹²⁸` and `f = e/2`;
/// with odd `e`, `X = m·2¹²⁷` and `f = (e+1)/2`. Either radicand lies in `[2²⁵⁴, 2²⁵⁶)`, so
/// its root has exactly 128 bits.
#[inline(always)]
fn radicand(a: Soft) -> (u128, u128, i64) {
    if a.exp % 2 == 0 {
        (a.mant, 0, a.exp / 2)
    } else {
        (a.mant >> 1, a.mant << 127, (a.exp + 1) / 2)
    }
}

/// The most steps [`sqrt_pair`] takes from one root to the next.
const PAIR_STEPS: u32 = 16;

/// `(√lo rounded down, √hi rounded up)` for positive `lo ≤ hi`: the two endpoints of an
/// interval's square root. When both have one exponent, `hi`'s radicand is `lo`'s plus a
/// little, and so is its root: from `⌊√X_lo⌋` and its square, `(s + 1)² = s² + 2s + 1` steps
/// up to `⌊√X_hi⌋` exactly, a few 256-bit additions where a second root costs two
/// divisions (a thin interval a few ulps wide takes at most about one step per ulp). Wider
/// intervals, other exponents and one-digit precisions take two roots.
#[inline(always)]
pub(crate) fn sqrt_pair(lo: Soft, hi: Soft, prec: u32) -> Option<(Soft, Soft)> {
    debug_assert!(lo.sign() == Ordering::Greater && lo <= hi);
    // One ulp of the significand moves the root by under one step (`√` halves relative
    // differences), so a gap of more than a few steps' worth of ulps is not worth stepping.
    if lo.exp != hi.exp || prec <= 64 || hi.mant - lo.mant > u128::from(PAIR_STEPS) {
        return Some((sqrt(lo, prec, Round::Down)?.0, sqrt(hi, prec, Round::Up)?.0));
    }
    let ((xh, xl, exp), (yh, yl, _)) = (radicand(lo), radicand(hi));
    let (s, square) = sqrt_wide_exact(xh, xl);
    let lower = round(false, exp, s, square != (xh, xl), prec, Round::Down)?.0;
    let y = (yh, yl);
    let (mut t, mut t_square) = (s, square);
    for _ in 0..PAIR_STEPS {
        if t == u128::MAX {
            break;
        }
        let next = next_square(t, t_square);
        if next > y {
            return Some((
                lower,
                round(false, exp, t, t_square != y, prec, Round::Up)?.0,
            ));
        }
        t += 1;
        t_square = next;
    }
    Some((lower, sqrt(hi, prec, Round::Up)?.0))
}

/// `a · 2^k` (exact unless the precision drops or the exponent leaves the range).
#[inline(always)]
pub(crate) fn scale(a: Soft, k: i32, prec: u32, dir: Round) -> Option<Rounded> {
    if a.is_zero() {
        return Some((a, Ordering::Equal));
    }
    round(a.neg, a.exp + i64::from(k), a.mant, false, prec, dir)
}

/// `a` at `prec` bits, rounded.
#[inline(always)]
pub(crate) fn set(a: Soft, prec: u32, dir: Round) -> Option<Rounded> {
    if a.is_zero() {
        return Some((a, Ordering::Equal));
    }
    round(a.neg, a.exp, a.mant, false, prec, dir)
}

/// The order of two soft values (zeros of either sign are equal).
#[inline(always)]
fn cmp(a: Soft, b: Soft) -> Ordering {
    let below = |neg: bool| {
        if neg {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    };
    match (a.is_zero(), b.is_zero()) {
        (true, true) => Ordering::Equal,
        (true, false) => below(b.neg).reverse(),
        (false, true) => below(a.neg),
        (false, false) if a.neg != b.neg => below(a.neg),
        (false, false) => {
            let magnitude = (a.exp, a.mant).cmp(&(b.exp, b.mant));
            if a.neg {
                magnitude.reverse()
            } else {
                magnitude
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
