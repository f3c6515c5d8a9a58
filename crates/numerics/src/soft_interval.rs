//! Intervals of soft floats (`soft`): [`Interval`]'s elementary operations for finite
//! endpoints at a destination precision of at most 128 bits, each giving exactly the
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

use crate::interval::{Interval, product_factors, quotient_factors};
use crate::soft::{self, Soft};

/// `[lo, hi]` of soft floats (never inverted, never NaN).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SoftInterval {
    pub(crate) lo: Soft,
    pub(crate) hi: Soft,
}

/// `x` at `prec` bits when that is exact (a copy MPFR makes exactly too), else `None`.
#[inline]
fn exact(x: Soft, prec: u32) -> Option<Soft> {
    match soft::set(x, prec, Round::Down)? {
        (v, Ordering::Equal) => Some(v),
        _ => None,
    }
}

#[inline]
fn ge0(x: Soft) -> bool {
    x.sign() != Ordering::Less
}

#[inline]
fn le0(x: Soft) -> bool {
    x.sign() != Ordering::Greater
}

#[inline]
fn gt0(x: Soft) -> bool {
    x.sign() == Ordering::Greater
}

impl SoftInterval {
    /// `[v, v]`.
    #[inline]
    pub(crate) const fn point(v: Soft) -> SoftInterval {
        SoftInterval { lo: v, hi: v }
    }

    /// `x`'s endpoints, when both are soft.
    #[inline]
    pub(crate) fn read(x: &Interval) -> Option<SoftInterval> {
        Some(SoftInterval {
            lo: soft::read(&x.lo)?,
            hi: soft::read(&x.hi)?,
        })
    }

    /// `to := self`, for endpoints exact at `to`'s precision (every result here is, at the
    /// precision it was computed for).
    #[inline]
    pub(crate) fn write(self, to: &mut Interval) {
        soft::write(&mut to.lo, self.lo);
        soft::write(&mut to.hi, self.hi);
    }

    /// The precision soft results for `to` are computed at: both endpoints', where soft
    /// floats apply (`soft::applies`).
    #[inline]
    pub(crate) fn precision(to: &Interval) -> Option<u32> {
        let p = to.lo.prec();
        (p == to.hi.prec() && soft::applies(p)).then_some(p)
    }

    #[inline]
    fn ends(self) -> [Soft; 2] {
        [self.lo, self.hi]
    }

    #[inline]
    fn signs(self) -> [Option<Ordering>; 2] {
        [Some(self.lo.sign()), Some(self.hi.sign())]
    }

    /// `Interval::fix` for finite endpoints: an inverted pair (impossible with correct
    /// rounding) is swapped rather than kept.
    #[inline]
    fn fixed(lo: Soft, hi: Soft) -> SoftInterval {
        if lo > hi {
            SoftInterval { lo: hi, hi: lo }
        } else {
            SoftInterval { lo, hi }
        }
    }

    /// The lower endpoint by `down`, the upper by `up`, repaired by [`SoftInterval::fixed`].
    #[inline]
    fn outward(
        down: Option<(Soft, Ordering)>,
        up: Option<(Soft, Ordering)>,
    ) -> Option<SoftInterval> {
        Some(SoftInterval::fixed(down?.0, up?.0))
    }

    /// `self` at `prec` bits when exact: what `Interval::set` copies.
    #[inline]
    pub(crate) fn copy(self, prec: u32) -> Option<SoftInterval> {
        Some(SoftInterval {
            lo: exact(self.lo, prec)?,
            hi: exact(self.hi, prec)?,
        })
    }

    /// `Interval::set_neg`.
    #[inline]
    pub(crate) fn neg(self, prec: u32) -> Option<SoftInterval> {
        Some(SoftInterval {
            lo: exact(self.hi.negated(), prec)?,
            hi: exact(self.lo.negated(), prec)?,
        })
    }

    /// `Interval::set_add`.
    #[inline]
    pub(crate) fn add(self, b: SoftInterval, prec: u32) -> Option<SoftInterval> {
        SoftInterval::outward(
            soft::add(self.lo, b.lo, prec, Round::Down),
            soft::add(self.hi, b.hi, prec, Round::Up),
        )
    }

    /// `Interval::set_sub`.
    #[inline]
    pub(crate) fn sub(self, b: SoftInterval, prec: u32) -> Option<SoftInterval> {
        SoftInterval::outward(
            soft::sub(self.lo, b.hi, prec, Round::Down),
            soft::sub(self.hi, b.lo, prec, Round::Up),
        )
    }

    /// `Interval::set_mul`: two products chosen by the signs, or, when both factors straddle
    /// 0, `min(a₁b₂, a₂b₁)` and `max(a₁b₁, a₂b₂)` (ties keep the first, as there).
    #[inline]
    pub(crate) fn mul(self, b: SoftInterval, prec: u32) -> Option<SoftInterval> {
        let (x, y) = (self.ends(), b.ends());
        let Some([(i, j), (k, l)]) = product_factors(self.signs(), b.signs()) else {
            let lo1 = soft::mul(x[0], y[1], prec, Round::Down)?.0;
            let lo2 = soft::mul(x[1], y[0], prec, Round::Down)?.0;
            let hi1 = soft::mul(x[0], y[0], prec, Round::Up)?.0;
            let hi2 = soft::mul(x[1], y[1], prec, Round::Up)?.0;
            return Some(SoftInterval {
                lo: if lo2 < lo1 { lo2 } else { lo1 },
                hi: if hi2 > hi1 { hi2 } else { hi1 },
            });
        };
        Some(SoftInterval {
            lo: soft::mul(x[i], y[j], prec, Round::Down)?.0,
            hi: soft::mul(x[k], y[l], prec, Round::Up)?.0,
        })
    }

    /// `Interval::set_scale`.
    #[inline]
    pub(crate) fn scale(self, k: i32, prec: u32) -> Option<SoftInterval> {
        Some(SoftInterval {
            lo: soft::scale(self.lo, k, prec, Round::Down)?.0,
            hi: soft::scale(self.hi, k, prec, Round::Up)?.0,
        })
    }

    /// `x ^ n` rounded in direction `dir` for `n` of 1 or 2 (MPFR's correctly rounded
    /// power, a copy or a square); `None` for higher powers.
    #[inline]
    fn power(x: Soft, n: u32, prec: u32, dir: Round) -> Option<(Soft, Ordering)> {
        match n {
            1 => soft::set(x, prec, dir),
            2 => soft::mul(x, x, prec, dir),
            _ => None,
        }
    }

    /// `Interval::set_pow` for `n ≤ 2`.
    #[inline]
    pub(crate) fn pow(self, n: u32, prec: u32) -> Option<SoftInterval> {
        if n == 0 {
            return Some(SoftInterval::point(Soft::ONE));
        }
        let (lo, hi) = (self.lo, self.hi);
        if n % 2 == 1 || ge0(lo) {
            SoftInterval::outward(
                SoftInterval::power(lo, n, prec, Round::Down),
                SoftInterval::power(hi, n, prec, Round::Up),
            )
        } else if le0(hi) {
            SoftInterval::outward(
                SoftInterval::power(hi, n, prec, Round::Down),
                SoftInterval::power(lo, n, prec, Round::Up),
            )
        } else {
            let far = if lo.cmp_abs(hi) == Ordering::Greater {
                lo
            } else {
                hi
            };
            Some(SoftInterval {
                lo: Soft::ZERO,
                hi: SoftInterval::power(far, n, prec, Round::Up)?.0,
            })
        }
    }

    /// Whether 0 lies inside.
    #[inline]
    fn contains_zero(self) -> bool {
        le0(self.lo) && ge0(self.hi)
    }

    /// `Interval::set_div`: `Some(None)` for a divisor containing 0 (no enclosure).
    #[inline]
    pub(crate) fn div(self, b: SoftInterval, prec: u32) -> Option<Option<SoftInterval>> {
        if b.contains_zero() {
            return Some(None);
        }
        let (x, y) = (self.ends(), b.ends());
        let [(i, j), (k, l)] = quotient_factors(self.signs(), b.signs());
        SoftInterval::outward(
            soft::div(x[i], y[j], prec, Round::Down),
            soft::div(x[k], y[l], prec, Round::Up),
        )
        .map(Some)
    }

    /// `Interval::set_div_lean`: `x / 0 = 0`, and `0 / b = 0` (the dividend's zeros) for a
    /// divisor around 0; `Some(None)` for another dividend over a divisor around 0.
    #[inline]
    pub(crate) fn div_lean(self, b: SoftInterval, prec: u32) -> Option<Option<SoftInterval>> {
        if b.lo.is_zero() && b.hi.is_zero() {
            return Some(Some(SoftInterval::point(Soft::ZERO)));
        }
        if b.contains_zero() && self.lo.is_zero() && self.hi.is_zero() {
            return Some(Some(self));
        }
        self.div(b, prec)
    }

    /// `Interval::set_abs`.
    #[inline]
    pub(crate) fn abs(self, prec: u32) -> Option<SoftInterval> {
        if ge0(self.lo) {
            self.copy(prec)
        } else if le0(self.hi) {
            self.neg(prec)
        } else {
            let hi = if self.lo.cmp_abs(self.hi) == Ordering::Greater {
                self.lo.negated()
            } else {
                self.hi
            };
            Some(SoftInterval {
                lo: Soft::ZERO,
                hi: exact(hi, prec)?,
            })
        }
    }

    /// `Interval::set_min` (endpoint-wise; ties take `self`'s).
    #[inline]
    pub(crate) fn min(self, b: SoftInterval, prec: u32) -> Option<SoftInterval> {
        SoftInterval {
            lo: if self.lo <= b.lo { self.lo } else { b.lo },
            hi: if self.hi <= b.hi { self.hi } else { b.hi },
        }
        .copy(prec)
    }

    /// `Interval::set_max` (endpoint-wise; ties take `self`'s).
    #[inline]
    pub(crate) fn max(self, b: SoftInterval, prec: u32) -> Option<SoftInterval> {
        SoftInterval {
            lo: if self.lo >= b.lo { self.lo } else { b.lo },
            hi: if self.hi >= b.hi { self.hi } else { b.hi },
        }
        .copy(prec)
    }

    /// `Interval::set_clamp_nonneg`: `max x 0` at each endpoint.
    #[inline]
    pub(crate) fn clamp_nonneg(self, prec: u32) -> Option<SoftInterval> {
        let clamp = |x: Soft| {
            if gt0(x) {
                exact(x, prec)
            } else {
                Some(Soft::ZERO)
            }
        };
        Some(SoftInterval::fixed(clamp(self.lo)?, clamp(self.hi)?))
    }

    /// `Interval::set_sqrt_lean`: `√(max x 0)` at each endpoint.
    #[inline]
    pub(crate) fn sqrt_lean(self, prec: u32) -> Option<SoftInterval> {
        let root = |x: Soft, dir| {
            if gt0(x) {
                soft::sqrt(x, prec, dir)
            } else {
                Some((Soft::ZERO, Ordering::Equal))
            }
        };
        SoftInterval::outward(root(self.lo, Round::Down), root(self.hi, Round::Up))
    }
}

#[cfg(test)]
mod tests;
