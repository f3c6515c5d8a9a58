//! GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, which
//! GitHub shows as annotations on the pull request's diff.

use crate::model::{Report, Severity};

/// Escapes a message (GitHub's rule: `%`, CR and LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (additionally `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github_annotations(report: &Report) -> String {
    let mut out = String::new();
    for x in report.findings() {
        let command = match x.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        out.push_str(&format!(
            "::{command} file={},line={},col={},title={}::{}\n",
            escape_property(&x.file),
            x.line,
            x.column,
            escape_property(&x.rule),
            escape_data(&x.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_escaped_command_per_finding() {
        let text = super::github_annotations(&crate::sample::report());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            "::error file=lean/B & <C>.lean,line=7,col=2,title=lean.error::unknown identifier 'x'%0Asecond line"
        );
        assert!(
            lines[1]
                .starts_with("::warning file=lean/B & <C>.lean,line=9,col=2,title=lean.sorry::")
        );
    }
}
