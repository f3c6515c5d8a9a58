//! `theorist numerics`: rigorous interval evaluation of Lean arithmetic.

use anyhow::bail;
use theorist_numerics::Verdict;

use super::{Exit, GlobalArgs};
use crate::engine::lean::{parse_decl_target, read_lean_file};
use crate::engine::numerics::{
    CheckReport, CheckRequest, EvalRequest, numerics_check, numerics_eval,
};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Enclose the value of an expression in Lean syntax, e.g. "Real.sqrt 2 * Real.pi".
    Eval(EvalArgs),
    /// Cross-check a Lean statement numerically: refuted (certified counterexample), proved
    /// on a box, consistent, or untranslatable.
    Check(CheckArgs),
    /// Re-check a proof certificate with exact rational interval arithmetic.
    Recheck(RecheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// FILE:Decl.Name (the file's arithmetic definitions are inlined).
    pub target: String,
    /// The range of a variable: NAME=[LOW, HIGH] (repeatable; default [-10, 10], norms [0, 10]).
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
    /// Skip the algebraic certificate and decide by branch and bound only (for a bisection-tree
    /// certificate of a polynomial claim).
    #[arg(long)]
    pub no_algebraic: bool,
    /// Where to write the proof certificate (a branch-and-bound proof's bisection tree, or an
    /// extremum proof's facts), for `theorist numerics recheck`.
    #[arg(long, value_name = "PATH")]
    pub cert_out: Option<std::path::PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RecheckArgs {
    /// A certificate written by `theorist numerics check --cert-out`.
    pub certificate: std::path::PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The expression (Lean 4 syntax: + - * / ^ with natural exponents, Real.sqrt/exp/log/
    /// sin/cos/arctan/sinh/cosh/tanh, Real.pi or π, |x|, √x, (2 : ℝ)).
    #[arg(allow_hyphen_values = true)]
    pub expr: String,
    /// A parameter: NAME=DECIMAL or NAME=[LOW, HIGH] (repeatable).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Working precision in bits (53 to 65536).
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(53..=65536))]
    pub prec: u32,
    /// Significant decimal digits to print (default: as many as the precision carries).
    #[arg(long)]
    pub digits: Option<usize>,
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    match cmd {
        Command::Eval(args) => run_eval(args, global),
        Command::Check(args) => run_check(args, global),
        Command::Recheck(args) => run_recheck(args, global),
    }
}

fn run_eval(args: EvalArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let report = numerics_eval(&EvalRequest {
        expr: args.expr,
        params: args.params,
        prec: args.prec,
        digits: args.digits,
    })?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        println!("[{}, {}]", report.lower, report.upper);
        println!(
            "width ≤ {} at {} bits (every bound rounded outward)",
            report.width, report.prec
        );
    }
    Ok(Exit::Passed)
}

fn run_check(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let target = parse_decl_target(&args.target);
    let Some(decl) = target.decl else {
        bail!("`{}` names no declaration: use FILE:Decl.Name", args.target);
    };
    let report = numerics_check(&CheckRequest {
        file: target.file,
        decl,
        boxes: args.boxes,
        samples: args.samples,
        max_boxes: args.max_boxes,
        prec: args.prec,
        algebraic: !args.no_algebraic,
        cert_out: args.cert_out,
    })?;
    if let CheckReport::Checked(c) = &report
        && let Some(note) = &c.certificate_note
    {
        eprintln!("note: {note}");
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print_check(&report);
    }
    Ok(if report.passed() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}

fn print_check(report: &CheckReport) {
    let c = match report {
        CheckReport::Untranslatable { reason, .. } => {
            println!("untranslatable: {reason}");
            return;
        }
        CheckReport::Checked(c) => c,
    };
    let on_box =
        c.bx.iter()
            .map(|(n, lo, hi)| format!("{n} ∈ [{lo}, {hi}]"))
            .collect::<Vec<_>>()
            .join(", ");
    match &c.verdict {
        Verdict::Refuted {
            counterexample,
            certified_by,
        } => {
            println!("{}: refuted ({certified_by})", c.decl);
            for (k, v) in counterexample {
                println!("  {k} := {v}");
            }
        }
        Verdict::Proved {
            boxes: 0,
            method,
            algebraic,
            ..
        } => {
            println!("{}: proved ({method})", c.decl);
            if let Some(a) = algebraic {
                println!("  {}, valid at {}:", a.kind, a.scope);
                for identity in &a.identities {
                    println!("    {identity}");
                }
                println!("  Lean hint: {}", a.lean_hint.replace('\n', "\n    "));
            }
        }
        Verdict::Proved {
            boxes,
            method,
            even,
            ..
        } => {
            let symmetry = if even.is_empty() {
                String::new()
            } else {
                format!("; even in {}: bisected on the half ≥ 0", even.join(", "))
            };
            println!(
                "{}: proved on the box {on_box} ({method}, {boxes} sub-boxes{symmetry})",
                c.decl
            )
        }
        Verdict::Consistent {
            samples,
            boxes,
            unresolved,
            stalled_near,
        } => {
            println!(
                "{}: consistent on the box {on_box}: no counterexample in {samples} points; not proved ({unresolved} of {boxes} sub-boxes undecided, and no algebraic certificate applies)",
                c.decl
            );
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
                    Some(d) => {
                        println!("  bisection stalled near {at}, where rhs - lhs ≈ {d:e}")
                    }
                    None => println!(
                        "  bisection stalled near {at} (rhs - lhs undefined there: a divisor that vanishes?)"
                    ),
                }
            }
        }
    }
    for m in &c.minimisers {
        print_minimiser(m);
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
    use anyhow::Context;
    let text = std::fs::read_to_string(&args.certificate)
        .with_context(|| format!("cannot read {}", args.certificate.display()))?;
    let not_a_certificate = |e: serde_json::Error| {
        anyhow::anyhow!("{}: not a certificate: {e}", args.certificate.display())
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(not_a_certificate)?;
    if value["schema"] == theorist_numerics::EXTREMUM_SCHEMA {
        let cert: theorist_numerics::ExtremumCertificate =
            serde_json::from_value(value).map_err(not_a_certificate)?;
        return recheck_extremum(&cert, global);
    }
    let cert: theorist_numerics::Certificate =
        serde_json::from_value(value).map_err(not_a_certificate)?;
    if cert.schema != theorist_numerics::CERTIFICATE_SCHEMA {
        bail!(
            "{}: unknown certificate schema `{}`",
            args.certificate.display(),
            cert.schema
        );
    }
    let source = read_lean_file(std::path::Path::new(&cert.file))?;
    let statement = theorist_numerics::translate(&source, &cert.declaration)
        .map_err(|e| anyhow::anyhow!("{}: {e}", cert.file))?;
    let outcome = theorist_numerics::recheck(&statement, &cert);
    if global.json {
        let out = match &outcome {
            Ok(n) => {
                serde_json::json!({"schema": "theorist.numerics.recheck/1", "accepted": true, "leaves": n, "declaration": cert.declaration})
            }
            Err(e) => {
                serde_json::json!({"schema": "theorist.numerics.recheck/1", "accepted": false, "reason": e.to_string(), "declaration": cert.declaration})
            }
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        match &outcome {
            Ok(n) => println!(
                "{}: certificate accepted ({n} sub-boxes re-checked with exact rational arithmetic)",
                cert.declaration
            ),
            Err(e) => println!("{}: certificate rejected: {e}", cert.declaration),
        }
    }
    Ok(if outcome.is_ok() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}

/// `numerics recheck` on an extremum certificate: its proof's facts re-checked exactly.
fn recheck_extremum(
    cert: &theorist_numerics::ExtremumCertificate,
    global: &GlobalArgs,
) -> anyhow::Result<Exit> {
    let source = read_lean_file(std::path::Path::new(&cert.file))?;
    let statement = theorist_numerics::translate(&source, &cert.declaration)
        .map_err(|e| anyhow::anyhow!("{}: {e}", cert.file))?;
    let outcome = theorist_numerics::recheck_extremum(&statement, cert);
    if global.json {
        let out = match &outcome {
            Ok(n) => {
                serde_json::json!({"schema": "theorist.numerics.recheck/1", "accepted": true, "facts": n, "declaration": cert.declaration})
            }
            Err(e) => {
                serde_json::json!({"schema": "theorist.numerics.recheck/1", "accepted": false, "reason": e.to_string(), "declaration": cert.declaration})
            }
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        match &outcome {
            Ok(n) => println!(
                "{}: certificate accepted ({n} facts of the extremum proof re-checked with exact rational arithmetic)",
                cert.declaration
            ),
            Err(e) => println!("{}: certificate rejected: {e}", cert.declaration),
        }
    }
    Ok(if outcome.is_ok() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}
