//! Child processes of Lean: each runs in its own process group so that timeouts and drops
//! kill the whole tree (`lake` → `lean --server` → one `lean --worker` per file), not just the
//! direct child.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use crate::error::{LeanError, Result};

/// Kills a process group when dropped (SIGKILL to `-pgid`).
#[derive(Debug)]
pub struct GroupGuard {
    pgid: Option<i32>,
}

impl GroupGuard {
    pub fn new(child: &Child) -> GroupGuard {
        GroupGuard {
            pgid: child.id().map(|p| p as i32),
        }
    }

    pub fn kill(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            // SAFETY: kill(2) with a negative pid signals the group we created; no memory is
            // involved. A group that already ended makes it return ESRCH, which is fine.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A command in its own process group, in `dir`, with piped stdio.
pub fn command(program: &Path, args: &[&str], dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    cmd
}

pub fn spawn(mut cmd: Command, program: &Path) -> Result<Child> {
    cmd.spawn().map_err(|source| LeanError::Spawn {
        program: program.display().to_string(),
        source,
    })
}

/// What a finished (or killed) command printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Exit code; `None` when killed by a signal (or by our timeout).
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
}

/// Runs a command to completion, killing its process group after `timeout`.
pub async fn run_captured(
    program: &Path,
    args: &[&str],
    dir: &Path,
    timeout: Duration,
) -> Result<Captured> {
    tracing::debug!(program = %program.display(), ?args, dir = %dir.display(), "running");
    run_command(command(program, args, dir), program, timeout).await
}

pub async fn run_command(cmd: Command, program: &Path, timeout: Duration) -> Result<Captured> {
    let mut child = spawn(cmd, program)?;
    let mut guard = GroupGuard::new(&child);
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let read_out = async {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf).await;
        buf
    };
    let read_err = async {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf).await;
        buf
    };
    let work = async { tokio::join!(read_out, read_err, child.wait()) };
    tokio::pin!(work);
    let finished = tokio::select! {
        done = &mut work => Some(done),
        _ = tokio::time::sleep(timeout) => None,
    };
    let timed_out = finished.is_none();
    guard.kill();
    // Once the group is dead its pipes close, so the readers end even after a timeout and
    // whatever Lean printed before it was killed is kept.
    let (out, err, status) = match finished {
        Some(done) => done,
        None => work.await,
    };
    let status = if timed_out {
        None
    } else {
        status
            .map_err(|source| LeanError::Spawn {
                program: program.display().to_string(),
                source,
            })?
            .code()
    };
    Ok(Captured {
        status,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
        timed_out,
    })
}
