//! TeX conditionals (`\iffalse … \else … \fi`, `\newif` switches) as plasTeX 3.1 reads them,
//! for the scanner ([`Scanner`]).
//!
//! plasTeX decides a conditional when it meets it, then reads the unexpanded tokens up to the
//! matching `\fi` (across the end of an `\input` file or a macro body) and goes on with the
//! branch taken. It matches `\else`, `\or` and `\fi` by counting every control word whose name
//! begins with `if` as a nested conditional: `\iff` and `\ifthenelse` too, so an `\iff` inside
//! `\iffalse … \fi` makes that `\fi` close the `\iff`, and the skipping goes on (often to the
//! end of the document). The scanner does the same, live: a branch not taken is skipped here
//! token by token, and a branch taken is read as usual while this module counts what plasTeX
//! would count, to know which `\else` or `\fi` ends it.
//!
//! plasTeX's own conditionals are constant (`\iftrue`, `\ifplastex`, `\ifhtml`, `\ifhmode`
//! are true; `\iffalse`, `\ifpdf`, `\ifvmode`, `\ifinner` false; a `\newif\ifplastex` does not
//! change them); `\newif\ifname` makes a switch that `\nametrue`/`\namefalse` set. Those whose
//! value depends on what TeX would compute (`\ifx`, `\ifnum`, `\ifdefined`, …) are not
//! evaluated: both branches are read, with a warning at their place.

use std::collections::HashMap;

use super::{Level, Place, Scanner};
use crate::lex::{Text, control_word};

/// Conditionals whose value plasTeX does not take from the document.
const ALWAYS_TRUE: &[&str] = &["iftrue", "ifplastex", "ifhtml", "ifhmode"];
const ALWAYS_FALSE: &[&str] = &[
    "iffalse", "ifpdf", "ifvmode", "ifinner", "ifvoid", "ifhbox", "ifvbox", "ifeof",
];
/// plasTeX's conditionals that compare or test something TeX computes: not evaluated here.
const NOT_EVALUATED: &[&str] = &[
    "if",
    "ifcat",
    "ifnum",
    "ifdim",
    "ifodd",
    "ifx",
    "ifcase",
    "ifdefined",
    "ifcsname",
    "ifmmode",
];

/// A conditional whose branch is being read.
#[derive(Debug)]
struct Branch {
    /// Not evaluated: every branch is read, and `\else`/`\or` are passed over.
    every_branch: bool,
    /// Control words named `if…` met in the branch that open no conditional here (`\iff`):
    /// plasTeX still counts each as one, closed by the next `\fi`.
    counted: u32,
}

/// Skipping a branch not taken.
#[derive(Debug)]
struct Skip {
    /// Conditionals (and `if…` words) opened inside the skipped text.
    depth: u32,
    /// An `\else` or `\or` ends the skipping (the false branch of a conditional); otherwise
    /// only `\fi` (the rest after a true branch).
    at_else: bool,
    /// Where the skipping began, and the first `\iff`-like word counted in it.
    from: Place,
    counted_word: Option<(String, Place)>,
}

/// The scanner's conditional state over the whole blueprint.
#[derive(Debug, Default)]
pub(super) struct Conditionals {
    /// `\newif` switches (`ifname` → its value).
    switches: HashMap<String, bool>,
    open: Vec<Branch>,
    skip: Option<Skip>,
}

/// What the scanner does with a control word, as far as conditionals go.
pub(super) enum Word {
    /// Handled here (a conditional opened or closed, a switch set): no content.
    Done,
    /// Not a conditional's business: the scanner goes on with it.
    Other,
}

impl Conditionals {
    pub(super) fn skipping(&self) -> bool {
        self.skip.is_some()
    }
}

impl Scanner {
    /// A control word `name` at `place` (after which the text goes on at `i`) in text that is
    /// being read: a conditional or one of its parts, a `\newif` or a switch's setter.
    pub(super) fn conditional_word(
        &mut self,
        t: &Text,
        name: &str,
        i: usize,
        place: &Place,
    ) -> (Word, usize) {
        let c = &mut self.cond;
        match name {
            "fi" => match c.open.last_mut() {
                Some(b) if b.counted > 0 => b.counted -= 1,
                Some(_) => {
                    c.open.pop();
                }
                // A `\fi` with nothing open is a command of no meaning to plasTeX.
                None => return (Word::Other, i),
            },
            "else" | "or" => match c.open.last_mut() {
                Some(b) if b.counted == 0 && !b.every_branch => {
                    c.open.pop();
                    c.skip = Some(Skip {
                        depth: 0,
                        at_else: false,
                        from: place.clone(),
                        counted_word: None,
                    });
                }
                Some(b) if b.counted == 0 => {}
                _ => return (Word::Other, i),
            },
            "newif" => {
                let s = t.skip_ws(i);
                if t.b.get(s) != Some(&b'\\') {
                    return (Word::Done, i);
                }
                let (switch, next) = control_word(t.b, s + 1);
                let builtin = ALWAYS_TRUE.contains(&switch)
                    || ALWAYS_FALSE.contains(&switch)
                    || NOT_EVALUATED.contains(&switch);
                if switch.starts_with("if") && !builtin {
                    c.switches.entry(switch.to_string()).or_insert(false);
                }
                return (Word::Done, next);
            }
            _ if ALWAYS_TRUE.contains(&name) => c.open.push(Branch {
                every_branch: false,
                counted: 0,
            }),
            _ if ALWAYS_FALSE.contains(&name) => self.skip_branch(place),
            _ if NOT_EVALUATED.contains(&name) => {
                self.cond.open.push(Branch {
                    every_branch: true,
                    counted: 0,
                });
                self.finding(
                    Level::Warning,
                    place,
                    format!(
                        "\\{name}: theorist does not evaluate this conditional; it reads every branch"
                    ),
                );
            }
            _ if name.starts_with("if") => match c.switches.get(name) {
                Some(true) => c.open.push(Branch {
                    every_branch: false,
                    counted: 0,
                }),
                Some(false) => self.skip_branch(place),
                None => match c.open.last_mut() {
                    Some(b) => {
                        b.counted += 1;
                        return (Word::Other, i);
                    }
                    None => return (Word::Other, i),
                },
            },
            _ => {
                let setter = [("true", true), ("false", false)]
                    .into_iter()
                    .find_map(|(end, v)| name.strip_suffix(end).map(|s| (format!("if{s}"), v)));
                match setter {
                    Some((switch, value)) if c.switches.contains_key(&switch) => {
                        c.switches.insert(switch, value);
                    }
                    _ => return (Word::Other, i),
                }
            }
        }
        (Word::Done, i)
    }

    /// Starts skipping the false branch of a conditional met at `place`.
    fn skip_branch(&mut self, place: &Place) {
        self.cond.skip = Some(Skip {
            depth: 0,
            at_else: true,
            from: place.clone(),
            counted_word: None,
        });
    }

    /// Skips from `i` to the next control word of `t` and passes it to the skipping (at
    /// `place_of` its position); returns where scanning goes on.
    pub(super) fn skip_to_next_word(
        &mut self,
        t: &Text,
        i: usize,
        place_of: &mut dyn FnMut(usize) -> Place,
    ) -> usize {
        let b = t.b;
        let Some(k) = b[i..].iter().position(|&c| c == b'\\').map(|k| i + k) else {
            return b.len();
        };
        let (name, after) = control_word(b, k + 1);
        if name.is_empty() {
            return after.max(k + 2);
        }
        let Some(skip) = self.cond.skip.as_mut() else {
            return after;
        };
        match name {
            // plasTeX takes the token after `\newif` without counting it.
            "newif" => {
                let s = t.skip_ws(after);
                if b.get(s) == Some(&b'\\') {
                    return control_word(b, s + 1).1;
                }
            }
            "fi" if skip.depth > 0 => skip.depth -= 1,
            "fi" => {
                if let Some(skip) = self.cond.skip.take() {
                    if let Some((word, at)) = skip.counted_word {
                        let fi = place_of(k);
                        self.finding(
                            Level::Warning,
                            &skip.from,
                            format!(
                                "plasTeX counts the \\{word} at line {} as a nested \\if, so the text it skips here runs on to the \\fi at {}:{}, past the \\fi meant to end it (TeX would stop earlier); keep \\{word} out of skipped text",
                                at.line,
                                fi.file.display(),
                                fi.line
                            ),
                        );
                    }
                }
            }
            "else" | "or" if skip.depth == 0 && skip.at_else => {
                self.cond.skip = None;
                self.cond.open.push(Branch {
                    every_branch: false,
                    counted: 0,
                });
            }
            _ if name.starts_with("if") => {
                skip.depth += 1;
                let conditional = ALWAYS_TRUE.contains(&name)
                    || ALWAYS_FALSE.contains(&name)
                    || NOT_EVALUATED.contains(&name)
                    || self.cond.switches.contains_key(name);
                if !conditional && skip.counted_word.is_none() {
                    skip.counted_word = Some((name.to_string(), place_of(k)));
                }
            }
            _ => {}
        }
        after
    }

    /// At the end of the blueprint: a branch still being skipped hid the rest of it, as in
    /// plasTeX; say where it began.
    pub(super) fn report_unended_conditional(&mut self) {
        let Some(skip) = self.cond.skip.take() else {
            return;
        };
        let counted = match &skip.counted_word {
            Some((word, at)) => format!(
                " (plasTeX counts the \\{word} at {}:{} as a nested \\if, so a later \\fi closes it instead; write a conditional-free macro for it, or leave it out of the skipped text)",
                at.file.display(),
                at.line
            ),
            None => String::new(),
        };
        self.finding(
            Level::Error,
            &skip.from.clone(),
            format!(
                "this conditional's skipped branch never ends (no matching \\fi): nothing after it is read, as in plasTeX{counted}"
            ),
        );
    }
}
