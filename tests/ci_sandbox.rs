//! The sandbox against a hostile `lake` (tests/hostile/lake, standing in for a pull request's
//! lakefile and `#eval`s): under `theorist ci` with the default sandbox, each escape it tries —
//! a secret from the environment, from a file outside and from other processes, writes
//! outside the project and into its sources, a Unix socket outside, a TCP port, the reports
//! folder swapped for a link, the cache forged — fails, and the verdicts stay right. The same
//! stand-in without the sandbox succeeds at each (so the test can tell the difference), and
//! even then theorist writes no report through the planted link.

use std::io::ErrorKind;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod support;

const SECRET_NAME: &str = "THEORIST_TEST_SECRET";
const SECRET_VALUE: &str = "ghp_SECRETTOKEN1234";
const FILE_SECRET: &str = "BEGIN-PRIVATE-KEY-5678";

fn bwrap_works() -> Result<(), String> {
    let out = std::process::Command::new("bwrap")
        .args([
            "--unshare-all",
            "--ro-bind",
            "/usr",
            "/usr",
            "--symlink",
            "usr/bin",
            "/bin",
            "--symlink",
            "usr/lib",
            "/lib",
            "--symlink",
            "usr/lib64",
            "/lib64",
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

/// A project, the hostile toolchain, and the targets outside.
struct Scene {
    project: tempfile::TempDir,
    outside: tempfile::TempDir,
    toolchain: tempfile::TempDir,
    unix: UnixListener,
    tcp: TcpListener,
}

impl Scene {
    fn new() -> Scene {
        let project = tempfile::tempdir().unwrap();
        copy_project(project.path());
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), FILE_SECRET).unwrap();
        // Where the stand-in points the reports folder.
        std::fs::create_dir(outside.path().join("reports")).unwrap();
        let unix = UnixListener::bind(outside.path().join("agent.sock")).unwrap();
        unix.set_nonblocking(true).unwrap();
        let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
        tcp.set_nonblocking(true).unwrap();
        let toolchain = tempfile::tempdir().unwrap();
        let lake = toolchain.path().join("lake");
        std::fs::copy("tests/hostile/lake", &lake).unwrap();
        std::fs::set_permissions(&lake, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::copy(support::peer(), toolchain.path().join("lean-peer")).unwrap();
        let scene = Scene {
            project,
            outside,
            toolchain,
            unix,
            tcp,
        };
        // So that the unsandboxed control run can forge it from the start.
        std::fs::create_dir_all(scene.cache_file().parent().unwrap()).unwrap();
        scene
    }

    fn root(&self) -> &Path {
        self.project.path()
    }

    fn cache_dir(&self) -> PathBuf {
        self.outside.path().join("cache")
    }

    fn cache_file(&self) -> PathBuf {
        theorist_ci::cache::cache_file(&self.cache_dir(), self.root())
    }

    fn ci(&self, swap_reports: bool, extra: &[&str]) -> std::process::Output {
        let env = format!(
            "OUTSIDE='{}'\nPROJECT='{}'\nSOCKET='{}'\nTCP_PORT={}\nCACHE_FILE='{}'\nSECRET_NAME={SECRET_NAME}\nSWAP_REPORTS={}\n",
            self.outside.path().display(),
            self.root().display(),
            self.outside.path().join("agent.sock").display(),
            self.tcp.local_addr().unwrap().port(),
            self.cache_file().display(),
            u8::from(swap_reports),
        );
        std::fs::write(self.toolchain.path().join("hostile.env"), env).unwrap();
        support::theorist()
            .current_dir(self.root())
            .env("THEORIST_LAKE", self.toolchain.path().join("lake"))
            .env("THEORIST_CACHE_DIR", self.cache_dir())
            .env(SECRET_NAME, SECRET_VALUE)
            .env("CI", "true")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("THEORIST_SANDBOX_ENV")
            .env_remove("THEORIST_SANDBOX_RO")
            .arg("ci")
            .args(extra)
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap()
    }

    fn report_text(&self) -> String {
        std::fs::read_to_string(self.root().join(".theorist/reports/theorist-report.json")).unwrap()
    }

    /// Whether each listener was contacted since the last call.
    fn contacted(&self) -> (bool, bool) {
        let unix = match self.unix.accept() {
            Ok(_) => true,
            Err(e) if e.kind() == ErrorKind::WouldBlock => false,
            Err(e) => panic!("{e}"),
        };
        let tcp = match self.tcp.accept() {
            Ok(_) => true,
            Err(e) if e.kind() == ErrorKind::WouldBlock => false,
            Err(e) => panic!("{e}"),
        };
        while self.unix.accept().is_ok() {}
        while self.tcp.accept().is_ok() {}
        (unix, tcp)
    }

    fn outside_has(&self, name: &str) -> bool {
        self.outside.path().join(name).exists()
    }
}

fn text(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn outcome(report: &Value, file: &str) -> String {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("{file} in {report}"))["outcome"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_escape_of_a_hostile_lake_fails_in_the_default_sandbox() {
    if let Err(why) = bwrap_works() {
        eprintln!("skipped: bubblewrap cannot run here: {why}");
        return;
    }
    let scene = Scene::new();

    // Without the sandbox the stand-in really does what hostile code would.
    let out = scene.ci(false, &["--no-sandbox"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = scene.report_text();
    for leaked in [
        SECRET_VALUE,
        FILE_SECRET,
        "hostile probe wrote outside",
        "hostile batch wrote outside",
        "hostile batch wrote sources",
        "hostile batch connected to the unix socket",
        "hostile batch connected to tcp",
        "hostile batch forged the cache",
    ] {
        assert!(
            report.contains(leaked),
            "the unsandboxed control run should show `{leaked}` (is perl installed?): {report}"
        );
    }
    assert!(scene.outside_has("pwned-probe") && scene.outside_has("pwned-batch"));
    assert!(scene.root().join("Demo/Pwned.lean").exists());
    assert_eq!(scene.contacted(), (true, true));
    // Undo what it did.
    for f in ["pwned-probe", "pwned-batch"] {
        std::fs::remove_file(scene.outside.path().join(f)).unwrap();
    }
    std::fs::remove_file(scene.root().join("Demo/Pwned.lean")).unwrap();
    std::fs::remove_file(scene.root().join(".theorist/cache.json")).unwrap();
    std::fs::remove_dir_all(scene.root().join(".lake/build")).unwrap();
    std::fs::remove_file(scene.cache_file()).unwrap();

    // With the default sandbox every attempt fails, and the verdicts are the same.
    let out = scene.ci(true, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bubblewrap sandbox"),
        "{}",
        text(&out)
    );
    let reports = scene.root().join(".theorist/reports");
    assert!(
        reports.symlink_metadata().unwrap().is_dir(),
        "the reports folder is still a real folder"
    );
    let report_text = scene.report_text();
    let report: Value = serde_json::from_str(&report_text).unwrap();
    assert_eq!(outcome(&report, "Demo/Good.lean"), "passed");
    assert_eq!(outcome(&report, "Demo/Sorry.lean"), "failed");
    // The stand-in ran, in the probe and on every file, and found nothing to take.
    assert!(
        report_text.contains("hostile probe env: []"),
        "{report_text}"
    );
    assert!(
        report_text.contains("hostile batch env: []"),
        "{report_text}"
    );
    assert!(
        report_text.contains("hostile batch procenv: []"),
        "{report_text}"
    );
    assert!(
        report_text.contains("hostile batch file: []"),
        "{report_text}"
    );
    for escaped in [
        SECRET_VALUE,
        FILE_SECRET,
        "wrote outside",
        "wrote sources",
        "connected to",
        "swapped the reports",
        "forged the cache",
        "wrote .theorist/cache.json",
    ] {
        assert!(
            !report_text.contains(escaped),
            "`{escaped}` got out of the sandbox: {report_text}"
        );
    }
    let all_output = text(&out);
    assert!(!all_output.contains(SECRET_VALUE) && !all_output.contains(FILE_SECRET));
    assert!(!scene.outside_has("pwned-probe") && !scene.outside_has("pwned-batch"));
    assert!(
        !scene.root().join("Demo/Pwned.lean").exists(),
        "sources are read-only"
    );
    assert_eq!(scene.contacted(), (false, false), "no socket reached");
    assert!(
        !scene.outside_has("reports")
            || std::fs::read_dir(scene.outside.path().join("reports"))
                .unwrap()
                .count()
                == 0,
        "nothing written through a link"
    );
    assert!(!scene.root().join(".theorist/cache.json").exists());
    let cache = std::fs::read_to_string(scene.cache_file()).unwrap();
    assert!(!cache.contains("forged"), "{cache}");
    // What the sandbox does allow: Lake's build folder.
    assert!(scene.root().join(".lake/build/hostile-batch").exists());
    assert!(scene.root().join(".lake/build/hostile-probe").exists());

    // Without the sandbox the stand-in can plant the link, but theorist writes no report
    // through it: it names the link and exits 2.
    let out = scene.ci(true, &["--no-sandbox", "--no-cache"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".theorist/reports") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(scene.outside.path().join("reports"))
            .unwrap()
            .count(),
        0,
        "no report outside the project: {:?}",
        std::fs::read_dir(scene.outside.path().join("reports"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect::<Vec<_>>()
    );
}

#[test]
fn without_bubblewrap_it_warns_and_with_sandbox_it_refuses() {
    let project = tempfile::tempdir().unwrap();
    copy_project(project.path());
    let cache = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        support::theorist()
            .current_dir(project.path())
            .env("THEORIST_LAKE", support::peer())
            .env("THEORIST_CACHE_DIR", cache.path())
            .env("PATH", "/nonexistent-bin")
            .env("CI", "true")
            .args(["ci", "Demo/Good.lean"])
            .args(extra)
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: Lean runs WITHOUT a sandbox")
            && stderr.contains("bubblewrap (`bwrap`) is not on PATH"),
        "{stderr}"
    );
    // --no-sandbox: unconfined on purpose, no warning.
    let out = run(&["--no-sandbox"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("WITHOUT a sandbox"));
    // --sandbox, or `sandbox = true` in theorist.toml: refuse to run unconfined.
    let out = run(&["--sandbox"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bubblewrap (`bwrap`) is not on PATH"));
    std::fs::write(
        project.path().join("theorist.toml"),
        "[lean]\nsandbox = true\n",
    )
    .unwrap();
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // A checked-out `sandbox = false` cannot turn it off: the warning stays.
    std::fs::write(
        project.path().join("theorist.toml"),
        "[lean]\nsandbox = false\n",
    )
    .unwrap();
    let out = run(&[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("WITHOUT a sandbox"));
}
