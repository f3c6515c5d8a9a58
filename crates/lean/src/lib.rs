//! theorist-lean: the driver of Lean 4. It finds the project and its `lake`
//! ([`toolchain`]), speaks the language server's protocol ([`framing`], [`rpc`],
//! [`server`]) for goals and in-memory edits, and runs batch mode ([`batch`],
//! `lake env lean --json`) for whole-file checks with `#print axioms` ([`check`]).
//!
//! Public API used by the rest of theorist:
//! - [`LakeSearch`], [`Project`], [`Toolchain::resolve`]: discovery; `lean --version` is
//!   recorded in [`Toolchain::lean_version`]; every process is started by
//!   [`Toolchain::command`], inside the bubblewrap [`sandbox`] unless it is turned off.
//! - [`check::check_file`]: per-declaration verdicts of one file (errors, sorry, axioms)
//!   under a [`batch::BatchConfig`] (timeout, memory cap).
//! - [`LeanServer`]: open / change / wait_for_diagnostics / plain_goal / plain_term_goal /
//!   close, with worker-crash revival and one server restart.
//!
//! Every wait has a timeout; every child runs in its own process group and is killed with it.

pub mod axioms;
pub mod batch;
pub mod check;
pub mod diagnostics;
pub mod error;
pub mod framing;
pub mod position;
pub mod process;
pub mod rpc;
pub mod sandbox;
pub mod server;
pub mod toolchain;

pub use axioms::AxiomPolicy;
pub use diagnostics::Diagnostic;
pub use error::LeanError;
pub use position::LeanPos;
pub use sandbox::{Confinement, SandboxMode, SandboxPolicy};
pub use server::{Document, LeanServer, PlainGoal, PlainTermGoal, ServerConfig};
pub use toolchain::{INSTALL_HINT, LakeSearch, Project, Toolchain};
