//! Layers for the layered drawing: cycles broken by turning depth-first back edges round, every
//! node below all its prerequisites, and the edges as short as they can be in all (Graphviz's
//! network simplex), which keeps long edges, and so dummy points and crossings, few.

use std::collections::BTreeSet;

use super::Effort;

/// The edges with each one on a cycle turned round (depth-first back edges), without self-loops,
/// out-of-range ends or duplicates, sorted.
pub fn acyclic(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            adj[a].push(b);
        }
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut back: BTreeSet<(usize, usize)> = BTreeSet::new();
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

/// The layer of every node of the acyclic `dag`: each edge points at least one layer down, and
/// the edges are as short as possible in all (network simplex, per connected component, from
/// the longest-path layering).
pub fn layers(n: usize, dag: &[(usize, usize)], effort: &mut Effort) -> Vec<usize> {
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        succs[a].push(b);
        preds[b].push(a);
    }
    // Longest path from the sources: a feasible start.
    let mut layer = vec![0i64; n];
    let mut indeg: Vec<usize> = preds.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    while let Some(v) = ready.pop() {
        for &w in &succs[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                ready.push(w);
            }
        }
    }
    let mut component = vec![usize::MAX; n];
    let mut out = vec![0usize; n];
    for start in 0..n {
        if component[start] != usize::MAX {
            continue;
        }
        let mut members = vec![start];
        component[start] = start;
        let mut k = 0;
        while k < members.len() {
            let v = members[k];
            k += 1;
            for &w in preds[v].iter().chain(&succs[v]) {
                if component[w] == usize::MAX {
                    component[w] = start;
                    members.push(w);
                }
            }
        }
        let mut local = std::collections::HashMap::with_capacity(members.len());
        for (i, &v) in members.iter().enumerate() {
            local.insert(v, i);
        }
        let edges: Vec<(usize, usize)> = members
            .iter()
            .flat_map(|&v| succs[v].iter().map(move |&w| (v, w)))
            .map(|(v, w)| (local[&v], local[&w]))
            .collect();
        let ranks: Vec<i64> = members.iter().map(|&v| layer[v]).collect();
        let ranks = Simplex::new(ranks, edges).solve(effort);
        let top = ranks.iter().copied().min().unwrap_or(0);
        for (i, &v) in members.iter().enumerate() {
            out[v] = (ranks[i] - top) as usize;
        }
    }
    out
}

/// Gansner, Koutsofios, North and Vo's network simplex for layering ("A Technique for Drawing
/// Directed Graphs", 1993), on one connected component with unit weights and lengths: a tight
/// spanning tree, then tree edges with a negative cut value swapped for the non-tree edge of
/// least slack across the same cut until none is left.
struct Simplex {
    rank: Vec<i64>,
    edges: Vec<(usize, usize)>,
    incident: Vec<Vec<usize>>,
    in_tree: Vec<bool>,
    tree_adj: Vec<Vec<usize>>,
    cut: Vec<i64>,
    low: Vec<usize>,
    lim: Vec<usize>,
    parent_edge: Vec<Option<usize>>,
}

impl Simplex {
    fn new(rank: Vec<i64>, edges: Vec<(usize, usize)>) -> Simplex {
        let n = rank.len();
        let mut incident = vec![Vec::new(); n];
        for (k, &(v, w)) in edges.iter().enumerate() {
            incident[v].push(k);
            incident[w].push(k);
        }
        let m = edges.len();
        Simplex {
            rank,
            edges,
            incident,
            in_tree: vec![false; m],
            tree_adj: vec![Vec::new(); n],
            cut: vec![0; m],
            low: vec![0; n],
            lim: vec![0; n],
            parent_edge: vec![None; n],
        }
    }

    fn slack(&self, e: usize) -> i64 {
        let (v, w) = self.edges[e];
        self.rank[w] - self.rank[v] - 1
    }

    fn other(&self, e: usize, v: usize) -> usize {
        let (a, b) = self.edges[e];
        if a == v { b } else { a }
    }

    /// The optimal ranks, or, when `effort` runs out first, the best feasible ones reached
    /// (every step keeps them feasible). Each exchange costs O(V + E) and a dense graph can
    /// take O(V + E) of them, mostly degenerate (a complete bipartite graph of 400 nodes made
    /// 20,000, 25 s): the budget keeps that from being quadratic.
    fn solve(mut self, effort: &mut Effort) -> Vec<i64> {
        let n = self.rank.len();
        // Every edge as short as it can be: nothing to improve.
        if n <= 1 || (0..self.edges.len()).all(|e| self.slack(e) == 0) {
            return self.rank;
        }
        if !self.feasible_tree(effort) {
            return self.rank;
        }
        self.low_lim();
        self.cut_values();
        // Each exchange lowers the total edge length or keeps it; the bound only guards
        // against cycling on degenerate input.
        let limit = 4 * (n + self.edges.len());
        let mut start = 0;
        for _ in 0..limit {
            if !effort.spend(n + self.edges.len()) {
                break;
            }
            let m = self.edges.len();
            let leave = (0..m)
                .map(|k| (start + k) % m)
                .find(|&e| self.in_tree[e] && self.cut[e] < 0);
            let Some(leave) = leave else { break };
            start = leave + 1;
            let Some(enter) = self.enter_edge(leave) else {
                break;
            };
            self.exchange(leave, enter);
        }
        self.rank
    }

    /// Grows a spanning tree of tight edges from node 0, shifting the tree's ranks to make the
    /// least slack edge leaving it tight whenever it stops growing. False when `effort` ran
    /// out first (the ranks are still feasible).
    fn feasible_tree(&mut self, effort: &mut Effort) -> bool {
        let n = self.rank.len();
        let mut in_tree_node = vec![false; n];
        in_tree_node[0] = true;
        let mut tree_nodes = vec![0usize];
        loop {
            if !effort.spend(self.edges.len() + tree_nodes.len()) {
                return false;
            }
            let mut stack = tree_nodes.clone();
            while let Some(v) = stack.pop() {
                for i in 0..self.incident[v].len() {
                    let e = self.incident[v][i];
                    let w = self.other(e, v);
                    if !in_tree_node[w] && self.slack(e) == 0 {
                        in_tree_node[w] = true;
                        self.add_tree_edge(e);
                        tree_nodes.push(w);
                        stack.push(w);
                    }
                }
            }
            if tree_nodes.len() == n {
                return true;
            }
            let crossing = (0..self.edges.len())
                .filter(|&e| {
                    let (v, w) = self.edges[e];
                    in_tree_node[v] != in_tree_node[w]
                })
                .min_by_key(|&e| self.slack(e));
            let Some(e) = crossing else { return true };
            let slack = self.slack(e);
            let delta = if in_tree_node[self.edges[e].0] {
                slack
            } else {
                -slack
            };
            for &v in &tree_nodes {
                self.rank[v] += delta;
            }
        }
    }

    fn add_tree_edge(&mut self, e: usize) {
        let (v, w) = self.edges[e];
        self.in_tree[e] = true;
        self.tree_adj[v].push(e);
        self.tree_adj[w].push(e);
    }

    fn remove_tree_edge(&mut self, e: usize) {
        let (v, w) = self.edges[e];
        self.in_tree[e] = false;
        self.tree_adj[v].retain(|&x| x != e);
        self.tree_adj[w].retain(|&x| x != e);
    }

    /// Postorder numbers from node 0: `lim` is a node's number, `low` the least in its
    /// subtree; also each node's edge to its parent.
    fn low_lim(&mut self) {
        let n = self.rank.len();
        let mut next = 1;
        let mut visited = vec![false; n];
        // (node, index of the next tree edge to follow)
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        visited[0] = true;
        self.parent_edge[0] = None;
        self.low[0] = next;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&e) = self.tree_adj[v].get(*k) {
                *k += 1;
                let w = self.other(e, v);
                if !visited[w] {
                    visited[w] = true;
                    self.parent_edge[w] = Some(e);
                    self.low[w] = next;
                    stack.push((w, 0));
                }
            } else {
                self.lim[v] = next;
                next += 1;
                stack.pop();
            }
        }
    }

    /// Every tree edge's cut value, children before parents.
    fn cut_values(&mut self) {
        let n = self.rank.len();
        let mut order: Vec<usize> = (0..n).filter(|&v| self.parent_edge[v].is_some()).collect();
        order.sort_by_key(|&v| self.lim[v]);
        for child in order {
            let Some(pe) = self.parent_edge[child] else {
                continue;
            };
            let child_is_tail = self.edges[pe].0 == child;
            let mut cut = 1;
            for &e in &self.incident[child] {
                if e == pe {
                    continue;
                }
                let is_out = self.edges[e].0 == child;
                let points_to_head = is_out == child_is_tail;
                cut += if points_to_head { 1 } else { -1 };
                if self.in_tree[e] {
                    cut += if points_to_head {
                        -self.cut[e]
                    } else {
                        self.cut[e]
                    };
                }
            }
            self.cut[pe] = cut;
        }
    }

    fn is_descendant(&self, v: usize, root: usize) -> bool {
        self.low[root] <= self.lim[v] && self.lim[v] <= self.lim[root]
    }

    /// The non-tree edge of least slack that reconnects the two halves the tree falls into
    /// without `leave`, pointing the same way across the cut.
    fn enter_edge(&self, leave: usize) -> Option<usize> {
        let (v, w) = self.edges[leave];
        let (tail, flip) = if self.lim[v] > self.lim[w] {
            (w, true)
        } else {
            (v, false)
        };
        (0..self.edges.len())
            .filter(|&f| !self.in_tree[f])
            .filter(|&f| {
                let (a, b) = self.edges[f];
                flip == self.is_descendant(a, tail) && flip != self.is_descendant(b, tail)
            })
            .min_by_key(|&f| self.slack(f))
    }

    fn exchange(&mut self, leave: usize, enter: usize) {
        self.remove_tree_edge(leave);
        self.add_tree_edge(enter);
        self.low_lim();
        self.cut_values();
        // Ranks again from the root along the tree, every tree edge tight.
        let n = self.rank.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&v| std::cmp::Reverse(self.lim[v]));
        for v in order {
            let Some(e) = self.parent_edge[v] else {
                continue;
            };
            let parent = self.other(e, v);
            self.rank[v] = if self.edges[e].0 == v {
                self.rank[parent] - 1
            } else {
                self.rank[parent] + 1
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_used_far_down_moves_next_to_its_user() {
        // 0 → 1 → 2 → 3, and 4 used only by 3: longest path puts 4 on top, three layers
        // above its only user.
        let dag = acyclic(5, &[(0, 1), (1, 2), (2, 3), (4, 3)]);
        let l = layers(5, &dag, &mut Effort::new(u64::MAX));
        assert_eq!(l, [0, 1, 2, 3, 2]);
        for &(a, b) in &dag {
            assert!(l[a] < l[b]);
        }
    }

    #[test]
    fn cycles_and_self_loops_are_broken() {
        let dag = acyclic(3, &[(0, 1), (1, 2), (2, 0), (1, 1), (0, 7)]);
        assert_eq!(dag.len(), 3);
        let l = layers(3, &dag, &mut Effort::new(u64::MAX));
        for &(a, b) in &dag {
            assert!(l[a] < l[b]);
        }
    }
}
