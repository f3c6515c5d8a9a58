//! Issue 12's process failures through the real binary, with the scripted Lean peer: a
//! daemonised grandchild that keeps Lean's output open, a child that ignores SIGTERM, a probe
//! that hangs, a server that dies while theorist writes to it, and a reader that closes
//! theorist's stdout. None may stretch a run past `--timeout`, leave a process behind, or end
//! theorist by a signal.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod support;

struct Demo {
    dir: tempfile::TempDir,
}

impl Demo {
    fn new(extra: &str) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lean-project");
        std::fs::create_dir_all(root.join("Demo")).unwrap();
        for f in ["lakefile.lean", "lean-toolchain"] {
            std::fs::copy(
                Path::new("tests/fixtures/lean-project").join(f),
                root.join(f),
            )
            .unwrap();
        }
        let base = std::fs::read_to_string("tests/fixtures/lean-project/Demo/Basic.lean").unwrap();
        std::fs::write(root.join("Demo/Basic.lean"), format!("{base}{extra}")).unwrap();
        Demo { dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("lean-project/Demo/Basic.lean")
    }

    fn theorist(&self, scenario: &Value) -> std::process::Command {
        let path = self.dir.path().join("scenario.json");
        std::fs::write(&path, scenario.to_string()).unwrap();
        let mut cmd = support::theorist_process();
        cmd.env("THEORIST_LAKE", support::peer())
            .env("THEORIST_PEER_SCENARIO", path)
            // The default sandbox runs the peer: pass the scenario's variable, show its folder.
            .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
            .env("THEORIST_SANDBOX_RO", self.dir.path())
            .env_remove("THEORIST_LOG");
        cmd
    }
}

/// Runs `cmd` to its end, but never longer than `limit` (then the test fails).
fn run_bounded(
    mut cmd: std::process::Command,
    limit: Duration,
) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut o = Vec::new();
        let _ = out.read_to_end(&mut o);
        o
    });
    let err_reader = std::thread::spawn(move || {
        let mut e = Vec::new();
        let _ = err.read_to_end(&mut e);
        e
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("theorist ran past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let output = std::process::Output {
        status,
        stdout: reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    (output, elapsed)
}

/// Whether `pid` still runs (a zombie waiting for its parent counts as ended).
fn alive(pid: i32) -> bool {
    let state = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| s.rsplit(')').next().and_then(|r| r.trim().chars().next()))
    };
    for _ in 0..100 {
        match state(pid) {
            None | Some('Z') | Some('X') => return false,
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    true
}

fn daemon_pid(path: &Path) -> i32 {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .trim()
        .parse()
        .unwrap()
}

/// Lean finished, but a grandchild that left the process group keeps its stdout open: theorist
/// reports the verdict without waiting for it, and the grandchild is gone afterwards.
#[test]
fn a_daemon_holding_lean_output_open_neither_delays_nor_outlives_the_run() {
    let demo = Demo::new("");
    let pid_file = demo.dir.path().join("daemon.pid");
    let mut cmd = demo.theorist(&json!({"batch": {"daemon_pid_file": pid_file}}));
    // Unconfined: the sweep of escaped processes is what is tested (in the sandbox the pid
    // namespace ends them all, and the peer could not write its pid file there).
    cmd.args(["--no-sandbox", "verify", "--timeout", "60"])
        .arg(format!("{}:sq_nonneg'", demo.file().display()));
    let (out, elapsed) = run_bounded(cmd, Duration::from_secs(50));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(elapsed < Duration::from_secs(40), "{elapsed:?}");
    let pid = daemon_pid(&pid_file);
    assert!(!alive(pid), "the daemon {pid} outlived theorist");
}

/// `verify --timeout 4` on a Lean that hangs, ignores SIGTERM and has a daemonised grandchild
/// holding its output: over after the timeout plus a short grace, everything killed.
#[test]
fn the_timeout_holds_against_a_sigterm_ignoring_child_and_its_daemon() {
    let demo = Demo::new("");
    let pid_file = demo.dir.path().join("daemon.pid");
    let mut cmd = demo.theorist(&json!({"batch": {
        "behaviour": "hang", "ignore_sigterm": true, "daemon_pid_file": pid_file}}));
    // Unconfined, as above.
    cmd.args([
        "--no-sandbox",
        "--json",
        "verify",
        "--timeout",
        "4",
        "--no-goals",
    ])
    .arg(demo.file());
    let (out, elapsed) = run_bounded(cmd, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "timed_out");
    // 4 s, then at most two 2 s grace periods; the rest is the machine's load.
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    let pid = daemon_pid(&pid_file);
    assert!(!alive(pid), "the daemon {pid} outlived the timeout");
}

/// A `lake env lean --version` that never answers is a timeout after `--timeout`, exit 2, and
/// not "no Lean toolchain found".
#[test]
fn a_hanging_toolchain_probe_is_a_timeout_not_a_missing_toolchain() {
    let demo = Demo::new("");
    let mut cmd = demo.theorist(&json!({"hang_version_probe": true}));
    cmd.args(["verify", "--timeout", "2"]).arg(demo.file());
    let (out, elapsed) = run_bounded(cmd, Duration::from_secs(60));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("did not answer"), "{err}");
    assert!(err.contains("env lean --version"), "{err}");
    assert!(!err.contains("no Lean toolchain found"), "{err}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

/// The language server dies right after `initialize` while theorist writes a large document
/// to it: an error message and exit 2, never death by SIGPIPE.
#[test]
fn a_server_dying_while_theorist_writes_is_an_error_not_sigpipe() {
    let demo = Demo::new(&"-- a long file\n".repeat(20_000));
    let mut cmd = demo.theorist(&json!({"server": {"behaviour": "exit_after_initialize"}}));
    cmd.args(["goals", "--timeout", "30"])
        .arg(format!("{}:13:2", demo.file().display()));
    let (out, _) = run_bounded(cmd, Duration::from_secs(90));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "died by a signal? {:?}: {err}",
        out.status
    );
    assert!(err.contains("the Lean server exited"), "{err}");
}

/// A reader that stops early (`theorist … | head -c 100`): quiet exit 141, no panic text.
#[test]
fn a_closed_stdout_ends_theorist_quietly() {
    let decls: String = (0..3000)
        .map(|i| format!("theorem many_{i} : True := trivial\n"))
        .collect();
    let demo = Demo::new(&decls);
    let mut cmd = demo.theorist(&json!({}));
    cmd.args(["--json", "verify", "--no-goals"])
        .arg(demo.file())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    out.read_exact(&mut first).unwrap();
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(141), "{status:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.trim().is_empty(), "{err}");
}
