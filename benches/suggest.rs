//! Suggestion latency for 8 candidates (retrieval baseline; StepRank too when built with
//! `--features model` and its weights are present: its prior alone, guiding retrieval, told
//! the scope check) on generated held-out goals and a real
//! miniF2F-style goal; the whole answer `suggest` gives (the numerics engine first, then the
//! ranker, everything through the scope check) on the Higgs bound and on a false goal; and the
//! proof search's own overhead per attempt against an environment that answers instantly (so
//! Lean's time is excluded).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use theorist_prove::{EnvError, Outcome, ProofEnv, SearchConfig, search};
use theorist_tactics::answer::{AnswerConfig, answer};
use theorist_tactics::baseline::Retrieval;
use theorist_tactics::guided::{Guided, StepPrior};
use theorist_tactics::index::Builder;
use theorist_tactics::scope::Scope;
use theorist_tactics::{Ranker, Suggestion};

const GOALS: &[&str] = &[
    "x y : ℝ\n⊢ 2 * x * y ≤ x ^ 2 + y ^ 2",
    "a b : ℝ\nh₀ : a = -1\nh₁ : b = 5\n⊢ -a - b ^ 2 + 3 * (a * b) = -39",
    "E : Type u_1\ninst✝¹ : NormedAddCommGroup E\ninst✝ : NormedSpace ℝ E\nu v : E\n⊢ ‖u + v‖ ≤ ‖u‖ + ‖v‖",
    "μ l x : ℝ\n⊢ higgsPotential μ l x = -μ ^ 2 * x + l * x ^ 2",
];

fn suggestion_latency(c: &mut Criterion) {
    let retrieval = Retrieval::train(&theorist_tactics::baseline_examples());
    let mut group = c.benchmark_group("suggest_8");
    group.bench_function("retrieval", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % GOALS.len();
            black_box(retrieval.suggest(GOALS[i], 8))
        })
    });
    let weights =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/steprank.safetensors");
    match theorist_tactics::model::StepRank::load(&weights) {
        Ok(model) => {
            let device = model.device();
            // The learned prior alone, then as `suggest` uses it: guiding retrieval.
            group.bench_function(format!("steprank_prior_{device}"), |b| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % GOALS.len();
                    black_box(model.predict(GOALS[i], &[]))
                })
            });
            let guided = Guided::new(&retrieval, &model);
            group.bench_function(format!("steprank_guided_{device}"), |b| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % GOALS.len();
                    black_box(guided.suggest(GOALS[i], 8))
                })
            });
            // As `suggest` asks: told the goal's scope check, ranking only what passes it.
            let names = theorist_tactics::index::NameIndex::new();
            let scopes: Vec<Scope> = GOALS.iter().map(|g| Scope::of_goal(g, &names)).collect();
            group.bench_function(format!("steprank_guided_in_scope_{device}"), |b| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % GOALS.len();
                    let admits = scopes[i].memoised();
                    black_box(guided.suggest_in(GOALS[i], &[], 8, &admits))
                })
            });
        }
        Err(e) => eprintln!("model not benchmarked: {e}"),
    }
    group.finish();
}

/// `suggest`'s answer without Lean: numerics first, then retrieval, through the scope check
/// against an index holding the lemmas the hint names.
fn answer_latency(c: &mut Criterion) {
    let retrieval = Retrieval::train(&theorist_tactics::baseline_examples());
    let mut library = Builder::default();
    library.add_file(
        "mathlib",
        "Mathlib.Basic",
        "theorem sq_nonneg : True := trivial\ntheorem mul_nonneg : True := trivial\n",
    );
    let names = library.finish();
    let config = AnswerConfig {
        k: 8,
        numerics: true,
        file: None,
    };
    let mut group = c.benchmark_group("answer_8");
    for (label, goal) in [
        (
            "higgs_bound_hint",
            "μSq 𝓵 x : ℝ\nh : 0 < 𝓵\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2",
        ),
        ("false_goal_refuted", "x : ℝ\nh : 0 ≤ x\n⊢ x ^ 2 ≤ x"),
    ] {
        let scope = Scope::of_goal(goal, &names);
        group.bench_function(label, |b| {
            b.iter(|| {
                black_box(answer(goal, &scope, &config, &mut |g, n, admits| {
                    retrieval.suggest_in(g, &[], n, admits)
                }))
            })
        });
    }
    group.finish();
}

/// Every attempt fails at once: what remains is the search's bookkeeping.
struct Instant;

impl ProofEnv for Instant {
    async fn initial_goals(&mut self) -> Result<Vec<String>, EnvError> {
        Ok(vec![GOALS[0].to_string()])
    }
    async fn attempt(&mut self, t: &[String], _: Duration) -> Result<Outcome, EnvError> {
        // Alternate progress and failure so the queue and the seen-set do work.
        Ok(
            if t.len() < 3 && t.last().is_some_and(|s| s.ends_with('0')) {
                Outcome::Progress {
                    goals: vec![format!("{}\n⊢ step {}", GOALS[0], t.join(";"))],
                }
            } else {
                Outcome::Failed {
                    message: "linarith failed".into(),
                }
            },
        )
    }
}

fn search_overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let list: Vec<Suggestion> = (0..8)
        .map(|i| Suggestion {
            tactic: format!("tactic{i}{}", i % 2 * 10),
            score: 1.0 / (i + 1) as f64,
            source: "bench".into(),
        })
        .collect();
    let config = SearchConfig {
        max_attempts: 64,
        ..SearchConfig::default()
    };
    let mut group = c.benchmark_group("search");
    group.bench_function("64_attempts_excluding_lean", |b| {
        b.iter(|| {
            let mut suggest = |_: &str, _: usize| list.clone();
            let report = rt
                .block_on(search(&mut Instant, &mut suggest, &config))
                .unwrap();
            black_box(report.attempts.len())
        })
    });
    group.finish();
}

criterion_group!(benches, suggestion_latency, answer_latency, search_overhead);
criterion_main!(benches);
