//! `theorist.toml`: what `theorist ci` checks and how. Every field is optional.
//!
//! ```toml
//! [lean]
//! timeout_secs = 900        # per file
//! memory_mb = 8192          # Lean's --memory, per file
//! workers = 2               # files checked at once (default: what cores and memory allow)
//! allow_axioms = ["Lean.ofReduceBool"]   # in addition to propext, Classical.choice, Quot.sound
//! allow_sorry = ["Theorist.Higgs.open_problem"]
//! honor_sorryful = true     # PhysLean's @[sorryful] declarations may keep sorry
//! sandbox = true            # refuse to run where bubblewrap cannot (as `--sandbox`)
//!
//! [files]
//! include = ["lean/Theorist/Higgs/Potential.lean"]   # instead of the lakefile's libraries
//! exclude = ["lean/Theorist/Scratch.lean"]
//!
//! [reports]
//! dir = ".theorist/reports"   # inside the project
//! formats = ["json", "junit", "sarif", "github", "markdown"]
//!
//! [[numerics]]              # statements cross-checked by `theorist numerics check`
//! claim = "lean/Theorist/Higgs/Potential.lean:radial_bounded_below"
//! expect = "not_refuted"    # or "proved", or "refuted" for a deliberately false variant
//! box = { x = "[0, 100]" }
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CiConfig {
    pub lean: LeanSection,
    pub files: FilesSection,
    pub reports: ReportsSection,
    /// Statements to cross-check numerically (`[[numerics]]` tables).
    pub numerics: Vec<NumericsClaim>,
}

/// One `[[numerics]]` entry: a declaration whose statement `theorist numerics check` must not
/// refute (or must, for a deliberately false variant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumericsClaim {
    /// `FILE:Decl`, the file relative to the project root.
    pub claim: String,
    /// `not_refuted` (default), `proved`, or `refuted`.
    #[serde(default)]
    pub expect: Expectation,
    /// Variable ranges, `name = "[low, high]"`.
    #[serde(default)]
    pub r#box: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    #[default]
    NotRefuted,
    Proved,
    Refuted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeanSection {
    pub timeout_secs: u64,
    pub memory_mb: Option<u64>,
    /// Files checked at once; `None`: what the machine's cores and memory allow.
    pub workers: Option<usize>,
    pub allow_axioms: Vec<String>,
    pub allow_sorry: Vec<String>,
    pub honor_sorryful: bool,
    /// Refuse to check where the sandbox cannot run (as `--sandbox`). `false` does not turn
    /// the sandbox off: the config comes with the checkout, so only the command line's
    /// `--no-sandbox` can.
    pub sandbox: bool,
}

impl Default for LeanSection {
    fn default() -> Self {
        LeanSection {
            timeout_secs: 900,
            memory_mb: None,
            workers: None,
            allow_axioms: Vec::new(),
            allow_sorry: Vec::new(),
            honor_sorryful: true,
            sandbox: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FilesSection {
    pub include: Vec<PathBuf>,
    pub exclude: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsSection {
    pub dir: PathBuf,
    pub formats: Vec<String>,
}

impl Default for ReportsSection {
    fn default() -> Self {
        ReportsSection {
            dir: PathBuf::from(".theorist/reports"),
            formats: ["json", "junit", "sarif", "markdown"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// A `theorist.toml` that cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl CiConfig {
    /// Reads `path`; errors name the file, line and column.
    pub fn load(path: &Path) -> Result<CiConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<CiConfig, ConfigError> {
        let config: CiConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let (line, column) = line_col(text, offset);
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        if let Some(bad) = config
            .reports
            .formats
            .iter()
            .find(|f| !theorist_report::FORMATS.contains(&f.as_str()))
        {
            let offset = text.find(&format!("\"{bad}\"")).unwrap_or(0);
            let (line, column) = line_col(text, offset);
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "unknown report format `{bad}` (known: {})",
                    theorist_report::FORMATS.join(", ")
                ),
            });
        }
        // The config comes with the checkout, which may be an untrusted pull request: the paths
        // it names stay inside the project.
        let outside = std::iter::once(&config.reports.dir)
            .chain(&config.files.include)
            .find(|p| !crate::confined::stays_inside(p));
        if let Some(bad) = outside {
            let shown = bad.to_string_lossy();
            let offset = text.find(shown.as_ref()).unwrap_or(0);
            let (line, column) = line_col(text, offset);
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "`{shown}` is not a path inside the project (relative, without `..`)"
                ),
            });
        }
        if config.lean.workers == Some(0) {
            let offset = text.find("workers").unwrap_or(0);
            let (line, column) = line_col(text, offset);
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: "workers must be at least 1".into(),
            });
        }
        Ok(config)
    }

    /// A hash of everything in the config that can change a file's verdict (part of every cache
    /// key, so editing the allow-lists re-checks).
    pub fn fingerprint(&self) -> String {
        let relevant = serde_json::json!({
            "timeout": self.lean.timeout_secs,
            "memory": self.lean.memory_mb,
            "allow_axioms": self.lean.allow_axioms,
            "allow_sorry": self.lean.allow_sorry,
            "honor_sorryful": self.lean.honor_sorryful,
        });
        hex(&Sha256::digest(relevant.to_string().as_bytes()))
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_full_config() {
        let c = CiConfig::parse(
            "[lean]\ntimeout_secs = 60\nworkers = 3\nallow_sorry = [\"A.b\"]\n[reports]\nformats = [\"sarif\"]\n",
            Path::new("theorist.toml"),
        )
        .unwrap();
        assert_eq!(c.lean.timeout_secs, 60);
        assert_eq!(c.lean.workers, Some(3));
        assert_eq!(c.reports.formats, ["sarif"]);
        assert!(c.lean.honor_sorryful);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let err = CiConfig::parse(
            "[lean]\ntimeout_secs = \"soon\"\n",
            Path::new("theorist.toml"),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("theorist.toml:2:"), "{text}");
        let err = CiConfig::parse("[lean]\nworkres = 2\n", Path::new("t.toml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t.toml:2:1: unknown field `workres`"),
            "{err}"
        );
        let err = CiConfig::parse(
            "[reports]\nformats = [\"json\", \"pdf\"]\n",
            Path::new("t.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("t.toml:2:"), "{err}");
        assert!(err.to_string().contains("unknown report format `pdf`"));
    }

    #[test]
    fn paths_must_stay_inside_the_project() {
        for text in [
            "[reports]\ndir = \"/tmp/x\"\n",
            "[reports]\ndir = \"../../x\"\n",
            "[files]\ninclude = [\"A.lean\", \"../B.lean\"]\n",
        ] {
            let err = CiConfig::parse(text, Path::new("t.toml")).unwrap_err();
            assert!(err.to_string().starts_with("t.toml:2:"), "{err}");
            assert!(err.to_string().contains("inside the project"), "{err}");
        }
        assert!(CiConfig::parse("[reports]\ndir = \"out/r\"\n", Path::new("t.toml")).is_ok());
    }

    #[test]
    fn fingerprint_follows_what_changes_verdicts() {
        let a = CiConfig::default();
        let mut b = CiConfig::default();
        b.reports.formats = vec!["json".into()];
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.lean.allow_axioms.push("Lean.ofReduceBool".into());
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
