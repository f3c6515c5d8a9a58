//! What the scanner ([`Scanner`]) does at each control word: the structure the reader needs
//! (`\\begin`/`\\end`, the blueprint's own commands with their arguments), definitions
//! (`\\newcommand`, `\\def`, `\\newtheorem`, `\\newenvironment`, LeanArchitect's nodes),
//! inputs and macro expansions; any other command is content. Each handler gets the position
//! after the control word and returns where scanning goes on.

use super::conditionals::Word;
use super::{Event, Level, Macro, Place, Scanner, VERBATIM, arity, reserved};
use crate::lex::{Text, control_word, substitute};

impl Scanner {
    /// Dispatches the control word `name`, read at `place`, whose arguments start at `i`.
    pub(super) fn control_word(&mut self, t: &Text, name: &str, i: usize, place: Place) -> usize {
        let aliased = self.aliases.get(name).cloned();
        let name = aliased.as_deref().unwrap_or(name);
        if let (Word::Done, next) = self.conditional_word(t, name, i, &place) {
            return next;
        }
        match name {
            "par" => {
                self.push_par(place);
                i
            }
            "endinput" if matches!(self.open.last(), Some(super::Open::File(_))) => {
                self.end_input = true;
                i
            }
            "verb" => self.verb(t, i, place),
            "input" | "include" | "subfile" => self.input_command(t, i, &place),
            // plasTeX 3.1 defines all four alike: `\providecommand` too replaces a macro the
            // document defined before (checked on minimal LaTeX with leanblueprint).
            "newcommand" | "renewcommand" | "providecommand" | "DeclareRobustCommand" => {
                self.define(t, i, &place)
            }
            "def" | "gdef" | "edef" | "xdef" => self.define_tex(t, i, &place),
            "let" => self.let_command(t, i),
            "newtheorem" | "declaretheorem" => self.new_theorem(t, name, i, place),
            "newleannode" | "newleanmodule" => self.new_lean_node(t, name, i),
            "newenvironment" | "renewenvironment" => self.new_environment(t, i, place),
            "begin" | "end" => self.environment(t, name, i, place),
            _ if !reserved(name) && self.macros.contains_key(name) => {
                self.expand_macro(t, name, i, &place)
            }
            "inputleannode" | "inputleanmodule" => self.input_lean_node(t, name, i, place),
            _ => match arity(name) {
                Some(n) => self.blueprint_command(t, name, n, i, place),
                None => {
                    self.push_content(place);
                    i
                }
            },
        }
    }

    /// `\\verb|…|` (or `\\verb*|…|`): content up to the matching delimiter or the line's end.
    fn verb(&mut self, t: &Text, i: usize, place: Place) -> usize {
        self.push_content(place);
        let b = t.b;
        let j = if b.get(i) == Some(&b'*') { i + 1 } else { i };
        match b.get(j) {
            Some(&d) => b[j + 1..]
                .iter()
                .position(|&c| c == d || c == b'\n')
                .map_or(b.len(), |p| j + 2 + p),
            None => i,
        }
    }

    /// `\\input{file}`, `\\include`, `\\subfile`, or `\\input file` without braces.
    fn input_command(&mut self, t: &Text, i: usize, place: &Place) -> usize {
        let (arg, next) = match t.group(i) {
            Ok(Some(g)) => g,
            _ => {
                let b = t.b;
                let s = t.skip_ws(i);
                let e = s + b[s..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace())
                    .unwrap_or(b.len() - s);
                (String::from_utf8_lossy(&b[s..e]).into_owned(), e)
            }
        };
        self.input(arg.trim(), place);
        next
    }

    /// `\\newtheorem{env}…` or `\\declaretheorem[options]{env}` (options first): an event
    /// named after the command, so the reader knows which environments are theorems (for
    /// plasTeX, only those of `\\newtheorem`).
    fn new_theorem(&mut self, t: &Text, name: &str, i: usize, place: Place) -> usize {
        let mut j = t.skip_ws(i);
        let star = t.b.get(j) == Some(&b'*');
        if star {
            j += 1;
        }
        let opt = t.optional(j).map(|(o, n)| {
            j = n;
            o
        });
        match t.group(j) {
            Ok(Some((env, next))) => {
                self.theorem_names.insert(env.trim().to_string());
                let args = vec![env.trim().to_string()];
                self.push_command(name, star, opt, args, place);
                next
            }
            _ => j,
        }
    }

    /// LeanArchitect's `\\newleannode{label}{latex}` or `\\newleanmodule{module}{latex}`: kept
    /// for `\\inputleannode`/`\\inputleanmodule`.
    fn new_lean_node(&mut self, t: &Text, name: &str, i: usize) -> usize {
        let Ok(Some((key, next))) = t.group(i) else {
            return i;
        };
        let Ok(Some((body, end))) = t.group(next) else {
            return next;
        };
        let key = key.trim().to_string();
        if name == "newleannode" {
            self.lean_nodes.insert(key, body);
        } else {
            self.lean_modules.insert(key, body);
        }
        end
    }

    /// `\\newenvironment{env}[args][default]{begin}{end}`: kept, to be expanded where the
    /// environment is used (as plasTeX does), unless it redefines a theorem, `proof` or
    /// `document`; the reader is told the name either way.
    fn new_environment(&mut self, t: &Text, i: usize, place: Place) -> usize {
        let mut j = t.skip_ws(i);
        if t.b.get(j) == Some(&b'*') {
            j += 1;
        }
        let Ok(Some((env, next))) = t.group(j) else {
            return j;
        };
        j = next;
        let params = t.optional(j).map_or(0, |(n, next)| {
            j = next;
            n.trim().parse().unwrap_or(0)
        });
        let default = t.optional(j).map(|(d, next)| {
            j = next;
            d
        });
        let mut code = Vec::new();
        for _ in 0..2 {
            if let Ok(Some((c, next))) = t.group(j) {
                code.push(c);
                j = next;
            }
        }
        let env = env.trim().to_string();
        let protected = matches!(env.as_str(), "proof" | "document")
            || VERBATIM.contains(&env.as_str())
            || self.theorem_names.contains(&env)
            || ["definition", "lemma", "proposition", "theorem", "corollary"]
                .contains(&env.as_str());
        if let ([begin, end], false) = (code.as_slice(), protected) {
            let m = Macro {
                params,
                default,
                body: begin.clone(),
            };
            self.environments.insert(env.clone(), (m, end.clone()));
        }
        self.push_command("newenvironment", false, None, vec![env], place);
        j
    }

    /// `\\begin{env}[title]` or `\\end{env}`. A verbatim environment's body is skipped to its
    /// `\\end`; `\\end{document}` ends the reading, as in TeX.
    fn environment(&mut self, t: &Text, name: &str, i: usize, place: Place) -> usize {
        let Some((env, next)) = t.short_group(i) else {
            let message = format!("unbalanced braces after \\{name}");
            self.finding(Level::Error, &place, message);
            return i;
        };
        let env = env.trim().to_string();
        if let Some((m, end)) = self.environments.get(&env).cloned() {
            return self.user_environment(t, name, env, m, end, next, place);
        }
        if name == "end" {
            self.finished = env == "document";
            self.events.push((Event::End { env }, place));
            return next;
        }
        if VERBATIM.contains(&env.as_str()) {
            let close = format!("\\end{{{env}}}");
            self.send_group_depth(&place);
            self.events.push((Event::Begin { env, title: None }, place));
            return t.find(next, &close).unwrap_or(t.b.len());
        }
        let (title, next) = match t.optional(next) {
            Some((title, after)) => (Some(title), after),
            None => (None, next),
        };
        self.send_group_depth(&place);
        self.events.push((Event::Begin { env, title }, place));
        next
    }

    /// `\\begin{env}` or `\\end{env}` of a `\\newenvironment`: the environment's own event
    /// around its begin code (with its arguments, read after `\\begin{env}`) or end code,
    /// scanned in place.
    #[allow(clippy::too_many_arguments)]
    fn user_environment(
        &mut self,
        t: &Text,
        name: &str,
        env: String,
        m: Macro,
        end: String,
        i: usize,
        place: Place,
    ) -> usize {
        let key = format!("{name}{{{env}}}");
        if name == "end" {
            self.expand(&key, || end, &place);
            self.events.push((Event::End { env }, place));
            return i;
        }
        self.send_group_depth(&place);
        self.events
            .push((Event::Begin { env, title: None }, place.clone()));
        let (args, j) = self.macro_args(t, &m, i);
        self.expand(&key, || substitute(&m.body, &args), &place);
        j
    }

    /// The arguments of `m` read at `i`: the optional one first (else its default), then the
    /// mandatory ones; and where they end.
    fn macro_args(&self, t: &Text, m: &Macro, i: usize) -> (Vec<String>, usize) {
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
            let Some((a, next)) = t.macro_arg(j) else {
                break;
            };
            args.push(a);
            j = next;
        }
        (args, j)
    }

    /// A user macro: its arguments (the optional one first, else its default), then its body
    /// scanned in place.
    fn expand_macro(&mut self, t: &Text, name: &str, i: usize, place: &Place) -> usize {
        let Some(m) = self.macros.get(name).cloned() else {
            return i;
        };
        let (args, j) = self.macro_args(t, &m, i);
        self.expand(name, || substitute(&m.body, &args), place);
        j
    }

    /// `\\inputleannode{label}` (or `…module`): the node LeanArchitect generated, expanded in
    /// place; one not generated (its output is not built) stays an event for the reader.
    fn input_lean_node(&mut self, t: &Text, name: &str, i: usize, place: Place) -> usize {
        let Some((key, next)) = t.short_group(i) else {
            let message = format!("unbalanced braces in \\{name}");
            self.finding(Level::Error, &place, message);
            return i;
        };
        let key = key.trim().to_string();
        let generated = if name == "inputleannode" {
            &self.lean_nodes
        } else {
            &self.lean_modules
        };
        match generated.get(&key).cloned() {
            Some(body) => self.expand(&format!("{name}{{{key}}}"), || body, &place),
            None => self.push_command(name, false, None, vec![key], place),
        }
        next
    }

    /// One of the blueprint's own commands, with its star, `[…]` and `n` mandatory arguments.
    /// Sectioning and `\\usepackage` arguments may span lines; the others are short, so a
    /// missing brace is reported and costs only this command.
    fn blueprint_command(
        &mut self,
        t: &Text,
        name: &str,
        n: usize,
        i: usize,
        place: Place,
    ) -> usize {
        let mut j = i;
        let star = t.b.get(j) == Some(&b'*');
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
            let message = format!("unbalanced braces in \\{name}; ignored");
            self.finding(Level::Error, &place, message);
            // The arguments read are not read again.
            return if args.is_empty() { i } else { j };
        }
        self.push_command(name, star, opt, args, place);
        j
    }

    /// `\newcommand{\name}[n][default]{body}` (or `\newcommand\name…`); returns where the
    /// definition ends.
    fn define(&mut self, t: &Text, i: usize, place: &Place) -> usize {
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
        self.store(t, j, name, params, default, place)
    }

    /// Reads the body at `j` and keeps the macro (unless its name is empty or one of the
    /// blueprint's own); returns where the definition ends.
    fn store(
        &mut self,
        t: &Text,
        j: usize,
        name: String,
        params: usize,
        default: Option<String>,
        place: &Place,
    ) -> usize {
        match t.group(j) {
            Ok(Some((body, next))) => {
                if !name.is_empty() && !reserved(&name) {
                    self.aliases.remove(&name);
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

    /// `\let\name\command` (or `\let\name=\command`): `\name` becomes what `\command`
    /// is now: a copy of a user macro, or the blueprint command or conditional itself
    /// (`\let\formalised\leanok`, `\let\ifdraft\iffalse`), as in plasTeX. The blueprint's
    /// own commands are not redefined (see [`reserved`]); `\name` meaning anything else is no
    /// macro of the reader's any more.
    fn let_command(&mut self, t: &Text, i: usize) -> usize {
        let b = t.b;
        let Some((name, j)) = control_word_after(t, i) else {
            return i;
        };
        let mut j = t.skip_ws(j);
        if b.get(j) == Some(&b'=') {
            j = t.skip_ws(j + 1);
        }
        if b.get(j) != Some(&b'\\') {
            return j;
        }
        let (target, end) = control_word(b, j + 1);
        if name.is_empty() || target.is_empty() || reserved(&name) {
            return end.max(j + 1);
        }
        let target = self
            .aliases
            .get(target)
            .cloned()
            .unwrap_or(target.to_string());
        self.aliases.remove(&name);
        self.macros.remove(&name);
        if let Some(m) = self.macros.get(&target).cloned() {
            self.macros.insert(name, m);
        } else if arity(&target).is_some() || target.starts_with("if") || target == "fi" {
            self.aliases.insert(name, target);
        }
        end
    }

    /// `\def\name#1#2{body}`.
    fn define_tex(&mut self, t: &Text, i: usize, place: &Place) -> usize {
        let b = t.b;
        let Some((name, mut j)) = control_word_after(t, i) else {
            return i;
        };
        let params_start = j;
        while j < b.len() && b[j] != b'{' && b[j] != b'\n' {
            j += 1;
        }
        let params = b[params_start..j].iter().filter(|&&c| c == b'#').count();
        self.store(t, j, name, params, None, place)
    }
}

/// The control word after spaces at `i` (`\\name`), and where it ends.
fn control_word_after(t: &Text, i: usize) -> Option<(String, usize)> {
    let s = t.skip_ws(i);
    if t.b.get(s) != Some(&b'\\') {
        return None;
    }
    let (name, end) = control_word(t.b, s + 1);
    Some((name.to_string(), end))
}
