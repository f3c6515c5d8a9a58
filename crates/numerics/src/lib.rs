//! theorist-numerics: rigorous numerics for the arithmetic of physics lemmas. One front end
//! (`front`) reads Lean 4 — tokens, terms with Lean's precedences, commands and scopes,
//! imports of the Lake project — and elaborates a statement into the typed core (`core`):
//! numerals typed as Lean types them, `ℕ`/`ℤ` arithmetic, casts, Lean's junk values, names
//! resolved as Lean resolves them, definitions unfolded, structures and norm-only vectors
//! reduced to real variables. Every engine consumes the core: [`Interval`]s over MPFR floats
//! (every lower bound rounded down, every upper bound up), f64 [`Interval64`]s rounded outward
//! by one ulp, both run over a claim compiled once into a [`Tape`], exact rationals (`exact`),
//! the f64 point filter (`fast`), jets (`jet`), polynomials (`poly`, `algebraic`), symmetry (`symmetry`) and
//! the certificate re-checker (`certificate`). [`check`] refutes a statement at an exact
//! point, proves it (algebraically, or by branch and bound on a box — and says when only on
//! the box), or says it is consistent and which budget stopped it; [`minimisers`] adds
//! stationarity and Hessian data for `IsMinOn` claims; [`plot`] draws a checked claim (its
//! sides' enclosures, each cell's decision, the reported points) as SVG. Pure and synchronous: no async, no
//! I/O beyond reading the Lean sources a statement imports.

mod algebraic;
mod alternation;
mod certificate;
mod check;
pub mod core;
mod descent;
mod equations;
mod eval;
mod exact;
mod extremum;
mod fast;
pub mod front;
mod interval;
mod interval64;
mod jet;
mod locate;
mod minimiser;
mod mpfr_raw;
pub mod plot;
mod poly;
mod quadratic;
mod reference;
mod soft;
mod soft_interval;
mod statement;
mod sturm;
mod symmetry;
mod tape;
mod thin;
mod trig;
mod univariate;
mod vertex;
mod vertex_report;

pub use algebraic::Algebraic;
pub use certificate::{
    Certificate, RecheckError, SCHEMA as CERTIFICATE_SCHEMA, Tree, rational_text, recheck,
};
pub use check::{Budget, CheckConfig, Stall, Verdict, box_of, check};
pub use eval::{EvalError, Params, eval, eval_in, parse_param};
pub use exact::{eval_exact, rational_of_decimal, rational_range, truth_exact};
pub use extremum::{EXTREMUM_SCHEMA, ExtremumCertificate, extremum_certificate, recheck_extremum};
pub use front::project::{LoadError, Loaded, load, load_text};
pub use front::{ExprError, elab_expression, elab_proposition};
pub use interval::{DomainError, Interval};
pub use interval64::Interval64;
pub use minimiser::{MinimiserReport, Sample, minimisers};
pub use quadratic::counterexample_value;
pub use reference::{REFERENCES, Reference, reference};
pub use statement::{
    Minimiser, Reduction, Statement, Untranslatable, is_scalar, theorems, translate,
    translate_loaded,
};
pub use tape::{F64Workspace, MpfrWorkspace, Tape, TapeError};
pub use vertex::{Case as ExtremumCase, ExtremumProof};
