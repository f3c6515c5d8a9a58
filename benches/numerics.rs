//! Interval arithmetic throughput at 53, 128, 256 and 1024 bits (one add, mul, div and sqrt per
//! iteration), and the Higgs lower bound -μ⁴/(4λ) evaluated from source text.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use theorist_numerics::{Interval, Params, eval, parse, parse_param};

fn ops(c: &mut Criterion) {
    let mut group = c.benchmark_group("interval_ops");
    group.throughput(Throughput::Elements(4));
    for prec in [53u32, 128, 256, 1024] {
        let a = Interval::from_decimal("1.2345678901234567", prec).unwrap();
        let b = Interval::from_decimal("7.6543210987654321", prec).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(prec), &prec, |bench, _| {
            bench.iter(|| {
                let s = a.add(&b);
                let m = s.mul(&a);
                let d = m.div(&b).unwrap();
                d.sqrt().unwrap()
            })
        });
    }
    group.finish();
}

fn higgs(c: &mut Criterion) {
    let expr = parse("-μSq ^ 2 / (4 * 𝓵) + (2 * 𝓵 * x - μSq) ^ 2 / (4 * 𝓵)").unwrap();
    let mut params = Params::new();
    for p in ["μSq=7837.52", "𝓵=0.129", "x=[0, 100000]"] {
        let (k, v) = parse_param(p, 128).unwrap();
        params.insert(k, v);
    }
    c.bench_function("higgs_radial_enclosure_128bit", |b| {
        b.iter(|| eval(&expr, &params, 128).unwrap())
    });
}

criterion_group!(benches, ops, higgs);
criterion_main!(benches);
