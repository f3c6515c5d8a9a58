//! Compat mode against what leanblueprint 0.0.20 itself produced from three real blueprints
//! (FLT, PFR, KeplersLawsLean; tests/fixtures/blueprint-samples): every graph, every node's
//! border, fill and shape, every edge and its style, reduced and non-reduced.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use theorist_blueprint::{EdgeStyle, Mode, graphs, node_ids, read};

fn samples() -> PathBuf {
    Path::new(
        &std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
    )
    .join("../../tests/fixtures/blueprint-samples")
}

type Nodes = BTreeMap<String, (String, String, String)>;
type Edges = BTreeSet<(String, String, String)>;

fn expected(project: &str, variant: &str) -> BTreeMap<String, (Nodes, Edges)> {
    let dir = samples()
        .join(project)
        .join("expected/leanblueprint-0.0.20")
        .join(variant);
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let s = |x: &Value| x.as_str().unwrap_or("").to_string();
        let nodes = v["nodes"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(id, a)| {
                (
                    id.clone(),
                    (s(&a["color"]), s(&a["fillcolor"]), s(&a["shape"])),
                )
            })
            .collect();
        let edges = v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (s(&e[0]), s(&e[1]), s(&e[2])))
            .collect();
        out.insert(s(&v["graph"]), (nodes, edges));
    }
    out
}

/// plasTeX names unlabelled nodes `a0000000181` from an internal counter; ours are
/// `unlabelled-k`. Both count in document order, so they are matched by position.
fn is_plastex_id(id: &str) -> bool {
    id.len() == 11 && id.starts_with('a') && id[1..].bytes().all(|b| b.is_ascii_digit())
}

fn ours(project: &str, nonreduced: bool) -> BTreeMap<String, (Nodes, Edges)> {
    let mut bp = read(&samples().join(project).join("blueprint/src"));
    bp.options.nonreduced |= nonreduced;
    let ids = node_ids(&bp);
    let mut out = BTreeMap::new();
    for g in graphs(&bp, Mode::Compat) {
        let nodes = g
            .nodes
            .iter()
            .zip(&g.statuses)
            .map(|(&n, s)| {
                (
                    ids[n].clone(),
                    (s.color.clone(), s.fillcolor.clone(), s.shape.to_string()),
                )
            })
            .collect();
        let edges = g
            .edges
            .iter()
            .map(|e| {
                let style = match e.style {
                    EdgeStyle::Dashed => "dashed",
                    EdgeStyle::Solid => "solid",
                };
                (ids[e.from].clone(), ids[e.to].clone(), style.to_string())
            })
            .collect();
        out.insert(g.name, (nodes, edges));
    }
    out
}

fn compare(project: &str, variant: &str) {
    let want = expected(project, variant);
    let got = ours(project, variant == "nonreduced");
    assert_eq!(
        want.keys().collect::<Vec<_>>(),
        got.keys().collect::<Vec<_>>(),
        "{project} {variant}: graph names"
    );
    let mut problems = Vec::new();
    for (name, (want_nodes, want_edges)) in &want {
        let (got_nodes, got_edges) = &got[name];
        // Rename plasTeX's unlabelled ids to ours, by position.
        let mut theirs: Vec<&String> = want_nodes.keys().filter(|k| is_plastex_id(k)).collect();
        theirs.sort();
        let mut mine: Vec<&String> = got_nodes
            .keys()
            .filter(|k| k.starts_with("unlabelled-"))
            .collect();
        mine.sort_by_key(|k| k["unlabelled-".len()..].parse::<u32>().unwrap());
        assert_eq!(
            theirs.len(),
            mine.len(),
            "{project} {variant} {name}: unlabelled nodes"
        );
        let rename: BTreeMap<&str, &str> = theirs
            .iter()
            .zip(&mine)
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let r = |id: &String| {
            rename
                .get(id.as_str())
                .map_or(id.clone(), |s| s.to_string())
        };
        let want_nodes: Nodes = want_nodes.iter().map(|(k, v)| (r(k), v.clone())).collect();
        let want_edges: Edges = want_edges
            .iter()
            .map(|(a, b, s)| (r(a), r(b), s.clone()))
            .collect();
        for (id, w) in &want_nodes {
            match got_nodes.get(id) {
                None => problems.push(format!("{name}: node {id} missing")),
                Some(g) if g != w => problems.push(format!("{name}: {id}: want {w:?}, got {g:?}")),
                _ => {}
            }
        }
        for id in got_nodes.keys().filter(|k| !want_nodes.contains_key(*k)) {
            problems.push(format!("{name}: extra node {id}"));
        }
        for e in want_edges.difference(got_edges) {
            problems.push(format!("{name}: edge {e:?} missing"));
        }
        for e in got_edges.difference(&want_edges) {
            problems.push(format!("{name}: extra edge {e:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{project} {variant}: {} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn keplers_laws_reduced_and_not() {
    compare("KeplersLawsLean", "reduced");
    compare("KeplersLawsLean", "nonreduced");
}

#[test]
fn pfr_reduced_and_not() {
    compare("pfr", "reduced");
    compare("pfr", "nonreduced");
}

#[test]
fn flt_every_chapter_graph_reduced_and_not() {
    compare("FLT", "reduced");
    compare("FLT", "nonreduced");
}

#[test]
fn lean_decls_are_leanblueprints() {
    for project in ["KeplersLawsLean", "pfr", "FLT"] {
        let bp = read(&samples().join(project).join("blueprint/src"));
        let want = std::fs::read_to_string(
            samples()
                .join(project)
                .join("expected/leanblueprint-0.0.20/lean_decls"),
        )
        .unwrap();
        assert_eq!(bp.lean_decls.join("\n"), want, "{project}");
    }
}

/// One graph of a DOT file as Graphviz writes it: the `graph`/`node`/`edge` defaults, every
/// node's attributes and every edge's attributes (an empty value is Graphviz's default, so it
/// is left out, as Graphviz leaves it out of what it writes).
#[derive(Debug, Default)]
struct Dot {
    defaults: BTreeMap<String, BTreeMap<String, String>>,
    nodes: BTreeMap<String, BTreeMap<String, String>>,
    edges: BTreeMap<(String, String), BTreeMap<String, String>>,
}

/// DOT's tokens: quoted strings (unescaped), bare identifiers, and punctuation.
fn dot_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if chars.peek() == Some(&'"') => s.push(chars.next().unwrap()),
                        '"' => break,
                        c => s.push(c),
                    }
                }
                out.push(s);
            }
            '-' if chars.peek() == Some(&'>') => {
                chars.next();
                out.push("->".into());
            }
            '{' | '}' | '[' | ']' | '=' | ',' | ';' => out.push(c.to_string()),
            c => {
                let mut s = c.to_string();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || "{}[]=,;\"".contains(c) || c == '-' {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                out.push(s);
            }
        }
    }
    out
}

fn parse_dot(text: &str) -> Dot {
    let t = dot_tokens(text);
    assert_eq!(t[..2], ["strict", "digraph"], "{text}");
    let mut i = t.iter().position(|x| x == "{").unwrap() + 1;
    let mut dot = Dot::default();
    let attrs = |i: &mut usize| {
        let mut a = BTreeMap::new();
        if t[*i] != "[" {
            return a;
        }
        *i += 1;
        while t[*i] != "]" {
            let (k, v) = (t[*i].clone(), t[*i + 2].clone());
            assert_eq!(t[*i + 1], "=");
            if !v.is_empty() {
                a.insert(k, v);
            }
            *i += 3;
            if t[*i] == "," || t[*i] == ";" {
                *i += 1;
            }
        }
        *i += 1;
        a
    };
    while t[i] != "}" {
        let id = t[i].clone();
        i += 1;
        if ["graph", "node", "edge"].contains(&id.as_str()) {
            dot.defaults.insert(id, attrs(&mut i));
        } else if t[i] == "->" {
            let to = t[i + 1].clone();
            i += 2;
            dot.edges.insert((id, to), attrs(&mut i));
        } else {
            dot.nodes.insert(id, attrs(&mut i));
        }
        assert_eq!(t[i], ";", "statement end in {text}");
        i += 1;
    }
    dot
}

/// theorist's DOT against leanblueprint's own DOT files, attribute for attribute: defaults,
/// every node's `color`, `fillcolor`, `label`, `shape`, `style`, every edge's `style`.
fn compare_dot(project: &str, variant: &str) {
    let dir = samples()
        .join(project)
        .join("expected/leanblueprint-0.0.20")
        .join(variant);
    let mut bp = read(&samples().join(project).join("blueprint/src"));
    bp.options.nonreduced |= variant == "nonreduced";
    let ids = node_ids(&bp);
    let mut problems = Vec::new();
    let gs = graphs(&bp, Mode::Compat);
    for g in &gs {
        let path = dir.join(format!("{}.dot", g.name));
        let want = parse_dot(&std::fs::read_to_string(&path).unwrap());
        let got = parse_dot(&theorist_blueprint::dot::to_dot(g, &ids));
        let mut theirs: Vec<&String> = want.nodes.keys().filter(|k| is_plastex_id(k)).collect();
        theirs.sort();
        let mut mine: Vec<&String> = got
            .nodes
            .keys()
            .filter(|k| k.starts_with("unlabelled-"))
            .collect();
        mine.sort_by_key(|k| k["unlabelled-".len()..].parse::<u32>().unwrap());
        let rename: BTreeMap<String, String> = theirs
            .into_iter()
            .cloned()
            .zip(mine.into_iter().cloned())
            .collect();
        let r = |s: &String| rename.get(s).unwrap_or(s).clone();
        let name = &g.name;
        if want.defaults != got.defaults {
            problems.push(format!(
                "{name}: defaults {:?} vs {:?}",
                want.defaults, got.defaults
            ));
        }
        let want_nodes: BTreeMap<String, BTreeMap<String, String>> = want
            .nodes
            .iter()
            .map(|(k, a)| {
                let a = a
                    .iter()
                    .map(|(x, v)| (x.clone(), if x == "label" { r(v) } else { v.clone() }))
                    .collect();
                (r(k), a)
            })
            .collect();
        if want_nodes != got.nodes {
            for (k, a) in &want_nodes {
                if got.nodes.get(k) != Some(a) {
                    problems.push(format!(
                        "{name}: {k}: want {a:?}, got {:?}",
                        got.nodes.get(k)
                    ));
                }
            }
            for k in got.nodes.keys().filter(|k| !want_nodes.contains_key(*k)) {
                problems.push(format!("{name}: extra node {k}"));
            }
        }
        let want_edges: BTreeMap<(String, String), BTreeMap<String, String>> = want
            .edges
            .iter()
            .map(|((a, b), x)| ((r(a), r(b)), x.clone()))
            .collect();
        if want_edges != got.edges {
            problems.push(format!(
                "{name}: edges differ: {:?}",
                want_edges
                    .iter()
                    .filter(|(k, v)| got.edges.get(*k) != Some(v))
                    .collect::<Vec<_>>()
            ));
        }
    }
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "dot")
        })
        .count();
    assert_eq!(files, gs.len(), "{project} {variant}: graph count");
    assert!(
        problems.is_empty(),
        "{project} {variant}: {} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn dot_is_leanblueprints_attribute_for_attribute() {
    for project in ["KeplersLawsLean", "pfr", "FLT"] {
        compare_dot(project, "reduced");
        compare_dot(project, "nonreduced");
    }
}
