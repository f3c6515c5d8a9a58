//! Every soft interval operation of both widths against [`Interval`]'s operation with MPFR
//! alone (`soft::mpfr_only`), bit for bit (both endpoints, signs of zero included, and
//! whether an enclosure exists), over intervals of every sign pattern: straddling 0, touching
//! it with either zero, points, infinite endpoints, at precisions from 1 to 256 bits and
//! above, destinations narrower and wider than their operands.

use super::*;
use crate::soft::U256;
use crate::soft::tests::{any_float, any_prec, same};
use proptest::prelude::*;
use rug::Float;
use rug::float::Special;

fn iv(lo: Float, hi: Float) -> Interval {
    Interval::new(lo, hi).unwrap()
}

/// Intervals: any two ordered endpoints, points, and intervals with a zero endpoint.
fn any_interval() -> BoxedStrategy<Interval> {
    let endpoint = || any_float().prop_filter("an endpoint is not NaN", |x| !x.is_nan());
    prop_oneof![
        4 => (endpoint(), endpoint()).prop_map(|(a, b)| if a <= b { iv(a, b) } else { iv(b, a) }),
        1 => endpoint().prop_map(|a| iv(a.clone(), a)),
        2 => (endpoint(), any::<(bool, bool)>()).prop_map(|(a, (below, neg_zero))| {
            let zero = Float::with_val(a.prec(), if neg_zero { Special::NegZero } else { Special::Zero });
            let a = Float::with_val(a.prec(), a.abs_ref());
            if below { iv(-a, zero) } else { iv(zero, a) }
        }),
    ]
    // Boxed: the unboxed value tree of this nest of unions is megabytes of stack in debug
    // builds.
    .boxed()
}

/// Destination precisions: mostly soft ones, sometimes above (MPFR alone).
fn destination() -> impl Strategy<Value = u32> {
    prop_oneof![6 => any_prec(), 1 => Just(257u32), 1 => Just(300u32)]
}

/// Whether every endpoint is finite with a moderate exponent and at most `p` bits (so
/// copies are exact): the soft form must then apply.
fn soft_operands(xs: &[&Interval], p: u32) -> bool {
    soft::applies(p)
        && xs.iter().flat_map(|x| [&x.lo, &x.hi]).all(|e| {
            e.prec() <= p
                && (e.is_zero()
                    || (e.is_normal() && e.get_exp().is_some_and(|e| e.abs() < 100_000)))
        })
}

fn same_interval(a: &Interval, b: &Interval) -> bool {
    same(&a.lo, &b.lo) && same(&a.hi, &b.hi)
}

/// A soft interval operation run directly with each width at a destination precision:
/// `None` where it has no soft form, `Some(None)` for no enclosure.
struct Direct<'a> {
    two: &'a dyn Fn(u32) -> Option<Option<Interval>>,
    four: &'a dyn Fn(u32) -> Option<Option<Interval>>,
}

/// A soft result as an interval of `p` bits.
fn to_interval<M: Significand>(
    p: u32,
    r: Option<Option<SoftInterval<M>>>,
) -> Option<Option<Interval>> {
    r.map(|enclosure| {
        enclosure.map(|s| {
            let mut i = Interval::zero(p);
            s.write(&mut i);
            i
        })
    })
}

/// [`Direct`] for `$soft`, an expression of the precision `$p` typed once per width.
macro_rules! direct {
    (|$p:ident| $soft:expr) => {
        Direct {
            two: &|$p: u32| to_interval::<u128>($p, $soft),
            four: &|$p: u32| to_interval::<U256>($p, $soft),
        }
    };
}

/// `f` on `a` and `b` read as soft intervals.
fn binary<M: Significand>(
    a: &Interval,
    b: &Interval,
    f: impl FnOnce(&SoftInterval<M>, &SoftInterval<M>, &mut SoftInterval<M>) -> Option<bool>,
) -> Option<Option<SoftInterval<M>>> {
    let (x, y) = (SoftInterval::read(a)?, SoftInterval::read(b)?);
    let mut out = SoftInterval::point(Soft::ZERO);
    let enclosed = f(&x, &y, &mut out)?;
    Some(enclosed.then_some(out))
}

/// `f` on `a` read as a soft interval.
fn unary<M: Significand>(
    a: &Interval,
    f: impl FnOnce(&SoftInterval<M>, &mut SoftInterval<M>) -> bool,
) -> Option<Option<SoftInterval<M>>> {
    let x = SoftInterval::read(a)?;
    let mut out = SoftInterval::point(Soft::ZERO);
    f(&x, &mut out).then_some(Some(out))
}

/// `op` into fresh destinations of `p` bits, with soft floats and with MPFR alone, and the
/// soft interval operation itself with each width that holds `p` bits: all agree. `must`
/// says the soft form has to apply (with either width when the operands fit it).
fn agree(
    what: impl Fn() -> String,
    p: u32,
    op: impl Fn(&mut Interval) -> bool,
    direct: Direct,
    must: bool,
) -> Result<(), TestCaseError> {
    let mut got = Interval::zero(p);
    let mut want = Interval::zero(p);
    let ok = op(&mut got);
    let ok_mpfr = soft::mpfr_only(|| op(&mut want));
    prop_assert_eq!(ok, ok_mpfr, "{}: whether there is an enclosure", what());
    prop_assert!(
        same_interval(&got, &want),
        "{}: soft {got:?}, MPFR {want:?}",
        what()
    );
    for (name, run, bits) in [("two", direct.two, 128), ("four", direct.four, 256)] {
        if p > bits {
            continue;
        }
        match run(p) {
            Some(result) => {
                prop_assert_eq!(
                    result.is_some(),
                    ok_mpfr,
                    "{}: {} limbs, an enclosure",
                    what(),
                    name
                );
                if let Some(direct) = result {
                    prop_assert!(
                        same_interval(&direct, &want),
                        "{}: {name} limbs {direct:?}, MPFR {want:?}",
                        what()
                    );
                }
            }
            None => prop_assert!(!must, "{}: no soft form with {} limbs", what(), name),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn binary_operations_equal_mpfrs(a in any_interval(), b in any_interval(), p in destination()) {
        let must = soft_operands(&[&a, &b], p);
        let always = |done: bool| done.then_some(true);
        let case = || format!("{a:?}, {b:?} at {p}");
        agree(|| format!("+ {}", case()), p, |to| { to.set_add(&a, &b); true },
            direct!(|p| binary(&a, &b, |x, y, o| always(x.add(y, p, o)))), must)?;
        agree(|| format!("- {}", case()), p, |to| { to.set_sub(&a, &b); true },
            direct!(|p| binary(&a, &b, |x, y, o| always(x.sub(y, p, o)))), must)?;
        agree(|| format!("· {}", case()), p, |to| { to.set_mul(&a, &b); true },
            direct!(|p| binary(&a, &b, |x, y, o| always(x.mul(y, p, o)))), must)?;
        agree(|| format!("/ {}", case()), p, |to| to.set_div(&a, &b),
            direct!(|p| binary(&a, &b, |x, y, o| x.div(y, p, o))), must)?;
        agree(|| format!("Lean / {}", case()), p, |to| to.set_div_lean(&a, &b),
            direct!(|p| binary(&a, &b, |x, y, o| x.div_lean(y, p, o))), must)?;
        agree(|| format!("min {}", case()), p, |to| { to.set_min(&a, &b); true },
            direct!(|p| binary(&a, &b, |x, y, o| always(x.min(y, p, o)))), must)?;
        agree(|| format!("max {}", case()), p, |to| { to.set_max(&a, &b); true },
            direct!(|p| binary(&a, &b, |x, y, o| always(x.max(y, p, o)))), must)?;
    }

    #[test]
    fn unary_operations_equal_mpfrs(a in any_interval(), p in destination(), k in -70i32..70, n in 0u32..5) {
        let must = soft_operands(&[&a], p);
        let case = || format!("{a:?} at {p}");
        agree(|| format!("neg {}", case()), p, |to| { to.set_neg(&a); true },
            direct!(|p| unary(&a, |x, o| x.neg(p, o))), must)?;
        agree(|| format!("· 2^{k} {}", case()), p, |to| { to.set_scale(&a, k); true },
            direct!(|p| unary(&a, |x, o| x.scale(k, p, o))), must)?;
        agree(|| format!("^{n} {}", case()), p, |to| { to.set_pow(&a, n); true },
            direct!(|p| unary(&a, |x, o| x.pow(n, p, o))), must && n <= 2)?;
        agree(|| format!("abs {}", case()), p, |to| { to.set_abs(&a); true },
            direct!(|p| unary(&a, |x, o| x.abs(p, o))), must)?;
        agree(|| format!("√ {}", case()), p, |to| { to.set_sqrt_lean(&a); true },
            direct!(|p| unary(&a, |x, o| x.sqrt_lean(p, o))), must)?;
        agree(|| format!("max · 0 {}", case()), p, |to| { to.set_clamp_nonneg(&a); true },
            direct!(|p| unary(&a, |x, o| x.clamp_nonneg(p, o))), must)?;
    }
}
