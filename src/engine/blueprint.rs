//! A leanblueprint blueprint: its roadmap (progress, what is ready, blocked, the critical
//! path), its graphs drawn (JSON, DOT, SVG, the HTML page), and its check against the
//! project's Lean sources, confirmed by Lean when a toolchain exists.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use theorist_blueprint::{
    Blueprint, Finding, Graph, LeanFacts, LeanIndex, Level, Mode, Roadmap, check, find_source_dir,
    read,
};

use super::EngineError;
use super::blueprint_numerics::{NumericsPlots, numerics_plots};
use super::lean::{LeanSetup, Warnings, resolve_toolchain};

/// The blueprint sources in `dir`: `dir` itself, or `blueprint/src`, `blueprints/src` in it.
pub fn source_dir(dir: &Path) -> Result<PathBuf, EngineError> {
    find_source_dir(dir).ok_or_else(|| {
        EngineError::bad_input(format!(
            "{}: no blueprint here (looked for web.tex or content.tex in it, blueprint/src and blueprints/src)",
            dir.display()
        ))
    })
}

/// A blueprint with at least one node, and what reading it found worth telling (warnings
/// and errors). A blueprint with no nodes is bad input: there is nothing to draw or plan.
pub fn read_nonempty(src: &Path) -> Result<(Blueprint, Vec<Finding>), EngineError> {
    let blueprint = read(src);
    let reading: Vec<Finding> = blueprint
        .findings
        .iter()
        .filter(|f| f.level != Level::Hint)
        .cloned()
        .collect();
    if blueprint.nodes.is_empty() {
        let why = if blueprint.unbuilt_lean_nodes.is_empty() {
            String::new()
        } else {
            format!(
                " (its {} LeanArchitect nodes are not built: run `lake build :blueprint`)",
                blueprint.unbuilt_lean_nodes.len()
            )
        };
        // What reading found is likely why: it goes with the error.
        let found: String = reading.iter().map(|f| format!("\n{f}")).collect();
        return Err(EngineError::bad_input(format!(
            "{}: the blueprint has no nodes{why}{found}",
            src.display()
        )));
    }
    Ok((blueprint, reading))
}

/// The declarations of a Lake project's libraries: their source folders from the lakefile (not
/// tests or scratch files), else every Lean file under the root.
pub fn lean_index(root: &Path) -> LeanIndex {
    LeanIndex::of_dirs(root, &lean_source_dirs(root))
}

/// Where a project's Lean declarations are read from: its libraries' source folders from the
/// lakefile, else the whole root.
pub(crate) fn lean_source_dirs(root: &Path) -> Vec<PathBuf> {
    let dirs: Vec<PathBuf> = theorist_ci::discover::read_libraries(root)
        .map(|libs| libs.into_iter().map(|l| l.src_dir).collect())
        .unwrap_or_default();
    if dirs.is_empty() {
        vec![root.to_path_buf()]
    } else {
        dirs
    }
}

/// leanblueprint 0.0.20's status rules, quirks included, or theorist's fixed ones.
pub fn mode(compat: bool) -> Mode {
    if compat { Mode::Compat } else { Mode::Fixed }
}

/// The roadmap of the blueprint in `dir`.
#[derive(Debug, Clone)]
pub struct RoadmapReport {
    pub src: PathBuf,
    pub roadmap: Roadmap,
    /// Reading problems (warnings and errors), for the user.
    pub reading: Vec<Finding>,
}

impl RoadmapReport {
    /// The roadmap document (`theorist.blueprint.roadmap/…`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(&self.roadmap).unwrap_or_else(|e| json!({"error": e.to_string()}))
    }
}

pub fn blueprint_roadmap(dir: &Path, compat: bool) -> Result<RoadmapReport, EngineError> {
    let src = source_dir(dir)?;
    let (blueprint, reading) = read_nonempty(&src)?;
    let roadmap = theorist_blueprint::roadmap(&blueprint, mode(compat));
    Ok(RoadmapReport {
        src,
        roadmap,
        reading,
    })
}

/// Which graphs to draw, and how.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    /// The project root or the blueprint's `src` folder.
    pub dir: PathBuf,
    pub format: GraphFormat,
    /// Only this graph: its name (`dep_graph_chapter_3`), its unit number (`3`) or `document`.
    pub graph: Option<String>,
    /// Only this node's ancestors and/or descendants.
    pub focus: Option<Focus>,
    /// leanblueprint 0.0.20's statuses and graphs exactly, quirks included.
    pub compat: bool,
    /// Keep transitively redundant edges (as the `nonreducedgraph` package option does).
    pub nonreduced: bool,
    /// Where the blueprint's reading problems go as soon as it is read (before any error
    /// about the graphs asked for).
    pub reading: Warnings,
    /// With `Html`: check and draw the project's `[[numerics]]` claims (`theorist.toml`), linked
    /// from their nodes; the plots come back with the page, to be written beside it.
    pub plots: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Json,
    Dot,
    Svg,
    Html,
}

/// A node and how far around it to keep.
#[derive(Debug, Clone)]
pub struct Focus {
    /// Its label (or node id).
    pub label: String,
    /// How many steps from it to keep (`None`: all).
    pub depth: Option<usize>,
    /// Keep what it needs.
    pub ancestors: bool,
    /// Keep what needs it.
    pub descendants: bool,
}

/// The graphs drawn: one document for all of them (JSON, the HTML page), or one per graph.
#[derive(Debug, Clone)]
pub enum GraphDrawing {
    /// `name` is its file name in an output folder.
    One { name: &'static str, text: String },
    /// Each graph's name and drawing; `ext` is their file names' extension.
    PerGraph {
        ext: &'static str,
        drawings: Vec<(String, String)>,
    },
    /// The HTML page (`index.html` in a folder), the claims' plots to write beside it (their
    /// file names are the page's links), and the claims that got no plot, one line each.
    Page {
        text: String,
        plots: Vec<theorist_ci::numerics::ClaimPlot>,
        notes: Vec<String>,
    },
}

/// Draws the blueprint's graphs (all, or the one and the focus asked for).
pub fn blueprint_graph(request: &GraphRequest) -> Result<GraphDrawing, EngineError> {
    let src = source_dir(&request.dir)?;
    let (mut blueprint, reading) = read_nonempty(&src)?;
    for f in &reading {
        request.reading.warn(f.to_string());
    }
    blueprint.options.nonreduced |= request.nonreduced;
    let mode = mode(request.compat);
    let ids = theorist_blueprint::node_ids(&blueprint);
    let all = selected_graphs(&blueprint, &src, request, mode, &ids)?;
    let per_graph = |ext, draw: &dyn Fn(&Graph) -> String| GraphDrawing::PerGraph {
        ext,
        drawings: all.iter().map(|g| (g.name.clone(), draw(g))).collect(),
    };
    Ok(match request.format {
        GraphFormat::Json => {
            let doc = theorist_blueprint::json::document(&blueprint, &all, mode);
            let text = serde_json::to_string_pretty(&doc)
                .unwrap_or_else(|e| json!({"error": e.to_string()}).to_string());
            GraphDrawing::One {
                name: "graphs.json",
                text,
            }
        }
        GraphFormat::Dot => per_graph("dot", &|g| theorist_blueprint::dot::to_dot(g, &ids)),
        GraphFormat::Svg => per_graph("svg", &|g| {
            theorist_blueprint::svg::render(&blueprint, g, &ids)
        }),
        GraphFormat::Html => {
            let roadmap = theorist_blueprint::roadmap(&blueprint, mode);
            let drawn = if request.plots {
                let lean: Vec<String> = blueprint
                    .nodes
                    .iter()
                    .flat_map(|n| n.lean.clone())
                    .collect();
                numerics_plots(&src, &lean)
            } else {
                NumericsPlots::default()
            };
            let extras = theorist_blueprint::html::Extras {
                numerics: drawn.links,
                ..Default::default()
            };
            GraphDrawing::Page {
                text: theorist_blueprint::html::page_with(
                    &blueprint, &all, &roadmap, mode, &extras,
                ),
                plots: drawn.plots,
                notes: drawn.notes,
            }
        }
    })
}

/// The blueprint's graphs in `mode`, narrowed to the one `request.graph` names and around
/// the node it focuses on.
fn selected_graphs(
    blueprint: &Blueprint,
    src: &Path,
    request: &GraphRequest,
    mode: Mode,
    ids: &[String],
) -> Result<Vec<Graph>, EngineError> {
    let mut all = theorist_blueprint::graphs(blueprint, mode);
    if all.is_empty() {
        return Err(EngineError::bad_input(format!(
            "{}: dep_by={} but the blueprint has no such unit, so leanblueprint draws no graph",
            src.display(),
            blueprint.options.dep_by.as_deref().unwrap_or("")
        )));
    }
    if let Some(want) = &request.graph {
        let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
        let g = pick(&all, want).ok_or_else(|| {
            EngineError::bad_input(format!(
                "no graph `{want}`; the graphs are {}",
                names.join(", ")
            ))
        })?;
        all = vec![g.clone()];
    }
    let Some(focus) = &request.focus else {
        return Ok(all);
    };
    let label = &focus.label;
    let node = ids
        .iter()
        .position(|id| id == label)
        .or_else(|| blueprint.node_of(label))
        .ok_or_else(|| EngineError::bad_input(format!("`{label}` is no node of the blueprint")))?;
    Ok(all
        .iter()
        .filter(|g| g.nodes.contains(&node))
        .map(|g| {
            theorist_blueprint::focus(
                g,
                node,
                focus.depth,
                focus.ancestors,
                focus.descendants,
                !blueprint.options.nonreduced,
            )
        })
        .collect())
}

/// The graph a `--graph` value names.
fn pick<'a>(all: &'a [Graph], want: &str) -> Option<&'a Graph> {
    all.iter().find(|g| {
        g.name == want
            || g.name == format!("dep_graph_{want}")
            || g.name.rsplit('_').next() == Some(want)
    })
}

/// What to check, and whether Lean may be asked.
#[derive(Debug, Clone)]
pub struct BlueprintCheckRequest {
    /// The project root, the blueprint's `src` folder, or a folder with web.tex/content.tex.
    pub dir: PathBuf,
    /// Ask Lean to confirm the `\lean` names when a toolchain exists.
    pub ask_lean: bool,
    /// How long Lean may take to start (the toolchain probe), import the libraries and answer.
    pub timeout: Duration,
    /// Which Lean, and how it is confined.
    pub lean: LeanSetup,
}

/// The blueprint's findings against the Lean sources (and Lean, when it answered).
#[derive(Debug, Clone)]
pub struct BlueprintCheckReport {
    pub src: PathBuf,
    pub project_root: PathBuf,
    pub nodes: usize,
    pub lean_declarations: usize,
    /// Who checked the names: Lean's version, or why only the sources.
    pub checked_by: String,
    pub facts_from_lean: bool,
    pub findings: Vec<Finding>,
    /// Why Lean did not confirm the names, when it was asked and could not.
    pub notes: Vec<String>,
}

impl BlueprintCheckReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .count()
    }

    /// The `theorist.blueprint.check/1` document.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": "theorist.blueprint.check/1",
            "blueprint": self.src,
            "project_root": self.project_root,
            "nodes": self.nodes,
            "lean_declarations": self.lean_declarations,
            "checked_by": self.checked_by,
            "findings": self.findings,
        })
    }
}

pub async fn blueprint_check(
    request: &BlueprintCheckRequest,
) -> Result<BlueprintCheckReport, EngineError> {
    let src = source_dir(&request.dir)?;
    let root = theorist_lean::Project::containing(&src)
        .map(|p| p.root)
        .unwrap_or_else(|_| request.dir.clone());
    let blueprint = read(&src);
    let searched = lean_source_dirs(&root);
    let index = LeanIndex::of_dirs(&root, &searched);
    if index.files == 0 {
        // One clear error, not one finding per `\lean` name.
        let searched: Vec<String> = searched.iter().map(|d| d.display().to_string()).collect();
        return Err(EngineError::bad_input(format!(
            "no Lean sources found (searched {}), so the blueprint's \\lean names cannot be checked; run it on the Lake project that formalises the blueprint",
            searched.join(", ")
        )));
    }
    let mut notes = Vec::new();
    let (facts, checked_by) = if request.ask_lean {
        ask_lean(&blueprint, &src, request, &mut notes).await?
    } else {
        (None, "the Lean sources only (--no-lean)".to_string())
    };
    let findings = check(&blueprint, &index, facts.as_ref());
    Ok(BlueprintCheckReport {
        src,
        project_root: root,
        nodes: blueprint.nodes.len(),
        lean_declarations: index.decls.len(),
        checked_by,
        facts_from_lean: facts.is_some(),
        findings,
        notes,
    })
}

/// Lean's facts about the blueprint's names when a toolchain exists, and who checked them. No
/// toolchain is not an error here: the sources were still checked, and the report says so.
async fn ask_lean(
    blueprint: &Blueprint,
    src: &Path,
    request: &BlueprintCheckRequest,
    notes: &mut Vec<String>,
) -> Result<(Option<LeanFacts>, String), EngineError> {
    let Ok(project) = theorist_lean::Project::containing(src) else {
        return Ok((
            None,
            "the Lean sources only (not by Lean: no Lake project around the blueprint)".into(),
        ));
    };
    let mut names: Vec<String> = blueprint
        .nodes
        .iter()
        .flat_map(|n| n.lean.iter().cloned())
        .collect();
    names.sort();
    names.dedup();
    let toolchain = match resolve_toolchain(project, &request.lean, request.timeout).await {
        Ok(t) => t,
        Err(EngineError::NoToolchain(_)) => {
            notes.push(format!(
                "no Lean toolchain found, so the \\lean names were checked against the Lean sources only, not by Lean.\n{}",
                theorist_lean::INSTALL_HINT
            ));
            return Ok((
                None,
                "the Lean sources only (not by Lean: no toolchain found)".into(),
            ));
        }
        Err(e) => return Err(e),
    };
    match super::blueprint_lean::confirm(&toolchain, &names, request.timeout).await? {
        Ok(facts) => {
            let by = facts.version.clone();
            Ok((Some(facts), by))
        }
        Err(why) => {
            notes.push(format!(
                "{why}; the \\lean names were checked against the Lean sources only"
            ));
            Ok((
                None,
                format!("the Lean sources only (Lean could not answer: {why})"),
            ))
        }
    }
}
