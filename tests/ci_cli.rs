//! `theorist ci` through the real binary on a small Lake project, with the scripted Lean peer
//! as `lake`: verdicts, reports, the incremental cache, timeouts, config errors, and the
//! no-toolchain exit.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

mod support;

/// A private copy of tests/fixtures/ci-project, with its own cache folder (outside it).
struct Project {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        support::copy_dir(Path::new("tests/fixtures/ci-project"), dir.path());
        Project {
            dir,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn ci(&self, scenario: &Value) -> Command {
        let path = self.dir.path().join(".scenario.json");
        std::fs::write(&path, scenario.to_string()).unwrap();
        let mut cmd = support::theorist();
        // The default sandbox runs the peer: the scenario lies in the project (visible) and
        // its variable is passed in by name.
        cmd.current_dir(self.root())
            .env("THEORIST_LAKE", support::peer())
            .env("THEORIST_PEER_SCENARIO", path)
            .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
            .env("THEORIST_CACHE_DIR", self.cache.path())
            .env("CI", "true")
            .env_remove("GITHUB_ACTIONS")
            .arg("ci");
        cmd
    }

    fn report(&self) -> Value {
        let text =
            std::fs::read_to_string(self.root().join(".theorist/reports/theorist-report.json"))
                .unwrap();
        serde_json::from_str(&text).unwrap()
    }
}

fn outcome<'a>(report: &'a Value, file: &str) -> &'a Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap_or_else(|| panic!("{file}"))
}

#[test]
fn checks_every_module_and_writes_the_reports() {
    let p = Project::new();
    p.ci(&json!({}))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Demo/Sorry.lean:6:3: error[lean.sorry]: `Demo.open_problem` uses sorry",
        ))
        .stdout(predicate::str::contains("4 files: 3 passed, 1 failed"))
        .stderr(predicate::str::contains("[4/4]"));
    let report = p.report();
    assert!(
        report["meta"]["lean_version"]
            .as_str()
            .unwrap()
            .contains("theorist-scripted-peer")
    );
    assert_eq!(outcome(&report, "Demo/Good.lean")["outcome"], "passed");
    assert_eq!(outcome(&report, "Demo/Sorry.lean")["outcome"], "failed");
    // PhysLean's @[sorryful] lets a declaration keep its sorry.
    assert_eq!(outcome(&report, "Demo/Sorryful.lean")["outcome"], "passed");
    assert_eq!(
        outcome(&report, "Demo/Sorryful.lean")["findings"][0]["severity"],
        "note"
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(p.root().join(".theorist/reports/theorist.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "Demo/Sorry.lean"
    );
    let junit =
        std::fs::read_to_string(p.root().join(".theorist/reports/theorist-junit.xml")).unwrap();
    assert!(junit.contains("<testsuite name=\"theorist\" tests=\"4\" failures=\"1\" errors=\"0\""));
    let md =
        std::fs::read_to_string(p.root().join(".theorist/reports/theorist-summary.md")).unwrap();
    assert!(md.starts_with("### theorist: ❌ checks failed"));
}

#[test]
fn the_cache_skips_unchanged_files_and_follows_imports() {
    let p = Project::new();
    p.ci(&json!({})).assert().code(1);
    p.ci(&json!({}))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("(4 from cache)"));
    // Good.lean is imported by every other module: editing it re-checks all of them.
    let good = p.root().join("Demo/Good.lean");
    let text = std::fs::read_to_string(&good).unwrap();
    std::fs::write(&good, text.replace("positivity", "nlinarith [sq_nonneg x]")).unwrap();
    p.ci(&json!({}))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("(0 from cache)"));
    // Editing Sorry.lean re-checks it and Demo.lean (which imports it) only.
    let sorry = p.root().join("Demo/Sorry.lean");
    std::fs::write(
        &sorry,
        std::fs::read_to_string(&sorry)
            .unwrap()
            .replace("sorry", "positivity"),
    )
    .unwrap();
    p.ci(&json!({}))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("(2 from cache)"));
    p.ci(&json!({}))
        .arg("--no-cache")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("(0 from cache)"));
}

#[test]
fn config_allows_sorry_and_selects_reports() {
    let p = Project::new();
    std::fs::write(
        p.root().join("theorist.toml"),
        "[lean]\nallow_sorry = [\"Demo.open_problem\"]\nworkers = 2\n\n[reports]\ndir = \"out\"\nformats = [\"github\", \"json\"]\n",
    )
    .unwrap();
    p.ci(&json!({}))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("4 files: 4 passed"));
    let annotations =
        std::fs::read_to_string(p.root().join("out/theorist-annotations.txt")).unwrap();
    assert!(
        annotations.contains("::notice file=Demo/Sorry.lean,line=6,col=3,title=lean.sorry::"),
        "{annotations}"
    );
    assert!(!p.root().join("out/theorist.sarif").exists());
}

#[test]
fn a_file_that_hangs_times_out_and_the_run_goes_on() {
    let p = Project::new();
    p.ci(&json!({"batch": {"hang_on": ["/.Good."]}}))
        .args(["--timeout", "1", "-j", "2"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Demo/Good.lean:1:1: error[lean.timeout]",
        ));
    let report = p.report();
    assert_eq!(outcome(&report, "Demo/Good.lean")["outcome"], "timed_out");
    assert_eq!(outcome(&report, "Demo/Sorry.lean")["outcome"], "failed");
    // Timeouts are not cached: the next run tries again.
    p.ci(&json!({}))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("(3 from cache)"));
}

#[test]
fn named_files_and_github_annotations() {
    let p = Project::new();
    p.ci(&json!({}))
        .arg("Demo/Sorry.lean")
        .env("GITHUB_ACTIONS", "true")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("::error file=Demo/Sorry.lean,line=6,col=3,title=lean.sorry::`Demo.open_problem` uses sorry"))
        .stdout(predicate::str::contains("1 files: 0 passed, 1 failed"));
}

#[test]
fn bad_input_and_no_toolchain() {
    let p = Project::new();
    std::fs::write(
        p.root().join("theorist.toml"),
        "[lean]\ntimeout_secs = \"soon\"\n",
    )
    .unwrap();
    p.ci(&json!({}))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("theorist.toml:2:"));
    std::fs::remove_file(p.root().join("theorist.toml")).unwrap();
    p.ci(&json!({}))
        .arg("Demo/Nope.lean")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Demo/Nope.lean: no such file"));
    p.ci(&json!({}))
        .args(["--format", "pdf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown report format `pdf`"));

    let mut cmd = support::theorist();
    cmd.current_dir(p.root())
        .env_remove("THEORIST_LAKE")
        .env("HOME", "/nonexistent-home")
        .env("PATH", "/nonexistent-bin")
        .arg("ci")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nothing was checked"));
    assert!(
        !p.root().join(".theorist").exists(),
        "no cache or report without a toolchain"
    );

    let outside = tempfile::tempdir().unwrap();
    let mut cmd = support::theorist();
    cmd.current_dir(outside.path())
        .arg("ci")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a Lake project"));
}

#[test]
fn numerics_claims_from_the_config() {
    let p = Project::new();
    std::fs::write(
        p.root().join("theorist.toml"),
        "[files]\ninclude = [\"Demo/Good.lean\"]\n\n[[numerics]]\nclaim = \"Claims.lean:bound\"\nbox = { x = \"[0, 10]\" }\n\n[[numerics]]\nclaim = \"Claims.lean:bound_wrong\"\nexpect = \"refuted\"\n",
    )
    .unwrap();
    p.ci(&json!({}))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("3 files: 3 passed"));
    let report = p.report();
    let wrong = outcome(&report, "Claims.lean:bound_wrong");
    assert!(
        wrong["findings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("refuted: counterexample"),
        "{wrong}"
    );
    // Each claim's plot beside the reports; the false variant's marks its counterexample.
    let reports = p.root().join(".theorist/reports");
    let plot = std::fs::read_to_string(reports.join("numerics-Claims.bound_wrong.svg")).unwrap();
    assert!(plot.contains(r#"class="marker counterexample""#));
    assert!(reports.join("numerics-Claims.bound.svg").exists());

    // The false variant without `expect = "refuted"` fails the run.
    std::fs::write(p.root().join("theorist.toml"), "[files]\ninclude = [\"Demo/Good.lean\"]\n\n[[numerics]]\nclaim = \"Claims.lean:bound_wrong\"\n").unwrap();
    p.ci(&json!({}))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Claims.lean:10:1: error[numerics]: refuted: counterexample",
        ));
}

#[test]
fn the_blueprint_is_checked_against_the_lean_sources() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    support::copy_dir(Path::new("tests/fixtures/blueprint-broken"), dir.path());
    let scenario = dir.path().join(".scenario.json");
    std::fs::write(&scenario, "{}").unwrap();
    let mut cmd = support::theorist();
    cmd.current_dir(dir.path())
        .env("THEORIST_LAKE", support::peer())
        .env("THEORIST_PEER_SCENARIO", &scenario)
        .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
        .env("THEORIST_CACHE_DIR", cache.path())
        .env("CI", "true")
        .args(["ci", "Demo/Good.lean"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "blueprint/src/chapter/main.tex:25:1: error[blueprint]: `lem:ghost`: no Lean declaration `Demo.does_not_exist`",
        ));
}

#[test]
fn a_forged_cache_in_the_checkout_never_turns_a_file_green() {
    let p = Project::new();
    p.ci(&json!({})).assert().code(1);
    // The real cache lives outside the checkout.
    let real = theorist_ci::cache::cache_file(p.cache.path(), p.root());
    assert!(real.is_file());
    assert!(!p.root().join(".theorist/cache.json").exists());
    // A pull request commits a copy with the right keys, Sorry.lean's verdict turned green.
    let mut forged: Value = serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    let entry = &mut forged["entries"]["Demo/Sorry.lean"]["result"];
    assert_eq!(entry["outcome"], "failed");
    entry["outcome"] = json!("passed");
    entry["findings"] = json!([]);
    std::fs::write(p.root().join(".theorist/cache.json"), forged.to_string()).unwrap();
    p.ci(&json!({}))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("(4 from cache)"))
        .stdout(predicate::str::contains(
            "Demo/Sorry.lean:6:3: error[lean.sorry]",
        ));
    assert_eq!(outcome(&p.report(), "Demo/Sorry.lean")["outcome"], "failed");
    // With another cache folder (a fresh CI machine) everything is checked again.
    let fresh = tempfile::tempdir().unwrap();
    p.ci(&json!({}))
        .env("THEORIST_CACHE_DIR", fresh.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("(0 from cache)"));
}

#[test]
fn reports_are_never_written_through_a_planted_link() {
    let p = Project::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(p.root().join(".theorist")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.root().join(".theorist/reports")).unwrap();
    p.ci(&json!({}))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            ".theorist/reports: a symbolic link; theorist writes only into real folders inside the project",
        ));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    // A linked report file is replaced, not written through.
    std::fs::remove_file(p.root().join(".theorist/reports")).unwrap();
    std::fs::create_dir_all(p.root().join(".theorist/reports")).unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    std::os::unix::fs::symlink(&victim, p.root().join(".theorist/reports/theorist.sarif")).unwrap();
    p.ci(&json!({})).assert().code(1);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    // The config, which comes with the checkout, cannot point the reports outside either.
    std::fs::write(
        p.root().join("theorist.toml"),
        format!("[reports]\ndir = \"{}\"\n", outside.path().display()),
    )
    .unwrap();
    p.ci(&json!({}))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("theorist.toml:2:"))
        .stderr(predicate::str::contains("is not a path inside the project"));
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
}

#[test]
fn link_loops_and_leftover_copies_are_not_modules() {
    let p = Project::new();
    std::fs::write(
        p.root().join("lakefile.lean"),
        "import Lake\nopen Lake DSL\n\npackage demo\n\n@[default_target]\nlean_lib Demo where\n  globs := #[.andSubmodules `Demo]\n",
    )
    .unwrap();
    // What a killed run leaves: theorist's `#print axioms` copy of a file with a sorry.
    std::fs::write(
        p.root().join("Demo/.Good.theorist-4242-AbCdEf.lean"),
        "theorem leftover : 1 = 1 := sorry\n",
    )
    .unwrap();
    // A link to its own folder: Lake's walk would recurse into it forever.
    std::os::unix::fs::symlink(".", p.root().join("Demo/loop")).unwrap();
    p.ci(&json!({}))
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("4 files: 3 passed, 1 failed"))
        .stdout(predicate::str::contains("leftover").not());
}

/// Without `-j`, the worker count comes from the machine (cores, and ~5 GB of memory per
/// Lean with Mathlib) and is printed; a `lake` whose Lean is not the pinned version is named.
#[test]
fn workers_default_from_the_machine_and_a_version_mismatch_is_warned() {
    let p = Project::new();
    let out = p
        .ci(&json!({"lean_version": "4.33.0"}))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("theorist ci: "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains(" core"), "{line}");
    assert!(line.contains("5.0 GB per Lean process"), "{line}");
    assert!(
        err.contains("runs Lean 4.33.0, but") && err.contains("pins 4.22.0 (lean-toolchain)"),
        "{err}"
    );
    let out = p
        .ci(&json!({}))
        .args(["-j", "3"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("theorist ci: 3 worker(s) (--jobs)"), "{err}");
    assert!(!err.contains("pins"), "{err}");
}
