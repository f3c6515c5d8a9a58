//! theorist-report: one model of a check run ([`Report`]: run metadata, per-file results,
//! findings with file/line/column) and its renderings for people and for tools. Pure
//! functions from a `Report` to text; printing and writing files is the caller's business.

mod github;
mod human;
mod junit;
mod markdown;
mod model;
mod sarif;
pub mod xml;

pub use github::github_annotations;
pub use human::human_summary;
pub use junit::junit_xml;
pub use markdown::markdown_summary;
pub use model::{FileOutcome, FileResult, Finding, Report, RunMeta, Severity};
pub use sarif::sarif;

/// Every format, by the name used on the command line and in `theorist.toml`.
pub const FORMATS: &[&str] = &["json", "junit", "sarif", "github", "markdown", "human"];

/// Renders `report` in the named format; `None` for an unknown name.
pub fn render(report: &Report, format: &str) -> Option<String> {
    Some(match format {
        "json" => serde_json::to_string_pretty(report).expect("reports serialise") + "\n",
        "junit" => junit_xml(report),
        "sarif" => serde_json::to_string_pretty(&sarif(report)).expect("SARIF serialises") + "\n",
        "github" => github_annotations(report),
        "markdown" => markdown_summary(report),
        "human" => human_summary(report),
        _ => return None,
    })
}

/// The conventional file name for a format.
pub fn file_name(format: &str) -> &'static str {
    match format {
        "json" => "theorist-report.json",
        "junit" => "theorist-junit.xml",
        "sarif" => "theorist.sarif",
        "github" => "theorist-annotations.txt",
        "markdown" => "theorist-summary.md",
        _ => "theorist-summary.txt",
    }
}

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// A small report with every kind of outcome, used by the format tests.
    pub fn report() -> Report {
        let finding = |file: &str, line, severity, rule: &str, message: &str| Finding {
            file: file.into(),
            line,
            column: 2,
            end_line: None,
            severity,
            rule: rule.into(),
            message: message.into(),
            decl: Some("Theorist.Higgs.bounded_below".into()),
        };
        Report {
            meta: RunMeta {
                tool: "theorist".into(),
                tool_version: "0.1.0".into(),
                lean_version: Some("Lean (version 4.22.0)".into()),
                project_root: "/p".into(),
                started_unix_ms: 1_700_000_000_000,
                duration_ms: 1234,
            },
            files: vec![
                FileResult {
                    file: "lean/A.lean".into(),
                    outcome: FileOutcome::Passed,
                    duration_ms: 10,
                    cached: true,
                    declarations: 3,
                    findings: vec![],
                },
                FileResult {
                    file: "lean/B & <C>.lean".into(),
                    outcome: FileOutcome::Failed,
                    duration_ms: 20,
                    cached: false,
                    declarations: 2,
                    findings: vec![
                        finding(
                            "lean/B & <C>.lean",
                            7,
                            Severity::Error,
                            "lean.error",
                            "unknown identifier 'x'\nsecond line",
                        ),
                        finding(
                            "lean/B & <C>.lean",
                            9,
                            Severity::Warning,
                            "lean.sorry",
                            "declaration uses `sorry`",
                        ),
                    ],
                },
                FileResult {
                    file: "lean/D.lean".into(),
                    outcome: FileOutcome::TimedOut,
                    duration_ms: 900,
                    cached: false,
                    declarations: 0,
                    findings: vec![],
                },
            ],
        }
    }
}
