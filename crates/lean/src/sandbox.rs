//! The sandbox every Lake and Lean process runs in. Elaborating a file runs arbitrary code
//! (`#eval`, `run_cmd`, `initialize`), and with real Lake even the toolchain probe `lake env
//! lean --version` elaborates the project's `lakefile.lean`, so a pull request's code must not
//! see the machine that checks it. Under bubblewrap each process gets:
//!
//! - a file system made of the system's programs and libraries (`/usr`, `/bin`, `/lib*`, the
//!   dynamic loader's files from `/etc`), the toolchain's folder, the project — all read-only —
//!   with the project's `.lake/` writable except `.lake/packages/` (Lake writes the project's
//!   build files and `lakefile.olean` there), a private `/tmp`, a minimal `/dev` and its own
//!   `/proc`. Nothing else exists: not `$HOME`, not `/run` (no docker.sock), not the host's
//!   `/tmp` (no ssh-agent socket), not theorist's reports or cache;
//! - no network: new network, IPC, PID, UTS and user namespaces, so no TCP and no abstract
//!   Unix sockets either; no capabilities (even when theorist runs as root); its own session
//!   (no terminal injection); killed when theorist's child dies (its PID namespace goes with
//!   it, daemons included);
//! - a scrubbed environment: `PATH`, `HOME`, `TMPDIR`, `LANG`/`LC_ALL`, `ELAN_HOME`/
//!   `ELAN_TOOLCHAIN` when set, and only the variables the user names (`--sandbox-env`).
//!
//! [`crate::toolchain`] confines a toolchain before its probe runs; [`crate::batch`] and
//! [`crate::server`] start every process through `Toolchain::command`.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether Lean is confined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SandboxMode {
    /// Unconfined (`--no-sandbox`).
    Off,
    /// In the sandbox where bubblewrap works; otherwise unconfined, and the caller warns.
    #[default]
    Auto,
    /// In the sandbox, or not at all (`--sandbox`).
    Required,
}

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SandboxPolicy {
    pub mode: SandboxMode,
    /// Names of environment variables passed into the sandbox (all others are dropped).
    pub pass_env: Vec<String>,
    /// Further folders visible read-only (a local dependency outside the project, say).
    pub read_only: Vec<PathBuf>,
}

impl SandboxPolicy {
    /// No sandbox (library callers and tests that drive a trusted stand-in).
    pub fn off() -> SandboxPolicy {
        SandboxPolicy {
            mode: SandboxMode::Off,
            ..SandboxPolicy::default()
        }
    }
}

/// Why the sandbox could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    #[error(
        "bubblewrap (`bwrap`) is not on PATH (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)"
    )]
    NotInstalled,
    #[error("bubblewrap cannot create its namespaces on this machine: {detail}")]
    Unavailable { detail: String },
    /// A folder the sandbox would mount is not a plain folder of the project (a symbolic link
    /// in the checkout could otherwise expose or open up anything on the machine).
    #[error("{path}: {why}; refusing to run Lean with it mounted in the sandbox")]
    UnsafeMount { path: PathBuf, why: String },
    #[error("cannot prepare {path} for the sandbox: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A bubblewrap command line for one project and toolchain.
#[derive(Debug, Clone)]
pub struct Sandbox {
    bwrap: PathBuf,
    /// Everything before the program: namespaces, mounts, `--chdir`.
    args: Vec<OsString>,
    /// The whole environment inside.
    env: Vec<(OsString, OsString)>,
    root: PathBuf,
}

/// How a toolchain's processes run.
#[derive(Debug, Clone)]
pub enum Confinement {
    Sandboxed(Sandbox),
    /// The user turned the sandbox off.
    Off,
    /// The sandbox was wanted where available, and is not: why (for the caller's warning).
    Unavailable(String),
}

/// The `bwrap` on PATH.
pub fn find_bwrap() -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join("bwrap"))
        .find(|p| p.is_file())
}

/// Confines the processes of `lake` working on the project at `root`, as `policy` asks: the
/// sandbox is built and tried once (`bwrap … true`), so a machine without user namespaces is
/// found out here rather than by every file failing.
pub async fn confine(
    policy: &SandboxPolicy,
    root: &Path,
    lake: &Path,
    timeout: Duration,
) -> Result<Confinement, SandboxError> {
    let fallback = |e: SandboxError| match policy.mode {
        SandboxMode::Auto => Ok(Confinement::Unavailable(e.to_string())),
        _ => Err(e),
    };
    if policy.mode == SandboxMode::Off {
        return Ok(Confinement::Off);
    }
    let Some(bwrap) = find_bwrap() else {
        return fallback(SandboxError::NotInstalled);
    };
    let sandbox = Sandbox::new(bwrap, policy, root, lake, &Host::current())?;
    match sandbox.self_test(timeout).await {
        Ok(()) => Ok(Confinement::Sandboxed(sandbox)),
        Err(e) => fallback(e),
    }
}

/// What the sandbox takes from the machine theorist runs on.
struct Host {
    vars: Vec<(OsString, OsString)>,
}

impl Host {
    fn current() -> Host {
        Host {
            vars: std::env::vars_os().collect(),
        }
    }

    fn var(&self, name: &str) -> Option<&OsStr> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_os_str())
            .filter(|v| !v.is_empty())
    }
}

/// The system folders a dynamically linked toolchain needs (merged-`/usr` systems have
/// symbolic links for the top-level ones, recreated as links).
const SYSTEM_DIRS: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
];
/// From `/etc`, only what the dynamic loader and `/usr/bin/…` alternatives read.
const SYSTEM_FILES: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/localtime",
];

impl Sandbox {
    /// The sandbox for `lake` working on the project at `root`: the system read-only, an empty
    /// home, the toolchain and `policy`'s folders read-only, the project read-only but for
    /// `.lake/`, and a scrubbed environment.
    fn new(
        bwrap: PathBuf,
        policy: &SandboxPolicy,
        root: &Path,
        lake: &Path,
        host: &Host,
    ) -> Result<Sandbox, SandboxError> {
        let mut a = Args::default();
        system_mounts(&mut a);
        let home = host
            .var("HOME")
            .map(PathBuf::from)
            .filter(|h| h.is_absolute() && h.parent().is_some());
        if let Some(home) = &home {
            // An empty home (the real one is not visible); elan's folder is mounted in it
            // below when the toolchain lives there.
            a.flag("--dir").path(home);
        }
        for dir in toolchain_dirs(lake).iter().chain(&policy.read_only) {
            let dir = std::path::absolute(dir).map_err(|source| SandboxError::Io {
                path: dir.clone(),
                source,
            })?;
            if !is_system(&dir) {
                a.flag("--ro-bind").path(&dir).path(&dir);
            }
        }
        // The project last, so that a toolchain folder above it cannot hide `.lake`'s
        // writable mount.
        project_mounts(&mut a, root)?;
        a.flag("--chdir").path(root);
        Ok(Sandbox {
            bwrap,
            args: a.0,
            env: environment(policy, lake, home, host),
            root: root.to_path_buf(),
        })
    }

    /// `program args…` inside the sandbox, as a command in its own process group (see
    /// [`crate::process::command`]).
    pub fn command(&self, program: &Path, args: &[&str]) -> tokio::process::Command {
        let mut cmd = crate::process::command(&self.bwrap, &[], &self.root);
        cmd.args(&self.args)
            .arg("--")
            .arg(program)
            .args(args)
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    /// The environment inside (for tests and `--json` output).
    pub fn environment(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.env.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }

    async fn self_test(&self, timeout: Duration) -> Result<(), SandboxError> {
        let out = crate::process::run_command(
            self.command(Path::new("true"), &[]),
            &self.bwrap,
            timeout,
            crate::process::OutputLimits::default(),
        )
        .await
        .map_err(|e| SandboxError::Unavailable {
            detail: e.to_string(),
        })?;
        if out.status == Some(0) {
            Ok(())
        } else {
            Err(SandboxError::Unavailable {
                detail: out
                    .stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("it exited without saying why")
                    .trim()
                    .to_string(),
            })
        }
    }
}

/// A bubblewrap argument list under construction.
#[derive(Default)]
struct Args(Vec<OsString>);

impl Args {
    fn flag(&mut self, f: &str) -> &mut Args {
        self.0.push(f.into());
        self
    }

    fn flags(&mut self, fs: &[&str]) {
        self.0.extend(fs.iter().map(OsString::from));
    }

    fn path(&mut self, p: &Path) -> &mut Args {
        self.0.push(p.as_os_str().to_os_string());
        self
    }
}

/// No network, no capabilities, private `/proc`, `/dev` and `/tmp`, and the system folders and
/// files a dynamically linked toolchain needs, read-only.
fn system_mounts(a: &mut Args) {
    a.flags(&[
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]);
    for dir in SYSTEM_DIRS {
        let path = Path::new(dir);
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                if let Ok(target) = std::fs::read_link(path) {
                    a.flag("--symlink").path(&target).path(path);
                }
            }
            Ok(m) if m.is_dir() => {
                a.flag("--ro-bind").path(path).path(path);
            }
            _ => {}
        }
    }
    for file in SYSTEM_FILES {
        a.flag("--ro-bind-try")
            .path(Path::new(file))
            .path(Path::new(file));
    }
}

/// The project read-only, its `.lake/` writable (created first, as Lake would on its first
/// run), and `.lake/packages` read-only again. Neither may be a link the checkout planted.
fn project_mounts(a: &mut Args, root: &Path) -> Result<(), SandboxError> {
    a.flag("--ro-bind").path(root).path(root);
    let lake_dir = root.join(".lake");
    match std::fs::symlink_metadata(&lake_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir(&lake_dir).map_err(|source| SandboxError::Io {
                path: lake_dir.clone(),
                source,
            })?;
        }
        other => plain_dir(&lake_dir, other)?,
    }
    a.flag("--bind").path(&lake_dir).path(&lake_dir);
    let packages = lake_dir.join("packages");
    match std::fs::symlink_metadata(&packages) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        other => {
            plain_dir(&packages, other)?;
            a.flag("--ro-bind").path(&packages).path(&packages);
        }
    }
    Ok(())
}

/// The environment inside: `PATH` (the toolchain's folders, then the system's), `HOME`,
/// `TMPDIR`, the locale, elan's variables and those `policy` passes; nothing else.
fn environment(
    policy: &SandboxPolicy,
    lake: &Path,
    home: Option<PathBuf>,
    host: &Host,
) -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = Vec::new();
    let mut path_var: Vec<PathBuf> = Vec::new();
    for dir in lake_dirs(lake) {
        if !path_var.contains(&dir) {
            path_var.push(dir);
        }
    }
    path_var.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(PathBuf::from));
    env.push((
        "PATH".into(),
        std::env::join_paths(&path_var).unwrap_or_else(|_| "/usr/bin:/bin".into()),
    ));
    env.push((
        "HOME".into(),
        home.map_or_else(|| "/tmp".into(), PathBuf::into_os_string),
    ));
    env.push(("TMPDIR".into(), "/tmp".into()));
    for (name, default) in [("LANG", Some("C.UTF-8")), ("LC_ALL", None)] {
        match (host.var(name), default) {
            (Some(v), _) => env.push((name.into(), v.to_os_string())),
            (None, Some(d)) => env.push((name.into(), d.into())),
            (None, None) => {}
        }
    }
    let passed = ["ELAN_HOME", "ELAN_TOOLCHAIN"]
        .into_iter()
        .chain(policy.pass_env.iter().map(String::as_str));
    for name in passed {
        if let Some(v) = host.var(name) {
            if !env.iter().any(|(k, _)| k == name) {
                env.push((name.into(), v.to_os_string()));
            }
        }
    }
    env
}

fn plain_dir(
    path: &Path,
    metadata: std::io::Result<std::fs::Metadata>,
) -> Result<(), SandboxError> {
    match metadata {
        Ok(m) if m.file_type().is_symlink() => Err(SandboxError::UnsafeMount {
            path: path.to_path_buf(),
            why: "a symbolic link, not a folder".into(),
        }),
        Ok(m) if !m.is_dir() => Err(SandboxError::UnsafeMount {
            path: path.to_path_buf(),
            why: "not a folder".into(),
        }),
        Ok(_) => Ok(()),
        Err(source) => Err(SandboxError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Already visible through the system folders.
fn is_system(dir: &Path) -> bool {
    SYSTEM_DIRS.iter().any(|s| dir.starts_with(s) && *s != "/")
}

/// The folders `lake` lives in: the one it was named by and, through symbolic links, the one
/// it really is in.
fn lake_dirs(lake: &Path) -> Vec<PathBuf> {
    let named = std::path::absolute(lake).unwrap_or_else(|_| lake.to_path_buf());
    let real = std::fs::canonicalize(lake).unwrap_or_else(|_| named.clone());
    let mut dirs = Vec::new();
    for p in [named, real] {
        if let Some(d) = p.parent() {
            if !dirs.iter().any(|x: &PathBuf| x == d) {
                dirs.push(d.to_path_buf());
            }
        }
    }
    dirs
}

/// The toolchain folders to mount: for `X/bin/lake`, all of `X` when it is an elan home
/// (`X/toolchains`) or a Lean toolchain (`X/bin/lean`, `X/lib/lean`); otherwise only `lake`'s
/// own folder (never a whole home folder that happens to have a `bin/`).
fn toolchain_dirs(lake: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for bin in lake_dirs(lake) {
        let whole = bin
            .parent()
            .filter(|_| bin.file_name().is_some_and(|n| n == "bin"))
            .filter(|x| {
                x.parent().is_some()
                    && (x.join("toolchains").is_dir()
                        || x.join("bin/lean").is_file()
                        || x.join("lib/lean").is_dir())
            })
            .map(Path::to_path_buf);
        let dir = whole.unwrap_or(bin);
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(vars: &[(&str, &str)]) -> Host {
        Host {
            vars: vars.iter().map(|(k, v)| (k.into(), v.into())).collect(),
        }
    }

    fn args_text(s: &Sandbox) -> Vec<String> {
        s.args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    /// `flag a b` appears in the argument list.
    fn has(args: &[String], flag: &str, a: &Path, b: &Path) -> bool {
        args.windows(3)
            .any(|w| w[0] == flag && w[1] == a.to_string_lossy() && w[2] == b.to_string_lossy())
    }

    #[test]
    fn mounts_the_project_read_only_and_only_lake_writable() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("proj");
        std::fs::create_dir_all(root.join(".lake/packages/mathlib")).unwrap();
        let tc = tmp.path().join("tc");
        std::fs::create_dir_all(tc.join("bin")).unwrap();
        std::fs::write(tc.join("bin/lean"), "").unwrap();
        std::fs::write(tc.join("bin/lake"), "").unwrap();
        let s = Sandbox::new(
            "/usr/bin/bwrap".into(),
            &SandboxPolicy::default(),
            &root,
            &tc.join("bin/lake"),
            &host(&[("HOME", "/home/u"), ("GITHUB_TOKEN", "secret")]),
        )
        .unwrap();
        let args = args_text(&s);
        assert!(has(&args, "--ro-bind", &root, &root));
        assert!(has(
            &args,
            "--bind",
            &root.join(".lake"),
            &root.join(".lake")
        ));
        assert!(has(
            &args,
            "--ro-bind",
            &root.join(".lake/packages"),
            &root.join(".lake/packages")
        ));
        assert!(has(&args, "--ro-bind", &tc, &tc), "the whole toolchain");
        for f in ["--unshare-all", "--die-with-parent", "--new-session"] {
            assert!(args.iter().any(|a| a == f), "{f}");
        }
        // The writable .lake comes after the read-only project, packages after .lake.
        let pos = |flag: &str, p: &Path| {
            args.windows(2)
                .position(|w| w[0] == flag && w[1] == p.to_string_lossy())
                .unwrap()
        };
        assert!(pos("--ro-bind", &root) < pos("--bind", &root.join(".lake")));
        assert!(
            pos("--bind", &root.join(".lake")) < pos("--ro-bind", &root.join(".lake/packages"))
        );
        // No secret in the environment.
        let env: Vec<String> = s
            .environment()
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        assert!(!env.contains(&"GITHUB_TOKEN".to_string()), "{env:?}");
        assert!(env.contains(&"PATH".to_string()));
    }

    #[test]
    fn named_variables_pass_and_others_do_not() {
        let tmp = tempfile::tempdir().unwrap();
        let policy = SandboxPolicy {
            pass_env: vec!["MY_SETTING".into()],
            ..SandboxPolicy::default()
        };
        let s = Sandbox::new(
            "/usr/bin/bwrap".into(),
            &policy,
            tmp.path(),
            Path::new("/usr/bin/true"),
            &host(&[
                ("MY_SETTING", "1"),
                ("AWS_SECRET_ACCESS_KEY", "x"),
                ("ELAN_HOME", "/opt/elan"),
            ]),
        )
        .unwrap();
        let env: Vec<(String, String)> = s
            .environment()
            .map(|(k, v)| (k.to_string_lossy().into(), v.to_string_lossy().into()))
            .collect();
        assert!(env.contains(&("MY_SETTING".into(), "1".into())));
        assert!(env.contains(&("ELAN_HOME".into(), "/opt/elan".into())));
        assert!(!env.iter().any(|(k, _)| k == "AWS_SECRET_ACCESS_KEY"));
    }

    #[test]
    fn a_symlinked_lake_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), tmp.path().join(".lake")).unwrap();
        let err = Sandbox::new(
            "/usr/bin/bwrap".into(),
            &SandboxPolicy::default(),
            tmp.path(),
            Path::new("/usr/bin/true"),
            &host(&[]),
        )
        .unwrap_err();
        assert!(matches!(err, SandboxError::UnsafeMount { .. }), "{err}");
        assert!(err.to_string().contains("symbolic link"), "{err}");
    }

    #[test]
    fn toolchain_folders_are_the_toolchain_not_a_home() {
        let tmp = tempfile::tempdir().unwrap();
        // elan: ~/.elan/bin/lake with ~/.elan/toolchains.
        let elan = tmp.path().join(".elan");
        std::fs::create_dir_all(elan.join("bin")).unwrap();
        std::fs::create_dir_all(elan.join("toolchains")).unwrap();
        std::fs::write(elan.join("bin/lake"), "").unwrap();
        assert_eq!(
            toolchain_dirs(&elan.join("bin/lake")),
            std::slice::from_ref(&elan)
        );
        // A `lake` in a home's bin/: only that folder.
        let home = tmp.path().join("home");
        std::fs::create_dir_all(home.join("bin")).unwrap();
        std::fs::write(home.join("bin/lake"), "").unwrap();
        assert_eq!(toolchain_dirs(&home.join("bin/lake")), [home.join("bin")]);
        // Through a symbolic link: both folders.
        let link_dir = tmp.path().join("links");
        std::fs::create_dir_all(&link_dir).unwrap();
        std::os::unix::fs::symlink(elan.join("bin/lake"), link_dir.join("lake")).unwrap();
        assert_eq!(toolchain_dirs(&link_dir.join("lake")), [link_dir, elan]);
    }
}
