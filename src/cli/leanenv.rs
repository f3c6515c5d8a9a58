//! Glue shared by the subcommands that need Lean: how the command line asks Lean to run (the
//! `lake`, the sandbox from the global flags, warnings printed at once), and the "no
//! toolchain" report (exit 3): the JSON document on stdout with `--json`, else the message on
//! stderr. `cli::report_error` is that report's one caller.

use theorist_lean::{SandboxMode, SandboxPolicy};

use crate::engine::NoToolchain;
use crate::engine::lean::{LeanSetup, Warnings};

use super::GlobalArgs;

/// The sandbox the command line asks for (`ci` makes it stricter where the project's config
/// requires it).
fn sandbox_policy(global: &GlobalArgs) -> SandboxPolicy {
    SandboxPolicy {
        mode: if global.no_sandbox {
            SandboxMode::Off
        } else if global.sandbox {
            SandboxMode::Required
        } else {
            SandboxMode::Auto
        },
        pass_env: global.sandbox_env.clone(),
        read_only: global.sandbox_ro.clone(),
    }
}

/// How a subcommand runs Lean: the `lake` and the sandbox the global flags ask for. Warnings
/// (Lean unconfined although the sandbox was wanted, a Lean version other than the project's)
/// go to stderr as they arise, so `--json` output stays clean and the user sees them before a
/// long check.
pub fn lean_setup(global: &GlobalArgs) -> LeanSetup {
    LeanSetup {
        lake: global.lake.clone(),
        sandbox: sandbox_policy(global),
        warnings: Warnings::to(|w| eprintln!("theorist: warning: {w}")),
    }
}

/// Says plainly that nothing was checked.
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
