//! Dependency graphs and node statuses, in two modes.
//!
//! [`Mode::Compat`] reproduces leanblueprint 0.0.20 (plastexdepgraph 0.0.5) exactly, quirks
//! included: one graph per `dep_by` unit processed in document order, statuses computed per
//! graph, unresolved `\uses` silently satisfied, `\mathlibok` without a proof not proved,
//! `\notready` in a proof ignored, ancestors cut at the graph's border, a later chapter's
//! nodes not yet proved when an earlier chapter asks, and the proof's `\uses` appended to the
//! statement's in place (so a node shown in a second graph through `\alsoIn` sees them).
//!
//! [`Mode::Fixed`] (the default) fixes them: an unresolved `\uses` is unsatisfied (and an error
//! of `check`), `\mathlibok` counts as proved, `\notready` in a proof blocks it, `fully_proved`
//! looks at the whole document, a definition counts for its dependants only once stated, and
//! cycles are reported instead of followed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::reach::Components;
use crate::read::{Blueprint, Node, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Fixed,
    Compat,
}

/// leanblueprint's colour keys with their defaults and legend wording.
pub const DEFAULT_COLORS: &[(&str, &str, &str)] = &[
    ("mathlib", "darkgreen", "Dark green"),
    ("stated", "green", "Green"),
    ("can_state", "blue", "Blue"),
    ("not_ready", "#FFAA33", "Orange"),
    ("proved", "#9CEC8B", "Green"),
    ("can_prove", "#A3D6FF", "Blue"),
    ("defined", "#B0ECA3", "Light green"),
    ("fully_proved", "#1CAC78", "Dark green"),
];

/// The colour table after the blueprint's `\graphcolor` overrides.
pub fn colors(bp: &Blueprint) -> BTreeMap<String, (String, String)> {
    let mut table: BTreeMap<String, (String, String)> = DEFAULT_COLORS
        .iter()
        .map(|(k, c, d)| (k.to_string(), (c.to_string(), d.to_string())))
        .collect();
    for (k, c, d) in &bp.colors {
        table.insert(k.clone(), (c.clone(), d.clone()));
    }
    table
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeStyle {
    /// A `\uses` in the statement.
    Dashed,
    /// A `\uses` in the proof only.
    Solid,
}

/// A prerequisite edge `from → to` between two nodes (indices into [`Blueprint::nodes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub style: EdgeStyle,
}

/// The statuses of one node in one graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NodeStatus {
    /// The statement is formalised (`\leanok` or `\mathlibok`).
    pub stated: bool,
    pub mathlib: bool,
    pub notready: bool,
    pub can_state: bool,
    pub can_prove: bool,
    pub proved: bool,
    pub fully_proved: bool,
    /// Border colour ("" for none), fill colour ("" for none), and shape.
    pub color: String,
    pub fillcolor: String,
    pub shape: &'static str,
}

/// One dependency graph: the whole document, or one `dep_by` unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// leanblueprint's page name without `.html`: `dep_graph_document`, `dep_graph_chapter_3`.
    pub name: String,
    /// For people: "Document", "Chapter 3: Reductions".
    pub title: String,
    /// Its nodes, in document order.
    pub nodes: Vec<usize>,
    /// Each node's statuses in this graph, parallel to `nodes`.
    pub statuses: Vec<NodeStatus>,
    /// Edges between its nodes (transitively reduced unless `nonreducedgraph`), sorted.
    pub edges: Vec<Edge>,
    /// Every edge, before reduction.
    pub all_edges: Vec<Edge>,
}

impl Graph {
    pub fn status_of(&self, node: usize) -> Option<&NodeStatus> {
        self.nodes
            .iter()
            .position(|&n| n == node)
            .map(|k| &self.statuses[k])
    }
}

/// A node's id in the graphs: its label, or `unlabelled-<k>` for the k-th unlabelled node
/// (plasTeX numbers those with an internal counter no reader can reproduce).
pub fn node_ids(bp: &Blueprint) -> Vec<String> {
    let mut k = 0;
    bp.nodes
        .iter()
        .map(|n| match &n.label {
            Some(l) => l.clone(),
            None => {
                k += 1;
                format!("unlabelled-{k}")
            }
        })
        .collect()
}

/// Something a `\uses` can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Item<'a> {
    Node(usize),
    Statement(usize),
    Unit(usize),
    Other(&'a str),
}

struct Resolved<'a> {
    stmt: Vec<Vec<Item<'a>>>,
    proof: Vec<Vec<Item<'a>>>,
    /// Whether every `\uses` of the statement (and of the proof) resolved.
    stmt_complete: Vec<bool>,
    proof_complete: Vec<bool>,
}

/// `\uses` resolved: all of them (the default mode), or only each statement's and proof's
/// last `\uses` command (`last`, as plasTeX keeps them).
fn resolve<'a>(bp: &'a Blueprint, last: bool) -> Resolved<'a> {
    let one = |l: &'a String| -> Option<Item<'a>> {
        Some(match bp.targets.get(l)? {
            Target::Node(i) => Item::Node(*i),
            Target::Statement(i) => Item::Statement(*i),
            Target::Unit(i) => Item::Unit(*i),
            Target::Other { .. } => Item::Other(l.as_str()),
        })
    };
    let mut r = Resolved {
        stmt: Vec::new(),
        proof: Vec::new(),
        stmt_complete: Vec::new(),
        proof_complete: Vec::new(),
    };
    for n in &bp.nodes {
        let su = if last { &n.last_uses } else { &n.uses };
        let s: Vec<Item> = su.iter().filter_map(one).collect();
        r.stmt_complete.push(s.len() == su.len());
        r.stmt.push(s);
        let pu: &[String] = n
            .proof
            .as_ref()
            .map_or(&[], |p| if last { &p.last_uses } else { &p.uses });
        let p: Vec<Item> = pu.iter().filter_map(one).collect();
        r.proof_complete.push(p.len() == pu.len());
        r.proof.push(p);
    }
    r
}

/// Which nodes each graph shows, with its name and title, in document order: the nodes in
/// the unit, then those that name it in `\alsoIn`. One pass over the nodes for all units, so
/// a document with thousands of chapters is not read once per chapter.
fn graph_members(bp: &Blueprint) -> Vec<(String, String, Vec<usize>)> {
    let Some(dep_by) = &bp.options.dep_by else {
        return vec![(
            "dep_graph_document".into(),
            "Document".into(),
            (0..bp.nodes.len()).collect(),
        )];
    };
    let graphed = |u: usize| &bp.units[u].kind == dep_by;
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); bp.units.len()];
    for (i, n) in bp.nodes.iter().enumerate() {
        let mut units: Vec<usize> = n.units.iter().copied().filter(|&u| graphed(u)).collect();
        units.sort_unstable();
        units.dedup();
        for u in units {
            members[u].push(i);
        }
    }
    for (i, n) in bp.nodes.iter().enumerate() {
        let mut also: Vec<usize> = n
            .also_in
            .iter()
            .filter_map(|l| match bp.targets.get(l) {
                Some(Target::Unit(u)) if graphed(*u) && !n.units.contains(u) => Some(*u),
                _ => None,
            })
            .collect();
        also.sort_unstable();
        also.dedup();
        for u in also {
            members[u].push(i);
        }
    }
    let mut out = Vec::new();
    for ((u, unit), members) in bp.units.iter().enumerate().zip(members) {
        if !graphed(u) {
            continue;
        }
        let mut kind = unit.kind.clone();
        if let Some(c) = kind.get_mut(0..1) {
            c.make_ascii_uppercase();
        }
        let title = if unit.title.is_empty() {
            format!("{kind} {}", unit.number)
        } else {
            format!("{kind} {}: {}", unit.number, unit.title)
        };
        out.push((
            format!("dep_graph_{}_{}", unit.kind, unit.number),
            title,
            members,
        ));
    }
    out
}

/// The edges among `members`: dashed for statement uses, solid for proof-only uses (a strict
/// graph keeps one edge per pair, the dashed one).
fn edges_among(r: &Resolved, members: &[usize]) -> Vec<Edge> {
    let set: BTreeSet<usize> = members.iter().copied().collect();
    let mut edges: BTreeMap<(usize, usize), EdgeStyle> = BTreeMap::new();
    for &to in members {
        for (uses, style) in [
            (&r.stmt[to], EdgeStyle::Dashed),
            (&r.proof[to], EdgeStyle::Solid),
        ] {
            for u in uses {
                if let Item::Node(from) = *u {
                    if set.contains(&from) {
                        edges.entry((from, to)).or_insert(style);
                    }
                }
            }
        }
    }
    edges
        .into_iter()
        .map(|((from, to), style)| Edge { from, to, style })
        .collect()
}

/// Graphviz `tred` on an acyclic graph: drop `u → v` when another path leads from u to v.
/// Edges on a cycle are kept. Through the strongly connected components and bit rows
/// ([`crate::reach`]): O(V × E / 64) time where a reachability set per vertex took O(V²)
/// memory and O(V × E) set look-ups (a chain of 4,000 lemmas took 5 s).
pub fn transitive_reduction(edges: &[Edge]) -> Vec<Edge> {
    let mut ids: Vec<usize> = edges.iter().flat_map(|e| [e.from, e.to]).collect();
    ids.sort_unstable();
    ids.dedup();
    let at = |v: usize| ids.binary_search(&v).unwrap_or_default();
    let ends: Vec<(usize, usize)> = edges.iter().map(|e| (at(e.from), at(e.to))).collect();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for (k, &(u, v)) in ends.iter().enumerate() {
        succ[u].push(v);
        out_edges[u].push(k);
    }
    let comps = Components::new(&succ);
    let of = &comps.of;
    // An edge inside a component is on a cycle: kept. One that leaves it is redundant when
    // another successor of its source reaches its target: one in the target's own component
    // (which is then a cycle through the target), or one whose component reaches the
    // target's component.
    let mut redundant = vec![false; edges.len()];
    for u in 0..succ.len() {
        let mut by_component: Vec<(usize, usize)> = succ[u].iter().map(|&w| (of[w], w)).collect();
        by_component.sort_unstable();
        by_component.dedup();
        for &k in &out_edges[u] {
            let v = ends[k].1;
            if of[u] != of[v] {
                let first = by_component.partition_point(|&(c, _)| c < of[v]);
                redundant[k] = by_component[first..]
                    .iter()
                    .take_while(|&&(c, _)| c == of[v])
                    .any(|&(_, w)| w != v);
            }
        }
    }
    let components: Vec<usize> = (0..comps.len()).collect();
    comps.reach_in_blocks(&components, |block| {
        let mut below = vec![0u64; block.words()];
        for u in 0..succ.len() {
            // The edges of u this block can decide.
            let open: Vec<usize> = out_edges[u]
                .iter()
                .copied()
                .filter(|&k| {
                    let v = ends[k].1;
                    of[u] != of[v] && (block.lo..block.hi).contains(&of[v]) && !redundant[k]
                })
                .collect();
            if open.is_empty() {
                continue;
            }
            below.fill(0);
            for &w in &succ[u] {
                block.or_below(of[w], &mut below);
            }
            for k in open {
                let t = of[ends[k].1] - block.lo;
                redundant[k] = below[t / 64] & (1 << (t % 64)) != 0;
            }
        }
    });
    edges
        .iter()
        .zip(redundant)
        .filter(|(_, r)| !r)
        .map(|(e, _)| *e)
        .collect()
}

/// Every graph of the blueprint with its nodes' statuses, in `mode`.
pub fn graphs(bp: &Blueprint, mode: Mode) -> Vec<Graph> {
    let r = resolve(bp, mode == Mode::Compat);
    let members = graph_members(bp);
    let palette = colors(bp);
    let color = |k: &str| palette[k].0.clone();
    let mut out = Vec::with_capacity(members.len());
    let fixed = match mode {
        Mode::Fixed => Some(fixed_statuses(bp, &r)),
        Mode::Compat => None,
    };
    let mut compat = CompatState {
        proved: vec![None; bp.nodes.len()],
        seen: vec![0; bp.nodes.len()],
    };
    for (name, title, nodes) in members {
        let all_edges = edges_among(&r, &nodes);
        let edges = if bp.options.nonreduced {
            all_edges.clone()
        } else {
            transitive_reduction(&all_edges)
        };
        let raw: Vec<Raw> = match &fixed {
            Some(f) => nodes.iter().map(|&n| f[n]).collect(),
            None => compat_statuses(bp, &r, &nodes, &mut compat),
        };
        let statuses = nodes
            .iter()
            .zip(raw)
            .map(|(&n, s)| paint(&bp.nodes[n], s, &color))
            .collect();
        out.push(Graph {
            name,
            title,
            nodes,
            statuses,
            edges,
            all_edges,
        });
    }
    out
}

/// The statuses before colouring.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Raw {
    can_state: bool,
    can_prove: bool,
    proved: bool,
    fully_proved: bool,
}

/// leanblueprint's `colorizer`, `fillcolorizer` and shapes.
fn paint(n: &Node, s: Raw, color: &dyn Fn(&str) -> String) -> NodeStatus {
    let definition = n.kind == "definition";
    let border = if n.mathlibok {
        color("mathlib")
    } else if n.leanok {
        color("stated")
    } else if s.can_state {
        color("can_state")
    } else if n.notready {
        color("not_ready")
    } else {
        String::new()
    };
    let mut fill = if s.proved {
        color("proved")
    } else if s.can_prove && (s.can_state || n.leanok) {
        color("can_prove")
    } else {
        String::new()
    };
    if definition {
        if n.leanok {
            fill = color("defined");
        } else if s.can_state {
            fill = color("can_prove");
        }
    } else if s.fully_proved {
        fill = color("fully_proved");
    }
    NodeStatus {
        stated: n.leanok,
        mathlib: n.mathlibok,
        notready: n.notready,
        can_state: s.can_state,
        can_prove: s.can_prove,
        proved: s.proved,
        fully_proved: s.fully_proved,
        color: border,
        fillcolor: fill,
        shape: if definition { "box" } else { "ellipse" },
    }
}

struct CompatState {
    /// `proved` as leanblueprint has set it so far (None: not yet).
    proved: Vec<Option<bool>>,
    /// How many graphs have processed each node (the in-place `uses` extension).
    seen: Vec<u32>,
}

fn item_leanok(bp: &Blueprint, item: Item) -> bool {
    match item {
        Item::Node(i) => bp.nodes[i].leanok,
        Item::Statement(i) => bp.statements[i].leanok,
        Item::Unit(_) | Item::Other(_) => false,
    }
}

/// One graph's statuses exactly as leanblueprint's `make_lean_data` computes them.
fn compat_statuses(
    bp: &Blueprint,
    r: &Resolved,
    nodes: &[usize],
    state: &mut CompatState,
) -> Vec<Raw> {
    let mut raw = Vec::with_capacity(nodes.len());
    for &n in nodes {
        let node = &bp.nodes[n];
        // After the first graph, the statement's list already holds the proof's uses.
        let extended = state.seen[n] > 0 && node.proof.is_some();
        let used = r.stmt[n]
            .iter()
            .chain(r.proof[n].iter().filter(|_| extended));
        let can_state = used.clone().all(|&u| item_leanok(bp, u)) && !node.notready;
        let (can_prove, proved) = match &node.proof {
            Some(p) => (
                used.chain(&r.proof[n]).all(|&u| item_leanok(bp, u)),
                p.leanok,
            ),
            None => (false, false),
        };
        state.proved[n] = Some(proved);
        state.seen[n] += 1;
        raw.push(Raw {
            can_state,
            can_prove,
            proved,
            fully_proved: false,
        });
    }
    // Ancestors stop at the graph's border but include direct predecessors from outside it:
    // a member is fully proved unless something not "ok" is reachable from it that way. So
    // the members that cannot be are found once, from what is not ok, walking back to what
    // uses it (linear, where a walk per member was quadratic on a long chain).
    let local: BTreeMap<usize, usize> = nodes.iter().enumerate().map(|(k, &n)| (n, k)).collect();
    let kind_ok = |item: Item| -> bool {
        match item {
            Item::Node(i) => state.proved[i] == Some(true) || bp.nodes[i].kind == "definition",
            Item::Statement(i) => bp.statements[i].kind == "definition",
            Item::Unit(_) => false,
            Item::Other(label) => matches!(
                bp.targets.get(label),
                Some(Target::Other { within, .. }) if within == "definition"
            ),
        }
    };
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut bad: Vec<usize> = Vec::new();
    for (k, &n) in nodes.iter().enumerate() {
        let mut is_bad = !kind_ok(Item::Node(n));
        for &p in r.stmt[n].iter().chain(&r.proof[n]) {
            match p {
                Item::Node(j) if local.contains_key(&j) => users[local[&j]].push(k),
                _ => is_bad |= !kind_ok(p),
            }
        }
        if is_bad {
            bad.push(k);
        }
    }
    for (k, tainted) in taint(&users, bad).into_iter().enumerate() {
        raw[k].fully_proved = !tainted;
    }
    raw
}

/// Whether each vertex reaches one of `bad` (or is one), where `users[v]` lists the vertices
/// with an edge to v: a breadth-first walk back from `bad`.
fn taint(users: &[Vec<usize>], bad: Vec<usize>) -> Vec<bool> {
    let mut tainted = vec![false; users.len()];
    let mut work = bad;
    for &b in &work {
        tainted[b] = true;
    }
    let mut k = 0;
    while k < work.len() {
        let v = work[k];
        k += 1;
        for &u in &users[v] {
            if !tainted[u] {
                tainted[u] = true;
                work.push(u);
            }
        }
    }
    tainted
}

/// The default mode's statuses, the same in every graph.
fn fixed_statuses(bp: &Blueprint, r: &Resolved) -> Vec<Raw> {
    let stated = |u: &Item| item_leanok(bp, *u);
    let proved: Vec<bool> = bp
        .nodes
        .iter()
        .map(|n| n.mathlibok || n.proof.as_ref().is_some_and(|p| p.leanok))
        .collect();
    let done: Vec<bool> = bp
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if n.kind == "definition" {
                n.leanok
            } else {
                proved[i]
            }
        })
        .collect();
    // Fully proved: done, and so is every transitive prerequisite (a statement that is not a
    // node counts when proved, or stated if a definition). The nodes that are not are found
    // once, walking back from what is not done to what uses it.
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); bp.nodes.len()];
    let mut bad: Vec<usize> = Vec::new();
    for (i, &done) in done.iter().enumerate() {
        let mut is_bad = !done;
        for &a in r.stmt[i].iter().chain(&r.proof[i]) {
            match a {
                Item::Node(j) => users[j].push(i),
                Item::Statement(j) => {
                    let s = &bp.statements[j];
                    is_bad |= !(s.mathlibok
                        || s.proof.as_ref().is_some_and(|p| p.leanok)
                        || (s.kind == "definition" && s.leanok));
                }
                Item::Unit(_) | Item::Other(_) => {}
            }
        }
        if is_bad {
            bad.push(i);
        }
    }
    let not_fully_proved = taint(&users, bad);
    bp.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let can_state = r.stmt_complete[i] && r.stmt[i].iter().all(stated) && !n.notready;
            let can_prove = n.proof.as_ref().is_some_and(|p| !p.notready)
                && !n.notready
                && r.stmt_complete[i]
                && r.proof_complete[i]
                && r.stmt[i].iter().chain(&r.proof[i]).all(stated);
            Raw {
                can_state,
                can_prove,
                proved: proved[i],
                fully_proved: !not_fully_proved[i],
            }
        })
        .collect()
}

/// The node-to-node prerequisites of every node over the whole document (statement and proof
/// `\uses` that name nodes), for the roadmap.
pub fn prerequisites(bp: &Blueprint) -> Vec<BTreeSet<usize>> {
    let r = resolve(bp, false);
    (0..bp.nodes.len())
        .map(|n| {
            r.stmt[n]
                .iter()
                .chain(&r.proof[n])
                .filter_map(|u| match u {
                    Item::Node(j) if *j != n => Some(*j),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// Dependency cycles among nodes (each as its node indices, ascending), in order.
pub fn cycles(bp: &Blueprint) -> Vec<Vec<usize>> {
    let deps: Vec<Vec<usize>> = prerequisites(bp)
        .into_iter()
        .map(|d| d.into_iter().collect())
        .collect();
    let comps = Components::new(&deps);
    let mut out: Vec<Vec<usize>> = comps
        .members
        .iter()
        .zip(&comps.cyclic)
        .filter(|(_, cyclic)| **cyclic)
        .map(|(m, _)| m.clone())
        .collect();
    out.sort();
    out
}

/// Every node's statuses in `mode`: the same everywhere in the default mode; in compat mode,
/// those of the first graph that shows the node (uncoloured when none does).
pub fn node_statuses(bp: &Blueprint, mode: Mode) -> Vec<NodeStatus> {
    let palette = colors(bp);
    let color = |k: &str| palette[k].0.clone();
    match mode {
        Mode::Fixed => {
            let r = resolve(bp, false);
            fixed_statuses(bp, &r)
                .into_iter()
                .zip(&bp.nodes)
                .map(|(s, n)| paint(n, s, &color))
                .collect()
        }
        Mode::Compat => {
            let mut first: Vec<Option<NodeStatus>> = vec![None; bp.nodes.len()];
            for g in graphs(bp, mode) {
                for (&i, s) in g.nodes.iter().zip(g.statuses) {
                    first[i].get_or_insert(s);
                }
            }
            first
                .into_iter()
                .zip(&bp.nodes)
                .map(|(s, n)| s.unwrap_or_else(|| paint(n, Raw::default(), &color)))
                .collect()
        }
    }
}

/// The part of `graph` around `node`: its ancestors (`up`) and/or descendants (`down`), at most
/// `depth` steps away, with the edges among them (reduced again when `reduce`).
pub fn focus(
    graph: &Graph,
    node: usize,
    depth: Option<usize>,
    up: bool,
    down: bool,
    reduce: bool,
) -> Graph {
    let mut keep: BTreeSet<usize> = BTreeSet::from([node]);
    for (wanted, forward) in [(up, false), (down, true)] {
        if !wanted {
            continue;
        }
        let mut next_to: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for e in &graph.all_edges {
            let (from, to) = if forward {
                (e.from, e.to)
            } else {
                (e.to, e.from)
            };
            next_to.entry(from).or_default().push(to);
        }
        let mut frontier = vec![node];
        let mut steps = 0;
        while !frontier.is_empty() && depth.is_none_or(|d| steps < d) {
            let mut next = Vec::new();
            for &x in &frontier {
                for &to in next_to.get(&x).into_iter().flatten() {
                    if keep.insert(to) {
                        next.push(to);
                    }
                }
            }
            frontier = next;
            steps += 1;
        }
    }
    let (nodes, statuses): (Vec<usize>, Vec<NodeStatus>) = graph
        .nodes
        .iter()
        .zip(&graph.statuses)
        .filter(|(n, _)| keep.contains(n))
        .map(|(n, s)| (*n, s.clone()))
        .unzip();
    let all_edges: Vec<Edge> = graph
        .all_edges
        .iter()
        .filter(|e| keep.contains(&e.from) && keep.contains(&e.to))
        .copied()
        .collect();
    let edges = if reduce {
        transitive_reduction(&all_edges)
    } else {
        all_edges.clone()
    };
    Graph {
        name: graph.name.clone(),
        title: graph.title.clone(),
        nodes,
        statuses,
        edges,
        all_edges,
    }
}

#[cfg(test)]
mod tests {
    //! The graph algorithms against the plain ones they replaced (a reachability set per
    //! node, a walk per node), kept here as references, on random blueprints with chains,
    //! cycles, self-uses, statements that are not nodes, proofs and chapters.
    use super::*;

    /// A small deterministic generator (no extra dependency): xorshift.
    pub(crate) struct Rng(pub u64);

    impl Rng {
        pub fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// A random blueprint: `n` statements, mostly using the few before them.
    pub(crate) fn random_blueprint(rng: &mut Rng, n: usize) -> Blueprint {
        let mut text = String::from("\\usepackage[dep_by=chapter]{blueprint}\n");
        for i in 0..n {
            if rng.below(12) == 0 {
                text.push_str(&format!("\\chapter{{C{i}}}\\label{{ch{i}}}\n"));
            }
            let env = ["lemma", "theorem", "definition", "remark", "lemma"][rng.below(5)];
            text.push_str(&format!("\\begin{{{env}}}\\label{{l{i}}}"));
            for mark in ["\\leanok", "\\mathlibok", "\\notready"] {
                if rng.below(4) == 0 {
                    text.push_str(mark);
                }
            }
            let pick = |rng: &mut Rng| {
                if rng.below(6) == 0 {
                    format!("l{}", rng.below(n + 2))
                } else {
                    format!("l{}", i.saturating_sub(1 + rng.below(4)))
                }
            };
            if rng.below(3) > 0 {
                let uses: Vec<String> = (0..1 + rng.below(3)).map(|_| pick(rng)).collect();
                text.push_str(&format!("\\uses{{{}}}", uses.join(",")));
            }
            if rng.below(10) == 0 {
                text.push_str(&format!("\\alsoIn{{ch{}}}", rng.below(n)));
            }
            text.push_str(&format!("\\end{{{env}}}\n"));
            if rng.below(2) == 0 {
                text.push_str("\\begin{proof}");
                if rng.below(2) == 0 {
                    text.push_str("\\leanok");
                }
                if rng.below(2) == 0 {
                    text.push_str(&format!("\\uses{{{}}}", pick(rng)));
                }
                text.push_str("x\\end{proof}\n");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("content.tex"), text).unwrap();
        crate::read(dir.path())
    }

    /// The reduction as it was: a reachability set per vertex.
    fn reference_reduction(edges: &[Edge]) -> Vec<Edge> {
        let mut succ: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for e in edges {
            succ.entry(e.from).or_default().push(e.to);
        }
        let mut reach: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        let nodes: BTreeSet<usize> = edges.iter().flat_map(|e| [e.from, e.to]).collect();
        for &x in &nodes {
            let mut seen = BTreeSet::new();
            let mut stack: Vec<usize> = succ.get(&x).cloned().unwrap_or_default();
            while let Some(y) = stack.pop() {
                if seen.insert(y) {
                    stack.extend(succ.get(&y).into_iter().flatten().copied());
                }
            }
            reach.insert(x, seen);
        }
        edges
            .iter()
            .filter(|e| {
                if reach[&e.to].contains(&e.from) {
                    return true;
                }
                !succ[&e.from]
                    .iter()
                    .any(|&w| w != e.to && reach[&w].contains(&e.to))
            })
            .copied()
            .collect()
    }

    /// leanblueprint's `fully_proved` in a graph as it was computed: a walk per member.
    fn reference_compat_fully_proved(
        bp: &Blueprint,
        r: &Resolved,
        nodes: &[usize],
        proved: &[Option<bool>],
    ) -> Vec<bool> {
        let members: BTreeSet<usize> = nodes.iter().copied().collect();
        let kind_ok = |item: Item| -> bool {
            match item {
                Item::Node(i) => proved[i] == Some(true) || bp.nodes[i].kind == "definition",
                Item::Statement(i) => bp.statements[i].kind == "definition",
                Item::Unit(_) => false,
                Item::Other(label) => matches!(
                    bp.targets.get(label),
                    Some(Target::Other { within, .. }) if within == "definition"
                ),
            }
        };
        nodes
            .iter()
            .map(|&n| {
                let mut seen: BTreeSet<Item> = BTreeSet::new();
                let mut stack = vec![Item::Node(n)];
                while let Some(item) = stack.pop() {
                    let Item::Node(i) = item else { continue };
                    if !members.contains(&i) {
                        continue;
                    }
                    for &p in r.stmt[i].iter().chain(&r.proof[i]) {
                        if seen.insert(p) {
                            stack.push(p);
                        }
                    }
                }
                seen.insert(Item::Node(n));
                seen.into_iter().all(kind_ok)
            })
            .collect()
    }

    /// The default mode's `fully_proved` as it was: every node's ancestors as a set.
    fn reference_fixed_fully_proved(bp: &Blueprint, r: &Resolved) -> Vec<bool> {
        let done = |j: usize| {
            let n = &bp.nodes[j];
            let proved = n.mathlibok || n.proof.as_ref().is_some_and(|p| p.leanok);
            if n.kind == "definition" {
                n.leanok
            } else {
                proved
            }
        };
        (0..bp.nodes.len())
            .map(|n| {
                let mut seen = BTreeSet::new();
                let mut stack: Vec<Item> = r.stmt[n].iter().chain(&r.proof[n]).copied().collect();
                while let Some(item) = stack.pop() {
                    if seen.insert(item) {
                        if let Item::Node(i) = item {
                            stack.extend(r.stmt[i].iter().chain(&r.proof[i]).copied());
                        }
                    }
                }
                done(n)
                    && seen.iter().all(|&a| match a {
                        Item::Node(j) => done(j),
                        Item::Statement(j) => {
                            let s = &bp.statements[j];
                            s.mathlibok
                                || s.proof.as_ref().is_some_and(|p| p.leanok)
                                || (s.kind == "definition" && s.leanok)
                        }
                        Item::Unit(_) | Item::Other(_) => true,
                    })
            })
            .collect()
    }

    #[test]
    fn the_reduction_agrees_with_a_reachability_set_per_vertex() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..300 {
            let n = 1 + rng.below(40);
            // Sparse, spread-out ids; duplicates, self-loops and cycles included.
            let edges: Vec<Edge> = (0..rng.below(4 * n))
                .map(|_| {
                    let a = rng.below(n);
                    let b = if rng.below(6) == 0 {
                        rng.below(n)
                    } else {
                        (a + 1 + rng.below(3)).min(n - 1)
                    };
                    Edge {
                        from: 7 * a + 3,
                        to: 7 * b + 3,
                        style: if rng.below(2) == 0 {
                            EdgeStyle::Solid
                        } else {
                            EdgeStyle::Dashed
                        },
                    }
                })
                .collect();
            assert_eq!(
                transitive_reduction(&edges),
                reference_reduction(&edges),
                "{edges:?}"
            );
        }
    }

    #[test]
    fn fully_proved_agrees_with_a_walk_per_node_in_both_modes() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for round in 0..40 {
            let n = 1 + rng.below(60);
            let bp = random_blueprint(&mut rng, n);
            let r = resolve(&bp, false);
            let fixed: Vec<bool> = fixed_statuses(&bp, &r)
                .iter()
                .map(|s| s.fully_proved)
                .collect();
            assert_eq!(
                fixed,
                reference_fixed_fully_proved(&bp, &r),
                "round {round}"
            );
            let r = resolve(&bp, true);
            let mut state = CompatState {
                proved: vec![None; bp.nodes.len()],
                seen: vec![0; bp.nodes.len()],
            };
            for (_, _, nodes) in graph_members(&bp) {
                let raw = compat_statuses(&bp, &r, &nodes, &mut state);
                let got: Vec<bool> = raw.iter().map(|s| s.fully_proved).collect();
                let expected = reference_compat_fully_proved(&bp, &r, &nodes, &state.proved);
                assert_eq!(got, expected, "round {round}");
            }
        }
    }

    #[test]
    fn graph_members_are_the_unit_then_also_in_in_document_order() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        for _ in 0..20 {
            let n = 1 + rng.below(60);
            let bp = random_blueprint(&mut rng, n);
            for ((u, _), (_, _, members)) in bp
                .units
                .iter()
                .enumerate()
                .filter(|(_, unit)| unit.kind == "chapter")
                .zip(graph_members(&bp))
            {
                let mut expected: Vec<usize> = (0..bp.nodes.len())
                    .filter(|&i| bp.nodes[i].units.contains(&u))
                    .collect();
                for (i, node) in bp.nodes.iter().enumerate() {
                    let here = node
                        .also_in
                        .iter()
                        .any(|l| bp.targets.get(l) == Some(&Target::Unit(u)));
                    if here && !expected.contains(&i) {
                        expected.push(i);
                    }
                }
                assert_eq!(members, expected);
            }
        }
    }
}
