//! `theorist numerics`: rigorous interval evaluation of Lean arithmetic.

use anyhow::bail;
use theorist_numerics::{Params, eval, parse, parse_param};

use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Enclose the value of an expression in Lean syntax, e.g. "Real.sqrt 2 * Real.pi".
    Eval(EvalArgs),
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
