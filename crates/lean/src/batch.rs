//! Batch mode: `lake env lean --json FILE` from the project root. Lean prints one compact JSON
//! `SerialMessage` per line; other lines (uncaught exceptions, "Stack overflow detected.
//! Aborting.") are kept as raw text. The exit code is non-zero when an error was reported.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::position::LeanPos;
use crate::process::{OutputLimits, run_command};
use crate::toolchain::Toolchain;

/// Limits for one batch run.
#[derive(Debug, Clone)]
pub struct BatchConfig {
    /// Wall-clock limit; the process group is killed after it.
    pub timeout: Duration,
    /// Lean's `-M` memory cap in MB.
    pub memory_mb: Option<u64>,
    /// Lean's `-j` thread cap.
    pub threads: Option<u32>,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            timeout: Duration::from_secs(900),
            memory_mb: None,
            threads: None,
        }
    }
}

/// Lean's message severity in `--json` output (`information`, `warning`, `error`; the REPL
/// says `info` and `trace`). Anything else is `Unknown`, which fails a check like an error:
/// a message theorist cannot read is never taken for a harmless one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Information,
    Warning,
    Error,
    Unknown,
}

impl Severity {
    /// Reads a severity as Lean, the REPL or a remote server spells it, in any case.
    pub fn parse(text: &str) -> Severity {
        match text.trim().to_ascii_lowercase().as_str() {
            "information" | "info" | "trace" => Severity::Information,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => Severity::Unknown,
        }
    }

    /// Whether a message of this severity fails a check by itself.
    pub fn fails(self) -> bool {
        matches!(self, Severity::Error | Severity::Unknown)
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
        let text = String::deserialize(d)?;
        Ok(Severity::parse(&text))
    }
}

/// One `SerialMessage` (Lean's `Message.lean`); older toolchains omit `kind` and `isSilent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SerialMessage {
    pub file_name: String,
    pub pos: LeanPos,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_pos: Option<LeanPos>,
    pub severity: Severity,
    #[serde(default)]
    pub caption: String,
    pub data: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_silent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_full_range: Option<bool>,
}

impl SerialMessage {
    /// The "declaration uses sorry" warning: by `kind` where the toolchain sends it, else by
    /// either spelling of the text (`'sorry'` before Lean 4.28's REPL bump, `` `sorry` `` after).
    pub fn is_sorry_warning(&self) -> bool {
        self.kind.as_deref() == Some("hasSorry")
            || self.data == "declaration uses 'sorry'"
            || self.data == "declaration uses `sorry`"
    }

    /// The named-error name, e.g. `lean.unknownIdentifier` from
    /// `lean.unknownIdentifier._namedError`.
    pub fn error_name(&self) -> Option<&str> {
        self.kind.as_deref()?.strip_suffix("._namedError")
    }
}

/// What one batch run produced.
#[derive(Debug, Clone)]
pub struct BatchRun {
    pub messages: Vec<SerialMessage>,
    /// Lines of stdout that are not messages.
    pub other_lines: Vec<String>,
    /// The end of what Lean wrote to stderr.
    pub stderr: String,
    /// Lean wrote more to stdout than theorist keeps: its messages are incomplete.
    pub output_truncated: bool,
    /// `None` when killed (timeout or signal).
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
}

impl BatchRun {
    /// Lean ended on its own without a crash signal or a timeout.
    pub fn completed(&self) -> bool {
        !self.timed_out && self.exit_code.is_some()
    }
}

/// Splits `lean --json` stdout into messages and other lines. A JSON object that is not a
/// message theorist can read is kept as a message of `Unknown` severity (it fails the check),
/// never dropped as stray output.
pub fn parse_output(stdout: &str) -> (Vec<SerialMessage>, Vec<String>) {
    let mut messages = Vec::new();
    let mut other = Vec::new();
    for line in stdout.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        match serde_json::from_str::<SerialMessage>(trimmed) {
            Ok(m) => messages.push(m),
            Err(_) => match serde_json::from_str::<serde_json::Value>(trimmed) {
                Ok(value @ serde_json::Value::Object(_)) => messages.push(unreadable(&value)),
                _ => other.push(line.to_string()),
            },
        }
    }
    (messages, other)
}

/// A JSON object from Lean that is not a `SerialMessage` theorist understands.
fn unreadable(value: &serde_json::Value) -> SerialMessage {
    let pos = value
        .get("pos")
        .and_then(|p| serde_json::from_value::<LeanPos>(p.clone()).ok())
        .unwrap_or(LeanPos { line: 1, column: 0 });
    SerialMessage {
        file_name: value
            .get("fileName")
            .and_then(|f| f.as_str())
            .unwrap_or_default()
            .to_string(),
        pos,
        end_pos: None,
        severity: Severity::Unknown,
        caption: String::new(),
        data: format!("a message theorist cannot read: {value}"),
        kind: None,
        is_silent: None,
        keep_full_range: None,
    }
}

/// Runs `lake env lean --json FILE` (FILE relative to the project root when inside it).
pub async fn run_lean_json(
    toolchain: &Toolchain,
    file: &Path,
    config: &BatchConfig,
) -> Result<BatchRun> {
    let root = &toolchain.project.root;
    // Lean runs in the project root, so a path relative to our working folder must be made
    // absolute first, then relative to the root when it lies inside it.
    let abs = std::path::absolute(file).map_err(|source| crate::error::LeanError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let rel = abs.strip_prefix(root).unwrap_or(&abs);
    let mut args: Vec<String> = vec!["env".into(), "lean".into(), "--json".into()];
    if let Some(mb) = config.memory_mb {
        args.push(format!("--memory={mb}"));
    }
    if let Some(j) = config.threads {
        args.push(format!("--threads={j}"));
    }
    args.push(rel.to_string_lossy().into_owned());
    let started = Instant::now();
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    tracing::debug!(lake = %toolchain.lake.display(), args = ?arg_refs, "running Lean in batch mode");
    let out = run_command(
        toolchain.command(&arg_refs),
        &toolchain.lake,
        config.timeout,
        OutputLimits::default(),
    )
    .await?;
    let (messages, other_lines) = parse_output(&out.stdout);
    Ok(BatchRun {
        messages,
        other_lines,
        stderr: out.stderr,
        output_truncated: out.stdout_truncated,
        exit_code: out.status,
        timed_out: out.timed_out,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_new_and_old_message_lines_and_keeps_stray_lines() {
        let stdout = concat!(
            r#"{"caption":"","data":"declaration uses `sorry`","endPos":{"column":21,"line":3},"fileName":"Phys/Foo.lean","isSilent":false,"keepFullRange":false,"kind":"hasSorry","pos":{"column":8,"line":3},"severity":"warning"}"#,
            "\n",
            "uncaught exception: something\n",
            r#"{"severity":"warning","pos":{"line":5,"column":0},"fileName":"Phys/Foo.lean","data":"declaration uses 'sorry'","caption":""}"#,
            "\n",
            r#"{"caption":"","data":"Unknown identifier `tru`","fileName":"F.lean","kind":"lean.unknownIdentifier._namedError","pos":{"column":7,"line":1},"severity":"error"}"#,
            "\n"
        );
        let (messages, other) = parse_output(stdout);
        assert_eq!(messages.len(), 3);
        assert!(messages[0].is_sorry_warning());
        assert!(messages[1].is_sorry_warning(), "old spelling, no kind");
        assert_eq!(messages[2].error_name(), Some("lean.unknownIdentifier"));
        assert_eq!(messages[2].severity, Severity::Error);
        assert_eq!(other, ["uncaught exception: something"]);
    }

    #[test]
    fn unknown_severities_and_unreadable_objects_are_kept_as_failing_messages() {
        let stdout = concat!(
            r#"{"caption":"","data":"boom","fileName":"F.lean","pos":{"column":0,"line":2},"severity":"ERROR"}"#,
            "\n",
            r#"{"caption":"","data":"odd","fileName":"F.lean","pos":{"column":0,"line":3},"severity":"fatal"}"#,
            "\n",
            r#"{"data":"declaration uses `sorry`","position":[4,0],"severity":"warning"}"#,
            "\n"
        );
        let (messages, other) = parse_output(stdout);
        assert!(other.is_empty());
        assert_eq!(messages[0].severity, Severity::Error);
        assert_eq!(messages[1].severity, Severity::Unknown);
        assert_eq!(messages[2].severity, Severity::Unknown);
        assert!(messages[2].data.contains("declaration uses"));
        assert!(messages.iter().all(|m| m.severity.fails()));
        assert_eq!(Severity::parse("info"), Severity::Information);
        assert_eq!(Severity::parse("Warning"), Severity::Warning);
    }
}
