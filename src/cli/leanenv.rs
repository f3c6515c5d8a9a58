//! Glue shared by the subcommands that need Lean: the toolchain lookup for handlers that
//! still resolve it themselves (`ci`), and printing the "no toolchain" report (exit 3).

use theorist_lean::{Project, Toolchain};

use crate::engine::{EngineError, NoToolchain, lean::resolve_toolchain};

use super::{Exit, GlobalArgs};

/// Finds the toolchain; `Err(Exit::NoToolchain)` after printing what was searched.
pub async fn toolchain(
    project: Project,
    global: &GlobalArgs,
) -> anyhow::Result<Result<Toolchain, Exit>> {
    match resolve_toolchain(project, global.lake.clone()).await {
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
