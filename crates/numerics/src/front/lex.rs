//! Lean 4 tokens with their positions. Comments (`--`, nested `/- -/`, doc comments) are
//! skipped here, so nothing downstream can mistake a comment inside a binder for code.
//! Identifiers follow Lean's `isIdFirst`/`isIdRest` (ASCII letters, `_`, Greek but `λ Π Σ`,
//! the letter-like block that holds `ℝ ℕ ℤ ℚ ℂ`, script letters such as `𝓵`, subscripts, `'`
//! `!` `?`), joined by `.` into dotted names (`Real.sqrt`, `P.toFun`). Symbols are matched
//! longest first against Lean's tokens plus the ones the file's notations declare
//! (`‖_H^2`), as Lean's tokenizer does.

use std::collections::BTreeSet;

/// A position in Lean's convention: line 1-based, column 0-based in codepoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col + 1)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// A (possibly dotted) identifier; `«x y»` escapes are kept without the guillemets.
    Ident(String),
    /// A natural-number literal (decimal, `0x`, `0b`, `0o`), as written.
    Nat(String),
    /// A scientific literal: `2.5`, `1e-3`, `1.5E10`.
    Sci(String),
    Str(String),
    Char(char),
    /// `` `name `` or ``` ``name ```.
    NameLit(String),
    Sym(String),
    /// `.field` or `.1` right after a term without space (`(f x).1`, `e.toFun`).
    Field(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// Byte range in the source.
    pub start: usize,
    pub end: usize,
    /// The first token on its line.
    pub line_start: bool,
    /// Whitespace or a comment precedes it.
    pub space_before: bool,
}

impl Token {
    pub fn is_sym(&self, s: &str) -> bool {
        matches!(&self.tok, Tok::Sym(t) if t == s)
    }

    /// An opening bracket or a separator: a `.` right after it starts a name (`(.inl 0)`),
    /// it is not a projection.
    pub fn opens(&self) -> bool {
        matches!(&self.tok, Tok::Sym(t) if matches!(t.as_str(), "(" | "[" | "{" | "⟨" | "⦃" | "," | "!₂[" | "!!["))
    }

    pub fn is_ident(&self, s: &str) -> bool {
        matches!(&self.tok, Tok::Ident(t) if t == s)
    }

    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Nat(s) | Tok::Sci(s) => format!("number `{s}`"),
            Tok::Str(_) => "a string".into(),
            Tok::Char(_) => "a character literal".into(),
            Tok::NameLit(s) => format!("name literal `{s}"),
            Tok::Sym(s) => format!("`{s}`"),
            Tok::Field(s) => format!("`.{s}`"),
        }
    }
}

/// Text Lean would not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct LexError {
    pub pos: Pos,
    pub message: String,
}

/// Lean's built-in and Mathlib's common symbol tokens (longest match wins).
const SYMBOLS: &[&str] = &[
    ":=", "=>", "->", "<-", "<=", ">=", "!=", "==", "&&", "||", "::", "...", "..", "//", "<;>",
    "<|>", "<|", "|>.", "|>", "×", "⁻¹", "•", "∘", "∑", "∏", "∈", "∉", "⊆", "⊂", "∩", "∪", "∀",
    "∃!", "∃", "¬", "∧", "∨", "↔", "<->", "→", "←", "↦", "⟨", "⟩", "‖", "|", "⌊", "⌋", "⌈", "⌉",
    "√", "↑", "⇑", "↥", "·", "%", "^", "+", "-", "*", "/", "(", ")", "[", "]", "{", "}", "⦃", "⦄",
    ",", ":", ";", "@[", "@", "#", "$", "≤", "≥", "<", ">", "=", "≠", "!", "?", "∣", "⬝ᵥ", "∂",
    "∫", "⟪", "⟫", "⟪", "⊤", "⊥", "∞", "ᶜ", "⁺", "⋆", "∗", "ᵀ", "†", "≃", "≅", "⊗", "⊕", "∅", "∆",
    "\\", "~", "&", "'", "λ", "Π", "Σ", "°", "⊢", "²", "³", "∼", "≈", "≡", "⁅", "⁆", "⟦", "⟧",
    "!₂[", "!![",
];

fn is_letter_like(c: char) -> bool {
    let v = c as u32;
    (0x3b1..=0x3c9).contains(&v) && v != 0x3bb
        || (0x391..=0x3a9).contains(&v) && v != 0x3a0 && v != 0x3a3
        || (0x3ca..=0x3fb).contains(&v)
        || (0x1f00..=0x1ffe).contains(&v)
        || (0x2100..=0x214f).contains(&v)
        || (0x1d49c..=0x1d59f).contains(&v)
}

fn is_subscript_alnum(c: char) -> bool {
    let v = c as u32;
    (0x2080..=0x2089).contains(&v)
        || (0x2090..=0x209c).contains(&v)
        || (0x1d62..=0x1d6a).contains(&v)
}

pub fn is_id_first(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || is_letter_like(c)
}

pub fn is_id_rest(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || c == '\''
        || c == '!'
        || c == '?'
        || is_letter_like(c)
        || is_subscript_alnum(c)
}

/// Reads `text` into tokens; `extra` are symbol tokens declared by notations.
pub fn lex(text: &str, extra: &BTreeSet<String>) -> Result<Vec<Token>, LexError> {
    let mut symbols: Vec<&str> = SYMBOLS.to_vec();
    symbols.extend(extra.iter().map(String::as_str));
    // Longest first, so `‖_H^2` beats `‖` and `:=` beats `:`.
    symbols.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    symbols.dedup();
    let mut lx = Lexer {
        text,
        chars: text.char_indices().collect(),
        symbols,
        i: 0,
        line: 1,
        line_begin: 0,
        line_has_token: false,
        space_before: true,
        out: Vec::new(),
    };
    while lx.i < lx.chars.len() {
        let c = lx.chars[lx.i].1;
        if c == '\n' {
            lx.newline();
            lx.space_before = true;
            continue;
        }
        if c.is_whitespace() {
            lx.i += 1;
            lx.space_before = true;
            continue;
        }
        let pos = Pos {
            line: lx.line,
            col: (lx.i - lx.line_begin) as u32,
        };
        if lx.comment(c, pos)? {
            lx.space_before = true;
            continue;
        }
        let start = lx.i;
        let tok = lx.token(c, pos)?;
        lx.out.push(Token {
            tok,
            pos,
            start: lx.byte(start),
            end: lx.byte(lx.i),
            line_start: !lx.line_has_token,
            space_before: lx.space_before,
        });
        lx.line_has_token = true;
        lx.space_before = false;
    }
    Ok(lx.out)
}

/// The lexer's state: the text's characters, where it is in them, and the tokens so far.
struct Lexer<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    /// Symbol tokens, longest first.
    symbols: Vec<&'a str>,
    /// The current character index.
    i: usize,
    line: u32,
    /// The character index where the line starts.
    line_begin: usize,
    line_has_token: bool,
    space_before: bool,
    out: Vec<Token>,
}

impl Lexer<'_> {
    /// Character `i`, if the text has one.
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|(_, c)| *c)
    }

    /// The byte offset of character `i` (the text's length past its end).
    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |(b, _)| *b)
    }

    /// Steps over a line break.
    fn newline(&mut self) {
        self.i += 1;
        self.line += 1;
        self.line_begin = self.i;
        self.line_has_token = false;
    }

    /// Skips a comment starting at the current character (`c`), if one does: `--` to the end
    /// of the line, or a nested `/- … -/`.
    fn comment(&mut self, c: char, pos: Pos) -> Result<bool, LexError> {
        let i = self.i;
        if c == '-' && self.at(i + 1) == Some('-') {
            while self.i < self.chars.len() && self.chars[self.i].1 != '\n' {
                self.i += 1;
            }
            return Ok(true);
        }
        if c != '/' || self.at(i + 1) != Some('-') {
            return Ok(false);
        }
        let mut depth = 0usize;
        loop {
            match (self.at(self.i), self.at(self.i + 1)) {
                (Some('/'), Some('-')) => {
                    depth += 1;
                    self.i += 2;
                }
                (Some('-'), Some('/')) => {
                    depth -= 1;
                    self.i += 2;
                    if depth == 0 {
                        return Ok(true);
                    }
                }
                (Some('\n'), _) => self.newline(),
                (Some(_), _) => self.i += 1,
                (None, _) => {
                    return Err(LexError {
                        pos,
                        message: "unterminated comment".into(),
                    });
                }
            }
        }
    }

    /// The token starting at the current character (`c`), by its first characters: a string,
    /// a character or name literal, a number, a projection, a name, a symbol.
    fn token(&mut self, c: char, pos: Pos) -> Result<Tok, LexError> {
        let i = self.i;
        Ok(if c == '"' {
            self.string(pos)?
        } else if c == '\'' && char_literal_end(&self.chars, i).is_some() {
            let end = char_literal_end(&self.chars, i).expect("checked");
            let ch = if self.at(i + 1) == Some('\\') {
                self.at(i + 2).unwrap_or('\\')
            } else {
                self.at(i + 1).unwrap_or(' ')
            };
            self.i = end;
            Tok::Char(ch)
        } else if c == '`'
            && (self
                .at(i + 1)
                .is_some_and(|d| is_id_first(d) || d == '`' || d == '«'))
        {
            self.i += 1;
            if self.at(self.i) == Some('`') {
                self.i += 1;
            }
            let (name, next) = read_ident(&self.chars, self.i);
            self.i = next;
            Tok::NameLit(name)
        } else if c.is_ascii_digit() {
            let (t, next) = read_number(&self.chars, i);
            self.i = next;
            t
        } else if c == '.'
            && !self.space_before
            && self.out.last().is_some_and(|t: &Token| !t.opens())
            && self
                .at(i + 1)
                .is_some_and(|d| is_id_first(d) || d.is_ascii_digit() || d == '«')
            && self.at(i + 1).is_none_or(|d| d != '.')
        {
            self.projection()
        } else if c == '.' && self.at(i + 1).is_some_and(|d| is_id_first(d) || d == '«') {
            // `.c` after a space or a bracket: the constant `c` of the expected type's
            // namespace (`massTerm .stabilityCounterExample`).
            let (name, next) = read_ident(&self.chars, i + 1);
            self.i = next;
            Tok::Ident(format!(".{name}"))
        } else if is_id_first(c) || c == '«' {
            let (name, next) = read_ident(&self.chars, i);
            self.i = next;
            Tok::Ident(name)
        } else if let Some(sym) = self.symbols.iter().find(|s| matches_at(&self.chars, i, s)) {
            self.i += sym.chars().count();
            Tok::Sym((*sym).to_string())
        } else {
            // A symbol of a notation theorist does not know (Mathlib declares many): a token of
            // its own, so only the terms that use it fail to parse, not the whole file.
            self.i += 1;
            Tok::Sym(c.to_string())
        })
    }

    /// A string literal (escapes kept as the escaped character).
    fn string(&mut self, pos: Pos) -> Result<Tok, LexError> {
        self.i += 1;
        let mut s = String::new();
        while let Some(d) = self.at(self.i) {
            if d == '"' {
                break;
            }
            if d == '\\' {
                self.i += 1;
            }
            if let Some(e) = self.at(self.i) {
                if e == '\n' {
                    self.line += 1;
                    self.line_begin = self.i + 1;
                }
                s.push(e);
            }
            self.i += 1;
        }
        if self.at(self.i) != Some('"') {
            return Err(LexError {
                pos,
                message: "unterminated string".into(),
            });
        }
        self.i += 1;
        Ok(Tok::Str(s))
    }

    /// `(e).f`, `x.1`: a projection glued to the previous token.
    fn projection(&mut self) -> Tok {
        self.i += 1;
        if self.at(self.i).is_some_and(|d| d.is_ascii_digit()) {
            let s = self.i;
            while self.at(self.i).is_some_and(|d| d.is_ascii_digit()) {
                self.i += 1;
            }
            Tok::Field(self.chars[s..self.i].iter().map(|(_, c)| *c).collect())
        } else {
            let (name, next) = read_ident(&self.chars, self.i);
            self.i = next;
            Tok::Field(name)
        }
    }
}

fn matches_at(chars: &[(usize, char)], i: usize, s: &str) -> bool {
    let mut k = i;
    for c in s.chars() {
        match chars.get(k) {
            Some((_, d)) if *d == c => k += 1,
            _ => return false,
        }
    }
    true
}

/// `'a'` or `'\n'`: the index after the closing quote.
fn char_literal_end(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let c1 = chars.get(i + 1)?.1;
    if c1 == '\\' {
        let mut k = i + 2;
        while k < chars.len() && k < i + 12 {
            if chars[k].1 == '\'' {
                return Some(k + 1);
            }
            k += 1;
        }
        return None;
    }
    (chars.get(i + 2)?.1 == '\'' && c1 != '\'').then_some(i + 3)
}

/// A dotted identifier starting at `i`: components joined by `.` when an identifier start
/// follows the dot directly.
fn read_ident(chars: &[(usize, char)], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    loop {
        if chars.get(i).map(|c| c.1) == Some('«') {
            i += 1;
            while let Some((_, c)) = chars.get(i) {
                i += 1;
                if *c == '»' {
                    break;
                }
                name.push(*c);
            }
        } else {
            while let Some((_, c)) = chars.get(i) {
                if (name.is_empty() || name.ends_with('.')) && !is_id_first(*c) {
                    break;
                }
                if !is_id_rest(*c) {
                    break;
                }
                name.push(*c);
                i += 1;
            }
        }
        let dot = chars.get(i).map(|c| c.1) == Some('.');
        let next = chars.get(i + 1).map(|c| c.1);
        if dot && next.is_some_and(|d| is_id_first(d) || d == '«') {
            name.push('.');
            i += 1;
            continue;
        }
        return (name, i);
    }
}

fn read_number(chars: &[(usize, char)], mut i: usize) -> (Tok, usize) {
    let at = |i: usize| chars.get(i).map(|c| c.1);
    let start = i;
    let text = |a: usize, b: usize| -> String { chars[a..b].iter().map(|c| c.1).collect() };
    if at(i) == Some('0') && matches!(at(i + 1), Some('x' | 'X' | 'b' | 'B' | 'o' | 'O')) {
        let radix = match at(i + 1) {
            Some('x' | 'X') => 16,
            Some('b' | 'B') => 2,
            _ => 8,
        };
        let mut k = i + 2;
        while at(k).is_some_and(|d| d.is_digit(radix)) {
            k += 1;
        }
        if k > i + 2 {
            return (Tok::Nat(text(start, k)), k);
        }
    }
    while at(i).is_some_and(|d| d.is_ascii_digit()) {
        i += 1;
    }
    let mut sci = false;
    if at(i) == Some('.') && at(i + 1).is_some_and(|d| d.is_ascii_digit()) {
        sci = true;
        i += 1;
        while at(i).is_some_and(|d| d.is_ascii_digit()) {
            i += 1;
        }
    }
    if matches!(at(i), Some('e' | 'E')) {
        let mut k = i + 1;
        if matches!(at(k), Some('-' | '+')) {
            k += 1;
        }
        if at(k).is_some_and(|d| d.is_ascii_digit()) {
            while at(k).is_some_and(|d| d.is_ascii_digit()) {
                k += 1;
            }
            sci = true;
            i = k;
        }
    }
    let t = text(start, i);
    (if sci { Tok::Sci(t) } else { Tok::Nat(t) }, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s, &BTreeSet::new())
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn identifiers_numbers_and_comments() {
        assert_eq!(
            toks("(x /- a : ℕ -/ : ℝ) -- c\n  P.toFun φ₁ 𝓵 1.5e-3 7 0x1F"),
            vec![
                Tok::Sym("(".into()),
                Tok::Ident("x".into()),
                Tok::Sym(":".into()),
                Tok::Ident("ℝ".into()),
                Tok::Sym(")".into()),
                Tok::Ident("P.toFun".into()),
                Tok::Ident("φ₁".into()),
                Tok::Ident("𝓵".into()),
                Tok::Sci("1.5e-3".into()),
                Tok::Nat("7".into()),
                Tok::Nat("0x1F".into()),
            ]
        );
        // `π` is an identifier (Lean makes it a token only where its notation is open); `λ`
        // is not.
        assert_eq!(toks("π")[0], Tok::Ident("π".into()));
        assert_eq!(toks("λ")[0], Tok::Sym("λ".into()));
        assert_eq!(toks("(f x).1")[4], Tok::Field("1".into()));
        assert_eq!(toks("x' ≤ y")[0], Tok::Ident("x'".into()));
    }

    #[test]
    fn notation_tokens_match_longest_first() {
        let extra: BTreeSet<String> = ["‖_H^2".to_string()].into_iter().collect();
        let t: Vec<Tok> = lex("‖φ‖_H^2 x", &extra)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert_eq!(t[2], Tok::Sym("‖_H^2".into()));
    }

    #[test]
    fn positions_and_line_starts() {
        let t = lex("def f :=\n  1\ntheorem", &BTreeSet::new()).unwrap();
        assert_eq!(t[3].pos, Pos { line: 2, col: 2 });
        assert!(t[3].line_start);
        assert!(t[4].line_start && t[4].pos.col == 0);
        assert!(lex("/- open", &BTreeSet::new()).is_err());
    }
}
