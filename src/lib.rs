//! theorist: check physics lemmas in Lean 4, suggest proof steps, cross-check the physics with
//! rigorous numerics, and build blueprint roadmaps. The parts live in `crates/`; [`engine`]
//! turns each job into one call, and two front ends call it: the command line ([`cli`]) and
//! the Model Context Protocol server for AI assistants ([`mcp`]).
pub mod cli;
pub mod engine;
pub mod mcp;
