//! theorist-blueprint: reads a leanblueprint blueprint's LaTeX directly (no TeX, no plasTeX)
//! and checks it against the Lean sources. [`read`] follows `\input` from `web.tex` or
//! `content.tex`, strips comments, and collects the nodes (theorem-like environments with
//! `\label`, `\lean`, `\uses`, `\leanok`, `\mathlibok`, `\notready`) and their proofs
//! (`\proves`, or the nearest preceding environment, as plastexdepgraph attaches them);
//! [`check`] reports what is inconsistent with the Lean sources, with file:line. Pure and
//! synchronous.

mod check;
mod read;
mod roadmap;

pub use check::{Finding, LeanIndex, Level, check};
pub use read::{Blueprint, Node, Proof, ReadError, find_source_dir, read};
pub use roadmap::{Blocked, Progress, Roadmap, Status, roadmap};
