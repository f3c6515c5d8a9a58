//! `theorist model mine`: every tactic proof of a folder of Lean sources, as data. For each
//! `theorem`/`lemma`/`example` whose body is `by …` (term proofs are counted and skipped): the
//! statement turned into the goal the proof starts from (the `variable`s it mentions, then its
//! binders, as hypotheses; its type after `⊢`; the names are the ones the proof sees), and
//! the tactic steps with their positions ([`crate::steps`] splits the block). A `have h : T
//! := by` is also a proof of its own, from the goal `⊢ T` in the statement's context.
//!
//! No Lean runs here; `--trace` (`theorist_prove::trace`) adds Lean's real goal before each
//! step where a toolchain exists.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::context::{Binder, FileContext, walk};
use crate::normalise::statement_to_goal;
use crate::tactic_names::{Tok, tokenize};

/// One tactic step of a mined proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinedStep {
    /// The tactic, comments removed, whitespace collapsed (nested blocks included).
    pub tactic: String,
    /// Where it starts (line 1-based, column 0-based in codepoints).
    pub line: u32,
    pub column: u32,
    /// 0 for the proof's own block, +1 per nested block.
    pub depth: u32,
    /// Lean's first goal before this step (`--trace` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
}

/// What a mined proof proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProofKind {
    /// A declaration's proof.
    Declaration,
    /// The nested proof of a `have name : T := by …` inside one.
    Have,
}

/// One tactic proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinedProof {
    /// The repository (or package) it comes from, `owner/name` when known.
    pub repo: String,
    /// Path relative to the repository root.
    pub file: String,
    /// The declaration's full name (`Foo.bar`; `example@LINE` for examples).
    pub decl: String,
    pub kind: ProofKind,
    /// Line of the declaration (or of the `have`).
    pub line: u32,
    /// The goal the proof starts from, as Lean would print it (from the statement).
    pub goal: Option<String>,
    /// For a `have`'s proof: names the enclosing proof's earlier steps introduced (in scope,
    /// types unknown, so not in `goal`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context_names: Vec<String>,
    pub steps: Vec<MinedStep>,
}

/// Counts over a mining run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MineStats {
    pub files: usize,
    pub unreadable_files: usize,
    pub theorems: usize,
    pub tactic_proofs: usize,
    pub term_proofs: usize,
    pub have_proofs: usize,
    pub steps: usize,
    /// Proofs whose statement could not be turned into a goal (kept, goal `None`).
    pub without_goal: usize,
}

impl MineStats {
    fn add(&mut self, o: &MineStats) {
        self.files += o.files;
        self.unreadable_files += o.unreadable_files;
        self.theorems += o.theorems;
        self.tactic_proofs += o.tactic_proofs;
        self.term_proofs += o.term_proofs;
        self.have_proofs += o.have_proofs;
        self.steps += o.steps;
        self.without_goal += o.without_goal;
    }
}

/// A source tree to mine: its label, commit, root folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub repo: String,
    pub commit: Option<String>,
    pub root: PathBuf,
}

impl Source {
    /// A Lake project and the packages in its `.lake/packages` (each a source of its own,
    /// its commit from `lake-manifest.json`). `label`/`commit` override the project's own.
    pub fn project(root: &Path, label: Option<&str>, commit: Option<&str>) -> Vec<Source> {
        let repo = label.map(str::to_string).unwrap_or_else(|| {
            root.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| root.display().to_string())
        });
        let commit = commit.map(str::to_string).or_else(|| git_head(root));
        // Absolute, so the manifest still finds the sources from another folder.
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let mut out = vec![Source {
            repo,
            commit,
            root: root.clone(),
        }];
        let manifest = std::fs::read_to_string(root.join("lake-manifest.json")).ok();
        let revs: Vec<(String, String, String)> = manifest
            .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
            .and_then(|v| v.get("packages").and_then(|p| p.as_array()).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                Some((
                    p.get("name")?.as_str()?.to_string(),
                    p.get("rev")
                        .and_then(|r| r.as_str())
                        .unwrap_or("")
                        .to_string(),
                    p.get("url")
                        .and_then(|r| r.as_str())
                        .unwrap_or("")
                        .to_string(),
                ))
            })
            .collect();
        if let Ok(rd) = std::fs::read_dir(root.join(".lake/packages")) {
            let mut dirs: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            dirs.sort();
            for d in dirs {
                let name = d
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let known = revs.iter().find(|(n, _, _)| *n == name);
                let repo = known
                    .map(|(_, _, url)| {
                        url.trim_end_matches(".git")
                            .rsplit('/')
                            .take(2)
                            .collect::<Vec<_>>()
                    })
                    .filter(|parts| parts.len() == 2)
                    .map(|parts| format!("{}/{}", parts[1], parts[0]))
                    .unwrap_or(name);
                out.push(Source {
                    repo,
                    commit: known
                        .map(|(_, rev, _)| rev.clone())
                        .filter(|r| !r.is_empty()),
                    root: d,
                });
            }
        }
        out
    }
}

/// The commit `root/.git` points at, if it is a plain git checkout.
fn git_head(root: &Path) -> Option<String> {
    let git = root.join(".git");
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(r) = head.strip_prefix("ref: ") else {
        return Some(head.to_string());
    };
    if let Ok(c) = std::fs::read_to_string(git.join(r)) {
        return Some(c.trim().to_string());
    }
    let packed = std::fs::read_to_string(git.join("packed-refs")).ok()?;
    packed
        .lines()
        .find(|l| l.ends_with(r))
        .and_then(|l| l.split_whitespace().next())
        .map(str::to_string)
}

/// One mined source with its proofs and counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    #[serde(flatten)]
    pub source: Source,
    pub stats: MineStats,
    /// Steps whose goal Lean reported (`--trace`); 0 without it.
    #[serde(default)]
    pub traced_steps: usize,
}

/// Why mined data could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MineError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: not a mined proof ({detail})")]
    Format {
        path: PathBuf,
        line: usize,
        detail: String,
    },
    #[error("{path}: no sources manifest beside it ({manifest}); mine with `theorist model mine`")]
    NoManifest { path: PathBuf, manifest: PathBuf },
    #[error("{repo} is in both {first} and {second}: its proofs would count twice")]
    SourceTwice {
        repo: String,
        first: PathBuf,
        second: PathBuf,
    },
}

/// The manifest written beside a mined file: `mined.jsonl` → `mined.sources.json`.
pub fn manifest_path(out: &Path) -> PathBuf {
    out.with_extension("sources.json")
}

/// Writes the proofs (one JSON object a line) and the sources' manifest, each through a
/// temporary file renamed into place.
pub fn save(out: &Path, proofs: &[MinedProof], sources: &[SourceRecord]) -> Result<(), MineError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| MineError::Io { path, source }
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut text = String::new();
    for p in proofs {
        text.push_str(&serde_json::to_string(p).expect("serialisable"));
        text.push('\n');
    }
    let write = |path: &Path, body: &str| -> Result<(), MineError> {
        let tmp = crate::project::temporary_beside(path);
        let written = std::fs::write(&tmp, body).and_then(|_| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(io(path))
    };
    write(out, &text)?;
    let manifest = serde_json::to_string_pretty(sources).expect("serialisable");
    write(&manifest_path(out), &manifest)
}

/// Reads a file written by [`save`] (and its manifest, when present).
pub fn load(path: &Path) -> Result<(Vec<MinedProof>, Vec<SourceRecord>), MineError> {
    let text = std::fs::read_to_string(path).map_err(|source| MineError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut proofs = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        proofs.push(serde_json::from_str(line).map_err(|e| MineError::Format {
            path: path.to_path_buf(),
            line: i + 1,
            detail: e.to_string(),
        })?);
    }
    let manifest = manifest_path(path);
    let sources = match std::fs::read_to_string(&manifest) {
        Ok(t) => serde_json::from_str(&t).map_err(|e| MineError::Format {
            path: manifest.clone(),
            line: e.line(),
            detail: e.to_string(),
        })?,
        Err(_) => Vec::new(),
    };
    Ok((proofs, sources))
}

/// Reads several files written by [`save`], each with its manifest, as one data set. A
/// repository may come from one file only (mined twice, its proofs would count twice).
pub fn load_all(paths: &[PathBuf]) -> Result<(Vec<MinedProof>, Vec<SourceRecord>), MineError> {
    let mut proofs = Vec::new();
    let mut sources: Vec<SourceRecord> = Vec::new();
    let mut from: Vec<(String, PathBuf)> = Vec::new();
    for path in paths {
        let (p, s) = load(path)?;
        if s.is_empty() {
            return Err(MineError::NoManifest {
                path: path.clone(),
                manifest: manifest_path(path),
            });
        }
        for record in &s {
            if let Some((_, first)) = from.iter().find(|(r, _)| *r == record.source.repo) {
                return Err(MineError::SourceTwice {
                    repo: record.source.repo.clone(),
                    first: first.clone(),
                    second: path.clone(),
                });
            }
            from.push((record.source.repo.clone(), path.clone()));
        }
        proofs.extend(p);
        sources.extend(s);
    }
    Ok((proofs, sources))
}

/// Mines every `.lean` file under `source.root` (skipping `.lake` and hidden folders).
pub fn mine_source(source: &Source) -> (Vec<MinedProof>, MineStats) {
    let files = crate::index::lean_files(&source.root);
    let mut proofs = Vec::new();
    let mut stats = MineStats::default();
    for f in files {
        let rel = f
            .strip_prefix(&source.root)
            .unwrap_or(&f)
            .to_string_lossy()
            .into_owned();
        match std::fs::read_to_string(&f) {
            Ok(text) => {
                let (p, s) = mine_file(&source.repo, &rel, &text);
                proofs.extend(p);
                stats.add(&s);
            }
            Err(_) => stats.unreadable_files += 1,
        }
    }
    (proofs, stats)
}

/// Mines one file's text.
pub fn mine_file(repo: &str, file: &str, text: &str) -> (Vec<MinedProof>, MineStats) {
    let mut stats = MineStats {
        files: 1,
        ..MineStats::default()
    };
    let src = theorist_leansrc::parse(text);
    let clean = strip_comments(text);
    let contexts = walk(text);
    let mut out = Vec::new();
    for d in &src.decls {
        if !d.kind.is_theorem_like() {
            continue;
        }
        stats.theorems += 1;
        let (Some(body), Some(body_start)) = (d.body.as_deref(), d.body_start_byte) else {
            continue;
        };
        if !starts_with_word(body, "by") {
            stats.term_proofs += 1;
            continue;
        }
        stats.tactic_proofs += 1;
        let ctx = contexts
            .iter()
            .take_while(|(c, _)| c.line <= d.name_pos.line)
            .last()
            .map(|(_, ctx)| ctx.clone())
            .unwrap_or_default();
        let binders = included_variables(&ctx, &d.signature);
        let goal = goal_of(&binders, &d.signature);
        if goal.is_none() {
            stats.without_goal += 1;
        }
        let end = d.end_byte.min(clean.len());
        let (steps, haves) = crate::steps::block_steps(&clean, &src, body_start + 2, end);
        stats.steps += steps.len();
        for h in haves {
            stats.have_proofs += 1;
            let have_goal = goal.as_deref().map(|g| {
                let hyps: Vec<&str> = g.lines().take_while(|l| !l.starts_with('⊢')).collect();
                let mut lines: Vec<String> = hyps.iter().map(|s| s.to_string()).collect();
                lines.push(format!("⊢ {}", crate::normalise::normalise_expr(&h.ty)));
                lines.join("\n")
            });
            out.push(MinedProof {
                repo: repo.to_string(),
                file: file.to_string(),
                decl: format!("{}/have@{}", d.name, h.line),
                kind: ProofKind::Have,
                line: h.line,
                goal: have_goal,
                context_names: h.context_names,
                steps: h.steps,
            });
        }
        out.push(MinedProof {
            repo: repo.to_string(),
            file: file.to_string(),
            decl: d.name.clone(),
            kind: ProofKind::Declaration,
            line: d.start_line,
            goal,
            context_names: Vec::new(),
            steps,
        });
    }
    // Declarations in file order (a `have`'s proof right after its declaration).
    out.sort_by_key(|p| (p.line, p.kind == ProofKind::Have));
    (out, stats)
}

fn starts_with_word(s: &str, w: &str) -> bool {
    s.starts_with(w)
        && !s[w.len()..]
            .chars()
            .next()
            .is_some_and(crate::normalise::is_ident_char)
}

/// The `variable` binders a declaration with this signature includes: those it mentions (or
/// `include`s), the variables their types mention, and the instance binders all of whose
/// variables are included — Lean ≥ 4.10's rule.
pub fn included_variables(ctx: &FileContext, signature: &str) -> Vec<Binder> {
    let mentioned = |text: &str| -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter_map(|t| match t {
                Tok::Ident(w) => Some(w.split('.').next().unwrap_or_default().to_string()),
                _ => None,
            })
            .collect()
    };
    // A name the declaration binds itself shadows the variable of that name.
    let own: Vec<String> = crate::context::binder_groups(signature)
        .into_iter()
        .flat_map(|b| b.names)
        .collect();
    let var_names: Vec<&String> = ctx
        .variables
        .iter()
        .flat_map(|b| b.names.iter())
        .filter(|n| !own.contains(n))
        .collect();
    let mut included: Vec<String> = mentioned(signature)
        .into_iter()
        .chain(ctx.includes.iter().cloned())
        .filter(|n| var_names.contains(&n))
        .collect();
    // Types of included variables bring in what they mention, to a fixed point.
    loop {
        let before = included.len();
        for b in &ctx.variables {
            if b.names.iter().any(|n| included.contains(n)) {
                for m in mentioned(&b.ty) {
                    if var_names.contains(&&m) && !included.contains(&m) {
                        included.push(m);
                    }
                }
            }
        }
        if included.len() == before {
            break;
        }
    }
    let mut out = Vec::new();
    for b in &ctx.variables {
        if b.bracket == '[' {
            let vars: Vec<String> = mentioned(&b.ty)
                .into_iter()
                .filter(|m| var_names.contains(&m))
                .collect();
            if !vars.is_empty() && vars.iter().all(|v| included.contains(v)) {
                out.push(b.clone());
            }
            continue;
        }
        let names: Vec<String> = b
            .names
            .iter()
            .filter(|n| included.contains(n))
            .cloned()
            .collect();
        if !names.is_empty() {
            out.push(Binder {
                names,
                ty: b.ty.clone(),
                bracket: b.bracket,
            });
        }
    }
    out
}

/// The initial goal of a declaration: included variables, then its own binders.
pub fn goal_of(variables: &[Binder], signature: &str) -> Option<String> {
    let vars: Vec<String> = variables.iter().map(Binder::source).collect();
    statement_to_goal(&format!("theorem X {} {} :=", vars.join(" "), signature))
}

/// `text` with `--` and `/- -/` comments replaced by spaces (strings kept), offsets intact.
pub fn strip_comments(text: &str) -> String {
    let masked = theorist_leansrc::mask_comments_and_strings(text);
    // Where the mask blanked a string literal, restore it: a blanked run that starts with a
    // `"` in the original is a string.
    let mut out: Vec<u8> = masked.into_bytes();
    let orig = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    let mut in_comment = false;
    let mut depth = 0usize;
    while i < orig.len() {
        if in_string {
            out[i] = orig[i];
            if orig[i] == b'\\' && i + 1 < orig.len() {
                out[i + 1] = orig[i + 1];
                i += 2;
                continue;
            }
            if orig[i] == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if in_comment {
            if orig[i] == b'/' && orig.get(i + 1) == Some(&b'-') {
                depth += 1;
                i += 2;
                continue;
            }
            if orig[i] == b'-' && orig.get(i + 1) == Some(&b'/') {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    in_comment = false;
                }
                continue;
            }
            i += 1;
            continue;
        }
        match orig[i] {
            b'-' if orig.get(i + 1) == Some(&b'-') => {
                while i < orig.len() && orig[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if orig.get(i + 1) == Some(&b'-') => {
                in_comment = true;
                depth = 1;
                i += 2;
            }
            b'"' => {
                out[i] = b'"';
                in_string = true;
                i += 1;
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A mined proof as (state, tactic) examples: the first step from the proof's goal, later
/// steps with the steps before them. With traced goals, each step's own goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepExample {
    pub repo: String,
    pub file: String,
    pub decl: String,
    /// Index of the step in its proof (0 = first tactic).
    pub index: usize,
    pub goal: String,
    /// The steps before this one, in order.
    pub previous: Vec<String>,
    pub tactic: String,
}

pub fn step_examples(p: &MinedProof) -> Vec<StepExample> {
    let mut out = Vec::new();
    for (i, s) in p.steps.iter().enumerate() {
        let Some(goal) = s.goal.clone().or_else(|| p.goal.clone()) else {
            continue;
        };
        out.push(StepExample {
            repo: p.repo.clone(),
            file: p.file.clone(),
            decl: p.decl.clone(),
            index: i,
            goal,
            previous: p.steps[..i].iter().map(|s| s.tactic.clone()).collect(),
            tactic: s.tactic.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"import Mathlib.Analysis.SpecialFunctions.Pow.Real

namespace Demo

variable {E : Type*} [NormedAddCommGroup E] (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵)

/-- A term proof: skipped. -/
theorem term_proof (x : ℝ) : x = x := rfl

theorem bounded (x : ℝ) : -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2 := by
  -- complete the square
  have key : 0 ≤ (x - μSq / (2 * 𝓵)) ^ 2 := by
    positivity
  have h2 : 0 < 4 * 𝓵 := by linarith
  rw [div_le_iff₀ h2]; nlinarith [key]

lemma split (a b : ℝ) (ha : 0 ≤ a) (hb : 0 ≤ b) : 0 ≤ a * b ∧ 0 ≤ a + b := by
  constructor
  · exact mul_nonneg ha hb
  · calc 0 ≤ a := ha
      _ ≤ a + b := by linarith
  all_goals (try simp) <;> positivity

end Demo

example (n : ℕ) : n + 0 = n := by
  induction n with
  | zero => rfl
  | succ k ih =>
    simp
"#;

    #[test]
    fn mines_steps_bullets_calc_haves_and_skips_term_proofs() {
        let (proofs, stats) = mine_file("test/demo", "Demo.lean", FILE);
        assert_eq!(stats.theorems, 4);
        assert_eq!(stats.term_proofs, 1);
        assert_eq!(stats.tactic_proofs, 3);
        let bounded = proofs.iter().find(|p| p.decl == "Demo.bounded").unwrap();
        assert_eq!(
            bounded.goal.as_deref(),
            Some("μSq 𝓵 x : ℝ\n⊢ -μSq ^ 2 / (4 * 𝓵) ≤ -μSq * x + 𝓵 * x ^ 2")
        );
        let tactics: Vec<(&str, u32)> = bounded
            .steps
            .iter()
            .map(|s| (s.tactic.as_str(), s.depth))
            .collect();
        assert_eq!(
            tactics,
            [
                ("have key : 0 ≤ (x - μSq / (2 * 𝓵)) ^ 2 := by positivity", 0),
                ("positivity", 1),
                ("have h2 : 0 < 4 * 𝓵 := by linarith", 0),
                ("rw [div_le_iff₀ h2]", 0),
                ("nlinarith [key]", 0),
            ]
        );
        // Positions are where the tactics start.
        assert_eq!((bounded.steps[0].line, bounded.steps[0].column), (12, 2));
        assert_eq!((bounded.steps[4].line, bounded.steps[4].column), (15, 23));
        // The nested `have … := by` is a proof of its own, from `⊢ T` in the same context.
        let have = proofs
            .iter()
            .find(|p| p.kind == ProofKind::Have && p.decl.starts_with("Demo.bounded"))
            .unwrap();
        assert_eq!(
            have.goal.as_deref(),
            Some("μSq 𝓵 x : ℝ\n⊢ 0 ≤ (x - μSq / (2 * 𝓵)) ^ 2")
        );
        assert_eq!(have.steps[0].tactic, "positivity");
        assert_eq!(have.steps[0].depth, 0);
        assert!(have.context_names.is_empty());
        // … and so is a one-line `have … := by tac`.
        let inline = proofs
            .iter()
            .find(|p| p.kind == ProofKind::Have && p.decl.ends_with("have@14"))
            .unwrap();
        assert_eq!(inline.goal.as_deref(), Some("μSq 𝓵 x : ℝ\n⊢ 0 < 4 * 𝓵"));
        assert_eq!(inline.steps[0].tactic, "linarith");
        assert_eq!(inline.context_names, ["key"]);
        assert_eq!((inline.steps[0].line, inline.steps[0].column), (14, 28));

        let split = proofs.iter().find(|p| p.decl == "Demo.split").unwrap();
        let tactics: Vec<(&str, u32)> = split
            .steps
            .iter()
            .map(|s| (s.tactic.as_str(), s.depth))
            .collect();
        assert_eq!(
            tactics,
            [
                ("constructor", 0),
                ("exact mul_nonneg ha hb", 1),
                ("calc 0 ≤ a := ha _ ≤ a + b := by linarith", 1),
                ("all_goals (try simp) <;> positivity", 0),
            ]
        );
        let ex = proofs
            .iter()
            .find(|p| p.decl.starts_with("example"))
            .unwrap();
        let tactics: Vec<&str> = ex.steps.iter().map(|s| s.tactic.as_str()).collect();
        assert_eq!(
            tactics,
            ["induction n with | zero => rfl | succ k ih => simp", "simp"]
        );
        assert_eq!(ex.goal.as_deref(), Some("n : ℕ\n⊢ n + 0 = n"));
    }

    #[test]
    fn variables_come_in_when_mentioned() {
        let ctx = crate::context::context_at(FILE, 10);
        let b = included_variables(&ctx, "(x : ℝ) : 0 ≤ (h𝓵.le : 0 ≤ 𝓵) ∧ x = x");
        let names: Vec<Vec<String>> = b.iter().map(|b| b.names.clone()).collect();
        assert_eq!(names, [vec!["𝓵".to_string()], vec!["h𝓵".to_string()]]);
        let b = included_variables(&ctx, "(v : E) : ‖v‖ = ‖v‖");
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(b[1].source(), "[NormedAddCommGroup E]");
        // `include` brings a variable in without a mention.
        let with_include =
            "variable (a : ℝ) (ha : 0 < a)\ninclude ha\ntheorem t : True := by trivial\n";
        let ctx = crate::context::context_at(with_include, 3);
        let b = included_variables(&ctx, ": True");
        let names: Vec<String> = b.iter().flat_map(|b| b.names.clone()).collect();
        assert_eq!(names, ["a", "ha"]);
    }

    #[test]
    fn saves_and_loads_with_a_manifest() {
        let (proofs, stats) = mine_file("r/x", "F.lean", FILE);
        let dir = std::env::temp_dir().join(format!("theorist-mine-{}", std::process::id()));
        let out = dir.join("mined.jsonl");
        let sources = vec![SourceRecord {
            source: Source {
                repo: "r/x".into(),
                commit: Some("abc".into()),
                root: dir.clone(),
            },
            stats,
            traced_steps: 0,
        }];
        save(&out, &proofs, &sources).unwrap();
        let (back, back_sources) = load(&out).unwrap();
        assert_eq!(back, proofs);
        assert_eq!(back_sources, sources);
        // Several files load as one set; a repository in two of them is refused.
        let other = dir.join("other.jsonl");
        let mut renamed = sources.clone();
        renamed[0].source.repo = "r/y".into();
        save(&other, &proofs[..1], &renamed).unwrap();
        let (both, both_sources) = load_all(&[out.clone(), other.clone()]).unwrap();
        assert_eq!((both.len(), both_sources.len()), (proofs.len() + 1, 2));
        let twice = load_all(&[out.clone(), out.clone()])
            .unwrap_err()
            .to_string();
        assert!(twice.contains("r/x is in both"), "{twice}");
        std::fs::remove_file(manifest_path(&other)).unwrap();
        let bare = load_all(&[other]).unwrap_err().to_string();
        assert!(bare.contains("no sources manifest"), "{bare}");
        std::fs::write(&out, "{not json\n").unwrap();
        let err = load(&out).unwrap_err().to_string();
        assert!(err.contains("mined.jsonl, line 1"), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn comments_go_strings_stay() {
        let s = strip_comments("simp -- done\ntrace \"-- not a comment\" /- x -/ ring");
        assert_eq!(s.lines().next().unwrap().trim_end(), "simp");
        assert!(s.contains("\"-- not a comment\""));
        assert!(!s.contains("x -/"));
    }

    #[test]
    fn examples_pair_steps_with_their_history() {
        let (proofs, _) = mine_file("r", "F.lean", FILE);
        let split = proofs.iter().find(|p| p.decl == "Demo.split").unwrap();
        let ex = step_examples(split);
        assert_eq!(ex.len(), 4);
        assert_eq!(ex[0].previous.len(), 0);
        assert_eq!(ex[2].previous, ["constructor", "exact mul_nonneg ha hb"]);
    }
}
