//! Rigorous interval numerics on Lean arithmetic: enclose an expression's value, or decide a
//! declaration's claim (refuted with a certified counterexample, proved on a box, consistent,
//! or untranslatable). Pure CPU work: callers on a runtime run it off the reactor.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use theorist_numerics::{
    CheckConfig, EvalError, MinimiserReport, Params, Statement, Untranslatable, Verdict, box_of,
    check, eval, parse, parse_param, rational_range, translate,
};

use super::EngineError;
use super::lean::read_lean_file;

/// An expression to enclose.
#[derive(Debug, Clone)]
pub struct EvalRequest {
    /// Lean 4 syntax, e.g. `Real.sqrt 2 * Real.pi`.
    pub expr: String,
    /// `NAME=DECIMAL` or `NAME=[LOW, HIGH]`.
    pub params: Vec<String>,
    /// Working precision in bits (53 to 65536).
    pub prec: u32,
    /// Significant decimal digits (default: as many as the precision carries).
    pub digits: Option<usize>,
}

/// An enclosure of the expression's value, every bound rounded outward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalReport {
    pub expr: String,
    pub prec: u32,
    pub lower: String,
    pub upper: String,
    pub width: String,
}

impl EvalReport {
    /// The `theorist.numerics.eval/1` document.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": "theorist.numerics.eval/1",
            "expression": self.expr,
            "precision": self.prec,
            "lower": self.lower,
            "upper": self.upper,
            "width": self.width,
        })
    }
}

/// The precisions MPFR and the evaluator accept, in bits.
pub const PRECISIONS: std::ops::RangeInclusive<u32> = 53..=65536;

fn check_precision(prec: u32) -> Result<(), EngineError> {
    if PRECISIONS.contains(&prec) {
        Ok(())
    } else {
        Err(EngineError::bad_input(format!(
            "precision {prec} is outside {}..={} bits",
            PRECISIONS.start(),
            PRECISIONS.end()
        )))
    }
}

pub fn numerics_eval(request: &EvalRequest) -> Result<EvalReport, EngineError> {
    check_precision(request.prec)?;
    let show = |column: usize, message: &str| {
        EngineError::bad_input(format!(
            "{message}\n  {}\n  {}^",
            request.expr,
            " ".repeat(column)
        ))
    };
    let expr = parse(&request.expr)
        .map_err(|e| show(e.column, &format!("cannot read the expression: {e}")))?;
    let mut params = Params::new();
    for spec in &request.params {
        let (name, value) = parse_param(spec, request.prec)
            .map_err(|e| EngineError::bad_input(format!("parameter `{spec}`: {e}")))?;
        if params.insert(name.clone(), value).is_some() {
            return Err(EngineError::bad_input(format!(
                "parameter {name} is given twice"
            )));
        }
    }
    let value = eval(&expr, &params, request.prec).map_err(|e| {
        let column = match &e {
            EvalError::UnknownIdentifier { column, .. }
            | EvalError::BadNumber { column, .. }
            | EvalError::Domain { column, .. } => *column,
            _ => 0,
        };
        show(column, &format!("cannot evaluate: {e}"))
    })?;
    // The decimal digits a `prec`-bit float carries, plus one.
    let digits = request
        .digits
        .unwrap_or((request.prec as f64 * std::f64::consts::LOG10_2).ceil() as usize + 1)
        .max(2);
    let (lower, upper) = value.to_decimal(digits);
    Ok(EvalReport {
        expr: request.expr.clone(),
        prec: request.prec,
        lower,
        upper,
        width: value.width_decimal(3),
    })
}

/// A declaration's claim to decide, and the search's budget.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub file: PathBuf,
    pub decl: String,
    /// `NAME=[LOW, HIGH]` ranges of variables (default [-10, 10], norms [0, 10]).
    pub boxes: Vec<String>,
    /// Random points tried before branch and bound.
    pub samples: usize,
    /// Branch-and-bound budget (sub-boxes).
    pub max_boxes: usize,
    /// Working precision in bits.
    pub prec: u32,
    /// Try the algebraic certificate before branch and bound.
    pub algebraic: bool,
    /// Where to write the proof's certificate: a branch-and-bound proof's bisection tree, or
    /// an extremum proof's facts.
    pub cert_out: Option<PathBuf>,
}

/// The verdict on a declaration's claim.
#[derive(Debug, Clone)]
pub enum CheckReport {
    /// The statement uses something the translator does not understand: nothing was decided.
    Untranslatable {
        decl: String,
        reason: String,
    },
    Checked(Box<Checked>),
}

/// A claim that was translated and decided.
#[derive(Debug, Clone)]
pub struct Checked {
    pub decl: String,
    pub verdict: Verdict,
    /// Stationarity and second-order data for `IsMinOn` conclusions.
    pub minimisers: Vec<MinimiserReport>,
    /// The box searched: (variable, low, high).
    pub bx: Vec<(String, String, String)>,
    /// Why no certificate was written although one was asked for.
    pub certificate_note: Option<String>,
}

impl CheckReport {
    /// Whether the claim stands (not refuted and translated).
    pub fn passed(&self) -> bool {
        match self {
            CheckReport::Untranslatable { .. } => false,
            CheckReport::Checked(c) => !matches!(c.verdict, Verdict::Refuted { .. }),
        }
    }

    /// The `theorist.numerics.check/1` document.
    pub fn to_json(&self) -> Value {
        let c = match self {
            CheckReport::Untranslatable { decl, reason } => {
                return json!({"schema": "theorist.numerics.check/1", "declaration": decl, "verdict": "untranslatable", "reason": reason});
            }
            CheckReport::Checked(c) => c,
        };
        let mut out =
            serde_json::to_value(&c.verdict).unwrap_or_else(|e| json!({"error": e.to_string()}));
        out["schema"] = json!("theorist.numerics.check/1");
        out["declaration"] = json!(c.decl);
        out["box"] =
            c.bx.iter()
                .map(|(n, lo, hi)| (n.clone(), json!([lo, hi])))
                .collect::<serde_json::Map<_, _>>()
                .into();
        if !c.minimisers.is_empty() {
            out["minimisers"] = serde_json::to_value(&c.minimisers).unwrap_or_default();
        }
        out
    }
}

pub fn numerics_check(request: &CheckRequest) -> Result<CheckReport, EngineError> {
    check_precision(request.prec)?;
    let decl = &request.decl;
    let text = read_lean_file(&request.file)?;
    let mut config = CheckConfig {
        samples: request.samples,
        max_boxes: request.max_boxes,
        prec: request.prec,
        algebraic: request.algebraic,
        ..CheckConfig::default()
    };
    for spec in &request.boxes {
        let bad = || {
            EngineError::bad_input(format!(
                "box `{spec}` is not NAME=[LOW, HIGH] with decimal bounds"
            ))
        };
        let (name, range) = spec.split_once('=').ok_or_else(bad)?;
        let (lo, hi) = rational_range(range).ok_or_else(bad)?;
        if lo > hi {
            return Err(EngineError::bad_input(format!(
                "box `{spec}`: the range is empty"
            )));
        }
        config.boxes.insert(name.trim().to_string(), (lo, hi));
    }
    let statement = match translate(&text, decl) {
        Ok(s) => s,
        Err(Untranslatable::NoDecl { reason, .. }) => {
            // "no declaration named `x`", or "`x` is ambiguous: it names A.x, B.x".
            return Err(EngineError::bad_input(format!(
                "{}: {reason}",
                request.file.display()
            )));
        }
        Err(e) => {
            return Ok(CheckReport::Untranslatable {
                decl: decl.clone(),
                reason: format!("{}: {e}", request.file.display()),
            });
        }
    };
    let names = statement.variable_names();
    for name in config.boxes.keys() {
        if !names.contains(name) {
            return Err(EngineError::bad_input(format!(
                "box: `{name}` is not a variable of {} (variables: {})",
                statement.decl,
                names.join(", ")
            )));
        }
    }
    let verdict = check(&statement, &config);
    let minimisers = match verdict {
        Verdict::Refuted { .. } => Vec::new(),
        _ => theorist_numerics::minimisers(&statement, &config),
    };
    let certificate_note = match &request.cert_out {
        Some(path) => write_certificate(path, request, &statement, &config, &verdict)?,
        None => None,
    };
    let bx = box_of(&statement, &config)
        .into_iter()
        .map(|(n, lo, hi)| (n, lo.to_string(), hi.to_string()))
        .collect();
    Ok(CheckReport::Checked(Box::new(Checked {
        decl: statement.decl.clone(),
        verdict,
        minimisers,
        bx,
        certificate_note,
    })))
}

/// Writes the proof's certificate to `path`: a branch-and-bound proof's bisection tree, or an
/// extremum proof's facts (both re-checked by `numerics recheck`). Says why not when the proof
/// has neither (an exact or algebraic proof is its own certificate).
fn write_certificate(
    path: &Path,
    request: &CheckRequest,
    statement: &Statement,
    config: &CheckConfig,
    verdict: &Verdict,
) -> Result<Option<String>, EngineError> {
    let Verdict::Proved {
        tree,
        even,
        algebraic,
        ..
    } = verdict
    else {
        return Ok(None);
    };
    let file = request.file.to_string_lossy().into_owned();
    let extremum = algebraic.as_ref().and_then(|a| a.extremum.as_deref());
    let bytes = match (tree, extremum) {
        (_, Some(proof)) => {
            let cert = theorist_numerics::ExtremumCertificate {
                schema: theorist_numerics::EXTREMUM_SCHEMA.into(),
                file,
                declaration: statement.decl.clone(),
                proof: proof.clone(),
            };
            serde_json::to_vec_pretty(&cert)
        }
        (Some(tree), None) => {
            let cert = theorist_numerics::Certificate {
                schema: theorist_numerics::CERTIFICATE_SCHEMA.into(),
                file,
                declaration: statement.decl.clone(),
                r#box: box_of(statement, config)
                    .into_iter()
                    .map(|(n, lo, hi)| {
                        // An even variable was bisected on its non-negative half only.
                        let lo = if even.contains(&n) {
                            "0".to_string()
                        } else {
                            theorist_numerics::rational_text(&lo)
                        };
                        (n, lo, theorist_numerics::rational_text(&hi))
                    })
                    .collect(),
                tree: tree.clone(),
                even: even.clone(),
            };
            serde_json::to_vec(&cert)
        }
        (None, None) => {
            return Ok(Some(format!(
                "no certificate written to {}: the proof has no bisection tree (an exact or algebraic proof is its own certificate; --no-algebraic forces branch and bound)",
                path.display()
            )));
        }
    };
    let bytes = bytes.map_err(|e| EngineError::Io {
        doing: format!("writing {}", path.display()),
        source: e.into(),
    })?;
    theorist_ci::write_atomic(path, &bytes)
        .map_err(EngineError::io(format!("writing {}", path.display())))?;
    Ok(None)
}
