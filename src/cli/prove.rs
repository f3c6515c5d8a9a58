//! `theorist prove FILE:Decl`: best-first search for a proof of the declaration's `sorry`.
//! Candidates from the ranker are tried in Lean's server (in memory; the file is untouched);
//! a proof found is re-checked in batch mode (`lake env lean`) on a sibling copy before it is
//! reported, and written into the file only with `--write`, atomically (a temporary file in
//! the same folder renamed over it), and only if the file did not change meanwhile.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use theorist_lean::batch::BatchConfig;
use theorist_lean::check::{CheckOptions, DeclStatus, FileVerdict, check_file};
use theorist_lean::{LeanServer, ServerConfig, Toolchain};
use theorist_prove::lean_env::{LeanEnv, SorrySite};
use theorist_prove::{SearchConfig, SearchReport, search};

use super::leanenv::{parse_decl_target, project_of, read_lean_file, toolchain};
use super::suggest::{Rankers, RankingArgs};
use super::{Exit, GlobalArgs};

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
    let Some(decl) = target.decl.clone() else {
        bail!(
            "give the declaration to prove as FILE:Decl (got `{}`)",
            args.target
        );
    };
    let file = target.file;
    let text = read_lean_file(&file)?;
    // Bad targets are usage errors before any Lean starts.
    let site =
        SorrySite::find(&text, &decl).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let project = project_of(&file)?;
    let rankers = Rankers::build(&args.ranking)?;
    if let Some(note) = &rankers.note
        && !global.json
    {
        eprintln!("theorist: {note}");
    }
    let config = SearchConfig {
        width: args.width.max(1),
        max_depth: args.depth.max(1),
        max_attempts: args.max_attempts,
        per_attempt: Duration::from_secs(args.attempt_timeout.max(1)),
        total: Duration::from_secs(args.timeout.max(1)),
    };
    super::runtime()?.block_on(async {
        let toolchain = match toolchain(project, global, config.total).await? {
            Ok(t) => t,
            Err(exit) => return Ok(exit),
        };
        let server = LeanServer::start(
            &toolchain,
            ServerConfig {
                file_timeout: config.per_attempt,
                request_timeout: config.per_attempt,
                ..ServerConfig::default()
            },
        )
        .await?;
        let mut env = LeanEnv::open(&server, &file, text.clone(), &decl)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let mut suggest =
            |goal: &str, k: usize| tokio::task::block_in_place(|| rankers.suggest(goal, k));
        let report = search(&mut env, &mut suggest, &config).await;
        env.close().await;
        server.shutdown().await;
        let report = report.map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        let recheck = match &report.proof {
            Some(proof) => {
                let (new_text, _) = site.splice(&text, proof);
                Some(recheck(&toolchain, &file, &new_text, &site.decl, &config).await?)
            }
            None => None,
        };
        let rechecked_ok = recheck.as_ref().is_some_and(|r| r.status == DeclStatus::Ok);
        let mut written = None;
        if args.write && rechecked_ok {
            let proof = report.proof.as_ref().expect("rechecked implies a proof");
            let (new_text, _) = site.splice(&text, proof);
            written = Some(theorist_prove::write::write_proof(&file, &text, &new_text)?);
        }
        print_report(
            &file,
            &site.decl,
            &report,
            recheck.as_ref(),
            written.as_ref(),
            &rankers,
            global,
        )?;
        if let Some(remote) = &rankers.remote {
            for e in remote.errors().iter().take(3) {
                eprintln!("theorist: warning: openai backend: {e}");
            }
        }
        Ok(if rechecked_ok {
            Exit::Passed
        } else {
            Exit::CheckFailed
        })
    })
}

#[derive(Debug, serde::Serialize)]
struct Recheck {
    status: DeclStatus,
    errors: Vec<String>,
    timed_out: bool,
}

/// Batch-mode check of `decl` in `new_text`, on a sibling copy so imports resolve the same.
async fn recheck(
    toolchain: &Toolchain,
    file: &Path,
    new_text: &str,
    decl: &str,
    config: &SearchConfig,
) -> anyhow::Result<Recheck> {
    let copy = sibling(file, "prove");
    std::fs::write(&copy, new_text).with_context(|| format!("writing {}", copy.display()))?;
    let options = CheckOptions {
        only: Some(vec![decl.to_string()]),
        batch: BatchConfig {
            // The whole file is elaborated again: as long as the user gave the search.
            timeout: config.total,
            ..BatchConfig::default()
        },
        ..CheckOptions::default()
    };
    let result = check_file(toolchain, &copy, &options).await;
    let _ = std::fs::remove_file(&copy);
    let check = result?;
    let verdict = check.verdict();
    let d = check
        .decls
        .iter()
        .find(|d| d.name == decl || d.name.ends_with(&format!(".{decl}")));
    Ok(match d {
        // The declaration is proved only if the whole check passed: a `sorry` or error Lean
        // reports outside it, or an unconfirmed declaration, is no proof.
        Some(d) if d.status == DeclStatus::Ok && verdict != FileVerdict::Passed => Recheck {
            status: DeclStatus::NotChecked,
            errors: check
                .not_checked_reasons()
                .into_iter()
                .chain(check.file_messages.iter().map(|m| m.data.clone()))
                .collect(),
            timed_out: check.timed_out,
        },
        Some(d) => Recheck {
            status: d.status,
            errors: d.errors.iter().map(|m| m.data.clone()).collect(),
            timed_out: check.timed_out,
        },
        None => Recheck {
            status: DeclStatus::NotChecked,
            errors: vec![format!("{decl} not found in the re-checked file")],
            timed_out: check.timed_out,
        },
    })
}

fn sibling(file: &Path, what: &str) -> PathBuf {
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.with_file_name(format!(
        ".{name}.theorist-{what}-{}.lean",
        std::process::id()
    ))
}

fn print_report(
    file: &Path,
    decl: &str,
    report: &SearchReport,
    recheck: Option<&Recheck>,
    written: Option<&theorist_prove::write::Written>,
    rankers: &Rankers,
    global: &GlobalArgs,
) -> anyhow::Result<()> {
    let status = match (report.proof.is_some(), recheck.map(|r| r.status)) {
        (true, Some(DeclStatus::Ok)) => "proved",
        (true, _) => "recheck_failed",
        (false, _) => "not_found",
    };
    if global.json {
        let value = serde_json::json!({
            "schema": "theorist.prove/1",
            "file": file,
            "declaration": decl,
            "status": status,
            "ranker": rankers.label,
            "note": rankers.note,
            "proof": report.proof,
            "recheck": recheck,
            "written": written.is_some(),
            "written_to": written.map(|w| &w.path),
            "written_via_link": written.and_then(|w| w.via_link.as_ref()),
            "search": report,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    println!(
        "{decl}: {} attempts, {} nodes expanded, {} open, {} ms (ranker: {})",
        report.attempts.len(),
        report.expanded,
        report.open,
        report.elapsed_ms,
        rankers.label
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
    match (status, &report.proof) {
        ("proved", Some(proof)) => {
            println!("proof found and re-checked by Lean in batch mode:");
            for t in proof {
                println!("  {t}");
            }
            if let Some(w) = written {
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
                recheck.map(|r| r.errors.join("; ")).unwrap_or_default()
            );
        }
        _ => println!("no proof found ({:?})", report.stop),
    }
    Ok(())
}
