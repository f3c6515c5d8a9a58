//! The names a Lean file uses: every identifier token outside comments and strings, with the
//! namespaces and `open`s Lean would resolve it against, and whether its first component is
//! bound locally (a binder of the enclosing declaration, a `variable`, a tactic's pattern).
//! What a name *means* is left to the caller (the bundled library's name-table test checks
//! each against the library's own declarations and a table of Mathlib names).
//!
//! Binders are found syntactically and only among single-component identifiers, so a dotted
//! global name (`Real.sqrt`) is never mistaken for a local one; the binder forms read are the
//! ones Lean sources use in practice: binder groups of a signature or `variable`, `fun`, `∀`,
//! `∃`, and the tactics `intro`, `rintro`, `obtain`, `rcases … with`, `have`, `set`, `by_cases`,
//! `ext`, `choose`. Within a declaration binders are not scoped (a name bound anywhere in it
//! counts as local everywhere in it).

use std::collections::BTreeSet;

use crate::mask::mask_comments_and_strings;
use crate::names::is_ident_char;
use crate::scan::{Pos, SourceFile};

/// One identifier token of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameUse {
    /// The token as written: `Real.sqrt_nonneg`, `h𝓵.le`, `P.toFun`, or a generalised field
    /// notation suffix `.le` (after `)`, `⟩` or `|>`), which starts with the dot.
    pub name: String,
    pub pos: Pos,
    /// Namespace prefixes Lean tries, innermost first, always ending with the root `""`: the
    /// open namespaces and the enclosing declaration's own prefixes.
    pub namespaces: Vec<String>,
    /// Namespaces opened by `open` anywhere in the file, as written (Lean resolves `open B`
    /// inside `namespace A` to `A.B` when that exists, else `B`).
    pub opens: Vec<String>,
    /// The first component is bound locally.
    pub local: bool,
    /// Written as `(name := …)`, `{ name := … }` or a `where` field assignment: a parameter or
    /// field name, not a reference to a global constant.
    pub assigned: bool,
    /// The full name of the declaration the token is in, if any.
    pub decl: Option<String>,
}

/// Structure fields the file declares (`structure S where` followed by `a b : T` lines), with
/// full names (`Ns.S.a`).
pub fn structure_fields(file: &SourceFile) -> Vec<String> {
    let masked = mask_comments_and_strings(file.text());
    let mut out = Vec::new();
    for d in &file.decls {
        if d.kind != crate::DeclKind::Structure && d.kind != crate::DeclKind::Class {
            continue;
        }
        let region = &masked[d.start_byte..d.end_byte];
        let Some(at) = find_word(region, "where") else {
            continue;
        };
        for line in region[at + 5..].lines() {
            let trimmed = line.trim();
            // `a b : T` declares fields; `a := v` would be a default of an inherited one.
            let Some(colon) = trimmed.find(':') else {
                continue;
            };
            if trimmed[colon..].starts_with(":=") {
                continue;
            }
            let names: Vec<&str> = trimmed[..colon].split_whitespace().collect();
            if !names.is_empty() && names.iter().all(|n| is_plain_ident(n)) {
                out.extend(names.iter().map(|n| format!("{}.{n}", d.name)));
            }
        }
    }
    out
}

/// Every identifier token of the file (outside comments and strings), in order.
pub fn name_uses(file: &SourceFile) -> Vec<NameUse> {
    let text = file.text();
    let masked = mask_comments_and_strings(text);
    let toks = tokenize(&masked);
    let scopes = namespace_scopes(&masked);
    let opens = opened_namespaces(&masked);
    let variable_binders = variable_binders(&masked);

    // Binders per declaration, found once.
    let decl_binders: Vec<BTreeSet<String>> = file
        .decls
        .iter()
        .map(|d| {
            let from = toks.partition_point(|t| t.start < d.start_byte);
            let to = toks.partition_point(|t| t.start < d.end_byte);
            let sig_end = d.body_start_byte.unwrap_or(d.end_byte);
            let mut set = signature_binders(&toks[from..to], sig_end);
            set.extend(body_binders(&toks[from..to]));
            set
        })
        .collect();

    // Commands whose words are module or namespace names, not references to constants.
    let command_lines = command_line_spans(&masked);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Tok::Ident(name) = &t.kind else {
            continue;
        };
        if name == "_"
            || command_lines
                .iter()
                .any(|&(a, b)| a <= t.start && t.start < b)
        {
            continue;
        }
        let decl_index = file
            .decls
            .iter()
            .position(|d| d.start_byte <= t.start && t.start < d.end_byte);
        let decl = decl_index.map(|k| &file.decls[k]);
        let head = name.trim_start_matches('.').split('.').next().unwrap_or("");
        let local = !name.starts_with('.')
            && (variable_binders.contains(head)
                || decl_index.is_some_and(|k| decl_binders[k].contains(head)));
        let assigned = !name.contains('.')
            && toks.get(i + 1).is_some_and(|n| n.is_sym(":="))
            && (i == 0
                || toks[i - 1].is_sym("(")
                || toks[i - 1].is_sym("{")
                || toks[i - 1].is_sym(",")
                || toks[i - 1].kind == Tok::Newline);
        // The declaration's own prefixes (Lean opens them in its body), then those of the
        // innermost enclosing namespace block (its name includes the outer ones), then root.
        let mut namespaces: Vec<String> = Vec::new();
        if let Some(d) = decl {
            // A structure's fields are in scope in its own body (`m_pos : 0 < m`).
            let own = matches!(d.kind, crate::DeclKind::Structure | crate::DeclKind::Class);
            namespaces.extend(prefixes(&d.name).into_iter().skip(usize::from(!own)));
        }
        if let Some(ns) = scopes
            .iter()
            .filter(|ns| ns.0 <= t.start && t.start < ns.1)
            .max_by_key(|ns| ns.0)
        {
            namespaces.extend(prefixes(&ns.2));
        }
        namespaces.push(String::new());
        let mut seen = BTreeSet::new();
        namespaces.retain(|n| seen.insert(n.clone()));
        out.push(NameUse {
            name: name.clone(),
            pos: file.pos_of(t.start),
            namespaces,
            opens: opens.clone(),
            local,
            assigned,
            decl: decl.map(|d| d.name.clone()),
        });
    }
    out
}

/// Byte spans of the lines that start with `import`, `namespace`, `section`, `end` or `open`.
fn command_line_spans(masked: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in masked.split_inclusive('\n') {
        let first = line.split_whitespace().next().unwrap_or("");
        let second = line.split_whitespace().nth(1).unwrap_or("");
        if !line.starts_with(char::is_whitespace)
            && (matches!(first, "import" | "namespace" | "section" | "end" | "open")
                || (first == "noncomputable" && second == "section"))
        {
            out.push((offset, offset + line.len()));
        }
        offset += line.len();
    }
    out
}

/// `A.B.c` → `["A.B.c", "A.B", "A"]`.
fn prefixes(name: &str) -> Vec<String> {
    let parts: Vec<&str> = name.split('.').collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("."))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Sym(String),
    Newline,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    start: usize,
}

impl Token {
    fn is_sym(&self, s: &str) -> bool {
        matches!(&self.kind, Tok::Sym(x) if x == s)
    }
    fn ident(&self) -> Option<&str> {
        match &self.kind {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }
}

/// Lean's identifier start: a letter (but not the keywords `λ`, `Π`, `Σ`) or `_`.
fn is_ident_start(c: char) -> bool {
    (c.is_alphabetic() && !matches!(c, 'λ' | 'Π' | 'Σ')) || c == '_'
}

fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_ident_start) && chars.all(is_ident_char)
}

const MULTI_SYMBOLS: &[&str] = &[":=", "=>", "<;>", "|>.", "|>", "<|", "∃!"];

fn tokenize(masked: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = masked.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '\n' {
            out.push(Token {
                kind: Tok::Newline,
                start: at,
            });
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // A generalised field suffix `.name` right after a closing bracket or `|>`.
        let after_close = out.last().is_some_and(
            |t: &Token| matches!(&t.kind, Tok::Sym(s) if s == ")" || s == "⟩" || s == "]"),
        ) && at > 0
            && !masked[..at].ends_with(char::is_whitespace);
        let starts_ident = is_ident_start(c)
            || (c == '.'
                && chars.get(i + 1).is_some_and(|&(_, n)| is_ident_start(n))
                && after_close);
        if starts_ident {
            let mut j = i + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                let dotted_component = d == '.'
                    && chars
                        .get(j + 1)
                        .is_some_and(|&(_, n)| is_ident_start(n) || n.is_ascii_digit());
                if !is_ident_char(d) && !dotted_component {
                    break;
                }
                j += 1;
            }
            let end = chars.get(j).map_or(masked.len(), |&(b, _)| b);
            out.push(Token {
                kind: Tok::Ident(masked[at..end].to_string()),
                start: at,
            });
            i = j;
            continue;
        }
        let rest = &masked[at..];
        if let Some(m) = MULTI_SYMBOLS.iter().find(|m| rest.starts_with(**m)) {
            if *m == "|>." {
                // `x |>.le`: the suffix is a field name.
                out.push(Token {
                    kind: Tok::Sym("|>".into()),
                    start: at,
                });
                out.push(Token {
                    kind: Tok::Sym(")".into()),
                    start: at + 2,
                });
                i += 2;
                continue;
            }
            out.push(Token {
                kind: Tok::Sym(m.to_string()),
                start: at,
            });
            i += m.chars().count();
            continue;
        }
        out.push(Token {
            kind: Tok::Sym(c.to_string()),
            start: at,
        });
        i += 1;
    }
    out
}

/// (start byte, end byte, full namespace) of every `namespace … end` block.
fn namespace_scopes(masked: &str) -> Vec<(usize, usize, String)> {
    let mut open: Vec<(usize, Option<String>)> = Vec::new();
    let mut out = Vec::new();
    let mut offset = 0;
    for line in masked.split_inclusive('\n') {
        let words: Vec<&str> = line.split_whitespace().collect();
        if !line.starts_with(char::is_whitespace) {
            match words.as_slice() {
                ["namespace", name, ..] => open.push((offset, Some(name.to_string()))),
                ["section", ..] | ["noncomputable", "section", ..] => open.push((offset, None)),
                ["end", ..] => {
                    if let Some((start, Some(name))) = open.pop() {
                        let outer: Vec<String> =
                            open.iter().filter_map(|(_, n)| n.clone()).collect();
                        let full = outer
                            .into_iter()
                            .chain(std::iter::once(name))
                            .collect::<Vec<_>>()
                            .join(".");
                        out.push((start, offset + line.len(), full));
                    }
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    while let Some((start, name)) = open.pop() {
        if let Some(name) = name {
            let outer: Vec<String> = open.iter().filter_map(|(_, n)| n.clone()).collect();
            let full = outer
                .into_iter()
                .chain(std::iter::once(name))
                .collect::<Vec<_>>()
                .join(".");
            out.push((start, masked.len(), full));
        }
    }
    out
}

/// Namespaces named by `open` commands (`open A B`, `open A in`, `open scoped A`).
fn opened_namespaces(masked: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in masked.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("open") {
            continue;
        }
        for w in words {
            if w == "in" || w == "scoped" {
                continue;
            }
            if w.starts_with('(') {
                break;
            }
            out.push(w.to_string());
        }
    }
    out
}

/// Binders of `variable` commands.
fn variable_binders(masked: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in masked.lines() {
        if let Some(rest) = line.strip_prefix("variable") {
            let toks = tokenize(rest);
            out.extend(group_binders(&toks));
        }
    }
    out
}

/// Binders of the bracket groups `(a b : T)`, `{a : T}`, `⦃a : T⦄`, `[i : C]` of a signature
/// (tokens before byte `sig_end`).
fn signature_binders(toks: &[Token], sig_end: usize) -> BTreeSet<String> {
    let end = toks.partition_point(|t| t.start < sig_end);
    group_binders(&toks[..end])
}

fn group_binders(toks: &[Token]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < toks.len() {
        if ["(", "{", "⦃", "["].iter().any(|b| toks[i].is_sym(b)) {
            let close = matching_close(toks, i);
            let inner = &toks[i + 1..close];
            if let Some(colon) = top_level(inner, ":") {
                out.extend(
                    inner[..colon]
                        .iter()
                        .filter_map(Token::ident)
                        .filter(|n| is_plain_ident(n))
                        .map(str::to_string),
                );
            }
            i = close + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn matching_close(toks: &[Token], open: usize) -> usize {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate().skip(open) {
        if let Tok::Sym(s) = &t.kind {
            match s.as_str() {
                "(" | "{" | "[" | "⦃" | "⟨" => depth += 1,
                ")" | "}" | "]" | "⦄" | "⟩" => {
                    depth -= 1;
                    if depth == 0 {
                        return k;
                    }
                }
                _ => {}
            }
        }
    }
    toks.len().saturating_sub(1).max(open)
}

/// Index of the first `sym` outside nested brackets.
fn top_level(toks: &[Token], sym: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate() {
        if let Tok::Sym(s) = &t.kind {
            match s.as_str() {
                "(" | "{" | "[" | "⦃" | "⟨" => depth += 1,
                ")" | "}" | "]" | "⦄" | "⟩" => depth -= 1,
                _ if depth == 0 && s == sym => return Some(k),
                _ => {}
            }
        }
    }
    None
}

/// Binders of a pattern or binder list: identifiers outside type ascriptions (`x : T`,
/// `x ∈ s`), at any bracket depth.
fn pattern_binders(toks: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    // For each open bracket depth, whether we are past a `:` (inside a type).
    let mut in_type = vec![false];
    for t in toks {
        match &t.kind {
            Tok::Sym(s) => match s.as_str() {
                "(" | "{" | "[" | "⦃" | "⟨" => in_type.push(false),
                ")" | "}" | "]" | "⦄" | "⟩" if in_type.len() > 1 => {
                    in_type.pop();
                }
                ":" | "∈" | "∉" | "≤" | "<" | "≥" | ">" | "≠" | "⊆" => {
                    *in_type.last_mut().expect("never empty") = true;
                }
                "," | "|" => *in_type.last_mut().expect("never empty") = false,
                _ => {}
            },
            Tok::Ident(name) => {
                if !in_type.last().copied().unwrap_or(false)
                    && is_plain_ident(name)
                    && name != "rfl"
                    && name != "_"
                {
                    out.push(name.clone());
                }
            }
            Tok::Newline => {}
        }
    }
    out
}

/// Binders introduced inside a declaration: `fun`, `∀`, `∃` and the tactics.
fn body_binders(toks: &[Token]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, t) in toks.iter().enumerate() {
        let rest = &toks[i + 1..];
        let until = |stop: &dyn Fn(&Token) -> bool| -> &[Token] {
            let mut depth = 0i32;
            let mut end = rest.len();
            for (k, u) in rest.iter().enumerate() {
                if let Tok::Sym(s) = &u.kind {
                    match s.as_str() {
                        "(" | "{" | "[" | "⦃" | "⟨" => depth += 1,
                        ")" | "}" | "]" | "⦄" | "⟩" => {
                            if depth == 0 {
                                end = k;
                                break;
                            }
                            depth -= 1;
                        }
                        _ => {}
                    }
                }
                if depth == 0 && stop(u) {
                    end = k;
                    break;
                }
            }
            &rest[..end]
        };
        let line_end = |u: &Token| u.kind == Tok::Newline || u.is_sym(";") || u.is_sym("<;>");
        match &t.kind {
            Tok::Ident(w) if w == "fun" => {
                out.extend(pattern_binders(until(&|u| u.is_sym("=>") || u.is_sym("↦"))));
            }
            Tok::Sym(s) if s == "λ" => {
                out.extend(pattern_binders(until(&|u| u.is_sym("=>") || u.is_sym("↦"))));
            }
            Tok::Sym(s) if s == "∀" || s == "∃" || s == "∃!" => {
                out.extend(pattern_binders(until(&|u| u.is_sym(","))));
            }
            Tok::Ident(w)
                if matches!(
                    w.as_str(),
                    "intro" | "intros" | "rintro" | "ext" | "funext" | "rename_i"
                ) =>
            {
                out.extend(pattern_binders(until(&line_end)));
            }
            Tok::Ident(w) if w == "obtain" => {
                out.extend(pattern_binders(until(&|u| {
                    u.is_sym(":") || u.is_sym(":=") || line_end(u)
                })));
            }
            Tok::Ident(w) if w == "with" || w == "choose" => {
                // `rcases h with ⟨a, b⟩`, `set x := e with hx`, `choose f hf using h`.
                out.extend(pattern_binders(until(&|u| {
                    line_end(u) || u.ident() == Some("using")
                })));
            }
            Tok::Ident(w)
                if matches!(
                    w.as_str(),
                    "have" | "haveI" | "let" | "set" | "suffices" | "by_cases" | "by_contra"
                ) =>
            {
                if let Some(name) = rest.first().and_then(Token::ident)
                    && is_plain_ident(name)
                {
                    out.insert(name.to_string());
                }
                out.extend(group_binders(until(&|u| {
                    u.is_sym(":") || u.is_sym(":=") || line_end(u)
                })));
            }
            _ => {}
        }
    }
    out
}

fn find_word(s: &str, word: &str) -> Option<usize> {
    s.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = s[..i].chars().next_back();
        let after = s[i + word.len()..].chars().next();
        !before.is_some_and(is_ident_char) && !after.is_some_and(is_ident_char)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"import Mathlib.Analysis.InnerProductSpace.PiL2

namespace Demo

open Real

structure Potential where
  μ2 𝓵 : ℝ
  h𝓵 : 0 < 𝓵

namespace Potential

variable (P : Potential)

/-- uses `not_a_name` only in a comment -/
noncomputable def toFun (φ : EuclideanSpace ℂ (Fin 2)) : ℝ := -P.μ2 * ‖φ‖ ^ 2

theorem bound (h : 0 < P.𝓵) (φ : EuclideanSpace ℂ (Fin 2)) : ∃ c, ∀ ψ, c ≤ P.toFun ψ := by
  obtain ⟨p, hp, rfl⟩ : ∃ p, 0 ≤ p := ⟨Real.sqrt 2, Real.sqrt_nonneg _⟩
  have key : 0 ≤ p := (h.le).trans (le_refl _) |>.le
  exact fun x => by nlinarith [sq_nonneg x, norm_inner_le_norm (𝕜 := ℂ) φ φ, h.1]

end Potential

end Demo
"#;

    fn uses() -> Vec<NameUse> {
        name_uses(&crate::parse(SRC))
    }

    fn find<'a>(uses: &'a [NameUse], name: &str) -> &'a NameUse {
        uses.iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("no use of {name}: {uses:#?}"))
    }

    #[test]
    fn tokens_skip_comments_and_keep_dotted_names() {
        let uses = uses();
        assert!(uses.iter().all(|u| u.name != "not_a_name"));
        assert!(!find(&uses, "Real.sqrt_nonneg").local);
        assert!(find(&uses, "P.toFun").local);
        assert!(find(&uses, "h.le").local);
        assert!(find(&uses, "h.1").local);
        assert!(!find(&uses, ".le").local);
        assert!(!find(&uses, ".trans").local);
        for command_word in [
            "Demo",
            "Real",
            "Mathlib.Analysis.InnerProductSpace.PiL2",
            "_",
        ] {
            assert!(
                uses.iter().all(|u| u.name != command_word),
                "{command_word}"
            );
        }
    }

    #[test]
    fn binders_of_signatures_tactics_and_quantifiers() {
        let uses = uses();
        for local in ["φ", "c", "ψ", "p", "hp", "key", "x"] {
            assert!(find(&uses, local).local, "{local}");
        }
        for global in ["sq_nonneg", "nlinarith", "le_refl", "EuclideanSpace", "Fin"] {
            assert!(!find(&uses, global).local, "{global}");
        }
        assert!(find(&uses, "𝕜").assigned);
    }

    #[test]
    fn namespaces_innermost_first_and_opens() {
        let uses = uses();
        let u = find(&uses, "sq_nonneg");
        assert_eq!(u.decl.as_deref(), Some("Demo.Potential.bound"));
        assert_eq!(u.namespaces, ["Demo.Potential", "Demo", ""]);
        assert_eq!(u.opens, ["Real"]);
        // In a structure's body its own fields are in scope (`h𝓵 : 0 < 𝓵`).
        let field_use = uses
            .iter()
            .find(|u| u.name == "𝓵" && u.decl.as_deref() == Some("Demo.Potential"))
            .unwrap();
        assert_eq!(field_use.namespaces[0], "Demo.Potential");
    }

    #[test]
    fn structure_fields_are_qualified() {
        let file = crate::parse(SRC);
        assert_eq!(
            structure_fields(&file),
            ["Demo.Potential.μ2", "Demo.Potential.𝓵", "Demo.Potential.h𝓵"]
        );
    }
}
