//! Lean's output is read with a cap: 200 MB on stderr must not make theorist hold 200 MB (it
//! took 415 MB before). Alone in its test binary, so the peak memory of the children this
//! process waited for is theorist's (and its peer's).

use std::path::Path;

use serde_json::{Value, json};

mod support;

#[test]
fn a_stderr_flood_is_kept_as_a_tail() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lean-project");
    std::fs::create_dir_all(root.join("Demo")).unwrap();
    for f in ["lakefile.lean", "lean-toolchain", "Demo/Basic.lean"] {
        std::fs::copy(
            Path::new("tests/fixtures/lean-project").join(f),
            root.join(f),
        )
        .unwrap();
    }
    let scenario = dir.path().join("scenario.json");
    std::fs::write(
        &scenario,
        json!({"batch": {"stderr_flood_mb": 200, "behaviour": "crash"}}).to_string(),
    )
    .unwrap();
    let out = support::theorist()
        .env("THEORIST_LAKE", support::peer())
        .env("THEORIST_PEER_SCENARIO", &scenario)
        // The default sandbox runs the peer: pass the scenario's variable, show its folder.
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_SANDBOX_RO", dir.path())
        .args(["--json", "verify", "--no-goals"])
        .arg(root.join("Demo/Basic.lean"))
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "crashed");
    let tail: Vec<&str> = report["other_output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(tail.last(), Some(&"Stack overflow detected. Aborting."));
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    let peak_mb = usage.ru_maxrss / 1024;
    assert!(peak_mb < 120, "theorist's peak memory was {peak_mb} MB");
}
