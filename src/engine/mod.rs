//! The engine layer: each job theorist does is one function here that takes a plain request
//! and returns a typed report (with its `--json` document) or a typed [`EngineError`]. The
//! front ends only configure and print: the command line (`src/cli/`) and the MCP server
//! (`src/mcp/`) call the same functions, so they give the same verdicts and the same JSON.
//! Below sit the crates under `crates/`; nothing here prints.

mod error;
pub mod lean;

pub mod blueprint;
mod blueprint_lean;
pub mod blueprint_numerics;
pub mod blueprint_serve;
pub mod ci;
pub mod goals;
pub mod model;
pub mod numerics;
pub mod prove;
pub mod recheck;
pub mod remote;
pub mod suggest;
pub mod verify;

pub use error::{EngineError, NoToolchain};
