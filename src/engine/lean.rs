//! What every job that needs Lean starts with: the file and declaration or position asked
//! about, the file's text, its Lake project, and a working toolchain (or the typed
//! [`NoToolchain`] error that front ends report as "nothing was checked").

use std::path::{Path, PathBuf};

use theorist_lean::{LakeSearch, Project, Toolchain};

use super::{EngineError, NoToolchain};

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

/// A working toolchain for `project`: `lake` from `lake` (an explicit choice), else
/// `$THEORIST_LAKE`, elan's, or `PATH`'s. No toolchain is [`EngineError::NoToolchain`].
pub async fn resolve_toolchain(
    project: Project,
    lake: Option<PathBuf>,
) -> Result<Toolchain, EngineError> {
    let search = LakeSearch::from_env(lake);
    Toolchain::resolve(&search, project.clone())
        .await
        .map_err(|e| match NoToolchain::from_lean(&e, &project) {
            Some(none) => EngineError::NoToolchain(Box::new(none)),
            None => EngineError::Lean {
                doing: format!("starting Lean in {}", project.root.display()),
                source: e,
            },
        })
}
