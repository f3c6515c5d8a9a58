//! x coordinates for the ordered layers by Brandes and Köpf's method ("Fast and Simple
//! Horizontal Coordinate Assignment", 2001, with the block-graph compaction dagre uses): each
//! vertex is aligned with a median neighbour above (or below) into vertical blocks, preferring
//! the inner segments of long edges so that they run straight; blocks are packed left (or
//! right) as tightly as the widths allow; the four packings are aligned, and their balanced mean
//! (each vertex at the mean of its two middle candidates) is used unless one of the four keeps
//! more long edges straight. A last pass puts each long edge on one vertical line where there
//! is room.

use std::collections::BTreeSet;

use super::order::Layered;

/// Horizontal gaps between two real vertices, a real and a dummy, two dummies.
const GAP_NODES: f64 = 24.0;
const GAP_MIXED: f64 = 14.0;
const GAP_DUMMIES: f64 = 8.0;

/// The x of every vertex's centre; `width` gives every vertex's width (0 for dummies).
pub fn coordinates(l: &Layered, width: &[f64]) -> Vec<f64> {
    let n = l.layer.len();
    if n == 0 {
        return Vec::new();
    }
    let conflicts = type1_conflicts(l);
    let sep = |u: usize, v: usize| -> f64 {
        let gap = match (l.is_dummy(u), l.is_dummy(v)) {
            (false, false) => GAP_NODES,
            (true, true) => GAP_DUMMIES,
            _ => GAP_MIXED,
        };
        (width[u] + width[v]) / 2.0 + gap
    };
    let mut candidates: Vec<Vec<f64>> = Vec::with_capacity(4);
    for from_top in [true, false] {
        for from_left in [true, false] {
            let rows: Vec<Vec<usize>> = l
                .rows
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    if !from_left {
                        r.reverse();
                    }
                    r
                })
                .collect();
            let mut pos = vec![0; n];
            for row in &rows {
                for (k, &v) in row.iter().enumerate() {
                    pos[v] = k;
                }
            }
            let layers: Vec<&Vec<usize>> = if from_top {
                rows.iter().collect()
            } else {
                rows.iter().rev().collect()
            };
            let neighbours = if from_top { &l.up } else { &l.down };
            let root = align_vertically(&layers, neighbours, &pos, &conflicts, from_top);
            let mut xs = compact(&rows, &root, &sep);
            if !from_left {
                for x in &mut xs {
                    *x = -*x;
                }
            }
            candidates.push(xs);
        }
    }
    // Align the four to the narrowest: left packings by their left edge, right ones by their
    // right edge.
    let extent = |xs: &Vec<f64>| {
        let lo = (0..n)
            .map(|v| xs[v] - width[v] / 2.0)
            .fold(f64::INFINITY, f64::min);
        let hi = (0..n)
            .map(|v| xs[v] + width[v] / 2.0)
            .fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    };
    let narrowest = candidates
        .iter()
        .map(extent)
        .min_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)))
        .unwrap_or((0.0, 0.0));
    for (k, xs) in candidates.iter_mut().enumerate() {
        let (lo, hi) = extent(xs);
        let shift = if k % 2 == 0 {
            narrowest.0 - lo
        } else {
            narrowest.1 - hi
        };
        for x in xs.iter_mut() {
            *x += shift;
        }
    }
    let mut balanced: Vec<f64> = (0..n)
        .map(|v| {
            let mut c = [
                candidates[0][v],
                candidates[1][v],
                candidates[2][v],
                candidates[3][v],
            ];
            c.sort_by(f64::total_cmp);
            (c[1] + c[2]) / 2.0
        })
        .collect();
    for row in &l.rows {
        for k in 1..row.len() {
            let min = balanced[row[k - 1]] + sep(row[k - 1], row[k]);
            if balanced[row[k]] < min {
                balanced[row[k]] = min;
            }
        }
    }
    // The mean is the most symmetric, but it can bend long edges each alignment kept
    // straight; take whichever of the five keeps the most long edges straight.
    candidates.insert(0, balanced);
    let straight = |xs: &Vec<f64>| {
        l.chains
            .iter()
            .filter(|c| c.len() > 3)
            .filter(|c| {
                c[1..c.len() - 1]
                    .windows(2)
                    .all(|w| (xs[w[0]] - xs[w[1]]).abs() < 0.5)
            })
            .count()
    };
    let best = (0..candidates.len())
        .max_by_key(|&k| (straight(&candidates[k]), std::cmp::Reverse(k)))
        .unwrap_or(0);
    if std::env::var_os("LAYOUT_DEBUG").is_some() {
        for (k, c) in candidates.iter().enumerate() {
            let (lo, hi) = extent(c);
            eprintln!(
                "candidate {k}: width {:.0} straight {}",
                hi - lo,
                straight(c)
            );
            let mut r = c.clone();
            relax(l, &mut r, &sep, 8);
            let (lo, hi) = extent(&r);
            eprintln!("  relaxed: width {:.0} straight {}", hi - lo, straight(&r));
        }
        let mut packed = vec![0.0; n];
        for row in &l.rows {
            let mut at = 0.0;
            for (k, &v) in row.iter().enumerate() {
                if k > 0 {
                    at += sep(row[k - 1], v);
                }
                packed[v] = at;
            }
        }
        relax(l, &mut packed, &sep, 8);
        let (lo, hi) = extent(&packed);
        eprintln!(
            "packed+relaxed: width {:.0} straight {}",
            hi - lo,
            straight(&packed)
        );
    }
    let mut x = candidates.swap_remove(best);
    straighten(l, &mut x, &sep);
    x
}

/// Moves every vertex towards the mean x of its neighbours, layer by layer down and up,
/// keeping each layer's order and gaps (the forward and backward packings averaged).
fn relax(l: &Layered, x: &mut [f64], sep: &dyn Fn(usize, usize) -> f64, passes: usize) {
    for pass in 0..passes {
        let rows: Vec<&Vec<usize>> = if pass % 2 == 0 {
            l.rows.iter().collect()
        } else {
            l.rows.iter().rev().collect()
        };
        for row in rows {
            let m = row.len();
            if m == 0 {
                continue;
            }
            let desired: Vec<f64> = row
                .iter()
                .map(|&v| {
                    let ns: Vec<usize> = l.up[v].iter().chain(&l.down[v]).copied().collect();
                    if ns.is_empty() {
                        x[v]
                    } else {
                        ns.iter().map(|&u| x[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let gap = |a: usize, b: usize| sep(row[a], row[b]);
            let mut right = desired.clone();
            for k in 1..m {
                right[k] = right[k].max(right[k - 1] + gap(k - 1, k));
            }
            let mut left = desired.clone();
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
    }
}

/// The mean of two alignments can bend a long edge that each of them kept straight: move the
/// dummies of each long edge onto one vertical line where their neighbours leave room.
fn straighten(l: &Layered, x: &mut [f64], sep: &dyn Fn(usize, usize) -> f64) {
    let pos = l.positions();
    for chain in &l.chains {
        if chain.len() <= 3 {
            continue;
        }
        let inner = &chain[1..chain.len() - 1];
        let mut xs: Vec<f64> = inner.iter().map(|&d| x[d]).collect();
        xs.sort_by(f64::total_cmp);
        let candidates = [xs[xs.len() / 2], xs[0], xs[xs.len() - 1]];
        let fits = |target: f64, x: &[f64]| {
            inner.iter().all(|&d| {
                let row = &l.rows[l.layer[d]];
                let k = pos[d];
                let left = k.checked_sub(1).map(|j| row[j]);
                let right = row.get(k + 1).copied();
                left.is_none_or(|u| target >= x[u] + sep(u, d) - 1e-9)
                    && right.is_none_or(|w| target <= x[w] - sep(d, w) + 1e-9)
            })
        };
        if let Some(&target) = candidates.iter().find(|&&t| fits(t, x)) {
            for &d in inner {
                x[d] = target;
            }
        }
    }
}

/// Type 1 conflicts: an edge between two real vertices or a real and a dummy that crosses an
/// inner segment (between two dummies); such edges give way, so long edges stay straight.
fn type1_conflicts(l: &Layered) -> BTreeSet<(usize, usize)> {
    let pos = l.positions();
    let mut marked = BTreeSet::new();
    for w in l.rows.windows(2) {
        let (prev, layer) = (&w[0], &w[1]);
        let mut k0 = 0;
        let mut scan = 0;
        for (i, &v) in layer.iter().enumerate() {
            let inner = if l.is_dummy(v) {
                l.up[v].iter().copied().find(|&u| l.is_dummy(u))
            } else {
                None
            };
            let last = i + 1 == layer.len();
            if inner.is_none() && !last {
                continue;
            }
            let k1 = inner.map_or(prev.len(), |u| pos[u]);
            for &s in &layer[scan..=i] {
                for &u in &l.up[s] {
                    let p = pos[u];
                    if (p < k0 || k1 < p) && !(l.is_dummy(u) && l.is_dummy(s)) {
                        marked.insert((u, s));
                    }
                }
            }
            scan = i + 1;
            k0 = k1;
        }
    }
    marked
}

/// Brandes and Köpf's vertical alignment: every vertex joins the block of one of its median
/// neighbours in the previous layer (of `layers`, in sweep order) when that keeps the order.
/// Returns every vertex's block (the root at its top in sweep order).
fn align_vertically(
    layers: &[&Vec<usize>],
    neighbours: &[Vec<usize>],
    pos: &[usize],
    conflicts: &BTreeSet<(usize, usize)>,
    from_top: bool,
) -> Vec<usize> {
    let n = pos.len();
    let mut root: Vec<usize> = (0..n).collect();
    let mut align: Vec<usize> = (0..n).collect();
    for layer in layers {
        let mut previous: Option<usize> = None;
        for &v in layer.iter() {
            let mut ws: Vec<usize> = neighbours[v].clone();
            if ws.is_empty() {
                continue;
            }
            ws.sort_by_key(|&w| pos[w]);
            let d = ws.len();
            for &w in &ws[(d - 1) / 2..=d / 2] {
                let edge = if from_top { (w, v) } else { (v, w) };
                if align[v] == v
                    && previous.is_none_or(|p| p < pos[w])
                    && !conflicts.contains(&edge)
                {
                    align[w] = v;
                    root[v] = root[w];
                    align[v] = root[v];
                    previous = Some(pos[w]);
                }
            }
        }
    }
    root
}

/// Packs the blocks left: a block's x is the smallest its left neighbours allow, then every
/// block moves right as far as its right neighbours allow (dagre's two passes over the graph
/// of blocks).
fn compact(rows: &[Vec<usize>], root: &[usize], sep: &dyn Fn(usize, usize) -> f64) -> Vec<f64> {
    let n = root.len();
    // Edges between blocks: root of the left vertex → root of the right one, with the widest
    // separation any pair of their vertices needs.
    let mut succ: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for row in rows {
        for w in row.windows(2) {
            let (a, b) = (root[w[0]], root[w[1]]);
            let s = sep(w[0], w[1]);
            succ[a].push((b, s));
            pred[b].push((a, s));
        }
    }
    let roots: Vec<usize> = (0..n).filter(|&v| root[v] == v).collect();
    // Kahn's order of the block graph (acyclic: blocks keep every layer's order).
    let mut indeg = vec![0usize; n];
    for &r in &roots {
        for &(b, _) in &succ[r] {
            indeg[b] += 1;
        }
    }
    let mut ready: Vec<usize> = roots.iter().copied().filter(|&r| indeg[r] == 0).collect();
    let mut order = Vec::with_capacity(roots.len());
    while let Some(r) = ready.pop() {
        order.push(r);
        for &(b, _) in &succ[r] {
            indeg[b] -= 1;
            if indeg[b] == 0 {
                ready.push(b);
            }
        }
    }
    let mut xs = vec![0f64; n];
    for &r in &order {
        xs[r] = pred[r].iter().map(|&(a, s)| xs[a] + s).fold(0.0, f64::max);
    }
    for &r in order.iter().rev() {
        let limit = succ[r]
            .iter()
            .map(|&(b, s)| xs[b] - s)
            .fold(f64::INFINITY, f64::min);
        if limit.is_finite() && limit > xs[r] {
            xs[r] = limit;
        }
    }
    (0..n).map(|v| xs[root[v]]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_edges_run_straight_and_vertices_keep_their_gaps() {
        // 0 → 3 spans three layers beside a chain 1 → 2 → 4.
        let mut l = Layered::new(5, &[0, 0, 1, 3, 2], &[(0, 3), (1, 2), (2, 4), (4, 3)]);
        l.minimise_crossings();
        let width: Vec<f64> = (0..l.layer.len())
            .map(|v| if l.is_dummy(v) { 0.0 } else { 60.0 })
            .collect();
        let x = coordinates(&l, &width);
        let chain = &l.chains[0];
        let dummies: Vec<f64> = chain[1..chain.len() - 1].iter().map(|&d| x[d]).collect();
        assert!(
            dummies.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-9),
            "{dummies:?}"
        );
        for row in &l.rows {
            for w in row.windows(2) {
                assert!(x[w[1]] - x[w[0]] >= (width[w[0]] + width[w[1]]) / 2.0 - 1e-9);
            }
        }
    }
}
