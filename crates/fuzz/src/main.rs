//! theorist-fuzz: a stable-Rust fuzzing harness for theorist's readers of untrusted input
//! (the Lean source scanner, the LaTeX reader, the numerics parser, the JSON-RPC framing; see
//! [`targets`]). `run TARGET` supervises worker processes ([`worker`]) until the time is up:
//! a panic is a crash (caught in the worker, saved, fuzzing goes on), an input past the
//! per-input time budget is a hang, a worker that dies (stack overflow, abort, the memory cap)
//! is a crash too; each finding's input is saved under `--out`, and the worker is restarted
//! with the next seed. `replay TARGET FILE…` runs saved inputs again. `scripts/fuzz` runs
//! every target.

mod mutate;
mod targets;
mod worker;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use targets::{SPECS, Spec, spec};
use worker::{HANG_EXIT, State, WorkerConfig, content_hash};

#[derive(Debug, Parser)]
#[command(
    name = "theorist-fuzz",
    about = "Fuzz theorist's parsers (stable Rust)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, clap::Args)]
struct Common {
    /// Per-input time budget: an input that runs longer is a hang.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    budget_ms: u64,
    /// Longest generated input, in bytes.
    #[arg(long, default_value_t = 16384, value_name = "BYTES")]
    max_len: usize,
    /// The corpus (a folder per target).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Where crashes and hangs are saved (default: target/fuzz-findings in the repository).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The targets.
    List,
    /// Fuzz one target for a while.
    Run {
        target: String,
        /// How long (fractions allowed).
        #[arg(long, default_value_t = 10.0)]
        minutes: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        common: Common,
    },
    /// The last runs' figures as a Markdown table (from each target's summary.json).
    Summary {
        targets: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Run saved inputs (files or folders) through a target; exit 1 on a crash or hang.
    Replay {
        target: String,
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// One worker process (started by `run`).
    #[command(hide = true)]
    Worker {
        target: String,
        #[arg(long)]
        seed: u64,
        #[arg(long)]
        millis: u64,
        #[arg(long)]
        state: PathBuf,
        #[arg(long)]
        skip: Option<PathBuf>,
        /// Run the corpus's inputs once (not the repository's), then stop.
        #[arg(long)]
        seeds_only: bool,
        #[command(flatten)]
        common: Common,
    },
}

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::canonicalize(&root).unwrap_or(root)
}

impl Common {
    /// Where findings go, a folder per target.
    fn out_base(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| repo_root().join("target/fuzz-findings"))
    }

    fn corpus(&self) -> PathBuf {
        self.corpus
            .clone()
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"))
    }

    fn out(&self, target: &str) -> PathBuf {
        self.out_base().join(target)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::List => {
            for s in SPECS.iter().filter(|s| s.listed) {
                println!("{}", s.name);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            target,
            minutes,
            seed,
            common,
        } => with_spec(&target).and_then(|s| supervise(s, minutes, seed, &common)),
        Command::Replay {
            target,
            inputs,
            common,
        } => with_spec(&target).and_then(|s| replay(s, &inputs, &common)),
        Command::Summary { targets, common } => summary(&targets, &common),
        Command::Worker {
            target,
            seed,
            millis,
            state,
            skip,
            seeds_only,
            common,
        } => with_spec(&target).and_then(|s| {
            let skip: HashSet<u64> = skip
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default()
                .lines()
                .filter_map(|l| u64::from_str_radix(l.trim(), 16).ok())
                .collect();
            worker::run(
                s,
                WorkerConfig {
                    seed,
                    deadline: Instant::now() + Duration::from_millis(millis),
                    budget: Duration::from_millis(common.budget_ms),
                    max_len: common.max_len,
                    state,
                    corpus: common.corpus(),
                    repo: (!seeds_only).then(repo_root),
                    out: common.out(s.name),
                    skip,
                    seeds_only,
                },
            )
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| e.to_string())
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("theorist-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

fn with_spec(name: &str) -> Result<&'static Spec, String> {
    spec(name).ok_or_else(|| {
        let known: Vec<&str> = SPECS.iter().filter(|s| s.listed).map(|s| s.name).collect();
        format!("unknown target `{name}` (known: {})", known.join(", "))
    })
}

/// What a run found, over all its workers.
#[derive(Debug, Default)]
struct Totals {
    execs: u64,
    /// Executions that panicked (caught in the worker).
    panics: u64,
    /// Workers that died (abort, stack overflow, memory cap).
    deaths: u64,
    hangs: u64,
    workers: u64,
    corpus: u64,
}

fn supervise(spec: &Spec, minutes: f64, seed: u64, common: &Common) -> Result<ExitCode, String> {
    let out = common.out(spec.name);
    for sub in ["crashes", "hangs"] {
        std::fs::create_dir_all(out.join(sub)).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(minutes * 60.0);
    let state = out.join(format!("state-{}", std::process::id()));
    let skip_file = out.join(format!("skip-{}", std::process::id()));
    let mut skip: Vec<String> = Vec::new();
    let mut totals = Totals::default();
    let mut next_seed = seed;
    loop {
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let remaining = deadline - now;
        std::fs::write(&skip_file, skip.join("\n")).map_err(|e| e.to_string())?;
        let mut child = std::process::Command::new(&exe)
            .arg("worker")
            .arg(spec.name)
            .args(["--seed", &next_seed.to_string()])
            .args(["--millis", &remaining.as_millis().to_string()])
            .arg("--state")
            .arg(&state)
            .arg("--skip")
            .arg(&skip_file)
            .args(["--budget-ms", &common.budget_ms.to_string()])
            .args(["--max-len", &common.max_len.to_string()])
            .arg("--corpus")
            .arg(common.corpus())
            .arg("--out")
            .arg(common.out_base())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("starting a worker: {e}"))?;
        totals.workers += 1;
        // A worker's own watchdog ends a hang; this one is for a worker that cannot.
        let limit =
            remaining + Duration::from_millis(common.budget_ms * 4) + Duration::from_secs(30);
        let status = wait_at_most(&mut child, limit);
        let s = State::read(&state);
        totals.execs += s.execs;
        totals.panics += s.panics;
        totals.corpus = totals.corpus.max(s.corpus);
        let verdict = match status {
            Some(st) if st.success() => break,
            Some(st) if st.code() == Some(HANG_EXIT) => "hangs",
            None => "hangs",
            Some(_) => "crashes",
        };
        // It died running `s.input`: that execution counts, and its input is a finding.
        totals.execs += 1;
        let name = format!("{}-{:016x}", spec.name, content_hash(&s.input));
        let dir = out.join(verdict);
        std::fs::write(dir.join(format!("{name}.in")), &s.input).map_err(|e| e.to_string())?;
        let why = match status {
            None => format!("the worker did not stop within {limit:?}"),
            Some(st) if st.code() == Some(HANG_EXIT) => {
                format!("ran past the {} ms budget", common.budget_ms)
            }
            Some(st) => format!("the worker died: {st}"),
        };
        std::fs::write(dir.join(format!("{name}.txt")), format!("{why}\n"))
            .map_err(|e| e.to_string())?;
        if verdict == "hangs" {
            totals.hangs += 1;
        } else {
            totals.deaths += 1;
        }
        skip.push(format!("{:016x}", content_hash(&s.input)));
        next_seed = next_seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
    }
    let _ = std::fs::remove_file(&state);
    let _ = std::fs::remove_file(&skip_file);
    let elapsed = started.elapsed().as_secs_f64();
    let crashes = totals.panics + totals.deaths;
    let unique = count_files(&out.join("crashes"), "in");
    let summary = serde_json::json!({
        "target": spec.name,
        "minutes": (elapsed / 60.0 * 100.0).round() / 100.0,
        "seed": seed,
        "budget_ms": common.budget_ms,
        "execs": totals.execs,
        "execs_per_sec": (totals.execs as f64 / elapsed).round(),
        "crashes": crashes,
        "crash_inputs_saved": unique,
        "hangs": totals.hangs,
        "workers": totals.workers,
        "corpus": totals.corpus,
        "out": out,
    });
    std::fs::write(out.join("summary.json"), format!("{summary}\n")).map_err(|e| e.to_string())?;
    println!(
        "{}: {:.1} min, {} execs ({}/s), {} crashes ({} panicking executions, {} worker deaths), {} hangs, corpus {} — {}",
        spec.name,
        elapsed / 60.0,
        totals.execs,
        summary["execs_per_sec"],
        crashes,
        totals.panics,
        totals.deaths,
        totals.hangs,
        totals.corpus,
        out.display()
    );
    Ok(if crashes + totals.hangs == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn summary(targets: &[String], common: &Common) -> Result<ExitCode, String> {
    let names: Vec<String> = if targets.is_empty() {
        SPECS
            .iter()
            .filter(|s| s.listed)
            .map(|s| s.name.to_string())
            .collect()
    } else {
        targets.to_vec()
    };
    let mut out = String::from(
        "| target | minutes | executions | execs/s | crashes | hangs | corpus |\n| --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for name in &names {
        let path = common.out(name).join("summary.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            out.push_str(&format!("| {name} | (no run) | | | | | |\n"));
            continue;
        };
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} | {} |\n",
            v["minutes"], v["execs"], v["execs_per_sec"], v["crashes"], v["hangs"], v["corpus"]
        ));
    }
    let _ = write!(std::io::stdout(), "{out}");
    Ok(ExitCode::SUCCESS)
}

fn count_files(dir: &Path, ext: &str) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == ext))
                .count()
        })
        .unwrap_or(0)
}

/// Waits for `child` up to `limit`; kills it and returns `None` past that.
fn wait_at_most(
    child: &mut std::process::Child,
    limit: Duration,
) -> Option<std::process::ExitStatus> {
    let until = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Runs each input once in a fresh worker-like child (so a hang or an abort is reported for
/// that file, and the next one still runs).
fn replay(spec: &Spec, inputs: &[PathBuf], common: &Common) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "txt"))
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(p.clone());
        }
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut bad = 0;
    for file in &files {
        // A corpus of just this file, run once: a worker whose deadline passes after the seeds.
        let corpus = scratch.path().join("corpus");
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::create_dir_all(corpus.join(spec.name)).map_err(|e| e.to_string())?;
        std::fs::copy(file, corpus.join(spec.name).join("input"))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        let started = Instant::now();
        let status = std::process::Command::new(&exe)
            .arg("worker")
            .arg(spec.name)
            .args(["--seed", "0", "--millis", "0", "--seeds-only"])
            .arg("--state")
            .arg(scratch.path().join("state"))
            .args(["--budget-ms", &common.budget_ms.to_string()])
            .args(["--max-len", &common.max_len.to_string()])
            .arg("--corpus")
            .arg(&corpus)
            .arg("--out")
            .arg(scratch.path().join("out"))
            .status()
            .map_err(|e| e.to_string())?;
        let s = State::read(&scratch.path().join("state"));
        let verdict = if status.code() == Some(HANG_EXIT) {
            format!("HANG (past {} ms)", common.budget_ms)
        } else if !status.success() {
            format!("CRASH (the worker died: {status})")
        } else if s.panics > 0 {
            let why = std::fs::read_dir(scratch.path().join("out").join(spec.name).join("crashes"))
                .ok()
                .and_then(|d| {
                    d.flatten()
                        .find(|e| e.path().extension().is_some_and(|x| x == "txt"))
                        .and_then(|e| std::fs::read_to_string(e.path()).ok())
                })
                .unwrap_or_default();
            let _ = std::fs::remove_dir_all(scratch.path().join("out"));
            format!("CRASH ({})", why.trim())
        } else {
            "ok".to_string()
        };
        if verdict != "ok" {
            bad += 1;
        }
        let _ = writeln!(
            std::io::stdout(),
            "{}: {verdict} in {:.2} s",
            file.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
