//! A layered (Sugiyama) layout of a dependency graph, so that no Graphviz is needed: cycles
//! broken, layers by longest path (prerequisites above what uses them), long edges split by
//! dummy points, crossings reduced by barycentre sweeps (the best ordering kept), and x
//! positions pulled towards neighbours without letting boxes overlap.

use std::collections::BTreeMap;

/// A node's box, centred at (`x`, `y`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The layout: one box per node, one polyline per edge (from the source's bottom to the
/// target's top, through its dummy points).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    pub edges: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
    /// Edge crossings left after ordering (for tests and benches).
    pub crossings: usize,
    /// Edge crossings in the first ordering (document order within each layer).
    pub crossings_before: usize,
}

const H_GAP: f64 = 24.0;
const V_GAP: f64 = 64.0;
const MARGIN: f64 = 16.0;
const SWEEPS: usize = 12;

/// Lays out `sizes.len()` nodes of the given (width, height) with `edges` (from, to) given as
/// indices into `sizes`.
pub fn layout(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Layout {
    let n = sizes.len();
    if n == 0 {
        return Layout {
            nodes: Vec::new(),
            edges: Vec::new(),
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            crossings: 0,
            crossings_before: 0,
        };
    }
    let dag = acyclic(n, edges);
    let layer = layers(n, &dag);
    let depth = layer.iter().copied().max().unwrap_or(0) + 1;

    // Vertices: the nodes, then dummies; each long edge becomes a chain.
    let mut v_layer: Vec<usize> = layer.clone();
    let mut v_width: Vec<f64> = sizes.iter().map(|s| s.0).collect();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(edges.len());
    let mut links: Vec<(usize, usize)> = Vec::new();
    for &(a, b) in &dag {
        let (top, bottom) = (a, b);
        let mut chain = vec![top];
        let mut at = top;
        for l in layer[top] + 1..layer[bottom] {
            v_layer.push(l);
            v_width.push(0.0);
            let d = v_layer.len() - 1;
            links.push((at, d));
            chain.push(d);
            at = d;
        }
        links.push((at, bottom));
        chain.push(bottom);
        chains.push(chain);
    }
    let nv = v_layer.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); nv];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); nv];
    for &(a, b) in &links {
        down[a].push(b);
        up[b].push(a);
    }
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for v in 0..nv {
        rows[v_layer[v]].push(v);
    }
    // Crossing reduction.
    let mut pos = vec![0f64; nv];
    let index_positions = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for row in rows {
            for (k, &v) in row.iter().enumerate() {
                pos[v] = k as f64;
            }
        }
    };
    index_positions(&rows, &mut pos);
    let mut best = rows.clone();
    let mut best_cross = crossings(&rows, &down, &pos);
    let crossings_before = best_cross;
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let neighbours = if downward { &up } else { &down };
            let mut keyed: Vec<(f64, f64, usize)> = rows[l]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    let key = if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
                    };
                    (key, pos[v], v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|k| k.2).collect();
            for (k, &v) in rows[l].iter().enumerate() {
                pos[v] = k as f64;
            }
        }
        transpose(&mut rows, &up, &down, &mut pos);
        let c = crossings(&rows, &down, &pos);
        if c < best_cross {
            best_cross = c;
            best = rows.clone();
        }
    }
    let rows = best;

    // x coordinates: packed, then pulled towards neighbours' mean, keeping order and gaps.
    let mut x = vec![0f64; nv];
    for row in &rows {
        let mut at = 0.0;
        for &v in row {
            x[v] = at + v_width[v] / 2.0;
            at += v_width[v] + H_GAP;
        }
    }
    for pass in 0..8 {
        let downward = pass % 2 == 0;
        let order: Vec<usize> = if downward {
            (0..depth).collect()
        } else {
            (0..depth).rev().collect()
        };
        for l in order {
            let row = &rows[l];
            let desired: Vec<f64> = row
                .iter()
                .map(|&v| {
                    let ns: Vec<usize> = up[v].iter().chain(&down[v]).copied().collect();
                    if ns.is_empty() {
                        x[v]
                    } else {
                        ns.iter().map(|&u| x[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            place_row(row, &desired, &v_width, &mut x);
        }
    }
    let min_x = (0..nv)
        .map(|v| x[v] - v_width[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let max_x = (0..nv)
        .map(|v| x[v] + v_width[v] / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let row_height: Vec<f64> = rows
        .iter()
        .map(|r| {
            r.iter()
                .filter(|&&v| v < n)
                .map(|&v| sizes[v].1)
                .fold(0.0, f64::max)
        })
        .collect();
    let mut row_y = Vec::with_capacity(depth);
    let mut at = MARGIN;
    for h in &row_height {
        row_y.push(at + h / 2.0);
        at += h + V_GAP;
    }
    let shift = MARGIN - min_x;
    let nodes: Vec<Placed> = (0..n)
        .map(|v| Placed {
            x: x[v] + shift,
            y: row_y[layer[v]],
            width: sizes[v].0,
            height: sizes[v].1,
        })
        .collect();
    // Polylines in the caller's edge order; reversed edges are drawn back the right way.
    let mut by_pair: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (k, &(a, b)) in dag.iter().enumerate() {
        by_pair.insert((a, b), k);
    }
    let point = |v: usize, top: bool| -> (f64, f64) {
        if v < n {
            let p = nodes[v];
            (
                p.x,
                if top {
                    p.y - p.height / 2.0
                } else {
                    p.y + p.height / 2.0
                },
            )
        } else {
            (x[v] + shift, row_y[v_layer[v]])
        }
    };
    let polylines = edges
        .iter()
        .map(|&(a, b)| {
            if a == b && a < n {
                return self_loop(nodes[a]);
            }
            let (k, reversed) = match by_pair.get(&(a, b)) {
                Some(&k) => (k, false),
                None => match by_pair.get(&(b, a)) {
                    Some(&k) => (k, true),
                    None => return Vec::new(),
                },
            };
            let chain = &chains[k];
            let mut pts: Vec<(f64, f64)> = chain
                .iter()
                .enumerate()
                // Leave the source at its bottom, reach everything else at its top.
                .map(|(i, &v)| point(v, i != 0))
                .collect();
            if reversed {
                pts.reverse();
            }
            pts
        })
        .collect();
    Layout {
        nodes,
        edges: polylines,
        width: max_x - min_x + 2.0 * MARGIN,
        height: at - V_GAP + MARGIN,
        crossings: best_cross,
        crossings_before,
    }
}

/// A node that uses itself: a small loop out of its right side and back.
fn self_loop(p: Placed) -> Vec<(f64, f64)> {
    let right = p.x + p.width / 2.0;
    vec![
        (right - 4.0, p.y - p.height / 4.0),
        (right + 18.0, p.y - p.height / 2.0),
        (right + 18.0, p.y + p.height / 2.0),
        (right - 4.0, p.y + p.height / 4.0),
    ]
}

/// The edges with each one on a cycle reversed (depth-first back edges), without self-loops
/// or duplicates.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            adj[a].push(b);
        }
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut back: std::collections::BTreeSet<(usize, usize)> = Default::default();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&w) = adj[v].get(*k) {
                *k += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    let mut out: Vec<(usize, usize)> = edges
        .iter()
        .filter(|(a, b)| a != b && *a < n && *b < n)
        .map(|&(a, b)| {
            if back.contains(&(a, b)) {
                (b, a)
            } else {
                (a, b)
            }
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Longest-path layers: sources on layer 0, every edge pointing down.
fn layers(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indeg[b] += 1;
        succ[a].push(b);
    }
    let mut layer = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = ready.pop() {
        for &w in &succ[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                ready.push(w);
            }
        }
    }
    layer
}

/// Crossings between consecutive layers (pairs of links whose ends are in opposite order).
fn crossings(rows: &[Vec<usize>], down: &[Vec<usize>], pos: &[f64]) -> usize {
    let mut total = 0;
    for row in rows {
        let mut links: Vec<(f64, f64)> = Vec::new();
        for &v in row {
            for &w in &down[v] {
                links.push((pos[v], pos[w]));
            }
        }
        links.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for i in 0..links.len() {
            for j in i + 1..links.len() {
                if links[i].0 < links[j].0 && links[i].1 > links[j].1 {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Crossings among the links of `u` and `v` to the layers above and below when `u` is left of
/// `v`.
fn pair_crossings(
    u: usize,
    v: usize,
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    pos: &[f64],
) -> usize {
    let mut c = 0;
    for side in [up, down] {
        for &a in &side[u] {
            for &b in &side[v] {
                if pos[a] > pos[b] {
                    c += 1;
                }
            }
        }
    }
    c
}

/// Swaps neighbours within a layer while that removes crossings (the "transpose" step of
/// Gansner et al.).
fn transpose(rows: &mut [Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>], pos: &mut [f64]) {
    for _ in 0..6 {
        let mut improved = false;
        for row in rows.iter_mut() {
            for k in 0..row.len().saturating_sub(1) {
                let (u, v) = (row[k], row[k + 1]);
                if pair_crossings(v, u, up, down, pos) < pair_crossings(u, v, up, down, pos) {
                    row.swap(k, k + 1);
                    pos[u] = (k + 1) as f64;
                    pos[v] = k as f64;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Puts the row's vertices as near their desired x as their order and gaps allow: a forward
/// pass pushes right, a backward pass pushes left, and the two are averaged.
fn place_row(row: &[usize], desired: &[f64], width: &[f64], x: &mut [f64]) {
    let m = row.len();
    if m == 0 {
        return;
    }
    let gap = |a: usize, b: usize| (width[row[a]] + width[row[b]]) / 2.0 + H_GAP;
    let mut right = desired.to_vec();
    for k in 1..m {
        right[k] = right[k].max(right[k - 1] + gap(k - 1, k));
    }
    let mut left = desired.to_vec();
    for k in (0..m - 1).rev() {
        left[k] = left[k].min(left[k + 1] - gap(k, k + 1));
    }
    let mut placed: Vec<f64> = (0..m).map(|k| (right[k] + left[k]) / 2.0).collect();
    for k in 1..m {
        placed[k] = placed[k].max(placed[k - 1] + gap(k - 1, k));
    }
    for (k, &v) in row.iter().enumerate() {
        x[v] = placed[k];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_point_down_boxes_do_not_overlap_and_crossings_go() {
        // A "crossed" input: 0→3, 1→2 with 2 left of 3 in input order.
        let sizes = vec![(80.0, 30.0); 6];
        let edges = [(0, 3), (1, 2), (0, 4), (2, 5), (3, 5), (5, 0)];
        let l = layout(&sizes, &edges);
        for (a, b) in [(0, 3), (1, 2), (2, 5), (3, 5)] {
            assert!(l.nodes[a].y < l.nodes[b].y, "{a} above {b}");
        }
        for i in 0..6 {
            for j in i + 1..6 {
                let (p, q) = (l.nodes[i], l.nodes[j]);
                if (p.y - q.y).abs() < 1.0 {
                    assert!(
                        (p.x - q.x).abs() >= (p.width + q.width) / 2.0,
                        "{i} and {j} overlap"
                    );
                }
            }
        }
        assert_eq!(l.crossings, 0);
        // The cycle edge 5→0 is drawn from 5 to 0.
        let last = l.edges[5].last().unwrap();
        assert!((last.0 - l.nodes[0].x).abs() < 1e-9);
    }
}
