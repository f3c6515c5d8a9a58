//! The one front end: Lean source text → tokens (`lex`) → surface syntax (`parse`) → commands
//! and scopes (`command`, `env`) → the typed core (`elab`). Every engine consumes only the
//! core; nothing downstream resolves a name or reads source text again.

pub mod command;
pub mod elab;
pub mod env;
pub mod lex;
pub mod parse;
pub mod prelude;
pub mod project;
pub mod survey;
pub mod syntax;
pub mod value;

use std::sync::Arc;

use crate::core::{Expr, Prop, Var};
use env::{Env, FileInfo, Scope};
use value::{Locals, Val};

/// An expression or proposition that cannot be read: where (0-based column) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {}: {message}", column + 1)]
pub struct ExprError {
    pub column: usize,
    pub message: String,
}

impl From<ExprError> for String {
    fn from(e: ExprError) -> String {
        e.to_string()
    }
}

fn standalone(src: &str) -> Result<(Env, syntax::Term), ExprError> {
    let toks = lex::lex(src, &Default::default()).map_err(|e| ExprError {
        column: e.pos.col as usize,
        message: e.message,
    })?;
    if toks.is_empty() {
        return Err(ExprError {
            column: 0,
            message: "empty expression".into(),
        });
    }
    let end = lex::Pos {
        line: 1,
        col: src.chars().count() as u32,
    };
    let t = parse::Parser::new(&toks, &[], end)
        .term_to_end()
        .map_err(|e| ExprError {
            column: e.pos.col as usize,
            message: e.message,
        })?;
    let mut env = Env::default();
    env.files.push(FileInfo {
        path: "<expression>".into(),
        display: "<expression>".into(),
    });
    Ok((env, t))
}

fn standalone_cx(reals: &[String]) -> elab::Cx {
    let mut locals = Locals::default();
    for r in reals {
        locals = locals.push(r, Val::Num(Var::real(r.clone()).expr()));
    }
    elab::Cx {
        locals,
        // `open Real` (so `π`, `sqrt`, `exp` read as Real's).
        scope: Arc::new(Scope {
            opens: vec!["Real".into()],
            ..Scope::default()
        }),
        file: 0,
        level: 0,
        owner: None,
    }
}

/// Elaborates a standalone Lean expression in which `reals` are real variables (under
/// `open Real`): numerals are typed as Lean types them, so `7 / 2` is the natural number 3.
pub fn elab_expression(src: &str, reals: &[String]) -> Result<Expr, ExprError> {
    let (env, t) = standalone(src)?;
    let mut e = elab::Elab::new(&env);
    e.reserve(reals);
    e.arith(&t, &standalone_cx(reals), None)
        .map_err(|f| ExprError {
            column: f.pos.col as usize,
            message: f.what,
        })
}

/// Elaborates a standalone Lean proposition in which `reals` are real variables.
pub fn elab_proposition(src: &str, reals: &[String]) -> Result<Prop, ExprError> {
    let (env, t) = standalone(src)?;
    let mut e = elab::Elab::new(&env);
    e.reserve(reals);
    e.elab_prop(&t, &standalone_cx(reals))
        .map_err(|f| ExprError {
            column: f.pos.col as usize,
            message: f.what,
        })
}
