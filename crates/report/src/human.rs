//! The summary printed at the end of a run.

use crate::model::{Report, Severity};

pub fn human_summary(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for x in &f.findings {
            let sev = match x.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let first = x.message.lines().next().unwrap_or("");
            out.push_str(&format!(
                "{}:{}:{}: {sev}[{}]: {first}\n",
                x.file, x.line, x.column, x.rule
            ));
        }
    }
    let [
        files,
        passed,
        failed,
        not_checked,
        timed_out,
        crashed,
        cached,
    ] = report.tally();
    let not_checked = if not_checked > 0 {
        format!(", {not_checked} not checked")
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{files} files: {passed} passed, {failed} failed{not_checked}, {timed_out} timed out, {crashed} crashed ({cached} from cache) in {:.1} s — {}
",
        report.meta.duration_ms as f64 / 1000.0,
        if report.passed() { "passed" } else { "FAILED" }
    ));
    if let Some(v) = &report.meta.lean_version {
        out.push_str(&format!("checked by {v}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_findings_and_counts() {
        let text = super::human_summary(&crate::sample::report());
        assert!(
            text.contains("lean/B & <C>.lean:7:2: error[lean.error]: unknown identifier 'x'\n")
        );
        assert!(text.contains(
            "3 files: 1 passed, 1 failed, 1 timed out, 0 crashed (1 from cache) in 1.2 s — FAILED"
        ));
        assert!(text.ends_with("checked by Lean (version 4.22.0)\n"));
    }
}
