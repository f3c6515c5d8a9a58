//! `theorist blueprint check|roadmap|graph`: a leanblueprint blueprint read natively, its
//! graphs and roadmap, and its claims against the project's Lean sources.

use std::path::{Path, PathBuf};

use anyhow::Context;
use theorist_blueprint::{
    Blueprint, ChapterProgress, Graph, LeanIndex, Level, Mode, check, find_source_dir, graphs,
    node_ids, read,
};

use super::{Exit, GlobalArgs};

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
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    match cmd {
        Command::Check(args) => run_check(args, global),
        Command::Roadmap(args) => run_roadmap(args, global),
        Command::Graph(args) => run_graph(args, global),
    }
}

fn run_check(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (dir, src) = source_dir(args.dir.clone())?;
    let root = theorist_lean::Project::containing(&src)
        .map(|p| p.root)
        .unwrap_or(dir);
    let blueprint = read(&src);
    let searched = lean_source_dirs(&root);
    let index = LeanIndex::of_dirs(&root, &searched);
    if index.files == 0 {
        let searched: Vec<String> = searched.iter().map(|d| d.display().to_string()).collect();
        anyhow::bail!(
            "no Lean sources found (searched {}), so the blueprint's \\lean names cannot be checked; run it on the Lake project that formalises the blueprint",
            searched.join(", ")
        );
    }
    let (facts, checked_by) = if args.no_lean {
        (None, "the Lean sources only (--no-lean)".to_string())
    } else {
        ask_lean(&blueprint, &src, &args, global)?
    };
    let facts_from_lean = facts.is_some();
    let findings = check(&blueprint, &index, facts.as_ref());
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    if global.json {
        let out = serde_json::json!({
            "schema": "theorist.blueprint.check/1",
            "blueprint": src,
            "project_root": root,
            "nodes": blueprint.nodes.len(),
            "lean_declarations": index.decls.len(),
            "checked_by": checked_by,
            "findings": findings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for f in &findings {
            println!("{f}");
        }
        println!(
            "{} nodes, {} Lean declarations indexed; {} errors — names checked {} {checked_by}",
            blueprint.nodes.len(),
            index.decls.len(),
            errors,
            if facts_from_lean { "by" } else { "against" }
        );
    }
    Ok(if errors > 0 {
        Exit::CheckFailed
    } else {
        Exit::Passed
    })
}

/// Lean's facts about the blueprint's names when a toolchain exists, and who checked them. No
/// toolchain is not an error here: the sources were still checked, and the output says so.
fn ask_lean(
    blueprint: &Blueprint,
    src: &Path,
    args: &CheckArgs,
    global: &GlobalArgs,
) -> anyhow::Result<(Option<theorist_blueprint::LeanFacts>, String)> {
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
    let search = theorist_lean::LakeSearch::from_env(global.lake.clone());
    let timeout = std::time::Duration::from_secs(args.timeout);
    super::runtime()?.block_on(async {
        let sandbox = super::leanenv::sandbox_policy(global, false);
        let toolchain = match theorist_lean::Toolchain::resolve(&search, project, timeout, &sandbox).await
        {
            Ok(t) => {
                super::leanenv::warn_if_unconfined(&t);
                t
            }
            Err(e) if e.is_no_toolchain() => {
                eprintln!(
                    "theorist: no Lean toolchain found, so the \\lean names were checked against the Lean sources only, not by Lean.\n{}",
                    theorist_lean::INSTALL_HINT
                );
                return Ok((None, "the Lean sources only (not by Lean: no toolchain found)".into()));
            }
            Err(e) => return Err(anyhow::Error::from(e)),
        };
        match super::blueprint_lean::confirm(&toolchain, &names, timeout).await? {
            Ok(facts) => {
                let by = facts.version.clone();
                Ok((Some(facts), by))
            }
            Err(why) => {
                eprintln!("theorist: {why}; the \\lean names were checked against the Lean sources only");
                Ok((None, format!("the Lean sources only (Lean could not answer: {why})")))
            }
        }
    })
}

/// The folder asked about (default: the current one) and the blueprint sources in it.
fn source_dir(dir: Option<PathBuf>) -> anyhow::Result<(PathBuf, PathBuf)> {
    let dir = match dir {
        Some(d) => d,
        None => std::env::current_dir().context("reading the current folder")?,
    };
    let src = find_source_dir(&dir).with_context(|| {
        format!(
            "{}: no blueprint here (looked for web.tex or content.tex in it, blueprint/src and blueprints/src)",
            dir.display()
        )
    })?;
    Ok((dir, src))
}

/// Reads the blueprint; reading problems go to standard error. A blueprint with no nodes at
/// all is a usage error (nothing to draw or plan).
fn read_reporting(src: &Path) -> anyhow::Result<Blueprint> {
    let blueprint = read(src);
    for f in &blueprint.findings {
        if f.level != Level::Hint {
            eprintln!("theorist: {f}");
        }
    }
    if blueprint.nodes.is_empty() {
        let why = if blueprint.unbuilt_lean_nodes.is_empty() {
            String::new()
        } else {
            format!(
                " (its {} LeanArchitect nodes are not built: run `lake build :blueprint`)",
                blueprint.unbuilt_lean_nodes.len()
            )
        };
        anyhow::bail!("{}: the blueprint has no nodes{why}", src.display());
    }
    Ok(blueprint)
}

/// The declarations of a Lake project's libraries: their source folders from the lakefile (not
/// tests or scratch files), else every Lean file under the root.
pub(crate) fn lean_index(root: &Path) -> LeanIndex {
    LeanIndex::of_dirs(root, &lean_source_dirs(root))
}

/// Where a project's Lean declarations are read from: its libraries' source folders from the
/// lakefile, else the whole root.
fn lean_source_dirs(root: &Path) -> Vec<PathBuf> {
    let dirs: Vec<PathBuf> = theorist_ci::discover::read_libraries(root)
        .map(|libs| libs.into_iter().map(|l| l.src_dir).collect())
        .unwrap_or_default();
    if dirs.is_empty() {
        vec![root.to_path_buf()]
    } else {
        dirs
    }
}

fn mode(compat: bool) -> Mode {
    if compat { Mode::Compat } else { Mode::Fixed }
}

fn run_roadmap(args: RoadmapArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (_, src) = source_dir(args.dir)?;
    let blueprint = read_reporting(&src)?;
    let r = theorist_blueprint::roadmap(&blueprint, mode(args.compat));
    if global.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(Exit::Passed);
    }
    let p = &r.progress;
    println!(
        "{}: {} nodes — {} stated, {} done, {} fully proved{}",
        src.display(),
        p.nodes,
        p.stated,
        p.done,
        p.fully_proved,
        if args.compat {
            " (leanblueprint's status rules)"
        } else {
            ""
        }
    );
    for ChapterProgress {
        chapter,
        progress: c,
    } in &r.chapters
    {
        let name = if chapter.is_empty() {
            "(before the first chapter)"
        } else {
            chapter
        };
        println!(
            "  {name}: {} nodes, {} stated, {} done",
            c.nodes, c.stated, c.done
        );
    }
    let unblocks = |label: &String| match r.unblocks.get(label) {
        Some(&n) if n > 0 => format!(" (unblocks {n})"),
        _ => String::new(),
    };
    let ranked: Vec<String> = r
        .ready_to_prove
        .iter()
        .map(|l| format!("{l}{}", unblocks(l)))
        .collect();
    print_list(
        "ready to prove now, what unblocks the most first",
        &ranked,
        args.limit,
    );
    let ranked: Vec<String> = r
        .ready_to_state
        .iter()
        .map(|l| format!("{l}{}", unblocks(l)))
        .collect();
    print_list(
        "ready to state now, what unblocks the most first",
        &ranked,
        args.limit,
    );
    let blocked: Vec<String> = r
        .blocked
        .iter()
        .map(|b| format!("{} — waiting for {}", b.label, b.waiting_for))
        .collect();
    print_list("blocked", &blocked, args.limit);
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
        args.limit,
    );
    for c in &r.cycles {
        println!("dependency cycle through: {}", c.join(", "));
    }
    Ok(Exit::Passed)
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

/// The graph a `--graph` value names.
fn pick<'a>(all: &'a [Graph], want: &str) -> Option<&'a Graph> {
    all.iter().find(|g| {
        g.name == want
            || g.name == format!("dep_graph_{want}")
            || g.name.rsplit('_').next() == Some(want)
    })
}

fn run_graph(args: GraphArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (_, src) = source_dir(args.dir)?;
    let mut blueprint = read_reporting(&src)?;
    blueprint.options.nonreduced |= args.nonreduced;
    let mode = mode(args.compat);
    let ids = node_ids(&blueprint);
    let mut all = graphs(&blueprint, mode);
    if all.is_empty() {
        anyhow::bail!(
            "{}: dep_by={} but the blueprint has no such unit, so leanblueprint draws no graph",
            src.display(),
            blueprint.options.dep_by.as_deref().unwrap_or("")
        );
    }
    if let Some(want) = &args.graph {
        let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
        let g = pick(&all, want)
            .with_context(|| format!("no graph `{want}`; the graphs are {}", names.join(", ")))?
            .clone();
        all = vec![g];
    }
    if let Some(label) = &args.focus {
        let node = ids
            .iter()
            .position(|id| id == label)
            .or_else(|| blueprint.node_of(label))
            .with_context(|| format!("`{label}` is no node of the blueprint"))?;
        let (up, down) = match args.direction {
            Direction::Both => (true, true),
            Direction::Up => (true, false),
            Direction::Down => (false, true),
        };
        all = all
            .iter()
            .filter(|g| g.nodes.contains(&node))
            .map(|g| {
                theorist_blueprint::focus(
                    g,
                    node,
                    args.depth,
                    up,
                    down,
                    !blueprint.options.nonreduced,
                )
            })
            .collect();
    }
    // The global --json asks for JSON whatever --format says.
    let format = if global.json {
        Format::Json
    } else {
        args.format
    };
    let output = Output::of(args.output.as_deref())?;
    match format {
        Format::Json => {
            let doc = theorist_blueprint::json::document(&blueprint, &all, mode);
            output.write_one("graphs.json", &serde_json::to_string_pretty(&doc)?)?;
        }
        Format::Dot => {
            output.write_each(&all, "dot", |g| theorist_blueprint::dot::to_dot(g, &ids))?
        }
        Format::Svg => {
            if all.len() > 1 && !output.is_folder() {
                let names: Vec<&str> = all.iter().map(|g| g.name.as_str()).collect();
                anyhow::bail!(
                    "{} graphs ({}): choose one with --graph, or give --output a folder (FOLDER/)",
                    all.len(),
                    names.join(", ")
                );
            }
            output.write_each(&all, "svg", |g| {
                theorist_blueprint::svg::render(&blueprint, g, &ids)
            })?
        }
        Format::Html => {
            let roadmap = theorist_blueprint::roadmap(&blueprint, mode);
            let page = theorist_blueprint::html::page(&blueprint, &all, &roadmap, mode);
            output.write_one("index.html", &page)?;
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
    fn write_each(
        &self,
        all: &[Graph],
        ext: &str,
        render: impl Fn(&Graph) -> String,
    ) -> anyhow::Result<()> {
        match self {
            Output::Folder(dir) => {
                for g in all {
                    write_file(&dir.join(format!("{}.{ext}", g.name)), &render(g))?;
                }
                Ok(())
            }
            _ => {
                let text: String = all.iter().map(&render).collect();
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
