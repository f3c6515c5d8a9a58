//! Glue shared by the subcommands that need Lean: resolving `FILE[:Decl]` and `FILE:LINE:COL`
//! targets, finding the project and toolchain, and the plain "no toolchain" report (exit 3).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use theorist_lean::{
    Confinement, INSTALL_HINT, LakeSearch, LeanError, Project, SandboxMode, SandboxPolicy,
    Toolchain,
};

use super::{Exit, GlobalArgs};

/// `FILE` or `FILE:Decl.Name`.
#[derive(Debug, Clone)]
pub struct DeclTarget {
    pub file: PathBuf,
    pub decl: Option<String>,
}

/// Splits at the first `:` after the `.lean` extension, so paths with colons still work.
pub fn parse_decl_target(s: &str) -> DeclTarget {
    match s.find(".lean:") {
        Some(at) => DeclTarget {
            file: PathBuf::from(&s[..at + 5]),
            decl: Some(s[at + 6..].to_string()),
        },
        None => DeclTarget {
            file: PathBuf::from(s),
            decl: None,
        },
    }
}

/// `FILE:LINE:COL` with Lean's convention (line 1-based, column 0-based codepoints).
pub fn parse_position_target(s: &str) -> anyhow::Result<(PathBuf, u32, u32)> {
    let mut parts = s.rsplitn(3, ':');
    let col = parts.next().unwrap_or_default();
    let line = parts.next();
    let file = parts.next();
    let (Some(line), Some(file)) = (line, file) else {
        bail!("`{s}` is not FILE:LINE:COL (line 1-based, column 0-based, as in Lean's messages)");
    };
    let line: u32 = line
        .parse()
        .with_context(|| format!("`{line}` in `{s}` is not a line number"))?;
    let col: u32 = col
        .parse()
        .with_context(|| format!("`{col}` in `{s}` is not a column number"))?;
    if line == 0 {
        bail!("line numbers start at 1 (`{s}`)");
    }
    Ok((PathBuf::from(file), line, col))
}

/// Reads a Lean file the user named, with a clear message when it cannot be read.
pub fn read_lean_file(path: &Path) -> anyhow::Result<String> {
    if !path.exists() {
        bail!("{}: no such file", path.display());
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The Lake project around `file`.
pub fn project_of(file: &Path) -> anyhow::Result<Project> {
    Project::containing(file).map_err(|e| anyhow::anyhow!("{e}"))
}

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

/// Finds the toolchain (confined as the command line asks), waiting at most `timeout` for
/// `lake env lean --version` (a probe that hangs is a timeout error, not "no toolchain");
/// `Err(Exit::NoToolchain)` after printing what was searched. Warns when the Lean found is
/// not the version the project pins.
pub async fn toolchain(
    project: Project,
    global: &GlobalArgs,
    timeout: Duration,
) -> anyhow::Result<Result<Toolchain, Exit>> {
    toolchain_confined(project, global, timeout, &sandbox_policy(global, false)).await
}

/// [`toolchain`] with an explicit sandbox policy; warns when the sandbox was wanted and
/// bubblewrap cannot run here.
pub async fn toolchain_confined(
    project: Project,
    global: &GlobalArgs,
    timeout: Duration,
    sandbox: &SandboxPolicy,
) -> anyhow::Result<Result<Toolchain, Exit>> {
    let search = LakeSearch::from_env(global.lake.clone());
    match Toolchain::resolve(&search, project.clone(), timeout, sandbox).await {
        Ok(t) => {
            warn_if_unconfined(&t);
            if let Some((running, pinned)) = t.version_mismatch() {
                eprintln!(
                    "theorist: warning: {} runs Lean {running}, but {} pins {pinned} (lean-toolchain); results may differ from the project's own Lean",
                    t.lake.display(),
                    project.root.display()
                );
            }
            Ok(Ok(t))
        }
        Err(e) if e.is_no_toolchain() => {
            report_no_toolchain(&e, &project, global.json);
            Ok(Err(Exit::NoToolchain))
        }
        Err(e) => Err(e.into()),
    }
}

/// The warning for a sandbox that was wanted and is not there (stderr, so `--json` output
/// stays clean).
pub fn warn_if_unconfined(toolchain: &Toolchain) {
    if let Confinement::Unavailable(why) = &toolchain.confinement {
        eprintln!(
            "theorist: warning: Lean runs WITHOUT a sandbox: {why}.\n  Code in the checked files and the lakefile (#eval, initialize, run_cmd) runs with your permissions, network and environment.\n  Install bubblewrap, pass --sandbox to refuse to run unconfined, or --no-sandbox to run unconfined without this warning."
        );
    }
}

/// Says plainly that nothing was checked, what was looked for, and how to get Lean.
pub fn report_no_toolchain(error: &LeanError, project: &Project, json: bool) {
    let searched = match error {
        LeanError::ToolchainNotFound { searched } => searched.clone(),
        LeanError::ToolchainBroken { lake, detail } => {
            vec![format!("{} ({detail})", lake.display())]
        }
        other => vec![other.to_string()],
    };
    if json {
        let value = serde_json::json!({
            "status": "no_toolchain",
            "checked": false,
            "message": "no Lean toolchain found: nothing was checked",
            "searched": searched,
            "project_root": project.root,
            "lean_toolchain": project.toolchain,
            "install": INSTALL_HINT,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
        return;
    }
    eprintln!("theorist: no Lean toolchain found, so nothing was checked.");
    eprintln!("looked for `lake` in:");
    for s in &searched {
        eprintln!("  - {s}");
    }
    if let Some(t) = &project.toolchain {
        eprintln!(
            "the project {} pins {t} (lean-toolchain)",
            project.root.display()
        );
    }
    eprintln!("{INSTALL_HINT}");
}
