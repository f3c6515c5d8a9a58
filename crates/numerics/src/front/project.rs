//! Reading a file with its imports: the Lake project root (the nearest `lakefile.lean` or
//! `lakefile.toml` upwards), module names mapped to files under the root and under
//! `.lake/packages/*`, dependencies read before the files that import them. Lean core, Std,
//! Batteries and Mathlib modules are not read (theorist's table of their constants stands in
//! for them, `prelude`); a module found nowhere is recorded, not guessed.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::command::{declared_symbols, read_file};
use super::env::{Env, FileInfo};
use super::lex::Pos;

/// The most files one statement's imports may pull in.
pub const MAX_FILES: usize = 3000;

/// Module prefixes theorist does not read from source.
const EXTERNAL: &[&str] = &[
    "Mathlib",
    "Lean",
    "Init",
    "Std",
    "Batteries",
    "Aesop",
    "Qq",
    "ProofWidgets",
    "Plausible",
    "LeanSearchClient",
    "ImportGraph",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    #[error("cannot read {path}: {message}")]
    Io { path: String, message: String },
    #[error("{file}:{pos}: {message}")]
    Lex {
        file: String,
        pos: Pos,
        message: String,
    },
    #[error("more than {MAX_FILES} files imported")]
    TooManyFiles,
}

/// The environment of one file, with its imports read.
#[derive(Debug)]
pub struct Loaded {
    pub env: Env,
    /// The index of the file itself in `env.files`.
    pub main: usize,
    /// Imported modules theorist did not read (external libraries, or not found).
    pub skipped: Vec<String>,
}

/// The Lake project root above `file`.
pub fn project_root(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent()?.to_path_buf();
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    let dir = dir.canonicalize().ok()?;
    let mut cur: Option<&Path> = Some(&dir);
    while let Some(d) = cur {
        if d.join("lakefile.lean").exists() || d.join("lakefile.toml").exists() {
            return Some(d.to_path_buf());
        }
        cur = d.parent();
    }
    None
}

/// The `import` lines at the top of a file.
pub fn imports(text: &str) -> Vec<String> {
    let masked = theorist_leansrc::mask_comments_and_strings(text);
    let mut out = Vec::new();
    for line in masked.lines() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let words: Vec<&str> = l.split_whitespace().collect();
        match words.as_slice() {
            ["import", rest @ ..]
            | ["public", "import", rest @ ..]
            | ["meta", "import", rest @ ..] => out.extend(rest.iter().map(|s| s.to_string())),
            ["module"] | ["prelude"] => {}
            _ => break,
        }
    }
    out
}

fn module_path(roots: &[PathBuf], module: &str) -> Option<PathBuf> {
    let rel: PathBuf = module
        .split('.')
        .collect::<PathBuf>()
        .with_extension("lean");
    roots.iter().map(|r| r.join(&rel)).find(|p| p.is_file())
}

/// The folders a package's modules live in: its root and every `srcDir` its lakefile names
/// (`lean_lib Theorist where srcDir := "lean"` puts `Theorist.A` at `lean/Theorist/A.lean`).
fn package_dirs(package: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![package.to_path_buf()];
    for (file, assign) in [("lakefile.lean", ":="), ("lakefile.toml", "=")] {
        let Ok(text) = std::fs::read_to_string(package.join(file)) else {
            continue;
        };
        let mut rest = text.as_str();
        while let Some(i) = rest.find("srcDir") {
            rest = &rest[i + "srcDir".len()..];
            let Some(value) = rest.trim_start().strip_prefix(assign) else {
                continue;
            };
            let Some(value) = value.trim_start().strip_prefix('"') else {
                continue;
            };
            if let Some(end) = value.find('"') {
                let dir = package.join(&value[..end]);
                if !dirs.contains(&dir) {
                    dirs.push(dir);
                }
            }
        }
    }
    dirs
}

fn search_roots(root: &Path) -> Vec<PathBuf> {
    let mut roots = package_dirs(root);
    if let Ok(entries) = std::fs::read_dir(root.join(".lake").join("packages")) {
        let mut pkgs: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        pkgs.sort();
        for p in pkgs {
            roots.extend(package_dirs(&p));
        }
    }
    roots
}

/// Reads `text` (the contents of `path`) with its imports.
pub fn load(path: &Path, text: &str) -> Result<Loaded, LoadError> {
    let mut env = Env::default();
    let mut skipped = Vec::new();
    let mut symbols: BTreeSet<String> = BTreeSet::new();
    if let Some(root) = project_root(path) {
        let roots = search_roots(&root);
        // Depth-first, dependencies first; each module once.
        let mut order: Vec<(String, PathBuf)> = Vec::new();
        let mut seen: HashMap<String, bool> = HashMap::new();
        let mut texts: HashMap<PathBuf, String> = HashMap::new();
        let mut stack: Vec<(String, bool)> = imports(text)
            .into_iter()
            .rev()
            .map(|m| (m, false))
            .collect();
        while let Some((module, done)) = stack.pop() {
            if done {
                if let Some(p) = module_path(&roots, &module) {
                    order.push((module, p));
                }
                continue;
            }
            if seen.contains_key(&module) {
                continue;
            }
            seen.insert(module.clone(), true);
            if EXTERNAL
                .iter()
                .any(|e| module == *e || module.starts_with(&format!("{e}.")))
            {
                skipped.push(module);
                continue;
            }
            let Some(p) = module_path(&roots, &module) else {
                skipped.push(module);
                continue;
            };
            if seen.len() > MAX_FILES {
                return Err(LoadError::TooManyFiles);
            }
            let t = std::fs::read_to_string(&p).map_err(|e| LoadError::Io {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            stack.push((module.clone(), true));
            for m in imports(&t).into_iter().rev() {
                if !seen.contains_key(&m) {
                    stack.push((m, false));
                }
            }
            texts.insert(p, t);
        }
        for (_, p) in &order {
            let t = &texts[p];
            symbols.extend(declared_symbols(t));
            let file = env.files.len();
            env.files.push(FileInfo {
                path: p.clone(),
                display: display(&root, p),
            });
            // A file of the imports that cannot be tokenized is skipped, not fatal: only
            // statements that need its declarations fail (as unknown names).
            if read_file(&mut env, file, t, &symbols).is_err() {
                skipped.push(display(&root, p));
            }
        }
    } else {
        skipped.extend(imports(text).into_iter().filter(|m| {
            !EXTERNAL
                .iter()
                .any(|e| m == e || m.starts_with(&format!("{e}.")))
        }));
    }
    symbols.extend(declared_symbols(text));
    let main = env.files.len();
    env.files.push(FileInfo {
        path: path.to_path_buf(),
        display: path.display().to_string(),
    });
    read_file(&mut env, main, text, &symbols).map_err(|e| LoadError::Lex {
        file: path.display().to_string(),
        pos: e.0.pos,
        message: e.0.message,
    })?;
    Ok(Loaded { env, main, skipped })
}

/// Reads a text on its own (no file, no imports).
pub fn load_text(text: &str) -> Result<Loaded, LoadError> {
    let mut env = Env::default();
    env.files.push(FileInfo {
        path: PathBuf::from("<input>"),
        display: "<input>".into(),
    });
    let symbols = declared_symbols(text);
    read_file(&mut env, 0, text, &symbols).map_err(|e| LoadError::Lex {
        file: "<input>".into(),
        pos: e.0.pos,
        message: e.0.message,
    })?;
    Ok(Loaded {
        env,
        main: 0,
        skipped: Vec::new(),
    })
}

fn display(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}
