//! Lean names: which characters make an identifier, how `«»` quotes a component, and the two
//! spellings theorist needs — the one Lean prints (`Name.toString`: a component is quoted only
//! when it is not a plain identifier) and the one Lean's parser accepts in a command (keywords
//! quoted as well). A name already written `«x»` is read as the component `x`, so it is never
//! quoted twice.

/// Whether `c` may start a Lean identifier (letters, `_`, Greek except `λ Π Σ`, letter-like
/// symbols such as `ℝ`, mathematical alphanumerics such as `𝓵`).
pub fn is_id_first(c: char) -> bool {
    (c.is_alphabetic() && !matches!(c, 'λ' | 'Π' | 'Σ')) || c == '_' || is_letter_like(c)
}

/// Whether `c` may continue a Lean identifier (also digits, `'`, `!`, `?`, subscripts).
pub fn is_ident_char(c: char) -> bool {
    is_id_first(c)
        || c.is_ascii_digit()
        || c == '\''
        || c == '!'
        || c == '?'
        || ('\u{2080}'..='\u{209c}').contains(&c)
        || ('\u{1d62}'..='\u{1d6a}').contains(&c)
}

fn is_letter_like(c: char) -> bool {
    let u = c as u32;
    (0x3b1..=0x3c9).contains(&u) && u != 0x3bb
        || (0x391..=0x3a9).contains(&u) && u != 0x3a0 && u != 0x3a3
        || (0x3ca..=0x3fb).contains(&u)
        || (0x1f00..=0x1ffe).contains(&u)
        || (0x2100..=0x214f).contains(&u)
        || (0x1d49c..=0x1d59f).contains(&u)
}

/// The components of a dotted name, `«»` quotes removed: `A.«b c».d` → `["A", "b c", "d"]`.
pub fn name_components(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in name.chars() {
        match c {
            '«' if !quoted => quoted = true,
            '»' if quoted => quoted = false,
            '.' if !quoted => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    out.push(current);
    out
}

fn is_plain(part: &str) -> bool {
    let mut chars = part.chars();
    chars.next().is_some_and(is_id_first) && chars.all(is_ident_char)
}

/// The name as Lean prints it (`Name.toString`): components that are not plain identifiers in
/// `«»`, everything else as is. Used for declaration names and to match `#print axioms`.
pub fn display_name(name: &str) -> String {
    name_components(name)
        .iter()
        .map(|part| {
            if is_plain(part) {
                part.clone()
            } else {
                format!("«{part}»")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The name as Lean's parser accepts it in a command such as `#print axioms`: like
/// [`display_name`], and keywords (`«def»`) quoted too.
pub fn lean_ident(name: &str) -> String {
    name_components(name)
        .iter()
        .map(|part| {
            if is_plain(part) && !KEYWORDS.contains(&part.as_str()) {
                part.clone()
            } else {
                format!("«{part}»")
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Words Lean's parser reads as keywords, so a name component spelled like one must be quoted.
const KEYWORDS: &[&str] = &[
    "abbrev",
    "at",
    "axiom",
    "by",
    "calc",
    "class",
    "def",
    "deriving",
    "do",
    "else",
    "end",
    "example",
    "fun",
    "have",
    "if",
    "import",
    "in",
    "inductive",
    "instance",
    "let",
    "match",
    "namespace",
    "open",
    "opaque",
    "section",
    "show",
    "sorry",
    "structure",
    "suffices",
    "then",
    "theorem",
    "universe",
    "variable",
    "where",
    "with",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_are_never_quoted_twice() {
        assert_eq!(display_name("A.«x»"), "A.x");
        assert_eq!(display_name("A.«1bad»"), "A.«1bad»");
        assert_eq!(display_name("«my theorem».b"), "«my theorem».b");
        assert_eq!(lean_ident("A.«1bad»"), "A.«1bad»");
        assert_eq!(lean_ident(&display_name("A.«1bad»")), "A.«1bad»");
        assert_eq!(lean_ident("A.1bad"), "A.«1bad»");
        assert_eq!(lean_ident("Theorist.Higgs.v₁_pos"), "Theorist.Higgs.v₁_pos");
        assert_eq!(lean_ident("A.def"), "A.«def»");
        assert_eq!(display_name("A.def"), "A.def");
        assert_eq!(name_components("a.«b.c».d"), ["a", "b.c", "d"]);
    }

    #[test]
    fn identifier_characters_follow_lean() {
        for c in ['x', '_', 'α', 'ℝ', '𝓵', 'μ'] {
            assert!(is_id_first(c), "{c}");
        }
        for c in ['λ', 'Π', 'Σ', '1', '\'', '(', '∀'] {
            assert!(!is_id_first(c), "{c}");
        }
        for c in ['1', '\'', '!', '?', '₁'] {
            assert!(is_ident_char(c), "{c}");
        }
    }
}
