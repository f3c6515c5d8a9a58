//! Search for a proof of a declaration's `sorry`. At every node the numerics engine answers
//! first (its certificate's hint is tried first; a goal it refutes is a dead branch, and a
//! refuted statement is reported false with its point), then the ranker; every candidate is
//! in scope (see [`super::suggest`]). Candidates are tried in Lean's server (in memory; the
//! file is untouched); a proof found is re-checked in batch mode (`lake env lean`) on a
//! sibling copy before it is reported, and written into the file only when asked, atomically
//! (a temporary file beside the file, or beside the file a symlink points to, renamed over
//! it), and only if the file did not change meanwhile.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use theorist_lean::batch::BatchConfig;
use theorist_lean::check::{CheckOptions, DeclStatus, FileVerdict, check_file};
use theorist_lean::{LeanServer, ServerConfig, Toolchain};
use theorist_prove::lean_env::{LeanEnv, SorrySite};
use theorist_prove::write::{Written, write_proof};
use theorist_prove::{EnvError, SearchConfig, SearchReport, search};

use super::EngineError;
use super::lean::{LeanSetup, project_of, read_lean_file, resolve_toolchain};
use super::suggest::{GoalSite, Rankers, RankingOptions, library_names, names_note};
use theorist_tactics::answer::Answer;

#[derive(Debug, Clone)]
pub struct ProveRequest {
    pub file: PathBuf,
    /// The declaration whose first `sorry` to prove.
    pub decl: String,
    /// Write the proof into the file (atomically) once Lean has re-checked it.
    pub write: bool,
    pub search: SearchConfig,
    pub ranking: RankingOptions,
    /// Which Lean, and how it is confined.
    pub lean: LeanSetup,
}

/// The batch-mode re-check of a proof found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recheck {
    pub status: DeclStatus,
    pub errors: Vec<String>,
    pub timed_out: bool,
}

/// The numerics engine's refutation of the statement: its hypotheses hold and its
/// conclusion fails at this exact point.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Refutation {
    pub counterexample: BTreeMap<String, String>,
    pub certified_by: String,
    /// The `sorry` is the whole proof, so the goal refuted is the statement itself (else it
    /// is the goal earlier tactics left, which may have lost information).
    pub whole_statement: bool,
}

/// The search, its re-check, and whether the proof was written.
#[derive(Debug, Clone)]
pub struct ProveReport {
    pub file: PathBuf,
    /// The declaration's full name.
    pub decl: String,
    pub search: SearchReport,
    pub recheck: Option<Recheck>,
    /// Where the proof was written, if it was.
    pub written: Option<Written>,
    pub ranker: String,
    pub note: Option<String>,
    /// Said when library names could not be confirmed (no Mathlib sources).
    pub names_note: Option<String>,
    pub backend_errors: Vec<String>,
    /// The statement itself is false (its first goal refuted by the numerics engine).
    pub refuted: Option<Refutation>,
}

impl ProveReport {
    /// `proved` (found and re-checked), `recheck_failed`, `false` (the statement refuted, so
    /// no proof was searched for), `goal_false` (the goal the earlier tactics leave at the
    /// `sorry` refuted), or `not_found`.
    pub fn status(&self) -> &'static str {
        match (
            self.search.proof.is_some(),
            self.recheck.as_ref().map(|r| r.status),
        ) {
            (true, Some(DeclStatus::Ok)) => "proved",
            (true, _) => "recheck_failed",
            (false, _) => match &self.refuted {
                Some(r) if r.whole_statement => "false",
                Some(_) => "goal_false",
                None => "not_found",
            },
        }
    }

    pub fn passed(&self) -> bool {
        self.status() == "proved"
    }

    /// The `theorist.prove/1` document.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": "theorist.prove/1",
            "file": self.file,
            "declaration": self.decl,
            "status": self.status(),
            "ranker": self.ranker,
            "note": self.note,
            "names_note": self.names_note,
            "proof": self.search.proof,
            "counterexample": self.refuted.as_ref().map(|r| &r.counterexample),
            "certified_by": self.refuted.as_ref().map(|r| &r.certified_by),
            "recheck": self.recheck,
            "written": self.written.is_some(),
            "written_to": self.written.as_ref().map(|w| &w.path),
            "written_via_link": self.written.as_ref().and_then(|w| w.via_link.as_ref()),
            "search": self.search,
        })
    }
}

/// Runs on a multi-threaded runtime (the ranker blocks its thread with `block_in_place`).
pub async fn prove(request: &ProveRequest) -> Result<ProveReport, EngineError> {
    let file = &request.file;
    let decl = &request.decl;
    let text = read_lean_file(file)?;
    // Bad targets are bad input before any Lean starts.
    let site = SorrySite::find(&text, decl).map_err(|e| env_error(file, e))?;
    let project = project_of(file)?;
    let goal_site = GoalSite::in_file(file, &text, site.decl_line).in_project(&project.root);
    let whole_statement = sorry_is_whole_proof(&text, &site.decl);
    let (rankers, (names, names_info)) = tokio::task::block_in_place(|| {
        Ok::<_, EngineError>((
            Rankers::build(&request.ranking, Some(&project.root), &goal_site)?,
            library_names(Some(&project.root)),
        ))
    })?;
    let config = &request.search;
    // The probe waits at most as long as the whole search may take.
    let toolchain = resolve_toolchain(project, &request.lean, config.total).await?;
    let server = LeanServer::start(
        &toolchain,
        ServerConfig {
            file_timeout: config.per_attempt,
            request_timeout: config.per_attempt,
            ..ServerConfig::default()
        },
    )
    .await
    .map_err(EngineError::lean(format!(
        "starting Lean's server for {}",
        file.display()
    )))?;
    let mut env = LeanEnv::open(&server, file, text.clone(), decl)
        .await
        .map_err(|e| env_error(file, e))?;
    // A goal the numerics engine refutes gets no candidates: its branch is dead.
    let mut refuted: Vec<(String, Refutation)> = Vec::new();
    let mut suggest = |goal: &str, k: usize| {
        tokio::task::block_in_place(|| match rankers.answer(goal, &goal_site, &names, k) {
            Answer::Suggestions { suggestions, .. } => suggestions,
            Answer::False {
                counterexample,
                certified_by,
            } => {
                refuted.push((
                    goal.to_string(),
                    Refutation {
                        counterexample,
                        certified_by,
                        whole_statement,
                    },
                ));
                Vec::new()
            }
        })
    };
    let report = search(&mut env, &mut suggest, config).await;
    env.close().await;
    server.shutdown().await;
    let report = report.map_err(|e| env_error(file, e))?;
    let statement_refuted = refuted
        .into_iter()
        .find(|(goal, _)| report.initial_goals.first() == Some(goal))
        .map(|(_, r)| r);
    let recheck = match &report.proof {
        Some(proof) => {
            let (new_text, _) = site.splice(&text, proof);
            Some(recheck(&toolchain, file, &new_text, &site.decl, config).await?)
        }
        None => None,
    };
    let rechecked_ok = recheck.as_ref().is_some_and(|r| r.status == DeclStatus::Ok);
    let mut written = None;
    if let (true, true, Some(proof)) = (request.write, rechecked_ok, &report.proof) {
        let (new_text, _) = site.splice(&text, proof);
        written = Some(write_proof(file, &text, &new_text)?);
    }
    Ok(ProveReport {
        file: file.clone(),
        decl: site.decl.clone(),
        search: report,
        recheck,
        written,
        backend_errors: rankers.backend_errors(),
        ranker: rankers.label,
        note: rankers.note,
        names_note: names_note(names_info.as_ref()),
        refuted: statement_refuted,
    })
}

/// Whether the declaration's proof is nothing but `sorry` (`:= sorry`, `:= by sorry`).
fn sorry_is_whole_proof(text: &str, decl: &str) -> bool {
    let src = theorist_leansrc::parse(text);
    let Ok(d) = src.find(decl) else {
        return false;
    };
    let Some(body) = &d.body else {
        return false;
    };
    let body = theorist_leansrc::mask_comments_and_strings(body);
    let body = body.trim();
    let body = body
        .strip_prefix("by")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .unwrap_or(body);
    body.trim() == "sorry"
}

fn env_error(file: &Path, e: EnvError) -> EngineError {
    match e {
        EnvError::Lean(source) => EngineError::Lean {
            doing: format!("searching for a proof in {}", file.display()),
            source,
        },
        other => EngineError::bad_input(format!("{}: {other}", file.display())),
    }
}

/// Batch-mode check of `decl` in `new_text`, on a sibling copy so imports resolve the same.
async fn recheck(
    toolchain: &Toolchain,
    file: &Path,
    new_text: &str,
    decl: &str,
    config: &SearchConfig,
) -> Result<Recheck, EngineError> {
    let copy = sibling(file, "prove");
    std::fs::write(&copy, new_text)
        .map_err(EngineError::io(format!("writing {}", copy.display())))?;
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
    let check = result.map_err(EngineError::lean(format!(
        "re-checking the proof of {decl} in {}",
        file.display()
    )))?;
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

/// A hidden file next to `file`, unique to this process and call (an MCP server may prove
/// in the same file twice at once).
fn sibling(file: &Path, what: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.with_file_name(format!(
        ".{name}.theorist-{what}-{}-{call}.lean",
        std::process::id()
    ))
}
