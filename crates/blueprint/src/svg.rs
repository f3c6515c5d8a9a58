//! A graph as a standalone SVG from our own layout ([`crate::layout`]): leanblueprint's
//! colours and shapes, dashed statement edges, solid proof edges drawn as smooth curves, one `<g class="node">` per
//! node carrying its id (`data-id`) for the HTML page's search and focus.

use std::collections::HashMap;
use std::fmt::Write;

use crate::graph::{EdgeStyle, Graph, NodeStatus};
use crate::layout::{Layout, Placed, layout};
use crate::read::Blueprint;

const FONT_SIZE: f64 = 13.0;
/// Mean advance of a character of the sans-serif font at [`FONT_SIZE`], in pixels.
const CHAR_WIDTH: f64 = 7.4;
const NODE_HEIGHT: f64 = 34.0;

/// Escapes text for XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The text shown in a node (leanblueprint shows the id after its last `:`).
pub fn shown(id: &str) -> &str {
    id.rsplit(':').next().unwrap_or(id)
}

/// Lays `graph` out with boxes sized to fit each node's text.
pub fn layout_graph(graph: &Graph, ids: &[String]) -> Layout {
    let sizes: Vec<(f64, f64)> = graph
        .nodes
        .iter()
        .zip(&graph.statuses)
        .map(|(&n, s)| {
            let text = shown(&ids[n]).chars().count() as f64 * CHAR_WIDTH;
            // An ellipse needs more room around the same text than a box.
            let pad = if s.shape == "box" { 20.0 } else { 36.0 };
            (text + pad, NODE_HEIGHT)
        })
        .collect();
    let index = node_index(graph);
    let index = |node: usize| index.get(&node).copied();
    let edges: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .filter_map(|e| Some((index(e.from)?, index(e.to)?)))
        .collect();
    layout(&sizes, &edges)
}

/// Each node's place in `graph.nodes`, looked up once per edge end.
fn node_index(graph: &Graph) -> HashMap<usize, usize> {
    graph
        .nodes
        .iter()
        .enumerate()
        .map(|(k, &n)| (n, k))
        .rev()
        .collect()
}

/// An SVG path through `pts`: a smooth curve that leaves its first point and reaches its last
/// one vertically and passes every point between (the dummy points of a long edge, one a
/// layer) without a kink. Since the points go down one layer at a time, x is a function of y:
/// monotone cubic interpolation of it (Fritsch and Carlson) never swings wider than the points
/// on either side, where Catmull-Rom overshoots where a long edge turns. A self-loop is one
/// cubic through its four points.
pub fn curve(pts: &[(f64, f64)], self_loop: bool) -> String {
    let mut d = String::new();
    let Some(&(x0, y0)) = pts.first() else {
        return d;
    };
    let _ = write!(d, "M{x0:.1},{y0:.1}");
    if self_loop && pts.len() == 4 {
        let [_, (ax, ay), (bx, by), (cx, cy)] = [pts[0], pts[1], pts[2], pts[3]];
        let _ = write!(d, " C{ax:.1},{ay:.1} {bx:.1},{by:.1} {cx:.1},{cy:.1}");
        return d;
    }
    let last = pts.len() - 1;
    // dx/dy on each piece, and at each point: 0 at the ends (vertical) and where the edge
    // turns back or runs straight down, else the harmonic mean of the pieces on either side.
    let secant: Vec<f64> = pts
        .windows(2)
        .map(|w| {
            let dy = w[1].1 - w[0].1;
            if dy == 0.0 {
                0.0
            } else {
                (w[1].0 - w[0].0) / dy
            }
        })
        .collect();
    let slope = |i: usize| -> f64 {
        if i == 0 || i == last {
            return 0.0;
        }
        let (a, b) = (secant[i - 1], secant[i]);
        if a * b <= 0.0 {
            0.0
        } else {
            2.0 / (1.0 / a + 1.0 / b)
        }
    };
    for i in 0..last {
        let ((xa, ya), (xb, yb)) = (pts[i], pts[i + 1]);
        let h = yb - ya;
        // An end leaves (arrives) straight down over half the piece, as a two-point edge
        // always did; a point between pieces shares its tangent with the next piece.
        let reach = |j: usize| {
            if j == 0 || j == last {
                h / 2.0
            } else {
                h / 3.0
            }
        };
        let (ra, rb) = (reach(i), reach(i + 1));
        let _ = write!(
            d,
            " C{:.1},{:.1} {:.1},{:.1} {xb:.1},{yb:.1}",
            xa + slope(i) * ra,
            ya + ra,
            xb - slope(i + 1) * rb,
            yb - rb,
        );
    }
    d
}

/// The SVG document of one graph.
pub fn render(bp: &Blueprint, graph: &Graph, ids: &[String]) -> String {
    let l = layout_graph(graph, ids);
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="depgraph" data-graph="{name}" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.1} {h:.1}" font-family="sans-serif" font-size="{FONT_SIZE}">
<title>{title}</title>
<defs><marker id="arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 L3,5 z" fill="#333"/></marker></defs>
"##,
        name = escape(&graph.name),
        w = l.width,
        h = l.height,
        title = escape(&graph.title),
    );
    if !l.cut_short.is_empty() {
        // Said in the drawing itself, which is all a reader of the file has.
        let _ = writeln!(
            out,
            "<desc>Laid out with less care than usual: this graph ({} nodes, {} edges) is larger or denser than theorist lays out in full (cut short: {}).</desc>",
            graph.nodes.len(),
            graph.edges.len(),
            l.cut_short.join(", ")
        );
    }
    let _ = writeln!(
        out,
        r#"<g class="content" id="content-{}">"#,
        escape(&graph.name)
    );
    write_edges(&mut out, graph, ids, &l.edges);
    out.push_str("<g class=\"nodes\">\n");
    for (k, (&n, s)) in graph.nodes.iter().zip(&graph.statuses).enumerate() {
        write_node(&mut out, bp, (n, &ids[n]), s, &l.nodes[k]);
    }
    out.push_str("</g>\n</g>\n</svg>\n");
    out
}

/// The edges' group: one smooth path per drawn edge (both ends in the graph), dashed for a
/// `\uses` in a statement.
fn write_edges(out: &mut String, graph: &Graph, ids: &[String], curves: &[Vec<(f64, f64)>]) {
    let index = node_index(graph);
    let index = |node: usize| index.get(&node).copied();
    out.push_str("<g class=\"edges\">\n");
    let drawn = graph
        .edges
        .iter()
        .filter(|e| index(e.from).is_some() && index(e.to).is_some());
    for (e, pts) in drawn.zip(curves) {
        let d = curve(pts, e.from == e.to);
        let dash = if e.style == EdgeStyle::Dashed {
            " stroke-dasharray=\"5,4\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r##"<path class="edge" data-from="{}" data-to="{}" d="{}" fill="none" stroke="#333" stroke-width="1.2"{dash} marker-end="url(#arrow-{})"/>"##,
            escape(&ids[e.from]),
            escape(&ids[e.to]),
            d,
            escape(&graph.name),
        );
    }
    out.push_str("</g>\n");
}

/// One node (`n`, its id): its title, its shape in leanblueprint's colours, its label.
fn write_node(
    out: &mut String,
    bp: &Blueprint,
    (n, id): (usize, &str),
    s: &NodeStatus,
    p: &Placed,
) {
    let stroke = if s.color.is_empty() {
        "black"
    } else {
        &s.color
    };
    let fill = if s.fillcolor.is_empty() {
        "white"
    } else {
        &s.fillcolor
    };
    let node = &bp.nodes[n];
    let _ = write!(
        out,
        r#"<g class="node" data-id="{id}" data-kind="{kind}"><title>{id}{title}</title>"#,
        id = escape(id),
        kind = escape(&node.kind),
        title = node
            .title
            .as_deref()
            .map(|t| format!(" — {}", escape(t)))
            .unwrap_or_default(),
    );
    if s.shape == "box" {
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="{}" stroke-width="1.8"/>"#,
            p.x - p.width / 2.0,
            p.y - p.height / 2.0,
            p.width,
            p.height,
            escape(fill),
            escape(stroke)
        );
    } else {
        let _ = write!(
            out,
            r#"<ellipse cx="{:.1}" cy="{:.1}" rx="{:.1}" ry="{:.1}" fill="{}" stroke="{}" stroke-width="1.8"/>"#,
            p.x,
            p.y,
            p.width / 2.0,
            p.height / 2.0,
            escape(fill),
            escape(stroke)
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" dominant-baseline="central">{}</text></g>"#,
        p.x,
        p.y,
        escape(shown(id))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(d: &str) -> Vec<f64> {
        d.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect()
    }

    #[test]
    fn a_long_edge_is_one_smooth_curve_through_its_points() {
        let pts = [(0.0, 0.0), (30.0, 90.0), (60.0, 180.0), (60.0, 270.0)];
        let d = curve(&pts, false);
        assert_eq!(d.matches('C').count(), 3, "{d}");
        let v = numbers(&d);
        // M x y, then per piece: c1, c2, end.
        let piece = |k: usize| &v[2 + 6 * k..8 + 6 * k];
        for (k, p) in pts[1..].iter().enumerate() {
            assert_eq!((piece(k)[4], piece(k)[5]), *p, "passes {p:?}");
        }
        // Leaves and arrives vertically.
        assert_eq!(piece(0)[0], 0.0);
        assert_eq!(piece(2)[2], 60.0);
        // Never wider than the points: every control point's x within its piece's ends.
        for k in 0..3 {
            let (lo, hi) = (
                pts[k].0.min(pts[k + 1].0) - 0.05,
                pts[k].0.max(pts[k + 1].0) + 0.05,
            );
            for x in [piece(k)[0], piece(k)[2]] {
                assert!(lo <= x && x <= hi, "piece {k} swings to {x}: {d}");
            }
        }
        // A long edge that turns (far sideways, then straight down) does not overshoot.
        let turn = curve(
            &[(0.0, 0.0), (1000.0, 90.0), (1000.0, 180.0), (1000.0, 270.0)],
            false,
        );
        let widest = numbers(&turn)
            .chunks(2)
            .map(|p| p[0])
            .fold(f64::MIN, f64::max);
        assert!(widest <= 1000.05, "{turn}");
        // No kink at an inner point: the control points on either side are collinear with it.
        for k in 0..2 {
            let (cin, p, cout) = (
                (piece(k)[2], piece(k)[3]),
                (piece(k)[4], piece(k)[5]),
                (piece(k + 1)[0], piece(k + 1)[1]),
            );
            let cross = (p.0 - cin.0) * (cout.1 - p.1) - (p.1 - cin.1) * (cout.0 - p.0);
            assert!(cross.abs() < 1.0, "kink at {p:?}: {d}");
        }
    }
}
