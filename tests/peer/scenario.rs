//! The scenario file (`THEORIST_PEER_SCENARIO`): what the scripted Lean says and how it
//! misbehaves. Every field is optional; the empty scenario is a well-behaved recent Lean.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// What `lake env lean --version` prints.
    pub lean_version: Option<String>,
    /// Message texts of toolchains before Lean 4.23 (`'sorry'`, `unknown identifier 'x'`, no
    /// `kind`, no `code`, no `fullRange`).
    pub old_messages: bool,
    /// Identifiers Lean does not know: an error at every occurrence.
    pub unknown_identifiers: Vec<String>,
    /// `#print axioms` answers by declaration name (else derived: `sorryAx` when the
    /// declaration uses sorry, the three standard axioms otherwise).
    pub axioms: HashMap<String, Vec<String>>,
    /// The goal at a declaration's start (else derived from its binders and type).
    pub goals: HashMap<String, String>,
    /// The tactic transition table.
    pub tactics: Vec<TacticRule>,
    /// A tactic script that is not in the table (and does not end in `sorry`) is an error,
    /// as most tactics are on most goals; without it, an unlisted script passes silently.
    pub strict_tactics: bool,
    pub batch: BatchScenario,
    pub server: ServerScenario,
}

/// What a tactic script (the text after `by`, whitespace-normalised) leads to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TacticRule {
    pub script: String,
    /// Goals left after the script (empty: proved).
    #[serde(default)]
    pub goals: Vec<String>,
    /// An error Lean reports for the script (e.g. "linarith failed").
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub behaviour: RuleBehaviour,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleBehaviour {
    #[default]
    Ok,
    /// Elaboration never finishes.
    Hang,
    /// The file worker crashes (−32902).
    Crash,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BatchScenario {
    pub behaviour: BatchBehaviour,
    /// Print a line that is not JSON before the messages.
    pub stray_line: bool,
    pub delay_ms: u64,
    /// Hang only on files whose path contains one of these strings.
    pub hang_on: Vec<String>,
    /// Behave like a hostile file's `#eval`: try to write these files and to connect to this
    /// `host:port`, and report each attempt as a warning.
    pub hostile_writes: Vec<PathBuf>,
    pub hostile_connect: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchBehaviour {
    #[default]
    Normal,
    Hang,
    /// "Stack overflow detected. Aborting." and a signal-like exit.
    Crash,
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerScenario {
    pub startup_delay_ms: u64,
    /// Send `client/registerCapability` (string id) and `workspace/semanticTokens/refresh`
    /// (numeric id) after `initialized`; `waitForDiagnostics` fails if they go unanswered.
    pub server_requests: bool,
    /// Answer goal requests in reverse order of arrival.
    pub out_of_order: bool,
    /// Lean ≥ 4.22: the empty `fileProgress` before the final diagnostics.
    pub processing_empty_first: bool,
    /// Publish an empty diagnostic set before the real one.
    pub empty_publish_first: bool,
    /// How often the full set is re-published (Lean does it while elaborating).
    pub repeat_publish: u32,
    pub behaviour: ServerBehaviour,
    /// Misbehave only while this file does not exist (it is created on the first time), so a
    /// restarted server behaves.
    pub once_marker: Option<PathBuf>,
    /// Serve `$/lean/plainGoal` answers recorded in a transcript of request/result pairs.
    pub plain_goal_transcript: Option<PathBuf>,
    /// `lake serve` is not available (only `lake env lean --server` works).
    pub no_lake_serve: bool,
}

impl Default for ServerScenario {
    fn default() -> Self {
        ServerScenario {
            startup_delay_ms: 0,
            server_requests: false,
            out_of_order: false,
            processing_empty_first: false,
            empty_publish_first: false,
            repeat_publish: 1,
            behaviour: ServerBehaviour::Normal,
            once_marker: None,
            plain_goal_transcript: None,
            no_lake_serve: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerBehaviour {
    #[default]
    Normal,
    /// Never finish elaborating (and never answer `waitForDiagnostics`).
    Hang,
    /// The first version of each document crashes its worker.
    CrashWorker,
    /// The server process exits when asked to wait for diagnostics.
    Exit,
    /// A frame with a broken header.
    GarbageHeader,
    /// A frame whose body is not JSON, then normal service.
    GarbageJson,
    /// "Imports are out of date" until reopened with `dependencyBuildMode: "once"`.
    ImportsOutOfDate,
}

pub fn load() -> Result<Scenario, String> {
    match std::env::var_os("THEORIST_PEER_SCENARIO") {
        None => Ok(Scenario::default()),
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: {e}", PathBuf::from(&path).display()))?;
            serde_json::from_str(&text)
                .map_err(|e| format!("{}: {e}", PathBuf::from(&path).display()))
        }
    }
}
