//! Graphviz DOT, written the way leanblueprint writes it (a strict digraph per graph, the same
//! node attributes `color`, `fillcolor`, `label`, `shape`, `style` and edge `style`), so the
//! result can be diffed against leanblueprint's or laid out by `dot`.

use std::fmt::Write;

use crate::graph::{EdgeStyle, Graph};

/// A DOT string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One graph as DOT. `ids` names the nodes (see [`crate::node_ids`]).
pub fn to_dot(graph: &Graph, ids: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "strict digraph {} {{", quote(&graph.name));
    out.push_str("\tgraph [bgcolor=transparent];\n");
    // Graphviz declares the `label` default (`\N`, the node's name) only once a node has
    // been given a label, so an empty graph's DOT has none.
    if graph.nodes.is_empty() {
        out.push_str("\tnode [penwidth=1.8];\n");
    } else {
        out.push_str("\tnode [label=\"\\N\",\n\t\tpenwidth=1.8\n\t];\n");
    }
    out.push_str("\tedge [arrowhead=vee];\n");
    for (k, &n) in graph.nodes.iter().enumerate() {
        let s = &graph.statuses[k];
        let id = &ids[n];
        // leanblueprint shows the part of the id after its last `:`.
        let label = id.rsplit(':').next().unwrap_or(id);
        // leanblueprint hands `color=""` and `style=""` to Graphviz, which drops an empty
        // attribute from the DOT it writes; so do we.
        let mut attrs = Vec::new();
        if !s.color.is_empty() {
            attrs.push(format!("color={}", quote(&s.color)));
        }
        if !s.fillcolor.is_empty() {
            attrs.push(format!("fillcolor={}", quote(&s.fillcolor)));
        }
        attrs.push(format!("label={}", quote(label)));
        attrs.push(format!("shape={}", s.shape));
        if !s.fillcolor.is_empty() {
            attrs.push("style=filled".to_string());
        }
        let _ = writeln!(out, "\t{}\t[{}];", quote(id), attrs.join(",\n\t\t"));
    }
    for e in &graph.edges {
        let _ = write!(out, "\t{} -> {}", quote(&ids[e.from]), quote(&ids[e.to]));
        if e.style == EdgeStyle::Dashed {
            out.push_str("\t[style=dashed]");
        }
        out.push_str(";\n");
    }
    out.push_str("}\n");
    out
}
