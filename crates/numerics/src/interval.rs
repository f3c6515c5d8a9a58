//! Closed intervals `[lo, hi]` of MPFR floats at a chosen precision. Every operation rounds
//! its lower bound with `Round::Down` and its upper bound with `Round::Up`; MPFR rounds each
//! elementary function correctly in the requested direction, so for monotone pieces the
//! endpoints' directed values bound the exact image. Non-monotone functions (`sin`, `cos`,
//! even powers, `abs`) add the extrema the interval contains. No endpoint is ever NaN: an
//! operation whose IEEE result would be NaN (`∞ - ∞`, `0 · ∞`) gets the widest bound instead,
//! so `min`/`max` (which skip NaN) can never narrow an enclosure. Lean's junk values are the
//! semantics here: `Real.sqrt` of a negative is 0, `Real.log x = Real.log |x|` with
//! `log 0 = 0`, `x / 0 = 0`.
//!
//! Each elementary operation has an in-place form (`set_add`, `set_mul`, …) that writes into an
//! interval whose floats are already allocated: the compiled tape (`tape`) evaluates claims
//! through these without allocating, and the allocating forms (`add`, `mul`, …) are the same
//! code writing into a fresh interval, so both give identical enclosures. At 65 to 256 bits
//! (two to four limbs) negations, sums, differences, products, quotients, squares, square
//! roots, absolute values and scalings run in soft floats (`soft`, `soft_interval`): MPFR's
//! results bit for bit, computed in registers. Above 256 bits a product, quotient or square
//! root of positive operands a few ulps wide computes only its lower endpoint with MPFR and
//! steps the upper one up from it by a proven bound (`thin`): one MPFR operation per result,
//! as Arb's balls pay, at most two ulps wider.

use std::cmp::Ordering;

use rug::Assign;
use rug::Float;
use rug::float::{Constant, Round};
use rug::ops::{AssignRound, Pow};

use crate::soft::{Significand, Soft, U256, Width};
use crate::soft_interval::SoftInterval;

/// An operation outside its domain (a result, reported with the expression's position by
/// the caller).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    #[error("division by an interval that contains 0 ({0})")]
    DivisionByZero(String),
    #[error("{func} of an interval that reaches below {limit} ({interval})")]
    OutOfDomain {
        func: &'static str,
        limit: &'static str,
        interval: String,
    },
    #[error("not a number")]
    NaN,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub lo: Float,
    pub hi: Float,
}

impl Interval {
    /// The precision of both endpoints.
    pub fn prec(&self) -> u32 {
        self.lo.prec().max(self.hi.prec())
    }

    /// `[lo, hi]` with NaN endpoints replaced by the widest bound (an IEEE NaN from `∞ - ∞` or
    /// `0 · ∞` means "any value"), and never inverted.
    pub fn fixed(lo: Float, hi: Float) -> Interval {
        let p = lo.prec().max(hi.prec());
        let lo = if lo.is_nan() {
            Float::with_val(p, rug::float::Special::NegInfinity)
        } else {
            lo
        };
        let hi = if hi.is_nan() {
            Float::with_val(p, rug::float::Special::Infinity)
        } else {
            hi
        };
        if lo > hi {
            // Cannot happen with correct rounding; widen rather than invert if it does.
            return Interval { lo: hi, hi: lo };
        }
        Interval { lo, hi }
    }

    /// `(-∞, ∞)`.
    pub fn entire(prec: u32) -> Interval {
        Interval {
            lo: Float::with_val(prec, rug::float::Special::NegInfinity),
            hi: Float::with_val(prec, rug::float::Special::Infinity),
        }
    }

    /// Both endpoints finite.
    pub fn is_bounded(&self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    /// The smallest interval containing both.
    pub fn hull(&self, o: &Interval) -> Interval {
        Interval {
            lo: self.lo.clone().min(&o.lo),
            hi: self.hi.clone().max(&o.hi),
        }
    }

    /// The enclosure of an exact float.
    pub fn point(x: Float) -> Interval {
        Interval {
            lo: x.clone(),
            hi: x,
        }
    }

    /// `[lo, hi]` from two floats; `NaN` or `lo > hi` is an error.
    pub fn new(lo: Float, hi: Float) -> Result<Interval, DomainError> {
        if lo.is_nan() || hi.is_nan() {
            return Err(DomainError::NaN);
        }
        if lo > hi {
            return Err(DomainError::NaN);
        }
        Ok(Interval { lo, hi })
    }

    /// The enclosure of a decimal literal such as `7837.52` or `1e-3` (exact rationals are
    /// rounded outward once).
    pub fn from_decimal(text: &str, prec: u32) -> Option<Interval> {
        let (lo, _) = Float::with_val_round(prec, Float::parse(text).ok()?, Round::Down);
        let (hi, _) = Float::with_val_round(prec, Float::parse(text).ok()?, Round::Up);
        if lo.is_nan() || hi.is_nan() {
            None
        } else {
            Some(Interval { lo, hi })
        }
    }

    /// An enclosure of π.
    pub fn pi(prec: u32) -> Interval {
        let (lo, _) = Float::with_val_round(prec, Constant::Pi, Round::Down);
        let (hi, _) = Float::with_val_round(prec, Constant::Pi, Round::Up);
        Interval { lo, hi }
    }

    pub fn contains_zero(&self) -> bool {
        le0(&self.lo) && ge0(&self.hi)
    }

    /// Whether the exact value `x` lies inside.
    pub fn contains(&self, x: &Float) -> bool {
        &self.lo <= x && x <= &self.hi
    }

    /// `hi - lo`, rounded up.
    pub fn width(&self) -> Float {
        Float::with_val_round(self.prec(), &self.hi - &self.lo, Round::Up).0
    }

    /// `[0, 0]` at `prec` bits: a destination for the in-place operations.
    pub fn zero(prec: u32) -> Interval {
        Interval {
            lo: Float::new(prec),
            hi: Float::new(prec),
        }
    }

    /// [`Interval::fixed`] in place: NaN endpoints become the widest bound, and an inverted
    /// pair (impossible with correct rounding) is widened rather than kept inverted.
    fn fix(&mut self) {
        if self.lo.is_nan() {
            self.lo.assign(rug::float::Special::NegInfinity);
        }
        if self.hi.is_nan() {
            self.hi.assign(rug::float::Special::Infinity);
        }
        if self.lo > self.hi {
            std::mem::swap(&mut self.lo, &mut self.hi);
        }
    }

    /// `self := (-∞, ∞)`.
    fn set_entire(&mut self) {
        self.lo.assign(rug::float::Special::NegInfinity);
        self.hi.assign(rug::float::Special::Infinity);
    }

    /// `self := [v, v]` for a small integer `v` (exact at any precision).
    pub fn set_integer(&mut self, v: i32) {
        self.lo.assign(v);
        self.hi.assign(v);
    }

    // The in-place operations write `self` at its own precision, which must be at least the
    // operands' (the allocating forms take the larger one): only then are the copies below
    // (`assign` without a rounding direction) exact.

    /// `self := -a` (exact).
    pub fn set_neg(&mut self, a: &Interval) {
        if soft_form!(soft1, self, (a), SoftInterval::neg).is_some() {
            return;
        }
        self.lo.assign(-&a.hi);
        self.hi.assign(-&a.lo);
    }

    /// `self := a + b`.
    pub fn set_add(&mut self, a: &Interval, b: &Interval) {
        if soft_form!(soft2, self, (a, b), SoftInterval::add).is_some() {
            return;
        }
        self.lo.assign_round(&a.lo + &b.lo, Round::Down);
        self.hi.assign_round(&a.hi + &b.hi, Round::Up);
        self.fix();
    }

    /// `self := a - b`.
    pub fn set_sub(&mut self, a: &Interval, b: &Interval) {
        if soft_form!(soft2, self, (a, b), SoftInterval::sub).is_some() {
            return;
        }
        self.lo.assign_round(&a.lo - &b.hi, Round::Down);
        self.hi.assign_round(&a.hi - &b.lo, Round::Up);
        self.fix();
    }

    /// `self := a · b`. By the signs of the endpoints only two products are needed (four when
    /// both factors straddle 0, the only case that allocates: one temporary): the lower bound
    /// rounded down, the upper rounded up.
    pub fn set_mul(&mut self, a: &Interval, b: &Interval) {
        if soft_form!(soft2, self, (a, b), SoftInterval::mul).is_some() {
            return;
        }
        // Positive operands a few ulps wide at high precision: one rounded product.
        if self.mul_thin(a, b) {
            return;
        }
        let (x, y) = ([&a.lo, &a.hi], [&b.lo, &b.hi]);
        let Some([(i, j), (k, l)]) = product_factors(signs(a), signs(b)) else {
            let (a1, a2, b1, b2) = (&a.lo, &a.hi, &b.lo, &b.hi);
            // Both straddle 0: lo = min(a1·b2, a2·b1), hi = max(a1·b1, a2·b2). `min`/`max`
            // skip a NaN operand, as MPFR's do.
            self.lo.assign_round(a1 * b2, Round::Down);
            self.hi.assign_round(a2 * b1, Round::Down);
            if self.lo.is_nan() || self.hi < self.lo {
                std::mem::swap(&mut self.lo, &mut self.hi);
            }
            let other = Float::with_val_round(self.hi.prec(), a2 * b2, Round::Up).0;
            self.hi.assign_round(a1 * b1, Round::Up);
            if self.hi.is_nan() || other > self.hi {
                self.hi = other;
            }
            if self.lo.is_nan() || self.hi.is_nan() {
                self.set_entire();
            }
            return;
        };
        let (lo, hi) = ((x[i], y[j]), (x[k], y[l]));
        self.lo.assign_round(lo.0 * lo.1, Round::Down);
        self.hi.assign_round(hi.0 * hi.1, Round::Up);
        // `0 · ∞` is NaN in IEEE arithmetic: a zero endpoint times an unbounded one.
        if self.lo.is_nan() || self.hi.is_nan() {
            self.set_entire();
        }
    }

    /// `self := a · 2^k`: each endpoint scaled (exact, but for overflow and underflow, where
    /// MPFR rounds in the endpoint's direction), the enclosure `set_mul` gives for the factor
    /// `[2^k, 2^k]`.
    pub fn set_scale(&mut self, a: &Interval, k: i32) {
        if soft_form!(soft1, self, (a), |x, p, out| x.scale(k, p, out)).is_some() {
            return;
        }
        self.lo.assign_round(&a.lo << k, Round::Down);
        self.hi.assign_round(&a.hi << k, Round::Up);
    }

    /// `self := a / b` for a divisor without 0; `false` (and `self` unchanged) when `b`
    /// contains 0. Two quotients chosen by the signs, as for the product.
    pub fn set_div(&mut self, a: &Interval, b: &Interval) -> bool {
        if let Some(enclosed) = soft_form!(soft_quotient, self, (a, b), SoftInterval::div) {
            return enclosed;
        }
        if b.contains_zero() {
            return false;
        }
        if self.div_thin(a, b) {
            return true;
        }
        let (x, y) = ([&a.lo, &a.hi], [&b.lo, &b.hi]);
        let [(i, j), (k, l)] = quotient_factors(signs(a), signs(b));
        let (lo, hi) = ((x[i], y[j]), (x[k], y[l]));
        self.lo.assign_round(lo.0 / lo.1, Round::Down);
        self.hi.assign_round(hi.0 / hi.1, Round::Up);
        self.fix();
        true
    }

    /// Lean's division on a field, `self := a / b` with `x / 0 = 0`: a divisor that is
    /// exactly 0 gives 0; one that contains 0 among other values leaves the quotient
    /// unbounded (`false`, `self` unchanged), unless the dividend is exactly 0.
    pub fn set_div_lean(&mut self, a: &Interval, b: &Interval) -> bool {
        if let Some(enclosed) = soft_form!(soft_quotient, self, (a, b), SoftInterval::div_lean) {
            return enclosed;
        }
        if b.lo.is_zero() && b.hi.is_zero() {
            self.set_integer(0);
            return true;
        }
        if b.contains_zero() && a.lo.is_zero() && a.hi.is_zero() {
            self.lo.assign(&a.lo);
            self.hi.assign(&a.hi);
            return true;
        }
        self.set_div(a, b)
    }

    /// `self := a ^ n` for a natural `n`; even powers of an interval around 0 start at 0.
    pub fn set_pow(&mut self, a: &Interval, n: u32) {
        if soft_form!(soft1, self, (a), |x, p, out| x.pow(n, p, out)).is_some() {
            return;
        }
        if n == 0 {
            self.set_integer(1);
            return;
        }
        if n % 2 == 1 || ge0(&a.lo) {
            pow_round(&mut self.lo, &a.lo, n, Round::Down);
            pow_round(&mut self.hi, &a.hi, n, Round::Up);
            self.fix();
        } else if le0(&a.hi) {
            pow_round(&mut self.lo, &a.hi, n, Round::Down);
            pow_round(&mut self.hi, &a.lo, n, Round::Up);
            self.fix();
        } else {
            let far = if a.lo.cmp_abs(&a.hi) == Some(Ordering::Greater) {
                &a.lo
            } else {
                &a.hi
            };
            self.lo.assign(0);
            pow_round(&mut self.hi, far, n, Round::Up);
        }
    }

    /// `self := |a|`.
    pub fn set_abs(&mut self, a: &Interval) {
        if soft_form!(soft1, self, (a), SoftInterval::abs).is_some() {
            return;
        }
        if ge0(&a.lo) {
            self.lo.assign(&a.lo);
            self.hi.assign(&a.hi);
        } else if le0(&a.hi) {
            self.set_neg(a);
        } else {
            if a.lo.cmp_abs(&a.hi) == Some(Ordering::Greater) {
                self.hi.assign(-&a.lo);
            } else {
                self.hi.assign(&a.hi);
            }
            self.lo.assign(0);
        }
    }

    /// `self := min a b` (endpoint-wise).
    pub fn set_min(&mut self, a: &Interval, b: &Interval) {
        self.lo.assign(if a.lo <= b.lo { &a.lo } else { &b.lo });
        self.hi.assign(if a.hi <= b.hi { &a.hi } else { &b.hi });
    }

    /// `self := max a b` (endpoint-wise).
    pub fn set_max(&mut self, a: &Interval, b: &Interval) {
        self.lo.assign(if a.lo >= b.lo { &a.lo } else { &b.lo });
        self.hi.assign(if a.hi >= b.hi { &a.hi } else { &b.hi });
    }

    /// `self := max a 0` endpoint-wise: `Int.toNat`, and ℕ's truncated subtraction after the
    /// difference.
    pub fn set_clamp_nonneg(&mut self, a: &Interval) {
        for (to, from) in [(&mut self.lo, &a.lo), (&mut self.hi, &a.hi)] {
            if gt0(from) {
                to.assign(from);
            } else {
                to.assign(0);
            }
        }
        self.fix();
    }

    /// `self := [⌊a.lo⌋, ⌊a.hi⌋]` (exact).
    pub fn set_floor(&mut self, a: &Interval) {
        self.lo.assign(a.lo.floor_ref());
        self.hi.assign(a.hi.floor_ref());
        self.fix();
    }

    /// `self := [⌈a.lo⌉, ⌈a.hi⌉]` (exact).
    pub fn set_ceil(&mut self, a: &Interval) {
        self.lo.assign(a.lo.ceil_ref());
        self.hi.assign(a.hi.ceil_ref());
        self.fix();
    }

    /// `self := Real.sqrt a` with Lean's `√x = 0` for `x ≤ 0` (`Real.sqrt_eq_zero'`), that is
    /// `√(max x 0)`, which is non-decreasing.
    pub fn set_sqrt_lean(&mut self, a: &Interval) {
        if soft_form!(soft1, self, (a), SoftInterval::sqrt_lean).is_some() {
            return;
        }
        if self.sqrt_thin(a) {
            return;
        }
        for (to, from, round) in [
            (&mut self.lo, &a.lo, Round::Down),
            (&mut self.hi, &a.hi, Round::Up),
        ] {
            if gt0(from) {
                to.assign_round(from.sqrt_ref(), round);
            } else {
                to.assign(0);
            }
        }
        self.fix();
    }

    /// `self := exp a`.
    pub fn set_exp(&mut self, a: &Interval) {
        self.lo.assign_round(a.lo.exp_ref(), Round::Down);
        self.hi.assign_round(a.hi.exp_ref(), Round::Up);
        self.fix();
    }

    /// `self := arctan a`.
    pub fn set_atan(&mut self, a: &Interval) {
        self.lo.assign_round(a.lo.atan_ref(), Round::Down);
        self.hi.assign_round(a.hi.atan_ref(), Round::Up);
        self.fix();
    }

    /// `self := Real.log a` with `log x = log |x|` and `log 0 = 0`; `false` (`self`
    /// unchanged) when `a` contains 0 among other values (unbounded below).
    pub fn set_log_lean(&mut self, a: &Interval) -> bool {
        if a.lo.is_zero() && a.hi.is_zero() {
            self.set_integer(0);
            return true;
        }
        if lt0(&a.hi) {
            // log |x| on a negative interval: decreasing in x.
            self.lo.assign(-&a.hi);
            self.lo.ln_round(Round::Down);
            self.hi.assign(-&a.lo);
            self.hi.ln_round(Round::Up);
        } else if gt0(&a.lo) {
            self.lo.assign_round(a.lo.ln_ref(), Round::Down);
            self.hi.assign_round(a.hi.ln_ref(), Round::Up);
        } else {
            return false;
        }
        self.fix();
        true
    }

    /// `self := o` (at `self`'s precision, which must be at least `o`'s: then exact).
    pub fn set(&mut self, o: &Interval) {
        self.lo.assign(&o.lo);
        self.hi.assign(&o.hi);
    }

    /// A fresh destination at the larger precision of two operands.
    fn out2(&self, o: &Interval) -> Interval {
        Interval::zero(self.prec().max(o.prec()))
    }

    pub fn neg(&self) -> Interval {
        let mut out = Interval::zero(self.prec());
        out.set_neg(self);
        out
    }

    pub fn add(&self, o: &Interval) -> Interval {
        let mut out = self.out2(o);
        out.set_add(self, o);
        out
    }

    pub fn sub(&self, o: &Interval) -> Interval {
        let mut out = self.out2(o);
        out.set_sub(self, o);
        out
    }

    /// The product (see [`Interval::set_mul`]).
    pub fn mul(&self, o: &Interval) -> Interval {
        let mut out = self.out2(o);
        out.set_mul(self, o);
        out
    }

    /// Division; a divisor containing 0 is a domain error (the quotient is unbounded).
    pub fn div(&self, o: &Interval) -> Result<Interval, DomainError> {
        let mut out = self.out2(o);
        if out.set_div(self, o) {
            Ok(out)
        } else {
            Err(DomainError::DivisionByZero(o.to_string()))
        }
    }

    /// Lean's division on a field: `x / 0 = 0` (see [`Interval::set_div_lean`]).
    pub fn div_lean(&self, o: &Interval) -> Result<Interval, DomainError> {
        let mut out = self.out2(o);
        if out.set_div_lean(self, o) {
            Ok(out)
        } else {
            Err(DomainError::DivisionByZero(o.to_string()))
        }
    }

    /// `x⁻¹` with `0⁻¹ = 0`.
    pub fn inv_lean(&self) -> Result<Interval, DomainError> {
        Interval::point(Float::with_val(self.prec(), 1)).div_lean(self)
    }

    /// `x ^ n` for a natural `n`; even powers of an interval around 0 start at 0.
    pub fn pow(&self, n: u32) -> Interval {
        let mut out = Interval::zero(self.prec());
        out.set_pow(self, n);
        out
    }

    pub fn abs(&self) -> Interval {
        let mut out = Interval::zero(self.prec());
        out.set_abs(self);
        out
    }

    pub fn min(&self, o: &Interval) -> Interval {
        let mut out = self.out2(o);
        out.set_min(self, o);
        out
    }

    pub fn max(&self, o: &Interval) -> Interval {
        let mut out = self.out2(o);
        out.set_max(self, o);
        out
    }

    /// `√x`; an interval reaching below 0 is a domain error (the strict form, for
    /// `numerics eval`, which reports rather than uses Lean's junk value).
    pub fn sqrt(&self) -> Result<Interval, DomainError> {
        if self.lo < 0 {
            return Err(DomainError::OutOfDomain {
                func: "sqrt",
                limit: "0",
                interval: self.to_string(),
            });
        }
        // Above 0, Lean's square root is the square root.
        Ok(self.sqrt_lean())
    }

    /// Lean's `Real.sqrt`: `√x = 0` for `x ≤ 0` (`Real.sqrt_eq_zero'`), so `√(max x 0)`, which
    /// is non-decreasing.
    pub fn sqrt_lean(&self) -> Interval {
        let mut out = Interval::zero(self.prec());
        out.set_sqrt_lean(self);
        out
    }

    /// Lean's `Real.log`: `log x = log |x|` and `log 0 = 0` (`Real.log_abs`, `Real.log_zero`).
    /// An interval that contains 0 with other values is unbounded below: an error.
    pub fn log_lean(&self) -> Result<Interval, DomainError> {
        let mut out = Interval::zero(self.prec());
        if out.set_log_lean(self) {
            Ok(out)
        } else {
            self.log()
        }
    }

    pub fn exp(&self) -> Interval {
        let mut out = Interval::zero(self.prec());
        out.set_exp(self);
        out
    }

    /// The image under an increasing function: its value at `lo` rounded down and at `hi`
    /// rounded up (MPFR rounds each function correctly in the asked direction).
    fn increasing<'a, T>(&'a self, f: impl Fn(&'a Float) -> T) -> Interval
    where
        Float: AssignRound<T, Round = Round, Ordering = Ordering>,
    {
        let p = self.prec();
        Interval::fixed(
            Float::with_val_round(p, f(&self.lo), Round::Down).0,
            Float::with_val_round(p, f(&self.hi), Round::Up).0,
        )
    }

    /// Whether `sin`/`cos` of this interval is best left at `[-1, 1]`: an endpoint beyond
    /// `2^(prec + 64)` (where one unit in the last place spans many periods, and MPFR's
    /// argument reduction would need as many bits as the exponent), an infinite one, or a
    /// width of a full period.
    fn spans_periods(&self) -> bool {
        if !self.is_bounded() {
            return true;
        }
        let limit = self.prec() as i32 + 64;
        let big = |x: &Float| x.get_exp().is_some_and(|e| e > limit);
        if big(&self.lo) || big(&self.hi) {
            return true;
        }
        self.width() >= 7
    }

    /// Natural logarithm; the interval must lie above 0.
    pub fn log(&self) -> Result<Interval, DomainError> {
        if self.lo <= 0 {
            return Err(DomainError::OutOfDomain {
                func: "log",
                limit: "or at 0",
                interval: self.to_string(),
            });
        }
        Ok(self.increasing(|x| x.ln_ref()))
    }

    pub fn atan(&self) -> Interval {
        let mut out = Interval::zero(self.prec());
        out.set_atan(self);
        out
    }

    /// `sin`: the endpoint values, widened to ±1 where the interval contains a crest
    /// `π/2 + 2kπ` or a trough `-π/2 + 2kπ` (decided with interval arithmetic on π, so a
    /// doubtful case widens rather than narrows).
    pub fn sin(&self) -> Interval {
        let p = self.prec();
        let one = Float::with_val(p, 1);
        let minus_one = Float::with_val(p, -1);
        if self.spans_periods() {
            return Interval {
                lo: minus_one,
                hi: one,
            };
        }
        let a = [
            Float::with_val_round(p, self.lo.sin_ref(), Round::Down).0,
            Float::with_val_round(p, self.hi.sin_ref(), Round::Down).0,
        ];
        let b = [
            Float::with_val_round(p, self.lo.sin_ref(), Round::Up).0,
            Float::with_val_round(p, self.hi.sin_ref(), Round::Up).0,
        ];
        let mut lo = a
            .into_iter()
            .min_by(cmp)
            .expect("two values")
            .max(&minus_one);
        let mut hi = b.into_iter().max_by(cmp).expect("two values").min(&one);
        let pi = Interval::pi(p + 16);
        let two_pi = pi.add(&pi);
        let half_pi = pi
            .div(&Interval::point(Float::with_val(p, 2)))
            .expect("2 is not 0");
        // Is there an integer k with lo <= c + 2kπ <= hi?
        let contains = |centre: &Interval| {
            let from = Interval::point(self.lo.clone())
                .sub(centre)
                .div(&two_pi)
                .expect("2π is not 0");
            let to = Interval::point(self.hi.clone())
                .sub(centre)
                .div(&two_pi)
                .expect("2π is not 0");
            let first = from.lo.clone().ceil();
            let last = to.hi.clone().floor();
            first <= last
        };
        if contains(&half_pi) {
            hi = one;
        }
        if contains(&half_pi.neg()) {
            lo = minus_one;
        }
        Interval { lo, hi }
    }

    /// `cos x = sin (x + π/2)`.
    pub fn cos(&self) -> Interval {
        if self.spans_periods() {
            return Interval {
                lo: Float::with_val(self.prec(), -1),
                hi: Float::with_val(self.prec(), 1),
            };
        }
        let pi = Interval::pi(self.prec() + 16);
        let half_pi = pi
            .div(&Interval::point(Float::with_val(self.prec(), 2)))
            .expect("2 is not 0");
        let mut c = self.add(&half_pi).sin();
        c.lo.set_prec_round(self.prec(), Round::Down);
        c.hi.set_prec_round(self.prec(), Round::Up);
        c
    }

    /// `sinh`, increasing: `(eˣ - e⁻ˣ)/2` at each endpoint, each enclosed by intervals.
    pub fn sinh(&self) -> Interval {
        let s = |v: &Float| {
            let v = Interval::point(v.clone());
            v.exp()
                .sub(&v.neg().exp())
                .div(&self.two())
                .expect("2 is not 0")
        };
        Interval::fixed(s(&self.lo).lo, s(&self.hi).hi)
    }

    /// `cosh`, decreasing then increasing: its values at the endpoints of `|x|`.
    pub fn cosh(&self) -> Interval {
        let a = self.abs();
        let c = |v: &Float| {
            let v = Interval::point(v.clone());
            v.exp()
                .add(&v.neg().exp())
                .div(&self.two())
                .expect("2 is not 0")
        };
        Interval::fixed(c(&a.lo).lo, c(&a.hi).hi)
    }

    /// `tanh x = 1 - 2 / (exp(2x) + 1)`, increasing.
    pub fn tanh(&self) -> Interval {
        let one = Interval::point(Float::with_val(self.prec(), 1));
        let t = |v: &Float| {
            let e2 = Interval::point(v.clone()).mul(&self.two()).exp();
            one.sub(&self.two().div(&e2.add(&one)).expect("exp + 1 > 0"))
        };
        Interval::fixed(t(&self.lo).lo, t(&self.hi).hi)
    }

    fn two(&self) -> Interval {
        Interval::point(Float::with_val(self.prec(), 2))
    }

    /// The width as a decimal string with `digits` significant digits, rounded up.
    pub fn width_decimal(&self, digits: usize) -> String {
        self.width()
            .to_string_radix_round(10, Some(digits), Round::Up)
    }

    /// Decimal strings of the endpoints with `digits` significant digits, rounded outward.
    pub fn to_decimal(&self, digits: usize) -> (String, String) {
        (
            self.lo.to_string_radix_round(10, Some(digits), Round::Down),
            self.hi.to_string_radix_round(10, Some(digits), Round::Up),
        )
    }
}

impl std::fmt::Display for Interval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (lo, hi) = self.to_decimal(17);
        write!(f, "[{lo}, {hi}]")
    }
}

/// Runs the soft form of an operation (`soft_interval`) into `to`, with the soft floats of
/// the width `to`'s precision takes: `$helper::<M>(to, p, operands…, op)` for that width's
/// significand `M`. The operation is written once and typed once per width.
macro_rules! soft_form {
    ($helper:ident, $to:expr, ($($operand:expr),*), $op:expr) => {
        match crate::soft_interval::destination($to) {
            None => None,
            Some((Width::Two, p)) => $helper::<u128>($to, p, $($operand,)* $op),
            Some((Width::Four, p)) => $helper::<U256>($to, p, $($operand,)* $op),
        }
    };
}
use soft_form;

/// The soft form of a unary operation at `p` bits written into `to`; `None` (and `to`
/// untouched) where MPFR must compute it.
#[inline(always)]
fn soft1<M: Significand>(
    to: &mut Interval,
    p: u32,
    a: &Interval,
    op: impl FnOnce(&SoftInterval<M>, u32, &mut SoftInterval<M>) -> bool,
) -> Option<()> {
    let mut out = SoftInterval::point(Soft::ZERO);
    op(&SoftInterval::read(a)?, p, &mut out).then(|| out.write(to))
}

/// The soft form of a binary operation at `p` bits written into `to`.
#[inline(always)]
fn soft2<M: Significand>(
    to: &mut Interval,
    p: u32,
    a: &Interval,
    b: &Interval,
    op: impl FnOnce(&SoftInterval<M>, &SoftInterval<M>, u32, &mut SoftInterval<M>) -> bool,
) -> Option<()> {
    let mut out = SoftInterval::point(Soft::ZERO);
    let (x, y) = (SoftInterval::read(a)?, SoftInterval::read(b)?);
    op(&x, &y, p, &mut out).then(|| out.write(to))
}

/// The soft form of a quotient: whether there is an enclosure (none for a divisor around 0,
/// `to` then untouched).
#[inline(always)]
fn soft_quotient<M: Significand>(
    to: &mut Interval,
    p: u32,
    a: &Interval,
    b: &Interval,
    op: impl FnOnce(&SoftInterval<M>, &SoftInterval<M>, u32, &mut SoftInterval<M>) -> Option<bool>,
) -> Option<bool> {
    let mut out = SoftInterval::point(Soft::ZERO);
    let (x, y) = (SoftInterval::read(a)?, SoftInterval::read(b)?);
    let enclosed = op(&x, &y, p, &mut out)?;
    if enclosed {
        out.write(to);
    }
    Some(enclosed)
}

/// An endpoint's sign as the sign cases read it: whether it is `≥ 0` and whether `≤ 0`
/// (both for a zero, neither for NaN).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sign {
    pub(crate) nonneg: bool,
    pub(crate) nonpos: bool,
}

impl Sign {
    fn of(x: &Float) -> Sign {
        let s = x.cmp0();
        Sign {
            nonneg: matches!(s, Some(Ordering::Greater | Ordering::Equal)),
            nonpos: matches!(s, Some(Ordering::Less | Ordering::Equal)),
        }
    }
}

#[inline]
fn signs(x: &Interval) -> [Sign; 2] {
    [Sign::of(&x.lo), Sign::of(&x.hi)]
}

/// Which endpoints (0 the lower, 1 the upper) of `a` and `b` multiply into the product's
/// lower and upper bound, from the signs of the endpoints: `[(i, j), (k, l)]` for
/// `[aᵢ·bⱼ rounded down, aₖ·bₗ rounded up]`; `None` when both straddle 0 (then the bounds
/// are `min(a₁b₂, a₂b₁)` and `max(a₁b₁, a₂b₂)`). Shared with the soft intervals
/// (`soft_interval`), so both choose alike.
#[inline]
pub(crate) fn product_factors(a: [Sign; 2], b: [Sign; 2]) -> Option<[(usize, usize); 2]> {
    let ge0 = |s: Sign| s.nonneg;
    let le0 = |s: Sign| s.nonpos;
    let ([a1, a2], [b1, b2]) = (a, b);
    Some(if ge0(a1) {
        if ge0(b1) {
            [(0, 0), (1, 1)]
        } else if le0(b2) {
            [(1, 0), (0, 1)]
        } else {
            [(1, 0), (1, 1)]
        }
    } else if le0(a2) {
        if ge0(b1) {
            [(0, 1), (1, 0)]
        } else if le0(b2) {
            [(1, 1), (0, 0)]
        } else {
            [(0, 1), (0, 0)]
        }
    } else if ge0(b1) {
        [(0, 1), (1, 1)]
    } else if le0(b2) {
        [(1, 0), (0, 0)]
    } else {
        return None;
    })
}

/// Which endpoints divide into the quotient's bounds, for a divisor without 0, as
/// [`product_factors`] gives them for the product.
#[inline]
pub(crate) fn quotient_factors(a: [Sign; 2], b: [Sign; 2]) -> [(usize, usize); 2] {
    let ge0 = |s: Sign| s.nonneg;
    let le0 = |s: Sign| s.nonpos;
    let gt0 = |s: Sign| s.nonneg && !s.nonpos;
    let ([a1, a2], [b1, _]) = (a, b);
    if gt0(b1) {
        if ge0(a1) {
            [(0, 1), (1, 0)]
        } else if le0(a2) {
            [(0, 0), (1, 1)]
        } else {
            [(0, 0), (1, 0)]
        }
    } else if ge0(a1) {
        [(1, 1), (0, 0)]
    } else if le0(a2) {
        [(1, 0), (0, 1)]
    } else {
        [(1, 1), (0, 1)]
    }
}

/// `to := x ^ n` rounded in direction `round`. Squares are correctly rounded either way, so
/// the faster of MPFR's squaring and its product `x · x` is taken: at exactly 128 bits
/// (two limbs; where soft floats do not apply) MPFR 4.2's squaring misses the fast path its
/// product has (measured 55 against 33 ns); elsewhere squaring is as fast or faster (1024
/// bits: 164 against 258 ns).
fn pow_round(to: &mut Float, x: &Float, n: u32, round: Round) {
    if n == 2 && to.prec() == 128 {
        to.assign_round(x * x, round);
    } else if n == 2 {
        to.assign_round(x.square_ref(), round);
    } else {
        to.assign_round(x.pow(n), round);
    }
}

// Signs by `Float::cmp0`, which reads the float's fields inline: each `x >= 0` against an
// integer is a call into MPFR (`mpfr_cmp_si`), several per operation. NaN compares false, as
// with `>=`.

fn ge0(x: &Float) -> bool {
    matches!(x.cmp0(), Some(Ordering::Greater | Ordering::Equal))
}

fn gt0(x: &Float) -> bool {
    x.cmp0() == Some(Ordering::Greater)
}

fn le0(x: &Float) -> bool {
    matches!(x.cmp0(), Some(Ordering::Less | Ordering::Equal))
}

fn lt0(x: &Float) -> bool {
    x.cmp0() == Some(Ordering::Less)
}

fn cmp(a: &Float, b: &Float) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(lo: f64, hi: f64) -> Interval {
        Interval::new(Float::with_val(128, lo), Float::with_val(128, hi)).unwrap()
    }

    #[test]
    fn decimals_are_enclosed_outward() {
        let x = Interval::from_decimal("0.1", 53).unwrap();
        assert!(
            x.lo < x.hi,
            "0.1 is not a binary float, so the enclosure has width"
        );
        let exact = Float::with_val(4096, Float::parse("0.1").unwrap());
        assert!(x.contains(&exact));
        let two = Interval::from_decimal("2", 53).unwrap();
        assert_eq!(two.lo, two.hi);
    }

    #[test]
    fn pi_and_sqrt_two_products_enclose_the_true_value() {
        let x = Interval::from_decimal("2", 256)
            .unwrap()
            .sqrt()
            .unwrap()
            .mul(&Interval::pi(256));
        let truth = Float::with_val(
            2048,
            Float::with_val(2048, 2).sqrt() * Float::with_val(2048, Constant::Pi),
        );
        assert!(x.contains(&truth));
        assert!(x.width() < Float::with_val(64, 1e-70));
    }

    #[test]
    fn even_powers_and_abs_of_intervals_around_zero() {
        let x = iv(-2.0, 1.0);
        let sq = x.pow(2);
        assert_eq!((sq.lo.to_f64(), sq.hi.to_f64()), (0.0, 4.0));
        let cube = x.pow(3);
        assert_eq!((cube.lo.to_f64(), cube.hi.to_f64()), (-8.0, 1.0));
        let a = x.abs();
        assert_eq!((a.lo.to_f64(), a.hi.to_f64()), (0.0, 2.0));
    }

    #[test]
    fn domains_are_explicit() {
        assert!(matches!(
            iv(1.0, 2.0).div(&iv(-1.0, 1.0)),
            Err(DomainError::DivisionByZero(_))
        ));
        assert!(matches!(
            iv(-1.0, 2.0).sqrt(),
            Err(DomainError::OutOfDomain { func: "sqrt", .. })
        ));
        assert!(matches!(
            iv(0.0, 2.0).log(),
            Err(DomainError::OutOfDomain { func: "log", .. })
        ));
        assert!(Interval::new(Float::with_val(53, f64::NAN), Float::with_val(53, 1)).is_err());
    }

    /// The sign-case product and quotient equal the four-endpoint formula exactly.
    fn four_point(a: &Interval, b: &Interval, div: bool) -> (Float, Float) {
        let p = 64;
        let op = |x: &Float, y: &Float, r| {
            if div {
                Float::with_val_round(p, x / y, r).0
            } else {
                Float::with_val_round(p, x * y, r).0
            }
        };
        let pairs = [
            (&a.lo, &b.lo),
            (&a.lo, &b.hi),
            (&a.hi, &b.lo),
            (&a.hi, &b.hi),
        ];
        let lo = pairs
            .iter()
            .map(|(x, y)| op(x, y, Round::Down))
            .min_by(cmp)
            .unwrap();
        let hi = pairs
            .iter()
            .map(|(x, y)| op(x, y, Round::Up))
            .max_by(cmp)
            .unwrap();
        (lo, hi)
    }

    proptest::proptest! {
        #[test]
        fn sign_cases_match_the_four_endpoint_formula(
            a in (-5.0f64..5.0, 0.0f64..5.0), b in (-5.0f64..5.0, 0.0f64..5.0), zero_a in 0u8..4, zero_b in 0u8..4
        ) {
            let mk = |(lo, w): (f64, f64), z: u8| match z {
                // Endpoints exactly at 0 exercise the boundary cases.
                0 => Interval::new(Float::with_val(64, 0), Float::with_val(64, w)).unwrap(),
                1 => Interval::new(Float::with_val(64, -w), Float::with_val(64, 0)).unwrap(),
                _ => Interval::new(Float::with_val(64, lo), Float::with_val(64, lo + w)).unwrap(),
            };
            let (a, b) = (mk(a, zero_a), mk(b, zero_b));
            let m = a.mul(&b);
            let (lo, hi) = four_point(&a, &b, false);
            proptest::prop_assert!(m.lo == lo && m.hi == hi, "{a} * {b} = {m}, expected [{lo}, {hi}]");
            if !b.contains_zero() {
                let d = a.div(&b).unwrap();
                let (lo, hi) = four_point(&a, &b, true);
                proptest::prop_assert!(d.lo == lo && d.hi == hi, "{a} / {b} = {d}, expected [{lo}, {hi}]");
            }
        }
    }

    #[test]
    fn sin_and_cos_include_the_extrema_they_cross() {
        let s = iv(1.0, 2.0).sin();
        assert_eq!(s.hi.to_f64(), 1.0, "π/2 lies in [1, 2]");
        assert!(s.lo.to_f64() <= 1.0f64.sin());
        let c = iv(3.0, 3.5).cos();
        assert_eq!(c.lo.to_f64(), -1.0, "π lies in [3, 3.5]");
        let narrow = iv(0.1, 0.2).sin();
        assert!(
            narrow.lo.to_f64() <= 0.1f64.sin()
                && narrow.hi.to_f64() >= 0.2f64.sin()
                && narrow.hi.to_f64() < 0.2
        );
    }
}
