//! theorist-blueprint: reads a leanblueprint blueprint's LaTeX directly (no TeX, no plasTeX,
//! no graphviz) and turns it into dependency graphs, statuses, roadmaps and checks.
//!
//! The LaTeX layer scans the files (comments, `\input`, user macros, LeanArchitect's
//! generated nodes), inside the blueprint's project and within budgets ([`Limits`]); [`read`] gives them plasTeX's meaning (nodes, labels, proofs, units,
//! package options); [`graphs`] builds leanblueprint's graphs and statuses, exactly
//! ([`Mode::Compat`]) or with its quirks fixed ([`Mode::Fixed`]); [`roadmap`] says what to do
//! next; [`check`] compares the blueprint with the Lean sources; [`layout`], [`dot`], [`svg`],
//! [`json`] and [`html`] write the graphs. Pure and synchronous.

mod check;
pub mod dot;
mod finding;
mod graph;
pub mod html;
mod inputs;
pub mod json;
mod latex;
pub mod layout;
mod lex;
mod reach;
mod read;
mod roadmap;
pub mod svg;

pub use check::{LeanFact, LeanFacts, LeanIndex, check};
pub use finding::{Finding, Level};
pub use graph::{
    DEFAULT_COLORS, Edge, EdgeStyle, Graph, Mode, NodeStatus, colors, cycles, focus, graphs,
    node_ids, node_statuses, prerequisites, transitive_reduction,
};
pub use inputs::{Limits, ReadCost, project_root};
pub use read::{
    Blueprint, Node, Options, Proof, Target, Unit, find_source_dir, read, read_with_limits,
};
pub use roadmap::{Blocked, ChapterProgress, Progress, Roadmap, Status, roadmap};
