//! The bundled library (lean/) cross-checked numerically: every theorem goes through
//! `theorist numerics check` and none may be refuted; each theorem has a deliberately false
//! variant of the same name in tests/fixtures/library/FalseVariants/ that must never be proved,
//! and is refuted wherever the statement translates unless it is listed with the reason no
//! engine refutes it yet. The statements the front end cannot translate today are listed below
//! with the construct that stops it, so that a new one fails the test, and so does a listed one
//! that translates (take it off the list: it is now checked); likewise for the unrefuted list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

mod support;

/// Library theorems `theorist numerics check` cannot translate today, and why: none (matrices,
/// derivatives and the two-doublet inner products are read since 2026-12-01).
const EXPECTED_UNTRANSLATABLE: &[(&str, &str)] = &[];

/// False variants that translate but that no engine refutes today (they are reported
/// `consistent`, never proved), and why: none (the last four — a counterexample at an irrational
/// minimiser, on a square-root boundary, where no `ε > 0` works, in a thin region — are refuted
/// by points in ℚ(√d), rational square roots on boundaries with flat directions, curves against
/// `∃ ε > 0`, and the margin's descent).
const EXPECTED_UNREFUTED: &[(&str, &str)] = &[];

fn lean_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            lean_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "lean") {
            out.push(path);
        }
    }
}

/// The theorems of every Lean file under `dir`: (file, full name).
fn theorems(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    lean_files(dir, &mut files);
    files.sort();
    files
        .into_iter()
        .flat_map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            theorist_leansrc::parse(&text)
                .decls
                .into_iter()
                .filter(|d| d.kind.is_theorem_like() && !d.name.contains('@'))
                .map(|d| (file.clone(), d.name))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn verdict(file: &Path, decl: &str) -> Value {
    let out = support::theorist()
        .args([
            "--json",
            "numerics",
            "check",
            &format!("{}:{decl}", file.display()),
            "--samples",
            "300",
            "--max-boxes",
            "2000",
            // A safety net only: the budgets above end every check first on an idle machine.
            "--time-limit",
            "60",
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{decl}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// Verdicts for all `(file, decl)` pairs, a few checks at a time (each is its own process).
fn verdicts(items: &[(PathBuf, String)]) -> BTreeMap<String, Value> {
    let chunks: Vec<&[(PathBuf, String)]> = items.chunks(items.len().div_ceil(3).max(1)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(f, d)| (d.clone(), verdict(f, d)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

#[test]
fn every_library_theorem_is_checked_and_none_is_refuted() {
    let library = theorems(Path::new("lean"));
    assert!(
        library.len() >= 45,
        "the library should have at least 45 theorems, found {}",
        library.len()
    );
    let expected: BTreeMap<&str, &str> = EXPECTED_UNTRANSLATABLE.iter().copied().collect();
    let names: BTreeSet<&str> = library.iter().map(|(_, d)| d.as_str()).collect();
    for name in expected.keys() {
        assert!(
            names.contains(name),
            "{name} is listed as untranslatable but is no theorem of lean/"
        );
    }
    let mut problems = Vec::new();
    for (decl, v) in verdicts(&library) {
        let verdict = v["verdict"].as_str().unwrap_or("?");
        match (verdict, expected.get(decl.as_str())) {
            ("untranslatable", Some(_)) => {}
            ("untranslatable", None) => problems.push(format!(
                "{decl} became untranslatable ({}): if that is expected, list it in EXPECTED_UNTRANSLATABLE with its reason",
                v["reason"]
            )),
            ("proved" | "proved_on_box" | "consistent", None) => {}
            ("proved" | "proved_on_box" | "consistent", Some(why)) => problems.push(format!(
                "{decl} now translates ({verdict}), though listed as untranslatable ({why}): take it off EXPECTED_UNTRANSLATABLE"
            )),
            _ => problems.push(format!("{decl}: {v}")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_theorem_has_a_false_variant_and_none_of_those_is_proved() {
    let short = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
    let library: BTreeSet<String> = theorems(Path::new("lean"))
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let variants = theorems(Path::new("tests/fixtures/library/FalseVariants"));
    let variant_names: BTreeSet<String> = variants.iter().map(|(_, d)| d.clone()).collect();
    assert_eq!(
        library, variant_names,
        "every library theorem needs exactly one false variant of the same name"
    );
    let expected: BTreeSet<&str> = EXPECTED_UNTRANSLATABLE.iter().map(|(n, _)| *n).collect();
    let unrefuted: BTreeMap<&str, &str> = EXPECTED_UNREFUTED.iter().copied().collect();
    let mut refuted = 0;
    let mut problems = Vec::new();
    for (decl, v) in verdicts(&variants) {
        match (v["verdict"].as_str(), unrefuted.get(decl.as_str())) {
            (Some("refuted"), None) => refuted += 1,
            (Some("refuted"), Some(why)) => problems.push(format!(
                "false variant {} is now refuted, though listed as unrefuted ({why}): take it off EXPECTED_UNREFUTED",
                short(&decl)
            )),
            // Not refuted, never proved: what no engine decides yet, listed with the reason.
            (Some("consistent"), Some(_)) => {}
            // The true statement is not translated either: nothing to compare yet.
            (Some("untranslatable"), _) if expected.contains(decl.as_str()) => {}
            _ => problems.push(format!(
                "false variant {} is not refuted: {v}",
                short(&decl)
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        refuted,
        library.len() - expected.len() - unrefuted.len(),
        "every translatable false variant not listed in EXPECTED_UNREFUTED is refuted"
    );
}
