//! The modules of a Lake project's libraries, from `lakefile.lean` or `lakefile.toml`: each
//! `lean_lib` with its `srcDir`, `roots` (default: the library's name) and submodule `globs`,
//! then every in-project module those import, transitively — what `lake build` would build.
//! Dependencies outside the project (Mathlib under `.lake/`) are not ours to check.
//!
//! The checkout is untrusted: folders are walked without looping through symbolic links,
//! hidden files (theorist's own `.NAME.theorist-….lean` copies left by a killed run, editor
//! backups) are not modules, and a module that a link puts outside the project is an error
//! rather than a file theorist would read and copy next to the project's sources.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

/// One `lean_lib` declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Library {
    pub name: String,
    pub src_dir: PathBuf,
    pub roots: Vec<String>,
    /// Module prefixes whose submodules are all included (`.submodules`/`.andSubmodules`,
    /// `X.*`/`X.+` in TOML).
    pub submodule_globs: Vec<String>,
}

/// A Lean module of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    /// Absolute path.
    pub file: PathBuf,
    /// Relative to the project root, `/`-separated (what reports show).
    pub rel: String,
    /// In-project modules it imports directly (absolute paths).
    pub imports: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    #[error("{root}: no lakefile.lean or lakefile.toml")]
    NoLakefile { root: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Lakefile { path: PathBuf, message: String },
    #[error(
        "{file}: a symbolic link to {target}, outside the project; theorist checks only the project's own files"
    )]
    OutsideProject { file: PathBuf, target: PathBuf },
    #[error(
        "{lakefile}: library `{library}` has root module `{module}`, but {expected} does not exist"
    )]
    MissingRoot {
        lakefile: PathBuf,
        library: String,
        module: String,
        expected: PathBuf,
    },
}

/// The `lean_lib`s of the project at `root`.
pub fn read_libraries(root: &Path) -> Result<Vec<Library>, DiscoverError> {
    let lean = root.join("lakefile.lean");
    let toml_path = root.join("lakefile.toml");
    if lean.is_file() {
        let text = std::fs::read_to_string(&lean).map_err(|source| DiscoverError::Io {
            path: lean.clone(),
            source,
        })?;
        Ok(libraries_from_lean(&text, root))
    } else if toml_path.is_file() {
        let text = std::fs::read_to_string(&toml_path).map_err(|source| DiscoverError::Io {
            path: toml_path.clone(),
            source,
        })?;
        libraries_from_toml(&text, root).map_err(|message| DiscoverError::Lakefile {
            path: toml_path,
            message,
        })
    } else {
        Err(DiscoverError::NoLakefile {
            root: root.to_path_buf(),
        })
    }
}

fn unquote_name(s: &str) -> String {
    s.trim().trim_start_matches('`').replace(['«', '»'], "")
}

/// Reads `lean_lib` blocks of a `lakefile.lean` (the DSL's common forms).
pub fn libraries_from_lean(text: &str, root: &Path) -> Vec<Library> {
    let lines: Vec<&str> = text.lines().collect();
    let mut package_src: Option<String> = None;
    let mut libs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let block_end = (i + 1..lines.len())
            .find(|&j| !lines[j].is_empty() && !lines[j].starts_with(char::is_whitespace))
            .unwrap_or(lines.len());
        let block = &lines[i..block_end];
        let setting = |key: &str| -> Option<String> {
            block.iter().find_map(|l| {
                let l = l.trim();
                let rest = l.strip_prefix(key)?.trim_start().strip_prefix(":=")?.trim();
                Some(rest.to_string())
            })
        };
        let string_value = |v: String| v.trim().trim_matches('"').to_string();
        if let Some(rest) = line.strip_prefix("package ") {
            let _ = rest;
            package_src = setting("srcDir").map(string_value);
        } else if let Some(rest) = line.strip_prefix("lean_lib ") {
            let name = unquote_name(rest.split_whitespace().next().unwrap_or_default());
            let src = setting("srcDir")
                .map(string_value)
                .or_else(|| package_src.clone())
                .unwrap_or_else(|| ".".into());
            let roots = setting("roots")
                .map(|v| name_list(&v))
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| vec![name.clone()]);
            let submodule_globs = setting("globs")
                .map(|v| {
                    v.split(',')
                        .filter(|g| g.contains("submodules") || g.contains("andSubmodules"))
                        .flat_map(|g| name_list(g).into_iter())
                        .collect()
                })
                .unwrap_or_default();
            libs.push(Library {
                name,
                src_dir: root.join(src),
                roots,
                submodule_globs,
            });
        }
        i = block_end.max(i + 1);
    }
    libs
}

/// `` #[`A, `B.C] `` → `["A", "B.C"]`.
fn name_list(v: &str) -> Vec<String> {
    v.split(|c: char| c == ',' || c == '[' || c == ']' || c.is_whitespace())
        .filter(|t| t.starts_with('`'))
        .map(unquote_name)
        .collect()
}

/// Reads `[[lean_lib]]` tables of a `lakefile.toml`.
pub fn libraries_from_toml(text: &str, root: &Path) -> Result<Vec<Library>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let package_src = value.get("srcDir").and_then(|v| v.as_str()).unwrap_or(".");
    let mut libs = Vec::new();
    for lib in value
        .get("lean_lib")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let Some(name) = lib.get("name").and_then(|v| v.as_str()) else {
            return Err("a [[lean_lib]] without `name`".to_string());
        };
        let strings = |key: &str| -> Vec<String> {
            lib.get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let roots = strings("roots");
        let globs = strings("globs");
        libs.push(Library {
            name: name.to_string(),
            src_dir: root.join(
                lib.get("srcDir")
                    .and_then(|v| v.as_str())
                    .unwrap_or(package_src),
            ),
            roots: if roots.is_empty() {
                vec![name.to_string()]
            } else {
                roots
            },
            submodule_globs: globs
                .iter()
                .filter_map(|g| {
                    g.strip_suffix(".*")
                        .or_else(|| g.strip_suffix(".+"))
                        .map(str::to_string)
                })
                .collect(),
        });
    }
    Ok(libs)
}

fn module_path(src_dir: &Path, module: &str) -> PathBuf {
    let mut p = src_dir.to_path_buf();
    for part in module.split('.') {
        p.push(part);
    }
    p.set_extension("lean");
    p
}

/// The file of an in-project module, if any library's source folder has it.
fn resolve(libs: &[Library], module: &str) -> Option<PathBuf> {
    libs.iter()
        .map(|l| module_path(&l.src_dir, module))
        .find(|p| p.is_file())
}

/// `Err` when `file`, through symbolic links, lies outside the project at `root`.
pub fn ensure_inside(root: &Path, file: &Path) -> Result<(), DiscoverError> {
    let io = |source| DiscoverError::Io {
        path: file.to_path_buf(),
        source,
    };
    let real_root = std::fs::canonicalize(root).map_err(|source| DiscoverError::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let real = std::fs::canonicalize(file).map_err(io)?;
    if real.starts_with(&real_root) {
        Ok(())
    } else {
        Err(DiscoverError::OutsideProject {
            file: file.to_path_buf(),
            target: real,
        })
    }
}

fn rel(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A module record for one file (its in-project imports resolved).
pub fn module_of_file(
    root: &Path,
    libs: &[Library],
    name: String,
    file: PathBuf,
) -> Result<Module, DiscoverError> {
    ensure_inside(root, &file)?;
    let text = std::fs::read_to_string(&file).map_err(|source| DiscoverError::Io {
        path: file.clone(),
        source,
    })?;
    let imports = theorist_leansrc::parse(&text)
        .imports
        .iter()
        .filter_map(|m| resolve(libs, m))
        .collect();
    Ok(Module {
        rel: rel(root, &file),
        name,
        file,
        imports,
    })
}

/// Every module of the project's libraries, sorted by path (component by component).
pub fn discover_modules(root: &Path) -> Result<Vec<Module>, DiscoverError> {
    let libs = read_libraries(root)?;
    let lakefile = if root.join("lakefile.lean").is_file() {
        root.join("lakefile.lean")
    } else {
        root.join("lakefile.toml")
    };
    let mut queue: VecDeque<(String, PathBuf)> = VecDeque::new();
    for lib in &libs {
        for r in &lib.roots {
            let expected = module_path(&lib.src_dir, r);
            if !expected.is_file() {
                return Err(DiscoverError::MissingRoot {
                    lakefile,
                    library: lib.name.clone(),
                    module: r.clone(),
                    expected,
                });
            }
            queue.push_back((r.clone(), expected));
        }
        for prefix in &lib.submodule_globs {
            let dir = module_path(&lib.src_dir, prefix).with_extension("");
            for file in lean_files_under(root, &dir)? {
                let name = rel(&lib.src_dir, &file)
                    .trim_end_matches(".lean")
                    .replace('/', ".");
                queue.push_back((name, file));
            }
        }
    }
    let mut seen: BTreeMap<PathBuf, Module> = BTreeMap::new();
    while let Some((name, file)) = queue.pop_front() {
        if seen.contains_key(&file) {
            continue;
        }
        let module = module_of_file(root, &libs, name, file.clone())?;
        let text = std::fs::read_to_string(&file).map_err(|source| DiscoverError::Io {
            path: file.clone(),
            source,
        })?;
        for import in theorist_leansrc::parse(&text).imports {
            if let Some(path) = resolve(&libs, &import) {
                queue.push_back((import, path));
            }
        }
        seen.insert(file, module);
    }
    Ok(seen.into_values().collect())
}

/// The `.lean` files below `dir` (what Lake's `.submodules` glob takes), following links to
/// folders inside the project once each (a link loop ends), skipping hidden entries.
fn lean_files_under(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut out = Vec::new();
    let mut visited = std::collections::HashSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(real) = std::fs::canonicalize(&d) else {
            continue;
        };
        if !visited.insert(real) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name().as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let p = e.path();
            let linked = e.file_type().is_ok_and(|t| t.is_symlink());
            if p.is_dir() {
                if linked {
                    ensure_inside(root, &p)?;
                }
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "lean") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn lakefile_lean_roots_imports_and_src_dir() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "lakefile.lean",
            "import Lake\nopen Lake DSL\n\npackage theorist where\n  leanOptions := #[]\n\nrequire mathlib from git\n  \"https://x\" @ \"v4.22.0\"\n\n@[default_target]\nlean_lib Theorist where\n  srcDir := \"lean\"\n",
        );
        write(
            root,
            "lean/Theorist.lean",
            "import Theorist.Higgs.Potential\nimport Mathlib.Tactic\n",
        );
        write(
            root,
            "lean/Theorist/Higgs/Potential.lean",
            "import Theorist.Basic\n",
        );
        write(
            root,
            "lean/Theorist/Basic.lean",
            "import Mathlib.Order.Basic\n",
        );
        write(root, "lean/Theorist/Unused.lean", "");
        let modules = discover_modules(root).unwrap();
        let rels: Vec<&str> = modules.iter().map(|m| m.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                "lean/Theorist/Basic.lean",
                "lean/Theorist/Higgs/Potential.lean",
                "lean/Theorist.lean"
            ]
        );
        let top = modules.iter().find(|m| m.name == "Theorist").unwrap();
        assert_eq!(
            top.imports,
            [root.join("lean/Theorist/Higgs/Potential.lean")],
            "Mathlib is not ours"
        );
    }

    #[test]
    fn lakefile_toml_and_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "lakefile.toml",
            "name = \"demo\"\n\n[[lean_lib]]\nname = \"Demo\"\nglobs = [\"Demo.+\"]\n",
        );
        write(root, "Demo.lean", "");
        write(root, "Demo/A.lean", "");
        write(root, "Demo/B/C.lean", "import Demo.A\n");
        let modules = discover_modules(root).unwrap();
        let rels: Vec<&str> = modules.iter().map(|m| m.rel.as_str()).collect();
        assert_eq!(rels, ["Demo/A.lean", "Demo/B/C.lean", "Demo.lean"]);
        assert_eq!(modules[1].name, "Demo.B.C");
    }

    #[test]
    fn link_loops_end_and_hidden_copies_are_not_modules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "lakefile.toml",
            "name = \"demo\"\n\n[[lean_lib]]\nname = \"Demo\"\nglobs = [\"Demo.+\"]\n",
        );
        write(root, "Demo.lean", "");
        write(root, "Demo/A.lean", "");
        // A killed run's `#print axioms` copy and an editor's hidden folder.
        write(root, "Demo/.A.theorist-4242.lean", "");
        write(root, "Demo/.cache/B.lean", "");
        // Links back up: a loop Lake's own walk would not survive.
        std::os::unix::fs::symlink(root.join("Demo"), root.join("Demo/again")).unwrap();
        std::os::unix::fs::symlink("..", root.join("Demo/up")).unwrap();
        let modules = discover_modules(root).unwrap();
        let rels: Vec<&str> = modules.iter().map(|m| m.rel.as_str()).collect();
        assert!(rels.contains(&"Demo/A.lean"), "{rels:?}");
        assert!(
            rels.iter().all(|r| !r.contains("/.")),
            "hidden files are not modules: {rels:?}"
        );
        assert!(rels.len() <= 4, "{rels:?}");
    }

    #[test]
    fn a_module_linked_outside_the_project_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "key").unwrap();
        let root = dir.path();
        write(
            root,
            "lakefile.toml",
            "name = \"demo\"\n\n[[lean_lib]]\nname = \"Demo\"\nglobs = [\"Demo.+\"]\n",
        );
        write(root, "Demo.lean", "import Demo.Evil\n");
        std::fs::create_dir_all(root.join("Demo")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            root.join("Demo/Evil.lean"),
        )
        .unwrap();
        let err = discover_modules(root).unwrap_err();
        assert!(matches!(err, DiscoverError::OutsideProject { .. }), "{err}");
        assert!(err.to_string().contains("Demo/Evil.lean"), "{err}");
        // A linked folder pointing out is refused too.
        std::fs::remove_file(root.join("Demo/Evil.lean")).unwrap();
        write(root, "Demo.lean", "");
        std::os::unix::fs::symlink(outside.path(), root.join("Demo/Out")).unwrap();
        std::fs::write(outside.path().join("X.lean"), "").unwrap();
        assert!(matches!(
            discover_modules(root).unwrap_err(),
            DiscoverError::OutsideProject { .. }
        ));
    }

    #[test]
    fn a_missing_root_is_named() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "lakefile.lean", "lean_lib Ghost\n");
        let err = discover_modules(dir.path()).unwrap_err();
        assert!(
            err.to_string()
                .contains("library `Ghost` has root module `Ghost`"),
            "{err}"
        );
    }
}
