//! The roadmap of a blueprint: leanblueprint's statuses per node (`can_state`, `can_prove`,
//! `proved`, `fully_proved`), progress overall and per chapter, what is ready now, what is
//! blocked and by which first missing prerequisite, the critical path (the longest chain of
//! unfinished work), what each open node unblocks, and a work order.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::graph::{Mode, cycles, node_ids, node_statuses, prerequisites};
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
    /// Not yet formalised, every prerequisite stated: can be stated now.
    pub ready_to_state: Vec<String>,
    /// Stated, with every prerequisite stated, proof not done: can be proved now.
    pub ready_to_prove: Vec<String>,
    pub blocked: Vec<Blocked>,
    /// The longest chain of unfinished nodes, prerequisites first.
    pub critical_path: Vec<String>,
    /// For each unfinished node, how many unfinished nodes depend on it (transitively).
    pub unblocks: BTreeMap<String, usize>,
    /// Unfinished nodes, prerequisites before what needs them.
    pub work_order: Vec<String>,
    /// Dependency cycles (labels), which leanblueprint itself cannot build.
    pub cycles: Vec<Vec<String>>,
}

/// Computes the roadmap of `bp` with the statuses of `mode`.
pub fn roadmap(bp: &Blueprint, mode: Mode) -> Roadmap {
    let ids = node_ids(bp);
    let deps = prerequisites(bp);
    let st = node_statuses(bp, mode);
    let is_def = |i: usize| bp.nodes[i].kind == "definition";
    let stated: Vec<bool> = st.iter().map(|s| s.stated).collect();
    let done: Vec<bool> = (0..bp.nodes.len())
        .map(|i| if is_def(i) { stated[i] } else { st[i].proved })
        .collect();
    let mut ancestors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); bp.nodes.len()];
    for (i, a) in ancestors.iter_mut().enumerate() {
        let mut stack: Vec<usize> = deps[i].iter().copied().collect();
        while let Some(j) = stack.pop() {
            if a.insert(j) {
                stack.extend(deps[j].iter().copied());
            }
        }
    }
    let statuses: Vec<Status> = bp
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Status {
            label: ids[i].clone(),
            kind: n.kind.clone(),
            chapter: n.chapter.clone(),
            stated: stated[i],
            can_state: st[i].can_state,
            can_prove: st[i].can_prove,
            proved: st[i].proved,
            fully_proved: st[i].fully_proved,
            done: done[i],
            color: st[i].color.clone(),
            fillcolor: st[i].fillcolor.clone(),
        })
        .collect();

    let mut progress = Progress::default();
    let mut chapters: Vec<ChapterProgress> = Vec::new();
    for s in &statuses {
        let k = match chapters.iter().position(|c| c.chapter == s.chapter) {
            Some(k) => k,
            None => {
                chapters.push(ChapterProgress {
                    chapter: s.chapter.clone(),
                    progress: Progress::default(),
                });
                chapters.len() - 1
            }
        };
        for p in [&mut progress, &mut chapters[k].progress] {
            p.nodes += 1;
            p.stated += usize::from(s.stated);
            p.done += usize::from(s.done);
            p.fully_proved += usize::from(s.fully_proved);
        }
    }
    let open: Vec<usize> = (0..bp.nodes.len()).filter(|&i| !done[i]).collect();
    let ready_state = |i: usize| !stated[i] && statuses[i].can_state;
    let ready_prove = |i: usize| stated[i] && !is_def(i) && statuses[i].can_prove;
    let ready_to_state = open
        .iter()
        .filter(|&&i| ready_state(i))
        .map(|&i| ids[i].clone())
        .collect();
    let ready_to_prove = open
        .iter()
        .filter(|&&i| ready_prove(i))
        .map(|&i| ids[i].clone())
        .collect();
    let blocked = open
        .iter()
        .filter(|&&i| !ready_state(i) && !ready_prove(i))
        .map(|&i| {
            let n = &bp.nodes[i];
            let all_uses = n
                .uses
                .iter()
                .chain(n.proof.iter().flat_map(|p| p.uses.iter()));
            let mut waiting_for = None;
            for u in all_uses {
                match bp.node_of(u) {
                    Some(j) if !stated[j] => {
                        waiting_for = Some(ids[j].clone());
                        break;
                    }
                    None if mode == Mode::Fixed && bp.target(u).is_none() => {
                        waiting_for = Some(format!("{u} (no such label)"));
                        break;
                    }
                    _ => {}
                }
            }
            let waiting_for = waiting_for.unwrap_or_else(|| {
                if n.notready || n.proof.as_ref().is_some_and(|p| p.notready) {
                    "\\notready".to_string()
                } else if n.proof.is_none() && !is_def(i) {
                    "a proof environment".to_string()
                } else {
                    "a prerequisite that is not a node".to_string()
                }
            });
            Blocked {
                label: ids[i].clone(),
                waiting_for,
            }
        })
        .collect();
    // Longest chain of unfinished nodes: dynamic programming over the prerequisite order.
    let order = topological(&open, &deps);
    let mut best: BTreeMap<usize, (usize, Option<usize>)> = BTreeMap::new();
    for &i in &order {
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
    let mut critical_path = Vec::new();
    if let Some((&end, _)) = best
        .iter()
        .max_by_key(|(i, (len, _))| (*len, std::cmp::Reverse(**i)))
    {
        let mut at = Some(end);
        while let Some(i) = at {
            critical_path.push(ids[i].clone());
            at = best[&i].1;
        }
        critical_path.reverse();
    }
    let unblocks = open
        .iter()
        .map(|&i| {
            (
                ids[i].clone(),
                open.iter().filter(|&&k| ancestors[k].contains(&i)).count(),
            )
        })
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

/// `nodes` ordered so that prerequisites come first (Kahn); nodes on a cycle come last, in
/// document order.
fn topological(nodes: &[usize], deps: &[BTreeSet<usize>]) -> Vec<usize> {
    let set: BTreeSet<usize> = nodes.iter().copied().collect();
    let mut indegree: BTreeMap<usize, usize> = nodes
        .iter()
        .map(|&i| (i, deps[i].iter().filter(|j| set.contains(j)).count()))
        .collect();
    let mut ready: BTreeSet<usize> = indegree
        .iter()
        .filter(|(_, d)| **d == 0)
        .map(|(i, _)| *i)
        .collect();
    let mut out = Vec::new();
    while let Some(&i) = ready.iter().next() {
        ready.remove(&i);
        out.push(i);
        for &k in nodes {
            if deps[k].contains(&i) {
                let d = indegree.get_mut(&k).expect("node of the set");
                *d -= 1;
                if *d == 0 {
                    ready.insert(k);
                }
            }
        }
    }
    for &i in nodes {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
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
