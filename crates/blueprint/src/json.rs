//! The graphs as JSON, schema `theorist.blueprint.graph/1` (documented in the README): every
//! graph with its nodes (id, kind, title, Lean names, place, statuses, colours, shape) and
//! edges (from, to, style), plus the legend.

use serde::Serialize;
use serde_json::{Value, json};

use crate::graph::{Graph, Mode, colors};
use crate::read::Blueprint;

pub const SCHEMA: &str = "theorist.blueprint.graph/1";

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: &'a str,
    title: Option<&'a str>,
    lean: &'a [String],
    file: String,
    line: u32,
    chapter: &'a str,
    #[serde(flatten)]
    status: &'a crate::graph::NodeStatus,
}

/// The legend: what each colour and shape means (leanblueprint's wording).
pub fn legend(bp: &Blueprint) -> Vec<(String, String, String)> {
    let c = colors(bp);
    let entry = |key: &str, what: &str, meaning: &str| {
        (
            format!("{} {what}", c[key].1),
            c[key].0.clone(),
            meaning.to_string(),
        )
    };
    vec![
        ("Boxes".into(), String::new(), "definitions".into()),
        (
            "Ellipses".into(),
            String::new(),
            "theorems and lemmas".into(),
        ),
        entry(
            "can_state",
            "border",
            "the statement of this result is ready to be formalized; all prerequisites are done",
        ),
        entry(
            "not_ready",
            "border",
            "the statement of this result is not ready to be formalized; the blueprint needs more work",
        ),
        entry(
            "can_prove",
            "background",
            "the proof of this result is ready to be formalized; all prerequisites are done",
        ),
        entry(
            "stated",
            "border",
            "the statement of this result is formalized",
        ),
        entry(
            "proved",
            "background",
            "the proof of this result is formalized",
        ),
        entry(
            "fully_proved",
            "background",
            "the proof of this result and all its ancestors are formalized",
        ),
        entry("mathlib", "border", "this is in Mathlib"),
        entry("defined", "background", "this definition is formalized"),
    ]
}

/// One graph's JSON object.
pub fn graph_value(bp: &Blueprint, graph: &Graph, ids: &[String]) -> Value {
    let root = bp
        .files
        .first()
        .and_then(|f| f.parent())
        .map(|p| p.to_path_buf());
    let nodes: Vec<JsonNode> = graph
        .nodes
        .iter()
        .zip(&graph.statuses)
        .map(|(&i, status)| {
            let n = &bp.nodes[i];
            let file = match &root {
                Some(r) => n.file.strip_prefix(r).unwrap_or(&n.file),
                None => &n.file,
            };
            JsonNode {
                id: &ids[i],
                kind: &n.kind,
                title: n.title.as_deref(),
                lean: &n.lean,
                file: file.display().to_string(),
                line: n.line,
                chapter: &n.chapter,
                status,
            }
        })
        .collect();
    let edges: Vec<Value> = graph
        .edges
        .iter()
        .map(|e| json!({"from": ids[e.from], "to": ids[e.to], "style": e.style}))
        .collect();
    json!({
        "name": graph.name,
        "title": graph.title,
        "nodes": nodes,
        "edges": edges,
        "edges_before_reduction": graph.all_edges.len(),
    })
}

/// The whole document: every graph, the legend, the mode.
pub fn document(bp: &Blueprint, graphs: &[Graph], mode: Mode) -> Value {
    let ids = crate::graph::node_ids(bp);
    let legend: Vec<Value> = legend(bp)
        .into_iter()
        .map(|(name, color, meaning)| json!({"name": name, "color": color, "meaning": meaning}))
        .collect();
    json!({
        "schema": SCHEMA,
        "mode": mode,
        "reduced": !bp.options.nonreduced,
        "dep_by": bp.options.dep_by,
        "graphs": graphs.iter().map(|g| graph_value(bp, g, &ids)).collect::<Vec<_>>(),
        "legend": legend,
    })
}
