//! The tools theorist serves: each is one table of arguments (its schema) and one engine call,
//! the same call the command line makes, so a tool's JSON is the CLI's `--json` document for
//! the same input. A job that could not be done (no toolchain, a missing file, Lean crashed)
//! is a tool error with the message the CLI prints; verdicts (errors, `sorry`, refuted) are
//! results.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value, json};
use theorist_prove::SearchConfig;

use super::args::{Arg, Args, Kind};
use crate::engine::EngineError;
use crate::engine::blueprint::{BlueprintCheckRequest, blueprint_check, blueprint_roadmap};
use crate::engine::goals::{GoalsRequest, goals};
use crate::engine::lean::{LeanSetup, PositionTarget, Warnings};
use crate::engine::numerics::{
    CheckReport, CheckRequest, EvalRequest, PlotRequest, numerics_check, numerics_eval,
};
use crate::engine::prove::{ProveRequest, prove};
use crate::engine::recheck::numerics_recheck;
use crate::engine::suggest::{GoalSource, RankingOptions, SuggestRequest, suggest};
use crate::engine::verify::{VerifyRequest, verify};

/// One tool as `tools/list` shows it.
pub struct Tool {
    pub name: &'static str,
    pub title: &'static str,
    pub about: &'static str,
    pub args: &'static [Arg],
    /// Whether it only reads (the assistant may call it without asking).
    pub read_only: bool,
}

const fn arg(name: &'static str, kind: Kind, about: &'static str) -> Arg {
    Arg {
        name,
        kind,
        required: false,
        default: None,
        about,
    }
}

const fn required(name: &'static str, kind: Kind, about: &'static str) -> Arg {
    Arg {
        required: true,
        ..arg(name, kind, about)
    }
}

const fn with_default(a: Arg, default: &'static str) -> Arg {
    Arg {
        default: Some(default),
        ..a
    }
}

const SECS: Kind = Kind::Integer {
    min: 1,
    max: 86_400,
};
const COUNT: Kind = Kind::Integer {
    min: 1,
    max: 1_000_000,
};
const FILE: Arg = required(
    "file",
    Kind::Path,
    "A Lean file of a Lake project (relative paths are taken from the server's project root).",
);
const DECL: Arg = arg(
    "declaration",
    Kind::Text,
    "A declaration in the file: its full name or a unique suffix (e.g. `bounded_below`).",
);
const LINE: Arg = required(
    "line",
    Kind::Integer {
        min: 1,
        max: 10_000_000,
    },
    "Line, 1-based (as in Lean's messages).",
);
const COLUMN: Arg = required(
    "column",
    Kind::Integer {
        min: 0,
        max: 10_000_000,
    },
    "Column, 0-based, in characters (as in Lean's messages).",
);
const LEAN_TIMEOUT: Arg = with_default(
    arg(
        "timeout_secs",
        SECS,
        "Wall-clock limit for Lean on the file, in seconds.",
    ),
    "900",
);
const MEMORY: Arg = arg("memory_mb", COUNT, "Memory cap for Lean in MB (Lean's -M).");
const PRECISION: Arg = with_default(
    arg(
        "precision",
        Kind::Integer {
            min: 53,
            max: 65_536,
        },
        "Working precision in bits.",
    ),
    "128",
);
const TOP: Arg = with_default(
    arg(
        "top",
        Kind::Integer { min: 1, max: 1000 },
        "How many suggestions.",
    ),
    "8",
);
const WEIGHTS: Arg = arg(
    "weights",
    Kind::Path,
    "Model weights (.safetensors); default: the shipped ones.",
);
const BASELINE: Arg = with_default(
    arg(
        "baseline",
        Kind::Bool,
        "Use the retrieval baseline even when this build has the tactic model.",
    ),
    "false",
);
const NUMERICS: Arg = with_default(
    arg(
        "numerics",
        Kind::Bool,
        "Ask the numerics engine first: a certificate's Lean hint as the first candidate, and a goal it refutes reported false at its exact point (false: the rankers only).",
    ),
    "true",
);
const BACKEND: Arg = arg(
    "backend",
    Kind::Text,
    "Extra candidates from a remote model: `openai=URL` (an OpenAI-compatible completions endpoint).",
);
const BACKEND_TIMEOUT: Arg = with_default(
    arg(
        "backend_timeout_secs",
        SECS,
        "Remote backend: seconds per request.",
    ),
    "20",
);
const DIR: Arg = arg(
    "dir",
    Kind::Path,
    "The project root, the blueprint's `src` folder, or a folder with web.tex/content.tex (default: the server's project root).",
);

pub const TOOLS: &[Tool] = &[
    Tool {
        name: "verify",
        title: "Verify a Lean file or declaration",
        about: "Check a Lean 4 file, or one declaration in it, with Lean: per declaration whether it elaborates, uses `sorry` (with the goal there), or depends on axioms beyond propext, Classical.choice and Quot.sound. Returns theorist's `theorist.verify/1` JSON (as `theorist --json verify`): `verdict` is passed, failed, not_checked (Lean did not confirm everything: never a pass; `not_checked_reasons` says why), timed_out or crashed, and `passed` is true only for passed.",
        args: &[
            FILE,
            DECL,
            arg(
                "allow_axioms",
                Kind::TextList,
                "Further axioms to accept (e.g. [\"Lean.ofReduceBool\"]).",
            ),
            LEAN_TIMEOUT,
            MEMORY,
            with_default(
                arg(
                    "goals",
                    Kind::Bool,
                    "Ask Lean's language server for the goal at every `sorry`.",
                ),
                "true",
            ),
        ],
        read_only: true,
    },
    Tool {
        name: "goals",
        title: "Goals at a position",
        about: "The goal state Lean reports at FILE:LINE:COL: the tactic goals, else the expected type of the term there. Returns `theorist.goals/1` JSON (as `theorist --json goals`).",
        args: &[FILE, LINE, COLUMN, LEAN_TIMEOUT, MEMORY],
        read_only: true,
    },
    Tool {
        name: "numerics_eval",
        title: "Enclose a value rigorously",
        about: "Evaluate an expression in Lean 4 syntax, read under `open Real` (+ - * / % ^, Real.sqrt/exp/log/sin/cos/tan/arctan/sinh/cosh/tanh, π, |x|, √x, ascriptions (2 : ℝ)) with MPFR interval arithmetic, every bound rounded outward. Numerals are typed as Lean types them: `7 / 2` is the natural number 3. Returns `theorist.numerics.eval/1` JSON with the value's type.",
        args: &[
            required(
                "expression",
                Kind::Text,
                "The expression, e.g. \"Real.sqrt 2 * Real.pi\".",
            ),
            arg(
                "params",
                Kind::TextMap,
                "Parameter values: name → \"DECIMAL\" or \"[LOW, HIGH]\".",
            ),
            PRECISION,
            arg(
                "digits",
                Kind::Integer {
                    min: 2,
                    max: 100_000,
                },
                "Significant decimal digits (default: as many as the precision carries).",
            ),
            arg(
                "box",
                Kind::TextMap,
                "A variable's range: name → \"[LOW, HIGH]\" (enclosed like an interval parameter; with `plot_path`, the one variable plotted).",
            ),
            arg(
                "plot_path",
                Kind::Path,
                "Draw the expression over its one `box` variable to this SVG file: its certified enclosure on each of 400 cells as a band.",
            ),
        ],
        read_only: false,
    },
    Tool {
        name: "numerics_check",
        title: "Cross-check a claim numerically",
        about: "Decide a Lean declaration's arithmetic claim (ℕ, ℤ, ℚ, ℝ as Lean means them; the file's definitions and its imports' unfolded) with rigorous numerics: `refuted` (a certified counterexample), `proved` (with its method), `proved_on_box` (only on the box searched), `consistent` (not refuted, not proved), or `untranslatable` (names what theorist does not understand and where: nothing was checked). Returns `theorist.numerics.check/2` JSON with the claim as read.",
        args: &[
            FILE,
            required(
                "declaration",
                Kind::Text,
                "The declaration whose statement to check.",
            ),
            arg(
                "box",
                Kind::TextMap,
                "Variable ranges: name → \"[LOW, HIGH]\" (default: the hypotheses' bounds, else [-10, 10], norms and naturals [0, 10]).",
            ),
            with_default(
                arg(
                    "samples",
                    COUNT,
                    "Random points tried before branch and bound.",
                ),
                "2000",
            ),
            with_default(
                arg("max_boxes", COUNT, "Branch-and-bound budget (sub-boxes)."),
                "20000",
            ),
            PRECISION,
            with_default(
                arg(
                    "algebraic",
                    Kind::Bool,
                    "Try an algebraic certificate before branch and bound.",
                ),
                "true",
            ),
            with_default(
                arg(
                    "time_limit_secs",
                    SECS,
                    "Time budget of the whole check, in seconds.",
                ),
                "60",
            ),
            arg(
                "certificate_out",
                Kind::Path,
                "Write the proof's certificate here (a branch-and-bound proof's bisection tree, or an exact extremum proof's facts), for `theorist numerics recheck`.",
            ),
            arg(
                "plot_path",
                Kind::Path,
                "Draw the claim to this SVG file: over one variable each side's certified enclosure as bands and each cell shaded by whether the claim holds there; over two a map of the box; the counterexample, minimiser and stalls marked. The report's `plot` says where the other variables were held.",
            ),
            arg(
                "plot_at",
                Kind::TextMap,
                "Hold variables at exact values in the plot: name → \"DECIMAL\" or \"p/q\" (default: the counterexample, the minimiser report's parameters, or a point where the hypotheses hold).",
            ),
            arg(
                "plot_over",
                Kind::TextList,
                "The variables to plot: one (bands) or two (a map); default: those `plot_at` leaves free, or the two that move the claim most.",
            ),
        ],
        read_only: false,
    },
    Tool {
        name: "numerics_recheck",
        title: "Re-check a numerics certificate",
        about: "Re-check a certificate written by `numerics_check` (`certificate_out`) against its declaration as the file reads now: a branch-and-bound certificate's sub-boxes, or an exact extremum proof's facts, re-decided with exact rational arithmetic. A certificate whose claim no longer matches the declaration is rejected. Returns `theorist.numerics.recheck/2` JSON (as `theorist --json numerics recheck`).",
        args: &[required(
            "certificate",
            Kind::Path,
            "The certificate file (JSON).",
        )],
        read_only: true,
    },
    Tool {
        name: "blueprint_roadmap",
        title: "Blueprint roadmap",
        about: "Read a leanblueprint blueprint: progress per chapter, what is ready to state and to prove now, what is blocked and by what, the critical path and a work order. Returns the roadmap JSON (as `theorist --json blueprint roadmap`).",
        args: &[
            DIR,
            with_default(
                arg(
                    "compat",
                    Kind::Bool,
                    "Statuses exactly as leanblueprint 0.0.20 computes them, quirks included.",
                ),
                "false",
            ),
        ],
        read_only: true,
    },
    Tool {
        name: "blueprint_check",
        title: "Check a blueprint against Lean",
        about: "Check a blueprint against the project: every \\lean{} name exists, \\leanok proofs are sorry-free (confirmed by Lean when a toolchain exists), labels are unique and \\uses resolve. Returns `theorist.blueprint.check/1` JSON with file:line findings.",
        args: &[
            DIR,
            with_default(
                arg(
                    "lean",
                    Kind::Bool,
                    "Ask Lean to confirm the names when a toolchain exists (false: the Lean sources only).",
                ),
                "true",
            ),
            LEAN_TIMEOUT,
        ],
        read_only: true,
    },
    Tool {
        name: "suggest",
        title: "Suggest tactics",
        about: "Ranked tactic suggestions for a goal: give `goal` (the goal as Lean prints it) or `file`, `line` and `column` (the goal Lean reports there). The numerics engine answers first: a certificate's Lean hint comes first (source `numerics`), and a goal it refutes gets `result.answer = \"false\"` with the exact point instead of tactics. Every suggestion names only the goal's locals, the file's declarations and library names the project's sources (its files and `.lake/packages`) declare. The JSON names the ranker (the model, or the retrieval baseline when this build has none).",
        args: &[
            arg(
                "goal",
                Kind::Text,
                "The goal as Lean prints it, e.g. \"x : ℝ\\n⊢ 0 ≤ x ^ 2\".",
            ),
            Arg {
                required: false,
                ..FILE
            },
            Arg {
                required: false,
                ..LINE
            },
            Arg {
                required: false,
                ..COLUMN
            },
            TOP,
            BASELINE,
            NUMERICS,
            WEIGHTS,
            BACKEND,
            BACKEND_TIMEOUT,
            LEAN_TIMEOUT,
        ],
        read_only: true,
    },
    Tool {
        name: "prove",
        title: "Search for a proof",
        about: "Best-first search for a proof of a declaration's first `sorry`, candidates tried in Lean's server; a proof found is re-checked by Lean in batch mode. The file is only changed with `write: true`, and then atomically and only after the re-check passed. The numerics engine's hint is tried first at every node, and a statement it refutes is reported with its counterexample instead of searched. Returns `theorist.prove/1` JSON (`status`: proved, recheck_failed, false, goal_false or not_found).",
        args: &[
            FILE,
            required(
                "declaration",
                Kind::Text,
                "The declaration whose first `sorry` to prove.",
            ),
            with_default(
                arg(
                    "write",
                    Kind::Bool,
                    "Write the re-checked proof into the file (atomically). Default: do not touch the file.",
                ),
                "false",
            ),
            with_default(
                arg("width", COUNT, "Candidates tried per search node."),
                "8",
            ),
            with_default(arg("depth", COUNT, "Longest proof tried, in tactics."), "6"),
            with_default(
                arg(
                    "max_attempts",
                    COUNT,
                    "Attempts (Lean elaborations) in total.",
                ),
                "64",
            ),
            with_default(
                arg(
                    "attempt_timeout_secs",
                    SECS,
                    "Seconds Lean may take on one attempt.",
                ),
                "60",
            ),
            with_default(
                arg(
                    "timeout_secs",
                    SECS,
                    "Seconds for the whole search (the batch re-check comes on top).",
                ),
                "600",
            ),
            BASELINE,
            NUMERICS,
            WEIGHTS,
            BACKEND,
            BACKEND_TIMEOUT,
        ],
        read_only: false,
    },
];

/// The `tools/list` entry of a tool.
pub fn describe(tool: &Tool) -> Value {
    json!({
        "name": tool.name,
        "title": tool.title,
        "description": tool.about,
        "inputSchema": super::args::schema(tool.args),
        "annotations": {
            "title": tool.title,
            "readOnlyHint": tool.read_only,
            "destructiveHint": !tool.read_only,
            "idempotentHint": tool.read_only,
            "openWorldHint": false,
        },
    })
}

/// What a call came to.
#[derive(Debug)]
pub enum Outcome {
    /// The job was done: its `--json` document, and notes the CLI prints on stderr.
    Done { document: Value, notes: Vec<String> },
    /// The arguments were wrong; the message names the argument.
    BadArgument(String),
    /// The job could not be done.
    Failed(EngineError),
}

impl Outcome {
    /// The `tools/call` result.
    pub fn into_result(self) -> Map<String, Value> {
        let text = |t: String| json!({"type": "text", "text": t});
        let mut result = Map::new();
        match self {
            Outcome::Done { document, notes } => {
                let pretty = serde_json::to_string_pretty(&document).unwrap_or_default();
                let mut content = vec![text(pretty)];
                content.extend(notes.into_iter().map(|n| text(format!("note: {n}"))));
                result.insert("content".into(), Value::Array(content));
                result.insert("structuredContent".into(), document);
                result.insert("isError".into(), json!(false));
            }
            Outcome::BadArgument(message) => {
                result.insert("content".into(), json!([text(message)]));
                result.insert("isError".into(), json!(true));
            }
            Outcome::Failed(EngineError::NoToolchain(none)) => {
                result.insert("content".into(), json!([text(none.message())]));
                result.insert("structuredContent".into(), none.to_json());
                result.insert("isError".into(), json!(true));
            }
            Outcome::Failed(e) => {
                result.insert("content".into(), json!([text(e.chain())]));
                result.insert("isError".into(), json!(true));
            }
        }
        result
    }
}

/// Where the server runs: paths are taken from `root`; Lean is found and confined as `lean`
/// says (the server's `--lake` and sandbox flags, as for any other command).
#[derive(Debug, Clone)]
pub struct Context {
    pub root: PathBuf,
    pub lean: LeanSetup,
}

/// Runs a tool. Blocks its thread at times (numerics, the ranker): the server runs each call
/// on a thread of its own.
pub async fn call(tool: &Tool, given: &Value, cx: &Context) -> Outcome {
    // The toolchain's warnings (Lean unconfined, another Lean version than the project's)
    // come back with the result, where the CLI prints them on stderr.
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let sink = warnings.clone();
    let cx = &Context {
        root: cx.root.clone(),
        lean: LeanSetup {
            warnings: Warnings::to(move |w| lock(&sink).push(w)),
            ..cx.lean.clone()
        },
    };
    let args = match Args::check(tool.args, given, &cx.root) {
        Ok(a) => a,
        Err(message) => return Outcome::BadArgument(message),
    };
    let result = match tool.name {
        "verify" => run_verify(&args, cx).await,
        "goals" => run_goals(&args, cx).await,
        "numerics_eval" => run_numerics_eval(&args),
        "numerics_check" => run_numerics_check(&args),
        "numerics_recheck" => run_numerics_recheck(&args),
        "blueprint_roadmap" => run_blueprint_roadmap(&args),
        "blueprint_check" => run_blueprint_check(&args, cx).await,
        "suggest" => match suggest_request(&args, cx) {
            Ok(request) => run_suggest(&request).await,
            Err(message) => return Outcome::BadArgument(message),
        },
        "prove" => run_prove(&args, cx).await,
        other => return Outcome::BadArgument(format!("no tool `{other}`")),
    };
    match result {
        Ok((document, notes)) => {
            let mut all: Vec<String> = lock(&warnings)
                .drain(..)
                .map(|w| format!("warning: {w}"))
                .collect();
            all.extend(notes);
            Outcome::Done {
                document,
                notes: all,
            }
        }
        Err(e) => Outcome::Failed(e),
    }
}

fn lock(warnings: &Mutex<Vec<String>>) -> std::sync::MutexGuard<'_, Vec<String>> {
    warnings.lock().unwrap_or_else(|e| e.into_inner())
}

type Done = Result<(Value, Vec<String>), EngineError>;

fn file(args: &Args<'_>) -> PathBuf {
    args.path("file").unwrap_or_default()
}

fn secs(args: &Args<'_>, name: &str) -> Duration {
    Duration::from_secs(args.integer(name))
}

async fn run_verify(args: &Args<'_>, cx: &Context) -> Done {
    let report = verify(&VerifyRequest {
        file: file(args),
        decl: args.text("declaration"),
        allow_axioms: args.list("allow_axioms"),
        timeout: secs(args, "timeout_secs"),
        memory_mb: args.optional_integer("memory_mb"),
        goals: args.flag("goals"),
        lean: cx.lean.clone(),
    })
    .await?;
    Ok((report.to_json(), report.goals_error.into_iter().collect()))
}

async fn run_goals(args: &Args<'_>, cx: &Context) -> Done {
    let report = goals(&GoalsRequest {
        at: PositionTarget {
            file: file(args),
            line: args.integer("line") as u32,
            column: args.integer("column") as u32,
        },
        memory_mb: args.optional_integer("memory_mb"),
        timeout: secs(args, "timeout_secs"),
        lean: cx.lean.clone(),
    })
    .await?;
    let notes = if report.found() {
        Vec::new()
    } else {
        vec!["Lean reports no goal at this position".to_string()]
    };
    Ok((report.to_json(), notes))
}

fn run_numerics_eval(args: &Args<'_>) -> Done {
    let report = numerics_eval(&EvalRequest {
        expr: args.text("expression").unwrap_or_default(),
        params: args.assignments("params"),
        prec: args.integer("precision") as u32,
        digits: args.optional_integer("digits").map(|d| d as usize),
        boxes: args.assignments("box"),
        plot: args.path("plot_path"),
    })?;
    Ok((report.to_json(), Vec::new()))
}

fn run_numerics_check(args: &Args<'_>) -> Done {
    let report = numerics_check(&CheckRequest {
        file: file(args),
        decl: args.text("declaration").unwrap_or_default(),
        boxes: args.assignments("box"),
        samples: args.integer("samples") as usize,
        max_boxes: args.integer("max_boxes") as usize,
        prec: args.integer("precision") as u32,
        algebraic: args.flag("algebraic"),
        time_limit: secs(args, "time_limit_secs"),
        cert_out: args.path("certificate_out"),
        plot: args.path("plot_path").map(|path| PlotRequest {
            path,
            at: args.assignments("plot_at"),
            over: args.list("plot_over"),
        }),
    })?;
    let notes = match &report {
        CheckReport::Checked(c) => c.certificate_note.clone().into_iter().collect(),
        CheckReport::Untranslatable { .. } => Vec::new(),
    };
    Ok((report.to_json(), notes))
}

fn run_numerics_recheck(args: &Args<'_>) -> Done {
    let path = args.path("certificate").unwrap_or_default();
    let report = numerics_recheck(&path)?;
    Ok((report.to_json(), Vec::new()))
}

fn run_blueprint_roadmap(args: &Args<'_>) -> Done {
    let dir = args
        .path("dir")
        .unwrap_or_else(|| args.root().to_path_buf());
    let report = blueprint_roadmap(&dir, args.flag("compat"))?;
    let notes = report.reading.iter().map(ToString::to_string).collect();
    Ok((report.to_json(), notes))
}

async fn run_blueprint_check(args: &Args<'_>, cx: &Context) -> Done {
    let report = blueprint_check(&BlueprintCheckRequest {
        dir: args.path("dir").unwrap_or_else(|| cx.root.clone()),
        ask_lean: args.flag("lean"),
        timeout: secs(args, "timeout_secs"),
        lean: cx.lean.clone(),
    })
    .await?;
    Ok((report.to_json(), report.notes.clone()))
}

fn ranking(args: &Args<'_>) -> RankingOptions {
    RankingOptions {
        weights: args.path("weights"),
        baseline: args.flag("baseline"),
        backend: args.text("backend"),
        backend_timeout_secs: args.integer("backend_timeout_secs"),
        no_numerics: !args.flag("numerics"),
    }
}

/// Either the goal text, or all of file, line and column.
fn suggest_request(args: &Args<'_>, cx: &Context) -> Result<SuggestRequest, String> {
    let position = (
        args.path("file"),
        args.optional_integer("line"),
        args.optional_integer("column"),
    );
    let goal = match (args.text("goal"), position) {
        (Some(_), (Some(_), _, _) | (_, Some(_), _) | (_, _, Some(_))) => {
            return Err("give either `goal` or `file`, `line` and `column`, not both".to_string());
        }
        (Some(text), _) => GoalSource::Text(text),
        (None, (Some(file), Some(line), Some(column))) => GoalSource::At(PositionTarget {
            file,
            line: line as u32,
            column: column as u32,
        }),
        (None, (None, None, None)) => {
            return Err("give `goal` (the goal text) or `file`, `line` and `column`".to_string());
        }
        (None, _) => {
            return Err("a position needs all of `file`, `line` and `column`".to_string());
        }
    };
    Ok(SuggestRequest {
        goal,
        // A goal given as text may use the names of the server's project.
        project: Some(cx.root.clone()),
        top: args.integer("top") as usize,
        ranking: ranking(args),
        timeout: secs(args, "timeout_secs"),
        lean: cx.lean.clone(),
    })
}

async fn run_suggest(request: &SuggestRequest) -> Done {
    let report = suggest(request).await?;
    let notes = report
        .backend_errors
        .iter()
        .take(3)
        .map(|e| format!("openai backend: {e}"))
        .collect();
    Ok((report.to_json(), notes))
}

async fn run_prove(args: &Args<'_>, cx: &Context) -> Done {
    let report = prove(&ProveRequest {
        file: file(args),
        decl: args.text("declaration").unwrap_or_default(),
        write: args.flag("write"),
        search: SearchConfig {
            width: args.integer("width") as usize,
            max_depth: args.integer("depth") as usize,
            max_attempts: args.integer("max_attempts") as usize,
            per_attempt: secs(args, "attempt_timeout_secs"),
            total: secs(args, "timeout_secs"),
        },
        ranking: ranking(args),
        lean: cx.lean.clone(),
    })
    .await?;
    let notes = report
        .backend_errors
        .iter()
        .take(3)
        .map(|e| format!("openai backend: {e}"))
        .collect();
    Ok((report.to_json(), notes))
}
