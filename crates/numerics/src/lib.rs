//! theorist-numerics: rigorous numerics for the arithmetic of physics lemmas. [`Interval`]s
//! over MPFR floats round every lower bound down and every upper bound up, so each result
//! encloses the exact real value; [`parse`] reads Lean 4's arithmetic term syntax
//! (`Real.sqrt 2 * Real.pi`, `-μSq * x + 𝓵 * x ^ 2`, `|x|`, `(2 : ℝ)`); [`eval`] evaluates
//! it under parameter enclosures. Pure and synchronous: no async, no I/O.

mod eval;
mod expr;
mod interval;

pub use eval::{EvalError, Params, eval, parse_param};
pub use expr::{Expr, Func, ParseError, parse};
pub use interval::{DomainError, Interval};
