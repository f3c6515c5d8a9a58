//! The fuzz targets: each takes arbitrary bytes through one of theorist's readers of
//! untrusted text, checks invariants that hold for every input (a violation is a panic, so a
//! finding), and returns a coarse shape of the result for corpus feedback (see
//! [`crate::mutate`]).
//!
//! - `leansrc`: the Lean source scanner (`theorist_leansrc::parse`, comment masking, name
//!   look-ups, positions);
//! - `blueprint`: the LaTeX reader on a `content.tex` (macros, `\input`, environments), then
//!   the graphs, roadmap, JSON, DOT and SVG layout that `blueprint graph` and `ci` build on it;
//! - `numerics`: the numerics front end (expression and proposition parsers, and the Lean
//!   statement translator);
//! - `jsonrpc`: the LSP framing (`Content-Length` frames read from the bytes, each re-encoded
//!   and read back) and a JSON-RPC connection fed the bytes as Lean's stdout, with a request
//!   pending.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// One target, ready to run inputs.
pub trait Target {
    /// Runs one input; panics on a bug; returns the shape of what it made of the input.
    fn run(&mut self, input: &[u8]) -> u64;
}

/// What the harness knows about a target.
pub struct Spec {
    pub name: &'static str,
    /// Tokens the mutator inserts.
    pub dictionary: &'static [&'static str],
    /// Folders of this repository with real inputs, used as extra seeds when present.
    pub repo_seeds: &'static [&'static str],
    /// File extensions of those seeds.
    pub extensions: &'static [&'static str],
    pub make: fn() -> Box<dyn Target>,
    /// Listed by `theorist-fuzz list` (the self-test targets are not).
    pub listed: bool,
}

pub const SPECS: &[Spec] = &[
    Spec {
        name: "leansrc",
        dictionary: LEAN_WORDS,
        repo_seeds: &["lean", "tests/fixtures"],
        extensions: &["lean"],
        make: || Box::new(LeanSrc),
        listed: true,
    },
    Spec {
        name: "blueprint",
        dictionary: LATEX_WORDS,
        repo_seeds: &["blueprints", "tests/fixtures/blueprint-broken"],
        extensions: &["tex"],
        make: || Box::new(BlueprintTarget::new()),
        listed: true,
    },
    Spec {
        name: "numerics",
        dictionary: NUMERICS_WORDS,
        repo_seeds: &["lean/Theorist", "tests/fixtures/numerics"],
        extensions: &["lean"],
        make: || Box::new(Numerics),
        listed: true,
    },
    Spec {
        name: "jsonrpc",
        dictionary: JSONRPC_WORDS,
        repo_seeds: &["tests/peer/transcripts"],
        extensions: &["txt"],
        make: || Box::new(JsonRpc::new()),
        listed: true,
    },
    // The harness's own tests: a target that panics, one that hangs, one that aborts.
    Spec {
        name: "selftest-panic",
        dictionary: &[],
        repo_seeds: &[],
        extensions: &[],
        make: || Box::new(SelfTest::Panic),
        listed: false,
    },
    Spec {
        name: "selftest-hang",
        dictionary: &[],
        repo_seeds: &[],
        extensions: &[],
        make: || Box::new(SelfTest::Hang),
        listed: false,
    },
    Spec {
        name: "selftest-abort",
        dictionary: &[],
        repo_seeds: &[],
        extensions: &[],
        make: || Box::new(SelfTest::Abort),
        listed: false,
    },
];

pub fn spec(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.name == name)
}

fn shape(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// The variant of an error, for shapes: its `Debug` text up to the first `(`/`{`/space (so
/// the data inside does not make every input a new shape).
fn variant(e: &impl std::fmt::Debug) -> String {
    format!("{e:?}")
        .split(['(', '{', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The first word of a message, for shapes.
fn first_word(message: &str) -> String {
    message
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect()
}

/// A count in buckets (0, 1, 2, 3-4, 5-8, …), so shapes do not multiply without end.
fn bucket(n: usize) -> u32 {
    usize::BITS - n.leading_zeros()
}

const LEAN_WORDS: &[&str] = &[
    "theorem ",
    "lemma ",
    "def ",
    "example ",
    "instance ",
    "abbrev ",
    "axiom ",
    "structure ",
    "class ",
    "inductive ",
    "namespace ",
    "end ",
    "section ",
    "open ",
    " in\n",
    "variable ",
    "noncomputable ",
    "private ",
    "protected ",
    "@[simp] ",
    "@[sorryful]\n",
    "/-- doc -/ ",
    "/-",
    "-/",
    "--",
    "\"",
    "'",
    ":=",
    " by\n  ",
    "sorry",
    "admit",
    "where\n",
    "| ",
    "«",
    "»",
    "set_option maxHeartbeats 0 in\n",
    "irreducible_def ",
    "import ",
    "#print axioms ",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "⟨",
    "⟩",
    ":",
    ".",
    "x",
    "Foo.bar",
    "_",
    "\n\n",
    "  ",
    "mutual\n",
    "termination_by ",
    "decreasing_by ",
    "deriving ",
    "macro ",
    "syntax ",
    "notation ",
    "s!\"{",
    "r#\"",
    "\"#",
    "'\\''",
];

const LATEX_WORDS: &[&str] = &[
    "\\begin{theorem}",
    "\\end{theorem}",
    "\\begin{lemma}",
    "\\end{lemma}",
    "\\begin{proof}",
    "\\end{proof}",
    "\\begin{definition}",
    "\\end{definition}",
    "\\label{",
    "\\uses{",
    "\\lean{",
    "\\leanok",
    "\\mathlibok",
    "\\notready",
    "\\proves{",
    "\\chapter{",
    "\\section{",
    "\\input{",
    "\\include{",
    "\\newcommand{",
    "\\renewcommand",
    "\\def",
    "\\let",
    "\\edef",
    "\\newenvironment{",
    "\\providecommand",
    "\\expandafter",
    "\\csname",
    "\\endcsname",
    "#1",
    "#2",
    "[1]",
    "[2]",
    "{",
    "}",
    "%",
    "\\%",
    "\\\\",
    "$",
    "\\[",
    "\\]",
    "\\begin{document}",
    "\\end{document}",
    "\\documentclass{report}",
    "\\usepackage{",
    "\\graphcolor{",
    "\\discussion{",
    "\\alsoIn{",
    "\\inputleannode{",
    "\\verb|",
    "|",
    "\\iffalse",
    "\\fi",
    "\\makeatletter",
    "\\catcode",
    "thm:a",
    "lem:b",
    "def:c",
    ",",
    "content",
    "\\x",
    "\\y",
];

const NUMERICS_WORDS: &[&str] = &[
    "theorem t ",
    "(x : ℝ) ",
    "(n : ℕ) ",
    "(h : 0 < x) ",
    ": ",
    ":= by sorry",
    "∀ x : ℝ, ",
    "∃ y, ",
    "x",
    "y",
    "μ",
    "λ",
    "^",
    "^ 2",
    "^ (1/2)",
    "* ",
    "/ ",
    "+ ",
    "- ",
    "≤ ",
    "< ",
    "= ",
    "≠ ",
    "→ ",
    "∧ ",
    "∨ ",
    "¬",
    "(",
    ")",
    "|",
    "‖",
    "Real.sqrt ",
    "Real.exp ",
    "Real.log ",
    "Real.sin ",
    "Real.cos ",
    "Real.pi",
    "π",
    "√",
    "max ",
    "min ",
    "abs ",
    "∑ i in Finset.range 10, ",
    "Set.Icc 0 1",
    "∈ ",
    "IsMinOn ",
    "fun x => ",
    "↦",
    "def f ",
    "(x : ℝ) : ℝ := ",
    "2",
    "0.5",
    "1e10",
    "10 ^ 10 ^ 10",
    "(2 : ℝ)",
    "⁻¹",
    "let a := 1; ",
    "if x < 0 then ",
    " else ",
    "noncomputable ",
    "namespace N\n",
    "end N\n",
];

const JSONRPC_WORDS: &[&str] = &[
    "Content-Length: ",
    "Content-Length: 0\r\n\r\n",
    "Content-Length: 999999999\r\n\r\n",
    "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n",
    "\r\n",
    "\r\n\r\n",
    "\n",
    ":",
    "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":null}",
    "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32902,\"message\":\"x\"}}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":\"register-1\",\"method\":\"client/registerCapability\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"workspace/semanticTokens/refresh\"}",
    "{\"id\":1e400}",
    "{\"id\":-0}",
    "[]",
    "null",
    "\"\\ud800\"",
    "{",
    "}",
    "\"id\"",
    "\"method\"",
    "\"result\"",
    "\"params\"",
];

/// The Lean source scanner.
struct LeanSrc;

impl Target for LeanSrc {
    fn run(&mut self, input: &[u8]) -> u64 {
        let text = String::from_utf8_lossy(input);
        let file = theorist_leansrc::parse(&text);
        let masked = theorist_leansrc::mask_comments_and_strings(&text);
        assert_eq!(
            masked.lines().count(),
            text.lines().count(),
            "masking keeps the lines"
        );
        let lines = file.line_count();
        for d in &file.decls {
            assert!(
                d.start_byte <= d.end_byte && d.end_byte <= text.len(),
                "{d:?}"
            );
            assert!(text.is_char_boundary(d.start_byte) && text.is_char_boundary(d.end_byte));
            assert!(
                1 <= d.start_line && d.start_line <= d.end_line && d.end_line <= lines.max(1),
                "lines {}..{} of {lines}",
                d.start_line,
                d.end_line
            );
            if let Some(b) = d.body_start_byte {
                assert!(b <= text.len() && text.is_char_boundary(b), "body at {b}");
            }
            for p in d.sorries.iter().chain([&d.name_pos]) {
                if let Some(b) = file.byte_of(*p) {
                    assert!(b <= text.len());
                    assert_eq!(file.pos_of(b), *p, "a position round-trips");
                }
            }
            let _ = file.find(&d.name);
            let _ = file.decl_at_line(d.start_line);
        }
        let kinds: BTreeSet<String> = file.decls.iter().map(|d| format!("{:?}", d.kind)).collect();
        let sorries: usize = file.decls.iter().map(|d| d.sorries.len()).sum();
        shape((
            kinds,
            bucket(file.decls.len()),
            bucket(file.imports.len()),
            bucket(sorries),
            file.decls.iter().any(|d| d.body.is_none()),
            file.decls.iter().any(|d| !d.attributes.is_empty()),
            file.decls.iter().any(|d| d.name.contains('.')),
        ))
    }
}

/// The LaTeX reader and what is built on it.
struct BlueprintTarget {
    dir: tempfile::TempDir,
}

impl BlueprintTarget {
    fn new() -> BlueprintTarget {
        BlueprintTarget {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }
}

impl Target for BlueprintTarget {
    fn run(&mut self, input: &[u8]) -> u64 {
        use theorist_blueprint::{Mode, graphs, json, node_ids, read, roadmap, svg};
        let file = self.dir.path().join("content.tex");
        std::fs::write(&file, input).expect("writing the input");
        let bp = read(self.dir.path());
        let mode = Mode::Fixed;
        let gs = graphs(&bp, mode);
        let ids = node_ids(&bp);
        let map = roadmap(&bp, mode);
        let _ = json::document(&bp, &gs, mode);
        for g in gs.iter().take(3) {
            let _ = theorist_blueprint::dot::to_dot(g, &ids);
            let _ = svg::render(&bp, g, &ids);
        }
        let levels: BTreeSet<String> = bp
            .findings
            .iter()
            .map(|f| format!("{:?}", f.level))
            .collect();
        let first_words: BTreeSet<String> =
            bp.findings.iter().map(|f| first_word(&f.message)).collect();
        shape((
            bucket(bp.nodes.len()),
            bucket(bp.statements.len()),
            bucket(bp.units.len()),
            bucket(bp.lean_decls.len()),
            bucket(gs.iter().map(|g| g.edges.len()).sum()),
            levels,
            first_words,
            bucket(format!("{map:?}").len()),
        ))
    }
}

/// The numerics front end.
struct Numerics;

impl Target for Numerics {
    fn run(&mut self, input: &[u8]) -> u64 {
        let text = String::from_utf8_lossy(input);
        let expr = theorist_numerics::elab_expression(&text, &[]);
        let prop = theorist_numerics::elab_proposition(&text, &[]);
        let mut translated = Vec::new();
        match theorist_numerics::load_text(&text) {
            Ok(loaded) => {
                for name in theorist_numerics::theorems(&loaded).iter().take(4) {
                    translated.push(match theorist_numerics::translate_loaded(&loaded, name) {
                        Ok(_) => "ok".to_string(),
                        Err(e) => variant(&e),
                    });
                }
            }
            Err(e) => translated.push(first_word(&e.to_string())),
        }
        let word = |r: Result<(), theorist_numerics::ExprError>| match r {
            Ok(()) => "ok".to_string(),
            Err(e) => first_word(&e.message),
        };
        shape((word(expr.map(|_| ())), word(prop.map(|_| ())), translated))
    }
}

/// LSP framing and the JSON-RPC connection on top of it.
struct JsonRpc {
    runtime: tokio::runtime::Runtime,
}

impl JsonRpc {
    fn new() -> JsonRpc {
        JsonRpc {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a runtime"),
        }
    }
}

struct NoEvents;

impl theorist_lean::rpc::Events for NoEvents {
    fn notification(&self, _: &str, _: serde_json::Value) {}
    fn closed(&self) {}
}

impl Target for JsonRpc {
    fn run(&mut self, input: &[u8]) -> u64 {
        use theorist_lean::framing::{encode_frame, read_frame};
        let bytes = input.to_vec();
        self.runtime.block_on(async move {
            // The frames, each encoded again and read back unchanged.
            let mut reader: &[u8] = &bytes;
            let mut frames = 0usize;
            let end = loop {
                match read_frame(&mut reader).await {
                    Ok(Some(body)) => {
                        frames += 1;
                        let encoded = encode_frame(&body);
                        let mut again: &[u8] = &encoded;
                        let back = read_frame(&mut again).await.expect("a frame re-reads");
                        assert_eq!(back.as_deref(), Some(body.as_slice()));
                    }
                    Ok(None) => break "end".to_string(),
                    Err(e) => break variant(&e),
                }
            };
            // The same bytes as Lean's stdout, with one request waiting for a reply.
            let connection = theorist_lean::rpc::Connection::new(
                std::io::Cursor::new(bytes),
                tokio::io::sink(),
                Arc::new(NoEvents),
                theorist_lean::rpc::StderrTail::default(),
            );
            let reply = connection
                .request(
                    "fuzz",
                    serde_json::Value::Null,
                    std::time::Duration::from_secs(30),
                )
                .await;
            let reply = match reply {
                Ok(_) => "reply".to_string(),
                Err(e) => variant(&e),
            };
            shape((bucket(frames), end, reply))
        })
    }
}

enum SelfTest {
    Panic,
    Hang,
    Abort,
}

impl Target for SelfTest {
    fn run(&mut self, input: &[u8]) -> u64 {
        // Misbehaves only on inputs containing "!!", so the harness must find it.
        if input.windows(2).any(|w| w == b"!!") {
            match self {
                SelfTest::Panic => panic!("self-test panic"),
                SelfTest::Hang => loop {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                },
                SelfTest::Abort => std::process::abort(),
            }
        }
        shape(input.len().min(4))
    }
}

/// The seeds of a target: its corpus folder, then the repository's own inputs of its kind.
pub fn seeds(spec: &Spec, corpus: &Path, repo: Option<&Path>) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    collect(&corpus.join(spec.name), &[], &mut files);
    for dir in spec.repo_seeds.iter().filter(|_| repo.is_some()) {
        collect(
            &repo.expect("filtered").join(dir),
            spec.extensions,
            &mut files,
        );
    }
    files.sort();
    files.dedup();
    files
        .into_iter()
        .filter_map(|f| std::fs::read(f).ok())
        .collect()
}

fn collect(dir: &Path, extensions: &[&str], out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        let p = e.path();
        if kind.is_dir() {
            collect(&p, extensions, out);
        } else if kind.is_file()
            && (extensions.is_empty()
                || p.extension()
                    .is_some_and(|x| extensions.iter().any(|e| x == *e)))
        {
            out.push(p);
        }
    }
}
