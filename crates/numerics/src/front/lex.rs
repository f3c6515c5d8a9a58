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
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    let mut line_begin = 0usize; // char index where the line starts
    let mut line_has_token = false;
    let mut space_before = true;
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let byte = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    while i < chars.len() {
        let c = chars[i].1;
        if c == '\n' {
            i += 1;
            line += 1;
            line_begin = i;
            line_has_token = false;
            space_before = true;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            space_before = true;
            continue;
        }
        let pos = Pos {
            line,
            col: (i - line_begin) as u32,
        };
        // Comments.
        if c == '-' && at(i + 1) == Some('-') {
            while i < chars.len() && chars[i].1 != '\n' {
                i += 1;
            }
            space_before = true;
            continue;
        }
        if c == '/' && at(i + 1) == Some('-') {
            let mut depth = 0usize;
            loop {
                match (at(i), at(i + 1)) {
                    (Some('/'), Some('-')) => {
                        depth += 1;
                        i += 2;
                    }
                    (Some('-'), Some('/')) => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    }
                    (Some('\n'), _) => {
                        i += 1;
                        line += 1;
                        line_begin = i;
                        line_has_token = false;
                    }
                    (Some(_), _) => i += 1,
                    (None, _) => {
                        return Err(LexError {
                            pos,
                            message: "unterminated comment".into(),
                        });
                    }
                }
            }
            space_before = true;
            continue;
        }
        let start = i;
        let tok = if c == '"' {
            i += 1;
            let mut s = String::new();
            while let Some(d) = at(i) {
                if d == '"' {
                    break;
                }
                if d == '\\' {
                    i += 1;
                }
                if let Some(e) = at(i) {
                    if e == '\n' {
                        line += 1;
                        line_begin = i + 1;
                    }
                    s.push(e);
                }
                i += 1;
            }
            if at(i) != Some('"') {
                return Err(LexError {
                    pos,
                    message: "unterminated string".into(),
                });
            }
            i += 1;
            Tok::Str(s)
        } else if c == '\'' && char_literal_end(&chars, i).is_some() {
            let end = char_literal_end(&chars, i).expect("checked");
            let ch = if at(i + 1) == Some('\\') {
                at(i + 2).unwrap_or('\\')
            } else {
                at(i + 1).unwrap_or(' ')
            };
            i = end;
            Tok::Char(ch)
        } else if c == '`' && (at(i + 1).is_some_and(|d| is_id_first(d) || d == '`' || d == '«')) {
            i += 1;
            if at(i) == Some('`') {
                i += 1;
            }
            let (name, next) = read_ident(&chars, i);
            i = next;
            Tok::NameLit(name)
        } else if c.is_ascii_digit() {
            let (t, next) = read_number(&chars, i);
            i = next;
            t
        } else if c == '.'
            && !space_before
            && out.last().is_some_and(|t: &Token| !t.opens())
            && at(i + 1).is_some_and(|d| is_id_first(d) || d.is_ascii_digit() || d == '«')
            && at(i + 1).is_none_or(|d| d != '.')
        {
            // `(e).f`, `x.1`: a projection glued to the previous token.
            i += 1;
            if at(i).is_some_and(|d| d.is_ascii_digit()) {
                let s = i;
                while at(i).is_some_and(|d| d.is_ascii_digit()) {
                    i += 1;
                }
                Tok::Field(chars[s..i].iter().map(|(_, c)| *c).collect())
            } else {
                let (name, next) = read_ident(&chars, i);
                i = next;
                Tok::Field(name)
            }
        } else if c == '.' && at(i + 1).is_some_and(|d| is_id_first(d) || d == '«') {
            // `.c` after a space or a bracket: the constant `c` of the expected type's
            // namespace (`massTerm .stabilityCounterExample`).
            let (name, next) = read_ident(&chars, i + 1);
            i = next;
            Tok::Ident(format!(".{name}"))
        } else if is_id_first(c) || c == '«' {
            let (name, next) = read_ident(&chars, i);
            i = next;
            Tok::Ident(name)
        } else if let Some(sym) = symbols.iter().find(|s| matches_at(&chars, i, s)) {
            i += sym.chars().count();
            Tok::Sym((*sym).to_string())
        } else {
            // A symbol of a notation theorist does not know (Mathlib declares many): a token of
            // its own, so only the terms that use it fail to parse, not the whole file.
            i += 1;
            Tok::Sym(c.to_string())
        };
        out.push(Token {
            tok,
            pos,
            start: byte(start),
            end: byte(i),
            line_start: !line_has_token,
            space_before,
        });
        line_has_token = true;
        space_before = false;
    }
    Ok(out)
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
