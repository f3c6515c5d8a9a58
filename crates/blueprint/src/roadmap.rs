//! The roadmap of a blueprint: leanblueprint's statuses per node (`can_state`, `can_prove`,
//! `proved`, `fully_proved`), progress overall and per chapter, what is ready now, what is
//! blocked and by which first missing prerequisite, the critical path (the longest chain of
//! unfinished work), what each open node unblocks, and a work order.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::read::{Blueprint, Node};

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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub nodes: usize,
    pub stated: usize,
    pub done: usize,
    pub fully_proved: usize,
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
    pub progress: Progress,
    pub chapters: BTreeMap<String, Progress>,
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

/// A node's name: its label, or `kind@file:line` for an unlabelled one.
fn id(n: &Node) -> String {
    n.label
        .clone()
        .unwrap_or_else(|| format!("{}@{}:{}", n.kind, n.file.display(), n.line))
}

/// Computes the roadmap of `bp`.
pub fn roadmap(bp: &Blueprint) -> Roadmap {
    let ids: Vec<String> = bp.nodes.iter().map(id).collect();
    let index: BTreeMap<&str, usize> = bp
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(i, n)| n.labels.iter().map(move |l| (l.as_str(), i)))
        .collect();
    let resolve = |ls: &[String]| -> Vec<usize> {
        ls.iter()
            .filter_map(|l| index.get(l.as_str()).copied())
            .collect()
    };
    let stmt_uses: Vec<Vec<usize>> = bp.nodes.iter().map(|n| resolve(&n.uses)).collect();
    let proof_uses: Vec<Vec<usize>> = bp
        .nodes
        .iter()
        .map(|n| n.proof.as_ref().map_or(Vec::new(), |p| resolve(&p.uses)))
        .collect();
    let deps: Vec<BTreeSet<usize>> = (0..bp.nodes.len())
        .map(|i| {
            stmt_uses[i]
                .iter()
                .chain(&proof_uses[i])
                .copied()
                .filter(|&j| j != i)
                .collect()
        })
        .collect();

    let stated: Vec<bool> = bp.nodes.iter().map(|n| n.leanok || n.mathlibok).collect();
    let proved: Vec<bool> = bp
        .nodes
        .iter()
        .map(|n| n.mathlibok || n.proof.as_ref().is_some_and(|p| p.leanok))
        .collect();
    let is_def = |i: usize| bp.nodes[i].kind == "definition";
    let done: Vec<bool> = (0..bp.nodes.len())
        .map(|i| if is_def(i) { stated[i] } else { proved[i] })
        .collect();

    // Ancestors (transitive prerequisites), with cycles found rather than recursing forever.
    let mut ancestors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); bp.nodes.len()];
    let mut cycles = Vec::new();
    for i in 0..bp.nodes.len() {
        let mut stack: Vec<usize> = deps[i].iter().copied().collect();
        while let Some(j) = stack.pop() {
            if j == i {
                cycles.push(ids[i].clone());
                continue;
            }
            if ancestors[i].insert(j) {
                stack.extend(deps[j].iter().copied());
            }
        }
    }
    let statuses: Vec<Status> = bp
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let can_state = stmt_uses[i].iter().all(|&j| stated[j]) && !n.notready;
            let can_prove = n.proof.is_some()
                && stmt_uses[i]
                    .iter()
                    .chain(&proof_uses[i])
                    .all(|&j| stated[j]);
            let fully_proved = done[i] && ancestors[i].iter().all(|&j| done[j]);
            Status {
                label: ids[i].clone(),
                kind: n.kind.clone(),
                chapter: n.chapter.clone(),
                stated: stated[i],
                can_state,
                can_prove,
                proved: proved[i],
                fully_proved,
                done: done[i],
            }
        })
        .collect();

    let mut progress = Progress::default();
    let mut chapters: BTreeMap<String, Progress> = BTreeMap::new();
    for s in &statuses {
        for p in [
            &mut progress,
            chapters.entry(s.chapter.clone()).or_default(),
        ] {
            p.nodes += 1;
            p.stated += usize::from(s.stated);
            p.done += usize::from(s.done);
            p.fully_proved += usize::from(s.fully_proved);
        }
    }
    let open: Vec<usize> = (0..bp.nodes.len()).filter(|&i| !done[i]).collect();
    let ready_to_state = open
        .iter()
        .filter(|&&i| !stated[i] && statuses[i].can_state)
        .map(|&i| ids[i].clone())
        .collect();
    let ready_to_prove = open
        .iter()
        .filter(|&&i| stated[i] && !is_def(i) && statuses[i].can_prove)
        .map(|&i| ids[i].clone())
        .collect();
    let blocked = open
        .iter()
        .filter(|&&i| {
            let ready_state = !stated[i] && statuses[i].can_state;
            let ready_prove = stated[i] && !is_def(i) && statuses[i].can_prove;
            !ready_state && !ready_prove
        })
        .map(|&i| {
            let first = stmt_uses[i]
                .iter()
                .chain(&proof_uses[i])
                .find(|&&j| !stated[j]);
            let waiting_for = match first {
                Some(&j) => ids[j].clone(),
                None if bp.nodes[i].notready => "\\notready".to_string(),
                None => "a proof environment".to_string(),
            };
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
    let cycles = if cycles.is_empty() {
        Vec::new()
    } else {
        vec![cycles]
    };
    Roadmap {
        schema: "theorist.blueprint.roadmap/1",
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
        let r = roadmap(&bp);
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
        assert_eq!(r.chapters["Two"].nodes, 3);
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
        let r = roadmap(&bp);
        assert_eq!(r.cycles, vec![vec!["x".to_string(), "y".to_string()]]);
        assert_eq!(r.work_order.len(), 2);
    }
}
