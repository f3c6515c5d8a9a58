//! The typed errors of the Lean driver. Lean's own verdicts (errors in the file, `sorry`,
//! axioms) are results, not errors: these are the ways the driver itself can fail.

use std::path::PathBuf;
use std::time::Duration;

/// Something that stopped the driver from getting an answer out of Lean.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LeanError {
    /// No usable `lake`; `searched` lists every place looked at, in order.
    #[error("no Lean toolchain found (looked for `lake` in: {})", searched.join("; "))]
    ToolchainNotFound { searched: Vec<String> },
    /// `lake` exists but `lake env lean --version` failed.
    #[error("the Lean toolchain at {lake} does not work: {detail}")]
    ToolchainBroken { lake: PathBuf, detail: String },
    /// The file is not inside a Lake project.
    #[error(
        "{path} is not inside a Lake project (no lakefile.lean or lakefile.toml in its folder or any parent)"
    )]
    NoProject { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start `{program}`: {source}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    /// Lean did not answer in time.
    #[error("Lean did not answer `{method}` within {after:?}")]
    Timeout { method: String, after: Duration },
    /// The file worker died (JSON-RPC −32901 WorkerExited / −32902 WorkerCrashed, or a fatal
    /// `fileProgress`), also after the one restart the driver tries.
    #[error("the Lean worker for {uri} crashed (code {code}): {message}")]
    WorkerCrashed {
        uri: String,
        code: i64,
        message: String,
    },
    /// The server process ended (EOF on its stdout).
    #[error("the Lean server exited{}", if stderr.is_empty() { String::new() } else { format!("; its last output: {stderr}") })]
    ServerExited { stderr: String },
    /// Bytes on the wire that are not the protocol (bad header, bad JSON).
    #[error("malformed message from Lean: {detail}")]
    Protocol { detail: String },
    /// Lean was to run in the sandbox, and cannot.
    #[error(transparent)]
    Sandbox(#[from] crate::sandbox::SandboxError),
    /// Lean answered a request with a JSON-RPC error.
    #[error("Lean answered `{method}` with error {code}: {message}")]
    Rpc {
        method: String,
        code: i64,
        message: String,
    },
}

impl LeanError {
    /// Whether the error means "no toolchain: nothing was checked" (CLI exit code 3).
    pub fn is_no_toolchain(&self) -> bool {
        matches!(
            self,
            LeanError::ToolchainNotFound { .. } | LeanError::ToolchainBroken { .. }
        )
    }
}

pub type Result<T, E = LeanError> = std::result::Result<T, E>;
