//! One self-contained HTML roadmap page (no network, no external files): every graph as SVG
//! from our layout, the legend, progress overall and per chapter, what is ready and the
//! critical path, a search box, and focus on a node's ancestors/descendants with a depth
//! limit, kept in the URL's fragment so a view can be shared. Served live ([`Extras`]), it
//! long-polls its server and reloads itself when the blueprint changes, keeping the view.

use std::fmt::Write;

use serde_json::json;

use crate::finding::{Finding, Level};
use crate::graph::{Graph, Mode};
use crate::json::legend;
use crate::read::Blueprint;
use crate::roadmap::Roadmap;
use crate::svg::{escape, render};

/// How to move around the graph, shown under the legend.
const CONTROLS_HELP: &str = "<h2>Moving around</h2><div class=\"note\">Drag to pan; wheel, pinch or <kbd>+</kbd> <kbd>−</kbd> to zoom; <kbd>0</kbd> or <b>Fit</b> shows the whole graph; arrow keys pan; click a node to focus on it (again, or <kbd>Esc</kbd>, to clear). The minimap (large graphs) moves the view where you press.</div>";

/// The page's look, and its behaviour (search, focus, pan and zoom, minimap, self-test).
const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");
/// The served page's reload: long-polls `/version` and reloads when the render changed.
const LIVE: &str = include_str!("live.js");

/// What a page shows besides the blueprint itself.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// The problems listed over the graph, with file and line (default: the blueprint's
    /// reading errors).
    pub findings: Option<Vec<Finding>>,
    /// Served live: the version of this render; the page asks its server for the next one and
    /// reloads (the view lives in the URL's fragment, so it stays).
    pub live_version: Option<u64>,
    /// The plots of the project's `[[numerics]]` claims, linked from the nodes whose Lean
    /// declarations they are about.
    pub numerics: Vec<NumericsLink>,
}

/// A numerically checked claim about one declaration (a `[[numerics]]` entry of
/// `theorist.toml`): its verdict and where its plot is, relative to the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumericsLink {
    /// The declaration's full name, as in `\lean{…}`.
    pub decl: String,
    pub href: String,
    pub verdict: String,
}

/// The numerics links of a node: those about one of its Lean declarations.
fn links_of<'a>(links: &'a [NumericsLink], lean: &[String]) -> Vec<&'a NumericsLink> {
    links.iter().filter(|l| lean.contains(&l.decl)).collect()
}

/// The side panel's list of the nodes with a numerics plot (empty when none has one).
fn numerics_section(bp: &Blueprint, ids: &[String], links: &[NumericsLink]) -> String {
    let mut items = String::new();
    for (i, n) in bp.nodes.iter().enumerate() {
        for l in links_of(links, &n.lean) {
            let _ = write!(
                items,
                "<li><a href=\"{}\" data-node=\"{}\">{}</a>: <code>{}</code> — {}</li>",
                escape(&l.href),
                escape(&ids[i]),
                escape(&ids[i]),
                escape(&l.decl),
                escape(&l.verdict)
            );
        }
    }
    if items.is_empty() {
        return items;
    }
    format!(
        "<h2>Numerics</h2><div class=\"note\">Plots of the claims checked by <code>theorist numerics check</code> (<code>[[numerics]]</code> in theorist.toml).</div><ul id=\"numerics\">{items}</ul>"
    )
}

/// The page.
pub fn page(bp: &Blueprint, graphs: &[Graph], roadmap: &Roadmap, mode: Mode) -> String {
    page_with(bp, graphs, roadmap, mode, &Extras::default())
}

/// A problem as the page lists it: its place relative to `root`, its level, its message.
fn problem_line(f: &Finding, root: Option<&std::path::Path>) -> String {
    let file = match root {
        Some(r) => f.file.strip_prefix(r).unwrap_or(&f.file),
        None => &f.file,
    };
    let place = match (file.as_os_str().is_empty(), f.line) {
        (true, _) => String::new(),
        (false, 0) => format!("{}: ", file.display()),
        (false, line) => format!("{}:{line}: ", file.display()),
    };
    format!("{place}{}: {}", f.level.as_str(), f.message)
}

/// The live-reload hook of a served page, empty when not served.
fn live_script(version: Option<u64>) -> String {
    match version {
        Some(v) => format!(
            "<script type=\"application/json\" id=\"live\">{{\"version\":{v}}}</script>\n<script>{LIVE}</script>\n"
        ),
        None => String::new(),
    }
}

/// A page for a blueprint that could not be drawn at all: what went wrong, with file and line.
pub fn problem_page(title: &str, problems: &[String], live_version: Option<u64>) -> String {
    let items: String = problems
        .iter()
        .map(|p| format!("<li><code>{}</code></li>", escape(p)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head>\n<body data-problems=\"{n}\">\n<header><h1>{t}</h1><div class=\"note\">theorist could not draw this blueprint{again}.</div></header>\n<main><div id=\"problems\" class=\"shown whole\"><b>The blueprint could not be drawn:</b><ul>{items}</ul></div></main>\n{live}</body></html>\n",
        t = escape(title),
        n = problems.len(),
        again = if live_version.is_some() {
            "; it is drawn again when its sources change"
        } else {
            ""
        },
        live = live_script(live_version),
    )
}

/// The page, with what `extras` adds: a side panel (progress, view controls, what is next,
/// the legend) beside the graphs, and the per-node facts and problems as JSON for the script.
pub fn page_with(
    bp: &Blueprint,
    graphs: &[Graph],
    roadmap: &Roadmap,
    mode: Mode,
    extras: &Extras,
) -> String {
    let ids = crate::graph::node_ids(bp);
    let root = bp.files.first().and_then(|f| f.parent());
    let title = bp
        .options
        .title
        .clone()
        .unwrap_or_else(|| "Blueprint roadmap".to_string());
    let data = json!({
        "nodes": node_details(bp, roadmap, &ids, root, &extras.numerics),
        "problems": problems(bp, extras, root),
    })
    .to_string()
    .replace("</", "<\\/");

    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title><style>{STYLE}</style></head>\n<body>\n<header><h1>{t}</h1><div class=\"note\">Generated by theorist from the blueprint's LaTeX; statuses by {rules}. Nothing here was checked by Lean.</div></header>\n<main><div id=\"side\">\n",
        t = escape(&title),
        rules = match mode {
            Mode::Compat => "leanblueprint 0.0.20's rules (compat mode)",
            Mode::Fixed => "leanblueprint's rules with its quirks fixed",
        }
    );
    progress_section(&mut out, roadmap);
    view_controls(&mut out, graphs);
    next_section(&mut out, roadmap);
    out.push_str(&numerics_section(bp, &ids, &extras.numerics));
    legend_section(&mut out, bp);
    out.push_str(CONTROLS_HELP);
    out.push_str("</div></div>\n<div id=\"view\">\n");
    for g in graphs {
        out.push_str(&render(bp, g, &ids));
    }
    out.push_str("<div id=\"toolbar\"><button id=\"zoom-in\" title=\"Zoom in (+)\">+</button><button id=\"zoom-out\" title=\"Zoom out (−)\">−</button><button id=\"fit\" title=\"Show the whole graph (0)\">Fit</button></div>\n<svg id=\"minimap\" xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\"></svg>\n<div id=\"problems\"></div>\n");
    let _ = write!(
        out,
        "</div></main>\n<script type=\"application/json\" id=\"data\">{data}</script>\n<script>{SCRIPT}</script>\n{live}</body></html>\n",
        live = live_script(extras.live_version),
    );
    out
}

/// Per-node facts for the details panel, by node id: kind, title, Lean names, place, status,
/// and the nodes it uses and is used by.
fn node_details(
    bp: &Blueprint,
    roadmap: &Roadmap,
    ids: &[String],
    root: Option<&std::path::Path>,
    numerics: &[NumericsLink],
) -> serde_json::Map<String, serde_json::Value> {
    let mut nodes = serde_json::Map::new();
    let mut used_by: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    let deps = crate::graph::prerequisites(bp);
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            used_by.entry(j).or_default().push(ids[i].clone());
        }
    }
    for (i, n) in bp.nodes.iter().enumerate() {
        let file = match root {
            Some(r) => n.file.strip_prefix(r).unwrap_or(&n.file),
            None => &n.file,
        };
        let uses: Vec<String> = deps[i].iter().map(|&j| ids[j].clone()).collect();
        nodes.insert(
            ids[i].clone(),
            json!({
                "kind": n.kind,
                "title": n.title,
                "lean": n.lean,
                "place": format!("{}:{}", file.display(), n.line),
                "status": status_text(&roadmap.statuses[i], &n.kind),
                "uses": uses,
                "used_by": used_by.remove(&i).unwrap_or_default(),
                "numerics": links_of(numerics, &n.lean)
                    .iter()
                    .map(|l| json!({"decl": l.decl, "href": l.href, "verdict": l.verdict}))
                    .collect::<Vec<_>>(),
            }),
        );
    }
    nodes
}

/// A node's status in words, most finished first.
fn status_text(s: &crate::roadmap::Status, kind: &str) -> &'static str {
    if s.fully_proved {
        "fully proved"
    } else if s.done {
        if kind == "definition" {
            "defined"
        } else {
            "proved"
        }
    } else if s.can_prove && s.stated {
        "stated; ready to prove"
    } else if s.stated {
        "stated"
    } else if s.can_state {
        "ready to state"
    } else {
        "blocked"
    }
}

/// What went wrong, shown over the graph with file and line: the findings `extras` gives, else
/// the blueprint's reading errors.
fn problems(bp: &Blueprint, extras: &Extras, root: Option<&std::path::Path>) -> Vec<String> {
    match &extras.findings {
        Some(found) => found.iter().map(|f| problem_line(f, root)).collect(),
        None => bp
            .findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .map(|f| problem_line(f, root))
            .collect(),
    }
}

/// Progress overall and per chapter, with bars.
fn progress_section(out: &mut String, roadmap: &Roadmap) {
    let p = &roadmap.progress;
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let _ = write!(
        out,
        "<h2>Progress</h2><div>{} nodes: {} stated, {} done, {} fully proved</div><div class=\"bar\"><span style=\"width:{:.1}%\"></span></div>",
        p.nodes,
        p.stated,
        p.done,
        p.fully_proved,
        pct(p.done, p.nodes)
    );
    for chapter in &roadmap.chapters {
        let c = &chapter.progress;
        let _ = write!(
            out,
            "<div>{}: {}/{} done</div><div class=\"bar\"><span style=\"width:{:.1}%\"></span></div>",
            escape(chapter.name()),
            c.done,
            c.nodes,
            pct(c.done, c.nodes)
        );
    }
}

/// The graph chooser, search, focus direction and depth.
fn view_controls(out: &mut String, graphs: &[Graph]) {
    out.push_str("<h2>View</h2><div class=\"controls\"><label>Graph <select id=\"graph\">");
    for g in graphs {
        let _ = write!(
            out,
            "<option value=\"{}\">{} ({} nodes)</option>",
            escape(&g.name),
            escape(&g.title),
            g.nodes.len()
        );
    }
    out.push_str("</select></label><label>Search <input id=\"search\" type=\"search\" placeholder=\"label, title or Lean name; Enter focuses\"></label><label>Focus shows <select id=\"dir\"><option value=\"both\">what it needs and what needs it</option><option value=\"up\">what it needs</option><option value=\"down\">what needs it</option></select></label><label>Depth <input id=\"depth\" type=\"number\" min=\"1\" placeholder=\"all\"></label><button id=\"clear\">Clear focus</button></div>\n<div id=\"details\"></div>\n");
}

/// What is ready to prove and to state, and the critical path.
fn next_section(out: &mut String, roadmap: &Roadmap) {
    out.push_str("<h2>Next</h2>");
    let items = |v: &[String]| -> String {
        if v.is_empty() {
            " none".into()
        } else {
            format!(
                "<ul>{}</ul>",
                v.iter()
                    .map(|x| format!("<li><code>{}</code></li>", escape(x)))
                    .collect::<String>()
            )
        }
    };
    let _ = write!(
        out,
        "<div>Ready to prove:{}</div><div>Ready to state:{}</div><div>Critical path ({} unfinished):{}</div>",
        items(&roadmap.ready_to_prove),
        items(&roadmap.ready_to_state),
        roadmap.critical_path.len(),
        items(&roadmap.critical_path)
    );
}

/// The legend: a swatch (fill or border colour) and the meaning of each colour the graphs use.
fn legend_section(out: &mut String, bp: &Blueprint) {
    out.push_str("<h2>Legend</h2><div class=\"legend\">");
    for (name, color, meaning) in legend(bp) {
        let swatch = if color.is_empty() {
            String::new()
        } else if name.ends_with("border") {
            format!(
                "<span class=\"swatch\" style=\"border-color:{}\"></span>",
                escape(&color)
            )
        } else {
            format!(
                "<span class=\"swatch\" style=\"background:{}\"></span>",
                escape(&color)
            )
        };
        let _ = write!(
            out,
            "<div>{swatch}<span><b>{}</b>: {}</span></div>",
            escape(&name),
            escape(&meaning)
        );
    }
}
