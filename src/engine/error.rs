//! The engine's typed errors. Lean's verdicts (errors, `sorry`, refuted claims) are results,
//! never these: these say that a job could not be done, and why. Front ends map them to their
//! own terms in one place each (the CLI to exit codes 2 and 3, the MCP server to tool errors).

use std::path::PathBuf;

use serde_json::{Value, json};
use theorist_lean::{INSTALL_HINT, LeanError, Project};

/// Why a job could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// No usable Lean toolchain: nothing was checked by Lean ("not run" is never "passed").
    #[error("{}", .0.message())]
    NoToolchain(Box<NoToolchain>),
    /// Bad input: a file that is missing, a target that names nothing, a malformed or
    /// out-of-range argument. The message names the file, line or argument.
    #[error("{0}")]
    BadInput(String),
    /// The Lean driver failed (timeout, crash, malformed protocol) while doing `doing`.
    #[error("{doing}")]
    Lean {
        doing: String,
        #[source]
        source: LeanError,
    },
    /// The tactic model could not be loaded.
    #[error("{doing}")]
    Model {
        doing: String,
        #[source]
        source: theorist_tactics::ModelError,
    },
    /// Reading or writing a file failed.
    #[error("{doing}")]
    Io {
        doing: String,
        #[source]
        source: std::io::Error,
    },
    /// A file inside the project was not written: the checkout planted a link, or the write
    /// failed.
    #[error(transparent)]
    Confined(#[from] theorist_ci::confined::ConfinedError),
    /// A proof was not written into the user's file (it changed meanwhile, or the write
    /// failed).
    #[error(transparent)]
    Write(#[from] theorist_prove::write::WriteError),
}

impl EngineError {
    pub(crate) fn bad_input(message: impl Into<String>) -> EngineError {
        EngineError::BadInput(message.into())
    }

    pub(crate) fn lean(doing: impl Into<String>) -> impl FnOnce(LeanError) -> EngineError {
        let doing = doing.into();
        move |source| EngineError::Lean { doing, source }
    }

    pub(crate) fn io(doing: impl Into<String>) -> impl FnOnce(std::io::Error) -> EngineError {
        let doing = doing.into();
        move |source| EngineError::Io { doing, source }
    }

    /// The message with its causes, `outer: inner: …`, as the CLI prints it.
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            text.push_str(": ");
            text.push_str(&e.to_string());
            cause = e.source();
        }
        text
    }
}

/// What was searched for a `lake`, for the project that needed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoToolchain {
    pub searched: Vec<String>,
    pub project_root: PathBuf,
    /// What the project's `lean-toolchain` pins, if anything.
    pub lean_toolchain: Option<String>,
}

impl NoToolchain {
    /// From the driver's error, when it means "no toolchain"; `None` for any other error.
    pub fn from_lean(error: &LeanError, project: &Project) -> Option<NoToolchain> {
        let searched = match error {
            LeanError::ToolchainNotFound { searched } => searched.clone(),
            LeanError::ToolchainBroken { lake, detail } => {
                vec![format!("{} ({detail})", lake.display())]
            }
            _ => return None,
        };
        Some(NoToolchain {
            searched,
            project_root: project.root.clone(),
            lean_toolchain: project.toolchain.clone(),
        })
    }

    /// Says plainly that nothing was checked, what was looked for, and how to get Lean.
    pub fn message(&self) -> String {
        let mut lines = vec![
            "no Lean toolchain found, so nothing was checked.".to_string(),
            "looked for `lake` in:".to_string(),
        ];
        lines.extend(self.searched.iter().map(|s| format!("  - {s}")));
        if let Some(t) = &self.lean_toolchain {
            lines.push(format!(
                "the project {} pins {t} (lean-toolchain)",
                self.project_root.display()
            ));
        }
        lines.push(INSTALL_HINT.to_string());
        lines.join("\n")
    }

    /// The `--json` document for it (`status: no_toolchain`, `checked: false`).
    pub fn to_json(&self) -> Value {
        json!({
            "status": "no_toolchain",
            "checked": false,
            "message": "no Lean toolchain found: nothing was checked",
            "searched": self.searched,
            "project_root": self.project_root,
            "lean_toolchain": self.lean_toolchain,
            "install": INSTALL_HINT,
        })
    }
}
