//! Rigorous interval numerics on Lean arithmetic: enclose an expression's value, decide a
//! declaration's claim (refuted with a certified counterexample, proved, proved on the box
//! only, consistent, or untranslatable), and survey which of a file's theorems translate.
//! Pure CPU work: callers on a runtime run it off the reactor.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_numerics::plot::{Axis, Fixed, PlotConfig, Source, exact_text, parse_range};
use theorist_numerics::{
    CheckConfig, MinimiserReport, Params, Reduction, Statement, Untranslatable, Verdict, box_of,
    check, elab_expression, eval, load, parse_param, rational_range, translate_loaded,
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
    /// `NAME=[LOW, HIGH]`: a variable's range (enclosed like an interval parameter; with
    /// `plot`, the variable plotted).
    pub boxes: Vec<String>,
    /// Where to draw the expression over its one `boxes` variable (SVG).
    pub plot: Option<PathBuf>,
}

/// An enclosure of the expression's value, every bound rounded outward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalReport {
    pub expr: String,
    pub prec: u32,
    /// Lean's type of the value (`ℕ`, `ℤ`, `ℚ`, `ℝ`): numerals are typed as Lean types them.
    pub ty: String,
    pub lower: String,
    pub upper: String,
    pub width: String,
    /// False when the enclosure is unbounded (beyond the floating-point range, or near a
    /// vanishing divisor).
    pub bounded: bool,
    /// The plot written, if one was asked for.
    pub plot: Option<PlotWritten>,
}

/// A plot written to disk: where, over which variables, and where the rest was held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotWritten {
    pub path: PathBuf,
    pub over: Vec<String>,
    /// `(name, value, where the value comes from)`.
    pub held: Vec<(String, String, String)>,
}

impl PlotWritten {
    fn of(path: &Path, plot: &theorist_numerics::plot::Plot) -> PlotWritten {
        use theorist_numerics::plot::Body;
        let over = match &plot.body {
            Body::Line(l) => vec![l.axis.name.clone()],
            Body::Map(m) => vec![m.x.name.clone(), m.y.name.clone()],
        };
        let held = plot
            .fixed
            .iter()
            .map(|f| {
                let value = if f.lo == f.hi {
                    exact_text(&f.lo)
                } else {
                    format!("[{}, {}]", exact_text(&f.lo), exact_text(&f.hi))
                };
                (f.name.clone(), value, f.from.describe().to_string())
            })
            .collect();
        PlotWritten {
            path: path.to_path_buf(),
            over,
            held,
        }
    }

    /// The `plot` member of a report's JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "path": self.path,
            "over": self.over,
            "held": self.held.iter().map(|(n, v, from)| json!({"name": n, "value": v, "from": from})).collect::<Vec<_>>(),
        })
    }

    /// One line for people: `out.svg (over x; y = 1 (--at))`.
    pub fn describe(&self) -> String {
        let held = if self.held.is_empty() {
            String::new()
        } else {
            format!(
                "; held: {}",
                self.held
                    .iter()
                    .map(|(n, v, from)| format!("{n} = {v} ({from})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        format!(
            "{} (over {}{held})",
            self.path.display(),
            self.over.join(" and ")
        )
    }
}

impl EvalReport {
    /// The `theorist.numerics.eval/1` document.
    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "schema": "theorist.numerics.eval/1",
            "expression": self.expr,
            "type": self.ty,
            "precision": self.prec,
            "lower": self.lower,
            "upper": self.upper,
            "width": self.width,
            "bounded": self.bounded,
        });
        if let Some(plot) = &self.plot {
            out["plot"] = plot.to_json();
        }
        out
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
    let plot_over = match (&request.plot, request.boxes.as_slice()) {
        (Some(path), [range]) => Some((path, range)),
        (Some(_), boxes) => {
            return Err(EngineError::bad_input(format!(
                "--plot draws the expression over one variable: give its range with --box NAME=[LOW, HIGH] ({} given); hold the others with --param",
                boxes.len()
            )));
        }
        (None, _) => None,
    };
    let show = |column: usize, message: &str| {
        EngineError::bad_input(format!(
            "{message}\n  {}\n  {}^",
            request.expr,
            " ".repeat(column)
        ))
    };
    let mut params = Params::new();
    for spec in request.params.iter().chain(&request.boxes) {
        let (name, value) = parse_param(spec, request.prec)
            .map_err(|e| EngineError::bad_input(format!("parameter `{spec}`: {e}")))?;
        if params.insert(name.clone(), value).is_some() {
            return Err(EngineError::bad_input(format!(
                "parameter {name} is given twice"
            )));
        }
    }
    let names: Vec<String> = params.keys().cloned().collect();
    let expr = elab_expression(&request.expr, &names)
        .map_err(|e| show(e.column, &format!("cannot read the expression: {e}")))?;
    let value = eval(&expr, &params, request.prec)
        .map_err(|e| EngineError::bad_input(format!("cannot evaluate `{}`: {e}", request.expr)))?;
    let plot = match plot_over {
        Some((path, range)) => Some(plot_expression(path, range, request, &expr)?),
        None => None,
    };
    // The decimal digits a `prec`-bit float carries, plus one.
    let digits = request
        .digits
        .unwrap_or((request.prec as f64 * std::f64::consts::LOG10_2).ceil() as usize + 1)
        .max(2);
    let (lower, upper) = value.to_decimal(digits);
    Ok(EvalReport {
        expr: request.expr.clone(),
        prec: request.prec,
        ty: expr.ty().symbol().to_string(),
        lower,
        upper,
        width: value.width_decimal(3),
        bounded: value.is_bounded(),
        plot,
    })
}

/// Draws the expression over its one `--box` variable, the parameters held, and writes it.
fn plot_expression(
    path: &Path,
    range: &str,
    request: &EvalRequest,
    expr: &theorist_numerics::core::Expr,
) -> Result<PlotWritten, EngineError> {
    let exact =
        |spec: &str| parse_range(spec).map_err(|e| EngineError::bad_input(format!("to plot: {e}")));
    let (name, lo, hi) = exact(range)?;
    let fixed = request
        .params
        .iter()
        .map(|spec| {
            exact(spec).map(|(name, lo, hi)| Fixed {
                name,
                lo,
                hi,
                from: Source::Param,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let axis = Axis {
        name,
        lo,
        hi,
        integral: false,
    };
    let plot = theorist_numerics::plot::plot_expression(
        &request.expr,
        expr,
        axis,
        fixed,
        PlotConfig::default().cells,
        request.prec,
    )
    .map_err(|e| EngineError::bad_input(e.to_string()))?;
    write_bytes(path, theorist_numerics::plot::svg(&plot).as_bytes())?;
    Ok(PlotWritten::of(path, &plot))
}

/// A declaration's claim to decide, and the search's budget.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub file: PathBuf,
    pub decl: String,
    /// `NAME=[LOW, HIGH]` ranges of variables (default: the hypotheses' bounds, else
    /// [-10, 10], norms and naturals [0, 10]).
    pub boxes: Vec<String>,
    /// Random points tried before branch and bound.
    pub samples: usize,
    /// Branch-and-bound budget (sub-boxes).
    pub max_boxes: usize,
    /// Working precision in bits.
    pub prec: u32,
    /// Try the algebraic certificate before branch and bound.
    pub algebraic: bool,
    /// The time budget of the whole check.
    pub time_limit: Duration,
    /// Where to write the proof's certificate: a branch-and-bound proof's bisection tree, or
    /// an exact extremum proof's facts.
    pub cert_out: Option<PathBuf>,
    /// Draw the claim (SVG).
    pub plot: Option<PlotRequest>,
}

/// A plot of the checked claim.
#[derive(Debug, Clone)]
pub struct PlotRequest {
    pub path: PathBuf,
    /// `NAME=VALUE,…`: variables held at exact values (decimals or `p/q`).
    pub at: Vec<String>,
    /// The variables to plot (one: bands; two: a map); empty: theorist chooses.
    pub over: Vec<String>,
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
    /// The claim as theorist read it (hypotheses and conclusion in the typed core).
    pub claim: String,
    /// Vectors (or fields at a point) replaced by their norms, and why that keeps the truth.
    pub reductions: Vec<Reduction>,
    pub verdict: Verdict,
    /// Stationarity and second-order data for `IsMinOn` conclusions.
    pub minimisers: Vec<MinimiserReport>,
    /// The box searched: (variable, low, high).
    pub bx: Vec<(String, String, String)>,
    /// Why no certificate was written although one was asked for.
    pub certificate_note: Option<String>,
    /// The plot written, if one was asked for.
    pub plot: Option<PlotWritten>,
}

/// How a check ended, from best to worst for the claim (front ends map it to exit codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutcome {
    /// Proved for every value the hypotheses allow.
    Proved,
    /// Proved on the box only: some variable ranges beyond it.
    ProvedOnBox,
    /// Neither proved nor refuted within the budgets.
    Consistent,
    /// Not read: nothing was checked.
    Untranslatable,
    /// A certified counterexample.
    Refuted,
}

impl CheckReport {
    pub fn outcome(&self) -> CheckOutcome {
        match self {
            CheckReport::Untranslatable { .. } => CheckOutcome::Untranslatable,
            CheckReport::Checked(c) => match c.verdict {
                Verdict::Proved { .. } => CheckOutcome::Proved,
                Verdict::ProvedOnBox { .. } => CheckOutcome::ProvedOnBox,
                Verdict::Consistent { .. } => CheckOutcome::Consistent,
                Verdict::Refuted { .. } => CheckOutcome::Refuted,
            },
        }
    }

    /// The `theorist.numerics.check/2` document.
    pub fn to_json(&self) -> Value {
        let c = match self {
            CheckReport::Untranslatable { decl, reason } => {
                return json!({"schema": "theorist.numerics.check/2", "declaration": decl, "verdict": "untranslatable", "reason": reason});
            }
            CheckReport::Checked(c) => c,
        };
        let mut out =
            serde_json::to_value(&c.verdict).unwrap_or_else(|e| json!({"error": e.to_string()}));
        out["schema"] = json!("theorist.numerics.check/2");
        out["declaration"] = json!(c.decl);
        out["claim"] = json!(c.claim);
        out["box"] =
            c.bx.iter()
                .map(|(n, lo, hi)| (n.clone(), json!([lo, hi])))
                .collect::<serde_json::Map<_, _>>()
                .into();
        if !c.reductions.is_empty() {
            out["reductions"] = serde_json::to_value(&c.reductions).unwrap_or_default();
        }
        if !c.minimisers.is_empty() {
            out["minimisers"] = serde_json::to_value(&c.minimisers).unwrap_or_default();
        }
        if let Some(plot) = &c.plot {
            out["plot"] = plot.to_json();
        }
        out
    }
}

pub fn numerics_check(request: &CheckRequest) -> Result<CheckReport, EngineError> {
    check_precision(request.prec)?;
    let decl = &request.decl;
    let text = read_lean_file(&request.file)?;
    if request.time_limit.is_zero() {
        return Err(EngineError::bad_input(
            "the time limit must be a positive number of seconds",
        ));
    }
    let config = check_config(request)?;
    let loaded = load(&request.file, &text).map_err(|e| EngineError::bad_input(e.to_string()))?;
    let statement = match translate_loaded(&loaded, decl) {
        Ok(s) => s,
        // "no declaration named `x`", or "`x` is ambiguous: it names A.x, B.x".
        Err(e @ (Untranslatable::NoDecl { .. } | Untranslatable::AmbiguousDecl { .. })) => {
            return Err(EngineError::bad_input(e.to_string()));
        }
        // The reason names the construct and its file:line:col.
        Err(e) => {
            return Ok(CheckReport::Untranslatable {
                decl: decl.clone(),
                reason: e.to_string(),
            });
        }
    };
    check_box_names(&statement, &config)?;
    // A plot's names and values are checked before the (long) check runs.
    let plot_config = match &request.plot {
        Some(p) => Some(plot_config(p, &statement, &config)?),
        None => None,
    };
    let verdict = check(&statement, &config);
    let minimisers = match verdict {
        Verdict::Refuted { .. } => Vec::new(),
        _ => theorist_numerics::minimisers(&statement, &config),
    };
    let certificate_note = match &request.cert_out {
        Some(path) => write_certificate(path, request, &statement, &config, &verdict)?,
        None => None,
    };
    let plot = match (&request.plot, &plot_config) {
        (Some(p), Some(plot_config)) => {
            let plot = theorist_numerics::plot::plot_claim(
                &statement,
                &config,
                &verdict,
                &minimisers,
                plot_config,
            )
            .map_err(|e| EngineError::bad_input(e.to_string()))?;
            write_bytes(&p.path, theorist_numerics::plot::svg(&plot).as_bytes())?;
            Some(PlotWritten::of(&p.path, &plot))
        }
        _ => None,
    };
    let bx = box_of(&statement, &config)
        .into_iter()
        .map(|(n, lo, hi)| (n, lo.to_string(), hi.to_string()))
        .collect();
    Ok(CheckReport::Checked(Box::new(Checked {
        decl: statement.decl.clone(),
        claim: statement.claim_text(),
        reductions: statement.reductions.clone(),
        verdict,
        minimisers,
        bx,
        certificate_note,
        plot,
    })))
}

/// The check's budgets and the boxes asked for (`NAME=[LOW, HIGH]`, exact decimal bounds).
fn check_config(request: &CheckRequest) -> Result<CheckConfig, EngineError> {
    let mut config = CheckConfig {
        samples: request.samples,
        max_boxes: request.max_boxes,
        prec: request.prec,
        algebraic: request.algebraic,
        time_limit: request.time_limit,
        ..CheckConfig::default()
    };
    for spec in &request.boxes {
        let bad = || {
            EngineError::bad_input(format!(
                "box `{spec}` is not NAME=[LOW, HIGH] with decimal bounds (exponents within ±100000)"
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
    Ok(config)
}

/// Every box asked for must name a variable of the statement: a misspelt one would otherwise
/// be ignored silently.
fn check_box_names(statement: &Statement, config: &CheckConfig) -> Result<(), EngineError> {
    let names = statement.variable_names();
    match config.boxes.keys().find(|name| !names.contains(name)) {
        Some(name) => Err(EngineError::bad_input(format!(
            "box: `{name}` is not a variable of {} (variables: {})",
            statement.decl,
            names.join(", ")
        ))),
        None => Ok(()),
    }
}

/// The plot asked for, its `--at` values and `--over` names checked against the statement.
fn plot_config(
    plot: &PlotRequest,
    statement: &Statement,
    config: &CheckConfig,
) -> Result<PlotConfig, EngineError> {
    let plot_config = PlotConfig {
        at: theorist_numerics::plot::parse_at(&plot.at)
            .map_err(|e| EngineError::bad_input(e.to_string()))?,
        over: plot.over.clone(),
        ..PlotConfig::default()
    };
    theorist_numerics::plot::validate(statement, config, &plot_config)
        .map_err(|e| EngineError::bad_input(e.to_string()))?;
    Ok(plot_config)
}

/// Writes the proof's certificate to `path`: an exact extremum proof's facts, or a
/// branch-and-bound proof's bisection tree (both re-checked by `numerics recheck`). Says why
/// not when the proof has neither (an exact or algebraic proof is its own certificate).
fn write_certificate(
    path: &Path,
    request: &CheckRequest,
    statement: &Statement,
    config: &CheckConfig,
    verdict: &Verdict,
) -> Result<Option<String>, EngineError> {
    // An `IsMinOn`/`IsMaxOn` claim proved exactly: the proof's data.
    let file_name = request.file.to_string_lossy();
    if let Some(cert) = theorist_numerics::extremum_certificate(statement, &file_name, verdict) {
        write_json(path, serde_json::to_vec_pretty(&cert))?;
        return Ok(None);
    }
    let (tree, even) = match verdict {
        Verdict::Proved {
            tree: Some(tree),
            even,
            ..
        }
        | Verdict::ProvedOnBox {
            tree: Some(tree),
            even,
            ..
        } => (tree, even),
        Verdict::Proved { .. } | Verdict::ProvedOnBox { .. } => {
            return Ok(Some(format!(
                "no certificate written to {}: the proof has no bisection tree (an exact or algebraic proof is its own certificate; --no-algebraic forces branch and bound)",
                path.display()
            )));
        }
        _ => return Ok(None),
    };
    let cert = theorist_numerics::Certificate {
        schema: theorist_numerics::CERTIFICATE_SCHEMA.into(),
        file: request.file.to_string_lossy().into_owned(),
        declaration: statement.decl.clone(),
        claim: statement.claim_text(),
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
    write_json(path, serde_json::to_vec(&cert))?;
    Ok(None)
}

/// Writes a serialised certificate atomically; either step failing is the same I/O error.
fn write_json(path: &Path, bytes: serde_json::Result<Vec<u8>>) -> Result<(), EngineError> {
    match bytes {
        Ok(bytes) => write_bytes(path, &bytes),
        Err(e) => Err(EngineError::io(format!("writing {}", path.display()))(
            e.into(),
        )),
    }
}

/// Writes a file atomically (a killed run never leaves half of it).
fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    theorist_ci::write_atomic(path, bytes)
        .map_err(EngineError::io(format!("writing {}", path.display())))
}

/// One theorem of a surveyed file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SurveyRow {
    pub file: PathBuf,
    pub declaration: String,
    /// Translated into the typed core.
    pub translated: bool,
    /// A scalar ℝ/ℚ statement by its syntax alone (independent of what theorist reads).
    pub scalar: bool,
    /// The claim as read, or why it is untranslatable (naming the construct and its place).
    pub detail: String,
}

/// The `theorist.numerics.survey/1` document.
pub fn survey_to_json(rows: &[SurveyRow]) -> Value {
    json!({
        "schema": "theorist.numerics.survey/1",
        "declarations": rows.iter().map(|r| json!({
            "file": r.file,
            "declaration": r.declaration,
            "status": if r.translated { "translated" } else { "untranslatable" },
            "scalar": r.scalar,
            "detail": r.detail,
        })).collect::<Vec<_>>(),
    })
}

/// Which theorems of the files (with their imports) translate: the front end's coverage.
pub fn numerics_survey(files: &[PathBuf]) -> Result<Vec<SurveyRow>, EngineError> {
    let mut rows = Vec::new();
    for file in files {
        let text = read_lean_file(file)?;
        let loaded = load(file, &text).map_err(|e| EngineError::bad_input(e.to_string()))?;
        for decl in theorist_numerics::theorems(&loaded) {
            let (translated, detail) = match translate_loaded(&loaded, &decl) {
                Ok(s) => (true, s.claim_text()),
                Err(e) => (false, e.to_string()),
            };
            rows.push(SurveyRow {
                file: file.clone(),
                scalar: theorist_numerics::is_scalar(&loaded, &decl),
                declaration: decl,
                translated,
                detail,
            });
        }
    }
    Ok(rows)
}
