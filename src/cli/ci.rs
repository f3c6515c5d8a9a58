//! `theorist ci`: the arguments become a [`CiRequest`] for [`run_ci`] (which checks the project
//! and writes the reports), its progress goes to stderr, the summary or the JSON report to
//! stdout, and the exit code is 0/1 (2 for bad input, 3 when no Lean toolchain exists: then
//! nothing is checked and no cache is written).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use theorist_report::{FileOutcome, FileResult};

use super::{Exit, GlobalArgs};
use crate::engine::ci::{Backend, CiEvent, CiOutcome, CiRequest, Workers, run_ci};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to check (default: the `[files] include` list of theorist.toml, else every module
    /// of the lakefile's libraries).
    pub files: Vec<PathBuf>,
    /// The project root (default: the Lake project around the current folder).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// The configuration file (default: theorist.toml in the project root, if present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check every file again instead of reusing cached verdicts.
    #[arg(long)]
    pub no_cache: bool,
    /// theorist's cache folder, outside the checkout (default: $THEORIST_CACHE_DIR, else
    /// $XDG_CACHE_HOME/theorist, else ~/.cache/theorist).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Files checked at once (overrides `[lean] workers`; default: as many as the cores and
    /// memory allow, ~5 GB per Lean with Mathlib, or `--memory` each).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Where the reports go (overrides `[reports] dir`; relative to the project root).
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Report formats to write (repeatable; overrides `[reports] formats`): json, junit,
    /// sarif, github, markdown, human.
    #[arg(long = "format", value_name = "FORMAT")]
    pub formats: Vec<String>,
    /// Per-file wall-clock limit in seconds (overrides `[lean] timeout_secs`).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Per-file memory cap in MB (overrides `[lean] memory_mb`).
    #[arg(long, value_name = "MB")]
    pub memory: Option<u64>,
    /// Check on a remote backend instead of local Lean: `kimina=URL` (a Kimina Lean Server;
    /// API key from $THEORIST_KIMINA_API_KEY).
    #[arg(long, value_name = "KIND=URL", value_parser = parse_backend)]
    pub backend: Option<String>,
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let project = match args.project {
        Some(p) => p,
        None => std::env::current_dir().context("reading the current folder")?,
    };
    let request = CiRequest {
        project,
        files: args.files,
        config: args.config,
        use_cache: !args.no_cache,
        cache_dir: args.cache_dir,
        jobs: args.jobs,
        report_dir: args.report_dir,
        formats: args.formats,
        timeout_secs: args.timeout,
        memory_mb: args.memory,
        backend: args.backend.map(|url| Backend::Kimina {
            url,
            api_key: std::env::var("THEORIST_KIMINA_API_KEY")
                .ok()
                .filter(|k| !k.is_empty()),
        }),
        lean: super::leanenv::lean_setup(global),
    };
    let progress = OnceLock::new();
    let on_event = |event: CiEvent<'_>| show_event(event, &progress);
    // No toolchain is an error that `cli::report_error` turns into exit 3.
    let outcome = super::runtime()?.block_on(run_ci(&request, &on_event))?;
    print_outcome(&outcome, global.json)?;
    Ok(if outcome.passed() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}

/// `kimina=URL`.
fn parse_backend(s: &str) -> Result<String, String> {
    match s.split_once('=') {
        Some(("kimina", url)) if url.starts_with("http://") || url.starts_with("https://") => {
            Ok(url.to_string())
        }
        Some(("kimina", url)) => Err(format!("`{url}` is not an http(s) URL")),
        _ => Err(format!("unknown backend `{s}` (known: kimina=URL)")),
    }
}

/// The run's progress on stderr (stdout is for the summary or the JSON).
fn show_event(event: CiEvent<'_>, progress: &OnceLock<Progress>) {
    match event {
        CiEvent::Workers(Workers::Asked(n)) => {
            eprintln!("theorist ci: {} worker(s) (--jobs)", (*n).max(1))
        }
        CiEvent::Workers(Workers::Configured(n)) => {
            eprintln!("theorist ci: {n} worker(s) ([lean] workers)")
        }
        CiEvent::Workers(Workers::Machine(plan)) => eprintln!("theorist ci: {plan}"),
        CiEvent::NoCacheFolder => eprintln!(
            "theorist: warning: no cache folder (set HOME, XDG_CACHE_HOME or THEORIST_CACHE_DIR, or pass --cache-dir): every file is checked"
        ),
        CiEvent::Sandboxed => eprintln!(
            "theorist: Lean runs in a bubblewrap sandbox (no network; it sees the project read-only except .lake/, and the toolchain)"
        ),
        CiEvent::Started { checks } => {
            let _ = progress.set(Progress::new(checks));
        }
        CiEvent::Done(r) => {
            if let Some(p) = progress.get() {
                p.done(r);
            }
        }
        CiEvent::Finished => {
            if let Some(p) = progress.get() {
                p.finish();
            }
        }
    }
}

/// GitHub annotations when run in GitHub Actions, then the JSON report or the summary and
/// where the reports went.
fn print_outcome(outcome: &CiOutcome, json: bool) -> anyhow::Result<()> {
    let report = &outcome.report;
    if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
        print!("{}", theorist_report::github_annotations(report));
    }
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    print!("{}", theorist_report::human_summary(report));
    if let Some(dir) = &outcome.report_dir {
        println!("reports: {}", dir.display());
        if outcome.plots > 0 {
            println!(
                "plots of the [[numerics]] claims: {} numerics-*.svg beside them",
                outcome.plots
            );
        }
    }
    Ok(())
}

/// A progress bar on a terminal; plain lines in CI (CI set, or stderr not a terminal).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = interactive.then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            total,
            done: AtomicUsize::new(0),
        }
    }

    fn done(&self, r: &FileResult) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let outcome = match r.outcome {
            FileOutcome::Passed => "passed",
            FileOutcome::Failed => "failed",
            FileOutcome::NotChecked => "not checked",
            FileOutcome::TimedOut => "timed out",
            FileOutcome::Crashed => "crashed",
        };
        let cached = if r.cached { ", cached" } else { "" };
        match &self.bar {
            Some(bar) => {
                bar.set_message(format!("{} {outcome}", r.file));
                bar.inc(1);
            }
            None => eprintln!(
                "[{n}/{}] {} {outcome} ({:.1} s{cached})",
                self.total,
                r.file,
                r.duration_ms as f64 / 1000.0
            ),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
