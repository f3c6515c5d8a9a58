//! `theorist ci --sandbox`: a hostile stand-in for Lean (the scripted peer acting like a file
//! whose `#eval` writes files and phones home) is stopped by bubblewrap. The same attempts
//! succeed without the sandbox, so the test can tell the difference.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::path::Path;

use assert_cmd::Command;
use serde_json::json;

fn bwrap_works() -> Result<(), String> {
    let out = std::process::Command::new("bwrap")
        .args([
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "--unshare-net",
            "--",
            "true",
        ])
        .output()
        .map_err(|e| format!("bwrap is not installed ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn copy_project(to: &Path) {
    for rel in [
        "lakefile.lean",
        "lean-toolchain",
        "Demo.lean",
        "Demo/Good.lean",
        "Demo/Sorry.lean",
        "Demo/Sorryful.lean",
    ] {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(Path::new("tests/fixtures/ci-project").join(rel), target).unwrap();
    }
}

/// Runs `theorist ci Demo/Good.lean` with the hostile scenario; returns whether the listener
/// was contacted.
fn run(project: &Path, outside: &Path, listener: &TcpListener, sandbox: bool) -> bool {
    let scenario = json!({"batch": {
        "hostile_writes": [project.join("Demo/Pwned.lean"), outside.join("pwned.txt")],
        "hostile_connect": listener.local_addr().unwrap().to_string(),
    }});
    let scenario_path = outside.join("scenario.json");
    std::fs::write(&scenario_path, scenario.to_string()).unwrap();
    let mut cmd = Command::cargo_bin("theorist").unwrap();
    cmd.current_dir(project)
        .env("THEORIST_LAKE", env!("CARGO_BIN_EXE_theorist-lean-peer"))
        .env("THEORIST_PEER_SCENARIO", &scenario_path)
        .env("CI", "true")
        .args(["ci", "Demo/Good.lean", "--no-cache"]);
    if sandbox {
        cmd.arg("--sandbox");
    }
    let out = cmd
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::WouldBlock => false,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_hostile_file_cannot_write_outside_or_open_a_socket() {
    if let Err(why) = bwrap_works() {
        eprintln!("skipped: bubblewrap cannot run here: {why}");
        return;
    }
    let project = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    copy_project(project.path());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();

    // Without the sandbox the stand-in really does what a hostile file would.
    assert!(
        run(project.path(), outside.path(), &listener, false),
        "the unsandboxed run should connect"
    );
    assert!(project.path().join("Demo/Pwned.lean").exists());
    assert!(outside.path().join("pwned.txt").exists());
    std::fs::remove_file(project.path().join("Demo/Pwned.lean")).unwrap();
    std::fs::remove_file(outside.path().join("pwned.txt")).unwrap();

    // With it, nothing gets out; the check itself still works and only the cache is written.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    assert!(
        !run(project.path(), outside.path(), &listener, true),
        "the sandboxed run must not connect"
    );
    assert!(
        !project.path().join("Demo/Pwned.lean").exists(),
        "the project is read-only"
    );
    assert!(
        !outside.path().join("pwned.txt").exists(),
        "nothing outside is writable"
    );
    let report = std::fs::read_to_string(
        project
            .path()
            .join(".theorist/reports/theorist-report.json"),
    )
    .unwrap();
    assert!(report.contains("hostile: could not write"), "{report}");
    assert!(report.contains("hostile: could not connect"), "{report}");
}
