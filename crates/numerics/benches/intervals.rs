//! Interval arithmetic measured the way `scripts/bench-native` compares it with native Arb,
//! MPFI and inari: thread CPU time per iteration (time spent preempted on a busy machine does
//! not count), criterion's median.
//!
//! - `interval_ops/<bits>`: one add, mul, div and sqrt (`s = a + b; m = s·a; d = m / b;
//!   √d`) at 53, 128, 256 and 1024 bits, each result a fresh interval; `interval_ops_in_place`
//!   the same mix written into preallocated intervals, as the tape runs it and as the C
//!   harness (`benches/native/harness.c`) runs Arb and MPFI.
//! - `higgs_radial_128/…`: `-μ⁴/(4λ) + (2λx - μ²)²/(4λ)` at μ² = 7837.52, λ = 0.129,
//!   x ∈ [0, 10⁵] at 128 bits: through the tree evaluator, the compiled tape, and by hand.
//! - `higgs_radial_f64/…`: the same over the same box in the f64 tier (the tape, by hand),
//!   and with inari when built for a CPU inari supports (`RUSTFLAGS=-Ctarget-cpu=native`;
//!   inari refuses to compile for a baseline x86-64 without AVX and FMA).
//!
//! The enclosures' widths go to stderr as `width<TAB>who<TAB>bench<TAB>value` lines, for the
//! script's table.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use theorist_numerics::{Interval, Interval64, Params, Tape, elab_expression, eval, parse_param};

/// The calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), as criterion's measurement.
struct ThreadTime;

fn thread_now() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for clock_gettime to write; the clock id is a constant
    // every Linux and BSD has.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Values are nanoseconds, like [`WallTime`]'s, so its formatter prints them.
static WALL: WallTime = WallTime;

impl Measurement for ThreadTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_now()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_now().saturating_sub(start)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, d: &Duration) -> f64 {
        d.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

const PRECISIONS: [u32; 4] = [53, 128, 256, 1024];
const A: &str = "1.2345678901234567";
const B: &str = "7.6543210987654321";

fn ops(c: &mut Criterion<ThreadTime>) {
    let mut group = c.benchmark_group("interval_ops");
    group.throughput(Throughput::Elements(4));
    for prec in PRECISIONS {
        let a = Interval::from_decimal(A, prec).unwrap();
        let b = Interval::from_decimal(B, prec).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(prec), &prec, |bench, _| {
            bench.iter(|| {
                let s = black_box(&a).add(black_box(&b));
                let m = s.mul(&a);
                let d = m.div(&b).unwrap();
                d.sqrt().unwrap()
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("interval_ops_in_place");
    group.throughput(Throughput::Elements(4));
    for prec in PRECISIONS {
        let a = Interval::from_decimal(A, prec).unwrap();
        let b = Interval::from_decimal(B, prec).unwrap();
        let [mut s, mut m, mut d, mut r] = std::array::from_fn(|_| Interval::zero(prec));
        group.bench_with_input(BenchmarkId::from_parameter(prec), &prec, |bench, _| {
            bench.iter(|| {
                s.set_add(black_box(&a), black_box(&b));
                m.set_mul(&s, &a);
                assert!(d.set_div(&m, &b));
                r.set_sqrt_lean(&d);
                r.lo.to_f64()
            })
        });
    }
    group.finish();
}

const HIGGS: &str = "-μSq ^ 2 / (4 * 𝓵) + (2 * 𝓵 * x - μSq) ^ 2 / (4 * 𝓵)";

fn higgs_names() -> [String; 3] {
    ["μSq".to_string(), "𝓵".to_string(), "x".to_string()]
}

/// μ², λ and x at `prec` bits, in `higgs_names` order.
fn higgs_inputs(prec: u32) -> Vec<Interval> {
    ["μSq=7837.52", "𝓵=0.129", "x=[0, 100000]"]
        .iter()
        .map(|p| parse_param(p, prec).unwrap().1)
        .collect()
}

fn width(who: &str, bench: &str, lo: f64, hi: f64) {
    eprintln!("width\t{who}\t{bench}\t{:e}", hi - lo);
}

fn higgs_mpfr(c: &mut Criterion<ThreadTime>) {
    let names = higgs_names();
    let expr = elab_expression(HIGGS, &names).unwrap();
    let inputs = higgs_inputs(128);
    let params: Params = names.iter().cloned().zip(inputs.iter().cloned()).collect();
    let mut group = c.benchmark_group("higgs_radial_128");
    group.bench_function("tree", |b| b.iter(|| eval(&expr, &params, 128).unwrap()));
    let tape = Tape::expression(&expr, &names).unwrap();
    let mut ws = tape.mpfr_workspace(128);
    let tree = eval(&expr, &params, 128).unwrap();
    assert_eq!(*tape.eval_mpfr(&mut ws, &inputs).unwrap(), tree);
    width(
        "theorist",
        "higgs_radial_128",
        tree.lo.to_f64(),
        tree.hi.to_f64(),
    );
    group.bench_function("tape", |b| {
        b.iter(|| {
            tape.eval_mpfr(&mut ws, black_box(&inputs))
                .unwrap()
                .lo
                .to_f64()
        })
    });
    // By hand through the in-place operations, as the C harness writes Arb and MPFI.
    let mut regs: [Interval; 5] = std::array::from_fn(|_| Interval::zero(128));
    higgs_by_hand(&mut regs, &inputs);
    assert_eq!(regs[4], tree);
    group.bench_function("by_hand", |b| {
        b.iter(|| {
            higgs_by_hand(&mut regs, black_box(&inputs));
            regs[4].lo.to_f64()
        })
    });
    group.finish();
}

/// `-μ⁴/(4λ) + (2λx - μ²)²/(4λ)` into `regs[4]` (4λ once), the others scratch.
fn higgs_by_hand(regs: &mut [Interval; 5], inputs: &[Interval]) {
    let [mu, lam, x] = [&inputs[0], &inputs[1], &inputs[2]];
    let [den, t, u, v, r] = regs;
    u.set_integer(4);
    den.set_mul(u, lam);
    u.set_pow(mu, 2);
    v.set_neg(u);
    assert!(t.set_div(v, den));
    u.set_integer(2);
    v.set_mul(u, lam);
    u.set_mul(v, x);
    v.set_sub(u, mu);
    u.set_pow(v, 2);
    assert!(v.set_div(u, den));
    r.set_add(t, v);
}

fn higgs_f64(c: &mut Criterion<ThreadTime>) {
    let names = higgs_names();
    let expr = elab_expression(HIGGS, &names).unwrap();
    let tape = Tape::expression(&expr, &names).unwrap();
    let inputs: Vec<Interval64> = higgs_inputs(128)
        .iter()
        .map(Interval64::of_interval)
        .collect();
    let mut ws = tape.f64_workspace().unwrap();
    let fast = tape.eval_f64(&mut ws, &inputs).unwrap();
    width("theorist", "higgs_radial_f64", fast.lo, fast.hi);
    let mut group = c.benchmark_group("higgs_radial_f64");
    group.bench_function("tape", |b| {
        b.iter(|| tape.eval_f64(&mut ws, black_box(&inputs)).unwrap())
    });
    group.bench_function("by_hand", |b| {
        b.iter(|| {
            let [mu, lam, x] = black_box([inputs[0], inputs[1], inputs[2]]);
            let den = Interval64::point(4.0).mul(lam)?;
            let t = mu.pow(2)?.neg().div_lean(den)?;
            let u = Interval64::point(2.0).mul(lam)?.mul(x)?.sub(mu)?;
            t.add(u.pow(2)?.div_lean(den)?)
        })
    });
    inari_side::bench(&mut group, &inputs);
    group.finish();
}

/// inari 2 needs AVX and FMA on x86-64 (`compile_error!` otherwise), so it is a dependency
/// only of builds for such CPUs (`crates/numerics/Cargo.toml`).
#[cfg(any(
    target_arch = "aarch64",
    all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma")
))]
mod inari_side {
    use super::*;
    use criterion::BenchmarkGroup;
    use inari::{Interval as I, const_interval};

    pub fn bench(group: &mut BenchmarkGroup<ThreadTime>, inputs: &[Interval64]) {
        let [mu, lam, x] =
            [inputs[0], inputs[1], inputs[2]].map(|v| I::try_from((v.lo, v.hi)).unwrap());
        let f = |mu: I, lam: I, x: I| {
            let den = const_interval!(4.0, 4.0) * lam;
            -mu.sqr() / den + (const_interval!(2.0, 2.0) * lam * x - mu).sqr() / den
        };
        let r = f(mu, lam, x);
        super::width("inari", "higgs_radial_f64", r.inf(), r.sup());
        group.bench_function("inari", |b| {
            b.iter(|| {
                let [mu, lam, x] = black_box([mu, lam, x]);
                f(mu, lam, x)
            })
        });
    }
}

#[cfg(not(any(
    target_arch = "aarch64",
    all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma")
)))]
mod inari_side {
    use super::*;
    use criterion::BenchmarkGroup;

    pub fn bench(_: &mut BenchmarkGroup<ThreadTime>, _: &[Interval64]) {
        eprintln!(
            "higgs_radial_f64/inari skipped: inari needs AVX and FMA (build with RUSTFLAGS=-Ctarget-cpu=native)"
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadTime);
    targets = ops, higgs_mpfr, higgs_f64
}
criterion_main!(benches);
