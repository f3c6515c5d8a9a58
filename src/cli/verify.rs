//! `theorist verify FILE[:Decl]`: batch-check a Lean file per declaration (errors, `sorry`,
//! axioms), then ask the language server for the goal at every `sorry`.

use std::time::Duration;

use theorist_lean::batch::{SerialMessage, Severity};
use theorist_lean::check::{DeclCheck, DeclStatus, FileCheck, FileVerdict};

use super::{Exit, GlobalArgs};
use crate::engine::lean::parse_decl_target;
use crate::engine::verify::{VerifyRequest, verify};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A Lean file, or FILE:Decl.Name for one declaration (full name or a unique suffix).
    pub target: String,
    /// Also accept this axiom (repeatable); the default allows propext, Classical.choice and
    /// Quot.sound.
    #[arg(long = "allow-axiom", value_name = "NAME")]
    pub allow_axiom: Vec<String>,
    /// Wall-clock limit, in seconds, for every wait on Lean: the toolchain probe, the batch
    /// check of the file, the language server's start and its elaboration for the goals.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    pub timeout: u64,
    /// Memory cap for Lean in MB (Lean's -M).
    #[arg(long, value_name = "MB")]
    pub memory: Option<u64>,
    /// Do not ask the language server for the goals at `sorry`s.
    #[arg(long)]
    pub no_goals: bool,
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let target = parse_decl_target(&args.target);
    let request = VerifyRequest {
        file: target.file,
        decl: target.decl,
        allow_axioms: args.allow_axiom,
        timeout: Duration::from_secs(args.timeout),
        memory_mb: args.memory,
        goals: !args.no_goals,
        lean: super::leanenv::lean_setup(global),
    };
    let report = super::runtime()?.block_on(verify(&request))?;
    if let Some(why) = &report.goals_error {
        eprintln!("theorist: {why}");
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print_human(&report.check);
    }
    Ok(if report.passed() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}

fn print_human(check: &FileCheck) {
    println!("{} ({})", check.file.display(), check.lean_version);
    let file = check.file.display().to_string();
    for d in &check.decls {
        print_decl(d, &file);
    }
    for m in &check.file_messages {
        let outside = if m.is_sorry_warning() {
            " (outside every declaration theorist found)"
        } else {
            ""
        };
        println!("  {}{outside}", message_line(&file, m));
    }
    for u in &check.unknown_commands {
        println!(
            "  not understood: {file}:{}:{}: command `{}` (what it declares is not checked for axioms)",
            u.pos.line, u.pos.column, u.word
        );
    }
    for why in check.not_checked_reasons() {
        if !why.starts_with('`') {
            println!("  not checked: {why}");
        }
    }
    for line in &check.other_output {
        println!("  lean: {line}");
    }
    if check.timed_out {
        println!("  Lean did not finish in time");
    }
    print_tally(check);
}

/// A message's first line, with its place and severity.
fn message_line(file: &str, m: &SerialMessage) -> String {
    let first = m.data.lines().next().unwrap_or("");
    let more = if m.data.lines().count() > 1 {
        " …"
    } else {
        ""
    };
    let severity = match m.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "info",
        Severity::Unknown => "message of unknown severity",
    };
    format!(
        "{file}:{}:{}: {severity}: {first}{more}",
        m.pos.line, m.pos.column
    )
}

/// One declaration's status, with its errors, `sorry`s (and their goals), forbidden axioms,
/// and why Lean did not confirm it.
fn print_decl(d: &DeclCheck, file: &str) {
    let label = match d.status {
        DeclStatus::Ok => "ok",
        DeclStatus::Error => "error",
        DeclStatus::Sorry => "sorry",
        DeclStatus::ForbiddenAxioms => "axioms",
        DeclStatus::NotChecked => "unchecked",
    };
    println!("  {label:<9} {} (line {})", d.name, d.start_line);
    for m in &d.errors {
        println!("            {}", message_line(file, m));
    }
    for s in &d.sorries {
        println!(
            "            sorry at {file}:{}:{}",
            s.pos.line, s.pos.column
        );
        if let Some(goal) = &s.goal {
            for line in goal.lines() {
                println!("              {line}");
            }
        }
    }
    if !d.forbidden_axioms.is_empty() {
        println!(
            "            depends on forbidden axioms: {}",
            d.forbidden_axioms.join(", ")
        );
    }
    if let Some(why) = &d.not_checked {
        println!("            not confirmed by Lean: {why}");
    }
}

/// How many declarations ended how, and the file's verdict.
fn print_tally(check: &FileCheck) {
    let count = |s: DeclStatus| check.decls.iter().filter(|d| d.status == s).count();
    println!(
        "{} declarations: {} ok, {} with errors, {} with sorry, {} with forbidden axioms, {} unchecked — {}",
        check.decls.len(),
        count(DeclStatus::Ok),
        count(DeclStatus::Error),
        count(DeclStatus::Sorry),
        count(DeclStatus::ForbiddenAxioms),
        count(DeclStatus::NotChecked),
        match check.verdict() {
            FileVerdict::Passed => "passed",
            FileVerdict::Failed => "FAILED",
            FileVerdict::NotChecked => "NOT CHECKED (not passed)",
            FileVerdict::TimedOut => "TIMED OUT",
            FileVerdict::Crashed => "CRASHED",
        }
    );
}
