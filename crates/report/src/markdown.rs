//! A Markdown summary for a pull-request comment: counts, then the findings (at most 50).

use crate::model::{Report, Severity};

const MAX_FINDINGS: usize = 50;

pub fn markdown_summary(report: &Report) -> String {
    let verdict = if report.passed() {
        "✅ all checks passed"
    } else {
        "❌ checks failed"
    };
    let mut out = format!("### theorist: {verdict}\n\n");
    out.push_str("| files | passed | failed | not checked | timed out | crashed | from cache |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    let [
        files,
        passed,
        failed,
        not_checked,
        timed_out,
        crashed,
        cached,
    ] = report.tally();
    out.push_str(&format!(
        "| {files} | {passed} | {failed} | {not_checked} | {timed_out} | {crashed} | {cached} |

"
    ));
    let findings: Vec<_> = report.findings().collect();
    if !findings.is_empty() {
        out.push_str("| | where | rule | message |\n|---|---|---|---|\n");
        for x in findings.iter().take(MAX_FINDINGS) {
            let icon = match x.severity {
                Severity::Error => "❌",
                Severity::Warning => "⚠️",
                Severity::Note => "ℹ️",
            };
            let message = x.message.lines().next().unwrap_or("").replace('|', "\\|");
            out.push_str(&format!(
                "| {icon} | `{}:{}` | `{}` | {message} |\n",
                x.file.replace('|', "\\|"),
                x.line,
                x.rule
            ));
        }
        if findings.len() > MAX_FINDINGS {
            out.push_str(&format!(
                "\n… and {} more findings.\n",
                findings.len() - MAX_FINDINGS
            ));
        }
        out.push('\n');
    }
    match &report.meta.lean_version {
        Some(v) => out.push_str(&format!(
            "Checked by `{v}` in {:.1} s.\n",
            report.meta.duration_ms as f64 / 1000.0
        )),
        None => out.push_str("No Lean ran.\n"),
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_and_findings() {
        let md = super::markdown_summary(&crate::sample::report());
        assert!(md.starts_with("### theorist: ❌ checks failed\n"));
        assert!(md.contains("| 3 | 1 | 1 | 0 | 1 | 0 | 1 |"));
        assert!(
            md.contains("| ❌ | `lean/B & <C>.lean:7` | `lean.error` | unknown identifier 'x' |")
        );
        assert!(md.contains("Checked by `Lean (version 4.22.0)`"));
    }
}
