//! Positions: Lean reports line 1-based / column 0-based in codepoints; LSP counts line
//! 0-based / character in UTF-16 code units (`⊢`, `ℝ` are one unit but three UTF-8 bytes;
//! `𝓵` and emoji are two units).

use lsp_types::Position;
use serde::{Deserialize, Serialize};

/// A position in Lean's convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LeanPos {
    pub line: u32,
    pub column: u32,
}

impl From<theorist_leansrc::Pos> for LeanPos {
    fn from(p: theorist_leansrc::Pos) -> LeanPos {
        LeanPos {
            line: p.line,
            column: p.column,
        }
    }
}

/// The LSP position of a Lean position in `text` (columns past the line end are clamped).
pub fn to_lsp(text: &str, pos: LeanPos) -> Position {
    let line_text = text
        .split('\n')
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let character = line_text
        .chars()
        .take(pos.column as usize)
        .map(char::len_utf16)
        .sum::<usize>();
    Position {
        line: pos.line.saturating_sub(1),
        character: character as u32,
    }
}

/// The Lean position of an LSP position in `text`.
pub fn from_lsp(text: &str, pos: Position) -> LeanPos {
    let line_text = text.split('\n').nth(pos.line as usize).unwrap_or("");
    let mut units = 0u32;
    let mut column = 0u32;
    for c in line_text.chars() {
        if units >= pos.character {
            break;
        }
        units += c.len_utf16() as u32;
        column += 1;
    }
    LeanPos {
        line: pos.line + 1,
        column,
    }
}

/// A `file://` URI for an absolute path, percent-encoding what URIs do not allow.
pub fn file_uri(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip() {
        let text = "theorem t (𝓵 : ℝ) : 0 ≤ 𝓵 ^ 2 := by\n  ⊢ sorry";
        let p = LeanPos {
            line: 1,
            column: 24,
        };
        let lsp = to_lsp(text, p);
        // `𝓵` is two UTF-16 units, so the character index is one more than the column.
        assert_eq!(
            lsp,
            Position {
                line: 0,
                character: 25
            }
        );
        assert_eq!(from_lsp(text, lsp), p);
        assert_eq!(
            to_lsp(text, LeanPos { line: 2, column: 4 }),
            Position {
                line: 1,
                character: 4
            }
        );
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            file_uri(std::path::Path::new("/a b/C++/φ.lean")),
            "file:///a%20b/C%2B%2B/%CF%86.lean"
        );
    }
}
