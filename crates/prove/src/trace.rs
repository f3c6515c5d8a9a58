//! `theorist model mine --trace`: Lean's own goal before each mined tactic step, as LeanDojo
//! records it. Each file with mined proofs is opened in the language server (in memory, the
//! file is not touched), elaborated (`waitForDiagnostics`), and `$/lean/plainGoal` is asked at
//! the position where each step starts — the goal state the step acts on. A file Lean cannot
//! elaborate (a crashed worker, a timeout) keeps its steps untraced and is reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use theorist_lean::{LeanPos, LeanServer};
use theorist_tactics::mine::MinedProof;

/// What a trace did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TraceStats {
    pub files: usize,
    pub steps: usize,
    /// Steps Lean gave a goal for.
    pub traced: usize,
    /// Steps where Lean reported no goal (no tactic information there, or no goals left).
    pub without_goal: usize,
    /// Files Lean could not elaborate, with why.
    pub failed_files: Vec<(PathBuf, String)>,
}

/// Fills `goal` of every step of `proofs` (files relative to `root`) from `server`.
pub async fn trace(server: &LeanServer, root: &Path, proofs: &mut [MinedProof]) -> TraceStats {
    let mut stats = TraceStats::default();
    let mut by_file: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in proofs.iter().enumerate() {
        by_file.entry(p.file.clone()).or_default().push(i);
    }
    for (file, indices) in by_file {
        let path = root.join(&file);
        stats.files += 1;
        match trace_file(server, &path, proofs, &indices, &mut stats).await {
            Ok(()) => {}
            Err(e) => stats.failed_files.push((path, e.to_string())),
        }
    }
    stats
}

async fn trace_file(
    server: &LeanServer,
    path: &Path,
    proofs: &mut [MinedProof],
    indices: &[usize],
    stats: &mut TraceStats,
) -> Result<(), theorist_lean::LeanError> {
    let text = std::fs::read_to_string(path).map_err(|source| theorist_lean::LeanError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut doc = server.open(path, text).await?;
    let result = async {
        server.wait_for_diagnostics(&mut doc).await?;
        for &i in indices {
            for step in &mut proofs[i].steps {
                stats.steps += 1;
                let pos = LeanPos {
                    line: step.line,
                    column: step.column,
                };
                match server.plain_goal(&doc, pos).await? {
                    Some(g) if !g.goals.is_empty() => {
                        step.goal = Some(g.goals[0].clone());
                        stats.traced += 1;
                    }
                    _ => stats.without_goal += 1,
                }
            }
        }
        Ok(())
    }
    .await;
    let _ = server.close(&doc).await;
    result
}
