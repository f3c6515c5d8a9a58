//! The bundled library (lean/) cross-checked numerically: every theorem translates and none
//! is refuted; the deliberately false variants in tests/fixtures/library are all refuted.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

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

fn theorems(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap();
    theorist_leansrc::parse(&text)
        .decls
        .into_iter()
        .filter(|d| d.kind.is_theorem_like() && !d.name.contains('@'))
        .map(|d| d.name)
        .collect()
}

fn verdict(file: &Path, decl: &str) -> Value {
    let out = Command::cargo_bin("theorist")
        .unwrap()
        .args([
            "--json",
            "numerics",
            "check",
            &format!("{}:{decl}", file.display()),
            "--samples",
            "300",
            "--max-boxes",
            "2000",
        ])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{decl}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn every_library_statement_translates_and_none_is_refuted() {
    let mut files = Vec::new();
    lean_files(Path::new("lean"), &mut files);
    files.sort();
    let mut checked = 0;
    for file in &files {
        for decl in theorems(file) {
            let v = verdict(file, &decl);
            assert!(
                v["verdict"] == "proved"
                    || v["verdict"] == "proved_on_box"
                    || v["verdict"] == "consistent",
                "{decl}: {v}"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "the library should have at least 20 lemmas, found {checked}"
    );
}

#[test]
fn false_variants_are_refuted() {
    let file = Path::new("tests/fixtures/library/FalseVariants.lean");
    let names = theorems(file);
    assert_eq!(names.len(), 5);
    for decl in names {
        let v = verdict(file, &decl);
        assert_eq!(v["verdict"], "refuted", "{decl}: {v}");
    }
}

#[test]
fn the_polynomial_statements_are_proved_exactly() {
    // Attained bounds, identities and sign arguments: closed by algebraic certificates, where
    // bisection alone could only call them consistent.
    for (file, decl, kind) in [
        (
            "lean/Theorist/Higgs/Potential.lean",
            "radial_bounded_below",
            "completed square",
        ),
        (
            "lean/Theorist/Higgs/Potential.lean",
            "radial_isMinOn",
            "completed square",
        ),
        (
            "lean/Theorist/Higgs/Potential.lean",
            "radial_complete_square",
            "polynomial identity",
        ),
        (
            "lean/Theorist/Higgs/Potential.lean",
            "vev_sq",
            "polynomial identity",
        ),
        (
            "lean/Theorist/Higgs/Potential.lean",
            "potential_nonneg_of_nonpos",
            "sum of non-negative terms",
        ),
        (
            "lean/Theorist/TwoHDM/Stability.lean",
            "quartic_nonneg_of_nonneg",
            "sum of non-negative terms",
        ),
        (
            "lean/Theorist/TwoHDM/Stability.lean",
            "quartic_neg_of_diagonal",
            "non-negative combination of the hypotheses",
        ),
    ] {
        let v = verdict(Path::new(file), decl);
        assert_eq!(v["verdict"], "proved", "{decl}: {v}");
        assert_eq!(v["algebraic"]["kind"], kind, "{decl}: {v}");
    }
}
