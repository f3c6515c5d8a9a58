//! The normaliser and corpus readers on the real DeepSeek-Prover-V1.5 miniF2F/ProofNet files
//! (../shared/model-data, or $THEORIST_MODEL_DATA). Skipped, saying why, where they are absent.

use std::path::PathBuf;

use theorist_tactics::corpus::{minif2f_valid, normaliser_agreement, statement_goal_pairs};
use theorist_tactics::normalise::{normalise_goal, statement_to_goal};

fn model_data() -> Option<PathBuf> {
    let dir = std::env::var_os("THEORIST_MODEL_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(
                std::env::var("CARGO_MANIFEST_DIR")
                    .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
            )
            .join("../../../shared/model-data")
        });
    if dir.join("deepseek-prover-v1.5/minif2f.jsonl").exists() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: no model data at {} (set THEORIST_MODEL_DATA)",
            dir.display()
        );
        None
    }
}

#[test]
fn normaliser_beats_the_naive_rewrite_on_real_pairs() {
    let Some(dir) = model_data() else { return };
    let pairs = statement_goal_pairs(&dir).unwrap();
    assert_eq!(pairs.len(), 859);
    let (ours, naive, n) = normaliser_agreement(&pairs);
    eprintln!("statement→goal exact agreement: ours {ours}/{n}, naive {naive}/{n}");
    if std::env::var_os("THEORIST_SHOW_MISMATCHES").is_some() {
        for (s, g) in pairs.iter().take(300) {
            let want = normalise_goal(g);
            let got = statement_to_goal(s).unwrap_or_default();
            if got != want {
                eprintln!("---\nGOT:\n{got}\nWANT:\n{want}");
            }
        }
    }
    assert!(ours > naive, "ours {ours} naive {naive}");
    // Printer output is a fixed point of the normaliser.
    for (_, g) in &pairs {
        let once = normalise_goal(g);
        assert_eq!(normalise_goal(&once), once);
    }
}

#[test]
fn minif2f_valid_first_tactics() {
    let Some(dir) = model_data() else { return };
    let ex = minif2f_valid(&dir).unwrap();
    assert!(ex.len() >= 60, "{}", ex.len());
    assert!(
        ex.iter()
            .all(|e| e.goal.contains('⊢') && !e.tactic.is_empty())
    );
}
