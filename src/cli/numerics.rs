//! `theorist numerics`: rigorous interval evaluation of Lean arithmetic.

use anyhow::bail;
use theorist_numerics::{Params, eval, parse, parse_param};

use super::{Exit, GlobalArgs};

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
    /// Where to write the proof certificate (a branch-and-bound proof's bisection tree), for
    /// `theorist numerics recheck`.
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
    let show = |column: usize, message: &str| -> anyhow::Error {
        anyhow::anyhow!("{message}\n  {}\n  {}^", args.expr, " ".repeat(column))
    };
    let expr = parse(&args.expr)
        .map_err(|e| show(e.column, &format!("cannot read the expression: {e}")))?;
    let mut params = Params::new();
    for spec in &args.params {
        let (name, value) =
            parse_param(spec, args.prec).map_err(|e| anyhow::anyhow!("--param: {e}"))?;
        if params.insert(name.clone(), value).is_some() {
            bail!("--param: {name} is given twice");
        }
    }
    let value = eval(&expr, &params, args.prec).map_err(|e| {
        let column = match &e {
            theorist_numerics::EvalError::UnknownIdentifier { column, .. }
            | theorist_numerics::EvalError::BadNumber { column, .. }
            | theorist_numerics::EvalError::Domain { column, .. } => *column,
            _ => 0,
        };
        show(column, &format!("cannot evaluate: {e}"))
    })?;
    // The decimal digits a `prec`-bit float carries, plus one.
    let digits = args
        .digits
        .unwrap_or((args.prec as f64 * std::f64::consts::LOG10_2).ceil() as usize + 1)
        .max(2);
    let (lower, upper) = value.to_decimal(digits);
    let width = value.width_decimal(3);
    if global.json {
        let out = serde_json::json!({
            "schema": "theorist.numerics.eval/1",
            "expression": args.expr,
            "precision": args.prec,
            "lower": lower,
            "upper": upper,
            "width": width,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("[{lower}, {upper}]");
        println!(
            "width ≤ {width} at {} bits (every bound rounded outward)",
            args.prec
        );
    }
    Ok(Exit::Passed)
}

fn run_check(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    use theorist_numerics::{
        CheckConfig, Untranslatable, Verdict, box_of, check, rational_range, translate,
    };
    let target = super::leanenv::parse_decl_target(&args.target);
    let Some(decl) = target.decl else {
        bail!("`{}` names no declaration: use FILE:Decl.Name", args.target);
    };
    let text = super::leanenv::read_lean_file(&target.file)?;
    let mut config = CheckConfig {
        samples: args.samples,
        max_boxes: args.max_boxes,
        prec: args.prec,
        algebraic: !args.no_algebraic,
        ..CheckConfig::default()
    };
    for spec in &args.boxes {
        let bad = || anyhow::anyhow!("--box `{spec}` is not NAME=[LOW, HIGH] with decimal bounds");
        let (name, range) = spec.split_once('=').ok_or_else(bad)?;
        let (lo, hi) = rational_range(range).ok_or_else(bad)?;
        if lo > hi {
            bail!("--box `{spec}`: the range is empty");
        }
        config.boxes.insert(name.trim().to_string(), (lo, hi));
    }
    let statement = match translate(&text, &decl) {
        Ok(s) => s,
        Err(Untranslatable::NoDecl { reason, .. }) => {
            // "no declaration named `x`", or "`x` is ambiguous: it names A.x, B.x".
            bail!("{}: {reason}", target.file.display())
        }
        Err(e) => {
            let reason = format!("{}: {e}", target.file.display());
            if global.json {
                let out = serde_json::json!({"schema": "theorist.numerics.check/1", "declaration": decl, "verdict": "untranslatable", "reason": reason});
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("untranslatable: {reason}");
            }
            return Ok(Exit::CheckFailed);
        }
    };
    let names = statement.variable_names();
    for name in config.boxes.keys() {
        if !names.contains(name) {
            bail!(
                "--box: `{name}` is not a variable of {} (variables: {})",
                statement.decl,
                names.join(", ")
            );
        }
    }
    let verdict = check(&statement, &config);
    // Stationarity and second-order data for `IsMinOn` conclusions, beside the bound's verdict.
    let minimisers = match verdict {
        Verdict::Refuted { .. } => Vec::new(),
        _ => theorist_numerics::minimisers(&statement, &config),
    };
    if let (
        Some(path),
        Verdict::Proved {
            tree: Some(tree),
            even,
            ..
        },
    ) = (&args.cert_out, &verdict)
    {
        let cert = theorist_numerics::Certificate {
            schema: theorist_numerics::CERTIFICATE_SCHEMA.into(),
            file: target.file.to_string_lossy().into_owned(),
            declaration: statement.decl.clone(),
            r#box: box_of(&statement, &config)
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
        let bytes = serde_json::to_vec(&cert)?;
        theorist_ci::write_atomic(path, &bytes)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    }
    if let (Some(path), Verdict::Proved { tree: None, .. }) = (&args.cert_out, &verdict) {
        eprintln!(
            "note: no certificate written to {}: the proof has no bisection tree (an exact or algebraic proof is its own certificate; --no-algebraic forces branch and bound)",
            path.display()
        );
    }
    let bx: Vec<(String, String, String)> = box_of(&statement, &config)
        .into_iter()
        .map(|(n, lo, hi)| (n, lo.to_string(), hi.to_string()))
        .collect();
    if global.json {
        let mut out = serde_json::to_value(&verdict)?;
        out["schema"] = serde_json::json!("theorist.numerics.check/1");
        out["declaration"] = serde_json::json!(statement.decl);
        out["box"] = bx
            .iter()
            .map(|(n, lo, hi)| (n.clone(), serde_json::json!([lo, hi])))
            .collect::<serde_json::Map<_, _>>()
            .into();
        if !minimisers.is_empty() {
            out["minimisers"] = serde_json::to_value(&minimisers)?;
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        let on_box = bx
            .iter()
            .map(|(n, lo, hi)| format!("{n} ∈ [{lo}, {hi}]"))
            .collect::<Vec<_>>()
            .join(", ");
        match &verdict {
            Verdict::Refuted {
                counterexample,
                certified_by,
            } => {
                println!("{}: refuted ({certified_by})", statement.decl);
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
                println!("{}: proved ({method})", statement.decl);
                if let Some(a) = algebraic {
                    println!("  {}, valid at {}:", a.kind, a.scope);
                    for identity in &a.identities {
                        println!("    {identity}");
                    }
                    println!("  Lean hint: {}", a.lean_hint);
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
                    statement.decl
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
                    statement.decl
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
    }
    if !global.json {
        for m in &minimisers {
            print_minimiser(m);
        }
    }
    Ok(match verdict {
        Verdict::Refuted { .. } => Exit::CheckFailed,
        _ => Exit::Passed,
    })
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
    let cert: theorist_numerics::Certificate = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a certificate: {e}", args.certificate.display()))?;
    if cert.schema != theorist_numerics::CERTIFICATE_SCHEMA {
        bail!(
            "{}: unknown certificate schema `{}`",
            args.certificate.display(),
            cert.schema
        );
    }
    let source = super::leanenv::read_lean_file(std::path::Path::new(&cert.file))?;
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
