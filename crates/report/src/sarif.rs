//! SARIF 2.1.0 (the OASIS standard GitHub code scanning reads): one run, the rules that
//! fired, one result per finding with a physical location relative to `%SRCROOT%`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::model::{Report, Severity};

/// Short descriptions of the rules theorist reports.
fn rule_description(id: &str) -> &'static str {
    match id {
        "lean.error" => "Lean reported an error",
        "lean.sorry" => "The declaration uses sorry",
        "lean.axiom" => "The declaration depends on an axiom outside the allow-list",
        "lean.timeout" => "Lean did not finish the file in time",
        "lean.crash" => "Lean crashed on the file",
        "lean.warning" => "Lean reported a warning",
        "lean.unchecked" => "Lean gave no verdict on the declaration",
        _ => "theorist finding",
    }
}

/// A relative path as a URI reference (percent-encoding what URIs do not allow).
fn uri_of(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn sarif(report: &Report) -> Value {
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for x in report.findings() {
        let next = rules.len();
        rules.entry(x.rule.as_str()).or_insert(next);
    }
    let mut ordered: Vec<(&str, usize)> = rules.iter().map(|(k, v)| (*k, *v)).collect();
    ordered.sort_by_key(|(_, i)| *i);
    let rule_objects: Vec<Value> = ordered
        .iter()
        .map(|(id, _)| json!({"id": id, "shortDescription": {"text": rule_description(id)}}))
        .collect();
    let results: Vec<Value> = report
        .findings()
        .map(|x| {
            let level = match x.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let mut region = json!({"startLine": x.line.max(1), "startColumn": x.column.max(1)});
            if let Some(end) = x.end_line {
                region["endLine"] = json!(end.max(x.line.max(1)));
            }
            let mut result = json!({
                "ruleId": x.rule,
                "ruleIndex": rules[x.rule.as_str()],
                "level": level,
                "message": {"text": x.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri_of(&x.file), "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }}],
            });
            if let Some(decl) = &x.decl {
                result["properties"] = json!({"declaration": decl});
            }
            result
        })
        .collect();
    let root = report.meta.project_root.trim_end_matches('/');
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": report.meta.tool,
                "version": report.meta.tool_version,
                "informationUri": "https://github.com/leanprover/lean4",
                "rules": rule_objects,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": format!("file://{}/", uri_of(root))}},
            "invocations": [{
                "executionSuccessful": true,
                "properties": {"leanVersion": report.meta.lean_version},
            }],
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    /// The constraints of the SARIF 2.1.0 schema that a consumer relies on, checked field by
    /// field (required properties, enums, minimums, index consistency).
    fn assert_valid_sarif(doc: &Value) {
        assert_eq!(doc["version"], "2.1.0");
        assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        let runs = doc["runs"].as_array().unwrap();
        assert!(!runs.is_empty());
        for run in runs {
            let driver = &run["tool"]["driver"];
            assert!(driver["name"].is_string(), "tool.driver.name is required");
            let rules = driver["rules"].as_array().unwrap();
            for rule in rules {
                assert!(rule["id"].is_string());
            }
            for result in run["results"].as_array().unwrap() {
                assert!(
                    result["message"]["text"].is_string(),
                    "result.message is required"
                );
                assert!(
                    ["none", "note", "warning", "error"]
                        .contains(&result["level"].as_str().unwrap())
                );
                let index = result["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(
                    rules[index]["id"], result["ruleId"],
                    "ruleIndex must point at ruleId"
                );
                for loc in result["locations"].as_array().unwrap() {
                    let phys = &loc["physicalLocation"];
                    let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
                    assert!(
                        !uri.contains(' ') && !uri.contains('<'),
                        "uri must be a valid URI reference: {uri}"
                    );
                    let base = phys["artifactLocation"]["uriBaseId"].as_str().unwrap();
                    assert!(
                        run["originalUriBaseIds"][base]["uri"]
                            .as_str()
                            .unwrap()
                            .ends_with('/')
                    );
                    let region = &phys["region"];
                    assert!(region["startLine"].as_u64().unwrap() >= 1);
                    assert!(region["startColumn"].as_u64().unwrap() >= 1);
                }
            }
        }
    }

    #[test]
    fn is_valid_sarif_with_one_result_per_finding() {
        let doc = super::sarif(&crate::sample::report());
        assert_valid_sarif(&doc);
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "lean/B%20%26%20%3CC%3E.lean"
        );
        assert_eq!(results[1]["level"], "warning");
        assert_eq!(
            doc["runs"][0]["invocations"][0]["properties"]["leanVersion"],
            "Lean (version 4.22.0)"
        );
    }
}
