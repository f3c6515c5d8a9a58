//! The names a Lake project's sources offer: its own files and every package under
//! `.lake/packages` (Mathlib among them), as a [`NameIndex`]. Reading Mathlib takes about a
//! minute, so the packages' part is cached on disk, keyed by the project's
//! `lake-manifest.json` (it changes when the packages do); the project's own files are read
//! every time. Nothing stands in for sources that are not there: without Mathlib among the
//! packages no Mathlib name is confirmed, and suggestions naming one are not shown.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::index::{Builder, NameIndex, Package, module_name};

/// What went into a project's index, for the user.
#[derive(Debug, Clone, Serialize)]
pub struct IndexInfo {
    /// The project's root folder.
    pub root: PathBuf,
    pub packages: Vec<String>,
    pub names: usize,
    pub modules: usize,
    /// Where the packages' part is cached (absent when there are no packages, or no cache
    /// could be written).
    pub cache: Option<PathBuf>,
    /// Mathlib's sources were among the packages.
    pub mathlib: bool,
}

/// The packages of a project: its `.lake/packages/*` folders, sorted.
pub fn packages_of(root: &Path) -> Vec<Package> {
    let mut out: Vec<Package> = std::fs::read_dir(root.join(".lake/packages"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| Package {
            name: e.file_name().to_string_lossy().into_owned(),
            root: e.path(),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The index of `root`'s packages and own files; the packages' part read from (or written
/// to) `cache_dir` when one is given. A cache that cannot be read is rebuilt, one that cannot
/// be written is done without: the index is the same either way.
/// `source_dirs` are the libraries' `srcDir`s (a file under one is named as a module
/// relative to it, as Lake names it; elsewhere relative to the root).
pub fn project_index(
    root: &Path,
    source_dirs: &[PathBuf],
    cache_dir: Option<&Path>,
) -> (NameIndex, IndexInfo) {
    let packages = packages_of(root);
    let cache = cache_dir.filter(|_| !packages.is_empty()).map(|d| {
        d.join(format!(
            "names-{:016x}.idx",
            cache_key(root, &packages, "theorist-names/1")
        ))
    });
    let (base, cache) = packages_index(&packages, cache.as_deref());
    let own = crate::index::lean_files(root);
    let mut builder = Builder::on_top_of(base);
    for f in &own {
        // The deepest source folder holding the file names its module.
        let base = source_dirs
            .iter()
            .filter(|d| f.starts_with(d))
            .max_by_key(|d| d.components().count())
            .map_or(root, PathBuf::as_path);
        if let (Some(module), Ok(text)) = (module_name(base, f), std::fs::read_to_string(f)) {
            builder.add_file("project", &module, &text);
        }
    }
    let index = builder.finish();
    let info = IndexInfo {
        root: root.to_path_buf(),
        packages: packages.iter().map(|p| p.name.clone()).collect(),
        names: index.len(),
        modules: index.module_count(),
        cache,
        mathlib: packages
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case("mathlib")),
    };
    (index, info)
}

/// The index of `packages`, read from `cache` when it holds one, else built and written
/// there; with the cache file it was read from or written to.
pub fn packages_index(packages: &[Package], cache: Option<&Path>) -> (NameIndex, Option<PathBuf>) {
    if let Some(path) = cache
        && let Ok(index) = NameIndex::load(path)
    {
        return (index, Some(path.to_path_buf()));
    }
    let index = NameIndex::build(packages);
    let written = cache.filter(|path| index.save(path).is_ok());
    (index, written.map(Path::to_path_buf))
}

/// A file name beside `path` that no other process or call uses, for writing `path`
/// atomically (written there, then renamed over it).
pub fn temporary_beside(path: &Path) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}-{call}.tmp", std::process::id()))
}

/// FNV-1a over what decides the packages' contents: the project's path, its
/// `lake-manifest.json` (package revisions), what is cached (`format`: the index's or the
/// proofs' format), and the packages' names with their folders' modification times (for
/// packages edited in place).
pub(crate) fn cache_key(root: &Path, packages: &[Package], format: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(format.as_bytes());
    eat(root
        .canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .to_string_lossy()
        .as_bytes());
    eat(&std::fs::read(root.join("lake-manifest.json")).unwrap_or_default());
    for p in packages {
        eat(p.name.as_bytes());
        let mtime = std::fs::metadata(&p.root)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        eat(&mtime.to_le_bytes());
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Visible;

    #[test]
    fn project_and_packages_with_a_cache() {
        let dir = std::env::temp_dir().join(format!("theorist-project-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pkg = dir.join(".lake/packages/mathlib/Mathlib");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            pkg.join("Basic.lean"),
            "theorem sq_nonneg : True := trivial\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("Demo")).unwrap();
        std::fs::write(
            dir.join("Demo/A.lean"),
            "import Mathlib.Basic\ntheorem quartic_nonneg : True := trivial\n",
        )
        .unwrap();
        // A link back up the tree: not followed (the walk ends).
        std::os::unix::fs::symlink(&dir, dir.join("Demo/loop")).unwrap();
        let cache = dir.join("cache");
        let (idx, info) = project_index(&dir, &[], Some(&cache));
        assert!(info.cache.as_ref().is_some_and(|c| c.exists()));
        assert!(info.mathlib);
        let from_a = idx.visible_from(&["Demo.A".to_string()]);
        let root = [String::new()];
        assert!(idx.resolves("sq_nonneg", &root, &from_a));
        assert!(idx.resolves("quartic_nonneg", &root, &from_a));
        // Second time: the packages come from the cache (a package edited in place without a
        // new manifest is not read again), the project's files are read again.
        std::fs::write(pkg.join("Basic.lean"), "theorem other : True := trivial\n").unwrap();
        std::fs::write(
            dir.join("Demo/A.lean"),
            "import Mathlib.Basic\ntheorem quartic_pos : True := trivial\n",
        )
        .unwrap();
        let (idx, info) = project_index(&dir, &[], Some(&cache));
        assert!(info.cache.is_some());
        assert!(idx.resolves("sq_nonneg", &root, &Visible::All));
        assert!(!idx.resolves("other", &root, &Visible::All));
        assert!(idx.resolves("quartic_pos", &root, &Visible::All));
        assert!(!idx.resolves("quartic_nonneg", &root, &Visible::All));
        // A cache folder that cannot be written: the same index, uncached.
        let blocked = dir.join("blocked");
        std::fs::write(&blocked, "a file, not a folder").unwrap();
        let (idx, info) = project_index(&dir, &[], Some(&blocked.join("sub")));
        assert!(info.cache.is_none());
        assert!(idx.resolves("other", &root, &Visible::All));
        // A library with `srcDir := "lean"`: its files are modules relative to it.
        std::fs::create_dir_all(dir.join("lean/Lib")).unwrap();
        std::fs::write(
            dir.join("lean/Lib/B.lean"),
            "theorem lib_lemma : True := trivial\n",
        )
        .unwrap();
        let (idx, _) = project_index(&dir, &[dir.join("lean")], None);
        let from = idx.visible_from(&["Lib.B".to_string()]);
        assert!(idx.resolves("lib_lemma", &root, &from));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
