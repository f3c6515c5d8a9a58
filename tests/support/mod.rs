//! What the integration tests share: the `theorist` binary under test, the scripted Lean peer
//! that stands in for `lake` (tests/peer), copies of the fixture projects, and a stand-in for
//! Mathlib's sources. Each test binary declares `mod support;` and uses the part it needs.

#![allow(dead_code)]

pub mod stand_in;

use std::path::{Path, PathBuf};

/// The `theorist` binary as an `assert_cmd` command.
pub fn theorist() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("theorist").expect("cargo builds theorist for its tests")
}

/// The `theorist` binary as a plain process, for tests that talk to it while it runs.
pub fn theorist_process() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_theorist"))
}

/// The scripted Lean peer, to pass as `lake` (`THEORIST_LAKE`).
pub fn peer() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_theorist-lean-peer"))
}

/// A copy of the folder `from` (a fixture) at `to`, folders made as needed.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Writes `files` (path, text) under `dir/name` and mines them as the repository `label` at
/// commit `0123` into `out` (`theorist model mine`, which must succeed).
pub fn mine_repo(
    dir: &Path,
    name: &str,
    label: &str,
    files: &[(impl AsRef<Path>, impl AsRef<str>)],
    out: &Path,
) {
    let root = dir.join(name);
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text.as_ref()).unwrap();
    }
    theorist()
        .args(["model", "mine"])
        .arg(format!("{}={label}@0123", root.display()))
        .arg("--out")
        .arg(out)
        .assert()
        .code(0);
}
