//! Re-checking a numerics certificate (`numerics check --cert-out`) against the statement as
//! its file reads now: a region certificate's sub-boxes, or an extremum certificate's facts,
//! each re-decided with exact rational arithmetic. A certificate is bound to its claim: one
//! whose claim no longer matches the declaration is rejected, never re-applied.

use std::path::Path;

use serde_json::{Value, json};
use theorist_numerics::{
    CERTIFICATE_SCHEMA, Certificate, EXTREMUM_SCHEMA, ExtremumCertificate, Statement, load,
    recheck, recheck_extremum, translate_loaded,
};

use super::EngineError;
use super::lean::read_lean_file;

/// What kind of certificate was re-checked, with what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covered {
    /// A branch-and-bound certificate: the claim on this box (`name ∈ [lo, hi]`, rationals).
    Region {
        r#box: Vec<(String, String, String)>,
    },
    /// An exact extremum proof (`IsMinOn`/`IsMaxOn … ↔ …`).
    Extremum,
}

/// The result of a re-check: accepted (with how many sub-boxes or facts were re-decided) or
/// rejected with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecheckReport {
    pub declaration: String,
    pub claim: String,
    pub covered: Covered,
    pub outcome: Result<usize, String>,
}

impl RecheckReport {
    pub fn accepted(&self) -> bool {
        self.outcome.is_ok()
    }

    /// `name ∈ [lo, hi], …` for a region certificate.
    pub fn box_text(&self) -> Option<String> {
        match &self.covered {
            Covered::Region { r#box } => Some(
                r#box
                    .iter()
                    .map(|(n, lo, hi)| format!("{n} ∈ [{lo}, {hi}]"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Covered::Extremum => None,
        }
    }

    /// The `theorist.numerics.recheck/2` document.
    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "schema": "theorist.numerics.recheck/2",
            "declaration": self.declaration,
            "claim": self.claim,
            "accepted": self.accepted(),
        });
        let count = match &self.covered {
            Covered::Region { r#box } => {
                out["box"] = json!(r#box);
                "leaves"
            }
            Covered::Extremum => "facts",
        };
        match &self.outcome {
            Ok(n) => out[count] = json!(n),
            Err(e) => out["reason"] = json!(e),
        }
        out
    }
}

/// Re-checks the certificate at `path` against its declaration as the file reads now.
pub fn numerics_recheck(path: &Path) -> Result<RecheckReport, EngineError> {
    let shown = path.display();
    let text =
        std::fs::read_to_string(path).map_err(EngineError::io(format!("cannot read {shown}")))?;
    let not_a_certificate =
        |e: serde_json::Error| EngineError::bad_input(format!("{shown}: not a certificate: {e}"));
    let value: Value = serde_json::from_str(&text).map_err(not_a_certificate)?;
    if value["schema"] == EXTREMUM_SCHEMA {
        let cert: ExtremumCertificate = serde_json::from_value(value).map_err(not_a_certificate)?;
        let statement = reread(&cert.file, &cert.declaration)?;
        let outcome = recheck_extremum(&statement, &cert).map_err(|e| e.to_string());
        return Ok(RecheckReport {
            declaration: cert.declaration,
            claim: cert.claim,
            covered: Covered::Extremum,
            outcome,
        });
    }
    let cert: Certificate = serde_json::from_value(value).map_err(not_a_certificate)?;
    if cert.schema != CERTIFICATE_SCHEMA {
        return Err(EngineError::bad_input(format!(
            "{shown}: unknown certificate schema `{}`",
            cert.schema
        )));
    }
    let statement = reread(&cert.file, &cert.declaration)?;
    let outcome = recheck(&statement, &cert).map_err(|e| e.to_string());
    Ok(RecheckReport {
        declaration: cert.declaration,
        claim: cert.claim,
        covered: Covered::Region { r#box: cert.r#box },
        outcome,
    })
}

/// The statement a certificate names, read again from its file as it is now.
fn reread(file: &str, declaration: &str) -> Result<Statement, EngineError> {
    let path = Path::new(file);
    let source = read_lean_file(path)?;
    let loaded = load(path, &source).map_err(|e| EngineError::bad_input(e.to_string()))?;
    translate_loaded(&loaded, declaration)
        .map_err(|e| EngineError::bad_input(format!("{file}: {e}")))
}
