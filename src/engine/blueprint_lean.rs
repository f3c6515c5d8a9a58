//! Confirming a blueprint's `\lean` names with Lean itself: one generated file imports the
//! project's libraries (as `checkdecls` does) and asks `#print axioms` for every name, which
//! says both whether the declaration exists and whether it depends on `sorryAx`.

use std::collections::BTreeMap;
use std::time::Duration;

use theorist_blueprint::{LeanFact, LeanFacts};
use theorist_lean::Toolchain;
use theorist_lean::batch::{BatchConfig, Severity, run_lean_json};

use super::EngineError;

/// The probe file, in theorist's own folder of the project (ignored by git); written without
/// following links (the checkout may have planted one).
const PROBE_DIR: &str = ".theorist";
const PROBE_NAME: &str = "blueprint-names.lean";

/// Asks Lean about `names`. `Ok(Err(why))` when Lean ran but could not answer (the libraries
/// do not import, say); then the sources' answers stand.
pub(crate) async fn confirm(
    toolchain: &Toolchain,
    names: &[String],
    timeout: Duration,
) -> Result<Result<LeanFacts, String>, EngineError> {
    let root = &toolchain.project.root;
    let roots: Vec<String> = theorist_ci::discover::read_libraries(root)
        .map(|libs| libs.into_iter().flat_map(|l| l.roots).collect())
        .unwrap_or_default();
    if roots.is_empty() {
        return Ok(Err(format!(
            "{}: no lean_lib in the lakefile, so there is nothing to import",
            root.display()
        )));
    }
    let mut text: String = roots.iter().map(|r| format!("import {r}\n")).collect();
    text.push('\n');
    let first = roots.len() as u32 + 2;
    let mut by_line: BTreeMap<u32, &String> = BTreeMap::new();
    for (k, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "#print axioms {}\n",
            theorist_lean::check::lean_ident(name)
        ));
        by_line.insert(first + k as u32, name);
    }
    let dir = theorist_ci::confined::ConfinedDir::open(root, std::path::Path::new(PROBE_DIR))?;
    let probe = dir.write_atomic(PROBE_NAME, text.as_bytes())?;
    let run = run_lean_json(
        toolchain,
        &probe,
        &BatchConfig {
            timeout,
            ..BatchConfig::default()
        },
    )
    .await;
    let _ = dir.remove(PROBE_NAME);
    drop(dir);
    // The folder too, when theorist made it for this alone.
    let _ = std::fs::remove_dir(root.join(PROBE_DIR));
    let run = run.map_err(EngineError::lean(format!(
        "asking Lean about the blueprint's names in {}",
        probe.display()
    )))?;
    // Lean exits 1 when it reported an error (an unknown name); anything else is a crash.
    if !run.completed() || !matches!(run.exit_code, Some(0 | 1)) {
        let why = if run.timed_out {
            format!("Lean did not finish within {} s", timeout.as_secs())
        } else {
            format!(
                "Lean stopped without answering ({})",
                run.stderr.lines().last().unwrap_or("no output")
            )
        };
        return Ok(Err(why));
    }
    let mut facts = LeanFacts {
        version: toolchain.lean_version.clone(),
        decls: BTreeMap::new(),
    };
    for m in &run.messages {
        let line = m.pos.line;
        if line < first {
            if m.severity.fails() {
                return Ok(Err(format!(
                    "Lean could not import the project's libraries ({}); run `lake build` first",
                    m.data.lines().next().unwrap_or("")
                )));
            }
            continue;
        }
        let Some(name) = by_line.get(&line) else {
            continue;
        };
        let fact = match m.severity {
            Severity::Error | Severity::Unknown => LeanFact {
                exists: false,
                uses_sorry: false,
                message: m.data.clone(),
            },
            _ => LeanFact {
                exists: true,
                uses_sorry: m.data.contains("sorryAx"),
                message: m.data.clone(),
            },
        };
        facts.decls.insert((*name).clone(), fact);
    }
    Ok(Ok(facts))
}
