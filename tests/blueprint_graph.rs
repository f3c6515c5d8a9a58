//! `theorist blueprint graph` on real blueprints: JSON, DOT per chapter, SVG, focus, compat
//! vs the default mode, and the HTML page loaded in headless Chromium.

mod browser;

use predicates::prelude::*;
use serde_json::Value;

mod support;

const FLT: &str = "tests/fixtures/blueprint-samples/FLT";
const KEPLER: &str = "tests/fixtures/blueprint-samples/KeplersLawsLean";
const PFR: &str = "tests/fixtures/blueprint-samples/pfr";

fn theorist(args: &[&str]) -> Vec<u8> {
    support::theorist()
        .args(args)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone()
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&theorist(args)).unwrap()
}

#[test]
fn json_has_every_chapter_graph_with_statuses_and_edges() {
    let v = json(&["blueprint", "graph", FLT, "--format", "json"]);
    assert_eq!(v["schema"], "theorist.blueprint.graph/1");
    assert_eq!(v["mode"], "fixed");
    let graphs = v["graphs"].as_array().unwrap();
    assert_eq!(graphs.len(), 14, "FLT has dep_by=chapter and 14 chapters");
    let nodes: usize = graphs
        .iter()
        .map(|g| g["nodes"].as_array().unwrap().len())
        .sum();
    assert_eq!(nodes, 241);
    let frey = graphs[1]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "FreyPackage")
        .unwrap();
    assert_eq!(frey["kind"], "definition");
    assert_eq!(frey["shape"], "box");
    assert_eq!(frey["fillcolor"], "#B0ECA3");
    assert!(frey["file"].as_str().unwrap().ends_with(".tex"));
    assert!(frey["line"].as_u64().unwrap() > 0);
}

#[test]
fn compat_keeps_leanblueprint_quirks_and_the_default_fixes_them() {
    // FLT's \mathlibok nodes without a proof environment are not proved for leanblueprint,
    // which keeps their dependants out of dark green; the default mode counts them.
    let fixed = json(&["blueprint", "graph", FLT, "--format", "json"]);
    let compat = json(&["blueprint", "graph", FLT, "--format", "json", "--compat"]);
    assert_eq!(compat["mode"], "compat");
    let count = |v: &Value, fill: &str| -> usize {
        v["graphs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["nodes"].as_array().unwrap())
            .filter(|n| n["fillcolor"] == fill)
            .count()
    };
    // leanblueprint's own counts for FLT (tests/fixtures/blueprint-samples/README.md).
    assert_eq!(count(&compat, "#1CAC78"), 94);
    assert_eq!(count(&compat, "#A3D6FF"), 57);
    assert!(count(&fixed, "#1CAC78") >= 94);
}

#[test]
fn dot_writes_one_file_per_chapter_graph() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    theorist(&[
        "blueprint",
        "graph",
        FLT,
        "--format",
        "dot",
        "--compat",
        "-o",
        out,
    ]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 14);
    assert!(names.contains(&"dep_graph_chapter_10.dot".to_string()));
    let dot = std::fs::read_to_string(dir.path().join("dep_graph_chapter_2.dot")).unwrap();
    assert!(dot.starts_with("strict digraph"));
    assert!(dot.contains("\"FreyPackage\"\t[color=\"green\",\n\t\tfillcolor=\"#B0ECA3\",\n\t\tlabel=\"FreyPackage\",\n\t\tshape=box,\n\t\tstyle=filled];"));
    assert!(dot.contains("\"FreyPackage\" -> \"FreyCurve\"\t[style=dashed];"));
}

#[test]
fn svg_needs_one_graph_and_focus_keeps_the_neighbourhood() {
    support::theorist()
        .args(["blueprint", "graph", FLT, "--format", "svg"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("choose one with --graph"));
    let svg = String::from_utf8(theorist(&[
        "blueprint",
        "graph",
        FLT,
        "--format",
        "svg",
        "--graph",
        "10",
    ]))
    .unwrap();
    assert!(svg.starts_with("<svg"));
    assert_eq!(svg.matches("<g class=\"node\"").count(), 39);
    let v = json(&[
        "blueprint",
        "graph",
        KEPLER,
        "--format",
        "json",
        "--focus",
        "thm:three-laws",
        "--direction",
        "up",
        "--depth",
        "1",
    ]);
    let g = &v["graphs"][0];
    let ids: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"thm:three-laws"), "{ids:?}");
    for e in g["edges"].as_array().unwrap() {
        assert_eq!(e["to"], "thm:three-laws", "depth 1 upwards: {e}");
    }
    support::theorist()
        .args(["blueprint", "graph", KEPLER, "--focus", "no-such-node"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`no-such-node` is no node of the blueprint",
        ));
}

#[test]
fn the_html_page_works_offline_in_headless_chromium() {
    let Some(browser) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("flt.html");
    theorist(&[
        "blueprint",
        "graph",
        FLT,
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    for external in ["<script src", "<link", "src=\"http", "url(http"] {
        assert!(
            !html.contains(external),
            "self-contained, yet has {external}"
        );
    }
    let (dom, log) = browser::load(&browser, &page, "?selftest=1#dir=both");
    assert!(dom.contains("data-status=\"ready\""), "{dom:.400}\n{log}");
    assert!(
        dom.contains("data-nodes=\"241\""),
        "every node shown: {:.300}",
        dom
    );
    assert!(!dom.contains("data-errors"), "script errors: {dom:.600}");
    assert!(
        dom.contains("data-selftest=\"ok "),
        "first view fitted, wheel and pinch zoom, pan, Fit, no overlap, focus recentres, search: {:.600}",
        dom.split("data-selftest").nth(1).unwrap_or(&dom)
    );
    for line in log.lines() {
        assert!(
            !(line.contains("CONSOLE") && (line.contains("Uncaught") || line.contains("Error"))),
            "console error: {line}"
        );
    }
    // The whole of pfr in one graph (218 nodes, 403 edges), the largest sample: it opens
    // fitted, zooms, pans and keeps its nodes apart.
    let whole = dir.path().join("pfr.html");
    theorist(&[
        "blueprint",
        "graph",
        PFR,
        "--format",
        "html",
        "-o",
        whole.to_str().unwrap(),
    ]);
    let (dom, log) = browser::load(&browser, &whole, "?selftest=1");
    assert!(
        dom.contains("data-selftest=\"ok nodes=218 fitted=true"),
        "fit, zoom, pan, no overlap: {:.600}\n{log:.600}",
        dom.split("data-selftest").nth(1).unwrap_or(&dom)
    );
    // A shared view, or the page reloaded by `blueprint serve`: the fragment picks the graph,
    // the focus and the zoom.
    let (dom, _) = browser::load(
        &browser,
        &page,
        "#graph=dep_graph_chapter_2&focus=FreyPackage&dir=down&view=10,20,0.5",
    );
    assert!(dom.contains("<h3>FreyPackage</h3>"), "{:.300}", dom);
    assert!(dom.contains("data-scale=\"0.5000\""), "{:.300}", dom);
}

#[test]
fn the_roadmap_of_flt() {
    let v = json(&["--json", "blueprint", "roadmap", FLT]);
    assert_eq!(v["schema"], "theorist.blueprint.roadmap/2");
    assert_eq!(v["progress"]["nodes"], 241);
    assert_eq!(v["progress"]["stated"], 177);
    let path: Vec<&str> = v["critical_path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    // The longest chain of unfinished work, as the blueprint research measured it.
    assert_eq!(path.len(), 8);
    assert_eq!(path[0], "manifold_on_algebraic_variety_points");
    assert_eq!(path[7], "modularity_lifting_theorem");
    let chapters: Vec<&str> = v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chapter"].as_str().unwrap())
        .collect();
    assert_eq!(
        chapters[0], "First reductions of the problem",
        "document order"
    );
    let blocked = v["blocked"].as_array().unwrap();
    assert!(
        blocked
            .iter()
            .any(|b| b["label"] == "Mazur_Frey" && b["waiting_for"] == "\\notready")
    );
}

#[test]
fn hostile_blueprints_get_findings_with_places_not_panics_or_reads_outside() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lakefile.lean"), "import Lake\n").unwrap();
    let src = dir.path().join("blueprint/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("content.tex"),
        "\\begin{lemma}\\label{a}\\uses{a}\\end{lemma}\n\\input{../../../etc/passwd}\n\\input{content}\n",
    )
    .unwrap();
    for format in ["svg", "html", "dot", "json"] {
        support::theorist()
            .args(["blueprint", "graph", "--format", format])
            .arg(&src)
            .assert()
            .code(0)
            .stderr(predicate::str::contains(
                "content.tex:1: error: self-dependency: `a` uses `a`",
            ))
            .stderr(predicate::str::contains(
                "content.tex:2: error: \\input{../../../etc/passwd}: refused",
            ))
            .stderr(predicate::str::contains(
                "content.tex:3: error: \\input{content}: ",
            ))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn the_roadmap_ranks_what_unblocks_the_most_and_wraps_long_lists() {
    let v = json(&["--json", "blueprint", "roadmap", FLT]);
    let unblocks = |l: &Value| v["unblocks"][l.as_str().unwrap()].as_u64().unwrap();
    for list in ["ready_to_state", "ready_to_prove"] {
        let counts: Vec<u64> = v[list].as_array().unwrap().iter().map(unblocks).collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{list} ranked: {counts:?}"
        );
    }
    // The work order starts with something ready, not with a node its own \notready holds.
    let first = &v["work_order"][0];
    let ready: Vec<&Value> = v["ready_to_state"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["ready_to_prove"].as_array().unwrap())
        .collect();
    assert!(ready.contains(&first), "{first}");
    let text = String::from_utf8(theorist(&["blueprint", "roadmap", FLT, "--limit", "3"])).unwrap();
    let state = text
        .lines()
        .skip_while(|l| !l.starts_with("ready to state now"))
        .take(5)
        .collect::<Vec<_>>();
    assert!(state[0].ends_with(&format!(
        "({}):",
        v["ready_to_state"].as_array().unwrap().len()
    )));
    assert!(
        state[1].starts_with("  ") && !state[1].contains(", "),
        "one a line: {text}"
    );
    assert!(state[4].starts_with("  … ") && state[4].ends_with("more (--limit 0 shows all)"));
    let all = String::from_utf8(theorist(&["blueprint", "roadmap", FLT, "--limit", "0"])).unwrap();
    assert!(!all.contains("more (--limit 0 shows all)"));
    assert!(all.contains(&format!("  1. {}", first.as_str().unwrap())));
}

#[test]
fn output_folders_and_their_parents_are_made_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("site/graphs");
    let as_arg = format!("{}/", folder.display());
    for (format, expect) in [
        ("dot", "dep_graph_chapter_2.dot"),
        ("svg", "dep_graph_chapter_2.svg"),
        ("html", "index.html"),
        ("json", "graphs.json"),
    ] {
        support::theorist()
            .args(["blueprint", "graph", FLT, "--format", format, "-o", &as_arg])
            .assert()
            .code(0)
            .stderr(predicate::str::contains(format!(
                "wrote {}",
                folder.join(expect).display()
            )));
        assert!(folder.join(expect).is_file(), "{format}");
    }
    assert_eq!(
        std::fs::read_dir(&folder)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "svg"))
            .count(),
        14
    );
    // A file whose folders do not exist yet.
    let file = dir.path().join("deep/er/flt.html");
    theorist(&[
        "blueprint",
        "graph",
        FLT,
        "--format",
        "html",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

/// A project with a `[[numerics]]` claim about a node's declaration, and one that is refuted.
fn project_with_numerics() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("lakefile.toml"), "name = \"Demo\"\n").unwrap();
    std::fs::create_dir_all(root.join("Demo")).unwrap();
    std::fs::write(
        root.join("Demo/Bound.lean"),
        "import Mathlib\n\nnamespace Demo\n\ntheorem bound (x : ℝ) : 0 ≤ x ^ 2 - 2 * x + 1 := by\n  nlinarith [sq_nonneg (x - 1)]\n\ntheorem too_strong (x : ℝ) : 1 ≤ x ^ 2 - 2 * x + 1 := by\n  sorry\n\nend Demo\n",
    )
    .unwrap();
    std::fs::write(
        root.join("theorist.toml"),
        "[[numerics]]\nclaim = \"Demo/Bound.lean:bound\"\nexpect = \"proved\"\n\n[[numerics]]\nclaim = \"Demo/Bound.lean:too_strong\"\nexpect = \"refuted\"\n\n[[numerics]]\nclaim = \"Demo/Bound.lean:missing\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("blueprint/src")).unwrap();
    std::fs::write(
        root.join("blueprint/src/content.tex"),
        "\\chapter{Bounds}\n\\begin{lemma}\\label{lem:bound}\\lean{Demo.bound}\\leanok\nA square is non-negative.\n\\end{lemma}\n\\begin{lemma}\\label{lem:strong}\\lean{Demo.too_strong}\\uses{lem:bound}\nToo strong.\n\\end{lemma}\n\\begin{lemma}\\label{lem:missing}\\lean{Demo.missing}\nNot in the sources.\n\\end{lemma}\n",
    )
    .unwrap();
    dir
}

#[test]
fn the_html_page_links_each_numerics_claim_to_its_plot_written_beside_it() {
    let project = project_with_numerics();
    let site = project.path().join("site");
    let out = support::theorist()
        .args(["blueprint", "graph", "--format", "html", "-o"])
        .arg(format!("{}/", site.display()))
        .arg(project.path())
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The claim about a declaration that does not exist has no plot, and says why.
    assert!(
        stderr.contains("Demo/Bound.lean:missing: no plot") && stderr.contains("missing"),
        "{stderr}"
    );
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();
    for (node, decl, verdict) in [
        ("lem:bound", "Demo.bound", "proved"),
        ("lem:strong", "Demo.too_strong", "refuted"),
    ] {
        let file = format!("numerics-{decl}.svg");
        let link = format!("<a href=\"{file}\" data-node=\"{node}\">");
        let item = html
            .split("<li>")
            .find(|li| li.contains(&link))
            .unwrap_or_else(|| panic!("no link {link} in {html:.2000}"));
        assert!(item.contains(&format!("— {verdict}")), "{item}");
        let svg = std::fs::read_to_string(site.join(&file)).unwrap();
        assert!(svg.starts_with("<svg"), "{svg:.200}");
        // The details panel's data carries the link too.
        assert!(html.contains(&format!("\"href\":\"{file}\"")), "{file}");
    }
    let refuted = std::fs::read_to_string(site.join("numerics-Demo.too_strong.svg")).unwrap();
    assert!(refuted.contains("class=\"marker counterexample\""));

    // No plots on request, and none for a page on standard output (nowhere to put them).
    let bare = project.path().join("bare.html");
    support::theorist()
        .args(["blueprint", "graph", "--format", "html", "--no-plots", "-o"])
        .arg(&bare)
        .arg(project.path())
        .assert()
        .code(0);
    assert!(
        !std::fs::read_to_string(&bare)
            .unwrap()
            .contains("id=\"numerics\"")
    );
    support::theorist()
        .args(["blueprint", "graph", "--format", "html"])
        .arg(project.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("id=\"numerics\"").not())
        .stderr(predicate::str::contains("drawn only with -o"));

    // In a browser, focusing the node shows its plot's link.
    let Some(browser) = browser::chromium() else {
        return;
    };
    let (dom, log) = browser::load(&browser, &site.join("index.html"), "#focus=lem:bound");
    assert!(
        dom.contains("numerics: <a href=\"numerics-Demo.bound.svg\">"),
        "{:.600}\n{log:.600}",
        dom.split("id=\"details\"").nth(1).unwrap_or(&dom)
    );
}
