//! The GitHub Action's check step (scripts/action-run) against a copy of the fixture project,
//! with the scripted Lean peer as `lake` and a fake Actions environment: the SARIF file, the
//! job summary, the annotations and the step outputs appear, and the exit code is theorist's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod support;

/// A copy of tests/fixtures/ci-project and the files Actions would give the step.
struct Job {
    dir: tempfile::TempDir,
}

impl Job {
    fn new() -> Job {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("workspace/project");
        std::fs::create_dir_all(&project).unwrap();
        support::copy_dir(Path::new("tests/fixtures/ci-project"), &project);
        std::fs::write(dir.path().join("scenario.json"), "{}").unwrap();
        Job { dir }
    }

    fn workspace(&self) -> PathBuf {
        self.dir.path().join("workspace")
    }

    fn reports(&self) -> PathBuf {
        self.workspace().join("project/.theorist/reports")
    }

    fn summary(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("step-summary.md")).unwrap_or_default()
    }

    /// The step's outputs (`name=value` lines of $GITHUB_OUTPUT).
    fn outputs(&self) -> Vec<(String, String)> {
        std::fs::read_to_string(self.dir.path().join("github-output"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn output(&self, name: &str) -> Option<String> {
        self.outputs()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// Runs the step as action.yml does: from the workspace, with the inputs as variables.
    fn run(&self, lake: &Path, args: &str) -> Output {
        Command::new("bash")
            .arg(std::path::absolute("scripts/action-run").unwrap())
            .current_dir(self.workspace())
            .env("THEORIST_BIN", env!("CARGO_BIN_EXE_theorist"))
            .env("THEORIST_PROJECT", "project")
            .env("THEORIST_ARGS", args)
            .env_remove("THEORIST_REPORT_DIR")
            .env("THEORIST_LAKE", lake)
            .env(
                "THEORIST_PEER_SCENARIO",
                self.dir.path().join("scenario.json"),
            )
            .env("HOME", self.dir.path())
            .env_remove("THEORIST_LOG")
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_WORKSPACE", self.workspace())
            .env(
                "GITHUB_STEP_SUMMARY",
                self.dir.path().join("step-summary.md"),
            )
            .env("GITHUB_OUTPUT", self.dir.path().join("github-output"))
            .output()
            .unwrap()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_failing_project_gets_sarif_annotations_a_summary_and_exit_1() {
    let job = Job::new();
    let out = job.run(&support::peer(), "");
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let annotation = "::error file=Demo/Sorry.lean,line=6,col=3,title=lean.sorry::`Demo.open_problem` uses sorry";
    assert_eq!(text.matches(annotation).count(), 1, "printed once: {text}");
    let sarif_path = job
        .output("sarif")
        .expect("the SARIF file is named for upload");
    assert_eq!(Path::new(&sarif_path), job.reports().join("theorist.sarif"));
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    assert!(
        job.summary().starts_with("### theorist: ❌ checks failed"),
        "{}",
        job.summary()
    );
    assert_eq!(job.output("exit-code").as_deref(), Some("1"));
    for report in [
        "theorist-report.json",
        "theorist-junit.xml",
        "theorist-annotations.txt",
    ] {
        assert!(job.reports().join(report).is_file(), "{report}");
    }
}

#[test]
fn a_passing_selection_exits_0_and_appends_to_the_summary() {
    let job = Job::new();
    std::fs::write(job.dir.path().join("step-summary.md"), "earlier step\n").unwrap();
    let out = job.run(&support::peer(), "Demo/Good.lean -j 1");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(!stdout(&out).contains("::error"), "{}", stdout(&out));
    let summary = job.summary();
    assert!(
        summary.starts_with("earlier step\n### theorist: ✅"),
        "{summary}"
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(job.output("sarif").unwrap()).unwrap())
            .unwrap();
    assert!(sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert_eq!(job.output("exit-code").as_deref(), Some("0"));
}

#[test]
fn no_toolchain_uploads_nothing_and_exits_3() {
    let job = Job::new();
    // Reports of an earlier run must not be taken for this one.
    std::fs::create_dir_all(job.reports()).unwrap();
    std::fs::write(job.reports().join("theorist.sarif"), "{\"stale\": true}").unwrap();
    let out = job.run(Path::new("/nonexistent/lake"), "");
    assert_eq!(out.status.code(), Some(3));
    assert!(stdout(&out).contains("::error title=theorist::no Lean toolchain found"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was checked"));
    assert!(!job.reports().join("theorist.sarif").exists());
    assert_eq!(job.output("sarif"), None);
    assert_eq!(job.output("exit-code").as_deref(), Some("3"));
    assert!(
        job.summary()
            .contains("**Nothing was checked**: no Lean toolchain")
    );
}

#[test]
fn a_missing_project_folder_is_exit_2() {
    let job = Job::new();
    let out = Command::new("bash")
        .arg(std::path::absolute("scripts/action-run").unwrap())
        .current_dir(job.workspace())
        .env("THEORIST_BIN", env!("CARGO_BIN_EXE_theorist"))
        .env("THEORIST_PROJECT", "no-such-folder")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("'no-such-folder' does not exist"));
}
