//! The environment a statement is read in: every declaration, structure, instance and
//! notation of the file and its imports, each with the scope it was declared in (namespace,
//! `open`s, section `variable`s), and Lean's name resolution over it: locals first, then the
//! current namespace and its parents innermost first, then the root and the opened namespaces
//! together — two candidates there are an ambiguity, reported with both names, never guessed.

use std::collections::HashMap;
use std::sync::Arc;

use super::lex::Pos;
use super::parse::{Notation, ParseError};
use super::prelude;
use super::syntax::{Binder, Term};

/// What kind of declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    Def,
    Abbrev,
    Theorem,
    Instance,
    Axiom,
    Opaque,
    /// A structure's field, as the projection function `S.f`.
    Projection,
    /// A structure's constructor `S.mk`.
    Constructor,
    /// Declared by a command theorist does not read (`inductive`, `class`, …).
    Other,
}

/// A section `variable` binder, with the scope it was declared in.
#[derive(Debug, Clone)]
pub struct Variable {
    pub binder: Binder,
    pub file: usize,
}

/// The scope in force at a command.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub namespace: Vec<String>,
    /// Namespaces opened with `open` (names and notations).
    pub opens: Vec<String>,
    /// Namespaces opened with `open scoped` (notations only).
    pub scoped_opens: Vec<String>,
    pub variables: Vec<Variable>,
    /// Variable names named by `include`.
    pub includes: Vec<String>,
    /// Local notations in force (indices into [`Env::notations`]).
    pub local_notations: Vec<usize>,
    pub file: usize,
    /// Where the declaration this scope belongs to starts: declarations of the same file at or
    /// after it are not visible from it (Lean elaborates a file top to bottom, so a `def exp`
    /// further down does not capture an earlier `exp` that meant `Real.exp`).
    pub at: Option<Pos>,
}

impl Scope {
    pub fn namespace_name(&self) -> String {
        self.namespace.join(".")
    }
}

/// A declaration's body.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Term(Term),
    /// `where` fields or `{ … }` fields of a structure value.
    Fields(Vec<(String, Term)>),
    /// A body theorist does not read (pattern matching, a parse error).
    Unreadable(String, Pos),
}

#[derive(Debug, Clone)]
pub struct DeclInfo {
    pub name: String,
    pub kind: DeclKind,
    pub protected: bool,
    pub binders: Vec<Binder>,
    pub ty: Option<Term>,
    pub body: Body,
    pub scope: Arc<Scope>,
    pub pos: Pos,
    /// A signature theorist could not parse: the declaration is known by name only.
    pub error: Option<ParseError>,
}

#[derive(Debug, Clone)]
pub struct FieldInfo {
    pub name: String,
    pub ty: Term,
    pub default: Option<Term>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct StructInfo {
    pub name: String,
    pub params: Vec<Binder>,
    pub fields: Vec<FieldInfo>,
    /// `extends` parents, not read: a structure with them is not modelled.
    pub extends: bool,
    pub scope: Arc<Scope>,
    pub pos: Pos,
    pub error: Option<ParseError>,
}

/// `instance : Zero S := …`.
#[derive(Debug, Clone)]
pub struct InstanceInfo {
    pub class: Term,
    pub body: Body,
    pub scope: Arc<Scope>,
    pub pos: Pos,
}

/// Where a notation applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotationScope {
    Global,
    /// `scoped` to a namespace: in force inside it or where it is opened.
    Scoped(String),
    /// `local`: in the file (and section) that declares it.
    Local,
}

#[derive(Debug, Clone)]
pub struct NotationInfo {
    pub notation: Notation,
    pub scope: NotationScope,
}

/// A source file read into the environment.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: std::path::PathBuf,
    /// How messages name it.
    pub display: String,
}

#[derive(Debug, Default)]
pub struct Env {
    pub files: Vec<FileInfo>,
    pub decls: HashMap<String, Arc<DeclInfo>>,
    pub structures: HashMap<String, Arc<StructInfo>>,
    pub instances: Vec<Arc<InstanceInfo>>,
    pub notations: Vec<NotationInfo>,
    /// Every namespace that has a declaration (for `open` checks and resolution).
    pub namespaces: std::collections::HashSet<String>,
}

/// What a name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub full: String,
    /// Trailing components that are projections (`P.toFun` with `P` a constant).
    pub projections: Vec<String>,
}

/// Name resolution failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
}

impl Env {
    pub fn file_name(&self, file: usize) -> &str {
        self.files
            .get(file)
            .map_or("<input>", |f| f.display.as_str())
    }

    /// Whether a global constant of this full name exists (in the sources or theorist's table
    /// of Mathlib's definitions).
    pub fn exists(&self, full: &str) -> bool {
        self.decls.contains_key(full)
            || self.structures.contains_key(full)
            || prelude::lookup(full).is_some()
    }

    /// Whether `full` names something visible from `scope`: an earlier declaration of the
    /// same file, anything of an imported file, or a constant theorist knows.
    pub fn visible(&self, full: &str, scope: &Scope) -> bool {
        let later =
            |file: usize, pos: Pos| file == scope.file && scope.at.is_some_and(|at| pos >= at);
        self.decls
            .get(full)
            .is_some_and(|d| !later(d.scope.file, d.pos))
            || self
                .structures
                .get(full)
                .is_some_and(|st| !later(st.scope.file, st.pos))
            || prelude::lookup(full).is_some()
    }

    fn protected(&self, full: &str) -> bool {
        self.decls.get(full).is_some_and(|d| d.protected)
            || prelude::lookup(full).is_some_and(|p| p.protected)
    }

    /// Lean's `resolveGlobalName`: `id` as written in `scope`.
    pub fn resolve(&self, id: &str, scope: &Scope) -> Result<Option<Resolved>, ResolveError> {
        if let Some(root) = id.strip_prefix("_root_.") {
            return Ok(self.visible(root, scope).then(|| Resolved {
                full: root.to_string(),
                projections: Vec::new(),
            }));
        }
        let parts: Vec<&str> = id.split('.').collect();
        // The whole name first, then shorter prefixes with the rest as projections.
        for cut in (1..=parts.len()).rev() {
            let head = parts[..cut].join(".");
            let projections: Vec<String> = parts[cut..].iter().map(|s| s.to_string()).collect();
            let found = self.resolve_exact(&head, scope)?;
            if let Some(full) = found {
                return Ok(Some(Resolved { full, projections }));
            }
        }
        Ok(None)
    }

    fn resolve_exact(&self, id: &str, scope: &Scope) -> Result<Option<String>, ResolveError> {
        let atomic = !id.contains('.');
        // The current namespace and its parents, innermost first: the first level with a
        // match wins (a protected name needs its namespace written even inside it).
        for k in (1..=scope.namespace.len()).rev() {
            let candidate = format!("{}.{id}", scope.namespace[..k].join("."));
            if self.visible(&candidate, scope) && !(atomic && self.protected(&candidate)) {
                return Ok(Some(candidate));
            }
        }
        // A dotted name that exists as written is that name.
        if !atomic && self.visible(id, scope) {
            return Ok(Some(id.to_string()));
        }
        // The root and the opened namespaces together.
        let mut candidates: Vec<String> = Vec::new();
        if self.visible(id, scope) {
            candidates.push(id.to_string());
        }
        for open in &scope.opens {
            let candidate = format!("{open}.{id}");
            if self.visible(&candidate, scope)
                && !self.protected(&candidate)
                && !candidates.contains(&candidate)
            {
                candidates.push(candidate);
            }
        }
        match candidates.len() {
            0 => Ok(None),
            1 => Ok(candidates.pop()),
            _ => Err(ResolveError::Ambiguous {
                name: id.to_string(),
                candidates,
            }),
        }
    }

    /// The notations in force in `scope`.
    pub fn notations_in(&self, scope: &Scope) -> Vec<Notation> {
        let mut open: Vec<String> = Vec::new();
        for k in 1..=scope.namespace.len() {
            open.push(scope.namespace[..k].join("."));
        }
        open.extend(scope.opens.iter().cloned());
        open.extend(scope.scoped_opens.iter().cloned());
        let mut out: Vec<Notation> = self
            .notations
            .iter()
            .enumerate()
            .filter(|(i, n)| match &n.scope {
                NotationScope::Global => true,
                NotationScope::Scoped(ns) => open.contains(ns),
                NotationScope::Local => scope.local_notations.contains(i),
            })
            .map(|(_, n)| n.notation.clone())
            .collect();
        // Longest patterns first, so `‖φ‖_H^2` is tried before `‖φ‖`.
        out.sort_by_key(|n| std::cmp::Reverse(n.items.len()));
        out
    }
}
