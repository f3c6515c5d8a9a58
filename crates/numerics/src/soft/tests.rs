//! Every soft operation against MPFR, bit for bit (value, sign of zero, precision, ternary
//! value), in both directions, over operands shaped to reach the edge cases: exact results,
//! cancellation, carries across the 128-bit boundary (significands of all ones), exponents
//! far apart (the alignment window's edges at 127, 128 and 129 places), precisions from 1 to
//! 128 bits mixed between operands and result, zeros of both signs, infinities, NaN, and
//! exponents at the edge of the soft range (where MPFR takes over).

use super::*;
use proptest::prelude::*;
use rug::Integer;
use rug::ops::AssignRound;

/// Precisions, weighted towards the limb boundaries and the ones theorist uses.
pub(crate) fn any_prec() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => Just(128u32),
        2 => Just(53u32),
        1 => Just(64u32),
        1 => Just(65u32),
        1 => Just(127u32),
        1 => Just(1u32),
        3 => 1u32..=128,
    ]
}

/// Significand shapes (the top bit is set afterwards; bits below the precision cleared).
pub(crate) fn any_mant() -> impl Strategy<Value = u128> {
    prop_oneof![
        4 => any::<u128>(),
        // Carries: all ones, all ones but the last few bits.
        1 => Just(u128::MAX),
        1 => (0u32..8).prop_map(|k| u128::MAX << k),
        // Powers of two and just above: cancellation and exact results.
        1 => Just(1u128 << 127),
        1 => Just((1u128 << 127) | 1),
        // Few significant bits: exact products, quotients and roots.
        2 => (any::<u64>(), 1u32..64).prop_map(|(m, k)| u128::from(m >> k) << 64),
        1 => (any::<u16>()).prop_map(|m| u128::from(m) << 112),
    ]
}

/// Exponents: small, moderate, and at the edge of the soft range.
pub(crate) fn any_exp() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => -4i64..=4,
        4 => -300i64..=300,
        1 => (EXP_LIMIT - 3)..=(EXP_LIMIT + 3),
        1 => (-EXP_LIMIT - 3)..=(-EXP_LIMIT + 3),
    ]
}

/// `(-1)^neg · 0.mant · 2^exp` at `prec` bits (exact: `mant` is cut to `prec` bits first).
pub(crate) fn float(prec: u32, mant: u128, exp: i64, neg: bool) -> Float {
    let mant = (mant | (1 << 127)) & !((1u128 << (128 - prec)) - 1);
    let mut x = Float::with_val(prec, Integer::from(mant));
    x <<= i32::try_from(exp - 128).unwrap();
    if neg { -x } else { x }
}

/// A zero, an infinity (of sign `neg`) or NaN, at `prec` bits.
pub(crate) fn special(prec: u32, kind: u8, neg: bool) -> Float {
    match (kind, neg) {
        (0, false) => Float::with_val(prec, Special::Zero),
        (0, true) => Float::with_val(prec, Special::NegZero),
        (1, false) => Float::with_val(prec, Special::Infinity),
        (1, true) => Float::with_val(prec, Special::NegInfinity),
        _ => Float::with_val(prec, Special::Nan),
    }
}

/// An operand: mostly regular, sometimes a zero, an infinity or NaN.
pub(crate) fn any_float() -> BoxedStrategy<Float> {
    prop_oneof![
        12 => (any_prec(), any_mant(), any_exp(), any::<bool>())
            .prop_map(|(p, m, e, n)| float(p, m, e, n)),
        2 => (any_prec(), any::<bool>()).prop_map(|(p, n)| special(p, 0, n)),
        1 => (any_prec(), any::<bool>()).prop_map(|(p, n)| special(p, 1, n)),
        1 => any_prec().prop_map(|p| special(p, 2, false)),
    ]
    .boxed()
}

/// A pair of operands, the second often tied to the first: equal (cancellation), a few ulps
/// away, or with its exponent a chosen distance below (the alignment window's edges).
fn any_pair() -> impl Strategy<Value = (Float, Float)> {
    let related = (
        any_prec(),
        any_prec(),
        any_mant(),
        any_mant(),
        -300i64..300,
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(2),
            Just(63),
            Just(64),
            Just(65),
            Just(126),
            Just(127),
            Just(128),
            Just(129),
            Just(130),
            Just(255),
            Just(256),
            Just(257),
            Just(1000)
        ],
        any::<(bool, bool)>(),
        0u32..4,
    )
        .prop_map(|(pa, pb, ma, mb, e, d, (na, nb), how)| {
            let a = float(pa, ma, e, na);
            let b = match how {
                // The same value, maybe negated: exact zeros and doublings.
                0 => Float::with_val(pb.max(pa), &a) * if nb { -1 } else { 1 },
                // A few ulps away at a's precision.
                1 => {
                    let mut b = a.clone();
                    for _ in 0..(1 + (mb % 3) as u32) {
                        if nb { b.next_down() } else { b.next_up() }
                    }
                    b
                }
                // An exponent d places below.
                _ => float(pb, mb, e - d, nb),
            };
            (a, b)
        });
    prop_oneof![
        2 => (any_float(), any_float()),
        3 => related,
    ]
}

fn direction() -> impl Strategy<Value = Round> {
    prop_oneof![Just(Round::Down), Just(Round::Up)]
}

/// `to := soft(prec)` where soft floats apply and the operation has a soft form, else MPFR's
/// `mpfr(to)`: what the interval operations do, per endpoint.
fn soft_or(
    to: &mut Float,
    soft: impl FnOnce(u32) -> Option<Rounded>,
    mpfr: impl FnOnce(&mut Float) -> Ordering,
) -> Ordering {
    let p = to.prec();
    if applies(p) {
        if let Some((v, ternary)) = soft(p) {
            write(to, v);
            return ternary;
        }
    }
    mpfr(to)
}

fn add_round(to: &mut Float, a: &Float, b: &Float, dir: Round) -> Ordering {
    soft_or(
        to,
        |p| add(read(a)?, read(b)?, p, dir),
        |to| to.assign_round(a + b, dir),
    )
}

fn sub_round(to: &mut Float, a: &Float, b: &Float, dir: Round) -> Ordering {
    soft_or(
        to,
        |p| sub(read(a)?, read(b)?, p, dir),
        |to| to.assign_round(a - b, dir),
    )
}

fn mul_round(to: &mut Float, a: &Float, b: &Float, dir: Round) -> Ordering {
    soft_or(
        to,
        |p| mul(read(a)?, read(b)?, p, dir),
        |to| to.assign_round(a * b, dir),
    )
}

fn div_round(to: &mut Float, a: &Float, b: &Float, dir: Round) -> Ordering {
    soft_or(
        to,
        |p| div(read(a)?, read(b)?, p, dir),
        |to| to.assign_round(a / b, dir),
    )
}

fn sqrt_round(to: &mut Float, a: &Float, dir: Round) -> Ordering {
    soft_or(
        to,
        |p| sqrt(read(a)?, p, dir),
        |to| to.assign_round(a.sqrt_ref(), dir),
    )
}

fn scale_round(to: &mut Float, a: &Float, k: i32, dir: Round) -> Ordering {
    soft_or(
        to,
        |p| scale(read(a)?, k, p, dir),
        |to| to.assign_round(a << k, dir),
    )
}

/// `a > b` by soft values where both are soft.
fn greater(a: &Float, b: &Float) -> bool {
    match (read(a), read(b)) {
        (Some(x), Some(y)) => x > y,
        _ => a > b,
    }
}

/// Equal as MPFR values: precision, NaN-ness, value and sign (of a zero too).
pub(crate) fn same(got: &Float, want: &Float) -> bool {
    got.prec() == want.prec()
        && got.is_nan() == want.is_nan()
        && (got.is_nan() || (got == want && got.is_sign_negative() == want.is_sign_negative()))
}

/// Whether the soft form must apply: regular or zero operands of moderate exponent (results
/// then stay far inside the soft range).
fn moderate(xs: &[&Float]) -> bool {
    xs.iter()
        .all(|x| x.is_zero() || (x.is_normal() && x.get_exp().is_some_and(|e| e.abs() < 100_000)))
}

/// Runs `soft` (the endpoint function with its MPFR fallback) and `mpfr` into fresh floats of
/// `prec` bits and compares them, and the ternary values.
fn agree(
    what: &str,
    prec: u32,
    soft: impl Fn(&mut Float) -> Ordering,
    mpfr: impl Fn(&mut Float) -> Ordering,
) -> Result<(), TestCaseError> {
    // Poisoned destinations: whatever was there must not leak into the result.
    let mut want = Float::with_val(prec, 67890);
    let t_want = mpfr(&mut want);
    // As used (from `MIN_PREC` bits), and at every precision.
    for every in [false, true] {
        let mut got = Float::with_val(prec, -12345);
        let t_got = if every {
            every_precision(|| soft(&mut got))
        } else {
            soft(&mut got)
        };
        prop_assert!(same(&got, &want), "{what}: soft {got:?}, MPFR {want:?}");
        prop_assert_eq!(t_got, t_want, "{}: ternary values", what);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn sums_and_differences_equal_mpfrs((a, b) in any_pair(), prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} + {b:?} at {prec} {dir:?}"), prec,
            |to| add_round(to, &a, &b, dir), |to| to.assign_round(&a + &b, dir))?;
        agree(&format!("{a:?} - {b:?} at {prec} {dir:?}"), prec,
            |to| sub_round(to, &a, &b, dir), |to| to.assign_round(&a - &b, dir))?;
        if moderate(&[&a, &b]) {
            prop_assert!(add(read(&a).unwrap(), read(&b).unwrap(), prec, dir).is_some());
            prop_assert!(sub(read(&a).unwrap(), read(&b).unwrap(), prec, dir).is_some());
        }
    }

    #[test]
    fn products_equal_mpfrs((a, b) in any_pair(), prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} · {b:?} at {prec} {dir:?}"), prec,
            |to| mul_round(to, &a, &b, dir), |to| to.assign_round(&a * &b, dir))?;
        // Squares, as `Interval::set_pow` takes them.
        agree(&format!("{a:?}² at {prec} {dir:?}"), prec,
            |to| mul_round(to, &a, &a, dir), |to| to.assign_round(a.square_ref(), dir))?;
        if moderate(&[&a, &b]) {
            prop_assert!(mul(read(&a).unwrap(), read(&b).unwrap(), prec, dir).is_some());
        }
    }

    #[test]
    fn quotients_equal_mpfrs((a, b) in any_pair(), prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} / {b:?} at {prec} {dir:?}"), prec,
            |to| div_round(to, &a, &b, dir), |to| to.assign_round(&a / &b, dir))?;
        // Exact quotients: (a·b)/b, the product exact at 128 bits (but for overflow).
        if a.prec() + b.prec() <= 128 {
            let exact = Float::with_val(128, &a * &b);
            agree(&format!("({exact:?}) / {b:?} at {prec} {dir:?}"), prec,
                |to| div_round(to, &exact, &b, dir), |to| to.assign_round(&exact / &b, dir))?;
        }
        if moderate(&[&a, &b]) && !b.is_zero() {
            prop_assert!(div(read(&a).unwrap(), read(&b).unwrap(), prec, dir).is_some());
        }
    }

    #[test]
    fn square_roots_equal_mpfrs(a in any_float(), root in (any::<u64>(), any_exp()), prec in any_prec(), dir in direction()) {
        agree(&format!("√{a:?} at {prec} {dir:?}"), prec,
            |to| sqrt_round(to, &a, dir), |to| to.assign_round(a.sqrt_ref(), dir))?;
        let abs = Float::with_val(a.prec(), a.abs_ref());
        agree(&format!("√{abs:?} at {prec} {dir:?}"), prec,
            |to| sqrt_round(to, &abs, dir), |to| to.assign_round(abs.sqrt_ref(), dir))?;
        // Perfect squares: exact roots (an odd and an even exponent).
        let s = float(64, u128::from(root.0) << 64, root.1.clamp(-1000, 1000), false);
        for square in [Float::with_val(128, s.square_ref()), Float::with_val(128, s.square_ref()) * 2u32] {
            agree(&format!("√{square:?} at {prec} {dir:?}"), prec,
                |to| sqrt_round(to, &square, dir), |to| to.assign_round(square.sqrt_ref(), dir))?;
        }
        if moderate(&[&a]) {
            prop_assert!(sqrt(read(&abs).unwrap(), prec, dir).is_some());
        }
    }

    /// Interval square roots: `(√lo rounded down, √hi rounded up)` for `hi` a few ulps above
    /// `lo` (one step per ulp or so, past the step limit too) or anywhere above it.
    #[test]
    fn square_root_pairs_equal_mpfrs(lo in any_float(), ulps in prop_oneof![0u32..40, Just(1000)], other in any_float(), prec in any_prec()) {
        let lo = Float::with_val(lo.prec(), lo.abs_ref());
        if !lo.is_normal() || lo.get_exp().is_none_or(|e| e.abs() > 100_000) {
            return Ok(());
        }
        let mut near = lo.clone();
        for _ in 0..ulps.min(64) {
            near.next_up();
        }
        if ulps == 1000 {
            near *= 1.000001f64;
        }
        let far = Float::with_val(other.prec(), other.abs_ref());
        // A perfect square (a 64-bit root squared at 128 bits, exact) and a lower endpoint a
        // few ulps below it, so that stepping lands exactly on the upper root.
        let square = Float::with_val(128, Float::with_val(64, lo.sqrt_ref()).square_ref());
        let mut below = square.clone();
        for _ in 0..(ulps % 8) {
            below.next_down();
        }
        for (lo, hi) in [(lo.clone(), near), (lo, far), (below, square)] {
            if !hi.is_normal() || hi < lo || hi.get_exp().is_none_or(|e| e.abs() > 100_000) {
                continue;
            }
            let (a, b) = sqrt_pair(read(&lo).unwrap(), read(&hi).unwrap(), prec).unwrap();
            let (mut got_lo, mut got_hi) = (Float::new(prec), Float::new(prec));
            write(&mut got_lo, a);
            write(&mut got_hi, b);
            let want_lo = Float::with_val_round(prec, lo.sqrt_ref(), Round::Down).0;
            let want_hi = Float::with_val_round(prec, hi.sqrt_ref(), Round::Up).0;
            prop_assert!(same(&got_lo, &want_lo) && same(&got_hi, &want_hi),
                "√[{lo:?}, {hi:?}] at {prec}: soft [{got_lo:?}, {got_hi:?}], MPFR [{want_lo:?}, {want_hi:?}]");
        }
    }

    #[test]
    fn scalings_equal_mpfrs(a in any_float(), k in prop_oneof![-70i32..70, Just(i32::MAX / 2), Just(i32::MIN / 2)], prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} · 2^{k} at {prec} {dir:?}"), prec,
            |to| scale_round(to, &a, k, dir), |to| to.assign_round(&a << k, dir))?;
    }

    #[test]
    fn copies_equal_mpfrs(a in any_float(), prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} at {prec} {dir:?}"), prec,
            |to| soft_or(to, |p| set(read(&a)?, p, dir), |to| to.assign_round(&a, dir)),
            |to| to.assign_round(&a, dir))?;
    }

    #[test]
    fn comparisons_equal_mpfrs((a, b) in any_pair()) {
        prop_assert_eq!(greater(&a, &b), a > b, "{:?} > {:?}", a, b);
        prop_assert_eq!(greater(&b, &a), b > a, "{:?} > {:?}", b, a);
    }

    /// Reading and writing back (inside the soft range) is the identity.
    #[test]
    fn reading_and_writing_round_trip(a in any_float()) {
        if let Some(v) = read(&a) {
            if v.exp.abs() > EXP_LIMIT {
                return Ok(());
            }
            let mut to = Float::with_val(a.prec(), 99);
            write(&mut to, v);
            prop_assert!(same(&to, &a), "{:?} came back as {:?}", a, to);
        } else {
            prop_assert!(!a.is_finite());
        }
    }
}

#[test]
fn the_soft_range_lies_inside_mpfrs_exponent_range() {
    assert!(i64::from(rug::float::exp_min()) < -EXP_LIMIT - 1);
    assert!(i64::from(rug::float::exp_max()) > EXP_LIMIT + 1);
}

#[test]
fn more_than_128_bits_and_nearest_rounding_are_mpfrs() {
    let a = Float::with_val(129, 3);
    assert!(read(&a).is_none());
    let b = read(&Float::with_val(128, 3)).unwrap();
    assert!(add(b, b, 128, Round::Nearest).is_none());
    let mut to = Float::new(200);
    assert_eq!(
        add_round(
            &mut to,
            &Float::with_val(200, 1),
            &Float::with_val(200, 2),
            Round::Up
        ),
        Ordering::Equal
    );
    assert_eq!(to, 3);
}

/// Worked cases with known answers, each a boundary of the algorithm.
#[test]
fn boundary_cases() {
    let f = |x: &str| Float::with_val(128, Float::parse(x).unwrap());
    let mut to = Float::new(128);
    // 1 - 2⁻²⁰⁰ rounds down to the float below 1 and up to 1.
    let one = f("1");
    let tiny = Float::with_val(128, 1) >> 200u32;
    assert_eq!(sub_round(&mut to, &one, &tiny, Round::Down), Ordering::Less);
    let mut below = one.clone();
    below.next_down();
    assert_eq!(to, below);
    assert_eq!(
        sub_round(&mut to, &one, &tiny, Round::Up),
        Ordering::Greater
    );
    assert_eq!(to, 1);
    // x - x is +0, and -0 rounding down.
    sub_round(&mut to, &one, &one, Round::Up);
    assert!(to.is_zero() && !to.is_sign_negative());
    sub_round(&mut to, &one, &one, Round::Down);
    assert!(to.is_zero() && to.is_sign_negative());
    // √2 brackets, exactly one ulp apart; √4 exact.
    let (mut lo, mut hi) = (Float::new(128), Float::new(128));
    assert_eq!(sqrt_round(&mut lo, &f("2"), Round::Down), Ordering::Less);
    assert_eq!(sqrt_round(&mut hi, &f("2"), Round::Up), Ordering::Greater);
    lo.next_up();
    assert_eq!(lo, hi);
    assert_eq!(sqrt_round(&mut to, &f("4"), Round::Down), Ordering::Equal);
    assert_eq!(to, 2);
    // 1/3 brackets; 1/4 exact.
    assert_eq!(
        div_round(&mut lo, &one, &f("3"), Round::Down),
        Ordering::Less
    );
    assert_eq!(
        div_round(&mut hi, &one, &f("3"), Round::Up),
        Ordering::Greater
    );
    lo.next_up();
    assert_eq!(lo, hi);
    assert_eq!(
        div_round(&mut to, &one, &f("4"), Round::Up),
        Ordering::Equal
    );
    assert_eq!(to, 0.25);
}
