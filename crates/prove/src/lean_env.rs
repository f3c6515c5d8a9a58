//! The Lean driver as a [`ProofEnv`]: one open document whose declaration's `sorry` is
//! replaced, in memory only, by each candidate tactic script. After `wait_for_diagnostics`:
//! no error in the declaration and no `sorry` warning on it → proved; only `unsolved goals`
//! errors → progress, the remaining goals read with `$/lean/plainGoal` at the end of the
//! script; any other error → failed. The file on disk is never touched here.

use std::path::Path;
use std::time::Duration;

use theorist_lean::server::Document;
use theorist_lean::{LeanError, LeanPos, LeanServer};

use crate::{EnvError, Outcome, ProofEnv};

/// Where the `sorry` of the target declaration sits and how to indent a script there.
#[derive(Debug, Clone)]
pub struct SorrySite {
    /// The declaration's full name.
    pub decl: String,
    /// Byte range of the `sorry` in the original text.
    pub start: usize,
    pub end: usize,
    /// Text put before the first tactic (`\n` + indent, or `by\n` + indent for term mode).
    pub lead: String,
    /// Indent of every tactic line.
    pub indent: String,
    /// 1-based line where the declaration starts.
    pub decl_line: u32,
}

impl SorrySite {
    /// The first `sorry` of declaration `decl` in `text`.
    pub fn find(text: &str, decl: &str) -> Result<SorrySite, EnvError> {
        let src = theorist_leansrc::parse(text);
        let d = src
            .find(decl)
            .map_err(|e| EnvError::Target(format!("{e}")))?;
        let Some(pos) = d.sorries.first() else {
            return Err(EnvError::Target(format!(
                "{} has no `sorry` to prove",
                d.name
            )));
        };
        let start = src
            .byte_of(*pos)
            .ok_or_else(|| EnvError::Target("cannot locate the sorry".into()))?;
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let before = &text[line_start..start];
        let decl_line_text = text[..d.start_byte]
            .rfind('\n')
            .map(|i| &text[i + 1..])
            .unwrap_or(text);
        let decl_indent: String = decl_line_text.chars().take_while(|c| *c == ' ').collect();
        let tactic_mode = text[..start].trim_end().ends_with("by") || before.trim().is_empty();
        let (lead, indent) = if before.trim().is_empty() {
            (String::new(), before.to_string())
        } else {
            let indent = format!("{decl_indent}  ");
            let lead = if tactic_mode {
                format!("\n{indent}")
            } else {
                format!("by\n{indent}")
            };
            (lead, indent)
        };
        Ok(SorrySite {
            decl: d.name.clone(),
            start,
            end: start + "sorry".len(),
            lead,
            indent,
            decl_line: d.start_line,
        })
    }

    /// The text with `tactics` in place of the `sorry`, and the Lean position at the end of
    /// the last tactic.
    pub fn splice(&self, text: &str, tactics: &[String]) -> (String, LeanPos) {
        let script = tactics.join(&format!("\n{}", self.indent));
        let mut out = String::with_capacity(text.len() + script.len() + 16);
        let before = &text[..self.start];
        // `by sorry` → `by` + newline: no trailing space left behind.
        out.push_str(if self.lead.starts_with('\n') {
            before.trim_end_matches(' ')
        } else {
            before
        });
        out.push_str(&self.lead);
        out.push_str(&script);
        let end_byte = out.len();
        out.push_str(&text[self.end..]);
        let line = out[..end_byte].matches('\n').count() as u32 + 1;
        let line_start = out[..end_byte].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = out[line_start..end_byte].chars().count() as u32;
        (out, LeanPos { line, column })
    }
}

/// One document in a running server, searched in place.
pub struct LeanEnv<'a> {
    pub server: &'a LeanServer,
    pub doc: Document,
    pub original: String,
    pub site: SorrySite,
}

impl<'a> LeanEnv<'a> {
    pub async fn open(
        server: &'a LeanServer,
        path: &Path,
        text: String,
        decl: &str,
    ) -> Result<LeanEnv<'a>, EnvError> {
        let site = SorrySite::find(&text, decl)?;
        let doc = server.open(path, text.clone()).await?;
        Ok(LeanEnv {
            server,
            doc,
            original: text,
            site,
        })
    }

    pub async fn close(self) {
        let _ = self.server.close(&self.doc).await;
    }

    /// 0-based line range `[start, end]` of the declaration in a spliced text.
    fn decl_lines(&self, spliced: &str) -> (u32, u32) {
        let src = theorist_leansrc::parse(spliced);
        match src.find(&self.site.decl) {
            Ok(d) => (d.start_line.saturating_sub(1), d.end_line),
            Err(_) => (0, u32::MAX),
        }
    }
}

impl ProofEnv for LeanEnv<'_> {
    async fn initial_goals(&mut self) -> Result<Vec<String>, EnvError> {
        self.server.wait_for_diagnostics(&mut self.doc).await?;
        let text = self.doc.text.clone();
        let line = text[..self.site.start].matches('\n').count() as u32 + 1;
        let line_start = text[..self.site.start]
            .rfind('\n')
            .map(|i| i + 1)
            .unwrap_or(0);
        let column = text[line_start..self.site.start].chars().count() as u32;
        let goal = self
            .server
            .plain_goal(&self.doc, LeanPos { line, column })
            .await?;
        match goal {
            Some(g) if !g.goals.is_empty() => Ok(g.goals),
            _ => {
                // Term-mode `sorry`: the expected type is the goal.
                let term = self
                    .server
                    .plain_term_goal(&self.doc, LeanPos { line, column })
                    .await?;
                term.map(|t| vec![t.goal]).ok_or_else(|| {
                    EnvError::Target(format!(
                        "Lean reports no goal at the sorry of {} (line {line})",
                        self.site.decl
                    ))
                })
            }
        }
    }

    async fn attempt(
        &mut self,
        tactics: &[String],
        _budget: Duration,
    ) -> Result<Outcome, EnvError> {
        let (text, end) = self.site.splice(&self.original, tactics);
        self.server.change(&mut self.doc, text.clone()).await?;
        let diags = match self.server.wait_for_diagnostics(&mut self.doc).await {
            Ok(d) => d,
            Err(LeanError::Timeout { .. }) => return Ok(Outcome::Timeout),
            Err(LeanError::WorkerCrashed { message, .. }) => {
                return Ok(Outcome::Crashed { message });
            }
            Err(e) => return Err(e.into()),
        };
        let (first, last) = self.decl_lines(&text);
        let mine: Vec<_> = diags
            .iter()
            .filter(|d| (first..=last).contains(&d.span().start.line))
            .collect();
        let errors: Vec<_> = mine.iter().filter(|d| d.is_error()).collect();
        if errors.is_empty() {
            let sorry_left = mine
                .iter()
                .any(|d| d.message.contains("declaration uses") && d.message.contains("sorry"));
            if sorry_left {
                return Ok(Outcome::Failed {
                    message: "the declaration still uses sorry".into(),
                });
            }
            return Ok(Outcome::Proved);
        }
        if errors
            .iter()
            .all(|d| d.message.starts_with("unsolved goals"))
        {
            let goals = self
                .server
                .plain_goal(&self.doc, end)
                .await?
                .map(|g| g.goals)
                .unwrap_or_default();
            if goals.is_empty() {
                // Lean said unsolved but shows none at the end of the script: report the
                // goals from the message itself.
                let goals = errors[0]
                    .message
                    .trim_start_matches("unsolved goals")
                    .trim()
                    .split("\n\n")
                    .map(str::to_string)
                    .filter(|g| !g.is_empty())
                    .collect();
                return Ok(Outcome::Progress { goals });
            }
            return Ok(Outcome::Progress { goals });
        }
        Ok(Outcome::Failed {
            message: errors[0].message.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_tactics_at_the_sorry() {
        let text = "theorem t (x : ℝ) : 0 ≤ x ^ 2 := by\n  sorry\n\ntheorem u : True := by sorry\n";
        let site = SorrySite::find(text, "t").unwrap();
        let (out, end) = site.splice(text, &["intro y".into(), "positivity".into()]);
        assert!(
            out.starts_with("theorem t (x : ℝ) : 0 ≤ x ^ 2 := by\n  intro y\n  positivity\n\n")
        );
        assert_eq!(
            end,
            LeanPos {
                line: 3,
                column: 12
            }
        );
        let site = SorrySite::find(text, "u").unwrap();
        let (out, _) = site.splice(text, &["trivial".into()]);
        assert!(
            out.ends_with("theorem u : True := by\n  trivial\n"),
            "{out}"
        );
        assert!(SorrySite::find("theorem v : True := trivial\n", "v").is_err());
    }
}
