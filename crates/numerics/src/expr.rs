//! Lean 4's arithmetic term syntax, parsed with Lean's precedences: `+ -` (65, left),
//! `* /` (70, left), prefix `-` (binds looser than `^`, so `-x ^ 2 = -(x ^ 2)`), `^` (75,
//! right, natural-number exponents), function application tightest (`Real.sqrt 2 * π` is
//! `(Real.sqrt 2) * π`). Atoms: decimal numerals, identifiers (Unicode: `μSq`, `𝓵`, `φ₁`),
//! `π`/`Real.pi`, `(e)`, type ascriptions `(2 : ℝ)`, `|e|`, `√e`.

/// A function Lean's `Real` namespace offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Arctan,
    Sinh,
    Cosh,
    Tanh,
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        let bare = name.strip_prefix("Real.").unwrap_or(name);
        Some(match bare {
            "sqrt" => Func::Sqrt,
            "exp" | "rexp" => Func::Exp,
            "log" => Func::Log,
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "arctan" => Func::Arctan,
            "sinh" => Func::Sinh,
            "cosh" => Func::Cosh,
            "tanh" => Func::Tanh,
            _ => return None,
        })
    }
}

/// An expression; `pos` fields are character offsets into the source, for messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num {
        text: String,
        pos: usize,
    },
    Var {
        name: String,
        pos: usize,
    },
    Pi,
    Neg(Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>, usize),
    Pow(Box<Expr>, u32),
    Abs(Box<Expr>),
    Call(Func, Box<Expr>, usize),
    /// `min a b` / `max a b`.
    Min(Box<Expr>, Box<Expr>),
    Max(Box<Expr>, Box<Expr>),
    /// A definition from the same file applied to arguments (inlined when evaluated).
    Apply {
        name: String,
        args: Vec<Expr>,
        pos: usize,
    },
}

/// Text that is not an expression of the supported fragment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {}: {message}", column + 1)]
pub struct ParseError {
    /// 0-based character offset.
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Num(String),
    Ident(String),
    Sym(char),
}

fn is_ident_start(c: char) -> bool {
    (c.is_alphabetic() || c == '_') && c != 'π' && c != 'λ'
}

fn is_ident_char(c: char) -> bool {
    is_ident_start(c)
        || c.is_numeric()
        || c == '\''
        || c == '.'
        || ('\u{2080}'..='\u{209c}').contains(&c)
        || c == '!'
        || c == '?'
}

pub(crate) fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let save = i;
                i += 1;
                if i < chars.len() && (chars[i] == '-' || chars[i] == '+') {
                    i += 1;
                }
                if i < chars.len() && chars[i].is_ascii_digit() {
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                } else {
                    i = save;
                }
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            out.push((Tok::Num(text), start));
        } else if is_ident_start(c) {
            let start = i;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            out.push((Tok::Ident(name.trim_end_matches('.').to_string()), start));
        } else if let Some(sym) = two_char_symbol(c, chars.get(i + 1).copied()) {
            out.push((Tok::Sym(sym), i));
            i += 2;
        } else if "+-*/^()|√π:≤≥<>=≠↔→∧∨¬∀∃,‖{}∈↦".contains(c) {
            out.push((Tok::Sym(c), i));
            i += 1;
        } else if c == 'ℝ' || c == 'ℚ' || c == 'ℕ' || c == 'ℤ' {
            out.push((Tok::Ident(c.to_string()), i));
            i += 1;
        } else {
            return Err(ParseError {
                column: i,
                message: format!("unexpected `{c}`"),
            });
        }
    }
    Ok(out)
}

/// ASCII spellings Lean also accepts.
fn two_char_symbol(a: char, b: Option<char>) -> Option<char> {
    match (a, b?) {
        ('<', '=') => Some('≤'),
        ('>', '=') => Some('≥'),
        ('-', '>') => Some('→'),
        ('=', '>') => Some('↦'),
        ('<', '-') => None,
        _ => None,
    }
}

pub(crate) struct Parser {
    pub(crate) toks: Vec<(Tok, usize)>,
    pub(crate) i: usize,
    pub(crate) end: usize,
    /// Inside `|…|`, a `|` closes instead of opening.
    pub(crate) in_abs: usize,
    /// Names of the file's definitions, which take arguments by juxtaposition.
    pub(crate) defs: std::collections::BTreeSet<String>,
}

impl Parser {
    pub(crate) fn new(
        src: &str,
        defs: std::collections::BTreeSet<String>,
    ) -> Result<Parser, ParseError> {
        Ok(Parser {
            toks: lex(src)?,
            i: 0,
            end: src.chars().count(),
            in_abs: 0,
            defs,
        })
    }

    /// Fails unless every token was used.
    pub(crate) fn finish(&self) -> Result<(), ParseError> {
        match self.toks.get(self.i) {
            Some((t, pos)) => Err(ParseError {
                column: *pos,
                message: format!("unexpected {}", describe(t)),
            }),
            None => Ok(()),
        }
    }
}

/// Parses one expression.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    parse_with(src, &Default::default())
}

/// Parses one expression in which `defs` are functions applied by juxtaposition.
pub fn parse_with(
    src: &str,
    defs: &std::collections::BTreeSet<String>,
) -> Result<Expr, ParseError> {
    let mut p = Parser::new(src, defs.clone())?;
    if p.toks.is_empty() {
        return Err(ParseError {
            column: 0,
            message: "empty expression".into(),
        });
    }
    let e = p.additive()?;
    if let Some((t, pos)) = p.toks.get(p.i) {
        return Err(ParseError {
            column: *pos,
            message: format!("unexpected {}", describe(t)),
        });
    }
    Ok(e)
}

pub(crate) fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(n) => format!("number `{n}`"),
        Tok::Ident(n) => format!("`{n}`"),
        Tok::Sym(c) => format!("`{c}`"),
    }
}

impl Parser {
    pub(crate) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|(t, _)| t)
    }

    pub(crate) fn pos(&self) -> usize {
        self.toks.get(self.i).map_or(self.end, |(_, p)| *p)
    }

    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, c: char) -> Result<(), ParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(ParseError {
                column: self.pos(),
                message: format!("expected `{c}`"),
            })
        }
    }

    pub(crate) fn additive(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.multiplicative()?;
        loop {
            if self.eat('+') {
                e = Expr::Add(Box::new(e), Box::new(self.multiplicative()?));
            } else if self.eat('-') {
                e = Expr::Sub(Box::new(e), Box::new(self.multiplicative()?));
            } else {
                return Ok(e);
            }
        }
    }

    pub(crate) fn multiplicative(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.unary()?;
        loop {
            if self.eat('*') {
                e = Expr::Mul(Box::new(e), Box::new(self.unary()?));
            } else if self.peek() == Some(&Tok::Sym('/')) {
                let pos = self.pos();
                self.i += 1;
                e = Expr::Div(Box::new(e), Box::new(self.unary()?), pos);
            } else {
                return Ok(e);
            }
        }
    }

    pub(crate) fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat('-') {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.power()
    }

    pub(crate) fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.application()?;
        if self.eat('^') {
            let pos = self.pos();
            let exponent = self.unary()?;
            let n = nat_literal(&exponent).ok_or(ParseError {
                column: pos,
                message: "exponents must be natural-number literals (Lean's `x ^ (n : ℕ)`)".into(),
            })?;
            return Ok(Expr::Pow(Box::new(base), n));
        }
        Ok(base)
    }

    pub(crate) fn application(&mut self) -> Result<Expr, ParseError> {
        if let Some(Tok::Ident(name)) = self.peek().cloned() {
            if let Some(f) = Func::from_name(&name) {
                let pos = self.pos();
                self.i += 1;
                let arg = self.application()?;
                return Ok(Expr::Call(f, Box::new(arg), pos));
            }
        }
        if let Some(Tok::Ident(name)) = self.peek().cloned() {
            if name == "min" || name == "max" {
                self.i += 1;
                let a = Box::new(self.atom()?);
                let b = Box::new(self.atom()?);
                return Ok(if name == "min" {
                    Expr::Min(a, b)
                } else {
                    Expr::Max(a, b)
                });
            }
            if self.defs.contains(&name) {
                let pos = self.pos();
                self.i += 1;
                let mut args = Vec::new();
                while matches!(
                    self.peek(),
                    Some(Tok::Num(_) | Tok::Ident(_) | Tok::Sym('(' | 'π' | '‖'))
                ) {
                    if matches!(self.peek(), Some(Tok::Ident(n)) if Func::from_name(n).is_some() || self.defs.contains(n))
                    {
                        break;
                    }
                    args.push(self.atom()?);
                }
                return Ok(Expr::Apply { name, args, pos });
            }
        }
        if self.peek() == Some(&Tok::Sym('√')) {
            let pos = self.pos();
            self.i += 1;
            let arg = self.application()?;
            return Ok(Expr::Call(Func::Sqrt, Box::new(arg), pos));
        }
        self.atom()
    }

    pub(crate) fn atom(&mut self) -> Result<Expr, ParseError> {
        let pos = self.pos();
        match self.toks.get(self.i).map(|(t, _)| t.clone()) {
            Some(Tok::Num(text)) => {
                self.i += 1;
                Ok(Expr::Num { text, pos })
            }
            Some(Tok::Ident(name)) => {
                self.i += 1;
                match name.as_str() {
                    "Real.pi" => Ok(Expr::Pi),
                    // `application` takes a function with its argument; in an argument position
                    // (`min Real.sqrt x`, `f Real.exp 2`) Lean would need parentheses too.
                    _ if Func::from_name(&name).is_some() => Err(ParseError {
                        column: pos,
                        message: format!("`{name}` as an argument needs parentheses: `({name} …)`"),
                    }),
                    _ => Ok(Expr::Var { name, pos }),
                }
            }
            Some(Tok::Sym('π')) => {
                self.i += 1;
                Ok(Expr::Pi)
            }
            Some(Tok::Sym('‖')) => {
                // `‖φ‖` is a non-negative real variable of its own.
                self.i += 1;
                let name = match self.toks.get(self.i).map(|(t, _)| t.clone()) {
                    Some(Tok::Ident(n)) => n,
                    _ => {
                        return Err(ParseError {
                            column: self.pos(),
                            message: "expected a name inside ‖…‖".into(),
                        });
                    }
                };
                self.i += 1;
                self.expect('‖')?;
                Ok(Expr::Var {
                    name: format!("‖{name}‖"),
                    pos,
                })
            }
            Some(Tok::Sym('(')) => {
                self.i += 1;
                let saved = self.in_abs;
                self.in_abs = 0;
                let e = self.additive()?;
                self.in_abs = saved;
                if self.eat(':') {
                    // A type ascription such as `(2 : ℝ)`: the type must be a number type.
                    let tpos = self.pos();
                    match self.peek() {
                        // ℕ and ℤ arithmetic differs from ℝ's (truncated subtraction, integer
                        // division): only a numeral may be ascribed to them.
                        Some(Tok::Ident(t)) if ["ℕ", "ℤ"].contains(&t.as_str()) => {
                            let numeral = match &e {
                                Expr::Num { .. } => true,
                                Expr::Neg(a) => t == "ℤ" && matches!(**a, Expr::Num { .. }),
                                _ => false,
                            };
                            if !numeral {
                                return Err(ParseError {
                                    column: tpos,
                                    message: format!(
                                        "arithmetic in {t} (truncated subtraction, integer division) is not in the fragment: only a numeral may be ascribed {t}"
                                    ),
                                });
                            }
                            self.i += 1
                        }
                        Some(Tok::Ident(t)) if ["ℝ", "ℚ", "Real"].contains(&t.as_str()) => {
                            self.i += 1
                        }
                        _ => {
                            return Err(ParseError {
                                column: tpos,
                                message: "expected a number type (ℝ, ℚ, ℕ, ℤ)".into(),
                            });
                        }
                    }
                }
                self.expect(')')?;
                Ok(e)
            }
            Some(Tok::Sym('|')) if self.in_abs == 0 || self.i + 1 < self.toks.len() => {
                self.i += 1;
                self.in_abs += 1;
                let e = self.additive()?;
                self.in_abs -= 1;
                self.expect('|')?;
                Ok(Expr::Abs(Box::new(e)))
            }
            Some(t) => Err(ParseError {
                column: pos,
                message: format!("expected a number, a name or `(`, found {}", describe(&t)),
            }),
            None => Err(ParseError {
                column: pos,
                message: "the expression ends too early".into(),
            }),
        }
    }
}

fn nat_literal(e: &Expr) -> Option<u32> {
    match e {
        Expr::Num { text, .. } if text.chars().all(|c| c.is_ascii_digit()) => text.parse().ok(),
        _ => None,
    }
}

/// The environment of a definition's body at a call: each parameter bound to its argument's
/// value. A vector argument only enters through its norm: when `‖v‖` is bound, `‖p‖` is bound
/// to it, and `p` itself only when `v` is bound too.
pub(crate) fn bind_call<T: Clone, E>(
    params: &[String],
    args: &[Expr],
    env: &std::collections::BTreeMap<String, T>,
    mut value: impl FnMut(&Expr) -> Result<T, E>,
) -> Result<std::collections::BTreeMap<String, T>, E> {
    let mut inner = std::collections::BTreeMap::new();
    for (p, a) in params.iter().zip(args) {
        if let Expr::Var { name: v, .. } = a {
            if let Some(norm) = env.get(&format!("‖{v}‖")) {
                inner.insert(format!("‖{p}‖"), norm.clone());
                if !env.contains_key(v) {
                    continue;
                }
            }
        }
        inner.insert(p.clone(), value(a)?);
    }
    Ok(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: &str) -> Box<Expr> {
        Box::new(Expr::Num {
            text: n.into(),
            pos: 0,
        })
    }

    /// Found by `theorist-fuzz` (numerics): a function name where an argument belongs hit an
    /// `unreachable!`.
    #[test]
    fn a_function_in_argument_position_is_an_error_not_a_panic() {
        for src in ["min Real.sqrt 2 3", "max 1 Real.exp 2"] {
            let e = parse(src).unwrap_err();
            assert!(e.message.contains("needs parentheses"), "{src}: {e:?}");
        }
        assert!(parse("min (Real.sqrt 2) 3").is_ok());
    }

    #[test]
    fn lean_precedences() {
        // -x ^ 2 is -(x ^ 2), and application binds tighter than `*`.
        let e = parse("-x ^ 2").unwrap();
        assert!(matches!(e, Expr::Neg(ref inner) if matches!(**inner, Expr::Pow(_, 2))));
        let e = parse("Real.sqrt 2 * Real.pi").unwrap();
        assert!(
            matches!(e, Expr::Mul(ref a, ref b) if matches!(**a, Expr::Call(Func::Sqrt, _, 0)) && **b == Expr::Pi)
        );
        let e = parse("1 - 2 - 3").unwrap();
        assert!(matches!(e, Expr::Sub(ref a, _) if matches!(**a, Expr::Sub(_, _))));
        let e = parse("2 ^ 3 ^ 2").unwrap_err();
        assert!(
            e.message.contains("natural-number literals"),
            "right-assoc: 3 ^ 2 is not a literal"
        );
    }

    #[test]
    fn unicode_names_casts_abs_and_sqrt_sign() {
        let e = parse("-μSq * x + 𝓵 * x ^ 2").unwrap();
        assert!(matches!(e, Expr::Add(_, _)));
        assert_eq!(
            parse("(2 : ℝ)").unwrap(),
            Expr::Num {
                text: "2".into(),
                pos: 1
            }
        );
        assert!(matches!(parse("|x - 1|").unwrap(), Expr::Abs(_)));
        assert!(matches!(parse("√2").unwrap(), Expr::Call(Func::Sqrt, _, 0)));
        assert!(matches!(parse("φ₁ / 3").unwrap(), Expr::Div(_, _, 3)));
        assert_eq!(parse("1.5e-3").unwrap(), *num("1.5e-3"));
    }

    #[test]
    fn errors_name_the_column() {
        let e = parse("x + * 2").unwrap_err();
        assert_eq!(e.column, 4);
        assert_eq!(
            e.to_string(),
            "column 5: expected a number, a name or `(`, found `*`"
        );
        assert_eq!(parse("(x + 1").unwrap_err().message, "expected `)`");
        assert!(
            parse("x # y")
                .unwrap_err()
                .message
                .contains("unexpected `#`")
        );
        assert!(parse("").is_err());
        assert_eq!(parse("(2 : ℕ) + (-3 : ℤ)").map(|_| ()), Ok(()));
        assert!(
            parse("((3 - 5 : ℕ) : ℝ)")
                .unwrap_err()
                .message
                .contains("truncated subtraction")
        );
        assert!(
            parse("(2 : Foo)")
                .unwrap_err()
                .message
                .contains("number type")
        );
    }
}
