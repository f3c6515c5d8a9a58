//! The peer's stand-in for elaboration: from the text of a file and the scenario it derives
//! the messages Lean would print (sorry warnings, unknown identifiers, tactic errors and
//! unsolved goals from the transition table, `#print axioms` answers) and the goals at a
//! position. Positions are Lean's: line 1-based, column 0-based in codepoints.

use theorist_leansrc::{Decl, Pos, SourceFile};

use crate::scenario::{RuleBehaviour, Scenario, TacticRule};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Information,
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub pos: Pos,
    pub end: Pos,
    pub severity: Severity,
    pub data: String,
    /// `kind` in `--json` output (new toolchains only).
    pub kind: Option<String>,
    /// `code` in LSP diagnostics (named errors, new toolchains only).
    pub code: Option<String>,
}

/// What elaborating a file leads to.
pub struct Outcome {
    pub messages: Vec<Message>,
    /// A tactic rule says elaboration hangs or crashes.
    pub behaviour: RuleBehaviour,
}

pub fn elaborate(text: &str, scenario: &Scenario) -> Outcome {
    let version = scenario.version();
    // Lean stops reading at `#exit`: nothing after it is elaborated or answered.
    let text = match text
        .match_indices("#exit")
        .find(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
    {
        Some((at, _)) => &text[..at],
        None => text,
    };
    let file = theorist_leansrc::parse(text);
    let mut messages = Vec::new();
    let mut behaviour = RuleBehaviour::Ok;
    for ident in &scenario.unknown_identifiers {
        for at in word_occurrences(text, ident) {
            let pos = file.pos_of(at);
            let end = file.pos_of(at + ident.len());
            let (data, kind, code) = if version.has_named_errors() {
                (
                    format!("Unknown identifier `{ident}`"),
                    Some("lean.unknownIdentifier._namedError".to_string()),
                    Some("lean.unknownIdentifier".to_string()),
                )
            } else {
                (format!("unknown identifier '{ident}'"), None, None)
            };
            messages.push(Message {
                pos,
                end,
                severity: Severity::Error,
                data,
                kind,
                code,
            });
        }
    }
    // A reference to the name Lean generates for an anonymous instance (`instInhabitedCharge`)
    // breaks when the instance was given another name (theorist's copy names them).
    for decl in &file.decls {
        if decl
            .short_name()
            .starts_with("theorist_anonymous_instance_")
        {
            let generated = generated_instance_name(&decl.signature);
            for at in word_occurrences(text, &generated) {
                let pos = file.pos_of(at);
                messages.push(Message {
                    pos,
                    end: file.pos_of(at + generated.len()),
                    severity: Severity::Error,
                    data: if version.has_named_errors() {
                        format!("Unknown identifier `{generated}`")
                    } else {
                        format!("unknown identifier '{generated}'")
                    },
                    kind: None,
                    code: None,
                });
            }
        }
    }
    let sorry_message = |pos: Pos, end: Pos| Message {
        pos,
        end,
        severity: Severity::Warning,
        data: if version.backtick_sorry() {
            "declaration uses `sorry`".to_string()
        } else {
            "declaration uses 'sorry'".to_string()
        },
        kind: Some("hasSorry".to_string()),
        code: None,
    };
    for decl in &file.decls {
        if let Some((script, script_start)) = tactic_script(&file, decl) {
            if let Some(rule) = find_rule(&scenario.tactics, &script) {
                behaviour = worst(behaviour, rule.behaviour);
                let at = file.pos_of(script_start);
                if let Some(error) = &rule.error {
                    messages.push(Message {
                        pos: at,
                        end: at,
                        severity: Severity::Error,
                        data: error.clone(),
                        kind: None,
                        code: None,
                    });
                } else if !rule.goals.is_empty() && !script.ends_with("sorry") {
                    messages.push(Message {
                        pos: at,
                        end: at,
                        severity: Severity::Error,
                        data: format!("unsolved goals\n{}", rule.goals.join("\n\n")),
                        kind: None,
                        code: None,
                    });
                }
            } else if scenario.strict_tactics && !script.ends_with("sorry") && script != "sorry" {
                let at = file.pos_of(script_start);
                messages.push(Message {
                    pos: at,
                    end: at,
                    severity: Severity::Error,
                    data: format!(
                        "tactic script `{script}` failed (not in the scenario's transition table)"
                    ),
                    kind: None,
                    code: None,
                });
            }
        }
        if !decl.sorries.is_empty() && !scenario.quiet_sorry.contains(&decl.name) {
            let end = Pos {
                line: decl.name_pos.line,
                column: decl.name_pos.column + decl.short_name().chars().count() as u32,
            };
            messages.push(sorry_message(decl.name_pos, end));
        }
    }
    // A `sorry` in a command theorist's reader does not take for a declaration (a project's
    // own macro, say) is still reported by Lean, at that command.
    let masked = theorist_leansrc::mask_comments_and_strings(text);
    for at in word_occurrences(&masked, "sorry") {
        if file.decls.iter().any(|d| d.contains_byte(at)) {
            continue;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let pos = file.pos_of(line_start);
        if !messages
            .iter()
            .any(|m| m.pos == pos && m.kind.as_deref() == Some("hasSorry"))
        {
            messages.push(sorry_message(pos, file.pos_of(at)));
        }
    }
    for extra in &scenario.extra_messages {
        let pos = Pos {
            line: extra.line,
            column: extra.column,
        };
        messages.push(match extra.severity.as_str() {
            "sorry" => sorry_message(pos, pos),
            other => Message {
                pos,
                end: pos,
                severity: match other {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    _ => Severity::Information,
                },
                data: extra.data.clone(),
                kind: None,
                code: None,
            },
        });
    }
    let mut imported: Option<Vec<SourceFile>> = None;
    for (line_no, line) in text.lines().enumerate() {
        let pos = Pos {
            line: line_no as u32 + 1,
            column: 0,
        };
        let end = Pos {
            line: pos.line,
            column: line.chars().count() as u32,
        };
        if let Some(literal) = line
            .strip_prefix("#print \"")
            .and_then(|r| r.trim_end().strip_suffix('"'))
        {
            messages.push(Message {
                pos,
                end,
                severity: Severity::Information,
                data: literal.to_string(),
                kind: None,
                code: None,
            });
            continue;
        }
        let Some(name) = line.strip_prefix("#print axioms ") else {
            continue;
        };
        let name = name.trim();
        let local = file.find(name).ok();
        if local.is_none() && imported.is_none() {
            imported = Some(imported_files(text));
        }
        let found = local.or_else(|| {
            imported
                .as_ref()
                .and_then(|fs| fs.iter().find_map(|f| f.find(name).ok()))
        });
        let message = match found {
            Some(decl) => {
                let mut axioms = scenario
                    .axioms
                    .get(&decl.name)
                    .cloned()
                    .unwrap_or_else(|| default_axioms(decl));
                // `axioms.qsort Name.lt` (leanprover/lean4 src/Lean/Elab/Print.lean).
                axioms.sort_by(|a, b| name_cmp(a, b));
                // A private declaration's real name carries its module.
                let printed = if decl.modifiers.iter().any(|m| m == "private") {
                    format!("_private.Peer.Module.0.{}", decl.name)
                } else {
                    decl.name.clone()
                };
                Message {
                    pos,
                    end,
                    severity: Severity::Information,
                    data: axioms_text(&printed, &axioms),
                    kind: None,
                    code: None,
                }
            }
            None => Message {
                pos,
                end,
                severity: Severity::Error,
                data: if version.has_named_errors() {
                    format!("Unknown constant `{name}`")
                } else {
                    format!("unknown constant '{name}'")
                },
                kind: None,
                code: None,
            },
        };
        messages.push(message);
    }
    messages.sort_by_key(|m| m.pos);
    Outcome {
        messages,
        behaviour,
    }
}

/// Roughly the name Lean gives an anonymous instance: `inst` and the capitalised words of its
/// type (`: Inhabited Charge` → `instInhabitedCharge`).
fn generated_instance_name(signature: &str) -> String {
    let ty = signature.rsplit(" : ").next().unwrap_or(signature);
    let words: String = ty
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter_map(|w| w.rsplit('.').next())
        .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
        .collect();
    format!("inst{words}")
}

/// Lean's `Name.lt`: component by component, strings compared bytewise.
fn name_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('.').cmp(b.split('.'))
}

fn worst(a: RuleBehaviour, b: RuleBehaviour) -> RuleBehaviour {
    match (a, b) {
        (RuleBehaviour::Crash, _) | (_, RuleBehaviour::Crash) => RuleBehaviour::Crash,
        (RuleBehaviour::Hang, _) | (_, RuleBehaviour::Hang) => RuleBehaviour::Hang,
        _ => RuleBehaviour::Ok,
    }
}

fn default_axioms(decl: &Decl) -> Vec<String> {
    let mut axioms = vec!["propext".to_string()];
    if !decl.sorries.is_empty() {
        axioms.push("sorryAx".to_string());
    }
    axioms.push("Classical.choice".to_string());
    axioms.push("Quot.sound".to_string());
    if decl
        .body
        .as_deref()
        .is_some_and(|b| b.contains("native_decide"))
    {
        axioms.push("Lean.ofReduceBool".to_string());
    }
    axioms
}

/// Lean's `#print axioms` text; lists of four or more wrap onto an indented line, as long
/// lists do in Lean's formatter.
fn axioms_text(name: &str, axioms: &[String]) -> String {
    if axioms.is_empty() {
        return format!("'{name}' does not depend on any axioms");
    }
    let sep = if axioms.len() >= 4 { ",\n  " } else { ", " };
    format!("'{name}' depends on axioms: [{}]", axioms.join(sep))
}

/// The tactic script of a `by` proof, whitespace-normalised, and where it starts.
pub fn tactic_script(file: &SourceFile, decl: &Decl) -> Option<(String, usize)> {
    let body = decl.body.as_deref()?;
    let after_by = body.strip_prefix("by")?;
    if !after_by.starts_with(char::is_whitespace) && !after_by.is_empty() {
        return None;
    }
    let body_start = decl.body_start_byte?;
    let lead = after_by.len() - after_by.trim_start().len();
    let _ = file;
    Some((normalise(after_by), body_start + 2 + lead))
}

pub fn normalise(script: &str) -> String {
    script.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_rule<'a>(rules: &'a [TacticRule], script: &str) -> Option<&'a TacticRule> {
    rules.iter().find(|r| normalise(&r.script) == script)
}

/// The goal state at the start of a declaration: its binders as hypotheses, then `⊢ type`.
pub fn initial_goal(decl: &Decl, scenario: &Scenario) -> String {
    if let Some(goal) = scenario.goals.get(&decl.name) {
        return goal.clone();
    }
    let sig = &decl.signature;
    let mut hyps = Vec::new();
    let mut rest = sig.trim();
    while let Some(open) = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '(' | '{' | '[' | '⦃'))
    {
        let close = match open {
            '(' => ')',
            '{' => '}',
            '[' => ']',
            _ => '⦄',
        };
        let Some(end) = matching(rest, open, close) else {
            break;
        };
        let inner = rest[open.len_utf8()..end].trim();
        match inner.split_once(" : ") {
            Some((names, ty)) => hyps.push(format!("{} : {}", names.trim(), normalise(ty))),
            None => hyps.push(format!("inst✝ : {}", normalise(inner))),
        }
        rest = rest[end + close.len_utf8()..].trim_start();
    }
    let target = rest
        .strip_prefix(':')
        .map(normalise)
        .unwrap_or_else(|| normalise(rest));
    hyps.push(format!("⊢ {target}"));
    hyps.join("\n")
}

fn matching(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// `$/lean/plainGoal` at a position: `None` outside tactic blocks, else the goals after the
/// part of the script before the position (per the transition table).
pub fn goals_at(text: &str, pos: Pos, scenario: &Scenario) -> Option<Vec<String>> {
    let file = theorist_leansrc::parse(text);
    let decl = file.decl_at_line(pos.line)?;
    let (_, script_start) = tactic_script(&file, decl)?;
    let at = file.byte_of(pos)?;
    if at < script_start.saturating_sub(3) || at > decl.end_byte {
        return None;
    }
    let before = normalise(&text[script_start.min(at)..at]);
    let before = before
        .strip_suffix("sorry")
        .map(str::trim)
        .unwrap_or(&before)
        .to_string();
    if before.is_empty() {
        return Some(vec![initial_goal(decl, scenario)]);
    }
    find_rule(&scenario.tactics, &before).map(|r| r.goals.clone())
}

/// `$/lean/plainTermGoal` at a position: the declaration's goal at a term-mode `sorry`.
pub fn term_goal_at(text: &str, pos: Pos, scenario: &Scenario) -> Option<(String, Pos, Pos)> {
    let file = theorist_leansrc::parse(text);
    let decl = file.decl_at_line(pos.line)?;
    let sorry = decl
        .sorries
        .iter()
        .find(|s| s.line == pos.line && s.column <= pos.column && pos.column <= s.column + 5)?;
    Some((
        initial_goal(decl, scenario),
        *sorry,
        Pos {
            line: sorry.line,
            column: sorry.column + 5,
        },
    ))
}

fn word_occurrences(text: &str, word: &str) -> Vec<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '\'';
    text.match_indices(word)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The files `text` imports, found under the working folder (the project root, where `lake`
/// runs) by their module path, and what those import in turn.
fn imported_files(text: &str) -> Vec<SourceFile> {
    let mut all: Vec<std::path::PathBuf> = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(".")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    stack.push(p);
                }
            } else if name.ends_with(".lean") {
                all.push(p);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let mut todo: Vec<String> = imports(text);
    while let Some(module) = todo.pop() {
        if !seen.insert(module.clone()) {
            continue;
        }
        let suffix = format!("{}.lean", module.replace('.', "/"));
        if let Some(path) = all.iter().find(|p| p.to_string_lossy().ends_with(&suffix)) {
            if let Ok(src) = std::fs::read_to_string(path) {
                todo.extend(imports(&src));
                out.push(theorist_leansrc::parse(&src));
            }
        }
    }
    out
}

fn imports(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("import "))
        .flat_map(|rest| rest.split_whitespace().map(str::to_string))
        .collect()
}
