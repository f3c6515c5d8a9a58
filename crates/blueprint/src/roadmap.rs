//! The roadmap of a blueprint: leanblueprint's statuses per node (`can_state`, `can_prove`,
//! `proved`, `fully_proved`), progress overall and per chapter, what is ready now, what is
//! blocked and by which first missing prerequisite, the critical path (the longest chain of
//! unfinished work), what each open node unblocks, and a work order.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::graph::{Mode, cycles, node_ids, node_statuses, prerequisites};
use crate::reach::Components;
use crate::read::Blueprint;

/// leanblueprint's statuses of one node (`leanblueprint/Packages/blueprint.py`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    pub label: String,
    pub kind: String,
    pub chapter: String,
    /// The statement is formalised (`\leanok` or `\mathlibok`).
    pub stated: bool,
    pub can_state: bool,
    pub can_prove: bool,
    pub proved: bool,
    pub fully_proved: bool,
    /// Definitions are done when stated; everything else when proved.
    pub done: bool,
    /// leanblueprint's border and fill colours for these statuses ("" for none).
    pub color: String,
    pub fillcolor: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub nodes: usize,
    pub stated: usize,
    pub done: usize,
    pub fully_proved: usize,
}

/// One chapter's progress ("" is what comes before the first chapter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterProgress {
    pub chapter: String,
    #[serde(flatten)]
    pub progress: Progress,
}

impl ChapterProgress {
    /// The chapter's title, or what stands for the text before the first chapter.
    pub fn name(&self) -> &str {
        if self.chapter.is_empty() {
            "(before the first chapter)"
        } else {
            &self.chapter
        }
    }
}

/// A node that cannot move yet, and the first prerequisite in its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    pub label: String,
    pub waiting_for: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Roadmap {
    pub schema: &'static str,
    /// Whose status rules: `fixed` (the default) or `compat` (leanblueprint's, quirks included).
    pub mode: Mode,
    pub progress: Progress,
    /// Progress per chapter, in document order.
    pub chapters: Vec<ChapterProgress>,
    pub statuses: Vec<Status>,
    /// Not yet formalised, every prerequisite stated: can be stated now. Ranked: what
    /// unblocks the most first, then what starts the longest chain of unfinished work, then
    /// document order.
    pub ready_to_state: Vec<String>,
    /// Stated, with every prerequisite stated, proof not done: can be proved now. Ranked as
    /// `ready_to_state`.
    pub ready_to_prove: Vec<String>,
    pub blocked: Vec<Blocked>,
    /// The longest chain of unfinished nodes, prerequisites first.
    pub critical_path: Vec<String>,
    /// For each unfinished node, how many unfinished nodes depend on it (transitively).
    pub unblocks: BTreeMap<String, usize>,
    /// Unfinished nodes, prerequisites before what needs them; at each step, of the nodes
    /// whose unfinished prerequisites are all placed, the best ranked (as `ready_to_state`).
    pub work_order: Vec<String>,
    /// Dependency cycles (labels), which leanblueprint itself cannot build.
    pub cycles: Vec<Vec<String>>,
}

/// Computes the roadmap of `bp` with the statuses of `mode`.
pub fn roadmap(bp: &Blueprint, mode: Mode) -> Roadmap {
    let ids = node_ids(bp);
    let deps = prerequisites(bp);
    let statuses = statuses(bp, mode, &ids);
    let (progress, chapters) = progress(&statuses);
    let is_def = |i: usize| bp.nodes[i].kind == "definition";
    let open: Vec<usize> = (0..bp.nodes.len()).filter(|&i| !statuses[i].done).collect();
    let ready_state = |i: usize| !statuses[i].stated && statuses[i].can_state;
    let ready_prove = |i: usize| statuses[i].stated && !is_def(i) && statuses[i].can_prove;
    let blocked: Vec<(Blocked, bool)> = open
        .iter()
        .filter(|&&i| !ready_state(i) && !ready_prove(i))
        .map(|&i| blocked_node(bp, mode, &ids, &statuses, i))
        .collect();
    let held: BTreeSet<&str> = blocked
        .iter()
        .filter(|(_, by_itself)| *by_itself)
        .map(|(b, _)| b.label.as_str())
        .collect();
    let held: Vec<bool> = ids.iter().map(|id| held.contains(id.as_str())).collect();
    let blocked: Vec<Blocked> = blocked.into_iter().map(|(b, _)| b).collect();
    let rank = Rank::new(&open, &deps, held);
    let ranked = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
        let mut v: Vec<usize> = open.iter().copied().filter(|&i| keep(i)).collect();
        v.sort_by_key(|&i| rank.key(i));
        v.into_iter().map(|i| ids[i].clone()).collect()
    };
    let ready_to_state = ranked(&ready_state);
    let ready_to_prove = ranked(&ready_prove);
    let order = rank.work_order();
    let done: Vec<bool> = statuses.iter().map(|s| s.done).collect();
    let critical_path = critical_path(&order, &deps, &done)
        .into_iter()
        .map(|i| ids[i].clone())
        .collect();
    let unblocks = open
        .iter()
        .map(|&i| (ids[i].clone(), rank.unblocks[i]))
        .collect();
    let cycles = cycles(bp)
        .into_iter()
        .map(|c| c.into_iter().map(|i| ids[i].clone()).collect())
        .collect();
    Roadmap {
        schema: "theorist.blueprint.roadmap/2",
        mode,
        progress,
        chapters,
        statuses,
        ready_to_state,
        ready_to_prove,
        blocked,
        critical_path,
        unblocks,
        work_order: order.iter().map(|&i| ids[i].clone()).collect(),
        cycles,
    }
}

/// leanblueprint's statuses of every node in `mode`, with when it counts as done.
fn statuses(bp: &Blueprint, mode: Mode, ids: &[String]) -> Vec<Status> {
    node_statuses(bp, mode)
        .into_iter()
        .zip(&bp.nodes)
        .enumerate()
        .map(|(i, (st, n))| Status {
            label: ids[i].clone(),
            kind: n.kind.clone(),
            chapter: n.chapter.clone(),
            stated: st.stated,
            can_state: st.can_state,
            can_prove: st.can_prove,
            proved: st.proved,
            fully_proved: st.fully_proved,
            done: if n.kind == "definition" {
                st.stated
            } else {
                st.proved
            },
            color: st.color,
            fillcolor: st.fillcolor,
        })
        .collect()
}

/// Progress overall and per chapter (in document order).
fn progress(statuses: &[Status]) -> (Progress, Vec<ChapterProgress>) {
    let mut progress = Progress::default();
    let mut chapters: Vec<ChapterProgress> = Vec::new();
    let mut chapter_at: HashMap<&str, usize> = HashMap::new();
    for s in statuses {
        let k = *chapter_at.entry(&s.chapter).or_insert_with(|| {
            chapters.push(ChapterProgress {
                chapter: s.chapter.clone(),
                progress: Progress::default(),
            });
            chapters.len() - 1
        });
        for p in [&mut progress, &mut chapters[k].progress] {
            p.nodes += 1;
            p.stated += usize::from(s.stated);
            p.done += usize::from(s.done);
            p.fully_proved += usize::from(s.fully_proved);
        }
    }
    (progress, chapters)
}

/// For each node, how many unfinished nodes wait on it, transitively (0 for finished ones):
/// the unfinished nodes it reaches along "is used by", counted a block at a time as bits
/// ([`crate::reach`]), where a set of ancestors per node took O(V²) memory on a long chain.
fn unblocks(open: &[usize], deps: &[BTreeSet<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut used_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, d) in deps.iter().enumerate() {
        for &j in d {
            used_by[j].push(k);
        }
    }
    let comps = Components::new(&used_by);
    let of = &comps.of;
    let mut unblocks = vec![0; n];
    // Within a cycle every node waits on every other, and on itself.
    let mut open_in = vec![0; comps.len()];
    for &a in open {
        open_in[of[a]] += 1;
    }
    for &a in open {
        if comps.cyclic[of[a]] {
            unblocks[a] = open_in[of[a]];
        }
    }
    let targets: Vec<usize> = open.iter().map(|&a| of[a]).collect();
    comps.reach_in_blocks(&targets, |block| {
        for &a in open {
            unblocks[a] += block.count_below(of[a]);
        }
    });
    unblocks
}

/// Node `i`, which cannot move yet: the first prerequisite in its way, and whether it is held
/// up by something of its own (`\notready`, no proof environment) rather than by an unfinished
/// prerequisite.
fn blocked_node(
    bp: &Blueprint,
    mode: Mode,
    ids: &[String],
    statuses: &[Status],
    i: usize,
) -> (Blocked, bool) {
    let n = &bp.nodes[i];
    let mut all_uses = n
        .uses
        .iter()
        .chain(n.proof.iter().flat_map(|p| p.uses.iter()));
    let prerequisite = all_uses.find_map(|u| match bp.node_of(u) {
        Some(j) if !statuses[j].stated => Some(ids[j].clone()),
        None if mode == Mode::Fixed && bp.target(u).is_none() => {
            Some(format!("{u} (no such label)"))
        }
        _ => None,
    });
    let by_itself = prerequisite.is_none();
    let waiting_for = prerequisite.unwrap_or_else(|| {
        if n.notready || n.proof.as_ref().is_some_and(|p| p.notready) {
            "\\notready".to_string()
        } else if n.proof.is_none() && n.kind != "definition" {
            "a proof environment".to_string()
        } else {
            "a prerequisite that is not a node".to_string()
        }
    });
    let b = Blocked {
        label: ids[i].clone(),
        waiting_for,
    };
    (b, by_itself)
}

/// The longest chain of unfinished nodes, prerequisites first: dynamic programming over the
/// work order (prerequisites before what needs them); ties go to the earliest node.
fn critical_path(order: &[usize], deps: &[BTreeSet<usize>], done: &[bool]) -> Vec<usize> {
    let mut best: BTreeMap<usize, (usize, Option<usize>)> = BTreeMap::new();
    for &i in order {
        let prev = deps[i]
            .iter()
            .filter(|j| !done[**j])
            .filter_map(|j| best.get(j).map(|(len, _)| (*len, *j)))
            .max();
        best.insert(
            i,
            match prev {
                Some((len, j)) => (len + 1, Some(j)),
                None => (1, None),
            },
        );
    }
    let mut path = Vec::new();
    if let Some((&end, _)) = best
        .iter()
        .max_by_key(|(i, (len, _))| (*len, std::cmp::Reverse(**i)))
    {
        let mut at = Some(end);
        while let Some(i) = at {
            path.push(i);
            at = best[&i].1;
        }
        path.reverse();
    }
    path
}

/// What to do first among unfinished nodes: one that nothing of its own holds up (no
/// `\notready`, no missing proof environment), then the one that unblocks the most (unfinished
/// nodes waiting on it, transitively), then the one that starts the longest chain of
/// unfinished work, then document order.
struct Rank<'a> {
    /// Held up by something of its own, so it waits for the blueprint, not for Lean work.
    held: Vec<bool>,
    open: &'a [usize],
    deps: &'a [BTreeSet<usize>],
    /// Unfinished nodes that wait on each node, transitively (0 for finished ones).
    unblocks: Vec<usize>,
    /// The longest chain of unfinished nodes that starts at each node (itself included).
    chain: Vec<usize>,
    /// Unfinished nodes that use each node directly.
    dependents: Vec<Vec<usize>>,
}

impl<'a> Rank<'a> {
    fn new(open: &'a [usize], deps: &'a [BTreeSet<usize>], held: Vec<bool>) -> Self {
        let n = deps.len();
        let is_open: Vec<bool> = (0..n).map(|i| open.binary_search(&i).is_ok()).collect();
        let mut dependents = vec![Vec::new(); n];
        for &k in open {
            for &d in &deps[k] {
                if is_open[d] {
                    dependents[d].push(k);
                }
            }
        }
        let mut rank = Rank {
            held,
            open,
            deps,
            unblocks: unblocks(open, deps),
            chain: vec![1; n],
            dependents,
        };
        // Longest chains from the last prerequisites backwards (nodes on a cycle keep what
        // they have when reached; the order puts them last).
        for i in rank.topological(|i| i).into_iter().rev() {
            let longest = rank.dependents[i]
                .iter()
                .map(|&k| rank.chain[k])
                .max()
                .unwrap_or(0);
            rank.chain[i] = rank.chain[i].max(longest + 1);
        }
        rank
    }

    fn key(&self, i: usize) -> (bool, Reverse<usize>, Reverse<usize>, usize) {
        (
            self.held[i],
            Reverse(self.unblocks[i]),
            Reverse(self.chain[i]),
            i,
        )
    }

    /// The unfinished nodes with prerequisites first, and among those whose prerequisites are
    /// all done (or come earlier), the best ranked first.
    fn work_order(&self) -> Vec<usize> {
        self.topological(|i| self.key(i))
    }

    /// Kahn's order of the unfinished nodes, taking the smallest `key` among the ready ones;
    /// nodes on a cycle come last, in document order.
    fn topological<K: Ord>(&self, key: impl Fn(usize) -> K) -> Vec<usize> {
        let mut waiting: BTreeMap<usize, usize> = self
            .open
            .iter()
            .map(|&i| {
                let pending = self.deps[i]
                    .iter()
                    .filter(|&&d| self.open.binary_search(&d).is_ok())
                    .count();
                (i, pending)
            })
            .collect();
        let mut ready: BTreeSet<(K, usize)> = waiting
            .iter()
            .filter(|(_, d)| **d == 0)
            .map(|(&i, _)| (key(i), i))
            .collect();
        let mut out = Vec::with_capacity(self.open.len());
        while let Some((_, i)) = ready.pop_first() {
            out.push(i);
            for &k in &self.dependents[i] {
                if let Some(d) = waiting.get_mut(&k) {
                    *d -= 1;
                    if *d == 0 {
                        ready.insert((key(k), k));
                    }
                }
            }
        }
        if out.len() < self.open.len() {
            let placed: BTreeSet<usize> = out.iter().copied().collect();
            out.extend(self.open.iter().filter(|i| !placed.contains(i)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blueprint(content: &str) -> Blueprint {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("content.tex"), content).unwrap();
        crate::read(dir.path())
    }

    #[test]
    fn statuses_readiness_blocking_and_the_critical_path() {
        let bp = blueprint(
            r"\chapter{One}
\begin{definition}\label{d}\leanok\end{definition}
\begin{lemma}\label{a}\leanok\uses{d}\end{lemma}
\begin{proof}\leanok\end{proof}
\begin{lemma}\label{b}\leanok\uses{a}\end{lemma}
\begin{proof}\uses{a}\end{proof}
\chapter{Two}
\begin{theorem}\label{c}\uses{b}\end{theorem}
\begin{proof}\end{proof}
\begin{theorem}\label{e}\uses{c}\end{theorem}
\begin{proof}\end{proof}
\begin{lemma}\label{f}\uses{d}\notready\end{lemma}
",
        );
        let r = roadmap(&bp, Mode::Fixed);
        let st = |l: &str| r.statuses.iter().find(|s| s.label == l).unwrap().clone();
        assert!(st("a").fully_proved && st("d").done);
        assert!(st("b").can_prove && !st("b").proved);
        assert!(st("c").can_state && !st("e").can_state);
        assert_eq!(
            r.progress,
            Progress {
                nodes: 6,
                stated: 3,
                done: 2,
                fully_proved: 2
            }
        );
        assert_eq!(r.chapters[1].chapter, "Two");
        assert_eq!(r.chapters[1].progress.nodes, 3);
        assert_eq!(r.ready_to_state, ["c"]);
        assert_eq!(r.ready_to_prove, ["b"]);
        let blocked: Vec<(&str, &str)> = r
            .blocked
            .iter()
            .map(|b| (b.label.as_str(), b.waiting_for.as_str()))
            .collect();
        assert_eq!(blocked, [("e", "c"), ("f", "\\notready")]);
        assert_eq!(r.critical_path, ["b", "c", "e"]);
        assert_eq!(r.unblocks["b"], 2);
        assert_eq!(r.work_order, ["b", "c", "e", "f"]);
        assert!(r.cycles.is_empty());
    }

    #[test]
    fn the_work_order_starts_with_what_unblocks_the_most() {
        // `hub` comes last in the document but three nodes wait on it; `long` starts a chain
        // of two, `short` of one.
        let bp = blueprint(
            r"\begin{lemma}\label{short}\end{lemma}
\begin{lemma}\label{long}\end{lemma}
\begin{lemma}\label{after_long}\uses{long}\end{lemma}
\begin{lemma}\label{x}\uses{hub}\end{lemma}
\begin{lemma}\label{y}\uses{hub, long}\end{lemma}
\begin{lemma}\label{z}\uses{y}\end{lemma}
\begin{lemma}\label{hub}\end{lemma}
",
        );
        let r = roadmap(&bp, Mode::Fixed);
        assert_eq!(r.unblocks["hub"], 3);
        assert_eq!(r.unblocks["long"], 3);
        assert_eq!(r.ready_to_state, ["long", "hub", "short"]);
        assert_eq!(
            r.work_order,
            ["long", "hub", "y", "short", "after_long", "x", "z"]
        );
    }

    #[test]
    fn unblocks_agree_with_a_set_of_ancestors_per_node() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..200 {
            let n = 1 + below(200);
            // Mostly a few nodes back, sometimes anywhere (cycles); never a node itself.
            let deps: Vec<BTreeSet<usize>> = (0..n)
                .map(|k| {
                    (0..below(4))
                        .map(|_| {
                            if below(8) == 0 {
                                below(n)
                            } else {
                                k.saturating_sub(1 + below(3))
                            }
                        })
                        .filter(|&j| j != k)
                        .collect()
                })
                .collect();
            let open: Vec<usize> = (0..n).filter(|_| below(3) > 0).collect();
            let mut expected = vec![0; n];
            for &k in &open {
                let mut ancestors = BTreeSet::new();
                let mut stack: Vec<usize> = deps[k].iter().copied().collect();
                while let Some(j) = stack.pop() {
                    if ancestors.insert(j) {
                        stack.extend(deps[j].iter().copied());
                    }
                }
                for a in ancestors {
                    if open.binary_search(&a).is_ok() {
                        expected[a] += 1;
                    }
                }
            }
            assert_eq!(unblocks(&open, &deps), expected);
        }
    }

    #[test]
    fn cycles_are_reported_not_followed_forever() {
        let bp = blueprint(
            r"\begin{lemma}\label{x}\uses{y}\end{lemma}
\begin{lemma}\label{y}\uses{x}\end{lemma}
",
        );
        let r = roadmap(&bp, Mode::Fixed);
        assert_eq!(r.cycles, vec![vec!["x".to_string(), "y".to_string()]]);
        assert_eq!(r.work_order.len(), 2);
    }
}
