//! The term parser: Lean 4's precedences (core `Init/Notation.lean`: `↔` 20, `→` 25 right,
//! `∨` 30 and `∧` 35 right, relations 50 non-associative, `+ -` 65 and `* / %` 70 left, `•` 73
//! right, `^` 80 right, prefix `-` 75, `¬` 40, application and `⁻¹` tightest), binders of
//! `fun`/`∀`/`∃`/`∑` with their bodies extending as far as Lean's do (`∑` bodies at 67), and the
//! notations in scope (mixfix, infix, prefix, postfix), expanded as they are read. Nesting
//! deeper than [`MAX_DEPTH`] is an error with its position, never a stack overflow.

use super::lex::{Pos, Tok, Token};
use super::syntax::{Arg, BigOp, Binder, BinderKind, Kind, MatchArm, Op, Term};

/// How deep terms may nest (parentheses, operators, binders) before the parser gives up.
pub const MAX_DEPTH: usize = 200;
/// How many operators one flat chain (`a + b + c + …`) may have: the chain is a left-nested
/// tree, and dropping it recurses once per operator.
pub const MAX_CHAIN: usize = 5000;

const MAX: u32 = 1024;
const LEAD: u32 = 1022;

/// Text the parser cannot read as a Lean term.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct ParseError {
    pub pos: Pos,
    pub message: String,
}

/// One item of a notation's pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Atom(String),
    Var(String, u32),
}

/// A notation in scope: its pattern and its expansion (identifiers in it already resolved
/// where the notation was declared).
#[derive(Debug, Clone, PartialEq)]
pub struct Notation {
    pub items: Vec<Item>,
    /// The precedence of the result.
    pub prec: u32,
    pub expansion: Term,
}

impl Notation {
    fn leading_atom(&self) -> Option<&str> {
        match self.items.first() {
            Some(Item::Atom(a)) => Some(a),
            _ => None,
        }
    }

    fn trailing_atom(&self) -> Option<&str> {
        match (self.items.first(), self.items.get(1)) {
            (Some(Item::Var(..)), Some(Item::Atom(a))) => Some(a),
            _ => None,
        }
    }
}

pub struct Parser<'a> {
    toks: &'a [Token],
    pub i: usize,
    notations: &'a [Notation],
    depth: usize,
    /// Closing delimiters (`‖`, `|`) of the norms and absolute values being read: inside them
    /// the same symbol closes instead of starting an argument.
    closers: Vec<String>,
    /// Where the token slice ends, for messages.
    end: Pos,
}

type R<T> = Result<T, ParseError>;

/// Identifiers that never start an argument.
const KEYWORDS: &[&str] = &[
    "then",
    "else",
    "with",
    "at",
    "in",
    "do",
    "from",
    "have",
    "show",
    "let",
    "if",
    "match",
    "where",
    "deriving",
    "termination_by",
    "decreasing_by",
    "calc",
    "using",
    "generalizing",
    "to",
];

impl<'a> Parser<'a> {
    pub fn new(toks: &'a [Token], notations: &'a [Notation], end: Pos) -> Parser<'a> {
        Parser {
            toks,
            i: 0,
            notations,
            depth: 0,
            closers: Vec::new(),
            end,
        }
    }

    pub fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.i)
    }

    pub fn peek_at(&self, k: usize) -> Option<&'a Token> {
        self.toks.get(self.i + k)
    }

    pub fn pos(&self) -> Pos {
        self.peek().map_or(self.end, |t| t.pos)
    }

    pub fn at_end(&self) -> bool {
        self.i >= self.toks.len()
    }

    pub fn err<T>(&self, message: impl Into<String>) -> R<T> {
        Err(ParseError {
            pos: self.pos(),
            message: message.into(),
        })
    }

    pub fn eat_sym(&mut self, s: &str) -> bool {
        if self.peek().is_some_and(|t| t.is_sym(s)) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    pub fn eat_ident(&mut self, s: &str) -> bool {
        if self.peek().is_some_and(|t| t.is_ident(s)) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    pub fn expect_sym(&mut self, s: &str) -> R<()> {
        if self.eat_sym(s) {
            Ok(())
        } else {
            match self.peek() {
                Some(t) => self.err(format!("expected `{s}`, found {}", t.describe())),
                None => self.err(format!("expected `{s}`, found the end")),
            }
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err(format!(
                "the term nests deeper than {MAX_DEPTH} levels: theorist does not read it"
            ));
        }
        Ok(())
    }

    /// A whole term: everything up to the end of the slice must be used.
    pub fn term_to_end(&mut self) -> R<Term> {
        let t = self.term(0)?;
        if let Some(tok) = self.peek() {
            return self.err(format!("unexpected {}", tok.describe()));
        }
        Ok(t)
    }

    /// A term at precedence `min`.
    pub fn term(&mut self, min: u32) -> R<Term> {
        self.enter()?;
        let r = self.term_inner(min);
        self.depth -= 1;
        r
    }

    fn term_inner(&mut self, min: u32) -> R<Term> {
        let start = self.pos();
        let (mut lhs, mut lp) = self.leading()?;
        let mut chain = 0usize;
        if lp < min {
            return Err(ParseError {
                pos: start,
                message: "this term binds looser than its context allows (Lean would not parse it here; add parentheses)".to_string(),
            });
        }
        while let Some(tok) = self.peek() {
            if let Some((op, prec, lreq, rreq)) = binop_of(tok) {
                if prec < min || lp < lreq {
                    break;
                }
                if self.closes(tok) {
                    break;
                }
                let pos = tok.pos;
                self.i += 1;
                if op == Op::Imp {
                    self.skip_bundled_arrow();
                }
                chain += 1;
                if chain > MAX_CHAIN {
                    return self.err(format!(
                        "more than {MAX_CHAIN} operators in one chain: theorist does not read it"
                    ));
                }
                self.enter()?;
                let rhs = self.term(rreq);
                self.depth -= 1;
                lhs = Term::new(Kind::Binop(op, Box::new(lhs), Box::new(rhs?)), pos);
                lp = prec;
                continue;
            }
            // A trailing notation (`a +ₘ b`, `x ᵀ`).
            if let Some((t, p)) = self.trailing_notation(&lhs, lp, min)? {
                lhs = t;
                lp = p;
                continue;
            }
            break;
        }
        Ok(lhs)
    }

    /// Whether `tok` is the closing delimiter of an enclosing norm or absolute value.
    fn closes(&self, tok: &Token) -> bool {
        matches!(&tok.tok, Tok::Sym(s) if self.closers.last() == Some(s))
    }

    fn trailing_notation(&mut self, lhs: &Term, lp: u32, min: u32) -> R<Option<(Term, u32)>> {
        let Some(tok) = self.peek() else {
            return Ok(None);
        };
        let Tok::Sym(s) = &tok.tok else {
            return Ok(None);
        };
        for n in self.notations {
            if n.trailing_atom() != Some(s.as_str()) || n.prec < min {
                continue;
            }
            let Some(Item::Var(_, lreq)) = n.items.first() else {
                continue;
            };
            if lp < *lreq {
                continue;
            }
            let save = self.i;
            let mut bound = vec![lhs.clone()];
            if self.match_items(&n.items[1..], &mut bound).is_ok() {
                return Ok(Some((expand(n, &bound, lhs.pos), n.prec)));
            }
            self.i = save;
        }
        Ok(None)
    }

    fn match_items(&mut self, items: &[Item], bound: &mut Vec<Term>) -> R<()> {
        for (k, item) in items.iter().enumerate() {
            match item {
                Item::Atom(a) => {
                    if !self.eat_sym(a.trim()) && !self.eat_ident(a.trim()) {
                        return self.err(format!("expected `{}`", a.trim()));
                    }
                }
                Item::Var(_, prec) => {
                    // A variable followed by an atom reads up to that atom.
                    let closer = match items.get(k + 1) {
                        Some(Item::Atom(a)) => Some(a.trim().to_string()),
                        _ => None,
                    };
                    if let Some(c) = &closer {
                        self.closers.push(c.clone());
                    }
                    let t = self.term(*prec);
                    if closer.is_some() {
                        self.closers.pop();
                    }
                    bound.push(t?);
                }
            }
        }
        Ok(())
    }

    /// A leading term with its precedence.
    fn leading(&mut self) -> R<(Term, u32)> {
        let Some(tok) = self.peek() else {
            return self.err("the term ends too early");
        };
        let pos = tok.pos;
        // Notations with a leading atom are tried first (longest patterns first).
        if let Tok::Sym(s) = &tok.tok {
            if let Some(r) = self.leading_notation(s)? {
                return Ok(r);
            }
        }
        match &tok.tok {
            Tok::Sym(s) => self.leading_symbol(s, pos),
            Tok::Ident(s) => match s.as_str() {
                "fun" => {
                    self.i += 1;
                    self.fun_rest(pos)
                }
                "if" => {
                    self.i += 1;
                    self.if_rest(pos)
                }
                "by" => {
                    self.i += 1;
                    self.skip_proof();
                    Ok((Term::new(Kind::By, pos), LEAD))
                }
                "match" => {
                    self.i += 1;
                    self.match_rest(pos)
                }
                "let" | "have" | "show" | "calc" | "do" | "haveI" | "letI" => {
                    let what = s.clone();
                    self.skip_proof();
                    Ok((
                        Term::new(Kind::Unsupported(format!("`{what}` terms")), pos),
                        LEAD,
                    ))
                }
                _ => self.app(),
            },
            _ => self.app(),
        }
    }

    /// A leading term that starts with the symbol `s`: a prefix operator, a binder
    /// (`∀`, `∃`, `λ`, `∑`), or a bracket (`|·|`, `‖·‖`, `⌊·⌋`); else an application.
    fn leading_symbol(&mut self, s: &str, pos: Pos) -> R<(Term, u32)> {
        match s {
            "-" => {
                self.i += 1;
                let a = self.term(75)?;
                Ok((Term::new(Kind::Neg(Box::new(a)), pos), 75))
            }
            "¬" => {
                self.i += 1;
                let a = self.term(40)?;
                Ok((Term::new(Kind::Not(Box::new(a)), pos), MAX))
            }
            "↑" | "⇑" | "↥" => {
                self.i += 1;
                // `↑f x` is `(↑f) x`: the operand is an argument, not an application.
                let a = self.atom()?;
                let a = self.postfix(a)?;
                Ok((Term::new(Kind::Coe(Box::new(a)), pos), MAX))
            }
            "√" => {
                self.i += 1;
                // `prefix:max`: `√x⁻¹ = √(x⁻¹)` but `√f x = (√f) x`.
                let a = self.atom()?;
                let a = self.postfix(a)?;
                let f = Term::new(Kind::Ident("_root_.Real.sqrt".into()), pos);
                Ok((
                    Term::new(Kind::App(Box::new(f), vec![Arg::Pos(a)]), pos),
                    MAX,
                ))
            }
            "∀" | "∃" | "∃!" | "Π" => {
                self.i += 1;
                let binders = self.binders(true)?;
                self.expect_sym(",")?;
                let body = Box::new(self.term(0)?);
                let kind = match s {
                    "∃" => Kind::Exists(binders, body),
                    "∃!" => Kind::ExistsUnique(binders, body),
                    _ => Kind::Forall(binders, body),
                };
                Ok((Term::new(kind, pos), LEAD))
            }
            "λ" => {
                self.i += 1;
                self.fun_rest(pos)
            }
            "∑" | "∏" => {
                self.i += 1;
                let b = self.bigop_binder()?;
                self.expect_sym(",")?;
                let body = self.term(67)?;
                let op = if s == "∑" { BigOp::Sum } else { BigOp::Prod };
                // Mathlib's `syntax "∑ " … ", " term:67 : term` gives the body precedence
                // 67 and the node the default (max): `2 * ∑ b, f b + c` is
                // `2 * (∑ b, f b) + c`.
                Ok((
                    Term::new(Kind::BigOp(op, Box::new(b), Box::new(body)), pos),
                    MAX,
                ))
            }
            "|" => {
                self.i += 1;
                let a = self.delimited("|")?;
                let t = self.postfix(Term::new(Kind::Abs(Box::new(a)), pos))?;
                Ok((t, MAX))
            }
            "‖" => {
                self.i += 1;
                let a = self.delimited("‖")?;
                let t = self.postfix(Term::new(Kind::Norm(Box::new(a)), pos))?;
                Ok((t, MAX))
            }
            "⌊" | "⌈" => {
                self.i += 1;
                self.floor_rest(s, pos)
            }
            _ => self.app(),
        }
    }

    /// After `⌊` or `⌈` (`open`): the term, through its closing bracket (`⌋₊`/`⌉₊`, the
    /// natural-number versions, are not read).
    fn floor_rest(&mut self, open: &str, pos: Pos) -> R<(Term, u32)> {
        let close = if open == "⌊" { "⌋" } else { "⌉" };
        self.closers.push(close.into());
        let a = self.term(0);
        self.closers.pop();
        let a = a?;
        if self.eat_sym(&format!("{close}₊")) {
            return Ok((
                Term::new(
                    Kind::Unsupported(format!("{open}…{close}₊ (Nat.floor/Nat.ceil)")),
                    pos,
                ),
                MAX,
            ));
        }
        self.expect_sym(close)?;
        let kind = if open == "⌊" {
            Kind::Floor(Box::new(a))
        } else {
            Kind::Ceil(Box::new(a))
        };
        let t = self.postfix(Term::new(kind, pos))?;
        Ok((t, MAX))
    }

    /// After `if`: `c then a else b` (`if h : c then …`: the hypothesis name is not needed).
    fn if_rest(&mut self, pos: Pos) -> R<(Term, u32)> {
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::Ident(_)))
            && self.peek_at(1).is_some_and(|t| t.is_sym(":"))
        {
            self.i += 2;
        }
        let c = self.term(0)?;
        if !self.eat_ident("then") {
            return self.err("expected `then`");
        }
        let a = self.term(0)?;
        if !self.eat_ident("else") {
            return self.err("expected `else`");
        }
        let b = self.term(0)?;
        Ok((
            Term::new(Kind::If(Box::new(c), Box::new(a), Box::new(b)), pos),
            LEAD,
        ))
    }

    fn leading_notation(&mut self, s: &str) -> R<Option<(Term, u32)>> {
        let mut best: Option<(usize, Term, u32)> = None;
        let save = self.i;
        for n in self.notations {
            if n.leading_atom() != Some(s) {
                continue;
            }
            self.i = save;
            let mut bound = Vec::new();
            let pos = self.pos();
            if self.match_items(&n.items, &mut bound).is_ok() {
                let consumed = self.i;
                if best.as_ref().is_none_or(|(c, _, _)| consumed > *c) {
                    best = Some((consumed, expand(n, &bound, pos), n.prec));
                }
            }
        }
        self.i = save;
        match best {
            Some((end, t, prec)) => {
                self.i = end;
                // A notation whose result is an atom takes arguments like a name does.
                let t = if prec >= MAX {
                    let t = self.postfix(t)?;
                    self.args(t)?
                } else {
                    t
                };
                Ok(Some((t, prec)))
            }
            None => Ok(None),
        }
    }

    /// `e ‖` / `e |`: the term inside a norm or an absolute value, up to its closer.
    fn delimited(&mut self, close: &str) -> R<Term> {
        self.closers.push(close.into());
        let a = self.term(0);
        self.closers.pop();
        let a = a?;
        self.expect_sym(close)?;
        Ok(a)
    }

    /// `fun x y => e`, `fun (x : ℝ) => e`, `fun (φ, x) => e`, `fun x ↦ e`.
    fn fun_rest(&mut self, pos: Pos) -> R<(Term, u32)> {
        let binders = self.binders(false)?;
        if !self.eat_sym("=>") && !self.eat_sym("↦") {
            return self.err("expected `=>` or `↦`");
        }
        let body = self.term(0)?;
        Ok((Term::new(Kind::Fun(binders, Box::new(body)), pos), LEAD))
    }

    /// After `→`: the `ₗ[R]` of a bundled linear map `A →ₗ[R] B` (and `L[R]` of a continuous
    /// one), glued to the arrow. Such a map is read as its function (`toFun`), which is what
    /// applying it means in Lean (the `DFunLike` coercion).
    fn skip_bundled_arrow(&mut self) {
        let glued = |t: &Token| !t.space_before;
        let is_mark = self
            .peek()
            .is_some_and(|t| glued(t) && (t.is_sym("ₗ") || t.is_ident("L") || t.is_ident("ₗ")));
        if !is_mark || !self.peek_at(1).is_some_and(|t| t.is_sym("[") && glued(t)) {
            return;
        }
        self.i += 2;
        self.skip_past_closing(&["["], "]");
    }

    /// After an opening bracket: on to just past its closing `close` (`opens` nest), or to
    /// the end of the slice.
    fn skip_past_closing(&mut self, opens: &[&str], close: &str) {
        let mut depth = 1;
        while let Some(t) = self.peek() {
            self.i += 1;
            if opens.iter().any(|o| t.is_sym(o)) {
                depth += 1;
            } else if t.is_sym(close) {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// `match a, b with | p, q => e | …`, after `match`.
    fn match_rest(&mut self, pos: Pos) -> R<(Term, u32)> {
        let mut scrutinees = Vec::new();
        loop {
            // `h : e` names the equation; the value is all that matters here.
            if matches!(self.peek().map(|t| &t.tok), Some(Tok::Ident(_)))
                && self.peek_at(1).is_some_and(|t| t.is_sym(":"))
            {
                self.i += 2;
            }
            scrutinees.push(self.term(0)?);
            if !self.eat_sym(",") {
                break;
            }
        }
        if !self.eat_ident("with") {
            return self.err("expected `with`");
        }
        let arms = self.match_arms(scrutinees.len())?;
        Ok((
            Term::new(Kind::Match(Box::new((scrutinees, arms))), pos),
            LEAD,
        ))
    }

    /// The arms `| p, q => e` of a `match` (or of a definition by equations) with `arity`
    /// patterns each, up to the end of the slice or an unmatched closing bracket. Inside an
    /// arm, a `|` ends the value (it starts the next arm), so `|x|` must be bracketed there.
    pub fn match_arms(&mut self, arity: usize) -> R<Vec<MatchArm>> {
        self.closers.push("|".into());
        let arms = self.match_arms_inner(arity);
        self.closers.pop();
        let arms = arms?;
        if arms.is_empty() {
            return self.err("expected `|` and a match arm");
        }
        Ok(arms)
    }

    fn match_arms_inner(&mut self, arity: usize) -> R<Vec<MatchArm>> {
        let mut arms = Vec::new();
        while self.eat_sym("|") {
            let mut patterns = vec![self.term(0)?];
            while self.eat_sym(",") {
                patterns.push(self.term(0)?);
            }
            if patterns.len() != arity {
                return self.err(format!(
                    "a match arm with {} patterns for {arity} values",
                    patterns.len()
                ));
            }
            if !self.eat_sym("=>") {
                return self.err("expected `=>`");
            }
            let body = self.term(0)?;
            arms.push(MatchArm { patterns, body });
        }
        Ok(arms)
    }

    /// Skips a proof (`by …`, `have …`): to the end of the slice or to an unmatched closing
    /// bracket or a `,` at depth 0.
    fn skip_proof(&mut self) {
        let mut depth = 0i32;
        while let Some(t) = self.peek() {
            if let Tok::Sym(s) = &t.tok {
                match s.as_str() {
                    "(" | "[" | "{" | "⟨" | "⦃" | "@[" => depth += 1,
                    ")" | "]" | "}" | "⟩" | "⦄" => {
                        if depth == 0 {
                            return;
                        }
                        depth -= 1;
                    }
                    "," if depth == 0 => return,
                    _ => {}
                }
            }
            self.i += 1;
        }
    }

    /// Binders of `∀`/`∃`/`fun`: `x y`, `x y : T`, `(x : T) (h : P)`, `{x}`, `[inst]`,
    /// `x > 0`, `x ∈ s`, `(φ, x)` (patterns, for `fun` only).
    pub fn binders(&mut self, quantifier: bool) -> R<Vec<Binder>> {
        let mut out = Vec::new();
        let mut bare: Vec<(String, Pos)> = Vec::new();
        let start = self.pos();
        while let Some(tok) = self.peek() {
            match &tok.tok {
                Tok::Ident(n) if !KEYWORDS.contains(&n.as_str()) => {
                    bare.push((n.clone(), tok.pos));
                    self.i += 1;
                }
                Tok::Sym(s) if s == "(" || s == "{" || s == "⦃" || s == "[" => {
                    if !bare.is_empty() {
                        out.push(plain(std::mem::take(&mut bare), None, start));
                    }
                    out.push(self.bracketed_binder()?);
                }
                Tok::Sym(s) if s == ":" => {
                    self.i += 1;
                    // The type extends to the `,` (or `=>`).
                    let ty = self.term(0)?;
                    out.push(plain(std::mem::take(&mut bare), Some(ty), start));
                    break;
                }
                Tok::Sym(s) if quantifier && is_binder_pred(s) => {
                    let op = binop_of(tok).map(|b| b.0).expect("a relation");
                    self.i += 1;
                    let rhs = self.term(51)?;
                    let mut b = plain(std::mem::take(&mut bare), None, start);
                    b.pred = Some((op, rhs));
                    out.push(b);
                    break;
                }
                _ => break,
            }
        }
        if !bare.is_empty() {
            out.push(plain(bare, None, start));
        }
        if out.is_empty() {
            return self.err("expected a binder");
        }
        Ok(out)
    }

    /// `(x y : T)`, `(x : T := d)`, `{x : T}`, `⦃x⦄`, `[Fact p]`, `[inst : C]`, `(φ, x)`.
    pub fn bracketed_binder(&mut self) -> R<Binder> {
        let pos = self.pos();
        let open = match self.peek().map(|t| &t.tok) {
            Some(Tok::Sym(s)) => s.clone(),
            _ => return self.err("expected a binder"),
        };
        self.i += 1;
        let (close, kind) = match open.as_str() {
            "(" => (")", BinderKind::Explicit),
            "{" => ("}", BinderKind::Implicit),
            "⦃" => ("⦄", BinderKind::StrictImplicit),
            _ => ("]", BinderKind::Instance),
        };
        if kind == BinderKind::Instance {
            return self.instance_binder(pos);
        }
        let mut names = Vec::new();
        while let Some(Token {
            tok: Tok::Ident(n),
            pos,
            ..
        }) = self.peek()
        {
            names.push((n.clone(), *pos));
            self.i += 1;
        }
        // `(φ, x)`: a tuple pattern.
        if kind == BinderKind::Explicit
            && names.len() == 1
            && self.peek().is_some_and(|t| t.is_sym(","))
        {
            return self.tuple_binder(names, pos);
        }
        if names.is_empty() {
            return self.err("expected a name in the binder");
        }
        let mut ty = None;
        let mut default = None;
        if self.eat_sym(":") {
            ty = Some(self.term(0)?);
        }
        if self.eat_sym(":=") {
            default = Some(self.term(0)?);
        }
        self.expect_sym(close)?;
        Ok(Binder {
            names,
            ty,
            kind,
            pred: None,
            tuple_pattern: false,
            default,
            pos,
        })
    }

    /// After `[`: `[inst : C]` or `[C]`, through the `]`.
    fn instance_binder(&mut self, pos: Pos) -> R<Binder> {
        let mut names = Vec::new();
        if let (
            Some(Token {
                tok: Tok::Ident(n),
                pos,
                ..
            }),
            Some(t2),
        ) = (self.peek(), self.peek_at(1))
        {
            if t2.is_sym(":") {
                names.push((n.clone(), *pos));
                self.i += 2;
            }
        }
        let ty = self.term(0)?;
        self.expect_sym("]")?;
        Ok(Binder {
            names,
            ty: Some(ty),
            kind: BinderKind::Instance,
            pred: None,
            tuple_pattern: false,
            default: None,
            pos,
        })
    }

    /// The rest of a tuple pattern `(φ, x)` after its first name, through the `)`.
    fn tuple_binder(&mut self, mut names: Vec<(String, Pos)>, pos: Pos) -> R<Binder> {
        while self.eat_sym(",") {
            match self.peek() {
                Some(Token {
                    tok: Tok::Ident(n),
                    pos,
                    ..
                }) => {
                    names.push((n.clone(), *pos));
                    self.i += 1;
                }
                _ => return self.err("expected a name in the pattern"),
            }
        }
        self.expect_sym(")")?;
        Ok(Binder {
            names,
            ty: None,
            kind: BinderKind::Explicit,
            pred: None,
            tuple_pattern: true,
            default: None,
            pos,
        })
    }

    /// The binder of `∑`: `i`, `i : T`, `i ∈ s`, `(i : T)`, `i in s` (Lean 3 style).
    fn bigop_binder(&mut self) -> R<Binder> {
        let pos = self.pos();
        if self.peek().is_some_and(|t| t.is_sym("(")) {
            return self.bracketed_binder();
        }
        let mut names = Vec::new();
        while let Some(Token {
            tok: Tok::Ident(n),
            pos,
            ..
        }) = self.peek()
        {
            if n == "in" {
                break;
            }
            names.push((n.clone(), *pos));
            self.i += 1;
        }
        if names.is_empty() {
            return self.err("expected the summation variable");
        }
        let mut b = plain(names, None, pos);
        if self.eat_sym(":") {
            b.ty = Some(self.term(51)?);
        }
        if self.eat_sym("∈") || self.eat_ident("in") {
            b.pred = Some((Op::Mem, self.term(51)?));
        }
        Ok(b)
    }

    /// An atom with its postfix operators and arguments; an application binds at Lean's
    /// `lead` precedence, a lone atom at `max`.
    fn app(&mut self) -> R<(Term, u32)> {
        let head = self.atom()?;
        let head = self.postfix(head)?;
        let t = self.args(head)?;
        let prec = if matches!(t.kind, Kind::App(..)) {
            LEAD
        } else {
            MAX
        };
        Ok((t, prec))
    }

    fn args(&mut self, head: Term) -> R<Term> {
        let mut args = Vec::new();
        while let Some(tok) = self.peek() {
            if !self.starts_argument(tok) {
                break;
            }
            // `(x := e)`: a named argument.
            if tok.is_sym("(")
                && matches!(self.peek_at(1).map(|t| &t.tok), Some(Tok::Ident(_)))
                && self.peek_at(2).is_some_and(|t| t.is_sym(":="))
            {
                let Some(Tok::Ident(n)) = self.peek_at(1).map(|t| t.tok.clone()) else {
                    unreachable!("checked")
                };
                self.i += 3;
                let v = self.term(0)?;
                self.expect_sym(")")?;
                args.push(Arg::Named(n, v));
                continue;
            }
            let arg = if tok.is_ident("fun") || tok.is_sym("λ") {
                let pos = tok.pos;
                self.i += 1;
                self.fun_rest(pos)?.0
            } else if tok.is_sym("‖") || tok.is_sym("|") || tok.is_sym("√") || tok.is_sym("↑")
            {
                let (t, _) = self.leading()?;
                t
            } else {
                let a = self.atom()?;
                self.postfix(a)?
            };
            args.push(Arg::Pos(arg));
        }
        if args.is_empty() {
            return Ok(head);
        }
        let pos = head.pos;
        Ok(Term::new(Kind::App(Box::new(head), args), pos))
    }

    fn starts_argument(&self, tok: &Token) -> bool {
        if self.closes(tok) {
            return false;
        }
        match &tok.tok {
            Tok::Ident(n) => !KEYWORDS.contains(&n.as_str()) && n != "by",
            Tok::Nat(_) | Tok::Sci(_) | Tok::Str(_) | Tok::Char(_) | Tok::NameLit(_) => true,
            Tok::Sym(s) => {
                matches!(
                    s.as_str(),
                    "(" | "⟨"
                        | "["
                        | "{"
                        | "‖"
                        | "|"
                        | "√"
                        | "↑"
                        | "@"
                        | "λ"
                        | "⌊"
                        | "⌈"
                        | "!₂["
                        | "!!["
                        | "⊤"
                        | "⊥"
                        | "∞"
                        | "∅"
                ) && !(s == "|" && self.closers.iter().any(|c| c == "|"))
                    && !(s == "‖" && self.closers.iter().any(|c| c == "‖"))
                    || self
                        .notations
                        .iter()
                        .any(|n| n.prec >= MAX && n.leading_atom() == Some(s.as_str()))
            }
            Tok::Field(_) => false,
        }
    }

    /// `e⁻¹`, `e.f`, `e.1`.
    fn postfix(&mut self, mut t: Term) -> R<Term> {
        loop {
            match self.peek().map(|t| &t.tok) {
                Some(Tok::Sym(s)) if s == "⁻¹" => {
                    let pos = t.pos;
                    self.i += 1;
                    t = Term::new(Kind::Inv(Box::new(t)), pos);
                }
                Some(Tok::Field(f)) => {
                    let pos = t.pos;
                    let f = f.clone();
                    self.i += 1;
                    t = match t.kind {
                        // `x.f` written as one dotted name was lexed as one identifier; a field
                        // after a closing bracket is a projection.
                        Kind::Ident(ref n) if !n.starts_with("_root_.") => {
                            Term::new(Kind::Ident(format!("{n}.{f}")), pos)
                        }
                        _ => Term::new(Kind::Proj(Box::new(t), f), pos),
                    };
                }
                _ => return Ok(t),
            }
        }
    }

    /// Names, literals, brackets.
    fn atom(&mut self) -> R<Term> {
        self.enter()?;
        let r = self.atom_inner();
        self.depth -= 1;
        r
    }

    fn atom_inner(&mut self) -> R<Term> {
        let Some(tok) = self.peek() else {
            return self.err("the term ends too early");
        };
        let pos = tok.pos;
        let kind = match &tok.tok {
            Tok::Ident(n) if n == "_" => {
                self.i += 1;
                Kind::Hole
            }
            Tok::Ident(n) if n == "sorry" => {
                self.i += 1;
                Kind::Sorry
            }
            Tok::Ident(n) if n == "Type" || n == "Prop" || n == "Sort" => {
                self.i += 1;
                // `Type u`, `Sort*`: the universe is not needed.
                if let Some(Token {
                    tok: Tok::Ident(u), ..
                }) = self.peek()
                {
                    if u.len() == 1 || u.starts_with('u') || u.starts_with('v') {
                        self.i += 1;
                    }
                }
                self.eat_sym("*");
                Kind::Sort(n.clone())
            }
            Tok::Ident(n) if KEYWORDS.contains(&n.as_str()) || n == "fun" || n == "by" => {
                return self.err(format!("unexpected `{n}`"));
            }
            Tok::Ident(n) => {
                self.i += 1;
                Kind::Ident(n.clone())
            }
            Tok::Nat(n) => {
                self.i += 1;
                Kind::Nat(n.clone())
            }
            Tok::Sci(n) => {
                self.i += 1;
                Kind::Sci(n.clone())
            }
            Tok::Str(s) => {
                self.i += 1;
                Kind::Str(s.clone())
            }
            Tok::Char(_) | Tok::NameLit(_) => {
                self.i += 1;
                Kind::Unsupported("a character or name literal".into())
            }
            Tok::Field(f) => return self.err(format!("unexpected `.{f}`")),
            Tok::Sym(s) => return self.symbol_atom(s, pos),
        };
        Ok(Term::new(kind, pos))
    }

    /// An atom that starts with the symbol `s`: a bracket (`(…)`, `⟨…⟩`, `⟪x, y⟫_𝕜`, `{…}`,
    /// `!![…]`, `!₂[…]`), `@f`, a leading construct in argument position, or something
    /// theorist names as unsupported.
    fn symbol_atom(&mut self, s: &str, pos: Pos) -> R<Term> {
        let kind = match s {
            "(" => {
                self.i += 1;
                return self.paren(pos);
            }
            "⟨" => {
                self.i += 1;
                let mut items = Vec::new();
                if !self.eat_sym("⟩") {
                    loop {
                        items.push(self.term(0)?);
                        if self.eat_sym("⟩") {
                            break;
                        }
                        self.expect_sym(",")?;
                    }
                }
                Kind::Anon(items)
            }
            "⟪" => {
                self.i += 1;
                self.inner_rest(pos)?
            }
            "{" => {
                self.i += 1;
                return self.brace(pos);
            }
            // `!![a, b; c, d]`: a matrix, row by row.
            "!![" => {
                self.i += 1;
                let saved = std::mem::take(&mut self.closers);
                let rows = self.matrix_rows();
                self.closers = saved;
                Kind::MatrixLit(rows?)
            }
            // `!₂[a, b]`: a Euclidean vector by its components.
            "!₂[" => {
                self.i += 1;
                let saved = std::mem::take(&mut self.closers);
                let items = self.vector_items();
                self.closers = saved;
                Kind::VecLit(items?)
            }
            "[" => {
                self.i += 1;
                self.skip_past_closing(&["[", "!₂[", "!!["], "]");
                Kind::Unsupported("a list or vector literal".into())
            }
            "@" => {
                self.i += 1;
                match self.peek().map(|t| &t.tok) {
                    Some(Tok::Ident(n)) => {
                        let n = n.clone();
                        self.i += 1;
                        Kind::Explicit(n)
                    }
                    _ => return self.err("expected a name after `@`"),
                }
            }
            "·" => {
                self.i += 1;
                Kind::Unsupported("`·` function shorthand".into())
            }
            "∞" | "⊤" | "⊥" | "∅" => {
                self.i += 1;
                Kind::Unsupported(format!("`{s}`"))
            }
            "|" | "‖" | "√" | "↑" | "⌊" | "⌈" | "-" | "¬" | "∀" | "∃" | "∑" | "∏" | "λ" =>
            {
                // Leading constructs in argument position (`f ‖x‖`, `f (-x)` needs parens).
                let (t, _) = self.leading()?;
                return Ok(t);
            }
            _ => return self.err(format!("unexpected `{s}`")),
        };
        Ok(Term::new(kind, pos))
    }

    /// After `⟪`: Mathlib's `⟪x, y⟫_𝕜` (`InnerProductSpace` notation) is `inner 𝕜 x y`.
    fn inner_rest(&mut self, pos: Pos) -> R<Kind> {
        let x = self.term(0)?;
        self.expect_sym(",")?;
        let y = self.term(0)?;
        self.expect_sym("⟫")?;
        let scalar = match self.peek().map(|t| &t.tok) {
            Some(Tok::Ident(n)) if n.len() > 1 && n.starts_with('_') => n[1..].to_string(),
            _ => return self.err("`⟪x, y⟫` without its scalar field (`⟪x, y⟫_ℂ`)"),
        };
        let spos = self.peek().map_or(pos, |t| t.pos);
        self.i += 1;
        let head = Term::new(Kind::Ident("_root_.inner".into()), pos);
        Ok(Kind::App(
            Box::new(head),
            vec![
                Arg::Pos(Term::new(Kind::Ident(scalar), spos)),
                Arg::Pos(x),
                Arg::Pos(y),
            ],
        ))
    }

    /// After `(`: `()`, `(e)`, `(e : T)`, `(a, b)`.
    /// The components of `!₂[a, b]` after the opening token, through the `]`.
    fn vector_items(&mut self) -> R<Vec<Term>> {
        let mut items = Vec::new();
        if self.eat_sym("]") {
            return Ok(items);
        }
        loop {
            items.push(self.term(0)?);
            if self.eat_sym("]") {
                return Ok(items);
            }
            if !self.eat_sym(",") {
                return self.err("expected `,` or `]` in `!₂[…]`");
            }
        }
    }

    /// The rows of `!![a, b; c, d]` after the opening token, through the `]`.
    fn matrix_rows(&mut self) -> R<Vec<Vec<Term>>> {
        let mut rows = vec![Vec::new()];
        if self.eat_sym("]") {
            return Ok(Vec::new());
        }
        loop {
            let entry = self.term(0)?;
            rows.last_mut().expect("a row").push(entry);
            if self.eat_sym("]") {
                return Ok(rows);
            }
            if self.eat_sym(";") {
                rows.push(Vec::new());
                continue;
            }
            self.expect_sym(",")?;
        }
    }

    fn paren(&mut self, pos: Pos) -> R<Term> {
        if self.eat_sym(")") {
            return Ok(Term::new(Kind::Tuple(Vec::new()), pos));
        }
        let saved = std::mem::take(&mut self.closers);
        let r = self.paren_inner(pos);
        self.closers = saved;
        r
    }

    fn paren_inner(&mut self, pos: Pos) -> R<Term> {
        let e = self.term(0)?;
        if self.eat_sym(":") {
            if self.eat_sym(")") {
                // `(e :)`: elaborate without an expected type.
                return Ok(Term::new(Kind::Paren(Box::new(e)), pos));
            }
            let ty = self.term(0)?;
            self.expect_sym(")")?;
            return Ok(Term::new(Kind::Ascribe(Box::new(e), Box::new(ty)), pos));
        }
        if self.peek().is_some_and(|t| t.is_sym(",")) {
            let mut items = vec![e];
            while self.eat_sym(",") {
                items.push(self.term(0)?);
            }
            self.expect_sym(")")?;
            return Ok(Term::new(Kind::Tuple(items), pos));
        }
        self.expect_sym(")")?;
        Ok(Term::new(Kind::Paren(Box::new(e)), pos))
    }

    /// Where a structure-instance field's value ends: the `,` or `}` at depth 0, or a new line
    /// that starts `name :=`.
    fn field_value_end(&self) -> usize {
        let mut depth = 0i32;
        let mut k = self.i;
        while let Some(t) = self.toks.get(k) {
            if let Tok::Sym(s) = &t.tok {
                match s.as_str() {
                    "(" | "[" | "{" | "⟨" | "⦃" | "!₂[" | "!![" => depth += 1,
                    ")" | "]" | "⟩" | "⦄" => depth -= 1,
                    "}" => {
                        if depth == 0 {
                            return k;
                        }
                        depth -= 1;
                    }
                    "," if depth == 0 => return k,
                    _ => {}
                }
            }
            if depth == 0
                && k > self.i
                && t.line_start
                && matches!(t.tok, Tok::Ident(_))
                && self.toks.get(k + 1).is_some_and(|n| n.is_sym(":="))
            {
                return k;
            }
            k += 1;
        }
        k
    }

    /// After `{`: a structure instance `{ x := e, … }`, a set `{x | p}` / `{x : T | p}`.
    fn brace(&mut self, pos: Pos) -> R<Term> {
        let saved = std::mem::take(&mut self.closers);
        let r = self.brace_inner(pos);
        self.closers = saved;
        r
    }

    /// The index of a `with` at bracket depth 0 before this brace closes.
    fn with_at_depth_zero(&self) -> Option<usize> {
        let mut depth = 0i32;
        for (k, t) in self.toks.iter().enumerate().skip(self.i) {
            match &t.tok {
                Tok::Sym(s) => match s.as_str() {
                    "(" | "[" | "{" | "⟨" | "⦃" | "!₂[" | "!![" => depth += 1,
                    ")" | "]" | "⟩" | "⦄" => depth -= 1,
                    "}" if depth == 0 => return None,
                    "}" => depth -= 1,
                    _ => {}
                },
                Tok::Ident(w) if w == "with" && depth == 0 => return Some(k),
                _ => {}
            }
        }
        None
    }

    fn brace_inner(&mut self, pos: Pos) -> R<Term> {
        // `{ s with x := … }`: a structure update.
        if let Some(w) = self.with_at_depth_zero() {
            let mut sub = Parser::new(&self.toks[self.i..w], self.notations, self.pos());
            sub.depth = self.depth;
            let base = sub.term_to_end()?;
            self.i = w + 1;
            let fields = if self.eat_sym("}") {
                Vec::new()
            } else {
                self.struct_fields()?
            };
            return Ok(Term::new(Kind::StructUpdate(Box::new(base), fields), pos));
        }
        // `{ x := …`
        if matches!(self.peek().map(|t| &t.tok), Some(Tok::Ident(_)))
            && self.peek_at(1).is_some_and(|t| t.is_sym(":="))
        {
            return Ok(Term::new(Kind::StructInst(self.struct_fields()?), pos));
        }
        self.brace_set(pos)
    }

    /// `x := …, y := … }` (fields on separate lines need no comma), through the brace.
    fn struct_fields(&mut self) -> R<Vec<(String, Term)>> {
        {
            let mut fields = Vec::new();
            loop {
                let Some(Tok::Ident(n)) = self.peek().map(|t| t.tok.clone()) else {
                    return self.err("expected a field name");
                };
                self.i += 1;
                self.expect_sym(":=")?;
                // The value ends where the next field starts on a new line (fields need no
                // comma there) or at the closing brace.
                let end = self.field_value_end();
                let mut sub = Parser::new(&self.toks[self.i..end], self.notations, self.pos());
                sub.depth = self.depth;
                let v = sub.term_to_end()?;
                self.i = end;
                fields.push((n, v));
                if self.eat_sym("}") {
                    break;
                }
                if !self.eat_sym(",") {
                    // Fields on separate lines need no comma.
                    if !matches!(self.peek().map(|t| &t.tok), Some(Tok::Ident(_))) {
                        return self.err("expected `,` or `}`");
                    }
                }
            }
            Ok(fields)
        }
    }

    /// `{x | p}`, `{x : T | p}`, `{x : T // p}`; other braces are unsupported.
    fn brace_set(&mut self, pos: Pos) -> R<Term> {
        // `{x | p}` or `{x : T | p}`.
        if let Some(Token {
            tok: Tok::Ident(n),
            pos: npos,
            ..
        }) = self.peek()
        {
            let (n, npos) = (n.clone(), *npos);
            let save = self.i;
            self.i += 1;
            let mut ty = None;
            if self.eat_sym(":") {
                self.closers.push("|".into());
                let t = self.term(0);
                self.closers.pop();
                ty = Some(t?);
            }
            // `{x : T // p}` is `Subtype`, the set `{x : T | p}` used as a type.
            if self.eat_sym("|") || (ty.is_some() && self.eat_sym("//")) {
                let p = self.term(0)?;
                self.expect_sym("}")?;
                let b = Binder {
                    names: vec![(n, npos)],
                    ty,
                    kind: BinderKind::Explicit,
                    pred: None,
                    tuple_pattern: false,
                    default: None,
                    pos: npos,
                };
                return Ok(Term::new(Kind::SetOf(Box::new(b), Box::new(p)), pos));
            }
            self.i = save;
        }
        // Anything else (set literals, subtypes, `{ s with … }`) is skipped.
        self.skip_past_closing(&["{"], "}");
        Ok(Term::new(
            Kind::Unsupported("a set literal, subtype or structure update `{ … }`".into()),
            pos,
        ))
    }
}

fn plain(names: Vec<(String, Pos)>, ty: Option<Term>, pos: Pos) -> Binder {
    Binder {
        names,
        ty,
        kind: BinderKind::Explicit,
        pred: None,
        tuple_pattern: false,
        default: None,
        pos,
    }
}

fn is_binder_pred(s: &str) -> bool {
    matches!(
        s,
        ">" | "<" | "≥" | "≤" | "≠" | "∈" | "∉" | "⊆" | ">=" | "<="
    )
}

/// The binary operator of a token: (operator, precedence, minimum left precedence, right
/// precedence).
fn binop_of(tok: &Token) -> Option<(Op, u32, u32, u32)> {
    let Tok::Sym(s) = &tok.tok else { return None };
    Some(match s.as_str() {
        "↔" | "<->" => (Op::Iff, 20, 21, 21),
        "→" | "->" => (Op::Imp, 25, 26, 25),
        "∨" => (Op::Or, 30, 31, 30),
        "∧" => (Op::And, 35, 36, 35),
        "×" => (Op::Prod, 35, 36, 35),
        "⊕" => (Op::SumType, 30, 31, 30),
        "=" => (Op::Eq, 50, 51, 51),
        "≠" | "!=" => (Op::Ne, 50, 51, 51),
        "<" => (Op::Lt, 50, 51, 51),
        ">" => (Op::Gt, 50, 51, 51),
        "≤" | "<=" => (Op::Le, 50, 51, 51),
        "≥" | ">=" => (Op::Ge, 50, 51, 51),
        "∈" => (Op::Mem, 50, 51, 51),
        "∉" => (Op::NotMem, 50, 51, 51),
        "⊆" => (Op::Subset, 50, 51, 51),
        "∣" => (Op::Dvd, 50, 51, 51),
        "+" => (Op::Add, 65, 65, 66),
        "-" => (Op::Sub, 65, 65, 66),
        "*" => (Op::Mul, 70, 70, 71),
        "/" => (Op::Div, 70, 70, 71),
        "%" => (Op::Mod, 70, 70, 71),
        "•" => (Op::SMul, 73, 74, 73),
        "^" => (Op::Pow, 80, 81, 80),
        "∘" => (Op::Comp, 90, 91, 90),
        _ => return None,
    })
}

/// A notation's expansion with its variables replaced by the terms read.
fn expand(n: &Notation, bound: &[Term], pos: Pos) -> Term {
    let names: Vec<&str> = n
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Var(v, _) => Some(v.as_str()),
            Item::Atom(_) => None,
        })
        .collect();
    let mut t = substitute(&n.expansion, &names, bound);
    t.pos = pos;
    t
}

/// Replaces identifiers `names[k]` by `by[k]` (a notation's right-hand side binds nothing
/// theorist reads, so no capture can happen).
pub fn substitute(t: &Term, names: &[&str], by: &[Term]) -> Term {
    let s = |x: &Term| Box::new(substitute(x, names, by));
    let kind = match &t.kind {
        Kind::Ident(n) => {
            if let Some(k) = names.iter().position(|m| m == n) {
                if let Some(b) = by.get(k) {
                    return b.clone();
                }
            }
            t.kind.clone()
        }
        Kind::App(f, args) => Kind::App(
            s(f),
            args.iter()
                .map(|a| match a {
                    Arg::Pos(x) => Arg::Pos(substitute(x, names, by)),
                    Arg::Named(n, x) => Arg::Named(n.clone(), substitute(x, names, by)),
                })
                .collect(),
        ),
        Kind::Binop(op, a, b) => Kind::Binop(*op, s(a), s(b)),
        Kind::Neg(a) => Kind::Neg(s(a)),
        Kind::Not(a) => Kind::Not(s(a)),
        Kind::Coe(a) => Kind::Coe(s(a)),
        Kind::Inv(a) => Kind::Inv(s(a)),
        Kind::Paren(a) => Kind::Paren(s(a)),
        Kind::Abs(a) => Kind::Abs(s(a)),
        Kind::Norm(a) => Kind::Norm(s(a)),
        Kind::Floor(a) => Kind::Floor(s(a)),
        Kind::Ceil(a) => Kind::Ceil(s(a)),
        Kind::Proj(a, f) => Kind::Proj(s(a), f.clone()),
        Kind::Ascribe(a, b) => Kind::Ascribe(s(a), s(b)),
        Kind::Tuple(xs) => Kind::Tuple(xs.iter().map(|x| substitute(x, names, by)).collect()),
        Kind::Anon(xs) => Kind::Anon(xs.iter().map(|x| substitute(x, names, by)).collect()),
        Kind::If(a, b, c) => Kind::If(s(a), s(b), s(c)),
        other => other.clone(),
    };
    Term::new(kind, t.pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::lex::lex;
    use std::collections::BTreeSet;

    fn parse(src: &str) -> R<Term> {
        let toks = lex(src, &BTreeSet::new()).unwrap();
        Parser::new(&toks, &[], Pos::default()).term_to_end()
    }

    fn show(t: &Term) -> String {
        match &t.kind {
            Kind::Ident(n) => n.clone(),
            Kind::Nat(n) | Kind::Sci(n) => n.clone(),
            Kind::App(f, args) => {
                let a: Vec<String> = args
                    .iter()
                    .map(|a| match a {
                        Arg::Pos(x) => show(x),
                        Arg::Named(n, x) => format!("({n} := {})", show(x)),
                    })
                    .collect();
                format!("({} {})", show(f), a.join(" "))
            }
            Kind::Binop(op, a, b) => format!("({} {} {})", show(a), op.text(), show(b)),
            Kind::Neg(a) => format!("(-{})", show(a)),
            Kind::Not(a) => format!("(¬{})", show(a)),
            Kind::Paren(a) => show(a),
            Kind::Inv(a) => format!("{}⁻¹", show(a)),
            Kind::Abs(a) => format!("|{}|", show(a)),
            Kind::Norm(a) => format!("‖{}‖", show(a)),
            Kind::Ascribe(a, b) => format!("({} : {})", show(a), show(b)),
            Kind::Forall(bs, body) | Kind::Exists(bs, body) => {
                let names: Vec<String> = bs
                    .iter()
                    .flat_map(|b| b.names.iter().map(|n| n.0.clone()))
                    .collect();
                format!("(Q {}, {})", names.join(" "), show(body))
            }
            Kind::BigOp(_, b, body) => format!("(∑ {}, {})", b.names[0].0, show(body)),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn lean_precedences() {
        assert_eq!(show(&parse("-x ^ 2").unwrap()), "(-(x ^ 2))");
        assert_eq!(show(&parse("-x * y").unwrap()), "((-x) * y)");
        assert_eq!(show(&parse("2 ^ 3 ^ 2").unwrap()), "(2 ^ (3 ^ 2))");
        assert_eq!(show(&parse("a - b - c").unwrap()), "((a - b) - c)");
        assert_eq!(
            show(&parse("Real.sqrt 2 * π").unwrap()),
            "((Real.sqrt 2) * π)"
        );
        assert_eq!(show(&parse("f x⁻¹").unwrap()), "(f x⁻¹)");
        assert_eq!(
            show(&parse("a ≤ b → c ∧ d ∨ ¬ e ↔ f").unwrap()),
            "(((a ≤ b) → ((c ∧ d) ∨ (¬e))) ↔ f)"
        );
        assert_eq!(
            show(&parse("∑ i, f i + 1").unwrap()),
            "((∑ i, (f i)) + 1)",
            "∑ bodies stop at precedence 67"
        );
        assert_eq!(
            show(&parse("2 * ∑ b, k b * c + ∑ a, a").unwrap()),
            "((2 * (∑ b, ((k b) * c))) + (∑ a, a))",
            "a ∑ is an operand of `*` (PhysLean's `quarticTermReduced`)"
        );
        assert_eq!(
            show(&parse("⟪x, y⟫_ℂ * 2").unwrap()),
            "((_root_.inner ℂ x y) * 2)",
            "Mathlib's inner product notation"
        );
        assert_eq!(show(&parse("∀ x > 0, x = x").unwrap()), "(Q x, (x = x))");
        assert_eq!(show(&parse("|x - 1| * ‖y‖").unwrap()), "(|(x - 1)| * ‖y‖)");
        assert_eq!(
            show(&parse("√x * y").unwrap()),
            "((_root_.Real.sqrt x) * y)"
        );
    }

    #[test]
    fn what_lean_rejects_is_rejected() {
        // Relations do not chain, and `^ -1` needs parentheses.
        assert!(parse("0 ≤ x ≤ 1").is_err());
        assert!(parse("x ^ -1").is_err());
        assert!(parse("(x + 1").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nests deeper"), "{e}");
        let flat = (0..3000)
            .map(|i| format!("x{i}"))
            .collect::<Vec<_>>()
            .join(" + ");
        assert!(parse(&flat).is_ok());
    }

    #[test]
    fn user_notations_expand() {
        let extra: BTreeSet<String> = ["‖_H^2".to_string()].into_iter().collect();
        let toks = lex("‖φ‖_H^2 x + ‖φ‖", &extra).unwrap();
        let n = Notation {
            items: vec![
                Item::Atom("‖".into()),
                Item::Var("φ1".into(), 0),
                Item::Atom("‖_H^2".into()),
            ],
            prec: MAX,
            expansion: Term::new(
                Kind::App(
                    Box::new(Term::new(
                        Kind::Ident("_root_.normSq".into()),
                        Pos::default(),
                    )),
                    vec![Arg::Pos(Term::new(
                        Kind::Ident("φ1".into()),
                        Pos::default(),
                    ))],
                ),
                Pos::default(),
            ),
        };
        let ns = [n];
        let t = Parser::new(&toks, &ns, Pos::default())
            .term_to_end()
            .unwrap();
        assert_eq!(show(&t), "(((_root_.normSq φ) x) + ‖φ‖)");
    }
}
