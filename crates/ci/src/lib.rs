//! theorist-ci: check a whole Lake project. [`discover`] finds the library's modules from the
//! lakefile, [`config`] reads `theorist.toml`, [`cache`] skips files whose content, imports,
//! toolchain, project setup and config are unchanged (kept outside the checkout), and [`run`]
//! checks the rest in parallel workers through a [`Checker`] (Lean's batch mode in
//! production, inside `theorist_lean`'s sandbox; stand-ins in tests), producing a
//! `theorist_report::Report` that [`confined`] writes into the project without following
//! links; [`kimina`] sends the files to a remote Kimina Lean Server instead.

pub mod cache;
pub mod checker;
pub mod config;
pub mod confined;
pub mod discover;
pub mod kimina;
pub mod numerics;
pub mod run;
pub mod workers;

pub use checker::{Checker, LeanChecker};
pub use config::{CiConfig, ConfigError};
pub use discover::{DiscoverError, Module, discover_modules};
pub use run::{RunOptions, run_checks};

#[cfg(unix)]
fn ordinary_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn ordinary_permissions() -> std::fs::Permissions {
    tempfile::tempfile()
        .and_then(|f| f.metadata())
        .map(|m| m.permissions())
        .expect("a temporary file's permissions")
}

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
    // A temporary file is private (0600); the result keeps the mode of the file it replaces,
    // or gets an ordinary file's.
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| ordinary_permissions());
    tmp.as_file().set_permissions(mode)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
