//! Finding the Lake project of a file and the `lake` that drives Lean. Everything Lean is
//! reached through that one executable (`lake serve --`, `lake env lean …`), started by
//! [`Toolchain::command`] (inside the [`crate::sandbox`] when there is one), so pointing
//! `THEORIST_LAKE` at a stand-in drives the whole tool.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{LeanError, Result};
use crate::process::{Captured, OutputLimits, run_command};
use crate::sandbox::{Confinement, SandboxPolicy, confine};

/// How to install Lean, for messages that say none was found.
pub const INSTALL_HINT: &str = "install Lean with elan (https://github.com/leanprover/elan):\n  curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -sSf | sh\nthen, in the project, `lake exe cache get` (for Mathlib) and `lake build`; or point --lake or THEORIST_LAKE at a `lake` executable";

/// A Lake project: the folder with the lakefile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub root: PathBuf,
    pub lakefile: PathBuf,
    /// The contents of `lean-toolchain`, e.g. `leanprover/lean4:v4.22.0`.
    pub toolchain: Option<String>,
}

impl Project {
    /// The project that contains `path` (a file or folder): the nearest folder upwards with a
    /// `lakefile.lean` or `lakefile.toml`.
    pub fn containing(path: &Path) -> Result<Project> {
        let abs = std::path::absolute(path).map_err(|source| LeanError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let mut dir = if abs.is_dir() {
            abs.clone()
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        loop {
            for name in ["lakefile.lean", "lakefile.toml"] {
                let lakefile = dir.join(name);
                if lakefile.is_file() {
                    let toolchain = std::fs::read_to_string(dir.join("lean-toolchain"))
                        .ok()
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty());
                    return Ok(Project {
                        root: dir,
                        lakefile,
                        toolchain,
                    });
                }
            }
            if !dir.pop() {
                return Err(LeanError::NoProject {
                    path: path.to_path_buf(),
                });
            }
        }
    }
}

/// Where to look for `lake`, in order: an explicit path (`--lake`), `$THEORIST_LAKE`,
/// elan's `~/.elan/bin/lake`, then `PATH`.
#[derive(Debug, Clone, Default)]
pub struct LakeSearch {
    pub explicit: Option<PathBuf>,
    pub env: Option<OsString>,
    pub home: Option<PathBuf>,
    pub path: Option<OsString>,
}

impl LakeSearch {
    /// The search this process would do, with `explicit` from the command line.
    pub fn from_env(explicit: Option<PathBuf>) -> LakeSearch {
        LakeSearch {
            explicit,
            env: std::env::var_os("THEORIST_LAKE").filter(|v| !v.is_empty()),
            home: std::env::var_os("HOME").map(PathBuf::from),
            path: std::env::var_os("PATH"),
        }
    }

    /// The first `lake` found, or every place that was looked at.
    pub fn find(&self) -> Result<PathBuf> {
        let mut searched = Vec::new();
        if let Some(p) = &self.explicit {
            if is_executable(p) {
                return Ok(p.clone());
            }
            searched.push(format!("--lake {} (not an executable file)", p.display()));
            // An explicit choice that fails is not silently replaced by another toolchain.
            return Err(LeanError::ToolchainNotFound { searched });
        }
        searched.push("--lake (not given)".to_string());
        match &self.env {
            Some(v) => {
                let p = PathBuf::from(v);
                if is_executable(&p) {
                    return Ok(p);
                }
                searched.push(format!(
                    "$THEORIST_LAKE={} (not an executable file)",
                    p.display()
                ));
                return Err(LeanError::ToolchainNotFound { searched });
            }
            None => searched.push("$THEORIST_LAKE (not set)".to_string()),
        }
        if let Some(home) = &self.home {
            let p = home.join(".elan").join("bin").join("lake");
            if is_executable(&p) {
                return Ok(p);
            }
            searched.push(format!("{} (not found)", p.display()));
        }
        match &self.path {
            Some(path) => {
                for dir in std::env::split_paths(path) {
                    let p = dir.join("lake");
                    if is_executable(&p) {
                        return Ok(p);
                    }
                }
                searched.push(format!("PATH={} (no `lake`)", path.to_string_lossy()));
            }
            None => searched.push("PATH (not set)".to_string()),
        }
        Err(LeanError::ToolchainNotFound { searched })
    }
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// A working toolchain for one project.
#[derive(Debug, Clone)]
pub struct Toolchain {
    pub lake: PathBuf,
    pub project: Project,
    /// What `lake env lean --version` printed, e.g. `Lean (version 4.22.0, …)`.
    pub lean_version: String,
    /// Whether its processes run in the sandbox.
    pub confinement: Confinement,
}

impl Toolchain {
    /// Finds `lake`, confines it as `sandbox` asks, and asks it for Lean's version inside
    /// `project` (which also proves that the toolchain runs), waiting at most `timeout` for the
    /// answer. The probe already runs in the sandbox: with real Lake it elaborates the
    /// project's lakefile. A probe that hangs is a [`LeanError::Timeout`], not a missing
    /// toolchain.
    pub async fn resolve(
        search: &LakeSearch,
        project: Project,
        timeout: Duration,
        sandbox: &SandboxPolicy,
    ) -> Result<Toolchain> {
        let lake = search.find()?;
        let confinement = confine(sandbox, &project.root, &lake, timeout).await?;
        let mut toolchain = Toolchain {
            lake,
            project,
            lean_version: String::new(),
            confinement,
        };
        let Captured {
            status,
            stdout,
            stderr,
            timed_out,
            ..
        } = run_command(
            toolchain.command(&["env", "lean", "--version"]),
            &toolchain.lake,
            timeout,
            OutputLimits::default(),
        )
        .await?;
        let version = stdout
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        if timed_out {
            return Err(LeanError::Timeout {
                method: format!("`{} env lean --version`", toolchain.lake.display()),
                after: timeout,
            });
        }
        if status != Some(0) || version.is_empty() {
            let detail = format!(
                "`lake env lean --version` exited with {} ({})",
                status.map_or("a signal".to_string(), |s| s.to_string()),
                last_line(&stderr).unwrap_or("no output")
            );
            return Err(LeanError::ToolchainBroken {
                lake: toolchain.lake,
                detail,
            });
        }
        toolchain.lean_version = version;
        Ok(toolchain)
    }

    /// `lake args…` in the project root, in its own process group, inside the sandbox when
    /// the toolchain has one.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        match &self.confinement {
            Confinement::Sandboxed(sandbox) => sandbox.command(&self.lake, args),
            Confinement::Off | Confinement::Unavailable(_) => {
                crate::process::command(&self.lake, args, &self.project.root)
            }
        }
    }

    /// The Lean version `lake` reported and the one the project's `lean-toolchain` pins, when
    /// both are release numbers and they differ (elan would normally pick the pinned one; a
    /// `lake` found elsewhere may not).
    pub fn version_mismatch(&self) -> Option<(String, String)> {
        let pinned = self.project.toolchain.as_deref()?;
        let pinned = pinned.rsplit(':').next()?.trim().trim_start_matches('v');
        let running = self
            .lean_version
            .split("version ")
            .nth(1)?
            .split([',', ' ', ')'])
            .next()?;
        let is_release = |v: &str| {
            let core = v.split('-').next().unwrap_or("");
            core.split('.').count() == 3
                && core
                    .split('.')
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        };
        (is_release(pinned) && is_release(running) && pinned != running)
            .then(|| (running.to_string(), pinned.to_string()))
    }
}

fn last_line(s: &str) -> Option<&str> {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exe(dir: &Path, name: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join(name);
        std::fs::write(&p, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    #[test]
    fn search_order_is_explicit_env_elan_path() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(home.join(".elan/bin")).unwrap();
        let bin = tmp.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let on_path = exe(&bin, "lake");
        let mut s = LakeSearch {
            home: Some(home.clone()),
            path: Some(bin.clone().into_os_string()),
            ..Default::default()
        };
        assert_eq!(s.find().unwrap(), on_path);
        let elan = exe(&home.join(".elan/bin"), "lake");
        assert_eq!(s.find().unwrap(), elan);
        let env = exe(tmp.path(), "env-lake");
        s.env = Some(env.clone().into_os_string());
        assert_eq!(s.find().unwrap(), env);
        let explicit = exe(tmp.path(), "explicit-lake");
        s.explicit = Some(explicit.clone());
        assert_eq!(s.find().unwrap(), explicit);
    }

    #[test]
    fn not_found_lists_every_place() {
        let s = LakeSearch {
            home: Some("/nonexistent-home".into()),
            path: Some("/nonexistent-bin".into()),
            ..Default::default()
        };
        let LeanError::ToolchainNotFound { searched } = s.find().unwrap_err() else {
            panic!()
        };
        assert_eq!(searched.len(), 4, "{searched:?}");
        assert!(searched[2].contains("/nonexistent-home/.elan/bin/lake"));
        assert!(searched[3].contains("/nonexistent-bin"));
    }

    #[test]
    fn a_bad_explicit_lake_is_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let bin = tmp.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        exe(&bin, "lake");
        let s = LakeSearch {
            explicit: Some("/no/such/lake".into()),
            path: Some(bin.into_os_string()),
            ..Default::default()
        };
        assert!(s.find().is_err());
    }

    #[test]
    fn a_version_other_than_the_pinned_one_is_noticed() {
        let project = |pin: &str| Project {
            root: "/p".into(),
            lakefile: "/p/lakefile.lean".into(),
            toolchain: Some(pin.to_string()),
        };
        let tc = |pin: &str, version: &str| Toolchain {
            lake: "/bin/lake".into(),
            project: project(pin),
            lean_version: version.to_string(),
            confinement: Confinement::Off,
        };
        let v = "Lean (version 4.22.0, x86_64-unknown-linux-gnu, commit abc, Release)";
        assert_eq!(tc("leanprover/lean4:v4.22.0", v).version_mismatch(), None);
        assert_eq!(
            tc("leanprover/lean4:v4.28.0", v).version_mismatch(),
            Some(("4.22.0".into(), "4.28.0".into()))
        );
        assert_eq!(
            tc("leanprover/lean4:v4.22.0-rc3", v).version_mismatch(),
            Some(("4.22.0".into(), "4.22.0-rc3".into()))
        );
        assert_eq!(
            tc("leanprover/lean4:nightly-2025-08-01", v).version_mismatch(),
            None
        );
    }

    #[test]
    fn project_is_found_upwards() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("lakefile.toml"), "name = \"x\"\n").unwrap();
        std::fs::write(
            tmp.path().join("lean-toolchain"),
            "leanprover/lean4:v4.22.0\n",
        )
        .unwrap();
        std::fs::create_dir_all(tmp.path().join("A/B")).unwrap();
        let f = tmp.path().join("A/B/C.lean");
        std::fs::write(&f, "").unwrap();
        let p = Project::containing(&f).unwrap();
        assert_eq!(p.root, tmp.path());
        assert_eq!(p.toolchain.as_deref(), Some("leanprover/lean4:v4.22.0"));
        let outside = tempfile::tempdir().unwrap();
        assert!(matches!(
            Project::containing(outside.path()),
            Err(LeanError::NoProject { .. })
        ));
    }
}
