//! `theorist blueprint check`: a leanblueprint blueprint against the project's Lean sources.

use std::path::{Path, PathBuf};

use anyhow::Context;
use theorist_blueprint::{LeanIndex, Level, check, find_source_dir, read};

use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check that every \lean{} name exists, \leanok proofs are sorry-free, labels are unique
    /// and \uses resolve (file:line diagnostics; exit 1 on an error).
    Check(CheckArgs),
    /// Progress, what is ready now, what is blocked and by what, the critical path, and a work
    /// order (leanblueprint's status rules).
    Roadmap(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The project root, the blueprint's `src` folder, or a folder with web.tex/content.tex
    /// (default: the current folder).
    pub dir: Option<PathBuf>,
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let args = match cmd {
        Command::Check(args) => args,
        Command::Roadmap(args) => return run_roadmap(args, global),
    };
    let (dir, src) = source_dir(args.dir)?;
    let root = theorist_lean::Project::containing(&src)
        .map(|p| p.root)
        .unwrap_or(dir);
    let blueprint = read(&src);
    let index = lean_index(&root);
    let findings = check(&blueprint, &index);
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    if global.json {
        let out = serde_json::json!({
            "schema": "theorist.blueprint.check/1",
            "blueprint": src,
            "project_root": root,
            "nodes": blueprint.nodes.len(),
            "lean_declarations": index.decls.len(),
            "checked_by": "the Lean sources (not by Lean)",
            "findings": findings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for f in &findings {
            let level = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Hint => "hint",
            };
            if f.line == 0 {
                println!("{level}: {}", f.message);
            } else {
                println!("{}:{}: {level}: {}", f.file.display(), f.line, f.message);
            }
        }
        println!(
            "{} nodes, {} Lean declarations indexed; {} errors — names were checked against the Lean sources, not by Lean",
            blueprint.nodes.len(),
            index.decls.len(),
            errors
        );
    }
    Ok(if errors > 0 {
        Exit::CheckFailed
    } else {
        Exit::Passed
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

/// The declarations of a Lake project's libraries: their source folders from the lakefile (not
/// tests or scratch files), else every Lean file under the root.
pub(crate) fn lean_index(root: &Path) -> LeanIndex {
    let dirs: Vec<PathBuf> = theorist_ci::discover::read_libraries(root)
        .map(|libs| libs.into_iter().map(|l| l.src_dir).collect())
        .unwrap_or_default();
    if dirs.is_empty() {
        LeanIndex::of_project(root)
    } else {
        LeanIndex::of_dirs(root, &dirs)
    }
}

fn run_roadmap(args: CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (_, src) = source_dir(args.dir)?;
    let blueprint = read(&src);
    for e in &blueprint.errors {
        eprintln!("theorist: {e}");
    }
    let r = theorist_blueprint::roadmap(&blueprint);
    if global.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(Exit::Passed);
    }
    let p = &r.progress;
    println!(
        "{}: {} nodes — {} stated, {} done, {} fully proved",
        src.display(),
        p.nodes,
        p.stated,
        p.done,
        p.fully_proved
    );
    for (chapter, c) in &r.chapters {
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
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    println!("ready to prove now: {}", list(&r.ready_to_prove));
    println!("ready to state now: {}", list(&r.ready_to_state));
    if !r.blocked.is_empty() {
        println!("blocked:");
        for b in &r.blocked {
            println!("  {} — waiting for {}", b.label, b.waiting_for);
        }
    }
    println!(
        "critical path ({} unfinished): {}",
        r.critical_path.len(),
        r.critical_path.join(" → ")
    );
    let mut most: Vec<(&String, &usize)> = r.unblocks.iter().filter(|(_, n)| **n > 0).collect();
    most.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if !most.is_empty() {
        let shown: Vec<String> = most
            .iter()
            .take(5)
            .map(|(l, n)| format!("{l} ({n})"))
            .collect();
        println!("unblocks the most: {}", shown.join(", "));
    }
    println!("work order: {}", list(&r.work_order));
    for c in &r.cycles {
        println!("dependency cycle through: {}", c.join(", "));
    }
    Ok(Exit::Passed)
}
