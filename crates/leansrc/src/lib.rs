//! theorist-leansrc: a small, pure reader of Lean 4 source text. It finds declarations
//! (with namespace-qualified names, kinds, modifiers, attributes, line ranges, signature and
//! body text) and the `sorry`/`admit` tokens in them, skipping comments and strings; and the
//! identifiers a file uses, with the scopes Lean resolves them in (`name_uses`).
//!
//! It is not a Lean parser: declaration keywords are reserved words in Lean, so it finds them
//! wherever they stand (indented, after a doc comment, after `… in` prefixes) and reads the
//! layout Lean sources use in practice for where a declaration ends. It is what
//! `verify FILE:Decl`, `ci`, the scripted Lean peer and the checks against Lean sources build
//! on. Positions follow Lean's convention: line 1-based, column 0-based in codepoints.

mod idents;
mod mask;
mod names;
mod scan;

pub use idents::{NameUse, name_uses, structure_fields};
pub use mask::{mask_comments_and_strings, utf8_len};
pub use names::{display_name, is_id_first, is_ident_char, lean_ident, name_components};
pub use scan::{Decl, DeclKind, MODIFIERS, Pos, SourceFile, UnknownCommand};

/// A name that does not pick exactly one declaration of a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    #[error("no declaration named `{name}`")]
    NotFound { name: String },
    #[error("`{name}` is ambiguous: it names {}", candidates.join(", "))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
}

/// Reads a file's text into its declarations.
pub fn parse(text: &str) -> SourceFile {
    scan::scan(text)
}
