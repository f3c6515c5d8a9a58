//! What retrieval remembers for a user's Lake project: the tactic proofs of the project's own
//! files (mined on every call: they change as the user writes) and of every package under
//! `.lake/packages` (Mathlib's among them; mined once, their steps cached in theorist's cache
//! folder beside the name index, keyed as it is by `lake-manifest.json` and the packages'
//! folders), as steps with their proofs' previous steps. Nothing is shipped: a folder
//! without Lean proofs gives an empty memory, and the caller says what it uses instead.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::dataset::{StepItem, sample_seeded, step_items};
use crate::mine::{Source, mine_source};
use crate::project::{cache_key, packages_of, temporary_beside};

/// The cached steps' format (part of the cache key).
const FORMAT: &str = "theorist-memory/1";
/// Earlier steps kept per cached step: the retrieval features and the n-gram read two.
const HISTORY: usize = 2;

/// The repository name of the project's own steps (its packages' keep their names).
pub const PROJECT_REPO: &str = "project";

/// Which steps to remember, and what to leave out.
#[derive(Debug, Clone)]
pub struct MemoryConfig {
    /// At most this many steps (the project's own first, then the packages', drawn by a
    /// seeded hash): the index is built on every call.
    pub cap: usize,
    pub seed: u64,
    /// The declaration being proved (file relative to the project root, declaration name):
    /// its own steps are not remembered.
    pub exclude: Option<(String, String)>,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            cap: 100_000,
            seed: crate::DEFAULT_SEED,
            exclude: None,
        }
    }
}

/// What went into a project's memory, for the user.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MemoryInfo {
    pub root: PathBuf,
    /// Steps of the project's own files, and of its packages (before the cap).
    pub own_steps: usize,
    pub package_steps: usize,
    /// Steps remembered.
    pub remembered: usize,
    /// Where the packages' steps are cached (absent without packages or a cache folder).
    pub cache: Option<PathBuf>,
}

/// The steps of the project at `root` and of its packages, at most `config.cap`.
pub fn project_memory(
    root: &Path,
    cache_dir: Option<&Path>,
    config: &MemoryConfig,
) -> (Vec<StepItem>, MemoryInfo) {
    let packages = packages_of(root);
    let cache = cache_dir.filter(|_| !packages.is_empty()).map(|d| {
        d.join(format!(
            "proofs-{:016x}.jsonl",
            cache_key(
                root,
                &packages,
                &format!("{FORMAT}/{}/{}", config.cap, config.seed)
            )
        ))
    });
    let (package_items, cache) = package_steps(root, cache.as_deref(), config);
    let own_source = Source {
        repo: PROJECT_REPO.into(),
        commit: None,
        root: root.to_path_buf(),
    };
    let (mut own_proofs, _) = mine_source(&own_source);
    if let Some((file, decl)) = &config.exclude {
        own_proofs.retain(|p| !(p.file == *file && p.decl.split('/').next() == Some(decl)));
    }
    let own = shorten(step_items(&own_proofs));
    let info = MemoryInfo {
        root: root.to_path_buf(),
        own_steps: own.len(),
        package_steps: package_items.len(),
        remembered: 0,
        cache,
    };
    let room = config.cap.saturating_sub(own.len());
    let mut items = sample_seeded(own, config.cap, Some(config.seed));
    items.extend(sample_seeded(package_items, room, Some(config.seed)));
    let info = MemoryInfo {
        remembered: items.len(),
        ..info
    };
    (items, info)
}

/// The packages' steps, from `cache` when it holds them, else mined (and written there).
fn package_steps(
    root: &Path,
    cache: Option<&Path>,
    config: &MemoryConfig,
) -> (Vec<StepItem>, Option<PathBuf>) {
    if let Some(path) = cache
        && let Some(items) = read_items(path)
    {
        return (items, Some(path.to_path_buf()));
    }
    let mut items = Vec::new();
    // The project's own source is the first; its packages follow.
    for source in Source::project(root, None, None).into_iter().skip(1) {
        let (proofs, _) = mine_source(&source);
        items.extend(shorten(step_items(&proofs)));
    }
    // The cache holds at most what a call may remember, so reading it stays quick.
    let items = sample_seeded(items, config.cap, Some(config.seed));
    let written = cache.filter(|path| write_items(path, &items).is_ok());
    (items, written.map(Path::to_path_buf))
}

/// Keeps the last [`HISTORY`] earlier steps of each item.
fn shorten(mut items: Vec<StepItem>) -> Vec<StepItem> {
    for it in &mut items {
        let drop = it.previous.len().saturating_sub(HISTORY);
        it.previous.drain(..drop);
    }
    items
}

fn read_items(path: &Path) -> Option<Vec<StepItem>> {
    let file = std::fs::File::open(path).ok()?;
    std::io::BufReader::new(file)
        .lines()
        .map(|line| serde_json::from_str(&line.ok()?).ok())
        .collect()
}

/// One JSON object a line, written beside `path` and renamed over it.
fn write_items(path: &Path, items: &[StepItem]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temporary_beside(path);
    let written = (|| {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        for it in items {
            serde_json::to_writer(&mut out, it)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        drop(out);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_project_and_its_packages_cached_by_manifest() {
        let dir = std::env::temp_dir().join(format!("theorist-memory-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (root, cache) = (dir.join("proj"), dir.join("cache"));
        write(
            &root.join(".lake/packages/mathlib/Mathlib/A.lean"),
            "theorem lib (a b : ℕ) : a + b = b + a := by\n  rw [Nat.add_comm]\n",
        );
        write(
            &root.join("Demo/B.lean"),
            "theorem mine (x : ℝ) : 0 ≤ x ^ 2 := by\n  positivity\n\n\
             theorem proving (x : ℝ) : 0 ≤ x ^ 4 := by\n  sorry\n",
        );
        write(&root.join("lake-manifest.json"), "{\"packages\": []}");
        let config = MemoryConfig {
            exclude: Some(("Demo/B.lean".into(), "proving".into())),
            ..MemoryConfig::default()
        };
        let (items, info) = project_memory(&root, Some(&cache), &config);
        let tactics: Vec<&str> = items.iter().map(|i| i.tactic.as_str()).collect();
        assert_eq!(tactics, ["positivity", "rw [Nat.add_comm]"]);
        assert_eq!(
            (info.own_steps, info.package_steps, info.remembered),
            (1, 1, 2)
        );
        let cached = info.cache.clone().unwrap();
        assert!(cached.starts_with(&cache));
        // The second call reads the packages' steps from the cache: a package file changed
        // in place without a new manifest is not mined again…
        write(
            &root.join(".lake/packages/mathlib/Mathlib/A.lean"),
            "theorem lib (a b : ℕ) : a + b = b + a := by\n  omega\n",
        );
        let (again, _) = project_memory(&root, Some(&cache), &config);
        assert!(again.iter().any(|i| i.tactic == "rw [Nat.add_comm]"));
        // … while a new manifest (new package revisions) is another cache.
        write(&root.join("lake-manifest.json"), "{\"packages\": [1]}");
        let (fresh, fresh_info) = project_memory(&root, Some(&cache), &config);
        assert!(fresh.iter().any(|i| i.tactic == "omega"));
        assert_ne!(fresh_info.cache.unwrap(), cached);
        // The cap keeps the project's own steps first.
        let small = MemoryConfig {
            cap: 1,
            ..config.clone()
        };
        let (one, _) = project_memory(&root, Some(&cache), &small);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].tactic, "positivity");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
