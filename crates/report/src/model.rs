//! The data every report format renders.

use serde::{Deserialize, Serialize};

/// How serious a finding is (SARIF's `level`, JUnit failure vs. pass, GitHub's command).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// One thing to tell the user about, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Relative to the project root, `/`-separated.
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// 1-based (Lean's 0-based column + 1), as editors and GitHub count.
    pub column: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
    pub severity: Severity,
    /// A stable id such as `lean.error`, `lean.sorry`, `lean.axiom`, `lean.timeout`.
    pub rule: String,
    pub message: String,
    /// The declaration it belongs to, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decl: Option<String>,
}

/// How checking one file ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileOutcome {
    Passed,
    Failed,
    /// Nothing failed, but Lean did not confirm everything (a declaration's axioms, the end of
    /// the file): never a pass.
    NotChecked,
    TimedOut,
    Crashed,
}

impl FileOutcome {
    pub fn is_failure(self) -> bool {
        self != FileOutcome::Passed
    }
}

/// One file's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileResult {
    pub file: String,
    pub outcome: FileOutcome,
    pub duration_ms: u64,
    /// Taken from the incremental cache instead of running Lean.
    pub cached: bool,
    pub declarations: u32,
    pub findings: Vec<Finding>,
}

/// What ran, where, with which Lean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunMeta {
    pub tool: String,
    pub tool_version: String,
    /// `lean --version`; `None` when no Lean ran.
    pub lean_version: Option<String>,
    pub project_root: String,
    pub started_unix_ms: u64,
    pub duration_ms: u64,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub meta: RunMeta,
    pub files: Vec<FileResult>,
}

impl Report {
    /// Every file passed.
    pub fn passed(&self) -> bool {
        self.files.iter().all(|f| !f.outcome.is_failure())
    }

    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| f.findings.iter())
    }

    pub fn count(&self, outcome: FileOutcome) -> usize {
        self.files.iter().filter(|f| f.outcome == outcome).count()
    }

    /// Files, then passed, failed, not checked, timed out, crashed, and how many came from
    /// the cache.
    pub fn tally(&self) -> [usize; 7] {
        [
            self.files.len(),
            self.count(FileOutcome::Passed),
            self.count(FileOutcome::Failed),
            self.count(FileOutcome::NotChecked),
            self.count(FileOutcome::TimedOut),
            self.count(FileOutcome::Crashed),
            self.files.iter().filter(|f| f.cached).count(),
        ]
    }
}
