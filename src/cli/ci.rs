//! `theorist ci`: check every module of a Lake project (or the files named) in parallel
//! workers, inside the sandbox, reuse cached verdicts (kept outside the checkout), write the
//! reports and the `[[numerics]]` claims' plots (never through a link), and exit 0/1 (2 for bad input, 3 when no Lean toolchain
//! exists: then nothing is checked and no cache is written).

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use theorist_ci::cache::{cache_file, default_cache_dir, project_fingerprint};
use theorist_ci::confined::ConfinedDir;
use theorist_ci::discover::{module_of_file, read_libraries};
use theorist_ci::kimina::{KiminaChecker, KiminaConfig};
use theorist_ci::{
    Checker, CiConfig, LeanChecker, Module, RunOptions, discover_modules, run_checks,
};
use theorist_lean::batch::BatchConfig;
use theorist_lean::check::CheckOptions;
use theorist_lean::{AxiomPolicy, Project};
use theorist_report::{FileOutcome, FileResult, Report, RunMeta};

use super::leanenv::{confined_setup, sandbox_policy};
use super::{Exit, GlobalArgs};
use crate::engine::lean::resolve_toolchain;

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
    pub backend: Option<Backend>,
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let start_dir = match &args.project {
        Some(p) => p.clone(),
        None => std::env::current_dir().context("reading the current folder")?,
    };
    let project = Project::containing(&start_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let root = project.root.clone();
    let config = load_config(&args, &root)?;
    let formats = if args.formats.is_empty() {
        config.reports.formats.clone()
    } else {
        args.formats.clone()
    };
    if let Some(bad) = formats
        .iter()
        .find(|f| !theorist_report::FORMATS.contains(&f.as_str()))
    {
        bail!(
            "unknown report format `{bad}` (known: {})",
            theorist_report::FORMATS.join(", ")
        );
    }
    let modules = discover_modules(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let graph: BTreeMap<PathBuf, Module> = modules
        .iter()
        .map(|m| (m.file.clone(), m.clone()))
        .collect();
    let targets = select_targets(&args, &config, &root, &modules, &graph)?;
    if targets.is_empty() {
        bail!(
            "nothing to check in {} (no modules found, or all excluded)",
            root.display()
        );
    }
    let timeout = Duration::from_secs(args.timeout.unwrap_or(config.lean.timeout_secs));
    let memory = args.memory.or(config.lean.memory_mb);
    let workers = match (args.jobs, config.lean.workers) {
        (Some(j), _) => {
            eprintln!("theorist ci: {} worker(s) (--jobs)", j.max(1));
            j.max(1)
        }
        (None, Some(w)) => {
            eprintln!("theorist ci: {w} worker(s) ([lean] workers)");
            w.max(1)
        }
        (None, None) => {
            let plan = theorist_ci::workers::WorkerPlan::for_this_machine(memory);
            eprintln!("theorist ci: {plan}");
            plan.workers
        }
    };
    let mut policy = AxiomPolicy::default();
    for a in &config.lean.allow_axioms {
        policy.allow(a.clone());
    }

    let sandbox = sandbox_policy(global, config.lean.sandbox);
    let check_options = CheckOptions {
        only: None,
        batch: BatchConfig {
            timeout,
            memory_mb: memory,
            threads: None,
        },
        policy,
    };
    let cache_path = args
        .cache_dir
        .clone()
        .or_else(default_cache_dir)
        .map(|dir| cache_file(&dir, &root));
    if cache_path.is_none() {
        eprintln!(
            "theorist: warning: no cache folder (set HOME, XDG_CACHE_HOME or THEORIST_CACHE_DIR, or pass --cache-dir): every file is checked"
        );
    }
    let allow_sorry: BTreeSet<String> = config.lean.allow_sorry.iter().cloned().collect();
    let run = Run {
        targets: &targets,
        graph: &graph,
        root: &root,
        formats: &formats,
        report_dir: args
            .report_dir
            .clone()
            .unwrap_or(config.reports.dir.clone()),
        options: RunOptions {
            workers,
            use_cache: !args.no_cache,
            cache_path,
            lean_version: String::new(),
            config_fingerprint: format!("{}+{}", config.fingerprint(), project_fingerprint(&root)),
        },
        json: global.json,
        claims: &config.numerics,
    };
    super::runtime()?.block_on(async {
        match &args.backend {
            Some(Backend::Kimina(url)) => {
                let kimina = KiminaConfig {
                    url: url.clone(),
                    api_key: std::env::var("THEORIST_KIMINA_API_KEY")
                        .ok()
                        .filter(|k| !k.is_empty()),
                    timeout,
                    attempts: 3,
                    backoff: Duration::from_millis(500),
                    concurrency: workers,
                };
                let checker = KiminaChecker::new(
                    kimina,
                    check_options,
                    allow_sorry,
                    config.lean.honor_sorryful,
                )
                .map_err(|e| anyhow::anyhow!(e))?;
                let version = checker.lean_version.clone();
                run.execute(Arc::new(checker), version).await
            }
            None => {
                // No toolchain is an error that `cli::report_error` turns into exit 3.
                let setup = confined_setup(global, sandbox.clone());
                let toolchain = resolve_toolchain(project.clone(), &setup, timeout).await?;
                if let theorist_lean::Confinement::Sandboxed(_) = toolchain.confinement {
                    eprintln!(
                        "theorist: Lean runs in a bubblewrap sandbox (no network; it sees the project read-only except .lake/, and the toolchain)"
                    );
                }
                let version = toolchain.lean_version.clone();
                let checker = LeanChecker {
                    toolchain,
                    options: check_options,
                    allow_sorry,
                    honor_sorryful: config.lean.honor_sorryful,
                };
                run.execute(Arc::new(checker), version).await
            }
        }
    })
}

/// Where checks go instead of local Lean processes.
#[derive(Debug, Clone)]
pub enum Backend {
    /// A Kimina Lean Server at this URL.
    Kimina(String),
}

fn parse_backend(s: &str) -> Result<Backend, String> {
    match s.split_once('=') {
        Some(("kimina", url)) if url.starts_with("http://") || url.starts_with("https://") => {
            Ok(Backend::Kimina(url.to_string()))
        }
        Some(("kimina", url)) => Err(format!("`{url}` is not an http(s) URL")),
        _ => Err(format!("unknown backend `{s}` (known: kimina=URL)")),
    }
}

/// One `ci` run once the checker is chosen.
struct Run<'a> {
    targets: &'a [Module],
    graph: &'a BTreeMap<PathBuf, Module>,
    root: &'a Path,
    formats: &'a [String],
    /// Relative to the project root unless absolute.
    report_dir: PathBuf,
    options: RunOptions,
    json: bool,
    claims: &'a [theorist_ci::config::NumericsClaim],
}

impl Run<'_> {
    async fn execute<C: Checker>(
        self,
        checker: Arc<C>,
        lean_version: String,
    ) -> anyhow::Result<Exit> {
        let started = Instant::now();
        let started_unix_ms = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let options = RunOptions {
            lean_version: lean_version.clone(),
            ..self.options
        };
        let has_blueprint = theorist_blueprint::find_source_dir(self.root).is_some();
        let progress =
            Progress::new(self.targets.len() + self.claims.len() + usize::from(has_blueprint));
        let mut results = run_checks(self.targets, self.graph, checker, &options, &|r| {
            progress.done(r)
        })
        .await
        .context("writing the cache")?;
        // Each claim's plot is written beside the reports, when there are reports.
        let draw = !self.formats.is_empty();
        let mut plots = Vec::new();
        for claim in self.claims {
            let root = self.root.to_path_buf();
            let claim = claim.clone();
            // Branch and bound is CPU work: off the reactor.
            let (r, plot) = tokio::task::spawn_blocking(move || {
                theorist_ci::numerics::check_and_plot(&root, &claim, draw)
            })
            .await?;
            progress.done(&r);
            results.push(r);
            plots.extend(plot);
        }
        if let Some(r) = blueprint_result(self.root) {
            progress.done(&r);
            results.push(r);
        }
        progress.finish();
        let report = Report {
            meta: RunMeta {
                tool: "theorist".into(),
                tool_version: env!("CARGO_PKG_VERSION").into(),
                lean_version: Some(lean_version),
                project_root: self.root.to_string_lossy().into_owned(),
                started_unix_ms,
                duration_ms: started.elapsed().as_millis() as u64,
            },
            files: results,
        };
        let report_dir = if self.formats.is_empty() {
            None
        } else {
            Some(open_report_dir(self.root, &self.report_dir)?)
        };
        for format in self.formats {
            let text = theorist_report::render(&report, format).expect("formats were validated");
            let dir = report_dir.as_ref().expect("opened when there are formats");
            dir.write_atomic(theorist_report::file_name(format), text.as_bytes())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if let Some(dir) = &report_dir {
            for plot in &plots {
                dir.write_atomic(&plot.file_name, plot.svg.as_bytes())
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
        }
        if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
            print!("{}", theorist_report::github_annotations(&report));
        }
        if self.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", theorist_report::human_summary(&report));
            if let Some(dir) = &report_dir {
                println!("reports: {}", dir.path().display());
                if !plots.is_empty() {
                    println!(
                        "plots of the [[numerics]] claims: {} numerics-*.svg beside them",
                        plots.len()
                    );
                }
            }
        }
        Ok(if report.passed() {
            Exit::Passed
        } else {
            Exit::CheckFailed
        })
    }
}

/// The reports' folder: below the project root (a relative path, or an absolute one inside
/// the project), opened without following links, since the checkout may have planted one; a
/// folder outside the project can only come from the command line, and is used as given.
fn open_report_dir(root: &Path, dir: &Path) -> anyhow::Result<ConfinedDir> {
    let inside = if dir.is_absolute() {
        dir.strip_prefix(root).ok().map(Path::to_path_buf)
    } else {
        Some(dir.to_path_buf())
    };
    match inside {
        Some(rel) => ConfinedDir::open(root, &rel),
        None => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            ConfinedDir::open(dir, Path::new(""))
        }
    }
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// The project's blueprint (if it has one) checked against its Lean sources, as one entry of
/// the report.
fn blueprint_result(root: &Path) -> Option<FileResult> {
    use theorist_blueprint::Level;
    let started = Instant::now();
    let src = theorist_blueprint::find_source_dir(root)?;
    let rel = src
        .strip_prefix(root)
        .unwrap_or(&src)
        .to_string_lossy()
        .into_owned();
    let blueprint = theorist_blueprint::read(&src);
    let index = crate::engine::blueprint::lean_index(root);
    let findings: Vec<theorist_report::Finding> =
        theorist_blueprint::check(&blueprint, &index, None)
            .into_iter()
            .map(|f| theorist_report::Finding {
                file: if f.file.as_os_str().is_empty() {
                    rel.clone()
                } else {
                    f.file
                        .strip_prefix(root)
                        .unwrap_or(&f.file)
                        .to_string_lossy()
                        .into_owned()
                },
                line: f.line.max(1),
                column: 1,
                end_line: None,
                severity: match f.level {
                    Level::Error => theorist_report::Severity::Error,
                    Level::Warning => theorist_report::Severity::Warning,
                    Level::Hint => theorist_report::Severity::Note,
                },
                rule: "blueprint".into(),
                message: f.message,
                decl: None,
            })
            .collect();
    let failed = findings
        .iter()
        .any(|f| f.severity == theorist_report::Severity::Error);
    Some(FileResult {
        file: rel,
        outcome: if failed {
            FileOutcome::Failed
        } else {
            FileOutcome::Passed
        },
        duration_ms: started.elapsed().as_millis() as u64,
        cached: false,
        declarations: blueprint.nodes.len() as u32,
        findings,
    })
}

fn load_config(args: &Args, root: &Path) -> anyhow::Result<CiConfig> {
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => Some(root.join("theorist.toml")).filter(|p| p.is_file()),
    };
    match path {
        Some(p) => CiConfig::load(&p).map_err(|e| anyhow::anyhow!("{e}")),
        None => Ok(CiConfig::default()),
    }
}

fn select_targets(
    args: &Args,
    config: &CiConfig,
    root: &Path,
    modules: &[Module],
    graph: &BTreeMap<PathBuf, Module>,
) -> anyhow::Result<Vec<Module>> {
    let named: Vec<PathBuf> = if !args.files.is_empty() {
        args.files.clone()
    } else {
        config.files.include.iter().map(|p| root.join(p)).collect()
    };
    let libs = read_libraries(root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut targets = Vec::new();
    if named.is_empty() {
        targets.extend(modules.iter().cloned());
    } else {
        for f in named {
            let abs =
                std::path::absolute(&f).with_context(|| format!("resolving {}", f.display()))?;
            if !abs.is_file() {
                bail!("{}: no such file", f.display());
            }
            match graph.get(&abs) {
                Some(m) => targets.push(m.clone()),
                None => {
                    let name = abs
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    targets.push(
                        module_of_file(root, &libs, name, abs)
                            .map_err(|e| anyhow::anyhow!("{e}"))?,
                    );
                }
            }
        }
    }
    let excluded: Vec<PathBuf> = config.files.exclude.iter().map(|p| root.join(p)).collect();
    targets.retain(|m| !excluded.contains(&m.file));
    Ok(targets)
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
