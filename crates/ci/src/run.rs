//! Runs the checks: cache look-ups first, then the remaining files in `workers` parallel
//! tasks, each a `Checker` call (which enforces its own timeout and memory cap). Results come
//! back in the order of `targets`; the cache (outside the checkout) is rewritten atomically at
//! the end.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use theorist_report::FileResult;
use tokio::sync::Semaphore;

use crate::cache::{Cache, cache_key};
use crate::checker::Checker;
use crate::discover::Module;

pub struct RunOptions {
    pub workers: usize,
    /// Use cached verdicts (`--no-cache` turns this off; fresh results are still stored).
    pub use_cache: bool,
    /// The cache file (see [`crate::cache::cache_file`]); `None`: nothing is cached.
    pub cache_path: Option<PathBuf>,
    pub lean_version: String,
    /// Everything else a verdict depends on: the config's verdict-relevant settings and the
    /// project's setup ([`crate::cache::project_fingerprint`]).
    pub config_fingerprint: String,
}

/// Checks `targets`; `graph` holds every project module (for import-aware cache keys);
/// `on_done` is called as each file finishes (progress display).
pub async fn run_checks<C: Checker>(
    targets: &[Module],
    graph: &BTreeMap<PathBuf, Module>,
    checker: Arc<C>,
    options: &RunOptions,
    on_done: &(dyn Fn(&FileResult) + Sync),
) -> std::io::Result<Vec<FileResult>> {
    let mut cache = match &options.cache_path {
        Some(path) if options.use_cache => Cache::load(path),
        _ => Cache::default(),
    };
    let mut keys_of = KeyMaker {
        graph,
        memo: HashMap::new(),
        options,
    };
    let mut keys = Vec::with_capacity(targets.len());
    for m in targets {
        keys.push(keys_of.key(&m.file)?);
    }

    let mut results: Vec<Option<FileResult>> = vec![None; targets.len()];
    let semaphore = Arc::new(Semaphore::new(options.workers.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, m) in targets.iter().enumerate() {
        if options.use_cache {
            if let Some(hit) = cache.get(&m.rel, &keys[i]) {
                let mut hit = hit.clone();
                hit.cached = true;
                on_done(&hit);
                results[i] = Some(hit);
                continue;
            }
        }
        let checker = checker.clone();
        let semaphore = semaphore.clone();
        let module = m.clone();
        tasks.spawn(async move {
            let _permit = semaphore
                .acquire_owned()
                .await
                .expect("semaphore is never closed");
            (i, checker.check(&module).await)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, result) = joined.map_err(std::io::Error::other)?;
        on_done(&result);
        cache.put(&targets[i].rel, keys[i].clone(), &result);
        results[i] = Some(result);
    }
    if let Some(path) = &options.cache_path {
        cache.save(path)?;
    }
    Ok(results
        .into_iter()
        .map(|r| r.expect("every target has a result"))
        .collect())
}

/// Cache keys over the import graph, each file read and hashed once.
struct KeyMaker<'a> {
    graph: &'a BTreeMap<PathBuf, Module>,
    memo: HashMap<PathBuf, String>,
    options: &'a RunOptions,
}

impl KeyMaker<'_> {
    fn key(&mut self, file: &Path) -> std::io::Result<String> {
        if let Some(k) = self.memo.get(file) {
            return Ok(k.clone());
        }
        // A placeholder first: an import cycle (which Lean rejects anyway) ends here.
        self.memo.insert(file.to_path_buf(), String::new());
        let content = std::fs::read(file)?;
        let imports: Vec<PathBuf> = self
            .graph
            .get(file)
            .map(|m| m.imports.clone())
            .unwrap_or_default();
        let mut import_keys = Vec::with_capacity(imports.len());
        for i in &imports {
            import_keys.push((i.to_string_lossy().into_owned(), self.key(i)?));
        }
        import_keys.sort();
        let refs: Vec<(&str, &[u8])> = import_keys
            .iter()
            .map(|(p, k)| (p.as_str(), k.as_bytes()))
            .collect();
        let key = cache_key(
            &content,
            &refs,
            &self.options.lean_version,
            &self.options.config_fingerprint,
        );
        self.memo.insert(file.to_path_buf(), key.clone());
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use theorist_report::FileOutcome;

    /// Counts calls; files whose text contains "bad" fail.
    struct Fake(Mutex<Vec<String>>);

    impl Checker for Fake {
        async fn check(&self, module: &Module) -> FileResult {
            self.0.lock().unwrap().push(module.rel.clone());
            let text = std::fs::read_to_string(&module.file).unwrap();
            let outcome = if text.contains("bad") {
                FileOutcome::Failed
            } else {
                FileOutcome::Passed
            };
            FileResult {
                file: module.rel.clone(),
                outcome,
                duration_ms: 0,
                cached: false,
                declarations: 1,
                findings: vec![],
            }
        }
    }

    fn module(root: &Path, rel: &str, text: &str, imports: &[&str]) -> Module {
        let file = root.join(rel);
        std::fs::write(&file, text).unwrap();
        Module {
            name: rel.into(),
            file,
            rel: rel.into(),
            imports: imports.iter().map(|i| root.join(i)).collect(),
        }
    }

    #[tokio::test]
    async fn cache_hits_follow_content_and_imports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let base = module(root, "Base.lean", "ok", &[]);
        let top = module(root, "Top.lean", "ok", &["Base.lean"]);
        let other = module(root, "Other.lean", "bad", &[]);
        let targets = vec![base.clone(), top.clone(), other.clone()];
        let graph: BTreeMap<PathBuf, Module> = targets
            .iter()
            .map(|m| (m.file.clone(), m.clone()))
            .collect();
        let options = RunOptions {
            workers: 2,
            use_cache: true,
            cache_path: Some(root.join("cache/cache.json")),
            lean_version: "v".into(),
            config_fingerprint: "c".into(),
        };
        let fake = Arc::new(Fake(Mutex::new(Vec::new())));
        let first = run_checks(&targets, &graph, fake.clone(), &options, &|_| {})
            .await
            .unwrap();
        assert_eq!(
            first.iter().map(|r| r.outcome).collect::<Vec<_>>(),
            [
                FileOutcome::Passed,
                FileOutcome::Passed,
                FileOutcome::Failed
            ]
        );
        assert_eq!(fake.0.lock().unwrap().len(), 3);

        let second = run_checks(&targets, &graph, fake.clone(), &options, &|_| {})
            .await
            .unwrap();
        assert!(second.iter().all(|r| r.cached));
        assert_eq!(fake.0.lock().unwrap().len(), 3, "a warm cache runs nothing");

        // Editing Base re-checks Base and Top (which imports it), not Other.
        std::fs::write(root.join("Base.lean"), "ok, edited").unwrap();
        fake.0.lock().unwrap().clear();
        run_checks(&targets, &graph, fake.clone(), &options, &|_| {})
            .await
            .unwrap();
        let mut rechecked = fake.0.lock().unwrap().clone();
        rechecked.sort();
        assert_eq!(rechecked, ["Base.lean", "Top.lean"]);

        let forced = RunOptions {
            use_cache: false,
            ..options
        };
        fake.0.lock().unwrap().clear();
        run_checks(&targets, &graph, fake.clone(), &forced, &|_| {})
            .await
            .unwrap();
        assert_eq!(
            fake.0.lock().unwrap().len(),
            3,
            "--no-cache checks everything"
        );
    }
}
