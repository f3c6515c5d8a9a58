//! Propositions of Lean's arithmetic fragment and whole statements: comparisons (chains
//! allowed), `¬ ∧ ∨ → ↔`, `∀` over real variables (hypotheses become implications),
//! `IsMinOn f s a` / `IsMaxOn f s a` with `Set.univ`, `Set.Ici`, `Set.Ioi`, `Set.Icc`, and
//! `True`/`False`. Precedences as in Lean: `¬` > `∧` > `∨` > `→` (right) > `↔`.

use std::collections::BTreeSet;

use crate::expr::{Expr, ParseError, Parser, Tok, describe};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
    Ne,
}

/// A one-argument function, for `IsMinOn`: `fun x => body`, or a definition applied to all
/// but its last argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Lambda {
    pub param: String,
    pub body: Expr,
}

/// The set of an `IsMinOn`.
#[derive(Debug, Clone, PartialEq)]
pub enum SetExpr {
    Univ,
    /// `Set.Ici a` (`x ≥ a`), `Set.Ioi a` (`x > a`).
    From(Expr, bool),
    /// `Set.Icc a b`.
    Between(Expr, Expr),
}

// A statement's proposition is parsed once and walked a few times; boxing the large variant
// would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Prop {
    Const(bool),
    /// `e0 r0 e1 r1 e2 …`
    Cmp(Vec<Expr>, Vec<Rel>),
    Not(Box<Prop>),
    And(Box<Prop>, Box<Prop>),
    Or(Box<Prop>, Box<Prop>),
    Imp(Box<Prop>, Box<Prop>),
    Iff(Box<Prop>, Box<Prop>),
    /// `∀ xs, body` over reals.
    Forall(Vec<String>, Box<Prop>),
    /// `∃ xs, body` over reals.
    Exists(Vec<String>, Box<Prop>),
    /// `IsMinOn f s a` (or `IsMaxOn` when `max`).
    MinOn {
        f: Lambda,
        set: SetExpr,
        at: Expr,
        max: bool,
    },
}

fn rel_of(t: &Tok) -> Option<Rel> {
    Some(match t {
        Tok::Sym('≤') => Rel::Le,
        Tok::Sym('<') => Rel::Lt,
        Tok::Sym('≥') => Rel::Ge,
        Tok::Sym('>') => Rel::Gt,
        Tok::Sym('=') => Rel::Eq,
        Tok::Sym('≠') => Rel::Ne,
        _ => return None,
    })
}

fn is_number_type(t: &str) -> bool {
    matches!(t, "ℝ" | "ℚ" | "Real" | "Rat")
}

/// Parses a proposition; `defs` are the file's definitions (applied by juxtaposition), with
/// their arities for partial application in `IsMinOn`.
pub fn parse_prop(src: &str, defs: &BTreeSet<String>) -> Result<Prop, ParseError> {
    let mut p = Parser::new(src, defs.clone())?;
    if p.toks.is_empty() {
        return Err(ParseError {
            column: 0,
            message: "empty proposition".into(),
        });
    }
    let prop = p.iff()?;
    p.finish()?;
    Ok(prop)
}

impl Parser {
    fn iff(&mut self) -> Result<Prop, ParseError> {
        let a = self.imp()?;
        if self.eat('↔') {
            return Ok(Prop::Iff(Box::new(a), Box::new(self.imp()?)));
        }
        Ok(a)
    }

    fn imp(&mut self) -> Result<Prop, ParseError> {
        let a = self.or()?;
        if self.eat('→') {
            return Ok(Prop::Imp(Box::new(a), Box::new(self.imp()?)));
        }
        Ok(a)
    }

    fn or(&mut self) -> Result<Prop, ParseError> {
        let a = self.and()?;
        if self.eat('∨') {
            return Ok(Prop::Or(Box::new(a), Box::new(self.or()?)));
        }
        Ok(a)
    }

    fn and(&mut self) -> Result<Prop, ParseError> {
        let a = self.not()?;
        if self.eat('∧') {
            return Ok(Prop::And(Box::new(a), Box::new(self.and()?)));
        }
        Ok(a)
    }

    fn not(&mut self) -> Result<Prop, ParseError> {
        if self.eat('¬') {
            return Ok(Prop::Not(Box::new(self.not()?)));
        }
        if self.peek() == Some(&Tok::Sym('∀')) {
            self.i += 1;
            return self.forall();
        }
        if self.peek() == Some(&Tok::Sym('∃')) {
            let pos = self.pos();
            self.i += 1;
            // Same binders as `∀`; a hypothesis binder of `∃` is a conjunct, not a premise.
            return match self.forall()? {
                Prop::Forall(vars, body) => {
                    Ok(Prop::Exists(vars, Box::new(premises_to_conjuncts(*body))))
                }
                _ => Err(ParseError {
                    column: pos,
                    message: "malformed `∃`".into(),
                }),
            };
        }
        self.prop_atom()
    }

    /// `∀ x y : ℝ, P`, `∀ x, P`, `∀ (x : ℝ) (h : P), Q`.
    fn forall(&mut self) -> Result<Prop, ParseError> {
        let mut vars = Vec::new();
        let mut hyps = Vec::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Ident(n)) => {
                    self.i += 1;
                    vars.push(n);
                }
                Some(Tok::Sym('(')) => {
                    self.i += 1;
                    let mut names = Vec::new();
                    while let Some(Tok::Ident(n)) = self.peek().cloned() {
                        self.i += 1;
                        names.push(n);
                    }
                    self.expect(':')?;
                    if let Some(Tok::Ident(t)) = self
                        .peek()
                        .cloned()
                        .filter(|t| matches!(t, Tok::Ident(t) if is_number_type(t)))
                    {
                        let _ = t;
                        self.i += 1;
                        vars.extend(names);
                    } else {
                        hyps.push(self.iff()?);
                    }
                    self.expect(')')?;
                }
                Some(Tok::Sym(':')) => {
                    self.i += 1;
                    match self.peek().cloned() {
                        Some(Tok::Ident(t)) if is_number_type(&t) => self.i += 1,
                        _ => {
                            return Err(ParseError {
                                column: self.pos(),
                                message: "theorist quantifies over ℝ only".into(),
                            });
                        }
                    }
                }
                Some(Tok::Sym(',')) => {
                    self.i += 1;
                    break;
                }
                Some(t) => {
                    return Err(ParseError {
                        column: self.pos(),
                        message: format!("unexpected {} in a binder", describe(&t)),
                    });
                }
                None => {
                    return Err(ParseError {
                        column: self.pos(),
                        message: "the binder ends too early".into(),
                    });
                }
            }
        }
        let mut body = self.iff()?;
        for h in hyps.into_iter().rev() {
            body = Prop::Imp(Box::new(h), Box::new(body));
        }
        Ok(Prop::Forall(vars, Box::new(body)))
    }

    fn prop_atom(&mut self) -> Result<Prop, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Ident(n)) if n == "True" || n == "False" => {
                self.i += 1;
                return Ok(Prop::Const(n == "True"));
            }
            Some(Tok::Ident(n)) if n == "IsMinOn" || n == "IsMaxOn" => {
                self.i += 1;
                let f = self.lambda()?;
                let set = self.set_expr()?;
                let at = self.atom()?;
                return Ok(Prop::MinOn {
                    f,
                    set,
                    at,
                    max: n == "IsMaxOn",
                });
            }
            Some(Tok::Sym('(')) => {
                // A parenthesised proposition, or an expression that starts with `(`.
                let save = self.i;
                if let Ok(p) = self.cmp() {
                    return Ok(p);
                }
                self.i = save + 1;
                let p = self.iff()?;
                self.expect(')')?;
                return Ok(p);
            }
            _ => {}
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Prop, ParseError> {
        let mut exprs = vec![self.additive()?];
        let mut rels = Vec::new();
        while let Some(r) = self.peek().and_then(rel_of) {
            self.i += 1;
            rels.push(r);
            exprs.push(self.additive()?);
        }
        if rels.is_empty() {
            return Err(ParseError {
                column: self.pos(),
                message: "expected a comparison (≤ < = ≠ ≥ >)".into(),
            });
        }
        Ok(Prop::Cmp(exprs, rels))
    }

    /// `(fun x => e)`, `(fun x ↦ e)`, `(f a b)` (a definition missing its last argument), `f`.
    fn lambda(&mut self) -> Result<Lambda, ParseError> {
        let pos = self.pos();
        if self.eat('(') {
            if matches!(self.peek(), Some(Tok::Ident(n)) if n == "fun" || n == "λ") {
                self.i += 1;
                let Some(Tok::Ident(param)) = self.peek().cloned() else {
                    return Err(ParseError {
                        column: self.pos(),
                        message: "expected the function's parameter".into(),
                    });
                };
                self.i += 1;
                if self.eat(':') {
                    self.i += 1; // the parameter's type
                }
                if !self.eat('↦') {
                    return Err(ParseError {
                        column: self.pos(),
                        message: "expected `=>` or `↦`".into(),
                    });
                }
                let body = self.additive()?;
                self.expect(')')?;
                return Ok(Lambda { param, body });
            }
            let inner = self.additive()?;
            self.expect(')')?;
            return partial(inner, pos);
        }
        let inner = self.application()?;
        partial(inner, pos)
    }

    fn set_expr(&mut self) -> Result<SetExpr, ParseError> {
        let pos = self.pos();
        let paren = self.eat('(');
        let set = match self.peek().cloned() {
            Some(Tok::Ident(n)) if n == "Set.univ" => {
                self.i += 1;
                SetExpr::Univ
            }
            Some(Tok::Ident(n)) if n == "Set.Ici" || n == "Set.Ioi" => {
                self.i += 1;
                SetExpr::From(self.atom()?, n == "Set.Ioi")
            }
            Some(Tok::Ident(n)) if n == "Set.Icc" => {
                self.i += 1;
                let a = self.atom()?;
                SetExpr::Between(a, self.atom()?)
            }
            _ => {
                return Err(ParseError {
                    column: pos,
                    message: "theorist understands Set.univ, Set.Ici, Set.Ioi and Set.Icc here"
                        .into(),
                });
            }
        };
        if paren {
            self.expect(')')?;
        }
        Ok(set)
    }
}

/// `(h : P) → Q` from a binder list becomes `P ∧ Q` under `∃`.
fn premises_to_conjuncts(p: Prop) -> Prop {
    match p {
        Prop::Imp(a, b) => Prop::And(a, Box::new(premises_to_conjuncts(*b))),
        other => other,
    }
}

/// `f a b` with `f` taking one more argument: `fun x => f a b x`.
fn partial(e: Expr, pos: usize) -> Result<Lambda, ParseError> {
    match e {
        Expr::Apply {
            name,
            mut args,
            pos: p,
        } => {
            let param = "x✝".to_string();
            args.push(Expr::Var {
                name: param.clone(),
                pos: p,
            });
            Ok(Lambda {
                param,
                body: Expr::Apply { name, args, pos: p },
            })
        }
        _ => Err(ParseError {
            column: pos,
            message: "expected a function: `fun x => …` or a definition of this file".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs() -> BTreeSet<String> {
        ["radial".to_string()].into_iter().collect()
    }

    #[test]
    fn connectives_chains_and_quantifiers() {
        let p = parse_prop("0 < x → x ≤ y ∧ ¬ y = 2 ↔ True", &defs()).unwrap();
        assert!(matches!(p, Prop::Iff(ref a, _) if matches!(**a, Prop::Imp(_, _))));
        let p = parse_prop("0 ≤ x ≤ 1", &defs()).unwrap();
        assert!(
            matches!(p, Prop::Cmp(ref es, ref rs) if es.len() == 3 && rs == &[Rel::Le, Rel::Le])
        );
        let p = parse_prop("∀ x y : ℝ, (0 < x) → x * y ≤ x * y", &defs()).unwrap();
        assert!(matches!(p, Prop::Forall(ref vs, _) if vs == &["x", "y"]));
        let p = parse_prop("∀ (x : ℝ) (hx : 0 < x), 0 < x ^ 2", &defs()).unwrap();
        assert!(matches!(p, Prop::Forall(_, ref body) if matches!(**body, Prop::Imp(_, _))));
    }

    #[test]
    fn is_min_on_with_definitions_and_lambdas() {
        let p = parse_prop("IsMinOn (radial a b) Set.univ (a / (2 * b))", &defs()).unwrap();
        assert!(
            matches!(p, Prop::MinOn { ref f, set: SetExpr::Univ, max: false, .. } if matches!(f.body, Expr::Apply { ref args, .. } if args.len() == 3))
        );
        let p = parse_prop("IsMaxOn (fun x => -x ^ 2) (Set.Icc 0 1) 0", &defs()).unwrap();
        assert!(matches!(
            p,
            Prop::MinOn {
                set: SetExpr::Between(..),
                max: true,
                ..
            }
        ));
        assert!(parse_prop("IsMinOn (radial a b) {x | 0 ≤ x} 0", &defs()).is_err());
        assert!(
            matches!(parse_prop("∃ x : ℝ, x ^ 2 < 2", &defs()).unwrap(), Prop::Exists(ref v, _) if v == &["x"])
        );
        // A hypothesis binder of `∃` is a conjunct.
        assert!(matches!(
            parse_prop("∃ (x : ℝ) (h : 0 < x), x < 1", &defs()).unwrap(),
            Prop::Exists(_, ref body) if matches!(**body, Prop::And(_, _))
        ));
    }
}
