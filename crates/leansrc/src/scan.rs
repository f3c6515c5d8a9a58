//! Finds commands that start at column 0 (Lean's layout in practice), tracks `namespace`,
//! `section` and `end`, and turns each declaration into a [`Decl`].

use serde::Serialize;

use crate::LookupError;
use crate::mask::mask_comments_and_strings;

/// A position in Lean's convention: line 1-based, column 0-based in codepoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// What a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeclKind {
    Theorem,
    Lemma,
    Def,
    Abbrev,
    Instance,
    Example,
    Structure,
    Class,
    Inductive,
    Axiom,
    Opaque,
}

impl DeclKind {
    fn from_keyword(word: &str) -> Option<DeclKind> {
        Some(match word {
            "theorem" => DeclKind::Theorem,
            "lemma" => DeclKind::Lemma,
            "def" => DeclKind::Def,
            "abbrev" => DeclKind::Abbrev,
            "instance" => DeclKind::Instance,
            "example" => DeclKind::Example,
            "structure" => DeclKind::Structure,
            "class" => DeclKind::Class,
            "inductive" => DeclKind::Inductive,
            "axiom" => DeclKind::Axiom,
            "opaque" => DeclKind::Opaque,
            _ => return None,
        })
    }

    /// Whether the declaration states a proposition to be proved.
    pub fn is_theorem_like(self) -> bool {
        matches!(
            self,
            DeclKind::Theorem | DeclKind::Lemma | DeclKind::Example
        )
    }
}

/// One declaration of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decl {
    /// Fully qualified name (namespaces applied); anonymous instances/examples get
    /// `instance@LINE` / `example@LINE`.
    pub name: String,
    pub kind: DeclKind,
    /// `private`, `protected`, `noncomputable`, `partial`, `unsafe`, …
    pub modifiers: Vec<String>,
    /// Attribute texts inside `@[…]`, e.g. `simp`, `sorryful`.
    pub attributes: Vec<String>,
    /// First and last line of the declaration (1-based, inclusive), attributes included.
    pub start_line: u32,
    pub end_line: u32,
    /// Byte range of the declaration in the file.
    pub start_byte: usize,
    pub end_byte: usize,
    /// Where the declared name starts (the keyword for anonymous declarations).
    pub name_pos: Pos,
    /// Binders and type: the text between the name and `:=` / `where` / `|`, trimmed.
    pub signature: String,
    /// The text after `:=` (or from `where`/`|`), trimmed; `None` for `axiom` and bodiless
    /// declarations.
    pub body: Option<String>,
    /// Byte offset where `body` starts in the file.
    pub body_start_byte: Option<usize>,
    /// Every `sorry` or `admit` token in the body (not in comments or strings).
    pub sorries: Vec<Pos>,
}

impl Decl {
    /// The last component of the name.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// A scanned file.
#[derive(Debug, Clone, Serialize)]
pub struct SourceFile {
    pub decls: Vec<Decl>,
    /// `import` lines at the top, module names.
    pub imports: Vec<String>,
    #[serde(skip)]
    line_starts: Vec<usize>,
    #[serde(skip)]
    text: String,
}

impl SourceFile {
    /// The declaration called `name`: an exact full name, else the unique declaration whose
    /// full name ends with `.name`.
    pub fn find(&self, name: &str) -> Result<&Decl, LookupError> {
        if let Some(d) = self.decls.iter().find(|d| d.name == name) {
            return Ok(d);
        }
        let suffix = format!(".{name}");
        let hits: Vec<&Decl> = self
            .decls
            .iter()
            .filter(|d| d.name.ends_with(&suffix))
            .collect();
        match hits.as_slice() {
            [one] => Ok(one),
            [] => Err(LookupError::NotFound {
                name: name.to_string(),
            }),
            many => Err(LookupError::Ambiguous {
                name: name.to_string(),
                candidates: many.iter().map(|d| d.name.clone()).collect(),
            }),
        }
    }

    /// The declaration whose lines contain `line` (1-based).
    pub fn decl_at_line(&self, line: u32) -> Option<&Decl> {
        self.decls
            .iter()
            .find(|d| d.start_line <= line && line <= d.end_line)
    }

    /// Lean position of a byte offset.
    pub fn pos_of(&self, byte: usize) -> Pos {
        pos_of(&self.text, &self.line_starts, byte)
    }

    /// Byte offset of a Lean position (column counted in codepoints), clamped to the line.
    pub fn byte_of(&self, pos: Pos) -> Option<usize> {
        let start = *self.line_starts.get(pos.line.checked_sub(1)? as usize)?;
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n);
        for (count, (i, _)) in self.text[start..line_end].char_indices().enumerate() {
            if count == pos.column as usize {
                return Some(start + i);
            }
        }
        Some(line_end)
    }

    /// Number of lines.
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The scanned text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

const MODIFIERS: &[&str] = &[
    "private",
    "protected",
    "noncomputable",
    "partial",
    "unsafe",
    "nonrec",
    "scoped",
    "local",
];

pub fn scan(text: &str) -> SourceFile {
    let masked = mask_comments_and_strings(text);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= text.len())
        .collect();
    let mut scopes: Vec<Scope> = Vec::new();
    let mut decls: Vec<Decl> = Vec::new();
    let mut imports = Vec::new();
    // (decl index, whether it is still open)
    let mut open_decl: Option<usize> = None;
    let mut pending_attr_start: Option<(usize, u32)> = None;

    for (idx, &start) in line_starts.iter().enumerate() {
        let line_no = idx as u32 + 1;
        let end = masked[start..]
            .find('\n')
            .map_or(masked.len(), |n| start + n);
        let line = &masked[start..end];
        if line.trim().is_empty() || line.starts_with(char::is_whitespace) {
            continue;
        }
        // A new top-level command closes the open declaration.
        let command_start = pending_attr_start.map_or(start, |(b, _)| b);
        let words = tokens(line);
        let first = words.first().map(String::as_str).unwrap_or("");
        close(
            &mut decls,
            &mut open_decl,
            command_start,
            &masked,
            &line_starts,
        );
        if first.starts_with("@[") && !line_has_decl_keyword(&words) {
            // Attributes on their own line: the declaration follows.
            if pending_attr_start.is_none() {
                pending_attr_start = Some((start, line_no));
            }
            continue;
        }
        match first {
            "import" => {
                imports.extend(words[1..].iter().cloned());
                pending_attr_start = None;
            }
            "namespace" => {
                if let Some(name) = words.get(1) {
                    scopes.push(Scope {
                        name: name.clone(),
                        is_namespace: true,
                    });
                }
                pending_attr_start = None;
            }
            "section" | "noncomputable"
                if first == "section" || words.get(1).map(String::as_str) == Some("section") =>
            {
                let name = if first == "section" {
                    words.get(1)
                } else {
                    words.get(2)
                };
                scopes.push(Scope {
                    name: name.cloned().unwrap_or_default(),
                    is_namespace: false,
                });
                pending_attr_start = None;
            }
            "end" => {
                scopes.pop();
                pending_attr_start = None;
            }
            _ => {
                let (attr_start_byte, attr_line) =
                    pending_attr_start.take().unwrap_or((start, line_no));
                if let Some(decl) = read_decl_header(
                    text,
                    &masked,
                    &line_starts,
                    start,
                    attr_start_byte,
                    attr_line,
                    &scopes,
                ) {
                    decls.push(decl);
                    open_decl = Some(decls.len() - 1);
                }
            }
        }
    }
    close(
        &mut decls,
        &mut open_decl,
        text.len(),
        &masked,
        &line_starts,
    );
    // Attributes written on lines before the keyword are collected by `read_decl_header` only
    // when on the same line; gather the rest now.
    for d in &mut decls {
        let header = &masked[d.start_byte..d.name_byte_hint()];
        d.attributes = attributes_in(&text[d.start_byte..d.start_byte + header.len()]);
    }
    finish_bodies(text, &masked, &line_starts, &mut decls);
    SourceFile {
        decls,
        imports,
        line_starts,
        text: text.to_string(),
    }
}

struct Scope {
    name: String,
    is_namespace: bool,
}

impl Decl {
    fn name_byte_hint(&self) -> usize {
        self.body_start_byte
            .unwrap_or(self.end_byte)
            .min(self.end_byte)
            .max(self.start_byte)
    }
}

fn line_has_decl_keyword(words: &[String]) -> bool {
    words.iter().any(|w| DeclKind::from_keyword(w).is_some())
}

/// Whitespace-separated words, with a leading `@[…]` group kept as one word.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if rest.starts_with("@[") {
            let end = matching_bracket(rest).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = rest[end..].trim_start();
    }
    out
}

/// Index just past the `]` closing the `@[` at the start of `s`.
fn matching_bracket(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn attributes_in(header: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = header;
    while let Some(at) = rest.find("@[") {
        let Some(len) = matching_bracket(&rest[at..]) else {
            break;
        };
        let inner = &rest[at + 2..at + len - 1];
        out.extend(
            inner
                .split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
        );
        rest = &rest[at + len..];
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn read_decl_header(
    text: &str,
    masked: &str,
    line_starts: &[usize],
    line_start: usize,
    attr_start_byte: usize,
    attr_line: u32,
    scopes: &[Scope],
) -> Option<Decl> {
    // Walk words from the line start: attributes, modifiers, then the keyword.
    let mut cursor = line_start;
    let mut modifiers = Vec::new();
    let kind;
    let keyword_start;
    loop {
        let rest = &masked[cursor..];
        let skipped = rest.len() - rest.trim_start().len();
        cursor += skipped;
        let rest = &masked[cursor..];
        if rest.starts_with("@[") {
            cursor += matching_bracket(rest)?;
            continue;
        }
        let word_len = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
        let word = &rest[..word_len];
        if let Some(k) = DeclKind::from_keyword(word) {
            kind = k;
            keyword_start = cursor;
            cursor += word_len;
            break;
        }
        if MODIFIERS.contains(&word) {
            modifiers.push(word.to_string());
            cursor += word_len;
            continue;
        }
        return None;
    }
    let keyword_end = cursor;
    let rest = &masked[cursor..];
    let name_offset = rest.len() - rest.trim_start().len();
    let name_start = cursor + name_offset;
    let name_len = masked[name_start..]
        .find(|c: char| c.is_whitespace() || matches!(c, '(' | '{' | '[' | ':' | '⦃'))
        .unwrap_or(masked.len() - name_start);
    let raw_name = &masked[name_start..name_start + name_len];
    let anonymous = matches!(kind, DeclKind::Example | DeclKind::Instance)
        && (raw_name.is_empty()
            || raw_name.starts_with(':')
            || raw_name.starts_with('(')
            || raw_name.starts_with('['));
    let kw_line = line_of(line_starts, line_start);
    let (name, name_pos_byte, sig_start) = if anonymous || raw_name.is_empty() {
        let keyword = match kind {
            DeclKind::Example => "example",
            _ => "instance",
        };
        // The keyword actually written (a nameless `class [` is not `instance`): its length
        // is not the label's.
        (format!("{keyword}@{kw_line}"), keyword_start, keyword_end)
    } else {
        let qualified = qualify(scopes, raw_name);
        (qualified, name_start, name_start + name_len)
    };
    Some(Decl {
        name,
        kind,
        modifiers,
        attributes: Vec::new(),
        start_line: attr_line,
        end_line: attr_line,
        start_byte: attr_start_byte,
        end_byte: sig_start,
        name_pos: pos_of(text, line_starts, name_pos_byte),
        signature: String::new(),
        body: None,
        // Temporarily: where the signature starts; replaced in `finish_bodies`.
        body_start_byte: Some(sig_start),
        sorries: Vec::new(),
    })
}

fn qualify(scopes: &[Scope], name: &str) -> String {
    if let Some(root) = name.strip_prefix("_root_.") {
        return root.to_string();
    }
    let mut parts: Vec<&str> = scopes
        .iter()
        .filter(|s| s.is_namespace)
        .flat_map(|s| s.name.split('.'))
        .filter(|p| !p.is_empty())
        .collect();
    parts.push(name);
    parts.join(".")
}

fn close(
    decls: &mut [Decl],
    open: &mut Option<usize>,
    end_byte: usize,
    text: &str,
    line_starts: &[usize],
) {
    if let Some(i) = open.take() {
        // Trim trailing blank lines and comments (the doc comment of the next declaration)
        // back to the last code byte; `text` here is the masked text, whose offsets match.
        let d = &mut decls[i];
        let slice = &text[d.start_byte..end_byte.max(d.start_byte)];
        let trimmed = slice.trim_end();
        d.end_byte = d.start_byte + trimmed.len();
        d.end_line = line_of(line_starts, d.end_byte.saturating_sub(1).max(d.start_byte));
    }
}

fn finish_bodies(text: &str, masked: &str, line_starts: &[usize], decls: &mut [Decl]) {
    for d in decls.iter_mut() {
        let sig_start = d
            .body_start_byte
            .take()
            .unwrap_or(d.end_byte)
            .min(d.end_byte);
        let region = &masked[sig_start..d.end_byte];
        let body_at = find_top_level_body(region);
        match body_at {
            Some((at, skip)) => {
                d.signature = text[sig_start..sig_start + at].trim().to_string();
                let body_start = sig_start + at + skip;
                let lead = text[body_start..d.end_byte].len()
                    - text[body_start..d.end_byte].trim_start().len();
                d.body_start_byte = Some(body_start + lead);
                d.body = Some(text[body_start..d.end_byte].trim().to_string());
                d.sorries = find_tokens(&masked[body_start..d.end_byte], &["sorry", "admit"])
                    .into_iter()
                    .map(|off| pos_of(text, line_starts, body_start + off))
                    .collect();
            }
            None => {
                d.signature = text[sig_start..d.end_byte].trim().to_string();
            }
        }
    }
}

/// Offset of the `:=` (or `where` / a leading `|` pattern line) that starts the body, outside
/// brackets, with the length to skip.
fn find_top_level_body(region: &str) -> Option<(usize, usize)> {
    let mut depth = 0i32;
    let mut prev = '\n';
    for (i, c) in region.char_indices() {
        match c {
            '(' | '[' | '{' | '⦃' => depth += 1,
            ')' | ']' | '}' | '⦄' => depth -= 1,
            ':' if depth == 0 && region[i + 1..].starts_with('=') => return Some((i, 2)),
            'w' if depth == 0
                && region[i..].starts_with("where")
                && is_word_boundary(region, i, 5) =>
            {
                return Some((i, 0));
            }
            // Pattern-matching definitions: a line that starts with `|`.
            '|' if depth == 0
                && region[..i].trim_end_matches(' ').ends_with('\n')
                && prev != '|' =>
            {
                return Some((i, 0));
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// Whether `c` may continue a Lean identifier (letters, digits, `_`, `'`, `!`, `?`,
/// subscripts).
pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || c == '\''
        || c == '!'
        || c == '?'
        || ('\u{2080}'..='\u{209c}').contains(&c)
}

fn is_word_boundary(s: &str, at: usize, len: usize) -> bool {
    let before = s[..at].chars().next_back();
    let after = s[at + len..].chars().next();
    !before.is_some_and(|c| is_ident_char(c) || c == '.') && !after.is_some_and(is_ident_char)
}

/// Byte offsets of whole-word occurrences of any of `words`.
fn find_tokens(s: &str, words: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    for w in words {
        for (i, _) in s.match_indices(w) {
            if is_word_boundary(s, i, w.len()) {
                out.push(i);
            }
        }
    }
    out.sort_unstable();
    out
}

fn line_of(line_starts: &[usize], byte: usize) -> u32 {
    match line_starts.binary_search(&byte) {
        Ok(i) => i as u32 + 1,
        Err(i) => i as u32,
    }
}

fn pos_of(text: &str, line_starts: &[usize], byte: usize) -> Pos {
    let line = line_of(line_starts, byte);
    let start = line_starts[(line - 1) as usize];
    let byte = byte.min(text.len());
    let column = text[start..byte].chars().count() as u32;
    Pos { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIGGS: &str = r#"import Mathlib.Analysis.InnerProductSpace.PiL2

/-! # The Higgs potential -/

namespace Theorist.Higgs

open Real

/-- The potential `V(x) = -μ² x + λ x²` in `x = ‖φ‖²`. -/
noncomputable def potential (μSq 𝓵 : ℝ) (x : ℝ) : ℝ :=
  -μSq * x + 𝓵 * x ^ 2

@[simp]
theorem potential_zero (μSq 𝓵 : ℝ) : potential μSq 𝓵 0 = 0 := by
  simp [potential]

lemma bounded_below (μSq 𝓵 : ℝ) (h : 0 < 𝓵) (x : ℝ) :
    -μSq ^ 2 / (4 * 𝓵) ≤ potential μSq 𝓵 x := by
  -- not yet: sorry in a comment does not count
  sorry

section Extra
private theorem helper : (1 : ℝ) ≤ 2 := by norm_num
end Extra

end Theorist.Higgs

theorem _root_.outside (a : ℕ) : a = a := rfl
example : (2 : ℕ) = 2 := by admit
"#;

    #[test]
    fn finds_declarations_with_qualified_names() {
        let f = scan(HIGGS);
        let names: Vec<&str> = f.decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Theorist.Higgs.potential",
                "Theorist.Higgs.potential_zero",
                "Theorist.Higgs.bounded_below",
                "Theorist.Higgs.helper",
                "outside",
                "example@29"
            ]
        );
        assert_eq!(f.imports, ["Mathlib.Analysis.InnerProductSpace.PiL2"]);
    }

    #[test]
    fn reads_signature_body_attributes_and_sorries() {
        let f = scan(HIGGS);
        let pot = f.find("potential").unwrap();
        assert_eq!(pot.kind, DeclKind::Def);
        assert_eq!(pot.modifiers, ["noncomputable"]);
        assert_eq!(pot.signature, "(μSq 𝓵 : ℝ) (x : ℝ) : ℝ");
        assert_eq!(pot.body.as_deref(), Some("-μSq * x + 𝓵 * x ^ 2"));
        assert_eq!((pot.start_line, pot.end_line), (10, 11));

        let zero = f.find("potential_zero").unwrap();
        assert_eq!(zero.attributes, ["simp"]);
        assert_eq!(zero.start_line, 13);
        assert!(zero.sorries.is_empty());

        let bb = f.find("Theorist.Higgs.bounded_below").unwrap();
        assert_eq!(
            bb.sorries,
            [Pos {
                line: 20,
                column: 2
            }]
        );
        assert_eq!(
            bb.name_pos,
            Pos {
                line: 17,
                column: 6
            }
        );
        assert_eq!(bb.end_line, 20);

        let ex = f.find("example@29").unwrap();
        assert_eq!(ex.sorries.len(), 1);
        assert_eq!(f.find("helper").unwrap().modifiers, ["private"]);
    }

    #[test]
    fn lookup_errors_are_precise() {
        let f = scan(
            "namespace A\ntheorem t : True := trivial\nend A\nnamespace B\ntheorem t : True := trivial\nend B\n",
        );
        assert!(matches!(f.find("t"), Err(LookupError::Ambiguous { .. })));
        assert_eq!(f.find("B.t").unwrap().start_line, 5);
        assert!(matches!(f.find("nope"), Err(LookupError::NotFound { .. })));
    }

    #[test]
    fn positions_round_trip() {
        let f = scan(HIGGS);
        let bb = f.find("bounded_below").unwrap();
        let byte = f.byte_of(bb.sorries[0]).unwrap();
        assert_eq!(&HIGGS[byte..byte + 5], "sorry");
        assert_eq!(f.pos_of(byte), bb.sorries[0]);
        assert_eq!(
            f.decl_at_line(19).unwrap().name,
            "Theorist.Higgs.bounded_below"
        );
    }

    #[test]
    fn a_doc_comment_belongs_to_the_next_declaration() {
        let f = scan("def a : ℝ := 1\n\n/-- about b -/\ndef b : ℝ := 2\n-- trailing\n");
        assert_eq!(f.find("a").unwrap().body.as_deref(), Some("1"));
        assert_eq!(f.find("a").unwrap().end_line, 1);
        assert_eq!(f.find("b").unwrap().body.as_deref(), Some("2"));
    }

    #[test]
    fn attributes_on_their_own_line_and_sorryful() {
        let f = scan("@[sorryful]\ntheorem hard : 1 = 2 := by\n  sorry\n");
        let d = f.find("hard").unwrap();
        assert_eq!(d.attributes, ["sorryful"]);
        assert_eq!((d.start_line, d.end_line), (1, 3));
    }

    /// Found by `theorist-fuzz` (leansrc): a nameless declaration whose keyword is shorter
    /// than its label (`class [`) put its name position before the keyword — inside a
    /// multi-byte character, or below zero.
    #[test]
    fn a_nameless_declaration_is_placed_at_its_keyword() {
        for src in [
            "class [x]\n",
            "₁ class [\n",
            "class\n",
            "\u{200b} class (\n",
        ] {
            let f = scan(src);
            for d in &f.decls {
                let byte = f.byte_of(d.name_pos).unwrap();
                assert!(src[byte..].starts_with("class"), "{src:?}: {d:?}");
            }
        }
    }
}
