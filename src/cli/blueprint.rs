//! `theorist blueprint check|roadmap|graph|serve`: a leanblueprint blueprint read natively,
//! its graphs and roadmap, its claims against the project's Lean sources, and its page served
//! live while it is written.

use std::path::{Path, PathBuf};

use anyhow::Context;
use theorist_blueprint::Roadmap;

use super::{Exit, GlobalArgs};
use crate::engine::blueprint::{
    BlueprintCheckRequest, Focus, GraphDrawing, GraphFormat, GraphRequest, blueprint_check,
    blueprint_graph, blueprint_roadmap,
};
use crate::engine::blueprint_serve::{Render, ServeRequest, blueprint_serve};
use crate::engine::lean::Warnings;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check that every \lean{} name exists, \leanok proofs are sorry-free, labels are unique
    /// and \uses resolve (file:line diagnostics; exit 1 on an error).
    Check(CheckArgs),
    /// Progress, what is ready now, what is blocked and by what, the critical path, and a work
    /// order.
    Roadmap(RoadmapArgs),
    /// The dependency graph(s), one per chapter when the blueprint uses dep_by=chapter.
    Graph(GraphArgs),
    /// Serve the HTML page on 127.0.0.1, drawn again whenever the blueprint (or the Lean
    /// sources its check reads) changes; the open page reloads itself, keeping its view.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The project root or the blueprint's `src` folder (default: the current folder).
    pub dir: Option<PathBuf>,
    /// The port on 127.0.0.1 (default: a free one, printed on starting).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// leanblueprint 0.0.20's statuses, quirks included.
    #[arg(long)]
    pub compat: bool,
    /// Keep transitively redundant edges (as the `nonreducedgraph` package option does).
    #[arg(long)]
    pub nonreduced: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The project root, the blueprint's `src` folder, or a folder with web.tex/content.tex
    /// (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Check the names against the Lean sources only, even when a Lean toolchain exists.
    #[arg(long)]
    pub no_lean: bool,
    /// Seconds Lean may take to import the libraries and answer.
    #[arg(long, default_value_t = 900)]
    pub timeout: u64,
}

#[derive(Debug, clap::Args)]
pub struct RoadmapArgs {
    /// The project root or the blueprint's `src` folder (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Statuses exactly as leanblueprint 0.0.20 computes them, quirks included.
    #[arg(long)]
    pub compat: bool,
    /// How many items of each list to print (0: all). JSON always has them all.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Dot,
    Svg,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Direction {
    /// Ancestors and descendants.
    Both,
    /// Ancestors only (what it needs).
    Up,
    /// Descendants only (what needs it).
    Down,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The project root or the blueprint's `src` folder (default: the current folder).
    pub dir: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Only this graph: its name (`dep_graph_chapter_3`), its unit number (`3`) or `document`.
    #[arg(long)]
    pub graph: Option<String>,
    /// Only this node and its ancestors/descendants (see --depth, --direction).
    #[arg(long)]
    pub focus: Option<String>,
    /// How many steps from the focus node to keep (default: all).
    #[arg(long, requires = "focus")]
    pub depth: Option<usize>,
    #[arg(long, value_enum, default_value = "both", requires = "focus")]
    pub direction: Direction,
    /// leanblueprint 0.0.20's statuses and graphs exactly, quirks included.
    #[arg(long)]
    pub compat: bool,
    /// Keep transitively redundant edges (as the `nonreducedgraph` package option does).
    #[arg(long)]
    pub nonreduced: bool,
    /// Where to write: a file, or a folder (an existing one, or any path ending in `/`; made
    /// when missing): one file per graph for dot and svg, `graphs.json`, `index.html`.
    /// Default: standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// With --format html: don't check and draw the project's `[[numerics]]` claims
    /// (theorist.toml); by default their plots are written beside the page and linked from
    /// their nodes.
    #[arg(long)]
    pub no_plots: bool,
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    match cmd {
        Command::Check(args) => run_check(args, global),
        Command::Roadmap(args) => run_roadmap(args, global),
        Command::Graph(args) => run_graph(args, global),
        Command::Serve(args) => run_serve(args, global),
    }
}

fn run_serve(args: ServeArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let request = ServeRequest {
        dir: dir_or_current(args.dir)?,
        port: args.port,
        compat: args.compat,
        nonreduced: args.nonreduced,
    };
    let server = blueprint_serve(&request)?;
    let url = format!("http://{}/", server.addr());
    if global.json {
        let start = serde_json::json!({
            "schema": "theorist.blueprint.serve/1",
            "url": url,
            "blueprint": server.src(),
        });
        println!("{start}");
    } else {
        println!(
            "theorist: serving {} at {url} (Ctrl-C stops)",
            server.src().display()
        );
    }
    use std::io::Write;
    std::io::stdout().flush()?;
    let plots = server.plots();
    if plots.drawn > 0 {
        eprintln!(
            "theorist: {} [[numerics]] plot(s) drawn, linked from their nodes",
            plots.drawn
        );
    }
    for note in &plots.notes {
        eprintln!("theorist: note: {note}");
    }
    eprintln!("theorist: {}", describe(1, server.first_render()));
    let mut count = 1;
    server.wait(|r| {
        count += 1;
        eprintln!("theorist: {}", describe(count, r));
    });
    Ok(Exit::Passed)
}

/// One line for the `count`-th render, on standard error.
fn describe(count: u64, r: &Render) -> String {
    let what = if r.drawn { "drawn" } else { "not drawn" };
    let lean = match r.lean_declarations {
        Some(n) => format!(", checked against {n} Lean declarations"),
        None => String::new(),
    };
    let problems = match r.problems {
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    };
    format!(
        "render {count}: {what} in {} ms, {problems}{lean}",
        r.took.as_millis()
    )
}

fn run_check(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let request = BlueprintCheckRequest {
        dir: dir_or_current(args.dir)?,
        ask_lean: !args.no_lean,
        timeout: std::time::Duration::from_secs(args.timeout),
        lean: super::leanenv::lean_setup(global),
    };
    let report = super::runtime()?.block_on(blueprint_check(&request))?;
    for note in &report.notes {
        eprintln!("theorist: {note}");
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        for f in &report.findings {
            println!("{f}");
        }
        println!(
            "{} nodes, {} Lean declarations indexed; {} errors — names checked {} {}",
            report.nodes,
            report.lean_declarations,
            report.errors(),
            if report.facts_from_lean {
                "by"
            } else {
                "against"
            },
            report.checked_by
        );
    }
    Ok(if report.errors() > 0 {
        Exit::CheckFailed
    } else {
        Exit::Passed
    })
}

/// The folder asked about, default the current one.
fn dir_or_current(dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match dir {
        Some(d) => Ok(d),
        None => std::env::current_dir().context("reading the current folder"),
    }
}

fn run_roadmap(args: RoadmapArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let report = blueprint_roadmap(&dir_or_current(args.dir)?, args.compat)?;
    for f in &report.reading {
        eprintln!("theorist: {f}");
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print_progress(&report.src, &report.roadmap, args.compat);
        print_next(&report.roadmap, args.limit);
    }
    Ok(Exit::Passed)
}

/// Progress overall, then per chapter.
fn print_progress(src: &Path, r: &Roadmap, compat: bool) {
    let p = &r.progress;
    println!(
        "{}: {} nodes — {} stated, {} done, {} fully proved{}",
        src.display(),
        p.nodes,
        p.stated,
        p.done,
        p.fully_proved,
        if compat {
            " (leanblueprint's status rules)"
        } else {
            ""
        }
    );
    for chapter in &r.chapters {
        let c = &chapter.progress;
        println!(
            "  {}: {} nodes, {} stated, {} done",
            chapter.name(),
            c.nodes,
            c.stated,
            c.done
        );
    }
}

/// What is ready, what is blocked, the critical path, the work order and any cycles; each
/// list at most `limit` long (0: all).
fn print_next(r: &Roadmap, limit: usize) {
    let unblocks = |label: &String| match r.unblocks.get(label) {
        Some(&n) if n > 0 => format!(" (unblocks {n})"),
        _ => String::new(),
    };
    let ranked = |labels: &[String]| -> Vec<String> {
        labels
            .iter()
            .map(|l| format!("{l}{}", unblocks(l)))
            .collect()
    };
    print_list(
        "ready to prove now, what unblocks the most first",
        &ranked(&r.ready_to_prove),
        limit,
    );
    print_list(
        "ready to state now, what unblocks the most first",
        &ranked(&r.ready_to_state),
        limit,
    );
    let blocked: Vec<String> = r
        .blocked
        .iter()
        .map(|b| format!("{} — waiting for {}", b.label, b.waiting_for))
        .collect();
    print_list("blocked", &blocked, limit);
    println!("critical path ({} unfinished):", r.critical_path.len());
    for (k, label) in r.critical_path.iter().enumerate() {
        println!("  {}{label}", if k == 0 { "" } else { "→ " });
    }
    let order: Vec<String> = r
        .work_order
        .iter()
        .enumerate()
        .map(|(k, l)| format!("{}. {l}{}", k + 1, unblocks(l)))
        .collect();
    print_list(
        "work order: prerequisites first, then what unblocks the most",
        &order,
        limit,
    );
    for c in &r.cycles {
        println!("dependency cycle through: {}", c.join(", "));
    }
}

/// A titled list, one item a line, at most `limit` of them (0: all).
fn print_list(title: &str, items: &[String], limit: usize) {
    if items.is_empty() {
        println!("{title}: none");
        return;
    }
    println!("{title} ({}):", items.len());
    let shown = if limit == 0 {
        items.len()
    } else {
        limit.min(items.len())
    };
    for item in &items[..shown] {
        println!("  {item}");
    }
    if shown < items.len() {
        println!("  … {} more (--limit 0 shows all)", items.len() - shown);
    }
}

fn run_graph(args: GraphArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    // The global --json asks for JSON whatever --format says.
    let format = if global.json {
        GraphFormat::Json
    } else {
        match args.format {
            Format::Json => GraphFormat::Json,
            Format::Dot => GraphFormat::Dot,
            Format::Svg => GraphFormat::Svg,
            Format::Html => GraphFormat::Html,
        }
    };
    let output = Output::of(args.output.as_deref())?;
    let request = GraphRequest {
        dir: dir_or_current(args.dir)?,
        format,
        graph: args.graph,
        focus: args.focus.map(|label| Focus {
            label,
            depth: args.depth,
            ancestors: args.direction != Direction::Down,
            descendants: args.direction != Direction::Up,
        }),
        compat: args.compat,
        nonreduced: args.nonreduced,
        reading: Warnings::to(|f| eprintln!("theorist: {f}")),
        // Plots go beside the page: a page on standard output has no beside.
        plots: !args.no_plots && !matches!(output, Output::Stdout),
    };
    if format == GraphFormat::Html && !args.no_plots && matches!(output, Output::Stdout) {
        let root = theorist_blueprint::project_root(&request.dir);
        if root.join("theorist.toml").is_file() {
            eprintln!(
                "theorist: note: the [[numerics]] claims' plots are drawn only with -o (they are written beside the page)"
            );
        }
    }
    let drawing = blueprint_graph(&request)?;
    match drawing {
        GraphDrawing::One { name, text } => output.write_one(name, &text)?,
        GraphDrawing::Page { text, plots, notes } => {
            for note in &notes {
                eprintln!("theorist: note: {note}");
            }
            output.write_beside(&plots)?;
            output.write_one("index.html", &text)?
        }
        GraphDrawing::PerGraph { ext, drawings } => {
            if ext == "svg" && drawings.len() > 1 && !output.is_folder() {
                let names: Vec<&str> = drawings.iter().map(|(name, _)| name.as_str()).collect();
                anyhow::bail!(
                    "{} graphs ({}): choose one with --graph, or give --output a folder (FOLDER/)",
                    drawings.len(),
                    names.join(", ")
                );
            }
            output.write_each(&drawings, ext)?
        }
    }
    Ok(Exit::Passed)
}

/// Where `-o` writes.
enum Output {
    Stdout,
    File(PathBuf),
    /// One file per graph (DOT, SVG), or `index.html` / `graphs.json`.
    Folder(PathBuf),
}

impl Output {
    /// A folder when the path is one or is written with a trailing `/` (made when missing),
    /// else a file (its folder made when missing).
    fn of(path: Option<&Path>) -> anyhow::Result<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout);
        };
        let folder = path.is_dir() || path.as_os_str().to_string_lossy().ends_with('/');
        let dir = if folder { Some(path) } else { path.parent() };
        if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the folder {}", dir.display()))?;
        }
        Ok(if folder {
            Output::Folder(path.to_path_buf())
        } else {
            Output::File(path.to_path_buf())
        })
    }

    /// Files that go beside the page (the claims' plots): in the folder, or the file's.
    fn write_beside(&self, plots: &[theorist_ci::numerics::ClaimPlot]) -> anyhow::Result<()> {
        let dir = match self {
            Output::Stdout => return Ok(()),
            Output::File(path) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
            Output::Folder(dir) => dir.clone(),
        };
        for plot in plots {
            write_file(&dir.join(&plot.file_name), &plot.svg)?;
        }
        Ok(())
    }

    fn is_folder(&self) -> bool {
        matches!(self, Output::Folder(_))
    }

    /// One document; `name` is its file name inside a folder.
    fn write_one(&self, name: &str, text: &str) -> anyhow::Result<()> {
        match self {
            Output::Stdout => {
                print!("{text}");
                if !text.ends_with('\n') {
                    println!();
                }
                Ok(())
            }
            Output::File(path) => write_file(path, text),
            Output::Folder(dir) => write_file(&dir.join(name), text),
        }
    }

    /// One file per graph into a folder, or all of them, one after the other, to one file or
    /// standard output.
    fn write_each(&self, drawings: &[(String, String)], ext: &str) -> anyhow::Result<()> {
        match self {
            Output::Folder(dir) => {
                for (name, text) in drawings {
                    write_file(&dir.join(format!("{name}.{ext}")), text)?;
                }
                Ok(())
            }
            _ => {
                let text: String = drawings.iter().map(|(_, text)| text.as_str()).collect();
                self.write_one("", &text)
            }
        }
    }
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    theorist_ci::write_atomic(path, text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!("theorist: wrote {}", path.display());
    Ok(())
}
