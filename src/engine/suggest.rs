//! Ranked tactic suggestions for a goal. The goal comes from Lean (`$/lean/plainGoal` at a
//! position) or is given as text. The numerics engine answers first (a goal it refutes is
//! reported false at its exact point; a certificate's Lean hint comes first); then the ranker
//! — the model when this build has it, else the retrieval baseline, said so plainly — and a
//! remote OpenAI-compatible backend when asked. Everything shown passed the scope check: it
//! names only the goal's locals, the file's declarations above the goal, and library names
//! the project's sources (its files and `.lake/packages`) declare where the file sees them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_tactics::answer::{Answer, AnswerConfig, answer};
use theorist_tactics::context::{FileContext, context_at};
use theorist_tactics::guided::Guided;
use theorist_tactics::index::NameIndex;
use theorist_tactics::memory::{MemoryConfig, MemoryInfo, project_memory};
use theorist_tactics::numeric::GoalFile;
use theorist_tactics::project::{IndexInfo, project_index};
use theorist_tactics::scope::Scope;
use theorist_tactics::{Admits, Ranker, Suggestion, admit_all};

use super::EngineError;
use super::goals::{GoalsRequest, ask_at};
use super::lean::{LeanSetup, PositionTarget, project_of, read_at_position};
use super::remote::Remote;

/// Where suggestions come from (shared by `suggest` and `prove`).
#[derive(Debug, Clone, Default)]
pub struct RankingOptions {
    /// Model weights (.safetensors); default: the shipped models/steprank.safetensors.
    pub weights: Option<PathBuf>,
    /// Use the retrieval baseline even when the build has the model.
    pub baseline: bool,
    /// Extra candidates from a remote model: `openai=URL`.
    pub backend: Option<String>,
    /// Remote backend: seconds per request.
    pub backend_timeout_secs: u64,
    /// Do not ask the numerics engine first (certificate hints, counterexamples).
    pub no_numerics: bool,
}

/// The ranker chosen, and what to tell the user about it.
pub struct Rankers {
    pub local: Box<dyn Ranker>,
    /// `model (…)`, or `retrieval baseline`.
    pub label: String,
    pub note: Option<String>,
    pub remote: Option<Remote>,
    /// Ask the numerics engine first.
    pub numerics: bool,
}

impl Rankers {
    /// The model when this build has it (and it was not declined), else retrieval over the
    /// proofs of the Lake project at `root` and its packages (the declaration `site` is in
    /// left out), else over the generated corpus; each said so.
    pub fn build(
        options: &RankingOptions,
        root: Option<&Path>,
        site: &GoalSite,
    ) -> Result<Rankers, EngineError> {
        let remote = match &options.backend {
            Some(spec) => Some(Remote::parse(spec, options.backend_timeout_secs)?),
            None => None,
        };
        if theorist_tactics::model::AVAILABLE && !options.baseline {
            let path = options.weights.clone().unwrap_or_else(default_step_weights);
            let model = theorist_tactics::model::StepRank::load(&path).map_err(|source| {
                EngineError::Model {
                    doing: format!("loading the step model from {}", path.display()),
                    source,
                }
            })?;
            let label = format!("model ({})", model.device());
            // The learned prior guides retrieval over the project's own proofs, which give
            // the arguments and a share of each head's score (`guided::DEFAULT_WEIGHT`).
            // Its heads are not reweighed towards the project's style
            // (`theorist_tactics::style::STRENGTH`: measured not to help).
            let (retrieval, over) = retrieval_for(root, site);
            return Ok(Rankers {
                local: Box::new(Guided::new(retrieval, model)),
                label,
                note: Some(format!("StepRank guiding retrieval ({over})")),
                remote,
                numerics: !options.no_numerics,
            });
        }
        if !theorist_tactics::model::AVAILABLE && options.weights.is_some() {
            return Err(EngineError::bad_input(format!(
                "--weights needs the model, and {}",
                theorist_tactics::ModelError::Disabled
            )));
        }
        let (retrieval, over) = retrieval_for(root, site);
        let note = if theorist_tactics::model::AVAILABLE {
            format!("the retrieval baseline ({over}), as asked with --baseline")
        } else {
            format!(
                "this build has no tactic model (rebuild with `--features model`); these come \
                 from the retrieval baseline ({over}), not from a model"
            )
        };
        Ok(Rankers {
            local: Box::new(retrieval),
            label: "retrieval baseline".into(),
            note: Some(note),
            remote,
            numerics: !options.no_numerics,
        })
    }

    /// The answer for `goal` at `site`: numerics first, then the rankers' candidates, all in
    /// scope.
    pub fn answer(&self, goal: &str, site: &GoalSite, names: &NameIndex, k: usize) -> Answer {
        let scope = site.scope(goal, names);
        let config = AnswerConfig {
            k,
            numerics: self.numerics,
            file: site.goal_file(),
        };
        // The local ranker is told the scope check and ranks what passes it; a remote
        // backend, whose every candidate is a request, is asked for `k` and checked after.
        let previous = site.previous_steps();
        answer(goal, &scope, &config, &mut |g, n, admits| {
            self.candidates(g, previous, n, k, admits)
        })
    }

    /// Local suggestions with the remote ones merged in: scores of two rankers do not compare,
    /// so the lists alternate (local first), each in its own order, deduplicated.
    pub fn suggest(&self, goal: &str, k: usize) -> Vec<Suggestion> {
        self.candidates(goal, &[], k, k, &admit_all)
    }

    /// `local` candidates from the local ranker (knowing the proof's `previous` steps and the
    /// scope check `admits`), `remote` from the backend (checked here), merged.
    fn candidates(
        &self,
        goal: &str,
        previous: &[String],
        local: usize,
        remote: usize,
        admits: Admits,
    ) -> Vec<Suggestion> {
        let k = local.max(remote);
        let local = self.local.suggest_in(goal, previous, local, admits);
        let Some(backend) = &self.remote else {
            return local;
        };
        // Checked before merging, so that the merged list is not cut short by candidates the
        // check would drop afterwards.
        let mut remote = backend.suggest(goal, remote);
        remote.retain(|s| admits(&s.tactic));
        let mut merged = Vec::with_capacity(local.len() + remote.len());
        let (mut l, mut r) = (local.into_iter(), remote.into_iter());
        loop {
            match (l.next(), r.next()) {
                (None, None) => break,
                (a, b) => merged.extend(a.into_iter().chain(b)),
            }
        }
        let mut seen = std::collections::HashSet::new();
        merged.retain(|s| seen.insert(theorist_tactics::normalise::collapse_ws(&s.tactic)));
        merged.truncate(k);
        merged
    }

    /// The remote backend's errors so far (for the user).
    pub fn backend_errors(&self) -> Vec<String> {
        self.remote.as_ref().map(|r| r.errors()).unwrap_or_default()
    }
}

/// Where a goal stands: its file (the declarations above it, the namespaces, `open`s and
/// imports in effect, the declaration being proved), or nowhere for a goal given as text.
#[derive(Debug, Clone, Default)]
pub struct GoalSite {
    file: Option<SiteFile>,
}

#[derive(Debug, Clone)]
struct SiteFile {
    path: PathBuf,
    text: String,
    context: FileContext,
    declared_above: Vec<String>,
    /// The declaration the goal is in, and the byte where it starts.
    decl: Option<(String, usize)>,
    /// The file relative to its project's root, when it is in one.
    relative: Option<String>,
    /// The proof's steps above the goal's line, in order.
    previous: Vec<String>,
}

impl GoalSite {
    /// The site of `line` (1-based) in the file at `path` whose text is `text`.
    pub fn in_file(path: &Path, text: &str, line: u32) -> GoalSite {
        let src = theorist_leansrc::parse(text);
        let decl = src.decl_at_line(line);
        let start = decl.map_or(line, |d| d.start_line);
        GoalSite {
            file: Some(SiteFile {
                path: path.to_path_buf(),
                text: text.to_string(),
                context: context_at(text, line),
                declared_above: src
                    .decls
                    .iter()
                    .filter(|d| d.start_line < start)
                    .map(|d| d.name.clone())
                    .collect(),
                decl: decl.map(|d| (d.name.clone(), d.start_byte)),
                relative: None,
                previous: decl
                    .map(|d| steps_above(text, &d.name, line))
                    .unwrap_or_default(),
            }),
        }
    }

    /// The same site, its file named relative to the project at `root`.
    pub fn in_project(mut self, root: &Path) -> GoalSite {
        if let Some(f) = &mut self.file {
            let absolute = std::path::absolute(&f.path).unwrap_or_else(|_| f.path.clone());
            let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
            f.relative = absolute
                .strip_prefix(&root)
                .ok()
                .map(|p| p.to_string_lossy().into_owned());
        }
        self
    }

    /// The proof's steps above the goal (none for a goal given as text).
    pub fn previous_steps(&self) -> &[String] {
        self.file.as_ref().map_or(&[], |f| f.previous.as_slice())
    }

    /// The declaration being proved, as (file relative to the project, name).
    fn proving(&self) -> Option<(String, String)> {
        let f = self.file.as_ref()?;
        Some((f.relative.clone()?, f.decl.as_ref()?.0.clone()))
    }

    /// What a suggestion for `goal` may name here.
    pub fn scope<'a>(&self, goal: &str, names: &'a NameIndex) -> Scope<'a> {
        match &self.file {
            Some(f) => Scope::in_file(
                goal,
                &f.context,
                f.declared_above.iter().cloned(),
                f.decl.as_ref().map(|(name, _)| name.as_str()),
                names,
            ),
            None => Scope::of_goal(goal, names),
        }
    }

    /// The file as the numerics engine reads the goal in it.
    fn goal_file(&self) -> Option<GoalFile<'_>> {
        let f = self.file.as_ref()?;
        Some(GoalFile {
            path: &f.path,
            text: &f.text,
            decl_start: f.decl.as_ref().map_or(f.text.len(), |(_, at)| *at),
        })
    }
}

/// The steps of the proof of `decl` in `text` that start above `line`.
fn steps_above(text: &str, decl: &str, line: u32) -> Vec<String> {
    let (proofs, _) = theorist_tactics::mine::mine_file("", "", text);
    proofs
        .into_iter()
        .find(|p| p.decl == decl && p.kind == theorist_tactics::mine::ProofKind::Declaration)
        .map(|p| {
            p.steps
                .into_iter()
                .filter(|s| s.line < line)
                .map(|s| s.tactic)
                .collect()
        })
        .unwrap_or_default()
}

/// Retrieval over the proofs of the project at `root` and its packages (their steps cached
/// in theorist's cache folder), the declaration being proved left out; over the generated
/// corpus when there are none. With what it remembers, for the user.
fn retrieval_for(
    root: Option<&Path>,
    site: &GoalSite,
) -> (theorist_tactics::baseline::Retrieval, String) {
    use theorist_tactics::baseline::Retrieval;
    if let Some(root) = root {
        let cache = theorist_ci::cache::default_cache_dir().map(|d| d.join("proofs"));
        let config = MemoryConfig {
            exclude: site.proving(),
            ..MemoryConfig::default()
        };
        let (items, info) = project_memory(root, cache.as_deref(), &config);
        let retrieval = Retrieval::from_items(&items);
        if retrieval.len() >= MIN_MEMORY {
            return (retrieval, memory_note(&info));
        }
        let examples = theorist_tactics::baseline_examples();
        return (
            Retrieval::train(&examples),
            format!(
                "nearest neighbours over generated goals: {} has {} proof steps, too few to \
                 learn from",
                root.display(),
                retrieval.len()
            ),
        );
    }
    let examples = theorist_tactics::baseline_examples();
    (
        Retrieval::train(&examples),
        "nearest neighbours over generated goals: no Lake project, no proofs to learn from".into(),
    )
}

/// Fewer proof steps than this in a project and its packages, and retrieval falls back on
/// the generated corpus (a handful of neighbours is no ranking).
const MIN_MEMORY: usize = 200;

/// What the project's memory holds, in words.
fn memory_note(info: &MemoryInfo) -> String {
    let cached = info
        .cache
        .as_ref()
        .map(|c| format!(", the packages' cached in {}", c.display()))
        .unwrap_or_default();
    format!(
        "nearest neighbours among {} proof steps of {} ({} of its own, {} of its packages{cached})",
        info.remembered,
        info.root.display(),
        info.own_steps,
        info.package_steps
    )
}

/// The library names suggestions may use: every declaration of the Lake project at `root`
/// and of its `.lake/packages` (Mathlib's sources among them, when the project has them), the
/// packages' part cached in theorist's cache folder. Without a project only Lean core's
/// names: a library lemma that cannot be confirmed is never suggested.
pub fn library_names(root: Option<&Path>) -> (NameIndex, Option<IndexInfo>) {
    match root {
        Some(root) => {
            let cache = theorist_ci::cache::default_cache_dir().map(|d| d.join("names"));
            // The libraries' `srcDir`s name the project's modules (a lakefile theorist cannot
            // read leaves them named from the root: their names are then not confirmed).
            let source_dirs: Vec<PathBuf> = theorist_ci::discover::read_libraries(root)
                .map(|libs| libs.into_iter().map(|l| l.src_dir).collect())
                .unwrap_or_default();
            let (index, info) = project_index(root, &source_dirs, cache.as_deref());
            (index, Some(info))
        }
        None => (NameIndex::new(), None),
    }
}

/// What the user is told about where library names came from.
pub fn names_note(info: Option<&IndexInfo>) -> Option<String> {
    match info {
        None => Some(
            "no Lake project here: only Lean core's names are confirmed, so no library lemma \
             is suggested (run in the project, or pass its folder)"
                .into(),
        ),
        Some(i) if !i.mathlib => Some(format!(
            "{} has no Mathlib sources in .lake/packages: no Mathlib lemma is confirmed, so \
             none is suggested",
            i.root.display()
        )),
        Some(_) => None,
    }
}

/// The shipped step ranker's weights (`models/steprank.safetensors`, its manifest beside).
pub fn default_step_weights() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/steprank.safetensors"
    ))
}

/// The TacRank weights trained on generated goals (`model eval`/`model train` without
/// `--mined`).
pub fn default_weights() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/tacrank.safetensors"
    ))
}

/// A goal as Lean prints it; `\n` (backslash n) means a line break, and a goal without `⊢`
/// is the target alone.
pub fn goal_from_text(s: &str) -> Result<String, EngineError> {
    let g = s.replace("\\n", "\n");
    if g.trim().is_empty() {
        return Err(EngineError::bad_input(
            "the goal is empty: give the goal as Lean prints it, e.g. --goal \"x : ℝ\\n⊢ 0 ≤ x ^ 2\"",
        ));
    }
    Ok(if g.contains('⊢') {
        g
    } else {
        format!("⊢ {}", g.trim())
    })
}

/// Where the goal comes from.
#[derive(Debug, Clone)]
pub enum GoalSource {
    /// The goal text itself.
    Text(String),
    /// Ask Lean for the first goal at a position.
    At(PositionTarget),
}

#[derive(Debug, Clone)]
pub struct SuggestRequest {
    pub goal: GoalSource,
    /// For a goal given as text: a folder whose Lake project lends its names (none outside a
    /// project); a goal read from a file uses that file's project.
    pub project: Option<PathBuf>,
    /// How many suggestions.
    pub top: usize,
    pub ranking: RankingOptions,
    /// Wall-clock limit for every wait on Lean: the toolchain probe, the server's start, its
    /// requests and its elaboration of the file.
    pub timeout: Duration,
    /// Which Lean, and how it is confined.
    pub lean: LeanSetup,
}

/// The answer for one goal.
#[derive(Debug, Clone)]
pub struct SuggestReport {
    pub goal: String,
    pub ranker: String,
    pub note: Option<String>,
    pub backend_errors: Vec<String>,
    pub answer: Answer,
    /// Where the library names came from (`None`: no project).
    pub names: Option<IndexInfo>,
    /// Said when library names could not be confirmed (no project, no Mathlib sources).
    pub names_note: Option<String>,
}

impl SuggestReport {
    /// The suggestions shown (none when the goal is false).
    pub fn suggestions(&self) -> &[Suggestion] {
        match &self.answer {
            Answer::Suggestions { suggestions, .. } => suggestions,
            Answer::False { .. } => &[],
        }
    }

    /// The numerics engine refuted the goal.
    pub fn is_false(&self) -> bool {
        matches!(self.answer, Answer::False { .. })
    }

    /// The `suggest --json` document.
    pub fn to_json(&self) -> Value {
        json!({
            "goal": self.goal,
            "ranker": self.ranker,
            "model_available": theorist_tactics::model::AVAILABLE,
            "note": self.note,
            "backend_errors": self.backend_errors,
            "suggestions": self.suggestions(),
            "result": self.answer,
            "names": self.names.as_ref().map(|i| json!({
                "project": i.root,
                "packages": i.packages,
                "names": i.names,
                "modules": i.modules,
                "mathlib": i.mathlib,
            })),
            "names_note": self.names_note,
        })
    }
}

/// Runs on a multi-threaded runtime (the ranker blocks its thread with `block_in_place`).
pub async fn suggest(request: &SuggestRequest) -> Result<SuggestReport, EngineError> {
    if request.top == 0 {
        return Err(EngineError::bad_input("--top must be at least 1"));
    }
    let (goal, site, root) = match &request.goal {
        GoalSource::Text(text) => {
            let root = match &request.project {
                Some(dir) => project_around(dir)?,
                None => None,
            };
            (goal_from_text(text)?, GoalSite::default(), root)
        }
        GoalSource::At(at) => {
            let goal = goal_at(at, request).await?;
            let text = read_at_position(at)?;
            let root = project_of(&at.file)?.root;
            (
                goal,
                GoalSite::in_file(&at.file, &text, at.line),
                Some(root),
            )
        }
    };
    let ranking = request.ranking.clone();
    let top = request.top;
    let site = match &root {
        Some(r) => site.in_project(r),
        None => site,
    };
    tokio::task::block_in_place(move || {
        let rankers = Rankers::build(&ranking, root.as_deref(), &site)?;
        let (names, info) = library_names(root.as_deref());
        let answer = rankers.answer(&goal, &site, &names, top);
        Ok(SuggestReport {
            goal,
            backend_errors: rankers.backend_errors(),
            ranker: rankers.label,
            note: rankers.note,
            answer,
            names_note: names_note(info.as_ref()),
            names: info,
        })
    })
}

/// The root of the Lake project `dir` is in, if any.
fn project_around(dir: &Path) -> Result<Option<PathBuf>, EngineError> {
    if !dir.is_dir() {
        return Err(EngineError::bad_input(format!(
            "{}: no such folder",
            dir.display()
        )));
    }
    Ok(theorist_lean::Project::containing(dir).ok().map(|p| p.root))
}

/// The first goal Lean reports at the position.
async fn goal_at(at: &PositionTarget, request: &SuggestRequest) -> Result<String, EngineError> {
    let (_, goal, _) = ask_at(&GoalsRequest {
        at: at.clone(),
        memory_mb: None,
        timeout: request.timeout,
        lean: request.lean.clone(),
    })
    .await?;
    let (file, line, column) = (at.file.display(), at.line, at.column);
    match goal {
        Some(g) if !g.goals.is_empty() => Ok(g.goals[0].clone()),
        Some(_) => Err(EngineError::bad_input(format!(
            "{file}:{line}:{column}: no goals there (the proof is already complete)"
        ))),
        None => Err(EngineError::bad_input(format!(
            "{file}:{line}:{column}: Lean reports no tactic goal there (not inside a `by` block?)"
        ))),
    }
}
