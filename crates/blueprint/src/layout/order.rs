//! The order of the vertices within each layer: long edges become chains of dummy vertices,
//! one per layer they pass; then, from several starting orders (breadth-first from the top and
//! from the bottom, and document order), sweeps down and up sort each layer by the weighted
//! median of its neighbours' positions (Gansner et al.'s `wmedian`) and swap neighbours while
//! that removes crossings (`transpose`); the order with the fewest crossings is kept. Crossings
//! are counted with Barth, Jünger and Mutzel's accumulator tree, in O(E log V) per layer pair.

use super::Effort;

/// The layered graph: real vertices `0..real`, then dummies.
#[derive(Debug, Clone)]
pub struct Layered {
    pub real: usize,
    /// What reordering the rows may still spend (see [`Effort`]).
    pub effort: Effort,
    /// Edges of the dag drawn straight, without dummies, because the dummies would have
    /// passed their cap (see [`Layered::with_dummy_cap`]).
    pub direct: usize,
    pub layer: Vec<usize>,
    /// Neighbours one layer up and one layer down.
    pub up: Vec<Vec<usize>>,
    pub down: Vec<Vec<usize>>,
    /// Each edge of the dag as its chain of vertices, top to bottom.
    pub chains: Vec<Vec<usize>>,
    /// The vertices of each layer, left to right.
    pub rows: Vec<Vec<usize>>,
}

impl Layered {
    /// The dag `edges` over `real` vertices with layers `layer`, long edges split by dummies;
    /// each layer in document order (dummies after the real vertices, in edge order).
    #[cfg(test)]
    pub fn new(real: usize, layer: &[usize], edges: &[(usize, usize)]) -> Layered {
        Layered::with_dummy_cap(real, layer, edges, usize::MAX)
    }

    /// [`Layered::new`] with at most `cap` dummies: an edge whose dummies would pass it is
    /// drawn straight from end to end and takes no part in the ordering (a layering can need
    /// O(V × E) dummies, one per layer each edge spans).
    pub fn with_dummy_cap(
        real: usize,
        layer: &[usize],
        edges: &[(usize, usize)],
        cap: usize,
    ) -> Layered {
        let depth = layer.iter().copied().max().map_or(0, |d| d + 1);
        let mut l = Layered {
            real,
            effort: Effort::new(u64::MAX),
            direct: 0,
            layer: layer.to_vec(),
            up: vec![Vec::new(); real],
            down: vec![Vec::new(); real],
            chains: Vec::with_capacity(edges.len()),
            rows: vec![Vec::new(); depth],
        };
        let mut dummies = 0;
        for &(a, b) in edges {
            let span = layer[b].saturating_sub(layer[a] + 1);
            if span > cap - dummies {
                l.direct += 1;
                l.chains.push(vec![a, b]);
                continue;
            }
            dummies += span;
            let mut chain = vec![a];
            let mut at = a;
            for k in layer[a] + 1..layer[b] {
                let d = l.layer.len();
                l.layer.push(k);
                l.up.push(Vec::new());
                l.down.push(Vec::new());
                l.link(at, d);
                chain.push(d);
                at = d;
            }
            l.link(at, b);
            chain.push(b);
            l.chains.push(chain);
        }
        for v in 0..l.layer.len() {
            l.rows[l.layer[v]].push(v);
        }
        l
    }

    fn link(&mut self, a: usize, b: usize) {
        self.down[a].push(b);
        self.up[b].push(a);
    }

    pub fn is_dummy(&self, v: usize) -> bool {
        v >= self.real
    }

    /// Every vertex's index within its row.
    pub fn positions(&self) -> Vec<usize> {
        let mut pos = vec![0; self.layer.len()];
        for row in &self.rows {
            for (k, &v) in row.iter().enumerate() {
                pos[v] = k;
            }
        }
        pos
    }

    /// Crossings between consecutive layers.
    pub fn crossings(&self) -> usize {
        let pos = self.positions();
        self.rows
            .windows(2)
            .map(|w| crossings_between(&w[0], &self.down, &pos, w[1].len()))
            .sum()
    }

    /// Reorders the rows to remove crossings; returns the crossings left.
    pub fn minimise_crossings(&mut self) -> usize {
        // (A depth-first start reaches the same orders as the breadth-first one: both put
        // the top layer in the same order, and the first sweep sorts the rest by it.)
        let starts = [
            self.rows.clone(),
            self.initial_order(true),
            self.initial_order(false),
        ];
        let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
        for rows in starts {
            if best.is_some() && self.effort.exhausted() {
                break;
            }
            self.rows = rows;
            let c = self.sweeps();
            if best.as_ref().is_none_or(|(b, _)| c < *b) {
                best = Some((c, self.rows.clone()));
            }
            if c == 0 {
                break;
            }
        }
        let (c, rows) = best.unwrap_or((0, Vec::new()));
        self.rows = rows;
        c
    }

    /// Rows in the order a breadth-first walk from the vertices without prerequisites (or,
    /// `from_top` false, from those nothing uses, walking up) meets the vertices, as
    /// Graphviz's `build_ranks` starts its two passes.
    fn initial_order(&self, from_top: bool) -> Vec<Vec<usize>> {
        let n = self.layer.len();
        let mut seen = vec![false; n];
        let mut rows = vec![Vec::new(); self.rows.len()];
        let (back, forth) = if from_top {
            (&self.up, &self.down)
        } else {
            (&self.down, &self.up)
        };
        let roots: Vec<usize> = self
            .rows
            .iter()
            .flatten()
            .copied()
            .filter(|&v| back[v].is_empty())
            .collect();
        for root in roots {
            if seen[root] {
                continue;
            }
            seen[root] = true;
            let mut work = std::collections::VecDeque::from([root]);
            while let Some(v) = work.pop_front() {
                rows[self.layer[v]].push(v);
                for &w in &forth[v] {
                    if !seen[w] {
                        seen[w] = true;
                        work.push_back(w);
                    }
                }
            }
        }
        rows
    }

    /// Median sweeps and transpositions from the current rows, as Graphviz's `mincross`
    /// runs them: every other pair of sweeps lets equal medians and equal crossings swap, to
    /// leave plateaus; an order no worse than the best so far becomes the best; it stops after
    /// 8 sweeps without a clear gain. Returns the crossings of the best rows, which it keeps.
    fn sweeps(&mut self) -> usize {
        const ITERATIONS: usize = 24;
        const PATIENCE: usize = 8;
        const CONVERGENCE: f64 = 0.995;
        let size = self.layer.len() + self.down.iter().map(Vec::len).sum::<usize>();
        let mut pos = self.positions();
        self.transpose(&mut pos, false);
        let mut best = self.crossings();
        let mut best_rows = self.rows.clone();
        let mut stale = 0;
        for iteration in 0..ITERATIONS {
            // A sweep visits every vertex and edge a few times.
            if best == 0 || stale >= PATIENCE || !self.effort.spend(4 * size) {
                break;
            }
            stale += 1;
            let reverse = iteration % 4 < 2;
            let downward = iteration % 2 == 0;
            let layers: Vec<usize> = if downward {
                (1..self.rows.len()).collect()
            } else {
                (0..self.rows.len().saturating_sub(1)).rev().collect()
            };
            for l in layers {
                let fixed = if downward { &self.up } else { &self.down };
                let medians: Vec<Option<f64>> = self.rows[l]
                    .iter()
                    .map(|&v| weighted_median(&fixed[v], &pos))
                    .collect();
                reorder(&mut self.rows[l], &medians, reverse);
                for (k, &v) in self.rows[l].iter().enumerate() {
                    pos[v] = k;
                }
            }
            self.transpose(&mut pos, !reverse);
            let c = self.crossings();
            if c <= best {
                if (c as f64) < CONVERGENCE * best as f64 {
                    stale = 0;
                }
                best = c;
                best_rows = self.rows.clone();
            }
        }
        self.rows = best_rows;
        let mut pos = self.positions();
        self.transpose(&mut pos, false);
        self.crossings()
    }

    /// Swaps neighbours within a layer while that removes crossings (Gansner et al.'s
    /// `transpose`); with `reverse`, neighbours with equal crossings swap too (that alone does
    /// not repeat the pass).
    fn transpose(&mut self, pos: &mut [usize], reverse: bool) {
        // Only layers next to a change can improve (Graphviz's `candidate` marks).
        let depth = self.rows.len();
        let mut candidate = vec![true; depth];
        for _ in 0..32 {
            let mut gained = 0;
            for l in 0..depth {
                if !candidate[l] {
                    continue;
                }
                candidate[l] = false;
                for k in 0..self.rows[l].len().saturating_sub(1) {
                    let (u, v) = (self.rows[l][k], self.rows[l][k + 1]);
                    if !self.effort.spend(self.pair_cost(u, v)) {
                        return;
                    }
                    let (kept, swapped) = self.pair_crossings(u, v, pos);
                    if swapped < kept || (reverse && kept > 0 && swapped == kept) {
                        self.rows[l].swap(k, k + 1);
                        pos[u] = k + 1;
                        pos[v] = k;
                        gained += kept - swapped;
                        for mark in &mut candidate[l.saturating_sub(1)..(l + 2).min(depth)] {
                            *mark = true;
                        }
                    }
                }
            }
            if gained == 0 {
                break;
            }
        }
    }

    /// What [`Layered::pair_crossings`] costs, in comparisons.
    fn pair_cost(&self, u: usize, v: usize) -> usize {
        let mut cost = 1;
        for side in [&self.up, &self.down] {
            let (a, b) = (side[u].len(), side[v].len());
            cost += if a * b <= 64 {
                a * b
            } else {
                (a + b) * (usize::BITS - (a + b).leading_zeros()) as usize
            };
        }
        cost
    }

    /// Crossings among the edges of `u` and `v` (neighbours in a layer) to both adjacent
    /// layers with `u` on the left, and with `v` on the left: the pairs of ends in the wrong
    /// order either way. Few edges are compared pair by pair; many are sorted and merged, so
    /// that two vertices of degree d cost O(d log d), not d² (a dense bipartite graph of 400
    /// nodes took 74 s to lay out pair by pair).
    fn pair_crossings(&self, u: usize, v: usize, pos: &[usize]) -> (usize, usize) {
        let (mut left, mut right) = (0, 0);
        for side in [&self.up, &self.down] {
            let (a, b) = (&side[u], &side[v]);
            if a.len() * b.len() <= 64 {
                for &x in a {
                    for &y in b {
                        match pos[x].cmp(&pos[y]) {
                            std::cmp::Ordering::Greater => left += 1,
                            std::cmp::Ordering::Less => right += 1,
                            std::cmp::Ordering::Equal => {}
                        }
                    }
                }
                continue;
            }
            let sorted = |ends: &[usize]| {
                let mut p: Vec<usize> = ends.iter().map(|&x| pos[x]).collect();
                p.sort_unstable();
                p
            };
            let (a, b) = (sorted(a), sorted(b));
            // For each end of u, how many ends of v lie strictly left of it, and right of it.
            let (mut below, mut up_to) = (0, 0);
            for &p in &a {
                while below < b.len() && b[below] < p {
                    below += 1;
                }
                while up_to < b.len() && b[up_to] <= p {
                    up_to += 1;
                }
                left += below;
                right += b.len() - up_to;
            }
        }
        (left, right)
    }
}

/// Crossings between the edges from `upper` (a row, left to right) down to a row of
/// `lower_len` vertices: the inversions among the lower ends read in upper order, counted
/// with an accumulator tree.
fn crossings_between(
    upper: &[usize],
    down: &[Vec<usize>],
    pos: &[usize],
    lower_len: usize,
) -> usize {
    let mut ends: Vec<usize> = Vec::new();
    for &v in upper {
        let start = ends.len();
        ends.extend(down[v].iter().map(|&w| pos[w]));
        ends[start..].sort_unstable();
    }
    if ends.is_empty() || lower_len == 0 {
        return 0;
    }
    let mut first = 1;
    while first < lower_len {
        first *= 2;
    }
    let mut tree = vec![0usize; 2 * first - 1];
    let first_leaf = first - 1;
    let mut crossings = 0;
    for &p in &ends {
        let mut index = p + first_leaf;
        tree[index] += 1;
        while index > 0 {
            if index % 2 == 1 {
                crossings += tree[index + 1];
            }
            index = (index - 1) / 2;
            tree[index] += 1;
        }
    }
    crossings
}

/// Gansner et al.'s weighted median of the positions of `neighbours`; None without any.
fn weighted_median(neighbours: &[usize], pos: &[usize]) -> Option<f64> {
    let mut p: Vec<f64> = neighbours.iter().map(|&u| pos[u] as f64).collect();
    p.sort_by(f64::total_cmp);
    let m = p.len() / 2;
    match p.len() {
        0 => None,
        n if n % 2 == 1 => Some(p[m]),
        2 => Some((p[0] + p[1]) / 2.0),
        n => {
            let left = p[m - 1] - p[0];
            let right = p[n - 1] - p[m];
            if left + right == 0.0 {
                Some((p[m - 1] + p[m]) / 2.0)
            } else {
                Some((p[m - 1] * right + p[m] * left) / (left + right))
            }
        }
    }
}

/// Sorts `row` by `medians`, leaving the vertices without one where they are; with
/// `reverse`, vertices with equal medians change places.
fn reorder(row: &mut [usize], medians: &[Option<f64>], reverse: bool) {
    let mut movable: Vec<(f64, usize, usize)> = row
        .iter()
        .zip(medians)
        .enumerate()
        .filter_map(|(k, (&v, m))| m.map(|m| (m, k, v)))
        .collect();
    movable.sort_by(|a, b| {
        let by_place = if reverse {
            b.1.cmp(&a.1)
        } else {
            a.1.cmp(&b.1)
        };
        a.0.total_cmp(&b.0).then(by_place)
    });
    let mut next = movable.into_iter();
    for (k, m) in medians.iter().enumerate() {
        if m.is_some() {
            if let Some((_, _, v)) = next.next() {
                row[k] = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accumulator_tree_counts_like_the_pairs() {
        // Upper row 0, 1, 2 over lower row 3, 4, 5 (positions 0, 1, 2).
        let down = vec![vec![5, 4], vec![3], vec![3, 5], vec![], vec![], vec![]];
        let pos = [0, 1, 2, 0, 1, 2];
        let mut pairs = 0;
        let edges: Vec<(usize, usize)> = (0..3)
            .flat_map(|v| down[v].iter().map(move |&w| (pos[v], pos[w])))
            .collect();
        for a in &edges {
            for b in &edges {
                if a.0 < b.0 && a.1 > b.1 {
                    pairs += 1;
                }
            }
        }
        assert_eq!(crossings_between(&[0, 1, 2], &down, &pos, 3), pairs);
        assert_eq!(pairs, 4);
    }

    #[test]
    fn pair_crossings_by_merging_count_like_the_pairs() {
        // 0 and 1 in the middle layer, each with many ends above and below (positions with
        // ties), against the pairs counted one by one.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..50 {
            let (others, degree) = (2 + below(30), 1 + below(40));
            let mut l = Layered::new(2, &[1, 1], &[]);
            let n = 2 + others;
            l.up = vec![Vec::new(); n];
            l.down = vec![Vec::new(); n];
            for v in 0..2 {
                for _ in 0..degree + below(10) {
                    let w = 2 + below(others);
                    if below(2) == 0 {
                        l.up[v].push(w);
                    } else {
                        l.down[v].push(w);
                    }
                }
            }
            let pos: Vec<usize> = (0..n).map(|_| below(8)).collect();
            let mut expected = (0, 0);
            for side in [&l.up, &l.down] {
                for &a in &side[0] {
                    for &b in &side[1] {
                        if pos[a] > pos[b] {
                            expected.0 += 1;
                        }
                        if pos[a] < pos[b] {
                            expected.1 += 1;
                        }
                    }
                }
            }
            assert_eq!(l.pair_crossings(0, 1, &pos), expected);
        }
    }

    #[test]
    fn a_crossed_pair_is_uncrossed() {
        // 0 → 3 and 1 → 2, with 2 left of 3.
        let mut l = Layered::new(4, &[0, 0, 1, 1], &[(0, 3), (1, 2)]);
        assert_eq!(l.crossings(), 1);
        assert_eq!(l.minimise_crossings(), 0);
        assert_eq!(l.crossings(), 0);
    }
}
