//! The blueprint against the Lean sources (and Lean itself when it ran): every `\lean{}` name must exist; a node whose
//! proof is marked `\leanok` must have a sorry-free declaration; labels are unique; `\uses`
//! resolve (leanblueprint silently drops unresolved ones — here they are errors); two nodes
//! claiming one declaration are flagged; a sorry-free declaration without `\leanok` is a hint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::finding::{Finding, Level};
use crate::read::{Blueprint, Node};

/// The declarations of a Lake project's Lean sources: full name → (file, line, uses sorry).
#[derive(Debug, Clone, Default)]
pub struct LeanIndex {
    pub decls: BTreeMap<String, (PathBuf, u32, bool)>,
    /// How many `.lean` files were read.
    pub files: usize,
}

impl LeanIndex {
    /// Every `.lean` file under `root` (skipping `.lake/` and hidden folders).
    pub fn of_project(root: &Path) -> LeanIndex {
        LeanIndex::of_dirs(root, &[root.to_path_buf()])
    }

    /// Every `.lean` file under `dirs` (a project's library source folders); paths are shown
    /// relative to `root`.
    pub fn of_dirs(root: &Path, dirs: &[PathBuf]) -> LeanIndex {
        let mut index = LeanIndex::default();
        let mut stack: Vec<PathBuf> = dirs.to_vec();
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if p.is_dir() {
                    if !name.starts_with('.') && name != "target" {
                        stack.push(p);
                    }
                } else if name.ends_with(".lean") && !name.starts_with('.') {
                    if let Ok(text) = std::fs::read_to_string(&p) {
                        index.files += 1;
                        for d in theorist_leansrc::parse(&text).decls {
                            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                            index
                                .decls
                                .insert(d.name.clone(), (rel, d.start_line, !d.sorries.is_empty()));
                        }
                    }
                }
            }
        }
        index
    }

    /// A declaration by full name, else by a unique dotted suffix.
    pub fn find(&self, name: &str) -> Option<(&String, &(PathBuf, u32, bool))> {
        if let Some(hit) = self.decls.get_key_value(name) {
            return Some(hit);
        }
        let suffix = format!(".{name}");
        let mut hits = self.decls.iter().filter(|(k, _)| k.ends_with(&suffix));
        let first = hits.next()?;
        hits.next().is_none().then_some(first)
    }
}

/// What Lean itself said about `\\lean` names, when a toolchain ran (`#print axioms NAME`).
#[derive(Debug, Clone, Default)]
pub struct LeanFacts {
    /// Lean's version line.
    pub version: String,
    pub decls: BTreeMap<String, LeanFact>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeanFact {
    pub exists: bool,
    /// It depends on `sorryAx`.
    pub uses_sorry: bool,
    /// Lean's message about it.
    pub message: String,
}

/// Checks `bp` against `index` (the Lean sources) and, when Lean ran, against what it said.
pub fn check(bp: &Blueprint, index: &LeanIndex, lean: Option<&LeanFacts>) -> Vec<Finding> {
    let mut out: Vec<Finding> = bp.findings.clone();
    duplicate_labels(bp, &mut out);
    dependency_cycles(bp, &mut out);
    let mut claimed: BTreeMap<String, (&Path, u32)> = BTreeMap::new();
    for n in &bp.nodes {
        let who = n.label.as_deref().unwrap_or(&n.kind);
        proof_attachment(bp, n, who, &mut out);
        unresolved_uses(bp, n, who, &mut out);
        for name in &n.lean {
            if let Some(decl) = lean_decl(n, who, name, index, lean, &mut out) {
                decl_findings(n, who, &decl, &mut claimed, &mut out);
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

fn at(level: Level, file: &Path, line: u32, message: String) -> Finding {
    Finding {
        level,
        file: file.to_path_buf(),
        line,
        message,
    }
}

/// A label used twice (plasTeX keeps one of them silently).
fn duplicate_labels(bp: &Blueprint, out: &mut Vec<Finding>) {
    let mut labels: BTreeMap<&str, (&Path, u32)> = BTreeMap::new();
    for (l, file, line) in &bp.label_sites {
        if let Some((f0, l0)) = labels.insert(l, (file, *line)) {
            out.push(at(
                Level::Error,
                file,
                *line,
                format!("label `{l}` is also used at {}:{l0}", f0.display()),
            ));
        }
    }
}

fn dependency_cycles(bp: &Blueprint, out: &mut Vec<Finding>) {
    let ids = crate::graph::node_ids(bp);
    for cycle in crate::graph::cycles(bp) {
        let first = &bp.nodes[cycle[0]];
        let names: Vec<&str> = cycle.iter().map(|&i| ids[i].as_str()).collect();
        out.push(at(
            Level::Error,
            &first.file,
            first.line,
            format!(
                "dependency cycle through {} (leanblueprint crashes on it)",
                names.join(", ")
            ),
        ));
    }
}

/// Proofs that leanblueprint attaches otherwise than the author meant: several to one node
/// (it keeps the last), or a `\proves` naming no label (it goes to the statement before).
fn proof_attachment(bp: &Blueprint, n: &Node, who: &str, out: &mut Vec<Finding>) {
    if n.proofs > 1 {
        out.push(at(
            Level::Warning,
            &n.file,
            n.line,
            format!(
                "`{who}` has {} proofs attached; leanblueprint keeps only the last",
                n.proofs
            ),
        ));
    }
    if let Some(p) = &n.proof {
        if let Some(l) = &p.proves {
            if bp.target(l).is_none() {
                out.push(at(
                    Level::Warning,
                    &p.file,
                    p.line,
                    format!("\\proves{{{l}}} names no label; the proof was attached to `{who}`, the statement before it"),
                ));
            }
        }
    }
}

/// `\uses` of the statement or its proof that name nothing (leanblueprint drops them silently).
fn unresolved_uses(bp: &Blueprint, n: &Node, who: &str, out: &mut Vec<Finding>) {
    for (u, file, line) in n.uses_with_places() {
        if bp.target(u).is_some() {
            continue;
        }
        let why = if bp.orphan_labels.contains(u) {
            format!(
                "`{who}` uses `{u}`, which names nothing: its \\label comes before any numbered statement, section or equation, so plasTeX drops it"
            )
        } else {
            format!("`{who}` uses `{u}`, which is no label of the blueprint")
        };
        out.push(at(Level::Error, file, line, why));
    }
}

/// A `\lean` name found: its full name, its place in the sources when known, whether it uses
/// sorry, and whether Lean (not the sources) said so.
struct LeanDecl {
    full: String,
    place: Option<(PathBuf, u32)>,
    has_sorry: bool,
    from_lean: bool,
}

/// The declaration a node's `\lean{name}` names: Lean's word when it ran, else the sources'.
/// `None` (with the finding) when it does not exist, or only Mathlib could have it.
fn lean_decl(
    n: &Node,
    who: &str,
    name: &str,
    index: &LeanIndex,
    lean: Option<&LeanFacts>,
    out: &mut Vec<Finding>,
) -> Option<LeanDecl> {
    match lean.and_then(|l| l.decls.get(name)) {
        Some(fact) if !fact.exists => {
            out.push(at(
                Level::Error,
                &n.file,
                n.line,
                format!(
                    "`{who}`: Lean knows no declaration `{name}` ({})",
                    fact.message
                ),
            ));
            None
        }
        Some(fact) => Some(LeanDecl {
            full: name.to_string(),
            place: index.find(name).map(|(_, (f, l, _))| (f.clone(), *l)),
            has_sorry: fact.uses_sorry,
            from_lean: true,
        }),
        None => match index.find(name) {
            Some((full, (file, line, has_sorry))) => Some(LeanDecl {
                full: full.clone(),
                place: Some((file.clone(), *line)),
                has_sorry: *has_sorry,
                from_lean: false,
            }),
            None if n.mathlibok => {
                out.push(at(
                    Level::Hint,
                    &n.file,
                    n.line,
                    format!(
                        "`{who}`: `{name}` is not in the project's sources (\\mathlibok: expected in Mathlib); only Lean can confirm it"
                    ),
                ));
                None
            }
            None => {
                out.push(at(
                    Level::Error,
                    &n.file,
                    n.line,
                    format!("`{who}`: no Lean declaration `{name}` in the project"),
                ));
                None
            }
        },
    }
}

/// What a node's marks say against its declaration: claimed by another node, `\leanok` on a
/// proof that uses sorry (an error), or marks missing on what is done (hints).
fn decl_findings<'a>(
    n: &'a Node,
    who: &str,
    decl: &LeanDecl,
    claimed: &mut BTreeMap<String, (&'a Path, u32)>,
    out: &mut Vec<Finding>,
) {
    let full = &decl.full;
    let proof_done = n.mathlibok || n.proof.as_ref().is_some_and(|p| p.leanok);
    if let Some((f, l)) = claimed.insert(full.clone(), (&n.file, n.line)) {
        out.push(at(
            Level::Warning,
            &n.file,
            n.line,
            format!(
                "`{full}` is also claimed by the node at {}:{l}",
                f.display()
            ),
        ));
    }
    if proof_done && decl.has_sorry {
        let where_ = decl
            .place
            .as_ref()
            .map(|(f, l)| format!(" ({}:{l})", f.display()))
            .unwrap_or_default();
        let claim = if decl.from_lean {
            format!("Lean says `{full}`{where_} depends on sorryAx")
        } else {
            format!("`{full}`{where_} uses sorry")
        };
        out.push(at(
            Level::Error,
            &n.file,
            n.line,
            format!("`{who}` is marked \\leanok but {claim}"),
        ));
    }
    if !n.leanok {
        out.push(at(
            Level::Hint,
            &n.file,
            n.line,
            format!("`{who}`: `{full}` exists; mark the statement \\leanok"),
        ));
    } else if n.proof.is_some() && !proof_done && !decl.has_sorry && n.kind != "definition" {
        out.push(at(
            Level::Hint,
            &n.file,
            n.line,
            format!("`{who}`: `{full}` is sorry-free; mark its proof \\leanok"),
        ));
    }
}
