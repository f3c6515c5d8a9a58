//! Child processes of Lean: each runs in its own process group so that timeouts and drops
//! kill the whole tree (`lake` → `lean --server` → one `lean --worker` per file), not just the
//! direct child. SIGKILL, so a child that ignores SIGTERM goes too. A descendant that left the
//! group (a daemon: `setsid`, double fork) but still holds our output pipes is found through
//! `/proc` and killed as well, and no wait for output outlasts a short grace after the child
//! ended or the deadline passed. Output is read with a cap: stdout up to
//! [`OutputLimits::stdout_max`] (more marks the run truncated), stderr only its tail.

use std::collections::HashSet;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio::time::Instant;

use crate::error::{LeanError, Result};

/// Process groups alive now, so that a signal to theorist can take them down with it.
static LIVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// How long output may still be drained after the child ended or was killed.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// Kills a process group when dropped (SIGKILL to `-pgid`), and whatever still holds its
/// output pipes.
#[derive(Debug)]
pub struct GroupGuard {
    pgid: Option<i32>,
    pipes: Vec<u64>,
}

impl GroupGuard {
    pub fn new(child: &Child) -> GroupGuard {
        let pgid = child.id().map(|p| p as i32);
        if let Some(g) = pgid {
            LIVE_GROUPS.lock().expect("live groups lock").push(g);
        }
        let mut pipes = Vec::new();
        if let Some(out) = &child.stdout {
            pipes.extend(pipe_inode(out.as_raw_fd()));
        }
        if let Some(err) = &child.stderr {
            pipes.extend(pipe_inode(err.as_raw_fd()));
        }
        GroupGuard { pgid, pipes }
    }

    /// SIGKILL to the whole group.
    pub fn kill(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            kill_group(pgid);
            LIVE_GROUPS
                .lock()
                .expect("live groups lock")
                .retain(|&g| g != pgid);
        }
    }

    /// Also kills every process outside the group that still holds one of the child's output
    /// pipes (a daemonised grandchild).
    pub fn kill_escaped(&mut self) {
        self.kill();
        kill_pipe_holders(&self.pipes);
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        if self.pgid.is_some() {
            self.kill_escaped();
        }
    }
}

fn kill_group(pgid: i32) {
    // SAFETY: kill(2) with a negative pid signals the group we created; no memory is
    // involved. A group that already ended makes it return ESRCH, which is fine.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// Kills every process group theorist started that is still alive (on SIGINT/SIGTERM: the
/// groups do not get the terminal's signals, being groups of their own).
pub fn kill_all_groups() {
    let groups = std::mem::take(&mut *LIVE_GROUPS.lock().expect("live groups lock"));
    for g in groups {
        kill_group(g);
    }
}

/// The inode of the pipe behind `fd`, if it is one.
fn pipe_inode(fd: i32) -> Option<u64> {
    // SAFETY: fstat on a descriptor we own, into a zeroed stat buffer.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::fstat(fd, &mut st) } == 0;
    (ok && (st.st_mode & libc::S_IFMT) == libc::S_IFIFO).then_some(st.st_ino)
}

/// The parent pid in `/proc/PID/stat` (the field after the parenthesised command name, which
/// may itself contain spaces and parentheses).
fn parent_of(proc_dir: &std::path::Path) -> Option<u32> {
    let stat = std::fs::read_to_string(proc_dir.join("stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// SIGKILL to every other process with one of these pipes open (Linux `/proc`; elsewhere a
/// no-op, and the drain grace still bounds the wait).
fn kill_pipe_holders(inodes: &[u64]) {
    if inodes.is_empty() {
        return;
    }
    let wanted: HashSet<String> = inodes.iter().map(|i| format!("pipe:[{i}]")).collect();
    let me = std::process::id();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in procs.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        // Our own children are never escapees (each is in a group a guard owns), and they
        // may hold a pipe whose inode number a finished child's pipe had: in a process that
        // runs several Lean children at once (ci workers, the test binaries) killing them
        // would take down a sibling. An escaped grandchild has been re-parented away from us.
        if pid == me || parent_of(&entry.path()) == Some(me) {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        let holds = fds.flatten().any(|fd| {
            std::fs::read_link(fd.path())
                .is_ok_and(|target| wanted.contains(target.to_string_lossy().as_ref()))
        });
        if holds {
            tracing::warn!(
                pid,
                "killing a process that left Lean's process group but still holds its output"
            );
            // SAFETY: kill(2) on a pid read from /proc; a process that already ended makes it
            // return ESRCH.
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
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
    // A program written just before (a wrapper script) may still be open for writing in a
    // child that another thread forked meanwhile; that copy closes when the child execs, so
    // "text file busy" passes within milliseconds: retried briefly, never reported for it.
    let mut tries: u64 = 0;
    loop {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 20 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(5 * tries));
            }
            r => {
                return r.map_err(|source| LeanError::Spawn {
                    program: program.display().to_string(),
                    source,
                });
            }
        }
    }
}

/// How much of a child's output is kept.
#[derive(Debug, Clone, Copy)]
pub struct OutputLimits {
    /// Bytes of stdout kept; beyond them the run is marked truncated (and the rest drained).
    pub stdout_max: usize,
    /// Bytes kept from the end of stderr.
    pub stderr_tail: usize,
}

impl Default for OutputLimits {
    fn default() -> Self {
        OutputLimits {
            stdout_max: 256 << 20,
            stderr_tail: 64 << 10,
        }
    }
}

/// What a finished (or killed) command printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Exit code; `None` when killed by a signal (or by our timeout).
    pub status: Option<i32>,
    pub stdout: String,
    /// The last [`OutputLimits::stderr_tail`] bytes of stderr.
    pub stderr: String,
    pub timed_out: bool,
    /// Stdout was longer than [`OutputLimits::stdout_max`]; what is kept is its start.
    pub stdout_truncated: bool,
    /// Bytes of stderr not kept.
    pub stderr_dropped: u64,
}

/// Runs a command to completion, killing its process group after `timeout`.
pub async fn run_captured(
    program: &Path,
    args: &[&str],
    dir: &Path,
    timeout: Duration,
) -> Result<Captured> {
    tracing::debug!(program = %program.display(), ?args, dir = %dir.display(), "running");
    run_command(
        command(program, args, dir),
        program,
        timeout,
        OutputLimits::default(),
    )
    .await
}

/// Runs `cmd`; its output is read under `limits`, and nothing waits past `timeout` plus a short
/// grace for draining output.
pub async fn run_command(
    cmd: Command,
    program: &Path,
    timeout: Duration,
    limits: OutputLimits,
) -> Result<Captured> {
    let deadline = Instant::now() + timeout;
    let mut child = spawn(cmd, program)?;
    let mut guard = GroupGuard::new(&child);
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut out = CappedBuf::new(limits.stdout_max);
    let mut err = TailBuf::new(limits.stderr_tail);
    let mut status = None;
    let mut timed_out = false;
    {
        let readers = async { tokio::join!(out.fill(stdout), err.fill(stderr)) };
        tokio::pin!(readers);
        let mut readers_done = false;
        loop {
            tokio::select! {
                s = child.wait(), if status.is_none() => {
                    status = Some(s);
                }
                _ = &mut readers, if !readers_done => readers_done = true,
                _ = tokio::time::sleep_until(deadline) => {
                    timed_out = true;
                    break;
                }
            }
            if status.is_some() {
                break;
            }
        }
        // The child ended or ran out of time. Its group goes now (after a timeout, with
        // whatever escaped it: nothing may keep us waiting); output still buffered in the
        // pipes is drained.
        if timed_out {
            guard.kill_escaped();
            status = tokio::time::timeout(DRAIN_GRACE, child.wait()).await.ok();
        } else {
            guard.kill();
        }
        if !readers_done {
            let grace_end = Instant::now() + DRAIN_GRACE;
            if tokio::time::timeout_at(grace_end, &mut readers)
                .await
                .is_err()
            {
                guard.kill_escaped();
                let _ = tokio::time::timeout(DRAIN_GRACE, &mut readers).await;
            }
        }
    }
    let status = if timed_out {
        None
    } else {
        status
            .expect("the child ended")
            .map_err(|source| LeanError::Spawn {
                program: program.display().to_string(),
                source,
            })?
            .code()
    };
    Ok(Captured {
        status,
        stdout: into_string(out.bytes),
        stderr: into_string(err.bytes),
        timed_out,
        stdout_truncated: out.truncated,
        stderr_dropped: err.dropped,
    })
}

fn into_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Keeps the first `max` bytes of a stream and drains the rest.
struct CappedBuf {
    bytes: Vec<u8>,
    max: usize,
    truncated: bool,
}

impl CappedBuf {
    fn new(max: usize) -> CappedBuf {
        CappedBuf {
            bytes: Vec::new(),
            max,
            truncated: false,
        }
    }

    async fn fill<R: AsyncRead + Unpin>(&mut self, mut r: R) {
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            match r.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    let room = self.max.saturating_sub(self.bytes.len());
                    if n > room {
                        self.truncated = true;
                    }
                    self.bytes.extend_from_slice(&chunk[..n.min(room)]);
                }
            }
        }
    }
}

/// Keeps the last `keep` bytes of a stream.
struct TailBuf {
    bytes: Vec<u8>,
    keep: usize,
    dropped: u64,
}

impl TailBuf {
    fn new(keep: usize) -> TailBuf {
        TailBuf {
            bytes: Vec::new(),
            keep,
            dropped: 0,
        }
    }

    async fn fill<R: AsyncRead + Unpin>(&mut self, mut r: R) {
        let mut chunk = vec![0u8; 64 << 10];
        loop {
            match r.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    self.bytes.extend_from_slice(&chunk[..n]);
                    if self.bytes.len() > 2 * self.keep.max(1) {
                        let cut = self.bytes.len() - self.keep;
                        self.bytes.drain(..cut);
                        self.dropped += cut as u64;
                    }
                }
            }
        }
        if self.bytes.len() > self.keep {
            let cut = self.bytes.len() - self.keep;
            self.bytes.drain(..cut);
            self.dropped += cut as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        command(Path::new("/bin/sh"), &["-c", script], Path::new("."))
    }

    #[tokio::test]
    async fn stderr_is_kept_as_a_tail_and_stdout_with_a_cap() {
        let limits = OutputLimits {
            stdout_max: 1000,
            stderr_tail: 100,
        };
        let out = run_command(
            sh("head -c 5000000 /dev/zero >&2; echo last-line >&2; head -c 3000 /dev/zero | tr '\\0' x"),
            Path::new("/bin/sh"),
            Duration::from_secs(60),
            limits,
        )
        .await
        .unwrap();
        assert_eq!(out.status, Some(0));
        assert_eq!(out.stderr.len(), 100);
        assert!(out.stderr.ends_with("last-line\n"));
        assert_eq!(out.stderr_dropped, 5_000_010 - 100);
        assert_eq!(out.stdout.len(), 1000);
        assert!(out.stdout_truncated);
    }

    #[tokio::test]
    async fn a_daemon_holding_stdout_does_not_hold_us() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("daemon.pid");
        // The grandchild leaves the group (setsid) and keeps stdout open; the child exits.
        let script = format!(
            "setsid sh -c 'echo $$ > {p}; exec sleep 300' & while [ ! -s {p} ]; do sleep 0.05; done; echo done",
            p = pidfile.display()
        );
        let started = std::time::Instant::now();
        let out = run_command(
            sh(&script),
            Path::new("/bin/sh"),
            Duration::from_secs(60),
            OutputLimits::default(),
        )
        .await
        .unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(out.status, Some(0));
        assert_eq!(out.stdout.trim(), "done");
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(!alive(pid), "the daemon {pid} outlived the run");
    }

    #[tokio::test]
    async fn a_timeout_kills_a_sigterm_ignoring_group_and_its_daemon() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("daemon.pid");
        let script = format!(
            "trap '' TERM; setsid sh -c 'echo $$ > {p}; exec sleep 300' & while [ ! -s {p} ]; do sleep 0.05; done; echo started; sleep 300",
            p = pidfile.display()
        );
        let started = std::time::Instant::now();
        let out = run_command(
            sh(&script),
            Path::new("/bin/sh"),
            Duration::from_secs(2),
            OutputLimits::default(),
        )
        .await
        .unwrap();
        assert!(out.timed_out);
        assert_eq!(out.status, None);
        assert!(out.stdout.contains("started"));
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        let pid: i32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(!alive(pid), "the daemon {pid} outlived the timeout");
    }

    /// Whether `pid` still runs (a zombie waiting for its parent counts as ended).
    fn alive(pid: i32) -> bool {
        for _ in 0..50 {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| s.rsplit(')').next().map(|r| r.trim().chars().next()));
            match state {
                None | Some(Some('Z')) | Some(Some('X')) => return false,
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        true
    }
}
