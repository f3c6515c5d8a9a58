//! Writing a re-checked proof into the user's file, only when asked (`prove --write`). The new
//! text goes to a temporary file beside the real file and is renamed over it, so a crash
//! never leaves half a file. A symlink is written through: the file it points to is replaced
//! (its temporary sits beside the target, on the target's file system), the link stays a link.
//! A file that changed since it was read is not written.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the proof was not written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    #[error("{path}: cannot resolve where it points: {source}")]
    Resolve {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} changed while the proof was searched; not writing (run again)")]
    Changed { path: PathBuf },
    #[error("{path} is not a regular file; not writing")]
    NotAFile { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Where a proof was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// The file whose contents changed (the link's target when `via_link` is set).
    pub path: PathBuf,
    /// The symlink named on the command line, if it was one.
    pub via_link: Option<PathBuf>,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.via_link {
            Some(link) => write!(
                f,
                "{} (the file the link {} points to)",
                self.path.display(),
                link.display()
            ),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Replaces the text of `file` (or of the file it links to) with `new`, atomically, if it
/// still reads `expected_old`.
pub fn write_proof(file: &Path, expected_old: &str, new: &str) -> Result<Written, WriteError> {
    let is_link = std::fs::symlink_metadata(file)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    let target = if is_link {
        std::fs::canonicalize(file).map_err(|source| WriteError::Resolve {
            path: file.to_path_buf(),
            source,
        })?
    } else {
        file.to_path_buf()
    };
    let meta = std::fs::metadata(&target).map_err(|source| WriteError::Io {
        path: target.clone(),
        source,
    })?;
    if !meta.is_file() {
        return Err(WriteError::NotAFile { path: target });
    }
    let now = std::fs::read_to_string(&target).map_err(|source| WriteError::Io {
        path: target.clone(),
        source,
    })?;
    if now != expected_old {
        return Err(WriteError::Changed { path: target });
    }
    let io = |source| WriteError::Io {
        path: target.clone(),
        source,
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.theorist-write-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.set_permissions(meta.permissions())?;
        f.write_all(new.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(Written {
        path: target,
        via_link: is_link.then(|| file.to_path_buf()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder under the system's temporary one, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let p =
                std::env::temp_dir().join(format!("theorist-write-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_plain_file_is_replaced_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new("plain");
        let f = dir.path().join("A.lean");
        std::fs::write(&f, "old").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        let w = write_proof(&f, "old", "new").unwrap();
        assert_eq!(
            w,
            Written {
                path: f.clone(),
                via_link: None
            }
        );
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "new");
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }

    #[test]
    fn a_symlink_is_written_through_and_stays_a_link() {
        let dir = TempDir::new("link");
        let real_dir = dir.path().join("real");
        std::fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("A.lean");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("Link.lean");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let w = write_proof(&link, "old", "new").unwrap();
        assert_eq!(w.path, std::fs::canonicalize(&real).unwrap());
        assert_eq!(w.via_link.as_deref(), Some(link.as_path()));
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(w.to_string().contains("the file the link"));
    }

    #[test]
    fn a_changed_file_or_a_dangling_link_is_refused() {
        let dir = TempDir::new("changed");
        let f = dir.path().join("A.lean");
        std::fs::write(&f, "edited meanwhile").unwrap();
        assert!(matches!(
            write_proof(&f, "old", "new"),
            Err(WriteError::Changed { .. })
        ));
        let dangling = dir.path().join("D.lean");
        std::os::unix::fs::symlink(dir.path().join("gone.lean"), &dangling).unwrap();
        let err = write_proof(&dangling, "old", "new").unwrap_err();
        assert!(matches!(err, WriteError::Resolve { .. }), "{err}");
        assert!(err.to_string().contains("D.lean"));
    }
}
