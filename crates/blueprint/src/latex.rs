//! The LaTeX layer: comments, braces, `\input`, user macros (`\newcommand`, `\def`,
//! LeanArchitect's `\newleannode`), verbatim environments. It turns a blueprint's files into
//! one stream of [`Event`]s with file and line, and knows nothing about what they mean.
//! Which files it may read and how much work it may do are [`crate::inputs`]' business; the
//! lexing of one text is [`crate::lex`]'s.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::{Finding, Level};
use crate::inputs::{Limits, ReadCost, ReadError, Unresolved, read_limited, resolve};
use crate::lex::{EATEN_NEWLINE, Text, control_word, strip_comments, substitute};

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
        | "subsubsection" | "paragraph" | "home" | "github" | "dochome" => 1,
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
    }

    /// Scans `text`, whose first line is `first_line` of `file`.
    fn scan(&mut self, text: &str, file: &Arc<Path>, first_line: u32) {
        let t = Text::new(text);
        let b = t.b;
        let mut i = 0;
        let mut line = first_line;
        let mut line_at = 0; // `line` is the line of byte `line_at`.
        let place_of = |pos: usize, line: &mut u32, line_at: &mut usize| {
            *line += b[*line_at..pos]
                .iter()
                .filter(|&&c| c == b'\n' || c == EATEN_NEWLINE)
                .count() as u32;
            *line_at = pos;
            Place {
                file: file.clone(),
                line: *line,
            }
        };
        while i < b.len() && !self.finished {
            match b[i] {
                b'\\' => {}
                b'\n' if t.ends_blank_line(i) => {
                    if !self.last_is(&Event::Par) {
                        let place = place_of(i, &mut line, &mut line_at);
                        self.events.push((Event::Par, place));
                    }
                    i += 1;
                    continue;
                }
                c => {
                    if !c.is_ascii_whitespace() && !self.last_is(&Event::Content) {
                        let place = place_of(i, &mut line, &mut line_at);
                        self.events.push((Event::Content, place));
                    }
                    i += 1;
                    continue;
                }
            }
            let start = i;
            let (name, after) = control_word(b, i + 1);
            if name.is_empty() {
                if !self.last_is(&Event::Content) {
                    let place = place_of(i, &mut line, &mut line_at);
                    self.events.push((Event::Content, place));
                }
                i = after.max(i + 2); // `\\`, `\{`, `\%`…
                continue;
            }
            let place = place_of(start, &mut line, &mut line_at);
            i = after;
            match name {
                "par" => {
                    if !self.last_is(&Event::Par) {
                        self.events.push((Event::Par, place));
                    }
                }
                "verb" => {
                    self.push_content(place);
                    // \verb|…|: skip to the matching delimiter.
                    let j = if b.get(i) == Some(&b'*') { i + 1 } else { i };
                    if let Some(&d) = b.get(j) {
                        i = b[j + 1..]
                            .iter()
                            .position(|&c| c == d || c == b'\n')
                            .map_or(b.len(), |p| j + 2 + p);
                    }
                }
                "input" | "include" | "subfile" => {
                    let (arg, next) = match t.group(i) {
                        Ok(Some(g)) => g,
                        _ => {
                            // `\input file` without braces.
                            let s = t.skip_ws(i);
                            let e = s + b[s..]
                                .iter()
                                .position(|c| c.is_ascii_whitespace())
                                .unwrap_or(b.len() - s);
                            (String::from_utf8_lossy(&b[s..e]).into_owned(), e)
                        }
                    };
                    i = next;
                    self.input(arg.trim(), &place);
                }
                "newcommand" | "renewcommand" | "providecommand" | "DeclareRobustCommand" => {
                    i = self.define(&t, i, &place, name == "providecommand");
                }
                "def" | "gdef" | "edef" | "xdef" => {
                    i = self.define_tex(&t, i, &place);
                }
                "newtheorem" | "declaretheorem" => {
                    let mut j = t.skip_ws(i);
                    let star = b.get(j) == Some(&b'*');
                    if star {
                        j += 1;
                    }
                    // `\declaretheorem[numbered=no]{name}`: its options come first.
                    let opt = t.optional(j).map(|(o, n)| {
                        j = n;
                        o
                    });
                    match t.group(j) {
                        Ok(Some((env, next))) => {
                            i = next;
                            self.events.push((
                                Event::Command {
                                    name: "newtheorem".into(),
                                    star,
                                    opt,
                                    args: vec![env.trim().to_string()],
                                },
                                place,
                            ));
                        }
                        _ => i = j,
                    }
                }
                "newleannode" | "newleanmodule" => {
                    if let Ok(Some((key, next))) = t.group(i) {
                        i = next;
                        if let Ok(Some((body, next))) = t.group(next) {
                            i = next;
                            let key = key.trim().to_string();
                            if name == "newleannode" {
                                self.lean_nodes.insert(key, body);
                            } else {
                                self.lean_modules.insert(key, body);
                            }
                        }
                    }
                }
                "newenvironment" | "renewenvironment" => {
                    // The name, then [args][default], then the begin and end code, skipped
                    // whole: their `\begin`/`\end` are not the document's.
                    let mut j = t.skip_ws(i);
                    if b.get(j) == Some(&b'*') {
                        j += 1;
                    }
                    if let Ok(Some((env, next))) = t.group(j) {
                        j = next;
                        while let Some((_, next)) = t.optional(j) {
                            j = next;
                        }
                        for _ in 0..2 {
                            if let Ok(Some((_, next))) = t.group(j) {
                                j = next;
                            }
                        }
                        self.events.push((
                            Event::Command {
                                name: "newenvironment".into(),
                                star: false,
                                opt: None,
                                args: vec![env.trim().to_string()],
                            },
                            place,
                        ));
                    }
                    i = j;
                }
                "begin" | "end" => match t.short_group(i) {
                    Some((env, next)) => {
                        let env = env.trim().to_string();
                        i = next;
                        if name == "end" {
                            self.finished = env == "document";
                            self.events.push((Event::End { env }, place));
                            continue;
                        }
                        if VERBATIM.contains(&env.as_str()) {
                            let close = format!("\\end{{{env}}}");
                            i = text[i..].find(&close).map_or(b.len(), |p| i + p);
                            self.events.push((Event::Begin { env, title: None }, place));
                            continue;
                        }
                        let title = t.optional(i).map(|(title, next)| {
                            i = next;
                            title
                        });
                        self.events.push((Event::Begin { env, title }, place));
                    }
                    None => self.finding(
                        Level::Error,
                        &place,
                        format!("unbalanced braces after \\{name}"),
                    ),
                },
                _ if !reserved(name) && self.macros.contains_key(name) => {
                    let Some(m) = self.macros.get(name).cloned() else {
                        continue;
                    };
                    let mut args = Vec::new();
                    let mut j = i;
                    if let Some(default) = &m.default {
                        match t.optional(j) {
                            Some((a, next)) => {
                                args.push(a);
                                j = next;
                            }
                            None => args.push(default.clone()),
                        }
                    }
                    while args.len() < m.params {
                        match t.macro_arg(j) {
                            Some((a, next)) => {
                                args.push(a);
                                j = next;
                            }
                            None => break,
                        }
                    }
                    i = j;
                    self.expand(name, || substitute(&m.body, &args), file, &place);
                }
                "inputleannode" | "inputleanmodule" => match t.short_group(i) {
                    Some((key, next)) => {
                        i = next;
                        let key = key.trim().to_string();
                        let body = if name == "inputleannode" {
                            self.lean_nodes.get(&key).cloned()
                        } else {
                            self.lean_modules.get(&key).cloned()
                        };
                        match body {
                            Some(body) => {
                                self.expand(&format!("{name}{{{key}}}"), || body, file, &place)
                            }
                            None => self.events.push((
                                Event::Command {
                                    name: name.to_string(),
                                    star: false,
                                    opt: None,
                                    args: vec![key],
                                },
                                place,
                            )),
                        }
                    }
                    None => self.finding(
                        Level::Error,
                        &place,
                        format!("unbalanced braces in \\{name}"),
                    ),
                },
                _ => {
                    let Some(n) = arity(name) else {
                        self.push_content(place);
                        continue;
                    };
                    let mut j = i;
                    let star = b.get(j) == Some(&b'*');
                    if star {
                        j += 1;
                    }
                    let opt = t.optional(j).map(|(o, next)| {
                        j = next;
                        o
                    });
                    let long = matches!(
                        name,
                        "usepackage"
                            | "part"
                            | "chapter"
                            | "section"
                            | "subsection"
                            | "subsubsection"
                            | "paragraph"
                    );
                    let mut args = Vec::with_capacity(n);
                    for _ in 0..n {
                        let read = if long {
                            t.group(j).ok().flatten()
                        } else {
                            t.short_group(j)
                        };
                        let Some((a, next)) = read else { break };
                        args.push(a);
                        j = next;
                    }
                    if args.len() < n {
                        self.finding(
                            Level::Error,
                            &place,
                            format!("unbalanced braces in \\{name}; ignored"),
                        );
                        if !args.is_empty() {
                            // The arguments read are not read again.
                            i = j;
                        }
                        continue;
                    }
                    i = j;
                    self.events.push((
                        Event::Command {
                            name: name.to_string(),
                            star,
                            opt,
                            args,
                        },
                        place,
                    ));
                }
            }
        }
    }

    /// Whether the last event is `event` (paragraph breaks and content are recorded once per
    /// run).
    fn last_is(&self, event: &Event) -> bool {
        self.events.last().is_some_and(|(e, _)| e == event)
    }

    fn push_content(&mut self, place: Place) {
        if !self.last_is(&Event::Content) {
            self.events.push((Event::Content, place));
        }
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
    fn expand(
        &mut self,
        name: &str,
        make_body: impl FnOnce() -> String,
        file: &Arc<Path>,
        place: &Place,
    ) {
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
        self.scan(&body, file, place.line);
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
        let found = match resolve(name, &here, &self.dir, &self.root) {
            Ok(found) => found,
            Err(Unresolved::Outside(path)) => {
                let root = self.root.display().to_string();
                self.finding(
                    Level::Error,
                    place,
                    format!(
                        "\\input{{{name}}}: refused: it names {}, outside the blueprint's project {root} (theorist reads no file outside it)",
                        path.display()
                    ),
                );
                return;
            }
            Err(Unresolved::NotFound) if name.contains(".lake/build/blueprint") => {
                self.finding(
                    Level::Warning,
                    place,
                    format!(
                        "\\input{{{name}}}: LeanArchitect's output is not built (run `lake build :blueprint`); the nodes it generates are missing"
                    ),
                );
                return;
            }
            Err(Unresolved::NotFound) if name.ends_with(".bbl") => {
                self.finding(
                    Level::Warning,
                    place,
                    format!(
                        "\\input{{{name}}}: the bibliography is not built (`leanblueprint pdf` writes it); not read"
                    ),
                );
                return;
            }
            Err(Unresolved::NotFound) => {
                self.finding(
                    Level::Error,
                    place,
                    format!("\\input{{{name}}}: no such file"),
                );
                return;
            }
        };
        let open_file = |o: &Open| matches!(o, Open::File(f) if *f == found.canonical);
        if let Some(first) = self.open.iter().position(open_file) {
            let chain: Vec<String> = self.open[first..]
                .iter()
                .filter_map(|o| match o {
                    Open::File(f) => f.file_name().map(|n| n.to_string_lossy().into_owned()),
                    Open::Macro(_) => None,
                })
                .chain(
                    found
                        .canonical
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned()),
                )
                .collect();
            self.finding(
                Level::Error,
                place,
                format!(
                    "\\input{{{name}}}: {} is already being read (an \\input cycle: {}); not read again",
                    found.shown.display(),
                    chain.join(" → ")
                ),
            );
            return;
        }
        if self.open.len() >= self.limits.max_nesting {
            let depth = self.limits.max_nesting;
            self.finding(
                Level::Error,
                place,
                format!(
                    "\\input{{{name}}}: files and macros nested more than {depth} deep; not read"
                ),
            );
            return;
        }
        if self.cost.inputs >= self.limits.max_inputs {
            let inputs = self.limits.max_inputs;
            self.exhausted = true;
            self.finding(
                Level::Error,
                place,
                format!(
                    "\\input{{{name}}}: more than {inputs} \\input followed (a file input over and over?); nothing after this point is input or expanded, so the blueprint is read incompletely"
                ),
            );
            return;
        }
        self.cost.inputs += 1;
        self.read_file(&found.shown, found.canonical, place);
    }

    /// `\newcommand{\name}[n][default]{body}` (or `\newcommand\name…`); returns where the
    /// definition ends.
    fn define(&mut self, t: &Text, i: usize, place: &Place, provide: bool) -> usize {
        let b = t.b;
        let mut j = t.skip_ws(i);
        if b.get(j) == Some(&b'*') {
            j += 1;
        }
        let name = match t.group(j) {
            Ok(Some((g, next))) => {
                j = next;
                g.trim().trim_start_matches('\\').to_string()
            }
            _ => {
                let s = t.skip_ws(j);
                if b.get(s) != Some(&b'\\') {
                    return j;
                }
                let (n, next) = control_word(b, s + 1);
                j = next;
                n.to_string()
            }
        };
        let params = t.optional(j).map_or(0, |(n, next)| {
            j = next;
            n.trim().parse().unwrap_or(0)
        });
        let default = t.optional(j).map(|(d, next)| {
            j = next;
            d
        });
        let keep = !(provide && self.macros.contains_key(&name));
        self.store(t, j, name, params, default, keep, place)
    }

    /// Reads the body at `j` and keeps the macro (unless `keep` is false, or its name is empty
    /// or one of the blueprint's own); returns where the definition ends.
    #[allow(clippy::too_many_arguments)]
    fn store(
        &mut self,
        t: &Text,
        j: usize,
        name: String,
        params: usize,
        default: Option<String>,
        keep: bool,
        place: &Place,
    ) -> usize {
        match t.group(j) {
            Ok(Some((body, next))) => {
                if keep && !name.is_empty() && !reserved(&name) {
                    self.macros.insert(
                        name,
                        Macro {
                            params,
                            default,
                            body,
                        },
                    );
                }
                next
            }
            _ => {
                self.finding(
                    Level::Error,
                    place,
                    format!("unbalanced braces in the definition of \\{name}"),
                );
                j
            }
        }
    }

    /// `\def\name#1#2{body}`.
    fn define_tex(&mut self, t: &Text, i: usize, place: &Place) -> usize {
        let b = t.b;
        let s = t.skip_ws(i);
        if b.get(s) != Some(&b'\\') {
            return i;
        }
        let (name, mut j) = control_word(b, s + 1);
        let name = name.to_string();
        let params_start = j;
        while j < b.len() && b[j] != b'{' && b[j] != b'\n' {
            j += 1;
        }
        let params = b[params_start..j].iter().filter(|&&c| c == b'#').count();
        self.store(t, j, name, params, None, true, place)
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
                Event::Par | Event::Content => None,
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
