//! Every soft operation of both widths against MPFR, bit for bit (value, sign of zero,
//! precision, ternary value), in both directions, over operands shaped to reach the edge
//! cases: exact results, cancellation, carries across limbs and halves (significands of all
//! ones, or all ones down to a limb boundary), exponents far apart (the alignment window's
//! edges at 127, 128, 129, 255, 256 and 257 places), precisions from 1 to 256 bits mixed
//! between operands and result, zeros of both signs, infinities, NaN, and exponents at the
//! edge of the soft range (where MPFR takes over). Each case runs three ways: as the
//! interval operations dispatch it (the width the precision takes, MPFR elsewhere), and
//! directly with each width that holds the precision (four limbs down to 1 bit, so their
//! rounding is covered at every cut).

use super::*;
use proptest::prelude::*;
use rug::Float;
use rug::Integer;
use rug::float::{Round, Special};
use rug::ops::AssignRound;
use std::cmp::Ordering;

use super::float::Rounded;

/// Precisions, weighted towards the limb boundaries and the ones theorist uses.
pub(crate) fn any_prec() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => Just(128u32),
        3 => Just(256u32),
        2 => Just(53u32),
        1 => Just(64u32),
        1 => Just(65u32),
        1 => Just(127u32),
        1 => Just(129u32),
        1 => Just(192u32),
        1 => Just(193u32),
        1 => Just(255u32),
        1 => Just(1u32),
        2 => 1u32..=128,
        2 => 129u32..=256,
    ]
}

/// 256-bit significand shapes as an integer (the top bit is set afterwards; bits below the
/// precision cleared).
pub(crate) fn any_mant() -> impl Strategy<Value = Integer> {
    let top = |k: u32| (Integer::from(1) << 256u32) - (Integer::from(1) << (256 - k));
    prop_oneof![
        4 => any::<[u64; 4]>().prop_map(|l| Integer::from_digits(&l, rug::integer::Order::Lsf)),
        // Carries: all ones, all ones but the last few bits, all ones down to a limb or half.
        1 => Just(top(256)),
        1 => (0u32..8).prop_map(move |k| top(256 - k)),
        1 => prop_oneof![Just(64u32), Just(128), Just(192)].prop_map(top),
        1 => (any::<u128>(), prop_oneof![Just(64u32), Just(128), Just(192)])
            .prop_map(move |(low, k)| top(k) | (Integer::from(low) >> k.saturating_sub(128))),
        // Powers of two and just above: cancellation and exact results.
        1 => Just(Integer::from(1) << 255u32),
        1 => Just((Integer::from(1) << 255u32) | 1u32),
        1 => Just((Integer::from(1) << 255u32) | (Integer::from(1) << 128u32)),
        // Few significant bits: exact products, quotients and roots.
        2 => (any::<u64>(), 1u32..64).prop_map(|(m, k)| Integer::from(m >> k) << 192u32),
        1 => (any::<u128>(), 1u32..128).prop_map(|(m, k)| Integer::from(m >> k) << 128u32),
        1 => (any::<u16>()).prop_map(|m| Integer::from(m) << 240u32),
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

/// `(-1)^neg · 0.mant · 2^exp` at `prec` bits (exact: `mant`, 256 bits, is cut to `prec`
/// bits first).
pub(crate) fn float(prec: u32, mant: &Integer, exp: i64, neg: bool) -> Float {
    let mut m = Integer::from(mant | &(Integer::from(1) << 255u32));
    m.keep_bits_mut(256);
    m >>= 256 - prec;
    let mut x = Float::with_val(prec, m);
    x <<= i32::try_from(exp - i64::from(prec)).unwrap();
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
            .prop_map(|(p, m, e, n)| float(p, &m, e, n)),
        2 => (any_prec(), any::<bool>()).prop_map(|(p, n)| special(p, 0, n)),
        1 => (any_prec(), any::<bool>()).prop_map(|(p, n)| special(p, 1, n)),
        1 => any_prec().prop_map(|p| special(p, 2, false)),
    ]
    .boxed()
}

/// A pair of operands, the second often tied to the first: equal (cancellation), a few ulps
/// away, or with its exponent a chosen distance below (the alignment window's edges).
fn any_pair() -> impl Strategy<Value = (Float, Float)> {
    let distance = prop_oneof![
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
        Just(191),
        Just(192),
        Just(254),
        Just(255),
        Just(256),
        Just(257),
        Just(258),
        Just(511),
        Just(512),
        Just(513),
        Just(1000)
    ];
    let related = (
        (any_prec(), any_prec()),
        (any_mant(), any_mant()),
        -300i64..300,
        distance,
        any::<(bool, bool)>(),
        0u32..4,
    )
        .prop_map(|((pa, pb), (ma, mb), e, d, (na, nb), how)| {
            let a = float(pa, &ma, e, na);
            let b = match how {
                // The same value, maybe negated: exact zeros and doublings.
                0 => Float::with_val(pb.max(pa), &a) * if nb { -1 } else { 1 },
                // A few ulps away at a's precision.
                1 => {
                    let mut b = a.clone();
                    for _ in 0..(1 + mb.mod_u(3)) {
                        if nb { b.next_down() } else { b.next_up() }
                    }
                    b
                }
                // An exponent d places below.
                _ => float(pb, &mb, e - d, nb),
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

/// `to := v` for a soft result, returning its ternary value.
fn written<M: Significand>(to: &mut Float, r: Option<Rounded<M>>) -> Option<Ordering> {
    r.map(|(v, ternary)| {
        write(to, v);
        ternary
    })
}

/// One operation three ways: `two` and `four` compute it with each width's soft floats
/// into their destination (`None` where it has no soft form), `mpfr` with MPFR alone.
struct Op<'a> {
    two: &'a dyn Fn(&mut Float) -> Option<Ordering>,
    four: &'a dyn Fn(&mut Float) -> Option<Ordering>,
    mpfr: &'a dyn Fn(&mut Float) -> Ordering,
}

/// `(two, four, mpfr)` closures for one operation: `$soft` is an expression of the
/// destination precision `$p` (reading operands with `read(x)?`), typed once per width.
macro_rules! op {
    (|$p:ident| $soft:expr, |$to:ident| $mpfr:expr) => {
        Op {
            two: &|to: &mut Float| {
                let $p = to.prec();
                written::<u128>(to, (|| $soft)())
            },
            four: &|to: &mut Float| {
                let $p = to.prec();
                written::<U256>(to, (|| $soft)())
            },
            mpfr: &|$to: &mut Float| $mpfr,
        }
    };
}

impl Op<'_> {
    /// As the interval operations run it: the width the precision takes, else MPFR.
    fn dispatched(&self, to: &mut Float) -> Ordering {
        let soft = match width(to.prec()) {
            Some(Width::Two) => (self.two)(to),
            Some(Width::Four) => (self.four)(to),
            None => None,
        };
        soft.unwrap_or_else(|| (self.mpfr)(to))
    }
}

/// Equal as MPFR values: precision, NaN-ness, value and sign (of a zero too).
pub(crate) fn same(got: &Float, want: &Float) -> bool {
    got.prec() == want.prec()
        && got.is_nan() == want.is_nan()
        && (got.is_nan() || (got == want && got.is_sign_negative() == want.is_sign_negative()))
}

/// Whether the soft forms must apply: regular or zero operands of moderate exponent
/// (results then stay far inside the soft range).
fn moderate(xs: &[&Float]) -> bool {
    xs.iter()
        .all(|x| x.is_zero() || (x.is_normal() && x.get_exp().is_some_and(|e| e.abs() < 100_000)))
}

/// Runs `op` into fresh floats of `prec` bits, dispatched (as used, and from 1 bit up) and
/// directly with each width that holds `prec` bits and the operands, against MPFR, ternary
/// values included. `must`: the operation has a soft form on these operands, which each
/// width holding them must take.
fn agree(
    what: &str,
    prec: u32,
    operands: &[&Float],
    op: Op,
    must: bool,
) -> Result<(), TestCaseError> {
    // Poisoned destinations: whatever was there must not leak into the result.
    let mut want = Float::with_val(prec, 67890);
    let t_want = (op.mpfr)(&mut want);
    for every in [false, true] {
        let mut got = Float::with_val(prec, -12345);
        let t_got = if every {
            every_precision(|| op.dispatched(&mut got))
        } else {
            op.dispatched(&mut got)
        };
        prop_assert!(same(&got, &want), "{what}: soft {got:?}, MPFR {want:?}");
        prop_assert_eq!(t_got, t_want, "{}: ternary values", what);
    }
    let widest = operands
        .iter()
        .map(|x| x.prec())
        .max()
        .unwrap_or(1)
        .max(prec);
    for (name, direct, bits) in [("two", op.two, u128::BITS), ("four", op.four, U256::BITS)] {
        if prec > bits {
            continue;
        }
        let mut got = Float::with_val(prec, -12345);
        match direct(&mut got) {
            Some(t_got) => {
                prop_assert!(
                    same(&got, &want),
                    "{what}, {name} limbs: soft {got:?}, MPFR {want:?}"
                );
                prop_assert_eq!(t_got, t_want, "{}, {} limbs: ternary values", what, name);
            }
            None => prop_assert!(
                !(must && widest <= bits),
                "{what}: no soft form with {name} limbs"
            ),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn sums_and_differences_equal_mpfrs((a, b) in any_pair(), prec in any_prec(), dir in direction()) {
        let must = moderate(&[&a, &b]);
        agree(&format!("{a:?} + {b:?} at {prec} {dir:?}"), prec, &[&a, &b],
            op!(|p| add(read(&a)?, read(&b)?, p, dir), |to| to.assign_round(&a + &b, dir)), must)?;
        agree(&format!("{a:?} - {b:?} at {prec} {dir:?}"), prec, &[&a, &b],
            op!(|p| sub(read(&a)?, read(&b)?, p, dir), |to| to.assign_round(&a - &b, dir)), must)?;
    }

    #[test]
    fn products_equal_mpfrs((a, b) in any_pair(), prec in any_prec(), dir in direction()) {
        let must = moderate(&[&a, &b]);
        agree(&format!("{a:?} · {b:?} at {prec} {dir:?}"), prec, &[&a, &b],
            op!(|p| mul(read(&a)?, read(&b)?, p, dir), |to| to.assign_round(&a * &b, dir)), must)?;
        // Squares, as `Interval::set_pow` takes them.
        agree(&format!("{a:?}² at {prec} {dir:?}"), prec, &[&a],
            op!(|p| mul(read(&a)?, read(&a)?, p, dir), |to| to.assign_round(a.square_ref(), dir)), must)?;
    }

    #[test]
    fn quotients_equal_mpfrs((a, b) in any_pair(), prec in any_prec(), dir in direction()) {
        let must = moderate(&[&a, &b]) && !b.is_zero();
        agree(&format!("{a:?} / {b:?} at {prec} {dir:?}"), prec, &[&a, &b],
            op!(|p| div(read(&a)?, read(&b)?, p, dir), |to| to.assign_round(&a / &b, dir)), must)?;
        // Exact quotients: (a·b)/b, the product exact at 256 bits (but for overflow).
        if a.prec() + b.prec() <= 256 {
            let exact = Float::with_val(256, &a * &b);
            let must = moderate(&[&exact, &b]) && !b.is_zero();
            agree(&format!("({exact:?}) / {b:?} at {prec} {dir:?}"), prec, &[&exact, &b],
                op!(|p| div(read(&exact)?, read(&b)?, p, dir), |to| to.assign_round(&exact / &b, dir)), must)?;
        }
    }

    #[test]
    fn square_roots_equal_mpfrs(a in any_float(), root in (any_mant(), 1u32..=128, any_exp()), prec in any_prec(), dir in direction()) {
        agree(&format!("√{a:?} at {prec} {dir:?}"), prec, &[&a],
            op!(|p| sqrt(read(&a)?, p, dir), |to| to.assign_round(a.sqrt_ref(), dir)), moderate(&[&a]) && !a.is_sign_negative())?;
        let abs = Float::with_val(a.prec(), a.abs_ref());
        agree(&format!("√{abs:?} at {prec} {dir:?}"), prec, &[&abs],
            op!(|p| sqrt(read(&abs)?, p, dir), |to| to.assign_round(abs.sqrt_ref(), dir)), moderate(&[&abs]))?;
        // Perfect squares: exact roots (an odd and an even exponent) of up to 128 bits, whose
        // squares are exact at 256 bits.
        let (mant, bits, e) = root;
        let s = float(bits, &mant, e.clamp(-1000, 1000), false);
        for square in [Float::with_val(256, s.square_ref()), Float::with_val(256, s.square_ref()) * 2u32] {
            agree(&format!("√{square:?} at {prec} {dir:?}"), prec, &[&square],
                op!(|p| sqrt(read(&square)?, p, dir), |to| to.assign_round(square.sqrt_ref(), dir)), true)?;
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
        // Perfect squares (a root of half the bits squared, exact) and a lower endpoint a few
        // ulps below each, so that stepping lands exactly on the upper root.
        let mut cases = vec![(lo.clone(), near), (lo.clone(), far)];
        for bits in [64, 128] {
            let square = Float::with_val(2 * bits, Float::with_val(bits, lo.sqrt_ref()).square_ref());
            let mut below = square.clone();
            for _ in 0..(ulps % 8) {
                below.next_down();
            }
            cases.push((below, square));
        }
        for (lo, hi) in cases {
            if !hi.is_normal() || hi < lo || hi.get_exp().is_none_or(|e| e.abs() > 100_000) {
                continue;
            }
            let want = (
                Float::with_val_round(prec, lo.sqrt_ref(), Round::Down).0,
                Float::with_val_round(prec, hi.sqrt_ref(), Round::Up).0,
            );
            if prec <= 128 && lo.prec().max(hi.prec()) <= 128 {
                pair_agrees::<u128>(&lo, &hi, prec, &want)?;
            }
            pair_agrees::<U256>(&lo, &hi, prec, &want)?;
        }
    }

    #[test]
    fn scalings_equal_mpfrs(a in any_float(), k in prop_oneof![-70i32..70, Just(i32::MAX / 2), Just(i32::MIN / 2)], prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} · 2^{k} at {prec} {dir:?}"), prec, &[&a],
            op!(|p| scale(read(&a)?, k, p, dir), |to| to.assign_round(&a << k, dir)), moderate(&[&a]) && k.abs() < 70)?;
    }

    #[test]
    fn copies_equal_mpfrs(a in any_float(), prec in any_prec(), dir in direction()) {
        agree(&format!("{a:?} at {prec} {dir:?}"), prec, &[&a],
            op!(|p| set(read(&a)?, p, dir), |to| to.assign_round(&a, dir)), moderate(&[&a]))?;
    }

    #[test]
    fn comparisons_equal_mpfrs((a, b) in any_pair()) {
        comparisons_agree::<u128>(&a, &b)?;
        comparisons_agree::<U256>(&a, &b)?;
    }

    /// Reading and writing back (inside the soft range) is the identity.
    #[test]
    fn reading_and_writing_round_trip(a in any_float()) {
        round_trips::<u128>(&a)?;
        round_trips::<U256>(&a)?;
    }
}

/// [`sqrt_pair`] with significands `M` against MPFR's two roots `want`.
fn pair_agrees<M: Significand>(
    lo: &Float,
    hi: &Float,
    prec: u32,
    want: &(Float, Float),
) -> Result<(), TestCaseError> {
    let (a, b) = sqrt_pair::<M>(read(lo).unwrap(), read(hi).unwrap(), prec).unwrap();
    let (mut got_lo, mut got_hi) = (Float::new(prec), Float::new(prec));
    write(&mut got_lo, a);
    write(&mut got_hi, b);
    prop_assert!(
        same(&got_lo, &want.0) && same(&got_hi, &want.1),
        "√[{lo:?}, {hi:?}] at {prec}, {} bits: soft [{got_lo:?}, {got_hi:?}], MPFR {want:?}",
        M::BITS
    );
    Ok(())
}

/// `a > b` and `b > a` by soft values of significands `M`, where both have them, as MPFR
/// compares.
fn comparisons_agree<M: Significand>(a: &Float, b: &Float) -> Result<(), TestCaseError> {
    if let (Some(x), Some(y)) = (read::<M>(a), read::<M>(b)) {
        prop_assert_eq!(x > y, a > b, "{:?} > {:?}", a, b);
        prop_assert_eq!(y > x, b > a, "{:?} > {:?}", b, a);
        prop_assert_eq!(x == y, a == b, "{:?} = {:?}", a, b);
    }
    Ok(())
}

/// Reading `a` as a soft float of significands `M` and writing it back gives `a`; reading
/// fails only for non-finite values and more bits than `M` holds.
fn round_trips<M: Significand>(a: &Float) -> Result<(), TestCaseError> {
    let Some(v) = read::<M>(a) else {
        prop_assert!(!a.is_finite() || a.prec() > M::BITS);
        return Ok(());
    };
    if v.exp().abs() > EXP_LIMIT {
        return Ok(());
    }
    let mut to = Float::with_val(a.prec(), 99);
    write(&mut to, v);
    prop_assert!(same(&to, a), "{:?} came back as {:?}", a, to);
    Ok(())
}

#[test]
fn the_soft_range_lies_inside_mpfrs_exponent_range() {
    assert!(i64::from(rug::float::exp_min()) < -EXP_LIMIT - 1);
    assert!(i64::from(rug::float::exp_max()) > EXP_LIMIT + 1);
}

#[test]
fn more_than_256_bits_and_nearest_rounding_are_mpfrs() {
    assert!(read::<u128>(&Float::with_val(129, 3)).is_none());
    assert!(read::<U256>(&Float::with_val(257, 3)).is_none());
    assert_eq!(width(128), Some(Width::Two));
    assert_eq!(width(129), Some(Width::Four));
    assert_eq!(width(256), Some(Width::Four));
    assert_eq!((width(64), width(257)), (None, None));
    let b = read::<u128>(&Float::with_val(128, 3)).unwrap();
    assert!(add(b, b, 128, Round::Nearest).is_none());
    let c = read::<U256>(&Float::with_val(256, 3)).unwrap();
    assert!(add(c, c, 256, Round::Nearest).is_none());
    assert!(add(c, c, 257, Round::Up).is_none());
}

/// Worked cases with known answers, each a boundary of the algorithm, at both widths' full
/// precision.
#[test]
fn boundary_cases() {
    for prec in [128, 256] {
        boundary_cases_at(prec);
    }
}

fn boundary_cases_at(prec: u32) {
    let f = |x: &str| Float::with_val(prec, Float::parse(x).unwrap());
    let (one, two, three, four) = (f("1"), f("2"), f("3"), f("4"));
    let mut to = Float::new(prec);
    // 1 - 2⁻⁴⁰⁰ rounds down to the float below 1 and up to 1.
    let tiny = Float::with_val(prec, 1) >> 400u32;
    for (dir, ternary) in [
        (Round::Down, Ordering::Less),
        (Round::Up, Ordering::Greater),
    ] {
        let op = op!(|p| sub(read(&one)?, read(&tiny)?, p, dir), |to| to
            .assign_round(&one - &tiny, dir));
        assert_eq!(op.dispatched(&mut to), ternary);
        let mut want = one.clone();
        if dir == Round::Down {
            want.next_down();
        }
        assert_eq!(to, want);
    }
    // x - x is +0, and -0 rounding down.
    let same_value = one.clone();
    for dir in [Round::Up, Round::Down] {
        op!(|p| sub(read(&one)?, read(&same_value)?, p, dir), |to| to
            .assign_round(&one - &same_value, dir))
        .dispatched(&mut to);
        assert!(to.is_zero() && to.is_sign_negative() == (dir == Round::Down));
    }
    // √2 and 1/3 bracketed exactly one ulp apart; √4 and 1/4 exact.
    let (mut lo, mut hi) = (Float::new(prec), Float::new(prec));
    for (x, y) in [(&two, None), (&one, Some(&three))] {
        for (to, dir, ternary) in [
            (&mut lo, Round::Down, Ordering::Less),
            (&mut hi, Round::Up, Ordering::Greater),
        ] {
            let t = match y {
                None => op!(|p| sqrt(read(x)?, p, dir), |to| to
                    .assign_round(x.sqrt_ref(), dir))
                .dispatched(to),
                Some(y) => op!(|p| div(read(x)?, read(y)?, p, dir), |to| to
                    .assign_round(x / y, dir))
                .dispatched(to),
            };
            assert_eq!(t, ternary);
        }
        lo.next_up();
        assert_eq!(lo, hi);
    }
    let dir = Round::Down;
    let t = op!(|p| sqrt(read(&four)?, p, dir), |to| to
        .assign_round(four.sqrt_ref(), dir))
    .dispatched(&mut to);
    assert_eq!((t, to.to_f64()), (Ordering::Equal, 2.0));
    let t = op!(|p| div(read(&one)?, read(&four)?, p, dir), |to| to
        .assign_round(&one / &four, dir))
    .dispatched(&mut to);
    assert_eq!((t, to.to_f64()), (Ordering::Equal, 0.25));
}

/// The four-limb integer kernels against GMP's integers: products, quotients with their
/// remainders' signs, and roots with exact squares, over significands shaped like the
/// floats'.
mod four_limb_integers {
    use super::*;

    fn u256(x: &Integer) -> U256 {
        let mut digits = x.to_digits::<u64>(rug::integer::Order::Lsf);
        digits.resize(4, 0);
        U256::from_limbs(&digits).unwrap()
    }

    fn int(x: U256) -> Integer {
        let mut l = [0u64; 4];
        x.to_limbs(&mut l);
        Integer::from_digits(&l, rug::integer::Order::Lsf)
    }

    /// A normalised 256-bit significand (top bit set).
    fn normal(x: &Integer) -> Integer {
        let mut m = Integer::from(x | &(Integer::from(1) << 255u32));
        m.keep_bits_mut(256);
        m
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn products_are_exact(a in any_mant(), b in any_mant()) {
            let (a, b) = (normal(&a), normal(&b));
            let (hi, lo) = u256(&a).widening_mul(u256(&b));
            prop_assert_eq!((int(hi) << 256u32) + int(lo), Integer::from(&a * &b));
        }

        #[test]
        fn quotients_are_floors(n in any_mant(), d in any_mant(), prec in 1u32..=256) {
            let d = normal(&d);
            let mut n = n;
            n.keep_bits_mut(256);
            if n >= d {
                n -= &d;
            }
            let (q, inexact) = U256::div_fraction(u256(&n), u256(&d), prec);
            let (want, rem) = (Integer::from(&n << 256u32)).div_rem(d.clone());
            // The top digits prec needs, the rest zero and flagged.
            let digits = prec.div_ceil(64).clamp(1, 4);
            let cut = 64 * (4 - digits);
            let kept = Integer::from(&want >> cut) << cut;
            prop_assert_eq!(int(q), kept.clone(), "{} / {}", n, d);
            prop_assert_eq!(inexact, rem != 0 || kept != want);
        }

        #[test]
        fn roots_are_floors(x in any_mant(), low in any_mant(), odd in any::<bool>(), square in any::<bool>()) {
            // X in [2⁵¹⁰, 2⁵¹²): a significand with the low half, or its square.
            let x = normal(&x);
            let big = if square {
                Integer::from(x.square_ref())
            } else {
                let mut low = low;
                low.keep_bits_mut(256);
                (Integer::from(&x >> u32::from(odd)) << 256u32) + low
            };
            if big < (Integer::from(1) << 510u32) {
                return Ok(());
            }
            let (xh, xl) = (u256(&Integer::from(&big >> 256u32)), u256(&Integer::from(big.keep_bits_ref(256))));
            let (s, sq) = U256::sqrt_wide_exact(xh, xl);
            let want = Integer::from(big.sqrt_ref());
            prop_assert_eq!(int(s), want.clone());
            prop_assert_eq!((int(sq.0) << 256u32) + int(sq.1), want.square());
        }
    }

    #[test]
    fn roots_at_the_top_of_the_range() {
        // X = 2⁵¹² - 1: the candidate overflows to 2²⁵⁶ and is corrected to 2²⁵⁶ - 1.
        let (s, _) = U256::sqrt_wide_exact(U256::MAX, U256::MAX);
        assert_eq!(s, U256::MAX);
        // X = 2⁵¹⁰: exactly 2²⁵⁵.
        let (s, sq) = U256::sqrt_wide_exact(U256::TOP.shr(1), U256::ZERO);
        assert_eq!((s, sq), (U256::TOP, (U256::TOP.shr(1), U256::ZERO)));
    }
}
