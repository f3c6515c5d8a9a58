//! `theorist numerics`: rigorous interval evaluation of Lean arithmetic, numerical checks of
//! Lean statements, certificate re-checks, and a survey of a file's statements.

use anyhow::bail;
use theorist_numerics::{Budget, Verdict};

use super::{Exit, GlobalArgs};
use crate::engine::lean::parse_decl_target;
use crate::engine::numerics::{
    CheckOutcome, CheckReport, CheckRequest, Checked, EvalRequest, PlotRequest, numerics_check,
    numerics_eval, numerics_survey, survey_to_json,
};
use crate::engine::recheck::numerics_recheck;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Enclose the value of an expression in Lean syntax, e.g. "Real.sqrt 2 * Real.pi".
    Eval(EvalArgs),
    /// Cross-check a Lean statement numerically: refuted (certified counterexample), proved,
    /// proved on the box only, consistent, or untranslatable.
    Check(CheckArgs),
    /// Re-check a proof certificate with exact rational interval arithmetic.
    Recheck(RecheckArgs),
    /// Translate every theorem of Lean files (with their imports) and say which read as
    /// scalar claims: the coverage of the numerics front end.
    Survey(SurveyArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// FILE:Decl.Name (the file's definitions and its imports' are unfolded where applied).
    pub target: String,
    /// The range of a variable: NAME=[LOW, HIGH] (repeatable; default: the hypotheses'
    /// bounds, else [-10, 10], norms and naturals [0, 10]).
    #[arg(long = "box", value_name = "NAME=[LOW, HIGH]")]
    pub boxes: Vec<String>,
    /// Random points tried before branch and bound.
    #[arg(long, default_value_t = 2000)]
    pub samples: usize,
    /// Branch-and-bound budget (sub-boxes).
    #[arg(long, default_value_t = 20_000)]
    pub max_boxes: usize,
    /// Working precision in bits.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(53..=65536))]
    pub prec: u32,
    /// Time budget of the whole check, in seconds.
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    /// Skip the algebraic certificate and decide by branch and bound only (for a bisection-tree
    /// certificate of a polynomial claim).
    #[arg(long)]
    pub no_algebraic: bool,
    /// Where to write the proof certificate (a branch-and-bound proof's bisection tree), for
    /// `theorist numerics recheck`.
    #[arg(long, value_name = "PATH")]
    pub cert_out: Option<std::path::PathBuf>,
    /// Draw the claim to this SVG file: over one variable, each side's certified enclosure
    /// as a band and each cell shaded by whether the claim holds there; over two, a map of
    /// the box; the counterexample, minimiser and stalls marked.
    #[arg(long, value_name = "PATH")]
    pub plot: Option<std::path::PathBuf>,
    /// Hold variables at exact values in the plot: NAME=VALUE,… (decimals or p/q; default:
    /// the counterexample, the minimiser report's parameters, or a point where the
    /// hypotheses hold).
    #[arg(long, value_name = "NAME=VALUE,…", requires = "plot")]
    pub at: Vec<String>,
    /// The variable to plot (one: bands; two, comma-separated: a map; default: the variables
    /// --at leaves free, or the two that move the claim most).
    #[arg(
        long,
        value_name = "NAME[,NAME]",
        value_delimiter = ',',
        requires = "plot"
    )]
    pub over: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct RecheckArgs {
    /// A certificate written by `theorist numerics check --cert-out`.
    pub certificate: std::path::PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    /// Lean files.
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The expression (Lean 4 syntax, read under `open Real`: + - * / % ^, Real.sqrt/exp/
    /// log/sin/cos/tan/arctan/sinh/cosh/tanh, π, |x|, √x, ascriptions (2 : ℝ)). Numerals are
    /// typed as Lean types them: `7 / 2` is the natural number 3.
    #[arg(allow_hyphen_values = true)]
    pub expr: String,
    /// A real parameter: NAME=DECIMAL or NAME=[LOW, HIGH] (repeatable).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Working precision in bits (53 to 65536).
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(53..=65536))]
    pub prec: u32,
    /// Significant decimal digits to print (default: as many as the precision carries).
    #[arg(long)]
    pub digits: Option<usize>,
    /// A variable's range: NAME=[LOW, HIGH] (the value is enclosed over it; with --plot, the
    /// variable plotted).
    #[arg(long = "box", value_name = "NAME=[LOW, HIGH]")]
    pub boxes: Vec<String>,
    /// Draw the expression over its --box variable to this SVG file: its certified enclosure
    /// on each of 400 cells as a band.
    #[arg(long, value_name = "PATH")]
    pub plot: Option<std::path::PathBuf>,
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    match cmd {
        Command::Eval(args) => run_eval(args, global),
        Command::Check(args) => run_check(args, global),
        Command::Recheck(args) => run_recheck(args, global),
        Command::Survey(args) => run_survey(args, global),
    }
}

fn run_eval(args: EvalArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let report = numerics_eval(&EvalRequest {
        expr: args.expr,
        params: args.params,
        prec: args.prec,
        digits: args.digits,
        boxes: args.boxes,
        plot: args.plot,
    })?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        println!("[{}, {}]", report.lower, report.upper);
        println!(
            "width ≤ {} at {} bits, type {} (every bound rounded outward{})",
            report.width,
            report.prec,
            report.ty,
            if report.bounded {
                ""
            } else {
                "; unbounded: beyond the floating-point range or near a vanishing divisor"
            }
        );
        if let Some(plot) = &report.plot {
            println!("plot: {}", plot.describe());
        }
    }
    Ok(Exit::Passed)
}

fn run_check(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let target = parse_decl_target(&args.target);
    let Some(decl) = target.decl else {
        bail!("`{}` names no declaration: use FILE:Decl.Name", args.target);
    };
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        bail!("--time-limit must be a positive number of seconds");
    }
    let args_plot_asked = args.plot.is_some();
    let report = numerics_check(&CheckRequest {
        file: target.file,
        decl,
        boxes: args.boxes,
        samples: args.samples,
        max_boxes: args.max_boxes,
        prec: args.prec,
        algebraic: !args.no_algebraic,
        time_limit: std::time::Duration::from_secs_f64(args.time_limit),
        cert_out: args.cert_out,
        plot: args.plot.map(|path| PlotRequest {
            path,
            at: args.at,
            over: args.over,
        }),
    })?;
    if let CheckReport::Checked(c) = &report
        && let Some(note) = &c.certificate_note
    {
        eprintln!("note: {note}");
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        match &report {
            CheckReport::Untranslatable { reason, .. } => {
                println!("untranslatable: {reason}");
                println!("  nothing was checked: theorist does not check what it cannot read");
                if args_plot_asked {
                    println!("  no plot written: there is no claim to draw");
                }
            }
            CheckReport::Checked(c) => {
                print_verdict(c);
                for m in &c.minimisers {
                    print_minimiser(m);
                }
                if let Some(plot) = &c.plot {
                    println!("  plot: {}", plot.describe());
                }
            }
        }
    }
    Ok(match report.outcome() {
        CheckOutcome::Proved => Exit::Passed,
        CheckOutcome::ProvedOnBox => Exit::OnlyOnBox,
        CheckOutcome::Consistent => Exit::Undecided,
        CheckOutcome::Untranslatable => Exit::NotChecked,
        CheckOutcome::Refuted => Exit::CheckFailed,
    })
}

fn print_verdict(c: &Checked) {
    let on_box = box_text(&c.bx);
    let name = &c.decl;
    match &c.verdict {
        Verdict::Refuted {
            counterexample,
            certified_by,
        } => {
            println!("{name}: refuted ({certified_by})");
            print_point(counterexample);
        }
        Verdict::Proved {
            boxes: 0,
            method,
            algebraic,
            witness,
            ..
        } => {
            println!("{name}: proved ({method})");
            if let Some(a) = algebraic {
                print_algebraic(a);
            }
            if let Some(w) = witness {
                print_point(w);
            }
        }
        Verdict::Proved {
            boxes,
            method,
            even,
            ..
        } => {
            println!(
                "{name}: proved ({method}, {boxes} sub-boxes of {on_box}, the range the hypotheses allow{})",
                symmetry(even)
            );
        }
        Verdict::ProvedOnBox {
            boxes,
            method,
            even,
            algebraic,
            unconfined,
            ..
        } => {
            println!(
                "{name}: proved on the box {on_box} only ({method}{}{}); {} range beyond it, where nothing was checked",
                if *boxes > 0 {
                    format!(", {boxes} sub-boxes")
                } else {
                    String::new()
                },
                symmetry(even),
                unconfined.join(", ")
            );
            if let Some(a) = algebraic {
                print_algebraic(a);
            }
        }
        Verdict::Consistent { .. } => print_consistent(c, &on_box),
    }
    println!("  read as: {}", c.claim);
    for r in &c.reductions {
        println!("  reduction: {} — {}", r.variable, r.why);
    }
}

/// `x ∈ [lo, hi], …`, or `(no variables)`.
fn box_text(bx: &[(String, String, String)]) -> String {
    if bx.is_empty() {
        "(no variables)".to_string()
    } else {
        bx.iter()
            .map(|(n, lo, hi)| format!("{n} ∈ [{lo}, {hi}]"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A counterexample or witness, one variable a line.
fn print_point(point: &std::collections::BTreeMap<String, String>) {
    for (k, v) in point {
        println!("  {k} := {v}");
    }
}

fn print_algebraic(a: &theorist_numerics::Algebraic) {
    println!("  {}, valid at {}:", a.kind, a.scope);
    for identity in &a.identities {
        println!("    {identity}");
    }
    println!("  Lean hint: {}", a.lean_hint.replace('\n', "\n    "));
}

/// Neither proved nor refuted: how far the search went, and where bisection stalled.
fn print_consistent(c: &Checked, on_box: &str) {
    let Verdict::Consistent {
        samples,
        boxes,
        unresolved,
        budget,
        stalled_near,
    } = &c.verdict
    else {
        return;
    };
    let name = &c.decl;
    if c.bx.is_empty() || *boxes == 0 {
        println!(
            "{name}: consistent: no counterexample in {samples} points; not proved ({})",
            budget.describe()
        );
    } else {
        println!(
            "{name}: consistent on the box {on_box}: no counterexample in {samples} points; not proved ({unresolved} of {boxes} sub-boxes undecided: {})",
            budget.describe()
        );
    }
    if *budget != Budget::Depth && stalled_near.is_empty() {
        return;
    }
    for stall in stalled_near {
        let at = stall
            .at
            .iter()
            .map(|(k, v)| format!("{k} ≈ {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        match stall.difference {
            Some(d) if d.abs() < 1e-9 => println!(
                "  bisection stalled near {at}, where rhs - lhs ≈ {d:e}: a bound attained there"
            ),
            Some(d) => println!("  bisection stalled near {at}, where rhs - lhs ≈ {d:e}"),
            None => println!(
                "  bisection stalled near {at} (rhs - lhs undefined there: a divisor that vanishes?)"
            ),
        }
    }
}

fn symmetry(even: &[String]) -> String {
    if even.is_empty() {
        String::new()
    } else {
        format!("; even in {}: bisected on the half ≥ 0", even.join(", "))
    }
}

fn print_minimiser(m: &theorist_numerics::MinimiserReport) {
    let at = m.at.as_deref().unwrap_or("the claimed point");
    println!("  {} at x₀ = {at}:", m.kind);
    match m.stationary_exactly {
        Some(true) => println!("    f'(x₀) = 0 identically (exact)"),
        Some(false) => println!("    f'(x₀) is not identically 0 (exact)"),
        None => {}
    }
    if let (Some(d2), Some(sign)) = (&m.second_derivative, m.second_derivative_sign) {
        println!("    f''(x₀) = {d2}: {sign} under the hypotheses");
    }
    if let Some(s) = &m.sample {
        let point = s
            .parameters
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "    at {point}: x₀ ∈ {}, f'(x₀) ∈ {} ({}), Hessian eigenvalues {:?} ≥ {:e}: {}",
            s.x0,
            s.gradient,
            if s.stationary {
                "contains 0"
            } else {
                "excludes 0: not stationary"
            },
            s.hessian_eigenvalues,
            s.smallest_eigenvalue_at_least,
            s.second_order
        );
    }
}

fn run_recheck(args: RecheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let report = numerics_recheck(&args.certificate)?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        match (&report.outcome, report.box_text()) {
            (Ok(n), Some(on_box)) => {
                println!(
                    "{}: certificate accepted ({n} sub-boxes re-checked with exact rational arithmetic)",
                    report.declaration
                );
                println!("  claim: {}", report.claim);
                println!("  on the box: {on_box}");
            }
            (Ok(n), None) => {
                println!(
                    "{}: certificate accepted ({n} facts of the extremum proof re-checked with exact rational arithmetic)",
                    report.declaration
                );
                println!("  claim: {}", report.claim);
            }
            (Err(e), _) => println!("{}: certificate rejected: {e}", report.declaration),
        }
    }
    Ok(if report.accepted() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}

fn run_survey(args: SurveyArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let rows = numerics_survey(&args.files)?;
    if global.json {
        let out = survey_to_json(&rows);
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for r in &rows {
            println!(
                "{}: {}: {} ({}): {}",
                r.file.display(),
                r.declaration,
                if r.translated {
                    "translated"
                } else {
                    "untranslatable"
                },
                if r.scalar { "scalar" } else { "not scalar" },
                r.detail
            );
        }
        let translated = rows.iter().filter(|r| r.translated).count();
        let scalar = rows.iter().filter(|r| r.scalar).count();
        let both = rows.iter().filter(|r| r.scalar && r.translated).count();
        println!(
            "{translated} of {} theorems translated; {both} of the {scalar} scalar ℝ/ℚ statements",
            rows.len()
        );
    }
    Ok(Exit::Passed)
}
