//! The SARIF report validated against the official SARIF 2.1.0 JSON schema.

use theorist_report::{FileOutcome, FileResult, Finding, Report, RunMeta, Severity, sarif};

fn report() -> Report {
    let finding = |line, severity, rule: &str, message: &str, decl: Option<&str>| Finding {
        file: "lean/Theorist/Higgs/Potential Field.lean".into(),
        line,
        column: 3,
        end_line: Some(line + 1),
        severity,
        rule: rule.into(),
        message: message.into(),
        decl: decl.map(str::to_string),
    };
    Report {
        meta: RunMeta {
            tool: "theorist".into(),
            tool_version: "0.1.0".into(),
            lean_version: Some("Lean (version 4.22.0)".into()),
            project_root: "/home/user/my project".into(),
            started_unix_ms: 0,
            duration_ms: 10,
        },
        files: vec![FileResult {
            file: "lean/Theorist/Higgs/Potential Field.lean".into(),
            outcome: FileOutcome::Failed,
            duration_ms: 5,
            cached: false,
            declarations: 3,
            findings: vec![
                finding(
                    7,
                    Severity::Error,
                    "lean.error",
                    "unknown identifier 'x'",
                    Some("A.b"),
                ),
                finding(
                    9,
                    Severity::Warning,
                    "lean.sorry",
                    "declaration uses `sorry`",
                    None,
                ),
                finding(1, Severity::Note, "lean.sorry", "allowed", Some("A.c")),
            ],
        }],
    }
}

#[test]
fn the_sarif_report_is_valid_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for report in [
        report(),
        Report {
            files: vec![],
            ..report()
        },
    ] {
        let doc = sarif(&report);
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
    }
    // And the validator does reject a broken document.
    let mut broken = sarif(&report());
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
}
