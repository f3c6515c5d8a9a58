//! `theorist verify FILE[:Decl]`: batch-check a Lean file per declaration (errors, `sorry`,
//! axioms), then ask the language server for the goal at every `sorry`.

use std::time::Duration;

use anyhow::Context;
use theorist_lean::batch::{BatchConfig, SerialMessage, Severity};
use theorist_lean::check::{CheckOptions, DeclStatus, FileCheck, FileVerdict, check_file};
use theorist_lean::{AxiomPolicy, LeanServer, ServerConfig, Toolchain};

use super::leanenv::{parse_decl_target, project_of, read_lean_file, toolchain};
use super::{Exit, GlobalArgs};

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
    let text = read_lean_file(&target.file)?;
    let project = project_of(&target.file)?;
    if let Some(name) = &target.decl {
        let source = theorist_leansrc::parse(&text);
        if let Err(e) = source.find(name) {
            let known: Vec<&str> = source
                .decls
                .iter()
                .map(|d| d.name.as_str())
                .take(12)
                .collect();
            anyhow::bail!(
                "{}: {e} (declarations in the file: {})",
                target.file.display(),
                known.join(", ")
            );
        }
    }
    let mut policy = AxiomPolicy::default();
    for a in &args.allow_axiom {
        policy.allow(a.clone());
    }
    let timeout = Duration::from_secs(args.timeout);
    let options = CheckOptions {
        only: target.decl.clone().map(|d| vec![d]),
        batch: BatchConfig {
            timeout,
            memory_mb: args.memory,
            threads: None,
        },
        policy,
    };
    super::runtime()?.block_on(async {
        let toolchain = match toolchain(project, global, timeout).await? {
            Ok(t) => t,
            Err(exit) => return Ok(exit),
        };
        let mut check = check_file(&toolchain, &target.file, &options)
            .await
            .with_context(|| format!("checking {}", target.file.display()))?;
        if !args.no_goals && check.decls.iter().any(|d| !d.sorries.is_empty()) {
            let config = ServerConfig {
                memory_mb: args.memory,
                file_timeout: timeout,
                request_timeout: timeout,
                ..ServerConfig::default()
            };
            if let Err(e) = attach_sorry_goals(&toolchain, &text, &mut check, config).await {
                tracing::warn!(error = %e, "no goals at sorry");
                eprintln!(
                    "theorist: could not get the goals at `sorry` from the language server: {e}"
                );
            }
        }
        if global.json {
            print_json(&check, &toolchain)?;
        } else {
            print_human(&check);
        }
        Ok(if check.passed() {
            Exit::Passed
        } else {
            Exit::CheckFailed
        })
    })
}

async fn attach_sorry_goals(
    toolchain: &Toolchain,
    text: &str,
    check: &mut FileCheck,
    config: ServerConfig,
) -> anyhow::Result<()> {
    let server = LeanServer::start(toolchain, config).await?;
    let mut doc = server.open(&check.file, text.to_string()).await?;
    server.wait_for_diagnostics(&mut doc).await?;
    for decl in &mut check.decls {
        for sorry in &mut decl.sorries {
            sorry.goal = match server.plain_goal(&doc, sorry.pos).await? {
                Some(g) if !g.goals.is_empty() => Some(g.goals.join("\n\n")),
                _ => server
                    .plain_term_goal(&doc, sorry.pos)
                    .await?
                    .map(|t| t.goal),
            };
        }
    }
    server.close(&doc).await?;
    server.shutdown().await;
    Ok(())
}

fn print_json(check: &FileCheck, toolchain: &Toolchain) -> anyhow::Result<()> {
    let value = serde_json::json!({
        "schema": "theorist.verify/1",
        "file": check.file,
        "project_root": toolchain.project.root,
        "lean_version": check.lean_version,
        "passed": check.passed(),
        "verdict": check.verdict(),
        "not_checked_reasons": check.not_checked_reasons(),
        "unknown_commands": check.unknown_commands,
        "timed_out": check.timed_out,
        "lean_exit_code": check.exit_code,
        "elapsed_ms": check.elapsed_ms,
        "declarations": check.decls,
        "file_messages": check.file_messages,
        "other_output": check.other_output,
    });
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

fn print_human(check: &FileCheck) {
    println!("{} ({})", check.file.display(), check.lean_version);
    let file = check.file.display().to_string();
    let show = |m: &SerialMessage| {
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
    };
    for d in &check.decls {
        let label = match d.status {
            DeclStatus::Ok => "ok",
            DeclStatus::Error => "error",
            DeclStatus::Sorry => "sorry",
            DeclStatus::ForbiddenAxioms => "axioms",
            DeclStatus::NotChecked => "unchecked",
        };
        println!("  {label:<9} {} (line {})", d.name, d.start_line);
        for m in &d.errors {
            println!("            {}", show(m));
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
    for m in &check.file_messages {
        let outside = if m.is_sorry_warning() {
            " (outside every declaration theorist found)"
        } else {
            ""
        };
        println!("  {}{outside}", show(m));
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
