//! `theorist mcp` end to end over stdio: the real binary, with the scripted Lean peer as
//! `lake`. Every tool is called, and its JSON is compared with what `theorist --json` prints
//! for the same input; bad arguments, a Lean that crashes mid-call, no toolchain at all, and
//! cancellation are answered without ending the server.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod support;
use support::stand_in;

/// Only a guard against a hung server: a call normally answers in seconds, but machines
/// running this suite are shared and can be very loaded.
const ANSWER_WITHIN: Duration = Duration::from_secs(600);

const PROVE_FILE: &str = "import Mathlib.Tactic

namespace Demo

theorem amgm (x y : ℝ) : 2 * x * y ≤ x ^ 2 + y ^ 2 := by
  sorry

end Demo
";

/// A private copy of the fixture project (with a file to prove in), so parallel tests never
/// see each other's files.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
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
        std::fs::write(root.join("Demo/Prove.lean"), PROVE_FILE).unwrap();
        // Suggestions may name only library lemmas the project's sources declare.
        stand_in::stand_in_mathlib(&root);
        Project { dir }
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("lean-project")
    }

    fn file(&self, name: &str) -> String {
        self.root()
            .join("Demo")
            .join(name)
            .to_string_lossy()
            .into_owned()
    }

    fn scenario(&self, scenario: &Value) -> PathBuf {
        let path = self.dir.path().join("scenario.json");
        std::fs::write(&path, scenario.to_string()).unwrap();
        path
    }
}

/// How the server and the CLI find Lean.
#[derive(Clone)]
enum Lean {
    Peer(PathBuf),
    Nowhere,
}

fn environment(cmd: &mut Command, lean: &Lean) {
    cmd.env_remove("THEORIST_LOG")
        .env_remove("THEORIST_MODEL_WEIGHTS");
    match lean {
        Lean::Peer(scenario) => {
            cmd.env(
                "THEORIST_CACHE_DIR",
                scenario.parent().unwrap().join("cache"),
            )
            .env("THEORIST_LAKE", support::peer())
            .env("THEORIST_PEER_SCENARIO", scenario)
            // The default sandbox runs the peer: pass the scenario's variable, show its
            // folder.
            .env("THEORIST_SANDBOX_ENV", "THEORIST_PEER_SCENARIO")
            .env("THEORIST_SANDBOX_RO", scenario.parent().unwrap());
        }
        Lean::Nowhere => {
            cmd.env_remove("THEORIST_LAKE")
                .env("HOME", "/nonexistent-home")
                .env("PATH", "/nonexistent-bin");
        }
    }
}

/// `theorist --json ARGS` with the same Lean: its stdout as JSON, and its exit code.
fn cli(lean: &Lean, args: &[&str]) -> (Value, i32) {
    let mut cmd = support::theorist_process();
    environment(&mut cmd, lean);
    let out = cmd.arg("--json").args(args).output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

/// A running `theorist mcp` and the messages it wrote.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Server {
    fn start(root: &Path, lean: &Lean) -> Server {
        Server::start_with(root, lean, &[], &[])
    }

    /// With global options before `mcp` and further environment variables.
    fn start_with(root: &Path, lean: &Lean, global: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = support::theorist_process();
        environment(&mut cmd, lean);
        cmd.envs(env.iter().copied());
        let mut child = cmd
            .args(global)
            .args(["mcp", "--root"])
            .arg(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let line = line.unwrap();
                let message: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("stdout carries only JSON-RPC: {e}: {line}"));
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Server {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// Sends a request and returns its id.
    fn request(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The answer to request `id` (answers to other requests may come first; they are kept
    /// out of the way, as a client would).
    fn answer(&mut self, id: u64) -> Value {
        let deadline = Instant::now() + ANSWER_WITHIN;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) if m["id"] == id => return m,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => panic!("no answer to request {id}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server ended"),
            }
        }
    }

    fn ask(&mut self, method: &str, params: Value) -> Value {
        let id = self.request(method, params);
        self.answer(id)
    }

    /// A `tools/call` result (a JSON-RPC error fails the test).
    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let answer = self.ask("tools/call", json!({"name": tool, "arguments": arguments}));
        assert!(answer.get("error").is_none(), "{answer}");
        answer["result"].clone()
    }

    fn initialize(&mut self) -> Value {
        let answer = self.ask(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "theorist-tests", "version": "0"}
            }),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        answer
    }

    /// The next message, whatever it answers.
    fn next_message(&mut self) -> Value {
        self.messages
            .recv_timeout(ANSWER_WITHIN)
            .expect("a message from the server")
    }

    /// Closes stdin and returns every message still written, once the server has ended.
    fn finish(mut self) -> Vec<Value> {
        drop(self.stdin.take());
        let mut rest = Vec::new();
        let deadline = Instant::now() + ANSWER_WITHIN;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(m) => rest.push(m),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("the server did not end"),
            }
        }
        let status = self.child.wait().unwrap();
        assert!(status.success(), "theorist mcp exited with {status}");
        rest
    }
}

/// A tool's JSON, as the structured content and as its first text block (the same).
fn document(result: &Value) -> Value {
    assert_eq!(result["isError"], false, "{result}");
    let text: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, result["structuredContent"]);
    text
}

/// The text of a tool error.
fn error_text(result: &Value) -> String {
    assert_eq!(result["isError"], true, "{result}");
    result["content"][0]["text"].as_str().unwrap().to_string()
}

/// Drops wall-clock figures, which differ between two runs of the same check.
fn timeless(mut v: Value) -> Value {
    match &mut v {
        Value::Object(m) => {
            m.remove("elapsed_ms");
            m.remove("ms");
            for x in m.values_mut() {
                *x = timeless(x.take());
            }
        }
        Value::Array(l) => {
            for x in l.iter_mut() {
                *x = timeless(x.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn initialize_tools_list_ping_and_discover() {
    let p = Project::new();
    let lean = Lean::Peer(p.scenario(&json!({})));
    let mut s = Server::start(&p.root(), &lean);
    let init = s.initialize();
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(init["result"]["serverInfo"]["name"], "theorist");
    assert!(init["result"]["capabilities"]["tools"].is_object());
    assert!(
        init["result"].get("resultType").is_none(),
        "legacy results are as they were"
    );
    let list = s.ask("tools/list", json!({}));
    let names: Vec<&str> = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "verify",
            "goals",
            "numerics_eval",
            "numerics_check",
            "numerics_recheck",
            "blueprint_roadmap",
            "blueprint_check",
            "suggest",
            "prove"
        ]
    );
    for tool in list["result"]["tools"].as_array().unwrap() {
        assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
        assert!(tool["description"].as_str().unwrap().len() > 40);
    }
    let prove = &list["result"]["tools"][8];
    assert_eq!(
        prove["inputSchema"]["properties"]["write"]["default"],
        false
    );
    assert_eq!(prove["annotations"]["readOnlyHint"], false);
    assert_eq!(s.ask("ping", json!({}))["result"], json!({}));
    // The stateless revision: discover, then requests that carry their version.
    let discover = s.ask(
        "server/discover",
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                         "io.modelcontextprotocol/clientCapabilities": {}}}),
    );
    let versions = &discover["result"]["supportedVersions"];
    assert!(versions.as_array().unwrap().contains(&json!("2026-07-28")));
    assert!(versions.as_array().unwrap().contains(&json!("2025-11-25")));
    assert_eq!(discover["result"]["resultType"], "complete");
    let modern = json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                                  "io.modelcontextprotocol/clientCapabilities": {}}});
    let list = s.ask("tools/list", modern);
    assert_eq!(list["result"]["resultType"], "complete");
    assert_eq!(list["result"]["tools"].as_array().unwrap().len(), 9);
    let old = s.ask(
        "tools/list",
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "1900-01-01"}}),
    );
    assert_eq!(old["error"]["code"], -32022);
    assert_eq!(old["error"]["data"]["requested"], "1900-01-01");
    // Not MCP at all, or not served: JSON-RPC errors, and the server goes on.
    s.send(&json!("not a message"));
    assert_eq!(s.next_message()["error"]["code"], -32600);
    s.stdin.as_mut().unwrap().write_all(b"{oops\n").unwrap();
    assert_eq!(s.next_message()["error"]["code"], -32700);
    assert_eq!(s.ask("resources/list", json!({}))["error"]["code"], -32601);
    s.finish();
}

#[test]
fn every_tool_answers_with_the_clis_json() {
    let p = Project::new();
    let scenario = json!({
        "unknown_identifiers": ["tru"],
        "strict_tactics": true,
        "tactics": [
            {"script": "positivity", "goals": []},
            {"script": "nlinarith [sq_nonneg (x - y)]", "goals": []}
        ]
    });
    let lean = Lean::Peer(p.scenario(&scenario));
    let mut s = Server::start(&p.root(), &lean);
    s.initialize();
    let basic = p.file("Basic.lean");
    let higgs = std::path::absolute("tests/fixtures/numerics/Higgs.lean").unwrap();
    let higgs = higgs.to_str().unwrap();
    let library = std::path::absolute(".").unwrap();
    let library = library.to_str().unwrap();
    let prove_file = p.file("Prove.lean");
    let before = std::fs::read_to_string(&prove_file).unwrap();
    // A certificate to re-check, written by the CLI.
    let cert = p.root().join("strictly_positive.cert.json");
    let cert = cert.to_str().unwrap().to_string();
    let (_, code) = cli(
        &lean,
        &[
            "numerics",
            "check",
            &format!("{higgs}:strictly_positive"),
            "--no-algebraic",
            "--cert-out",
            &cert,
        ],
    );
    assert_eq!(code, 5, "proved on the box, with a certificate");
    let plot = p.root().join("plot.svg").to_string_lossy().into_owned();

    // (tool, arguments, the same in CLI words, the CLI's exit code)
    let cases: Vec<(&str, Value, Vec<String>, i32)> = vec![
        (
            "verify",
            json!({"file": "Demo/Basic.lean"}),
            vec!["verify".into(), basic.clone()],
            1,
        ),
        (
            "verify",
            json!({"file": basic, "declaration": "sq_nonneg'", "goals": false}),
            vec![
                "verify".into(),
                format!("{basic}:sq_nonneg'"),
                "--no-goals".into(),
            ],
            0,
        ),
        (
            "goals",
            json!({"file": basic, "line": 13, "column": 2}),
            vec!["goals".into(), format!("{basic}:13:2")],
            0,
        ),
        (
            "numerics_eval",
            json!({"expression": "Real.sqrt x * Real.pi", "params": {"x": "2"}, "precision": 200}),
            vec![
                "numerics".into(),
                "eval".into(),
                "Real.sqrt x * Real.pi".into(),
                "--param".into(),
                "x=2".into(),
                "--prec".into(),
                "200".into(),
            ],
            0,
        ),
        (
            "numerics_check",
            json!({"file": higgs, "declaration": "bounded_below_no_hyp"}),
            vec![
                "numerics".into(),
                "check".into(),
                format!("{higgs}:bounded_below_no_hyp"),
            ],
            1,
        ),
        (
            "numerics_check",
            json!({"file": higgs, "declaration": "strictly_positive", "algebraic": false}),
            vec![
                "numerics".into(),
                "check".into(),
                format!("{higgs}:strictly_positive"),
                "--no-algebraic".into(),
            ],
            // x ranges beyond the box searched: proved on the box only.
            5,
        ),
        (
            "numerics_recheck",
            json!({"certificate": cert}),
            vec!["numerics".into(), "recheck".into(), cert.clone()],
            0,
        ),
        (
            "numerics_check",
            json!({"file": higgs, "declaration": "bounded_below_no_hyp", "plot_path": plot, "plot_at": {"μSq": "2", "𝓵": "1/2"}}),
            vec![
                "numerics".into(),
                "check".into(),
                format!("{higgs}:bounded_below_no_hyp"),
                "--plot".into(),
                plot.clone(),
                "--at".into(),
                "μSq=2,𝓵=1/2".into(),
            ],
            1,
        ),
        (
            "numerics_eval",
            json!({"expression": "x ^ 2 - 2", "box": {"x": "[0, 2]"}, "plot_path": plot}),
            vec![
                "numerics".into(),
                "eval".into(),
                "x ^ 2 - 2".into(),
                "--box".into(),
                "x=[0, 2]".into(),
                "--plot".into(),
                plot.clone(),
            ],
            0,
        ),
        (
            "blueprint_roadmap",
            json!({"dir": library}),
            vec!["blueprint".into(), "roadmap".into(), library.into()],
            0,
        ),
        (
            "blueprint_check",
            json!({"dir": library, "lean": false}),
            vec![
                "blueprint".into(),
                "check".into(),
                library.into(),
                "--no-lean".into(),
            ],
            0,
        ),
        (
            "suggest",
            json!({"goal": "x y : ℝ\n⊢ 2 * x * y ≤ x ^ 2 + y ^ 2", "top": 3, "baseline": true}),
            vec![
                "suggest".into(),
                "--goal".into(),
                "x y : ℝ\\n⊢ 2 * x * y ≤ x ^ 2 + y ^ 2".into(),
                "--top".into(),
                "3".into(),
                "--baseline".into(),
                // The server lends a goal given as text its project's names.
                "--project".into(),
                p.root().to_string_lossy().into_owned(),
            ],
            0,
        ),
        (
            "suggest",
            json!({"file": prove_file, "line": 6, "column": 2, "top": 2, "baseline": true}),
            vec![
                "suggest".into(),
                format!("{prove_file}:6:2"),
                "--top".into(),
                "2".into(),
                "--baseline".into(),
            ],
            0,
        ),
        (
            "prove",
            json!({"file": prove_file, "declaration": "amgm", "baseline": true, "attempt_timeout_secs": 30}),
            vec![
                "prove".into(),
                format!("{prove_file}:amgm"),
                "--baseline".into(),
                "--attempt-timeout".into(),
                "30".into(),
            ],
            0,
        ),
    ];
    for (tool, arguments, words, code) in cases {
        let from_mcp = document(&s.call(tool, arguments.clone()));
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let (from_cli, cli_code) = cli(&lean, &words);
        assert_eq!(cli_code, code, "theorist {words:?}: {from_cli}");
        assert_eq!(
            timeless(from_mcp),
            timeless(from_cli),
            "{tool} {arguments} and theorist --json {words:?} differ"
        );
    }
    // The plots were drawn (the last, the expression's, is what the file holds now).
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg ") && svg.contains("x ^ 2 - 2"));
    // The verdicts themselves, as a check on the comparison.
    let v = document(&s.call("verify", json!({"file": basic})));
    assert_eq!(v["passed"], false);
    let p2 = document(&s.call(
        "prove",
        json!({"file": prove_file, "declaration": "amgm", "baseline": true}),
    ));
    assert_eq!(p2["status"], "proved", "{p2}");
    assert_eq!(p2["written"], false);
    assert_eq!(
        std::fs::read_to_string(&prove_file).unwrap(),
        before,
        "prove never writes unless asked"
    );
    let written = document(&s.call(
        "prove",
        json!({"file": prove_file, "declaration": "amgm", "baseline": true, "write": true}),
    ));
    assert_eq!(written["written"], true);
    assert!(
        std::fs::read_to_string(&prove_file)
            .unwrap()
            .contains("nlinarith [sq_nonneg (x - y)]")
    );
    s.finish();
}

#[test]
fn bad_arguments_are_tool_errors_that_name_the_argument() {
    let p = Project::new();
    let lean = Lean::Peer(p.scenario(&json!({})));
    let mut s = Server::start(&p.root(), &lean);
    s.initialize();
    let text = error_text(&s.call("verify", json!({})));
    assert!(text.contains("argument `file` is required"), "{text}");
    let text = error_text(&s.call("verify", json!({"file": "Demo/Basic.lean", "timeout": 5})));
    assert!(text.contains("unknown argument `timeout`"), "{text}");
    let text = error_text(&s.call(
        "goals",
        json!({"file": "Demo/Basic.lean", "line": "13", "column": 2}),
    ));
    assert!(
        text.contains("argument `line` must be a non-negative integer"),
        "{text}"
    );
    let text = error_text(&s.call(
        "numerics_eval",
        json!({"expression": "1 + 1", "precision": 10}),
    ));
    assert!(
        text.contains("argument `precision` is 10, outside 53..=65536"),
        "{text}"
    );
    let text = error_text(&s.call("suggest", json!({"file": "Demo/Basic.lean", "line": 13})));
    assert!(text.contains("`file`, `line` and `column`"), "{text}");
    // Input the engine refuses: the CLI's message for the same input.
    let text = error_text(&s.call("verify", json!({"file": "Demo/Missing.lean"})));
    assert!(text.contains("Missing.lean: no such file"), "{text}");
    let text = error_text(&s.call(
        "verify",
        json!({"file": "Demo/Basic.lean", "declaration": "nope"}),
    ));
    assert!(text.contains("no declaration named `nope`"), "{text}");
    let text = error_text(&s.call("numerics_eval", json!({"expression": "1 +* 2"})));
    assert!(text.contains("cannot read the expression"), "{text}");
    // An unknown tool or a call without a name is a JSON-RPC error.
    let answer = s.ask("tools/call", json!({"name": "verfiy", "arguments": {}}));
    assert_eq!(answer["error"]["code"], -32602);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no tool `verfiy`")
    );
    assert_eq!(s.ask("tools/call", json!({}))["error"]["code"], -32602);
    s.finish();
}

#[test]
fn a_lean_that_crashes_mid_call_is_an_error_and_the_server_goes_on() {
    let p = Project::new();
    // The peer reads its scenario at every start, so the test changes Lean's behaviour
    // between calls of one server.
    let crashing = json!({"server": {"behaviour": "exit"}, "batch": {"behaviour": "crash"}});
    let lean = Lean::Peer(p.scenario(&crashing));
    let mut s = Server::start(&p.root(), &lean);
    s.initialize();
    let goals = json!({"file": "Demo/Basic.lean", "line": 13, "column": 2});
    // The language server exits while the file elaborates (and again after the restart).
    let text = error_text(&s.call("goals", goals.clone()));
    assert!(text.contains("the Lean server exited"), "{text}");
    assert_eq!(s.ask("ping", json!({}))["result"], json!({}));
    // Batch mode crashes: a verdict that is not a pass, and not an error either.
    let v = document(&s.call("verify", json!({"file": "Demo/Basic.lean", "goals": false})));
    assert_eq!(v["passed"], false);
    assert_eq!(v["verdict"], "crashed", "{v}");
    // Nothing Lean did not confirm is ok: unconfirmed, or failed by the `sorry` in the source.
    let statuses: Vec<&Value> = v["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["status"])
        .collect();
    assert!(
        statuses
            .iter()
            .all(|s| *s == "not_checked" || *s == "sorry"),
        "{statuses:?}"
    );
    // Lean behaves again: the same call now answers.
    p.scenario(&json!({}));
    let answer = document(&s.call("goals", goals));
    assert!(
        answer["goals"][0]
            .as_str()
            .unwrap()
            .contains("⊢ -μSq ^ 2 / (4 * 𝓵)")
    );
    // A crash the driver recovers from (one restart) is not even an error.
    // In the project's `.lake/`: the one folder the sandboxed peer may write.
    let marker = p.root().join(".lake").join("crashed-once");
    p.scenario(&json!({"server": {"behaviour": "exit", "once_marker": marker}}));
    let answer = document(&s.call(
        "goals",
        json!({"file": "Demo/Basic.lean", "line": 13, "column": 2}),
    ));
    assert!(marker.exists(), "the first server did exit");
    assert!(answer["goals"][0].is_string());
    s.finish();
}

#[test]
fn no_toolchain_is_a_tool_error_with_the_clis_message_never_a_pass() {
    let p = Project::new();
    let mut s = Server::start(&p.root(), &Lean::Nowhere);
    s.initialize();
    let basic = p.file("Basic.lean");
    for (tool, arguments, words) in [
        (
            "verify",
            json!({"file": basic}),
            vec!["verify".to_string(), basic.clone()],
        ),
        (
            "goals",
            json!({"file": basic, "line": 13, "column": 2}),
            vec!["goals".to_string(), format!("{basic}:13:2")],
        ),
        (
            "prove",
            json!({"file": basic, "declaration": "bounded_below", "baseline": true}),
            vec![
                "prove".to_string(),
                format!("{basic}:bounded_below"),
                "--baseline".into(),
            ],
        ),
    ] {
        let result = s.call(tool, arguments);
        let text = error_text(&result);
        assert!(
            text.starts_with("no Lean toolchain found, so nothing was checked."),
            "{text}"
        );
        assert!(
            text.contains("/nonexistent-home/.elan/bin/lake (not found)"),
            "{text}"
        );
        assert!(text.contains("elan-init.sh"), "{text}");
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let (from_cli, code) = cli(&Lean::Nowhere, &words);
        assert_eq!(code, 3);
        assert_eq!(result["structuredContent"], from_cli);
        assert_eq!(from_cli["checked"], false);
    }
    // The plain CLI prints the same message.
    let mut cmd = support::theorist_process();
    environment(&mut cmd, &Lean::Nowhere);
    let out = cmd.args(["verify", &basic]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let text = error_text(&s.call("verify", json!({"file": basic})));
    assert_eq!(stderr.trim_end(), format!("theorist: {text}"));
    // Tools that need no Lean still work.
    document(&s.call("numerics_eval", json!({"expression": "2 + 2"})));
    s.finish();
}

#[test]
fn a_cancelled_call_gets_no_answer_and_the_rest_do() {
    let p = Project::new();
    let lean = Lean::Peer(p.scenario(&json!({"server": {"behaviour": "hang"}})));
    let mut s = Server::start(&p.root(), &lean);
    s.initialize();
    let hanging = s.request(
        "tools/call",
        json!({"name": "goals", "arguments": {"file": "Demo/Basic.lean", "line": 13, "column": 2}}),
    );
    // Calls run concurrently: this one answers while the first hangs.
    document(&s.call("numerics_eval", json!({"expression": "Real.pi"})));
    s.send(
        &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                   "params": {"requestId": hanging, "reason": "the user gave up"}}),
    );
    assert_eq!(s.ask("ping", json!({}))["result"], json!({}));
    // The call's timeout bounds every wait on Lean, as the CLI's --timeout does.
    let text = error_text(&s.call(
        "goals",
        json!({"file": "Demo/Basic.lean", "line": 13, "column": 2, "timeout_secs": 1}),
    ));
    assert!(text.contains("did not answer"), "{text}");
    let rest = s.finish();
    assert!(
        rest.iter().all(|m| m["id"] != hanging),
        "a cancelled call is not answered: {rest:?}"
    );
}

/// The server runs Lean as the CLI does: in the sandbox its global options ask for, with what
/// the CLI warns about on stderr as notes of the result.
#[test]
fn the_sandbox_options_reach_the_server_and_its_warnings_come_back() {
    let p = Project::new();
    let lean = Lean::Peer(p.scenario(&json!({})));
    // No bubblewrap on PATH: by default Lean runs unconfined, and the result says so.
    let no_bwrap = [("PATH", "/nonexistent-bin")];
    let args = json!({"file": "Demo/Basic.lean", "goals": false});
    let notes = |result: &Value| -> Vec<String> {
        result["content"].as_array().unwrap()[1..]
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_string())
            .collect()
    };
    let mut s = Server::start_with(&p.root(), &lean, &[], &no_bwrap);
    s.initialize();
    let result = s.call("verify", args.clone());
    assert_eq!(document(&result)["verdict"], "failed");
    assert!(
        notes(&result).iter().any(|n| {
            n.starts_with("note: warning: Lean runs WITHOUT a sandbox")
                && n.contains("bubblewrap (`bwrap`) is not on PATH")
        }),
        "{result}"
    );
    s.finish();
    // --sandbox: refused, a tool error that says why, never a verdict.
    let mut s = Server::start_with(&p.root(), &lean, &["--sandbox"], &no_bwrap);
    s.initialize();
    let text = error_text(&s.call("verify", args.clone()));
    assert!(
        text.contains("bubblewrap (`bwrap`) is not on PATH"),
        "{text}"
    );
    s.finish();
    // --no-sandbox: unconfined on purpose, no warning.
    let mut s = Server::start_with(&p.root(), &lean, &["--no-sandbox"], &no_bwrap);
    s.initialize();
    let result = s.call("verify", args);
    document(&result);
    assert_eq!(notes(&result), Vec::<String>::new());
    s.finish();
}
