//! The command line: parse arguments, set up logging, dispatch to one glue file per
//! subcommand, and turn the outcome into a documented exit code. Only this folder (and
//! `report`) prints; the crates under `crates/` return values.

mod exit;
mod leanenv;

mod blueprint;
mod ci;
mod goals;
mod mcp;
mod model;
mod numerics;
mod prove;
mod suggest;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use exit::Exit;

/// Check physics lemmas in Lean 4: per-declaration verdicts, goals at `sorry`, axioms,
/// whole-project CI reports, and rigorous interval numerics.
#[derive(Debug, Parser)]
#[command(name = "theorist", version, about, long_about = None)]
#[command(after_help = exit::EXIT_CODES_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand understands.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Print machine-readable JSON on stdout instead of the human summary.
    #[arg(long, global = true)]
    pub json: bool,
    /// The `lake` executable to drive Lean with (else $THEORIST_LAKE, ~/.elan/bin/lake, PATH).
    #[arg(long, global = true, value_name = "PATH")]
    pub lake: Option<PathBuf>,
    /// Run Lean and Lake unconfined. By default every Lean process runs in a bubblewrap
    /// sandbox where bubblewrap works (no network, a scrubbed environment, only the project and
    /// the toolchain visible, the project read-only except `.lake/`).
    #[arg(long, global = true, conflicts_with = "sandbox")]
    pub no_sandbox: bool,
    /// Insist on the sandbox: fail (exit 2) where bubblewrap cannot run, instead of warning and
    /// running unconfined.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// An environment variable to pass into the sandbox (repeatable, or comma-separated in
    /// $THEORIST_SANDBOX_ENV); all others are dropped.
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        env = "THEORIST_SANDBOX_ENV",
        value_delimiter = ','
    )]
    pub sandbox_env: Vec<String>,
    /// A further folder visible read-only in the sandbox, e.g. a local dependency outside the
    /// project (repeatable, or colon-separated in $THEORIST_SANDBOX_RO).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "THEORIST_SANDBOX_RO",
        value_delimiter = ':'
    )]
    pub sandbox_ro: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a Lean file or one declaration: errors, `sorry` (with goals), forbidden axioms.
    Verify(verify::Args),
    /// Print the goal state at FILE:LINE:COL.
    Goals(goals::Args),
    /// Check a whole Lake project in parallel, with an incremental cache, and write reports.
    Ci(ci::Args),
    /// A leanblueprint blueprint: its graphs, roadmap, and check against the Lean sources and Lean.
    #[command(subcommand)]
    Blueprint(blueprint::Command),
    /// Rigorous interval numerics (MPFR, outward rounding) on Lean arithmetic.
    #[command(subcommand)]
    Numerics(numerics::Command),
    /// Ranked tactic suggestions for a goal (at FILE:LINE:COL, or given with --goal).
    Suggest(suggest::Args),
    /// Search for a proof of a declaration's `sorry`, re-check it in Lean, optionally write it.
    Prove(prove::Args),
    /// The tactic model: train it, evaluate it against the baselines.
    #[command(subcommand)]
    Model(model::Command),
    /// Serve theorist's checks to AI assistants: a Model Context Protocol server on stdio.
    Mcp(mcp::Args),
}

/// Entry point used by `src/main.rs`.
pub fn main() -> ExitCode {
    // SIGPIPE stays ignored (Rust's default): a Lean child that dies while theorist writes to
    // it is then an EPIPE error, handled like a crash, never a signal death. A closed stdout
    // (`theorist … | head`) makes the next print panic instead; that is turned into a quiet
    // exit here.
    quiet_exit_on_closed_output();
    init_tracing();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                Exit::Usage.into()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let outcome = match cli.command {
        Command::Verify(args) => verify::run(args, &cli.global),
        Command::Goals(args) => goals::run(args, &cli.global),
        Command::Ci(args) => ci::run(args, &cli.global),
        Command::Numerics(cmd) => numerics::run(cmd, &cli.global),
        Command::Blueprint(cmd) => blueprint::run(cmd, &cli.global),
        Command::Suggest(args) => suggest::run(args, &cli.global),
        Command::Prove(args) => prove::run(args, &cli.global),
        Command::Model(cmd) => model::run(cmd, &cli.global),
        Command::Mcp(args) => mcp::run(args, &cli.global),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(err) => report_error(&err, cli.global.json).into(),
    }
}

/// The one place where an error becomes an exit code: no toolchain is 3 (nothing was
/// checked, said plainly), everything else 2.
fn report_error(err: &anyhow::Error, json: bool) -> Exit {
    let engine = err.downcast_ref::<crate::engine::EngineError>();
    let exit = engine.map_or(Exit::Usage, Exit::of);
    match engine {
        Some(crate::engine::EngineError::NoToolchain(none)) => {
            leanenv::report_no_toolchain(none, json)
        }
        _ => eprintln!("theorist: error: {err:#}"),
    }
    exit
}

/// A multi-threaded tokio runtime for the subcommands that talk to Lean or to a remote model.
/// Lean's processes run in process groups of their own, which the terminal's Ctrl-C does not
/// reach, so SIGINT, SIGTERM and SIGHUP take them down here before theorist exits.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    let rt = bare_runtime()?;
    rt.spawn(async {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            return;
        };
        let code = tokio::select! {
            _ = int.recv() => 130,
            _ = term.recv() => 143,
            _ = hup.recv() => 129,
        };
        theorist_lean::process::kill_all_groups();
        std::process::exit(code);
    });
    Ok(rt)
}

/// [`runtime`] without its signal handler, for a front end that shuts down on signals itself
/// (`mcp`: it cancels the calls in flight, whose drops kill their Lean processes).
pub(crate) fn bare_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Exit code when stdout or stderr was closed before theorist finished writing (as a shell
/// reports a command ended by a broken pipe).
pub const CLOSED_OUTPUT_EXIT: i32 = 141;

/// `print!` panics when its stream was closed by the reader (`| head`); end quietly instead,
/// after taking Lean's processes down.
fn quiet_exit_on_closed_output() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if payload.starts_with("failed printing to std") && payload.contains("Broken pipe") {
            theorist_lean::process::kill_all_groups();
            std::process::exit(CLOSED_OUTPUT_EXIT);
        }
        default(info);
    }));
}

/// Logs go to stderr, filtered by `THEORIST_LOG` (e.g. `THEORIST_LOG=theorist_lean=debug`).
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("THEORIST_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
