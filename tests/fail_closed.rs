//! Issue 12's false passes, each through the real binary with the scripted Lean peer as
//! `lake`: `verify` and `ci` must fail (or say `not_checked`) on every one of them, and agree.
//! Declaration forms a column-0 scanner missed, a `sorry` outside every declaration theorist
//! found, an imports-only file checked by a `lake` that ran nothing, messages of unknown
//! severity, `#exit`, anonymous instances (which must pass, not be reported unchecked), and
//! names already written `«x»`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

mod support;

/// A Lake project with one library `Demo` whose modules are the given files.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("lakefile.lean"),
            "import Lake\nopen Lake DSL\n\npackage demo\n\n@[default_target]\nlean_lib Demo\n",
        )
        .unwrap();
        std::fs::write(root.join("lean-toolchain"), "leanprover/lean4:v4.22.0\n").unwrap();
        std::fs::create_dir_all(root.join("Demo")).unwrap();
        let mut top = String::new();
        for (name, text) in files {
            std::fs::write(root.join("Demo").join(format!("{name}.lean")), text).unwrap();
            top.push_str(&format!("import Demo.{name}\n"));
        }
        std::fs::write(root.join("Demo.lean"), top).unwrap();
        Project { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.root().join("Demo").join(format!("{name}.lean"))
    }

    fn theorist(&self, scenario: &Value) -> Command {
        let path = self.root().join(".scenario.json");
        std::fs::write(&path, scenario.to_string()).unwrap();
        let mut cmd = support::theorist();
        cmd.current_dir(self.root())
            .env("THEORIST_LAKE", support::peer())
            .env("THEORIST_PEER_SCENARIO", path)
            .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
            .env("CI", "true")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("THEORIST_LOG")
            .timeout(std::time::Duration::from_secs(120));
        cmd
    }

    /// `verify --json FILE --no-goals`: (exit code, report).
    fn verify(&self, name: &str, scenario: &Value) -> (i32, Value) {
        let out = self
            .theorist(scenario)
            .args(["--json", "verify", "--no-goals"])
            .arg(self.file(name))
            .output()
            .unwrap();
        let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (
            out.status.code().expect("an exit code, not a signal"),
            report,
        )
    }

    /// `ci --json --no-cache`: (exit code, outcome per file).
    fn ci(&self, scenario: &Value) -> (i32, Vec<(String, String)>) {
        let out = self
            .theorist(scenario)
            .args(["--json", "ci", "--no-cache", "-j", "2"])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let outcomes = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["outcome"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (
            out.status.code().expect("an exit code, not a signal"),
            outcomes,
        )
    }
}

/// Every declaration form issue 12 lists, each with a `sorry` and nothing else wrong.
const FORMS: &[(&str, &str)] = &[
    (
        "Indented",
        "namespace Demo\n  theorem indented : True := by\n    sorry\nend Demo\n",
    ),
    (
        "SetOptionIn",
        "set_option maxHeartbeats 400000 in\ntheorem so : True := by\n  sorry\n",
    ),
    (
        "SetOptionInline",
        "set_option maxHeartbeats 400000 in theorem so1 : True := sorry\n",
    ),
    (
        "DocOneLine",
        "/-- doc -/ theorem documented : True := sorry\n",
    ),
    ("OpenIn", "open Nat in\ntheorem op : True := sorry\n"),
    ("IrreducibleDef", "irreducible_def irr : Nat := sorry\n"),
    (
        "AttributeIn",
        "attribute [local simp] Nat.add_comm in\ntheorem attr_in : True := sorry\n",
    ),
    ("MetaDef", "meta def md : Nat := sorry\n"),
    ("PublicTheorem", "public theorem pub : True := sorry\n"),
    ("AnonymousInstance", "instance : Inhabited Nat := ⟨sorry⟩\n"),
    ("Example", "example : True := sorry\n"),
];

#[test]
fn a_sorry_in_every_declaration_form_fails_verify_and_ci() {
    let p = Project::new(FORMS);
    for (name, _) in FORMS {
        let (code, report) = p.verify(name, &json!({}));
        assert_eq!(code, 1, "{name}: {report}");
        assert_eq!(report["verdict"], "failed", "{name}: {report}");
        let decls = report["declarations"].as_array().unwrap();
        assert!(
            decls.iter().any(|d| d["status"] == "sorry"),
            "{name}: the sorry is in a declaration theorist found: {report}"
        );
    }
    let (code, outcomes) = p.ci(&json!({}));
    assert_eq!(code, 1);
    for (name, _) in FORMS {
        let file = format!("Demo/{name}.lean");
        assert!(
            outcomes.contains(&(file.clone(), "failed".to_string())),
            "{file}: {outcomes:?}"
        );
    }
    assert!(outcomes.contains(&("Demo.lean".to_string(), "passed".to_string())));
}

/// A project's own macro declares a theorem theorist cannot read; Lean's `sorry` warning
/// then falls outside every declaration found, and still fails the file, in both commands.
#[test]
fn a_sorry_outside_every_declaration_found_fails() {
    let p = Project::new(&[(
        "Macro",
        "macro \"my_theorem\" : command => `(theorem t : True := trivial)\nmy_theorem hidden : True := sorry\n",
    )]);
    for version in ["4.22.0", "4.33.0"] {
        let scenario = json!({"lean_version": version});
        let (code, report) = p.verify("Macro", &scenario);
        assert_eq!(code, 1, "{report}");
        assert_eq!(report["verdict"], "failed");
        assert!(
            report["file_messages"][0]["data"]
                .as_str()
                .unwrap()
                .starts_with("declaration uses"),
            "{report}"
        );
        assert_eq!(report["unknown_commands"][0]["word"], "my_theorem");
        let (code, outcomes) = p.ci(&scenario);
        assert_eq!(code, 1);
        assert!(outcomes.contains(&("Demo/Macro.lean".into(), "failed".into())));
    }
}

/// Lean hides the `sorry` (no warning, no `sorryAx`), but the source has one: both commands
/// fail the declaration; they used to disagree.
#[test]
fn a_sorry_lean_does_not_report_still_fails_in_both() {
    let p = Project::new(&[(
        "Hidden",
        "theorem h : True := by\n  first | trivial | sorry\n",
    )]);
    let scenario = json!({"quiet_sorry": ["h"], "axioms": {"h": []},
        "tactics": [{"script": "first | trivial | sorry", "goals": []}]});
    let (code, report) = p.verify("Hidden", &scenario);
    assert_eq!((code, report["verdict"].as_str()), (1, Some("failed")));
    let (code, outcomes) = p.ci(&scenario);
    assert_eq!(code, 1);
    assert!(outcomes.contains(&("Demo/Hidden.lean".into(), "failed".into())));
}

/// A `lake` that exits 0 without running Lean must not pass an imports-only file, nor any
/// other: Lean never said it reached the end of the file.
#[test]
fn a_silent_lake_passes_nothing() {
    let p = Project::new(&[
        ("Imports", "import Demo.Clean\n"),
        ("Clean", "theorem clean : True := trivial\n"),
    ]);
    let silent = json!({"batch": {"behaviour": "silent"}});
    for name in ["Imports", "Clean"] {
        let (code, report) = p.verify(name, &silent);
        assert_eq!(code, 1, "{name}: {report}");
        assert_eq!(report["verdict"], "not_checked", "{name}: {report}");
        assert!(
            report["not_checked_reasons"][0]
                .as_str()
                .unwrap()
                .contains("end of the file"),
            "{report}"
        );
    }
    let (code, outcomes) = p.ci(&silent);
    assert_eq!(code, 1);
    assert!(
        outcomes.iter().all(|(_, o)| o == "not_checked"),
        "{outcomes:?}"
    );
    // A Lean that does answer passes both.
    let (code, report) = p.verify("Imports", &json!({}));
    assert_eq!((code, report["verdict"].as_str()), (0, Some("passed")));
    let (code, _) = p.ci(&json!({}));
    assert_eq!(code, 0);
}

/// Output Lean's future versions might print: an `ERROR` severity, an unknown one, a JSON
/// object that is not a message. None of them may be dropped.
#[test]
fn messages_of_unknown_severity_fail() {
    let p = Project::new(&[("Clean", "theorem clean : True := trivial\n")]);
    for line in [
        r#"{"caption":"","data":"boom","fileName":"x","pos":{"column":0,"line":1},"severity":"ERROR"}"#,
        r#"{"caption":"","data":"odd","fileName":"x","pos":{"column":0,"line":1},"severity":"fatal"}"#,
        r#"{"message":"declaration uses sorry","position":{"l":1}}"#,
    ] {
        let scenario = json!({"batch": {"extra_lines": [line]}});
        let (code, report) = p.verify("Clean", &scenario);
        assert_eq!(
            (code, report["verdict"].as_str()),
            (1, Some("failed")),
            "{line}: {report}"
        );
        let (code, outcomes) = p.ci(&scenario);
        assert_eq!(code, 1, "{line}");
        assert!(outcomes.contains(&("Demo/Clean.lean".into(), "failed".into())));
    }
}

/// `#exit` stops Lean: the `#print axioms` questions after it get no answer.
#[test]
fn exit_in_the_middle_is_not_checked() {
    let p = Project::new(&[(
        "Exit",
        "theorem a : True := trivial\n#exit\ntheorem b : 1 = 2 := sorry\n",
    )]);
    let (code, report) = p.verify("Exit", &json!({}));
    assert_eq!(code, 1);
    // `b`'s sorry is in the source, so it fails; without it the file would be unconfirmed.
    assert_eq!(report["verdict"], "failed");
    let p = Project::new(&[("Exit", "theorem a : True := trivial\n#exit\n")]);
    let (code, report) = p.verify("Exit", &json!({}));
    assert_eq!((code, report["verdict"].as_str()), (1, Some("not_checked")));
}

/// PhysLean-style anonymous instances are asked about through a name written into the copy
/// of the file: they pass, with their axioms, instead of being reported unchecked; names
/// written `«x»` are asked for once quoted.
#[test]
fn anonymous_instances_and_quoted_names_pass() {
    let p = Project::new(&[(
        "Instances",
        "namespace Demo\n\nstructure Charge where\n  q : Int\n\ninstance : Inhabited Charge := ⟨⟨0⟩⟩\n\ninstance (priority := 100) : ToString Charge where\n  toString c := toString c.q\n\ntheorem «quoted» : True := trivial\n\ntheorem «two words» : True := trivial\n\nend Demo\n",
    )]);
    for version in ["4.22.0", "4.33.0"] {
        let scenario = json!({"lean_version": version});
        let (code, report) = p.verify("Instances", &scenario);
        assert_eq!(
            (code, report["verdict"].as_str()),
            (0, Some("passed")),
            "{report}"
        );
        let names: Vec<&str> = report["declarations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Demo.Charge",
                "instance@6",
                "instance@8",
                "Demo.quoted",
                "Demo.«two words»"
            ]
        );
        assert!(
            report["declarations"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["status"] == "ok" && d["axioms"].is_array()),
            "{report}"
        );
        let (code, outcomes) = p.ci(&scenario);
        assert_eq!(code, 0, "{outcomes:?}");
    }
    // An anonymous instance's own sorry fails it, at the user's columns.
    let p = Project::new(&[("Bad", "instance : Inhabited Nat := ⟨sorry⟩\n")]);
    let (code, report) = p.verify("Bad", &json!({}));
    assert_eq!(code, 1);
    let d = &report["declarations"][0];
    assert_eq!(d["name"], "instance@1");
    assert_eq!(d["status"], "sorry");
    assert_eq!(d["warnings"][0]["pos"], json!({"line": 1, "column": 0}));
}

/// `FILE:name` where two namespaces define `name` lists both.
#[test]
fn an_ambiguous_name_lists_every_candidate() {
    let p = Project::new(&[(
        "Twice",
        "namespace A\ntheorem cubic : True := trivial\nend A\nnamespace B\ntheorem cubic : True := trivial\nend B\n",
    )]);
    let out = p
        .theorist(&json!({}))
        .arg("verify")
        .arg(format!("{}:cubic", p.file("Twice").display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`cubic` is ambiguous: it names A.cubic, B.cubic"),
        "{err}"
    );
    let out = p
        .theorist(&json!({}))
        .args(["numerics", "check"])
        .arg(format!("{}:cubic", p.file("Twice").display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("it names A.cubic, B.cubic"), "{err}");
}

/// A file that refers to an anonymous instance by the name Lean generates for it: naming the
/// instance in the copy would break the reference, so the file is checked again as it is and
/// only that instance stays unconfirmed — no false error, no false pass.
#[test]
fn a_reference_to_a_generated_instance_name_is_not_broken() {
    let p = Project::new(&[(
        "Generated",
        "namespace Demo\nstructure Charge where\n  q : Int\ninstance : Inhabited Charge := ⟨⟨0⟩⟩\ntheorem uses : (@instInhabitedCharge).default = ⟨0⟩ := rfl\nend Demo\n",
    )]);
    let (code, report) = p.verify("Generated", &json!({}));
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["verdict"], "not_checked", "{report}");
    let decls = report["declarations"].as_array().unwrap();
    let status = |name: &str| {
        decls
            .iter()
            .find(|d| d["name"] == name)
            .unwrap_or_else(|| panic!("{name}: {report}"))
    };
    assert_eq!(status("Demo.uses")["status"], "ok", "{report}");
    assert!(status("Demo.uses")["errors"].as_array().unwrap().is_empty());
    assert_eq!(status("instance@4")["status"], "not_checked");
    assert!(
        status("instance@4")["not_checked"]
            .as_str()
            .unwrap()
            .contains("name Lean generates")
    );
    let (_, outcomes) = p.ci(&json!({}));
    assert!(outcomes.contains(&("Demo/Generated.lean".into(), "not_checked".into())));
}
