//! `--sandbox`: Lean elaboration runs arbitrary code (`#eval`, `run_cmd`, `initialize`), so
//! files from untrusted pull requests are checked under bubblewrap: the whole file system
//! read-only (the project and `/tmp` included), only the listed folders writable (`TMPDIR`
//! points into the first), no network (a new network namespace has only a down loopback), its
//! own PID namespace, and killed with its parent.

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    #[error(
        "--sandbox needs bubblewrap (`bwrap`), which is not on PATH (Debian: apt-get install bubblewrap)"
    )]
    NotInstalled,
    #[error("bubblewrap cannot create its namespaces on this machine: {detail}")]
    Unavailable { detail: String },
    #[error("cannot create {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The `bwrap` found on PATH.
pub fn find_bwrap() -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("bwrap"))
        .find(|p| p.is_file())
}

/// The command prefix that runs a program in the sandbox with `writable` folders (created if
/// missing). Checks once that bubblewrap works here, so a machine without user namespaces gets
/// a clear error instead of every file failing.
pub fn bwrap_prefix(writable: &[&Path]) -> Result<Vec<String>, SandboxError> {
    let bwrap = find_bwrap().ok_or(SandboxError::NotInstalled)?;
    let mut args: Vec<String> = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for dir in writable {
        std::fs::create_dir_all(dir).map_err(|source| SandboxError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let d = dir.to_string_lossy().into_owned();
        args.extend(["--bind".to_string(), d.clone(), d]);
    }
    if let Some(first) = writable.first() {
        let tmp = first.join("tmp");
        std::fs::create_dir_all(&tmp).map_err(|source| SandboxError::Io {
            path: tmp.clone(),
            source,
        })?;
        args.extend([
            "--setenv".to_string(),
            "TMPDIR".to_string(),
            tmp.to_string_lossy().into_owned(),
        ]);
    }
    args.extend(
        [
            "--unshare-net",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--die-with-parent",
            "--new-session",
            "--",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let probe = Command::new(&bwrap)
        .args(&args)
        .arg("true")
        .output()
        .map_err(|e| SandboxError::Unavailable {
            detail: e.to_string(),
        })?;
    if !probe.status.success() {
        return Err(SandboxError::Unavailable {
            detail: String::from_utf8_lossy(&probe.stderr).trim().to_string(),
        });
    }
    let mut prefix = vec![bwrap.to_string_lossy().into_owned()];
    prefix.extend(args);
    Ok(prefix)
}
