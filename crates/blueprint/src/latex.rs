//! The LaTeX layer: comments, braces, `\input`, user macros (`\newcommand`, `\def`,
//! LeanArchitect's `\newleannode`), verbatim environments. It turns a blueprint's files into
//! one stream of [`Event`]s with file and line, and knows nothing about what they mean.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::{Finding, Level};

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
}

/// How many mandatory arguments the commands the blueprint reader cares about take; every
/// other command's arguments are read as ordinary text.
fn arity(name: &str) -> Option<usize> {
    Some(match name {
        "leanok" | "mathlibok" | "notready" | "appendix" => 0,
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
const MAX_EXPANSION_DEPTH: usize = 24;
const MAX_INPUT_DEPTH: usize = 32;

/// A user macro: `\newcommand{\name}[params][default]{body}`.
#[derive(Debug, Clone)]
struct Macro {
    params: usize,
    default: Option<String>,
    body: String,
}

/// The scanner's state over a whole blueprint.
pub struct Scanner {
    dir: PathBuf,
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
}

impl Scanner {
    pub fn new(dir: &Path) -> Scanner {
        Scanner {
            dir: dir.to_path_buf(),
            macros: HashMap::new(),
            lean_nodes: HashMap::new(),
            lean_modules: HashMap::new(),
            events: Vec::new(),
            findings: Vec::new(),
            files: Vec::new(),
            finished: false,
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

    /// Reads `file` and everything it inputs.
    pub fn scan_file(&mut self, file: &Path, depth: usize) {
        if self.finished {
            return;
        }
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                self.findings.push(Finding {
                    level: Level::Error,
                    file: file.to_path_buf(),
                    line: 0,
                    message: format!("cannot read: {e}"),
                });
                return;
            }
        };
        self.files.push(file.to_path_buf());
        let text = strip_comments(&text);
        let file: Arc<Path> = Arc::from(file);
        self.scan(&text, &file, 1, depth, 0);
    }

    /// Scans `text`, whose first line is `first_line` of `file`; `expansion` counts macro
    /// expansions on the way here.
    fn scan(
        &mut self,
        text: &str,
        file: &Arc<Path>,
        first_line: u32,
        depth: usize,
        expansion: usize,
    ) {
        let b = text.as_bytes();
        let mut i = 0;
        let mut line = first_line;
        let mut line_at = 0; // `line` is the line of byte `line_at`.
        let place_of = |pos: usize, line: &mut u32, line_at: &mut usize| {
            *line += b[*line_at..pos].iter().filter(|&&c| c == b'\n').count() as u32;
            *line_at = pos;
            Place {
                file: file.clone(),
                line: *line,
            }
        };
        while i < b.len() && !self.finished {
            if b[i] != b'\\' {
                i += 1;
                continue;
            }
            let start = i;
            let (name, after) = control_word(b, i + 1);
            if name.is_empty() {
                i = after.max(i + 2); // `\\`, `\{`, `\%`…
                continue;
            }
            let place = place_of(start, &mut line, &mut line_at);
            i = after;
            match name {
                "verb" => {
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
                    let (arg, next) = match group(b, i) {
                        Ok(Some(g)) => g,
                        _ => {
                            // `\input file` without braces.
                            let s = skip_ws(b, i);
                            let e = s + b[s..]
                                .iter()
                                .position(|c| c.is_ascii_whitespace())
                                .unwrap_or(b.len() - s);
                            (text[s..e].to_string(), e)
                        }
                    };
                    i = next;
                    self.input(arg.trim(), &place, depth);
                }
                "newcommand" | "renewcommand" | "providecommand" | "DeclareRobustCommand" => {
                    i = self.define(text, i, &place, name == "providecommand");
                }
                "def" | "gdef" | "edef" | "xdef" => {
                    i = self.define_tex(text, i, &place);
                }
                "newtheorem" | "declaretheorem" => {
                    let mut j = skip_ws(b, i);
                    let star = b.get(j) == Some(&b'*');
                    if star {
                        j += 1;
                    }
                    let opt_before = optional(b, j);
                    if let Some((_, n)) = &opt_before {
                        j = *n;
                    }
                    match group(b, j) {
                        Ok(Some((env, next))) => {
                            i = next;
                            self.events.push((
                                Event::Command {
                                    name: "newtheorem".into(),
                                    star,
                                    opt: None,
                                    args: vec![env.trim().to_string()],
                                },
                                place,
                            ));
                        }
                        _ => i = j,
                    }
                }
                "newleannode" | "newleanmodule" => {
                    if let Ok(Some((key, next))) = group(b, i) {
                        i = next;
                        if let Ok(Some((body, next))) = group(b, next) {
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
                    let mut j = skip_ws(b, i);
                    if b.get(j) == Some(&b'*') {
                        j += 1;
                    }
                    if let Ok(Some((env, next))) = group(b, j) {
                        j = next;
                        while let Some((_, next)) = optional(b, j) {
                            j = next;
                        }
                        for _ in 0..2 {
                            if let Ok(Some((_, next))) = group(b, j) {
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
                "begin" | "end" => match short_group(b, i) {
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
                        let title = optional(b, i).map(|(t, next)| {
                            i = next;
                            t
                        });
                        self.events.push((Event::Begin { env, title }, place));
                    }
                    None => self.finding(
                        Level::Error,
                        &place,
                        format!("unbalanced braces after \\{name}"),
                    ),
                },
                _ if self.macros.contains_key(name) && !reserved(name) => {
                    let m = self.macros[name].clone();
                    if expansion >= MAX_EXPANSION_DEPTH {
                        self.finding(
                            Level::Warning,
                            &place,
                            format!("\\{name}: macro expansion nested too deep; not expanded"),
                        );
                        continue;
                    }
                    let mut args = Vec::new();
                    let mut j = i;
                    if let Some(default) = &m.default {
                        match optional(b, j) {
                            Some((a, next)) => {
                                args.push(a);
                                j = next;
                            }
                            None => args.push(default.clone()),
                        }
                    }
                    while args.len() < m.params {
                        match macro_arg(b, j) {
                            Some((a, next)) => {
                                args.push(a);
                                j = next;
                            }
                            None => break,
                        }
                    }
                    i = j;
                    let body = substitute(&m.body, &args);
                    self.scan(&body, file, place.line, depth, expansion + 1);
                }
                "inputleannode" | "inputleanmodule" => match short_group(b, i) {
                    Some((key, next)) => {
                        i = next;
                        let key = key.trim().to_string();
                        let body = if name == "inputleannode" {
                            self.lean_nodes.get(&key).cloned()
                        } else {
                            self.lean_modules.get(&key).cloned()
                        };
                        match body {
                            Some(body) if expansion < MAX_EXPANSION_DEPTH => {
                                self.scan(&body, file, place.line, depth, expansion + 1)
                            }
                            _ => self.events.push((
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
                    let Some(n) = arity(name) else { continue };
                    let mut j = i;
                    let star = b.get(j) == Some(&b'*');
                    if star {
                        j += 1;
                    }
                    let opt = optional(b, j).map(|(o, next)| {
                        j = next;
                        o
                    });
                    let mut args = Vec::with_capacity(n);
                    let mut broken = false;
                    for _ in 0..n {
                        let read = if matches!(
                            name,
                            "usepackage"
                                | "part"
                                | "chapter"
                                | "section"
                                | "subsection"
                                | "subsubsection"
                                | "paragraph"
                        ) {
                            group(b, j).ok().flatten()
                        } else {
                            short_group(b, j)
                        };
                        match read {
                            Some((a, next)) => {
                                args.push(a);
                                j = next;
                            }
                            None => {
                                broken = true;
                                break;
                            }
                        }
                    }
                    if broken {
                        self.finding(
                            Level::Error,
                            &place,
                            format!("unbalanced braces in \\{name}; ignored"),
                        );
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

    /// `\input{name}`: relative to the blueprint folder (as plasTeX resolves it), else to the
    /// current file's folder; `.tex` added when missing.
    fn input(&mut self, name: &str, place: &Place, depth: usize) {
        if name.is_empty() {
            return;
        }
        let here = place
            .file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let candidates = [self.dir.join(name), here.join(name)];
        let found = candidates.iter().find_map(|c| {
            if c.is_file() && c.extension().is_some_and(|e| e == "tex") {
                return Some(c.clone());
            }
            let with_tex = PathBuf::from(format!("{}.tex", c.display()));
            with_tex.is_file().then_some(with_tex)
        });
        match found {
            Some(_) if depth >= MAX_INPUT_DEPTH => self.finding(
                Level::Error,
                place,
                format!("\\input{{{name}}}: inputs nested more than {MAX_INPUT_DEPTH} deep (a loop?)"),
            ),
            Some(path) => self.scan_file(&path, depth + 1),
            None if name.contains(".lake/build/blueprint") => self.finding(
                Level::Warning,
                place,
                format!(
                    "\\input{{{name}}}: LeanArchitect's output is not built (run `lake build :blueprint`); the nodes it generates are missing"
                ),
            ),
            None => self.finding(Level::Error, place, format!("\\input{{{name}}}: no such file")),
        }
    }

    /// `\newcommand{\name}[n][default]{body}` (or `\newcommand\name…`); returns where the
    /// definition ends.
    fn define(&mut self, text: &str, i: usize, place: &Place, provide: bool) -> usize {
        let b = text.as_bytes();
        let mut j = skip_ws(b, i);
        if b.get(j) == Some(&b'*') {
            j += 1;
        }
        let name = match group(b, j) {
            Ok(Some((g, next))) => {
                j = next;
                g.trim().trim_start_matches('\\').to_string()
            }
            _ => {
                let s = skip_ws(b, j);
                if b.get(s) != Some(&b'\\') {
                    return j;
                }
                let (n, next) = control_word(b, s + 1);
                j = next;
                n.to_string()
            }
        };
        let params = optional(b, j).map_or(0, |(n, next)| {
            j = next;
            n.trim().parse().unwrap_or(0)
        });
        let default = optional(b, j).map(|(d, next)| {
            j = next;
            d
        });
        let keep = !(provide && self.macros.contains_key(&name));
        self.store(b, j, name, params, default, keep, place)
    }

    /// Reads the body at `j` and keeps the macro (unless `keep` is false, or its name is empty
    /// or one of the blueprint's own); returns where the definition ends.
    #[allow(clippy::too_many_arguments)]
    fn store(
        &mut self,
        b: &[u8],
        j: usize,
        name: String,
        params: usize,
        default: Option<String>,
        keep: bool,
        place: &Place,
    ) -> usize {
        match group(b, j) {
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
    fn define_tex(&mut self, text: &str, i: usize, place: &Place) -> usize {
        let b = text.as_bytes();
        let s = skip_ws(b, i);
        if b.get(s) != Some(&b'\\') {
            return i;
        }
        let (name, mut j) = control_word(b, s + 1);
        let name = name.to_string();
        let params_start = j;
        while j < b.len() && b[j] != b'{' && b[j] != b'\n' {
            j += 1;
        }
        let params = text[params_start..j].matches('#').count();
        self.store(b, j, name, params, None, true, place)
    }
}

/// Text with `%` comments blanked out (an escaped `\%` stays); lines keep their places.
pub fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let b = line.as_bytes();
        let mut backslashes = 0;
        let mut cut = b.len();
        for (k, &c) in b.iter().enumerate() {
            if c == b'%' && backslashes % 2 == 0 {
                cut = k;
                break;
            }
            backslashes = if c == b'\\' { backslashes + 1 } else { 0 };
        }
        out.push_str(&line[..cut]);
    }
    out
}

/// The control word starting at `i` (just after the backslash) and where it ends. A control
/// symbol (`\\`, `\{`) gives an empty name and the position after it.
fn control_word(b: &[u8], i: usize) -> (&str, usize) {
    let mut j = i;
    while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'@') {
        j += 1;
    }
    if j == i {
        // A control symbol (`\%`, `\≥`): one whole character, never part of one.
        let mut end = (i + 1).min(b.len());
        while end < b.len() && b[end] & 0xC0 == 0x80 {
            end += 1;
        }
        return ("", end);
    }
    // SAFETY of the slice: ASCII letters only.
    (std::str::from_utf8(&b[i..j]).unwrap_or(""), j)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// A braced group at `i` (after spaces): `Ok(Some((content, end)))`, `Ok(None)` when no
/// group starts there, `Err(())` when its braces never close.
fn group(b: &[u8], i: usize) -> Result<Option<(String, usize)>, ()> {
    let i = skip_ws(b, i);
    if b.get(i) != Some(&b'{') {
        return Ok(None);
    }
    let mut depth = 0usize;
    let mut k = i;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    let s = String::from_utf8_lossy(&b[i + 1..k]).into_owned();
                    return Ok(Some((s, k + 1)));
                }
            }
            _ => {}
        }
        k += 1;
    }
    Err(())
}

/// A group for a short argument (a label, a list of labels): it may not run over a blank line
/// or into `\begin`/`\end`, so one missing `}` costs one command, not the rest of the file.
fn short_group(b: &[u8], i: usize) -> Option<(String, usize)> {
    let (s, end) = group(b, i).ok().flatten()?;
    let blank_line = s
        .split('\n')
        .collect::<Vec<_>>()
        .windows(3)
        .any(|w| w[1].trim().is_empty());
    let bad = blank_line || s.contains("\\begin{") || s.contains("\\end{");
    (!bad).then_some((s, end))
}

/// `[…]` at `i` (after spaces), with nested braces respected.
fn optional(b: &[u8], i: usize) -> Option<(String, usize)> {
    let i = skip_ws(b, i);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    let mut depth = 0usize;
    let mut k = i + 1;
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b']' if depth == 0 => {
                return Some((String::from_utf8_lossy(&b[i + 1..k]).into_owned(), k + 1));
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// One macro argument: a braced group, a control sequence, or one character.
fn macro_arg(b: &[u8], i: usize) -> Option<(String, usize)> {
    let i = skip_ws(b, i);
    match b.get(i)? {
        b'{' => group(b, i).ok().flatten(),
        b'\\' => {
            let (name, end) = control_word(b, i + 1);
            let end = if name.is_empty() {
                (i + 2).min(b.len())
            } else {
                end
            };
            Some((String::from_utf8_lossy(&b[i..end]).into_owned(), end))
        }
        _ => {
            let len = utf8_len(b[i]);
            let end = (i + len).min(b.len());
            Some((String::from_utf8_lossy(&b[i..end]).into_owned(), end))
        }
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// `body` with `#1`…`#9` replaced by `args` (`##` stays a single `#`).
fn substitute(body: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '#' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(d) if d.is_ascii_digit() => {
                let k = d.to_digit(10).unwrap_or(0) as usize;
                chars.next();
                if let Some(a) = k.checked_sub(1).and_then(|k| args.get(k)) {
                    out.push_str(a);
                }
            }
            Some('#') => {
                chars.next();
                out.push('#');
            }
            _ => out.push('#'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Scanner {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("content.tex");
        std::fs::write(&f, text).unwrap();
        let mut s = Scanner::new(dir.path());
        s.scan_file(&f, 0);
        s
    }

    fn names(s: &Scanner) -> Vec<String> {
        s.events
            .iter()
            .map(|(e, p)| match e {
                Event::Begin { env, .. } => format!("{}:begin {env}", p.line),
                Event::End { env } => format!("{}:end {env}", p.line),
                Event::Command { name, args, .. } => {
                    format!("{}:{name} {}", p.line, args.join("|"))
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
