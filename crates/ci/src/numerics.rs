//! The `[[numerics]]` claims of `theorist.toml`: each statement is translated and decided by
//! `theorist-numerics` and becomes one entry of the report (a refutation is a finding at the
//! declaration's line, with the counterexample).

use std::path::Path;
use std::time::Instant;

use theorist_numerics::{
    CheckConfig, Untranslatable, Verdict, check, load, rational_range, translate_loaded,
};
use theorist_report::{FileOutcome, FileResult, Finding, Severity};

use crate::config::{Expectation, NumericsClaim};

fn result(
    claim: &NumericsClaim,
    outcome: FileOutcome,
    line: u32,
    message: Option<String>,
    started: Instant,
) -> FileResult {
    let file = claim
        .claim
        .split_once(".lean:")
        .map_or(claim.claim.clone(), |(f, _)| format!("{f}.lean"));
    FileResult {
        file: claim.claim.clone(),
        outcome,
        duration_ms: started.elapsed().as_millis() as u64,
        cached: false,
        declarations: 1,
        findings: message
            .map(|m| Finding {
                file,
                line: line.max(1),
                column: 1,
                end_line: None,
                severity: if outcome == FileOutcome::Passed {
                    Severity::Note
                } else {
                    Severity::Error
                },
                rule: "numerics".into(),
                message: m,
                decl: claim.claim.split_once(".lean:").map(|(_, d)| d.to_string()),
            })
            .into_iter()
            .collect(),
    }
}

/// Checks one claim (CPU-bound: call it off the async reactor).
pub fn check_claim(root: &Path, claim: &NumericsClaim) -> FileResult {
    let started = Instant::now();
    let fail = |m: String| result(claim, FileOutcome::Failed, 1, Some(m), started);
    let Some((file, decl)) = claim.claim.split_once(".lean:") else {
        return fail(format!("`{}` is not FILE:Decl", claim.claim));
    };
    let path = root.join(format!("{file}.lean"));
    // The config comes with the checkout: a claim may not read a file outside the project.
    if let Err(e) = crate::discover::ensure_inside(root, &path) {
        return fail(e.to_string());
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
    };
    let line = theorist_leansrc::parse(&text)
        .find(decl)
        .map_or(1, |d| d.start_line);
    let mut config = CheckConfig::default();
    for (name, range) in &claim.r#box {
        match rational_range(range) {
            Some((lo, hi)) if lo <= hi => {
                config.boxes.insert(name.clone(), (lo, hi));
            }
            _ => return fail(format!("box `{name} = \"{range}\"` is not \"[low, high]\"")),
        }
    }
    let loaded = match load(&path, &text) {
        Ok(l) => l,
        Err(e) => return fail(e.to_string()),
    };
    let statement = match translate_loaded(&loaded, decl) {
        Ok(s) => s,
        Err(e @ (Untranslatable::NoDecl { .. } | Untranslatable::AmbiguousDecl { .. })) => {
            return fail(e.to_string());
        }
        Err(e) => {
            return result(
                claim,
                FileOutcome::Failed,
                line,
                Some(format!("untranslatable: {e}")),
                started,
            );
        }
    };
    let verdict = check(&statement, &config);
    let describe = match &verdict {
        Verdict::Refuted { counterexample, .. } => {
            let values: Vec<String> = counterexample
                .iter()
                .map(|(k, v)| format!("{k} := {v}"))
                .collect();
            format!("refuted: counterexample {}", values.join(", "))
        }
        Verdict::Proved { method, .. } => format!("proved ({method})"),
        Verdict::ProvedOnBox {
            method, unconfined, ..
        } => format!(
            "proved on the box only ({method}); {} range beyond it",
            unconfined.join(", ")
        ),
        Verdict::Consistent {
            unresolved,
            boxes,
            budget,
            ..
        } => format!(
            "consistent: no counterexample; {unresolved} of {boxes} sub-boxes undecided ({})",
            budget.describe()
        ),
    };
    let ok = match (claim.expect, &verdict) {
        (Expectation::Refuted, Verdict::Refuted { .. }) => true,
        (Expectation::Refuted, _) => false,
        (Expectation::Proved, Verdict::Proved { .. }) => true,
        (Expectation::Proved, _) => false,
        (Expectation::NotRefuted, Verdict::Refuted { .. }) => false,
        (Expectation::NotRefuted, _) => true,
    };
    let message =
        format!("{describe} (expected {:?})", claim.expect).replace("NotRefuted", "not refuted");
    result(
        claim,
        if ok {
            FileOutcome::Passed
        } else {
            FileOutcome::Failed
        },
        line,
        Some(message),
        started,
    )
}
