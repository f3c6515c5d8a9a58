//! The tiered branch and bound (the claim's tape, f64 intervals first, then MPFR) gives the
//! same verdicts as the tree evaluator on every box: every theorem of the numerics fixtures,
//! the library's false variants and the bundled library is checked both ways and the
//! verdicts — counterexamples, proof trees and box counts included — must be equal. Budgets
//! are boxes, not time, so the comparison does not depend on the machine's load.

use std::path::{Path, PathBuf};
use std::time::Duration;

use theorist_numerics::{CheckConfig, Verdict, check, load, theorems, translate_loaded};

fn lean_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            lean_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "lean") {
            out.push(path);
        }
    }
}

#[test]
fn tiered_verdicts_equal_the_tree_evaluators() {
    let root = Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
    )
    .join("../..");
    let mut files = Vec::new();
    for dir in [
        "tests/fixtures/numerics",
        "tests/fixtures/library",
        "lean/Theorist",
    ] {
        lean_files(&root.join(dir), &mut files);
    }
    let tiered = CheckConfig {
        samples: 200,
        max_boxes: 400,
        time_limit: Duration::from_secs(3600),
        ..CheckConfig::default()
    };
    let tree = CheckConfig {
        tape: false,
        ..tiered.clone()
    };
    let (mut compared, mut by_bisection) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(loaded) = load(path, &text) else {
            continue;
        };
        for name in theorems(&loaded) {
            let Ok(statement) = translate_loaded(&loaded, &name) else {
                continue;
            };
            let fast = check(&statement, &tiered);
            let slow = check(&statement, &tree);
            assert_eq!(fast, slow, "{}:{name}", path.display());
            compared += 1;
            if matches!(
                fast,
                Verdict::Proved { boxes: 1.., .. }
                    | Verdict::ProvedOnBox { boxes: 1.., .. }
                    | Verdict::Consistent { boxes: 1.., .. }
            ) {
                by_bisection += 1;
            }
        }
    }
    eprintln!(
        "{compared} statements from {} files, {by_bisection} through bisection",
        files.len()
    );
    assert!(compared >= 100, "only {compared} statements compared");
    assert!(by_bisection >= 10, "only {by_bisection} reached bisection");
}
