//! The one place that reads and writes the fields of MPFR's `mpfr_t` directly, for the soft
//! floats (`soft`) and the thin forms (`thin`), which would otherwise pay a call into MPFR
//! (or rug's views of a significand) per field. The layout is MPFR's public one (its manual,
//! "Internals"): a regular number is `(-1)^s · 0.d · 2^exp` with its significand `d` in
//! `⌈prec/64⌉` limbs, least significant first, the top bit of the last limb set and the bits
//! below the precision zero. Only 64-bit limbs are handled: on other targets (32-bit GMP
//! limbs) every function here declines and callers keep MPFR's own operations.

use rug::Float;

/// Whether GMP's limbs are 64 bits wide here (gmp-mpfr-sys: on every 64-bit target).
pub(crate) const LIMBS_64: bool = cfg!(target_pointer_width = "64");

/// The bits of `T`, for the limb type `mpfr_t` names.
#[inline(always)]
const fn bits_of<T>(_: *const T) -> usize {
    8 * std::mem::size_of::<T>()
}

/// A regular (finite, nonzero) MPFR number's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    pub(crate) neg: bool,
    /// The exponent (`x = ±0.d · 2^exp`).
    pub(crate) exp: i64,
    /// The significand's `⌈prec/64⌉` limbs, least significant first.
    pub(crate) limbs: &'a [u64],
}

/// `x`'s fields, for a regular `x`; `None` for zeros, infinities and NaN.
#[inline(always)]
pub(crate) fn parts(x: &Float) -> Option<Parts<'_>> {
    if !LIMBS_64 || !x.is_normal() {
        return None;
    }
    let n = (x.prec() as usize).div_ceil(64);
    // SAFETY: `as_raw` points at `x`'s `mpfr_t`, alive and unchanged for this borrow; a regular
    // number of `prec` bits has `⌈prec/64⌉` allocated, initialised limbs of 64 bits (checked).
    unsafe {
        let raw = &*x.as_raw();
        let d = raw.d.as_ptr();
        if bits_of(d) != 64 {
            return None;
        }
        // `exp_t` is C's `long`: 64 bits here, 32 on Windows.
        #[allow(clippy::useless_conversion)]
        let exp = i64::from(raw.exp);
        Some(Parts {
            neg: raw.sign < 0,
            exp,
            limbs: std::slice::from_raw_parts(d.cast::<u64>().cast_const(), n),
        })
    }
}

/// `to := (-1)^neg · 0.d · 2^exp` with `fill` writing the significand `d` into `to`'s
/// `⌈prec/64⌉` limbs. The caller guarantees a regular number: the top bit set, the bits below
/// `to`'s precision zero, and `exp` inside MPFR's exponent range (`soft::EXP_LIMIT` is). `false`
/// (and `to` untouched) without 64-bit limbs.
#[inline(always)]
pub(crate) fn set_regular(
    to: &mut Float,
    neg: bool,
    exp: i64,
    fill: impl FnOnce(&mut [u64]),
) -> bool {
    if !LIMBS_64 {
        return false;
    }
    let n = (to.prec() as usize).div_ceil(64);
    // SAFETY: `as_raw_mut` points at `to`'s `mpfr_t`, borrowed mutably here, with `⌈prec/64⌉`
    // allocated limbs of 64 bits (checked); the fields written make a regular number as the
    // caller guarantees.
    unsafe {
        let raw = &mut *to.as_raw_mut();
        let d = raw.d.as_ptr();
        if bits_of(d) != 64 {
            return false;
        }
        fill(std::slice::from_raw_parts_mut(d.cast::<u64>(), n));
        raw.sign = if neg { -1 } else { 1 };
        raw.exp = exp as _;
    }
    true
}

/// `x` stepped up `k` ulps for a positive regular `x` whose significand does not reach the
/// next power of two on the way (then each step has the same ulp, and `k` steps add `k`
/// ulps); `false` (and `x` untouched) otherwise: what `k` calls of `mpfr_nextabove` give,
/// without the calls.
#[inline]
pub(crate) fn step_up(x: &mut Float, k: u64) -> bool {
    let Some(p) = parts(x) else {
        return false;
    };
    if p.neg {
        return false;
    }
    let shift = 64 * p.limbs.len() as u32 - x.prec();
    // k·ulp in limb units: the low limb gets `k << shift` (up to 70 bits), the rest a carry.
    let add = u128::from(k) << shift;
    let low = u128::from(p.limbs[0]) + add;
    let mut carry = low >> 64;
    // The carry stops at the first limb that does not overflow; past the top limb the
    // significand would reach 2^(64n): the next binade, whose ulp is twice as large.
    for &limb in &p.limbs[1..] {
        if carry == 0 {
            break;
        }
        carry = (u128::from(limb) + carry) >> 64;
    }
    if carry != 0 {
        return false;
    }
    let (neg, exp) = (p.neg, p.exp);
    set_regular(x, neg, exp, |limbs| {
        let mut carry = add;
        for limb in limbs.iter_mut() {
            if carry == 0 {
                break;
            }
            let sum = u128::from(*limb) + carry;
            *limb = sum as u64;
            carry = sum >> 64;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Stepping by limb arithmetic is `k` calls of MPFR's `next_up`, across limb carries
        /// and up to the binade's end (where it declines).
        #[test]
        fn steps_equal_mpfrs_next_up(prec in prop_oneof![1u32..200, Just(64u32), Just(128), Just(256), Just(1024)], bits in any::<u64>(), k in 0u64..30, e in -100i32..100, near_top in any::<bool>()) {
            let mut x = if near_top {
                let mut x = Float::with_val(prec, 1);
                for _ in 0..(bits % 20) {
                    x.next_down();
                }
                x
            } else {
                Float::with_val(prec, 0.5) + Float::with_val(prec, bits) / Float::with_val(prec, u64::MAX) / 2u32
            };
            x <<= e;
            let mut want = x.clone();
            for _ in 0..k {
                want.next_up();
            }
            let before = x.clone();
            if step_up(&mut x, k) {
                prop_assert_eq!(&x, &want, "{:?} + {} ulps", before, k);
                prop_assert_eq!(x.get_exp(), before.get_exp());
            } else {
                prop_assert_eq!(&x, &before, "untouched when declining");
                prop_assert!(want.get_exp() != before.get_exp(), "declined {:?} + {} ulps", before, k);
            }
        }
    }

    #[test]
    fn parts_read_sign_exponent_and_limbs() {
        let x = Float::with_val(128, -3) >> 10u32;
        let p = parts(&x).unwrap();
        assert!(p.neg);
        assert_eq!(p.exp, -8);
        assert_eq!(p.limbs, &[0, 0xC000_0000_0000_0000]);
        assert!(parts(&Float::new(64)).is_none(), "zero");
    }
}
