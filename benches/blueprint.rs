//! Blueprint speed on real blueprints (tests/fixtures/blueprint-samples): reading FLT and PFR
//! with statuses and the roadmap (target ≤ 50 ms for FLT; leanblueprint takes 19 s), and the
//! layered SVG layout of the largest graphs (target ≤ 200 ms), and the whole page as `blueprint
//! serve` draws it again on a change (read, statuses, roadmap, layout of every graph, HTML;
//! target ≤ 75 ms, so that with the 25 ms watch the page is new within 100 ms).

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use theorist_blueprint::{Mode, graphs, node_ids, read, roadmap};

fn sample(project: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/blueprint-samples")
        .join(project)
        .join("blueprint/src")
}

fn parse_statuses_roadmap(c: &mut Criterion) {
    for project in ["FLT", "pfr"] {
        let dir = sample(project);
        c.bench_function(
            &format!("blueprint/{project}: read + statuses + roadmap"),
            |b| {
                b.iter(|| {
                    let bp = read(&dir);
                    let g = graphs(&bp, Mode::Compat);
                    let r = roadmap(&bp, Mode::Fixed);
                    (g.len(), r.work_order.len())
                })
            },
        );
    }
}

fn svg_layout(c: &mut Criterion) {
    for project in ["FLT", "pfr"] {
        let bp = read(&sample(project));
        let ids = node_ids(&bp);
        let all = graphs(&bp, Mode::Fixed);
        let largest = all.iter().max_by_key(|g| g.nodes.len()).expect("a graph");
        let name = format!(
            "blueprint/{project}: SVG of the largest graph ({} nodes, {} edges)",
            largest.nodes.len(),
            largest.edges.len()
        );
        c.bench_function(&name, |b| {
            b.iter(|| theorist_blueprint::svg::render(&bp, largest, &ids).len())
        });
        let l = theorist_blueprint::svg::layout_graph(largest, &ids);
        eprintln!("{name}: {} edge crossings after ordering", l.crossings);
    }
}

fn served_page(c: &mut Criterion) {
    for project in ["FLT", "pfr"] {
        let dir = sample(project);
        c.bench_function(
            &format!("blueprint/{project}: the served page, drawn again"),
            |b| {
                b.iter(|| {
                    let bp = read(&dir);
                    let all = graphs(&bp, Mode::Fixed);
                    let plan = roadmap(&bp, Mode::Fixed);
                    theorist_blueprint::html::page(&bp, &all, &plan, Mode::Fixed).len()
                })
            },
        );
    }
}

criterion_group!(benches, parse_statuses_roadmap, svg_layout, served_page);
criterion_main!(benches);
