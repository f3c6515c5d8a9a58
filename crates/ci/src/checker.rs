//! Checking one file. [`LeanChecker`] runs Lean's batch mode through `theorist-lean` and turns
//! its per-declaration verdicts into report findings; tests and benches use stand-ins.

use std::collections::BTreeSet;
use std::future::Future;
use std::time::Instant;

use theorist_lean::Toolchain;
use theorist_lean::batch::SerialMessage;
use theorist_lean::check::{
    CheckOptions, DeclCheck, DeclStatus, FileCheck, FileVerdict, check_file,
};
use theorist_report::{FileOutcome, FileResult, Finding, Severity};

use crate::discover::Module;

/// Checks one module and says how it went; never fails (a failure is a result).
pub trait Checker: Send + Sync + 'static {
    fn check(&self, module: &Module) -> impl Future<Output = FileResult> + Send;
}

/// Lean's batch mode with the project's policy.
pub struct LeanChecker {
    pub toolchain: Toolchain,
    pub options: CheckOptions,
    /// Declarations allowed to keep `sorry` (full names).
    pub allow_sorry: BTreeSet<String>,
    /// PhysLean's `@[sorryful]` marks a declaration as allowed to keep `sorry`.
    pub honor_sorryful: bool,
}

impl Checker for LeanChecker {
    async fn check(&self, module: &Module) -> FileResult {
        let started = Instant::now();
        let outcome = check_file(&self.toolchain, &module.file, &self.options).await;
        let elapsed = started.elapsed().as_millis() as u64;
        match outcome {
            Ok(check) => {
                let sorryful = match std::fs::read_to_string(&module.file) {
                    Ok(text) if self.honor_sorryful => sorryful_decls(&text),
                    _ => BTreeSet::new(),
                };
                to_result(&module.rel, &check, elapsed, &|name| {
                    self.allow_sorry.contains(name) || sorryful.contains(name)
                })
            }
            Err(e) => FileResult {
                file: module.rel.clone(),
                outcome: FileOutcome::Crashed,
                duration_ms: elapsed,
                cached: false,
                declarations: 0,
                findings: vec![finding(
                    &module.rel,
                    1,
                    0,
                    Severity::Error,
                    "lean.crash",
                    format!("could not run Lean: {e}"),
                    None,
                )],
            },
        }
    }
}

/// Declarations marked PhysLean's `@[sorryful]` (allowed to keep `sorry`).
pub fn sorryful_decls(text: &str) -> BTreeSet<String> {
    theorist_leansrc::parse(text)
        .decls
        .into_iter()
        .filter(|d| d.attributes.iter().any(|a| a == "sorryful"))
        .map(|d| d.name)
        .collect()
}

fn finding(
    file: &str,
    line: u32,
    column0: u32,
    severity: Severity,
    rule: &str,
    message: String,
    decl: Option<&str>,
) -> Finding {
    Finding {
        file: file.to_string(),
        line: line.max(1),
        column: column0 + 1,
        end_line: None,
        severity,
        rule: rule.to_string(),
        message,
        decl: decl.map(str::to_string),
    }
}

/// Findings and outcome of one batch check; `may_sorry(name)` says whether a declaration is
/// allowed to keep `sorry` (then its `sorry` and `sorryAx` are notes, not failures). The
/// outcome is `FileCheck::verdict_with`, the one `verify` uses too.
pub fn to_result(
    rel: &str,
    check: &FileCheck,
    duration_ms: u64,
    may_sorry: &dyn Fn(&str) -> bool,
) -> FileResult {
    let mut findings = Vec::new();
    for d in &check.decls {
        decl_findings(rel, d, may_sorry(&d.name), &mut findings);
    }
    findings.extend(check.file_messages.iter().map(|m| file_message(rel, m)));
    for u in &check.unknown_commands {
        findings.push(finding(
            rel,
            u.pos.line,
            u.pos.column,
            Severity::Note,
            "lean.not_understood",
            format!(
                "theorist does not know the command `{}`: what it declares is not checked for axioms",
                u.word
            ),
            None,
        ));
    }
    let outcome = outcome(rel, check, check.verdict_with(may_sorry), &mut findings);
    FileResult {
        file: rel.to_string(),
        outcome,
        duration_ms,
        cached: false,
        declarations: check.decls.len() as u32,
        findings,
    }
}

/// One declaration's findings: its errors, its `sorry`s (notes when `allowed_sorry`), the
/// forbidden axioms it depends on, and why Lean did not confirm it.
fn decl_findings(rel: &str, d: &DeclCheck, allowed_sorry: bool, findings: &mut Vec<Finding>) {
    for e in &d.errors {
        findings.push(finding(
            rel,
            e.pos.line,
            e.pos.column,
            Severity::Error,
            "lean.error",
            e.data.clone(),
            Some(&d.name),
        ));
    }
    let sorry_severity = if allowed_sorry {
        Severity::Note
    } else {
        Severity::Error
    };
    let note = if allowed_sorry { " (allowed)" } else { "" };
    let sorry_at = |pos: (u32, u32)| {
        finding(
            rel,
            pos.0,
            pos.1,
            sorry_severity,
            "lean.sorry",
            format!("`{}` uses sorry{note}", d.name),
            Some(&d.name),
        )
    };
    for s in &d.sorries {
        findings.push(sorry_at((s.pos.line, s.pos.column)));
    }
    let lean_sorry = d.warnings.iter().find(|w| w.is_sorry_warning());
    if let (true, Some(w)) = (d.sorries.is_empty(), lean_sorry) {
        // Lean saw a `sorry` theorist's reading of the source did not.
        findings.push(sorry_at((w.pos.line, w.pos.column)));
    }
    // A declaration's own `sorry`s are reported above (as errors, or notes when allowed),
    // so `sorryAx` is only an axiom finding when it comes from something it uses and the
    // declaration may not keep `sorry`.
    let own_sorry = !d.sorries.is_empty() || lean_sorry.is_some();
    let forbidden: Vec<&str> = d
        .forbidden_axioms
        .iter()
        .map(String::as_str)
        .filter(|a| !(*a == "sorryAx" && (own_sorry || allowed_sorry)))
        .collect();
    if !forbidden.is_empty() {
        findings.push(finding(
            rel,
            d.start_line,
            0,
            Severity::Error,
            "lean.axiom",
            format!("`{}` depends on {}", d.name, forbidden.join(", ")),
            Some(&d.name),
        ));
    }
    if let Some(why) = &d.not_checked
        && d.status != DeclStatus::Error
    {
        findings.push(finding(
            rel,
            d.start_line,
            0,
            Severity::Error,
            "lean.unchecked",
            format!("Lean did not confirm `{}`: {why}", d.name),
            Some(&d.name),
        ));
    }
}

/// A message of the file outside every declaration checked; a `sorry` there still fails.
fn file_message(rel: &str, m: &SerialMessage) -> Finding {
    let (severity, rule) = if m.severity.fails() {
        (Severity::Error, "lean.error")
    } else if m.is_sorry_warning() {
        (Severity::Error, "lean.sorry")
    } else if m.severity == theorist_lean::batch::Severity::Warning {
        (Severity::Warning, "lean.warning")
    } else {
        (Severity::Note, "lean.info")
    };
    let data = if rule == "lean.sorry" {
        format!("{} (outside every declaration theorist found)", m.data)
    } else {
        m.data.clone()
    };
    finding(rel, m.pos.line, m.pos.column, severity, rule, data, None)
}

/// The file's outcome from its verdict, with a finding that says why when it was not checked,
/// timed out or crashed.
fn outcome(
    rel: &str,
    check: &FileCheck,
    verdict: FileVerdict,
    findings: &mut Vec<Finding>,
) -> FileOutcome {
    let mut fail = |rule: &str, message: String| {
        findings.push(finding(rel, 1, 0, Severity::Error, rule, message, None));
    };
    match verdict {
        FileVerdict::Passed => FileOutcome::Passed,
        FileVerdict::Failed => FileOutcome::Failed,
        FileVerdict::NotChecked => {
            for why in check.not_checked_reasons() {
                // Reasons that name a declaration were reported with it.
                if !why.starts_with('`') {
                    fail("lean.unchecked", why);
                }
            }
            FileOutcome::NotChecked
        }
        FileVerdict::TimedOut => {
            fail(
                "lean.timeout",
                "Lean did not finish the file in time".into(),
            );
            FileOutcome::TimedOut
        }
        FileVerdict::Crashed => {
            let detail = check
                .other_output
                .last()
                .cloned()
                .unwrap_or_else(|| "no message".into());
            fail("lean.crash", format!("Lean crashed: {detail}"));
            FileOutcome::Crashed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use theorist_lean::LeanPos;
    use theorist_lean::check::{DeclCheck, SorryAt};
    use theorist_leansrc::DeclKind;

    fn decl(
        name: &str,
        status: DeclStatus,
        sorries: Vec<SorryAt>,
        forbidden: &[&str],
    ) -> DeclCheck {
        DeclCheck {
            name: name.into(),
            kind: DeclKind::Theorem,
            start_line: 3,
            end_line: 5,
            status,
            errors: vec![],
            warnings: vec![],
            sorries,
            axioms: Some(forbidden.iter().map(|s| s.to_string()).collect()),
            forbidden_axioms: forbidden.iter().map(|s| s.to_string()).collect(),
            not_checked: None,
        }
    }

    fn file(decls: Vec<DeclCheck>) -> FileCheck {
        FileCheck {
            file: "A.lean".into(),
            lean_version: "v".into(),
            decls,
            file_messages: vec![],
            other_output: vec![],
            exit_code: Some(0),
            timed_out: false,
            failed_silently: false,
            reached_end: true,
            output_truncated: false,
            unknown_commands: vec![],
            elapsed_ms: 1,
        }
    }

    #[test]
    fn own_sorry_is_one_finding_and_borrowed_sorry_is_an_axiom_finding() {
        let at = SorryAt {
            pos: LeanPos { line: 4, column: 2 },
            goal: None,
        };
        let check = file(vec![
            decl("A.own", DeclStatus::Sorry, vec![at.clone()], &["sorryAx"]),
            decl("A.uses_it", DeclStatus::Sorry, vec![], &["sorryAx"]),
        ]);
        let r = to_result("A.lean", &check, 1, &|_| false);
        assert_eq!(r.outcome, FileOutcome::Failed);
        let rules: Vec<(&str, &str)> = r
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.decl.as_deref().unwrap()))
            .collect();
        assert_eq!(
            rules,
            [("lean.sorry", "A.own"), ("lean.axiom", "A.uses_it")]
        );
        assert_eq!((r.findings[0].line, r.findings[0].column), (4, 3));

        let allowed = to_result(
            "A.lean",
            &file(vec![decl(
                "A.own",
                DeclStatus::Sorry,
                vec![at],
                &["sorryAx"],
            )]),
            1,
            &|n| n == "A.own",
        );
        assert_eq!(allowed.outcome, FileOutcome::Passed);
        assert_eq!(allowed.findings[0].severity, Severity::Note);
    }

    #[test]
    fn timeouts_and_silent_failures_are_outcomes() {
        let mut check = file(vec![]);
        check.timed_out = true;
        check.exit_code = None;
        assert_eq!(
            to_result("A.lean", &check, 1, &|_| false).outcome,
            FileOutcome::TimedOut
        );
        let mut check = file(vec![]);
        check.exit_code = Some(1);
        check.failed_silently = true;
        check.other_output = vec!["Stack overflow detected. Aborting.".into()];
        let r = to_result("A.lean", &check, 1, &|_| false);
        assert_eq!(r.outcome, FileOutcome::Crashed);
        assert!(r.findings[0].message.contains("Stack overflow"));
    }
}
