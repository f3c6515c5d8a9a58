//! From a Lean declaration to the claim the engines decide: the front end (`front`) reads
//! the file (and its imports) and elaborates the theorem into the typed core; here the
//! statement's binders, hypotheses and conclusion are assembled into "hypotheses →
//! conclusion", `∀`s in positive positions become variables of the claim (so the claim is
//! "for every point of the box …"), and the norm reductions made on the way are listed with
//! the reason each keeps the statement's truth.

use serde::Serialize;

use crate::core::{Expr, Prop, Var};
use crate::front::env::DeclKind;
use crate::front::project::Loaded;

/// A translated statement.
#[derive(Debug, Clone)]
pub struct Statement {
    pub decl: String,
    /// Where the declaration is.
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub vars: Vec<Var>,
    /// "Hypotheses → conclusion", its free variables `vars`.
    pub claim: Prop,
    /// The names of the hypotheses, in the order of the claim's leading `→`s.
    pub hypotheses: Vec<String>,
    /// The `IsMinOn`/`IsMaxOn` conclusions over one variable, for the minimiser report.
    pub minimisers: Vec<Minimiser>,
    /// Vectors and fields that became norm variables, and why that keeps the truth.
    pub reductions: Vec<Reduction>,
    /// The definitions unfolded (full names).
    pub unfolded: Vec<String>,
}

/// `IsMinOn f s at` (or `IsMaxOn` when `max`) lifted into the claim: `f_y` is `f` at the claim's
/// variable `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimiser {
    pub f_y: Expr,
    pub at: Expr,
    pub max: bool,
    pub y: String,
}

/// A vector (or a field at a point) replaced by its norm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reduction {
    pub variable: String,
    pub why: String,
}

impl Statement {
    /// Every name a box may give a range to: the claim's variables and its `∃`-bound ones.
    pub fn variable_names(&self) -> Vec<String> {
        fn exists(p: &Prop, out: &mut Vec<String>) {
            match p {
                Prop::Exists(xs, body) => {
                    out.extend(xs.iter().map(|v| v.name.clone()));
                    exists(body, out);
                }
                Prop::Not(a) => exists(a, out),
                Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
                    exists(a, out);
                    exists(b, out);
                }
                _ => {}
            }
        }
        let mut names: Vec<String> = self.vars.iter().map(|v| v.name.clone()).collect();
        exists(&self.claim, &mut names);
        names
    }

    /// The claim as Lean-style text with its variables bound: what a proof or a certificate
    /// is about.
    pub fn claim_text(&self) -> String {
        if self.vars.is_empty() {
            self.claim.to_string()
        } else {
            Prop::Forall(self.vars.clone(), Box::new(self.claim.clone())).to_string()
        }
    }
}

/// Why a statement cannot be translated: which construct, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Untranslatable {
    #[error("{file}: no declaration named `{decl}`")]
    NoDecl { decl: String, file: String },
    #[error("{file}: `{decl}` is ambiguous: it names {}", candidates.join(", "))]
    AmbiguousDecl {
        decl: String,
        file: String,
        candidates: Vec<String>,
    },
    #[error("{file}:{line}:{col}: {what}")]
    Construct {
        decl: String,
        file: String,
        line: u32,
        col: u32,
        what: String,
    },
}

/// Translates declaration `decl` of the Lean source `text` on its own (no imports).
pub fn translate(text: &str, decl: &str) -> Result<Statement, Untranslatable> {
    let loaded = crate::front::project::load_text(text).map_err(|e| Untranslatable::Construct {
        decl: decl.to_string(),
        file: "<input>".into(),
        line: 0,
        col: 0,
        what: e.to_string(),
    })?;
    translate_loaded(&loaded, decl)
}

/// The theorems of the loaded file itself, in source order.
pub fn theorems(loaded: &Loaded) -> Vec<String> {
    let mut out: Vec<(crate::front::lex::Pos, String)> = loaded
        .env
        .decls
        .values()
        .filter(|d| d.kind == DeclKind::Theorem && d.scope.file == loaded.main)
        .map(|d| (d.pos, d.name.clone()))
        .collect();
    out.sort();
    out.into_iter().map(|(_, n)| n).collect()
}

/// Whether theorem `name` (a full name) of the loaded file is a scalar statement over ℝ/ℚ,
/// judged from its syntax alone (the denominator of a coverage figure).
pub fn is_scalar(loaded: &Loaded, name: &str) -> bool {
    loaded
        .env
        .decls
        .get(name)
        .is_some_and(|d| crate::front::survey::is_scalar(&loaded.env, d))
}

/// Translates declaration `decl` (a full name or a unique suffix) of a loaded file.
pub fn translate_loaded(loaded: &Loaded, decl: &str) -> Result<Statement, Untranslatable> {
    let file = loaded.env.file_name(loaded.main).to_string();
    let names = theorems(loaded);
    let name = if names.iter().any(|n| n == decl) {
        decl.to_string()
    } else {
        let suffix = format!(".{decl}");
        let hits: Vec<&String> = names.iter().filter(|n| n.ends_with(&suffix)).collect();
        match hits.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(Untranslatable::NoDecl {
                    decl: decl.to_string(),
                    file,
                });
            }
            many => {
                return Err(Untranslatable::AmbiguousDecl {
                    decl: decl.to_string(),
                    file,
                    candidates: many.iter().map(|s| s.to_string()).collect(),
                });
            }
        }
    };
    let d = loaded.env.decls[&name].clone();
    let e = crate::front::elab::Elab::statement(&loaded.env, &d).map_err(|f| {
        Untranslatable::Construct {
            decl: name.clone(),
            file: loaded.env.file_name(f.file).to_string(),
            line: f.pos.line,
            col: f.pos.col + 1,
            what: f.what,
        }
    })?;
    let mut vars = e.vars;
    let conclusion = lift(e.conclusion, &mut vars);
    let hypotheses: Vec<String> = e.hyps.iter().map(|(n, _)| n.clone()).collect();
    let claim = e.hyps.into_iter().rev().fold(conclusion, |acc, (_, h)| {
        Prop::Imp(Box::new(h), Box::new(acc))
    });
    // `∀ x, P` with `x` not in `P` is `P` (every number type is inhabited): a variable the claim
    // does not mention is not searched, and cannot make a proof "on the box only".
    vars.retain(|v| claim.mentions(&v.name));
    let minimisers = e
        .minimisers
        .into_iter()
        .filter(|m| vars.iter().any(|v| v.name == m.y))
        .map(|m| Minimiser {
            f_y: m.body,
            at: m.at,
            max: m.max,
            y: m.y,
        })
        .collect();
    let reductions = e
        .norms
        .iter()
        .map(|n| Reduction {
            variable: n.name.clone(),
            why: n.why.clone(),
        })
        .collect();
    Ok(Statement {
        decl: name,
        file: loaded.env.file_name(d.scope.file).to_string(),
        line: d.pos.line,
        col: d.pos.col + 1,
        vars,
        claim,
        hypotheses,
        minimisers,
        reductions,
        unfolded: e.unfolded,
    })
}

/// Removes `∀` in positive positions (right of `→`, inside `∧`), adding their variables:
/// `a → ∀ x, q` is `∀ x, a → q` since names are unique.
fn lift(p: Prop, vars: &mut Vec<Var>) -> Prop {
    match p {
        Prop::Forall(vs, body) => {
            for v in vs {
                if !vars.iter().any(|w| w.name == v.name) {
                    vars.push(v);
                }
            }
            lift(*body, vars)
        }
        Prop::And(a, b) => Prop::And(Box::new(lift(*a, vars)), Box::new(lift(*b, vars))),
        Prop::Imp(a, b) => Prop::Imp(a, Box::new(lift(*b, vars))),
        other => other,
    }
}
