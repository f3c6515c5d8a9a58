//! theorist: check physics lemmas in Lean 4, suggest proof steps, cross-check the physics with
//! rigorous numerics, and build blueprint roadmaps. The parts live in `crates/`; this crate is
//! the command line that glues them.
pub mod cli;
