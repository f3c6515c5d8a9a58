//! The LaTeX layer: comments, braces, `\input`, user macros (`\newcommand`, `\def`,
//! LeanArchitect's `\newleannode`), verbatim environments, conditionals (`\iffalse`,
//! `\newif`). It turns a blueprint's files into
//! one stream of [`Event`]s with file and line, and knows nothing about what they mean.
//! Which files it may read and how much work it may do are [`crate::inputs`]' business; the
//! lexing of one text is [`crate::lex`]'s.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::{Finding, Level};
use crate::inputs::{Limits, ReadCost, ReadError, Resolved, Unresolved, read_limited, resolve};
use crate::lex::{EATEN_NEWLINE, Text, control_word, strip_comments};

mod commands;
mod conditionals;

/// Where an event comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: Arc<Path>,
    pub line: u32,
}

/// One thing of interest in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Begin {
        env: String,
        /// `[…]` right after `\begin{env}` (a theorem's title), when present.
        title: Option<String>,
    },
    End {
        env: String,
    },
    /// A command with its mandatory arguments (`star` for `\chapter*`, `opt` for its `[…]`).
    Command {
        name: String,
        star: bool,
        opt: Option<String>,
        args: Vec<String>,
    },
    /// A paragraph break: a blank line or `\par`.
    Par,
    /// `\\[…]` whose bracket holds `&` or `\\` (see `Scanner::bracket_after_line_break`).
    LineBreakTakesRow,
    /// How many groups are open from here on: `{…}` in text (a group, or another command's
    /// argument) and math (`$`, `$$`, `\(`, `\[`). plasTeX makes a node of each, and a
    /// blueprint command inside belongs to that node, not to the statement around it. Sent
    /// only before a command or `\begin` when it changed, so hostile braces cost no memory.
    GroupDepth(usize),
    /// Text or a command the blueprint reader does not model (once per run of them): what
    /// makes an environment non-empty for plasTeX.
    Content,
}

/// How many mandatory arguments the commands the blueprint reader cares about take; every
/// other command's arguments are read as ordinary text.
fn arity(name: &str) -> Option<usize> {
    Some(match name {
        "leanok" | "mathlibok" | "notready" | "appendix" | "item" | "caption" => 0,
        "label" | "lean" | "uses" | "proves" | "alsoIn" | "discussion" | "inputleannode"
        | "inputleanmodule" | "usepackage" | "part" | "chapter" | "section" | "subsection"
        | "subsubsection" | "paragraph" | "home" | "github" | "dochome" | "documentclass" => 1,
        "graphcolor" | "bpcolor" => 3,
        _ => return None,
    })
}

/// Commands a user macro may not redefine: the blueprint's own and LaTeX's structure. A
/// `print.tex` that stubs `\lean` out must not blind the reader if a project inputs it.
fn reserved(name: &str) -> bool {
    arity(name).is_some()
        || matches!(
            name,
            "begin"
                | "end"
                | "input"
                | "include"
                | "newcommand"
                | "renewcommand"
                | "providecommand"
                | "def"
                | "gdef"
                | "newtheorem"
                | "declaretheorem"
                | "newenvironment"
                | "renewenvironment"
                | "newleannode"
                | "newleanmodule"
        )
}

const VERBATIM: &[&str] = &["verbatim", "Verbatim", "lstlisting", "minted", "comment"];

/// A user macro: `\newcommand{\name}[params][default]{body}`.
#[derive(Debug, Clone)]
struct Macro {
    params: usize,
    default: Option<String>,
    body: String,
}

/// The line of each place in one scanned text, counted forward as the scan advances (places
/// are asked for in increasing order, so each byte is counted once).
struct Lines {
    file: Arc<Path>,
    /// The line of byte `at`.
    line: u32,
    at: usize,
}

impl Lines {
    fn place(&mut self, b: &[u8], pos: usize) -> Place {
        self.line += b[self.at..pos]
            .iter()
            .filter(|&&c| c == b'\n' || c == EATEN_NEWLINE)
            .count() as u32;
        self.at = pos;
        Place {
            file: self.file.clone(),
            line: self.line,
        }
    }
}

/// What the scanner is inside of: a file (canonical path) or a macro's expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Open {
    File(PathBuf),
    Macro(String),
}

/// The scanner's state over a whole blueprint.
pub struct Scanner {
    /// The blueprint's source folder (where plasTeX runs).
    dir: PathBuf,
    /// The project: no file outside it is read.
    root: PathBuf,
    limits: Limits,
    macros: HashMap<String, Macro>,
    /// `\newenvironment{name}[params][default]{begin}{end}`: plasTeX expands its begin code
    /// at `\begin{name}` and its end code at `\end{name}`, so a wrapper around a theorem is a
    /// theorem (the macro's `body` is the begin code).
    environments: HashMap<String, (Macro, String)>,
    /// `\let\name\command` of a command the reader knows (a blueprint command, a
    /// conditional): `\name` is read as that command.
    aliases: HashMap<String, String>,
    /// Environment names declared by `\newtheorem`: a `\newenvironment` of one of them (or of
    /// `proof`, `document`) is not followed.
    theorem_names: HashSet<String>,
    /// Inside `$…$` or `$$…$$` (reset at a paragraph break, where TeX would stop).
    in_dollar_math: bool,
    /// Groups open now (see [`Event::GroupDepth`]), and the depth last sent.
    group_depth: usize,
    group_depth_sent: usize,
    /// `\endinput` was met: the rest of the current file is not read (plasTeX ends it at
    /// once, even the rest of the line).
    end_input: bool,
    /// LeanArchitect's `\newleannode{label}{latex}` and `\newleanmodule{module}{latex}`.
    lean_nodes: HashMap<String, String>,
    lean_modules: HashMap<String, String>,
    pub events: Vec<(Event, Place)>,
    pub findings: Vec<Finding>,
    /// Files read, in order (for the digest of inputs).
    pub files: Vec<PathBuf>,
    /// `\end{document}` was read: like TeX, read nothing after it.
    finished: bool,
    /// Files and expansions open, outermost first.
    open: Vec<Open>,
    /// What was read and expanded so far, against [`Scanner::limits`].
    pub cost: ReadCost,
    /// A budget of [`Limits`] ran out (reported once): nothing more is input or expanded.
    exhausted: bool,
    /// Macros already reported for nesting inside themselves or too deep.
    reported: HashSet<String>,
    /// `\if…` branches open or being skipped, across files and expansions.
    cond: conditionals::Conditionals,
}

impl Scanner {
    /// A scanner for the blueprint in `dir`, reading only inside `root` (see
    /// [`crate::project_root`]).
    pub fn new(dir: &Path, root: &Path, limits: Limits) -> Scanner {
        Scanner {
            dir: dir.to_path_buf(),
            root: root.to_path_buf(),
            limits,
            macros: HashMap::new(),
            environments: HashMap::new(),
            theorem_names: HashSet::new(),
            aliases: HashMap::new(),
            end_input: false,
            in_dollar_math: false,
            group_depth: 0,
            group_depth_sent: 0,
            lean_nodes: HashMap::new(),
            lean_modules: HashMap::new(),
            events: Vec::new(),
            findings: Vec::new(),
            files: Vec::new(),
            finished: false,
            open: Vec::new(),
            cost: ReadCost::default(),
            exhausted: false,
            reported: HashSet::new(),
            cond: Default::default(),
        }
    }

    fn finding(&mut self, level: Level, place: &Place, message: String) {
        self.findings.push(Finding {
            level,
            file: place.file.to_path_buf(),
            line: place.line,
            message,
        });
    }

    /// Reads the blueprint's root file and everything it inputs.
    pub fn scan_root(&mut self, file: &Path) {
        let canonical = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
        let place = Place {
            file: Arc::from(file),
            line: 0,
        };
        self.read_file(file, canonical, &place);
        self.report_unended_conditional();
    }

    /// Reads `shown` (whose canonical path is `canonical`) and scans it; problems are reported
    /// at `from` (the `\input`, or the file itself for the root).
    fn read_file(&mut self, shown: &Path, canonical: PathBuf, from: &Place) {
        if self.finished {
            return;
        }
        let left = self
            .limits
            .max_total_bytes
            .saturating_sub(self.cost.bytes_read);
        let limit = self.limits.max_file_bytes.min(left);
        let text = match read_limited(&canonical, limit) {
            Ok(text) => text,
            Err(ReadError::TooLarge(size)) => {
                let size = size.map_or(String::new(), |s| format!(" ({s} bytes)"));
                let why = if limit < self.limits.max_file_bytes {
                    self.exhausted = true;
                    format!(
                        "reading it would pass the {} bytes theorist reads for one blueprint (is a file input over and over?); not read",
                        self.limits.max_total_bytes
                    )
                } else {
                    format!(
                        "theorist reads blueprint files up to {} bytes; not read",
                        self.limits.max_file_bytes
                    )
                };
                let message = format!("{}{size} is too large: {why}", shown.display());
                self.finding(Level::Error, from, message);
                return;
            }
            Err(ReadError::Io(e)) => {
                self.finding(
                    Level::Error,
                    from,
                    format!("{}: cannot read: {e}", shown.display()),
                );
                return;
            }
        };
        self.cost.bytes_read += text.len() as u64;
        self.files.push(shown.to_path_buf());
        let text = strip_comments(&text);
        let file: Arc<Path> = Arc::from(shown);
        self.open.push(Open::File(canonical));
        self.scan(&text, &file, 1);
        self.open.pop();
        self.end_input = false;
    }

    /// Scans `text`, whose first line is `first_line` of `file`: blank lines become paragraph
    /// breaks, other text content, and each control word goes to [`Scanner::control_word`]
    /// (in `latex/commands.rs`), which says where scanning goes on.
    fn scan(&mut self, text: &str, file: &Arc<Path>, first_line: u32) {
        let t = Text::new(text);
        let b = t.b;
        let mut lines = Lines {
            file: file.clone(),
            line: first_line,
            at: 0,
        };
        let mut i = 0;
        // How far `[…]` after `\\` has been looked into (see `bracket_after_line_break`).
        let mut brackets_checked_to = 0;
        while i < b.len() && !self.finished && !self.end_input {
            if self.cond.skipping() {
                i = self.skip_to_next_word(&t, i, &mut |k| lines.place(b, k));
                continue;
            }
            if b[i] != b'\\' {
                self.plain_byte(&t, i, &mut lines);
                i += 1;
                continue;
            }
            let (name, after) = control_word(b, i + 1);
            if name.is_empty() {
                // A control symbol (`\\`, `\{`, `\%`…) is content.
                if !self.last_is(&Event::Content) {
                    let place = lines.place(b, i);
                    self.events.push((Event::Content, place));
                }
                match b.get(i + 1) {
                    Some(b'\\') => {
                        self.bracket_after_line_break(&t, i, &mut brackets_checked_to, &mut lines)
                    }
                    Some(b'(' | b'[') => self.group_depth += 1,
                    Some(b')' | b']') => self.group_depth = self.group_depth.saturating_sub(1),
                    _ => {}
                }
                i = after.max(i + 2);
                continue;
            }
            let place = lines.place(b, i);
            i = self.control_word(&t, name, after, place);
        }
    }

    /// `\\` at `at`, then (after spaces, even a line end) `[`. plasTeX's `\\` reads the text
    /// up to the next `]` as its spacing argument, where amsmath's takes no `[…]` after a
    /// space (TeX prints the bracket). Harmless for short text; when that text holds `&` or
    /// `\\`, plasTeX's alignment row ends everything open there: the `align*` and the
    /// statement around it (brownian-motion's stochastic intervals). The reader follows
    /// plasTeX ([`Event::LineBreakTakesRow`]). Each stretch of text is looked into once
    /// (`checked_to`), so this stays linear.
    fn bracket_after_line_break(
        &mut self,
        t: &Text,
        at: usize,
        checked_to: &mut usize,
        lines: &mut Lines,
    ) {
        const LOOK: usize = 512;
        let b = t.b;
        let mut j = at + 2;
        if b.get(j) == Some(&b'*') {
            j += 1;
        }
        let s = t.skip_ws(j);
        if b.get(s) != Some(&b'[') || s < *checked_to {
            return;
        }
        let stop = b.len().min(s + 1 + LOOK);
        let mut depth = 0usize;
        let mut k = s + 1;
        let mut close = None;
        while k < stop {
            match b[k] {
                b'\\' => k += 1,
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                b']' if depth == 0 => {
                    close = Some(k);
                    break;
                }
                b'\n' if t.ends_blank_line(k) => break,
                _ => {}
            }
            k += 1;
        }
        *checked_to = k;
        let Some(close) = close else { return };
        let inside = &b[s + 1..close];
        if inside.contains(&b'&') || inside.windows(2).any(|w| w == b"\\\\") {
            let place = lines.place(b, at);
            self.events.push((Event::LineBreakTakesRow, place));
        }
    }

    /// A byte of plain text: a blank line's end is a paragraph break, anything but white space
    /// is content (each recorded once per run).
    fn plain_byte(&mut self, t: &Text, i: usize, lines: &mut Lines) {
        let c = t.b[i];
        if c == b'\n' && t.ends_blank_line(i) {
            if std::mem::take(&mut self.in_dollar_math) {
                self.group_depth = self.group_depth.saturating_sub(1);
            }
            if !self.last_is(&Event::Par) {
                let place = lines.place(t.b, i);
                self.events.push((Event::Par, place));
            }
            return;
        }
        match c {
            b'{' => self.group_depth += 1,
            b'}' => self.group_depth = self.group_depth.saturating_sub(1),
            // `$$` toggles once (the scan passes its second `$` as plain text).
            b'$' if i > 0 && t.b[i - 1] == b'$' && !t.b[..i - 1].ends_with(b"\\") => {}
            b'$' => {
                self.in_dollar_math = !self.in_dollar_math;
                if self.in_dollar_math {
                    self.group_depth += 1;
                } else {
                    self.group_depth = self.group_depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() && !self.last_is(&Event::Content) {
            let place = lines.place(t.b, i);
            self.events.push((Event::Content, place));
        }
    }

    /// Whether the last event is `event` (paragraph breaks and content are recorded once per
    /// run).
    fn last_is(&self, event: &Event) -> bool {
        self.events.last().is_some_and(|(e, _)| e == event)
    }

    /// [`Event::GroupDepth`] before a command or `\begin` at `place`, when it changed.
    pub(crate) fn send_group_depth(&mut self, place: &Place) {
        if self.group_depth != self.group_depth_sent {
            self.group_depth_sent = self.group_depth;
            self.events
                .push((Event::GroupDepth(self.group_depth), place.clone()));
        }
    }

    fn push_content(&mut self, place: Place) {
        if !self.last_is(&Event::Content) {
            self.events.push((Event::Content, place));
        }
    }

    fn push_par(&mut self, place: Place) {
        if !self.last_is(&Event::Par) {
            self.events.push((Event::Par, place));
        }
    }

    fn push_command(
        &mut self,
        name: &str,
        star: bool,
        opt: Option<String>,
        args: Vec<String>,
        place: Place,
    ) {
        self.send_group_depth(&place);
        let name = name.to_string();
        let command = Event::Command {
            name,
            star,
            opt,
            args,
        };
        self.events.push((command, place));
    }

    /// Scans `body`, the expansion of `name` met at `place`, within the budgets: nested at most
    /// [`Limits::max_nesting`] deep and [`Limits::max_self_nesting`] times inside itself, and
    /// at most [`Limits::max_expansions`] expansions and [`Limits::expanded_bytes_allowed`]
    /// bytes in all (in proportion to the bytes read). Each limit reached is reported once, at
    /// the place it was reached.
    ///
    /// The body is made (arguments substituted) only once the nesting limits allow the
    /// expansion: a refused expansion costs nothing, so a macro met many times at the limit
    /// cannot spend unbudgeted time substituting long bodies (found by theorist-fuzz).
    fn expand(&mut self, name: &str, make_body: impl FnOnce() -> String, place: &Place) {
        if self.exhausted || !self.may_nest(name, place) {
            return;
        }
        let body = make_body();
        let limits = &self.limits;
        let allowed = limits.expanded_bytes_allowed(self.cost.bytes_read);
        let past = if self.cost.expansions >= limits.max_expansions {
            Some(format!("past {} expansions", limits.max_expansions))
        } else if self.cost.expanded_bytes + body.len() as u64 > allowed {
            let why = if allowed == limits.max_expanded_bytes {
                "the most for any blueprint".to_string()
            } else {
                format!(
                    "{} per byte of the {} bytes read, plus {}",
                    limits.expanded_bytes_per_byte_read,
                    self.cost.bytes_read,
                    limits.expanded_bytes_allowance
                )
            };
            Some(format!("past {allowed} bytes of expanded text ({why})"))
        } else {
            None
        };
        if let Some(past) = past {
            self.exhausted = true;
            self.finding(
                Level::Error,
                place,
                format!(
                    "\\{name}: macro expansion stopped here, {past}; is a macro defined in terms of itself, or is the closing brace of its body missing? Nothing after this point is expanded or input, so the blueprint is read incompletely"
                ),
            );
            return;
        }
        self.cost.expansions += 1;
        self.cost.expanded_bytes += body.len() as u64;
        self.open.push(Open::Macro(name.to_string()));
        self.scan(&body, &place.file, place.line);
        self.open.pop();
    }

    /// Whether `name` may be expanded once more inside what is open now (reporting the limit
    /// reached once per macro).
    fn may_nest(&mut self, name: &str, place: &Place) -> bool {
        let limits = &self.limits;
        let key = name.to_string();
        let inside_itself = self
            .open
            .iter()
            .filter(|o| matches!(o, Open::Macro(m) if *m == key))
            .count();
        if inside_itself >= limits.max_self_nesting {
            let times = limits.max_self_nesting;
            if self.reported.insert(key) {
                self.finding(
                    Level::Warning,
                    place,
                    format!(
                        "\\{name} is expanded inside itself {times} times (a macro defined in terms of itself?); theorist does not expand it deeper (TeX would loop)"
                    ),
                );
            }
            return false;
        }
        if self.open.len() >= limits.max_nesting {
            let depth = limits.max_nesting;
            if self.reported.insert(key) {
                self.finding(
                    Level::Error,
                    place,
                    format!(
                        "\\{name}: files and macros nested more than {depth} deep; not expanded"
                    ),
                );
            }
            return false;
        }
        true
    }

    /// `\input{name}`: resolved as plasTeX resolves it (see [`resolve`]), never outside the
    /// project, never a file already being read, within the budgets.
    fn input(&mut self, name: &str, place: &Place) {
        if name.is_empty() || self.exhausted || self.finished {
            return;
        }
        let here = place
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        match resolve(name, &here, &self.dir, &self.root) {
            Ok(found) => {
                if self.may_input(name, &found, place) {
                    self.cost.inputs += 1;
                    self.read_file(&found.shown, found.canonical, place);
                }
            }
            Err(why) => self.unresolved(name, why, place),
        }
    }

    /// Reports an `\input` that names no file theorist may read; LeanArchitect's output and a
    /// bibliography that are not built yet are warnings, since building them is a known step.
    fn unresolved(&mut self, name: &str, why: Unresolved, place: &Place) {
        let (level, message) = match why {
            Unresolved::Outside(path) => (
                Level::Error,
                format!(
                    "\\input{{{name}}}: refused: it names {}, outside the blueprint's project {} (theorist reads no file outside it)",
                    path.display(),
                    self.root.display()
                ),
            ),
            Unresolved::NotFound if name.contains(".lake/build/blueprint") => (
                Level::Warning,
                format!(
                    "\\input{{{name}}}: LeanArchitect's output is not built (run `lake build :blueprint`); the nodes it generates are missing"
                ),
            ),
            Unresolved::NotFound if name.ends_with(".bbl") => (
                Level::Warning,
                format!(
                    "\\input{{{name}}}: the bibliography is not built (`leanblueprint pdf` writes it); not read"
                ),
            ),
            Unresolved::NotFound => (Level::Error, format!("\\input{{{name}}}: no such file")),
        };
        self.finding(level, place, message);
    }

    /// Whether the file `found` may be read for `\input{name}`: not while it is already open
    /// (a cycle), not nested too deep, not past the budget of inputs (which, once spent, stops
    /// all further inputs and expansions). Each refusal is reported at `place`.
    fn may_input(&mut self, name: &str, found: &Resolved, place: &Place) -> bool {
        let refusal = if let Some(chain) = self.input_cycle(&found.canonical) {
            format!(
                "\\input{{{name}}}: {} is already being read (an \\input cycle: {chain}); not read again",
                found.shown.display(),
            )
        } else if self.open.len() >= self.limits.max_nesting {
            let depth = self.limits.max_nesting;
            format!("\\input{{{name}}}: files and macros nested more than {depth} deep; not read")
        } else if self.cost.inputs >= self.limits.max_inputs {
            let inputs = self.limits.max_inputs;
            self.exhausted = true;
            format!(
                "\\input{{{name}}}: more than {inputs} \\input followed (a file input over and over?); nothing after this point is input or expanded, so the blueprint is read incompletely"
            )
        } else {
            return true;
        };
        self.finding(Level::Error, place, refusal);
        false
    }

    /// When `canonical` is already open, the chain of files from it back to itself
    /// (`a.tex → b.tex → a.tex`).
    fn input_cycle(&self, canonical: &Path) -> Option<String> {
        let open_file = |o: &Open| matches!(o, Open::File(f) if f == canonical);
        let first = self.open.iter().position(open_file)?;
        let file_name = |f: &Path| f.file_name().map(|n| n.to_string_lossy().into_owned());
        let chain: Vec<String> = self.open[first..]
            .iter()
            .filter_map(|o| match o {
                Open::File(f) => file_name(f),
                Open::Macro(_) => None,
            })
            .chain(file_name(canonical))
            .collect();
        Some(chain.join(" → "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Scanner {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("content.tex");
        std::fs::write(&f, text).unwrap();
        let root = dir.path().canonicalize().unwrap();
        let mut s = Scanner::new(&root, &root, Limits::default());
        s.scan_root(&f);
        s
    }

    fn names(s: &Scanner) -> Vec<String> {
        s.events
            .iter()
            .filter_map(|(e, p)| match e {
                Event::Begin { env, .. } => Some(format!("{}:begin {env}", p.line)),
                Event::End { env } => Some(format!("{}:end {env}", p.line)),
                Event::Command { name, args, .. } => {
                    Some(format!("{}:{name} {}", p.line, args.join("|")))
                }
                Event::Par | Event::Content | Event::LineBreakTakesRow | Event::GroupDepth(_) => {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn comments_macros_and_multiline_arguments() {
        let s = scan(
            "\\newcommand{\\done}{\\leanok}\n\\newcommand\\dep[2][x]{\\uses{#1,#2}}\n% \\label{gone}\n\\begin{lemma}[T {\\cite[p]{r}}]\\label{a, \n b}\\done\\dep{y}\n\\verb|\\label{no}| 50\\% \\end{lemma}",
        );
        assert_eq!(
            names(&s),
            [
                "4:begin lemma",
                "4:label a, \n b",
                "5:leanok ",
                "5:uses x,y",
                "6:end lemma"
            ]
        );
        match &s.events[0].0 {
            Event::Begin { title, .. } => assert_eq!(title.as_deref(), Some("T {\\cite[p]{r}}")),
            e => panic!("{e:?}"),
        }
        assert!(s.findings.is_empty(), "{:?}", s.findings);
    }

    #[test]
    fn a_missing_brace_costs_one_command() {
        let s = scan("\\begin{lemma}\\uses{a, b\n\n\\label{c}\\end{lemma}");
        assert_eq!(names(&s), ["1:begin lemma", "3:label c", "3:end lemma"]);
        assert_eq!(s.findings.len(), 1);
        assert_eq!(s.findings[0].line, 1);
    }

    #[test]
    fn nothing_after_end_document_is_read() {
        let s = scan("\\begin{document}\\label{a}\\end{document}\n\\label{b}\\end{document}");
        assert_eq!(
            names(&s),
            ["1:begin document", "1:label a", "1:end document"]
        );
    }

    #[test]
    fn leanarchitect_nodes_expand_or_are_reported_unbuilt() {
        let s = scan(
            "\\newleannode{thm:x}{\\begin{theorem}\\label{thm:x}\\end{theorem}}\n\\inputleannode{thm:x}\n\\inputleannode{thm:y}",
        );
        assert_eq!(
            names(&s),
            [
                "2:begin theorem",
                "2:label thm:x",
                "2:end theorem",
                "3:inputleannode thm:y"
            ]
        );
    }

    /// Found by `theorist-fuzz` (blueprint): `\edef` followed by a control symbol that is a
    /// multi-byte character (`\≥`) sliced the text inside that character.
    #[test]
    fn a_multibyte_control_symbol_is_one_character() {
        for text in [
            "\\edef\n\\≥begin{x}\n",
            "\\def\\≥{y}\\≥",
            "\\newcommand\\😀{z}",
        ] {
            let s = scan(text);
            let _ = names(&s);
        }
    }
}
