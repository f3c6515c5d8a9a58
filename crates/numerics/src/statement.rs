//! From a Lean file to a numeric claim: the file's definitions (`def f (a b : ℝ) : ℝ := …`)
//! become inlinable functions, the declaration's binders become real variables (a vector `φ`
//! only through `‖φ‖`, a non-negative real), hypotheses, and the conclusion. `∀` in positive
//! positions and `IsMinOn`/`IsMaxOn` turn into more variables, so the claim is "for every
//! point of the box, the hypotheses imply the conclusion".

use std::collections::{BTreeMap, BTreeSet};

use crate::expr::{Expr, ParseError, parse_with};
use crate::prop::{Lambda, Prop, Rel, SetExpr, parse_prop};

/// A definition of the file, inlined where it is applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Def {
    pub params: Vec<String>,
    pub body: Expr,
}

/// A variable of the claim and whether it is a norm (so non-negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    pub name: String,
    pub nonneg: bool,
}

/// A translated statement.
#[derive(Debug, Clone)]
pub struct Statement {
    pub decl: String,
    pub vars: Vec<Var>,
    /// The claim with quantifiers removed: its free variables are `vars`.
    pub claim: Prop,
    pub defs: BTreeMap<String, Def>,
    /// The names of the hypothesis binders (`h𝓵`), in the order of the claim's leading `→`s.
    pub hypotheses: Vec<String>,
    /// The `IsMinOn`/`IsMaxOn` conclusions lifted into the claim, for the minimiser report.
    pub minimisers: Vec<Minimiser>,
}

/// A lifted `IsMinOn f s at` (or `IsMaxOn` when `max`): `y` is the claim's variable that ranges
/// over `s`.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimiser {
    pub f: Lambda,
    pub set: SetExpr,
    pub at: Expr,
    pub max: bool,
    pub y: String,
}

impl Statement {
    /// Every name a box may give a range to: the claim's variables and its `∃`-bound ones.
    pub fn variable_names(&self) -> Vec<String> {
        fn exists(p: &Prop, out: &mut Vec<String>) {
            match p {
                Prop::Exists(xs, body) => {
                    out.extend(xs.iter().cloned());
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
}

/// Why a statement cannot be translated: which construct, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Untranslatable {
    /// No declaration, or several, answer to the name (`reason` lists the candidates).
    #[error("{reason}")]
    NoDecl { decl: String, reason: String },
    #[error("{decl}, line {line}: {what}")]
    Construct {
        decl: String,
        line: u32,
        what: String,
    },
}

/// Binder groups of a signature and the text after the top-level `:`.
fn split_signature(sig: &str) -> (Vec<(Vec<String>, String)>, Option<String>) {
    let mut groups = Vec::new();
    let mut rest = sig.trim();
    loop {
        let Some(open) = rest.chars().next() else {
            return (groups, None);
        };
        let close = match open {
            '(' => ')',
            '{' => '}',
            '[' => ']',
            '⦃' => '⦄',
            ':' => return (groups, Some(rest[1..].trim().to_string())),
            _ => return (groups, None),
        };
        let mut depth = 0;
        let mut end = None;
        for (i, c) in rest.char_indices() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
        }
        let Some(end) = end else {
            return (groups, None);
        };
        let inner = &rest[open.len_utf8()..end];
        if open != '[' {
            if let Some((names, ty)) = inner.split_once(':') {
                groups.push((
                    names.split_whitespace().map(str::to_string).collect(),
                    ty.trim().to_string(),
                ));
            }
        }
        rest = rest[end + close.len_utf8()..].trim_start();
    }
}

/// Whether a binder's type is a proposition (a relation or a connective) rather than a type:
/// such a binder is a hypothesis, never a vector.
fn looks_like_proposition(t: &str) -> bool {
    t.contains([
        '=', '≤', '<', '≥', '>', '≠', '∧', '∨', '↔', '¬', '∀', '∃', '∣', '∈', '∉',
    ])
}

fn is_number_type(t: &str) -> bool {
    matches!(t.trim(), "ℝ" | "ℚ" | "Real" | "Rat")
}

/// The definitions of `file` that are in the arithmetic fragment, in file order.
pub fn definitions(file: &theorist_leansrc::SourceFile) -> BTreeMap<String, Def> {
    let mut defs: BTreeMap<String, Def> = BTreeMap::new();
    for d in &file.decls {
        if !matches!(
            d.kind,
            theorist_leansrc::DeclKind::Def | theorist_leansrc::DeclKind::Abbrev
        ) {
            continue;
        }
        let (groups, ret) = split_signature(&d.signature);
        let Some(body) = d.body.as_deref() else {
            continue;
        };
        if ret.as_deref().is_some_and(|r| !is_number_type(r)) {
            continue;
        }
        let params: Vec<String> = groups.into_iter().flat_map(|(names, _)| names).collect();
        let names: BTreeSet<String> = defs
            .keys()
            .flat_map(|k| [k.clone(), short(k).to_string()])
            .collect();
        if let Ok(body) = parse_with(body, &names) {
            defs.insert(d.name.clone(), Def { params, body });
        }
    }
    // Bodies and statements refer to definitions by their short names too.
    let shorts: Vec<(String, Def)> = defs
        .iter()
        .map(|(k, v)| (short(k).to_string(), v.clone()))
        .collect();
    for (k, v) in shorts {
        defs.entry(k).or_insert(v);
    }
    defs
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Translates declaration `decl` of the Lean source `text`.
pub fn translate(text: &str, decl: &str) -> Result<Statement, Untranslatable> {
    let file = theorist_leansrc::parse(text);
    let d = file.find(decl).map_err(|e| Untranslatable::NoDecl {
        decl: decl.to_string(),
        reason: e.to_string(),
    })?;
    let defs = definitions(&file);
    let def_names: BTreeSet<String> = defs.keys().cloned().collect();
    let bad = |what: String| Untranslatable::Construct {
        decl: d.name.clone(),
        line: d.start_line,
        what,
    };
    let parse_err = |part: &str, src: &str, e: ParseError| {
        bad(format!(
            "{part} `{src}`, column {}: {}",
            e.column + 1,
            e.message
        ))
    };
    let (groups, concl) = split_signature(&d.signature);
    let concl = concl
        .ok_or_else(|| bad("the statement has no `: proposition` part theorist can read".into()))?;
    let mut vars = Vec::new();
    let mut hyps = Vec::new();
    let mut hypotheses = Vec::new();
    for (names, ty) in groups {
        if is_number_type(&ty) {
            vars.extend(names.into_iter().map(|name| Var {
                name,
                nonneg: false,
            }));
        } else if let Ok(p) = parse_prop(&ty, &def_names) {
            hypotheses.push(names.first().cloned().unwrap_or_else(|| "_".into()));
            hyps.push(p);
        } else if ty.contains('ℕ') || ty.contains('ℤ') || ty.contains("Prop") || ty.contains("Type")
        {
            return Err(bad(format!(
                "binders of type `{ty}` are not in the fragment (only ℝ, ℚ, and vectors through their norm)"
            )));
        } else if looks_like_proposition(&ty) {
            // A hypothesis theorist cannot read: dropping it could make a true claim look
            // false (a wrong `refuted`), so the statement is not checked at all.
            return Err(bad(format!(
                "the hypothesis `{}` ({ty}) is not in the fragment",
                names.join(" ")
            )));
        } else {
            // A vector (a Higgs doublet, say): it may only appear as ‖φ‖.
            vars.extend(names.into_iter().map(|name| Var {
                name: format!("‖{name}‖"),
                nonneg: true,
            }));
        }
    }
    let conclusion =
        parse_prop(&concl, &def_names).map_err(|e| parse_err("the conclusion", &concl, e))?;
    let mut fresh = 0;
    let mut minimisers = Vec::new();
    let conclusion = lift(conclusion, &mut vars, &mut fresh, &mut minimisers).map_err(bad)?;
    // Every name must mean something: a variable, a bound name, a constant definition or a
    // reference value. Otherwise the claim would only ever come out undecided, silently.
    let known = |name: &str, bound: &[String]| {
        vars.iter().any(|v| v.name == name)
            || bound.iter().any(|b| b == name)
            || defs.get(name).is_some_and(|d| d.params.is_empty())
            || crate::reference::reference(name, 53).is_some()
    };
    for (part, p) in hyps
        .iter()
        .map(|h| ("a hypothesis", h))
        .chain([("the conclusion", &conclusion)])
    {
        if let Some((name, column)) = unknown_name(p, &mut Vec::new(), &known) {
            return Err(bad(format!(
                "unknown identifier `{name}` (column {} of {part}): not a variable, a definition of the file or a reference value",
                column + 1
            )));
        }
    }
    let claim = hyps
        .into_iter()
        .rev()
        .fold(conclusion, |acc, h| Prop::Imp(Box::new(h), Box::new(acc)));
    Ok(Statement {
        decl: d.name.clone(),
        vars,
        claim,
        defs,
        hypotheses,
        minimisers,
    })
}

/// Removes `∀` and `IsMinOn` in positive positions, adding their variables.
fn lift(
    p: Prop,
    vars: &mut Vec<Var>,
    fresh: &mut usize,
    minimisers: &mut Vec<Minimiser>,
) -> Result<Prop, String> {
    Ok(match p {
        Prop::Forall(names, body) => {
            for n in names {
                if !vars.iter().any(|v| v.name == n) {
                    vars.push(Var {
                        name: n,
                        nonneg: false,
                    });
                }
            }
            lift(*body, vars, fresh, minimisers)?
        }
        Prop::And(a, b) => Prop::And(
            Box::new(lift(*a, vars, fresh, minimisers)?),
            Box::new(lift(*b, vars, fresh, minimisers)?),
        ),
        Prop::Imp(a, b) => Prop::Imp(
            Box::new(nested(*a, fresh)?),
            Box::new(lift(*b, vars, fresh, minimisers)?),
        ),
        Prop::MinOn { f, set, at, max } => {
            *fresh += 1;
            let y = format!("y{}✝", *fresh);
            vars.push(Var {
                name: y.clone(),
                nonneg: false,
            });
            let body = min_on_body(&f, &set, &at, max, &y);
            minimisers.push(Minimiser { f, set, at, max, y });
            body
        }
        // `∃` stays: it is decided by a witness, not by bisection.
        Prop::Exists(vars, body) => {
            check_no_quantifier(&body)?;
            Prop::Exists(vars, body)
        }
        other => nested(other, fresh)?,
    })
}

/// `IsMinOn f s a` as `y ∈ s → f a ≤ f y` for the variable `y`.
fn min_on_body(f: &Lambda, set: &SetExpr, at: &Expr, max: bool, y: &str) -> Prop {
    let y_var = Expr::Var {
        name: y.to_string(),
        pos: 0,
    };
    let f_at = substitute(&f.body, &f.param, at);
    let f_y = substitute(&f.body, &f.param, &y_var);
    let cmp = if max {
        Prop::Cmp(vec![f_y, f_at], vec![Rel::Le])
    } else {
        Prop::Cmp(vec![f_at, f_y], vec![Rel::Le])
    };
    match set {
        SetExpr::Univ => cmp,
        SetExpr::From(a, strict) => {
            let member = Prop::Cmp(
                vec![a.clone(), y_var],
                vec![if *strict { Rel::Lt } else { Rel::Le }],
            );
            Prop::Imp(Box::new(member), Box::new(cmp))
        }
        SetExpr::Between(a, b) => {
            let member = Prop::Cmp(vec![a.clone(), y_var, b.clone()], vec![Rel::Le, Rel::Le]);
            Prop::Imp(Box::new(member), Box::new(cmp))
        }
    }
}

/// A quantifier that cannot become a variable of the box (under `¬`, `↔`, `∨`, left of `→`)
/// stays a nested `∀`, decided by its own bounded search: it can come out false (a point of
/// the box violates it) but never true, since a bounded box cannot establish `∀` over ℝ. A
/// nested `∃` stays undecided.
fn nested(p: Prop, fresh: &mut usize) -> Result<Prop, String> {
    let rec = |q: Box<Prop>, fresh: &mut usize| nested(*q, fresh).map(Box::new);
    Ok(match p {
        Prop::MinOn { f, set, at, max } => {
            *fresh += 1;
            let y = format!("y{}✝", *fresh);
            let body = min_on_body(&f, &set, &at, max, &y);
            Prop::Forall(vec![y], Box::new(body))
        }
        Prop::Forall(vs, body) => Prop::Forall(vs, rec(body, fresh)?),
        // Never decided by a bounded search (neither a witness for every outer point nor its
        // absence over ℝ can be shown), so it stays unknown: translatable, never refuted.
        Prop::Exists(vs, body) => Prop::Exists(vs, rec(body, fresh)?),
        Prop::Not(a) => Prop::Not(rec(a, fresh)?),
        Prop::And(a, b) => Prop::And(rec(a, fresh)?, rec(b, fresh)?),
        Prop::Or(a, b) => Prop::Or(rec(a, fresh)?, rec(b, fresh)?),
        Prop::Imp(a, b) => Prop::Imp(rec(a, fresh)?, rec(b, fresh)?),
        Prop::Iff(a, b) => Prop::Iff(rec(a, fresh)?, rec(b, fresh)?),
        other @ (Prop::Const(_) | Prop::Cmp(..)) => other,
    })
}

fn check_no_quantifier(p: &Prop) -> Result<(), String> {
    match p {
        Prop::Forall(..) | Prop::MinOn { .. } | Prop::Exists(..) => Err(
            "a quantifier (`∀`, `∃`, `IsMinOn`) under `¬`, `∨`, `↔`, left of `→` or inside `∃` is not in the fragment".into(),
        ),
        Prop::Not(a) => check_no_quantifier(a),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            check_no_quantifier(a)?;
            check_no_quantifier(b)
        }
        Prop::Const(_) | Prop::Cmp(..) => Ok(()),
    }
}

/// The first name in `p` that `known` rejects, with its column.
fn unknown_name(
    p: &Prop,
    bound: &mut Vec<String>,
    known: &dyn Fn(&str, &[String]) -> bool,
) -> Option<(String, usize)> {
    match p {
        Prop::Const(_) => None,
        Prop::Cmp(es, _) => es.iter().find_map(|e| unknown_in(e, bound, known)),
        Prop::Not(a) => unknown_name(a, bound, known),
        Prop::And(a, b) | Prop::Or(a, b) | Prop::Imp(a, b) | Prop::Iff(a, b) => {
            unknown_name(a, bound, known).or_else(|| unknown_name(b, bound, known))
        }
        Prop::Forall(vs, body) | Prop::Exists(vs, body) => {
            let n = bound.len();
            bound.extend(vs.iter().cloned());
            let r = unknown_name(body, bound, known);
            bound.truncate(n);
            r
        }
        Prop::MinOn { f, set, at, .. } => {
            bound.push(f.param.clone());
            let r = unknown_in(&f.body, bound, known);
            bound.pop();
            let set_exprs: Vec<&Expr> = match set {
                SetExpr::Univ => Vec::new(),
                SetExpr::From(a, _) => vec![a],
                SetExpr::Between(a, b) => vec![a, b],
            };
            r.or_else(|| {
                set_exprs
                    .into_iter()
                    .chain([at])
                    .find_map(|e| unknown_in(e, bound, known))
            })
        }
    }
}

fn unknown_in(
    e: &Expr,
    bound: &[String],
    known: &dyn Fn(&str, &[String]) -> bool,
) -> Option<(String, usize)> {
    let rec = |e: &Expr| unknown_in(e, bound, known);
    match e {
        Expr::Var { name, pos } => (!known(name, bound)).then(|| (name.clone(), *pos)),
        Expr::Num { .. } | Expr::Pi => None,
        Expr::Neg(a) | Expr::Pow(a, _) | Expr::Abs(a) | Expr::Call(_, a, _) => rec(a),
        Expr::Add(a, b)
        | Expr::Sub(a, b)
        | Expr::Mul(a, b)
        | Expr::Div(a, b, _)
        | Expr::Min(a, b)
        | Expr::Max(a, b) => rec(a).or_else(|| rec(b)),
        // A vector argument (`potential μSq 𝓵 φ`) is known through its norm.
        Expr::Apply { args, .. } => args.iter().find_map(|a| match a {
            Expr::Var { name, .. } if known(&format!("‖{name}‖"), bound) => None,
            _ => rec(a),
        }),
    }
}

/// `e[name := by]`.
pub fn substitute(e: &Expr, name: &str, by: &Expr) -> Expr {
    let s = |x: &Expr| Box::new(substitute(x, name, by));
    match e {
        Expr::Var { name: n, .. } if n == name => by.clone(),
        Expr::Num { .. } | Expr::Var { .. } | Expr::Pi => e.clone(),
        Expr::Neg(a) => Expr::Neg(s(a)),
        Expr::Add(a, b) => Expr::Add(s(a), s(b)),
        Expr::Sub(a, b) => Expr::Sub(s(a), s(b)),
        Expr::Mul(a, b) => Expr::Mul(s(a), s(b)),
        Expr::Div(a, b, p) => Expr::Div(s(a), s(b), *p),
        Expr::Pow(a, n) => Expr::Pow(s(a), *n),
        Expr::Abs(a) => Expr::Abs(s(a)),
        Expr::Min(a, b) => Expr::Min(s(a), s(b)),
        Expr::Max(a, b) => Expr::Max(s(a), s(b)),
        Expr::Call(f, a, p) => Expr::Call(*f, s(a), *p),
        Expr::Apply { name: f, args, pos } => Expr::Apply {
            name: f.clone(),
            args: args.iter().map(|a| substitute(a, name, by)).collect(),
            pos: *pos,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_hypothesis_is_never_dropped() {
        let src = "structure C where\n  a : ℚ\n\ndef f (S : C) : ℚ := S.a\n\n\
                   theorem t (n : ℚ) (h : f ⟨n⟩ = 0) : n = 0 := by\n  sorry\n";
        let err = translate(src, "t").unwrap_err().to_string();
        assert!(err.contains("the hypothesis `h`"), "{err}");
        // A vector binder is still read through its norm.
        let src = "theorem v (φ : EuclideanSpace ℂ (Fin 2)) : 0 ≤ ‖φ‖ := by\n  sorry\n";
        let st = translate(src, "v").unwrap();
        assert!(st.vars.iter().any(|v| v.name == "‖φ‖" && v.nonneg));
    }
}
