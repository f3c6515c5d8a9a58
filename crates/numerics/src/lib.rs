//! theorist-numerics: rigorous numerics for the arithmetic of physics lemmas. [`Interval`]s
//! over MPFR floats round every lower bound down and every upper bound up, so each result
//! encloses the exact real value; [`parse`] reads Lean 4's arithmetic term syntax
//! (`Real.sqrt 2 * Real.pi`, `-μSq * x + 𝓵 * x ^ 2`, `|x|`, `(2 : ℝ)`); [`eval`] evaluates
//! it under parameter enclosures; [`translate`] turns a Lean declaration (with the file's
//! definitions) into a claim over a box, and [`check`] refutes it at an exact point (samples
//! screened in f64 first, `fast`), proves it with an exact algebraic certificate (`poly`,
//! `algebraic`: completed squares over Laurent polynomials) or by branch and bound (with the
//! mean-value form from interval automatic differentiation, `jet`, and even symmetry,
//! `symmetry`), or says it is consistent; [`minimisers`] adds stationarity and Hessian data for
//! `IsMinOn` claims. Pure and synchronous: no async, no I/O.

mod algebraic;
mod certificate;
mod check;
mod eval;
mod exact;
mod expr;
mod fast;
mod interval;
mod jet;
mod minimiser;
mod poly;
mod prop;
mod reference;
mod statement;
mod symmetry;

pub use algebraic::Algebraic;
pub use certificate::{
    Certificate, RecheckError, SCHEMA as CERTIFICATE_SCHEMA, Tree, rational_text, recheck,
};
pub use check::{CheckConfig, Stall, Verdict, box_of, check};
pub use eval::{EvalError, Params, eval, eval_in, parse_param};
pub use exact::{rational_of_decimal, rational_range};
pub use expr::{Expr, Func, ParseError, parse, parse_with};
pub use interval::{DomainError, Interval};
pub use minimiser::{MinimiserReport, Sample, minimisers};
pub use prop::{Lambda, Prop, Rel, SetExpr, parse_prop};
pub use reference::{REFERENCES, Reference, reference};
pub use statement::{Def, Minimiser, Statement, Untranslatable, Var, translate};
