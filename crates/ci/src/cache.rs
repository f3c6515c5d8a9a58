//! The incremental cache in `.theorist/cache.json`: a file's last result, kept under a key
//! made of its content, the content of every in-project module it imports (transitively),
//! Lean's version and the config fingerprint. Only finished verdicts are cached (a timeout or
//! a crash may not happen again). Written atomically, so a killed run leaves the old cache.

use std::collections::BTreeMap;
use std::path::Path;

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
