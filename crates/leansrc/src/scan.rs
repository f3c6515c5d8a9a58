//! Finds the declarations of a file. Declaration keywords (`theorem`, `def`, `instance`, …)
//! are reserved words in Lean, so every one outside brackets starts a declaration wherever it
//! stands: indented, after a doc comment on the same line, after modifiers and attributes, or
//! after `set_option … in`, `open … in`, `attribute […] … in` prefixes. A declaration ends
//! where the next one starts, or at the next line that begins at column 0 with a word that
//! does not continue a declaration (`|`, `deriving`, `termination_by`, … do). `namespace`,
//! `section`, `mutual` and `end` are tracked for qualified names. Commands at column 0 that
//! theorist does not know are recorded, so callers can say what they did not understand.

use serde::Serialize;

use crate::LookupError;
use crate::mask::mask_comments_and_strings;
use crate::names::{display_name, is_id_first, is_ident_char, name_components};

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
            // Mathlib's `irreducible_def foo := …` defines the constant `foo`.
            "def" | "irreducible_def" => DeclKind::Def,
            "abbrev" => DeclKind::Abbrev,
            "instance" => DeclKind::Instance,
            "example" => DeclKind::Example,
            "structure" => DeclKind::Structure,
            "class" => DeclKind::Class,
            "inductive" | "coinductive" => DeclKind::Inductive,
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
    /// Fully qualified name as Lean prints it (namespaces applied, `«»` only where needed);
    /// anonymous instances/examples get `instance@LINE` / `example@LINE`.
    pub name: String,
    pub kind: DeclKind,
    /// `private`, `protected`, `noncomputable`, `partial`, `unsafe`, `public`, `meta`, …
    pub modifiers: Vec<String>,
    /// Attribute texts inside `@[…]`, e.g. `simp`, `sorryful`.
    pub attributes: Vec<String>,
    /// The namespace the declaration is in (`""` at the root).
    pub namespace: String,
    /// First and last line of the declaration (1-based, inclusive), attributes and `… in`
    /// prefixes included.
    pub start_line: u32,
    pub end_line: u32,
    /// Byte range of the declaration in the file.
    pub start_byte: usize,
    pub end_byte: usize,
    /// Byte offset of the declaration keyword.
    pub keyword_byte: usize,
    /// Where the declared name starts (the keyword for anonymous declarations).
    pub name_pos: Pos,
    /// For an anonymous `instance`: the byte offset where a name may be written (after the
    /// keyword and any `(priority := …)`), so a copy of the file can name it.
    pub name_slot: Option<usize>,
    /// Binders and type: the text between the name and `:=` / `where` / `|`, trimmed.
    pub signature: String,
    /// The text after `:=` (or from `where`/`|`), trimmed; `None` for `axiom` and bodiless
    /// declarations.
    pub body: Option<String>,
    /// Byte offset where `body` starts in the file.
    pub body_start_byte: Option<usize>,
    /// Every `sorry` or `admit` token in the signature or body (not in comments or strings).
    pub sorries: Vec<Pos>,
}

impl Decl {
    /// The last component of the name.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// Anonymous `instance` or `example` (no name Lean's parser can refer to).
    pub fn is_anonymous(&self) -> bool {
        self.name.contains('@')
    }

    /// Whether the byte offset lies in the declaration.
    pub fn contains_byte(&self, byte: usize) -> bool {
        self.start_byte <= byte && byte <= self.end_byte
    }
}

/// A command at the start of a line that theorist does not know (a project's own macro, such
/// as PhysLean's `informal_lemma`): Lean elaborates it, but what it declares is not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownCommand {
    pub word: String,
    pub pos: Pos,
}

/// A scanned file.
#[derive(Debug, Clone, Serialize)]
pub struct SourceFile {
    pub decls: Vec<Decl>,
    /// `import` lines at the top, module names.
    pub imports: Vec<String>,
    /// Commands theorist does not know, in file order.
    pub unknown_commands: Vec<UnknownCommand>,
    #[serde(skip)]
    line_starts: Vec<usize>,
    #[serde(skip)]
    text: String,
}

impl SourceFile {
    /// The declaration called `name`: an exact full name, else the unique declaration whose
    /// full name ends with `.name`. `«»` quotes in `name` are read as Lean reads them.
    pub fn find(&self, name: &str) -> Result<&Decl, LookupError> {
        let wanted = display_name(name);
        if let Some(d) = self
            .decls
            .iter()
            .find(|d| d.name == name || d.name == wanted)
        {
            return Ok(d);
        }
        let suffix = format!(".{wanted}");
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

    /// The declaration whose lines contain `line` (1-based); the last one starting on or
    /// before it when several share the line.
    pub fn decl_at_line(&self, line: u32) -> Option<&Decl> {
        self.decls
            .iter()
            .rev()
            .find(|d| d.start_line <= line && line <= d.end_line)
    }

    /// The declaration containing a position.
    pub fn decl_at(&self, pos: Pos) -> Option<&Decl> {
        let byte = self.byte_of(pos)?;
        self.decls.iter().rev().find(|d| d.contains_byte(byte))
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

/// Words before a declaration keyword that modify it (Lean 4's declaration modifiers, and
/// `local`/`scoped` of attributes and notations).
pub const MODIFIERS: &[&str] = &[
    "private",
    "protected",
    "noncomputable",
    "partial",
    "unsafe",
    "nonrec",
    "scoped",
    "local",
    "public",
    "meta",
];

/// Commands that take `in` and then apply to the next command only.
const PREFIX_COMMANDS: &[&str] = &[
    "set_option",
    "open",
    "attribute",
    "variable",
    "omit",
    "include",
    "unseal",
    "#guard_msgs",
    "#adaptation_note",
];

/// Words that may start a line at column 0 inside a declaration.
const CONTINUATIONS: &[&str] = &[
    "where",
    "deriving",
    "termination_by",
    "decreasing_by",
    "with",
    "then",
    "else",
    "do",
    "by",
    "fun",
    "show",
    "from",
    "calc",
    "at",
    "using",
    "if",
    "match",
    "have",
    "let",
];

/// Commands that declare nothing a proof could depend on (or that theorist reads itself), so a
/// line starting with one of them is understood.
const KNOWN_COMMANDS: &[&str] = &[
    "import",
    "prelude",
    "module",
    "namespace",
    "section",
    "end",
    "mutual",
    "open",
    "export",
    "variable",
    "universe",
    "set_option",
    "attribute",
    "include",
    "omit",
    "deriving",
    "notation",
    "notation3",
    "infix",
    "infixl",
    "infixr",
    "prefix",
    "postfix",
    "macro",
    "macro_rules",
    "syntax",
    "elab",
    "elab_rules",
    "declare_syntax_cat",
    "initialize",
    "builtin_initialize",
    "register_option",
    "register_simp_attr",
    "register_label_attr",
    "add_decl_doc",
    "library_note",
    "assert_not_exists",
    "assert_not_imported",
    "suppress_compilation",
    "unseal",
    "seal",
    "compile_inductive",
    "run_cmd",
    "run_elab",
    "run_meta",
    "alias",
    "proof_wanted",
    "recall",
    "add_aesop_rules",
    "declare_aesop_rule_sets",
    "initialize_simps_projections",
    "simproc",
    "dsimproc",
    "simproc_decl",
    "unif_hint",
    "binder_predicate",
    "grind_pattern",
    "noncomputable",
    "public",
    "private",
    "scoped",
    "local",
    "open private",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Word,
    Open,
    AttrOpen,
    Close,
    Assign,
    Colon,
    Symbol,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Tok,
    start: usize,
    end: usize,
}

/// Splits the masked text into words (identifiers, keywords, `#commands`, numbers), brackets
/// and other symbols.
fn tokenize(masked: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = masked.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = i + c.len_utf8();
        let kind = if is_id_first(c) || c == '«' || c == '#' || c.is_ascii_digit() {
            // An identifier with dotted, possibly `«»`-quoted components, or a number.
            let mut quoted = c == '«';
            while let Some(&(j, d)) = chars.peek() {
                let take = if quoted {
                    if d == '»' {
                        quoted = false;
                    }
                    true
                } else if d == '«' {
                    quoted = true;
                    true
                } else if d == '.' {
                    // A dot continues the name only before another component.
                    let next = masked[j + 1..].chars().next();
                    next.is_some_and(|n| is_id_first(n) || n == '«' || n.is_ascii_digit())
                } else {
                    is_ident_char(d)
                };
                if !take {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            Tok::Word
        } else {
            match c {
                '@' if masked[end..].starts_with('[') => {
                    chars.next();
                    end += 1;
                    Tok::AttrOpen
                }
                '(' | '[' | '{' | '⦃' | '⟨' | '⟦' => Tok::Open,
                ')' | ']' | '}' | '⦄' | '⟩' | '⟧' => Tok::Close,
                ':' if masked[end..].starts_with('=') => {
                    chars.next();
                    end += 1;
                    Tok::Assign
                }
                ':' => Tok::Colon,
                _ => Tok::Symbol,
            }
        };
        out.push(Token {
            kind,
            start: i,
            end,
        });
    }
    out
}

#[derive(Debug, Clone)]
enum Scope {
    Namespace(String),
    Section,
    Mutual,
}

/// A declaration found, before its end is known.
struct Header {
    kind: DeclKind,
    start_tok: usize,
    keyword_tok: usize,
    /// Token of the name (`None`: anonymous).
    name_tok: Option<usize>,
    /// Byte where the signature starts.
    sig_start: usize,
    name_slot: Option<usize>,
    namespace: String,
}

pub fn scan(text: &str) -> SourceFile {
    let masked = mask_comments_and_strings(text);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= text.len())
        .collect();
    let toks = tokenize(&masked);
    let src = Lexed {
        text,
        masked,
        line_starts,
        toks,
    };
    let mut outline = Outline::default();
    for i in 0..src.toks.len() {
        outline.token(&src, i);
    }
    outline.boundaries.sort_unstable();
    outline.boundaries.dedup();
    let decls = outline
        .headers
        .iter()
        .map(|h| decl_of(&src, h, &outline.boundaries))
        .collect();
    SourceFile {
        decls,
        imports: outline.imports,
        unknown_commands: outline.unknown_commands,
        line_starts: src.line_starts,
        text: text.to_string(),
    }
}

/// A source as the scanner reads it: comments and strings masked (same byte offsets), its
/// tokens, and where its lines start.
struct Lexed<'a> {
    text: &'a str,
    masked: String,
    line_starts: Vec<usize>,
    toks: Vec<Token>,
}

impl Lexed<'_> {
    fn word(&self, t: &Token) -> &str {
        &self.masked[t.start..t.end]
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Tok::Word && self.word(t) == w)
    }

    fn line_of(&self, byte: usize) -> u32 {
        line_of(&self.line_starts, byte)
    }

    /// Whether token `i` is the first token of its line.
    fn first_on_line(&self, i: usize) -> bool {
        i == 0 || self.line_of(self.toks[i - 1].start) != self.line_of(self.toks[i].start)
    }

    fn at_column_zero(&self, i: usize) -> bool {
        let start = self.toks[i].start;
        start == self.line_starts[self.line_of(start) as usize - 1]
    }
}

/// What one pass over the tokens finds: the declarations' headers, where commands begin (a
/// declaration runs to the next), imports, commands theorist does not know, and the scopes
/// and bracket depth along the way.
#[derive(Default)]
struct Outline {
    scopes: Vec<Scope>,
    headers: Vec<Header>,
    /// Byte offsets where something other than the current declaration begins.
    boundaries: Vec<usize>,
    imports: Vec<String>,
    unknown_commands: Vec<UnknownCommand>,
    depth: i32,
    /// `class inductive`/`class abbrev`: the second keyword is part of the first's header.
    skip_keyword_at: Option<usize>,
}

impl Outline {
    fn token(&mut self, src: &Lexed, i: usize) {
        let t = src.toks[i];
        let line_head = src.first_on_line(i);
        let col0 = line_head && src.at_column_zero(i);
        if col0 && matches!(t.kind, Tok::Word | Tok::AttrOpen) {
            // A command at column 0: whatever bracket was left open before is not ours.
            self.depth = 0;
        }
        match t.kind {
            Tok::Open | Tok::AttrOpen => {
                self.depth += 1;
                if col0 && t.kind == Tok::AttrOpen {
                    self.command_starts(src, i);
                }
            }
            Tok::Close => self.depth = (self.depth - 1).max(0),
            Tok::Word if self.depth == 0 => self.word(src, i, line_head, col0),
            _ => {}
        }
    }

    /// A command begins at token `i`: it ends the declaration before it, and is noted when
    /// theorist does not know it.
    fn command_starts(&mut self, src: &Lexed, i: usize) {
        self.boundaries.push(src.toks[i].start);
        note_unknown_command(
            &src.toks,
            i,
            src.text,
            &src.masked,
            &src.line_starts,
            &mut self.unknown_commands,
        );
    }

    /// A word outside brackets: a command at column 0, a scope command, an import, or a
    /// declaration's keyword.
    fn word(&mut self, src: &Lexed, i: usize, line_head: bool, col0: bool) {
        let t = src.toks[i];
        let w = src.word(&t);
        let continues = (CONTINUATIONS.contains(&w)
            && !(w == "deriving" && src.is_word(i + 1, "instance")))
            || w.starts_with(|c: char| c.is_ascii_digit());
        if col0 && !continues {
            self.command_starts(src, i);
        }
        if line_head && self.scope_command(src, i, w) {
            return;
        }
        let after_modifiers =
            || only_modifiers_before_on_line(&src.toks, i, &src.masked, &src.line_starts);
        // `import M`, or `public import M` / `meta import M` in a `module` file.
        if w == "import" && after_modifiers() {
            let line = src.line_of(t.start);
            self.imports.extend(
                src.toks[i + 1..]
                    .iter()
                    .take_while(|n| n.kind == Tok::Word && src.line_of(n.start) == line)
                    .map(|n| src.word(n).to_string()),
            );
        }
        if w == "section" && after_modifiers() {
            self.boundaries.push(t.start);
            self.scopes.push(Scope::Section);
            return;
        }
        if self.skip_keyword_at == Some(i) {
            return;
        }
        if let Some(header) = self.header(src, i, w) {
            self.boundaries.push(src.toks[header.start_tok].start);
            self.headers.push(header);
        }
    }

    /// `namespace`, `mutual` and `end` at the head of a line open or close a scope (true: the
    /// word is done with); `universe`, `variable` and `import` end the declaration before.
    fn scope_command(&mut self, src: &Lexed, i: usize, w: &str) -> bool {
        let start = src.toks[i].start;
        match w {
            "namespace" => {
                self.boundaries.push(start);
                if let Some(n) = src.toks.get(i + 1).filter(|n| n.kind == Tok::Word) {
                    self.scopes.push(Scope::Namespace(src.word(n).to_string()));
                }
                true
            }
            "mutual" => {
                self.boundaries.push(start);
                self.scopes.push(Scope::Mutual);
                true
            }
            "end" => {
                self.boundaries.push(start);
                self.scopes.pop();
                true
            }
            "universe" | "variable" | "import" => {
                self.boundaries.push(start);
                false
            }
            _ => false,
        }
    }

    /// The declaration whose keyword `w` is token `i`, when it is one Lean would accept: its
    /// first token (modifiers and attributes before the keyword), its name, and where its
    /// signature starts.
    fn header(&mut self, src: &Lexed, i: usize, w: &str) -> Option<Header> {
        let kind = DeclKind::from_keyword(w)?;
        if kind == DeclKind::Instance && i > 0 && src.is_word(i - 1, "deriving") {
            return None; // `deriving instance C for T`: Lean names those instances itself
        }
        let mut after = i + 1;
        if kind == DeclKind::Class
            && (src.is_word(after, "inductive") || src.is_word(after, "abbrev"))
        {
            self.skip_keyword_at = Some(after);
            after += 1;
        }
        let start_tok = header_start(&src.toks, i, &src.masked);
        if kind == DeclKind::Instance
            && src
                .toks
                .get(after)
                .is_some_and(|n| n.kind == Tok::Open && src.word(n) == "(")
            && src.is_word(after + 1, "priority")
        {
            after = matching_close(&src.toks, after).map_or(after, |c| c + 1);
        }
        let name_tok = match kind {
            DeclKind::Example => None,
            DeclKind::Instance => src
                .toks
                .get(after)
                .filter(|n| n.kind == Tok::Word && src.word(n) != "where")
                .map(|_| after),
            _ => match src.toks.get(after) {
                Some(n) if n.kind == Tok::Word => Some(after),
                _ => return None, // not a declaration Lean would accept
            },
        };
        let keyword_end = if after > i + 1 {
            src.toks[after - 1].end
        } else {
            src.toks[i].end
        };
        // An anonymous instance's name is made by Lean; it would go right after the keyword.
        let name_slot = (name_tok.is_none() && kind == DeclKind::Instance).then_some(keyword_end);
        let sig_start = name_tok.map_or(keyword_end, |n| src.toks[n].end);
        Some(Header {
            kind,
            start_tok,
            keyword_tok: i,
            name_tok,
            sig_start,
            name_slot,
            namespace: namespace_of(&self.scopes),
        })
    }
}

/// The declaration `h` heads, which runs to the first boundary after its keyword.
fn decl_of(src: &Lexed, h: &Header, boundaries: &[usize]) -> Decl {
    let (text, masked, toks) = (src.text, src.masked.as_str(), &src.toks);
    let keyword = toks[h.keyword_tok];
    let start_byte = toks[h.start_tok].start;
    let at = boundaries.partition_point(|&b| b <= keyword.start);
    let limit = boundaries.get(at).copied().unwrap_or(text.len());
    let end_byte = start_byte + masked[start_byte..limit].trim_end().len();
    let end_byte = end_byte.max(h.sig_start.min(limit));
    let (name, name_byte) = match h.name_tok {
        Some(n) => (qualify(&h.namespace, src.word(&toks[n])), toks[n].start),
        None => {
            let line = src.line_of(keyword.start);
            let label = if h.kind == DeclKind::Example {
                "example"
            } else {
                "instance"
            };
            (format!("{label}@{line}"), keyword.start)
        }
    };
    let modifiers = toks[h.start_tok..h.keyword_tok]
        .iter()
        .filter(|t| t.kind == Tok::Word && MODIFIERS.contains(&src.word(t)))
        .map(|t| src.word(t).to_string())
        .collect();
    let mut decl = Decl {
        name,
        kind: h.kind,
        modifiers,
        attributes: attributes_in(toks, h.start_tok, h.keyword_tok, masked),
        namespace: h.namespace.clone(),
        start_line: src.line_of(start_byte),
        end_line: src.line_of(end_byte.saturating_sub(1).max(start_byte)),
        start_byte,
        end_byte,
        keyword_byte: keyword.start,
        name_pos: pos_of(text, &src.line_starts, name_byte),
        name_slot: h.name_slot,
        signature: String::new(),
        body: None,
        body_start_byte: None,
        sorries: Vec::new(),
    };
    finish_body(text, masked, &src.line_starts, h.sig_start, &mut decl);
    decl
}

/// The first token of the declaration whose keyword is token `k`: back over modifiers,
/// attribute groups and `… in` prefix commands.
fn header_start(toks: &[Token], k: usize, masked: &str) -> usize {
    let word = |t: &Token| &masked[t.start..t.end];
    let mut s = k;
    while s > 0 {
        let prev = toks[s - 1];
        match prev.kind {
            Tok::Word if MODIFIERS.contains(&word(&prev)) => s -= 1,
            Tok::Close if word(&prev) == "]" => match matching_open(toks, s - 1) {
                Some(open) if toks[open].kind == Tok::AttrOpen => s = open,
                _ => break,
            },
            Tok::Word if word(&prev) == "in" => match prefix_command_before(toks, s - 1, masked) {
                Some(p) => s = p,
                None => break,
            },
            _ => break,
        }
    }
    s
}

/// For the `in` at token `at`, the token of the prefix command it ends (`set_option`, `open`,
/// `attribute`, …), if there is one.
fn prefix_command_before(toks: &[Token], at: usize, masked: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut j = at;
    let mut steps = 0;
    while j > 0 && steps < 256 {
        j -= 1;
        steps += 1;
        let t = toks[j];
        let w = &masked[t.start..t.end];
        match t.kind {
            Tok::Close => depth += 1,
            Tok::Open | Tok::AttrOpen => depth -= 1,
            Tok::Assign if depth <= 0 => return None,
            Tok::Word if depth <= 0 => {
                if PREFIX_COMMANDS.contains(&w) {
                    return Some(j);
                }
                if DeclKind::from_keyword(w).is_some() || w == "in" {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

fn matching_open(toks: &[Token], close: usize) -> Option<usize> {
    let mut depth = 0i32;
    for j in (0..=close).rev() {
        match toks[j].kind {
            Tok::Close => depth += 1,
            Tok::Open | Tok::AttrOpen => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

fn matching_close(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (j, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            Tok::Open | Tok::AttrOpen => depth += 1,
            Tok::Close => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether only attributes and modifiers stand before token `i` on its line (for
/// `noncomputable section`, `public section`, `@[expose] public section`).
fn only_modifiers_before_on_line(
    toks: &[Token],
    i: usize,
    masked: &str,
    line_starts: &[usize],
) -> bool {
    let line = line_of(line_starts, toks[i].start);
    let mut depth = 0;
    for t in toks[..i].iter().rev() {
        if line_of(line_starts, t.start) != line {
            break;
        }
        match t.kind {
            Tok::Close => depth += 1,
            Tok::AttrOpen | Tok::Open => depth -= 1,
            Tok::Word if depth > 0 || MODIFIERS.contains(&&masked[t.start..t.end]) => {}
            _ if depth > 0 => {}
            _ => return false,
        }
    }
    true
}

/// Records the command starting at token `i` (at column 0) when theorist does not know it.
fn note_unknown_command(
    toks: &[Token],
    i: usize,
    text: &str,
    masked: &str,
    line_starts: &[usize],
    out: &mut Vec<UnknownCommand>,
) {
    // Past attribute groups and modifiers to the command word.
    let mut j = i;
    while let Some(t) = toks.get(j) {
        let w = &masked[t.start..t.end];
        if t.kind == Tok::AttrOpen {
            j = matching_close(toks, j).map_or(toks.len(), |c| c + 1);
        } else if t.kind == Tok::Word && MODIFIERS.contains(&w) {
            j += 1;
        } else {
            break;
        }
    }
    let Some(t) = toks.get(j) else { return };
    if t.kind != Tok::Word {
        return;
    }
    let w = &masked[t.start..t.end];
    if w.starts_with('#')
        || DeclKind::from_keyword(w).is_some()
        || KNOWN_COMMANDS.contains(&w)
        || PREFIX_COMMANDS.contains(&w)
        || CONTINUATIONS.contains(&w)
        || matches!(w, "in" | "instance" | "irreducible_def" | "lemma")
    {
        return;
    }
    let pos = pos_of(text, line_starts, t.start);
    if out.last().is_some_and(|u: &UnknownCommand| u.pos == pos) {
        return;
    }
    out.push(UnknownCommand {
        word: w.to_string(),
        pos,
    });
}

fn attributes_in(toks: &[Token], from: usize, to: usize, masked: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut j = from;
    while j < to {
        if toks[j].kind == Tok::AttrOpen
            && let Some(close) = matching_close(toks, j)
        {
            let inner = &masked[toks[j].end..toks[close].start];
            out.extend(
                split_top_level_commas(inner)
                    .into_iter()
                    .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|a| !a.is_empty()),
            );
            j = close + 1;
        } else {
            j += 1;
        }
    }
    out
}

fn split_top_level_commas(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut last = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' | '⟨' => depth += 1,
            ')' | ']' | '}' | '⟩' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[last..]);
    out
}

fn namespace_of(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .filter_map(|s| match s {
            Scope::Namespace(n) => Some(n.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The full name of `raw` declared in `namespace` (`_root_.x` escapes it), as Lean prints it.
fn qualify(namespace: &str, raw: &str) -> String {
    let parts = name_components(raw);
    if parts.first().is_some_and(|p| p == "_root_") {
        return display_name(&join_components(&parts[1..]));
    }
    let full = if namespace.is_empty() {
        raw.to_string()
    } else {
        format!("{namespace}.{raw}")
    };
    display_name(&full)
}

fn join_components(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| format!("«{p}»"))
        .collect::<Vec<_>>()
        .join(".")
}

fn finish_body(text: &str, masked: &str, line_starts: &[usize], sig_start: usize, d: &mut Decl) {
    let sig_start = sig_start.min(d.end_byte);
    let region = &masked[sig_start..d.end_byte];
    d.sorries = find_tokens(region, &["sorry", "admit"])
        .into_iter()
        .map(|off| pos_of(text, line_starts, sig_start + off))
        .collect();
    match find_top_level_body(region) {
        Some((at, skip)) => {
            d.signature = text[sig_start..sig_start + at].trim().to_string();
            let body_start = sig_start + at + skip;
            let lead = text[body_start..d.end_byte].len()
                - text[body_start..d.end_byte].trim_start().len();
            d.body_start_byte = Some(body_start + lead);
            d.body = Some(text[body_start..d.end_byte].trim().to_string());
        }
        None => {
            d.signature = text[sig_start..d.end_byte].trim().to_string();
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
            '(' | '[' | '{' | '⦃' | '⟨' => depth += 1,
            ')' | ']' | '}' | '⦄' | '⟩' => depth -= 1,
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
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
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

    fn names(src: &str) -> Vec<String> {
        scan(src).decls.into_iter().map(|d| d.name).collect()
    }

    #[test]
    fn finds_declarations_with_qualified_names() {
        let f = scan(HIGGS);
        assert_eq!(
            names(HIGGS),
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
        assert!(f.unknown_commands.is_empty(), "{:?}", f.unknown_commands);
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
        let err = f.find("t").unwrap_err();
        assert_eq!(
            err,
            LookupError::Ambiguous {
                name: "t".into(),
                candidates: vec!["A.t".into(), "B.t".into()]
            }
        );
        assert_eq!(err.to_string(), "`t` is ambiguous: it names A.t, B.t");
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
        assert_eq!(
            f.decl_at(bb.sorries[0]).unwrap().name,
            "Theorist.Higgs.bounded_below"
        );
    }

    #[test]
    fn a_doc_comment_belongs_to_the_next_declaration() {
        let f = scan("def a : ℝ := 1\n\n/-- about b -/\ndef b : ℝ := 2\n-- trailing\n");
        assert_eq!(f.find("a").unwrap().body.as_deref(), Some("1"));
        assert_eq!(f.find("a").unwrap().end_line, 1);
        assert_eq!(f.find("b").unwrap().body.as_deref(), Some("2"));
        assert_eq!(f.find("b").unwrap().end_line, 4);
    }

    #[test]
    fn attributes_on_their_own_line_and_sorryful() {
        let f = scan("@[sorryful]\ntheorem hard : 1 = 2 := by\n  sorry\n");
        let d = f.find("hard").unwrap();
        assert_eq!(d.attributes, ["sorryful"]);
        assert_eq!((d.start_line, d.end_line), (1, 3));
    }

    /// Every declaration form of issue 12 that a column-0 scanner missed, each with a `sorry`
    /// that must be found in the right declaration.
    #[test]
    fn every_declaration_form_is_found_with_its_sorry() {
        let cases: &[(&str, &str, u32)] = &[
            (
                "namespace N\n  theorem indented : True := by\n    sorry\nend N\n",
                "N.indented",
                3,
            ),
            (
                "set_option maxHeartbeats 400000 in\ntheorem so : True := by\n  sorry\n",
                "so",
                3,
            ),
            (
                "set_option maxHeartbeats 400000 in theorem so1 : True := sorry\n",
                "so1",
                1,
            ),
            (
                "/-- doc -/ theorem documented : True := sorry\n",
                "documented",
                1,
            ),
            ("open Real in\ntheorem op : True := sorry\n", "op", 2),
            ("open Real Nat in theorem op1 : True := sorry\n", "op1", 1),
            ("irreducible_def irr : ℕ := sorry\n", "irr", 1),
            (
                "attribute [local simp] foo in\ntheorem attr_in : True := sorry\n",
                "attr_in",
                2,
            ),
            (
                "attribute [-simp] foo bar in theorem attr_in1 : True := sorry\n",
                "attr_in1",
                1,
            ),
            ("meta def md : Nat := sorry\n", "md", 1),
            ("public theorem pub : True := sorry\n", "pub", 1),
            ("@[simp] public lemma pl : True := sorry\n", "pl", 1),
            (
                "variable (n : ℕ) in\ntheorem var_in : n = n := sorry\n",
                "var_in",
                2,
            ),
            (
                "omit [Fintype α] in\nlemma omit_in : True := sorry\n",
                "omit_in",
                2,
            ),
            (
                "#guard_msgs (drop warning) in\ntheorem guarded : True := sorry\n",
                "guarded",
                2,
            ),
            ("theorem «my theorem» : True := sorry\n", "«my theorem»", 1),
            ("theorem «plain» : True := sorry\n", "plain", 1),
            (
                "class inductive CI : Prop\n  | mk (h : True := sorry)\n",
                "CI",
                2,
            ),
            ("protected noncomputable def pnd : ℕ := sorry\n", "pnd", 1),
            (
                "theorem a : True := trivial theorem same_line : True := sorry\n",
                "same_line",
                1,
            ),
            (
                "mutual\n  theorem even : True := sorry\n  theorem odd : True := trivial\nend\n",
                "even",
                2,
            ),
        ];
        for (src, name, line) in cases {
            let f = scan(src);
            let d = f
                .find(name)
                .unwrap_or_else(|e| panic!("{e} in {src:?}: found {:?}", names(src)));
            assert_eq!(
                d.sorries.iter().map(|p| p.line).collect::<Vec<_>>(),
                [*line],
                "{src:?}"
            );
            assert!(
                f.unknown_commands.is_empty(),
                "{src:?}: {:?}",
                f.unknown_commands
            );
        }
    }

    #[test]
    fn anonymous_instances_and_examples_get_slots_and_labels() {
        let src = "namespace P\ninstance : Inhabited ℕ := ⟨0⟩\ninstance (priority := 100) [Foo α] : Bar α where\n  x := 1\n@[simp] instance named : Baz := sorry\nexample : True := trivial\nderiving instance Repr for Foo\nend P\n";
        let f = scan(src);
        assert_eq!(
            names(src),
            ["instance@2", "instance@3", "P.named", "example@6"]
        );
        let a = f.find("instance@2").unwrap();
        assert_eq!(a.namespace, "P");
        assert_eq!(&src[a.name_slot.unwrap()..a.name_slot.unwrap() + 2], " :");
        let b = f.find("instance@3").unwrap();
        assert_eq!(
            &src[b.keyword_byte..b.name_slot.unwrap()],
            "instance (priority := 100)"
        );
        assert_eq!(b.signature, "[Foo α] : Bar α");
        assert_eq!(b.end_line, 4);
        assert_eq!(f.find("named").unwrap().name_slot, None);
        assert_eq!(f.find("named").unwrap().sorries.len(), 1);
    }

    #[test]
    fn pattern_matching_and_termination_clauses_stay_in_their_declaration() {
        let src = "def f : ℕ → ℕ\n| 0 => 1\n| n + 1 => sorry\ntermination_by n => n\ninductive T\n| a\n| b\nderiving Repr\ntheorem after : True := trivial\n";
        let f = scan(src);
        assert_eq!(names(src), ["f", "T", "after"]);
        assert_eq!(f.find("f").unwrap().end_line, 4);
        assert_eq!(f.find("f").unwrap().sorries[0].line, 3);
        assert_eq!(f.find("T").unwrap().end_line, 8);
    }

    #[test]
    fn keywords_inside_brackets_quotations_and_comments_are_not_declarations() {
        let src = "attribute [instance] foo\nmacro \"mk\" : command => `(theorem t : True := trivial)\n-- theorem c : True := sorry\n/-- def d := sorry -/\ndef s := \"theorem x := sorry\"\n";
        assert_eq!(names(src), ["s"]);
        assert!(scan(src).find("s").unwrap().sorries.is_empty());
    }

    #[test]
    fn module_files_with_public_imports_and_sections() {
        let src = "module\n\npublic import Mathlib.Order.Basic\nimport Mathlib.Data.Nat.Basic\n\n@[expose] public section\n\nset_option backward.privateInPublic true in\nset_option backward.privateInPublic.warn false in\ninstance : Zero ℝ :=\n  ⟨zero⟩\n\nprivate noncomputable irreducible_def inv' : ℝ → ℝ\n  | ⟨a⟩ => ⟨a⁻¹⟩\n\nend\n";
        let f = scan(src);
        assert_eq!(f.imports, ["Mathlib.Order.Basic", "Mathlib.Data.Nat.Basic"]);
        assert_eq!(names(src), ["instance@10", "inv'"]);
        assert_eq!(f.find("instance@10").unwrap().start_line, 8);
        assert_eq!(
            f.find("inv'").unwrap().modifiers,
            ["private", "noncomputable"]
        );
        assert!(f.unknown_commands.is_empty(), "{:?}", f.unknown_commands);
    }

    #[test]
    fn unknown_commands_are_recorded() {
        let src = "namespace X\n/-- doc -/\ninformal_lemma space_equivariant where\n  deps := []\nTODO \"later\"\n@[simp] my_cmd foo\ntheorem t : True := trivial\nend X\n";
        let f = scan(src);
        let words: Vec<(&str, u32)> = f
            .unknown_commands
            .iter()
            .map(|u| (u.word.as_str(), u.pos.line))
            .collect();
        assert_eq!(words, [("informal_lemma", 3), ("TODO", 5), ("my_cmd", 6)]);
        assert_eq!(names(src), ["X.t"]);
    }
}
