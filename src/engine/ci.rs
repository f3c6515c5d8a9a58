//! `ci`: check every module of a Lake project (or the files named) in parallel workers, inside
//! the sandbox, reusing cached verdicts (kept outside the checkout), then the `[[numerics]]`
//! claims and the blueprint, and write the reports and the claims' plots into the project
//! (never through a link). One call, [`run_ci`]; the front end follows it through
//! [`CiEvent`]s and prints the [`CiOutcome`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use theorist_ci::cache::{cache_file, default_cache_dir, project_fingerprint};
use theorist_ci::config::NumericsClaim;
use theorist_ci::confined::ConfinedDir;
use theorist_ci::discover::{module_of_file, read_libraries};
use theorist_ci::kimina::{KiminaChecker, KiminaConfig};
use theorist_ci::numerics::ClaimPlot;
use theorist_ci::workers::WorkerPlan;
use theorist_ci::{
    Checker, CiConfig, LeanChecker, Module, RunOptions, discover_modules, run_checks,
};
use theorist_lean::batch::BatchConfig;
use theorist_lean::check::CheckOptions;
use theorist_lean::{AxiomPolicy, Confinement, Project, SandboxMode, SandboxPolicy};
use theorist_report::{FileOutcome, FileResult, Report, RunMeta};

use super::EngineError;
use super::lean::{LeanSetup, resolve_toolchain};

/// What to check and how; `None` and empty fields fall back to `theorist.toml`, then to the
/// defaults.
#[derive(Debug, Clone)]
pub struct CiRequest {
    /// A folder in the Lake project (its root or below).
    pub project: PathBuf,
    /// Files to check (default: the config's `[files] include`, else every module of the
    /// lakefile's libraries).
    pub files: Vec<PathBuf>,
    /// The configuration file (default: theorist.toml in the project root, if present).
    pub config: Option<PathBuf>,
    /// Reuse cached verdicts (fresh results are stored either way).
    pub use_cache: bool,
    /// theorist's cache folder (default: [`default_cache_dir`]).
    pub cache_dir: Option<PathBuf>,
    /// Files checked at once (default: the config's, else what the machine allows).
    pub jobs: Option<usize>,
    /// Where the reports go, relative to the project root unless absolute.
    pub report_dir: Option<PathBuf>,
    /// Report formats to write (see `theorist_report::FORMATS`).
    pub formats: Vec<String>,
    /// Per-file wall-clock limit in seconds.
    pub timeout_secs: Option<u64>,
    /// Per-file memory cap in MB.
    pub memory_mb: Option<u64>,
    /// Check on a remote backend instead of local Lean.
    pub backend: Option<Backend>,
    /// Which Lean, and how it is confined (the project's config may require the sandbox).
    pub lean: LeanSetup,
}

/// Where checks go instead of local Lean processes.
#[derive(Debug, Clone)]
pub enum Backend {
    /// A Kimina Lean Server at this URL, with its API key if it wants one.
    Kimina {
        url: String,
        api_key: Option<String>,
    },
}

/// How many files are checked at once, and who said so.
#[derive(Debug, Clone)]
pub enum Workers {
    /// `--jobs`.
    Asked(usize),
    /// `[lean] workers` in the config.
    Configured(usize),
    /// As many as the cores and memory allow.
    Machine(WorkerPlan),
}

impl Workers {
    pub fn count(&self) -> usize {
        match self {
            Workers::Asked(n) | Workers::Configured(n) => (*n).max(1),
            Workers::Machine(plan) => plan.workers,
        }
    }
}

/// What a `ci` run tells its front end as it goes.
#[derive(Debug)]
pub enum CiEvent<'a> {
    /// How many files are checked at once.
    Workers(&'a Workers),
    /// No cache folder was found: every file is checked, and nothing is cached.
    NoCacheFolder,
    /// Lean runs in the bubblewrap sandbox.
    Sandboxed,
    /// The checks start: this many results will come (files, claims, the blueprint).
    Started { checks: usize },
    /// One result is in.
    Done(&'a FileResult),
    /// Every check is done; the reports are written next.
    Finished,
}

/// The run's report, and what was written where.
#[derive(Debug)]
pub struct CiOutcome {
    pub report: Report,
    /// The reports' folder (none when no format was asked for).
    pub report_dir: Option<PathBuf>,
    /// How many claim plots were written beside the reports.
    pub plots: usize,
}

impl CiOutcome {
    pub fn passed(&self) -> bool {
        self.report.passed()
    }
}

/// Checks the project as `request` asks and writes the reports. No Lean toolchain is
/// [`EngineError::NoToolchain`]: nothing was checked and no cache was written.
pub async fn run_ci(
    request: &CiRequest,
    on_event: &(dyn Fn(CiEvent<'_>) + Sync),
) -> Result<CiOutcome, EngineError> {
    let plan = Plan::of(request)?;
    on_event(CiEvent::Workers(&plan.workers));
    if plan.options.cache_path.is_none() {
        on_event(CiEvent::NoCacheFolder);
    }
    match &request.backend {
        Some(Backend::Kimina { url, api_key }) => {
            let kimina = KiminaConfig {
                url: url.clone(),
                api_key: api_key.clone(),
                timeout: plan.check_options.batch.timeout,
                attempts: 3,
                backoff: Duration::from_millis(500),
                concurrency: plan.workers.count(),
            };
            let checker = KiminaChecker::new(
                kimina,
                plan.check_options.clone(),
                plan.allow_sorry.clone(),
                plan.config.lean.honor_sorryful,
            )
            .map_err(EngineError::BadInput)?;
            let version = checker.lean_version.clone();
            plan.execute(Arc::new(checker), version, on_event).await
        }
        None => {
            let setup = LeanSetup {
                sandbox: project_sandbox(&request.lean.sandbox, plan.config.lean.sandbox),
                ..request.lean.clone()
            };
            let timeout = plan.check_options.batch.timeout;
            let toolchain = resolve_toolchain(plan.project.clone(), &setup, timeout).await?;
            if let Confinement::Sandboxed(_) = toolchain.confinement {
                on_event(CiEvent::Sandboxed);
            }
            let version = toolchain.lean_version.clone();
            let checker = LeanChecker {
                toolchain,
                options: plan.check_options.clone(),
                allow_sorry: plan.allow_sorry.clone(),
                honor_sorryful: plan.config.lean.honor_sorryful,
            };
            plan.execute(Arc::new(checker), version, on_event).await
        }
    }
}

/// The sandbox for a project whose config says `sandbox = true`: it can only make the sandbox
/// stricter, since a checked-out config must never turn it off.
fn project_sandbox(asked: &SandboxPolicy, required: bool) -> SandboxPolicy {
    let mut policy = asked.clone();
    if required && policy.mode == SandboxMode::Auto {
        policy.mode = SandboxMode::Required;
    }
    policy
}

/// One `ci` run before its checker is chosen: the project, its config, what to check and the
/// limits, with the request's overrides applied.
struct Plan {
    project: Project,
    root: PathBuf,
    config: CiConfig,
    formats: Vec<String>,
    targets: Vec<Module>,
    /// Every module of the project, by file (for import-aware cache keys).
    graph: BTreeMap<PathBuf, Module>,
    workers: Workers,
    check_options: CheckOptions,
    allow_sorry: BTreeSet<String>,
    /// Relative to the project root unless absolute.
    report_dir: PathBuf,
    options: RunOptions,
}

impl Plan {
    fn of(request: &CiRequest) -> Result<Plan, EngineError> {
        let project = Project::containing(&request.project)
            .map_err(|e| EngineError::BadInput(e.to_string()))?;
        let root = project.root.clone();
        let config = load_config(request.config.as_deref(), &root)?;
        let formats = report_formats(request, &config)?;
        let modules = discover_modules(&root).map_err(|e| EngineError::BadInput(e.to_string()))?;
        let graph: BTreeMap<PathBuf, Module> = modules
            .iter()
            .map(|m| (m.file.clone(), m.clone()))
            .collect();
        let targets = select_targets(request, &config, &root, &modules, &graph)?;
        if targets.is_empty() {
            return Err(EngineError::bad_input(format!(
                "nothing to check in {} (no modules found, or all excluded)",
                root.display()
            )));
        }
        let timeout = Duration::from_secs(request.timeout_secs.unwrap_or(config.lean.timeout_secs));
        let memory_mb = request.memory_mb.or(config.lean.memory_mb);
        let workers = match (request.jobs, config.lean.workers) {
            (Some(j), _) => Workers::Asked(j),
            (None, Some(w)) => Workers::Configured(w),
            (None, None) => Workers::Machine(WorkerPlan::for_this_machine(memory_mb)),
        };
        let mut policy = AxiomPolicy::default();
        for a in &config.lean.allow_axioms {
            policy.allow(a.clone());
        }
        let check_options = CheckOptions {
            only: None,
            batch: BatchConfig {
                timeout,
                memory_mb,
                threads: None,
            },
            policy,
        };
        let cache_path = request
            .cache_dir
            .clone()
            .or_else(default_cache_dir)
            .map(|dir| cache_file(&dir, &root));
        let options = RunOptions {
            workers: workers.count(),
            use_cache: request.use_cache,
            cache_path,
            lean_version: String::new(),
            config_fingerprint: format!("{}+{}", config.fingerprint(), project_fingerprint(&root)),
        };
        Ok(Plan {
            allow_sorry: config.lean.allow_sorry.iter().cloned().collect(),
            report_dir: request
                .report_dir
                .clone()
                .unwrap_or(config.reports.dir.clone()),
            project,
            root,
            config,
            formats,
            targets,
            graph,
            workers,
            check_options,
            options,
        })
    }

    /// Runs the checks with `checker`, then the claims and the blueprint, and writes the
    /// reports.
    async fn execute<C: Checker>(
        self,
        checker: Arc<C>,
        lean_version: String,
        on_event: &(dyn Fn(CiEvent<'_>) + Sync),
    ) -> Result<CiOutcome, EngineError> {
        let started = Instant::now();
        let started_unix_ms = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let options = RunOptions {
            lean_version: lean_version.clone(),
            ..self.options
        };
        let root = self.root.as_path();
        let claims = &self.config.numerics;
        let has_blueprint = theorist_blueprint::find_source_dir(root).is_some();
        on_event(CiEvent::Started {
            checks: self.targets.len() + claims.len() + usize::from(has_blueprint),
        });
        let mut results = run_checks(&self.targets, &self.graph, checker, &options, &|r| {
            on_event(CiEvent::Done(r))
        })
        .await
        .map_err(EngineError::io("writing the cache"))?;
        // Each claim's plot is written beside the reports, when there are reports.
        let draw = !self.formats.is_empty();
        let plots = check_claims(root, claims, draw, &mut results, on_event).await?;
        if let Some(r) = blueprint_result(root) {
            on_event(CiEvent::Done(&r));
            results.push(r);
        }
        on_event(CiEvent::Finished);
        let report = Report {
            meta: RunMeta {
                tool: "theorist".into(),
                tool_version: env!("CARGO_PKG_VERSION").into(),
                lean_version: Some(lean_version),
                project_root: root.to_string_lossy().into_owned(),
                started_unix_ms,
                duration_ms: started.elapsed().as_millis() as u64,
            },
            files: results,
        };
        let report_dir = if self.formats.is_empty() {
            None
        } else {
            let dir = open_report_dir(root, &self.report_dir)?;
            write_reports(&dir, &self.formats, &report, &plots)?;
            Some(dir.path().to_path_buf())
        };
        Ok(CiOutcome {
            report,
            report_dir,
            plots: plots.len(),
        })
    }
}

fn load_config(path: Option<&Path>, root: &Path) -> Result<CiConfig, EngineError> {
    let path = match path {
        Some(p) => Some(p.to_path_buf()),
        None => Some(root.join("theorist.toml")).filter(|p| p.is_file()),
    };
    match path {
        Some(p) => CiConfig::load(&p).map_err(|e| EngineError::BadInput(e.to_string())),
        None => Ok(CiConfig::default()),
    }
}

/// The formats asked for (else the config's), each one theorist can write.
fn report_formats(request: &CiRequest, config: &CiConfig) -> Result<Vec<String>, EngineError> {
    let formats = if request.formats.is_empty() {
        config.reports.formats.clone()
    } else {
        request.formats.clone()
    };
    match formats
        .iter()
        .find(|f| !theorist_report::FORMATS.contains(&f.as_str()))
    {
        Some(bad) => Err(EngineError::bad_input(format!(
            "unknown report format `{bad}` (known: {})",
            theorist_report::FORMATS.join(", ")
        ))),
        None => Ok(formats),
    }
}

/// The modules to check: the files named (in the request, else the config's include list; a
/// file outside the lakefile's libraries is checked as a module of its own), else every
/// module; less the config's excluded files.
fn select_targets(
    request: &CiRequest,
    config: &CiConfig,
    root: &Path,
    modules: &[Module],
    graph: &BTreeMap<PathBuf, Module>,
) -> Result<Vec<Module>, EngineError> {
    let named: Vec<PathBuf> = if !request.files.is_empty() {
        request.files.clone()
    } else {
        config.files.include.iter().map(|p| root.join(p)).collect()
    };
    let libs = read_libraries(root).map_err(|e| EngineError::BadInput(e.to_string()))?;
    let mut targets = Vec::new();
    if named.is_empty() {
        targets.extend(modules.iter().cloned());
    }
    for f in named {
        let abs = std::path::absolute(&f)
            .map_err(EngineError::io(format!("resolving {}", f.display())))?;
        if !abs.is_file() {
            return Err(EngineError::bad_input(format!(
                "{}: no such file",
                f.display()
            )));
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
                        .map_err(|e| EngineError::BadInput(e.to_string()))?,
                );
            }
        }
    }
    let excluded: Vec<PathBuf> = config.files.exclude.iter().map(|p| root.join(p)).collect();
    targets.retain(|m| !excluded.contains(&m.file));
    Ok(targets)
}

/// The `[[numerics]]` claims, each one result (and, with `draw`, its plot). Branch and bound
/// is CPU work, so each runs off the reactor.
async fn check_claims(
    root: &Path,
    claims: &[NumericsClaim],
    draw: bool,
    results: &mut Vec<FileResult>,
    on_event: &(dyn Fn(CiEvent<'_>) + Sync),
) -> Result<Vec<ClaimPlot>, EngineError> {
    let mut plots = Vec::new();
    for claim in claims {
        let root = root.to_path_buf();
        let claim = claim.clone();
        let doing = format!("checking the [[numerics]] claim `{}`", claim.claim);
        let (r, plot) = tokio::task::spawn_blocking(move || {
            theorist_ci::numerics::check_and_plot(&root, &claim, draw)
        })
        .await
        .map_err(|e| EngineError::io(doing)(std::io::Error::other(e)))?;
        on_event(CiEvent::Done(&r));
        results.push(r);
        plots.extend(plot);
    }
    Ok(plots)
}

/// The reports' folder: below the project root (a relative path, or an absolute one inside
/// the project), opened without following links, since the checkout may have planted one; a
/// folder outside the project can only come from the command line, and is used as given.
fn open_report_dir(root: &Path, dir: &Path) -> Result<ConfinedDir, EngineError> {
    let inside = if dir.is_absolute() {
        dir.strip_prefix(root).ok().map(Path::to_path_buf)
    } else {
        Some(dir.to_path_buf())
    };
    Ok(match inside {
        Some(rel) => ConfinedDir::open(root, &rel)?,
        None => {
            std::fs::create_dir_all(dir)
                .map_err(EngineError::io(format!("creating {}", dir.display())))?;
            ConfinedDir::open(dir, Path::new(""))?
        }
    })
}

/// Each report format, and the claims' plots, written atomically into `dir`.
fn write_reports(
    dir: &ConfinedDir,
    formats: &[String],
    report: &Report,
    plots: &[ClaimPlot],
) -> Result<(), EngineError> {
    for format in formats {
        let text = theorist_report::render(report, format).expect("formats were validated");
        dir.write_atomic(theorist_report::file_name(format), text.as_bytes())?;
    }
    for plot in plots {
        dir.write_atomic(&plot.file_name, plot.svg.as_bytes())?;
    }
    Ok(())
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
    let index = super::blueprint::lean_index(root);
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
