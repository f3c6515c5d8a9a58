//! Glue shared by the subcommands that need Lean: how the command line asks Lean to run (the
//! `lake`, the sandbox from the global flags, warnings printed at once), the toolchain lookup
//! for handlers that still resolve it themselves (`ci`), and printing the "no toolchain"
//! report (exit 3).

use std::time::Duration;

use theorist_lean::{Project, SandboxMode, SandboxPolicy, Toolchain};

use crate::engine::lean::{LeanSetup, Warnings, resolve_toolchain};
use crate::engine::{EngineError, NoToolchain};

use super::{Exit, GlobalArgs};

/// The sandbox the command line asks for. `required` (a project's `sandbox = true`) can only
/// make it stricter: a checked-out config never turns the sandbox off.
pub fn sandbox_policy(global: &GlobalArgs, required: bool) -> SandboxPolicy {
    SandboxPolicy {
        mode: if global.no_sandbox {
            SandboxMode::Off
        } else if global.sandbox || required {
            SandboxMode::Required
        } else {
            SandboxMode::Auto
        },
        pass_env: global.sandbox_env.clone(),
        read_only: global.sandbox_ro.clone(),
    }
}

/// How a subcommand runs Lean: the `lake` and the sandbox the global flags ask for.
pub fn lean_setup(global: &GlobalArgs) -> LeanSetup {
    confined_setup(global, sandbox_policy(global, false))
}

/// [`lean_setup`] with an explicit sandbox policy. Warnings (Lean unconfined although the
/// sandbox was wanted, a Lean version other than the project's) go to stderr as they arise,
/// so `--json` output stays clean and the user sees them before a long check.
fn confined_setup(global: &GlobalArgs, sandbox: SandboxPolicy) -> LeanSetup {
    LeanSetup {
        lake: global.lake.clone(),
        sandbox,
        warnings: Warnings::to(|w| eprintln!("theorist: warning: {w}")),
    }
}

/// Finds the toolchain, confined as `sandbox` says, waiting at most `timeout` for the probe;
/// `Err(Exit::NoToolchain)` after printing what was searched.
pub async fn toolchain_confined(
    project: Project,
    global: &GlobalArgs,
    timeout: Duration,
    sandbox: &SandboxPolicy,
) -> anyhow::Result<Result<Toolchain, Exit>> {
    let setup = confined_setup(global, sandbox.clone());
    match resolve_toolchain(project, &setup, timeout).await {
        Ok(t) => Ok(Ok(t)),
        Err(EngineError::NoToolchain(none)) => {
            report_no_toolchain(&none, global.json);
            Ok(Err(Exit::NoToolchain))
        }
        Err(e) => Err(e.into()),
    }
}

/// Says plainly that nothing was checked: the JSON document on stdout with `--json`, else
/// the message on stderr.
pub fn report_no_toolchain(none: &NoToolchain, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&none.to_json()).unwrap_or_default()
        );
    } else {
        eprintln!("theorist: {}", none.message());
    }
}
