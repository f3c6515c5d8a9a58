//! The goal state Lean reports at a position: tactic goals from `$/lean/plainGoal`, else the
//! expected type from `$/lean/plainTermGoal`.

use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::{LeanPos, LeanServer, PlainGoal, PlainTermGoal, ServerConfig};

use super::EngineError;
use super::lean::{LeanSetup, PositionTarget, project_of, read_at_position, resolve_toolchain};

/// Where to ask, and under which limits.
#[derive(Debug, Clone)]
pub struct GoalsRequest {
    pub at: PositionTarget,
    /// Lean's memory cap (-M), in MB.
    pub memory_mb: Option<u64>,
    /// Wall-clock limit for every wait on Lean: the toolchain probe, the server's start, its
    /// requests and its elaboration of the file.
    pub timeout: Duration,
    /// Which Lean, and how it is confined.
    pub lean: LeanSetup,
}

/// What Lean reports at the position.
#[derive(Debug, Clone)]
pub struct GoalsReport {
    pub at: PositionTarget,
    pub lean_version: String,
    /// Tactic goals (`Some` with no goals: the proof is complete there).
    pub goal: Option<PlainGoal>,
    /// The expected type, asked for only when there are no tactic goals.
    pub term: Option<PlainTermGoal>,
}

impl GoalsReport {
    /// Whether Lean reported anything at the position.
    pub fn found(&self) -> bool {
        self.goal.is_some() || self.term.is_some()
    }

    /// The `theorist.goals/1` document.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": "theorist.goals/1",
            "file": self.at.file,
            "position": {"line": self.at.line, "column": self.at.column},
            "lean_version": self.lean_version,
            "goals": self.goal.as_ref().map(|g| &g.goals),
            "rendered": self.goal.as_ref().map(|g| &g.rendered),
            "term_goal": self.term.as_ref().map(|t| &t.goal),
        })
    }
}

pub async fn goals(request: &GoalsRequest) -> Result<GoalsReport, EngineError> {
    let (lean_version, goal, term) = ask_at(request).await?;
    Ok(GoalsReport {
        at: request.at.clone(),
        lean_version,
        goal,
        term,
    })
}

/// Lean's version and its answers at the position (shared with `suggest`).
pub(crate) async fn ask_at(
    request: &GoalsRequest,
) -> Result<(String, Option<PlainGoal>, Option<PlainTermGoal>), EngineError> {
    let at = &request.at;
    let text = read_at_position(at)?;
    let project = project_of(&at.file)?;
    let toolchain = resolve_toolchain(project, &request.lean, request.timeout).await?;
    let config = ServerConfig {
        memory_mb: request.memory_mb,
        file_timeout: request.timeout,
        request_timeout: request.timeout,
        ..ServerConfig::default()
    };
    let (goal, term) = ask(&toolchain, at, text, config)
        .await
        .map_err(EngineError::lean(format!(
            "asking Lean for the goal at {}:{}:{}",
            at.file.display(),
            at.line,
            at.column
        )))?;
    Ok((toolchain.lean_version.clone(), goal, term))
}

/// One server session: open the file, wait for it to elaborate, ask for the goals at `at`
/// (and for the expected type when there are no tactic goals).
async fn ask(
    toolchain: &theorist_lean::Toolchain,
    at: &PositionTarget,
    text: String,
    config: ServerConfig,
) -> Result<(Option<PlainGoal>, Option<PlainTermGoal>), theorist_lean::LeanError> {
    let pos = LeanPos {
        line: at.line,
        column: at.column,
    };
    let server = LeanServer::start(toolchain, config).await?;
    let mut doc = server.open(&at.file, text).await?;
    server.wait_for_diagnostics(&mut doc).await?;
    let goal = server.plain_goal(&doc, pos).await?;
    let term = match &goal {
        Some(g) if !g.goals.is_empty() => None,
        _ => server.plain_term_goal(&doc, pos).await?,
    };
    server.close(&doc).await?;
    server.shutdown().await;
    Ok((goal, term))
}
