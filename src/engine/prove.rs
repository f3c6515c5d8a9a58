//! Search for a proof of a declaration's `sorry`. Candidates from the ranker are tried in
//! Lean's server (in memory; the file is untouched); a proof found is re-checked in batch mode
//! (`lake env lean`) on a sibling copy before it is reported, and written into the file only
//! when asked, atomically (a temporary file in the same folder renamed over it), and only if
//! the file did not change meanwhile.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_lean::batch::BatchConfig;
use theorist_lean::check::{CheckOptions, DeclStatus, check_file};
use theorist_lean::{LeanServer, ServerConfig, Toolchain};
use theorist_prove::lean_env::{LeanEnv, SorrySite};
use theorist_prove::{EnvError, SearchConfig, SearchReport, search};

use super::EngineError;
use super::lean::{project_of, read_lean_file, resolve_toolchain};
use super::suggest::{Rankers, RankingOptions};

#[derive(Debug, Clone)]
pub struct ProveRequest {
    pub file: PathBuf,
    /// The declaration whose first `sorry` to prove.
    pub decl: String,
    /// Write the proof into the file (atomically) once Lean has re-checked it.
    pub write: bool,
    pub search: SearchConfig,
    pub ranking: RankingOptions,
    /// An explicit `lake` (else the usual search).
    pub lake: Option<PathBuf>,
}

/// The batch-mode re-check of a proof found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recheck {
    pub status: DeclStatus,
    pub errors: Vec<String>,
    pub timed_out: bool,
}

/// The search, its re-check, and whether the proof was written.
#[derive(Debug, Clone)]
pub struct ProveReport {
    pub file: PathBuf,
    /// The declaration's full name.
    pub decl: String,
    pub search: SearchReport,
    pub recheck: Option<Recheck>,
    pub written: bool,
    pub ranker: String,
    pub note: Option<String>,
    pub backend_errors: Vec<String>,
}

impl ProveReport {
    /// `proved` (found and re-checked), `recheck_failed`, or `not_found`.
    pub fn status(&self) -> &'static str {
        match (
            self.search.proof.is_some(),
            self.recheck.as_ref().map(|r| r.status),
        ) {
            (true, Some(DeclStatus::Ok)) => "proved",
            (true, _) => "recheck_failed",
            (false, _) => "not_found",
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
            "proof": self.search.proof,
            "recheck": self.recheck,
            "written": self.written,
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
    let rankers = tokio::task::block_in_place(|| Rankers::build(&request.ranking))?;
    let config = &request.search;
    let toolchain = resolve_toolchain(project, request.lake.clone()).await?;
    let server = LeanServer::start(
        &toolchain,
        ServerConfig {
            file_timeout: config.per_attempt,
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
    let mut suggest =
        |goal: &str, k: usize| tokio::task::block_in_place(|| rankers.suggest(goal, k));
    let report = search(&mut env, &mut suggest, config).await;
    env.close().await;
    server.shutdown().await;
    let report = report.map_err(|e| env_error(file, e))?;
    let recheck = match &report.proof {
        Some(proof) => {
            let (new_text, _) = site.splice(&text, proof);
            Some(recheck(&toolchain, file, &new_text, &site.decl, config).await?)
        }
        None => None,
    };
    let rechecked_ok = recheck.as_ref().is_some_and(|r| r.status == DeclStatus::Ok);
    let mut written = false;
    if let (true, true, Some(proof)) = (request.write, rechecked_ok, &report.proof) {
        let (new_text, _) = site.splice(&text, proof);
        write_atomically(file, &text, &new_text)?;
        written = true;
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
    })
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
            timeout: config.per_attempt.max(Duration::from_secs(120)),
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
    let d = check
        .decls
        .iter()
        .find(|d| d.name == decl || d.name.ends_with(&format!(".{decl}")));
    Ok(match d {
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

/// Replaces `file`'s text with `new` by renaming a finished temporary file over it, so a
/// crash never leaves half a file; refuses when the file changed since it was read.
fn write_atomically(file: &Path, expected_old: &str, new: &str) -> Result<(), EngineError> {
    let now = std::fs::read_to_string(file)
        .map_err(EngineError::io(format!("re-reading {}", file.display())))?;
    if now != expected_old {
        return Err(EngineError::bad_input(format!(
            "{} changed while the proof was searched; not writing (run again)",
            file.display()
        )));
    }
    let tmp = sibling(file, "write");
    let result = (|| {
        std::fs::write(&tmp, new)?;
        if let Ok(meta) = std::fs::metadata(file) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, file)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(EngineError::io(format!("writing {}", file.display()))(e));
    }
    Ok(())
}
