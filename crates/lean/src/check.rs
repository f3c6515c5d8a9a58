//! Whole-file checks in batch mode, per declaration: Lean's errors, `sorry`, and the axioms
//! each declaration depends on. `#print axioms D` lines are appended to a temporary copy of
//! the file next to it (so imports resolve the same way), with a name written into each
//! anonymous `instance` of the copy so that it can be asked about too, and a last line
//! `#print "…"` whose answer proves Lean got to the end; the user's file is never touched and
//! the copy is removed afterwards.
//!
//! The verdict fails closed: a `sorry`, an error or a message of unknown severity anywhere in
//! Lean's output fails the file whether or not it falls in a declaration theorist found; a
//! declaration whose axioms Lean did not report, or a run that did not reach the end of the
//! file, is `not_checked`, never passed.

use std::path::{Path, PathBuf};

use serde::Serialize;
use theorist_leansrc::{Decl, DeclKind, SourceFile, UnknownCommand};

use crate::axioms::{AxiomPolicy, parse_axioms_message};
use crate::batch::{BatchConfig, BatchRun, SerialMessage, Severity, run_lean_json};
use crate::error::{LeanError, Result};
use crate::position::LeanPos;
use crate::toolchain::Toolchain;

/// What `#print "…"` on the copy's last line makes Lean say.
pub const END_MARKER: &str = "theorist: end of file reached";

/// What to check in a file.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Only these declarations (names as `SourceFile::find` takes them); `None`: all named
    /// declarations.
    pub only: Option<Vec<String>>,
    pub batch: BatchConfig,
    pub policy: AxiomPolicy,
}

/// The verdict on one declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclStatus {
    /// Elaborated without errors, no `sorry`, only allowed axioms.
    Ok,
    /// Lean reported errors inside it.
    Error,
    /// It uses `sorry`.
    Sorry,
    /// It depends on an axiom outside the policy.
    ForbiddenAxioms,
    /// Lean did not confirm it (timeout, crash, or no `#print axioms` answer).
    NotChecked,
}

/// The verdict on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileVerdict {
    /// Lean got to the end, reported no error, no `sorry`, and confirmed every declaration.
    Passed,
    /// An error, a `sorry`, a message of unknown severity or a forbidden axiom.
    Failed,
    /// Nothing failed, but not everything was confirmed by Lean.
    NotChecked,
    TimedOut,
    /// Lean ended by a signal, or non-zero without saying why.
    Crashed,
}

/// A `sorry` in the source, with the goal Lean reports there (filled in by the caller through
/// the language server, when asked).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SorryAt {
    pub pos: LeanPos,
    pub goal: Option<String>,
}

/// One declaration's result.
#[derive(Debug, Clone, Serialize)]
pub struct DeclCheck {
    pub name: String,
    pub kind: DeclKind,
    pub start_line: u32,
    pub end_line: u32,
    pub status: DeclStatus,
    pub errors: Vec<SerialMessage>,
    pub warnings: Vec<SerialMessage>,
    pub sorries: Vec<SorryAt>,
    /// `None` when `#print axioms` gave no answer for it.
    pub axioms: Option<Vec<String>>,
    pub forbidden_axioms: Vec<String>,
    /// Why Lean did not confirm it (for `not_checked`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_checked: Option<String>,
}

impl DeclCheck {
    /// Whether it uses `sorry`: in the source, in Lean's warnings, or as `sorryAx`.
    pub fn uses_sorry(&self) -> bool {
        !self.sorries.is_empty()
            || self.warnings.iter().any(SerialMessage::is_sorry_warning)
            || self
                .axioms
                .as_ref()
                .is_some_and(|a| a.iter().any(|x| x == "sorryAx"))
    }
}

/// One file's result.
#[derive(Debug, Clone, Serialize)]
pub struct FileCheck {
    /// As given by the caller.
    pub file: PathBuf,
    pub lean_version: String,
    pub decls: Vec<DeclCheck>,
    /// Messages outside every declaration checked (imports, commands, declarations theorist
    /// did not recognise).
    pub file_messages: Vec<SerialMessage>,
    /// Output lines that were not messages (crash texts), stdout then stderr, the last 20.
    pub other_output: Vec<String>,
    pub exit_code: Option<i32>,
    pub timed_out: bool,
    /// Lean exited non-zero without reporting any error message (a crash).
    pub failed_silently: bool,
    /// Lean answered the marker on the copy's last line.
    pub reached_end: bool,
    /// Lean printed more than theorist keeps, so its messages are incomplete.
    pub output_truncated: bool,
    /// Commands theorist does not know (what they declare is not checked for axioms).
    pub unknown_commands: Vec<UnknownCommand>,
    pub elapsed_ms: u128,
}

impl FileCheck {
    /// Everything checked and fine.
    pub fn passed(&self) -> bool {
        self.verdict() == FileVerdict::Passed
    }

    /// The file's verdict when no declaration may keep `sorry`.
    pub fn verdict(&self) -> FileVerdict {
        self.verdict_with(&|_| false)
    }

    /// The file's verdict; `may_sorry(name)` says whether a declaration is allowed to keep
    /// `sorry` (PhysLean's `@[sorryful]`, `allow_sorry`): then its `sorry` and `sorryAx` do
    /// not fail it. `verify` and `ci` both decide through here, so they agree.
    pub fn verdict_with(&self, may_sorry: &dyn Fn(&str) -> bool) -> FileVerdict {
        if self.timed_out {
            return FileVerdict::TimedOut;
        }
        if self.exit_code.is_none() || self.failed_silently {
            return FileVerdict::Crashed;
        }
        let decl_fails = self.decls.iter().any(|d| match d.status {
            DeclStatus::Error => true,
            DeclStatus::Sorry => !may_sorry(&d.name) || !self.non_sorry_forbidden(d).is_empty(),
            DeclStatus::ForbiddenAxioms => true,
            DeclStatus::Ok | DeclStatus::NotChecked => false,
        });
        // A `sorry` Lean reports outside every declaration theorist found cannot be allowed:
        // nobody knows whose it is.
        let file_fails = self
            .file_messages
            .iter()
            .any(|m| m.severity.fails() || m.is_sorry_warning());
        if decl_fails || file_fails {
            return FileVerdict::Failed;
        }
        if self.output_truncated
            || !self.reached_end
            || self.decls.iter().any(|d| d.not_checked.is_some())
        {
            return FileVerdict::NotChecked;
        }
        FileVerdict::Passed
    }

    /// A declaration's forbidden axioms other than `sorryAx`.
    pub fn non_sorry_forbidden<'a>(&self, d: &'a DeclCheck) -> Vec<&'a str> {
        d.forbidden_axioms
            .iter()
            .map(String::as_str)
            .filter(|a| *a != "sorryAx")
            .collect()
    }

    /// Why the file is `not_checked`, in words.
    pub fn not_checked_reasons(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.output_truncated {
            out.push(
                "Lean printed more output than theorist keeps; its messages are incomplete"
                    .to_string(),
            );
        }
        if !self.reached_end && !self.timed_out && self.exit_code.is_some() {
            out.push(
                "Lean did not report reaching the end of the file (an `#exit`, an unterminated comment, or output that is not Lean's)".to_string(),
            );
        }
        for d in &self.decls {
            if let Some(why) = &d.not_checked {
                out.push(format!("`{}`: {why}", d.name));
            }
        }
        out
    }
}

/// Checks `file` (inside `toolchain`'s project) in batch mode.
pub async fn check_file(
    toolchain: &Toolchain,
    file: &Path,
    options: &CheckOptions,
) -> Result<FileCheck> {
    let text = std::fs::read_to_string(file).map_err(|source| LeanError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let mut plan = CheckPlan::new(&text, options)?;
    let mut run = run_plan(toolchain, file, &plan, options).await?;
    if plan.names_broke_the_file(&run) {
        // The file refers to an instance by the name Lean generates for it, which the name
        // written into the copy replaced: check it again as it is, those instances unasked.
        tracing::info!(file = %file.display(), "checking again without naming anonymous instances");
        plan = CheckPlan::without_instance_names(&text, options)?;
        run = run_plan(toolchain, file, &plan, options).await?;
    }
    Ok(plan.assemble(file, &toolchain.lean_version, run, options))
}

async fn run_plan(
    toolchain: &Toolchain,
    file: &Path,
    plan: &CheckPlan,
    options: &CheckOptions,
) -> Result<BatchRun> {
    let probe = AxiomProbe::write(file, &plan.probe_text)?;
    let run = run_lean_json(toolchain, probe.path(), &options.batch).await;
    drop(probe);
    run
}

/// A name written into the copy of the file (an anonymous instance's), so its columns can be
/// mapped back to the user's file.
#[derive(Debug, Clone)]
struct Insertion {
    line: u32,
    /// Codepoint column in the user's file where the text was inserted.
    column: u32,
    /// Codepoints inserted.
    len: u32,
    /// Where a position inside the inserted name is reported: the declaration's keyword.
    anchor: LeanPos,
}

/// One declaration whose axioms are asked for, and where the question stands in the copy.
#[derive(Debug, Clone)]
struct Probe {
    /// Index into the plan's targets.
    target: usize,
    /// The name as Lean prints it (the name given in the copy for anonymous instances).
    name: String,
    /// The line of its `#print axioms` in the copy.
    line: u32,
}

/// What to ask Lean for one file (the text with `#print axioms` appended) and how to read
/// its answer back into per-declaration verdicts. Batch mode uses it, and so can any other
/// backend that returns Lean's messages for the same text (a REPL pool, a remote server).
#[derive(Debug, Clone)]
pub struct CheckPlan {
    source: SourceFile,
    targets: Vec<Decl>,
    probes: Vec<Probe>,
    insertions: Vec<Insertion>,
    /// Why a target has no probe (it could not be named in the copy).
    unprobed: Vec<(usize, String)>,
    /// The file's text with names for anonymous instances, one `#print axioms` line per
    /// target and the end marker appended.
    pub probe_text: String,
    /// The line of the first appended `#print axioms`; messages from there on are its output.
    pub first_probe_line: u32,
    /// The line of the end marker.
    pub end_line: u32,
}

impl CheckPlan {
    pub fn new(text: &str, options: &CheckOptions) -> Result<CheckPlan> {
        CheckPlan::build(text, options, true)
    }

    /// The plan for a file that refers to its anonymous instances by the names Lean generates
    /// (`instInhabitedCharge`): nothing is written into the copy, and those instances are
    /// `not_checked`.
    pub fn without_instance_names(text: &str, options: &CheckOptions) -> Result<CheckPlan> {
        CheckPlan::build(text, options, false)
    }

    /// Whether Lean's answer says the names written into anonymous instances broke the file:
    /// an unknown `inst…` identifier where the user's text refers to a generated name.
    pub fn names_broke_the_file(&self, run: &BatchRun) -> bool {
        !self.insertions.is_empty()
            && run.messages.iter().any(|m| {
                m.pos.line < self.first_probe_line
                    && m.severity.fails()
                    && unknown_generated_instance_name(&m.data)
            })
    }

    fn build(text: &str, options: &CheckOptions, name_instances: bool) -> Result<CheckPlan> {
        let source = theorist_leansrc::parse(text);
        let targets: Vec<Decl> = select(&source, options)?.into_iter().cloned().collect();
        // Names for anonymous instances, written into the copy from the end backwards so the
        // byte offsets stay valid.
        let mut copy = text.to_string();
        let mut insertions = Vec::new();
        let mut probe_names: Vec<Option<String>> = vec![None; targets.len()];
        let mut unprobed = Vec::new();
        let mut order: Vec<usize> = (0..targets.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(targets[i].keyword_byte));
        for i in order {
            let d = &targets[i];
            if !d.is_anonymous() {
                probe_names[i] = Some(d.name.clone());
                continue;
            }
            if d.kind == DeclKind::Example {
                continue; // nothing can depend on an example; its messages are its verdict
            }
            let Some(slot) = d.name_slot else {
                unprobed.push((
                    i,
                    "an anonymous declaration theorist cannot name".to_string(),
                ));
                continue;
            };
            if !name_instances {
                unprobed.push((
                    i,
                    "the file refers to an instance by the name Lean generates, so this anonymous instance could not be named to ask for its axioms".to_string(),
                ));
                continue;
            }
            if d.attributes
                .iter()
                .any(|a| a.starts_with("to_additive") || a.starts_with("to_dual"))
            {
                // Such attributes derive a second name from the instance's own one.
                unprobed.push((
                    i,
                    "an anonymous instance with a name-deriving attribute: its axioms cannot be asked for without changing it".to_string(),
                ));
                continue;
            }
            let short = format!("theorist_anonymous_instance_{}", d.name_pos.line);
            let full = if d.namespace.is_empty() {
                short.clone()
            } else {
                format!("{}.{short}", d.namespace)
            };
            let pos = source.pos_of(slot);
            insertions.push(Insertion {
                line: pos.line,
                column: pos.column,
                len: short.chars().count() as u32 + 1,
                anchor: d.name_pos.into(),
            });
            copy.insert_str(slot, &format!(" {short}"));
            probe_names[i] = Some(theorist_leansrc::display_name(&full));
        }
        let mut probe_text = String::with_capacity(copy.len() + 64 * targets.len() + 64);
        probe_text.push_str(&copy);
        if !copy.ends_with('\n') {
            probe_text.push('\n');
        }
        let first_probe_line = probe_text.matches('\n').count() as u32 + 1;
        let mut probes = Vec::new();
        for (i, name) in probe_names.into_iter().enumerate() {
            let Some(name) = name else { continue };
            probes.push(Probe {
                target: i,
                line: first_probe_line + probes.len() as u32,
                name: name.clone(),
            });
            probe_text.push_str(&format!(
                "#print axioms {}\n",
                theorist_leansrc::lean_ident(&name)
            ));
        }
        let end_line = first_probe_line + probes.len() as u32;
        probe_text.push_str(&format!("#print \"{END_MARKER}\"\n"));
        Ok(CheckPlan {
            source,
            targets,
            probes,
            insertions,
            unprobed,
            probe_text,
            first_probe_line,
            end_line,
        })
    }

    /// The position in the user's file of a position Lean reported for the copy.
    fn original_pos(&self, mut pos: LeanPos) -> LeanPos {
        for ins in &self.insertions {
            if pos.line == ins.line && pos.column >= ins.column + ins.len {
                pos.column -= ins.len;
            } else if pos.line == ins.line && pos.column > ins.column {
                pos = ins.anchor;
            }
        }
        pos
    }

    /// Per-declaration verdicts from Lean's messages for `probe_text`.
    pub fn assemble(
        &self,
        file: &Path,
        lean_version: &str,
        run: BatchRun,
        options: &CheckOptions,
    ) -> FileCheck {
        let finished = run.completed();
        let failed_silently = run.exit_code.is_some_and(|c| c != 0)
            && !run.messages.iter().any(|m| m.severity.fails());
        let mut decls: Vec<DeclCheck> = self.targets.iter().map(unchecked_decl).collect();
        let mut routed = Routed {
            answers: vec![Vec::new(); self.targets.len()],
            probe_errors: vec![None; self.targets.len()],
            reached_end: false,
            file_messages: Vec::new(),
        };
        let file_label = file.to_string_lossy().into_owned();
        for mut message in run.messages {
            message.file_name = file_label.clone();
            if message.pos.line >= self.first_probe_line {
                self.route_probe_message(message, &mut routed);
            } else {
                self.route_source_message(message, options, &mut decls, &mut routed);
            }
        }
        self.record_axioms(&mut decls, &routed, &options.policy);
        for (i, why) in &self.unprobed {
            decls[*i].not_checked = Some(why.clone());
        }
        for d in &mut decls {
            if !finished && d.not_checked.is_none() && d.axioms.is_none() {
                d.not_checked = Some(if run.timed_out {
                    "Lean timed out before it".to_string()
                } else {
                    "Lean stopped before it".to_string()
                });
            }
            d.status = status_of(d);
        }
        FileCheck {
            file: file.to_path_buf(),
            lean_version: lean_version.to_string(),
            decls,
            file_messages: routed.file_messages,
            other_output: output_tail(run.other_lines, &run.stderr),
            exit_code: run.exit_code,
            timed_out: run.timed_out,
            failed_silently,
            reached_end: routed.reached_end,
            output_truncated: run.output_truncated,
            unknown_commands: self.source.unknown_commands.clone(),
            elapsed_ms: run.elapsed.as_millis(),
        }
    }

    /// A message about the appended lines: the end marker, an answer (or error) of a
    /// `#print axioms` probe, or something else Lean said there (a parse error at the end of
    /// the file, say), which stays a message of the file.
    fn route_probe_message(&self, message: SerialMessage, routed: &mut Routed) {
        if message.pos.line == self.end_line
            && message.severity == Severity::Information
            && message.data.trim() == END_MARKER
        {
            routed.reached_end = true;
            return;
        }
        let Some(p) = self.probes.iter().find(|p| p.line == message.pos.line) else {
            routed.file_messages.push(message);
            return;
        };
        match parse_axioms_message(&message.data) {
            Some(found) if message.severity == Severity::Information => {
                routed.answers[p.target].push(found)
            }
            _ => {
                let first = message.data.lines().next().unwrap_or("").to_string();
                routed.probe_errors[p.target] = Some(first);
            }
        }
    }

    /// A message about the user's text, moved back to the user's positions and given to the
    /// declaration it is in; outside every target it is a message of the file, unless it is
    /// inside a declaration nobody asked about (`FILE:Decl`).
    fn route_source_message(
        &self,
        mut message: SerialMessage,
        options: &CheckOptions,
        decls: &mut [DeclCheck],
        routed: &mut Routed,
    ) {
        message.pos = self.original_pos(message.pos);
        message.end_pos = message.end_pos.map(|p| self.original_pos(p));
        let at = theorist_leansrc::Pos {
            line: message.pos.line,
            column: message.pos.column,
        };
        let owner = self
            .source
            .decl_at(at)
            .or_else(|| self.source.decl_at_line(at.line));
        let target = owner.and_then(|o| {
            self.targets
                .iter()
                .position(|t| t.start_byte == o.start_byte)
        });
        match target {
            Some(i) => match message.severity {
                Severity::Error | Severity::Unknown => decls[i].errors.push(message),
                Severity::Warning => decls[i].warnings.push(message),
                Severity::Information => {}
            },
            None if options.only.is_some() && owner.is_some() => {}
            None => {
                if message.severity != Severity::Information {
                    routed.file_messages.push(message);
                }
            }
        }
    }

    /// Each probed declaration's axioms, when Lean answered exactly once and for it; else why
    /// they are not known (fail closed: `not_checked`).
    fn record_axioms(&self, decls: &mut [DeclCheck], routed: &Routed, policy: &AxiomPolicy) {
        for p in &self.probes {
            let d = &mut decls[p.target];
            match routed.answers[p.target].as_slice() {
                [one] if same_name(&one.decl, &p.name) => {
                    d.forbidden_axioms = policy.forbidden(&one.axioms);
                    d.axioms = Some(one.axioms.clone());
                }
                [] => {
                    d.not_checked = Some(match &routed.probe_errors[p.target] {
                        Some(e) => format!("`#print axioms` failed: {e}"),
                        None => "Lean did not answer `#print axioms` for it".to_string(),
                    });
                }
                [one] => {
                    d.not_checked = Some(format!(
                        "`#print axioms {}` answered for `{}`, another declaration",
                        p.name, one.decl
                    ));
                }
                many => {
                    d.not_checked = Some(format!(
                        "`{}` names {} declarations to Lean",
                        p.name,
                        many.len()
                    ));
                }
            }
        }
    }
}

/// Lean's messages sorted out by [`CheckPlan::assemble`]: the probes' answers and errors per
/// target, whether the end marker came, and the messages of the file as a whole.
struct Routed {
    answers: Vec<Vec<crate::axioms::AxiomsOf>>,
    probe_errors: Vec<Option<String>>,
    reached_end: bool,
    file_messages: Vec<SerialMessage>,
}

/// A target before Lean's messages are read: its `sorry`s from the source, nothing else known.
fn unchecked_decl(d: &Decl) -> DeclCheck {
    DeclCheck {
        name: d.name.clone(),
        kind: d.kind,
        start_line: d.start_line,
        end_line: d.end_line,
        status: DeclStatus::Ok,
        errors: Vec::new(),
        warnings: Vec::new(),
        sorries: d
            .sorries
            .iter()
            .map(|p| SorryAt {
                pos: (*p).into(),
                goal: None,
            })
            .collect(),
        axioms: None,
        forbidden_axioms: Vec::new(),
        not_checked: None,
    }
}

/// The worst thing known about a declaration.
fn status_of(d: &DeclCheck) -> DeclStatus {
    if !d.errors.is_empty() {
        DeclStatus::Error
    } else if d.uses_sorry() {
        DeclStatus::Sorry
    } else if !d.forbidden_axioms.is_empty() {
        DeclStatus::ForbiddenAxioms
    } else if d.not_checked.is_some() {
        DeclStatus::NotChecked
    } else {
        DeclStatus::Ok
    }
}

/// The last 20 lines Lean wrote besides its messages. Crash texts ("Stack overflow detected.
/// Aborting.", uncaught exceptions) arrive on stdout or stderr, so both are kept.
fn output_tail(other_lines: Vec<String>, stderr: &str) -> Vec<String> {
    other_lines
        .into_iter()
        .chain(
            stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        )
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// An "unknown identifier/constant" error about a name of the form Lean gives anonymous
/// instances (`instFooBar`).
fn unknown_generated_instance_name(data: &str) -> bool {
    let lower = data.to_ascii_lowercase();
    (lower.contains("unknown identifier") || lower.contains("unknown constant"))
        && data
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .flat_map(|word| word.split('.'))
            .any(|w| w.starts_with("inst") && w[4..].starts_with(|c: char| c.is_uppercase()))
}

/// Whether the name in a `#print axioms` answer is `expected`: Lean prints a private
/// declaration's name with its `_private.Module.0.` prefix.
fn same_name(answered: &str, expected: &str) -> bool {
    let answered = answered.trim();
    if answered == expected {
        return true;
    }
    let parts = theorist_leansrc::name_components(answered);
    if parts.first().is_some_and(|p| p == "_private")
        && let Some(at) = parts
            .iter()
            .position(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let user = parts[at + 1..]
            .iter()
            .map(|p| format!("«{p}»"))
            .collect::<Vec<_>>()
            .join(".");
        return theorist_leansrc::display_name(&user) == expected;
    }
    false
}

/// The declarations to report on.
fn select<'a>(source: &'a SourceFile, options: &CheckOptions) -> Result<Vec<&'a Decl>> {
    match &options.only {
        Some(names) => names
            .iter()
            .map(|n| {
                source.find(n).map_err(|e| LeanError::Protocol {
                    detail: e.to_string(),
                })
            })
            .collect(),
        None => Ok(source
            .decls
            .iter()
            .filter(|d| d.kind != DeclKind::Example || !d.sorries.is_empty())
            .collect()),
    }
}

/// The temporary copy with `#print axioms` appended; removed on drop. Its name is fresh
/// (`.NAME.theorist-PID-RANDOM.lean`, created with `O_EXCL`), so a link the checkout planted
/// under a predictable name is never written through.
struct AxiomProbe {
    file: tempfile::NamedTempFile,
}

impl AxiomProbe {
    fn write(file: &Path, probe_text: &str) -> Result<AxiomProbe> {
        use std::io::Write;
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let io = |source| LeanError::Io {
            path: dir.join(format!(".{stem}.theorist-{}-….lean", std::process::id())),
            source,
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{stem}.theorist-{}-", std::process::id()))
            .suffix(".lean")
            .tempfile_in(dir)
            .map_err(io)?;
        tmp.write_all(probe_text.as_bytes()).map_err(io)?;
        tmp.flush().map_err(io)?;
        Ok(AxiomProbe { file: tmp })
    }

    fn path(&self) -> &Path {
        self.file.path()
    }
}

/// A name Lean's parser accepts: components that are not plain identifiers go in `«»`, and a
/// component already in `«»` is not quoted again.
pub fn lean_ident(name: &str) -> String {
    theorist_leansrc::lean_ident(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_is_a_sibling_copy_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("Foo.lean");
        std::fs::write(&file, "theorem a : True := trivial").unwrap();
        let plan = CheckPlan::new("theorem a : True := trivial", &CheckOptions::default()).unwrap();
        assert_eq!(
            plan.probe_text,
            format!("theorem a : True := trivial\n#print axioms a\n#print \"{END_MARKER}\"\n")
        );
        assert_eq!(plan.first_probe_line, 2);
        assert_eq!(plan.end_line, 3);
        let probe = AxiomProbe::write(&file, &plan.probe_text).unwrap();
        let path = probe.path().to_path_buf();
        assert_eq!(path.parent(), Some(dir.path()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".Foo.theorist-"), "{name}");
        // A second probe of the same file (another worker) gets its own name.
        let again = AxiomProbe::write(&file, &plan.probe_text).unwrap();
        assert_ne!(again.path(), path);
        drop(again);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), plan.probe_text);
        drop(probe);
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "theorem a : True := trivial"
        );
    }

    #[test]
    fn odd_names_are_quoted_once() {
        assert_eq!(lean_ident("Theorist.Higgs.v₁_pos"), "Theorist.Higgs.v₁_pos");
        assert_eq!(lean_ident("A.1bad"), "A.«1bad»");
        assert_eq!(lean_ident("A.«1bad»"), "A.«1bad»");
        let plan = CheckPlan::new(
            "theorem «x y» : True := trivial\n",
            &CheckOptions::default(),
        )
        .unwrap();
        assert!(
            plan.probe_text.contains("\n#print axioms «x y»\n"),
            "{}",
            plan.probe_text
        );
    }

    #[test]
    fn anonymous_instances_are_named_in_the_copy_and_positions_map_back() {
        let text = "namespace P\ninstance : Inhabited Nat := ⟨sorry⟩\nend P\n";
        let plan = CheckPlan::new(text, &CheckOptions::default()).unwrap();
        assert!(plan.probe_text.starts_with(
            "namespace P\ninstance theorist_anonymous_instance_2 : Inhabited Nat := ⟨sorry⟩\nend P\n"
        ));
        assert!(
            plan.probe_text
                .contains("#print axioms P.theorist_anonymous_instance_2\n")
        );
        // `sorry` is at column 29 of the file and 30 codepoints further right in the copy.
        let in_copy = LeanPos {
            line: 2,
            column: 59,
        };
        assert_eq!(
            plan.original_pos(in_copy),
            LeanPos {
                line: 2,
                column: 29
            }
        );
        assert_eq!(
            plan.original_pos(LeanPos { line: 2, column: 3 }),
            LeanPos { line: 2, column: 3 }
        );
        // Inside the inserted name: the instance's keyword.
        assert_eq!(
            plan.original_pos(LeanPos { line: 2, column: 9 }),
            LeanPos { line: 2, column: 0 }
        );
    }

    fn message(line: u32, severity: Severity, data: &str) -> SerialMessage {
        SerialMessage {
            file_name: "F.lean".into(),
            pos: LeanPos { line, column: 0 },
            end_pos: None,
            severity,
            caption: String::new(),
            data: data.into(),
            kind: None,
            is_silent: None,
            keep_full_range: None,
        }
    }

    fn run(messages: Vec<SerialMessage>, exit: i32) -> BatchRun {
        BatchRun {
            messages,
            other_lines: vec![],
            stderr: String::new(),
            output_truncated: false,
            exit_code: Some(exit),
            timed_out: false,
            elapsed: std::time::Duration::ZERO,
        }
    }

    fn verdict(text: &str, messages: Vec<SerialMessage>) -> (FileVerdict, FileCheck) {
        let options = CheckOptions::default();
        let plan = CheckPlan::new(text, &options).unwrap();
        let exit = i32::from(messages.iter().any(|m| m.severity == Severity::Error));
        let check = plan.assemble(Path::new("F.lean"), "v", run(messages, exit), &options);
        (check.verdict(), check)
    }

    const END: &str = END_MARKER;

    #[test]
    fn a_sorry_outside_every_declaration_fails_the_file() {
        let text = "custom_theorem hidden : True := sorry\n";
        let (v, check) = verdict(
            text,
            vec![
                message(1, Severity::Warning, "declaration uses 'sorry'"),
                message(2, Severity::Information, END),
            ],
        );
        assert_eq!(v, FileVerdict::Failed);
        assert_eq!(check.unknown_commands[0].word, "custom_theorem");
    }

    #[test]
    fn unknown_severities_fail_and_a_missing_end_marker_is_not_checked() {
        let text = "theorem a : True := trivial\n";
        let answer = message(
            2,
            Severity::Information,
            "'a' does not depend on any axioms",
        );
        let (v, _) = verdict(
            text,
            vec![
                message(1, Severity::Unknown, "odd"),
                answer.clone(),
                message(3, Severity::Information, END),
            ],
        );
        assert_eq!(v, FileVerdict::Failed);
        let (v, check) = verdict(text, vec![answer.clone()]);
        assert_eq!(v, FileVerdict::NotChecked);
        assert!(check.not_checked_reasons()[0].contains("end of the file"));
        let (v, _) = verdict(text, vec![answer, message(3, Severity::Information, END)]);
        assert_eq!(v, FileVerdict::Passed);
    }

    #[test]
    fn an_imports_only_file_passes_only_when_lean_reached_its_end() {
        let text = "import Mathlib\n";
        assert_eq!(verdict(text, vec![]).0, FileVerdict::NotChecked);
        assert_eq!(
            verdict(text, vec![message(2, Severity::Information, END)]).0,
            FileVerdict::Passed
        );
    }

    #[test]
    fn a_declaration_without_an_axiom_answer_is_not_checked() {
        let text = "theorem a : True := trivial\ntheorem b : True := trivial\n";
        let (v, check) = verdict(
            text,
            vec![
                message(
                    3,
                    Severity::Information,
                    "'a' does not depend on any axioms",
                ),
                message(4, Severity::Error, "unknown constant 'b'"),
                message(5, Severity::Information, END),
            ],
        );
        assert_eq!(v, FileVerdict::NotChecked);
        assert_eq!(check.decls[1].status, DeclStatus::NotChecked);
        assert_eq!(
            check.decls[1].not_checked.as_deref(),
            Some("`#print axioms` failed: unknown constant 'b'")
        );
    }

    #[test]
    fn private_names_and_answers_for_other_declarations() {
        assert!(same_name(
            "_private.Demo.Basic.0.Demo.helper",
            "Demo.helper"
        ));
        assert!(same_name("Demo.helper", "Demo.helper"));
        assert!(!same_name("Other.helper", "Demo.helper"));
        let text = "theorem a : True := trivial\n";
        let (v, check) = verdict(
            text,
            vec![
                message(
                    2,
                    Severity::Information,
                    "'b' does not depend on any axioms",
                ),
                message(3, Severity::Information, END),
            ],
        );
        assert_eq!(v, FileVerdict::NotChecked);
        assert!(
            check.decls[0]
                .not_checked
                .as_deref()
                .unwrap()
                .contains("another declaration")
        );
    }

    #[test]
    fn a_file_using_generated_instance_names_is_checked_again_unnamed() {
        let text =
            "instance : Inhabited Nat := ⟨0⟩\ntheorem t : instInhabitedNat.default = 0 := rfl\n";
        let options = CheckOptions::default();
        let plan = CheckPlan::new(text, &options).unwrap();
        let broke = run(
            vec![message(
                2,
                Severity::Error,
                "Unknown identifier `instInhabitedNat.default`",
            )],
            1,
        );
        assert!(plan.names_broke_the_file(&broke));
        assert!(!plan.names_broke_the_file(&run(
            vec![message(2, Severity::Error, "unknown identifier 'foo'")],
            1
        )));
        assert!(plan.names_broke_the_file(&run(
            vec![message(
                2,
                Severity::Error,
                "unknown identifier 'instInhabitedNat'"
            )],
            1
        )));
        let plain = CheckPlan::without_instance_names(text, &options).unwrap();
        assert!(plain.probe_text.starts_with(text));
        let answers = vec![
            message(
                3,
                Severity::Information,
                "'t' does not depend on any axioms",
            ),
            message(4, Severity::Information, END),
        ];
        let check = plain.assemble(Path::new("F.lean"), "v", run(answers, 0), &options);
        assert_eq!(check.verdict(), FileVerdict::NotChecked);
        assert!(
            check.decls[0]
                .not_checked
                .as_deref()
                .unwrap()
                .contains("generates")
        );
        assert_eq!(check.decls[1].status, DeclStatus::Ok);
    }

    #[test]
    fn a_source_sorry_lean_did_not_report_still_fails() {
        let text = "theorem a : True := by\n  first | trivial | sorry\n";
        let (v, check) = verdict(
            text,
            vec![
                message(
                    3,
                    Severity::Information,
                    "'a' does not depend on any axioms",
                ),
                message(4, Severity::Information, END),
            ],
        );
        assert_eq!(check.decls[0].status, DeclStatus::Sorry);
        assert_eq!(v, FileVerdict::Failed);
    }
}
