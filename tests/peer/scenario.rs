//! The scenario file (`THEORIST_PEER_SCENARIO`): what the scripted Lean says and how it
//! misbehaves. Every field is optional; the empty scenario is a well-behaved recent Lean.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// The Lean the peer plays: a release number (`"4.22.0"`) or a whole `lean --version`
    /// line. It decides message texts, fields and the language server's publication order
    /// (see [`LeanVersion`]); the default is the pinned 4.22.0.
    pub lean_version: Option<String>,
    /// Identifiers Lean does not know: an error at every occurrence.
    pub unknown_identifiers: Vec<String>,
    /// `#print axioms` answers by declaration name (else derived: `sorryAx` when the
    /// declaration uses sorry, the three standard axioms otherwise).
    pub axioms: HashMap<String, Vec<String>>,
    /// The goal at a declaration's start (else derived from its binders and type).
    pub goals: HashMap<String, String>,
    /// `lake env lean --version` never answers (a `lake` stuck loading its workspace).
    pub hang_version_probe: bool,
    /// The tactic transition table.
    pub tactics: Vec<TacticRule>,
    /// A tactic script that is not in the table (and does not end in `sorry`) is an error,
    /// as most tactics are on most goals; without it, an unlisted script passes silently.
    pub strict_tactics: bool,
    /// Declarations whose `sorry` Lean does not report (no warning; pair with `axioms` to hide
    /// `sorryAx` too), as error recovery sometimes makes it.
    pub quiet_sorry: Vec<String>,
    /// Messages Lean reports besides the derived ones (e.g. for a declaration form only a
    /// project's own macro knows), at 1-based lines.
    pub extra_messages: Vec<ExtraMessage>,
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

/// A message to report as Lean would, with the version's fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraMessage {
    pub line: u32,
    #[serde(default)]
    pub column: u32,
    /// `error`, `warning` or `information`; `sorry` for the version's "declaration uses sorry"
    /// warning.
    pub severity: String,
    #[serde(default)]
    pub data: String,
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
    /// Lines printed on stdout as they are, after the messages (a future Lean's JSON, say).
    pub extra_lines: Vec<String>,
    /// Start a grandchild that leaves the process group (`setsid`) and keeps stdout and
    /// stderr open for an hour, writing its pid to this file.
    pub daemon_pid_file: Option<PathBuf>,
    /// Ignore SIGTERM (only SIGKILL ends the peer).
    pub ignore_sigterm: bool,
    /// Write this many MB to stderr before anything else.
    pub stderr_flood_mb: u64,
    /// Write this many MB of one long line to stdout before the messages.
    pub stdout_flood_mb: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchBehaviour {
    #[default]
    Normal,
    Hang,
    /// "Stack overflow detected. Aborting." and a signal-like exit.
    Crash,
    /// Exit 0 without printing anything (a stand-in that never ran Lean).
    Silent,
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
    /// Publish an empty diagnostic set before the real one.
    pub empty_publish_first: bool,
    /// How often the final full set is published (Lean re-publishes it while elaborating).
    /// Only full sets can be repeated: with incremental diagnostics (Lean ≥ 4.32, when the
    /// client asks for them) the peer refuses to start, as it could not honour it.
    pub repeat_publish: Option<u32>,
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
            empty_publish_first: false,
            repeat_publish: None,
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
    /// Answer `initialize`, then exit (the client then writes to a closed pipe).
    ExitAfterInitialize,
    /// Send half of a diagnostics frame, then exit.
    HalfFrame,
    /// Announce a 200 MB frame, send a few bytes of it, then say nothing more.
    HugeLength,
}

/// A Lean release, for the behaviours that changed between releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeanVersion(pub u32, pub u32, pub u32);

impl LeanVersion {
    /// The pinned toolchain (lean-toolchain: v4.22.0).
    pub const PINNED: LeanVersion = LeanVersion(4, 22, 0);

    /// Reads `4.22.0`, `v4.33.0-rc2` or a `lean --version` line.
    pub fn parse(text: &str) -> Option<LeanVersion> {
        let v = match text.split("version ").nth(1) {
            Some(rest) => rest.split([',', ' ', ')']).next()?,
            None => text.trim(),
        };
        let v = v.trim_start_matches('v').split('-').next()?;
        let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
        Some(LeanVersion(parts.next()??, parts.next()??, parts.next()??))
    }

    /// `SerialMessage.kind` in `--json` output (leanprover/lean4#5945, Nov 2024).
    pub fn has_message_kind(self) -> bool {
        self >= LeanVersion(4, 15, 0)
    }

    /// `isSilent` on messages (2025-03-05).
    pub fn has_is_silent(self) -> bool {
        self >= LeanVersion(4, 19, 0)
    }

    /// Named errors: ``Unknown identifier `x` `` with LSP `code` `lean.unknownIdentifier`
    /// (the REPL's expected outputs switched at its v4.23.0-rc2 bump).
    pub fn has_named_errors(self) -> bool {
        self >= LeanVersion(4, 23, 0)
    }

    /// ``declaration uses `sorry` `` instead of `declaration uses 'sorry'` (the REPL's expected
    /// outputs switched at its v4.28.0-rc1 bump).
    pub fn backtick_sorry(self) -> bool {
        self >= LeanVersion(4, 28, 0)
    }

    /// `processing: []` may come before the final diagnostics (leanclient#29: "In Lean 4.22+");
    /// the peer always sends it first from this version on, the harder order for a client.
    pub fn progress_before_diagnostics(self) -> bool {
        self >= LeanVersion(4, 22, 0)
    }

    /// `incrementalDiagnosticSupport`: batches flagged `isIncremental` (Lean 4.32+).
    pub fn incremental_diagnostics(self) -> bool {
        self >= LeanVersion(4, 32, 0)
    }
}

impl Scenario {
    /// The version the peer plays.
    pub fn version(&self) -> LeanVersion {
        self.lean_version
            .as_deref()
            .and_then(LeanVersion::parse)
            .unwrap_or(LeanVersion::PINNED)
    }

    /// What `lake env lean --version` prints: always naming the peer, so its output is never
    /// mistaken for Lean's.
    pub fn version_line(&self) -> String {
        let LeanVersion(a, b, c) = self.version();
        format!(
            "Lean (version {a}.{b}.{c}, x86_64-unknown-linux-gnu, commit theorist-scripted-peer, Release)"
        )
    }
}

pub fn load() -> Result<Scenario, String> {
    match std::env::var_os("THEORIST_PEER_SCENARIO") {
        None => Ok(Scenario::default()),
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{}: {e}", PathBuf::from(&path).display()))?;
            let scenario: Scenario = serde_json::from_str(&text)
                .map_err(|e| format!("{}: {e}", PathBuf::from(&path).display()))?;
            if let Some(v) = &scenario.lean_version
                && LeanVersion::parse(v).is_none()
            {
                return Err(format!("lean_version `{v}` is not a Lean release number"));
            }
            Ok(scenario)
        }
    }
}
