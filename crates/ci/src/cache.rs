//! The incremental cache: a file's last result, kept under a key made of its content, the
//! content of every in-project module it imports (transitively), Lean's version, the project's
//! setup (lakefile, manifest, toolchain pin) and the config fingerprint. Only finished verdicts
//! are cached (a timeout or a crash may not happen again). Written atomically, so a killed run
//! leaves the old cache.
//!
//! It lives outside the checkout ([`cache_file`]: under `~/.cache/theorist/ci/`, one file per
//! project folder), where neither a pull request's files nor the code Lean runs in the sandbox
//! can reach it: an entry in the checkout could be forged with the right key and turn a
//! failing file green.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use theorist_report::{FileOutcome, FileResult};

use crate::config::hex;

const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    key: String,
    result: FileResult,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cache {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            version: VERSION,
            entries: BTreeMap::new(),
        }
    }
}

impl Cache {
    /// The cache at `path`; missing, unreadable or from another version → empty (with a
    /// warning), never an error: the cache only saves time.
    pub fn load(path: &Path) -> Cache {
        let Ok(bytes) = std::fs::read(path) else {
            return Cache::default();
        };
        match serde_json::from_slice::<Cache>(&bytes) {
            Ok(c) if c.version == VERSION => c,
            Ok(_) => Cache::default(),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "ignoring an unreadable cache");
                Cache::default()
            }
        }
    }

    pub fn get(&self, rel: &str, key: &str) -> Option<&FileResult> {
        self.entries
            .get(rel)
            .filter(|e| e.key == key)
            .map(|e| &e.result)
    }

    /// Remembers a finished verdict; timeouts and crashes are not cached.
    pub fn put(&mut self, rel: &str, key: String, result: &FileResult) {
        if matches!(result.outcome, FileOutcome::Passed | FileOutcome::Failed) {
            self.entries.insert(
                rel.to_string(),
                Entry {
                    key,
                    result: result.clone(),
                },
            );
        } else {
            self.entries.remove(rel);
        }
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::write_atomic(path, &serde_json::to_vec(self).expect("cache serialises"))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// theorist's cache folder: `$THEORIST_CACHE_DIR`, else `$XDG_CACHE_HOME/theorist`, else
/// `~/.cache/theorist`; `None` when none of them is set (then nothing is cached).
pub fn default_cache_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    var("THEORIST_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("theorist")))
        .or_else(|| var("HOME").map(|h| h.join(".cache").join("theorist")))
}

/// The cache file of the project at `root`, in `cache_dir`: `ci/<hash of the project's
/// absolute path>/cache.json`, so two checkouts never share entries by accident.
pub fn cache_file(cache_dir: &Path, root: &Path) -> PathBuf {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let digest = hex(&Sha256::digest(root.as_os_str().as_encoded_bytes()));
    cache_dir.join("ci").join(&digest[..32]).join("cache.json")
}

/// A hash of the project's setup that every verdict depends on besides the files themselves:
/// the lakefile, `lake-manifest.json` (which Mathlib) and `lean-toolchain`. A pull request
/// that swaps a dependency re-checks everything.
pub fn project_fingerprint(root: &Path) -> String {
    let mut h = Sha256::new();
    for name in [
        "lakefile.lean",
        "lakefile.toml",
        "lake-manifest.json",
        "lean-toolchain",
    ] {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        match std::fs::read(root.join(name)) {
            Ok(bytes) => {
                h.update([1]);
                h.update((bytes.len() as u64).to_le_bytes());
                h.update(&bytes);
            }
            Err(_) => h.update([0]),
        }
    }
    hex(&h.finalize())
}

/// The cache key of a file: its content, the keys of its direct in-project imports (with
/// their paths, in a fixed order), Lean's version and the config fingerprint. Because an
/// import's key covers its own imports, a change anywhere below a file changes its key (a
/// Merkle hash over the import graph, linear in its size).
pub fn cache_key(
    content: &[u8],
    imports: &[(&str, &[u8])],
    lean_version: &str,
    config_fingerprint: &str,
) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(lean_version.as_bytes());
    field(config_fingerprint.as_bytes());
    field(content);
    for (path, text) in imports {
        field(path.as_bytes());
        field(text);
    }
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(outcome: FileOutcome) -> FileResult {
        FileResult {
            file: "a.lean".into(),
            outcome,
            duration_ms: 1,
            cached: false,
            declarations: 1,
            findings: vec![],
        }
    }

    #[test]
    fn keys_change_with_content_imports_toolchain_and_config() {
        let base = cache_key(b"x", &[("b.lean", b"y")], "v1", "c");
        assert_eq!(base, cache_key(b"x", &[("b.lean", b"y")], "v1", "c"));
        assert_ne!(base, cache_key(b"x2", &[("b.lean", b"y")], "v1", "c"));
        assert_ne!(base, cache_key(b"x", &[("b.lean", b"y2")], "v1", "c"));
        assert_ne!(base, cache_key(b"x", &[("b.lean", b"y")], "v2", "c"));
        assert_ne!(base, cache_key(b"x", &[("b.lean", b"y")], "v1", "c2"));
        // Field boundaries are part of the hash.
        assert_ne!(
            cache_key(b"ab", &[], "v", "c"),
            cache_key(b"a", &[("b", b"")], "v", "c")
        );
    }

    #[test]
    fn the_cache_file_is_per_project_and_outside_it() {
        let cache = tempfile::tempdir().unwrap();
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let fa = cache_file(cache.path(), a.path());
        assert!(fa.starts_with(cache.path()));
        assert!(!fa.starts_with(a.path()));
        assert_ne!(fa, cache_file(cache.path(), b.path()));
        assert_eq!(fa, cache_file(cache.path(), a.path()));
    }

    #[test]
    fn the_project_fingerprint_follows_manifest_and_toolchain() {
        let p = tempfile::tempdir().unwrap();
        let before = project_fingerprint(p.path());
        std::fs::write(p.path().join("lake-manifest.json"), "{}").unwrap();
        let with_manifest = project_fingerprint(p.path());
        assert_ne!(before, with_manifest);
        std::fs::write(p.path().join("lean-toolchain"), "v4.22.0").unwrap();
        assert_ne!(with_manifest, project_fingerprint(p.path()));
        // An empty file is not a missing one.
        let q = tempfile::tempdir().unwrap();
        std::fs::write(q.path().join("lean-toolchain"), "").unwrap();
        assert_ne!(before, project_fingerprint(q.path()));
    }

    #[test]
    fn round_trips_and_skips_timeouts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".theorist/cache.json");
        let mut c = Cache::default();
        c.put("a.lean", "k".into(), &result(FileOutcome::Failed));
        c.put("b.lean", "k".into(), &result(FileOutcome::TimedOut));
        c.save(&path).unwrap();
        let back = Cache::load(&path);
        assert_eq!(back.len(), 1);
        assert!(back.get("a.lean", "k").is_some());
        assert!(back.get("a.lean", "other").is_none());
        std::fs::write(&path, "{ truncated").unwrap();
        assert!(Cache::load(&path).is_empty());
    }
}
