//! Reachability in a dependency graph without building its transitive closure, which for a
//! chain of n nodes has n²/2 entries: the strongly connected components (Tarjan), the
//! component graph, and which of a set of targets each component reaches, computed a block of
//! targets at a time as bit rows (O(targets × edges / 64) time, memory bounded). The graphs
//! ([`crate::graph`]: transitive reduction, cycles) and the roadmap (what each open node
//! unblocks) ask their questions through it.

/// The strongly connected components of a graph given by successor lists.
#[derive(Debug, Clone)]
pub struct Components {
    /// Each vertex's component.
    pub of: Vec<usize>,
    /// Each component's vertices, ascending. Components are numbered in the order Tarjan's
    /// algorithm completes them: every component a component reaches has a smaller number.
    pub members: Vec<Vec<usize>>,
    /// Each component's successors in the component graph, without repeats.
    pub succ: Vec<Vec<usize>>,
    /// A component is cyclic when it has two vertices or more, or one with a self-loop: its
    /// vertices reach themselves.
    pub cyclic: Vec<bool>,
}

impl Components {
    /// Tarjan's algorithm, iteratively (a long chain must not overflow the stack).
    pub fn new(succ: &[Vec<usize>]) -> Components {
        let n = succ.len();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut of = vec![usize::MAX; n];
        let mut members: Vec<Vec<usize>> = Vec::new();
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (v, ref mut k)) = work.last_mut() {
                if *k == 0 && index[v] == usize::MAX {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&w) = succ[v].get(*k) {
                    *k += 1;
                    if index[w] == usize::MAX {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(u, _)) = work.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        of[w] = members.len();
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comp.sort_unstable();
                    members.push(comp);
                }
            }
        }
        let count = members.len();
        let mut cyclic: Vec<bool> = members.iter().map(|m| m.len() > 1).collect();
        let mut csucc: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (v, ws) in succ.iter().enumerate() {
            for &w in ws {
                let (a, b) = (of[v], of[w]);
                if a == b {
                    if v == w {
                        cyclic[a] = true;
                    }
                } else {
                    csucc[a].push(b);
                }
            }
        }
        for s in &mut csucc {
            s.sort_unstable();
            s.dedup();
        }
        Components {
            of,
            members,
            succ: csucc,
            cyclic,
        }
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Which targets each component reaches, one block of targets at a time: `visit` gets a
    /// [`Block`] for every consecutive range of target numbers. `target_of` gives each
    /// target's component (targets are numbered by their place in it). A component reaches
    /// its own targets and those of every component it reaches.
    pub fn reach_in_blocks(&self, target_of: &[usize], visit: impl FnMut(&Block)) {
        self.reach_in_blocks_within(target_of, 1 << 22, visit);
    }

    /// [`Components::reach_in_blocks`] with rows of at most `budget` words in all (at least
    /// one word a component).
    fn reach_in_blocks_within(
        &self,
        target_of: &[usize],
        budget: usize,
        mut visit: impl FnMut(&Block),
    ) {
        let count = self.len();
        if count == 0 || target_of.is_empty() {
            return;
        }
        // Each component's targets, ascending.
        let mut own: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (t, &c) in target_of.iter().enumerate() {
            own[c].push(t);
        }
        let words = target_of.len().div_ceil(64).min((budget / count).max(1));
        let span = words * 64;
        let mut rows = vec![0u64; count * words];
        let mut lo = 0;
        while lo < target_of.len() {
            let hi = (lo + span).min(target_of.len());
            rows.fill(0);
            // Components are numbered so that those a component reaches come first.
            for (c, (succ, own)) in self.succ.iter().zip(&own).enumerate() {
                let (done, rest) = rows.split_at_mut(c * words);
                let row = &mut rest[..words];
                for &d in succ {
                    for (a, b) in row.iter_mut().zip(&done[d * words..(d + 1) * words]) {
                        *a |= b;
                    }
                }
                let first = own.partition_point(|&t| t < lo);
                for &t in own[first..].iter().take_while(|&&t| t < hi) {
                    row[(t - lo) / 64] |= 1 << ((t - lo) % 64);
                }
            }
            visit(&Block {
                lo,
                hi,
                words,
                rows: &rows,
                own: &own,
            });
            lo = hi;
        }
    }
}

/// Targets `lo..hi`, as bit rows: which of them each component reaches (see
/// [`Components::reach_in_blocks`]).
pub struct Block<'a> {
    pub lo: usize,
    pub hi: usize,
    words: usize,
    rows: &'a [u64],
    own: &'a [Vec<usize>],
}

impl Block<'_> {
    /// Whether component `c` reaches target `t` (which must lie in this block), its own
    /// targets included.
    #[cfg(test)]
    pub fn reaches(&self, c: usize, t: usize) -> bool {
        let k = t - self.lo;
        self.rows[c * self.words + k / 64] & (1 << (k % 64)) != 0
    }

    /// How many targets of this block component `c` reaches through at least one edge of the
    /// component graph (its own targets not counted).
    pub fn count_below(&self, c: usize) -> usize {
        let all: u32 = self.row(c).iter().map(|w| w.count_ones()).sum();
        all as usize - self.own_here(c).len()
    }

    /// ORs into `acc` (of [`Block::words`] words) the targets of this block component `c`
    /// reaches through at least one edge of the component graph (its own left out).
    pub fn or_below(&self, c: usize, acc: &mut [u64]) {
        // The component graph has no cycle, so a component's own bits in its row come from
        // itself alone: masking them out leaves what it reaches below.
        let mut own = self.own_here(c).iter().map(|&t| t - self.lo).peekable();
        for (k, (a, b)) in acc.iter_mut().zip(self.row(c)).enumerate() {
            let mut mask = 0u64;
            while let Some(t) = own.next_if(|&t| t / 64 == k) {
                mask |= 1 << (t % 64);
            }
            *a |= b & !mask;
        }
    }

    pub fn words(&self) -> usize {
        self.words
    }

    fn row(&self, c: usize) -> &[u64] {
        &self.rows[c * self.words..(c + 1) * self.words]
    }

    fn own_here(&self, c: usize) -> &[usize] {
        let own = &self.own[c];
        let first = own.partition_point(|&t| t < self.lo);
        let last = own.partition_point(|&t| t < self.hi);
        &own[first..last]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no extra dependency): xorshift.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Vertices reachable from `v` through one edge or more, walked the slow way.
    fn reachable(succ: &[Vec<usize>], v: usize) -> Vec<bool> {
        let mut seen = vec![false; succ.len()];
        let mut stack = succ[v].clone();
        while let Some(w) = stack.pop() {
            if !seen[w] {
                seen[w] = true;
                stack.extend(&succ[w]);
            }
        }
        seen
    }

    #[test]
    fn components_and_blocks_agree_with_walking_every_path() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for round in 0..60 {
            let n = 1 + rng.below(150);
            let edges = rng.below(3 * n);
            let mut succ = vec![Vec::new(); n];
            for _ in 0..edges {
                // Mostly forward edges, so that long chains and few big cycles appear.
                let a = rng.below(n);
                let b = if rng.below(8) == 0 {
                    rng.below(n)
                } else {
                    (a + 1 + rng.below(4)).min(n - 1)
                };
                succ[a].push(b);
            }
            let comps = Components::new(&succ);
            let reach: Vec<Vec<bool>> = (0..n).map(|v| reachable(&succ, v)).collect();
            for (v, from_v) in reach.iter().enumerate() {
                for (w, from_w) in reach.iter().enumerate() {
                    let same = comps.of[v] == comps.of[w];
                    assert_eq!(same, v == w || (from_v[w] && from_w[v]), "round {round}");
                }
                assert_eq!(comps.cyclic[comps.of[v]], reach[v][v], "round {round}");
                for &d in &comps.succ[comps.of[v]] {
                    assert!(d < comps.of[v], "reached components come first");
                }
            }
            // Every vertex a target, in blocks of 64 (a budget of one word a component).
            let targets: Vec<usize> = (0..n).map(|v| comps.of[v]).collect();
            let mut seen = vec![0; n];
            comps.reach_in_blocks_within(&targets, 1, |block| {
                let mut below = vec![0u64; block.words()];
                for v in 0..n {
                    let c = comps.of[v];
                    below.fill(0);
                    block.or_below(c, &mut below);
                    let mut count = 0;
                    for (k, from_t) in reach[block.lo..block.hi].iter().enumerate() {
                        let t = block.lo + k;
                        let expected = reach[v][t] || comps.of[t] == c;
                        assert_eq!(block.reaches(c, t), expected, "round {round}");
                        let strictly = reach[v][t] && !from_t[v];
                        assert_eq!(below[k / 64] & (1 << (k % 64)) != 0, strictly);
                        count += usize::from(strictly);
                    }
                    assert_eq!(block.count_below(c), count);
                    seen[v] += block.hi - block.lo;
                }
            });
            assert!(seen.iter().all(|&s| s == n), "every target in one block");
        }
    }
}
