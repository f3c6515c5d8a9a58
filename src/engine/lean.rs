//! What every job that needs Lean starts with: the file and declaration or position asked
//! about, the file's text, its Lake project, and a working toolchain (or the typed
//! [`NoToolchain`] error that front ends report as "nothing was checked").

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use theorist_lean::{Confinement, LakeSearch, Project, SandboxPolicy, Toolchain};

use super::{EngineError, NoToolchain};

/// Which Lean a job runs and how: the `lake` (else the usual search), the sandbox every Lean
/// and Lake process runs in (on by default where bubblewrap works), and where warnings about
/// the toolchain go.
#[derive(Debug, Clone, Default)]
pub struct LeanSetup {
    /// An explicit `lake` (else `$THEORIST_LAKE`, elan's, or `PATH`'s).
    pub lake: Option<PathBuf>,
    pub sandbox: SandboxPolicy,
    pub warnings: Warnings,
}

/// Where a job's warnings go as they arise: the CLI prints them at once (before a long check
/// starts), the MCP server returns them with the call's result. None by default.
#[derive(Clone, Default)]
pub struct Warnings(Option<Arc<dyn Fn(String) + Send + Sync>>);

impl Warnings {
    pub fn to(sink: impl Fn(String) + Send + Sync + 'static) -> Warnings {
        Warnings(Some(Arc::new(sink)))
    }

    pub fn warn(&self, message: String) {
        if let Some(sink) = &self.0 {
            sink(message);
        }
    }
}

impl std::fmt::Debug for Warnings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Warnings(sink)"
        } else {
            "Warnings(none)"
        })
    }
}

/// `FILE` or `FILE:Decl.Name`.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A position in a file with Lean's convention: line 1-based, column 0-based codepoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionTarget {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
}

/// `FILE:LINE:COL`.
pub fn parse_position_target(s: &str) -> Result<PositionTarget, EngineError> {
    let mut parts = s.rsplitn(3, ':');
    let col = parts.next().unwrap_or_default();
    let line = parts.next();
    let file = parts.next();
    let (Some(line), Some(file)) = (line, file) else {
        return Err(EngineError::bad_input(format!(
            "`{s}` is not FILE:LINE:COL (line 1-based, column 0-based, as in Lean's messages)"
        )));
    };
    let line: u32 = line.parse().map_err(|e| {
        EngineError::bad_input(format!("`{line}` in `{s}` is not a line number: {e}"))
    })?;
    let column: u32 = col.parse().map_err(|e| {
        EngineError::bad_input(format!("`{col}` in `{s}` is not a column number: {e}"))
    })?;
    if line == 0 {
        return Err(EngineError::bad_input(format!(
            "line numbers start at 1 (`{s}`)"
        )));
    }
    Ok(PositionTarget {
        file: PathBuf::from(file),
        line,
        column,
    })
}

/// Reads a Lean file the user named, with a clear message when it cannot be read.
pub fn read_lean_file(path: &Path) -> Result<String, EngineError> {
    if !path.exists() {
        return Err(EngineError::bad_input(format!(
            "{}: no such file",
            path.display()
        )));
    }
    std::fs::read_to_string(path)
        .map_err(EngineError::io(format!("cannot read {}", path.display())))
}

/// Reads the file of a position target and checks that the line exists.
pub fn read_at_position(target: &PositionTarget) -> Result<String, EngineError> {
    let text = read_lean_file(&target.file)?;
    let lines = text.split('\n').count() as u32;
    if target.line > lines {
        return Err(EngineError::bad_input(format!(
            "{}: line {} is past the end of the file ({lines} lines)",
            target.file.display(),
            target.line
        )));
    }
    Ok(text)
}

/// The Lake project around `file`.
pub fn project_of(file: &Path) -> Result<Project, EngineError> {
    Project::containing(file).map_err(|e| EngineError::BadInput(e.to_string()))
}

/// A working toolchain for `project`, confined as `setup` asks, waiting at most `timeout` for
/// the probe `lake env lean --version` (a probe that hangs is a timeout error, not "no
/// toolchain"). No toolchain is [`EngineError::NoToolchain`]; a sandbox that was required and
/// cannot run is an error. Warns (through `setup.warnings`) when Lean runs unconfined although
/// the sandbox was wanted, and when the Lean found is not the version the project pins.
pub async fn resolve_toolchain(
    project: Project,
    setup: &LeanSetup,
    timeout: Duration,
) -> Result<Toolchain, EngineError> {
    let search = LakeSearch::from_env(setup.lake.clone());
    let toolchain = Toolchain::resolve(&search, project.clone(), timeout, &setup.sandbox)
        .await
        .map_err(|e| match NoToolchain::from_lean(&e, &project) {
            Some(none) => EngineError::NoToolchain(Box::new(none)),
            None => EngineError::Lean {
                doing: format!("starting Lean in {}", project.root.display()),
                source: e,
            },
        })?;
    for warning in toolchain_warnings(&toolchain) {
        setup.warnings.warn(warning);
    }
    Ok(toolchain)
}

/// What the user should know about a toolchain found: Lean runs without the sandbox that was
/// wanted, or is not the version the project pins.
pub fn toolchain_warnings(toolchain: &Toolchain) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(why) = unconfined(toolchain) {
        warnings.push(why);
    }
    if let Some((running, pinned)) = toolchain.version_mismatch() {
        warnings.push(format!(
            "{} runs Lean {running}, but {} pins {pinned} (lean-toolchain); results may differ from the project's own Lean",
            toolchain.lake.display(),
            toolchain.project.root.display()
        ));
    }
    warnings
}

/// The warning for a sandbox that was wanted and is not there.
pub fn unconfined(toolchain: &Toolchain) -> Option<String> {
    match &toolchain.confinement {
        Confinement::Unavailable(why) => Some(format!(
            "Lean runs WITHOUT a sandbox: {why}.\n  Code in the checked files and the lakefile (#eval, initialize, run_cmd) runs with your permissions, network and environment.\n  Install bubblewrap, pass --sandbox to refuse to run unconfined, or --no-sandbox to run unconfined without this warning."
        )),
        Confinement::Off | Confinement::Sandboxed(_) => None,
    }
}
