//! Verify a Lean file or one declaration: batch-check it per declaration (errors, `sorry`,
//! axioms), then ask the language server for the goal at every `sorry`.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::batch::BatchConfig;
use theorist_lean::check::{CheckOptions, FileCheck, check_file};
use theorist_lean::{AxiomPolicy, LeanServer, ServerConfig, Toolchain};

use super::EngineError;
use super::lean::{LeanSetup, project_of, read_lean_file, resolve_toolchain};

/// What to verify and under which limits.
#[derive(Debug, Clone)]
pub struct VerifyRequest {
    pub file: PathBuf,
    /// One declaration (full name or a unique suffix); `None`: the whole file.
    pub decl: Option<String>,
    /// Axioms accepted beyond propext, Classical.choice and Quot.sound.
    pub allow_axioms: Vec<String>,
    /// Wall-clock limit for every wait on Lean: the toolchain probe, the batch check of the
    /// file, the language server's start, its requests and its elaboration for the goals.
    pub timeout: Duration,
    /// Lean's memory cap (-M), in MB.
    pub memory_mb: Option<u64>,
    /// Ask the language server for the goal at every `sorry`.
    pub goals: bool,
    /// Which Lean, and how it is confined.
    pub lean: LeanSetup,
}

/// Lean's verdicts on the file, per declaration.
#[derive(Debug, Clone)]
pub struct VerifyReport {
    pub check: FileCheck,
    pub project_root: PathBuf,
    /// Why the goals at `sorry` are missing, when the language server failed (the batch
    /// verdicts stand).
    pub goals_error: Option<String>,
}

impl VerifyReport {
    /// Passed only when Lean confirmed every declaration and nothing failed (fail closed).
    pub fn passed(&self) -> bool {
        self.check.passed()
    }

    /// The `theorist.verify/1` document.
    pub fn to_json(&self) -> Value {
        let check = &self.check;
        json!({
            "schema": "theorist.verify/1",
            "file": check.file,
            "project_root": self.project_root,
            "lean_version": check.lean_version,
            "passed": check.passed(),
            "verdict": check.verdict(),
            "not_checked_reasons": check.not_checked_reasons(),
            "unknown_commands": check.unknown_commands,
            "timed_out": check.timed_out,
            "lean_exit_code": check.exit_code,
            "elapsed_ms": check.elapsed_ms,
            "declarations": check.decls,
            "file_messages": check.file_messages,
            "other_output": check.other_output,
        })
    }
}

pub async fn verify(request: &VerifyRequest) -> Result<VerifyReport, EngineError> {
    let file = &request.file;
    let text = read_lean_file(file)?;
    let project = project_of(file)?;
    if let Some(name) = &request.decl {
        let source = theorist_leansrc::parse(&text);
        if let Err(e) = source.find(name) {
            let known: Vec<&str> = source
                .decls
                .iter()
                .map(|d| d.name.as_str())
                .take(12)
                .collect();
            return Err(EngineError::bad_input(format!(
                "{}: {e} (declarations in the file: {})",
                file.display(),
                known.join(", ")
            )));
        }
    }
    let mut policy = AxiomPolicy::default();
    for a in &request.allow_axioms {
        policy.allow(a.clone());
    }
    let options = CheckOptions {
        only: request.decl.clone().map(|d| vec![d]),
        batch: BatchConfig {
            timeout: request.timeout,
            memory_mb: request.memory_mb,
            threads: None,
        },
        policy,
    };
    let toolchain = resolve_toolchain(project, &request.lean, request.timeout).await?;
    let mut check = check_file(&toolchain, file, &options)
        .await
        .map_err(EngineError::lean(format!("checking {}", file.display())))?;
    let mut goals_error = None;
    if request.goals && check.decls.iter().any(|d| !d.sorries.is_empty()) {
        let config = ServerConfig {
            memory_mb: request.memory_mb,
            file_timeout: request.timeout,
            request_timeout: request.timeout,
            ..ServerConfig::default()
        };
        if let Err(e) = attach_sorry_goals(&toolchain, &text, &mut check, config).await {
            tracing::warn!(error = %e, "no goals at sorry");
            goals_error = Some(format!(
                "could not get the goals at `sorry` from the language server: {e}"
            ));
        }
    }
    Ok(VerifyReport {
        check,
        project_root: toolchain.project.root.clone(),
        goals_error,
    })
}

async fn attach_sorry_goals(
    toolchain: &Toolchain,
    text: &str,
    check: &mut FileCheck,
    config: ServerConfig,
) -> Result<(), theorist_lean::LeanError> {
    let server = LeanServer::start(toolchain, config).await?;
    let mut doc = server.open(&check.file, text.to_string()).await?;
    server.wait_for_diagnostics(&mut doc).await?;
    for decl in &mut check.decls {
        for sorry in &mut decl.sorries {
            sorry.goal = match server.plain_goal(&doc, sorry.pos).await? {
                Some(g) if !g.goals.is_empty() => Some(g.goals.join("\n\n")),
                _ => server
                    .plain_term_goal(&doc, sorry.pos)
                    .await?
                    .map(|t| t.goal),
            };
        }
    }
    server.close(&doc).await?;
    server.shutdown().await;
    Ok(())
}
