//! The library names a suggestion may mention: every declaration of the Lean sources the user
//! has (their project and its `.lake/packages`, Mathlib included), with the module that
//! declares it and each module's imports, so that "visible from this file" is the closure of
//! the file's imports. Besides declarations it knows structure fields and constructors,
//! inductive constructors, `alias`es, and the additive twins `@[to_additive]` generates
//! (`Finset.sum_range_succ` from `Finset.prod_range_succ`) — those only when some proof in the
//! sources uses the name, so a wrong guess at a generated name never enters. Names from Lean's
//! own core library (whose sources are not in a project) come from a short fixed list and from
//! qualified names that compiled proofs of two or more packages use.
//!
//! Nothing else: no list of library names ships with theorist. Without the sources a name
//! cannot be confirmed, and a suggestion naming it is not shown.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::context::walk;
use crate::tactic_names::{Tok, tokenize};
use theorist_leansrc::MODIFIERS;

/// A package of Lean sources: module names are file paths relative to `root`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub root: PathBuf,
}

/// Module id standing for "visible from every file" (Lean core names).
pub const EVERYWHERE: u32 = u32::MAX;

#[derive(Debug, Clone, Default)]
struct Module {
    name: String,
    imports: Vec<u32>,
}

/// Which modules a file sees.
#[derive(Debug, Clone)]
pub enum Visible {
    /// No file to take imports from (a goal given on the command line): every module.
    All,
    Modules(Vec<bool>),
}

impl Visible {
    fn sees(&self, module: u32) -> bool {
        module == EVERYWHERE
            || match self {
                Visible::All => true,
                Visible::Modules(v) => v.get(module as usize).copied().unwrap_or(false),
            }
    }
}

/// Why an index could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: not a theorist name index ({detail})")]
    Format {
        path: PathBuf,
        line: usize,
        detail: String,
    },
}

/// Declared names by module.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    modules: Vec<Module>,
    module_ids: HashMap<String, u32>,
    names: HashMap<String, Vec<u32>>,
}

/// Lean core names (not in any package's sources) that proofs use without a namespace.
const CORE: &[&str] = &[
    "rfl",
    "trivial",
    "id",
    "absurd",
    "congrArg",
    "congrFun",
    "congr",
    "funext",
    "propext",
    "Eq.refl",
    "Eq.symm",
    "Eq.trans",
    "Eq.mp",
    "Eq.mpr",
    "Eq.subst",
    "Or.inl",
    "Or.inr",
    "Or.elim",
    "And.intro",
    "And.left",
    "And.right",
    "Iff.intro",
    "Iff.mp",
    "Iff.mpr",
    "Exists.intro",
    "Classical.byContradiction",
    "Classical.em",
    "True.intro",
    "False.elim",
    "Nat.succ",
    "Nat.zero",
    "Nat.le_refl",
    "Nat.lt_irrefl",
    "Nat.succ_pos",
    "Nat.zero_lt_succ",
    "Nat.le_trans",
    "Nat.lt_of_lt_of_le",
    "Nat.le_of_lt_succ",
    "Nat.succ_le_of_lt",
    "Nat.add_comm",
    "Nat.mul_comm",
    "Nat.pos_of_ne_zero",
    "Nat.le_succ",
    "Nat.lt_succ_self",
    "Nat.sub_le",
    "Nat.mod_lt",
    "Function.comp",
    "Decidable.em",
    "Subtype.val",
    "Not",
    "Ne",
    "Eq",
    "Iff",
    "And",
    "Or",
    "True",
    "False",
    "Exists",
    "Nat",
    "Int",
    "Prop",
];

impl NameIndex {
    pub fn new() -> NameIndex {
        let mut index = NameIndex::default();
        for n in CORE {
            index.add_name(n, EVERYWHERE);
        }
        index
    }

    /// How many distinct names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    fn module_id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.module_ids.get(name) {
            return *id;
        }
        let id = self.modules.len() as u32;
        self.modules.push(Module {
            name: name.to_string(),
            imports: Vec::new(),
        });
        self.module_ids.insert(name.to_string(), id);
        id
    }

    pub fn add_name(&mut self, name: &str, module: u32) {
        let e = self.names.entry(name.to_string()).or_default();
        if !e.contains(&module) {
            e.push(module);
        }
    }

    /// Whether `name` (a full name) is declared in a module `visible` sees.
    pub fn declared(&self, name: &str, visible: &Visible) -> bool {
        self.names
            .get(name)
            .is_some_and(|ms| ms.iter().any(|m| visible.sees(*m)))
    }

    /// The modules seen from a file with these imports (transitively). Imports outside the
    /// index (Lean core, packages not indexed) add nothing.
    pub fn visible_from(&self, imports: &[String]) -> Visible {
        let mut seen = vec![false; self.modules.len()];
        let mut stack: Vec<u32> = imports
            .iter()
            .filter_map(|m| self.module_ids.get(m).copied())
            .collect();
        while let Some(m) = stack.pop() {
            if std::mem::replace(&mut seen[m as usize], true) {
                continue;
            }
            stack.extend(self.modules[m as usize].imports.iter().copied());
        }
        Visible::Modules(seen)
    }

    /// Whether a reference written in the code (`sq_nonneg`, `Finset.sum_comm`,
    /// `Nat.succ_le_iff.mp`) resolves under `prefixes` (see
    /// [`crate::context::FileContext::resolution_prefixes`]) to a visible declaration.
    pub fn resolves(&self, reference: &str, prefixes: &[String], visible: &Visible) -> bool {
        resolves_with(reference, prefixes, &|full| self.declared(full, visible))
    }

    /// Reads every `.lean` file of `packages`.
    pub fn build(packages: &[Package]) -> NameIndex {
        Self::build_on(NameIndex::new(), packages)
    }

    /// Reads every `.lean` file of `packages` into a copy of `base`.
    pub fn build_on(base: NameIndex, packages: &[Package]) -> NameIndex {
        let mut files = Vec::new();
        for p in packages {
            for f in lean_files(&p.root) {
                if let Some(module) = module_name(&p.root, &f) {
                    files.push((p.name.clone(), module, f));
                }
            }
        }
        let mut builder = Builder::on_top_of(base);
        for (package, module, path) in &files {
            if let Ok(text) = std::fs::read_to_string(path) {
                builder.add_file(package, module, &text);
            }
        }
        builder.finish()
    }

    /// Every name, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Writes the index (modules with imports, names with modules) as text.
    pub fn save(&self, path: &Path) -> Result<(), IndexError> {
        let mut out = String::from("theorist-names/1\n");
        for m in &self.modules {
            let imports: Vec<String> = m.imports.iter().map(u32::to_string).collect();
            out.push_str(&format!("M\t{}\t{}\n", m.name, imports.join(",")));
        }
        let mut names: Vec<(&String, &Vec<u32>)> = self.names.iter().collect();
        names.sort();
        for (n, ms) in names {
            let ms: Vec<String> = ms
                .iter()
                .map(|m| {
                    if *m == EVERYWHERE {
                        "*".to_string()
                    } else {
                        m.to_string()
                    }
                })
                .collect();
            out.push_str(&format!("N\t{n}\t{}\n", ms.join(",")));
        }
        let io = |source| IndexError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = crate::project::temporary_beside(path);
        let written = std::fs::write(&tmp, out).and_then(|_| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(io)
    }

    pub fn load(path: &Path) -> Result<NameIndex, IndexError> {
        let text = std::fs::read_to_string(path).map_err(|source| IndexError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let bad = |line: usize, detail: &str| IndexError::Format {
            path: path.to_path_buf(),
            line,
            detail: detail.to_string(),
        };
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, l)| l) != Some("theorist-names/1") {
            return Err(bad(1, "missing the `theorist-names/1` header"));
        }
        let mut index = NameIndex::default();
        for (i, line) in lines {
            let mut parts = line.split('\t');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("M"), Some(name), Some(imports)) => {
                    let id = index.module_id(name);
                    let mut ids = Vec::new();
                    for x in imports.split(',').filter(|x| !x.is_empty()) {
                        ids.push(x.parse().map_err(|_| bad(i + 1, "bad module id"))?);
                    }
                    index.modules[id as usize].imports = ids;
                }
                (Some("N"), Some(name), Some(ms)) => {
                    for m in ms.split(',') {
                        let id = if m == "*" {
                            EVERYWHERE
                        } else {
                            m.parse().map_err(|_| bad(i + 1, "bad module id"))?
                        };
                        index.add_name(name, id);
                    }
                }
                _ => return Err(bad(i + 1, "expected an `M` or `N` line")),
            }
        }
        Ok(index)
    }
}

/// The resolution rule shared by the index and a file's own declarations: the reference
/// under each prefix; `_root_.`; and a declaration followed by projections in lower case
/// (`Nat.succ_le_iff.mp`, `foo.symm`, `h.1` when `h` is a declaration).
pub fn resolves_with(
    reference: &str,
    prefixes: &[String],
    declared: &dyn Fn(&str) -> bool,
) -> bool {
    let r = reference.strip_prefix("_root_.").unwrap_or(reference);
    let direct = |name: &str| {
        if reference.starts_with("_root_.") {
            return declared(name);
        }
        prefixes.iter().any(|p| {
            if p.is_empty() {
                declared(name)
            } else {
                declared(&format!("{p}.{name}"))
            }
        }) || prefixes.is_empty() && declared(name)
    };
    if direct(r) {
        return true;
    }
    let parts: Vec<&str> = r.split('.').collect();
    for k in (1..parts.len()).rev() {
        let head = parts[..k].join(".");
        let head_is_value = parts[k - 1].starts_with(|c: char| c.is_lowercase() || c == '_');
        let tail_is_projection = parts[k..]
            .iter()
            .all(|p| p.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit()));
        if head_is_value && tail_is_projection && direct(&head) {
            return true;
        }
    }
    false
}

/// Every `.lean` file below `dir`, sorted: hidden folders (`.lake`: packages are sources of
/// their own), `build` and `lake-packages` left out, symbolic links to folders not followed
/// (a checkout is untrusted, and a link loop must not hang the walk).
pub fn lean_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if !name.starts_with('.') && name != "build" && name != "lake-packages" {
                    walk(&e.path(), out);
                }
            } else if name.ends_with(".lean") {
                out.push(e.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// `root/A/B/C.lean` → `A.B.C`.
pub fn module_name(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?.with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// Collects names file by file, then confirms generated names against the proofs.
#[derive(Default)]
pub struct Builder {
    index: NameIndex,
    /// Modules below this id came linked from a base index.
    first_new_module: usize,
    import_names: Vec<Vec<String>>,
    /// Generated names (additive twins) waiting for a use, with their module.
    generated: Vec<(String, u32)>,
    /// Identifiers used in proofs.
    used: HashSet<String>,
    /// Identifiers proofs use without binding them → (package, resolution context) pairs.
    used_free: HashMap<String, HashSet<(u32, u32)>>,
    packages: HashMap<String, u32>,
    /// Interned resolution prefixes of use sites.
    contexts: HashMap<Vec<String>, u32>,
    /// How often each name is bound (by a proof, a signature or a `variable`).
    bound_anywhere: HashMap<String, u32>,
    /// How often each identifier is used unbound.
    free_count: HashMap<String, u32>,
    /// `@[simps]` declarations by short name: (full name, module).
    simps: HashMap<String, Vec<(String, u32)>>,
}

const DECL_KEYWORDS: &[&str] = &[
    "theorem",
    "lemma",
    "def",
    "abbrev",
    "instance",
    "structure",
    "class",
    "inductive",
    "axiom",
    "opaque",
    "alias",
    "irreducible_def",
];

/// `n` declared in `namespace` (`_root_.n` escapes it).
fn qualify(namespace: &str, n: &str) -> String {
    if let Some(r) = n.strip_prefix("_root_.") {
        r.to_string()
    } else if namespace.is_empty() {
        n.to_string()
    } else {
        format!("{namespace}.{n}")
    }
}

/// The name a declaration whose keyword is `words[k]` declares, as written: past an
/// instance's `(priority := …)`, without universe parameters (`foo.{u}`) or a type glued on
/// (`foo:`). `None` for an anonymous declaration.
fn declared_name<'a>(keyword: &str, words: &[&'a str], mut k: usize) -> Option<&'a str> {
    if words.get(k + 1).is_some_and(|w| w.starts_with("(priority")) {
        while k + 1 < words.len() && !words[k + 1].ends_with(')') {
            k += 1;
        }
        k += 1;
    }
    let raw = words.get(k + 1)?;
    let raw = raw.split(".{").next().unwrap_or_default();
    let end = raw
        .char_indices()
        .find(|(_, c)| !(crate::normalise::is_ident_char(*c) || matches!(c, '«' | '»')))
        .map_or(raw.len(), |(i, _)| i);
    let raw = &raw[..end];
    if raw.is_empty() || raw.starts_with(['(', '{', '[', ':', '⦃']) {
        return None;
    }
    if keyword == "instance" && (raw == "where" || raw.starts_with(|c: char| c.is_ascii_digit())) {
        return None;
    }
    Some(raw)
}

impl Builder {
    /// A builder that adds files on top of an existing index (a project's own files over its
    /// cached packages): new modules' imports resolve against the base's modules too.
    pub fn on_top_of(base: NameIndex) -> Builder {
        let n = base.modules.len();
        Builder {
            import_names: vec![Vec::new(); n],
            first_new_module: n,
            index: base,
            ..Builder::default()
        }
    }

    /// Adds one file (module `module` of `package`).
    pub fn add_file(&mut self, package: &str, module: &str, text: &str) {
        if self.index.names.is_empty() {
            self.index = NameIndex::new();
        }
        let id = self.index.module_id(module);
        while self.import_names.len() <= id as usize {
            self.import_names.push(Vec::new());
        }
        let commands = walk(text);
        if let Some((_, ctx)) = commands.last() {
            self.import_names[id as usize] = ctx.imports.clone();
        }
        let lines: Vec<&str> = text.lines().collect();
        for (cmd, ctx) in &commands {
            if let Some(binders) = cmd.text.trim_start().strip_prefix("variable") {
                for b in crate::context::binder_groups(binders.trim_start()) {
                    for n in b.names {
                        *self.bound_anywhere.entry(n).or_default() += 1;
                    }
                }
            }
            let original = lines
                .get(cmd.line as usize - 1..cmd.end_line as usize)
                .map(|l| l.join("\n"))
                .unwrap_or_default();
            if let Some(token_names) = notation_tokens(&cmd.text, &original, &ctx.namespace) {
                for n in token_names {
                    self.index.add_name(&n, id);
                }
                continue;
            }
            self.add_command(package, id, &cmd.text, ctx);
        }
    }

    /// One command of a file: the names a declaration (or `export`, `alias`) adds, with its
    /// fields, constructors and attribute-generated twins; a body's uses are noted too.
    fn add_command(
        &mut self,
        package: &str,
        module: u32,
        text: &str,
        ctx: &crate::context::FileContext,
    ) {
        let namespace = ctx.namespace.as_str();
        let (attrs, rest) = split_attributes(text);
        let words: Vec<&str> = rest.split_whitespace().collect();
        let mut k = 0;
        let mut private = false;
        while k < words.len() && MODIFIERS.contains(&words[k]) {
            private |= words[k] == "private";
            k += 1;
        }
        let Some(&keyword) = words.get(k) else { return };
        if keyword == "export" {
            self.add_export(rest, namespace, module);
            return;
        }
        let keyword = if keyword == "class" && words.get(k + 1) == Some(&"inductive") {
            k += 1;
            "inductive"
        } else {
            keyword
        };
        if !DECL_KEYWORDS.contains(&keyword) {
            return;
        }
        let body_at = rest.find(":=").unwrap_or(rest.len());
        if matches!(
            keyword,
            "theorem" | "lemma" | "def" | "abbrev" | "instance" | "example"
        ) {
            self.note_uses(
                package,
                ctx,
                &rest[..body_at],
                &rest[body_at.min(rest.len())..],
            );
        }
        if private {
            return;
        }
        if keyword == "alias" {
            self.add_aliases(&rest[..body_at], namespace, module);
            return;
        }
        let Some(raw) = declared_name(keyword, &words, k) else {
            return;
        };
        let full = qualify(namespace, raw);
        self.index.add_name(&full, module);
        if matches!(keyword, "structure" | "class") {
            self.add_fields(&full, rest, module, attrs.iter().any(|a| a.trim() == "ext"));
        }
        if keyword == "inductive" {
            self.add_constructors(&full, rest, module);
        }
        for a in &attrs {
            self.add_attribute_names(&full, a.trim(), module);
        }
    }

    /// `export Inner (inner)`: `inner` now names `Inner.inner` here.
    fn add_export(&mut self, rest: &str, namespace: &str, module: u32) {
        let Some(open) = rest.find('(') else { return };
        let close = rest[open..].find(')').map_or(rest.len(), |c| open + c);
        for n in rest[open + 1..close].split_whitespace() {
            let full = if namespace.is_empty() {
                n.to_string()
            } else {
                format!("{namespace}.{n}")
            };
            self.index.add_name(&full, module);
        }
    }

    /// `alias name := target`, `alias ⟨mp, mpr⟩ := target_iff` (`head`: up to `:=`).
    fn add_aliases(&mut self, head: &str, namespace: &str, module: u32) {
        let head = head.trim();
        let head = head[head.find("alias").expect("keyword") + 5..].trim();
        let names = head
            .trim_matches(|c| c == '⟨' || c == '⟩')
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "_");
        for n in names {
            let full = qualify(namespace, n);
            self.index.add_name(&full, module);
        }
    }

    /// An inductive type's constructors (`| name …` lines), as `Type.name`.
    fn add_constructors(&mut self, full: &str, rest: &str, module: u32) {
        for line in rest.lines().skip(1).chain(rest.lines().take(1)) {
            let t = line.trim_start();
            if let Some(ctor) = t.strip_prefix('|') {
                let name: String = ctor
                    .trim_start()
                    .chars()
                    .take_while(|c| crate::normalise::is_ident_char(*c))
                    .collect();
                if !name.is_empty() {
                    self.index.add_name(&format!("{full}.{name}"), module);
                }
            }
        }
    }

    /// Names an attribute of `full` makes: `to_additive` and `to_dual` twins (generated), and
    /// `simps` lemmas (found by their short name later).
    fn add_attribute_names(&mut self, full: &str, a: &str, module: u32) {
        if let Some(spec) = a.strip_prefix("to_additive") {
            for twin in additive_names(full, spec) {
                self.generated.push((twin, module));
            }
        }
        // `@[to_dual name]`: an explicit order-dual twin (options in parentheses skipped).
        if let Some(spec) = a.strip_prefix("to_dual") {
            let spec = strip_parenthesised(spec);
            let w = spec.split_whitespace().find(|w| {
                w.chars()
                    .all(|c| crate::normalise::is_ident_char(c) || c == '.')
            });
            if let Some(w) = w.filter(|w| !matches!(*w, "existing" | "self")) {
                let ns = full.rsplit_once('.').map(|(ns, _)| ns);
                self.generated.push((w.to_string(), module));
                if let Some(ns) = ns {
                    self.generated.push((format!("{ns}.{w}"), module));
                }
            }
        }
        if a.starts_with("simps") {
            let short = full.rsplit('.').next().unwrap_or(full).to_string();
            self.simps
                .entry(short)
                .or_default()
                .push((full.to_string(), module));
        }
    }

    fn add_fields(&mut self, full: &str, text: &str, module: u32, ext: bool) {
        let mut ctor = format!("{full}.mk");
        if let Some(w) = text.find(" where") {
            let body = &text[w + 6..];
            let indent = body
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start().len())
                .next();
            for line in body.lines() {
                let t = line.trim_start();
                if t.is_empty() || Some(line.len() - t.len()) != indent {
                    continue;
                }
                let name: String = t
                    .chars()
                    .take_while(|c| crate::normalise::is_ident_char(*c))
                    .collect();
                let after = t[name.len()..].trim_start();
                if name.is_empty() {
                    continue;
                }
                if after.starts_with("::") {
                    ctor = format!("{full}.{name}");
                } else if after.starts_with(':') || after.starts_with('(') || after.starts_with('{')
                {
                    self.index.add_name(&format!("{full}.{name}"), module);
                }
            }
        }
        if let Some(ext_pos) = text.find("extends") {
            let until = text[ext_pos..]
                .find(" where")
                .map_or(text.len(), |w| ext_pos + w);
            for parent in text[ext_pos + 7..until].split(',') {
                let head = parent.split_whitespace().next().unwrap_or_default();
                let short = head.rsplit('.').next().unwrap_or(head);
                if !short.is_empty() {
                    self.index.add_name(&format!("{full}.to{short}"), module);
                }
            }
        }
        self.index.add_name(&ctor, module);
        if ext {
            self.index.add_name(&format!("{full}.ext"), module);
            self.index.add_name(&format!("{full}.ext_iff"), module);
        }
    }

    fn note_uses(
        &mut self,
        package: &str,
        ctx: &crate::context::FileContext,
        signature: &str,
        body: &str,
    ) {
        let next = self.packages.len() as u32;
        let package = *self.packages.entry(package.to_string()).or_insert(next);
        let prefixes = ctx.resolution_prefixes();
        let next = self.contexts.len() as u32;
        let context = *self.contexts.entry(prefixes).or_insert(next);
        let own: Vec<String> = crate::context::binder_groups(
            signature
                .trim_start()
                .split_once(char::is_whitespace)
                .map_or("", |(_, rest)| rest.trim_start()),
        )
        .into_iter()
        .flat_map(|b| b.names)
        .collect();
        // Line by line: a tactic block's lines are separate tactics.
        let lines: Vec<crate::tactic_names::Names> =
            body.lines().map(crate::tactic_names::names).collect();
        let bound: HashSet<&String> = lines.iter().flat_map(|n| n.bound.iter()).collect();
        let sig = crate::tactic_names::names(signature);
        for b in own
            .iter()
            .chain(bound.iter().copied())
            .chain(sig.bound.iter())
        {
            *self.bound_anywhere.entry(b.clone()).or_default() += 1;
        }
        for r in lines.iter().flat_map(|n| n.references.iter()) {
            let first = r.split('.').next().unwrap_or_default();
            if own.iter().any(|o| o == first) || bound.iter().any(|b| *b == first) {
                continue;
            }
            // `Nat.succ_le_iff.mp`: the name ends at its first lower-case component.
            let parts: Vec<&str> = r.split('.').collect();
            let k = parts
                .iter()
                .position(|p| p.starts_with(|c: char| c.is_lowercase() || c == '_'))
                .unwrap_or(parts.len() - 1);
            let name = parts[..=k].join(".");
            *self.free_count.entry(name.clone()).or_default() += 1;
            self.used_free
                .entry(name)
                .or_default()
                .insert((package, context));
        }
        for t in tokenize(body) {
            if let Tok::Ident(w) = t
                && !w.starts_with('.')
            {
                self.used.insert(w);
            }
        }
    }

    /// Links imports, confirms generated names, adds core names used by two packages.
    pub fn finish(mut self) -> NameIndex {
        for (i, imports) in self
            .import_names
            .iter()
            .enumerate()
            .skip(self.first_new_module)
        {
            let ids: Vec<u32> = imports
                .iter()
                .filter_map(|m| self.index.module_ids.get(m).copied())
                .collect();
            self.index.modules[i].imports = ids;
        }
        for (name, module) in std::mem::take(&mut self.generated) {
            let parts: Vec<&str> = name.split('.').collect();
            if looks_local(parts.last().copied().unwrap_or_default()) {
                continue;
            }
            let used = (0..parts.len()).any(|k| self.used.contains(&parts[k..].join(".")));
            if used {
                self.index.add_name(&name, module);
            }
        }
        // `@[simps]` lemmas (`foo_apply`, `foo_toFun`) that proofs use.
        let mut simps_names = Vec::new();
        for u in &self.used {
            let last = u.rsplit('.').next().unwrap_or(u);
            for (i, _) in last.match_indices('_') {
                if let Some(decls) = self.simps.get(&last[..i]) {
                    for (full, module) in decls {
                        simps_names.push((format!("{full}{}", &last[i..]), *module));
                    }
                }
            }
        }
        for (n, m) in simps_names {
            self.index.add_name(&n, m);
        }
        // Names that compiled proofs of two or more packages use without binding them, that
        // nothing anywhere binds, declared in none of the indexed sources: Lean core
        // (`ne_eq`, `Fin`, `if_pos`), simprocs, generated twins of unindexed sources.
        let all = Visible::All;
        let contexts: HashMap<u32, &Vec<String>> =
            self.contexts.iter().map(|(p, id)| (*id, p)).collect();
        let mut core = Vec::new();
        for (name, uses) in &self.used_free {
            let first = name.split('.').next().unwrap_or_default();
            // A name some proofs bind is a local name, unless its unbound uses outnumber its
            // bindings fifty to one (a stray `fun Ne =>` must not hide `Ne.symm`).
            let bound = self.bound_anywhere.get(first).copied().unwrap_or(0);
            let free = self.free_count.get(name).copied().unwrap_or(0);
            if first.chars().count() < 2 || bound * 50 > free || looks_local(name) {
                continue;
            }
            // Unresolved, under the use site's namespaces and `open`s, in two packages.
            let mut packages = HashSet::new();
            for (package, context) in uses {
                if !packages.contains(package)
                    && !self.index.resolves(name, contexts[context], &all)
                {
                    packages.insert(*package);
                }
            }
            if packages.len() >= 2 {
                core.push(name.clone());
            }
        }
        for name in core {
            self.index.add_name(&name, EVERYWHERE);
        }
        self.index
    }
}

/// The identifier-like tokens a notation command declares (`notation "cexp" => …`,
/// `scoped notation "η" => …`), as names: a global notation at the root, a `scoped` one in
/// its namespace (so it resolves only where that namespace is open, as in Lean); `None`
/// when the command is not a notation.
fn notation_tokens(masked: &str, original: &str, namespace: &str) -> Option<Vec<String>> {
    let (_, rest) = split_attributes(masked);
    let words: Vec<&str> = rest.split_whitespace().collect();
    let head = words.iter().find(|w| {
        !matches!(**w, "scoped" | "local" | "private" | "public") && !w.starts_with("scoped[")
    })?;
    // A `local notation` is seen by its own file only: it declares no name for others.
    if words.first() == Some(&"local") {
        return Some(Vec::new());
    }
    let scope = words.iter().find_map(|w| {
        if *w == "scoped" {
            Some(namespace.to_string())
        } else {
            w.strip_prefix("scoped[")
                .map(|ns| ns.trim_end_matches(']').to_string())
        }
    });
    // `notation3:max`: the precedence is not part of the keyword.
    let head = head.split(':').next().unwrap_or_default();
    if !matches!(
        head,
        "notation"
            | "notation3"
            | "infix"
            | "infixl"
            | "infixr"
            | "prefix"
            | "postfix"
            | "macro"
            | "syntax"
    ) {
        return None;
    }
    // Quoted tokens, from the original text (the mask blanks strings).
    let mut out = Vec::new();
    let mut rest = original;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else { break };
        let tok = after[..close].trim();
        // `"cexp"`, `"η"`, and the name part of `"d["` (Ruzsa distance `d[X ; Y]`).
        let starts = tok
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !matches!(c, 'λ' | 'Π' | 'Σ'));
        let name: String = tok
            .chars()
            .take_while(|c| crate::normalise::is_ident_char(*c) || "ᶠᵀˢ".contains(*c))
            .collect();
        if starts && !name.is_empty() {
            out.push(match &scope {
                Some(ns) if !ns.is_empty() => format!("{ns}.{name}"),
                _ => name,
            });
        }
        rest = &after[close + 1..];
        if rest.trim_start().starts_with("=>") {
            break;
        }
    }
    Some(out)
}

/// Names shaped like hypotheses (`h`, `hx`, `h₁`, `h_pos`, `hab`, `x1`): never taken for
/// library names on the evidence of use alone.
fn looks_local(name: &str) -> bool {
    if name.contains('.') {
        return false;
    }
    let chars: Vec<char> = name.chars().collect();
    let rest: String = chars.iter().skip(1).collect();
    chars.len() <= 2
        || name.starts_with("ih") && chars.len() <= 5
        || chars[0] == 'h'
            && (chars.len() <= 4 || !chars[1].is_ascii_lowercase() || rest.starts_with('_'))
        || chars.len() <= 4
            && chars
                .last()
                .is_some_and(|c| c.is_ascii_digit() || *c == '\'')
}

/// `@[simp, to_additive foo]` groups at the start of a command, and the rest.
fn split_attributes(text: &str) -> (Vec<String>, &str) {
    let mut rest = text.trim_start();
    let mut attrs = Vec::new();
    while rest.starts_with("@[") {
        let end = crate::context::attribute_group_end(rest).unwrap_or(rest.len());
        let inner = &rest[2..end.saturating_sub(1).max(2)];
        attrs.extend(split_top_commas(inner));
        rest = rest[end..].trim_start();
    }
    (attrs, rest)
}

fn split_top_commas(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// The additive twin(s) `@[to_additive spec]` gives `full`: the explicit name when the
/// attribute names one (as written and under the translated namespace), else the name
/// translated word by word (`prod` → `sum`, `mul` → `add`, `Monoid` → `AddMonoid`, …).
pub fn additive_names(full: &str, spec: &str) -> Vec<String> {
    let spec = strip_parenthesised(spec);
    let words: Vec<&str> = spec
        .split_whitespace()
        .filter(|w| !matches!(*w, "existing" | "self" | "?" | "!"))
        .collect();
    let translated = translate_name(full);
    let explicit = words.first().filter(|w| {
        w.chars()
            .all(|c| crate::normalise::is_ident_char(c) || c == '.')
    });
    match explicit {
        Some(name) => {
            let mut out = vec![name.to_string()];
            if let Some((ns, _)) = translated.rsplit_once('.') {
                out.push(format!("{ns}.{name}"));
            }
            out
        }
        None if words.is_empty() => vec![translated],
        None => Vec::new(),
    }
}

/// `spec` without its `( … )` groups (`(attr := simp)`, `(reorder := …)`).
fn strip_parenthesised(spec: &str) -> String {
    let mut spec = spec.trim().to_string();
    while let Some(open) = spec.find('(') {
        let mut depth = 0;
        let mut close = spec.len();
        for (i, c) in spec[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        spec.replace_range(open..close, " ");
    }
    spec
}

/// Word-by-word multiplicative → additive translation of a declaration name.
fn translate_name(full: &str) -> String {
    full.split('.')
        .map(|part| {
            part.split('_')
                .map(translate_word)
                .collect::<Vec<_>>()
                .join("_")
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn translate_word(w: &str) -> String {
    // Mathlib's `to_additive` dictionary (Mathlib/Tactic/ToAdditive), the common entries; a
    // wrong guess does no harm, since a guessed name enters only once a proof uses it.
    const WORDS: &[(&str, &str)] = &[
        ("one", "zero"),
        ("mul", "add"),
        ("smul", "vadd"),
        ("inv", "neg"),
        ("div", "sub"),
        ("prod", "sum"),
        ("hmul", "hadd"),
        ("hsmul", "hvadd"),
        ("hdiv", "hsub"),
        ("hpow", "hsmul"),
        ("finprod", "finsum"),
        ("tprod", "tsum"),
        ("pow", "nsmul"),
        ("npow", "nsmul"),
        ("zpow", "zsmul"),
        ("mabs", "abs"),
        ("monoid", "addMonoid"),
        ("submonoid", "addSubmonoid"),
        ("group", "addGroup"),
        ("subgroup", "addSubgroup"),
        ("semigroup", "addSemigroup"),
        ("magma", "addMagma"),
        ("haar", "addHaar"),
        ("unit", "addUnit"),
        ("units", "addUnits"),
        ("cyclic", "addCyclic"),
        ("rootable", "divisible"),
        ("commute", "addCommute"),
        ("semiconj", "addSemiconj"),
        ("zpowers", "zmultiples"),
        ("powers", "multiples"),
        ("multipliable", "summable"),
        ("square", "even"),
        ("isSquare", "even"),
        ("mulIndicator", "indicator"),
        ("mulSupport", "support"),
        ("mulSingle", "single"),
        ("mconv", "conv"),
    ];
    let lookup = |piece: &str| -> Option<String> {
        let lower = piece.to_lowercase();
        let (_, a) = WORDS.iter().find(|(m, _)| m.to_lowercase() == lower)?;
        // Keep the piece's capitalisation: `Monoid` → `AddMonoid`, `IsSquare` → `Even`.
        Some(if piece.starts_with(char::is_uppercase) {
            let mut c = a.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        } else {
            a.to_string()
        })
    };
    if let Some(t) = lookup(w) {
        return t;
    }
    // Camel case: translate piece by piece (`mulLeft` → `addLeft`, `IsSquare` as one piece).
    let mut pieces: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in w.chars() {
        if c.is_uppercase() && prev_lower {
            pieces.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.push(c);
    }
    pieces.push(cur);
    let mut out = String::new();
    let mut i = 0;
    while i < pieces.len() {
        // Two pieces that form one dictionary word (`Is` + `Square`).
        if i + 1 < pieces.len()
            && let Some(t) = lookup(&format!("{}{}", pieces[i], pieces[i + 1]))
        {
            out.push_str(&t);
            i += 2;
            continue;
        }
        out.push_str(&lookup(&pieces[i]).unwrap_or_else(|| pieces[i].clone()));
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(files: &[(&str, &str, &str)]) -> NameIndex {
        let mut b = Builder::default();
        for (pkg, module, text) in files {
            b.add_file(pkg, module, text);
        }
        b.finish()
    }

    const BASIC: &str = "module
public import Mathlib.Algebra.Group.Defs

namespace Finset

@[to_additive (attr := simp)]
theorem prod_range_succ (f : ℕ → M) (n : ℕ) : True := trivial

@[to_additive sum_comm']
theorem prod_comm' : True := trivial

@[to_additive]
theorem prod_unused : True := trivial

private theorem secret : True := trivial

structure Pt where
  x : ℝ
  y : ℝ

@[ext] structure Q where
  mk' ::
  val : ℕ

inductive Color
  | red
  | green (n : ℕ)

alias ⟨foo_mp, foo_mpr⟩ := foo_iff
alias bar := baz

end Finset
";

    const USER: &str = "import Mathlib.Algebra.BigOperators
open Finset
theorem t : True := by
  simp [sum_range_succ, Finset.sum_comm', Nat.succ_le_iff.mp]
";
    const OTHER: &str = "theorem u : True := by exact Nat.succ_le_iff.mp h";

    #[test]
    fn declarations_fields_constructors_aliases_and_confirmed_twins() {
        let idx = index_of(&[
            ("mathlib", "Mathlib.Algebra.BigOperators", BASIC),
            ("proj", "Proj.User", USER),
            ("other", "Other.U", OTHER),
        ]);
        let all = Visible::All;
        let root = [String::new()];
        for n in [
            "Finset.prod_range_succ",
            "Finset.sum_range_succ",
            "Finset.sum_comm'",
            "Finset.Pt.x",
            "Finset.Pt.mk",
            "Finset.Q.mk'",
            "Finset.Q.val",
            "Finset.Q.ext_iff",
            "Finset.Color.green",
            "Finset.foo_mpr",
            "Finset.bar",
            "Nat.succ_le_iff",
            "rfl",
        ] {
            assert!(idx.resolves(n, &root, &all), "{n}");
        }
        // Private names, unused generated twins and names nobody declared are not in.
        for n in [
            "Finset.secret",
            "Finset.sum_unused",
            "Finset.nonsense",
            "sum_range_succ",
        ] {
            assert!(!idx.resolves(n, &root, &all), "{n}");
        }
        // `open Finset` resolves the short name; projections of a lemma resolve.
        let opened = ["Finset".to_string(), String::new()];
        assert!(idx.resolves("sum_range_succ", &opened, &all));
        assert!(idx.resolves("Finset.prod_range_succ.symm", &root, &all));
        assert!(!idx.resolves("Finset.Pt.z", &root, &all));
    }

    #[test]
    fn visibility_is_the_import_closure() {
        let idx = index_of(&[
            ("m", "M.A", "theorem a_lemma : True := trivial"),
            ("m", "M.B", "import M.A\ntheorem b_lemma : True := trivial"),
            ("m", "M.C", "theorem c_lemma : True := trivial"),
        ]);
        let root = [String::new()];
        let from_b = idx.visible_from(&["M.B".to_string()]);
        assert!(idx.resolves("a_lemma", &root, &from_b));
        assert!(idx.resolves("b_lemma", &root, &from_b));
        assert!(!idx.resolves("c_lemma", &root, &from_b));
        assert!(idx.resolves("rfl", &root, &from_b));
    }

    #[test]
    fn saves_and_loads() {
        let idx = index_of(&[("m", "M.A", BASIC)]);
        let dir = std::env::temp_dir().join(format!("theorist-index-{}", std::process::id()));
        let path = dir.join("names.idx");
        idx.save(&path).unwrap();
        let back = NameIndex::load(&path).unwrap();
        assert_eq!(back.len(), idx.len());
        assert!(back.resolves("Finset.Pt.y", &[String::new()], &Visible::All));
        std::fs::write(&path, "nonsense\n").unwrap();
        let err = NameIndex::load(&path).unwrap_err().to_string();
        assert!(err.contains("names.idx") && err.contains("line 1"), "{err}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn additive_translation() {
        assert_eq!(
            additive_names("Finset.prod_range_succ", ""),
            ["Finset.sum_range_succ"]
        );
        assert_eq!(additive_names("mul_one", ""), ["add_zero"]);
        assert_eq!(
            additive_names("Subgroup.mul_mem", ""),
            ["AddSubgroup.add_mem"]
        );
        assert_eq!(
            additive_names("Finset.prod_comm'", "(attr := simp) sum_comm'"),
            ["sum_comm'", "Finset.sum_comm'"]
        );
        assert!(additive_names("foo", "existing").iter().all(|n| n == "foo"));
        assert_eq!(additive_names("IsSquare", ""), ["Even"]);
        assert_eq!(additive_names("Multipliable", ""), ["Summable"]);
        assert_eq!(
            additive_names("Monoid.npow_zero", ""),
            ["AddMonoid.nsmul_zero"]
        );
    }
}
