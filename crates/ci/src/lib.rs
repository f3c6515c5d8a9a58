//! theorist-ci: check a whole Lake project. [`discover`] finds the library's modules from the
//! lakefile, [`config`] reads `theorist.toml`, [`cache`] skips files whose content, imports,
//! toolchain and config are unchanged, and [`run`] checks the rest in parallel workers
//! through a [`Checker`] (Lean's batch mode in production, stand-ins in tests), producing a
//! `theorist_report::Report`; [`sandbox`] confines Lean with bubblewrap for untrusted code, and
//! [`kimina`] sends the files to a remote Kimina Lean Server instead.

pub mod cache;
pub mod checker;
pub mod config;
pub mod discover;
pub mod kimina;
pub mod numerics;
pub mod run;
pub mod sandbox;

pub use checker::{Checker, LeanChecker};
pub use config::{CiConfig, ConfigError};
pub use discover::{DiscoverError, Module, discover_modules};
pub use run::{RunOptions, run_checks};

/// Atomically replaces `path` with `bytes` (temp file in the same folder, then rename), so a
/// killed run never leaves a half-written file.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
