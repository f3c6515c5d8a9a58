//! Every name the bundled library (lean/) uses is accounted for: declared in lean/ itself, a
//! local binder, a Lean keyword or core tactic listed below, or a row of the checked-in table
//! lean/MATHLIB_NAMES.tsv, which records where each Mathlib (or Lean core) name lives at the
//! pinned Mathlib tag and which of the library's imports brings it in. No Lean toolchain exists
//! where the library is developed, so this table (each row looked up in Mathlib's sources at
//! the tag) is what stands between a misspelt or renamed lemma and a broken `lake build`.
//!
//! The check also fails on a row nothing uses (the table stays exact), on an `import` that is
//! neither a library module nor a recorded Mathlib module, and on a name whose recorded Mathlib
//! file is not brought in by the using file's imports. A doctored copy of the library shows
//! each failure.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lean's own keywords, term syntax and the core tactics the library uses: built into Lean
/// v4.22.0 (no import needed), so not in the table. Anything else must resolve.
#[rustfmt::skip]
const LEAN_KEYWORDS: &[&str] = &[
    // commands and term syntax
    "import", "namespace", "section", "end", "open", "variable", "theorem", "lemma", "def",
    "abbrev", "structure", "where", "noncomputable", "private", "protected", "fun", "by",
    "have", "show", "from", "at", "with", "calc", "let", "in", "if", "then", "else", "Type",
    "Prop", "Sort", "this", "only", "sorry",
    // core tactics (Init/Tactics.lean, Init/RCases.lean, Init/Ext.lean at v4.22.0)
    "intro", "exact", "refine", "rw", "unfold", "constructor", "rcases", "obtain", "rintro",
    "apply", "exfalso", "simp", "ext",
];

/// The table's header must pin the same Mathlib as the lakefile.
const PIN_TAG: &str = "v4.22.0";

#[derive(Debug, Clone)]
struct Row {
    name: String,
    kind: String,
    source: String,
    via: Vec<String>,
    line: usize,
}

#[derive(Debug)]
struct Table {
    rows: BTreeMap<String, Row>,
    header: String,
}

fn read_table(text: &str) -> Result<Table, String> {
    let mut rows = BTreeMap::new();
    let mut header = String::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if let Some(comment) = line.strip_prefix('#') {
            header.push_str(comment);
            header.push('\n');
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, kind, source, via] = cols.as_slice() else {
            return Err(format!(
                "MATHLIB_NAMES.tsv:{line_no}: expected 4 tab-separated columns"
            ));
        };
        let known_kinds = [
            "module",
            "theorem",
            "def",
            "structure",
            "class",
            "instance",
            "notation",
            "tactic",
            "core",
        ];
        if !known_kinds.contains(kind) {
            return Err(format!(
                "MATHLIB_NAMES.tsv:{line_no}: unknown kind `{kind}`"
            ));
        }
        let core = *kind == "core";
        let module = *kind == "module";
        if core != source.starts_with("lean4:") || !source.ends_with(".lean") {
            return Err(format!(
                "MATHLIB_NAMES.tsv:{line_no}: `{source}` is not a Mathlib file (Mathlib/….lean) or a Lean core file (lean4:src/….lean)"
            ));
        }
        if !core && !source.starts_with("Mathlib/") {
            return Err(format!(
                "MATHLIB_NAMES.tsv:{line_no}: `{source}` is not under Mathlib/"
            ));
        }
        let via: Vec<String> = if *via == "-" {
            Vec::new()
        } else {
            via.split(',').map(|s| s.trim().to_string()).collect()
        };
        if module && source.replace('/', ".") != format!("{name}.lean") {
            return Err(format!(
                "MATHLIB_NAMES.tsv:{line_no}: module `{name}` is not the file `{source}`"
            ));
        }
        if !core && !module && via.is_empty() {
            return Err(format!(
                "MATHLIB_NAMES.tsv:{line_no}: `{name}` names no import that brings it in"
            ));
        }
        let row = Row {
            name: name.to_string(),
            kind: kind.to_string(),
            source: source.to_string(),
            via,
            line: line_no,
        };
        if rows.insert(name.to_string(), row).is_some() {
            return Err(format!("MATHLIB_NAMES.tsv:{line_no}: `{name}` twice"));
        }
    }
    Ok(Table { rows, header })
}

/// A library source: its module name (`Theorist.Higgs.Potential`) and text.
struct Source {
    module: String,
    path: String,
    text: String,
}

fn library_sources(root: &Path) -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "lean") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root).unwrap().with_extension("");
            let module = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(".");
            Source {
                module,
                path: p.display().to_string(),
                text: std::fs::read_to_string(&p).unwrap(),
            }
        })
        .collect()
}

/// What is wrong with the library's names, one line per problem (`file:line:col: message`).
fn check(sources: &[Source], table: &Table) -> Vec<String> {
    let mut problems = Vec::new();
    let parsed: Vec<theorist_leansrc::SourceFile> = sources
        .iter()
        .map(|s| theorist_leansrc::parse(&s.text))
        .collect();
    let modules: BTreeMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.module.as_str(), i))
        .collect();

    // Names the library declares itself, and their last components (for field notation).
    let mut declared: BTreeSet<String> = BTreeSet::new();
    for f in &parsed {
        declared.extend(f.decls.iter().map(|d| d.name.clone()));
        declared.extend(theorist_leansrc::structure_fields(f));
        // A structure's default constructor.
        declared.extend(
            f.decls
                .iter()
                .filter(|d| d.kind == theorist_leansrc::DeclKind::Structure)
                .map(|d| format!("{}.mk", d.name)),
        );
    }
    let last = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
    let field_like: BTreeSet<String> = declared
        .iter()
        .map(|n| last(n))
        .chain(
            table
                .rows
                .values()
                .filter(|r| r.kind != "module")
                .map(|r| last(&r.name)),
        )
        .collect();

    // Imports: library modules or recorded Mathlib modules; the transitive Mathlib imports
    // of each file (through library modules).
    for (s, f) in sources.iter().zip(&parsed) {
        for m in &f.imports {
            let ok = modules.contains_key(m.as_str())
                || table.rows.get(m).is_some_and(|r| r.kind == "module");
            if !ok {
                problems.push(format!(
                    "{}: import {m} is neither a library module nor a Mathlib module recorded in MATHLIB_NAMES.tsv",
                    s.path
                ));
            }
        }
    }
    let mathlib_imports = |start: usize| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut out = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            for m in &parsed[i].imports {
                match modules.get(m.as_str()) {
                    Some(&j) => stack.push(j),
                    None => {
                        out.insert(m.clone());
                    }
                }
            }
        }
        out
    };

    let mut used_rows: BTreeSet<String> = sources
        .iter()
        .zip(&parsed)
        .flat_map(|(_, f)| f.imports.clone())
        .collect();
    // Field-notation components (`h.le`, `foo.mpr`) count as uses of rows whose last component
    // matches.
    let mut suffixes: BTreeSet<String> = BTreeSet::new();
    for (i, (s, f)) in sources.iter().zip(&parsed).enumerate() {
        let imports = mathlib_imports(i);
        for u in theorist_leansrc::name_uses(f) {
            if u.assigned || LEAN_KEYWORDS.contains(&u.name.as_str()) {
                continue;
            }
            let at = format!("{}:{}:{}", s.path, u.pos.line, u.pos.column);
            let components: Vec<&str> = u.name.trim_start_matches('.').split('.').collect();
            let field_ok = |rest: &[&str]| {
                rest.iter()
                    .all(|c| c.chars().all(|ch| ch.is_ascii_digit()) || field_like.contains(*c))
            };
            if u.name.starts_with('.') || u.local {
                let rest = if u.local {
                    &components[1..]
                } else {
                    &components[..]
                };
                suffixes.extend(rest.iter().map(|c| c.to_string()));
                if !field_ok(rest) {
                    problems.push(format!(
                        "{at}: `{}`: no declaration of the library and no recorded name ends in {}",
                        u.name,
                        rest.join(", ")
                    ));
                }
                continue;
            }
            // The longest prefix that names a declaration (in any namespace Lean tries); the
            // rest is field notation.
            // `open B` inside `namespace A` opens `A.B` (or `B`).
            let scopes: Vec<String> = u
                .namespaces
                .iter()
                .cloned()
                .chain(u.opens.iter().flat_map(|o| {
                    u.namespaces.iter().map(move |n| {
                        if n.is_empty() {
                            o.clone()
                        } else {
                            format!("{n}.{o}")
                        }
                    })
                }))
                .collect();
            let mut resolved = None;
            'split: for k in (1..=components.len()).rev() {
                let head = components[..k].join(".");
                for ns in &scopes {
                    let full = if ns.is_empty() {
                        head.clone()
                    } else {
                        format!("{ns}.{head}")
                    };
                    if declared.contains(&full) || table.rows.contains_key(&full) {
                        resolved = Some((full, k));
                        break 'split;
                    }
                }
            }
            let Some((full, k)) = resolved else {
                problems.push(format!(
                    "{at}: `{}` is not declared in lean/ and not recorded in MATHLIB_NAMES.tsv (tried in {})",
                    u.name,
                    scopes
                        .iter()
                        .map(|n| if n.is_empty() { "the root" } else { n.as_str() })
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                continue;
            };
            suffixes.extend(components[k..].iter().map(|c| c.to_string()));
            if !field_ok(&components[k..]) {
                problems.push(format!(
                    "{at}: `{}`: field notation {} after `{full}` resolves to nothing recorded",
                    u.name,
                    components[k..].join(".")
                ));
            }
            if let Some(row) = table.rows.get(&full) {
                used_rows.insert(full.clone());
                if row.kind != "core" && !row.via.iter().any(|m| imports.contains(m)) {
                    problems.push(format!(
                        "{at}: `{full}` lives in {} (MATHLIB_NAMES.tsv:{}), which none of this file's imports brings in (needs one of: {})",
                        row.source,
                        row.line,
                        row.via.join(", ")
                    ));
                }
            }
        }
    }
    for row in table.rows.values() {
        if !used_rows.contains(&row.name) && !suffixes.contains(&last(&row.name)) {
            problems.push(format!(
                "MATHLIB_NAMES.tsv:{}: `{}` is used nowhere in lean/ (remove the row)",
                row.line, row.name
            ));
        }
    }
    problems
}

fn table() -> Table {
    read_table(&std::fs::read_to_string("lean/MATHLIB_NAMES.tsv").unwrap())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_name_the_library_uses_is_declared_bound_or_recorded() {
    let table = table();
    let sources = library_sources(Path::new("lean"));
    assert!(sources.len() >= 5, "lean/ has {} files", sources.len());
    let problems = check(&sources, &table);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_table_pins_the_lakefiles_mathlib() {
    let table = table();
    let lakefile = std::fs::read_to_string("lakefile.lean").unwrap();
    assert!(
        lakefile.contains(&format!("mathlib4.git\" @ \"{PIN_TAG}\"")),
        "lakefile.lean no longer pins Mathlib {PIN_TAG}: look every name up again at the new tag"
    );
    let toolchain = std::fs::read_to_string("lean-toolchain").unwrap();
    assert_eq!(toolchain.trim(), format!("leanprover/lean4:{PIN_TAG}"));
    assert!(
        table.header.contains(&format!("Mathlib {PIN_TAG}")),
        "MATHLIB_NAMES.tsv's header does not say it was read at Mathlib {PIN_TAG}"
    );
}

/// The library's files with `from` replaced by `to` in the file whose module ends with
/// `module_suffix`.
fn doctored(module_suffix: &str, from: &str, to: &str) -> Vec<Source> {
    let mut sources = library_sources(Path::new("lean"));
    let s = sources
        .iter_mut()
        .find(|s| s.module.ends_with(module_suffix))
        .unwrap_or_else(|| panic!("no module {module_suffix}"));
    assert!(s.text.contains(from), "{module_suffix} has no `{from}`");
    s.text = s.text.replacen(from, to, 1);
    sources
}

#[test]
fn a_renamed_lemma_an_unknown_import_and_an_unrecorded_name_are_each_caught() {
    let table = table();
    // The lemma renamed in 2024 (`div_le_iff` → `div_le_iff₀`).
    let p = check(
        &doctored("Higgs.Potential", "div_le_iff₀", "div_le_iff"),
        &table,
    );
    assert!(
        p.iter().any(|l| l.contains("`div_le_iff` is not declared")),
        "{p:?}"
    );
    // A module that does not exist at the tag.
    let p = check(
        &doctored(
            "Lorentz.Boost",
            "Trigonometric.Deriv\n",
            "Trigonometric.DerivHyp\n",
        ),
        &table,
    );
    assert!(
        p.iter().any(|l| l.contains(
            "import Mathlib.Analysis.SpecialFunctions.Trigonometric.DerivHyp is neither"
        )),
        "{p:?}"
    );
    // A real Mathlib lemma that nobody recorded, and a field name that resolves to nothing.
    let p = check(
        &doctored("Higgs.Potential", "sq_nonneg", "pow_two_nonneg"),
        &table,
    );
    assert!(p.iter().any(|l| l.contains("`pow_two_nonneg`")), "{p:?}");
    let p = check(&doctored("Higgs.Potential", ".ne'", ".ne_wrong"), &table);
    assert!(p.iter().any(|l| l.contains("ne_wrong")), "{p:?}");
}

#[test]
fn a_name_its_file_does_not_import_and_an_unused_row_are_caught() {
    let table = table();
    // Dropping every import of a file leaves its Mathlib names without a provider.
    let mut sources = library_sources(Path::new("lean"));
    let s = sources
        .iter_mut()
        .find(|s| s.module.ends_with("Anomaly.StandardModel"))
        .unwrap();
    s.text = s
        .text
        .lines()
        .filter(|l| !l.starts_with("import "))
        .collect::<Vec<_>>()
        .join("\n");
    let p = check(&sources, &table);
    assert!(
        p.iter()
            .any(|l| l.contains("which none of this file's imports brings in")),
        "{p:?}"
    );
    // A row nothing uses.
    let mut text = std::fs::read_to_string("lean/MATHLIB_NAMES.tsv").unwrap();
    text.push_str(
        "Real.cos_sq_add_sin_sq\ttheorem\tMathlib/Data/Complex/Trigonometric.lean\tMathlib.Tactic.Ring\n",
    );
    let p = check(
        &library_sources(Path::new("lean")),
        &read_table(&text).unwrap(),
    );
    assert!(
        p.iter()
            .any(|l| l.contains("`Real.cos_sq_add_sin_sq` is used nowhere")),
        "{p:?}"
    );
}

#[test]
fn malformed_rows_are_rejected_with_their_line() {
    assert!(
        read_table("a\ttheorem\tMathlib/A.lean\n")
            .unwrap_err()
            .contains(":1: expected 4")
    );
    assert!(
        read_table("# x\na\tlemma\tMathlib/A.lean\tM\n")
            .unwrap_err()
            .contains(":2: unknown kind")
    );
    assert!(
        read_table("a\ttheorem\tMathlib/A.lean\t-\n")
            .unwrap_err()
            .contains("names no import")
    );
    assert!(
        read_table("a\tcore\tMathlib/A.lean\t-\n")
            .unwrap_err()
            .contains("is not a Mathlib file")
    );
}
