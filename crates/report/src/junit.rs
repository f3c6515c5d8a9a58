//! JUnit XML: one test case per file, a `<failure>` per failed file listing its findings, an
//! `<error>` for timeouts and crashes.

use crate::model::{FileOutcome, Report, Severity};
use crate::xml::escape;

pub fn junit_xml(report: &Report) -> String {
    let failures = report.count(FileOutcome::Failed);
    let errors = report.count(FileOutcome::TimedOut)
        + report.count(FileOutcome::Crashed)
        + report.count(FileOutcome::NotChecked);
    let secs = |ms: u64| format!("{:.3}", ms as f64 / 1000.0);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"theorist\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{}\">\n",
        report.files.len(),
        secs(report.meta.duration_ms)
    ));
    out.push_str(&format!(
        "  <testsuite name=\"theorist\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{}\">\n",
        report.files.len(),
        secs(report.meta.duration_ms)
    ));
    out.push_str("    <properties>\n");
    if let Some(v) = &report.meta.lean_version {
        out.push_str(&format!(
            "      <property name=\"lean_version\" value=\"{}\"/>\n",
            escape(v)
        ));
    }
    out.push_str(&format!(
        "      <property name=\"project_root\" value=\"{}\"/>\n",
        escape(&report.meta.project_root)
    ));
    out.push_str("    </properties>\n");
    for f in &report.files {
        let name = escape(&f.file);
        out.push_str(&format!(
            "    <testcase classname=\"lean\" name=\"{name}\" file=\"{name}\" time=\"{}\"",
            secs(f.duration_ms)
        ));
        let details: String = f
            .findings
            .iter()
            .filter(|x| x.severity != Severity::Note)
            .map(|x| {
                format!(
                    "{}:{}:{}: [{}] {}\n",
                    x.file, x.line, x.column, x.rule, x.message
                )
            })
            .collect();
        match f.outcome {
            FileOutcome::Passed => out.push_str("/>\n"),
            FileOutcome::Failed => {
                let first = f
                    .findings
                    .iter()
                    .find(|x| x.severity == Severity::Error)
                    .or(f.findings.first());
                let message = first
                    .map(|x| x.message.lines().next().unwrap_or("").to_string())
                    .unwrap_or_default();
                out.push_str(&format!(
                    ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    escape(first.map_or("lean", |x| &x.rule)),
                    escape(&message),
                    escape(&details)
                ));
            }
            FileOutcome::TimedOut | FileOutcome::Crashed | FileOutcome::NotChecked => {
                let (kind, message) = match f.outcome {
                    FileOutcome::TimedOut => ("timeout", "Lean did not finish in time"),
                    FileOutcome::NotChecked => {
                        ("not_checked", "Lean did not confirm every declaration")
                    }
                    _ => ("crash", "Lean crashed"),
                };
                out.push_str(&format!(
                    ">\n      <error type=\"{kind}\" message=\"{message}\">{}</error>\n    </testcase>\n",
                    escape(&details)
                ));
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    /// Parses the XML back with a real parser and collects (element, attributes, text).
    #[test]
    fn parses_back_with_the_right_counts_and_escaping() {
        let xml = super::junit_xml(&crate::sample::report());
        let mut reader = Reader::from_str(&xml);
        let mut cases = Vec::new();
        let mut failure_text = String::new();
        let mut in_failure = false;
        let mut suites = 0;
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    let attrs: Vec<(String, String)> = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            (
                                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                                a.unescape_value().unwrap().into_owned(),
                            )
                        })
                        .collect();
                    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                    match name.as_str() {
                        "testsuite" => {
                            suites += 1;
                            assert_eq!(get("tests").as_deref(), Some("3"));
                            assert_eq!(get("failures").as_deref(), Some("1"));
                            assert_eq!(get("errors").as_deref(), Some("1"));
                        }
                        "testcase" => cases.push(get("name").unwrap()),
                        "failure" => {
                            in_failure = true;
                            assert_eq!(get("message").as_deref(), Some("unknown identifier 'x'"));
                        }
                        _ => {}
                    }
                }
                Event::Text(t) if in_failure => failure_text.push_str(&t.decode().unwrap()),
                Event::GeneralRef(r) if in_failure => {
                    let name = String::from_utf8(r.to_vec()).unwrap();
                    failure_text.push(match name.as_str() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "apos" => '\'',
                        "quot" => '"',
                        other => panic!("unexpected entity {other}"),
                    });
                }
                Event::End(e) if e.name().as_ref() == b"failure" => in_failure = false,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(suites, 1);
        assert_eq!(cases, ["lean/A.lean", "lean/B & <C>.lean", "lean/D.lean"]);
        assert!(
            failure_text.contains("lean/B & <C>.lean:7:2: [lean.error] unknown identifier 'x'"),
            "{failure_text}"
        );
    }
}
