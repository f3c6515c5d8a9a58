//! The `[[numerics]]` claims of `theorist.toml`: each statement is translated and decided by
//! `theorist-numerics` and becomes one entry of the report (a refutation is a finding at the
//! declaration's line, with the counterexample), with its plot (`theorist_numerics::plot`) for
//! the caller to write beside the reports.

use std::path::Path;
use std::time::Instant;

use theorist_numerics::plot::{PlotConfig, plot_claim, svg};
use theorist_numerics::{
    CheckConfig, Statement, Untranslatable, Verdict, check, load, minimisers, rational_range,
    translate_loaded,
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

/// A claim's plot: the declaration's full name, the file name to write it under (beside the
/// reports) and the SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimPlot {
    pub decl: String,
    pub file_name: String,
    pub svg: String,
}

/// The plot's file name for a declaration: `numerics-DECL.svg`, every character that is not a
/// letter, a digit, `.`, `_` or `-` replaced by `_` (a plain name in the reports' folder).
pub fn plot_file_name(decl: &str) -> String {
    let safe: String = decl
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("numerics-{}.svg", safe.trim_start_matches('.'))
}

/// Checks one claim (CPU-bound: call it off the async reactor).
pub fn check_claim(root: &Path, claim: &NumericsClaim) -> FileResult {
    check_and_plot(root, claim, false).0
}

/// Checks one claim and, with `plot`, draws it (no plot for a claim that does not translate or
/// has no variables). CPU-bound: call it off the async reactor.
pub fn check_and_plot(
    root: &Path,
    claim: &NumericsClaim,
    plot: bool,
) -> (FileResult, Option<ClaimPlot>) {
    let started = Instant::now();
    let fail = |m: String| {
        (
            result(claim, FileOutcome::Failed, 1, Some(m), started),
            None,
        )
    };
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
            let untranslatable = result(
                claim,
                FileOutcome::Failed,
                line,
                Some(format!("untranslatable: {e}")),
                started,
            );
            return (untranslatable, None);
        }
    };
    let verdict = check(&statement, &config);
    let drawn = plot.then(|| draw(&statement, &config, &verdict)).flatten();
    let describe = verdict.summary();
    let ok = match (claim.expect, &verdict) {
        (Expectation::Refuted, Verdict::Refuted { .. }) => true,
        (Expectation::Refuted, _) => false,
        (Expectation::Proved, Verdict::Proved { .. }) => true,
        (Expectation::Proved, _) => false,
        (Expectation::NotRefuted, Verdict::Refuted { .. }) => false,
        (Expectation::NotRefuted, _) => true,
    };
    let expected = match claim.expect {
        Expectation::NotRefuted => "not refuted",
        Expectation::Proved => "proved",
        Expectation::Refuted => "refuted",
    };
    let message = format!("{describe} (expected {expected})");
    let checked = result(
        claim,
        if ok {
            FileOutcome::Passed
        } else {
            FileOutcome::Failed
        },
        line,
        Some(message),
        started,
    );
    (checked, drawn)
}

/// The claim's plot with the defaults (the rest held at the counterexample, the minimiser
/// report's parameters, or a point where the hypotheses hold); none for a claim without
/// variables.
fn draw(statement: &Statement, config: &CheckConfig, verdict: &Verdict) -> Option<ClaimPlot> {
    let reports = match verdict {
        Verdict::Refuted { .. } => Vec::new(),
        _ => minimisers(statement, config),
    };
    let plot = plot_claim(statement, config, verdict, &reports, &PlotConfig::default()).ok()?;
    Some(ClaimPlot {
        decl: statement.decl.clone(),
        file_name: plot_file_name(&statement.decl),
        svg: svg(&plot),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_names_are_plain_file_names() {
        assert_eq!(
            plot_file_name("Theorist.Higgs.Potential.bound_of_𝓵_pos"),
            "numerics-Theorist.Higgs.Potential.bound_of_𝓵_pos.svg"
        );
        assert_eq!(plot_file_name("../a/b c"), "numerics-_a_b_c.svg");
    }

    #[test]
    fn a_claim_is_checked_and_drawn() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let claim = NumericsClaim {
            claim: "tests/fixtures/library/FalseVariants/HiggsPotential.lean:bound_of_𝓵_neg".into(),
            expect: Expectation::Refuted,
            r#box: Default::default(),
        };
        let (result, plot) = check_and_plot(&root, &claim, true);
        assert_eq!(result.outcome, FileOutcome::Passed, "{result:?}");
        let plot = plot.expect("a plot");
        assert_eq!(plot.decl, "Theorist.Higgs.Potential.bound_of_𝓵_neg");
        assert_eq!(
            plot.file_name,
            "numerics-Theorist.Higgs.Potential.bound_of_𝓵_neg.svg"
        );
        assert!(plot.svg.contains(r#"class="marker counterexample""#));
        assert!(check_and_plot(&root, &claim, false).1.is_none());
    }
}
