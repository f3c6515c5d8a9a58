//! Intervals of soft floats (`soft`), of either width: [`Interval`]'s elementary operations
//! for finite endpoints at a destination precision of 65 to 256 bits, each giving exactly the
//! enclosure [`Interval`]'s MPFR operation gives, bit for bit, signs of zero included: the
//! same choice of endpoints (the sign cases are [`Interval`]'s own functions,
//! `product_factors` and `quotient_factors`), each endpoint correctly rounded in the same
//! direction (so equal to MPFR's), the same junk values and the same repair of an inverted
//! pair. [`Interval`]'s in-place operations try these first, reading their operands and
//! writing their result once; the compiled tape (`tape`) keeps its registers in this form
//! when the check's precision allows, converting only its inputs and the results it reports.
//!
//! `None` means "MPFR computes this": an endpoint outside the soft range (NaN, infinite, an
//! exponent beyond `soft::EXP_LIMIT`), a power other than 0, 1 or 2, or a copy that would
//! round (a destination narrower than its operand, where MPFR copies to nearest).

use std::cmp::Ordering;

use rug::float::Round;

use crate::interval::{Interval, Sign, product_factors, quotient_factors};
use crate::soft::{self, Significand, Soft, Width};

/// `[lo, hi]` of soft floats with significands `M` (never inverted, never NaN).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SoftInterval<M> {
    pub(crate) lo: Soft<M>,
    pub(crate) hi: Soft<M>,
}

/// The rounded value of a soft operation, or `false` from the enclosing function (MPFR must
/// compute it).
macro_rules! try_soft {
    ($e:expr) => {
        match $e {
            Some((v, _)) => v,
            None => return false,
        }
    };
}

/// `x` at `prec` bits when that is exact (a copy MPFR makes exactly too), else `None`.
#[inline(always)]
fn exact<M: Significand>(x: Soft<M>, prec: u32) -> Option<Soft<M>> {
    match soft::set(x, prec, Round::Down)? {
        (v, Ordering::Equal) => Some(v),
        _ => None,
    }
}

#[inline(always)]
fn ge0<M: Significand>(x: Soft<M>) -> bool {
    x.is_zero() || !x.is_sign_negative()
}

#[inline(always)]
fn le0<M: Significand>(x: Soft<M>) -> bool {
    x.is_zero() || x.is_sign_negative()
}

#[inline(always)]
fn gt0<M: Significand>(x: Soft<M>) -> bool {
    !x.is_zero() && !x.is_sign_negative()
}

/// The width of soft floats and the precision soft results for `to` are computed at: both
/// endpoints' precision, where soft floats apply (`soft::width`).
#[inline(always)]
pub(crate) fn destination(to: &Interval) -> Option<(Width, u32)> {
    // The range first: below 65 bits (the most common case after 128) that is all.
    let p = to.lo.prec();
    let width = soft::width(p)?;
    (p == to.hi.prec()).then_some((width, p))
}

impl<M: Significand> SoftInterval<M> {
    /// `[v, v]`.
    #[inline(always)]
    pub(crate) const fn point(v: Soft<M>) -> SoftInterval<M> {
        SoftInterval { lo: v, hi: v }
    }

    /// `x`'s endpoints, when both are soft.
    #[inline(always)]
    pub(crate) fn read(x: &Interval) -> Option<SoftInterval<M>> {
        Some(SoftInterval {
            lo: soft::read(&x.lo)?,
            hi: soft::read(&x.hi)?,
        })
    }

    /// `to := self`, for endpoints exact at `to`'s precision (every result here is, at the
    /// precision it was computed for).
    #[inline(always)]
    pub(crate) fn write(self, to: &mut Interval) {
        soft::write(&mut to.lo, self.lo);
        soft::write(&mut to.hi, self.hi);
    }

    /// Endpoint `i` (0 the lower, 1 the upper): a select of a reference rather than an array
    /// index or a copy (both cost a trip of the 32-byte values through the stack).
    #[inline(always)]
    fn end(&self, i: usize) -> &Soft<M> {
        if i == 0 { &self.lo } else { &self.hi }
    }

    #[inline(always)]
    fn signs(&self) -> [Sign; 2] {
        let sign = |x: Soft<M>| Sign {
            nonneg: ge0(x),
            nonpos: le0(x),
        };
        [sign(self.lo), sign(self.hi)]
    }

    /// `out := [lo, hi]`, as `Interval::fix` leaves finite endpoints: an inverted pair
    /// (impossible with correct rounding) is swapped rather than kept.
    #[inline(always)]
    fn set_fixed(out: &mut SoftInterval<M>, lo: Soft<M>, hi: Soft<M>) {
        if lo > hi {
            (out.lo, out.hi) = (hi, lo);
        } else {
            (out.lo, out.hi) = (lo, hi);
        }
    }

    /// `out := self` at `prec` bits when exact: what `Interval::set` copies.
    #[inline(always)]
    fn copy_into(&self, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let (Some(lo), Some(hi)) = (exact(self.lo, prec), exact(self.hi, prec)) else {
            return false;
        };
        (out.lo, out.hi) = (lo, hi);
        true
    }

    /// `out := self` rounded outward to `prec` bits (`Tape::set_input`).
    #[inline(always)]
    pub(crate) fn rounded(&self, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let lo = try_soft!(soft::set(self.lo, prec, Round::Down));
        let hi = try_soft!(soft::set(self.hi, prec, Round::Up));
        (out.lo, out.hi) = (lo, hi);
        true
    }

    /// `Interval::set_neg`.
    #[inline(always)]
    pub(crate) fn neg(&self, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let (Some(lo), Some(hi)) = (
            exact(self.hi.negated(), prec),
            exact(self.lo.negated(), prec),
        ) else {
            return false;
        };
        (out.lo, out.hi) = (lo, hi);
        true
    }

    /// `Interval::set_add`.
    #[inline(always)]
    pub(crate) fn add(&self, b: &SoftInterval<M>, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let lo = try_soft!(soft::add(self.lo, b.lo, prec, Round::Down));
        let hi = try_soft!(soft::add(self.hi, b.hi, prec, Round::Up));
        Self::set_fixed(out, lo, hi);
        true
    }

    /// `Interval::set_sub`.
    #[inline(always)]
    pub(crate) fn sub(&self, b: &SoftInterval<M>, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let lo = try_soft!(soft::sub(self.lo, b.hi, prec, Round::Down));
        let hi = try_soft!(soft::sub(self.hi, b.lo, prec, Round::Up));
        Self::set_fixed(out, lo, hi);
        true
    }

    /// `Interval::set_mul`: two products chosen by the signs, or, when both factors straddle
    /// 0, `min(a₁b₂, a₂b₁)` and `max(a₁b₁, a₂b₂)` (ties keep the first, as there).
    #[inline(always)]
    pub(crate) fn mul(&self, b: &SoftInterval<M>, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let Some([(i, j), (k, l)]) = product_factors(self.signs(), b.signs()) else {
            let lo1 = try_soft!(soft::mul(self.lo, b.hi, prec, Round::Down));
            let lo2 = try_soft!(soft::mul(self.hi, b.lo, prec, Round::Down));
            let hi1 = try_soft!(soft::mul(self.lo, b.lo, prec, Round::Up));
            let hi2 = try_soft!(soft::mul(self.hi, b.hi, prec, Round::Up));
            out.lo = if lo2 < lo1 { lo2 } else { lo1 };
            out.hi = if hi2 > hi1 { hi2 } else { hi1 };
            return true;
        };
        let lo = try_soft!(soft::mul(*self.end(i), *b.end(j), prec, Round::Down));
        let hi = try_soft!(soft::mul(*self.end(k), *b.end(l), prec, Round::Up));
        (out.lo, out.hi) = (lo, hi);
        true
    }

    /// `Interval::set_scale`.
    #[inline(always)]
    pub(crate) fn scale(&self, k: i32, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let lo = try_soft!(soft::scale(self.lo, k, prec, Round::Down));
        let hi = try_soft!(soft::scale(self.hi, k, prec, Round::Up));
        (out.lo, out.hi) = (lo, hi);
        true
    }

    /// `x ^ n` rounded in direction `dir` for `n` of 1 or 2 (MPFR's correctly rounded
    /// power, a copy or a square); `None` for higher powers.
    #[inline(always)]
    fn power(x: Soft<M>, n: u32, prec: u32, dir: Round) -> Option<(Soft<M>, Ordering)> {
        match n {
            1 => soft::set(x, prec, dir),
            2 => soft::mul(x, x, prec, dir),
            _ => None,
        }
    }

    /// `Interval::set_pow` for `n ≤ 2`.
    #[inline(always)]
    pub(crate) fn pow(&self, n: u32, prec: u32, out: &mut SoftInterval<M>) -> bool {
        if n == 0 {
            *out = Self::point(Soft::ONE);
            return true;
        }
        let (lo, hi) = (self.lo, self.hi);
        if n % 2 == 1 || ge0(lo) {
            let down = try_soft!(Self::power(lo, n, prec, Round::Down));
            let up = try_soft!(Self::power(hi, n, prec, Round::Up));
            Self::set_fixed(out, down, up);
        } else if le0(hi) {
            let down = try_soft!(Self::power(hi, n, prec, Round::Down));
            let up = try_soft!(Self::power(lo, n, prec, Round::Up));
            Self::set_fixed(out, down, up);
        } else {
            let far = if lo.cmp_abs(hi) == Ordering::Greater {
                lo
            } else {
                hi
            };
            out.hi = try_soft!(Self::power(far, n, prec, Round::Up));
            out.lo = Soft::ZERO;
        }
        true
    }

    /// Whether 0 lies inside.
    #[inline(always)]
    fn contains_zero(&self) -> bool {
        le0(self.lo) && ge0(self.hi)
    }

    /// `Interval::set_div`: `Some(false)` (and `out` untouched) for a divisor containing 0,
    /// which has no enclosure.
    #[inline(always)]
    pub(crate) fn div(
        &self,
        b: &SoftInterval<M>,
        prec: u32,
        out: &mut SoftInterval<M>,
    ) -> Option<bool> {
        if b.contains_zero() {
            return Some(false);
        }
        let [(i, j), (k, l)] = quotient_factors(self.signs(), b.signs());
        let lo = soft::div(*self.end(i), *b.end(j), prec, Round::Down)?.0;
        let hi = soft::div(*self.end(k), *b.end(l), prec, Round::Up)?.0;
        Self::set_fixed(out, lo, hi);
        Some(true)
    }

    /// `Interval::set_div_lean`: `x / 0 = 0`, and `0 / b = 0` (the dividend's zeros) for a
    /// divisor around 0; `Some(false)` for another dividend over a divisor around 0.
    #[inline(always)]
    pub(crate) fn div_lean(
        &self,
        b: &SoftInterval<M>,
        prec: u32,
        out: &mut SoftInterval<M>,
    ) -> Option<bool> {
        if b.lo.is_zero() && b.hi.is_zero() {
            *out = Self::point(Soft::ZERO);
            return Some(true);
        }
        if b.contains_zero() && self.lo.is_zero() && self.hi.is_zero() {
            *out = *self;
            return Some(true);
        }
        self.div(b, prec, out)
    }

    /// `Interval::set_abs`.
    #[inline(always)]
    pub(crate) fn abs(&self, prec: u32, out: &mut SoftInterval<M>) -> bool {
        if ge0(self.lo) {
            self.copy_into(prec, out)
        } else if le0(self.hi) {
            self.neg(prec, out)
        } else {
            let hi = if self.lo.cmp_abs(self.hi) == Ordering::Greater {
                self.lo.negated()
            } else {
                self.hi
            };
            let Some(hi) = exact(hi, prec) else {
                return false;
            };
            (out.lo, out.hi) = (Soft::ZERO, hi);
            true
        }
    }

    /// `Interval::set_min` (endpoint-wise; ties take `self`'s).
    #[inline(always)]
    pub(crate) fn min(&self, b: &SoftInterval<M>, prec: u32, out: &mut SoftInterval<M>) -> bool {
        SoftInterval {
            lo: if self.lo <= b.lo { self.lo } else { b.lo },
            hi: if self.hi <= b.hi { self.hi } else { b.hi },
        }
        .copy_into(prec, out)
    }

    /// `Interval::set_max` (endpoint-wise; ties take `self`'s).
    #[inline(always)]
    pub(crate) fn max(&self, b: &SoftInterval<M>, prec: u32, out: &mut SoftInterval<M>) -> bool {
        SoftInterval {
            lo: if self.lo >= b.lo { self.lo } else { b.lo },
            hi: if self.hi >= b.hi { self.hi } else { b.hi },
        }
        .copy_into(prec, out)
    }

    /// `Interval::set_clamp_nonneg`: `max x 0` at each endpoint.
    #[inline(always)]
    pub(crate) fn clamp_nonneg(&self, prec: u32, out: &mut SoftInterval<M>) -> bool {
        let clamp = |x: Soft<M>| {
            if gt0(x) {
                exact(x, prec)
            } else {
                Some(Soft::ZERO)
            }
        };
        let (Some(lo), Some(hi)) = (clamp(self.lo), clamp(self.hi)) else {
            return false;
        };
        Self::set_fixed(out, lo, hi);
        true
    }

    /// `Interval::set_sqrt_lean`: `√(max x 0)` at each endpoint.
    #[inline(always)]
    pub(crate) fn sqrt_lean(&self, prec: u32, out: &mut SoftInterval<M>) -> bool {
        if gt0(self.lo) {
            // Both endpoints positive: one root, the other stepped from it.
            let Some((lo, hi)) = soft::sqrt_pair(self.lo, self.hi, prec) else {
                return false;
            };
            Self::set_fixed(out, lo, hi);
            return true;
        }
        let root = |x: Soft<M>, dir| {
            if gt0(x) {
                soft::sqrt(x, prec, dir)
            } else {
                Some((Soft::ZERO, Ordering::Equal))
            }
        };
        let lo = try_soft!(root(self.lo, Round::Down));
        let hi = try_soft!(root(self.hi, Round::Up));
        Self::set_fixed(out, lo, hi);
        true
    }
}

#[cfg(test)]
mod tests;
