//! Which files a blueprint may read, and how much: the project a blueprint belongs to (its
//! Lake project, else the folder around `blueprint/src`), `\input` names resolved the way
//! plasTeX resolves them but never outside that project (not through `..`, an absolute path or
//! a symbolic link), and the limits that keep a hostile or broken blueprint from making the
//! reader do unbounded work ([`Limits`]).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Budgets for reading one blueprint. Real blueprints stay far below them (the largest
/// measured, Carleson's 431 KB single file, expands about 6,000 macros into 71 KB; no
/// blueprint measured expands to more than a quarter of what it reads); a blueprint that
/// reaches one gets an error naming the file and line, and what was read so far is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest file read.
    pub max_file_bytes: u64,
    /// Bytes read over all files (a file input twice counts twice).
    pub max_total_bytes: u64,
    /// `\input`s followed.
    pub max_inputs: usize,
    /// Files and macro expansions open inside one another.
    pub max_nesting: usize,
    /// Times one macro may be open inside itself (`\norm{\norm{x}}` is two).
    pub max_self_nesting: usize,
    /// Macro expansions over the whole blueprint.
    pub max_expansions: usize,
    /// Bytes of text produced by macro expansions, whatever the input's size.
    pub max_expanded_bytes: u64,
    /// Bytes of expanded text allowed per byte read, on top of
    /// [`Limits::expanded_bytes_allowance`] (see [`Limits::expanded_bytes_allowed`]).
    pub expanded_bytes_per_byte_read: u64,
    /// Bytes of expanded text allowed however little was read.
    pub expanded_bytes_allowance: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 16 << 20,
            max_total_bytes: 64 << 20,
            max_inputs: 4096,
            max_nesting: 40,
            max_self_nesting: 4,
            max_expansions: 50_000,
            max_expanded_bytes: 8 << 20,
            expanded_bytes_per_byte_read: 16,
            expanded_bytes_allowance: 64 << 10,
        }
    }
}

impl Limits {
    /// The expanded text allowed once `bytes_read` bytes are read: proportional to the input
    /// (and at most [`Limits::max_expanded_bytes`]). Everything after the reader (nodes,
    /// findings, graphs, layout) works on what the expansions make, so a fixed budget let a
    /// 925-byte file whose macro names itself make 3 MB of text, 5,655 nodes and 33,933
    /// findings (found by theorist-fuzz); in proportion, a small file stays small.
    pub fn expanded_bytes_allowed(&self, bytes_read: u64) -> u64 {
        self.expanded_bytes_per_byte_read
            .saturating_mul(bytes_read)
            .saturating_add(self.expanded_bytes_allowance)
            .min(self.max_expanded_bytes)
    }
}

/// What reading one blueprint cost, in the units [`Limits`] budgets. Deterministic, so tests
/// can check that the reader's work stays proportional to its input without timing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadCost {
    /// Bytes read over all files.
    pub bytes_read: u64,
    /// `\input`s followed.
    pub inputs: usize,
    /// Macro expansions made.
    pub expansions: usize,
    /// Bytes of text the expansions made (each scanned once, like a file's).
    pub expanded_bytes: u64,
}

/// The project a blueprint's source folder belongs to: the nearest folder above it with a
/// `lakefile.lean`, `lakefile.toml` or `lean-toolchain`; else the folder holding
/// `blueprint/src` (or `blueprints/src`); else the source folder itself. Canonical.
pub fn project_root(src: &Path) -> PathBuf {
    let src = src.canonicalize().unwrap_or_else(|_| src.to_path_buf());
    for dir in src.ancestors() {
        if ["lakefile.lean", "lakefile.toml", "lean-toolchain"]
            .iter()
            .any(|f| dir.join(f).is_file())
        {
            return dir.to_path_buf();
        }
    }
    let parent = src.parent();
    let is_blueprint_src = src.file_name().is_some_and(|n| n == "src")
        && parent
            .and_then(Path::file_name)
            .is_some_and(|n| n == "blueprint" || n == "blueprints");
    match parent.and_then(Path::parent) {
        Some(root) if is_blueprint_src => root.to_path_buf(),
        _ => src,
    }
}

/// `path` with `.` and `..` removed without asking the file system (so a name that leaves the
/// project is refused before anything outside is touched).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Why an `\input` was not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    NotFound,
    /// It names this file, which is outside the project.
    Outside(PathBuf),
}

/// A file an `\input` names: as written (relative to the folders searched, for messages) and
/// canonical (to recognise a file already being read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub shown: PathBuf,
    pub canonical: PathBuf,
}

/// Resolves `\input{name}` met in a file of folder `here`: like plasTeX (kpsewhich with the
/// current file's folder first, then the folder plasTeX runs in, the blueprint's `dir`), the
/// name as written, else with `.tex` added; only inside `root`.
pub fn resolve(name: &str, here: &Path, dir: &Path, root: &Path) -> Result<Resolved, Unresolved> {
    let mut outside = None;
    for base in [here, dir] {
        let joined = base.join(name);
        // kpsewhich finds the name as written, then plasTeX adds `.tex`.
        let tries = [
            joined.clone(),
            PathBuf::from(format!("{}.tex", joined.display())),
        ];
        for shown in tries {
            let absolute = match base.canonicalize() {
                Ok(b) => normalize(&b.join(shown.strip_prefix(base).unwrap_or(&shown))),
                Err(_) => continue,
            };
            if !absolute.starts_with(root) {
                outside.get_or_insert(absolute);
                continue;
            }
            if !absolute.is_file() {
                continue;
            }
            // A symbolic link may still lead out.
            match absolute.canonicalize() {
                Ok(canonical) if canonical.starts_with(root) => {
                    return Ok(Resolved { shown, canonical });
                }
                Ok(canonical) => {
                    outside.get_or_insert(canonical);
                }
                Err(_) => {}
            }
        }
    }
    Err(outside.map_or(Unresolved::NotFound, Unresolved::Outside))
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Larger than the limit asked for (its size, when known).
    TooLarge(Option<u64>),
    Io(String),
}

/// A file's text (invalid UTF-8 replaced), if it has at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<String, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::Io("not a regular file".into()));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        // It grew while being read.
        return Err(ReadError::TooLarge(None));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_resolve_inside_the_project_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap().join("proj");
        let src = root.join("blueprint/src");
        std::fs::create_dir_all(src.join("chapter")).unwrap();
        std::fs::write(src.join("chapter/a.tex"), "a").unwrap();
        std::fs::write(root.join("top.tex"), "t").unwrap();
        std::fs::write(tmp.path().join("secret.tex"), "s").unwrap();
        assert_eq!(project_root(&src), root);
        let here = src.join("chapter");
        // The current file's folder first, then the blueprint's.
        let r = resolve("a", &here, &src, &root).unwrap();
        assert_eq!(r.canonical, src.join("chapter/a.tex"));
        let r = resolve("chapter/a.tex", &here, &src, &root).unwrap();
        assert_eq!(r.canonical, src.join("chapter/a.tex"));
        assert!(resolve("../../top", &here, &src, &root).is_ok());
        assert_eq!(
            resolve("../../../secret", &src, &src, &root),
            Err(Unresolved::Outside(
                tmp.path().canonicalize().unwrap().join("secret")
            ))
        );
        assert!(matches!(
            resolve("/etc/passwd", &src, &src, &root),
            Err(Unresolved::Outside(_))
        ));
        assert_eq!(
            resolve("nope", &src, &src, &root),
            Err(Unresolved::NotFound)
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.tex"), src.join("link.tex"))
                .unwrap();
            assert!(matches!(
                resolve("link", &src, &src, &root),
                Err(Unresolved::Outside(_))
            ));
        }
    }

    #[test]
    fn oversized_files_are_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("big.tex");
        std::fs::write(&f, "x".repeat(100)).unwrap();
        assert_eq!(read_limited(&f, 99), Err(ReadError::TooLarge(Some(100))));
        assert_eq!(read_limited(&f, 100).unwrap().len(), 100);
        std::fs::write(&f, b"caf\xe9").unwrap();
        assert_eq!(read_limited(&f, 100).unwrap(), "caf\u{fffd}");
    }
}
