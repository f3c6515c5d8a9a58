//! The soft float over either significand ([`Significand`]): reading and writing MPFR
//! numbers, directed rounding, and the cases of each operation (signs, zeros, alignment,
//! normalisation), the same for two and four limbs; the significands' integer arithmetic
//! lives beside it (`two_limbs`, `four_limbs`).

use std::cmp::Ordering;

use rug::Assign;
use rug::Float;
use rug::float::{Round, Special};

use super::{EXP_LIMIT, Significand};
use crate::mpfr_raw;

/// `(-1)^neg · 0.mant · 2^exp` (MPFR's convention: the significand in `[½, 1)`), with `mant`'s
/// top bit set; `mant == 0` is a zero of sign `neg`. Equality and order are the values' (zeros
/// of either sign are equal), as MPFR compares.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Soft<M> {
    neg: bool,
    exp: i64,
    mant: M,
}

/// A result and its ternary value (the rounded result against the exact one), as MPFR
/// returns them.
pub(crate) type Rounded<M> = (Soft<M>, Ordering);

impl<M: Significand> Soft<M> {
    /// `+0`, what MPFR's `set_si(0)` gives.
    pub(crate) const ZERO: Soft<M> = Soft::zero(false);

    /// `1` (`0.1₂ · 2¹`).
    pub(crate) const ONE: Soft<M> = Soft {
        neg: false,
        exp: 1,
        mant: M::TOP,
    };

    #[inline(always)]
    const fn zero(neg: bool) -> Soft<M> {
        Soft {
            neg,
            exp: 0,
            mant: M::ZERO,
        }
    }

    #[inline(always)]
    pub(crate) fn is_zero(self) -> bool {
        self.mant.is_zero()
    }

    /// `-self` (exact; the sign of a zero flips too).
    #[inline(always)]
    pub(crate) fn negated(self) -> Soft<M> {
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
    pub(crate) fn cmp_abs(self, other: Soft<M>) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => (self.exp, self.mant).cmp(&(other.exp, other.mant)),
        }
    }

    /// The exponent (`self = ±0.m · 2^exp`), for tests.
    #[cfg(test)]
    pub(crate) fn exp(self) -> i64 {
        self.exp
    }
}

impl<M: Significand> PartialEq for Soft<M> {
    #[inline(always)]
    fn eq(&self, other: &Soft<M>) -> bool {
        cmp(*self, *other) == Ordering::Equal
    }
}

impl<M: Significand> PartialOrd for Soft<M> {
    #[inline(always)]
    fn partial_cmp(&self, other: &Soft<M>) -> Option<Ordering> {
        Some(cmp(*self, *other))
    }
}

/// `x` as a soft float: `None` for NaN, infinities and more bits than `M` holds.
#[inline(always)]
pub(crate) fn read<M: Significand>(x: &Float) -> Option<Soft<M>> {
    if x.prec() > M::BITS {
        return None;
    }
    if x.is_zero() {
        return Some(Soft::zero(x.is_sign_negative()));
    }
    let p = mpfr_raw::parts(x)?;
    Some(Soft {
        neg: p.neg,
        exp: p.exp,
        mant: M::from_limbs(p.limbs)?,
    })
}

/// `to := v`, for `v` exact at `to`'s precision (at most `M::BITS` bits: its significand's
/// bits below that precision are zero) and its exponent within [`EXP_LIMIT`].
#[inline(always)]
pub(crate) fn write<M: Significand>(to: &mut Float, v: Soft<M>) {
    if v.is_zero() {
        to.assign(if v.neg {
            Special::NegZero
        } else {
            Special::Zero
        });
        return;
    }
    let prec = to.prec();
    debug_assert!(prec <= M::BITS && v.mant.top_bit() && v.exp.abs() <= EXP_LIMIT);
    debug_assert!(!v.mant.truncate(prec).1, "not exact at {prec} bits");
    let written = mpfr_raw::set_regular(to, v.neg, v.exp, |limbs| v.mant.to_limbs(limbs));
    // Soft floats apply only with 64-bit limbs (`width`).
    debug_assert!(written);
}

/// `(-1)^neg · 0.hi… · 2^exp` rounded to `prec` bits in direction `dir`, where `hi` holds the
/// exact value's top bits (its top bit set) and `rest` says whether any bit below them is
/// nonzero. Directed rounding needs no round bit: it truncates the magnitude, then steps one
/// ulp away from zero when the result was inexact and the direction points away from zero
/// (up for a positive value, down for a negative one). `None` for a direction other than
/// down or up, or an exponent beyond [`EXP_LIMIT`].
#[inline(always)]
fn round<M: Significand>(
    neg: bool,
    exp: i64,
    hi: M,
    rest: bool,
    prec: u32,
    dir: Round,
) -> Option<Rounded<M>> {
    debug_assert!(hi.top_bit() && prec >= 1);
    if prec > M::BITS {
        return None;
    }
    let away = match dir {
        Round::Down => neg,
        Round::Up => !neg,
        _ => return None,
    };
    let (kept, cut) = hi.truncate(prec);
    let inexact = rest || cut;
    let (mant, exp) = match (inexact && away).then(|| kept.step_up(prec)) {
        None => (kept, exp),
        Some(Some(up)) => (up, exp),
        // All ones stepped up: the next power of two.
        Some(None) => (M::TOP, exp + 1),
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

/// `y`'s significand shifted right by `d` places into a window of two significands below
/// one of exponent `d` above it, as (high, low) halves. For `d ≤ BITS` `y`'s bits stay in
/// the window and the sum or difference is exact. For `d > BITS`, `y < 2^(BITS - 1)` in
/// window units (its top bit at `2·BITS - 1 - d ≤ BITS - 2`), while the larger term `x` is a
/// multiple of `2^BITS` and the result's precision (at most `BITS` bits, normalised by at
/// most one place after subtracting) rounds at a multiple of `2^(BITS - 1)` at least: the
/// exact `x ± y` lies strictly between the same two neighbours of `x` as `x ± 1` does, so
/// `y` is replaced by 1 (a sticky bit), which truncates alike and keeps the result inexact.
#[inline(always)]
fn align<M: Significand>(y: M, d: i64) -> (M, M) {
    let bits = i64::from(M::BITS);
    if d == 0 {
        (y, M::ZERO)
    } else if d < bits {
        (y.shr(d as u32), y.shl((bits - d) as u32))
    } else if d == bits {
        (M::ZERO, y)
    } else {
        (M::ZERO, M::ONE)
    }
}

/// `a + b`. Zeros follow IEEE 754 and MPFR: an exact zero sum of nonzero terms, or the sum of
/// zeros of opposite signs, is `+0`, and `-0` when rounding down.
#[inline(always)]
fn add_here<M: Significand>(a: Soft<M>, b: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    // One rounding for every case (each inlined copy of `round` is code to fetch).
    let (neg, exp, hi, rest) = match (a.is_zero(), b.is_zero()) {
        (true, true) => {
            let neg = if a.neg == b.neg {
                a.neg
            } else {
                dir == Round::Down
            };
            return Some((Soft::zero(neg), Ordering::Equal));
        }
        (true, false) => (b.neg, b.exp, b.mant, false),
        (false, true) => (a.neg, a.exp, a.mant, false),
        (false, false) => match exact_sum(a, b) {
            Some(sum) => sum,
            None => return Some((Soft::zero(dir == Round::Down), Ordering::Equal)),
        },
    };
    round(neg, exp, hi, rest, prec, dir)
}

/// The exact sum of nonzero `a` and `b` as `(neg, exp, hi, rest)` for [`round`], `None` for an
/// exact zero.
#[inline(always)]
fn exact_sum<M: Significand>(a: Soft<M>, b: Soft<M>) -> Option<(bool, i64, M, bool)> {
    // x the larger magnitude, y the other, shifted right by d into the window below x.
    let (x, y) = if (a.exp, a.mant) >= (b.exp, b.mant) {
        (a, b)
    } else {
        (b, a)
    };
    // Both exponents are MPFR's (|exp| < 2⁶²): no overflow.
    let (yh, yl) = align(y.mant, x.exp - y.exp);
    if x.neg == y.neg {
        // x's low half is zero: the low half of the sum is yl, with no carry.
        let (hi, carry) = x.mant.overflowing_add(yh);
        return Some(if carry {
            // One bit more: the lowest joins the sticky bits.
            let rest = !yl.is_zero() || hi.low_bit();
            (x.neg, x.exp + 1, hi.shr(1).or(M::TOP), rest)
        } else {
            (x.neg, x.exp, hi, !yl.is_zero())
        });
    }
    let (lo, borrow) = M::ZERO.overflowing_sub(yl);
    let hi = x.mant.wrapping_sub(yh);
    let hi = if borrow { hi.wrapping_sub(M::ONE) } else { hi };
    if hi.is_zero() && lo.is_zero() {
        return None;
    }
    // Normalise: shift the difference left until its top bit is set.
    let (hi, lo, shift) = if hi.is_zero() {
        let z = lo.leading_zeros();
        (lo.shl(z), M::ZERO, i64::from(M::BITS + z))
    } else {
        let z = hi.leading_zeros();
        let hi = if z == 0 {
            hi
        } else {
            hi.shl(z).or(lo.shr(M::BITS - z))
        };
        (hi, lo.shl(z), i64::from(z))
    };
    Some((x.neg, x.exp - shift, hi, !lo.is_zero()))
}

/// `a - b`.
#[inline(always)]
pub(crate) fn sub<M: Significand>(
    a: Soft<M>,
    b: Soft<M>,
    prec: u32,
    dir: Round,
) -> Option<Rounded<M>> {
    add(a, b.negated(), prec, dir)
}

/// `a · b`: the double-width product of the significands, exact, then rounded.
#[inline(always)]
fn mul_here<M: Significand>(a: Soft<M>, b: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    let neg = a.neg != b.neg;
    if a.is_zero() || b.is_zero() {
        return Some((Soft::zero(neg), Ordering::Equal));
    }
    // 0.a · 0.b ∈ [¼, 1): one place to normalise at most.
    let (hi, lo) = a.mant.widening_mul(b.mant);
    let (exp, hi, lo) = if hi.top_bit() {
        (a.exp + b.exp, hi, lo)
    } else {
        let hi = hi.shl(1).or(lo.shr(M::BITS - 1));
        (a.exp + b.exp - 1, hi, lo.shl(1))
    };
    round(neg, exp, hi, !lo.is_zero(), prec, dir)
}

/// `a / b`; `None` for a zero divisor (MPFR's infinities and NaN).
#[inline(always)]
fn div_here<M: Significand>(a: Soft<M>, b: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    if b.is_zero() {
        return None;
    }
    let neg = a.neg != b.neg;
    if a.is_zero() {
        return Some((Soft::zero(neg), Ordering::Equal));
    }
    // 0.a / 0.b ∈ (½, 2). At or above 1 the quotient is 1 + (a - b)/b: a leading one, then
    // the BITS bits of ⌊(a - b)·2^BITS / b⌋, the last of which joins the sticky bits. (The
    // quotient's digits the precision needs are a leading one and `prec - 1` bits more.)
    let (exp, hi, rest) = if a.mant >= b.mant {
        let (q, inexact) = M::div_fraction(a.mant.wrapping_sub(b.mant), b.mant, prec);
        (
            a.exp - b.exp + 1,
            M::TOP.or(q.shr(1)),
            q.low_bit() || inexact,
        )
    } else {
        // Below 1 (and above ½): ⌊a·2^BITS / b⌋ has its top bit set.
        let (q, inexact) = M::div_fraction(a.mant, b.mant, prec);
        (a.exp - b.exp, q, inexact)
    };
    round(neg, exp, hi, rest, prec, dir)
}

/// `√a`; `None` for a negative `a` (MPFR's NaN). `√±0 = ±0`, as in IEEE 754 and MPFR.
#[inline(always)]
fn sqrt_here<M: Significand>(a: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    if a.is_zero() {
        return Some((a, Ordering::Equal));
    }
    if a.neg {
        return None;
    }
    let (xh, xl, exp) = radicand(a);
    let (s, inexact) = M::sqrt_wide(xh, xl, prec);
    round(false, exp, s, inexact, prec, dir)
}

/// The radicand `X = xh·2^BITS + xl` and exponent `f` of a positive `a` with
/// `√a = √X · 2^(f - BITS)`: for `a = 0.m · 2^e` with even `e`, `X = m·2^BITS` and `f = e/2`;
/// with odd `e`, `X = m·2^(BITS - 1)` and `f = (e+1)/2`. Either radicand lies in
/// `[2^(2·BITS - 2), 2^(2·BITS))`, so its root has exactly `BITS` bits.
#[inline(always)]
fn radicand<M: Significand>(a: Soft<M>) -> (M, M, i64) {
    if a.exp % 2 == 0 {
        (a.mant, M::ZERO, a.exp / 2)
    } else {
        (a.mant.shr(1), a.mant.shl(M::BITS - 1), (a.exp + 1) / 2)
    }
}

/// The most steps [`sqrt_pair`] takes from one root to the next.
const PAIR_STEPS: u64 = 16;

/// `(√lo rounded down, √hi rounded up)` for positive `lo ≤ hi`: the two endpoints of an
/// interval's square root. When both have one exponent, `hi`'s radicand is `lo`'s plus a
/// little, and so is its root: from `⌊√X_lo⌋` and its square, `(s + 1)² = s² + 2s + 1` steps
/// up to `⌊√X_hi⌋` exactly, a few additions where a second root costs divisions (a thin
/// interval a few ulps wide takes at most about one step per ulp). Wider intervals, other
/// exponents and precisions whose roots need half the digits or fewer take two roots.
#[inline(always)]
pub(crate) fn sqrt_pair<M: Significand>(
    lo: Soft<M>,
    hi: Soft<M>,
    prec: u32,
) -> Option<(Soft<M>, Soft<M>)> {
    debug_assert!(lo.sign() == Ordering::Greater && lo <= hi);
    // One ulp of the significand moves the root by under one step (`√` halves relative
    // differences), so a gap of more than a few steps' worth of ulps is not worth stepping.
    if lo.exp != hi.exp
        || prec <= M::BITS / 2
        || hi.mant.wrapping_sub(lo.mant) > M::from_u64(PAIR_STEPS)
    {
        return Some((sqrt(lo, prec, Round::Down)?.0, sqrt(hi, prec, Round::Up)?.0));
    }
    let ((xh, xl, exp), (yh, yl, _)) = (radicand(lo), radicand(hi));
    let (s, square) = M::sqrt_wide_exact(xh, xl);
    let lower = round(false, exp, s, square != (xh, xl), prec, Round::Down)?.0;
    let y = (yh, yl);
    let (mut t, mut t_square) = (s, square);
    for _ in 0..PAIR_STEPS {
        if t == M::MAX {
            break;
        }
        let next = M::next_square(t, t_square);
        if next > y {
            return Some((
                lower,
                round(false, exp, t, t_square != y, prec, Round::Up)?.0,
            ));
        }
        t = t.overflowing_add(M::ONE).0;
        t_square = next;
    }
    Some((lower, sqrt(hi, prec, Round::Up)?.0))
}

/// `a · 2^k` (exact unless the precision drops or the exponent leaves the range).
#[inline(always)]
pub(crate) fn scale<M: Significand>(
    a: Soft<M>,
    k: i32,
    prec: u32,
    dir: Round,
) -> Option<Rounded<M>> {
    if a.is_zero() {
        return Some((a, Ordering::Equal));
    }
    round(a.neg, a.exp + i64::from(k), a.mant, false, prec, dir)
}

/// `a` at `prec` bits, rounded.
#[inline(always)]
pub(crate) fn set<M: Significand>(a: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    if a.is_zero() {
        return Some((a, Ordering::Equal));
    }
    round(a.neg, a.exp, a.mant, false, prec, dir)
}

/// The order of two soft values (zeros of either sign are equal).
#[inline(always)]
fn cmp<M: Significand>(a: Soft<M>, b: Soft<M>) -> Ordering {
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

/// [`add_here`] inlined for significands that ask for it, else one shared call.
#[inline(always)]
pub(crate) fn add<M: Significand>(
    a: Soft<M>,
    b: Soft<M>,
    prec: u32,
    dir: Round,
) -> Option<Rounded<M>> {
    if M::INLINE {
        add_here(a, b, prec, dir)
    } else {
        add_called(a, b, prec, dir)
    }
}

#[inline(never)]
fn add_called<M: Significand>(a: Soft<M>, b: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    add_here(a, b, prec, dir)
}

/// [`mul_here`] inlined for significands that ask for it, else one shared call.
#[inline(always)]
pub(crate) fn mul<M: Significand>(
    a: Soft<M>,
    b: Soft<M>,
    prec: u32,
    dir: Round,
) -> Option<Rounded<M>> {
    if M::INLINE {
        mul_here(a, b, prec, dir)
    } else {
        mul_called(a, b, prec, dir)
    }
}

#[inline(never)]
fn mul_called<M: Significand>(a: Soft<M>, b: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    mul_here(a, b, prec, dir)
}

/// [`div_here`] inlined for significands that ask for it, else one shared call.
#[inline(always)]
pub(crate) fn div<M: Significand>(
    a: Soft<M>,
    b: Soft<M>,
    prec: u32,
    dir: Round,
) -> Option<Rounded<M>> {
    if M::INLINE {
        div_here(a, b, prec, dir)
    } else {
        div_called(a, b, prec, dir)
    }
}

#[inline(never)]
fn div_called<M: Significand>(a: Soft<M>, b: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    div_here(a, b, prec, dir)
}

/// [`sqrt_here`] inlined for significands that ask for it, else one shared call.
#[inline(always)]
pub(crate) fn sqrt<M: Significand>(a: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    if M::INLINE {
        sqrt_here(a, prec, dir)
    } else {
        sqrt_called(a, prec, dir)
    }
}

#[inline(never)]
fn sqrt_called<M: Significand>(a: Soft<M>, prec: u32, dir: Round) -> Option<Rounded<M>> {
    sqrt_here(a, prec, dir)
}
