//! A layered (Sugiyama) drawing of a dependency graph, so that no Graphviz is needed:
//! prerequisites above what uses them, long edges through dummy points one per layer, few
//! crossings, straight long edges. [`rank`] breaks cycles and assigns layers, [`order`] orders
//! each layer, [`place`] gives x coordinates; this module stacks the layers and routes the
//! edges, which [`crate::svg`] draws as smooth curves through their points.

mod order;
mod place;
mod rank;

use std::collections::BTreeMap;

use order::Layered;

/// A node's box, centred at (`x`, `y`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The layout: one box per node, and per edge the points it passes, from the source's bottom
/// through one point per layer it crosses to the target's top (a node that uses itself gets a
/// small loop on its right; an edge with an end out of range, no points; an edge drawn
/// straight because the dummies ran out, its two ends).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    pub edges: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
    /// Edge crossings between neighbouring layers after ordering (for tests and benches).
    pub crossings: usize,
    /// Edge crossings with every layer in document order.
    pub crossings_before: usize,
    /// The steps that stopped at their work budget, on a graph far larger or denser than any
    /// real blueprint's: `layers` (the network simplex kept feasible but longer edges),
    /// `long edges` (some edges drawn straight, without dummies), `order` (crossing reduction
    /// stopped early), `x placement` (fewer sweeps). Empty when the layout was made in full.
    pub cut_short: Vec<&'static str>,
    /// The work the budgeted steps did, in [`Effort`] units (deterministic: for tests).
    pub work: u64,
}

/// A budget of work, in units of about one vertex or edge visited, for the steps of a layout
/// that can take more than linear time: the network simplex's exchanges (each O(V + E), and
/// O(V + E) of them on a dense graph) and the crossing reduction's sweeps. Counted, not
/// timed, so a layout is the same on every machine.
#[derive(Debug, Clone)]
pub struct Effort {
    left: u64,
    exhausted: bool,
}

impl Effort {
    pub fn new(units: u64) -> Effort {
        Effort {
            left: units,
            exhausted: false,
        }
    }

    /// Takes `units` if that many are left; else the budget is spent, and stays so.
    pub fn spend(&mut self, units: usize) -> bool {
        let units = units as u64;
        if self.exhausted || units > self.left {
            self.exhausted = true;
            return false;
        }
        self.left -= units;
        true
    }

    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// The units spent out of `budget`.
    fn spent(&self, budget: u64) -> u64 {
        budget - self.left
    }
}

/// Budgets: an allowance, so much per node and edge of the graph, and a most, which bounds
/// the time a layout can take (about a quarter of a second each, optimised). The largest real
/// graph measured (brownian-motion: 634 nodes, 1,006 edges) spends 0.36 million units on its
/// layers (of 4.4 million) and 5.7 million on its order (of 12 million); PFR's 2.4 million.
const LAYERS_EFFORT: Budget = Budget {
    allowance: 1_000_000,
    per_element: 2_048,
    most: 4_000_000,
};
const ORDER_EFFORT: Budget = Budget {
    allowance: 1_000_000,
    per_element: 8_192,
    most: 12_000_000,
};
/// The x placement's sweeps (400 at most, each visiting every vertex and both ends of every
/// edge: at most 1,200 units per node, edge and dummy, so only the most can cut it short).
const PLACE_EFFORT: Budget = Budget {
    allowance: 1_000_000,
    per_element: 1_536,
    most: 8_000_000,
};
/// Dummies, for the same reason: every step after the layering visits each of them many
/// times (brownian-motion has 831).
const DUMMIES: Budget = Budget {
    allowance: 10_000,
    per_element: 4,
    most: 50_000,
};

struct Budget {
    allowance: u64,
    per_element: u64,
    most: u64,
}

impl Budget {
    /// The budget for a graph of `size` nodes and edges.
    fn of(&self, size: usize) -> u64 {
        self.per_element
            .saturating_mul(size as u64)
            .saturating_add(self.allowance)
            .min(self.most)
    }
}

const V_GAP: f64 = 56.0;
const MARGIN: f64 = 16.0;
/// How far a self-loop reaches right of its node.
const LOOP: f64 = 18.0;

/// Lays out `sizes.len()` nodes of the given (width, height) with `edges` (from, to) given as
/// indices into `sizes`: layers (cycles broken), crossings minimised, coordinates, then the
/// edges drawn through their dummy nodes.
pub fn layout(sizes: &[(f64, f64)], edges: &[(usize, usize)]) -> Layout {
    let n = sizes.len();
    let dag = rank::acyclic(n, edges);
    let size = n + dag.len();
    let mut cut_short = Vec::new();
    let mut work = 0;
    let budget = LAYERS_EFFORT.of(size);
    let mut effort = Effort::new(budget);
    let layer = rank::layers(n, &dag, &mut effort);
    work += effort.spent(budget);
    if effort.exhausted() {
        cut_short.push("layers");
    }
    let mut l = Layered::with_dummy_cap(n, &layer, &dag, DUMMIES.of(size) as usize);
    if l.direct > 0 {
        cut_short.push("long edges");
    }
    let crossings_before = l.crossings();
    let budget = ORDER_EFFORT.of(size);
    l.effort = Effort::new(budget);
    let crossings = l.minimise_crossings();
    work += l.effort.spent(budget);
    if l.effort.exhausted() {
        cut_short.push("order");
    }
    let width: Vec<f64> = (0..l.layer.len())
        .map(|v| if v < n { sizes[v].0 } else { 0.0 })
        .collect();
    let budget = PLACE_EFFORT.of(size + l.layer.len() - n);
    let mut effort = Effort::new(budget);
    let x = place::coordinates(&l, &width, &mut effort);
    work += effort.spent(budget);
    if effort.exhausted() {
        cut_short.push("x placement");
    }
    let (row_y, height) = rows(&l, sizes);
    let loops = edges.iter().any(|&(a, b)| a == b && a < n);
    let (min_x, max_x) = extent(&x, &width, loops);
    let shift = if min_x.is_finite() {
        MARGIN - min_x
    } else {
        0.0
    };
    let nodes: Vec<Placed> = (0..n)
        .map(|v| Placed {
            x: x[v] + shift,
            y: row_y[l.layer[v]],
            width: sizes[v].0,
            height: sizes[v].1,
        })
        .collect();
    // A node's top or bottom; a dummy node's centre.
    let point = |v: usize, top: bool| -> (f64, f64) {
        if v < n {
            let p = nodes[v];
            (p.x, p.y + if top { -p.height } else { p.height } / 2.0)
        } else {
            (x[v] + shift, row_y[l.layer[v]])
        }
    };
    let polylines = polylines(edges, &dag, &l, &nodes, point);
    Layout {
        nodes,
        edges: polylines,
        width: if max_x.is_finite() {
            max_x - min_x + 2.0 * MARGIN
        } else {
            2.0 * MARGIN
        },
        height,
        crossings,
        crossings_before,
        cut_short,
        work,
    }
}

/// Each layer's centre line (as tall as its tallest node, `V_GAP` apart), and the height of
/// the whole drawing.
fn rows(l: &Layered, sizes: &[(f64, f64)]) -> (Vec<f64>, f64) {
    let n = sizes.len();
    let mut row_y = Vec::with_capacity(l.rows.len());
    let mut at = MARGIN;
    for r in &l.rows {
        let h = r
            .iter()
            .filter(|&&v| v < n)
            .map(|&v| sizes[v].1)
            .fold(0.0, f64::max);
        row_y.push(at + h / 2.0);
        at += h + V_GAP;
    }
    let height = if l.rows.is_empty() {
        2.0 * MARGIN
    } else {
        at - V_GAP + MARGIN
    };
    (row_y, height)
}

/// The leftmost and rightmost x the drawing reaches (self-loops stick out right of their node).
fn extent(x: &[f64], width: &[f64], loops: bool) -> (f64, f64) {
    let right_reach = |v: usize| x[v] + width[v] / 2.0 + if loops { LOOP } else { 0.0 };
    let min_x = (0..x.len())
        .map(|v| x[v] - width[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let max_x = (0..x.len())
        .map(right_reach)
        .fold(f64::NEG_INFINITY, f64::max);
    (min_x, max_x)
}

/// Polylines in the caller's edge order, through the chains of dummy nodes; an edge turned
/// round to break a cycle is drawn back the right way.
fn polylines(
    edges: &[(usize, usize)],
    dag: &[(usize, usize)],
    l: &Layered,
    nodes: &[Placed],
    point: impl Fn(usize, bool) -> (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let n = nodes.len();
    let by_pair: BTreeMap<(usize, usize), usize> =
        dag.iter().enumerate().map(|(k, &e)| (e, k)).collect();
    edges
        .iter()
        .map(|&(a, b)| {
            if a == b && a < n {
                return self_loop(nodes[a]);
            }
            let (k, reversed) = match (by_pair.get(&(a, b)), by_pair.get(&(b, a))) {
                (Some(&k), _) => (k, false),
                (None, Some(&k)) => (k, true),
                (None, None) => return Vec::new(),
            };
            let mut pts: Vec<(f64, f64)> = l.chains[k]
                .iter()
                .enumerate()
                // Leave the upper end at its bottom, reach everything else at its top.
                .map(|(i, &v)| point(v, i != 0))
                .collect();
            if reversed {
                pts.reverse();
            }
            pts
        })
        .collect()
}

/// A node that uses itself: a small loop out of its right side and back.
fn self_loop(p: Placed) -> Vec<(f64, f64)> {
    let right = p.x + p.width / 2.0;
    vec![
        (right - 4.0, p.y - p.height / 4.0),
        (right + LOOP, p.y - p.height / 2.0),
        (right + LOOP, p.y + p.height / 2.0),
        (right - 4.0, p.y + p.height / 4.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_point_down_boxes_do_not_overlap_and_crossings_go() {
        // A "crossed" input: 0→3, 1→2 with 2 left of 3 in input order, and a cycle 5→0.
        let sizes = vec![(80.0, 30.0); 6];
        let edges = [
            (0, 3),
            (1, 2),
            (0, 4),
            (2, 5),
            (3, 5),
            (5, 0),
            (4, 4),
            (9, 1),
        ];
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
        // The cycle edge 5→0 is drawn from 5 to 0; the self-loop stays beside its node and
        // inside the drawing; the edge to a node that does not exist has no points.
        let last = l.edges[5].last().unwrap();
        assert!((last.0 - l.nodes[0].x).abs() < 1e-9);
        assert!(l.edges[6].iter().all(|p| p.0 <= l.width));
        assert!(l.edges[7].is_empty());
    }

    #[test]
    fn nothing_to_lay_out() {
        let l = layout(&[], &[(0, 1)]);
        assert!(l.nodes.is_empty() && l.edges[0].is_empty());
        assert_eq!((l.width, l.height), (2.0 * MARGIN, 2.0 * MARGIN));
    }
}
