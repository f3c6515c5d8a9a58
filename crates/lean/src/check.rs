//! Whole-file checks in batch mode, per declaration: Lean's errors, `sorry`, and the axioms
//! each declaration depends on. `#print axioms D` lines are appended to a temporary copy of
//! the file next to it (so imports resolve the same way); the user's file is never touched
//! and the copy is removed afterwards.

use std::path::{Path, PathBuf};

use serde::Serialize;
use theorist_leansrc::{Decl, DeclKind, SourceFile};

use crate::axioms::{AxiomPolicy, parse_axioms_message};
use crate::batch::{BatchConfig, BatchRun, SerialMessage, Severity, run_lean_json};
use crate::error::{LeanError, Result};
use crate::position::LeanPos;
use crate::toolchain::Toolchain;

/// What to check in a file.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Only these declarations (names as `SourceFile::find` takes them); `None`: all named
    /// declarations.
    pub only: Option<Vec<String>>,
    pub batch: BatchConfig,
    pub policy: AxiomPolicy,
}

/// The verdict on one declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclStatus {
    /// Elaborated without errors, no `sorry`, only allowed axioms.
    Ok,
    /// Lean reported errors inside it.
    Error,
    /// It uses `sorry`.
    Sorry,
    /// It depends on an axiom outside the policy.
    ForbiddenAxioms,
    /// Lean did not get to it (timeout or crash).
    NotChecked,
}

/// A `sorry` in the source, with the goal Lean reports there (filled in by the caller through
/// the language server, when asked).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SorryAt {
    pub pos: LeanPos,
    pub goal: Option<String>,
}

/// One declaration's result.
#[derive(Debug, Clone, Serialize)]
pub struct DeclCheck {
    pub name: String,
    pub kind: DeclKind,
    pub start_line: u32,
    pub end_line: u32,
    pub status: DeclStatus,
    pub errors: Vec<SerialMessage>,
    pub warnings: Vec<SerialMessage>,
    pub sorries: Vec<SorryAt>,
    /// `None` when `#print axioms` gave no answer for it.
    pub axioms: Option<Vec<String>>,
    pub forbidden_axioms: Vec<String>,
}

/// One file's result.
#[derive(Debug, Clone, Serialize)]
pub struct FileCheck {
    /// As given by the caller.
    pub file: PathBuf,
    pub lean_version: String,
    pub decls: Vec<DeclCheck>,
    /// Errors and warnings outside every declaration (imports, commands).
    pub file_messages: Vec<SerialMessage>,
    /// Output lines that were not messages (crash texts), stdout then stderr, the last 20.
    pub other_output: Vec<String>,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    /// Lean exited non-zero without reporting any error message (a crash).
    pub failed_silently: bool,
    pub elapsed_ms: u128,
}

impl FileCheck {
    /// Everything checked and fine.
    pub fn passed(&self) -> bool {
        // With FILE:Decl the exit code also reflects other declarations' errors, so the verdict
        // rests on the messages; a non-zero exit with no message at all is a failure.
        !self.timed_out
            && self.exit_code.is_some()
            && !self.failed_silently
            && self.decls.iter().all(|d| d.status == DeclStatus::Ok)
            && !self
                .file_messages
                .iter()
                .any(|m| m.severity == Severity::Error)
    }
}

/// Checks `file` (inside `toolchain`'s project) in batch mode.
pub async fn check_file(
    toolchain: &Toolchain,
    file: &Path,
    options: &CheckOptions,
) -> Result<FileCheck> {
    let text = std::fs::read_to_string(file).map_err(|source| LeanError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let plan = CheckPlan::new(&text, options)?;
    let probe = AxiomProbe::write(file, &plan.probe_text)?;
    let run = run_lean_json(toolchain, probe.path(), &options.batch).await;
    drop(probe);
    Ok(plan.assemble(file, &toolchain.lean_version, run?, options))
}

/// What to ask Lean for one file (the text with `#print axioms` appended) and how to read
/// its answer back into per-declaration verdicts. Batch mode uses it, and so can any other
/// backend that returns Lean's messages for the same text (a REPL pool, a remote server).
#[derive(Debug, Clone)]
pub struct CheckPlan {
    source: SourceFile,
    targets: Vec<Decl>,
    /// The file's text with one `#print axioms` line per target appended.
    pub probe_text: String,
    /// The line of the first appended `#print axioms`; messages from there on are its output.
    pub first_probe_line: u32,
}

impl CheckPlan {
    pub fn new(text: &str, options: &CheckOptions) -> Result<CheckPlan> {
        let source = theorist_leansrc::parse(text);
        let targets: Vec<Decl> = select(&source, options)?.into_iter().cloned().collect();
        let mut probe_text = String::with_capacity(text.len() + 64 * targets.len());
        probe_text.push_str(text);
        if !text.ends_with('\n') {
            probe_text.push('\n');
        }
        for d in targets.iter().filter(|d| !d.name.contains('@')) {
            probe_text.push_str(&format!("#print axioms {}\n", lean_ident(&d.name)));
        }
        let first_probe_line =
            text.matches('\n').count() as u32 + if text.ends_with('\n') { 1 } else { 2 };
        Ok(CheckPlan {
            source,
            targets,
            probe_text,
            first_probe_line,
        })
    }

    /// Per-declaration verdicts from Lean's messages for `probe_text`.
    pub fn assemble(
        &self,
        file: &Path,
        lean_version: &str,
        run: BatchRun,
        options: &CheckOptions,
    ) -> FileCheck {
        let source = &self.source;
        let targets = &self.targets;
        let first_probe_line = self.first_probe_line;
        let finished = run.completed();
        let failed_silently = run.exit_code.is_some_and(|c| c != 0)
            && !run.messages.iter().any(|m| m.severity == Severity::Error);
        let file_label = file.to_string_lossy().into_owned();

        let mut decls: Vec<DeclCheck> = targets
            .iter()
            .map(|d| DeclCheck {
                name: d.name.clone(),
                kind: d.kind,
                start_line: d.start_line,
                end_line: d.end_line,
                status: DeclStatus::Ok,
                errors: Vec::new(),
                warnings: Vec::new(),
                sorries: d
                    .sorries
                    .iter()
                    .map(|p| SorryAt {
                        pos: (*p).into(),
                        goal: None,
                    })
                    .collect(),
                axioms: None,
                forbidden_axioms: Vec::new(),
            })
            .collect();
        let mut file_messages = Vec::new();
        for mut message in run.messages {
            message.file_name = file_label.clone();
            if message.pos.line >= first_probe_line {
                // Output of the appended `#print axioms` commands.
                if let Some(found) = parse_axioms_message(&message.data) {
                    if let Some(d) = decls.iter_mut().find(|d| {
                        d.name == found.decl || d.name.ends_with(&format!(".{}", found.decl))
                    }) {
                        d.forbidden_axioms = options.policy.forbidden(&found.axioms);
                        d.axioms = Some(found.axioms);
                    }
                } else if message.severity == Severity::Error {
                    tracing::warn!(message = %message.data, "#print axioms failed");
                }
                continue;
            }
            let line = message.pos.line;
            if options.only.is_some()
                && !decls
                    .iter()
                    .any(|d| d.start_line <= line && line <= d.end_line)
            {
                // Inside a declaration nobody asked about: not part of this report.
                if source.decl_at_line(line).is_some() {
                    continue;
                }
            }
            let owner = decls
                .iter_mut()
                .find(|d| d.start_line <= line && line <= d.end_line);
            match (owner, message.severity) {
                (Some(d), Severity::Error) => d.errors.push(message),
                (Some(d), Severity::Warning) => d.warnings.push(message),
                (Some(_), Severity::Information) => {}
                (None, Severity::Information) => {}
                (None, _) => file_messages.push(message),
            }
        }
        for d in &mut decls {
            let uses_sorry = d.warnings.iter().any(SerialMessage::is_sorry_warning)
                || d.axioms
                    .as_ref()
                    .is_some_and(|a| a.iter().any(|x| x == "sorryAx"));
            d.status = if !d.errors.is_empty() {
                DeclStatus::Error
            } else if uses_sorry {
                DeclStatus::Sorry
            } else if !d.forbidden_axioms.is_empty() {
                DeclStatus::ForbiddenAxioms
            } else if !finished || (d.axioms.is_none() && d.kind != DeclKind::Example) {
                // Without an answer from `#print axioms` nothing is known about its axioms.
                DeclStatus::NotChecked
            } else {
                DeclStatus::Ok
            };
        }
        FileCheck {
            file: file.to_path_buf(),
            lean_version: lean_version.to_string(),
            decls,
            file_messages,
            // Crash texts ("Stack overflow detected. Aborting.", uncaught exceptions) arrive on
            // stdout or stderr; keep the tail of both.
            other_output: run
                .other_lines
                .into_iter()
                .chain(
                    run.stderr
                        .lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_string),
                )
                .rev()
                .take(20)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect(),
            exit_code: run.exit_code,
            timed_out: run.timed_out,
            failed_silently,
            elapsed_ms: run.elapsed.as_millis(),
        }
    }
}

/// The declarations to report on.
fn select<'a>(source: &'a SourceFile, options: &CheckOptions) -> Result<Vec<&'a Decl>> {
    match &options.only {
        Some(names) => names
            .iter()
            .map(|n| {
                source.find(n).map_err(|e| LeanError::Protocol {
                    detail: e.to_string(),
                })
            })
            .collect(),
        None => Ok(source
            .decls
            .iter()
            .filter(|d| d.kind != DeclKind::Example || !d.sorries.is_empty())
            .collect()),
    }
}

/// The temporary copy with `#print axioms` appended; removed on drop. Its name is fresh
/// (`.NAME.theorist-PID-RANDOM.lean`, created with `O_EXCL`), so a link the checkout planted
/// under a predictable name is never written through.
struct AxiomProbe {
    file: tempfile::NamedTempFile,
}

impl AxiomProbe {
    fn write(file: &Path, probe_text: &str) -> Result<AxiomProbe> {
        use std::io::Write;
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let io = |source| LeanError::Io {
            path: dir.join(format!(".{stem}.theorist-{}-….lean", std::process::id())),
            source,
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{stem}.theorist-{}-", std::process::id()))
            .suffix(".lean")
            .tempfile_in(dir)
            .map_err(io)?;
        tmp.write_all(probe_text.as_bytes()).map_err(io)?;
        tmp.flush().map_err(io)?;
        Ok(AxiomProbe { file: tmp })
    }

    fn path(&self) -> &Path {
        self.file.path()
    }
}

/// A name Lean's parser accepts: components that are not plain identifiers go in `«»`.
pub fn lean_ident(name: &str) -> String {
    name.split('.')
        .map(|part| {
            let plain = part
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && part.chars().all(theorist_leansrc::is_ident_char);
            if plain {
                part.to_string()
            } else {
                format!("«{part}»")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_is_a_sibling_copy_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Foo.lean");
        std::fs::write(&file, "theorem a : True := trivial").unwrap();
        let plan = CheckPlan::new("theorem a : True := trivial", &CheckOptions::default()).unwrap();
        assert_eq!(
            plan.probe_text,
            "theorem a : True := trivial\n#print axioms a\n"
        );
        assert_eq!(plan.first_probe_line, 2);
        let probe = AxiomProbe::write(&file, &plan.probe_text).unwrap();
        let path = probe.path().to_path_buf();
        assert_eq!(path.parent(), Some(dir.path()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".Foo.theorist-"), "{name}");
        // A second probe of the same file (another worker) gets its own name.
        let again = AxiomProbe::write(&file, &plan.probe_text).unwrap();
        assert_ne!(again.path(), path);
        drop(again);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), plan.probe_text);
        drop(probe);
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "theorem a : True := trivial"
        );
    }

    #[test]
    fn odd_names_are_quoted() {
        assert_eq!(lean_ident("Theorist.Higgs.v₁_pos"), "Theorist.Higgs.v₁_pos");
        assert_eq!(lean_ident("A.1bad"), "A.«1bad»");
    }
}
