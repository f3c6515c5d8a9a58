//! Writing into a checked-out project without following symbolic links. The checkout is
//! untrusted: it can commit `.theorist/reports` as a link to any folder on the machine, and
//! unconfined code can swap a folder for one while theorist runs. So the folders below the
//! project root are opened one component at a time (`openat` with `O_NOFOLLOW|O_DIRECTORY`,
//! created with `mkdirat` when missing), and each file is written to a fresh name in that
//! folder (`O_CREAT|O_EXCL|O_NOFOLLOW`) and renamed over the old one (a rename replaces a link,
//! it never follows one). A link anywhere on the way is an error that names it, never a write
//! elsewhere. The reports (`theorist ci`) and theorist's own probe files use it.

use std::io::Write;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, mkdirat, openat, renameat, statat, unlinkat};
use rustix::io::Errno;

/// A folder opened without following links below its root; files are written relative to it.
#[derive(Debug)]
pub struct ConfinedDir {
    fd: OwnedFd,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfinedError {
    #[error(
        "{path}: {why}; theorist writes only into real folders inside the project, so nothing was written there"
    )]
    Refused { path: PathBuf, why: String },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path, e: impl Into<std::io::Error>) -> ConfinedError {
    ConfinedError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

/// Whether `rel` stays below the folder it is relative to (no `..`, not absolute).
pub fn stays_inside(rel: &Path) -> bool {
    rel.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

impl ConfinedDir {
    /// The folder `rel` below `root`, created as needed; `root` itself is trusted (the user
    /// named it), every component of `rel` must be a real folder.
    pub fn open(root: &Path, rel: &Path) -> Result<ConfinedDir, ConfinedError> {
        if !stays_inside(rel) {
            return Err(ConfinedError::Refused {
                path: root.join(rel),
                why: "the path leaves the project".into(),
            });
        }
        let mut fd = openat(
            rustix::fs::CWD,
            root,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| io(root, e))?;
        let mut path = root.to_path_buf();
        for part in rel.components() {
            let Component::Normal(part) = part else {
                continue;
            };
            path.push(part);
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
            let next = match openat(&fd, part, flags, Mode::empty()) {
                Err(Errno::NOENT) => {
                    match mkdirat(&fd, part, Mode::from_raw_mode(0o755)) {
                        Ok(()) | Err(Errno::EXIST) => {}
                        Err(e) => return Err(io(&path, e)),
                    }
                    openat(&fd, part, flags, Mode::empty())
                }
                other => other,
            };
            fd = match next {
                Ok(next) => next,
                // A link under O_NOFOLLOW|O_DIRECTORY fails with ENOTDIR (or ELOOP), as does
                // a plain file; say which it is.
                Err(Errno::LOOP | Errno::NOTDIR) => {
                    let linked = statat(&fd, part, AtFlags::SYMLINK_NOFOLLOW)
                        .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink);
                    return Err(ConfinedError::Refused {
                        path,
                        why: if linked {
                            "a symbolic link".into()
                        } else {
                            "not a folder".into()
                        },
                    });
                }
                Err(e) => return Err(io(&path, e)),
            };
        }
        Ok(ConfinedDir { fd, path })
    }

    /// The folder's path (for messages; writes never go through it).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Replaces `name` in this folder with `bytes` atomically (a killed run leaves the old
    /// file); returns the path written.
    pub fn write_atomic(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, ConfinedError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let target = self.path.join(name);
        if name.contains('/') || name == ".." || name == "." || name.is_empty() {
            return Err(ConfinedError::Refused {
                path: target,
                why: "not a plain file name".into(),
            });
        }
        let (tmp_name, fd) = loop {
            let tmp_name = format!(
                ".{name}.{}-{}.tmp",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            match openat(
                &self.fd,
                tmp_name.as_str(),
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o644),
            ) {
                Ok(fd) => break (tmp_name, fd),
                Err(Errno::EXIST) => continue,
                Err(e) => return Err(io(&self.path.join(&tmp_name), e)),
            }
        };
        let written = (|| {
            let mut file = std::fs::File::from(fd);
            file.write_all(bytes)?;
            file.sync_all()?;
            renameat(&self.fd, tmp_name.as_str(), &self.fd, name).map_err(std::io::Error::from)
        })();
        if let Err(e) = written {
            let _ = unlinkat(&self.fd, tmp_name.as_str(), AtFlags::empty());
            return Err(io(&target, e));
        }
        Ok(target)
    }

    /// Removes `name` from this folder (the link itself, if it is one); a missing file is fine.
    pub fn remove(&self, name: &str) -> Result<(), ConfinedError> {
        match unlinkat(&self.fd, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(io(&self.path.join(name), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn writes_below_the_root_creating_folders() {
        let root = tempfile::tempdir().unwrap();
        let dir = ConfinedDir::open(root.path(), Path::new(".theorist/reports")).unwrap();
        let path = dir.write_atomic("r.json", b"{}").unwrap();
        assert_eq!(path, root.path().join(".theorist/reports/r.json"));
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        dir.write_atomic("r.json", b"[]").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"[]");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_linked_folder_on_the_way_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join(".theorist")).unwrap();
        symlink(outside.path(), root.path().join(".theorist/reports")).unwrap();
        let err = ConfinedDir::open(root.path(), Path::new(".theorist/reports")).unwrap_err();
        assert!(err.to_string().contains("a symbolic link"), "{err}");
        assert!(err.to_string().contains(".theorist/reports"), "{err}");
        // A linked first component too.
        let root2 = tempfile::tempdir().unwrap();
        symlink(outside.path(), root2.path().join(".theorist")).unwrap();
        assert!(ConfinedDir::open(root2.path(), Path::new(".theorist/reports")).is_err());
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_linked_file_is_replaced_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let dir = ConfinedDir::open(root.path(), Path::new("out")).unwrap();
        symlink(&victim, root.path().join("out/r.json")).unwrap();
        dir.write_atomic("r.json", b"report").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        let written = root.path().join("out/r.json");
        assert!(!written.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(written).unwrap(), "report");
    }

    #[test]
    fn paths_that_leave_are_refused() {
        let root = tempfile::tempdir().unwrap();
        assert!(ConfinedDir::open(root.path(), Path::new("../x")).is_err());
        assert!(ConfinedDir::open(root.path(), Path::new("/etc")).is_err());
        let dir = ConfinedDir::open(root.path(), Path::new("")).unwrap();
        assert!(dir.write_atomic("../x", b"").is_err());
    }
}
