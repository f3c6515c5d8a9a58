//! A Lean file's scoping commands, walked in order: `import`, `namespace`/`section`/`end`,
//! `open` (and `open … in`), `variable`, `include`. [`walk`] gives every top-level command with
//! the context in effect where it starts; [`context_at`] the context at a line. The miner
//! ([`crate::mine`]) needs the `variable`s a proof sees, the scope check ([`crate::scope`])
//! the namespaces and `open`s that resolve a name, and the name index ([`crate::index`]) the
//! imports and the namespace of every declaration. Commands start at column 0 (Lean's layout
//! in practice, as `theorist-leansrc` assumes too).

use theorist_leansrc::mask_comments_and_strings;

/// One binder group of a `variable` command: `(x y : ℝ)`, `{E : Type*}`, `[NormedSpace ℝ E]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binder {
    /// Empty for an anonymous instance binder.
    pub names: Vec<String>,
    pub ty: String,
    /// The opening bracket: `(`, `{`, `[`, `⦃`, or `s` for `{{`-less strict implicit.
    pub bracket: char,
}

impl Binder {
    /// The group as Lean source (`(x y : ℝ)`).
    pub fn source(&self) -> String {
        let close = match self.bracket {
            '(' => ')',
            '{' => '}',
            '[' => ']',
            _ => '⦄',
        };
        if self.names.is_empty() {
            format!("{}{}{close}", self.bracket, self.ty)
        } else {
            format!(
                "{}{} : {}{close}",
                self.bracket,
                self.names.join(" "),
                self.ty
            )
        }
    }
}

/// What is in effect at a point of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileContext {
    /// Module names of the `import` lines (`public`/`meta`/`all` forms included).
    pub imports: Vec<String>,
    /// The current namespace, components joined by `.` (empty at the root).
    pub namespace: String,
    /// Namespaces opened by `open` (as written; `open scoped` opens no names and is left out).
    pub opens: Vec<String>,
    /// `variable` binders in effect, in order.
    pub variables: Vec<Binder>,
    /// Names forced into every declaration by `include`.
    pub includes: Vec<String>,
}

impl FileContext {
    /// The namespace prefixes a short name is resolved under, innermost first, then the
    /// opened namespaces (each also relative to the current namespaces), then the root.
    pub fn resolution_prefixes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let parts: Vec<&str> = self
            .namespace
            .split('.')
            .filter(|p| !p.is_empty())
            .collect();
        for k in (1..=parts.len()).rev() {
            out.push(parts[..k].join("."));
        }
        let namespaces = out.clone();
        for o in &self.opens {
            out.push(o.clone());
            for ns in &namespaces {
                out.push(format!("{ns}.{o}"));
            }
        }
        out.push(String::new());
        out.dedup();
        out
    }
}

/// A top-level command: its first line (1-based) and its text with comments and strings
/// blanked, continuation lines included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub line: u32,
    pub end_line: u32,
    pub text: String,
}

struct Frame {
    namespace: Option<String>,
    /// Components of the scope's name (`namespace A.B`: 2; anonymous `section`: 0).
    name_components: usize,
    opens: Vec<String>,
    variables: Vec<Binder>,
    includes: Vec<String>,
}

impl Frame {
    fn new(namespace: Option<String>, name_components: usize) -> Frame {
        Frame {
            namespace,
            name_components,
            opens: Vec::new(),
            variables: Vec::new(),
            includes: Vec::new(),
        }
    }
}

/// Every command of `text` with the context in effect where it starts.
pub fn walk(text: &str) -> Vec<(Command, FileContext)> {
    let mut scopes = Scopes {
        frames: vec![Frame::new(None, 0)],
        imports: Vec::new(),
        pending_in: Vec::new(),
    };
    commands(text)
        .into_iter()
        .map(|cmd| {
            let ctx = scopes.context();
            scopes.apply(&cmd);
            (cmd, ctx)
        })
        .collect()
}

/// The top-level commands of `text`: a line that starts at column 0 starts one, indented
/// lines continue it.
fn commands(text: &str) -> Vec<Command> {
    let masked = mask_comments_and_strings(text);
    let mut commands: Vec<Command> = Vec::new();
    let mut attr_pending = false;
    for (i, line) in masked.lines().enumerate() {
        let line_no = i as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let starts_command = !line.starts_with(char::is_whitespace);
        match commands.last_mut() {
            Some(c) if !starts_command || attr_pending => {
                c.text.push('\n');
                c.text.push_str(line);
                c.end_line = line_no;
            }
            _ => commands.push(Command {
                line: line_no,
                end_line: line_no,
                text: line.to_string(),
            }),
        }
        // Attributes on lines of their own (a `to_additive` doc comment can span several)
        // belong to the command on the next line.
        attr_pending = commands.last().is_some_and(|c| only_attributes(&c.text));
    }
    commands
}

/// The scopes open after the commands read so far, and the imports.
struct Scopes {
    /// The file's top level first.
    frames: Vec<Frame>,
    imports: Vec<String>,
    /// `open … in`: opened for the next command only.
    pending_in: Vec<String>,
}

impl Scopes {
    /// The context the next command starts in.
    fn context(&mut self) -> FileContext {
        let mut ctx = current(&self.frames, &self.imports);
        ctx.opens.append(&mut self.pending_in);
        ctx
    }

    /// What `cmd` changes for the commands after it: imports, scopes opened and closed,
    /// `open`s, `variable`s and `include`s.
    fn apply(&mut self, cmd: &Command) {
        let words = words_after_attributes(&cmd.text);
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let (head, rest) = strip_visibility(&w);
        let components = |n: &&str| n.split('.').count();
        match head {
            Some("import") => self
                .imports
                .extend(rest.iter().filter(|m| **m != "all").map(|m| m.to_string())),
            Some("namespace") => {
                if let Some(n) = rest.first() {
                    self.frames
                        .push(Frame::new(Some(n.to_string()), components(n)));
                }
            }
            Some("section") | Some("mutual") => self
                .frames
                .push(Frame::new(None, rest.first().map_or(0, components))),
            Some("end") => self.end(rest.first().map_or(0, components)),
            Some("open") | Some("export") => {
                let (names, only_next) = opened(rest);
                if only_next {
                    self.pending_in = names;
                } else if let Some(f) = self.frames.last_mut() {
                    f.opens.extend(names);
                }
            }
            Some("variable") => {
                let body = cmd.text.trim_start();
                let after = body[body.find("variable").expect("head") + "variable".len()..].trim();
                if !after.ends_with(" in") {
                    let groups = binder_groups(after);
                    if let Some(f) = self.frames.last_mut() {
                        f.variables.extend(groups);
                    }
                }
            }
            Some("include") => {
                if let Some(f) = self.frames.last_mut() {
                    f.includes.extend(rest.iter().map(|s| s.to_string()));
                }
            }
            _ => {}
        }
    }

    /// `end A.B` closes as many scopes as its name has components (`end Finset.Filter` closes
    /// `section Filter` and `namespace Finset`); never the file's top level.
    fn end(&mut self, want: usize) {
        let mut closed = 0;
        while self.frames.len() > 1 {
            let f = self.frames.pop().expect("checked");
            closed += f.name_components;
            if closed >= want {
                break;
            }
        }
    }
}

/// The context in effect at `line` (1-based): the context of the command containing it.
pub fn context_at(text: &str, line: u32) -> FileContext {
    let mut last = FileContext::default();
    for (cmd, ctx) in walk(text) {
        if cmd.line > line {
            break;
        }
        last = ctx;
    }
    last
}

fn current(frames: &[Frame], imports: &[String]) -> FileContext {
    let mut ctx = FileContext {
        imports: imports.to_vec(),
        ..FileContext::default()
    };
    let mut ns: Vec<&str> = Vec::new();
    for f in frames {
        if let Some(n) = &f.namespace {
            ns.push(n);
        }
        ctx.opens.extend(f.opens.iter().cloned());
        ctx.variables.extend(f.variables.iter().cloned());
        ctx.includes.extend(f.includes.iter().cloned());
    }
    ctx.namespace = ns.join(".");
    ctx
}

/// The end (exclusive) of the `@[…]` group `rest` starts with; `None` when it is not closed.
pub(crate) fn attribute_group_end(rest: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
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

/// Whether `text` is nothing but `@[…]` groups (the last one possibly still open).
fn only_attributes(text: &str) -> bool {
    let mut rest = text.trim();
    if !rest.starts_with("@[") {
        return false;
    }
    while rest.starts_with("@[") {
        match attribute_group_end(rest) {
            Some(e) => rest = rest[e..].trim_start(),
            None => return true,
        }
    }
    rest.is_empty()
}

/// The command's words, with leading `@[…]` attribute groups removed.
fn words_after_attributes(text: &str) -> Vec<String> {
    let mut rest = text.trim_start();
    while rest.starts_with("@[") {
        let end = attribute_group_end(rest).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest.split_whitespace().map(str::to_string).collect()
}

/// `public import`, `public meta import`, `noncomputable section`, `public section`: the
/// keyword that decides what the command does.
fn strip_visibility<'a>(w: &'a [&'a str]) -> (Option<&'a str>, &'a [&'a str]) {
    let mut i = 0;
    while i < w.len() && matches!(w[i], "public" | "private" | "meta" | "noncomputable") {
        i += 1;
    }
    (w.get(i).copied(), w.get(i + 1..).unwrap_or(&[]))
}

/// Namespaces an `open` command opens, and whether it is `open … in` (next command only).
fn opened(rest: &[&str]) -> (Vec<String>, bool) {
    let only_next = rest.last() == Some(&"in");
    let mut out = Vec::new();
    let mut in_parens = 0i32;
    for (k, w) in rest.iter().enumerate() {
        if *w == "scoped" && k == 0 {
            // `open scoped X`: notations and instances only, no names.
            return (Vec::new(), only_next);
        }
        if matches!(*w, "hiding" | "renaming" | "in") {
            break;
        }
        let opens_paren = w.matches('(').count() as i32;
        let closes = w.matches(')').count() as i32;
        if in_parens == 0 && !w.starts_with('(') {
            let name = w.trim_end_matches(['(', ')']);
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
        in_parens += opens_paren - closes;
    }
    (out, only_next)
}

/// Binder groups of a `variable` command or a signature prefix.
pub fn binder_groups(s: &str) -> Vec<Binder> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let open = chars[i];
        let close = match open {
            '(' => ')',
            '{' => '}',
            '[' => ']',
            '⦃' => '⦄',
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            _ => break,
        };
        let mut depth = 0;
        let mut j = i;
        while j < chars.len() {
            if chars[j] == open {
                depth += 1;
            } else if chars[j] == close {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            j += 1;
        }
        let inner: String = chars[i + 1..j.min(chars.len())].iter().collect();
        let inner = crate::normalise::collapse_ws(&inner);
        match top_level_colon(&inner) {
            Some(at) => {
                let names: Vec<String> = inner[..at].split_whitespace().map(String::from).collect();
                let ty = inner[at + 1..].trim().to_string();
                if !names.is_empty() || open == '[' {
                    out.push(Binder {
                        names,
                        ty,
                        bracket: open,
                    });
                }
            }
            None if open == '[' => out.push(Binder {
                names: Vec::new(),
                ty: inner.trim().to_string(),
                bracket: '[',
            }),
            // `variable {x}`: a binder update without a type; nothing new is declared.
            None => {}
        }
        i = j + 1;
    }
    out
}

fn top_level_colon(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' | '⦃' => depth += 1,
            ')' | ']' | '}' | '⦄' => depth -= 1,
            ':' if depth == 0 && !s[i + 1..].starts_with('=') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "module

public import Mathlib.Analysis.Normed.Group.Basic
public meta import Mathlib.Tactic.Ring
import PhysLean.Meta.Basic

/-! doc: namespace Fake -/

@[expose] public section

namespace StandardModel
open Real Complex
open scoped Manifold

variable {E : Type*} [NormedAddCommGroup E] (x y : ℝ)
  (hx : 0 < x)

section Inner
open Finset in
theorem a : True := trivial

theorem b : True := trivial
end Inner

namespace Finset
section Filter
theorem d : True := trivial
end Finset.Filter

end StandardModel
theorem c : True := trivial
";

    #[test]
    fn imports_namespaces_opens_and_variables() {
        let cmds = walk(FILE);
        let at = |name: &str| {
            cmds.iter()
                .find(|(c, _)| c.text.contains(&format!("theorem {name}")))
                .map(|(_, ctx)| ctx.clone())
                .unwrap()
        };
        let a = at("a");
        assert_eq!(
            a.imports,
            [
                "Mathlib.Analysis.Normed.Group.Basic",
                "Mathlib.Tactic.Ring",
                "PhysLean.Meta.Basic"
            ]
        );
        assert_eq!(a.namespace, "StandardModel");
        assert_eq!(a.opens, ["Real", "Complex", "Finset"]);
        assert_eq!(a.variables.len(), 4);
        assert_eq!(a.variables[2].names, ["x", "y"]);
        assert_eq!(a.variables[1].source(), "[NormedAddCommGroup E]");
        let b = at("b");
        assert_eq!(b.opens, ["Real", "Complex"]);
        assert_eq!(at("d").namespace, "StandardModel.Finset");
        let c = at("c");
        assert_eq!(c.namespace, "");
        assert!(c.opens.is_empty() && c.variables.is_empty());
        assert_eq!(
            a.resolution_prefixes(),
            [
                "StandardModel",
                "Real",
                "StandardModel.Real",
                "Complex",
                "StandardModel.Complex",
                "Finset",
                "StandardModel.Finset",
                ""
            ]
        );
        assert_eq!(context_at(FILE, 19).namespace, "StandardModel");
    }

    #[test]
    fn attributes_spanning_lines_stay_with_their_declaration() {
        let text = "@[to_additive /-- doc\n  more doc -/]\ndef IsSquare (a : α) : Prop := True\n";
        let cmds = walk(text);
        assert_eq!(cmds.len(), 1, "{cmds:?}");
        assert!(cmds[0].0.text.contains("def IsSquare"));
    }

    #[test]
    fn hypotheses_in_variables_on_continuation_lines() {
        let a = walk(FILE)
            .into_iter()
            .find(|(c, _)| c.text.contains("theorem b"))
            .unwrap()
            .1;
        assert_eq!(a.variables[3].names, ["hx"]);
        assert_eq!(a.variables[3].ty, "0 < x");
    }
}
