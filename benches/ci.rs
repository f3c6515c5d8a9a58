//! Orchestration overhead of `theorist ci` with a stand-in checker that answers at once:
//! 1,000 files (each importing the previous ten), warm cache (goal: under 1 s) and cold.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use theorist_ci::{Checker, Module, RunOptions, run_checks};
use theorist_report::{FileOutcome, FileResult};

struct Instant;

impl Checker for Instant {
    async fn check(&self, module: &Module) -> FileResult {
        FileResult {
            file: module.rel.clone(),
            outcome: FileOutcome::Passed,
            duration_ms: 0,
            cached: false,
            declarations: 5,
            findings: vec![],
        }
    }
}

fn project(n: usize) -> (tempfile::TempDir, Vec<Module>) {
    let dir = tempfile::tempdir().unwrap();
    let mut modules = Vec::with_capacity(n);
    for i in 0..n {
        let rel = format!("Lib/M{i}.lean");
        let file = dir.path().join(&rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let imports: Vec<PathBuf> = (i.saturating_sub(10)..i)
            .map(|j| dir.path().join(format!("Lib/M{j}.lean")))
            .collect();
        let header: String = (i.saturating_sub(10)..i)
            .map(|j| format!("import Lib.M{j}\n"))
            .collect();
        std::fs::write(
            &file,
            format!(
                "{header}\ntheorem t{i} : {i} = {i} := rfl\n{}",
                "-- padding\n".repeat(50)
            ),
        )
        .unwrap();
        modules.push(Module {
            name: format!("Lib.M{i}"),
            file,
            rel,
            imports,
        });
    }
    (dir, modules)
}

fn orchestration(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (dir, modules) = project(1000);
    let graph: BTreeMap<PathBuf, Module> = modules
        .iter()
        .map(|m| (m.file.clone(), m.clone()))
        .collect();
    let options = |use_cache| RunOptions {
        workers: 2,
        use_cache,
        cache_path: Some(dir.path().join("cache/cache.json")),
        lean_version: "Lean (version 4.22.0)".into(),
        config_fingerprint: "bench".into(),
    };
    let checker = Arc::new(Instant);
    let mut group = c.benchmark_group("ci");
    group.sample_size(10);
    group.bench_function("1000_files_cold", |b| {
        b.iter(|| {
            rt.block_on(run_checks(
                &modules,
                &graph,
                checker.clone(),
                &options(false),
                &|_| {},
            ))
            .unwrap()
        })
    });
    rt.block_on(run_checks(
        &modules,
        &graph,
        checker.clone(),
        &options(false),
        &|_| {},
    ))
    .unwrap();
    group.bench_function("1000_files_warm_cache", |b| {
        b.iter(|| {
            let results = rt
                .block_on(run_checks(
                    &modules,
                    &graph,
                    checker.clone(),
                    &options(true),
                    &|_| {},
                ))
                .unwrap();
            assert!(results.iter().all(|r| r.cached));
        })
    });
    group.finish();
}

criterion_group!(benches, orchestration);
criterion_main!(benches);
