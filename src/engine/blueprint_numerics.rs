//! The plots of a project's `[[numerics]]` claims (`theorist.toml`) for its blueprint page:
//! each claim is checked and drawn as `theorist ci` does, and linked from the nodes whose
//! `\lean{…}` names its declaration.

use std::path::Path;

use theorist_blueprint::html::NumericsLink;
use theorist_ci::config::CiConfig;
use theorist_ci::numerics::{ClaimPlot, check_and_plot};

/// The claims' plots, their links for the page (relative: the plots go beside it), and what
/// could not be drawn, one line each.
#[derive(Debug, Clone, Default)]
pub struct NumericsPlots {
    pub links: Vec<NumericsLink>,
    pub plots: Vec<ClaimPlot>,
    pub notes: Vec<String>,
}

/// Checks and draws the `[[numerics]]` claims of the project the blueprint in `src` belongs
/// to (none when it has no `theorist.toml`) that are about one of the blueprint's Lean
/// declarations `lean` (the claim's name is the full name or a suffix of it after a `.`;
/// the link is by the full name once translated). A configuration that does not parse, or a
/// claim that does not translate, is a note: the page is drawn all the same, without that plot.
pub fn numerics_plots(src: &Path, lean: &[String]) -> NumericsPlots {
    let root = theorist_blueprint::project_root(src);
    let path = root.join("theorist.toml");
    let mut out = NumericsPlots::default();
    if !path.is_file() {
        return out;
    }
    let config = match CiConfig::load(&path) {
        Ok(c) => c,
        Err(e) => {
            out.notes.push(format!("no numerics plots: {e}"));
            return out;
        }
    };
    let claims: Vec<_> = config
        .numerics
        .iter()
        .filter(|c| {
            let decl = c.claim.rsplit_once(".lean:").map_or("", |(_, d)| d);
            lean.iter()
                .any(|l| l == decl || l.ends_with(&format!(".{decl}")))
        })
        .collect();
    // Claims are independent and CPU-bound: check them side by side.
    let drawn: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = claims
            .iter()
            .map(|claim| s.spawn(|| check_and_plot(&root, claim, true)))
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    for (claim, result) in claims.iter().zip(drawn) {
        let Ok((result, plot)) = result else {
            out.notes.push(format!(
                "{}: no plot: theorist failed checking it (a bug; please report it)",
                claim.claim
            ));
            continue;
        };
        let verdict = result
            .findings
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_default();
        match plot {
            Some(plot) => {
                out.links.push(NumericsLink {
                    decl: plot.decl.clone(),
                    href: plot.file_name.clone(),
                    verdict,
                });
                out.plots.push(plot);
            }
            None => out
                .notes
                .push(format!("{}: no plot: {verdict}", claim.claim)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_without_configuration_has_no_plots() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lakefile.toml"), "name = \"x\"\n").unwrap();
        let found = numerics_plots(dir.path(), &["X.y".into()]);
        assert!(found.links.is_empty() && found.notes.is_empty());
    }

    #[test]
    fn a_broken_configuration_is_a_note_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lakefile.toml"), "name = \"x\"\n").unwrap();
        std::fs::write(dir.path().join("theorist.toml"), "[[numerics]]\nclam = 1\n").unwrap();
        let found = numerics_plots(dir.path(), &["X.y".into()]);
        assert!(found.links.is_empty());
        assert_eq!(found.notes.len(), 1, "{:?}", found.notes);
        assert!(
            found.notes[0].contains("theorist.toml"),
            "{}",
            found.notes[0]
        );
    }
}
