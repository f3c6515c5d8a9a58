//! `theorist prove FILE:Decl`: best-first search for a proof of the declaration's `sorry`.
//! Candidates (the numerics engine's hint first, then the ranker's, all in scope) are tried in
//! Lean's server (in memory; the file is untouched); a statement the numerics engine refutes
//! is reported false with its point;
//! a proof found is re-checked in batch mode (`lake env lean`) on a sibling copy before it is
//! reported, and written into the file only with `--write`, atomically (through a symlink to
//! the file it points to), and only if the file did not change meanwhile.

use std::time::Duration;

use anyhow::bail;
use theorist_prove::SearchConfig;

use super::suggest::RankingArgs;
use super::{Exit, GlobalArgs};
use crate::engine::lean::parse_decl_target;
use crate::engine::prove::{ProveReport, ProveRequest, prove};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// FILE:Decl — the declaration whose first `sorry` to prove.
    pub target: String,
    /// Write the proof into the file (atomically) once Lean has re-checked it.
    #[arg(long)]
    pub write: bool,
    /// Candidates tried per search node.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub width: usize,
    /// Longest proof tried, in tactics.
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub depth: usize,
    /// Attempts (Lean elaborations) in total.
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub max_attempts: usize,
    /// Seconds Lean may take on one attempt.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub attempt_timeout: u64,
    /// Seconds for the whole search (the batch re-check comes on top).
    #[arg(long, default_value_t = 600, value_name = "SECS")]
    pub timeout: u64,
    #[command(flatten)]
    pub ranking: RankingArgs,
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let target = parse_decl_target(&args.target);
    let Some(decl) = target.decl else {
        bail!(
            "give the declaration to prove as FILE:Decl (got `{}`)",
            args.target
        );
    };
    let request = ProveRequest {
        file: target.file,
        decl,
        write: args.write,
        search: SearchConfig {
            width: args.width.max(1),
            max_depth: args.depth.max(1),
            max_attempts: args.max_attempts,
            per_attempt: Duration::from_secs(args.attempt_timeout.max(1)),
            total: Duration::from_secs(args.timeout.max(1)),
        },
        ranking: args.ranking.options(),
        lean: super::leanenv::lean_setup(global),
    };
    let report = super::runtime()?.block_on(prove(&request))?;
    if !global.json {
        for note in [&report.note, &report.names_note].into_iter().flatten() {
            eprintln!("theorist: {note}");
        }
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print_report(&report);
    }
    for e in report.backend_errors.iter().take(3) {
        eprintln!("theorist: warning: openai backend: {e}");
    }
    Ok(if report.passed() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}

fn print_report(r: &ProveReport) {
    let (file, decl, report) = (&r.file, &r.decl, &r.search);
    println!(
        "{decl}: {} attempts, {} nodes expanded, {} open, {} ms (ranker: {})",
        report.attempts.len(),
        report.expanded,
        report.open,
        report.elapsed_ms,
        r.ranker
    );
    for a in &report.attempts {
        let outcome = match &a.outcome {
            theorist_prove::Outcome::Proved => "proved".to_string(),
            theorist_prove::Outcome::Progress { goals } => format!("{} goal(s) left", goals.len()),
            theorist_prove::Outcome::Failed { message } => {
                format!("failed: {}", message.lines().next().unwrap_or_default())
            }
            theorist_prove::Outcome::Timeout => "timed out".into(),
            theorist_prove::Outcome::Crashed { .. } => "Lean worker crashed".into(),
        };
        println!("  {:<40} {outcome}", a.tactics.join("; "));
    }
    match (r.status(), &report.proof) {
        ("proved", Some(proof)) => {
            println!("proof found and re-checked by Lean in batch mode:");
            for t in proof {
                println!("  {t}");
            }
            if let Some(w) = &r.written {
                println!("written into {w}");
            } else {
                println!(
                    "(not written: pass --write to put it into {})",
                    file.display()
                );
            }
        }
        ("recheck_failed", Some(proof)) => {
            println!(
                "the search found `{}` but the batch re-check did not pass: {}",
                proof.join("; "),
                r.recheck
                    .as_ref()
                    .map(|c| c.errors.join("; "))
                    .unwrap_or_default()
            );
        }
        ("false" | "goal_false", _) => {
            let refuted = r.refuted.as_ref().expect("a refutation");
            println!(
                "{} is false: its hypotheses hold and its conclusion fails at",
                if refuted.whole_statement {
                    "the statement"
                } else {
                    "the goal at the `sorry` (after the tactics before it)"
                }
            );
            for (name, value) in &refuted.counterexample {
                println!("  {name} := {value}");
            }
            println!(
                "(certified by {}; no proof was searched for)",
                refuted.certified_by
            );
        }
        _ => println!("no proof found ({:?})", report.stop),
    }
}
